/* SPDX-License-Identifier: BSD-3-Clause */
/* ICMP echo (RFC 792, RFC 1122 3.2.2.6): classify requests to us, answer them in place. */

#include <rte_icmp.h>

#include "net_priv.h"

#define NET_ICMP_UNREACH     3 /* destination unreachable (RFC 792) */
#define NET_ICMP_FRAG_NEEDED 4 /* its code: fragmentation needed and DF set */

/* The hard errors among its codes: protocol and port unreachable (RFC 1122 4.2.3.9), network,
 * host and communication administratively prohibited (RFC 1812 5.2.7.1; hard for Linux and
 * FreeBSD too). The others (network or host unreachable, ...) are soft. */
static inline int
net_icmp_hard(uint8_t code)
{
	return code == 2 || code == 3 || code == 9 || code == 10 || code == 13;
}

/*
 * Destination unreachable, fragmentation needed and DF set (RFC 792, RFC 1191 4) or a hard
 * error: the quoted IPv4 header and at least the first 8 bytes of its TCP header (RFC 792) must
 * be one of our segments (from our address, TCP). @p pkt then describes it as if the peer had
 * sent it, so that it keys the connection like a segment: src = the quoted destination (the
 * peer), seq = the quoted SEG.SEQ, win = the next-hop MTU (0 from a router older than RFC 1191,
 * or for a hard error).
 */
static enum tcpd_net_class
net_parse_icmp_quote(const uint8_t *icmp, uint32_t msg_len, unsigned int hw_ok,
		     struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *q = icmp + NET_ICMP_LEN;
	uint32_t qihl;

	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) && rte_raw_cksum(icmp, msg_len) != 0xffff) {
		*reason = TCPD_STAT_drop_icmp_cksum;
		return TCPD_NET_DROP;
	}
	qihl = msg_len >= NET_ICMP_LEN + NET_IP4_LEN ? (uint32_t)(q[0] & 0x0f) * 4 : 0;
	if (unlikely(qihl < NET_IP4_LEN || (q[0] >> 4) != 4 || q[9] != IPPROTO_TCP ||
		     msg_len < NET_ICMP_LEN + qihl + 8 || net_ld32(q + 12) != pkt->dst_ip)) {
		*reason = TCPD_STAT_drop_icmp_quote;
		return TCPD_NET_DROP;
	}
	pkt->src_ip = net_ld32(q + 16);
	pkt->src_port = net_ld16(q + qihl + 2);
	pkt->dst_port = net_ld16(q + qihl);
	pkt->seq = rte_be_to_cpu_32(net_ld32(q + qihl + 4));
	pkt->l3_off = NET_ETH_LEN;
	if (icmp[1] != NET_ICMP_FRAG_NEEDED) {
		pkt->win = 0;
		return TCPD_NET_ICMP_HARD;
	}
	pkt->win = rte_be_to_cpu_16(net_ld16(icmp + 6));
	return TCPD_NET_ICMP_MTU;
}

enum tcpd_net_class
net_parse_icmp(const uint8_t *frame, uint32_t ihl, uint32_t tot_len, unsigned int hw_ok,
	       struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *icmp = frame + NET_ETH_LEN + ihl;
	uint32_t msg_len = tot_len - ihl;

	if (unlikely(msg_len < NET_ICMP_LEN)) {
		*reason = TCPD_STAT_drop_ip_len;
		return TCPD_NET_DROP;
	}
	if (icmp[0] == NET_ICMP_UNREACH &&
	    (icmp[1] == NET_ICMP_FRAG_NEEDED || net_icmp_hard(icmp[1])))
		return net_parse_icmp_quote(icmp, msg_len, hw_ok, pkt, reason);
	/* Only echo requests get an answer; other ICMP is dropped and counted (soft errors change
	 * nothing here: RFC 9293 3.9.2.2 MUST-56, RFC 5927 5.1). */
	if (icmp[0] != RTE_IP_ICMP_ECHO_REQUEST || icmp[1] != 0) {
		*reason = TCPD_STAT_drop_icmp;
		return TCPD_NET_DROP;
	}
	/* The checksum covers the whole ICMP message, payload included (RFC 792). */
	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) && rte_raw_cksum(icmp, msg_len) != 0xffff) {
		*reason = TCPD_STAT_drop_icmp_cksum;
		return TCPD_NET_DROP;
	}
	pkt->l3_off = NET_ETH_LEN;
	pkt->l4_off = (uint16_t)(NET_ETH_LEN + ihl);
	pkt->payload_off = (uint16_t)(NET_ETH_LEN + ihl + NET_ICMP_LEN);
	pkt->payload_len = (uint16_t)(msg_len - NET_ICMP_LEN);
	return TCPD_NET_ICMP;
}

uint32_t
tcpd_net_icmp_echo_reply(void *frame, const struct tcpd_pkt *pkt)
{
	uint8_t *p = frame;
	uint8_t *ip = p + pkt->l3_off;
	uint8_t *icmp = p + pkt->l4_off;
	struct rte_ether_addr mac;
	uint32_t a;
	uint16_t old, cur;

	memcpy(&mac, p, sizeof(mac));
	memcpy(p, p + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	memcpy(p + RTE_ETHER_ADDR_LEN, &mac, sizeof(mac));

	/* Swapping source and destination leaves the IP checksum unchanged (the ones' complement
	 * sum does not depend on word order); the TTL is reset to ours, as any new datagram's.
	 * Identification, DF and header options are kept. */
	a = net_ld32(ip + 12);
	memcpy(ip + 12, ip + 16, sizeof(a));
	net_st32(ip + 16, a);
	old = net_ld16(ip + 8);
	ip[8] = NET_TTL;
	cur = net_ld16(ip + 8);
	net_st16(ip + 10, net_cksum_adjust(net_ld16(ip + 10), old, cur));

	/* Type 8 -> 0 is the only change to the ICMP message (RFC 792: identifier, sequence
	 * number and data are returned unchanged). See net_cksum_adjust for why incremental. */
	old = net_ld16(icmp);
	icmp[0] = RTE_IP_ICMP_ECHO_REPLY;
	cur = net_ld16(icmp);
	cur = net_cksum_adjust(net_ld16(icmp + 2), old, cur);
	if (unlikely(cur == 0)) {
		/* 0x0000 is right when the rest of the reply sums to 0xFFFF (-0), wrong when it is
		 * all zeros (id 0, seq 0, no or zero data: it sums to +0, whose only valid
		 * checksum is 0xFFFF); equation 3 cannot tell them apart. Once in 65536 replies:
		 * recompute. */
		net_st16(icmp + 2, 0);
		cur = (uint16_t)~rte_raw_cksum(icmp,
					       pkt->payload_off + pkt->payload_len - pkt->l4_off);
	}
	net_st16(icmp + 2, cur);

	/* Ethernet padding of the request is not part of the reply. */
	return (uint32_t)pkt->payload_off + pkt->payload_len;
}
