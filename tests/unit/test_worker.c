/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/worker's SYN admission control (tcpd_shed.h): exact admitted and shed counts for given
 * sequences of intervals. No EAL: the logic is plain arithmetic on the TSC values it is given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmocka.h>

#include "tcpd_shed.h"

#define PERIOD 1000 /* TSC cycles per interval in these tests */
#define BURST  32

/* One interval seen by a worker: @p full full RX bursts and @p partial non-empty ones, then
 * @p syns SYNs offered; the interval ends at the first burst of the next one. @return SYNs
 * admitted. @p opened: the completed-handshake counter at the end of the interval. */
struct run {
	struct tcpd_shed s;
	uint64_t now, opened;
};

static unsigned int
interval(struct run *r, unsigned int full, unsigned int partial, unsigned int syns,
	 uint64_t completed)
{
	unsigned int i, admitted = 0;

	for (i = 0; i < full; i++)
		tcpd_shed_burst(&r->s, BURST, BURST, r->now, r->opened);
	for (i = 0; i < partial; i++)
		tcpd_shed_burst(&r->s, 5, BURST, r->now, r->opened);
	for (i = 0; i < syns; i++)
		admitted += tcpd_shed_admit(&r->s);
	r->opened += completed;
	r->now += PERIOD; /* the next burst ends this interval */
	return admitted;
}

/* @p shed: SYN shedding on (else the saturation signal alone). */
static void
start(struct run *r, uint64_t period, bool shed)
{
	r->now = 5000;
	r->opened = 77; /* the counter need not start at 0 */
	tcpd_shed_init(&r->s, period, r->now, r->opened, shed);
}

/* Shedding on and saturated from the first interval; the second's 2,000 SYNs, with nothing
 * completed, leave the allowance drained. */
static void
start_drained(struct run *r)
{
	start(r, PERIOD, true);
	interval(r, 30, 0, 0, 0);
	interval(r, 30, 0, 2000, 0);
}

/* @p n intervals alike (interval's arguments), each admitting exactly @p want SYNs. */
static void
intervals(struct run *r, unsigned int n, unsigned int full, unsigned int partial, unsigned int syns,
	  uint64_t completed, unsigned int want)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		assert_int_equal(interval(r, full, partial, syns, completed), want);
}

/* Off: full bursts and a flood of SYNs, every SYN admitted, never limited. */
static void
test_shed_off(void **state)
{
	struct run r;

	(void)state;
	start(&r, 0, true);
	intervals(&r, 50, 100, 0, 5000, 10, 5000);
	assert_int_equal(r.s.limited, 0);
	assert_int_equal(r.s.saturated, 0);
}

/* Closed loop (each connection that completes opens the next): busy, every burst full, yet
 * nothing is ever shed; the whole window opening at once included. */
static void
test_shed_closed_loop(void **state)
{
	struct run r;
	unsigned int k;

	(void)state;
	start(&r, PERIOD, true);
	assert_int_equal(interval(&r, 40, 0, 512, 0), 512); /* the window opens */
	for (k = 0; k < 200; k++) {
		unsigned int n = 400 + (k % 7) * 40; /* arrivals vary by interval */

		/* arrivals: what completed in the previous interval, at most 10 % more */
		assert_int_equal(interval(&r, 30, 2, n, n), n);
	}
	assert_int_equal(r.s.limited, 1); /* saturated all along, and nothing shed */
}

/* Open-loop overload: 1,000 SYNs per interval, 100 handshakes completed per interval. Admitted:
 * what completes and 1/16 more, plus the floor, and nothing else. */
