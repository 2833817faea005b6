/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.1: every request is answered with "200 OK" and cfg->http_body_size bytes of
 * tcpd_app_http_body_byte(); a HEAD request (RFC 9110 9.3.2, the method case-sensitive) with the
 * same header section alone, Content-Length included (RFC 9112 6.3 point 1: a response to HEAD
 * ends there). Keep-alive by default; a request with a "Connection: close" header
 * (name and tokens case-insensitive, "close" anywhere in the list) gets the closing response C,
 * then our FIN. HTTP/1.0 (RFC 9112 9.3, the version from the request line): closed after the
 * response (C) unless the request says "Connection: keep-alive"; then the response K says
 * "Connection: keep-alive" too. With cfg->http_max_requests N, the Nth request of a connection
 * gets C and our FIN, as if it had asked for Connection: close (nginx's keepalive_requests).
 *
 * Message framing (RFC 9112 6): a request's body is consumed (acknowledged, never parsed) before
 * the next request starts: Content-Length bytes (RFC 9112 6.2; a list of one value repeated is
 * that value, RFC 9110 8.6), or the chunked transfer coding decoded (7.1: chunk sizes in hex,
 * extensions ignored, the last chunk, trailer fields, the final CRLF). The response is queued
 * when the whole message has arrived, as a server that reads the request before answering does:
 * the next request's response cannot overtake it, and a chunk error found in the body is answered
 * with 400 instead of a 200 already on the wire. Bad framing gets the response B (400 Bad
 * Request, Connection: close), our FIN, and nothing more of the stream is read (RFC 9112 6.3):
 * an invalid Content-Length (not digits, more than 15 digits, different values), both
 * Transfer-Encoding and Content-Length (6.1), a Transfer-Encoding whose final coding is not
 * chunked (6.3 point 4) or that applies chunked twice, a bad chunk line, and any obs-fold (a
 * header line that starts with SP or HTAB, 5.2). Each reason has its counter. CR and LF bytes
 * before a request line are ignored (2.2: empty lines, such as a CR LF a client sent after a body).
 * "Expect: 100-continue" (RFC 9110 10.1.1; name and value in any case, the value's first list
 * member) gets "HTTP/1.1 100 Continue" when the request's headers end, and the final response
 * when its body has arrived: curl (a body over 1 MiB) sends the body at once instead of after its
 * one-second wait. The first request that expects it fixes the connection's 100 mode (like the
 * response kind below): from then on every response unit is the 100 then the response, the 100
 * of a request without Expect or without a body too (RFC 9110 15.2: a client parses an
 * unexpected 1xx; 10.1.1 lets the 100 be omitted, not forbids it), so the stream stays k copies of
 * one unit. A request that expects it on a connection not in 100 mode gets the 100, then the
 * closing response C after its body, then our FIN (the 100 starts the closing tail; the client's
 * next connection starts in 100 mode); answering it without a 100 would break 10.1.1's MUST, and
 * an early final response was rejected: curl 7.88, answered before it sent the body, keeps the
 * connection for its next request without sending the body, which this parser would then take
 * for it. An HTTP/1.0 request's Expect is ignored (10.1.1: MUST); so is any other expectation
 * (10.1.1 allows a 417, as a MAY: curl sends none).
 *
 * No buffer at all: the stream we send is k copies of one keep-alive response, R (HTTP/1.1) or K
 * (chosen by the first request: HTTP/1.0 with keep-alive), full or its header section alone (also
 * chosen by the first request: HEAD or not), each after a 100 in 100 mode, optionally followed by
 * one C or B (full, or its header section for a HEAD request; after a 100 in 100 mode or when a
 * 100 starts the tail), so any byte can be regenerated for (re)transmission from its sequence
 * number; a unit or tail whose request's body is still coming is there up to its 100. An
 * HTTP/1.0 keep-alive request on an R connection gets C; a request of the other kind (HEAD on a
 * connection whose first request was not, or the reverse) gets C of its own kind, then our FIN.
 * The request parser is a byte-at-a-time matcher whose state lives in app_state (and app_ptr: a
 * Content-Length or chunk size, the body bytes left, and in its top bits the 100 state), so
 * requests split across segments anywhere are recognised; a line whole in a segment is taken at
 * once (an inline 16-byte scan for its end, a wide compare for the four names that matter; a
 * header line whose first byte starts none of them skipped in a loop of its own), with the state
 * the byte path would leave after it; body bytes are skipped in one step.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "http_names.h"
#include "http_scan.h"
#include "tcpd_app.h"

/* HTTP stops reading requests while this many response bytes are unacknowledged. */
#define HTTP_MAX_OUTSTANDING (256u * 1024)

/* The responses: keep-alive (R), closing (C), explicit keep-alive (K, for HTTP/1.0), and the
 * answer to bad framing (B: 400, closing; its text is in hdr, it has no body pattern). Each one
 * + RESP_HEAD is the same response to a HEAD request: its header section only (RFC 9110 9.3.2,
 * RFC 9112 6.3 point 1), the same header fields (Content-Length included). */
enum {
	RESP_R,
	RESP_C,
	RESP_K,
	RESP_B,
	RESP_HEAD,
	RESP_X100 = 2 * RESP_HEAD, /* + this: the same response after a 100 (Continue) */
	RESP_CONT = 2 * RESP_X100, /* the 100 alone: a tail whose final response is not queued */
	RESP_N
};

/* RFC 9110 15.2.1: the interim response sent before a request's content is read. */
static const char hcont[] = "HTTP/1.1 100 Continue\r\n\r\n";

/* Per lcore: the responses' headers and lengths, and twice the 64-byte body period, so any
 * 64-byte run of the body is one memcpy. */
struct http_priv {
	char hdr[RESP_N][192]; /* each kind's header (a HEAD kind's is its full kind's) */
	uint16_t hlen[RESP_N];
	uint32_t len[RESP_N]; /* header + body (for the HEAD kinds: header only) */
	uint32_t tail_max;    /* the longer of C and B after a 100: what may end the stream */
	uint32_t max_req;     /* cfg->http_max_requests: the last one gets C, 0 = no limit */
	uint8_t body_pat[128];
};

/*
 * app_state layout (all 32 bits used). Some fields hold different things in different phases:
 * - H_AUX: in the request line, the method matcher (MM_*: is it HEAD?); in the headers, the
 *   significant digits of a Content-Length element; with H_BAD, the refusal's reason. It is 0
 *   when a request line starts (headers_end clears it; a new connection's app_state is 0).
 * - H_VM: in the request line, the version matcher; after it (headers, body), VM_HEAD if the
 *   request is HEAD, else 0; with H_CLOSEQ, that of the request answered by the closing
 *   response (nothing is parsed after it), which fill reads as H_HEAD.
 * - H_HMODE and H_KMODE are the connection's, fixed by its first request: the keep-alive
 *   response is R, K, or their header-only kinds. A request of the other kind (HEAD on a GET
 *   connection, anything else on a HEAD one) gets a closing response of its own kind, then our
 *   FIN: the stream stays k copies of one response and one closing response, and the client
 *   opens a new connection for what follows (RFC 9112 9.6).
 * app_ptr: a Content-Length value (< 10^15) or a chunk size (< 2^60), or the body bytes left,
 * in its low X_SHIFT bits; its top bits are the X_* flags (the "Expect: 100-continue" state).
 */
