/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target 2: one worker's whole receive path (parse, lookup, state machine, services, output,
 * timers, flush), driven by structured segments on a few tuples with a clock the input advances.
 *
 * The input is a configuration header and a list of records (format below). Each record becomes
 * one frame built with correct checksums (unless the record damages it), with sequence and
 * acknowledgment numbers chosen relative to what this peer and the worker have sent on the tuple
 * so far, so that the fuzzer reaches every state. A fresh worker per input (deterministic apart
 * from the ISN clock). When a record moves the clock, the worker's timers run first (the poll
 * loop would have run them while no frame came). Checked after every burst, and abort() on a violation:
 *  - every frame sent is well formed (addresses, IPv4 and TCP checksums; over IPv6 our source,
 *    hop limit 64, a flow label of 0 or the peer's, the TCP checksum over the IPv6
 *    pseudo-header, ICMPv6 checksums), within the MTU, and goes to a tuple of this input;
 *  - every ACK sent covers only sequence space the peer sent: the bytes from one of the peer's
 *    SYNs up to the ACK were all carried by valid segments of the peer (a RST may also answer
 *    a segment with <ACK=SEG.SEQ+SEG.LEN>; with SYN cookies, an ACK segment may stand for the
 *    SYN, see ack_covered);
 *  - TSecr only echoes a TSval of the peer, never one of a segment discarded for an ACK beyond
 *    SND.MAX (tag ts-recent, issue 11 item 3);
 *  - no timer resets a connection whose peer answered the last zero-window probe (tag
 *    persist-reset, issue 11 item 2);
 *  - the table: its count, the conn_live counter, the per-state gauges and the half-open gauge
 *    agree with a walk of the table; no live entry is CLOSED; SND.UNA <= SND.NXT <= SND.MAX;
 *  - IPv6 peer ids: conn_live6 counts the IPv6 entries, ip6_peers the distinct peer ids among
 *    them (an id lives exactly as long as a connection uses it); each entry's id stands for
 *    one of this input's IPv6 peers and the intern table finds that address under that id;
 *  - the timer wheel: its count is the number of live entries with an armed timer, no free slot
 *    has one, and every entry that must time out (SYN-RECEIVED, the closing states, data in
 *    flight, or idle with idle_timeout set) has one;
 *  - at the end, the clock runs on (at most 15 virtual minutes) until every connection is gone
 *    (then conn_live6 and ip6_peers must be 0: every peer reference released), then the worker
 *    is freed and every mbuf must be back in the pool.
 *
 * Header (4 bytes): h0 bits 0-1 syncookies, 2-3 rto_retries - 1, 4-5 idle_timeout, 6-7 time_wait;
 * h1 bits 0-2 http body size, 3-4 MTU, 5-6 synq_limit, 7 fin_wait2; h2 bits 0-1 challenge ACK
 * limit, 2-3 rst_rate, 4 a table of 4 entries (else 16), 5 tuples 0-3 over IPv6 (peer
 * 2001:2::2), 6 tuples 4-7 over IPv6 (2001:2::3); with either, the worker has --ip6
 * 2001:2::1/64 and an MTU of 1280 at least (h1's 576 reads 1400); h3 peer ISN / timestamp base.
 * Record (8 bytes, then 4 bytes of options if r0 bit 7, then payload bytes if taken from input):
 *   r0 bits 0-2 tuple, 3-4 SEQ mode, 5-6 ACK mode, 7 options follow
 *   r1 TCP flags (0xff: an ARP request or ICMP echo request instead; over IPv6 a neighbour
 *      solicitation if r3 bit 0 (bit 1: unicast, not to the solicited-node group; r4 bit 0: a
 *      target not ours), else an ICMPv6 echo request)
 *   r2 payload length: < 0xe0 as is, else (r2 - 0xdf) * 128
 *   r3 SEQ delta, r4 ACK delta (signed, scaled by the mode)
 *   SEQ modes: this peer's next, + r3, + r3 * 4096, a new ISN far away; ACK modes: the end of
 *   what the worker sent, + r4, this peer's previous ACK + r4 (duplicate ACKs), arbitrary
 *   r5 window / 257
 *   r6 clock advance before the frame: (r6 & 63) << (4 * (r6 >> 6)) ms
 *   r7 bit 0 bad TCP checksum, 1 other damage (bits 5-7 say which), 2 same burst as the next
 *      record, 3-4 payload: HTTP requests, letters, input bytes, zeros. Damage over IPv6: 0 a
 *      hop-by-hop header (PadN: valid; the TCP checksum covers the upper-layer length, not
 *      the payload length), 3 an atomic fragment header, 4 by r3 & 3: another MAC (0, 2), a
 *      destination not ours (1), a multicast source (3); the others as over IPv4
 *   options o0 bits: 0 MSS, 1 WS, 2 SACK-permitted, 3 TS, 4 SACK block, 5 EOL first, 6 NOP
 *      padding, 7 malformed length; o1 MSS / WS value; o2 TSval delta (without TS: up to 3
 *      more SACK blocks, fuzz_frame.h); o3 TSecr / SACK delta
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "tcpd_config.h"
#include "tcpd_net.h"

#include "fuzz_common.h"
#include "fuzz_frame.h"
#include "fuzz_worker.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NTUPLES	  8
#define MAX_HIST  256  /* peer segments remembered per tuple */
#define MAX_OUT	  4096 /* frames collected per step */
#define MAX_BURST 32
#define FRAME_MAX 2048

static const uint16_t local_ports[4] = {80, 7, 9, 81}; /* http, echo, discard, closed */
/* The solicited-node group of our --ip6 (fuzz_our_ip6), ff02::1:ff00:1 */
static const uint8_t our_snm6[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 1};

struct seg_range {
	uint32_t seq, end; /* [seq, end) of sequence space, SYN and FIN included */
	bool syn;
	bool ack;
	bool ts;	/* carries a timestamp option */
	bool ack_ok;	/* no ACK, or an ACK within what the worker had sent (<= SND.MAX) */
	uint32_t tsval; /* its TSval */
};

struct tuple {
	uint32_t peer_ip; /* network order */
	bool v6;	  /* over IPv6: peer_ip6, flow label flow */
	uint8_t peer_ip6[16];
	uint32_t flow;
	uint16_t peer_port; /* host order */
	uint16_t local_port;
	uint32_t peer_nxt; /* next sequence number this peer sends */
	uint32_t dut_nxt;  /* end of the highest segment the worker sent */
	/* Cookie SYN-ACKs the worker sent on this tuple, as (ISS + 1) - RCV.NXT: an ACK of one
	 * may pass the cookie check later (also with SEG.SEQ and SEG.ACK shifted together, or
	 * SEG.SEQ a few off, which Linux's layout reads as another MSS index). Those of
	 * SYN-RECEIVED entries are not kept: their RFC 6528 ISNs never pass it. */
	uint32_t synack_diff[4];
	uint8_t nsynack;
	uint32_t dut_ts;   /* the worker's last TSval */
	uint32_t last_ack; /* the ACK this peer sent last */
	/* zero-window probes: the worker sent data (a probe) and the peer answered it with an ACK
	 * of it (or of what precedes it) and a zero window; in_step: a frame of this tuple is in
	 * the current burst */
	uint32_t probe_seq;
	uint32_t dut_ack; /* the ACK field of the worker's last segment: its RCV.NXT */
	bool probe_sent, probe_answered, in_step;
	bool dut_ts_seen;   /* the worker's segments carry timestamps */
	bool peer_wnd0;	    /* the peer's last valid segment offered a zero window */
	bool ts_any;	    /* the peer sent a TSval (max_tsval valid) */
	uint32_t max_tsval; /* the peer's newest TSval */
	uint32_t ts_base;
	unsigned int nhist;
	bool hist_full; /* too many segments to check ACKs against: check skipped */
	struct seg_range hist[MAX_HIST];
};

struct state {
	struct fuzz_worker *fw;
	struct tcpd_config cfg;
	struct tuple t[NTUPLES];
	uint64_t now_tsc, hz;
	uint64_t now_ms;
	struct rte_mbuf *out[MAX_OUT];
	bool tx_lost;		  /* the worker dropped a frame it sent: TSecr checks off */
	bool in_burst;		  /* the record being built follows others in the same burst */
	bool rto_gave_up;	  /* the step's timers ended a connection's retransmission budget */
	struct tuple *last_tuple; /* the tuple of the record just built */
};

static struct state S;
static bool trace; /* FUZZ_TRACE=1: print every frame in and out (for reproductions) */

static void
trace_tcp(const char *dir, const uint8_t *f, unsigned int len)
{
	const uint8_t *ip = f + 14, *th;
	unsigned int tl, doff;

	if (!trace)
		return;
	if (len >= 74 && fuzz_ld16(f + 12) == 0x86dd && ip[6] == 6) {
		th = ip + 40;
		tl = fuzz_ld16(ip + 4);
	} else if (len >= 34 && fuzz_ld16(f + 12) == 0x0800 && ip[9] == 6) {
		th = ip + (ip[0] & 0xf) * 4;
		tl = fuzz_ld16(ip + 2) - (unsigned int)(ip[0] & 0xf) * 4;
	} else {
		fprintf(stderr, "%8lu ms %s non-TCP frame of %u bytes\n", (unsigned long)S.now_ms,
			dir, len);
		return;
	}
	doff = (unsigned int)(th[12] >> 4) * 4;
	fprintf(stderr,
		"%8lu ms %s %s%u -> %u flags 0x%02x seq %u ack %u win %u len %d doff %u frame %u\n",
		(unsigned long)S.now_ms, dir, ip[0] >> 4 == 6 ? "[v6] " : "", fuzz_ld16(th),
		fuzz_ld16(th + 2), th[13], fuzz_ld32(th + 4), fuzz_ld32(th + 8), fuzz_ld16(th + 14),
		(int)tl - (int)doff, doff, len);
}

static const char *const http_reqs[] = {
	"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
	"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	"GET / HTTP/1.0\r\n\r\n",
	"HEAD / HTTP/1.1\r\nconnection:  keep-alive, close\r\n\r\n",
	"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	fuzz_eal_init((*argv)[0]);
	trace = getenv("FUZZ_TRACE") != NULL;
	S.hz = rte_get_tsc_hz();
	return 0;
}

static void
config_from(struct tcpd_config *c, const uint8_t h[4])
{
	static const uint32_t idle[4] = {3, 1, 10, 60};
	static const uint32_t body[8] = {0, 1, 64, 500, 1460, 3000, 10000, 65536};
	static const uint16_t mtu[4] = {1500, 576, 9000, 1280};
	/* with --ip6 the daemon takes 1280 at least (RFC 8200 5; tcpd_config_check) */
	static const uint16_t mtu6[4] = {1500, 1400, 9000, 1280};
	static const uint32_t synq[4] = {1024, 1, 2, 8};
	static const uint32_t chack[4] = {10, 0, 1, 255};
	static const uint32_t rst[4] = {1000, 0, 1, 100000000};
	char err[256];

	tcpd_config_defaults(c);
	c->syncookies = (enum tcpd_syncookies)((h[0] & 3) % 3);
	c->rto_retries = 1 + ((h[0] >> 2) & 3);
	c->idle_timeout = idle[(h[0] >> 4) & 3];
	c->time_wait = 1 + ((h[0] >> 6) & 3);
	c->http_body_size = body[h[1] & 7];
	c->mtu = ((h[2] & 0x60) ? mtu6 : mtu)[(h[1] >> 3) & 3];
	c->synq_limit = synq[(h[1] >> 5) & 3];
	c->fin_wait2_timeout = (h[1] & 0x80) ? 1 : 5;
	c->challenge_ack_limit = chack[h[2] & 3];
	c->rst_rate = rst[(h[2] >> 2) & 3];
	c->max_conns = (h[2] & 0x10) ? 4 : 16; /* 4: below the option's minimum, the table fills */
	c->nb_listen = 3;
	c->listen[0] = (struct tcpd_listen){80, TCPD_SVC_HTTP};
	c->listen[1] = (struct tcpd_listen){7, TCPD_SVC_ECHO};
	c->listen[2] = (struct tcpd_listen){9, TCPD_SVC_DISCARD};
	if (h[2] & 0x60) {
		/* some tuples over IPv6: the worker gets --ip6 (its peer table of the default
		 * max_conns / 4, at least 8, entries) */
		memcpy(c->ip6, fuzz_our_ip6, 16);
		c->ip6_prefix_len = 64;
	}
	if (tcpd_config_check(c, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: a configuration the daemon refuses: %s\n", err);
		abort();
	}
}

/* ---- what the worker sent --------------------------------------------------------------- */

static struct tuple *
tuple_of(uint32_t peer_ip, uint16_t peer_port, uint16_t local_port)
{
	unsigned int i;

	for (i = 0; i < NTUPLES; i++)
		if (!S.t[i].v6 && S.t[i].peer_ip == peer_ip && S.t[i].peer_port == peer_port &&
		    S.t[i].local_port == local_port)
			return &S.t[i];
	return NULL;
}

static struct tuple *
tuple_of6(const uint8_t *peer_ip6, uint16_t peer_port, uint16_t local_port)
{
	unsigned int i;

	for (i = 0; i < NTUPLES; i++)
		if (S.t[i].v6 && memcmp(S.t[i].peer_ip6, peer_ip6, 16) == 0 &&
		    S.t[i].peer_port == peer_port && S.t[i].local_port == local_port)
			return &S.t[i];
	return NULL;
}

/* The bytes from one of the peer's SYNs up to @p ack were all carried by its valid segments. */
static bool
ack_covered(const struct tuple *t, uint32_t ack)
{
	unsigned int i, j;

	for (i = 0; i < t->nhist; i++) {
		uint32_t cur;
		bool progress = true;

		/* A SYN starts the sequence space; with SYN cookies, so may any ACK: the cookie
		 * check takes the ACK's SEQ - 1 as the peer's ISN (as Linux: a cookie stays valid
		 * for SEQ and ACK moved by the same amount), so the SYN is only implied. */
		if (t->hist[i].syn)
			cur = t->hist[i].seq;
		else if (t->hist[i].ack && S.cfg.syncookies != TCPD_SYNCOOKIES_OFF)
			cur = t->hist[i].seq;
		else
			continue;
		if (fuzz_seq_lt(ack, cur) || ack - cur > 0x40000000u)
			continue;
		while (fuzz_seq_lt(cur, ack) && progress) {
			progress = false;
			for (j = 0; j < t->nhist; j++) {
				const struct seg_range *r = &t->hist[j];

				if (fuzz_seq_le(r->seq, cur) && fuzz_seq_lt(cur, r->end)) {
					cur = r->end;
					progress = true;
				}
			}
		}
		if (fuzz_seq_le(ack, cur))
			return true;
	}
	return false;
}

static bool
rst_answers(const struct tuple *t, uint32_t ack)
{
	unsigned int i;

	for (i = 0; i < t->nhist; i++)
		if (t->hist[i].end == ack)
			return true;
	return false;
}

/* Whether an ACK of (seq, ack) could pass the cookie check against a SYN-ACK sent earlier. */
static bool
cookie_plausible(const struct tuple *t, uint32_t seq, uint32_t ack)
{
	unsigned int i, n = RTE_MIN(t->nsynack, (unsigned int)RTE_DIM(t->synack_diff));

	for (i = 0; i < n; i++) {
		int32_t d = (int32_t)(ack - seq - t->synack_diff[i]);

		if (d >= -4 && d <= 4)
			return true;
	}
	return false;
}

/*
 * TS.Recent, which the worker echoes in TSecr, may only come from a segment that passed the ACK
 * checks (RFC 7323 section 4.3 with RFC 5961 section 5.2: a segment whose ACK is beyond SND.MAX
 * is discarded, its TSval with it). Issue 11 item 3, tag ts-recent.
 */
static void
check_tsecr(const struct tuple *t, uint32_t tsecr, uint8_t fl)
{
	unsigned int i;
	bool found = false, any = false;

	if (tsecr == 0 || t->hist_full || S.tx_lost || (fl & TCPD_TH_RST))
		return;
	for (i = 0; i < t->nhist && !found; i++) {
		if (t->hist[i].ts && t->hist[i].tsval == tsecr) {
			any = true;
			found = t->hist[i].ack_ok;
		}
	}
	FUZZ_CHECK(found || !any, "ts-recent",
		   "TSecr %u to peer port %u -> %u echoes the TSval of a segment discarded for an "
		   "ACK beyond SND.MAX (issue 11 item 3)",
		   tsecr, t->peer_port, t->local_port);
	FUZZ_CHECK(any, "", "TSecr %u to peer port %u -> %u: the peer never sent that TSval", tsecr,
		   t->peer_port, t->local_port);
}

/* The TCP segment of a frame the worker sent: where it starts, its length (header and payload),
 * the pseudo-header's sum and its tuple. */
struct sent_seg {
	const uint8_t *th;
	uint32_t tl;
	uint32_t ph;
	struct tuple *t;
};

/* The IPv4 layer of a sent frame; false for what lib/net's target checks (ICMP echo replies). */
static bool
sent_ip4(const uint8_t *f, uint32_t len, struct sent_seg *o)
{
	const uint8_t *ip = f + 14;
	uint32_t ihl, tot;

	FUZZ_CHECK(fuzz_ld16(f + 12) == 0x0800, "", "ethertype 0x%04x", fuzz_ld16(f + 12));
	ihl = (uint32_t)(ip[0] & 0xf) * 4;
	tot = fuzz_ld16(ip + 2);
	FUZZ_CHECK((ip[0] >> 4) == 4 && ihl >= 20 && tot >= ihl && 14 + tot <= len, "",
		   "IPv4 header: ver/ihl 0x%02x total %u frame %u", ip[0], tot, len);
	FUZZ_CHECK(len == 14 + tot || len == 60, "", "frame %u bytes for IP length %u", len, tot);
	FUZZ_CHECK(fuzz_sum16(ip, ihl, 0) == 0xffff, "", "IPv4 checksum");
	FUZZ_CHECK(memcmp(ip + 12, &(uint32_t){FUZZ_OUR_IP}, 4) == 0, "", "IPv4 source not ours");
	if (ip[9] == 1)
		return false; /* ICMP echo reply: lib/net's target checks those */
	FUZZ_CHECK(ip[9] == 6, "", "IP protocol %u", ip[9]);
	FUZZ_CHECK(tot <= S.cfg.mtu, "", "IPv4 datagram of %u bytes over the MTU %u", tot,
		   S.cfg.mtu);
	FUZZ_CHECK(tot - ihl >= 20, "", "TCP header cut");
	o->th = ip + ihl;
	o->tl = tot - ihl;
	o->ph = fuzz_ph4(ip, o->tl);
	o->t = tuple_of(rte_cpu_to_be_32(fuzz_ld32(ip + 16)), fuzz_ld16(o->th + 2),
			fuzz_ld16(o->th));
	return true;
}

/*
 * The IPv6 layer of a sent frame: no extension header, our address as the source, hop limit 64,
 * within the MTU; a flow label of 0 (a connection's segments) or the peer's (stateless replies
 * reflect it). ICMPv6 (echo replies, neighbour advertisements): its checksum only, lib/net's
 * target checks the rest (false).
 */
static bool
sent_ip6(const uint8_t *f, uint32_t len, struct sent_seg *o)
{
	const uint8_t *ip = f + 14;
	uint32_t plen, label;

	FUZZ_CHECK(len >= 54 && (ip[0] >> 4) == 6, "", "IPv6 header: frame %u, version %u", len,
		   ip[0] >> 4);
	plen = fuzz_ld16(ip + 4);
	FUZZ_CHECK(len == 54 + plen, "", "frame %u bytes for IPv6 payload length %u", len, plen);
	FUZZ_CHECK(memcmp(ip + 8, fuzz_our_ip6, 16) == 0, "", "IPv6 source not ours");
	if (ip[6] == 58) {
		FUZZ_CHECK(fuzz_sum16(ip + 40, plen, fuzz_ph6(ip, plen, 58)) == 0xffff, "",
			   "ICMPv6 checksum (type %u)", plen ? ip[40] : 0);
		return false;
	}
	FUZZ_CHECK(ip[6] == 6, "", "IPv6 next header %u", ip[6]);
	FUZZ_CHECK(ip[7] == 64, "", "IPv6 hop limit %u", ip[7]);
	FUZZ_CHECK(40 + plen <= S.cfg.mtu, "", "IPv6 packet of %u bytes over the MTU %u", 40 + plen,
		   S.cfg.mtu);
	FUZZ_CHECK(plen >= 20, "", "TCP header cut");
	o->th = ip + 40;
	o->tl = plen;
	o->ph = fuzz_ph6(ip, plen, 6);
	o->t = tuple_of6(ip + 24, fuzz_ld16(o->th + 2), fuzz_ld16(o->th));
	label = fuzz_ld32(ip) & 0xfffff;
	FUZZ_CHECK(o->t == NULL || label == 0 || label == o->t->flow, "",
		   "flow label 0x%05x: neither 0 nor the peer's 0x%05x", label,
		   o->t ? o->t->flow : 0);
	return true;
}

static void
check_sent(struct rte_mbuf *m)
{
	static const struct rte_ether_addr our_mac = FUZZ_OUR_MAC;
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = m->data_len, tl, doff, seq, ack, end;
	struct sent_seg sg;
	const uint8_t *th;
	struct tuple *t;
	uint8_t fl;

	trace_tcp("out", f, len);
	FUZZ_CHECK(m->nb_segs == 1 && m->pkt_len == len && len >= 60, "",
		   "frame of %u bytes, %u segments", len, m->nb_segs);
	FUZZ_CHECK(memcmp(f + 6, &our_mac, 6) == 0, "", "frame not from our MAC");
	if (fuzz_ld16(f + 12) == 0x0806)
		return; /* ARP reply: lib/net's target checks those */
	if (!(fuzz_ld16(f + 12) == 0x86dd ? sent_ip6(f, len, &sg) : sent_ip4(f, len, &sg)))
		return;
	FUZZ_CHECK(memcmp(f, fuzz_peer_mac, 6) == 0, "", "TCP frame not to the peer's MAC");
	th = sg.th;
	tl = sg.tl;
	doff = (uint32_t)(th[12] >> 4) * 4;
	FUZZ_CHECK(doff >= 20 && doff <= tl, "", "TCP data offset %u", doff);
	FUZZ_CHECK(fuzz_sum16(th, tl, sg.ph) == 0xffff, "", "TCP checksum");
	t = sg.t;
	FUZZ_CHECK(t != NULL, "", "segment to a tuple the peer never used");
	seq = fuzz_ld32(th + 4);
	ack = fuzz_ld32(th + 8);
	fl = th[13];
	end = seq + (tl - doff) + !!(fl & TCPD_TH_SYN) + !!(fl & TCPD_TH_FIN);
	/* RFC 9293 3.8.6.1 (MUST-37): probing goes on as long as the peer answers the probes.
	 * Issue 11 item 2, tag persist-reset. Only the retransmission budget's RST counts: once
	 * the answer acknowledged everything and nothing waits, the idle timeout may end it. */
	if (fl & TCPD_TH_RST)
		FUZZ_CHECK(!t->probe_answered || t->in_step || !S.rto_gave_up, "persist-reset",
			   "connection %u -> %u reset by a timer although the peer answered every "
			   "zero-window probe (issue 11 item 2)",
			   t->peer_port, t->local_port);
	if (tl - doff == 1 && t->peer_wnd0 && !(fl & (TCPD_TH_RST | TCPD_TH_FIN))) {
		/* a zero-window probe: one byte while the peer's window is 0 */
		t->probe_sent = true;
		t->probe_answered = false;
		t->probe_seq = seq;
		t->dut_ack = ack;
	} else if (tl - doff > 0 || (fl & TCPD_TH_FIN)) {
		t->probe_sent = t->probe_answered = false; /* data or FIN: not probing */
	}
	if (fl & TCPD_TH_SYN) {
		t->dut_nxt = end;
		if (t->v6 ? fuzz_worker_is_cookie6(S.fw, t->peer_ip6, fuzz_our_ip6, t->peer_port,
						   t->local_port, ack - 1, seq)
			  : fuzz_worker_is_cookie(S.fw, t->peer_ip, t->peer_port, t->local_port,
						  ack - 1, seq))
			t->synack_diff[t->nsynack++ % RTE_DIM(t->synack_diff)] = seq + 1 - ack;
	} else if (fuzz_seq_lt(t->dut_nxt, end) && !(fl & TCPD_TH_RST))
		t->dut_nxt = end;
	/* our TSval, for the peer's TSecr; the MSS we announce fits our MTU (MTU - 60 over IPv6) */
	for (const uint8_t *o = th + 20; o < th + doff && *o != 0;) {
		if (*o == 1) {
			o++;
			continue;
		}
		if (o + 1 >= th + doff || o[1] < 2 || o + o[1] > th + doff)
			break;
		if (o[0] == 2 && o[1] == 4)
			FUZZ_CHECK(fuzz_ld16(o + 2) <= S.cfg.mtu - (t->v6 ? 60 : 40), "",
				   "MSS %u announced over IPv%c with MTU %u", fuzz_ld16(o + 2),
				   t->v6 ? '6' : '4', S.cfg.mtu);
		if (o[0] == 8 && o[1] == 10) {
			t->dut_ts = fuzz_ld32(o + 2);
			t->dut_ts_seen = true;
			check_tsecr(t, fuzz_ld32(o + 6), fl);
		}
		o += o[1];
	}
	if (!(fl & TCPD_TH_ACK) || t->hist_full)
		return;
	if (trace)
		for (unsigned int i = 0; i < t->nhist; i++)
			fprintf(stderr, "  peer sent [%u, %u)%s\n", t->hist[i].seq, t->hist[i].end,
				t->hist[i].syn ? " SYN" : "");
	FUZZ_CHECK(ack_covered(t, ack) || ((fl & TCPD_TH_RST) && rst_answers(t, ack)), "",
		   "ACK %u (flags 0x%02x) to peer port %u -> %u covers sequence space the peer "
		   "never sent",
		   ack, fl, t->peer_port, t->local_port);
}

/* ---- table and timer invariants --------------------------------------------------------- */

static bool
needs_timer(const struct fuzz_conn_view *v, const struct tcpd_config *c)
{
	switch (v->state) {
	case TCPD_SYN_RECEIVED:
	case TCPD_FIN_WAIT_1:
	case TCPD_FIN_WAIT_2:
	case TCPD_CLOSING:
	case TCPD_LAST_ACK:
		return true; /* TIME-WAIT: compact entries expire from their ring, no timer */
	default:
		return v->snd_una != v->snd_max || c->idle_timeout != 0;
	}
}

/*
 * IPv6 entries of the walk (issue 15): each entry's peer id stands for one of this input's IPv6
 * peers, and the intern table finds that address under that id; conn_live6 counts the entries,
 * ip6_peers the distinct ids (a reference per connection, an id freed with its last one).
 */
static void
check_ip6_ids(const uint32_t *ids, uint32_t n)
{
	const struct tcpd_stats *st = fuzz_worker_stats(S.fw);
	uint32_t distinct = 0, i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && ids[j] != ids[i]; j++)
			;
		distinct += j == i;
	}
	FUZZ_CHECK(n == st->c[TCPD_STAT_conn_live6], "", "IPv6 entries %u != conn_live6 %lu", n,
		   (unsigned long)st->c[TCPD_STAT_conn_live6]);
	FUZZ_CHECK(distinct == st->c[TCPD_STAT_ip6_peers], "",
		   "distinct IPv6 peer ids %u != ip6_peers %lu (a reference leaked or lost)",
		   distinct, (unsigned long)st->c[TCPD_STAT_ip6_peers]);
}

