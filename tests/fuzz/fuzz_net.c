/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target 1: the frame parser (tcpd_net_parse, what the worker calls for every received frame)
 * and the in-place ARP and ICMP echo replies.
 *
 * Input: one byte of settings (bit 0-1: checksums already verified by the "NIC", bit 2-3: MTU,
 * bit 4: an IPv6 address 2001:2::1/64 and bit 5: a 16-address IPv6 range 2001:2::100-10f, as
 * the daemon and client mode configure them), then the frame. The frame is copied into a heap buffer of exactly its length, so that
 * AddressSanitizer catches a read (or an in-place reply) past the end. Checked: the offsets and
 * lengths of an accepted frame lie inside it and agree with its headers; an accepted TCP frame's
 * checksums were verified; every reply has correct checksums and fits the frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "tcpd_net.h"

#include "fuzz_common.h"
#include "fuzz_worker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t mtus[4] = {1500, 576, 9000, 128};

static void
check_tcp(const uint8_t *f, uint32_t len, const struct tcpd_pkt *pkt, unsigned int hw_ok)
{
	const uint8_t *ip = f + pkt->l3_off;
	const uint8_t *th = f + pkt->l4_off;
	uint32_t ihl = (uint32_t)(ip[0] & 0xf) * 4, tot = fuzz_ld16(ip + 2),
		 doff = (uint32_t)(th[12] >> 4) * 4;
	uint32_t ph;

	FUZZ_CHECK(pkt->l3_off == 14 && pkt->l4_off == 14 + ihl, "", "l3/l4 offsets");
	FUZZ_CHECK(14 + tot <= len, "", "IP total length %u past the frame (%u)", tot, len);
	FUZZ_CHECK(pkt->payload_off == pkt->l4_off + doff, "", "payload offset");
	FUZZ_CHECK((uint32_t)pkt->payload_off + pkt->payload_len == 14 + tot, "",
		   "payload end %u != IP end %u", pkt->payload_off + pkt->payload_len, 14 + tot);
	FUZZ_CHECK(ip[9] == 6 && (ip[0] >> 4) == 4, "", "not IPv4/TCP");
	FUZZ_CHECK(pkt->flags == th[13], "", "flags");
	FUZZ_CHECK(pkt->seq == fuzz_ld32(th + 4), "", "seq");
	FUZZ_CHECK(pkt->win == fuzz_ld16(th + 14), "", "window");
	FUZZ_CHECK(pkt->src_port != 0 && pkt->dst_port != 0, "", "port 0 accepted");
	if (!(hw_ok & TCPD_NET_IP_CKSUM_GOOD))
		FUZZ_CHECK(fuzz_sum16(ip, ihl, 0) == 0xffff, "", "bad IP checksum accepted");
	if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD)) {
		ph = fuzz_ld16(ip + 12) + fuzz_ld16(ip + 14) + fuzz_ld16(ip + 16) +
		     fuzz_ld16(ip + 18) + 6 + (tot - ihl);
		FUZZ_CHECK(fuzz_sum16(th, tot - ihl, ph) == 0xffff, "",
			   "bad TCP checksum accepted");
	}
	if (pkt->opts.present & TCPD_OPT_SACK)
		FUZZ_CHECK(pkt->opts.nb_sack >= 1 && pkt->opts.nb_sack <= TCPD_MAX_SACK_BLOCKS, "",
			   "nb_sack %u", pkt->opts.nb_sack);
}

