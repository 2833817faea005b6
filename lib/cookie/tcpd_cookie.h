/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_COOKIE_H
#define TCPD_COOKIE_H

/**
 * @file
 * SYN cookies, modelled on Linux net/ipv4/syncookies.c, keyed with SipHash-2-4 from libsodium
 * (crypto_shorthash_siphash24):
 *
 *   ISN = H(k0, tuple) + peer ISN + (count << 24) + ((H(k1, tuple, count) + mss_index) & 0xFFFFFF)
 *
 * count advances every 60 s; a cookie is accepted for count and count - 1. When the SYN carries
 * timestamps, window scale, SACK-permitted and ECN travel in the low 6 bits of our TSval.
 * No allocation, no syscall, no division on the per-packet path.
 */

#include <stdbool.h>
#include <stdint.h>

/** Seconds per cookie counter step. */
#define TCPD_COOKIE_PERIOD 60

/** Number of MSS table entries. */
#define TCPD_COOKIE_NB_MSS 4

/** The MSS values a cookie can carry (Linux's IPv4 table). */
extern const uint16_t tcpd_cookie_mss_table[TCPD_COOKIE_NB_MSS];

/** The MSS values an IPv6 cookie can carry (Linux's IPv6 msstab: 1280, 1480, 1500, 9000 - 60). */
extern const uint16_t tcpd_cookie_mss_table6[TCPD_COOKIE_NB_MSS];

/** Two 128-bit SipHash keys: k[0] for the time-independent hash, k[1] for the counter hash. */
struct tcpd_cookie_keys {
	uint8_t k[2][16];
};

/** Connection 4-tuple as the server sees it; network order. */
struct tcpd_cookie_tuple {
	uint32_t saddr; /**< peer (client) address */
	uint32_t daddr; /**< our address */
	uint16_t sport; /**< peer port */
	uint16_t dport; /**< our port */
};

/** IPv6 connection tuple as the server sees it; network order. */
struct tcpd_cookie_tuple6 {
	uint8_t saddr[16]; /**< peer (client) address */
	uint8_t daddr[16]; /**< our address */
	uint16_t sport;	   /**< peer port */
	uint16_t dport;	   /**< our port */
};

/** Result of a cookie check. */
enum tcpd_cookie_verdict {
	TCPD_COOKIE_OK = 0,
	TCPD_COOKIE_BAD = -1,	  /**< forged, or another secret */
	TCPD_COOKIE_EXPIRED = -2, /**< well formed but its counter is too old */
};

/** Index of the largest table MSS <= @p mss (0 if @p mss is below every entry). */
unsigned int tcpd_cookie_mss_index(uint16_t mss);

/**
 * Cookie ISN for a SYN.
 * @param sseq   the SYN's sequence number (peer ISN)
 * @param count  current counter (seconds / TCPD_COOKIE_PERIOD)
 * @param mss_index from tcpd_cookie_mss_index()
 */
uint32_t tcpd_cookie_make(const struct tcpd_cookie_keys *k, const struct tcpd_cookie_tuple *t,
			  uint32_t sseq, uint32_t count, unsigned int mss_index);

/**
 * Check the cookie carried by an ACK.
 * @param sseq    the ACK's SEQ - 1 (the peer ISN)
 * @param cookie  the ACK's ACK - 1
 * @param count   current counter
 * @param mss_index out: the MSS index on success
 */
enum tcpd_cookie_verdict tcpd_cookie_check(const struct tcpd_cookie_keys *k,
					   const struct tcpd_cookie_tuple *t, uint32_t sseq,
					   uint32_t cookie, uint32_t count,
					   unsigned int *mss_index);

/** Index of the largest IPv6 table MSS <= @p mss (0 if @p mss is below every entry). */
unsigned int tcpd_cookie_mss_index6(uint16_t mss);

/**
 * tcpd_cookie_make for IPv6: the same layout, each hash a SipHash-2-4 over Linux's 40 bytes
 * (net/ipv6/syncookies.c cookie_hash): saddr, daddr, the counter (little-endian), sport, dport.
 */
uint32_t tcpd_cookie_make6(const struct tcpd_cookie_keys *k, const struct tcpd_cookie_tuple6 *t,
			   uint32_t sseq, uint32_t count, unsigned int mss_index);

/** tcpd_cookie_check for IPv6 (tcpd_cookie_make6's cookies). */
enum tcpd_cookie_verdict tcpd_cookie_check6(const struct tcpd_cookie_keys *k,
					    const struct tcpd_cookie_tuple6 *t, uint32_t sseq,
					    uint32_t cookie, uint32_t count,
					    unsigned int *mss_index);

/**
 * RFC 6528's F for IPv4: the cookies' keyed hash with counter 0 (SipHash-2-4 of saddr, daddr,
 * sport, dport as on the wire, then four zero bytes), under @p key, cut to 32 bits: the same
 * value as libsodium's crypto_shorthash of those 16 bytes. Stateful ISNs (lib/tcp) are this
 * plus a clock, under a key of their own.
 */
