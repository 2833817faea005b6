/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour discovery (RFC 4861), the part an endpoint without routers needs: answer
 * solicitations for our addresses, announce them, solicit a next hop, read advertisements.
 * We keep no neighbour cache: replies go to the solicitation's link-layer address, and the
 * caller (client mode) keeps the one next hop it resolves.
 */

#include "net_priv.h"

#define ND_NS	       135
#define ND_NA	       136
#define ND_MSG_LEN     24 /* type, code, checksum, reserved/flags, target */
#define ND_OPT_SLLA    1
#define ND_OPT_TLLA    2
#define ND_HOP_LIMIT   255
#define ND_OPT_LLA_LEN 8 /* an Ethernet link-layer address option (RFC 4861 4.6.1) */

/*
 * Walk the options of an ND message (RFC 4861 4.6): every option has a length in units of 8
 * bytes, 0 is invalid (7.1.1, 7.1.2: "all included options have a length that is greater than
 * zero") and an option may not run past the message. Unknown options are skipped (4.6). The
 * first option of type @p want is returned in *found (its first byte), or NULL.
 * @return 0, or -1 if malformed
 */
static int
nd_opts_walk(const uint8_t *o, uint32_t n, uint8_t want, const uint8_t **found)
{
	uint32_t i = 0, ol;

	*found = NULL;
	while (i < n) {
		if (n - i < 2)
			return -1;
		ol = (uint32_t)o[i + 1] * 8;
		if (ol == 0 || ol > n - i)
			return -1;
		if (o[i] == want && *found == NULL)
			*found = o + i;
		i += ol;
	}
	return 0;
}

enum tcpd_net_class
net_parse_nd(const uint8_t *frame, uint32_t msg_len, const struct tcpd_iface *ifc,
	     unsigned int hw_ok, struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	const uint8_t *ip = frame + pkt->l3_off;
	const uint8_t *ic = frame + pkt->l4_off;
	const uint8_t *target = ic + 8, *lla;
	bool ns = ic[0] == ND_NS, src_unspec;
	uint8_t sn[16];
	int idx;

	if (unlikely(msg_len < ND_MSG_LEN))
		return net_drop(reason, TCPD_STAT_drop_icmp6_len);
	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) &&
	    net_ip6_l4_cksum_bad(ip, ic, msg_len, NET_NH_ICMPV6))
		return net_drop(reason, TCPD_STAT_drop_icmp6_cksum);
	/* RFC 4861 7.1.1 / 7.1.2: hop limit 255 proves the sender is on the link (a router
	 * would have decremented it), then code 0. */
	if (pkt->hop_limit != ND_HOP_LIMIT)
		return net_drop(reason, TCPD_STAT_drop_nd_hop_limit);
	if (ic[1] != 0)
		return net_drop(reason, TCPD_STAT_drop_nd_code);
	if (net_ip6_is_mcast(target))
		return net_drop(reason, TCPD_STAT_drop_nd_invalid);
	if (nd_opts_walk(ic + ND_MSG_LEN, msg_len - ND_MSG_LEN, ns ? ND_OPT_SLLA : ND_OPT_TLLA,
			 &lla) != 0)
		return net_drop(reason, TCPD_STAT_drop_nd_opt);
	src_unspec = net_ip6_is_unspec(pkt->src_ip6);

	if (ns) {
		/* 7.1.1: a DAD probe (source ::) goes to a solicited-node group and carries no
		 * source link-layer address. */
		if (src_unspec) {
			tcpd_net_ip6_solicited_node(target, sn);
			if (memcmp(pkt->dst_ip6, sn, 16) != 0 || lla != NULL)
				return net_drop(reason, TCPD_STAT_drop_nd_invalid);
		}
		/* 7.2.3: a solicitation for an address not ours is silently discarded. */
		idx = tcpd_net_ip6_ours(ifc, target);
		if (idx < 0)
			return net_drop(reason, TCPD_STAT_drop_nd_not_ours);
		pkt->ip6_idx = (uint8_t)RTE_MIN(idx, TCPD_NET_MAX_IP6);
	} else {
		/* 4.4: an advertisement comes from an address of its sender. */
		if (src_unspec)
			return net_drop(reason, TCPD_STAT_drop_ip6_src);
		/* 7.1.2: to a multicast destination, the Solicited flag must be zero. */
		if (net_ip6_is_mcast(pkt->dst_ip6) && (ic[4] & TCPD_NET_NA_SOLICITED))
			return net_drop(reason, TCPD_STAT_drop_nd_invalid);
		/* 7.2.5: without a target link-layer address it teaches nothing to a node
		 * without a cache entry for the target (and we keep none). */
		if (lla == NULL)
			return net_drop(reason, TCPD_STAT_drop_nd_no_lla);
	}
	pkt->payload_off = (uint16_t)(pkt->l4_off + ND_MSG_LEN);
	pkt->payload_len = (uint16_t)(msg_len - ND_MSG_LEN);
	return ns ? TCPD_NET_ND_NS : TCPD_NET_ND_NA;
}

const uint8_t *
tcpd_net_nd_target(const void *frame, const struct tcpd_pkt *pkt)
{
	return (const uint8_t *)frame + pkt->l4_off + 8;
}

