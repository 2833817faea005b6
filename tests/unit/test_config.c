/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/config without EAL: defaults, every option, every bad value, files, precedence, --help. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcpd_config.h"

#define MAX_ARGS 64

static char err[2048];

/* Parse a NULL-terminated list of arguments (argv[0] is added). */
static int
parse_v(struct tcpd_config *c, FILE *out, const char *first, va_list ap)
{
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	const char *a;

	argv[argc++] = (char *)"dpdk-tcpd";
	for (a = first; a != NULL; a = va_arg(ap, const char *)) {
		assert_true(argc < MAX_ARGS);
		argv[argc++] = (char *)a;
	}
	argv[argc] = NULL;
	tcpd_config_defaults(c);
	return tcpd_config_parse_args(c, argc, argv, out, err, sizeof(err));
}

static int
parse(struct tcpd_config *c, const char *first, ...)
{
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = parse_v(c, stdout, first, ap);
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

/* A temporary file holding @p text; the path is written to @p path. */
static void
write_file(char *path, size_t len, const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, len, "/tmp/tcpd_test_config_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_defaults(void **state)
{
	struct tcpd_config c;

	(void)state;
	tcpd_config_defaults(&c);
	assert_int_equal(c.port_id, 0);
	assert_int_equal(c.ip, ip4("198.18.0.1"));
	assert_int_equal(c.prefix_len, 15);
	assert_int_equal(c.mtu, 1500);
	assert_int_equal(c.nb_listen, 3);
	assert_int_equal(c.listen[0].port, 80);
	assert_int_equal(c.listen[0].service, TCPD_SVC_HTTP);
	assert_int_equal(c.listen[1].port, 7);
	assert_int_equal(c.listen[1].service, TCPD_SVC_ECHO);
	assert_int_equal(c.listen[2].port, 9);
	assert_int_equal(c.listen[2].service, TCPD_SVC_DISCARD);
	assert_int_equal(c.syncookies, TCPD_SYNCOOKIES_AUTO);
	assert_int_equal(c.synq_limit, 1024);
	assert_int_equal(c.max_conns, 65536);
	assert_int_equal(c.stats_interval, 1);
	assert_int_equal(c.time_wait, 60);
	assert_int_equal(c.fin_wait2_timeout, 60);
	assert_int_equal(c.idle_timeout, 0);
	assert_int_equal(c.rto_retries, 6);
	assert_int_equal(c.http_body_size, 100);
	assert_int_equal(c.rst_rate, 1000);
	assert_false(c.syn_shed);
	assert_false(c.rx_deep);
	assert_false(c.syn_shed_refuse);
	assert_true(c.last_ack_shed);
	assert_true(c.tlp);
	assert_int_equal(c.random_loss_ms, 2);
	assert_int_equal(c.challenge_ack_limit, 10);
	assert_int_equal(c.cookie_rotate, 0);
	assert_false(c.cookie_secret_set);
	assert_int_equal(c.nb_mbufs, 16383);
	assert_int_equal(c.rx_desc, 1024);
	assert_int_equal(c.tx_desc, 1024);
	assert_string_equal(c.config_file, "");
}

static void
test_no_args(void **state)
{
	struct tcpd_config c, d;

	(void)state;
	assert_int_equal(parse(&c, NULL), 0);
	tcpd_config_defaults(&d);
	assert_memory_equal(&c, &d, sizeof(c));
}

static void
test_every_option(void **state)
{
	struct tcpd_config c;
	static const uint8_t secret[32] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
					   0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
					   0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};

	(void)state;
	assert_int_equal(
		parse(&c, "--port", "3", "--ip", "198.19.1.2/24", "--listen", "8080:echo",
		      "--syncookies", "always", "--synq-limit", "77", "--max-conns", "1000",
		      "--stats-interval", "0", "--time-wait", "2", "--fin-wait2-timeout", "3",
		      "--idle-timeout", "4", "--rto-retries", "5", "--http-body-size", "0",
		      "--rst-rate", "0", "--challenge-ack-limit", "7", "--cookie-rotate", "60",
		      "--cookie-secret",
		      "00112233445566778899aabbccddeeff0123456789ABCDEFfedcba9876543210", "--mtu",
		      "9000", "--nb-mbufs", "4095", "--rx-desc", "512", "--tx-desc=256", NULL),
		0);
	assert_int_equal(c.port_id, 3);
	assert_int_equal(c.ip, ip4("198.19.1.2"));
	assert_int_equal(c.prefix_len, 24);
	assert_int_equal(c.nb_listen, 1);
	assert_int_equal(c.listen[0].port, 8080);
	assert_int_equal(c.listen[0].service, TCPD_SVC_ECHO);
	assert_int_equal(c.syncookies, TCPD_SYNCOOKIES_ALWAYS);
	assert_int_equal(c.synq_limit, 77);
	assert_int_equal(c.max_conns, 1000);
	assert_int_equal(c.stats_interval, 0);
	assert_int_equal(c.time_wait, 2);
	assert_int_equal(c.fin_wait2_timeout, 3);
	assert_int_equal(c.idle_timeout, 4);
	assert_int_equal(c.rto_retries, 5);
	assert_int_equal(c.http_body_size, 0);
	assert_int_equal(c.rst_rate, 0);
	assert_int_equal(c.challenge_ack_limit, 7);
	assert_int_equal(c.cookie_rotate, 60);
	assert_true(c.cookie_secret_set);
	assert_memory_equal(c.cookie_secret, secret, 32);
	assert_int_equal(c.mtu, 9000);
	assert_int_equal(c.nb_mbufs, 4095);
	assert_int_equal(c.rx_desc, 512);
	assert_int_equal(c.tx_desc, 256);

	assert_int_equal(parse(&c, "--syncookies", "off", NULL), 0);
	assert_int_equal(c.syncookies, TCPD_SYNCOOKIES_OFF);
	assert_int_equal(parse(&c, "--syncookies", "auto", NULL), 0);
	assert_int_equal(c.syncookies, TCPD_SYNCOOKIES_AUTO);
	assert_int_equal(parse(&c, "--ip", "10.0.0.1/32", NULL), 0);
	assert_int_equal(c.prefix_len, 32);
	/* RFC 3021: both addresses of a /31 are hosts. */
	assert_int_equal(parse(&c, "--ip", "198.18.0.0/31", NULL), 0);
	assert_int_equal(parse(&c, "--cookie-rotate", "0", NULL), 0);
	assert_int_equal(c.cookie_rotate, 0);
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--ip6-peers", "100", NULL), 0);
	assert_int_equal(c.ip6_peers, 100);
	assert_int_equal(c.ip6_prefix_len, 64);
	assert_int_equal(parse(&c, "--syn-shed", "on", "--last-ack-shed", "off", NULL), 0);
	assert_true(c.syn_shed);
	assert_false(c.last_ack_shed);
	assert_int_equal(parse(&c, "--syn-shed", "on", "--syn-shed", "off", NULL), 0);
	assert_false(c.syn_shed);
	assert_int_equal(parse(&c, "--rx-deep", "on", "--syn-shed-refuse", "on", NULL), 0);
	assert_true(c.rx_deep);
	assert_true(c.syn_shed_refuse);
	assert_int_equal(parse(&c, "--tlp", "off", NULL), 0);
	assert_false(c.tlp);
	assert_int_equal(parse(&c, "--random-loss-ms", "0", NULL), 0);
	assert_int_equal(c.random_loss_ms, 0);
}

/* @p opt with @p val must fail, and the message must name the option, the value and the
 * accepted values (@p accepted is a fragment of them). */
static void
expect_bad(const char *opt, const char *val, const char *accepted)
{
	struct tcpd_config c;

	err[0] = '\0';
	if (parse(&c, opt, val, NULL) != -1)
		fail_msg("%s %s accepted", opt, val);
	if (strstr(err, opt) == NULL || strstr(err, "accepted") == NULL ||
	    strstr(err, accepted) == NULL)
		fail_msg("%s %s: message '%s' lacks the option or '%s'", opt, val, err, accepted);
	if (strcmp(opt, "--cookie-secret") != 0 && *val != '\0' && strstr(err, val) == NULL)
		fail_msg("%s %s: message '%s' lacks the value", opt, val, err);
}

static void
test_bad_values(void **state)
{
	static const struct {
		const char *opt, *val, *accepted;
	} bad[] = {
		{"--port", "-1", "from 0 to"},
		{"--port", "abc", "from 0 to"},
		{"--port", "100000", "from 0 to"},
		{"--port", "", "from 0 to"},
		{"--port", " 1", "from 0 to"},
		{"--port", "1x", "from 0 to"},
		{"--ip", "198.18.0.1", "A.B.C.D/PREFIX"},
		{"--ip", "198.18.0.1/0", "prefix 1 to 32"},
		{"--ip", "198.18.0.1/33", "prefix 1 to 32"},
		{"--ip", "198.18.0/15", "A.B.C.D/PREFIX"},
		{"--ip", "300.18.0.1/15", "A.B.C.D/PREFIX"},
		{"--ip", "224.0.0.1/4", "unicast"},
		{"--ip", "127.0.0.1/8", "unicast"},
		{"--ip", "0.1.2.3/8", "unicast"},
		{"--ip", "255.255.255.255/32", "unicast"},
		{"--ip", "198.18.0.0/15", "network or broadcast"},
		{"--ip", "198.19.255.255/15", "network or broadcast"},
		{"--ip", "198.18.0.1/x", "prefix 1 to 32"},
		{"--listen", "0:http", "port 1 to 65535"},
		{"--listen", "65536:http", "port 1 to 65535"},
		{"--listen", "80:ftp", "discard, echo or http"},
		{"--listen", "80", "PORT:SERVICE"},
		{"--listen", ":http", "PORT:SERVICE"},
		{"--listen", "80:http,", "PORT:SERVICE"},
		{"--listen", "80:http,80:echo", "each port once"},
		{"--listen", "x:http", "port 1 to 65535"},
		{"--listen", "", "PORT:SERVICE"},
		{"--syncookies", "on", "off, auto, always"},
		{"--syncookies", "1", "off, auto, always"},
		{"--synq-limit", "0", "from 1 to"},
		{"--max-conns", "0", "from 16 to"},
		{"--max-conns", "99999999999", "from 16 to"},
		{"--stats-interval", "-1", "from 0 to 86400"},
		{"--time-wait", "0", "from 1 to 3600"},
		{"--fin-wait2-timeout", "3601", "from 1 to 3600"},
		{"--idle-timeout", "1.5", "from 0 to 86400"},
		{"--rto-retries", "0", "from 1 to 15"},
		{"--rto-retries", "16", "from 1 to 15"},
		{"--http-body-size", "1048577", "from 0 to 1048576"},
		{"--rst-rate", "1e3", "from 0 to"},
		{"--challenge-ack-limit", "0x10", "from 0 to"},
		{"--cookie-rotate", "59", "0 (never) or an integer from 60"},
		{"--cookie-rotate", "1", "0 (never) or an integer from 60"},
		{"--cookie-secret", "0011", "64 hex digits"},
		{"--cookie-secret",
		 "00112233445566778899aabbccddeeff0123456789abcdeffedcba98765432100",
		 "64 hex digits"},
		{"--cookie-secret",
		 "g0112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
		 "64 hex digits"},
		{"--mtu", "575", "from 576 to 9000"},
		{"--mtu", "9001", "from 576 to 9000"},
		{"--nb-mbufs", "100", "from 1024 to"},
		{"--rx-desc", "63", "from 64 to"},
		{"--tx-desc", "16385", "from 64 to"},
		{"--ip6-peers", "16777216", "from 0 to 16777215"},
		{"--ip6-peers", "-1", "from 0 to 16777215"},
		{"--syn-shed", "yes", "on, off"},
		{"--syn-shed", "1", "on, off"},
		{"--syn-shed", "ON", "on, off"},
		{"--last-ack-shed", "", "on, off"},
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i].opt, bad[i].val, bad[i].accepted);
}

