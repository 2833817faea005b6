/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flood scenarios: the forward baseline, the SYN floods (syn-always, syn-auto-full, and syn6-*
 * over IPv6) with the replay of their cookies, and the established ACKs with the table lookup
 * probe. Each lcore builds a burst from templates -> enqueues it to the RX ring -> the daemon's
 * tcpd_worker_poll (or, for the baseline, a bare rx_burst -> tx_burst) -> drains and checks the
 * TX ring. rte_rdtsc brackets the worker call, so the harness's own cycles are known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_prefetch.h>

#include "bench_scen.h"

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
	if (full)
		return syn6_full_check(lc, f, m, n);
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
		if (f->kind == BENCH_FORWARD)
			forward_burst(lc);
		else
			tcpd_worker_poll(lc->w);
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

void
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

void
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
		server_bad_check(lc, base, autofull, false);
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
void
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
		server_bad_check(lc, base, false, false);
		lc->chk.verified = lc->chk.sent - lc->chk.unexpected;
		lc->chk.server_open = tcpd_conn_count(tcpd_tcp_table(lc->w->tcp));
	}
	worker_free(lc);
	free(est);
}
