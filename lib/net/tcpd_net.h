/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_NET_H
#define TCPD_NET_H

/**
 * @file
 * Parse and build Ethernet, ARP, IPv4, ICMP echo and TCP (with options).
 *
 * Parsing works on a contiguous frame (first mbuf segment) and never reads past @p len. Every
 * rejection names the counter of its reason (enum tcpd_stat), so the caller counts it.
 * Builders write complete headers with correct checksums, in software unless the caller asks for
 * offload (then the pseudo-header sum is left in the TCP checksum field, as DPDK PMDs expect).
 *
 * Byte order: addresses and ports stay in network order (they are compared and copied, never
 * computed on); sequence numbers, window and option values are in host order.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "tcpd_stats.h"

/** TCP flags (RFC 9293 header bits). */
#define TCPD_TH_FIN 0x01
#define TCPD_TH_SYN 0x02
#define TCPD_TH_RST 0x04
#define TCPD_TH_PSH 0x08
#define TCPD_TH_ACK 0x10
#define TCPD_TH_URG 0x20
#define TCPD_TH_ECE 0x40
#define TCPD_TH_CWR 0x80

/** Bits of struct tcpd_tcp_opts.present. */
#define TCPD_OPT_MSS	   0x01
#define TCPD_OPT_WSCALE	   0x02
#define TCPD_OPT_SACK_PERM 0x04
#define TCPD_OPT_TS	   0x08
#define TCPD_OPT_SACK	   0x10

#define TCPD_MAX_SACK_BLOCKS 4

/** TCP options as parsed from, or to be written into, a segment. */
struct tcpd_tcp_opts {
	uint8_t present; /**< TCPD_OPT_* bits */
	uint8_t wscale;	 /**< shift count as sent (not clamped) */
	uint16_t mss;	 /**< maximum segment size */
	uint32_t tsval;	 /**< timestamp value */
	uint32_t tsecr;	 /**< timestamp echo reply */
	uint8_t nb_sack; /**< SACK blocks parsed (TCPD_OPT_SACK) */
	struct {
		uint32_t left, right;
	} sack[TCPD_MAX_SACK_BLOCKS];
};

/** What a frame is, after parsing. */
enum tcpd_net_class {
	TCPD_NET_DROP = 0, /**< rejected; see the reason */
	TCPD_NET_ARP,	   /**< ARP request for our address */
	TCPD_NET_ICMP,	   /**< ICMP echo request to our address */
	TCPD_NET_TCP,	   /**< TCP segment to our address */
};

/** The interface a worker answers for. */
struct tcpd_iface {
	struct rte_ether_addr mac; /**< our MAC */
	uint32_t ip;		   /**< our IPv4 address, network order */
	uint16_t mtu;		   /**< IP MTU, our MSS is mtu - 40 */
	bool rx_ip_cksum_hw;	   /**< reserved: port verifies IPv4 checksums (see rx flags) */
	bool tx_ip_cksum;	   /**< port computes IPv4 header checksums */
	bool tx_tcp_cksum;	   /**< port computes TCP checksums */
};

/** A parsed frame: offsets into the frame and the fields the fast path needs. */
struct tcpd_pkt {
	uint16_t l3_off;      /**< IPv4 header offset (14) */
	uint16_t l4_off;      /**< TCP/ICMP header offset */
	uint16_t payload_off; /**< first payload byte */
	uint16_t payload_len; /**< TCP payload length (IPv4 total length minus headers) */
	uint32_t src_ip;      /**< network order */
	uint32_t dst_ip;      /**< network order */
	uint16_t src_port;    /**< network order */
	uint16_t dst_port;    /**< network order */
	uint32_t seq;	      /**< host order */
	uint32_t ack;	      /**< host order */
	uint16_t win;	      /**< host order, unscaled */
	uint8_t flags;	      /**< TCPD_TH_* */
	uint8_t ip_tos;	      /**< IPv4 TOS byte (ECN bits) */
	struct tcpd_tcp_opts opts;
};

/** Receive-side checksum status, from the mbuf's RX offload flags. */
#define TCPD_NET_IP_CKSUM_GOOD 0x1 /**< hardware verified the IPv4 header checksum */
#define TCPD_NET_L4_CKSUM_GOOD 0x2 /**< hardware verified the TCP/ICMP checksum */

