/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segment output: replies built in place in the received mbuf (ACK, RST, SYN-ACK, FIN, the
 * first data segment of the send loop), further data segments from the mempool, and the send loop shared by new data and go-back-N
 * retransmission (it always sends from SND.NXT; an RTO rewinds SND.NXT to SND.UNA).
 * IPv6 connections (tcp_conn_is6) leave through tcp_tx6 (tcp_ip6.c): the IPv4 path pays one
 * predictable branch on the key's local address.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "tcp_internal.h"

struct rte_mbuf *
tcp_seg_alloc(struct tcpd_tcp_ctx *ctx)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(ctx->pool);

	if (unlikely(m == NULL)) {
		/* out-of-order data goes first: the peer still holds it */
		if (tcp_reass_purge_all(ctx) != 0)
			m = rte_pktmbuf_alloc(ctx->pool);
		if (m == NULL)
			tcp_inc(ctx, TCPD_STAT_drop_nombuf);
	}
	return m;
}

/* Segment @s (+ @plen payload bytes already in place) of IPv4 connection @c written into @frame
 * from the lcore's template and the connection's key. @return the frame's length */
static __rte_always_inline uint32_t
tcp_conn_build4(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, void *frame,
		const struct tcpd_net_seg *s, uint16_t plen)
{
	return tcpd_net_tmpl4_build(frame, &ctx->tmpl4, ctx->ifc, &c->peer_mac, c->ent.local_ip,
				    c->ent.peer_ip, c->ent.local_port, c->ent.peer_port, s, plen);
}

/* Header fields every segment of a synchronized connection carries. */
static inline void
conn_seg(const struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct tcpd_net_seg *s, uint32_t seq,
	 uint8_t flags)
{
	s->seq = seq;
	s->ack = (flags & TCPD_TH_ACK) ? c->rcv_nxt : 0;
	s->win = (flags & TCPD_TH_RST) ? 0 : tcp_rcv_wnd_field(ctx, c);
	s->flags = flags;
	s->ip_tos = 0;
	s->opts.present = 0;
	if (c->opt_flags & TCPD_TCB_TS) {
		/* RFC 7323 3.2: TSval from our 1 ms clock, TSecr echoes TS.Recent. */
		s->opts.present = TCPD_OPT_TS;
		s->opts.tsval = (uint32_t)ctx->now_ms;
		s->opts.tsecr = c->ts_recent;
	}
}

/* The SACK blocks (RFC 2018) of a segment of @c: only when negotiated and something to say. */
static inline void
conn_seg_sack(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, struct tcpd_net_seg *s)
{
	if (unlikely(c->ext != 0 || ctx->dsack_conn == c) && (c->opt_flags & TCPD_TCB_SACK) &&
	    !(s->flags & TCPD_TH_RST))
		tcp_sack_opts(ctx, c, &s->opts);
}

void
tcp_send_ctl(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *reuse, uint32_t seq,
	     uint8_t flags)
{
	struct tcpd_net_seg s;
	struct rte_mbuf *m = tcp_seg_mbuf(ctx, reuse);

	if (unlikely(m == NULL))
		return;
	conn_seg(ctx, c, &s, seq, flags);
	conn_seg_sack(ctx, c, &s);
	if (flags & TCPD_TH_RST)
		tcp_inc(ctx, TCPD_STAT_rst_tx);
	if (unlikely(tcp_conn_is6(c))) {
		tcp_tx6(ctx, c, m, &s, 0);
		return;
	}
	tcp_tx(ctx, m, tcp_conn_build4(ctx, c, rte_pktmbuf_mtod(m, void *), &s, 0));
}

