/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net IPv6 unit tests: the IPv6 parser (fixed header, extension header chains, TCP over
 * IPv6), the IPv6 TCP builder, ICMPv6 echo and neighbour discovery.
 *
 * As in test_net.c: frames come from the small builder below (not from lib/net), checksums are
 * checked with a byte-at-a-time reference sum over the IPv6 pseudo-header written here, and
 * every parse runs on a heap copy of exactly the frame's length, so AddressSanitizer catches
 * any read past the end. The ND and ICMPv6 golden frames were generated with scapy 2.5.0 and
 * pasted (the script is in the comment before them). Addresses: 2001:2::/48 (RFC 5180).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_mbuf.h>

#include "frame.h"
#include "tcpd_net.h"
#include "tcpd_net_tmpl.h"

#include "tcp_fixture.h"

/* ---------------------------------------------------------------------------------------- */
/* Reference checksum, independent of DPDK's and lib/net's.                                  */

static uint32_t
ref_sum(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
ref_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* RFC 8200 8.1 pseudo-header: source, destination, 32-bit upper-layer length, 3 zero bytes
 * and the next header; @p ip is the IPv6 fixed header. */
static uint32_t
ref_phdr6_sum(const uint8_t *ip, uint8_t nh, uint32_t l4_len)
{
	uint32_t s = ref_sum(ip + 8, 32, 0);

	return s + (l4_len >> 16) + (l4_len & 0xffff) + nh;
}

/* The upper-layer checksum of the message at @p l4 (l4_len bytes) is valid. */
static bool
l4_cksum_ok(const uint8_t *ip, const uint8_t *l4, uint32_t l4_len, uint8_t nh)
{
	return ref_fold(ref_sum(l4, l4_len, ref_phdr6_sum(ip, nh, l4_len))) == 0xffff;
}

/* ---------------------------------------------------------------------------------------- */
/* Test addresses: 2001:2::/48 (RFC 5180).                                                    */

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t our_ip6[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
static const uint8_t our_ip6b[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0x01,
				     0,	   0,	 0, 0,	  0, 0, 0, 0x01}; /* 2001:2:0:1::1 */
static const uint8_t peer_ip6[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02};
static const uint8_t sn_ours[16] = {0xff, 0x02, 0, 0, 0,    0, 0, 0,
				    0,	  0,	0, 1, 0xff, 0, 0, 0x01}; /* ff02::1:ff00:1 */
static const uint8_t all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

static struct tcpd_iface ifc;

/* ---------------------------------------------------------------------------------------- */
/* Frame builder.                                                                             */

#define MAX_EXT 16

struct fb6 {
	uint8_t dmac[6], smac[6];
	uint16_t etype;
	uint8_t ver, tc, hop;
	uint32_t flow;
	int plen; /* -1: computed */
	uint8_t src[16], dst[16];
	/* extension headers, in order: each one's next header byte is chained by fb6_build
	 * unless keep_nh (then data[0] is written as is) */
	struct {
		uint8_t type;
		uint8_t data[256];
		unsigned int len;
	} ext[MAX_EXT];
	unsigned int n_ext;
	bool keep_nh;
	uint8_t proto; /* upper layer: 6, 58, or anything (raw payload) */
	/* TCP */
	uint16_t sport, dport;
	uint32_t seq, ack;
	int doff; /* -1: computed */
	uint8_t flags;
	uint16_t win;
	uint8_t topt[40];
	unsigned int topt_len;
	/* ICMPv6: type, code, then the body after the checksum */
	uint8_t itype, icode;
	uint8_t ibody[256];
	unsigned int ibody_len;
	bool bad_l4_cksum;
	int cksum_len; /* >= 0: upper-layer length used for the checksum (to test it is not the
			  payload length) */
	/* payload and Ethernet padding */
	uint8_t pl[1500];
	unsigned int pl_len;
	unsigned int pad;
};

static void
fb6_tcp(struct fb6 *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->dmac, our_mac, 6);
	memcpy(b->smac, peer_mac, 6);
	b->etype = 0x86dd;
	b->ver = 6;
	b->tc = 0;
	b->hop = 64;
	b->flow = 0x54321;
	b->plen = -1;
	memcpy(b->src, peer_ip6, 16);
	memcpy(b->dst, our_ip6, 16);
	b->proto = 6;
	b->sport = 40000;
	b->dport = 80;
	b->seq = 0xdeadbeef;
	b->doff = -1;
	b->flags = TCPD_TH_SYN;
	b->win = 64800;
	b->cksum_len = -1;
}

static void
fb6_echo(struct fb6 *b)
{
	fb6_tcp(b);
	b->proto = 58;
	b->itype = 128;
	b->icode = 0;
	tfx_put16(b->ibody, 0x1234);
	tfx_put16(b->ibody + 2, 1);
	b->ibody_len = 4;
}

/* An NS for @p target from the peer, unicast to our address, with a source link-layer option. */
static void
fb6_ns(struct fb6 *b, const uint8_t *target)
{
	fb6_tcp(b);
	b->proto = 58;
	b->hop = 255;
	b->itype = 135;
	memset(b->ibody, 0, 4);
	memcpy(b->ibody + 4, target, 16);
	b->ibody[20] = 1;
	b->ibody[21] = 1;
	memcpy(b->ibody + 22, peer_mac, 6);
	b->ibody_len = 28;
}

/* A solicited NA for the peer's address, to us, with a target link-layer option. */
static void
fb6_na(struct fb6 *b)
{
	fb6_tcp(b);
	b->proto = 58;
	b->hop = 255;
	b->itype = 136;
	memset(b->ibody, 0, 4);
	b->ibody[0] = 0x60; /* S, O */
	memcpy(b->ibody + 4, peer_ip6, 16);
	b->ibody[20] = 2;
	b->ibody[21] = 1;
	memcpy(b->ibody + 22, peer_mac, 6);
	b->ibody_len = 28;
}

/* Append an extension header of @p len bytes (a multiple of 8 unless testing), its length
 * byte set from @p len, body from @p body (NULL: zeros, i.e. Pad1 options). */
static void
fb6_ext(struct fb6 *b, uint8_t type, unsigned int len, const uint8_t *body, unsigned int blen)
{
	unsigned int i = b->n_ext++;

	assert_true(i < MAX_EXT && len <= 256 && len >= 2);
	b->ext[i].type = type;
	b->ext[i].len = len;
	memset(b->ext[i].data, 0, sizeof(b->ext[i].data));
	b->ext[i].data[1] = (uint8_t)(len / 8 - 1);
	if (body != NULL)
		memcpy(b->ext[i].data + 2, body, blen);
}

/* A destination options header of 8 bytes: PadN over its 6 option bytes. */
static void
fb6_dopt(struct fb6 *b, uint8_t type)
{
	static const uint8_t padn[6] = {1, 4, 0, 0, 0, 0};

	fb6_ext(b, type, 8, padn, 6);
}

static void
fb6_topts(struct fb6 *b, const uint8_t *o, unsigned int n)
{
	memcpy(b->topt, o, n);
	b->topt_len = n;
}

static void
fb6_payload(struct fb6 *b, unsigned int n, uint8_t seed)
{
	for (unsigned int i = 0; i < n; i++)
		b->pl[i] = (uint8_t)(seed + i * 7);
	b->pl_len = n;
}

/* Write the frame into @p out (at least 2048 bytes); returns its length. */
static size_t
fb6_build(const struct fb6 *b, uint8_t *out)
{
	uint8_t *ip = out + 14, *l4;
	unsigned int ext_len = 0, l4_len, i;
	uint8_t first = b->n_ext ? b->ext[0].type : b->proto;
	size_t n;

	memcpy(out, b->dmac, 6);
	memcpy(out + 6, b->smac, 6);
	tfx_put16(out + 12, b->etype);
	for (i = 0; i < b->n_ext; i++) {
		memcpy(ip + 40 + ext_len, b->ext[i].data, b->ext[i].len);
		if (!b->keep_nh)
			ip[40 + ext_len] = i + 1 < b->n_ext ? b->ext[i + 1].type : b->proto;
		ext_len += b->ext[i].len;
	}
	l4 = ip + 40 + ext_len;
	if (b->proto == 6) {
		unsigned int hl = 20 + b->topt_len;

		tfx_put16(l4, b->sport);
		tfx_put16(l4 + 2, b->dport);
		tfx_put32(l4 + 4, b->seq);
		tfx_put32(l4 + 8, b->ack);
		l4[12] = (uint8_t)((b->doff >= 0 ? (unsigned int)b->doff : hl / 4) << 4);
		l4[13] = b->flags;
		tfx_put16(l4 + 14, b->win);
		tfx_put16(l4 + 16, 0);
		tfx_put16(l4 + 18, 0);
		memcpy(l4 + 20, b->topt, b->topt_len);
		memcpy(l4 + hl, b->pl, b->pl_len);
		l4_len = hl + b->pl_len;
	} else if (b->proto == 58) {
		l4[0] = b->itype;
		l4[1] = b->icode;
		tfx_put16(l4 + 2, 0);
		memcpy(l4 + 4, b->ibody, b->ibody_len);
		memcpy(l4 + 4 + b->ibody_len, b->pl, b->pl_len);
		l4_len = 4 + b->ibody_len + b->pl_len;
	} else {
		memcpy(l4, b->pl, b->pl_len);
		l4_len = b->pl_len;
	}
	tfx_put32(ip, (uint32_t)b->ver << 28 | (uint32_t)b->tc << 20 | (b->flow & 0xfffff));
	tfx_put16(ip + 4, (uint16_t)(b->plen >= 0 ? (unsigned int)b->plen : ext_len + l4_len));
	ip[6] = first;
	ip[7] = b->hop;
	memcpy(ip + 8, b->src, 16);
	memcpy(ip + 24, b->dst, 16);
	if (b->proto == 6 || b->proto == 58) {
		unsigned int cl = b->cksum_len >= 0 ? (unsigned int)b->cksum_len : l4_len;
		uint8_t *cf = l4 + (b->proto == 6 ? 16 : 2);
		uint32_t s = ref_sum(l4, l4_len, ref_phdr6_sum(ip, b->proto, cl));

		tfx_put16(cf, (uint16_t)(~ref_fold(s) ^ (b->bad_l4_cksum ? 0x0001 : 0)));
	}
	n = 14 + 40 + ext_len + l4_len;
	memset(out + n, 0, b->pad);
	return n + b->pad;
}

/* ---------------------------------------------------------------------------------------- */
/* Parse helpers: each parse sees a heap buffer of exactly @p len bytes.                      */

static enum tcpd_net_class
parse_exact_if(const uint8_t *buf, size_t len, const struct tcpd_iface *i, unsigned int hw_ok,
	       struct tcpd_pkt *pkt, enum tcpd_stat *reason)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum tcpd_net_class c;

	assert_non_null(copy);
	memcpy(copy, buf, len);
	*reason = TCPD_STAT_MAX;
	memset(pkt, 0xa5, sizeof(*pkt));
	c = tcpd_net_parse(copy, (uint32_t)len, i, hw_ok, pkt, reason);
	free(copy);
	return c;
}

