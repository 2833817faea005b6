/* SPDX-License-Identifier: BSD-3-Clause */
/* Connection life: insertion, state changes with exact gauges, removal, windows. */
#include "tcp_internal.h"

void
tcp_set_state(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, unsigned int to)
{
	unsigned int from = c->state;

	if (from == to)
		return;
	if (from == TCPD_SYN_RECEIVED) {
		ctx->half_open--;
		tcpd_stats_dec(ctx->st, TCPD_STAT_conn_half_open);
	}
	if (to == TCPD_SYN_RECEIVED) {
		ctx->half_open++;
		tcp_inc(ctx, TCPD_STAT_conn_half_open);
	}
	if (to == TCPD_ESTABLISHED && from <= TCPD_SYN_RECEIVED) {
		tcp_inc(ctx, TCPD_STAT_conn_opened);
		tcp_lstat_inc(&ctx->lstats[c->listener].accepted);
	}
	tcpd_stats_state_move(ctx->st, from, to);
	c->state = (uint8_t)to;
}

struct tcpd_conn *
tcp_conn_new(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key, uint32_t hash)
{
	struct tcpd_conn *c;

	if (unlikely(tcpd_conn_count(ctx->tbl) >= tcpd_conn_capacity(ctx->tbl)))
		return NULL;
	c = tcpd_conn_insert(ctx->tbl, key, hash);
	if (unlikely(c == NULL))
		return NULL;
	ctx->burst.changed = 1;
	c->state = TCPD_CLOSED;
	c->cwnd = TCP_IW_SEGS;
	c->ssthresh = UINT16_MAX;
	c->oow_tick = (uint8_t)((ctx->now_ms >> TCP_OOW_SHIFT) - TCP_OOW_TICKS);
	tcp_inc(ctx, TCPD_STAT_conn_live);
	/* The caller sets the listener before the state: ESTABLISHED counts its accept. */
	return c;
}

void
tcp_conn_close(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, int reset)
{
	struct tcp_burst *b = &ctx->burst;
	unsigned int i;

	if (reset && c->state >= TCPD_ESTABLISHED)
		tcp_lstat_inc(&ctx->lstats[c->listener].reset);
	tcpd_timer_cancel(ctx->wheel, &c->timer);
	tcp_svc_free(c);
	tcp_set_state(ctx, c, TCPD_CLOSED);
	tcpd_conn_remove(ctx->tbl, c);
	tcpd_stats_dec(ctx->st, TCPD_STAT_conn_live);
	tcp_inc(ctx, TCPD_STAT_conn_closed);
	/* Later segments of this burst that found @c must look again: the slot may be reused. */
	b->changed = 1;
	for (i = b->next; i < b->n; i++)
		if (b->conns[i] == c)
			b->conns[i] = NULL;
}

uint32_t
tcp_rcv_wnd(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn *c)
{
	uint32_t wnd;

	if (tcp_conn_service(ctx, c) == TCPD_SVC_ECHO) {
		/* The echo queue is the receive buffer: a slow reader throttles the sender. The
		 * right edge never moves left: accepting n bytes queues exactly n. */
		uint32_t q = tcp_app_unacked(c);

		wnd = q >= TCP_ECHO_QMAX ? 0 : TCP_ECHO_QMAX - q;
	} else {
		wnd = TCP_RCV_WND_NOBUF;
	}
	/* Never more than the 16-bit field can say with our shift. */
	if (wnd > (65535u << c->rcv_wscale))
		wnd = 65535u << c->rcv_wscale;
	return wnd;
}
