/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_NET_H
#define TCPD_NET_H

/**
 * @file
 * Parse and build Ethernet, ARP, IPv4, ICMP echo and TCP (with options); IPv6 (RFC 8200),
 * ICMPv6 echo (RFC 4443) and neighbour discovery (RFC 4861) when the interface has an IPv6
 * address.
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
#include <string.h>

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
	TCPD_NET_DROP = 0,  /**< rejected; see the reason */
	TCPD_NET_ARP,	    /**< ARP request for our address */
	TCPD_NET_ICMP,	    /**< ICMP echo request to our address */
	TCPD_NET_TCP,	    /**< TCP segment to our address (pkt->family says which IP) */
	TCPD_NET_ARP_REPLY, /**< ARP reply to our address (src_ip: the sender; client mode) */
	TCPD_NET_ICMP6,	    /**< ICMPv6 echo request to one of our IPv6 addresses */
	TCPD_NET_ND_NS,	    /**< neighbour solicitation for one of our IPv6 addresses */
	TCPD_NET_ND_NA,	    /**< neighbour advertisement with a target link-layer address */
	/** ICMP fragmentation needed (RFC 1191) or ICMPv6 packet too big (RFC 8201) quoting one
	 *  of our TCP segments: the pkt reads as a segment from the peer (src_ip or src_ip6 and
	 *  src_port the quoted destination, dst_* ours), seq the quoted SEG.SEQ, win the MTU
	 *  (host order, at most 65535; 0 from an IPv4 router older than RFC 1191). */
	TCPD_NET_ICMP_MTU,
	/** ICMP(v6) hard error quoting one of our TCP segments: protocol or port unreachable,
	 *  administratively prohibited (RFC 1122 4.2.3.9, RFC 4443 3.1); pkt as for
	 *  TCPD_NET_ICMP_MTU, win 0. */
	TCPD_NET_ICMP_HARD,
};

/** Address family of a parsed packet (struct tcpd_pkt.family); IPv4 is 0. */
#define TCPD_NET_AF_INET  0
#define TCPD_NET_AF_INET6 1

/** How many IPv6 addresses an interface may have. */
#define TCPD_NET_MAX_IP6 4

/**
 * Most addresses in an IPv6 source range (client mode's --src-ip ADDR6-ADDR6), as many as the
 * tuple chooser takes (TCPD_TUPLE_MAX_IPS). Range addresses have the indexes
 * TCPD_NET_MAX_IP6 + offset, after the configured ones.
 */
#define TCPD_NET_IP6_RANGE_MAX 65536

/** One IPv6 address of the interface, with its prefix length (on-link prefix). */
struct tcpd_ip6_addr {
	uint8_t addr[16];   /**< network order */
	uint8_t prefix_len; /**< 0..128 */
};

/** The interface a worker answers for. */
struct tcpd_iface {
	struct rte_ether_addr mac; /**< our MAC */
	uint32_t ip;		   /**< our IPv4 address, network order */
	uint16_t mtu;		   /**< IP MTU, our MSS is mtu - 40 */
	bool rx_ip_cksum_hw;	   /**< reserved: port verifies IPv4 checksums (see rx flags) */
	bool tx_ip_cksum;	   /**< port computes IPv4 header checksums */
	bool tx_tcp_cksum;	   /**< port computes TCP checksums */
	/**
	 * IPv6 addresses (zero-initialised: none). With nb_ip6 == 0, IPv6 frames are dropped as
	 * drop_ethertype, exactly as before IPv6 existed; with one or more, IPv6 TCP, ICMPv6 echo
	 * and neighbour discovery for them are parsed. The IPv4 fields above keep their offsets.
	 */
	uint8_t nb_ip6;
	struct tcpd_ip6_addr ip6[TCPD_NET_MAX_IP6];
	/** More IPv4 addresses of ours, host order, inclusive (client mode's --src-ip); 0: none. */
	uint32_t extra_ip_first;
	uint32_t extra_ip_last;
	/**
	 * More IPv6 addresses of ours (client mode's --src-ip as an IPv6 range): ip6_range_n
	 * addresses from ip6_range, all sharing its first 96 bits (ip6_range_lo: its last 32
	 * bits, host order), so that an address's offset is one subtraction. Index of offset o:
	 * TCPD_NET_MAX_IP6 + o. ip6_range_n == 0: none (zero-initialised callers unchanged).
	 */
	uint8_t ip6_range[16];
	uint32_t ip6_range_lo;
	uint32_t ip6_range_n;
};