#define H_CRLF_MASK 0x3u /* bytes of "\r\n\r\n" matched, 0..3; chunk lines: see PH_* */
#define H_HM_SHIFT  2	 /* header matcher, see HM_* */
#define H_HM_MASK   (0x3fu << 2)
#define H_REQ_CLOSE (1u << 8)  /* this request asked for Connection: close */
#define H_CLOSEQ    (1u << 9)  /* C or B is queued: requests after it are ignored */
#define H_REQ_KA    (1u << 10) /* this request asked for Connection: keep-alive */
#define H_V10	    (1u << 11) /* this request is HTTP/1.0 */
#define H_HDRS	    (1u << 12) /* past this request's request line */
#define H_KMODE	    (1u << 13) /* the keep-alive responses are K, not R */
#define H_VM_SHIFT  14	       /* bytes of "HTTP/1.0" matched in the request line, 0..8, or VM_CR */
#define H_VM_MASK   (0xfu << 14)
#define H_HN_SHIFT  18 /* the header name a name state of hm counts in: HN_* */
#define H_HN_MASK   (0x3u << 18)
#define H_PH_SHIFT  20 /* where in the message: PH_* */
#define H_PH_MASK   (0x7u << 20)
#define H_CL	    (1u << 23) /* a Content-Length value is in app_ptr */
#define H_TE	    (1u << 24) /* a Transfer-Encoding header was seen */
#define H_CHUNKED   (1u << 25) /* ... and its last coding so far is chunked */
#define H_BAD	    (1u << 26) /* bad framing: the closing response is B, not C */
/* Request line: MM_*. Content-Length: significant digits of the list element being read
 * (at most CLEN_DIGITS_MAX). With H_BAD: the reason (BAD_*). */
#define H_AUX_SHIFT 27
#define H_AUX_MASK  (0xfu << 27)
#define H_HMODE	    (1u << 31) /* the keep-alive responses are header-only (a HEAD connection) */
/* app_ptr's top bits (struct hstate's x): the 100 (Continue) state (RFC 9110 10.1.1). X_MODE: the
 * connection's first request (HTTP/1.1) expected 100-continue: every response unit is a 100 and
 * a final response, the 100 queued when the request's headers end, the final response when its
 * body has arrived (RFC 9110 15.2: a client parses an unexpected 1xx). X_EXP: this request
 * carries "Expect: 100-continue" (until its headers end). X_TAIL: a later request on a
 * connection not in X_MODE expected it: its 100 starts the closing tail (100, then C or B). */
#define X_SHIFT	 61
#define X_V_MASK ((UINT64_C(1) << X_SHIFT) - 1)
#define X_TAIL	 (UINT64_C(1) << X_SHIFT)
#define X_EXP	 (UINT64_C(2) << X_SHIFT)
#define X_MODE	 (UINT64_C(4) << X_SHIFT)
/* H_VM after the request line: the request is HEAD (VM_HEAD), and fill's view of it */
#define VM_HEAD	    1u
#define H_HEAD	    (VM_HEAD << H_VM_SHIFT)
#define VM_TO_HMODE 31 /* VM_HEAD << VM_TO_HMODE == H_HMODE: no branch to turn one into the other */

/* The method matcher (H_AUX in the request line, RFC 9110 9.1: case-sensitive): 0..4 bytes of
 * "HEAD " matched from the line's start, MM_HEAD all of them, MM_OTHER another method. */
#define MM_HEAD	 5
#define MM_OTHER 6
static const char hhead[] = "HEAD ";

/*
 * Message phases (H_PH_*). PH_HDR: request line and headers. PH_BODY: app_ptr Content-Length
 * bytes left. Chunked: PH_CSIZE (chunk-size so far in app_ptr, crlf 1 once a digit came),
 * PH_CEXT (a chunk extension, ignored), PH_CLF (the line's CR came, its LF must follow),
 * PH_CDATA (app_ptr data bytes left), PH_CEND (the CRLF after the data: crlf counts it),
 * PH_TRAILER (trailer fields until an empty line, crlf as in the headers).
 */
enum {
	PH_HDR,
	PH_BODY,
	PH_CSIZE,
	PH_CEXT,
	PH_CLF,
	PH_CDATA,
	PH_CEND,
	PH_TRAILER
};

/*
 * Header matcher values: 0 = this line cannot match; HM_LINE: at a line's start; 1 + k: k bytes
 * of the name HN_* (in H_HN) matched, k >= 1. Connection's value: HMC_VALUE before a token
 * (optional whitespace, commas); HMC_VALUE + k = k bytes of "close" matched (HMC_CLOSE: all, a
 * delimiter must follow); HMC_CLOSE + k = k bytes of "keep-alive" (HMC_KA: all); HMC_SKIP: inside
 * another token, until the next comma. Content-Length: HML_PRE before an element's digits,
 * HML_DIG in them, HML_POST after them (only blanks, a comma or the line's end may follow).
 * Transfer-Encoding: HMT_PRE before a coding, HMT_TOK + k = k bytes of "chunked" (HMT_CHUNKED:
 * all), HMT_POST blanks after chunked, HMT_OTHER another coding (or parameters) until a comma.
 * HM_CREND_L/T: a Content-Length/Transfer-Encoding value ended at a CR; only LF may follow.
 */
#define HM_LINE	    1
#define HMC_VALUE   19
#define HMC_CLOSE   24
#define HMC_KA	    34
#define HMC_SKIP    35
#define HML_PRE	    36
#define HML_DIG	    37
#define HML_POST    38
#define HMT_PRE	    39
#define HMT_TOK	    39
#define HMT_CHUNKED 46
#define HMT_POST    47
#define HMT_OTHER   48
#define HM_CREND_L  49
#define HM_CREND_T  50
/* Expect's value (RFC 9110 10.1.1): HME_PRE before the first member (blanks, commas), HME_TOK + k:
 * k bytes of "100-continue" (HME_FULL: all; blanks may follow, then CR or a comma). */
#define HME_PRE	 51
#define HME_TOK	 51
#define HME_FULL 63

enum {
	HN_CONN,
	HN_CLEN,
	HN_TE,
	HN_EXP
};
static const char *const hnames[4] = {
	"connection:", "content-length:", "transfer-encoding:", "expect:"};
static const uint8_t hnlen[4] = {11, 15, 18, 7};

/* Why a request is refused (H_AUX with H_BAD), and each reason's counter. */
enum {
	BAD_NONE,
	BAD_CLEN,
	BAD_TE,
	BAD_TE_CLEN,
	BAD_CHUNK,
	BAD_FOLD
};
static const enum tcpd_stat bad_stat[] = {
	[BAD_NONE] = TCPD_STAT_http_bad_content_length,
	[BAD_CLEN] = TCPD_STAT_http_bad_content_length,
	[BAD_TE] = TCPD_STAT_http_bad_transfer_encoding,
	[BAD_TE_CLEN] = TCPD_STAT_http_te_and_content_length,
	[BAD_CHUNK] = TCPD_STAT_http_bad_chunk,
	[BAD_FOLD] = TCPD_STAT_http_obs_fold,
};

/* A Content-Length element has at most this many significant digits (up to 10^15 - 1). */
#define CLEN_DIGITS_MAX 15
/* A chunk size above this (2^60 - 1) is refused: app_ptr's top bits are the X_* flags. */
#define CHUNK_MAX (X_V_MASK >> 1)

