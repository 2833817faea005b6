/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.1 client: "GET <path> HTTP/1.1" with a Host header, one request at a time on a kept-alive
 * connection, the next one queued when the previous response is complete; after the last one we
 * close. Each response is checked: status line "HTTP/1.x 200", a Content-Length (chunked bodies
 * are not accepted), exactly that many body bytes, and nothing before a request was sent. An
 * obs-fold line continues the line before (RFC 9112 5.2): after a Content-Length it would make
 * the value "1 2", so the response is bad; after any other header it is skipped.
 * Responses may arrive in any number of segments: the parser keeps its state in the record.
 * A line's LF is found by an inline scan (http_scan.h: 64 bytes at a time over a header block,
 * 16 for a line begun in an earlier segment) and the line examined where it lies; only a line
 * split over segments has its start (TCPD_CLIENT_LINE_MAX bytes) copied into the record. A header
 * line whose first byte starts neither name we act on is passed over after a table lookup, so the
 * common response, its headers in one segment, costs a byte and a bit search per header line and
 * a check of the few lines that matter.
 *
 * The request stream is the same request repeated, so any byte is regenerated from its offset.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client_priv.h"
#include "http_names.h"
#include "http_scan.h"

int
tcpd_app_client_http_init(struct tcpd_app_client *cl, const char *host, const char *path)
{
	int n = snprintf(cl->req, sizeof(cl->req),
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: dpdk-tcpd\r\n\r\n", path,
			 host);

	if (n < 0 || (size_t)n >= sizeof(cl->req))
		return -EINVAL;
	cl->req_len = (uint16_t)n;
	return 0;
}

/* Decimal value after the colon of a header line; -1 if not a plain number. */
static int64_t
header_uint(const char *line, uint32_t len, uint32_t from)
{
	int64_t v = 0;
	uint32_t i = from, digits = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	for (; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
		v = v * 10 + (line[i] - '0');
		if (++digits > 10)
			return -1;
	}
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return digits == 0 || i != len ? -1 : v;
}

