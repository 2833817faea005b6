/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The out-of-order queue (RFC 9293 3.10.7.4 seventh, SHLD-31): segments beyond RCV.NXT are kept,
 * the received mbufs themselves trimmed to their payload, in a per-connection list sorted by
 * sequence without overlap, and given to the application in order when the hole before them
 * fills. The list hangs off a record of the lcore's pool (tcp_sack.h), shared with the send
 * side's SACK scoreboard; a connection without out-of-order data and without SACK state holds
 * none. Bounds: the receive window, tcp_rq_max_mbufs per connection, mbuf_budget per lcore; when
 * the mempool runs low every queue is freed first (reneging, which RFC 2018 8 allows: the peer
 * keeps its data until it is cumulatively acknowledged).
 */
#include <errno.h>

#include <rte_malloc.h>

#include "tcp_sack.h"

#define RQ_SEQ(m) ((m)->hash.usr)

int
tcp_ext_init(struct tcpd_tcp_ctx *ctx, int socket_id)
{
	struct tcp_ext_pool *xp;
	uint32_t i, n = tcp_ext_records(ctx->cfg->max_conns);

	xp = rte_zmalloc_socket("tcp_ext", sizeof(*xp), RTE_CACHE_LINE_SIZE, socket_id);
	if (xp == NULL)
		return -ENOMEM;
	xp->rec = rte_zmalloc_socket("tcp_ext", (size_t)n * sizeof(struct tcp_ext),
				     RTE_CACHE_LINE_SIZE, socket_id);
	if (xp->rec == NULL) {
		rte_free(xp);
		return -ENOMEM;
	}
	xp->n = n;
	for (i = 0; i < n; i++)
		xp->rec[i].conn = i + 2 <= n ? i + 2 : 0; /* free list of index + 1 */
	xp->free_head = n ? 1 : 0;
	xp->mbuf_budget = ctx->pool->size / 8;
	xp->low_mark = ctx->pool->size / TCP_RQ_LOW_DIV;
	ctx->ext = xp;
	return 0;
}

void
tcp_ext_fini(struct tcpd_tcp_ctx *ctx)
{
	if (ctx->ext == NULL)
		return;
	rte_free(ctx->ext->rec);
	rte_free(ctx->ext);
	ctx->ext = NULL;
}

struct tcp_ext *
tcp_ext_get(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext_pool *xp = ctx->ext;
	struct tcp_ext *x;
	uint32_t i;

	if (c->ext)
		return &xp->rec[c->ext - 1];
	if (xp->free_head == 0) {
		tcp_inc(ctx, TCPD_STAT_ext_no_record);
		return NULL;
	}
	i = xp->free_head - 1;
	x = &xp->rec[i];
	xp->free_head = x->conn;
	memset(x, 0, sizeof(*x));
	x->conn = tcpd_conn_index(ctx->tbl, &c->ent);
	x->high_rxt = c->snd_una;
	x->lost_to = c->snd_una;
	c->ext = (uint16_t)(i + 1);
	xp->used++;
	return x;
}

static void
ext_put(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext_pool *xp = ctx->ext;
	struct tcp_ext *x = &xp->rec[c->ext - 1];

	x->conn = xp->free_head;
	xp->free_head = c->ext;
	xp->used--;
	c->ext = 0; /* a D-SACK still due goes with the next ACK: it needs no record */
}

void
tcp_ext_put_if_empty(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);

	if (x != NULL && x->rq_head == NULL && x->sb_n == 0 && !x->rq_fin &&
	    c->dupacks != TCPD_TCB_RECOVERY)
		ext_put(ctx, c);
}

void
tcp_reass_purge_one(struct tcpd_tcp_ctx *ctx, struct tcp_ext *x)
{
	struct rte_mbuf *m = x->rq_head;

	while (m != NULL) {
		struct rte_mbuf *n = m->next;

		m->next = NULL;
		rte_pktmbuf_free(m);
		m = n;
	}
	ctx->ext->mbufs -= x->rq_mbufs;
	x->rq_head = NULL;
	x->rq_tail = NULL;
	x->rq_bytes = 0;
	x->rq_mbufs = 0;
	x->rq_nrecent = 0;
	x->rq_fin = 0; /* not acknowledged: the peer sends it again */
}

