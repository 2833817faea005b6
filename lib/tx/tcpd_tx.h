/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TX_H
#define TCPD_TX_H

/**
 * @file
 * The one transmit path of a worker lcore: everything it sends (TCP segments, ARP and ICMP
 * replies) is queued here, padded to the Ethernet minimum, given its offload flags, and leaves
 * in one rte_eth_tx_burst per poll. Not thread safe: one per lcore.
 */

#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "tcpd_net.h"
#include "tcpd_stats.h"

/** Most packets one worker queues between two flushes. */
#define TCPD_TX_MAX 1024

/* Ethernet's minimum frame without the FCS. NICs pad short frames themselves, but vdevs (af_packet,
 * tap, ring, pcap) send what they are given, and a reply built in place may leave bytes of the
 * received frame behind a short reply: zeroed. */
#define TCPD_TX_MIN_FRAME (RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN)

/** A worker's transmit queue. */
struct tcpd_tx {
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t n;		      /**< packets queued */
	struct tcpd_stats *st;	      /**< tx_pkts, tx_bytes, tx_drop */
	const struct tcpd_iface *ifc; /**< checksum offloads of the port */
	struct rte_mbuf *pkts[TCPD_TX_MAX];
};

/** Set up @p tx for queue @p queue_id of port @p port_id. */
void tcpd_tx_init(struct tcpd_tx *tx, uint16_t port_id, uint16_t queue_id,
		  const struct tcpd_iface *ifc, struct tcpd_stats *st);

/** True if nothing more can be queued before the next flush. */
static inline int
tcpd_tx_full(const struct tcpd_tx *tx)
{
	return tx->n >= TCPD_TX_MAX;
}

/* Queue the frame of @p len bytes at the start of @p m's data with offload flags @p ol. */
static inline void
tcpd_tx_enqueue(struct tcpd_tx *tx, struct rte_mbuf *m, uint32_t len, uint64_t ol)
{
	if (unlikely(len < TCPD_TX_MIN_FRAME)) {
		memset(rte_pktmbuf_mtod_offset(m, uint8_t *, len), 0, TCPD_TX_MIN_FRAME - len);
		len = TCPD_TX_MIN_FRAME;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	m->ol_flags = ol;
	if (likely(tx->n < TCPD_TX_MAX)) {
		tx->pkts[tx->n++] = m;
		return;
	}
	tcpd_stats_inc(tx->st, TCPD_STAT_tx_drop);
	rte_pktmbuf_free(m);
}

/**
 * Queue the frame of @p len bytes at the start of @p m's data, without offloads (ARP, ICMP:
 * their checksums are written in software). A full queue frees it and counts tx_drop.
 */
static inline void
tcpd_tx_queue(struct tcpd_tx *tx, struct rte_mbuf *m, uint32_t len)
{
	tcpd_tx_enqueue(tx, m, len, 0);
}

/**
 * Queue an IPv4/TCP frame built by tcpd_net_build_tcp, with the port's checksum offloads: what
 * tcpd_net_tx_offload sets, inline (every segment passes here).
 */
static inline void
tcpd_tx_queue_tcp(struct tcpd_tx *tx, struct rte_mbuf *m, uint32_t len)
{
	const struct tcpd_iface *ifc = tx->ifc;
	uint64_t ol = (ifc->tx_ip_cksum ? RTE_MBUF_F_TX_IP_CKSUM : 0) |
		      (ifc->tx_tcp_cksum ? RTE_MBUF_F_TX_TCP_CKSUM : 0);

	if (ol != 0) {
		m->l2_len = sizeof(struct rte_ether_hdr);
		m->l3_len = 20; /* no IPv4 options */
		ol |= RTE_MBUF_F_TX_IPV4;
	}
	tcpd_tx_enqueue(tx, m, len, ol);
}

/** Queue an IPv6/TCP frame built by tcpd_net_build_tcp6, with the port's checksum offload
 * (tcpd_net_tx_offload6's fields, inline). */
static inline void
tcpd_tx_queue_tcp6(struct tcpd_tx *tx, struct rte_mbuf *m, uint32_t len)
{
	uint64_t ol = 0;

	if (tx->ifc->tx_tcp_cksum) {
		m->l2_len = sizeof(struct rte_ether_hdr);
		m->l3_len = 40; /* tcpd_net_build_tcp6 writes no extension header */
		ol = RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_IPV6;
	}
	tcpd_tx_enqueue(tx, m, len, ol);
}

/** Send what is queued (one rte_eth_tx_burst); what the queue refuses is freed and counted. */
void tcpd_tx_flush(struct tcpd_tx *tx);

/** Free what is queued without sending it (teardown). */
void tcpd_tx_discard(struct tcpd_tx *tx);

#endif /* TCPD_TX_H */
