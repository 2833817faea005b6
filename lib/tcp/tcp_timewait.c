/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TIME-WAIT (RFC 9293 3.10.7.4 for the state, RFC 1337 against assassination, RFC 6191 for the
 * reuse of the tuple by a newer SYN), and the challenge and out-of-window ACKs every state shares.
 *
 * A connection entering TIME-WAIT leaves its 128-byte control block for a 40-byte entry of the
 * table's small class (struct tcpd_tw, lib/conn): the hash's data is replaced in place, so a
 * segment still costs one lookup, and the control block goes back to its pool at once. Every
 * TIME-WAIT lasts time_wait seconds, so the small class's ring (oldest first) is the expiry
 * order: no timer-wheel slot. A FIN retransmission restarts 2*MSL by moving expire_ms; the
 * entry is re-queued when it reaches the ring's head (TCPD_TW_RESTART). When the ring is full
 * the oldest TIME-WAIT ends early (time_wait_evicted) rather than a new one being skipped.
 */
#include <errno.h>

#include <rte_errno.h>

#include "tcp_internal.h"

/* RFC 5961 3.2 / 4.2 challenge ACK, limited per connection and per second (a shared budget is
 * the CVE-2016-5696 side channel). lib/config bounds the limit to 255. @return 1 if allowed. */
static inline int
challenge_allowed(struct tcpd_tcp_ctx *ctx, uint8_t *tick, uint8_t *count)
{
	uint8_t sec = (uint8_t)ctx->now_sec;

	if (*tick != sec) {
		*tick = sec;
		*count = 0;
	}
	if (*count >= ctx->cfg->challenge_ack_limit) { /* limit 0: never send them */
		tcp_inc(ctx, TCPD_STAT_challenge_ack_limited);
		return 0;
	}
	(*count)++;
	tcp_inc(ctx, TCPD_STAT_challenge_ack);
	return 1;
}

void
tcp_challenge_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m)
{
	if (!challenge_allowed(ctx, &c->chack_tick, &c->chack_count)) {
		rte_pktmbuf_free(m);
		return;
	}
	tcp_send_ack(ctx, c, m);
}

/*
 * The ACK that answers a segment dropped as not acceptable (PAWS, out of window). One that
 * occupies no sequence space may be one side of an ACK loop or a flood: at most one per
 * connection per 500 ms, shared by both kinds, the others counted (Linux tcp_oow_rate_limited).
 * With data or a FIN (no SYN) always sent: the duplicate ACK tells the sender what is missing,
 * or lets it finish closing. @return 1 if the ACK goes.
 */
static inline int
oow_allowed(struct tcpd_tcp_ctx *ctx, uint8_t *tick, const struct tcpd_pkt *p)
{
	uint8_t now = (uint8_t)(ctx->now_ms >> TCP_OOW_SHIFT);

	if (tcp_seg_len(p) == 0 || (p->flags & TCPD_TH_SYN)) {
		if ((uint8_t)(now - *tick) < TCP_OOW_TICKS) {
			tcp_inc(ctx, TCPD_STAT_oow_ack_limited);
			return 0;
		}
		*tick = now;
	}
	return 1;
}

void
tcp_oow_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
	    const struct tcpd_pkt *p)
{
	if (!oow_allowed(ctx, &c->oow_tick, p)) {
		rte_pktmbuf_free(m);
		return;
	}
	tcp_send_ack(ctx, c, m);
}

void
tcp_tw_close(struct tcpd_tcp_ctx *ctx, struct tcpd_tw *tw)
{
	tcpd_stats_state_move(ctx->st, TCPD_TIME_WAIT, TCPD_CLOSED);
	/* The IPv6 peer id's reference came with the connection: it goes with its last entry. */
	if (unlikely(tcp_key_is6(tw->ent.local_ip))) {
		tcp_ip6_put(ctx, tw->ent.peer_ip);
		tcpd_stats_dec(ctx->st, TCPD_STAT_conn_live6);
	}
	tcpd_conn_remove(ctx->tbl, &tw->ent);
	tcpd_stats_dec(ctx->st, TCPD_STAT_conn_live);
	tcp_inc(ctx, TCPD_STAT_conn_closed);
}

