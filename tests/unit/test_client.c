/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/client: the RSS-aware tuple chooser, the TSC pacer and the latency histogram. No EAL: the
 * pacer runs on a fake clock; the micro-benchmarks at the end print TSC ticks (rte_rdtsc) per
 * operation and assert nothing about them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_thash.h>

#include "tcpd_client.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

typedef unsigned __int128 u128;

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	/* xorshift64*: reproducible */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* ---------------------------------------------------------------------------------------------
 * Toeplitz and the tuple chooser
 */

/* Independent reference: DPDK's generic rte_softrss with the key as programmed (not converted). */
static uint32_t
ref_hash(const uint8_t *key, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, int l3)
{
	union rte_thash_tuple t;

	memset(&t, 0, sizeof(t));
	t.v4.src_addr = src;
	t.v4.dst_addr = dst;
	t.v4.sport = sport;
	t.v4.dport = dport;
	return rte_softrss((uint32_t *)&t, l3 ? RTE_THASH_V4_L3_LEN : RTE_THASH_V4_L4_LEN, key);
}

/*
 * Microsoft's "Verifying the RSS Hash Calculation" suite, IPv4 rows, default key: source
 * address:port, destination address:port, hash over IPv4 only, hash with TCP ports.
 */
static const struct {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t h_ip, h_tcp;
} ms_vectors[] = {
	{IP4(66, 9, 149, 187), IP4(161, 142, 100, 80), 2794, 1766, 0x323e8fc2, 0x51ccc178},
	{IP4(199, 92, 111, 2), IP4(65, 69, 140, 83), 14230, 4739, 0xd718262a, 0xc626b0ea},
	{IP4(24, 19, 198, 95), IP4(12, 22, 207, 184), 12898, 38024, 0xd2d0a5de, 0x5c2b394a},
	{IP4(38, 27, 205, 30), IP4(209, 142, 163, 6), 48228, 2217, 0x82989176, 0xafc7327f},
	{IP4(153, 39, 163, 191), IP4(202, 188, 127, 2), 44251, 1303, 0x5d1809c5, 0x10e828a2},
};

static void
test_toeplitz_vectors(void **state)
{
	uint32_t conv[TCPD_TUPLE_RSS_KEY_LEN / 4];
	unsigned int i;

	(void)state;
	tcpd_tuple_rss_key_convert(tcpd_tuple_rss_key_default, TCPD_TUPLE_RSS_KEY_LEN, conv);
	for (i = 0; i < sizeof(ms_vectors) / sizeof(ms_vectors[0]); i++) {
		const typeof(ms_vectors[0]) *v = &ms_vectors[i];

		assert_int_equal(
			ref_hash(tcpd_tuple_rss_key_default, v->src, v->dst, v->sport, v->dport, 0),
			v->h_tcp);
		assert_int_equal(
			ref_hash(tcpd_tuple_rss_key_default, v->src, v->dst, v->sport, v->dport, 1),
			v->h_ip);
		assert_int_equal(tcpd_tuple_rss_hash(conv, v->src, v->dst, v->sport, v->dport, 0),
				 v->h_tcp);
		assert_int_equal(tcpd_tuple_rss_hash(conv, v->src, v->dst, v->sport, v->dport, 1),
				 v->h_ip);
	}
}

/* The symmetric key hashes both directions of a flow alike. */
static void
test_toeplitz_symmetric(void **state)
{
	uint32_t conv[TCPD_TUPLE_RSS_KEY_LEN / 4];
	unsigned int i;

	(void)state;
	tcpd_tuple_rss_key_convert(tcpd_tuple_rss_key_symmetric, TCPD_TUPLE_RSS_KEY_LEN, conv);
	for (i = 0; i < 1000; i++) {
		uint32_t a = (uint32_t)rng(), b = (uint32_t)rng();
		uint16_t pa = (uint16_t)rng(), pb = (uint16_t)rng();

		assert_int_equal(tcpd_tuple_rss_hash(conv, a, b, pa, pb, 0),
				 tcpd_tuple_rss_hash(conv, b, a, pb, pa, 0));
	}
}

#define TGT_IP	 IP4(198, 18, 0, 1)
#define TGT_PORT 80
#define SRC_IP0	 IP4(198, 18, 1, 10)

static void
conf_rss(struct tcpd_tuple_conf *c, const uint16_t *reta, uint32_t reta_size, uint16_t queue,
	 uint32_t nb_ips, uint16_t port_first, uint16_t port_last)
{
	memset(c, 0, sizeof(*c));
	c->dst_ip = TGT_IP;
	c->dst_port = TGT_PORT;
	c->src_ip_first = SRC_IP0;
	c->src_ip_last = SRC_IP0 + nb_ips - 1;
	c->src_port_first = port_first;
	c->src_port_last = port_last;
	c->rss_key = tcpd_tuple_rss_key_default;
	c->rss_key_len = TCPD_TUPLE_RSS_KEY_LEN;
	c->reta = reta;
	c->reta_size = reta_size;
	c->queue = queue;
}

/* Index of a tuple in the source ranges of conf_rss (for "seen" bitmaps). */
static uint32_t
tuple_idx(const struct tcpd_tuple *t, uint16_t port_first, uint32_t nb_ports)
{
	return (rte_be_to_cpu_32(t->local_ip) - SRC_IP0) * nb_ports +
	       (rte_be_to_cpu_16(t->local_port) - port_first);
}

/* Independent reference: rte_softrss with the key as programmed over rte_thash_load_v6_addrs. */
static uint32_t
ref_hash6(const uint8_t *key, const uint8_t *src, const uint8_t *dst, uint16_t sport,
	  uint16_t dport, int l3)
{
	struct rte_ipv6_hdr ip;
	union rte_thash_tuple t;

	memset(&ip, 0, sizeof(ip));
	memset(&t, 0, sizeof(t));
	memcpy(ip.src_addr, src, 16);
	memcpy(ip.dst_addr, dst, 16);
	rte_thash_load_v6_addrs(&ip, &t);
	t.v6.sport = sport;
	t.v6.dport = dport;
	return rte_softrss((uint32_t *)&t, l3 ? RTE_THASH_V6_L3_LEN : RTE_THASH_V6_L4_LEN, key);
}

