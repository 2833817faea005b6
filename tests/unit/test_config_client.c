/* SPDX-License-Identifier: BSD-3-Clause */
/* Client mode's options (lib/config/config_client.c): parsing, the file keys, errors, checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcpd_config.h"

static char err[2048];

static int
parse_v(struct tcpd_config *c, const char *first, va_list ap)
{
	char *argv[64];
	int argc = 0;
	const char *a;

	argv[argc++] = (char *)"dpdk-tcpd";
	for (a = first; a != NULL && argc < 63; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	argv[argc] = NULL;
	tcpd_config_defaults(c);
	return tcpd_config_parse_args(c, argc, argv, stdout, err, sizeof(err));
}

static int
parse(struct tcpd_config *c, const char *first, ...)
{
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = parse_v(c, first, ap);
	va_end(ap);
	return rc;
}

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void
test_defaults(void **state)
{
	struct tcpd_config c;

	(void)state;
	tcpd_config_defaults(&c);
	assert_int_equal(c.client.nb_targets, 0);
	assert_int_equal(c.client.cps, 1000);
	assert_int_equal(c.client.concurrency, 10000);
	assert_int_equal(c.client.requests, 1);
	assert_int_equal(c.client.src_port_first, 1024);
	assert_int_equal(c.client.src_port_last, 65535);
	assert_int_equal(c.client.drain, 2);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), 0);
}

static void
test_options(void **state)
{
	struct tcpd_config c;
	char val[256];
	unsigned int i;

	(void)state;
	assert_int_equal(parse(&c, "--connect", "198.18.0.2:80:http,198.18.0.3:7:echo", "--connect",
			       "198.18.0.2:9:discard", "--src-ip", "198.18.1.0/24", "--src-ports",
			       "2000-2999", "--gateway", "198.18.0.254", "--cps", "5000",
			       "--concurrency", "77", "--requests", "3", "--duration", "4",
			       "--ramp", "2", "--drain", "6", "--payload", "0",
			       "--response-timeout", "9", "--arp-timeout", "8", "--allow-failures",
			       "1", "--linger", "1", "--report", "/tmp/r.jsonl", NULL),
			 0);
	assert_int_equal(c.client.nb_targets, 3);
	assert_int_equal(c.client.target[0].ip, ip4("198.18.0.2"));
	assert_int_equal(c.client.target[0].port, 80);
	assert_int_equal(c.client.target[0].app, TCPD_SVC_HTTP);
	assert_int_equal(c.client.target[1].app, TCPD_SVC_ECHO);
	assert_int_equal(c.client.target[2].port, 9);
	assert_int_equal(c.client.target[2].app, TCPD_SVC_DISCARD);
	/* a /24: network and broadcast left out */
	assert_int_equal(c.client.src_ip_first, ntohl(ip4("198.18.1.1")));
	assert_int_equal(c.client.src_ip_last, ntohl(ip4("198.18.1.254")));
	assert_int_equal(c.client.src_port_first, 2000);
	assert_int_equal(c.client.src_port_last, 2999);
	assert_int_equal(c.client.gateway, ip4("198.18.0.254"));
	assert_int_equal(c.client.cps, 5000);
	assert_int_equal(c.client.concurrency, 77);
	assert_int_equal(c.client.requests, 3);
	assert_int_equal(c.client.duration, 4);
	assert_int_equal(c.client.ramp, 2);
	assert_int_equal(c.client.drain, 6);
	assert_int_equal(c.client.payload, 0);
	assert_int_equal(c.client.response_timeout, 9);
	assert_int_equal(c.client.arp_timeout, 8);
	assert_int_equal(c.client.allow_failures, 1);
	assert_int_equal(c.client.linger, 1);
	assert_string_equal(c.client.report, "/tmp/r.jsonl");
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), 0);
	/* shown as given (telemetry /tcpd/config, the report's configuration) */
	for (i = 0; i < tcpd_config_nb_options(); i++) {
		const char *key = tcpd_config_option(&c, i, val, sizeof(val));

		if (strcmp(key, "connect") == 0)
			assert_string_equal(
				val, "198.18.0.2:80:http,198.18.0.3:7:echo,198.18.0.2:9:discard");
		if (strcmp(key, "src_ip") == 0)
			assert_string_equal(val, "198.18.1.1-198.18.1.254");
		if (strcmp(key, "src_ports") == 0)
			assert_string_equal(val, "2000-2999");
	}
	assert_int_equal(parse(&c, "--src-ip", "198.18.0.5-198.18.0.9", NULL), 0);
	assert_int_equal(c.client.src_ip_last - c.client.src_ip_first, 4);
	assert_int_equal(parse(&c, "--src-ports", "5000", NULL), 0);
	assert_int_equal(c.client.src_port_first, 5000);
	assert_int_equal(c.client.src_port_last, 5000);
}

