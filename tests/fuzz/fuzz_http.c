/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target 3: the HTTP request parser of the http service, fed a request stream whole and split at
 * arbitrary points (as TCP may deliver it), with the peer acknowledging every response.
 *
 * Input: byte 0 bits 0-1 body size; byte 1 = k, the number of split points; k bytes of chunk
 * lengths (1..256); the rest is the stream. Checked:
 *  - split anywhere, the parser answers the same requests with the same responses and closes at
 *    the same point as when it gets the stream in one piece; it consumes everything it is given
 *    (the stop at TCP_HTTP_MAX_OUTSTANDING bytes unacknowledged is retried, as TCP would);
 *  - against a plain reference: a request ends at each "\r\n\r\n"; a line starting with
 *    "Connection:" (any case), optional blanks, then "close" and one of CR, SP, HTAB or ','
 *    closes after that request's response; nothing after it is answered;
 *  - RFC 9112 9.3 (issue 11 item 1, tag http10): a request whose line is "METHOD TARGET
 *    HTTP/1.0" and that has no Connection header is answered and then closed.
 *
 * The same stream is also a response stream for the http client's parser
 * (tcpd_app_client_http_parse; byte 0 bit 2: Content-Length must be the body size above, bit 3:
 * after a response the next request goes out, else any further byte is bad), fed whole, at the
 * same split points and a byte a segment (streams up to 2 KiB). Checked: every split
 * decides as the whole stream (responses completed at the same offsets with the same lengths, the
 * same verdict, the same state left), and each feeding agrees call for call with the old byte
 * parser kept in client_http_ref.h.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_http_ref.h"
#include "fuzz_common.h"
#include "fuzz_worker.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_http *hp[4];
static const uint32_t bodies[4] = {64, 0, 1000, 300000};

static void
free_parsers(void)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		fuzz_http_free(hp[i]);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned int i;

	(void)argc;
	fuzz_eal_init((*argv)[0]);
	for (i = 0; i < 4; i++)
		hp[i] = fuzz_http_create(bodies[i]);
	atexit(free_parsers);
	return 0;
}

