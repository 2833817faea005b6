/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_WORKER_H
#define TCPD_WORKER_H

/**
 * @file
 * The poll loop of one worker lcore: RX burst, parse, ARP/ICMP/TCP dispatch, TX burst, timers.
 * The same code serves the daemon, the net_ring scenario tests and the benchmarks.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "tcpd_net.h"
#include "tcpd_stats.h"
#include "tcpd_tcp.h"

/** Packets per RX burst. */
#define TCPD_RX_BURST 32

/** Everything one worker owns. Allocate on the worker's socket; never shared. */
struct tcpd_worker {
	struct tcpd_stats stats;  /**< this lcore's counters (first: cache aligned) */
	struct tcpd_tx tx;	  /**< packets waiting for TX */
	struct tcpd_tcp_ctx *tcp; /**< TCP endpoint */
	const struct tcpd_iface *ifc;
	struct rte_mempool *pool; /**< for replies that cannot reuse the received mbuf */
	unsigned int lcore_id;
	uint16_t port_id;
	uint16_t queue_id;
	volatile bool *quit; /**< set by the signal handler */
};

/**
 * Process one received burst: parse, answer ARP and ICMP in place, hand TCP segments to the TCP
 * context, count every drop. Takes ownership of the mbufs. Does not transmit.
 */
void tcpd_worker_process(struct tcpd_worker *w, struct rte_mbuf **pkts, uint16_t n,
			 uint64_t now_tsc);

/** Transmit what is queued; frees and counts what the queue refuses. */
void tcpd_worker_flush(struct tcpd_worker *w);

/** One iteration of the loop: rx_burst, process, timers, flush. @return packets received */
uint16_t tcpd_worker_poll(struct tcpd_worker *w);

/** lcore entry point (rte_eal_remote_launch): poll until *quit. @p arg is a struct tcpd_worker. */
int tcpd_worker_main(void *arg);

/** Queue a gratuitous ARP for our address (sent by the next flush). @return 0, or -1 no mbuf */
int tcpd_worker_send_garp(struct tcpd_worker *w);

#endif /* TCPD_WORKER_H */