static void
expect_bad(const char *opt, const char *val)
{
	struct tcpd_config c;

	err[0] = '\0';
	if (parse(&c, opt, val, NULL) != -1)
		fail_msg("%s %s accepted", opt, val);
	if (strstr(err, opt) == NULL || strstr(err, "accepted") == NULL || strstr(err, val) == NULL)
		fail_msg("%s %s: message '%s' lacks the option, the value or 'accepted'", opt, val,
			 err);
}

static void
test_bad(void **state)
{
	(void)state;
	expect_bad("--connect", "198.18.0.2:80");
	expect_bad("--connect", "198.18.0.2:80:ftp");
	expect_bad("--connect", "198.18.0.2:0:http");
	expect_bad("--connect", "198.18.0.2:65536:http");
	expect_bad("--connect", "host:80:http");
	expect_bad("--connect", "224.0.0.1:80:http");
	expect_bad("--connect", "198.18.0.2:80:http,");
	expect_bad("--connect", "1.1.1.1:1:http,1.1.1.1:2:http,1.1.1.1:3:http,1.1.1.1:4:http,"
				"1.1.1.1:5:http,1.1.1.1:6:http,1.1.1.1:7:http,1.1.1.1:8:http,"
				"1.1.1.1:9:http");
	expect_bad("--src-ip", "198.18.0.9-198.18.0.5");
	expect_bad("--src-ip", "198.18.0.0/8");
	expect_bad("--src-ip", "x");
	/* 0.0.0.0/8 holds lib/tcp's IPv6 ids: never one of our IPv4 addresses */
	expect_bad("--src-ip", "0.0.0.5");
	expect_bad("--src-ip", "0.0.0.1-1.0.0.1");
	expect_bad("--src-ports", "3000-2000");
	expect_bad("--src-ports", "0-10");
	expect_bad("--src-ports", "1-70000");
	expect_bad("--gateway", "255.255.255.255");
	expect_bad("--cps", "-1");
	expect_bad("--concurrency", "0");
	expect_bad("--requests", "0");
	expect_bad("--allow-failures", "2");
	expect_bad("--linger", "2");
}

