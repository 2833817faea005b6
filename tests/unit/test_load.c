/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Client mode without a port: the http client's response parser alone, then the load engine
 * (lib/load) on one TCP context against the services of another, joined by moving the frames
 * each one queues for TX to the other (ARP included), on a fake clock. The engine's accounting is
 * checked against what happened: every launch made, refused or failed for its reason, counts equal
 * on both sides, no mbuf left.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_tcp.h>

#include "tcpd_app.h"
#include "tcpd_app_client.h"
#include "tcpd_load.h"
#include "tcpd_tcp.h"
#include "tcpd_worker.h"

#include "tcp_fixture.h"

#include "../fuzz/client_http_ref.h"

#define CLI_IP RTE_IPV4(198u, 18, 0, 3)
#define SRV_IP RTE_IPV4(198u, 18, 0, 1)

static struct rte_mempool *pool;
static uint64_t hz;
static unsigned int seq_no;

/* ---- the http parser ---- */
static struct tcpd_app_client pcl;

/* @p a and @p b: the same decisions, and the same calls returning the same (one split). */
static void
assert_trace_equal(const struct client_trace *a, const struct client_trace *b)
{
	assert_true(client_trace_same(a, b));
	assert_int_equal(a->consumed, b->consumed);
	assert_int_equal(a->calls, b->calls);
}

/*
 * Parse @p s whole into @p whole, and check every split against it and against the old byte
 * parser (client_http_ref.h) under the same split: each cut 1..len-1, every chunk size (1: a byte
 * a segment), and for short streams every pair of cuts.
 */
static void
check_splits(const uint8_t *s, uint32_t len, int again, struct client_trace *whole)
{
	static struct client_trace ref, t;
	uint32_t a, b, cuts[2];

	client_feed(tcpd_app_client_http_parse, &pcl, s, len, NULL, 0, 0, again, whole);
	client_feed(ref_client_http_parse, &pcl, s, len, NULL, 0, 0, again, &ref);
	assert_trace_equal(whole, &ref);
	for (a = 1; a <= len; a++) {
		client_feed(tcpd_app_client_http_parse, &pcl, s, len, NULL, 0, a, again, &t);
		client_feed(ref_client_http_parse, &pcl, s, len, NULL, 0, a, again, &ref);
		assert_trace_equal(&t, &ref);
		assert_true(client_trace_same(&t, whole));
	}
	for (a = 1; a < len; a++) {
		cuts[0] = a;
		client_feed(tcpd_app_client_http_parse, &pcl, s, len, cuts, 1, 0, again, &t);
		client_feed(ref_client_http_parse, &pcl, s, len, cuts, 1, 0, again, &ref);
		assert_trace_equal(&t, &ref);
		assert_true(client_trace_same(&t, whole));
		for (b = a + 1; len <= 128 && b < len; b++) {
			cuts[1] = b;
			client_feed(tcpd_app_client_http_parse, &pcl, s, len, cuts, 2, 0, again,
				    &t);
			client_feed(ref_client_http_parse, &pcl, s, len, cuts, 2, 0, again, &ref);
			assert_trace_equal(&t, &ref);
			assert_true(client_trace_same(&t, whole));
		}
	}
}

/* @p resp (@p len bytes, any byte): good (@p completes responses) or bad, however split. */
static void
expect_parse_n(const char *resp, uint32_t len, int good, uint32_t completes_want)
{
	struct client_trace t;

	check_splits((const uint8_t *)resp, len, 0, &t);
	if (good)
		assert_int_equal(t.ncomplete, completes_want > 0 ? 1 : 0);
	check_splits((const uint8_t *)resp, len, 1, &t);
	if (good) {
		assert_false(t.bad);
		assert_int_equal(t.ncomplete, completes_want);
	} else {
		assert_true(t.bad);
	}
}

static void
expect_parse(const char *resp, int good, uint32_t completes_want)
{
	expect_parse_n(resp, (uint32_t)strlen(resp), good, completes_want);
}

/* @p resp: one good response with Content-Length @p clen, however split. */
static void
expect_clen(const char *resp, uint32_t clen)
{
	struct client_trace t;

	check_splits((const uint8_t *)resp, (uint32_t)strlen(resp), 1, &t);
	assert_false(t.bad);
	assert_int_equal(t.ncomplete, 1);
	assert_int_equal(t.done_len[0], clen);
	assert_int_equal(t.done_at[0], strlen(resp));
}

static void
test_http_parse(void **state)
{
	(void)state;
	pcl.expect_body = UINT32_MAX;
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 1, 1);
	expect_parse("HTTP/1.1 200 OK\r\ncontent-length:0\r\nServer: x\r\n\r\n", 1, 1);
	expect_parse("HTTP/1.0 200 OK\nCONTENT-LENGTH:  3 \n\nabc", 1, 1);
	/* two responses back to back (the second after our next request) */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\n"
		     "Content-Length: 1\r\n\r\nc",
		     1, 2);
	/* a very long header line is skipped */
	expect_parse("HTTP/1.1 200 OK\r\nX-Long: "
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		     "aaaaaaaaaaaa\r\nContent-Length: 1\r\n\r\nz",
		     1, 1);
	expect_parse("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\n\r\n", 0, 0); /* no length */
	expect_parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: x1\r\n\r\n", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 0, 0);
	expect_parse("SSH-2.0-OpenSSH\r\n", 0, 0);
	pcl.expect_body = 4;
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd", 1, 1);
	pcl.expect_body = UINT32_MAX;
}

