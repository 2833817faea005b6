/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TCP_SACK_H
#define TCPD_TCP_SACK_H

/*
 * Private to tcp_reass.c and tcp_sack.c: the per-connection state a connection needs only while
 * it holds out-of-order data or the peer has SACKed something of ours. It does not fit in the
 * 128-byte control block, so it lives in a record of a per-lcore pool, referenced from the
 * control block by index (struct tcpd_tcb.ext, index + 1, 0 for none). A connection whose
 * out-of-order queue and scoreboard are empty holds no record: no memory above the control block.
 *
 * Memory: one record is 256 bytes; an lcore has TCP_EXT_RECORDS(max_conns) of them (at most
 * 4096: 1 MiB), allocated once. Out-of-order data is the received mbufs themselves, within the
 * receive window we advertise, at most tcp_rq_max_mbufs(window) per connection (twice the window
 * in full segments: what a peer's small segments may cost, as Linux charges truesize against a
 * receive buffer twice the window), and at most a quarter of the mempool per lcore (pool size / 8
 * with two workers sharing it); below TCP_RQ_LOW_DIV of the pool free, every queue of the lcore
 * is emptied before anything else fails for want of a buffer.
 */

#include "tcp_internal.h"

#define TCP_EXT_MAX_RECORDS 4096
#define TCP_RQ_MIN_MBUFS    16 /* out-of-order segments a connection may hold, whatever its window */
#define TCP_RQ_RECENT	    4  /* blocks remembered in the order they last changed */

_Static_assert(TCP_EXT_MAX_RECORDS < UINT16_MAX, "struct tcpd_tcb.ext is 16 bits wide");
/* SACKed ranges kept on the send side. A peer reports its three newest blocks (with timestamps);
 * a range we dropped for want of room is never reported again, so it looks like a hole and is
 * sent again once enough above it is SACKed: 6 ranges made the 5 % loss cell's 200-segment
 * flights (about 10 holes) resend a fifth of what they sent (2,334 D-SACKs in one run). */
#define TCP_SB_MAX     22
#define TCP_RQ_LOW_DIV 16 /* purge queues when fewer than pool/16 mbufs are free */

/* Records per lcore for @max_conns connections. */
static inline uint32_t
tcp_ext_records(uint32_t max_conns)
{
	return max_conns < TCP_EXT_MAX_RECORDS ? max_conns : TCP_EXT_MAX_RECORDS;
}

/*
 * Out-of-order mbufs one connection may hold with a receive window of @wnd bytes and segments of
 * at most @mss bytes: the window in full segments, twice (smaller segments cost a buffer each
 * too), at least TCP_RQ_MIN_MBUFS. Echo's 1 MiB window at MSS 1460: 1,436 (the fixed 256 before
 * held back a third of it: in-window segments were dropped and the peer's RACK saw no SACK).
 */
static inline uint32_t
tcp_rq_max_mbufs(uint32_t wnd, uint32_t mss)
{
	uint32_t n = 2 * (wnd / (mss ? mss : 1));

	return n > TCP_RQ_MIN_MBUFS ? n : TCP_RQ_MIN_MBUFS;
}

struct tcp_ext {
	/* receive side: out-of-order queue, sorted by sequence, never overlapping; each mbuf
	 * trimmed to its payload, linked through m->next, its sequence number in m->hash.usr;
	 * rq_tail is its last mbuf (segments that follow a hole in order append there in O(1)) */
	struct rte_mbuf *rq_head;
	struct rte_mbuf *rq_tail;
	uint32_t rq_bytes;
	uint16_t rq_mbufs;
	uint8_t rq_nrecent;
	uint8_t sb_n;			   /* ranges in sb_l/sb_r */
	uint32_t rq_recent[TCP_RQ_RECENT]; /* a sequence inside each recently changed block */
	/* send side: the scoreboard (RFC 6675), SACKed ranges above SND.UNA, sorted */
	uint32_t sb_l[TCP_SB_MAX];
	uint32_t sb_r[TCP_SB_MAX];
	uint32_t sb_sacked; /* bytes in those ranges */
	uint32_t high_rxt;  /* RFC 6675 HighRxt: highest sequence retransmitted in recovery */
	uint32_t conn;	    /* pool index of the connection; next free record when free */
	uint32_t undo_ts;   /* our clock when this recovery's first retransmission left, 0: none */
	uint16_t undo_cwnd; /* cwnd and ssthresh before it (RFC 3522 response) */
	uint16_t undo_ssthresh;
	uint32_t rxt_mark;   /* SND.MAX when HighRxt last moved: data above it left after that */
	uint32_t lost_to;    /* holes below this are lost (the reordering timer said so) */
	uint32_t rq_fin_seq; /* where the peer's FIN came out of order, if rq_fin */
	uint8_t rq_fin;
	uint8_t pad_[3];
	uint32_t rq_tail_l; /* left edge of the block (contiguous run) that ends with rq_tail */
};
_Static_assert(sizeof(struct tcp_ext) == 256, "a record is four cache lines");

struct tcp_ext_pool {
	struct tcp_ext *rec;
	uint32_t n;	    /* records */
	uint32_t free_head; /* index + 1 of the first free record, 0: none */
	uint32_t used;	    /* records in use */
	uint32_t mbufs;	    /* out-of-order mbufs held by the lcore */
	uint32_t mbuf_budget;
	uint32_t low_mark; /* purge below this many free mbufs in the pool */
	uint64_t checked_ms;
};

static inline struct tcp_ext *
tcp_ext_of(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	return c->ext ? &ctx->ext->rec[c->ext - 1] : NULL;
}

/* A record for @c (the one it has, or a new one); NULL if the lcore has none left. */
struct tcp_ext *tcp_ext_get(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* Give the record back if both its queue and its scoreboard are empty. */
void tcp_ext_put_if_empty(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);

/* Free every out-of-order mbuf of @x (its connection's queue). */
void tcp_reass_purge_one(struct tcpd_tcp_ctx *ctx, struct tcp_ext *x);

#endif /* TCPD_TCP_SACK_H */
