/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TCP_INTERNAL_H
#define TCPD_TCP_INTERNAL_H

/*
 * Private to lib/tcp: the per-lcore context, the clock, sequence arithmetic and the functions
 * the input, state machine, output, timer and service files share.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_mbuf.h>

#include "tcpd_net_tmpl.h"
#include "tcpd_tcp.h"
#include "tcpd_tcp_app.h"
#include "tcpd_tx.h"

/*
 * Our window scale. Applications without a receive buffer (discard, http) offer a large window
 * for free (TCPD_APP_WND_NOBUF, 1 MiB: one 10 Gbit/s * 1 ms bandwidth-delay product); 1 MiB needs
 * a shift of at least 5, and 7 is what Linux offers by default, so peers see familiar numbers and
 * the window granularity (128 bytes) stays far below one MSS.
 */
#define TCP_OUR_WSCALE 7

/* RFC 6298: initial RTO 1 s; floor 200 ms (as Linux, below RFC 6298's 1 s); ceiling 60 s. */
#define TCP_RTO_INIT_MS 1000
#define TCP_RTO_MIN_MS	200
/* Silly window avoidance's override timeout: the RTO, at most this (RFC 9293 3.8.6.2.1: 0.1 to
 * 1 s; the RTO's 200 ms floor keeps it within) */
#define TCP_SWS_OVERRIDE_MS 1000
#define TCP_RTO_MAX_MS	    60000
/* RFC 6298 5.7: the RTO once the handshake is over, if our SYN or SYN-ACK had to be sent again
 * and no RTT sample came (Linux's TCP_TIMEOUT_FALLBACK). */
#define TCP_RTO_SYN_LOST_MS 3000
/*
 * RFC 8985 7.2 tail-loss probe: PTO = 2 * SRTT plus what the peer's ACK may take: 2 ms (Linux
 * TCP_TIMEOUT_MIN) with more than one segment in flight, whose ACK is not delayed, else
 * WCDelAckT, the worst-case delayed ACK. The RFC says 200 ms, which with our 200 ms RTO floor
 * leaves a lost last segment to the RTO (HTTP responses whose tail was one segment waited
 * 200 ms); 50 ms covers Linux's delayed ACK (40 ms at least), and a probe that a slower
 * delayed ACK makes spurious costs one segment.
 */
#define TCP_PTO_MIN_MS	  2
#define TCP_PTO_DELACK_MS 50
/* RFC 6928 initial window, in segments. */
#define TCP_IW_SEGS 10
/* RFC 9293 3.7.1 (MUST-15): the MSS to assume when the SYN or SYN-ACK has none, 536 over IPv4,
 * 1220 over IPv6 (its 1280-byte minimum link MTU less 60); Linux's floor for a peer's option. */
#define TCP_DEFAULT_MSS	 536
#define TCP_DEFAULT_MSS6 1220
#define TCP_MIN_MSS	 88
#define TCP_TS_OPT_LEN	 12 /* NOP, NOP, TS: what a timestamped segment loses from the MSS */
#define TCP_HDRS_LEN	 54 /* Ethernet, IPv4 and TCP headers without options */

/*
 * ACKs answering PAWS-rejected or out-of-window segments without data: at most one per
 * connection per 500 ms (Linux tcp_invalid_ratelimit). c->oow_tick holds the ms clock >> 6 of the
 * last one: 64 ms ticks, so the limit is 449..511 ms (8 ticks).
 */
#define TCP_OOW_SHIFT 6
#define TCP_OOW_TICKS 8
/* RFC 7323 5.3 R1 with Linux's TCP_PAWS_WINDOW: a TSval one tick older than TS.Recent passes. */
#define TCP_PAWS_WINDOW 1

/*
 * Timers fired per poll at most. Connections opened in the same millisecond expire in the same
 * tick: a full SYN queue of 64K half-open entries retransmits 64K SYN-ACKs at once, which would
 * overflow TCPD_TX_MAX and the TX ring and hold RX for milliseconds. 128 per poll (a few polls per
 * microsecond) still drains a million expiries per second many times over.
 */
#define TCP_TIMER_BUDGET 128

/* What the armed connection timer means (the TCPD_TCB_TMASK bits of opt_flags). */
#define TCP_TK_NONE  0x00
#define TCP_TK_RTO   0x40 /* retransmission (or persist: zero window with data waiting) */
#define TCP_TK_OTHER 0x80 /* state timer: SYN-ACK, TIME-WAIT, FIN-WAIT-2, idle */
#define TCP_TK_REO                                                                                 \
	0xC0 /* SACK reordering window (tcp_sack_reo_ms), or with TCPD_TCB_F_PTO the
			   * tail-loss probe timeout (tcp_timer.c), in place of the RTO */

/* 512 bits: a burst of 32 new connections leaves a later miss a 1-in-16 chance of a needless
 * lookup at most, and clearing them is 64 bytes per burst. */
#define TCP_ADDED_WORDS 8

struct tcpd_tcp_ctx {
	const struct tcpd_config *cfg;
	const struct tcpd_iface *ifc;
	const struct tcpd_cookie_store *cookies;
	struct rte_mempool *pool;
	struct tcpd_stats *st;
	struct tcpd_tx *tx;
	struct tcpd_conn_table *tbl;
	struct tcpd_timer_wheel *wheel;
	struct tcpd_net_tmpl4 tmpl4; /* what every IPv4 segment shares (tcp_conn_build4) */
	uint32_t hash_seed;	     /* the table's (tcpd_conn_hash_seeded, once per packet) */

