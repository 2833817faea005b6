/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cookie ISN generation and check: the Linux layout (net/ipv4/syncookies.c) with SipHash-2-4 as
 * the keyed PRF (cookie_siphash.h; libsodium's crypto_shorthash_siphash24 is its reference).
 *
 *   ISN = H0 + sseq + (count << 24) + ((H1(count) + mss_index) & 0xFFFFFF)
 *   H0 = SipHash(k0, tuple, 0), H1(c) = SipHash(k1, tuple, c), each cut to 32 bits.
 *
 * A check recovers (count << 24) + ((H1 + mss_index) mod 2^24) by subtracting H0 + sseq, reads
 * the generation counter's low 8 bits from the top byte, and recomputes H1 with the full 32-bit
 * counter. A random forged ACK must hit one of 2 counter values x 4 MSS indices out of 2^32
 * ISNs (p = 2^-29). The MSS index is not authenticated against a change of +-1..3: a cookie
 * (or SEG.SEQ) altered by a small amount decodes to a neighbouring table entry. That lets a
 * forger choose among the four MSS values he could have asked for in his SYN anyway.
 */
#include <stddef.h>
#include <string.h>

#include <rte_common.h>
#include <rte_branch_prediction.h>
#include <sodium.h>

#include "cookie_siphash.h"
#include "tcpd_cookie.h"

#define COOKIE_BITS 24
#define COOKIE_MASK ((1u << COOKIE_BITS) - 1)

/* The cookie from the tuple's two hashes (Linux's layout; cookie_check inverts it): H0 + the
 * peer's ISN + the counter in the top byte + (H1 + the MSS index) in the low 24 bits. */
static inline uint32_t
cookie_value(uint32_t h0, uint32_t h1, uint32_t sseq, uint32_t count, unsigned int mss_index)
{
	return h0 + sseq + (count << COOKIE_BITS) + ((h1 + mss_index) & COOKIE_MASK);
}

/* Accepted counter ages: now and now - 1 (Linux MAX_SYNCOOKIE_AGE). */
#define COOKIE_MAX_AGE 2
/* Older cookies than this many counter steps are not worth a second SipHash to classify. */
#define COOKIE_EXPIRED_SPAN 8

const uint16_t tcpd_cookie_mss_table[TCPD_COOKIE_NB_MSS] = {536, 1300, 1440, 1460};
/* Linux net/ipv6/syncookies.c msstab: IPv6 minimum MTU, tunnels, Ethernet, jumbo, less 60. */
const uint16_t tcpd_cookie_mss_table6[TCPD_COOKIE_NB_MSS] = {1280 - 60, 1480 - 60, 1500 - 60,
							     9000 - 60};

/* One SipHash-2-4 over a fixed 16-byte block: saddr, daddr, sport, dport (network order, as on
 * the wire) then the counter in little-endian, so that machines sharing a secret behind ECMP
 * compute the same cookie whatever their byte order. Linux's siphash_4u32 hashes the same four
 * words; we keep the low 32 bits of the 64-bit output as it does. A cookie takes two hashes of
 * the same tuple (H0 and H1, different keys and counters): the message is built once
 * (cookie_msg4) and only the counter word differs between the two. */
struct cookie_msg4 {
	uint64_t m0; /**< saddr, daddr, read little-endian */
	uint64_t m1; /**< sport, dport in the low 32 bits; the counter goes in the high 32 */
};

static inline void
cookie_msg4(const struct tcpd_cookie_tuple *t, struct cookie_msg4 *m)
{
	uint32_t ports;

	RTE_BUILD_BUG_ON(crypto_shorthash_siphash24_KEYBYTES != 16);
	/* saddr and daddr are adjacent in the tuple, sport and dport too: one load each */
	RTE_BUILD_BUG_ON(offsetof(struct tcpd_cookie_tuple, saddr) != 0 ||
			 offsetof(struct tcpd_cookie_tuple, daddr) != 4 ||
			 offsetof(struct tcpd_cookie_tuple, sport) != 8 ||
			 offsetof(struct tcpd_cookie_tuple, dport) != 10);
	memcpy(&m->m0, (const uint8_t *)t, 8);
	memcpy(&ports, (const uint8_t *)t + 8, 4);
	m->m0 = rte_le_to_cpu_64(m->m0);
	m->m1 = rte_le_to_cpu_32(ports);
}

static inline uint32_t
cookie_hash4_msg(const uint64_t st[4], const struct cookie_msg4 *m, uint32_t count)
{
	return (uint32_t)cookie_siphash16_st(st, m->m0, m->m1 | (uint64_t)count << 32);
}

static inline uint32_t
cookie_hash(const uint8_t key[16], const struct tcpd_cookie_tuple *t, uint32_t count)
{
	struct cookie_msg4 m;
	uint64_t st[4];

	cookie_sip_init(st, key);
	cookie_msg4(t, &m);
	return cookie_hash4_msg(st, &m, count);
}

static inline unsigned int
mss_index(const uint16_t *tab, uint16_t mss)
{
	unsigned int i;

	/* Round down: a larger MSS than the peer announced would break its path. */
	for (i = TCPD_COOKIE_NB_MSS - 1; i > 0; i--)
		if (mss >= tab[i])
			break;
	return i;
}

unsigned int
tcpd_cookie_mss_index(uint16_t mss)
{
	return mss_index(tcpd_cookie_mss_table, mss);
}

unsigned int
tcpd_cookie_mss_index6(uint16_t mss)
{
	return mss_index(tcpd_cookie_mss_table6, mss);
}

/* The SipHash states of a key pair (cookie_sip_init of k[0], k[1]), as the store keeps them. */
static inline void
keys_sip(const struct tcpd_cookie_keys *k, uint64_t st[2][4])
{
	cookie_sip_init(st[0], k->k[0]);
	cookie_sip_init(st[1], k->k[1]);
}

static inline uint32_t
cookie_make4(const uint64_t st[2][4], const struct tcpd_cookie_tuple *t, uint32_t sseq,
	     uint32_t count, unsigned int mss_index)
{
	struct cookie_msg4 m;

	cookie_msg4(t, &m);
	return cookie_value(cookie_hash4_msg(st[0], &m, 0), cookie_hash4_msg(st[1], &m, count),
			    sseq, count, mss_index);
}

uint32_t
tcpd_cookie_make(const struct tcpd_cookie_keys *k, const struct tcpd_cookie_tuple *t, uint32_t sseq,
		 uint32_t count, unsigned int mss_index)
{
	uint64_t st[2][4];

	keys_sip(k, st);
	return cookie_make4((const uint64_t(*)[4])st, t, sseq, count, mss_index);
}

/*
 * EXPIRED means: these keys made this cookie for this tuple and sseq, 2 to 7 counter steps ago
 * (COOKIE_EXPIRED_SPAN). Telling that from a forgery needs H1 recomputed with the counter the
 * cookie claims (the latest value <= count whose low byte is the cookie's top byte) and a valid
 * MSS index, as for an accepted cookie: one more SipHash. Random forged ACKs claim a counter
 * byte uniformly, so bounding the span keeps them at one SipHash in 256 - 8 cases out of 256
 * (1.03 SipHash each on average, not 2); older genuine cookies are merely counted as BAD.
 * A cookie from the future (count + 1, e.g. a peer machine whose clock is ahead) is BAD: like
 * Linux we accept only count and count - 1, which keeps forged acceptance at 8 / 2^32. A cookie
 * 256 or more steps old aliases a recent top byte, but its H1 was made with the full counter,
 * so it fails the MSS index test (BAD, with probability 1 - 2^-22).
 */
/* The check for either family: @p hash is cookie_hash4_msg or cookie_hash6_msg (inlined,
 * constant), @p st the keys' SipHash states, @p m the tuple's message built once for both. */
static inline enum tcpd_cookie_verdict
cookie_check(const uint64_t st[2][4], uint32_t (*hash)(const uint64_t *, const void *, uint32_t),
	     const void *m, uint32_t sseq, uint32_t cookie, uint32_t count, unsigned int *mss_index)
{
	uint32_t diff, idx;

	/* H0 first: without it the counter byte is noise, and most forged ACKs stop at the
	 * counter test below after this single SipHash. */
	cookie -= hash(st[0], m, 0) + sseq;
	diff = (count - (cookie >> COOKIE_BITS)) & 0xff;
	if (diff >= COOKIE_EXPIRED_SPAN)
		return TCPD_COOKIE_BAD;
	idx = (cookie - hash(st[1], m, count - diff)) & COOKIE_MASK;
	if (unlikely(idx >= TCPD_COOKIE_NB_MSS))
		return TCPD_COOKIE_BAD;
	if (unlikely(diff >= COOKIE_MAX_AGE))
		return TCPD_COOKIE_EXPIRED;
	*mss_index = idx;
	return TCPD_COOKIE_OK;
}

static inline uint32_t
cookie_hash4_any(const uint64_t *st, const void *m, uint32_t count)
{
	return cookie_hash4_msg(st, m, count);
}

enum tcpd_cookie_verdict
tcpd_cookie_check(const struct tcpd_cookie_keys *k, const struct tcpd_cookie_tuple *t,
		  uint32_t sseq, uint32_t cookie, uint32_t count, unsigned int *mss_index)
{
	struct cookie_msg4 m;
	uint64_t st[2][4];

	keys_sip(k, st);
	cookie_msg4(t, &m);
	return cookie_check((const uint64_t(*)[4])st, cookie_hash4_any, &m, sseq, cookie, count,
			    mss_index);
}

/*
 * IPv6: Linux's message (net/ipv6/syncookies.c cookie_hash): struct { saddr[16]; daddr[16];
 * u32 count; __be16 sport; __be16 dport; }, 40 bytes hashed. Linux stores the counter in host
 * order (little-endian on x86); we fix it little-endian so that machines sharing a secret agree
 * whatever their byte order, as for IPv4. Same keys as IPv4: the message lengths differ, so
 * the two families' hashes are independent. The five 64-bit words are loaded straight from the
 * tuple (they were assembled byte by byte in a 40-byte buffer, twice per cookie); the last word
 * is the counter (low half) and the ports (high half).
 */
struct cookie_msg6 {
	uint64_t m[5]; /**< m[4]: the ports in the high 32 bits, the counter added per hash */
};

static inline void
cookie_msg6(const struct tcpd_cookie_tuple6 *t, struct cookie_msg6 *m)
{
	unsigned int i;

	RTE_BUILD_BUG_ON(offsetof(struct tcpd_cookie_tuple6, saddr) != 0 ||
			 offsetof(struct tcpd_cookie_tuple6, daddr) != 16);
	memcpy(m->m, (const uint8_t *)t, 32);
	for (i = 0; i < 4; i++)
		m->m[i] = rte_le_to_cpu_64(m->m[i]);
	m->m[4] = (uint64_t)rte_le_to_cpu_16(t->sport) << 32 | (uint64_t)rte_le_to_cpu_16(t->dport)
								       << 48;
}

static inline uint32_t
cookie_hash6_msg(const uint64_t *st, const void *mv, uint32_t count)
{
	const struct cookie_msg6 *m = mv;
	uint64_t w[5] = {m->m[0], m->m[1], m->m[2], m->m[3], m->m[4] | count};

	return (uint32_t)cookie_siphash40_st(st, w);
}

static inline uint32_t
cookie_hash6(const uint8_t *key, const struct tcpd_cookie_tuple6 *t, uint32_t count)
{
	struct cookie_msg6 m;
	uint64_t st[4];

	cookie_sip_init(st, key);
	cookie_msg6(t, &m);
	return cookie_hash6_msg(st, &m, count);
}

static inline uint32_t
cookie_make6(const uint64_t st[2][4], const struct tcpd_cookie_tuple6 *t, uint32_t sseq,
	     uint32_t count, unsigned int mss_index)
{
	struct cookie_msg6 m;

	cookie_msg6(t, &m);
	return cookie_value(cookie_hash6_msg(st[0], &m, 0), cookie_hash6_msg(st[1], &m, count),
			    sseq, count, mss_index);
}

uint32_t
tcpd_cookie_make6(const struct tcpd_cookie_keys *k, const struct tcpd_cookie_tuple6 *t,
		  uint32_t sseq, uint32_t count, unsigned int mss_index)
{
	uint64_t st[2][4];

	keys_sip(k, st);
	return cookie_make6((const uint64_t(*)[4])st, t, sseq, count, mss_index);
}

enum tcpd_cookie_verdict
tcpd_cookie_check6(const struct tcpd_cookie_keys *k, const struct tcpd_cookie_tuple6 *t,
		   uint32_t sseq, uint32_t cookie, uint32_t count, unsigned int *mss_index)
{
	struct cookie_msg6 m;
	uint64_t st[2][4];

	keys_sip(k, st);
	cookie_msg6(t, &m);
	return cookie_check((const uint64_t(*)[4])st, cookie_hash6_msg, &m, sseq, cookie, count,
			    mss_index);
}

uint32_t
tcpd_cookie_prf(const uint8_t key[16], const struct tcpd_cookie_tuple *t)
{
	return cookie_hash(key, t, 0);
}

uint32_t
tcpd_cookie_prf6(const uint8_t key[16], const struct tcpd_cookie_tuple6 *t)
{
	return cookie_hash6(key, t, 0);
}

/* ---- The store's keys: their SipHash states were set up with them (tcpd_cookie_store_sip) */

void
tcpd_cookie_store_sip(struct tcpd_cookie_store *s, unsigned int slot)
{
	keys_sip(&s->slot[slot], s->sip[slot]);
}

static inline unsigned int
store_cur(const struct tcpd_cookie_store *s)
{
	return __atomic_load_n(&s->cur, __ATOMIC_ACQUIRE) & 1;
}

/*
 * The slot of the keys before the last rotation, while cookies made with them (count <=
 * prev_valid_until, in serial-number order so a 32-bit counter wrap is harmless) may still
 * come back; -1 before the first rotation or after.
 */
static inline int
prev_slot(const struct tcpd_cookie_store *s, unsigned int cur, uint32_t count)
{
	uint32_t until;

	if (__atomic_load_n(&s->rotations, __ATOMIC_RELAXED) == 0)
		return -1;
	until = __atomic_load_n(&s->prev_valid_until, __ATOMIC_RELAXED);
	if ((int32_t)(until - count) < 0)
		return -1;
	return (int)(cur ^ 1);
}

uint32_t
tcpd_cookie_store_make(const struct tcpd_cookie_store *s, const struct tcpd_cookie_tuple *t,
		       uint32_t sseq, uint32_t count, unsigned int mss_index)
{
	return cookie_make4(s->sip[store_cur(s)], t, sseq, count, mss_index);
}

uint32_t
tcpd_cookie_store_make6(const struct tcpd_cookie_store *s, const struct tcpd_cookie_tuple6 *t,
			uint32_t sseq, uint32_t count, unsigned int mss_index)
{
	return cookie_make6(s->sip[store_cur(s)], t, sseq, count, mss_index);
}

/* The current secret, then the previous one while it is valid (either family's @p hash,
 * inlined into each caller so that the hash stays a constant). */
static __rte_always_inline enum tcpd_cookie_verdict
store_check(const struct tcpd_cookie_store *s,
	    uint32_t (*hash)(const uint64_t *, const void *, uint32_t), const void *m,
	    uint32_t sseq, uint32_t cookie, uint32_t count, unsigned int *mss_index)
{
	unsigned int cur = store_cur(s);
	enum tcpd_cookie_verdict v;
	int prev;

	v = cookie_check(s->sip[cur], hash, m, sseq, cookie, count, mss_index);
	if (likely(v != TCPD_COOKIE_BAD) || (prev = prev_slot(s, cur, count)) < 0)
		return v;
	return cookie_check(s->sip[prev], hash, m, sseq, cookie, count, mss_index);
}

enum tcpd_cookie_verdict
tcpd_cookie_store_check(const struct tcpd_cookie_store *s, const struct tcpd_cookie_tuple *t,
			uint32_t sseq, uint32_t cookie, uint32_t count, unsigned int *mss_index)
{
	struct cookie_msg4 m;

	cookie_msg4(t, &m);
	return store_check(s, cookie_hash4_any, &m, sseq, cookie, count, mss_index);
}

enum tcpd_cookie_verdict
tcpd_cookie_store_check6(const struct tcpd_cookie_store *s, const struct tcpd_cookie_tuple6 *t,
			 uint32_t sseq, uint32_t cookie, uint32_t count, unsigned int *mss_index)
{
	struct cookie_msg6 m;

	cookie_msg6(t, &m);
	return store_check(s, cookie_hash6_msg, &m, sseq, cookie, count, mss_index);
}