static void
test_secret_never_printed(void **state)
{
	struct tcpd_config c;
	const char *s = "zz112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";
	char val[128];
	unsigned int i;

	(void)state;
	assert_int_equal(parse(&c, "--cookie-secret", s, NULL), -1);
	assert_null(strstr(err, "zz1122"));
	assert_int_equal(parse(&c, "--cookie-secret",
			       "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
			       NULL),
			 0);
	for (i = 0; i < tcpd_config_nb_options(); i++) {
		const char *key = tcpd_config_option(&c, i, val, sizeof(val));

		assert_non_null(key);
		assert_null(strstr(val, "0011"));
		if (strcmp(key, "cookie_secret") == 0)
			assert_string_equal(val, "set");
	}
	assert_null(tcpd_config_option(&c, i, val, sizeof(val)));
}

static void
test_listen_lists(void **state)
{
	struct tcpd_config c;
	char list[512];
	size_t used = 0;
	int i;

	(void)state;
	assert_int_equal(parse(&c, "--listen", "1:discard, 65535:http ,7:echo", NULL), 0);
	assert_int_equal(c.nb_listen, 3);
	assert_int_equal(c.listen[0].port, 1);
	assert_int_equal(c.listen[0].service, TCPD_SVC_DISCARD);
	assert_int_equal(c.listen[1].port, 65535);
	assert_int_equal(c.listen[1].service, TCPD_SVC_HTTP);
	assert_int_equal(c.listen[2].port, 7);
	assert_int_equal(c.listen[2].service, TCPD_SVC_ECHO);

	/* Exactly TCPD_MAX_LISTENERS is fine, one more is not. */
	for (i = 0; i < TCPD_MAX_LISTENERS; i++)
		used += snprintf(list + used, sizeof(list) - used, "%s%d:echo", i ? "," : "",
				 1000 + i);
	assert_int_equal(parse(&c, "--listen", list, NULL), 0);
	assert_int_equal(c.nb_listen, TCPD_MAX_LISTENERS);
	assert_int_equal(c.listen[TCPD_MAX_LISTENERS - 1].port, 1000 + TCPD_MAX_LISTENERS - 1);
	snprintf(list + used, sizeof(list) - used, ",2000:http");
	expect_bad("--listen", list, "at most 16");

	/* A failed list leaves the previous one intact. */
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_parse_args(&c, 3,
						(char *[]){"x", "--listen", "80:http,0:echo", NULL},
						stdout, err, sizeof(err)),
			 -1);
	assert_int_equal(c.nb_listen, 3);
	assert_int_equal(c.listen[0].port, 80);
}

