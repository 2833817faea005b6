/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "tcpd_stats.h"

static const struct {
	const char *name;
	const char *help;
	int kind;
} stat_desc[TCPD_STAT_MAX] = {
#define TCPD_STAT_DESC_(n, k, h) [TCPD_STAT_##n] = {#n, h, k},
	TCPD_STATS_ALL(TCPD_STAT_DESC_)
#undef TCPD_STAT_DESC_
};

const char *
tcpd_stats_name(enum tcpd_stat idx)
{
	return (unsigned int)idx < TCPD_STAT_MAX ? stat_desc[idx].name : NULL;
}

const char *
tcpd_stats_help(enum tcpd_stat idx)
{
	return (unsigned int)idx < TCPD_STAT_MAX ? stat_desc[idx].help : NULL;
}

int
tcpd_stats_kind(enum tcpd_stat idx)
{
	return (unsigned int)idx < TCPD_STAT_MAX ? stat_desc[idx].kind : TCPD_STAT_COUNTER;
}

void
tcpd_stats_snapshot(struct tcpd_stats *out, const struct tcpd_stats *in)
{
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++)
		out->c[i] = __atomic_load_n(&in->c[i], __ATOMIC_RELAXED);
	for (i = 0; i < TCPD_STATS_NSTATES; i++)
		out->state[i] = __atomic_load_n(&in->state[i], __ATOMIC_RELAXED);
}

void
tcpd_stats_sum(struct tcpd_stats *out, const struct tcpd_stats *const *in, unsigned int n)
{
	struct tcpd_stats one;
	unsigned int w, i;

	memset(out, 0, sizeof(*out));
	for (w = 0; w < n; w++) {
		tcpd_stats_snapshot(&one, in[w]);
		for (i = 0; i < TCPD_STAT_MAX; i++)
			out->c[i] += one.c[i];
		for (i = 0; i < TCPD_STATS_NSTATES; i++)
			out->state[i] += one.state[i];
	}
}
