/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net unit tests. Frames are built by the small builder below (not by lib/net), checksums
 * are verified with a byte-at-a-time reference sum, and every parse runs on a heap copy of
 * exactly the frame's length, so AddressSanitizer catches any read past the end.
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

#include <rte_mbuf.h>

#include "net_priv.h"
#include "tcpd_net.h"
#include "tcpd_net_tmpl.h"

#include "tcp_fixture.h"

/* ---------------------------------------------------------------------------------------- */
/* Reference checksum, independent of DPDK's: big-endian 16-bit words, folded at the end.    */

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

static uint16_t
ref_cksum(const uint8_t *p, size_t n)
{
	return (uint16_t)~ref_fold(ref_sum(p, n, 0));
}

/* Pseudo-header sum (RFC 9293 3.1), not complemented. */
static uint32_t
ref_phdr_sum(const uint8_t *ip, uint8_t proto, size_t l4_len)
{
	uint32_t s = ref_sum(ip + 12, 8, 0);

	return s + proto + (uint32_t)l4_len;
}

/* The IPv4 header checksum of a frame is valid (sum over the header is 0xffff). */
static bool
ip_cksum_ok(const uint8_t *frame)
{
	unsigned int ihl = (frame[14] & 0xf) * 4u;

	return ref_fold(ref_sum(frame + 14, ihl, 0)) == 0xffff;
}

/* The TCP checksum of a frame is valid. */
static bool
tcp_cksum_ok(const uint8_t *frame)
{
	const uint8_t *ip = frame + 14;
	unsigned int ihl = (ip[0] & 0xf) * 4u, l4 = tfx_get16(ip + 2) - ihl;

	return ref_fold(ref_sum(ip + ihl, l4, ref_phdr_sum(ip, 6, l4))) == 0xffff;
}

/* ---------------------------------------------------------------------------------------- */
/* Test addresses.                                                                            */

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define OUR_IP		IP4(198, 18, 0, 1)
#define PEER_IP		IP4(198, 18, 0, 2)

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct tcpd_iface ifc;

/* ---------------------------------------------------------------------------------------- */
/* Frame builder.                                                                             */

struct fb {
	uint8_t dmac[6], smac[6];
	uint16_t etype;
	/* IPv4 */
	uint8_t ver;
	int ihl; /* -1: from ipopt_len */
	uint8_t tos;
	int tot_len; /* -1: computed */
	uint16_t ip_id;
	uint16_t frag; /* flags and offset, host order */
	uint8_t ttl, proto;
	uint32_t sip, dip; /* host order */
	uint8_t ipopt[40];
	unsigned int ipopt_len;
	bool bad_ip_cksum;
	/* TCP */
	uint16_t sport, dport;
	uint32_t seq, ack;
	int doff; /* -1: computed */
	uint8_t flags;
	uint16_t win;
	uint8_t topt[40];
	unsigned int topt_len;
	/* ICMP */
	uint8_t itype, icode;
	uint16_t iid, iseq;
	bool bad_l4_cksum;
	/* ARP */
	uint16_t ahrd, apro, aop;
	uint8_t ahln, apln;
	uint8_t sha[6], tha[6];
	uint32_t asip, atip;
	/* payload and Ethernet padding */
	uint8_t pl[1500];
	unsigned int pl_len;
	unsigned int pad;
};

static void
fb_tcp(struct fb *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->dmac, our_mac, 6);
	memcpy(b->smac, peer_mac, 6);
	b->etype = 0x0800;
	b->ver = 4;
	b->ihl = -1;
	b->tot_len = -1;
	b->ip_id = 0x4242;
	b->frag = 0x4000;
	b->ttl = 61;
	b->proto = 6;
	b->sip = PEER_IP;
	b->dip = OUR_IP;
	b->sport = 40000;
	b->dport = 80;
	b->seq = 0xdeadbeef;
	b->ack = 0;
	b->doff = -1;
	b->flags = TCPD_TH_SYN;
	b->win = 64240;
}

static void
fb_icmp(struct fb *b)
{
	fb_tcp(b);
	b->proto = 1;
	b->itype = 8;
	b->icode = 0;
	b->iid = 0x1234;
	b->iseq = 1;
}

static void
fb_arp(struct fb *b)
{
	fb_tcp(b);
	memcpy(b->dmac, bcast_mac, 6);
	b->etype = 0x0806;
	b->ahrd = 1;
	b->apro = 0x0800;
	b->ahln = 6;
	b->apln = 4;
	b->aop = 1;
	memcpy(b->sha, peer_mac, 6);
	memset(b->tha, 0, 6);
	b->asip = PEER_IP;
	b->atip = OUR_IP;
}

static void
fb_topts(struct fb *b, const uint8_t *o, unsigned int n)
{
	memcpy(b->topt, o, n);
	b->topt_len = n;
}

static void
fb_payload(struct fb *b, unsigned int n, uint8_t seed)
{
	for (unsigned int i = 0; i < n; i++)
		b->pl[i] = (uint8_t)(seed + i * 7);
	b->pl_len = n;
}

/* Write the frame into @p out (at least 1600 bytes); returns its length. */
static size_t
fb_build(const struct fb *b, uint8_t *out)
{
	uint8_t *ip = out + 14, *l4;
	unsigned int ihl_bytes, l4_len, tot;
	size_t n;

	memcpy(out, b->dmac, 6);
	memcpy(out + 6, b->smac, 6);
	tfx_put16(out + 12, b->etype);
	if (b->etype == 0x0806) {
		uint8_t *a = out + 14;

		tfx_put16(a, b->ahrd);
		tfx_put16(a + 2, b->apro);
		a[4] = b->ahln;
		a[5] = b->apln;
		tfx_put16(a + 6, b->aop);
		memcpy(a + 8, b->sha, 6);
		tfx_put32(a + 14, b->asip);
		memcpy(a + 18, b->tha, 6);
		tfx_put32(a + 24, b->atip);
		n = 42;
		memset(out + n, 0, b->pad);
		return n + b->pad;
	}

	ihl_bytes = 20 + b->ipopt_len;
	l4 = ip + ihl_bytes;
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
	} else if (b->proto == 1) {
		l4[0] = b->itype;
		l4[1] = b->icode;
		tfx_put16(l4 + 2, 0);
		tfx_put16(l4 + 4, b->iid);
		tfx_put16(l4 + 6, b->iseq);
		memcpy(l4 + 8, b->pl, b->pl_len);
		l4_len = 8 + b->pl_len;
	} else {
		memcpy(l4, b->pl, b->pl_len);
		l4_len = b->pl_len;
	}
	tot = ihl_bytes + l4_len;

	ip[0] = (uint8_t)(b->ver << 4 | (b->ihl >= 0 ? (unsigned int)b->ihl : ihl_bytes / 4));
	ip[1] = b->tos;
	tfx_put16(ip + 2, (uint16_t)(b->tot_len >= 0 ? (unsigned int)b->tot_len : tot));
	tfx_put16(ip + 4, b->ip_id);
	tfx_put16(ip + 6, b->frag);
	ip[8] = b->ttl;
	ip[9] = b->proto;
	tfx_put16(ip + 10, 0);
	tfx_put32(ip + 12, b->sip);
	tfx_put32(ip + 16, b->dip);
	memcpy(ip + 20, b->ipopt, b->ipopt_len);
	tfx_put16(ip + 10, (uint16_t)(ref_cksum(ip, ihl_bytes) ^ (b->bad_ip_cksum ? 0x0100 : 0)));

	if (b->proto == 6) {
		uint32_t s = ref_sum(l4, l4_len, ref_phdr_sum(ip, 6, l4_len));

		tfx_put16(l4 + 16, (uint16_t)(~ref_fold(s) ^ (b->bad_l4_cksum ? 0x0001 : 0)));
	} else if (b->proto == 1) {
		tfx_put16(l4 + 2,
			  (uint16_t)(ref_cksum(l4, l4_len) ^ (b->bad_l4_cksum ? 0x8000 : 0)));
	}
	n = 14 + tot;
	memset(out + n, 0, b->pad);
	return n + b->pad;
}

/* ---------------------------------------------------------------------------------------- */
/* Parse helpers: each parse sees a heap buffer of exactly @p len bytes.                      */

static enum tcpd_net_class
parse_exact(const uint8_t *buf, size_t len, unsigned int hw_ok, struct tcpd_pkt *pkt,
	    enum tcpd_stat *reason)
{
	uint8_t *copy = malloc(len);
	enum tcpd_net_class c;

	assert_true(copy != NULL || len == 0);
	if (len)
		memcpy(copy, buf, len);
	*reason = TCPD_STAT_MAX;
	memset(pkt, 0xa5, sizeof(*pkt));
	c = tcpd_net_parse(copy, (uint32_t)len, &ifc, hw_ok, pkt, reason);
	free(copy);
	return c;
}

static const char *
cls_name(enum tcpd_net_class c)
{
	static const char *const n[] = {"DROP", "ARP", "ICMP", "TCP"};

	return (unsigned int)c < 4 ? n[c] : "?";
}

static const char *
reason_name(enum tcpd_stat r)
{
	const char *n = tcpd_stats_name(r);

	return n ? n : "(none)";
}