/* The bench server's response (lib/app/http.c), one or two on a connection. */
static void
test_http_parse_server(void **state)
{
	static const char x[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nX";
	struct client_trace t;

	(void)state;
	pcl.expect_body = UINT32_MAX;
	expect_clen("HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: text/plain\r\n"
		    "Content-Length: 7\r\nConnection: close\r\n\r\n0123456",
		    7);
	expect_parse("HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: text/plain\r\n"
		     "Content-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\n"
		     "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\ncd",
		     1, 2);
	/* a byte after a complete response, before our next request: bad; after it, the start
	 * of the next status line */
	check_splits((const uint8_t *)x, sizeof(x) - 1, 0, &t);
	assert_true(t.bad);
	assert_int_equal(t.ncomplete, 1);
	assert_int_equal(t.done_at[0], sizeof(x) - 2);
	check_splits((const uint8_t *)x, sizeof(x) - 1, 1, &t);
	assert_false(t.bad);
	assert_int_equal(t.ncomplete, 1);
	assert_int_equal(t.r.line_len, 1);
	assert_int_equal(t.r.line[0], 'X');
}

/* Line endings: a CR alone ends nothing, a bare LF ends a line, only one CR is stripped. */
static void
test_http_parse_crlf(void **state)
{
	(void)state;
	pcl.expect_body = UINT32_MAX;
	/* CR without LF: the status line runs on into the next "line", which is never seen */
	expect_parse("HTTP/1.1 200 OK\rContent-Length: 1\r\n\r\nz", 0, 0);
	/* the CR before "Content-Length" value's LF is not a blank: not a number */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\r\n\r\nz", 0, 0);
	expect_clen("HTTP/1.1 200 OK\r\nX-A: b\rc\r\nContent-Length: 1\r\n\r\nz", 1);
	/* bare LF everywhere, and mixed */
	expect_clen("HTTP/1.1 200 OK\nContent-Length: 2\n\nab", 2);
	expect_clen("HTTP/1.1 200 OK\r\nContent-Length: 2\n\r\nab", 2);
	expect_clen("HTTP/1.1 200 OK\nContent-Length: 2\r\n\nab", 2);
	/* "\r\r\n" is a header line of one CR, not the end of the headers: no response yet */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\r\nz", 1, 0);
	/* an empty status line */
	expect_parse("\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0);
	expect_parse("\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0);
}

/* obs-fold (RFC 9112 5.2): a continuation line is part of the line before, replaced by SP: a
 * folded Content-Length ("1" then " 2" is "1 2") is bad, another header's fold harmless. */
static void
test_http_parse_fold(void **state)
{
	(void)state;
	pcl.expect_body = UINT32_MAX;
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n 2\r\n\r\nz", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n X-Fold: a\r\n\r\nz", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\tContent-Length: 2\r\n\r\nz", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\t\r\n\r\nz", 0, 0);
	/* a longer line than the 36 bytes kept, then its fold: bad as well */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1                    \r\n 2\r\n\r\nz", 0,
		     0);
	expect_clen("HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\n\tc\r\nContent-Length: 1\r\n\r\nz", 1);
	expect_clen("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nX-A: a\r\n b\r\n\r\nz", 1);
	/* a line after the status line is no continuation of the last response's Content-Length */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz"
		     "HTTP/1.1 200 OK\r\n X: a\r\nContent-Length: 1\r\n\r\nz",
		     1, 2);
	expect_clen("HTTP/1.1 200 OK\r\nX-A: a\r\n Transfer-Encoding: chunked\r\n"
		    "Content-Length: 1\r\n\r\nz",
		    1);
	/* a folded value: the first line has no number */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length:\r\n 1\r\n\r\nz", 0, 0);
	/* a blank before the colon: another field name, skipped; then no length */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nz", 0, 0);
	expect_clen("HTTP/1.1 200 OK\r\nTransfer-Encoding : x\r\nContent-Length: 1\r\n\r\nz", 1);
}

/* Lines longer than TCPD_CLIENT_LINE_MAX (36): only their first 36 bytes are examined. */
static void
test_http_parse_long(void **state)
{
	char s[512];

	(void)state;
	pcl.expect_body = UINT32_MAX;
	/* status lines of 35 to 37 bytes and a very long one */
	expect_parse("HTTP/1.1 200 OK-aaaaaaaaaaaaaaaaaaa\r\nContent-Length: 0\r\n\r\n", 1, 1);
	expect_parse("HTTP/1.1 200 OK-aaaaaaaaaaaaaaaaaaaa\r\nContent-Length: 0\r\n\r\n", 1, 1);
	expect_parse("HTTP/1.1 200 OK-aaaaaaaaaaaaaaaaaaaaa\r\nContent-Length: 0\r\n\r\n", 1, 1);
	memset(s, 'r', sizeof(s));
	memcpy(s, "HTTP/1.1 200 ", 13);
	memcpy(s + 400, "\r\nContent-Length: 1\r\n\r\nz", 24);
	expect_parse_n(s, 424, 1, 1);
	/* header lines of 36 bytes (CR is the 37th) and longer, with and without a CR kept */
	expect_clen("HTTP/1.1 200 OK\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
		    "Content-Length: 1\r\n\r\nz",
		    1);
	/* A Content-Length line longer than the 36 bytes a split line keeps is bad, in one piece or
	 * split (the old parser took the first 36 and ignored the rest: "12", 18 blanks and an x
	 * was 12; a CR as the 36th byte hid "junk"). 35 bytes and the CR pass (test_http_parse_clen). */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 12                  \r\n\r\n"
		     "aaaaaaaaaaaa",
		     0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 12                  x\r\n\r\n"
		     "aaaaaaaaaaaa",
		     0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 12                 x\r\n\r\n"
		     "aaaaaaaaaaaa",
		     0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1                  \rjunk\r\n\r\nz", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1                  jjunk\r\n\r\nz", 0, 0);
	/* a long Transfer-Encoding line */
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: "
		     "gzip, deflate, compress, chunked\r\n\r\nz",
		     0, 0);
}

/* Bytes of any value: a NUL is a byte like another (no string functions). */
static void
test_http_parse_nul(void **state)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nX-A: \0b\r\nContent-Length: 1\r\n\r\n\0";
	static const char cl[] = "HTTP/1.1 200 OK\r\nContent-Length: \0 1\r\n\r\nz";
	static const char st[] = "HTTP/1.1 2\0000 OK\r\nContent-Length: 1\r\n\r\nz";
	static const char nm[] = "HTTP/1.1 200 OK\r\nContent\0Length: 1\r\n\r\nz";
	static const char hi[] = "HTTP/1.1 200 OK\r\n\xc3ontent-Length: 1\r\n\xff\r\n"
				 "Content-Length: 1\r\n\r\nz";

	(void)state;
	pcl.expect_body = UINT32_MAX;
	expect_parse_n(ok, sizeof(ok) - 1, 1, 1);
	expect_parse_n(cl, sizeof(cl) - 1, 0, 0);
	expect_parse_n(st, sizeof(st) - 1, 0, 0);
	expect_parse_n(nm, sizeof(nm) - 1, 0, 0);
	expect_parse_n(hi, sizeof(hi) - 1, 1, 1);
}

