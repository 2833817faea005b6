/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames for the scenario runner: build what the peer sends, decode and verify what the daemon
 * sends. Deliberately independent of lib/net (which is under test); only DPDK's header structs
 * and checksum helpers are shared.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "scn.h"

#define ETH_LEN 14
#define IP_LEN	20
#define TCP_LEN 20
#define IP6_LEN 40

/* ---- IPv6 checksums, written out here rather than taken from lib/net or DPDK ---------------- */

/* Add @p len bytes to a one's complement sum, as big-endian 16-bit words (an odd last byte is
 * padded with a zero on its right, RFC 1071). */
static uint32_t
sum_be16(const uint8_t *p, unsigned int len, uint32_t sum)
{
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold16(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The one's complement sum of the IPv6 pseudo-header (RFC 8200 8.1: source, destination,
 * upper-layer packet length as 32 bits, three zero bytes, next header) and the upper-layer
 * packet. 0xffff when a received checksum is right. */
static uint16_t
sum6(const uint8_t *src, const uint8_t *dst, uint8_t nh, const uint8_t *l4, unsigned int len)
{
	uint8_t ph[40];

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	ph[32] = (uint8_t)(len >> 24);
	ph[33] = (uint8_t)(len >> 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = nh;
	return fold16(sum_be16(l4, len, sum_be16(ph, sizeof(ph), 0)));
}

/* Write the checksum of an upper-layer packet whose checksum field is at @p ck (zeroed here). */
static void
put_cksum6(const uint8_t *src, const uint8_t *dst, uint8_t nh, uint8_t *l4, unsigned int len,
	   uint8_t *ck)
{
	uint16_t c;

	ck[0] = ck[1] = 0;
	c = (uint16_t)~sum6(src, dst, nh, l4, len);
	ck[0] = (uint8_t)(c >> 8);
	ck[1] = (uint8_t)c;
}

/* The fixed IPv6 header (RFC 8200 3). */
static void
put_ip6(uint8_t *p, uint8_t tc, uint32_t flow_label, unsigned int plen, uint8_t nh, uint8_t hlim,
	const uint8_t *src, const uint8_t *dst)
{
	uint32_t vtf = 6u << 28 | (uint32_t)tc << 20 | (flow_label & 0xfffff);

	p[0] = (uint8_t)(vtf >> 24);
	p[1] = (uint8_t)(vtf >> 16);
	p[2] = (uint8_t)(vtf >> 8);
	p[3] = (uint8_t)vtf;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = nh;
	p[7] = hlim;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

/* The Ethernet destination of an IPv6 multicast group: 33:33 and its last 4 bytes (RFC 2464 7). */
static void
mcast_mac(const uint8_t *group, struct rte_ether_addr *mac)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], group + 12, 4);
}

void
scn_solicited_node(const uint8_t a[16], uint8_t group[16], struct rte_ether_addr *mac)
{
	static const uint8_t pfx[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};

	memcpy(group, pfx, sizeof(pfx));
	memcpy(group + 13, a + 13, 3);
	mcast_mac(group, mac);
}

/* A big-endian 32-bit field at any alignment (options sit at any offset). */
static uint32_t
ld_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

static void
put_eth(uint8_t *buf, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	uint16_t type)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)buf;

	rte_ether_addr_copy(dst, &eh->dst_addr);
	rte_ether_addr_copy(src, &eh->src_addr);
	eh->ether_type = htons(type);
}

static void
put_ip(uint8_t *buf, const struct scn_flow *f, uint8_t proto, unsigned int l4len, uint8_t tos,
       int ip_len, int frag_off, int ttl, uint32_t dst)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)buf;

	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->type_of_service = tos;
	ip->total_length = htons((uint16_t)(ip_len >= 0 ? (unsigned int)ip_len : IP_LEN + l4len));
	ip->packet_id = htons(0x1234);
	ip->fragment_offset = htons((uint16_t)(frag_off >= 0 ? frag_off : 0x4000));
	ip->time_to_live = (uint8_t)(ttl >= 0 ? ttl : 64);
	ip->next_proto_id = proto;
	ip->src_addr = f->peer_ip;
	ip->dst_addr = dst ? dst : f->our_ip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* The TCP header, options (padded with EOL) and payload at @p th. @return its length */
