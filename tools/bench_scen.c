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
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_tcp.h>

#include "bench.h"

#if TCPD_BENCH_HAVE_TCP
#include "tcpd_app_client.h"
#include "tcpd_load.h"
#endif

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
	uint16_t dport;	   /* the server's port (0: BENCH_HTTP_PORT) */
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
			    p.src_port != rte_cpu_to_be_16(f->dport ? f->dport : BENCH_HTTP_PORT) ||
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

/* A worker on @p port of this lcore (the server's, or the client's of the cycle scenarios). */
static struct tcpd_worker *
worker_new(struct bench_lcore *lc, struct srv *s, uint16_t port)
{
	struct tcpd_worker_params p = {
		.cfg = &s->cfg,
		.ifc = &s->ifc,
		.cookies = bench_cookies,
		.pool = lc->pool,
		.lcore_id = lc->lcore_id,
		.port_id = port,
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
	}
	return w;
}

static int
worker_create(struct bench_lcore *lc, struct srv *s)
{
	lc->w = worker_new(lc, s, lc->port_id);
	return lc->w != NULL ? 0 : -1;
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
/* Full cycle: the library's client (lib/tcp's active open and lib/app's http client, or       */
/* lib/load's engine) in a worker of its own, against the server worker, on the same lcore.    */
/*                                                                                              */
/* Each worker has its net_ring port; the harness is the wire between them: it moves what one  */
/* port transmitted to the other's RX ring, doing the sender's NIC checksum offload and the     */
/* receiver's RX flags under --offload, and checks the frames while checks are on. Each         */
/* worker's calls are bracketed by rte_rdtsc: server and client cycles are reported apart.      */

/* What the wire remembers of a connection to check the server's replies (not the client's
 * state: that is lib/tcp's and lib/app's). */
struct cyc_slot {
	uint32_t n;    /* tuple */
	uint32_t ciss; /* the client's ISS, seen in its SYN */
	uint32_t siss; /* the server's, seen in its SYN-ACK */
	uint8_t seen;  /* SEEN_* */
};

#define SLOT(n)	    ((n) & ((1u << BENCH_SLOT_BITS) - 1))
#define SEEN_SYN    0x01
#define SEEN_SYNACK 0x02

struct cyc {
	struct tcpd_app_client cl;   /* the http client's per-lcore state (eng = this) */
	struct tcpd_client_rec *rec; /* one record per slot */
	struct cyc_slot *slot;	     /* the wire's view, per slot */
	struct bench_lcore *lc;
	const struct tcpd_iface *sifc; /* the server's interface, to parse client frames */
	uint32_t *gen;
	/* Free slots, FIFO: every slot's generation advances at the same pace, so tuple numbers
	 * (generation << BENCH_SLOT_BITS | slot) reach 2^32 only after window * 2^17 connections. */
	uint32_t *freel;
	uint32_t fhead, ftail, fmask, nslots, nfree;
	uint32_t win; /* slots in use by this run (nslots, or fewer for a smaller window) */
	int app;
	uint64_t started, done, failed, target, responses, resp_bytes;
	uint64_t checks_left; /* frames still to check fully in this run */
	bool stop;
	bool dperf;	  /* overload: failures are the measurement, counted by reason */
	uint32_t *done_n; /* completed tuples for the server-state check */
	uint32_t nb_done_n, max_done_n;
	uint32_t body;
	uint8_t hdr[256]; /* the first valid response header, compared byte for byte afterwards */
	uint16_t hdr_len;
	uint8_t body_pat[128]; /* two periods of the body pattern */
};

/* The request of the old hand-written client: Connection: close, so that the server closes
 * first and keeps the TIME-WAIT, as in the figures measured before the library's client. */
static const char http_req[] = "GET / HTTP/1.1\r\nHost: 198.18.0.1\r\nConnection: close\r\n\r\n";

static const char *const close_why[TCPD_CLOSE_REASONS] = {
	[TCPD_CLOSE_NORMAL] = "server closed before the whole response",
	[TCPD_CLOSE_RST] = "RST from the server",
	[TCPD_CLOSE_REFUSED] = "RST to our SYN",
	[TCPD_CLOSE_SYN_TIMEOUT] = "SYN unanswered",
	[TCPD_CLOSE_TIMEOUT] = "retransmissions unanswered",
	[TCPD_CLOSE_IDLE] = "idle timeout",
	[TCPD_CLOSE_ABORT] = "stalled (still open at the deadline)",
	[TCPD_CLOSE_HANDSHAKE] = "handshake",
};

static void
cyc_event(void *eng, struct tcpd_client_rec *r, enum tcpd_client_event ev)
{
	struct cyc *c = eng;

	RTE_SET_USED(r);
	if (ev == TCPD_CLIENT_EV_RESPONSE)
		c->responses++;
}

/* The connection left the client (lib/app's free hook): completed, or failed with a reason. */
static void
cyc_free(void *eng, struct tcpd_client_rec *r, enum tcpd_close_reason why)
{
	struct cyc *c = eng;
	uint32_t i = (uint32_t)(r - c->rec);

	c->resp_bytes += r->rx_total;
	if (why == TCPD_CLOSE_NORMAL && (r->flags & TCPD_CLIENT_F_FINISHED) &&
	    !(r->flags & (TCPD_CLIENT_F_BAD | TCPD_CLIENT_F_DRAINED))) {
		c->done++;
		if (c->nb_done_n < c->max_done_n)
			c->done_n[c->nb_done_n++] = c->slot[i].n;
	} else if (c->dperf) {
		c->failed++;
		if (r->flags & TCPD_CLIENT_F_BAD)
			c->lc->chk.ol_bad++;
		else
			c->lc->chk.ol_fail[why < 8 ? why : 7]++;
	} else {
		c->failed++;
		lc_note(c->lc, "first failed connection: %s (tuple %llu)",
			(r->flags & TCPD_CLIENT_F_BAD) ? "bad response (lib/app's http client)"
			: why < TCPD_CLOSE_REASONS     ? close_why[why]
						       : "?",
			c->slot[i].n);
	}
	c->slot[i].seen = 0;
	c->freel[c->ftail++ & c->fmask] = i;
	c->nfree++;
}

static const struct tcpd_client_hooks cyc_hooks = {
	.event = cyc_event,
	.free = cyc_free,
};

static void
cyc_free_all(struct cyc *c)
{
	free(c->rec);
	free(c->slot);
	free(c->gen);
	free(c->freel);
	free(c->done_n);
	memset(c, 0, sizeof(*c));
}

static int
cyc_init(struct cyc *c, struct bench_lcore *lc, uint32_t window, uint32_t max_done, uint32_t body)
{
	uint32_t i;

	memset(c, 0, sizeof(*c));
	window = RTE_MIN(window, 1u << BENCH_SLOT_BITS);
	c->rec = calloc(window, sizeof(*c->rec));
	c->slot = calloc(window, sizeof(*c->slot));
	c->gen = calloc(window, sizeof(*c->gen));
	c->fmask = rte_align32pow2(window) - 1;
	c->freel = calloc(c->fmask + 1, sizeof(*c->freel));
	c->done_n = calloc(max_done ? max_done : 1, sizeof(*c->done_n));
	if (!c->rec || !c->slot || !c->gen || !c->freel || !c->done_n) {
		cyc_free_all(c);
		return -1;
	}
	c->lc = lc;
	c->nslots = window;
	c->max_done_n = max_done;
	c->body = body;
	for (i = 0; i < sizeof(c->body_pat); i++)
		c->body_pat[i] = tcpd_app_http_body_byte(i);
	c->cl.hooks = &cyc_hooks;
	c->cl.eng = c;
	c->cl.requests = 1;
	c->cl.expect_body = body;
	memcpy(c->cl.req, http_req, sizeof(http_req) - 1);
	c->cl.req_len = sizeof(http_req) - 1;
	return 0;
}

/* A run starts with every slot free (the client worker is new). */
static void
cyc_reset(struct cyc *c, uint64_t target, uint64_t checks)
{
	uint32_t i;

	for (i = 0; i < c->nslots; i++) {
		c->freel[i] = i;
		c->gen[i] = 0;
		c->slot[i].seen = 0;
	}
	c->fhead = 0;
	c->ftail = c->nslots;
	c->nfree = c->nslots;
	c->win = c->nslots;
	c->started = c->done = c->failed = c->responses = c->resp_bytes = 0;
	c->target = target;
	c->checks_left = checks;
	c->stop = false;
}

/* Open up to @p max connections (client work: inside the client's bracket). */
static inline void
cyc_launch(struct cyc *c, struct tcpd_worker *cw, unsigned int max)
{
	while (max-- && !c->stop && c->nfree && c->started < c->target) {
		uint32_t i = c->freel[c->fhead & c->fmask];
		uint32_t n = (c->gen[i] << BENCH_SLOT_BITS) | i;
		struct tcpd_conn_key k = {
			.peer_ip = rte_cpu_to_be_32(BENCH_SERVER_IP),
			.local_ip = bench_tuple_ip(n),
			.peer_port = rte_cpu_to_be_16(BENCH_HTTP_PORT),
			.local_port = bench_tuple_port(n),
			.pad = 0,
		};
		struct tcpd_client_rec *r = &c->rec[i];
		struct tcpd_tcb *t;

		tcpd_app_client_rec_init(r);
		t = tcpd_tcp_connect(cw->tcp, &k, (unsigned int)c->app, &bench_server_mac);
		c->started++;
		if (unlikely(t == NULL)) {
			c->failed++;
			lc_note(c->lc, "tcpd_tcp_connect: %s (tuple %llu)", rte_strerror(rte_errno),
				n);
			return;
		}
		c->fhead++;
		c->nfree--;
		c->gen[i]++;
		c->slot[i] = (struct cyc_slot){.n = n};
		r->c = t;
		t->app_ptr = r;
	}
}

/* Check an HTTP response's first segment; @return its total length (header + body), 0 if bad. */
static uint32_t
http_check(struct cyc *c, const uint8_t *p, uint32_t len)
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

/* The response bytes of a server segment at stream offset @p off: the header seen first (or a
 * valid one), then the daemon's body pattern (tcpd_app_http_body_byte), nothing beyond. */
static bool
resp_ok(struct cyc *c, uint32_t off, const uint8_t *d, uint32_t len)
{
	uint32_t hlen;

	if (off == 0) {
		if (http_check(c, d, len) == 0)
			return false;
	} else if (c->hdr_len == 0) {
		return true; /* a later segment before any header was learnt: not checkable */
	}
	hlen = c->hdr_len;
	if (off < hlen) {
		uint32_t k = RTE_MIN(len, hlen - off);

		if (off != 0 && memcmp(d, c->hdr + off, k) != 0)
			return false;
		d += k;
		len -= k;
		off += k;
	}
	if (off + len > hlen + c->body)
		return false;
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

static void
wire_bad(struct cyc *c, const char *why, uint32_t n)
{
	c->lc->chk.bad_reply++;
	lc_note(c->lc, "wrong frame on the wire: %s (tuple %llu)", why, n);
}

/* A client frame: addressed to the server's HTTP port from a tuple in use; its SYN's ISS kept. */
static bool
wire_client(struct cyc *c, const uint8_t *f, uint32_t len)
{
	struct tcpd_pkt p;
	enum tcpd_stat why;
	struct cyc_slot *s;
	uint32_t n;

	if (tcpd_net_parse(f, len, c->sifc, 0, &p, &why) != TCPD_NET_TCP ||
	    p.dst_port != rte_cpu_to_be_16(BENCH_HTTP_PORT)) {
		wire_bad(c, "client frame not TCP to the server's port", 0);
		return false;
	}
	n = bench_tuple_n(p.src_ip, p.src_port);
	if (n == UINT32_MAX || SLOT(n) >= c->nslots) {
		wire_bad(c, "client frame from a tuple the bench never opened", n);
		return false;
	}
	s = &c->slot[SLOT(n)];
	if (p.flags == TCPD_TH_SYN && s->n == n) {
		s->ciss = p.seq;
		s->seen |= SEEN_SYN;
	}
	return true;
}

/* A server frame: from the server's HTTP port; the SYN-ACK acknowledges the client's SYN and
 * carries an MSS; payload is the response, byte for byte. */
static bool
wire_server(struct cyc *c, const uint8_t *f, uint32_t len)
{
	struct bench_lcore *lc = c->lc;
	struct tcpd_pkt p;
	enum tcpd_stat why;
	struct cyc_slot *s;
	uint32_t n;

	lc->cifc.mac = bench_client_mac;
	lc->cifc.mtu = 1500;
	memcpy(&lc->cifc.ip, f + OFF_IP + 16, 4);
	if (tcpd_net_parse(f, len, &lc->cifc, 0, &p, &why) != TCPD_NET_TCP ||
	    p.src_ip != rte_cpu_to_be_32(BENCH_SERVER_IP) ||
	    p.src_port != rte_cpu_to_be_16(BENCH_HTTP_PORT)) {
		wire_bad(c, "server frame not TCP from the server's port", 0);
		return false;
	}
	lc->chk.verified++;
	n = bench_tuple_n(p.dst_ip, p.dst_port);
	s = n == UINT32_MAX || SLOT(n) >= c->nslots ? NULL : &c->slot[SLOT(n)];
	if (s == NULL || s->n != n || !(s->seen & SEEN_SYN)) {
		lc->chk.strays++; /* for a connection already finished */
		return true;
	}
	if (p.flags & TCPD_TH_RST) {
		wire_bad(c, "RST from the server", n);
		return true; /* the client counts the connection's failure */
	}
	if (p.flags & TCPD_TH_SYN) {
		if (p.flags != (TCPD_TH_SYN | TCPD_TH_ACK) || p.ack != s->ciss + 1 ||
		    !(p.opts.present & TCPD_OPT_MSS) || p.payload_len != 0) {
			wire_bad(c, "bad SYN-ACK", n);
			return false;
		}
		s->siss = p.seq;
		s->seen |= SEEN_SYNACK;
		return true;
	}
	if (p.payload_len && (s->seen & SEEN_SYNACK) &&
	    !resp_ok(c, p.seq - s->siss - 1, f + p.payload_off, p.payload_len)) {
		wire_bad(c, "wrong HTTP response bytes", n);
		return false;
	}
	return true;
}

/*
 * The wire from @p from (a port's TX ring) to @p to (the other's RX ring), as much as @p to has
 * room for: the sending NIC's checksums under --offload (after checking the worker's half of the
 * contract), the receiving NIC's RX flags, and the frame checks while c->checks_left.
 * @return frames moved
 */
static unsigned int
cyc_wire(struct cyc *c, struct rte_ring *from, struct rte_ring *to, bool to_server)
{
	const uint64_t rxfl =
		bench_offload ? RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD : 0;
	struct rte_mbuf *b[64], *ok[64];
	unsigned int n, i, k, moved = 0, room;

	while ((room = rte_ring_free_count(to)) > 0 &&
	       (n = rte_ring_sc_dequeue_burst(from, (void **)b, RTE_MIN(room, 64u), NULL)) > 0) {
		for (i = k = 0; i < n; i++) {
			struct rte_mbuf *m = b[i];
			uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
			bool good = true;

			if (i + 1 < n)
				rte_prefetch0(rte_pktmbuf_mtod(b[i + 1], void *));
			if (bench_offload && m->data_len >= OFF_TCP + 20 && f[12] == 0x08 &&
			    f[13] == 0x00 && f[OFF_IP + 9] == IPPROTO_TCP &&
			    !nic_tx_cksum(f, m->data_len)) {
				wire_bad(c, "TX checksum offload contract broken", 0);
				good = false;
			}
			if (good && c->checks_left) {
				c->checks_left--;
				good = to_server ? wire_client(c, f, m->data_len)
						 : wire_server(c, f, m->data_len);
			}
			if (!good) {
				rte_pktmbuf_free(m);
				continue;
			}
			m->ol_flags = rxfl;
			m->packet_type = 0;
			ok[k++] = m;
		}
		if (k)
			rte_ring_sp_enqueue_burst(to, (void **)ok, k, NULL);
		moved += k;
	}
	return moved;
}

/* The client worker's net_ring port, made on first use and kept for every later scenario. */
static int
cport_init(struct bench_lcore *lc)
{
	struct rte_eth_conf conf;
	char name[RTE_RING_NAMESIZE];
	int port;

	if (lc->cport)
		return 0;
	snprintf(name, sizeof(name), "bench_crx%u", lc->idx);
	lc->crxr = rte_ring_create(name, 4096, lc->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "bench_ctx%u", lc->idx);
	lc->ctxr = rte_ring_create(name, 4096, lc->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (lc->crxr == NULL || lc->ctxr == NULL)
		return -1;
	snprintf(name, sizeof(name), "net_benchc%u", lc->idx);
	port = rte_eth_from_rings(name, &lc->crxr, 1, &lc->ctxr, 1, (unsigned int)lc->socket);
	if (port < 0)
		return -1;
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure((uint16_t)port, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup((uint16_t)port, 0, 1024, (unsigned int)lc->socket, NULL,
				   lc->pool) < 0 ||
	    rte_eth_tx_queue_setup((uint16_t)port, 0, 1024, (unsigned int)lc->socket, NULL) < 0 ||
	    rte_eth_dev_start((uint16_t)port) < 0)
		return -1;
	lc->cport = port + 1;
	return 0;
}

static void
cport_flush(struct bench_lcore *lc)
{
	struct rte_mbuf *m[64];
	unsigned int n;

	while (lc->crxr && (n = rte_ring_dequeue_burst(lc->crxr, (void **)m, 64, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
	while (lc->ctxr && (n = rte_ring_dequeue_burst(lc->ctxr, (void **)m, 64, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
}

/* The client's configuration: the bench's client addresses are its own, no listener. */
static void
cli_config(struct srv *s, uint32_t max_conns)
{
	memset(s, 0, sizeof(*s));
	tcpd_config_defaults(&s->cfg);
	s->cfg.ip = rte_cpu_to_be_32(BENCH_CLIENT_IP0);
	s->cfg.prefix_len = 15;
	s->cfg.mtu = 1500;
	s->cfg.nb_listen = 0;
	s->cfg.max_conns = max_conns;
	s->cfg.idle_timeout = 0;
	s->ifc.mac = bench_client_mac;
	s->ifc.ip = s->cfg.ip;
	s->ifc.mtu = s->cfg.mtu;
	s->ifc.tx_ip_cksum = bench_offload;
	s->ifc.tx_tcp_cksum = bench_offload;
	s->ifc.extra_ip_first = BENCH_CLIENT_IP0;
	s->ifc.extra_ip_last = RTE_IPV4(198, 19, 255, 254);
}

static void
client_free(struct bench_lcore *lc)
{
	if (lc->cw == NULL)
		return;
	lc->chk.tx_drop += tcpd_stats_read(&lc->cw->stats, TCPD_STAT_tx_drop);
	tcpd_worker_free(lc->cw);
	lc->cw = NULL;
	cport_flush(lc);
}

/* Client counters that must not move in a clean run (the server's list). */
static void
client_bad_check(struct bench_lcore *lc)
{
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++) {
		uint64_t d = tcpd_stats_read(&lc->cw->stats, (enum tcpd_stat)i);

		if (d && stat_is_bad((enum tcpd_stat)i, false)) {
			lc->chk.client_bad += d;
			lc_note(lc, "client counter %s moved by %llu", tcpd_stats_name(i), d);
		}
	}
}

/* Completed connections must be CLOSED (gone) or in TIME-WAIT on the server. */
static void
cycle_server_check(struct bench_lcore *lc, struct cyc *c)
{
	uint32_t i;

	for (i = 0; i < c->nb_done_n; i++) {
		struct tcpd_conn_key k = {
			.peer_ip = bench_tuple_ip(c->done_n[i]),
			.local_ip = rte_cpu_to_be_32(BENCH_SERVER_IP),
			.peer_port = bench_tuple_port(c->done_n[i]),
			.local_port = rte_cpu_to_be_16(BENCH_HTTP_PORT),
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

/* The two workers' calls, apart so that callgrind counts each (docs/PERFORMANCE.md). */
static __rte_noinline void
bench_client_poll(struct cyc *c, struct tcpd_worker *cw)
{
	if (c != NULL)
		cyc_launch(c, cw, BENCH_BURST);
	tcpd_worker_poll(cw);
}

static __rte_noinline uint16_t
bench_server_poll(struct tcpd_worker *w)
{
	return tcpd_worker_poll(w);
}

/* One round: the client (launches, poll), the wire to the server, the server's poll, the wire
 * back. @return frames still on the wires or in the RX rings. */
static inline unsigned int
cyc_round(struct bench_lcore *lc, struct cyc *c, struct cyc *launch, struct bench_meas *m)
{
	uint64_t t0, t1, t2, t3;
	uint16_t busy;

	t0 = rte_rdtsc();
	bench_client_poll(launch, lc->cw);
	t1 = rte_rdtsc();
	m->rx += cyc_wire(c, lc->ctxr, lc->rxr, true);
	t2 = rte_rdtsc();
	busy = bench_server_poll(lc->w);
	t3 = rte_rdtsc();
	m->tsc_client += t1 - t0;
	m->tsc_worker += t3 - t2;
	/* Busy time, with a call longer than 50 us (a full burst costs about 15) counted as 50:
	 * that is the machine preempting us, not the server working. */
	if (busy)
		m->tsc_busy += RTE_MIN(t3 - t2, rte_get_tsc_hz() / 20000);
	m->tx += cyc_wire(c, lc->txr, lc->crxr, false);
	return rte_ring_count(lc->rxr) + rte_ring_count(lc->crxr) + rte_ring_count(lc->ctxr) +
	       rte_ring_count(lc->txr);
}

/*
 * Run until c->target connections are finished (or failed), or @p max_tsc passes; then let the
 * connections in flight finish (up to @p tail_tsc more); what is still open is aborted and
 * counted as failed ("stalled").
 */
static void
cyc_loop(struct bench_lcore *lc, struct cyc *c, uint64_t max_tsc, uint64_t tail_tsc,
	 struct bench_meas *m)
{
	uint64_t start = rte_rdtsc(), hard = UINT64_MAX, now;
	uint64_t deadline = max_tsc > UINT64_MAX - start ? UINT64_MAX : start + max_tsc;
	unsigned int left, i;

	memset(m, 0, sizeof(*m));
	for (;;) {
		left = cyc_round(lc, c, c, m);
		if (c->nfree == c->win && (c->stop || c->started >= c->target) && left == 0)
			break;
		now = rte_rdtsc();
		if (!c->stop && (now > deadline || c->started >= c->target)) {
			c->stop = true;
			hard = now + tail_tsc;
		}
		if (unlikely(now > hard))
			break;
	}
	m->tsc = rte_rdtsc() - start;
	for (i = 0; i < c->nslots; i++)
		if (c->rec[i].c != NULL) {
			c->rec[i].flags |= TCPD_CLIENT_F_DRAINED;
			tcpd_tcp_abort(lc->cw->tcp, c->rec[i].c);
		}
	m->conns = c->done;
	m->failures += c->failed;
	lc->chk.sent += m->rx;
	lc->chk.replies += m->tx;
}

static void
run_cycle(struct bench_job *job, struct bench_lcore *lc, enum tcpd_syncookies mode)
{
	const struct bench_opts *o = job->o;
	uint64_t hz = rte_get_tsc_hz();
	uint32_t max_done = o->verify_all ? (uint32_t)o->conns : o->verify;
	uint64_t base[TCPD_STAT_MAX];
	struct srv s, cs;
	struct cyc c;
	unsigned int r;
	bool ok;

	/* TIME-WAIT keeps every connection of a run in the server's table: size it for the run.
	 * The client closes second (LAST-ACK, no TIME-WAIT): its window is enough. */
	srv_config(&s, o, mode, (uint32_t)(o->conns + o->window + 1024), 0);
	cli_config(&cs, 2 * o->window + 1024);
	ok = cyc_init(&c, lc, o->window, max_done, o->http_body) == 0;
	if (!ok)
		lc_note(lc, "%s: no memory for %llu client slots", "cycle", o->window);
	else if (cport_init(lc) != 0) {
		lc_note(lc, "%s: client port set-up failed (rte_errno %llu)", "cycle",
			(uint64_t)rte_errno);
		ok = false;
	}
	c.sifc = &s.ifc;
	bench_barrier(job);
	for (r = 0; r < o->runs; r++) {
		bool run_ok = ok && worker_create(lc, &s) == 0;

		if (run_ok) {
			lc->cw = worker_new(lc, &cs, (uint16_t)(lc->cport - 1));
			c.app = lc->cw == NULL ? -1
					       : tcpd_tcp_app_add(lc->cw->tcp,
								  &tcpd_app_http_client_ops, &c.cl);
			run_ok = c.app >= 0;
		}
		bench_barrier(job);
		if (!run_ok) {
			lc->meas[r] = (struct bench_meas){0};
			lc->meas[r].failures = 1;
			client_free(lc);
			worker_free(lc);
			continue;
		}
		server_bad_snapshot(lc, base);
		cyc_reset(&c, o->conns, o->verify_all ? UINT64_MAX : 8ull * o->verify);
		cyc_loop(lc, &c, dur_tsc(o), 3 * hz, &lc->meas[r]);
		server_bad_check(lc, base, false);
		client_bad_check(lc);
		lc->chk.conns_ok += c.done;
		lc->chk.conns_failed += c.failed;
		lc->chk.resp_bytes += c.resp_bytes;
		lc->chk.requests += c.responses;
		cycle_server_check(lc, &c);
		lc->chk.server_open += server_open_gauge(lc);
		client_free(lc);
		worker_free(lc);
	}
	cyc_free_all(&c);
}

/* ------------------------------------------------------------------------------------------ */
/* lib/load's engine against the server: a bounded load whose counts must match both sides.   */

static void
run_load(struct bench_job *job, struct bench_lcore *lc, unsigned int svc)
{
	const struct bench_opts *o = job->o;
	uint64_t hz = rte_get_tsc_hz(), end, t0;
	struct tcpd_load_shared sh;
	struct tcpd_load *ld = NULL;
	struct srv s, cs;
	struct cyc wire;
	struct bench_meas *m = &lc->meas[0];
	const struct tcpd_load_stats *st;
	char err[160] = "";
	unsigned int r;

	memset(&wire, 0, sizeof(wire));
	wire.lc = lc;
	srv_config(&s, o, TCPD_SYNCOOKIES_AUTO, o->load_conns + 4096, 0);
	s.cfg.listen[2].port = BENCH_ECHO_PORT;
	s.cfg.listen[2].service = TCPD_SVC_ECHO;
	s.cfg.nb_listen = 3;
	/* The client closes first: its TIME-WAIT holds every connection of the run. */
	cli_config(&cs, o->load_conns + 4096);
	cs.cfg.max_time_wait = o->load_conns + 4096;
	cs.cfg.client.target[0] = (struct tcpd_target){
		.ip = rte_cpu_to_be_32(BENCH_SERVER_IP),
		.port = svc == TCPD_SVC_HTTP ? BENCH_HTTP_PORT : BENCH_ECHO_PORT,
		.app = (uint8_t)svc,
	};
	cs.cfg.client.nb_targets = 1;
	cs.cfg.client.src_ip_first = BENCH_CLIENT_IP0;
	cs.cfg.client.src_ip_last = BENCH_CLIENT_IP0 + 15;
	cs.cfg.client.src_port_first = BENCH_CLIENT_PORT0;
	cs.cfg.client.src_port_last = 65535;
	cs.cfg.client.cps = o->load_conns;
	cs.cfg.client.duration = 1;
	cs.cfg.client.ramp = 0;
	/* No cap below the load: every scheduled launch is made, late or not (a loaded machine
	 * delays polls and the pacer then hands out bursts). */
	cs.cfg.client.concurrency = o->load_conns;
	cs.cfg.client.requests = 2;
	cs.cfg.client.payload = svc == TCPD_SVC_ECHO ? 100 : 0;
	cs.cfg.client.drain = 5;
	cs.cfg.client.arp_timeout = 2;
	bench_barrier(job);
	for (r = 0; r < o->runs; r++)
		lc->meas[r] = (struct bench_meas){0};
	if (cport_init(lc) != 0 || worker_create(lc, &s) != 0 ||
	    (lc->cw = worker_new(lc, &cs, (uint16_t)(lc->cport - 1))) == NULL) {
		lc_note(lc, "%s: set-up failed (rte_errno %llu)", "load", (uint64_t)rte_errno);
		m->failures++;
		goto out;
	}
	tcpd_load_shared_init(&sh, &cs.cfg, hz);
	{
		struct tcpd_load_params lp = {
			.sh = &sh,
			.tcp = lc->cw->tcp,
			.tx = &lc->cw->tx,
			.pool = lc->pool,
			.ifc = &cs.ifc,
			.wstats = &lc->cw->stats,
			.idx = 0,
			.nb = 1,
			.queue = 0,
			.nb_queues = 1,
			.socket_id = lc->socket,
		};

		ld = tcpd_load_create(&lp, err, sizeof(err));
	}
	if (ld == NULL) {
		snprintf(lc->note, sizeof(lc->note), "tcpd_load_create: %s", err);
		m->failures++;
		goto out;
	}
	lc->cw->load = ld;
	t0 = rte_rdtsc();
	end = t0 + (cs.cfg.client.duration + cs.cfg.client.drain + 10) * hz;
	while (!tcpd_load_done(ld) && rte_rdtsc() < end)
		cyc_round(lc, &wire, NULL, m);
	/* The last ACKs and FINs to the server. */
	while (cyc_round(lc, &wire, NULL, m) != 0 && rte_rdtsc() < end)
		;
	st = tcpd_load_stats(ld);
	m->tsc = rte_rdtsc() - t0;
	m->conns = st->c[TCPD_LOAD_completed];
	m->failures += st->c[TCPD_LOAD_failed] + !tcpd_load_done(ld);
	if (st->c[TCPD_LOAD_refused] || st->c[TCPD_LOAD_attempted] != o->load_conns)
		lc_note(lc, "client: %s %llu launches refused", "load", st->c[TCPD_LOAD_refused]);
	for (r = 0; r < TCPD_LOAD_FAIL_MAX; r++)
		if (st->fail[r])
			lc_note(lc, "client failures: %s %llu", tcpd_load_fail_name(r),
				st->fail[r]);
	lc->chk.sent += m->rx;
	lc->chk.replies += m->tx;
	lc->chk.conns_ok = st->c[TCPD_LOAD_completed];
	lc->chk.conns_failed = st->c[TCPD_LOAD_failed];
	lc->chk.requests = st->c[TCPD_LOAD_responses];
	lc->chk.cli_rx_bytes = st->c[TCPD_LOAD_rx_payload];
	lc->chk.cli_tx_bytes = st->c[TCPD_LOAD_tx_payload];
	lc->chk.srv_requests = wstat(lc, TCPD_STAT_http_requests);
	lc->chk.srv_rx_bytes = wstat(lc, TCPD_STAT_data_rx_bytes);
	lc->chk.srv_tx_bytes = wstat(lc, TCPD_STAT_data_tx_bytes);
	lc->chk.srv_opened = wstat(lc, TCPD_STAT_conn_opened);
	lc->chk.srv_closed = wstat(lc, TCPD_STAT_conn_closed);
	lc->chk.server_open = server_open_gauge(lc);
	{
		uint64_t zero[TCPD_STAT_MAX] = {0};

		server_bad_check(lc, zero, false);
	}
	client_bad_check(lc);
out:
	client_free(lc);
	tcpd_load_free(ld);
	worker_free(lc);
	bench_barrier(job);
}

/* ------------------------------------------------------------------------------------------ */
/* Overload: a dperf-like client at 1x, 2x, 5x the server's capacity (issue 13 item 2).        */
/*                                                                                              */
/* The client behaves as dperf's: it closes first after one keep-alive request, keeps no        */
/* TIME-WAIT (time_wait 0) and silently drops the server's retransmitted FINs (the wire drops   */
/* a server FIN for a tuple whose client connection is gone). The server's RX ring drops what   */
/* does not fit, as a NIC's. Both workers share one core and the client costs more than the     */
/* server, so the offered rate is paced in the server's time: each round adds the server        */
/* worker's cycles times the offered rate to the launch budget. Capacity is the closed-loop     */
/* rate of the same server in the same terms, measured first; goodput is completed connections */
/* per second of server worker time. Timers (RTO, SYN retries) run on the wall clock.          */

static const char http_req_ka[] = "GET / HTTP/1.1\r\nHost: 198.18.0.1\r\n\r\n";

/* The wire of the overload runs: the server's RX ring drops what it has no room for; a server
 * FIN for a client connection already gone is dropped (dperf keeps no TIME-WAIT). */
static unsigned int
ol_wire(struct cyc *c, struct rte_ring *from, struct rte_ring *to, bool to_server)
{
	const uint64_t rxfl =
		bench_offload ? RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD : 0;
	struct rte_mbuf *b[64], *ok[64];
	unsigned int n, i, k, moved = 0, sent;

	while ((n = rte_ring_sc_dequeue_burst(from, (void **)b, 64, NULL)) > 0) {
		for (i = k = 0; i < n; i++) {
			struct rte_mbuf *m = b[i];
			uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
			bool tcp = m->data_len >= OFF_TCP + 20 && f[12] == 0x08 && f[13] == 0x00 &&
				   f[OFF_IP + 9] == IPPROTO_TCP;

			if (tcp && bench_offload && !nic_tx_cksum(f, m->data_len)) {
				wire_bad(c, "TX checksum offload contract broken", 0);
				rte_pktmbuf_free(m);
				continue;
			}
			if (tcp && !to_server && (f[OFF_FLAGS] & TH_FIN)) {
				uint32_t dip, n2;
				uint16_t dport;

				memcpy(&dip, f + OFF_IP + 16, 4);
				memcpy(&dport, f + OFF_TCP + 2, 2);
				n2 = bench_tuple_n(dip, dport);
				if (n2 != UINT32_MAX && SLOT(n2) < c->nslots &&
				    (c->slot[SLOT(n2)].n != n2 || c->rec[SLOT(n2)].c == NULL)) {
					c->lc->chk.fin_dropped++;
					rte_pktmbuf_free(m);
					continue;
				}
			}
			m->ol_flags = rxfl;
			m->packet_type = 0;
			ok[k++] = m;
		}
		sent = k ? rte_ring_sp_enqueue_burst(to, (void **)ok, k, NULL) : 0;
		if (sent < k) {
			c->lc->chk.wire_drops += k - sent;
			rte_pktmbuf_free_bulk(&ok[sent], k - sent);
		}
		moved += sent;
	}
	return moved;
}

/*
 * Offer load for @p secs of wall time at @p per_cyc connections per server cycle, then let what
 * is open finish for up to 3 s; what is still open then is aborted (counted). A server call is
 * counted at most @p max_poll cycles (what a full burst costs at capacity, twice): on a shared
 * machine a preempted call would otherwise credit milliseconds of offered load at once.
 * m->tsc_worker: the server's (clamped) cycles while load was offered; m->conns: completed.
 */
static void
ol_run(struct bench_lcore *lc, struct cyc *c, double per_cyc, uint64_t max_poll, double secs,
       struct bench_meas *m)
{
	uint64_t hz = rte_get_tsc_hz(), start = rte_rdtsc();
	uint64_t end = start + (uint64_t)(secs * (double)hz), hard = end + 3 * hz;
	double budget = 0;
	uint32_t i;

	memset(m, 0, sizeof(*m));
	for (;;) {
		uint64_t t0, t1, t2, t3, now;
		unsigned int want = 0, k;

		t0 = rte_rdtsc();
		if (t0 < end) {
			want = (unsigned int)RTE_MIN(budget, 64.0);
			budget -= want;
		}
		for (k = 0; k < want; k++) {
			lc->chk.ol_offered++;
			if (c->nfree == 0) {
				lc->chk.ol_no_slot++;
				continue;
			}
			c->target = c->started + 1;
			cyc_launch(c, lc->cw, 1);
		}
		tcpd_worker_poll(lc->cw);
		t1 = rte_rdtsc();
		m->rx += ol_wire(c, lc->ctxr, lc->rxr, true);
		t2 = rte_rdtsc();
		bench_server_poll(lc->w);
		t3 = rte_rdtsc();
		m->tsc_client += t1 - t0;
		if (t0 < end) {
			uint64_t d = RTE_MIN(t3 - t2, max_poll);

			m->tsc_worker += d;
			budget += (double)d * per_cyc;
		}
		m->tx += ol_wire(c, lc->txr, lc->crxr, false);
		now = rte_rdtsc();
		if (now >= end && c->nfree == c->nslots)
			break;
		if (now >= hard)
			break;
	}
	for (i = 0; i < c->nslots; i++)
		if (c->rec[i].c != NULL) {
			c->rec[i].flags |= TCPD_CLIENT_F_DRAINED;
			tcpd_tcp_abort(lc->cw->tcp, c->rec[i].c);
		}
	m->tsc = rte_rdtsc() - start;
	m->conns = c->done;
}

static void
run_overload(struct bench_job *job, struct bench_lcore *lc)
{
	const struct bench_opts *o = job->o;
	uint64_t hz = rte_get_tsc_hz();
	struct bench_meas cap;
	struct srv s, cs;
	struct cyc c;
	unsigned int r;
	bool ok;

	srv_config(&s, o, TCPD_SYNCOOKIES_AUTO, o->ol_table, 0);
	cli_config(&cs, (1u << BENCH_SLOT_BITS) * 2 + 1024);
	cs.cfg.time_wait = 0; /* dperf keeps no TIME-WAIT */
	ok = cyc_init(&c, lc, 1u << BENCH_SLOT_BITS, 0, o->http_body) == 0 && cport_init(lc) == 0;
	if (ok) {
		c.dperf = true;
		c.sifc = &s.ifc;
		memcpy(c.cl.req, http_req_ka, sizeof(http_req_ka) - 1);
		c.cl.req_len = sizeof(http_req_ka) - 1;
	}
	bench_barrier(job);
	for (r = 0; r < o->runs; r++)
		lc->meas[r] = (struct bench_meas){0};
	for (r = 0; ok && r < o->runs; r++) {
		double per_cyc;
		uint64_t max_poll;

		/* Capacity: closed loop (window 512) on a fresh server, in server time. */
		if (worker_create(lc, &s) != 0 ||
		    (lc->cw = worker_new(lc, &cs, (uint16_t)(lc->cport - 1))) == NULL ||
		    (c.app = tcpd_tcp_app_add(lc->cw->tcp, &tcpd_app_http_client_ops, &c.cl)) < 0)
			break;
		cyc_reset(&c, o->quick ? 5000 : 50000, 0);
		c.win = c.nfree = RTE_MIN(c.nslots, 512u); /* the closed loop's window */
		c.ftail = c.nfree;
		cyc_loop(lc, &c, UINT64_MAX, 3 * hz, &cap);
		lc->chk.ol_cap_conns += cap.conns;
		/* The server's capacity in its busy time: the closed loop leaves it idle between
		 * rounds (the client and the wire run then), which is no capacity of its own. */
		lc->chk.ol_cap_tsc += cap.tsc_busy;
		client_free(lc);
		worker_free(lc);
		memset(lc->chk.ol_fail, 0, sizeof(lc->chk.ol_fail));
		lc->chk.ol_bad = 0;
		if (cap.conns == 0 || cap.tsc_busy == 0)
			break;
		per_cyc = (double)job->table * (double)cap.conns / (double)cap.tsc_busy;
		max_poll = 2 * BENCH_BURST * cap.tsc_busy / RTE_MAX(cap.rx, (uint64_t)1);
		/* Overload on a fresh server. */
		if (worker_create(lc, &s) != 0 ||
		    (lc->cw = worker_new(lc, &cs, (uint16_t)(lc->cport - 1))) == NULL ||
		    (c.app = tcpd_tcp_app_add(lc->cw->tcp, &tcpd_app_http_client_ops, &c.cl)) < 0)
			break;
		cyc_reset(&c, 0, 0);
		ol_run(lc, &c, per_cyc, max_poll, o->ol_secs, &lc->meas[r]);
		lc->chk.ol_tsc += lc->meas[r].tsc_worker;
		lc->chk.conns_ok += c.done;
		lc->chk.conns_failed += c.failed;
		lc->chk.srv_table_full += wstat(lc, TCPD_STAT_table_full);
		lc->chk.srv_cookie_no_room += wstat(lc, TCPD_STAT_cookie_no_room);
		lc->chk.srv_rst_tx += wstat(lc, TCPD_STAT_rst_tx);
		lc->chk.srv_retransmit += wstat(lc, TCPD_STAT_retransmit);
		lc->chk.srv_reclaimed += wstat(lc, TCPD_STAT_closing_reclaimed) +
					 wstat(lc, TCPD_STAT_stalled_reclaimed);
		client_free(lc);
		worker_free(lc);
	}
	if (ok && r < o->runs)
		lc_note(lc, "%s: worker set-up failed (rte_errno %llu)", "overload",
			(uint64_t)rte_errno);
	client_free(lc);
	worker_free(lc);
	cyc_free_all(&c);
	bench_barrier(job);
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

/*
 * Open @p K connections to the discard port through real handshakes, stateless: K SYNs (cookies
 * always), each SYN-ACK's cookie kept, then the final ACKs (the cookie replay), which the server
 * must all accept. @p est receives each connection's tuple and server ISN. @return 0 or -1
 */
static int
est_open(struct bench_lcore *lc, struct est *est, uint32_t K)
{
	struct bench_checks saved = lc->chk;
	struct bench_meas m;
	struct flood f;
	uint64_t ok;

	memset(&f, 0, sizeof(f));
	f.kind = BENCH_SYN_ALWAYS;
	f.dport = BENCH_DISCARD_PORT;
	bench_tmpl_init(&f.syn, &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), BENCH_DISCARD_PORT, TH_SYN,
			BENCH_CLIENT_MSS, NULL, 0);
	bench_tmpl_init(&f.ack, &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), BENCH_DISCARD_PORT, TH_ACK, 0, NULL, 0);
	f.sample = est;
	f.max_sample = K;
	flood_loop(lc, &f, K, UINT64_MAX, true, &m);
	if (f.nb_sample != K) {
		lc->chk = saved;
		return -1;
	}
	cookie_replay(lc, &f);
	ok = lc->chk.cookie_ok - saved.cookie_ok;
	lc->chk = saved;
	return ok == K ? 0 : -1;
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
	struct est *est = NULL;
	struct bench_meas m;
	unsigned int r, i;
	bool ok;

	memset(&f, 0, sizeof(f));
	srv_config(&s, o, TCPD_SYNCOOKIES_ALWAYS, K, 0);
	est = malloc((size_t)K * sizeof(*est));
	ok = est != NULL && worker_create(lc, &s) == 0;
	if (ok) {
		int rc = est_open(lc, est, K);

		lc->chk.table_conns = tcpd_conn_count(tcpd_tcp_table(lc->w->tcp));
		lc->chk.table_bytes = tcpd_tcp_conn_memory(lc->w->tcp);
		if (rc != 0 || lc->chk.table_conns != K) {
			if (lc->note[0] == '\0')
				snprintf(lc->note, sizeof(lc->note),
					 "set-up: %u handshakes gave %u connections", K,
					 (unsigned int)lc->chk.table_conns);
			lc->chk.conns_failed++;
			ok = false;
		}
		lc->chk.sent = lc->chk.replies = lc->chk.verified = 0;
	}
	f.kind = BENCH_ACK_EST;
	bench_tmpl_init(&f.ack, &bench_client_mac, &bench_server_mac,
			rte_cpu_to_be_32(BENCH_SERVER_IP), BENCH_DISCARD_PORT, TH_ACK, 0, NULL, 0);
	f.est = est;
	f.nb_est = ok ? K : 0;
	for (i = 0; ok && i < BENCH_BURST; i++)
		f.pick[i] = pick_conn(lc, f.nb_est);
	if (ok) {
		lookup_probe(lc, est, K, o->quick ? 65536 : 4u << 20);
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
	case BENCH_LOAD_HTTP:
		run_load(job, lc, TCPD_SVC_HTTP);
		break;
	case BENCH_LOAD_ECHO:
		run_load(job, lc, TCPD_SVC_ECHO);
		break;
	case BENCH_OVERLOAD:
		run_overload(job, lc);
		break;
#endif
	default:
		break;
	}
	return 0;
}
