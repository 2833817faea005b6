/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The /tcpd/... telemetry commands. Thin formatters over snapshots: every number comes from
 * tcpd_stats_snapshot/sum (relaxed loads), every name from the stats and config tables, so a
 * counter added to tcpd_stats.h shows up here without a change.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include "telemetry_internal.h"

/* 23.03 renamed the unsigned builders (the _u64 names are gone in 25.11). */
#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#define rte_tel_data_add_dict_uint  rte_tel_data_add_dict_u64
#define rte_tel_data_add_array_uint rte_tel_data_add_array_u64
#define RTE_TEL_UINT_VAL	    RTE_TEL_U64_VAL
#endif

/*
 * DPDK 22.11's telemetry splits each request in its thread per client with strtok(buffer, ",")
 * then strtok(NULL, "\0"). glibc keeps strtok's position in one static pointer for the whole
 * process: with two clients at once, one client's strtok can run between the other's two calls,
 * which then gets the first client's parameter or none (/tcpd/lcore,1 answered for another
 * lcore, or with the usage error; test_telemetry's concurrent clients saw it). This strtok keeps
 * the position per thread, the same semantics for any one thread. The dynamic linker looks in the
 * executable before libc, for librte_telemetry's calls too: the executable exports the symbol
 * since a shared library it links refers to it (test_strtok_per_thread checks both). It is here,
 * beside tcpd_telemetry_register, so that every program serving telemetry links it.
 */
static __thread char *tel_strtok_pos;

char *
strtok(char *restrict s, const char *restrict delim)
{
	return strtok_r(s, delim, &tel_strtok_pos);
}

static struct tcpd_telemetry_reg reg_copy;
/* The published registry (NULL when none) and the callbacks reading it. Sequentially consistent
 * on both sides: a callback either sees NULL or is seen by tcpd_telemetry_unregister's wait. */
static const struct tcpd_telemetry_reg *reg_ptr;
static uint32_t reg_busy;

static const struct tcpd_telemetry_reg *
reg_get(void)
{
	const struct tcpd_telemetry_reg *r;

	__atomic_add_fetch(&reg_busy, 1, __ATOMIC_SEQ_CST);
	r = __atomic_load_n(&reg_ptr, __ATOMIC_SEQ_CST);
	if (r == NULL)
		__atomic_sub_fetch(&reg_busy, 1, __ATOMIC_SEQ_CST);
	return r;
}

static void
reg_put(void)
{
	__atomic_sub_fetch(&reg_busy, 1, __ATOMIC_SEQ_CST);
}

static uint64_t
now_sec(void)
{
	return rte_rdtsc() / rte_get_tsc_hz();
}

/* Sum every worker's counters. */
static void
sum_all(const struct tcpd_telemetry_reg *r, struct tcpd_stats *out)
{
	const struct tcpd_stats *in[RTE_MAX_LCORE];
	unsigned int i, n = RTE_MIN(r->nb_workers, (unsigned int)RTE_MAX_LCORE);

	for (i = 0; i < n; i++)
		in[i] = &r->workers[i]->stats;
	tcpd_stats_sum(out, in, n);
}

static struct rte_tel_data *
states_dict(const struct tcpd_stats *s)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	unsigned int st;

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	for (st = 0; st < TCPD_TCP_NSTATES; st++)
		if (st != TCPD_CLOSED && st != TCPD_LISTEN)
			rte_tel_data_add_dict_uint(d, tcpd_tcp_state_name(st), s->state[st]);
	return d;
}

/* Every counter as "name": value, then "states": {...}. */
static void
add_stats(struct rte_tel_data *d, const struct tcpd_stats *s)
{
	struct rte_tel_data *st;
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++)
		rte_tel_data_add_dict_uint(d, tcpd_stats_name((enum tcpd_stat)i), s->c[i]);
	st = states_dict(s);
	if (st != NULL)
		rte_tel_data_add_dict_container(d, "states", st, 0);
}

static int
cmd_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = reg_get();
	struct tcpd_stats sum;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (r == NULL)
		return -EAGAIN;
	sum_all(r, &sum);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "workers", r->nb_workers);
	add_stats(d, &sum);
	reg_put();
	return 0;
}

static const struct tcpd_worker *
find_worker(const struct tcpd_telemetry_reg *r, unsigned int lcore)
{
	unsigned int i;

	for (i = 0; i < r->nb_workers; i++)
		if (r->workers[i]->lcore_id == lcore)
			return r->workers[i];
	return NULL;
}

