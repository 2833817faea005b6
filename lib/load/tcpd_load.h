/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_LOAD_H
#define TCPD_LOAD_H

/**
 * @file
 * The load engine of client mode: one per worker lcore, run from the worker's poll loop (after the
 * timers, before the TX flush), so one process may serve and load at once.
 *
 * Per lcore: launches come from a TSC pacer (the --cps rate split over the lcores with
 * tcpd_pacer_split, interleaved), never from replies; each launch takes the next --connect target
 * (round robin), a source tuple from that target's chooser (replies on this lcore's queue) and the
 * next hop's MAC, and opens a connection run by the target's client application (lib/app
 * tcpd_app_client.h) with a record (struct tcpd_client_rec) holding its scheduled TSC, SYN TSC and
 * the current request's times. A launch the concurrency cap, the tuples, the table or the mbufs
 * refuse is counted (tcpd_pacer_refuse plus its reason), never skipped silently.
 *
 * Lifecycle: ARP for the next hops (every lcore waits; lcore 0 asks, any lcore may receive the
 * reply), a common start TSC, the schedule (--ramp, then --duration), a drain (--drain seconds,
 * or until nothing is open), then whatever is still open is reset and counted (failed_aborted).
 *
 * Counters (struct tcpd_load_stats) are written by the owning lcore with relaxed stores and read
 * by the control thread and telemetry; the latency histograms likewise (tcpd_lat.h's rules).
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#include "tcpd_app_client.h"
#include "tcpd_config.h"
#include "tcpd_lat.h"
#include "tcpd_pacer.h"
#include "tcpd_stats.h"
#include "tcpd_tcp.h"
#include "tcpd_tuple.h"
#include "tcpd_tx.h"

/** Why a launch or a connection failed: X(name, help). Names are the report's failed_<name>. */
#define TCPD_LOAD_FAILS(X)                                                                         \
	X(syn_timeout, "no answer to our SYN after rto_retries retransmissions")                   \
	X(syn_rst, "RST or ICMP hard error to our SYN (closed port)")                              \
	X(est_rst, "reset by the peer once established")                                           \
	X(est_timeout, "retransmissions unanswered once established (or idle timeout)")            \
	X(response_timeout, "a response not complete within --response-timeout")                   \
	X(bad_response, "a response failed a check, or the peer closed before the last one")       \
	X(no_tuple, "launch not made: every source tuple of this lcore in use")                    \
	X(no_mbuf, "launch not made: no mbuf for the SYN")                                         \
	X(table_full, "launch not made: connection table full")                                    \
	X(aborted, "still open at the end of the drain: reset")

enum tcpd_load_fail {
#define TCPD_LOAD_FAIL_ENUM_(n, h) TCPD_LOAD_FAIL_##n,
	TCPD_LOAD_FAILS(TCPD_LOAD_FAIL_ENUM_)
#undef TCPD_LOAD_FAIL_ENUM_
	TCPD_LOAD_FAIL_MAX
};

/** Counters: X(name, help). Cumulative unless said otherwise. */
#define TCPD_LOAD_COUNTERS(X)                                                                      \
	X(scheduled, "launches the pacer handed out")                                              \
	X(attempted, "launches made: SYN sent")                                                    \
	X(established, "handshakes completed")                                                     \
	X(completed, "connections that ran their requests and closed cleanly")                     \
	X(failed, "connections or launches that failed (sum of the failed_* reasons)")             \
	X(refused, "launches not made (concurrency cap, or a failure reason)")                     \
	X(refused_cap, "launches not made: --concurrency reached")                                 \
	X(late, "launches handed out later than 100 us after their schedule")                      \
	X(requests, "requests sent (the first with the handshake)")                                \
	X(responses, "responses complete and checked")                                             \
	X(tuple_busy, "tuples skipped: still held by our TIME-WAIT, not reusable yet")             \
	X(rx_payload, "response payload bytes received (counted when the connection ends)")        \
	X(tx_payload, "request payload bytes sent and acknowledged (when the connection ends)")    \
	X(misrouted, "replies whose RSS hash sends them to another lcore's queue")                 \
	X(conc_syn_sent, "gauge: connections in SYN-SENT")                                         \
	X(conc_established, "gauge: connections established, requests running")                    \
	X(conc_closing, "gauge: connections closing (our FIN queued), until TIME-WAIT")

