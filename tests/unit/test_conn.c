/* SPDX-License-Identifier: BSD-3-Clause */
/* Connection table: rte_hash + pool of fixed-size entries. Needs EAL (rte_hash, rte_malloc). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "tcpd_conn.h"
#include "tcpd_timer.h"

#include "tcp_fixture.h"

/* An entry as a user of lib/conn defines one: the 16-byte header, then its own fields, two cache
 * lines like lib/tcp's control block (whose size test_tcp checks). */
struct entry {
	struct tcpd_conn_entry hdr;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t rcv_nxt;
	uint32_t recover;
	uint8_t state;
	uint8_t listener;
	uint8_t dupacks;
	struct tcpd_timer timer;
	void *sndq;
	uint8_t rest[56];
} __rte_cache_aligned;
_Static_assert(sizeof(struct entry) == 128, "two cache lines");
#define ESIZE ((uint32_t)sizeof(struct entry))

static struct tcpd_conn_key
key_of(uint32_t i)
{
	/* distinct per i; 198.18.0.0/15 peers, one local address and port */
	struct tcpd_conn_key k = {
		.peer_ip = rte_cpu_to_be_32(0xc6120000u | (i & 0x1ffff)),
		.local_ip = rte_cpu_to_be_32(0xc6130001u),
		.peer_port = rte_cpu_to_be_16((uint16_t)(1024 + (i >> 17))),
		.local_port = rte_cpu_to_be_16(80),
		.pad = 0,
	};
	return k;
}

static struct entry *
insert(struct tcpd_conn_table *t, const struct tcpd_conn_key *k)
{
	return (struct entry *)tcpd_conn_insert(t, k, tcpd_conn_hash(t, k));
}

static struct entry *
lookup(struct tcpd_conn_table *t, const struct tcpd_conn_key *k)
{
	return (struct entry *)tcpd_conn_lookup(t, k, tcpd_conn_hash(t, k));
}

static size_t
heap_used(void)
{
	size_t sum = 0;

	for (unsigned int i = 0; i < rte_socket_count(); i++) {
		struct rte_malloc_socket_stats s;

		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &s) == 0)
			sum += s.heap_allocsz_bytes;
	}
	return sum;
}

static void
test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct tcpd_conn_key), 16);
	assert_int_equal(sizeof(struct tcpd_conn_entry), 16);
	/* the header is the key with the generation in the pad */
	assert_int_equal(offsetof(struct tcpd_conn_entry, peer_port),
			 offsetof(struct tcpd_conn_key, peer_port));
	assert_int_equal(offsetof(struct tcpd_conn_entry, gen),
			 offsetof(struct tcpd_conn_key, pad));
}

