/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Active open: the connect and abort calls of the load generator, ISNs per RFC 6528, the take-over
 * of our own TIME-WAIT tuples (as Linux's tcp_tw_reuse), and SYN-SENT (RFC 9293 3.10.7.3).
 */
#include <rte_errno.h>

#include "tcp_internal.h"

int
tcpd_tcp_app_add(struct tcpd_tcp_ctx *ctx, const struct tcpd_app_ops *ops, void *priv)
{
	struct tcpd_app *a;

	if (ops == NULL || ops->rx == NULL || ops->fill == NULL)
		return -EINVAL;
	if (ctx->nb_apps >= TCPD_TCP_APPS_MAX)
		return -ENOSPC;
	a = &ctx->apps[ctx->nb_apps];
	a->ops = ops;
	a->priv = priv;
	a->st = ctx->st;
	return (int)ctx->nb_apps++;
}

/* RFC 6528's ISN for @key (tcp_isn): the bytes hashed are the key's, as the table files it. */
static uint32_t
isn(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key)
{
	const struct tcpd_cookie_tuple t = {
		.saddr = key->peer_ip,
		.daddr = key->local_ip,
		.sport = key->peer_port,
		.dport = key->local_port,
	};

	return tcp_isn(ctx, &t);
}

/* Insert a SYN-SENT entry for @key, taking over our own TIME-WAIT entry if allowed (then *@iss,
 * the fresh ISN, is replaced by one past the old connection's). */
static struct tcpd_tcb *
syn_sent_new(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key, unsigned int app,
	     uint32_t *iss)
{
	uint32_t hash = tcpd_conn_hash(ctx->tbl, key);
	struct tcpd_conn_entry *e = tcpd_conn_lookup(ctx->tbl, key, hash);
	struct tcpd_tcb *c;

	if (e != NULL) {
		if (!tcpd_entry_is_tw(e) || !tcp_tw_reusable(ctx, tcpd_tw_of(e))) {
			tcp_inc(ctx, TCPD_STAT_connect_busy);
			rte_errno = EADDRINUSE;
			return NULL;
		}
		/* Linux's choice: well past anything the old connection sent. */
		*iss = tcpd_tw_of(e)->snd_nxt + 65535 + 2;
		tcp_inc(ctx, TCPD_STAT_time_wait_reuse_own);
		tcp_tw_close(ctx, tcpd_tw_of(e));
	}
	c = tcp_conn_new(ctx, key, hash, app);
	if (c == NULL) {
		tcp_inc(ctx, TCPD_STAT_table_full);
		rte_errno = ENOSPC;
	}
	return c;
}

/* SYN-SENT for a new entry @c: what we offer, the SYN, its timer. */
static void
syn_sent_start(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, uint32_t iss,
	       const struct rte_ether_addr *dst_mac)
{
	c->tflags = TCPD_TCB_F_ACTIVE;
	c->peer_mac = *dst_mac;
	/* What we offer; what the SYN-ACK accepts is kept (tcp_syn_sent_input). */
	c->opt_flags = TCPD_TCB_WSCALE | TCPD_TCB_SACK | TCPD_TCB_TS;
	c->rcv_wscale = TCP_OUR_WSCALE;
	/* The path's limit as far as known (our interface's): an ICMP message lowers it before
	 * the SYN-ACK, whose MSS (or the family's default) then only lowers it further. It was
	 * IPv4's 536 for both families, so a too-big of 1280 looked like a raise over IPv6. */
	c->snd_mss = tcp_conn_is6(c) ? ctx->our_mss6 : ctx->our_mss;
	c->iss = iss;
	/* TS.Recent means nothing before the peer's SYN: until then it holds our first SYN's
	 * TSval, the oldest a SYN-ACK's TSecr may echo (syn_ack_options). */
	c->ts_recent = (uint32_t)ctx->now_ms;
	c->snd_una = c->recover = iss;
	c->snd_nxt = c->snd_max = c->app_end = iss + 1;
	tcp_set_state(ctx, c, TCPD_SYN_SENT);
	tcp_send_syn(ctx, c, NULL);
	tcp_inc(ctx, TCPD_STAT_syn_sent);
	tcp_timer_state(ctx, c, tcp_rto_ms(c));
}

struct tcpd_tcb *
tcpd_tcp_connect(struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key, unsigned int app,
		 const struct rte_ether_addr *dst_mac)
{
	struct tcpd_tcb *c;
	uint32_t iss;

	/* An IPv4 key: one in 0.0.0.0/8 would be taken for an IPv6 one (tcpd_tcp_connect6). */
	if (app >= ctx->nb_apps || ctx->apps[app].ops == NULL || key->pad != 0 ||
	    tcp_key_is6(key->local_ip)) {
		rte_errno = EINVAL;
		return NULL;
	}
	iss = isn(ctx, key);
	c = syn_sent_new(ctx, key, app, &iss);
	if (c == NULL)
		return NULL;
	syn_sent_start(ctx, c, iss, dst_mac);
	return c;
}

struct tcpd_tcb *
tcpd_tcp_connect6(struct tcpd_tcp_ctx *ctx, const uint8_t peer[16], unsigned int local_idx,
		  rte_be16_t peer_port, rte_be16_t local_port, unsigned int app,
		  const struct rte_ether_addr *dst_mac)
{
	struct tcpd_conn_key key = {
		.local_ip = rte_cpu_to_be_32(local_idx + 1),
		.peer_port = peer_port,
		.local_port = local_port,
	};
	struct tcpd_cookie_tuple6 t = {.sport = peer_port, .dport = local_port};
	struct tcpd_tcb *c;
	uint32_t iss;

	if (app >= ctx->nb_apps || ctx->apps[app].ops == NULL || ctx->ip6 == NULL ||
	    !tcpd_net_ip6_idx_valid(ctx->ifc, local_idx)) {
		rte_errno = EINVAL;
		return NULL;
	}
	memcpy(t.saddr, peer, 16);
	tcpd_net_ip6_local_addr(ctx->ifc, local_idx, t.daddr);
	iss = tcp_isn6(ctx, &t);
	/* The peer's id with a reference of this connection's (interned if new): the key is
	 * the one its segments will be looked up by (tcp_ip6_key). */
	key.peer_ip = tcp_ip6_get(ctx, peer);
	if (key.peer_ip == 0) {
		rte_errno = ENOSPC;
		return NULL;
	}
	c = syn_sent_new(ctx, &key, app, &iss);
	if (c == NULL) {
		tcp_ip6_put(ctx, key.peer_ip);
		return NULL;
	}
	tcp_inc(ctx, TCPD_STAT_conn_live6);
	syn_sent_start(ctx, c, iss, dst_mac);
	return c;
}

void
tcpd_tcp_abort(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c)
{
	/* RFC 9293 3.10.4: nothing to reset in SYN-SENT (the peer knows nothing of us yet). */
	if (c->state != TCPD_SYN_SENT)
		tcp_send_ctl(ctx, c, NULL, c->snd_nxt, TCPD_TH_RST | TCPD_TH_ACK);
	tcp_inc(ctx, TCPD_STAT_conn_aborted);
	tcp_conn_close(ctx, c, TCPD_CLOSE_ABORT);
}

void
tcpd_tcp_foreach(struct tcpd_tcp_ctx *ctx, void (*fn)(struct tcpd_tcb *c, void *arg), void *arg)
{
	uint32_t i, cap = tcpd_conn_capacity(ctx->tbl);

	for (i = 0; i < cap; i++) {
		struct tcpd_conn_entry *e = tcpd_conn_at(ctx->tbl, i);

		if (tcpd_conn_entry_live(e))
			fn(tcpd_tcb_of(e), arg);
	}
}

uint64_t
tcpd_tcp_now_tsc(const struct tcpd_tcp_ctx *ctx)
{
	return ctx->now_tsc;
}

/* The options the SYN-ACK accepted of those we offered (RFC 7323 1.3, 2.2; RFC 2018). */
static void
syn_ack_options(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, const struct tcpd_pkt *p)
{
	const struct tcpd_tcp_opts *o = &p->opts;
	int v6 = unlikely(tcp_conn_is6(c));
	uint16_t mss = (o->present & TCPD_OPT_MSS) ? o->mss
		       : v6			   ? TCP_DEFAULT_MSS6
						   : TCP_DEFAULT_MSS; /* RFC 9293 3.7.1 */

	/* snd_mss: our interface's, or the path MTU learned in SYN-SENT (syn_sent_start) */
	c->snd_mss = RTE_MIN(RTE_MAX(mss, (uint16_t)TCP_MIN_MSS), c->snd_mss);
	if (o->present & TCPD_OPT_WSCALE) {
		c->snd_wscale = RTE_MIN(o->wscale, 14) & 0xF;
	} else {
		c->opt_flags &= ~TCPD_TCB_WSCALE;
		c->rcv_wscale = 0;
	}
	if (!(o->present & TCPD_OPT_SACK_PERM))
		c->opt_flags &= ~TCPD_TCB_SACK;
	if (o->present & TCPD_OPT_TS) {
		/* A sample only from a TSecr that can echo one of our SYNs: not ahead of our clock
		 * (as in ack_advance), not older than the first SYN (kept in ts_recent until now).
		 * Any other (a peer's bug, a middlebox, a forgery) gave up to an 8 s sample and an
		 * RTO of about 24 s. Linux resets such a SYN-ACK (PAWSActiveRejected); RFC 7323
		 * does not ask for that, and the handshake is otherwise fine: no sample. */
		uint32_t now = (uint32_t)ctx->now_ms;

		if (o->tsecr != 0 && seq_ge(o->tsecr, c->ts_recent) && seq_le(o->tsecr, now))
			tcp_rtt_sample(c, now - o->tsecr);
		c->ts_recent = o->tsval;
	} else {
		c->opt_flags &= ~TCPD_TCB_TS;
	}
}

/* A SYN in SYN-SENT: RCV.NXT and the options from it, then ESTABLISHED if it acknowledged our
 * SYN, else simultaneous open to SYN-RECEIVED with a SYN-ACK. Data and FIN on a SYN are not
 * taken (the peer sends them again: our ACK does not cover them). */
static void
syn_sent_syn(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
	     const struct tcpd_pkt *p)
{
	/* ts_recent still holds our first SYN's TSval (syn_sent_start) */
	int first_echoed = (p->flags & TCPD_TH_ACK) && (p->opts.present & TCPD_OPT_TS) &&
			   p->opts.tsecr == c->ts_recent;

	c->rcv_nxt = p->seq + 1;
	c->snd_wl1 = p->seq;
	tcp_snd_wnd_set(c, p->win); /* never scaled in a SYN */
	syn_ack_options(ctx, c, p);
	/* our SYN's window, from RCV.NXT now known and in the unit now agreed */
	(void)tcp_rcv_wnd_syn(ctx, c);
	tcp_rto_handshake_done(ctx, c, first_echoed);
	c->retries = 0;
	if (p->flags & TCPD_TH_ACK) {
		c->snd_una = p->ack;
		c->snd_wl1 = p->seq;
		tcp_set_state(ctx, c, TCPD_ESTABLISHED);
		/* The application may have queued its request: it leaves with the ACK. */
		tcp_output(ctx, c, m, TCP_OUT_ACK);
		tcp_timer_update(ctx, c, 1);
		return;
	}
	tcp_set_state(ctx, c, TCPD_SYN_RECEIVED);
	tcp_send_syn(ctx, c, m);
	tcp_timer_state(ctx, c, tcp_rto_ms(c));
}

void
tcp_syn_sent_input(struct tcpd_tcp_ctx *ctx, struct tcpd_tcb *c, struct rte_mbuf *m,
		   const struct tcpd_pkt *p)
{
	uint8_t fl = p->flags;

	/* First: the ACK must cover our SYN and nothing more (SND.UNA < SEG.ACK =< SND.NXT). */
	if ((fl & TCPD_TH_ACK) && !(seq_gt(p->ack, c->iss) && seq_le(p->ack, c->snd_nxt))) {
		tcp_inc(ctx, TCPD_STAT_drop_syn_sent);
		tcp_send_rst_noconn(ctx, m, p); /* <SEQ=SEG.ACK><CTL=RST>; never to a RST */
		return;
	}
	/* Second: a RST counts only with an acceptable ACK (RFC 5961 3.2 for SYN-SENT). */
	if (fl & TCPD_TH_RST) {
		if (fl & TCPD_TH_ACK) {
			tcp_inc(ctx, TCPD_STAT_connect_refused);
			tcp_conn_close(ctx, c, TCPD_CLOSE_REFUSED);
		} else {
			tcp_inc(ctx, TCPD_STAT_drop_syn_sent);
		}
		rte_pktmbuf_free(m);
		return;
	}
	/* Fourth: SYN. Fifth: neither SYN nor RST is dropped. */
	if (fl & TCPD_TH_SYN) {
		syn_sent_syn(ctx, c, m, p);
		return;
	}
	tcp_inc(ctx, TCPD_STAT_drop_syn_sent);
	rte_pktmbuf_free(m);
}
