/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame classification: Ethernet, IPv4 and TCP (ARP and ICMP are handed to net_arp.c and
 * net_icmp.c, IPv6 to net_ipv6.c). Runs once per received packet, so the TCP path is straight-line code with every
 * rejection behind an unlikely branch, and nothing is read before the length check that covers it.
 *
 * Checks go structure first, then the checksum, then the semantic checks: a frame whose bits were
 * damaged in flight is counted as a checksum failure rather than as whatever the damage made it
 * look like (another destination, illegal flags, a bad option).
 */

#include "net_tcp_opts.h"
#include "tcpd_net_tmpl.h"

/*
 * RFC 1122 3.2.1.3: a host MUST silently discard a datagram whose source address is invalid:
 * 0.0.0.0, the limited broadcast or a multicast group (224/4). Our own address as a source can
 * only be spoofed or looped back. A reply to any of them would go to many hosts or to ourselves.
 */
static inline bool
ip_src_bad(uint32_t src, uint32_t ours)
{
	uint32_t h = rte_be_to_cpu_32(src);

	return (uint32_t)(h + 1) <= 1 || (h >> 28) == 0xe || src == ours;
}

static inline enum tcpd_net_class
parse_tcp(const uint8_t *frame, uint32_t ihl, uint32_t tot_len, unsigned int hw_ok,
	  struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *ip = frame + NET_ETH_LEN;
	const uint8_t *th = ip + ihl;
	uint32_t seg_len = tot_len - ihl, doff;

	if (unlikely(seg_len < NET_TCP_LEN))
		return net_drop(reason, TCPD_STAT_drop_ip_len);
	doff = (uint32_t)(th[12] >> 4) * 4;
	if (unlikely(doff < NET_TCP_LEN || doff > seg_len))
		return net_drop(reason, TCPD_STAT_drop_tcp_hdr_len);
	/* rte_ipv4_udptcp_cksum_verify's test (the sum with the pseudo-header is 0xffff) over
	 * net_raw_sum: the segment's length is known here. */
	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) &&
	    unlikely(net_sum_fold(
			     net_raw_sum(th, seg_len,
					 tcpd_net_ip4_phdr_sum(net_ld32(ip + 12), net_ld32(ip + 16),
							       (uint16_t)seg_len))) != 0xffff))
		return net_drop(reason, TCPD_STAT_drop_tcp_cksum);

	return net_parse_tcp_tail(th, doff, NET_ETH_LEN + ihl, seg_len, pkt, reason);
}

/* Every ethertype but IPv4: IPv6 (with an address), ARP, the rest counted drops. */
static enum tcpd_net_class
parse_other(const uint8_t *p, uint32_t len, uint16_t et, const struct tcpd_iface *ifc,
	    unsigned int hw_ok, bool mac_ours, struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	switch (et) {
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		/* Without an IPv6 address, as before IPv6 existed. */
		if (ifc->nb_ip6 == 0)
			return net_drop(reason, TCPD_STAT_drop_ethertype);
		return net_parse_ipv6(p, len, ifc, hw_ok, mac_ours, pkt, reason);
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		return net_parse_arp(p, len, ifc, pkt, reason);
	case RTE_BE16(RTE_ETHER_TYPE_VLAN):
	case RTE_BE16(RTE_ETHER_TYPE_QINQ):
	case RTE_BE16(RTE_ETHER_TYPE_QINQ1):
	case RTE_BE16(RTE_ETHER_TYPE_QINQ2):
	case RTE_BE16(RTE_ETHER_TYPE_QINQ3):
		return net_drop(reason, TCPD_STAT_drop_vlan);
	default:
		return net_drop(reason, TCPD_STAT_drop_ethertype);
	}
}

