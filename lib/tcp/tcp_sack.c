/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SACK (RFC 2018) both ways, D-SACK (RFC 2883) on the receive side, and loss recovery driven by
 * the scoreboard (RFC 6675: IsLost, pipe, NextSeg rules 1 and 2).
 *
 * Receive side: the blocks of our ACKs describe the out-of-order queue, the block that changed
 * last first (RFC 2018 4), then the others that changed before it, then the rest from the
 * lowest; a D-SACK block, when a duplicate just arrived, comes before all of them.
 *
 * Send side: the scoreboard is TCP_SB_MAX SACKed ranges above SND.UNA (sorted, merged) in the
 * connection's record (tcp_sack.h); more ranges than that keep the lowest ones, which are those
 * that decide what to retransmit. The holes between them are the candidates: a hole is lost
 * (IsLost) when more than DupThresh - 1 segments' worth of data above it is SACKed; pipe counts
 * what is neither SACKed nor lost, plus what was retransmitted (below HighRxt).
 */
#include "tcp_sack.h"

#define DUPTHRESH	  3
#define TCP_REO_DUPTHRESH 8 /* once the path was seen reordering (TCPD_TCB_F_REORDER) */

static void
sb_remove(struct tcp_ext *x, unsigned int i)
{
	x->sb_sacked -= x->sb_r[i] - x->sb_l[i];
	memmove(&x->sb_l[i], &x->sb_l[i + 1], (x->sb_n - i - 1) * sizeof(x->sb_l[0]));
	memmove(&x->sb_r[i], &x->sb_r[i + 1], (x->sb_n - i - 1) * sizeof(x->sb_r[0]));
	x->sb_n--;
}

/* Drop what SND.UNA (@una) now covers. */
static void
sb_prune(struct tcp_ext *x, uint32_t una)
{
	while (x->sb_n && seq_le(x->sb_r[0], una))
		sb_remove(x, 0);
	if (x->sb_n && seq_lt(x->sb_l[0], una)) {
		x->sb_sacked -= una - x->sb_l[0];
		x->sb_l[0] = una;
	}
	if (seq_lt(x->high_rxt, una))
		x->high_rxt = una;
	if (seq_lt(x->lost_to, una))
		x->lost_to = una;
}

/* Add [l, r) (within (SND.UNA, SND.MAX]), merging. */
static void
sb_add(struct tcp_ext *x, uint32_t l, uint32_t r)
{
	unsigned int i = 0, j;

	while (i < x->sb_n && seq_lt(x->sb_r[i], l))
		i++;
	/* ranges i.. that touch [l, r) merge into it */
	j = i;
	while (j < x->sb_n && seq_le(x->sb_l[j], r)) {
		if (seq_lt(x->sb_l[j], l))
			l = x->sb_l[j];
		if (seq_gt(x->sb_r[j], r))
			r = x->sb_r[j];
		j++;
	}
	while (j > i) {
		sb_remove(x, i);
		j--;
	}
	if (x->sb_n == TCP_SB_MAX) {
		if (i == TCP_SB_MAX)
			return; /* above everything kept: the lowest ranges matter more */
		sb_remove(x, TCP_SB_MAX - 1);
	}
	memmove(&x->sb_l[i + 1], &x->sb_l[i], (x->sb_n - i) * sizeof(x->sb_l[0]));
	memmove(&x->sb_r[i + 1], &x->sb_r[i], (x->sb_n - i) * sizeof(x->sb_r[0]));
	x->sb_l[i] = l;
	x->sb_r[i] = r;
	x->sb_n++;
	x->sb_sacked += r - l;
}

