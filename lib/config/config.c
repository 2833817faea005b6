/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Defaults, the option table and value parsing. Both the command line (config_args.c) and the
 * file (config_file.c) go through tcpd_config_set, so a value means the same in both places.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "config_client_rows.h"
#include "config_internal.h"

#define U(field) offsetof(struct tcpd_config, field), sizeof(((struct tcpd_config *)0)->field)

/* Largest table one lcore may ask for: 2^26 entries is about 16 GiB at 256 bytes each. */
#define MAX_CONNS_LIMIT (1u << 26)

const struct tcpd_opt tcpd_config_opts[] = {
	{"config", "config", TCPD_OT_FILE, 0, 0, 0, 0, "FILE",
	 "INI file applied before the other options (a regular file, at most 64 KiB)"},
	{"port", "port", TCPD_OT_UINT, U(port_id), 0, RTE_MAX_ETHPORTS - 1, "N",
	 "DPDK port id to serve"},
	{"ip", "ip", TCPD_OT_IP, 0, 0, 0, 0, "ADDR/PREFIX", "our IPv4 address and prefix length"},
	{"listen", "listen", TCPD_OT_LISTEN, 0, 0, 0, 0, "PORT:SERVICE[,...]",
	 "listening ports and their services"},
	{"syncookies", "syncookies", TCPD_OT_SYNCOOKIES, 0, 0, 0, 0, "MODE",
	 "SYN cookies: off, auto (past synq-limit), always"},
	{"synq-limit", "synq_limit", TCPD_OT_UINT, U(synq_limit), 1, MAX_CONNS_LIMIT, "N",
	 "half-open connections per lcore before cookies (auto)"},
	{"max-conns", "max_conns", TCPD_OT_UINT, U(max_conns), 16, MAX_CONNS_LIMIT, "N",
	 "connection table size per worker lcore"},
	{"stats-interval", "stats_interval", TCPD_OT_UINT, U(stats_interval), 0, 86400, "SECONDS",
	 "seconds between summary lines, 0 = off"},
	{"time-wait", "time_wait", TCPD_OT_UINT, U(time_wait), 1, 3600, "SECONDS",
	 "TIME-WAIT duration (2*MSL)"},
	{"fin-wait2-timeout", "fin_wait2_timeout", TCPD_OT_UINT, U(fin_wait2_timeout), 1, 3600,
	 "SECONDS", "FIN-WAIT-2 lifetime before the connection is dropped"},
	{"idle-timeout", "idle_timeout", TCPD_OT_UINT, U(idle_timeout), 0, 86400, "SECONDS",
	 "reset a connection idle this long, 0 = never"},
	{"rto-retries", "rto_retries", TCPD_OT_UINT, U(rto_retries), 1, 15, "N",
	 "retransmissions before the connection is reset"},
	{"orphan-retries", "orphan_retries", TCPD_OT_UINT, U(orphan_retries), 1, 15, "N",
	 "retransmissions once our FIN is sent (FIN-WAIT-1, CLOSING, LAST-ACK) before reset"},
	{"max-time-wait", "max_time_wait", TCPD_OT_UINT, U(max_time_wait), 0, MAX_CONNS_LIMIT, "N",
	 "TIME-WAIT entries per lcore, 40 B each, apart from max-conns (past it the 16 oldest end "
	 "early), 0 = max-conns / 4"},
	{"http-keepalive", "http_keepalive", TCPD_OT_UINT, U(http_keepalive), 0, 86400, "SECONDS",
	 "http: reset a keep-alive connection idle this long, 0 = never"},
	{"http-max-requests", "http_max_requests", TCPD_OT_UINT, U(http_max_requests), 0,
	 1000000000, "N",
	 "http: requests served on a connection, the last answered with Connection: close and "
	 "our FIN (nginx's keepalive_requests), 0 = no limit"},
	{"http-body-size", "http_body_size", TCPD_OT_UINT, U(http_body_size), 0, 1048576, "BYTES",
	 "body size of each HTTP response"},
	{"rst-rate", "rst_rate", TCPD_OT_UINT, U(rst_rate), 0, 100000000, "PER_SECOND",
	 "RSTs/s per lcore answering a segment without state (tcpd.conf), 0 = none"},
	{"syn-shed", "syn_shed", TCPD_OT_ONOFF, U(syn_shed), 0, 1, "on|off",
	 "while RX bursts are full, answer SYNs only as the completed handshakes allow (17/16 "
	 "each)"},
	{"rx-deep", "rx_deep", TCPD_OT_ONOFF, U(rx_deep), 0, 1, "on|off",
	 "while RX bursts come full, read up to 256 frames a poll (SYN admission control, if on, "
	 "judges a deep poll's SYNs before parsing them)"},
	{"syn-shed-refuse", "syn_shed_refuse", TCPD_OT_ONOFF, U(syn_shed_refuse), 0, 1, "on|off",
	 "the SYNs admission control (syn-shed) does not take are refused with a RST instead of "
	 "dropped: the client stops instead of retransmitting its SYN"},
	{"last-ack-shed", "last_ack_shed", TCPD_OT_ONOFF, U(last_ack_shed), 0, 1, "on|off",
	 "while RX bursts are full, a LAST-ACK's timer sends nothing (no probe, no FIN resent)"},
	{"tlp", "tlp", TCPD_OT_ONOFF, U(tlp), 0, 1, "on|off",
	 "tail-loss probes (RFC 8985 7), as Linux tcp_early_retrans; off: a lost tail waits for "
	 "the RTO"},
	{"random-loss-ms", "random_loss_ms", TCPD_OT_UINT, U(random_loss_ms), 0, 1000, "MS",
	 "a loss while SRTT is within MS of the lowest RTT (no queue) keeps the window, "
	 "0 = every loss reduces it (RFC 5681)"},
	{"challenge-ack-limit", "challenge_ack_limit", TCPD_OT_UINT, U(challenge_ack_limit), 0, 255,
	 "PER_SECOND", "challenge ACKs per second per connection (RFC 5961), 0 = none"},
	{"cookie-rotate", "cookie_rotate", TCPD_OT_ROTATE, U(cookie_rotate), 60, 31536000,
	 "SECONDS", "seconds between cookie secret rotations, 0 = never"},
	{"cookie-secret", "cookie_secret", TCPD_OT_SECRET, 0, 0, 0, 0, "HEX64",
	 "cookie secret, 32 bytes in hex (default random; never printed)"},
	{"mtu", "mtu", TCPD_OT_UINT, U(mtu), 576, 9000, "BYTES",
	 "IP MTU (our MSS is mtu - 40; with --ip6 at least 1280)"},
	{"nb-mbufs", "nb_mbufs", TCPD_OT_UINT, U(nb_mbufs), 1024, 16777216, "N",
	 "mbufs in the pool of each socket"},
	{"rx-desc", "rx_desc", TCPD_OT_UINT, U(rx_desc), 64, 16384, "N",
	 "RX descriptors per queue"},
	{"tx-desc", "tx_desc", TCPD_OT_UINT, U(tx_desc), 64, 16384, "N",
	 "TX descriptors per queue"},
	{"cpu-slowdown", "cpu_slowdown", TCPD_OT_UINT, U(cpu_slowdown), 1, 1000, "N",
	 "lab: emulate a CPU N times slower (a busy wait of N - 1 times each working poll "
	 "iteration), to offer a server several times its capacity (slowdown_cycles), 1 = off"},
	{"ip6", "ip6", TCPD_OT_IP6, 0, 0, 0, 0, "ADDR/PREFIX",
	 "our IPv6 address and prefix (TCP, ICMPv6 echo, neighbour discovery), none by default"},
	{"ip6-peers", "ip6_peers", TCPD_OT_UINT, U(ip6_peers), 0, (1u << 24) - 1, "N",
	 "IPv6 peer addresses per lcore with connections at once, 0 = max-conns / 4 (with --ip6)"},
	TCPD_CONFIG_CLIENT_ROWS,
};