static void
check_entry6(const struct fuzz_conn_view *v, uint32_t i)
{
	bool known = false;
	unsigned int k;

	for (k = 0; k < NTUPLES; k++)
		known |= S.t[k].v6 && memcmp(S.t[k].peer_ip6, v->peer_ip6, 16) == 0;
	FUZZ_CHECK(v->peer_id != 0 && known, "",
		   "IPv6 entry %u (port %u -> %u): peer id %u stands for an address no peer has", i,
		   v->peer_port, v->local_port, v->peer_id);
	FUZZ_CHECK(
		v->peer_found, "",
		"IPv6 entry %u (port %u -> %u): the intern table does not find its peer under id "
		"%u",
		i, v->peer_port, v->local_port, v->peer_id);
}

static void
check_table(void)
{
	const struct tcpd_stats *st = fuzz_worker_stats(S.fw);
	struct tcpd_conn_table *tbl = fuzz_worker_table(S.fw);
	uint32_t i, cap = tcpd_conn_capacity(tbl), n6 = 0;
	uint32_t ids6[64];
	struct fuzz_walk w = {0};
	struct fuzz_conn_view v;

	for (i = 0; i < cap; i++) {
		fuzz_worker_conn(S.fw, i, &v);
		if (!fuzz_walk_conn(&w, &v, i))
			continue;
		if (v.ip6) {
			check_entry6(&v, i);
			if (n6 < RTE_DIM(ids6))
				ids6[n6++] = v.peer_id;
		}
		FUZZ_CHECK(v.armed || !needs_timer(&v, &S.cfg), "",
			   "entry %u (port %u -> %u) in state %u (una %u max %u) has no timer: it "
			   "never goes away",
			   i, v.peer_port, v.local_port, v.state, v.snd_una, v.snd_max);
	}
	for (i = 0; i < tcpd_conn_small_capacity(tbl); i++) {
		int64_t left;

		fuzz_worker_tw(S.fw, i, &v, &left);
		if (!v.live)
			continue;
		FUZZ_CHECK(v.found, "", "TIME-WAIT entry %u not found under its key", i);
		w.live++;
		w.per_state[TCPD_TIME_WAIT]++;
		if (v.ip6) {
			check_entry6(&v, i);
			if (n6 < RTE_DIM(ids6))
				ids6[n6++] = v.peer_id;
		}
		FUZZ_CHECK(left <= (int64_t)S.cfg.time_wait * 1000, "",
			   "TIME-WAIT entry %u (port %u -> %u) expires in %ld ms, beyond time_wait",
			   i, v.peer_port, v.local_port, (long)left);
	}
	fuzz_walk_check(S.fw, &w);
	FUZZ_CHECK(st->c[TCPD_STAT_conn_half_open] == st->state[TCPD_SYN_RECEIVED], "",
		   "conn_half_open %lu != SYN-RECEIVED gauge %lu",
		   (unsigned long)st->c[TCPD_STAT_conn_half_open],
		   (unsigned long)st->state[TCPD_SYN_RECEIVED]);
	check_ip6_ids(ids6, n6);
}

