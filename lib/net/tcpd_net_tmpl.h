/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_NET_TMPL_H
#define TCPD_NET_TMPL_H

/**
 * @file
 * Segment templates: the IPv4 segments of a connection written straight from its addresses,
 * inline, for the fast path (lib/tcp's output). tcpd_net_build_tcp takes a flow and a segment
 * filled for it and works for any segment; every segment of a connection cost that and a
 * call, although most of the headers never change: the Ethernet source and type and the IPv4
 * header's constant fields come from a template built once per lcore, the connection's
 * addresses and ports are patched in from its table key, and only sequence, acknowledgment,
 * window, flags, timestamps, lengths and checksums are computed per segment. The bytes are
 * exactly tcpd_net_build_tcp's (checked by the unit tests). IPv6 segments the same way
 * (tcpd_net_tmpl6_build): the Ethernet source and type from a template, the addresses from
 * where the caller keeps them (the interned peer, our address table), the bytes exactly
 * tcpd_net_build_tcp6's.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "tcpd_net.h"

/** The options of a SYN-ACK answering every option (written inline too). */
#define TCPD_NET_TMPL4_SYN_OPTS (TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE)

/** What every IPv4 TCP segment of one interface shares (tcpd_net_tmpl4_init). */
struct tcpd_net_tmpl4 {
	uint64_t eth_src_type; /**< frame bytes 6-13 as stored: our MAC, EtherType IPv4 */
	bool sw_cksum;	       /**< a checksum is computed in software (not both offloaded) */
};

/** The template of @p ifc's IPv4 segments. */
void tcpd_net_tmpl4_init(struct tcpd_net_tmpl4 *t, const struct tcpd_iface *ifc);

/** The option bytes of @p o written at @p p as tcpd_net_build_tcp lays them out. @return their length */
unsigned int tcpd_net_tcp_opts_write(uint8_t *p, const struct tcpd_tcp_opts *o);

/** The checksums of a segment written by tcpd_net_tmpl4_build that the port does not offload. */
void tcpd_net_tmpl4_cksum(void *frame, const struct tcpd_iface *ifc);

/** The option bytes tcpd_net_tmpl4_build writes for @p o (tcpd_net_tcp_hdr_len less 54). */
static inline unsigned int
tcpd_net_tmpl4_opts_len(const struct tcpd_tcp_opts *o)
{
	if (o->present == TCPD_OPT_TS)
		return 12;
	if (o->present == 0)
		return 0;
	if (o->present == TCPD_NET_TMPL4_SYN_OPTS)
		return 20;
	return (unsigned int)tcpd_net_tcp_hdr_len(o) - 54;
}

/**
 * The IPv4 header of a TCP segment at @p ip in three stores (addresses in network order). ID 0
 * with DF: RFC 6864 4.1 lets atomic datagrams carry any ID, Linux does the same for DF TCP; DF
 * because peers do path MTU discovery against us (RFC 1191). TTL 64; the checksum is left 0.
 */
static inline void
tcpd_net_ip4_write(void *ip, uint8_t tos, uint16_t tot_len, rte_be32_t src, rte_be32_t dst)
{
	/* Memory order: version/IHL, TOS, length | ID, flags+offset | TTL, protocol, checksum. */
	uint64_t w0 = 0x45u | (uint32_t)tos << 8 | (uint32_t)rte_cpu_to_be_16(tot_len) << 16 |
		      (uint64_t)RTE_BE16(RTE_IPV4_HDR_DF_FLAG) << 48;
	uint64_t w1 = 64 | IPPROTO_TCP << 8 | (uint64_t)src << 32;

	RTE_BUILD_BUG_ON(RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN);
	memcpy(ip, &w0, 8);
	memcpy((uint8_t *)ip + 8, &w1, 8);
	memcpy((uint8_t *)ip + 16, &dst, 4);
}

/**
 * The TCP pseudo-header sum (RFC 9293 3.1), not complemented, as rte_ipv4_phdr_cksum gives it
 * (what a TCP checksum offload expects in the header): the one's complement sum is byte-order
 * independent, so the addresses are added as they are stored, 32 bits at a time, and folded.
 */
static inline uint16_t
tcpd_net_ip4_phdr_sum(rte_be32_t src, rte_be32_t dst, uint16_t l4_len)
{
	uint64_t sum = (uint64_t)src + dst + (IPPROTO_TCP << 8) +
		       ((uint32_t)rte_cpu_to_be_16(l4_len) << 16);

	/* Below 2^34: three folds reach 16 bits. */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)((sum & 0xffff) + (sum >> 16));
}

/**
 * The options of segment @p s at @p opt (the byte after the fixed TCP header), laid out as
 * tcpd_net_build_tcp does: the two layouts of every connection written inline (timestamps
 * alone; a SYN-ACK's full set), any other through the generic writer. @return their length
 */