static unsigned int
put_tcp(uint8_t *p, const struct scn_flow *f, const struct scn_tcp_in *s)
{
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)p;
	unsigned int optlen = (s->optlen + 3) & ~3u;

	memset(th, 0, TCP_LEN);
	th->src_port = f->peer_port;
	th->dst_port = f->our_port;
	th->sent_seq = htonl(s->seq);
	th->recv_ack = htonl(s->ack);
	th->data_off =
		(uint8_t)((s->doff >= 0 ? (unsigned int)s->doff : (TCP_LEN + optlen) / 4) << 4);
	th->tcp_flags = s->flags;
	th->rx_win = htons(s->win);
	th->tcp_urp = htons(s->urp);
	memcpy(th + 1, s->opt, s->optlen);
	/* pad with EOL (zero) bytes, as RFC 9293 allows */
	memset((uint8_t *)(th + 1) + s->optlen, 0, optlen - s->optlen);
	if (s->dlen)
		memcpy((uint8_t *)(th + 1) + optlen, s->data, s->dlen);
	return TCP_LEN + optlen + s->dlen;
}

/* Ethernet/IPv6/TCP: to our address, or to s->dst_ip6 on s->dst_mac. */
static unsigned int
build_tcp6(uint8_t *buf, const struct scn_flow *f, const struct scn_tcp_in *s)
{
	uint8_t *ip6 = buf + ETH_LEN, *l4 = ip6 + IP6_LEN;
	const uint8_t *dst = s->dst6_set ? s->dst_ip6 : f->our_ip6;
	unsigned int l4len = put_tcp(l4, f, s);
	unsigned int len = ETH_LEN + IP6_LEN + l4len;

	put_eth(buf, s->dst6_set ? &s->dst_mac : &f->our_mac, &f->peer_mac, RTE_ETHER_TYPE_IPV6);
	put_ip6(ip6, s->tos, s->flow_label, s->plen6 >= 0 ? (unsigned int)s->plen6 : l4len,
		IPPROTO_TCP, (uint8_t)(s->ttl >= 0 ? s->ttl : 64), f->peer_ip6, dst);
	put_cksum6(f->peer_ip6, dst, IPPROTO_TCP, l4, l4len, l4 + 16);
	if (s->bad_tcp_cksum)
		l4[17] ^= 0x01, l4[16] ^= 0x01;
	if (s->truncate >= 0 && (unsigned int)s->truncate < len)
		len = (unsigned int)s->truncate;
	return len;
}

unsigned int
scn_build_tcp(uint8_t *buf, const struct scn_flow *f, const struct scn_tcp_in *s)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + ETH_LEN);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(buf + ETH_LEN + IP_LEN);
	unsigned int l4, len;

	if (f->v6)
		return build_tcp6(buf, f, s);
	l4 = put_tcp((uint8_t *)th, f, s);
	len = ETH_LEN + IP_LEN + l4;
	put_eth(buf, &f->our_mac, &f->peer_mac, RTE_ETHER_TYPE_IPV4);
	put_ip(buf + ETH_LEN, f, IPPROTO_TCP, l4, s->tos, s->ip_len, s->frag_off, s->ttl,
	       s->dst_ip);
	/* The checksum covers the segment as built, even when ip_len lies about it. */
	{
		uint16_t saved = ip->total_length;

		ip->total_length = htons((uint16_t)(IP_LEN + l4));
		th->cksum = rte_ipv4_udptcp_cksum(ip, th);
		ip->total_length = saved;
	}
	if (s->bad_tcp_cksum)
		th->cksum ^= htons(0x0101);
	if (s->bad_ip_cksum)
		ip->hdr_checksum ^= htons(0x0101);
	if (len < RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN) {
		memset(buf + len, 0, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN - len);
		len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
	}
	if (s->truncate >= 0 && (unsigned int)s->truncate < len)
		len = (unsigned int)s->truncate;
	return len;
}

unsigned int
scn_build_icmp6_echo(uint8_t *buf, const struct scn_flow *f, uint16_t id, uint16_t seq,
		     const uint8_t *data, unsigned int dlen, uint8_t hlim)
{
	uint8_t *l4 = buf + ETH_LEN + IP6_LEN;
	unsigned int l4len = 8 + dlen;

	put_eth(buf, &f->our_mac, &f->peer_mac, RTE_ETHER_TYPE_IPV6);
	put_ip6(buf + ETH_LEN, 0, 0, l4len, IPPROTO_ICMPV6, hlim, f->peer_ip6, f->our_ip6);
	l4[0] = 128; /* echo request, RFC 4443 4.1 */
	l4[1] = 0;
	l4[4] = (uint8_t)(id >> 8);
	l4[5] = (uint8_t)id;
	l4[6] = (uint8_t)(seq >> 8);
	l4[7] = (uint8_t)seq;
	if (dlen)
		memcpy(l4 + 8, data, dlen);
	put_cksum6(f->peer_ip6, f->our_ip6, IPPROTO_ICMPV6, l4, l4len, l4 + 2);
	return ETH_LEN + IP6_LEN + l4len;
}