/* One poll iteration with the burst @p pkts, then check what was sent and the table. */
static void
step(struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t gave_up = fuzz_worker_stats(S.fw)->c[TCPD_STAT_rto_timeout];
	unsigned int got, i, dropped = 0;

	got = fuzz_worker_step(S.fw, pkts, n, S.now_tsc, S.out, MAX_OUT, &dropped);
	S.rto_gave_up = fuzz_worker_stats(S.fw)->c[TCPD_STAT_rto_timeout] != gave_up;
	/* a frame the worker could not send: its SND.MAX is beyond what was seen */
	S.tx_lost |= dropped != 0 || fuzz_worker_stats(S.fw)->c[TCPD_STAT_tx_drop] != 0 ||
		     fuzz_worker_stats(S.fw)->c[TCPD_STAT_drop_nombuf] != 0;
	for (i = 0; i < got; i++) {
		check_sent(S.out[i]);
		rte_pktmbuf_free(S.out[i]);
	}
	for (i = 0; i < NTUPLES; i++)
		S.t[i].in_step = false;
	check_table();
}

static void
advance(uint64_t ms)
{
	S.now_ms += ms;
	S.now_tsc = fuzz_worker_tsc0(S.fw) + S.now_ms * S.hz / 1000;
}

/* ---- building frames -------------------------------------------------------------------- */