static void
test_check(void **state)
{
	struct tcpd_config c;

	(void)state;
	/* off our prefix (198.18.0.0/15 by default) without a gateway */
	assert_int_equal(parse(&c, "--connect", "10.0.0.1:80:http", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--gateway"));
	assert_int_equal(
		parse(&c, "--connect", "10.0.0.1:80:http", "--gateway", "198.18.0.254", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), 0);
	assert_int_equal(
		parse(&c, "--connect", "10.0.0.1:80:http", "--gateway", "10.0.0.254", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_int_equal(parse(&c, "--connect", "198.18.0.1:80:http", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "our own address"));
	assert_int_equal(parse(&c, "--connect", "198.18.0.2:80:http", "--cps", "0", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
}

/* --connect [ADDR6]:PORT:APP (issue 15): parsed, shown in brackets, checked against --ip6. */
static void
test_ipv6_targets(void **state)
{
	static const uint8_t t6[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
	struct tcpd_config c;
	char val[256];
	unsigned int i;

	(void)state;
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--connect",
			       "[2001:2::2]:80:http, 198.18.0.2:7:echo", NULL),
			 0);
	assert_int_equal(c.client.nb_targets, 2);
	assert_int_equal(c.client.target[0].v6, 1);
	assert_memory_equal(c.client.target[0].ip6, t6, 16);
	assert_int_equal(c.client.target[0].ip, 0);
	assert_int_equal(c.client.target[0].port, 80);
	assert_int_equal(c.client.target[0].app, TCPD_SVC_HTTP);
	assert_int_equal(c.client.target[1].v6, 0);
	assert_int_equal(c.client.target[1].ip, ip4("198.18.0.2"));
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), 0);
	for (i = 0; i < tcpd_config_nb_options(); i++)
		if (strcmp(tcpd_config_option(&c, i, val, sizeof(val)), "connect") == 0)
			assert_string_equal(val, "[2001:2::2]:80:http,198.18.0.2:7:echo");
	/* no --ip6, not on its prefix (no IPv6 gateway), our own address */
	assert_int_equal(parse(&c, "--connect", "[2001:2::2]:80:http", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--ip6"));
	assert_int_equal(
		parse(&c, "--ip6", "2001:2::1/64", "--connect", "[2001:3::2]:80:http", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "prefix"));
	assert_int_equal(
		parse(&c, "--ip6", "2001:2::1/64", "--connect", "[2001:2::1]:80:http", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "our own address"));
	/* what can be no peer, and malformed brackets */
	expect_bad("--connect", "[ff02::1]:80:http");
	expect_bad("--connect", "[::ffff:198.18.0.2]:80:http");
	expect_bad("--connect", "[::1]:80:http");
	expect_bad("--connect", "[::]:80:http");
	expect_bad("--connect", "2001:2::2:80:http");
	expect_bad("--connect", "[2001:2::2:80:http");
	expect_bad("--connect", "[2001:2::2]80:http");
	expect_bad("--connect", "[2001:2::2]:80");
	expect_bad("--connect", "[198.18.0.2]:80:http");
}

/* The IPv6 range of --src-ip (issue 15): the three forms, both families at once, the show text
 * (which parses back), sizes, refused addresses, and the checks against --ip6. */
static uint32_t
src6_range(struct tcpd_config *c, const char *val, uint8_t first[16])
{
	assert_int_equal(parse(c, "--ip6", "2001:2::1/64", "--connect", "[2001:2::2]:80:http",
			       "--src-ip", val, NULL),
			 0);
	memcpy(first, c->client.src_ip6, 16);
	return c->client.src_ip6_n;
}

static void
src6_show(struct tcpd_config *c, const char *want)
{
	char val[256];
	unsigned int i;

	for (i = 0; i < tcpd_config_nb_options(); i++)
		if (strcmp(tcpd_config_option(c, i, val, sizeof(val)), "src-ip") == 0)
			assert_string_equal(val, want);
}

static void
test_src_ip6(void **state)
{
	struct tcpd_config c;
	uint8_t a[16], want[16];

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "2001:2::100", want), 1);
	assert_int_equal(src6_range(&c, "2001:2::100-2001:2::1ff", a), 256);
	assert_memory_equal(a, want, 16);
	assert_int_equal(c.client.src_ip_first, 0); /* IPv4 targets keep our --ip */
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), 0);
	src6_show(&c, "2001:2::100-2001:2::1ff");
	/* a prefix: every address of it, from any address inside */
	assert_int_equal(src6_range(&c, "2001:2::1a7/120", a), 256);
	assert_memory_equal(a, want, 16);
	assert_int_equal(src6_range(&c, "2001:2::100/128", a), 1);
	src6_show(&c, "2001:2::100");
	assert_int_equal(src6_range(&c, "2001:2::7:0/112", a), 65536);
	assert_int_equal(src6_range(&c, "2001:2::100", a), 1);
	assert_memory_equal(a, want, 16);
	/* across 16-bit and 24-bit boundaries of the last 32 bits */
	assert_int_equal(src6_range(&c, "2001:2::ff:ffff-2001:2::100:ff", a), 257);
	assert_int_equal(src6_range(&c, "2001:2::ffff-2001:2::1:fffe", a), 65536);
	/* both families, IPv4 first; shown as given, and that text parses back */
	assert_int_equal(src6_range(&c, "198.18.0.10-198.18.0.20,2001:2::100-2001:2::10f", a), 16);
	assert_int_equal(c.client.src_ip_first, 0xc612000a);
	assert_int_equal(c.client.src_ip_last, 0xc6120014);
	src6_show(&c, "198.18.0.10-198.18.0.20,2001:2::100-2001:2::10f");
	assert_int_equal(src6_range(&c, "2001:2::100-2001:2::10f,198.18.0.10", a), 16);
	assert_int_equal(c.client.src_ip_first, 0xc612000a);
	/* refused: too many, descending, another /96, a prefix below 112, bad addresses, two
	 * ranges of a family, empty parts */
	expect_bad("--src-ip", "2001:2::ffff-2001:2::1:ffff");
	expect_bad("--src-ip", "2001:2::1:0-2001:2::ffff");
	expect_bad("--src-ip", "2001:2::100-2001:2:0:0:1::100");
	expect_bad("--src-ip", "2001:2::/111");
	expect_bad("--src-ip", "2001:2::/129");
	expect_bad("--src-ip", "2001:2::/");
	expect_bad("--src-ip", "ff02::1:ff00:100");
	expect_bad("--src-ip", "ff02::100-ff02::1ff");
	expect_bad("--src-ip", "::ffff:198.18.0.2");
	expect_bad("--src-ip", "::ffff:198.18.0.2/120");
	expect_bad("--src-ip", "fe80::100-fe80::1ff");
	expect_bad("--src-ip", "febf::1");
	expect_bad("--src-ip", "::1");
	expect_bad("--src-ip", "::");
	expect_bad("--src-ip", "::2-::ff");
	expect_bad("--src-ip", "::100/120");
	expect_bad("--src-ip", "[2001:2::100]");
	expect_bad("--src-ip", "2001:2::100,2001:2::200");
	expect_bad("--src-ip", "198.18.0.10,198.18.0.11");
	expect_bad("--src-ip", "2001:2::100,");
	expect_bad("--src-ip", ",2001:2::100");
	/* checked against --ip6: given, on its prefix, without it */
	assert_int_equal(
		parse(&c, "--connect", "[2001:2::2]:80:http", "--src-ip", "2001:2::100", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--ip6"));
	assert_int_equal(src6_range(&c, "2001:3::100-2001:3::1ff", a), 256);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "prefix"));
	assert_int_equal(src6_range(&c, "2001:2::0-2001:2::ff", a), 256);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "holds our --ip6"));
	assert_int_equal(parse(&c, "--ip6", "2001:2::1:1/120", "--connect", "[2001:2::1:2]:80:http",
			       "--src-ip", "2001:2::1:f0-2001:2::1:1ff", NULL),
			 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "prefix"));
}