static const char hclose[] = "close";
static const char hka[] = "keep-alive";
static const char hchunked[] = "chunked";
static const char hcontinue[] = "100-continue";
static const char hver[] = "HTTP/1.0"; /* RFC 9112 2.3: case-sensitive */
#define VM_CR 9			       /* "HTTP/1.0" then CR */

/* The parser's state, unpacked from app_state and app_ptr for one call. */
struct hstate {
	uint32_t st;   /* app_state's flags and fields below H_VM_MASK's */
	uint32_t crlf; /* H_CRLF_MASK's value */
	uint32_t hm;   /* H_HM_MASK's value */
	uint32_t vm;   /* H_VM_MASK's value */
	uint64_t v;    /* app_ptr's low bits: a length, a size or the bytes left */
	uint64_t x;    /* app_ptr's top bits, in place: X_* */
	int stop;      /* stop reading this segment (closing, or too much unacknowledged) */
};

_Static_assert(sizeof(void *) >= sizeof(uint64_t), "app_ptr holds a 64-bit length");
#define HMODE_TO_HEAD 29 /* H_HMODE >> HMODE_TO_HEAD == RESP_HEAD */
_Static_assert(VM_HEAD << VM_TO_HMODE == H_HMODE && H_HMODE >> HMODE_TO_HEAD == RESP_HEAD,
	       "the HEAD flag's three forms");
_Static_assert(CLEN_DIGITS_MAX <= H_AUX_MASK >> H_AUX_SHIFT &&
		       BAD_FOLD <= H_AUX_MASK >> H_AUX_SHIFT &&
		       MM_OTHER <= H_AUX_MASK >> H_AUX_SHIFT,
	       "H_AUX holds a digit count, a reason and the method matcher");
_Static_assert(HME_FULL == HME_TOK + sizeof(hcontinue) - 1 && HME_FULL <= H_HM_MASK >> H_HM_SHIFT &&
		       HN_EXP <= H_HN_MASK >> H_HN_SHIFT,
	       "H_HM holds Expect's matcher, H_HN its name");
_Static_assert(sizeof(hcont) - 1 == 25, "the 100 response");

static inline uint32_t
phase(uint32_t st)
{
	return (st & H_PH_MASK) >> H_PH_SHIFT;
}

static inline void
set_phase(uint32_t *st, uint32_t ph)
{
	*st = (*st & ~H_PH_MASK) | ph << H_PH_SHIFT;
}

static inline uint32_t
aux(uint32_t st)
{
	return (st & H_AUX_MASK) >> H_AUX_SHIFT;
}

static inline void
set_aux(uint32_t *st, uint32_t n)
{
	*st = (*st & ~H_AUX_MASK) | n << H_AUX_SHIFT;
}

/* Mark the request bad for @p why. @return 0 (the matcher value of a line that cannot match) */
static inline uint32_t
bad(uint32_t *st, uint32_t why)
{
	*st |= H_BAD;
	set_aux(st, why);
	return 0;
}

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

static inline int
is_blank(uint8_t ch)
{
	return ch == ' ' || ch == '\t';
}

/* Bytes that may start a header line the matchers look at (Connection, Content-Length,
 * Transfer-Encoding, Expect: C, T, E in any case), or that are not a header name's (blanks:
 * obs-fold; CR, LF: the headers' end; other controls: the byte path decides). */
static const uint8_t line_matters[256] = {
	[0 ... ' '] = 1, ['C'] = 1, ['c'] = 1, ['E'] = 1, ['e'] = 1, ['T'] = 1, ['t'] = 1,
};

/*
 * From a header line's start @p i (after a LF): every line whole in the segment whose first byte
 * starts no name the matchers know, skipped as whole_line would (only its CR LF or bare LF
 * counts, in s->crlf). @return the first line's start that is not such a line, or @p len.
 */
static inline uint32_t
skip_lines(const uint8_t *data, uint32_t i, uint32_t len, struct hstate *s)
{
	while (i < len && !line_matters[data[i]]) {
		uint32_t nl = http_find_lf(data, i, len);

		if (nl == len)
			break;				/* not whole: the byte path */
		s->crlf = data[nl - 1] == '\r' ? 2 : 0; /* nl > i: data[i] is no LF */
		i = nl + 1;
	}
	return i;
}

/*
 * Inside a header line that cannot match: only its end changes the state. @return where
 * parsing goes on: the line's CR (or LF), or @len if the segment ends first. The line ends at
 * its LF (http_find_lf); its CR is parsed, also one that ends the segment (the LF comes in the
 * next). A lone CR inside the line changes nothing.
 */
static inline uint32_t
skip_line(const uint8_t *data, uint32_t i, uint32_t len)
{
	uint32_t end = http_find_lf(data, i, len);

	if (end > i && data[end - 1] == '\r')
		end--;
	return end;
}

/* The 5 bytes at @p d are "HEAD " (one 32-bit compare and a byte). */
static inline int
is_head(const uint8_t *d)
{
	uint32_t a, b;

	memcpy(&a, d, 4);
	memcpy(&b, hhead, 4);
	return a == b && d[4] == ' ';
}

/* The request line ended (its LF): past it, with VM_HEAD in H_VM if its method is HEAD. */
static inline uint32_t
request_line_end(uint32_t *st, int head)
{
	*st = (*st & ~H_AUX_MASK) | H_HDRS;
	return head ? VM_HEAD : 0;
}

/* A request line whole in the segment, from a line's start (H_AUX 0) or after a method already
 * decided (MM_HEAD, MM_OTHER): its version from its last bytes (what stands right before CR LF),
 * its method from its first, then past its LF. @return the LF's offset (@i if the line is not
 * whole, or "HEAD " was partly matched in the last segment: the byte path goes on with it);
 * s->vm is VM_HEAD for a HEAD request. */
static inline uint32_t
request_line(const uint8_t *data, uint32_t i, uint32_t len, struct hstate *s)
{
	uint32_t end, lf = http_find_lf(data, i, len), mm;
	int head, long_line;

	if (lf == len)
		return i;
	end = lf;
	if (end > i && data[end - 1] == '\r')
		end--;
	long_line = end - i >= sizeof(hver) - 1;
	if (likely(!(s->st & H_AUX_MASK))) {
		/* the 5 bytes read are in the line, its LF included: in the buffer */
		head = (long_line || lf - i >= sizeof(hhead) - 1) && is_head(data + i);
	} else {
		mm = aux(s->st);
		if (mm < MM_HEAD)
			return i;
		head = mm == MM_HEAD;
		s->st &= ~H_AUX_MASK;
	}
	if (long_line && ends_http10(data + end))
		s->st |= H_V10;
	s->st |= H_HDRS;
	if (unlikely(head))
		s->vm = VM_HEAD; /* else it is 0 already: whole_line's condition */
	return lf;
}

/* One byte of a request line split across segments: the same result as request_line. VM_CR:
 * the version matched and a CR followed; only an LF next keeps it. The method matcher (H_AUX)
 * moves until it has decided. */
