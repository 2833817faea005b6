/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segments for an existing connection: RFC 9293 3.10.7.4 in its order (sequence check, RST,
 * SYN, ACK, text, FIN) with RFC 5961 (exact-RST, challenge ACKs, ACK range), RFC 7323 TS.Recent,
 * RFC 1337 and RFC 6191 in TIME-WAIT.
 */
#include "tcp_internal.h"

static inline uint32_t
seg_len(const struct tcpd_pkt *p)
{
	return p->payload_len + !!(p->flags & TCPD_TH_SYN) + !!(p->flags & TCPD_TH_FIN);
}

/* RFC 9293 3.10.7.4, the acceptability table. With a zero window, a segment at RCV.NXT is let
 * through so that its ACK is processed (MUST-66); the service then refuses its data. */
static inline int
seq_acceptable(const struct tcpd_conn *c, const struct tcpd_pkt *p, uint32_t wnd)
{
	uint32_t len = seg_len(p);
	uint32_t off = p->seq - c->rcv_nxt;

	if (wnd == 0)
		return p->seq == c->rcv_nxt;
	if (len == 0)
		return off < wnd;
	return off < wnd || (p->seq + len - 1 - c->rcv_nxt) < wnd;
}

/* RFC 5961 3.2 / 4.2 challenge ACK, limited per connection and per second (a shared budget is
 * the CVE-2016-5696 side channel). lib/config bounds the limit to 255. */
static void
challenge_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m)
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

/*
 * The ACK that answers a segment dropped as not acceptable (PAWS, out of window). One that
 * occupies no sequence space may be one side of an ACK loop or a flood: at most one per
 * connection per 500 ms, shared by both kinds, the others counted (Linux tcp_oow_rate_limited).
 * With data or a FIN (no SYN) always sent: the duplicate ACK tells the sender what is missing,
 * or lets it finish closing.
 */
static void
oow_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m, const struct tcpd_pkt *p)
{
	uint8_t now = (uint8_t)(ctx->now_ms >> TCP_OOW_SHIFT);

	if (seg_len(p) == 0 || (p->flags & TCPD_TH_SYN)) {
		if ((uint8_t)(now - c->oow_tick) < TCP_OOW_TICKS) {
			tcp_inc(ctx, TCPD_STAT_oow_ack_limited);
			rte_pktmbuf_free(m);
			return;
		}
		c->oow_tick = now;
	}
	tcp_send_ack(ctx, c, m);
}

static void
enter_time_wait(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c)
{
	tcp_set_state(ctx, c, TCPD_TIME_WAIT);
	tcp_svc_free(c);
	tcp_timer_state(ctx, c, (uint64_t)ctx->cfg->time_wait * 1000);
}

static void
time_wait_input(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m,
		const struct tcpd_pkt *p)
{
	uint8_t fl = p->flags;

	if (fl & TCPD_TH_RST) { /* RFC 1337: no TIME-WAIT assassination */
		tcp_inc(ctx, TCPD_STAT_rst_time_wait);
		rte_pktmbuf_free(m);
		return;
	}
	if ((fl & (TCPD_TH_SYN | TCPD_TH_ACK)) == TCPD_TH_SYN) {
		/* RFC 6191: a newer timestamp, or an equal one (or none) with a higher SEQ. */
		struct tcpd_conn_key key;
		unsigned int li;
		uint32_t hash;
		int ok;

		if ((c->opt_flags & TCPD_CONN_TS) && (p->opts.present & TCPD_OPT_TS))
			ok = seq_gt(p->opts.tsval, c->ts_recent) ||
			     (p->opts.tsval == c->ts_recent && seq_gt(p->seq, c->rcv_nxt));
		else
			ok = seq_gt(p->seq, c->rcv_nxt);
		if (!ok) {
			/* An old duplicate: not acceptable (3.10.7.4 first check) and a SYN on a
			 * synchronized connection (RFC 5961 4.2): both ask for an ACK, as Linux's
			 * TCP_TW_ACK does; rate limited like every challenge ACK. */
			tcp_inc(ctx, TCPD_STAT_drop_time_wait_syn);
			challenge_ack(ctx, c, m);
			return;
		}
		key = c->key;
		hash = tcpd_conn_hash(ctx->tbl, &key);
		li = c->listener;
		tcp_inc(ctx, TCPD_STAT_time_wait_reuse);
		tcp_conn_close(ctx, c, 0);
		tcp_listen_syn(ctx, m, p, &key, hash, li);
		return;
	}
	if ((fl & TCPD_TH_FIN) && p->seq + p->payload_len + 1 == c->rcv_nxt) {
		/* The peer did not get our last ACK: ACK again and restart 2*MSL. */
		tcp_timer_state(ctx, c, (uint64_t)ctx->cfg->time_wait * 1000);
		tcp_send_ack(ctx, c, m);
		return;
	}
	if (fl & TCPD_TH_SYN) {
		challenge_ack(ctx, c, m);
		return;
	}
	if (!seq_acceptable(c, p, tcp_rcv_wnd(ctx, c))) {
		tcp_inc(ctx, TCPD_STAT_drop_out_of_window);
		oow_ack(ctx, c, m, p);
		return;
	}
	rte_pktmbuf_free(m);
}

