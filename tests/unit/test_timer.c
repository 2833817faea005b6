/* SPDX-License-Identifier: BSD-3-Clause */
/* Timer wheel with a fake clock; no EAL (the wheel is plain aligned_alloc). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcpd_timer.h" /* RTE_DIM from rte_common.h: no EAL needed */

/* A timer embedded in an object, as in struct tcpd_tcb. */
struct obj {
	int id;
	struct tcpd_timer tm;
};

#define MAX_LOG 4096

/* What the callback saw: which object, at which wheel tick, in which order. */
struct log {
	struct tcpd_timer_wheel *w;
	unsigned int n;
	int id[MAX_LOG];
	uint64_t tick[MAX_LOG];
	/* re-arm behaviour */
	int rearm_id;			 /* object to re-arm from its own callback, -1 for none */
	uint64_t rearm_ticks;		 /* with this delay */
	int rearm_left;			 /* how many more times */
	struct tcpd_timer *cancel_other; /* cancel this timer from the first callback */
};

static struct obj *
obj_of(struct tcpd_timer *t)
{
	return (struct obj *)((char *)t - offsetof(struct obj, tm));
}

static void
cb_log(struct tcpd_timer *t, void *arg)
{
	struct log *l = arg;
	struct obj *o = obj_of(t);

	/* The callback gets an unlinked timer. */
	assert_false(tcpd_timer_armed(t));
	assert_true(l->n < MAX_LOG);
	l->id[l->n] = o->id;
	l->tick[l->n] = tcpd_timer_now(l->w);
	l->n++;
	if (l->cancel_other != NULL) {
		tcpd_timer_cancel(l->w, l->cancel_other);
		l->cancel_other = NULL;
	}
	if (o->id == l->rearm_id && l->rearm_left > 0) {
		l->rearm_left--;
		tcpd_timer_arm(l->w, t, l->rearm_ticks);
	}
}

static struct tcpd_timer_wheel *
wheel(uint32_t slots, uint64_t now, struct log *l)
{
	struct tcpd_timer_wheel *w = tcpd_timer_wheel_create(slots, now, 0);

	assert_non_null(w);
	memset(l, 0, sizeof(*l));
	l->w = w;
	l->rearm_id = -1;
	return w;
}

static void
test_create_args(void **state)
{
	struct tcpd_timer_wheel *w;

	(void)state;
	errno = 0;
	assert_null(tcpd_timer_wheel_create(0, 0, 0));
	assert_int_equal(errno, EINVAL);
	w = tcpd_timer_wheel_create(1000, 77, 0); /* rounded up to 1024 */
	assert_non_null(w);
	assert_int_equal(tcpd_timer_now(w), 77);
	assert_int_equal(tcpd_timer_count(w), 0);
	tcpd_timer_wheel_free(w);
	tcpd_timer_wheel_free(NULL);
}

