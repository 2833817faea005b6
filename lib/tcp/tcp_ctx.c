/* SPDX-License-Identifier: BSD-3-Clause */
/* The per-lcore TCP context: creation, teardown, clock and the public accessors. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "tcp_internal.h"

/* 1 ms ticks; 4096 slots cover 4 s, longer timers (TIME-WAIT) take extra rounds. */
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

struct tcpd_tcp_ctx *
tcpd_tcp_ctx_create(const struct tcpd_config *cfg, const struct tcpd_iface *ifc,
		    const struct tcpd_cookie_store *cookies, struct rte_mempool *pool,
		    struct tcpd_stats *stats, struct tcpd_tx *tx, const char *name, int socket_id)
{
	struct tcpd_tcp_ctx *ctx;
	unsigned int i;

	if (cfg == NULL || ifc == NULL || cookies == NULL || pool == NULL || stats == NULL ||
	    tx == NULL || name == NULL || cfg->nb_listen > TCPD_MAX_LISTENERS || ifc->mtu < 128 ||
	    cfg->http_body_size > (1u << 30)) {
		rte_errno = EINVAL;
		return NULL;
	}
	ctx = rte_zmalloc_socket("tcpd_tcp_ctx", sizeof(*ctx), RTE_CACHE_LINE_SIZE, socket_id);
	if (ctx == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	ctx->cfg = cfg;
	ctx->ifc = ifc;
	ctx->cookies = cookies;
	ctx->pool = pool;
	ctx->st = stats;
	ctx->tx = tx;
	ctx->our_mss = (uint16_t)(ifc->mtu - 40);
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
	tcp_http_init(ctx);

	ctx->tbl = tcpd_conn_table_create(name, cfg->max_conns, socket_id);
	if (ctx->tbl == NULL)
		goto fail;
	ctx->wheel = tcpd_timer_wheel_create(TCP_WHEEL_SLOTS, ctx->now_ms, socket_id);
	if (ctx->wheel == NULL) {
		rte_errno = ENOMEM;
		goto fail;
	}
	return ctx;
fail:
	if (ctx->tbl)
		tcpd_conn_table_free(ctx->tbl);
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
		struct tcpd_conn *c = tcpd_conn_at(ctx->tbl, i);

		if (tcpd_conn_live(ctx->tbl, c)) {
			tcpd_timer_cancel(ctx->wheel, &c->timer);
			tcp_svc_free(c);
		}
	}
	tcpd_timer_wheel_free(ctx->wheel);
	tcpd_conn_table_free(ctx->tbl);
	rte_free(ctx);
}

void
tcpd_tcp_timers(struct tcpd_tcp_ctx *ctx, uint64_t now_tsc)
{
	tcp_clock_set(ctx, now_tsc);
	ctx->burst.n = 0;
	if (ctx->now_ms > tcpd_timer_now(ctx->wheel))
		tcpd_timer_advance_budget(ctx->wheel, ctx->now_ms, tcp_timer_cb, ctx,
					  TCP_TIMER_BUDGET);
}

struct tcpd_conn_table *
tcpd_tcp_table(struct tcpd_tcp_ctx *ctx)
{
	return ctx->tbl;
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