int
tcp_sack_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	uint32_t una = seq_gt(p->ack, c->snd_una) ? p->ack : c->snd_una, before;
	struct tcp_ext *x = tcp_ext_of(ctx, c);
	unsigned int b;

	/* RFC 2883: a first block below the ACK, or inside the second, reports a duplicate */
	if (p->opts.nb_sack != 0 &&
	    (seq_le(p->opts.sack[0].right, p->ack) ||
	     (p->opts.nb_sack > 1 && seq_ge(p->opts.sack[0].left, p->opts.sack[1].left) &&
	      seq_le(p->opts.sack[0].right, p->opts.sack[1].right)))) {
		tcp_inc(ctx, TCPD_STAT_dsack_rx);
		/* reordering (or duplication: either way, more patience), unless it reports a
		 * probe or a retransmission of recovery or of an RTO, which the loss may explain */
		if (!(c->tflags & (TCPD_TCB_F_TLP | TCPD_TCB_F_TLP1)) &&
		    c->dupacks != TCPD_TCB_RECOVERY && !seq_lt(c->snd_una, c->recover))
			c->tflags |= TCPD_TCB_F_REORDER;
	}
	before = x != NULL ? x->sb_sacked : 0;
	if (x != NULL)
		sb_prune(x, una);
	for (b = 0; b < p->opts.nb_sack; b++) {
		uint32_t l = p->opts.sack[b].left, r = p->opts.sack[b].right;

		/* D-SACK (below the ACK) and nonsense (beyond what was sent, empty) are ignored */
		if (!seq_lt(l, r) || seq_le(r, una) || seq_gt(r, c->snd_max) ||
		    seq_lt(l, una - (1u << 30)))
			continue;
		if (seq_lt(l, una))
			l = una;
		if (x == NULL && (x = tcp_ext_get(ctx, c)) == NULL)
			return 0;
		sb_add(x, l, r);
	}
	if (x == NULL)
		return 0;
	if (x->sb_sacked > before) {
		tcp_inc(ctx, TCPD_STAT_sack_rx);
		/* Lost retransmission (as Linux's tcp_mark_lost_retrans before RACK): the peer
		 * SACKs data first sent after our last retransmission while holes below HighRxt
		 * are still open: those retransmissions were lost too, send them again rather
		 * than wait for the RTO. */
		if (c->dupacks == TCPD_TCB_RECOVERY && x->sb_n && seq_gt(x->high_rxt, una) &&
		    seq_lt(una, x->sb_l[0]) && seq_gt(x->sb_r[x->sb_n - 1], x->rxt_mark)) {
			x->high_rxt = una;
			x->rxt_mark = c->snd_max;
			tcp_inc(ctx, TCPD_STAT_sack_rxt_lost);
		}
		return 1;
	}
	tcp_ext_put_if_empty(ctx, c);
	return 0;
}

int
tcp_sack_active(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	const struct tcp_ext *x = tcp_ext_of(ctx, c);

	return x != NULL && x->sb_n != 0;
}

/* SACKed bytes above @seq. */
static uint32_t
sacked_above(const struct tcp_ext *x, uint32_t seq)
{
	uint32_t n = 0;
	int i;

	for (i = x->sb_n - 1; i >= 0 && seq_gt(x->sb_r[i], seq); i--)
		n += x->sb_r[i] - (seq_gt(x->sb_l[i], seq) ? x->sb_l[i] : seq);
	return n;
}

/* RFC 6675 IsLost(@seq): more than (DupThresh - 1) * SMSS bytes SACKed above it. */
static inline int
is_lost(const struct tcpd_tcb *c, const struct tcp_ext *x, uint32_t seq)
{
	return seq_lt(seq, x->lost_to) ||
	       sacked_above(x, seq) >
		       ((c->tflags & TCPD_TCB_F_REORDER) ? TCP_REO_DUPTHRESH - 1 : DUPTHRESH - 1) *
			       (uint32_t)tcp_seg_payload_max(c);
}

int
tcp_sack_lost_una(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	const struct tcp_ext *x = tcp_ext_of(ctx, c);

	return x != NULL && x->sb_n != 0 && is_lost(c, x, c->snd_una);
}

/*
 * RFC 6675 SetPipe: over [SND.UNA, SND.MAX), the bytes that are not SACKed and not lost, plus
 * those retransmitted (below HighRxt). Hole by hole: a hole counts as lost when IsLost holds at
 * its end (what is SACKed above it), as it does for each of its octets but the last segment.
 */
