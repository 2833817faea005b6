/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-lcore connection table: rte_hash (key -> entry pointer) over a preallocated pool of
 * fixed-size entries.
 *
 * The pool's free list is a LIFO stack of slot indexes beside the pool (4 B per entry, so that
 * an entry belongs wholly to its user but for its 16-byte header): the entry freed last is reused
 * first, while its cache lines are still warm. The header's generation tells live slots from
 * free ones (odd: live) without a side bitmap.
 *
 * Hash sizing: entries = max_conns, plus 25 % headroom when an entry is at most two cache lines.
 * EXT_TABLE alone guarantees that max_conns keys fit (overflow goes to extendable buckets), and
 * rte_hash rounds the bucket count up to a power of two, which gives most capacities slack for
 * free; but at a power-of-two capacity every bucket slot ends up used, and near full each insert
 * pays for cuckoo displacement (measured: ~120 ns below 80 % load, ~300-650 ns above 90 %).
 * The hash is sized for both classes (max_conns + small_max keys): every small entry costs its
 * own bytes plus one key's share of the hash (tcpd_conn_table_memory tells the whole).
 *
 * Small class: a ring of small_max slots in the order entries were moved there; no free list
 * (the ring's tail is the next slot), no index array. A slot removed early stays dead until the
 * head passes it, so the ring bounds the entries made in one lifetime, not those alive.
 *
 * Headroom costs up to 34 B per connection (buckets, keys, free ring): with a 128 B connection the
 * worst case is about 221 B, inside the 256 B budget; with today's 192 B it would break it (up to
 * about 285 B), so it is only taken when it fits.
 */
#include <errno.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_random.h>
#include <rte_ring_elem.h>

#include "tcpd_conn.h"

#define CONN_NAME_MAX 16
/* 25 % hash headroom only when it fits the 256 B per connection budget (see above). */
#define CONN_HEADROOM(entry_size) ((entry_size) <= 2 * RTE_CACHE_LINE_SIZE)

/*
 * rte_hash internals used only for the memory estimate (lib/hash/rte_cuckoo_hash.h, 22.11):
 * buckets of 8 entries, 64 B each (16-bit sigs, 32-bit key indexes, flags, ext link), and key
 * slots of align16(data pointer + key). struct rte_hash, its tailq entry, change counter and the
 * ring headers are a fixed cost, measured on this build (tests/unit/test_conn.c checks the whole
 * estimate against the allocator's own figure).
 */
#define HASH_BUCKET_ENTRIES 8
#define HASH_BUCKET_SIZE    64
#define HASH_KEY_SLOT	    RTE_ALIGN_CEIL(sizeof(void *) + sizeof(struct tcpd_conn_key), 16)
#define HASH_FIXED_BYTES    1024

struct tcpd_conn_table {
	struct rte_hash *h;
	uint8_t *pool;
	uint32_t *free_stack; /* free slot indexes, top at free_stack[nfree - 1] */
	uint32_t nfree;
	uint32_t esize;	    /* bytes per entry */
	uint32_t eshift;    /* log2(esize) if a power of two (no division on remove), else 0 */
	uint32_t seed;	    /* rte_hash_crc init value, random per table */
	uint32_t cap;	    /* pool size = max_conns */
	uint32_t live;	    /* entries in the table */
	uint64_t adds;	    /* inserts so far */
	uint64_t mem_bytes; /* tcpd_conn_table_memory() */
	/* small class: ring of scap slots of ssize bytes, oldest at shead, sn slots in use */
	uint8_t *small;
	uint32_t ssize, scap, shead, sn, slive;
	char name[CONN_NAME_MAX + 1];
} __rte_cache_aligned;

static inline struct tcpd_conn_entry *
slot(const struct tcpd_conn_table *t, uint32_t idx)
{
	return (struct tcpd_conn_entry *)(t->pool + (size_t)idx * t->esize);
}

/* Bytes the rte_hash of @p entries 16-byte keys allocates (see the constants above). */
static uint64_t
conn_hash_memory(uint32_t entries)
{
	uint32_t nb_bkt = rte_align32pow2(entries) / HASH_BUCKET_ENTRIES;
	uint64_t m = 0;

	m += 2ull * nb_bkt * HASH_BUCKET_SIZE;	      /* main + extendable buckets */
	m += (uint64_t)(entries + 1) * HASH_KEY_SLOT; /* key store, slot 0 is a dummy */
	m += (uint64_t)rte_ring_get_memsize_elem(sizeof(uint32_t), rte_align32pow2(entries + 1));
	m += (uint64_t)rte_ring_get_memsize_elem(sizeof(uint32_t), rte_align32pow2(nb_bkt + 1));
	return m + HASH_FIXED_BYTES;
}