void
tcp_ext_release(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);

	if (x == NULL)
		return;
	tcp_reass_purge_one(ctx, x);
	ext_put(ctx, c);
}

uint32_t
tcp_reass_purge_all(struct tcpd_tcp_ctx *ctx)
{
	struct tcp_ext_pool *xp = ctx->ext;
	uint32_t i, before = xp->mbufs;

	for (i = 0; i < xp->n && xp->mbufs; i++) {
		struct tcp_ext *x = &xp->rec[i];
		struct tcpd_tcb *c;

		if (x->rq_head == NULL)
			continue;
		tcp_reass_purge_one(ctx, x);
		c = tcpd_tcb_of(tcpd_conn_at(ctx->tbl, x->conn));
		tcp_ext_put_if_empty(ctx, c);
	}
	tcpd_stats_add(ctx->st, TCPD_STAT_ooo_purged, before - xp->mbufs);
	return before - xp->mbufs;
}

void
tcp_reass_pressure(struct tcpd_tcp_ctx *ctx)
{
	struct tcp_ext_pool *xp = ctx->ext;

	if (likely(xp->mbufs == 0) || xp->checked_ms == ctx->now_ms)
		return;
	xp->checked_ms = ctx->now_ms;
	if (rte_mempool_avail_count(ctx->pool) < xp->low_mark)
		tcp_reass_purge_all(ctx);
}

/* The block containing @seq was just changed: it goes first in the next SACK option. */
static void
recent_push(struct tcp_ext *x, uint32_t seq)
{
	unsigned int n = x->rq_nrecent < TCP_RQ_RECENT ? x->rq_nrecent : TCP_RQ_RECENT - 1;

	memmove(&x->rq_recent[1], &x->rq_recent[0], n * sizeof(x->rq_recent[0]));
	x->rq_recent[0] = seq;
	x->rq_nrecent = (uint8_t)(n + 1);
}

static inline uint32_t
rq_end(const struct rte_mbuf *m)
{
	return RQ_SEQ(m) + m->data_len;
}

static void
rq_free(struct tcpd_tcp_ctx *ctx, struct tcp_ext *x, struct rte_mbuf *m)
{
	x->rq_bytes -= m->data_len;
	x->rq_mbufs--;
	ctx->ext->mbufs--;
	m->next = NULL;
	rte_pktmbuf_free(m);
}

/* Find rq_tail_l again by a walk: after an insertion that was not an append. */
static void
rq_tail_block(struct tcp_ext *x)
{
	const struct rte_mbuf *m;

	x->rq_tail_l = RQ_SEQ(x->rq_head);
	for (m = x->rq_head; m->next != NULL; m = m->next)
		if (RQ_SEQ(m->next) != rq_end(m))
			x->rq_tail_l = RQ_SEQ(m->next);
}

/*
 * [l, r) of held data the new segment repeats: the first run of it, grown while the next
 * piece meets it (RFC 2883 has one D-SACK block; Linux's tcp_sack_extend joins only ranges
 * that meet). ov[0] == ov[1]: none yet.
 */
static inline void
rq_overlap(uint32_t ov[2], uint32_t l, uint32_t r)
{
	if (ov[0] == ov[1]) {
		ov[0] = l;
		ov[1] = r;
	} else if (ov[1] == l) {
		ov[1] = r;
	}
}

/*
 * Insert [seq, end) held by @m. Earlier data wins: the new segment is cut where it overlaps
 * what is queued before it; queued segments it covers entirely go, one it covers in part is
 * cut at the front. @ov receives the overlap (rq_overlap). @return 0 if kept, else it was a
 * duplicate of queued data (not kept).
 */