static void
test_shed_overload(void **state)
{
	struct run r;
	unsigned int k;

	(void)state;
	start(&r, PERIOD, true);
	/* Not yet limited: every SYN answered; the allowance (1,024) is still whole. */
	assert_int_equal(interval(&r, 30, 0, 1000, 100), 1000);
	assert_int_equal(r.s.tokens, TCPD_SHED_BURST * TCPD_SHED_Q);
	/* Limited from here: the full bucket first (1,024), then what completes buys SYNs. */
	tcpd_shed_burst(&r.s, BURST, BURST, r.now, r.opened);
	assert_int_equal(r.s.limited, 1);
	assert_int_equal(r.s.tokens, TCPD_SHED_BURST * TCPD_SHED_Q);
	assert_int_equal(interval(&r, 29, 0, 1000, 100), 1000);
	/* 24 left + 100 x 17/16 (106.25) + 2 */
	assert_int_equal(interval(&r, 30, 0, 1000, 100), 132);
	/* steady: 108.25 an interval, the fraction carried (0.5, 0.75, then 1.0, 0.25 ...) */
	intervals(&r, 2, 30, 0, 1000, 100, 108);
	for (k = 0; k < 5; k++) {
		assert_int_equal(interval(&r, 30, 0, 1000, 100), 109);
		intervals(&r, 3, 30, 0, 1000, 100, 108);
	}
	/* Nothing completes: the last 100 completions, then the floor alone. */
	assert_int_equal(interval(&r, 30, 0, 1000, 0), 109);
	intervals(&r, 3, 30, 0, 1000, 0, TCPD_SHED_FLOOR);
	/* Fewer SYNs than allowed (1 of the floor's 2): the one left carries over. */
	assert_int_equal(interval(&r, 30, 0, 1, 160), 1);
	assert_int_equal(interval(&r, 30, 0, 1000, 0), 1 + 170 + 2);
}

/* Saturation ends (most bursts not full): every SYN admitted again, the allowance whole. */
static void
test_shed_recovers(void **state)
{
	struct run r;

	(void)state;
	start_drained(&r);
	assert_int_equal(interval(&r, 30, 0, 100, 0), TCPD_SHED_FLOOR);
	/* half the bursts full is not saturated (a majority is needed) */
	assert_int_equal(interval(&r, 10, 10, 100, 0), TCPD_SHED_FLOOR);
	assert_int_equal(r.s.limited, 1);
	intervals(&r, 3, 10, 10, 3000, 0, 3000);
	assert_int_equal(r.s.limited, 0);
	assert_int_equal(r.s.tokens, TCPD_SHED_BURST * TCPD_SHED_Q);
	/* Idle intervals (no burst at all) are not saturated either. */
	assert_int_equal(interval(&r, 0, 0, 3000, 0), 3000);
}

/* A stall (the lcore preempted for many intervals): what completed meanwhile refills the bucket
 * up to its cap, and the next interval starts at the stall's end. */
static void
test_shed_stall(void **state)
{
	struct run r;

	(void)state;
	start_drained(&r);
	r.now += 1000 * PERIOD;
	r.opened += 5000;
	tcpd_shed_burst(&r.s, BURST, BURST, r.now, r.opened);
	assert_int_equal(r.s.limited, 1);
	assert_int_equal(r.s.tokens, TCPD_SHED_BURST * TCPD_SHED_Q); /* 5,000 x 17/16 capped */
	assert_int_equal(r.s.next, r.now + PERIOD);
	assert_int_equal(r.s.full, 0);
	assert_int_equal(r.s.bursts, 0);
}

/* SYN shedding off, the signal kept (for lib/tcp's late LAST-ACKs): saturated, never limited. */
static void
test_shed_signal_only(void **state)
{
	struct run r;

	(void)state;
	start(&r, PERIOD, false);
	intervals(&r, 10, 30, 0, 5000, 10, 5000);
	assert_int_equal(r.s.saturated, 1);
	assert_int_equal(r.s.limited, 0);
	assert_int_equal(interval(&r, 10, 20, 5000, 10), 5000);
	assert_int_equal(r.s.saturated, 1); /* what the first burst saw: the interval before */
	interval(&r, 0, 1, 0, 0);	    /* ends the interval of 9 full bursts out of 29 */
	assert_int_equal(r.s.saturated, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shed_off),      cmocka_unit_test(test_shed_closed_loop),
		cmocka_unit_test(test_shed_overload), cmocka_unit_test(test_shed_recovers),
		cmocka_unit_test(test_shed_stall),    cmocka_unit_test(test_shed_signal_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