static void
test_unknown_and_malformed(void **state)
{
	struct tcpd_config c;

	(void)state;
	assert_int_equal(parse(&c, "--bogus", "1", NULL), -1);
	assert_non_null(strstr(err, "--bogus"));
	assert_non_null(strstr(err, "--max-conns")); /* the accepted options are listed */
	assert_int_equal(parse(&c, "--port", NULL), -1);
	assert_non_null(strstr(err, "--port"));
	assert_non_null(strstr(err, "missing value"));
	assert_int_equal(parse(&c, "stray", NULL), -1);
	assert_non_null(strstr(err, "stray"));
	assert_int_equal(parse(&c, "-x", NULL), -1);
	assert_non_null(strstr(err, "-x"));
	/* One --config: a second one would silently replace the first. */
	assert_int_equal(
		parse(&c, "--config", "/a.conf", "--mtu", "1400", "--config=/b.conf", NULL), -1);
	assert_non_null(strstr(err, "--config given twice (arguments 1 and 5)"));
}

static void
test_help(void **state)
{
	struct tcpd_config c;
	char *buf = NULL, val[256];
	size_t len = 0;
	unsigned int i;
	FILE *out;
	char *argv[] = {"dpdk-tcpd", "--port", "1", "--help", NULL};

	(void)state;
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_parse_args(&c, 4, argv, out, err, sizeof(err)), 1);
	fclose(out);
	assert_non_null(strstr(buf, "Usage: dpdk-tcpd"));
	assert_non_null(strstr(buf, "--help"));
	tcpd_config_defaults(&c);
	for (i = 0; i < tcpd_config_nb_options(); i++) {
		const char *key = tcpd_config_option(&c, i, val, sizeof(val));
		char opt[64], def[300];
		unsigned int j;

		snprintf(opt, sizeof(opt), "--%s ", key);
		for (j = 2; opt[j] != '\0'; j++)
			if (opt[j] == '_')
				opt[j] = '-';
		if (strstr(buf, opt) == NULL)
			fail_msg("--help lacks %s", opt);
		if (strcmp(key, "cookie_secret") == 0 || strcmp(key, "config") == 0)
			continue;
		snprintf(def, sizeof(def), "(default %s)", val);
		if (strstr(buf, def) == NULL)
			fail_msg("--help lacks %s for %s", def, opt);
	}
	assert_non_null(strstr(buf, "(default 80:http,7:echo,9:discard)"));
	assert_non_null(strstr(buf, "(default 198.18.0.1/15)"));
	assert_non_null(strstr(buf, "(default auto)"));
	free(buf);
	/* -h too, and --help wins over a bad option elsewhere. */
	assert_int_equal(parse(&c, "-h", NULL), 1);
}

