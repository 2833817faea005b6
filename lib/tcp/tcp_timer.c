/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one timer of each connection. What it means follows from the state and from the
 * TCPD_TCB_TMASK bits: SYN-ACK retransmission (SYN-RECEIVED), RTO or persist
 * while something is outstanding or waiting for window, else the FIN-WAIT-2 or idle timeout.
 * TIME-WAIT has no timer: its compact entries expire in order (tcp_timewait.c).
 */
#include "tcp_internal.h"

uint32_t
tcp_rto_ms(const struct tcpd_tcb *c)
{
	uint32_t rto;

	if (c->srtt8 == 0) {
		/* RFC 6298 2.1, or 5.7 after a lost SYN (rttvar4 set by tcp_rto_handshake_done;
		 * the first sample replaces it, 2.2) */
		rto = c->rttvar4 != 0 ? c->rttvar4 : TCP_RTO_INIT_MS;
	} else {
		/* RFC 6298 2.3: SRTT + max(G, K*RTTVAR); rttvar4 is already 4*RTTVAR. */
		rto = (c->srtt8 >> 3) + RTE_MAX((uint32_t)c->rttvar4, 1u);
		if (rto < TCP_RTO_MIN_MS)
			rto = TCP_RTO_MIN_MS;
	}
	/* RFC 6298 5.5: back off exponentially. */
	rto <<= RTE_MIN(tcp_backoff(c), 16u);
	return rto > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : rto;
}

void
tcp_rtt_sample(struct tcpd_tcb *c, uint32_t r)
{
	if (r > 8000)
		r = 8000; /* keeps srtt8 in 16 bits; larger samples only mean a long RTO anyway */
	if (r == 0)
		r = 1;
	/* the base RTT of tcp_cc_loss, over the connection's life (Westwood+'s RTTmin): a path
	 * that became longer then only makes every loss count as congestion, as before */
	if ((c->opt_flags & TCPD_TCB_TS) && (c->rtt_min == 0 || r < c->rtt_min))
		c->rtt_min = (uint16_t)r;
	if (c->srtt8 == 0) { /* RFC 6298 2.2 */
		c->srtt8 = (uint16_t)(r << 3);
		c->rttvar4 = (uint16_t)(r << 1);
	} else { /* RFC 6298 2.3, alpha 1/8, beta 1/4, in the scaled fields */
		int32_t err = (int32_t)r - (c->srtt8 >> 3);

		c->rttvar4 = (uint16_t)(c->rttvar4 - (c->rttvar4 >> 2) + (err < 0 ? -err : err));
		c->srtt8 = (uint16_t)(c->srtt8 - (c->srtt8 >> 3) + r);
	}
}

/* Arm @ms from now: the wheel only advances in tcpd_tcp_timers, so its tick may lag the clock
 * of the current burst. */
static inline void
arm(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint64_t ms)
{
	uint64_t wnow = tcpd_timer_now(ctx->wheel);

	if (ctx->now_ms > wnow)
		ms += ctx->now_ms - wnow;
	tcpd_timer_arm(ctx->wheel, &c->timer, ms);
}

void
tcp_timer_state(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint64_t ms)
{
	c->opt_flags = (uint8_t)((c->opt_flags & ~TCPD_TCB_TMASK) | TCP_TK_OTHER);
	arm(ctx, c, ms);
}

/*
 * RFC 8985 7.2: a tail-loss probe may be scheduled when SACK was negotiated (as in Linux: the
 * probe works through the SACK it draws), with no probe unanswered and no RTO back-off, an RTT
 * estimate, the peer's window open and data in flight. Unlike RFC 8985, also in recovery and
 * after an RTO once an ACK made progress: without per-segment send times (RACK) a lost
 * retransmission is otherwise found only by the RTO, 200 ms on a path of a few ms. Also unlike
 * RFC 8985, two probes per episode, the second at twice the PTO: at 5 % loss each way a probe
 * or its ACK is lost one time in ten, and with our window closed (echo's queue full) the peer
 * sends nothing else that could carry an ACK (captured: most of the daemon's RTOs in the 5 %
 * cell followed a lost last ACK and then a lost probe or probe ACK). Never with --tlp off.
 * @return the PTO in ms, 0 if no probe is due or the RTO would come first.
 */
