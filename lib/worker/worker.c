/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "tcpd_app.h"
#include "tcpd_worker.h"

/* Packets ahead of the one being parsed whose headers are prefetched (l3fwd uses the same
 * distance): far enough to hide a miss, near enough to stay in L1. */
#define PREFETCH_OFFSET 3

/* Checksums the NIC has already verified, in lib/net's terms. Vdevs report UNKNOWN, so the
 * software check runs for them. */
static inline unsigned int
rx_cksum_ok(const struct rte_mbuf *m)
{
	unsigned int ok = 0;

	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		ok |= TCPD_NET_IP_CKSUM_GOOD;
	if ((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		ok |= TCPD_NET_L4_CKSUM_GOOD;
	return ok;
}

/*
 * Client mode with RSS: a TCP segment whose RSS hash names another queue belongs to that queue's
 * worker (its table holds the connection): hand it over through the owner's ring, counted.
 * @return 1 if @m was handed over or dropped.
 */
static int
redirect(struct tcpd_worker *w, struct rte_mbuf *m)
{
	struct tcpd_worker *owner;
	uint16_t q;

	q = tcpd_tuple_reta_queue(w->redirect_reta, w->redirect_reta_size, m->hash.rss);
	if (likely(q == w->queue_id) || q >= w->nb_peers)
		return 0;
	if (w->load != NULL)
		tcpd_load_rss_check(w->load, m->hash.rss);
	owner = w->peers[q];
	if (owner->redirect == NULL || rte_ring_mp_enqueue(owner->redirect, m) != 0) {
		tcpd_stats_inc(&w->stats, TCPD_STAT_redirect_drop);
		rte_pktmbuf_free(m);
		return 1;
	}
	tcpd_stats_inc(&w->stats, TCPD_STAT_redirect_tx);
	return 1;
}

/* What is not TCP: ARP and ICMP(v6) answered in place, ARP replies to client mode, the rest
 * counted and freed. */
static void
answer(struct tcpd_worker *w, struct rte_mbuf *m, void *frame, enum tcpd_net_class cls,
       const struct tcpd_pkt *p, enum tcpd_stat reason)
{
	switch (cls) {
	case TCPD_NET_ARP:
		tcpd_stats_inc(&w->stats, TCPD_STAT_arp_rx);
		tcpd_stats_inc(&w->stats, TCPD_STAT_arp_tx);
		tcpd_tx_queue(&w->tx, m, tcpd_net_arp_reply(frame, w->ifc));
		break;
	case TCPD_NET_ARP_REPLY:
		tcpd_stats_inc(&w->stats, TCPD_STAT_arp_reply_rx);
		if (w->load != NULL)
			tcpd_load_arp_reply(w->load, p->src_ip, tcpd_net_arp_sender_mac(frame));
		rte_pktmbuf_free(m);
		break;
	case TCPD_NET_ICMP:
		tcpd_stats_inc(&w->stats, TCPD_STAT_icmp_echo_rx);
		tcpd_stats_inc(&w->stats, TCPD_STAT_icmp_echo_tx);
		tcpd_tx_queue(&w->tx, m, tcpd_net_icmp_echo_reply(frame, p));
		break;
	case TCPD_NET_ICMP6:
		tcpd_stats_inc(&w->stats, TCPD_STAT_icmp6_echo_rx);
		tcpd_stats_inc(&w->stats, TCPD_STAT_icmp6_echo_tx);
		tcpd_tx_queue(&w->tx, m, tcpd_net_icmp6_echo_reply(frame, p));
		break;
	case TCPD_NET_ND_NS:
		tcpd_stats_inc(&w->stats, TCPD_STAT_nd_ns_rx);
		tcpd_stats_inc(&w->stats, TCPD_STAT_nd_na_tx);
		tcpd_tx_queue(&w->tx, m, tcpd_net_nd_na_reply(frame, p, w->ifc));
		break;
	case TCPD_NET_ND_NA:
		/* Client mode resolving an IPv6 next hop (an NA without a TLLA is dropped). */
		tcpd_stats_inc(&w->stats, TCPD_STAT_nd_na_rx);
		if (w->load != NULL) {
			struct rte_ether_addr mac;

			if (tcpd_net_nd_lla(frame, p, &mac) == 0)
				tcpd_load_nd_reply(w->load, tcpd_net_nd_target(frame, p), &mac);
		}
		rte_pktmbuf_free(m);
		break;
	default:
		tcpd_stats_inc(&w->stats, reason);
		rte_pktmbuf_free(m);
		break;
	}
}

/* A SYN admission control does not take (@p p: parsed, or NULL: only peeked at in a deep
 * backlog): dropped, or refused with a RST (--syn-shed-refuse), which needs the parse (a frame
 * that does not parse then goes where the parse says). */
static __rte_noinline void
shed_syn(struct tcpd_worker *w, struct rte_mbuf *m, const struct tcpd_pkt *p)
{
	enum tcpd_stat reason = TCPD_STAT_drop_truncated;
	enum tcpd_net_class cls = TCPD_NET_TCP;
	void *frame = rte_pktmbuf_mtod(m, void *);
	struct tcpd_pkt seg;

	if (likely(!w->syn_shed_refuse)) {
		tcpd_stats_inc(&w->stats, TCPD_STAT_syn_shed);
		rte_pktmbuf_free(m);
		return;
	}
	if (p == NULL) {
		cls = tcpd_net_parse(frame, m->data_len, w->ifc, rx_cksum_ok(m), &seg, &reason);
		p = &seg;
	}
	if (cls == TCPD_NET_TCP) {
		tcpd_stats_inc(&w->stats, TCPD_STAT_syn_shed_refused);
		tcpd_tcp_refuse(w->tcp, m, p);
		return;
	}
	answer(w, m, frame, cls, &seg, reason);
}

static void
process(struct tcpd_worker *w, struct rte_mbuf **pkts, uint16_t n, uint64_t now_tsc, int redirected)
{
	struct rte_mbuf *seg_m[TCPD_RX_BURST];
	struct tcpd_pkt seg[TCPD_RX_BURST];
	/* SYN admission control's place for this burst (tcpd_shed.h; neither changes within it):
	 * before parsing in a deep poll's later bursts (rx_deep), after it otherwise */
	const bool shed_early = unlikely(w->backlog) && w->shed.limited;
	const bool shed_late = unlikely(w->shed.limited) && !w->backlog;
	unsigned int nseg = 0;
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n && i < PREFETCH_OFFSET; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		enum tcpd_stat reason = TCPD_STAT_drop_truncated;
		enum tcpd_net_class cls;
		void *frame;

		if (i + PREFETCH_OFFSET < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_OFFSET], void *));
		bytes += m->pkt_len;
		if (unlikely(m->nb_segs != 1)) {
			tcpd_stats_inc(&w->stats, TCPD_STAT_drop_multiseg);
			rte_pktmbuf_free(m);
			continue;
		}
		frame = rte_pktmbuf_mtod(m, void *);
		if (unlikely(shed_early) && tcpd_net_peek_syn(frame, m->data_len) &&
		    !tcpd_shed_admit(&w->shed)) {
			shed_syn(w, m, NULL);
			continue;
		}
		cls = tcpd_net_parse(frame, m->data_len, w->ifc, rx_cksum_ok(m), &seg[nseg],
				     &reason);
		if (likely(cls == TCPD_NET_TCP)) {
			if (unlikely(seg[nseg].family != TCPD_NET_AF_INET))
				tcpd_stats_inc(&w->stats, TCPD_STAT_tcp6_rx);
			if (unlikely(w->redirect_reta != NULL) && !redirected &&
			    (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) && redirect(w, m))
				continue;
			/* Admission control: a shed SYN costs no lookup, no cookie, no reply */
			if (unlikely(shed_late) &&
			    (seg[nseg].flags & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST)) ==
				    TCPD_TH_SYN &&
			    !tcpd_shed_admit(&w->shed)) {
				shed_syn(w, m, &seg[nseg]);
				continue;
			}
			/* A burst larger than TCPD_RX_BURST is processed in pieces. */
			seg_m[nseg++] = m;
			if (unlikely(nseg == TCPD_RX_BURST)) {
				tcpd_tcp_input_burst(w->tcp, seg_m, seg, nseg, now_tsc);
				nseg = 0;
			}
			continue;
		}
		if (unlikely(cls == TCPD_NET_ICMP_MTU || cls == TCPD_NET_ICMP_HARD)) {
			/* here, or to the worker RSS gives the quoted tuple (icmpq.c) */
			tcpd_worker_icmp_error(w, cls, &seg[nseg], now_tsc);
			rte_pktmbuf_free(m);
			continue;
		}
		answer(w, m, frame, cls, &seg[nseg], reason);
	}
	if (redirected) {
		tcpd_stats_add(&w->stats, TCPD_STAT_redirect_rx, n);
	} else {
		tcpd_stats_add(&w->stats, TCPD_STAT_rx_pkts, n);
		tcpd_stats_add(&w->stats, TCPD_STAT_rx_bytes, bytes);
	}
	if (nseg)
		tcpd_tcp_input_burst(w->tcp, seg_m, seg, nseg, now_tsc);
}