	/* Clock, set at the start of every burst and timer run. */
	uint64_t hz;
	uint64_t ms_mult; /* ms = (tsc * ms_mult) >> 44: no division per packet */
	uint64_t now_tsc;
	uint64_t now_ms;
	uint32_t now_sec;      /* UNIX time */
	uint64_t sec_base;     /* UNIX time minus TSC seconds, taken at creation */
	uint32_t cookie_count; /* now_sec / TCPD_COOKIE_PERIOD */
	uint64_t clock_tsc;    /* now_sec and cookie_count are valid for this TSC */

	uint32_t half_open; /* SYN-RECEIVED entries of this lcore */
	/* The worker's RX path is saturated (lib/worker, tcpd_tcp_saturated): a LAST-ACK whose
	 * final ACK is late is not probed or retransmitted to. */
	int saturated;
	uint32_t cookie_last_sec; /* last time a cookie was sent */
	int cookie_ever;	  /* a cookie was sent at least once */

	/* RST token bucket, in TSC cycles of credit: no division per RST. */
	uint64_t rst_credit;
	uint64_t rst_cost;
	uint64_t rst_last_tsc;

	uint16_t our_mss;
	uint16_t our_mss6;	 /* IPv6: mtu - 60 */
	struct tcp_ip6_tbl *ip6; /* IPv6 peer address intern table (tcp_ip6.c), NULL: IPv4 only */

	/* The applications of this lcore, indexed by struct tcpd_tcb.app: the services at their
	 * enum tcpd_service index, then those added by tcpd_tcp_app_add (clients). */
	struct tcpd_app apps[TCPD_TCP_APPS_MAX];
	unsigned int nb_apps;
	/* Hashes of the connections inserted since the burst's bulk lookup, one bit each: a miss is
	 * looked up again only if its bit is set (tcp_input.c). */
	uint64_t added[TCP_ADDED_WORDS];
	uint32_t added_n;    /* connections inserted since the bulk lookup */
	uint64_t isn_key[2]; /* RFC 6528 F's secret key (SipHash-2-4 over the tuple) */
	/* The ISN for the SYN that tcp_tw_input just let reopen its tuple (TCP_REOPEN):
	 * past anything the old connection sent (RFC 9293 MAY-2, Linux's tw_isn); 0 otherwise
	 * (set and cleared around that SYN's tcp_listen_syn, which reads it). */
	uint32_t reopen_iss;

	/* Connections in closing states in the order they entered them, for reclaiming the oldest
	 * when the table is full: control block and generation (stale slots are skipped). */
	struct tcp_closing_ring {
		struct tcpd_tcb **tcb;
		uint32_t *gen;
		uint32_t head, n, size;
	} closing;
	/* Connections in the order their application last answered (tcp_reclaim.c): the quiet
	 * ones are reclaimed after the closing ones. */
	struct tcp_idle_ring {
		struct tcp_idle_slot {
			struct tcpd_tcb *tcb;
			uint32_t gen;	  /* the connection's generation then */
			uint32_t rcv_nxt; /* RCV.NXT after the data answered */
			uint32_t ms;	  /* ms clock (low bits) of the answer */
		} * slot;
		uint32_t head, n, mask;
	} idle;
	uint32_t max_tw;       /* TIME-WAIT entries at most */
	uint64_t reclaim_rand; /* xorshift state for sampling stalled connections */

	/* Out-of-order queues and SACK scoreboards (tcp_sack.h), and the D-SACK block (RFC 2883)
	 * the next ACK of dsack_conn reports. */
	struct tcp_ext_pool *ext;
	const struct tcpd_tcb *dsack_conn;
	uint32_t dsack_l, dsack_r;

	struct tcpd_listener_stats lstats[TCPD_MAX_LISTENERS];
	/* Listener of each port (host order): index + 1, 0 for none. O(1), 64 KiB. */
	uint8_t listen_map[65536];
	/* What every IPv6 segment shares (tcp_tx6, set by tcp_ip6_init): last, so that the
	 * offsets of the fields above stay as they were (a layout change moved GCC's register
	 * choices in tcp_set_state, +15 instructions per connection). */
	struct tcpd_net_tmpl6 tmpl6;
};

/* ---- IPv6 (tcp_ip6.c): peer addresses interned into 24-bit ids in the 16-byte key ---- */
/* Most ids: 1 .. 2^24 - 1 (0.0.0.0/8 in network order, never one of our IPv4 addresses). */
#define TCP_IP6_ID_MAX ((1u << 24) - 1)
/* Bytes the IPv6 header adds to IPv4's (TCP_HDRS_LEN is the IPv4 frame's header length). */
#define TCP_IP6_EXTRA 20
struct tcp_ip6_peer {
	uint8_t addr[16];
	uint32_t refs; /* connections filed under this id */
};
/* An IPv6 key (its local address is an id in 0.0.0.0/8): one compare, for paths that branch. */
static inline int
tcp_key_is6(uint32_t local_ip)
{
	return (local_ip & RTE_BE32(0xff000000)) == 0;
}
static inline int
tcp_conn_is6(const struct tcpd_tcb *c)
{
	return tcp_key_is6(c->ent.local_ip);
}
/* Set up (only when the interface has IPv6 addresses; our_mss6 always), free. */
int tcp_ip6_init(struct tcpd_tcp_ctx *ctx, const char *name, int socket_id);
void tcp_ip6_fini(struct tcpd_tcp_ctx *ctx);
uint64_t tcp_ip6_memory(const struct tcpd_tcp_ctx *ctx);
uint32_t tcp_ip6_capacity(const struct tcpd_tcp_ctx *ctx);
/* The id of @addr, 0 if it has none (then it has no connection). */
uint32_t tcp_ip6_find(const struct tcpd_tcp_ctx *ctx, const uint8_t addr[16]);
/* The id of @addr with one more reference (interned if new); 0 if the table is full (counted). */
uint32_t tcp_ip6_get(struct tcpd_tcp_ctx *ctx, const uint8_t addr[16]);
/* Release one reference on @id; the last frees it. */
void tcp_ip6_put(struct tcpd_tcp_ctx *ctx, uint32_t id);
const uint8_t *tcp_ip6_peer_addr(const struct tcpd_tcp_ctx *ctx, uint32_t id);
/* The table key of IPv6 segment @p (peer id 0 if the peer has no connection). */
void tcp_ip6_key(const struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, struct tcpd_conn_key *k);
/* tcp_conn_new for an IPv6 segment: interns its source, files the connection under that id
 * (@p hash is @p key's, used again when the id is the key's). */
