/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.1: every request (headers ending in "\r\n\r\n") is answered with "200 OK" and
 * cfg->http_body_size bytes of tcpd_tcp_http_body_byte(). Keep-alive by default; a request with a
 * "Connection: close" header (name and tokens case-insensitive, "close" anywhere in the list)
 * gets the closing response C, then our FIN. Request bodies are not supported (GET/HEAD style
 * requests only). HTTP/1.0 (RFC 9112 9.3, the version from the request line): closed after the
 * response (C) unless the request says "Connection: keep-alive"; then the response K says
 * "Connection: keep-alive" too.
 *
 * No buffer at all: the stream we send is k copies of one keep-alive response, R (HTTP/1.1) or K
 * (chosen by the first request: HTTP/1.0 with keep-alive), optionally followed by one C, so any
 * byte can be regenerated for (re)transmission from its sequence number. An HTTP/1.0 keep-alive
 * request on an R connection gets C. The request parser is a byte-at-a-time matcher whose state
 * lives in app_state, so requests split across segments anywhere are recognised.
 */
#include <stdio.h>
#include <string.h>

#include "tcp_internal.h"

/* app_state layout (bit 31 is TCP_APP_FIN). */
#define H_CRLF_MASK 0x7u /* bytes of "\r\n\r\n" matched, 0..3 */
#define H_HM_SHIFT  3	 /* header matcher, see below */
#define H_HM_MASK   (0x1fu << 3)
#define H_REQ_CLOSE (1u << 8)  /* this request asked for Connection: close */
#define H_CLOSEQ    (1u << 9)  /* C is queued: requests after it are ignored */
#define H_REQ_KA    (1u << 10) /* this request asked for Connection: keep-alive */
#define H_V10	    (1u << 11) /* this request is HTTP/1.0 */
#define H_HDRS	    (1u << 12) /* past this request's request line */
#define H_KMODE	    (1u << 13) /* the keep-alive responses are K, not R */
#define H_VM_SHIFT  14	       /* bytes of "HTTP/1.0" matched in the request line, 0..8 */
#define H_VM_MASK   (0xfu << 14)

/*
 * Header matcher values: 0 = this line cannot match; 1 + k = k bytes of "connection:" matched
 * at the start of a line (1: at line start); HM_VALUE: before a token of the value (optional
 * whitespace, commas); HM_VALUE + k = k bytes of "close" matched (HM_CLOSE: all, a delimiter
 * must follow); HM_CLOSE + k = k bytes of "keep-alive" (HM_KA: all); HM_SKIP: inside another
 * token, until the next comma.
 */
#define HM_LINE	 1
#define HM_VALUE 12
#define HM_CLOSE 17
#define HM_KA	 27
#define HM_SKIP	 28

static const char hname[] = "connection:";
static const char hclose[] = "close";
static const char hka[] = "keep-alive";
static const char hver[] = "HTTP/1.0"; /* RFC 9112 2.3: case-sensitive */

/* Twice the 64-byte body period, so any 64-byte run is one memcpy. */
static uint8_t body_pat[128];

static inline uint8_t
lower(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (uint8_t)(ch + 32) : ch;
}

