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

#include "tcpd_tcp.h"

_Static_assert(sizeof(struct tcpd_conn) == 2 * RTE_CACHE_LINE_SIZE,
	       "struct tcpd_conn is two cache lines");
_Static_assert(offsetof(struct tcpd_conn, timer) == RTE_CACHE_LINE_SIZE,
	       "cache line 1 starts with the timer");

/*
 * Our window scale. Discard and http buffer nothing, so they can offer a large window for free
 * (TCP_RCV_WND_NOBUF, 1 MiB: one 10 Gbit/s * 1 ms bandwidth-delay product); 1 MiB needs a shift
 * of at least 5, and 7 is what Linux offers by default, so peers see familiar numbers and the
 * window granularity (128 bytes) stays far below one MSS.
 */
#define TCP_OUR_WSCALE	  7
#define TCP_RCV_WND_NOBUF (1u << 20)
/* Echo holds what it has not yet sent back and had acknowledged: at most this much. */
#define TCP_ECHO_QMAX (64u * 1024)
/* HTTP stops reading requests while this many response bytes are unacknowledged. */
#define TCP_HTTP_MAX_OUTSTANDING (256u * 1024)

/* RFC 6298: initial RTO 1 s; floor 200 ms (as Linux, below RFC 6298's 1 s); ceiling 60 s. */
#define TCP_RTO_INIT_MS 1000
#define TCP_RTO_MIN_MS	200
#define TCP_RTO_MAX_MS	60000
/* RFC 6928 initial window, in segments. */
#define TCP_IW_SEGS 10
/* RFC 9293 3.7.1: default MSS when the SYN has none; Linux's floor for a peer's MSS option. */
#define TCP_DEFAULT_MSS 536
#define TCP_MIN_MSS	88
#define TCP_TS_OPT_LEN	12 /* NOP, NOP, TS: what a timestamped segment loses from the MSS */

/*
 * ACKs answering PAWS-rejected or out-of-window segments without data: at most one per
 * connection per 500 ms (Linux tcp_invalid_ratelimit). c->oow_tick holds the ms clock >> 6 of the
 * last one: 64 ms ticks, so the limit is 449..511 ms (8 ticks).
 */
#define TCP_OOW_SHIFT 6
#define TCP_OOW_TICKS 8
/* RFC 7323 5.3 R1 with Linux's TCP_PAWS_WINDOW: a TSval one tick older than TS.Recent passes. */
#define TCP_PAWS_WINDOW 1

/* What the armed connection timer means (the TCPD_CONN_TMASK bits of opt_flags). */
/*
 * Timers fired per poll at most. Connections opened in the same millisecond expire in the same
 * tick: a full SYN queue of 64K half-open entries retransmits 64K SYN-ACKs at once, which would
 * overflow TCPD_TX_MAX and the TX ring and hold RX for milliseconds. 128 per poll (a few polls per
 * microsecond) still drains a million expiries per second many times over.
 */
#define TCP_TIMER_BUDGET 128

#define TCP_TK_NONE  0x00
#define TCP_TK_RTO   0x40 /* retransmission (or persist: zero window with data waiting) */
#define TCP_TK_OTHER 0x80 /* state timer: SYN-ACK, TIME-WAIT, FIN-WAIT-2, idle */

/* app_state: bit 31 is common to every service, the low bits belong to the service. */
#define TCP_APP_FIN (1u << 31) /* send FIN once the application data is sent */

struct tcp_burst {
	struct tcpd_conn **conns; /* lookup results of the current chunk */
	unsigned int next;	  /* first entry not yet processed */
	unsigned int n;
	int changed; /* the table changed since the bulk lookup */
};

struct tcpd_tcp_ctx {
	const struct tcpd_config *cfg;
	const struct tcpd_iface *ifc;
	const struct tcpd_cookie_store *cookies;
	struct rte_mempool *pool;
	struct tcpd_stats *st;
	struct tcpd_tx *tx;
	struct tcpd_conn_table *tbl;
	struct tcpd_timer_wheel *wheel;