static const char *
cls_name(enum tcpd_net_class c)
{
	static const char *const n[] = {"DROP", "ARP", "ICMP", "TCP", "ICMP6", "ND_NS", "ND_NA"};

	return (unsigned int)c < RTE_DIM(n) ? n[c] : "?";
}

static const char *
reason_name(enum tcpd_stat r)
{
	const char *n = tcpd_stats_name(r);

	return n ? n : "(none)";
}

static void
expect_drop_hw(const uint8_t *buf, size_t len, unsigned int hw_ok, enum tcpd_stat want,
	       const char *what)
{
	struct tcpd_pkt pkt;
	enum tcpd_stat r;
	enum tcpd_net_class c = parse_exact_if(buf, len, &ifc, hw_ok, &pkt, &r);

	if (c != TCPD_NET_DROP || r != want)
		fail_msg("%s (len %zu): got %s/%s, want DROP/%s", what, len, cls_name(c),
			 c == TCPD_NET_DROP ? reason_name(r) : "-", reason_name(want));
}

static void
expect_drop(const uint8_t *buf, size_t len, enum tcpd_stat want, const char *what)
{
	expect_drop_hw(buf, len, 0, want, what);
}

static void
expect_class_hw(const uint8_t *buf, size_t len, unsigned int hw_ok, enum tcpd_net_class want,
		struct tcpd_pkt *pkt, const char *what)
{
	struct tcpd_pkt tmp;
	enum tcpd_stat r;
	enum tcpd_net_class c = parse_exact_if(buf, len, &ifc, hw_ok, pkt ? pkt : &tmp, &r);

	if (c != want)
		fail_msg("%s (len %zu): got %s/%s, want %s", what, len, cls_name(c),
			 c == TCPD_NET_DROP ? reason_name(r) : "-", cls_name(want));
}

static void
expect_class(const uint8_t *buf, size_t len, enum tcpd_net_class want, struct tcpd_pkt *pkt,
	     const char *what)
{
	expect_class_hw(buf, len, 0, want, pkt, what);
}

static void
build_expect_drop(const struct fb6 *b, enum tcpd_stat want, const char *what)
{
	static uint8_t buf[2048];

	expect_drop(buf, fb6_build(b, buf), want, what);
}

static void
build_expect_class(const struct fb6 *b, enum tcpd_net_class want, struct tcpd_pkt *pkt,
		   const char *what)
{
	static uint8_t buf[2048];

	expect_class(buf, fb6_build(b, buf), want, pkt, what);
}

/* Linux's SYN options: MSS 1440, SACK-permitted, TS, NOP, WS 7. */
static const uint8_t linux_syn_opts[20] = {0x02, 0x04, 0x05, 0xa0, 0x04, 0x02, 0x08,
					   0x0a, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00,
					   0x00, 0x00, 0x01, 0x03, 0x03, 0x07};

/* ---------------------------------------------------------------------------------------- */
/* Golden frames: written by tests/unit/gen_net6_golden.py (scapy 2.5.0, python3-scapy),   */
/* pasted here; the script names every field that is set.                                    */

static const uint8_t g_echo_req[81] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x86, 0xdd,
	0x60, 0x01, 0x23, 0x45, 0x00, 0x1b, 0x3a, 0x40, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x80, 0x00,
	0x9f, 0x05, 0x12, 0x34, 0x00, 0x01, 0x64, 0x70, 0x64, 0x6b, 0x2d, 0x74, 0x63, 0x70,
	0x64, 0x20, 0x69, 0x70, 0x76, 0x36, 0x20, 0x70, 0x69, 0x6e, 0x67,
};

static const uint8_t g_echo_req_hbh[97] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x86, 0xdd,
	0x60, 0x01, 0x23, 0x45, 0x00, 0x2b, 0x00, 0x40, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x3c, 0x00,
	0x05, 0x02, 0x00, 0x00, 0x01, 0x00, 0x3a, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x00, 0x9f, 0x05, 0x12, 0x34, 0x00, 0x01, 0x64, 0x70, 0x64, 0x6b, 0x2d, 0x74,
	0x63, 0x70, 0x64, 0x20, 0x69, 0x70, 0x76, 0x36, 0x20, 0x70, 0x69, 0x6e, 0x67,
};

static const uint8_t g_echo_rep[81] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd,
	0x60, 0x01, 0x23, 0x45, 0x00, 0x1b, 0x3a, 0x40, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x81, 0x00,
	0x9e, 0x05, 0x12, 0x34, 0x00, 0x01, 0x64, 0x70, 0x64, 0x6b, 0x2d, 0x74, 0x63, 0x70,
	0x64, 0x20, 0x69, 0x70, 0x76, 0x36, 0x20, 0x70, 0x69, 0x6e, 0x67,
};

static const uint8_t g_ns_mcast[86] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x86, 0xdd, 0x60,
	0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x01, 0x87, 0x00, 0x37, 0x93, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
};

static const uint8_t g_ns_ucast[86] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x86, 0xdd, 0x60,
	0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x87, 0x00, 0x15, 0x95, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
};

static const uint8_t g_na_reply[86] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60,
	0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x88, 0x00, 0xb3, 0x95, 0x60, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
};

static const uint8_t g_ns_dad[78] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x86,
	0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x18, 0x3a, 0xff, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0x00,
	0x00, 0x01, 0x87, 0x00, 0x5a, 0xa3, 0x00, 0x00, 0x00, 0x00, 0x20, 0x01, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

static const uint8_t g_na_allnodes[86] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60,
	0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0x00, 0x14, 0x97, 0x20, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
};

static const uint8_t g_ns_out[86] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60,
	0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x02, 0x87, 0x00, 0x37, 0x93, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x02, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
};

static const uint8_t g_na_in[86] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x86, 0xdd, 0x60,
	0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0x00, 0xb3, 0x93, 0x60, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x02, 0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
};

static const uint8_t g_tcp_syn[94] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x86, 0xdd,
	0x60, 0x2a, 0xbc, 0xde, 0x00, 0x28, 0x06, 0x40, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x9c, 0x40,
	0x00, 0x50, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfd, 0x20,
	0x8c, 0x56, 0x00, 0x00, 0x02, 0x04, 0x05, 0xa0, 0x04, 0x02, 0x08, 0x0a, 0x11, 0x22,
	0x33, 0x44, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

static const uint8_t g_tcp_synack[94] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd,
	0x60, 0x2a, 0xbc, 0xde, 0x00, 0x28, 0x06, 0x40, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x50,
	0x9c, 0x40, 0x01, 0x02, 0x03, 0x04, 0xde, 0xad, 0xbe, 0xf0, 0xa0, 0x12, 0xff, 0xff,
	0xb8, 0x6f, 0x00, 0x00, 0x02, 0x04, 0x05, 0xa0, 0x04, 0x02, 0x08, 0x0a, 0x55, 0x66,
	0x77, 0x88, 0x11, 0x22, 0x33, 0x44, 0x01, 0x03, 0x03, 0x09,
};

static const uint8_t g_tcp_data[105] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60,
	0x00, 0x00, 0x00, 0x00, 0x33, 0x06, 0x40, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x50, 0x9c, 0x40, 0x01, 0x02,
	0x03, 0x05, 0xde, 0xad, 0xbe, 0xf0, 0x80, 0x18, 0x01, 0xf6, 0x1b, 0x24, 0x00, 0x00, 0x01,
	0x01, 0x08, 0x0a, 0x55, 0x66, 0x77, 0x99, 0x11, 0x22, 0x33, 0x55, 0x48, 0x54, 0x54, 0x50,
	0x2f, 0x31, 0x2e, 0x31, 0x20, 0x32, 0x30, 0x30, 0x20, 0x4f, 0x4b, 0x0d, 0x0a, 0x0d, 0x0a,
};

/* ---------------------------------------------------------------------------------------- */
/* Layout and compatibility.                                                                  */

