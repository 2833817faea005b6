/* SPDX-License-Identifier: BSD-3-Clause */
/* The per-lcore TCP context: creation, teardown, clock and the public accessors. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "tcp_internal.h"

/* 1 ms ticks; 4096 slots cover 4 s, longer timers (idle) take extra rounds. */
#define TCP_WHEEL_SLOTS 4096

void
tcp_clock_set(struct tcpd_tcp_ctx *ctx, uint64_t now_tsc)
{
	ctx->now_tsc = now_tsc;
	ctx->now_ms = tcp_tsc_to_ms(ctx, now_tsc);
	/* Seconds and the cookie counter are wall-clock seconds (UNIX time, anchored once at
	 * creation and advanced by the TSC: no syscall here) so that the control thread and other
	 * machines sharing a cookie secret behind ECMP agree on the counter; recomputed at most
	 * once per ms. */
	if (unlikely(now_tsc - ctx->clock_tsc >= ctx->hz / 1000 || now_tsc < ctx->clock_tsc)) {
		ctx->clock_tsc = now_tsc;
		ctx->now_sec = (uint32_t)(now_tsc / ctx->hz + ctx->sec_base);
		ctx->cookie_count = ctx->now_sec / TCPD_COOKIE_PERIOD;
	}
}

static void
apps_fini(struct tcpd_tcp_ctx *ctx)
{
	unsigned int i;

	/* Only the services: the caller of tcpd_tcp_app_add owns what it added. */
	for (i = 0; i < TCPD_SVC_MAX; i++) {
		struct tcpd_app *a = &ctx->apps[i];

		if (a->ops != NULL && a->ops->fini != NULL)
			a->ops->fini(a);
		a->ops = NULL;
	}
}

/* Every application a listener names gets its per-lcore instance. */
static int
apps_init(struct tcpd_tcp_ctx *ctx, const struct tcpd_app_ops *const *ops, int socket_id)
{
	unsigned int i;

	for (i = 0; i < ctx->cfg->nb_listen; i++) {
		unsigned int svc = ctx->cfg->listen[i].service;
		struct tcpd_app *a = &ctx->apps[svc];
		int ret;

		if (a->ops != NULL)
			continue;
		if (svc >= TCPD_SVC_MAX || ops[svc] == NULL || ops[svc]->rx == NULL ||
		    ops[svc]->fill == NULL)
			return -EINVAL;
		a->ops = ops[svc];
		a->st = ctx->st;
		ret = a->ops->init != NULL ? a->ops->init(a, ctx->cfg, socket_id) : 0;
		if (ret < 0) {
			a->ops = NULL;
			return ret;
		}
	}
	return 0;
}

/* The connection table: control blocks, and TIME-WAIT entries in their own class (they never
 * take a live connection's slot). */
static struct tcpd_conn_table *
conn_table_create(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcp_params *prm)
{
	const struct tcpd_config *cfg = prm->cfg;
	struct tcpd_conn_params p = {
		.name = prm->name,
		.max_conns = cfg->max_conns,
		.entry_size = sizeof(struct tcpd_tcb),
		.small_size = sizeof(struct tcpd_tw),
		.socket_id = prm->socket_id,
	};

	ctx->max_tw = cfg->max_time_wait ? cfg->max_time_wait : RTE_MAX(cfg->max_conns / 4, 1u);
	p.small_max = ctx->max_tw;
	return tcpd_conn_table_create_params(&p);
}