/* Largest window the peer may have offered: stands for MAX.SND.WND (RFC 5961 5.2). */
static inline uint32_t
max_snd_wnd(const struct tcpd_conn *c)
{
	return 65535u << c->snd_wscale;
}

/*
 * Linux's tcp_disordered_ack: a pure duplicate ACK (at RCV.NXT, SEG.ACK == SND.UNA) that would
 * not update the window, with a TSval within one RTO of TS.Recent, is a reordered ACK, not an
 * old duplicate from a previous wrap: PAWS lets it through (it changes nothing).
 */
static inline int
paws_disordered_ack(const struct tcpd_conn *c, const struct tcpd_pkt *p)
{
	uint32_t nwin = (uint32_t)p->win << c->snd_wscale;

	return (p->flags & TCPD_TH_ACK) && seg_len(p) == 0 && p->seq == c->rcv_nxt &&
	       p->ack == c->snd_una && !seq_gt(p->seq, c->snd_wl1) &&
	       !(p->seq == c->snd_wl1 && (nwin > c->snd_wnd || nwin == 0)) &&
	       (int32_t)(c->ts_recent - p->opts.tsval) <= (int32_t)tcp_rto_ms(c);
}

static inline int
fin_acked(const struct tcpd_conn *c)
{
	return c->snd_una == c->app_end + 1;
}

/*
 * A duplicate ACK (RFC 5681 section 2: no data, no SYN or FIN, SEG.ACK == SND.UNA with data
 * outstanding, the window unchanged). The third starts fast retransmit and fast recovery
 * (3.2): ssthresh from the flight, the segment at SND.UNA sent again, cwnd = ssthresh + 3, and
 * RFC 6582's recovery point; each further one inflates cwnd by a segment, so that tcp_output
 * can send new data as the peer reports segments leaving the network. Not when SND.UNA is
 * still below the recovery point of the last recovery or RTO (RFC 6582 3.2 step 1, section 4):
 * those are duplicates of data already resent, not a new loss. Divisions happen per loss event
 * and per partial ACK, never per ordinary segment.
 */
static void
dup_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c)
{
	uint32_t flight;

	if (c->dupacks == TCPD_CONN_RECOVERY) {
		if (c->cwnd < UINT16_MAX)
			c->cwnd++;
		return;
	}
	if (++c->dupacks < TCPD_CONN_RECOVERY)
		return;
	if (!seq_ge(c->snd_una, c->recover)) {
		c->dupacks = TCPD_CONN_RECOVERY - 1; /* look again at the next one */
		return;
	}
	flight = (c->snd_max - c->snd_una) / c->snd_mss;
	c->ssthresh = (uint16_t)RTE_MAX(RTE_MIN(flight / 2, (uint32_t)UINT16_MAX - 3), 2u);
	c->recover = c->snd_max;
	c->opt_flags &= ~TCPD_CONN_RTT; /* Karn: the timed segment may be the lost one */
	tcp_inc(ctx, TCPD_STAT_fast_retransmit);
	tcp_retransmit_una(ctx, c);
	c->cwnd = (uint16_t)(c->ssthresh + 3);
}

/*
 * New data acknowledged during fast recovery. A full ACK (RECOVER covered) ends it with
 * cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS) (RFC 6582 3.2 step 3, option 1: no burst
 * when little is in flight); a partial one means the next hole was lost too: it is resent at
 * once, and cwnd deflated by what was acknowledged, plus one segment if that was at least one.
 */