enum tcpd_load_counter {
#define TCPD_LOAD_CNT_ENUM_(n, h) TCPD_LOAD_##n,
	TCPD_LOAD_COUNTERS(TCPD_LOAD_CNT_ENUM_)
#undef TCPD_LOAD_CNT_ENUM_
	TCPD_LOAD_CNT_MAX
};

/** Latency histograms: X(name, help); _sched variants are timed from the scheduled start. */
#define TCPD_LOAD_LATS(X)                                                                          \
	X(connect, "SYN sent to SYN-ACK received")                                                 \
	X(connect_sched, "scheduled launch to SYN-ACK received")                                   \
	X(first_byte, "request sent to first response byte")                                       \
	X(first_byte_sched, "request scheduled to first response byte")                            \
	X(response, "request sent to last response byte")                                          \
	X(response_sched, "request scheduled to last response byte")

enum tcpd_load_lat {
#define TCPD_LOAD_LAT_ENUM_(n, h) TCPD_LOAD_LAT_##n,
	TCPD_LOAD_LATS(TCPD_LOAD_LAT_ENUM_)
#undef TCPD_LOAD_LAT_ENUM_
	TCPD_LOAD_LAT_MAX
};

/** One lcore's counters. */
struct tcpd_load_stats {
	uint64_t c[TCPD_LOAD_CNT_MAX];
	uint64_t fail[TCPD_LOAD_FAIL_MAX];
} __rte_cache_aligned;

/** Next hops: the gateway, or each distinct target address. */
struct tcpd_load_nh {
	uint32_t ip;	/**< network order (IPv4 next hop) */
	uint32_t ready; /**< 1 once the MAC is known (release/acquire) */
	struct rte_ether_addr mac;
	uint8_t v6;	 /**< an IPv6 next hop, resolved by neighbour discovery */
	uint8_t ip6[16]; /**< with @c v6, network order */
};

/** What the lcores share (written by any of them with atomics; one per process). */
struct tcpd_load_shared {
	const struct tcpd_config *cfg;
	uint64_t hz;
	uint32_t nb_nh;
	struct tcpd_load_nh nh[TCPD_MAX_TARGETS];
	uint8_t target_nh[TCPD_MAX_TARGETS]; /**< next hop of each target */
	uint64_t start_tsc;  /**< t = 0 of the schedule; 0 until the next hops answered */
	uint32_t arp_failed; /**< 1 + index of a next hop that never answered; 0 */
};

struct tcpd_load;

/** Set up @p sh from @p cfg (next hops). @p hz: TSC rate. */
void tcpd_load_shared_init(struct tcpd_load_shared *sh, const struct tcpd_config *cfg, uint64_t hz);

/** What one lcore's engine is made of; everything must outlive it. */
struct tcpd_load_params {
	struct tcpd_load_shared *sh;
	struct tcpd_tcp_ctx *tcp; /**< the lcore's TCP context (client apps are added to it) */
	struct tcpd_tx *tx;	  /**< the lcore's TX queue (ARP requests) */
	struct rte_mempool *pool; /**< mbufs for ARP requests */
	const struct tcpd_iface *ifc;
	struct tcpd_stats *wstats; /**< the worker's counters (arp_tx) */
	unsigned int idx;	   /**< this lcore's index among the @p nb loading lcores */
	unsigned int nb;
	uint16_t queue;		/**< its RX queue */
	uint16_t nb_queues;	/**< RX queues of the port */
	const uint8_t *rss_key; /**< the port's RSS key as programmed; NULL: no RSS */
	uint32_t rss_key_len;
	const uint16_t *reta; /**< the port's redirection table */
	uint32_t reta_size;
	int socket_id;
};