struct tcpd_tcp_ctx *
tcpd_tcp_ctx_create(const struct tcpd_tcp_params *prm)
{
	const struct tcpd_config *cfg = prm->cfg;
	struct tcpd_tcp_ctx *ctx;
	unsigned int i;
	int ret;

	if (cfg == NULL || prm->ifc == NULL || prm->cookies == NULL || prm->pool == NULL ||
	    prm->stats == NULL || prm->tx == NULL || prm->name == NULL || prm->apps == NULL ||
	    cfg->nb_listen > TCPD_MAX_LISTENERS || prm->ifc->mtu < 128) {
		rte_errno = EINVAL;
		return NULL;
	}
	ctx = rte_zmalloc_socket("tcpd_tcp_ctx", sizeof(*ctx), RTE_CACHE_LINE_SIZE, prm->socket_id);
	if (ctx == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	ctx->cfg = cfg;
	ctx->ifc = prm->ifc;
	tcpd_net_tmpl4_init(&ctx->tmpl4, prm->ifc);
	ctx->cookies = prm->cookies;
	ctx->pool = prm->pool;
	ctx->st = prm->stats;
	ctx->tx = prm->tx;
	ctx->our_mss = (uint16_t)(prm->ifc->mtu - 40);
	ctx->hz = rte_get_tsc_hz();
	ctx->ms_mult = (uint64_t)(((unsigned __int128)1000 << TCP_MS_SHIFT) / ctx->hz);
	ctx->clock_tsc = 0;
	ctx->sec_base = (uint64_t)time(NULL) - rte_rdtsc() / ctx->hz;
	tcp_clock_set(ctx, rte_rdtsc());
	ctx->rst_cost = cfg->rst_rate ? ctx->hz / cfg->rst_rate : 0;
	ctx->rst_credit = ctx->hz; /* a full second of RSTs to start with */
	ctx->rst_last_tsc = ctx->now_tsc;
	for (i = 0; i < cfg->nb_listen; i++)
		ctx->listen_map[cfg->listen[i].port] = (uint8_t)(i + 1);
	ctx->nb_apps = TCPD_SVC_MAX;
	randombytes_buf(ctx->isn_key, sizeof(ctx->isn_key));
	ret = apps_init(ctx, prm->apps, prm->socket_id);
	if (ret < 0) {
		rte_errno = -ret;
		goto fail;
	}
	ctx->tbl = conn_table_create(ctx, prm);
	if (ctx->tbl == NULL)
		goto fail;
	ctx->hash_seed = tcpd_conn_hash_seed(ctx->tbl);
	ret = tcp_ip6_init(ctx, prm->name, prm->socket_id);
	if (ret < 0) {
		rte_errno = -ret;
		goto fail;
	}
	ctx->reclaim_rand = rte_rand() | 1;
	ret = tcp_reclaim_init(ctx, prm->socket_id);
	if (ret < 0) {
		rte_errno = -ret;
		goto fail;
	}
	ctx->wheel = tcpd_timer_wheel_create(TCP_WHEEL_SLOTS, ctx->now_ms, prm->socket_id);
	if (ctx->wheel == NULL || tcp_ext_init(ctx, prm->socket_id) != 0) {
		rte_errno = ENOMEM;
		goto fail;
	}
	return ctx;
fail:
	tcp_ip6_fini(ctx);
	tcpd_timer_wheel_free(ctx->wheel);
	if (ctx->tbl)
		tcpd_conn_table_free(ctx->tbl);
	tcp_reclaim_free(ctx);
	apps_fini(ctx);
	rte_free(ctx);
	return NULL;
}

void
tcpd_tcp_ctx_free(struct tcpd_tcp_ctx *ctx)
{
	uint32_t i, cap;

	if (ctx == NULL)
		return;
	cap = tcpd_conn_capacity(ctx->tbl);
	for (i = 0; i < cap; i++) {
		struct tcpd_conn_entry *e = tcpd_conn_at(ctx->tbl, i);

		if (tcpd_conn_entry_live(e)) {
			tcpd_timer_cancel(ctx->wheel, &tcpd_tcb_of(e)->timer);
			tcp_app_free(ctx, tcpd_tcb_of(e), TCPD_CLOSE_ABORT);
			tcp_ext_release(ctx, tcpd_tcb_of(e));
		}
	}
	tcp_ext_fini(ctx);
	tcpd_timer_wheel_free(ctx->wheel);
	tcpd_conn_table_free(ctx->tbl);
	tcp_ip6_fini(ctx);
	tcp_reclaim_free(ctx);
	apps_fini(ctx);
	rte_free(ctx);
}

void
tcpd_tcp_timers(struct tcpd_tcp_ctx *ctx, uint64_t now_tsc)
{
	tcp_clock_set(ctx, now_tsc);
	tcp_reass_pressure(ctx);
	if (ctx->now_ms > tcpd_timer_now(ctx->wheel)) {
		tcpd_timer_advance_budget(ctx->wheel, ctx->now_ms, tcp_timer_cb, ctx,
					  TCP_TIMER_BUDGET);
		tcp_tw_expire(ctx);
	}
}

void
tcpd_tcp_saturated(struct tcpd_tcp_ctx *ctx, bool on)
{
	ctx->saturated = on;
}

void
tcpd_tcp_refuse(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p)
{
	tcp_send_rst_reply(ctx, m, p);
}

struct tcpd_conn_table *
tcpd_tcp_table(struct tcpd_tcp_ctx *ctx)
{
	return ctx->tbl;
}

uint64_t
tcpd_tcp_conn_memory(const struct tcpd_tcp_ctx *ctx)
{
	return tcpd_conn_table_memory(ctx->tbl) +
	       (uint64_t)ctx->closing.size * (sizeof(*ctx->closing.tcb) + sizeof(uint32_t)) +
	       tcp_ip6_memory(ctx);
}

struct tcpd_tcb *
tcpd_tcp_lookup(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key)
{
	struct tcpd_conn_entry *e = tcpd_conn_lookup(ctx->tbl, key, tcpd_conn_hash(ctx->tbl, key));

	return e != NULL && !tcpd_entry_is_tw(e) ? tcpd_tcb_of(e) : NULL;
}

const struct tcpd_tw *
tcpd_tcp_lookup_tw(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key)
{
	struct tcpd_conn_entry *e = tcpd_conn_lookup(ctx->tbl, key, tcpd_conn_hash(ctx->tbl, key));

	return e != NULL && tcpd_entry_is_tw(e) ? tcpd_tw_of(e) : NULL;
}

unsigned int
tcpd_tcp_key_state(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key)
{
	struct tcpd_conn_entry *e = tcpd_conn_lookup(ctx->tbl, key, tcpd_conn_hash(ctx->tbl, key));

	if (e == NULL)
		return TCPD_CLOSED;
	return tcpd_entry_is_tw(e) ? TCPD_TIME_WAIT : tcpd_tcb_of(e)->state;
}

uint32_t
tcpd_tcp_clock_sec(const struct tcpd_tcp_ctx *ctx)
{
	return ctx->now_sec;
}

const struct tcpd_listener_stats *
tcpd_tcp_listener_stats(const struct tcpd_tcp_ctx *ctx)
{
	return ctx->lstats;
}

void
tcpd_tcp_isn_key_set(struct tcpd_tcp_ctx *ctx, const uint8_t key[16])
{
	memcpy(ctx->isn_key, key, sizeof(ctx->isn_key));
}

uint64_t
tcpd_tcp_ms_at(const struct tcpd_tcp_ctx *ctx, uint64_t tsc)
{
	return tcp_tsc_to_ms(ctx, tsc);
}

uint32_t
tcpd_tcp_isn_at(const struct tcpd_tcp_ctx *ctx, uint64_t ms, const struct tcpd_cookie_tuple *t)
{
	return tcp_isn_at(ctx, ms, t);
}

uint32_t
tcpd_tcp_isn6_at(const struct tcpd_tcp_ctx *ctx, uint64_t ms, const struct tcpd_cookie_tuple6 *t)
{
	return tcp_isn6_at(ctx, ms, t);
}
