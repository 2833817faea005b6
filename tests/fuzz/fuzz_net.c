/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target 1: the frame parser (tcpd_net_parse, what the worker calls for every received frame)
 * and the in-place ARP and ICMP echo replies.
 *
 * Input: one byte of settings (bit 0-1: checksums already verified by the "NIC", bit 2-3: MTU),
 * then the frame. The frame is copied into a heap buffer of exactly its length, so that
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
	FUZZ_CHECK(!((pkt->flags & TCPD_TH_SYN) && (pkt->flags & (TCPD_TH_FIN | TCPD_TH_RST))), "",
		   "SYN with FIN or RST accepted");
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
		check_tcp(f, len, &pkt, hw_ok);
		break;
	case TCPD_NET_ICMP:
		if (!(hw_ok & TCPD_NET_L4_CKSUM_GOOD) && !(hw_ok & TCPD_NET_IP_CKSUM_GOOD))
			check_icmp(f, len, &pkt);
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