/**
 * Give @p ifc the IPv6 range of @p n addresses from @p first (client mode's --src-ip; all
 * within first's last 32 bits, at most TCPD_NET_IP6_RANGE_MAX); n == 0: none.
 */
static inline void
tcpd_iface_set_range6(struct tcpd_iface *ifc, const uint8_t first[16], uint32_t n)
{
	uint32_t lo;

	memcpy(ifc->ip6_range, first, 16);
	memcpy(&lo, first + 12, 4);
	ifc->ip6_range_lo = rte_be_to_cpu_32(lo);
	ifc->ip6_range_n = n;
}

/** Whether @p ip (network order) is one of our addresses. */
static inline int
tcpd_net_ip_ours(const struct tcpd_iface *ifc, uint32_t ip)
{
	uint32_t h;

	if (likely(ip == ifc->ip))
		return 1;
	if (ifc->extra_ip_first == 0)
		return 0;
	h = rte_be_to_cpu_32(ip);
	return h >= ifc->extra_ip_first && h <= ifc->extra_ip_last;
}

/**
 * A parsed frame: offsets into the frame and the fields the fast path needs.
 *
 * IPv6 layout choice: the IPv4 fields keep the offsets they had (the first 80 bytes, all the
 * IPv4 fast path reads and writes); the family and the IPv6 fields follow them.
 * Parsing IPv4 writes one more byte (family = TCPD_NET_AF_INET, 0), never the IPv6 tail. For
 * IPv6, src_ip and dst_ip are 0 and the addresses are in src_ip6/dst_ip6, copied out of the
 * frame so that a reply built in place cannot change them under the caller. Offsets (l3_off,
 * l4_off, payload_off) are valid for both families; for IPv6, l4_off is past any extension
 * headers. A struct tcpd_pkt grows from 80 to 120 bytes.
 */
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
	uint8_t ip_tos;	      /**< IPv4 TOS byte, IPv6 traffic class (ECN in the low bits) */
	struct tcpd_tcp_opts opts;
	/* Written for every parsed frame: */
	uint8_t family; /**< TCPD_NET_AF_INET or TCPD_NET_AF_INET6 */
	/* IPv6 only (unwritten for IPv4): */
	uint8_t hop_limit;   /**< IPv6 hop limit as received */
	uint8_t ip6_idx;     /**< index in ifc->ip6 of our address (dst, or ND target);
			      *   TCPD_NET_MAX_IP6: an address of ifc's range (see
			      *   tcpd_net_ip6_local_idx) */
	uint8_t ip6_ext;     /**< extension headers walked (0: TCP/ICMPv6 follows at 40) */
	uint32_t flow_label; /**< IPv6 flow label, host order (20 bits) */
	uint8_t src_ip6[16]; /**< IPv6 source, network order */
	uint8_t dst_ip6[16]; /**< IPv6 destination, network order */
};

/** Receive-side checksum status, from the mbuf's RX offload flags. */
#define TCPD_NET_IP_CKSUM_GOOD 0x1 /**< hardware verified the IPv4 header checksum */
#define TCPD_NET_L4_CKSUM_GOOD 0x2 /**< hardware verified the TCP/ICMP checksum */

/** Most extension headers tcpd_net_parse walks in one IPv6 packet; more: drop_ip6_ext_chain. */
#define TCPD_NET_IP6_MAX_EXT 8