static void
test6_layout(void **state)
{
	struct tcpd_iface v4only = ifc;
	uint8_t buf[2048];
	struct tcpd_pkt pkt;
	enum tcpd_stat r;
	struct fb6 b;
	size_t n;

	(void)state;
	/* The IPv4 fields keep their offsets; family and the IPv6 tail follow them. */
	assert_int_equal(offsetof(struct tcpd_pkt, src_ip), 8);
	assert_int_equal(offsetof(struct tcpd_pkt, opts), 32);
	assert_int_equal(offsetof(struct tcpd_pkt, family), 32 + sizeof(struct tcpd_tcp_opts));
	assert_int_equal(sizeof(struct tcpd_pkt), 120);
	assert_int_equal(TCPD_NET_AF_INET, 0);
	/* Without an IPv6 address, IPv6 is an unsupported ethertype, as before. */
	v4only.nb_ip6 = 0;
	fb6_tcp(&b);
	n = fb6_build(&b, buf);
	assert_int_equal(parse_exact_if(buf, n, &v4only, 0, &pkt, &r), TCPD_NET_DROP);
	assert_int_equal(r, TCPD_STAT_drop_ethertype);
	/* ... and an IPv6 multicast MAC is not ours. */
	memcpy(buf, "\x33\x33\xff\x00\x00\x01", 6);
	assert_int_equal(parse_exact_if(buf, n, &v4only, 0, &pkt, &r), TCPD_NET_DROP);
	assert_int_equal(r, TCPD_STAT_drop_not_for_us);
	/* The IPv6 counters have names and help texts. */
	for (enum tcpd_stat s = TCPD_STAT_drop_ip6_truncated; s <= TCPD_STAT_nd_na_rx; s++) {
		assert_non_null(tcpd_stats_name(s));
		assert_true(strlen(tcpd_stats_help(s)) > 10);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Valid TCP over IPv6.                                                                       */

static void
test6_tcp_valid(void **state)
{
	struct tcpd_pkt pkt;
	uint8_t buf[2048];
	struct fb6 b;
	size_t n;

	(void)state;
	fb6_tcp(&b);
	b.tc = 0x2e; /* DSCP 11, ECN 2 */
	b.flow = 0xabcde;
	b.hop = 57;
	fb6_topts(&b, linux_syn_opts, sizeof(linux_syn_opts));
	build_expect_class(&b, TCPD_NET_TCP, &pkt, "syn");
	assert_int_equal(pkt.family, TCPD_NET_AF_INET6);
	assert_int_equal(pkt.src_ip, 0);
	assert_int_equal(pkt.dst_ip, 0);
	assert_memory_equal(pkt.src_ip6, peer_ip6, 16);
	assert_memory_equal(pkt.dst_ip6, our_ip6, 16);
	assert_int_equal(pkt.ip_tos, 0x2e);
	assert_int_equal(pkt.flow_label, 0xabcde);
	assert_int_equal(pkt.hop_limit, 57);
	assert_int_equal(pkt.ip6_idx, 0);
	assert_int_equal(pkt.ip6_ext, 0);
	assert_int_equal(pkt.l3_off, 14);
	assert_int_equal(pkt.l4_off, 54);
	assert_int_equal(pkt.payload_off, 94);
	assert_int_equal(pkt.payload_len, 0);
	assert_int_equal(pkt.src_port, rte_cpu_to_be_16(40000));
	assert_int_equal(pkt.dst_port, rte_cpu_to_be_16(80));
	assert_int_equal(pkt.seq, 0xdeadbeef);
	assert_int_equal(pkt.win, 64800);
	assert_int_equal(pkt.flags, TCPD_TH_SYN);
	assert_int_equal(pkt.opts.present,
			 TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE);
	assert_int_equal(pkt.opts.mss, 1440);
	assert_int_equal(pkt.opts.wscale, 7);
	assert_int_equal(pkt.opts.tsval, 0x11223344);

	/* To our second address, with data and Ethernet padding after a short payload. */
	fb6_tcp(&b);
	memcpy(b.dst, our_ip6b, 16);
	b.flags = TCPD_TH_ACK | TCPD_TH_PSH;
	fb6_payload(&b, 300, 3);
	build_expect_class(&b, TCPD_NET_TCP, &pkt, "data to the second address");
	assert_int_equal(pkt.ip6_idx, 1);
	assert_int_equal(pkt.payload_len, 300);
	assert_int_equal(pkt.payload_off, 74);
	fb6_tcp(&b);
	b.flags = TCPD_TH_ACK;
	b.pad = 6;
	n = fb6_build(&b, buf);
	assert_int_equal(n, 80);
	expect_class(buf, n, TCPD_NET_TCP, &pkt, "padded ACK");
	assert_int_equal(pkt.payload_len, 0);

	/* A link-local source is a valid source. */
	fb6_tcp(&b);
	b.src[0] = 0xfe;
	b.src[1] = 0x80;
	memset(b.src + 2, 0, 6);
	build_expect_class(&b, TCPD_NET_TCP, NULL, "link-local source");

	/* Golden: scapy's SYN. */
	expect_class(g_tcp_syn, sizeof(g_tcp_syn), TCPD_NET_TCP, &pkt, "scapy syn");
	assert_int_equal(pkt.flow_label, 0xabcde);
	assert_int_equal(pkt.ip_tos, 2);
	assert_int_equal(pkt.opts.mss, 1440);
}

static void
test6_tcp_ext_headers(void **state)
{
	static const uint8_t ra[6] = {5, 2, 0, 0, 1, 0}; /* router alert, PadN 0 */
	static const uint8_t skip_opt[6] = {0x3e, 4, 1, 2, 3, 4};
	struct tcpd_pkt pkt;
	struct fb6 b;

	(void)state;
	/* Hop-by-hop (router alert), destination options, routing (segments left 0), options. */
	fb6_tcp(&b);
	fb6_ext(&b, 0, 8, ra, 6);
	fb6_dopt(&b, 60);
	fb6_ext(&b, 43, 24, NULL, 0); /* type 0 (RH0), segments left 0: ignored (RFC 5095) */
	fb6_ext(&b, 60, 8, skip_opt, 6);
	fb6_payload(&b, 10, 1);
	build_expect_class(&b, TCPD_NET_TCP, &pkt, "four headers");
	assert_int_equal(pkt.ip6_ext, 4);
	assert_int_equal(pkt.l4_off, 54 + 8 + 8 + 24 + 8);
	assert_int_equal(pkt.payload_off, pkt.l4_off + 20);
	assert_int_equal(pkt.payload_len, 10);

	/* Eight is the most; the checksum uses the upper-layer length, not the payload length. */
	fb6_tcp(&b);
	for (unsigned int i = 0; i < TCPD_NET_IP6_MAX_EXT; i++)
		fb6_dopt(&b, 60);
	build_expect_class(&b, TCPD_NET_TCP, &pkt, "eight headers");
	assert_int_equal(pkt.ip6_ext, 8);
	b.cksum_len = 20 + 64; /* what rte_ipv6_udptcp_cksum would cover */
	build_expect_drop(&b, TCPD_STAT_drop_tcp_cksum, "checksum with the payload length");
}

/* ---------------------------------------------------------------------------------------- */
/* Bad input.                                                                                 */

/* Every proper prefix of @p buf is dropped (ASan: nothing read past it). */
static void
truncate_all(const uint8_t *buf, size_t n, const char *what)
{
	char w[128];

	for (size_t len = 0; len < n; len++) {
		struct tcpd_pkt pkt;
		enum tcpd_stat r;
		enum tcpd_net_class c = parse_exact_if(buf, len, &ifc, 0, &pkt, &r);

		snprintf(w, sizeof(w), "%s truncated to %zu", what, len);
		if (c != TCPD_NET_DROP)
			fail_msg("%s: got %s", w, cls_name(c));
		if (len < 14)
			assert_int_equal(r, TCPD_STAT_drop_truncated);
		else if (len < 54)
			assert_int_equal(r, TCPD_STAT_drop_ip6_truncated);
		else
			assert_int_equal(r, TCPD_STAT_drop_ip6_len);
	}
}

static void
test6_truncation(void **state)
{
	uint8_t buf[2048];
	struct fb6 b;

	(void)state;
	fb6_tcp(&b);
	fb6_topts(&b, linux_syn_opts, sizeof(linux_syn_opts));
	fb6_payload(&b, 33, 9);
	truncate_all(buf, fb6_build(&b, buf), "tcp");
	fb6_tcp(&b);
	fb6_ext(&b, 0, 16, NULL, 0);
	fb6_dopt(&b, 60);
	fb6_ext(&b, 43, 8, NULL, 0);
	truncate_all(buf, fb6_build(&b, buf), "tcp after extension headers");
	truncate_all(g_echo_req, sizeof(g_echo_req), "echo");
	truncate_all(g_echo_req_hbh, sizeof(g_echo_req_hbh), "echo after hop-by-hop");
	truncate_all(g_ns_mcast, sizeof(g_ns_mcast), "ns");
	truncate_all(g_ns_dad, sizeof(g_ns_dad), "dad ns");
	truncate_all(g_na_in, sizeof(g_na_in), "na");
}

static void
test6_payload_length(void **state)
{
	struct tcpd_iface small = ifc;
	uint8_t buf[2048];
	struct tcpd_pkt pkt;
	enum tcpd_stat r;
	struct fb6 b;
	size_t n;

	(void)state;
	/* Beyond the frame, by one byte up to 0xffff; 0 (jumbogram). */
	for (int plen = 21; plen <= 0xffff; plen += plen < 64 ? 1 : 997) {
		fb6_tcp(&b);
		b.plen = plen;
		build_expect_drop(&b, TCPD_STAT_drop_ip6_len, "payload length beyond the frame");
	}
	fb6_tcp(&b);
	b.plen = 0;
	build_expect_drop(&b, TCPD_STAT_drop_ip6_len, "payload length 0");
	/* Too short for what it announces: the TCP header, the extension header. */
	for (int plen = 1; plen < 20; plen++) {
		fb6_tcp(&b);
		b.plen = plen;
		b.pad = 40;
		build_expect_drop(&b, TCPD_STAT_drop_ip6_len,
				  "payload length below the TCP header");
		fb6_tcp(&b);
		fb6_dopt(&b, 60);
		b.plen = plen < 8 ? plen : plen + 8;
		b.pad = 40;
		build_expect_drop(&b,
				  plen < 8 ? TCPD_STAT_drop_ip6_ext_len : TCPD_STAT_drop_ip6_len,
				  "payload length cutting a header");
	}
	/* Shorter than the segment but covering its header: the data is cut off, and the
	 * checksum (over the announced length) no longer matches. */
	fb6_tcp(&b);
	fb6_payload(&b, 100, 1);
	b.plen = 60;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_cksum, "payload length cutting the data");
	/* ... and with options cut: the data offset runs past the segment. */
	fb6_tcp(&b);
	fb6_topts(&b, linux_syn_opts, sizeof(linux_syn_opts));
	b.plen = 30;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_hdr_len, "payload length cutting options");

	/* Longer than the MTU. */
	small.mtu = 1280;
	fb6_tcp(&b);
	b.flags = TCPD_TH_ACK;
	fb6_payload(&b, 1280 - 60, 1);
	n = fb6_build(&b, buf);
	assert_int_equal(parse_exact_if(buf, n, &small, 0, &pkt, &r), TCPD_NET_TCP);
	fb6_payload(&b, 1280 - 60 + 1, 1);
	n = fb6_build(&b, buf);
	assert_int_equal(parse_exact_if(buf, n, &small, 0, &pkt, &r), TCPD_NET_DROP);
	assert_int_equal(r, TCPD_STAT_drop_ip6_oversize);

	/* Version other than 6 under the IPv6 ethertype. */
	for (uint8_t v = 0; v < 16; v++) {
		if (v == 6)
			continue;
		fb6_tcp(&b);
		b.ver = v;
		build_expect_drop(&b, TCPD_STAT_drop_ip_version, "version");
	}
}

static void
test6_ext_chain(void **state)
{
	struct fb6 b;
	char w[64];

	(void)state;
	/* Hop-by-hop anywhere but first. */
	fb6_tcp(&b);
	fb6_dopt(&b, 60);
	fb6_dopt(&b, 0);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_ext_chain, "hop-by-hop second");
	fb6_tcp(&b);
	fb6_dopt(&b, 0);
	fb6_dopt(&b, 0);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_ext_chain, "hop-by-hop twice");
	/* More than TCPD_NET_IP6_MAX_EXT headers: 9 to 16. */
	for (unsigned int k = TCPD_NET_IP6_MAX_EXT + 1; k <= MAX_EXT; k++) {
		fb6_tcp(&b);
		for (unsigned int i = 0; i < k; i++)
			fb6_dopt(&b, 60);
		snprintf(w, sizeof(w), "%u headers", k);
		build_expect_drop(&b, TCPD_STAT_drop_ip6_ext_chain, w);
	}
	/* A "loop": every header says another destination options header follows, up to the
	 * end of the frame and past it. */
	for (unsigned int k = 1; k <= 6; k++) {
		fb6_tcp(&b);
		b.proto = 60;
		for (unsigned int i = 0; i < k; i++)
			fb6_dopt(&b, 60);
		snprintf(w, sizeof(w), "loop of %u", k);
		build_expect_drop(&b, TCPD_STAT_drop_ip6_ext_len, w);
	}
	/* A header length past the payload (the frame has more bytes: padding). */
	fb6_tcp(&b);
	fb6_ext(&b, 60, 8, (const uint8_t[]){1, 4, 0, 0, 0, 0}, 6);
	b.ext[0].data[1] = 255; /* 2048 bytes */
	b.keep_nh = true;
	b.ext[0].data[0] = 6;
	b.pad = 200;
	build_expect_drop(&b, TCPD_STAT_drop_ip6_ext_len, "header length past the payload");
	/* Fragments, atomic or not. */
	fb6_tcp(&b);
	fb6_ext(&b, 44, 8, NULL, 0);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_frag, "atomic fragment");
	fb6_tcp(&b);
	fb6_dopt(&b, 0);
	fb6_ext(&b, 44, 8, (const uint8_t[]){0x05, 0x01, 0, 0, 0, 1}, 6);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_frag, "fragment after hop-by-hop");
	/* Not served. */
	static const uint8_t protos[] = {17, 50, 51, 59, 41, 4, 1, 132, 253, 255};
	for (unsigned int i = 0; i < RTE_DIM(protos); i++) {
		fb6_tcp(&b);
		b.proto = protos[i];
		fb6_payload(&b, 24, 0);
		build_expect_drop(&b, TCPD_STAT_drop_ip6_proto, "next header");
		fb6_dopt(&b, 60);
		build_expect_drop(&b, TCPD_STAT_drop_ip6_proto, "next header after options");
	}
	/* Routing header with segments left. */
	for (unsigned int t = 0; t < 5; t++) {
		fb6_tcp(&b);
		fb6_ext(&b, 43, 24, (const uint8_t[]){(uint8_t)t, 1}, 2);
		build_expect_drop(&b, TCPD_STAT_drop_ip6_routing, "segments left");
	}
}

