/* SPDX-License-Identifier: BSD-3-Clause */
/* Building TCP segments: Ethernet + IPv4 + TCP with options, checksums or their offload. */

#include <rte_mbuf.h>

#include "net_tcp_opts.h"
#include "tcpd_net_tmpl.h"

#define NET_TCP_OFF (NET_ETH_LEN + NET_IP4_LEN) /* 34 */
#define NET_OPT_OFF (NET_TCP_OFF + NET_TCP_LEN) /* 54 */

uint16_t
tcpd_net_tcp_hdr_len(const struct tcpd_tcp_opts *o)
{
	return (uint16_t)(NET_OPT_OFF + net_tcp_opts_len_all(o));
}

uint32_t
tcpd_net_build_tcp(void *frame, const struct tcpd_net_flow *f, const struct tcpd_net_seg *s,
		   const void *payload, uint16_t plen, const struct tcpd_iface *ifc,
		   uint16_t *hdr_len)
{
	uint8_t *p = frame;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + NET_ETH_LEN);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(p + NET_TCP_OFF);
	unsigned int olen = net_tcp_opts_write(p + NET_OPT_OFF, &s->opts);
	uint16_t hl = (uint16_t)(NET_OPT_OFF + olen);

	net_eth_write(frame, &f->dst_mac, &f->src_mac, RTE_BE16(RTE_ETHER_TYPE_IPV4));

	tcpd_net_ip4_write(ip, s->ip_tos, (uint16_t)(NET_IP4_LEN + NET_TCP_LEN + olen + plen),
			   f->src_ip, f->dst_ip);
	net_tcp_write(p, th, f->src_port, f->dst_port, s, olen, hl, payload, plen);

	if (!ifc->tx_ip_cksum)
		ip->hdr_checksum = net_ip4_hdr_cksum(ip);
	/* Offload convention: the PMD expects the pseudo-header sum, not complemented, in the TCP
	 * checksum field and adds the segment itself (rte_mbuf_core.h, RTE_MBUF_F_TX_TCP_CKSUM). */
	if (ifc->tx_tcp_cksum)
		th->cksum = tcpd_net_ip4_phdr_sum(f->src_ip, f->dst_ip,
						  (uint16_t)(NET_TCP_LEN + olen + plen));
	else
		th->cksum = rte_ipv4_udptcp_cksum(ip, th);

	if (hdr_len != NULL)
		*hdr_len = hl;
	return (uint32_t)hl + plen;
}

void
tcpd_net_reply_flow(const void *frame, const struct tcpd_pkt *pkt, struct tcpd_net_flow *f)
{
	const struct rte_ether_hdr *eh = frame;

	memcpy(&f->src_mac, &eh->dst_addr, sizeof(f->src_mac));
	memcpy(&f->dst_mac, &eh->src_addr, sizeof(f->dst_mac));
	f->src_ip = pkt->dst_ip;
	f->dst_ip = pkt->src_ip;
	f->src_port = pkt->dst_port;
	f->dst_port = pkt->src_port;
}

void
tcpd_net_tx_offload(struct rte_mbuf *m, const struct tcpd_iface *ifc)
{
	uint64_t fl = 0;

	if (ifc->tx_ip_cksum)
		fl |= RTE_MBUF_F_TX_IP_CKSUM;
	if (ifc->tx_tcp_cksum)
		fl |= RTE_MBUF_F_TX_TCP_CKSUM;
	if (fl == 0)
		return;
	m->l2_len = NET_ETH_LEN;
	m->l3_len = NET_IP4_LEN;
	m->ol_flags |= fl | RTE_MBUF_F_TX_IPV4;
}

void
tcpd_net_tx_offload6(struct rte_mbuf *m, const struct tcpd_iface *ifc)
{
	/* IPv6 has no header checksum: only the TCP checksum is offloaded, with the IPv6 flag
	 * and the 40-byte fixed header (tcpd_net_build_tcp6 writes no extension header). */
	if (!ifc->tx_tcp_cksum)
		return;
	m->l2_len = NET_ETH_LEN;
	m->l3_len = NET_IP6_LEN;
	m->ol_flags |= RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_IPV6;
}

void
tcpd_net_tmpl4_init(struct tcpd_net_tmpl4 *t, const struct tcpd_iface *ifc)
{
	uint8_t b[8];

	memcpy(b, &ifc->mac, RTE_ETHER_ADDR_LEN);
	net_st16(b + 6, RTE_BE16(RTE_ETHER_TYPE_IPV4));
	memcpy(&t->eth_src_type, b, 8);
	t->sw_cksum = !ifc->tx_ip_cksum || !ifc->tx_tcp_cksum;
}

unsigned int
tcpd_net_tcp_opts_write(uint8_t *p, const struct tcpd_tcp_opts *o)
{
	return net_tcp_opts_write(p, o);
}

void
tcpd_net_tmpl4_cksum(void *frame, const struct tcpd_iface *ifc)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)((uint8_t *)frame + NET_ETH_LEN);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)((uint8_t *)frame + NET_TCP_OFF);

	if (!ifc->tx_ip_cksum)
		ip->hdr_checksum = net_ip4_hdr_cksum(ip);
	if (!ifc->tx_tcp_cksum) {
		/* The field holds the pseudo-header sum (tcpd_net_tmpl4_build): the raw sum of
		 * the segment with it is the whole sum, as rte_ipv4_udptcp_cksum's (0 sent as
		 * 0xffff like it). */
		uint16_t sum = (uint16_t)~net_sum_fold(
			net_raw_sum(th, rte_be_to_cpu_16(ip->total_length) - NET_IP4_LEN, 0));

		th->cksum = sum == 0 ? 0xffff : sum;
	}
}