const unsigned int tcpd_config_nb_opts = RTE_DIM(tcpd_config_opts);
_Static_assert(RTE_DIM(tcpd_config_opts) + 2 <= TCPD_CONFIG_OPTS_MAX,
	       "config_args.c's getopt table is too small for the options");

static const char *const service_names[TCPD_SVC_MAX] = {
	[TCPD_SVC_DISCARD] = "discard",
	[TCPD_SVC_ECHO] = "echo",
	[TCPD_SVC_HTTP] = "http",
};

static const char *const syncookies_names[] = {
	[TCPD_SYNCOOKIES_OFF] = "off",
	[TCPD_SYNCOOKIES_AUTO] = "auto",
	[TCPD_SYNCOOKIES_ALWAYS] = "always",
};

void
tcpd_config_defaults(struct tcpd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->port_id = 0;
	c->ip = htonl(0xC6120001); /* 198.18.0.1: RFC 2544 benchmarking range */
	c->prefix_len = 15;
	c->mtu = 1500;
	c->listen[0] = (struct tcpd_listen){80, TCPD_SVC_HTTP};
	c->listen[1] = (struct tcpd_listen){7, TCPD_SVC_ECHO};
	c->listen[2] = (struct tcpd_listen){9, TCPD_SVC_DISCARD};
	c->nb_listen = 3;
	c->syncookies = TCPD_SYNCOOKIES_AUTO;
	c->synq_limit = 1024;
	/* 65536 fits two workers in the test EAL (--no-huge -m 256) with room for mbufs. */
	c->max_conns = 65536;
	c->stats_interval = 1;
	c->time_wait = 60;
	c->fin_wait2_timeout = 60;
	c->idle_timeout = 0;
	c->rto_retries = 6;
	c->orphan_retries = 3;
	c->max_time_wait = 0;
	c->http_keepalive = 60;
	c->http_body_size = 100;
	c->cpu_slowdown = 1;
	c->rst_rate = 1000;
	c->syn_shed = false;
	c->rx_deep = false;
	c->syn_shed_refuse = false;
	c->last_ack_shed = true;
	c->tlp = true;
	/* RTT samples are whole ms (timestamps on the ms clock), so a sample is up to 1 ms off,
	 * and a busy-polling worker sharing its CPU adds a few ms now and then: 2 ms is the
	 * smallest margin above that noise. A bottleneck whose buffer holds less than that is
	 * not seen: on such a path (a shallow-buffered LAN switch) say 0. */
	c->random_loss_ms = 2;
	c->challenge_ack_limit = 10; /* Linux net.ipv4.tcp_challenge_ack_limit is per host; ours
				      * is per connection, so it stays small */
	c->cookie_rotate = 0;
	c->cookie_secret_set = false;
	c->nb_mbufs = 16383; /* 2^n - 1: the mempool ring's best size */
	c->rx_desc = 1024;
	c->tx_desc = 1024;
	tcpd_config_client_defaults(c);
}