/* Expiry happens exactly at now + ticks, not a tick earlier; count follows arm and expiry. */
static void
test_expire_exact_tick(void **state)
{
	static struct log l;
	struct tcpd_timer_wheel *w = wheel(64, 1000, &l);
	struct obj a = {.id = 1}, b = {.id = 2};

	(void)state;
	tcpd_timer_init(&a.tm);
	tcpd_timer_init(&b.tm);
	tcpd_timer_arm(w, &a.tm, 5);
	tcpd_timer_arm(w, &b.tm, 0); /* 0 means the next tick */
	assert_true(tcpd_timer_armed(&a.tm));
	assert_int_equal(tcpd_timer_expire(&a.tm), 1005);
	assert_int_equal(tcpd_timer_expire(&b.tm), 1001);
	assert_int_equal(tcpd_timer_count(w), 2);

	assert_int_equal(tcpd_timer_advance(w, 1000, cb_log, &l), 0); /* no time passed */
	assert_int_equal(tcpd_timer_advance(w, 999, cb_log, &l), 0);  /* backwards: ignored */
	assert_int_equal(tcpd_timer_now(w), 1000);
	assert_int_equal(tcpd_timer_advance(w, 1001, cb_log, &l), 1);
	assert_int_equal(l.id[0], 2);
	assert_int_equal(l.tick[0], 1001);
	assert_int_equal(tcpd_timer_advance(w, 1004, cb_log, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(tcpd_timer_count(w), 1);
	assert_int_equal(tcpd_timer_advance(w, 1005, cb_log, &l), 1);
	assert_int_equal(l.id[1], 1);
	assert_int_equal(l.tick[1], 1005);
	assert_false(tcpd_timer_armed(&a.tm));
	assert_int_equal(tcpd_timer_count(w), 0);
	assert_int_equal(tcpd_timer_now(w), 1005);
	tcpd_timer_wheel_free(w);
}

static void
test_cancel(void **state)
{
	static struct log l;
	struct tcpd_timer_wheel *w = wheel(16, 0, &l);
	struct obj a = {.id = 1}, b = {.id = 2}, c = {.id = 3}, never = {.id = 4};

	(void)state;
	tcpd_timer_init(&a.tm);
	tcpd_timer_init(&b.tm);
	tcpd_timer_init(&c.tm);
	tcpd_timer_init(&never.tm);
	/* three in one slot: cancel the middle one, then the head */
	tcpd_timer_arm(w, &a.tm, 3);
	tcpd_timer_arm(w, &b.tm, 3);
	tcpd_timer_arm(w, &c.tm, 3);
	tcpd_timer_cancel(w, &b.tm);
	assert_false(tcpd_timer_armed(&b.tm));
	assert_int_equal(tcpd_timer_count(w), 2);
	tcpd_timer_cancel(w, &b.tm);	 /* twice: harmless */
	tcpd_timer_cancel(w, &never.tm); /* never armed: harmless */
	assert_int_equal(tcpd_timer_count(w), 2);
	tcpd_timer_cancel(w, &a.tm);
	assert_int_equal(tcpd_timer_count(w), 1);
	assert_int_equal(tcpd_timer_advance(w, 100, cb_log, &l), 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], 3);
	tcpd_timer_cancel(w, &c.tm); /* already fired: harmless */
	assert_int_equal(tcpd_timer_count(w), 0);
	tcpd_timer_wheel_free(w);
}

/* Re-arming an armed timer moves it (no duplicate, count unchanged), earlier or later. */
static void
test_rearm_moves(void **state)
{
	static struct log l;
	struct tcpd_timer_wheel *w = wheel(32, 50, &l);
	struct obj a = {.id = 1};

	(void)state;
	tcpd_timer_init(&a.tm);
	tcpd_timer_arm(w, &a.tm, 10);
	tcpd_timer_arm(w, &a.tm, 20);
	assert_int_equal(tcpd_timer_count(w), 1);
	assert_int_equal(tcpd_timer_advance(w, 69, cb_log, &l), 0);
	tcpd_timer_arm(w, &a.tm, 2); /* from tick 69: due at 71 */
	assert_int_equal(tcpd_timer_count(w), 1);
	assert_int_equal(tcpd_timer_advance(w, 70, cb_log, &l), 0);
	assert_int_equal(tcpd_timer_advance(w, 80, cb_log, &l), 1);
	assert_int_equal(l.tick[0], 71);
	assert_int_equal(tcpd_timer_advance(w, 200, cb_log, &l), 0);
	assert_int_equal(l.n, 1);
	tcpd_timer_wheel_free(w);
}

/* Expiries beyond one revolution wait for their round, also across the 2^32 tick boundary. */
static void
test_wraparound(void **state)
{
	static struct log l;
	const uint64_t start = (1ull << 32) - 10;
	struct tcpd_timer_wheel *w = wheel(8, start, &l);
	struct obj a = {.id = 1}, b = {.id = 2}, c = {.id = 3};

	(void)state;
	tcpd_timer_init(&a.tm);
	tcpd_timer_init(&b.tm);
	tcpd_timer_init(&c.tm);
	tcpd_timer_arm(w, &a.tm, 8 * 3 + 1); /* three revolutions and a tick */
	tcpd_timer_arm(w, &b.tm, 1);	     /* same slot, first round */
	tcpd_timer_arm(w, &c.tm, 12);	     /* crosses 2^32 */
	assert_int_equal(tcpd_timer_expire(&a.tm) & 7, tcpd_timer_expire(&b.tm) & 7);
	for (uint64_t now = start + 1; now <= start + 30; now++)
		tcpd_timer_advance(w, now, cb_log, &l);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.id[0], 2);
	assert_int_equal(l.tick[0], start + 1);
	assert_int_equal(l.id[1], 3);
	assert_int_equal(l.tick[1], (1ull << 32) + 2);
	assert_int_equal(l.id[2], 1);
	assert_int_equal(l.tick[2], start + 25);
	assert_int_equal(tcpd_timer_count(w), 0);

	/* And far beyond 2^32: nothing in the wheel is 32-bit. */
	tcpd_timer_arm(w, &a.tm, 5ull << 32);
	assert_int_equal(tcpd_timer_advance(w, start + 30 + (5ull << 32) - 1, cb_log, &l), 0);
	assert_int_equal(tcpd_timer_advance(w, start + 30 + (5ull << 32), cb_log, &l), 1);
	assert_int_equal(l.tick[3], start + 30 + (5ull << 32));

	/* An absurd delay saturates instead of wrapping into the past. */
	tcpd_timer_arm(w, &b.tm, UINT64_MAX);
	assert_int_equal(tcpd_timer_expire(&b.tm), TCPD_TIMER_NEVER);
	assert_int_equal(tcpd_timer_advance(w, UINT64_MAX - 1, cb_log, &l), 0);
	assert_int_equal(tcpd_timer_count(w), 1);
	tcpd_timer_wheel_free(w);
}