uint32_t tcpd_cookie_prf(const uint8_t key[16], const struct tcpd_cookie_tuple *t);

/** RFC 6528's F for IPv6: the IPv6 cookies' 40-byte hash with counter 0, under @p key. */
uint32_t tcpd_cookie_prf6(const uint8_t key[16], const struct tcpd_cookie_tuple6 *t);

/** Options carried in a cookie's TSval. */
struct tcpd_cookie_opts {
	uint8_t wscale; /**< 0xF: the SYN had no window scale */
	bool sack;
	bool ecn;
};

/**
 * Our TSval for a cookie SYN-ACK: @p ts_now with the low 6 bits replaced by the options and
 * never above @p ts_now.
 */
uint32_t tcpd_cookie_ts_encode(uint32_t ts_now, const struct tcpd_cookie_opts *o);

/** Restore the options from the TSecr of the returning ACK. */
void tcpd_cookie_ts_decode(uint32_t tsecr, struct tcpd_cookie_opts *o);

/**
 * Secrets shared by the control thread (writer) and the workers (readers), without locks:
 * the writer fills the spare slot then publishes its index with release order; readers load it
 * with acquire order. The spare slot is the previous secret, which stays valid until
 * prev_valid_until (a counter value).
 */
struct tcpd_cookie_store {
	struct tcpd_cookie_keys slot[2];
	/** SipHash-2-4 states of each slot's two keys (tcpd_cookie_store_sip): a key's setup,
	 *  done when it is installed instead of in every hash. Written with the slot. */
	uint64_t sip[2][2][4];
	uint32_t cur;		   /**< index of the current secret (atomic) */
	uint32_t prev_valid_until; /**< last counter value at which slot[cur ^ 1] is accepted */
	uint64_t rotations;	   /**< number of rotations (atomic) */
	uint64_t rotated_at;	   /**< seconds (TSC based) of the last rotation (atomic) */
};

/**
 * Initialise @p s with random secrets (getrandom via libsodium), or from @p secret
 * (@p len bytes, 32 used: k0 then k1) if non-NULL. The previous slot starts invalid.
 * @return 0, or -1 if libsodium cannot be initialised or @p len < 32
 */
int tcpd_cookie_store_init(struct tcpd_cookie_store *s, const uint8_t *secret, unsigned int len);

/** Control thread: install new random secrets; the old ones stay valid one more counter window. */
void tcpd_cookie_store_rotate(struct tcpd_cookie_store *s, uint32_t count, uint64_t now_sec);

/**
 * Control thread: install @p k as the current secret; the old one stays valid one more counter
 * window, exactly as with tcpd_cookie_store_rotate().
 */
void tcpd_cookie_store_rotate_to(struct tcpd_cookie_store *s, const struct tcpd_cookie_keys *k,
				 uint32_t count, uint64_t now_sec);

/**
 * Keys of rotation epoch @p epoch derived from a configured 32-byte master secret (keyed
 * BLAKE2b). Machines that share the secret and a clock derive the same keys for the same epoch,
 * so rotating does not break cookies across machines behind ECMP.
 */
void tcpd_cookie_keys_derive(struct tcpd_cookie_keys *out, const uint8_t *secret, uint64_t epoch);

/**
 * Set up the SipHash states of @p s's key slot @p slot from its keys (after writing them, before
 * publishing them): tcpd_cookie_store_init and the rotations do it.
 */
void tcpd_cookie_store_sip(struct tcpd_cookie_store *s, unsigned int slot);

/** Worker: tcpd_cookie_make with the current secret (its SipHash states set up already). */
uint32_t tcpd_cookie_store_make(const struct tcpd_cookie_store *s,
				const struct tcpd_cookie_tuple *t, uint32_t sseq, uint32_t count,
				unsigned int mss_index);

/** Worker: tcpd_cookie_make6 with the current secret. */
uint32_t tcpd_cookie_store_make6(const struct tcpd_cookie_store *s,
				 const struct tcpd_cookie_tuple6 *t, uint32_t sseq, uint32_t count,
				 unsigned int mss_index);

/**
 * Worker: check a cookie against the current secret, then the previous one while it is valid.
 */
enum tcpd_cookie_verdict tcpd_cookie_store_check(const struct tcpd_cookie_store *s,
						 const struct tcpd_cookie_tuple *t, uint32_t sseq,
						 uint32_t cookie, uint32_t count,
						 unsigned int *mss_index);

/** tcpd_cookie_store_check for IPv6. */
enum tcpd_cookie_verdict tcpd_cookie_store_check6(const struct tcpd_cookie_store *s,
						  const struct tcpd_cookie_tuple6 *t, uint32_t sseq,
						  uint32_t cookie, uint32_t count,
						  unsigned int *mss_index);

/** Worker: the current keys (acquire load of the slot index). */
static inline const struct tcpd_cookie_keys *
tcpd_cookie_store_current(const struct tcpd_cookie_store *s)
{
	return &s->slot[__atomic_load_n(&s->cur, __ATOMIC_ACQUIRE) & 1];
}

#endif /* TCPD_COOKIE_H */
