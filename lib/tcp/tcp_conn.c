/* SPDX-License-Identifier: BSD-3-Clause */
/* Connection life: insertion, state changes with exact gauges, removal, windows, state names. */
#include "tcp_internal.h"

_Static_assert(TCPD_TCP_NSTATES <= TCPD_STATS_NSTATES, "lib/stats has a gauge per TCP state");
_Static_assert(TCPD_CLOSED == 0, "lib/stats never counts gauge 0");

static const char *const state_names[TCPD_TCP_NSTATES] = {
#define TCPD_STATE_NAME_(up, low) [TCPD_##up] = #low,
	TCPD_TCP_STATES(TCPD_STATE_NAME_)
#undef TCPD_STATE_NAME_
};

const char *
tcpd_tcp_state_name(unsigned int st)
{
	return st < TCPD_TCP_NSTATES ? state_names[st] : NULL;
}

struct tcpd_tcb *
tcp_conn_new(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key, uint32_t hash,
	     unsigned int app)
{
	struct tcpd_tcb *c;

	if (unlikely(tcpd_conn_full(ctx->tbl)) && !tcp_reclaim_one(ctx))
		return NULL;
	/* Every caller missed on @key since the table last grew (tcp_input.c looks a miss up
	 * again after an insert of its hash, marked below; connect looks up first): one hash
	 * operation, not two. */
	c = (struct tcpd_tcb *)tcpd_conn_insert_absent(ctx->tbl, key, hash);
	if (unlikely(c == NULL))
		return NULL;
	ctx->added[(hash >> 26) & (TCP_ADDED_WORDS - 1)] |= 1ull << (hash >> 20 & 63);
	ctx->added_n++;
	c->state = TCPD_CLOSED;
	c->app = (uint8_t)app;
	c->cwnd = TCP_IW_SEGS;
	c->ssthresh = UINT16_MAX;
	c->oow_tick = (uint8_t)((ctx->now_ms >> TCP_OOW_SHIFT) - TCP_OOW_TICKS);
	tcp_inc(ctx, TCPD_STAT_conn_live);
	/* The caller sets the listener before the state: ESTABLISHED counts its accept. */
	return c;
}

void
tcp_conn_close(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, enum tcpd_close_reason why)
{
	if (why != TCPD_CLOSE_NORMAL && why != TCPD_CLOSE_HANDSHAKE &&
	    c->state >= TCPD_ESTABLISHED && !(c->tflags & TCPD_TCB_F_ACTIVE))
		tcp_lstat_inc(&ctx->lstats[c->listener].reset);
	tcpd_timer_cancel(ctx->wheel, &c->timer);
	tcp_app_free(ctx, c, why);
	if (c->ext != 0)
		tcp_ext_release(ctx, c);
	if (ctx->dsack_conn == c)
		ctx->dsack_conn = NULL; /* the slot may serve another connection next */
	tcp_set_state(ctx, c, TCPD_CLOSED);
	/* The one place entries leave the table: an IPv6 peer id loses this reference. */
	if (unlikely(tcp_conn_is6(c)))
		tcp_conn_gone6(ctx, c);
	/* Bumps the generation: later segments of this burst that found @c look again. */
	tcpd_conn_remove(ctx->tbl, &c->ent);
	tcpd_stats_dec(ctx->st, TCPD_STAT_conn_live);
	tcp_inc(ctx, TCPD_STAT_conn_closed);
}

#define NOBUF_16(X)                                                                                \
	X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), X(8), X(9), X(10), X(11), X(12), X(13),    \
		X(14), X(15)
#define NOBUF_FIELD(ws) (uint16_t)(TCP_NOBUF_WND(ws) >> (ws))
const uint32_t tcp_nobuf_wnd[16] = {NOBUF_16(TCP_NOBUF_WND)};
const uint16_t tcp_nobuf_field[16] = {NOBUF_16(NOBUF_FIELD)};

uint32_t
tcp_rcv_wnd_buf(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	const struct tcpd_app *a = &ctx->apps[c->app];
	uint32_t wnd, max = 65535u << c->rcv_wscale, offered;

	/* Never more than the 16-bit field can say with our shift. */
	wnd = a->ops->rcv_wnd(a, c);
	if (wnd > max)
		wnd = max;
	offered = tcp_rcv_offered(c);
	return wnd > offered ? wnd : offered;
}

uint16_t
tcp_rcv_wnd_field_buf(const struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	uint16_t f = (uint16_t)(tcp_rcv_wnd_buf(ctx, c) >> c->rcv_wscale);

	tcp_rcv_offer(c, f);
	return f;
}

uint16_t
tcp_rcv_wnd_syn_buf(const struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	uint32_t wnd;

	tcp_rcv_offer(c, 0); /* nothing offered before */
	wnd = tcp_rcv_wnd_buf(ctx, c);
	if (wnd > 65535)
		wnd = 65535;
	tcp_rcv_offer(c, (wnd + (1u << c->rcv_wscale) - 1) >> c->rcv_wscale);
	return (uint16_t)wnd;
}