static inline unsigned int
tcpd_net_tmpl_opts(uint8_t *opt, const struct tcpd_net_seg *s)
{
	uint32_t w;

	if (likely(s->opts.present == TCPD_OPT_TS)) {
		/* NOP, NOP, TS: the layout of every segment of a connection with timestamps */
		w = RTE_BE32(0x0101080a);
		memcpy(opt, &w, 4);
		w = rte_cpu_to_be_32(s->opts.tsval);
		memcpy(opt + 4, &w, 4);
		w = rte_cpu_to_be_32(s->opts.tsecr);
		memcpy(opt + 8, &w, 4);
		return 12;
	}
	if (s->opts.present == TCPD_NET_TMPL4_SYN_OPTS) {
		/* MSS, SACK-permitted + TS, NOP + WS: the SYN-ACK to a Linux SYN */
		w = rte_cpu_to_be_32(0x02040000u | s->opts.mss);
		memcpy(opt, &w, 4);
		w = RTE_BE32(0x0402080a);
		memcpy(opt + 4, &w, 4);
		w = rte_cpu_to_be_32(s->opts.tsval);
		memcpy(opt + 8, &w, 4);
		w = rte_cpu_to_be_32(s->opts.tsecr);
		memcpy(opt + 12, &w, 4);
		w = rte_cpu_to_be_32(0x01030300u | s->opts.wscale);
		memcpy(opt + 16, &w, 4);
		return 20;
	}
	if (s->opts.present != 0)
		return tcpd_net_tcp_opts_write(opt, &s->opts);
	return 0;
}

/**
 * The fixed TCP header of segment @p s at @p th, but its checksum (@p olen option bytes
 * follow; ports in network order): ports, SEQ, ACK, data offset and flags, window, and the
 * urgent pointer 0 (with @p cksum, the checksum field's initial value, in the same store).
 */
static inline void
tcpd_net_tmpl_tcp(uint8_t *th, rte_be16_t sport, rte_be16_t dport, const struct tcpd_net_seg *s,
		  unsigned int olen, uint16_t cksum)
{
	uint32_t w;

	w = (uint32_t)sport | (uint32_t)dport << 16;
	memcpy(th, &w, 4);
	w = rte_cpu_to_be_32(s->seq);
	memcpy(th + 4, &w, 4);
	w = rte_cpu_to_be_32(s->ack);
	memcpy(th + 8, &w, 4);
	w = ((20 + olen) / 4) << 4 | (uint32_t)s->flags << 8 |
	    (uint32_t)rte_cpu_to_be_16(s->win) << 16;
	memcpy(th + 12, &w, 4);
	w = cksum;
	memcpy(th + 16, &w, 4);
}

/**
 * Write the Ethernet, IPv4 and TCP headers of segment @p s of a connection into @p frame, the
 * @p plen payload bytes being already at frame + the returned header length: the same bytes as
 * tcpd_net_build_tcp with the flow {ifc's MAC, @p dst_mac, @p src_ip, @p dst_ip, @p sport,
 * @p dport} and no payload to copy. The addresses and ports are in network order.
 * @p dst_mac may point into @p frame's own source MAC (a reply in the received buffer): it is
 * read before anything is written.
 * @return the frame's length
 */
static inline uint32_t
tcpd_net_tmpl4_build(void *frame, const struct tcpd_net_tmpl4 *t, const struct tcpd_iface *ifc,
		     const struct rte_ether_addr *dst_mac, rte_be32_t src_ip, rte_be32_t dst_ip,
		     rte_be16_t sport, rte_be16_t dport, const struct tcpd_net_seg *s,
		     uint16_t plen)
{
	uint8_t *p = frame;
	unsigned int olen;
	uint32_t tcp_len, w;

	RTE_BUILD_BUG_ON(RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN);
	memcpy(p, dst_mac, RTE_ETHER_ADDR_LEN); /* before bytes 6-11, where it may be */
	memcpy(p + 6, &t->eth_src_type, 8);
	olen = tcpd_net_tmpl_opts(p + 54, s);
	tcp_len = 20 + olen + plen;
	tcpd_net_ip4_write(p + 14, s->ip_tos, (uint16_t)(20 + tcp_len), src_ip, dst_ip);
	/* TCP: ports, SEQ, ACK, data offset and flags, window, checksum and urgent pointer */
	w = (uint32_t)sport | (uint32_t)dport << 16;
	memcpy(p + 34, &w, 4);
	w = rte_cpu_to_be_32(s->seq);
	memcpy(p + 38, &w, 4);
	w = rte_cpu_to_be_32(s->ack);
	memcpy(p + 42, &w, 4);
	w = ((20 + olen) / 4) << 4 | (uint32_t)s->flags << 8 |
	    (uint32_t)rte_cpu_to_be_16(s->win) << 16;
	memcpy(p + 46, &w, 4);
	/* the offload's pseudo-header sum; urgent pointer 0 */
	w = tcpd_net_ip4_phdr_sum(src_ip, dst_ip, (uint16_t)tcp_len);
	memcpy(p + 50, &w, 4);
	if (unlikely(t->sw_cksum))
		tcpd_net_tmpl4_cksum(frame, ifc);
	return 34 + tcp_len;
}