struct tcpd_tcb *tcp_conn_new6(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p,
			       const struct tcpd_conn_key *key, uint32_t hash, unsigned int app);
/* An IPv6 connection left the table: its reference goes. */
void tcp_conn_gone6(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c);
/* Build segment @s (+ @plen payload bytes already in place) of IPv6 connection @c in @m, queue it. */
void tcp_tx6(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, struct rte_mbuf *m,
	     const struct tcpd_net_seg *s, uint16_t plen);
/* Build @s as the stateless answer to IPv6 segment @p, in place in @m, queue it. */
void tcp_tx6_reply(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p,
		   const struct tcpd_net_seg *s);
void tcp_cookie_tuple6(const struct tcpd_pkt *p, struct tcpd_cookie_tuple6 *t);

/*
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4-microsecond
 * clock (here from the burst's ms clock, 250 ticks per ms), F SipHash-2-4 of the tuple under this
 * lcore's random key (RSS keeps a tuple on one lcore, so its ISNs grow with the clock). For both
 * opens: the client's SYN and the server's SYN-RECEIVED entries (as Linux's secure_tcp_seq).
 */
static inline uint32_t
tcp_isn_at(const struct tcpd_tcp_ctx *ctx, uint64_t now_ms, const struct tcpd_cookie_tuple *t)
{
	return (uint32_t)(now_ms * 250) + tcpd_cookie_prf((const uint8_t *)ctx->isn_key, t);
}
static inline uint32_t
tcp_isn(const struct tcpd_tcp_ctx *ctx, const struct tcpd_cookie_tuple *t)
{
	return tcp_isn_at(ctx, ctx->now_ms, t);
}

/* tcp_isn over IPv6's full addresses (never the interned peer id: an id is reused by other
 * peers, whose ISNs it would make predictable). */
static inline uint32_t
tcp_isn6_at(const struct tcpd_tcp_ctx *ctx, uint64_t now_ms, const struct tcpd_cookie_tuple6 *t)
{
	return (uint32_t)(now_ms * 250) + tcpd_cookie_prf6((const uint8_t *)ctx->isn_key, t);
}
static inline uint32_t
tcp_isn6(const struct tcpd_tcp_ctx *ctx, const struct tcpd_cookie_tuple6 *t)
{
	return tcp_isn6_at(ctx, ctx->now_ms, t);
}

/* ---- sequence numbers, modulo 2^32 (short names for the state machine) ---- */
#define seq_lt tcpd_seq_lt
#define seq_le tcpd_seq_le
#define seq_gt tcpd_seq_gt
#define seq_ge tcpd_seq_ge

/* ---- clock ---- */
/* 44 bits of fraction: relative error below 1e-7 at any TSC rate above 1 MHz (a 32-bit factor
 * was 0.05 % slow at 2 GHz: timers 30 ms late per minute), and tsc * mult fits in 128 bits. */
#define TCP_MS_SHIFT 44
static inline uint64_t
tcp_tsc_to_ms(const struct tcpd_tcp_ctx *ctx, uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)tsc * ctx->ms_mult) >> TCP_MS_SHIFT);
}

/* Set the context's clock; the divisions run at most once per burst. */
void tcp_clock_set(struct tcpd_tcp_ctx *ctx, uint64_t now_tsc);

/* ---- counters ---- */
static inline void
tcp_inc(struct tcpd_tcp_ctx *ctx, enum tcpd_stat s)
{
	tcpd_stats_inc(ctx->st, s);
}

static inline void
tcp_lstat_inc(uint64_t *v)
{
	__atomic_store_n(v, *v + 1, __ATOMIC_RELAXED);
}

/* ---- connections (tcp_conn.c) ---- */
/* Move @c to @to, keeping the state gauges and the half-open count exact (tcp_set_state, at
 * the end of this file). */
static inline void tcp_set_state(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, unsigned int to);
/* Insert a connection (state CLOSED, counted live) for application @app; NULL if the table is
 * full. */
struct tcpd_tcb *tcp_conn_new(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key,
			      uint32_t hash, unsigned int app);
/* Remove @c (timer, application, table); @why goes to the application (and a reset to the
 * listener's stats). */
void tcp_conn_close(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, enum tcpd_close_reason why);
/* A closing state: FIN-WAIT-1/2, CLOSING, LAST-ACK, TIME-WAIT (no application waits for it). */
#define TCP_CLOSING_STATES                                                                         \
	((1u << TCPD_FIN_WAIT_1) | (1u << TCPD_FIN_WAIT_2) | (1u << TCPD_CLOSING) |                \
	 (1u << TCPD_LAST_ACK) | (1u << TCPD_TIME_WAIT))