const char *
tcpd_config_service_name(unsigned int s)
{
	return s < TCPD_SVC_MAX ? service_names[s] : NULL;
}

const char *
tcpd_config_syncookies_name(unsigned int m)
{
	return m < RTE_DIM(syncookies_names) ? syncookies_names[m] : NULL;
}

const struct tcpd_opt *
tcpd_config_find(const char *name, const char *key)
{
	unsigned int i;

	for (i = 0; i < tcpd_config_nb_opts; i++) {
		if (name != NULL && strcmp(name, tcpd_config_opts[i].name) == 0)
			return &tcpd_config_opts[i];
		if (key != NULL && strcmp(key, tcpd_config_opts[i].key) == 0)
			return &tcpd_config_opts[i];
	}
	return NULL;
}

void
tcpd_config_accepted(const struct tcpd_opt *o, char *buf, size_t len)
{
	switch (o->type) {
	case TCPD_OT_UINT:
		snprintf(buf, len, "an integer from %u to %u", o->min, o->max);
		break;
	case TCPD_OT_ROTATE:
		snprintf(buf, len, "0 (never) or an integer from %u to %u", o->min, o->max);
		break;
	case TCPD_OT_IP:
		snprintf(buf, len,
			 "A.B.C.D/PREFIX, prefix 1 to 32, a unicast address that is not the "
			 "network or broadcast address of its prefix");
		break;
	case TCPD_OT_IP6:
		snprintf(buf, len,
			 "an IPv6 unicast address/PREFIX, prefix 1 to 128 (not ::, loopback, "
			 "multicast, link-local or v4-mapped)");
		break;
	case TCPD_OT_LISTEN:
		snprintf(buf, len,
			 "PORT:SERVICE[,PORT:SERVICE...], port 1 to 65535, each port once, at most "
			 "%d, service discard, echo or http",
			 TCPD_MAX_LISTENERS);
		break;
	case TCPD_OT_SYNCOOKIES:
		snprintf(buf, len, "off, auto, always");
		break;
	case TCPD_OT_SECRET:
		snprintf(buf, len, "exactly 64 hex digits (32 bytes)");
		break;
	case TCPD_OT_FILE:
		snprintf(buf, len, "a readable file path shorter than %zu bytes",
			 sizeof(((struct tcpd_config *)0)->config_file));
		break;
	case TCPD_OT_CLIENT:
		tcpd_config_client_accepted(o, buf, len);
		break;
	case TCPD_OT_ONOFF:
		snprintf(buf, len, "on, off");
		break;
	}
}

