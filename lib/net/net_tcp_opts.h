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

#endif /* TCPD_NET_TCP_OPTS_H */
