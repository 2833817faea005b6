/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.1 client: "GET <path> HTTP/1.1" with a Host header, one request at a time on a kept-alive
 * connection, the next one queued when the previous response is complete; after the last one we
 * close. Each response is checked: status line "HTTP/1.x 200", a Content-Length (chunked bodies
 * are not accepted), exactly that many body bytes, and nothing before a request was sent.
 * Responses may arrive in any number of segments: the parser keeps its state in the record.
 *
 * The request stream is the same request repeated, so any byte is regenerated from its offset.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client_priv.h"

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

static inline uint8_t
lower(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (uint8_t)(ch + 32) : ch;
}

/* Whether @line (@len bytes) starts with header name @name (lower case, with the colon). */
static int
header_is(const char *line, uint32_t len, const char *name)
{
	uint32_t i, n = (uint32_t)strlen(name);

	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((uint8_t)line[i]) != (uint8_t)name[i])
			return 0;
	return 1;
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

/* One complete line (CR stripped). @return 0, or -1 if the response is bad. */
static int
line_done(const struct tcpd_app_client *cl, struct tcpd_client_rec *r, int *complete)
{
	const char *l = r->line;
	uint32_t len = r->line_len;

	if (r->phase == TCPD_HTTP_STATUS) {
		/* "HTTP/1.1 200 OK": version, one space, three digits. */
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
	if (header_is(l, len, "content-length:")) {
		int64_t v = header_uint(l, len, 15);

		if (v < 0 || v >= UINT32_MAX || (r->clen != UINT32_MAX && r->clen != (uint32_t)v))
			return -1;
		r->clen = (uint32_t)v;
	} else if (header_is(l, len, "transfer-encoding:")) {
		return -1;
	}
	return 0;
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
		} else if (r->phase == TCPD_HTTP_IDLE) {
			r->flags |= TCPD_CLIENT_F_BAD; /* bytes nobody asked for */
			return len;
		} else {
			uint8_t ch = data[i++];

			if (ch == '\n') {
				if (r->line_len > 0 && r->line[r->line_len - 1] == '\r')
					r->line_len--;
				if (line_done(cl, r, complete) < 0) {
					r->flags |= TCPD_CLIENT_F_BAD;
					return len;
				}
				r->line_len = 0;
			} else if (r->line_len < TCPD_CLIENT_LINE_MAX) {
				r->line[r->line_len++] = (char)ch;
			} else if (r->phase == TCPD_HTTP_STATUS) {
				/* A status line keeps its start; a header line too: only its
				 * start is matched (no header we check is this long). */
			}
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