	/* Clock, set at the start of every burst and timer run. */
	uint64_t hz;
	uint64_t ms_mult; /* ms = (tsc * ms_mult) >> 44: no division per packet */
	uint64_t now_tsc;
	uint64_t now_ms;
	uint32_t now_sec;      /* UNIX time */
	uint64_t sec_base;     /* UNIX time minus TSC seconds, taken at creation */
	uint32_t cookie_count; /* now_sec / TCPD_COOKIE_PERIOD */
	uint64_t clock_tsc;    /* now_sec and cookie_count are valid for this TSC */

	uint32_t half_open;	  /* SYN-RECEIVED entries of this lcore */
	uint32_t cookie_last_sec; /* last time a cookie was sent */
	int cookie_ever;	  /* a cookie was sent at least once */

	/* RST token bucket, in TSC cycles of credit: no division per RST. */
	uint64_t rst_credit;
	uint64_t rst_cost;
	uint64_t rst_last_tsc;

	uint16_t our_mss;
	struct tcp_burst burst;

	/* HTTP response templates: header of the keep-alive (R), closing (C) and explicit
	 * keep-alive (K, "Connection: keep-alive", for HTTP/1.0) response; the body is
	 * tcpd_tcp_http_body_byte(). */
	char http_hdr[3][192];
	uint16_t http_hlen[3];
	uint32_t http_len[3]; /* header + body */

	struct tcpd_listener_stats lstats[TCPD_MAX_LISTENERS];
	/* Listener of each port (host order): index + 1, 0 for none. O(1), 64 KiB. */
	uint8_t listen_map[65536];
};

/* ---- sequence numbers, modulo 2^32 ---- */
static inline int
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}
static inline int
seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}
static inline int
seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}
static inline int
seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

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
/* Move @c to @to, keeping the state gauges and the half-open count exact. */
void tcp_set_state(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, unsigned int to);
/* Insert a connection (state CLOSED, counted live); NULL if the table is full. */
struct tcpd_conn *tcp_conn_new(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key,
			       uint32_t hash);
/* Remove @c (timer, queued mbufs, table); @reset: it ended with a RST (listener stats). */
void tcp_conn_close(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, int reset);
/* Our receive window for @c, in bytes. */
uint32_t tcp_rcv_wnd(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn *c);
/* Application bytes queued and not acknowledged if SND.UNA were @una. Application data lives
 * in [ISS + 1, app_end): the SYN and the FIN are not data. */
static inline uint32_t
tcp_app_unacked_from(const struct tcpd_conn *c, uint32_t una)
{
	if (seq_lt(una, c->iss + 1))
		una = c->iss + 1;
	if (seq_gt(una, c->app_end))
		return 0;
	return c->app_end - una;
}
static inline uint32_t
tcp_app_unacked(const struct tcpd_conn *c)
{
	return tcp_app_unacked_from(c, c->snd_una);
}
/* Largest payload per segment. */
static inline uint32_t
tcp_seg_payload_max(const struct tcpd_conn *c)
{
	return c->snd_mss - ((c->opt_flags & TCPD_CONN_TS) ? TCP_TS_OPT_LEN : 0);
}

static inline uint8_t
tcp_conn_service(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn *c)
{
	return ctx->cfg->listen[c->listener].service;
}

/* ---- output (tcp_output.c) ---- */
/* Queue @m (frame of @len bytes) for transmission, or free and count it. */
void tcp_tx(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, uint32_t len);
/* A buffer for a segment: @reuse if non-NULL (its content is overwritten), else from the pool. */
struct rte_mbuf *tcp_seg_mbuf(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *reuse);
/* Send a bare segment on @c: <SEQ=seq><ACK=RCV.NXT><CTL=flags> with window and timestamps. */
void tcp_send_ctl(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *reuse,
		  uint32_t seq, uint8_t flags);
