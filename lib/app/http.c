/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.1: every request (headers ending in "\r\n\r\n") is answered with "200 OK" and
 * cfg->http_body_size bytes of tcpd_app_http_body_byte(). Keep-alive by default; a request with a
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
 * lives in app_state, so requests split across segments anywhere are recognised; a line whole in
 * a segment is taken at once (memchr for its end, one wide compare for "connection:"), with the
 * state the byte path would leave after it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>

#include "tcpd_app.h"

/* HTTP stops reading requests while this many response bytes are unacknowledged. */
#define HTTP_MAX_OUTSTANDING (256u * 1024)

/* Per lcore: the keep-alive (R, 0), closing (C, 1) and explicit keep-alive (K, 2, for HTTP/1.0)
 * responses' headers and lengths, and twice the 64-byte body period, so any 64-byte run of the
 * body is one memcpy. */
struct http_priv {
	char hdr[3][192];
	uint16_t hlen[3];
	uint32_t len[3]; /* header + body */
	uint8_t body_pat[128];
};

/* app_state layout. */
#define H_CRLF_MASK 0x7u /* bytes of "\r\n\r\n" matched, 0..3 */
#define H_HM_SHIFT  3	 /* header matcher, see below */
#define H_HM_MASK   (0x1fu << 3)
#define H_REQ_CLOSE (1u << 8)  /* this request asked for Connection: close */
#define H_CLOSEQ    (1u << 9)  /* C is queued: requests after it are ignored */
#define H_REQ_KA    (1u << 10) /* this request asked for Connection: keep-alive */
#define H_V10	    (1u << 11) /* this request is HTTP/1.0 */
#define H_HDRS	    (1u << 12) /* past this request's request line */
#define H_KMODE	    (1u << 13) /* the keep-alive responses are K, not R */
#define H_VM_SHIFT  14	       /* bytes of "HTTP/1.0" matched in the request line, 0..8, or VM_CR */
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
#define VM_CR 9			       /* "HTTP/1.0" then CR */

/* The 8 bytes before @p end are "HTTP/1.0": one 64-bit compare, not a libc call. */
static inline int
ends_http10(const uint8_t *end)
{
	uint64_t a, b;

	memcpy(&a, end - 8, 8);
	memcpy(&b, hver, 8);
	return a == b;
}

static inline uint8_t
lower(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (uint8_t)(ch + 32) : ch;
}

/*
 * Inside a header line that cannot match: only its end changes the state. @return where
 * parsing goes on: the line's CR (or LF), or @len if the segment ends first. The line ends at
 * its LF, found by libc's vectorised memchr; its CR is parsed, also one that ends the segment
 * (the LF comes in the next). A lone CR inside the line changes nothing.
 */
static inline uint32_t
skip_line(const uint8_t *data, uint32_t i, uint32_t len)
{
	const uint8_t *nl = memchr(data + i, '\n', len - i);
	uint32_t end = nl != NULL ? (uint32_t)(nl - data) : len;

	if (end > i && data[end - 1] == '\r')
		end--;
	return end;
}

/* A request line whole in the segment: its version from its last bytes (what stands right before
 * CR LF), then past its LF. @return the LF's offset (@i if the line is not whole). */
static inline uint32_t
request_line(const uint8_t *data, uint32_t i, uint32_t len, uint32_t *st)
{
	const uint8_t *nl = memchr(data + i, '\n', len - i);
	uint32_t end;

	if (nl == NULL)
		return i;
	end = (uint32_t)(nl - data);
	if (end > i && data[end - 1] == '\r')
		end--;
	if (end - i >= sizeof(hver) - 1 && ends_http10(data + end))
		*st |= H_V10;
	*st |= H_HDRS;
	return (uint32_t)(nl - data);
}

/* One byte of a request line split across segments: the same result as request_line. VM_CR:
 * the version matched and a CR followed; only an LF next keeps it. */
static inline uint32_t
request_line_byte(uint8_t ch, uint32_t vm, uint32_t *st)
{
	if (ch == '\r')
		return vm == sizeof(hver) - 1 ? VM_CR : 0;
	if (ch == '\n') {
		if (vm >= sizeof(hver) - 1)
			*st |= H_V10;
		*st |= H_HDRS;
		return 0;
	}
	if (vm < sizeof(hver) - 1 && ch == (uint8_t)hver[vm])
		return vm + 1;
	return ch == (uint8_t)hver[0];
}