static const char all_keys[] =
	"# every key\n"
	"port = 2\n"
	"ip = 198.18.5.6/16\n"
	"listen = 8000:discard, 8001:echo\n"
	"syncookies = off\n"
	"synq_limit = 11\n"
	"max_conns = 2048 # trailing comment\n"
	"stats_interval = 5\n"
	"time_wait = 30\n"
	"fin_wait2_timeout = 31\n"
	"idle_timeout = 32\n"
	"rto_retries = 3\n"
	"http_body_size = 4096\n"
	"rst_rate = 50\n"
	"syn_shed = on\n"
	"last_ack_shed = off\n"
	"challenge_ack_limit = 2\n"
	"cookie_rotate = 120\n"
	"cookie_secret = ffffffffffffffffffffffffffffffff00000000000000000000000000000001\n"
	"mtu = 1400\n"
	"nb_mbufs = 8191\n"
	"rx_desc = 256\n"
	"tx_desc = 128\n";

static void
test_file_all_keys(void **state)
{
	struct tcpd_config c;
	char path[64];

	(void)state;
	write_file(path, sizeof(path), all_keys);
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.port_id, 2);
	assert_int_equal(c.ip, ip4("198.18.5.6"));
	assert_int_equal(c.prefix_len, 16);
	assert_int_equal(c.nb_listen, 2);
	assert_int_equal(c.listen[0].port, 8000);
	assert_int_equal(c.listen[0].service, TCPD_SVC_DISCARD);
	assert_int_equal(c.listen[1].port, 8001);
	assert_int_equal(c.listen[1].service, TCPD_SVC_ECHO);
	assert_int_equal(c.syncookies, TCPD_SYNCOOKIES_OFF);
	assert_int_equal(c.synq_limit, 11);
	assert_int_equal(c.max_conns, 2048);
	assert_int_equal(c.stats_interval, 5);
	assert_int_equal(c.time_wait, 30);
	assert_int_equal(c.fin_wait2_timeout, 31);
	assert_int_equal(c.idle_timeout, 32);
	assert_int_equal(c.rto_retries, 3);
	assert_int_equal(c.http_body_size, 4096);
	assert_int_equal(c.rst_rate, 50);
	assert_true(c.syn_shed);
	assert_false(c.last_ack_shed);
	assert_int_equal(c.challenge_ack_limit, 2);
	assert_int_equal(c.cookie_rotate, 120);
	assert_true(c.cookie_secret_set);
	assert_int_equal(c.cookie_secret[0], 0xff);
	assert_int_equal(c.cookie_secret[15], 0xff);
	assert_int_equal(c.cookie_secret[16], 0x00);
	assert_int_equal(c.cookie_secret[31], 0x01);
	assert_int_equal(c.mtu, 1400);
	assert_int_equal(c.nb_mbufs, 8191);
	assert_int_equal(c.rx_desc, 256);
	assert_int_equal(c.tx_desc, 128);
	unlink(path);
}