static uint32_t
tlp_pto_ms(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	uint32_t pto, flight = c->snd_max - c->snd_una;

	if (!ctx->cfg->tlp || !(c->opt_flags & TCPD_TCB_SACK) || (c->tflags & TCPD_TCB_F_TLP) ||
	    c->srtt8 == 0 || c->retries != 0 || c->snd_wnd == 0 || flight == 0)
		return 0;
	pto = (uint32_t)(c->srtt8 >> 2) +
	      (flight > c->snd_mss ? TCP_PTO_MIN_MS : TCP_PTO_DELACK_MS);
	if (c->tflags & TCPD_TCB_F_TLP1)
		pto <<= 1;
	return pto < tcp_rto_ms(c) ? pto : 0;
}

/*
 * RFC 8985 7.3: the probe is the last segment sent (with our FIN if that ended it) again, the
 * RFC's choice when there is no new data. Its ACK, SACKing it above a lost tail, starts recovery
 * (reordering timer or DupAcks) instead of the RTO; when only the ACKs were lost it draws an
 * ACK at once with a D-SACK (RFC 9293 3.10.7.4, RFC 2883). Not new data, the RFC's first choice:
 * a peer that delays its ACKs (Linux: 40 ms at least) answers a single in-order segment late,
 * and in the 5 % loss cell every lost last ACK of a cwnd-limited flight cost 40-45 ms that way
 * (captured: one or two per 16 MiB echo). In recovery or after an RTO, the ACKs stopped while
 * holes were being repaired: the likeliest loss is the retransmission of the hole at SND.UNA,
 * which goes again.
 */
static void
tlp_probe(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	uint32_t end, len, n;

	if (tlp_pto_ms(ctx, c) == 0)
		return; /* what armed it no longer holds: the timer update decides anew */
	/* two probes, sent or not (no buffer): then the RTO */
	c->tflags |= (c->tflags & TCPD_TCB_F_TLP1) ? TCPD_TCB_F_TLP : TCPD_TCB_F_TLP1;
	if (c->dupacks == TCPD_TCB_RECOVERY || seq_lt(c->snd_una, c->recover)) {
		len = RTE_MIN(tcp_sack_hole_len(ctx, c), tcp_seg_payload_max(c));
		n = tcp_output_seg(ctx, c, c->snd_una, len);
	} else {
		/* snd_max beyond app_end: our FIN was sent, it goes again with the last data */
		end = seq_gt(c->snd_max, c->app_end) ? c->app_end : c->snd_max;
		len = RTE_MIN(end - c->snd_una, tcp_seg_payload_max(c));
		n = tcp_output_seg(ctx, c, end - len, len);
	}
	if (n != 0)
		tcp_inc(ctx, TCPD_STAT_tlp_probe);
}

static inline int
fin_waiting(const struct tcpd_tcb *c)
{
	return (c->tflags & TCPD_TCB_F_FIN) && c->snd_nxt == c->app_end &&
	       (c->state == TCPD_ESTABLISHED || c->state == TCPD_CLOSE_WAIT);
}

void
tcp_timer_update(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, int restart)
{
	unsigned int kind = c->opt_flags & TCPD_TCB_TMASK;
	int armed = tcpd_timer_armed(&c->timer);

	if (c->state == TCPD_SYN_SENT || c->state == TCPD_SYN_RECEIVED ||
	    c->state == TCPD_TIME_WAIT)
		return; /* their timers are set on entry (TIME-WAIT: the compact entry's expiry) */
	if (c->snd_una != c->snd_max || seq_lt(c->snd_nxt, c->app_end) || fin_waiting(c)) {
		/* Outstanding data, or data the window holds back (persist). */
		uint32_t reo = c->ext != 0 ? tcp_sack_reo_ms(ctx, c) : 0;
		int pto_armed = kind == TCP_TK_REO && (c->tflags & TCPD_TCB_F_PTO);

		if (reo != 0) {
			if (kind != TCP_TK_REO || !armed || pto_armed) {
				c->opt_flags =
					(uint8_t)((c->opt_flags & ~TCPD_TCB_TMASK) | TCP_TK_REO);
				c->tflags &= ~TCPD_TCB_F_PTO;
				arm(ctx, c, reo);
			}
			return;
		}
		reo = tlp_pto_ms(ctx, c);
		if (reo != 0) {
			/* RFC 8985 7.2: (re)started by each ACK of new data, like the RTO */
			if (!pto_armed || restart || !armed) {
				c->opt_flags =
					(uint8_t)((c->opt_flags & ~TCPD_TCB_TMASK) | TCP_TK_REO);
				c->tflags |= TCPD_TCB_F_PTO;
				arm(ctx, c, reo);
			}
			return;
		}
		if (kind != TCP_TK_RTO || restart || !armed) {
			uint32_t ms = tcp_rto_ms(c);

			/* Nothing in flight, the window open: silly window avoidance holds the
			 * data back; its override timeout is at most TCP_SWS_OVERRIDE_MS */
			if (c->snd_una == c->snd_max && c->snd_wnd != 0)
				ms = RTE_MIN(ms, (uint32_t)TCP_SWS_OVERRIDE_MS);
			c->opt_flags = (uint8_t)((c->opt_flags & ~TCPD_TCB_TMASK) | TCP_TK_RTO);
			arm(ctx, c, ms);
		}
		return;
	}
	if (c->state == TCPD_FIN_WAIT_2) {
		/* Counted from the moment our FIN was acknowledged, not reset by traffic. */
		if (kind != TCP_TK_OTHER || !armed)
			tcp_timer_state(ctx, c, (uint64_t)ctx->cfg->fin_wait2_timeout * 1000);
		return;
	}
	if (c->state == TCPD_ESTABLISHED || c->state == TCPD_CLOSE_WAIT) {
		/* The shorter of the global idle timeout and the application's own. */
		uint32_t idle = ctx->apps[c->app].idle_ms;
		uint32_t glob = ctx->cfg->idle_timeout * 1000;

		if (idle == 0 || (glob != 0 && glob < idle))
			idle = glob;
		if (idle) {
			tcp_timer_state(ctx, c, idle);
			return;
		}
	}
	c->opt_flags &= ~TCPD_TCB_TMASK;
	tcpd_timer_cancel(ctx->wheel, &c->timer);
}