/**
 * Parse one frame.
 *
 * @param frame     first byte of the Ethernet header
 * @param len       bytes available at @p frame
 * IPv6 (only when ifc->nb_ip6 > 0): the fixed header, the extension header chain (hop-by-hop
 * first only, destination options, routing with no segment left; their options as RFC 8200
 * 4.2 says; at most TCPD_NET_IP6_MAX_EXT headers, none past the payload), then TCP, ICMPv6
 * echo or ND. Fragments, ESP, AH, no-next-header and other protocols are counted drops.
 * Multicast is accepted only for ND, to our solicited-node groups or all-nodes, on the
 * matching 33:33:xx:xx:xx:xx MAC.
 *
 * @param ifc       our addresses: frames to another unicast MAC or IP are rejected
 * @param hw_ok     TCPD_NET_*_CKSUM_GOOD bits: checksums the NIC already verified
 * @param pkt       filled on success: TCPD_NET_TCP every field (the IPv6 tail for IPv6 only);
 *                  ARP and ICMP the offsets and family; ICMP6, ND_NS and ND_NA the offsets
 *                  (payload: the echo data, the ND options) and the IPv6 fields
 * @param reason    set on TCPD_NET_DROP
 * @return the class of the frame
 */
enum tcpd_net_class tcpd_net_parse(const void *frame, uint32_t len, const struct tcpd_iface *ifc,
				   unsigned int hw_ok, struct tcpd_pkt *pkt,
				   enum tcpd_stat *reason);

/**
 * Whether @p frame (@p len bytes) is a connection request: an untagged, unfragmented IPv4 or
 * IPv6 (TCP the first next header) segment with SYN and neither ACK nor RST. Fixed offsets, no
 * address, length or checksum check: it only lets an overloaded worker drop SYNs for less than
 * tcpd_net_parse costs (lib/worker's backlog shedding); a frame it does not recognise, SYN or
 * not, goes through tcpd_net_parse.
 */
static inline bool
tcpd_net_peek_syn(const uint8_t *frame, uint32_t len)
{
	uint32_t l4;

	if (unlikely(len < RTE_ETHER_HDR_LEN + 40))
		return false;
	if (frame[12] == 0x08 && frame[13] == 0x00) {
		/* IPv4: protocol TCP, no MF flag and offset 0 (a later fragment's bytes are data) */
		if (frame[23] != 6 || ((frame[20] & 0x3f) | frame[21]) != 0)
			return false;
		l4 = RTE_ETHER_HDR_LEN + (frame[14] & 0x0f) * 4u;
	} else if (frame[12] == 0x86 && frame[13] == 0xdd && frame[20] == 6) {
		l4 = RTE_ETHER_HDR_LEN + 40;
	} else {
		return false;
	}
	return len >= l4 + 20 &&
	       (frame[l4 + 13] & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST)) == TCPD_TH_SYN;
}

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

/** The sender hardware address of an ARP frame (classified TCPD_NET_ARP or TCPD_NET_ARP_REPLY). */
const struct rte_ether_addr *tcpd_net_arp_sender_mac(const void *frame);

/**
 * Write an ARP request (broadcast) from our address for @p tip (network order) into @p frame.
 * @return its length (60, padded to the Ethernet minimum)
 */
uint32_t tcpd_net_arp_request(void *frame, const struct tcpd_iface *ifc, uint32_t tip);

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

/**
 * The same for a frame built by tcpd_net_build_tcp6: with ifc->tx_tcp_cksum, l2_len 14,
 * l3_len 40, RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM (IPv6 has no header checksum);
 * a no-op otherwise.
 */
void tcpd_net_tx_offload6(struct rte_mbuf *m, const struct tcpd_iface *ifc);

/* ---------------------------------------------------------------------------------------- */
/* IPv6 (net_ipv6.c), ICMPv6 (net_icmp6.c), neighbour discovery (net_nd.c).                   */

/** IPv6 + TCP header bytes: MSS = MTU - 60 for IPv6 (RFC 8200 fixed header + TCP). */
#define TCPD_NET_IP6_TCP_OVERHEAD 60