static void
test_file_sections(void **state)
{
	struct tcpd_config c;
	char path[64];

	(void)state;
	/* Keys at the top and in [tcpd] both apply; each key at most once in the file. */
	write_file(path, sizeof(path), "rx_desc = 128\n\n[tcpd]\n# c\nmtu = 1200\n");
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.mtu, 1200);
	assert_int_equal(c.rx_desc, 128);
	unlink(path);

	write_file(path, sizeof(path), "[tcpd]\nmtu = 1000\n[other]\nmtu = 1200\n");
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "[other]"));
	assert_non_null(strstr(err, "[tcpd]"));
	unlink(path);

	/* An empty file and a comment-only file change nothing. */
	write_file(path, sizeof(path), "# nothing\n\n");
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.mtu, 1500);
	unlink(path);
}

static void
test_file_errors(void **state)
{
	struct tcpd_config c;
	char path[64];

	(void)state;
	write_file(path, sizeof(path), "mtu = 1400\nmax_conn = 10\n");
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown key 'max_conn'"));
	assert_non_null(strstr(err, "max_conns")); /* the accepted keys are listed */
	assert_non_null(strstr(err, path));
	unlink(path);

	/* The dash form is the command line's, not a key. */
	write_file(path, sizeof(path), "max-conns = 10\n");
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "max-conns"));
	unlink(path);

	write_file(path, sizeof(path), "[tcpd]\nsyncookies = yes\n");
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "syncookies: bad value 'yes'"));
	assert_non_null(strstr(err, "off, auto, always"));
	unlink(path);

	write_file(path, sizeof(path), "config = /etc/other.conf\n");
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown key 'config'"));
	unlink(path);

	write_file(path, sizeof(path), "cookie_secret = 1234\n");
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cookie_secret"));
	assert_null(strstr(err, "1234"));
	unlink(path);

	write_file(path, sizeof(path), "[tcpd\nmtu = 1400\n");
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	unlink(path);

	assert_int_equal(tcpd_config_load_file(&c, "/nonexistent/tcpd.conf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/tcpd.conf"));
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(parse(&c, "--config", "/nonexistent/tcpd.conf", NULL), -1);
	assert_non_null(strstr(err, "/nonexistent/tcpd.conf"));
}

/* Load @p text and expect an error naming the file, line @p line and @p what. */
static void
expect_file_error(const char *text, unsigned int line, const char *what)
{
	struct tcpd_config c, d;
	char path[64], where[96];

	write_file(path, sizeof(path), text);
	tcpd_config_defaults(&c);
	err[0] = '\0';
	if (tcpd_config_load_file(&c, path, err, sizeof(err)) != -1)
		fail_msg("accepted: %s", text);
	snprintf(where, sizeof(where), "%s:%u: ", path, line);
	if (strncmp(err, where, strlen(where)) != 0 || strstr(err, what) == NULL)
		fail_msg("message '%s' lacks '%s' or '%s' for: %s", err, where, what, text);
	/* Nothing was applied: an error leaves the configuration as it was. */
	tcpd_config_defaults(&d);
	assert_memory_equal(&c, &d, sizeof(c));
	unlink(path);
}

#define HEX64 "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210"

/* Issue 11 item 5: what rte_cfgfile let through silently is an error naming file and line. */
static void
test_file_strict(void **state)
{
	(void)state;
	expect_file_error("[tcpd]\nmtu = 1400\n[tcpd]\nrx_desc = 128\n", 3,
			  "section [tcpd] repeated (first at line 1)");
	expect_file_error("mtu = 1400\n[GLOBAL]\ncookie_secret = " HEX64 "\n", 2,
			  "unknown section [GLOBAL]");
	expect_file_error("[tcpd]\nmtu = 1400\n[GLOBAL]\nbogus = 1\n", 3,
			  "unknown section [GLOBAL]");
	expect_file_error("[tcpd]\nmtu 1400\n", 2, "expected 'key = value'");
	expect_file_error("# a\nmtu = 1400\nrx_desc = 128\nmtu = 1500\n", 4,
			  "key 'mtu' repeated (first at line 2)");
	expect_file_error("mtu = 1400\n[tcpd]\nmtu = 1500\n", 3, "key 'mtu' repeated");
	expect_file_error("[tcpd]\nmtu =\n", 2, "no value");
	expect_file_error("[tcpd]\n= 1400\n", 2, "no key");
	expect_file_error("[tcpd] x\nmtu = 1400\n", 1, "text after ']'");
	expect_file_error("[tcpd\nmtu = 1400\n", 1, "no closing ']'");
	expect_file_error("mtu = 1400\nmax_conn = 10\n", 2, "unknown key 'max_conn'");
	expect_file_error("mtu = 1400\nsyncookies = yes\n", 2, "syncookies: bad value 'yes'");
	expect_file_error("mtu = 1400\nrx_desc = 128\n[tcpd]x\n", 3, "text after ']'");
	expect_file_error("mtu = 1400\n\x1b[2Jx = 1\n", 2, "unknown key (not shown: not printable");
	expect_file_error("\xef\xbb\xbfmtu = 1400\n", 1, "unknown key (not shown: not printable");
	expect_file_error("mtu = 1400\n\f\n", 2, "expected 'key = value'");
}