/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
static inline void
tcp_send_ack(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *reuse)
{
	tcp_send_ctl(ctx, c, reuse, c->snd_nxt, TCPD_TH_ACK);
}
/* SYN-ACK of a SYN-RECEIVED entry (first or retransmitted). */
void tcp_send_synack(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *reuse);
/* RST for a segment without connection (RFC 9293 3.10.7.1), rate limited; frees @m otherwise. */
void tcp_send_rst_noconn(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p);
/*
 * Send what the windows (peer, congestion) allow from SND.NXT: application data, then the FIN
 * when due. @reuse (may be NULL) carries a lone FIN or, with TCP_OUT_ACK when nothing else was
 * sent, the ACK; otherwise it is freed. TCP_OUT_PROBE: one byte into a zero window.
 * @return segments sent.
 */
#define TCP_OUT_ACK   0x1
#define TCP_OUT_PROBE 0x2
#define TCP_OUT_ONE   0x4 /* at most one segment */
unsigned int tcp_output(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *reuse,
			int flags);
/* Retransmit the one segment at SND.UNA now (fast retransmit), SND.NXT kept. */
void tcp_retransmit_una(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c);

/* ---- timers (tcp_timer.c) ---- */
/*
 * c->retries: the low nibble counts consecutive expiries without an answer (rto_retries <= 15);
 * the high nibble is the persist back-off kept over zero-window probes the peer answered (RFC
 * 9293 3.8.6.1, MUST-37: probing goes on while they are answered; like Linux, an answer resets
 * the probe count, not the back-off). The RTO is shifted by their sum.
 */
#define TCP_RETRIES_MASK 0x0f
static inline unsigned int
tcp_backoff(const struct tcpd_conn *c)
{
	return (c->retries & TCP_RETRIES_MASK) + (c->retries >> 4);
}
uint32_t tcp_rto_ms(const struct tcpd_conn *c);
void tcp_rtt_sample(struct tcpd_conn *c, uint32_t rtt_ms);
/* Arm the state timer (@ms from now). */
void tcp_timer_state(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, uint64_t ms);
/* After input or output: RTO while something is outstanding, else FIN-WAIT-2 or idle timer.
 * @restart: an ACK advanced SND.UNA (RFC 6298 5.3 restarts the RTO). */
void tcp_timer_update(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, int restart);
void tcp_timer_cb(struct tcpd_timer *t, void *arg);

/* ---- state machine (tcp_fsm.c, tcp_listen.c) ---- */
void tcp_fsm_input(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m,
		   const struct tcpd_pkt *p);
void tcp_listen_input(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p,
		      const struct tcpd_conn_key *key, uint32_t hash);
/* A SYN for a listener (also after a TIME-WAIT reuse). */
void tcp_listen_syn(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p,
		    const struct tcpd_conn_key *key, uint32_t hash, unsigned int li);

/* ---- services ---- */
/*
 * Hand in-order payload to the service. @data/@len: payload at RCV.NXT; @room: bytes the
 * window allows. @m: the segment's mbuf, which echo may keep (then *m_taken is set).
 * @return bytes consumed (RCV.NXT advances by that much).
 */
uint32_t tcp_svc_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m,
		    const uint8_t *data, uint32_t len, uint32_t room, int *m_taken);
/* Write @len bytes of application data starting at sequence @seq into @dst. */
void tcp_svc_fill(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn *c, uint8_t *dst,
		  uint32_t seq, uint32_t len);
/* SND.UNA advanced: release acknowledged application data (echo). */
void tcp_svc_acked(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, uint32_t old_una);
/* Free everything the service holds. */
void tcp_svc_free(struct tcpd_conn *c);

uint32_t tcp_echo_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m,
		     const uint8_t *data, uint32_t len, uint32_t room, int *m_taken);
void tcp_echo_fill(const struct tcpd_conn *c, uint8_t *dst, uint32_t seq, uint32_t len);
void tcp_echo_acked(struct tcpd_conn *c, uint32_t old_una);
void tcp_echo_free(struct tcpd_conn *c);

uint32_t tcp_http_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, const uint8_t *data,
		     uint32_t len);
void tcp_http_fill(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn *c, uint8_t *dst,
		   uint32_t seq, uint32_t len);
void tcp_http_init(struct tcpd_tcp_ctx *ctx);

uint32_t tcp_discard_rx(uint32_t len, uint32_t room);

#endif /* TCPD_TCP_INTERNAL_H */
