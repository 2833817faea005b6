/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.1: every request (headers ending in "\r\n\r\n") is answered with "200 OK" and
 * cfg->http_body_size bytes of tcpd_app_http_body_byte(). Keep-alive by default; a request with a
 * "Connection: close" header (name and value case-insensitive, value "close" alone or first in
 * a list) gets the closing response C, then our FIN. Request bodies are not supported (GET/HEAD
 * style requests only); HTTP/1.0 is answered as keep-alive too.
 *
 * No buffer at all: the stream we send is k copies of the keep-alive response R, optionally
 * followed by one C, so any byte can be regenerated for (re)transmission from its sequence
 * number. The request parser is a byte-at-a-time matcher whose state lives in app_state, so
 * requests split across segments anywhere are recognised.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>

#include "tcpd_app.h"

/* HTTP stops reading requests while this many response bytes are unacknowledged. */
#define HTTP_MAX_OUTSTANDING (256u * 1024)

/* Per lcore: the keep-alive (0) and closing (1) responses' headers and lengths, and twice the
 * 64-byte body period, so any 64-byte run of the body is one memcpy. */
struct http_priv {
	char hdr[2][192];
	uint16_t hlen[2];
	uint32_t len[2]; /* header + body */
	uint8_t body_pat[128];
};

/* app_state layout. */
#define H_CRLF_MASK 0x7u /* bytes of "\r\n\r\n" matched, 0..3 */
#define H_HM_SHIFT  3	 /* header matcher, see below */
#define H_HM_MASK   (0x1fu << 3)
#define H_REQ_CLOSE (1u << 8) /* this request asked for Connection: close */
#define H_CLOSEQ    (1u << 9) /* C is queued: requests after it are ignored */

/*
 * Header matcher values: 0 = this line cannot match; 1 + k = k bytes of "connection:" matched
 * at the start of a line (1: at line start); 12 + k = k bytes of "close" matched after the
 * colon and optional whitespace; 17 = "close" matched, a delimiter must follow.
 */
#define HM_LINE	 1
#define HM_VALUE 12
#define HM_DONE	 17

static const char hname[] = "connection:";
static const char hvalue[] = "close";

static inline uint8_t
lower(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (uint8_t)(ch + 32) : ch;
}

static uint32_t
http_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	uint32_t avail, uint32_t room, int *m_taken)
{
	const struct http_priv *h = a->priv;
	uint32_t len = avail < room ? avail : room;
	uint32_t st = c->app_state;
	uint32_t crlf = st & H_CRLF_MASK;
	uint32_t hm = (st & H_HM_MASK) >> H_HM_SHIFT;
	uint32_t i;

	if (st & H_CLOSEQ)
		return len; /* closing: acknowledged and ignored */
	for (i = 0; i < len; i++) {
		uint8_t ch;

		if (hm == 0 && crlf == 0) {
			/* Inside a line that cannot match: only CR or LF change the state, so skip to
			 * the next one (most of a request's bytes; halves the parser's cost). */
			while (i < len && data[i] != '\r' && data[i] != '\n')
				i++;
			if (i == len)
				break;
		}
		ch = data[i];
		if (ch == '\n') {
			hm = HM_LINE;
		} else if (hm != 0) {
			uint8_t lc = lower(ch);

			if (hm < HM_VALUE) {
				hm = lc == (uint8_t)hname[hm - 1] ? hm + 1 : 0;
			} else if (hm == HM_VALUE && (ch == ' ' || ch == '\t')) {
				/* optional whitespace before the value */
			} else if (hm < HM_DONE) {
				hm = lc == (uint8_t)hvalue[hm - HM_VALUE] ? hm + 1 : 0;
			} else {
				if (ch == '\r' || ch == ' ' || ch == '\t' || ch == ',')
					st |= H_REQ_CLOSE;
				hm = 0;
			}
		}
		if (ch == '\r') {
			crlf = crlf == 2 ? 3 : 1;
		} else if (ch == '\n' && (crlf == 1 || crlf == 3)) {
			if (crlf == 1) {
				crlf = 2;
				continue;
			}
			/* End of a request. Past 2^31 bytes of responses the sequence offset used
			 * to regenerate them could wrap: close gracefully instead. */
			int close =
				(st & H_REQ_CLOSE) || tcpd_tcp_app_offset(c, c->app_end) >
							      0x7fffffffu - h->len[0] - h->len[1];

			crlf = 0;
			hm = HM_LINE;
			st &= ~H_REQ_CLOSE;
			tcpd_tcp_app_queue(c, h->len[close]);
			tcpd_stats_inc(a->st, TCPD_STAT_http_requests);
			if (close) {
				st |= H_CLOSEQ;
				tcpd_tcp_app_close(c);
				i = len; /* the rest is ignored */
				break;
			}
			if (tcpd_tcp_app_unacked(c) > HTTP_MAX_OUTSTANDING) {
				/* The client is not reading: stop consuming (not acknowledged,
				 * it will come again) until responses are acknowledged. */
				i++;
				break;
			}
		} else {
			crlf = 0;
		}
	}
	c->app_state = (st & ~(H_CRLF_MASK | H_HM_MASK)) | crlf | (hm << H_HM_SHIFT);
	RTE_SET_USED(m);
	RTE_SET_USED(m_taken);
	return i;
}

