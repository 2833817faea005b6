/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TIME-WAIT (RFC 9293 3.10.7.4 for the state, RFC 1337 against assassination, RFC 6191 for the
 * reuse of the tuple by a newer SYN), and the challenge ACK the other states share.
 */
#include "tcp_internal.h"

/* RFC 5961 3.2 / 4.2 challenge ACK, limited per connection and per second (a shared budget is
 * the CVE-2016-5696 side channel). lib/config bounds the limit to 255. */
void
tcp_challenge_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m)
{
	uint32_t limit = ctx->cfg->challenge_ack_limit;
	uint8_t sec = (uint8_t)ctx->now_sec;

	if (c->chack_tick != sec) {
		c->chack_tick = sec;
		c->chack_count = 0;
	}
	if (c->chack_count >= limit) { /* limit 0: never send them */
		tcp_inc(ctx, TCPD_STAT_challenge_ack_limited);
		rte_pktmbuf_free(m);
		return;
	}
	c->chack_count++;
	tcp_inc(ctx, TCPD_STAT_challenge_ack);
	tcp_send_ack(ctx, c, m);
}

/* Callers return right after: past max_time_wait, @c is gone (Linux tcp_max_tw_buckets). */
/*
 * The ACK that answers a segment dropped as not acceptable (PAWS, out of window). One that
 * occupies no sequence space may be one side of an ACK loop or a flood: at most one per
 * connection per 500 ms, shared by both kinds, the others counted (Linux tcp_oow_rate_limited).
 * With data or a FIN (no SYN) always sent: the duplicate ACK tells the sender what is missing,
 * or lets it finish closing.
 */
void
tcp_oow_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
	    const struct tcpd_pkt *p)
{
	uint8_t now = (uint8_t)(ctx->now_ms >> TCP_OOW_SHIFT);

	if (tcp_seg_len(p) == 0 || (p->flags & TCPD_TH_SYN)) {
		if ((uint8_t)(now - c->oow_tick) < TCP_OOW_TICKS) {
			tcp_inc(ctx, TCPD_STAT_oow_ack_limited);
			rte_pktmbuf_free(m);
			return;
		}
		c->oow_tick = now;
	}
	tcp_send_ack(ctx, c, m);
}

void
tcp_enter_time_wait(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	if (unlikely(ctx->st->state[TCPD_TIME_WAIT] >= ctx->max_tw)) {
		tcp_inc(ctx, TCPD_STAT_time_wait_overflow);
		tcp_conn_close(ctx, c, TCPD_CLOSE_NORMAL);
		return;
	}
	tcp_set_state(ctx, c, TCPD_TIME_WAIT);
	tcp_app_free(ctx, c, TCPD_CLOSE_NORMAL);
	if (c->ext != 0)
		tcp_ext_release(ctx, c);
	tcp_timer_state(ctx, c, (uint64_t)ctx->cfg->time_wait * 1000);
}

/* RFC 6191: a newer timestamp, or an equal one (or none) with a higher SEQ. */
static inline int
syn_is_newer(const struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	if ((c->opt_flags & TCPD_TCB_TS) && (p->opts.present & TCPD_OPT_TS))
		return seq_gt(p->opts.tsval, c->ts_recent) ||
		       (p->opts.tsval == c->ts_recent && seq_gt(p->seq, c->rcv_nxt));
	return seq_gt(p->seq, c->rcv_nxt);
}

enum tcp_verdict
tcp_time_wait_input(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
		    const struct tcpd_pkt *p)
{
	uint8_t fl = p->flags;

	if (fl & TCPD_TH_RST) { /* RFC 1337: no TIME-WAIT assassination */
		tcp_inc(ctx, TCPD_STAT_rst_time_wait);
		rte_pktmbuf_free(m);
		return TCP_DONE;
	}
	if ((fl & (TCPD_TH_SYN | TCPD_TH_ACK)) == TCPD_TH_SYN) {
		if (!syn_is_newer(c, p) || ctx->listen_map[rte_be_to_cpu_16(p->dst_port)] == 0) {
			/* An old duplicate: not acceptable (3.10.7.4 first check) and a SYN on a
			 * synchronized connection (RFC 5961 4.2): both ask for an ACK, as Linux's
			 * TCP_TW_ACK does; rate limited like every challenge ACK. */
			tcp_inc(ctx, TCPD_STAT_drop_time_wait_syn);
			tcp_challenge_ack(ctx, c, m);
			return TCP_DONE;
		}
		tcp_inc(ctx, TCPD_STAT_time_wait_reuse);
		/* RFC 6528's ISN of the same tuple may not have moved past the old SND.NXT. */
		ctx->reopen_iss = c->snd_nxt + 65535 + 2;
		ctx->reopen_iss += ctx->reopen_iss == 0;
		tcp_conn_close(ctx, c, TCPD_CLOSE_NORMAL);
		return TCP_REOPEN;
	}
	if ((fl & TCPD_TH_FIN) && p->seq + p->payload_len + 1 == c->rcv_nxt) {
		/* The peer did not get our last ACK: ACK again and restart 2*MSL. */
		tcp_timer_state(ctx, c, (uint64_t)ctx->cfg->time_wait * 1000);
		tcp_send_ack(ctx, c, m);
		return TCP_DONE;
	}
	if (fl & TCPD_TH_SYN) {
		tcp_challenge_ack(ctx, c, m);
		return TCP_DONE;
	}
	if (!tcp_seq_acceptable(c, p, tcp_rcv_wnd(ctx, c))) {
		tcp_inc(ctx, TCPD_STAT_drop_out_of_window);
		tcp_oow_ack(ctx, c, m, p);
		return TCP_DONE;
	}
	rte_pktmbuf_free(m);
	return TCP_DONE;
}
