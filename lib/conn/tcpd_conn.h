/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_CONN_H
#define TCPD_CONN_H

/**
 * @file
 * Per-lcore connection table: an rte_hash (no concurrency flags: only its lcore touches it) whose
 * values point into a preallocated pool of struct tcpd_conn.
 *
 * The hash is computed once per packet with rte_hash_crc over the 16-byte key and a per-table
 * random seed, then passed to the *_with_hash calls (never the NIC's RSS hash: its low bits are
 * fixed per queue and would cut the table's usable capacity). Not thread safe.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>

#include "tcpd_stats.h"
#include "tcpd_timer.h"

/** TCP states (RFC 9293 3.3.2): TCPD_CLOSED, TCPD_LISTEN, ... TCPD_TIME_WAIT. */
enum tcpd_state {
#define TCPD_STATE_ENUM_(up, low) TCPD_##up = TCPD_STATS_STATE_##up,
	TCPD_TCP_STATES(TCPD_STATE_ENUM_)
#undef TCPD_STATE_ENUM_
};

/** Table key, in the local view; addresses and ports in network order, pad always zero. */
struct tcpd_conn_key {
	uint32_t peer_ip;
	uint32_t local_ip;
	uint16_t peer_port;
	uint16_t local_port;
	uint32_t pad; /**< must be 0: it is hashed and compared */
} __rte_aligned(8);

/** Bits of struct tcpd_conn.opt_flags: what was negotiated (low nibble), lib/tcp's own (high). */
#define TCPD_CONN_WSCALE 0x01 /**< both sides sent window scale */
#define TCPD_CONN_SACK	 0x02 /**< SACK permitted */
#define TCPD_CONN_TS	 0x04 /**< timestamps (RFC 7323) */
#define TCPD_CONN_ECN	 0x08 /**< ECN negotiated (recorded, not acted on) */
#define TCPD_CONN_RTT	 0x10 /**< a segment is being timed (rtt_seq, rtt_ts; Karn) */
#define TCPD_CONN_COOKIE 0x20 /**< created from a SYN cookie */
#define TCPD_CONN_TMASK	 0xC0 /**< what the armed timer means (lib/tcp, TCPD_TK_*) */

/** dupacks value while in fast recovery (RFC 5681 3.2 after the third duplicate ACK). */
#define TCPD_CONN_RECOVERY 3

/**
 * One connection, two cache lines (128 bytes). The first line holds everything the sequence
 * checks of a segment touch; the layout is owned by lib/tcp under the static assertions below.
 * To fit, a few values are kept narrow: times in ms in 16 bits (RTT estimator, RTT stamp,
 * challenge-ACK second), congestion window in segments; the service follows from the listener,
 * and MAX.SND.WND (RFC 5961 section 5) is taken as 65535 << snd_wscale.
 */
struct tcpd_conn {
	/* cache line 0: lookup and sequence space */
	struct tcpd_conn_key key;
	uint32_t snd_una;	/**< oldest unacknowledged */
	uint32_t snd_nxt;	/**< next to send (rewound to snd_una on RTO: go-back-N) */
	uint32_t snd_max;	/**< highest sequence sent + 1 */
	uint32_t snd_wnd;	/**< peer's window in bytes (scaled) */
	uint32_t snd_wl1;	/**< seq of the last window update */
	uint32_t rcv_nxt;	/**< next expected from the peer */
	uint32_t iss;		/**< our initial sequence number */
	uint32_t ts_recent;	/**< peer's last TSval (RFC 7323) */
	uint32_t rtt_seq;	/**< timed segment: sample when an ACK covers it (no timestamps) */
	uint32_t recover;	/**< fast recovery ends when this is acked (RFC 6582) */
	uint16_t gen;		/**< bumped on every free: stale references cannot match */
	uint8_t state;		/**< enum tcpd_state */
	uint8_t opt_flags;	/**< TCPD_CONN_* */
	uint16_t snd_mss;	/**< largest segment we send (options not deducted) */
	uint8_t snd_wscale : 4; /**< shift for the peer's window */
	uint8_t rcv_wscale : 4; /**< shift for ours */
	uint8_t listener : 4;	/**< listener index (TCPD_MAX_LISTENERS is 16) */
	uint8_t dupacks : 4;	/**< duplicate ACKs in a row; TCPD_CONN_RECOVERY in recovery */

