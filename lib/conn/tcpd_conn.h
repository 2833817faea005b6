/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_CONN_H
#define TCPD_CONN_H

/**
 * @file
 * Per-lcore connection table: an rte_hash (no concurrency flags: only its lcore touches it) whose
 * values point into a preallocated pool of fixed-size entries. An entry is whatever its user
 * makes of it (lib/tcp: the TCP control block); lib/conn owns only its first 16 bytes
 * (struct tcpd_conn_entry) and knows nothing of TCP.
 *
 * A table may have a second, small-entry class (lib/tcp: compact TIME-WAIT entries) in the same
 * hash: one lookup per packet finds either. Small entries live in a FIFO ring in the order they
 * were made (tcpd_conn_to_small), for users whose entries all last about as long: the oldest is
 * at the head, ready to expire or be evicted; one removed early leaves a dead slot that the head
 * skips. An entry's class is its generation's top bit (TCPD_CONN_GEN_SMALL).
 *
 * The hash is computed once per packet with rte_hash_crc over the 16-byte key and a per-table
 * random seed, then passed to the *_with_hash calls (never the NIC's RSS hash: its low bits are
 * fixed per queue and would cut the table's usable capacity). Not thread safe.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>

/** Table key, in the local view; addresses and ports in network order, pad always zero. */
struct tcpd_conn_key {
	uint32_t peer_ip;
	uint32_t local_ip;
	uint16_t peer_port;
	uint16_t local_port;
	uint32_t pad; /**< must be 0: it is hashed and compared */
} __rte_aligned(8);

/**
 * The first 16 bytes of every entry: the tuple it is filed under (as in its key) and its
 * generation, which takes the key's always-zero pad. The generation is odd while the entry is in
 * the table and bumped on every insert and remove, so a (pointer, generation) pair kept across a
 * removal no longer matches, even if the slot was handed out again.
 */
struct tcpd_conn_entry {
	uint32_t peer_ip;
	uint32_t local_ip;
	uint16_t peer_port;
	uint16_t local_port;
	uint32_t gen; /**< odd: in the table; TCPD_CONN_GEN_SMALL: small class; lib/conn's */
} __rte_aligned(8);

/** struct tcpd_conn_entry.gen: the entry is of the small class (kept while the slot is free). */
#define TCPD_CONN_GEN_SMALL 0x80000000u

_Static_assert(sizeof(struct tcpd_conn_key) == 16, "the table key is 16 bytes (rte_hash fast cmp)");
_Static_assert(sizeof(struct tcpd_conn_entry) == sizeof(struct tcpd_conn_key),
	       "an entry header is its key with the generation in the pad");

/** The key @p e is filed under. */
static inline void
tcpd_conn_entry_key(const struct tcpd_conn_entry *e, struct tcpd_conn_key *k)
{
	k->peer_ip = e->peer_ip;
	k->local_ip = e->local_ip;
	k->peer_port = e->peer_port;
	k->local_port = e->local_port;
	k->pad = 0;
}

/** True if @p e is in its table (odd generation). */
static inline bool
tcpd_conn_entry_live(const struct tcpd_conn_entry *e)
{
	return (e->gen & 1) != 0;
}

/** True if @p e is a small-class entry (tcpd_conn_to_small), live or not. */
static inline bool
tcpd_conn_entry_small(const struct tcpd_conn_entry *e)
{
	return (e->gen & TCPD_CONN_GEN_SMALL) != 0;
}

struct tcpd_conn_table;

/** What tcpd_conn_table_create_params makes. */
struct tcpd_conn_params {
	const char *name;    /**< unique per table, at most 16 characters */
	uint32_t max_conns;  /**< entries of the main class (tcpd_conn_insert's pool) */
	uint32_t entry_size; /**< their bytes, a multiple of 8, at least 16 */
	uint32_t small_max;  /**< small-class entries at most (0: no small class) */
	uint32_t small_size; /**< their bytes, a multiple of 8, at least 16 */
	int socket_id;
};

