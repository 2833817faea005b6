/* SPDX-License-Identifier: BSD-3-Clause */
/* ARP (RFC 826): classify requests, answer those for our address, announce ourselves. */

#include "net_priv.h"

#define NET_ARP_FRAME_LEN (NET_ETH_LEN + NET_ARP_LEN)		  /* 42 */
#define NET_ETH_MIN_LEN	  (RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN) /* 60 */

enum tcpd_net_class
net_parse_arp(const uint8_t *frame, uint32_t len, const struct tcpd_iface *ifc,
	      struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const struct rte_arp_hdr *a = (const struct rte_arp_hdr *)(frame + NET_ETH_LEN);
	uint32_t sip, tip;
	uint16_t op;

	if (unlikely(len < NET_ARP_FRAME_LEN)) {
		*reason = TCPD_STAT_drop_truncated;
		return TCPD_NET_DROP;
	}
	op = net_ld16(&a->arp_opcode);
	if (net_ld16(&a->arp_hardware) != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    net_ld16(&a->arp_protocol) != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    a->arp_hlen != RTE_ETHER_ADDR_LEN || a->arp_plen != sizeof(uint32_t) ||
	    (op != RTE_BE16(RTE_ARP_OP_REQUEST) && op != RTE_BE16(RTE_ARP_OP_REPLY))) {
		*reason = TCPD_STAT_drop_arp;
		return TCPD_NET_DROP;
	}
	sip = net_ld32(&a->arp_data.arp_sip);
	tip = net_ld32(&a->arp_data.arp_tip);
	/* Replies, requests for other hosts and gratuitous ARPs (sender == target, RFC 5227 3)
	 * are valid but need nothing from us: we keep no ARP cache, replies go back to the
	 * sender's MAC. An ARP probe (sender 0.0.0.0, RFC 5227 2.1.1) for our address is answered,
	 * as Linux does, so that the prober sees the conflict. */
	if (op == RTE_BE16(RTE_ARP_OP_REPLY) && tcpd_net_ip_ours(ifc, tip) && sip != tip &&
	    sip != 0) {
		/* An answer to our request (client mode resolving its next hop). */
		pkt->l3_off = NET_ETH_LEN;
		pkt->l4_off = NET_ARP_FRAME_LEN;
		pkt->payload_off = NET_ARP_FRAME_LEN;
		pkt->payload_len = 0;
		pkt->src_ip = sip;
		pkt->dst_ip = tip;
		return TCPD_NET_ARP_REPLY;
	}
	if (op != RTE_BE16(RTE_ARP_OP_REQUEST) || !tcpd_net_ip_ours(ifc, tip) || sip == tip) {
		*reason = TCPD_STAT_drop_not_for_us;
		return TCPD_NET_DROP;
	}
	pkt->l3_off = NET_ETH_LEN;
	pkt->l4_off = NET_ARP_FRAME_LEN;
	pkt->payload_off = NET_ARP_FRAME_LEN;
	pkt->payload_len = 0;
	pkt->src_ip = sip;
	pkt->dst_ip = tip;
	pkt->family = TCPD_NET_AF_INET;
	return TCPD_NET_ARP;
}

uint32_t
tcpd_net_arp_reply(void *frame, const struct tcpd_iface *ifc)
{
	struct rte_ether_hdr *eh = frame;
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)((uint8_t *)frame + NET_ETH_LEN);
	struct rte_ether_addr sha;
	uint32_t sip, tip;

	/* RFC 826 "Packet Reception": swap the sender fields into the target fields, put our
	 * addresses in the sender fields, set the opcode to reply, and send it to the requester's
	 * hardware address (the ARP sender field, as Linux uses). */
	memcpy(&sha, &a->arp_data.arp_sha, sizeof(sha));
	sip = net_ld32(&a->arp_data.arp_sip);
	tip = net_ld32(&a->arp_data.arp_tip); /* ours: --ip or one of the extra addresses */
	memcpy(&eh->dst_addr, &sha, sizeof(sha));
	memcpy(&eh->src_addr, &ifc->mac, sizeof(ifc->mac));
	net_st16(&a->arp_opcode, RTE_BE16(RTE_ARP_OP_REPLY));
	memcpy(&a->arp_data.arp_tha, &sha, sizeof(sha));
	net_st32(&a->arp_data.arp_tip, sip);
	memcpy(&a->arp_data.arp_sha, &ifc->mac, sizeof(ifc->mac));
	net_st32(&a->arp_data.arp_sip, tip);
	/* 42 bytes: the PMD (or the kernel behind af_packet/tap) pads to the Ethernet minimum. */
	return NET_ARP_FRAME_LEN;
}

const struct rte_ether_addr *
tcpd_net_arp_sender_mac(const void *frame)
{
	const struct rte_arp_hdr *a =
		(const struct rte_arp_hdr *)((const uint8_t *)frame + NET_ETH_LEN);

	return &a->arp_data.arp_sha;
}

uint32_t
tcpd_net_arp_request(void *frame, const struct tcpd_iface *ifc, uint32_t tip)
{
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)((uint8_t *)frame + NET_ETH_LEN);
	uint32_t len = tcpd_net_garp(frame, ifc);

	/* The announcement with another target address is the ordinary request (RFC 826). */
	net_st32(&a->arp_data.arp_tip, tip);
	return len;
}

uint32_t
tcpd_net_garp(void *frame, const struct tcpd_iface *ifc)
{
	struct rte_ether_hdr *eh = frame;
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)((uint8_t *)frame + NET_ETH_LEN);

	/* RFC 5227 3: an ARP announcement is a request with sender and target IP both ours and
	 * a zero target MAC, broadcast. */
	memset(&eh->dst_addr, 0xff, sizeof(eh->dst_addr));
	memcpy(&eh->src_addr, &ifc->mac, sizeof(ifc->mac));
	net_st16(&eh->ether_type, RTE_BE16(RTE_ETHER_TYPE_ARP));
	net_st16(&a->arp_hardware, RTE_BE16(RTE_ARP_HRD_ETHER));
	net_st16(&a->arp_protocol, RTE_BE16(RTE_ETHER_TYPE_IPV4));
	a->arp_hlen = RTE_ETHER_ADDR_LEN;
	a->arp_plen = sizeof(uint32_t);
	net_st16(&a->arp_opcode, RTE_BE16(RTE_ARP_OP_REQUEST));
	memcpy(&a->arp_data.arp_sha, &ifc->mac, sizeof(ifc->mac));
	net_st32(&a->arp_data.arp_sip, ifc->ip);
	memset(&a->arp_data.arp_tha, 0, sizeof(a->arp_data.arp_tha));
	net_st32(&a->arp_data.arp_tip, ifc->ip);
	/* A new mbuf: its tail is whatever the last user left, so pad with zeros ourselves. */
	memset((uint8_t *)frame + NET_ARP_FRAME_LEN, 0, NET_ETH_MIN_LEN - NET_ARP_FRAME_LEN);
	return NET_ETH_MIN_LEN;
}