static void
test6_ext_options(void **state)
{
	static const struct {
		uint8_t opt[14];
		bool ok;
		const char *what;
	} t[] = {
		{{0, 0, 0, 0, 0, 0}, true, "six Pad1"},
		{{1, 4, 0, 0, 0, 0}, true, "PadN 6"},
		{{1, 0, 1, 0, 1, 0}, true, "three empty PadN"},
		{{0x3e, 0, 1, 2, 0, 0}, true, "unknown, skip"},
		{{0x05, 2, 0, 0, 1, 0}, true, "router alert"},
		{{0x04, 1, 4, 1, 1, 0}, true, "tunnel encapsulation limit"},
		{{0x7e, 0, 1, 2, 0, 0}, false, "unknown, discard"},
		{{0xbe, 0, 1, 2, 0, 0}, false, "unknown, discard + ICMP"},
		{{0xfe, 0, 1, 2, 0, 0}, false, "unknown, discard + ICMP unless multicast"},
		{{0xc2, 4, 0, 0, 0x10, 0}, false, "jumbo payload"},
		{{0xc9, 4, 0, 0, 0, 0}, false, "home address"},
		{{1, 4, 0, 0, 1, 0}, false, "PadN not zero"},
		{{1, 5, 0, 0, 0, 0}, false, "PadN past the header"},
		{{0x3e, 9, 0, 0, 0, 0}, false, "option past the header"},
		{{0, 0, 0, 0, 0, 1}, false, "option length missing"},
		{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false, "fourteen Pad1"},
		{{1, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false, "PadN 8"},
		{{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, false, "Pad1 x7 then PadN"},
		{{0, 0, 0, 0, 0, 0, 0, 0x3e, 0, 1, 3, 0, 0, 0}, true, "Pad1 x7, option, PadN"},
		{{0x3e, 0, 0x3e, 0, 0x3e, 0, 0x3e, 0, 0x3e, 0, 0x3e, 0, 0x3e, 0},
		 true,
		 "seven options"},
	};
	uint8_t nine[22];
	struct fb6 b;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(t); i++) {
		unsigned int len = t[i].opt[6] || t[i].opt[7] || i >= 15 ? 16 : 8;

		for (uint8_t type = 0; type <= 60; type += 60) {
			fb6_tcp(&b);
			fb6_ext(&b, type, len, t[i].opt, len - 2);
			if (t[i].ok)
				build_expect_class(&b, TCPD_NET_TCP, NULL, t[i].what);
			else
				build_expect_drop(&b, TCPD_STAT_drop_ip6_opt, t[i].what);
		}
	}
	/* Nine options (Linux's limit is eight). */
	for (unsigned int i = 0; i < 9; i++) {
		nine[2 * i] = 0x3e;
		nine[2 * i + 1] = 0;
	}
	memset(nine + 18, 0, 4);
	fb6_tcp(&b);
	fb6_ext(&b, 60, 24, nine, 22);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_opt, "nine options");
	nine[16] = 1; /* the ninth becomes an empty PadN, then 4 Pad1: 6 bytes of padding */
	fb6_tcp(&b);
	fb6_ext(&b, 60, 24, nine, 22);
	build_expect_class(&b, TCPD_NET_TCP, NULL, "eight options");
}

static void
test6_addresses(void **state)
{
	static const uint8_t bad_src[][16] = {
		{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},	      /* all-nodes */
		{0xff, 0x0e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42},    /* global mc */
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},	      /* ::1 */
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 2},    /* v4-mapped */
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0},	      /* ::ffff:0.0.0.0 */
		{0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01}, /* ours */
		{0x20, 0x01, 0, 0x02, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x01}, /* ours too */
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},	      /* :: (TCP) */
	};
	static const uint8_t ok_src[][16] = {
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},	      /* ::2 */
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 198, 18, 0, 2},    /* not mapped */
		{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},	      /* link-local */
		{0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03}, /* on-link */
	};
	uint8_t buf[2048];
	struct fb6 b;
	size_t n;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(bad_src); i++) {
		fb6_tcp(&b);
		memcpy(b.src, bad_src[i], 16);
		build_expect_drop(&b, TCPD_STAT_drop_ip6_src, "bad source, tcp");
		fb6_echo(&b);
		memcpy(b.src, bad_src[i], 16);
		build_expect_drop(&b, TCPD_STAT_drop_ip6_src, "bad source, echo");
	}
	for (unsigned int i = 0; i < RTE_DIM(ok_src); i++) {
		fb6_tcp(&b);
		memcpy(b.src, ok_src[i], 16);
		build_expect_class(&b, TCPD_NET_TCP, NULL, "good source");
	}
	/* Destinations: another host, our address on another MAC, multicast. */
	fb6_tcp(&b);
	memcpy(b.dst, peer_ip6, 16);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_not_for_us, "another host");
	fb6_tcp(&b);
	memcpy(b.dmac, peer_mac, 6);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "another MAC");
	fb6_tcp(&b);
	memset(b.dmac, 0xff, 6);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_not_for_us, "broadcast MAC");
	fb6_tcp(&b);
	memcpy(b.dmac, "\x33\x33\xff\x00\x00\x01", 6);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_not_for_us, "our address, multicast MAC");
	fb6_tcp(&b);
	memcpy(b.dst, sn_ours, 16);
	memcpy(b.dmac, "\x33\x33\xff\x00\x00\x01", 6);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_not_for_us, "tcp to our solicited-node group");
	fb6_tcp(&b);
	memcpy(b.dst, sn_ours, 16);
	b.dst[15] = 2;
	memcpy(b.dmac, "\x33\x33\xff\x00\x00\x02", 6);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_not_for_us, "another solicited-node group");
	/* An NS to our group on the wrong multicast MAC, or on our unicast MAC. */
	n = sizeof(g_ns_mcast);
	memcpy(buf, g_ns_mcast, n);
	buf[5] = 0x02;
	expect_drop(buf, n, TCPD_STAT_drop_ip6_not_for_us, "group MAC mismatch");
	memcpy(buf, our_mac, 6);
	expect_drop(buf, n, TCPD_STAT_drop_ip6_not_for_us, "group on unicast MAC");
}

static void
test6_tcp_header(void **state)
{
	struct fb6 b;

	(void)state;
	fb6_tcp(&b);
	b.bad_l4_cksum = true;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_cksum, "checksum");
	{
		static uint8_t buf[2048];
		size_t n = fb6_build(&b, buf);

		expect_class_hw(buf, n, TCPD_NET_L4_CKSUM_GOOD, TCPD_NET_TCP, NULL,
				"checksum verified by the NIC");
	}
	for (unsigned int i = 0; i < 16; i++) {
		/* A bit flipped in the source breaks the pseudo-header sum. */
		static uint8_t buf[2048];
		size_t n;

		fb6_tcp(&b);
		b.flags = TCPD_TH_ACK;
		n = fb6_build(&b, buf);
		buf[22 + i] ^= 0x40;
		expect_drop(buf, n, TCPD_STAT_drop_tcp_cksum, "source bit flipped");
	}
	fb6_tcp(&b);
	b.doff = 4;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_hdr_len, "data offset 4");
	fb6_tcp(&b);
	b.doff = 15;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_hdr_len, "data offset past the segment");
	fb6_tcp(&b);
	b.sport = 0;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_port, "port 0");
	fb6_tcp(&b);
	fb6_topts(&b, (const uint8_t[]){2, 3, 5, 0}, 4);
	build_expect_drop(&b, TCPD_STAT_drop_tcp_opt, "mss length 3");
}

/* ---------------------------------------------------------------------------------------- */
/* Builder.                                                                                   */

static void
flow6_init(struct tcpd_net_flow6 *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(&f->src_mac, our_mac, 6);
	memcpy(&f->dst_mac, peer_mac, 6);
	memcpy(f->src_ip, our_ip6, 16);
	memcpy(f->dst_ip, peer_ip6, 16);
	f->src_port = rte_cpu_to_be_16(80);
	f->dst_port = rte_cpu_to_be_16(40000);
}

static void
test6_build_golden(void **state)
{
	uint8_t buf[TCPD_NET_TCP6_HDR_MAX + 64];
	struct tcpd_net_flow6 f;
	struct tcpd_net_seg s;
	uint16_t hl;
	uint32_t n;

	(void)state;
	flow6_init(&f);
	f.flow_label = 0xabcde;
	memset(&s, 0, sizeof(s));
	s.seq = 0x01020304;
	s.ack = 0xdeadbef0;
	s.win = 65535;
	s.flags = TCPD_TH_SYN | TCPD_TH_ACK;
	s.ip_tos = 2;
	s.opts.present = TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE;
	s.opts.mss = 1440;
	s.opts.wscale = 9;
	s.opts.tsval = 0x55667788;
	s.opts.tsecr = 0x11223344;
	memset(buf, 0xee, sizeof(buf));
	n = tcpd_net_build_tcp6(buf, &f, &s, NULL, 0, &ifc, &hl);
	assert_int_equal(n, sizeof(g_tcp_synack));
	assert_int_equal(hl, n);
	assert_int_equal(tcpd_net_tcp6_hdr_len(&s.opts), hl);
	assert_memory_equal(buf, g_tcp_synack, n);

	flow6_init(&f);
	memset(&s, 0, sizeof(s));
	s.seq = 0x01020305;
	s.ack = 0xdeadbef0;
	s.win = 502;
	s.flags = TCPD_TH_PSH | TCPD_TH_ACK;
	s.opts.present = TCPD_OPT_TS;
	s.opts.tsval = 0x55667799;
	s.opts.tsecr = 0x11223355;
	n = tcpd_net_build_tcp6(buf, &f, &s, "HTTP/1.1 200 OK\r\n\r\n", 19, &ifc, &hl);
	assert_int_equal(n, sizeof(g_tcp_data));
	assert_int_equal(hl, 14 + 40 + 32);
	assert_memory_equal(buf, g_tcp_data, n);
}

