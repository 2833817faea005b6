/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segments that match no connection (RFC 9293 3.10.7.1 and 3.10.7.2): RST for a closed port,
 * SYN on a listening port (SYN-RECEIVED entry or SYN cookie, per cfg->syncookies), ACK checked
 * as a SYN cookie while cookies are recent, other ACKs reset, RSTs and segments without ACK
 * dropped.
 */
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "tcp_internal.h"

_Static_assert(TCPD_MAX_LISTENERS <= 16, "struct tcpd_tcb.listener is 4 bits wide");

/* The MSS a SYN asks for: without the option 536, over IPv6 1220 (RFC 9293 3.7.1, as Linux's
 * mss_clamp of each family), floored like Linux. */
static inline uint16_t
peer_mss(const struct tcpd_pkt *p)
{
	uint16_t mss = (p->opts.present & TCPD_OPT_MSS) ? p->opts.mss
		       : p->family == TCPD_NET_AF_INET6 ? TCP_DEFAULT_MSS6
							: TCP_DEFAULT_MSS;

	return mss < TCP_MIN_MSS ? TCP_MIN_MSS : mss;
}

static inline void
cookie_tuple(const struct tcpd_pkt *p, struct tcpd_cookie_tuple *t)
{
	t->saddr = p->src_ip;
	t->daddr = p->dst_ip;
	t->sport = p->src_port;
	t->dport = p->dst_port;
}

/* The cookie of SYN @p asking for @p mss, per family: the
 * IPv6 tuple and MSS table for IPv6 (Linux net/ipv6/syncookies.c). */
static inline uint32_t
syn_cookie(const struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, uint16_t mss)
{
	/* The store's keys, whose SipHash set-up was done when they were installed. */
	if (unlikely(p->family == TCPD_NET_AF_INET6)) {
		struct tcpd_cookie_tuple6 t6;

		tcp_cookie_tuple6(p, &t6);
		return tcpd_cookie_store_make6(ctx->cookies, &t6, p->seq, ctx->cookie_count,
					       tcpd_cookie_mss_index6(mss));
	}
	struct tcpd_cookie_tuple t;

	cookie_tuple(p, &t);
	return tcpd_cookie_store_make(ctx->cookies, &t, p->seq, ctx->cookie_count,
				      tcpd_cookie_mss_index(mss));
}

/*
 * The ISN of a SYN-RECEIVED entry: RFC 6528's (one SipHash; the cookie function takes two).
 * Its ACK is then no cookie: an entry lost while cookies are being sent (reclaimed, aborted)
 * is not restored by the ACK, which gets a RST as from a closed connection (Linux likewise:
 * its request sockets take secure_tcp_seq, cookies only when none is kept).
 */
static inline uint32_t
syn_isn(const struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p)
{
	if (unlikely(p->family == TCPD_NET_AF_INET6)) {
		struct tcpd_cookie_tuple6 t6;

		tcp_cookie_tuple6(p, &t6);
		return tcp_isn6(ctx, &t6);
	}
	struct tcpd_cookie_tuple t;

	cookie_tuple(p, &t);
	return tcp_isn(ctx, &t);
}

/* A connection for segment @p without one: an IPv6 peer's address is interned first. */
static inline struct tcpd_tcb *
listen_conn_new(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, const struct tcpd_conn_key *key,
		uint32_t hash, unsigned int app)
{
	if (likely(p->family == TCPD_NET_AF_INET))
		return tcp_conn_new(ctx, key, hash, app);
	return tcp_conn_new6(ctx, p, key, hash, app);
}

static inline void
peer_mac(struct tcpd_tcb *c, const struct rte_mbuf *m)
{
	c->peer_mac = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->src_addr;
}

/* Stateless SYN-ACK (RFC 4987 SYN cookies, Linux layout): everything the ACK must restore is in
 * the ISN (MSS) and, when the SYN has timestamps, in the low bits of our TSval. */
