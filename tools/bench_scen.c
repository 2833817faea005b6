/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scenarios. Each lcore runs: build a burst from templates -> enqueue to the RX ring ->
 * the daemon's tcpd_worker_poll (or, for the baseline, a bare rx_burst -> tx_burst) -> drain and
 * check the TX ring. rte_rdtsc brackets the worker call, so the harness's own cycles are known.
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_tcp.h>

#include "bench.h"

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

/* Offsets in a frame without IP options (the server and the bench both send IHL 5). */
#define OFF_IP	  14
#define OFF_TCP	  34
#define OFF_FLAGS (OFF_TCP + 13)

static inline uint64_t
rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void
lc_note(struct bench_lcore *lc, const char *fmt, const char *what, uint64_t v)
{
	if (lc->note[0] == '\0')
		snprintf(lc->note, sizeof(lc->note), fmt, what, (unsigned long long)v);
}

/* Raw 16-bit sum of a buffer (RFC 1071). */
static uint32_t
sum16(const void *buf, unsigned int len)
{
	const uint8_t *p = buf;
	uint32_t s = 0;
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2) {
		uint16_t w;

		memcpy(&w, p + i, 2);
		s += w;
	}
	if (len & 1)
		s += p[len - 1];
	return s;
}

/* Checksums of a frame we built (the baseline's check does not depend on lib/net). */
static bool
frame_cksum_ok(const uint8_t *f, unsigned int len)
{
	const struct rte_ipv4_hdr *ip = (const void *)(f + OFF_IP);
	unsigned int l4 = rte_be_to_cpu_16(ip->total_length) - 20u;
	uint64_t s;

	if (len < OFF_TCP + 20 || OFF_IP + 20 + l4 > len)
		return false;
	if (bench_fold(sum16(ip, 20)) != 0xffff)
		return false;
	s = sum16(&ip->src_addr, 8) + rte_cpu_to_be_16(IPPROTO_TCP) + rte_cpu_to_be_16(l4) +
	    sum16(f + OFF_TCP, l4);
	return bench_fold(s) == 0xffff;
}

/* ------------------------------------------------------------------------------------------ */
/* Flood scenarios: forward baseline, SYN floods, established ACKs.                             */

struct est {
	uint32_t n;    /* client tuple */
	uint32_t sisn; /* server ISN learnt from the SYN-ACK */
};

struct flood {
	enum bench_kind kind;
	bool v6; /* IPv6 templates and replies (syn6-*) */
	struct bench_tmpl syn;
	struct bench_tmpl ack;
	uint32_t next_n;   /* next SYN tuple */
	uint32_t flood_lo; /* first tuple of the flood (below: prefill) */
	/* established ACKs */
	const struct est *est;
	uint32_t nb_est;
	uint32_t pick[BENCH_BURST]; /* next burst's connections, prefetched one burst ahead */
	/* SYN-ACKs kept for the cookie replay */
	struct est *sample;
	uint32_t nb_sample;
	uint32_t max_sample;
};

static inline uint32_t
pick_conn(struct bench_lcore *lc, uint32_t n)
{
	return (uint32_t)(((rng_next(&lc->rng) & 0xffffffff) * n) >> 32);
}

/* One packet of tuple @p n from template @p t, IPv4 or IPv6. */
static inline void
flood_fill(const struct flood *f, const struct bench_tmpl *t, struct rte_mbuf *m, uint32_t n,
	   uint32_t seq, uint32_t ack)
{
	if (f->v6)
		bench_tmpl6_fill(t, m, bench_tuple_ip(n), bench_tuple_port(n), seq, ack);
	else
		bench_tmpl_fill(t, m, bench_tuple_ip(n), bench_tuple_port(n), seq, ack);
}

static inline void
flood_gen(struct bench_lcore *lc, struct flood *f, struct rte_mbuf **pk, unsigned int n)
{
	unsigned int i;

	if (f->kind == BENCH_ACK_EST) {
		for (i = 0; i < n; i++) {
			const struct est *e = &f->est[f->pick[i]];

			flood_fill(f, &f->ack, pk[i], e->n, bench_cisn(e->n) + 1, e->sisn + 1);
			f->pick[i] = pick_conn(lc, f->nb_est);
			rte_prefetch0(&f->est[f->pick[i]]);
		}
		return;
	}
	for (i = 0; i < n; i++) {
		uint32_t t = f->next_n++;

		flood_fill(f, &f->syn, pk[i], t, bench_cisn(t), 0);
	}
}

#if TCPD_BENCH_HAVE_TCP
/*
 * --offload: do what the NIC's TX checksum offload does to a frame the worker marked for it,
 * after checking the worker's half of the contract: no IPv4 checksum yet, and the TCP field
 * holding the pseudo-header sum (rte_mbuf_core.h, RTE_MBUF_F_TX_TCP_CKSUM). The harness pays
 * for the sums here, outside the worker's cycles, as the NIC would.
 */
static bool
nic_tx_cksum(uint8_t *f, uint32_t len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + OFF_IP);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(f + OFF_TCP);

	if (len < OFF_TCP + sizeof(*th) || ip->hdr_checksum != 0 ||
	    OFF_IP + (uint32_t)rte_be_to_cpu_16(ip->total_length) > len ||
	    th->cksum != rte_ipv4_phdr_cksum(ip, 0))
		return false;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->cksum = 0;
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	return true;
}

/* The client answers for whatever address the reply is sent to: one iface per lcore. */
static inline enum tcpd_net_class
parse_reply(struct bench_lcore *lc, const uint8_t *f, uint32_t len, struct tcpd_pkt *p,
	    enum tcpd_stat *why)
{
	lc->cifc.mac = bench_client_mac;
	lc->cifc.mtu = 1500;
	if (len >= OFF_TCP)
		memcpy(&lc->cifc.ip, f + OFF_IP + 16, 4);
	if (len >= BENCH_OFF6_TCP && f[12] == 0x86 && f[13] == 0xdd) {
		memcpy(lc->cifc.ip6[0].addr, f + OFF_IP + 24, 16);
		lc->cifc.ip6[0].prefix_len = 64;
		lc->cifc.nb_ip6 = 1;
	}
	if (bench_offload && !nic_tx_cksum((uint8_t *)(uintptr_t)f, len))
		return TCPD_NET_DROP;
	return tcpd_net_parse(f, len, &lc->cifc, 0, p, why);
}
#endif

#if TCPD_BENCH_HAVE_TCP
/* The full check of an IPv6 cookie SYN-ACK for tuple @p n: addresses, ports, flags, ACK, MSS,
 * and the cookie itself with lib/cookie's IPv6 check. */
