/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 (RFC 8200): the fixed header, the extension header chain, TCP over IPv6; building IPv6
 * TCP segments; address helpers. ICMPv6 and ND are in net_icmp6.c and net_nd.c.
 *
 * Nothing is read before the length check that covers it: the walk is bounded by the payload
 * length, itself checked against the frame, so a chain longer than the frame, a header length
 * past the payload or an option past its header is a counted drop, never a read past the end.
 */

#include <rte_mbuf.h>

#include "net_tcp_opts.h"
#include "tcpd_net_tmpl.h"

/* ---------------------------------------------------------------------------------------- */
/* Addresses.                                                                                 */

int
tcpd_net_ip6_ours(const struct tcpd_iface *ifc, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < ifc->nb_ip6 && i < TCPD_NET_MAX_IP6; i++)
		if (memcmp(ifc->ip6[i].addr, addr, 16) == 0)
			return (int)i;
	/* The range shares its first 96 bits: one compare, one subtraction, one bound. */
	if (ifc->ip6_range_n != 0 && memcmp(ifc->ip6_range, addr, 12) == 0) {
		uint32_t off = rte_be_to_cpu_32(net_ld32(addr + 12)) - ifc->ip6_range_lo;

		if (off < ifc->ip6_range_n)
			return (int)(TCPD_NET_MAX_IP6 + off);
	}
	return -1;
}

void
tcpd_net_ip6_solicited_node(const uint8_t addr[16], uint8_t out[16])
{
	static const uint8_t pfx[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};

	memcpy(out, pfx, sizeof(pfx));
	memcpy(out + 13, addr + 13, 3);
}

void
tcpd_net_ip6_mcast_mac(const uint8_t group[16], struct rte_ether_addr *mac)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], group + 12, 4);
}

bool
tcpd_net_ip6_same_prefix(const uint8_t a[16], const uint8_t b[16], unsigned int prefix_len)
{
	unsigned int full = prefix_len / 8, rest = prefix_len % 8;

	if (prefix_len > 128)
		return false;
	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (uint8_t)(0xff00 >> rest)) == 0;
}

/* ff02::1, all-nodes (RFC 4291 2.7.1). */
static const uint8_t all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

/*
 * A multicast destination we listen to: all-nodes, or the solicited-node group of one of our
 * addresses (its low 24 bits). Returns the index of that address (0 for all-nodes), -1 if not
 * ours. Only ND may use it (checked by the callers of the class).
 */
static int
mcast_ours(const struct tcpd_iface *ifc, const uint8_t *dst)
{
	uint8_t sn[16];
	unsigned int i;

	if (memcmp(dst, all_nodes, 16) == 0)
		return 0;
	for (i = 0; i < ifc->nb_ip6 && i < TCPD_NET_MAX_IP6; i++) {
		tcpd_net_ip6_solicited_node(ifc->ip6[i].addr, sn);
		if (memcmp(dst, sn, 16) == 0)
			return (int)i;
	}
	/* A range address's group: its low 24 bits; the range (at most 2^16 addresses) covers
	 * each group value at most once, so the offset modulo 2^24 is exact. */
	if (ifc->ip6_range_n != 0) {
		tcpd_net_ip6_solicited_node(ifc->ip6_range, sn);
		if (memcmp(dst, sn, 13) == 0) {
			uint32_t off = (rte_be_to_cpu_32(net_ld32(dst + 12)) - ifc->ip6_range_lo) &
				       0xffffff;

			if (off < ifc->ip6_range_n)
				return (int)(TCPD_NET_MAX_IP6 + off);
		}
	}
	return -1;
}

/* ---------------------------------------------------------------------------------------- */
/* Parsing.                                                                                   */

/*
 * Options of a hop-by-hop or destination options header (RFC 8200 4.2), @p n bytes after its
 * two first bytes. We act on no option: the two high-order bits of the type of one we do not
 * recognise say skip (00) or discard (01, 10, 11; the ICMP Parameter Problem that 10 and 11
 * ask for is not sent). Linux's limits (ip6_parse_tlv) bound the work and refuse covert
 * padding: at most 7 consecutive padding bytes, PadN contents zero (RFC 4942 2.1.9.5), at most
 * 8 other options. An option running past the header is malformed.
 * @return 0, or -1 to drop
 */