/* An accepted IPv6/TCP frame: inside the frame, agreeing with its headers, to one of ours. */
static void
check_tcp6(const uint8_t *f, uint32_t len, const struct tcpd_pkt *pkt, unsigned int hw_ok,
	   const struct tcpd_iface *ifc)
{
	const uint8_t *ip = f + pkt->l3_off;
	uint32_t end = 14 + 40 + fuzz_ld16(ip + 4), tl, ph = 6, i;
	const uint8_t *th = f + pkt->l4_off;

	FUZZ_CHECK(pkt->l3_off == 14 && (ip[0] >> 4) == 6, "", "IPv6 l3 offset / version");
	FUZZ_CHECK(end <= len, "", "IPv6 payload end %u past the frame (%u)", end, len);
	FUZZ_CHECK(pkt->l4_off >= 54 && (uint32_t)pkt->l4_off + 20 <= end, "", "IPv6 l4 offset");
	FUZZ_CHECK(pkt->payload_off == pkt->l4_off + (uint32_t)(th[12] >> 4) * 4, "",
		   "IPv6 payload offset");
	FUZZ_CHECK((uint32_t)pkt->payload_off + pkt->payload_len == end, "", "IPv6 payload end");
	FUZZ_CHECK(pkt->flags == th[13] && pkt->seq == fuzz_ld32(th + 4), "", "flags/seq");
	FUZZ_CHECK(pkt->src_port != 0 && pkt->dst_port != 0, "", "IPv6: port 0 accepted");
	FUZZ_CHECK(ip[8] != 0xff, "", "IPv6: multicast source accepted");
	FUZZ_CHECK(tcpd_net_ip6_ours(ifc, ip + 24) >= 0, "", "IPv6: destination not ours");
	if (hw_ok & TCPD_NET_L4_CKSUM_GOOD)
		return;
	tl = end - pkt->l4_off;
	for (i = 0; i < 32; i += 2)
		ph += fuzz_ld16(ip + 8 + i);
	ph += (tl >> 16) + (tl & 0xffff);
	FUZZ_CHECK(fuzz_sum16(th, tl, ph) == 0xffff, "", "IPv6: bad TCP checksum accepted");
}

/* ICMPv6 echo and neighbour discovery: the in-place answers fit and stay well formed. */
static void
check_icmp6_nd(const uint8_t *f, uint32_t len, const struct tcpd_pkt *pkt, enum tcpd_net_class cls,
	       const struct tcpd_iface *ifc)
{
	uint8_t *g = calloc(1, len > TCPD_NET_ND_LEN ? len : TCPD_NET_ND_LEN);
	uint32_t rlen;

	if (g == NULL)
		return;
	memcpy(g, f, len);
	if (cls == TCPD_NET_ICMP6) {
		rlen = tcpd_net_icmp6_echo_reply(g, pkt);
		FUZZ_CHECK(rlen >= 62 && rlen <= len, "", "ICMPv6 reply of %u bytes for %u", rlen,
			   len);
		FUZZ_CHECK(g[54] == 129, "", "not an ICMPv6 echo reply");
	} else if (cls == TCPD_NET_ND_NS) {
		rlen = tcpd_net_nd_na_reply(g, pkt, ifc);
		FUZZ_CHECK(rlen == TCPD_NET_ND_LEN && g[54] == 136 && g[21] == 255, "",
			   "neighbour advertisement: %u bytes, type %u, hop limit %u", rlen, g[54],
			   g[21]);
	} else {
		const uint8_t *t = tcpd_net_nd_target(g, pkt);

		FUZZ_CHECK(t != NULL && t >= g && t + 16 <= g + len, "", "NA target outside");
	}
	free(g);
}

static void
check_icmp(uint8_t *f, uint32_t len, const struct tcpd_pkt *pkt)
{
	uint32_t rlen, ihl, tot;
	uint16_t ck;
	uint8_t *ip = f + pkt->l3_off, *icmp;

	rlen = tcpd_net_icmp_echo_reply(f, pkt);
	FUZZ_CHECK(rlen <= len, "", "ICMP reply longer (%u) than the request (%u)", rlen, len);
	ihl = (uint32_t)(ip[0] & 0xf) * 4;
	tot = fuzz_ld16(ip + 2);
	FUZZ_CHECK(14 + tot == rlen, "", "ICMP reply length");
	FUZZ_CHECK(fuzz_sum16(ip, ihl, 0) == 0xffff, "", "ICMP reply: bad IP checksum");
	icmp = ip + ihl;
	FUZZ_CHECK(icmp[0] == 0 && icmp[1] == 0, "", "not an echo reply");
	/* RFC 1624 section 3: an incremental update must not produce 0x0000 where the full
	 * computation gives 0xFFFF (an all-zero echo reply); receivers then see a bad sum. */
	ck = fuzz_ld16(icmp + 2);
	FUZZ_CHECK(ck != 0x0000 || fuzz_sum16(icmp, tot - ihl, 0) == 0xffff, "icmp-cksum0",
		   "ICMP reply checksum 0x0000 instead of 0xffff (issue 11 item 4)");
	if (ck != 0x0000)
		FUZZ_CHECK(fuzz_sum16(icmp, tot - ihl, 0) == 0xffff, "",
			   "ICMP reply: bad checksum");
}

