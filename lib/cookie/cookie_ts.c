/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SYN options carried in the low 6 bits of a cookie SYN-ACK's TSval, in Linux's layout
 * (cookie_init_timestamp / cookie_timestamp_decode, also netfilter SYNPROXY):
 *
 *   | 31 ... 6 timestamp |  5 ECN  |  4 SACK-permitted  |  3 .. 0 window scale, 0xF = none |
 *
 * There is no "timestamps on" bit: an ACK that carries a TS option had them negotiated. The
 * peer echoes our TSval in TSecr, unauthenticated; a forger can only pick options he could
 * have put in his own SYN.
 */
#include "tcpd_cookie.h"

#define TS_BITS	  6
#define TS_MASK	  ((1u << TS_BITS) - 1)
#define TS_WSCALE 0xFu
#define TS_SACK	  (1u << 4)
#define TS_ECN	  (1u << 5)
/* RFC 7323 §2.3: a shift count above 14 is used as 14. */
#define WSCALE_MAX 14

uint32_t
tcpd_cookie_ts_encode(uint32_t ts_now, const struct tcpd_cookie_opts *o)
{
	uint32_t opts = o->wscale;
	uint32_t ts;

	/* 0xF is "no window scale"; anything else above 14 is clamped (the parser should already
	 * have done so; 16..255 must not leak into the SACK/ECN bits). */
	if (opts > TS_WSCALE)
		opts = WSCALE_MAX;
	if (o->sack)
		opts |= TS_SACK;
	if (o->ecn)
		opts |= TS_ECN;
	ts = (ts_now & ~TS_MASK) | opts;
	/* Never ahead of our TS clock, so the TSvals that follow on the connection do not go
	 * backwards (RFC 7323 §5, PAWS). With ts_now < 64 this wraps below zero, which is still
	 * "before ts_now" in the modular timestamp arithmetic PAWS uses. */
	if (ts > ts_now)
		ts -= 1u << TS_BITS;
	return ts;
}

void
tcpd_cookie_ts_decode(uint32_t tsecr, struct tcpd_cookie_opts *o)
{
	o->wscale = tsecr & TS_WSCALE;
	o->sack = (tsecr & TS_SACK) != 0;
	o->ecn = (tsecr & TS_ECN) != 0;
}