static void
test6_build_sweep(void **state)
{
	static const uint8_t sets[] = {0,
				       TCPD_OPT_MSS,
				       TCPD_OPT_TS,
				       TCPD_OPT_SACK_PERM,
				       TCPD_OPT_WSCALE,
				       TCPD_OPT_MSS | TCPD_OPT_SACK_PERM,
				       TCPD_OPT_MSS | TCPD_OPT_TS | TCPD_OPT_WSCALE,
				       TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS |
					       TCPD_OPT_WSCALE};
	struct tcpd_iface peer = ifc;
	uint8_t buf[2048], pl[1500];
	struct tcpd_net_flow6 f, back;
	struct tcpd_net_seg s;
	struct tcpd_pkt pkt;
	enum tcpd_stat r;
	uint16_t hl;
	uint32_t n;

	(void)state;
	/* The peer's view, to parse what we build. */
	memcpy(&peer.mac, peer_mac, 6);
	peer.nb_ip6 = 1;
	memcpy(peer.ip6[0].addr, peer_ip6, 16);
	srand(6);
	for (unsigned int i = 0; i < 400; i++) {
		uint16_t plen = (uint16_t)(i < 8 ? i : (unsigned int)rand() % 1400);

		for (unsigned int k = 0; k < plen; k++)
			pl[k] = (uint8_t)rand();
		flow6_init(&f);
		f.flow_label = (uint32_t)rand(); /* high bits ignored */
		memset(&s, 0, sizeof(s));
		s.seq = (uint32_t)rand();
		s.ack = (uint32_t)rand();
		s.win = (uint16_t)rand();
		s.flags = (uint8_t)(TCPD_TH_ACK | (i % 3 ? TCPD_TH_PSH : 0));
		s.ip_tos = (uint8_t)rand();
		s.opts.present = sets[i % RTE_DIM(sets)];
		s.opts.mss = (uint16_t)rand();
		s.opts.wscale = (uint8_t)(rand() % 15);
		s.opts.tsval = (uint32_t)rand();
		s.opts.tsecr = (uint32_t)rand();
		n = tcpd_net_build_tcp6(buf, &f, &s, pl, plen, &ifc, &hl);
		assert_int_equal(n, (uint32_t)hl + plen);
		assert_int_equal(tfx_get16(buf + 12), 0x86dd);
		assert_int_equal(tfx_get32(buf + 14),
				 6u << 28 | (uint32_t)s.ip_tos << 20 | (f.flow_label & 0xfffff));
		assert_int_equal(tfx_get16(buf + 18), n - 54);
		assert_int_equal(buf[20], 6);
		assert_int_equal(buf[21], 64);
		assert_true(l4_cksum_ok(buf + 14, buf + 54, n - 54, 6));
		assert_memory_equal(buf + hl, pl, plen);
		/* The peer parses it back. */
		assert_int_equal(parse_exact_if(buf, n, &peer, 0, &pkt, &r), TCPD_NET_TCP);
		assert_int_equal(pkt.seq, s.seq);
		assert_int_equal(pkt.ack, s.ack);
		assert_int_equal(pkt.win, s.win);
		assert_int_equal(pkt.payload_len, plen);
		assert_int_equal(pkt.opts.present, s.opts.present);
		assert_int_equal(pkt.flow_label, f.flow_label & 0xfffff);
		assert_int_equal(pkt.ip_tos, s.ip_tos);
		/* Its reply flow is ours, swapped. */
		tcpd_net_reply_flow6(buf, &pkt, &back);
		assert_memory_equal(&back.src_mac, peer_mac, 6);
		assert_memory_equal(&back.dst_mac, our_mac, 6);
		assert_memory_equal(back.src_ip, f.dst_ip, 16);
		assert_memory_equal(back.dst_ip, f.src_ip, 16);
		assert_int_equal(back.src_port, f.dst_port);
		assert_int_equal(back.dst_port, f.src_port);
		assert_int_equal(back.flow_label, f.flow_label & 0xfffff);
	}
}

static void
test6_build_offload(void **state)
{
	uint8_t buf[TCPD_NET_TCP6_HDR_MAX + 64];
	struct tcpd_iface off = ifc;
	struct tcpd_net_flow6 f;
	struct tcpd_net_seg s;
	struct rte_mbuf m;
	uint32_t n;

	(void)state;
	flow6_init(&f);
	memset(&s, 0, sizeof(s));
	s.flags = TCPD_TH_ACK;
	s.opts.present = TCPD_OPT_TS;
	off.tx_tcp_cksum = true;
	off.tx_ip_cksum = true;
	n = tcpd_net_build_tcp6(buf, &f, &s, "abc", 3, &off, NULL);
	/* The pseudo-header sum, not complemented. */
	assert_int_equal(tfx_get16(buf + 54 + 16), ref_fold(ref_phdr6_sum(buf + 14, 6, n - 54)));

	memset(&m, 0, sizeof(m));
	tcpd_net_tx_offload6(&m, &ifc);
	assert_true(m.ol_flags == 0 && m.l2_len == 0 && m.l3_len == 0);
	off.tx_tcp_cksum = false;
	tcpd_net_tx_offload6(&m, &off);
	assert_true(m.ol_flags == 0 && m.l2_len == 0 && m.l3_len == 0);
	off.tx_tcp_cksum = true;
	tcpd_net_tx_offload6(&m, &off);
	assert_true(m.ol_flags == (RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM));
	assert_int_equal(m.l2_len, 14);
	assert_int_equal(m.l3_len, 40);
}

/*
 * Segment templates (tcpd_net_tmpl6_build): byte for byte what tcpd_net_build_tcp6 writes, for
 * both checksum settings, every option layout, payload lengths and random fields, addresses
 * and flow labels; the software checksum checked against the reference sum and
 * rte_ipv6_udptcp_cksum_verify, the offloaded one against the pseudo-header's reference sum.
 * Then a reply written in place over the segment it answers (addresses, MAC and ports read
 * from the received frame, as the listener's cookie SYN-ACK and RST do).
 */
static void
test6_tmpl_matches_build(void **state)
{
	static const uint8_t opt_sets[] = {
		0,
		TCPD_OPT_TS,
		TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE,
		TCPD_OPT_MSS,
		TCPD_OPT_MSS | TCPD_OPT_WSCALE,
		TCPD_OPT_SACK_PERM,
		TCPD_OPT_TS | TCPD_OPT_SACK,
		TCPD_OPT_SACK,
	};
	static const uint16_t plens[] = {0, 1, 3, 1000};
	uint8_t buf[TCPD_NET_TCP6_HDR_MAX + 1024], ref[TCPD_NET_TCP6_HDR_MAX + 1024];
	uint64_t r = 0x6e3a11;
	unsigned int ofl, oi, pi, k;

	(void)state;
	for (ofl = 0; ofl < 2; ofl++) {
		struct tcpd_iface off = ifc;
		struct tcpd_net_tmpl6 t;

		off.tx_tcp_cksum = ofl != 0;
		off.tx_ip_cksum = ofl != 0;
		tcpd_net_tmpl6_init(&t, &off);
		for (oi = 0; oi < RTE_DIM(opt_sets); oi++) {
			for (pi = 0; pi < RTE_DIM(plens); pi++) {
				for (k = 0; k < 16; k++) {
					struct tcpd_net_flow6 f;
					struct tcpd_net_seg s;
					uint32_t n, hl;

					r = r * 6364136223846793005ull + 1442695040888963407ull;
					flow6_init(&f);
					memcpy(&f.src_mac, &off.mac, 6);
					f.dst_mac.addr_bytes[5] = (uint8_t)(r >> 8);
					for (unsigned int b = 0; b < 16; b++) {
						f.src_ip[b] = (uint8_t)(r >> (b * 3));
						f.dst_ip[b] = (uint8_t)(r >> (b * 3 + 7)) ^ 0xff;
					}
					f.src_port = (uint16_t)(r >> 20);
					f.dst_port = (uint16_t)(r >> 40);
					f.flow_label = (uint32_t)(r >> 11); /* high bits ignored */
					memset(&s, 0, sizeof(s));
					s.seq = (uint32_t)(r >> 13);
					s.ack = (uint32_t)(r >> 29);
					s.win = (uint16_t)(r >> 47);
					s.flags = (uint8_t)(r >> 3);
					s.ip_tos = (uint8_t)(r >> 56);
					s.opts.present = opt_sets[oi];
					s.opts.mss = (uint16_t)(r >> 50);
					s.opts.wscale = (uint8_t)(k % 15);
					s.opts.tsval = (uint32_t)(r >> 7);
					s.opts.tsecr = (uint32_t)(r >> 21);
					s.opts.nb_sack = (uint8_t)(1 + k % 4);
					for (unsigned int b = 0; b < 4; b++) {
						s.opts.sack[b].left = (uint32_t)(r >> b);
						s.opts.sack[b].right = (uint32_t)(r >> (b + 9));
					}
					hl = tcpd_net_tcp6_hdr_len(&s.opts);
					memset(ref, 0xa5, sizeof(ref));
					memset(buf, 0x5a, sizeof(buf));
					for (unsigned int j = 0; j < plens[pi]; j++)
						ref[hl + j] = buf[hl + j] = (uint8_t)(j * 7 + k);
					n = tcpd_net_build_tcp6(ref, &f, &s, NULL, plens[pi], &off,
								NULL);
					assert_int_equal(tcpd_net_tmpl6_build(
								 buf, &t, &f.dst_mac, f.src_ip,
								 f.dst_ip, f.src_port, f.dst_port,
								 f.flow_label, &s, plens[pi]),
							 n);
					assert_memory_equal(buf, ref, n);
					if (ofl == 0) {
						assert_true(
							l4_cksum_ok(buf + 14, buf + 54, n - 54, 6));
						assert_int_equal(
							rte_ipv6_udptcp_cksum_verify(
								(const void *)(buf + 14), buf + 54),
							0);
					} else {
						assert_int_equal(tfx_get16(buf + 54 + 16),
								 ref_fold(ref_phdr6_sum(buf + 14, 6,
											n - 54)));
					}
				}
			}
		}
	}
}