static void
test_create_args(void **state)
{
	struct tcpd_conn_table *a, *b;

	(void)state;
	rte_errno = 0;
	assert_null(tcpd_conn_table_create(NULL, 100, ESIZE, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(tcpd_conn_table_create("", 100, ESIZE, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(tcpd_conn_table_create("seventeen_chars_x", 100, ESIZE, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(tcpd_conn_table_create("zero", 0, ESIZE, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	/* entries smaller than the header, or not a multiple of 8 bytes */
	rte_errno = 0;
	assert_null(tcpd_conn_table_create("small", 8, 8, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(tcpd_conn_table_create("odd", 8, 20, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);

	/* 16-character names that differ only in the last one do not collide after the
	 * library's prefixing and truncation; the same name twice does (EEXIST). */
	a = tcpd_conn_table_create("sixteen_chars_01", 3, ESIZE, SOCKET_ID_ANY);
	assert_non_null(a);
	b = tcpd_conn_table_create("sixteen_chars_02", 3, ESIZE, SOCKET_ID_ANY);
	assert_non_null(b);
	assert_int_equal(tcpd_conn_capacity(a), 3);
	assert_int_equal(tcpd_conn_count(a), 0);
	rte_errno = 0;
	assert_null(tcpd_conn_table_create("sixteen_chars_02", 3, ESIZE, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EEXIST);
	/* a tiny table still holds exactly its capacity */
	for (uint32_t i = 0; i < 3; i++) {
		struct tcpd_conn_key k = key_of(i);

		assert_non_null(insert(a, &k));
	}
	{
		struct tcpd_conn_key k = key_of(3);

		rte_errno = 0;
		assert_null(insert(a, &k));
		assert_int_equal(rte_errno, ENOSPC);
	}
	tcpd_conn_table_free(a);
	tcpd_conn_table_free(b);
	tcpd_conn_table_free(NULL);
	/* the name is free again */
	a = tcpd_conn_table_create("sixteen_chars_01", 3, ESIZE, SOCKET_ID_ANY);
	assert_non_null(a);
	tcpd_conn_table_free(a);
}

static void
test_insert_lookup_remove(void **state)
{
	struct tcpd_conn_table *t = tcpd_conn_table_create("basic", 16, ESIZE, SOCKET_ID_ANY);
	struct tcpd_conn_key k = key_of(7), k2 = key_of(8);
	struct entry *c, *c2;
	uint32_t h = 0;

	(void)state;
	assert_non_null(t);
	h = tcpd_conn_hash(t, &k);
	assert_int_equal(h, tcpd_conn_hash(t, &k)); /* deterministic */
	assert_null(tcpd_conn_lookup(t, &k, h));

	/* dirty the slot first: insert must hand out a zeroed entry */
	c = (struct entry *)tcpd_conn_at(t, 0);
	assert_non_null(c);
	assert_false(tcpd_conn_live(t, &c->hdr));
	memset(&c->snd_una, 0xa5, sizeof(*c) - offsetof(struct entry, snd_una));
	c->hdr.gen = 0xa5a4; /* even: free */

	c = (struct entry *)tcpd_conn_insert(t, &k, h);
	assert_non_null(c);
	assert_ptr_equal(c, tcpd_conn_at(t, 0)); /* fresh table: pool in address order */
	{
		struct tcpd_conn_key got;

		tcpd_conn_entry_key(&c->hdr, &got);
		assert_memory_equal(&got, &k, sizeof(k));
		assert_int_equal(tcpd_conn_hash(t, &got), h);
	}
	assert_int_equal(c->hdr.gen, 0xa5a5); /* gen goes on, odd: stale references stay stale */
	assert_int_equal(c->snd_una, 0);      /* everything else zeroed */
	assert_int_equal(c->state, 0);
	assert_null(c->sndq);
	assert_int_equal(c->listener, 0);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(c->recover, 0);
	assert_false(tcpd_timer_armed(&c->timer));
	for (size_t i = offsetof(struct entry, snd_una); i < sizeof(*c); i++)
		assert_int_equal(((const uint8_t *)c)[i], 0);
	assert_true(tcpd_conn_live(t, &c->hdr));
	assert_int_equal(tcpd_conn_count(t), 1);
	assert_ptr_equal(tcpd_conn_lookup(t, &k, h), c);

	c2 = insert(t, &k2);
	assert_non_null(c2);
	assert_ptr_equal(c2, tcpd_conn_at(t, 1));
	assert_ptr_equal(lookup(t, &k2), c2);
	assert_ptr_equal(lookup(t, &k), c);
	assert_int_equal(tcpd_conn_count(t), 2);

	/* an existing key is refused, the entry keeps its connection and state */
	c->snd_una = 1234;
	rte_errno = 0;
	assert_null(tcpd_conn_insert(t, &k, h));
	assert_int_equal(rte_errno, EEXIST);
	assert_ptr_equal(lookup(t, &k), c);
	assert_int_equal(c->snd_una, 1234);
	assert_int_equal(tcpd_conn_count(t), 2);

	tcpd_conn_remove(t, &c->hdr);
	assert_false(tcpd_conn_live(t, &c->hdr));
	assert_null(lookup(t, &k));
	assert_ptr_equal(lookup(t, &k2), c2);
	assert_int_equal(tcpd_conn_count(t), 1);
	tcpd_conn_remove(t, &c->hdr); /* twice: ignored, the free stack stays sane */
	assert_int_equal(tcpd_conn_count(t), 1);
	tcpd_conn_remove(t, &c2->hdr);
	assert_int_equal(tcpd_conn_count(t), 0);
	assert_null(lookup(t, &k2));

	/* out-of-range slot and foreign pointers are not live */
	assert_null(tcpd_conn_at(t, 16));
	{
		static struct entry outside;

		outside.hdr.gen = 1; /* looks live, but is not in the pool */
		assert_false(tcpd_conn_live(t, &outside.hdr));
		/* inside the pool but not at an entry boundary */
		assert_false(tcpd_conn_live(
			t,
			(const struct tcpd_conn_entry *)((const uint8_t *)tcpd_conn_at(t, 1) + 8)));
	}
	tcpd_conn_table_free(t);
}

/* Each table draws its own seed, so the same key hashes differently in two tables. */
static void
test_seed_per_table(void **state)
{
	struct tcpd_conn_table *a = tcpd_conn_table_create("seed_a", 8, ESIZE, SOCKET_ID_ANY);
	struct tcpd_conn_table *b = tcpd_conn_table_create("seed_b", 8, ESIZE, SOCKET_ID_ANY);
	unsigned int same = 0;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (uint32_t i = 0; i < 8; i++) {
		struct tcpd_conn_key k = key_of(i);

		same += tcpd_conn_hash(a, &k) == tcpd_conn_hash(b, &k);
	}
	assert_true(same < 8);
	tcpd_conn_table_free(a);
	tcpd_conn_table_free(b);
}

/* 64 keys in one bulk call, hits and misses interleaved; also n = 0 and n > 64 (chunked). */
static void
test_bulk_lookup(void **state)
{
	struct tcpd_conn_table *t = tcpd_conn_table_create("bulk", 256, ESIZE, SOCKET_ID_ANY);
	struct tcpd_conn_key keys[130];
	uint32_t hashes[130];
	struct tcpd_conn_entry *conns[130], *in[130];

	(void)state;
	assert_non_null(t);
	for (uint32_t i = 0; i < 130; i++) {
		keys[i] = key_of(1000 + i);
		hashes[i] = tcpd_conn_hash(t, &keys[i]);
		in[i] = NULL;
		/* every third key is in the table */
		if (i % 3 == 0) {
			in[i] = tcpd_conn_insert(t, &keys[i], hashes[i]);
			assert_non_null(in[i]);
			((struct entry *)in[i])->snd_nxt = i;
		}
	}
	memset(conns, 0xff, sizeof(conns)); /* misses must be written as NULL */
	assert_int_equal(tcpd_conn_lookup_bulk(t, keys, hashes, 64, conns), 22);
	for (uint32_t i = 0; i < 64; i++) {
		assert_ptr_equal(conns[i], in[i]);
		if (in[i] != NULL)
			assert_int_equal(((struct entry *)conns[i])->snd_nxt, i);
	}
	assert_ptr_equal(conns[64], (void *)UINTPTR_MAX); /* nothing written past n */

	memset(conns, 0xff, sizeof(conns));
	assert_int_equal(tcpd_conn_lookup_bulk(t, keys, hashes, 0, conns), 0);
	assert_ptr_equal(conns[0], (void *)UINTPTR_MAX);

	assert_int_equal(tcpd_conn_lookup_bulk(t, keys, hashes, 130, conns), 44);
	for (uint32_t i = 0; i < 130; i++)
		assert_ptr_equal(conns[i], in[i]);

	/* a burst with one key twice, one of them removed meanwhile */
	tcpd_conn_remove(t, in[3]);
	keys[1] = keys[0];
	hashes[1] = hashes[0];
	assert_int_equal(tcpd_conn_lookup_bulk(t, keys, hashes, 4, conns), 2);
	assert_ptr_equal(conns[0], in[0]);
	assert_ptr_equal(conns[1], in[0]);
	assert_null(conns[2]);
	assert_null(conns[3]);
	tcpd_conn_table_free(t);
}

/*
 * Lookups compare exactly the 16 key bytes: a key that differs in any single byte, pad
 * included, misses. Inserting a key with a non-zero pad is refused (the header: pad is 0).
 */
static void
test_key_bytes_and_pad(void **state)
{
	struct tcpd_conn_table *t = tcpd_conn_table_create("pad", 64, ESIZE, SOCKET_ID_ANY);
	struct tcpd_conn_key k = key_of(42), bad;
	struct entry *c;

	(void)state;
	assert_non_null(t);
	c = insert(t, &k);
	assert_non_null(c);
	for (unsigned int byte = 0; byte < sizeof(k); byte++) {
		struct tcpd_conn_key v = k;

		((uint8_t *)&v)[byte] ^= 0x01;
		assert_null(lookup(t, &v));
		/* even when given the right key's hash: the key compare decides */
		assert_null(tcpd_conn_lookup(t, &v, tcpd_conn_hash(t, &k)));
	}
	assert_ptr_equal(lookup(t, &k), c);

	bad = k;
	bad.peer_port ^= 1;
	bad.pad = 1;
	rte_errno = 0;
	assert_null(insert(t, &bad));
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(tcpd_conn_count(t), 1);
	tcpd_conn_table_free(t);
}

/*
 * Remove then insert reuses the slot (LIFO) with gen bumped twice (remove, insert); a (entry, gen)
 * pair kept from before no longer matches. gen wraps at 32 bits without disturbing anything.
 */
static void
test_reuse_and_generation(void **state)
{
	struct tcpd_conn_table *t = tcpd_conn_table_create("gen", 32, ESIZE, SOCKET_ID_ANY);
	struct tcpd_conn_key a = key_of(1), b = key_of(2), x = key_of(3);
	struct entry *ca, *cb, *cx;
	uint32_t gen_a;

	(void)state;
	assert_non_null(t);
	ca = insert(t, &a);
	cb = insert(t, &b);
	assert_non_null(ca);
	assert_non_null(cb);
	gen_a = ca->hdr.gen;
	assert_true(gen_a & 1);

	/* a burst-style reference: (pointer, generation) */
	struct entry *ref = ca;
	uint32_t ref_gen = gen_a;

	tcpd_conn_remove(t, &ca->hdr);
	assert_int_equal(ca->hdr.gen, gen_a + 1);
	assert_false(tcpd_conn_entry_live(&ca->hdr));
	cx = insert(t, &x);
	assert_ptr_equal(cx, ca); /* last freed, first reused */
	assert_int_equal(cx->hdr.gen, gen_a + 2);
	assert_true(tcpd_conn_live(t, &ref->hdr));
	assert_false(ref->hdr.gen == ref_gen); /* the stale pair does not match */
	assert_int_equal(ref->hdr.peer_ip, x.peer_ip);
	assert_int_equal(ref->hdr.peer_port, x.peer_port);
	assert_null(lookup(t, &a));
	assert_ptr_equal(lookup(t, &x), cx);
	assert_ptr_equal(lookup(t, &b), cb);

	/* two frees: LIFO order on reuse */
	tcpd_conn_remove(t, &cb->hdr);
	tcpd_conn_remove(t, &cx->hdr);
	assert_ptr_equal(insert(t, &a), cx);
	assert_ptr_equal(insert(t, &b), cb);

	/* 31-bit wrap (the top bit is the small class's): odd 0x7fffffff, remove to 0 (free),
	 * insert to 1 (live) */
	cb->hdr.gen = 0x7fffffff;
	tcpd_conn_remove(t, &cb->hdr);
	assert_int_equal(cb->hdr.gen, 0);
	assert_ptr_equal(insert(t, &x), cb);
	assert_int_equal(cb->hdr.gen, 1);
	assert_int_equal(tcpd_conn_count(t), 2);
	tcpd_conn_table_free(t);
}

/* Fill exactly to capacity: the next insert fails cleanly and no established entry moves. */
static void
fill_to_capacity(uint32_t cap)
{
	char name[17];
	struct tcpd_conn_table *t;
	struct tcpd_conn_key k;
	uint32_t i;

	snprintf(name, sizeof(name), "fill_%u", cap);
	t = tcpd_conn_table_create(name, cap, ESIZE, SOCKET_ID_ANY);
	assert_non_null(t);
	for (i = 0; i < cap; i++) {
		struct entry *c;

		k = key_of(i);
		c = insert(t, &k);
		assert_non_null(c);
		c->snd_una = i;
		c->rcv_nxt = ~i;
	}
	assert_int_equal(tcpd_conn_count(t), cap);
	for (i = 0; i < 10; i++) {
		k = key_of(cap + i);
		rte_errno = 0;
		assert_null(insert(t, &k));
		assert_int_equal(rte_errno, ENOSPC);
		assert_null(lookup(t, &k));
	}
	assert_int_equal(tcpd_conn_count(t), cap);
	for (i = 0; i < cap; i++) {
		struct entry *c;

		k = key_of(i);
		c = lookup(t, &k);
		assert_non_null(c);
		assert_int_equal(c->snd_una, i);
		assert_int_equal(c->rcv_nxt, ~i);
		assert_true(tcpd_conn_live(t, &c->hdr));
	}
	/* one out, one in */
	k = key_of(cap / 2);
	tcpd_conn_remove(t, &lookup(t, &k)->hdr);
	k = key_of(cap + 1);
	assert_non_null(insert(t, &k));
	assert_int_equal(tcpd_conn_count(t), cap);
	tcpd_conn_table_free(t);
}

static void
test_fill_to_capacity(void **state)
{
	(void)state;
	fill_to_capacity(1000); /* not a power of two */
	fill_to_capacity(1024); /* every bucket slot used: overflow into ext buckets */
	fill_to_capacity(8);
	fill_to_capacity(1);
}

/*
 * 1 << 17 random keys: all inserted, all found (bulk and single), the table exactly full; the
 * memory estimate matches what the allocator handed out, and stays <= 256 B per connection.
 */
static void
test_random_keys_and_memory(void **state)
{
	const uint32_t cap = 1u << 17;
	struct tcpd_conn_key *keys = malloc(sizeof(*keys) * cap);
	uint32_t *hashes = malloc(sizeof(*hashes) * cap);
	struct entry **conns = malloc(sizeof(*conns) * cap);
	struct tcpd_conn_table *t;
	size_t before, measured;
	uint64_t est, t0, t_ins, t_bulk, t_one;
	double hz = (double)rte_get_tsc_hz();

	(void)state;
	assert_non_null(keys);
	assert_non_null(hashes);
	assert_non_null(conns);
	before = heap_used();
	t = tcpd_conn_table_create("random", cap, ESIZE, SOCKET_ID_ANY);
	assert_non_null(t);
	measured = heap_used() - before;
	est = tcpd_conn_table_memory(t);
	print_message("table of %u: estimate %" PRIu64 " B, allocator %zu B (%.2f%%)\n", cap, est,
		      measured, 100.0 * ((double)est - (double)measured) / (double)measured);
	/* the allocator's figure includes element headers and alignment: within 1 % */
	assert_true(est >= measured - measured / 100 && est <= measured + measured / 100);

	for (uint32_t i = 0; i < cap; i++) {
		uint64_t r = rte_rand();

		keys[i].peer_ip = (uint32_t)r;
		keys[i].local_ip = rte_cpu_to_be_32(0xc6130001u);
		keys[i].peer_port = (uint16_t)(r >> 32);
		keys[i].local_port = (uint16_t)(r >> 48);
		keys[i].pad = 0;
		hashes[i] = tcpd_conn_hash(t, &keys[i]);
	}
	t0 = rte_rdtsc();
	for (uint32_t i = 0; i < cap; i++) {
		conns[i] = (struct entry *)tcpd_conn_insert(t, &keys[i], hashes[i]);
		if (conns[i] == NULL) {
			/* a duplicate draw (about 2^-30 per key pair): redraw */
			assert_int_equal(rte_errno, EEXIST);
			keys[i].peer_ip ^= 0x5a5a5a5a;
			hashes[i] = tcpd_conn_hash(t, &keys[i]);
			i--;
			continue;
		}
		conns[i]->snd_una = i;
	}
	t_ins = rte_rdtsc() - t0;
	assert_int_equal(tcpd_conn_count(t), cap);

	t0 = rte_rdtsc();
	for (uint32_t i = 0; i < cap; i += 32) {
		struct tcpd_conn_entry *out[32];

		assert_int_equal(tcpd_conn_lookup_bulk(t, &keys[i], &hashes[i], 32, out), 32);
		for (unsigned int j = 0; j < 32; j++)
			if (out[j] != &conns[i + j]->hdr)
				fail_msg("bulk lookup of key %u", i + j);
	}
	t_bulk = rte_rdtsc() - t0;
	t0 = rte_rdtsc();
	for (uint32_t i = 0; i < cap; i++)
		if (tcpd_conn_lookup(t, &keys[i], hashes[i]) != &conns[i]->hdr)
			fail_msg("lookup of key %u", i);
	t_one = rte_rdtsc() - t0;
	for (uint32_t i = 0; i < cap; i++)
		assert_int_equal(conns[i]->snd_una, i);

	print_message("full table: insert %.0f ns, bulk lookup %.0f ns/key, lookup %.0f ns\n",
		      (double)t_ins * 1e9 / hz / cap, (double)t_bulk * 1e9 / hz / cap,
		      (double)t_one * 1e9 / hz / cap);
	print_message(
		"memory at capacity: %.1f bytes per live connection (%zu entry + %.1f table)\n",
		(double)est / cap, sizeof(struct entry),
		(double)est / cap - (double)sizeof(struct entry));
	assert_true(est <= 256ull * cap);

	/* drain: everything removable, the pool whole again */
	for (uint32_t i = 0; i < cap; i++)
		tcpd_conn_remove(t, &conns[i]->hdr);
	assert_int_equal(tcpd_conn_count(t), 0);
	assert_null(tcpd_conn_lookup(t, &keys[0], hashes[0]));
	tcpd_conn_table_free(t);
	free(keys);
	free(hashes);
	free(conns);
}

/*
 * Memory per connection across capacities, including the worst cases just above a power of two
 * (where rte_hash doubles its buckets and free ring). With two-line entries (lib/tcp's control
 * block) every capacity must meet the 256 B budget.
 */
static void
test_memory_sweep(void **state)
{
	static const uint32_t caps[] = {4096, 6000, 6555,  6554,  8191,
					8192, 8193, 65536, 65537, 100000};

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(caps); i++) {
		char name[17];
		struct tcpd_conn_table *t;
		size_t before = heap_used(), measured;
		double per, hash;

		snprintf(name, sizeof(name), "sweep_%u", caps[i]);
		t = tcpd_conn_table_create(name, caps[i], ESIZE, SOCKET_ID_ANY);
		assert_non_null(t);
		measured = heap_used() - before;
		per = (double)tcpd_conn_table_memory(t) / caps[i];
		hash = per - (double)sizeof(struct entry);
		print_message("capacity %6u: %.1f B/conn (hash %.1f), allocator %.1f B/conn\n",
			      caps[i], per, hash, (double)measured / caps[i]);
		assert_true(per <= 256.0);
		assert_true(tcpd_conn_table_memory(t) >= measured - measured / 50);
		assert_true(tcpd_conn_table_memory(t) <= measured + measured / 50);
		tcpd_conn_table_free(t);
	}
}

/* A small-class entry as lib/tcp's TIME-WAIT one: header and 24 bytes. */
struct small {
	struct tcpd_conn_entry hdr;
	uint32_t a, b, c, d;
	uint64_t e;
};
#define SSIZE ((uint32_t)sizeof(struct small))

static struct tcpd_conn_table *
small_table(const char *name, uint32_t cap, uint32_t small_max)
{
	struct tcpd_conn_params p = {
		.name = name,
		.max_conns = cap,
		.entry_size = ESIZE,
		.small_max = small_max,
		.small_size = SSIZE,
		.socket_id = SOCKET_ID_ANY,
	};

	return tcpd_conn_table_create_params(&p);
}

/* Big entry for key @i moved to the small class: the hash points at the small one. */
static struct small *
to_small(struct tcpd_conn_table *t, uint32_t i)
{
	struct tcpd_conn_key k = key_of(i);
	struct entry *big = insert(t, &k);
	struct small *s;

	assert_non_null(big);
	s = (struct small *)tcpd_conn_to_small(t, &big->hdr);
	assert_non_null(s);
	assert_false(tcpd_conn_entry_live(&big->hdr)); /* freed at once */
	assert_false(tcpd_conn_entry_small(&big->hdr));
	assert_true(tcpd_conn_entry_small(&s->hdr));
	assert_true(tcpd_conn_entry_live(&s->hdr));
	assert_ptr_equal(lookup(t, &k), s);
	assert_int_equal(s->hdr.peer_ip, k.peer_ip);
	assert_int_equal(s->hdr.peer_port, k.peer_port);
	memset(&s->hdr + 1, 0, SSIZE - sizeof(s->hdr)); /* the user fills it */
	s->a = i;
	return s;
}

/* The small class: a ring in the order entries were moved there, one hash for both classes. */
static void
test_small_class(void **state)
{
	struct tcpd_conn_table *t;
	struct small *s[6], *r;
	struct entry *big;
	struct tcpd_conn_key k;

	(void)state;
	/* without a small class the move is refused */
	t = tcpd_conn_table_create("nosmall", 8, ESIZE, SOCKET_ID_ANY);
	k = key_of(1);
	big = insert(t, &k);
	assert_null(tcpd_conn_to_small(t, &big->hdr));
	assert_int_equal(rte_errno, EINVAL);
	assert_ptr_equal(lookup(t, &k), big);
	tcpd_conn_table_free(t);

	t = small_table("small", 8, 4);
	assert_non_null(t);
	assert_int_equal(tcpd_conn_small_capacity(t), 4);
	assert_null(tcpd_conn_small_oldest(t));
	s[0] = to_small(t, 0);
	assert_ptr_equal(s[0], tcpd_conn_small_at(t, 0));
	/* the big entry went back to its pool: the next insert takes it */
	k = key_of(10);
	big = insert(t, &k);
	assert_ptr_equal(big, tcpd_conn_at(t, 0));
	assert_int_equal(tcpd_conn_count(t), 2);
	assert_int_equal(tcpd_conn_small_count(t), 1);
	for (uint32_t i = 1; i < 4; i++)
		s[i] = to_small(t, i);
	assert_true(tcpd_conn_small_full(t));
	big = insert(t, &(struct tcpd_conn_key){key_of(11).peer_ip, key_of(11).local_ip,
						key_of(11).peer_port, key_of(11).local_port, 0});
	assert_null(tcpd_conn_to_small(t, &big->hdr)); /* full ring: the user evicts first */
	assert_int_equal(rte_errno, ENOSPC);
	assert_ptr_equal(tcpd_conn_small_oldest(t), s[0]);

	/* removed early: a dead slot, reused only when the head passes it */
	tcpd_conn_remove(t, &s[2]->hdr);
	assert_false(tcpd_conn_entry_live(&s[2]->hdr));
	assert_true(tcpd_conn_entry_small(&s[2]->hdr));
	k = key_of(2);
	assert_null(lookup(t, &k));
	assert_true(tcpd_conn_small_full(t));
	/* the oldest goes: its slot is room again (s[1] after it is live) */
	tcpd_conn_remove(t, &s[0]->hdr);
	assert_false(tcpd_conn_small_full(t));
	assert_ptr_equal(tcpd_conn_small_oldest(t), s[1]);
	/* re-queue the oldest: a copy at the tail (the freed slot 0), the hash updated in place */
	s[1]->d = 77;
	r = (struct small *)tcpd_conn_to_small(t, &s[1]->hdr);
	assert_ptr_equal(r, s[0]);
	assert_int_equal(r->a, 1);
	assert_int_equal(r->d, 77);
	assert_false(tcpd_conn_entry_live(&s[1]->hdr));
	k = key_of(1);
	assert_ptr_equal(lookup(t, &k), r);
	/* s[1] and s[2] dead at the head: trimmed, s[3] is the oldest */
	assert_ptr_equal(tcpd_conn_small_oldest(t), s[3]);
	assert_int_equal(tcpd_conn_small_count(t), 2);
	/* fill again, then the oldest of a full ring turns in place */
	s[4] = (struct small *)tcpd_conn_to_small(t, &big->hdr);
	assert_ptr_equal(s[4], tcpd_conn_small_at(t, 0 + 1));
	s[5] = to_small(t, 12);
	assert_true(tcpd_conn_small_full(t));
	assert_ptr_equal(tcpd_conn_small_oldest(t), s[3]);
	assert_ptr_equal(tcpd_conn_to_small(t, &s[3]->hdr), &s[3]->hdr);
	assert_true(tcpd_conn_entry_live(&s[3]->hdr));
	assert_ptr_equal(tcpd_conn_small_oldest(t), r);
	assert_int_equal(tcpd_conn_small_count(t), 4);
	assert_int_equal(tcpd_conn_count(t), 5);
	/* every key still found, in the class it is in */
	k = key_of(3);
	assert_ptr_equal(lookup(t, &k), s[3]);
	k = key_of(10);
	assert_false(tcpd_conn_entry_small(&lookup(t, &k)->hdr));
	for (uint32_t i = 0; i < 4; i++) {
		struct tcpd_conn_entry *e = tcpd_conn_small_oldest(t);

		tcpd_conn_remove(t, e);
		tcpd_conn_remove(t, e); /* a second remove is ignored */
	}
	assert_null(tcpd_conn_small_oldest(t));
	assert_int_equal(tcpd_conn_small_count(t), 0);
	assert_int_equal(tcpd_conn_count(t), 1);
	tcpd_conn_table_free(t);
}

/*
 * What a small entry costs: the table with small_max of them against the same table without,
 * per small entry (its bytes and its key's share of the hash), checked against the allocator.
 */
static void
test_small_memory(void **state)
{
	static const uint32_t caps[] = {4096, 65536, 100000};

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(caps); i++) {
		uint32_t cap = caps[i], sm = cap / 2;
		struct tcpd_conn_table *a, *b;
		size_t before, measured;
		double per;

		a = tcpd_conn_table_create("mem_a", cap, ESIZE, SOCKET_ID_ANY);
		before = heap_used();
		b = small_table("mem_b", cap, sm);
		assert_non_null(a);
		assert_non_null(b);
		measured = heap_used() - before;
		assert_true(tcpd_conn_table_memory(b) >= measured - measured / 50);
		assert_true(tcpd_conn_table_memory(b) <= measured + measured / 50);
		per = (double)(tcpd_conn_table_memory(b) - tcpd_conn_table_memory(a)) / sm;
		print_message("capacity %6u + %6u small: %.1f B per small entry (%u entry + %.1f "
			      "hash), %.1f B per live connection\n",
			      cap, sm, per, SSIZE, per - SSIZE,
			      (double)tcpd_conn_table_memory(a) / cap);
		tcpd_conn_table_free(a);
		tcpd_conn_table_free(b);
	}
}

static int
group_setup(void **state)
{
	(void)state;
	return tfx_eal_init("conn", "warning") < 0 ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	rte_eal_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_create_args),
		cmocka_unit_test(test_insert_lookup_remove),
		cmocka_unit_test(test_seed_per_table),
		cmocka_unit_test(test_bulk_lookup),
		cmocka_unit_test(test_key_bytes_and_pad),
		cmocka_unit_test(test_reuse_and_generation),
		cmocka_unit_test(test_fill_to_capacity),
		cmocka_unit_test(test_random_keys_and_memory),
		cmocka_unit_test(test_memory_sweep),
		cmocka_unit_test(test_small_class),
		cmocka_unit_test(test_small_memory),
	};

	return cmocka_run_group_tests_name("conn", tests, group_setup, group_teardown);
}