static void
lcore_error(const struct tcpd_telemetry_reg *r, struct rte_tel_data *d, const char *why)
{
	struct rte_tel_data *ids = rte_tel_data_alloc();
	unsigned int i;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", why);
	if (ids == NULL)
		return;
	rte_tel_data_start_array(ids, RTE_TEL_UINT_VAL);
	for (i = 0; i < r->nb_workers; i++)
		rte_tel_data_add_array_uint(ids, r->workers[i]->lcore_id);
	rte_tel_data_add_dict_container(d, "workers", ids, 0);
}

static int
cmd_lcore(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = reg_get();
	const struct tcpd_worker *w = NULL;
	struct tcpd_stats s;
	char why[RTE_TEL_MAX_STRING_LEN];
	unsigned long id = 0;
	char *end = NULL;

	RTE_SET_USED(cmd);
	if (r == NULL)
		return -EAGAIN;
	if (params == NULL || params[0] < '0' || params[0] > '9') {
		snprintf(why, sizeof(why), "usage: /tcpd/lcore,<lcore id> (a worker lcore)");
	} else {
		id = strtoul(params, &end, 10);
		if (*end != '\0')
			snprintf(why, sizeof(why), "lcore id must be a decimal number");
		else if ((w = find_worker(
				  r, (unsigned int)RTE_MIN(id, (unsigned long)UINT32_MAX))) == NULL)
			snprintf(why, sizeof(why), "lcore %lu is not a worker", id);
	}
	if (w == NULL) {
		lcore_error(r, d, why);
		reg_put();
		return 0;
	}
	tcpd_stats_snapshot(&s, &w->stats);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "lcore", w->lcore_id);
	rte_tel_data_add_dict_uint(d, "port", w->port_id);
	rte_tel_data_add_dict_uint(d, "queue", w->queue_id);
	add_stats(d, &s);
	reg_put();
	return 0;
}

static int
cmd_lcores(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = reg_get();
	unsigned int i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (r == NULL)
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	for (i = 0; i < r->nb_workers; i++) {
		const struct tcpd_worker *w = r->workers[i];
		struct rte_tel_data *e = rte_tel_data_alloc();
		char key[16];

		if (e == NULL)
			break;
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_uint(e, "lcore", w->lcore_id);
		rte_tel_data_add_dict_uint(e, "port", w->port_id);
		rte_tel_data_add_dict_uint(e, "queue", w->queue_id);
		/* what busy_cycles counts in: busy share = its rate / tsc_hz */
		rte_tel_data_add_dict_uint(e, "tsc_hz", rte_get_tsc_hz());
		snprintf(key, sizeof(key), "%u", w->lcore_id);
		rte_tel_data_add_dict_container(d, key, e, 0);
	}
	reg_put();
	return 0;
}

static int
cmd_conns(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = reg_get();
	struct rte_tel_data *per, *st;
	struct tcpd_stats s;
	unsigned int i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (r == NULL)
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	sum_all(r, &s);
	rte_tel_data_add_dict_uint(d, "live", s.c[TCPD_STAT_conn_live]);
	/* IPv6 connections (also in "live") and the distinct IPv6 peers they come from. */
	rte_tel_data_add_dict_uint(d, "live_ip6", s.c[TCPD_STAT_conn_live6]);
	rte_tel_data_add_dict_uint(d, "ip6_peers", s.c[TCPD_STAT_ip6_peers]);
	st = states_dict(&s);
	if (st != NULL)
		rte_tel_data_add_dict_container(d, "total", st, 0);
	per = rte_tel_data_alloc();
	if (per != NULL) {
		rte_tel_data_start_dict(per);
		for (i = 0; i < r->nb_workers; i++) {
			char key[16];

			tcpd_stats_snapshot(&s, &r->workers[i]->stats);
			st = states_dict(&s);
			if (st == NULL)
				break;
			snprintf(key, sizeof(key), "%u", r->workers[i]->lcore_id);
			rte_tel_data_add_dict_container(per, key, st, 0);
		}
		rte_tel_data_add_dict_container(d, "lcores", per, 0);
	}
	reg_put();
	return 0;
}

