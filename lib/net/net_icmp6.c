/* SPDX-License-Identifier: BSD-3-Clause */
/* ICMPv6 (RFC 4443): echo requests to us are answered in place; ND goes to net_nd.c. */

#include "net_priv.h"

#define ICMP6_UNREACH	   1
#define ICMP6_TOO_BIG	   2
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY   129
#define ICMP6_ND_NS	   135
#define ICMP6_ND_NA	   136

/*
 * Packet too big (RFC 4443 3.2, RFC 8201; any code) or a hard destination unreachable
 * (administratively prohibited, port unreachable: RFC 4443 3.1, hard for Linux too): the quoted
 * packet must be one of our TCP segments (from the address the message came to, next header
 * TCP, at least 8 bytes of its header). As for IPv4 (net_icmp.c), @p pkt then reads as a
 * segment from the peer: src_ip6 the quoted destination, seq the quoted SEG.SEQ, win the MTU
 * (at most 65535; 0 for a hard error).
 */
static enum tcpd_net_class
net_parse_icmp6_quote(const uint8_t *ip, const uint8_t *ic, uint32_t msg_len, unsigned int hw_ok,
		      struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *q = ic + 8;
	uint32_t mtu;

	if (unlikely(msg_len < 8 + NET_IP6_LEN + 8))
		return net_drop(reason, TCPD_STAT_drop_icmp_quote);
	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) &&
	    net_ip6_l4_cksum_bad(ip, ic, msg_len, NET_NH_ICMPV6))
		return net_drop(reason, TCPD_STAT_drop_icmp6_cksum);
	if (unlikely((q[0] >> 4) != 6 || q[6] != NET_NH_TCP ||
		     memcmp(q + 8, pkt->dst_ip6, 16) != 0))
		return net_drop(reason, TCPD_STAT_drop_icmp_quote);
	mtu = rte_be_to_cpu_32(net_ld32(ic + 4));
	memcpy(pkt->src_ip6, q + 24, 16);
	pkt->src_port = net_ld16(q + NET_IP6_LEN + 2);
	pkt->dst_port = net_ld16(q + NET_IP6_LEN);
	pkt->seq = rte_be_to_cpu_32(net_ld32(q + NET_IP6_LEN + 4));
	if (ic[0] == ICMP6_UNREACH) {
		pkt->win = 0;
		return TCPD_NET_ICMP_HARD;
	}
	pkt->win = (uint16_t)RTE_MIN(mtu, 65535u);
	return TCPD_NET_ICMP_MTU;
}

enum tcpd_net_class
net_parse_icmp6(const uint8_t *frame, uint32_t msg_len, const struct tcpd_iface *ifc,
		unsigned int hw_ok, struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *ip = frame + pkt->l3_off;
	const uint8_t *ic = frame + pkt->l4_off;

	if (unlikely(msg_len < 4)) /* type, code, checksum */
		return net_drop(reason, TCPD_STAT_drop_icmp6_len);
	if (ic[0] == ICMP6_ND_NS || ic[0] == ICMP6_ND_NA)
		return net_parse_nd(frame, msg_len, ifc, hw_ok, pkt, reason);
	/* A packet too big's code is "ignored by the receiver" (RFC 4443 3.2), as by Linux's
	 * tcp_v6_err: a router that sets it must not leave our segments too big for the path. */
	if (ic[0] == ICMP6_TOO_BIG || (ic[0] == ICMP6_UNREACH && (ic[1] == 1 || ic[1] == 4)))
		return net_parse_icmp6_quote(ip, ic, msg_len, hw_ok, pkt, reason);
	/* Other errors (RFC 5927 5.2: hard errors act as soft ones once synchronized, and soft
	 * errors change nothing here), router and MLD messages, echo replies: nothing for an
	 * endpoint without a routing table. */
	if (ic[0] != ICMP6_ECHO_REQUEST || ic[1] != 0)
		return net_drop(reason, TCPD_STAT_drop_icmp6);
	if (unlikely(msg_len < 8))
		return net_drop(reason, TCPD_STAT_drop_icmp6_len);
	/* RFC 4443 2.3: the checksum covers the pseudo-header and the whole message. */
	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) &&
	    net_ip6_l4_cksum_bad(ip, ic, msg_len, NET_NH_ICMPV6))
		return net_drop(reason, TCPD_STAT_drop_icmp6_cksum);
	/* RFC 4443 4.2 allows answering a multicast echo from a unicast address; we do not (a
	 * ping to ff02::1 would make every worker answer, and it teaches the peer nothing). */
	if (net_ip6_is_mcast(pkt->dst_ip6))
		return net_drop(reason, TCPD_STAT_drop_icmp6_mcast);
	if (net_ip6_is_unspec(pkt->src_ip6))
		return net_drop(reason, TCPD_STAT_drop_ip6_src);
	pkt->payload_off = (uint16_t)(pkt->l4_off + 8);
	pkt->payload_len = (uint16_t)(msg_len - 8);
	return TCPD_NET_ICMP6;
}

uint32_t
tcpd_net_icmp6_echo_reply(void *frame, const struct tcpd_pkt *pkt)
{
	uint8_t *p = frame;
	uint8_t *ip = p + pkt->l3_off;
	uint32_t msg_len = (uint32_t)pkt->payload_off + pkt->payload_len - pkt->l4_off;
	struct rte_ether_addr mac;
	uint8_t a[16], *ic;
	uint16_t old, cur;

	memcpy(&mac, p, sizeof(mac));
	memcpy(p, p + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	memcpy(p + RTE_ETHER_ADDR_LEN, &mac, sizeof(mac));

	/* From the address the request was sent to (unicast, ours: RFC 4443 4.2). Swapping the
	 * addresses leaves the pseudo-header sum unchanged. Traffic class and flow label kept. */
	memcpy(a, ip + 8, 16);
	memcpy(ip + 8, ip + 24, 16);
	memcpy(ip + 24, a, 16);
	ip[7] = NET_HOP_LIMIT;
	/* The request's extension headers (hop-by-hop, destination options, an exhausted
	 * routing header) are for the request only: the reply carries the message alone. Its
	 * upper-layer length is unchanged, so is the checksum. */
	if (pkt->l4_off != pkt->l3_off + NET_IP6_LEN) {
		memmove(ip + NET_IP6_LEN, p + pkt->l4_off, msg_len);
		ip[6] = NET_NH_ICMPV6;
		net_st16(ip + 4, rte_cpu_to_be_16((uint16_t)msg_len));
	}
	ic = ip + NET_IP6_LEN;

	/* Type 128 -> 129 is the only change to the message (identifier, sequence number and
	 * data returned unchanged). Equation 3 (net_cksum_adjust) cannot give the wrong zero
	 * here: the pseudo-header makes the sum non-zero. */
	old = net_ld16(ic);
	ic[0] = ICMP6_ECHO_REPLY;
	cur = net_ld16(ic);
	net_st16(ic + 2, net_cksum_adjust(net_ld16(ic + 2), old, cur));
	return pkt->l3_off + NET_IP6_LEN + msg_len;
}