int
tcpd_app_http_header(char *buf, size_t len, uint32_t body_size, bool close)
{
	return snprintf(buf, len,
			"HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: text/plain\r\n"
			"Content-Length: %u\r\n%s\r\n",
			body_size, close ? "Connection: close\r\n" : "");
}

/* Copy @n bytes of response @which from offset @r. */
static void
copy_resp(const struct http_priv *h, unsigned int which, uint32_t r, uint8_t *dst, uint32_t n)
{
	uint32_t hlen = h->hlen[which];

	if (r < hlen) {
		uint32_t k = RTE_MIN(n, hlen - r);

		memcpy(dst, h->hdr[which] + r, k);
		dst += k;
		n -= k;
		r += k;
	}
	r -= hlen;
	while (n) {
		uint32_t k = RTE_MIN(n, 64u);

		memcpy(dst, h->body_pat + (r & 63), k);
		dst += k;
		n -= k;
		r += k;
	}
}

static void
http_fill(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	  uint32_t len)
{
	const struct http_priv *h = a->priv;
	uint32_t rlen = h->len[0];
	int closeq = (c->app_state & H_CLOSEQ) != 0;
	uint32_t c_start = c->app_end - h->len[1];

	while (len) {
		uint32_t r, n;
		unsigned int which;

		if (closeq && tcpd_seq_ge(seq, c_start)) {
			which = 1;
			r = seq - c_start;
			n = h->len[1] - r;
		} else {
			uint32_t o = tcpd_tcp_app_offset(c, seq);

			which = 0;
			/* One division only past the first response. */
			r = o < rlen ? o : o % rlen;
			n = rlen - r;
			if (closeq && n > c_start - seq)
				n = c_start - seq;
		}
		if (n > len)
			n = len;
		copy_resp(h, which, r, dst, n);
		dst += n;
		seq += n;
		len -= n;
	}
}

static int
http_init(struct tcpd_app *a, const struct tcpd_config *cfg, int socket_id)
{
	struct http_priv *h;
	unsigned int i;

	if (cfg->http_body_size > (1u << 30))
		return -EINVAL;
	h = rte_zmalloc_socket("tcpd_app_http", sizeof(*h), RTE_CACHE_LINE_SIZE, socket_id);
	if (h == NULL)
		return -ENOMEM;
	for (i = 0; i < sizeof(h->body_pat); i++)
		h->body_pat[i] = tcpd_app_http_body_byte(i);
	for (i = 0; i < 2; i++) {
		int n = tcpd_app_http_header(h->hdr[i], sizeof(h->hdr[i]), cfg->http_body_size,
					     i == 1);

		h->hlen[i] = (uint16_t)n;
		h->len[i] = (uint32_t)n + cfg->http_body_size;
	}
	a->priv = h;
	a->idle_ms = cfg->http_keepalive * 1000;
	return 0;
}

static void
http_fini(struct tcpd_app *a)
{
	rte_free(a->priv);
	a->priv = NULL;
}

const struct tcpd_app_ops tcpd_app_http_ops = {
	.name = "http",
	.init = http_init,
	.fini = http_fini,
	.rx = http_rx,
	.fill = http_fill,
};