/**
 * Parse one frame.
 *
 * @param frame     first byte of the Ethernet header
 * @param len       bytes available at @p frame
 * @param ifc       our addresses: frames to another unicast MAC or IP are rejected
 * @param hw_ok     TCPD_NET_*_CKSUM_GOOD bits: checksums the NIC already verified
 * @param pkt       filled on success (TCPD_NET_TCP fills every field; ARP and ICMP the offsets)
 * @param reason    set on TCPD_NET_DROP
 * @return the class of the frame
 */
enum tcpd_net_class tcpd_net_parse(const void *frame, uint32_t len, const struct tcpd_iface *ifc,
				   unsigned int hw_ok, struct tcpd_pkt *pkt,
				   enum tcpd_stat *reason);

/**
 * Parse TCP options from @p opt (@p len bytes: data offset * 4 - 20).
 * Unknown options are skipped by their length; EOL ends the list.
 * @return 0, or -1 if an option length is malformed (the segment must be dropped).
 */
int tcpd_net_parse_tcp_opts(const uint8_t *opt, unsigned int len, struct tcpd_tcp_opts *o);

/**
 * Turn an ARP request for our address (already classified TCPD_NET_ARP) into the reply, in place.
 * @return the reply's length
 */
uint32_t tcpd_net_arp_reply(void *frame, const struct tcpd_iface *ifc);

/**
 * Write a gratuitous ARP (broadcast request for our own address) into @p frame.
 * @return its length (60, padded to the Ethernet minimum)
 */
uint32_t tcpd_net_garp(void *frame, const struct tcpd_iface *ifc);

/**
 * Turn an ICMP echo request (TCPD_NET_ICMP) into the echo reply, in place: swap addresses,
 * set type 0, update the checksums incrementally.
 * @return the reply's length
 */
uint32_t tcpd_net_icmp_echo_reply(void *frame, const struct tcpd_pkt *pkt);

/** Addresses of one TCP segment to build, all in network order. */
struct tcpd_net_flow {
	struct rte_ether_addr src_mac;
	struct rte_ether_addr dst_mac;
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t src_port;
	uint16_t dst_port;
};

/** One TCP segment to build (host order). */
struct tcpd_net_seg {
	uint32_t seq;
	uint32_t ack;
	uint16_t win; /**< already scaled down: the 16-bit field as sent */
	uint8_t flags;
	uint8_t ip_tos;
	struct tcpd_tcp_opts opts; /**< present bits select MSS, WSCALE, SACK_PERM, TS, SACK */
};

/** Worst-case header length tcpd_net_build_tcp writes: 14 + 20 + 20 + 40. */
#define TCPD_NET_TCP_HDR_MAX 94

/**
 * Write Ethernet, IPv4 and TCP headers with options into @p frame, followed by the @p plen
 * payload bytes that the caller has already placed at frame + the returned header length, or
 * copies from @p payload if non-NULL.
 * Options are laid out as Linux does (MSS, SACK-permitted+TS, NOP+WS; or NOP,NOP,TS; then
 * NOP,NOP,SACK with the first opts.nb_sack blocks that fit in 40 option bytes), padded to 4 bytes.
 *
 * @return total frame length; *hdr_len (if non-NULL) gets the header length
 */
uint32_t tcpd_net_build_tcp(void *frame, const struct tcpd_net_flow *f,
			    const struct tcpd_net_seg *s, const void *payload, uint16_t plen,
			    const struct tcpd_iface *ifc, uint16_t *hdr_len);

/** Header length tcpd_net_build_tcp will use for options @p o (payload starts there). */
uint16_t tcpd_net_tcp_hdr_len(const struct tcpd_tcp_opts *o);

/** The flow that answers a parsed segment: addresses swapped, MACs from the frame. */
void tcpd_net_reply_flow(const void *frame, const struct tcpd_pkt *pkt, struct tcpd_net_flow *f);

struct rte_mbuf;

/**
 * Set the mbuf's TX offload fields (l2_len, l3_len, RTE_MBUF_F_TX_*) for a frame built by
 * tcpd_net_build_tcp when @p ifc offloads checksums; a no-op otherwise.
 */
void tcpd_net_tx_offload(struct rte_mbuf *m, const struct tcpd_iface *ifc);

#endif /* TCPD_NET_H */