static void
fill_payload(uint8_t *d, unsigned int len, unsigned int kind, struct fuzz_reader *r,
	     unsigned int ri)
{
	unsigned int i;

	switch (kind) {
	case 0: {
		const char *s = http_reqs[ri % RTE_DIM(http_reqs)];
		size_t sl = strlen(s);

		for (i = 0; i < len; i++)
			d[i] = (uint8_t)s[i % sl];
		break;
	}
	case 1:
		for (i = 0; i < len; i++)
			d[i] = (uint8_t)('a' + i % 26);
		break;
	case 2:
		fuzz_take_pad(r, d, len, 'x');
		break;
	default:
		memset(d, 0, len);
	}
}

/* Ethernet and IPv6 headers from the tuple's peer to us, @p plen bytes of payload after them. */
static void
eth_ip6(uint8_t *f, struct tuple *t, uint8_t nh, unsigned int plen)
{
	fuzz_eth_ip6(f, t->peer_ip6, t->flow, nh, plen);
}

/* A neighbour solicitation for our address (or another) or an ICMPv6 echo request. */
static unsigned int
build_other6(uint8_t *f, struct tuple *t, const uint8_t rec[8])
{
	uint8_t *ip = f + 14, *icmp = f + 54;
	unsigned int n;

	if (rec[3] & 1) {
		n = 32;
		eth_ip6(f, t, 58, n);
		ip[7] = 255;
		if (!(rec[3] & 2)) { /* to our solicited-node group, on its MAC (RFC 2464 7) */
			memcpy(ip + 24, our_snm6, 16);
			memcpy(f, (const uint8_t[6]){0x33, 0x33, 0xff, 0, 0, 1}, 6);
		}
		memset(icmp, 0, n);
		icmp[0] = 135;
		memcpy(icmp + 8, fuzz_our_ip6, 16);
		if (rec[4] & 1)
			icmp[23] = 0x99; /* 2001:2::99: not ours */
		icmp[24] = 1;		 /* source link-layer address */
		icmp[25] = 1;
		memcpy(icmp + 26, fuzz_peer_mac, 6);
	} else {
		n = 8 + rec[2] % 64;
		eth_ip6(f, t, 58, n);
		icmp[0] = 128;
		icmp[1] = 0;
		fuzz_st16(icmp + 2, 0);
		fuzz_st16(icmp + 4, rec[4]);
		fuzz_st16(icmp + 6, rec[5]);
		memset(icmp + 8, rec[6], n - 8);
	}
	fuzz_st16(icmp + 2, (uint16_t)~fuzz_sum16(icmp, n, fuzz_ph6(ip, n, 58)));
	return 54 + n;
}