static int
cmd_listeners(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = reg_get();
	unsigned int l, i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (r == NULL)
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	for (l = 0; l < r->cfg->nb_listen; l++) {
		struct rte_tel_data *e = rte_tel_data_alloc();
		uint64_t accepted = 0, reset = 0;
		char key[8];

		if (e == NULL)
			break;
		for (i = 0; i < r->nb_workers; i++) {
			const struct tcpd_listener_stats *ls;

			/* A worker without a TCP context (tests) has served nothing. */
			if (r->workers[i]->tcp == NULL)
				continue;
			ls = tcpd_tcp_listener_stats(r->workers[i]->tcp);
			accepted += __atomic_load_n(&ls[l].accepted, __ATOMIC_RELAXED);
			reset += __atomic_load_n(&ls[l].reset, __ATOMIC_RELAXED);
		}
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_uint(e, "port", r->cfg->listen[l].port);
		rte_tel_data_add_dict_string(e, "service",
					     tcpd_config_service_name(r->cfg->listen[l].service));
		rte_tel_data_add_dict_uint(e, "accepted", accepted);
		rte_tel_data_add_dict_uint(e, "reset", reset);
		snprintf(key, sizeof(key), "%u", r->cfg->listen[l].port);
		rte_tel_data_add_dict_container(d, key, e, 0);
	}
	reg_put();
	return 0;
}

/*
 * "listen" as an array of "PORT:SERVICE" strings: a telemetry string value holds at most
 * RTE_TEL_MAX_STRING_LEN - 1 (127) characters in DPDK 22.11, and 16 listeners take up to 223 as
 * one list. Each item is the --listen syntax; joined with ',' they are the option's value.
 */
static struct rte_tel_data *
listen_array(const struct tcpd_config *cfg)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int l;

	if (a == NULL)
		return NULL;
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	for (l = 0; l < cfg->nb_listen; l++) {
		char item[32];

		snprintf(item, sizeof(item), "%u:%s", cfg->listen[l].port,
			 tcpd_config_service_name(cfg->listen[l].service));
		rte_tel_data_add_array_string(a, item);
	}
	return a;
}

static int
cmd_config(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = reg_get();
	unsigned int i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (r == NULL)
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	/* tcpd_config_option never renders the secret ("set" or "random"). */
	for (i = 0; i < tcpd_config_nb_options(); i++) {
		char val[TCPD_CONFIG_VALUE_MAX];
		const char *key = tcpd_config_option(r->cfg, i, val, sizeof(val));
		size_t n = strlen(val);

		if (strcmp(key, "listen") == 0) {
			struct rte_tel_data *a = listen_array(r->cfg);

			if (a != NULL)
				rte_tel_data_add_dict_container(d, key, a, 0);
		} else if (n > 0 && n < 11 && strspn(val, "0123456789") == n) {
			rte_tel_data_add_dict_uint(d, key, strtoull(val, NULL, 10));
		} else if (n < RTE_TEL_MAX_STRING_LEN) {
			rte_tel_data_add_dict_string(d, key, val);
		} else {
			/* Only the config path can be longer than a telemetry string: its end,
			 * marked as cut, rather than a silent cut. */
			char tail[RTE_TEL_MAX_STRING_LEN];

			snprintf(tail, sizeof(tail), "...%s", val + n - (sizeof(tail) - 4));
			rte_tel_data_add_dict_string(d, key, tail);
		}
	}
	reg_put();
	return 0;
}

static int
cmd_cookies(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = reg_get();
	uint64_t rotations, born, now;
	struct tcpd_stats s;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (r == NULL)
		return -EAGAIN;
	sum_all(r, &s);
	rotations = __atomic_load_n(&r->cookies->rotations, __ATOMIC_RELAXED);
	born = rotations ? __atomic_load_n(&r->cookies->rotated_at, __ATOMIC_RELAXED)
			 : r->secret_born_sec;
	now = now_sec();
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "mode", tcpd_config_syncookies_name(r->cfg->syncookies));
	rte_tel_data_add_dict_uint(d, "sent", s.c[TCPD_STAT_cookie_sent]);
	rte_tel_data_add_dict_uint(d, "ok", s.c[TCPD_STAT_cookie_ok]);
	rte_tel_data_add_dict_uint(d, "bad", s.c[TCPD_STAT_cookie_bad]);
	rte_tel_data_add_dict_uint(d, "expired", s.c[TCPD_STAT_cookie_expired]);
	rte_tel_data_add_dict_uint(d, "synq_full", s.c[TCPD_STAT_synq_full]);
	rte_tel_data_add_dict_uint(d, "rotations", rotations);
	rte_tel_data_add_dict_uint(d, "rotate_interval", r->cfg->cookie_rotate);
	rte_tel_data_add_dict_string(d, "secret", r->cfg->cookie_secret_set ? "set" : "random");
	rte_tel_data_add_dict_uint(d, "secret_age", now > born ? now - born : 0);
	reg_put();
	return 0;
}

