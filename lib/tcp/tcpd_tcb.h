/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TCB_H
#define TCPD_TCB_H

/**
 * @file
 * The TCP control block: one per connection, an entry of the lcore's connection table (lib/conn
 * owns its first 16 bytes, the tuple and generation; everything after is TCP's). Read by
 * telemetry, tests and benchmarks; written by lib/tcp and, in its application fields, by the
 * connection's application.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "tcpd_conn.h"
#include "tcpd_timer.h"

/** The states of RFC 9293 section 3.3.2, in enum order: X(UPPER, lower). */
#define TCPD_TCP_STATES(X)                                                                         \
	X(CLOSED, closed)                                                                          \
	X(LISTEN, listen)                                                                          \
	X(SYN_SENT, syn_sent)                                                                      \
	X(SYN_RECEIVED, syn_received)                                                              \
	X(ESTABLISHED, established)                                                                \
	X(FIN_WAIT_1, fin_wait_1)                                                                  \
	X(FIN_WAIT_2, fin_wait_2)                                                                  \
	X(CLOSE_WAIT, close_wait)                                                                  \
	X(CLOSING, closing)                                                                        \
	X(LAST_ACK, last_ack)                                                                      \
	X(TIME_WAIT, time_wait)

/** TCP states: TCPD_CLOSED, TCPD_LISTEN, ... TCPD_TIME_WAIT; TCPD_TCP_NSTATES of them. */
enum tcpd_tcp_state {
#define TCPD_STATE_ENUM_(up, low) TCPD_##up,
	TCPD_TCP_STATES(TCPD_STATE_ENUM_)
#undef TCPD_STATE_ENUM_
	TCPD_TCP_NSTATES
};

/** Key of state @p st (e.g. "time_wait"), NULL if out of range. */
const char *tcpd_tcp_state_name(unsigned int st);

/** Bits of struct tcpd_tcb.opt_flags: what was negotiated (low nibble), then lib/tcp's own. */
#define TCPD_TCB_WSCALE 0x01 /**< both sides sent window scale */
#define TCPD_TCB_SACK	0x02 /**< SACK permitted */
#define TCPD_TCB_TS	0x04 /**< timestamps (RFC 7323) */
#define TCPD_TCB_ECN	0x08 /**< ECN negotiated (recorded, not acted on) */
#define TCPD_TCB_RTT	0x10 /**< a segment is being timed (rtt_seq, rtt_ts; Karn) */
#define TCPD_TCB_COOKIE 0x20 /**< created from a SYN cookie */
#define TCPD_TCB_TMASK	0xC0 /**< what the armed timer means (TCP_TK_* in lib/tcp) */

/** dupacks value while in fast recovery (RFC 5681 3.2 after the third duplicate ACK). */
#define TCPD_TCB_RECOVERY 3

/**
 * One connection, two cache lines (128 bytes). The first line holds everything the sequence
 * checks of a segment touch. To fit, a few values are kept narrow: times in ms in 16 bits (RTT
 * estimator, RTT stamp, challenge-ACK second), congestion window in segments, the out-of-order
 * record's index (4096 records per lcore) and the largest window offered in 16 bits each;
 * MAX.SND.WND (RFC 5961 section 5) is taken as 65535 << snd_wscale.
 */
struct tcpd_tcb {
	/* cache line 0: lookup and sequence space */
	struct tcpd_conn_entry ent; /**< tuple and generation (lib/conn's) */
	uint32_t snd_una;	    /**< oldest unacknowledged */
	uint32_t snd_nxt;	    /**< next to send (rewound to snd_una on RTO: go-back-N) */
	uint32_t snd_max;	    /**< highest sequence sent + 1 */
	uint32_t snd_wnd;	    /**< peer's window in bytes (scaled) */
	uint32_t snd_wl1;	    /**< seq of the last window update */
	uint32_t rcv_nxt;	    /**< next expected from the peer */
	uint32_t iss;		    /**< our initial sequence number */
	uint32_t ts_recent;	    /**< peer's last TSval (RFC 7323) */
	uint32_t rtt_seq;	/**< timed segment: sample when an ACK covers it (no timestamps) */
	uint32_t recover;	/**< fast recovery ends when this is acked (RFC 6582) */
	uint8_t state;		/**< enum tcpd_tcp_state */
	uint8_t opt_flags;	/**< TCPD_TCB_* */
	uint16_t snd_mss;	/**< largest segment we send (options not deducted) */
	uint8_t snd_wscale : 4; /**< shift for the peer's window */
	uint8_t rcv_wscale : 4; /**< shift for ours */
	uint8_t dupacks : 4;	/**< duplicate ACKs in a row; TCPD_TCB_RECOVERY in recovery */
	uint8_t listener : 4;	/**< listener index (TCPD_MAX_LISTENERS is 16) */
	uint8_t app;		/**< index of the application in the lcore's table */
	uint8_t tflags;		/**< TCPD_TCB_F_* */