static inline int
tcp_state_closing(unsigned int st)
{
	return (TCP_CLOSING_STATES >> st) & 1;
}
/* The reclaim rings (tcp_reclaim.c): set up, free. */
int tcp_reclaim_init(struct tcpd_tcp_ctx *ctx, int socket_id);
void tcp_reclaim_free(struct tcpd_tcp_ctx *ctx);
/* @c entered a closing state; when the ring is full its oldest slot goes (a reclaim candidate
 * less, as in the idle ring). */
static inline void
tcp_closing_push(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcp_closing_ring *r = &ctx->closing;
	uint32_t t;

	if (unlikely(r->n == r->size)) {
		r->head = r->head + 1 == r->size ? 0 : r->head + 1;
		r->n--;
	}
	t = r->head + r->n;
	if (t >= r->size)
		t -= r->size;
	r->tcb[t] = c;
	r->gen[t] = c->ent.gen;
	r->n++;
}
/* @c's application answered the data up to @rcv_nxt; when the ring is full its oldest slot
 * goes (a reclaim candidate less). */
static inline void
tcp_idle_push(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t rcv_nxt)
{
	struct tcp_idle_ring *q = &ctx->idle;
	struct tcp_idle_slot *s;

	if (unlikely(q->n > q->mask)) {
		q->head = (q->head + 1) & q->mask;
		q->n--;
	}
	s = &q->slot[(q->head + q->n++) & q->mask];
	s->tcb = c;
	s->gen = c->ent.gen;
	s->rcv_nxt = rcv_nxt;
	s->ms = (uint32_t)ctx->now_ms;
}
/* Table full: reset one connection for a newcomer. @return 1 if one was removed. */
int tcp_reclaim_one(struct tcpd_tcp_ctx *ctx);
/* TCPD_APP_WND_NOBUF, or what the 16-bit field can say with shift @ws (0-15). */
#define TCP_NOBUF_WND(ws)                                                                          \
	(TCPD_APP_WND_NOBUF < (65535u << (ws)) ? TCPD_APP_WND_NOBUF : 65535u << (ws))
/* TCP_NOBUF_WND and its window field by rcv_wscale (tcp_conn.c): asked on every segment sent
 * and several times on every one received, a load instead of a shift and a minimum. */
extern const uint32_t tcp_nobuf_wnd[16];
extern const uint16_t tcp_nobuf_field[16];
/* The window of an application without a buffer: TCPD_APP_WND_NOBUF, or what the 16-bit field
 * can say with our shift. A constant multiple of the unit: its edge follows RCV.NXT. */
static inline uint32_t
tcp_rcv_wnd_nobuf(const struct tcpd_tcb *c)
{
	return tcp_nobuf_wnd[c->rcv_wscale];
}
/* True if @c's application has no buffer (http, discard, the clients): its window is
 * tcp_rcv_wnd_nobuf, and the offer (tcp_rcv_offered) is never read back for it, nor stored. */
static inline bool
tcp_rcv_nobuf(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	return ctx->apps[c->app].ops->rcv_wnd == NULL;
}
/* tcp_rcv_wnd for an application with a buffer (ops->rcv_wnd). */
uint32_t tcp_rcv_wnd_buf(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c);
/*
 * Our receive window for @c, in bytes: the application's, but never less than what we offered
 * last (RCV.WND past RCV.NXT, tcp_rcv_offered). The acceptance test, the application's room and
 * the window field all take this one, so data up to the furthest edge offered is accepted.
 * Several times a segment: inline for applications without a buffer.
 */