/** What every IPv6 TCP segment of one interface shares (tcpd_net_tmpl6_init). */
struct tcpd_net_tmpl6 {
	uint64_t eth_src_type; /**< frame bytes 6-13 as stored: our MAC, EtherType IPv6 */
	bool sw_cksum;	       /**< the TCP checksum is computed in software (not offloaded) */
};

/** The template of @p ifc's IPv6 segments. */
void tcpd_net_tmpl6_init(struct tcpd_net_tmpl6 *t, const struct tcpd_iface *ifc);

/** The TCP checksum of a segment written by tcpd_net_tmpl6_build, in software. */
void tcpd_net_tmpl6_cksum(void *frame);

/**
 * The IPv6 TCP pseudo-header sum (RFC 8200 8.1), not complemented, as rte_ipv6_phdr_cksum
 * gives it (the offload's convention): the 32 address bytes added 32 bits at a time as
 * stored, the upper-layer length and next header, folded.
 */
static inline uint16_t
tcpd_net_ip6_phdr_sum(const uint8_t src[16], const uint8_t dst[16], uint16_t l4_len)
{
	uint64_t sum = (IPPROTO_TCP << 8) + (uint32_t)rte_cpu_to_be_16(l4_len);
	uint32_t w[8];
	unsigned int i;

	memcpy(w, src, 16);
	memcpy(w + 4, dst, 16);
	for (i = 0; i < 8; i++)
		sum += w[i];
	/* Below 2^36: three folds reach 16 bits. */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)((sum & 0xffff) + (sum >> 16));
}

/**
 * Write the Ethernet, IPv6 and TCP headers of segment @p s into @p frame, the @p plen payload
 * bytes being already at frame + the returned header length: the same bytes as
 * tcpd_net_build_tcp6 with the flow {ifc's MAC, @p dst_mac, @p src_ip, @p dst_ip, @p sport,
 * @p dport, @p flow_label} and no payload to copy. Addresses and ports in network order, the
 * flow label in host order (low 20 bits). @p dst_mac may point into @p frame's own source MAC
 * (a reply in the received buffer: it is read before anything is written); the addresses must
 * not point into @p frame (a reply's swap places: take them from the parsed segment).
 * @return the frame's length
 */
static inline uint32_t
tcpd_net_tmpl6_build(void *frame, const struct tcpd_net_tmpl6 *t,
		     const struct rte_ether_addr *dst_mac, const uint8_t src_ip[16],
		     const uint8_t dst_ip[16], rte_be16_t sport, rte_be16_t dport,
		     uint32_t flow_label, const struct tcpd_net_seg *s, uint16_t plen)
{
	uint8_t *p = frame;
	unsigned int olen;
	uint32_t tcp_len;
	uint64_t w;

	RTE_BUILD_BUG_ON(RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN);
	memcpy(p, dst_mac, RTE_ETHER_ADDR_LEN); /* before bytes 6-11, where it may be */
	memcpy(p + 6, &t->eth_src_type, 8);
	olen = tcpd_net_tmpl_opts(p + 74, s);
	tcp_len = 20 + olen + plen;
	/* version, traffic class, flow label | payload length, next header, hop limit */
	w = rte_cpu_to_be_32(6u << 28 | (uint32_t)s->ip_tos << 20 | (flow_label & 0xfffff)) |
	    (uint64_t)rte_cpu_to_be_16((uint16_t)tcp_len) << 32 | (uint64_t)IPPROTO_TCP << 48 |
	    (uint64_t)64 << 56;
	memcpy(p + 14, &w, 8);
	memcpy(p + 22, src_ip, 16);
	memcpy(p + 38, dst_ip, 16);
	/* the offload's pseudo-header sum in the checksum field */
	tcpd_net_tmpl_tcp(p + 54, sport, dport, s, olen,
			  tcpd_net_ip6_phdr_sum(p + 22, p + 38, (uint16_t)tcp_len));
	if (unlikely(t->sw_cksum))
		tcpd_net_tmpl6_cksum(frame);
	return 54 + tcp_len;
}

#endif /* TCPD_NET_TMPL_H */