/**
 * Create a table for at most @p max_conns entries of @p entry_size bytes on @p socket_id. The
 * pool is allocated up front; the hash is sized with headroom (EXT_TABLE) so that inserts never
 * fail before the pool is empty.
 * @param name        unique per table, at most 16 characters
 * @param entry_size  bytes per entry, a multiple of 8, at least sizeof(struct tcpd_conn_entry);
 *		      entries are cache aligned when it is a multiple of RTE_CACHE_LINE_SIZE
 * @return the table, or NULL with rte_errno set
 */
struct tcpd_conn_table *tcpd_conn_table_create(const char *name, uint32_t max_conns,
					       uint32_t entry_size, int socket_id);

/**
 * tcpd_conn_table_create with a small class: the hash is sized for max_conns + small_max keys.
 * @return the table, or NULL with rte_errno set
 */
struct tcpd_conn_table *tcpd_conn_table_create_params(const struct tcpd_conn_params *p);

/** Free the table and its pool. */
void tcpd_conn_table_free(struct tcpd_conn_table *t);

/** The table's hash of @p key (rte_hash_crc with the table's seed). */
uint32_t tcpd_conn_hash(const struct tcpd_conn_table *t, const struct tcpd_conn_key *key);

/** The table's hash seed, for tcpd_conn_hash_seeded. */
uint32_t tcpd_conn_hash_seed(const struct tcpd_conn_table *t);

/**
 * tcpd_conn_hash inline, for a caller that hashes every packet's key: @p seed is
 * tcpd_conn_hash_seed() of the table (the same value as tcpd_conn_hash, without a call).
 */
static inline uint32_t
tcpd_conn_hash_seeded(uint32_t seed, const struct tcpd_conn_key *key)
{
	return rte_hash_crc(key, sizeof(*key), seed);
}

/**
 * Look up @p n keys (n <= 64, one burst; more are split into chunks of 64) with their
 * precomputed hashes.
 * @param conns  out: the connection, or NULL on a miss, per key
 * @return the number of hits
 */
unsigned int tcpd_conn_lookup_bulk(struct tcpd_conn_table *t, const struct tcpd_conn_key *keys,
				   const uint32_t *hashes, unsigned int n,
				   struct tcpd_conn_entry **conns);

/** Single lookup; NULL on a miss. */
struct tcpd_conn_entry *tcpd_conn_lookup(struct tcpd_conn_table *t, const struct tcpd_conn_key *key,
					 uint32_t hash);

/**
 * Take an entry from the pool and insert it under @p key. The entry is zeroed except for its
 * header (tuple, new generation). @p hash must be tcpd_conn_hash(t, key).
 * @return the connection, or NULL with rte_errno ENOSPC if the pool or the hash is full (nothing
 *	   is evicted), EEXIST if @p key is already in the table (it is not overwritten: two
 *	   segments of a new flow may both miss in one burst), EINVAL if key->pad is not 0
 */
struct tcpd_conn_entry *tcpd_conn_insert(struct tcpd_conn_table *t, const struct tcpd_conn_key *key,
					 uint32_t hash);

/**
 * tcpd_conn_insert for a key the caller knows to be absent: it missed in a lookup made since the
 * table's last insert (tcpd_conn_adds unchanged). One hash operation per new connection instead
 * of two; rte_hash would overwrite an existing key's entry, orphaning it, so the promise is the
 * caller's (checked only with RTE_ENABLE_ASSERT).
 */
struct tcpd_conn_entry *tcpd_conn_insert_absent(struct tcpd_conn_table *t,
						const struct tcpd_conn_key *key, uint32_t hash);

/**
 * Remove @p e (either class) from the hash and return it to its pool; bumps its generation.
 * Whatever the entry holds (timers, buffers) is its user's to release first. A second remove is
 * ignored. A small entry's ring slot is reused once it reaches the head.
 */