/* An ARP request or an ICMP echo request from the tuple's peer. */
static unsigned int
build_other(uint8_t *f, struct tuple *t, const uint8_t rec[8])
{
	static const struct rte_ether_addr our_mac = FUZZ_OUR_MAC;
	unsigned int plen = rec[2] % 64, len;
	uint8_t *icmp;

	if (t->v6)
		return build_other6(f, t, rec);
	if (rec[3] & 1) {
		memset(f, 0xff, 6);
		memcpy(f + 6, fuzz_peer_mac, 6);
		fuzz_st16(f + 12, 0x0806);
		fuzz_st16(f + 14, 1);
		fuzz_st16(f + 16, 0x0800);
		f[18] = 6;
		f[19] = 4;
		fuzz_st16(f + 20, 1);
		memcpy(f + 22, fuzz_peer_mac, 6);
		memcpy(f + 28, &t->peer_ip, 4);
		memset(f + 32, 0, 6);
		memcpy(f + 38, &(uint32_t){FUZZ_OUR_IP}, 4);
		if (rec[3] & 2)
			memcpy(f, &our_mac, 6);
		memset(f + 42, 0, 18);
		return 60;
	}
	len = 14 + 20 + 8 + plen;
	fuzz_eth_ip4(f, t->peer_ip, 1, 20 + 8 + plen, true);
	icmp = f + 34;
	icmp[0] = 8;
	icmp[1] = 0;
	fuzz_st16(icmp + 2, 0);
	fuzz_st16(icmp + 4, rec[4]);
	fuzz_st16(icmp + 6, rec[5]);
	memset(icmp + 8, rec[6], plen);
	fuzz_st16(icmp + 2, (uint16_t)~fuzz_sum16(icmp, 8 + plen, 0));
	return len;
}