static void
recovery_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, uint32_t acked)
{
	uint32_t segs;

	if (seq_ge(c->snd_una, c->recover)) {
		segs = (c->snd_max - c->snd_una) / c->snd_mss;
		c->dupacks = 0;
		c->cwnd = (uint16_t)RTE_MIN((uint32_t)c->ssthresh, RTE_MAX(segs, 1u) + 1);
		return;
	}
	segs = acked / c->snd_mss;
	c->cwnd = (uint16_t)((c->cwnd > segs ? c->cwnd - segs : 1) + (segs != 0));
	tcp_inc(ctx, TCPD_STAT_fast_retransmit);
	tcp_retransmit_una(ctx, c);
}

void
tcp_fsm_input(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m,
	      const struct tcpd_pkt *p)
{
	uint8_t fl = p->flags;
	uint32_t wnd, plen = p->payload_len, old_una = c->snd_una;
	int restart = 0, need_ack = 0, m_taken = 0;

	/* Neither SYN, ACK nor RST (null, FIN, PSH, URG, xmas scans): no state accepts it (RFC 9293
	 * 3.10.7.4 fifth: "if the ACK bit is off, drop the segment"). Dropped before the sequence
	 * check, in every state TIME-WAIT included, as Linux does (tcp_rcv_established's slow path,
	 * tcp_rcv_state_process): in RFC order an unacceptable one would get an ACK, a reply to a
	 * scanner that a peer never needs, since every segment it sends after its SYN has ACK. */
	if (unlikely(!(fl & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST)))) {
		tcp_inc(ctx, TCPD_STAT_drop_no_ack);
		rte_pktmbuf_free(m);
		return;
	}
	if (unlikely(c->state == TCPD_TIME_WAIT)) {
		time_wait_input(ctx, c, m, p);
		return;
	}
	if (unlikely(c->state == TCPD_SYN_RECEIVED) &&
	    (fl & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST)) == TCPD_TH_SYN) {
		if (p->seq + 1 == c->rcv_nxt) { /* our SYN-ACK was lost */
			tcp_inc(ctx, TCPD_STAT_syn_retransmit_rx);
			tcp_send_synack(ctx, c, m);
			return;
		}
		/* RFC 9293 3.10.7.4 fourth: a passive SYN-RECEIVED returns to LISTEN. */
		tcp_inc(ctx, TCPD_STAT_drop_syn_rcvd);
		tcp_conn_close(ctx, c, 0);
		rte_pktmbuf_free(m);
		return;
	}

	/* PAWS (RFC 7323 5.3 R1): a TSval older than TS.Recent marks an old duplicate from a
	 * previous wrap of the sequence space; answer with an ACK (rate limited) and drop it. RSTs
	 * are exempt (RFC 7323 5.2: acceptable whatever their timestamp), SYNs get their challenge
	 * ACK below. As Linux (tcp_paws_discard): one tick of tolerance, and reordered duplicate
	 * ACKs pass. */
	if (unlikely((c->opt_flags & TCPD_CONN_TS) && (p->opts.present & TCPD_OPT_TS) &&
		     (int32_t)(c->ts_recent - p->opts.tsval) > TCP_PAWS_WINDOW &&
		     !(fl & (TCPD_TH_RST | TCPD_TH_SYN)) && !paws_disordered_ack(c, p))) {
		tcp_inc(ctx, TCPD_STAT_drop_paws);
		oow_ack(ctx, c, m, p);
		return;
	}
	/* First: sequence number. */
	wnd = tcp_rcv_wnd(ctx, c);
	if (unlikely(!seq_acceptable(c, p, wnd))) {
		if (fl & TCPD_TH_RST) {
			tcp_inc(ctx, TCPD_STAT_drop_rst_out_of_window);
			rte_pktmbuf_free(m);
		} else if (fl & TCPD_TH_SYN) {
			challenge_ack(ctx, c, m); /* RFC 5961 4.2: whatever the sequence */
		} else {
			tcp_inc(ctx, TCPD_STAT_drop_out_of_window);
			oow_ack(ctx, c, m, p);
		}
		return;
	}
	/* Second: RST (RFC 5961 3.2: exactly RCV.NXT, else a challenge ACK). */
	if (unlikely(fl & TCPD_TH_RST)) {
		if (p->seq == c->rcv_nxt) {
			tcp_inc(ctx, TCPD_STAT_rst_rx);
			tcp_conn_close(ctx, c, 1);
			rte_pktmbuf_free(m);
		} else {
			challenge_ack(ctx, c, m);
		}
		return;
	}
	/* Fourth: SYN in window. */
	if (unlikely(fl & TCPD_TH_SYN)) {
		if (c->state == TCPD_SYN_RECEIVED) {
			tcp_inc(ctx, TCPD_STAT_drop_syn_rcvd);
			tcp_conn_close(ctx, c, 0);
			rte_pktmbuf_free(m);
		} else {
			challenge_ack(ctx, c, m);
		}
		return;
	}
	/* Fifth: ACK. Set here: without SYN and RST, a segment without it was dropped on entry. */
	if (unlikely(c->state == TCPD_SYN_RECEIVED)) {
		if (!(seq_lt(c->snd_una, p->ack) && seq_le(p->ack, c->snd_max))) {
			tcp_inc(ctx, TCPD_STAT_drop_bad_ack);
			tcp_send_rst_noconn(ctx, m, p); /* <SEQ=SEG.ACK><CTL=RST> */
			return;
		}
		c->snd_wnd = (uint32_t)p->win << c->snd_wscale;
		c->snd_wl1 = p->seq;
		c->retries = 0;
		tcp_set_state(ctx, c, TCPD_ESTABLISHED);
	}
	if (unlikely(seq_gt(p->ack, c->snd_max) || seq_lt(p->ack, c->snd_una - max_snd_wnd(c)))) {
		/* Acknowledges what was never sent, or far too old (RFC 5961 5.2). */
		tcp_inc(ctx, TCPD_STAT_drop_bad_ack);
		tcp_send_ack(ctx, c, m);
		return;
	}
	/* RFC 7323 4.3: TS.Recent from an acceptable segment that covers Last.ACK.sent (RCV.NXT:
	 * every segment that advances RCV.NXT is acknowledged at once, there is no delayed ACK).
	 * Only once the ACK checks passed, as Linux since 2013: a segment dropped for its ACK must
	 * not move it. */
	if ((c->opt_flags & TCPD_CONN_TS) && (p->opts.present & TCPD_OPT_TS) &&
	    seq_le(p->seq, c->rcv_nxt) && seq_ge(p->opts.tsval, c->ts_recent))
		c->ts_recent = p->opts.tsval;
	if (p->ack == c->snd_una) {
		/* The answers to zero-window probes repeat SND.UNA too, but tell of a full
		 * receiver, not of a loss: a closed window never counts. */
		if (plen == 0 && !(fl & (TCPD_TH_SYN | TCPD_TH_FIN)) && c->snd_una != c->snd_max &&
		    c->snd_wnd != 0 && ((uint32_t)p->win << c->snd_wscale) == c->snd_wnd)
			dup_ack(ctx, c);
		else if (c->dupacks != TCPD_CONN_RECOVERY)
			c->dupacks = 0; /* "in a row" (RFC 5681 3.2) */
	}
	if (seq_gt(p->ack, c->snd_una)) {
		int recovering = c->dupacks == TCPD_CONN_RECOVERY;

		c->snd_una = p->ack;
		if (seq_lt(c->snd_nxt, c->snd_una))
			c->snd_nxt = c->snd_una;
		c->retries = 0;
		restart = 1;
		if ((c->opt_flags & TCPD_CONN_TS) && (p->opts.present & TCPD_OPT_TS) &&
		    p->opts.tsecr != 0) {
			tcp_rtt_sample(c, (uint32_t)ctx->now_ms - p->opts.tsecr);
		} else if ((c->opt_flags & TCPD_CONN_RTT) && seq_ge(p->ack, c->rtt_seq)) {
			tcp_rtt_sample(c, (uint16_t)((uint16_t)ctx->now_ms - c->rtt_ts));
			c->opt_flags &= ~TCPD_CONN_RTT;
		}
		/* RFC 5681, kept small: slow start adds a segment per ACK of new data;
		 * congestion avoidance adds one when a whole flight is acknowledged (about once
		 * per RTT); in fast recovery, RFC 6582 sets cwnd instead. */
		if (!recovering) {
			c->dupacks = 0;
			if (old_una != c->iss && c->cwnd < UINT16_MAX &&
			    (c->cwnd < c->ssthresh || c->snd_una == c->snd_max))
				c->cwnd++;
		}
		tcp_svc_acked(ctx, c, old_una);
		/* after the service released what was acknowledged */
		if (recovering)
			recovery_ack(ctx, c, p->ack - old_una);
	}
	/* Window update (RFC 9293 3.10.7.4; SND.WL2 <= SEG.ACK always holds here since
	 * WL2 <= SND.UNA). */
	if (unlikely(c->snd_wnd == 0) && (c->retries & TCP_RETRIES_MASK)) {
		/* An acceptable ACK while probing a zero window: the peer is there, probing goes
		 * on as long as it answers (RFC 9293 3.8.6.1, MUST-37). The probe count restarts,
		 * the back-off is kept (see tcp_backoff; cleared when the window opens). */
		c->retries =
			(uint8_t)(RTE_MIN(tcp_backoff(c), (unsigned int)TCP_RETRIES_MASK) << 4);
	}
	if (seq_gt(p->seq, c->snd_wl1) || (p->seq == c->snd_wl1 && seq_ge(p->ack, old_una))) {
		c->snd_wnd = (uint32_t)p->win << c->snd_wscale;
		c->snd_wl1 = p->seq;
		if (c->snd_wnd != 0 && c->retries >> 4)
			c->retries = 0; /* the window opened: persist back-off over */
	}
	switch (c->state) {
	case TCPD_FIN_WAIT_1:
		if (fin_acked(c))
			tcp_set_state(ctx, c, TCPD_FIN_WAIT_2);
		break;
	case TCPD_CLOSING:
		if (fin_acked(c)) {
			enter_time_wait(ctx, c);
			rte_pktmbuf_free(m);
			return;
		}
		break;
	case TCPD_LAST_ACK:
		if (fin_acked(c)) {
			tcp_conn_close(ctx, c, 0);
			rte_pktmbuf_free(m);
			return;
		}
		break;
	default:
		break;
	}

	/* Seventh: segment text. */
	if (plen) {
		if (c->state == TCPD_ESTABLISHED || c->state == TCPD_FIN_WAIT_1 ||
		    c->state == TCPD_FIN_WAIT_2) {
			uint32_t skip = c->rcv_nxt - p->seq;

			if (seq_gt(p->seq, c->rcv_nxt)) {
				/* Out of order: not held (RFC 9293 SHLD-31 is a SHOULD); the
				 * duplicate ACK asks for what is missing. */
				tcp_inc(ctx, TCPD_STAT_dupack_ooo);
				tcp_send_ack(ctx, c, m);
				tcp_timer_update(ctx, c, restart);
				return;
			}
			if (skip < plen) {
				const uint8_t *data = rte_pktmbuf_mtod_offset(
					m, const uint8_t *, p->payload_off + skip);
				uint32_t n =
					tcp_svc_rx(ctx, c, m, data, plen - skip, wnd, &m_taken);

				c->rcv_nxt += n;
				tcpd_stats_add(ctx->st, TCPD_STAT_data_rx_bytes, n);
			}
			need_ack = 1;
		} else {
			tcp_inc(ctx, TCPD_STAT_drop_data_closed);
		}
	}
	/* Eighth: FIN, once everything before it was taken. After the peer's FIN (CLOSE-WAIT,
	 * CLOSING, LAST-ACK) there is no sequence space left for another one: ignored. */
	if ((fl & TCPD_TH_FIN) && p->seq + plen == c->rcv_nxt &&
	    (c->state == TCPD_ESTABLISHED || c->state == TCPD_FIN_WAIT_1 ||
	     c->state == TCPD_FIN_WAIT_2)) {
		c->rcv_nxt++;
		need_ack = 1;
		switch (c->state) {
		case TCPD_ESTABLISHED:
			tcp_set_state(ctx, c, TCPD_CLOSE_WAIT);
			c->app_state |= TCP_APP_FIN; /* we close after our pending data */
			break;
		case TCPD_FIN_WAIT_1:
			tcp_set_state(ctx, c, TCPD_CLOSING);
			break;
		case TCPD_FIN_WAIT_2:
			tcp_send_ack(ctx, c, m_taken ? NULL : m);
			enter_time_wait(ctx, c);
			return;
		default:
			break;
		}
	}
	tcp_output(ctx, c, m_taken ? NULL : m, need_ack ? TCP_OUT_ACK : 0);
	tcp_timer_update(ctx, c, restart);
}