/* A NUL byte (a binary file): an error at its line, not a value cut short. */
static void
test_file_nul(void **state)
{
	static const char text[] = "mtu = 1400\nrx_desc = 12\08\n";
	struct tcpd_config c;
	char path[64];
	FILE *f;

	(void)state;
	write_file(path, sizeof(path), "");
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
	fclose(f);
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: NUL byte"));
	unlink(path);
}

/* Issue 11 item 5: the loader is bounded: regular files only, a size limit. */
static void
test_file_bounded(void **state)
{
	struct tcpd_config c;
	char path[64], big[128];
	FILE *f;
	int i;

	(void)state;
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, "/tmp", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/tmp: not a regular file"));
	assert_int_equal(tcpd_config_load_file(&c, "/dev/zero", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/dev/zero: not a regular file"));
	assert_int_equal(parse(&c, "--config", "/tmp", NULL), -1);
	assert_non_null(strstr(err, "not a regular file"));

	/* 1 MB of repeated keys: refused by size before anything is parsed. */
	write_file(path, sizeof(path), "");
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < 1000000 / 16; i++)
		fputs("mtu = 1400 # xx\n", f);
	fclose(f);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	snprintf(big, sizeof(big), "%s: larger than %u bytes", path, TCPD_CONFIG_FILE_MAX);
	if (strstr(err, big) == NULL)
		fail_msg("message '%s' lacks '%s'", err, big);
	unlink(path);

	/* Within the limit, every key repeated is still caught at its second line. */
	write_file(path, sizeof(path), "");
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < 4000; i++)
		fputs("mtu = 1400\n", f);
	fclose(f);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: key 'mtu' repeated"));
	unlink(path);
}

/* No 16-digit run of hex digits (a secret, or a large part of one) in @p s. */
static void
assert_no_secret(const char *text)
{
	unsigned int run = 0;
	const char *s;

	for (s = text; *s != '\0'; s++) {
		run = strchr("0123456789abcdefABCDEF", *s) != NULL ? run + 1 : 0;
		if (run >= 16)
			fail_msg("a secret is printed: %s", text);
	}
}

/* Issue 11 item 6: the right argument is named, and a secret is never printed. */
static void
test_args_secret_hygiene(void **state)
{
	struct tcpd_config c;
	char path[64];
	unsigned int i;

	(void)state;
	/* getopt's optind has not moved for a clustered short option: name "-ip", not HEX. */
	assert_int_equal(parse(&c, "--cookie-secret", HEX64, "-ip", "198.18.0.1/15", NULL), -1);
	assert_no_secret(err);
	assert_non_null(strstr(err, "unknown option '-i' in '-ip'"));
	assert_int_equal(parse(&c, "--mtu", "1400", "-hx", NULL), 1); /* -h wins */
	assert_int_equal(parse(&c, "--mtu", "1400", "-xh", NULL), -1);
	assert_non_null(strstr(err, "unknown option '-x' in '-xh'"));
	/* An unknown option with a value: the name only. */
	assert_int_equal(parse(&c, "--cookie_secret=" HEX64, NULL), -1);
	assert_no_secret(err);
	assert_non_null(strstr(err, "unknown option '--cookie_secret=...'"));
	assert_int_equal(parse(&c, "--cookie_secret", HEX64, NULL), -1);
	assert_no_secret(err);
	assert_non_null(strstr(err, "unknown option '--cookie_secret'"));
	assert_int_equal(parse(&c, "--help=" HEX64, NULL), -1);
	assert_no_secret(err);
	assert_non_null(strstr(err, "--help"));
	/* A stray secret, or a secret given to another option. */
	assert_int_equal(parse(&c, "--mtu", "1400", HEX64, NULL), -1);
	assert_no_secret(err);
	assert_non_null(strstr(err, "unexpected argument 3"));
	assert_int_equal(parse(&c, HEX64, NULL), -1);
	assert_no_secret(err);
	assert_int_equal(parse(&c, "-" HEX64, NULL), -1);
	assert_no_secret(err);
	assert_int_equal(parse(&c, "--" HEX64, NULL), -1);
	assert_no_secret(err);
	assert_int_equal(parse(&c, "--mtu", HEX64, NULL), -1);
	assert_no_secret(err);
	assert_non_null(strstr(err, "--mtu: bad value (not shown"));
	assert_int_equal(parse(&c, "--cookie-secret", HEX64 "0", NULL), -1);
	assert_no_secret(err);
	/* Unambiguous abbreviations are getopt_long's: still a secret option. */
	assert_int_equal(parse(&c, "--cookie-secr=" HEX64 "0", NULL), -1);
	assert_no_secret(err);

	/* A secret given as the --config path: not in the message, nor in the option's value. */
	assert_int_equal(parse(&c, "--config", HEX64, NULL), -1);
	assert_no_secret(err);
	assert_non_null(strstr(err, "cannot open the --config file (name not shown"));
	tcpd_config_defaults(&c);
	strcpy(c.config_file, HEX64);
	for (i = 0; i < tcpd_config_nb_options(); i++) {
		char val[TCPD_CONFIG_VALUE_MAX];

		tcpd_config_option(&c, i, val, sizeof(val));
		assert_no_secret(val);
	}

	/* The same in the file. */
	expect_file_error("mtu = " HEX64 "\n", 1, "mtu: bad value (not shown");
	expect_file_error("[tcpd]\n" HEX64 "\n", 2, "expected 'key = value'");
	assert_no_secret(err);
	expect_file_error("[tcpd]\ncookie_secret " HEX64 "\n", 2, "expected 'key = value'");
	assert_no_secret(err);
	expect_file_error("cookie-secret = " HEX64 "\n", 1, "unknown key 'cookie-secret'");
	assert_no_secret(err);
	expect_file_error(HEX64 " = 1\n", 1, "unknown key (not shown");
	assert_no_secret(err);
	expect_file_error("cookie_secret = " HEX64 "\ncookie_secret = " HEX64 "\n", 2,
			  "key 'cookie_secret' repeated");
	assert_no_secret(err);
	expect_file_error("[GLOBAL]\ncookie_secret = " HEX64 "\n", 1, "unknown section");
	assert_no_secret(err);
	write_file(path, sizeof(path), "cookie_secret = " HEX64 "0\n");
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_no_secret(err);
	unlink(path);
}