unsigned int
scn_build_icmp6_err(uint8_t *buf, const struct scn_flow *f, uint8_t type, uint8_t code,
		    uint32_t mtu, uint32_t seq, const uint8_t *router, uint8_t qnh)
{
	uint8_t *l4 = buf + ETH_LEN + IP6_LEN, *q = l4 + 8, *th = q + IP6_LEN;
	unsigned int l4len = 8 + IP6_LEN + 20;

	put_eth(buf, &f->our_mac, &f->peer_mac, RTE_ETHER_TYPE_IPV6);
	put_ip6(buf + ETH_LEN, 0, 0, l4len, IPPROTO_ICMPV6, 64, router, f->our_ip6);
	memset(l4, 0, l4len);
	l4[0] = type; /* RFC 4443 3.1 destination unreachable, 3.2 packet too big */
	l4[1] = code;
	l4[4] = (uint8_t)(mtu >> 24);
	l4[5] = (uint8_t)(mtu >> 16);
	l4[6] = (uint8_t)(mtu >> 8);
	l4[7] = (uint8_t)mtu;
	/* As much of our 1500-byte packet as fits the runner's needs: its header and 20 bytes of
	 * TCP (ports and sequence number; the rest zeros). */
	put_ip6(q, 0, 0, 1460, qnh, 64, f->our_ip6, f->peer_ip6);
	th[0] = (uint8_t)(ntohs(f->our_port) >> 8);
	th[1] = (uint8_t)ntohs(f->our_port);
	th[2] = (uint8_t)(ntohs(f->peer_port) >> 8);
	th[3] = (uint8_t)ntohs(f->peer_port);
	th[4] = (uint8_t)(seq >> 24);
	th[5] = (uint8_t)(seq >> 16);
	th[6] = (uint8_t)(seq >> 8);
	th[7] = (uint8_t)seq;
	put_cksum6(router, f->our_ip6, IPPROTO_ICMPV6, l4, l4len, l4 + 2);
	return ETH_LEN + IP6_LEN + l4len;
}

unsigned int
scn_build_ns(uint8_t *buf, const struct scn_flow *f, const struct scn_ns *ns)
{
	uint8_t *l4 = buf + ETH_LEN + IP6_LEN;
	unsigned int l4len = 24 + (ns->slla ? 8 : 0);
	struct rte_ether_addr dmac;

	if (ns->dst[0] == 0xff)
		mcast_mac(ns->dst, &dmac);
	else
		dmac = f->our_mac;
	put_eth(buf, &dmac, &f->peer_mac, RTE_ETHER_TYPE_IPV6);
	put_ip6(buf + ETH_LEN, 0, 0, l4len, IPPROTO_ICMPV6, ns->hlim, ns->src, ns->dst);
	memset(l4, 0, l4len);
	l4[0] = 135; /* RFC 4861 4.3 */
	l4[1] = ns->code;
	memcpy(l4 + 8, ns->target, 16);
	if (ns->slla) {
		l4[24] = 1; /* source link-layer address, length 1 (8 bytes) */
		l4[25] = 1;
		memcpy(l4 + 26, f->peer_mac.addr_bytes, 6);
	}
	put_cksum6(ns->src, ns->dst, IPPROTO_ICMPV6, l4, l4len, l4 + 2);
	if (ns->bad_cksum)
		l4[3] ^= 0x01;
	return ETH_LEN + IP6_LEN + l4len;
}