/* Feed @p len bytes until consumed (the parser may pause while responses are unacknowledged). */
static void
feed_all(struct fuzz_http *h, const uint8_t *d, uint32_t len)
{
	unsigned int guard = 0;

	while (len > 0) {
		uint32_t used = fuzz_http_feed(h, d, len);

		FUZZ_CHECK(used <= len, "", "consumed %u of %u", used, len);
		FUZZ_CHECK(used > 0 || fuzz_http_closing(h), "", "parser consumes nothing");
		if (fuzz_http_closing(h))
			FUZZ_CHECK(used == len, "", "closing, yet %u of %u bytes not acknowledged",
				   len - used, len);
		d += used;
		len -= used;
		FUZZ_CHECK(++guard < 100000, "", "parser loops");
	}
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool
prefix_ci(const uint8_t *d, size_t n, const char *s)
{
	size_t i, k = strlen(s);

	if (n < k)
		return false;
	for (i = 0; i < k; i++)
		if (lower(d[i]) != s[i])
			return false;
	return true;
}

/* The line at @p d (after a LF) asks for Connection: close. */
static bool
close_line(const uint8_t *d, size_t n)
{
	size_t i = 11;

	if (!prefix_ci(d, n, "connection:"))
		return false;
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	if (!prefix_ci(d + i, n - i, "close"))
		return false;
	i += 5;
	return i < n && (d[i] == '\r' || d[i] == ' ' || d[i] == '\t' || d[i] == ',');
}

/* "METHOD TARGET HTTP/1.0\r\n" with METHOD in A-Z and TARGET without blanks or controls. */
static bool
http10_line(const uint8_t *d, size_t n)
{
	size_t i = 0, t;

	while (i < n && d[i] >= 'A' && d[i] <= 'Z')
		i++;
	if (i == 0 || i >= n || d[i] != ' ')
		return false;
	t = ++i;
	while (i < n && d[i] > ' ' && d[i] < 0x7f)
		i++;
	if (i == t || i >= n || d[i] != ' ')
		return false;
	i++;
	return n - i >= 10 && memcmp(d + i, "HTTP/1.0\r\n", 10) == 0;
}

/* Refusals, as fuzz_http_refusal numbers them. */
enum {
	R_NONE,
	R_CLEN,
	R_TE,
	R_TE_CLEN,
	R_CHUNK,
	R_FOLD
};

struct ref {
	uint64_t requests; /* answered before the first close or refusal, that one included */
	bool closed;	   /* a Connection: close request was found */
	int64_t http10_at; /* request number (1-based) of the first HTTP/1.0 one that must close */
	int bad;	   /* the refusal that stops the stream (R_*) */
	bool bad_partial;  /* found in a last header line without its LF: the parser may not
			      have decided yet */
};

/* One request's framing headers, as read so far. */
struct framing {
	bool cl, te,
		chunked; /* Content-Length seen (value in clen), Transfer-Encoding, last coding */
	uint64_t clen;
};

static bool
blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* A Content-Length value (@p v, @p n bytes: after the colon, a final CR stripped): a list of
 * elements of digits with optional blanks around, at most 15 significant digits, all one value
 * and the value of an earlier line. @return R_NONE or R_CLEN */
static int
ref_clen(const uint8_t *v, size_t n, struct framing *f)
{
	size_t i = 0;

	if (memchr(v, '\r', n) != NULL)
		return R_CLEN;
	for (;;) {
		size_t b, e, digits = 0;
		uint64_t x = 0;

		for (b = i; b < n && v[b] != ','; b++)
			;
		e = b;
		while (i < e && blank(v[i]))
			i++;
		while (e > i && blank(v[e - 1]))
			e--;
		if (i == e)
			return R_CLEN;
		for (; i < e; i++) {
			if (v[i] < '0' || v[i] > '9')
				return R_CLEN;
			if (digits == 0 && v[i] == '0')
				continue;
			if (++digits > 15)
				return R_CLEN;
			x = x * 10 + (uint64_t)(v[i] - '0');
		}
		if (f->cl && x != f->clen)
			return R_CLEN;
		f->cl = true;
		f->clen = x;
		if (b == n)
			return R_NONE;
		i = b + 1;
	}
}

/* A Transfer-Encoding value: codings separated by commas (empty ones skipped), none after
 * chunked. @return R_NONE or R_TE */
static int
ref_te(const uint8_t *v, size_t n, struct framing *f)
{
	size_t i = 0;

	if (memchr(v, '\r', n) != NULL)
		return R_TE;
	f->te = true;
	while (i <= n) {
		size_t b, e;

		for (b = i; b < n && v[b] != ','; b++)
			;
		e = b;
		while (i < e && blank(v[i]))
			i++;
		while (e > i && blank(v[e - 1]))
			e--;
		if (i < e) {
			if (f->chunked)
				return R_TE;
			f->chunked = e - i == 7 && prefix_ci(v + i, 7, "chunked");
		}
		i = b + 1;
	}
	return R_NONE;
}

/* A header line @p l of @p n bytes (without its LF; a final CR stripped). @return R_* */
static int
ref_header(const uint8_t *l, size_t n, struct framing *f)
{
	if (n > 0 && blank(l[0]))
		return R_FOLD;
	if (prefix_ci(l, n, "content-length:"))
		return f->te ? R_TE_CLEN : ref_clen(l + 15, n - 15, f);
	if (prefix_ci(l, n, "transfer-encoding:"))
		return f->cl ? R_TE_CLEN : ref_te(l + 18, n - 18, f);
	return R_NONE;
}

/* A chunked body from @p p. @return where the message ends, 0 if the stream ends first, or
 * SIZE_MAX with *bad set */
static size_t
ref_chunked(const uint8_t *d, size_t n, size_t p, int *bad)
{
	*bad = R_CHUNK;
	for (;;) {
		uint64_t v = 0;
		size_t digits = 0;
		const uint8_t *t;

		for (; p < n && isxdigit(d[p]); p++, digits++) {
			if (v > (UINT64_MAX >> 4))
				return SIZE_MAX;
			v = v << 4 |
			    (uint64_t)(isdigit(d[p]) ? d[p] - '0' : (d[p] | 0x20) - 'a' + 10);
		}
		if (p == n)
			return 0;
		if (digits == 0)
			return SIZE_MAX;
		if (d[p] == ';' || blank(d[p]))
			for (; p < n && d[p] != '\r'; p++)
				if (d[p] == '\n')
					return SIZE_MAX;
		if (p == n)
			return 0;
		if (d[p] != '\r')
			return SIZE_MAX;
		if (++p == n)
			return 0;
		if (d[p++] != '\n')
			return SIZE_MAX;
		if (v == 0) {
			/* trailer fields up to an empty line: the CR LF just read starts it */
			t = memmem(d + p - 2, n - (p - 2), "\r\n\r\n", 4);
			return t == NULL ? 0 : (size_t)(t - d) + 4;
		}
		if (n - p < v)
			return 0;
		p += v;
		if (p == n)
			return 0;
		if (d[p] != '\r')
			return SIZE_MAX;
		if (++p == n)
			return 0;
		if (d[p++] != '\n')
			return SIZE_MAX;
	}
}

/* The headers of the request at @p start, up to @p e (after the LF that ends them, or @p n if
 * they do not end): framing, Connection: close, a Connection header. @return R_* */
static int
ref_headers(const uint8_t *d, size_t start, size_t e, size_t n, struct framing *f, bool *req_close,
	    bool *has_conn, bool *partial)
{
	const uint8_t *lf = memchr(d + start, '\n', e - start);
	size_t i;

	if (lf == NULL)
		return R_NONE; /* the request line goes on */
	for (i = (size_t)(lf - d) + 1; i < e;) {
		const uint8_t *nl = memchr(d + i, '\n', e - i);
		size_t end = nl != NULL ? (size_t)(nl - d) : e, ll = end - i;
		int r;

		if (ll > 0 && d[end - 1] == '\r')
			ll--;
		if (close_line(d + i, n - i))
			*req_close = true;
		if (prefix_ci(d + i, n - i, "connection:"))
			*has_conn = true;
		r = ref_header(d + i, nl != NULL ? ll : end - i, f);
		if (r != R_NONE) {
			*partial = nl == NULL;
			return r;
		}
		i = end + 1;
	}
	return R_NONE;
}

/* The plain reference: request by request, headers to "\r\n\r\n", then the body its framing
 * says, answered at its end. */
static void
reference(const uint8_t *d, size_t n, struct ref *r)
{
	size_t start = 0;

	memset(r, 0, sizeof(*r));
	r->http10_at = -1;
	while (start < n) {
		const uint8_t *hend =
			start + 4 <= n ? memmem(d + start, n - start, "\r\n\r\n", 4) : NULL;
		size_t e = hend != NULL ? (size_t)(hend - d) + 4 : n, end;
		struct framing f = {0};
		bool req_close = false, has_conn = false;

		r->bad = ref_headers(d, start, e, n, &f, &req_close, &has_conn, &r->bad_partial);
		if (r->bad != R_NONE || hend == NULL)
			return;
		if (f.te && !f.chunked) {
			r->bad = R_TE;
			return;
		}
		if (f.te) {
			end = ref_chunked(d, n, e, &r->bad);
			if (end == SIZE_MAX)
				return;
			r->bad = R_NONE;
			if (end == 0)
				return;
		} else {
			if (f.cl && f.clen > n - e)
				return;
			end = e + (f.cl ? f.clen : 0);
		}
		r->requests++;
		if (r->http10_at < 0 && !has_conn && http10_line(d + start, e - start))
			r->http10_at = (int64_t)r->requests;
		if (req_close) {
			r->closed = true;
			return;
		}
		start = end;
	}
}

/* @p a (the in-place parser) and @p b (the old one) fed alike: the same calls, returns, state. */
static void
client_check_equal(const struct client_trace *a, const struct client_trace *b, const char *how)
{
	FUZZ_CHECK(client_trace_same(a, b) && a->consumed == b->consumed && a->calls == b->calls,
		   "",
		   "%s: in place %u responses, bad %d, %u bytes, %u calls, status %u, clen %u; "
		   "old parser %u, %d, %u, %u, %u, %u",
		   how, a->ncomplete, a->bad, a->consumed, a->calls, a->r.status, a->r.clen,
		   b->ncomplete, b->bad, b->consumed, b->calls, b->r.status, b->r.clen);
}

/* The response parser on @p stream, whole, at @p cuts (@p ncuts offsets) and a byte a segment. */
static void
check_client(uint8_t mode, const uint8_t *stream, uint32_t slen, const uint32_t *cuts,
	     uint32_t ncuts)
{
	static struct client_trace whole, t, ref;
	struct tcpd_app_client cl;
	int again = (mode >> 3) & 1;

	memset(&cl, 0, sizeof(cl));
	cl.expect_body = (mode & 4) ? bodies[mode & 3] : UINT32_MAX;
	client_feed(tcpd_app_client_http_parse, &cl, stream, slen, NULL, 0, 0, again, &whole);
	client_feed(ref_client_http_parse, &cl, stream, slen, NULL, 0, 0, again, &ref);
	client_check_equal(&whole, &ref, "whole");

	client_feed(tcpd_app_client_http_parse, &cl, stream, slen, cuts, ncuts, 0, again, &t);
	client_feed(ref_client_http_parse, &cl, stream, slen, cuts, ncuts, 0, again, &ref);
	client_check_equal(&t, &ref, "split");
	FUZZ_CHECK(client_trace_same(&t, &whole), "",
		   "split in %u: %u responses, bad %d, status %u, clen %u; whole: %u, %d, %u, %u",
		   ncuts + 1, t.ncomplete, t.bad, t.r.status, t.r.clen, whole.ncomplete, whole.bad,
		   whole.r.status, whole.r.clen);
	if (slen > 2048)
		return;
	client_feed(tcpd_app_client_http_parse, &cl, stream, slen, NULL, 0, 1, again, &t);
	client_feed(ref_client_http_parse, &cl, stream, slen, NULL, 0, 1, again, &ref);
	client_check_equal(&t, &ref, "a byte a segment");
	FUZZ_CHECK(client_trace_same(&t, &whole), "",
		   "a byte a segment: %u responses, bad %d, status %u, clen %u; whole: %u, %d, %u, "
		   "%u",
		   t.ncomplete, t.bad, t.r.status, t.r.clen, whole.ncomplete, whole.bad,
		   whole.r.status, whole.r.clen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t client_cuts[256], ncuts = 0;
	struct fuzz_http *h;
	uint64_t req_whole;
	uint32_t resp_whole;
	bool close_whole;
	const uint8_t *stream, *cuts;
	size_t k, slen, off, c;
	struct ref ref;
	int refusal;

	if (size < 2 || size > 65536)
		return 0;
	h = hp[data[0] & 3];
	k = data[1];
	if (2 + k > size)
		return 0;
	cuts = data + 2;
	stream = data + 2 + k;
	slen = size - 2 - k;

	fuzz_http_reset(h);
	feed_all(h, stream, (uint32_t)slen);
	req_whole = fuzz_http_requests(h);
	resp_whole = fuzz_http_resp_bytes(h);
	close_whole = fuzz_http_closing(h);
	refusal = fuzz_http_refusal(h);
	FUZZ_CHECK(refusal >= 0, "", "more than one refusal counted");

	FUZZ_CHECK((req_whole == 0 && refusal == 0) == (resp_whole == 0), "",
		   "%u response bytes for %lu requests and refusal %d", resp_whole,
		   (unsigned long)req_whole, refusal);

	fuzz_http_reset(h);
	for (off = 0, c = 0; off < slen; c++) {
		size_t n = c < k ? (size_t)cuts[c] + 1 : slen - off;

		if (n > slen - off)
			n = slen - off;
		feed_all(h, stream + off, (uint32_t)n);
		off += n;
	}
	FUZZ_CHECK(fuzz_http_requests(h) == req_whole && fuzz_http_resp_bytes(h) == resp_whole &&
			   fuzz_http_closing(h) == close_whole,
		   "", "split in %zu pieces: %lu requests, %u bytes, close %d; whole: %lu, %u, %d",
		   c, (unsigned long)fuzz_http_requests(h), fuzz_http_resp_bytes(h),
		   fuzz_http_closing(h), (unsigned long)req_whole, resp_whole, close_whole);

	FUZZ_CHECK(fuzz_http_refusal(h) == refusal, "", "split: refusal %d, whole: %d",
		   fuzz_http_refusal(h), refusal);

	reference(stream, slen, &ref);
	if (refusal != 0) {
		FUZZ_CHECK(refusal == ref.bad && req_whole == ref.requests && close_whole,
			   "framing", "refusal %d after %lu requests; the reference: %d after %lu",
			   refusal, (unsigned long)req_whole, ref.bad, (unsigned long)ref.requests);
		goto client;
	}
	if (ref.bad != 0 && !ref.bad_partial)
		FUZZ_CHECK(close_whole && req_whole <= ref.requests, "framing",
			   "request %lu must be refused (reason %d): %lu answered, close %d",
			   (unsigned long)ref.requests + 1, ref.bad, (unsigned long)req_whole,
			   close_whole);
	if (ref.http10_at > 0)
		FUZZ_CHECK(close_whole && req_whole <= (uint64_t)ref.http10_at, "http10",
			   "request %ld is HTTP/1.0 without Connection: it must be closed after "
			   "its response (RFC 9112 9.3; issue 11 item 1)",
			   (long)ref.http10_at);
	if (close_whole) {
		/* It may close earlier than the reference for a reason of its own (HTTP/1.0). */
		FUZZ_CHECK(req_whole <= ref.requests, "",
			   "closes after %lu requests, the stream holds %lu before its close",
			   (unsigned long)req_whole, (unsigned long)ref.requests);
	} else {
		FUZZ_CHECK(!ref.closed, "", "Connection: close after request %lu not honoured",
			   (unsigned long)ref.requests);
		FUZZ_CHECK(req_whole == ref.requests, "",
			   "%lu requests answered, %lu in the stream", (unsigned long)req_whole,
			   (unsigned long)ref.requests);
	}
client:
	for (off = 0, c = 0; c < k && off + cuts[c] + 1 < slen; c++) {
		off += (size_t)cuts[c] + 1;
		client_cuts[ncuts++] = (uint32_t)off;
	}
	check_client(data[0], stream, (uint32_t)slen, client_cuts, ncuts);

	return 0;
}