/* Decimal only, no sign, no blanks, no trailing text: "1e3" or "0x10" are typos, not values. */
static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_ip(const char *s, uint32_t *ip, uint8_t *prefix)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct in_addr a;
	uint32_t p, h, host_mask;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return -1;
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	if (inet_pton(AF_INET, addr, &a) != 1 || parse_u32(slash + 1, 1, 32, &p) < 0)
		return -1;
	h = ntohl(a.s_addr);
	/* 0/8 "this network", 127/8 loopback, 224/4 multicast and 240/4 reserved + broadcast. */
	if ((h >> 24) == 0 || (h >> 24) == 127 || (h >> 28) >= 0xE)
		return -1;
	/* The network and broadcast addresses of the prefix (RFC 3021 allows both on a /31). */
	host_mask = p == 32 ? 0 : UINT32_MAX >> p;
	if (p <= 30 && ((h & host_mask) == 0 || (h & host_mask) == host_mask))
		return -1;
	*ip = a.s_addr;
	*prefix = (uint8_t)p;
	return 0;
}

/* An IPv6 address we may own: global or unique-local unicast (RFC 4291 2.4). */
static int
parse_ip6(const char *s, uint8_t *ip6, uint8_t *prefix)
{
	static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct in6_addr a;
	uint32_t p;
	unsigned int i, zero = 1;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return -1;
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	if (inet_pton(AF_INET6, addr, &a) != 1 || parse_u32(slash + 1, 1, 128, &p) < 0)
		return -1;
	for (i = 0; i < 15; i++)
		zero &= a.s6_addr[i] == 0;
	if (zero || a.s6_addr[0] == 0xff ||
	    (a.s6_addr[0] == 0xfe && (a.s6_addr[1] & 0xc0) == 0x80) ||
	    memcmp(a.s6_addr, v4mapped, sizeof(v4mapped)) == 0)
		return -1; /* ::, ::1, multicast, link-local, v4-mapped */
	memcpy(ip6, a.s6_addr, 16);
	*prefix = (uint8_t)p;
	return 0;
}

static int
parse_service(const char *s, size_t len)
{
	unsigned int i;

	for (i = 0; i < TCPD_SVC_MAX; i++)
		if (strlen(service_names[i]) == len && strncmp(s, service_names[i], len) == 0)
			return (int)i;
	return -1;
}