static int
ip6_opts_check(const uint8_t *o, uint32_t n)
{
	unsigned int pad = 0, cnt = 0;
	uint32_t i = 0, ol, k;

	while (i < n) {
		uint8_t t = o[i];

		if (t == 0) { /* Pad1 */
			if (++pad > 7)
				return -1;
			i++;
			continue;
		}
		if (n - i < 2)
			return -1;
		ol = (uint32_t)o[i + 1] + 2;
		if (ol > n - i)
			return -1;
		if (t == 1) { /* PadN */
			pad += ol;
			if (pad > 7)
				return -1;
			for (k = 2; k < ol; k++)
				if (o[i + k] != 0)
					return -1;
		} else {
			pad = 0;
			if (++cnt > 8 || (t & 0xc0) != 0)
				return -1;
		}
		i += ol;
	}
	return 0;
}

/*
 * The extension header chain (RFC 8200 4.1) from @p *off (next header @p *nh) to @p end: hop-by-hop
 * only first; routing headers are ignored once no segment is left (4.4), we are never an
 * intermediate hop. @return 0 with *off, *nh and *n_ext past the chain, or -1 (reason set).
 */
static int
ip6_ext_walk(const uint8_t *ip, uint32_t end, uint32_t *off, uint8_t *nh, unsigned int *n_ext,
	     enum tcpd_stat *reason)
{
	while (*nh == NET_NH_HOPOPTS || *nh == NET_NH_ROUTING || *nh == NET_NH_DSTOPTS) {
		const uint8_t *h = ip + *off;
		uint32_t hl;

		if (unlikely((*nh == NET_NH_HOPOPTS && *n_ext != 0) ||
			     ++*n_ext > TCPD_NET_IP6_MAX_EXT))
			return net_drop(reason, TCPD_STAT_drop_ip6_ext_chain), -1;
		if (unlikely(end - *off < 8))
			return net_drop(reason, TCPD_STAT_drop_ip6_ext_len), -1;
		hl = ((uint32_t)h[1] + 1) * 8;
		if (unlikely(hl > end - *off))
			return net_drop(reason, TCPD_STAT_drop_ip6_ext_len), -1;
		if (*nh == NET_NH_ROUTING) {
			if (unlikely(h[3] != 0))
				return net_drop(reason, TCPD_STAT_drop_ip6_routing), -1;
		} else if (unlikely(ip6_opts_check(h + 2, hl - 2) != 0)) {
			return net_drop(reason, TCPD_STAT_drop_ip6_opt), -1;
		}
		*nh = h[0];
		*off += hl;
	}
	return 0;
}

/* The TCP header at @p off of the IPv6 packet @p ip, @p l4_len bytes with its payload. */
static enum tcpd_net_class
ip6_tcp(const uint8_t *ip, uint32_t off, uint32_t l4_len, unsigned int hw_ok, struct tcpd_pkt *pkt,
	enum tcpd_stat *reason)
{
	const uint8_t *th = ip + off;
	uint32_t doff;

	if (unlikely(l4_len < NET_TCP_LEN))
		return net_drop(reason, TCPD_STAT_drop_ip6_len);
	doff = (uint32_t)(th[12] >> 4) * 4;
	if (unlikely(doff < NET_TCP_LEN || doff > l4_len))
		return net_drop(reason, TCPD_STAT_drop_tcp_hdr_len);
	/* The pseudo-header (RFC 8200 8.1) has the upper-layer length, not the payload length:
	 * rte_ipv6_udptcp_cksum_verify would be wrong after extension headers. */
	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) &&
	    unlikely(net_ip6_l4_cksum_bad(ip, th, l4_len, NET_NH_TCP)))
		return net_drop(reason, TCPD_STAT_drop_tcp_cksum);
	return net_parse_tcp_tail(th, doff, NET_ETH_LEN + off, l4_len, pkt, reason);
}

/* The index of our address or group @p dst is for, or -1: unicast to one of our addresses on our
 * MAC; multicast to a group we are in, on the MAC that group maps to (RFC 2464 7), for ND only
 * (checked once the type is known). */