void
tcpd_worker_process(struct tcpd_worker *w, struct rte_mbuf **pkts, uint16_t n, uint64_t now_tsc)
{
	process(w, pkts, n, now_tsc, 0);
}

void
tcpd_worker_redirect_drain(struct tcpd_worker *w, uint64_t now_tsc)
{
	struct rte_mbuf *pkts[TCPD_RX_BURST];
	unsigned int n;

	if (w->redirect == NULL)
		return;
	n = rte_ring_sc_dequeue_burst(w->redirect, (void **)pkts, TCPD_RX_BURST, NULL);
	if (n)
		process(w, pkts, (uint16_t)n, now_tsc, 1);
}

int
tcpd_worker_redirect_setup(struct tcpd_worker *const *w, unsigned int n, const uint16_t *reta,
			   uint32_t reta_size)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "tcpd_redir_%u_%u", w[i]->port_id, w[i]->queue_id);
		w[i]->redirect =
			rte_ring_create(name, TCPD_REDIRECT_RING, rte_socket_id(), RING_F_SC_DEQ);
		if (w[i]->redirect == NULL)
			return -rte_errno;
	}
	for (i = 0; i < n; i++) {
		w[i]->peers = w;
		w[i]->nb_peers = n;
		w[i]->redirect_reta_size = reta_size;
		w[i]->redirect_reta = reta;
	}
	return 0;
}