void
tcp_send_syn(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *reuse)
{
	struct tcpd_net_seg s;
	struct rte_mbuf *m = tcp_seg_mbuf(ctx, reuse);
	/* our SYN: TSecr 0 (ts_recent then holds our first TSval, tcp_connect.c) */
	uint32_t tsecr = 0;

	if (unlikely(m == NULL))
		return;
	s.seq = c->iss;

	if (c->state == TCPD_SYN_SENT) {
		s.ack = 0;
		s.flags = TCPD_TH_SYN;
	} else {
		s.ack = c->rcv_nxt;
		s.flags = TCPD_TH_SYN | TCPD_TH_ACK;
		tsecr = c->ts_recent;
	}
	s.win = tcp_rcv_wnd_syn(ctx, c);
	s.ip_tos = 0;
	tcp_synack_opts(ctx, &s.opts, (c->opt_flags & TCPD_TCB_WSCALE) ? c->rcv_wscale : -1,
			(c->opt_flags & TCPD_TCB_SACK) != 0, (c->opt_flags & TCPD_TCB_TS) != 0,
			(uint32_t)ctx->now_ms, tsecr);
	if (unlikely(tcp_conn_is6(c))) {
		s.opts.mss = ctx->our_mss6;
		tcp_tx6(ctx, c, m, &s, 0);
		return;
	}
	tcp_tx(ctx, m, tcp_conn_build4(ctx, c, rte_pktmbuf_mtod(m, void *), &s, 0));
}

/* Token bucket refilled from the TSC: credit in cycles, each RST costs hz / rst_rate. */
static int
rst_allowed(struct tcpd_tcp_ctx *ctx)
{
	uint64_t now = ctx->now_tsc;

	if (unlikely(ctx->rst_cost == 0))
		return 0; /* rst_rate 0: never send them */
	if (now > ctx->rst_last_tsc) {
		ctx->rst_credit += now - ctx->rst_last_tsc;
		if (ctx->rst_credit > ctx->hz)
			ctx->rst_credit = ctx->hz;
	}
	ctx->rst_last_tsc = now;
	if (ctx->rst_credit < ctx->rst_cost)
		return 0;
	ctx->rst_credit -= ctx->rst_cost;
	return 1;
}

void
tcp_send_rst_noconn(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p)
{
	if (unlikely(!(p->flags & TCPD_TH_RST) && !rst_allowed(ctx))) {
		tcp_inc(ctx, TCPD_STAT_rst_ratelimited);
		rte_pktmbuf_free(m);
		return;
	}
	tcp_send_rst_reply(ctx, m, p);
}

void
tcp_send_rst_reply(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p)
{
	struct tcpd_net_seg s;
	void *frame = rte_pktmbuf_mtod(m, void *);

	if (unlikely(p->flags & TCPD_TH_RST)) { /* never answer a RST */
		rte_pktmbuf_free(m);
		return;
	}
	memset(&s, 0, sizeof(s));
	if (p->flags & TCPD_TH_ACK) {
		s.seq = p->ack; /* <SEQ=SEG.ACK><CTL=RST> */
		s.flags = TCPD_TH_RST;
	} else { /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
		s.ack = p->seq + p->payload_len + !!(p->flags & TCPD_TH_SYN) +
			!!(p->flags & TCPD_TH_FIN);
		s.flags = TCPD_TH_RST | TCPD_TH_ACK;
	}
	tcp_inc(ctx, TCPD_STAT_rst_tx);
	if (unlikely(p->family == TCPD_NET_AF_INET6)) {
		tcp_tx6_reply(ctx, m, p, &s);
		return;
	}
	tcp_tx(ctx, m,
	       tcpd_net_tmpl4_build(frame, &ctx->tmpl4, ctx->ifc,
				    &((const struct rte_ether_hdr *)frame)->src_addr, p->dst_ip,
				    p->src_ip, p->dst_port, p->src_port, &s, 0));
}

static inline int
fin_allowed(const struct tcpd_tcb *c)
{
	if (!(c->tflags & TCPD_TCB_F_FIN))
		return 0;
	switch (c->state) {
	case TCPD_ESTABLISHED:
	case TCPD_CLOSE_WAIT:
	case TCPD_FIN_WAIT_1:
	case TCPD_CLOSING:
	case TCPD_LAST_ACK:
		return 1;
	default:
		return 0;
	}
}

/*
 * Build and queue one segment of @len bytes from SND.NXT in @m, with our FIN if @fin (a buffer
 * too short for all of @len carries what fits, without the FIN), and advance SND.NXT.
 * @return 1 if our FIN left: nothing may follow it.
 */