static void
test_command_line_wins(void **state)
{
	struct tcpd_config c;
	char path[64];

	(void)state;
	write_file(path, sizeof(path), "mtu = 1400\nmax_conns = 100\nsyncookies = off\n");
	/* Before and after --config: the command line wins either way. */
	assert_int_equal(
		parse(&c, "--mtu", "1300", "--config", path, "--syncookies", "always", NULL), 0);
	assert_int_equal(c.mtu, 1300);
	assert_int_equal(c.syncookies, TCPD_SYNCOOKIES_ALWAYS);
	assert_int_equal(c.max_conns, 100); /* from the file */
	assert_string_equal(c.config_file, path);
	/* A bad value on the command line is still an error after a good file. */
	assert_int_equal(parse(&c, "--config", path, "--mtu", "1", NULL), -1);
	assert_non_null(strstr(err, "--mtu"));
	unlink(path);
}

/*
 * IPv6 links carry 1280-byte packets (RFC 8200 5): with --ip6, --mtu below that is refused
 * once everything is applied, wherever each came from; without --ip6, IPv4's floor (576, the
 * option's range) stays.
 */
static void
test_ip6_mtu_floor(void **state)
{
	static const char want[] = "--mtu: bad value '1279' with --ip6 (accepted: an integer from "
				   "1280 to 9000, IPv6's minimum link MTU of RFC 8200 5 and up)";
	struct tcpd_config c;
	char path[64];

	(void)state;
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--mtu", "1279", NULL), -1);
	assert_string_equal(err, want);
	/* the order of the two options does not matter */
	assert_int_equal(parse(&c, "--mtu", "576", "--ip6", "2001:2::1/64", NULL), -1);
	assert_string_equal(err, "--mtu: bad value '576' with --ip6 (accepted: an integer from "
				 "1280 to 9000, IPv6's minimum link MTU of RFC 8200 5 and up)");
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--mtu", "1280", NULL), 0);
	assert_int_equal(c.mtu, 1280);
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", NULL), 0);
	assert_int_equal(c.mtu, 1500);
	/* IPv4 only: 576 stays accepted (RFC 791: every host takes 576-byte datagrams) */
	assert_int_equal(parse(&c, "--mtu", "576", NULL), 0);
	assert_int_equal(c.mtu, 576);
	assert_int_equal(tcpd_config_check(&c, err, sizeof(err)), 0);
	/* client mode over IPv6 needs --ip6 (tcpd_config_client_check): the same floor */
	assert_int_equal(parse(&c, "--ip6", "2001:2::1/64", "--connect", "[2001:2::2]:80:http",
			       "--mtu", "1279", NULL),
			 -1);
	assert_string_equal(err, want);
	/* one from the file, the other from the command line, or both from the file */
	write_file(path, sizeof(path), "mtu = 1279\n");
	assert_int_equal(parse(&c, "--config", path, "--ip6", "2001:2::1/64", NULL), -1);
	assert_string_equal(err, want);
	assert_int_equal(
		parse(&c, "--config", path, "--mtu", "1280", "--ip6", "2001:2::1/64", NULL), 0);
	unlink(path);
	write_file(path, sizeof(path), "ip6 = 2001:2::1/64\nmtu = 1279\n");
	assert_int_equal(parse(&c, "--config", path, NULL), -1);
	assert_string_equal(err, want);
	/* the file alone is not the whole configuration: checked by the caller, as above */
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), 0);
	assert_int_equal(tcpd_config_check(&c, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	unlink(path);
}

static const char *
dirname_of(const char *file)
{
	static char bufs[2][256];
	static unsigned int next;
	char *dir = bufs[next++ & 1]; /* two calls may share one snprintf */
	char *slash;

	snprintf(dir, sizeof(bufs[0]), "%s", file);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return ".";
	*slash = '\0';
	return dir;
}

/* The shipped config/tcpd.conf must load and equal the defaults (it documents them). */
static void
test_shipped_file(void **state)
{
	struct tcpd_config c, d;
	const char *path = getenv("TCPD_CONF");
	char def[512];

	(void)state;
	/* __FILE__ is relative to the build root, which is the parent of this binary's folder
	 * (<build>/tests/test_config): the file is found whatever the working directory. */
	if (path == NULL) {
		char exe[256] = "";
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (n > 0)
			exe[n] = '\0';
		if (__FILE__[0] == '/')
			snprintf(def, sizeof(def), "%s/../../config/tcpd.conf",
				 dirname_of(__FILE__));
		else
			snprintf(def, sizeof(def), "%s/../%s/../../config/tcpd.conf",
				 dirname_of(exe), dirname_of(__FILE__));
		path = def;
	}
	if (access(path, R_OK) != 0) {
		print_message("no %s (run from the build directory or set TCPD_CONF)\n", path);
		fail();
	}
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), 0);
	tcpd_config_defaults(&d);
	assert_memory_equal(&c, &d, sizeof(c));
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(tcpd_config_service_name(TCPD_SVC_DISCARD), "discard");
	assert_string_equal(tcpd_config_service_name(TCPD_SVC_ECHO), "echo");
	assert_string_equal(tcpd_config_service_name(TCPD_SVC_HTTP), "http");
	assert_null(tcpd_config_service_name(TCPD_SVC_MAX));
	assert_string_equal(tcpd_config_syncookies_name(TCPD_SYNCOOKIES_OFF), "off");
	assert_string_equal(tcpd_config_syncookies_name(TCPD_SYNCOOKIES_AUTO), "auto");
	assert_string_equal(tcpd_config_syncookies_name(TCPD_SYNCOOKIES_ALWAYS), "always");
	assert_null(tcpd_config_syncookies_name(3));
}