static uint32_t
pipe_bytes(const struct tcpd_tcb *c, const struct tcp_ext *x)
{
	uint32_t pipe = 0, a = c->snd_una;
	unsigned int i;

	for (i = 0; i <= x->sb_n; i++) {
		uint32_t b = i < x->sb_n ? x->sb_l[i] : c->snd_max;

		if (seq_lt(a, b)) {
			if (!is_lost(c, x, b - 1))
				pipe += b - a;
			if (seq_gt(x->high_rxt, a))
				pipe += (seq_lt(x->high_rxt, b) ? x->high_rxt : b) - a;
		}
		if (i < x->sb_n)
			a = x->sb_r[i];
	}
	return pipe;
}

/*
 * NextSeg rule 1: the first octet above HighRxt (and SND.UNA) that is neither SACKed nor sent
 * again yet and is lost. @return 1 with *seq and *len set.
 */
static int
next_lost(const struct tcpd_tcb *c, const struct tcp_ext *x, uint32_t *seq, uint32_t *len)
{
	uint32_t a = c->snd_una;
	unsigned int i;

	for (i = 0; i < x->sb_n; i++) {
		uint32_t b = x->sb_l[i], s = seq_gt(x->high_rxt, a) ? x->high_rxt : a;

		if (seq_lt(s, b) && is_lost(c, x, s)) {
			*seq = s;
			*len = b - s;
			return 1;
		}
		a = x->sb_r[i];
	}
	return 0;
}

/* One retransmission of [seq, seq + len) (at most a segment). @return bytes sent. */
static uint32_t
resend(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct tcp_ext *x, uint32_t seq, uint32_t len)
{
	uint32_t n = tcp_output_seg(ctx, c, seq, len);

	if (n == 0)
		return 0;
	tcp_inc(ctx, TCPD_STAT_sack_retransmit);
	if (seq_gt(seq + n, x->high_rxt))
		x->high_rxt = seq + n;
	x->rxt_mark = c->snd_max;
	return n;
}

void
tcp_sack_enter(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);
	uint32_t len;

	if (x == NULL)
		return;
	tcp_inc(ctx, TCPD_STAT_sack_recovery);
	x->high_rxt = c->snd_una;
	/* RFC 6675 5 (4.2): the first unSACKed segment, lost or not */
	len = x->sb_n ? x->sb_l[0] - c->snd_una : tcp_seg_payload_max(c);
	resend(ctx, c, x, c->snd_una, len);
	tcp_sack_output(ctx, c);
}

unsigned int
tcp_sack_output(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);
	uint32_t maxp = tcp_seg_payload_max(c), cw = (uint32_t)c->cwnd * c->snd_mss;
	unsigned int sent = 0, guard;

	if (x == NULL)
		return 0;
	for (guard = 0; guard < 64; guard++) {
		uint32_t seq, len, n;

		if (pipe_bytes(c, x) + maxp > cw)
			break;
		if (next_lost(c, x, &seq, &len)) {
			n = resend(ctx, c, x, seq, len);
		} else {
			/* rule 2: new data the peer's window allows */
			uint32_t wend = c->snd_una + c->snd_wnd;
			int fin = (c->tflags & TCPD_TCB_F_FIN) && c->snd_nxt == c->app_end &&
				  (c->state == TCPD_ESTABLISHED || c->state == TCPD_CLOSE_WAIT);

			if (!(seq_lt(c->snd_nxt, c->app_end) || fin) || !seq_lt(c->snd_nxt, wend))
				break;
			n = tcp_output_seg(ctx, c, c->snd_nxt, wend - c->snd_nxt);
		}
		if (n == 0)
			break;
		sent++;
	}
	return sent;
}

uint32_t
tcp_sack_skip(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	const struct tcp_ext *x = tcp_ext_of(ctx, c);
	unsigned int i;

	if (x == NULL)
		return UINT32_MAX;
	for (i = 0; i < x->sb_n; i++) {
		if (seq_lt(c->snd_nxt, x->sb_l[i]))
			return x->sb_l[i] - c->snd_nxt;
		if (seq_lt(c->snd_nxt, x->sb_r[i]))
			c->snd_nxt = x->sb_r[i];
	}
	return UINT32_MAX;
}

