/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread's summary line (app/dpdk-tcpd/control.c, compiled into this test): exact
 * text, rates over the interval, and a "drops" figure that sums every drop_* counter and tx_drop
 * and nothing else. tests/scripts/telemetry_null.sh matches the same format on a live daemon.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "tcpd_app.h"

static void
test_summary_line(void **state)
{
	static struct tcpd_stats prev, cur;
	char line[512];

	(void)state;
	cur.c[TCPD_STAT_rx_pkts] = 1000;
	cur.c[TCPD_STAT_tx_pkts] = 500;
	cur.c[TCPD_STAT_conn_opened] = 10;
	cur.c[TCPD_STAT_conn_live] = 7;
	cur.c[TCPD_STAT_syn_rx] = 20;
	cur.c[TCPD_STAT_cookie_sent] = 3;
	cur.c[TCPD_STAT_cookie_ok] = 2;
	cur.c[TCPD_STAT_cookie_bad] = 1;
	/* Drops: one from each layer, and the TX side. */
	cur.c[TCPD_STAT_drop_tcp_cksum] = 4;
	cur.c[TCPD_STAT_drop_no_ack] = 3;
	cur.c[TCPD_STAT_drop_nombuf] = 1;
	cur.c[TCPD_STAT_tx_drop] = 2;
	/* Not drops: replies withheld or counted elsewhere. */
	cur.c[TCPD_STAT_rst_ratelimited] = 100;
	cur.c[TCPD_STAT_no_listener] = 100;
	cur.c[TCPD_STAT_challenge_ack_limited] = 100;
	tcpd_control_format(line, sizeof(line), &prev, &cur, 1.0);
	assert_string_equal(line,
			    "rx 1000 pps, tx 500 pps, new 10/s, live 7, syn 20/s, cookies sent "
			    "3 ok 2 bad 1 /s, drops 10/s");

	/* Rates over 2 s, rounded; the live gauge is a level, not a rate. */
	prev = cur;
	cur.c[TCPD_STAT_rx_pkts] += 3;
	cur.c[TCPD_STAT_tx_drop] += 5;
	cur.c[TCPD_STAT_conn_live] = 4;
	tcpd_control_format(line, sizeof(line), &prev, &cur, 2.0);
	assert_string_equal(line,
			    "rx 2 pps, tx 0 pps, new 0/s, live 4, syn 0/s, cookies sent 0 ok 0 "
			    "bad 0 /s, drops 3/s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_line),
	};
	return cmocka_run_group_tests_name("control", tests, NULL, NULL);
}