unsigned int
scn_build_na(uint8_t *buf, const struct scn_flow *f, const uint8_t *target, uint8_t flags,
	     bool tlla)
{
	uint8_t *l4 = buf + ETH_LEN + IP6_LEN;
	unsigned int l4len = 24 + (tlla ? 8 : 0);

	put_eth(buf, &f->our_mac, &f->peer_mac, RTE_ETHER_TYPE_IPV6);
	put_ip6(buf + ETH_LEN, 0, 0, l4len, IPPROTO_ICMPV6, 255, f->peer_ip6, f->our_ip6);
	memset(l4, 0, l4len);
	l4[0] = 136; /* RFC 4861 4.4 */
	l4[4] = flags;
	memcpy(l4 + 8, target, 16);
	if (tlla) {
		l4[24] = 2; /* target link-layer address, length 1 (8 bytes) */
		l4[25] = 1;
		memcpy(l4 + 26, f->peer_mac.addr_bytes, 6);
	}
	put_cksum6(f->peer_ip6, f->our_ip6, IPPROTO_ICMPV6, l4, l4len, l4 + 2);
	return ETH_LEN + IP6_LEN + l4len;
}

unsigned int
scn_build_arp_req(uint8_t *buf, const struct scn_flow *f, uint32_t target_ip)
{
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(buf + ETH_LEN);
	struct rte_ether_addr bcast = {.addr_bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

	memset(buf, 0, 60);
	put_eth(buf, &bcast, &f->peer_mac, RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = htons(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = htons(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = htons(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(&f->peer_mac, &arp->arp_data.arp_sha);
	arp->arp_data.arp_sip = f->peer_ip;
	arp->arp_data.arp_tip = target_ip;
	return 60;
}

unsigned int
scn_build_icmp_echo(uint8_t *buf, const struct scn_flow *f, uint16_t id, uint16_t seq,
		    const uint8_t *data, unsigned int dlen)
{
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(buf + ETH_LEN + IP_LEN);
	unsigned int len = ETH_LEN + IP_LEN + sizeof(*ic) + dlen;

	put_eth(buf, &f->our_mac, &f->peer_mac, RTE_ETHER_TYPE_IPV4);
	put_ip(buf + ETH_LEN, f, IPPROTO_ICMP, sizeof(*ic) + dlen, 0, -1, -1, -1, 0);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	ic->icmp_code = 0;
	ic->icmp_cksum = 0;
	ic->icmp_ident = htons(id);
	ic->icmp_seq_nb = htons(seq);
	if (dlen) /* data may be NULL then */
		memcpy(ic + 1, data, dlen);
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, sizeof(*ic) + dlen);
	if (len < 60) {
		memset(buf + len, 0, 60 - len);
		len = 60;
	}
	return len;
}

unsigned int
scn_build_icmp_unreach(uint8_t *buf, const struct scn_flow *f, uint8_t code, uint16_t mtu,
		       uint32_t seq, uint32_t router, uint8_t qproto, unsigned int qlen)
{
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(buf + ETH_LEN + IP_LEN);
	uint8_t *q = (uint8_t *)(ic + 1);
	struct rte_ipv4_hdr *qip = (struct rte_ipv4_hdr *)q;
	unsigned int l4 = sizeof(*ic) + qlen;
	unsigned int len = ETH_LEN + IP_LEN + l4;
	struct scn_flow from = *f;
	uint8_t qtcp[28];

	if (router != 0)
		from.peer_ip = router;
	put_eth(buf, &f->our_mac, &f->peer_mac, RTE_ETHER_TYPE_IPV4);
	put_ip(buf + ETH_LEN, &from, IPPROTO_ICMP, l4, 0, -1, -1, -1, 0);
	ic->icmp_type = 3;
	ic->icmp_code = code;
	ic->icmp_cksum = 0;
	ic->icmp_ident = 0;
	ic->icmp_seq_nb = htons(mtu);
	/* The quoted datagram (RFC 792): our segment to the peer, 1500 bytes, DF; the first 8 bytes
	 * of its TCP header (ports, sequence number), then zeros up to @p qlen. */
	memset(q, 0, qlen);
	memset(qtcp, 0, sizeof(qtcp));
	qtcp[0] = 0x45;
	qtcp[2] = 1500 >> 8;
	qtcp[3] = 1500 & 0xff;
	qtcp[6] = 0x40;
	qtcp[8] = 64;
	qtcp[9] = qproto;
	memcpy(qtcp + 12, &f->our_ip, 4);
	memcpy(qtcp + 16, &f->peer_ip, 4);
	qtcp[20] = (uint8_t)(ntohs(f->our_port) >> 8);
	qtcp[21] = (uint8_t)ntohs(f->our_port);
	qtcp[22] = (uint8_t)(ntohs(f->peer_port) >> 8);
	qtcp[23] = (uint8_t)ntohs(f->peer_port);
	qtcp[24] = (uint8_t)(seq >> 24);
	qtcp[25] = (uint8_t)(seq >> 16);
	qtcp[26] = (uint8_t)(seq >> 8);
	qtcp[27] = (uint8_t)seq;
	memcpy(q, qtcp, qlen < sizeof(qtcp) ? qlen : sizeof(qtcp));
	if (qlen >= IP_LEN)
		qip->hdr_checksum = rte_ipv4_cksum(qip);
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, l4);
	if (len < 60) {
		memset(buf + len, 0, 60 - len);
		len = 60;
	}
	return len;
}

void
scn_parse_opts(const uint8_t *opt, unsigned int len, struct scn_opts *o)
{
	unsigned int i = 0;

	memset(o, 0, sizeof(*o));
	while (i < len) {
		uint8_t kind = opt[i], olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len) {
			o->malformed = true;
			return;
		}
		olen = opt[i + 1];
		switch (kind) {
		case 2:
			if (olen != 4)
				o->malformed = true;
			o->has_mss = true;
			o->mss = (uint16_t)(opt[i + 2] << 8 | opt[i + 3]);
			break;
		case 3:
			if (olen != 3)
				o->malformed = true;
			o->has_ws = true;
			o->ws = opt[i + 2];
			break;
		case 4:
			if (olen != 2)
				o->malformed = true;
			o->has_sackok = true;
			break;
		case 5:
			if ((olen - 2) % 8 || olen < 10) {
				o->malformed = true;
				break;
			}
			for (unsigned int b = 0; b < (olen - 2u) / 8 && o->nb_sack < 4; b++) {
				const uint8_t *p = opt + i + 2 + 8 * b;

				o->sack[o->nb_sack][0] = ld_be32(p);
				o->sack[o->nb_sack][1] = ld_be32(p + 4);
				o->nb_sack++;
			}
			break;
		case 8:
			if (olen != 10)
				o->malformed = true;
			o->has_ts = true;
			o->tsval = ld_be32(opt + i + 2);
			o->tsecr = ld_be32(opt + i + 6);
			break;
		default:
			o->nb_unknown++;
			break;
		}
		i += olen;
	}
}

#define ERR(...)                                                                                   \
	do {                                                                                       \
		if (o->err[0] == '\0')                                                             \
			snprintf(o->err, sizeof(o->err), __VA_ARGS__);                             \
	} while (0)

/* The TCP header, options and payload (the checksum is the caller's: it depends on the IP
 * version). */
static void
decode_tcp(const uint8_t *l4, unsigned int l4len, struct scn_out *o)
{
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)l4;
	unsigned int doff;

	o->kind = SCN_K_TCP;
	if (l4len < TCP_LEN) {
		ERR("TCP segment of %u bytes", l4len);
		return;
	}
	doff = (th->data_off >> 4) * 4u;
	if (doff < TCP_LEN || doff > l4len) {
		ERR("TCP data offset %u, segment %u", doff, l4len);
		return;
	}
	if (th->data_off & 0x0f)
		ERR("reserved TCP bits set: 0x%x", th->data_off & 0x0f);
	o->sport = ntohs(th->src_port);
	o->dport = ntohs(th->dst_port);
	o->seq = ntohl(th->sent_seq);
	o->ack = ntohl(th->recv_ack);
	o->win = ntohs(th->rx_win);
	o->flags = th->tcp_flags;
	if (th->tcp_urp != 0 && !(o->flags & RTE_TCP_URG_FLAG))
		ERR("urgent pointer %u without URG", ntohs(th->tcp_urp));
	scn_parse_opts(l4 + TCP_LEN, doff - TCP_LEN, &o->opts);
	if (o->opts.malformed)
		ERR("malformed TCP options");
	o->data = l4 + doff;
	o->dlen = l4len - doff;
}

static void
decode_ipv4(const uint8_t *frame, unsigned int len, struct scn_out *o)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + ETH_LEN);
	unsigned int tot, l4len;
	const uint8_t *l4;

	if (len < ETH_LEN + IP_LEN) {
		ERR("IPv4 frame of %u bytes", len);
		return;
	}
	if (ip->version_ihl != 0x45)
		ERR("IPv4 version/IHL 0x%02x, expected 0x45", ip->version_ihl);
	tot = ntohs(ip->total_length);
	if (tot < IP_LEN || ETH_LEN + tot > len) {
		ERR("IPv4 total length %u, frame %u", tot, len);
		return;
	}
	/* Only Ethernet padding may follow the IP packet. */
	if (len > ETH_LEN + tot && len > 60)
		ERR("frame %u bytes but IPv4 total length %u (bytes beyond padding)", len, tot);
	if (rte_raw_cksum(ip, IP_LEN) != 0xffff)
		ERR("bad IPv4 header checksum 0x%04x", ntohs(ip->hdr_checksum));
	o->ip_src = ip->src_addr;
	o->ip_dst = ip->dst_addr;
	o->ttl = ip->time_to_live;
	o->tos = ip->type_of_service;
	o->proto = ip->next_proto_id;
	o->frag = ntohs(ip->fragment_offset);
	if (o->ttl == 0)
		ERR("TTL 0");
	if (o->frag & 0x3fff)
		ERR("fragment (offset/MF 0x%04x)", o->frag);
	l4 = frame + ETH_LEN + IP_LEN;
	l4len = tot - IP_LEN;
	if (o->proto == IPPROTO_TCP) {
		if (l4len >= TCP_LEN && rte_ipv4_udptcp_cksum_verify(ip, l4) != 0)
			ERR("bad TCP checksum 0x%04x",
			    ntohs(((const struct rte_tcp_hdr *)l4)->cksum));
		decode_tcp(l4, l4len, o);
	} else if (o->proto == IPPROTO_ICMP) {
		const struct rte_icmp_hdr *ic = (const struct rte_icmp_hdr *)l4;

		o->kind = SCN_K_ICMP;
		if (l4len < sizeof(*ic)) {
			ERR("ICMP of %u bytes", l4len);
			return;
		}
		if (rte_raw_cksum(ic, l4len) != 0xffff)
			ERR("bad ICMP checksum 0x%04x", ntohs(ic->icmp_cksum));
		o->icmp_type = ic->icmp_type;
		o->icmp_code = ic->icmp_code;
		o->icmp_id = ntohs(ic->icmp_ident);
		o->icmp_seq = ntohs(ic->icmp_seq_nb);
		o->data = l4 + sizeof(*ic);
		o->dlen = l4len - (unsigned int)sizeof(*ic);
	}
}