/* Field names any case; nothing that merely looks alike under "| 0x20" taken for one. */
static void
test_http_parse_names(void **state)
{
	(void)state;
	pcl.expect_body = UINT32_MAX;
	expect_clen("HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh:7\r\n\r\n1234567", 7);
	expect_parse("HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 1\r\ntRANSFER-eNCODING: x\r\n\r\nz", 0, 0);
	/* CR | 0x20 is '-', SUB (0x1a) | 0x20 is ':', '@' | 0x20 is '`': none is a match */
	expect_parse("HTTP/1.1 200 OK\r\nContent\rLength: 1\r\n\r\nz", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length\x1a 1\r\n\r\nz", 0, 0);
	expect_clen("HTTP/1.1 200 OK\r\nTransfer\rEncoding: x\r\nContent-Length: 1\r\n\r\nz", 1);
	expect_clen("HTTP/1.1 200 OK\r\nTransfer-Encoding\x1a x\r\nContent-Length: 1\r\n\r\nz", 1);
	expect_clen("HTTP/1.1 200 OK\r\nTransfer-Encodin: x\r\nContent-Length: 1\r\n\r\nz", 1);
	expect_clen("HTTP/1.1 200 OK\r\nContent-Lengt: 5\r\nContent-Length: 1\r\n\r\nz", 1);
	expect_clen("HTTP/1.1 200 OK\r\nContent-Lengths: 5\r\nContent-Length: 1\r\n\r\nz", 1);
	expect_clen("HTTP/1.1 200 OK\r\nContent-Type: x\r\nContent-Length: 1\r\n\r\nz", 1);
	expect_clen("HTTP/1.1 200 OK\r\nCo\r\nT\r\nC\r\nContent-Length: 1\r\n\r\nz", 1);
	/* status lines: version, one blank, three digits; 200 only */
	expect_parse("HTTP/1.9 200\r\nContent-Length: 0\r\n\r\n", 1, 1);
	expect_parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 1, 1);
	expect_parse("HTTP/1.1 20\r\nContent-Length: 0\r\n\r\n", 0, 0);
	expect_parse("http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0);
	expect_parse("HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0);
	expect_parse("HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0);
	expect_parse("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", 0, 0);
	expect_parse("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", 0, 0);
}

/* Content-Length values: digits with optional blanks around, at most 10, below UINT32_MAX. */
static void
test_http_parse_clen(void **state)
{
	struct client_trace t;
	static const char big[] = "HTTP/1.1 200 OK\r\nContent-Length: 4294967294\r\n\r\nab";

	(void)state;
	pcl.expect_body = UINT32_MAX;
	expect_clen("HTTP/1.1 200 OK\r\nContent-Length: 00012\r\n\r\n0123456789ab", 12);
	expect_clen("HTTP/1.1 200 OK\r\nContent-Length: 0000000012\r\n\r\n0123456789ab", 12);
	expect_clen("HTTP/1.1 200 OK\r\nContent-Length:\t \t3\t \r\n\r\nabc", 3);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 00000000012\r\n\r\n0123456789ab", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: +12\r\n\r\n0123456789ab", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nz", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n0123456789ab", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n01234", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 0x1\r\n\r\nz", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 4294967295\r\n\r\nz", 0, 0);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 9999999999\r\n\r\nz", 0, 0);
	/* the longest Content-Length line: 35 bytes and its CR, or 36 and a bare LF (longer:
	 * test_http_parse_long) */
	expect_clen("HTTP/1.1 200 OK\r\nContent-Length: 12                 \r\n\r\n0123456789ab",
		    12);
	expect_clen("HTTP/1.1 200 OK\nContent-Length: 12                  \n\n0123456789ab", 12);
	/* the same length twice is one length; a different one is bad */
	expect_clen("HTTP/1.1 200 OK\r\nContent-Length: 1\r\ncontent-length: 001\r\n\r\nz", 1);
	expect_parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 0\r\n\r\nz", 0, 0);
	/* the largest length: the body is still being received */
	check_splits((const uint8_t *)big, sizeof(big) - 1, 1, &t);
	assert_false(t.bad);
	assert_int_equal(t.ncomplete, 0);
	assert_int_equal(t.r.phase, TCPD_HTTP_BODY);
	assert_int_equal(t.r.clen, 4294967294u);
	assert_int_equal(t.r.body_left, 4294967294u - 2);
}

/*
 * Real servers' responses: nginx 1.22 serving its default index.html (eight header lines in
 * nginx's order, written here, not captured, the date fixed; the 615-byte body), dperf 271ebe5's (src/http.c HTTP_RSP_FORMAT: Content-Length's value printed
 * "%11d", its default body), and dpdk-tcpd's own (tcpd_app_http_header: the cycle bench's, with
 * Connection: close, and the kept-alive one) with a 7-byte body.
 */
#define RSP_NGINX_HDR                                                                              \
	"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Tue, 01 Dec 2026 17:00:00 GMT\r\n"       \
	"Content-Type: text/html\r\nContent-Length: 615\r\n"                                       \
	"Last-Modified: Mon, 23 Oct 2023 15:48:29 GMT\r\nConnection: keep-alive\r\n"               \
	"ETag: \"653695cd-267\"\r\nAccept-Ranges: bytes\r\n\r\n"
#define RSP_DPERF                                                                                  \
	"HTTP/1.1 200 OK\r\nContent-Length:         14\r\nServer: dperf\r\n"                       \
	"Connection:keep-alive\r\n\r\nhello dperf!\r\n"

enum rsp_which {
	RSP_NGINX,
	RSP_DPERF_,
	RSP_TCPD_CLOSE,
	RSP_TCPD_KA
};

/* Response @p which in @p buf (room for 1,024 bytes). @return its length. */
static uint32_t
real_response(enum rsp_which which, char *buf)
{
	int n;

	switch (which) {
	case RSP_NGINX:
		n = (int)strlen(RSP_NGINX_HDR);
		memcpy(buf, RSP_NGINX_HDR, (size_t)n);
		memset(buf + n, 'x', 615);
		return (uint32_t)n + 615;
	case RSP_DPERF_:
		memcpy(buf, RSP_DPERF, sizeof(RSP_DPERF) - 1);
		return sizeof(RSP_DPERF) - 1;
	default:
		n = tcpd_app_http_header(buf, 1024, 7, which == RSP_TCPD_CLOSE);
		assert_true(n > 0 && n < 1024 - 7);
		memcpy(buf + n, "0123456", 7);
		return (uint32_t)n + 7;
	}
}

/* The real responses, whole, cut anywhere, a byte a segment, and two in a row. */
static void
test_http_parse_real(void **state)
{
	static const uint32_t clen[] = {615, 14, 7, 7};
	static char buf[2048];
	struct client_trace t;

	(void)state;
	pcl.expect_body = UINT32_MAX;
	for (int w = RSP_NGINX; w <= RSP_TCPD_KA; w++) {
		uint32_t len = real_response((enum rsp_which)w, buf);

		buf[len] = '\0';
		expect_clen(buf, clen[w]);
		memcpy(buf + len, buf, len);
		buf[2 * len] = '\0';
		check_splits((const uint8_t *)buf, 2 * len, 1, &t);
		assert_false(t.bad);
		assert_int_equal(t.ncomplete, 2);
		assert_int_equal(t.done_at[0], len);
		assert_int_equal(t.done_at[1], 2 * len);
	}
}

/*
 * The parser's cost per response, for callgrind: each response parsed COST_N times, from a new
 * record, in one segment, in a function of its own, e.g.
 *   valgrind --tool=callgrind --toggle-collect=cost_nginx build/tests/test_load
 * then tcpd_app_client_http_parse's inclusive count (callgrind_annotate --inclusive=yes) /
 * COST_N. Here it only checks the responses.
 */
#define COST_N 1000
#define COST_FN(name, which)                                                                       \
	static void __attribute__((noinline)) name(void)                                           \
	{                                                                                          \
		static char rsp[1024];                                                             \
		uint32_t len = real_response(which, rsp), good = 0;                                \
                                                                                                   \
		for (unsigned int i = 0; i < COST_N; i++) {                                        \
			struct tcpd_client_rec r;                                                  \
			int complete;                                                              \
                                                                                                   \
			tcpd_app_client_rec_init(&r);                                              \
			r.phase = TCPD_HTTP_STATUS;                                                \
			if (tcpd_app_client_http_parse(&pcl, &r, (const uint8_t *)rsp, len,        \
						       &complete) == len &&                        \
			    complete && !(r.flags & TCPD_CLIENT_F_BAD))                            \
				good++;                                                            \
		}                                                                                  \
		assert_int_equal(good, COST_N);                                                    \
	}
COST_FN(cost_nginx, RSP_NGINX)
COST_FN(cost_dperf, RSP_DPERF_)
COST_FN(cost_tcpd_close, RSP_TCPD_CLOSE)
COST_FN(cost_tcpd_ka, RSP_TCPD_KA)

static void
test_http_parse_cost(void **state)
{
	(void)state;
	pcl.expect_body = UINT32_MAX;
	cost_nginx();
	cost_dperf();
	cost_tcpd_close();
	cost_tcpd_ka();
}

static void
test_http_request(void **state)
{
	struct tcpd_app_client cl;
	char host[300];

	(void)state;
	memset(&cl, 0, sizeof(cl));
	assert_int_equal(tcpd_app_client_http_init(&cl, "198.18.0.1:80", "/"), 0);
	assert_string_equal(
		cl.req, "GET / HTTP/1.1\r\nHost: 198.18.0.1:80\r\nUser-Agent: dpdk-tcpd\r\n\r\n");
	assert_int_equal(cl.req_len, strlen(cl.req));
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	assert_int_equal(tcpd_app_client_http_init(&cl, host, "/"), -EINVAL);
}

/* ---- two endpoints ---- */
struct end {
	struct tcpd_iface ifc;
	struct tcpd_stats st;
	struct tcpd_tx tx;
	struct tcpd_tcp_ctx *tcp;
};

static struct end cli, srv;
static struct tcpd_config cfg;
static struct tcpd_cookie_store cookies;
static struct tcpd_load_shared sh;
static struct tcpd_load *ld;
static uint64_t now;
static int drop_to_srv;	  /* frames toward the server are lost (SYN timeouts) */
static int mute_srv_data; /* the server's data segments are lost (response timeouts) */

static void
end_init(struct end *e, uint32_t ip, uint8_t mac_last)
{
	struct tcpd_tcp_params prm = {
		.cfg = &cfg,
		.ifc = &e->ifc,
		.cookies = &cookies,
		.pool = pool,
		.stats = &e->st,
		.tx = &e->tx,
		.apps = tcpd_app_registry(),
		.socket_id = SOCKET_ID_ANY,
	};
	char name[16];

	memset(e, 0, sizeof(*e));
	e->ifc.mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, mac_last}};
	e->ifc.ip = rte_cpu_to_be_32(ip);
	e->ifc.mtu = 1500;
	tcpd_tx_init(&e->tx, 0, 0, &e->ifc, &e->st);
	snprintf(name, sizeof(name), "tl%u", seq_no++);
	prm.name = name;
	e->tcp = tcpd_tcp_ctx_create(&prm);
	assert_non_null(e->tcp);
}

