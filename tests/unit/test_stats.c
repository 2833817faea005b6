/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "tcpd_stats.h"
#include "tcpd_tcb.h" /* the state names and enum, owned by lib/tcp */

/* Telemetry rejects keys outside [A-Za-z0-9_]; a bad one would vanish from the JSON silently. */
static void
test_names_are_telemetry_keys(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < TCPD_STAT_MAX; i++) {
		const char *n = tcpd_stats_name(i);
		assert_non_null(n);
		assert_true(strlen(n) > 0 && strlen(n) < 64);
		assert_int_equal(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(n));
		assert_non_null(tcpd_stats_help(i));
		for (unsigned int j = 0; j < i; j++)
			assert_string_not_equal(n, tcpd_stats_name(j));
	}
	assert_null(tcpd_stats_name(TCPD_STAT_MAX));
	assert_string_equal(tcpd_stats_name(TCPD_STAT_rx_pkts), "rx_pkts");
	assert_string_equal(tcpd_tcp_state_name(TCPD_TIME_WAIT), "time_wait");
	assert_null(tcpd_tcp_state_name(TCPD_TCP_NSTATES));
}

static void
test_sum_and_state_move(void **state)
{
	static struct tcpd_stats a, b, sum;
	const struct tcpd_stats *in[2] = {&a, &b};

	(void)state;
	tcpd_stats_inc(&a, TCPD_STAT_rx_pkts);
	tcpd_stats_add(&b, TCPD_STAT_rx_pkts, 41);
	tcpd_stats_inc(&b, TCPD_STAT_conn_live);
	tcpd_stats_dec(&b, TCPD_STAT_conn_live);
	tcpd_stats_state_move(&a, TCPD_CLOSED, TCPD_SYN_RECEIVED);
	tcpd_stats_state_move(&a, TCPD_SYN_RECEIVED, TCPD_ESTABLISHED);
	tcpd_stats_state_move(&b, TCPD_CLOSED, TCPD_ESTABLISHED);
	tcpd_stats_sum(&sum, in, 2);
	assert_int_equal(sum.c[TCPD_STAT_rx_pkts], 42);
	assert_int_equal(sum.c[TCPD_STAT_conn_live], 0);
	assert_int_equal(sum.state[TCPD_SYN_RECEIVED], 0);
	assert_int_equal(sum.state[TCPD_ESTABLISHED], 2);
	assert_int_equal(sum.state[TCPD_CLOSED], 0);
	assert_int_equal(tcpd_stats_kind(TCPD_STAT_conn_live), TCPD_STAT_GAUGE);
	assert_int_equal(tcpd_stats_kind(TCPD_STAT_rx_pkts), TCPD_STAT_COUNTER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_are_telemetry_keys),
		cmocka_unit_test(test_sum_and_state_move),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
