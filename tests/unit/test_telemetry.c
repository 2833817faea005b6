/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/telemetry through the real telemetry socket (as DPDK's telemetry_data_autotest does): the
 * shape and values of every /tcpd command, the error replies, the secret never shown, null after
 * unregistration, and concurrent clients while a "worker" thread writes the counters.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_telemetry.h>

#include "tcpd_telemetry.h"

#define NB_WORKERS 2
#define REPLY_MAX  16384

static struct tcpd_worker *workers[NB_WORKERS];
static struct tcpd_config cfg;
static struct tcpd_cookie_store cookies;
static char prefix[64];

static int
tel_connect(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char buf[1024];
	ssize_t n;
	int fd;

	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_true(fd >= 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		 rte_eal_get_runtime_dir());
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	/* The greeting: {"version":...,"pid":...,"max_output_len":16384} */
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "\"max_output_len\":16384"));
	return fd;
}

/* Send @p cmd on a connected socket and return the reply (static per thread). */
static const char *
tel_query_fd(int fd, const char *cmd, char *reply)
{
	ssize_t n;

	assert_int_equal(write(fd, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	n = read(fd, reply, REPLY_MAX - 1);
	assert_true(n > 0);
	reply[n] = '\0';
	return reply;
}

static char reply_buf[REPLY_MAX];

static const char *
tel_query(const char *cmd)
{
	int fd = tel_connect();

	tel_query_fd(fd, cmd, reply_buf);
	close(fd);
	return reply_buf;
}

static void
expect_in(const char *reply, const char *part)
{
	if (strstr(reply, part) == NULL)
		fail_msg("reply lacks %s:\n%s", part, reply);
}

static int
group_setup(void **state)
{
	char fp[96];
	char *argv[] = {"test_telemetry",
			"-l",
			"0",
			"--no-huge",
			"-m",
			"256",
			"--no-shconf",
			"--no-pci",
			"--log-level=lib.eal:warning",
			fp,
			NULL};
	unsigned int i;

	(void)state;
	snprintf(prefix, sizeof(prefix), "tcpd_t_telemetry_%d", getpid());
	snprintf(fp, sizeof(fp), "--file-prefix=%s", prefix);
	if (rte_eal_init(RTE_DIM(argv) - 1, argv) < 0)
		return -1;
	tcpd_config_defaults(&cfg);
	cfg.cookie_secret_set = true;
	memset(cfg.cookie_secret, 0xab, sizeof(cfg.cookie_secret));
	if (tcpd_cookie_store_init(&cookies, cfg.cookie_secret, sizeof(cfg.cookie_secret)) < 0)
		return -1;
	for (i = 0; i < NB_WORKERS; i++) {
		workers[i] = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*workers[i]));
		if (workers[i] == NULL)
			return -1;
		memset(workers[i], 0, sizeof(*workers[i]));
		workers[i]->lcore_id = 1 + 2 * i; /* 1 and 3: not the test's own lcore */
		workers[i]->port_id = 0;
		workers[i]->queue_id = (uint16_t)i;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[160];
	unsigned int i;

	(void)state;
	tcpd_telemetry_unregister();
	for (i = 0; i < NB_WORKERS; i++)
		free(workers[i]);
	rte_eal_cleanup();
	snprintf(cmd, sizeof(cmd), "rm -rf /var/run/dpdk/%s", prefix);
	return system(cmd) == 0 ? 0 : -1;
}

static void
do_register(void)
{
	struct tcpd_telemetry_reg reg = {
		.workers = workers,
		.nb_workers = NB_WORKERS,
		.cfg = &cfg,
		.cookies = &cookies,
		.secret_born_sec = 0,
	};

	assert_int_equal(tcpd_telemetry_register(&reg), 0);
}

/* Known counters: worker i has rx_pkts 10 * (i + 1), etc. */
static void
set_counters(void)
{
	unsigned int i;

	for (i = 0; i < NB_WORKERS; i++) {
		struct tcpd_stats *s = &workers[i]->stats;

		memset(s, 0, sizeof(*s));
		s->c[TCPD_STAT_rx_pkts] = 10 * (i + 1);
		s->c[TCPD_STAT_tx_pkts] = 7;
		s->c[TCPD_STAT_drop_ip_cksum] = 1;
		s->c[TCPD_STAT_cookie_sent] = 100 + i;
		s->c[TCPD_STAT_cookie_ok] = 50;
		s->c[TCPD_STAT_cookie_bad] = 3;
		s->c[TCPD_STAT_cookie_expired] = 2;
		s->c[TCPD_STAT_conn_live] = 5 + i;
		s->c[TCPD_STAT_conn_live6] = 2 + i;
		s->c[TCPD_STAT_ip6_peers] = 1;
		s->state[TCPD_ESTABLISHED] = 4;
		s->state[TCPD_TIME_WAIT] = 1 + i;
	}
}

static void
test_stats(void **state)
{
	const char *r;
	unsigned int i;

	(void)state;
	set_counters();
	do_register();
	r = tel_query("/tcpd/stats");
	expect_in(r, "{\"/tcpd/stats\":{\"workers\":2,\"rx_pkts\":30,");
	expect_in(r, "\"tx_pkts\":14,");
	expect_in(r, "\"drop_ip_cksum\":2,");
	expect_in(r, "\"cookie_sent\":201,");
	expect_in(r, "\"conn_live\":11");
	expect_in(r, "\"states\":{\"syn_sent\":0,\"syn_received\":0,\"established\":8,");
	expect_in(r, "\"time_wait\":3}");
	/* Every counter is there under its name. */
	for (i = 0; i < TCPD_STAT_MAX; i++) {
		char key[80];

		snprintf(key, sizeof(key), "\"%s\":", tcpd_stats_name((enum tcpd_stat)i));
		expect_in(r, key);
	}
}

static void
test_lcore(void **state)
{
	const char *r;

	(void)state;
	set_counters();
	do_register();
	r = tel_query("/tcpd/lcore,3");
	expect_in(r, "{\"/tcpd/lcore\":{\"lcore\":3,\"port\":0,\"queue\":1,\"rx_pkts\":20,");
	expect_in(r, "\"cookie_sent\":101,");
	expect_in(r, "\"established\":4,");
	expect_in(r, "\"time_wait\":2}");

	r = tel_query("/tcpd/lcore,2");
	expect_in(r, "{\"/tcpd/lcore\":{\"error\":\"lcore 2 is not a worker\",\"workers\":[1,3]}}");
	r = tel_query("/tcpd/lcore,abc");
	expect_in(r, "\"error\":\"usage: /tcpd/lcore,<lcore id> (a worker lcore)\"");
	r = tel_query("/tcpd/lcore,1x");
	expect_in(r, "\"error\":\"lcore id must be a decimal number\"");
	r = tel_query("/tcpd/lcore,99999999999999999999");
	expect_in(r, "\"error\":\"lcore 18446744073709551615 is not a worker\"");
	r = tel_query("/tcpd/lcore");
	expect_in(r, "\"error\":\"usage:");
}

/* /tcpd/port's parameter: none, or exactly the served port's decimal id. */
static void
test_port_param(void **state)
{
	char why[RTE_TEL_MAX_STRING_LEN];

	(void)state;
	assert_int_equal(tcpd_telemetry_port_param(NULL, 0, why, sizeof(why)), 0);
	assert_int_equal(tcpd_telemetry_port_param("", 0, why, sizeof(why)), 0);
	assert_int_equal(tcpd_telemetry_port_param("0", 0, why, sizeof(why)), 0);
	assert_int_equal(tcpd_telemetry_port_param("12", 12, why, sizeof(why)), 0);
	assert_int_equal(tcpd_telemetry_port_param("1", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "port 1 is not served by dpdk-tcpd (port 0 is)");
	assert_int_equal(tcpd_telemetry_port_param("0x", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "port id must be a decimal number");
	assert_int_equal(tcpd_telemetry_port_param("-1", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "usage: /tcpd/port or /tcpd/port,0");
	assert_int_equal(tcpd_telemetry_port_param(" 0", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "usage: /tcpd/port or /tcpd/port,0");
	/* 2^64: strtoul saturates; still not the port */
	assert_int_equal(tcpd_telemetry_port_param("18446744073709551616", 0, why, sizeof(why)),
			 -1);
	assert_string_equal(why,
			    "port 18446744073709551615 is not served by dpdk-tcpd (port 0 is)");
	/* 65536 is not port 0 either (no truncation to uint16_t) */
	assert_int_equal(tcpd_telemetry_port_param("65536", 0, why, sizeof(why)), -1);
}

/*
 * /tcpd/port: without the port, an error reply; with a net_ring port of two queue pairs, the
 * exact rte_eth_stats totals and each worker's queue under its lcore (queue 0: lcore 1, queue 1:
 * lcore 3). Three packets sent on queue 1 and one received on queue 0.
 */
static void
test_port(void **state)
{
	struct rte_ring *rx[2], *tx[2];
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rte_mbuf *m[3];
	const char *r;
	int port;

	(void)state;
	do_register();
	r = tel_query("/tcpd/port");
	expect_in(r, "{\"/tcpd/port\":{\"error\":");

	mp = rte_pktmbuf_pool_create("tel_port", 64, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     (int)rte_socket_id());
	assert_non_null(mp);
	for (int q = 0; q < 2; q++) {
		char n[32];

		snprintf(n, sizeof(n), "tel_rx%d", q);
		rx[q] = rte_ring_create(n, 64, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(n, sizeof(n), "tel_tx%d", q);
		tx[q] = rte_ring_create(n, 64, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		assert_true(rx[q] != NULL && tx[q] != NULL);
	}
	port = rte_eth_from_rings("net_ring_tel", rx, 2, tx, 2, rte_socket_id());
	assert_int_equal(port, 0); /* the workers say port 0 */
	memset(&conf, 0, sizeof(conf));
	assert_int_equal(rte_eth_dev_configure(0, 2, 2, &conf), 0);
	for (uint16_t q = 0; q < 2; q++) {
		assert_int_equal(rte_eth_rx_queue_setup(0, q, 64, rte_socket_id(), NULL, mp), 0);
		assert_int_equal(rte_eth_tx_queue_setup(0, q, 64, rte_socket_id(), NULL), 0);
	}
	assert_int_equal(rte_eth_dev_start(0), 0);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 3), 0);
	for (int i = 0; i < 3; i++)
		rte_pktmbuf_append(m[i], 60);
	assert_int_equal(rte_eth_tx_burst(0, 1, m, 3), 3);
	/* what the "wire" sent back arrives on queue 0 */
	assert_int_equal(rte_ring_dequeue_burst(tx[1], (void **)m, 3, NULL), 3);
	assert_int_equal(rte_ring_enqueue_burst(rx[0], (void **)m, 1, NULL), 1);
	assert_int_equal(rte_eth_rx_burst(0, 0, m, 1), 1);
	rte_pktmbuf_free_bulk(m, 3);

	r = tel_query("/tcpd/port");
	expect_in(r, "{\"/tcpd/port\":{\"port\":0,\"driver\":\"net_ring\",\"link_up\":1,");
	/* net_ring (22.11) counts packets, not bytes */
	expect_in(r, "\"ipackets\":1,\"opackets\":3,\"ibytes\":0,\"obytes\":0,"
		     "\"imissed\":0,\"ierrors\":0,\"oerrors\":0,\"rx_nombuf\":0,");
	expect_in(r, "\"queues\":{\"1\":{\"queue\":0,\"ipackets\":1,\"opackets\":0,"
		     "\"ibytes\":0,\"obytes\":0,\"errors\":0},"
		     "\"3\":{\"queue\":1,\"ipackets\":0,\"opackets\":3,\"ibytes\":0,"
		     "\"obytes\":0,\"errors\":0}}}}");
	/* The served port's id is accepted; anything else is an error naming the served port. */
	r = tel_query("/tcpd/port,0");
	expect_in(r, "{\"/tcpd/port\":{\"port\":0,\"driver\":\"net_ring\",");
	r = tel_query("/tcpd/port,1");
	expect_in(r, "{\"/tcpd/port\":{\"error\":\"port 1 is not served by dpdk-tcpd (port 0 is)\","
		     "\"port\":0}}");
	r = tel_query("/tcpd/port,x");
	expect_in(r,
		  "{\"/tcpd/port\":{\"error\":\"usage: /tcpd/port or /tcpd/port,0\",\"port\":0}}");
	assert_int_equal(rte_eth_dev_stop(0), 0);
	assert_int_equal(rte_eth_dev_close(0), 0);
}

static void
test_lcores_conns(void **state)
{
	char want[256];
	const char *r;

	(void)state;
	set_counters();
	do_register();
	r = tel_query("/tcpd/lcores");
	snprintf(want, sizeof(want),
		 "{\"/tcpd/lcores\":{\"1\":{\"lcore\":1,\"port\":0,\"queue\":0,\"tsc_hz\":%" PRIu64
		 "},\"3\":{\"lcore\":3,\"port\":0,\"queue\":1,\"tsc_hz\":%" PRIu64 "}}}",
		 rte_get_tsc_hz(), rte_get_tsc_hz());
	expect_in(r, want);
	r = tel_query("/tcpd/conns");
	expect_in(r, "{\"/tcpd/conns\":{\"live\":11,\"live_ip6\":5,\"ip6_peers\":2,\"total\":{");
	expect_in(r, "\"established\":8,");
	expect_in(r, "\"lcores\":{\"1\":{");
	expect_in(r, "\"time_wait\":1},\"3\":{");
	expect_in(r, "\"time_wait\":2}}}}");
}

static void
test_listeners(void **state)
{
	const char *r;

	(void)state;
	do_register();
	r = tel_query("/tcpd/listeners");
	expect_in(r, "{\"/tcpd/listeners\":{"
		     "\"80\":{\"port\":80,\"service\":\"http\",\"accepted\":0,\"reset\":0},"
		     "\"7\":{\"port\":7,\"service\":\"echo\",\"accepted\":0,\"reset\":0},"
		     "\"9\":{\"port\":9,\"service\":\"discard\",\"accepted\":0,\"reset\":0}}}");
}

static void
test_config(void **state)
{
	const char *r;

	(void)state;
	do_register();
	r = tel_query("/tcpd/config");
	expect_in(r, "\"port\":0,\"ip\":\"198.18.0.1/15\","
		     "\"listen\":[\"80:http\",\"7:echo\",\"9:discard\"],"
		     "\"syncookies\":\"auto\",\"synq_limit\":1024,\"max_conns\":65536,");
	expect_in(r, "\"cookie_secret\":\"set\"");
	expect_in(r, "\"tx_desc\":1024");
	expect_in(r, "\"ip6\":\"none\"");
	/* The secret (0xab bytes) appears nowhere, in any case. */
	assert_null(strstr(r, "abab"));
	assert_null(strstr(r, "ABAB"));
}

/* 16 listeners with the longest service name (223 characters as one list): none is cut off. */
static void
test_config_long_listen(void **state)
{
	char want[1024];
	size_t used = 0;
	const char *r;
	unsigned int i;

	(void)state;
	for (i = 0; i < TCPD_MAX_LISTENERS; i++) {
		cfg.listen[i] = (struct tcpd_listen){(uint16_t)(65520 + i), TCPD_SVC_DISCARD};
		used += snprintf(want + used, sizeof(want) - used, "%s\"%u:discard\"",
				 i ? "," : "\"listen\":[", 65520 + i);
	}
	snprintf(want + used, sizeof(want) - used, "],");
	cfg.nb_listen = TCPD_MAX_LISTENERS;
	/* A config path longer than a telemetry string (127): its end, marked as cut. Not 'a':
	 * 16 hex digits in a row may be a secret, and are not shown. */
	memset(cfg.config_file, 'p', 200);
	strcpy(cfg.config_file + 200, "/tcpd.conf");
	do_register();
	r = tel_query("/tcpd/config");
	expect_in(r, want);
	expect_in(r, "\"config\":\"...pppp");
	expect_in(r, "pppp/tcpd.conf\",");
	tcpd_config_defaults(&cfg);
	cfg.cookie_secret_set = true;
	memset(cfg.cookie_secret, 0xab, sizeof(cfg.cookie_secret));
	do_register();
}

static void
test_cookies(void **state)
{
	const char *r;

	(void)state;
	set_counters();
	do_register();
	r = tel_query("/tcpd/cookies");
	expect_in(r, "{\"/tcpd/cookies\":{\"mode\":\"auto\",\"sent\":201,\"ok\":100,\"bad\":6,"
		     "\"expired\":4,\"synq_full\":0,\"rotations\":0,\"rotate_interval\":0,"
		     "\"secret\":\"set\",\"secret_age\":");
	tcpd_cookie_store_rotate(&cookies, 1, rte_rdtsc() / rte_get_tsc_hz());
	r = tel_query("/tcpd/cookies");
	expect_in(r, "\"rotations\":1,");
	expect_in(r, "\"secret_age\":0}");
}

static void
test_help(void **state)
{
	const char *r;

	(void)state;
	r = tel_query("/");
	expect_in(r, "\"/tcpd/stats\"");
	expect_in(r, "\"/tcpd/lcore\"");
	expect_in(r, "\"/tcpd/lcores\"");
	expect_in(r, "\"/tcpd/conns\"");
	expect_in(r, "\"/tcpd/listeners\"");
	expect_in(r, "\"/tcpd/config\"");
	expect_in(r, "\"/tcpd/cookies\"");
	r = tel_query("/help,/tcpd/lcore");
	expect_in(r, "Parameter: lcore id");
}

struct hammer {
	unsigned int lcore; /* the worker it asks for: 1 (worker 0) or 3 (worker 1) */
	int errors;
	unsigned int queries;
};

static volatile bool writer_stop;

static void *
writer(void *arg)
{
	struct tcpd_stats *s = &workers[0]->stats;

	(void)arg;
	while (!writer_stop)
		tcpd_stats_inc(s, TCPD_STAT_rx_pkts);
	return NULL;
}

/* The reply's rx_pkts, or UINT64_MAX without one. */
static uint64_t
reply_rx_pkts(const char *reply)
{
	const char *p = strstr(reply, "\"rx_pkts\":");

	return p != NULL ? strtoull(p + 10, NULL, 10) : UINT64_MAX;
}

/*
 * One client on its own connection: /tcpd/lcore,<its lcore> and /tcpd/stats in turn. Each lcore
 * reply names the lcore asked for (DPDK's parsing of one client's parameter must not see
 * another's); worker 0's rx_pkts, on lcore 1 and in the total less worker 1's 20, never goes
 * backwards; worker 1's stays 20.
 */
static void *
client(void *arg)
{
	struct hammer *h = arg;
	char *reply = malloc(REPLY_MAX);
	char cmd[32], lcore[32];
	uint64_t last = 0;
	unsigned int i;
	int fd = tel_connect();

	snprintf(cmd, sizeof(cmd), "/tcpd/lcore,%u", h->lcore);
	snprintf(lcore, sizeof(lcore), "{\"/tcpd/lcore\":{\"lcore\":%u,", h->lcore);
	for (i = 0; i < 300; i++) {
		bool total = i % 2;
		uint64_t v;

		tel_query_fd(fd, total ? "/tcpd/stats" : cmd, reply);
		v = reply_rx_pkts(reply);
		if (v == UINT64_MAX || (!total && strncmp(reply, lcore, strlen(lcore)) != 0)) {
			h->errors++;
			continue;
		}
		if (total || h->lcore == 1) {
			v -= total ? 20 : 0;
			h->errors += v < last;
			last = v;
		} else {
			h->errors += v != 20;
		}
		h->queries++;
	}
	close(fd);
	free(reply);
	return NULL;
}

static void
test_concurrent_clients(void **state)
{
	pthread_t w, c[4];
	struct hammer h[4];
	unsigned int i;

	(void)state;
	set_counters();
	do_register();
	writer_stop = false;
	assert_int_equal(pthread_create(&w, NULL, writer, NULL), 0);
	for (i = 0; i < 4; i++) {
		h[i] = (struct hammer){.lcore = i % 2 ? 3 : 1};
		assert_int_equal(pthread_create(&c[i], NULL, client, &h[i]), 0);
	}
	/* Every thread ends before any assertion: a failure must not leave clients querying
	 * during the next tests. */
	for (i = 0; i < 4; i++)
		pthread_join(c[i], NULL);
	writer_stop = true;
	pthread_join(w, NULL);
	for (i = 0; i < 4; i++) {
		assert_int_equal(h[i].errors, 0);
		assert_int_equal(h[i].queries, 300);
	}
}

static void *
strtok_other(void *arg)
{
	char buf[] = "/tcpd/stats";
	const char **got = arg;

	got[0] = strtok(buf, ",") == buf ? "whole" : "?";
	got[1] = strtok(NULL, "\0") == NULL ? "end" : "?";
	return NULL;
}

/*
 * DPDK 22.11's telemetry thread per client splits a request with strtok(buffer, ",") and
 * strtok(NULL, "\0"): with glibc's strtok, another client's request split in between left the
 * first with none or the other's parameter. lib/telemetry's strtok keeps its position per thread,
 * and the dynamic linker finds it first (the executable exports it), librte_telemetry included.
 */
static void
test_strtok_per_thread(void **state)
{
	char mine[] = "/tcpd/lcore,1";
	const char *got[2] = {NULL, NULL};
	char *(*found)(char *, const char *);
	void *sym = dlsym(RTLD_DEFAULT, "strtok");
	const char *rest;
	pthread_t t;

	(void)state;
	assert_non_null(sym);
	memcpy(&found, &sym, sizeof(found));
	assert_true(found == strtok);
	assert_string_equal(strtok(mine, ","), "/tcpd/lcore");
	assert_int_equal(pthread_create(&t, NULL, strtok_other, got), 0);
	pthread_join(t, NULL);
	assert_string_equal(got[0], "whole");
	assert_string_equal(got[1], "end");
	rest = strtok(NULL, "\0"); /* glibc's: NULL, the other thread's string ended */
	assert_non_null(rest);
	assert_string_equal(rest, "1");
	assert_null(strtok(NULL, "\0"));
}

static void
test_unregistered(void **state)
{
	(void)state;
	do_register();
	tcpd_telemetry_unregister();
	assert_string_equal(tel_query("/tcpd/stats"), "{\"/tcpd/stats\":null}");
	assert_string_equal(tel_query("/tcpd/lcore,1"), "{\"/tcpd/lcore\":null}");
	do_register(); /* registering again brings them back */
	expect_in(tel_query("/tcpd/stats"), "\"workers\":2");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_lcore),
		cmocka_unit_test(test_lcores_conns),
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_config_long_listen),
		cmocka_unit_test(test_cookies),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_concurrent_clients),
		cmocka_unit_test(test_strtok_per_thread),
		cmocka_unit_test(test_unregistered),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_port_param),
	};

	return cmocka_run_group_tests_name("telemetry", tests, group_setup, group_teardown);
}