static int
rq_insert(struct tcpd_tcp_ctx *ctx, struct tcp_ext *x, struct rte_mbuf *m, uint32_t seq,
	  uint32_t end, uint32_t ov[2])
{
	struct rte_mbuf **pp = &x->rq_head, *q, *tail = x->rq_tail;
	int append = tail != NULL && seq_le(rq_end(tail), seq);

	if (append) {
		/* after everything held: the usual case (in order behind a hole), no walk */
		if (seq != rq_end(tail))
			x->rq_tail_l = seq; /* a new block */
		pp = &tail->next;
		q = NULL;
	} else {
		while ((q = *pp) != NULL && seq_le(rq_end(q), seq))
			pp = &q->next;
		if (q != NULL && seq_le(RQ_SEQ(q), seq)) {
			/* q starts at or before us and ends after our start */
			if (seq_ge(rq_end(q), end))
				return -1;
			rq_overlap(ov, seq, rq_end(q));
			seq = rq_end(q);
			pp = &q->next;
		}
		while ((q = *pp) != NULL && seq_le(rq_end(q), end)) {
			rq_overlap(ov, RQ_SEQ(q), rq_end(q));
			*pp = q->next; /* covered entirely */
			rq_free(ctx, x, q);
		}
		if (q != NULL && seq_lt(RQ_SEQ(q), end)) {
			uint32_t cut = end - RQ_SEQ(q);

			rq_overlap(ov, RQ_SEQ(q), end);
			q->data_off = (uint16_t)(q->data_off + cut);
			q->data_len = (uint16_t)(q->data_len - cut);
			q->pkt_len = q->data_len;
			RQ_SEQ(q) += cut;
			x->rq_bytes -= cut;
		}
	}
	m->data_off = (uint16_t)(m->data_off + (seq - RQ_SEQ(m)));
	m->data_len = (uint16_t)(end - seq);
	m->pkt_len = m->data_len;
	m->nb_segs = 1;
	RQ_SEQ(m) = seq;
	m->next = q;
	*pp = m;
	if (q == NULL)
		x->rq_tail = m; /* last, or what it covered was */
	if (!append)
		rq_tail_block(x); /* a hole filled, or the first segment: blocks may have merged */
	x->rq_bytes += m->data_len;
	x->rq_mbufs++;
	ctx->ext->mbufs++;
	return 0;
}

/*
 * Data at or past @fin, the peer's FIN, is not of this stream (nothing follows a FIN; Linux's
 * tcp_fin purges its out-of-order queue): freed, a segment across it cut there, each counted.
 * Else it was given to the application after the FIN's place, and the FIN, never reached, was
 * lost (the peer's retransmission of it then lay below RCV.NXT).
 */
static void
rq_trim_from(struct tcpd_tcp_ctx *ctx, struct tcp_ext *x, uint32_t fin)
{
	struct rte_mbuf **pp = &x->rq_head, *m, *last = NULL;

	while ((m = *pp) != NULL && seq_le(rq_end(m), fin)) {
		last = m;
		pp = &m->next;
	}
	if (m == NULL)
		return;
	if (seq_lt(RQ_SEQ(m), fin)) {
		tcp_inc(ctx, TCPD_STAT_ooo_after_fin);
		x->rq_bytes -= rq_end(m) - fin;
		m->data_len = (uint16_t)(fin - RQ_SEQ(m));
		m->pkt_len = m->data_len;
		last = m;
		pp = &m->next;
		m = m->next;
	}
	*pp = NULL;
	while (m != NULL) {
		struct rte_mbuf *n = m->next;

		tcp_inc(ctx, TCPD_STAT_ooo_after_fin);
		rq_free(ctx, x, m);
		m = n;
	}
	x->rq_tail = last;
	if (last != NULL)
		rq_tail_block(x);
	else
		x->rq_nrecent = 0;
}

/* True if [seq, end) is held whole: inside one run of queued mbufs (one block). */
static int
rq_holds(const struct tcp_ext *x, uint32_t seq, uint32_t end)
{
	const struct rte_mbuf *q = x->rq_head;

	while (q != NULL && seq_le(rq_end(q), seq))
		q = q->next;
	if (q == NULL || seq_gt(RQ_SEQ(q), seq))
		return 0;
	while (seq_lt(rq_end(q), end) && q->next != NULL && RQ_SEQ(q->next) == rq_end(q))
		q = q->next;
	return seq_ge(rq_end(q), end);
}