static inline int
ip6_dst_ours(const uint8_t *frame, const uint8_t *dst, const struct tcpd_iface *ifc, bool mac_ours,
	     bool mcast)
{
	int idx;

	if (likely(!mcast)) {
		idx = tcpd_net_ip6_ours(ifc, dst);
		return idx >= 0 && mac_ours ? idx : -1;
	}
	idx = mcast_ours(ifc, dst);
	if (idx < 0 || memcmp(frame, "\x33\x33", 2) != 0 || memcmp(frame + 2, dst + 12, 4) != 0)
		return -1;
	return idx;
}

enum tcpd_net_class
net_parse_ipv6(const uint8_t *frame, uint32_t len, const struct tcpd_iface *ifc, unsigned int hw_ok,
	       bool mac_ours, struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *ip = frame + NET_ETH_LEN;
	const uint8_t *src = ip + 8, *dst = ip + 24;
	uint32_t vtc, plen, end, off, l4_len;
	unsigned int n_ext = 0;
	bool mcast;
	uint8_t nh;
	int idx;

	if (unlikely(len < NET_ETH_LEN + NET_IP6_LEN))
		return net_drop(reason, TCPD_STAT_drop_ip6_truncated);
	vtc = rte_be_to_cpu_32(net_ld32(ip));
	if (unlikely((vtc >> 28) != 6))
		return net_drop(reason, TCPD_STAT_drop_ip_version);
	/* Bytes past the payload are Ethernet padding and ignored (Linux trims them). Payload
	 * length 0 is a jumbogram (RFC 2675, not served) or an empty packet: nothing for us. */
	plen = rte_be_to_cpu_16(net_ld16(ip + 4));
	if (unlikely(plen == 0 || plen > len - NET_ETH_LEN - NET_IP6_LEN))
		return net_drop(reason, TCPD_STAT_drop_ip6_len);
	if (unlikely(NET_IP6_LEN + plen > ifc->mtu))
		return net_drop(reason, TCPD_STAT_drop_ip6_oversize);

	mcast = net_ip6_is_mcast(dst);
	idx = ip6_dst_ours(frame, dst, ifc, mac_ours, mcast);
	if (unlikely(idx < 0))
		return net_drop(reason, TCPD_STAT_drop_ip6_not_for_us);
	/* RFC 4291 2.7 (no multicast source), 2.5.3 (loopback never leaves a node), RFC 4942
	 * 2.2 (IPv4-mapped on the wire); our own address can only be spoofed or looped back.
	 * The unspecified source is left to the protocols: only a DAD probe may use it. */
	if (unlikely(net_ip6_src_invalid(src) || tcpd_net_ip6_ours(ifc, src) >= 0))
		return net_drop(reason, TCPD_STAT_drop_ip6_src);

	end = NET_IP6_LEN + plen;
	off = NET_IP6_LEN;
	nh = ip[6];
	if (unlikely(ip6_ext_walk(ip, end, &off, &nh, &n_ext, reason) != 0))
		return TCPD_NET_DROP;

	pkt->family = TCPD_NET_AF_INET6;
	pkt->src_ip = 0;
	pkt->dst_ip = 0;
	pkt->ip_tos = (uint8_t)(vtc >> 20);
	pkt->flow_label = vtc & 0xfffff;
	pkt->hop_limit = ip[7];
	pkt->ip6_idx = (uint8_t)RTE_MIN(idx, TCPD_NET_MAX_IP6); /* the range: from dst_ip6 */
	pkt->ip6_ext = (uint8_t)n_ext;
	memcpy(pkt->src_ip6, src, 16);
	memcpy(pkt->dst_ip6, dst, 16);
	pkt->l3_off = NET_ETH_LEN;
	pkt->l4_off = (uint16_t)(NET_ETH_LEN + off);
	l4_len = end - off;

	if (unlikely(nh != NET_NH_TCP)) {
		switch (nh) {
		case NET_NH_ICMPV6:
			return net_parse_icmp6(frame, l4_len, ifc, hw_ok, pkt, reason);
		case NET_NH_FRAGMENT:
			/* As for IPv4: no reassembly; peers do path MTU discovery (RFC 8201). */
			return net_drop(reason, TCPD_STAT_drop_ip6_frag);
		default: /* ESP, AH, no next header (59), UDP, anything else */
			return net_drop(reason, TCPD_STAT_drop_ip6_proto);
		}
	}

	/* TCP is unicast, from a unicast source. */
	if (unlikely(mcast))
		return net_drop(reason, TCPD_STAT_drop_ip6_not_for_us);
	if (unlikely(net_ip6_is_unspec(src)))
		return net_drop(reason, TCPD_STAT_drop_ip6_src);
	return ip6_tcp(ip, off, l4_len, hw_ok, pkt, reason);
}