int
tcpd_telemetry_port_param(const char *params, uint16_t port, char *why, size_t len)
{
	unsigned long id;
	char *end;

	if (params == NULL || params[0] == '\0')
		return 0;
	if (params[0] < '0' || params[0] > '9') {
		snprintf(why, len, "usage: /tcpd/port or /tcpd/port,%u", port);
		return -1;
	}
	id = strtoul(params, &end, 10); /* too large: ULONG_MAX, not the port either */
	if (*end != '\0') {
		snprintf(why, len, "port id must be a decimal number");
		return -1;
	}
	if (id != port) {
		snprintf(why, len, "port %lu is not served by dpdk-tcpd (port %u is)", id, port);
		return -1;
	}
	return 0;
}

/*
 * The port's own counters next to the workers': a packet the NIC dropped (imissed: RX ring full,
 * the workers did not keep up; rx_nombuf; ierrors) never reaches a worker counter. Reading them
 * here, on a telemetry thread, is what DPDK 22.11's own /ethdev/stats,<port> does (lib/ethdev
 * registers it from an RTE_INIT constructor; its callback calls rte_eth_stats_get on the
 * client's thread): rte_ethdev.h only forbids calling one function on one queue from two lcores
 * at once, and the vdevs' stats_get reads what each queue's poller counts (one burst old at
 * worst). The registry (and so the port) stays valid until
 * tcpd_telemetry_unregister, which main() calls before closing the port. Per queue: the counters
 * of the queues the workers poll, keyed by worker lcore.
 */
/* /tcpd/port's "queues": each worker's queue counters, keyed by its lcore. */
static void
port_queues(struct rte_tel_data *d, const struct tcpd_telemetry_reg *r,
	    const struct rte_eth_stats *s)
{
	struct rte_tel_data *qd = rte_tel_data_alloc();
	unsigned int i;

	if (qd == NULL)
		return;
	rte_tel_data_start_dict(qd);
	for (i = 0; i < r->nb_workers; i++) {
		const struct tcpd_worker *w = r->workers[i];
		struct rte_tel_data *e;
		char key[16];

		if (w->queue_id >= RTE_ETHDEV_QUEUE_STAT_CNTRS)
			continue;
		e = rte_tel_data_alloc();
		if (e == NULL)
			break;
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_uint(e, "queue", w->queue_id);
		rte_tel_data_add_dict_uint(e, "ipackets", s->q_ipackets[w->queue_id]);
		rte_tel_data_add_dict_uint(e, "opackets", s->q_opackets[w->queue_id]);
		rte_tel_data_add_dict_uint(e, "ibytes", s->q_ibytes[w->queue_id]);
		rte_tel_data_add_dict_uint(e, "obytes", s->q_obytes[w->queue_id]);
		rte_tel_data_add_dict_uint(e, "errors", s->q_errors[w->queue_id]);
		snprintf(key, sizeof(key), "%u", w->lcore_id);
		rte_tel_data_add_dict_container(qd, key, e, 0);
	}
	rte_tel_data_add_dict_container(d, "queues", qd, 0);
}