/* ICMPv6 (RFC 4443) and ND (RFC 4861 4.3, 4.4): checksum, lengths, hop limit, options. */
static void
decode_icmp6(const uint8_t *l4, unsigned int l4len, struct scn_out *o)
{
	unsigned int i;

	o->kind = SCN_K_ICMP6;
	if (l4len < 8) {
		ERR("ICMPv6 of %u bytes", l4len);
		return;
	}
	if (sum6(o->src6, o->dst6, IPPROTO_ICMPV6, l4, l4len) != 0xffff)
		ERR("bad ICMPv6 checksum 0x%02x%02x", l4[2], l4[3]);
	o->icmp_type = l4[0];
	o->icmp_code = l4[1];
	o->icmp_id = (uint16_t)(l4[4] << 8 | l4[5]);
	o->icmp_seq = (uint16_t)(l4[6] << 8 | l4[7]);
	o->data = l4 + 8;
	o->dlen = l4len - 8;
	if (o->icmp_type != 135 && o->icmp_type != 136)
		return;
	o->kind = SCN_K_ND;
	if (o->ttl != 255)
		ERR("ND hop limit %u, not 255 (RFC 4861 7.1)", o->ttl);
	if (l4len < 24) {
		ERR("ND message of %u bytes", l4len);
		return;
	}
	o->nd_flags = l4[4];
	memcpy(o->nd_target, l4 + 8, 16);
	for (i = 24; i < l4len;) {
		unsigned int olen = i + 1 < l4len ? l4[i + 1] * 8u : 0;

		if (olen == 0 || i + olen > l4len) {
			ERR("ND option of length 0 or past the message");
			return;
		}
		/* 1: source link-layer address (NS), 2: target link-layer address (NA) */
		if ((l4[i] == 1 && o->icmp_type == 135) || (l4[i] == 2 && o->icmp_type == 136)) {
			if (olen != 8)
				ERR("link-layer address option of %u bytes", olen);
			o->nd_has_lla = true;
			memcpy(o->nd_lla.addr_bytes, l4 + i + 2, 6);
		}
		i += olen;
	}
}