static void
table_free(struct tcpd_conn_table *t)
{
	rte_hash_free(t->h);
	rte_free(t->free_stack);
	rte_free(t->pool);
	rte_free(t->small);
	rte_free(t);
}

static inline struct tcpd_conn_entry *
small_slot(const struct tcpd_conn_table *t, uint32_t idx)
{
	return (struct tcpd_conn_entry *)(t->small + (size_t)idx * t->ssize);
}

/* Index of the ring slot @p i places after the head. */
static inline uint32_t
small_idx(const struct tcpd_conn_table *t, uint32_t i)
{
	uint32_t x = t->shead + i;

	return x >= t->scap ? x - t->scap : x;
}

static int
params_ok(const struct tcpd_conn_params *p)
{
	return p->name != NULL && p->name[0] != '\0' && strlen(p->name) <= CONN_NAME_MAX &&
	       p->max_conns != 0 && p->max_conns <= RTE_HASH_ENTRIES_MAX - p->small_max &&
	       p->small_max <= RTE_HASH_ENTRIES_MAX &&
	       p->entry_size >= sizeof(struct tcpd_conn_entry) && p->entry_size % 8 == 0 &&
	       (p->small_max == 0 ||
		(p->small_size >= sizeof(struct tcpd_conn_entry) && p->small_size % 8 == 0));
}