/** Worst-case header length tcpd_net_build_tcp6 writes: 14 + 40 + 20 + 40. */
#define TCPD_NET_TCP6_HDR_MAX 114

/** Frame length of every ND message built here (NS or NA with one link-layer option). */
#define TCPD_NET_ND_LEN 86

/** Addresses of one IPv6 TCP segment to build, all in network order (flow label host order). */
struct tcpd_net_flow6 {
	struct rte_ether_addr src_mac;
	struct rte_ether_addr dst_mac;
	uint8_t src_ip[16];
	uint8_t dst_ip[16];
	uint16_t src_port;
	uint16_t dst_port;
	uint32_t flow_label; /**< low 20 bits used */
};

/** Header length tcpd_net_build_tcp6 will use for options @p o (payload starts there). */
uint16_t tcpd_net_tcp6_hdr_len(const struct tcpd_tcp_opts *o);

/**
 * tcpd_net_build_tcp for IPv6: Ethernet, IPv6 (traffic class from s->ip_tos, the flow label,
 * hop limit 64, no extension header) and TCP with the same option layout. The TCP checksum
 * covers the IPv6 pseudo-header (RFC 8200 8.1); with ifc->tx_tcp_cksum the pseudo-header sum
 * is left for the PMD.
 * @return total frame length; *hdr_len (if non-NULL) gets the header length
 */
uint32_t tcpd_net_build_tcp6(void *frame, const struct tcpd_net_flow6 *f,
			     const struct tcpd_net_seg *s, const void *payload, uint16_t plen,
			     const struct tcpd_iface *ifc, uint16_t *hdr_len);

/**
 * The flow that answers a parsed IPv6 segment (pkt->family == TCPD_NET_AF_INET6): MACs from
 * the frame, addresses and ports swapped, the peer's flow label reflected.
 */
void tcpd_net_reply_flow6(const void *frame, const struct tcpd_pkt *pkt, struct tcpd_net_flow6 *f);

/**
 * Turn an ICMPv6 echo request (TCPD_NET_ICMP6) into the echo reply, in place: MACs and
 * addresses swapped, hop limit 64, type 129, extension headers removed, checksum updated.
 * @return the reply's length
 */
uint32_t tcpd_net_icmp6_echo_reply(void *frame, const struct tcpd_pkt *pkt);

/**
 * Answer a neighbour solicitation (TCPD_NET_ND_NS) with a neighbour advertisement written
 * over @p frame: to the solicitation's source (Solicited and Override set), or to all-nodes
 * ff02::1 (Override only) for a duplicate address detection probe from ::; from the target
 * address, hop limit 255, with our MAC as the target link-layer option (RFC 4861 7.2.4).
 * @p frame must have room for TCPD_NET_ND_LEN bytes (a DAD probe is only 78): any mbuf has.
 * @return TCPD_NET_ND_LEN
 */
uint32_t tcpd_net_nd_na_reply(void *frame, const struct tcpd_pkt *pkt,
			      const struct tcpd_iface *ifc);

/**
 * Write an unsolicited neighbour advertisement for ifc->ip6[@p idx] into @p frame: to
 * all-nodes ff02::1 (33:33:00:00:00:01), Override set, Solicited clear (RFC 4861 7.2.6), for
 * start-up and address changes.
 * @return TCPD_NET_ND_LEN
 */
uint32_t tcpd_net_nd_unsolicited_na(void *frame, const struct tcpd_iface *ifc, unsigned int idx);

/**
 * Write a neighbour solicitation for @p target into @p frame, from ifc->ip6[@p idx], to the
 * target's solicited-node multicast address and MAC, with our MAC as the source link-layer
 * option (RFC 4861 7.2.2): how client mode resolves its next hop.
 * @return TCPD_NET_ND_LEN
 */
uint32_t tcpd_net_nd_ns(void *frame, const struct tcpd_iface *ifc, unsigned int idx,
			const uint8_t target[16]);