/* Expect a drop for @p want; @p what names the case in a failure. */
static void
expect_drop_hw(const uint8_t *buf, size_t len, unsigned int hw_ok, enum tcpd_stat want,
	       const char *what)
{
	struct tcpd_pkt pkt;
	enum tcpd_stat r;
	enum tcpd_net_class c = parse_exact(buf, len, hw_ok, &pkt, &r);

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
	enum tcpd_net_class c = parse_exact(buf, len, hw_ok, pkt ? pkt : &tmp, &r);

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

/* Build @p b and expect @p want. */
static void
build_expect_drop(const struct fb *b, enum tcpd_stat want, const char *what)
{
	static uint8_t buf[1600];

	expect_drop(buf, fb_build(b, buf), want, what);
}

static void
build_expect_class(const struct fb *b, enum tcpd_net_class want, struct tcpd_pkt *pkt,
		   const char *what)
{
	static uint8_t buf[1600];

	expect_class(buf, fb_build(b, buf), want, pkt, what);
}

/* Linux's SYN options: MSS 1460, SACK-permitted, TS, NOP, WS 7. */
static const uint8_t linux_syn_opts[20] = {0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08,
					   0x0a, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00,
					   0x00, 0x00, 0x01, 0x03, 0x03, 0x07};
/* NOP, NOP, TS 0x01020304 / 0x05060708. */
static const uint8_t nop_nop_ts[12] = {0x01, 0x01, 0x08, 0x0a, 0x01, 0x02,
				       0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

/* ---------------------------------------------------------------------------------------- */
/* Valid frames: every field of the result.                                                  */

static void
test_tcp_syn_linux_options(void **state)
{
	struct tcpd_pkt pkt;
	struct fb b;

	(void)state;
	fb_tcp(&b);
	fb_topts(&b, linux_syn_opts, sizeof(linux_syn_opts));
	build_expect_class(&b, TCPD_NET_TCP, &pkt, "linux syn");
	assert_int_equal(pkt.l3_off, 14);
	assert_int_equal(pkt.l4_off, 34);
	assert_int_equal(pkt.payload_off, 74);
	assert_int_equal(pkt.payload_len, 0);
	assert_int_equal(pkt.src_ip, rte_cpu_to_be_32(PEER_IP));
	assert_int_equal(pkt.dst_ip, rte_cpu_to_be_32(OUR_IP));
	assert_int_equal(pkt.src_port, rte_cpu_to_be_16(40000));
	assert_int_equal(pkt.dst_port, rte_cpu_to_be_16(80));
	assert_int_equal(pkt.seq, 0xdeadbeef);
	assert_int_equal(pkt.ack, 0);
	assert_int_equal(pkt.win, 64240);
	assert_int_equal(pkt.flags, TCPD_TH_SYN);
	assert_int_equal(pkt.ip_tos, 0);
	assert_int_equal(pkt.opts.present,
			 TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE);
	assert_int_equal(pkt.opts.mss, 1460);
	assert_int_equal(pkt.opts.wscale, 7);
	assert_int_equal(pkt.opts.tsval, 0x11223344);
	assert_int_equal(pkt.opts.tsecr, 0);
	assert_int_equal(pkt.opts.nb_sack, 0);
}

/* Data segment with NOP,NOP,TS, IP header options (IHL 6), ECN bits, an odd payload length. */
static void
test_tcp_data_ip_options(void **state)
{
	static const uint8_t ipopt[4] = {0x01, 0x01, 0x01, 0x00};
	struct tcpd_pkt pkt;
	struct fb b;

	(void)state;
	fb_tcp(&b);
	memcpy(b.ipopt, ipopt, 4);
	b.ipopt_len = 4;
	b.tos = 0x02;
	b.flags = TCPD_TH_ACK | TCPD_TH_PSH;
	b.seq = 0xfffffff0;
	b.ack = 0x80000001;
	b.win = 0x1234;
	b.sport = 0xfffe;
	b.dport = 1;
	fb_topts(&b, nop_nop_ts, sizeof(nop_nop_ts));
	fb_payload(&b, 101, 3);
	build_expect_class(&b, TCPD_NET_TCP, &pkt, "data");
	assert_int_equal(pkt.l3_off, 14);
	assert_int_equal(pkt.l4_off, 38);
	assert_int_equal(pkt.payload_off, 38 + 32);
	assert_int_equal(pkt.payload_len, 101);
	assert_int_equal(pkt.src_ip, rte_cpu_to_be_32(PEER_IP));
	assert_int_equal(pkt.dst_ip, rte_cpu_to_be_32(OUR_IP));
	assert_int_equal(pkt.src_port, rte_cpu_to_be_16(0xfffe));
	assert_int_equal(pkt.dst_port, rte_cpu_to_be_16(1));
	assert_int_equal(pkt.seq, 0xfffffff0);
	assert_int_equal(pkt.ack, 0x80000001);
	assert_int_equal(pkt.win, 0x1234);
	assert_int_equal(pkt.flags, TCPD_TH_ACK | TCPD_TH_PSH);
	assert_int_equal(pkt.ip_tos, 0x02);
	assert_int_equal(pkt.opts.present, TCPD_OPT_TS);
	assert_int_equal(pkt.opts.tsval, 0x01020304);
	assert_int_equal(pkt.opts.tsecr, 0x05060708);
	assert_int_equal(pkt.opts.mss, 0);
	assert_int_equal(pkt.opts.wscale, 0);
	assert_int_equal(pkt.opts.nb_sack, 0);
}

/* Options in an order no fast path knows, with an unknown option and bytes after EOL. */
static void
test_tcp_options_general(void **state)
{
	static const uint8_t o[28] = {
		0x01,				    /* NOP */
		0x03, 0x03, 0x0e,		    /* WS 14 */
		0x04, 0x02,			    /* SACK-permitted */
		0x02, 0x04, 0x02, 0x18,		    /* MSS 536 */
		0x1e, 0x06, 0xaa, 0xbb, 0xcc, 0xdd, /* unknown kind 30, len 6 */
		0x08, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, /* TS */
		0x00,							    /* EOL */
		0x02,							    /* after EOL: ignored */
	};
	struct tcpd_pkt pkt;
	struct fb b;

	(void)state;
	fb_tcp(&b);
	fb_topts(&b, o, sizeof(o));
	build_expect_class(&b, TCPD_NET_TCP, &pkt, "general options");
	assert_int_equal(pkt.payload_off, 34 + 48);
	assert_int_equal(pkt.opts.present,
			 TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE);
	assert_int_equal(pkt.opts.mss, 536);
	assert_int_equal(pkt.opts.wscale, 14);
	assert_int_equal(pkt.opts.tsval, 0xffffffff);
	assert_int_equal(pkt.opts.tsecr, 1);
	assert_int_equal(pkt.opts.nb_sack, 0);
}

static void
test_tcp_sack_blocks(void **state)
{
	uint8_t o[48]; /* 40 used; GCC cannot see that k stays below 40 */
	struct tcpd_pkt pkt;
	struct fb b;
	unsigned int n, k, i;

	(void)state;
	/* 1 to 3 blocks after NOP,NOP,TS; 4 blocks alone (34 bytes + 2 NOPs). */
	for (n = 1; n <= 4; n++) {
		k = 0;
		if (n < 4) {
			memcpy(o, nop_nop_ts, 12);
			k = 12;
		}
		o[k++] = 1;
		o[k++] = 1;
		o[k++] = 5;
		o[k++] = (uint8_t)(2 + 8 * n);
		for (i = 0; i < n; i++) {
			tfx_put32(o + k, 0x10000000u * (i + 1));
			tfx_put32(o + k + 4, 0x10000000u * (i + 1) + 0x100 + i);
			k += 8;
		}
		fb_tcp(&b);
		b.flags = TCPD_TH_ACK;
		fb_topts(&b, o, k);
		build_expect_class(&b, TCPD_NET_TCP, &pkt, "sack");
		assert_int_equal(pkt.opts.present, TCPD_OPT_SACK | (n < 4 ? TCPD_OPT_TS : 0));
		assert_int_equal(pkt.opts.nb_sack, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(pkt.opts.sack[i].left, 0x10000000u * (i + 1));
			assert_int_equal(pkt.opts.sack[i].right, 0x10000000u * (i + 1) + 0x100 + i);
		}
		if (n < 4)
			assert_int_equal(pkt.opts.tsval, 0x01020304);
	}
}

/* Ethernet padding past the IP total length is ignored. */
static void
test_tcp_padding(void **state)
{
	uint8_t buf[1600];
	struct tcpd_pkt pkt;
	struct fb b;
	size_t n;

	(void)state;
	fb_tcp(&b);
	b.pad = 6; /* 54 -> 60 bytes, the Ethernet minimum */
	n = fb_build(&b, buf);
	assert_int_equal(n, 60);
	buf[58] = 0xee; /* padding is not covered by any checksum */
	expect_class(buf, n, TCPD_NET_TCP, &pkt, "padded syn");
	assert_int_equal(pkt.payload_len, 0);
	assert_int_equal(pkt.payload_off, 54);

	fb_tcp(&b);
	b.flags = TCPD_TH_ACK;
	fb_payload(&b, 3, 0x41);
	b.pad = 3;
	expect_class(buf, fb_build(&b, buf), TCPD_NET_TCP, &pkt, "padded data");
	assert_int_equal(pkt.payload_len, 3);
}

static void
test_icmp_valid(void **state)
{
	struct tcpd_pkt pkt;
	struct fb b;

	(void)state;
	fb_icmp(&b);
	fb_payload(&b, 56, 0);
	build_expect_class(&b, TCPD_NET_ICMP, &pkt, "echo");
	assert_int_equal(pkt.l3_off, 14);
	assert_int_equal(pkt.l4_off, 34);
	assert_int_equal(pkt.payload_off, 42);
	assert_int_equal(pkt.payload_len, 56);
	assert_int_equal(pkt.src_ip, rte_cpu_to_be_32(PEER_IP));
	assert_int_equal(pkt.dst_ip, rte_cpu_to_be_32(OUR_IP));

	/* No payload, odd payload, IP options, padding. */
	fb_icmp(&b);
	build_expect_class(&b, TCPD_NET_ICMP, &pkt, "echo empty");
	assert_int_equal(pkt.payload_len, 0);
	fb_icmp(&b);
	fb_payload(&b, 3, 9);
	b.ipopt_len = 8;
	memset(b.ipopt, 1, 8);
	b.pad = 9;
	build_expect_class(&b, TCPD_NET_ICMP, &pkt, "echo odd");
	assert_int_equal(pkt.l4_off, 42);
	assert_int_equal(pkt.payload_off, 50);
	assert_int_equal(pkt.payload_len, 3);
}

static void
test_arp_valid(void **state)
{
	uint8_t buf[64];
	struct tcpd_pkt pkt;
	struct fb b;
	size_t n;

	(void)state;
	fb_arp(&b);
	n = fb_build(&b, buf);
	assert_int_equal(n, 42);
	expect_class(buf, n, TCPD_NET_ARP, &pkt, "arp request");
	assert_int_equal(pkt.l3_off, 14);
	assert_int_equal(pkt.l4_off, 42);
	assert_int_equal(pkt.src_ip, rte_cpu_to_be_32(PEER_IP));
	assert_int_equal(pkt.dst_ip, rte_cpu_to_be_32(OUR_IP));

	/* Padded to 60; unicast to our MAC (Linux's cache refresh); a probe (RFC 5227). */
	b.pad = 18;
	build_expect_class(&b, TCPD_NET_ARP, NULL, "arp padded");
	fb_arp(&b);
	memcpy(b.dmac, our_mac, 6);
	build_expect_class(&b, TCPD_NET_ARP, NULL, "arp unicast");
	fb_arp(&b);
	b.asip = 0;
	build_expect_class(&b, TCPD_NET_ARP, NULL, "arp probe");
}

static void
test_arp_other(void **state)
{
	struct fb b;

	(void)state;
	fb_arp(&b);
	b.aop = 2;
	build_expect_class(&b, TCPD_NET_ARP_REPLY, NULL, "arp reply to us (client mode)");
	fb_arp(&b);
	b.aop = 2;
	b.atip = IP4(198, 18, 0, 9);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "arp reply to another host");
	fb_arp(&b);
	b.atip = IP4(198, 18, 0, 9);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "arp request for another host");
	fb_arp(&b);
	b.atip = b.asip;
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "gratuitous arp of a peer");
	fb_arp(&b);
	b.asip = OUR_IP;
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "gratuitous arp claiming our ip");
	fb_arp(&b);
	memcpy(b.dmac, peer_mac, 6);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "arp to another mac");

	fb_arp(&b);
	b.ahrd = 6;
	build_expect_drop(&b, TCPD_STAT_drop_arp, "arp htype");
	fb_arp(&b);
	b.apro = 0x86dd;
	build_expect_drop(&b, TCPD_STAT_drop_arp, "arp ptype");
	fb_arp(&b);
	b.ahln = 8;
	build_expect_drop(&b, TCPD_STAT_drop_arp, "arp hlen");
	fb_arp(&b);
	b.apln = 16;
	build_expect_drop(&b, TCPD_STAT_drop_arp, "arp plen");
	for (unsigned int op = 0; op < 16; op++) {
		if (op == 1 || op == 2)
			continue;
		fb_arp(&b);
		b.aop = (uint16_t)op;
		build_expect_drop(&b, TCPD_STAT_drop_arp, "arp op");
	}
	fb_arp(&b);
	b.aop = 0x0101;
	build_expect_drop(&b, TCPD_STAT_drop_arp, "arp op 257");
}

