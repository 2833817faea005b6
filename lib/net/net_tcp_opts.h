/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_NET_TCP_OPTS_H
#define TCPD_NET_TCP_OPTS_H

/*
 * TCP option parsing, inline fast paths.
 *
 * Almost every segment carries one of two layouts: NOP,NOP,TS on data and ACK segments of a
 * connection with timestamps (Linux, BSD, Windows), and MSS,SACK-permitted,TS,NOP,WS on a Linux
 * SYN. Those two are recognised with a few word compares; everything else goes through the
 * general walk in net_tcp_opts.c.
 */

#include "net_priv.h"

/* The general walk (net_tcp_opts.c); @p o is already cleared. */
int net_tcp_opts_walk(const uint8_t *opt, unsigned int len, struct tcpd_tcp_opts *o);

static inline void
net_tcp_opts_clear(struct tcpd_tcp_opts *o)
{
	/* The SACK array is valid only up to nb_sack: not cleared. */
	o->present = 0;
	o->wscale = 0;
	o->mss = 0;
	o->tsval = 0;
	o->tsecr = 0;
	o->nb_sack = 0;
}

static inline void
net_tcp_opts_ts(const uint8_t *ts, struct tcpd_tcp_opts *o)
{
	o->present |= TCPD_OPT_TS;
	o->tsval = rte_be_to_cpu_32(net_ld32(ts));
	o->tsecr = rte_be_to_cpu_32(net_ld32(ts + 4));
}

static inline int
net_tcp_opts_parse(const uint8_t *opt, unsigned int len, struct tcpd_tcp_opts *o)
{
	net_tcp_opts_clear(o);
	if (len == 0)
		return 0;
	/* NOP, NOP, TS(10). */
	if (likely(len == 12) && net_ld32(opt) == RTE_BE32(0x0101080a)) {
		net_tcp_opts_ts(opt + 4, o);
		return 0;
	}
	/* Linux SYN: MSS(4), SACK-permitted(2), TS(10), NOP, WS(3). */
	if (len == 20 && net_ld16(opt) == RTE_BE16(0x0204) &&
	    net_ld32(opt + 4) == RTE_BE32(0x0402080a) &&
	    (net_ld32(opt + 16) & RTE_BE32(0xffffff00)) == RTE_BE32(0x01030300)) {
		o->present = TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_WSCALE;
		o->mss = rte_be_to_cpu_16(net_ld16(opt + 2));
		o->wscale = opt[19];
		net_tcp_opts_ts(opt + 8, o);
		return 0;
	}
	return net_tcp_opts_walk(opt, len, o);
}

/*
 * The TCP header after the length and checksum checks, for both families: ports, flags,
 * options, then the fields. @p th is at frame + @p l4_off, @p doff bytes of header in
 * @p seg_len bytes of segment.
 */
static inline enum tcpd_net_class
net_parse_tcp_tail(const uint8_t *th, uint32_t doff, uint32_t l4_off, uint32_t seg_len,
		   struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	uint8_t flags;

	pkt->src_port = net_ld16(th);
	pkt->dst_port = net_ld16(th + 2);
	/* Port 0 is reserved (RFC 6335 6); nothing may be sent to it or answered from it. */
	if (unlikely(pkt->src_port == 0 || pkt->dst_port == 0))
		return net_drop(reason, TCPD_STAT_drop_tcp_port);
	/* Any combination of flags is TCP's to judge, by state: SYN+RST and SYN+FIN too (RFC 9293
	 * 3.10.7: in SYN-SENT the ACK is checked first, then the RST; lib/tcp). */
	flags = th[13];
	if (unlikely(net_tcp_opts_parse(th + NET_TCP_LEN, doff - NET_TCP_LEN, &pkt->opts) != 0))
		return net_drop(reason, TCPD_STAT_drop_tcp_opt);

	pkt->l3_off = NET_ETH_LEN;
	pkt->l4_off = (uint16_t)l4_off;
	pkt->payload_off = (uint16_t)(l4_off + doff);
	pkt->payload_len = (uint16_t)(seg_len - doff);
	pkt->seq = rte_be_to_cpu_32(net_ld32(th + 4));
	pkt->ack = rte_be_to_cpu_32(net_ld32(th + 8));
	pkt->win = rte_be_to_cpu_16(net_ld16(th + 14));
	pkt->flags = flags;
	return TCPD_NET_TCP;
}