int
tcpd_net_nd_lla(const void *frame, const struct tcpd_pkt *pkt, struct rte_ether_addr *mac)
{
	const uint8_t *p = frame, *lla;

	if (nd_opts_walk(p + pkt->payload_off, pkt->payload_len,
			 p[pkt->l4_off] == ND_NS ? ND_OPT_SLLA : ND_OPT_TLLA, &lla) != 0 ||
	    lla == NULL)
		return -1;
	memcpy(mac, lla + 2, sizeof(*mac));
	return 0;
}

uint8_t
tcpd_net_nd_na_flags(const void *frame, const struct tcpd_pkt *pkt)
{
	return ((const uint8_t *)frame)[pkt->l4_off + 4] &
	       (TCPD_NET_NA_ROUTER | TCPD_NET_NA_SOLICITED | TCPD_NET_NA_OVERRIDE);
}

/* One ND message with one link-layer address option (ours), over the whole of @p frame. */
static uint32_t
nd_write(void *frame, const struct tcpd_iface *ifc, const struct rte_ether_addr *dmac,
	 const uint8_t *src, const uint8_t *dst, uint8_t type, uint8_t flags, const uint8_t *target)
{
	uint8_t *p = frame, *ip = p + NET_ETH_LEN, *ic = ip + NET_IP6_LEN;
	uint32_t msg_len = ND_MSG_LEN + ND_OPT_LLA_LEN;

	memcpy(p, dmac, RTE_ETHER_ADDR_LEN);
	memcpy(p + RTE_ETHER_ADDR_LEN, &ifc->mac, RTE_ETHER_ADDR_LEN);
	net_st16(p + 12, RTE_BE16(RTE_ETHER_TYPE_IPV6));
	net_st32(ip, RTE_BE32(0x60000000));
	net_st16(ip + 4, rte_cpu_to_be_16((uint16_t)msg_len));
	ip[6] = NET_NH_ICMPV6;
	ip[7] = ND_HOP_LIMIT;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	ic[0] = type;
	ic[1] = 0;
	net_st16(ic + 2, 0);
	net_st32(ic + 4, 0);
	ic[4] = flags;
	memcpy(ic + 8, target, 16);
	ic[24] = type == ND_NS ? ND_OPT_SLLA : ND_OPT_TLLA;
	ic[25] = ND_OPT_LLA_LEN / 8;
	memcpy(ic + 26, &ifc->mac, RTE_ETHER_ADDR_LEN);
	net_st16(ic + 2, net_ip6_l4_cksum(ip, ic, msg_len, NET_NH_ICMPV6));
	return NET_ETH_LEN + NET_IP6_LEN + msg_len;
}

static const uint8_t all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

uint32_t
tcpd_net_nd_na_reply(void *frame, const struct tcpd_pkt *pkt, const struct tcpd_iface *ifc)
{
	uint8_t target[16], dst[16];
	struct rte_ether_addr dmac;

	/* Everything the answer needs is read before the frame is overwritten. */
	memcpy(target, tcpd_net_nd_target(frame, pkt), 16);
	if (net_ip6_is_unspec(pkt->src_ip6)) {
		/* 7.2.4: a DAD probe is answered to all-nodes, Solicited clear: it defends our
		 * address (the prober sees the conflict). */
		memcpy(dst, all_nodes, 16);
		tcpd_net_ip6_mcast_mac(dst, &dmac);
		return nd_write(frame, ifc, &dmac, target, dst, ND_NA, TCPD_NET_NA_OVERRIDE,
				target);
	}
	/* To the solicitation's source, at its source link-layer address; without one (a
	 * unicast NS may omit it, 4.3) at the frame's source MAC, as we keep no cache. */
	memcpy(dst, pkt->src_ip6, 16);
	if (tcpd_net_nd_lla(frame, pkt, &dmac) != 0)
		memcpy(&dmac, (const uint8_t *)frame + RTE_ETHER_ADDR_LEN, sizeof(dmac));
	return nd_write(frame, ifc, &dmac, target, dst, ND_NA,
			TCPD_NET_NA_SOLICITED | TCPD_NET_NA_OVERRIDE, target);
}

uint32_t
tcpd_net_nd_unsolicited_na(void *frame, const struct tcpd_iface *ifc, unsigned int idx)
{
	struct rte_ether_addr dmac;
	const uint8_t *a = ifc->ip6[idx].addr;

	tcpd_net_ip6_mcast_mac(all_nodes, &dmac);
	return nd_write(frame, ifc, &dmac, a, all_nodes, ND_NA, TCPD_NET_NA_OVERRIDE, a);
}

uint32_t
tcpd_net_nd_ns(void *frame, const struct tcpd_iface *ifc, unsigned int idx,
	       const uint8_t target[16])
{
	struct rte_ether_addr dmac;
	uint8_t dst[16], t[16];

	memcpy(t, target, 16); /* may point into @p frame */
	tcpd_net_ip6_solicited_node(t, dst);
	tcpd_net_ip6_mcast_mac(dst, &dmac);
	return nd_write(frame, ifc, &dmac, ifc->ip6[idx].addr, dst, ND_NS, 0, t);
}