/* ---------------------------------------------------------------------------------------- */
/* Building.                                                                                  */

#define NET_TCP6_OFF (NET_ETH_LEN + NET_IP6_LEN)  /* 54 */
#define NET_OPT6_OFF (NET_TCP6_OFF + NET_TCP_LEN) /* 74 */

uint16_t
tcpd_net_tcp6_hdr_len(const struct tcpd_tcp_opts *o)
{
	return (uint16_t)(NET_OPT6_OFF + net_tcp_opts_len_all(o));
}

uint32_t
tcpd_net_build_tcp6(void *frame, const struct tcpd_net_flow6 *f, const struct tcpd_net_seg *s,
		    const void *payload, uint16_t plen, const struct tcpd_iface *ifc,
		    uint16_t *hdr_len)
{
	uint8_t *p = frame;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(p + NET_ETH_LEN);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(p + NET_TCP6_OFF);
	unsigned int olen = net_tcp_opts_write(p + NET_OPT6_OFF, &s->opts);
	uint16_t hl = (uint16_t)(NET_OPT6_OFF + olen);

	net_eth_write(frame, &f->dst_mac, &f->src_mac, RTE_BE16(RTE_ETHER_TYPE_IPV6));

	ip->vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)s->ip_tos << 20 |
					(f->flow_label & RTE_IPV6_HDR_FL_MASK));
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(NET_TCP_LEN + olen + plen));
	ip->proto = IPPROTO_TCP;
	ip->hop_limits = NET_HOP_LIMIT;
	memcpy(ip->src_addr, f->src_ip, 16);
	memcpy(ip->dst_addr, f->dst_ip, 16);

	net_tcp_write(p, th, f->src_port, f->dst_port, s, olen, hl, payload, plen);

	/* No extension header here, so DPDK's helpers (payload length = TCP length) are right. */
	if (ifc->tx_tcp_cksum)
		th->cksum = rte_ipv6_phdr_cksum(ip, 0);
	else
		th->cksum = rte_ipv6_udptcp_cksum(ip, th);

	if (hdr_len != NULL)
		*hdr_len = hl;
	return (uint32_t)hl + plen;
}

void
tcpd_net_reply_flow6(const void *frame, const struct tcpd_pkt *pkt, struct tcpd_net_flow6 *f)
{
	const struct rte_ether_hdr *eh = frame;

	memcpy(&f->src_mac, &eh->dst_addr, sizeof(f->src_mac));
	memcpy(&f->dst_mac, &eh->src_addr, sizeof(f->dst_mac));
	memcpy(f->src_ip, pkt->dst_ip6, 16);
	memcpy(f->dst_ip, pkt->src_ip6, 16);
	f->src_port = pkt->dst_port;
	f->dst_port = pkt->src_port;
	/* Reflected, as Linux's flowlabel_reflect does for RSTs and stateless replies: the
	 * reply stays on the ECMP path of the flow. A connection may choose its own. */
	f->flow_label = pkt->flow_label;
}

void
tcpd_net_tmpl6_init(struct tcpd_net_tmpl6 *t, const struct tcpd_iface *ifc)
{
	uint8_t b[8];

	memcpy(b, &ifc->mac, RTE_ETHER_ADDR_LEN);
	net_st16(b + 6, RTE_BE16(RTE_ETHER_TYPE_IPV6));
	memcpy(&t->eth_src_type, b, 8);
	t->sw_cksum = !ifc->tx_tcp_cksum;
}

void
tcpd_net_tmpl6_cksum(void *frame)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)((uint8_t *)frame + NET_ETH_LEN);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)((uint8_t *)frame + NET_TCP6_OFF);

	uint16_t sum;

	/* The field holds the pseudo-header sum (tcpd_net_tmpl6_build): the segment's raw sum
	 * with it is the whole sum, one pass and no second pseudo-header sum. The same value as
	 * rte_ipv6_udptcp_cksum (both folds land in 1..0xffff, one representative each). */
	sum = (uint16_t)~net_sum_fold(net_raw_sum(th, rte_be_to_cpu_16(ip->payload_len), 0));
	th->cksum = sum;
}
