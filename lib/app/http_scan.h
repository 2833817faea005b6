/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef HTTP_SCAN_H
#define HTTP_SCAN_H

/**
 * @file
 * The search for a line's LF, shared by the server's request parser (http.c) and the client's
 * response parser (http_client.c). A header line is short: libc's memchr cost more in its call
 * (the caller's loop registers spilled around it) than in its scan, so the scan is inline.
 */

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <rte_branch_prediction.h>

/**
 * The offset of the first LF in @p data from @p i, 16 bytes a compare (SSE2; memchr below 16
 * bytes or without SSE2). Nothing outside [0, @p len) is read: the last bytes compared are the
 * 16 that end @p data, their bits before @p i dropped.
 *
 * @param data
 *   The segment's bytes.
 * @param i
 *   Where the search starts (i <= len).
 * @param len
 *   The segment's length.
 * @return
 *   The LF's offset in @p data, or @p len if there is none from @p i.
 */
static inline uint32_t
http_find_lf(const uint8_t *data, uint32_t i, uint32_t len)
{
#if defined(__SSE2__)
	const __m128i lf = _mm_set1_epi8('\n');
	uint32_t m;

	if (likely(len >= 16)) {
		for (; i + 16 <= len; i += 16) {
			m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)(data + i)), lf));
			if (m != 0)
				return i + (uint32_t)__builtin_ctz(m);
		}
		if (i == len)
			return len;
		m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(data + len - 16)), lf));
		m >>= 16 - (len - i);
		return m != 0 ? i + (uint32_t)__builtin_ctz(m) : len;
	}
#endif
	const uint8_t *nl = memchr(data + i, '\n', len - i);

	return nl != NULL ? (uint32_t)(nl - data) : len;
}

/**
 * The LFs of a header block, 64 bytes at a time, for a parser that takes its lines one after the
 * other (each from the byte after the last LF it was given): a line then costs a bit search, not
 * a scan of its own. Nothing outside [start, end) is read.
 */
struct http_lf_scan {
	const uint8_t *base; /**< the 64 bytes whose LFs are in mask */
	const uint8_t *end;  /**< the segment's end */
	uint64_t mask;	     /**< LFs at base + bit not handed out yet */
	int wide;	     /**< 1: 64-byte masks; 0: the segment is shorter, http_find_lf */
	int last;	     /**< mask holds the segment's last LFs */
};

#if defined(__SSE2__)
/* The LFs among the 64 bytes at @p p, as bits. */
static inline uint64_t
http_lf_mask64(const uint8_t *p)
{
	const __m128i lf = _mm_set1_epi8('\n');
	uint64_t m = 0;

	for (int k = 0; k < 4; k++)
		m |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
			     _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k)), lf))
		     << (16 * k);
	return m;
}
#endif

/**
 * Start a scan of the lines from @p start to @p end.
 */
static inline void
http_lf_scan_init(struct http_lf_scan *s, const uint8_t *start, const uint8_t *end)
{
	s->base = start;
	s->end = end;
	s->mask = 0;
	s->last = 0;
#if defined(__SSE2__)
	s->wide = end - start >= 64;
	if (s->wide)
		s->mask = http_lf_mask64(start);
#else
	s->wide = 0;
#endif
}

/**
 * The next LF from @p p, the byte after the LF this scan handed out last (or its start).
 *
 * @return
 *   The LF, or the segment's end if there is none.
 */
static inline const uint8_t *
http_lf_next(struct http_lf_scan *s, const uint8_t *p)
{
	const uint8_t *lf;

	if (unlikely(!s->wide))
		return p + http_find_lf(p, 0, (uint32_t)(s->end - p));
#if defined(__SSE2__)
	while (s->mask == 0) {
		uint32_t n;

		if (s->last)
			return s->end;
		s->base += 64;
		n = (uint32_t)(s->end - s->base);
		if (n >= 64) {
			s->mask = http_lf_mask64(s->base);
		} else {
			/* the segment's last 64 bytes, the bits before base dropped */
			s->last = 1;
			if (n > 0)
				s->mask = http_lf_mask64(s->end - 64) >> (64 - n);
		}
	}
#endif
	lf = s->base + __builtin_ctzll(s->mask);
	s->mask &= s->mask - 1;
	return lf;
}

#endif /* HTTP_SCAN_H */
