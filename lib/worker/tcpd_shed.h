/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_SHED_H
#define TCPD_SHED_H

/**
 * @file
 * SYN admission control of one worker (issue 13, overload): while its RX path is saturated, a
 * worker answers SYNs only with the allowance its completed handshakes buy, 17/16 SYN each (a
 * token bucket refilled as handshakes complete, at most TCPD_SHED_BURST SYNs' worth), plus a
 * floor per interval, and drops the other SYNs before any lookup or cookie work (counted as
 * syn_shed).
 *
 * Why: past capacity, the RX queue overflows and drops segments at random, also those of
 * handshakes and requests in progress; every connection admitted beyond what completes costs a
 * SYN-ACK, then retransmissions, RSTs and reclaims, and its segments crowd the queue for the
 * connections that could have completed. Why bounded by completions and not by load alone: in a
 * closed loop (each client opens a connection when one ends) the server is busy, its bursts
 * full, yet each SYN follows a completion that refilled the bucket first, so nothing is shed,
 * however the machine preempts the worker (a count per interval would not survive an interval
 * cut short by preemption followed by a full one); a shed SYN
 * waits for the client's retransmission (1 s), which a busy but not overflowing server must
 * never cause. Under open-loop overload, the admitted rate follows what completes, with 1/16 of
 * slack for the handshakes a closed loop loses, and grows back when capacity frees up because
 * saturation then ends and lifts the limit. Every connection admitted beyond what completes is
 * waste that crowds the queue (a first version admitted 1.25 per completion and a floor of 16
 * per interval: with `--cpu-slowdown 20`, 42 completions a millisecond, that admitted 68, 60 %
 * over capacity).
 *
 * Saturated: most of the interval's non-empty RX bursts were full (TCPD_RX_BURST packets): the
 * queue had more waiting than one burst. Per worker, plain fields, no atomics. The signal is also
 * what lets lib/tcp spare a LAST-ACK whose final ACK is late its probe and retransmissions
 * (tcpd_tcp_saturated): that one is
 * on by default; SYN shedding is off by default, because a SYN flood that the cookies absorb
 * saturates the bursts too, and shedding would then drop the legitimate clients' SYNs with the
 * flood's (the cookies answer them all while the worker keeps up).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>

/** SYNs admitted per interval while saturated on top of what completions buy: the floor lets
 * a worker that completed nothing (all its handshakes lost) start again. Small next to any
 * capacity (2 k/s), as it is admitted whatever completes. */
#define TCPD_SHED_FLOOR 2
/** SYNs admitted at once when saturation begins, and the most the bucket holds: an RX queue of
 * SYNs (rx_desc's default), e.g. a closed loop's whole window opening. */
#define TCPD_SHED_BURST 1024
/** The bucket counts sixteenths of a SYN: a completed handshake adds 17, a SYN takes 16. */
#define TCPD_SHED_Q	 16
#define TCPD_SHED_Q_DONE 17

/** Interval of the count, in microseconds: many handshakes at capacity (a few thousand), and a
 * round trip through a full RX queue. */
#define TCPD_SHED_PERIOD_US 1000

/** One worker's admission state. */
struct tcpd_shed {
	uint64_t period;   /**< interval in TSC cycles, 0: admission control off */
	uint64_t next;	   /**< TSC at which the current interval ends */
	uint64_t opened;   /**< the completed-handshake count last seen */
	uint32_t tokens;   /**< the bucket, in sixteenths of a SYN (TCPD_SHED_Q per SYN) */
	uint32_t full;	   /**< full RX bursts in this interval */
	uint32_t bursts;   /**< non-empty RX bursts in this interval */
	uint32_t limited;  /**< nonzero: the previous interval was saturated, SYNs are limited */
	uint8_t saturated; /**< the previous interval was saturated */
	uint8_t syns;	   /**< SYN shedding on: limited follows saturated */
};

/**
 * Start the saturation signal: intervals of @p period TSC cycles from @p now (0: off, never
 * saturated), @p opened the completed-handshake counter's value now; @p syns: SYN shedding
 * (false: every SYN admitted, the signal only is kept).
 */
void tcpd_shed_init(struct tcpd_shed *s, uint64_t period, uint64_t now, uint64_t opened, bool syns);

/** Handshakes completed since last seen (@p opened: the counter): 17/16 SYN each, capped. */
void tcpd_shed_refill(struct tcpd_shed *s, uint64_t opened);

/** End the current interval at @p now: saturated or not, the floor added. */
void tcpd_shed_interval(struct tcpd_shed *s, uint64_t now);

/**
 * One RX burst of @p n packets (@p max asked for) at @p now; @p opened: the completed-handshake
 * counter. A few instructions; the interval's end calls tcpd_shed_interval.
 * @return true if an interval ended (s->limited may have changed)
 */
static inline bool
tcpd_shed_burst(struct tcpd_shed *s, unsigned int n, unsigned int max, uint64_t now,
		uint64_t opened)
{
	s->full += n == max;
	s->bursts += n != 0;
	if (opened != s->opened)
		tcpd_shed_refill(s, opened);
	if (likely(now < s->next))
		return false;
	tcpd_shed_interval(s, now);
	return true;
}

/** May this SYN be answered? Takes it from the bucket when limited. */
static inline bool
tcpd_shed_admit(struct tcpd_shed *s)
{
	if (likely(!s->limited))
		return true;
	if (s->tokens >= TCPD_SHED_Q) {
		s->tokens -= TCPD_SHED_Q;
		return true;
	}
	return false;
}

#endif /* TCPD_SHED_H */
