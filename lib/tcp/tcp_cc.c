/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Congestion control: RFC 5681 slow start and congestion avoidance, fast retransmit on the third
 * duplicate ACK and NewReno fast recovery (RFC 6582). cwnd and ssthresh are in segments.
 * Divisions happen per loss event and per partial ACK, never per ordinary segment.
 */
#include "tcp_internal.h"

uint16_t
tcp_cc_loss(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t flight)
{
	/* Veno's test, backlog = cwnd x (RTT - BaseRTT) / RTT below a few segments, cannot be
	 * computed with RTTs of a fraction of a ms in whole-ms samples; the queueing delay it
	 * stands for can, to --random-loss-ms (default 2). Without a queue, Westwood+'s ssthresh = BWE x RTTmin
	 * is the flight itself: random loss (5 % on the lab's relay) no longer holds cwnd at the
	 * 7-9 segments where one loss per round trip balances one segment of growth. A queue
	 * that fills (a bottleneck's drops) raises SRTT first, and those losses reduce. */
	if (ctx->cfg->random_loss_ms != 0 && (c->opt_flags & TCPD_TCB_TS) && c->rtt_min != 0 &&
	    c->srtt8 != 0 && c->srtt8 <= ((uint32_t)c->rtt_min + ctx->cfg->random_loss_ms) * 8) {
		tcp_inc(ctx, TCPD_STAT_cc_loss_random);
		c->tflags |= TCPD_TCB_F_RLOSS;
		return (uint16_t)RTE_MAX(RTE_MIN(flight, (uint32_t)UINT16_MAX - 3), 2u);
	}
	tcp_inc(ctx, TCPD_STAT_cc_loss_queue);
	c->tflags &= (uint8_t)~TCPD_TCB_F_RLOSS;
	return tcp_cc_ssthresh(flight);
}

/*
 * A duplicate ACK (RFC 5681 section 2: no data, no SYN or FIN, SEG.ACK == SND.UNA with data
 * outstanding, the window unchanged). The third starts fast retransmit and fast recovery
 * (3.2): ssthresh from the flight, the segment at SND.UNA sent again, cwnd = ssthresh + 3, and
 * RFC 6582's recovery point; each further one inflates cwnd by a segment, so that tcp_output
 * can send new data as the peer reports segments leaving the network. Not when SND.UNA is
 * still below the recovery point of the last recovery or RTO (RFC 6582 3.2 step 1, section 4):
 * those are duplicates of data already resent, not a new loss.
 */
/*
 * RFC 3042 limited transmit: the first and second duplicate ACKs each let one new segment go,
 * if the peer's window allows it and no more than cwnd + 2 segments would be outstanding; cwnd
 * itself is unchanged. Keeps the ACK clock running so that a small window still reaches the
 * third duplicate ACK instead of an RTO.
 */
static void
limited_transmit(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	uint32_t maxp = tcp_seg_payload_max(c), len;

	if (c->snd_nxt != c->snd_max || !seq_lt(c->snd_nxt, c->app_end))
		return;
	len = RTE_MIN(maxp, c->app_end - c->snd_nxt);
	if (seq_gt(c->snd_nxt + len, c->snd_una + c->snd_wnd) ||
	    c->snd_max - c->snd_una + len > ((uint32_t)c->cwnd + c->dupacks) * c->snd_mss)
		return;
	if (tcp_output_seg(ctx, c, c->snd_nxt, len))
		tcp_inc(ctx, TCPD_STAT_limited_transmit);
}