static struct rte_hash *
hash_create(struct tcpd_conn_table *t, uint32_t entries, int socket_id)
{
	char hname[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p;

	/* "ct_" + 16 chars: "HT_EXT_ct_<name>" stays within RTE_RING_NAMESIZE (29), no truncation
	 * collisions between tables. */
	snprintf(hname, sizeof(hname), "ct_%s", t->name);
	memset(&p, 0, sizeof(p));
	p.name = hname;
	p.entries = entries;
	p.key_len = sizeof(struct tcpd_conn_key);
	p.hash_func = rte_hash_crc;
	p.hash_func_init_val = t->seed;
	p.socket_id = socket_id;
	/* Only this lcore touches the table: no lock flags (locks and barriers compile away). */
	p.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	return rte_hash_create(&p);
}

struct tcpd_conn_table *
tcpd_conn_table_create_params(const struct tcpd_conn_params *prm)
{
	uint32_t max_conns = prm->max_conns, entry_size = prm->entry_size;
	struct tcpd_conn_table *t;
	uint32_t entries, keys;

	if (!params_ok(prm)) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = rte_zmalloc_socket("tcpd_conn_table", sizeof(*t), RTE_CACHE_LINE_SIZE, prm->socket_id);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	strcpy(t->name, prm->name);
	t->cap = max_conns;
	t->esize = entry_size;
	t->eshift = rte_is_power_of_2(entry_size) ? (uint32_t)rte_log2_u32(entry_size) : 0;
	t->pool = rte_zmalloc_socket("tcpd_conn_pool", (size_t)max_conns * entry_size,
				     RTE_CACHE_LINE_SIZE, prm->socket_id);
	t->free_stack = rte_malloc_socket("tcpd_conn_free", (size_t)max_conns * sizeof(uint32_t),
					  RTE_CACHE_LINE_SIZE, prm->socket_id);
	t->scap = prm->small_max;
	t->ssize = prm->small_size;
	/* A cache line of slack past the last slot: lib/tcp's input loads an entry's second line
	 * before it knows the entry's class. */
	if (t->scap != 0)
		t->small = rte_zmalloc_socket("tcpd_conn_small",
					      (size_t)t->scap * t->ssize + RTE_CACHE_LINE_SIZE,
					      RTE_CACHE_LINE_SIZE, prm->socket_id);
	if (t->pool == NULL || t->free_stack == NULL || (t->scap != 0 && t->small == NULL)) {
		table_free(t);
		rte_errno = ENOMEM;
		return NULL;
	}
	for (uint32_t i = 0; i < t->scap; i++)
		small_slot(t, i)->gen = TCPD_CONN_GEN_SMALL;

	keys = max_conns + t->scap;
	entries = keys;
	if (CONN_HEADROOM(entry_size))
		entries += RTE_MIN(keys / 4, RTE_HASH_ENTRIES_MAX - keys);
	/* rte_hash needs at least one bucket of entries. */
	entries = RTE_MAX(entries, (uint32_t)HASH_BUCKET_ENTRIES);
	/* A secret seed per table: CRC is not a keyed PRF, but an unknown seed keeps remote peers
	 * from choosing 4-tuples that pile into one bucket chain. */
	t->seed = (uint32_t)rte_rand();
	t->h = hash_create(t, entries, prm->socket_id);
	if (t->h == NULL) {
		int err = rte_errno ? rte_errno : ENOMEM;

		table_free(t);
		rte_errno = err;
		return NULL;
	}

	/* Free stack with slot 0 on top: a fresh table hands out the pool in address order. */
	for (uint32_t i = 0; i < max_conns; i++)
		t->free_stack[i] = max_conns - 1 - i;
	t->nfree = max_conns;
	t->mem_bytes = sizeof(*t) + (uint64_t)max_conns * (entry_size + sizeof(uint32_t)) +
		       conn_hash_memory(entries);
	if (t->scap != 0)
		t->mem_bytes += (uint64_t)t->scap * t->ssize + RTE_CACHE_LINE_SIZE;
	return t;
}

struct tcpd_conn_table *
tcpd_conn_table_create(const char *name, uint32_t max_conns, uint32_t entry_size, int socket_id)
{
	struct tcpd_conn_params p = {
		.name = name,
		.max_conns = max_conns,
		.entry_size = entry_size,
		.socket_id = socket_id,
	};

	return tcpd_conn_table_create_params(&p);
}

void
tcpd_conn_table_free(struct tcpd_conn_table *t)
{
	if (t != NULL)
		table_free(t);
}

uint32_t
tcpd_conn_hash(const struct tcpd_conn_table *t, const struct tcpd_conn_key *key)
{
	return tcpd_conn_hash_seeded(t->seed, key);
}

uint32_t
tcpd_conn_hash_seed(const struct tcpd_conn_table *t)
{
	return t->seed;
}

unsigned int
tcpd_conn_lookup_bulk(struct tcpd_conn_table *t, const struct tcpd_conn_key *keys,
		      const uint32_t *hashes, unsigned int n, struct tcpd_conn_entry **conns)
{
	const void *kp[RTE_HASH_LOOKUP_BULK_MAX];
	void *data[RTE_HASH_LOOKUP_BULK_MAX];
	unsigned int hits = 0;

	/* The contract is n <= 64 (one RX burst); larger n is split rather than overflowing the
	 * library's 64-bit hit mask, which it does not check in release builds. */
	for (unsigned int off = 0; off < n; off += RTE_HASH_LOOKUP_BULK_MAX) {
		unsigned int m = RTE_MIN(n - off, (unsigned int)RTE_HASH_LOOKUP_BULK_MAX);
		uint64_t hit = 0;

		for (unsigned int i = 0; i < m; i++)
			kp[i] = &keys[off + i];
		/* The library reads the signatures only; its prototype just lacks the const. */
		rte_hash_lookup_with_hash_bulk_data(t->h, kp, (hash_sig_t *)(uintptr_t)&hashes[off],
						    m, &hit, data);
		for (unsigned int i = 0; i < m; i++)
			conns[off + i] = (hit >> i) & 1 ? data[i] : NULL;
		hits += (unsigned int)__builtin_popcountll(hit);
	}
	return hits;
}

struct tcpd_conn_entry *
tcpd_conn_lookup(struct tcpd_conn_table *t, const struct tcpd_conn_key *key, uint32_t hash)
{
	void *data;

	if (rte_hash_lookup_with_hash_data(t->h, key, hash, &data) < 0)
		return NULL;
	return data;
}

/*
 * Insert refuses an existing key (EEXIST) instead of letting rte_hash overwrite its data: two
 * segments of one new flow can both miss in the same burst's bulk lookup, and an overwrite would
 * orphan the first entry (live in the pool, unreachable through the table). The extra lookup
 * hits buckets the caller's lookup has just brought into cache.
 */
struct tcpd_conn_entry *
tcpd_conn_insert(struct tcpd_conn_table *t, const struct tcpd_conn_key *key, uint32_t hash)
{
	if (unlikely(rte_hash_lookup_with_hash(t->h, key, hash) >= 0)) {
		rte_errno = EEXIST;
		return NULL;
	}
	return tcpd_conn_insert_absent(t, key, hash);
}

struct tcpd_conn_entry *
tcpd_conn_insert_absent(struct tcpd_conn_table *t, const struct tcpd_conn_key *key, uint32_t hash)
{
	struct tcpd_conn_entry *e;
	uint32_t gen;
	int ret;

	RTE_ASSERT(hash == tcpd_conn_hash(t, key));
	RTE_ASSERT(rte_hash_lookup_with_hash(t->h, key, hash) < 0);
	if (unlikely(key->pad != 0)) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (unlikely(t->nfree == 0)) {
		rte_errno = ENOSPC;
		return NULL;
	}
	e = slot(t, t->free_stack[t->nfree - 1]);
	ret = rte_hash_add_key_with_hash_data(t->h, key, hash, e);
	if (unlikely(ret < 0)) {
		/* cannot happen with EXT_TABLE and entries >= pool size; nothing was popped */
		rte_errno = -ret;
		return NULL;
	}
	t->nfree--;
	gen = e->gen;
	/* A constant size for lib/tcp's two-line entries: an inlined clear, not a libc call. */
	if (likely(t->esize == 2 * RTE_CACHE_LINE_SIZE))
		memset(e, 0, 2 * RTE_CACHE_LINE_SIZE);
	else
		memset(e, 0, t->esize);
	e->peer_ip = key->peer_ip;
	e->local_ip = key->local_ip;
	e->peer_port = key->peer_port;
	e->local_port = key->local_port;
	e->gen = (gen + 1) & ~TCPD_CONN_GEN_SMALL;
	t->live++;
	t->adds++;
	return e;
}

/* Drop dead slots at the ring's head: their entries were removed early. */
static inline void
small_trim(struct tcpd_conn_table *t)
{
	while (t->sn != 0 && !tcpd_conn_entry_live(small_slot(t, t->shead))) {
		t->shead = small_idx(t, 1);
		t->sn--;
	}
}

/* Return @e's slot to its class once it left the hash. */
static void
entry_release(struct tcpd_conn_table *t, struct tcpd_conn_entry *e)
{
	if (tcpd_conn_entry_small(e)) {
		e->gen++; /* dead; the top bit stays */
		t->slive--;
		if (e == small_slot(t, t->shead))
			small_trim(t);
	} else {
		e->gen = (e->gen + 1) & ~TCPD_CONN_GEN_SMALL;
		t->free_stack[t->nfree++] = tcpd_conn_index(t, e);
	}
	t->live--;
}

void
tcpd_conn_remove(struct tcpd_conn_table *t, struct tcpd_conn_entry *e)
{
	struct tcpd_conn_key key;
	int32_t ret;

	if (unlikely(!tcpd_conn_entry_live(e)))
		return; /* already free: a second remove must not corrupt the stack */
	/* The hash is recomputed (two CRC32C instructions) rather than kept in the entry. */
	tcpd_conn_entry_key(e, &key);
	ret = rte_hash_del_key_with_hash(t->h, &key, tcpd_conn_hash(t, &key));
	RTE_ASSERT(ret >= 0);
	RTE_SET_USED(ret);
	entry_release(t, e);
}

bool
tcpd_conn_small_full(struct tcpd_conn_table *t)
{
	small_trim(t); /* dead slots at the head are room */
	return t->sn == t->scap;
}

struct tcpd_conn_entry *
tcpd_conn_small_oldest(struct tcpd_conn_table *t)
{
	small_trim(t);
	return t->sn != 0 ? small_slot(t, t->shead) : NULL;
}

unsigned int
tcpd_conn_small_warm(struct tcpd_conn_table *t, unsigned int n)
{
	struct tcpd_conn_key keys[TCPD_CONN_WARM_MAX];
	struct tcpd_conn_entry *found[TCPD_CONN_WARM_MAX];
	uint32_t hashes[TCPD_CONN_WARM_MAX];
	unsigned int i, k = 0;

	small_trim(t);
	n = RTE_MIN(n, (unsigned int)TCPD_CONN_WARM_MAX);
	/* Slots removed early stay dead in the ring: the scan is bounded, not the whole ring. */
	for (i = 0; i < t->sn && i < 2 * TCPD_CONN_WARM_MAX && k < n; i++) {
		const struct tcpd_conn_entry *e = small_slot(t, small_idx(t, i));

		if (!tcpd_conn_entry_live(e))
			continue;
		tcpd_conn_entry_key(e, &keys[k]);
		hashes[k] = tcpd_conn_hash(t, &keys[k]);
		k++;
	}
	/* The bulk lookup loads every bucket before it compares any (rte_hash's prefetch
	 * stage): the misses overlap, and each remove after it finds its bucket in cache. */
	return k != 0 ? tcpd_conn_lookup_bulk(t, keys, hashes, k, found) : 0;
}

struct tcpd_conn_entry *
tcpd_conn_to_small(struct tcpd_conn_table *t, struct tcpd_conn_entry *e)
{
	struct tcpd_conn_entry *s;
	struct tcpd_conn_key key;
	int ret;

	if (unlikely(t->scap == 0)) {
		rte_errno = EINVAL;
		return NULL;
	}
	small_trim(t);
	if (tcpd_conn_entry_small(e) && t->sn == t->scap && e == small_slot(t, t->shead)) {
		/* The oldest of a full ring becomes the newest where it is: the ring turns. */
		t->shead = small_idx(t, 1);
		return e;
	}
	if (unlikely(t->sn == t->scap)) {
		rte_errno = ENOSPC;
		return NULL;
	}
	s = small_slot(t, small_idx(t, t->sn));
	tcpd_conn_entry_key(e, &key);
	/* An existing key: rte_hash replaces its data, the key keeps its slot. */
	ret = rte_hash_add_key_with_hash_data(t->h, &key, tcpd_conn_hash(t, &key), s);
	if (unlikely(ret < 0)) {
		rte_errno = -ret;
		return NULL;
	}
	/* From the main class the user writes the whole entry: not cleared here (a libc call on
	 * every TIME-WAIT). */
	if (tcpd_conn_entry_small(e))
		memcpy(s + 1, e + 1, t->ssize - sizeof(*s));
	s->peer_ip = e->peer_ip;
	s->local_ip = e->local_ip;
	s->peer_port = e->peer_port;
	s->local_port = e->local_port;
	s->gen = (s->gen + 1) | TCPD_CONN_GEN_SMALL;
	t->sn++;
	t->slive++;
	t->live++;
	entry_release(t, e);
	return s;
}

uint32_t
tcpd_conn_small_count(const struct tcpd_conn_table *t)
{
	return t->slive;
}

uint32_t
tcpd_conn_small_capacity(const struct tcpd_conn_table *t)
{
	return t->scap;
}

struct tcpd_conn_entry *
tcpd_conn_small_at(struct tcpd_conn_table *t, uint32_t idx)
{
	return idx < t->scap ? small_slot(t, idx) : NULL;
}

bool
tcpd_conn_full(const struct tcpd_conn_table *t)
{
	return t->nfree == 0;
}

uint32_t
tcpd_conn_count(const struct tcpd_conn_table *t)
{
	return t->live;
}

uint32_t
tcpd_conn_capacity(const struct tcpd_conn_table *t)
{
	return t->cap;
}

uint32_t
tcpd_conn_index(const struct tcpd_conn_table *t, const struct tcpd_conn_entry *e)
{
	size_t off = (size_t)((const uint8_t *)e - t->pool);

	return (uint32_t)(t->eshift ? off >> t->eshift : off / t->esize);
}

uint64_t
tcpd_conn_adds(const struct tcpd_conn_table *t)
{
	return t->adds;
}

struct tcpd_conn_entry *
tcpd_conn_at(struct tcpd_conn_table *t, uint32_t idx)
{
	return idx < t->cap ? slot(t, idx) : NULL;
}

bool
tcpd_conn_live(const struct tcpd_conn_table *t, const struct tcpd_conn_entry *e)
{
	const uint8_t *p = (const uint8_t *)e;

	return p >= t->pool && p < t->pool + (size_t)t->cap * t->esize &&
	       (size_t)(p - t->pool) % t->esize == 0 && tcpd_conn_entry_live(e);
}

uint64_t
tcpd_conn_table_memory(const struct tcpd_conn_table *t)
{
	return t->mem_bytes;
}