/* The status line @l (@len bytes, CR stripped). @return 0, or -1 if the response is bad. */
static int
status_done(struct tcpd_client_rec *r, const char *l, uint32_t len)
{
	/* "HTTP/1.1 200 OK": version, one space, three digits. */
	if (len < 12 || memcmp(l, "HTTP/1.", 7) != 0 || l[8] != ' ' || l[9] < '0' || l[9] > '9' ||
	    l[10] < '0' || l[10] > '9' || l[11] < '0' || l[11] > '9')
		return -1;
	r->status = (uint16_t)((l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0'));
	if (r->status != 200)
		return -1;
	r->phase = TCPD_HTTP_HEADERS;
	r->clen = UINT32_MAX;
	return 0;
}

/*
 * One complete header line @l (@len bytes: at most TCPD_CLIENT_LINE_MAX, CR stripped), in the
 * segment or in r->line. @return 0, or -1 if the response is bad.
 */
static inline int
header_done(const struct tcpd_app_client *cl, struct tcpd_client_rec *r, const char *l,
	    uint32_t len, int over, int *complete)
{
	if (unlikely(r->flags & TCPD_CLIENT_F_CLEN_LINE)) {
		/* obs-fold after Content-Length: its value goes on. Other folds start with a
		 * blank, so no name below matches them: skipped. */
		if (len > 0 && (l[0] == ' ' || l[0] == '\t'))
			return -1;
		r->flags &= ~TCPD_CLIENT_F_CLEN_LINE;
	}
	if (len == 0) {
		if (r->clen == UINT32_MAX)
			return -1; /* no length: a body we cannot delimit */
		if (cl->expect_body != UINT32_MAX && r->clen != cl->expect_body)
			return -1;
		r->body_left = r->clen;
		r->phase = TCPD_HTTP_BODY;
		if (r->body_left == 0)
			*complete = 1;
		return 0;
	}
	/* Any other header is skipped: only these two start with c or t. */
	if ((l[0] | 0x20) == 'c' && len >= 15 && http_is_content_length(l)) {
		/* Longer than what a split line keeps (@over): not checked whole, so bad (a server
		 * needs no 20 blanks around a length), whether the line came in one piece or not. */
		int64_t v = over ? -1 : header_uint(l, len, 15);

		if (v < 0 || v >= UINT32_MAX || (r->clen != UINT32_MAX && r->clen != (uint32_t)v))
			return -1;
		r->clen = (uint32_t)v;
		r->flags |= TCPD_CLIENT_F_CLEN_LINE;
	} else if ((l[0] | 0x20) == 't' && len >= 18 && http_is_transfer_encoding(l)) {
		return -1;
	}
	return 0;
}

/* The kept length of a line of @n bytes at @l: its first TCPD_CLIENT_LINE_MAX, less a last CR. */
static inline uint32_t
line_kept(const char *l, uint32_t n)
{
	uint32_t ll = RTE_MIN(n, (uint32_t)TCPD_CLIENT_LINE_MAX);

	/* The old byte parser's rule: the CR stripped is the last byte kept, not the LF's. */
	if (ll > 0 && l[ll - 1] == '\r')
		ll--;
	return ll;
}

/*
 * A line whose last @n bytes before its LF are at @p, its start (r->line_len bytes) in r->line,
 * kept from an earlier segment. @return 0, or -1 if the response is bad.
 */
static int
line_joined(const struct tcpd_app_client *cl, struct tcpd_client_rec *r, const uint8_t *p,
	    uint32_t n, int *complete)
{
	uint32_t room = TCPD_CLIENT_LINE_MAX - r->line_len, ll;
	int over = r->line_over || n > room;

	memcpy(r->line + r->line_len, p, RTE_MIN(n, room));
	ll = line_kept(r->line, r->line_len + RTE_MIN(n, room));
	r->line_len = 0;
	r->line_over = 0;
	if (r->phase == TCPD_HTTP_STATUS)
		return status_done(r, r->line, ll);
	return header_done(cl, r, r->line, ll, over, complete);
}

/* The start of a line that goes on in the next segment: its first bytes kept in r->line. */
static void
line_keep(struct tcpd_client_rec *r, const uint8_t *p, uint32_t n)
{
	if (n > (uint32_t)TCPD_CLIENT_LINE_MAX - r->line_len) {
		r->line_over = 1;
		n = (uint32_t)TCPD_CLIENT_LINE_MAX - r->line_len;
	}
	memcpy(r->line + r->line_len, p, n);
	r->line_len = (uint8_t)(r->line_len + n);
}

/* Bytes that may start a header line header_done acts on (Content-Length, Transfer-Encoding: C, T
 * in any case), or that are no header name's (blanks: obs-fold; CR, LF: the headers' end). */
static const uint8_t line_matters[256] = {
	[0 ... ' '] = 1, ['C'] = 1, ['c'] = 1, ['T'] = 1, ['t'] = 1,
};

/*
 * Lines from @p to @end, none begun in an earlier segment, examined where they lie while the
 * response is in its status line or headers (the common case: one loop over the header block,
 * its LFs found 64 bytes at a time); a last line without its LF is kept. @return where it
 * stopped (@end, or after the line that ended the headers), NULL if the response is bad.
 */
static const uint8_t *
lines_in_place(const struct tcpd_app_client *cl, struct tcpd_client_rec *r, const uint8_t *p,
	       const uint8_t *end, int *complete)
{
	struct http_lf_scan s;

	http_lf_scan_init(&s, p, end);
	do {
		const uint8_t *lf = http_lf_next(&s, p);
		uint32_t n = (uint32_t)(lf - p), ll;

		if (unlikely(lf == end)) {
			line_keep(r, p, n);
			return end;
		}
		if (likely(r->phase == TCPD_HTTP_HEADERS) && !line_matters[*p]) {
			/* what header_done does with it: its first byte is no blank */
			r->flags &= ~TCPD_CLIENT_F_CLEN_LINE;
			p = lf + 1;
			continue;
		}
		ll = line_kept((const char *)p, n);
		if (unlikely(r->phase == TCPD_HTTP_STATUS)) {
			if (status_done(r, (const char *)p, ll) < 0)
				return NULL;
		} else if (header_done(cl, r, (const char *)p, ll, n > TCPD_CLIENT_LINE_MAX,
				       complete) < 0) {
			return NULL;
		}
		p = lf + 1;
	} while (p < end && r->phase != TCPD_HTTP_BODY);
	return p;
}

uint32_t
tcpd_app_client_http_parse(const struct tcpd_app_client *cl, struct tcpd_client_rec *r,
			   const uint8_t *data, uint32_t len, int *complete)
{
	uint32_t i = 0;

	*complete = 0;
	while (i < len) {
		if (r->phase == TCPD_HTTP_BODY) {
			uint32_t n = RTE_MIN(len - i, r->body_left);

			i += n;
			r->body_left -= n;
			if (r->body_left == 0)
				*complete = 1;
		} else if (unlikely(r->phase == TCPD_HTTP_IDLE)) {
			r->flags |= TCPD_CLIENT_F_BAD; /* bytes nobody asked for */
			return len;
		} else if (likely(r->line_len == 0)) {
			const uint8_t *q = lines_in_place(cl, r, data + i, data + len, complete);

			if (q == NULL) {
				r->flags |= TCPD_CLIENT_F_BAD;
				return len;
			}
			i = (uint32_t)(q - data);
		} else {
			uint32_t lf = http_find_lf(data, i, len);

			if (lf == len) {
				line_keep(r, data + i, len - i);
				return len;
			}
			if (line_joined(cl, r, data + i, lf - i, complete) < 0) {
				r->flags |= TCPD_CLIENT_F_BAD;
				return len;
			}
			i = lf + 1;
		}
		if (*complete) {
			r->phase = TCPD_HTTP_IDLE;
			return i;
		}
	}
	return i;
}

static void
http_c_established(struct tcpd_app *a, struct tcpd_tcb *c)
{
	struct tcpd_client_rec *r = c->app_ptr;

	if (r == NULL)
		return;
	r->flags |= TCPD_CLIENT_F_EST;
	r->phase = TCPD_HTTP_STATUS;
	tcpd_tcp_app_queue(c, client_of(a)->req_len);
	client_event(a, r, TCPD_CLIENT_EV_ESTABLISHED);
}

static uint32_t
http_c_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	  uint32_t avail, uint32_t room, int *m_taken)
{
	const struct tcpd_app_client *cl = client_of(a);
	struct tcpd_client_rec *r = c->app_ptr;
	uint32_t len = avail < room ? avail : room, off = 0;

	RTE_SET_USED(m);
	RTE_SET_USED(m_taken);
	if (r == NULL || len == 0)
		return len;
	r->rx_total += len;
	if (r->flags & (TCPD_CLIENT_F_BAD | TCPD_CLIENT_F_FINISHED)) {
		if (!(r->flags & TCPD_CLIENT_F_BAD))
			client_bad(c, r); /* data after the last response */
		return len;
	}
	while (off < len) {
		int complete;

		if (!(r->flags & TCPD_CLIENT_F_FIRST)) {
			r->flags |= TCPD_CLIENT_F_FIRST;
			client_event(a, r, TCPD_CLIENT_EV_FIRST_BYTE);
		}
		off += tcpd_app_client_http_parse(cl, r, data + off, len - off, &complete);
		if (r->flags & TCPD_CLIENT_F_BAD) {
			client_bad(c, r);
			return len;
		}
		if (!complete)
			break;
		r->done++;
		client_event(a, r, TCPD_CLIENT_EV_RESPONSE);
		if (off < len) {
			/* A response to a request not sent yet. */
			client_bad(c, r);
			return len;
		}
		if (r->done >= cl->requests) {
			client_finish(a, c, r);
		} else {
			r->phase = TCPD_HTTP_STATUS;
			r->flags &= ~TCPD_CLIENT_F_FIRST;
			tcpd_tcp_app_queue(c, cl->req_len);
			client_event(a, r, TCPD_CLIENT_EV_REQUEST);
		}
	}
	return len;
}

static void
http_c_fill(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	    uint32_t len)
{
	const struct tcpd_app_client *cl = client_of(a);
	uint32_t o = tcpd_tcp_app_offset(c, seq) % cl->req_len;

	while (len) {
		uint32_t n = RTE_MIN(len, (uint32_t)cl->req_len - o);

		memcpy(dst, cl->req + o, n);
		dst += n;
		len -= n;
		o = 0;
	}
}

const struct tcpd_app_ops tcpd_app_http_client_ops = {
	.name = "http",
	.established = http_c_established,
	.rx = http_c_rx,
	.fill = http_c_fill,
	.free = client_free,
};
