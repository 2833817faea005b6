/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target 5: client mode against a hostile server. One worker with its load engine (the
 * scenario runner's set-up, fuzz_worker_create_client) opens four connections to 198.18.0.2
 * (--connect 198.18.0.2:80:http,198.18.0.2:7:echo, --src-ports 40000-40001, --cps 4 for one
 * second, --concurrency 4), or eight (--cps 8: each tuple used twice, our TIME-WAIT taken over
 * or the tuple busy), on a virtual clock. The input plays the server: each record answers
 * one of the four tuples (http from 40000, echo from 40000, http from 40001, echo from 40001)
 * with a SYN-ACK, data, FIN, RST, raw flags or an ICMP error about the tuple's last segment, or
 * only lets time pass. The harness answers the engine's ARP request itself (at once, 2 s late or
 * never). With h3 bit 4 the same runs over IPv6 (tcpd_tcp_connect6): --ip6 2001:2::1/64, the
 * targets [2001:2::2]:80 and :7, the next hop resolved by neighbour discovery (the harness's
 * NA), the peer's frames with flow label 0x5a5a5, ICMPv6 errors instead of ICMP.
 *
 * Checked after every burst (abort on violation):
 *  - every frame sent is well formed: ARP, or IPv4 from our address to the peer's MAC, header
 *    and TCP checksums, lengths, within the MTU, an announced MSS of at most MTU - 40, to a
 *    tuple of the input (or a RST); over IPv6 (and only then) an NS for the peer to its
 *    solicited-node group (hop limit 255, its checksum), or TCP from our address to the peer's
 *    address and MAC, no extension header, the checksum over the IPv6 pseudo-header, lengths,
 *    hop limit 64, flow label 0 or the peer's (reflected), an MSS of at most MTU - 60;
 *  - no ACK covers sequence space the peer never sent: the bytes from one of the peer's SYNs up
 *    to the ACK were all carried by segments of the peer with a correct checksum (whether the
 *    worker should have taken them is not judged: lenient); a RST may carry
 *    <ACK=SEG.SEQ+SEG.LEN> of a segment of the same burst;
 *  - a connection still in SYN-SENT after the burst sent nothing but SYNs (no ACK, no payload,
 *    no FIN, always its ISS) and RSTs in it;
 *  - no data beyond the furthest window edge the peer offered, but a 1-byte probe; the echo
 *    client's data is the pattern at its stream offset, within payload x requests;
 *  - the http client's data is, byte for byte at its stream offset, the request built here from
 *    the options ("GET / HTTP/1.1", Host with the target's address and port, User-Agent, the
 *    CRLFs), once per request; a byte sent again is what it was the first time; nothing past
 *    requests x the request, nor past the request after the responses the connection completed;
 *    its FIN ends a request;
 *  - a connection's segment size, once the SYN-ACK fixed it, never drops below the floor an
 *    ICMP error may set (RFC 8201 4: 1280 - 60 over IPv6; 576 - 40 over IPv4);
 *  - the table: walk count = table count = conn_live, the per-state gauges, SND.UNA <= SND.NXT
 *    <= SND.MAX, the timer wheel's count, a timer on every entry but ESTABLISHED and CLOSE-WAIT
 *    ones (the engine's response timeout and drain end those);
 *  - the engine's accounting: failed is the sum of the failed_* reasons, refused is refused_cap
 *    plus the launch failures, scheduled = attempted + refused; the connections launched and not
 *    yet ended (completed, or failed by a connection reason) are exactly the three concurrency
 *    gauges' sum and the connections in the table outside TIME-WAIT (each ends exactly once);
 *    a completed connection had all its responses;
 *  - at the end the clock runs on (at most 15 virtual minutes) until the engine is done and the
 *    table empty: then every launch ended, the gauges are 0, all were scheduled (4 or 8; none
 *    if the next hop was never resolved: --arp-timeout ends the run), and
 *    after the worker is freed every mbuf is back in the pool.
 *
 * Header (4 bytes): h0 bits 0-1 requests per connection - 1, 2-3 rto_retries - 1, 4-5 http
 * response stream, 6-7 echo payload size; h1 bits 0-1 response timeout, 2-3 MTU (1500, 576,
 * 9000, 1280; over IPv6 1500, 1400, 9000, 1280: the daemon refuses less than 1280 with --ip6), 4-5
 * idle_timeout, 6 time_wait 1 s (else 3), 7 fin_wait2_timeout 1 s (else 5); h2 peer ISN base;
 * h3 bits 0-1 drain seconds - 1, bit 2 eight launches (--cps 8), bit 3 a table of 4 entries
 * (below the option's minimum: launches refused for a full table), bit 4 IPv6, bit 5 the ARP or
 * ND answer 2 s late, bit 6 never.
 * Record (8 bytes, then 4 option bytes if r0 bit 5, then payload bytes if taken from input):
 *   r0 bits 0-1 tuple, 2-4 kind (0 SYN-ACK, 1 data, 2 FIN, 3 RST, 4 raw flags r1, 5 ICMP error,
 *      6 and 7: time passes only), 5 options follow, 6 same burst as the next record
 *   r1 flags: kind 1 its PSH/URG/ECE/CWR bits, kind 3 bit 4 RST+ACK, kind 4 all of them; kind 5
 *      bits 0-3 the unreachable code (4: fragmentation needed), bit 4 a time exceeded instead;
 *      over IPv6 the unreachable code is bits 0-2 (4: port unreachable), bit 5 a packet too big
 *      (MTU 1000 + r5 x 8) instead, time exceeded's code bit 0
 *   r2 payload length: < 0xe0 as is, else (r2 - 0xdf) * 128
 *   r3 SEQ delta, r4 ACK delta (by the modes of r7)
 *   r5 window / 257 (ICMP: next-hop MTU / 8)
 *   r6 clock advance before the frame: (r6 & 63) << (4 * (r6 >> 6)) ms
 *   r7 bits 0-1 payload: the server's stream at the segment's offset (the http responses, or
 *      the echo of what the worker sent), input bytes, that stream with one byte changed,
 *      zeros; 2-3 SEQ mode: the peer's next + (int8)r3, + (int8)r3 * 4096, ISN + 1 + r3 * 64,
 *      arbitrary; 4-5 ACK mode: the worker's next + (int8)r4, its ISS + 1 + r4 * 16, its next +
 *      (int8)r4 * 4096, arbitrary; 6 bad TCP checksum; 7 (SYN-ACK) a new ISN
 *   options o0 bits: 0 MSS, 1 WS, 2 SACK-permitted, 3 TS, 4 SACK block, 5 EOL first, 6 NOP
 *      padding, 7 malformed length; o1 MSS index / WS value; o2 TSval delta (without TS: up
 *      to 3 more SACK blocks, fuzz_frame.h); o3 TSecr / SACK delta
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "tcpd_app.h"
#include "tcpd_config.h"
#include "tcpd_load.h"
#include "tcpd_net.h"

#include "config_internal.h" /* tcpd_config_find/set: client options by name, as the scenarios */

#include "fuzz_common.h"
#include "fuzz_frame.h"
#include "fuzz_worker.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NTUPLES	    4
#define NISN	    8	   /* peer ISNs remembered per tuple */
#define COV	    65536u /* sequence space tracked after each peer ISN */
#define MAX_OUT	    4096   /* frames collected per step */
#define MAX_BURST   32
#define FRAME_MAX   2048
#define MAX_STEPEND 64		/* peer segment ends remembered per step (RST answers) */
#define PEER_IP	    0xc6120002u /* 198.18.0.2 */
#define PEER_FLOW   0x5a5a5u	/* the peer's IPv6 flow label */
#define ND_LATE_MS  2000	/* a late answer to ARP or ND: within --arp-timeout's 3 s */
#define REQ_MAX	    512		/* bytes of the http request stream tracked: 4 x 128 */

/* The peer over IPv6 (h3 bit 4), on --ip6's prefix, and its solicited-node group */
static const uint8_t peer_ip6[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t peer_snm6[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2};

/* The http responses a server might send, one of them per input (h0 bits 4-5). */
static const char *const http_resp[4] = {
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
	"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
	("HTTP/1.0 200 OK\r\nServer: x\r\nConnection: keep-alive\r\nContent-Length: 12\r\n\r\n"
	 "hello world\n"),
	"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n",
};

struct isn_cov {
	uint32_t isn;
	uint32_t cont; /* sequence space from the ISN covered without a gap (the SYN is 1) */
	bool pinned;   /* the worker acknowledged in it: its RCV.IRS, never forgotten */
	uint8_t bits[COV / 8];
};

struct tuple {
	uint16_t peer_port, local_port;
	bool echo;
	/* what the worker sent */
	bool have_iss;
	uint32_t iss, dut_nxt, dut_tsval;
	bool dut_ts;
	uint8_t last[60]; /* its last segment's IP header and TCP header (ICMP quote) */
	uint8_t last_hl;  /* the IP header's length in it */
	bool have_last;
	/* http: the request bytes it sent at each stream offset, the first time */
	uint8_t req_sent[REQ_MAX];
	uint8_t req_seen[REQ_MAX / 8];
	/* what the peer sent */
	bool have_isn;
	uint32_t isn, peer_nxt, ts_base;
	/* the right edge of the peer's window, the furthest it offered (SEG.ACK + SEG.WND scaled
	 * by the largest shift its SYNs announced: lenient), once it sent an ACK */
	bool edge_ok;
	uint8_t ws_max;
	uint32_t edge;
	unsigned int ncov, evict;
	struct isn_cov cov[NISN];
	/* this step */
	uint8_t state;		/* after the step: its connection's state (TCPD_CLOSED: none) */
	uint32_t cur_iss, done; /* and that connection's ISS and responses (UINT32_MAX: none) */
	/* before the step: its connection (live, ISS, state, segment size) */
	bool pre_live;
	uint32_t pre_iss;
	uint8_t pre_state;
	uint16_t pre_mss;
	bool syn_sent_bad;
	char why[96];
};

struct state {
	struct fuzz_worker *fw;
	struct tcpd_config cfg;
	bool v6;	   /* the targets over IPv6 (h3 bit 4) */
	bool resolved;	   /* the harness answered the engine's ARP request or NS */
	uint64_t nh_at;	   /* when it answers (ms; UINT64_MAX: never) */
	unsigned int nsol; /* NS sent (over IPv6) */
	struct tuple t[NTUPLES];
	uint64_t hz, now_ms, now_tsc;
	uint32_t stepend[MAX_STEPEND];
	unsigned int nstepend;
	char resp[512]; /* the http response stream: the response, requests times */
	uint32_t resp_len;
	char req[128]; /* the request the http client must send, built here from the options */
	uint32_t req_len;
	struct rte_mbuf *out[MAX_OUT];
};

static struct state S;
static bool trace;

static struct tuple *
tuple_of(uint16_t peer_port, uint16_t local_port)
{
	for (unsigned int i = 0; i < NTUPLES; i++)
		if (S.t[i].peer_port == peer_port && S.t[i].local_port == local_port)
			return &S.t[i];
	return NULL;
}

static void
opt_set(const char *name, const char *val)
{
	const struct tcpd_opt *o = tcpd_config_find(name, NULL);
	char err[256];

	if (o == NULL || tcpd_config_set(&S.cfg, o, val, "fuzz", err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: --%s %s: %s\n", name, val, o ? err : "no such option");
		abort();
	}
}

/* The configuration is one the daemon takes (but max_conns 4, below the option's minimum). */
static void
config_check(void)
{
	char err[512];

	if (tcpd_config_check(&S.cfg, err, sizeof(err)) < 0 ||
	    tcpd_config_client_check(&S.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: a configuration the daemon refuses: %s\n", err);
		abort();
	}
}

static void
config_from(const uint8_t h[4])
{
	static const char *const payload[4] = {"100", "1", "1000", "3000"};
	static const char *const resp_to[4] = {"5", "1", "2", "30"};
	static const uint16_t mtu[4] = {1500, 576, 9000, 1280};
	/* IPv6 links carry 1280 bytes (RFC 8200 5): the daemon refuses less with --ip6 */
	static const uint16_t mtu6[4] = {1500, 1400, 9000, 1280};
	static const uint32_t idle[4] = {0, 1, 10, 60};
	char buf[16];

	tcpd_config_defaults(&S.cfg);
	S.cfg.rto_retries = 1 + ((h[0] >> 2) & 3);
	S.v6 = (h[3] & 0x10) != 0;
	S.cfg.mtu = (S.v6 ? mtu6 : mtu)[(h[1] >> 2) & 3];
	S.cfg.idle_timeout = idle[(h[1] >> 4) & 3];
	S.cfg.time_wait = (h[1] & 0x40) ? 1 : 3;
	S.cfg.fin_wait2_timeout = (h[1] & 0x80) ? 1 : 5;
	S.cfg.max_conns = (h[3] & 8) ? 4 : 16;
	S.cfg.nb_listen = 0;
	if (S.v6) {
		memcpy(S.cfg.ip6, fuzz_our_ip6, 16);
		S.cfg.ip6_prefix_len = 64;
		opt_set("connect", "[2001:2::2]:80:http,[2001:2::2]:7:echo");
	} else {
		opt_set("connect", "198.18.0.2:80:http,198.18.0.2:7:echo");
	}
	S.nh_at = (h[3] & 0x40) ? UINT64_MAX : (h[3] & 0x20) ? ND_LATE_MS : 1;
	opt_set("src-ports", "40000-40001");
	opt_set("cps", (h[3] & 4) ? "8" : "4");
	opt_set("duration", "1");
	opt_set("concurrency", "4");
	snprintf(buf, sizeof(buf), "%u", 1 + (h[0] & 3));
	opt_set("requests", buf);
	opt_set("payload", payload[(h[0] >> 6) & 3]);
	opt_set("response-timeout", resp_to[h[1] & 3]);
	snprintf(buf, sizeof(buf), "%u", 1 + (h[3] & 3));
	opt_set("drain", buf);
	config_check();
	/* RFC 9112 3.2: the origin form "/" and Host with the target's port; an IPv6 literal in
	 * brackets (RFC 3986 3.2.2) */
	S.req_len =
		(uint32_t)snprintf(S.req, sizeof(S.req),
				   "GET / HTTP/1.1\r\nHost: %s:80\r\nUser-Agent: dpdk-tcpd\r\n\r\n",
				   S.v6 ? "[2001:2::2]" : "198.18.0.2");
	S.resp_len = 0;
	for (unsigned int i = 0; i < S.cfg.client.requests; i++) {
		const char *r = http_resp[(h[0] >> 4) & 3];
		size_t n = strlen(r);

		memcpy(S.resp + S.resp_len, r, n);
		S.resp_len += (uint32_t)n;
	}
}

/* ---- what the peer sent ---------------------------------------------------------------- */

static void
cov_mark(struct isn_cov *c, uint32_t off, uint32_t len)
{
	for (uint32_t o = off; o < off + len && o < COV; o++)
		c->bits[o >> 3] |= (uint8_t)(1u << (o & 7));
	while (c->cont < COV && (c->bits[c->cont >> 3] >> (c->cont & 7) & 1))
		c->cont++;
}

/* A segment of the peer with a correct checksum: [seq, seq + len) of sequence space (SYN and
 * FIN included). A SYN starts a new sequence space (one of NISN). */
static void
peer_sent(struct tuple *t, bool syn, uint32_t seq, uint32_t len)
{
	unsigned int i;

	if (S.nstepend < MAX_STEPEND)
		S.stepend[S.nstepend++] = seq + len;
	if (syn) {
		for (i = 0; i < t->ncov && t->cov[i].isn != seq; i++)
			;
		if (i == t->ncov) {
			if (t->ncov < NISN) {
				t->ncov++;
			} else {
				/* forget the oldest ISN the worker did not synchronize to */
				for (unsigned int k = 0; k < NISN; k++) {
					i = (t->evict + k) % NISN;
					if (!t->cov[i].pinned)
						break;
				}
				t->evict = (i + 1) % NISN;
			}
			memset(&t->cov[i], 0, sizeof(t->cov[i]));
			t->cov[i].isn = seq;
		}
	}
	for (i = 0; i < t->ncov; i++) {
		uint32_t off = seq - t->cov[i].isn;

		if (off < COV)
			cov_mark(&t->cov[i], off, len);
		else if ((int32_t)off < 0 && (int32_t)(off + len) > 0)
			cov_mark(&t->cov[i], 0, off + len); /* from before the ISN: its end */
	}
}

/* A segment of the peer with ACK @p ack and window @p win; a SYN with a window scale @p ws. */
static void
peer_window(struct tuple *t, uint8_t fl, uint32_t ack, uint32_t win, bool has_ws, uint8_t ws)
{
	uint32_t e;

	if ((fl & TCPD_TH_SYN) && has_ws && RTE_MIN(ws, 14) > t->ws_max)
		t->ws_max = RTE_MIN(ws, 14);
	/* a window counts only with an ACK of what the worker sent (RFC 9293 3.10.7.4: SND.UNA =<
	 * SEG.ACK =< SND.NXT, leniently from the ISS); a far ACK is no furthest edge */
	if (!(fl & TCPD_TH_ACK) || !t->have_iss || fuzz_seq_lt(ack, t->iss) ||
	    fuzz_seq_lt(t->dut_nxt, ack))
		return;
	e = ack + ((fl & TCPD_TH_SYN) ? win : win << t->ws_max); /* a SYN's is never scaled */
	if (!t->edge_ok || fuzz_seq_lt(t->edge, e))
		t->edge = e;
	t->edge_ok = true;
}

static bool
ack_covered(struct tuple *t, uint32_t ack)
{
	for (unsigned int i = 0; i < t->ncov; i++) {
		uint32_t d = ack - t->cov[i].isn;

		if (d >= 1 && d <= t->cov[i].cont) {
			t->cov[i].pinned = true;
			return true;
		}
	}
	return false;
}

/* ---- what the worker sent -------------------------------------------------------------- */

static void
trace_frame(const char *dir, const uint8_t *f, unsigned int len)
{
	bool v6 = len >= 74 && fuzz_ld16(f + 12) == 0x86dd && f[20] == 6;
	const uint8_t *th = f + (v6 ? 54 : 34);
	unsigned int tl = v6 ? fuzz_ld16(f + 18) : fuzz_ld16(f + 16) - 20u;

	if (!trace)
		return;
	if (!v6 && (len < 54 || fuzz_ld16(f + 12) != 0x0800 || f[23] != 6)) {
		fprintf(stderr, "%s frame %u bytes type 0x%04x\n", dir, len, fuzz_ld16(f + 12));
		return;
	}
	fprintf(stderr, "%s %u -> %u flags 0x%02x seq %u ack %u len %u win %u (t %lu ms)\n", dir,
		fuzz_ld16(th), fuzz_ld16(th + 2), th[13], fuzz_ld32(th + 4), fuzz_ld32(th + 8),
		tl - (th[12] >> 4) * 4, fuzz_ld16(th + 14), (unsigned long)S.now_ms);
}

/* The options of a sent segment: MSS within the MTU, the TSval kept for the peer's TSecr. */
static void
sent_opts(struct tuple *t, const uint8_t *th, uint32_t doff)
{
	uint32_t i = 20;

	while (i < doff) {
		uint8_t k = th[i];

		if (k == 0)
			break;
		if (k == 1) {
			i++;
			continue;
		}
		FUZZ_CHECK(i + 1 < doff && th[i + 1] >= 2 && i + th[i + 1] <= doff, "",
			   "option %u of a sent segment runs past its header", k);
		if (k == 2) {
			FUZZ_CHECK(th[i + 1] == 4 && (th[13] & TCPD_TH_SYN), "",
				   "MSS option of length %u in a segment with flags 0x%02x",
				   th[i + 1], th[13]);
			FUZZ_CHECK(fuzz_ld16(th + i + 2) <= S.cfg.mtu - (S.v6 ? 60 : 40), "",
				   "announced MSS %u over MTU %u - %u", fuzz_ld16(th + i + 2),
				   S.cfg.mtu, S.v6 ? 60 : 40);
		}
		if (k == 8 && th[i + 1] == 10 && t != NULL) {
			t->dut_tsval = fuzz_ld32(th + i + 2);
			t->dut_ts = true;
		}
		i += th[i + 1];
	}
}

/* What a SYN-SENT connection may send: its SYN (ISS, no ACK, no data, no FIN) or a RST. */
static void
syn_sent_frame(struct tuple *t, uint8_t fl, uint32_t seq, uint32_t plen)
{
	if (fl & TCPD_TH_RST)
		return;
	if ((fl & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_FIN)) == TCPD_TH_SYN && plen == 0 &&
	    seq == t->iss)
		return;
	if (!t->syn_sent_bad)
		snprintf(t->why, sizeof(t->why), "flags 0x%02x seq %u (ISS %u) len %u", fl, seq,
			 t->iss, plen);
	t->syn_sent_bad = true;
}

/* The echo client's requests: @p n bytes at stream offset @p off, the pattern, within the
 * requests it makes (a retransmission refilled after an MSS change too). */
static void
check_echo_payload(const struct tuple *t, const uint8_t *p, uint32_t off, uint32_t n)
{
	uint64_t total = (uint64_t)S.cfg.client.payload * S.cfg.client.requests;

	FUZZ_CHECK(off < total && n <= total - off, "",
		   "echo data at offset %u, %u bytes: beyond the %lu bytes of its requests", off, n,
		   (unsigned long)total);
	for (uint32_t i = 0; i < n; i++)
		FUZZ_CHECK(p[i] == tcpd_app_http_body_byte(off + i), "",
			   "echo data at offset %u (port %u): 0x%02x, not the pattern's 0x%02x",
			   off + i, t->local_port, p[i], tcpd_app_http_body_byte(off + i));
}

/*
 * The http client's request stream: @p n bytes at stream offset @p off. Each byte is the
 * configured request's at that offset (the same request once per --requests), a retransmitted
 * byte what it was the first time, and nothing lies past the stream's end or, while the
 * connection is the one in the table after the step, past the request after the responses it
 * completed (the next request goes only once the response before is whole).
 */
static void
check_http_request(struct tuple *t, const uint8_t *p, uint32_t off, uint32_t n)
{
	uint64_t total = (uint64_t)S.req_len * S.cfg.client.requests;
	uint64_t cur_end = t->done == UINT32_MAX || t->cur_iss != t->iss
				   ? total
				   : (uint64_t)S.req_len * (t->done + 1);

	FUZZ_CHECK(off < total && n <= total - off, "",
		   "http request data at offset %u, %u bytes (port %u): past the %lu bytes of its "
		   "%u requests",
		   off, n, t->local_port, (unsigned long)total, S.cfg.client.requests);
	FUZZ_CHECK(
		off + n <= cur_end, "",
		"http request data [%u, %u) (port %u) past the end of request %lu, %u response(s) "
		"completed",
		off, off + n, t->local_port, (unsigned long)(cur_end / S.req_len), t->done);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t o = off + i;
		uint8_t want = (uint8_t)S.req[o % S.req_len];

		FUZZ_CHECK(o >= REQ_MAX || !(t->req_seen[o >> 3] >> (o & 7) & 1) ||
				   p[i] == t->req_sent[o],
			   "",
			   "http request byte %u (port %u) sent again as 0x%02x, first as 0x%02x",
			   o, t->local_port, p[i], t->req_sent[o]);
		FUZZ_CHECK(p[i] == want, "",
			   "http request byte %u (port %u): 0x%02x, not 0x%02x (byte %u of the "
			   "request)",
			   o, t->local_port, p[i], want, o % S.req_len);
		if (o < REQ_MAX) {
			t->req_sent[o] = p[i];
			t->req_seen[o >> 3] |= (uint8_t)(1u << (o & 7));
		}
	}
}

/* A TCP segment of @p tl bytes after the IP header @p ip of @p ihl bytes (its pseudo-header's
 * sum @p ph), its addresses checked by the caller. */
static void
sent_tcp(const uint8_t *ip, uint32_t ihl, uint32_t tl, uint32_t ph)
{
	const uint8_t *th = ip + ihl;
	uint32_t doff = (uint32_t)(th[12] >> 4) * 4, plen, seq, ack, end;
	uint8_t fl = th[13];
	struct tuple *t;

	FUZZ_CHECK(tl >= 20 && doff >= 20 && doff <= tl, "", "TCP header: data offset %u of %u",
		   doff, tl);
	FUZZ_CHECK(fuzz_sum16(th, tl, ph) == 0xffff, "", "TCP checksum");
	t = tuple_of(fuzz_ld16(th + 2), fuzz_ld16(th));
	FUZZ_CHECK(t != NULL || (fl & TCPD_TH_RST), "",
		   "segment (flags 0x%02x) on %u -> %u, no tuple", fl, fuzz_ld16(th),
		   fuzz_ld16(th + 2));
	sent_opts(t, th, doff);
	seq = fuzz_ld32(th + 4);
	ack = fuzz_ld32(th + 8);
	plen = tl - doff;
	end = seq + plen + !!(fl & TCPD_TH_SYN) + !!(fl & TCPD_TH_FIN);
	if (fl & TCPD_TH_ACK) {
		bool rst_answer = false;

		for (unsigned int i = 0; (fl & TCPD_TH_RST) && i < S.nstepend; i++)
			rst_answer |= S.stepend[i] == ack;
		FUZZ_CHECK(rst_answer || (t != NULL && ack_covered(t, ack)), "",
			   "ACK %u (flags 0x%02x, %u -> %u) covers sequence space the peer never "
			   "sent",
			   ack, fl, fuzz_ld16(th), fuzz_ld16(th + 2));
	}
	if (t == NULL)
		return;
	if ((fl & TCPD_TH_SYN) && (!t->have_iss || seq != t->iss)) {
		/* a new connection on the tuple */
		t->have_iss = true;
		t->iss = seq;
		t->dut_nxt = seq + 1;
		t->dut_ts = false;
		t->have_isn = false;
		t->ncov = 0; /* the peer's earlier SYNs were before this connection */
		t->evict = 0;
		/* what the tuple sent before this SYN in the step was the old connection's (our
		 * TIME-WAIT answering, then taken over by the launch) */
		t->syn_sent_bad = false;
		t->edge_ok = false;
		t->ws_max = 0;
		memset(t->req_seen, 0, sizeof(t->req_seen));
	}
	if (t->have_iss && !(fl & TCPD_TH_RST) && fuzz_seq_lt(t->dut_nxt, end))
		t->dut_nxt = end;
	if (t->have_iss)
		syn_sent_frame(t, fl, seq, plen); /* judged if the connection is in SYN-SENT */
	if (t->have_iss && t->echo && plen != 0 && !(fl & (TCPD_TH_SYN | TCPD_TH_RST)))
		check_echo_payload(t, th + doff, seq - (t->iss + 1), plen);
	if (t->have_iss && !t->echo && plen != 0 && !(fl & TCPD_TH_RST))
		check_http_request(t, th + doff, seq - (t->iss + 1), plen);
	/* the client queues whole requests and closes after them: its FIN ends one */
	FUZZ_CHECK(!t->have_iss || t->echo || !(fl & TCPD_TH_FIN) || (fl & TCPD_TH_RST) ||
			   ((seq + plen - (t->iss + 1)) % S.req_len == 0 &&
			    seq + plen - (t->iss + 1) <= S.req_len * S.cfg.client.requests),
		   "",
		   "http FIN at request stream offset %u (port %u): not the end of one of the %u "
		   "%u-byte requests",
		   seq + plen - (t->iss + 1), t->local_port, S.cfg.client.requests, S.req_len);
	/* RFC 9293 3.8.6: no data beyond the window the peer offered, but for a 1-byte probe */
	FUZZ_CHECK(plen == 0 || (fl & TCPD_TH_RST) ||
			   (t->edge_ok && !fuzz_seq_lt(t->edge + 1, seq + plen)),
		   "", "data [%u, %u) (port %u -> %u) beyond the peer's window (edge %u%s)", seq,
		   seq + plen, t->local_port, t->peer_port, t->edge,
		   t->edge_ok ? "" : ", none offered");
	if (ihl + 20 <= sizeof(t->last)) {
		memcpy(t->last, ip, ihl);
		memcpy(t->last + ihl, th, 20);
		t->last_hl = (uint8_t)ihl;
		t->have_last = true;
	}
}

/*
 * An IPv6 frame of the worker: our address as the source, no extension header, within the MTU.
 * A neighbour solicitation (RFC 4861 7.2.2) for the peer goes to its solicited-node group at
 * its MAC (RFC 2464 7), hop limit 255; other ICMPv6 (echo replies, NAs): its checksum only
 * (fuzz_net checks those). TCP goes to the peer's MAC and address, hop limit 64, with a flow
 * label of 0 (a connection's segments) or the peer's (a stateless RST reflects it).
 */
static void
sent_ip6(const uint8_t *f, uint32_t len)
{
	const uint8_t *ip = f + 14, *ic = f + 54;
	uint32_t plen, label;

	FUZZ_CHECK(S.v6, "", "an IPv6 frame with IPv4 targets only");
	FUZZ_CHECK(len >= 54 && (ip[0] >> 4) == 6, "", "IPv6 header: frame %u, version %u", len,
		   ip[0] >> 4);
	plen = fuzz_ld16(ip + 4);
	FUZZ_CHECK(len == 54 + plen, "", "frame %u bytes for IPv6 payload length %u", len, plen);
	FUZZ_CHECK(memcmp(ip + 8, fuzz_our_ip6, 16) == 0, "", "IPv6 source not ours");
	FUZZ_CHECK(40 + plen <= S.cfg.mtu, "", "IPv6 packet of %u bytes over the MTU %u", 40 + plen,
		   S.cfg.mtu);
	if (ip[6] == 58) {
		FUZZ_CHECK(plen >= 8 && fuzz_sum16(ic, plen, fuzz_ph6(ip, plen, 58)) == 0xffff, "",
			   "ICMPv6 checksum (type %u, %u bytes)", plen ? ic[0] : 0, plen);
		if (ic[0] != 135)
			return;
		FUZZ_CHECK(plen >= 24 && memcmp(ic + 8, peer_ip6, 16) == 0 && ip[7] == 255 &&
				   memcmp(ip + 24, peer_snm6, 16) == 0 &&
				   memcmp(f, (const uint8_t[6]){0x33, 0x33, 0xff, 0, 0, 2}, 6) == 0,
			   "", "NS: not for the peer at its solicited-node group, hop limit %u",
			   ip[7]);
		S.nsol++;
		return;
	}
	FUZZ_CHECK(memcmp(f, fuzz_peer_mac, 6) == 0, "", "destination MAC not the peer's");
	FUZZ_CHECK(ip[6] == 6, "", "IPv6 next header %u", ip[6]);
	FUZZ_CHECK(ip[7] == 64, "", "IPv6 hop limit %u", ip[7]);
	FUZZ_CHECK(memcmp(ip + 24, peer_ip6, 16) == 0, "", "IPv6 destination not the peer");
	label = fuzz_ld32(ip) & 0xfffff;
	FUZZ_CHECK(label == 0 || label == PEER_FLOW, "",
		   "flow label 0x%05x: neither 0 nor the peer's 0x%05x", label, PEER_FLOW);
	sent_tcp(ip, 40, plen, fuzz_ph6(ip, plen, 6));
}

static void
check_sent(struct rte_mbuf *m)
{
	static const struct rte_ether_addr our_mac = FUZZ_OUR_MAC;
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m), ihl, tot;
	const uint8_t *ip = f + 14;

	FUZZ_CHECK(m->nb_segs == 1 && len == m->pkt_len && len >= 60, "",
		   "frame of %u bytes (%u segments)", len, m->nb_segs);
	trace_frame("out", f, len);
	FUZZ_CHECK(memcmp(f + 6, &our_mac, 6) == 0, "", "source MAC not ours");
	if (fuzz_ld16(f + 12) == 0x0806) {
		FUZZ_CHECK(!S.v6, "", "an ARP request with IPv6 targets only");
		return; /* the engine's ARP request */
	}
	if (fuzz_ld16(f + 12) == 0x86dd) {
		sent_ip6(f, len);
		return;
	}
	FUZZ_CHECK(!S.v6, "", "an IPv4 frame (ethertype 0x%04x) with IPv6 targets only",
		   fuzz_ld16(f + 12));
	FUZZ_CHECK(memcmp(f, fuzz_peer_mac, 6) == 0, "", "destination MAC not the peer's");
	FUZZ_CHECK(fuzz_ld16(f + 12) == 0x0800, "", "ethertype 0x%04x", fuzz_ld16(f + 12));
	ihl = (uint32_t)(ip[0] & 0xf) * 4;
	tot = fuzz_ld16(ip + 2);
	FUZZ_CHECK((ip[0] >> 4) == 4 && ihl >= 20 && tot >= ihl && 14 + tot <= len, "",
		   "IPv4 header: ver/ihl 0x%02x total %u frame %u", ip[0], tot, len);
	FUZZ_CHECK(len == 14 + tot || len == 60, "", "frame %u bytes for IP length %u", len, tot);
	FUZZ_CHECK(fuzz_sum16(ip, ihl, 0) == 0xffff, "", "IPv4 checksum");
	FUZZ_CHECK(tot <= S.cfg.mtu, "", "IPv4 datagram of %u bytes over the MTU %u", tot,
		   S.cfg.mtu);
	if (ip[9] == 1)
		return; /* an ICMP echo reply: fuzz_net checks those */
	FUZZ_CHECK(ip[9] == 6, "", "IP protocol %u", ip[9]);
	FUZZ_CHECK(fuzz_ld32(ip + 12) == rte_be_to_cpu_32(FUZZ_OUR_IP) &&
			   fuzz_ld32(ip + 16) == PEER_IP,
		   "", "addresses %08x -> %08x", fuzz_ld32(ip + 12), fuzz_ld32(ip + 16));
	sent_tcp(ip, ihl, tot - ihl, fuzz_ph4(ip, tot - ihl));
}

/* ---- the table and the engine ------------------------------------------------------------ */

static void
check_table(uint32_t *open)
{
	struct tcpd_conn_table *tbl = fuzz_worker_table(S.fw);
	uint32_t i, cap = tcpd_conn_capacity(tbl);
	struct fuzz_walk w = {0};
	struct fuzz_conn_view v;
	int64_t left;

	*open = 0;
	for (i = 0; i < cap; i++) {
		fuzz_worker_conn(S.fw, i, &v);
		if (!fuzz_walk_conn(&w, &v, i))
			continue;
		FUZZ_CHECK(v.armed || v.state == TCPD_ESTABLISHED || v.state == TCPD_CLOSE_WAIT, "",
			   "entry %u (%u -> %u) in state %u has no timer: it never goes away", i,
			   v.local_port, v.peer_port, v.state);
		(*open)++;
	}
	for (i = 0; i < tcpd_conn_small_capacity(tbl); i++) {
		fuzz_worker_tw(S.fw, i, &v, &left);
		if (!v.live)
			continue;
		FUZZ_CHECK(v.found, "", "TIME-WAIT entry %u not found under its key", i);
		w.live++;
		w.per_state[TCPD_TIME_WAIT]++;
	}
	fuzz_walk_check(S.fw, &w);
}

/* The engine's books; @p open: connections in the table outside TIME-WAIT. Returns the
 * launches not ended yet. */
static uint64_t
check_books(uint32_t open)
{
	const struct tcpd_load_stats *ls = fuzz_worker_load_stats(S.fw);
	const uint64_t *c = ls->c, *f = ls->fail;
	uint64_t sum = 0, launch_fail, ended, gauges;

	for (unsigned int i = 0; i < TCPD_LOAD_FAIL_MAX; i++)
		sum += f[i];
	FUZZ_CHECK(c[TCPD_LOAD_failed] == sum, "", "failed %lu != sum of the reasons %lu",
		   (unsigned long)c[TCPD_LOAD_failed], (unsigned long)sum);
	launch_fail = f[TCPD_LOAD_FAIL_no_tuple] + f[TCPD_LOAD_FAIL_no_mbuf] +
		      f[TCPD_LOAD_FAIL_table_full];
	FUZZ_CHECK(c[TCPD_LOAD_refused] == c[TCPD_LOAD_refused_cap] + launch_fail, "",
		   "refused %lu != refused_cap %lu + launch failures %lu",
		   (unsigned long)c[TCPD_LOAD_refused], (unsigned long)c[TCPD_LOAD_refused_cap],
		   (unsigned long)launch_fail);
	FUZZ_CHECK(c[TCPD_LOAD_scheduled] == c[TCPD_LOAD_attempted] + c[TCPD_LOAD_refused], "",
		   "scheduled %lu != attempted %lu + refused %lu",
		   (unsigned long)c[TCPD_LOAD_scheduled], (unsigned long)c[TCPD_LOAD_attempted],
		   (unsigned long)c[TCPD_LOAD_refused]);
	ended = c[TCPD_LOAD_completed] + c[TCPD_LOAD_failed] - launch_fail;
	FUZZ_CHECK(ended <= c[TCPD_LOAD_attempted], "",
		   "%lu connections ended (completed %lu, failed %lu) of %lu attempted",
		   (unsigned long)ended, (unsigned long)c[TCPD_LOAD_completed],
		   (unsigned long)(c[TCPD_LOAD_failed] - launch_fail),
		   (unsigned long)c[TCPD_LOAD_attempted]);
	gauges = c[TCPD_LOAD_conc_syn_sent] + c[TCPD_LOAD_conc_established] +
		 c[TCPD_LOAD_conc_closing];
	FUZZ_CHECK(c[TCPD_LOAD_attempted] - ended == gauges, "",
		   "%lu connections open by the books, gauges say %lu (syn %ld est %ld closing "
		   "%ld)",
		   (unsigned long)(c[TCPD_LOAD_attempted] - ended), (unsigned long)gauges,
		   (long)c[TCPD_LOAD_conc_syn_sent], (long)c[TCPD_LOAD_conc_established],
		   (long)c[TCPD_LOAD_conc_closing]);
	FUZZ_CHECK(c[TCPD_LOAD_attempted] - ended == open, "",
		   "%lu connections open by the books, %u in the table outside TIME-WAIT",
		   (unsigned long)(c[TCPD_LOAD_attempted] - ended), open);
	FUZZ_CHECK(c[TCPD_LOAD_established] <= c[TCPD_LOAD_attempted] &&
			   c[TCPD_LOAD_completed] <= c[TCPD_LOAD_established] &&
			   c[TCPD_LOAD_responses] <= c[TCPD_LOAD_requests],
		   "", "established %lu completed %lu responses %lu requests %lu",
		   (unsigned long)c[TCPD_LOAD_established], (unsigned long)c[TCPD_LOAD_completed],
		   (unsigned long)c[TCPD_LOAD_responses], (unsigned long)c[TCPD_LOAD_requests]);
	FUZZ_CHECK(c[TCPD_LOAD_responses] >= c[TCPD_LOAD_completed] * S.cfg.client.requests, "",
		   "%lu connections completed with %lu responses, %u requests each",
		   (unsigned long)c[TCPD_LOAD_completed], (unsigned long)c[TCPD_LOAD_responses],
		   S.cfg.client.requests);
	return c[TCPD_LOAD_attempted] - ended;
}

/*
 * Each tuple's connection now: its state (TCPD_CLOSED: none), ISS, responses; before the step
 * (@p before) also its segment size, else that size is checked: only ICMP lowers it once the
 * SYN-ACK fixed it (SYN-SENT takes the peer's MSS), and never below what the smallest MTU a
 * router may report allows (RFC 8201 4: IPv6's 1280, less 60; IPv4: 576 less 40, RFC 9293
 * 3.7.1), an MTU under that floor taken as the floor.
 */
static void
tuple_states(bool before)
{
	struct tcpd_conn_table *tbl = fuzz_worker_table(S.fw);
	const uint16_t floor = S.v6 ? TCPD_IP6_MIN_MTU - 60 : 536;
	struct fuzz_conn_view v;

	for (unsigned int k = 0; k < NTUPLES; k++) {
		if (before)
			S.t[k].pre_live = false;
		S.t[k].state = TCPD_CLOSED;
		S.t[k].done = UINT32_MAX;
	}
	for (uint32_t i = 0; i < tcpd_conn_capacity(tbl); i++) {
		struct tuple *t;

		fuzz_worker_conn(S.fw, i, &v);
		t = v.live ? tuple_of((uint16_t)v.peer_port, (uint16_t)v.local_port) : NULL;
		if (t == NULL)
			continue;
		t->state = v.state;
		t->cur_iss = v.iss;
		t->done = fuzz_worker_client_done(S.fw, i);
		if (before) {
			t->pre_live = true;
			t->pre_iss = v.iss;
			t->pre_state = v.state;
			t->pre_mss = v.snd_mss;
		} else if (t->pre_live && t->pre_iss == v.iss && t->pre_state != TCPD_SYN_SENT) {
			FUZZ_CHECK(v.snd_mss >= RTE_MIN(t->pre_mss, floor), "",
				   "port %u: segment size %u after %u, below the floor %u",
				   t->local_port, v.snd_mss, t->pre_mss, floor);
		}
	}
}

/* One poll iteration with the burst @p pkts, then the checks. */
static void
step(struct rte_mbuf **pkts, uint16_t n)
{
	unsigned int got, i, k, dropped = 0;
	uint32_t open;

	for (k = 0; k < NTUPLES; k++)
		S.t[k].syn_sent_bad = false;
	tuple_states(true);
	got = fuzz_worker_step(S.fw, pkts, n, S.now_tsc, S.out, MAX_OUT, &dropped);
	if (trace)
		fprintf(stderr, "step: %u in, %u out (t %lu ms)\n", n, got,
			(unsigned long)S.now_ms);
	/* A connection in SYN-SENT after the step was in it for the whole step (SYN-SENT is
	 * entered only from nothing: a launch), so every frame it sent is judged by that state. */
	tuple_states(false);
	for (i = 0; i < got; i++) {
		check_sent(S.out[i]);
		rte_pktmbuf_free(S.out[i]);
	}
	for (k = 0; k < NTUPLES; k++)
		FUZZ_CHECK(!(S.t[k].state == TCPD_SYN_SENT && S.t[k].syn_sent_bad), "",
			   "tuple %u -> %u in SYN-SENT sent %s", S.t[k].local_port,
			   S.t[k].peer_port, S.t[k].why);
	S.nstepend = 0;
	check_table(&open);
	check_books(open);
}

static void
advance(uint64_t ms)
{
	S.now_ms += ms;
	S.now_tsc = fuzz_worker_tsc0(S.fw) + S.now_ms * S.hz / 1000;
}

/* ---- building frames ------------------------------------------------------------------- */

static unsigned int
arp_reply(uint8_t *f)
{
	static const struct rte_ether_addr our_mac = FUZZ_OUR_MAC;

	memset(f, 0, 60);
	memcpy(f, &our_mac, 6);
	memcpy(f + 6, fuzz_peer_mac, 6);
	fuzz_st16(f + 12, 0x0806);
	fuzz_st16(f + 14, 1);
	fuzz_st16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	fuzz_st16(f + 20, 2);
	memcpy(f + 22, fuzz_peer_mac, 6);
	fuzz_st32(f + 28, PEER_IP);
	memcpy(f + 32, &our_mac, 6);
	memcpy(f + 38, &(uint32_t){FUZZ_OUR_IP}, 4);
	return 60;
}

/* The peer's neighbour advertisement (RFC 4861 4.4), solicited, with its link-layer address. */
static unsigned int
nd_reply(uint8_t *f)
{
	uint8_t *ip = f + 14, *ic = f + 54;

	fuzz_eth_ip6(f, peer_ip6, 0, 58, 32);
	ip[7] = 255;
	memset(ic, 0, 32);
	ic[0] = 136;
	ic[4] = 0x60; /* solicited, override */
	memcpy(ic + 8, peer_ip6, 16);
	ic[24] = 2; /* target link-layer address */
	ic[25] = 1;
	memcpy(ic + 26, fuzz_peer_mac, 6);
	fuzz_st16(ic + 2, (uint16_t)~fuzz_sum16(ic, 32, fuzz_ph6(ip, 32, 58)));
	return 86;
}

/* The harness answers the engine's ARP request or NS once the clock reaches S.nh_at. */
static void
resolve(void)
{
	uint8_t f[96];

	if (S.resolved || S.now_ms < S.nh_at)
		return;
	S.resolved = true;
	step((struct rte_mbuf *[]){fuzz_frame_mbuf(f, S.v6 ? nd_reply(f) : arp_reply(f))}, 1);
}

/* The clock advances by @p ms; the harness's late answer to ARP or ND comes at its time, in a
 * poll iteration of its own (before the frames of a burst held over it: their segment ends
 * are kept for that burst's RST check), not after the engine gave up. */
static void
pass(uint64_t ms)
{
	if (!S.resolved && S.nh_at != UINT64_MAX && S.now_ms + ms >= S.nh_at) {
		uint64_t d = S.nh_at - S.now_ms;
		unsigned int held = S.nstepend;

		advance(d);
		step(NULL, 0);
		resolve();
		S.nstepend = held;
		ms -= d;
	}
	advance(ms);
}

/* The server's stream at offset @p off: the http responses, or the echo of the pattern. */
static uint8_t
server_byte(const struct tuple *t, uint32_t off)
{
	if (t->echo)
		return tcpd_app_http_body_byte(off);
	return off < S.resp_len ? (uint8_t)S.resp[off] : 'X';
}

static void
fill_payload(uint8_t *d, unsigned int len, const uint8_t rec[8], const struct tuple *t,
	     uint32_t seq, struct fuzz_reader *r)
{
	uint32_t off = seq - (t->isn + 1), i;

	switch (rec[7] & 3) {
	case 0:
	case 2:
		for (i = 0; i < len; i++)
			d[i] = server_byte(t, off + i);
		if ((rec[7] & 3) == 2 && len != 0)
			d[rec[5] % len] ^= (uint8_t)(rec[4] | 1);
		break;
	case 1:
		fuzz_take_pad(r, d, len, 'x');
		break;
	default:
		memset(d, 0, len);
	}
}

static uint32_t
seq_of(const struct tuple *t, const uint8_t rec[8])
{
	switch ((rec[7] >> 2) & 3) {
	case 0:
		return t->peer_nxt + (uint32_t)(int32_t)(int8_t)rec[3];
	case 1:
		return t->peer_nxt + (uint32_t)(int32_t)(int8_t)rec[3] * 4096;
	case 2:
		return t->isn + 1 + (uint32_t)rec[3] * 64;
	default:
		return (uint32_t)rec[3] << 24 | (uint32_t)rec[4] << 8 | rec[5];
	}
}

static uint32_t
ack_of(const struct tuple *t, const uint8_t rec[8])
{
	switch ((rec[7] >> 4) & 3) {
	case 0:
		return t->dut_nxt + (uint32_t)(int32_t)(int8_t)rec[4];
	case 1:
		return t->iss + 1 + (uint32_t)rec[4] * 16;
	case 2:
		return t->dut_nxt + (uint32_t)(int32_t)(int8_t)rec[4] * 4096;
	default:
		return (uint32_t)rec[4] << 24 | (uint32_t)rec[3] << 8 | rec[2];
	}
}

/*
 * An ICMPv6 error quoting the tuple's last segment (its SEQ moved by the SEQ mode): r1 bit 4 a
 * time exceeded (code bit 0), else bit 5 a packet too big (RFC 4443 3.2) with the MTU 1000 +
 * r5 x 8 (below the minimum 1280 too), else a destination unreachable of code r1 bits 0-2.
 */
static unsigned int
build_icmp6(uint8_t *f, struct tuple *t, const uint8_t rec[8])
{
	uint8_t *ip = f + 14, *ic = f + 54;
	unsigned int n = 8 + t->last_hl + 20;

	fuzz_eth_ip6(f, peer_ip6, PEER_FLOW, 58, n);
	memset(ic, 0, 8);
	if (rec[1] & 0x10) {
		ic[0] = 3;
		ic[1] = rec[1] & 1;
	} else if (rec[1] & 0x20) {
		ic[0] = 2;
		fuzz_st32(ic + 4, 1000 + (uint32_t)rec[5] * 8);
	} else {
		ic[0] = 1;
		ic[1] = rec[1] & 7;
	}
	memcpy(ic + 8, t->last, n - 8);
	if ((rec[7] >> 2) & 3)
		fuzz_st32(ic + 8 + t->last_hl + 4,
			  fuzz_ld32(t->last + t->last_hl + 4) + (uint32_t)(int32_t)(int8_t)rec[3]);
	fuzz_st16(ic + 2, (uint16_t)~fuzz_sum16(ic, n, fuzz_ph6(ip, n, 58)));
	if (rec[7] & 0x40)
		ic[2] ^= 0x5a;
	return 54 + n;
}

/* An ICMP error quoting the tuple's last segment (its SEQ moved by the SEQ mode). */
static unsigned int
build_icmp(uint8_t *f, struct tuple *t, const uint8_t rec[8])
{
	uint8_t *ic = f + 34;

	if (!t->have_last)
		return 0;
	if (S.v6)
		return build_icmp6(f, t, rec);
	fuzz_eth_ip4(f, rte_cpu_to_be_32(PEER_IP), 1, 20 + 8 + 48, false);
	memset(ic, 0, 8);
	ic[0] = (rec[1] & 0x10) ? 11 : 3;
	ic[1] = rec[1] & 15;
	fuzz_st16(ic + 6, (uint16_t)(rec[5] * 8));
	memcpy(ic + 8, t->last, 40);
	if ((rec[7] >> 2) & 3)
		fuzz_st32(ic + 8 + 24, fuzz_ld32(t->last + 24) + (uint32_t)(int32_t)(int8_t)rec[3]);
	memset(ic + 48, 0, 8);
	fuzz_st16(ic + 2, (uint16_t)~fuzz_sum16(ic, 56, 0));
	if (rec[7] & 0x40)
		ic[2] ^= 0x5a;
	return 14 + 20 + 56;
}

static const uint8_t kind_flags[5] = {
	TCPD_TH_SYN | TCPD_TH_ACK, TCPD_TH_ACK, TCPD_TH_ACK | TCPD_TH_FIN, TCPD_TH_RST, 0,
};

/* One record into @p f; 0 at the end of the input, 1 for a record that only lets time pass. */
static unsigned int
build_record(uint8_t *f, struct fuzz_reader *r, bool *hold)
{
	uint8_t rec[8], ob[4] = {0}, opts[40], fl, *ip = f + 14, *th = f + (S.v6 ? 54 : 34);
	unsigned int kind, plen, olen = 0, doff, tl, hl = S.v6 ? 40 : 20;
	struct tuple *t;
	uint32_t seq, ack;

	if (!fuzz_take(r, rec, sizeof(rec)))
		return 0;
	if ((rec[0] & 0x20) && !fuzz_take(r, ob, sizeof(ob)))
		return 0;
	t = &S.t[rec[0] & 3];
	kind = (rec[0] >> 2) & 7;
	*hold = (rec[0] & 0x40) != 0;
	if (kind >= 6)
		return 1;
	if (kind == 5)
		return (tl = build_icmp(f, t, rec)) != 0 ? tl : 1;
	fl = kind_flags[kind];
	if (kind == 1)
		fl |= rec[1] & (TCPD_TH_PSH | TCPD_TH_URG | TCPD_TH_ECE | TCPD_TH_CWR);
	if (kind == 3 && (rec[1] & 0x10))
		fl |= TCPD_TH_ACK;
	if (kind == 4)
		fl = rec[1];
	if (kind == 0 && (!t->have_isn || (rec[7] & 0x80))) {
		t->isn = t->ts_base * 7919u + (uint32_t)rec[3] * 0x1000000u +
			 (t->have_isn ? 0x10000u : 0);
		t->have_isn = true;
		t->peer_nxt = t->isn + 1;
	}
	seq = (kind == 0) ? t->isn : seq_of(t, rec);
	ack = ack_of(t, rec);
	plen = rec[2] < 0xe0 ? rec[2] : (rec[2] - 0xdfu) * 128;
	if (plen > FRAME_MAX - 14 - 80)
		plen = FRAME_MAX - 14 - 80;
	if (rec[0] & 0x20)
		olen = fuzz_tcp_opts(opts, ob, t->ts_base + (uint32_t)S.now_ms,
				     (fl & TCPD_TH_ACK) && t->dut_ts
					     ? t->dut_tsval + (uint32_t)(int8_t)ob[3]
					     : 0,
				     t->dut_nxt);
	doff = 20 + olen;
	tl = hl + doff + plen;
	if (S.v6)
		fuzz_eth_ip6(f, peer_ip6, PEER_FLOW, 6, tl - hl);
	else
		fuzz_eth_ip4(f, rte_cpu_to_be_32(PEER_IP), 6, tl, false);
	fuzz_st16(th, t->peer_port);
	fuzz_st16(th + 2, t->local_port);
	fuzz_st32(th + 4, seq);
	fuzz_st32(th + 8, ack);
	th[12] = (uint8_t)((doff / 4) << 4);
	th[13] = fl;
	fuzz_st16(th + 14, (uint16_t)(rec[5] * 257));
	fuzz_st16(th + 16, 0);
	fuzz_st16(th + 18, (fl & TCPD_TH_URG) ? rec[4] : 0);
	memcpy(th + 20, opts, olen);
	fill_payload(th + doff, plen, rec, t, seq, r);
	fuzz_st16(th + 16,
		  (uint16_t)~fuzz_sum16(th, tl - hl,
					S.v6 ? fuzz_ph6(ip, tl - hl, 6) : fuzz_ph4(ip, tl - hl)));
	if (rec[7] & 0x40) {
		th[16] ^= 0x5a; /* bad TCP checksum: not sent, as far as the checks go */
	} else {
		uint32_t len = plen + !!(fl & TCPD_TH_SYN) + !!(fl & TCPD_TH_FIN);

		peer_sent(t, fl & TCPD_TH_SYN, seq, len);
		peer_window(t, fl, ack, (uint32_t)rec[5] * 257, (rec[0] & 0x20) && (ob[0] & 2),
			    ob[1] >> 3);
		if (fl & TCPD_TH_SYN)
			t->peer_nxt = seq + len;
		else if (!fuzz_seq_lt(t->peer_nxt, seq) && fuzz_seq_lt(t->peer_nxt, seq + len))
			t->peer_nxt = seq + len; /* contiguous: the peer's next SEQ */
	}
	return 14 + tl < 60 ? 60 : 14 + tl;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	fuzz_eal_init((*argv)[0]);
	trace = getenv("FUZZ_TRACE") != NULL;
	/* the engine prints its tuples at every creation (once per input): keep the logs small */
	if (!trace && freopen("/dev/null", "w", stdout) == NULL)
		abort();
	return 0;
}

static void
setup(const uint8_t h[4])
{
	config_from(h);
	memset(S.t, 0, sizeof(S.t));
	for (unsigned int i = 0; i < NTUPLES; i++) {
		/* launch order: the targets round robin, each chooser's tuples in turn */
		S.t[i].echo = i & 1;
		S.t[i].peer_port = (i & 1) ? 7 : 80;
		S.t[i].local_port = (uint16_t)(40000 + (i >> 1));
		S.t[i].ts_base = (uint32_t)h[2] * 1000003u + i;
	}
	S.nstepend = 0;
	S.resolved = false;
	S.nsol = 0;
	S.hz = rte_get_tsc_hz();
	S.fw = fuzz_worker_create_client(&S.cfg);
	S.now_ms = 0;
	advance(0);
	/* the engine asks for the next hop; the peer answers (unless late or never) */
	step(NULL, 0);
	FUZZ_CHECK(!S.v6 || S.nsol == 1, "", "%u NS for the peer at the start", S.nsol);
	advance(1);
	resolve();
	advance(1);
	step(NULL, 0); /* the engine starts its schedule: t = 0 is 11 ms */
}

static void
trace_books(void)
{
	const struct tcpd_load_stats *ls = fuzz_worker_load_stats(S.fw);

	if (!trace)
		return;
	for (unsigned int i = 0; i < TCPD_LOAD_CNT_MAX; i++)
		if (ls->c[i] != 0)
			fprintf(stderr, "%s=%lu ", tcpd_load_counter_name(i),
				(unsigned long)ls->c[i]);
	for (unsigned int i = 0; i < TCPD_LOAD_FAIL_MAX; i++)
		if (ls->fail[i] != 0)
			fprintf(stderr, "failed_%s=%lu ", tcpd_load_fail_name(i),
				(unsigned long)ls->fail[i]);
	fputc('\n', stderr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int baseline;
	struct fuzz_reader r = {data, size};
	struct rte_mbuf *burst[MAX_BURST];
	uint8_t frame[FRAME_MAX + 64], h[4];
	unsigned int n = 0, ri, i, len;
	const struct tcpd_load_stats *ls;
	bool hold = false;

	if (size > 8192 || !fuzz_take(&r, h, sizeof(h)))
		return 0;
	if (baseline == 0)
		baseline = rte_mempool_avail_count(fuzz_pool());
	setup(h);
	for (ri = 0; ri < 256; ri++) {
		if (r.left >= 8 && (r.p[6] & 63) != 0) {
			pass((uint64_t)(r.p[6] & 63) << (4 * (r.p[6] >> 6)));
			if (n == 0)
				step(NULL, 0);
		}
		len = build_record(frame, &r, &hold);
		if (len == 0)
			break;
		if (len > 1) {
			trace_frame(" in", frame, len);
			burst[n++] = fuzz_frame_mbuf(frame, len);
		}
		if (!hold || n == MAX_BURST) {
			step(burst, (uint16_t)n);
			n = 0;
		}
	}
	if (n)
		step(burst, (uint16_t)n);

	/* The clock runs on: the engine drains and aborts, every connection goes. */
	for (i = 0; i < 900 &&
		    (tcpd_conn_count(fuzz_worker_table(S.fw)) > 0 || !fuzz_worker_load_done(S.fw));
	     i++) {
		pass(1000);
		step(NULL, 0);
	}
	ls = fuzz_worker_load_stats(S.fw);
	trace_books();
	FUZZ_CHECK(fuzz_worker_load_done(S.fw) && tcpd_conn_count(fuzz_worker_table(S.fw)) == 0, "",
		   "after 15 virtual minutes: engine done %d, %u connection(s) in the table",
		   fuzz_worker_load_done(S.fw), tcpd_conn_count(fuzz_worker_table(S.fw)));
	/* never answered: --arp-timeout ends the run before any launch */
	FUZZ_CHECK(ls->c[TCPD_LOAD_scheduled] == (S.resolved ? S.cfg.client.cps : 0), "",
		   "%lu launches scheduled, not %u (next hop %s)",
		   (unsigned long)ls->c[TCPD_LOAD_scheduled], S.resolved ? S.cfg.client.cps : 0,
		   S.resolved ? "resolved" : "never resolved");
	FUZZ_CHECK(check_books(0) == 0, "", "launches not ended with an empty table");
	fuzz_worker_free(S.fw);
	S.fw = NULL;
	FUZZ_CHECK(rte_mempool_avail_count(fuzz_pool()) == baseline, "",
		   "%u mbufs leaked (%u free, %u at start)",
		   baseline - rte_mempool_avail_count(fuzz_pool()),
		   rte_mempool_avail_count(fuzz_pool()), baseline);
	return 0;
}