static __rte_always_inline uint32_t
send_segment(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m, uint32_t len,
	     int fin)
{
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t l3x = unlikely(tcp_conn_is6(c)) ? TCP_IP6_EXTRA : 0;
	struct tcpd_net_seg s;
	uint32_t avail;
	uint16_t hlen;

	conn_seg(ctx, c, &s, c->snd_nxt, TCPD_TH_ACK | (fin ? TCPD_TH_FIN : 0));
	conn_seg_sack(ctx, c, &s);
	hlen = (uint16_t)(TCP_HDRS_LEN + tcpd_net_tmpl4_opts_len(&s.opts) + l3x);
	avail = rte_pktmbuf_tailroom(m) + m->data_len - hlen;
	/* options count against the MSS (RFC 9293 3.7.1): SACK blocks shorten the payload */
	if (avail > (uint32_t)c->snd_mss + TCP_HDRS_LEN + l3x - hlen)
		avail = (uint32_t)c->snd_mss + TCP_HDRS_LEN + l3x - hlen;
	if (len > avail) {
		len = avail;
		fin = 0;
		s.flags &= ~TCPD_TH_FIN;
	}
	if (len && c->snd_nxt + len == c->app_end)
		s.flags |= TCPD_TH_PSH;
	if (len)
		tcp_app_fill(ctx, c, frame + hlen, c->snd_nxt, len);
	if (seq_lt(c->snd_nxt, c->snd_max)) {
		tcp_inc(ctx, TCPD_STAT_retransmit);
	} else if (!(c->opt_flags & (TCPD_TCB_TS | TCPD_TCB_RTT))) {
		/* Time one new segment per RTT when timestamps are off (Karn: never a
		 * retransmitted one; an RTO clears the flag). */
		c->opt_flags |= TCPD_TCB_RTT;
		c->rtt_seq = c->snd_nxt + len + fin;
		c->rtt_ts = (uint16_t)ctx->now_ms;
	}
	if (unlikely(l3x != 0))
		tcp_tx6(ctx, c, m, &s, (uint16_t)len);
	else
		tcp_tx(ctx, m, tcp_conn_build4(ctx, c, frame, &s, (uint16_t)len));
	tcpd_stats_add(ctx->st, TCPD_STAT_data_tx_bytes, len);
	c->snd_nxt += len + fin;
	if (seq_gt(c->snd_nxt, c->snd_max))
		c->snd_max = c->snd_nxt;
	if (fin) {
		if (c->state == TCPD_ESTABLISHED)
			tcp_set_state(ctx, c, TCPD_FIN_WAIT_1);
		else if (c->state == TCPD_CLOSE_WAIT)
			tcp_set_state(ctx, c, TCPD_LAST_ACK);
	}
	return (uint32_t)fin;
}

/*
 * Sender silly window avoidance (RFC 9293 3.8.6.2.1, MUST-38; RFC 1122 4.2.3.4) for @len bytes
 * of new data, less than a segment: they wait if the peer's window cut them short of the
 * queued data (rule 2: all of it may go, PUSHed, as ours always is) and they are less than
 * Fs = 1/2 of the largest window the peer offered (rule 3). Without the bracketed Nagle
 * condition of rules 2 and 3 (SND.NXT = SND.UNA): our applications write whole messages (an
 * HTTP response, the echo of a segment) and want them sent at once, as with TCP_NODELAY.
 * Retransmissions, persist probes and the override timeout (rule 4) never wait.
 */
static inline int
sws_wait(const struct tcpd_tcb *c, uint32_t len, int flags)
{
	return c->snd_nxt == c->snd_max && !(flags & (TCP_OUT_PROBE | TCP_OUT_FORCE)) &&
	       c->snd_nxt + len != c->app_end && len == c->snd_una + c->snd_wnd - c->snd_nxt &&
	       2 * len < c->max_swnd;
}