static bool
syn6_full_check(struct bench_lcore *lc, struct flood *f, struct rte_mbuf *m, uint32_t n)
{
	const uint8_t *fr = rte_pktmbuf_mtod(m, const uint8_t *);
	struct tcpd_cookie_tuple6 ct;
	struct tcpd_pkt p;
	enum tcpd_stat why;
	unsigned int mi;
	uint32_t cnt;

	if (parse_reply(lc, fr, m->data_len, &p, &why) != TCPD_NET_TCP ||
	    p.family != TCPD_NET_AF_INET6 || memcmp(p.src_ip6, bench_server_ip6, 16) != 0 ||
	    memcmp(p.dst_ip6, bench_client_net6, 12) != 0 ||
	    p.src_port != rte_cpu_to_be_16(BENCH_HTTP_PORT) ||
	    p.flags != (TCPD_TH_SYN | TCPD_TH_ACK) || p.ack != bench_cisn(n) + 1 ||
	    !(p.opts.present & TCPD_OPT_MSS) || p.payload_len != 0)
		return false;
	memcpy(ct.saddr, p.dst_ip6, 16);
	memcpy(ct.daddr, p.src_ip6, 16);
	ct.sport = p.dst_port;
	ct.dport = p.src_port;
	cnt = tcpd_tcp_clock_sec(lc->w->tcp) / TCPD_COOKIE_PERIOD;
	if (tcpd_cookie_store_check6(bench_cookies, &ct, bench_cisn(n), p.seq, cnt, &mi) !=
		    TCPD_COOKIE_OK ||
	    tcpd_cookie_mss_table6[mi] > BENCH_CLIENT_MSS6) {
		lc->chk.cookie_bad++;
		return false;
	}
	lc->chk.verified++;
	if (f->nb_sample < f->max_sample)
		f->sample[f->nb_sample++] = (struct est){n, p.seq};
	return true;
}
#endif

/* flood_check for the IPv6 SYN floods. */
static inline int
flood_check6(struct bench_lcore *lc, struct flood *f, struct rte_mbuf *m, bool full)
{
	const uint8_t *fr = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t dip, n;
	uint16_t dport;

	if (unlikely(m->data_len < BENCH_OFF6_TCP + 20) || fr[12] != 0x86 || fr[13] != 0xdd ||
	    fr[BENCH_OFF6_TCP + 13] != (TH_SYN | TH_ACK))
		return false;
	memcpy(&dip, fr + BENCH_OFF6_DST_LO, 4);
	memcpy(&dport, fr + BENCH_OFF6_TCP + 2, 2);
	n = bench_tuple_n(dip, dport);
	if (n < f->flood_lo)
		return -1;
	if (n >= f->next_n)
		return false;
#if TCPD_BENCH_HAVE_TCP
	if (full)
		return syn6_full_check(lc, f, m, n);
#else
	RTE_SET_USED(lc);
	RTE_SET_USED(full);
#endif
	return true;
}

/* Check one reply of a flood. @return 1 if it is what the scenario expects, 0 if wrong, -1 for
 * a SYN-ACK retransmitted to a prefill connection (auto scenario). */
static inline int
flood_check(struct bench_lcore *lc, struct flood *f, struct rte_mbuf *m, bool full)
{
	const uint8_t *fr = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t dip, n;
	uint16_t dport;

	if (f->v6 && f->kind != BENCH_ACK_EST)
		return flood_check6(lc, f, m, full);
	if (unlikely(m->data_len < OFF_TCP + 20))
		return false;
	switch (f->kind) {
	case BENCH_FORWARD:
		if (fr[OFF_FLAGS] != TH_SYN)
			return false;
		if (full) {
			uint32_t seq;

			memcpy(&dip, fr + OFF_IP + 12, 4);
			memcpy(&dport, fr + OFF_TCP, 2);
			memcpy(&seq, fr + OFF_TCP + 4, 4);
			n = bench_tuple_n(dip, dport);
			if (n >= f->next_n || rte_be_to_cpu_32(seq) != bench_cisn(n) ||
			    !frame_cksum_ok(fr, m->data_len))
				return false;
			lc->chk.verified++;
		}
		return true;
	case BENCH_SYN_ALWAYS:
	case BENCH_SYN_AUTO_FULL:
		if (fr[OFF_FLAGS] != (TH_SYN | TH_ACK))
			return false;
		memcpy(&dip, fr + OFF_IP + 16, 4);
		memcpy(&dport, fr + OFF_TCP + 2, 2);
		n = bench_tuple_n(dip, dport);
		if (n < f->flood_lo)
			return -1;
		if (n >= f->next_n)
			return false;
#if TCPD_BENCH_HAVE_TCP
		if (full) {
			struct tcpd_cookie_tuple ct;
			struct tcpd_pkt p;
			enum tcpd_stat why;
			unsigned int mi;
			uint32_t cnt;

			if (parse_reply(lc, fr, m->data_len, &p, &why) != TCPD_NET_TCP ||
			    p.src_ip != rte_cpu_to_be_32(BENCH_SERVER_IP) ||
			    p.src_port != rte_cpu_to_be_16(BENCH_HTTP_PORT) ||
			    p.flags != (TCPD_TH_SYN | TCPD_TH_ACK) || p.ack != bench_cisn(n) + 1 ||
			    !(p.opts.present & TCPD_OPT_MSS) || p.payload_len != 0)
				return false;
			/* The cookie itself, checked as the server will (with the counter of its
			 * clock, lib/tcp), and the MSS it carries. */
			ct = (struct tcpd_cookie_tuple){p.dst_ip, p.src_ip, p.dst_port, p.src_port};
			cnt = tcpd_tcp_clock_sec(lc->w->tcp) / TCPD_COOKIE_PERIOD;
			if (tcpd_cookie_store_check(bench_cookies, &ct, bench_cisn(n), p.seq, cnt,
						    &mi) != TCPD_COOKIE_OK ||
			    tcpd_cookie_mss_table[mi] > BENCH_CLIENT_MSS) {
				lc->chk.cookie_bad++;
				return false;
			}
			lc->chk.verified++;
			if (f->nb_sample < f->max_sample)
				f->sample[f->nb_sample++] = (struct est){n, p.seq};
		}
#endif
		return true;
	default:
		return false; /* established ACKs: no reply expected */
	}
}

static inline void
flood_drain(struct bench_lcore *lc, struct flood *f, bool full, struct bench_meas *m)
{
	struct rte_mbuf *out[64];
	unsigned int n, i;

	while ((n = rte_ring_sc_dequeue_burst(lc->txr, (void **)out, 64, NULL)) > 0) {
		for (i = 0; i < n; i++) {
			int v = flood_check(lc, f, out[i], full);

			if (likely(v > 0))
				m->ok++;
			else if (v < 0)
				lc->chk.retrans++;
			else if (f->kind == BENCH_ACK_EST)
				lc->chk.unexpected++;
			else
				lc->chk.bad_reply++;
		}
		m->tx += n;
		rte_pktmbuf_free_bulk(out, n);
	}
}

/* Forward baseline: what the daemon's loop costs when it does nothing but move packets. */
static inline void
forward_burst(struct bench_lcore *lc)
{
	struct rte_mbuf *pk[BENCH_BURST];
	uint16_t n, sent;

	n = rte_eth_rx_burst(lc->port_id, 0, pk, BENCH_BURST);
	sent = rte_eth_tx_burst(lc->port_id, 0, pk, n);
	if (unlikely(sent < n)) {
		lc->chk.tx_drop += n - sent;
		rte_pktmbuf_free_bulk(&pk[sent], n - sent);
	}
}