/* Option bytes for @p present, in the layout written by net_tcp_opts_write. */
static inline unsigned int
net_tcp_opts_len(uint8_t present)
{
	unsigned int n = 0;

	if (present & TCPD_OPT_MSS)
		n += 4;
	if (present & TCPD_OPT_TS)
		n += 12; /* SACK-permitted, when present, takes the place of TS's two NOPs */
	else if (present & TCPD_OPT_SACK_PERM)
		n += 4;
	if (present & TCPD_OPT_WSCALE)
		n += 4;
	return n;
}

/* SACK blocks written (RFC 2018 3): as many as fit in the 40 option bytes after the others. */
static inline unsigned int
net_tcp_opts_nb_sack(const struct tcpd_tcp_opts *o, unsigned int before)
{
	unsigned int n = o->nb_sack, room;

	if (!(o->present & TCPD_OPT_SACK) || n == 0 || before + 4 + 8 > 40)
		return 0;
	room = (40 - before - 4) / 8;
	if (n > room)
		n = room;
	return n > TCPD_MAX_SACK_BLOCKS ? TCPD_MAX_SACK_BLOCKS : n;
}

/* Option bytes net_tcp_opts_write writes for @p o, SACK blocks included. */
static inline unsigned int
net_tcp_opts_len_all(const struct tcpd_tcp_opts *o)
{
	unsigned int n = net_tcp_opts_len(o->present), b = net_tcp_opts_nb_sack(o, n);

	return b ? n + 4 + 8 * b : n;
}

/*
 * Linux's layout (tcp_options_write): every option group is a 32-bit word, so the timestamps
 * land 4-byte aligned where receivers' fast paths look for them (RFC 7323 appendix A), and a
 * peer that recognises "NOP,NOP,TS" by a word compare (Linux, ourselves) takes its fast path.
 *   MSS:            02 04 mm mm
 *   SACK-perm + TS: 04 02 08 0a <tsval> <tsecr>    or, without SACK-perm: 01 01 08 0a ...
 *   SACK-perm only: 01 01 04 02
 *   window scale:   01 03 03 ws
 *   SACK blocks:    01 01 05 len <left> <right> ... (RFC 2018 3, after the others: three
 *                   blocks with timestamps, four without, in the order given)
 */
static inline unsigned int
net_tcp_opts_write(uint8_t *p, const struct tcpd_tcp_opts *o)
{
	uint8_t *start = p;
	unsigned int nb, b;

	if (o->present & TCPD_OPT_MSS) {
		net_st32(p, rte_cpu_to_be_32(0x02040000u | o->mss));
		p += 4;
	}
	if (o->present & TCPD_OPT_TS) {
		net_st32(p, (o->present & TCPD_OPT_SACK_PERM) ? RTE_BE32(0x0402080a)
							      : RTE_BE32(0x0101080a));
		net_st32(p + 4, rte_cpu_to_be_32(o->tsval));
		net_st32(p + 8, rte_cpu_to_be_32(o->tsecr));
		p += 12;
	} else if (o->present & TCPD_OPT_SACK_PERM) {
		net_st32(p, RTE_BE32(0x01010402));
		p += 4;
	}
	if (o->present & TCPD_OPT_WSCALE) {
		net_st32(p, rte_cpu_to_be_32(0x01030300u | o->wscale));
		p += 4;
	}
	nb = net_tcp_opts_nb_sack(o, (unsigned int)(p - start));
	if (nb) {
		net_st32(p, rte_cpu_to_be_32(0x01010500u | (2 + 8 * nb)));
		p += 4;
		for (b = 0; b < nb; b++) {
			net_st32(p, rte_cpu_to_be_32(o->sack[b].left));
			net_st32(p + 4, rte_cpu_to_be_32(o->sack[b].right));
			p += 8;
		}
	}
	return (unsigned int)(p - start);
}

#endif /* TCPD_NET_TCP_OPTS_H */
