/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Client mode's reports, for the control thread: snapshots summed over the lcores, the
 * per-second line, the JSON-lines report (tools/tcpd-chart's schema) and the final summary.
 * Off the fast path: everything here reads the lcores' counters with relaxed loads.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "tcpd_load.h"

void
tcpd_load_snapshot(struct tcpd_load_snap *out, struct tcpd_load *const *ld,
		   const struct tcpd_stats *const *wst, unsigned int nb, uint64_t tsc)
{
	unsigned int i, k;

	memset(&out->st, 0, sizeof(out->st));
	out->tsc = tsc;
	out->due = 0;
	for (k = 0; k < TCPD_LOAD_LAT_MAX; k++)
		tcpd_lat_reset(&out->lat[k]);
	for (i = 0; i < nb; i++) {
		const struct tcpd_load_stats *s = tcpd_load_stats(ld[i]);

		for (k = 0; k < TCPD_LOAD_CNT_MAX; k++)
			out->st.c[k] += __atomic_load_n(&s->c[k], __ATOMIC_RELAXED);
		for (k = 0; k < TCPD_LOAD_FAIL_MAX; k++)
			out->st.fail[k] += __atomic_load_n(&s->fail[k], __ATOMIC_RELAXED);
		for (k = 0; k < TCPD_LOAD_LAT_MAX; k++)
			tcpd_lat_merge(&out->lat[k], tcpd_load_lat(ld[i], k));
		out->due += tcpd_load_due_by(ld[i], tsc);
	}
	tcpd_stats_sum(&out->wst, wst, nb);
}

static uint64_t
d(const struct tcpd_load_snap *a, const struct tcpd_load_snap *b, enum tcpd_load_counter i)
{
	return b->st.c[i] >= a->st.c[i] ? b->st.c[i] - a->st.c[i] : 0;
}

static double
per_s(uint64_t n, double secs)
{
	return secs > 0 ? (double)n / secs : 0;
}

static uint64_t
rst_rcvd(const struct tcpd_stats *s)
{
	return s->c[TCPD_STAT_rst_rx] + s->c[TCPD_STAT_connect_refused];
}

/* "123us" or "4.5ms" style, from ns; "-" without samples. */
static void
dur(char *buf, size_t len, uint64_t count, uint64_t ns)
{
	if (count == 0)
		snprintf(buf, len, "-");
	else if (ns < 10000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else if (ns < 10000000)
		snprintf(buf, len, "%.0fus", (double)ns / 1e3);
	else
		snprintf(buf, len, "%.1fms", (double)ns / 1e6);
}

void
tcpd_load_format_line(char *buf, size_t len, const struct tcpd_load_snap *prev,
		      const struct tcpd_load_snap *cur, double t, uint64_t hz)
{
	double secs = hz ? (double)(cur->tsc - prev->tsc) / (double)hz : 0;
	struct tcpd_lat iv;
	struct tcpd_lat_summary cs, rs;
	char c50[16], c99[16], r50[16], r99[16], reasons[256];
	size_t used = 0;
	unsigned int k;

	tcpd_lat_diff(&iv, &cur->lat[TCPD_LOAD_LAT_connect], &prev->lat[TCPD_LOAD_LAT_connect]);
	tcpd_lat_summarize(&iv, &cs);
	tcpd_lat_diff(&iv, &cur->lat[TCPD_LOAD_LAT_response], &prev->lat[TCPD_LOAD_LAT_response]);
	tcpd_lat_summarize(&iv, &rs);
	dur(c50, sizeof(c50), cs.count, cs.p50);
	dur(c99, sizeof(c99), cs.count, cs.p99);
	dur(r50, sizeof(r50), rs.count, rs.p50);
	dur(r99, sizeof(r99), rs.count, rs.p99);
	reasons[0] = '\0';
	for (k = 0; k < TCPD_LOAD_FAIL_MAX && used < sizeof(reasons); k++) {
		int n;

		if (cur->st.fail[k] == 0)
			continue;
		n = snprintf(reasons + used, sizeof(reasons) - used, "%s%s=%" PRIu64,
			     used ? " " : " (", tcpd_load_fail_name(k), cur->st.fail[k]);
		if (n > 0)
			used += (size_t)n;
	}
	if (used && used + 1 < sizeof(reasons))
		strcat(reasons, ")");
	snprintf(buf, len,
		 "client t=%.0f: cps %.0f/%.0f rps %.0f, conc syn %" PRIu64 " est %" PRIu64
		 " closing %" PRIu64 ", attempted %" PRIu64 " established %" PRIu64
		 " completed %" PRIu64 " failed %" PRIu64 "%s, retx %" PRIu64 " rst tx/rx %" PRIu64
		 "/%" PRIu64 ", late %" PRIu64 " refused %" PRIu64 ", tx drops %" PRIu64
		 " redirected %" PRIu64 ", connect p50 %s p99 %s, response p50 %s p99 %s",
		 t, per_s(d(prev, cur, TCPD_LOAD_established), secs),
		 per_s(cur->due >= prev->due ? cur->due - prev->due : 0, secs),
		 per_s(d(prev, cur, TCPD_LOAD_responses), secs), cur->st.c[TCPD_LOAD_conc_syn_sent],
		 cur->st.c[TCPD_LOAD_conc_established], cur->st.c[TCPD_LOAD_conc_closing],
		 cur->st.c[TCPD_LOAD_attempted], cur->st.c[TCPD_LOAD_established],
		 cur->st.c[TCPD_LOAD_completed], cur->st.c[TCPD_LOAD_failed], reasons,
		 cur->wst.c[TCPD_STAT_retransmit], cur->wst.c[TCPD_STAT_rst_tx],
		 rst_rcvd(&cur->wst), cur->st.c[TCPD_LOAD_late], cur->st.c[TCPD_LOAD_refused],
		 cur->wst.c[TCPD_STAT_tx_drop] + cur->wst.c[TCPD_STAT_drop_nombuf],
		 cur->wst.c[TCPD_STAT_redirect_tx], c50, c99, r50, r99);
}

static void
json_lat(FILE *f, const char *name, const struct tcpd_lat *h)
{
	struct tcpd_lat_summary s;

	tcpd_lat_summarize(h, &s);
	if (s.count == 0) {
		fprintf(f,
			", \"lat_%s_p50\": null, \"lat_%s_p90\": null, \"lat_%s_p99\": null, "
			"\"lat_%s_p999\": null, \"lat_%s_max\": null, \"lat_%s_count\": 0",
			name, name, name, name, name, name);
		return;
	}
	fprintf(f,
		", \"lat_%s_p50\": %.3f, \"lat_%s_p90\": %.3f, \"lat_%s_p99\": %.3f, "
		"\"lat_%s_p999\": %.3f, \"lat_%s_max\": %.3f, \"lat_%s_count\": %" PRIu64,
		name, s.p50 / 1e3, name, s.p90 / 1e3, name, s.p99 / 1e3, name, s.p999 / 1e3, name,
		s.max / 1e3, name, s.count);
}

static void
json_config(FILE *f, const struct tcpd_config *cfg, unsigned int nb_lcores)
{
	const struct tcpd_client_config *cc = &cfg->client;
	char a[INET6_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	uint32_t i, ip;

	fprintf(f, ", \"config\": {\"connect\": [");
	for (i = 0; i < cc->nb_targets; i++) {
		const struct tcpd_target *t = &cc->target[i];

		if (t->v6)
			inet_ntop(AF_INET6, t->ip6, a, sizeof(a));
		else
			inet_ntop(AF_INET, &t->ip, a, sizeof(a));
		fprintf(f, "%s\"%s%s%s:%u:%s\"", i ? ", " : "", t->v6 ? "[" : "", a,
			t->v6 ? "]" : "", t->port, tcpd_config_service_name(t->app));
	}
	ip = cc->src_ip_first ? htonl(cc->src_ip_first) : cfg->ip;
	inet_ntop(AF_INET, &ip, a, sizeof(a));
	ip = cc->src_ip_first ? htonl(cc->src_ip_last) : cfg->ip;
	inet_ntop(AF_INET, &ip, b, sizeof(b));
	fprintf(f,
		"], \"cps\": %u, \"concurrency\": %u, \"requests\": %u, \"ramp\": %u, "
		"\"duration\": %u, \"drain\": %u, \"payload\": %u, \"response_timeout\": %u, "
		"\"lcores\": %u, \"src_ip\": \"%s-%s\", \"src_ports\": \"%u-%u\"",
		cc->cps, cc->concurrency, cc->requests, cc->ramp, cc->duration, cc->drain,
		cc->payload, cc->response_timeout, nb_lcores, a, b, cc->src_port_first,
		cc->src_port_last);
	if (cc->gateway) {
		inet_ntop(AF_INET, &cc->gateway, a, sizeof(a));
		fprintf(f, ", \"gateway\": \"%s\"", a);
	}
	fprintf(f, "}");
}

void
tcpd_load_json(FILE *f, const struct tcpd_load_snap *prev, const struct tcpd_load_snap *cur,
	       double t, uint64_t hz, int final, const struct tcpd_config *cfg,
	       unsigned int nb_lcores, int exit_status)
{
	double secs = hz ? (double)(cur->tsc - prev->tsc) / (double)hz : 0;
	struct tcpd_lat iv;
	unsigned int k;

	if (final)
		fprintf(f, "{\"final\": true, \"t\": %.3f", t);
	else
		fprintf(f, "{\"t\": %.3f", t);
	fprintf(f, ", \"target_cps\": %.1f, \"cps\": %.1f, \"rps\": %.1f",
		per_s(cur->due >= prev->due ? cur->due - prev->due : 0, secs),
		per_s(d(prev, cur, TCPD_LOAD_established), secs),
		per_s(d(prev, cur, TCPD_LOAD_responses), secs));
	fprintf(f,
		", \"conc_syn_sent\": %" PRIu64 ", \"conc_established\": %" PRIu64
		", \"conc_closing\": %" PRIu64,
		cur->st.c[TCPD_LOAD_conc_syn_sent], cur->st.c[TCPD_LOAD_conc_established],
		cur->st.c[TCPD_LOAD_conc_closing]);
	for (k = 0; k < TCPD_LOAD_CNT_MAX; k++)
		if (strncmp(tcpd_load_counter_name(k), "conc_", 5) != 0)
			fprintf(f, ", \"%s\": %" PRIu64, tcpd_load_counter_name(k), cur->st.c[k]);
	for (k = 0; k < TCPD_LOAD_FAIL_MAX; k++)
		fprintf(f, ", \"failed_%s\": %" PRIu64, tcpd_load_fail_name(k), cur->st.fail[k]);
	fprintf(f,
		", \"retransmits\": %" PRIu64 ", \"rst_sent\": %" PRIu64 ", \"rst_rcvd\": %" PRIu64
		", \"tx_drop\": %" PRIu64 ", \"redirected\": %" PRIu64,
		cur->wst.c[TCPD_STAT_retransmit], cur->wst.c[TCPD_STAT_rst_tx], rst_rcvd(&cur->wst),
		cur->wst.c[TCPD_STAT_tx_drop] + cur->wst.c[TCPD_STAT_drop_nombuf],
		cur->wst.c[TCPD_STAT_redirect_tx]);
	for (k = 0; k < TCPD_LOAD_LAT_MAX; k++) {
		if (final) {
			json_lat(f, tcpd_load_lat_name(k), &cur->lat[k]);
		} else {
			tcpd_lat_diff(&iv, &cur->lat[k], &prev->lat[k]);
			json_lat(f, tcpd_load_lat_name(k), &iv);
		}
	}
	if (final) {
		json_config(f, cfg, nb_lcores);
		fprintf(f, ", \"exit_status\": %d", exit_status);
	}
	fprintf(f, "}\n");
	fflush(f);
}

void
tcpd_load_print_final(FILE *f, const struct tcpd_load_snap *start, const struct tcpd_load_snap *end,
		      double secs)
{
	unsigned int k;

	fprintf(f,
		"client totals over %.1f s: attempted %" PRIu64 " established %" PRIu64
		" completed %" PRIu64 " failed %" PRIu64 " requests %" PRIu64 " responses %" PRIu64
		" (%.0f conn/s, %.0f resp/s), late %" PRIu64 " refused %" PRIu64
		" (concurrency cap %" PRIu64 "), misrouted %" PRIu64 ", response bytes %" PRIu64
		"\n",
		secs, end->st.c[TCPD_LOAD_attempted], end->st.c[TCPD_LOAD_established],
		end->st.c[TCPD_LOAD_completed], end->st.c[TCPD_LOAD_failed],
		end->st.c[TCPD_LOAD_requests], end->st.c[TCPD_LOAD_responses],
		per_s(d(start, end, TCPD_LOAD_established), secs),
		per_s(d(start, end, TCPD_LOAD_responses), secs), end->st.c[TCPD_LOAD_late],
		end->st.c[TCPD_LOAD_refused], end->st.c[TCPD_LOAD_refused_cap],
		end->st.c[TCPD_LOAD_misrouted], end->st.c[TCPD_LOAD_rx_payload]);
	for (k = 0; k < TCPD_LOAD_FAIL_MAX; k++)
		if (end->st.fail[k] != 0)
			fprintf(f, "  failed %-18s %" PRIu64 "\n", tcpd_load_fail_name(k),
				end->st.fail[k]);
	fprintf(f, "  latency (us)       %10s %10s %10s %10s %10s %10s\n", "count", "p50", "p90",
		"p99", "p99.9", "max");
	for (k = 0; k < TCPD_LOAD_LAT_MAX; k++) {
		struct tcpd_lat_summary s;

		tcpd_lat_summarize(&end->lat[k], &s);
		fprintf(f, "  %-18s %10" PRIu64 " %10.1f %10.1f %10.1f %10.1f %10.1f\n",
			tcpd_load_lat_name(k), s.count, s.p50 / 1e3, s.p90 / 1e3, s.p99 / 1e3,
			s.p999 / 1e3, s.max / 1e3);
	}
	fprintf(f, "  (histogram buckets 2^-7 wide: each percentile within 0.4 %% of a recorded "
		   "value; _sched rows timed from the scheduled launch)\n");
	fflush(f);
}