/* ---------------------------------------------------------------------------------------- */
/* Truncation: every length below the full frame.                                             */

static void
test_truncation_tcp(void **state)
{
	uint8_t buf[1600];
	struct fb b;
	size_t n, len;

	(void)state;
	fb_tcp(&b);
	fb_topts(&b, linux_syn_opts, sizeof(linux_syn_opts));
	fb_payload(&b, 11, 1);
	n = fb_build(&b, buf);
	assert_int_equal(n, 14 + 20 + 40 + 11);
	expect_class(buf, n, TCPD_NET_TCP, NULL, "full tcp");
	for (len = 0; len < n; len++)
		expect_drop(buf, len, len < 34 ? TCPD_STAT_drop_truncated : TCPD_STAT_drop_ip_len,
			    "tcp truncated");

	/* With 12 bytes of IP options the header ends at 46: IHL beyond the frame first. */
	fb_tcp(&b);
	b.ipopt_len = 12;
	memset(b.ipopt, 1, 12);
	fb_topts(&b, nop_nop_ts, sizeof(nop_nop_ts));
	b.flags = TCPD_TH_ACK;
	fb_payload(&b, 4, 1);
	n = fb_build(&b, buf);
	expect_class(buf, n, TCPD_NET_TCP, NULL, "full tcp with ip options");
	for (len = 0; len < n; len++) {
		enum tcpd_stat want = len < 34	 ? TCPD_STAT_drop_truncated
				      : len < 46 ? TCPD_STAT_drop_ip_hdr_len
						 : TCPD_STAT_drop_ip_len;

		expect_drop(buf, len, want, "tcp with ip options truncated");
	}
}

static void
test_truncation_icmp(void **state)
{
	uint8_t buf[1600];
	struct fb b;
	size_t n, len;

	(void)state;
	fb_icmp(&b);
	fb_payload(&b, 32, 5);
	n = fb_build(&b, buf);
	assert_int_equal(n, 14 + 20 + 8 + 32);
	expect_class(buf, n, TCPD_NET_ICMP, NULL, "full icmp");
	for (len = 0; len < n; len++)
		expect_drop(buf, len, len < 34 ? TCPD_STAT_drop_truncated : TCPD_STAT_drop_ip_len,
			    "icmp truncated");
}

static void
test_truncation_arp(void **state)
{
	uint8_t buf[1600];
	struct fb b;
	size_t n, len;

	(void)state;
	fb_arp(&b);
	n = fb_build(&b, buf);
	expect_class(buf, n, TCPD_NET_ARP, NULL, "full arp");
	for (len = 0; len < n; len++)
		expect_drop(buf, len, TCPD_STAT_drop_truncated, "arp truncated");
}

/* ---------------------------------------------------------------------------------------- */
/* IPv4 header.                                                                               */

static void
test_ip_ihl(void **state)
{
	struct fb b;

	(void)state;
	for (int ihl = 0; ihl < 5; ihl++) {
		fb_tcp(&b);
		b.ihl = ihl;
		build_expect_drop(&b, TCPD_STAT_drop_ip_hdr_len, "ihl below 5");
	}
	/* IHL 15 (60 bytes) in a 54-byte frame, and IHL 6 with no option bytes in a bare
	 * 34-byte frame. */
	fb_tcp(&b);
	b.ihl = 15;
	build_expect_drop(&b, TCPD_STAT_drop_ip_hdr_len, "ihl beyond the frame");
	fb_tcp(&b);
	b.proto = 17;
	b.ihl = 6;
	build_expect_drop(&b, TCPD_STAT_drop_ip_hdr_len, "ihl 6, 20-byte packet");
	/* IHL 15 in a frame that holds it: the options are skipped. */
	fb_tcp(&b);
	b.ipopt_len = 40;
	memset(b.ipopt, 1, 40);
	build_expect_class(&b, TCPD_NET_TCP, NULL, "ihl 15");
}

static void
test_ip_total_length(void **state)
{
	uint8_t buf[1600];
	struct fb b;
	size_t n;

	(void)state;
	fb_tcp(&b);
	fb_payload(&b, 10, 0);
	b.flags = TCPD_TH_ACK;
	b.tot_len = 20 + 20 + 10 + 1;
	build_expect_drop(&b, TCPD_STAT_drop_ip_len, "total length one past the frame");
	b.tot_len = 65535;
	build_expect_drop(&b, TCPD_STAT_drop_ip_len, "total length 65535");
	for (int t = 0; t < 20; t++) {
		b.tot_len = t;
		build_expect_drop(&b, TCPD_STAT_drop_ip_len, "total length below ihl");
	}
	for (int t = 20; t < 40; t++) {
		b.tot_len = t;
		build_expect_drop(&b, TCPD_STAT_drop_ip_len, "total length below ihl + tcp");
	}
	/* IHL 6: 24 + 20 is the minimum. */
	fb_tcp(&b);
	b.ipopt_len = 4;
	b.tot_len = 23;
	build_expect_drop(&b, TCPD_STAT_drop_ip_len, "total length below ihl 6");
	b.tot_len = 43;
	build_expect_drop(&b, TCPD_STAT_drop_ip_len, "total length below ihl 6 + tcp");

	fb_icmp(&b);
	for (int t = 20; t < 28; t++) {
		b.tot_len = t;
		build_expect_drop(&b, TCPD_STAT_drop_ip_len, "total length below ihl + icmp");
	}
	fb_icmp(&b);
	fb_payload(&b, 8, 0);
	b.tot_len = 20 + 8 + 9;
	build_expect_drop(&b, TCPD_STAT_drop_ip_len, "icmp total length past the frame");

	/* A total length shorter than the frame: the rest is padding, and the TCP checksum
	 * covers only the declared 30 bytes. The builder summed all 40, so recompute. */
	fb_tcp(&b);
	b.flags = TCPD_TH_ACK;
	fb_payload(&b, 20, 0);
	b.tot_len = 50;
	n = fb_build(&b, buf);
	tfx_put16(buf + 34 + 16, 0);
	tfx_put16(buf + 34 + 16,
		  (uint16_t)~ref_fold(ref_sum(buf + 34, 30, ref_phdr_sum(buf + 14, 6, 30))));
	{
		struct tcpd_pkt pkt;

		expect_class(buf, n, TCPD_NET_TCP, &pkt, "total length below the frame");
		assert_int_equal(pkt.payload_len, 10);
		assert_int_equal(pkt.payload_off, 54);
		buf[n - 1] ^= 0xff; /* beyond the total length: not covered */
		expect_class(buf, n, TCPD_NET_TCP, NULL, "bytes past the total length changed");
		buf[63] ^= 0xff; /* last declared byte: covered */
		expect_drop(buf, n, TCPD_STAT_drop_tcp_cksum, "last declared byte changed");
	}
}