uint32_t
tcp_sack_hole_len(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	const struct tcp_ext *x = tcp_ext_of(ctx, c);

	return x != NULL && x->sb_n != 0 && seq_lt(c->snd_una, x->sb_l[0]) ? x->sb_l[0] - c->snd_una
									   : UINT32_MAX;
}

void
tcp_sack_rto(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);

	if (x == NULL)
		return;
	x->high_rxt = c->snd_una;
	if ((c->retries & TCP_RETRIES_MASK) > 1 && x->sb_n) {
		x->sb_n = 0;
		x->sb_sacked = 0;
		tcp_ext_put_if_empty(ctx, c);
	}
}

void
tcp_sack_undo_mark(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint16_t cwnd, uint16_t ssthresh)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);

	if (x == NULL || !(c->opt_flags & TCPD_TCB_TS))
		return;
	x->undo_ts = (uint32_t)ctx->now_ms | 1; /* never 0; one ms late at worst: conservative */
	x->undo_cwnd = cwnd;
	x->undo_ssthresh = ssthresh;
}

int
tcp_sack_undo(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t tsecr)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);
	uint32_t ts;

	if (x == NULL || x->undo_ts == 0)
		return 0;
	ts = x->undo_ts;
	x->undo_ts = 0; /* only the first ACK of new data tells */
	if (tsecr == 0 || !seq_lt(tsecr, ts - 1))
		return 0;
	c->cwnd = RTE_MAX(c->cwnd, x->undo_cwnd);
	c->ssthresh = RTE_MAX(c->ssthresh, x->undo_ssthresh);
	c->dupacks = 0;
	c->tflags &= (uint8_t)~TCPD_TCB_F_RLOSS; /* no recovery: no growth rule of one */
	c->recover = c->snd_una;		 /* a real loss later may start recovery again */
	c->tflags |= TCPD_TCB_F_REORDER;
	tcp_inc(ctx, TCPD_STAT_sack_undo);
	tcp_ext_put_if_empty(ctx, c);
	return 1;
}

uint32_t
tcp_sack_reo_ms(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	const struct tcp_ext *x = tcp_ext_of(ctx, c);
	uint32_t ms;

	if (x == NULL || x->sb_n == 0 || c->dupacks == TCPD_TCB_RECOVERY ||
	    !seq_lt(c->snd_una, x->sb_l[0]) || seq_lt(c->snd_una, c->recover) ||
	    !seq_lt(x->lost_to, x->sb_l[0]))
		return 0;
	/* a quarter of SRTT (RFC 8985 reo_wnd), ms granularity; a whole SRTT, RFC 8985's
	 * ceiling, once the path was seen reordering (its reo_wnd grows with the D-SACKs) */
	ms = (c->tflags & TCPD_TCB_F_REORDER) ? (c->srtt8 >> 3) + 2 : (c->srtt8 >> 5) + 2;
	return RTE_MIN(ms, tcp_rto_ms(c));
}

void
tcp_sack_reo_expired(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);

	if (tcp_sack_reo_ms(ctx, c) == 0)
		return;
	/* SACKed data sent with or after the holes arrived a reordering window ago, the holes
	 * did not: they are lost (RFC 8985 6.2), whatever the DupAck count */
	x->lost_to = x->sb_r[x->sb_n - 1];
	tcp_inc(ctx, TCPD_STAT_sack_reo_timeout);
	c->dupacks = TCPD_TCB_RECOVERY - 1;
	tcp_cc_dup_ack(ctx, c);
}

void
tcp_sack_recovery_end(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	tcp_ext_put_if_empty(ctx, c);
}

/*
 * A block's right edge @r, past the peer's FIN when the FIN held out of order sits there: SACK
 * blocks are in sequence space (RFC 2018 3) and a FIN takes a number of it, as Linux's blocks
 * (tcp_sack_new_ofo_skb with the FIN in end_seq). Nothing is held past a FIN (rq_trim_from),
 * so only the last block can end there.
 */
static inline uint32_t
rq_fin_end(const struct tcp_ext *x, uint32_t r)
{
	return r + (x->rq_fin && r == x->rq_fin_seq);
}