void
tcpd_worker_flush(struct tcpd_worker *w)
{
	tcpd_tx_flush(&w->tx);
}

/* An iteration of @p d TSC cycles, above w->stall_tsc: the counters of the stall profile. Out of
 * line: rare, and kept off the poll loop's registers. */
static __rte_noinline void
worker_stall(struct tcpd_worker *w, uint64_t d)
{
	tcpd_stats_inc(&w->stats, TCPD_STAT_stall_100us);
	if (d > 10 * w->stall_tsc)
		tcpd_stats_inc(&w->stats, TCPD_STAT_stall_1ms);
	if (d > 100 * w->stall_tsc)
		tcpd_stats_inc(&w->stats, TCPD_STAT_stall_10ms);
}

/* --cpu-slowdown: the iteration that started at @p t0 (before its RX burst) did work; take
 * w->slowdown - 1 times as long again, so that everything it did, a shed SYN as a whole
 * connection's segment, costs what it would on a CPU that many times slower (a per-packet
 * cost would make cheap drops as dear as full work). An iteration longer than 1 ms was
 * preempted: only 1 ms is multiplied, or one preemption would cost the worker twenty. Not less:
 * a burst's work is tens of microseconds, but a timer run (TCP_TIMER_BUDGET expiries) or a
 * table full of closing connections takes hundreds, and a 100 us cap (the first version)
 * charged that work at a fraction of the factor, which flattered whatever made iterations
 * long (docs/PERFORMANCE.md, ninth stop). A busy wait on the TSC: the unit is cycles, and
 * nothing else may run on the worker's CPU meanwhile. */
static __rte_noinline void
worker_slowdown(struct tcpd_worker *w, uint64_t t0)
{
	uint64_t start = rte_rdtsc();
	uint64_t cost = RTE_MIN(start - t0, 10 * w->stall_tsc) * (w->slowdown - 1);

	while (rte_rdtsc() - start < cost)
		rte_pause();
	tcpd_stats_add(&w->stats, TCPD_STAT_slowdown_cycles, cost);
}