/* Move what @from queued to @to: ARP requests answered on the way (as a worker does), replies
 * handed to the engine, TCP segments to @to's context. */
static void
deliver(struct end *from, struct end *to)
{
	struct rte_mbuf *seg_m[TCPD_TX_MAX];
	struct tcpd_pkt seg[TCPD_TX_MAX];
	unsigned int i, n = 0;

	for (i = 0; i < from->tx.n; i++) {
		struct rte_mbuf *m = from->tx.pkts[i];
		void *frame = rte_pktmbuf_mtod(m, void *);
		enum tcpd_stat reason;
		enum tcpd_net_class cls;
		const struct rte_tcp_hdr *th;

		cls = tcpd_net_parse(frame, m->data_len, &to->ifc, 0, &seg[n], &reason);
		if (cls == TCPD_NET_ARP) {
			struct end *back = from;
			struct tcpd_pkt p;

			m->data_len = (uint16_t)tcpd_net_arp_reply(frame, &to->ifc);
			assert_int_equal(
				tcpd_net_parse(frame, m->data_len, &back->ifc, 0, &p, &reason),
				TCPD_NET_ARP_REPLY);
			tcpd_load_arp_reply(ld, p.src_ip, tcpd_net_arp_sender_mac(frame));
			rte_pktmbuf_free(m);
			continue;
		}
		assert_int_equal(cls, TCPD_NET_TCP);
		th = (const struct rte_tcp_hdr *)((const uint8_t *)frame + seg[n].l4_off);
		if ((to == &srv && drop_to_srv) ||
		    (to == &cli && mute_srv_data && seg[n].payload_len > 0 &&
		     !(th->tcp_flags & RTE_TCP_SYN_FLAG))) {
			rte_pktmbuf_free(m);
			continue;
		}
		seg_m[n++] = m;
	}
	from->tx.n = 0;
	if (n)
		tcpd_tcp_input_burst(to->tcp, seg_m, seg, n, now);
}

/* TSC cycles spent on each side (the client: its TCP context, the engine and its application;
 * the server: its TCP context and services), frame moves excluded. */
static uint64_t cyc_cli, cyc_srv;

static void
deliver_timed(struct end *from, struct end *to)
{
	uint64_t t = rte_rdtsc();

	deliver(from, to);
	if (to == &cli)
		cyc_cli += rte_rdtsc() - t;
	else
		cyc_srv += rte_rdtsc() - t;
}

/* Run until the engine is done (or @max_ms of fake time), in steps of 100 us. */
static void
run(uint64_t max_ms)
{
	uint64_t end = now + max_ms * hz / 1000, step = hz / 10000;

	cyc_cli = cyc_srv = 0;
	while (!tcpd_load_done(ld) && now < end) {
		uint64_t t0;

		now += step;
		t0 = rte_rdtsc();
		tcpd_tcp_timers(cli.tcp, now);
		tcpd_load_poll(ld, now);
		cyc_cli += rte_rdtsc() - t0;
		t0 = rte_rdtsc();
		tcpd_tcp_timers(srv.tcp, now);
		cyc_srv += rte_rdtsc() - t0;
		deliver_timed(&cli, &srv);
		deliver_timed(&srv, &cli);
		deliver_timed(&cli, &srv);
	}
	assert_true(tcpd_load_done(ld));
}

static void
load_start(void)
{
	struct tcpd_load_params p;
	char err[256];

	end_init(&cli, CLI_IP, 3);
	end_init(&srv, SRV_IP, 1);
	tcpd_load_shared_init(&sh, &cfg, hz);
	memset(&p, 0, sizeof(p));
	p.sh = &sh;
	p.tcp = cli.tcp;
	p.tx = &cli.tx;
	p.pool = pool;
	p.ifc = &cli.ifc;
	p.wstats = &cli.st;
	p.idx = 0;
	p.nb = 1;
	p.nb_queues = 1;
	p.socket_id = SOCKET_ID_ANY;
	ld = tcpd_load_create(&p, err, sizeof(err));
	assert_non_null(ld);
	now = rte_rdtsc();
}