/* True if the held FIN is a block of its own: no data held just before it. */
static inline int
rq_fin_alone(const struct tcp_ext *x)
{
	return x->rq_fin &&
	       (x->rq_head == NULL || x->rq_fin_seq != x->rq_tail->hash.usr + x->rq_tail->data_len);
}

/* The right edge of the block that starts with @*m, which moves to the block's last mbuf: the
 * last block is known (rq_tail_l) and not walked, so that a long run costs nothing per ACK. */
static uint32_t
rq_block_end(const struct tcp_ext *x, const struct rte_mbuf **m)
{
	uint32_t b = (*m)->hash.usr + (*m)->data_len;

	if ((*m)->hash.usr == x->rq_tail_l) {
		*m = x->rq_tail;
		return rq_fin_end(x, x->rq_tail->hash.usr + x->rq_tail->data_len);
	}
	while ((*m)->next != NULL && (*m)->next->hash.usr == b) {
		*m = (*m)->next;
		b += (*m)->data_len;
	}
	return b;
}

/* The block (contiguous run) of the out-of-order queue that holds @seq. @return 1 if any. */
static int
rq_block_of(const struct tcp_ext *x, uint32_t seq, uint32_t *l, uint32_t *r)
{
	const struct rte_mbuf *m = x->rq_head;

	if (rq_fin_alone(x) && seq == x->rq_fin_seq) {
		*l = seq;
		*r = seq + 1;
		return 1;
	}
	if (m == NULL)
		return 0;
	if (seq_ge(seq, x->rq_tail_l)) {
		/* the last block (the usual one: segments behind a hole append to it) */
		*l = x->rq_tail_l;
		*r = rq_fin_end(x, x->rq_tail->hash.usr + x->rq_tail->data_len);
		return seq_lt(seq, *r);
	}
	while (m != NULL) {
		uint32_t a = m->hash.usr, b = rq_block_end(x, &m);

		if (seq_lt(seq, a))
			return 0;
		if (seq_lt(seq, b)) {
			*l = a;
			*r = b;
			return 1;
		}
		m = m->next;
	}
	return 0;
}

/* Add [l, r) to @o unless a block with that left edge is there. */
static void
opts_add_block(struct tcpd_tcp_opts *o, unsigned int from, unsigned int *n, uint32_t l, uint32_t r)
{
	unsigned int i;

	for (i = from; i < *n; i++)
		if (o->sack[i].left == l)
			return;
	o->sack[*n].left = l;
	o->sack[*n].right = r;
	(*n)++;
}

void
tcp_sack_opts(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, struct tcpd_tcp_opts *o)
{
	const struct tcp_ext *x = tcp_ext_of(ctx, c);
	unsigned int max = (o->present & TCPD_OPT_TS) ? 3 : 4, n = 0, first, k;

	if (ctx->dsack_conn == c) {
		o->sack[n].left = ctx->dsack_l;
		o->sack[n].right = ctx->dsack_r;
		n++;
		ctx->dsack_conn = NULL;
		tcp_inc(ctx, TCPD_STAT_dsack_tx);
	}
	first = n;
	if (x != NULL && (x->rq_head != NULL || x->rq_fin)) {
		const struct rte_mbuf *m = x->rq_head;
		uint32_t l, r;

		/* RFC 2018 4: the block of the latest segment first, then those reported before */
		for (k = 0; k < x->rq_nrecent && n < max; k++)
			if (rq_block_of(x, x->rq_recent[k], &l, &r))
				opts_add_block(o, first, &n, l, r);
		/* room left: the lowest blocks, a FIN alone the highest */
		while (m != NULL && n < max) {
			l = m->hash.usr;
			r = rq_block_end(x, &m);
			opts_add_block(o, first, &n, l, r);
			m = m->next;
		}
		if (n < max && rq_fin_alone(x))
			opts_add_block(o, first, &n, x->rq_fin_seq, x->rq_fin_seq + 1);
	}
	if (n) {
		o->present |= TCPD_OPT_SACK;
		o->nb_sack = (uint8_t)n;
	}
}
