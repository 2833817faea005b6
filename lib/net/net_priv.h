/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_NET_PRIV_H
#define TCPD_NET_PRIV_H

/*
 * Helpers shared by the lib/net sources; not part of the API.
 *
 * Frames arrive at any alignment (an IPv4 header 14 bytes into an mbuf is only 2-byte aligned,
 * and the unit tests hand in malloc'd copies), so multi-byte fields are read and written with
 * memcpy, which compiles to a single unaligned load or store on x86-64.
 */

#include <stdint.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "tcpd_net.h"

#define NET_ETH_LEN   ((uint32_t)sizeof(struct rte_ether_hdr)) /* 14 */
#define NET_ARP_LEN   ((uint32_t)sizeof(struct rte_arp_hdr))   /* 28 */
#define NET_IP4_LEN   ((uint32_t)sizeof(struct rte_ipv4_hdr))  /* 20 */
#define NET_IP6_LEN   ((uint32_t)sizeof(struct rte_ipv6_hdr))  /* 40 */
#define NET_TCP_LEN   ((uint32_t)sizeof(struct rte_tcp_hdr))   /* 20 */
#define NET_ICMP_LEN  8u				       /* echo header */
#define NET_TTL	      64 /* Linux's default TTL (net.ipv4.ip_default_ttl) */
#define NET_HOP_LIMIT 64 /* Linux's default hop limit (net.ipv6.conf.*.hop_limit) */

/* IPv6 next header values (IANA protocol numbers). */
#define NET_NH_HOPOPTS	0
#define NET_NH_TCP	6
#define NET_NH_ROUTING	43
#define NET_NH_FRAGMENT 44
#define NET_NH_ICMPV6	58
#define NET_NH_DSTOPTS	60

/* TCP option kinds and lengths (RFC 9293 3.1, RFC 7323, RFC 2018). */
#define NET_TCPOPT_EOL	      0
#define NET_TCPOPT_NOP	      1
#define NET_TCPOPT_MSS	      2
#define NET_TCPOPT_WSCALE     3
#define NET_TCPOPT_SACK_PERM  4
#define NET_TCPOPT_SACK	      5
#define NET_TCPOPT_TS	      8
#define NET_TCPOLEN_MSS	      4
#define NET_TCPOLEN_WSCALE    3
#define NET_TCPOLEN_SACK_PERM 2
#define NET_TCPOLEN_TS	      10

static inline uint16_t
net_ld16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t
net_ld32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* rte_is_same_ether_addr as one 32-bit and one 16-bit compare: DPDK's three 16-bit ones took 12
 * instructions on every frame received (six loads), these 6. */
static inline bool
net_same_mac(const struct rte_ether_addr *a, const struct rte_ether_addr *b)
{
	return ((net_ld32(a->addr_bytes) ^ net_ld32(b->addr_bytes)) |
		(uint32_t)(net_ld16(a->addr_bytes + 4) ^ net_ld16(b->addr_bytes + 4))) == 0;
}