static void
load_stop(void)
{
	tcpd_tcp_ctx_free(cli.tcp);
	tcpd_tcp_ctx_free(srv.tcp);
	tcpd_load_free(ld);
	tcpd_tx_discard(&cli.tx);
	tcpd_tx_discard(&srv.tx);
	ld = NULL;
	drop_to_srv = mute_srv_data = 0;
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

static uint64_t
cnt(enum tcpd_load_counter i)
{
	return tcpd_load_stats(ld)->c[i];
}

static uint64_t
failed(enum tcpd_load_fail i)
{
	return tcpd_load_stats(ld)->fail[i];
}

static void
client_cfg(const char *connect, uint32_t cps, uint32_t duration)
{
	struct tcpd_client_config *cc = &cfg.client;
	const char *p = connect;

	memset(&cfg, 0, sizeof(cfg));
	cfg.ip = rte_cpu_to_be_32(CLI_IP);
	cfg.prefix_len = 15;
	cfg.mtu = 1500;
	cfg.max_conns = 4096;
	cfg.synq_limit = 1024;
	cfg.time_wait = 60;
	cfg.fin_wait2_timeout = 60;
	cfg.rto_retries = 2;
	cfg.orphan_retries = 2;
	cfg.http_body_size = 3000;
	cfg.rst_rate = 100000;
	cfg.tlp = true; /* the defaults (tcpd_config_defaults) */
	cfg.random_loss_ms = 2;
	cfg.challenge_ack_limit = 10;
	cfg.listen[0] = (struct tcpd_listen){80, TCPD_SVC_HTTP};
	cfg.listen[1] = (struct tcpd_listen){7, TCPD_SVC_ECHO};
	cfg.listen[2] = (struct tcpd_listen){9, TCPD_SVC_DISCARD};
	cfg.nb_listen = 3;
	cc->src_port_first = 10000;
	cc->src_port_last = 19999;
	cc->cps = cps;
	cc->duration = duration;
	cc->concurrency = 1000;
	cc->requests = 3;
	cc->drain = 5;
	cc->payload = 2500;
	cc->response_timeout = 2;
	cc->arp_timeout = 1;
	/* "PORT:APP,...": targets on the server's address */
	while (*p) {
		unsigned int port;
		char app[16];
		int n = 0;

		assert_int_equal(sscanf(p, "%u:%15[a-z]%n", &port, app, &n), 2);
		cc->target[cc->nb_targets].ip = rte_cpu_to_be_32(SRV_IP);
		cc->target[cc->nb_targets].port = (uint16_t)port;
		cc->target[cc->nb_targets].app = strcmp(app, "http") == 0   ? TCPD_SVC_HTTP
						 : strcmp(app, "echo") == 0 ? TCPD_SVC_ECHO
									    : TCPD_SVC_DISCARD;
		cc->nb_targets++;
		p += n;
		if (*p == ',')
			p++;
	}
}

static void
test_load_clean(void **state)
{
	(void)state;
	client_cfg("80:http,7:echo,9:discard", 300, 2);
	load_start();
	run(20000);
	assert_int_equal(cnt(TCPD_LOAD_scheduled), 600);
	assert_int_equal(cnt(TCPD_LOAD_attempted), 600);
	assert_int_equal(cnt(TCPD_LOAD_established), 600);
	assert_int_equal(cnt(TCPD_LOAD_completed), 600);
	assert_int_equal(cnt(TCPD_LOAD_failed), 0);
	assert_int_equal(cnt(TCPD_LOAD_refused), 0);
	/* http and echo: 3 responses each; discard: one (all acknowledged) */
	assert_int_equal(cnt(TCPD_LOAD_responses), 200 * 3 + 200 * 3 + 200);
	assert_int_equal(cnt(TCPD_LOAD_conc_syn_sent) + cnt(TCPD_LOAD_conc_established) +
				 cnt(TCPD_LOAD_conc_closing),
			 0);
	assert_int_equal(tcpd_load_lat(ld, TCPD_LOAD_LAT_connect)->count, 600);
	assert_int_equal(tcpd_load_lat(ld, TCPD_LOAD_LAT_response)->count, 1400);
	assert_int_equal(tcpd_load_lat(ld, TCPD_LOAD_LAT_first_byte)->count, 1200);
	/* the server's view */
	assert_int_equal(srv.st.c[TCPD_STAT_conn_opened], 600);
	assert_int_equal(srv.st.c[TCPD_STAT_http_requests], 600);
	assert_int_equal(srv.st.c[TCPD_STAT_data_rx_bytes], cnt(TCPD_LOAD_tx_payload));
	assert_int_equal(srv.st.c[TCPD_STAT_data_tx_bytes], cnt(TCPD_LOAD_rx_payload));
	/* echo: 200 x 3 x 2500 back; http: 600 responses of a header and 3000 bytes */
	assert_true(cnt(TCPD_LOAD_rx_payload) > 200 * 3 * 2500 + 600 * 3000);
	assert_int_equal(cli.st.c[TCPD_STAT_arp_tx], 1); /* answered at once */
	load_stop();
}

/* Not a check, a figure: cycles per connection on each side for one http request per connection
 * (a 100-byte body), the frame moves and their parsing included on the receiving side. The
 * polls of idle 100 us steps are in both figures; at this rate they are a small part. */
static void
test_load_cycles(void **state)
{
	unsigned int round;

	(void)state;
	/* Round 0 faults the contexts' memory in (--no-huge: first touches of the heap); round 1
	 * reuses it and is the figure. */
	for (round = 0; round < 2; round++) {
		client_cfg("80:http", 20000, 1);
		cfg.http_body_size = 100;
		cfg.client.requests = 1;
		cfg.client.concurrency = 20000;
		cfg.client.src_port_first = 1024;
		cfg.client.src_port_last = 65535;
		cfg.max_conns = 65536;
		load_start();
		run(20000);
		assert_int_equal(cnt(TCPD_LOAD_completed), 20000);
		if (round == 1)
			print_message("client mode, 20000 http connections (1 request, 100-byte "
				      "body): client %.0f cycles per connection, server %.0f (fake "
				      "clock, frames moved in memory)\n",
				      (double)cyc_cli / 20000, (double)cyc_srv / 20000);
		load_stop();
	}
}

static void
test_load_refused(void **state)
{
	(void)state;
	client_cfg("81:http", 100, 1); /* no listener: RST to every SYN */
	load_start();
	run(10000);
	assert_int_equal(cnt(TCPD_LOAD_attempted), 100);
	assert_int_equal(failed(TCPD_LOAD_FAIL_syn_rst), 100);
	assert_int_equal(cnt(TCPD_LOAD_failed), 100);
	assert_int_equal(cnt(TCPD_LOAD_completed), 0);
	load_stop();
}

static void
test_load_syn_timeout(void **state)
{
	(void)state;
	client_cfg("80:http", 50, 1);
	cfg.client.drain = 30;
	load_start();
	/* ARP first, then the server's link goes silent */
	while (__atomic_load_n(&sh.start_tsc, __ATOMIC_RELAXED) == 0) {
		now += hz / 10000;
		tcpd_load_poll(ld, now);
		deliver(&cli, &srv);
	}
	drop_to_srv = 1;
	run(60000);
	assert_int_equal(cnt(TCPD_LOAD_attempted), 50);
	/* 1 + 2 SYNs 1 s and 2 s apart, then 4 s: gone within the drain */
	assert_int_equal(failed(TCPD_LOAD_FAIL_syn_timeout), 50);
	assert_int_equal(cli.st.c[TCPD_STAT_syn_sent_timeout], 50);
	load_stop();
}

static void
test_load_response_timeout_and_cap(void **state)
{
	(void)state;
	client_cfg("80:http", 100, 1);
	cfg.client.concurrency = 30;
	cfg.rto_retries = 8; /* the server keeps retransmitting its response past our timeout */
	mute_srv_data = 1;   /* handshakes complete, responses never arrive */
	load_start();
	run(20000);
	assert_int_equal(cnt(TCPD_LOAD_scheduled), 100);
	/* 30 open at once, for the response timeout (2 s) while the schedule lasts 1 s */
	assert_int_equal(cnt(TCPD_LOAD_attempted), 30);
	assert_int_equal(cnt(TCPD_LOAD_refused_cap), 70);
	assert_int_equal(cnt(TCPD_LOAD_refused), 70);
	assert_int_equal(failed(TCPD_LOAD_FAIL_response_timeout), 30);
	assert_int_equal(cnt(TCPD_LOAD_failed), 30);
	load_stop();
}

static void
test_load_no_tuple_and_drain(void **state)
{
	(void)state;
	client_cfg("80:http", 100, 1);
	cfg.client.src_port_first = 10000;
	cfg.client.src_port_last = 10009; /* 10 tuples */
	cfg.client.drain = 1;
	cfg.client.response_timeout = 100;
	cfg.rto_retries = 8;
	mute_srv_data = 1;
	load_start();
	run(20000);
	assert_int_equal(cnt(TCPD_LOAD_attempted), 10);
	assert_int_equal(failed(TCPD_LOAD_FAIL_no_tuple), 90);
	/* still waiting for their responses when the drain ends: reset and counted */
	assert_int_equal(failed(TCPD_LOAD_FAIL_aborted), 10);
	assert_int_equal(cnt(TCPD_LOAD_failed), 100);
	load_stop();
}

static void
test_load_arp_timeout(void **state)
{
	(void)state;
	client_cfg("80:http", 100, 1);
	load_start();
	drop_to_srv = 1;
	while (!tcpd_load_done(ld)) {
		now += hz / 1000;
		tcpd_load_poll(ld, now);
		tcpd_tx_discard(&cli.tx); /* nobody hears the requests */
	}
	assert_int_equal(__atomic_load_n(&sh.arp_failed, __ATOMIC_RELAXED), 1);
	assert_int_equal(cnt(TCPD_LOAD_attempted), 0);
	/* one request every 200 ms for the 1 s --arp-timeout */
	assert_in_range(cli.st.c[TCPD_STAT_arp_tx], 5, 6);
	load_stop();
}

/* A SYN to port 80 of @ifc from the peer, with RSS hash @hash (flag set when @with_hash). */
static struct rte_mbuf *tcp_frame(const struct tcpd_iface *ifc, uint16_t sport, uint8_t flags,
				  uint32_t hash, int with_hash);

static struct rte_mbuf *
syn_frame(const struct tcpd_iface *ifc, uint16_t sport, uint32_t hash, int with_hash)
{
	return tcp_frame(ifc, sport, RTE_TCP_SYN_FLAG, hash, with_hash);
}

/* A segment from the client to port 80 with @p flags, SEG.SEQ 1000, SEG.ACK 0 (@p hash: RSS). */
static struct rte_mbuf *
tcp_frame(const struct tcpd_iface *ifc, uint16_t sport, uint8_t flags, uint32_t hash, int with_hash)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct tcpd_net_flow f = {0};
	struct tcpd_net_seg ns = {0};
	uint32_t len;

	assert_non_null(m);
	f.src_mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x09}};
	f.dst_mac = ifc->mac;
	f.src_ip = rte_cpu_to_be_32(CLI_IP);
	f.dst_ip = ifc->ip;
	f.src_port = rte_cpu_to_be_16(sport);
	f.dst_port = rte_cpu_to_be_16(80);
	ns.seq = 1000;
	ns.win = 65535;
	ns.flags = flags;
	len = tcpd_net_build_tcp(rte_pktmbuf_mtod(m, void *), &f, &ns, NULL, 0, ifc, NULL);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	if (with_hash) {
		m->hash.rss = hash;
		m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
	}
	return m;
}

