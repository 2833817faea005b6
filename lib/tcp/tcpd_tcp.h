/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TCP_H
#define TCPD_TCP_H

/**
 * @file
 * The TCP endpoint of one worker lcore: RFC 9293 state machine (passive open), SYN cookies,
 * retransmission, and the applications plugged in through tcpd_tcp_app.h. One context per lcore,
 * shared with nobody; not thread safe.
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
#include "tcpd_tcb.h"
#include "tcpd_tcp_app.h"
#include "tcpd_timer.h"
#include "tcpd_tx.h"

/** Per-listener counters of one lcore. */
struct tcpd_listener_stats {
	uint64_t accepted; /**< connections established */
	uint64_t reset;	   /**< connections that ended with a RST (sent or received) */
};

struct tcpd_tcp_ctx;

/** Most applications one lcore runs: the services, then those tcpd_tcp_app_add registers. */
#define TCPD_TCP_APPS_MAX 16

/** What a TCP context is made of; everything must outlive it. */
struct tcpd_tcp_params {
	const struct tcpd_config *cfg;		 /**< configuration (read only) */
	const struct tcpd_iface *ifc;		 /**< our interface (read only) */
	const struct tcpd_cookie_store *cookies; /**< secrets shared with the control thread */
	struct rte_mempool *pool;		 /**< mbufs for segments not built in place */
	struct tcpd_stats *stats;		 /**< this lcore's counters */
	struct tcpd_tx *tx;			 /**< where outgoing segments are queued */
	/** Application ops per service (enum tcpd_service), e.g. tcpd_app_registry(). */
	const struct tcpd_app_ops *const *apps;
	const char *name; /**< unique name for the connection table (<= 16 chars) */
	int socket_id;
};

/**
 * Create the TCP context of one lcore, with an instance of every application its listeners
 * name. @return the context, or NULL (rte_errno set)
 */
struct tcpd_tcp_ctx *tcpd_tcp_ctx_create(const struct tcpd_tcp_params *prm);

/** Free the context: every connection, its timers and queued mbufs, the applications. */
void tcpd_tcp_ctx_free(struct tcpd_tcp_ctx *ctx);

/**
 * Process a burst of parsed TCP segments addressed to us. Takes ownership of every mbuf: each is
 * reused for a reply, queued, or freed.
 * @param now_tsc rte_rdtsc() at the start of the burst
 */
void tcpd_tcp_input_burst(struct tcpd_tcp_ctx *ctx, struct rte_mbuf **m,
			  const struct tcpd_pkt *pkts, unsigned int n, uint64_t now_tsc);

/**
 * An ICMP fragmentation needed (RFC 1191) or ICMPv6 packet too big (RFC 8201) message for one
 * of our segments (TCPD_NET_ICMP_MTU): if it names a connection of this context and a sequence
 * number in SND.UNA..SND.NXT-1 (RFC 5927 4.1), the connection's segment size drops to the MTU
 * less the headers (40, IPv6 60; at least 536, RFC 9293 3.7.1's default, IPv6 1220, MTU 1280)
 * and what is outstanding is sent again in segments of that size.
 * Every other case is counted (drop_icmp_conn, drop_icmp_mtu_large). The caller keeps the mbuf.
 * @param now_tsc rte_rdtsc() at the start of the burst
 */
void tcpd_tcp_icmp_mtu(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, uint64_t now_tsc);

/**
 * An ICMP(v6) hard error for one of our segments (TCPD_NET_ICMP_HARD): a connection in SYN-SENT
 * or SYN-RECEIVED whose ISS it quotes is ended (icmp_hard_abort; client mode counts it as
 * refused, failed_syn_rst); a synchronized one goes on (drop_icmp_hard, RFC 5927 5.2); no
 * connection or another sequence number: drop_icmp_conn. The caller keeps the mbuf.
 * @param now_tsc rte_rdtsc() at the start of the burst
 */
void tcpd_tcp_icmp_hard(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, uint64_t now_tsc);

/** Run expired timers (retransmission, TIME-WAIT, timeouts); call once per poll iteration. */
void tcpd_tcp_timers(struct tcpd_tcp_ctx *ctx, uint64_t now_tsc);

/**
 * Tell the context whether its worker's RX path is saturated (lib/worker, once per interval).
 * While it is, a LAST-ACK connection whose only unacknowledged octet is our FIN sends nothing
 * when its timer expires (tail-loss probe or RTO: counted as last_ack_shed), the back-off and the
 * retry count go on, and the last expiry resets it as always (orphan_retries): the peer has
 * closed and acknowledged all our data, its final ACK most likely waits in our RX queue (the
 * timer ran first) or was dropped there, and each probe or retransmission is work taken from
 * connections that can still complete.
 */