/* The compact entry's fields from control block @c (its application already gone). */
static void
tw_fill(struct tcpd_tcp_ctx *ctx, struct tcpd_tw *tw, const struct tcpd_tcb *c, uint16_t win)
{
	tw->rcv_nxt = c->rcv_nxt;
	tw->snd_nxt = c->snd_nxt;
	tw->ts_recent = c->ts_recent;
	tw->expire_ms = (uint32_t)(ctx->now_ms + (uint64_t)ctx->cfg->time_wait * 1000);
	tw->win = win;
	tw->flags = (uint8_t)(((c->opt_flags & TCPD_TCB_TS) ? TCPD_TW_TS : 0) |
			      ((c->tflags & TCPD_TCB_F_ACTIVE) ? TCPD_TW_ACTIVE : 0) |
			      (c->rcv_wscale << TCPD_TW_WSCALE_SHIFT));
	tw->chack_tick = c->chack_tick;
	tw->chack_count = c->chack_count;
	tw->oow_tick = c->oow_tick;
	tw->pad[0] = tw->pad[1] = 0;
}

/*
 * The pool is full: end its oldest TIME-WAIT entries, TCP_TW_EVICT_BATCH of them at once. Each
 * removal is an rte_hash delete in a bucket nobody touched since the entry was made, a cache
 * miss; looked up together first, the misses overlap (one at a time: about 600 cycles per
 * eviction at 1 M entries, 16 at once: about 200; docs/PERFORMANCE.md). Expiry does the same.
 */
#define TCP_TW_EVICT_BATCH 16

static void
tw_evict_oldest(struct tcpd_tcp_ctx *ctx)
{
	unsigned int n = tcpd_conn_small_warm(ctx->tbl, TCP_TW_EVICT_BATCH);
	struct tcpd_conn_entry *e;

	while (n-- != 0 && (e = tcpd_conn_small_oldest(ctx->tbl)) != NULL) {
		tcp_inc(ctx, TCPD_STAT_time_wait_evicted);
		tcp_tw_close(ctx, tcpd_tw_of(e));
	}
}

void
tcp_enter_time_wait(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcpd_tw *tw;
	uint16_t win;

	tcp_set_state(ctx, c, TCPD_TIME_WAIT);
	tcp_app_free(ctx, c, TCPD_CLOSE_NORMAL);
	if (c->ext != 0)
		tcp_ext_release(ctx, c);
	if (ctx->dsack_conn == c)
		ctx->dsack_conn = NULL; /* the slot may serve another connection next */
	tcpd_timer_cancel(ctx->wheel, &c->timer);
	win = (uint16_t)(tcp_rcv_wnd(ctx, c) >> c->rcv_wscale);
	tw = (struct tcpd_tw *)tcpd_conn_to_small(ctx->tbl, &c->ent); /* frees @c */
	if (unlikely(tw == NULL) && rte_errno == ENOSPC) {
		/* max_time_wait entries made within time_wait: where Linux (tcp_max_tw_buckets)
		 * skips TIME-WAIT, the oldest TIME-WAIT goes instead */
		tw_evict_oldest(ctx);
		tw = (struct tcpd_tw *)tcpd_conn_to_small(ctx->tbl, &c->ent);
	}
	if (unlikely(tw == NULL)) { /* the hash refused: not expected for a key it holds */
		tcp_inc(ctx, TCPD_STAT_time_wait_overflow);
		tcp_conn_close(ctx, c, TCPD_CLOSE_NORMAL);
		return;
	}
	/* @c's slot is free but untouched until the next insert: read once more, then marked so
	 * that no stale pointer takes it for a connection's. */
	tw_fill(ctx, tw, c, win);
	c->state = TCPD_CLOSED;
}

/* RFC 6191: a newer timestamp, or an equal one (or none) with a higher SEQ. */
static inline int
syn_is_newer(const struct tcpd_tw *tw, const struct tcpd_pkt *p)
{
	if ((tw->flags & TCPD_TW_TS) && (p->opts.present & TCPD_OPT_TS))
		return seq_gt(p->opts.tsval, tw->ts_recent) ||
		       (p->opts.tsval == tw->ts_recent && seq_gt(p->seq, tw->rcv_nxt));
	return seq_gt(p->seq, tw->rcv_nxt);
}

