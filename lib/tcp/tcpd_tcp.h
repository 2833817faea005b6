/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TCP_H
#define TCPD_TCP_H

/**
 * @file
 * The TCP endpoint of one worker lcore: RFC 9293 state machine (passive open), SYN cookies,
 * retransmission and the services (discard, echo, http). One context per lcore, shared with
 * nobody; not thread safe.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "tcpd_config.h"
#include "tcpd_conn.h"
#include "tcpd_cookie.h"
#include "tcpd_net.h"
#include "tcpd_stats.h"
#include "tcpd_timer.h"

/** Most packets one worker queues for transmission between two flushes. */
#define TCPD_TX_MAX 1024

/** Packets waiting for rte_eth_tx_burst; the worker flushes it after every RX burst. */
struct tcpd_tx {
	uint16_t n;
	struct rte_mbuf *pkts[TCPD_TX_MAX];
};

/** Per-listener counters of one lcore. */
struct tcpd_listener_stats {
	uint64_t accepted; /**< connections established */
	uint64_t reset;	   /**< connections that ended with a RST (sent or received) */
};

struct tcpd_tcp_ctx;

/**
 * Create the TCP context of one lcore.
 * @param cfg     configuration (read only, must outlive the context)
 * @param ifc     our interface (read only, must outlive the context)
 * @param cookies secret store shared with the control thread
 * @param pool    mbufs for replies that cannot reuse the received one
 * @param stats   this lcore's counters
 * @param tx      where outgoing packets are queued
 * @param name    unique name for the connection table (<= 16 chars)
 * @return the context, or NULL (rte_errno set)
 */
struct tcpd_tcp_ctx *tcpd_tcp_ctx_create(const struct tcpd_config *cfg,
					 const struct tcpd_iface *ifc,
					 const struct tcpd_cookie_store *cookies,
					 struct rte_mempool *pool, struct tcpd_stats *stats,
					 struct tcpd_tx *tx, const char *name, int socket_id);

/** Free the context: every connection, its timers and queued mbufs. */
void tcpd_tcp_ctx_free(struct tcpd_tcp_ctx *ctx);

/**
 * Process a burst of parsed TCP segments addressed to us. Takes ownership of every mbuf: each is
 * reused for a reply, queued, or freed.
 * @param now_tsc rte_rdtsc() at the start of the burst
 */
void tcpd_tcp_input_burst(struct tcpd_tcp_ctx *ctx, struct rte_mbuf **m,
			  const struct tcpd_pkt *pkts, unsigned int n, uint64_t now_tsc);

/** Run expired timers (retransmission, TIME-WAIT, timeouts); call once per poll iteration. */
void tcpd_tcp_timers(struct tcpd_tcp_ctx *ctx, uint64_t now_tsc);

/**
 * Byte @p i of every HTTP response body: "0123456789", "a".."z", "A".."Z", "\r\n", repeated
 * (a 64-byte period, so any byte can be regenerated for retransmission with a mask).
 */
static inline uint8_t
tcpd_tcp_http_body_byte(uint32_t i)
{
	static const char pat[65] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n";
	return (uint8_t)pat[i & 63];
}

/**
 * Write the header of the HTTP response (status line to the blank line) into @p buf:
 * "HTTP/1.1 200 OK", "Server: dpdk-tcpd", "Content-Type: text/plain",
 * "Content-Length: <body_size>" and, if @p close, "Connection: close".
 * @return its length (snprintf semantics)
 */
int tcpd_tcp_http_header(char *buf, size_t len, uint32_t body_size, bool close);

/** The connection table (for telemetry, tests and benchmarks). */
struct tcpd_conn_table *tcpd_tcp_table(struct tcpd_tcp_ctx *ctx);

/** Per-listener counters, indexed like cfg->listen (relaxed atomic stores). */
const struct tcpd_listener_stats *tcpd_tcp_listener_stats(const struct tcpd_tcp_ctx *ctx);

/**
 * The context's clock in UNIX seconds at the last burst or timer run: anchored to the wall clock
 * once at creation and advanced by the TSC, so that the SYN cookie counter (this / 60) agrees
 * with the control thread's and with other machines sharing a cookie secret.
 */
uint32_t tcpd_tcp_clock_sec(const struct tcpd_tcp_ctx *ctx);

#endif /* TCPD_TCP_H */