void tcpd_tcp_saturated(struct tcpd_tcp_ctx *ctx, bool on);

/**
 * Refuse the SYN @p p (parsed from @p m, which is consumed) with <SEQ=0><ACK=SEG.SEQ+1>
 * <CTL=RST,ACK>, without a lookup or a listener check: an overloaded worker's answer to a
 * connection it will not take (lib/worker, syn_shed_refuse), counted as rst_tx. Not rate limited
 * (rst_rate): under sustained overload a silent drop draws the client's SYN retransmissions,
 * each as dear to drop as the first, and a refusal ends the attempt.
 */
void tcpd_tcp_refuse(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p);

/**
 * Run application @p ops on this lcore for active opens (the load generator's clients), with
 * @p priv as its per-lcore state (init is not called: the caller set it up).
 * @return its index for tcpd_tcp_connect, or -ENOSPC
 */
int tcpd_tcp_app_add(struct tcpd_tcp_ctx *ctx, const struct tcpd_app_ops *ops, void *priv);

/**
 * Active open (RFC 9293 3.10.7.3): a SYN-SENT connection for @p key (local address and port
 * are ours) run by application @p app, its SYN (MSS, window scale, SACK-permitted, timestamps,
 * ISN per RFC 6528) queued to @p dst_mac, retransmitted on the RFC 6298 timer up to
 * rto_retries times. A tuple held by one of our TIME-WAIT connections is taken over when the
 * peer's timestamps make it safe (as Linux's tcp_tw_reuse: TIME-WAIT for at least a second,
 * timestamps on); @p c->app_ptr and app_state are the application's to set after the call.
 * Runs on the context's clock of the last burst or timer run: call it after tcpd_tcp_timers.
 * @return the connection, or NULL with rte_errno: EADDRINUSE (the tuple is in use), ENOSPC
 *	   (table full), ENOBUFS (no mbuf for the SYN), EINVAL (bad @p app or key)
 */
struct tcpd_tcb *tcpd_tcp_connect(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key,
				  unsigned int app, const struct rte_ether_addr *dst_mac);

/**
 * tcpd_tcp_connect over IPv6: to @p peer (16 bytes, network order) from our address
 * ifc->ip6[@p local_idx], or for @p local_idx >= TCPD_NET_MAX_IP6 the address at offset
 * local_idx - TCPD_NET_MAX_IP6 of ifc's IPv6 range (client mode's --src-ip), ports in network
 * order. The peer address is interned (one reference
 * for the connection, released when it leaves the table), the SYN offers MSS mtu - 60.
 * @return the connection, or NULL with rte_errno: EINVAL (no such address of ours, no IPv6,
 *         bad app), ENOSPC (table or peer table full), EADDRINUSE (tuple in use)
 */
struct tcpd_tcb *tcpd_tcp_connect6(struct tcpd_tcp_ctx *ctx, const uint8_t peer[16],
				   unsigned int local_idx, rte_be16_t peer_port,
				   rte_be16_t local_port, unsigned int app,
				   const struct rte_ether_addr *dst_mac);

/**
 * Reset @p c now (<SEQ=SND.NXT><CTL=RST>, RFC 9293 3.10.4 ABORT): its application is told
 * TCPD_CLOSE_ABORT and the connection is gone.
 */
void tcpd_tcp_abort(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);

/**
 * Call @p fn on every connection of the table but those in TIME-WAIT (compact entries, which no
 * application holds) (teardown, drain; @p fn may abort it).
 */
void tcpd_tcp_foreach(struct tcpd_tcp_ctx *ctx, void (*fn)(struct tcpd_tcb *c, void *arg),
		      void *arg);

/** The clock of the last burst or timer run, in TSC cycles (what timestamps are taken from). */
uint64_t tcpd_tcp_now_tsc(const struct tcpd_tcp_ctx *ctx);

/** The connection table (for telemetry, tests and benchmarks). */
struct tcpd_conn_table *tcpd_tcp_table(struct tcpd_tcp_ctx *ctx);

/**
 * Bytes of connection state of this lcore that grow with max_conns and max_time_wait: the table
 * (entries, TIME-WAIT entries, hash, free stack), the closing ring (12 bytes per connection)
 * and, when the interface has IPv6 addresses, the IPv6 peer table (tcpd_tcp_ip6_memory), for
 * bytes-per-connection figures.
 */