/* The header matcher (see HM_*) after byte @ch; a whole "close" or "keep-alive" token of a
 * Connection header marks the request in @st. */
static inline uint32_t
header_byte(uint8_t ch, uint32_t hm, uint32_t *st)
{
	uint8_t lc = lower(ch);

	if (hm < HM_VALUE)
		return lc == (uint8_t)hname[hm - 1] ? hm + 1 : 0;
	if (hm == HM_VALUE) {
		if (lc == (uint8_t)hclose[0])
			return HM_VALUE + 1;
		if (lc == (uint8_t)hka[0])
			return HM_CLOSE + 1;
		return (ch != ' ' && ch != '\t' && ch != ',') ? HM_SKIP : hm;
	}
	if (hm < HM_CLOSE)
		return lc == (uint8_t)hclose[hm - HM_VALUE] ? hm + 1 : HM_SKIP;
	if (hm > HM_CLOSE && hm < HM_KA)
		return lc == (uint8_t)hka[hm - HM_CLOSE] ? hm + 1 : HM_SKIP;
	if (hm != HM_SKIP) {
		/* A whole token: it counts if a delimiter follows. */
		if (ch == '\r' || ch == ' ' || ch == '\t' || ch == ',')
			*st |= hm == HM_CLOSE ? H_REQ_CLOSE : H_REQ_KA;
		return ch == ',' ? HM_VALUE : HM_SKIP;
	}
	return ch == ',' ? HM_VALUE : hm;
}

/* The 11 bytes at @p d are "connection:" in any case: two overlapping 64-bit loads, letters
 * folded with 0x20 (only A-Z and a-z fold onto a letter), the colon compared exactly. */
static inline int
is_connection(const uint8_t *d)
{
	uint64_t a, b, na, nb;

	memcpy(&a, d, 8);
	memcpy(&b, d + 3, 8);
	memcpy(&na, hname, 8);
	memcpy(&nb, hname + 3, 8);
	return (a | 0x2020202020202020ull) == na && (b | 0x0020202020202020ull) == nb;
}

/* The sizeof(@p tok) bytes at @p d are the token @p tok in any case, then CR. */
static inline int
is_token_cr(const uint8_t *d, const char *tok)
{
	size_t n = strlen(tok), j;

	for (j = 0; j < n; j++)
		if (lower(d[j]) != (uint8_t)tok[j])
			return 0;
	return d[n] == '\r';
}

/*
 * A header line whole in the segment, from its first byte (neither CR nor LF) at @i: the header
 * matcher run over it as header_byte would (its CR included), the name compared at once and
 * other headers skipped whole. @return the line's LF (@i if the line is not whole: the byte path
 * takes it).
 */
static inline uint32_t
header_line(const uint8_t *data, uint32_t i, uint32_t len, uint32_t *st)
{
	const uint8_t *nl = memchr(data + i, '\n', len - i);
	uint32_t end, k, hm;

	if (nl == NULL)
		return i;
	end = (uint32_t)(nl - data);
	if (end - i < sizeof(hname) - 1 || !is_connection(data + i))
		return end;
	/* What header_byte skips before a token, then the two usual values whole. */
	for (k = i + sizeof(hname) - 1;
	     k < end && (data[k] == ' ' || data[k] == '\t' || data[k] == ','); k++)
		;
	if (end - k == sizeof(hclose) && is_token_cr(data + k, hclose)) {
		*st |= H_REQ_CLOSE;
		return end;
	}
	if (end - k == sizeof(hka) && is_token_cr(data + k, hka)) {
		*st |= H_REQ_KA;
		return end;
	}
	hm = HM_VALUE;
	for (; k < end; k++)
		hm = header_byte(data[k], hm, st);
	return end;
}

/*
 * A line whole in the segment from its start at @i: the request line, or a header line (not an
 * empty one) in the headers. @return its LF's offset, with the matchers as the byte path leaves
 * them after it (the next line's start, after CR LF or not); UINT32_MAX if the byte path takes
 * the line (not whole, not at a line's start, or an empty line).
 */
static inline uint32_t
whole_line(const uint8_t *data, uint32_t i, uint32_t len, uint32_t *st, uint32_t *hm,
	   uint32_t *crlf, uint32_t vm)
{
	uint32_t nl;

	if (*st & H_HDRS) {
		if (*hm != HM_LINE || data[i] == '\r' || data[i] == '\n')
			return UINT32_MAX;
		nl = header_line(data, i, len, st);
		if (nl == i)
			return UINT32_MAX;
	} else {
		if (vm != 0 || *crlf != 0)
			return UINT32_MAX;
		nl = request_line(data, i, len, st);
		if (!(*st & H_HDRS))
			return UINT32_MAX;
	}
	*crlf = nl > i && data[nl - 1] == '\r' ? 2 : 0;
	*hm = HM_LINE;
	return nl;
}