/* IPv4 layer of a peer's frame (see peer_frame): its TCP segment and pseudo-header sum. */
static bool
peer_ip4(const uint8_t *f, unsigned int len, const uint8_t **th, unsigned int *tl, uint32_t *ph)
{
	const uint8_t *ip = f + 14;
	unsigned int ihl, tot;

	if (len < 54 || fuzz_ld16(f + 12) != 0x0800 || (ip[0] >> 4) != 4)
		return false;
	ihl = (unsigned int)(ip[0] & 0xf) * 4;
	tot = fuzz_ld16(ip + 2);
	if (ihl < 20 || tot < ihl + 20 || 14 + tot > len || fuzz_sum16(ip, ihl, 0) != 0xffff ||
	    (fuzz_ld16(ip + 6) & 0x3fff) != 0 || ip[9] != 6 ||
	    memcmp(ip + 16, &(uint32_t){FUZZ_OUR_IP}, 4) != 0)
		return false;
	*th = ip + ihl;
	*tl = tot - ihl;
	*ph = fuzz_ph4(ip, *tl);
	return true;
}

/*
 * IPv6 layer of a peer's frame: to our address, not from a multicast source, a payload length
 * within the frame, TCP right after the header or after one hop-by-hop header (the only
 * extension header the records build valid; a fragment header is dropped).
 */
static bool
peer_ip6(const uint8_t *f, unsigned int len, const uint8_t **th, unsigned int *tl, uint32_t *ph)
{
	const uint8_t *ip = f + 14;
	unsigned int plen, off = 40;
	uint8_t nh;

	if (len < 74 || fuzz_ld16(f + 12) != 0x86dd || (ip[0] >> 4) != 6)
		return false;
	plen = fuzz_ld16(ip + 4);
	if (plen == 0 || 54 + plen > len || memcmp(ip + 24, fuzz_our_ip6, 16) != 0 || ip[8] == 0xff)
		return false;
	nh = ip[6];
	if (nh == 0 && plen >= 8) {
		nh = ip[40];
		off = 40 + 8 * (ip[41] + 1u);
	}
	if (nh != 6 || off + 20 > 40 + plen)
		return false;
	*th = ip + off;
	*tl = 40 + plen - off;
	*ph = fuzz_ph6(ip, *tl, 6);
	return true;
}

/*
 * What the peer sent, as a correct receiver would read the frame: false if any receiver must
 * drop it (not to our MAC or IP, bad checksum, bad lengths, fragment, port 0; SYN with FIN or
 * RST is TCP's to judge by state); else the sequence space it carries. Deliberately lenient (options and the MTU are not
 * checked): the ACK check may only be weakened by it, never made to fail a correct worker.
 */
static bool
peer_frame(const uint8_t *f, unsigned int len, struct seg_range *r)
{
	static const struct rte_ether_addr our_mac = FUZZ_OUR_MAC;
	const uint8_t *th;
	unsigned int tl, doff;
	uint32_t ph;

	if (len < 54 || (memcmp(f, &our_mac, 6) != 0 && (f[0] & 1) == 0))
		return false;
	if (!(fuzz_ld16(f + 12) == 0x86dd ? peer_ip6(f, len, &th, &tl, &ph)
					  : peer_ip4(f, len, &th, &tl, &ph)))
		return false;
	doff = (unsigned int)(th[12] >> 4) * 4;
	if (doff < 20 || doff > tl || fuzz_sum16(th, tl, ph) != 0xffff || fuzz_ld16(th) == 0 ||
	    fuzz_ld16(th + 2) == 0)
		return false;
	r->seq = fuzz_ld32(th + 4);
	r->end = r->seq + (tl - doff) + !!(th[13] & TCPD_TH_SYN) + !!(th[13] & TCPD_TH_FIN);
	r->syn = (th[13] & TCPD_TH_SYN) != 0;
	r->ack = (th[13] & TCPD_TH_ACK) != 0;
	r->ts = false;
	for (const uint8_t *o = th + 20; o < th + doff && *o != 0;) {
		if (*o == 1) {
			o++;
			continue;
		}
		if (o + 1 >= th + doff || o[1] < 2 || o + o[1] > th + doff)
			break;
		if (o[0] == 8 && o[1] == 10) {
			r->ts = true;
			r->tsval = fuzz_ld32(o + 2);
		}
		o += o[1];
	}
	return true;
}

/*
 * Ethernet and IPv6 headers of a TCP segment (@p plen bytes after the IPv6 header): @p kind 1
 * none between, 0 a hop-by-hop header of PadN (valid), 3 an atomic fragment header (dropped).
 */