static void
cookie_synack(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p)
{
	void *frame = rte_pktmbuf_mtod(m, void *);
	const struct tcpd_tcp_opts *o = &p->opts;
	struct tcpd_net_seg s;

	s.seq = syn_cookie(ctx, p, peer_mss(p));
	s.ack = p->seq + 1;
	s.win = 65535;
	s.flags = TCPD_TH_SYN | TCPD_TH_ACK;
	s.ip_tos = 0;
	if (o->present & TCPD_OPT_TS) {
		struct tcpd_cookie_opts co = {
			.wscale = (o->present & TCPD_OPT_WSCALE) ? RTE_MIN(o->wscale, 14) : 0xF,
			.sack = (o->present & TCPD_OPT_SACK_PERM) != 0,
			.ecn = false, /* ECN is never negotiated */
		};

		tcp_synack_opts(ctx, &s.opts, (o->present & TCPD_OPT_WSCALE) ? TCP_OUR_WSCALE : -1,
				co.sack, 1, tcpd_cookie_ts_encode((uint32_t)ctx->now_ms, &co),
				o->tsval);
	} else {
		/* Without timestamps only the MSS survives (as Linux): offer nothing else. */
		tcp_synack_opts(ctx, &s.opts, -1, 0, 0, 0, 0);
	}
	tcp_inc(ctx, TCPD_STAT_cookie_sent);
	ctx->cookie_last_sec = ctx->now_sec;
	ctx->cookie_ever = 1;
	if (unlikely(p->family == TCPD_NET_AF_INET6)) {
		s.opts.mss = ctx->our_mss6;
		tcp_tx6_reply(ctx, m, p, &s);
		return;
	}
	/* The lcore's template, as a connection's segments (tcp_conn_build4): the reply's
	 * addresses are the SYN's swapped, its MAC the SYN's source (read before the rewrite). */
	tcp_tx(ctx, m,
	       tcpd_net_tmpl4_build(frame, &ctx->tmpl4, ctx->ifc,
				    &rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->src_addr,
				    p->dst_ip, p->src_ip, p->dst_port, p->src_port, &s, 0));
}

void
tcp_listen_syn(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p,
	       const struct tcpd_conn_key *key, uint32_t hash, unsigned int li)
{
	const struct tcpd_config *cfg = ctx->cfg;
	const struct tcpd_tcp_opts *o = &p->opts;
	struct tcpd_tcb *c = NULL;
	uint16_t mss;

	tcp_inc(ctx, TCPD_STAT_syn_rx);
	if (cfg->syncookies != TCPD_SYNCOOKIES_ALWAYS) {
		if (ctx->half_open >= cfg->synq_limit) {
			tcp_inc(ctx, TCPD_STAT_synq_full);
		} else {
			c = listen_conn_new(ctx, p, key, hash, cfg->listen[li].service);
			if (c == NULL)
				tcp_inc(ctx, TCPD_STAT_table_full);
		}
		if (c == NULL && cfg->syncookies == TCPD_SYNCOOKIES_OFF) {
			rte_pktmbuf_free(m);
			return;
		}
	}
	if (c == NULL) {
		cookie_synack(ctx, m, p);
		return;
	}
	c->listener = (uint8_t)li;
	peer_mac(c, m);
	mss = peer_mss(p);
	c->snd_mss = RTE_MIN(mss, p->family == TCPD_NET_AF_INET ? ctx->our_mss : ctx->our_mss6);
	if (o->present & TCPD_OPT_WSCALE) {
		c->opt_flags |= TCPD_TCB_WSCALE;
		c->snd_wscale = RTE_MIN(o->wscale, 14) & 0xF; /* RFC 7323 2.3 */
		c->rcv_wscale = TCP_OUR_WSCALE;
	}
	if (o->present & TCPD_OPT_SACK_PERM)
		c->opt_flags |= TCPD_TCB_SACK;
	if (o->present & TCPD_OPT_TS) {
		c->opt_flags |= TCPD_TCB_TS;
		c->ts_recent = o->tsval;
	}
	c->rcv_nxt = p->seq + 1;
	c->iss = likely(ctx->reopen_iss == 0) ? syn_isn(ctx, p) : ctx->reopen_iss;
	c->snd_una = c->recover = c->iss;
	c->snd_nxt = c->snd_max = c->app_end = c->iss + 1;
	tcp_snd_wnd_set(c, p->win); /* never scaled in a SYN */
	c->snd_wl1 = p->seq;
	tcp_set_state(ctx, c, TCPD_SYN_RECEIVED);
	if (!(c->opt_flags & TCPD_TCB_TS)) {
		c->opt_flags |= TCPD_TCB_RTT;
		c->rtt_seq = c->iss + 1;
		c->rtt_ts = (uint16_t)ctx->now_ms;
	} else {
		/* rtt_seq is unused with timestamps: our first SYN-ACK's TSval, which an ACK
		 * echoes if the first SYN-ACK arrived (tcp_rto_handshake_done) */
		c->rtt_seq = (uint32_t)ctx->now_ms;
	}
	tcp_send_syn(ctx, c, m);
	tcp_timer_state(ctx, c, tcp_rto_ms(c));
}

