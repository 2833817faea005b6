/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_FUZZ_COMMON_H
#define TCPD_FUZZ_COMMON_H

/*
 * Invariant checks of the fuzz targets. A violation prints what broke and aborts, so libFuzzer
 * saves the input. A violation tagged with a known, still open bug (the tag listed in the
 * environment variable TCPD_FUZZ_KNOWN, comma separated) is printed once and tolerated, so that
 * the short run of the test command stays green while the bug is open; its regression input is
 * replayed without that variable and expected to fail (tests/fuzz/regressions/KNOWN).
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline bool
fuzz_known(const char *tag)
{
	const char *k = getenv("TCPD_FUZZ_KNOWN");
	size_t n = strlen(tag);

	while (tag[0] != '\0' && k != NULL && *k != '\0') {
		if (strncmp(k, tag, n) == 0 && (k[n] == '\0' || k[n] == ','))
			return true;
		k = strchr(k, ',');
		if (k != NULL)
			k++;
	}
	return false;
}

__attribute__((format(printf, 3, 4))) static inline void
fuzz_fail(const char *tag, unsigned int line, const char *fmt, ...)
{
	static unsigned int known_seen;
	va_list ap;

	if (fuzz_known(tag)) {
		if (known_seen++ == 0)
			fprintf(stderr, "fuzz: known open bug '%s' seen (tolerated)\n", tag);
		return;
	}
	fprintf(stderr, "fuzz: invariant violated (line %u%s%s): ", line, tag[0] ? ", " : "", tag);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Big-endian 16-bit load. */
static inline uint16_t
fuzz_ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
fuzz_ld32(const uint8_t *p)
{
	return (uint32_t)fuzz_ld16(p) << 16 | fuzz_ld16(p + 2);
}

/* Ones' complement sum of @p len bytes plus @p init, folded, not inverted (0xffff: valid). */
static inline uint16_t
fuzz_sum16(const uint8_t *p, uint32_t len, uint32_t init)
{
	uint32_t s = init, i;

	for (i = 0; i + 1 < len; i += 2)
		s += fuzz_ld16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Check @p cond; @p tag names a known bug ("" for none). */
#define FUZZ_CHECK(cond, tag, ...)                                                                 \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_fail(tag, __LINE__, __VA_ARGS__);                                     \
	} while (0)

#endif /* TCPD_FUZZ_COMMON_H */