/* The target 2001:2::2 (RFC 5180 space), port 80; our range from 2001:2::1:ff00 (ids 5 up). */
static const uint8_t tgt6[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t src6[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0};
#define SRC6_ID0 5u

static void
conf_rss6(struct tcpd_tuple_conf *c, const uint16_t *reta, uint32_t reta_size, uint16_t queue,
	  uint32_t nb_ips, uint16_t port_first, uint16_t port_last)
{
	conf_rss(c, reta, reta_size, queue, nb_ips, port_first, port_last);
	c->dst_ip = 0;
	c->dst_ip6 = tgt6;
	c->src_ip6_first = src6;
	c->src_ip_first = SRC6_ID0;
	c->src_ip_last = SRC6_ID0 + nb_ips - 1;
}

/* The two families the chooser serves: IPv4 sources, or IPv6 ids of an address range. */
enum fam {
	V4,
	V6
};

/*
 * The queue the reply (target -> tuple) lands on by an independent full hash: over the IPv4
 * 4-tuple, or the IPv6 36-byte input with the address of source id SRC6_ID0 + @p off. The IPv6
 * range crosses a 16-bit boundary of the last 32 bits (2001:2::1:ff00 + 512): the offset is
 * added with its carry.
 */
static uint32_t
ref_reply_hash(enum fam f, const struct tcpd_tuple *t, uint32_t off, int l3_only)
{
	uint16_t port = rte_be_to_cpu_16(t->local_port);
	uint8_t addr[16];
	uint32_t lo;

	if (f == V4)
		return ref_hash(tcpd_tuple_rss_key_default, TGT_IP, rte_be_to_cpu_32(t->local_ip),
				TGT_PORT, port, l3_only);
	memcpy(addr, src6, 16);
	lo = (uint32_t)addr[12] << 24 | (uint32_t)addr[13] << 16 | (uint32_t)addr[14] << 8 |
	     addr[15];
	lo += off;
	addr[12] = (uint8_t)(lo >> 24);
	addr[13] = (uint8_t)(lo >> 16);
	addr[14] = (uint8_t)(lo >> 8);
	addr[15] = (uint8_t)lo;
	return ref_hash6(tcpd_tuple_rss_key_default, tgt6, addr, TGT_PORT, port, l3_only);
}

/*
 * Every queue's chooser hands out only tuples whose reply lands on that queue by an independent
 * full hash (ref_reply_hash); none twice while held; the queues partition the source space, each
 * a fair share unless only addresses are hashed.
 */
static void
check_partition(enum fam f, uint32_t reta_size, uint16_t nb_queues, uint32_t nb_ips,
		uint16_t port_first, uint16_t port_last, int l3_only)
{
	uint32_t nb_ports = (uint32_t)port_last - port_first + 1, space = nb_ips * nb_ports;
	uint16_t *reta = malloc(reta_size * sizeof(*reta));
	uint8_t *owner = malloc(space);
	struct tcpd_tuple_conf c;
	struct tcpd_tuple t;
	uint32_t total = 0, i;
	uint16_t q;

	assert_non_null(reta);
	assert_non_null(owner);
	memset(owner, 0xff, space);
	tcpd_tuple_reta_fill(reta, reta_size, nb_queues);
	for (q = 0; q < nb_queues; q++) {
		struct tcpd_tuple_chooser *ch;
		uint32_t owned, n = 0;

		if (f == V6)
			conf_rss6(&c, reta, reta_size, q, nb_ips, port_first, port_last);
		else
			conf_rss(&c, reta, reta_size, q, nb_ips, port_first, port_last);
		c.l3_only = (uint8_t)l3_only;
		ch = tcpd_tuple_create(&c);
		assert_non_null(ch);
		owned = tcpd_tuple_owned(ch);
		assert_int_equal(owned, tcpd_tuple_owned_all(ch));
		assert_int_equal(tcpd_tuple_available(ch), owned);
		while (tcpd_tuple_get(ch, &t) == 0) {
			uint32_t off =
				rte_be_to_cpu_32(t.local_ip) - (f == V6 ? SRC6_ID0 : SRC_IP0);
			uint32_t k = off * nb_ports + (rte_be_to_cpu_16(t.local_port) - port_first);

			assert_true(off < nb_ips);
			assert_true(k < space);
			assert_int_equal(t.pad, 0);
			/* not handed out twice, not owned by another queue */
			assert_int_equal(owner[k], 0xff);
			owner[k] = (uint8_t)q;
			assert_int_equal(reta[ref_reply_hash(f, &t, off, l3_only) % reta_size], q);
			assert_int_equal(tcpd_tuple_reply_queue(ch, &t), q);
			n++;
		}
		assert_int_equal(n, owned);
		assert_int_equal(tcpd_tuple_available(ch), 0);
		assert_int_equal(tcpd_tuple_exhausted(ch), 1);
		/* a fair share: Toeplitz spreads a port range evenly (within 10 %) */
		if (!l3_only)
			assert_in_range(owned, space / nb_queues * 9 / 10,
					space / nb_queues * 11 / 10);
		total += owned;
		tcpd_tuple_free(ch);
	}
	/* the queues partition the source space: every tuple has exactly one owner */
	assert_int_equal(total, space);
	for (i = 0; i < space; i++)
		assert_true(owner[i] < nb_queues);
	free(owner);
	free(reta);
}

/*
 * The partition cases, each a test of its own (main): the family, the RETA's size, the queues,
 * the source addresses (IPv6: ids), the first and last source port, addresses only.
 */
static struct part {
	const char *name;
	enum fam f;
	uint32_t reta_size;
	uint16_t nb_queues;
	uint32_t nb_ips;
	uint16_t port_first, port_last;
	int l3_only;
} parts[] = {
	{"test_tuple_reta128_2q", V4, 128, 2, 3, 10000, 19999, 0},
	{"test_tuple_reta128_4q", V4, 128, 4, 3, 10000, 19999, 0},
	{"test_tuple_reta512_3q", V4, 512, 3, 2, 1024, 65535, 0},
	/* a RETA size that is not a power of two uses hash % size */
	{"test_tuple_reta192_4q", V4, 192, 4, 1, 20000, 39999, 0},
	/* hashing addresses only: a source address belongs to one queue with all its ports */
	{"test_tuple_l3_only", V4, 128, 4, 64, 5000, 5099, 1},
	/* the 512 ids cross a 16-bit boundary of the address's last 32 bits */
	{"test_tuple6_reta128_2q", V6, 128, 2, 512, 40000, 40099, 0},
	{"test_tuple6_reta512_3q", V6, 512, 3, 1, 1024, 65535, 0}, /* our --ip6 alone, every port */
	{"test_tuple6_l3_only", V6, 128, 4, 256, 5000, 5009, 1},
};

static void
test_partition(void **state)
{
	const struct part *p = *state;

	check_partition(p->f, p->reta_size, p->nb_queues, p->nb_ips, p->port_first, p->port_last,
			p->l3_only);
}

/* parts[i] as a cmocka test of its name */
#define PART_TEST(i)                                                                               \
	{                                                                                          \
		parts[i].name, test_partition, NULL, NULL, &parts[i]                               \
	}

/* ---- IPv6 ---- */

/*
 * Microsoft's "Verifying the RSS Hash Calculation" suite, IPv6 rows, default key: source
 * address:port, destination address:port, hash over IPv6 only, hash with TCP ports.
 */
static const struct {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t h_ip, h_tcp;
} ms_vectors6[] = {
	/* 3ffe:2501:200:1fff::7 port 2794 -> 3ffe:2501:200:3::1 port 1766 */
	{{0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x07},
	 {0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x01},
	 2794,
	 1766,
	 0x2cc18cd5,
	 0x40207d3d},
	/* 3ffe:501:8::260:97ff:fe40:efab port 14230 -> ff02::1 port 4739 */
	{{0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0, 0, 0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab},
	 {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01},
	 14230,
	 4739,
	 0x0f0c461c,
	 0xdde51bbf},
	/* 3ffe:1900:4545:3:200:f8ff:fe21:67cf port 44251 -> fe80::200:f8ff:fe21:67cf port 38024 */
	{{0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67,
	  0xcf},
	 {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf},
	 44251,
	 38024,
	 0x4b61e985,
	 0x02d1feef},
};

static void
test_toeplitz_vectors6(void **state)
{
	uint32_t conv[TCPD_TUPLE_RSS_KEY_LEN / 4];
	unsigned int i;

	(void)state;
	tcpd_tuple_rss_key_convert(tcpd_tuple_rss_key_default, TCPD_TUPLE_RSS_KEY_LEN, conv);
	for (i = 0; i < RTE_DIM(ms_vectors6); i++) {
		const typeof(ms_vectors6[0]) *v = &ms_vectors6[i];

		assert_int_equal(ref_hash6(tcpd_tuple_rss_key_default, v->src, v->dst, v->sport,
					   v->dport, 0),
				 v->h_tcp);
		assert_int_equal(ref_hash6(tcpd_tuple_rss_key_default, v->src, v->dst, v->sport,
					   v->dport, 1),
				 v->h_ip);
		assert_int_equal(tcpd_tuple_rss_hash6(conv, v->src, v->dst, v->sport, v->dport, 0),
				 v->h_tcp);
		assert_int_equal(tcpd_tuple_rss_hash6(conv, v->src, v->dst, v->sport, v->dport, 1),
				 v->h_ip);
	}
	/* the symmetric key hashes both directions of an IPv6 flow alike too */
	tcpd_tuple_rss_key_convert(tcpd_tuple_rss_key_symmetric, TCPD_TUPLE_RSS_KEY_LEN, conv);
	for (i = 0; i < 1000; i++) {
		uint8_t a[16], b[16];
		uint16_t pa = (uint16_t)rng(), pb = (uint16_t)rng();
		unsigned int k;

		for (k = 0; k < 16; k++) {
			a[k] = (uint8_t)rng();
			b[k] = (uint8_t)rng();
		}
		assert_int_equal(tcpd_tuple_rss_hash6(conv, a, b, pa, pb, 0),
				 tcpd_tuple_rss_hash6(conv, b, a, pb, pa, 0));
	}
}

/*
 * The IPv6 model is not the IPv4 one: the same ids as IPv4 addresses split differently, and an
 * IPv6 range whose last 32 bits would wrap is refused.
 */
static void
test_tuple6_conf(void **state)
{
	static const uint8_t top[16] = {0x20, 0x01, 0, 2, 0,	0,    0,    0,
					0,    0,    0, 0, 0xff, 0xff, 0xff, 0xf0};
	uint16_t reta[128];
	struct tcpd_tuple_conf c;
	struct tcpd_tuple_chooser *ch4, *ch6;
	uint32_t diff = 0, i;

	(void)state;
	tcpd_tuple_reta_fill(reta, 128, 2);
	conf_rss6(&c, reta, 128, 0, 1, 40000, 40999);
	ch6 = tcpd_tuple_create(&c);
	c.dst_ip6 = NULL;
	c.dst_ip = TGT_IP;
	ch4 = tcpd_tuple_create(&c);
	assert_non_null(ch6);
	assert_non_null(ch4);
	for (i = 0; i < 1000; i++) {
		struct tcpd_tuple t = {.local_ip = rte_cpu_to_be_32(SRC6_ID0),
				       .local_port = rte_cpu_to_be_16((uint16_t)(40000 + i))};

		diff += tcpd_tuple_reply_queue(ch4, &t) != tcpd_tuple_reply_queue(ch6, &t);
	}
	assert_in_range(diff, 300, 700);
	tcpd_tuple_free(ch4);
	tcpd_tuple_free(ch6);
	/* 16 addresses up to ...:ffff:ffff fit; 17 would wrap */
	conf_rss6(&c, reta, 128, 0, 16, 40000, 40099);
	c.src_ip6_first = top;
	ch6 = tcpd_tuple_create(&c);
	assert_non_null(ch6);
	tcpd_tuple_free(ch6);
	conf_rss6(&c, reta, 128, 0, 17, 40000, 40099);
	c.src_ip6_first = top;
	errno = 0;
	assert_null(tcpd_tuple_create(&c));
	assert_int_equal(errno, EINVAL);
	conf_rss6(&c, reta, 128, 0, 1, 40000, 40099);
	c.src_ip6_first = NULL;
	assert_null(tcpd_tuple_create(&c));
	assert_int_equal(errno, EINVAL);
}

/* Without RSS every tuple is the lcore's; handed out port-major over the addresses. */
static void
test_tuple_no_rss(void **state)
{
	struct tcpd_tuple_conf c;
	struct tcpd_tuple_chooser *ch;
	struct tcpd_tuple t;
	uint32_t i;

	(void)state;
	conf_rss(&c, NULL, 0, 0, 2, 40000, 40999);
	c.rss_key = NULL;
	ch = tcpd_tuple_create(&c);
	assert_non_null(ch);
	assert_int_equal(tcpd_tuple_owned(ch), 2000);
	for (i = 0; i < 2000; i++) {
		assert_int_equal(tcpd_tuple_get(ch, &t), 0);
		assert_int_equal(rte_be_to_cpu_32(t.local_ip), SRC_IP0 + i % 2);
		assert_int_equal(rte_be_to_cpu_16(t.local_port), 40000 + i / 2);
		assert_int_equal(tcpd_tuple_reply_queue(ch, &t), 0);
	}
	assert_int_equal(tcpd_tuple_get(ch, &t), -ENOSPC);
	tcpd_tuple_free(ch);
}

/* Without RSS, lcores sharing the ranges (memif queues) split them by port: disjoint, complete. */
static void
test_tuple_no_rss_shared(void **state)
{
	uint8_t owner[2 * 1000];
	struct tcpd_tuple_conf c;
	struct tcpd_tuple_chooser *ch;
	struct tcpd_tuple t;
	uint32_t total = 0, i;
	uint16_t q;

	(void)state;
	memset(owner, 0xff, sizeof(owner));
	for (q = 0; q < 3; q++) {
		conf_rss(&c, NULL, 0, q, 2, 40000, 40999);
		c.rss_key = NULL;
		c.nb_queues = 3;
		ch = tcpd_tuple_create(&c);
		assert_non_null(ch);
		while (tcpd_tuple_get(ch, &t) == 0) {
			uint32_t k = tuple_idx(&t, 40000, 1000);

			assert_int_equal(owner[k], 0xff);
			owner[k] = (uint8_t)q;
			assert_int_equal((rte_be_to_cpu_16(t.local_port) - 40000) % 3, q);
			total++;
		}
		tcpd_tuple_free(ch);
	}
	assert_int_equal(total, 2000);
	for (i = 0; i < 2000; i++)
		assert_true(owner[i] < 3);
	/* a queue beyond the sharers is a configuration error */
	conf_rss(&c, NULL, 0, 3, 2, 40000, 40999);
	c.rss_key = NULL;
	c.nb_queues = 3;
	errno = 0;
	assert_null(tcpd_tuple_create(&c));
	assert_int_equal(errno, EINVAL);
}

/* Released tuples come back FIFO: after every tuple that was free before them, in put order. */
static void
test_tuple_fifo(void **state)
{
	struct tcpd_tuple held[64], t;
	struct tcpd_tuple_conf c;
	struct tcpd_tuple_chooser *ch;
	uint32_t owned, i;

	(void)state;
	conf_rss(&c, NULL, 0, 0, 1, 1000, 1099);
	c.rss_key = NULL;
	ch = tcpd_tuple_create(&c);
	assert_non_null(ch);
	owned = tcpd_tuple_owned(ch);
	assert_int_equal(owned, 100);
	for (i = 0; i < 64; i++)
		assert_int_equal(tcpd_tuple_get(ch, &held[i]), 0);
	/* give back in reverse order */
	for (i = 0; i < 64; i++)
		assert_int_equal(tcpd_tuple_put(ch, &held[63 - i]), 0);
	assert_int_equal(tcpd_tuple_available(ch), owned);
	/* the 36 never used come first ... */
	for (i = 0; i < 36; i++) {
		assert_int_equal(tcpd_tuple_get(ch, &t), 0);
		assert_int_equal(rte_be_to_cpu_16(t.local_port), 1064 + i);
	}
	/* ... then the released ones, oldest release first */
	for (i = 0; i < 64; i++) {
		assert_int_equal(tcpd_tuple_get(ch, &t), 0);
		assert_memory_equal(&t, &held[63 - i], sizeof(t));
	}
	assert_int_equal(tcpd_tuple_get(ch, &t), -ENOSPC);
	tcpd_tuple_free(ch);
}

/* Random get/put churn: a held tuple is never handed out again, counts stay consistent. */
static void
test_tuple_churn(void **state)
{
	uint16_t reta[128];
	struct tcpd_tuple_conf c;
	struct tcpd_tuple_chooser *ch;
	struct tcpd_tuple *held, t;
	uint8_t *is_held;
	uint32_t nheld = 0, owned, i, space = 2 * 4000;

	(void)state;
	tcpd_tuple_reta_fill(reta, 128, 2);
	conf_rss(&c, reta, 128, 1, 2, 30000, 33999);
	ch = tcpd_tuple_create(&c);
	assert_non_null(ch);
	owned = tcpd_tuple_owned(ch);
	held = calloc(owned, sizeof(*held));
	is_held = calloc(space, 1);
	for (i = 0; i < 200000; i++) {
		if (nheld < owned && (rng() % 3 != 0 || nheld == 0)) {
			uint32_t k;

			assert_int_equal(tcpd_tuple_get(ch, &t), 0);
			k = tuple_idx(&t, 30000, 4000);
			assert_false(is_held[k]);
			is_held[k] = 1;
			held[nheld++] = t;
		} else {
			uint32_t j = (uint32_t)(rng() % nheld);

			t = held[j];
			held[j] = held[--nheld];
			assert_int_equal(tcpd_tuple_put(ch, &t), 0);
			is_held[tuple_idx(&t, 30000, 4000)] = 0;
		}
		assert_int_equal(tcpd_tuple_available(ch), owned - nheld);
	}
	free(held);
	free(is_held);
	tcpd_tuple_free(ch);
}

static void
test_tuple_bad_put(void **state)
{
	uint16_t reta[128];
	struct tcpd_tuple_conf c;
	struct tcpd_tuple_chooser *ch0, *ch1;
	struct tcpd_tuple t, u;

	(void)state;
	tcpd_tuple_reta_fill(reta, 128, 2);
	conf_rss(&c, reta, 128, 0, 1, 2000, 2999);
	ch0 = tcpd_tuple_create(&c);
	c.queue = 1;
	ch1 = tcpd_tuple_create(&c);
	assert_non_null(ch0);
	assert_non_null(ch1);
	/* a free (never taken) tuple cannot be put */
	assert_int_equal(tcpd_tuple_get(ch0, &t), 0);
	assert_int_equal(tcpd_tuple_put(ch0, &t), 0);
	assert_int_equal(tcpd_tuple_put(ch0, &t), -EINVAL); /* double put */
	/* another queue's tuple */
	assert_int_equal(tcpd_tuple_get(ch1, &u), 0);
	assert_int_equal(tcpd_tuple_put(ch0, &u), -EINVAL);
	assert_int_equal(tcpd_tuple_put(ch1, &u), 0);
	/* outside the ranges */
	u.local_port = rte_cpu_to_be_16(3000);
	assert_int_equal(tcpd_tuple_put(ch0, &u), -EINVAL);
	u.local_port = rte_cpu_to_be_16(2000);
	u.local_ip = rte_cpu_to_be_32(SRC_IP0 + 1);
	assert_int_equal(tcpd_tuple_put(ch0, &u), -EINVAL);
	assert_int_equal(tcpd_tuple_available(ch0), tcpd_tuple_owned(ch0));
	tcpd_tuple_free(ch0);
	tcpd_tuple_free(ch1);
}

static void
test_tuple_conf_errors(void **state)
{
	uint16_t reta[128];
	struct tcpd_tuple_conf c;
	struct tcpd_tuple_chooser *ch;

	(void)state;
	tcpd_tuple_reta_fill(reta, 128, 2);
	conf_rss(&c, reta, 128, 2, 1, 2000, 2999); /* queue 2 is in no entry */
	errno = 0;
	assert_null(tcpd_tuple_create(&c));
	assert_int_equal(errno, EINVAL);
	conf_rss(&c, reta, 128, 0, 1, 2999, 2000); /* reversed */
	assert_null(tcpd_tuple_create(&c));
	assert_int_equal(errno, EINVAL);
	conf_rss(&c, reta, 128, 0, 1, 2000, 2999);
	c.rss_key_len = 10;
	assert_null(tcpd_tuple_create(&c));
	assert_int_equal(errno, EINVAL);
	conf_rss(&c, reta, 128, 0, 1 << 13, 0, 65535); /* 2^29 tuples */
	assert_null(tcpd_tuple_create(&c));
	assert_int_equal(errno, E2BIG);
	/* the cap: owned_all says what the ranges give, owned what is kept */
	conf_rss(&c, reta, 128, 0, 1, 2000, 2999);
	c.max_tuples = 10;
	ch = tcpd_tuple_create(&c);
	assert_non_null(ch);
	assert_int_equal(tcpd_tuple_owned(ch), 10);
	assert_true(tcpd_tuple_owned_all(ch) > 400);
	tcpd_tuple_free(ch);
	/* a tuple space smaller than wanted is visible as owned == 0, not a failure */
	conf_rss(&c, reta, 128, 0, 1, 2000, 2000);
	ch = tcpd_tuple_create(&c);
	assert_non_null(ch);
	assert_true(tcpd_tuple_owned(ch) <= 1);
	tcpd_tuple_free(ch);
}

/* ---------------------------------------------------------------------------------------------
 * Pacer
 */

static void
pacer_conf(struct tcpd_pacer_conf *c, uint64_t rate, uint64_t hz, uint64_t ramp, uint64_t dur)
{
	memset(c, 0, sizeof(*c));
	c->rate = rate;
	c->hz = hz;
	c->start_tsc = 1000000;
	c->ramp_tsc = ramp;
	c->duration_tsc = dur;
	c->burst_max = 64;
}

/* 1000/s flat: launch n at n * hz / 1000, all of them exactly on time when polled on time. */
static void
test_pacer_flat_exact(void **state)
{
	struct tcpd_pacer_conf c;
	struct tcpd_pacer p;
	uint64_t hz = 2000000000, s[64], n;

	(void)state;
	pacer_conf(&c, 1000, hz, 0, 2 * hz);
	assert_int_equal(tcpd_pacer_init(&p, &c), 0);
	assert_int_equal(p.total, 2000);
	assert_int_equal(tcpd_pacer_poll(&p, c.start_tsc, s, 64), 0);
	for (n = 1; n <= 2000; n++) {
		uint64_t at = c.start_tsc + n * hz / 1000;

		assert_int_equal(tcpd_pacer_poll(&p, at - 1, s, 64), 0);
		assert_int_equal(tcpd_pacer_poll(&p, at, s, 64), 1);
		assert_int_equal(s[0], at);
	}
	assert_true(tcpd_pacer_done(&p));
	assert_int_equal(tcpd_pacer_poll(&p, UINT64_MAX - 1, s, 64), 0);
	assert_int_equal(p.launched, 2000);
	assert_int_equal(p.late, 0);
}

/* An hz that 1000 does not divide: launch n at ceil(n * hz / rate), the remainder carried. */
static void
test_pacer_flat_remainder(void **state)
{
	struct tcpd_pacer_conf c;
	struct tcpd_pacer p;
	uint64_t hz = 2600000007ULL, rate = 997, s[1], n;

	(void)state;
	pacer_conf(&c, rate, hz, 0, TCPD_PACER_FOREVER);
	assert_int_equal(tcpd_pacer_init(&p, &c), 0);
	for (n = 1; n <= 100000; n++) {
		uint64_t want = c.start_tsc + (uint64_t)(((u128)n * hz + rate - 1) / rate);

		assert_int_equal(tcpd_pacer_poll(&p, UINT64_MAX - 1, s, 1), 1);
		assert_int_equal(s[0], want);
		assert_int_equal(tcpd_pacer_sched_of(&p, n), want);
	}
	assert_false(tcpd_pacer_done(&p));
}

/* A 1 s ramp to 1000/s: 500 t^2 launches are due by t (seconds, t <= 1), then 1000/s. */
static void
test_pacer_ramp_counts(void **state)
{
	struct tcpd_pacer_conf c;
	struct tcpd_pacer p;
	uint64_t hz = 1000000000, s[64], t_ms, got = 0;

	(void)state;
	pacer_conf(&c, 1000, hz, hz, hz);
	assert_int_equal(tcpd_pacer_init(&p, &c), 0);
	assert_int_equal(p.total, 500 + 1000);
	for (t_ms = 0; t_ms <= 2000; t_ms++) {
		uint64_t now = c.start_tsc + t_ms * (hz / 1000), want;
		unsigned int k;

		if (t_ms <= 1000)
			want = 500 * t_ms * t_ms / 1000000; /* floor(500 t^2), t = t_ms / 1000 */
		else
			want = 500 + (t_ms - 1000);
		assert_int_equal(tcpd_pacer_due_by(&p, now), want);
		while ((k = tcpd_pacer_poll(&p, now, s, 64)) > 0)
			got += k;
		assert_int_equal(got, want);
	}
	assert_true(tcpd_pacer_done(&p));
	/* launch 500 is exactly at the end of the ramp, launch 125 at 0.5 s */
	assert_int_equal(tcpd_pacer_sched_of(&p, 500), c.start_tsc + hz);
	assert_int_equal(tcpd_pacer_sched_of(&p, 125), c.start_tsc + hz / 2);
	assert_int_equal(tcpd_pacer_sched_of(&p, 1500), c.start_tsc + 2 * hz);
	assert_int_equal(tcpd_pacer_sched_of(&p, 1501), UINT64_MAX);
}

/*
 * Odd numbers everywhere: each launch's schedule is the first tick where the closed-form count
 * reaches it (due_by(t_n) >= n > due_by(t_n - 1)), through the ramp, the switch and the flat.
 */
static void
test_pacer_ramp_exact(void **state)
{
	struct tcpd_pacer_conf c;
	struct tcpd_pacer p;
	uint64_t hz = 2600000007ULL, s[1], n = 0, prev = 0;

	(void)state;
	pacer_conf(&c, 12345, hz, hz / 100 * 37, hz / 2);
	assert_int_equal(tcpd_pacer_init(&p, &c), 0);
	assert_true(p.ramp_n > 2000);
	while (tcpd_pacer_poll(&p, UINT64_MAX - 1, s, 1) == 1) {
		n++;
		assert_true(s[0] >= prev);
		assert_true(tcpd_pacer_due_by(&p, s[0]) >= n);
		assert_true(tcpd_pacer_due_by(&p, s[0] - 1) < n);
		assert_int_equal(tcpd_pacer_sched_of(&p, n), s[0]);
		prev = s[0];
	}
	/* floor(R (Tr + 2 Td) / 2 hz) launches, the last no later than the end */
	assert_int_equal(n, (uint64_t)((u128)12345 * (c.ramp_tsc + 2 * c.duration_tsc) / (2 * hz)));
	assert_int_equal(n, p.total);
	assert_true(prev <= c.start_tsc + c.ramp_tsc + c.duration_tsc);
}

/* Behind schedule: a poll hands out at most burst_max; the rest stay due; late ones counted. */
static void
test_pacer_burst_late_refused(void **state)
{
	struct tcpd_pacer_conf c;
	struct tcpd_pacer p;
	uint64_t hz = 1000000000, s[64], now;
	unsigned int k, i;

	(void)state;
	pacer_conf(&c, 100000, hz, 0, hz / 10); /* 10,000 launches, one per 10 us */
	c.burst_max = 8;
	c.late_tsc = 50000; /* 50 us */
	assert_int_equal(tcpd_pacer_init(&p, &c), 0);
	/* the lcore was away for 1 ms: 100 launches due */
	now = c.start_tsc + hz / 1000;
	assert_int_equal(tcpd_pacer_due_by(&p, now), 100);
	k = tcpd_pacer_poll(&p, now, s, 64);
	assert_int_equal(k, 8);
	for (i = 0; i < k; i++)
		assert_int_equal(s[i], c.start_tsc + (i + 1) * 10000);
	k = tcpd_pacer_poll(&p, now, s, 4); /* the caller's array bounds it too */
	assert_int_equal(k, 4);
	assert_int_equal(s[0], c.start_tsc + 9 * 10000);
	/* launches 1..94 are more than 50 us late at 1 ms (95 exactly 50 us); the caller
	 * refuses 3 of the 12 */
	assert_int_equal(p.late, 12);
	tcpd_pacer_refuse(&p, 3);
	while (tcpd_pacer_poll(&p, now, s, 64) > 0)
		;
	assert_int_equal(p.launched, 100);
	assert_int_equal(p.late, 94);
	assert_int_equal(p.late_max, hz / 1000 - 10000);
	assert_int_equal(p.refused, 3);
	/* nothing is skipped: the whole schedule is handed out */
	while (tcpd_pacer_poll(&p, UINT64_MAX - 1, s, 64) > 0)
		;
	assert_int_equal(p.launched, 10000);
}

static void
test_pacer_split_and_errors(void **state)
{
	struct tcpd_pacer_conf c;
	struct tcpd_pacer p;
	uint64_t sum = 0, s[4];
	unsigned int i;

	(void)state;
	for (i = 0; i < 7; i++)
		sum += tcpd_pacer_split(1000003, 7, i);
	assert_int_equal(sum, 1000003);
	assert_int_equal(tcpd_pacer_split(5, 7, 4), 1);
	assert_int_equal(tcpd_pacer_split(5, 7, 5), 0);
	assert_int_equal(tcpd_pacer_split(5, 0, 0), 0);

	pacer_conf(&c, 0, 1000, 10, 10); /* rate 0: an empty schedule */
	assert_int_equal(tcpd_pacer_init(&p, &c), 0);
	assert_true(tcpd_pacer_done(&p));
	assert_int_equal(tcpd_pacer_poll(&p, UINT64_MAX - 1, s, 4), 0);
	assert_int_equal(tcpd_pacer_due_by(&p, UINT64_MAX - 1), 0);
	pacer_conf(&c, 10, 0, 0, 10);
	assert_int_equal(tcpd_pacer_init(&p, &c), -EINVAL);
	pacer_conf(&c, (uint64_t)TCPD_PACER_MAX_RATE + 1, 1000, 0, 10);
	assert_int_equal(tcpd_pacer_init(&p, &c), -EINVAL);
	pacer_conf(&c, TCPD_PACER_MAX_RATE, 3000000000ULL, UINT64_C(1) << 47, 10);
	assert_int_equal(tcpd_pacer_init(&p, &c), -ERANGE);
	/* an hour's ramp at 1e6/s on a 5 GHz TSC is fine */
	pacer_conf(&c, 1000000, 5000000000ULL, 3600 * 5000000000ULL, 10);
	assert_int_equal(tcpd_pacer_init(&p, &c), 0);
	assert_int_equal(tcpd_pacer_sched_of(&p, p.ramp_n), c.start_tsc + c.ramp_tsc);
}

/* ---------------------------------------------------------------------------------------------
 * Latency histogram
 */

#define REL_ERR (1.0 / 256) /* midpoint reporting: half a bucket of width <= 2^-7 */

static struct tcpd_lat *
lat_new(void)
{
	struct tcpd_lat *h = aligned_alloc(64, sizeof(*h));

	assert_non_null(h);
	tcpd_lat_reset(h);
	return h;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Percentiles of @p v (n values, sorted here) against the histogram, within the stated error. */
static void
check_percentiles(uint64_t *v, uint64_t n)
{
	static const double pct[] = {1, 25, 50, 90, 99, 99.9, 99.99, 100};
	struct tcpd_lat *h = lat_new();
	struct tcpd_lat_summary s;
	uint64_t i, sum = 0;
	unsigned int k;

	for (i = 0; i < n; i++) {
		tcpd_lat_record(h, v[i]);
		sum += v[i];
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	for (k = 0; k < sizeof(pct) / sizeof(pct[0]); k++) {
		uint64_t rank = (uint64_t)ceil(pct[k] / 100.0 * (double)n);
		uint64_t exact = v[(rank < 1 ? 1 : rank) - 1];
		uint64_t got = tcpd_lat_percentile(h, pct[k]);
		double err = fabs((double)got - (double)exact);

		if (err > (double)exact * REL_ERR + 1)
			fail_msg("p%g: %" PRIu64 " reported, %" PRIu64 " exact", pct[k], got,
				 exact);
	}
	tcpd_lat_summarize(h, &s);
	assert_int_equal(s.count, n);
	assert_int_equal(s.min, v[0]);
	assert_int_equal(s.max, v[n - 1]);
	assert_int_equal(s.mean, sum / n);
	assert_int_equal(s.p50, tcpd_lat_percentile(h, 50));
	assert_int_equal(s.p90, tcpd_lat_percentile(h, 90));
	assert_int_equal(s.p99, tcpd_lat_percentile(h, 99));
	assert_int_equal(s.p999, tcpd_lat_percentile(h, 99.9));
	assert_int_equal(tcpd_lat_percentile(h, 100), v[n - 1]);
	free(h);
}

/* The layout: monotonic, contiguous, every value inside its bucket, width <= 2^-7 of it. */
static void
test_lat_layout(void **state)
{
	uint32_t i;
	uint64_t v;

	(void)state;
	assert_int_equal(TCPD_LAT_NB_BUCKETS, 3840);
	assert_int_equal(sizeof(struct tcpd_lat), 30784);
	assert_int_equal(tcpd_lat_index(0), 0);
	assert_int_equal(tcpd_lat_index(255), 255);
	assert_int_equal(tcpd_lat_index(256), 256);
	assert_int_equal(tcpd_lat_index((UINT64_C(1) << 36) - 1), TCPD_LAT_NB_BUCKETS - 1);
	assert_int_equal(tcpd_lat_index(UINT64_C(1) << 36), TCPD_LAT_NB_BUCKETS - 1);
	assert_int_equal(tcpd_lat_index(UINT64_MAX), TCPD_LAT_NB_BUCKETS - 1);
	assert_int_equal(tcpd_lat_bucket_low(0), 0);
	for (i = 0; i < TCPD_LAT_NB_BUCKETS; i++) {
		uint64_t lo = tcpd_lat_bucket_low(i), hi = tcpd_lat_bucket_high(i);

		assert_int_equal(tcpd_lat_index(lo), i);
		assert_int_equal(tcpd_lat_index(hi), i);
		if (i + 1 < TCPD_LAT_NB_BUCKETS)
			assert_int_equal(tcpd_lat_bucket_low(i + 1), hi + 1);
		if (i >= 256)
			assert_true((hi - lo + 1) * 128 <= lo);
	}
	assert_int_equal(tcpd_lat_bucket_high(TCPD_LAT_NB_BUCKETS - 1), (UINT64_C(1) << 36) - 1);
	for (i = 0; i < 100000; i++) {
		v = rng() >> (rng() % 64);
		if (v < (UINT64_C(1) << 36)) {
			assert_true(tcpd_lat_bucket_low(tcpd_lat_index(v)) <= v);
			assert_true(tcpd_lat_bucket_high(tcpd_lat_index(v)) >= v);
		}
	}
}

static void
test_lat_uniform(void **state)
{
	uint64_t n = 100000, i, *v = malloc(n * sizeof(*v));

	(void)state;
	/* 1 us to 100 ms in 1 us steps */
	for (i = 0; i < n; i++)
		v[i] = (i + 1) * 1000;
	check_percentiles(v, n);
	/* random over 1 us .. 60 s */
	for (i = 0; i < n; i++)
		v[i] = 1000 + rng() % 60000000000ULL;
	check_percentiles(v, n);
	free(v);
}

static void
test_lat_constant(void **state)
{
	struct tcpd_lat *h = lat_new();
	struct tcpd_lat_summary s;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		tcpd_lat_record(h, 12345678);
	tcpd_lat_summarize(h, &s);
	/* clamped to [min, max]: a constant is reported exactly */
	assert_int_equal(s.count, 1000);
	assert_int_equal(s.min, 12345678);
	assert_int_equal(s.max, 12345678);
	assert_int_equal(s.mean, 12345678);
	assert_int_equal(s.p50, 12345678);
	assert_int_equal(s.p999, 12345678);
	free(h);
}

static void
test_lat_two_point(void **state)
{
	uint64_t n = 10000, i, *v = malloc(n * sizeof(*v));
	struct tcpd_lat *h = lat_new();

	(void)state;
	/* 90 % at 100 us, 10 % at 10 ms */
	for (i = 0; i < n; i++)
		v[i] = i % 10 == 9 ? 10000000 : 100000;
	for (i = 0; i < n; i++)
		tcpd_lat_record(h, v[i]);
	assert_in_range(tcpd_lat_percentile(h, 50), 100000 - 400, 100000 + 400);
	assert_in_range(tcpd_lat_percentile(h, 90), 100000 - 400, 100000 + 400);
	assert_in_range(tcpd_lat_percentile(h, 90.01), 10000000 - 40000, 10000000);
	assert_in_range(tcpd_lat_percentile(h, 99), 10000000 - 40000, 10000000);
	assert_int_equal(tcpd_lat_percentile(h, 100), 10000000); /* the last rank: the max */
	check_percentiles(v, n);
	free(v);
	free(h);
}

static void
test_lat_exponential(void **state)
{
	uint64_t n = 200000, i, *v = malloc(n * sizeof(*v));

	(void)state;
	/* inverse CDF of an exponential, mean 1 ms, at evenly spaced probabilities, shuffled */
	for (i = 0; i < n; i++)
		v[i] = (uint64_t)(-log(1.0 - ((double)i + 0.5) / (double)n) * 1e6);
	for (i = n - 1; i > 0; i--) {
		uint64_t j = rng() % (i + 1), x = v[i];

		v[i] = v[j];
		v[j] = x;
	}
	check_percentiles(v, n);
	free(v);
}

/* Merging two histograms equals recording everything into one. */
static void
test_lat_merge(void **state)
{
	struct tcpd_lat *a = lat_new(), *b = lat_new(), *all = lat_new(), *m = lat_new();
	int i;

	(void)state;
	for (i = 0; i < 50000; i++) {
		uint64_t x = rng() >> (rng() % 40), y = 1000 + rng() % 5000000;

		tcpd_lat_record(a, x);
		tcpd_lat_record(b, y);
		tcpd_lat_record(all, x);
		tcpd_lat_record(all, y);
	}
	tcpd_lat_merge(m, a);
	tcpd_lat_merge(m, b);
	assert_memory_equal(m, all, sizeof(*m));
	assert_int_equal(tcpd_lat_percentile(m, 99), tcpd_lat_percentile(all, 99));
	/* merging an empty one changes nothing */
	tcpd_lat_reset(a);
	tcpd_lat_merge(m, a);
	assert_memory_equal(m, all, sizeof(*m));
	free(a);
	free(b);
	free(all);
	free(m);
}

/* Per-interval figures from cumulative snapshots: (A + B) - A is B. */
static void
test_lat_diff(void **state)
{
	struct tcpd_lat *a = lat_new(), *b = lat_new(), *prev = lat_new(), *d = lat_new();
	int i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		uint64_t x = 1000 + rng() % 10000000;

		tcpd_lat_record(a, x);
		tcpd_lat_record(prev, x);
	}
	/* interval 1: values inside A's range, min and max from the buckets */
	for (i = 0; i < 5000; i++) {
		uint64_t y = 50000 + rng() % 100000;

		tcpd_lat_record(a, y);
		tcpd_lat_record(b, y);
	}
	tcpd_lat_diff(d, a, prev);
	assert_memory_equal(d->bucket, b->bucket, sizeof(b->bucket));
	assert_int_equal(d->count, b->count);
	assert_int_equal(d->sum, b->sum);
	assert_true(d->min <= b->min && (b->min - d->min) * 128 <= b->min);
	assert_true(d->max >= b->max && (d->max - b->max) * 128 <= b->max);
	assert_int_equal(tcpd_lat_percentile(d, 50), tcpd_lat_percentile(b, 50));
	/* interval 2: a new record max and min, exact */
	memcpy(prev, a, sizeof(*a));
	tcpd_lat_reset(b);
	tcpd_lat_record(a, 7);
	tcpd_lat_record(b, 7);
	tcpd_lat_record(a, 123456789);
	tcpd_lat_record(b, 123456789);
	tcpd_lat_diff(a, a, prev); /* in place */
	assert_memory_equal(a, b, sizeof(*a));
	/* an empty interval */
	tcpd_lat_diff(d, prev, prev);
	assert_int_equal(d->count, 0);
	assert_int_equal(tcpd_lat_percentile(d, 99), 0);
	free(a);
	free(b);
	free(prev);
	free(d);
}

static void
test_lat_edges(void **state)
{
	struct tcpd_lat *h = lat_new();
	struct tcpd_lat_summary s;
	struct tcpd_lat_tsc c;

	(void)state;
	tcpd_lat_summarize(h, &s);
	assert_int_equal(s.count, 0);
	assert_int_equal(s.min, 0);
	assert_int_equal(tcpd_lat_percentile(h, 50), 0);
	/* beyond the layout: last bucket, counted, max exact */
	tcpd_lat_record(h, 100000000000ULL);
	tcpd_lat_record(h, 0);
	assert_int_equal(h->overflow, 1);
	assert_int_equal(h->bucket[TCPD_LAT_NB_BUCKETS - 1], 1);
	tcpd_lat_summarize(h, &s);
	assert_int_equal(s.max, 100000000000ULL);
	assert_int_equal(s.p50, 0);
	/* TSC conversion */
	assert_int_equal(tcpd_lat_tsc_init(&c, 0), -EINVAL);
	assert_int_equal(tcpd_lat_tsc_init(&c, 2600000000ULL), 0);
	assert_int_equal(tcpd_lat_tsc_to_ns(&c, 2600), 1000);
	assert_in_range(tcpd_lat_tsc_to_ns(&c, 2600000000ULL), 999999999, 1000000001);
	assert_int_equal(tcpd_lat_tsc_to_ns(&c, 60 * 2600000000ULL), 60000000000ULL);
	assert_int_equal(tcpd_lat_tsc_init(&c, 999999), -EINVAL);
	assert_int_equal(tcpd_lat_tsc_init(&c, UINT64_C(1) << 40), 0);
	assert_int_equal(tcpd_lat_tsc_to_ns(&c, UINT64_C(1) << 40), 1000000000);
	assert_int_equal(tcpd_lat_tsc_init(&c, 1000000000), 0);
	tcpd_lat_reset(h);
	tcpd_lat_record_tsc(h, &c, 777);
	assert_int_equal(h->max, 777);
	free(h);
}

/* ---------------------------------------------------------------------------------------------
 * Micro-benchmarks: TSC ticks per operation, printed, never asserted. Each figure is measured
 * BENCH_REPS times in a row; the minimum (least disturbed by a shared machine) and the median
 * are printed.
 */

#define BENCH_N	   (1 << 20)
#define BENCH_REPS 5

struct bench {
	uint64_t *vals; /* BENCH_N log-uniform values, 1 us .. 1 s */
	struct tcpd_lat *h;
	struct tcpd_tuple_chooser *ch;
	uint16_t reta[128];
	uint64_t ops;		/* operations in the last run */
	volatile uint64_t sink; /* keeps results alive */
};

static uint64_t
bench_lat_record(struct bench *b)
{
	uint64_t t0, i;

	tcpd_lat_reset(b->h);
	t0 = rte_rdtsc();
	for (i = 0; i < BENCH_N; i++)
		tcpd_lat_record(b->h, b->vals[i]);
	b->ops = BENCH_N;
	return rte_rdtsc() - t0;
}

static uint64_t
bench_lat_percentile(struct bench *b)
{
	uint64_t t0 = rte_rdtsc();

	b->sink += tcpd_lat_percentile(b->h, 99.9);
	b->ops = 1;
	return rte_rdtsc() - t0;
}

/* A schedule far behind, so every poll hands out a full burst of 32. */
static uint64_t
bench_pacer(struct bench *b, uint64_t ramp)
{
	struct tcpd_pacer_conf pc;
	struct tcpd_pacer p;
	uint64_t t0, t1, s[32], i, got = 0;

	pacer_conf(&pc, 1000000, 2600000000ULL, ramp, TCPD_PACER_FOREVER);
	pc.burst_max = 32;
	tcpd_pacer_init(&p, &pc);
	t0 = rte_rdtsc();
	for (i = 0; i < BENCH_N / 32; i++)
		got += tcpd_pacer_poll(&p, UINT64_MAX - 1, s, 32);
	t1 = rte_rdtsc();
	b->ops = got;
	b->sink += s[31];
	return t1 - t0;
}

static uint64_t
bench_pacer_flat(struct bench *b)
{
	return bench_pacer(b, 0);
}

static uint64_t
bench_pacer_ramp(struct bench *b)
{
	return bench_pacer(b, 3600 * 2600000000ULL);
}

static uint64_t
bench_pacer_idle(struct bench *b)
{
	struct tcpd_pacer_conf pc;
	struct tcpd_pacer p;
	uint64_t t0, t1, s[32], i, got = 0;

	pacer_conf(&pc, 1000, 2600000000ULL, 0, TCPD_PACER_FOREVER);
	pc.start_tsc = UINT64_C(1) << 40; /* after every value polled below */
	tcpd_pacer_init(&p, &pc);
	t0 = rte_rdtsc();
	for (i = 0; i < BENCH_N; i++)
		got += tcpd_pacer_poll(&p, b->vals[i], s, 32);
	t1 = rte_rdtsc();
	b->ops = BENCH_N;
	b->sink += got;
	return t1 - t0;
}

/* 16 addresses x 64,512 ports, RETA 128 over 2 queues, queue 1. */
static uint64_t
bench_tuple_create(struct bench *b)
{
	struct tcpd_tuple_conf tc;
	uint64_t t0, t1;

	tcpd_tuple_free(b->ch);
	conf_rss(&tc, b->reta, 128, 1, 16, 1024, 65535);
	t0 = rte_rdtsc();
	b->ch = tcpd_tuple_create(&tc);
	t1 = rte_rdtsc();
	assert_non_null(b->ch);
	b->ops = 16 * 64512;
	return t1 - t0;
}

static uint64_t
bench_tuple_get_put(struct bench *b)
{
	struct tcpd_tuple t;
	uint64_t t0, t1, i;

	t0 = rte_rdtsc();
	for (i = 0; i < BENCH_N; i++) {
		tcpd_tuple_get(b->ch, &t);
		tcpd_tuple_put(b->ch, &t);
	}
	t1 = rte_rdtsc();
	b->ops = BENCH_N;
	b->sink += t.local_port;
	return t1 - t0;
}

static uint64_t
bench_tuple_reply_queue(struct bench *b)
{
	struct tcpd_tuple t = {.local_ip = rte_cpu_to_be_32(SRC_IP0)};
	uint64_t t0, t1, i;

	t0 = rte_rdtsc();
	for (i = 0; i < BENCH_N / 4; i++) {
		t.local_port = (rte_be16_t)i;
		b->sink += tcpd_tuple_reply_queue(b->ch, &t);
	}
	t1 = rte_rdtsc();
	b->ops = BENCH_N / 4;
	return t1 - t0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
bench_run(struct bench *b, const char *what, uint64_t (*fn)(struct bench *b))
{
	double per[BENCH_REPS];
	int r;

	for (r = 0; r < BENCH_REPS; r++) {
		uint64_t ticks = fn(b);

		per[r] = (double)ticks / (double)(b->ops ? b->ops : 1);
	}
	qsort(per, BENCH_REPS, sizeof(per[0]), cmp_double);
	printf("bench: %-48s min %9.2f  median %9.2f ticks\n", what, per[0], per[BENCH_REPS / 2]);
}

static void
test_bench(void **state)
{
	struct bench b;
	uint64_t i;

	(void)state;
	memset(&b, 0, sizeof(b));
	b.vals = malloc(BENCH_N * sizeof(*b.vals));
	b.h = lat_new();
	assert_non_null(b.vals);
	for (i = 0; i < BENCH_N; i++)
		b.vals[i] = (uint64_t)(1000.0 * pow(10.0, (double)(rng() % 6000000) / 1e6));
	tcpd_tuple_reta_fill(b.reta, 128, 2);
	printf("bench: TSC ticks per operation, %d runs of each\n", BENCH_REPS);
	bench_run(&b, "tcpd_lat_record (per value)", bench_lat_record);
	bench_run(&b, "tcpd_lat_percentile (one walk of 3840 buckets)", bench_lat_percentile);
	bench_run(&b, "tcpd_pacer_poll flat (per launch, bursts of 32)", bench_pacer_flat);
	bench_run(&b, "tcpd_pacer_poll ramp (per launch, bursts of 32)", bench_pacer_ramp);
	bench_run(&b, "tcpd_pacer_poll nothing due (per poll)", bench_pacer_idle);
	bench_run(&b, "tcpd_tuple_create (per tuple of 16 x 64512)", bench_tuple_create);
	printf("bench: (owned by queue 1 of 2: %u)\n", tcpd_tuple_owned(b.ch));
	bench_run(&b, "tcpd_tuple_get + tcpd_tuple_put (per pair)", bench_tuple_get_put);
	bench_run(&b, "tcpd_tuple_reply_queue (rte_softrss_be + RETA)", bench_tuple_reply_queue);
	tcpd_tuple_free(b.ch);
	free(b.h);
	free(b.vals);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toeplitz_vectors),
		cmocka_unit_test(test_toeplitz_symmetric),
		PART_TEST(0),
		PART_TEST(1),
		PART_TEST(2),
		PART_TEST(3),
		PART_TEST(4),
		cmocka_unit_test(test_toeplitz_vectors6),
		PART_TEST(5),
		PART_TEST(6),
		PART_TEST(7),
		cmocka_unit_test(test_tuple6_conf),
		cmocka_unit_test(test_tuple_no_rss),
		cmocka_unit_test(test_tuple_no_rss_shared),
		cmocka_unit_test(test_tuple_fifo),
		cmocka_unit_test(test_tuple_churn),
		cmocka_unit_test(test_tuple_bad_put),
		cmocka_unit_test(test_tuple_conf_errors),
		cmocka_unit_test(test_pacer_flat_exact),
		cmocka_unit_test(test_pacer_flat_remainder),
		cmocka_unit_test(test_pacer_ramp_counts),
		cmocka_unit_test(test_pacer_ramp_exact),
		cmocka_unit_test(test_pacer_burst_late_refused),
		cmocka_unit_test(test_pacer_split_and_errors),
		cmocka_unit_test(test_lat_layout),
		cmocka_unit_test(test_lat_uniform),
		cmocka_unit_test(test_lat_constant),
		cmocka_unit_test(test_lat_two_point),
		cmocka_unit_test(test_lat_exponential),
		cmocka_unit_test(test_lat_merge),
		cmocka_unit_test(test_lat_diff),
		cmocka_unit_test(test_lat_edges),
		cmocka_unit_test(test_bench),
	};

	return cmocka_run_group_tests_name("client", tests, NULL, NULL);
}