/* The owner's 16 bits beside the 48-bit expiry: kept through init, arm (saturated or not),
 * re-arm, cancel and expiry. */
static void
test_owner_bits(void **state)
{
	static struct log l;
	struct tcpd_timer_wheel *w = wheel(64, 1000, &l);
	struct obj a = {.id = 1};

	(void)state;
	a.tm.owner = 0xbeef;
	tcpd_timer_init(&a.tm);
	assert_int_equal(a.tm.owner, 0xbeef);
	tcpd_timer_arm(w, &a.tm, 5);
	tcpd_timer_arm(w, &a.tm, UINT64_MAX);
	assert_int_equal(tcpd_timer_expire(&a.tm), TCPD_TIMER_NEVER);
	assert_int_equal(a.tm.owner, 0xbeef);
	tcpd_timer_cancel(w, &a.tm);
	a.tm.owner = 0xffff;
	tcpd_timer_arm(w, &a.tm, 3);
	assert_int_equal(tcpd_timer_expire(&a.tm), 1003);
	assert_int_equal(tcpd_timer_advance(w, 1003, cb_log, &l), 1);
	assert_int_equal(a.tm.owner, 0xffff);
	tcpd_timer_wheel_free(w);
}

/* Many timers in one slot, different rounds: each fires at its own tick, same-tick ones FIFO. */
static void
test_one_slot_many_rounds(void **state)
{
	static struct log l;
	static struct obj o[100];
	struct tcpd_timer_wheel *w = wheel(16, 0, &l);

	(void)state;
	/* ids 0..99, delay 16 * (id % 10) + 3: ten rounds of slot 3, ten timers per round, armed
	 * interleaved so that each round's timers are not adjacent in the list */
	for (int i = 0; i < 100; i++) {
		o[i].id = i;
		tcpd_timer_init(&o[i].tm);
		tcpd_timer_arm(w, &o[i].tm, 16 * (i % 10) + 3);
	}
	assert_int_equal(tcpd_timer_count(w), 100);
	for (uint64_t now = 1; now <= 200; now++) {
		unsigned int before = l.n;
		unsigned int n = tcpd_timer_advance(w, now, cb_log, &l);

		assert_int_equal(n, l.n - before);
		if (now % 16 == 3 && now < 160)
			assert_int_equal(n, 10);
		else
			assert_int_equal(n, 0);
	}
	assert_int_equal(l.n, 100);
	for (unsigned int k = 0; k < 100; k++) {
		unsigned int round = k / 10, j = k % 10;

		assert_int_equal(l.tick[k], 16 * round + 3);
		assert_int_equal(l.id[k], 10 * j + round); /* arming order within the tick */
	}
	assert_int_equal(tcpd_timer_count(w), 0);
	tcpd_timer_wheel_free(w);
}

/* A jump of many revolutions visits each slot once and fires everything due, nothing early. */
static void
test_jump_many_revolutions(void **state)
{
	static struct log l;
	static struct obj o[64];
	struct tcpd_timer_wheel *w = wheel(16, 100, &l);
	struct obj late = {.id = 99};

	(void)state;
	for (int i = 0; i < 64; i++) {
		o[i].id = i;
		tcpd_timer_init(&o[i].tm);
		tcpd_timer_arm(w, &o[i].tm, 1 + 7 * i); /* spread over 28 revolutions */
	}
	tcpd_timer_init(&late.tm);
	tcpd_timer_arm(w, &late.tm, 1000); /* due at 1100: must survive the jump */
	assert_int_equal(tcpd_timer_advance(w, 100 + 16 * 1000 / 16 - 1, cb_log, &l), 64);
	assert_int_equal(tcpd_timer_now(w), 1099);
	assert_int_equal(tcpd_timer_count(w), 1);
	assert_true(tcpd_timer_armed(&late.tm));
	for (unsigned int k = 0; k < l.n; k++)
		assert_int_equal(l.tick[k], 1099); /* the wheel is already at the target */
	/* every object fired exactly once */
	for (int i = 0; i < 64; i++) {
		int seen = 0;

		for (unsigned int k = 0; k < l.n; k++)
			seen += l.id[k] == i;
		assert_int_equal(seen, 1);
		assert_false(tcpd_timer_armed(&o[i].tm));
	}
	assert_int_equal(tcpd_timer_advance(w, 1100, cb_log, &l), 1);
	assert_int_equal(l.id[64], 99);
	/* a huge jump with an empty wheel is free and lands on the target */
	assert_int_equal(tcpd_timer_advance(w, 1ull << 40, cb_log, &l), 0);
	assert_int_equal(tcpd_timer_now(w), 1ull << 40);
	tcpd_timer_wheel_free(w);
}