/* --gateway with an IPv6 address (issue 15): IPv6 targets off our --ip6 prefix go through it. */
static void
test_gateway6(void **state)
{
	struct tcpd_config c;
	uint8_t want[16];
	char val[256];
	unsigned int i;

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "2001:2::fe", want), 1);
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--connect",
			       "[2001:3::2]:80:http,[2001:2::2]:80:http", "--gateway", "2001:2::fe",
			       NULL),
			 0);
	assert_memory_equal(c.client.gateway6, want, 16);
	assert_int_equal(c.client.gateway, 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), 0);
	for (i = 0; i < tcpd_config_nb_options(); i++)
		if (strcmp(tcpd_config_option(&c, i, val, sizeof(val)), "gateway") == 0)
			assert_string_equal(val, "2001:2::fe");
	/* both families; shown as given */
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--connect", "[2001:3::2]:80:http",
			       "--gateway", "198.18.0.254,2001:2::fe", NULL),
			 0);
	assert_int_equal(c.client.gateway, ip4("198.18.0.254"));
	assert_memory_equal(c.client.gateway6, want, 16);
	for (i = 0; i < tcpd_config_nb_options(); i++)
		if (strcmp(tcpd_config_option(&c, i, val, sizeof(val)), "gateway") == 0)
			assert_string_equal(val, "198.18.0.254,2001:2::fe");
	expect_bad("--gateway", "2001:2::fe,198.18.0.254");
	expect_bad("--gateway", "198.18.0.254,198.18.0.253");
	expect_bad("--gateway", "198.18.0.254,2001:2::fe,2001:2::fd");
	expect_bad("--gateway", "ff02::2");
	expect_bad("--gateway", "fe80::1");
	expect_bad("--gateway", "::1");
	/* the gateway on our prefix, not ours, not in our source range */
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--connect", "[2001:3::2]:80:http",
			       "--gateway", "2001:4::fe", NULL),
			 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not on our prefix"));
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--connect", "[2001:3::2]:80:http",
			       "--gateway", "2001:2::1", NULL),
			 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "one of our addresses"));
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--connect", "[2001:3::2]:80:http",
			       "--gateway", "2001:2::105", "--src-ip", "2001:2::100/124", NULL),
			 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "one of our addresses"));
	/* without an IPv6 gateway, an off-prefix IPv6 target is refused, naming --gateway */
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--connect", "[2001:3::2]:80:http",
			       "--gateway", "198.18.0.254", NULL),
			 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--gateway"));
}

