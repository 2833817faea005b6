/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_FRAME_H
#define TCPD_FRAME_H

/**
 * @file
 * The tools' one IPv4/TCP frame writer: Ethernet + IPv4 (IHL 5, DF, TTL 64) + TCP with options
 * and payload, with real checksums; and its IPv6 twin (fixed header only, hop limit 64). Used by tcpd-flood (frames for an AF_PACKET socket) and by
 * tcpd-bench's memory feed (its packet templates).
 *
 * Only DPDK's header-only pieces are used (struct layouts, rte_ipv4_cksum,
 * rte_ipv4_udptcp_cksum, rte_ipv6_udptcp_cksum), so tcpd-flood still links nothing from DPDK and runs without EAL.
 *
 * The tests keep their own independent builder on purpose: a parser must not be checked only
 * against the code that wrote its input.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

/** Largest TCP option block (RFC 9293 3.1: data offset 15 words). */
#define TCPD_FRAME_OPT_MAX 40
/** Ethernet + IPv4 + TCP headers without options. */
#define TCPD_FRAME_HDR_LEN (14 + 20 + 20)

/** TCP options, written in Linux's SYN order (net/ipv4/tcp_output.c, tcp_options_write): MSS;
 * SACK-permitted + timestamps (NOP, NOP + timestamps without SACK-permitted; NOP, NOP +
 * SACK-permitted without timestamps); NOP + window scale. Every layout is a multiple of 4. */
struct tcpd_frame_opts {
	uint16_t mss;	/**< 0: no MSS option */
	bool sack_perm; /**< SACK-permitted (RFC 2018) */
	bool ts;	/**< timestamps (RFC 7323) */
	bool ws;	/**< window scale (RFC 7323) */
	uint8_t wscale; /**< shift, with @c ws */
	uint32_t tsval; /**< with @c ts, host order */
	uint32_t tsecr; /**< with @c ts, host order */
};

/** One IPv4/TCP frame. Addresses, ports and numbers in host order. */
struct tcpd_frame {
	struct rte_ether_addr src_mac;
	struct rte_ether_addr dst_mac;
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t ip_id;
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags; /**< RTE_TCP_*_FLAG */
	uint16_t win;
	struct tcpd_frame_opts opt;
	const void *payload; /**< @c plen bytes, may be NULL when @c plen is 0 */
	uint16_t plen;
};

/** Length of the option block @p o writes (a multiple of 4, at most TCPD_FRAME_OPT_MAX). */
unsigned int tcpd_frame_opts_len(const struct tcpd_frame_opts *o);

/**
 * Write frame @p f into @p buf (at most @p cap bytes), checksums included.
 * @return the frame length, or 0 if it does not fit in @p cap
 */
size_t tcpd_frame_write(void *buf, size_t cap, const struct tcpd_frame *f);

/** Ethernet + IPv6 + TCP headers without options. */
#define TCPD_FRAME6_HDR_LEN (14 + 40 + 20)

/** One IPv6/TCP frame (no extension header). Addresses as on the wire; ports, numbers, flow
 * label and traffic class in host order. A separate type so that tcpd_frame users are not
 * touched: the same TCP fields as struct tcpd_frame, other addresses. */
struct tcpd_frame6 {
	struct rte_ether_addr src_mac;
	struct rte_ether_addr dst_mac;
	uint8_t src_ip[16];
	uint8_t dst_ip[16];
	uint32_t flow_label; /**< low 20 bits */
	uint8_t tclass;	     /**< traffic class */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags; /**< RTE_TCP_*_FLAG */
	uint16_t win;
	struct tcpd_frame_opts opt;
	const void *payload; /**< @c plen bytes, may be NULL when @c plen is 0 */
	uint16_t plen;
};

/**
 * Write IPv6 frame @p f into @p buf (at most @p cap bytes), the TCP checksum over the IPv6
 * pseudo-header included.
 * @return the frame length, or 0 if it does not fit in @p cap
 */
size_t tcpd_frame_write6(void *buf, size_t cap, const struct tcpd_frame6 *f);

#endif /* TCPD_FRAME_H */