/* A reply written over the segment it answers, reading its MAC and addresses from it. */
static void
test6_tmpl_reply_in_place(void **state)
{
	struct tcpd_iface peer = ifc;
	uint8_t buf[TCPD_NET_TCP6_HDR_MAX + 64], ref[TCPD_NET_TCP6_HDR_MAX + 64];
	struct tcpd_net_flow6 f, back;
	struct tcpd_net_tmpl6 t;
	struct tcpd_net_seg s;
	struct tcpd_pkt pkt;
	enum tcpd_stat r;
	uint32_t n;

	(void)state;
	memcpy(&peer.mac, peer_mac, 6);
	peer.nb_ip6 = 1;
	memcpy(peer.ip6[0].addr, peer_ip6, 16);
	tcpd_net_tmpl6_init(&t, &ifc);
	/* the peer's SYN to us, parsed as we would */
	flow6_init(&f);
	memcpy(&f.src_mac, peer_mac, 6);
	memcpy(&f.dst_mac, our_mac, 6);
	memcpy(f.src_ip, peer_ip6, 16);
	memcpy(f.dst_ip, our_ip6, 16);
	f.flow_label = 0x12345;
	memset(&s, 0, sizeof(s));
	s.seq = 1000;
	s.flags = TCPD_TH_SYN;
	s.win = 64240;
	n = tcpd_net_build_tcp6(buf, &f, &s, NULL, 0, &peer, NULL);
	assert_int_equal(parse_exact_if(buf, n, &ifc, 0, &pkt, &r), TCPD_NET_TCP);
	/* the SYN-ACK, as tcpd_net_build_tcp6 writes it from the reply flow */
	memset(&s, 0, sizeof(s));
	s.seq = 77;
	s.ack = 1001;
	s.win = 65535;
	s.flags = TCPD_TH_SYN | TCPD_TH_ACK;
	s.opts.present = TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE;
	s.opts.mss = 1440;
	s.opts.wscale = 9;
	s.opts.tsval = 5;
	s.opts.tsecr = 6;
	tcpd_net_reply_flow6(buf, &pkt, &back);
	memset(ref, 0, sizeof(ref));
	n = tcpd_net_build_tcp6(ref, &back, &s, NULL, 0, &ifc, NULL);
	assert_int_equal(tcpd_net_tmpl6_build(buf, &t,
					      &((const struct rte_ether_hdr *)buf)->src_addr,
					      pkt.dst_ip6, pkt.src_ip6, pkt.dst_port, pkt.src_port,
					      pkt.flow_label, &s, 0),
			 n);
	assert_memory_equal(buf, ref, n);
	assert_true(l4_cksum_ok(buf + 14, buf + 54, n - 54, 6));
}

/* ---------------------------------------------------------------------------------------- */
/* ICMPv6 echo.                                                                               */

/* Parse @p req as an echo request, answer it in place, compare with @p want. */
static void
echo_golden(const uint8_t *req, size_t n, const uint8_t *want, size_t wn, const char *what)
{
	uint8_t *buf = malloc(n);
	struct tcpd_pkt pkt;
	enum tcpd_stat r;
	uint32_t len;

	assert_non_null(buf);
	memcpy(buf, req, n);
	if (tcpd_net_parse(buf, (uint32_t)n, &ifc, 0, &pkt, &r) != TCPD_NET_ICMP6)
		fail_msg("%s: not an echo request (%s)", what, reason_name(r));
	len = tcpd_net_icmp6_echo_reply(buf, &pkt);
	assert_int_equal(len, wn);
	assert_memory_equal(buf, want, wn);
	free(buf);
}

static void
test6_icmp6_echo(void **state)
{
	/* 2, packet too big, is parsed for its quoted packet (icmp_mtu.scn): below */
	static const uint8_t types[] = {1, 3, 4, 127, 129, 130, 131, 133, 134, 137, 143, 200};
	uint8_t buf[2048];
	struct tcpd_pkt pkt;
	struct fb6 b;
	size_t n;

	(void)state;
	expect_class(g_echo_req, sizeof(g_echo_req), TCPD_NET_ICMP6, &pkt, "golden");
	assert_int_equal(pkt.l4_off, 54);
	assert_int_equal(pkt.payload_off, 62);
	assert_int_equal(pkt.payload_len, 19);
	echo_golden(g_echo_req, sizeof(g_echo_req), g_echo_rep, sizeof(g_echo_rep), "echo");
	echo_golden(g_echo_req_hbh, sizeof(g_echo_req_hbh), g_echo_rep, sizeof(g_echo_rep),
		    "echo after extension headers");

	fb6_echo(&b);
	b.bad_l4_cksum = true;
	build_expect_drop(&b, TCPD_STAT_drop_icmp6_cksum, "checksum");
	for (unsigned int i = 0; i < RTE_DIM(types); i++) {
		fb6_echo(&b);
		b.itype = types[i];
		build_expect_drop(&b, TCPD_STAT_drop_icmp6, "type");
	}
	/* Packet too big with an echo's 19 bytes after its header: no IPv6 header to quote. */
	fb6_echo(&b);
	b.itype = 2;
	build_expect_drop(&b, TCPD_STAT_drop_icmp_quote, "too big, nothing quoted");
	fb6_echo(&b);
	b.icode = 1;
	build_expect_drop(&b, TCPD_STAT_drop_icmp6, "code");
	for (unsigned int l = 0; l < 4; l++) {
		fb6_echo(&b);
		b.ibody_len = l;
		build_expect_drop(&b, TCPD_STAT_drop_icmp6_len, "echo shorter than 8");
	}
	/* Shorter than type, code, checksum: announced by the payload length. */
	fb6_echo(&b);
	b.plen = 3;
	b.pad = 20;
	build_expect_drop(&b, TCPD_STAT_drop_icmp6_len, "3-byte message");
	/* To all-nodes (on its MAC): not answered. */
	fb6_echo(&b);
	memcpy(b.dst, all_nodes, 16);
	memcpy(b.dmac, "\x33\x33\x00\x00\x00\x01", 6);
	build_expect_drop(&b, TCPD_STAT_drop_icmp6_mcast, "multicast echo");

	/* Random requests: the reply's checksum is right by the reference sum. */
	srand(58);
	for (unsigned int i = 0; i < 2000; i++) {
		struct tcpd_pkt p;
		enum tcpd_stat r;
		uint32_t len;

		fb6_echo(&b);
		tfx_put16(b.ibody, (uint16_t)rand());
		tfx_put16(b.ibody + 2, (uint16_t)rand());
		b.flow = (uint32_t)rand();
		fb6_payload(&b, (unsigned int)rand() % 200, (uint8_t)rand());
		for (unsigned int k = 0; k < b.pl_len; k++)
			b.pl[k] = (uint8_t)(rand() % 3 == 0 ? rand() : 0);
		if (i % 4 == 0)
			fb6_dopt(&b, 60);
		n = fb6_build(&b, buf);
		assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &ifc, 0, &p, &r), TCPD_NET_ICMP6);
		len = tcpd_net_icmp6_echo_reply(buf, &p);
		assert_int_equal(len, 54 + 8 + b.pl_len);
		assert_int_equal(buf[54], 129);
		assert_int_equal(buf[20], 58);
		assert_int_equal(tfx_get16(buf + 18), 8 + b.pl_len);
		assert_memory_equal(buf + 22, our_ip6, 16);
		assert_memory_equal(buf + 38, peer_ip6, 16);
		assert_memory_equal(buf + 62, b.pl, b.pl_len);
		assert_true(l4_cksum_ok(buf + 14, buf + 54, len - 54, 58));
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Neighbour discovery.                                                                       */

static void
ns_golden(const uint8_t *ns, size_t n, const uint8_t *want, size_t wn, const char *what)
{
	uint8_t *buf = malloc(n > wn ? n : wn);
	struct tcpd_pkt pkt;
	enum tcpd_stat r;

	assert_non_null(buf);
	memcpy(buf, ns, n);
	if (tcpd_net_parse(buf, (uint32_t)n, &ifc, 0, &pkt, &r) != TCPD_NET_ND_NS)
		fail_msg("%s: not a solicitation for us (%s)", what, reason_name(r));
	assert_int_equal(tcpd_net_nd_na_reply(buf, &pkt, &ifc), wn);
	assert_memory_equal(buf, want, wn);
	free(buf);
}

static void
test6_nd_ns(void **state)
{
	struct rte_ether_addr mac;
	uint8_t buf[2048];
	struct tcpd_pkt pkt;
	struct fb6 b;
	size_t n;

	(void)state;
	/* Golden solicitations and answers. */
	expect_class(g_ns_mcast, sizeof(g_ns_mcast), TCPD_NET_ND_NS, &pkt, "ns multicast");
	assert_memory_equal(tcpd_net_nd_target(g_ns_mcast, &pkt), our_ip6, 16);
	assert_int_equal(tcpd_net_nd_lla(g_ns_mcast, &pkt, &mac), 0);
	assert_memory_equal(&mac, peer_mac, 6);
	assert_int_equal(pkt.ip6_idx, 0);
	ns_golden(g_ns_mcast, sizeof(g_ns_mcast), g_na_reply, sizeof(g_na_reply), "multicast");
	ns_golden(g_ns_ucast, sizeof(g_ns_ucast), g_na_reply, sizeof(g_na_reply), "unicast");
	ns_golden(g_ns_dad, sizeof(g_ns_dad), g_na_allnodes, sizeof(g_na_allnodes), "dad");

	/* No source link-layer option: answered to the frame's source MAC. */
	fb6_ns(&b, our_ip6);
	b.ibody_len = 20;
	memcpy(b.smac, "\x02\x00\x00\x00\x00\x07", 6);
	n = fb6_build(&b, buf);
	expect_class(buf, n, TCPD_NET_ND_NS, &pkt, "ns without option");
	assert_int_equal(tcpd_net_nd_lla(buf, &pkt, &mac), -1);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &ifc, 0, &pkt, &(enum tcpd_stat){0}),
			 TCPD_NET_ND_NS);
	assert_int_equal(tcpd_net_nd_na_reply(buf, &pkt, &ifc), TCPD_NET_ND_LEN);
	assert_memory_equal(buf, "\x02\x00\x00\x00\x00\x07", 6);
	assert_true(l4_cksum_ok(buf + 14, buf + 54, 32, 58));
	/* For our second address, with an unknown option before the link-layer one. */
	fb6_ns(&b, our_ip6b);
	memmove(b.ibody + 28, b.ibody + 20, 8);
	memcpy(b.ibody + 20, "\x0e\x01\x01\x02\x03\x04\x05\x06", 8);
	b.ibody_len = 36;
	n = fb6_build(&b, buf);
	expect_class(buf, n, TCPD_NET_ND_NS, &pkt, "second address");
	assert_int_equal(pkt.ip6_idx, 1);
	assert_int_equal(tcpd_net_nd_lla(buf, &pkt, &mac), 0);
	assert_memory_equal(&mac, peer_mac, 6);

	/* RFC 4861 7.1.1. */
	for (unsigned int h = 0; h < 255; h += (h < 2 || h > 252) ? 1 : 63) {
		fb6_ns(&b, our_ip6);
		b.hop = (uint8_t)h;
		build_expect_drop(&b, TCPD_STAT_drop_nd_hop_limit, "hop limit");
	}
	fb6_ns(&b, our_ip6);
	b.icode = 1;
	build_expect_drop(&b, TCPD_STAT_drop_nd_code, "code");
	fb6_ns(&b, our_ip6);
	b.bad_l4_cksum = true;
	build_expect_drop(&b, TCPD_STAT_drop_icmp6_cksum, "checksum");
	fb6_ns(&b, our_ip6);
	b.ibody_len = 19;
	build_expect_drop(&b, TCPD_STAT_drop_icmp6_len, "23 bytes");
	fb6_ns(&b, peer_ip6);
	build_expect_drop(&b, TCPD_STAT_drop_nd_not_ours, "another target");
	fb6_ns(&b, sn_ours);
	build_expect_drop(&b, TCPD_STAT_drop_nd_invalid, "multicast target");
	fb6_ns(&b, our_ip6);
	b.ibody[21] = 0;
	build_expect_drop(&b, TCPD_STAT_drop_nd_opt, "option length 0");
	fb6_ns(&b, our_ip6);
	b.ibody[21] = 2;
	build_expect_drop(&b, TCPD_STAT_drop_nd_opt, "option past the message");
	fb6_ns(&b, our_ip6);
	b.ibody_len = 21;
	build_expect_drop(&b, TCPD_STAT_drop_nd_opt, "option cut after its type");
	/* DAD: to the solicited-node group, without a source link-layer option. */
	fb6_ns(&b, our_ip6);
	memset(b.src, 0, 16);
	memcpy(b.dst, sn_ours, 16);
	memcpy(b.dmac, "\x33\x33\xff\x00\x00\x01", 6);
	build_expect_drop(&b, TCPD_STAT_drop_nd_invalid, "dad with an option");
	b.ibody_len = 20;
	build_expect_class(&b, TCPD_NET_ND_NS, NULL, "dad");
	memcpy(b.dst, our_ip6, 16);
	memcpy(b.dmac, our_mac, 6);
	build_expect_drop(&b, TCPD_STAT_drop_nd_invalid, "dad to unicast");
	/* An NS from ourselves (a looped-back probe of ours is from ::, this one is not). */
	fb6_ns(&b, our_ip6);
	memcpy(b.src, our_ip6, 16);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_src, "ns from our address");
}