static void
test_ip_checksum(void **state)
{
	uint8_t buf[1600];
	struct fb b;
	size_t n;

	(void)state;
	fb_tcp(&b);
	b.bad_ip_cksum = true;
	n = fb_build(&b, buf);
	expect_drop(buf, n, TCPD_STAT_drop_ip_cksum, "bad ip cksum");
	expect_drop_hw(buf, n, TCPD_NET_L4_CKSUM_GOOD, TCPD_STAT_drop_ip_cksum,
		       "bad ip cksum, l4 good");
	expect_class_hw(buf, n, TCPD_NET_IP_CKSUM_GOOD, TCPD_NET_TCP, NULL, "ip cksum by hw");

	/* The checksum covers the options too. */
	fb_tcp(&b);
	b.ipopt_len = 8;
	memset(b.ipopt, 1, 8);
	n = fb_build(&b, buf);
	expect_class(buf, n, TCPD_NET_TCP, NULL, "ip options");
	buf[14 + 26] ^= 0x40;
	expect_drop(buf, n, TCPD_STAT_drop_ip_cksum, "ip option corrupted");
	/* Every single-bit flip in the basic header is caught (or rejected earlier). */
	fb_tcp(&b);
	n = fb_build(&b, buf);
	for (unsigned int bit = 0; bit < 160; bit++) {
		struct tcpd_pkt pkt;
		enum tcpd_stat r;

		buf[14 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(parse_exact(buf, n, 0, &pkt, &r), TCPD_NET_DROP);
		buf[14 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
}

static void
test_ip_fragments(void **state)
{
	static const uint16_t bad[] = {0x2000, 0x0001, 0x1fff, 0x6000, 0x4001, 0x2008, 0x8001};
	struct fb b;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		fb_tcp(&b);
		b.frag = bad[i];
		build_expect_drop(&b, TCPD_STAT_drop_fragment, "fragment");
		fb_icmp(&b);
		b.frag = bad[i];
		build_expect_drop(&b, TCPD_STAT_drop_fragment, "icmp fragment");
	}
	fb_tcp(&b);
	b.frag = 0;
	build_expect_class(&b, TCPD_NET_TCP, NULL, "no DF");
	b.frag = 0x4000;
	build_expect_class(&b, TCPD_NET_TCP, NULL, "DF");
}

/* tcpd_net_peek_syn, the overloaded worker's test before parsing: SYN without ACK or RST, at the
 * TCP header after any IPv4 options or the fixed IPv6 header; never a later fragment, a tagged
 * frame, another protocol, or a header cut short. */
static void
test_peek_syn(void **state)
{
	static const struct {
		uint8_t flags;
		uint16_t frag;
		unsigned int ipopt, topt;
		bool syn;
	} c[] = {
		{TCPD_TH_SYN, 0x4000, 0, 0, true},
		{TCPD_TH_SYN, 0x0000, 4, 20, true},
		{TCPD_TH_SYN | TCPD_TH_FIN, 0x4000, 0, 0, true},
		{TCPD_TH_SYN | TCPD_TH_ACK, 0x4000, 0, 0, false},
		{TCPD_TH_SYN | TCPD_TH_RST, 0x4000, 0, 0, false},
		{TCPD_TH_ACK, 0x4000, 0, 0, false},
		{TCPD_TH_SYN, 0x2000, 0, 0, false},
		{TCPD_TH_SYN, 0x0001, 0, 0, false},
		{TCPD_TH_SYN, 0x0100, 0, 0, false},
	};
	uint8_t buf[1600], v6[74] = {0};
	struct fb b;
	size_t n;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(c); i++) {
		fb_tcp(&b);
		b.flags = c[i].flags;
		b.frag = c[i].frag;
		b.ipopt_len = c[i].ipopt;
		memset(b.ipopt, TCPD_TH_ACK, c[i].ipopt); /* where the flags would be without IHL */
		b.topt_len = c[i].topt;
		memset(b.topt, 1, c[i].topt);
		n = fb_build(&b, buf);
		assert_int_equal(tcpd_net_peek_syn(buf, (uint32_t)n), c[i].syn);
	}
	fb_tcp(&b);
	n = fb_build(&b, buf);
	assert_int_equal(n, 54);
	assert_true(tcpd_net_peek_syn(buf, 54));
	assert_false(tcpd_net_peek_syn(buf, 53));
	buf[23] = 17;
	assert_false(tcpd_net_peek_syn(buf, 54));
	buf[23] = 6;
	buf[12] = 0x81; /* 802.1Q */
	assert_false(tcpd_net_peek_syn(buf, 54));
	/* IPv6: the TCP header right after the fixed header, or no TCP there */
	v6[12] = 0x86;
	v6[13] = 0xdd;
	v6[14] = 0x60;
	v6[20] = 6;
	v6[14 + 40 + 12] = 5 << 4;
	v6[14 + 40 + 13] = TCPD_TH_SYN;
	assert_true(tcpd_net_peek_syn(v6, 74));
	assert_false(tcpd_net_peek_syn(v6, 73));
	v6[14 + 40 + 13] = TCPD_TH_SYN | TCPD_TH_ACK;
	assert_false(tcpd_net_peek_syn(v6, 74));
	v6[14 + 40 + 13] = TCPD_TH_SYN;
	v6[20] = 0; /* hop-by-hop options first */
	assert_false(tcpd_net_peek_syn(v6, 74));
}

/* A datagram longer than our MTU is dropped (af_packet may hand over kernel-reassembled
 * fragments); one of exactly the MTU passes. */
static void
test_ip_oversize(void **state)
{
	static uint8_t buf[1600];
	uint16_t saved = ifc.mtu, tot;
	struct fb b;
	uint32_t n;

	(void)state;
	fb_tcp(&b);
	n = fb_build(&b, buf);
	tot = (uint16_t)((buf[16] << 8) | buf[17]);
	ifc.mtu = tot;
	expect_class(buf, n, TCPD_NET_TCP, NULL, "tot_len == mtu");
	ifc.mtu = (uint16_t)(tot - 1);
	expect_drop(buf, n, TCPD_STAT_drop_oversize, "tot_len == mtu + 1");
	fb_icmp(&b);
	n = fb_build(&b, buf);
	ifc.mtu = (uint16_t)(((buf[16] << 8) | buf[17]) - 1);
	expect_drop(buf, n, TCPD_STAT_drop_oversize, "icmp tot_len == mtu + 1");
	ifc.mtu = saved;
}

static void
test_ip_src(void **state)
{
	static const uint32_t bad[] = {0,
				       IP4(255, 255, 255, 255),
				       IP4(224, 0, 0, 1),
				       IP4(239, 255, 255, 255),
				       IP4(230, 1, 2, 3),
				       OUR_IP};
	static const uint32_t good[] = {IP4(198, 19, 255, 254), IP4(223, 255, 255, 255),
					IP4(0, 0, 0, 1), IP4(255, 255, 255, 254)};
	struct fb b;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		fb_tcp(&b);
		b.sip = bad[i];
		build_expect_drop(&b, TCPD_STAT_drop_ip_src, "bad source");
		fb_icmp(&b);
		b.sip = bad[i];
		build_expect_drop(&b, TCPD_STAT_drop_ip_src, "bad icmp source");
	}
	for (unsigned int i = 0; i < RTE_DIM(good); i++) {
		fb_tcp(&b);
		b.sip = good[i];
		build_expect_class(&b, TCPD_NET_TCP, NULL, "good source");
	}
}

static void
test_not_for_us(void **state)
{
	static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0, 0x03};
	static const uint8_t mcast_mac[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
	struct fb b;

	(void)state;
	fb_tcp(&b);
	memcpy(b.dmac, other_mac, 6);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "other mac");
	/* ours but one byte, in either part of net_same_mac's 32 + 16-bit compare */
	for (unsigned int i = 0; i < 6; i++) {
		memcpy(b.dmac, our_mac, 6);
		b.dmac[i] ^= 0x10;
		build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "our mac but one byte");
	}
	memcpy(b.dmac, mcast_mac, 6);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "multicast mac");
	memcpy(b.dmac, bcast_mac, 6);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "tcp to broadcast mac");
	fb_icmp(&b);
	memcpy(b.dmac, bcast_mac, 6);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "icmp to broadcast mac");
	/* The MAC decides before the ethertype. */
	fb_tcp(&b);
	memcpy(b.dmac, other_mac, 6);
	b.etype = 0x86dd;
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "ipv6 to other mac");

	fb_tcp(&b);
	b.dip = IP4(198, 18, 0, 9);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "other ip");
	b.dip = IP4(255, 255, 255, 255);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "broadcast ip");
	b.dip = IP4(224, 0, 0, 1);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "multicast ip");
	fb_icmp(&b);
	b.dip = IP4(198, 18, 0, 9);
	build_expect_drop(&b, TCPD_STAT_drop_not_for_us, "icmp to other ip");
}

static void
test_ethertype_vlan(void **state)
{
	static const uint16_t vlan[] = {0x8100, 0x88a8, 0x9100, 0x9200, 0x9300};
	static const uint16_t other[] = {0x86dd, 0x8035, 0x88cc, 0x8847, 0x0000, 0x0040, 0x05dc};
	uint8_t buf[1600];
	struct fb b;
	size_t n;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(vlan); i++) {
		fb_tcp(&b);
		n = fb_build(&b, buf);
		/* A real 802.1Q frame: TPID, TCI, then the inner ethertype. */
		memmove(buf + 16, buf + 12, n - 12);
		tfx_put16(buf + 12, vlan[i]);
		tfx_put16(buf + 14, 0x0064);
		expect_drop(buf, n + 4, TCPD_STAT_drop_vlan, "vlan");
		/* Broadcast VLAN frames too (an ARP inside a tag). */
		fb_arp(&b);
		b.etype = vlan[i];
		build_expect_drop(&b, TCPD_STAT_drop_vlan, "vlan broadcast");
		/* Only the 14-byte header needs to be there to know. */
		expect_drop(buf, 14, TCPD_STAT_drop_vlan, "vlan header only");
	}
	for (unsigned int i = 0; i < RTE_DIM(other); i++) {
		fb_tcp(&b);
		b.etype = other[i];
		build_expect_drop(&b, TCPD_STAT_drop_ethertype, "ethertype");
	}
}

static void
test_ip_version_proto(void **state)
{
	static const uint8_t protos[] = {0, 2, 17, 41, 47, 50, 58, 132, 255};
	struct fb b;

	(void)state;
	for (uint8_t v = 0; v < 16; v++) {
		if (v == 4)
			continue;
		fb_tcp(&b);
		b.ver = v;
		build_expect_drop(&b, TCPD_STAT_drop_ip_version, "ip version");
	}
	for (unsigned int i = 0; i < RTE_DIM(protos); i++) {
		fb_tcp(&b);
		b.proto = protos[i];
		fb_payload(&b, 8, 0);
		build_expect_drop(&b, TCPD_STAT_drop_ip_proto, "ip proto");
	}
}

/* ---------------------------------------------------------------------------------------- */
/* TCP header.                                                                                */

static void
test_tcp_checksum(void **state)
{
	uint8_t buf[1600];
	struct fb b;
	size_t n;

	(void)state;
	fb_tcp(&b);
	fb_topts(&b, nop_nop_ts, sizeof(nop_nop_ts));
	b.flags = TCPD_TH_ACK;
	fb_payload(&b, 33, 2);
	b.bad_l4_cksum = true;
	n = fb_build(&b, buf);
	expect_drop(buf, n, TCPD_STAT_drop_tcp_cksum, "bad tcp cksum");
	expect_drop_hw(buf, n, TCPD_NET_IP_CKSUM_GOOD, TCPD_STAT_drop_tcp_cksum,
		       "bad tcp cksum, ip good");
	expect_class_hw(buf, n, TCPD_NET_L4_CKSUM_GOOD, TCPD_NET_TCP, NULL, "tcp cksum by hw");
	expect_class_hw(buf, n, TCPD_NET_L4_CKSUM_GOOD | TCPD_NET_IP_CKSUM_GOOD, TCPD_NET_TCP, NULL,
			"both by hw");

	/* Corrupting any payload byte, or the pseudo-header's addresses (src here: the dst is
	 * checked against ours first), fails the check. */
	b.bad_l4_cksum = false;
	n = fb_build(&b, buf);
	expect_class(buf, n, TCPD_NET_TCP, NULL, "good cksum");
	for (size_t i = 34; i < n; i++) {
		buf[i] ^= 0x10;
		expect_drop(buf, n, TCPD_STAT_drop_tcp_cksum, "tcp byte corrupted");
		buf[i] ^= 0x10;
	}
	/* Change the source IP and fix the IP checksum: only the pseudo-header is wrong now. */
	fb_tcp(&b);
	n = fb_build(&b, buf);
	buf[14 + 15] ^= 0x01;
	tfx_put16(buf + 24, 0);
	tfx_put16(buf + 24, ref_cksum(buf + 14, 20));
	assert_true(ip_cksum_ok(buf));
	expect_drop(buf, n, TCPD_STAT_drop_tcp_cksum, "pseudo-header source changed");
}