	/* cache line 1: timers, retransmission, application */
	/**
	 * One timer per connection (RTO, TIME-WAIT, idle ...). Its owner bits hold the receive
	 * window last offered, in units of 2^rcv_wscale past RCV.NXT (tcp_rcv_offered in lib/tcp):
	 * the right edge never moves left, and no other room is left for it.
	 */
	struct tcpd_timer timer;
	struct rte_ether_addr peer_mac; /**< where replies and retransmissions go */
	uint8_t retries;		/**< consecutive retransmissions (or probes) */
	uint8_t chack_count;		/**< challenge ACKs sent in that second (saturates) */
	uint16_t srtt8;			/**< smoothed RTT (RFC 6298) in ms, times 8 */
	uint16_t rttvar4;		/**< RTT variation in ms, times 4 */
	union {
		/** without timestamps: ms clock (low bits) the timed segment was sent */
		uint16_t rtt_ts;
		/**
		 * with timestamps (rtt_ts then unused): the lowest RTT sample in ms (at least 1),
		 * 0 before the first; the base RTT of the loss differentiation (tcp_cc_loss)
		 */
		uint16_t rtt_min;
	};
	uint8_t chack_tick; /**< challenge-ACK rate limit: second (low bits) */
	uint8_t oow_tick;   /**< last ACK to an invalid segment: ms >> 6 (low bits) */
	uint16_t cwnd;	    /**< congestion window, segments (RFC 5681) */
	uint16_t ssthresh;  /**< slow start threshold, segments */
	uint32_t app_end;   /**< sequence where queued application data ends */
	uint32_t app_state; /**< the application's (http: parser state) */
	/** out-of-order queue and SACK scoreboard: record index + 1 (TCP_EXT_MAX_RECORDS), 0 none */
	uint16_t ext;
	/**
	 * Max(SND.WND), the largest window the peer offered, for the sender's silly window
	 * avoidance (RFC 9293 3.8.6.2.1), at most 65535: the rule compares it with twice a usable
	 * window below one segment (at most 8960 bytes, mtu 9000), so a larger one decides alike
	 */
	uint16_t max_swnd;
	void *app_ptr; /**< the application's (echo: its send ring) */
} __rte_cache_aligned;

/** struct tcpd_tcb.tflags: send our FIN once the application data is sent. */
#define TCPD_TCB_F_FIN 0x01
/** struct tcpd_tcb.tflags: the application was told the connection ended (free hook). */
#define TCPD_TCB_F_APP_GONE 0x02
/** struct tcpd_tcb.tflags: opened by us (active open): RFC 9293 3.10.7.3, no listener. */
#define TCPD_TCB_F_ACTIVE 0x04
/**
 * struct tcpd_tcb.tflags: the loss that started this recovery came with no queue on the path
 * (SRTT within --random-loss-ms of the lowest RTT, tcp_cc_loss): cwnd was not reduced and keeps
 * growing by a segment per round trip during the recovery.
 */
#define TCPD_TCB_F_RLOSS 0x08
/**
 * struct tcpd_tcb.tflags: a first tail-loss probe left and no ACK of new data came since; a
 * second may follow at twice the PTO (then TCPD_TCB_F_TLP), before the RTO.
 */
#define TCPD_TCB_F_TLP1 0x10
/**
 * struct tcpd_tcb.tflags: the path reorders (a recovery was undone, or the peer reported data
 * twice with D-SACK): DupThresh rises from 3 to TCP_REO_DUPTHRESH segments and the reordering
 * timer decides first (RFC 8985 6.2, as Linux raises tp->reordering). Kept for the connection.
 */