static void
test6_nd_na(void **state)
{
	struct rte_ether_addr mac;
	struct tcpd_pkt pkt;
	struct fb6 b;

	(void)state;
	expect_class(g_na_in, sizeof(g_na_in), TCPD_NET_ND_NA, &pkt, "golden na");
	assert_memory_equal(tcpd_net_nd_target(g_na_in, &pkt), peer_ip6, 16);
	assert_int_equal(tcpd_net_nd_lla(g_na_in, &pkt, &mac), 0);
	assert_memory_equal(&mac, peer_mac, 6);
	assert_int_equal(tcpd_net_nd_na_flags(g_na_in, &pkt),
			 TCPD_NET_NA_SOLICITED | TCPD_NET_NA_OVERRIDE);
	/* An unsolicited one to all-nodes. */
	fb6_na(&b);
	b.ibody[0] = TCPD_NET_NA_OVERRIDE;
	memcpy(b.dst, all_nodes, 16);
	memcpy(b.dmac, "\x33\x33\x00\x00\x00\x01", 6);
	build_expect_class(&b, TCPD_NET_ND_NA, NULL, "unsolicited");
	b.ibody[0] = TCPD_NET_NA_OVERRIDE | TCPD_NET_NA_SOLICITED;
	build_expect_drop(&b, TCPD_STAT_drop_nd_invalid, "solicited to multicast");
	fb6_na(&b);
	b.ibody_len = 20;
	build_expect_drop(&b, TCPD_STAT_drop_nd_no_lla, "no target link-layer option");
	fb6_na(&b);
	b.ibody[20] = 1; /* a source link-layer option instead */
	build_expect_drop(&b, TCPD_STAT_drop_nd_no_lla, "source option only");
	fb6_na(&b);
	memset(b.src, 0, 16);
	build_expect_drop(&b, TCPD_STAT_drop_ip6_src, "from ::");
	fb6_na(&b);
	b.hop = 64;
	build_expect_drop(&b, TCPD_STAT_drop_nd_hop_limit, "hop limit");
	fb6_na(&b);
	b.icode = 3;
	build_expect_drop(&b, TCPD_STAT_drop_nd_code, "code");
	fb6_na(&b);
	b.bad_l4_cksum = true;
	build_expect_drop(&b, TCPD_STAT_drop_icmp6_cksum, "checksum");
	fb6_na(&b);
	b.ibody[4] = 0xff;
	build_expect_drop(&b, TCPD_STAT_drop_nd_invalid, "multicast target");
	fb6_na(&b);
	b.ibody[21] = 0;
	build_expect_drop(&b, TCPD_STAT_drop_nd_opt, "option length 0");
}

static void
test6_nd_build(void **state)
{
	uint8_t buf[256];
	struct rte_ether_addr mac;
	uint8_t sn[16];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tcpd_net_nd_unsolicited_na(buf, &ifc, 0), TCPD_NET_ND_LEN);
	assert_int_equal(sizeof(g_na_allnodes), TCPD_NET_ND_LEN);
	assert_memory_equal(buf, g_na_allnodes, TCPD_NET_ND_LEN);
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tcpd_net_nd_ns(buf, &ifc, 0, peer_ip6), TCPD_NET_ND_LEN);
	assert_memory_equal(buf, g_ns_out, sizeof(g_ns_out));
	/* The second address's announcement checks out by the reference sum. */
	tcpd_net_nd_unsolicited_na(buf, &ifc, 1);
	assert_memory_equal(buf + 22, our_ip6b, 16);
	assert_memory_equal(buf + 62, our_ip6b, 16);
	assert_true(l4_cksum_ok(buf + 14, buf + 54, 32, 58));

	/* Address helpers. */
	tcpd_net_ip6_solicited_node(our_ip6, sn);
	assert_memory_equal(sn, sn_ours, 16);
	tcpd_net_ip6_mcast_mac(sn, &mac);
	assert_memory_equal(&mac, "\x33\x33\xff\x00\x00\x01", 6);
	assert_int_equal(tcpd_net_ip6_ours(&ifc, our_ip6b), 1);
	assert_int_equal(tcpd_net_ip6_ours(&ifc, peer_ip6), -1);
	assert_true(tcpd_net_ip6_same_prefix(our_ip6, peer_ip6, 64));
	assert_true(tcpd_net_ip6_same_prefix(our_ip6, peer_ip6, 126));
	assert_false(tcpd_net_ip6_same_prefix(our_ip6, peer_ip6, 127));
	assert_false(tcpd_net_ip6_same_prefix(our_ip6, our_ip6b, 64));
	assert_true(tcpd_net_ip6_same_prefix(our_ip6, our_ip6b, 63));
	assert_true(tcpd_net_ip6_same_prefix(our_ip6, our_ip6b, 0));
	assert_false(tcpd_net_ip6_same_prefix(our_ip6, our_ip6, 129));
}

/* tools/frame.c's IPv6 writer (tcpd-flood, tcpd-bench's feed): scapy's bytes, and frames the
 * parser accepts with the reference checksum. */
static void
test6_tools_frame(void **state)
{
	uint8_t buf[2048], pl[1000];
	struct tcpd_frame6 f;
	struct tcpd_pkt pkt;
	size_t n;

	(void)state;
	memset(&f, 0, sizeof(f));
	memcpy(&f.src_mac, peer_mac, 6);
	memcpy(&f.dst_mac, our_mac, 6);
	memcpy(f.src_ip, peer_ip6, 16);
	memcpy(f.dst_ip, our_ip6, 16);
	f.flow_label = 0xabcde;
	f.tclass = 2;
	f.sport = 40000;
	f.dport = 80;
	f.seq = 0xdeadbeef;
	f.flags = TCPD_TH_SYN;
	f.win = 64800;
	f.opt.mss = 1440;
	f.opt.sack_perm = true;
	f.opt.ts = true;
	f.opt.tsval = 0x11223344;
	f.opt.ws = true;
	f.opt.wscale = 7;
	n = tcpd_frame_write6(buf, sizeof(buf), &f);
	assert_int_equal(n, sizeof(g_tcp_syn));
	assert_memory_equal(buf, g_tcp_syn, n);
	assert_int_equal(tcpd_frame_write6(buf, n - 1, &f), 0);

	memset(&f.opt, 0, sizeof(f.opt));
	f.opt.ts = true;
	f.flags = TCPD_TH_ACK | TCPD_TH_PSH;
	for (unsigned int i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)(i * 13);
	for (uint16_t plen = 0; plen < sizeof(pl); plen = (uint16_t)(plen * 2 + 1)) {
		f.payload = pl;
		f.plen = plen;
		n = tcpd_frame_write6(buf, sizeof(buf), &f);
		assert_int_equal(n, TCPD_FRAME6_HDR_LEN + 12 + plen);
		assert_true(l4_cksum_ok(buf + 14, buf + 54, (uint32_t)n - 54, 6));
		expect_class(buf, n, TCPD_NET_TCP, &pkt, "tools frame");
		assert_int_equal(pkt.payload_len, plen);
	}
}

/* Random damage to valid frames (bytes changed, lengths cut or padded): whatever the parser
 * says, it reads nothing past the frame (ASan), and what it accepts has offsets inside it. */
static void
test6_mutations(void **state)
{
	static const struct {
		const uint8_t *f;
		size_t n;
	} seeds[] = {
		{g_echo_req, sizeof(g_echo_req)}, {g_echo_req_hbh, sizeof(g_echo_req_hbh)},
		{g_ns_mcast, sizeof(g_ns_mcast)}, {g_ns_dad, sizeof(g_ns_dad)},
		{g_na_in, sizeof(g_na_in)},	  {g_tcp_syn, sizeof(g_tcp_syn)},
	};
	unsigned int accepted = 0;
	uint8_t buf[512];
	struct fb6 b;

	(void)state;
	srand(8200);
	for (unsigned int i = 0; i < 200000; i++) {
		const uint8_t *src;
		size_t n, k, m;
		struct tcpd_pkt pkt;
		enum tcpd_stat r;
		enum tcpd_net_class c;

		if (i % 7 == 6) {
			/* A fresh chain of extension headers in front of TCP. */
			fb6_tcp(&b);
			for (k = (size_t)rand() % 5; k > 0; k--)
				fb6_dopt(&b, (uint8_t[]){0, 43, 60, 60}[rand() % 4]);
			n = fb6_build(&b, buf);
		} else {
			src = seeds[i % RTE_DIM(seeds)].f;
			n = seeds[i % RTE_DIM(seeds)].n;
			memcpy(buf, src, n);
		}
		for (m = 1 + (size_t)rand() % 4; m > 0; m--) {
			/* Most damage lands in the headers, where the parser looks. */
			k = 12 + (size_t)rand() % (n - 12 < 80 ? n - 12 : 80);
			buf[k] = rand() % 3 ? (uint8_t)rand()
					    : (uint8_t)(buf[k] ^ (1u << (rand() % 8)));
		}
		if (rand() % 4 == 0)
			n = 14 + (size_t)rand() % (n - 13);
		else if (rand() % 8 == 0 && n + 16 <= sizeof(buf))
			n += (size_t)rand() % 16;
		c = parse_exact_if(buf, n, &ifc, 0, &pkt, &r);
		if (c == TCPD_NET_DROP) {
			assert_true(r < TCPD_STAT_MAX);
			continue;
		}
		accepted++;
		assert_true(pkt.l3_off == 14 && pkt.l4_off >= 54);
		assert_true(pkt.payload_off >= pkt.l4_off);
		assert_true((size_t)pkt.payload_off + pkt.payload_len <= n);
		assert_int_equal(pkt.family, TCPD_NET_AF_INET6);
	}
	/* Some survive: damage to bytes no check covers (traffic class, flow label, the hop
	 * limit of TCP and echo, a MAC's source) leaves a valid frame. */
	printf("mutations: %u of 200000 accepted\n", accepted);
}

static double
thread_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Parse cost of the same segment (ACK, timestamps, 18 bytes of data, software checksums) over
 * IPv4 and IPv6, in thread CPU time (the machine is shared): printed, not asserted. */
