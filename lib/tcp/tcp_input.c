/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A burst of TCP segments: keys and hashes (rte_hash_crc, once per packet), one bulk lookup per
 * 64 segments, the connections found loaded together, then dispatch in arrival order.
 *
 * An earlier segment of the same burst may insert (SYN, cookie ACK) or remove (RST, last ACK)
 * a connection. Removal clears the later lookup results that point to the removed connection
 * (tcp_conn_close), and once the table changed, a miss is looked up again singly: the first
 * segment of a flow can create the connection the next one needs.
 */
#include "tcp_internal.h"

#define TCP_LOOKUP_CHUNK 64 /* RTE_HASH_LOOKUP_BULK_MAX */

/*
 * Load both cache lines of a connection found by the bulk lookup, for the whole chunk before
 * the first one is processed, so that their misses overlap. rte_prefetch0 is the textbook tool,
 * but issued right behind the bulk lookup's own misses it did not hide them (established ACKs at
 * 1M connections: 349 cycles per segment, still 341 with a 1500-cycle pause between prefetch and
 * use), while these independent loads, which the out-of-order window issues together, gave 274,
 * and cost nothing when the lines are cached (docs/PERFORMANCE.md, tcpd-bench ack-established).
 */
static inline void
conn_warm(const struct tcpd_conn *c)
{
	uint32_t l0 = *(const volatile uint32_t *)c;
	uint32_t l1 = *(const volatile uint32_t *)((const char *)c + RTE_CACHE_LINE_SIZE);

	__asm__ volatile("" : : "r"(l0), "r"(l1));
}

void
tcpd_tcp_input_burst(struct tcpd_tcp_ctx *ctx, struct rte_mbuf **m, const struct tcpd_pkt *pkts,
		     unsigned int n, uint64_t now_tsc)
{
	struct tcpd_conn_key keys[TCP_LOOKUP_CHUNK];
	struct tcpd_conn *conns[TCP_LOOKUP_CHUNK];
	uint32_t hashes[TCP_LOOKUP_CHUNK];
	struct tcp_burst *b = &ctx->burst;
	unsigned int base, i, k;

	tcp_clock_set(ctx, now_tsc);
	for (base = 0; base < n; base += k) {
		k = RTE_MIN(n - base, (unsigned int)TCP_LOOKUP_CHUNK);
		for (i = 0; i < k; i++) {
			const struct tcpd_pkt *p = &pkts[base + i];

			keys[i].peer_ip = p->src_ip;
			keys[i].local_ip = p->dst_ip;
			keys[i].peer_port = p->src_port;
			keys[i].local_port = p->dst_port;
			keys[i].pad = 0;
			hashes[i] = tcpd_conn_hash(ctx->tbl, &keys[i]);
		}
		tcpd_conn_lookup_bulk(ctx->tbl, keys, hashes, k, conns);
		for (i = 0; i < k; i++) {
			if (conns[i] != NULL)
				conn_warm(conns[i]);
		}
		b->conns = conns;
		b->n = k;
		b->changed = 0;
		for (i = 0; i < k; i++) {
			struct tcpd_conn *c = conns[i];

			b->next = i + 1;
			if (c == NULL && b->changed)
				c = tcpd_conn_lookup(ctx->tbl, &keys[i], hashes[i]);
			if (likely(c != NULL))
				tcp_fsm_input(ctx, c, m[base + i], &pkts[base + i]);
			else
				tcp_listen_input(ctx, m[base + i], &pkts[base + i], &keys[i],
						 hashes[i]);
		}
		b->n = 0;
	}
}
