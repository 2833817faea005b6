/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hashed timer wheel (Varghese & Lauck, scheme 6).
 *
 * Each slot is a circular doubly linked list whose sentinel is a struct tcpd_timer, so an armed
 * timer always has non-NULL next/prev and unlinking needs neither the wheel nor the slot. The
 * wheel's structure, arming and cancelling are in tcpd_timer.h (inline), expiry here. A timer
 * lives in slot (expire & mask). A timer more than one revolution away shares its slot with
 * nearer ones and is skipped (its expiry compared) on each visit until its round comes: the
 * per-visit cost is the slot's population, which stays small when a revolution covers the common
 * timeouts (lib/tcp: 1 ms ticks, 4096 slots = 4 s covers RTOs; TIME-WAIT goes round a few times).
 *
 * Semantics of tcpd_timer_advance(w, now):
 * - The wheel's tick is the last tick whose timers have run. Arming with k ticks sets expire =
 *   tick + max(k, 1): a timer can never be due at a tick that has already been processed.
 * - Up to nb_slots ticks behind, every tick is visited in order and tcpd_timer_now() is that tick
 *   while its callbacks run; timers of one tick fire in the order they were armed. A timer re-armed
 *   from its callback is due at a later tick, so it fires at most once per tick: again in the same
 *   call if that tick is still <= now (a periodic timer catches up once per period), otherwise at
 *   a later call.
 * - Further behind than that (the lcore stalled), each slot is visited once and every timer with
 *   expire <= now fires, in slot order; the wheel's tick is already @p now while they run, so
 *   whatever they re-arm is due after now and waits for a later call. Work is bounded by
 *   nb_slots + the number of armed timers, however far time jumped.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_branch_prediction.h>

#include "tcpd_timer.h"

/* Largest wheel: 2^24 slots * 24 B = 384 MiB; anything larger is a configuration mistake. */
#define TCPD_TIMER_MAX_SLOTS (1u << 24)

/*
 * Plain calloc-style allocation rather than rte_zmalloc_socket: the wheel is created once on the
 * control path, its hot part (the slots being armed and visited) lives in the owning lcore's cache
 * whatever NUMA node backs it, and unit tests (and any tool) can use it without EAL. socket_id is
 * accepted for symmetry with the other per-lcore objects and deliberately unused.
 */
struct tcpd_timer_wheel *
tcpd_timer_wheel_create(uint32_t nb_slots, uint64_t now, int socket_id)
{
	struct tcpd_timer_wheel *w;
	uint32_t n;
	size_t sz;

	RTE_SET_USED(socket_id);
	if (nb_slots == 0 || nb_slots > TCPD_TIMER_MAX_SLOTS) {
		errno = EINVAL;
		return NULL;
	}
	n = rte_align32pow2(nb_slots);
	sz = RTE_ALIGN_CEIL(sizeof(*w) + (size_t)n * sizeof(w->slot[0]), RTE_CACHE_LINE_SIZE);
	w = aligned_alloc(RTE_CACHE_LINE_SIZE, sz);
	if (w == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	memset(w, 0, sz);
	w->now = now;
	w->mask = n - 1;
	for (uint32_t i = 0; i < n; i++)
		w->slot[i].next = w->slot[i].prev = &w->slot[i];
	return w;
}

void
tcpd_timer_wheel_free(struct tcpd_timer_wheel *w)
{
	free(w);
}

/*
 * Fire the timers of @p head due at or before @p limit, at most @p budget of them. The slot is
 * first moved onto a local list so that callbacks can arm, re-arm or cancel any timer (this one,
 * others in the same slot) without invalidating the walk: whatever they link goes into the slot
 * proper and is not seen by this pass; whatever they cancel from the local list simply disappears
 * from it. When the budget runs out, what is left of the local list goes back to the front of
 * the slot, in order, and *more is set.
 */
static unsigned int
timer_run_slot(struct tcpd_timer_wheel *w, struct tcpd_timer *head, uint64_t limit,
	       tcpd_timer_cb cb, void *arg, unsigned int budget, bool *more)
{
	struct tcpd_timer local, *t;
	unsigned int fired = 0;

	if (head->next == head)
		return 0;
	local.next = head->next;
	local.prev = head->prev;
	local.next->prev = &local;
	local.prev->next = &local;
	head->next = head->prev = head;

	while (local.next != &local) {
		if (unlikely(fired == budget)) {
			/* splice local's remainder in front of the slot's list */
			local.prev->next = head->next;
			head->next->prev = local.prev;
			head->next = local.next;
			local.next->prev = head;
			*more = true;
			break;
		}
		t = local.next;
		tcpd_timer_unlink_(t);
		if (tcpd_timer_expire(t) > limit) {
			/* a later round of the same slot */
			tcpd_timer_link_tail_(head, t);
			continue;
		}
		t->next = t->prev = NULL;
		w->count--;
		fired++;
		cb(t, arg);
	}
	return fired;
}

unsigned int
tcpd_timer_advance(struct tcpd_timer_wheel *w, uint64_t now, tcpd_timer_cb cb, void *arg)
{
	return tcpd_timer_advance_budget(w, now, cb, arg, UINT_MAX);
}

unsigned int
tcpd_timer_advance_budget(struct tcpd_timer_wheel *w, uint64_t now, tcpd_timer_cb cb, void *arg,
			  unsigned int budget)
{
	unsigned int fired = 0;
	bool more = false;
	uint64_t from;

	if (unlikely(now >= TCPD_TIMER_NEVER))
		now = TCPD_TIMER_NEVER - 1; /* "never" stays in the future */
	if (now <= w->now)
		return 0;
	if (w->count == 0) {
		/* Nothing armed: nothing to visit (the common case on an idle lcore). */
		w->now = now;
		return 0;
	}
	if (now - w->now > w->mask) {
		/* Stalled for a revolution or more: one visit per slot. */
		from = w->now;
		w->now = now;
		for (uint64_t i = 1; i <= w->mask + 1; i++)
			fired += timer_run_slot(w, &w->slot[(from + i) & w->mask], now, cb, arg,
						UINT_MAX, &more);
		return fired;
	}
	while (w->now < now) {
		w->now++;
		fired += timer_run_slot(w, &w->slot[w->now & w->mask], w->now, cb, arg,
					budget - fired, &more);
		if (unlikely(more)) {
			/* Out of budget inside this tick: step back so that the next call resumes
			 * it. Timers its callbacks armed are due after it and stay where they are. */
			w->now--;
			break;
		}
	}
	return fired;
}
