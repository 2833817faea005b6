/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Client mode's telemetry:
 *   /tcpd/client          "active" (0: no --connect), "lcores", every load counter summed over
 *                         the lcores (tcpd_load.h: scheduled, attempted, established, completed,
 *                         failed, ..., the conc_* gauges) and failed_<reason> for each reason
 *   /tcpd/client/latency  per histogram (connect, connect_sched, first_byte, ...): count, min,
 *                         mean, p50, p90, p99, p999, max in ns, merged over the lcores; buckets
 *                         2^-7 wide, so each percentile is within 0.4 % of a recorded value
 */
#include <errno.h>
#include <stdio.h>

#include <rte_malloc.h>

#include "telemetry_internal.h"

/* The engines of the registry's workers; @return how many. */
static unsigned int
loads_of(const struct tcpd_telemetry_reg *r, struct tcpd_load **out)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->nb_workers && i < RTE_MAX_LCORE; i++)
		if (r->workers[i]->load != NULL)
			out[n++] = r->workers[i]->load;
	return n;
}

int
tcpd_telemetry_cmd_client(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = tcpd_telemetry_reg_get();
	struct tcpd_load *loads[RTE_MAX_LCORE];
	struct tcpd_load_stats sum = {0};
	unsigned int n, i, k;
	char key[64];

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (r == NULL)
		return -EAGAIN;
	n = loads_of(r, loads);
	for (i = 0; i < n; i++) {
		const struct tcpd_load_stats *s = tcpd_load_stats(loads[i]);

		for (k = 0; k < TCPD_LOAD_CNT_MAX; k++)
			sum.c[k] += __atomic_load_n(&s->c[k], __ATOMIC_RELAXED);
		for (k = 0; k < TCPD_LOAD_FAIL_MAX; k++)
			sum.fail[k] += __atomic_load_n(&s->fail[k], __ATOMIC_RELAXED);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "active", n != 0);
	rte_tel_data_add_dict_uint(d, "lcores", n);
	for (k = 0; k < TCPD_LOAD_CNT_MAX; k++)
		rte_tel_data_add_dict_uint(d, tcpd_load_counter_name(k), sum.c[k]);
	for (k = 0; k < TCPD_LOAD_FAIL_MAX; k++) {
		snprintf(key, sizeof(key), "failed_%s", tcpd_load_fail_name(k));
		rte_tel_data_add_dict_uint(d, key, sum.fail[k]);
	}
	tcpd_telemetry_reg_put();
	return 0;
}

int
tcpd_telemetry_cmd_client_latency(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = tcpd_telemetry_reg_get();
	struct tcpd_load *loads[RTE_MAX_LCORE];
	struct tcpd_lat *h;
	unsigned int n, i, k;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (r == NULL)
		return -EAGAIN;
	h = rte_malloc("tcpd_tel_lat", sizeof(*h), RTE_CACHE_LINE_SIZE);
	if (h == NULL) {
		tcpd_telemetry_reg_put();
		return -ENOMEM;
	}
	n = loads_of(r, loads);
	rte_tel_data_start_dict(d);
	for (k = 0; k < TCPD_LOAD_LAT_MAX; k++) {
		struct rte_tel_data *o = rte_tel_data_alloc();
		struct tcpd_lat_summary s;

		if (o == NULL)
			break;
		tcpd_lat_reset(h);
		for (i = 0; i < n; i++)
			tcpd_lat_merge(h, tcpd_load_lat(loads[i], k));
		tcpd_lat_summarize(h, &s);
		rte_tel_data_start_dict(o);
		rte_tel_data_add_dict_uint(o, "count", s.count);
		rte_tel_data_add_dict_uint(o, "min_ns", s.min);
		rte_tel_data_add_dict_uint(o, "mean_ns", s.mean);
		rte_tel_data_add_dict_uint(o, "p50_ns", s.p50);
		rte_tel_data_add_dict_uint(o, "p90_ns", s.p90);
		rte_tel_data_add_dict_uint(o, "p99_ns", s.p99);
		rte_tel_data_add_dict_uint(o, "p999_ns", s.p999);
		rte_tel_data_add_dict_uint(o, "max_ns", s.max);
		rte_tel_data_add_dict_container(d, tcpd_load_lat_name(k), o, 0);
	}
	rte_free(h);
	tcpd_telemetry_reg_put();
	return 0;
}
