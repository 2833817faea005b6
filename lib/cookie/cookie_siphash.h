/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef COOKIE_SIPHASH_H
#define COOKIE_SIPHASH_H

/*
 * SipHash-2-4 (Aumasson and Bernstein) of exactly one 16-byte message, inline.
 *
 * libsodium's crypto_shorthash_siphash24 computes the same function and stays the reference: the
 * unit tests check this one against it, vector by vector and on random keys and tuples. It is
 * written out here because a SYN cookie costs two SipHashes per SYN and the library call, which
 * handles any length through a byte-wise tail, took 53 TSC cycles per hash on the development
 * machine against 36 for this fixed-length form; inlined, the two independent hashes of a cookie
 * also overlap in the out-of-order core (figures in docs/PERFORMANCE.md).
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

#define COOKIE_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define COOKIE_SIPROUND(v0, v1, v2, v3)                                                            \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = COOKIE_ROTL(v1, 13);                                                          \
		v1 ^= v0;                                                                          \
		v0 = COOKIE_ROTL(v0, 32);                                                          \
		v2 += v3;                                                                          \
		v3 = COOKIE_ROTL(v3, 16);                                                          \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = COOKIE_ROTL(v3, 21);                                                          \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = COOKIE_ROTL(v1, 17);                                                          \
		v1 ^= v2;                                                                          \
		v2 = COOKIE_ROTL(v2, 32);                                                          \
	} while (0)

/* The SipHash-2-4 state after the key is mixed in (v0..v3): a function of the key alone, so a
 * key kept for many hashes (the cookie store's, set at each rotation) is set up once. */
static inline void
cookie_sip_init(uint64_t v[4], const uint8_t key[16])
{
	uint64_t k0, k1;

	memcpy(&k0, key, 8);
	memcpy(&k1, key + 8, 8);
	k0 = rte_le_to_cpu_64(k0);
	k1 = rte_le_to_cpu_64(k1);
	v[0] = UINT64_C(0x736f6d6570736575) ^ k0;
	v[1] = UINT64_C(0x646f72616e646f6d) ^ k1;
	v[2] = UINT64_C(0x6c7967656e657261) ^ k0;
	v[3] = UINT64_C(0x7465646279746573) ^ k1;
}

/* SipHash-2-4 of the 16 bytes m0 || m1 (each read little-endian) from the keyed state @p st
 * (cookie_sip_init); returns the 64-bit output as a number (libsodium stores it
 * little-endian). */
static inline uint64_t
cookie_siphash16_st(const uint64_t st[4], uint64_t m0, uint64_t m1)
{
	const uint64_t b = (uint64_t)16 << 56; /* message length in the last block */
	uint64_t v0 = st[0], v1 = st[1], v2 = st[2], v3 = st[3];

	v3 ^= m0;
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	v0 ^= m0;
	v3 ^= m1;
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	v0 ^= m1;
	v3 ^= b;
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* SipHash-2-4 of the 16 bytes m0 || m1 (each read little-endian) under the 128-bit @p key;
 * returns the 64-bit output as a number (libsodium stores it little-endian). */
static inline uint64_t
cookie_siphash16(const uint8_t key[16], uint64_t m0, uint64_t m1)
{
	uint64_t st[4];

	cookie_sip_init(st, key);
	return cookie_siphash16_st(st, m0, m1);
}

/* SipHash-2-4 of the 40 bytes m[0] || ... || m[4] (each read little-endian) from the keyed
 * state @p st: the IPv6 cookie's message (two addresses, counter, ports), written out like
 * cookie_siphash16_st. */
static inline uint64_t
cookie_siphash40_st(const uint64_t st[4], const uint64_t m[5])
{
	const uint64_t b = (uint64_t)40 << 56;
	uint64_t v0 = st[0], v1 = st[1], v2 = st[2], v3 = st[3];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		v3 ^= m[i];
		COOKIE_SIPROUND(v0, v1, v2, v3);
		COOKIE_SIPROUND(v0, v1, v2, v3);
		v0 ^= m[i];
	}
	v3 ^= b;
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	COOKIE_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* SipHash-2-4 of the 40 bytes m[0] || ... || m[4] under the 128-bit @p key. */
static inline uint64_t
cookie_siphash40(const uint8_t key[16], const uint64_t m[5])
{
	uint64_t st[4];

	cookie_sip_init(st, key);
	return cookie_siphash40_st(st, m);
}

#endif /* COOKIE_SIPHASH_H */
