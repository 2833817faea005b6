/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <endian.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cookie_siphash.h"
#include "tcpd_cookie.h"

#define MASK24 0xFFFFFFu

/* Fixed keys keep every assertion below deterministic (a random key could, with probability
 * ~2^-22, make an "always rejected" cookie pass). The random-key tests are statistical. */
static struct tcpd_cookie_keys key_a, key_b;

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* xorshift64*: reproducible inputs from a printed seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	for (unsigned int i = 0; i < 16; i++) {
		key_a.k[0][i] = (uint8_t)(i * 7 + 1);
		key_a.k[1][i] = (uint8_t)(i * 13 + 5);
		key_b.k[0][i] = (uint8_t)(i * 11 + 3);
		key_b.k[1][i] = (uint8_t)(i * 17 + 9);
	}
	return 0;
}

static struct tcpd_cookie_tuple
tuple(uint32_t saddr_host, uint16_t sport)
{
	struct tcpd_cookie_tuple t = {
		.saddr = htonl(saddr_host),
		.daddr = htonl(0xC6120001), /* 198.18.0.1 */
		.sport = htons(sport),
		.dport = htons(80),
	};
	return t;
}

static struct tcpd_cookie_tuple
random_tuple(void)
{
	uint64_t r = rng();
	struct tcpd_cookie_tuple t = {
		.saddr = (uint32_t)r,
		.daddr = (uint32_t)(r >> 32),
		.sport = (uint16_t)rng(),
		.dport = (uint16_t)rng(),
	};
	return t;
}

/* Independent model of the cookie (Linux layout): SipHash-2-4 over saddr, daddr, sport, dport
 * as on the wire, then the counter little-endian; low 32 bits of the output, little-endian. */
static uint32_t
ref_hash(const uint8_t key[16], const struct tcpd_cookie_tuple *t, uint32_t count)
{
	uint8_t in[16], out[8];
	const uint8_t *sa = (const uint8_t *)&t->saddr, *da = (const uint8_t *)&t->daddr;
	const uint8_t *sp = (const uint8_t *)&t->sport, *dp = (const uint8_t *)&t->dport;

	for (int i = 0; i < 4; i++) {
		in[i] = sa[i];
		in[4 + i] = da[i];
		in[12 + i] = (uint8_t)(count >> (8 * i));
	}
	in[8] = sp[0];
	in[9] = sp[1];
	in[10] = dp[0];
	in[11] = dp[1];
	crypto_shorthash_siphash24(out, in, 16, key);
	return out[0] | out[1] << 8 | out[2] << 16 | (uint32_t)out[3] << 24;
}

static uint32_t
ref_make(const struct tcpd_cookie_keys *k, const struct tcpd_cookie_tuple *t, uint32_t sseq,
	 uint32_t count, unsigned int idx)
{
	return ref_hash(k->k[0], t, 0) + sseq + (count << 24) +
	       ((ref_hash(k->k[1], t, count) + idx) & MASK24);
}

/* The cookies that must be accepted at @p count: 2 counters x 4 MSS indices. Returns the index
 * of @p c in that set (j for count, 4 + j for count - 1) or -1. */
static int
accepted_slot(const struct tcpd_cookie_keys *k, const struct tcpd_cookie_tuple *t, uint32_t sseq,
	      uint32_t count, uint32_t c)
{
	for (unsigned int j = 0; j < 2 * TCPD_COOKIE_NB_MSS; j++)
		if (tcpd_cookie_make(k, t, sseq, count - j / TCPD_COOKIE_NB_MSS,
				     j % TCPD_COOKIE_NB_MSS) == c)
			return (int)j;
	return -1;
}

static void
test_mss_index(void **state)
{
	static const struct {
		uint16_t mss;
		unsigned int idx;
	} cases[] = {
		{0, 0},	   {1, 0},    {535, 0},	 {536, 0},  {537, 0},
		{1299, 0}, {1300, 1}, {1301, 1}, {1439, 1}, {1440, 2},
		{1459, 2}, {1460, 3}, {1461, 3}, {9000, 3}, {65535, 3},
	};

	(void)state;
	assert_int_equal(tcpd_cookie_mss_table[0], 536);
	assert_int_equal(tcpd_cookie_mss_table[1], 1300);
	assert_int_equal(tcpd_cookie_mss_table[2], 1440);
	assert_int_equal(tcpd_cookie_mss_table[3], 1460);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int idx = tcpd_cookie_mss_index(cases[i].mss);

		assert_int_equal(idx, cases[i].idx);
		/* Rounded down: never more than the peer announced (unless below the floor). */
		if (cases[i].mss >= 536)
			assert_true(tcpd_cookie_mss_table[idx] <= cases[i].mss);
	}
}

/* The inline fixed-length SipHash (cookie_siphash.h) is libsodium's SipHash-2-4: all 64 output
 * bits, random keys and messages, and the SipHash paper's key with message 00..0f. */
static void
test_siphash16_reference(void **state)
{
	uint8_t key[16], msg[16], out[8];
	uint64_t m0, m1, want;

	(void)state;
	for (unsigned int i = 0; i < 100000; i++) {
		if (i == 0) {
			for (unsigned int j = 0; j < 16; j++)
				key[j] = msg[j] = (uint8_t)j;
		} else {
			randombytes_buf(key, sizeof(key));
			randombytes_buf(msg, sizeof(msg));
		}
		crypto_shorthash_siphash24(out, msg, sizeof(msg), key);
		want = 0;
		for (unsigned int j = 0; j < 8; j++)
			want |= (uint64_t)out[j] << (8 * j);
		m0 = m1 = 0;
		for (unsigned int j = 0; j < 8; j++) {
			m0 |= (uint64_t)msg[j] << (8 * j);
			m1 |= (uint64_t)msg[8 + j] << (8 * j);
		}
		assert_int_equal(cookie_siphash16(key, m0, m1), want);
	}
}