static void
test_file(void **state)
{
	struct tcpd_config c;
	char path[] = "/tmp/tcpd_cfg_client_XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("connect = 198.18.0.2:80:http, 198.18.0.2:7:echo\n"
	      "src_ports = 3000-3999\ncps = 123\nramp = 1\nreport = /tmp/x.jsonl\n"
	      "src_ip = 2001:2::100/120\n",
	      f);
	fclose(f);
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.client.nb_targets, 2);
	assert_int_equal(c.client.target[1].app, TCPD_SVC_ECHO);
	assert_int_equal(c.client.src_port_first, 3000);
	assert_int_equal(c.client.cps, 123);
	assert_int_equal(c.client.ramp, 1);
	assert_string_equal(c.client.report, "/tmp/x.jsonl");
	assert_int_equal(c.client.src_ip6_n, 256);
	unlink(path);
}

/* Without --connect the daemon serves: a client option set away from its default is an error
 * naming it, not a setting ignored in silence; at its default (the shipped file) it passes. */
static void
test_client_option_needs_connect(void **state)
{
	static const char *const set[][2] = {
		{"--src-ip", "198.18.0.10"},
		{"--src-ports", "2000-3000"},
		{"--gateway", "198.18.0.9"},
		{"--cps", "100"},
		{"--concurrency", "5"},
		{"--requests", "2"},
		{"--duration", "1"},
		{"--ramp", "1"},
		{"--drain", "0"},
		{"--payload", "10"},
		{"--response-timeout", "9"},
		{"--arp-timeout", "1"},
		{"--allow-failures", "1"},
		{"--linger", "1"},
		{"--report", "/tmp/r.json"},
	};
	struct tcpd_config c;
	char want[128];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		assert_int_equal(parse(&c, set[i][0], set[i][1], NULL), 0);
		err[0] = '\0';
		assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s (key ", set[i][0]);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, ") is a client-mode option: it needs --connect") == NULL)
			fail_msg("%s %s: message '%s'", set[i][0], set[i][1], err);
		assert_int_equal(parse(&c, set[i][0], set[i][1], "--connect", "198.18.0.2:80:http",
				       "--gateway", "198.18.0.9", NULL),
				 0);
		assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), 0);
	}
	assert_int_equal(parse(&c, "--cps", "1000", "--src-ports", "1024-65535", NULL), 0);
	assert_int_equal(tcpd_config_client_check(&c, err, sizeof(err)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_client_option_needs_connect),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_ipv6_targets),
		cmocka_unit_test(test_src_ip6),
		cmocka_unit_test(test_gateway6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