/*
 * Feed @p npkts packets (or until @p max_tsc cycles pass) through the worker. All harness work
 * (allocation, templates, enqueue, drain, checks, free) is outside the worker's bracket.
 */
static void
flood_loop(struct bench_lcore *lc, struct flood *f, uint64_t npkts, uint64_t max_tsc, bool full,
	   struct bench_meas *m)
{
	struct rte_mbuf *pk[BENCH_BURST];
	uint64_t start = rte_rdtsc(), fed = 0, wk = 0;
	uint64_t deadline = max_tsc > UINT64_MAX - start ? UINT64_MAX : start + max_tsc;

	memset(m, 0, sizeof(*m));
	while (fed < npkts) {
		unsigned int n = (unsigned int)RTE_MIN((uint64_t)BENCH_BURST, npkts - fed);
		uint64_t t1, t2;

		if (unlikely(rte_pktmbuf_alloc_bulk(lc->pool, pk, n) != 0)) {
			lc_note(lc, "%s: mbuf pool empty after %llu packets", "feed", fed);
			m->failures++;
			break;
		}
		flood_gen(lc, f, pk, n);
		if (unlikely(rte_ring_sp_enqueue_burst(lc->rxr, (void **)pk, n, NULL) != n)) {
			lc_note(lc, "%s: RX ring full after %llu packets", "feed", fed);
			m->failures++;
			break;
		}
		t1 = rte_rdtsc();
#if TCPD_BENCH_HAVE_TCP
		if (f->kind == BENCH_FORWARD)
			forward_burst(lc);
		else
			tcpd_worker_poll(lc->w);
#else
		forward_burst(lc);
#endif
		t2 = rte_rdtsc();
		wk += t2 - t1;
		fed += n;
		flood_drain(lc, f, full, m);
		if (unlikely(t2 > deadline))
			break;
	}
	m->tsc = rte_rdtsc() - start;
	m->tsc_worker = wk;
	m->rx = fed;
	lc->chk.sent += fed;
	lc->chk.replies += m->tx;
}

static uint64_t
dur_tsc(const struct bench_opts *o)
{
	return (uint64_t)(o->duration * (double)rte_get_tsc_hz());
}

static void
run_forward(struct bench_job *job, struct bench_lcore *lc)
{
	const struct bench_opts *o = job->o;
	struct flood f;
	unsigned int r;

	memset(&f, 0, sizeof(f));
	f.kind = BENCH_FORWARD;
	bench_tmpl_init(&f.syn, &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), BENCH_HTTP_PORT, TH_SYN,
			BENCH_CLIENT_MSS, NULL, 0);
	bench_barrier(job);
	for (r = 0; r < o->runs; r++) {
		struct bench_meas warm;

		bench_barrier(job);
		f.next_n = 0;
		/* Warm-up, every packet checked. */
		flood_loop(lc, &f, o->verify, UINT64_MAX, true, &warm);
		bench_barrier(job);
		flood_loop(lc, &f, o->packets, dur_tsc(o), o->verify_all, &lc->meas[r]);
		lc->chk.missing += lc->meas[r].rx + warm.rx - lc->meas[r].tx - warm.tx;
		bench_lcore_flush(lc);
	}
}

#if TCPD_BENCH_HAVE_TCP
/* ------------------------------------------------------------------------------------------ */
/* Worker set-up.                                                                               */

static volatile bool bench_quit;
static unsigned int ctx_seq;
const struct tcpd_cookie_store *bench_cookies;

struct srv {
	struct tcpd_config cfg;
	struct tcpd_iface ifc;
};

static void
srv_config(struct srv *s, const struct bench_opts *o, enum tcpd_syncookies mode, uint32_t max_conns,
	   uint32_t synq_limit)
{
	memset(s, 0, sizeof(*s));
	tcpd_config_defaults(&s->cfg);
	s->cfg.ip = rte_cpu_to_be_32(BENCH_SERVER_IP);
	s->cfg.prefix_len = 15;
	s->cfg.mtu = 1500;
	s->cfg.listen[0].port = BENCH_HTTP_PORT;
	s->cfg.listen[0].service = TCPD_SVC_HTTP;
	s->cfg.listen[1].port = BENCH_DISCARD_PORT;
	s->cfg.listen[1].service = TCPD_SVC_DISCARD;
	s->cfg.nb_listen = 2;
	s->cfg.syncookies = mode;
	s->cfg.max_conns = max_conns;
	if (synq_limit)
		s->cfg.synq_limit = synq_limit;
	s->cfg.idle_timeout = 0;
	s->cfg.http_body_size = o->http_body;
	s->ifc.mac = bench_server_mac;
	s->ifc.ip = s->cfg.ip;
	s->ifc.mtu = s->cfg.mtu;
	s->ifc.tx_ip_cksum = bench_offload;
	s->ifc.tx_tcp_cksum = bench_offload;
}

/* The server's IPv6 address, for the syn6-* scenarios. */
static void
srv_config6(struct srv *s)
{
	memcpy(s->cfg.ip6, bench_server_ip6, 16);
	s->cfg.ip6_prefix_len = 64;
	memcpy(s->ifc.ip6[0].addr, bench_server_ip6, 16);
	s->ifc.ip6[0].prefix_len = 64;
	s->ifc.nb_ip6 = 1;
}

static int
worker_create(struct bench_lcore *lc, struct srv *s)
{
	struct tcpd_worker_params p = {
		.cfg = &s->cfg,
		.ifc = &s->ifc,
		.cookies = bench_cookies,
		.pool = lc->pool,
		.lcore_id = lc->lcore_id,
		.port_id = lc->port_id,
		.queue_id = 0,
		.socket_id = lc->socket,
		.quit = &bench_quit,
	};
	struct tcpd_worker *w;
	char name[16];

	/* A name per run: the previous run's table may still exist (rte_hash names are global). */
	snprintf(name, sizeof(name), "bt%u_%u", lc->idx,
		 __atomic_fetch_add(&ctx_seq, 1, __ATOMIC_RELAXED));
	p.name = name;
	w = tcpd_worker_create(&p);
	if (w == NULL) {
		if (lc->note[0] == '\0')
			snprintf(lc->note, sizeof(lc->note),
				 "tcpd_worker_create(max_conns %u) failed: %s (a larger -m?)",
				 s->cfg.max_conns, rte_strerror(rte_errno));
		return -1;
	}
	lc->w = w;
	return 0;
}

static void
worker_free(struct bench_lcore *lc)
{
	if (lc->w == NULL)
		return;
	lc->chk.tx_drop += tcpd_stats_read(&lc->w->stats, TCPD_STAT_tx_drop);
	tcpd_worker_free(lc->w);
	lc->w = NULL;
	bench_lcore_flush(lc);
}

