/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log-linear latency histogram (HdrHistogram's layout with 2^7 sub-buckets, unit 1 ns).
 *
 * Bucket index of v: with e the highest set bit of v and g = max(e - 7, 0) the number of low bits
 * a bucket ignores, index = g * 128 + (v >> g). For g = 0 that is v itself (v < 256); for g >= 1
 * v >> g lies in [128, 255], so each power of two above 2^7 takes 128 consecutive indexes and the
 * index is monotonic in v. The inverse: g = max((idx >> 7) - 1, 0), low = (idx - g * 128) << g.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "tcpd_lat.h"

static inline uint32_t
lat_shift(uint32_t idx)
{
	uint32_t hi = idx >> TCPD_LAT_SUB_BITS;

	return hi > 0 ? hi - 1 : 0;
}

uint64_t
tcpd_lat_bucket_low(uint32_t idx)
{
	uint32_t g = lat_shift(idx);

	return (uint64_t)(idx - (g << TCPD_LAT_SUB_BITS)) << g;
}

uint64_t
tcpd_lat_bucket_high(uint32_t idx)
{
	return tcpd_lat_bucket_low(idx) + (UINT64_C(1) << lat_shift(idx)) - 1;
}

void
tcpd_lat_reset(struct tcpd_lat *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

int
tcpd_lat_tsc_init(struct tcpd_lat_tsc *c, uint64_t hz)
{
	if (hz < 1000000)
		return -EINVAL;
	c->mult = (uint64_t)((((unsigned __int128)1000000000 << 48) + hz / 2) / hz);
	return 0;
}

void
tcpd_lat_merge(struct tcpd_lat *dst, const struct tcpd_lat *src)
{
	uint32_t i;

	for (i = 0; i < TCPD_LAT_NB_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum += src->sum;
	dst->overflow += src->overflow;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

void
tcpd_lat_diff(struct tcpd_lat *out, const struct tcpd_lat *now, const struct tcpd_lat *prev)
{
	uint64_t count = now->count - prev->count, sum = now->sum - prev->sum;
	uint64_t overflow = now->overflow - prev->overflow;
	int new_min = now->min<prev->min, new_max = now->max> prev->max;
	uint64_t min = now->min, max = now->max;
	uint32_t i, lo = UINT32_MAX, hi = 0;

	for (i = 0; i < TCPD_LAT_NB_BUCKETS; i++) {
		/* a torn read of a live histogram must not wrap */
		uint64_t d =
			now->bucket[i] > prev->bucket[i] ? now->bucket[i] - prev->bucket[i] : 0;

		out->bucket[i] = d;
		if (d != 0) {
			lo = RTE_MIN(lo, i);
			hi = i;
		}
	}
	memset(out, 0, offsetof(struct tcpd_lat, bucket));
	out->count = count;
	out->sum = sum;
	out->overflow = overflow;
	if (lo == UINT32_MAX) {
		out->min = UINT64_MAX;
		return;
	}
	out->min = new_min ? min : tcpd_lat_bucket_low(lo);
	out->max = new_max ? max : tcpd_lat_bucket_high(hi);
}

static uint64_t
lat_total(const struct tcpd_lat *h)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < TCPD_LAT_NB_BUCKETS; i++)
		n += h->bucket[i];
	return n;
}

/* Rank (1-based) of percentile pct among n values: ceil(pct / 100 * n), within [1, n]. */
static uint64_t
lat_rank(double pct, uint64_t n)
{
	double r = pct / 100.0 * (double)n;
	uint64_t k = (uint64_t)r;

	if ((double)k < r)
		k++;
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return k;
}

/* Reported value of bucket idx: its midpoint, clamped to what was recorded. */
static uint64_t
lat_value(const struct tcpd_lat *h, uint32_t idx)
{
	uint64_t lo = tcpd_lat_bucket_low(idx);
	uint64_t v = lo + (tcpd_lat_bucket_high(idx) - lo) / 2;

	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

/* Values at the given ranks (ascending) among n values, in one walk; rank n is the max. */
static void
lat_walk(const struct tcpd_lat *h, uint64_t n, const uint64_t *rank, uint64_t *out, unsigned int nb)
{
	uint64_t cum = 0;
	unsigned int k = 0;
	uint32_t i;

	for (i = 0; i < TCPD_LAT_NB_BUCKETS && k < nb; i++) {
		cum += h->bucket[i];
		while (k < nb && cum >= rank[k]) {
			out[k] = rank[k] == n ? h->max : lat_value(h, i);
			k++;
		}
	}
	/* A torn read (live histogram) may leave ranks unreached: report the max. */
	while (k < nb)
		out[k++] = h->max;
}

uint64_t
tcpd_lat_percentile(const struct tcpd_lat *h, double pct)
{
	uint64_t n = lat_total(h), rank, v;

	if (n == 0)
		return 0;
	rank = lat_rank(pct, n);
	lat_walk(h, n, &rank, &v, 1);
	return v;
}

void
tcpd_lat_summarize(const struct tcpd_lat *h, struct tcpd_lat_summary *s)
{
	static const double pct[] = {50.0, 90.0, 99.0, 99.9};
	uint64_t rank[RTE_DIM(pct)], v[RTE_DIM(pct)];
	uint64_t n = lat_total(h);
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (n == 0)
		return;
	for (i = 0; i < RTE_DIM(pct); i++)
		rank[i] = lat_rank(pct[i], n);
	lat_walk(h, n, rank, v, RTE_DIM(pct));
	s->count = n;
	s->min = h->min;
	s->max = h->max;
	s->mean = h->count > 0 ? h->sum / h->count : 0;
	s->p50 = v[0];
	s->p90 = v[1];
	s->p99 = v[2];
	s->p999 = v[3];
}