static inline void
net_st16(void *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void
net_st32(void *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/*
 * Incremental checksum update, RFC 1624 equation 3: HC' = ~(~HC + ~m + m').
 *
 * Why incremental: an echo reply changes two 16-bit words of the ICMP message and one of the IP
 * header, while a full recomputation would read the whole echo payload again (up to an MTU of
 * data, for a ping -s 1472). Why equation 3 and not RFC 1141's HC' = HC + m - m': the older form
 * can turn a correct checksum into 0x0000 where 0xFFFF is expected (RFC 1624 section 3 shows the
 * case); summing complements cannot, except for data that becomes all zeros (+0): the result is
 * 0x0000 for it too, so a caller whose data can be all zeros (ICMP) must check. The ones'
 * complement sum is byte-order independent, so @p hc, @p m and @p m_new are the 16-bit words
 * exactly as they sit in the frame.
 */
static inline uint16_t
net_cksum_adjust(uint16_t hc, uint16_t m, uint16_t m_new)
{
	uint32_t sum = (uint32_t)(uint16_t)~hc + (uint16_t)~m + m_new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static inline enum tcpd_net_class
net_drop(enum tcpd_stat *reason, enum tcpd_stat why)
{
	*reason = why;
	return TCPD_NET_DROP;
}

/* The rare classes, kept out of line so the TCP path stays small (net_arp.c, net_icmp.c). */
enum tcpd_net_class net_parse_arp(const uint8_t *frame, uint32_t len, const struct tcpd_iface *ifc,
				  struct tcpd_pkt *pkt, enum tcpd_stat *reason);
enum tcpd_net_class net_parse_icmp(const uint8_t *frame, uint32_t ihl, uint32_t tot_len,
				   unsigned int hw_ok, struct tcpd_pkt *pkt,
				   enum tcpd_stat *reason);

/* IPv6 (net_ipv6.c), after the Ethernet header has been checked. */
enum tcpd_net_class net_parse_ipv6(const uint8_t *frame, uint32_t len, const struct tcpd_iface *ifc,
				   unsigned int hw_ok, bool mac_ours, struct tcpd_pkt *pkt,
				   enum tcpd_stat *reason);
/* ICMPv6 (net_icmp6.c): the message at frame + l4_off, @p msg_len bytes, pkt's IPv6 fields
 * and l3_off/l4_off already set. */
enum tcpd_net_class net_parse_icmp6(const uint8_t *frame, uint32_t msg_len,
				    const struct tcpd_iface *ifc, unsigned int hw_ok,
				    struct tcpd_pkt *pkt, enum tcpd_stat *reason);
/* ND (net_nd.c): NS (type 135) or NA (136), checksum not yet verified. */
enum tcpd_net_class net_parse_nd(const uint8_t *frame, uint32_t msg_len,
				 const struct tcpd_iface *ifc, unsigned int hw_ok,
				 struct tcpd_pkt *pkt, enum tcpd_stat *reason);

/*
 * The ones' complement sum of @p len bytes at @p buf, unfolded (net_sum_fold), added to @p sum:
 * what DPDK's __rte_raw_cksum gives once folded, with a quarter of its work. It adds 16-bit
 * words one at a time (three instructions per two bytes, and no vector form from GCC); here
 * 32-bit words go into a 64-bit accumulator (2^16 = 1 modulo 0xffff, so a 32-bit word counts
 * as its two halves), four per step. Every software checksum of the fast path (RX checks, TX
 * segments of the vdev lab, which offloads nothing) goes through it. An odd last byte is the
 * low-address byte of a 16-bit word, as DPDK's.
 */
static inline uint64_t
net_raw_sum(const void *buf, uint32_t len, uint64_t sum)
{
	const uint8_t *p = buf;
	uint32_t w0, w1, w2, w3;
	uint16_t h;

	for (; len >= 16; p += 16, len -= 16) {
		memcpy(&w0, p, 4);
		memcpy(&w1, p + 4, 4);
		memcpy(&w2, p + 8, 4);
		memcpy(&w3, p + 12, 4);
		sum += (uint64_t)w0 + w1 + w2 + w3;
	}
	for (; len >= 4; p += 4, len -= 4) {
		memcpy(&w0, p, 4);
		sum += w0;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		sum += h;
		p += 2;
		len -= 2;
	}
	if (len != 0) {
		h = 0;
		memcpy(&h, p, 1);
		sum += h;
	}
	return sum;
}

/* net_raw_sum's total folded to 16 bits: 0 only for a zero sum, as __rte_raw_cksum_reduce. */
static inline uint16_t
net_sum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The IPv4 header checksum of @p ip as rte_ipv4_cksum gives it (0xffff for a zero sum), over
 * net_raw_sum: DPDK's adds the header's ten 16-bit words one at a time. */
static inline uint16_t
net_ip4_hdr_cksum(const struct rte_ipv4_hdr *ip)
{
	uint16_t sum = net_sum_fold(net_raw_sum(ip, rte_ipv4_hdr_len(ip), 0));

	return sum == 0xffff ? sum : (uint16_t)~sum;
}

/*
 * The 32-bit ones' complement sum, unfolded and not complemented, of the IPv6 pseudo-header
 * of RFC 8200 8.1: source, destination, upper-layer length and next header.
 * Unlike rte_ipv6_phdr_cksum, the length and next header are arguments: with extension
 * headers they differ from the fixed header's payload length and next header.
 */
static inline uint32_t
net_ip6_phdr_sum(const uint8_t *ip6, uint32_t l4_len, uint8_t proto)
{
	uint32_t w[2];

	w[0] = rte_cpu_to_be_32(l4_len);
	w[1] = rte_cpu_to_be_32(proto);
	return net_sum_fold(net_raw_sum(w, sizeof(w), net_raw_sum(ip6 + 8, 32, 0)));
}

/* The ones' complement check of an upper-layer message over IPv6: 0 when the checksum
 * field makes the sum 0xffff. */
static inline int
net_ip6_l4_cksum_bad(const uint8_t *ip6, const uint8_t *l4, uint32_t l4_len, uint8_t proto)
{
	uint64_t sum = net_raw_sum(l4, l4_len, net_ip6_phdr_sum(ip6, l4_len, proto));

	return net_sum_fold(sum) != 0xffff;
}

/* The checksum to store for an upper-layer message over IPv6 (its checksum field zero). */
static inline uint16_t
net_ip6_l4_cksum(const uint8_t *ip6, const uint8_t *l4, uint32_t l4_len, uint8_t proto)
{
	uint16_t c = (uint16_t)~net_sum_fold(
		net_raw_sum(l4, l4_len, net_ip6_phdr_sum(ip6, l4_len, proto)));

	/* RFC 8200 8.1 for UDP, and harmless for TCP/ICMPv6: a computed 0 is sent as 0xffff
	 * (the pseudo-header makes +0 impossible, so the sum was -0 and both encode it). */
	return c == 0 ? 0xffff : c;
}

/* IPv6 address classes (RFC 4291 2.4). */
static inline bool
net_ip6_is_unspec(const uint8_t *a)
{
	uint64_t hi, lo;

	memcpy(&hi, a, 8);
	memcpy(&lo, a + 8, 8);
	return (hi | lo) == 0;
}

static inline bool
net_ip6_is_mcast(const uint8_t *a)
{
	return a[0] == 0xff;
}

/* ::1 (loopback), ::ffff:0:0/96 (IPv4-mapped, RFC 4291 2.5.5.2; never on the wire: RFC 4942
 * 2.2 and Linux drop it), ff00::/8: never a valid source. */
static inline bool
net_ip6_src_invalid(const uint8_t *a)
{
	uint64_t hi;
	uint32_t w2, w3;

	if (a[0] == 0xff)
		return true;
	memcpy(&hi, a, 8);
	if (hi != 0)
		return false;
	memcpy(&w2, a + 8, 4);
	memcpy(&w3, a + 12, 4);
	if (w2 == 0 && w3 == RTE_BE32(1))
		return true;
	return w2 == RTE_BE32(0x0000ffff);
}

/* The Ethernet header of a frame we build. */
static inline void
net_eth_write(void *frame, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	      uint16_t ether_type_be)
{
	struct rte_ether_hdr *eh = frame;

	memcpy(&eh->dst_addr, dst, sizeof(*dst));
	memcpy(&eh->src_addr, src, sizeof(*src));
	eh->ether_type = ether_type_be;
}

/* The TCP header (checksum 0) and payload of a segment we build, for IPv4 and IPv6 alike: its
 * options (@olen bytes) are already written behind it, the payload goes at @hl. */
static inline void
net_tcp_write(uint8_t *p, struct rte_tcp_hdr *th, uint16_t sport, uint16_t dport,
	      const struct tcpd_net_seg *s, unsigned int olen, uint16_t hl, const void *payload,
	      uint16_t plen)
{
	th->src_port = sport;
	th->dst_port = dport;
	th->sent_seq = rte_cpu_to_be_32(s->seq);
	th->recv_ack = rte_cpu_to_be_32(s->ack);
	th->data_off = (uint8_t)(((NET_TCP_LEN + olen) / 4) << 4);
	th->tcp_flags = s->flags;
	th->rx_win = rte_cpu_to_be_16(s->win);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (payload != NULL && plen != 0 && payload != p + hl)
		memcpy(p + hl, payload, plen);
}

#endif /* TCPD_NET_PRIV_H */