static inline uint64_t
wstat(struct bench_lcore *lc, enum tcpd_stat s)
{
	return tcpd_stats_read(&lc->w->stats, s);
}

/* Server counters that must not move in a clean run: every drop reason, RSTs, challenge ACKs,
 * retransmissions and timeouts. Chosen by name so that counters added later are included. */
static bool
stat_is_bad(enum tcpd_stat i, bool auto_full)
{
	static const char *const bad[] = {"drop_",
					  "rst_",
					  "challenge_ack",
					  "cookie_bad",
					  "cookie_expired",
					  "no_listener",
					  "retransmit",
					  "rto_timeout",
					  "syn_rcvd_timeout",
					  "dupack_ooo",
					  "fin_wait2_timeout",
					  "idle_timeout",
					  "syn_retransmit",
					  "table_full",
					  "tx_drop"};
	const char *name = tcpd_stats_name(i);
	unsigned int k;

	if (name == NULL)
		return false;
	/* A full table of half-open entries retransmits their SYN-ACKs and refuses what
	 * does not fit: that is the scenario. */
	if (auto_full && (strcmp(name, "retransmit") == 0 || strcmp(name, "table_full") == 0))
		return false;
	for (k = 0; k < RTE_DIM(bad); k++)
		if (strncmp(name, bad[k], strlen(bad[k])) == 0)
			return true;
	return false;
}

static void
server_bad_snapshot(struct bench_lcore *lc, uint64_t *v)
{
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++)
		v[i] = tcpd_stats_read(&lc->w->stats, (enum tcpd_stat)i);
}

/* Add what moved since @p v among the bad counters; name the first in the note. */
static void
server_bad_check(struct bench_lcore *lc, const uint64_t *v, bool auto_full)
{
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++) {
		uint64_t d = tcpd_stats_read(&lc->w->stats, (enum tcpd_stat)i) - v[i];

		if (d && stat_is_bad((enum tcpd_stat)i, auto_full)) {
			lc->chk.server_drops += d;
			lc_note(lc, "server counter %s moved by %llu", tcpd_stats_name(i), d);
		}
	}
}

/* Send back the cookie SYN-ACKs kept in f->sample as the handshake's final ACK; the server must
 * accept every one (cookie_ok) or, with a full table, refuse it for that reason only. */
static void
cookie_replay(struct bench_lcore *lc, struct flood *f)
{
	struct flood r = *f;
	struct bench_meas m;
	uint64_t ok0 = wstat(lc, TCPD_STAT_cookie_ok), bad0 = wstat(lc, TCPD_STAT_cookie_bad);
	uint64_t exp0 = wstat(lc, TCPD_STAT_cookie_expired);
	uint64_t full0 = wstat(lc, TCPD_STAT_table_full), unexp0 = lc->chk.unexpected;
	uint64_t sent0 = lc->chk.sent, replies0 = lc->chk.replies;
	uint32_t i;

	r.kind = BENCH_ACK_EST;
	r.est = f->sample;
	r.nb_est = f->nb_sample;
	/* In order, not random: each sample exactly once. */
	for (i = 0; i < r.nb_est; i += BENCH_BURST) {
		unsigned int k, n = RTE_MIN((uint32_t)BENCH_BURST, r.nb_est - i);

		for (k = 0; k < BENCH_BURST; k++)
			r.pick[k] = i + (k < n ? k : 0);
		/* flood_gen refills pick[] randomly after use; set it again each burst. */
		flood_loop(lc, &r, n, UINT64_MAX, true, &m);
	}
	lc->chk.cookie_replayed += f->nb_sample;
	lc->chk.cookie_ok += wstat(lc, TCPD_STAT_cookie_ok) - ok0;
	lc->chk.cookie_bad +=
		wstat(lc, TCPD_STAT_cookie_bad) - bad0 + wstat(lc, TCPD_STAT_cookie_expired) - exp0;
	lc->chk.table_full += wstat(lc, TCPD_STAT_table_full) - full0;
	lc->chk.replay_replies += lc->chk.unexpected - unexp0;
	lc->chk.unexpected = unexp0;
	/* sent and replies count the flood only */
	lc->chk.sent = sent0;
	lc->chk.replies = replies0;
	f->nb_sample = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The client: a state machine per connection, driven by the server's replies.                 */

enum {
	CL_FREE = 0,
	CL_SYN_SENT,
	CL_OPEN
};
enum {
	T_SYN = 0,
	T_ACK,
	T_GET,
	T_FIN,
	T_NB
};

struct cl_slot {
	uint32_t n;
	uint32_t snd_nxt;
	uint32_t rcv_nxt;
	uint32_t una;
	uint32_t resp_total;
	uint32_t resp_got;
	uint8_t st;
	uint8_t fin_sent;
	uint8_t got_fin;
	uint8_t fin_acked_by_us;
};

struct cl_out {
	uint32_t n;
	uint32_t seq;
	uint32_t ack;
	uint32_t tmpl;
};

struct cycle {
	struct bench_tmpl t[T_NB];
	struct cl_slot *slot;
	uint32_t *gen;
	/* Free slots, FIFO: every slot's generation advances at the same pace, so tuple numbers
	 * (generation << BENCH_SLOT_BITS | slot) reach 2^32 only after window * 2^17 connections.
	 * A LIFO list would spin the same burst of slots and wrap after 32 * 2^17 (4194304). */
	uint32_t *freel;
	uint32_t fhead, ftail, fmask;
	uint32_t nslots, nfree;
	struct cl_out *q;
	uint32_t qhead, qtail, qmask;
	uint64_t started, done, failed, target;
	bool stop;
	bool open_only;
	struct est *est; /* open_only: connections made */
	uint32_t nb_est, max_est;
	uint32_t *done_n; /* completed tuples for the server-state check */
	uint32_t nb_done_n, max_done_n;
	uint16_t dport;
	uint32_t body;
	/* the first valid response header, compared byte for byte afterwards */
	uint8_t hdr[256];
	uint16_t hdr_len;
	uint8_t body_pat[128]; /* two periods of the body pattern */
	uint64_t resp_bytes, dups, strays;
};

static const char http_req[] = "GET / HTTP/1.1\r\nHost: 198.18.0.1\r\nConnection: close\r\n\r\n";

static void
cycle_free(struct cycle *c)
{
	free(c->slot);
	free(c->gen);
	free(c->freel);
	free(c->q);
	free(c->done_n);
	memset(c, 0, sizeof(*c));
}

static int
cycle_init(struct cycle *c, uint32_t window, uint16_t dport, bool open_only, struct est *est,
	   uint32_t max_est, uint32_t max_done, uint32_t body)
{
	uint32_t i, qsz = rte_align32pow2(window * 4 + BENCH_BURST * 4);

	memset(c, 0, sizeof(*c));
	window = RTE_MIN(window, 1u << BENCH_SLOT_BITS);
	c->slot = calloc(window, sizeof(*c->slot));
	c->gen = calloc(window, sizeof(*c->gen));
	c->fmask = rte_align32pow2(window) - 1;
	c->freel = calloc(c->fmask + 1, sizeof(*c->freel));
	c->q = calloc(qsz, sizeof(*c->q));
	c->done_n = calloc(max_done ? max_done : 1, sizeof(*c->done_n));
	if (!c->slot || !c->gen || !c->freel || !c->q || !c->done_n) {
		cycle_free(c);
		return -1;
	}
	c->nslots = window;
	for (i = 0; i < window; i++)
		c->freel[i] = i;
	c->ftail = window;
	c->nfree = window;
	c->qmask = qsz - 1;
	c->open_only = open_only;
	c->est = est;
	c->max_est = max_est;
	c->max_done_n = max_done;
	c->dport = dport;
	c->body = body;
	for (i = 0; i < sizeof(c->body_pat); i++)
		c->body_pat[i] = tcpd_app_http_body_byte(i);
	bench_tmpl_init(&c->t[T_SYN], &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), dport, TH_SYN, BENCH_CLIENT_MSS, NULL,
			0);
	bench_tmpl_init(&c->t[T_ACK], &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), dport, TH_ACK, 0, NULL, 0);
	bench_tmpl_init(&c->t[T_GET], &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), dport, TH_ACK | TH_PSH, 0, http_req,
			sizeof(http_req) - 1);
	bench_tmpl_init(&c->t[T_FIN], &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), dport, TH_ACK | TH_FIN, 0, NULL, 0);
	return 0;
}