int
tcp_reass_queue(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
		const struct tcpd_pkt *p, uint32_t wnd, int fin_dup)
{
	uint32_t seq = p->seq, end = p->seq + p->payload_len, wend = c->rcv_nxt + wnd,
		 ov[2] = {0, 0};
	struct tcp_ext *x = tcp_ext_of(ctx, c);

	if (seq_gt(end, wend)) {
		end = wend; /* the part beyond the window is not ours to keep */
		tcp_inc(ctx, TCPD_STAT_drop_data_refused);
	}
	if (unlikely(x != NULL && x->rq_fin) && seq_gt(end, x->rq_fin_seq)) {
		tcp_inc(ctx, TCPD_STAT_ooo_after_fin); /* past the peer's FIN (rq_trim_from) */
		end = x->rq_fin_seq;
	}
	if (!seq_lt(seq, end))
		return 0;
	if (x != NULL && x->rq_head != NULL && seq_lt(seq, rq_end(x->rq_tail))) {
		/* already held: a duplicate (RFC 2883 D-SACK), nothing to keep */
		if (rq_holds(x, seq, end)) {
			tcp_inc(ctx, TCPD_STAT_ooo_dup);
			/* its FIN, held before it came, was received twice too (Linux: end_seq
			 * counts it); a FIN new with held data is not a duplicate */
			end += (uint32_t)fin_dup;
			if (c->opt_flags & TCPD_TCB_SACK)
				tcp_sack_dsack(ctx, c, seq, end);
			recent_push(x, seq);
			return 0;
		}
	}
	if (unlikely(ctx->ext->mbufs >= ctx->ext->mbuf_budget)) {
		tcp_inc(ctx, TCPD_STAT_ooo_drop_budget);
		return 0;
	}
	if (x != NULL && x->rq_mbufs >= tcp_rq_max_mbufs(wnd, ctx->our_mss)) {
		tcp_inc(ctx, TCPD_STAT_ooo_drop_conn);
		return 0;
	}
	if (x == NULL && (x = tcp_ext_get(ctx, c)) == NULL) {
		tcp_inc(ctx, TCPD_STAT_ooo_drop_budget);
		return 0;
	}
	/* payload to the front of the mbuf's data: RQ_SEQ is the sequence of data_off */
	m->data_off = (uint16_t)(m->data_off + p->payload_off);
	RQ_SEQ(m) = p->seq;
	if (rq_insert(ctx, x, m, seq, end, ov) != 0) {
		m->data_off = (uint16_t)(m->data_off - p->payload_off);
		return 0; /* not reached: a covered segment was caught above */
	}
	if (ov[0] != ov[1]) {
		/* repeated in part: D-SACK of the overlap (RFC 2883 4), to the FIN when it
		 * ends at one held before (fin_dup), as the whole duplicate's above */
		tcp_inc(ctx, TCPD_STAT_ooo_overlap);
		if (c->opt_flags & TCPD_TCB_SACK)
			tcp_sack_dsack(ctx, c, ov[0], ov[1] + (uint32_t)(fin_dup && ov[1] == end));
	}
	recent_push(x, seq);
	tcp_inc(ctx, TCPD_STAT_ooo_queued);
	return 1;
}

/*
 * Held data from @seq, @len bytes, came again in order before it was delivered: a duplicate
 * (RFC 2883), D-SACKed as Linux's tcp_ofo_queue does, unless the segment's own old part below
 * RCV.NXT was reported first (the two never meet: Linux's tcp_dsack_extend keeps the first).
 * Counted once per segment in ooo_overlap (*@overlap).
 */
static void
rq_dsack_delivered(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, uint32_t seq, uint32_t len,
		   int *overlap)
{
	int sack = (c->opt_flags & TCPD_TCB_SACK) != 0;

	if (!*overlap) {
		tcp_inc(ctx, TCPD_STAT_ooo_overlap);
		if (sack && ctx->dsack_conn != c)
			tcp_sack_dsack(ctx, c, seq, seq + len);
	} else if (sack && ctx->dsack_conn == c && ctx->dsack_r == seq) {
		ctx->dsack_r = seq + len; /* the previous mbuf's repeated part goes on here */
	}
	*overlap = 1;
}