/*
 * End of a request: its response queued. HTTP/1.0 stays open only with keep-alive, and only on
 * a connection whose responses are K (decided by its first request). Past 2^31 bytes of
 * responses the sequence offset used to regenerate them could wrap: close gracefully instead.
 * @return 1 if the connection closes after this response.
 */
static inline int
request_end(struct tcpd_app *a, struct tcpd_tcb *c, uint32_t *st)
{
	const struct http_priv *h = a->priv;
	unsigned int rk;
	int close;

	if (c->app_end == c->iss + 1 &&
	    (*st & (H_V10 | H_REQ_KA | H_REQ_CLOSE)) == (H_V10 | H_REQ_KA))
		*st |= H_KMODE;
	rk = (*st & H_KMODE) ? 2 : 0;
	close = (*st & H_REQ_CLOSE) ||
		((*st & H_V10) && (*st & (H_REQ_KA | H_KMODE)) != (H_REQ_KA | H_KMODE)) ||
		tcpd_tcp_app_offset(c, c->app_end) > 0x7fffffffu - h->len[rk] - h->len[1];
	*st &= ~(H_REQ_CLOSE | H_REQ_KA | H_V10 | H_HDRS);
	tcpd_tcp_app_queue(c, h->len[close ? 1 : rk]);
	tcpd_stats_inc(a->st, TCPD_STAT_http_requests);
	if (close) {
		*st |= H_CLOSEQ;
		tcpd_tcp_app_close(c);
	}
	return close;
}

static uint32_t
http_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	uint32_t avail, uint32_t room, int *m_taken)
{
	uint32_t len = avail < room ? avail : room;
	uint32_t st = c->app_state;
	uint32_t crlf = st & H_CRLF_MASK;
	uint32_t hm = (st & H_HM_MASK) >> H_HM_SHIFT;
	uint32_t vm = (st & H_VM_MASK) >> H_VM_SHIFT;
	uint32_t i;

	if (st & H_CLOSEQ)
		return len; /* closing: acknowledged and ignored */
	for (i = 0; i < len; i++) {
		uint32_t nl;
		uint8_t ch;

		if (hm == 0 && crlf == 0 && (st & H_HDRS)) {
			/* most of a request's bytes: halves the parser's cost */
			i = skip_line(data, i, len);
			if (i == len)
				break;
		}
		nl = whole_line(data, i, len, &st, &hm, &crlf, vm);
		if (nl != UINT32_MAX) {
			i = nl;
			continue;
		}
		ch = data[i];
		if (!(st & H_HDRS)) {
			/* The request line is no header: nothing on it is matched as one. */
			hm = 0;
			vm = request_line_byte(ch, vm, &st);
		}
		if (ch == '\n')
			hm = HM_LINE;
		else if (hm != 0)
			hm = header_byte(ch, hm, &st);
		if (ch == '\r') {
			crlf = crlf == 2 ? 3 : 1;
		} else if (ch == '\n' && (crlf == 1 || crlf == 3)) {
			if (crlf == 1) {
				crlf = 2;
				continue;
			}
			crlf = 0;
			hm = HM_LINE;
			vm = 0;
			if (request_end(a, c, &st)) {
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
	c->app_state = (st & ~(H_CRLF_MASK | H_HM_MASK | H_VM_MASK)) | crlf | (hm << H_HM_SHIFT) |
		       (vm << H_VM_SHIFT);
	RTE_SET_USED(m);
	RTE_SET_USED(m_taken);
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
tcpd_app_http_header(char *buf, size_t len, uint32_t body_size, bool close)
{
	return http_header(buf, len, body_size, close ? "Connection: close\r\n" : "");
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
	unsigned int rk = (c->app_state & H_KMODE) ? 2 : 0;
	uint32_t rlen = h->len[rk];
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

			which = rk;
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
	for (i = 0; i < 3; i++) {
		static const char *const conn[3] = {"", "Connection: close\r\n",
						    "Connection: keep-alive\r\n"};
		int n = http_header(h->hdr[i], sizeof(h->hdr[i]), cfg->http_body_size, conn[i]);

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
