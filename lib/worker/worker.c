/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "tcpd_worker.h"

/* Packets ahead of the one being parsed whose headers are prefetched (l3fwd uses the same
 * distance): far enough to hide a miss, near enough to stay in L1. */
#define PREFETCH_OFFSET 3

/* Ethernet's minimum frame without the FCS. NICs pad short frames themselves, but vdevs (af_packet,
 * tap, ring, pcap) send what they are given, and a replied-in-place request may leave stale bytes
 * behind a short reply: zero them. */
#define MIN_FRAME (RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN)

static inline void
tx_queue(struct tcpd_worker *w, struct rte_mbuf *m, uint32_t len)
{
	if (unlikely(len < MIN_FRAME)) {
		memset(rte_pktmbuf_mtod_offset(m, char *, len), 0, MIN_FRAME - len);
		len = MIN_FRAME;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	if (likely(w->tx.n < TCPD_TX_MAX)) {
		w->tx.pkts[w->tx.n++] = m;
		return;
	}
	tcpd_stats_inc(&w->stats, TCPD_STAT_tx_drop);
	rte_pktmbuf_free(m);
}

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

void
tcpd_worker_process(struct tcpd_worker *w, struct rte_mbuf **pkts, uint16_t n, uint64_t now_tsc)
{
	struct rte_mbuf *seg_m[TCPD_RX_BURST];
	struct tcpd_pkt seg[TCPD_RX_BURST];
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
		cls = tcpd_net_parse(frame, m->data_len, w->ifc, rx_cksum_ok(m), &seg[nseg],
				     &reason);
		if (likely(cls == TCPD_NET_TCP)) {
			/* A burst larger than TCPD_RX_BURST is processed in pieces. */
			seg_m[nseg++] = m;
			if (unlikely(nseg == TCPD_RX_BURST)) {
				tcpd_tcp_input_burst(w->tcp, seg_m, seg, nseg, now_tsc);
				nseg = 0;
			}
			continue;
		}
		switch (cls) {
		case TCPD_NET_ARP:
			tcpd_stats_inc(&w->stats, TCPD_STAT_arp_rx);
			tcpd_stats_inc(&w->stats, TCPD_STAT_arp_tx);
			m->ol_flags = 0;
			tx_queue(w, m, tcpd_net_arp_reply(frame, w->ifc));
			break;
		case TCPD_NET_ICMP:
			tcpd_stats_inc(&w->stats, TCPD_STAT_icmp_echo_rx);
			tcpd_stats_inc(&w->stats, TCPD_STAT_icmp_echo_tx);
			m->ol_flags = 0;
			tx_queue(w, m, tcpd_net_icmp_echo_reply(frame, &seg[nseg]));
			break;
		default:
			tcpd_stats_inc(&w->stats, reason);
			rte_pktmbuf_free(m);
			break;
		}
	}
	tcpd_stats_add(&w->stats, TCPD_STAT_rx_pkts, n);
	tcpd_stats_add(&w->stats, TCPD_STAT_rx_bytes, bytes);
	if (nseg)
		tcpd_tcp_input_burst(w->tcp, seg_m, seg, nseg, now_tsc);
}

void
tcpd_worker_flush(struct tcpd_worker *w)
{
	uint16_t n = w->tx.n, sent, i;
	uint64_t bytes = 0;

	if (n == 0)
		return;
	sent = rte_eth_tx_burst(w->port_id, w->queue_id, w->tx.pkts, n);
	for (i = 0; i < sent; i++)
		bytes += w->tx.pkts[i]->pkt_len;
	if (unlikely(sent < n)) {
		/* The queue is full: dropping now is cheaper than holding mbufs the next burst
		 * needs, and TCP retransmits what matters. */
		tcpd_stats_add(&w->stats, TCPD_STAT_tx_drop, n - sent);
		rte_pktmbuf_free_bulk(&w->tx.pkts[sent], n - sent);
	}
	tcpd_stats_add(&w->stats, TCPD_STAT_tx_pkts, sent);
	tcpd_stats_add(&w->stats, TCPD_STAT_tx_bytes, bytes);
	w->tx.n = 0;
}

uint16_t
tcpd_worker_poll(struct tcpd_worker *w)
{
	struct rte_mbuf *pkts[TCPD_RX_BURST];
	uint64_t now;
	uint16_t n;

	n = rte_eth_rx_burst(w->port_id, w->queue_id, pkts, TCPD_RX_BURST);
	now = rte_rdtsc();
	if (n)
		tcpd_worker_process(w, pkts, n, now);
	tcpd_tcp_timers(w->tcp, now);
	tcpd_worker_flush(w);
	return n;
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
	tx_queue(w, m, tcpd_net_garp(rte_pktmbuf_mtod(m, void *), w->ifc));
	return 0;
}
