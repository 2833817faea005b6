/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a full connection table gives up for a newcomer, cheapest loss first: the oldest closing
 * connection (no application waits for it), then the connection that has been quiet longest
 * since its application answered (an idle keep-alive, or a peer whose ACK or FIN never came),
 * then one whose retransmissions went unanswered. Each is reset (RST) and counted by class.
 * Linux has no fixed table (it bounds orphans and TIME-WAIT buckets instead); nginx, whose
 * connection array is fixed like ours, closes idle keep-alive connections when it runs out
 * (ngx_drain_connections): the idle class is that, extended to an answer left unacknowledged.
 */
#include <errno.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "tcp_internal.h"

/* A connection is quiet enough to give up this long after its application last answered, plus
 * four smoothed RTTs: a live peer would have acknowledged by then, and a table that fills faster
 * than this is full of connections still in their exchange. */
#define TCP_IDLE_RECLAIM_MS 10

/* Pool slots examined for a stalled connection when the table is full. */
#define TCP_RECLAIM_SAMPLES 8

/* Stale ring slots dropped at most per newcomer: each costs a TCB miss, and the first newcomer
 * of an overload can find a ring of 2 x max_conns answers of connections long gone (131 k at
 * the default, some ms of misses in one packet's time); the next ones go on from there. */
#define TCP_RECLAIM_WALK 64

/*
 * The closing ring: connections in the order they entered a closing state. Each is pushed once;
 * a slot whose connection has gone (generation moved on) is stale and skipped. The ring holds
 * 1.5 x max_conns slots of pointer and generation (18 bytes per connection); when full the
 * oldest slot is overwritten: a live one there has outlived half a table of newer closes and
 * still ends by its own timer (or as a stalled connection). It was compacted instead (every live
 * slot kept, O(1) amortized), but that walked all 98,305 slots of a 65,536-connection lcore at
 * once, a TCB read each, every time the ring filled: a stall of the whole worker, measured at
 * 4 cycles a slot with the TCBs in cache (12-15 k cycles per 3,073-slot compaction in the cycle
 * bench), far more when they are not.
 *
 * The idle ring: a connection each time its application answered received data (queued bytes to
 * send), with the generation, RCV.NXT and the ms clock of that moment. A slot is live while the
 * connection is the same, still ESTABLISHED or CLOSE-WAIT, and the peer sent nothing since (RCV.NXT
 * unchanged): streaming connections make stale slots at once. A power of two >= 2 x max_conns
 * slots of 24 bytes (a keep-alive connection answered again leaves a stale slot behind); when
 * full the oldest slot is overwritten (it only loses a reclaim candidate).
 */
int
tcp_reclaim_init(struct tcpd_tcp_ctx *ctx, int socket_id)
{
	struct tcp_closing_ring *r = &ctx->closing;
	struct tcp_idle_ring *q = &ctx->idle;

	r->size = ctx->cfg->max_conns + ctx->cfg->max_conns / 2 + 1;
	r->tcb = rte_malloc_socket("tcp_closing", r->size * sizeof(*r->tcb), 0, socket_id);
	r->gen = rte_malloc_socket("tcp_closing", r->size * sizeof(uint32_t), 0, socket_id);
	r->head = r->n = 0;
	q->mask = rte_align32pow2(2 * ctx->cfg->max_conns) - 1;
	q->slot = rte_malloc_socket("tcp_idle", (q->mask + 1) * sizeof(*q->slot), 0, socket_id);
	q->head = q->n = 0;
	return r->tcb != NULL && r->gen != NULL && q->slot != NULL ? 0 : -ENOMEM;
}

void
tcp_reclaim_free(struct tcpd_tcp_ctx *ctx)
{
	rte_free(ctx->closing.tcb);
	rte_free(ctx->closing.gen);
	rte_free(ctx->idle.slot);
}

static inline int
closing_slot_live(struct tcpd_tcp_ctx *ctx, uint32_t i)
{
	const struct tcp_closing_ring *r = &ctx->closing;
	const struct tcpd_tcb *c = r->tcb[i];

	return c->ent.gen == r->gen[i] && tcp_state_closing(c->state);
}

/* Reset @c for a newcomer, counted as @stat. */
static void
reclaim(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, enum tcpd_stat stat,
	enum tcpd_close_reason why)
{
	tcp_send_ctl(ctx, c, NULL, c->snd_nxt, TCPD_TH_RST | TCPD_TH_ACK);
	tcp_inc(ctx, stat);
	tcp_conn_close(ctx, c, why);
}

/* The oldest closing connection (the peer may still be waiting for our FIN's ACK or our data;
 * TIME-WAIT entries are not here: they have their own class), past TCP_RECLAIM_WALK stale slots
 * at most. @return 1 if one was removed. */
static int
closing_reclaim(struct tcpd_tcp_ctx *ctx)
{
	struct tcp_closing_ring *r = &ctx->closing;
	unsigned int walk = 0;

	while (r->n && walk++ < TCP_RECLAIM_WALK) {
		uint32_t i = r->head;

		r->head = i + 1 == r->size ? 0 : i + 1;
		r->n--;
		if (!closing_slot_live(ctx, i))
			continue;
		reclaim(ctx, r->tcb[i], TCPD_STAT_closing_reclaimed, TCPD_CLOSE_NORMAL);
		return 1;
	}
	return 0;
}

/* The connection quiet longest since its application answered, if quiet long enough; stale
 * slots on the way are dropped (TCP_RECLAIM_WALK at most). Oldest first, so the first live slot
 * decides. */
static int
idle_reclaim(struct tcpd_tcp_ctx *ctx)
{
	struct tcp_idle_ring *q = &ctx->idle;
	unsigned int walk = 0;

	while (q->n && walk++ < TCP_RECLAIM_WALK) {
		const struct tcp_idle_slot *s = &q->slot[q->head];
		struct tcpd_tcb *c = s->tcb;

		if (c->ent.gen == s->gen && c->rcv_nxt == s->rcv_nxt &&
		    (c->state == TCPD_ESTABLISHED || c->state == TCPD_CLOSE_WAIT)) {
			uint32_t quiet = TCP_IDLE_RECLAIM_MS + (uint32_t)(c->srtt8 >> 1);

			if ((uint32_t)ctx->now_ms - s->ms < quiet)
				return 0;
			q->head = (q->head + 1) & q->mask;
			q->n--;
			reclaim(ctx, c, TCPD_STAT_idle_reclaimed, TCPD_CLOSE_IDLE);
			return 1;
		}
		q->head = (q->head + 1) & q->mask;
		q->n--;
	}
	return 0;
}

/*
 * A peer that vanished mid-transfer (a load generator that gives up silently, a client that
 * crashed) leaves its connection ESTABLISHED until the whole retransmission budget is spent.
 * Sample a few slots and reset the one whose peer left the most retransmissions unanswered (at
 * least one RTO's worth): it is the one least likely to be alive. Sampling, not a list: nothing
 * is paid on the fast path, and only the full-table path looks.
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
	reclaim(ctx, best, TCPD_STAT_stalled_reclaimed, TCPD_CLOSE_TIMEOUT);
	return 1;
}

int
tcp_reclaim_one(struct tcpd_tcp_ctx *ctx)
{
	return closing_reclaim(ctx) || idle_reclaim(ctx) || stalled_reclaim(ctx);
}