unsigned int
tcp_output(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *reuse, int flags)
{
	uint32_t maxp = tcp_seg_payload_max(c);
	/* cwnd counts segments of the payload we send (timestamps deducted): in bytes of snd_mss
	 * every window-limited burst ended with a runt of cwnd * 12 bytes */
	uint64_t cw = (uint64_t)c->cwnd * maxp;
	uint32_t wnd = c->snd_wnd < cw ? c->snd_wnd : (uint32_t)cw;
	uint32_t wend = c->snd_una + wnd;
	int fin_ok = fin_allowed(c), cut = 0;
	unsigned int sent = 0;

	if (c->state < TCPD_ESTABLISHED)
		goto out;
	/* Persist probe (RFC 9293 3.8.6.1): one byte (or the FIN) into a zero window. */
	if ((flags & TCP_OUT_PROBE) && wnd == 0)
		wend = c->snd_una + 1;
	for (;;) {
		struct rte_mbuf *m;
		uint32_t len = 0, lim = UINT32_MAX, s0 = c->snd_nxt;
		int fin;

		if (unlikely(c->ext != 0) && seq_lt(c->snd_nxt, c->snd_max))
			lim = tcp_sack_skip(ctx, c); /* go-back-N: not what the peer SACKed */
		if (seq_lt(c->snd_nxt, c->app_end) && seq_lt(c->snd_nxt, wend)) {
			len = c->app_end - c->snd_nxt;
			if (len > lim)
				len = lim;
			if (len > wend - c->snd_nxt)
				len = wend - c->snd_nxt;
			if (len > maxp)
				len = maxp;
		}
		fin = fin_ok && c->snd_nxt + len == c->app_end && seq_lt(c->snd_nxt + len, wend);
		if (len == 0 && !fin)
			break;
		/* The few bytes that SACK blocks cut off the previous segment wait for more data or
		 * the next ACK: sent alone they doubled the frames of a bulk echo whose ACKs carry
		 * SACK blocks (Nagle's rule, for that case only). */
		if (unlikely(cut) && len < maxp && !fin)
			break;
		if (len < maxp && !fin && unlikely(sws_wait(c, len, flags))) {
			tcp_inc(ctx, TCPD_STAT_sws_wait);
			break; /* the override timeout (tcp_timer.c) sends it if nothing else does */
		}
		if (unlikely(tcpd_tx_full(ctx->tx)))
			break; /* the RTO sends the rest */
		/* The received buffer carries the first segment, data included: one allocation and
		 * one free fewer per request answered (send_segment fits the payload to its room). */
		m = tcp_seg_mbuf(ctx, reuse);
		if (unlikely(m == NULL))
			break;
		reuse = NULL;
		sent++;
		if (send_segment(ctx, c, m, len, fin) || (flags & TCP_OUT_ONE))
			break; /* the FIN is the last segment */
		cut = c->snd_nxt - s0 < len && c->snd_nxt == c->snd_max; /* new data cut short */
	}
out:
	if (sent == 0 && (flags & TCP_OUT_ACK))
		tcp_send_ack(ctx, c, reuse);
	else if (reuse != NULL)
		rte_pktmbuf_free(reuse);
	return sent;
}

void
tcp_retransmit_una(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	uint32_t nxt = c->snd_nxt;

	c->snd_nxt = c->snd_una;
	tcp_output(ctx, c, NULL, TCP_OUT_ONE);
	if (seq_gt(nxt, c->snd_nxt))
		c->snd_nxt = nxt;
}

uint32_t
tcp_output_seg(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t seq, uint32_t maxlen)
{
	uint32_t nxt = c->snd_nxt, len = 0, sent;
	struct rte_mbuf *m;
	int fin;

	if (seq_lt(seq, c->app_end)) {
		len = c->app_end - seq;
		if (len > maxlen)
			len = maxlen;
		if (len > tcp_seg_payload_max(c))
			len = tcp_seg_payload_max(c);
	}
	fin = fin_allowed(c) && seq + len == c->app_end;
	if ((len == 0 && !fin) || unlikely(tcpd_tx_full(ctx->tx)))
		return 0;
	m = tcp_seg_mbuf(ctx, NULL);
	if (unlikely(m == NULL))
		return 0;
	c->snd_nxt = seq;
	send_segment(ctx, c, m, len, fin);
	sent = c->snd_nxt - seq;
	if (seq_gt(nxt, c->snd_nxt))
		c->snd_nxt = nxt;
	return sent;
}