static void
decode_ipv6(const uint8_t *frame, unsigned int len, struct scn_out *o)
{
	const uint8_t *ip6 = frame + ETH_LEN, *l4 = ip6 + IP6_LEN;
	unsigned int plen;

	o->v6 = true;
	if (len < ETH_LEN + IP6_LEN) {
		ERR("IPv6 frame of %u bytes", len);
		return;
	}
	if (ip6[0] >> 4 != 6)
		ERR("IPv6 version %u", ip6[0] >> 4);
	o->tos = (uint8_t)((ip6[0] & 0x0f) << 4 | ip6[1] >> 4);
	o->flow_label = (uint32_t)(ip6[1] & 0x0f) << 16 | (uint32_t)ip6[2] << 8 | ip6[3];
	plen = (unsigned int)(ip6[4] << 8 | ip6[5]);
	o->proto = ip6[6];
	o->ttl = ip6[7];
	memcpy(o->src6, ip6 + 8, 16);
	memcpy(o->dst6, ip6 + 24, 16);
	if (ETH_LEN + IP6_LEN + plen > len) {
		ERR("IPv6 payload length %u, frame %u", plen, len);
		return;
	}
	if (len > ETH_LEN + IP6_LEN + plen && len > 60)
		ERR("frame %u bytes but IPv6 payload length %u (bytes beyond padding)", len, plen);
	if (o->ttl == 0)
		ERR("hop limit 0");
	if (o->proto == IPPROTO_TCP) {
		if (plen >= TCP_LEN && sum6(o->src6, o->dst6, IPPROTO_TCP, l4, plen) != 0xffff)
			ERR("bad TCP checksum 0x%02x%02x (IPv6 pseudo-header)", l4[16], l4[17]);
		decode_tcp(l4, plen, o);
	} else if (o->proto == IPPROTO_ICMPV6) {
		decode_icmp6(l4, plen, o);
	} else {
		/* we send no extension headers */
		ERR("IPv6 next header %u", o->proto);
	}
}