	/* cache line 1: timers, retransmission, application */
	struct tcpd_timer timer;	/**< one timer per connection (RTO, TIME-WAIT, idle ...) */
	struct rte_mbuf *sndq;		/**< echo: received data to send back, tail of a ring */
	struct rte_ether_addr peer_mac; /**< where replies and retransmissions go */
	uint8_t retries;		/**< consecutive retransmissions */
	uint8_t chack_count;		/**< challenge ACKs sent in that second (saturates) */
	uint16_t srtt8;			/**< smoothed RTT (RFC 6298) in ms, times 8 */
	uint16_t rttvar4;		/**< RTT variation in ms, times 4 */
	uint16_t rtt_ts;		/**< ms clock (low bits) the timed segment was sent */
	uint8_t chack_tick;		/**< challenge-ACK rate limit: second (low bits) */
	uint8_t oow_tick;		/**< last ACK to an invalid segment: ms >> 6 (low bits) */
	uint16_t cwnd;			/**< congestion window, segments (RFC 5681) */
	uint16_t ssthresh;		/**< slow start threshold, segments */
	uint32_t pool_next;		/**< free-list link, owned by the pool */
	uint32_t app_end;		/**< sequence where queued application data ends */
	uint32_t app_state;		/**< service state (http parser, close flags) */
} __rte_cache_aligned;

/*
 * Layout guards. The timer (written on every ACK) stays out of the lookup line, and the whole
 * connection is two cache lines (128 B), which keeps the table under 256 B per connection for
 * every capacity.
 */
#define TCPD_CONN_MAX_SIZE (2 * RTE_CACHE_LINE_SIZE)
_Static_assert(sizeof(struct tcpd_conn) <= TCPD_CONN_MAX_SIZE, "struct tcpd_conn grew a line");
_Static_assert(offsetof(struct tcpd_conn, timer) >= RTE_CACHE_LINE_SIZE,
	       "the timer belongs in cache line 1, away from the lookup line");

struct tcpd_conn_table;

/**
 * Create a table for at most @p max_conns connections on @p socket_id. The pool is allocated up
 * front; the hash is sized with headroom (EXT_TABLE) so that inserts never fail before the
 * pool is empty.
 * @param name  unique per table, at most 16 characters
 * @return the table, or NULL with rte_errno set
 */
struct tcpd_conn_table *tcpd_conn_table_create(const char *name, uint32_t max_conns, int socket_id);

/** Free the table and its pool. */
void tcpd_conn_table_free(struct tcpd_conn_table *t);

/** The table's hash of @p key (rte_hash_crc with the table's seed). */
uint32_t tcpd_conn_hash(const struct tcpd_conn_table *t, const struct tcpd_conn_key *key);

/**
 * Look up @p n keys (n <= 64, one burst; more are split into chunks of 64) with their
 * precomputed hashes.
 * @param conns  out: the connection, or NULL on a miss, per key
 * @return the number of hits
 */
unsigned int tcpd_conn_lookup_bulk(struct tcpd_conn_table *t, const struct tcpd_conn_key *keys,
				   const uint32_t *hashes, unsigned int n,
				   struct tcpd_conn **conns);

/** Single lookup; NULL on a miss. */
struct tcpd_conn *tcpd_conn_lookup(struct tcpd_conn_table *t, const struct tcpd_conn_key *key,
				   uint32_t hash);

/**
 * Take a connection from the pool and insert it under @p key. The connection is zeroed except
 * for key, hash and gen; its timer is unarmed. @p hash must be tcpd_conn_hash(t, key).
 * @return the connection, or NULL with rte_errno ENOSPC if the pool or the hash is full (nothing
 *	   is evicted), EEXIST if @p key is already in the table (it is not overwritten: two
 *	   segments of a new flow may both miss in one burst), EINVAL if key->pad is not 0
 */
struct tcpd_conn *tcpd_conn_insert(struct tcpd_conn_table *t, const struct tcpd_conn_key *key,
				   uint32_t hash);

/**
 * Remove @p c from the hash and return it to the pool; bumps its generation. The caller has
 * already cancelled its timer and freed its queued mbufs.
 */
void tcpd_conn_remove(struct tcpd_conn_table *t, struct tcpd_conn *c);

/** Live connections. */
uint32_t tcpd_conn_count(const struct tcpd_conn_table *t);

/** Capacity (max_conns). */
uint32_t tcpd_conn_capacity(const struct tcpd_conn_table *t);

/** Pool slot @p idx (0 <= idx < capacity), live or free; for walks in tests and teardown. */
struct tcpd_conn *tcpd_conn_at(struct tcpd_conn_table *t, uint32_t idx);

/** True if pool slot @p c is live (in the table). */
bool tcpd_conn_live(const struct tcpd_conn_table *t, const struct tcpd_conn *c);

/** Bytes of memory the table uses (pool + hash), for bytes-per-connection figures. */
uint64_t tcpd_conn_table_memory(const struct tcpd_conn_table *t);

#endif /* TCPD_CONN_H */
