/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segments for an existing connection, RFC 9293 3.10.7.4 in its order, one function per step:
 * sequence check (first, with PAWS from RFC 7323 5.3), RST (second, RFC 5961 3.2), SYN (fourth,
 * RFC 5961 4.2), ACK (fifth, RFC 5961 5.2), text (seventh) and FIN (eighth). A step either lets
 * the segment go on or ends it through one of tcp_fsm_input's common exits (drop, drop after an
 * ACK, drop with a reset, challenge ACK), as FreeBSD's tcp_input.c does with its labels; only
 * tcp_fsm_input decides what becomes of the mbuf.
 *
 * Before the steps, header prediction (Van Jacobson's, as in FreeBSD and Linux) takes the two
 * segments a busy ESTABLISHED connection mostly sees: a pure ACK of new data and in-order data
 * that acknowledges nothing new, with no flag but ACK (and PSH), no change of window, and no
 * recovery in progress. They leave through the same functions the steps use.
 */
#include "tcp_internal.h"

/* The exits of tcp_fsm_input. */
enum step {
	STEP_NEXT,	/* go on with the next step */
	STEP_DONE,	/* the segment is taken care of: its mbuf was used or freed */
	STEP_DROP,	/* free the mbuf */
	STEP_DROP_ACK,	/* answer with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
	STEP_OOW_ACK,	/* the same, rate limited: the segment was not acceptable */
	STEP_DROP_RST,	/* answer with <SEQ=SEG.ACK><CTL=RST> */
	STEP_CHALLENGE, /* RFC 5961 challenge ACK */
};

/* Largest window the peer may have offered: stands for MAX.SND.WND (RFC 5961 5.2). */
static inline uint32_t
max_snd_wnd(const struct tcpd_tcb *c)
{
	return 65535u << c->snd_wscale;
}

/*
 * Linux's tcp_disordered_ack: a pure duplicate ACK (at RCV.NXT, SEG.ACK == SND.UNA) that would
 * not update the window, with a TSval within one RTO of TS.Recent, is a reordered ACK, not an
 * old duplicate from a previous wrap: PAWS lets it through (it changes nothing).
 */
static inline int
paws_disordered_ack(const struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	uint32_t nwin = (uint32_t)p->win << c->snd_wscale;

	return (p->flags & TCPD_TH_ACK) && tcp_seg_len(p) == 0 && p->seq == c->rcv_nxt &&
	       p->ack == c->snd_una && !seq_gt(p->seq, c->snd_wl1) &&
	       !(p->seq == c->snd_wl1 && (nwin > c->snd_wnd || nwin == 0)) &&
	       (int32_t)(c->ts_recent - p->opts.tsval) <= (int32_t)tcp_rto_ms(c);
}

static inline int
fin_acked(const struct tcpd_tcb *c)
{
	return c->snd_una == c->app_end + 1;
}

static inline int
has_ts(const struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	return (c->opt_flags & TCPD_TCB_TS) && (p->opts.present & TCPD_OPT_TS);
}

/*
 * SND.UNA moves to SEG.ACK: RTT sample, congestion window, the application releases what is
 * acknowledged, and fast recovery goes on or ends. @return 1 if our receive window opened from
 * below two segments by at least one (an application whose buffer is its send queue, echo): the
 * peer may be waiting for it and must hear of it now, not at its next zero-window probe (RFC
 * 9293 3.8.6.2.2; without it a peer that filled the window stalls for its persist back-off).
 */
static int
ack_advance(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	int recovering = c->dupacks == TCPD_TCB_RECOVERY;
	uint32_t old_una = c->snd_una, wnd0 = 0;
	int has_buf = tcp_app(ctx, c)->ops->rcv_wnd != NULL;

	if (has_buf)
		wnd0 = tcp_rcv_wnd(ctx, c); /* before SND.UNA moves: what the peer was told */

	c->snd_una = p->ack;
	if (seq_lt(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	c->retries = 0;
	if (has_ts(c, p) && p->opts.tsecr != 0) {
		/* RFC 7323 4.1: TSecr echoes a TSval we sent, so it is not ahead of our clock; one
		 * that is (forged, or a peer's bug) gave an 8 s sample: an RTO of about 9 s from then
		 * on. No sample, as Linux (tcp_rtt_tsopt_us). */
		uint32_t r = (uint32_t)ctx->now_ms - p->opts.tsecr;

		if ((int32_t)r >= 0)
			tcp_rtt_sample(c, r);
	} else if ((c->opt_flags & TCPD_TCB_RTT) && seq_ge(p->ack, c->rtt_seq)) {
		tcp_rtt_sample(c, (uint16_t)((uint16_t)ctx->now_ms - c->rtt_ts));
		c->opt_flags &= ~TCPD_TCB_RTT;
	}
	if (unlikely(recovering && c->ext != 0) && has_ts(c, p) &&
	    tcp_sack_undo(ctx, c, p->opts.tsecr))
		recovering = 0; /* the retransmission was not needed: as if none happened */
	tcp_cc_ack(ctx, c, old_una, recovering);
	tcp_app_acked(ctx, c, old_una);
	/* after the application released what was acknowledged */
	if (recovering)
		tcp_cc_recovery_ack(ctx, c, p->ack - old_una);
	return has_buf && wnd0 < 2u * ctx->our_mss && tcp_rcv_wnd(ctx, c) >= wnd0 + ctx->our_mss;
}

/* In-order payload (RCV.NXT may lie inside it) to the application. @return 1 if it kept @m.
 * Inlined: its two callers are the per-segment paths. */
static __rte_always_inline int
deliver(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m, const struct tcpd_pkt *p,
	uint32_t wnd)
{
	uint32_t skip = c->rcv_nxt - p->seq, n;
	int m_taken = 0;

	if (skip >= p->payload_len)
		return 0;
	n = tcp_app_rx(ctx, c, m,
		       rte_pktmbuf_mtod_offset(m, const uint8_t *, p->payload_off + skip),
		       p->payload_len - skip, wnd, &m_taken);
	/* The rest (past the window, or beyond what the application holds) is dropped: the
	 * one compare the fast path gains, of two values in registers, never taken in steady
	 * state; only the application knows how much it took, so it cannot be tested before. */
	if (unlikely(n != p->payload_len - skip))
		tcp_inc(ctx, TCPD_STAT_drop_data_refused);
	tcp_rcv_nxt_add(c, n);
	tcpd_stats_add(ctx->st, TCPD_STAT_data_rx_bytes, n);
	return m_taken;
}

/*
 * Header prediction. @return 1 if the segment was handled. The TS.Recent update is RFC 7323
 * 4.3's: SEG.SEQ is RCV.NXT, which is Last.ACK.sent (no delayed ACK).
 */
static int
fast_path(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
	  const struct tcpd_pkt *p)
{
	uint32_t plen = p->payload_len, wnd;
	int taken;

	if (c->state != TCPD_ESTABLISHED ||
	    (p->flags & (TCPD_TH_SYN | TCPD_TH_FIN | TCPD_TH_RST | TCPD_TH_URG | TCPD_TH_ACK)) !=
		    TCPD_TH_ACK ||
	    p->seq != c->rcv_nxt || c->dupacks != 0 || c->snd_nxt != c->snd_max ||
	    ((uint32_t)p->win << c->snd_wscale) != c->snd_wnd || c->ext != 0 ||
	    (p->opts.present & TCPD_OPT_SACK))
		return 0; /* out-of-order data held, or SACK blocks to take: slow path */
	if (c->opt_flags & TCPD_TCB_TS) {
		if (!(p->opts.present & TCPD_OPT_TS) || seq_lt(p->opts.tsval, c->ts_recent))
			return 0;
	}
	if (plen == 0) {
		/* An ACK of new data, or a bare ACK with nothing outstanding (a keep-alive style
		 * update); an ACK of SND.UNA with data outstanding is a duplicate: slow path. */
		int advance = seq_gt(p->ack, c->snd_una), wupd = 0;

		if (seq_gt(p->ack, c->snd_max) ||
		    (!advance && (p->ack != c->snd_una || c->snd_una != c->snd_max)))
			return 0;
		if (c->opt_flags & TCPD_TCB_TS)
			c->ts_recent = p->opts.tsval;
		if (advance)
			wupd = ack_advance(ctx, c, p);
		c->snd_wl1 = p->seq;
		tcp_output(ctx, c, m, wupd ? TCP_OUT_ACK : 0);
		tcp_timer_update(ctx, c, advance);
		return 1;
	}
	wnd = tcp_rcv_wnd(ctx, c);
	if (p->ack != c->snd_una || wnd == 0)
		return 0;
	if (c->opt_flags & TCPD_TCB_TS)
		c->ts_recent = p->opts.tsval;
	c->snd_wl1 = p->seq;
	taken = deliver(ctx, c, m, p, wnd);
	tcp_output(ctx, c, taken ? NULL : m, TCP_OUT_ACK);
	tcp_timer_update(ctx, c, 0);
	return 1;
}

/* SYN-RECEIVED and a SYN without ACK: our SYN-ACK was lost, or a new attempt. */
static enum step
step_syn_received_syn(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
		      const struct tcpd_pkt *p)
{
	if (p->seq + 1 == c->rcv_nxt) {
		tcp_inc(ctx, TCPD_STAT_syn_retransmit_rx);
		tcp_send_syn(ctx, c, m);
		return STEP_DONE;
	}
	/* RFC 9293 3.10.7.4 fourth: a passive SYN-RECEIVED returns to LISTEN. */
	tcp_inc(ctx, TCPD_STAT_drop_syn_rcvd);
	tcp_conn_close(ctx, c, TCPD_CLOSE_HANDSHAKE);
	return STEP_DROP;
}

/*
 * A RST at RCV.NXT - 1 after the peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK) is the peer's answer to
 * a segment of ours sent before we acknowledged that FIN: a closed socket resets with SEQ = the
 * ACK it received (RFC 9293 3.10.7.1), which did not count the FIN yet. Accepted, as Linux's
 * tcp_reset_check does; otherwise the connection waits for our FIN to draw a second RST.
 */
#define TCP_FIN_RCVD_STATES ((1u << TCPD_CLOSE_WAIT) | (1u << TCPD_CLOSING) | (1u << TCPD_LAST_ACK))
static inline int
rst_after_fin(const struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	return p->seq == c->rcv_nxt - 1 && ((TCP_FIN_RCVD_STATES >> c->state) & 1);
}

/*
 * First: PAWS (RFC 7323 5.3 R1: a TSval older than TS.Recent marks an old duplicate from a
 * previous wrap; RSTs are exempt by 5.2, SYNs get their challenge ACK in the fourth step; as
 * Linux's tcp_paws_discard, one tick of tolerance, and reordered duplicate ACKs pass), then the
 * acceptability test. Both answer an unacceptable segment with a rate-limited ACK.
 */
static enum step
step_sequence(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p, uint32_t wnd)
{
	uint8_t fl = p->flags;
	uint32_t seg_end;

	if (unlikely(has_ts(c, p) && (int32_t)(c->ts_recent - p->opts.tsval) > TCP_PAWS_WINDOW &&
		     !(fl & (TCPD_TH_RST | TCPD_TH_SYN)) && !paws_disordered_ack(c, p))) {
		tcp_inc(ctx, TCPD_STAT_drop_paws);
		return STEP_OOW_ACK;
	}
	if (likely(tcp_seq_acceptable(c, p, wnd)))
		return STEP_NEXT;
	/* RFC 2883: the duplicate's whole sequence space, its FIN's number too (as Linux's
	 * end_seq): a FIN taken before and sent again alone is a duplicate as well */
	seg_end = p->seq + p->payload_len + ((fl & TCPD_TH_FIN) != 0);
	if (seg_end != p->seq && seq_le(seg_end, c->rcv_nxt) && (c->opt_flags & TCPD_TCB_SACK))
		tcp_sack_dsack(ctx, c, p->seq, seg_end);
	if (fl & TCPD_TH_RST) {
		if (rst_after_fin(c, p))
			return STEP_NEXT;
		tcp_inc(ctx, TCPD_STAT_drop_rst_out_of_window);
		return STEP_DROP;
	}
	if (fl & TCPD_TH_SYN)
		return STEP_CHALLENGE; /* RFC 5961 4.2: whatever the sequence */
	tcp_inc(ctx, TCPD_STAT_drop_out_of_window);
	return STEP_OOW_ACK;
}

/*
 * Second: RST, accepted only at exactly RCV.NXT (RFC 5961 3.2; or rst_after_fin), else a
 * challenge ACK if SEG.SEQ is in the window. RFC 5961 judges a RST by SEG.SEQ alone: one whose
 * data reaches into the window from below passed the first check, yet "the sequence number is
 * outside the current receive window": silently dropped (as FreeBSD; Linux challenges it).
 */
static enum step
step_rst(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	if (likely(!(p->flags & TCPD_TH_RST)))
		return STEP_NEXT;
	if (p->seq != c->rcv_nxt && !rst_after_fin(c, p)) {
		/* the window computed again: passing it down cost every segment 3 instructions */
		if (p->seq - c->rcv_nxt < tcp_rcv_wnd(ctx, c))
			return STEP_CHALLENGE;
		tcp_inc(ctx, TCPD_STAT_drop_rst_out_of_window);
		return STEP_DROP;
	}
	tcp_inc(ctx, TCPD_STAT_rst_rx);
	/* SYN-RECEIVED from a simultaneous open: the connection was refused (3.10.7.4 second). */
	tcp_conn_close(ctx, c,
		       c->state == TCPD_SYN_RECEIVED && (c->tflags & TCPD_TCB_F_ACTIVE)
			       ? TCPD_CLOSE_REFUSED
			       : TCPD_CLOSE_RST);
	return STEP_DROP;
}

/* Fourth: a SYN in window. A passive SYN-RECEIVED goes back to LISTEN; elsewhere RFC 5961 4.2. */
static enum step
step_syn(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	if (likely(!(p->flags & TCPD_TH_SYN)))
		return STEP_NEXT;
	if (c->state != TCPD_SYN_RECEIVED)
		return STEP_CHALLENGE;
	tcp_inc(ctx, TCPD_STAT_drop_syn_rcvd);
	tcp_conn_close(ctx, c, TCPD_CLOSE_HANDSHAKE);
	return STEP_DROP;
}

/* Fifth, in SYN-RECEIVED: an acceptable ACK establishes, and so does the ACK of an earlier
 * cookie SYN-ACK of the same SYN (tcp_listen_cookie_syn_rcvd); any other is reset. */
static enum step
ack_syn_received(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	if (!(seq_lt(c->snd_una, p->ack) && seq_le(p->ack, c->snd_max)) &&
	    !tcp_listen_cookie_syn_rcvd(ctx, c, p)) {
		tcp_inc(ctx, TCPD_STAT_drop_bad_ack);
		return STEP_DROP_RST;
	}
	tcp_snd_wnd_set(c, (uint32_t)p->win << c->snd_wscale);
	c->snd_wl1 = p->seq;
	/* with timestamps, rtt_seq holds our first SYN-ACK's TSval (tcp_listen_syn) */
	tcp_rto_handshake_done(ctx, c,
			       has_ts(c, p) && !(c->tflags & TCPD_TCB_F_ACTIVE) &&
				       p->opts.tsecr == c->rtt_seq);
	c->retries = 0;
	tcp_set_state(ctx, c, TCPD_ESTABLISHED);
	return STEP_NEXT;
}

/* SEG.ACK == SND.UNA: a duplicate ACK (RFC 5681 2) or the end of a run of them. The answers to
 * zero-window probes repeat SND.UNA too, but tell of a full receiver, not of a loss. */
static void
ack_same(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	if (p->payload_len == 0 && !(p->flags & (TCPD_TH_SYN | TCPD_TH_FIN)) &&
	    c->snd_una != c->snd_max && c->snd_wnd != 0 &&
	    ((uint32_t)p->win << c->snd_wscale) == c->snd_wnd)
		tcp_cc_dup_ack(ctx, c);
	else if (c->dupacks != TCPD_TCB_RECOVERY)
		c->dupacks = 0; /* "in a row" (RFC 5681 3.2) */
}

/* Fifth, in the closing states: our FIN acknowledged. STEP_DONE if the connection moved on to
 * TIME-WAIT or went away. */
static enum step
ack_fin_states(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	if (!fin_acked(c))
		return STEP_NEXT;
	switch (c->state) {
	case TCPD_FIN_WAIT_1:
		tcp_set_state(ctx, c, TCPD_FIN_WAIT_2);
		return STEP_NEXT;
	case TCPD_CLOSING:
		tcp_enter_time_wait(ctx, c);
		return STEP_DROP;
	case TCPD_LAST_ACK:
		tcp_conn_close(ctx, c, TCPD_CLOSE_NORMAL);
		return STEP_DROP;
	default:
		return STEP_NEXT;
	}
}

/*
 * Fifth: ACK (set here: without SYN and RST, a segment without it was dropped on entry).
 * TS.Recent is taken only from a segment whose ACK is acceptable (RFC 7323 4.3, as Linux since
 * 2013): a forged in-window segment acknowledging unsent data must not poison PAWS.
 */
static enum step
step_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p, int *restart)
{
	uint32_t old_una = c->snd_una;
	enum step r;

	if (unlikely(c->state == TCPD_SYN_RECEIVED) &&
	    (r = ack_syn_received(ctx, c, p)) != STEP_NEXT)
		return r;
	if (unlikely(seq_gt(p->ack, c->snd_max) || seq_lt(p->ack, c->snd_una - max_snd_wnd(c)))) {
		/* Acknowledges what was never sent, or far too old: discarded, and the ACK back is
		 * a challenge ACK under its rate limit (RFC 5961 5.2 and 7, as Linux's tcp_ack):
		 * an ACK answered by an ACK of unsent data is otherwise an unbounded loop. */
		tcp_inc(ctx, TCPD_STAT_drop_bad_ack);
		return STEP_CHALLENGE;
	}
	if (has_ts(c, p) && seq_le(p->seq, c->rcv_nxt) && seq_ge(p->opts.tsval, c->ts_recent))
		c->ts_recent = p->opts.tsval;
	/* RFC 6675 2: with SACK, a DupAck is an ACK of SND.UNA that SACKs new data, whatever it
	 * carries besides (the echo peer's ACKs ride on its data). */
	if (c->opt_flags & TCPD_TCB_SACK) {
		/* Only new SACK information counts: a duplicated ACK frame says nothing (RFC
		 * 6675 2; with 5 % duplication the RFC 5681 count started spurious recoveries). */
		if (((p->opts.present & TCPD_OPT_SACK) || c->ext) && tcp_sack_rx(ctx, c, p) &&
		    p->ack == c->snd_una && c->snd_una != c->snd_max)
			tcp_cc_dup_ack(ctx, c);
	} else if (p->ack == c->snd_una) {
		ack_same(ctx, c, p);
	}
	if (seq_gt(p->ack, c->snd_una))
		*restart = 1 | (ack_advance(ctx, c, p) << 1); /* bit 1: window update due */
	/* Window update, only from an ACK at or above SND.UNA (RFC 9293 3.10.7.4: an older one
	 * "can be ignored"; Linux's old_ack path): one below it with a later SEG.SEQ (a forgery or a
	 * bug: a peer's ACKs only move forward) closed our window. SND.WL2 =< SEG.ACK then holds
	 * since WL2 =< SND.UNA. An ACK that moves SND.UNA carries the window for the new SND.UNA
	 * whatever its SEG.SEQ (Linux's tcp_may_update_window): a segment straddling RCV.NXT keeps
	 * the SEQ of its old part, below SND.WL1 (RFC 9293 processes its new part only); its
	 * window was ignored and the old one slid with SND.UNA, past every edge the peer offered. */
	if (seq_ge(p->ack, old_una) && (seq_gt(p->ack, old_una) || seq_ge(p->seq, c->snd_wl1))) {
		tcp_snd_wnd_set(c, (uint32_t)p->win << c->snd_wscale);
		if (seq_ge(p->seq, c->snd_wl1))
			c->snd_wl1 = p->seq;
		if (c->snd_wnd != 0 && c->retries >> 4)
			c->retries = 0; /* the window opened: persist back-off over */
	}
	if (unlikely(c->snd_wnd == 0) && (c->retries & TCP_RETRIES_MASK)) {
		/* An acceptable ACK with the window closed, our retransmissions (of data the window
		 * since shrank under) being zero-window probes now: the peer is there, probing goes
		 * on as long as it answers (RFC 9293 3.8.6.1, MUST-37; Linux's "dastardly shrinks
		 * window"). Tested after the window update, which may be what closed it. The probe
		 * count restarts, the back-off is kept (see tcp_backoff; cleared when it opens). */
		c->retries =
			(uint8_t)(RTE_MIN(tcp_backoff(c), (unsigned int)TCP_RETRIES_MASK) << 4);
	}
	return ack_fin_states(ctx, c);
}

/* Seventh: segment text, in the states that still receive. @return 1 if the application kept
 * @m. *need_ack is set when the segment must be acknowledged. */
static int
step_text(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
	  const struct tcpd_pkt *p, uint32_t wnd, int *need_ack)
{
	int taken;

	if (p->payload_len == 0)
		return 0;
	if (c->state != TCPD_ESTABLISHED && c->state != TCPD_FIN_WAIT_1 &&
	    c->state != TCPD_FIN_WAIT_2) {
		tcp_inc(ctx, TCPD_STAT_drop_data_closed);
		return 0;
	}
	*need_ack = 1;
	taken = deliver(ctx, c, m, p, wnd);
	if (unlikely(c->ext != 0)) {
		/* nothing queued past a FIN may reach the application */
		if (p->flags & TCPD_TH_FIN)
			tcp_reass_fin_taken(ctx, c, p->seq + p->payload_len);
		tcp_reass_deliver(ctx, c); /* the hole may be filled */
	}
	return taken;
}

/*
 * Eighth: FIN, once everything before it was taken. After the peer's FIN (CLOSE-WAIT, CLOSING,
 * LAST-ACK) there is no sequence space left for another one: ignored. @return 1 if the
 * connection entered TIME-WAIT (the ACK is then sent here).
 */
static int
step_fin(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m, const struct tcpd_pkt *p,
	 int *need_ack)
{
	int fin = (p->flags & TCPD_TH_FIN) && p->seq + p->payload_len == c->rcv_nxt;

	/* or the data before a FIN that came out of order just arrived (tcp_reass_fin) */
	if (unlikely(c->ext != 0) && tcp_reass_fin_due(ctx, c))
		fin = 1;
	if (!fin)
		return 0;
	if (unlikely(c->ext != 0))
		tcp_reass_fin_taken(ctx, c, c->rcv_nxt); /* no data follows a FIN */
	switch (c->state) {
	case TCPD_ESTABLISHED:
		tcp_rcv_nxt_add(c, 1);
		tcp_set_state(ctx, c, TCPD_CLOSE_WAIT);
		tcpd_tcp_app_close(c); /* we close after our pending data */
		break;
	case TCPD_FIN_WAIT_1:
		tcp_rcv_nxt_add(c, 1);
		tcp_set_state(ctx, c, TCPD_CLOSING);
		break;
	case TCPD_FIN_WAIT_2:
		tcp_rcv_nxt_add(c, 1);
		tcp_send_ack(ctx, c, m);
		tcp_enter_time_wait(ctx, c);
		return 1;
	default:
		return 0;
	}
	*need_ack = 1;
	return 0;
}

/* The steps after the synchronization checks; the segment is acceptable. */
static enum step
process(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m, const struct tcpd_pkt *p,
	uint32_t wnd)
{
	int restart = 0, need_ack = 0, taken;
	enum step r;

	if ((r = step_rst(ctx, c, p)) != STEP_NEXT || (r = step_syn(ctx, c, p)) != STEP_NEXT ||
	    (r = step_ack(ctx, c, p, &restart)) != STEP_NEXT)
		return r;
	if (unlikely((p->payload_len != 0 || (p->flags & TCPD_TH_FIN)) &&
		     seq_gt(p->seq, c->rcv_nxt))) {
		/* Out of order: kept (RFC 9293 SHLD-31) when it fits the bounds, and acknowledged
		 * at once (RFC 5681 4.2), with SACK blocks saying what is held; so is a FIN. */
		int kept = 0, fin_dup = 0;

		tcp_inc(ctx, TCPD_STAT_dupack_ooo);
		if (c->state == TCPD_ESTABLISHED || c->state == TCPD_FIN_WAIT_1 ||
		    c->state == TCPD_FIN_WAIT_2) {
			if (p->flags & TCPD_TH_FIN)
				fin_dup = tcp_reass_fin(ctx, c, p, wnd);
			if (p->payload_len != 0)
				kept = tcp_reass_queue(ctx, c, m, p, wnd, fin_dup);
		}
		tcp_output(ctx, c, kept ? NULL : m, TCP_OUT_ACK);
		tcp_timer_update(ctx, c, restart);
		return STEP_DONE;
	}
	if (unlikely(p->payload_len != 0 && seq_lt(p->seq, c->rcv_nxt)) &&
	    (c->opt_flags & TCPD_TCB_SACK))
		tcp_sack_dsack(ctx, c, p->seq, c->rcv_nxt); /* partly old: RFC 2883 */
	need_ack = restart >> 1;
	taken = step_text(ctx, c, m, p, wnd, &need_ack);
	if (step_fin(ctx, c, taken ? NULL : m, p, &need_ack))
		return STEP_DONE;
	tcp_output(ctx, c, taken ? NULL : m, need_ack ? TCP_OUT_ACK : 0);
	tcp_timer_update(ctx, c, restart);
	return STEP_DONE;
}

enum tcp_verdict
tcp_fsm_input(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
	      const struct tcpd_pkt *p)
{
	uint8_t fl = p->flags;
	enum step r;
	uint32_t wnd;

	/* Neither SYN, ACK nor RST (null, FIN, PSH, URG, xmas scans): no state accepts it (RFC 9293
	 * 3.10.7.4 fifth: "if the ACK bit is off, drop the segment"). Dropped before the sequence
	 * check, in every state TIME-WAIT included, as Linux does (tcp_rcv_established's slow path,
	 * tcp_rcv_state_process): in RFC order an unacceptable one would get an ACK, a reply to a
	 * scanner that a peer never needs, since every segment it sends after its SYN has ACK. */
	if (unlikely(!(fl & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST)))) {
		tcp_inc(ctx, TCPD_STAT_drop_no_ack);
		r = STEP_DROP;
		goto out;
	}
	if (likely(fast_path(ctx, c, m, p)))
		return TCP_DONE;
	if (unlikely(c->state == TCPD_SYN_SENT)) {
		tcp_syn_sent_input(ctx, c, m, p);
		return TCP_DONE;
	}
	if (unlikely(c->state == TCPD_SYN_RECEIVED) &&
	    (fl & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST)) == TCPD_TH_SYN) {
		r = step_syn_received_syn(ctx, c, m, p);
		goto out;
	}
	wnd = tcp_rcv_wnd(ctx, c);
	r = step_sequence(ctx, c, p, wnd);
	if (r == STEP_NEXT)
		r = process(ctx, c, m, p, wnd);
out:
	switch (r) {
	case STEP_DROP:
		rte_pktmbuf_free(m);
		break;
	case STEP_DROP_ACK:
		tcp_send_ack(ctx, c, m);
		break;
	case STEP_OOW_ACK:
		tcp_oow_ack(ctx, c, m, p);
		break;
	case STEP_DROP_RST:
		tcp_send_rst_noconn(ctx, m, p);
		break;
	case STEP_CHALLENGE:
		tcp_challenge_ack(ctx, c, m);
		break;
	default:
		break;
	}
	return TCP_DONE;
}