uint64_t tcpd_tcp_conn_memory(const struct tcpd_tcp_ctx *ctx);

/** Bytes of the IPv6 peer address table (0 without IPv6 addresses); @p cap: its entries. */
uint64_t tcpd_tcp_ip6_memory(const struct tcpd_tcp_ctx *ctx, uint32_t *cap);

/**
 * The peer address of IPv6 connection @p c (tcpd_tcb_is_ip6), 16 bytes in network order, valid
 * while @p c is in the table; our address is tcpd_net_ip6_local_addr(ifc,
 * ntohl(c->ent.local_ip) - 1).
 */
const uint8_t *tcpd_tcp_peer_ip6(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c);

/** Our IPv6 address of connection @p c (tcpd_tcb_is_ip6) into @p out, network order. */
void tcpd_tcp_local_ip6(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, uint8_t out[16]);

/**
 * The connection filed under @p key, NULL if none or if it is in TIME-WAIT (a compact entry:
 * tcpd_tcp_lookup_tw) (telemetry, tests, benchmarks).
 */
struct tcpd_tcb *tcpd_tcp_lookup(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key);

/** The TIME-WAIT entry filed under @p key, NULL if none (tests, benchmarks). */
const struct tcpd_tw *tcpd_tcp_lookup_tw(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key);

/** The state of the connection filed under @p key: TCPD_CLOSED if none (tests). */
unsigned int tcpd_tcp_key_state(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key);

/**
 * The IPv6 connection with peer @p peer (16 bytes) and our address of index @p local_idx (as
 * tcpd_net_ip6_ours returns it), ports in network order; NULL if none (tests, benchmarks).
 */
struct tcpd_tcb *tcpd_tcp_lookup6(struct tcpd_tcp_ctx *ctx, const uint8_t peer[16],
				  unsigned int local_idx, rte_be16_t peer_port,
				  rte_be16_t local_port);

/**
 * The table key of the IPv6 tuple of tcpd_tcp_lookup6 into @p k. @return 0 if the peer has no
 * connection (no id), else 1 (tests: tcpd_tcp_key_state, tcpd_tcp_lookup_tw).
 */
int tcpd_tcp_key6(const struct tcpd_tcp_ctx *ctx, const uint8_t peer[16], unsigned int local_idx,
		  rte_be16_t peer_port, rte_be16_t local_port, struct tcpd_conn_key *k);

/** Per-listener counters, indexed like cfg->listen (relaxed atomic stores). */
const struct tcpd_listener_stats *tcpd_tcp_listener_stats(const struct tcpd_tcp_ctx *ctx);

/**
 * The context's clock in UNIX seconds at the last burst or timer run: anchored to the wall clock
 * once at creation and advanced by the TSC, so that the SYN cookie counter (this / 60) agrees
 * with the control thread's and with other machines sharing a cookie secret.
 */
uint32_t tcpd_tcp_clock_sec(const struct tcpd_tcp_ctx *ctx);

/**
 * Tests: replace the RFC 6528 key of @p ctx's initial sequence numbers (random at creation) by
 * @p key. With it, a runner that drives the clock (tcpd_worker_poll_at) knows the ISN every
 * connection will get (tcpd_tcp_isn_at) and can move its clock to the one it wants. Nothing
 * else changes: no code on any per-segment or per-SYN path reads more than before.
 */
void tcpd_tcp_isn_key_set(struct tcpd_tcp_ctx *ctx, const uint8_t key[16]);

/** The ms clock of @p ctx when its TSC clock reads @p tsc (tcpd_worker_poll_at's). */
uint64_t tcpd_tcp_ms_at(const struct tcpd_tcp_ctx *ctx, uint64_t tsc);

/**
 * The ISN @p ctx gives a connection (either open) of IPv4 tuple @p t (the peer as saddr/sport)
 * when its ms clock reads @p ms: RFC 6528's M + F, 250 per ms plus SipHash of the tuple.
 */
uint32_t tcpd_tcp_isn_at(const struct tcpd_tcp_ctx *ctx, uint64_t ms,
			 const struct tcpd_cookie_tuple *t);

/** tcpd_tcp_isn_at for IPv6 tuple @p t (full addresses, the peer as saddr/sport). */
uint32_t tcpd_tcp_isn6_at(const struct tcpd_tcp_ctx *ctx, uint64_t ms,
			  const struct tcpd_cookie_tuple6 *t);

#endif /* TCPD_TCP_H */