/*
 * The poll's first burst was full: more may wait. Read and process on, a burst at a time (each
 * in cache while it is worked on), each burst's replies sent before the next (the TX queue,
 * TCPD_TX_MAX, must not fill), while bursts come full, up to TCPD_RX_DEEP frames in all: the
 * timers and the next poll's fixed costs wait. SYN admission control judges these bursts' SYNs
 * before parsing them (w->backlog). With --cpu-slowdown each burst is slowed down by itself
 * (*@p t0: when it started), as a poll of one burst is. Each burst on its own clock reading
 * (@p clock: the scenario runner's, else the TSC). Out of line: only a busy worker gets here.
 * @return the frames read after the first burst
 */
static __rte_noinline uint16_t
rx_deep(struct tcpd_worker *w, const uint64_t *clock, uint64_t *t0)
{
	struct rte_mbuf *pkts[TCPD_RX_BURST];
	uint16_t n = 0, got;

	w->backlog = true;
	do {
		tcpd_worker_flush(w);
		if (unlikely(*t0 != 0)) {
			worker_slowdown(w, *t0);
			*t0 = rte_rdtsc();
		}
		got = rte_eth_rx_burst(w->port_id, w->queue_id, pkts, TCPD_RX_BURST);
		if (got)
			tcpd_worker_process(w, pkts, got, clock != NULL ? *clock : rte_rdtsc());
		n += got;
	} while (got == TCPD_RX_BURST && n < TCPD_RX_DEEP - TCPD_RX_BURST);
	w->backlog = false;
	if (n == TCPD_RX_DEEP - TCPD_RX_BURST)
		tcpd_stats_inc(&w->stats, TCPD_STAT_rx_backlog);
	return n;
}

/* One iteration on the TSC read after the RX burst, or on *@p clock (a steppable clock: the
 * scenario runner's, so that a test's timers depend on its script, not on the machine's load).
 * Inlined into both callers: the daemon's loop keeps its one TSC read and no extra branch. */
static __rte_always_inline uint16_t
worker_poll(struct tcpd_worker *w, const uint64_t *clock)
{
	struct rte_mbuf *pkts[TCPD_RX_BURST];
	uint64_t now, t0 = 0;
	uint16_t n;

	/* the scenario runner's virtual clock (@p clock) is never slowed down */
	if (unlikely(w->slowdown > 1) && clock == NULL)
		t0 = rte_rdtsc();
	n = rte_eth_rx_burst(w->port_id, w->queue_id, pkts, TCPD_RX_BURST);
	now = clock != NULL ? *clock : rte_rdtsc();
	/* An iteration is busy from its RX burst to the next one if it moved a packet either way;
	 * polling an empty queue is not. The TSC read is the one the burst needs anyway. */
	if (w->busy)
		tcpd_stats_add(&w->stats, TCPD_STAT_busy_cycles, now - w->busy_tsc);
	/* What this burst brought waited up to the previous iteration's length: a long one before
	 * an empty burst delayed nothing (and an idle worker's counters stay still). The first poll
	 * has no previous iteration (start-up is no stall). */
	if (unlikely(now - w->busy_tsc > w->stall_tsc) && n != 0 && w->busy_tsc != 0)
		worker_stall(w, now - w->busy_tsc);
	w->busy_tsc = now;
	w->busy = n != 0;
	if (unlikely(tcpd_shed_burst(&w->shed, n, TCPD_RX_BURST, now,
				     w->stats.c[TCPD_STAT_conn_opened])))
		tcpd_tcp_saturated(w->tcp, w->shed.saturated && w->last_ack_shed);
	if (n)
		tcpd_worker_process(w, pkts, n, now);
	if (unlikely(n == TCPD_RX_BURST) && w->rx_deep)
		n = (uint16_t)(n + rx_deep(w, clock, &t0));
	if (unlikely(w->redirect != NULL))
		tcpd_worker_redirect_drain(w, now);
	if (unlikely(w->icmpq != NULL) && !rte_ring_empty(w->icmpq))
		tcpd_worker_icmpq_drain(w, now);
	tcpd_tcp_timers(w->tcp, now);
	if (w->load != NULL)
		tcpd_load_poll(w->load, now);
	w->busy |= w->tx.n != 0;
	tcpd_worker_flush(w);
	if (unlikely(t0 != 0) && w->busy)
		worker_slowdown(w, t0);
	return n;
}