static inline uint32_t
request_line_byte(uint8_t ch, uint32_t vm, uint32_t *st)
{
	uint32_t mm = aux(*st);

	if (mm < MM_HEAD) {
		mm = ch == (uint8_t)hhead[mm] ? mm + 1 : MM_OTHER;
		set_aux(st, mm);
	}
	if (ch == '\r')
		return vm == sizeof(hver) - 1 ? VM_CR : 0;
	if (ch == '\n') {
		if (vm >= sizeof(hver) - 1)
			*st |= H_V10;
		return request_line_end(st, mm == MM_HEAD);
	}
	if (vm < sizeof(hver) - 1 && ch == (uint8_t)hver[vm])
		return vm + 1;
	return ch == (uint8_t)hver[0];
}

/* Connection's value (HMC_*) after byte @ch (@lc: lower case); a whole "close" or "keep-alive"
 * token marks the request in @st. */
static inline uint32_t
conn_byte(uint8_t ch, uint8_t lc, uint32_t hm, uint32_t *st)
{
	if (hm == HMC_VALUE) {
		if (lc == (uint8_t)hclose[0])
			return HMC_VALUE + 1;
		if (lc == (uint8_t)hka[0])
			return HMC_CLOSE + 1;
		return (ch != ' ' && ch != '\t' && ch != ',') ? HMC_SKIP : hm;
	}
	if (hm < HMC_CLOSE && lc == (uint8_t)hclose[hm - HMC_VALUE])
		return hm + 1;
	if (hm > HMC_CLOSE && hm < HMC_KA && lc == (uint8_t)hka[hm - HMC_CLOSE])
		return hm + 1;
	/* A token that starts like one of the two and then differs ends at its comma like any
	 * other (RFC 9110 7.6.1: "k, close" closes): the comma is no part of the mismatch. */
	if (hm < HMC_CLOSE || (hm > HMC_CLOSE && hm < HMC_KA))
		return ch == ',' ? HMC_VALUE : HMC_SKIP;
	if (hm != HMC_SKIP) {
		/* A whole token: it counts if a delimiter follows. */
		if (ch == '\r' || ch == ' ' || ch == '\t' || ch == ',')
			*st |= hm == HMC_CLOSE ? H_REQ_CLOSE : H_REQ_KA;
		return ch == ',' ? HMC_VALUE : HMC_SKIP;
	}
	return ch == ',' ? HMC_VALUE : hm;
}

/* Decimal digits of @p v (0 for 0). */
static uint32_t
ndigits(uint64_t v)
{
	uint32_t n = 0;

	for (; v != 0; v /= 10)
		n++;
	return n;
}

/* Digit @p pos (0: units) of @p v. */
static uint32_t
digit_at(uint64_t v, uint32_t pos)
{
	while (pos--)
		v /= 10;
	return (uint32_t)(v % 10);
}

/*
 * Digit @p d of a Content-Length element. The first element's value is built in @p v; a later
 * one (another header line, or a list: RFC 9110 8.6 and 5.3) is compared digit by digit with it,
 * leading zeros skipped, so "5, 05" is 5 and "5, 6" bad without a second 64-bit value.
 */
static inline uint32_t
clen_digit(uint32_t d, uint32_t *st, uint64_t *v)
{
	uint32_t n = aux(*st), nd;

	if (n == 0 && d == 0)
		return HML_DIG; /* a leading zero */
	if (n == CLEN_DIGITS_MAX)
		return bad(st, BAD_CLEN);
	if (!(*st & H_CL)) {
		*v = *v * 10 + d;
	} else {
		nd = ndigits(*v);
		if (n >= nd || digit_at(*v, nd - 1 - n) != d)
			return bad(st, BAD_CLEN);
	}
	set_aux(st, n + 1);
	return HML_DIG;
}

/* Content-Length's value (HML_*) after byte @p ch. */
static inline uint32_t
clen_byte(uint8_t ch, uint32_t hm, uint32_t *st, uint64_t *v)
{
	if (ch >= '0' && ch <= '9') {
		if (hm == HML_POST)
			return bad(st, BAD_CLEN);
		if (hm == HML_PRE) {
			set_aux(st, 0);
			if (!(*st & H_CL))
				*v = 0;
		}
		return clen_digit((uint32_t)(ch - '0'), st, v);
	}
	if (is_blank(ch))
		return hm == HML_PRE ? HML_PRE : HML_POST;
	if ((ch != ',' && ch != '\r' && ch != '\n') || hm == HML_PRE)
		return bad(st, BAD_CLEN);
	/* The element ends: the first sets the length, a later one must have as many digits. */
	if (!(*st & H_CL))
		*st |= H_CL;
	else if (aux(*st) != ndigits(*v))
		return bad(st, BAD_CLEN);
	return ch == ',' ? HML_PRE : ch == '\r' ? HM_CREND_L : 0;
}

/* A transfer coding ended (@p chunked: it is chunked). Chunked must be the last, and once. */
static inline uint32_t
te_coding(uint32_t *st, int chunked)
{
	if (*st & H_CHUNKED)
		return bad(st, BAD_TE);
	if (chunked)
		*st |= H_CHUNKED;
	return 1;
}

/* Transfer-Encoding's value (HMT_*) after byte @p ch (@p lc: lower case). */
static inline uint32_t
te_byte(uint8_t ch, uint8_t lc, uint32_t hm, uint32_t *st)
{
	int end = ch == ',' || ch == '\r' || ch == '\n';

	if (hm == HMT_PRE) {
		if (is_blank(ch) || ch == ',')
			return HMT_PRE; /* empty list elements are allowed (RFC 9110 5.6.1) */
		if (end)
			return ch == '\r' ? HM_CREND_T : 0;
		return lc == (uint8_t)hchunked[0] ? HMT_TOK + 1 : HMT_OTHER;
	}
	if (end) {
		if (!te_coding(st, hm == HMT_CHUNKED || hm == HMT_POST))
			return 0;
		return ch == ',' ? HMT_PRE : ch == '\r' ? HM_CREND_T : 0;
	}
	if (hm == HMT_OTHER)
		return hm;
	if (hm == HMT_CHUNKED || hm == HMT_POST)
		return is_blank(ch) ? HMT_POST : HMT_OTHER;
	return lc == (uint8_t)hchunked[hm - HMT_TOK] ? hm + 1 : HMT_OTHER;
}

/* Expect's value (HME_*) after byte @p ch (@p lc: lower case): its first member is
 * "100-continue" (any case, RFC 9110 10.1.1), X_EXP set in @p x when a delimiter follows it. Any
 * other expectation is ignored (no 417: RFC 9110 10.1.1 makes it a MAY), and so are the members
 * after the first. */
static inline uint32_t
exp_byte(uint8_t ch, uint8_t lc, uint32_t hm, uint64_t *x)
{
	if (hm == HME_PRE) {
		if (is_blank(ch) || ch == ',')
			return HME_PRE;
		return ch == (uint8_t)hcontinue[0] ? HME_TOK + 1 : 0;
	}
	if (hm < HME_FULL)
		return lc == (uint8_t)hcontinue[hm - HME_TOK] ? hm + 1 : 0;
	if (is_blank(ch))
		return HME_FULL;
	if (ch == '\r' || ch == ',')
		*x |= X_EXP;
	return 0;
}

