/* SPDX-License-Identifier: BSD-3-Clause */
/* Connection life: insertion, state changes with exact gauges, removal, windows, state names. */
#include <errno.h>

#include <rte_malloc.h>

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

/*
 * The closing ring: connections in the order they entered a closing state. Each is pushed once;
 * a slot whose connection has gone (generation moved on) is stale and skipped. The ring holds
 * 1.5 x max_conns slots of pointer and generation (18 bytes per connection); when full it is
 * compacted, which frees at least half of it since at most max_conns of its slots are live:
 * O(1) amortized.
 */
int
tcp_closing_init(struct tcpd_tcp_ctx *ctx, int socket_id)
{
	struct tcp_closing_ring *r = &ctx->closing;

	r->size = ctx->cfg->max_conns + ctx->cfg->max_conns / 2 + 1;
	r->tcb = rte_malloc_socket("tcp_closing", r->size * sizeof(*r->tcb), 0, socket_id);
	r->gen = rte_malloc_socket("tcp_closing", r->size * sizeof(uint32_t), 0, socket_id);
	r->head = r->n = 0;
	return r->tcb != NULL && r->gen != NULL ? 0 : -ENOMEM;
}

void
tcp_closing_free(struct tcpd_tcp_ctx *ctx)
{
	rte_free(ctx->closing.tcb);
	rte_free(ctx->closing.gen);
}

static inline int
closing_slot_live(struct tcpd_tcp_ctx *ctx, uint32_t i)
{
	const struct tcp_closing_ring *r = &ctx->closing;
	const struct tcpd_tcb *c = r->tcb[i];

	return c->ent.gen == r->gen[i] && tcp_state_closing(c->state);
}

/* Out of line: only a full ring calls it, and inlined its loop made every tcp_set_state save
 * and restore six registers. */
static __rte_noinline void
closing_compact(struct tcpd_tcp_ctx *ctx)
{
	struct tcp_closing_ring *r = &ctx->closing;
	uint32_t i, k = 0;

	for (i = 0; i < r->n; i++) {
		uint32_t j = (r->head + i) % r->size;

		if (closing_slot_live(ctx, j)) {
			uint32_t d = (r->head + k++) % r->size;

			r->tcb[d] = r->tcb[j];
			r->gen[d] = r->gen[j];
		}
	}
	r->n = k;
}

static void
closing_push(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_closing_ring *r = &ctx->closing;
	uint32_t t;

	if (unlikely(r->n == r->size))
		closing_compact(ctx);
	t = r->head + r->n;
	if (t >= r->size)
		t -= r->size;
	r->tcb[t] = c;
	r->gen[t] = c->ent.gen;
	r->n++;
}

/* Table full: remove the oldest closing connection, with a RST (the peer may still be waiting
 * for our FIN's ACK or our data; TIME-WAIT entries are not here: they have their own class).
 * @return 1 if one was removed. */
static int
closing_reclaim(struct tcpd_tcp_ctx *ctx)
{
	struct tcp_closing_ring *r = &ctx->closing;

	while (r->n) {
		uint32_t i = r->head;
		struct tcpd_tcb *c;

		r->head = i + 1 == r->size ? 0 : i + 1;
		r->n--;
		if (!closing_slot_live(ctx, i))
			continue;
		c = r->tcb[i];
		tcp_send_ctl(ctx, c, NULL, c->snd_nxt, TCPD_TH_RST | TCPD_TH_ACK);
		tcp_inc(ctx, TCPD_STAT_closing_reclaimed);
		tcp_conn_close(ctx, c, TCPD_CLOSE_NORMAL);
		return 1;
	}
	return 0;
}

/* Pool slots examined for a stalled connection when the table is full. */
#define TCP_RECLAIM_SAMPLES 8

/*
 * Table full and no closing connection: a peer that vanished (a load generator that gives up
 * silently, a client that crashed) leaves its connection ESTABLISHED until the whole
 * retransmission budget is spent, and a full table of them refuses everyone for minutes. Sample
 * a few slots and reset the one whose peer left the most retransmissions unanswered (at least
 * one RTO's worth): it is the one least likely to be alive. Sampling, not a list: nothing is paid
 * on the fast path, and only the full-table path looks.
 */
static int
stalled_reclaim(struct tcpd_tcp_ctx *ctx)
{
	uint32_t cap = tcpd_conn_capacity(ctx->tbl), i;
	struct tcpd_tcb *best = NULL;

	for (i = 0; i < TCP_RECLAIM_SAMPLES; i++) {
		uint64_t x = ctx->reclaim_rand;
		struct tcpd_conn_entry *e;
		struct tcpd_tcb *c;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ctx->reclaim_rand = x;
		e = tcpd_conn_at(ctx->tbl, (uint32_t)(x % cap));
		if (!tcpd_conn_entry_live(e))
			continue;
		c = tcpd_tcb_of(e);
		if ((c->state == TCPD_ESTABLISHED || c->state == TCPD_CLOSE_WAIT) &&
		    (c->retries & TCP_RETRIES_MASK) != 0 &&
		    (best == NULL ||
		     (c->retries & TCP_RETRIES_MASK) > (best->retries & TCP_RETRIES_MASK)))
			best = c;
	}
	if (best == NULL)
		return 0;
	tcp_send_ctl(ctx, best, NULL, best->snd_nxt, TCPD_TH_RST | TCPD_TH_ACK);
	tcp_inc(ctx, TCPD_STAT_stalled_reclaimed);
	tcp_conn_close(ctx, best, TCPD_CLOSE_TIMEOUT);
	return 1;
}

void
tcp_set_state(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, unsigned int to)
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
	tcpd_stats_state_move(ctx->st, from, to);
	c->state = (uint8_t)to;
	if (tcp_state_closing(to) && !tcp_state_closing(from))
		closing_push(ctx, c);
	if (to == TCPD_ESTABLISHED && from <= TCPD_SYN_RECEIVED) {
		if (c->tflags & TCPD_TCB_F_ACTIVE) {
			tcp_inc(ctx, TCPD_STAT_conn_connected);
		} else {
			tcp_inc(ctx, TCPD_STAT_conn_opened);
			tcp_lstat_inc(&ctx->lstats[c->listener].accepted);
		}
		tcp_app_established(ctx, c);
	}
}

struct tcpd_tcb *
tcp_conn_new(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key, uint32_t hash,
	     unsigned int app)
{
	struct tcpd_tcb *c;

	if (unlikely(tcpd_conn_full(ctx->tbl)) && !closing_reclaim(ctx) && !stalled_reclaim(ctx))
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

uint32_t
tcp_rcv_wnd(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	const struct tcpd_app *a = &ctx->apps[c->app];
	uint32_t wnd = a->ops->rcv_wnd != NULL ? a->ops->rcv_wnd(a, c) : TCPD_APP_WND_NOBUF;

	/* Never more than the 16-bit field can say with our shift. */
	if (wnd > (65535u << c->rcv_wscale))
		wnd = 65535u << c->rcv_wscale;
	return wnd;
}