static void
check_arp(uint8_t *f, uint32_t len, const struct tcpd_iface *ifc)
{
	uint32_t rlen = tcpd_net_arp_reply(f, ifc);

	FUZZ_CHECK(rlen >= 42, "", "ARP reply of %u bytes", rlen);
	/* The worker pads short replies to 60 bytes in the mbuf; the reply proper must fit. */
	FUZZ_CHECK(rlen <= len || rlen == 60, "", "ARP reply longer (%u) than the request (%u)",
		   rlen, len);
	FUZZ_CHECK(fuzz_ld16(f + 20) == 2, "", "not an ARP reply");
	FUZZ_CHECK(memcmp(f + 6, &ifc->mac, 6) == 0 && memcmp(f + 22, &ifc->mac, 6) == 0, "",
		   "ARP reply not from our MAC");
	FUZZ_CHECK(memcmp(f + 28, &ifc->ip, 4) == 0, "", "ARP reply not for our IP");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rte_ether_addr mac = FUZZ_OUR_MAC;
	struct tcpd_iface ifc = {.mac = mac, .ip = FUZZ_OUR_IP};
	enum tcpd_stat reason = TCPD_STAT_MAX;
	struct tcpd_pkt pkt;
	enum tcpd_net_class cls;
	unsigned int hw_ok;
	uint32_t len;
	uint8_t *f;

	if (size < 1 || size > 65536)
		return 0;
	hw_ok = data[0] & 3;
	ifc.mtu = mtus[(data[0] >> 2) & 3];
	if (data[0] & 0x30) {
		static const uint8_t a[16] = {0x20, 0x01, 0, 2, [15] = 1};
		static const uint8_t r[16] = {0x20, 0x01, 0, 2, [14] = 1};

		ifc.nb_ip6 = 1;
		memcpy(ifc.ip6[0].addr, a, 16);
		ifc.ip6[0].prefix_len = 64;
		if (data[0] & 0x20)
			tcpd_iface_set_range6(&ifc, r, 16);
	}
	len = (uint32_t)size - 1;
	/* The ARP reply of a short request is written into 60 bytes (the mbuf has the room); give
	 * the heap copy the same room after the frame only for ARP, below. */
	f = malloc(len ? len : 1);
	if (f == NULL)
		return 0;
	memcpy(f, data + 1, len);
	memset(&pkt, 0xa5, sizeof(pkt));
	cls = tcpd_net_parse(f, len, &ifc, hw_ok, &pkt, &reason);
	switch (cls) {
	case TCPD_NET_DROP:
		FUZZ_CHECK(reason < TCPD_STAT_MAX, "", "drop without a reason");
		break;
	case TCPD_NET_TCP:
		if (pkt.family == TCPD_NET_AF_INET6)
			check_tcp6(f, len, &pkt, hw_ok, &ifc);
		else
			check_tcp(f, len, &pkt, hw_ok);
		break;
	case TCPD_NET_ICMP6:
	case TCPD_NET_ND_NS:
	case TCPD_NET_ND_NA:
		check_icmp6_nd(f, len, &pkt, cls, &ifc);
		break;
	case TCPD_NET_ICMP:
		if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) && !(hw_ok & TCPD_NET_IP_CKSUM_GOOD))
			check_icmp(f, len, &pkt);
		break;
	case TCPD_NET_ICMP_MTU:
	case TCPD_NET_ICMP_HARD:
		/* The quoted segment was sent from the address the message came to. */
		if (pkt.family == TCPD_NET_AF_INET)
			FUZZ_CHECK(len >= 14 + 20 + 8 + 20 + 8 && pkt.dst_ip == ifc.ip, "",
				   "ICMP MTU message not for our address or too short");
		else
			FUZZ_CHECK(pkt.family == TCPD_NET_AF_INET6 && len >= 14 + 40 + 8 + 40 + 8,
				   "", "ICMPv6 packet too big too short");
		break;
	case TCPD_NET_ARP: {
		uint8_t *g = calloc(1, len > 60 ? len : 60);

		if (g != NULL) {
			memcpy(g, f, len);
			check_arp(g, len, &ifc);
			free(g);
		}
		break;
	}
	case TCPD_NET_ARP_REPLY:
		/* client mode: an ARP reply (opcode 2) whose target address is ours */
		FUZZ_CHECK(len >= 42 && fuzz_ld16(f + 20) == 2, "", "not an ARP reply");
		FUZZ_CHECK(memcmp(f + 38, &ifc.ip, 4) == 0, "", "ARP reply not to our IP");
		break;
	default:
		FUZZ_CHECK(0, "", "class %d", (int)cls);
	}
	free(f);
	return 0;
}