/* Retransmissions before reset. Once our FIN is out nobody waits for the connection: a shorter
 * budget (Linux tcp_orphan_retries), so that peers that never acknowledge it cannot fill the
 * table. */
static inline uint32_t
rto_limit(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	uint32_t orphan = ctx->cfg->orphan_retries ? ctx->cfg->orphan_retries : UINT32_MAX;

	return c->state == TCPD_ESTABLISHED || c->state == TCPD_CLOSE_WAIT
		       ? ctx->cfg->rto_retries
		       : RTE_MIN(orphan, ctx->cfg->rto_retries);
}

/*
 * The timer expired with the peer's window closed (RFC 9293 3.8.6.1): a probe of one octet at
 * SND.UNA, new data or the first of a flight the window shrank under. Not a loss: the congestion
 * state stays (each probe of a long zero-window wait cut ssthresh to 2 segments, and slow start
 * ended there once the window opened). SND.NXT stays at SND.UNA, as FreeBSD's persist does: a
 * receiver with no room drops the octet (Linux does), and the window's opening must send it
 * again, not the data after it (which left a hole for the RTO to find, 200 ms or more per zero-
 * window episode). An ACK that takes the octet moves SND.NXT with SND.UNA.
 */
static void
persist_probe(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	c->opt_flags &= ~(TCPD_TCB_RTT | TCPD_TCB_TMASK); /* Karn */
	c->snd_nxt = c->snd_una;
	tcp_output(ctx, c, NULL, TCP_OUT_PROBE);
	c->snd_nxt = c->snd_una;
	tcp_timer_update(ctx, c, 1);
}

static void
rto_expired(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	uint32_t flight;

	if (c->snd_una == c->snd_max && c->snd_wnd != 0) {
		/* Nothing was lost: silly window avoidance held new data back (or no buffer or TX
		 * room was there); the override timeout (RFC 9293 3.8.6.2.1 rule 4) sends what the
		 * window allows, without the RTO's back-off and congestion response. */
		c->opt_flags &= ~TCPD_TCB_TMASK;
		if (tcp_output(ctx, c, NULL, TCP_OUT_FORCE) != 0)
			tcp_inc(ctx, TCPD_STAT_sws_override);
		tcp_timer_update(ctx, c, 1);
		return;
	}
	if ((c->retries & TCP_RETRIES_MASK) >= rto_limit(ctx, c)) {
		tcp_inc(ctx, TCPD_STAT_rto_timeout);
		tcp_send_ctl(ctx, c, NULL, c->snd_max, TCPD_TH_RST | TCPD_TH_ACK);
		tcp_conn_close(ctx, c, TCPD_CLOSE_TIMEOUT);
		return;
	}
	c->retries++;
	tcp_inc(ctx, TCPD_STAT_rto_expired);
	if (c->snd_wnd == 0) {
		persist_probe(ctx, c);
		return;
	}
	/* RFC 5681 3.1: cwnd = 1 segment; ssthresh by tcp_cc_loss (the flight if no queue stood
	 * on the path, else RFC 8312 4.6's 0.7 FlightSize), at least 2. One division per RTO. */
	flight = (c->snd_max - c->snd_una) / c->snd_mss;
	c->ssthresh = tcp_cc_loss(ctx, c, flight);
	c->tflags &= (uint8_t)~TCPD_TCB_F_RLOSS; /* no recovery under way */
	c->cwnd = 1;
	/* An RTO ends fast recovery; the duplicate ACKs that go-back-N will draw must not start
	 * another before what was sent so far is acknowledged (RFC 6582 section 4). */
	c->dupacks = 0;
	c->recover = c->snd_max;
	c->opt_flags &= ~TCPD_TCB_RTT; /* Karn: no sample from a retransmission */
	c->snd_nxt = c->snd_una;       /* go-back-N */
	if (c->ext != 0)
		tcp_sack_rto(ctx, c); /* SACKed data is skipped (once) */
	c->opt_flags &= ~TCPD_TCB_TMASK;
	tcp_output(ctx, c, NULL, TCP_OUT_PROBE);
	tcp_timer_update(ctx, c, 1);
}

