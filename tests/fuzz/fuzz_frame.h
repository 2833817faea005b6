/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_FUZZ_FRAME_H
#define TCPD_FUZZ_FRAME_H

/*
 * What the fuzz targets that play a TCP peer (fuzz_rx, fuzz_client) share to build its frames
 * from the input: big-endian stores, the IPv4 and IPv6 pseudo-header sums, sequence compares, a
 * reader of the input's bytes, the peer's Ethernet/IP headers and the options of its segment.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_worker.h"

/* The peer's MAC address in every target's frames. */
static const uint8_t fuzz_peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
/* Our --ip6 (2001:2::1/64, RFC 5180 space) in the targets' IPv6 inputs. */
static const uint8_t fuzz_our_ip6[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

static inline void
fuzz_st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
fuzz_st32(uint8_t *p, uint32_t v)
{
	fuzz_st16(p, (uint16_t)(v >> 16));
	fuzz_st16(p + 2, (uint16_t)v);
}

/* The IPv4 pseudo-header's sum (addresses, protocol TCP, @p tl bytes), unfolded. */
static inline uint32_t
fuzz_ph4(const uint8_t *ip, uint32_t tl)
{
	return fuzz_ld16(ip + 12) + fuzz_ld16(ip + 14) + fuzz_ld16(ip + 16) + fuzz_ld16(ip + 18) +
	       6 + tl;
}

/* Sum of the IPv6 pseudo-header (RFC 8200 8.1) of @p ip's addresses, @p ulen bytes of upper
 * layer @p nh, not folded. */
static inline uint32_t
fuzz_ph6(const uint8_t *ip, uint32_t ulen, uint8_t nh)
{
	uint32_t ph = (ulen >> 16) + (ulen & 0xffff) + nh;

	for (unsigned int i = 8; i < 40; i += 2)
		ph += fuzz_ld16(ip + i);
	return ph;
}

static inline bool
fuzz_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool
fuzz_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

/* The input, consumed from the front. */
struct fuzz_reader {
	const uint8_t *p;
	size_t left;
};

/* The next @p n bytes of the input into @p dst; false (nothing taken) if fewer are left. */
static inline bool
fuzz_take(struct fuzz_reader *r, uint8_t *dst, size_t n)
{
	if (r->left < n)
		return false;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return true;
}

/* @p len bytes into @p dst: what is left of the input, up to @p len, then @p pad. */
static inline void
fuzz_take_pad(struct fuzz_reader *r, uint8_t *dst, size_t len, uint8_t pad)
{
	size_t k = len < r->left ? len : r->left;

	memcpy(dst, r->p, k);
	r->p += k;
	r->left -= k;
	memset(dst + k, pad, len - k);
}

/* The Ethernet header (peer to us) and a 20-byte IPv4 header from @p peer_ip (network order)
 * of @p ip_len bytes, @p proto, DF if @p df, its checksum set. */
static inline void
fuzz_eth_ip4(uint8_t *f, uint32_t peer_ip, uint8_t proto, unsigned int ip_len, bool df)
{
	static const struct rte_ether_addr our_mac = FUZZ_OUR_MAC;
	uint8_t *ip = f + 14;

	memcpy(f, &our_mac, 6);
	memcpy(f + 6, fuzz_peer_mac, 6);
	fuzz_st16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	fuzz_st16(ip + 2, (uint16_t)ip_len);
	if (df)
		fuzz_st16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, &peer_ip, 4);
	memcpy(ip + 16, &(uint32_t){FUZZ_OUR_IP}, 4);
	fuzz_st16(ip + 10, (uint16_t)~fuzz_sum16(ip, 20, 0));
}

/* The Ethernet header (peer to us) and an IPv6 header from @p peer_ip6 to fuzz_our_ip6 with flow
 * label @p flow, next header @p nh, hop limit 64 and @p plen bytes of payload. */
