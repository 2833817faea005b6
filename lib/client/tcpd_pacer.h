/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_PACER_H
#define TCPD_PACER_H

/**
 * @file
 * TSC pacer: when each of an lcore's connection launches is due, from the clock alone.
 *
 * The schedule is a rate R (launches per second on this lcore) ramped linearly from 0 over
 * ramp_tsc ticks, then flat for duration_tsc ticks. With t the ticks since start_tsc, Tr the
 * ramp and hz the TSC rate, the launches due by t are N(t) = floor(R t^2 / (2 hz Tr)) during the
 * ramp and floor(R (2t - Tr) / (2 hz)) after it; launch n (1-based) is scheduled at the first
 * tick t_n where N(t_n) >= n. So at 1000/s flat, launch n is at n * hz / 1000, rounded up; with
 * a 1 s ramp to 1000/s, 500 t^2 launches are due by t <= 1 s.
 *
 * Each launch is handed out with its scheduled TSC, so the caller times latency from the
 * intended start as well as the actual one (no coordinated omission: a slow server cannot slow
 * the schedule). A launch handed out more than late_tsc after its schedule is counted late; a
 * poll hands out at most burst_max, the rest stay due for the next polls (a bounded catch-up,
 * never a skip); a launch the caller cannot make (concurrency cap, no tuple, no mbuf) is
 * reported with tcpd_pacer_refuse() and counted, never silently dropped.
 *
 * Cost: a poll with nothing due is one compare. Handing out a launch is exact integer math:
 * on the flat part an add and a compare (the step hz / R and its remainder are precomputed, the
 * remainder carried as in Bresenham's line), during the ramp one double sqrt as a first guess,
 * corrected exactly with 128-bit products; the one division happens at the ramp's end. No
 * allocation, no lock: one pacer per lcore, written only by it.
 *
 * Lcores given the same start_tsc and equal shares launch at the same instants; to interleave
 * them, start lcore i of n at start_tsc + i * hz / (n * rate) (a fraction of one interval).
 */

#include <stdint.h>

#include <rte_branch_prediction.h>

/** duration_tsc meaning "flat until stopped". */
#define TCPD_PACER_FOREVER UINT64_MAX

/** Largest rate per lcore (launches per second). */
#define TCPD_PACER_MAX_RATE UINT32_MAX

/** Schedule of one lcore. */
struct tcpd_pacer_conf {
	uint64_t rate;	       /**< launches per second on this lcore (see tcpd_pacer_split) */
	uint64_t hz;	       /**< TSC ticks per second (rte_get_tsc_hz()) */
	uint64_t start_tsc;    /**< TSC of t = 0 (the same on every lcore) */
	uint64_t ramp_tsc;     /**< ticks of linear ramp from 0 to rate; 0 for none */
	uint64_t duration_tsc; /**< ticks at full rate after the ramp, or TCPD_PACER_FOREVER */
	uint64_t late_tsc;     /**< handed out more than this after schedule: late (0: 100 us) */
	uint32_t burst_max;    /**< launches per poll at most (0: 32) */
};

/** Pacer state and counters. Counters are read-only for the caller (and the control thread). */
struct tcpd_pacer {
	uint64_t next_tsc; /**< schedule of the next launch; UINT64_MAX when none is left */
	uint64_t n;	   /**< 1-based number of the next launch */
	uint64_t total;	   /**< launches in the schedule (UINT64_MAX: forever) */
	uint64_t ramp_n;   /**< launches scheduled inside the ramp */
	uint64_t late_tsc;
	uint32_t burst_max;
	/* flat part: t_n * 2R = 2 hz n + R Tr + err, err in [0, 2R) */
	uint64_t step_q; /**< floor(hz / R) */
	uint64_t step_r; /**< 2 hz mod 2R */
	uint64_t two_r;	 /**< 2R */
	uint64_t err;
	/* ramp part: t_n = min t with R t^2 >= 2 hz Tr n */
	double ramp_k; /**< 2 hz Tr / R, for the sqrt guess */
	/* configuration */
	uint64_t rate;
	uint64_t hz;
	uint64_t start_tsc;
	uint64_t ramp_tsc;
	uint64_t duration_tsc;
	/* counters */
	uint64_t launched; /**< launches handed out by tcpd_pacer_poll */
	uint64_t late;	   /**< of which handed out more than late_tsc after their schedule */
	uint64_t late_max; /**< largest lateness seen, ticks */
	uint64_t refused;  /**< reported by the caller with tcpd_pacer_refuse */
};

/**
 * Share of lcore @p idx (0-based) of @p nb in a global rate @p total: total / nb, plus one for
 * the first total % nb lcores, so the shares add up to @p total exactly.
 */
static inline uint64_t
tcpd_pacer_split(uint64_t total, unsigned int nb, unsigned int idx)
{
	if (nb == 0)
		return 0;
	return total / nb + (idx < total % nb ? 1 : 0);
}

/**
 * Set up @p p from @p conf (a rate of 0 gives an empty schedule).
 * @return 0; -EINVAL if hz is 0 or rate above TCPD_PACER_MAX_RATE; -ERANGE if the ramp is so
 *   long that its exact math would overflow 128 bits (rate * ramp_tsc^2 >= 2^125)
 */
int tcpd_pacer_init(struct tcpd_pacer *p, const struct tcpd_pacer_conf *conf);

/** Internal: hand out due launches (tcpd_pacer_poll after its first compare). */
unsigned int tcpd_pacer_poll_due(struct tcpd_pacer *p, uint64_t now_tsc, uint64_t *sched,
				 unsigned int max);

/**
 * Launches due at @p now_tsc, in schedule order: at most min(@p max, burst_max) of them; their
 * scheduled TSCs go to @p sched. What is due beyond that stays due for the next call.
 * @return the number of launches handed out (the caller must make or refuse each one)
 */
static inline unsigned int
tcpd_pacer_poll(struct tcpd_pacer *p, uint64_t now_tsc, uint64_t *sched, unsigned int max)
{
	if (likely(now_tsc < p->next_tsc))
		return 0;
	return tcpd_pacer_poll_due(p, now_tsc, sched, max);
}

/** Count @p nb launches handed out by tcpd_pacer_poll that the caller could not make. */
static inline void
tcpd_pacer_refuse(struct tcpd_pacer *p, unsigned int nb)
{
	p->refused += nb;
}

/** True when every launch of the schedule has been handed out. */
static inline int
tcpd_pacer_done(const struct tcpd_pacer *p)
{
	return p->next_tsc == UINT64_MAX;
}

/**
 * Launches scheduled at or before @p tsc (closed form, with divisions: for reports and tests,
 * not for the poll loop). Due but not yet handed out: tcpd_pacer_due_by(p, now) - p->launched.
 */
uint64_t tcpd_pacer_due_by(const struct tcpd_pacer *p, uint64_t tsc);

/** Scheduled TSC of launch @p n (1-based; closed form, for tests); UINT64_MAX beyond the end. */
uint64_t tcpd_pacer_sched_of(const struct tcpd_pacer *p, uint64_t n);

#endif /* TCPD_PACER_H */