/* The cookie an ACK carries, per family; @mss: what it restores, capped by ours. */
static enum tcpd_cookie_verdict
ack_cookie_check(const struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, uint16_t *mss)
{
	enum tcpd_cookie_verdict v;
	unsigned int mssi = 0;

	if (unlikely(p->family == TCPD_NET_AF_INET6)) {
		struct tcpd_cookie_tuple6 t6;

		tcp_cookie_tuple6(p, &t6);
		v = tcpd_cookie_store_check6(ctx->cookies, &t6, p->seq - 1, p->ack - 1,
					     ctx->cookie_count, &mssi);
		*mss = RTE_MIN(tcpd_cookie_mss_table6[mssi], ctx->our_mss6);
		return v;
	}
	struct tcpd_cookie_tuple t;

	cookie_tuple(p, &t);
	v = tcpd_cookie_store_check(ctx->cookies, &t, p->seq - 1, p->ack - 1, ctx->cookie_count,
				    &mssi);
	*mss = RTE_MIN(tcpd_cookie_mss_table[mssi], ctx->our_mss);
	return v;
}

/*
 * The connection values a valid cookie ACK @p restores into @c (whose opt_flags hold nothing
 * negotiated yet): MSS @mss, and from the TSecr (when the SYN had timestamps) window scale and
 * SACK; sequence variables from SEG.ACK and SEG.SEQ.
 */
static void
cookie_restore(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p, uint16_t mss)
{
	c->snd_mss = mss;
	if ((p->opts.present & TCPD_OPT_TS) && p->opts.tsecr != 0) {
		struct tcpd_cookie_opts co;

		tcpd_cookie_ts_decode(p->opts.tsecr, &co);
		c->opt_flags |= TCPD_TCB_TS;
		c->ts_recent = p->opts.tsval;
		if (co.wscale != 0xF) {
			c->opt_flags |= TCPD_TCB_WSCALE;
			c->snd_wscale = RTE_MIN(co.wscale, 14) & 0xF;
			c->rcv_wscale = TCP_OUR_WSCALE;
		}
		if (co.sack)
			c->opt_flags |= TCPD_TCB_SACK;
		tcp_rtt_sample(c, (uint32_t)ctx->now_ms - p->opts.tsecr);
	}
	c->iss = c->recover = p->ack - 1;
	c->snd_una = c->snd_nxt = c->snd_max = c->app_end = p->ack;
	c->rcv_nxt = p->seq;
	/* what the cookie's SYN-ACK offered (cookie_synack), rounded up to our unit */
	tcp_rcv_offer(c, (65535u + (1u << c->rcv_wscale) - 1) >> c->rcv_wscale);
	tcp_snd_wnd_set(c, (uint32_t)p->win << c->snd_wscale);
	c->snd_wl1 = p->seq;
}

/* An ACK for no connection on a listening port: a SYN cookie, or a forged or stale ACK.
 * @return the connection the cookie restored, NULL if the segment was answered or dropped. */
static struct tcpd_tcb *
cookie_ack(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p,
	   const struct tcpd_conn_key *key, uint32_t hash, unsigned int li)
{
	enum tcpd_cookie_verdict v;
	struct tcpd_tcb *c;
	uint16_t mss;

	v = ack_cookie_check(ctx, p, &mss);
	if (v != TCPD_COOKIE_OK) {
		tcp_inc(ctx,
			v == TCPD_COOKIE_EXPIRED ? TCPD_STAT_cookie_expired : TCPD_STAT_cookie_bad);
		tcp_send_rst_noconn(ctx, m, p); /* <SEQ=SEG.ACK><CTL=RST> */
		return NULL;
	}
	c = listen_conn_new(ctx, p, key, hash, ctx->cfg->listen[li].service);
	if (c == NULL) {
		/* The peer believes it is connected: tell it it is not (RFC 9293 3.10.7.2, an
		 * ACK in LISTEN gets <SEQ=SEG.ACK><CTL=RST>), never leave it waiting. */
		tcp_inc(ctx, TCPD_STAT_table_full);
		tcp_inc(ctx, TCPD_STAT_cookie_no_room);
		tcp_send_rst_reply(ctx, m, p);
		return NULL;
	}
	tcp_inc(ctx, TCPD_STAT_cookie_ok);
	c->listener = (uint8_t)li;
	c->opt_flags = TCPD_TCB_COOKIE;
	peer_mac(c, m);
	cookie_restore(ctx, c, p, mss);
	tcp_set_state(ctx, c, TCPD_ESTABLISHED);
	/* The ACK may carry data or a FIN: the state machine takes it from here. */
	return c;
}

