/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame classification: Ethernet, IPv4 and TCP (ARP and ICMP are handed to net_arp.c and
 * net_icmp.c). Runs once per received packet, so the TCP path is straight-line code with every
 * rejection behind an unlikely branch, and nothing is read before the length check that covers it.
 *
 * Checks go structure first, then the checksum, then the semantic checks: a frame whose bits were
 * damaged in flight is counted as a checksum failure rather than as whatever the damage made it
 * look like (another destination, illegal flags, a bad option).
 */

#include "net_tcp_opts.h"

/*
 * Illegal flag combinations: SYN+FIN and SYN+RST, with or without ACK (RFC 9293 gives them no
 * meaning; Linux drops them). As an 8-bit set indexed by FIN | SYN << 1 | RST << 2: SYN+FIN (3),
 * SYN+RST (6), all three (7).
 *
 * Segments with none of SYN, ACK, RST (null, FIN, PSH, URG, xmas scans) are not illegal here: the
 * answer depends on the port. A closed port answers them with a RST (RFC 9293 3.10.7.1, as Linux);
 * a listener or a connection discards them (3.10.7.2, 3.10.7.4). lib/tcp decides and counts.
 */
#define FL_BAD_SET (1u << 3 | 1u << 6 | 1u << 7)

static inline unsigned int
tcp_flags_illegal(uint8_t flags)
{
	return (FL_BAD_SET >> (flags & (TCPD_TH_FIN | TCPD_TH_SYN | TCPD_TH_RST))) & 1;
}

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
drop(enum tcpd_stat *reason, enum tcpd_stat why)
{
	*reason = why;
	return TCPD_NET_DROP;
}