#define TCPD_TCB_F_REORDER 0x20
/** struct tcpd_tcb.tflags: the TCP_TK_REO timer is a tail-loss probe timeout (RFC 8985 7.2). */
#define TCPD_TCB_F_PTO 0x40
/** struct tcpd_tcb.tflags: the last tail-loss probe left and no ACK of new data came since. */
#define TCPD_TCB_F_TLP 0x80

_Static_assert(sizeof(struct tcpd_tcb) == 2 * RTE_CACHE_LINE_SIZE, "struct tcpd_tcb grew a line");
_Static_assert(offsetof(struct tcpd_tcb, timer) == RTE_CACHE_LINE_SIZE,
	       "the timer (written on every ACK) starts cache line 1, away from the lookup line");
_Static_assert(offsetof(struct tcpd_tcb, ent) == 0, "lib/conn's header comes first");

/**
 * True if @p c is an IPv6 connection. Its key then holds interned ids, not addresses: peer_ip
 * is the lcore's id of the peer's IPv6 address, local_ip the index + 1 of our address in
 * ifc->ip6, both in 0.0.0.0/8 (network order), which is never one of our IPv4 addresses.
 */
static inline bool
tcpd_tcb_is_ip6(const struct tcpd_tcb *c)
{
	return (c->ent.local_ip & RTE_BE32(0xff000000)) == 0;
}

/** struct tcpd_tw.flags: timestamps were on (our ACKs carry TSval, TSecr = ts_recent). */
#define TCPD_TW_TS 0x01
/** struct tcpd_tw.flags: the connection was ours (active open): client mode may take it over. */
#define TCPD_TW_ACTIVE 0x02
/** struct tcpd_tw.flags: 2*MSL restarted (expire_ms moved): re-queued when it reaches the head. */
#define TCPD_TW_RESTART 0x04
/** struct tcpd_tw.flags: our window scale in the high nibble (for the acceptability test). */
#define TCPD_TW_WSCALE_SHIFT 4

/**
 * A connection in TIME-WAIT: a small-class entry of the table (lib/conn), 40 bytes instead of
 * the control block's 128, holding what answering the peer takes (RFC 9293 3.10.7.4, RFC 1337,
 * RFC 6191, RFC 5961 and the out-of-window rate limits). Replies are built from the segment
 * they answer (addresses, MACs), so neither the peer's MAC nor its IPv6 address is kept; an
 * IPv6 entry keeps its peer id (the key's peer_ip) and that id's reference.
 */
struct tcpd_tw {
	struct tcpd_conn_entry ent; /**< tuple and generation (lib/conn's, small class) */
	uint32_t rcv_nxt;	    /**< the peer's FIN + 1 */
	uint32_t snd_nxt;	    /**< our FIN + 1 */
	uint32_t ts_recent;	    /**< peer's last TSval (TSecr of our ACKs, RFC 6191 test) */
	uint32_t expire_ms;	    /**< ms clock (low 32 bits) when 2*MSL ends */
	uint16_t win;		    /**< window field of our ACKs (already scaled) */
	uint8_t flags;		    /**< TCPD_TW_*, window scale in the high nibble */
	uint8_t chack_tick;	    /**< challenge-ACK rate limit: second (low bits) */
	uint8_t chack_count;	    /**< challenge ACKs sent in that second */
	uint8_t oow_tick;	    /**< last ACK to an invalid segment: ms >> 6 (low bits) */
	uint8_t pad[2];
};

_Static_assert(sizeof(struct tcpd_tw) == 40, "a TIME-WAIT entry is 40 bytes");
_Static_assert(offsetof(struct tcpd_tw, ent) == 0, "lib/conn's header comes first");

/** True if table entry @p e is a compact TIME-WAIT entry (struct tcpd_tw). */
static inline bool
tcpd_entry_is_tw(const struct tcpd_conn_entry *e)
{
	return tcpd_conn_entry_small(e);
}

/** The TIME-WAIT entry of a small-class table entry. */
static inline struct tcpd_tw *
tcpd_tw_of(struct tcpd_conn_entry *e)
{
	return (struct tcpd_tw *)e;
}

/** The control block of a table entry (the entry is its first member). */
static inline struct tcpd_tcb *
tcpd_tcb_of(struct tcpd_conn_entry *e)
{
	return (struct tcpd_tcb *)e;
}

#endif /* TCPD_TCB_H */