static void
test_tcp_data_offset(void **state)
{
	struct fb b;

	(void)state;
	for (int d = 0; d < 5; d++) {
		fb_tcp(&b);
		b.doff = d;
		build_expect_drop(&b, TCPD_STAT_drop_tcp_hdr_len, "doff below 5");
	}
	fb_tcp(&b);
	b.doff = 6;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_hdr_len, "doff 6, 20-byte segment");
	fb_tcp(&b);
	fb_topts(&b, nop_nop_ts, 12);
	fb_payload(&b, 3, 0);
	b.doff = 9; /* 36 > 35 */
	build_expect_drop(&b, TCPD_STAT_drop_tcp_hdr_len, "doff past the segment");
	b.doff = 15;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_hdr_len, "doff 15");
	/* doff covering exactly the segment: options, no payload. */
	fb_tcp(&b);
	fb_topts(&b, nop_nop_ts, 12);
	b.doff = 8;
	build_expect_class(&b, TCPD_NET_TCP, NULL, "doff == segment");
}

static void
test_tcp_flags_all(void **state)
{
	struct fb b;

	(void)state;
	for (unsigned int f = 0; f < 256; f++) {
		/* Every combination is TCP, SYN+FIN and SYN+RST too: their meaning depends on the
		 * state (RFC 9293 3.10.7.3: in SYN-SENT the ACK, then the RST), lib/tcp's to judge. */
		char what[48];
		struct tcpd_pkt pkt;

		fb_tcp(&b);
		b.flags = (uint8_t)f;
		snprintf(what, sizeof(what), "flags 0x%02x", f);
		build_expect_class(&b, TCPD_NET_TCP, &pkt, what);
		assert_int_equal(pkt.flags, f);
	}
}

static void
test_tcp_ports(void **state)
{
	struct fb b;

	(void)state;
	fb_tcp(&b);
	b.sport = 0;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_port, "source port 0");
	fb_tcp(&b);
	b.dport = 0;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_port, "destination port 0");
	b.sport = 0;
	build_expect_drop(&b, TCPD_STAT_drop_tcp_port, "both ports 0");
	fb_tcp(&b);
	b.sport = 0x0100; /* a zero byte is not a zero port */
	b.dport = 0x0001;
	build_expect_class(&b, TCPD_NET_TCP, NULL, "low ports");
}

/* ---------------------------------------------------------------------------------------- */
/* TCP option lengths: every malformed length of every kind.                                  */

struct opt_case {
	uint8_t bytes[40];
	unsigned int len; /* option area length (multiple of 4 for the frame tests) */
	const char *name;
};

/* Pad @p o to a multiple of 4 with EOL and return the padded length. */
static unsigned int
pad4(uint8_t *o, unsigned int n)
{
	while (n % 4)
		o[n++] = 0;
	return n;
}

/* Append to @p cases the malformed layouts of option @p kind with fixed length @p good
 * (0: variable, SACK). */
static unsigned int
malformed_for_kind(struct opt_case *c, uint8_t kind, unsigned int good)
{
	unsigned int n = 0, l;

	/* Lengths 0 and 1, first in the list and after NOP,NOP,TS. */
	for (l = 0; l < 2; l++) {
		memset(c[n].bytes, 0, 40);
		c[n].bytes[0] = kind;
		c[n].bytes[1] = (uint8_t)l;
		c[n].len = 4;
		c[n].name = l ? "len 1" : "len 0";
		n++;
		memcpy(c[n].bytes, nop_nop_ts, 12);
		memset(c[n].bytes + 12, 0, 28);
		c[n].bytes[12] = kind;
		c[n].bytes[13] = (uint8_t)l;
		c[n].len = 16;
		c[n].name = l ? "len 1 after ts" : "len 0 after ts";
		n++;
	}
	/* Wrong fixed lengths (or, for SACK, lengths that are not 2 + 8n), with room for them. */
	for (l = 2; l <= 26; l++) {
		bool wrong = good ? l != good : (l < 10 || (l - 2) % 8 != 0);

		if (!wrong || (good && l > good + 8))
			continue;
		memset(c[n].bytes, 0, 40);
		c[n].bytes[0] = kind;
		c[n].bytes[1] = (uint8_t)l;
		memset(c[n].bytes + 2, 0x11, l - 2);
		c[n].len = pad4(c[n].bytes, l);
		c[n].name = "wrong length";
		n++;
	}
	/* Running past the header by one byte: the right length (or a valid SACK length), the
	 * option placed so that it ends one byte beyond the option area. SACK-permitted (length
	 * 2) cannot: its length byte would be outside already ("no length byte" below). */
	l = good ? good : 10;
	if (l >= 3) {
		memset(c[n].bytes, 1, 40);
		c[n].len = 12;
		c[n].bytes[12 - l + 1] = kind;
		c[n].bytes[12 - l + 2] = (uint8_t)l;
		c[n].name = "past the header";
		n++;
	}
	/* A length that could never fit: 255. */
	memset(c[n].bytes, 0, 40);
	c[n].bytes[0] = kind;
	c[n].bytes[1] = 255;
	c[n].len = 40;
	c[n].name = "len 255";
	n++;
	/* The kind is the last byte: no room for the length byte. */
	memset(c[n].bytes, 1, 40);
	c[n].bytes[3] = kind;
	c[n].len = 4;
	c[n].name = "no length byte";
	n++;
	memcpy(c[n].bytes, nop_nop_ts, 12);
	memset(c[n].bytes + 12, 1, 28);
	c[n].bytes[39] = kind;
	c[n].len = 40;
	c[n].name = "no length byte at 40";
	n++;
	return n;
}

static void
test_tcp_option_lengths(void **state)
{
	static const struct {
		uint8_t kind;
		unsigned int good;
	} kinds[] = {{2, 4}, {3, 3}, {4, 2}, {5, 0}, {8, 10}, {30, 0xffff}, {254, 0xffff}};
	static struct opt_case c[64];
	unsigned int total = 0;

	(void)state;
	for (unsigned int k = 0; k < RTE_DIM(kinds); k++) {
		/* Unknown kinds (good 0xffff) are generated like SACK; their "wrong lengths"
		 * are in fact fine (any length >= 2 that fits is skipped), and checked so. */
		unsigned int good = kinds[k].good == 0xffff ? 0 : kinds[k].good;
		unsigned int n = malformed_for_kind(c, kinds[k].kind, good);

		for (unsigned int i = 0; i < n; i++) {
			struct tcpd_tcp_opts o;
			char what[96];
			struct fb b;

			if (kinds[k].good == 0xffff && strcmp(c[i].name, "wrong length") == 0) {
				/* Any length >= 2 that fits is valid for an unknown kind. */
				fb_tcp(&b);
				fb_topts(&b, c[i].bytes, c[i].len);
				snprintf(what, sizeof(what), "unknown kind %u len %u",
					 kinds[k].kind, c[i].bytes[1]);
				build_expect_class(&b, TCPD_NET_TCP, NULL, what);
				assert_int_equal(tcpd_net_parse_tcp_opts(c[i].bytes, c[i].len, &o),
						 0);
				continue;
			}
			snprintf(what, sizeof(what), "kind %u: %s (len byte %u)", kinds[k].kind,
				 c[i].name, c[i].bytes[1]);
			fb_tcp(&b);
			fb_topts(&b, c[i].bytes, c[i].len);
			build_expect_drop(&b, TCPD_STAT_drop_tcp_opt, what);
			if (tcpd_net_parse_tcp_opts(c[i].bytes, c[i].len, &o) != -1)
				fail_msg("%s: parse_tcp_opts accepted it", what);
			total++;
		}
	}
	assert_true(total > 60);
}

/* The direct option parser: fast paths, near misses, limits. */
static void
test_tcp_opts_direct(void **state)
{
	uint8_t o[48] = {0};
	struct tcpd_tcp_opts r;

	(void)state;
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 0, &r), 0);
	assert_int_equal(r.present, 0);
	assert_int_equal(r.nb_sack, 0);

	memset(o, 0, 8);
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 8, &r), 0);
	assert_int_equal(r.present, 0);
	memset(o, 1, 8);
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 8, &r), 0);
	assert_int_equal(r.present, 0);
	/* EOL then garbage that would be malformed. */
	o[0] = 0;
	o[1] = 2;
	o[2] = 0;
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 8, &r), 0);
	assert_int_equal(r.present, 0);

	assert_int_equal(tcpd_net_parse_tcp_opts(nop_nop_ts, 12, &r), 0);
	assert_int_equal(r.present, TCPD_OPT_TS);
	assert_int_equal(r.tsval, 0x01020304);
	assert_int_equal(r.tsecr, 0x05060708);

	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(tcpd_net_parse_tcp_opts(linux_syn_opts, 20, &r), 0);
	assert_int_equal(r.present,
			 TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE);
	assert_int_equal(r.mss, 1460);
	assert_int_equal(r.wscale, 7);
	assert_int_equal(r.tsval, 0x11223344);
	assert_int_equal(r.tsecr, 0);
	assert_int_equal(r.nb_sack, 0);

	/* Near misses of the SYN fast path go through the walk and get the same checks. */
	memcpy(o, linux_syn_opts, 20);
	o[17] = 3;
	o[18] = 4; /* WS with length 4 */
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 20, &r), -1);
	memcpy(o, linux_syn_opts, 20);
	o[16] = 0; /* EOL before WS */
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 20, &r), 0);
	assert_int_equal(r.present, TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS);
	memcpy(o, linux_syn_opts, 20);
	o[5] = 3; /* SACK-permitted length 3 */
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 20, &r), -1);
	/* Near miss of the TS fast path: TS length 9. */
	memcpy(o, nop_nop_ts, 12);
	o[3] = 9;
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 12, &r), -1);
	/* NOP,NOP,TS in a 16-byte area with a trailing SACK-permitted. */
	memcpy(o, nop_nop_ts, 12);
	o[12] = 4;
	o[13] = 2;
	o[14] = 0;
	o[15] = 0;
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 16, &r), 0);
	assert_int_equal(r.present, TCPD_OPT_TS | TCPD_OPT_SACK_PERM);
	/* A repeated option: the last one counts. */
	memcpy(o, "\x02\x04\x01\x00\x02\x04\x02\x00", 8);
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 8, &r), 0);
	assert_int_equal(r.mss, 0x200);
	/* Five SACK blocks (only reachable through this call): the first four are kept. */
	o[0] = 5;
	o[1] = 42;
	for (unsigned int i = 0; i < 40; i++)
		o[2 + i] = (uint8_t)i;
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 42, &r), 0);
	assert_int_equal(r.nb_sack, 4);
	assert_int_equal(r.sack[3].right, 0x1c1d1e1f);
	/* An option that ends exactly at the end is fine. */
	memcpy(o, "\x01\x03\x03\x05", 4);
	assert_int_equal(tcpd_net_parse_tcp_opts(o, 4, &r), 0);
	assert_int_equal(r.wscale, 5);
	/* Each length exactly one too long for the area. */
	assert_int_equal(tcpd_net_parse_tcp_opts(o + 1, 2, &r), -1);
}