static inline enum tcpd_net_class
parse_tcp(const uint8_t *frame, uint32_t ihl, uint32_t tot_len, unsigned int hw_ok,
	  struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *ip = frame + NET_ETH_LEN;
	const uint8_t *th = ip + ihl;
	uint32_t seg_len = tot_len - ihl, doff;
	uint8_t flags;

	if (unlikely(seg_len < NET_TCP_LEN))
		return drop(reason, TCPD_STAT_drop_ip_len);
	doff = (uint32_t)(th[12] >> 4) * 4;
	if (unlikely(doff < NET_TCP_LEN || doff > seg_len))
		return drop(reason, TCPD_STAT_drop_tcp_hdr_len);
	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) &&
	    unlikely(rte_ipv4_udptcp_cksum_verify((const struct rte_ipv4_hdr *)ip, th) != 0))
		return drop(reason, TCPD_STAT_drop_tcp_cksum);

	pkt->src_port = net_ld16(th);
	pkt->dst_port = net_ld16(th + 2);
	/* Port 0 is reserved (RFC 6335 6); nothing may be sent to it or answered from it. */
	if (unlikely(pkt->src_port == 0 || pkt->dst_port == 0))
		return drop(reason, TCPD_STAT_drop_tcp_port);
	flags = th[13];
	if (unlikely(tcp_flags_illegal(flags)))
		return drop(reason, TCPD_STAT_drop_tcp_flags);
	if (unlikely(net_tcp_opts_parse(th + NET_TCP_LEN, doff - NET_TCP_LEN, &pkt->opts) != 0))
		return drop(reason, TCPD_STAT_drop_tcp_opt);

	pkt->l3_off = NET_ETH_LEN;
	pkt->l4_off = (uint16_t)(NET_ETH_LEN + ihl);
	pkt->payload_off = (uint16_t)(NET_ETH_LEN + ihl + doff);
	pkt->payload_len = (uint16_t)(seg_len - doff);
	pkt->seq = rte_be_to_cpu_32(net_ld32(th + 4));
	pkt->ack = rte_be_to_cpu_32(net_ld32(th + 8));
	pkt->win = rte_be_to_cpu_16(net_ld16(th + 14));
	pkt->flags = flags;
	return TCPD_NET_TCP;
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
		return drop(reason, TCPD_STAT_drop_truncated);
	mac_ours = rte_is_same_ether_addr(&eh->dst_addr, &ifc->mac);
	if (unlikely(!mac_ours) && !rte_is_broadcast_ether_addr(&eh->dst_addr))
		return drop(reason, TCPD_STAT_drop_not_for_us);

	et = net_ld16(&eh->ether_type);
	if (unlikely(et != RTE_BE16(RTE_ETHER_TYPE_IPV4))) {
		switch (et) {
		case RTE_BE16(RTE_ETHER_TYPE_ARP):
			return net_parse_arp(p, len, ifc, pkt, reason);
		case RTE_BE16(RTE_ETHER_TYPE_VLAN):
		case RTE_BE16(RTE_ETHER_TYPE_QINQ):
		case RTE_BE16(RTE_ETHER_TYPE_QINQ1):
		case RTE_BE16(RTE_ETHER_TYPE_QINQ2):
		case RTE_BE16(RTE_ETHER_TYPE_QINQ3):
			return drop(reason, TCPD_STAT_drop_vlan);
		default:
			return drop(reason, TCPD_STAT_drop_ethertype);
		}
	}
	/* TCP and ICMP echo are unicast: a replier would otherwise answer from the broadcast MAC
	 * (Linux drops TCP that is not PACKET_HOST for the same reason). */
	if (unlikely(!mac_ours))
		return drop(reason, TCPD_STAT_drop_not_for_us);

	if (unlikely(len < NET_ETH_LEN + NET_IP4_LEN))
		return drop(reason, TCPD_STAT_drop_truncated);
	if (unlikely((ip[0] >> 4) != 4))
		return drop(reason, TCPD_STAT_drop_ip_version);
	ihl = (uint32_t)(ip[0] & 0xf) * 4;
	if (unlikely(ihl < NET_IP4_LEN || ihl > len - NET_ETH_LEN))
		return drop(reason, TCPD_STAT_drop_ip_hdr_len);
	/* Header options (RFC 791 3.1) are covered by the checksum and otherwise skipped. */
	if (!(hw_ok & TCPD_NET_IP_CKSUM_GOOD) && unlikely(rte_raw_cksum(ip, ihl) != 0xffff))
		return drop(reason, TCPD_STAT_drop_ip_cksum);
	/* Bytes past the total length are Ethernet padding (frames below 60 bytes) and ignored. */
	tot_len = rte_be_to_cpu_16(net_ld16(ip + 2));
	if (unlikely(tot_len > len - NET_ETH_LEN || tot_len < ihl))
		return drop(reason, TCPD_STAT_drop_ip_len);
	/* Longer than our MTU: a reply in kind could not leave (af_packet even hands over
	 * datagrams the kernel reassembled from fragments), and no peer should send it. */
	if (unlikely(tot_len > ifc->mtu))
		return drop(reason, TCPD_STAT_drop_oversize);
	/* MF set or a non-zero offset: reassembly is not worth its memory and its attack surface
	 * to a TCP endpoint whose peers use path MTU discovery (DF). */
	if (unlikely(net_ld16(ip + 6) & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return drop(reason, TCPD_STAT_drop_fragment);
	dst = net_ld32(ip + 16);
	if (unlikely(!tcpd_net_ip_ours(ifc, dst)))
		return drop(reason, TCPD_STAT_drop_not_for_us);
	src = net_ld32(ip + 12);
	if (unlikely(ip_src_bad(src, ifc->ip)))
		return drop(reason, TCPD_STAT_drop_ip_src);
	pkt->src_ip = src;
	pkt->dst_ip = dst;
	pkt->ip_tos = ip[1];

	if (likely(ip[9] == IPPROTO_TCP))
		return parse_tcp(p, ihl, tot_len, hw_ok, pkt, reason);
	if (ip[9] == IPPROTO_ICMP)
		return net_parse_icmp(p, ihl, tot_len, hw_ok, pkt, reason);
	return drop(reason, TCPD_STAT_drop_ip_proto);
}
