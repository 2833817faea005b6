/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path MTU discovery's answer (RFC 1191, RFC 8201, RFC 9293 3.7.2): a router that had to drop one of our
 * segments for its size says so with ICMP fragmentation needed and its next-hop MTU. Without
 * this a peer behind a smaller MTU (a tunnel) gets nothing but RTOs until the connection gives
 * up. The message is accepted only for a sequence number we have sent and not seen
 * acknowledged (RFC 5927 4.1), which a blind attacker must guess within the flight; the
 * segment size never drops below RFC 9293's default of 536 (MTU 576; IPv6: 1220, MTU 1280),
 * so a forged message costs at most that efficiency. Soft and hard errors change nothing (lib/net drops them:
 * RFC 5927 5.2). Only the connection this worker holds is found: with RSS on several queues an
 * error about another worker's connection was handed to that worker first (lib/worker/icmpq.c,
 * by the quoted tuple's queue); without an RSS model one hashed to another queue ends in
 * drop_icmp_conn.
 */
#include "tcp_internal.h"

#define TCP_ICMP_MIN_MTU  (TCP_DEFAULT_MSS + 40) /* RFC 9293 3.7.1: 576 */
#define TCP_ICMP_MIN_MTU6 1280			 /* RFC 8200 5, RFC 8201 4 */

/*
 * The connection an ICMP error names, if its quoted sequence number is in SND.UNA..SND.NXT-1
 * (RFC 5927 4.1: in SYN-SENT and SYN-RECEIVED exactly the ISS); NULL (counted) otherwise.
 */
static struct tcpd_tcb *
icmp_conn(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, uint64_t now_tsc)
{
	struct tcpd_conn_key key = {
		.peer_ip = p->src_ip,
		.local_ip = p->dst_ip,
		.peer_port = p->src_port,
		.local_port = p->dst_port,
	};
	struct tcpd_conn_entry *e;
	struct tcpd_tcb *c;

	tcp_clock_set(ctx, now_tsc);
	if (p->family == TCPD_NET_AF_INET6)
		tcp_ip6_key(ctx, p, &key); /* an unknown peer gets id 0: no connection */
	e = tcpd_conn_lookup(ctx->tbl, &key, tcpd_conn_hash_seeded(ctx->hash_seed, &key));
	if (e == NULL || tcpd_entry_is_tw(e)) {
		tcp_inc(ctx, TCPD_STAT_drop_icmp_conn);
		return NULL;
	}
	c = tcpd_tcb_of(e);
	if (seq_lt(p->seq, c->snd_una) || !seq_lt(p->seq, c->snd_max)) {
		tcp_inc(ctx, TCPD_STAT_drop_icmp_conn);
		return NULL;
	}
	return c;
}

void
tcpd_tcp_icmp_mtu(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, uint64_t now_tsc)
{
	struct tcpd_tcb *c = icmp_conn(ctx, p, now_tsc);
	uint32_t mtu = RTE_MAX((uint32_t)p->win, (uint32_t)TCP_ICMP_MIN_MTU), hdrs = 40;

	if (c == NULL)
		return;
	if (p->family == TCPD_NET_AF_INET6) {
		mtu = RTE_MAX((uint32_t)p->win, (uint32_t)TCP_ICMP_MIN_MTU6);
		hdrs = 60;
	}
	if (mtu - hdrs >= c->snd_mss) {
		tcp_inc(ctx, TCPD_STAT_drop_icmp_mtu_large);
		return;
	}
	tcp_inc(ctx, TCPD_STAT_icmp_mtu_lowered);
	c->snd_mss = (uint16_t)(mtu - hdrs);
	if (c->state == TCPD_SYN_SENT || c->state == TCPD_SYN_RECEIVED)
		return; /* a SYN fits any MTU; the data to come uses the new size */
	/* The segments in flight were too big: all of them are sent again, at once, without
	 * touching the congestion window (a lost packet, not congestion: Linux's
	 * tcp_simple_retransmit). Karn: no RTT sample from what went out before. */
	c->opt_flags &= ~TCPD_TCB_RTT;
	c->snd_nxt = c->snd_una;
	if (c->ext != 0)
		tcp_sack_rto(ctx, c);
	tcp_output(ctx, c, NULL, 0);
	tcp_timer_update(ctx, c, 1);
}

/*
 * RFC 9293 3.9.2.2 (SHLD-26): a hard error SHOULD abort the connection; RFC 5927 5.2 keeps that
 * for the states before synchronization only (once synchronized an attacker who guessed a
 * sequence number could end it, and a real hard error then is rare), as Linux and FreeBSD do.
 * Our SYN-ACK refused: the half-open entry goes at once, not after the SYN-ACK's
 * retransmissions (a SYN from a spoofed address whose owner answers). Our SYN refused (client
 * mode): failed like a RST to it (failed_syn_rst), not after the SYN's retransmissions.
 */
void
tcpd_tcp_icmp_hard(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, uint64_t now_tsc)
{
	struct tcpd_tcb *c = icmp_conn(ctx, p, now_tsc);

	if (c == NULL)
		return;
	if (c->state != TCPD_SYN_SENT && c->state != TCPD_SYN_RECEIVED) {
		tcp_inc(ctx, TCPD_STAT_drop_icmp_hard);
		return;
	}
	tcp_inc(ctx, TCPD_STAT_icmp_hard_abort);
	tcp_conn_close(ctx, c,
		       c->state == TCPD_SYN_RECEIVED && !(c->tflags & TCPD_TCB_F_ACTIVE)
			       ? TCPD_CLOSE_HANDSHAKE
			       : TCPD_CLOSE_REFUSED);
}