static inline void
fuzz_eth_ip6(uint8_t *f, const uint8_t peer_ip6[16], uint32_t flow, uint8_t nh, unsigned int plen)
{
	static const struct rte_ether_addr our_mac = FUZZ_OUR_MAC;
	uint8_t *ip = f + 14;

	memcpy(f, &our_mac, 6);
	memcpy(f + 6, fuzz_peer_mac, 6);
	fuzz_st16(f + 12, 0x86dd);
	fuzz_st32(ip, 6u << 28 | (flow & 0xfffff));
	fuzz_st16(ip + 4, (uint16_t)plen);
	ip[6] = nh;
	ip[7] = 64;
	memcpy(ip + 8, peer_ip6, 16);
	memcpy(ip + 24, fuzz_our_ip6, 16);
}

/*
 * The options of a peer's segment from the input's 4 option bytes @p ob: MSS (bit 0, a length
 * of 3 with bit 7), window scale (bit 1), SACK-permitted (bit 2), timestamps (bit 3, after two
 * NOPs with bit 6) with TSval @p tsval moved by (int8)ob[2] seconds and TSecr @p tsecr, a SACK
 * block near @p sack_at (bit 4, moved by (int8)ob[3] x 100), an EOL first (bit 5), and with
 * bit 7 the padding an unknown kind cut short. Malformed and odd values on purpose.
 * Without timestamps ob[2] (their TSval delta) adds SACK blocks after the first, [l, l + 1000):
 * ob[2] & 3 more (as many as fit), block k at l - k x gap, gap = (ob[2] >> 2 & 31) x 100
 * (0: repeats, 1000: adjacent, more: holes between), and with bit 7 the second block is
 * [l - 500, l + 1500) instead: it holds the first, which RFC 2883 reads as a D-SACK. ob[2] = 0
 * is the single block of before.
 * @return their length, a multiple of 4, at most 40
 */
static inline unsigned int
fuzz_tcp_opts(uint8_t *o, const uint8_t ob[4], uint32_t tsval, uint32_t tsecr, uint32_t sack_at)
{
	static const uint16_t mss[8] = {1460, 536, 88, 0, 1, 8960, 65535, 1220};
	unsigned int n = 0;

	if (ob[0] & 0x20)
		o[n++] = 0; /* EOL first: nothing after counts */
	if (ob[0] & 0x01) {
		o[n++] = 2;
		o[n++] = (ob[0] & 0x80) ? 3 : 4;
		fuzz_st16(o + n, mss[ob[1] & 7]);
		n += 2;
	}
	if (ob[0] & 0x02) {
		o[n++] = 1;
		o[n++] = 3;
		o[n++] = 3;
		o[n++] = (uint8_t)(ob[1] >> 3); /* up to 31: past 14 is clamped */
	}
	if (ob[0] & 0x04) {
		o[n++] = 4;
		o[n++] = 2;
	}
	if (ob[0] & 0x08) {
		if (ob[0] & 0x40) {
			o[n++] = 1;
			o[n++] = 1;
		}
		o[n++] = 8;
		o[n++] = 10;
		fuzz_st32(o + n, tsval + (uint32_t)(int32_t)(int8_t)ob[2] * 1000);
		fuzz_st32(o + n + 4, tsecr);
		n += 8;
	}
	if ((ob[0] & 0x10) && n <= 28) {
		uint32_t l = sack_at + (uint32_t)(int32_t)(int8_t)ob[3] * 100;

		uint8_t *len = &o[n + 1];
		unsigned int k, more = (ob[0] & 0x08) ? 0 : ob[2] & 3u;
		uint32_t gap = (uint32_t)((ob[2] >> 2) & 31) * 100;

		o[n++] = 5;
		o[n++] = 10;
		fuzz_st32(o + n, l);
		fuzz_st32(o + n + 4, l + 1000);
		n += 8;
		for (k = 1; k <= more && n + 8 <= 40; k++) {
			uint32_t kl = (k == 1 && (ob[2] & 0x80)) ? l - 500 : l - k * gap;
			uint32_t kr = (k == 1 && (ob[2] & 0x80)) ? l + 1500 : kl + 1000;

			fuzz_st32(o + n, kl);
			fuzz_st32(o + n + 4, kr);
			n += 8;
			*len = (uint8_t)(*len + 8);
		}
	}
	while (n % 4)
		o[n++] = (ob[0] & 0x80) ? 0xfe : 0; /* malformed: an unknown kind cut short */
	return n;
}

#endif /* TCPD_FUZZ_FRAME_H */