/** The target address of a parsed NS or NA (TCPD_NET_ND_NS/NA), inside @p frame. */
const uint8_t *tcpd_net_nd_target(const void *frame, const struct tcpd_pkt *pkt);

/**
 * The link-layer address a parsed ND message carries: the source link-layer option of an NS,
 * the target link-layer option of an NA (always there: an NA without one is dropped).
 * @return 0 and *mac set, or -1 if the message has none
 */
int tcpd_net_nd_lla(const void *frame, const struct tcpd_pkt *pkt, struct rte_ether_addr *mac);

/** Flags of a parsed NA (RFC 4861 4.4): TCPD_NET_NA_ROUTER, _SOLICITED, _OVERRIDE bits. */
#define TCPD_NET_NA_ROUTER    0x80
#define TCPD_NET_NA_SOLICITED 0x40
#define TCPD_NET_NA_OVERRIDE  0x20
uint8_t tcpd_net_nd_na_flags(const void *frame, const struct tcpd_pkt *pkt);

/**
 * Index of @p addr among our addresses: in ifc->ip6 (0 to TCPD_NET_MAX_IP6 - 1), or
 * TCPD_NET_MAX_IP6 + its offset in ifc's range; -1 if it is not one of ours.
 */
int tcpd_net_ip6_ours(const struct tcpd_iface *ifc, const uint8_t addr[16]);

/**
 * Index (as tcpd_net_ip6_ours) of the destination of a parsed IPv6 TCP segment: pkt->ip6_idx,
 * or for a range address its offset from the range's base (the parser checked the bounds).
 */
static inline uint32_t
tcpd_net_ip6_local_idx(const struct tcpd_iface *ifc, const struct tcpd_pkt *pkt)
{
	uint32_t lo;

	if (likely(pkt->ip6_idx < TCPD_NET_MAX_IP6))
		return pkt->ip6_idx;
	memcpy(&lo, pkt->dst_ip6 + 12, 4);
	return TCPD_NET_MAX_IP6 + (rte_be_to_cpu_32(lo) - ifc->ip6_range_lo);
}

/** Our IPv6 address of index @p idx (as tcpd_net_ip6_ours returns it) into @p out. */
static inline void
tcpd_net_ip6_local_addr(const struct tcpd_iface *ifc, uint32_t idx, uint8_t out[16])
{
	uint32_t lo;

	if (likely(idx < TCPD_NET_MAX_IP6)) {
		memcpy(out, ifc->ip6[idx].addr, 16);
		return;
	}
	memcpy(out, ifc->ip6_range, 12);
	lo = rte_cpu_to_be_32(ifc->ip6_range_lo + (idx - TCPD_NET_MAX_IP6));
	memcpy(out + 12, &lo, 4);
}

/** Whether @p idx (as tcpd_net_ip6_ours returns it) is one of ifc's IPv6 addresses. */
static inline bool
tcpd_net_ip6_idx_valid(const struct tcpd_iface *ifc, uint32_t idx)
{
	return idx < ifc->nb_ip6 ||
	       (idx >= TCPD_NET_MAX_IP6 && idx - TCPD_NET_MAX_IP6 < ifc->ip6_range_n);
}

/** Solicited-node multicast address of @p addr (ff02::1:ffXX:XXXX, RFC 4291 2.7.1). */
void tcpd_net_ip6_solicited_node(const uint8_t addr[16], uint8_t out[16]);

/** Ethernet address of IPv6 multicast @p group (33:33 + its last 32 bits, RFC 2464 7). */
void tcpd_net_ip6_mcast_mac(const uint8_t group[16], struct rte_ether_addr *mac);

/** @p a and @p b share their first @p prefix_len bits (on-link check for the next hop). */
bool tcpd_net_ip6_same_prefix(const uint8_t a[16], const uint8_t b[16], unsigned int prefix_len);

#endif /* TCPD_NET_H */