/* ---------------------------------------------------------------------------------------- */
/* ICMP.                                                                                      */

static void
test_icmp_types_and_checksum(void **state)
{
	static const uint8_t types[] = {0, 3, 5, 11, 13, 17, 42, 255};
	uint8_t buf[1600];
	struct fb b;
	size_t n;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(types); i++) {
		fb_icmp(&b);
		b.itype = types[i];
		build_expect_drop(&b, TCPD_STAT_drop_icmp, "icmp type");
	}
	fb_icmp(&b);
	b.icode = 1;
	build_expect_drop(&b, TCPD_STAT_drop_icmp, "echo code 1");

	fb_icmp(&b);
	fb_payload(&b, 57, 1);
	b.bad_l4_cksum = true;
	n = fb_build(&b, buf);
	expect_drop(buf, n, TCPD_STAT_drop_icmp_cksum, "bad icmp cksum");
	expect_class_hw(buf, n, TCPD_NET_L4_CKSUM_GOOD, TCPD_NET_ICMP, NULL, "icmp cksum by hw");
	/* The last payload byte (odd length) is covered. */
	b.bad_l4_cksum = false;
	n = fb_build(&b, buf);
	expect_class(buf, n, TCPD_NET_ICMP, NULL, "good icmp");
	buf[n - 1] ^= 0x01;
	expect_drop(buf, n, TCPD_STAT_drop_icmp_cksum, "last icmp byte");
	buf[n - 1] ^= 0x01;
	/* Padding is not. */
	fb_icmp(&b);
	b.pad = 20;
	n = fb_build(&b, buf);
	buf[n - 1] = 0x77;
	expect_class(buf, n, TCPD_NET_ICMP, NULL, "icmp padding");
}

/* ---------------------------------------------------------------------------------------- */
/* Builders.                                                                                  */

static void
flow_init(struct tcpd_net_flow *f)
{
	memcpy(&f->src_mac, our_mac, 6);
	memcpy(&f->dst_mac, peer_mac, 6);
	f->src_ip = rte_cpu_to_be_32(OUR_IP);
	f->dst_ip = rte_cpu_to_be_32(PEER_IP);
	f->src_port = rte_cpu_to_be_16(80);
	f->dst_port = rte_cpu_to_be_16(40000);
}

static void
test_build_synack_bytes(void **state)
{
	static const uint8_t want[74] = {
		/* Ethernet */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
		/* IPv4: len 60, id 0, DF, TTL 64, TCP */
		0x45, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xae, 0x94, 0xc6, 0x12,
		0x00, 0x01, 0xc6, 0x12, 0x00, 0x02,
		/* TCP: 80 -> 40000, seq, ack, doff 10, SYN|ACK, win 65535 */
		0x00, 0x50, 0x9c, 0x40, 0x01, 0x02, 0x03, 0x04, 0x11, 0x22, 0x33, 0x45, 0xa0, 0x12,
		0xff, 0xff, 0x2c, 0xdd, 0x00, 0x00,
		/* MSS 1460; SACK-perm, TS; NOP, WS 7 */
		0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0xa1, 0xb2, 0xc3, 0xd4, 0x11, 0x22,
		0x33, 0x44, 0x01, 0x03, 0x03, 0x07};
	uint8_t buf[TCPD_NET_TCP_HDR_MAX + 16];
	struct tcpd_net_flow f;
	struct tcpd_net_seg s;
	uint16_t hl = 0;
	uint32_t n;

	(void)state;
	flow_init(&f);
	memset(&s, 0, sizeof(s));
	s.seq = 0x01020304;
	s.ack = 0x11223345;
	s.win = 65535;
	s.flags = TCPD_TH_SYN | TCPD_TH_ACK;
	s.opts.present = TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE;
	s.opts.mss = 1460;
	s.opts.wscale = 7;
	s.opts.tsval = 0xa1b2c3d4;
	s.opts.tsecr = 0x11223344;
	memset(buf, 0xcc, sizeof(buf));
	n = tcpd_net_build_tcp(buf, &f, &s, NULL, 0, &ifc, &hl);
	assert_int_equal(n, 74);
	assert_int_equal(hl, 74);
	assert_int_equal(tcpd_net_tcp_hdr_len(&s.opts), 74);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[74], 0xcc); /* nothing written past the frame */
	assert_true(ip_cksum_ok(buf));
	assert_true(tcp_cksum_ok(buf));
}

static void
test_build_data_bytes(void **state)
{
	static const uint8_t want[79] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
		/* IPv4: TOS 2, len 65 */
		0x45, 0x02, 0x00, 0x41, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xae, 0x8d, 0xc6, 0x12,
		0x00, 0x01, 0xc6, 0x12, 0x00, 0x02,
		/* TCP: doff 8, ACK|PSH, win 502 */
		0x00, 0x50, 0x9c, 0x40, 0x01, 0x02, 0x03, 0x05, 0x11, 0x22, 0x33, 0x46, 0x80, 0x18,
		0x01, 0xf6, 0x0f, 0x3f, 0x00, 0x00,
		/* NOP, NOP, TS */
		0x01, 0x01, 0x08, 0x0a, 0xa1, 0xb2, 0xc3, 0xd5, 0x11, 0x22, 0x33, 0x55,
		/* "hello, world\n" */
		'h', 'e', 'l', 'l', 'o', ',', ' ', 'w', 'o', 'r', 'l', 'd', '\n'};
	static const char payload[] = "hello, world\n";
	uint8_t buf[200], buf2[200];
	struct tcpd_net_flow f;
	struct tcpd_net_seg s;
	uint16_t hl = 0;
	uint32_t n;

	(void)state;
	flow_init(&f);
	memset(&s, 0, sizeof(s));
	s.seq = 0x01020305;
	s.ack = 0x11223346;
	s.win = 502;
	s.flags = TCPD_TH_ACK | TCPD_TH_PSH;
	s.ip_tos = 0x02;
	s.opts.present = TCPD_OPT_TS;
	s.opts.tsval = 0xa1b2c3d5;
	s.opts.tsecr = 0x11223355;
	memset(buf, 0xcc, sizeof(buf));
	n = tcpd_net_build_tcp(buf, &f, &s, payload, 13, &ifc, &hl);
	assert_int_equal(n, 79);
	assert_int_equal(hl, 66);
	assert_int_equal(tcpd_net_tcp_hdr_len(&s.opts), 66);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[79], 0xcc);
	assert_true(ip_cksum_ok(buf));
	assert_true(tcp_cksum_ok(buf));

	/* Payload already in place (NULL): the same frame. */
	memset(buf2, 0xcc, sizeof(buf2));
	memcpy(buf2 + 66, payload, 13);
	n = tcpd_net_build_tcp(buf2, &f, &s, NULL, 13, &ifc, NULL);
	assert_int_equal(n, 79);
	assert_memory_equal(buf2, want, sizeof(want));
	/* Payload pointer equal to its place: the same frame. */
	n = tcpd_net_build_tcp(buf2, &f, &s, buf2 + 66, 13, &ifc, NULL);
	assert_memory_equal(buf2, want, sizeof(want));
}

/* Every option combination: the layout, the lengths, the checksums, and parse(build(x)) == x. */
static void
test_build_layouts(void **state)
{
	uint8_t buf[TCPD_NET_TCP_HDR_MAX + 64];
	struct tcpd_net_flow f;

	(void)state;
	flow_init(&f);
	for (unsigned int present = 0; present < 32; present++) {
		struct tcpd_net_seg s;
		uint8_t want[40];
		unsigned int k = 0, nsack;
		uint16_t hl = 0;
		uint32_t n;

		memset(&s, 0, sizeof(s));
		s.seq = 1000 + present;
		s.ack = 2000;
		s.win = 29200;
		s.flags = TCPD_TH_SYN | TCPD_TH_ACK;
		s.opts.present = (uint8_t)present;
		s.opts.mss = 1400;
		s.opts.wscale = 9;
		s.opts.tsval = 0x01020304 * (present + 1);
		s.opts.tsecr = 0x0a0b0c0d;
		s.opts.nb_sack = 4; /* as many as fit after the other options */
		for (unsigned int b = 0; b < 4; b++) {
			s.opts.sack[b].left = 0x10000000u * (b + 1) + present;
			s.opts.sack[b].right = s.opts.sack[b].left + 1000 * (b + 1);
		}
		if (present & TCPD_OPT_MSS) {
			memcpy(want + k, "\x02\x04\x05\x78", 4);
			k += 4;
		}
		if (present & TCPD_OPT_TS) {
			if (present & TCPD_OPT_SACK_PERM)
				memcpy(want + k, "\x04\x02\x08\x0a", 4);
			else
				memcpy(want + k, "\x01\x01\x08\x0a", 4);
			tfx_put32(want + k + 4, s.opts.tsval);
			tfx_put32(want + k + 8, s.opts.tsecr);
			k += 12;
		} else if (present & TCPD_OPT_SACK_PERM) {
			memcpy(want + k, "\x01\x01\x04\x02", 4);
			k += 4;
		}
		if (present & TCPD_OPT_WSCALE) {
			memcpy(want + k, "\x01\x03\x03\x09", 4);
			k += 4;
		}
		nsack = 0;
		if (present & TCPD_OPT_SACK) {
			nsack = RTE_MIN((40u - k - 4) / 8, 4u);
			want[k] = 1;
			want[k + 1] = 1;
			want[k + 2] = 5;
			want[k + 3] = (uint8_t)(2 + 8 * nsack);
			for (unsigned int b = 0; b < nsack; b++) {
				tfx_put32(want + k + 4 + 8 * b, s.opts.sack[b].left);
				tfx_put32(want + k + 8 + 8 * b, s.opts.sack[b].right);
			}
			k += 4 + 8 * nsack;
		}
		memset(buf, 0xcc, sizeof(buf));
		n = tcpd_net_build_tcp(buf, &f, &s, "xy", 2, &ifc, &hl);
		assert_int_equal(hl, 54 + k);
		assert_int_equal(n, 54 + k + 2);
		assert_int_equal(tcpd_net_tcp_hdr_len(&s.opts), hl);
		assert_int_equal(buf[46], ((20 + k) / 4) << 4);
		assert_int_equal(tfx_get16(buf + 16), 40 + k + 2);
		assert_memory_equal(buf + 54, want, k);
		assert_memory_equal(buf + hl, "xy", 2);
		assert_int_equal(buf[n], 0xcc);
		assert_true(ip_cksum_ok(buf));
		assert_true(tcp_cksum_ok(buf));

		/* Parse it back, as the peer's frame: swap the MACs and IPs in a copy. */
		{
			struct tcpd_net_flow rf = f;
			struct tcpd_pkt pkt;

			memcpy(&rf.src_mac, peer_mac, 6);
			memcpy(&rf.dst_mac, our_mac, 6);
			rf.src_ip = f.dst_ip;
			rf.dst_ip = f.src_ip;
			rf.src_port = f.dst_port;
			rf.dst_port = f.src_port;
			n = tcpd_net_build_tcp(buf, &rf, &s, "xy", 2, &ifc, &hl);
			expect_class(buf, n, TCPD_NET_TCP, &pkt, "round trip");
			assert_int_equal(pkt.opts.present, present);
			assert_int_equal(pkt.opts.nb_sack, nsack);
			for (unsigned int b = 0; b < nsack; b++) {
				assert_int_equal(pkt.opts.sack[b].left, s.opts.sack[b].left);
				assert_int_equal(pkt.opts.sack[b].right, s.opts.sack[b].right);
			}
			assert_int_equal(pkt.payload_len, 2);
			assert_int_equal(pkt.payload_off, hl);
			assert_int_equal(pkt.seq, s.seq);
			assert_int_equal(pkt.ack, s.ack);
			assert_int_equal(pkt.win, s.win);
			assert_int_equal(pkt.src_port, rf.src_port);
			if (present & TCPD_OPT_MSS)
				assert_int_equal(pkt.opts.mss, 1400);
			if (present & TCPD_OPT_WSCALE)
				assert_int_equal(pkt.opts.wscale, 9);
			if (present & TCPD_OPT_TS) {
				assert_int_equal(pkt.opts.tsval, s.opts.tsval);
				assert_int_equal(pkt.opts.tsecr, s.opts.tsecr);
			}
		}
	}
}