static inline void
cl_push(struct cycle *c, uint32_t n, uint32_t seq, uint32_t ack, uint32_t t)
{
	c->q[c->qtail++ & c->qmask] = (struct cl_out){n, seq, ack, t};
}

static inline uint32_t
cl_qlen(const struct cycle *c)
{
	return c->qtail - c->qhead;
}

static inline void
cl_release(struct cycle *c, struct cl_slot *s)
{
	s->st = CL_FREE;
	c->freel[c->ftail++ & c->fmask] = (uint32_t)(s - c->slot);
	c->nfree++;
}

static inline void
cl_fail(struct bench_lcore *lc, struct cycle *c, struct cl_slot *s, const char *why)
{
	lc_note(lc, "first failed connection: %s (tuple %llu)", why, s->n);
	c->failed++;
	cl_release(c, s);
}

static inline void
cl_done(struct cycle *c, struct cl_slot *s)
{
	c->done++;
	if (c->nb_done_n < c->max_done_n)
		c->done_n[c->nb_done_n++] = s->n;
	cl_release(c, s);
}

static inline void
cl_start(struct cycle *c)
{
	uint32_t i = c->freel[c->fhead++ & c->fmask];
	struct cl_slot *s = &c->slot[i];
	uint32_t n = (c->gen[i]++ << BENCH_SLOT_BITS) | i;

	*s = (struct cl_slot){.n = n, .st = CL_SYN_SENT};
	cl_push(c, n, bench_cisn(n), 0, T_SYN);
	c->started++;
	c->nfree--;
}

/* Check an HTTP response's first segment; @return its total length (header + body), 0 if bad. */
static uint32_t
http_check(struct cycle *c, const uint8_t *p, uint32_t len)
{
	static const char status[] = "HTTP/1.1 200 OK\r\n";
	const char *cl, *end;
	char buf[512];
	unsigned long v;
	uint32_t hl;

	if (c->hdr_len && len >= c->hdr_len && memcmp(p, c->hdr, c->hdr_len) == 0)
		return c->hdr_len + c->body;
	/* Slow path: the first response, or one whose header differs. */
	memcpy(buf, p, RTE_MIN(len, sizeof(buf) - 1));
	buf[RTE_MIN(len, sizeof(buf) - 1)] = '\0';
	if (strncmp(buf, status, sizeof(status) - 1) != 0)
		return 0;
	end = strstr(buf, "\r\n\r\n");
	cl = strcasestr(buf, "\r\nContent-Length:");
	if (end == NULL || cl == NULL || cl > end)
		return 0;
	v = strtoul(cl + 17, NULL, 10);
	if (v != c->body)
		return 0;
	hl = (uint32_t)(end + 4 - buf);
	if (c->hdr_len == 0 && hl <= sizeof(c->hdr)) {
		memcpy(c->hdr, p, hl);
		c->hdr_len = (uint16_t)hl;
	}
	return hl + (uint32_t)v;
}

/* The body bytes of this segment are the daemon's pattern (tcpd_app_http_body_byte). */
static inline bool
body_ok(const struct cycle *c, const struct cl_slot *s, const uint8_t *d, uint32_t len)
{
	uint32_t hlen = s->resp_total - c->body, off = s->resp_got;

	if (off < hlen) {
		uint32_t skip = RTE_MIN(len, hlen - off);

		d += skip;
		len -= skip;
		off += skip;
	}
	if (len > s->resp_total - off)
		len = s->resp_total - off; /* too long: the caller reports it */
	while (len) {
		uint32_t b = off - hlen, k = RTE_MIN(len, 64u);

		if (memcmp(d, c->body_pat + (b & 63), k) != 0)
			return false;
		d += k;
		len -= k;
		off += k;
	}
	return true;
}