/* Two workers, RETA round robin over 2 queues: a segment whose hash names the other queue goes
 * through that worker's ring, is processed there (its SYN-ACK leaves from there), counted. */
static void
test_redirect(void **state)
{
	static uint16_t reta[128];
	struct tcpd_worker *w[2];
	struct tcpd_iface ifc = {0};
	struct rte_mbuf *m;
	unsigned int i;

	(void)state;
	client_cfg("80:http", 1, 1);
	ifc.mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x01}};
	ifc.ip = rte_cpu_to_be_32(SRV_IP);
	ifc.mtu = 1500;
	for (i = 0; i < 128; i++)
		reta[i] = (uint16_t)(i % 2);
	for (i = 0; i < 2; i++) {
		char name[16];

		snprintf(name, sizeof(name), "tr%u_%u", seq_no++, i);
		w[i] = tfx_worker_create(&cfg, &ifc, &cookies, pool, 0, (uint16_t)i, name);
	}
	assert_int_equal(tcpd_worker_redirect_setup(w, 2, reta, 128), 0);
	now = rte_rdtsc();
	/* hash 7: RETA[7] = queue 1, arriving on queue 0 */
	m = syn_frame(&ifc, 40000, 7, 1);
	tcpd_worker_process(w[0], &m, 1, now);
	assert_int_equal(w[0]->stats.c[TCPD_STAT_redirect_tx], 1);
	assert_int_equal(w[0]->stats.c[TCPD_STAT_syn_rx], 0);
	assert_int_equal(w[0]->tx.n, 0);
	tcpd_worker_redirect_drain(w[1], now);
	assert_int_equal(w[1]->stats.c[TCPD_STAT_redirect_rx], 1);
	assert_int_equal(w[1]->stats.c[TCPD_STAT_syn_rx], 1);
	assert_int_equal(w[1]->tx.n, 1); /* the SYN-ACK, from the owner */
	/* hash 8: queue 0, its own; no hash at all: processed where it arrived */
	m = syn_frame(&ifc, 40001, 8, 1);
	tcpd_worker_process(w[0], &m, 1, now);
	m = syn_frame(&ifc, 40002, 7, 0);
	tcpd_worker_process(w[0], &m, 1, now);
	assert_int_equal(w[0]->stats.c[TCPD_STAT_redirect_tx], 1);
	assert_int_equal(w[0]->stats.c[TCPD_STAT_syn_rx], 2);
	assert_int_equal(w[0]->tx.n, 2);
	/* a frame left in a ring is freed with its worker */
	m = syn_frame(&ifc, 40003, 9, 1);
	tcpd_worker_process(w[0], &m, 1, now);
	assert_int_equal(w[0]->stats.c[TCPD_STAT_redirect_tx], 2);
	for (i = 0; i < 2; i++)
		tcpd_worker_free(w[i]);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

/* A worker on @p port with cfg, named afresh (table names are global). */
static struct tcpd_worker *
ring_worker(const struct tcpd_iface *ifc, uint16_t port)
{
	static volatile bool quit;
	struct tcpd_worker *w;
	char name[16];

	snprintf(name, sizeof(name), "tb%u", seq_no++);
	w = tcpd_worker_create(&(struct tcpd_worker_params){.cfg = &cfg,
							    .ifc = ifc,
							    .cookies = &cookies,
							    .pool = pool,
							    .port_id = port,
							    .socket_id = SOCKET_ID_ANY,
							    .quit = &quit,
							    .name = name});
	assert_non_null(w);
	return w;
}

/* A started net_ring port named @p name over two rings of @p size slots (*@p rx, *@p tx).
 * @return its port id */