void tcpd_conn_remove(struct tcpd_conn_table *t, struct tcpd_conn_entry *e);

/** Entries in the table, both classes. */
uint32_t tcpd_conn_count(const struct tcpd_conn_table *t);

/** Capacity of the main class (max_conns). */
uint32_t tcpd_conn_capacity(const struct tcpd_conn_table *t);

/** True if the main class has no free entry (tcpd_conn_insert would fail with ENOSPC). */
bool tcpd_conn_full(const struct tcpd_conn_table *t);

/** Small-class entries in the table. */
uint32_t tcpd_conn_small_count(const struct tcpd_conn_table *t);

/** Small-class capacity (small_max; 0: no small class). */
uint32_t tcpd_conn_small_capacity(const struct tcpd_conn_table *t);

/** Small slot @p idx (0 <= idx < small capacity), live or free, NULL beyond; for walks. */
struct tcpd_conn_entry *tcpd_conn_small_at(struct tcpd_conn_table *t, uint32_t idx);

/**
 * True if the small ring has no slot left (dead slots at its head are dropped first):
 * tcpd_conn_to_small then needs the oldest removed first.
 */
bool tcpd_conn_small_full(struct tcpd_conn_table *t);

/**
 * The oldest live small entry (the ring's head, dead slots before it dropped), NULL if none.
 */
struct tcpd_conn_entry *tcpd_conn_small_oldest(struct tcpd_conn_table *t);

/** At most this many entries per tcpd_conn_small_warm call. */
#define TCPD_CONN_WARM_MAX 16

/**
 * Look up the keys of the @p n (at most TCPD_CONN_WARM_MAX) oldest live small entries (among the
 * 2 x TCPD_CONN_WARM_MAX oldest slots), so that
 * removing them next finds their hash buckets in cache: one bulk lookup overlaps the cache
 * misses that one remove after another would take in turn. For batch eviction.
 * @return the entries looked up (all found)
 */
unsigned int tcpd_conn_small_warm(struct tcpd_conn_table *t, unsigned int n);

/**
 * Move live entry @p e (either class) to a new small entry at the ring's tail, filed under the
 * same key: the hash's data is replaced in place (one hash operation), @p e is freed (its
 * generation bumped). Past its header the new entry holds what its slot held before (from a
 * main-class @p e: the caller fills it) or a copy of @p e (from a small one: a re-queue). The
 * ring must not be full, unless @p e is the oldest entry (then it just becomes the newest, in
 * place: the ring turns).
 * @return the small entry, or NULL (rte_errno ENOSPC: the ring is full; EINVAL: no small class)
 */
struct tcpd_conn_entry *tcpd_conn_to_small(struct tcpd_conn_table *t, struct tcpd_conn_entry *e);

/** Pool slot @p idx (0 <= idx < capacity), live or free, NULL beyond; for walks and teardown. */
struct tcpd_conn_entry *tcpd_conn_at(struct tcpd_conn_table *t, uint32_t idx);

/** Pool slot index of @p e (an entry of this table): tcpd_conn_at(t, idx) gives it back. */
uint32_t tcpd_conn_index(const struct tcpd_conn_table *t, const struct tcpd_conn_entry *e);

/** True if @p e is a slot of this table's pool and in the table. */
bool tcpd_conn_live(const struct tcpd_conn_table *t, const struct tcpd_conn_entry *e);

/**
 * Inserts so far: a lookup miss may be repeated only when this changed since the lookup (an
 * earlier segment of the same burst created the entry).
 */
uint64_t tcpd_conn_adds(const struct tcpd_conn_table *t);

/** Bytes of memory the table uses (pools + hash), for bytes-per-connection figures. */
uint64_t tcpd_conn_table_memory(const struct tcpd_conn_table *t);

#endif /* TCPD_CONN_H */