/*
 * Re-arming from the callback. A timer re-armed with 0 ticks is due at the tick after the one
 * being processed: one advance by one tick fires it once (no loop), and an advance over several
 * ticks fires it once per tick, at increasing ticks, like a periodic timer catching up.
 */
static void
test_callback_rearm(void **state)
{
	static struct log l;
	struct tcpd_timer_wheel *w = wheel(8, 0, &l);
	struct obj a = {.id = 1};

	(void)state;
	tcpd_timer_init(&a.tm);
	l.rearm_id = 1;
	l.rearm_ticks = 0;
	l.rearm_left = 1000;
	tcpd_timer_arm(w, &a.tm, 1);
	assert_int_equal(tcpd_timer_advance(w, 1, cb_log, &l), 1);
	assert_true(tcpd_timer_armed(&a.tm));
	assert_int_equal(tcpd_timer_expire(&a.tm), 2);
	assert_int_equal(tcpd_timer_count(w), 1);
	assert_int_equal(tcpd_timer_advance(w, 2, cb_log, &l), 1);
	assert_int_equal(tcpd_timer_advance(w, 6, cb_log, &l), 4);
	assert_int_equal(l.n, 6);
	for (unsigned int k = 0; k < l.n; k++)
		assert_int_equal(l.tick[k], k + 1);
	/* period of 3 ticks */
	l.rearm_ticks = 3;
	assert_int_equal(tcpd_timer_advance(w, 7, cb_log, &l), 1); /* due at 7, next at 10 */
	assert_int_equal(tcpd_timer_advance(w, 14, cb_log, &l),
			 2); /* 10 and 13 (7 ticks: per tick) */
	assert_int_equal(l.tick[7], 10);
	assert_int_equal(l.tick[8], 13);
	/* past a revolution: once, then due after the target */
	l.rearm_ticks = 0;
	assert_int_equal(tcpd_timer_advance(w, 100, cb_log, &l), 1);
	assert_int_equal(l.tick[9], 100);
	assert_int_equal(tcpd_timer_expire(&a.tm), 101);
	/* re-armed into the slot being visited (a full revolution away): not run twice */
	l.rearm_ticks = 8;
	assert_int_equal(tcpd_timer_advance(w, 101, cb_log, &l), 1);
	assert_int_equal(tcpd_timer_expire(&a.tm), 109);
	assert_int_equal(tcpd_timer_advance(w, 108, cb_log, &l), 0);
	l.rearm_left = 0;
	assert_int_equal(tcpd_timer_advance(w, 109, cb_log, &l), 1);
	assert_false(tcpd_timer_armed(&a.tm));
	assert_int_equal(tcpd_timer_count(w), 0);
	tcpd_timer_wheel_free(w);
}

/* A callback may cancel another timer due in the same slot and tick: it must not fire. */
static void
test_callback_cancels_neighbour(void **state)
{
	static struct log l;
	struct tcpd_timer_wheel *w = wheel(8, 0, &l);
	struct obj a = {.id = 1}, b = {.id = 2}, c = {.id = 3};

	(void)state;
	tcpd_timer_init(&a.tm);
	tcpd_timer_init(&b.tm);
	tcpd_timer_init(&c.tm);
	tcpd_timer_arm(w, &a.tm, 4);
	tcpd_timer_arm(w, &b.tm, 4);
	tcpd_timer_arm(w, &c.tm, 4);
	l.cancel_other = &b.tm;
	assert_int_equal(tcpd_timer_advance(w, 4, cb_log, &l), 2);
	assert_int_equal(l.id[0], 1);
	assert_int_equal(l.id[1], 3);
	assert_false(tcpd_timer_armed(&b.tm));
	assert_int_equal(tcpd_timer_count(w), 0);
	tcpd_timer_wheel_free(w);
}

