/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TSC pacer. Times are ticks since start_tsc; R the rate, Tr the ramp, hz the TSC rate.
 *
 * Multiplying N(t) by 2 hz Tr keeps everything in integers: launch n is due at the first t with
 *   R t^2 >= 2 hz Tr n            while 2 hz n <= R Tr (inside the ramp),
 *   2 R t >= 2 hz n + R Tr        after it (the flat line continues the ramp's integral).
 * The flat part advances like Bresenham's line: t_{n+1} = t_n + floor(hz / R) (+1 when the
 * remainder carried in err wraps), err = 2 R t_n - (2 hz n + R Tr) staying in [0, 2R).
 * The ramp part takes sqrt(n * 2 hz Tr / R) in double as a guess (off by a tick at most for any
 * schedule init accepts) and moves it to the exact answer with 128-bit products.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "tcpd_pacer.h"

typedef unsigned __int128 u128;

#define PACER_BURST_DEFAULT 32

/* Ticks since start of ramp launch n: min t with R t^2 >= 2 hz Tr n. */
static uint64_t
pacer_ramp_t(const struct tcpd_pacer *p, uint64_t n)
{
	u128 need = (u128)2 * p->hz * p->ramp_tsc * n;
	uint64_t x = (uint64_t)sqrt((double)n * p->ramp_k);

	while ((u128)p->rate * x * x < need)
		x++;
	while (x > 0 && (u128)p->rate * (x - 1) * (x - 1) >= need)
		x--;
	return x;
}

/* Ticks since start of flat launch n: ceil((2 hz n + R Tr) / 2R); *err gets the remainder. */
static uint64_t
pacer_flat_t(const struct tcpd_pacer *p, uint64_t n, uint64_t *err)
{
	u128 num = (u128)2 * p->hz * n + (u128)p->rate * p->ramp_tsc;
	u128 t = (num + p->two_r - 1) / p->two_r;

	if (err != NULL)
		*err = (uint64_t)(t * p->two_r - num);
	return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}

static uint64_t
pacer_abs(const struct tcpd_pacer *p, uint64_t t)
{
	return t > UINT64_MAX - 1 - p->start_tsc ? UINT64_MAX : p->start_tsc + t;
}

int
tcpd_pacer_init(struct tcpd_pacer *p, const struct tcpd_pacer_conf *conf)
{
	u128 chk;

	if (conf->hz == 0 || conf->rate > TCPD_PACER_MAX_RATE)
		return -EINVAL;
	/* R Tr^2 bounds every product of the ramp (need <= R Tr^2, R x^2 <= R (Tr + 1)^2). */
	if (__builtin_mul_overflow((u128)conf->rate, (u128)conf->ramp_tsc + 1, &chk) ||
	    __builtin_mul_overflow(chk, (u128)conf->ramp_tsc + 1, &chk) || (chk >> 125) != 0)
		return -ERANGE;
	memset(p, 0, sizeof(*p));
	p->rate = conf->rate;
	p->hz = conf->hz;
	p->start_tsc = conf->start_tsc;
	p->ramp_tsc = conf->ramp_tsc;
	p->duration_tsc = conf->duration_tsc;
	p->late_tsc = conf->late_tsc != 0 ? conf->late_tsc : conf->hz / 10000;
	p->burst_max = conf->burst_max != 0 ? conf->burst_max : PACER_BURST_DEFAULT;
	p->n = 1;
	if (p->rate == 0) {
		p->next_tsc = UINT64_MAX;
		return 0;
	}
	p->two_r = 2 * p->rate;
	p->step_q = p->hz / p->rate;
	p->step_r = 2 * (p->hz % p->rate);
	p->ramp_n = (uint64_t)(((u128)p->rate * p->ramp_tsc) / (2 * (u128)p->hz));
	if (p->ramp_tsc > 0)
		p->ramp_k = 2.0 * (double)p->hz * (double)p->ramp_tsc / (double)p->rate;
	if (p->duration_tsc == TCPD_PACER_FOREVER) {
		p->total = UINT64_MAX;
	} else {
		chk = (u128)p->rate * ((u128)p->ramp_tsc + 2 * (u128)p->duration_tsc) /
		      (2 * (u128)p->hz);
		p->total = chk > UINT64_MAX - 1 ? UINT64_MAX - 1 : (uint64_t)chk;
	}
	p->next_tsc = tcpd_pacer_sched_of(p, 1);
	if (p->ramp_n == 0)
		pacer_flat_t(p, 1, &p->err);
	return 0;
}

uint64_t
tcpd_pacer_sched_of(const struct tcpd_pacer *p, uint64_t n)
{
	if (p->rate == 0 || n == 0 || n > p->total)
		return UINT64_MAX;
	if (n <= p->ramp_n)
		return pacer_abs(p, pacer_ramp_t(p, n));
	return pacer_abs(p, pacer_flat_t(p, n, NULL));
}

/* Move to launch n + 1. */
static inline void
pacer_advance(struct tcpd_pacer *p)
{
	uint64_t n = ++p->n;

	if (unlikely(n > p->total)) {
		p->next_tsc = UINT64_MAX;
	} else if (likely(n > p->ramp_n + 1)) {
		/* flat: add the precomputed step, carry the remainder */
		p->next_tsc += p->step_q;
		if (p->err < p->step_r) {
			p->next_tsc++;
			p->err += p->two_r;
		}
		p->err -= p->step_r;
	} else if (n == p->ramp_n + 1) {
		/* first flat launch: the one division */
		p->next_tsc = pacer_abs(p, pacer_flat_t(p, n, &p->err));
	} else {
		p->next_tsc = pacer_abs(p, pacer_ramp_t(p, n));
	}
}

unsigned int
tcpd_pacer_poll_due(struct tcpd_pacer *p, uint64_t now_tsc, uint64_t *sched, unsigned int max)
{
	unsigned int k = 0, lim = max < p->burst_max ? max : p->burst_max;
	uint64_t late;

	while (k < lim && p->next_tsc <= now_tsc) {
		sched[k++] = p->next_tsc;
		late = now_tsc - p->next_tsc;
		if (late > p->late_tsc) {
			p->late++;
			if (late > p->late_max)
				p->late_max = late;
		}
		pacer_advance(p);
	}
	p->launched += k;
	return k;
}

uint64_t
tcpd_pacer_due_by(const struct tcpd_pacer *p, uint64_t tsc)
{
	uint64_t t;
	u128 n;

	if (p->rate == 0 || tsc < p->start_tsc)
		return 0;
	t = tsc - p->start_tsc;
	if (t <= p->ramp_tsc && p->ramp_tsc > 0)
		n = (u128)p->rate * t * t / ((u128)2 * p->hz * p->ramp_tsc);
	else
		n = (u128)p->rate * (2 * (u128)t - p->ramp_tsc) / (2 * (u128)p->hz);
	return n < p->total ? (uint64_t)n : p->total;
}
