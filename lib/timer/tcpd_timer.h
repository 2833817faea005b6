/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TIMER_H
#define TCPD_TIMER_H

/**
 * @file
 * Per-lcore hashed timer wheel (Varghese & Lauck): O(1) arm, cancel and per-tick expiry.
 *
 * Written by hand because rte_timer costs 120 bytes and an O(log n) skip-list insert per timer,
 * too much for one timer per connection at millions of connections. The timer node is intrusive
 * (embedded in the connection), so arming never allocates. Not thread safe: one wheel per lcore.
 *
 * Time is counted in ticks of a fixed length chosen by the caller (lib/tcp uses 1 ms ticks derived
 * from rte_rdtsc); the wheel never reads a clock itself, which keeps it testable with a fake one.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

/**
 * The last tick a timer can be due at: a longer delay saturates here and means "never", and the
 * wheel's clock stops one tick short of it. 48 bits of 1 ms ticks are 8,900 years.
 */
#define TCPD_TIMER_NEVER ((UINT64_C(1) << 48) - 1)

/**
 * Intrusive timer node; zero it (or call tcpd_timer_init) before first use.
 *
 * The expiry is 48 bits in two plain fields and the owner's 16 bits a plain one, not bitfields of
 * one word: arming then stores the expiry (a 32-bit and a 16-bit store) without reading the word
 * back to keep the owner's bits (a bitfield's read-modify-write, on every arm).
 */
struct tcpd_timer {
	struct tcpd_timer *next;
	struct tcpd_timer *prev; /**< NULL when not armed */
	uint32_t expire_lo;	 /**< absolute tick (tcpd_timer_expire), bits 0-31 */
	uint16_t expire_hi;	 /**< and bits 32-47: at most TCPD_TIMER_NEVER */
	/**
	 * The owner's: the wheel never reads or writes it, nor does tcpd_timer_init. It fills the
	 * word of a tick counter that needs no more than 48 bits (lib/tcp keeps the receive window
	 * it offered here, struct tcpd_tcb has no other room).
	 */
	uint16_t owner;
};

_Static_assert(
	sizeof(struct tcpd_timer) == 2 * sizeof(void *) + 8 &&
		offsetof(struct tcpd_timer, expire_hi) ==
			offsetof(struct tcpd_timer, expire_lo) + 4 &&
		offsetof(struct tcpd_timer, owner) == offsetof(struct tcpd_timer, expire_lo) + 6,
	"expire_lo, expire_hi and owner fill one 64-bit word in that order (tcpd_timer_expire)");

/** The absolute tick @p t is (or was last) due at. */
static inline uint64_t
tcpd_timer_expire(const struct tcpd_timer *t)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	/* the expiry's word is the low 48 bits of the third: one load and a mask */
	memcpy(&w, &t->expire_lo, sizeof(w));
	return w & TCPD_TIMER_NEVER;
#else
	return (uint64_t)t->expire_hi << 32 | t->expire_lo;
#endif
}

/*
 * The wheel, in the header only so that arming, cancelling and reading the tick inline into the
 * fast path (each connection arms its timer on every ACK of new data): its fields are timer.c's.
 * Each slot is a circular doubly linked list whose sentinel is a struct tcpd_timer.
 */
struct tcpd_timer_wheel {
	uint64_t now;				      /* last tick processed */
	uint64_t count;				      /* armed timers */
	uint64_t mask;				      /* nb_slots - 1 */
	struct tcpd_timer slot[] __rte_cache_aligned; /* list sentinels */
};

/** Called for each expired timer, already unlinked (it may re-arm itself). */
typedef void (*tcpd_timer_cb)(struct tcpd_timer *t, void *arg);

/**
 * Create a wheel of @p nb_slots slots (rounded up to a power of two), starting at tick @p now.
 * Timers further than nb_slots ticks away stay in their slot for extra rounds.
 * @return the wheel, or NULL (errno set) if memory is short
 */
struct tcpd_timer_wheel *tcpd_timer_wheel_create(uint32_t nb_slots, uint64_t now, int socket_id);

/** Free a wheel (armed timers are forgotten, not called). */
void tcpd_timer_wheel_free(struct tcpd_timer_wheel *w);

/** Make @p t an unarmed timer. */
static inline void
tcpd_timer_init(struct tcpd_timer *t)
{
	t->next = t->prev = 0;
	t->expire_lo = 0;
	t->expire_hi = 0;
}

/** True if @p t is armed. */
static inline bool
tcpd_timer_armed(const struct tcpd_timer *t)
{
	return t->prev != 0;
}

/* The slot lists' two operations, for the inline arm and cancel and for timer.c's expiry. */
static inline void
tcpd_timer_link_tail_(struct tcpd_timer *head, struct tcpd_timer *t)
{
	t->next = head;
	t->prev = head->prev;
	head->prev->next = t;
	head->prev = t;
}

static inline void
tcpd_timer_unlink_(struct tcpd_timer *t)
{
	t->prev->next = t->next;
	t->next->prev = t->prev;
}

/** Arm (or re-arm) @p t to expire @p ticks from the wheel's current tick (0 means next tick). */
static inline void
tcpd_timer_arm(struct tcpd_timer_wheel *w, struct tcpd_timer *t, uint64_t ticks)
{
	uint64_t expire;

	ticks += ticks == 0;
	expire = w->now + ticks;
	/* Saturate: an absurd delay means "never", not a wrap into the past. */
	if (unlikely(expire < ticks || expire > TCPD_TIMER_NEVER))
		expire = TCPD_TIMER_NEVER;
	if (tcpd_timer_armed(t))
		tcpd_timer_unlink_(t);
	else
		w->count++;
	/* two stores, no read-modify-write of the owner's bits */
	t->expire_lo = (uint32_t)expire;
	t->expire_hi = (uint16_t)(expire >> 32);
	tcpd_timer_link_tail_(&w->slot[expire & w->mask], t);
}

/** Disarm @p t; harmless if it is not armed. */
static inline void
tcpd_timer_cancel(struct tcpd_timer_wheel *w, struct tcpd_timer *t)
{
	if (!tcpd_timer_armed(t))
		return;
	tcpd_timer_unlink_(t);
	t->next = t->prev = 0;
	w->count--;
}

/**
 * Advance the wheel to tick @p now, calling @p cb for every timer whose expiry is <= now.
 * @return the number of timers that expired
 */
unsigned int tcpd_timer_advance(struct tcpd_timer_wheel *w, uint64_t now, tcpd_timer_cb cb,
				void *arg);

/**
 * As tcpd_timer_advance, but fire at most @p budget timers: a poll loop must not spend a whole
 * burst's worth of time (or TX ring) on a mass expiry, such as the SYN-ACK retransmissions of a
 * full SYN queue. Timers left over stay due and fire, in order, at the next call; the wheel's
 * tick stops before the tick that was not finished. A wheel stalled for a full revolution or
 * more is caught up in one call regardless of the budget (see timer.c).
 * @return the number of timers that expired (<= budget, unless stalled)
 */
unsigned int tcpd_timer_advance_budget(struct tcpd_timer_wheel *w, uint64_t now, tcpd_timer_cb cb,
				       void *arg, unsigned int budget);

/** The wheel's current tick. */
static inline uint64_t
tcpd_timer_now(const struct tcpd_timer_wheel *w)
{
	return w->now;
}

/** Number of armed timers. */
static inline uint64_t
tcpd_timer_count(const struct tcpd_timer_wheel *w)
{
	return w->count;
}

#endif /* TCPD_TIMER_H */