static void
eth_ip6_ext(uint8_t *f, struct tuple *t, unsigned int plen, unsigned int kind)
{
	uint8_t *ext = f + 54;

	eth_ip6(f, t, kind == 1 ? 6 : kind == 0 ? 0 : 44, plen);
	if (kind == 1)
		return;
	memset(ext, 0, 8);
	ext[0] = 6;
	if (kind == 0) {
		ext[2] = 1; /* PadN of 6 bytes in all */
		ext[3] = 4;
	} else {
		fuzz_st32(ext + 4, 0x5eed + t->peer_port); /* identification; offset 0, M clear */
	}
}

/* Damage rec[7] >> 5 (r7 bit 1) of a frame of IP header length @p hl; @return its length. */
static unsigned int
damage(uint8_t *f, unsigned int len, const uint8_t rec[8], bool v6, unsigned int hl,
       unsigned int doff, unsigned int tl)
{
	uint8_t *ip = f + 14, *th = ip + hl;

	switch (rec[7] >> 5) {
	case 0:
	case 3:
		if (!v6 && (rec[7] >> 5) == 3)
			fuzz_st16(ip + 6, 0x2000); /* a fragment */
		break; /* IPv4 checksum broken by the caller; IPv6 extension header built */
	case 1: {
		unsigned int cut = 14 + hl + (rec[3] % (doff + 1)); /* inside the header */

		if (cut < len) {
			len = cut;
			if (len < 60) {
				memset(f + len, 0, 60 - len);
				len = 60;
			}
		}
		break;
	}
	case 2:
		th[12] = (uint8_t)((rec[3] & 0xf) << 4); /* data offset */
		break;
	case 4:
		if (!v6 || (rec[3] & 1) == 0)
			f[0] = 0x04; /* another station's MAC */
		else if (rec[3] & 2)
			ip[8] = 0xff; /* a multicast source (ff01:2::2) */
		else
			ip[39] = 0x99; /* to 2001:2::99, not ours */
		break;
	case 5: /* IP length below the TCP's */
		if (v6)
			fuzz_st16(ip + 4, (uint16_t)(tl - 40 - (rec[3] % 8) - 1));
		else
			fuzz_st16(ip + 2, (uint16_t)(tl - (rec[3] % 8) - 1));
		break;
	case 6:
		/* Ethernet padding after the datagram: still valid */
		memset(f + len, 0xee, 18);
		len += 18;
		break;
	default:
		fuzz_st16(th, 0); /* port 0 */
		break;
	}
	return len;
}

/*
 * Build the frame of one record into @p f. @return its length, 0 if the input ended. Records
 * the segment in the tuple's history if it is valid (the worker must accept it as the peer's).
 */