static void
test6_cost(void **state)
{
	static const char req[] = "GET / HTTP/1.1\r\n\r\n";
	uint8_t f4[256], f6[256];
	struct tcpd_net_flow fl4;
	struct tcpd_net_flow6 fl6;
	struct tcpd_net_seg s;
	struct tcpd_pkt pkt;
	enum tcpd_stat r;
	uint32_t n4, n6;
	double best4 = 1e9, best6 = 1e9;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.flags = TCPD_TH_ACK | TCPD_TH_PSH;
	s.opts.present = TCPD_OPT_TS;
	memset(&fl4, 0, sizeof(fl4));
	memcpy(&fl4.src_mac, peer_mac, 6);
	memcpy(&fl4.dst_mac, our_mac, 6);
	fl4.src_ip = rte_cpu_to_be_32(0xc6120002);
	fl4.dst_ip = ifc.ip;
	fl4.src_port = rte_cpu_to_be_16(40000);
	fl4.dst_port = rte_cpu_to_be_16(80);
	n4 = tcpd_net_build_tcp(f4, &fl4, &s, req, 18, &ifc, NULL);
	memset(&fl6, 0, sizeof(fl6));
	memcpy(&fl6.src_mac, peer_mac, 6);
	memcpy(&fl6.dst_mac, our_mac, 6);
	memcpy(fl6.src_ip, peer_ip6, 16);
	memcpy(fl6.dst_ip, our_ip6, 16);
	fl6.src_port = fl4.src_port;
	fl6.dst_port = fl4.dst_port;
	n6 = tcpd_net_build_tcp6(f6, &fl6, &s, req, 18, &ifc, NULL);
	for (int rep = 0; rep < 5; rep++) {
		double t0 = thread_ns(), t1, t2;

		for (int i = 0; i < 200000; i++)
			assert_int_equal(tcpd_net_parse(f4, n4, &ifc, 0, &pkt, &r), TCPD_NET_TCP);
		t1 = thread_ns();
		for (int i = 0; i < 200000; i++)
			assert_int_equal(tcpd_net_parse(f6, n6, &ifc, 0, &pkt, &r), TCPD_NET_TCP);
		t2 = thread_ns();
		best4 = (t1 - t0) / 200000 < best4 ? (t1 - t0) / 200000 : best4;
		best6 = (t2 - t1) / 200000 < best6 ? (t2 - t1) / 200000 : best6;
	}
	printf("parse, best of 5 x 200000: IPv4 %u-byte frame %.1f ns, IPv6 %u-byte frame %.1f ns "
	       "(%.2fx)\n",
	       n4, best4, n6, best6, best6 / best4);
}

/* Client mode's IPv6 source range (ifc->ip6_range, issue 15): 257 addresses from
 * 2001:2::ff:ffff, across a 24-bit solicited-node boundary. Its addresses are ours for TCP and
 * ND (by unicast and by their groups), with indexes TCPD_NET_MAX_IP6 + offset; one past either
 * end is not; the NA for a range address comes from it with a good checksum. */
static void
range6_addr(uint8_t out[16], uint32_t low)
{
	memcpy(out, our_ip6, 12);
	tfx_put32(out + 12, low);
}

static void
test6_src_range(void **state)
{
	struct tcpd_iface r = ifc;
	uint8_t base[16], a[16], sn[16], buf[2048];
	enum tcpd_stat why;
	struct tcpd_pkt pkt;
	struct fb6 b;
	size_t n;

	(void)state;
	range6_addr(base, 0x00ffffff);
	tcpd_iface_set_range6(&r, base, 257);
	assert_int_equal(r.ip6_range_lo, 0x00ffffff);
	assert_int_equal(tcpd_net_ip6_ours(&r, our_ip6), 0);
	assert_int_equal(tcpd_net_ip6_ours(&r, our_ip6b), 1);
	assert_int_equal(tcpd_net_ip6_ours(&r, base), TCPD_NET_MAX_IP6);
	range6_addr(a, 0x010000ff);
	assert_int_equal(tcpd_net_ip6_ours(&r, a), TCPD_NET_MAX_IP6 + 256);
	range6_addr(a, 0x01000100);
	assert_int_equal(tcpd_net_ip6_ours(&r, a), -1);
	range6_addr(a, 0x00fffffe);
	assert_int_equal(tcpd_net_ip6_ours(&r, a), -1);
	memcpy(a, our_ip6b, 12); /* the same last 32 bits in another /96 */
	tfx_put32(a + 12, 0x01000005);
	assert_int_equal(tcpd_net_ip6_ours(&r, a), -1);
	assert_true(tcpd_net_ip6_idx_valid(&r, 1));
	assert_false(tcpd_net_ip6_idx_valid(&r, 2));
	assert_true(tcpd_net_ip6_idx_valid(&r, TCPD_NET_MAX_IP6 + 256));
	assert_false(tcpd_net_ip6_idx_valid(&r, TCPD_NET_MAX_IP6 + 257));
	tcpd_net_ip6_local_addr(&r, TCPD_NET_MAX_IP6 + 6, a);
	range6_addr(sn, 0x01000005);
	assert_memory_equal(a, sn, 16);
	tcpd_net_ip6_local_addr(&r, 1, a);
	assert_memory_equal(a, our_ip6b, 16);

	/* TCP to 2001:2::100:5 (offset 6): ours, its index from the destination */
	fb6_tcp(&b);
	range6_addr(b.dst, 0x01000005);
	n = fb6_build(&b, buf);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &r, 0, &pkt, &why), TCPD_NET_TCP);
	assert_int_equal(pkt.ip6_idx, TCPD_NET_MAX_IP6);
	assert_int_equal(tcpd_net_ip6_local_idx(&r, &pkt), TCPD_NET_MAX_IP6 + 6);
	/* without the range (ifc), it is not for us; from a range address, a spoof */
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &ifc, 0, &pkt, &why), TCPD_NET_DROP);
	assert_int_equal(why, TCPD_STAT_drop_ip6_not_for_us);
	fb6_tcp(&b);
	range6_addr(b.src, 0x01000005);
	n = fb6_build(&b, buf);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &r, 0, &pkt, &why), TCPD_NET_DROP);
	assert_int_equal(why, TCPD_STAT_drop_ip6_src);
	/* our configured addresses keep their index */
	fb6_tcp(&b);
	memcpy(b.dst, our_ip6b, 16);
	n = fb6_build(&b, buf);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &r, 0, &pkt, &why), TCPD_NET_TCP);
	assert_int_equal(tcpd_net_ip6_local_idx(&r, &pkt), 1);

	/* NS to the group of 2001:2::100:5 (ff02::1:ff00:5): answered from that address */
	range6_addr(a, 0x01000005);
	fb6_ns(&b, a);
	tcpd_net_ip6_solicited_node(a, b.dst);
	tcpd_net_ip6_mcast_mac(b.dst, (struct rte_ether_addr *)b.dmac);
	n = fb6_build(&b, buf);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &r, 0, &pkt, &why), TCPD_NET_ND_NS);
	assert_int_equal(pkt.ip6_idx, TCPD_NET_MAX_IP6);
	assert_int_equal(tcpd_net_nd_na_reply(buf, &pkt, &r), TCPD_NET_ND_LEN);
	assert_memory_equal(buf + 14 + 8, a, 16); /* source: the target */
	assert_memory_equal(buf + 14 + 24, peer_ip6, 16);
	assert_memory_equal(buf + 54 + 8, a, 16);	/* target */
	assert_memory_equal(buf + 54 + 26, our_mac, 6); /* TLLA */
	assert_int_equal(buf[54], 136);
	assert_int_equal(buf[54 + 4], TCPD_NET_NA_SOLICITED | TCPD_NET_NA_OVERRIDE);
	assert_true(l4_cksum_ok(buf + 14, buf + 54, 32, 58));
	/* the group of one past the end (ff02::1:ff00:100), and of one before the start */
	range6_addr(a, 0x01000100);
	fb6_ns(&b, a);
	tcpd_net_ip6_solicited_node(a, b.dst);
	tcpd_net_ip6_mcast_mac(b.dst, (struct rte_ether_addr *)b.dmac);
	n = fb6_build(&b, buf);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &r, 0, &pkt, &why), TCPD_NET_DROP);
	assert_int_equal(why, TCPD_STAT_drop_ip6_not_for_us);
	range6_addr(a, 0x00fffffe);
	fb6_ns(&b, a);
	tcpd_net_ip6_solicited_node(a, b.dst);
	tcpd_net_ip6_mcast_mac(b.dst, (struct rte_ether_addr *)b.dmac);
	n = fb6_build(&b, buf);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &r, 0, &pkt, &why), TCPD_NET_DROP);
	assert_int_equal(why, TCPD_STAT_drop_ip6_not_for_us);
	/* unicast to our address, for one past the end: not ours; for the last: ours */
	range6_addr(a, 0x01000100);
	fb6_ns(&b, a);
	n = fb6_build(&b, buf);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &r, 0, &pkt, &why), TCPD_NET_DROP);
	assert_int_equal(why, TCPD_STAT_drop_nd_not_ours);
	range6_addr(a, 0x010000ff);
	fb6_ns(&b, a);
	n = fb6_build(&b, buf);
	assert_int_equal(tcpd_net_parse(buf, (uint32_t)n, &r, 0, &pkt, &why), TCPD_NET_ND_NS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test6_tmpl_matches_build),
		cmocka_unit_test(test6_tmpl_reply_in_place),
		cmocka_unit_test(test6_layout),
		cmocka_unit_test(test6_tcp_valid),
		cmocka_unit_test(test6_tcp_ext_headers),
		cmocka_unit_test(test6_truncation),
		cmocka_unit_test(test6_payload_length),
		cmocka_unit_test(test6_ext_chain),
		cmocka_unit_test(test6_ext_options),
		cmocka_unit_test(test6_addresses),
		cmocka_unit_test(test6_tcp_header),
		cmocka_unit_test(test6_build_golden),
		cmocka_unit_test(test6_build_sweep),
		cmocka_unit_test(test6_build_offload),
		cmocka_unit_test(test6_icmp6_echo),
		cmocka_unit_test(test6_nd_ns),
		cmocka_unit_test(test6_nd_na),
		cmocka_unit_test(test6_nd_build),
		cmocka_unit_test(test6_tools_frame),
		cmocka_unit_test(test6_mutations),
		cmocka_unit_test(test6_src_range),
		cmocka_unit_test(test6_cost),
	};

	memcpy(&ifc.mac, our_mac, 6);
	ifc.ip = rte_cpu_to_be_32(0xc6120001); /* 198.18.0.1 */
	ifc.mtu = 1500;
	ifc.nb_ip6 = 2;
	memcpy(ifc.ip6[0].addr, our_ip6, 16);
	ifc.ip6[0].prefix_len = 64;
	memcpy(ifc.ip6[1].addr, our_ip6b, 16);
	ifc.ip6[1].prefix_len = 64;
	return cmocka_run_group_tests_name("net6", tests, NULL, NULL);
}