static inline bool
seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/* One reply from the server. */
static void
cl_input(struct bench_lcore *lc, struct cycle *c, const uint8_t *fr, uint32_t len)
{
	struct tcpd_pkt p;
	enum tcpd_stat why;
	struct cl_slot *s;
	uint32_t n, i;

	if (parse_reply(lc, fr, len, &p, &why) != TCPD_NET_TCP ||
	    p.src_ip != rte_cpu_to_be_32(BENCH_SERVER_IP) ||
	    p.src_port != rte_cpu_to_be_16(c->dport)) {
		lc->chk.bad_reply++;
		return;
	}
	n = bench_tuple_n(p.dst_ip, p.dst_port);
	i = n & ((1u << BENCH_SLOT_BITS) - 1);
	if (n == UINT32_MAX || i >= c->nslots || c->slot[i].st == CL_FREE || c->slot[i].n != n) {
		c->strays++; /* for a connection already finished or failed */
		return;
	}
	s = &c->slot[i];
	lc->chk.verified++;
	if (p.flags & TCPD_TH_RST) {
		cl_fail(lc, c, s, "RST from the server");
		return;
	}
	if (s->st == CL_SYN_SENT) {
		if (p.flags != (TCPD_TH_SYN | TCPD_TH_ACK) || p.ack != bench_cisn(n) + 1 ||
		    !(p.opts.present & TCPD_OPT_MSS)) {
			lc->chk.bad_reply++;
			cl_fail(lc, c, s, "bad SYN-ACK");
			return;
		}
		s->rcv_nxt = p.seq + 1;
		s->snd_nxt = bench_cisn(n) + 1;
		s->una = s->snd_nxt;
		cl_push(c, n, s->snd_nxt, s->rcv_nxt, T_ACK);
		if (c->open_only) {
			if (c->nb_est < c->max_est)
				c->est[c->nb_est++] = (struct est){n, p.seq};
			cl_done(c, s);
			return;
		}
		cl_push(c, n, s->snd_nxt, s->rcv_nxt, T_GET);
		s->snd_nxt += sizeof(http_req) - 1;
		s->st = CL_OPEN;
		return;
	}
	if (p.flags & TCPD_TH_SYN) {
		c->dups++; /* a retransmitted SYN-ACK: our ACK is on its way */
		return;
	}
	if (!(p.flags & TCPD_TH_ACK) || seq_gt(p.ack, s->snd_nxt)) {
		lc->chk.bad_reply++;
		cl_fail(lc, c, s, "ACK beyond what we sent");
		return;
	}
	if (seq_gt(p.ack, s->una))
		s->una = p.ack;
	if (p.payload_len || (p.flags & TCPD_TH_FIN)) {
		if (p.seq != s->rcv_nxt) {
			if (seq_gt(s->rcv_nxt, p.seq)) {
				c->dups++; /* a retransmission: acknowledge again */
				cl_push(c, n, s->snd_nxt, s->rcv_nxt, T_ACK);
				return;
			}
			lc->chk.bad_reply++;
			cl_fail(lc, c, s, "gap in the server's sequence space");
			return;
		}
		if (p.payload_len) {
			if (s->resp_got == 0) {
				s->resp_total = http_check(c, fr + p.payload_off, p.payload_len);
				if (s->resp_total == 0) {
					lc->chk.bad_reply++;
					cl_fail(lc, c, s, "bad HTTP response");
					return;
				}
			}
			if (!body_ok(c, s, fr + p.payload_off, p.payload_len)) {
				lc->chk.bad_reply++;
				cl_fail(lc, c, s, "wrong HTTP body bytes");
				return;
			}
			s->resp_got += p.payload_len;
			if (s->resp_got > s->resp_total) {
				lc->chk.bad_reply++;
				cl_fail(lc, c, s, "response longer than announced");
				return;
			}
			s->rcv_nxt += p.payload_len;
			c->resp_bytes += p.payload_len;
		}
		if (p.flags & TCPD_TH_FIN) {
			s->rcv_nxt++;
			s->got_fin = 1;
		}
	}
	if (s->resp_total && s->resp_got == s->resp_total) {
		if (!s->fin_sent) {
			/* Like a client closing after the response: FIN, acknowledging all. */
			cl_push(c, n, s->snd_nxt, s->rcv_nxt, T_FIN);
			s->snd_nxt++;
			s->fin_sent = 1;
			s->fin_acked_by_us = s->got_fin;
		} else if (s->got_fin && !s->fin_acked_by_us) {
			cl_push(c, n, s->snd_nxt, s->rcv_nxt, T_ACK); /* the final ACK */
			s->fin_acked_by_us = 1;
		}
	} else if (p.payload_len) {
		cl_push(c, n, s->snd_nxt, s->rcv_nxt, T_ACK);
	} else if (s->got_fin) {
		cl_fail(lc, c, s, "FIN before the whole response");
		return;
	}
	if (s->fin_sent && s->una == s->snd_nxt && s->fin_acked_by_us)
		cl_done(c, s);
}

static inline void
cycle_drain(struct bench_lcore *lc, struct cycle *c, struct bench_meas *m)
{
	struct rte_mbuf *out[64];
	unsigned int n, i;

	while ((n = rte_ring_sc_dequeue_burst(lc->txr, (void **)out, 64, NULL)) > 0) {
		for (i = 0; i < n; i++) {
			if (i + 1 < n)
				rte_prefetch0(rte_pktmbuf_mtod(out[i + 1], void *));
			cl_input(lc, c, rte_pktmbuf_mtod(out[i], const uint8_t *),
				 out[i]->data_len);
		}
		m->tx += n;
		rte_pktmbuf_free_bulk(out, n);
	}
}

/*
 * Run the client until c->target connections are finished (or failed), or @p max_tsc passes;
 * then let the connections in flight finish (up to @p tail_tsc more). Returns with every slot
 * free: what did not finish is counted as failed ("stalled").
 */
static void
cycle_loop(struct bench_lcore *lc, struct cycle *c, uint64_t max_tsc, uint64_t tail_tsc,
	   struct bench_meas *m)
{
	struct rte_mbuf *pk[BENCH_BURST];
	uint64_t start = rte_rdtsc(), hard = UINT64_MAX, wk = 0;
	uint64_t deadline = max_tsc > UINT64_MAX - start ? UINT64_MAX : start + max_tsc;
	uint64_t fed = 0;

	memset(m, 0, sizeof(*m));
	c->stop = false;
	for (;;) {
		unsigned int k, n;
		uint64_t t1, t2;

		while (!c->stop && c->nfree && c->started < c->target && cl_qlen(c) < BENCH_BURST)
			cl_start(c);
		n = RTE_MIN(cl_qlen(c), (uint32_t)BENCH_BURST);
		if (n) {
			if (unlikely(rte_pktmbuf_alloc_bulk(lc->pool, pk, n) != 0)) {
				lc_note(lc, "%s: mbuf pool empty after %llu packets", "cycle", fed);
				m->failures++;
				break;
			}
			for (k = 0; k < n; k++) {
				const struct cl_out *d = &c->q[c->qhead++ & c->qmask];

				bench_tmpl_fill(&c->t[d->tmpl], pk[k], bench_tuple_ip(d->n),
						bench_tuple_port(d->n), d->seq, d->ack);
			}
			if (unlikely(rte_ring_sp_enqueue_burst(lc->rxr, (void **)pk, n, NULL) !=
				     n)) {
				lc_note(lc, "%s: RX ring full after %llu packets", "cycle", fed);
				m->failures++;
				break;
			}
		}
		t1 = rte_rdtsc();
		tcpd_worker_poll(lc->w);
		t2 = rte_rdtsc();
		wk += t2 - t1;
		fed += n;
		cycle_drain(lc, c, m);
		if (c->nfree == c->nslots && cl_qlen(c) == 0 &&
		    (c->stop || c->started >= c->target))
			break;
		if (unlikely(!c->stop && t2 > deadline)) {
			c->stop = true;
			hard = t2 + tail_tsc;
		} else if (!c->stop && c->started >= c->target) {
			c->stop = true;
			hard = t2 + tail_tsc;
		}
		if (unlikely(t2 > hard))
			break;
	}
	/* One more poll so the last queued ACKs reach the server. */
	tcpd_worker_poll(lc->w);
	cycle_drain(lc, c, m);
	if (c->nfree != c->nslots) {
		uint32_t i;

		for (i = 0; i < c->nslots; i++)
			if (c->slot[i].st != CL_FREE)
				cl_fail(lc, c, &c->slot[i],
					"stalled (no reply before the deadline)");
	}
	c->qhead = c->qtail;
	m->tsc = rte_rdtsc() - start;
	m->tsc_worker = wk;
	m->rx = fed;
	m->conns = c->done;
	m->failures += c->failed;
	lc->chk.sent += fed;
	lc->chk.replies += m->tx;
}