/* @p err is one line of printable ASCII that ends its sentence (nothing cut) and has @p what. */
static void
assert_one_line(const char *what)
{
	const char *s;

	for (s = err; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			fail_msg("byte 0x%02x at %zu of the message: %s", (unsigned char)*s,
				 (size_t)(s - err), err);
	if (strstr(err, what) == NULL || s == err || s[-1] != ')')
		fail_msg("message '%s' lacks '%s' or its end", err, what);
}

/* A bad value, name or path is quoted only when it is short printable ASCII: an escape code
 * would reach the terminal, a CR or LF split the one-line error, 60 KB fill it. */
static void
test_messages_one_line(void **state)
{
	static const char *const bad_values[] = {"14\x1b[2J00",
						 "14\r00",
						 "12\n3",
						 "1\t2",
						 "80:http\x1b]0;title\x07",
						 "\xef\xbb\xbf"
						 "80"};
	struct tcpd_config c;
	char path[64], text[256], big[60000];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		assert_int_equal(parse(&c, "--listen", bad_values[i], NULL), -1);
		assert_one_line("--listen: bad value (not shown: not printable ASCII) (accepted: ");
		if (strchr(bad_values[i], '\n') != NULL)
			continue; /* a file line ends there */
		snprintf(text, sizeof(text), "mtu = %s\n", bad_values[i]);
		write_file(path, sizeof(path), text);
		tcpd_config_defaults(&c);
		assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
		assert_one_line(":1: mtu: bad value (not shown: not printable ASCII) (accepted: ");
		unlink(path);
	}
	/* The longest value still shown, and one more character. */
	memset(big, 'x', 256);
	big[256] = '\0';
	assert_int_equal(parse(&c, "--listen", big, NULL), -1);
	assert_one_line("bad value 'xxxxxxxx");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[257] = '\0';
	assert_int_equal(parse(&c, "--listen", big, NULL), -1);
	assert_one_line("--listen: bad value (not shown: longer than 256 characters) (accepted: ");
	memcpy(big, "listen = ", 9);
	big[257] = 'x';
	big[sizeof(big) - 2] = '\n';
	write_file(path, sizeof(path), big);
	tcpd_config_defaults(&c);
	assert_int_equal(tcpd_config_load_file(&c, path, err, sizeof(err)), -1);
	assert_one_line(":1: listen: bad value (not shown: longer than 256 characters) (accepted: "
			"PORT:SERVICE");
	unlink(path);
	/* Names: an option on the command line, the --config path. */
	assert_int_equal(parse(&c, "--max-c\x1b[2Jonns", "12", NULL), -1);
	assert_one_line(
		"unknown option in argument 1 (not shown: not printable ASCII) (accepted: ");
	assert_int_equal(parse(&c, "--config", "tcpd.conf\n--port 1", NULL), -1);
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, "cannot open the --config file (name not shown: not "
				    "printable ASCII): No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_no_args),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_secret_never_printed),
		cmocka_unit_test(test_listen_lists),
		cmocka_unit_test(test_unknown_and_malformed),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_file_all_keys),
		cmocka_unit_test(test_file_sections),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_file_strict),
		cmocka_unit_test(test_file_nul),
		cmocka_unit_test(test_file_bounded),
		cmocka_unit_test(test_args_secret_hygiene),
		cmocka_unit_test(test_command_line_wins),
		cmocka_unit_test(test_ip6_mtu_floor),
		cmocka_unit_test(test_shipped_file),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_messages_one_line),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