/* The name @p hn matched with its colon: its value's first matcher state. */
static inline uint32_t
value_start(uint32_t hn, uint32_t *st)
{
	if (hn == HN_CONN)
		return HMC_VALUE;
	if (hn == HN_EXP)
		return HME_PRE;
	/* RFC 9112 6.1: both framings in one request is a smuggling attempt or a broken
	 * client: refused (a server MAY reject it, and MUST close after responding). */
	if (*st & (hn == HN_CLEN ? H_TE : H_CL))
		return bad(st, BAD_TE_CLEN);
	if (hn == HN_CLEN)
		return HML_PRE;
	*st |= H_TE;
	return HMT_PRE;
}

/* A header name's byte @p lc (lower case), in state @p hm (HM_LINE or a name state). */
static inline uint32_t
name_byte(uint8_t lc, uint32_t hm, uint32_t *st)
{
	uint32_t hn = (*st & H_HN_MASK) >> H_HN_SHIFT, k = hm - 1;

	if (hm == HM_LINE) {
		if (is_blank(lc))
			return bad(st, BAD_FOLD); /* obs-fold (RFC 9112 5.2): rejected */
		if (lc == 'c')
			hn = HN_CONN;
		else if (lc == 't')
			hn = HN_TE;
		else if (lc == 'e')
			hn = HN_EXP;
		else
			return 0;
	} else if (lc != (uint8_t)hnames[hn][k]) {
		/* "con" is common to connection and content-length: the fourth byte chooses. */
		if (hn != HN_CONN || k != 3 || lc != (uint8_t)hnames[HN_CLEN][3])
			return 0;
		hn = HN_CLEN;
	}
	*st = (*st & ~H_HN_MASK) | hn << H_HN_SHIFT;
	if (k + 1 < hnlen[hn])
		return hm + 1;
	return value_start(hn, st);
}

/* The header matcher (see HM_*) after byte @p ch, which is a LF only in a Content-Length,
 * Transfer-Encoding or Expect value (the caller sets HM_LINE after a LF). */
static inline uint32_t
header_byte(uint8_t ch, uint32_t hm, struct hstate *s)
{
	uint8_t lc = lower(ch);

	if (hm < HMC_VALUE)
		return name_byte(lc, hm, &s->st);
	if (hm <= HMC_SKIP)
		return conn_byte(ch, lc, hm, &s->st);
	if (hm <= HML_POST)
		return clen_byte(ch, hm, &s->st, &s->v);
	if (hm <= HMT_OTHER)
		return te_byte(ch, lc, hm, &s->st);
	if (hm >= HME_PRE)
		return exp_byte(ch, lc, hm, &s->x);
	/* RFC 9112 2.2: a bare CR in a field we act on makes it invalid */
	if (ch != '\n')
		return bad(&s->st, hm == HM_CREND_L ? BAD_CLEN : BAD_TE);
	return 0;
}

/* The 6 bytes at @p d are "close" in any case, then CR (a 32-bit compare and two bytes). */
static inline int
is_close_cr(const uint8_t *d)
{
	return http_word4_ci(d, "clos", "\x20\x20\x20\x20") && (d[4] | 0x20) == 'e' && d[5] == '\r';
}

/* The 11 bytes at @p d are "keep-alive" in any case, then CR (64 and 32-bit compares). */
static inline int
is_keep_alive_cr(const uint8_t *d)
{
	return http_word_ci(d, "keep-ali", "\x20\x20\x20\x20\0\x20\x20\x20") &&
	       http_word4_ci(d + 6, "live", "\x20\x20\x20\x20") && d[10] == '\r';
}

/* A Connection line whole in the segment, its value from @p k to its LF at @p end. */
static inline void
connection_value(const uint8_t *data, uint32_t k, uint32_t end, uint32_t *st)
{
	uint32_t hm;

	/* What conn_byte skips before a token, then the two usual values whole. */
	for (; k < end && (data[k] == ' ' || data[k] == '\t' || data[k] == ','); k++)
		;
	if (end - k == sizeof(hclose) && is_close_cr(data + k)) {
		*st |= H_REQ_CLOSE;
		return;
	}
	if (end - k == sizeof(hka) && is_keep_alive_cr(data + k)) {
		*st |= H_REQ_KA;
		return;
	}
	hm = HMC_VALUE;
	for (; k < end; k++)
		hm = conn_byte(data[k], lower(data[k]), hm, st);
}

/* A Content-Length or Transfer-Encoding line whole in the segment: its value from @p k, its LF
 * at @p end included, through the byte matcher (a value is short and these lines are rare). */
static void
framing_value(const uint8_t *data, uint32_t k, uint32_t end, uint32_t hn, struct hstate *s)
{
	uint32_t hm;

	s->st = (s->st & ~H_HN_MASK) | hn << H_HN_SHIFT;
	hm = value_start(hn, &s->st);
	for (; k <= end && hm != 0; k++)
		hm = header_byte(data[k], hm, s);
}

/* An Expect line whole in the segment: its value from @p k to its LF at @p end (excluded: a LF
 * ends the matcher as it is). */
static void
expect_value(const uint8_t *data, uint32_t k, uint32_t end, struct hstate *s)
{
	uint32_t hm = HME_PRE;

	for (; k < end && hm != 0; k++)
		hm = exp_byte(data[k], lower(data[k]), hm, &s->x);
}

/*
 * A header line whole in the segment, from its first byte (neither CR nor LF) at @i: the header
 * matcher run over it as header_byte would (its CR included), the names compared at once and
 * other headers skipped whole. @return the line's LF (@i if the line is not whole: the byte path
 * takes it); H_BAD set in s->st if the line is refused.
 */
static inline uint32_t
header_line(const uint8_t *data, uint32_t i, uint32_t len, struct hstate *s)
{
	uint32_t end = http_find_lf(data, i, len), n;
	uint8_t c0 = data[i];

	if (end == len)
		return i;
	n = end - i;
	if ((c0 | 0x20) == 'c') {
		if (n >= hnlen[HN_CONN] && http_is_connection(data + i))
			connection_value(data, i + hnlen[HN_CONN], end, &s->st);
		else if (n >= hnlen[HN_CLEN] && http_is_content_length(data + i))
			framing_value(data, i + hnlen[HN_CLEN], end, HN_CLEN, s);
	} else if ((c0 | 0x20) == 't') {
		if (n >= hnlen[HN_TE] && http_is_transfer_encoding(data + i))
			framing_value(data, i + hnlen[HN_TE], end, HN_TE, s);
	} else if ((c0 | 0x20) == 'e') {
		if (n >= hnlen[HN_EXP] && http_is_expect(data + i))
			expect_value(data, i + hnlen[HN_EXP], end, s);
	} else if (is_blank(c0)) {
		bad(&s->st, BAD_FOLD);
	}
	return end;
}

/* whole_line: the empty line that ends the headers (CR LF after a CR LF) is at @i. */
#define HDRS_END (UINT32_MAX - 1)

/*
 * A line whole in the segment from its start at @i: the request line, or a header line (not an
 * empty one) in the headers. @return its LF's offset, with the matchers as the byte path leaves
 * them after it (the next line's start, after CR LF or not); HDRS_END for the empty line that
 * ends the headers; UINT32_MAX if the byte path takes the line (not whole, not at a line's
 * start, or another empty line).
 */