/* Our SYN (SYN-SENT) or SYN-ACK (SYN-RECEIVED) unanswered: again with back-off, or give up. */
static void
syn_expired(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, enum tcpd_stat gave_up,
	    enum tcpd_close_reason why)
{
	if (c->retries >= ctx->cfg->rto_retries) {
		tcp_inc(ctx, gave_up);
		tcp_conn_close(ctx, c, why);
		return;
	}
	c->retries++;
	c->opt_flags &= ~TCPD_TCB_RTT; /* Karn */
	tcp_inc(ctx, TCPD_STAT_retransmit);
	tcp_send_syn(ctx, c, NULL);
	tcp_timer_state(ctx, c, tcp_rto_ms(c));
}

void
tcp_timer_cb(struct tcpd_timer *t, void *arg)
{
	struct tcpd_tcp_ctx *ctx = arg;
	struct tcpd_tcb *c = container_of(t, struct tcpd_tcb, timer);
	unsigned int kind = c->opt_flags & TCPD_TCB_TMASK;

	switch (c->state) {
	case TCPD_SYN_SENT:
		syn_expired(ctx, c, TCPD_STAT_syn_sent_timeout, TCPD_CLOSE_SYN_TIMEOUT);
		return;
	case TCPD_SYN_RECEIVED:
		syn_expired(ctx, c, TCPD_STAT_syn_rcvd_timeout, TCPD_CLOSE_HANDSHAKE);
		return;
	case TCPD_LAST_ACK:
		/* Saturated (tcpd_tcp_saturated), only our FIN unacknowledged: its final ACK most
		 * likely waits in, or was lost by, our overflowing RX queue. Back off without
		 * sending (no probe, no retransmission); the last expiry still resets. */
		if (ctx->saturated && c->snd_max - c->snd_una == 1 &&
		    (c->retries & TCP_RETRIES_MASK) < rto_limit(ctx, c)) {
			c->retries++;
			tcp_inc(ctx, TCPD_STAT_last_ack_shed);
			c->opt_flags &= ~TCPD_TCB_TMASK;
			tcp_timer_update(ctx, c, 1);
			return;
		}
		break;
	default:
		break;
	}
	if (kind == TCP_TK_RTO) {
		rto_expired(ctx, c);
	} else if (kind == TCP_TK_REO) {
		c->opt_flags &= ~TCPD_TCB_TMASK;
		if (c->tflags & TCPD_TCB_F_PTO) {
			c->tflags &= ~TCPD_TCB_F_PTO;
			tlp_probe(ctx, c);
		} else {
			tcp_sack_reo_expired(ctx, c);
		}
		tcp_timer_update(ctx, c, 1); /* after a probe: the RTO (RFC 8985 7.3) */
	} else if (c->state == TCPD_FIN_WAIT_2) {
		/* Silently, as Linux does with tcp_fin_timeout. */
		tcp_inc(ctx, TCPD_STAT_fin_wait2_timeout);
		tcp_conn_close(ctx, c, TCPD_CLOSE_NORMAL);
	} else if (kind == TCP_TK_OTHER) {
		tcp_inc(ctx, TCPD_STAT_idle_timeout);
		tcp_send_ctl(ctx, c, NULL, c->snd_max, TCPD_TH_RST | TCPD_TH_ACK);
		tcp_conn_close(ctx, c, TCPD_CLOSE_IDLE);
	}
}