void
scn_decode(const uint8_t *frame, unsigned int len, struct scn_out *o)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)frame;

	memset(o, 0, sizeof(*o));
	if (len < ETH_LEN) {
		ERR("frame of %u bytes", len);
		return;
	}
	/* Frames below the Ethernet minimum are fine: NICs pad them on transmission. */
	rte_ether_addr_copy(&eh->dst_addr, &o->eth_dst);
	rte_ether_addr_copy(&eh->src_addr, &o->eth_src);
	o->ether_type = ntohs(eh->ether_type);
	if (o->ether_type == RTE_ETHER_TYPE_IPV4) {
		decode_ipv4(frame, len, o);
	} else if (o->ether_type == RTE_ETHER_TYPE_IPV6) {
		decode_ipv6(frame, len, o);
	} else if (o->ether_type == RTE_ETHER_TYPE_ARP) {
		const struct rte_arp_hdr *arp = (const struct rte_arp_hdr *)(frame + ETH_LEN);

		o->kind = SCN_K_ARP;
		if (len < ETH_LEN + sizeof(*arp)) {
			ERR("ARP frame of %u bytes", len);
			return;
		}
		if (ntohs(arp->arp_hardware) != RTE_ARP_HRD_ETHER ||
		    ntohs(arp->arp_protocol) != RTE_ETHER_TYPE_IPV4 || arp->arp_hlen != 6 ||
		    arp->arp_plen != 4)
			ERR("ARP header not Ethernet/IPv4");
		o->arp_op = ntohs(arp->arp_opcode);
		rte_ether_addr_copy(&arp->arp_data.arp_sha, &o->arp_sha);
		rte_ether_addr_copy(&arp->arp_data.arp_tha, &o->arp_tha);
		o->arp_sip = arp->arp_data.arp_sip;
		o->arp_tip = arp->arp_data.arp_tip;
	}
}

int
scn_parse_flags(const char *s)
{
	int f = 0;

	if (strcmp(s, ".") == 0)
		return 0;
	for (; *s; s++) {
		switch (*s) {
		case 'F':
			f |= RTE_TCP_FIN_FLAG;
			break;
		case 'S':
			f |= RTE_TCP_SYN_FLAG;
			break;
		case 'R':
			f |= RTE_TCP_RST_FLAG;
			break;
		case 'P':
			f |= RTE_TCP_PSH_FLAG;
			break;
		case 'A':
			f |= RTE_TCP_ACK_FLAG;
			break;
		case 'U':
			f |= RTE_TCP_URG_FLAG;
			break;
		case 'E':
			f |= RTE_TCP_ECE_FLAG;
			break;
		case 'C':
			f |= RTE_TCP_CWR_FLAG;
			break;
		default:
			return -1;
		}
	}
	return f;
}

