/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_NET_TMPL_H
#define TCPD_NET_TMPL_H

/**
 * @file
 * Segment templates: the IPv4 segments of a connection written straight from its addresses,
 * inline, for the fast path (lib/tcp's output). tcpd_net_build_tcp takes a flow and a segment
 * filled for it and works for any segment; every segment of a connection costed that and a
 * call, although most of the headers never change: the Ethernet source and type and the IPv4
 * header's constant fields come from a template built once per lcore, the connection's
 * addresses and ports are patched in from its table key, and only sequence, acknowledgment,
 * window, flags, timestamps, lengths and checksums are computed per segment. The bytes are
 * exactly tcpd_net_build_tcp's (checked by the unit tests).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

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
 * Write the Ethernet, IPv4 and TCP headers of segment @p s of a connection into @p frame, the
 * @p plen payload bytes being already at frame + the returned header length: the same bytes as
 * tcpd_net_build_tcp with the flow {ifc's MAC, @p dst_mac, @p src_ip, @p dst_ip, @p sport,
 * @p dport} and no payload to copy. The addresses and ports are in network order.
 * @return the frame's length
 */
static inline uint32_t
tcpd_net_tmpl4_build(void *frame, const struct tcpd_net_tmpl4 *t, const struct tcpd_iface *ifc,
		     const struct rte_ether_addr *dst_mac, rte_be32_t src_ip, rte_be32_t dst_ip,
		     rte_be16_t sport, rte_be16_t dport, const struct tcpd_net_seg *s,
		     uint16_t plen)
{
	uint8_t *p = frame;
	unsigned int olen = 0;
	uint32_t tcp_len, w;
	uint64_t w0, w1, sum;

	RTE_BUILD_BUG_ON(RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN);
	memcpy(p, dst_mac, RTE_ETHER_ADDR_LEN);
	memcpy(p + 6, &t->eth_src_type, 8);
	if (likely(s->opts.present == TCPD_OPT_TS)) {
		/* NOP, NOP, TS: the layout of every segment of a connection with timestamps */
		w = RTE_BE32(0x0101080a);
		memcpy(p + 54, &w, 4);
		w = rte_cpu_to_be_32(s->opts.tsval);
		memcpy(p + 58, &w, 4);
		w = rte_cpu_to_be_32(s->opts.tsecr);
		memcpy(p + 62, &w, 4);
		olen = 12;
	} else if (s->opts.present == TCPD_NET_TMPL4_SYN_OPTS) {
		/* MSS, SACK-permitted + TS, NOP + WS: the SYN-ACK to a Linux SYN */
		w = rte_cpu_to_be_32(0x02040000u | s->opts.mss);
		memcpy(p + 54, &w, 4);
		w = RTE_BE32(0x0402080a);
		memcpy(p + 58, &w, 4);
		w = rte_cpu_to_be_32(s->opts.tsval);
		memcpy(p + 62, &w, 4);
		w = rte_cpu_to_be_32(s->opts.tsecr);
		memcpy(p + 66, &w, 4);
		w = rte_cpu_to_be_32(0x01030300u | s->opts.wscale);
		memcpy(p + 70, &w, 4);
		olen = 20;
	} else if (s->opts.present != 0) {
		olen = tcpd_net_tcp_opts_write(p + 54, &s->opts);
	}
	tcp_len = 20 + olen + plen;
	/* IPv4 (as tcpd_net_build_tcp): version/IHL, TOS, length | ID 0, DF | TTL 64, TCP,
	 * checksum 0 | source | destination */
	w0 = 0x45u | (uint32_t)s->ip_tos << 8 |
	     (uint32_t)rte_cpu_to_be_16((uint16_t)(20 + tcp_len)) << 16 | (uint64_t)0x40 << 48;
	w1 = 64 | 6 << 8 | (uint64_t)src_ip << 32;
	memcpy(p + 14, &w0, 8);
	memcpy(p + 22, &w1, 8);
	memcpy(p + 30, &dst_ip, 4);
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
	/* The offload's pseudo-header sum (RFC 9293 3.1, not complemented), byte-order
	 * independent: the addresses as stored, the length swapped. */
	sum = (uint64_t)src_ip + dst_ip + (6 << 8) + ((uint32_t)rte_cpu_to_be_16(tcp_len) << 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	w = (uint16_t)((sum & 0xffff) + (sum >> 16));
	memcpy(p + 50, &w, 4);
	if (unlikely(t->sw_cksum))
		tcpd_net_tmpl4_cksum(frame, ifc);
	return 34 + tcp_len;
}

#endif /* TCPD_NET_TMPL_H */