static int
cmd_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct tcpd_telemetry_reg *r = reg_get();
	struct rte_eth_dev_info info;
	struct rte_eth_link link;
	struct rte_eth_stats s;
	char why[RTE_TEL_MAX_STRING_LEN], ifname[IF_NAMESIZE];
	uint16_t port;
	int rc;

	RTE_SET_USED(cmd);
	if (r == NULL)
		return -EAGAIN;
	if (r->nb_workers == 0) {
		reg_put();
		return -EAGAIN;
	}
	port = r->workers[0]->port_id;
	rte_tel_data_start_dict(d);
	if (tcpd_telemetry_port_param(params, port, why, sizeof(why)) != 0) {
		rte_tel_data_add_dict_string(d, "error", why);
		rte_tel_data_add_dict_uint(d, "port", port);
		reg_put();
		return 0;
	}
	rc = rte_eth_stats_get(port, &s);
	if (rc != 0) {
		rte_tel_data_add_dict_string(d, "error", rte_strerror(-rc));
		reg_put();
		return 0;
	}
	rte_tel_data_add_dict_uint(d, "port", port);
	if (rte_eth_dev_info_get(port, &info) == 0) {
		rte_tel_data_add_dict_string(d, "driver", info.driver_name);
		/* A port backed by a kernel interface (net_af_packet, net_tap) names it, so that a
		 * client on this host can put the kernel's own counters next to these. */
		if (info.if_index != 0 && if_indextoname(info.if_index, ifname) != NULL)
			rte_tel_data_add_dict_string(d, "ifname", ifname);
	}
	if (rte_eth_link_get_nowait(port, &link) == 0) {
		rte_tel_data_add_dict_uint(d, "link_up", link.link_status);
		rte_tel_data_add_dict_uint(d, "link_speed_mbps", link.link_speed);
	}
	rte_tel_data_add_dict_uint(d, "ipackets", s.ipackets);
	rte_tel_data_add_dict_uint(d, "opackets", s.opackets);
	rte_tel_data_add_dict_uint(d, "ibytes", s.ibytes);
	rte_tel_data_add_dict_uint(d, "obytes", s.obytes);
	rte_tel_data_add_dict_uint(d, "imissed", s.imissed);
	rte_tel_data_add_dict_uint(d, "ierrors", s.ierrors);
	rte_tel_data_add_dict_uint(d, "oerrors", s.oerrors);
	rte_tel_data_add_dict_uint(d, "rx_nombuf", s.rx_nombuf);
	port_queues(d, r, &s);
	reg_put();
	return 0;
}

static const struct {
	const char *name;
	telemetry_cb fn;
	const char *help;
} cmds[] = {
	{"/tcpd/stats", cmd_stats,
	 "dpdk-tcpd counters summed over workers, with live connections "
	 "per TCP state. No parameters."},
	{"/tcpd/lcore", cmd_lcore,
	 "One worker's counters. Parameter: lcore id (see /tcpd/lcores)."},
	{"/tcpd/lcores", cmd_lcores, "dpdk-tcpd workers: lcore, port, queue. No parameters."},
	{"/tcpd/conns", cmd_conns,
	 "Live connections per TCP state, total and per worker lcore; IPv6 ones (live_ip6), their "
	 "peers (ip6_peers). No parameters."},
	{"/tcpd/listeners", cmd_listeners,
	 "Listening ports: service, connections accepted and reset. No parameters."},
	{"/tcpd/config", cmd_config,
	 "Effective dpdk-tcpd configuration (the cookie secret is never shown). No parameters."},
	{"/tcpd/cookies", cmd_cookies,
	 "SYN cookies: mode, sent, ok, bad, expired, rotations, secret_age (s). No parameters."},
	{"/tcpd/port", cmd_port,
	 "The port's own counters (rte_eth_stats: imissed = RX ring full), total and per worker "
	 "queue. Parameter: none, or the port id."},
	{"/tcpd/client", tcpd_telemetry_cmd_client,
	 "Client mode: launches, connections and failures by reason, summed over lcores. No "
	 "parameters."},
	{"/tcpd/client/latency", tcpd_telemetry_cmd_client_latency,
	 "Client mode: latency percentiles (ns) per histogram, merged over lcores. No parameters."},
};

int
tcpd_telemetry_register(const struct tcpd_telemetry_reg *reg)
{
	static bool registered;
	unsigned int i;
	int rc;

	tcpd_telemetry_unregister();
	reg_copy = *reg;
	__atomic_store_n(&reg_ptr, &reg_copy, __ATOMIC_SEQ_CST);
	if (registered)
		return 0;
	for (i = 0; i < RTE_DIM(cmds); i++) {
		rc = rte_telemetry_register_cmd(cmds[i].name, cmds[i].fn, cmds[i].help);
		if (rc < 0)
			return rc;
	}
	registered = true;
	return 0;
}

void
tcpd_telemetry_unregister(void)
{
	__atomic_store_n(&reg_ptr, NULL, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&reg_busy, __ATOMIC_SEQ_CST) != 0)
		rte_pause();
}

const struct tcpd_telemetry_reg *
tcpd_telemetry_reg_get(void)
{
	return reg_get();
}

void
tcpd_telemetry_reg_put(void)
{
	reg_put();
}