/* Completed connections must be CLOSED (gone) or in TIME-WAIT on the server. */
static void
cycle_server_check(struct bench_lcore *lc, struct cycle *c)
{
	uint32_t i;

	for (i = 0; i < c->nb_done_n; i++) {
		struct tcpd_conn_key k = {
			.peer_ip = bench_tuple_ip(c->done_n[i]),
			.local_ip = rte_cpu_to_be_32(BENCH_SERVER_IP),
			.peer_port = bench_tuple_port(c->done_n[i]),
			.local_port = rte_cpu_to_be_16(c->dport),
			.pad = 0,
		};
		struct tcpd_tcb *cn = tcpd_tcp_lookup(lc->w->tcp, &k);

		if (cn == NULL || cn->state == TCPD_TIME_WAIT)
			lc->chk.server_closed++;
		else
			lc->chk.server_other++;
	}
	c->nb_done_n = 0;
}

static uint64_t
server_open_gauge(struct bench_lcore *lc)
{
	const struct tcpd_stats *s = &lc->w->stats;

	return s->state[TCPD_SYN_RECEIVED] + s->state[TCPD_ESTABLISHED] +
	       s->state[TCPD_FIN_WAIT_1] + s->state[TCPD_FIN_WAIT_2] + s->state[TCPD_CLOSE_WAIT] +
	       s->state[TCPD_CLOSING] + s->state[TCPD_LAST_ACK];
}

static void
run_cycle(struct bench_job *job, struct bench_lcore *lc, enum tcpd_syncookies mode)
{
	const struct bench_opts *o = job->o;
	uint64_t hz = rte_get_tsc_hz();
	uint32_t max_done = o->verify_all ? (uint32_t)o->conns : o->verify;
	uint64_t base[TCPD_STAT_MAX];
	struct srv s;
	struct cycle c;
	unsigned int r;
	int ok;

	/* TIME-WAIT keeps every connection of a run in the table: size it for the whole run. */
	srv_config(&s, o, mode, (uint32_t)(o->conns + o->window + 1024), 0);
	ok = cycle_init(&c, o->window, BENCH_HTTP_PORT, false, NULL, 0, max_done, o->http_body) ==
	     0;
	if (!ok)
		lc_note(lc, "%s: no memory for %llu client slots", "cycle", o->window);
	bench_barrier(job);
	for (r = 0; r < o->runs; r++) {
		bool run_ok = ok && worker_create(lc, &s) == 0;

		bench_barrier(job);
		if (!run_ok) {
			lc->meas[r] = (struct bench_meas){0};
			continue;
		}
		server_bad_snapshot(lc, base);
		c.target = o->conns;
		c.started = c.done = c.failed = 0;
		cycle_loop(lc, &c, dur_tsc(o), 3 * hz, &lc->meas[r]);
		server_bad_check(lc, base, false);
		lc->chk.conns_ok += c.done;
		lc->chk.conns_failed += c.failed;
		lc->chk.resp_bytes += c.resp_bytes;
		c.resp_bytes = 0;
		cycle_server_check(lc, &c);
		lc->chk.server_open += server_open_gauge(lc);
		worker_free(lc);
		memset(c.gen, 0, c.nslots * sizeof(*c.gen));
	}
	cycle_free(&c);
}

static void
run_syn(struct bench_job *job, struct bench_lcore *lc, bool autofull, bool v6)
{
	const struct bench_opts *o = job->o;
	uint32_t fill = autofull ? o->synq_fill : 0;
	uint64_t base[TCPD_STAT_MAX];
	struct srv s;
	struct flood f;
	unsigned int r;
	bool ok;

	memset(&f, 0, sizeof(f));
	f.kind = autofull ? BENCH_SYN_AUTO_FULL : BENCH_SYN_ALWAYS;
	f.v6 = v6;
	if (v6) {
		bench_tmpl6_init(&f.syn, &bench_client_mac, &bench_server_mac, BENCH_HTTP_PORT,
				 TH_SYN, BENCH_CLIENT_MSS6);
		bench_tmpl6_init(&f.ack, &bench_client_mac, &bench_server_mac, BENCH_HTTP_PORT,
				 TH_ACK, 0);
	} else {
		bench_tmpl_init(&f.syn, &bench_client_mac, &bench_server_mac,
				rte_cpu_to_be_32(BENCH_SERVER_IP), BENCH_HTTP_PORT, TH_SYN,
				BENCH_CLIENT_MSS, NULL, 0);
		bench_tmpl_init(&f.ack, &bench_client_mac, &bench_server_mac,
				rte_cpu_to_be_32(BENCH_SERVER_IP), BENCH_HTTP_PORT, TH_ACK, 0, NULL,
				0);
	}
	f.max_sample = o->verify;
	f.sample = calloc(f.max_sample ? f.max_sample : 1, sizeof(*f.sample));
	if (autofull)
		/* Table and half-open limit both equal the prefill: every flood SYN meets them. */
		srv_config(&s, o, TCPD_SYNCOOKIES_AUTO, fill, fill);
	else
		srv_config(&s, o, TCPD_SYNCOOKIES_ALWAYS, 65536, 0);
	if (v6)
		srv_config6(&s);
	ok = f.sample != NULL;
	bench_barrier(job);
	for (r = 0; r < o->runs; r++) {
		struct bench_meas warm;
		bool run_ok = ok && worker_create(lc, &s) == 0;

		f.next_n = 0;
		f.flood_lo = 0;
		if (run_ok)
			server_bad_snapshot(lc, base);
		if (run_ok && fill) {
			struct bench_meas pm;

			f.kind = BENCH_SYN_ALWAYS;
			flood_loop(lc, &f, fill, UINT64_MAX, false, &pm);
			f.kind = BENCH_SYN_AUTO_FULL;
			if (tcpd_conn_count(tcpd_tcp_table(lc->w->tcp)) != fill) {
				if (lc->note[0] == '\0')
					snprintf(lc->note, sizeof(lc->note),
						 "prefill: %u SYNs left %u connections, not a full "
						 "table",
						 fill, tcpd_conn_count(tcpd_tcp_table(lc->w->tcp)));
				lc->chk.bad_reply++;
			}
			lc->chk.sent -= fill;
			lc->chk.replies -= pm.tx;
			f.flood_lo = fill;
			/* A table full of half-open connections: what each costs, IPv6 peer
			 * table included (tcpd_tcp_conn_memory). */
			lc->chk.table_conns = tcpd_conn_count(tcpd_tcp_table(lc->w->tcp));
			lc->chk.table_bytes = tcpd_tcp_conn_memory(lc->w->tcp);
		}
		bench_barrier(job);
		if (!run_ok) {
			lc->meas[r] = (struct bench_meas){0};
			continue;
		}
		flood_loop(lc, &f, o->verify, UINT64_MAX, true, &warm);
		lc->chk.missing += warm.rx > warm.ok ? warm.rx - warm.ok : 0;
		bench_barrier(job);
		flood_loop(lc, &f, o->packets, dur_tsc(o), o->verify_all, &lc->meas[r]);
		lc->chk.missing +=
			lc->meas[r].rx > lc->meas[r].ok ? lc->meas[r].rx - lc->meas[r].ok : 0;
		server_bad_check(lc, base, autofull);
		cookie_replay(lc, &f);
		worker_free(lc);
	}
	free(f.sample);
}

