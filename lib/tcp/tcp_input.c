/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A burst of TCP segments: keys and hashes (rte_hash_crc, once per packet), one bulk lookup per
 * 64 segments, the connections found loaded together, then dispatch in arrival order: to the
 * state machine of the connection found, or to the listener for a segment without one.
 *
 * An earlier segment of the same burst may insert (SYN, cookie ACK) or remove (RST, last ACK)
 * a connection. Each lookup result is kept with the entry's generation: a result whose entry has
 * since been removed (and maybe reused) no longer matches it and is looked up again, and so is a
 * miss whose hash is among those inserted since the bulk lookup (a 512-bit filter: most of a burst
 * of SYNs, each inserting its connection, then needs no second lookup). Nothing else needs to
 * know.
 *
 * IPv6 segments are keyed by the interned ids of their addresses (tcp_ip6.c): one more hash
 * lookup per segment, the peer's address; IPv4 pays one predictable branch on the family.
 */
#include "tcp_internal.h"

#define TCP_LOOKUP_CHUNK 64 /* RTE_HASH_LOOKUP_BULK_MAX */

/*
 * Load both cache lines of a connection found by the bulk lookup (a 40-byte TIME-WAIT entry's
 * second "line" is its neighbours', inside the pool's slack: harmless), for the whole chunk before
 * the first one is processed, so that their misses overlap. rte_prefetch0 is the textbook tool,
 * but issued right behind the bulk lookup's own misses it did not hide them (established ACKs at
 * 1M connections: 349 cycles per segment, still 341 with a 1500-cycle pause between prefetch and
 * use), while these independent loads, which the out-of-order window issues together, gave 274,
 * and cost nothing when the lines are cached (docs/PERFORMANCE.md, tcpd-bench ack-established).
 * The first line's load is the generation, kept for the staleness check.
 */
static inline uint32_t
conn_warm(const struct tcpd_conn_entry *e)
{
	uint32_t gen = *(const volatile uint32_t *)&e->gen;
	uint32_t l1 = *(const volatile uint32_t *)((const char *)e + RTE_CACHE_LINE_SIZE);

	__asm__ volatile("" : : "r"(l1));
	return gen;
}

/*
 * A miss of the bulk lookup may have been inserted since: a connection with its hash was (one bit
 * of a 512-bit filter per insert), or, for an IPv6 key, any connection was (the key itself may
 * have changed: its peer interned by a SYN earlier in the burst, see lookup_again).
 */
static inline int
maybe_added(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn_key *key, uint32_t hash)
{
	if (unlikely(tcp_key_is6(key->local_ip)))
		return ctx->added_n != 0;
	return (ctx->added[(hash >> 26) & (TCP_ADDED_WORDS - 1)] >> (hash >> 20 & 63)) & 1;
}

/*
 * The table changed under a segment of this burst: look it up again. An IPv6 key's peer id is
 * resolved again first: the peer may have been interned since (a SYN earlier in the burst), or
 * its id freed with its last connection and given to another address.
 */
static struct tcpd_conn_entry *
lookup_again(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, struct tcpd_conn_key *key,
	     uint32_t *hash)
{
	if (tcp_key_is6(key->local_ip)) {
		tcp_ip6_key(ctx, p, key);
		*hash = tcpd_conn_hash(ctx->tbl, key);
	}
	return tcpd_conn_lookup(ctx->tbl, key, *hash);
}

/* A connection's segment: the state machine, or TIME-WAIT's own for a compact entry. */
static void
dispatch(struct tcpd_tcp_ctx *ctx, struct tcpd_conn_entry *e, struct rte_mbuf *m,
	 const struct tcpd_pkt *p, const struct tcpd_conn_key *key, uint32_t hash)
{
	struct tcpd_tcb *c;

	if (likely(e != NULL)) {
		if (likely(!tcpd_entry_is_tw(e))) {
			tcp_fsm_input(ctx, tcpd_tcb_of(e), m, p);
			return;
		}
		if (tcp_tw_input(ctx, tcpd_tw_of(e), m, p) == TCP_DONE)
			return;
		/* RFC 6191: the TIME-WAIT entry is gone, the SYN goes to its listener (with the
		 * ISN tcp_tw_input left in ctx->reopen_iss). */
		tcp_listen_syn(ctx, m, p, key, hash,
			       ctx->listen_map[rte_be_to_cpu_16(p->dst_port)] - 1);
		ctx->reopen_iss = 0;
		return;
	}
	c = tcp_listen_input(ctx, m, p, key, hash);
	if (c != NULL) /* a SYN cookie's ACK made it: it may carry data or a FIN */
		tcp_fsm_input(ctx, c, m, p);
}

void
tcpd_tcp_input_burst(struct tcpd_tcp_ctx *ctx, struct rte_mbuf **m, const struct tcpd_pkt *pkts,
		     unsigned int n, uint64_t now_tsc)
{
	struct tcpd_conn_key keys[TCP_LOOKUP_CHUNK];
	struct tcpd_conn_entry *found[TCP_LOOKUP_CHUNK];
	uint32_t hashes[TCP_LOOKUP_CHUNK];
	uint32_t gens[TCP_LOOKUP_CHUNK];
	unsigned int base, i, k;

	tcp_clock_set(ctx, now_tsc);
	for (base = 0; base < n; base += k) {
		k = RTE_MIN(n - base, (unsigned int)TCP_LOOKUP_CHUNK);
		for (i = 0; i < k; i++) {
			const struct tcpd_pkt *p = &pkts[base + i];

			if (likely(p->family == TCPD_NET_AF_INET)) {
				keys[i].peer_ip = p->src_ip;
				keys[i].local_ip = p->dst_ip;
				keys[i].peer_port = p->src_port;
				keys[i].local_port = p->dst_port;
				keys[i].pad = 0;
			} else {
				tcp_ip6_key(ctx, p, &keys[i]);
			}
			hashes[i] = tcpd_conn_hash_seeded(ctx->hash_seed, &keys[i]);
		}
		tcpd_conn_lookup_bulk(ctx->tbl, keys, hashes, k, found);
		memset(ctx->added, 0, sizeof(ctx->added));
		ctx->added_n = 0;
		for (i = 0; i < k; i++) {
			if (found[i] != NULL)
				gens[i] = conn_warm(found[i]);
		}
		for (i = 0; i < k; i++) {
			struct tcpd_conn_entry *e = found[i];

			if (unlikely(e != NULL ? e->gen != gens[i]
					       : maybe_added(ctx, &keys[i], hashes[i])))
				e = lookup_again(ctx, &pkts[base + i], &keys[i], &hashes[i]);
			dispatch(ctx, e, m[base + i], &pkts[base + i], &keys[i], hashes[i]);
		}
	}
}