static inline uint32_t
tcp_rcv_wnd(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	if (likely(tcp_rcv_nobuf(ctx, c)))
		return tcp_rcv_wnd_nobuf(c);
	return tcp_rcv_wnd_buf(ctx, c);
}
/* tcp_rcv_wnd_field for an application with a buffer (ops->rcv_wnd). */
uint16_t tcp_rcv_wnd_field_buf(const struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* The window field of a segment of @c (tcp_rcv_wnd >> rcv_wscale), recorded as offered. Every
 * segment sent asks: an application without a buffer (http, discard, the clients) has a
 * constant window whose offer tcp_rcv_wnd never reads back, so it is neither called nor stored. */
static inline uint16_t
tcp_rcv_wnd_field(const struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	if (likely(tcp_rcv_nobuf(ctx, c)))
		return tcp_nobuf_field[c->rcv_wscale];
	return tcp_rcv_wnd_field_buf(ctx, c);
}
/* tcp_rcv_wnd_syn for an application with a buffer (ops->rcv_wnd). */
uint16_t tcp_rcv_wnd_syn_buf(const struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* The window of our SYN or SYN-ACK (never scaled, RFC 7323 2.2), recorded as offered from
 * RCV.NXT (for our SYN: from the peer's ISN + 1, where RCV.NXT will be). Once per handshake:
 * inline, and without the record, for an application without a buffer (tcp_rcv_wnd_field). */
static inline uint16_t
tcp_rcv_wnd_syn(const struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	if (likely(tcp_rcv_nobuf(ctx, c)))
		return (uint16_t)RTE_MIN(TCPD_APP_WND_NOBUF, 65535u); /* 65535 << 0 <= ours */
	return tcp_rcv_wnd_syn_buf(ctx, c);
}

/*
 * The window we offered last, in units of 2^rcv_wscale past RCV.NXT, rounded up: Linux's
 * RCV.WUP + RCV.WND - RCV.NXT (tcp_receive_window) aligned as tcp_select_window does, so that
 * the right edge never moves left (RFC 9293 3.8.6 SHLD-14, RFC 7323 2.4) when the field rounds
 * a window down. 16 bits in the timer's word (struct tcpd_tcb has no other room): a field
 * value, moved on with RCV.NXT instead of keeping a 32-bit edge.
 */
static inline uint32_t
tcp_rcv_offered(const struct tcpd_tcb *c)
{
	return (uint32_t)c->timer.owner << c->rcv_wscale;
}
static inline void
tcp_rcv_offer(struct tcpd_tcb *c, uint32_t units)
{
	c->timer.owner = units & 0xffff;
}
/*
 * RCV.NXT moves on by @n: the offer shrinks by the whole units consumed, so that what is left
 * still reaches the edge (rounded up to a unit). Exact when each move is followed by our ACK,
 * as every in-order segment is; a few moves before one (reassembly) leave it a unit above.
 */
static inline void
tcp_rcv_nxt_add(struct tcpd_tcb *c, uint32_t n)
{
	uint32_t units = n >> c->rcv_wscale, w = c->timer.owner;

	c->rcv_nxt += n;
	tcp_rcv_offer(c, w > units ? w - units : 0);
}
/* Largest payload per segment. */
static inline uint32_t
tcp_seg_payload_max(const struct tcpd_tcb *c)
{
	return c->snd_mss - ((c->opt_flags & TCPD_TCB_TS) ? TCP_TS_OPT_LEN : 0);
}

/* SND.WND = @w (bytes, scaled), and Max(SND.WND) with it (kept up to 65535). */
static inline void
tcp_snd_wnd_set(struct tcpd_tcb *c, uint32_t w)
{
	c->snd_wnd = w;
	if (unlikely(w > c->max_swnd))
		c->max_swnd = (uint16_t)(w < UINT16_MAX ? w : UINT16_MAX);
}

/* ---- output (tcp_output.c) ---- */
/* Queue the TCP frame of @len bytes in @m for transmission (lib/tx). */
static inline void
tcp_tx(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, uint32_t len)
{
	tcpd_tx_queue_tcp(ctx->tx, m, len);
}
/* A new buffer for a segment (the pool, after the out-of-order queues if it is empty). */
struct rte_mbuf *tcp_seg_alloc(struct tcpd_tcp_ctx *ctx);
/* A buffer for a segment: @reuse if non-NULL (its content is overwritten), else from the pool.
 * The received frame stays where it is (data_off unchanged); any RX buffer holds the largest
 * header we write, and send_segment sizes a payload to the buffer's room. */
static inline struct rte_mbuf *
tcp_seg_mbuf(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *reuse)
{
	return reuse != NULL ? reuse : tcp_seg_alloc(ctx);
}
/* Send a bare segment on @c: <SEQ=seq><ACK=RCV.NXT><CTL=flags> with window and timestamps. */
void tcp_send_ctl(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *reuse,
		  uint32_t seq, uint8_t flags);
/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
static inline void
tcp_send_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *reuse)
{
	tcp_send_ctl(ctx, c, reuse, c->snd_nxt, TCPD_TH_ACK);
}
/* The SYN of a SYN-SENT connection, or the SYN-ACK of a SYN-RECEIVED one (first or again), with
 * the options its opt_flags hold. */
void tcp_send_syn(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *reuse);
/*
 * The options of a SYN-ACK, for the stateful and the cookie path alike: MSS always; window
 * scale, SACK-permitted and timestamps when @ws/@sack/@ts say the peer offered them (@ws: our
 * shift, or -1), TSval @tsval and TSecr @tsecr. Inline: a SYN flood's every reply uses it.
 */
static inline void
tcp_synack_opts(const struct tcpd_tcp_ctx *ctx, struct tcpd_tcp_opts *o, int ws, int sack, int ts,
		uint32_t tsval, uint32_t tsecr)
{
	o->present = TCPD_OPT_MSS;
	o->mss = ctx->our_mss;
	if (ws >= 0) {
		o->present |= TCPD_OPT_WSCALE;
		o->wscale = (uint8_t)ws;
	}
	if (sack)
		o->present |= TCPD_OPT_SACK_PERM;
	if (ts) {
		o->present |= TCPD_OPT_TS;
		o->tsval = tsval;
		o->tsecr = tsecr;
	}
}
/* RST for a segment without connection (RFC 9293 3.10.7.1), rate limited; frees @m otherwise. */
void tcp_send_rst_noconn(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p);
/* The same RST without the rate limit: for a peer that proved it receives our segments (a valid
 * SYN cookie), which no spoofed source can, and which must not be left believing it is connected. */
void tcp_send_rst_reply(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p);
/*
 * Send what the windows (peer, congestion) allow from SND.NXT: application data, then the FIN
 * when due. @reuse (may be NULL) carries the first segment (data, FIN or both) or, with
 * TCP_OUT_ACK when nothing else was sent, the ACK; otherwise it is freed. TCP_OUT_PROBE: one
 * byte into a zero window. New data smaller than a segment that the peer's window cuts short
 * waits (silly window avoidance, RFC 9293 3.8.6.2.1) unless it is half the largest window the
 * peer offered, or TCP_OUT_PROBE or TCP_OUT_FORCE (the override timeout) is given.
 * @return segments sent.
 */
#define TCP_OUT_ACK   0x1
#define TCP_OUT_PROBE 0x2
#define TCP_OUT_ONE   0x4 /* at most one segment */
#define TCP_OUT_FORCE 0x8 /* silly window avoidance's override timeout: what the window allows */
unsigned int tcp_output(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *reuse,
			int flags);
/* Retransmit the one segment at SND.UNA now (fast retransmit), SND.NXT kept. */
void tcp_retransmit_una(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);

/*
 * One segment at @seq (SND.UNA <= seq <= SND.NXT) of at most @maxlen bytes, whatever the
 * windows say (the caller checked them), with our FIN if it ends the data; SND.NXT moves only
 * if @seq was SND.NXT. @return the sequence space sent (0: nothing, no buffer or TX full).
 */
uint32_t tcp_output_seg(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t seq,
			uint32_t maxlen);

/* ---- out-of-order queue (tcp_reass.c) and SACK (tcp_sack.c) ---- */
int tcp_ext_init(struct tcpd_tcp_ctx *ctx, int socket_id);
void tcp_ext_fini(struct tcpd_tcp_ctx *ctx);
/* The connection goes away (or to TIME-WAIT): its record and queued mbufs are freed. */
void tcp_ext_release(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* Out-of-order data (SEG.SEQ > RCV.NXT, acceptable): keep it. @fin_dup: its FIN was held
 * already (tcp_reass_fin). @return 1 if @m was kept. */
int tcp_reass_queue(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
		    const struct tcpd_pkt *p, uint32_t wnd, int fin_dup);
/* An acceptable FIN beyond RCV.NXT (its data, if any, queued or not): remembered, so that it
 * counts once the data before it arrived instead of waiting for the peer's retransmission.
 * @return 1 if that FIN was held already (a duplicate, D-SACKed). */
int tcp_reass_fin(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p,
		  uint32_t wnd);
/* RCV.NXT reached a FIN kept by tcp_reass_fin: @return 1 (once) if it is to be processed now. */
int tcp_reass_fin_due(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* An in-order segment carries the peer's FIN at @fin: out-of-order data queued past it is
 * freed, and a FIN kept by tcp_reass_fin forgotten. */
void tcp_reass_fin_taken(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t fin);
/* RCV.NXT moved: give the application what the queue now holds in order. */
void tcp_reass_deliver(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* Free every out-of-order mbuf of the lcore (mbuf pool low). @return mbufs freed. */
uint32_t tcp_reass_purge_all(struct tcpd_tcp_ctx *ctx);
/* Once per ms from the timer run: purge when the pool runs low. */
void tcp_reass_pressure(struct tcpd_tcp_ctx *ctx);
/* The next ACK of @c reports [l, r) as a duplicate (RFC 2883). */
static inline void
tcp_sack_dsack(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, uint32_t l, uint32_t r)
{
	ctx->dsack_conn = c;
	ctx->dsack_l = l;
	ctx->dsack_r = r;
}
/* SACK blocks for a segment of @c into @o (D-SACK first, then the most recent). */
void tcp_sack_opts(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, struct tcpd_tcp_opts *o);
/* The peer's SACK blocks of @p into the scoreboard. @return 1 if they SACKed new data. */
int tcp_sack_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p);
/* RFC 6675 IsLost(SND.UNA): enough SACKed above it to start recovery before 3 DupAcks. */
int tcp_sack_lost_una(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c);
/* The scoreboard holds something: recovery is SACK-based (RFC 6675). */
int tcp_sack_active(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c);
/* RFC 6675 5 (4.2): entering recovery, the first unSACKed segment goes now, then as pipe
 * allows. */
void tcp_sack_enter(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* RFC 6675 5 (C): send what NextSeg gives while cwnd - pipe >= 1 SMSS. @return segments. */
unsigned int tcp_sack_output(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* Go-back-N after an RTO: move SND.NXT over SACKed data. @return bytes until the next SACKed
 * range (UINT32_MAX if none). */
uint32_t tcp_sack_skip(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* Bytes from SND.UNA to the first SACKed range (UINT32_MAX if nothing SACKed). */
uint32_t tcp_sack_hole_len(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c);
/* RTO: the scoreboard is kept once (SACKed data is not resent), dropped on the next expiry
 * (the peer may have reneged). */
void tcp_sack_rto(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* Entering recovery with timestamps: remember cwnd and ssthresh and when the first retransmission
 * leaves, for tcp_sack_undo. */
void tcp_sack_undo_mark(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint16_t cwnd,
			uint16_t ssthresh);
/* The first ACK of new data in recovery echoes @tsecr: older than our first retransmission means
 * the original arrived (reordering, not loss: RFC 3522 Eifel detection); cwnd and ssthresh come
 * back and recovery ends. @return 1 if undone. */
int tcp_sack_undo(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t tsecr);
/* RFC 8985-style reordering timer: holes at SND.UNA below SACKed data and no recovery yet: the
 * ms to wait before they count as lost (0: no such timer). */
uint32_t tcp_sack_reo_ms(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c);
/* That timer expired: the holes are lost, recovery starts (fewer than 3 DupAcks came). */
void tcp_sack_reo_expired(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* Recovery over: the record goes if nothing else holds it. */
void tcp_sack_recovery_end(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);

/* ---- timers (tcp_timer.c) ---- */
/*
 * c->retries: the low nibble counts consecutive expiries without an answer (rto_retries <= 15);
 * the high nibble is the persist back-off kept over zero-window probes the peer answered (RFC
 * 9293 3.8.6.1, MUST-37: probing goes on while they are answered; like Linux, an answer resets
 * the probe count, not the back-off). The RTO is shifted by their sum.
 */
#define TCP_RETRIES_MASK 0x0f
static inline unsigned int
tcp_backoff(const struct tcpd_tcb *c)
{
	return (c->retries & TCP_RETRIES_MASK) + (c->retries >> 4);
}
uint32_t tcp_rto_ms(const struct tcpd_tcb *c);
void tcp_rtt_sample(struct tcpd_tcb *c, uint32_t rtt_ms);
/*
 * The handshake is over (before c->retries is cleared). If our SYN or SYN-ACK had to be sent
 * again: RFC 5681 3.1's initial window of one segment (a MUST when the SYN or SYN-ACK was lost),
 * and RFC 6298 5.7's 3 s RTO if no RTT sample was taken. @first_echoed: the answer's TSecr is
 * the TSval of our first SYN or SYN-ACK, so the first transmission arrived and the
 * retransmission was spurious (a radio waking, a path longer than 1 s): nothing was lost and the
 * initial window stays (Linux's tcp_try_undo_spurious_syn; Linux cuts only from the second
 * retransmission, we from the first, as the RFC).
 */
static inline void
tcp_rto_handshake_done(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, int first_echoed)
{
	if ((c->retries & TCP_RETRIES_MASK) == 0)
		return;
	if (first_echoed)
		tcp_inc(ctx, TCPD_STAT_handshake_undo);
	else
		c->cwnd = 1;
	if (c->srtt8 == 0)
		c->rttvar4 = TCP_RTO_SYN_LOST_MS; /* tcp_rto_ms's base until the first sample */
}
/* Arm the state timer (@ms from now). */
void tcp_timer_state(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint64_t ms);
/* After input or output: RTO while something is outstanding, else FIN-WAIT-2 or idle timer.
 * @restart: an ACK advanced SND.UNA (RFC 6298 5.3 restarts the RTO). */
void tcp_timer_update(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, int restart);
void tcp_timer_cb(struct tcpd_timer *t, void *arg);

/* ---- input (tcp_input.c dispatches to tcp_fsm.c, tcp_timewait.c and tcp_listen.c) ---- */
/* What became of a segment given to the state machine; the dispatcher acts on the last two. */
enum tcp_verdict {
	TCP_DONE,   /* the segment's mbuf was used or freed */
	TCP_REOPEN, /* a SYN that may reopen this TIME-WAIT tuple: the entry is gone, the SYN is
		     * next */
};
enum tcp_verdict tcp_fsm_input(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
			       const struct tcpd_pkt *p);
/*
 * A segment for no connection. @return a connection created from a valid SYN cookie ACK, which
 * the state machine takes next with the same segment; else NULL (the mbuf was used or freed).
 */
struct tcpd_tcb *tcp_listen_input(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m,
				  const struct tcpd_pkt *p, const struct tcpd_conn_key *key,
				  uint32_t hash);
/* A SYN for listener @li (also after a TIME-WAIT reuse: then ctx->reopen_iss is its ISN). */
void tcp_listen_syn(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p,
		    const struct tcpd_conn_key *key, uint32_t hash, unsigned int li);
/*
 * An ACK in SYN-RECEIVED (passive open) that acknowledges something else than our SYN-ACK: the
 * cookie SYN-ACK of an earlier copy of the same SYN (sent while the SYN queue was full), which
 * the peer took first? As Linux (tcp_check_req, cookie_v4_check): if the ACK is a valid cookie
 * for the tuple, @c takes the cookie's values (ISS, MSS, the options the cookie encodes) and
 * @return 1; the caller moves it to ESTABLISHED. @return 0 otherwise (the caller resets).
 */
int tcp_listen_cookie_syn_rcvd(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c,
			       const struct tcpd_pkt *p);
/* RFC 5961 challenge ACK, limited per connection and second. */
void tcp_challenge_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m);
/* The ACK answering an unacceptable segment (PAWS, out of window): rate limited. */
void tcp_oow_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
		 const struct tcpd_pkt *p);
/* Enter TIME-WAIT: the application lets go, @c becomes a compact entry (struct tcpd_tw) and is
 * gone (callers return right after), 2*MSL starts. */
void tcp_enter_time_wait(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* A segment for compact TIME-WAIT entry @tw. */
enum tcp_verdict tcp_tw_input(struct tcpd_tcp_ctx *ctx, struct tcpd_tw *tw, struct rte_mbuf *m,
			      const struct tcpd_pkt *p);
/* Remove TIME-WAIT entry @tw (gauges, IPv6 peer reference, table). */
void tcp_tw_close(struct tcpd_tcp_ctx *ctx, struct tcpd_tw *tw);
/* From the timer run: end the TIME-WAIT entries whose 2*MSL is over (oldest first, bounded). */
void tcp_tw_expire(struct tcpd_tcp_ctx *ctx);
/* TIME-WAIT @tw of ours may open again (client mode, as Linux's tcp_tw_reuse). */
int tcp_tw_reusable(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tw *tw);
/* RFC 9293 3.10.7.4's acceptability test against window @wnd. */
static inline uint32_t
tcp_seg_len(const struct tcpd_pkt *p)
{
	return p->payload_len + !!(p->flags & TCPD_TH_SYN) + !!(p->flags & TCPD_TH_FIN);
}
static inline int
tcp_seq_acceptable_at(uint32_t rcv_nxt, const struct tcpd_pkt *p, uint32_t wnd)
{
	uint32_t len = tcp_seg_len(p);
	uint32_t off = p->seq - rcv_nxt;

	/* With a zero window, a segment at RCV.NXT is let through so that its ACK is processed
	 * (MUST-66); the application then refuses its data. */
	if (wnd == 0)
		return p->seq == rcv_nxt;
	/* A bare ACK at the window's right edge is the peer that filled our window (its SND.NXT
	 * there): accepted for its ACK and SACK, as Linux does (tcp_sequence), although RFC 9293's
	 * test wants SEG.SEQ < RCV.NXT + RCV.WND. Dropping it hid every ACK of the peer until its
	 * retransmission of our hole got through: a 200 ms stall at 5 % loss. Not a RST (RFC 5961
	 * in-window rules unchanged). */
	if (len == 0)
		return off < wnd || (off == wnd && !(p->flags & TCPD_TH_RST));
	return off < wnd || (p->seq + len - 1 - rcv_nxt) < wnd;
}
static inline int
tcp_seq_acceptable(const struct tcpd_tcb *c, const struct tcpd_pkt *p, uint32_t wnd)
{
	return tcp_seq_acceptable_at(c->rcv_nxt, p, wnd);
}

/* SYN-SENT (RFC 9293 3.10.7.3): the answer to our SYN (tcp_connect.c). */
void tcp_syn_sent_input(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
			const struct tcpd_pkt *p);

/* ---- congestion control (tcp_cc.c) ---- */
/*
 * ssthresh after a loss (fast retransmit or RTO) from the flight in segments: CUBIC's
 * multiplicative decrease beta = 0.7 (RFC 8312 4.5 and 4.6, Linux's default), not Reno's 0.5:
 * on a path that loses a segment nearly every round trip (5 %), halving kept cwnd at a few
 * segments and the transfer time was round trips. At least 2 segments (RFC 5681 (4)); room left
 * below UINT16_MAX for NewReno's + 3.
 */
static inline uint16_t
tcp_cc_ssthresh(uint32_t flight)
{
	return (uint16_t)RTE_MAX(RTE_MIN(flight * 7 / 10, (uint32_t)UINT16_MAX - 3), 2u);
}
/*
 * ssthresh after a loss event (fast retransmit, the reordering timer, RTO) of a @flight of
 * segments, by delay (TCP Veno's loss differentiation, Westwood+'s ssthresh = BWE x RTTmin):
 * with timestamps, an RTT estimate and SRTT within --random-loss-ms of the lowest RTT, no queue
 * stands on the path, the loss is taken for random: ssthresh = the flight (BWE x RTTmin when
 * SRTT is RTTmin), TCPD_TCB_F_RLOSS set, counted cc_loss_random. Otherwise tcp_cc_ssthresh's
 * 0.7 (cc_loss_queue).
 */
uint16_t tcp_cc_loss(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t flight);
/* A duplicate ACK (RFC 5681 2); the third starts fast retransmit and recovery. */
void tcp_cc_dup_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c);
/* SND.UNA advanced by @acked bytes (already applied). */
void tcp_cc_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t old_una, int recovering);
/* New data acknowledged during fast recovery (RFC 6582). */
void tcp_cc_recovery_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t acked);

/* ---- applications: the connection's ops, chosen when it was created ---- */
static inline struct tcpd_app *
tcp_app(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	return &ctx->apps[c->app];
}
static inline uint32_t
tcp_app_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	   uint32_t len, uint32_t room, int *m_taken)
{
	struct tcpd_app *a = tcp_app(ctx, c);
	uint32_t end = c->app_end, n;

	n = a->ops->rx(a, c, m, data, len, room, m_taken);
	/* A service's answer: from here the connection waits for its peer (tcp_reclaim.c). Not
	 * an active open's: a client that queued its next request waits for the server, busy. */
	if (c->app_end != end && !(c->tflags & TCPD_TCB_F_ACTIVE))
		tcp_idle_push(ctx, c, c->rcv_nxt + n);
	return n;
}
static inline void
tcp_app_fill(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	     uint32_t len)
{
	const struct tcpd_app *a = tcp_app(ctx, c);

	a->ops->fill(a, c, dst, seq, len);
}
static inline void
tcp_app_acked(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t old_una)
{
	struct tcpd_app *a = tcp_app(ctx, c);

	if (a->ops->acked != NULL)
		a->ops->acked(a, c, old_una);
}
static inline void
tcp_app_free(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, enum tcpd_close_reason why)
{
	struct tcpd_app *a = tcp_app(ctx, c);

	if (c->tflags & TCPD_TCB_F_APP_GONE)
		return;
	c->tflags |= TCPD_TCB_F_APP_GONE;
	if (a->ops->free != NULL)
		a->ops->free(a, c, why);
}
static inline void
tcp_app_established(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	struct tcpd_app *a = tcp_app(ctx, c);

	if (a->ops->established != NULL)
		a->ops->established(a, c);
}

/* Inline and always so: every caller passes a constant @to, and what other targets need (the
 * half-open count, the closing ring, the opening's counters and hook) compiles away; out of
 * line it was about 200 instructions a connection over five moves. */
static inline __attribute__((always_inline)) void
tcp_set_state(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, unsigned int to)
{
	unsigned int from = c->state;

	if (from == to)
		return;
	if (from == TCPD_SYN_RECEIVED) {
		ctx->half_open--;
		tcpd_stats_dec(ctx->st, TCPD_STAT_conn_half_open);
	}
	if (to == TCPD_SYN_RECEIVED) {
		ctx->half_open++;
		tcp_inc(ctx, TCPD_STAT_conn_half_open);
	}
	tcpd_stats_state_move(ctx->st, from, to);
	c->state = (uint8_t)to;
	if (tcp_state_closing(to) && !tcp_state_closing(from))
		tcp_closing_push(ctx, c);
	if (to == TCPD_ESTABLISHED && from <= TCPD_SYN_RECEIVED) {
		if (c->tflags & TCPD_TCB_F_ACTIVE) {
			tcp_inc(ctx, TCPD_STAT_conn_connected);
		} else {
			tcp_inc(ctx, TCPD_STAT_conn_opened);
			tcp_lstat_inc(&ctx->lstats[c->listener].accepted);
		}
		tcp_app_established(ctx, c);
	}
}

#endif /* TCPD_TCP_INTERNAL_H */