/* Random arm/cancel/re-arm against a reference model: every timer fires exactly at expiry. */
static void
test_random_against_model(void **state)
{
	enum {
		N = 2000
	};
	static struct log l;
	static struct obj o[N];
	static uint64_t due[N]; /* 0: not armed */
	struct tcpd_timer_wheel *w = wheel(64, 12345, &l);
	uint64_t now = 12345, armed = 0;
	unsigned int seen = 0;

	(void)state;
	srand(7);
	for (int i = 0; i < N; i++) {
		o[i].id = i;
		tcpd_timer_init(&o[i].tm);
	}
	for (int step = 0; step < 20000; step++) {
		int i = rand() % N;
		int op = rand() % 4;

		if (op < 2) {
			uint64_t d = (uint64_t)(rand() % 500);

			tcpd_timer_arm(w, &o[i].tm, d);
			armed += due[i] == 0;
			due[i] = now + (d ? d : 1);
		} else if (op == 2) {
			tcpd_timer_cancel(w, &o[i].tm);
			armed -= due[i] != 0;
			due[i] = 0;
		} else {
			uint64_t to = now + (uint64_t)(rand() % (step % 50 == 0 ? 300 : 4));

			l.n = 0;
			tcpd_timer_advance(w, to, cb_log, &l);
			for (unsigned int k = 0; k < l.n; k++) {
				int id = l.id[k];

				assert_int_not_equal(due[id], 0);
				assert_true(due[id] <= to);
				/* per-tick mode fires at the exact tick; a jump at the target */
				if (to - now < 64)
					assert_int_equal(l.tick[k], due[id]);
				due[id] = 0;
				armed--;
				seen++;
			}
			now = to;
			for (int j = 0; j < N; j++)
				if (due[j] != 0)
					assert_true(due[j] > now);
		}
		assert_int_equal(tcpd_timer_count(w), armed);
	}
	assert_true(seen > 1000);
	tcpd_timer_wheel_free(w);
}

/*
 * A budget bounds the work of one call: 10 timers due at tick 5, 3 at tick 6 and one re-armed
 * from its callback, advanced with a budget of 4 per call. Each call fires exactly
 * min(budget, due); the wheel's tick stays before an unfinished tick; the order (arming order
 * within a tick, ticks in order) is the same as without a budget; nothing is lost or repeated.
 */
static void
test_budget(void **state)
{
	static struct log l;
	static struct obj o[13];
	struct tcpd_timer_wheel *w = wheel(64, 0, &l);
	static const unsigned int want_fired[] = {4, 4, 4, 2, 0};
	static const uint64_t want_now[] = {4, 4, 5, 6, 6};

	(void)state;
	for (int i = 0; i < 13; i++) {
		o[i].id = i;
		tcpd_timer_init(&o[i].tm);
		tcpd_timer_arm(w, &o[i].tm, i < 10 ? 5 : 6);
	}
	/* id 2 re-arms itself once, 1 tick later: due at 6, after the three armed for 6 */
	l.rearm_id = 2;
	l.rearm_ticks = 1;
	l.rearm_left = 1;
	for (unsigned int k = 0; k < RTE_DIM(want_fired); k++) {
		assert_int_equal(tcpd_timer_advance_budget(w, 6, cb_log, &l, 4), want_fired[k]);
		assert_int_equal(tcpd_timer_now(w), want_now[k]);
	}
	assert_int_equal(l.n, 14);
	assert_int_equal(tcpd_timer_count(w), 0);
	for (unsigned int k = 0; k < 10; k++) {
		assert_int_equal(l.id[k], (int)k);
		assert_int_equal(l.tick[k], 5);
	}
	assert_int_equal(l.id[10], 10);
	assert_int_equal(l.id[11], 11);
	assert_int_equal(l.id[12], 12);
	assert_int_equal(l.id[13], 2);
	for (unsigned int k = 10; k < 14; k++)
		assert_int_equal(l.tick[k], 6);
	/* budget 0 makes no progress on a due tick and loses nothing */
	tcpd_timer_arm(w, &o[0].tm, 1);
	assert_int_equal(tcpd_timer_advance_budget(w, 7, cb_log, &l, 0), 0);
	assert_int_equal(tcpd_timer_now(w), 6);
	assert_int_equal(tcpd_timer_advance_budget(w, 7, cb_log, &l, 1), 1);
	assert_int_equal(l.id[14], 0);
	assert_int_equal(tcpd_timer_now(w), 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_args),
		cmocka_unit_test(test_expire_exact_tick),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_rearm_moves),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_owner_bits),
		cmocka_unit_test(test_one_slot_many_rounds),
		cmocka_unit_test(test_jump_many_revolutions),
		cmocka_unit_test(test_callback_rearm),
		cmocka_unit_test(test_callback_cancels_neighbour),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_budget),
	};

	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