/* PORT:SERVICE[,PORT:SERVICE...]; blanks around items are allowed (file values read better). */
static int
parse_listen(const char *s, struct tcpd_listen *out, unsigned int *n)
{
	struct tcpd_listen l[TCPD_MAX_LISTENERS] = {
		0}; /* padding too: configs compare with memcmp */
	unsigned int nb = 0, i;
	const char *p = s;

	/* Padding too: whole configurations are compared with memcmp. */
	memset(l, 0, sizeof(l));
	for (;;) {
		const char *item, *colon, *end;
		char num[8];
		uint32_t port;
		int svc;

		while (*p == ' ' || *p == '\t')
			p++;
		item = p;
		end = strchr(item, ',');
		if (end == NULL)
			end = item + strlen(item);
		p = end;
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		colon = memchr(item, ':', end - item);
		if (colon == NULL || colon == item || (size_t)(colon - item) >= sizeof(num))
			return -1;
		memcpy(num, item, colon - item);
		num[colon - item] = '\0';
		if (parse_u32(num, 1, 65535, &port) < 0)
			return -1;
		svc = parse_service(colon + 1, end - colon - 1);
		if (svc < 0 || nb == TCPD_MAX_LISTENERS)
			return -1;
		for (i = 0; i < nb; i++)
			if (l[i].port == port)
				return -1;
		l[nb].port = (uint16_t)port;
		l[nb].service = (uint8_t)svc;
		nb++;
		if (*p == '\0')
			break;
		p++; /* the comma; a trailing comma leaves an empty item, which fails above */
	}
	memcpy(out, l, nb * sizeof(l[0]));
	*n = nb;
	return 0;
}

static int
parse_secret(const char *s, uint8_t out[32])
{
	uint8_t b[32];
	unsigned int i;

	if (strlen(s) != 64)
		return -1;
	for (i = 0; i < 64; i++) {
		int c = (unsigned char)s[i], v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return -1;
		if (i % 2 == 0)
			b[i / 2] = (uint8_t)(v << 4);
		else
			b[i / 2] |= (uint8_t)v;
	}
	memcpy(out, b, sizeof(b));
	return 0;
}

int
tcpd_config_set(struct tcpd_config *c, const struct tcpd_opt *o, const char *val, const char *where,
		char *err, size_t errlen)
{
	char accepted[192], shown[TCPD_CONFIG_SHOW_VALUE + 48];
	uint32_t v;
	unsigned int i;
	int rc = -1;

	switch (o->type) {
	case TCPD_OT_UINT:
		rc = parse_u32(val, o->min, o->max, &v);
		if (rc == 0 && o->size == sizeof(uint16_t))
			*(uint16_t *)((char *)c + o->off) = (uint16_t)v;
		else if (rc == 0)
			*(uint32_t *)((char *)c + o->off) = v;
		break;
	case TCPD_OT_ROTATE:
		rc = parse_u32(val, 0, o->max, &v);
		if (rc == 0 && v != 0 && v < o->min)
			rc = -1;
		if (rc == 0)
			*(uint32_t *)((char *)c + o->off) = v;
		break;
	case TCPD_OT_IP:
		rc = parse_ip(val, &c->ip, &c->prefix_len);
		break;
	case TCPD_OT_IP6:
		rc = parse_ip6(val, c->ip6, &c->ip6_prefix_len);
		break;
	case TCPD_OT_LISTEN:
		rc = parse_listen(val, c->listen, &c->nb_listen);
		break;
	case TCPD_OT_SYNCOOKIES:
		for (i = 0; i < RTE_DIM(syncookies_names); i++) {
			if (strcmp(val, syncookies_names[i]) == 0) {
				c->syncookies = (enum tcpd_syncookies)i;
				rc = 0;
			}
		}
		break;
	case TCPD_OT_SECRET:
		rc = parse_secret(val, c->cookie_secret);
		if (rc == 0)
			c->cookie_secret_set = true;
		break;
	case TCPD_OT_FILE:
		if (strlen(val) > 0 && strlen(val) < sizeof(c->config_file)) {
			strcpy(c->config_file, val);
			rc = 0;
		}
		break;
	case TCPD_OT_CLIENT:
		rc = tcpd_config_client_set(c, o, val);
		break;
	case TCPD_OT_ONOFF:
		if (strcmp(val, "on") == 0 || strcmp(val, "off") == 0) {
			*(bool *)((char *)c + o->off) = val[1] == 'n';
			rc = 0;
		}
		break;
	}
	if (rc == 0)
		return 0;
	tcpd_config_accepted(o, accepted, sizeof(accepted));
	/* A secret is never echoed, not even a wrong one: it may be a real key with a typo; nor is
	 * a secret given to another option by mistake. */
	if (o->type == TCPD_OT_SECRET)
		snprintf(err, errlen, "%s: bad value (not shown) (accepted: %s)", where, accepted);
	else if (tcpd_config_quote(val, strlen(val), TCPD_CONFIG_SHOW_VALUE, shown, sizeof(shown)))
		snprintf(err, errlen, "%s: bad value '%s' (accepted: %s)", where, shown, accepted);
	else
		snprintf(err, errlen, "%s: bad value %s (accepted: %s)", where, shown, accepted);
	explicit_bzero(shown, sizeof(shown));
	return -1;
}

