/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_LAT_H
#define TCPD_LAT_H

/**
 * @file
 * Latency histogram: HdrHistogram's log-linear buckets, fixed layout, one per lcore and metric.
 *
 * Values are nanoseconds. Below 2^(TCPD_LAT_SUB_BITS + 1) = 256 ns every value has its own
 * bucket; above, each power of two [2^e, 2^(e+1)) is cut into 2^TCPD_LAT_SUB_BITS = 128 buckets
 * of width 2^(e-7). A bucket is therefore at most 2^-7 (0.78 %) of the values it holds, and a
 * percentile reported as the bucket's midpoint is within 2^-8 (0.39 %) of a recorded value of
 * that rank (clamped to the recorded min and max). The layout covers 0 to 2^36 ns (68.7 s),
 * which includes the 1 us to 60 s a load test needs; larger values go to the last bucket and are
 * counted in @c overflow (max stays exact).
 *
 * Memory: TCPD_LAT_NB_BUCKETS (3840) 64-bit counters plus a 64-byte header, 30,784 bytes per
 * histogram (struct tcpd_lat, cache aligned); no allocation of its own, embed it or allocate it.
 *
 * Recording is O(1): one count-leading-zeros, two shifts, no division, no branch on the value's
 * magnitude beyond min/max. Not thread safe: one writer (the owning lcore). A reader on another
 * thread (the control thread merging lcores) may see a histogram mid-update; every function that
 * reads counts uses the sum of the buckets it read, so a torn read is at most one record off.
 */

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

/** log2 of the sub-buckets per power of two: relative bucket width 2^-7 (0.78 %). */
#define TCPD_LAT_SUB_BITS 7
/** Sub-buckets per power of two. */
#define TCPD_LAT_SUB_COUNT (1u << TCPD_LAT_SUB_BITS)
/** Values from 2^TCPD_LAT_MAX_BITS ns (68.7 s) up are clamped into the last bucket. */
#define TCPD_LAT_MAX_BITS 36
/** Number of buckets: 256 exact ones, then 128 per power of two from 2^8 to 2^35. */
#define TCPD_LAT_NB_BUCKETS ((TCPD_LAT_MAX_BITS - TCPD_LAT_SUB_BITS + 1) << TCPD_LAT_SUB_BITS)

/** One histogram. Zero it (or tcpd_lat_reset) before use. */
struct tcpd_lat {
	uint64_t count;	   /**< values recorded */
	uint64_t sum;	   /**< of the values, ns (wraps after 584 years of summed latency) */
	uint64_t min;	   /**< smallest value; UINT64_MAX when empty */
	uint64_t max;	   /**< largest value, exact even when clamped */
	uint64_t overflow; /**< values >= 2^TCPD_LAT_MAX_BITS ns (in the last bucket) */
	uint64_t pad[3];
	uint64_t bucket[TCPD_LAT_NB_BUCKETS]; /**< counts, see tcpd_lat_index() */
} __rte_cache_aligned;

/** Off-the-fast-path summary of a histogram (all values in ns). */
struct tcpd_lat_summary {
	uint64_t count; /**< values (sum of the buckets) */
	uint64_t min;	/**< 0 when empty */
	uint64_t max;
	uint64_t mean; /**< rounded down; from the exact sum */
	uint64_t p50;
	uint64_t p90;
	uint64_t p99;
	uint64_t p999; /**< 99.9th percentile */
};

/** Conversion of TSC ticks to ns without division: ns = (ticks * mult + 2^47) >> 48. */
struct tcpd_lat_tsc {
	uint64_t mult; /**< 2^48 * 1e9 / hz, rounded */
};

/** Bucket of value @p ns (O(1), no division). */
static inline uint32_t
tcpd_lat_index(uint64_t ns)
{
	uint32_t e, g;

	if (unlikely(ns >= (UINT64_C(1) << TCPD_LAT_MAX_BITS)))
		return TCPD_LAT_NB_BUCKETS - 1;
	e = 63 - (uint32_t)__builtin_clzll(ns | 1); /* highest set bit */
	g = e > TCPD_LAT_SUB_BITS ? e - TCPD_LAT_SUB_BITS : 0;
	return (g << TCPD_LAT_SUB_BITS) + (uint32_t)(ns >> g);
}

/** Smallest value counted in bucket @p idx. */
uint64_t tcpd_lat_bucket_low(uint32_t idx);

/** Largest value of bucket @p idx in the layout (the last bucket also holds clamped values). */
uint64_t tcpd_lat_bucket_high(uint32_t idx);

/** Empty @p h. */
void tcpd_lat_reset(struct tcpd_lat *h);

/** Record one value of @p ns nanoseconds. Fast path: O(1), no division, no allocation. */
static inline void
tcpd_lat_record(struct tcpd_lat *h, uint64_t ns)
{
	h->bucket[tcpd_lat_index(ns)]++;
	h->count++;
	h->sum += ns;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	if (unlikely(ns >= (UINT64_C(1) << TCPD_LAT_MAX_BITS)))
		h->overflow++;
}

/**
 * Prepare the TSC conversion for a TSC of @p hz ticks per second (rte_get_tsc_hz()).
 * @return 0, or -EINVAL if hz is below 1 MHz
 */
int tcpd_lat_tsc_init(struct tcpd_lat_tsc *c, uint64_t hz);

/** @p ticks TSC ticks in ns, rounded (relative error of mult below 1e-14 for hz up to 2^40). */
static inline uint64_t
tcpd_lat_tsc_to_ns(const struct tcpd_lat_tsc *c, uint64_t ticks)
{
	return (uint64_t)(((unsigned __int128)ticks * c->mult + (UINT64_C(1) << 47)) >> 48);
}

/** Record a latency of @p ticks TSC ticks (tcpd_lat_tsc_to_ns, then tcpd_lat_record). */
static inline void
tcpd_lat_record_tsc(struct tcpd_lat *h, const struct tcpd_lat_tsc *c, uint64_t ticks)
{
	tcpd_lat_record(h, tcpd_lat_tsc_to_ns(c, ticks));
}

/**
 * Add @p src's counts to @p dst (the control thread merging the lcores' histograms). Merging
 * histograms equals recording all their values into one. @p src may be live (see @file).
 */
void tcpd_lat_merge(struct tcpd_lat *dst, const struct tcpd_lat *src);

/**
 * The values recorded between two snapshots of one histogram, @p prev taken before @p now (the
 * control thread's per-second figures from the merged, cumulative histograms): bucket counts,
 * count, sum and overflow are differences. min and max are exact when the interval set a new
 * record (now's min below prev's, or max above), otherwise the low end of the lowest / the high
 * end of the highest non-empty bucket (within 2^-7). @p out may be @p now, not @p prev.
 */
void tcpd_lat_diff(struct tcpd_lat *out, const struct tcpd_lat *now, const struct tcpd_lat *prev);

/**
 * Value at percentile @p pct (0 < pct <= 100): the smallest bucket whose cumulative count reaches
 * rank ceil(pct / 100 * count), reported as its midpoint clamped to [min, max] (the max itself
 * for the last rank), so within 2^-8 of the exact value of that rank. Off the fast path (walks
 * up to TCPD_LAT_NB_BUCKETS counters).
 * @return the value in ns, 0 if @p h is empty
 */
uint64_t tcpd_lat_percentile(const struct tcpd_lat *h, double pct);

/** Fill @p s (count, min, max, mean, p50, p90, p99, p99.9) in one walk of the buckets. */
void tcpd_lat_summarize(const struct tcpd_lat *h, struct tcpd_lat_summary *s);

#endif /* TCPD_LAT_H */