/**
 * Create the engine of one lcore: a tuple chooser and a client application per target, the
 * connection records (its share of --concurrency), the histograms.
 * @return the engine, or NULL with rte_errno and a message in @p err
 */
struct tcpd_load *tcpd_load_create(const struct tcpd_load_params *p, char *err, size_t errlen);

/** Free the engine (its connections must be gone: the TCP context first). */
void tcpd_load_free(struct tcpd_load *ld);

/** Run the engine at @p now_tsc: ARP, launches, timeouts, drain. Called by the worker's poll. */
void tcpd_load_poll(struct tcpd_load *ld, uint64_t now_tsc);

/** An ARP reply from @p sip (network order) with @p mac reached some lcore. */
void tcpd_load_arp_reply(struct tcpd_load *ld, uint32_t sip, const struct rte_ether_addr *mac);

/**
 * A neighbour advertisement for @p target (16 bytes) with link-layer address @p mac (worker,
 * TCPD_NET_ND_NA): the IPv6 next hop of that address is known.
 */
void tcpd_load_nd_reply(struct tcpd_load *ld, const uint8_t *target,
			const struct rte_ether_addr *mac);

/** A segment on this lcore carried RSS hash @p hash: count it if it belongs to another queue. */
void tcpd_load_rss_check(struct tcpd_load *ld, uint32_t hash);

/** True when the engine finished (schedule, drain, abort; or ARP failure). */
int tcpd_load_done(const struct tcpd_load *ld);

/** The engine's counters (read from any thread with relaxed loads). */
const struct tcpd_load_stats *tcpd_load_stats(const struct tcpd_load *ld);

/** Its histogram @p which (enum tcpd_load_lat). */
const struct tcpd_lat *tcpd_load_lat(const struct tcpd_load *ld, unsigned int which);

/** Launches its pacer scheduled up to @p tsc (for the target rate). */
uint64_t tcpd_load_due_by(const struct tcpd_load *ld, uint64_t tsc);

/** Names: counter, failure reason, histogram (the report's keys). */
const char *tcpd_load_counter_name(unsigned int i);
const char *tcpd_load_fail_name(unsigned int i);
const char *tcpd_load_lat_name(unsigned int i);

/* ---- reporting (load_report.c): the control thread's view over every lcore ---- */

/** Everything summed over the lcores at one instant. */
struct tcpd_load_snap {
	uint64_t tsc;
	uint64_t due; /**< launches scheduled by now */
	struct tcpd_load_stats st;
	struct tcpd_lat lat[TCPD_LOAD_LAT_MAX];
	struct tcpd_stats wst; /**< the workers' counters (retransmissions, RSTs) */
};

/** Sum @p nb engines and their workers' counters @p wst into @p out at @p tsc. */
void tcpd_load_snapshot(struct tcpd_load_snap *out, struct tcpd_load *const *ld,
			const struct tcpd_stats *const *wst, unsigned int nb, uint64_t tsc);

/**
 * The per-second line (stdout) for the interval from @p prev to @p cur: target and achieved CPS
 * and requests/s, concurrency by state, counts, failures by reason, retransmissions, RSTs, late
 * launches, p50/p99 of connect and response. @p t: seconds since the schedule's start.
 */
void tcpd_load_format_line(char *buf, size_t len, const struct tcpd_load_snap *prev,
			   const struct tcpd_load_snap *cur, double t, uint64_t hz);

/**
 * One JSON object of the report (tools/tcpd-chart's schema) for the interval from @p prev to
 * @p cur, or, with @p final, for the whole run (@p prev then the start snapshot): with the
 * configuration and @p exit_status.
 */
void tcpd_load_json(FILE *f, const struct tcpd_load_snap *prev, const struct tcpd_load_snap *cur,
		    double t, uint64_t hz, int final, const struct tcpd_config *cfg,
		    unsigned int nb_lcores, int exit_status);

/** The final summary on stdout: counts, reasons, latency percentiles of every histogram. */
void tcpd_load_print_final(FILE *f, const struct tcpd_load_snap *start,
			   const struct tcpd_load_snap *end, double secs);

#endif /* TCPD_LOAD_H */
