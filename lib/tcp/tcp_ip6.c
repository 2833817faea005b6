/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 connections in the 16-byte table key: every IPv6 peer address with a connection is
 * interned per lcore into a 24-bit id (an rte_hash keyed by the address; the id is its position
 * + 1, so the hash's key store is the id allocator), and the key is {peer id, local id, ports}.
 * Local ids are the index + 1 of our address in ifc->ip6 (at most TCPD_NET_MAX_IP6, fixed for
 * the life of the process: no lookup, no reference), and for client mode's IPv6 source range
 * TCPD_NET_MAX_IP6 + 1 + the address's offset in it (tcpd_net_ip6_local_idx): the address
 * is derived from the id, with no table either. Ids live in 0.0.0.0/8 (network order, top
 * byte 0), which lib/config refuses as one of our IPv4 addresses, so an IPv4 key never has a
 * local address there: "IPv6" is one compare (tcp_key_is6).
 *
 * Each connection holds one reference on its peer id, taken when the listener creates it and
 * released in tcp_conn_close, the one place entries leave the table: an id lives exactly as long
 * as a connection uses it. A lookup that misses the intern table means no connection: the
 * segment goes to the listener with peer id 0, which no connection has.
 */
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "tcp_internal.h"

/* rte_hash internals for the memory figure (as lib/conn): 64-byte buckets of 8, main and
 * extendable; key slots of align16(data pointer + 16-byte key); two rings of 32-bit indexes. */
#define IP6_BKT_ENTRIES 8
#define IP6_BKT_SIZE	64
#define IP6_KEY_SLOT	32

struct tcp_ip6_tbl {
	struct rte_hash *h;
	struct tcp_ip6_peer *peer; /* by position (id - 1) */
	uint32_t seed;
	uint32_t cap;
	uint64_t mem_bytes;
};

static uint64_t
ip6_memory(uint32_t entries)
{
	uint32_t nb_bkt = rte_align32pow2(entries) / IP6_BKT_ENTRIES;
	uint64_t m = 0;

	m += 2ull * nb_bkt * IP6_BKT_SIZE;
	m += (uint64_t)(entries + 1) * IP6_KEY_SLOT;
	m += (uint64_t)rte_align32pow2(entries + 1) * sizeof(uint32_t);
	m += (uint64_t)rte_align32pow2(nb_bkt + 1) * sizeof(uint32_t);
	m += (uint64_t)entries * sizeof(struct tcp_ip6_peer);
	return m;
}

int
tcp_ip6_init(struct tcpd_tcp_ctx *ctx, const char *name, int socket_id)
{
	const struct tcpd_config *cfg = ctx->cfg;
	struct rte_hash_parameters hp;
	struct tcp_ip6_tbl *t;
	char hname[RTE_HASH_NAMESIZE];
	uint32_t n;

	ctx->our_mss6 = (uint16_t)(ctx->ifc->mtu - TCPD_NET_IP6_TCP_OVERHEAD);
	tcpd_net_tmpl6_init(&ctx->tmpl6, ctx->ifc);
	if (ctx->ifc->nb_ip6 == 0)
		return 0; /* IPv4 only: nothing allocated, nothing changes */
	n = cfg->ip6_peers ? cfg->ip6_peers : RTE_MAX(cfg->max_conns / 4, 8u);
	n = RTE_MIN(n, TCP_IP6_ID_MAX);
	t = rte_zmalloc_socket("tcp_ip6", sizeof(*t), RTE_CACHE_LINE_SIZE, socket_id);
	if (t == NULL)
		return -ENOMEM;
	t->cap = RTE_MAX(n, (uint32_t)IP6_BKT_ENTRIES);
	t->seed = (uint32_t)rte_rand();
	t->peer = rte_zmalloc_socket("tcp_ip6_peer", (size_t)t->cap * sizeof(*t->peer),
				     RTE_CACHE_LINE_SIZE, socket_id);
	snprintf(hname, sizeof(hname), "i6_%s", name);
	memset(&hp, 0, sizeof(hp));
	hp.name = hname;
	hp.entries = t->cap;
	hp.key_len = 16;
	hp.hash_func = rte_hash_crc;
	hp.hash_func_init_val = t->seed;
	hp.socket_id = socket_id;
	/* One lcore only: no lock flags; the extendable table keeps every position usable. */
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	t->h = t->peer != NULL ? rte_hash_create(&hp) : NULL;
	if (t->h == NULL) {
		rte_free(t->peer);
		rte_free(t);
		return -ENOMEM;
	}
	t->mem_bytes = ip6_memory(t->cap);
	ctx->ip6 = t;
	return 0;
}

void
tcp_ip6_fini(struct tcpd_tcp_ctx *ctx)
{
	struct tcp_ip6_tbl *t = ctx->ip6;

	if (t == NULL)
		return;
	rte_hash_free(t->h);
	rte_free(t->peer);
	rte_free(t);
	ctx->ip6 = NULL;
}

uint64_t
tcp_ip6_memory(const struct tcpd_tcp_ctx *ctx)
{
	return ctx->ip6 != NULL ? ctx->ip6->mem_bytes : 0;
}

uint32_t
tcp_ip6_capacity(const struct tcpd_tcp_ctx *ctx)
{
	return ctx->ip6 != NULL ? ctx->ip6->cap : 0;
}

/*
 * rte_hash_crc loads the key 8 bytes at a time: hash an aligned copy. The addresses hashed are
 * not all 8-byte aligned: the peer array's entries are 20 bytes apart (tcp_ip6_put hashes
 * peer[pos].addr), and callers pass addresses from wherever they keep them. A misaligned
 * uint64_t load is undefined behaviour (UBSan: fuzz_rx's IPv6 inputs,
 * tests/fuzz/regressions/rx/ip6-put-hash-misaligned), harmless on x86 but not promised
 * elsewhere; the copy is two moves.
 */
static inline uint32_t
ip6_hash(const struct tcp_ip6_tbl *t, const uint8_t addr[16])
{
	uint64_t a[2];

	memcpy(a, addr, sizeof(a));
	return rte_hash_crc(a, 16, t->seed);
}

uint32_t
tcp_ip6_find(const struct tcpd_tcp_ctx *ctx, const uint8_t addr[16])
{
	const struct tcp_ip6_tbl *t = ctx->ip6;
	int32_t pos;

	if (unlikely(t == NULL))
		return 0;
	pos = rte_hash_lookup_with_hash(t->h, addr, ip6_hash(t, addr));
	return pos < 0 ? 0 : rte_cpu_to_be_32((uint32_t)pos + 1);
}

/*
 * A reference on @p addr's id, interning it if it is new, in one hash operation: rte_hash's add
 * returns the position of a key already there (it searches both buckets first). A position
 * with no reference is a new entry: an entry leaves the hash when its last reference goes
 * (tcp_ip6_put), and unused positions are zeroed.
 */
static uint32_t
ip6_add(struct tcpd_tcp_ctx *ctx, struct tcp_ip6_tbl *t, const uint8_t addr[16], uint32_t h)
{
	struct tcp_ip6_peer *pe;
	int32_t pos;

	pos = rte_hash_add_key_with_hash(t->h, addr, h);
	if (unlikely(pos < 0 || (uint32_t)pos >= t->cap)) {
		if (pos >= 0)
			rte_hash_del_key_with_hash(t->h, addr, h);
		tcp_inc(ctx, TCPD_STAT_ip6_intern_full);
		return 0;
	}
	pe = &t->peer[pos];
	if (pe->refs == 0) {
		memcpy(pe->addr, addr, 16);
		tcp_inc(ctx, TCPD_STAT_ip6_peers);
	}
	pe->refs++;
	return rte_cpu_to_be_32((uint32_t)pos + 1);
}

uint32_t
tcp_ip6_get(struct tcpd_tcp_ctx *ctx, const uint8_t addr[16])
{
	struct tcp_ip6_tbl *t = ctx->ip6;
	uint32_t h;
	int32_t pos;

	if (unlikely(t == NULL))
		return 0;
	/* A lookup first: the add is dearer when the address is there (connect's usual case). */
	h = ip6_hash(t, addr);
	pos = rte_hash_lookup_with_hash(t->h, addr, h);
	if (pos < 0)
		return ip6_add(ctx, t, addr, h);
	t->peer[pos].refs++;
	return rte_cpu_to_be_32((uint32_t)pos + 1);
}

/*
 * tcp_ip6_get for the address of a segment whose key tcp_ip6_key made in this burst, @p id
 * being what its lookup gave: still @p addr's id (it has references and the address; an id
 * whose last connection closed since may have been reused), a reference needs no hash
 * operation; if it missed, the add alone (it finds the address if a segment of the burst
 * interned it since). Each saves one rte_hash search per connection.
 */
static uint32_t
ip6_get_hint(struct tcpd_tcp_ctx *ctx, const uint8_t addr[16], uint32_t id)
{
	struct tcp_ip6_tbl *t = ctx->ip6;
	struct tcp_ip6_peer *pe;

	if (unlikely(t == NULL))
		return 0;
	if (id == 0)
		return ip6_add(ctx, t, addr, ip6_hash(t, addr));
	if (unlikely(rte_be_to_cpu_32(id) - 1 >= t->cap))
		return tcp_ip6_get(ctx, addr);
	pe = &t->peer[rte_be_to_cpu_32(id) - 1];
	if (likely(pe->refs != 0 && memcmp(pe->addr, addr, 16) == 0)) {
		pe->refs++;
		return id;
	}
	return tcp_ip6_get(ctx, addr);
}

void
tcp_ip6_put(struct tcpd_tcp_ctx *ctx, uint32_t id)
{
	struct tcp_ip6_tbl *t = ctx->ip6;
	struct tcp_ip6_peer *pe = &t->peer[rte_be_to_cpu_32(id) - 1];

	if (--pe->refs != 0)
		return;
	rte_hash_del_key_with_hash(t->h, pe->addr, ip6_hash(t, pe->addr));
	tcpd_stats_dec(ctx->st, TCPD_STAT_ip6_peers);
}

const uint8_t *
tcp_ip6_peer_addr(const struct tcpd_tcp_ctx *ctx, uint32_t id)
{
	return ctx->ip6->peer[rte_be_to_cpu_32(id) - 1].addr;
}

void
tcp_ip6_key(const struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, struct tcpd_conn_key *k)
{
	k->peer_ip = tcp_ip6_find(ctx, p->src_ip6);
	k->local_ip = rte_cpu_to_be_32(tcpd_net_ip6_local_idx(ctx->ifc, p) + 1);
	k->peer_port = p->src_port;
	k->local_port = p->dst_port;
	k->pad = 0;
}

struct tcpd_tcb *
tcp_conn_new6(struct tcpd_tcp_ctx *ctx, const struct tcpd_pkt *p, const struct tcpd_conn_key *key,
	      uint32_t hash, unsigned int app)
{
	struct tcpd_conn_key k = *key;
	struct tcpd_tcb *c;

	/* The key's id may be 0 (unknown peer) or stale (its last connection closed in this
	 * burst, e.g. a TIME-WAIT reopened): take a reference by address, the key's id only a
	 * hint (ip6_get_hint checks it). No connection has this tuple (the caller's lookup
	 * missed since the last insert). */
	k.peer_ip = ip6_get_hint(ctx, p->src_ip6, key->peer_ip);
	if (k.peer_ip == 0)
		return NULL;
	if (k.peer_ip != key->peer_ip) /* the peer was new (or its id was reused) */
		hash = tcpd_conn_hash(ctx->tbl, &k);
	c = tcp_conn_new(ctx, &k, hash, app);
	if (c == NULL) {
		tcp_ip6_put(ctx, k.peer_ip);
		return NULL;
	}
	tcp_inc(ctx, TCPD_STAT_conn_live6);
	return c;
}

void
tcp_conn_gone6(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	tcp_ip6_put(ctx, c->ent.peer_ip);
	tcpd_stats_dec(ctx->st, TCPD_STAT_conn_live6);
}

/*
 * Segment @s of IPv6 connection @c from the lcore's template (tcpd_net_tmpl6_build): our address
 * read where it is kept (the interface's table, or derived for a range address), the peer's
 * from its interned entry; no flow struct, no call but the software checksum's.
 */
void
tcp_tx6(struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, struct rte_mbuf *m,
	const struct tcpd_net_seg *s, uint16_t plen)
{
	uint32_t idx = rte_be_to_cpu_32(c->ent.local_ip) - 1;
	const uint8_t *src = ctx->ifc->ip6[idx < TCPD_NET_MAX_IP6 ? idx : 0].addr;
	uint8_t range_addr[16];
	uint32_t len;

	if (unlikely(idx >= TCPD_NET_MAX_IP6)) {
		tcpd_net_ip6_local_addr(ctx->ifc, idx, range_addr);
		src = range_addr;
	}
	/* Flow label 0: RFC 6437 allows it (unlabelled); the control block has no room for the
	 * peer's label, and one constant label per connection is all the RFC asks. Stateless
	 * replies (RST, cookie SYN-ACK) reflect the peer's, as Linux's flowlabel_reflect. */
	len = tcpd_net_tmpl6_build(rte_pktmbuf_mtod(m, void *), &ctx->tmpl6, &c->peer_mac, src,
				   tcp_ip6_peer_addr(ctx, c->ent.peer_ip), c->ent.local_port,
				   c->ent.peer_port, 0, s, plen);
	tcpd_tx_queue_tcp6(ctx->tx, m, len);
}

void
tcp_tx6_reply(struct tcpd_tcp_ctx *ctx, struct rte_mbuf *m, const struct tcpd_pkt *p,
	      const struct tcpd_net_seg *s)
{
	void *frame = rte_pktmbuf_mtod(m, void *);
	const struct rte_ether_hdr *eh = frame;

	/* The flow label reflected, as Linux's flowlabel_reflect (tcpd_net_reply_flow6). */
	tcpd_tx_queue_tcp6(ctx->tx, m,
			   tcpd_net_tmpl6_build(frame, &ctx->tmpl6, &eh->src_addr, p->dst_ip6,
						p->src_ip6, p->dst_port, p->src_port, p->flow_label,
						s, 0));
}

void
tcp_cookie_tuple6(const struct tcpd_pkt *p, struct tcpd_cookie_tuple6 *t)
{
	memcpy(t->saddr, p->src_ip6, 16);
	memcpy(t->daddr, p->dst_ip6, 16);
	t->sport = p->src_port;
	t->dport = p->dst_port;
}

uint64_t
tcpd_tcp_ip6_memory(const struct tcpd_tcp_ctx *ctx, uint32_t *cap)
{
	if (cap != NULL)
		*cap = tcp_ip6_capacity(ctx);
	return tcp_ip6_memory(ctx);
}

const uint8_t *
tcpd_tcp_peer_ip6(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c)
{
	return tcp_ip6_peer_addr(ctx, c->ent.peer_ip);
}

void
tcpd_tcp_local_ip6(const struct tcpd_tcp_ctx *ctx, const struct tcpd_tcb *c, uint8_t out[16])
{
	tcpd_net_ip6_local_addr(ctx->ifc, rte_be_to_cpu_32(c->ent.local_ip) - 1, out);
}

int
tcpd_tcp_key6(const struct tcpd_tcp_ctx *ctx, const uint8_t peer[16], unsigned int local_idx,
	      rte_be16_t peer_port, rte_be16_t local_port, struct tcpd_conn_key *k)
{
	*k = (struct tcpd_conn_key){
		.peer_ip = tcp_ip6_find(ctx, peer), /* 0 (no connection) if not interned */
		.local_ip = rte_cpu_to_be_32(local_idx + 1),
		.peer_port = peer_port,
		.local_port = local_port,
	};
	return k->peer_ip != 0;
}

struct tcpd_tcb *
tcpd_tcp_lookup6(struct tcpd_tcp_ctx *ctx, const uint8_t peer[16], unsigned int local_idx,
		 rte_be16_t peer_port, rte_be16_t local_port)
{
	struct tcpd_conn_key k;

	return tcpd_tcp_key6(ctx, peer, local_idx, peer_port, local_port, &k)
		       ? tcpd_tcp_lookup(ctx, &k)
		       : NULL;
}
