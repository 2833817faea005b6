/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread's summary line (app/dpdk-tcpd/control.c, compiled into this test): exact
 * text, rates over the interval, and a "drops" figure that sums every drop_* counter and tx_drop
 * and nothing else, then what the port lost. tests/scripts/telemetry_null.sh matches the same
 * format on a live daemon.
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
	cur.c[TCPD_STAT_conn_live6] = 2;
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
	/* Two workers at 1,000 cycles a second each, busy 500 of the 2,000. */
	cur.c[TCPD_STAT_busy_cycles] = 500;
	tcpd_control_format(line, sizeof(line), &prev, &cur, 1.0, 6, 2000.0);
	assert_string_equal(
		line, "rx 1000 pps, tx 500 pps, new 10/s, live 7 (ipv6 2), syn 20/s, cookies sent "
		      "3 ok 2 bad 1 /s, drops 10/s, port lost 6/s, busy 25%");

	/* Rates over 2 s, rounded; the live gauge is a level, not a rate. */
	prev = cur;
	cur.c[TCPD_STAT_rx_pkts] += 3;
	cur.c[TCPD_STAT_tx_drop] += 5;
	cur.c[TCPD_STAT_conn_live] = 4;
	cur.c[TCPD_STAT_conn_live6] = 0;
	cur.c[TCPD_STAT_busy_cycles] += 3000;
	tcpd_control_format(line, sizeof(line), &prev, &cur, 2.0, 7, 2000.0);
	assert_string_equal(
		line, "rx 2 pps, tx 0 pps, new 0/s, live 4 (ipv6 0), syn 0/s, cookies sent 0 ok 0 "
		      "bad 0 /s, drops 3/s, port lost 4/s, busy 75%");
}

/* The port's losses: every rte_eth_stats field that counts a packet lost, and nothing else. */
static void
test_port_lost(void **state)
{
	struct rte_eth_stats s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.ipackets = s.opackets = s.ibytes = s.obytes = 1000000;
	s.q_ipackets[0] = s.q_errors[0] = 1000;
	assert_int_equal(tcpd_control_port_lost(&s), 0);
	s.imissed = 1;
	s.ierrors = 20;
	s.rx_nombuf = 300;
	s.oerrors = 4000;
	assert_int_equal(tcpd_control_port_lost(&s), 4321);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_line),
		cmocka_unit_test(test_port_lost),
	};
	return cmocka_run_group_tests_name("control", tests, NULL, NULL);
}
