/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The http client's response parser as it was before it parsed in place (every header byte copied
 * into r->line, each line examined at its LF): the reference that tcpd_app_client_http_parse must
 * agree with, decision for decision, on every input however it is split. Shared by the unit test
 * (tests/unit/test_load.c) and fuzz_http, with a driver that feeds a response stream in segments
 * and records what the parser did.
 */
#ifndef TCPD_CLIENT_HTTP_REF_H
#define TCPD_CLIENT_HTTP_REF_H

#include <stdint.h>
#include <string.h>

#include "tcpd_app_client.h"

static inline uint8_t
ref_lower(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (uint8_t)(ch + 32) : ch;
}

static int
ref_header_is(const char *line, uint32_t len, const char *name)
{
	uint32_t i, n = (uint32_t)strlen(name);

	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if (ref_lower((uint8_t)line[i]) != (uint8_t)name[i])
			return 0;
	return 1;
}

static int64_t
ref_header_uint(const char *line, uint32_t len, uint32_t from)
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

static int
ref_line_done(const struct tcpd_app_client *cl, struct tcpd_client_rec *r, int *complete)
{
	const char *l = r->line;
	uint32_t len = r->line_len;

	if (r->phase == TCPD_HTTP_STATUS) {
		if (len < 12 || memcmp(l, "HTTP/1.", 7) != 0 || l[8] != ' ' || l[9] < '0' ||
		    l[9] > '9' || l[10] < '0' || l[10] > '9' || l[11] < '0' || l[11] > '9')
			return -1;
		r->status = (uint16_t)((l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0'));
		if (r->status != 200)
			return -1;
		r->phase = TCPD_HTTP_HEADERS;
		r->clen = UINT32_MAX;
		return 0;
	}
	/* since RFC 9112 5.2 was applied: an obs-fold continues the line before, and a folded
	 * Content-Length is bad; other folds are skipped */
	if (len > 0 && (l[0] == ' ' || l[0] == '\t'))
		return (r->flags & TCPD_CLIENT_F_CLEN_LINE) ? -1 : 0;
	r->flags &= ~TCPD_CLIENT_F_CLEN_LINE;
	if (len == 0) {
		if (r->clen == UINT32_MAX)
			return -1;
		if (cl->expect_body != UINT32_MAX && r->clen != cl->expect_body)
			return -1;
		r->body_left = r->clen;
		r->phase = TCPD_HTTP_BODY;
		if (r->body_left == 0)
			*complete = 1;
		return 0;
	}
	if (ref_header_is(l, len, "content-length:")) {
		/* since the in-place parser: a line longer than the kept start is bad */
		int64_t v = r->line_over ? -1 : ref_header_uint(l, len, 15);

		if (v < 0 || v >= UINT32_MAX || (r->clen != UINT32_MAX && r->clen != (uint32_t)v))
			return -1;
		r->clen = (uint32_t)v;
		r->flags |= TCPD_CLIENT_F_CLEN_LINE;
	} else if (ref_header_is(l, len, "transfer-encoding:")) {
		return -1;
	}
	return 0;
}

/* The old tcpd_app_client_http_parse (main at 557e730), and one rule since: a Content-Length
 * line longer than TCPD_CLIENT_LINE_MAX is bad (line_over). */
static uint32_t
ref_client_http_parse(const struct tcpd_app_client *cl, struct tcpd_client_rec *r,
		      const uint8_t *data, uint32_t len, int *complete)
{
	uint32_t i = 0;

	*complete = 0;
	while (i < len) {
		if (r->phase == TCPD_HTTP_BODY) {
			uint32_t n = len - i < r->body_left ? len - i : r->body_left;

			i += n;
			r->body_left -= n;
			if (r->body_left == 0)
				*complete = 1;
		} else if (r->phase == TCPD_HTTP_IDLE) {
			r->flags |= TCPD_CLIENT_F_BAD;
			return len;
		} else {
			uint8_t ch = data[i++];

			if (ch == '\n') {
				if (r->line_len > 0 && r->line[r->line_len - 1] == '\r')
					r->line_len--;
				if (ref_line_done(cl, r, complete) < 0) {
					r->flags |= TCPD_CLIENT_F_BAD;
					return len;
				}
				r->line_len = 0;
				r->line_over = 0;
			} else if (r->line_len < TCPD_CLIENT_LINE_MAX) {
				r->line[r->line_len++] = (char)ch;
			} else {
				r->line_over = 1;
			}
		}
		if (*complete) {
			r->phase = TCPD_HTTP_IDLE;
			return i;
		}
	}
	return i;
}

typedef uint32_t (*client_parse_fn)(const struct tcpd_app_client *cl, struct tcpd_client_rec *r,
				    const uint8_t *data, uint32_t len, int *complete);

#define CLIENT_TRACE_MAX 16

/* What a parser did with a stream. */
struct client_trace {
	uint32_t consumed;  /* bytes taken (the segment of a bad byte counts whole) */
	uint32_t calls;	    /* parser calls */
	uint32_t ncomplete; /* responses completed */
	uint32_t done_at[CLIENT_TRACE_MAX];  /* stream offset after each (the first ones) */
	uint32_t done_len[CLIENT_TRACE_MAX]; /* its Content-Length */
	int bad;			     /* TCPD_CLIENT_F_BAD set */
	struct tcpd_client_rec r;	     /* the record at the end */
};

/*
 * Feed @p s (@p len bytes) to @p fn in segments ending at @p cuts (@p ncuts ascending offsets in
 * 1..len-1), or in @p chunk-byte segments if @p chunk > 0. Each segment is fed until taken, as
 * http_c_rx does; after a complete response the parser is set back to the status line if
 * @p again (our next request went out), else left idle (any further byte is bad). Stops at a bad
 * response.
 */
static void
client_feed(client_parse_fn fn, const struct tcpd_app_client *cl, const uint8_t *s, uint32_t len,
	    const uint32_t *cuts, uint32_t ncuts, uint32_t chunk, int again, struct client_trace *t)
{
	uint32_t off = 0, c = 0;

	memset(t, 0, sizeof(*t));
	tcpd_app_client_rec_init(&t->r);
	while (off < len && !t->bad) {
		uint32_t end = chunk > 0 ? (len - off < chunk ? len : off + chunk)
					 : (c < ncuts ? cuts[c++] : len);
		uint32_t used = 0;

		while (off + used < end) {
			int complete;

			used += fn(cl, &t->r, s + off + used, end - off - used, &complete);
			t->calls++;
			if (t->r.flags & TCPD_CLIENT_F_BAD) {
				t->bad = 1;
				break;
			}
			if (!complete)
				continue;
			if (t->ncomplete < CLIENT_TRACE_MAX) {
				t->done_at[t->ncomplete] = off + used;
				t->done_len[t->ncomplete] = t->r.clen;
			}
			t->ncomplete++;
			if (again)
				t->r.phase = TCPD_HTTP_STATUS;
		}
		off += used;
	}
	t->consumed = off;
}

/*
 * Whether two parses of one stream decided the same, whatever the split: the same responses
 * completed at the same offsets, the same verdict, and, unless bad (the parse stopped), the same
 * state to go on from: phase, status, Content-Length, body left and the kept start of a line.
 */
static int
client_trace_same(const struct client_trace *a, const struct client_trace *b)
{
	uint32_t n = a->ncomplete < CLIENT_TRACE_MAX ? a->ncomplete : CLIENT_TRACE_MAX;

	if (a->ncomplete != b->ncomplete || a->bad != b->bad ||
	    memcmp(a->done_at, b->done_at, n * sizeof(a->done_at[0])) != 0 ||
	    memcmp(a->done_len, b->done_len, n * sizeof(a->done_len[0])) != 0 ||
	    a->r.status != b->r.status || a->r.clen != b->r.clen)
		return 0;
	if (a->bad)
		return 1;
	return a->consumed == b->consumed && a->r.phase == b->r.phase &&
	       a->r.body_left == b->r.body_left && a->r.line_len == b->r.line_len &&
	       memcmp(a->r.line, b->r.line, a->r.line_len) == 0;
}

#endif /* TCPD_CLIENT_HTTP_REF_H */
