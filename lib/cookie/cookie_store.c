/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cookie secrets shared by the control thread (the only writer) and the workers, without locks:
 * two key slots, the current one named by an index published with release order.
 *
 * Rotation at counter value C: the spare slot, slot[cur ^ 1], gets new random keys and becomes
 * current; the old current keys move to the spare role and are still tried while the reader's
 * counter is <= prev_valid_until = C + 1. A cookie made with the old keys at any counter <= C
 * is accepted by tcpd_cookie_check() only up to its counter + 1 <= C + 1 anyway, so every
 * cookie issued before the rotation keeps its full 60 to 120 s life, and no longer. Before the
 * first rotation (rotations == 0) there is no previous secret and the spare slot is never
 * tried.
 *
 * The next rotation overwrites the spare slot. A worker that acquired the index before that
 * rotation and reads the spare keys while they are being rewritten sees torn keys: its check of
 * an old cookie fails (or, as with any wrong key, passes with probability 2^-29). It cannot
 * touch the current keys, which are only rewritten two rotations later. Rotations are >= 60 s
 * apart; to give old cookies their whole window they should be >= 2 * TCPD_COOKIE_PERIOD apart,
 * since a second rotation within C + 1 drops the previous keys early.
 */
#include <string.h>

#include <rte_branch_prediction.h>
#include <sodium.h>

#include "tcpd_cookie.h"

int
tcpd_cookie_store_init(struct tcpd_cookie_store *s, const uint8_t *secret, unsigned int len)
{
	/* sodium_init() is idempotent and thread-safe; it picks getrandom() for randombytes. */
	if (sodium_init() < 0)
		return -1;
	if (secret != NULL && len < sizeof(struct tcpd_cookie_keys))
		return -1;
	memset(s, 0, sizeof(*s));
	if (secret != NULL)
		memcpy(&s->slot[0], secret, sizeof(s->slot[0]));
	else
		randombytes_buf(&s->slot[0], sizeof(s->slot[0]));
	/* Never tried before a rotation, but no all-zero key should exist anywhere. */
	randombytes_buf(&s->slot[1], sizeof(s->slot[1]));
	tcpd_cookie_store_sip(s, 0);
	tcpd_cookie_store_sip(s, 1);
	__atomic_store_n(&s->cur, 0, __ATOMIC_RELEASE);
	return 0;
}

void
tcpd_cookie_store_rotate(struct tcpd_cookie_store *s, uint32_t count, uint64_t now_sec)
{
	struct tcpd_cookie_keys k;

	randombytes_buf(&k, sizeof(k));
	tcpd_cookie_store_rotate_to(s, &k, count, now_sec);
	sodium_memzero(&k, sizeof(k));
}

void
tcpd_cookie_keys_derive(struct tcpd_cookie_keys *out, const uint8_t *secret, uint64_t epoch)
{
	/* A domain label and the epoch, little endian, hashed under the secret: a PRF, so one
	 * epoch's keys say nothing about another's or about the secret. */
	uint8_t msg[24] = "tcpd cookie keys"; /* 16 bytes, then the epoch */
	unsigned int i;

	for (i = 0; i < 8; i++)
		msg[16 + i] = (uint8_t)(epoch >> (8 * i));
	crypto_generichash((uint8_t *)out, sizeof(*out), msg, sizeof(msg), secret,
			   sizeof(struct tcpd_cookie_keys));
}

void
tcpd_cookie_store_rotate_to(struct tcpd_cookie_store *s, const struct tcpd_cookie_keys *k,
			    uint32_t count, uint64_t now_sec)
{
	uint32_t next = (__atomic_load_n(&s->cur, __ATOMIC_RELAXED) & 1) ^ 1;

	memcpy(&s->slot[next], k, sizeof(*k));
	tcpd_cookie_store_sip(s, next); /* published with the keys below */
	__atomic_store_n(&s->prev_valid_until, count + 1, __ATOMIC_RELAXED);
	/* Single writer: a plain increment published atomically, no read-modify-write needed. */
	__atomic_store_n(&s->rotations, s->rotations + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->rotated_at, now_sec, __ATOMIC_RELAXED);
	/* Release: a reader that sees the new index sees the new keys and the fields above. */
	__atomic_store_n(&s->cur, next, __ATOMIC_RELEASE);
}