/*
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> with our window and timestamps, built in place in the
 * segment it answers: the addresses are that segment's (ours its destination), the source MAC
 * ours, the IPv6 flow label 0 like every segment of the connection (tcp_tx6).
 */
static void
tw_send_ack(struct tcpd_tcp_ctx *ctx, const struct tcpd_tw *tw, struct rte_mbuf *m,
	    const struct tcpd_pkt *p)
{
	void *frame = rte_pktmbuf_mtod(m, void *);
	struct tcpd_net_seg s;

	s.seq = tw->snd_nxt;
	s.ack = tw->rcv_nxt;
	s.win = tw->win;
	s.flags = TCPD_TH_ACK;
	s.ip_tos = 0;
	s.opts.present = 0;
	if (tw->flags & TCPD_TW_TS) {
		s.opts.present = TCPD_OPT_TS;
		s.opts.tsval = (uint32_t)ctx->now_ms;
		s.opts.tsecr = tw->ts_recent;
	}
	if (unlikely(p->family == TCPD_NET_AF_INET6)) {
		struct tcpd_net_flow6 f6;

		tcpd_net_reply_flow6(frame, p, &f6);
		f6.src_mac = ctx->ifc->mac;
		f6.flow_label = 0;
		tcpd_tx_queue_tcp6(ctx->tx, m,
				   tcpd_net_build_tcp6(frame, &f6, &s, NULL, 0, ctx->ifc, NULL));
	} else {
		struct tcpd_net_flow f;

		tcpd_net_reply_flow(frame, p, &f);
		f.src_mac = ctx->ifc->mac;
		tcp_tx(ctx, m, tcpd_net_build_tcp(frame, &f, &s, NULL, 0, ctx->ifc, NULL));
	}
}

static void
tw_challenge_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tw *tw, struct rte_mbuf *m,
		 const struct tcpd_pkt *p)
{
	if (challenge_allowed(ctx, &tw->chack_tick, &tw->chack_count))
		tw_send_ack(ctx, tw, m, p);
	else
		rte_pktmbuf_free(m);
}

/* A SYN without ACK: RFC 6191 reuse, or an ACK as for an old duplicate. */
static enum tcp_verdict
tw_syn(struct tcpd_tcp_ctx *ctx, struct tcpd_tw *tw, struct rte_mbuf *m, const struct tcpd_pkt *p)
{
	if (!syn_is_newer(tw, p) || ctx->listen_map[rte_be_to_cpu_16(p->dst_port)] == 0) {
		/* An old duplicate: not acceptable (3.10.7.4 first check) and a SYN on a
		 * synchronized connection (RFC 5961 4.2): both ask for an ACK, as Linux's
		 * TCP_TW_ACK does; rate limited like every challenge ACK. */
		tcp_inc(ctx, TCPD_STAT_drop_time_wait_syn);
		tw_challenge_ack(ctx, tw, m, p);
		return TCP_DONE;
	}
	tcp_inc(ctx, TCPD_STAT_time_wait_reuse);
	/* RFC 6528's ISN of the same tuple may not have moved past the old SND.NXT. */
	ctx->reopen_iss = tw->snd_nxt + 65535 + 2;
	ctx->reopen_iss += ctx->reopen_iss == 0;
	tcp_tw_close(ctx, tw);
	return TCP_REOPEN;
}