const char *
scn_flags_str(uint8_t f)
{
	static char buf[4][10];
	static int i;
	static const char letters[] = "SFRPAUEC";
	static const uint8_t bits[] = {RTE_TCP_SYN_FLAG, RTE_TCP_FIN_FLAG, RTE_TCP_RST_FLAG,
				       RTE_TCP_PSH_FLAG, RTE_TCP_ACK_FLAG, RTE_TCP_URG_FLAG,
				       RTE_TCP_ECE_FLAG, RTE_TCP_CWR_FLAG};
	char *p;

	i = (i + 1) & 3;
	p = buf[i];
	for (unsigned int b = 0; b < 8; b++)
		if (f & bits[b])
			*p++ = letters[b];
	if (p == buf[i])
		*p++ = '.';
	*p = '\0';
	return buf[i];
}

void
scn_describe(const struct scn_out *o, char *buf, size_t len)
{
	int n = 0;

	switch (o->kind) {
	case SCN_K_TCP:
		if (o->v6)
			n = snprintf(buf, len, "%s [%s]:%u > [%s]:%u seq=%u ack=%u win=%u hlim=%u",
				     scn_flags_str(o->flags), scn_ip6_str(o->src6), o->sport,
				     scn_ip6_str(o->dst6), o->dport, o->seq, o->ack, o->win,
				     o->ttl);
		else
			n = snprintf(buf, len, "%s %s:%u > %s:%u seq=%u ack=%u win=%u",
				     scn_flags_str(o->flags), scn_ip_str(o->ip_src), o->sport,
				     scn_ip_str(o->ip_dst), o->dport, o->seq, o->ack, o->win);
		if (o->opts.has_mss)
			n += snprintf(buf + n, len - n, " mss=%u", o->opts.mss);
		if (o->opts.has_ws)
			n += snprintf(buf + n, len - n, " wscale=%u", o->opts.ws);
		if (o->opts.has_sackok)
			n += snprintf(buf + n, len - n, " sackok");
		if (o->opts.has_ts)
			n += snprintf(buf + n, len - n, " ts=%u:%u", o->opts.tsval, o->opts.tsecr);
		for (unsigned int i = 0; i < o->opts.nb_sack; i++)
			n += snprintf(buf + n, len - n, " sack=%u-%u", o->opts.sack[i][0],
				      o->opts.sack[i][1]);
		if (o->dlen)
			n += snprintf(buf + n, len - n, " data-len=%u", o->dlen);
		break;
	case SCN_K_ARP:
		n = snprintf(buf, len, "arp op=%u %s is-at %02x:%02x:%02x:%02x:%02x:%02x for %s",
			     o->arp_op, scn_ip_str(o->arp_sip), o->arp_sha.addr_bytes[0],
			     o->arp_sha.addr_bytes[1], o->arp_sha.addr_bytes[2],
			     o->arp_sha.addr_bytes[3], o->arp_sha.addr_bytes[4],
			     o->arp_sha.addr_bytes[5], scn_ip_str(o->arp_tip));
		break;
	case SCN_K_ICMP:
		n = snprintf(buf, len, "icmp type=%u code=%u %s > %s id=%u seq=%u data-len=%u",
			     o->icmp_type, o->icmp_code, scn_ip_str(o->ip_src),
			     scn_ip_str(o->ip_dst), o->icmp_id, o->icmp_seq, o->dlen);
		break;
	case SCN_K_ICMP6:
		n = snprintf(buf, len, "icmp6 type=%u code=%u %s > %s id=%u seq=%u data-len=%u",
			     o->icmp_type, o->icmp_code, scn_ip6_str(o->src6), scn_ip6_str(o->dst6),
			     o->icmp_id, o->icmp_seq, o->dlen);
		break;
	case SCN_K_ND:
		n = snprintf(buf, len, "nd %s %s > %s target=%s flags=0x%02x hlim=%u%s",
			     o->icmp_type == 135 ? "ns" : "na", scn_ip6_str(o->src6),
			     scn_ip6_str(o->dst6), scn_ip6_str(o->nd_target), o->nd_flags, o->ttl,
			     o->nd_has_lla ? " lla" : "");
		break;
	default:
		n = snprintf(buf, len, "frame ethertype 0x%04x proto %u", o->ether_type, o->proto);
		break;
	}
	if (o->err[0] && (size_t)n < len)
		snprintf(buf + n, len - n, " [DEFECT: %s]", o->err);
}