enum tcpd_net_class
tcpd_net_parse(const void *frame, uint32_t len, const struct tcpd_iface *ifc, unsigned int hw_ok,
	       struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *p = frame;
	const struct rte_ether_hdr *eh = frame;
	const uint8_t *ip = p + NET_ETH_LEN;
	uint32_t ihl, tot_len, src, dst;
	bool mac_ours;
	uint16_t et;

	if (unlikely(len < NET_ETH_LEN))
		return net_drop(reason, TCPD_STAT_drop_truncated);
	mac_ours = net_same_mac(&eh->dst_addr, &ifc->mac);
	et = net_ld16(&eh->ether_type);
	/* IPv6 multicast MACs (33:33:...) are let through for IPv6 only, whose parser checks
	 * them against the destination address (solicited-node groups, all-nodes). */
	if (unlikely(!mac_ours) && !rte_is_broadcast_ether_addr(&eh->dst_addr) &&
	    !(et == RTE_BE16(RTE_ETHER_TYPE_IPV6) && ifc->nb_ip6 != 0 &&
	      eh->dst_addr.addr_bytes[0] == 0x33 && eh->dst_addr.addr_bytes[1] == 0x33))
		return net_drop(reason, TCPD_STAT_drop_not_for_us);

	if (unlikely(et != RTE_BE16(RTE_ETHER_TYPE_IPV4)))
		return parse_other(p, len, et, ifc, hw_ok, mac_ours, pkt, reason);
	/* TCP and ICMP echo are unicast: a replier would otherwise answer from the broadcast MAC
	 * (Linux drops TCP that is not PACKET_HOST for the same reason). */
	if (unlikely(!mac_ours))
		return net_drop(reason, TCPD_STAT_drop_not_for_us);

	if (unlikely(len < NET_ETH_LEN + NET_IP4_LEN))
		return net_drop(reason, TCPD_STAT_drop_truncated);
	if (unlikely((ip[0] >> 4) != 4))
		return net_drop(reason, TCPD_STAT_drop_ip_version);
	ihl = (uint32_t)(ip[0] & 0xf) * 4;
	if (unlikely(ihl < NET_IP4_LEN || ihl > len - NET_ETH_LEN))
		return net_drop(reason, TCPD_STAT_drop_ip_hdr_len);
	/* Header options (RFC 791 3.1) are covered by the checksum and otherwise skipped. */
	if (!(hw_ok & TCPD_NET_IP_CKSUM_GOOD) &&
	    unlikely(net_sum_fold(net_raw_sum(ip, ihl, 0)) != 0xffff))
		return net_drop(reason, TCPD_STAT_drop_ip_cksum);
	/* Bytes past the total length are Ethernet padding (frames below 60 bytes) and ignored. */
	tot_len = rte_be_to_cpu_16(net_ld16(ip + 2));
	if (unlikely(tot_len > len - NET_ETH_LEN || tot_len < ihl))
		return net_drop(reason, TCPD_STAT_drop_ip_len);
	/* Longer than our MTU: a reply in kind could not leave (af_packet even hands over
	 * datagrams the kernel reassembled from fragments), and no peer should send it. */
	if (unlikely(tot_len > ifc->mtu))
		return net_drop(reason, TCPD_STAT_drop_oversize);
	/* MF set or a non-zero offset: reassembly is not worth its memory and its attack surface
	 * to a TCP endpoint whose peers use path MTU discovery (DF). */
	if (unlikely(net_ld16(ip + 6) & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return net_drop(reason, TCPD_STAT_drop_fragment);
	dst = net_ld32(ip + 16);
	if (unlikely(!tcpd_net_ip_ours(ifc, dst)))
		return net_drop(reason, TCPD_STAT_drop_not_for_us);
	src = net_ld32(ip + 12);
	if (unlikely(ip_src_bad(src, ifc->ip)))
		return net_drop(reason, TCPD_STAT_drop_ip_src);
	pkt->src_ip = src;
	pkt->dst_ip = dst;
	pkt->ip_tos = ip[1];
	pkt->family = TCPD_NET_AF_INET;

	if (likely(ip[9] == IPPROTO_TCP))
		return parse_tcp(p, ihl, tot_len, hw_ok, pkt, reason);
	if (ip[9] == IPPROTO_ICMP)
		return net_parse_icmp(p, ihl, tot_len, hw_ok, pkt, reason);
	return net_drop(reason, TCPD_STAT_drop_ip_proto);
}