enum tcp_verdict
tcp_tw_input(struct tcpd_tcp_ctx *ctx, struct tcpd_tw *tw, struct rte_mbuf *m,
	     const struct tcpd_pkt *p)
{
	uint8_t fl = p->flags;

	/* Neither SYN, ACK nor RST: dropped first in every state (tcp_fsm_input). */
	if (unlikely(!(fl & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST)))) {
		tcp_inc(ctx, TCPD_STAT_drop_no_ack);
		rte_pktmbuf_free(m);
		return TCP_DONE;
	}
	if (fl & TCPD_TH_RST) { /* RFC 1337: no TIME-WAIT assassination */
		tcp_inc(ctx, TCPD_STAT_rst_time_wait);
		rte_pktmbuf_free(m);
		return TCP_DONE;
	}
	if ((fl & (TCPD_TH_SYN | TCPD_TH_ACK)) == TCPD_TH_SYN) {
		/* SYN+FIN reopens nothing: as at a listener (tcp_listen_input), dropped */
		if (unlikely(fl & TCPD_TH_FIN)) {
			tcp_inc(ctx, TCPD_STAT_drop_tcp_flags);
			rte_pktmbuf_free(m);
			return TCP_DONE;
		}
		return tw_syn(ctx, tw, m, p);
	}
	if (fl & TCPD_TH_SYN) { /* SYN+ACK (+FIN): RFC 5961 4.2 */
		tw_challenge_ack(ctx, tw, m, p);
		return TCP_DONE;
	}
	if ((fl & TCPD_TH_FIN) && p->seq + p->payload_len + 1 == tw->rcv_nxt) {
		/* The peer did not get our last ACK: ACK again and restart 2*MSL. */
		tw->expire_ms = (uint32_t)(ctx->now_ms + (uint64_t)ctx->cfg->time_wait * 1000);
		tw->flags |= TCPD_TW_RESTART;
		tw_send_ack(ctx, tw, m, p);
		return TCP_DONE;
	}
	if (!tcp_seq_acceptable_at(tw->rcv_nxt, p,
				   (uint32_t)tw->win << (tw->flags >> TCPD_TW_WSCALE_SHIFT))) {
		tcp_inc(ctx, TCPD_STAT_drop_out_of_window);
		if (oow_allowed(ctx, &tw->oow_tick, p))
			tw_send_ack(ctx, tw, m, p);
		else
			rte_pktmbuf_free(m);
		return TCP_DONE;
	}
	/* Acceptable: its text is ignored and only a FIN in sequence (the retransmission above)
	 * is acknowledged (RFC 9293 3.10.7.4 fifth to eighth); FreeBSD and Linux ACK it too */
	tcp_inc(ctx, TCPD_STAT_time_wait_ignored);
	rte_pktmbuf_free(m);
	return TCP_DONE;
}

void
tcp_tw_expire(struct tcpd_tcp_ctx *ctx)
{
	uint32_t now = (uint32_t)ctx->now_ms;
	unsigned int budget = TCP_TIMER_BUDGET, warm = 0;

	while (budget-- != 0) {
		struct tcpd_conn_entry *e = tcpd_conn_small_oldest(ctx->tbl);
		struct tcpd_tw *tw;

		if (e == NULL)
			return;
		tw = tcpd_tw_of(e);
		if ((int32_t)(now - tw->expire_ms) < 0) {
			if (!(tw->flags & TCPD_TW_RESTART))
				return; /* the oldest is not due: none is */
			/* 2*MSL restarted: its place is behind those made since (at most that
			 * much late, which TIME-WAIT allows: at least 2*MSL) */
			tw->flags &= ~TCPD_TW_RESTART;
			tcpd_conn_to_small(ctx->tbl, e);
			continue;
		}
		if (warm == 0) /* the next ones are likely due too: their buckets at once */
			warm = tcpd_conn_small_warm(ctx->tbl, TCP_TW_EVICT_BATCH);
		warm -= warm != 0;
		tcp_inc(ctx, TCPD_STAT_time_wait_expired);
		tcp_tw_close(ctx, tw);
	}
}

/* A TIME-WAIT entry of ours is taken over only this long after it began (Linux: 1 s). */
#define TCP_TW_REUSE_MS 1000

/*
 * A tuple of ours in TIME-WAIT may open again when it has been there a second and timestamps were
 * on (Linux's tcp_tw_reuse): our TSvals only grow, so PAWS at the peer tells old duplicates from
 * the new connection.
 */
int
tcp_tw_reusable(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tw *tw)
{
	uint32_t since = tw->expire_ms - ctx->cfg->time_wait * 1000;

	return (tw->flags & TCPD_TW_ACTIVE) && (tw->flags & TCPD_TW_TS) &&
	       (int32_t)((uint32_t)ctx->now_ms - since) >= TCP_TW_REUSE_MS;
}