uint32_t
tcp_http_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, const uint8_t *data, uint32_t len)
{
	uint32_t st = c->app_state;
	uint32_t crlf = st & H_CRLF_MASK;
	uint32_t hm = (st & H_HM_MASK) >> H_HM_SHIFT;
	uint32_t vm = (st & H_VM_MASK) >> H_VM_SHIFT;
	uint32_t i;

	if (st & H_CLOSEQ)
		return len; /* closing: acknowledged and ignored */
	for (i = 0; i < len; i++) {
		uint8_t ch;

		if (hm == 0 && crlf == 0 && (st & H_HDRS)) {
			/* Inside a line that cannot match: only CR or LF change the state, so skip to
			 * the next one (most of a request's bytes; halves the parser's cost). */
			while (i < len && data[i] != '\r' && data[i] != '\n')
				i++;
			if (i == len)
				break;
		}
		ch = data[i];
		if (!(st & H_HDRS)) {
			/* The request line: does it end with "HTTP/1.0"? */
			if (ch == '\r' || ch == '\n') {
				if (vm == sizeof(hver) - 1)
					st |= H_V10;
				vm = 0;
				if (ch == '\n')
					st |= H_HDRS;
			} else if (vm < sizeof(hver) - 1 && ch == (uint8_t)hver[vm]) {
				vm++;
			} else {
				vm = ch == (uint8_t)hver[0];
			}
		}
		if (ch == '\n') {
			hm = HM_LINE;
		} else if (hm != 0) {
			uint8_t lc = lower(ch);

			if (hm < HM_VALUE) {
				hm = lc == (uint8_t)hname[hm - 1] ? hm + 1 : 0;
			} else if (hm == HM_VALUE) {
				if (lc == (uint8_t)hclose[0])
					hm = HM_VALUE + 1;
				else if (lc == (uint8_t)hka[0])
					hm = HM_CLOSE + 1;
				else if (ch != ' ' && ch != '\t' && ch != ',')
					hm = HM_SKIP;
			} else if (hm < HM_CLOSE) {
				hm = lc == (uint8_t)hclose[hm - HM_VALUE] ? hm + 1 : HM_SKIP;
			} else if (hm > HM_CLOSE && hm < HM_KA) {
				hm = lc == (uint8_t)hka[hm - HM_CLOSE] ? hm + 1 : HM_SKIP;
			} else if (hm != HM_SKIP) {
				/* A whole token: it counts if a delimiter follows. */
				if (ch == '\r' || ch == ' ' || ch == '\t' || ch == ',')
					st |= hm == HM_CLOSE ? H_REQ_CLOSE : H_REQ_KA;
				hm = ch == ',' ? HM_VALUE : HM_SKIP;
			} else if (ch == ',') {
				hm = HM_VALUE;
			}
		}
		if (ch == '\r') {
			crlf = crlf == 2 ? 3 : 1;
		} else if (ch == '\n' && (crlf == 1 || crlf == 3)) {
			if (crlf == 1) {
				crlf = 2;
				continue;
			}
			/* End of a request. HTTP/1.0 stays open only with keep-alive, and only on a
			 * connection whose responses are K (decided by its first request). Past
			 * 2^31 bytes of responses the sequence offset used to regenerate them could
			 * wrap: close gracefully instead. */
			unsigned int rk;
			int close;

			if (c->app_end == c->iss + 1 &&
			    (st & (H_V10 | H_REQ_KA | H_REQ_CLOSE)) == (H_V10 | H_REQ_KA))
				st |= H_KMODE;
			rk = (st & H_KMODE) ? 2 : 0;
			close = (st & H_REQ_CLOSE) ||
				((st & H_V10) &&
				 (st & (H_REQ_KA | H_KMODE)) != (H_REQ_KA | H_KMODE)) ||
				(c->app_end - (c->iss + 1)) >
					0x7fffffffu - ctx->http_len[rk] - ctx->http_len[1];

			crlf = 0;
			hm = HM_LINE;
			vm = 0;
			st &= ~(H_REQ_CLOSE | H_REQ_KA | H_V10 | H_HDRS);
			c->app_end += ctx->http_len[close ? 1 : rk];
			tcp_inc(ctx, TCPD_STAT_http_requests);
			if (close) {
				st |= H_CLOSEQ | TCP_APP_FIN;
				i = len; /* the rest is ignored */
				break;
			}
			if (tcp_app_unacked(c) > TCP_HTTP_MAX_OUTSTANDING) {
				/* The client is not reading: stop consuming (not acknowledged,
				 * it will come again) until responses are acknowledged. */
				i++;
				break;
			}
		} else {
			crlf = 0;
		}
	}
	c->app_state = (st & ~(H_CRLF_MASK | H_HM_MASK | H_VM_MASK)) | crlf | (hm << H_HM_SHIFT) |
		       (vm << H_VM_SHIFT);
	return i;
}

static int
http_header(char *buf, size_t len, uint32_t body_size, const char *connection)
{
	return snprintf(buf, len,
			"HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: text/plain\r\n"
			"Content-Length: %u\r\n%s\r\n",
			body_size, connection);
}

int
tcpd_tcp_http_header(char *buf, size_t len, uint32_t body_size, bool close)
{
	return http_header(buf, len, body_size, close ? "Connection: close\r\n" : "");
}

/* Copy @n bytes of response @which from offset @r. */
static void
copy_resp(const struct tcpd_tcp_ctx *ctx, unsigned int which, uint32_t r, uint8_t *dst, uint32_t n)
{
	uint32_t hlen = ctx->http_hlen[which];

	if (r < hlen) {
		uint32_t k = RTE_MIN(n, hlen - r);

		memcpy(dst, ctx->http_hdr[which] + r, k);
		dst += k;
		n -= k;
		r += k;
	}
	r -= hlen;
	while (n) {
		uint32_t k = RTE_MIN(n, 64u);

		memcpy(dst, body_pat + (r & 63), k);
		dst += k;
		n -= k;
		r += k;
	}
}

void
tcp_http_fill(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn *c, uint8_t *dst, uint32_t seq,
	      uint32_t len)
{
	unsigned int rk = (c->app_state & H_KMODE) ? 2 : 0;
	uint32_t rlen = ctx->http_len[rk];
	int closeq = (c->app_state & H_CLOSEQ) != 0;
	uint32_t c_start = c->app_end - ctx->http_len[1];

	while (len) {
		uint32_t r, n;
		unsigned int which;

		if (closeq && seq_ge(seq, c_start)) {
			which = 1;
			r = seq - c_start;
			n = ctx->http_len[1] - r;
		} else {
			uint32_t o = seq - (c->iss + 1);

			which = rk;
			/* One division only past the first response. */
			r = o < rlen ? o : o % rlen;
			n = rlen - r;
			if (closeq && n > c_start - seq)
				n = c_start - seq;
		}
		if (n > len)
			n = len;
		copy_resp(ctx, which, r, dst, n);
		dst += n;
		seq += n;
		len -= n;
	}
}

void
tcp_http_init(struct tcpd_tcp_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < sizeof(body_pat); i++)
		body_pat[i] = tcpd_tcp_http_body_byte(i);
	for (i = 0; i < 3; i++) {
		static const char *const conn[3] = {"", "Connection: close\r\n",
						    "Connection: keep-alive\r\n"};
		int n = http_header(ctx->http_hdr[i], sizeof(ctx->http_hdr[i]),
				    ctx->cfg->http_body_size, conn[i]);

		ctx->http_hlen[i] = (uint16_t)n;
		ctx->http_len[i] = (uint32_t)n + ctx->cfg->http_body_size;
	}
}