/* net_raw_sum + net_sum_fold (every software checksum of lib/net) against DPDK's
 * rte_raw_cksum: every length to 300 at every alignment to 8, random, all-zero and all-ones
 * bytes, and with an initial sum. */
static void
test_raw_sum_matches_dpdk(void **state)
{
	static uint8_t buf[320];
	uint64_t r = 0x5ca1ab1e;
	unsigned int fill, len, off;

	(void)state;
	for (fill = 0; fill < 3; fill++) {
		for (unsigned int i = 0; i < sizeof(buf); i++) {
			r = r * 6364136223846793005ull + 1442695040888963407ull;
			buf[i] = fill == 0 ? (uint8_t)(r >> 33) : fill == 1 ? 0 : 0xff;
		}
		for (len = 0; len <= 300; len++) {
			for (off = 0; off < 8; off++) {
				uint16_t want = rte_raw_cksum(buf + off, len);
				uint32_t init = (uint32_t)(r >> 40) & 0xffff;

				assert_int_equal(net_sum_fold(net_raw_sum(buf + off, len, 0)),
						 want);
				assert_int_equal(net_sum_fold(net_raw_sum(buf + off, len, init)),
						 __rte_raw_cksum_reduce(
							 __rte_raw_cksum(buf + off, len, init)));
			}
		}
	}
}

/* Segment templates (tcpd_net_tmpl4_build): byte for byte what tcpd_net_build_tcp writes, for
 * every offload combination, option set, payload length and random fields and addresses. */
static void
test_tmpl4_matches_build(void **state)
{
	static const uint8_t opt_sets[] = {
		0,
		TCPD_OPT_TS,
		TCPD_OPT_MSS | TCPD_OPT_SACK_PERM | TCPD_OPT_TS | TCPD_OPT_WSCALE,
		TCPD_OPT_MSS,
		TCPD_OPT_SACK_PERM,
		TCPD_OPT_TS | TCPD_OPT_SACK,
		TCPD_OPT_SACK,
	};
	static const uint16_t plens[] = {0, 1, 3, 1000};
	uint8_t buf[TCPD_NET_TCP_HDR_MAX + 1024], ref[TCPD_NET_TCP_HDR_MAX + 1024];
	uint64_t r = 0x7e3a11;
	unsigned int ofl, oi, pi, k;

	(void)state;
	for (ofl = 0; ofl < 4; ofl++) {
		struct tcpd_iface off = ifc;
		struct tcpd_net_tmpl4 t;

		off.tx_ip_cksum = (ofl & 1) != 0;
		off.tx_tcp_cksum = (ofl & 2) != 0;
		tcpd_net_tmpl4_init(&t, &off);
		for (oi = 0; oi < RTE_DIM(opt_sets); oi++) {
			for (pi = 0; pi < RTE_DIM(plens); pi++) {
				for (k = 0; k < 16; k++) {
					struct tcpd_net_flow f;
					struct tcpd_net_seg s;
					uint32_t n, hl;

					r = r * 6364136223846793005ull + 1442695040888963407ull;
					flow_init(&f);
					f.src_mac = off.mac;
					f.dst_mac.addr_bytes[5] = (uint8_t)(r >> 8);
					f.src_ip = (uint32_t)(r >> 32);
					f.dst_ip = (uint32_t)r ^ (uint32_t)(r >> 17);
					f.src_port = (uint16_t)(r >> 20);
					f.dst_port = (uint16_t)(r >> 40);
					memset(&s, 0, sizeof(s));
					s.seq = (uint32_t)(r >> 13);
					s.ack = (uint32_t)(r >> 29);
					s.win = (uint16_t)(r >> 47);
					s.flags = (uint8_t)(r >> 3);
					s.ip_tos = (uint8_t)(k & 3);
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
					hl = tcpd_net_tcp_hdr_len(&s.opts);
					assert_int_equal(54 + tcpd_net_tmpl4_opts_len(&s.opts), hl);
					memset(ref, 0xa5, sizeof(ref));
					memset(buf, 0x5a, sizeof(buf));
					for (unsigned int j = 0; j < plens[pi]; j++)
						ref[hl + j] = buf[hl + j] = (uint8_t)(j * 7 + k);
					n = tcpd_net_build_tcp(ref, &f, &s, NULL, plens[pi], &off,
							       NULL);
					assert_int_equal(
						tcpd_net_tmpl4_build(buf, &t, &off, &f.dst_mac,
								     f.src_ip, f.dst_ip, f.src_port,
								     f.dst_port, &s, plens[pi]),
						n);
					assert_memory_equal(buf, ref, n);
				}
			}
		}
	}
}

static void
test_build_offload(void **state)
{
	uint8_t buf[TCPD_NET_TCP_HDR_MAX + 64], ref[TCPD_NET_TCP_HDR_MAX + 64];
	struct tcpd_iface off = ifc;
	struct tcpd_net_flow f;
	struct tcpd_net_seg s;
	struct rte_mbuf m;
	uint32_t n;

	(void)state;
	flow_init(&f);
	memset(&s, 0, sizeof(s));
	s.seq = 7;
	s.ack = 9;
	s.win = 1000;
	s.flags = TCPD_TH_ACK;
	s.opts.present = TCPD_OPT_TS;
	s.opts.tsval = 5;
	n = tcpd_net_build_tcp(ref, &f, &s, "abc", 3, &ifc, NULL);

	/* IP offload only: IP checksum 0, TCP checksum complete. */
	off.tx_ip_cksum = true;
	off.tx_tcp_cksum = false;
	assert_int_equal(tcpd_net_build_tcp(buf, &f, &s, "abc", 3, &off, NULL), n);
	assert_int_equal(tfx_get16(buf + 24), 0);
	assert_true(tcp_cksum_ok(buf));
	assert_memory_equal(buf + 26, ref + 26, n - 26);

	/* Both: the TCP field holds the pseudo-header sum, not complemented. */
	off.tx_tcp_cksum = true;
	tcpd_net_build_tcp(buf, &f, &s, "abc", 3, &off, NULL);
	assert_int_equal(tfx_get16(buf + 24), 0);
	assert_int_equal(tfx_get16(buf + 34 + 16), ref_fold(ref_phdr_sum(buf + 14, 6, n - 34)));
	/* TCP only: IP checksum in software. */
	off.tx_ip_cksum = false;
	tcpd_net_build_tcp(buf, &f, &s, "abc", 3, &off, NULL);
	assert_true(ip_cksum_ok(buf));
	assert_int_equal(tfx_get16(buf + 34 + 16), ref_fold(ref_phdr_sum(buf + 14, 6, n - 34)));
	/* The pseudo-header sum's carries: addresses near all-ones, lengths up to 64 KiB. */
	for (unsigned int k = 0; k < 4; k++) {
		static const uint32_t a[4][2] = {{0xffffffff, 0xffffffff},
						 {0xfffffffe, 0x0000ffff},
						 {0xffff0000, 0xfffeffff},
						 {0x00000001, 0x00000000}};
		uint16_t plen = k == 0 ? 0 : (uint16_t)(1000 * k);

		f.src_ip = rte_cpu_to_be_32(a[k][0]);
		f.dst_ip = rte_cpu_to_be_32(a[k][1]);
		if (k == 2)
			s.opts.present = 0;
		n = tcpd_net_build_tcp(buf, &f, &s, NULL, plen, &off, NULL);
		assert_int_equal(tfx_get16(buf + 34 + 16),
				 ref_fold(ref_phdr_sum(buf + 14, 6, n - 34)));
		assert_true(ip_cksum_ok(buf));
		assert_int_equal(tfx_get16(buf + 16), n - 14);
		assert_int_equal(buf[14], 0x45);
		assert_int_equal(tfx_get16(buf + 20), 0x4000);
		assert_int_equal(buf[22], 64);
		assert_int_equal(buf[23], 6);
	}

	memset(&m, 0, sizeof(m));
	m.ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	tcpd_net_tx_offload(&m, &ifc);
	assert_int_equal(m.ol_flags, RTE_MBUF_F_RX_IP_CKSUM_GOOD);
	assert_int_equal(m.l2_len, 0);
	assert_int_equal(m.l3_len, 0);
	off.tx_ip_cksum = true;
	off.tx_tcp_cksum = true;
	tcpd_net_tx_offload(&m, &off);
	assert_int_equal(m.l2_len, 14);
	assert_int_equal(m.l3_len, 20);
	assert_true((m.ol_flags &
		     (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM)) ==
		    (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM));
	memset(&m, 0, sizeof(m));
	off.tx_ip_cksum = false;
	tcpd_net_tx_offload(&m, &off);
	assert_true(m.ol_flags == (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM));
	assert_int_equal(m.l2_len, 14);
}