bool
tcpd_config_quote(const char *s, size_t n, size_t max, char *buf, size_t len)
{
	size_t i;

	if (n > max || n >= len) {
		snprintf(buf, len, "(not shown: longer than %zu characters)", max);
		return false;
	}
	for (i = 0; i < n; i++) {
		/* A terminal acts on escape codes, and a CR or LF splits the one-line error. */
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) {
			snprintf(buf, len, "(not shown: not printable ASCII)");
			return false;
		}
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!tcpd_config_looks_secret(buf))
		return true;
	explicit_bzero(buf, n);
	snprintf(buf, len, "(not shown: it may hold a secret)");
	return false;
}

/*
 * Every IPv6 link carries 1280-byte packets (RFC 8200 5) and no path MTU estimate goes below
 * that (RFC 8201 4): a port said to be smaller would announce an MSS under 1220, which a peer
 * that assumes the minimum link MTU can overrun, and our own segments would never reach the
 * size the path takes. IPv4 keeps the option's floor, 576 (RFC 791: every host accepts it).
 */
int
tcpd_config_check(const struct tcpd_config *c, char *err, size_t errlen)
{
	const struct tcpd_opt *o = tcpd_config_find("mtu", NULL);

	if (c->ip6_prefix_len == 0 || c->mtu >= TCPD_IP6_MIN_MTU)
		return 0;
	snprintf(err, errlen,
		 "--mtu: bad value '%u' with --ip6 (accepted: an integer from %u to %u, IPv6's "
		 "minimum link MTU of RFC 8200 5 and up)",
		 c->mtu, TCPD_IP6_MIN_MTU, o->max);
	return -1;
}

bool
tcpd_config_looks_secret(const char *s)
{
	unsigned int run = 0;

	for (; *s != '\0'; s++) {
		run = isxdigit((unsigned char)*s) ? run + 1 : 0;
		if (run >= 16)
			return true;
	}
	return false;
}

unsigned int
tcpd_config_nb_options(void)
{
	return tcpd_config_nb_opts;
}