static inline uint32_t
whole_line(const uint8_t *data, uint32_t i, uint32_t len, struct hstate *s)
{
	uint32_t nl;

	if (s->st & H_HDRS) {
		if (s->hm != HM_LINE || data[i] == '\r' || data[i] == '\n') {
			/* The empty line after a CR LF, whole: the headers end (as the byte path
			 * would see it, CR then LF with crlf 2), without two rounds of it. */
			if (s->crlf == 2 && data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
				return HDRS_END;
			return UINT32_MAX;
		}
		nl = header_line(data, i, len, s);
		if (nl == i)
			return UINT32_MAX;
	} else {
		/* a version partly matched in the last segment: the byte path */
		if (s->vm != 0 || s->crlf != 0)
			return UINT32_MAX;
		nl = request_line(data, i, len, s);
		if (!(s->st & H_HDRS))
			return UINT32_MAX;
	}
	s->crlf = nl > i && data[nl - 1] == '\r' ? 2 : 0;
	s->hm = HM_LINE;
	return nl;
}

/* --http-max-requests: is the request ending now the connection's last? The requests answered
 * so far are the stream's offset over its unit (the keep-alive response of the connection's
 * kind, after a 100 in 100 mode), so no count is kept: this request's own 100, if queued, is
 * less than a unit. The 100 mode is @p x's, the parser's own: app_ptr learns of a mode fixed in
 * this segment only when the segment is done. */
static __rte_noinline int
request_limit(const struct http_priv *h, const struct tcpd_tcb *c, uint32_t st, uint64_t x)
{
	unsigned int kind = (st & H_KMODE) ? RESP_K : RESP_R;

	if (h->max_req == 1)
		return 1;
	if (st & H_HMODE)
		kind += RESP_HEAD;
	if (x & X_MODE)
		kind += RESP_X100;
	return tcpd_tcp_app_offset(c, c->app_end) >= (uint64_t)(h->max_req - 1) * h->len[kind];
}

/*
 * End of a request: its response queued. HTTP/1.0 stays open only with keep-alive, and only on
 * a connection whose responses are K (decided by its first request, here when nothing is queued
 * yet; in 100 mode the 100 is, and expect_continue has decided). A HEAD request (@p hmode:
 * H_HMODE, else 0) gets the header-only kind; with @p head_path, a request of the other kind
 * than the connection's closes it (see H_HMODE). Past 2^31 bytes of responses the sequence offset
 * used to regenerate them could wrap: close gracefully instead (tail_max counts a 100 before C
 * or B, so a 100 queued at the next request's headers still leaves room for its closing tail).
 * @p x: the parser's X_* flags (app_ptr's are a segment old).
 * @return 1 if the connection closes after this response.
 */
static inline int
request_end(struct tcpd_app *a, struct tcpd_tcb *c, uint32_t *st, uint64_t x, uint32_t hmode,
	    int head_path)
{
	/* head_path is a constant 0 in the common caller, which has seen H_HMODE clear (and hmode
	 * 0): what it leaves out folds away */
	const struct http_priv *h = a->priv;
	unsigned int rk;
	int close;

	if (c->app_end == c->iss + 1) {
		if ((*st & (H_V10 | H_REQ_KA | H_REQ_CLOSE)) == (H_V10 | H_REQ_KA))
			*st |= H_KMODE;
		*st |= hmode;
	}
	rk = (*st & H_KMODE) ? RESP_K : RESP_R;
	close = (*st & H_REQ_CLOSE) || (head_path && ((*st ^ hmode) & H_HMODE)) ||
		((*st & H_V10) && (*st & (H_REQ_KA | H_KMODE)) != (H_REQ_KA | H_KMODE)) ||
		tcpd_tcp_app_offset(c, c->app_end) > 0x7fffffffu - h->len[rk] - h->tail_max ||
		(h->max_req != 0 && request_limit(h, c, *st, x));
	*st &= ~(H_REQ_CLOSE | H_REQ_KA | H_V10 | H_HDRS);
	tcpd_tcp_app_queue(c, h->len[(close ? RESP_C : rk) + (hmode >> HMODE_TO_HEAD)]);
	tcpd_stats_inc(a->st, TCPD_STAT_http_requests);
	if (close) {
		*st |= H_CLOSEQ;
		tcpd_tcp_app_close(c);
	}
	return close;
}

/* request_end for a HEAD request, or any on a HEAD connection: out of line, the GET path keeps
 * its constants. @return 1 if the connection closes after this response. */
static int __rte_noinline
head_request_end(struct tcpd_app *a, struct tcpd_tcb *c, struct hstate *s)
{
	uint32_t hmode = s->vm << VM_TO_HMODE;

	if (request_end(a, c, &s->st, s->x, hmode, 1))
		return 1;
	s->vm = 0;
	return 0;
}

/* Queue the 100 (Continue) response. */
static void
queue_continue(struct tcpd_app *a, struct tcpd_tcb *c)
{
	tcpd_tcp_app_queue(c, sizeof(hcont) - 1);
	tcpd_stats_inc(a->st, TCPD_STAT_http_continue);
}

/* Bad framing (the reason in H_AUX): B queued (header-only to HEAD: s->vm is still the
 * request's), then our FIN; the rest of the stream is acknowledged and ignored. On an X_MODE
 * connection B follows a 100 as every response does: queued here if the headers did not end.
 * @return @p len */
static uint32_t
bad_request(struct tcpd_app *a, struct tcpd_tcb *c, struct hstate *s, uint32_t len)
{
	const struct http_priv *h = a->priv;

	if ((s->x & X_MODE) && phase(s->st) == PH_HDR)
		queue_continue(a, c);
	tcpd_stats_inc(a->st, bad_stat[aux(s->st)]);
	tcpd_tcp_app_queue(c, h->len[RESP_B + (s->vm == VM_HEAD ? RESP_HEAD : 0)]);
	tcpd_tcp_app_close(c);
	s->st |= H_CLOSEQ;
	s->stop = 1;
	return len;
}

/* The message ended at @p i (after its last byte): answered. @return where reading goes on */
static inline uint32_t
message_end(struct tcpd_app *a, struct tcpd_tcb *c, struct hstate *s, uint32_t i, uint32_t len)
{
	set_phase(&s->st, PH_HDR);
	s->crlf = 0;
	s->hm = HM_LINE;
	if (unlikely(s->vm != 0 || (s->st & H_HMODE)) ? head_request_end(a, c, s)
						      : request_end(a, c, &s->st, s->x, 0, 0)) {
		s->stop = 1; /* s->vm stays: fill's H_HEAD for the closing response */
		return len;  /* the rest is ignored */
	}
	/* The client is not reading: stop consuming (not acknowledged, it will come again)
	 * until responses are acknowledged (http_rx refuses the next segments). */
	if (tcpd_tcp_app_unacked(c) > HTTP_MAX_OUTSTANDING)
		s->stop = 1;
	return i;
}

/*
 * A well-framed request's headers ended with X_* set: the 100 (Continue) before its content is
 * read (RFC 9110 10.1.1), on the X_MODE connection's every request. An HTTP/1.0 request's Expect
 * is ignored (10.1.1: a server MUST). The first request to expect 100-continue fixes X_MODE (and
 * the connection's HEAD kind: request_end sees a 100 queued already, and K needs HTTP/1.0). A
 * later one on a connection not in X_MODE gets the 100 too, then C after its content, then our
 * FIN: the 100 starts the closing tail (X_TAIL), the stream stays regenerable, and the client's
 * next connection starts in X_MODE.
 */
static void __rte_noinline
expect_continue(struct tcpd_app *a, struct tcpd_tcb *c, struct hstate *s)
{
	uint32_t exp = (s->x & X_EXP) && !(s->st & H_V10);

	s->x &= ~X_EXP;
	if (exp && c->app_end == c->iss + 1) {
		s->x |= X_MODE;
		s->st |= s->vm << VM_TO_HMODE;
	}
	if (s->x & X_MODE) {
		queue_continue(a, c);
	} else if (exp) {
		queue_continue(a, c);
		tcpd_stats_inc(a->st, TCPD_STAT_http_expect_close);
		s->x |= X_TAIL;
		s->st |= H_REQ_CLOSE;
	}
}

/* headers_end for a body or X_* set: out of line, the GET path keeps its registers. */
static uint32_t __rte_noinline
headers_end_body(struct tcpd_app *a, struct tcpd_tcb *c, struct hstate *s, uint32_t st, uint32_t i,
		 uint32_t len)
{
	/* RFC 9112 6.3 point 4: chunked must be the final coding */
	if ((st & (H_TE | H_CHUNKED)) == H_TE) {
		bad(&s->st, BAD_TE);
		return bad_request(a, c, s, len);
	}
	if (s->x != 0)
		expect_continue(a, c, s);
	if (!(st & (H_CL | H_TE)) || ((st & H_CL) && s->v == 0))
		return message_end(a, c, s, i, len);
	s->crlf = 0;
	s->hm = HM_LINE; /* s->vm: the request is HEAD, until its end */
	if (st & H_TE) {
		set_phase(&s->st, PH_CSIZE);
		s->v = 0;
		return i;
	}
	set_phase(&s->st, PH_BODY);
	return i;
}

/* The headers ended (their final LF at @p i - 1): a body follows, or the request is whole. */
static inline uint32_t
headers_end(struct tcpd_app *a, struct tcpd_tcb *c, struct hstate *s, uint32_t i, uint32_t len)
{
	uint32_t st = s->st;

	s->st &= ~(H_CL | H_TE | H_CHUNKED | H_HN_MASK | H_AUX_MASK);
	if (likely(!(st & (H_CL | H_TE)) && s->x == 0))
		return message_end(a, c, s, i, len);
	return headers_end_body(a, c, s, st, i, len);
}

/* The value of hex digit @p ch, -1 if it is none. */
static inline int
hexval(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = lower(ch);
	return (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
}

/* One byte of the chunked framing (RFC 9112 7.1), not of chunk data. Chunk lines end in CR LF
 * exactly (a bare LF there is refused: the framing must not be guessed). @return 1 if the
 * message ended with it; H_BAD set in s->st if it is refused. */
static int
chunk_byte(uint8_t ch, struct hstate *s)
{
	int x;

	switch (phase(s->st)) {
	case PH_CSIZE:
		x = hexval(ch);
		if (x >= 0) {
			if (s->v > CHUNK_MAX >> 4)
				return bad(&s->st, BAD_CHUNK);
			s->v = s->v << 4 | (uint64_t)x;
			s->crlf = 1; /* a digit came */
		} else if (s->crlf == 0) {
			return bad(&s->st, BAD_CHUNK);
		} else if (ch == ';' || is_blank(ch)) {
			set_phase(&s->st, PH_CEXT); /* BWS, then the extensions */
		} else if (ch == '\r') {
			set_phase(&s->st, PH_CLF);
		} else {
			return bad(&s->st, BAD_CHUNK);
		}
		return 0;
	case PH_CEXT:
		if (ch == '\r')
			set_phase(&s->st, PH_CLF);
		else if (ch == '\n')
			return bad(&s->st, BAD_CHUNK);
		return 0;
	case PH_CLF:
		if (ch != '\n')
			return bad(&s->st, BAD_CHUNK);
		set_phase(&s->st, s->v == 0 ? PH_TRAILER : PH_CDATA);
		s->crlf = 2; /* the trailer section starts after a CR LF */
		return 0;
	case PH_CEND:
		if (ch != (s->crlf == 0 ? '\r' : '\n'))
			return bad(&s->st, BAD_CHUNK);
		if (s->crlf++ == 1) {
			set_phase(&s->st, PH_CSIZE);
			s->crlf = 0;
			s->v = 0;
		}
		return 0;
	default: /* PH_TRAILER: fields ignored, up to the empty line, as the headers end */
		if (ch == '\r') {
			s->crlf = s->crlf == 2 ? 3 : 1;
			return 0;
		}
		if (ch == '\n' && s->crlf == 3)
			return 1;
		s->crlf = (ch == '\n' && s->crlf == 1) ? 2 : 0;
		return 0;
	}
}

/* A body from @p i: Content-Length bytes, or chunked. @return where reading goes on. */
static uint32_t
http_body(struct tcpd_app *a, struct tcpd_tcb *c, struct hstate *s, const uint8_t *data, uint32_t i,
	  uint32_t len)
{
	while (i < len) {
		uint32_t ph = phase(s->st);

		if (ph == PH_BODY || ph == PH_CDATA) {
			/* Data: acknowledged, never looked at. */
			uint32_t n = s->v < len - i ? (uint32_t)s->v : len - i;

			i += n;
			s->v -= n;
			if (s->v != 0)
				return i;
			if (ph == PH_BODY)
				return message_end(a, c, s, i, len);
			set_phase(&s->st, PH_CEND);
			s->crlf = 0;
			continue;
		}
		if (chunk_byte(data[i++], s))
			return message_end(a, c, s, i, len);
		if (unlikely(s->st & H_BAD))
			return bad_request(a, c, s, len);
	}
	return i;
}

/* Request lines and headers from @p i. @return where reading goes on: after the headers' end,
 * or @p len. */
static inline uint32_t
http_headers(struct tcpd_app *a, struct tcpd_tcb *c, struct hstate *s, const uint8_t *data,
	     uint32_t i, uint32_t len)
{
	for (; i < len; i++) {
		uint32_t nl;
		uint8_t ch;

		if (s->hm == 0 && s->crlf == 0 && (s->st & H_HDRS)) {
			/* most of a request's bytes: halves the parser's cost */
			i = skip_line(data, i, len);
			if (i == len)
				break;
		}
		if (s->hm == HM_LINE && (s->st & H_HDRS)) {
			/* most header lines: a byte and a scan each */
			i = skip_lines(data, i, len, s);
			if (i == len)
				break;
		}
		if (unlikely(data[i] == '\r' || data[i] == '\n') && !(s->st & H_HDRS) &&
		    !(s->st & H_AUX_MASK) && s->vm == 0) {
			/* RFC 9112 2.2: empty lines before a request line are ignored (a client's
			 * CR LF after a body); crlf keeps a CR for the byte path's sake */
			s->crlf = data[i] == '\r';
			continue;
		}
		nl = whole_line(data, i, len, s);
		if (nl == HDRS_END)
			return headers_end(a, c, s, i + 2, len);
		if (nl != UINT32_MAX) {
			if (unlikely(s->st & H_BAD))
				return bad_request(a, c, s, len);
			i = nl;
			continue;
		}
		ch = data[i];
		if (!(s->st & H_HDRS)) {
			/* The request line is no header: nothing on it is matched as one. */
			s->hm = 0;
			s->vm = request_line_byte(ch, s->vm, &s->st);
		}
		if (s->hm != 0 && (ch != '\n' || s->hm >= HML_PRE)) {
			s->hm = header_byte(ch, s->hm, s);
			if (unlikely(s->st & H_BAD))
				return bad_request(a, c, s, len);
		}
		if (ch == '\n')
			s->hm = HM_LINE;
		if (ch == '\r') {
			s->crlf = s->crlf == 2 ? 3 : 1;
		} else if (ch == '\n' && (s->crlf == 1 || s->crlf == 3)) {
			if (s->crlf == 3)
				return headers_end(a, c, s, i + 1, len);
			s->crlf = 2;
		} else {
			s->crlf = 0;
		}
	}
	return i;
}

static uint32_t
http_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	uint32_t avail, uint32_t room, int *m_taken)
{
	uint32_t len = avail < room ? avail : room, i = 0;
	struct hstate s;

	RTE_SET_USED(m);
	RTE_SET_USED(m_taken);
	if (c->app_state & H_CLOSEQ)
		return len; /* closing: acknowledged and ignored */
	/* A client not reading its responses: no request is read, whichever segment it comes
	 * in, until they are acknowledged down to the bound (message_end stops within a
	 * segment). Else one request a segment got through and the queue grew without bound. */
	if (unlikely(tcpd_tcp_app_unacked(c) > HTTP_MAX_OUTSTANDING))
		return 0;
	s.st = c->app_state;
	s.crlf = s.st & H_CRLF_MASK;
	s.hm = (s.st & H_HM_MASK) >> H_HM_SHIFT;
	s.vm = (s.st & H_VM_MASK) >> H_VM_SHIFT;
	s.v = (uint64_t)(uintptr_t)c->app_ptr;
	s.x = s.v & ~X_V_MASK;
	s.v &= X_V_MASK;
	s.stop = 0;
	while (i < len && !s.stop) {
		if (likely(phase(s.st) == PH_HDR))
			i = http_headers(a, c, &s, data, i, len);
		else
			i = http_body(a, c, &s, data, i, len);
	}
	c->app_state = (s.st & ~(H_CRLF_MASK | H_HM_MASK | H_VM_MASK)) | s.crlf |
		       (s.hm << H_HM_SHIFT) | (s.vm << H_VM_SHIFT);
	c->app_ptr = (void *)(uintptr_t)(s.v | s.x);
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

/* The stream's bytes from @p seq: keep-alive responses @p rk, then if @p closeq the tail @p last
 * (C, and H_CLOSEQ's, in the common caller: constants, so the common path keeps its registers). */
static inline void
fill_stream(const struct http_priv *h, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	    uint32_t len, unsigned int rk, unsigned int last, int closeq)
{
	uint32_t rlen = h->len[rk];
	uint32_t c_start = c->app_end - h->len[last];

	while (len) {
		uint32_t r, n;
		unsigned int which;

		if (closeq && tcpd_seq_ge(seq, c_start)) {
			which = last;
			r = seq - c_start;
			n = h->len[last] - r;
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

/* The other streams: a refused request's (its last response is B), a HEAD connection's
 * (header-only keep-alive responses), one closed by a HEAD request (its last response
 * header-only), an X_MODE connection's (each response after a 100), or one whose tail starts
 * with a 100 (X_TAIL: the 100 alone until the final response is queued). Rare in a benchmark of
 * GETs: kept out of line. H_HEAD may also be a version matcher's bit in a request line: it counts
 * only with H_CLOSEQ. */
static void __rte_noinline
fill_other(const struct http_priv *h, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	   uint32_t len)
{
	uint32_t st = c->app_state;
	uint64_t x = (uintptr_t)c->app_ptr;
	unsigned int rk = (st & H_KMODE) ? RESP_K : RESP_R;
	unsigned int last = (st & H_BAD) ? RESP_B : RESP_C;
	int closeq = (st & H_CLOSEQ) != 0;

	if (st & H_HMODE)
		rk += RESP_HEAD;
	if ((st & (H_CLOSEQ | H_HEAD)) == (H_CLOSEQ | H_HEAD))
		last += RESP_HEAD;
	if (x & X_MODE)
		rk += RESP_X100;
	if (x & (X_MODE | X_TAIL))
		last += RESP_X100;
	if ((x & X_TAIL) && !closeq) {
		last = RESP_CONT;
		closeq = 1;
	}
	fill_stream(h, c, dst, seq, len, rk, last, closeq);
}

static void
http_fill(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	  uint32_t len)
{
	if (unlikely((c->app_state & (H_BAD | H_HMODE | H_HEAD)) ||
		     (uintptr_t)c->app_ptr >> X_SHIFT != 0))
		fill_other(a->priv, c, dst, seq, len);
	else
		fill_stream(a->priv, c, dst, seq, len, (c->app_state & H_KMODE) ? RESP_K : RESP_R,
			    RESP_C, (c->app_state & H_CLOSEQ) != 0);
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
	for (i = 0; i < RESP_B; i++) {
		static const char *const conn[RESP_B] = {"", "Connection: close\r\n",
							 "Connection: keep-alive\r\n"};
		int n = http_header(h->hdr[i], sizeof(h->hdr[i]), cfg->http_body_size, conn[i]);

		h->hlen[i] = (uint16_t)n;
		h->len[i] = (uint32_t)n + cfg->http_body_size;
	}
	/* B: the whole response is its "header" (no body pattern). */
	h->hlen[RESP_B] = (uint16_t)strlen(TCPD_APP_HTTP_400);
	memcpy(h->hdr[RESP_B], TCPD_APP_HTTP_400, h->hlen[RESP_B]);
	h->len[RESP_B] = h->hlen[RESP_B];
	/* The answers to HEAD: each header section alone (B's ends at its blank line). */
	for (i = 0; i < RESP_HEAD; i++) {
		const char *b_end = strstr(TCPD_APP_HTTP_400, "\r\n\r\n") + 4;
		uint32_t n = i == RESP_B ? (uint32_t)(b_end - TCPD_APP_HTTP_400) : h->hlen[i];

		memcpy(h->hdr[i + RESP_HEAD], h->hdr[i], h->hlen[i]);
		h->hlen[i + RESP_HEAD] = (uint16_t)n;
		h->len[i + RESP_HEAD] = n;
	}
	/* Each one after a 100: its "header" starts with the 100. */
	for (i = 0; i < RESP_X100; i++) {
		const size_t n100 = sizeof(hcont) - 1;

		RTE_BUILD_BUG_ON(sizeof(hcont) - 1 + sizeof(TCPD_APP_HTTP_400) > sizeof(h->hdr[0]));
		memcpy(h->hdr[i + RESP_X100], hcont, n100);
		memcpy(h->hdr[i + RESP_X100] + n100, h->hdr[i], h->hlen[i]);
		h->hlen[i + RESP_X100] = (uint16_t)(h->hlen[i] + n100);
		h->len[i + RESP_X100] = h->len[i] + (uint32_t)n100;
	}
	memcpy(h->hdr[RESP_CONT], hcont, sizeof(hcont) - 1);
	h->hlen[RESP_CONT] = sizeof(hcont) - 1;
	h->len[RESP_CONT] = sizeof(hcont) - 1;
	h->tail_max = RTE_MAX(h->len[RESP_C + RESP_X100], h->len[RESP_B + RESP_X100]);
	h->max_req = cfg->http_max_requests;
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