static int
ring_port(const char *name, unsigned int size, struct rte_ring **rx, struct rte_ring **tx)
{
	struct rte_eth_conf conf = {0};
	char rn[RTE_RING_NAMESIZE];
	int port;

	snprintf(rn, sizeof(rn), "%s_rx", name);
	*rx = rte_ring_create(rn, size, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(rn, sizeof(rn), "%s_tx", name);
	*tx = rte_ring_create(rn, size, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_true(*rx != NULL && *tx != NULL);
	snprintf(rn, sizeof(rn), "net_%s", name);
	port = rte_eth_from_rings(rn, rx, 1, tx, 1, SOCKET_ID_ANY);
	assert_true(port >= 0);
	assert_int_equal(rte_eth_dev_configure((uint16_t)port, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup((uint16_t)port, 0, (uint16_t)size, SOCKET_ID_ANY,
						NULL, pool),
			 0);
	assert_int_equal(
		rte_eth_tx_queue_setup((uint16_t)port, 0, (uint16_t)size, SOCKET_ID_ANY, NULL), 0);
	assert_int_equal(rte_eth_dev_start((uint16_t)port), 0);
	return port;
}

/* Stop and close ring_port's port, free its rings; no mbuf may be left. */
static void
ring_port_close(int port, struct rte_ring *rx, struct rte_ring *tx)
{
	assert_int_equal(rte_eth_dev_stop((uint16_t)port), 0);
	rte_eth_dev_close((uint16_t)port);
	rte_ring_free(rx);
	rte_ring_free(tx);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

/* The busy share (TCPD_STAT_busy_cycles, as dperf's cpuUsage) over a net_ring port: the
 * iteration that received a SYN (and sent its SYN-ACK) is busy up to the next RX burst; polls of
 * an empty ring add nothing. */
static void
test_busy_cycles(void **state)
{
	struct rte_ring *rx, *tx;
	struct tcpd_iface ifc = {0};
	struct rte_mbuf *m, *out[4];
	struct tcpd_worker *w;
	uint64_t busy, stalls, slow;
	int port, i;

	(void)state;
	client_cfg("80:http", 1, 1);
	ifc.mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x01}};
	ifc.ip = rte_cpu_to_be_32(SRV_IP);
	ifc.mtu = 1500;
	port = ring_port("busy", 64, &rx, &tx);
	w = ring_worker(&ifc, (uint16_t)port);
	tcpd_worker_poll(w);
	tcpd_worker_poll(w);
	assert_int_equal(w->stats.c[TCPD_STAT_busy_cycles], 0);
	m = syn_frame(&ifc, 40000, 0, 0);
	assert_int_equal(rte_ring_enqueue(rx, m), 0);
	assert_int_equal(tcpd_worker_poll(w), 1);
	assert_int_equal(w->stats.c[TCPD_STAT_busy_cycles], 0); /* counted at the next burst */
	assert_int_equal(tcpd_worker_poll(w), 0);
	busy = w->stats.c[TCPD_STAT_busy_cycles];
	assert_true(busy > 0);
	tcpd_worker_poll(w);
	tcpd_worker_poll(w);
	assert_int_equal(w->stats.c[TCPD_STAT_busy_cycles], busy);
	/* The stall profile counts an iteration by its length when the burst after it brought
	 * packets (they waited that long): 1.5 ms before an empty burst is no stall; 1.5 ms before
	 * a SYN is one above 100 us and 1 ms (a lower bound: a preempted test only adds). */
	stalls = w->stats.c[TCPD_STAT_stall_100us];
	rte_delay_us_block(1500);
	assert_int_equal(tcpd_worker_poll(w), 0);
	assert_int_equal(w->stats.c[TCPD_STAT_stall_100us], stalls);
	assert_int_equal(rte_ring_enqueue(rx, syn_frame(&ifc, 40001, 0, 0)), 0);
	rte_delay_us_block(1500);
	assert_int_equal(tcpd_worker_poll(w), 1);
	assert_int_equal(w->stats.c[TCPD_STAT_stall_100us], stalls + 1);
	assert_true(w->stats.c[TCPD_STAT_stall_1ms] >= 1);
	assert_true(w->stats.c[TCPD_STAT_stall_1ms] <= w->stats.c[TCPD_STAT_stall_100us]);
	assert_true(w->stats.c[TCPD_STAT_stall_10ms] <= w->stats.c[TCPD_STAT_stall_1ms]);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_rx], 2);
	assert_int_equal(w->stats.c[TCPD_STAT_slowdown_cycles], 0); /* no --cpu-slowdown */
	assert_int_equal(rte_ring_dequeue_burst(tx, (void **)out, 4, NULL), 2); /* the SYN-ACKs */
	rte_pktmbuf_free(out[0]);
	rte_pktmbuf_free(out[1]);
	tcpd_worker_free(w);

	/* --cpu-slowdown 3: the iteration that answers 3 SYNs waits twice its own length, inside
	 * the busy iteration (busy counts the wait and the work); the SYN-ACKs still go out; an
	 * empty poll waits nothing. */
	cfg.cpu_slowdown = 3;
	w = ring_worker(&ifc, (uint16_t)port);
	tcpd_worker_poll(w);
	for (i = 0; i < 3; i++)
		assert_int_equal(rte_ring_enqueue(rx, syn_frame(&ifc, 40010 + i, 0, 0)), 0);
	assert_int_equal(tcpd_worker_poll(w), 3);
	slow = w->stats.c[TCPD_STAT_slowdown_cycles];
	assert_true(slow > 0);
	assert_int_equal(tcpd_worker_poll(w), 0);
	assert_int_equal(w->stats.c[TCPD_STAT_slowdown_cycles], slow);
	assert_true(w->stats.c[TCPD_STAT_busy_cycles] > slow);
	assert_int_equal(rte_ring_dequeue_burst(tx, (void **)out, 4, NULL), 3);
	for (i = 0; i < 3; i++)
		rte_pktmbuf_free(out[i]);
	tcpd_worker_free(w);
	ring_port_close(port, rx, tx);
}

/* Drain @p tx, freeing what the worker sent. @return how many frames */
static unsigned int
drain_tx(struct rte_ring *tx)
{
	struct rte_mbuf *out[64];
	unsigned int n, total = 0;

	while ((n = rte_ring_dequeue_burst(tx, (void **)out, RTE_DIM(out), NULL)) != 0) {
		rte_pktmbuf_free_bulk(out, n);
		total += n;
	}
	return total;
}

/* Enqueue @p n SYNs from ports @p sport on (@p bad_cksum: their TCP checksum broken). */
static void
put_syns(const struct tcpd_iface *ifc, struct rte_ring *rx, uint16_t sport, unsigned int n,
	 int bad_cksum)
{
	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = syn_frame(ifc, (uint16_t)(sport + i), 0, 0);

		if (bad_cksum)
			rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 20 + 16)[0] ^= 0xff;
		assert_int_equal(rte_ring_enqueue(rx, m), 0);
	}
}

/* Admission control limited with room for @p syns SYNs, for as long as the test runs (no
 * interval ends, no handshake completes to refill it). */
static void
shed_limited(struct tcpd_worker *w, uint32_t syns)
{
	w->shed.limited = 1;
	w->shed.tokens = syns * TCPD_SHED_Q;
	w->shed.next = UINT64_MAX;
}

/* --rx-deep: a poll whose first burst is full reads on, burst by burst, up to TCPD_RX_DEEP
 * frames (all of them: rx_backlog), and processes them a burst at a time; the frames after are
 * the next poll's. Off: one burst a poll. With SYN admission control limiting (syn_shed), a deep
 * poll's SYNs beyond the bucket are dropped before parsing (a broken checksum is not even seen),
 * or refused with <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK> (--syn-shed-refuse), as in a poll that is
 * not deep after parsing. */
