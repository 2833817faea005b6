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

#include "tcpd_cookie.h"
#include "tcpd_icmpq.h"
#include "tcpd_load.h"
#include "tcpd_net.h"
#include "tcpd_shed.h"
#include "tcpd_stats.h"
#include "tcpd_tcp.h"
#include "tcpd_tuple.h"
#include "tcpd_tx.h"

/** Packets per RX burst. */
#define TCPD_RX_BURST 32
/**
 * Frames a poll reads at most with deep reads on (cfg->rx_deep): while bursts come full, up to 8
 * of them, each processed as it is read, before the timers and the next poll's fixed costs; a
 * poll that gets them all counts as rx_backlog. In the bursts after the first, SYN admission
 * control (tcpd_shed.h, syn_shed) judges SYNs before parsing them (tcpd_net_peek_syn): a
 * dropped SYN costs its share of the RX burst and a look at four bytes.
 */
#define TCPD_RX_DEEP (8 * TCPD_RX_BURST)

/** Everything one worker owns, on the worker's socket; never shared. */
struct tcpd_worker {
	struct tcpd_stats stats;  /**< this lcore's counters (first: cache aligned) */
	struct tcpd_tx tx;	  /**< packets waiting for TX */
	struct tcpd_tcp_ctx *tcp; /**< TCP endpoint */
	struct tcpd_shed shed;	  /**< saturation signal, SYN admission (cfg->syn_shed) */
	bool last_ack_shed;	  /**< cfg->last_ack_shed: tell lib/tcp when saturated */
	bool rx_deep;		  /**< cfg->rx_deep: read up to TCPD_RX_DEEP frames a poll */
	bool syn_shed_refuse;	  /**< cfg->syn_shed_refuse: shed SYNs get a RST */
	bool backlog;		  /**< reading on after a full burst (rx_deep) */
	const struct tcpd_iface *ifc;
	struct rte_mempool *pool; /**< for replies that cannot reuse the received mbuf */
	unsigned int lcore_id;
	uint16_t port_id;
	uint16_t queue_id;
	volatile bool *quit;	/**< set by the signal handler */
	struct tcpd_load *load; /**< client mode's engine (NULL: serve only); set after create */
	/* Client mode with RSS (tcpd_worker_redirect_setup): a TCP segment whose RSS hash names
	 * another queue is handed to that queue's worker through its ring, counted. */
	struct rte_ring *redirect;	  /**< this worker's inbox (multi-producer), NULL: none */
	struct tcpd_worker *const *peers; /**< the workers, indexed by queue id */
	unsigned int nb_peers;
	const uint16_t *redirect_reta; /**< the port's RETA (queue per entry); NULL: no redirect */
	uint32_t redirect_reta_size;
	/* Busy accounting (TCPD_STAT_busy_cycles): the TSC read after the previous RX burst, and
	 * whether that iteration moved a packet. */
	uint64_t busy_tsc;
	bool busy;
	uint64_t stall_tsc; /**< 100 us in TSC cycles: longer iterations count as stalls */
	uint32_t slowdown;  /**< cfg->cpu_slowdown: work costs this many times its cycles */
	/* ICMP errors about another worker's connection (tcpd_icmpq.h, set up with RSS on several
	 * queues): this worker's inbox, the workers by queue id, the port's RSS model. */
	struct rte_ring *icmpq; /**< inbox of struct tcpd_icmpq_msg; NULL: nothing handed over */
	struct tcpd_worker *const *icmpq_peers;
	const uint16_t *icmpq_reta; /**< the port's RETA (queue per entry) */
	uint32_t icmpq_reta_size;
	uint32_t icmpq_nb;				/**< workers in icmpq_peers */
	uint32_t icmpq_key[TCPD_TUPLE_RSS_KEY_MAX / 4]; /**< converted (rte_convert_rss_key) */
};

/** Segments a worker's redirect ring holds. */
#define TCPD_REDIRECT_RING 4096

/** What a worker is made of: everything must outlive it. */
struct tcpd_worker_params {
	const struct tcpd_config *cfg;
	const struct tcpd_iface *ifc;
	const struct tcpd_cookie_store *cookies;
	struct rte_mempool *pool; /**< the queue's RX pool, also used for segments built anew */
	unsigned int lcore_id;
	uint16_t port_id;
	uint16_t queue_id;
	int socket_id;
	volatile bool *quit; /**< the loop of tcpd_worker_main ends when it is set */
	const char *name;    /**< connection table name (<= 16 chars), NULL: from lcore and queue */
};

/**
 * Create a worker on @p p->socket_id: its counters, TX queue and TCP context with the
 * registered applications (lib/app), its connection table named after the lcore and queue.
 * @return the worker, or NULL with rte_errno set
 */
struct tcpd_worker *tcpd_worker_create(const struct tcpd_worker_params *p);

/** Free a worker: its TCP context (every connection) and whatever is still queued for TX. */
void tcpd_worker_free(struct tcpd_worker *w);

/**
 * Process one received burst: parse, answer ARP and ICMP in place, hand TCP segments to the TCP
 * context, count every drop. Takes ownership of the mbufs. Does not transmit.
 */
void tcpd_worker_process(struct tcpd_worker *w, struct rte_mbuf **pkts, uint16_t n,
			 uint64_t now_tsc);

/**
 * Give each of the @p n workers (indexed by queue id) a redirect ring, and the port's RETA
 * (@p reta_size entries, must outlive them): from then on a TCP segment whose RSS hash
 * (RTE_MBUF_F_RX_RSS_HASH) names another queue goes to that queue's worker (redirect_tx, or
 * redirect_drop when its ring is full), which processes it in its next poll (redirect_rx).
 * @return 0, or a negative errno (ring creation)
 */
int tcpd_worker_redirect_setup(struct tcpd_worker *const *w, unsigned int n, const uint16_t *reta,
			       uint32_t reta_size);

/** Process what other workers handed over (tcpd_worker_poll calls it after the RX burst). */
void tcpd_worker_redirect_drain(struct tcpd_worker *w, uint64_t now_tsc);

/** Transmit what is queued; frees and counts what the queue refuses. */
void tcpd_worker_flush(struct tcpd_worker *w);

/** One iteration of the loop: rx_burst, process, timers, flush. @return packets received */
uint16_t tcpd_worker_poll(struct tcpd_worker *w);

/**
 * tcpd_worker_poll on a clock the caller steps instead of the TSC (the scenario runner's virtual
 * time). @p now_tsc must never go back, and must not be before the worker's creation TSC.
 * @return packets received
 */
uint16_t tcpd_worker_poll_at(struct tcpd_worker *w, uint64_t now_tsc);

/** lcore entry point (rte_eal_remote_launch): poll until *quit. @p arg is a struct tcpd_worker. */
int tcpd_worker_main(void *arg);

/**
 * Queue a gratuitous ARP for our address and an unsolicited neighbour advertisement for each
 * IPv6 address (sent by the next flush). @return 0, or -1 no mbuf
 */
int tcpd_worker_send_garp(struct tcpd_worker *w);

#endif /* TCPD_WORKER_H */