const char *
tcpd_config_option(const struct tcpd_config *c, unsigned int i, char *val, size_t len)
{
	const struct tcpd_opt *o;
	char ip[INET_ADDRSTRLEN];
	size_t used = 0;
	unsigned int j;

	if (i >= tcpd_config_nb_opts)
		return NULL;
	o = &tcpd_config_opts[i];
	val[0] = '\0';
	switch (o->type) {
	case TCPD_OT_UINT:
	case TCPD_OT_ROTATE:
		if (o->size == sizeof(uint16_t))
			snprintf(val, len, "%u", *(const uint16_t *)((const char *)c + o->off));
		else
			snprintf(val, len, "%u", *(const uint32_t *)((const char *)c + o->off));
		break;
	case TCPD_OT_IP:
		inet_ntop(AF_INET, &c->ip, ip, sizeof(ip));
		snprintf(val, len, "%s/%u", ip, c->prefix_len);
		break;
	case TCPD_OT_IP6: {
		char ip6[INET6_ADDRSTRLEN];

		if (c->ip6_prefix_len == 0) {
			snprintf(val, len, "none");
			break;
		}
		inet_ntop(AF_INET6, c->ip6, ip6, sizeof(ip6));
		snprintf(val, len, "%s/%u", ip6, c->ip6_prefix_len);
		break;
	}
	case TCPD_OT_LISTEN:
		for (j = 0; j < c->nb_listen && used < len; j++) {
			int n = snprintf(val + used, len - used, "%s%u:%s", j ? "," : "",
					 c->listen[j].port,
					 tcpd_config_service_name(c->listen[j].service));
			if (n < 0)
				break;
			used += (size_t)n;
		}
		break;
	case TCPD_OT_SYNCOOKIES:
		snprintf(val, len, "%s", tcpd_config_syncookies_name(c->syncookies));
		break;
	case TCPD_OT_SECRET:
		snprintf(val, len, "%s", c->cookie_secret_set ? "set" : "random");
		break;
	case TCPD_OT_FILE:
		/* A secret given to --config by mistake is not shown either. */
		snprintf(val, len, "%s",
			 tcpd_config_looks_secret(c->config_file)
				 ? "(not shown: it may hold a secret)"
				 : c->config_file);
		break;
	case TCPD_OT_CLIENT:
		tcpd_config_client_show(c, o, val, len);
		break;
	case TCPD_OT_ONOFF:
		snprintf(val, len, "%s", *(const bool *)((const char *)c + o->off) ? "on" : "off");
		break;
	}
	/* Whatever the option (a report path, a target list), a value that may hold a secret is
	 * never shown: the rule of the error messages, for /tcpd/config too. */
	if (o->type != TCPD_OT_SECRET && tcpd_config_looks_secret(val))
		snprintf(val, len, "(not shown: it may hold a secret)");
	return o->key;
}

#define USAGE_COL 32 /* width of the option column */

void
tcpd_config_usage(FILE *out, const char *prog)
{
	struct tcpd_config def;
	char val[256], opt[64], def_text[300];
	unsigned int i;

	tcpd_config_defaults(&def);
	fprintf(out,
		"Usage: %s [EAL options] -- [options]\n"
		"Options (the same names, with '_' for '-', are keys of the --config file; the\n"
		"command line wins over the file):\n",
		prog);
	for (i = 0; i < tcpd_config_nb_opts; i++) {
		const struct tcpd_opt *o = &tcpd_config_opts[i];

		tcpd_config_option(&def, i, val, sizeof(val));
		snprintf(opt, sizeof(opt), "--%s %s", o->name, o->arg);
		if (o->type == TCPD_OT_FILE)
			snprintf(def_text, sizeof(def_text), "(default none)");
		else if (o->type != TCPD_OT_SECRET)
			snprintf(def_text, sizeof(def_text), "(default %s)", val);
		else
			def_text[0] = '\0';
		/* Two columns within 100: the default goes on its own line when it does not fit. */
		if (def_text[0] == '\0')
			fprintf(out, "  %-*s %s\n", USAGE_COL, opt, o->help);
		else if (2 + USAGE_COL + 1 + strlen(o->help) + 1 + strlen(def_text) <= 100)
			fprintf(out, "  %-*s %s %s\n", USAGE_COL, opt, o->help, def_text);
		else
			fprintf(out, "  %-*s %s\n  %-*s %s\n", USAGE_COL, opt, o->help, USAGE_COL,
				"", def_text);
	}
	fprintf(out, "  %-*s %s\n", USAGE_COL, "--help", "print this help and exit");
	fprintf(out, "%s",
		"Config file (--config): a regular file of at most 64 KiB; keys at the top\n"
		"and/or in one [tcpd] section, each key once. Another section, a repeated\n"
		"key, an unknown key or a line that is not 'key = value' is an error naming\n"
		"the file and line (exit 2). Values that may hold a secret are never printed.\n"
		"Signals: SIGINT, SIGTERM and SIGHUP stop the workers, close the port, print\n"
		"the totals and exit 0 (SIGHUP stays ignored if started ignored, as by nohup).\n"
		"One daemon per EAL --file-prefix: a second one exits 2 naming the first's pid.\n");
}
