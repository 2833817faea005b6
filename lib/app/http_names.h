/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef HTTP_NAMES_H
#define HTTP_NAMES_H

/*
 * Header field names compared eight bytes at a time, in any case (RFC 9110 5.1: field names are
 * case-insensitive), for the server's request parser (http.c) and the client's response parser
 * (http_client.c). The caller makes sure the name's bytes are there.
 */

#include <stdint.h>
#include <string.h>

/* The 8 bytes at @p p, any alignment (a string literal's fold to a constant). */
static inline uint64_t
http_load8(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Whether the 8 bytes at @p p equal @p lc (lower case) with letters in either case: 0x20 is set in
 * the mask only where @p lc has a letter, so a byte there matches only that letter in either case
 * (no other byte becomes a lower-case letter under | 0x20), and the others are compared as they
 * are.
 */
static inline int
http_word_ci(const void *p, const char *lc, const char *mask)
{
	return (http_load8(p) | http_load8(mask)) == http_load8(lc);
}

/* The 11 bytes at @p d are "connection:" (two overlapping 64-bit loads). */
static inline int
http_is_connection(const void *d)
{
	const uint8_t *p = d;

	return http_word_ci(p, "connecti", "\x20\x20\x20\x20\x20\x20\x20\x20") &&
	       http_word_ci(p + 3, "nection:", "\x20\x20\x20\x20\x20\x20\x20\0");
}

/* The 15 bytes at @p d are "content-length:". */
static inline int
http_is_content_length(const void *d)
{
	const uint8_t *p = d;

	return http_word_ci(p, "content-", "\x20\x20\x20\x20\x20\x20\x20\0") &&
	       http_word_ci(p + 7, "-length:", "\0\x20\x20\x20\x20\x20\x20\0");
}

/* The 18 bytes at @p d are "transfer-encoding:". */
static inline int
http_is_transfer_encoding(const void *d)
{
	const uint8_t *p = d;

	return http_word_ci(p, "transfer", "\x20\x20\x20\x20\x20\x20\x20\x20") &&
	       http_word_ci(p + 8, "-encodin", "\0\x20\x20\x20\x20\x20\x20\x20") &&
	       http_word_ci(p + 10, "ncoding:", "\x20\x20\x20\x20\x20\x20\x20\0");
}

/* The 4 bytes at @p p equal @p lc with letters in either case (@p mask as http_word_ci's). */
static inline int
http_word4_ci(const void *p, const char *lc, const char *mask)
{
	uint32_t v, l, m;

	memcpy(&v, p, 4);
	memcpy(&l, lc, 4);
	memcpy(&m, mask, 4);
	return (v | m) == l;
}

/* The 7 bytes at @p d are "expect:" (two overlapping 32-bit loads). */
static inline int
http_is_expect(const void *d)
{
	const uint8_t *p = d;

	return http_word4_ci(p, "expe", "\x20\x20\x20\x20") &&
	       http_word4_ci(p + 3, "ect:", "\x20\x20\x20\0");
}

#endif /* HTTP_NAMES_H */
