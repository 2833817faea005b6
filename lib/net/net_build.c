/* SPDX-License-Identifier: BSD-3-Clause */
/* Building TCP segments: Ethernet + IPv4 + TCP with options, checksums or their offload. */

#include <rte_mbuf.h>

#include "net_priv.h"

#define NET_TCP_OFF (NET_ETH_LEN + NET_IP4_LEN) /* 34 */
#define NET_OPT_OFF (NET_TCP_OFF + NET_TCP_LEN) /* 54 */

/* Option bytes for @p present, in the layout written by opts_write. */
static inline unsigned int
opts_len(uint8_t present)
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
opts_nb_sack(const struct tcpd_tcp_opts *o, unsigned int before)
{
	unsigned int n = o->nb_sack, room;

	if (!(o->present & TCPD_OPT_SACK) || n == 0 || before + 4 + 8 > 40)
		return 0;
	room = (40 - before - 4) / 8;
	if (n > room)
		n = room;
	return n > TCPD_MAX_SACK_BLOCKS ? TCPD_MAX_SACK_BLOCKS : n;
}

static inline unsigned int
opts_len_all(const struct tcpd_tcp_opts *o)
{
	unsigned int n = opts_len(o->present), b = opts_nb_sack(o, n);

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
opts_write(uint8_t *p, const struct tcpd_tcp_opts *o)
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
	nb = opts_nb_sack(o, (unsigned int)(p - start));
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

uint16_t
tcpd_net_tcp_hdr_len(const struct tcpd_tcp_opts *o)
{
	return (uint16_t)(NET_OPT_OFF + opts_len_all(o));
}

uint32_t
tcpd_net_build_tcp(void *frame, const struct tcpd_net_flow *f, const struct tcpd_net_seg *s,
		   const void *payload, uint16_t plen, const struct tcpd_iface *ifc,
		   uint16_t *hdr_len)
{
	uint8_t *p = frame;
	struct rte_ether_hdr *eh = frame;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + NET_ETH_LEN);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(p + NET_TCP_OFF);
	unsigned int olen = opts_write(p + NET_OPT_OFF, &s->opts);
	uint16_t hl = (uint16_t)(NET_OPT_OFF + olen);

	memcpy(&eh->dst_addr, &f->dst_mac, sizeof(f->dst_mac));
	memcpy(&eh->src_addr, &f->src_mac, sizeof(f->src_mac));
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);

	/* ID 0 with DF: RFC 6864 4.1 lets atomic datagrams carry any ID, Linux does the same for
	 * DF TCP; DF because peers do path MTU discovery against us (RFC 1191). */
	ip->version_ihl = 0x45;
	ip->type_of_service = s->ip_tos;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(NET_IP4_LEN + NET_TCP_LEN + olen + plen));
	ip->packet_id = 0;
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = NET_TTL;
	ip->next_proto_id = IPPROTO_TCP;
	ip->hdr_checksum = 0;
	ip->src_addr = f->src_ip;
	ip->dst_addr = f->dst_ip;

	th->src_port = f->src_port;
	th->dst_port = f->dst_port;
	th->sent_seq = rte_cpu_to_be_32(s->seq);
	th->recv_ack = rte_cpu_to_be_32(s->ack);
	th->data_off = (uint8_t)(((NET_TCP_LEN + olen) / 4) << 4);
	th->tcp_flags = s->flags;
	th->rx_win = rte_cpu_to_be_16(s->win);
	th->cksum = 0;
	th->tcp_urp = 0;

	if (payload != NULL && plen != 0 && payload != p + hl)
		memcpy(p + hl, payload, plen);

	if (!ifc->tx_ip_cksum)
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	/* Offload convention: the PMD expects the pseudo-header sum, not complemented, in the TCP
	 * checksum field and adds the segment itself (rte_mbuf_core.h, RTE_MBUF_F_TX_TCP_CKSUM). */
	if (ifc->tx_tcp_cksum)
		th->cksum = rte_ipv4_phdr_cksum(ip, 0);
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