void
tcp_reass_deliver(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);
	struct rte_mbuf *m;
	int overlap = 0;

	if (x == NULL)
		return;
	while ((m = x->rq_head) != NULL && seq_le(RQ_SEQ(m), c->rcv_nxt)) {
		uint32_t skip = c->rcv_nxt - RQ_SEQ(m), len = m->data_len, n = 0;
		struct rte_mbuf *next = m->next; /* an application that keeps m relinks it */
		int taken = 0;

		if (unlikely(skip != 0))
			rq_dsack_delivered(ctx, c, RQ_SEQ(m), skip < len ? skip : len, &overlap);
		if (skip < len) {
			uint32_t wnd = tcp_rcv_wnd(ctx, c);

			n = tcp_app_rx(ctx, c, m, rte_pktmbuf_mtod_offset(m, const uint8_t *, skip),
				       len - skip, wnd, &taken);
			tcp_rcv_nxt_add(c, n);
			tcpd_stats_add(ctx->st, TCPD_STAT_data_rx_bytes, n);
			if (!taken && n < len - skip) {
				/* the application took less: the rest stays at the head */
				uint32_t cut = skip + n;

				m->data_off = (uint16_t)(m->data_off + cut);
				m->data_len = (uint16_t)(m->data_len - cut);
				m->pkt_len = m->data_len;
				RQ_SEQ(m) += cut;
				x->rq_bytes -= cut;
				break;
			}
		}
		x->rq_head = next;
		if (next == NULL)
			x->rq_tail = NULL;
		x->rq_bytes -= len;
		x->rq_mbufs--;
		ctx->ext->mbufs--;
		tcp_inc(ctx, TCPD_STAT_ooo_delivered);
		if (!taken) {
			m->next = NULL;
			rte_pktmbuf_free(m);
		}
	}
	if (x->rq_head == NULL) {
		x->rq_nrecent = 0;
		tcp_ext_put_if_empty(ctx, c);
	} else if (seq_lt(x->rq_tail_l, RQ_SEQ(x->rq_head))) {
		x->rq_tail_l = RQ_SEQ(x->rq_head); /* the last block was delivered in part */
	}
}

int
tcp_reass_fin(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p, uint32_t wnd)
{
	uint32_t fin = p->seq + p->payload_len;
	struct tcp_ext *x;

	/* the FIN's sequence number must lie in the window, its data was then kept whole */
	if (!seq_lt(fin, c->rcv_nxt + wnd) || (x = tcp_ext_get(ctx, c)) == NULL)
		return 0;
	if (x->rq_fin && x->rq_fin_seq == fin) {
		/* The held FIN again: a duplicate of its one sequence number (RFC 2883), counted
		 * once per segment. With data, tcp_reass_queue counts a duplicate of it all and
		 * widens this D-SACK over it; data new before it keeps this one (Linux's
		 * tcp_dsack_extend of the FIN it replaces). */
		if (c->opt_flags & TCPD_TCB_SACK)
			tcp_sack_dsack(ctx, c, fin, fin + 1);
		if (p->payload_len == 0) {
			tcp_inc(ctx, TCPD_STAT_ooo_dup);
			recent_push(x, fin);
		}
		return 1;
	}
	x->rq_fin = 1;
	x->rq_fin_seq = fin;
	tcp_inc(ctx, TCPD_STAT_ooo_fin);
	rq_trim_from(ctx, x, fin);
	recent_push(x, fin); /* the FIN's block, reported first (RFC 2018 4) */
	return 0;
}

void
tcp_reass_fin_taken(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t fin)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);

	if (x == NULL)
		return;
	rq_trim_from(ctx, x, fin);
	x->rq_fin = 0;
	tcp_ext_put_if_empty(ctx, c);
}

int
tcp_reass_fin_due(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_ext *x = tcp_ext_of(ctx, c);

	if (x == NULL || !x->rq_fin || x->rq_fin_seq != c->rcv_nxt)
		return 0;
	x->rq_fin = 0;
	tcp_ext_put_if_empty(ctx, c);
	return 1;
}