/* The library computes exactly the documented formula (checked against the model above). */
static void
test_matches_model(void **state)
{
	(void)state;
	rng_state = 0x1234567887654321ULL;
	for (unsigned int i = 0; i < 10000; i++) {
		struct tcpd_cookie_tuple t = random_tuple();
		uint32_t sseq = (uint32_t)rng(), count = (uint32_t)rng();
		unsigned int idx = (unsigned int)rng() % TCPD_COOKIE_NB_MSS;

		assert_int_equal(tcpd_cookie_make(&key_a, &t, sseq, count, idx),
				 ref_make(&key_a, &t, sseq, count, idx));
	}
	/* Known answer for a fixed input, so an accidental change of the hash input layout (which
	 * would break ECMP peers running another build) is caught. */
	struct tcpd_cookie_tuple t = tuple(0xC6120102, 40000);

	assert_int_equal(tcpd_cookie_make(&key_a, &t, 0x01020304, 1000, 2), 0x09a7c8c1);
	assert_int_equal(ref_make(&key_a, &t, 0x01020304, 1000, 2), 0x09a7c8c1);

	/* libsodium's shorthash is SipHash-2-4: the reference vector of the SipHash paper (key
	 * 00..0f, message 00..0e) is 0xa129ca6149be45e5, output little-endian. */
	uint8_t key[16], msg[15], out[8];
	static const uint8_t want[8] = {0xe5, 0x45, 0xbe, 0x49, 0x61, 0xca, 0x29, 0xa1};

	for (unsigned int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (unsigned int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	crypto_shorthash_siphash24(out, msg, sizeof(msg), key);
	assert_memory_equal(out, want, 8);
}

/* RFC 6528's F (tcpd_cookie_prf, prf6): libsodium's SipHash-2-4 of the tuple's bytes with a zero
 * counter (for IPv4, the 16 bytes of lib/conn's key: what the client's ISN hashed before). */
static void
test_prf(void **state)
{
	(void)state;
	rng_state = 0x5eed6528;
	for (unsigned int i = 0; i < 1000; i++) {
		struct tcpd_cookie_tuple t = random_tuple();

		assert_int_equal(tcpd_cookie_prf(key_a.k[0], &t), ref_hash(key_a.k[0], &t, 0));
		assert_int_equal(tcpd_cookie_prf(key_a.k[1], &t), ref_hash(key_a.k[1], &t, 0));
	}
}

/* Every MSS value around the table edges x window scale 0..14 and none x SACK x ECN, with and
 * without timestamps, generated at count and checked at count and count + 1. */
static void
test_round_trip(void **state)
{
	static const uint16_t mss[] = {0, 535, 536, 1299, 1300, 1439, 1440, 1459, 1460, 1461, 9000};
	static const uint8_t wscale[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xF};
	const uint32_t count = 28000000;
	unsigned int n = 0;

	(void)state;
	for (unsigned int m = 0; m < sizeof(mss) / sizeof(mss[0]); m++)
		for (unsigned int w = 0; w < sizeof(wscale); w++)
			for (unsigned int f = 0; f < 8; f++) {
				struct tcpd_cookie_tuple t = tuple(0xC6120100 + m, 1024 + w);
				struct tcpd_cookie_opts o = {wscale[w], f & 1, (f >> 1) & 1}, d;
				bool ts = f & 4;
				uint32_t sseq = 0xFFFFFF00u + m * 16 + w;
				uint32_t ts_now = 0x00ABCDEFu * (m + 1) + w;
				unsigned int idx = tcpd_cookie_mss_index(mss[m]), got = 99;
				uint32_t c = tcpd_cookie_make(&key_a, &t, sseq, count, idx);

				for (uint32_t age = 0; age < 2; age++) {
					got = 99;
					assert_int_equal(tcpd_cookie_check(&key_a, &t, sseq, c,
									   count + age, &got),
							 TCPD_COOKIE_OK);
					assert_int_equal(got, idx);
				}
				if (ts) {
					uint32_t tsval = tcpd_cookie_ts_encode(ts_now, &o);

					memset(&d, 0xAA, sizeof(d));
					tcpd_cookie_ts_decode(tsval, &d);
					assert_int_equal(d.wscale, o.wscale);
					assert_int_equal(d.sack, o.sack);
					assert_int_equal(d.ecn, o.ecn);
					assert_true(ts_now - tsval < 64);
				}
				n++;
			}
	assert_int_equal(n, 11 * 16 * 8);
}

static void
test_ts_encode(void **state)
{
	static const uint32_t now[] = {0,	   1,	       5,	   31,	       62,
				       63,	   64,	       65,	   127,	       128,
				       0x12345678, 0x7FFFFFFF, 0x80000000, 0xFFFFFFC0, 0xFFFFFFFF};

	(void)state;
	for (unsigned int i = 0; i < sizeof(now) / sizeof(now[0]); i++)
		for (unsigned int w = 0; w < 16; w++)
			for (unsigned int f = 0; f < 4; f++) {
				struct tcpd_cookie_opts o = {(uint8_t)w, f & 1, f >> 1}, d;
				uint32_t bits = w | (f & 1) << 4 | (f >> 1) << 5;
				uint32_t ts = tcpd_cookie_ts_encode(now[i], &o);

				assert_int_equal(ts & 63, bits);
				/* The unique value with those low bits in (now - 64, now]. */
				assert_int_equal(ts, now[i] - ((now[i] - bits) & 63));
				assert_true(now[i] - ts < 64);
				if (now[i] >= 63)
					assert_true(ts <= now[i]);
				tcpd_cookie_ts_decode(ts, &d);
				assert_int_equal(d.wscale, w);
				assert_int_equal(d.sack, f & 1);
				assert_int_equal(d.ecn, f >> 1);
			}

	/* ts_now < 64 wraps below zero, i.e. just before 0 in TS serial arithmetic. */
	struct tcpd_cookie_opts o = {7, true, false}, d;

	assert_int_equal(tcpd_cookie_ts_encode(5, &o), 0xFFFFFFD7u);
	assert_int_equal(tcpd_cookie_ts_encode(0x1000, &o), 0xFD7u);
	assert_int_equal(tcpd_cookie_ts_encode(0x1017, &o), 0x1017u);
	assert_int_equal(tcpd_cookie_ts_encode(0x1016, &o), 0xFD7u);

	/* RFC 7323 §2.3: a shift above 14 is 14; it must not spill into the SACK/ECN bits. */
	o.wscale = 20;
	o.sack = false;
	tcpd_cookie_ts_decode(tcpd_cookie_ts_encode(1000000, &o), &d);
	assert_int_equal(d.wscale, 14);
	assert_false(d.sack);
	assert_false(d.ecn);
}

static void
test_wrong_secret_and_tuple(void **state)
{
	struct tcpd_cookie_keys swapped;
	const uint32_t count = 555555;

	(void)state;
	memcpy(swapped.k[0], key_a.k[1], 16);
	memcpy(swapped.k[1], key_a.k[0], 16);
	rng_state = 0xDEADBEEFCAFEF00DULL;
	for (unsigned int n = 0; n < 256; n++) {
		struct tcpd_cookie_tuple t = random_tuple();
		uint32_t sseq = (uint32_t)rng();

		for (unsigned int idx = 0; idx < TCPD_COOKIE_NB_MSS; idx++)
			for (uint32_t age = 0; age < 2; age++) {
				uint32_t c = tcpd_cookie_make(&key_a, &t, sseq, count - age, idx);
				struct tcpd_cookie_tuple u;
				unsigned int got = 99;

				assert_int_equal(
					tcpd_cookie_check(&key_a, &t, sseq, c, count, &got),
					TCPD_COOKIE_OK);
				assert_int_equal(got, idx);
				assert_int_equal(
					tcpd_cookie_check(&key_b, &t, sseq, c, count, &got),
					TCPD_COOKIE_BAD);
				assert_int_equal(
					tcpd_cookie_check(&swapped, &t, sseq, c, count, &got),
					TCPD_COOKIE_BAD);
				for (unsigned int bit = 0; bit < 32; bit += 7) {
					u = t;
					u.saddr ^= 1u << bit;
					assert_int_equal(
						tcpd_cookie_check(&key_a, &u, sseq, c, count, &got),
						TCPD_COOKIE_BAD);
					u = t;
					u.daddr ^= 1u << bit;
					assert_int_equal(
						tcpd_cookie_check(&key_a, &u, sseq, c, count, &got),
						TCPD_COOKIE_BAD);
					u = t;
					u.sport ^= (uint16_t)(1u << (bit / 2));
					assert_int_equal(
						tcpd_cookie_check(&key_a, &u, sseq, c, count, &got),
						TCPD_COOKIE_BAD);
					u = t;
					u.dport ^= (uint16_t)(1u << (bit / 2));
					assert_int_equal(
						tcpd_cookie_check(&key_a, &u, sseq, c, count, &got),
						TCPD_COOKIE_BAD);
				}
				/* Ports swapped (the reply direction's tuple) is another tuple. */
				u = t;
				u.sport = t.dport;
				u.dport = t.sport;
				if (u.sport != t.sport)
					assert_int_equal(
						tcpd_cookie_check(&key_a, &u, sseq, c, count, &got),
						TCPD_COOKIE_BAD);
				/* sseq moved by 4 or more in either direction, or far away. */
				for (uint32_t d = 4; d != 0 && d < 0x80000000u; d <<= 1) {
					assert_int_equal(tcpd_cookie_check(&key_a, &t, sseq + d, c,
									   count, &got),
							 TCPD_COOKIE_BAD);
					assert_int_equal(tcpd_cookie_check(&key_a, &t, sseq - d, c,
									   count, &got),
							 TCPD_COOKIE_BAD);
				}
				/* sseq moved by 1..3: SEG.SEQ and the cookie enter only as
				 * cookie - sseq, so this is the cookie moved by -d. It passes only when
				 * that lands on another member of the accepted set, i.e. on another MSS
				 * index of the same counter (see test_bit_flips). */
				for (int d = -3; d <= 3; d++) {
					uint32_t moved = c - (uint32_t)d;
					int slot = accepted_slot(&key_a, &t, sseq, count, moved);
					enum tcpd_cookie_verdict v = tcpd_cookie_check(
						&key_a, &t, sseq + (uint32_t)d, c, count, &got);

					if (slot < 0) {
						assert_int_not_equal(v, TCPD_COOKIE_OK);
					} else {
						assert_int_equal(v, TCPD_COOKIE_OK);
						assert_int_equal(got, slot % TCPD_COOKIE_NB_MSS);
						assert_int_equal(slot / TCPD_COOKIE_NB_MSS, age);
					}
				}
			}
	}
}

/*
 * Single-bit flips of a valid cookie. The 24-bit check authenticates the tuple, sseq and
 * counter, but the MSS index is added in clear into the low bits, so a flip of bit 0 or 1 is the
 * cookie moved by +-1 or +-2, which decodes to another MSS index when that is still 0..3 (and
 * the low 24 bits do not carry into the counter byte). What must hold, exactly: a flipped cookie
 * is accepted iff it is one of the 8 cookies the keys make for this tuple/sseq at count and
 * count - 1 (proved exhaustive in test_accepted_set_exhaustive), with that cookie's MSS index; so
 * only bits 0 and 1 can ever pass, and the counter bits 24..31 never do.
 */
static void
test_bit_flips(void **state)
{
	const uint32_t count = 0x01020304;
	unsigned int accepted = 0, tried = 0, low_bit_pass[2] = {0, 0};

	(void)state;
	rng_state = 0x0BADC0FFEE0DDF00ULL;
	for (unsigned int n = 0; n < 512; n++) {
		struct tcpd_cookie_tuple t = random_tuple();
		uint32_t sseq = (uint32_t)rng();

		for (unsigned int idx = 0; idx < TCPD_COOKIE_NB_MSS; idx++)
			for (uint32_t age = 0; age < 2; age++) {
				uint32_t c = tcpd_cookie_make(&key_a, &t, sseq, count - age, idx);

				for (unsigned int b = 0; b < 32; b++) {
					uint32_t f = c ^ (1u << b);
					int slot = accepted_slot(&key_a, &t, sseq, count, f);
					unsigned int got = 99;
					enum tcpd_cookie_verdict v =
						tcpd_cookie_check(&key_a, &t, sseq, f, count, &got);

					tried++;
					if (b >= 2) {
						assert_int_equal(slot, -1);
						assert_int_equal(v, TCPD_COOKIE_BAD);
						continue;
					}
					if (slot < 0) {
						assert_int_equal(v, TCPD_COOKIE_BAD);
						continue;
					}
					assert_int_equal(v, TCPD_COOKIE_OK);
					/* Same counter, neighbouring MSS index, differing by 2^b. */
					assert_int_equal(slot / TCPD_COOKIE_NB_MSS, age);
					assert_int_equal(got, slot % TCPD_COOKIE_NB_MSS);
					assert_true(got == idx + (1u << b) ||
						    got + (1u << b) == idx);
					accepted++;
					low_bit_pass[b]++;
				}
			}
	}
	print_message(
		"bit flips: %u of %u accepted (bit 0: %u, bit 1: %u), all with a neighbouring "
		"MSS index\n",
		accepted, tried, low_bit_pass[0], low_bit_pass[1]);
	/* About half the bit-0 flips and a third of the bit-1 flips land on a valid index; zero would
	 * mean the test no longer exercises the property. */
	assert_true(low_bit_pass[0] > 0 && low_bit_pass[1] > 0);
}

/* Counter window: count and count - 1 accepted, 2..7 steps old EXPIRED, older or from the future
 * BAD; across the 8-bit wrap of the top byte and the 32-bit wrap of the counter. */
static void
test_counter_window(void **state)
{
	static const uint32_t gens[] = {0,     1,	   1000,       0xFE,	  0xFF,
					0x1FF, 0xFFFFFF00, 0xFFFFFFFE, 0xFFFFFFFF};
	struct tcpd_cookie_tuple t = tuple(0xC6130005, 33333);
	const uint32_t sseq = 0x7FFFFFFF;

	(void)state;
	for (unsigned int g = 0; g < sizeof(gens) / sizeof(gens[0]); g++)
		for (unsigned int idx = 0; idx < TCPD_COOKIE_NB_MSS; idx++) {
			uint32_t gen = gens[g];
			uint32_t c = tcpd_cookie_make(&key_a, &t, sseq, gen, idx);
			unsigned int got;

			for (uint32_t age = 0; age < 600; age++) {
				enum tcpd_cookie_verdict want = TCPD_COOKIE_BAD;

				if (age < 2)
					want = TCPD_COOKIE_OK;
				else if (age < 8)
					want = TCPD_COOKIE_EXPIRED;
				got = 99;
				assert_int_equal(
					tcpd_cookie_check(&key_a, &t, sseq, c, gen + age, &got),
					want);
				if (want == TCPD_COOKIE_OK)
					assert_int_equal(got, idx);
				else
					assert_int_equal(got, 99); /* untouched */
				/* EXPIRED only for a genuine cookie: another key says BAD. */
				assert_int_equal(
					tcpd_cookie_check(&key_b, &t, sseq, c, gen + age, &got),
					TCPD_COOKIE_BAD);
			}
			/* From the future (a peer whose counter is ahead): refused. */
			for (uint32_t ahead = 1; ahead < 4; ahead++)
				assert_int_equal(
					tcpd_cookie_check(&key_a, &t, sseq, c, gen - ahead, &got),
					TCPD_COOKIE_BAD);
		}

	/* The explicit wrap cases, spelled out. */
	uint32_t c = tcpd_cookie_make(&key_a, &t, sseq, 0xFFFFFFFF, 3);
	unsigned int got = 0;

	assert_int_equal(tcpd_cookie_check(&key_a, &t, sseq, c, 0, &got), TCPD_COOKIE_OK);
	assert_int_equal(got, 3);
	assert_int_equal(tcpd_cookie_check(&key_a, &t, sseq, c, 1, &got), TCPD_COOKIE_EXPIRED);
	c = tcpd_cookie_make(&key_a, &t, sseq, 0x1FF, 1);
	assert_int_equal(tcpd_cookie_check(&key_a, &t, sseq, c, 0x200, &got), TCPD_COOKIE_OK);
	assert_int_equal(got, 1);
	/* Same top byte 256 steps later: H1 was made with the full counter. */
	assert_int_equal(tcpd_cookie_check(&key_a, &t, sseq, c, 0x2FF, &got), TCPD_COOKIE_BAD);
	assert_int_equal(tcpd_cookie_check(&key_a, &t, sseq, c, 0x300, &got), TCPD_COOKIE_BAD);
}

/*
 * For one tuple, sseq and counter, every cookie whose counter byte is within the classified span
 * (8 x 2^24 values, the other 248 x 2^24 stop at the counter byte test): exactly the 8 cookies
 * made at count and count - 1 are accepted, and exactly the 24 made 2..7 steps ago are EXPIRED.
 */
static void
test_accepted_set_exhaustive(void **state)
{
	struct tcpd_cookie_tuple t = tuple(0xC6120207, 51000);
	const uint32_t sseq = 0xA5A5A5A5, count = 0x00ABCD00; /* count - 1 crosses the byte */
	uint32_t base = ref_hash(key_a.k[0], &t, 0) + sseq;
	unsigned int ok = 0, expired = 0;

	(void)state;
	for (uint32_t age = 0; age < 8; age++)
		for (uint32_t x = 0; x <= MASK24; x++) {
			uint32_t c = base + ((count - age) << 24) + x;
			unsigned int got;
			enum tcpd_cookie_verdict v =
				tcpd_cookie_check(&key_a, &t, sseq, c, count, &got);

			if (v == TCPD_COOKIE_BAD)
				continue;
			if (v == TCPD_COOKIE_OK) {
				assert_true(age < 2);
				ok++;
			} else {
				assert_true(age >= 2);
				got = (x - ref_hash(key_a.k[1], &t, count - age)) & MASK24;
				assert_true(got < TCPD_COOKIE_NB_MSS);
				expired++;
			}
			assert_int_equal(c, tcpd_cookie_make(&key_a, &t, sseq, count - age, got));
		}
	print_message("exhaustive: %u accepted, %u expired of %u cookies\n", ok, expired, 8u << 24);
	assert_int_equal(ok, 8);
	assert_int_equal(expired, 24);
}

/* 1,000,000 forged ACKs (random tuple, sseq, cookie, counter) against random keys. Acceptance
 * needs the counter byte to be one of 2 values and the 24-bit rest to be one of 4: 8 / 2^32 per
 * try, 0.0019 expected here; P(>= 3) ~ 1e-9. EXPIRED needs 6 counter values: 0.0056 expected. */
static void
test_forged_acks(void **state)
{
	struct tcpd_cookie_keys k;
	const unsigned int tries = 1000000;
	unsigned int ok = 0, expired = 0;
	uint64_t seed = ((uint64_t)randombytes_random() << 32) | randombytes_random();
	struct timespec a, b;

	(void)state;
	randombytes_buf(&k, sizeof(k));
	rng_state = seed | 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (unsigned int i = 0; i < tries; i++) {
		struct tcpd_cookie_tuple t = random_tuple();
		uint64_t r = rng();
		unsigned int got;

		switch (tcpd_cookie_check(&k, &t, (uint32_t)r, (uint32_t)(r >> 32), (uint32_t)rng(),
					  &got)) {
		case TCPD_COOKIE_OK:
			ok++;
			break;
		case TCPD_COOKIE_EXPIRED:
			expired++;
			break;
		case TCPD_COOKIE_BAD:
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	print_message("forged ACKs: %u accepted, %u expired of %u (seed %#" PRIx64
		      "; expected 0.0019 accepted); %.1f ns per check\n",
		      ok, expired, tries, seed,
		      ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / tries);
	assert_true(ok <= 2);
	assert_true(expired <= 3);
}

static void
test_store_init(void **state)
{
	static struct tcpd_cookie_store s1, s2, s3, s4;
	uint8_t secret[40];
	struct tcpd_cookie_tuple t = tuple(0xC6120309, 44321);
	unsigned int got;
	uint32_t c;

	(void)state;
	for (unsigned int i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)(0xC0 + i);
	assert_int_equal(tcpd_cookie_store_init(&s1, secret, 31), -1);
	assert_int_equal(tcpd_cookie_store_init(&s1, secret, 32), 0);
	assert_int_equal(tcpd_cookie_store_init(&s2, secret, 40), 0); /* extra bytes unused */
	assert_int_equal(tcpd_cookie_store_init(&s3, NULL, 0), 0);
	assert_int_equal(tcpd_cookie_store_init(&s4, NULL, 0), 0);
	assert_memory_equal(tcpd_cookie_store_current(&s1)->k[0], secret, 16);
	assert_memory_equal(tcpd_cookie_store_current(&s1)->k[1], secret + 16, 16);
	assert_int_equal(s1.rotations, 0);
	assert_memory_not_equal(&s3.slot[0], &s4.slot[0], sizeof(s3.slot[0]));
	assert_memory_not_equal(&s3.slot[0], &s3.slot[1], sizeof(s3.slot[0]));

	for (unsigned int idx = 0; idx < TCPD_COOKIE_NB_MSS; idx++) {
		/* ECMP: a machine configured with the same secret accepts our cookies. */
		c = tcpd_cookie_make(tcpd_cookie_store_current(&s1), &t, 99, 7000, idx);
		got = 99;
		assert_int_equal(tcpd_cookie_store_check(&s2, &t, 99, c, 7001, &got),
				 TCPD_COOKIE_OK);
		assert_int_equal(got, idx);
		assert_int_equal(tcpd_cookie_store_check(&s3, &t, 99, c, 7001, &got),
				 TCPD_COOKIE_BAD);
		/* Random stores do not accept each other's cookies. */
		c = tcpd_cookie_make(tcpd_cookie_store_current(&s3), &t, 99, 7000, idx);
		assert_int_equal(tcpd_cookie_store_check(&s3, &t, 99, c, 7000, &got),
				 TCPD_COOKIE_OK);
		assert_int_equal(tcpd_cookie_store_check(&s4, &t, 99, c, 7000, &got),
				 TCPD_COOKIE_BAD);
		/* The spare slot is not a previous secret before the first rotation, even in
		 * the first counter steps after boot (prev_valid_until is 0 then). */
		for (uint32_t count = 0; count < 7001; count += 7000) {
			c = tcpd_cookie_make(&s3.slot[1], &t, 99, count, idx);
			assert_int_equal(tcpd_cookie_store_check(&s3, &t, 99, c, count, &got),
					 TCPD_COOKIE_BAD);
		}
	}
	/* Store check reports EXPIRED for an old cookie of the current secret. */
	c = tcpd_cookie_make(tcpd_cookie_store_current(&s1), &t, 99, 7000, 0);
	assert_int_equal(tcpd_cookie_store_check(&s1, &t, 99, c, 7003, &got), TCPD_COOKIE_EXPIRED);
}

static void
test_store_rotate(void **state)
{
	static struct tcpd_cookie_store s;
	struct tcpd_cookie_keys before;
	struct tcpd_cookie_tuple t = tuple(0xC612040A, 55555);
	const uint32_t r = 100; /* counter at the first rotation */
	uint32_t c_old, c_old_prev, c_new;
	unsigned int got;

	(void)state;
	assert_int_equal(tcpd_cookie_store_init(&s, NULL, 0), 0);
	before = *tcpd_cookie_store_current(&s);
	c_old = tcpd_cookie_make(&before, &t, 1, r, 2);
	c_old_prev = tcpd_cookie_make(&before, &t, 1, r - 1, 1);

	tcpd_cookie_store_rotate(&s, r, 123456);
	assert_int_equal(s.rotations, 1);
	assert_int_equal(s.rotated_at, 123456);
	assert_int_equal(s.prev_valid_until, r + 1);
	assert_int_equal(s.cur, 1);
	assert_memory_not_equal(tcpd_cookie_store_current(&s), &before, sizeof(before));
	assert_memory_equal(&s.slot[0], &before, sizeof(before));

	/* Old cookies keep their normal life through r + 1 ... */
	got = 99;
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old, r, &got), TCPD_COOKIE_OK);
	assert_int_equal(got, 2);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old, r + 1, &got), TCPD_COOKIE_OK);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old_prev, r, &got), TCPD_COOKIE_OK);
	assert_int_equal(got, 1);
	/* ... and not after: the old secret is no longer tried at all. */
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old, r + 2, &got), TCPD_COOKIE_BAD);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old_prev, r + 1, &got),
			 TCPD_COOKIE_EXPIRED);
	/* New cookies use the new secret. */
	c_new = tcpd_cookie_make(tcpd_cookie_store_current(&s), &t, 1, r + 1, 3);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_new, r + 1, &got), TCPD_COOKIE_OK);
	assert_int_equal(got, 3);
	assert_int_equal(tcpd_cookie_check(&before, &t, 1, c_new, r + 1, &got), TCPD_COOKIE_BAD);

	/* A second rotation inside the window replaces the previous secret: old cookies go. */
	tcpd_cookie_store_rotate(&s, r + 1, 123516);
	assert_int_equal(s.rotations, 2);
	assert_int_equal(s.cur, 0);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old, r + 1, &got), TCPD_COOKIE_BAD);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_new, r + 1, &got), TCPD_COOKIE_OK);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_new, r + 2, &got), TCPD_COOKIE_OK);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_new, r + 3, &got), TCPD_COOKIE_BAD);

	/* The validity bound compares in serial order across the 32-bit counter wrap. */
	before = *tcpd_cookie_store_current(&s);
	c_old = tcpd_cookie_make(&before, &t, 1, 0xFFFFFFFF, 0);
	tcpd_cookie_store_rotate(&s, 0xFFFFFFFF, 123576);
	assert_int_equal(s.prev_valid_until, 0);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old, 0xFFFFFFFF, &got),
			 TCPD_COOKIE_OK);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old, 0, &got), TCPD_COOKIE_OK);
	assert_int_equal(tcpd_cookie_store_check(&s, &t, 1, c_old, 1, &got), TCPD_COOKIE_BAD);
}