/*
 * The table alone: hash and bulk-look-up bursts of BENCH_BURST random live keys, as the worker
 * does per RX burst, timed without parsing, state machine or I/O. This is the figure the table
 * target (lookup cost within 2x from 1K to 10M connections) speaks of; the ACK scenario adds
 * everything else an established segment costs.
 */
static void
lookup_probe(struct bench_lcore *lc, const struct est *est, uint32_t nb, uint64_t nkeys)
{
	struct tcpd_conn_table *t = tcpd_tcp_table(lc->w->tcp);
	struct tcpd_conn_key keys[BENCH_BURST];
	struct tcpd_conn_entry *conns[BENCH_BURST];
	uint32_t hashes[BENCH_BURST];
	uint64_t t0, tsc = 0, done = 0, hits = 0;
	unsigned int i;

	while (done < nkeys) {
		for (i = 0; i < BENCH_BURST; i++) {
			const struct est *e = &est[pick_conn(lc, nb)];

			keys[i] = (struct tcpd_conn_key){
				.peer_ip = bench_tuple_ip(e->n),
				.local_ip = rte_cpu_to_be_32(BENCH_SERVER_IP),
				.peer_port = bench_tuple_port(e->n),
				.local_port = rte_cpu_to_be_16(BENCH_DISCARD_PORT),
			};
		}
		t0 = rte_rdtsc();
		for (i = 0; i < BENCH_BURST; i++)
			hashes[i] = tcpd_conn_hash(t, &keys[i]);
		hits += tcpd_conn_lookup_bulk(t, keys, hashes, BENCH_BURST, conns);
		tsc += rte_rdtsc() - t0;
		done += BENCH_BURST;
	}
	lc->chk.lookup_keys += done;
	lc->chk.lookup_tsc += tsc;
	lc->chk.lookup_miss += done - hits;
}

/* Established ACKs: open job->table connections through real handshakes, then time pure ACKs
 * (SEG.ACK = SND.NXT, no data: RFC 9293 3.10.7.4 accepts them silently) to random ones. */
static void
run_ack(struct bench_job *job, struct bench_lcore *lc)
{
	const struct bench_opts *o = job->o;
	uint32_t K = job->table;
	uint64_t base[TCPD_STAT_MAX];
	struct srv s;
	struct flood f;
	struct cycle c;
	struct est *est = NULL;
	struct bench_meas m;
	unsigned int r, i;
	bool ok;

	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	srv_config(&s, o, TCPD_SYNCOOKIES_ALWAYS, K, 0);
	est = malloc((size_t)K * sizeof(*est));
	ok = est != NULL && worker_create(lc, &s) == 0;
	if (ok && cycle_init(&c, 4096, BENCH_DISCARD_PORT, true, est, K, 0, o->http_body) != 0)
		ok = false;
	if (ok) {
		c.target = K;
		cycle_loop(lc, &c, UINT64_MAX, 3 * rte_get_tsc_hz(), &m);
		lc->chk.table_conns = tcpd_conn_count(tcpd_tcp_table(lc->w->tcp));
		lc->chk.table_bytes = tcpd_tcp_conn_memory(lc->w->tcp);
		if (c.nb_est != K || lc->chk.table_conns != K) {
			if (lc->note[0] == '\0')
				snprintf(lc->note, sizeof(lc->note),
					 "set-up: %u handshakes gave %u connections (%llu failed)",
					 K, (unsigned int)lc->chk.table_conns,
					 (unsigned long long)c.failed);
			lc->chk.conns_failed += c.failed;
			ok = false;
		}
		lc->chk.sent = lc->chk.replies = lc->chk.verified = 0;
	}
	f.kind = BENCH_ACK_EST;
	bench_tmpl_init(&f.ack, &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), BENCH_DISCARD_PORT, TH_ACK, 0, NULL, 0);
	f.est = est;
	f.nb_est = c.nb_est;
	for (i = 0; ok && i < BENCH_BURST; i++)
		f.pick[i] = pick_conn(lc, f.nb_est);
	if (ok) {
		lookup_probe(lc, est, c.nb_est, o->quick ? 65536 : 4u << 20);
		server_bad_snapshot(lc, base);
	}
	bench_barrier(job);
	for (r = 0; r < o->runs; r++) {
		bench_barrier(job);
		if (!ok) {
			lc->meas[r] = (struct bench_meas){0};
			continue;
		}
		uint64_t unexp0;

		flood_loop(lc, &f, o->verify, UINT64_MAX, true, &m);
		bench_barrier(job);
		unexp0 = lc->chk.unexpected;
		flood_loop(lc, &f, o->packets, dur_tsc(o), o->verify_all, &lc->meas[r]);
		/* Every ACK must have found its connection: a miss would be answered (RST). */
		lc->meas[r].failures += lc->chk.unexpected - unexp0;
		lc->meas[r].ok = lc->meas[r].rx - (lc->chk.unexpected - unexp0);
	}
	if (ok) {
		server_bad_check(lc, base, false);
		lc->chk.verified = lc->chk.sent - lc->chk.unexpected;
		lc->chk.server_open = tcpd_conn_count(tcpd_tcp_table(lc->w->tcp));
	}
	cycle_free(&c);
	worker_free(lc);
	free(est);
}
#endif /* TCPD_BENCH_HAVE_TCP */

int
bench_job_lcore(void *arg)
{
	struct bench_lcore_arg *a = arg;
	struct bench_job *job = a->job;
	struct bench_lcore *lc = job->lc[a->i];

	switch (job->kind) {
	case BENCH_FORWARD:
		run_forward(job, lc);
		break;
#if TCPD_BENCH_HAVE_TCP
	case BENCH_SYN_ALWAYS:
	case BENCH_SYN6_ALWAYS:
		run_syn(job, lc, false, job->kind == BENCH_SYN6_ALWAYS);
		break;
	case BENCH_SYN_AUTO_FULL:
	case BENCH_SYN6_AUTO_FULL:
		run_syn(job, lc, true, job->kind == BENCH_SYN6_AUTO_FULL);
		break;
	case BENCH_CYCLE_AUTO:
		run_cycle(job, lc, TCPD_SYNCOOKIES_AUTO);
		break;
	case BENCH_CYCLE_ALWAYS:
		run_cycle(job, lc, TCPD_SYNCOOKIES_ALWAYS);
		break;
	case BENCH_ACK_EST:
		run_ack(job, lc);
		break;
#endif
	default:
		break;
	}
	return 0;
}