static unsigned int
build_record(uint8_t *f, struct fuzz_reader *r, unsigned int ri, bool *hold)
{
	uint8_t rec[8], ob[4] = {0};
	unsigned int tl, plen, olen = 0, doff, len, hl, ext;
	struct seg_range sr;
	uint32_t seq, ack;
	struct tuple *t;
	uint8_t *ip, *th, flags;
	uint8_t opts[40];

	if (!fuzz_take(r, rec, sizeof(rec)))
		return 0;
	if ((rec[0] & 0x80) && !fuzz_take(r, ob, sizeof(ob)))
		return 0;
	t = &S.t[rec[0] & 7];
	S.last_tuple = t;
	flags = rec[1];
	plen = rec[2] < 0xe0 ? rec[2] : (unsigned int)(rec[2] - 0xdf) * 128;
	/* the clock advance of rec[6] was applied by the caller, before the frame is built */
	*hold = (rec[7] & 4) != 0;
	if (flags == 0xff)
		return build_other(f, t, rec);

	switch ((rec[0] >> 3) & 3) {
	case 0:
		seq = t->peer_nxt;
		break;
	case 1:
		seq = t->peer_nxt + (uint32_t)(int32_t)(int8_t)rec[3];
		break;
	case 2:
		seq = t->peer_nxt + (uint32_t)(int32_t)(int8_t)rec[3] * 4096;
		break;
	default:
		seq = t->peer_nxt + 0x40000000u + ((uint32_t)rec[3] << 20);
		break;
	}
	switch ((rec[0] >> 5) & 3) {
	case 0:
		ack = t->dut_nxt;
		break;
	case 1:
		ack = t->dut_nxt + (uint32_t)(int32_t)(int8_t)rec[4];
		break;
	case 2:
		/* relative to this peer's previous ACK: 0 repeats it (duplicate ACKs) */
		ack = t->last_ack + (uint32_t)(int32_t)(int8_t)rec[4];
		break;
	default:
		ack = (uint32_t)rec[4] << 24 | (uint32_t)rec[3] << 8;
		break;
	}
	if (rec[0] & 0x80)
		olen = fuzz_tcp_opts(opts, ob, t->ts_base + (uint32_t)S.now_ms,
				     (flags & TCPD_TH_ACK) ? t->dut_ts + (uint32_t)(int8_t)ob[3]
							   : 0,
				     t->dut_nxt);
	doff = 20 + olen;
	/* over IPv6, damage 0 and 3 are an extension header in front of TCP */
	ext = t->v6 && (rec[7] & 2) && ((rec[7] >> 5) == 0 || (rec[7] >> 5) == 3) ? 8 : 0;
	hl = t->v6 ? 40 + ext : 20;
	/* Stay within the MTU the worker accepts most of the time; sometimes go past it. */
	if (plen > FRAME_MAX - 14 - hl - doff)
		plen = FRAME_MAX - 14 - hl - doff;
	tl = hl + doff + plen;
	len = 14 + tl;
	ip = f + 14;
	if (t->v6)
		eth_ip6_ext(f, t, tl - 40, ext ? rec[7] >> 5 : 1);
	else
		fuzz_eth_ip4(f, t->peer_ip, 6, tl, true);
	th = ip + hl;
	fuzz_st16(th, t->peer_port);
	fuzz_st16(th + 2, t->local_port);
	fuzz_st32(th + 4, seq);
	fuzz_st32(th + 8, ack);
	th[12] = (uint8_t)((doff / 4) << 4);
	th[13] = flags;
	fuzz_st16(th + 14, (uint16_t)(rec[5] * 257));
	fuzz_st16(th + 16, 0);
	fuzz_st16(th + 18, (flags & TCPD_TH_URG) ? rec[4] : 0);
	memcpy(th + 20, opts, olen);
	fill_payload(th + doff, plen, (rec[7] >> 3) & 3, r, ri);
	/* Damage first, then the checksums of what the frame now says, so that each check of the
	 * parser is reached on its own. Whether the peer "sent" the segment is decided from the
	 * frame itself (peer_frame). */
	if (rec[7] & 2)
		len = damage(f, len, rec, t->v6, hl, doff, tl);
	if (!t->v6) {
		fuzz_st16(ip + 10, 0);
		fuzz_st16(ip + 10, (uint16_t)~fuzz_sum16(ip, 20, 0));
		if ((rec[7] & 2) && (rec[7] >> 5) == 0)
			ip[10] ^= 1;
	}
	if (!((rec[7] & 2) && (rec[7] >> 5) == 5))
		fuzz_st16(th + 16, (uint16_t)~fuzz_sum16(th, tl - hl,
							 t->v6 ? fuzz_ph6(ip, tl - hl, 6)
							       : fuzz_ph4(ip, tl - 20)));
	if (rec[7] & 1)
		th[16] ^= 0x5a; /* bad TCP checksum */
	if (len > FRAME_MAX)
		len = FRAME_MAX;

	if (flags & TCPD_TH_ACK)
		t->last_ack = ack;
	if (peer_frame(f, len, &sr)) {
		/* An answer to the probe only if the worker surely takes it: a bare ACK at the
		 * peer's next SEQ, within the MTU, of the probe or what precedes it, window 0, and
		 * a TSval not older than the peer's last one when timestamps are on. */
		bool ts_fresh =
			t->dut_ts_seen ? (sr.ts && !fuzz_seq_lt(sr.tsval, t->max_tsval)) : !sr.ts;

		/* At the worker's RCV.NXT as the probe announced it: a peer SYN on the
		 * synchronized tuple moves the model's peer_nxt, not the worker's (RFC 5961). */
		if (t->probe_sent && flags == TCPD_TH_ACK && sr.seq == sr.end &&
		    sr.seq == t->peer_nxt && sr.seq == t->dut_ack && tl <= S.cfg.mtu &&
		    fuzz_seq_le(t->probe_seq, ack) && fuzz_seq_le(ack, t->dut_nxt) &&
		    fuzz_ld16(th + 14) == 0 && ts_fresh && !S.in_burst && len == 14 + tl)
			t->probe_answered = true;
		else
			t->probe_sent = t->probe_answered = false;
		t->peer_wnd0 = fuzz_ld16(th + 14) == 0;
		if (sr.ts && (!t->ts_any || fuzz_seq_lt(t->max_tsval, sr.tsval))) {
			t->max_tsval = sr.tsval;
			t->ts_any = true;
		}
		/* Behind other frames of the same burst, the worker may have sent more than seen:
		 * then the ACK is taken as acceptable (lenient). */
		sr.ack_ok = !(flags & TCPD_TH_ACK) || fuzz_seq_le(ack, t->dut_nxt) || S.in_burst ||
			    cookie_plausible(t, sr.seq, ack);
		if (t->nhist < MAX_HIST)
			t->hist[t->nhist++] = sr;
		else
			t->hist_full = true;
		if (sr.syn)
			t->peer_nxt = sr.end;
		else if (fuzz_seq_le(sr.seq, t->peer_nxt) && fuzz_seq_lt(t->peer_nxt, sr.end) &&
			 sr.end - t->peer_nxt < 0x40000000u)
			t->peer_nxt = sr.end; /* contiguous with what the peer sent: its next SEQ */
	}
	return len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int baseline;
	struct fuzz_reader r = {data, size};
	struct rte_mbuf *burst[MAX_BURST];
	uint8_t frame[FRAME_MAX + 64];
	unsigned int n = 0, ri, i, len;
	uint8_t h[4];
	bool hold;

	if (size > 8192 || !fuzz_take(&r, h, sizeof(h)))
		return 0;
	if (baseline == 0)
		baseline = rte_mempool_avail_count(fuzz_pool());
	config_from(&S.cfg, h);
	memset(S.t, 0, sizeof(S.t));
	for (i = 0; i < NTUPLES; i++) {
		S.t[i].peer_ip = rte_cpu_to_be_32(0xc6120002 + (i >> 2)); /* 198.18.0.2, .3 */
		S.t[i].peer_port = (uint16_t)(40000 + (i >> 2));
		S.t[i].local_port = local_ports[i & 3];
		S.t[i].peer_nxt = (uint32_t)h[3] << 24 | (i * 0x10000u + 1000);
		S.t[i].ts_base = (uint32_t)h[3] * 1000003u + i;
		/* h2 bit 5: peer 0's tuples over IPv6 (2001:2::2), bit 6: peer 1's (2001:2::3) */
		S.t[i].v6 = (h[2] >> (5 + (i >> 2))) & 1;
		memcpy(S.t[i].peer_ip6, fuzz_our_ip6, 16);
		S.t[i].peer_ip6[15] = (uint8_t)(2 + (i >> 2));
		S.t[i].flow = 0xa5a50u + i; /* a label of its own per tuple */
	}
	S.fw = fuzz_worker_create(&S.cfg);
	S.tx_lost = false;
	S.now_ms = 0;
	advance(0);

	for (ri = 0; ri < 256; ri++) {
		/* Time passes first: the worker's loop runs its timers before this frame arrives
		 * (unless it is held behind others of one burst), and the frame is built from what
		 * the peer has seen by then. */
		if (r.left >= 8 && (r.p[6] & 63) != 0) {
			advance((uint64_t)(r.p[6] & 63) << (4 * (r.p[6] >> 6)));
			if (n == 0)
				step(NULL, 0);
		}
		S.in_burst = n > 0;
		len = build_record(frame, &r, ri, &hold);
		if (len == 0)
			break;
		S.last_tuple->in_step = true; /* what the worker sends it may answer this frame */
		trace_tcp(" in", frame, len);
		burst[n++] = fuzz_frame_mbuf(frame, len);
		if (!hold || n == MAX_BURST) {
			step(burst, (uint16_t)n);
			n = 0;
		}
	}
	if (n)
		step(burst, (uint16_t)n);

	/* Let the clock run: every connection must go (idle_timeout is always set). */
	for (i = 0; i < 900 && tcpd_conn_count(fuzz_worker_table(S.fw)) > 0; i++) {
		advance(1000);
		step(NULL, 0);
	}
	FUZZ_CHECK(tcpd_conn_count(fuzz_worker_table(S.fw)) == 0, "",
		   "%u connection(s) still in the table after 15 virtual minutes",
		   tcpd_conn_count(fuzz_worker_table(S.fw)));
	/* every connection gone: every IPv6 peer reference released, every id freed */
	FUZZ_CHECK(fuzz_worker_stats(S.fw)->c[TCPD_STAT_ip6_peers] == 0 &&
			   fuzz_worker_stats(S.fw)->c[TCPD_STAT_conn_live6] == 0,
		   "", "empty table, yet ip6_peers %lu conn_live6 %lu",
		   (unsigned long)fuzz_worker_stats(S.fw)->c[TCPD_STAT_ip6_peers],
		   (unsigned long)fuzz_worker_stats(S.fw)->c[TCPD_STAT_conn_live6]);
	fuzz_worker_free(S.fw);
	S.fw = NULL;
	FUZZ_CHECK(rte_mempool_avail_count(fuzz_pool()) == baseline, "",
		   "%u mbufs leaked (%u free, %u at start)",
		   baseline - rte_mempool_avail_count(fuzz_pool()),
		   rte_mempool_avail_count(fuzz_pool()), baseline);
	return 0;
}