/* Two machines sharing a configured secret rotate to keys derived for the same epoch and keep
 * accepting each other's cookies; the previous epoch's cookies survive one window. */
static void
test_store_derived_rotation(void **state)
{
	static const uint8_t secret[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
					   12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
					   23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
	struct tcpd_cookie_tuple t = tuple(0xC6120002, 40000);
	struct tcpd_cookie_store a, b;
	struct tcpd_cookie_keys k1, k2, k1again;
	unsigned int idx = 9;
	uint32_t old, c;

	(void)state;
	tcpd_cookie_keys_derive(&k1, secret, 7);
	tcpd_cookie_keys_derive(&k1again, secret, 7);
	tcpd_cookie_keys_derive(&k2, secret, 8);
	assert_memory_equal(&k1, &k1again, sizeof(k1));
	assert_memory_not_equal(&k1, &k2, sizeof(k1));
	assert_memory_not_equal(&k1, secret, sizeof(k1));

	assert_int_equal(tcpd_cookie_store_init(&a, NULL, 0), 0);
	assert_int_equal(tcpd_cookie_store_init(&b, NULL, 0), 0);
	tcpd_cookie_store_rotate_to(&a, &k1, 100, 6000);
	tcpd_cookie_store_rotate_to(&b, &k1, 100, 6000);
	old = tcpd_cookie_make(tcpd_cookie_store_current(&a), &t, 5000, 100, 2);
	assert_int_equal(tcpd_cookie_store_check(&b, &t, 5000, old, 100, &idx), TCPD_COOKIE_OK);
	assert_int_equal(idx, 2);

	tcpd_cookie_store_rotate_to(&a, &k2, 101, 6060);
	tcpd_cookie_store_rotate_to(&b, &k2, 101, 6060);
	c = tcpd_cookie_make(tcpd_cookie_store_current(&b), &t, 5000, 101, 1);
	assert_int_equal(tcpd_cookie_store_check(&a, &t, 5000, c, 101, &idx), TCPD_COOKIE_OK);
	assert_int_equal(idx, 1);
	/* The epoch-7 cookie (counter 100) is still accepted at 101, through the previous keys. */
	assert_int_equal(tcpd_cookie_store_check(&b, &t, 5000, old, 101, &idx), TCPD_COOKIE_OK);
	assert_int_not_equal(tcpd_cookie_store_check(&b, &t, 5000, old, 102, &idx), TCPD_COOKIE_OK);
}

/* Not a test: prints the cost of make and check so regressions are visible in the log. */
static void
bench_print(void **state)
{
	struct tcpd_cookie_tuple t = tuple(0xC6120001, 1);
	const unsigned int n = 2000000;
	struct timespec a, b, c;
	uint32_t acc = 0;
	unsigned int got;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (unsigned int i = 0; i < n; i++) {
		t.sport = (uint16_t)i;
		acc += tcpd_cookie_make(&key_a, &t, i, 1000, i & 3);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	for (unsigned int i = 0; i < n; i++) {
		t.sport = (uint16_t)i;
		acc += (uint32_t)tcpd_cookie_check(&key_a, &t, i, acc + i, 1000, &got);
	}
	clock_gettime(CLOCK_MONOTONIC, &c);
	print_message("bench: make %.1f ns, check (forged) %.1f ns (acc %u)\n",
		      ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n,
		      ((c.tv_sec - b.tv_sec) * 1e9 + (c.tv_nsec - b.tv_nsec)) / n, acc);
}

/* ---- IPv6 (Linux net/ipv6/syncookies.c layout) ---- */

static struct tcpd_cookie_tuple6
tuple6(uint16_t host, uint16_t sport)
{
	struct tcpd_cookie_tuple6 t = {
		.saddr = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (uint8_t)(host >> 8),
			  (uint8_t)host},
		.daddr = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
		.sport = htons(sport),
		.dport = htons(80),
	};
	return t;
}

/* H(k, tuple, count) computed independently: libsodium's SipHash-2-4 over the exact 40 bytes
 * Linux hashes (saddr, daddr, u32 count little-endian, sport, dport), low 32 bits. */
static uint32_t
ref_hash6(const uint8_t key[16], const struct tcpd_cookie_tuple6 *t, uint32_t count)
{
	uint8_t in[40], out[8];
	uint32_t h;

	memcpy(in, t->saddr, 16);
	memcpy(in + 16, t->daddr, 16);
	in[32] = (uint8_t)count;
	in[33] = (uint8_t)(count >> 8);
	in[34] = (uint8_t)(count >> 16);
	in[35] = (uint8_t)(count >> 24);
	memcpy(in + 36, &t->sport, 2);
	memcpy(in + 38, &t->dport, 2);
	crypto_shorthash_siphash24(out, in, sizeof(in), key);
	h = (uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 |
	    (uint32_t)out[3] << 24;
	return h;
}

static void
test6_mss_table(void **state)
{
	static const uint16_t want[4] = {1220, 1420, 1440, 8940};

	(void)state;
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(tcpd_cookie_mss_table6[i], want[i]);
	assert_int_equal(tcpd_cookie_mss_index6(0), 0);
	assert_int_equal(tcpd_cookie_mss_index6(536), 0); /* below every entry: the floor */
	assert_int_equal(tcpd_cookie_mss_index6(1220), 0);
	assert_int_equal(tcpd_cookie_mss_index6(1419), 0);
	assert_int_equal(tcpd_cookie_mss_index6(1420), 1);
	assert_int_equal(tcpd_cookie_mss_index6(1439), 1);
	assert_int_equal(tcpd_cookie_mss_index6(1440), 2);
	assert_int_equal(tcpd_cookie_mss_index6(8939), 2);
	assert_int_equal(tcpd_cookie_mss_index6(8940), 3);
	assert_int_equal(tcpd_cookie_mss_index6(65535), 3);
}

/* A known vector: the cookie equals the Linux formula over hashes computed by libsodium. */
static void
test6_known_vector(void **state)
{
	struct tcpd_cookie_tuple6 t = tuple6(2, 40000);
	uint32_t count = 29000000, sseq = 0x12345678, want, got;
	unsigned int i;

	(void)state;
	for (i = 0; i < TCPD_COOKIE_NB_MSS; i++) {
		want = ref_hash6(key_a.k[0], &t, 0) + sseq + (count << 24) +
		       ((ref_hash6(key_a.k[1], &t, count) + i) & MASK24);
		got = tcpd_cookie_make6(&key_a, &t, sseq, count, i);
		assert_int_equal(got, want);
	}
	/* The inline 40-byte SipHash against libsodium on random keys and messages. */
	rng_state = 0x6c0ffee6;
	for (i = 0; i < 10000; i++) {
		uint8_t key[16], msg[40], out[8];
		uint64_t m[5], ref;

		for (unsigned int j = 0; j < 16; j++)
			key[j] = (uint8_t)rng();
		for (unsigned int j = 0; j < 40; j++)
			msg[j] = (uint8_t)rng();
		for (unsigned int j = 0; j < 5; j++) {
			memcpy(&m[j], msg + 8 * j, 8);
			m[j] = le64toh(m[j]);
		}
		crypto_shorthash_siphash24(out, msg, sizeof(msg), key);
		memcpy(&ref, out, 8);
		assert_true(cookie_siphash40(key, m) == le64toh(ref));
	}
}

static void
test6_prf(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < 256; i++) {
		struct tcpd_cookie_tuple6 t = tuple6((uint16_t)(i * 257), (uint16_t)(40000 + i));

		assert_int_equal(tcpd_cookie_prf6(key_a.k[0], &t), ref_hash6(key_a.k[0], &t, 0));
	}
}

static void
test6_round_trip(void **state)
{
	unsigned int i, mi, got;
	uint32_t count = 29000000;

	(void)state;
	rng_state = 0x600d6;
	for (i = 0; i < 4000; i++) {
		struct tcpd_cookie_tuple6 t =
			tuple6((uint16_t)rng(), (uint16_t)(1024 + rng() % 60000));
		uint32_t sseq = (uint32_t)rng(), c;

		mi = i % TCPD_COOKIE_NB_MSS;
		c = tcpd_cookie_make6(&key_a, &t, sseq, count, mi);
		got = 99;
		assert_int_equal(tcpd_cookie_check6(&key_a, &t, sseq, c, count, &got),
				 TCPD_COOKIE_OK);
		assert_int_equal(got, mi);
		/* one counter step later: still valid (60 to 120 s); two: expired */
		assert_int_equal(tcpd_cookie_check6(&key_a, &t, sseq, c, count + 1, &got),
				 TCPD_COOKIE_OK);
		assert_int_equal(tcpd_cookie_check6(&key_a, &t, sseq, c, count + 2, &got),
				 TCPD_COOKIE_EXPIRED);
	}
}

/* Any change of address, port, the peer's sequence number or the secret fails the check; so
 * does the IPv4 check of the same numbers (families do not share cookies). */
static void
test6_altered_rejected(void **state)
{
	struct tcpd_cookie_tuple6 t = tuple6(2, 40000), u;
	uint32_t count = 29000000, sseq = 1000, c;
	unsigned int got, b;

	(void)state;
	c = tcpd_cookie_make6(&key_a, &t, sseq, count, 2);
	assert_int_equal(tcpd_cookie_check6(&key_a, &t, sseq, c, count, &got), TCPD_COOKIE_OK);
	for (b = 0; b < 8 * sizeof(u.saddr); b++) {
		u = t;
		u.saddr[b / 8] ^= (uint8_t)(1u << (b % 8));
		assert_int_not_equal(tcpd_cookie_check6(&key_a, &u, sseq, c, count, &got),
				     TCPD_COOKIE_OK);
		u = t;
		u.daddr[b / 8] ^= (uint8_t)(1u << (b % 8));
		assert_int_not_equal(tcpd_cookie_check6(&key_a, &u, sseq, c, count, &got),
				     TCPD_COOKIE_OK);
	}
	u = t;
	u.sport = htons(40001);
	assert_int_not_equal(tcpd_cookie_check6(&key_a, &u, sseq, c, count, &got), TCPD_COOKIE_OK);
	u = t;
	u.dport = htons(81);
	assert_int_not_equal(tcpd_cookie_check6(&key_a, &u, sseq, c, count, &got), TCPD_COOKIE_OK);
	/* SEG.SEQ moved by 1 only shifts the MSS index (documented in cookie.c), by 4 it fails */
	assert_int_equal(tcpd_cookie_check6(&key_a, &t, sseq + 1, c, count, &got), TCPD_COOKIE_OK);
	assert_int_equal(got, 1);
	assert_int_not_equal(tcpd_cookie_check6(&key_a, &t, sseq + 4, c, count, &got),
			     TCPD_COOKIE_OK);
	assert_int_not_equal(tcpd_cookie_check6(&key_b, &t, sseq, c, count, &got), TCPD_COOKIE_OK);
	assert_int_not_equal(tcpd_cookie_check6(&key_a, &t, sseq, c + (1u << 24), count, &got),
			     TCPD_COOKIE_OK);
}

static void
test6_store(void **state)
{
	struct tcpd_cookie_store s;
	struct tcpd_cookie_tuple6 t = tuple6(7, 50000);
	uint32_t count = 100, c;
	unsigned int got = 9;

	(void)state;
	assert_int_equal(tcpd_cookie_store_init(&s, NULL, 0), 0);
	c = tcpd_cookie_make6(tcpd_cookie_store_current(&s), &t, 5, count, 3);
	assert_int_equal(tcpd_cookie_store_check6(&s, &t, 5, c, count, &got), TCPD_COOKIE_OK);
	assert_int_equal(got, 3);
	tcpd_cookie_store_rotate(&s, count, 0);
	/* the previous secret stays valid for one more counter window */
	assert_int_equal(tcpd_cookie_store_check6(&s, &t, 5, c, count, &got), TCPD_COOKIE_OK);
	assert_int_equal(tcpd_cookie_store_check6(&s, &t, 5, c ^ 0x10000, count, &got),
			 TCPD_COOKIE_BAD);
}

/*
 * The store's cookies (tcpd_cookie_store_make/_make6, SipHash states set up when the keys are
 * installed) are tcpd_cookie_make's with the current keys, after init, after random and
 * derived rotations and with a configured secret; the store checks accept them, and the
 * previous keys' cookies through the validity window.
 */
static void
test_store_make_matches(void **state)
{
	static const uint8_t secret[32] = {9,  8,  7,  6,  5,  4,  3,  2,  1,  0,  11,
					   12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
					   23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
	static struct tcpd_cookie_store s;
	const uint32_t count = 29000000;
	unsigned int round, i, got;

	(void)state;
	rng_state = 0x5702e;
	for (round = 0; round < 6; round++) {
		struct tcpd_cookie_keys prev = *tcpd_cookie_store_current(&s);

		if (round == 0)
			assert_int_equal(tcpd_cookie_store_init(&s, NULL, 0), 0);
		else if (round == 1)
			assert_int_equal(tcpd_cookie_store_init(&s, secret, sizeof(secret)), 0);
		else if (round & 1)
			tcpd_cookie_store_rotate(&s, count, 1000 + round);
		else {
			struct tcpd_cookie_keys k;

			tcpd_cookie_keys_derive(&k, secret, round);
			tcpd_cookie_store_rotate_to(&s, &k, count, 1000 + round);
		}
		for (i = 0; i < 200; i++) {
			const struct tcpd_cookie_keys *k = tcpd_cookie_store_current(&s);
			struct tcpd_cookie_tuple t = random_tuple();
			struct tcpd_cookie_tuple6 t6 =
				tuple6((uint16_t)rng(), (uint16_t)(1024 + rng() % 60000));
			uint32_t sseq = (uint32_t)rng(), c;
			unsigned int mi = i % TCPD_COOKIE_NB_MSS;

			c = tcpd_cookie_store_make(&s, &t, sseq, count, mi);
			assert_int_equal(c, tcpd_cookie_make(k, &t, sseq, count, mi));
			assert_int_equal(c, ref_make(k, &t, sseq, count, mi));
			got = 99;
			assert_int_equal(tcpd_cookie_store_check(&s, &t, sseq, c, count + 1, &got),
					 TCPD_COOKIE_OK);
			assert_int_equal(got, mi);
			c = tcpd_cookie_store_make6(&s, &t6, sseq, count, mi);
			assert_int_equal(c, tcpd_cookie_make6(k, &t6, sseq, count, mi));
			got = 99;
			assert_int_equal(tcpd_cookie_store_check6(&s, &t6, sseq, c, count, &got),
					 TCPD_COOKIE_OK);
			assert_int_equal(got, mi);
			if (round < 2)
				continue;
			/* the previous keys' cookies: still accepted through count + 1 */
			c = tcpd_cookie_make(&prev, &t, sseq, count, mi);
			assert_int_equal(tcpd_cookie_store_check(&s, &t, sseq, c, count + 1, &got),
					 TCPD_COOKIE_OK);
			assert_int_equal(got, mi);
			c = tcpd_cookie_make6(&prev, &t6, sseq, count, mi);
			assert_int_equal(tcpd_cookie_store_check6(&s, &t6, sseq, c, count, &got),
					 TCPD_COOKIE_OK);
			assert_int_equal(got, mi);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mss_index),
		cmocka_unit_test(test_siphash16_reference),
		cmocka_unit_test(test_matches_model),
		cmocka_unit_test(test_prf),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_ts_encode),
		cmocka_unit_test(test_wrong_secret_and_tuple),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_counter_window),
		cmocka_unit_test(test_accepted_set_exhaustive),
		cmocka_unit_test(test_forged_acks),
		cmocka_unit_test(test_store_init),
		cmocka_unit_test(test_store_rotate),
		cmocka_unit_test(test_store_derived_rotation),
		cmocka_unit_test(test6_mss_table),
		cmocka_unit_test(test6_known_vector),
		cmocka_unit_test(test6_prf),
		cmocka_unit_test(test6_round_trip),
		cmocka_unit_test(test6_altered_rejected),
		cmocka_unit_test(test6_store),
		cmocka_unit_test(test_store_make_matches),
		cmocka_unit_test(bench_print),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
