/* SPDX-License-Identifier: BSD-3-Clause */
/* TCP option parsing: the general walk over the option list. */

#include "net_tcp_opts.h"

/*
 * RFC 9293 3.1: every option other than EOL and NOP carries a length byte that counts the kind
 * and length bytes. A receiver must accept options it does not know and skip them by that length
 * (RFC 9293 3.1, MUST-68); a length that cannot be right (below 2, past the header, or not the
 * fixed length of a known option) is an illegal option length, which MUST-7 leaves to the
 * implementation (it suggests a reset): the segment is dropped and counted (drop_tcp_opt).
 * Linux and FreeBSD instead stop reading options at such a length, or skip the one option, and
 * keep the segment. Options after EOL are ignored. A repeated option overwrites the earlier one.
 */
int
net_tcp_opts_walk(const uint8_t *opt, unsigned int len, struct tcpd_tcp_opts *o)
{
	unsigned int i = 0;

	while (i < len) {
		unsigned int kind = opt[i], olen, n, b;

		if (kind == NET_TCPOPT_EOL)
			break;
		if (kind == NET_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (unlikely(len - i < 2))
			return -1;
		olen = opt[i + 1];
		if (unlikely(olen < 2 || olen > len - i))
			return -1;
		switch (kind) {
		case NET_TCPOPT_MSS:
			if (unlikely(olen != NET_TCPOLEN_MSS))
				return -1;
			o->present |= TCPD_OPT_MSS;
			o->mss = rte_be_to_cpu_16(net_ld16(opt + i + 2));
			break;
		case NET_TCPOPT_WSCALE:
			if (unlikely(olen != NET_TCPOLEN_WSCALE))
				return -1;
			o->present |= TCPD_OPT_WSCALE;
			o->wscale = opt[i + 2];
			break;
		case NET_TCPOPT_SACK_PERM:
			if (unlikely(olen != NET_TCPOLEN_SACK_PERM))
				return -1;
			o->present |= TCPD_OPT_SACK_PERM;
			break;
		case NET_TCPOPT_SACK:
			/* RFC 2018 3: 2 + 8 * n bytes, n >= 1. Forty option bytes hold at most
			 * four blocks; a longer list (only possible through the public call
			 * with len > 40) keeps its first four. */
			if (unlikely(olen < 10 || (olen - 2) % 8 != 0))
				return -1;
			n = (olen - 2) / 8;
			if (n > TCPD_MAX_SACK_BLOCKS)
				n = TCPD_MAX_SACK_BLOCKS;
			for (b = 0; b < n; b++) {
				const uint8_t *s = opt + i + 2 + 8 * b;

				o->sack[b].left = rte_be_to_cpu_32(net_ld32(s));
				o->sack[b].right = rte_be_to_cpu_32(net_ld32(s + 4));
			}
			o->nb_sack = (uint8_t)n;
			o->present |= TCPD_OPT_SACK;
			break;
		case NET_TCPOPT_TS:
			if (unlikely(olen != NET_TCPOLEN_TS))
				return -1;
			net_tcp_opts_ts(opt + i + 2, o);
			break;
		default:
			break;
		}
		i += olen;
	}
	return 0;
}

int
tcpd_net_parse_tcp_opts(const uint8_t *opt, unsigned int len, struct tcpd_tcp_opts *o)
{
	return net_tcp_opts_parse(opt, len, o);
}
