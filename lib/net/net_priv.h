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

#define NET_ETH_LEN  ((uint32_t)sizeof(struct rte_ether_hdr)) /* 14 */
#define NET_ARP_LEN  ((uint32_t)sizeof(struct rte_arp_hdr))   /* 28 */
#define NET_IP4_LEN  ((uint32_t)sizeof(struct rte_ipv4_hdr))  /* 20 */
#define NET_TCP_LEN  ((uint32_t)sizeof(struct rte_tcp_hdr))   /* 20 */
#define NET_ICMP_LEN 8u					      /* echo header */
#define NET_TTL	     64 /* Linux's default TTL (net.ipv4.ip_default_ttl) */

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

/* The rare classes, kept out of line so the TCP path stays small (net_arp.c, net_icmp.c). */
enum tcpd_net_class net_parse_arp(const uint8_t *frame, uint32_t len, const struct tcpd_iface *ifc,
				  struct tcpd_pkt *pkt, enum tcpd_stat *reason);
enum tcpd_net_class net_parse_icmp(const uint8_t *frame, uint32_t ihl, uint32_t tot_len,
				   unsigned int hw_ok, struct tcpd_pkt *pkt,
				   enum tcpd_stat *reason);

#endif /* TCPD_NET_PRIV_H */