uint16_t
tcpd_worker_poll(struct tcpd_worker *w)
{
	return worker_poll(w, NULL);
}

uint16_t
tcpd_worker_poll_at(struct tcpd_worker *w, uint64_t now_tsc)
{
	return worker_poll(w, &now_tsc);
}

int
tcpd_worker_main(void *arg)
{
	struct tcpd_worker *w = arg;

	while (!*w->quit)
		tcpd_worker_poll(w);
	tcpd_worker_flush(w);
	return 0;
}

int
tcpd_worker_send_garp(struct tcpd_worker *w)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->pool);

	if (m == NULL) {
		tcpd_stats_inc(&w->stats, TCPD_STAT_drop_nombuf);
		return -1;
	}
	tcpd_stats_inc(&w->stats, TCPD_STAT_arp_tx);
	tcpd_tx_queue(&w->tx, m, tcpd_net_garp(rte_pktmbuf_mtod(m, void *), w->ifc));
	/* RFC 4861 7.2.6: an unsolicited neighbour advertisement per IPv6 address. */
	for (unsigned int i = 0; i < w->ifc->nb_ip6; i++) {
		m = rte_pktmbuf_alloc(w->pool);
		if (m == NULL) {
			tcpd_stats_inc(&w->stats, TCPD_STAT_drop_nombuf);
			return -1;
		}
		tcpd_stats_inc(&w->stats, TCPD_STAT_nd_na_tx);
		tcpd_tx_queue(&w->tx, m,
			      tcpd_net_nd_unsolicited_na(rte_pktmbuf_mtod(m, void *), w->ifc, i));
	}
	return 0;
}

struct tcpd_worker *
tcpd_worker_create(const struct tcpd_worker_params *p)
{
	struct tcpd_tcp_params tp;
	struct tcpd_worker *w;
	char name[32];

	w = rte_zmalloc_socket("tcpd_worker", sizeof(*w), RTE_CACHE_LINE_SIZE, p->socket_id);
	if (w == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	w->ifc = p->ifc;
	w->pool = p->pool;
	w->lcore_id = p->lcore_id;
	w->port_id = p->port_id;
	w->queue_id = p->queue_id;
	w->quit = p->quit;
	tcpd_shed_init(&w->shed,
		       p->cfg->syn_shed || p->cfg->last_ack_shed
			       ? rte_get_tsc_hz() / 1000000 * TCPD_SHED_PERIOD_US
			       : 0,
		       rte_rdtsc(), 0, p->cfg->syn_shed);
	w->last_ack_shed = p->cfg->last_ack_shed;
	w->rx_deep = p->cfg->rx_deep;
	w->syn_shed_refuse = p->cfg->syn_shed_refuse;
	w->stall_tsc = rte_get_tsc_hz() / 10000;
	w->slowdown = p->cfg->cpu_slowdown;
	tcpd_tx_init(&w->tx, p->port_id, p->queue_id, p->ifc, &w->stats);
	/* Unique per lcore and queue: rte_hash names are global to the process. */
	snprintf(name, sizeof(name), "c%u_%u_%u", p->lcore_id, p->port_id, p->queue_id);
	if (p->name != NULL)
		snprintf(name, sizeof(name), "%s", p->name);
	tp = (struct tcpd_tcp_params){
		.cfg = p->cfg,
		.ifc = p->ifc,
		.cookies = p->cookies,
		.pool = p->pool,
		.stats = &w->stats,
		.tx = &w->tx,
		.apps = tcpd_app_registry(),
		.name = name,
		.socket_id = p->socket_id,
	};
	w->tcp = tcpd_tcp_ctx_create(&tp);
	if (w->tcp == NULL) {
		int err = rte_errno;

		rte_free(w);
		rte_errno = err;
		return NULL;
	}
	return w;
}

void
tcpd_worker_free(struct tcpd_worker *w)
{
	if (w == NULL)
		return;
	tcpd_tcp_ctx_free(w->tcp);
	tcpd_tx_discard(&w->tx);
	if (w->redirect != NULL) {
		struct rte_mbuf *m;

		while (rte_ring_dequeue(w->redirect, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(w->redirect);
	}
	rte_ring_free(w->icmpq); /* messages, not mbufs: nothing to free in it */
	rte_free(w);
}
