/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_ethdev.h>

#include "tcpd_tx.h"

void
tcpd_tx_init(struct tcpd_tx *tx, uint16_t port_id, uint16_t queue_id, const struct tcpd_iface *ifc,
	     struct tcpd_stats *st)
{
	tx->port_id = port_id;
	tx->queue_id = queue_id;
	tx->n = 0;
	tx->st = st;
	tx->ifc = ifc;
}

void
tcpd_tx_flush(struct tcpd_tx *tx)
{
	uint16_t n = tx->n, sent, i;
	uint64_t bytes = 0;

	if (n == 0)
		return;
	sent = rte_eth_tx_burst(tx->port_id, tx->queue_id, tx->pkts, n);
	for (i = 0; i < sent; i++)
		bytes += tx->pkts[i]->pkt_len;
	if (unlikely(sent < n)) {
		/* The queue is full: dropping now is cheaper than holding mbufs the next burst
		 * needs, and TCP retransmits what matters. */
		tcpd_stats_add(tx->st, TCPD_STAT_tx_drop, n - sent);
		rte_pktmbuf_free_bulk(&tx->pkts[sent], n - sent);
	}
	tcpd_stats_add(tx->st, TCPD_STAT_tx_pkts, sent);
	tcpd_stats_add(tx->st, TCPD_STAT_tx_bytes, bytes);
	tx->n = 0;
}

void
tcpd_tx_discard(struct tcpd_tx *tx)
{
	if (tx->n)
		rte_pktmbuf_free_bulk(tx->pkts, tx->n);
	tx->n = 0;
}