/* Cookies were sent within their validity window: only then is an ACK worth a cookie check. */
static inline int
cookies_recent(const struct tcpd_tcp_ctx *ctx)
{
	return ctx->cookie_ever && ctx->now_sec - ctx->cookie_last_sec < 2 * TCPD_COOKIE_PERIOD;
}

int
tcp_listen_cookie_syn_rcvd(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	uint16_t mss;

	if ((c->tflags & TCPD_TCB_F_ACTIVE) || !cookies_recent(ctx) ||
	    ack_cookie_check(ctx, p, &mss) != TCPD_COOKIE_OK)
		return 0;
	tcp_inc(ctx, TCPD_STAT_cookie_ok);
	tcp_inc(ctx, TCPD_STAT_cookie_syn_rcvd);
	/* What the SYN-RECEIVED entry negotiated is forgotten: the peer took the cookie's
	 * SYN-ACK, and the cookie says what that one offered. Its timing too (Karn: which
	 * SYN-ACK was sent when is unknown without timestamps). */
	c->opt_flags = (uint8_t)((c->opt_flags & TCPD_TCB_TMASK) | TCPD_TCB_COOKIE);
	c->snd_wscale = c->rcv_wscale = 0;
	cookie_restore(ctx, c, p, mss);
	return 1;
}

struct tcpd_tcb *
tcp_listen_input(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p,
		 const struct tcpd_conn_key *key, uint32_t hash)
{
	unsigned int li = ctx->listen_map[rte_be_to_cpu_16(p->dst_port)];
	uint8_t ctl = p->flags & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST);

	if (unlikely(li == 0)) {
		/* CLOSED (RFC 9293 3.10.7.1): every segment but a RST gets one, also those without
		 * SYN, ACK or RST (FIN, null, xmas scans): <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
		tcp_inc(ctx, TCPD_STAT_no_listener);
		tcp_send_rst_noconn(ctx, m, p);
		return NULL;
	}
	li--;
	if (likely(ctl == TCPD_TH_SYN)) {
		/* SYN+FIN: RFC 9293 3.10.7.2 would take the SYN and leave the FIN for SYN-RECEIVED;
		 * no client sends it, scanners do. Dropped, as Linux (tcp_rcv_state_process). */
		if (unlikely(p->flags & TCPD_TH_FIN)) {
			tcp_inc(ctx, TCPD_STAT_drop_tcp_flags);
			rte_pktmbuf_free(m);
			return NULL;
		}
		tcp_listen_syn(ctx, m, p, key, hash, li);
		return NULL;
	}
	/* LISTEN, "fourth, other control or text" (3.10.7.2): without ACK it is discarded. Before
	 * the cookie check, which must never read the ACK field of a segment that has none. */
	if (unlikely(ctl == 0)) {
		tcp_inc(ctx, TCPD_STAT_drop_no_ack);
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (ctl == TCPD_TH_ACK && cookies_recent(ctx))
		return cookie_ack(ctx, m, p, key, hash, li);
	/* LISTEN (RFC 9293 3.10.7.2): RST ignored (SYN+RST too: the RST is checked first), any
	 * ACK answered <SEQ=SEG.ACK><CTL=RST> (SYN+ACK, SYN+FIN+ACK too: then the ACK, as Linux). */
	tcp_inc(ctx, TCPD_STAT_drop_no_conn);
	if (ctl & TCPD_TH_RST)
		rte_pktmbuf_free(m);
	else
		tcp_send_rst_noconn(ctx, m, p);
	return NULL;
}