static void
test_reply_flow(void **state)
{
	uint8_t buf[1600];
	struct tcpd_net_flow f;
	struct tcpd_pkt pkt;
	struct fb b;
	size_t n;

	(void)state;
	fb_tcp(&b);
	n = fb_build(&b, buf);
	expect_class(buf, n, TCPD_NET_TCP, &pkt, "syn");
	tcpd_net_reply_flow(buf, &pkt, &f);
	assert_memory_equal(&f.src_mac, our_mac, 6);
	assert_memory_equal(&f.dst_mac, peer_mac, 6);
	assert_int_equal(f.src_ip, rte_cpu_to_be_32(OUR_IP));
	assert_int_equal(f.dst_ip, rte_cpu_to_be_32(PEER_IP));
	assert_int_equal(f.src_port, rte_cpu_to_be_16(80));
	assert_int_equal(f.dst_port, rte_cpu_to_be_16(40000));
}

static void
test_arp_reply_bytes(void **state)
{
	static const uint8_t want[42] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0xc6, 0x12, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x02};
	uint8_t buf[64];
	struct tcpd_pkt pkt;
	struct fb b;
	size_t n;

	(void)state;
	fb_arp(&b);
	b.pad = 18;
	n = fb_build(&b, buf);
	expect_class(buf, n, TCPD_NET_ARP, &pkt, "arp");
	assert_int_equal(tcpd_net_arp_reply(buf, &ifc), 42);
	assert_memory_equal(buf, want, 42);

	/* The Ethernet source differs from the ARP sender: the reply goes to the ARP sender. */
	fb_arp(&b);
	b.smac[5] = 0x77;
	b.tha[0] = 0x99; /* junk in the request's target MAC is overwritten */
	n = fb_build(&b, buf);
	expect_class(buf, n, TCPD_NET_ARP, &pkt, "arp");
	assert_int_equal(tcpd_net_arp_reply(buf, &ifc), 42);
	assert_memory_equal(buf, want, 42);
}

static void
test_garp_bytes(void **state)
{
	static const uint8_t want[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0xc6, 0x12, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc6, 0x12, 0x00, 0x01,
		/* padding */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	uint8_t buf[80];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(tcpd_net_garp(buf, &ifc), 60);
	assert_memory_equal(buf, want, 60);
	assert_int_equal(buf[60], 0xaa);
	/* Our own parser does not answer it (sender == target). */
	expect_drop(buf, 60, TCPD_STAT_drop_not_for_us, "own garp");
}

static void
test_icmp_reply_bytes(void **state)
{
	static const uint8_t want[50] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00,
					 0x00, 0x01, 0x08, 0x00,
					 /* IPv4: len 36, id 0xbeef, DF, TTL 64 (was 57), ICMP */
					 0x45, 0x00, 0x00, 0x24, 0xbe, 0xef, 0x40, 0x00, 0x40, 0x01,
					 0xef, 0xc1, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02,
					 /* echo reply, id 0x1234, seq 1 */
					 0x00, 0x00, 0x5c, 0x35, 0x12, 0x34, 0x00, 0x01, 'a', 'b',
					 'c', 'd', 'e', 'f', 'g', 'h'};
	uint8_t buf[1600];
	struct tcpd_pkt pkt;
	struct fb b;
	size_t n;

	(void)state;
	fb_icmp(&b);
	b.ip_id = 0xbeef;
	b.ttl = 57;
	memcpy(b.pl, "abcdefgh", 8);
	b.pl_len = 8;
	b.pad = 10;
	n = fb_build(&b, buf);
	assert_int_equal(n, 60);
	expect_class(buf, n, TCPD_NET_ICMP, &pkt, "echo");
	assert_int_equal(tcpd_net_icmp_echo_reply(buf, &pkt), 50);
	assert_memory_equal(buf, want, 50);
	assert_true(ip_cksum_ok(buf));
	assert_int_equal(ref_fold(ref_sum(buf + 34, 16, 0)), 0xffff);
}

/* Incremental updates against full recomputation over every identifier (so every checksum
 * value, 0x0000 and 0xffff included, goes through the update) and every TTL. */
static void
test_icmp_reply_sweep(void **state)
{
	uint8_t buf[256], exp[256];
	struct tcpd_pkt pkt;
	struct fb b, e;
	unsigned int zero_seen = 0; /* requests whose checksum is 0x0000 */

	(void)state;
	for (uint32_t v = 0; v < 65536 + 255; v++) {
		size_t n, en;
		enum tcpd_stat r;

		fb_icmp(&b);
		fb_payload(&b, 5, 3);
		if (v < 65536) {
			b.iid = (uint16_t)v;
		} else {
			b.ttl = (uint8_t)(v - 65536 + 1);
			b.ipopt_len = 4;
			memcpy(b.ipopt, "\x01\x01\x01\x00", 4);
		}
		n = fb_build(&b, buf);
		if (parse_exact(buf, n, 0, &pkt, &r) != TCPD_NET_ICMP)
			fail_msg("v %u: not parsed as icmp (%s)", v, reason_name(r));
		if (tfx_get16(buf + 14 + (b.ipopt_len + 20) + 2) == 0)
			zero_seen++;
		assert_int_equal(tcpd_net_icmp_echo_reply(buf, &pkt), n);

		e = b;
		memcpy(e.dmac, b.smac, 6);
		memcpy(e.smac, b.dmac, 6);
		e.sip = b.dip;
		e.dip = b.sip;
		e.ttl = 64;
		e.itype = 0;
		en = fb_build(&e, exp);
		assert_int_equal(en, n);
		/* Exact, checksums included: RFC 1624 equation 3 never yields the other zero
		 * (0xffff) where recomputation gives 0x0000. */
		if (memcmp(buf, exp, n) != 0)
			fail_msg("v %u: reply differs from the recomputed one", v);
	}
	assert_true(zero_seen > 0);
}

/* The reply's checksum against an independent full recomputation (ref_cksum over the reply
 * message with its checksum field zeroed), and valid (the message sums to 0xffff). An all-zero
 * reply (id 0, seq 0, no or zero payload) sums to +0, so 0xffff is its only valid checksum; the
 * incremental update alone yields 0x0000 there. Then seeded random messages. */
static void
icmp_reply_check(struct fb *b, const char *what)
{
	uint8_t buf[1600], msg[1600];
	struct tcpd_pkt pkt;
	size_t n, l4, mlen;
	enum tcpd_stat r;

	n = fb_build(b, buf);
	if (parse_exact(buf, n, 0, &pkt, &r) != TCPD_NET_ICMP)
		fail_msg("%s: not parsed as icmp (%s)", what, reason_name(r));
	assert_int_equal(tcpd_net_icmp_echo_reply(buf, &pkt), n - b->pad);
	l4 = 14 + 20 + b->ipopt_len;
	mlen = 8 + b->pl_len;
	memcpy(msg, buf + l4, mlen);
	tfx_put16(msg + 2, 0);
	if (tfx_get16(buf + l4 + 2) != ref_cksum(msg, mlen))
		fail_msg("%s: reply checksum 0x%04x, recomputed 0x%04x", what,
			 tfx_get16(buf + l4 + 2), ref_cksum(msg, mlen));
	if (ref_fold(ref_sum(buf + l4, mlen, 0)) != 0xffff)
		fail_msg("%s: reply checksum invalid", what);
	assert_true(ip_cksum_ok(buf));
}

static void
test_icmp_reply_zero(void **state)
{
	char what[64];
	struct fb b;

	(void)state;
	for (unsigned int len = 0; len <= 64; len++) {
		fb_icmp(&b);
		b.iid = 0;
		b.iseq = 0;
		memset(b.pl, 0, len);
		b.pl_len = len;
		b.pad = len < 18 ? 18 - len : 0;
		snprintf(what, sizeof(what), "all-zero, %u bytes of payload", len);
		icmp_reply_check(&b, what);
	}
	srand(11);
	for (unsigned int i = 0; i < 2000; i++) {
		fb_icmp(&b);
		b.iid = (uint16_t)rand();
		b.iseq = (uint16_t)rand();
		b.pl_len = (unsigned int)rand() % 200;
		for (unsigned int k = 0; k < b.pl_len; k++)
			b.pl[k] = (uint8_t)(rand() % 4 == 0 ? rand() : 0);
		snprintf(what, sizeof(what), "random %u", i);
		icmp_reply_check(&b, what);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_syn_linux_options),
		cmocka_unit_test(test_tcp_data_ip_options),
		cmocka_unit_test(test_tcp_options_general),
		cmocka_unit_test(test_tcp_sack_blocks),
		cmocka_unit_test(test_tcp_padding),
		cmocka_unit_test(test_icmp_valid),
		cmocka_unit_test(test_arp_valid),
		cmocka_unit_test(test_arp_other),
		cmocka_unit_test(test_truncation_tcp),
		cmocka_unit_test(test_truncation_icmp),
		cmocka_unit_test(test_truncation_arp),
		cmocka_unit_test(test_ip_ihl),
		cmocka_unit_test(test_ip_total_length),
		cmocka_unit_test(test_ip_checksum),
		cmocka_unit_test(test_ip_fragments),
		cmocka_unit_test(test_peek_syn),
		cmocka_unit_test(test_ip_oversize),
		cmocka_unit_test(test_ip_src),
		cmocka_unit_test(test_not_for_us),
		cmocka_unit_test(test_ethertype_vlan),
		cmocka_unit_test(test_ip_version_proto),
		cmocka_unit_test(test_tcp_checksum),
		cmocka_unit_test(test_tcp_data_offset),
		cmocka_unit_test(test_tcp_flags_all),
		cmocka_unit_test(test_tcp_ports),
		cmocka_unit_test(test_tcp_option_lengths),
		cmocka_unit_test(test_tcp_opts_direct),
		cmocka_unit_test(test_icmp_types_and_checksum),
		cmocka_unit_test(test_build_synack_bytes),
		cmocka_unit_test(test_build_data_bytes),
		cmocka_unit_test(test_build_layouts),
		cmocka_unit_test(test_build_offload),
		cmocka_unit_test(test_raw_sum_matches_dpdk),
		cmocka_unit_test(test_tmpl4_matches_build),
		cmocka_unit_test(test_reply_flow),
		cmocka_unit_test(test_arp_reply_bytes),
		cmocka_unit_test(test_garp_bytes),
		cmocka_unit_test(test_icmp_reply_bytes),
		cmocka_unit_test(test_icmp_reply_sweep),
		cmocka_unit_test(test_icmp_reply_zero),
	};

	memcpy(&ifc.mac, our_mac, 6);
	ifc.ip = rte_cpu_to_be_32(OUR_IP);
	ifc.mtu = 1500;
	return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