static void
test_rx_deep(void **state)
{
	struct rte_ring *rx, *tx;
	struct tcpd_iface ifc = {0};
	struct tcpd_worker *w;
	struct rte_mbuf *r = NULL;
	const struct rte_tcp_hdr *th;
	unsigned int i;
	int port;

	(void)state;
	client_cfg("80:http", 1, 1);
	cfg.max_conns = 8192;
	cfg.synq_limit = 8192;
	ifc.mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x01}};
	ifc.ip = rte_cpu_to_be_32(SRV_IP);
	ifc.mtu = 1500;
	port = ring_port("deep", 1024, &rx, &tx);
	cfg.rx_deep = true;
	w = ring_worker(&ifc, (uint16_t)port);

	/* one frame short of a backlog */
	put_syns(&ifc, rx, 20000, TCPD_RX_DEEP - 1, 0);
	assert_int_equal(tcpd_worker_poll(w), TCPD_RX_DEEP - 1);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_rx], TCPD_RX_DEEP - 1);
	assert_int_equal(w->stats.c[TCPD_STAT_rx_backlog], 0);
	assert_int_equal(drain_tx(tx), TCPD_RX_DEEP - 1);

	/* 300 waiting, SYNs and bare ACKs (no connection: each draws a RST): 256, then 44; not
	 * limited, every SYN answered */
	for (i = 0; i < 300; i++)
		assert_int_equal(
			rte_ring_enqueue(rx, tcp_frame(&ifc, (uint16_t)(30000 + i),
						       i % 2 ? RTE_TCP_ACK_FLAG : RTE_TCP_SYN_FLAG,
						       0, 0)),
			0);
	assert_int_equal(tcpd_worker_poll(w), TCPD_RX_DEEP);
	assert_int_equal(w->stats.c[TCPD_STAT_rx_backlog], 1);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_rx], TCPD_RX_DEEP - 1 + TCPD_RX_DEEP / 2);
	assert_int_equal(w->stats.c[TCPD_STAT_rst_tx], TCPD_RX_DEEP / 2);
	assert_int_equal(tcpd_worker_poll(w), 300 - TCPD_RX_DEEP);
	assert_int_equal(w->stats.c[TCPD_STAT_rx_backlog], 1);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_rx], TCPD_RX_DEEP - 1 + 150);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_shed], 0);
	assert_int_equal(drain_tx(tx), 300);
	assert_int_equal(w->stats.c[TCPD_STAT_rx_pkts], TCPD_RX_DEEP - 1 + 300);

	/* limited, room for 4, SYNs with a broken checksum: the first burst is parsed (32 dropped
	 * for their checksum before admission), then the bursts read on: their first 4 SYNs
	 * admitted (then dropped for their checksum), the other 220 shed before parsing */
	shed_limited(w, 4);
	put_syns(&ifc, rx, 40000, TCPD_RX_DEEP, 1);
	assert_int_equal(tcpd_worker_poll(w), TCPD_RX_DEEP);
	assert_int_equal(w->stats.c[TCPD_STAT_rx_backlog], 2);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_shed], TCPD_RX_DEEP - TCPD_RX_BURST - 4);
	assert_int_equal(w->stats.c[TCPD_STAT_drop_tcp_cksum], TCPD_RX_BURST + 4);
	assert_int_equal(drain_tx(tx), 0);
	tcpd_worker_free(w);

	/* --syn-shed-refuse, room for 2: 2 SYN-ACKs, 254 refusals (the first burst's after
	 * parsing, the others' before); then a poll of 10: refused after parsing */
	cfg.syn_shed_refuse = true;
	w = ring_worker(&ifc, (uint16_t)port);
	shed_limited(w, 2);
	put_syns(&ifc, rx, 50000, TCPD_RX_DEEP, 0);
	assert_int_equal(tcpd_worker_poll(w), TCPD_RX_DEEP);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_shed_refused], TCPD_RX_DEEP - 2);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_shed], 0);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_rx], 2);
	assert_int_equal(w->stats.c[TCPD_STAT_rst_tx], TCPD_RX_DEEP - 2);
	/* refusals go out at once, the SYN-ACKs after their burst's TCP input */
	assert_int_equal(rte_ring_dequeue(tx, (void **)&r), 0);
	th = rte_pktmbuf_mtod_offset(r, const struct rte_tcp_hdr *,
				     sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr));
	assert_int_equal(th->tcp_flags, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG);
	assert_int_equal(rte_be_to_cpu_32(th->sent_seq), 0);
	assert_int_equal(rte_be_to_cpu_32(th->recv_ack), 1001);
	assert_int_equal(rte_be_to_cpu_16(th->dst_port), 50002);
	rte_pktmbuf_free(r);
	assert_int_equal(drain_tx(tx), TCPD_RX_DEEP - 1);
	put_syns(&ifc, rx, 60000, 10, 0);
	assert_int_equal(tcpd_worker_poll(w), 10);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_shed_refused], TCPD_RX_DEEP - 2 + 10);
	assert_int_equal(drain_tx(tx), 10);
	tcpd_worker_free(w);
	cfg.syn_shed_refuse = false;

	/* off: one burst a poll */
	cfg.rx_deep = false;
	w = ring_worker(&ifc, (uint16_t)port);
	put_syns(&ifc, rx, 61000, 300, 0);
	assert_int_equal(tcpd_worker_poll(w), TCPD_RX_BURST);
	for (i = TCPD_RX_BURST; i < 300; i += TCPD_RX_BURST)
		tcpd_worker_poll(w);
	assert_int_equal(w->stats.c[TCPD_STAT_syn_rx], 300);
	assert_int_equal(w->stats.c[TCPD_STAT_rx_backlog], 0);
	assert_int_equal(drain_tx(tx), 300);
	tcpd_worker_free(w);
	ring_port_close(port, rx, tx);
}

static int
group_setup(void **state)
{
	(void)state;
	if (tfx_eal_init("load", "error") < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("tl_pool", 16383, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	hz = rte_get_tsc_hz();
	return tcpd_cookie_store_init(&cookies, NULL, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_parse),
		cmocka_unit_test(test_http_parse_server),
		cmocka_unit_test(test_http_parse_crlf),
		cmocka_unit_test(test_http_parse_fold),
		cmocka_unit_test(test_http_parse_long),
		cmocka_unit_test(test_http_parse_nul),
		cmocka_unit_test(test_http_parse_names),
		cmocka_unit_test(test_http_parse_clen),
		cmocka_unit_test(test_http_parse_real),
		cmocka_unit_test(test_http_parse_cost),
		cmocka_unit_test(test_http_request),
		cmocka_unit_test(test_load_clean),
		cmocka_unit_test(test_load_cycles),
		cmocka_unit_test(test_load_refused),
		cmocka_unit_test(test_load_syn_timeout),
		cmocka_unit_test(test_load_response_timeout_and_cap),
		cmocka_unit_test(test_load_no_tuple_and_drain),
		cmocka_unit_test(test_load_arp_timeout),
		cmocka_unit_test(test_redirect),
		cmocka_unit_test(test_busy_cycles),
		cmocka_unit_test(test_rx_deep),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