void
tcp_cc_dup_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	uint32_t flight;

	if (c->dupacks == TCPD_TCB_RECOVERY) {
		/* RFC 6675: no inflation, pipe says what may leave */
		if (c->ext != 0 && tcp_sack_output(ctx, c))
			return;
		if (!tcp_sack_active(ctx, c) && c->cwnd < UINT16_MAX)
			c->cwnd++;
		return;
	}
	/* on a reordering path the count alone never starts recovery: IsLost (more SACKed above
	 * SND.UNA) or the reordering timer does */
	if (++c->dupacks == TCPD_TCB_RECOVERY && (c->tflags & TCPD_TCB_F_REORDER))
		c->dupacks = TCPD_TCB_RECOVERY - 1;
	if (c->dupacks < TCPD_TCB_RECOVERY && !tcp_sack_lost_una(ctx, c)) {
		limited_transmit(ctx, c);
		return;
	}
	c->dupacks = TCPD_TCB_RECOVERY; /* RFC 6675 5 (3): IsLost(SND.UNA) starts it too */
	if (!seq_ge(c->snd_una, c->recover)) {
		c->dupacks = TCPD_TCB_RECOVERY - 1; /* look again at the next one */
		return;
	}
	if (tcp_sack_active(ctx, c))
		tcp_sack_undo_mark(ctx, c, c->cwnd, c->ssthresh);
	flight = (c->snd_max - c->snd_una) / c->snd_mss;
	c->ssthresh = tcp_cc_loss(ctx, c, flight);
	c->recover = c->snd_max;
	c->opt_flags &= ~TCPD_TCB_RTT; /* Karn: the timed segment may be the lost one */
	tcp_inc(ctx, TCPD_STAT_fast_retransmit);
	if (tcp_sack_active(ctx, c)) {
		/* RFC 6675 5 (4): cwnd = ssthresh, the first hole now, then what pipe allows */
		c->cwnd = c->ssthresh;
		tcp_sack_enter(ctx, c);
		return;
	}
	tcp_retransmit_una(ctx, c);
	c->cwnd = (uint16_t)(c->ssthresh + 3);
}

/*
 * RFC 5681, kept small: slow start adds a segment per ACK of new data; congestion avoidance adds
 * one per round trip (RFC 5681 3.1), a round ending when what was in flight at its start is
 * acknowledged. With timestamps rtt_seq marks that end (it times segments only without them);
 * without, a round ends when the whole flight is acknowledged, which a sender that always has
 * data in flight may rarely see. In fast recovery, RFC 6582 sets cwnd instead
 * (tcp_cc_recovery_ack).
 */
void
tcp_cc_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t old_una, int recovering)
{
	int ts = c->opt_flags & TCPD_TCB_TS;

	RTE_SET_USED(ctx);
	/* new data acknowledged: the probe episode is over */
	c->tflags &= (uint8_t) ~(TCPD_TCB_F_TLP | TCPD_TCB_F_TLP1);
	/* a recovery from random loss (tcp_cc_loss) keeps growing: at 5 % loss a round trip
	 * without a loss is rare once cwnd passes a few tens of segments, and growth outside
	 * recovery alone stalled there (its cwnd = ssthresh = the flight: pipe allows more) */
	if (recovering && !(c->tflags & TCPD_TCB_F_RLOSS))
		return;
	if (!recovering)
		c->dupacks = 0;
	if (old_una == c->iss || c->cwnd == UINT16_MAX)
		return;
	if (c->cwnd < c->ssthresh) {
		c->cwnd++;
		if (ts)
			c->rtt_seq = c->snd_max; /* a round starts here when slow start ends */
	} else if (ts ? seq_ge(c->snd_una, c->rtt_seq) : c->snd_una == c->snd_max) {
		c->cwnd++;
		if (ts)
			c->rtt_seq = c->snd_max;
	}
}

/*
 * New data acknowledged during fast recovery. A full ACK (RECOVER covered) ends it with
 * cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS) (RFC 6582 3.2 step 3, option 1: no burst
 * when little is in flight); a partial one means the next hole was lost too: it is resent at
 * once, and cwnd deflated by what was acknowledged, plus one segment if that was at least one.
 */
void
tcp_cc_recovery_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t acked)
{
	uint32_t segs;

	if (seq_ge(c->snd_una, c->recover)) {
		segs = (c->snd_max - c->snd_una) / c->snd_mss;
		c->dupacks = 0;
		c->tflags &= (uint8_t)~TCPD_TCB_F_RLOSS;
		if (c->ext != 0)
			tcp_sack_recovery_end(ctx, c);
		/* With SACK, RFC 6675 set cwnd = ssthresh on entry and never inflated it: it stays
		 * (as Linux ends recovery); the flight rule left an application-limited sender (an
		 * HTTP response ending) with 2 segments for its next response. */
		if (!(c->opt_flags & TCPD_TCB_SACK))
			c->cwnd = (uint16_t)RTE_MIN((uint32_t)c->ssthresh, RTE_MAX(segs, 1u) + 1);
		return;
	}
	if (tcp_sack_active(ctx, c)) {
		/* RFC 6675: a partial ACK changes no window; the scoreboard says what is lost */
		tcp_sack_output(ctx, c);
		return;
	}
	segs = acked / c->snd_mss;
	c->cwnd = (uint16_t)((c->cwnd > segs ? c->cwnd - segs : 1) + (segs != 0));
	tcp_inc(ctx, TCPD_STAT_fast_retransmit);
	tcp_retransmit_una(ctx, c);
}
