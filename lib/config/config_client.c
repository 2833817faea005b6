/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Client mode's option values: --connect ADDR:PORT:APP[,...] (repeatable: targets add up),
 * --src-ip ADDR, ADDR-ADDR or ADDR/PREFIX (IPv4, IPv6 or both), --src-ports LO-HI, --gateway
 * ADDR (IPv4, IPv6 or both), --report FILE. The
 * plain numbers (--cps, --concurrency, ...) are ordinary TCPD_OT_UINT rows.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

void
tcpd_config_client_defaults(struct tcpd_config *c)
{
	struct tcpd_client_config *cc = &c->client;

	memset(cc, 0, sizeof(*cc));
	cc->src_port_first = 1024;
	cc->src_port_last = 65535;
	cc->cps = 1000;
	cc->concurrency = 10000;
	cc->requests = 1;
	cc->duration = 10;
	cc->ramp = 0;
	cc->drain = 2;
	cc->payload = 1000;
	cc->response_timeout = 5;
	cc->arp_timeout = 3;
	cc->allow_failures = 0;
}

static int
u32_of(const char *s, size_t n, uint32_t min, uint32_t max, uint32_t *out)
{
	char buf[16];
	unsigned long v;
	char *end;

	if (n == 0 || n >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* A unicast IPv4 address of @n bytes at @s, network order in *ip. */
static int
addr_of(const char *s, size_t n, uint32_t *ip)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;
	uint32_t h;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	h = ntohl(a.s_addr);
	if ((h >> 24) == 0 || (h >> 24) == 127 || (h >> 28) >= 0xE)
		return -1;
	*ip = a.s_addr;
	return 0;
}

/* "[ADDR6]" of @n bytes at @s: a unicast IPv6 address that can be a peer (not unspecified,
 * loopback, IPv4-mapped or multicast: lib/net drops segments from those). */
static int
addr6_of(const char *s, size_t n, uint8_t *ip6)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const uint8_t zero[15];
	char buf[INET6_ADDRSTRLEN];

	if (n < 3 || n - 2 >= sizeof(buf) || s[0] != '[' || s[n - 1] != ']')
		return -1;
	memcpy(buf, s + 1, n - 2);
	buf[n - 2] = '\0';
	if (inet_pton(AF_INET6, buf, ip6) != 1 || ip6[0] == 0xff ||
	    memcmp(ip6, mapped, sizeof(mapped)) == 0 ||
	    (memcmp(ip6, zero, sizeof(zero)) == 0 && ip6[15] <= 1))
		return -1;
	return 0;
}

static int
service_of(const char *s, size_t n)
{
	unsigned int i;
	const char *name;

	for (i = 0; (name = tcpd_config_service_name(i)) != NULL; i++)
		if (strlen(name) == n && strncmp(s, name, n) == 0)
			return (int)i;
	return -1;
}

static int
parse_connect(struct tcpd_client_config *cc, const char *val)
{
	struct tcpd_target t[TCPD_MAX_TARGETS];
	uint32_t nb = cc->nb_targets, port;
	const char *p = val;

	memcpy(t, cc->target, sizeof(t));
	for (;;) {
		const char *end = strchr(p, ','), *c1, *c2;
		int svc;

		if (end == NULL)
			end = p + strlen(p);
		while (*p == ' ')
			p++;
		/* an IPv6 address in brackets: its colons are not the separators */
		c1 = *p == '[' ? memchr(p, ']', (size_t)(end - p)) : p;
		c1 = c1 ? memchr(c1, ':', (size_t)(end - c1)) : NULL;
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		if (c2 == NULL || nb == TCPD_MAX_TARGETS)
			return -1;
		memset(&t[nb], 0, sizeof(t[nb]));
		t[nb].v6 = *p == '[';
		if ((t[nb].v6 ? addr6_of(p, (size_t)(c1 - p), t[nb].ip6)
			      : addr_of(p, (size_t)(c1 - p), &t[nb].ip)) < 0 ||
		    u32_of(c1 + 1, (size_t)(c2 - c1 - 1), 1, 65535, &port) < 0)
			return -1;
		while (end > c2 + 1 && end[-1] == ' ')
			end--;
		svc = service_of(c2 + 1, (size_t)(end - c2 - 1));
		if (svc < 0)
			return -1;
		t[nb].port = (uint16_t)port;
		t[nb].app = (uint8_t)svc;
		nb++;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		p++;
	}
	memcpy(cc->target, t, sizeof(t));
	cc->nb_targets = nb;
	return 0;
}

/*
 * An IPv6 source address of @n bytes at @s (no brackets): unicast and global in scope, i.e. not
 * unspecified, loopback, IPv4-mapped, multicast (lib/net drops segments from those) nor
 * link-local (fe80::/10: we keep no scope, and a link-local source may not talk to a global
 * target, RFC 6724) nor in ::/96 (deprecated IPv4-compatible, and a prefix there would reach
 * :: and ::1).
 */
static int
src6_of(const char *s, size_t n, uint8_t *ip6)
{
	static const uint8_t zero[12];
	char buf[INET6_ADDRSTRLEN + 2];

	if (n == 0 || n + 2 >= sizeof(buf))
		return -1;
	buf[0] = '[';
	memcpy(buf + 1, s, n);
	buf[n + 1] = ']';
	buf[n + 2] = '\0';
	if (addr6_of(buf, n + 2, ip6) < 0 || (ip6[0] == 0xfe && (ip6[1] & 0xc0) == 0x80) ||
	    memcmp(ip6, zero, sizeof(zero)) == 0)
		return -1;
	return 0;
}

static uint32_t
low32(const uint8_t *ip6)
{
	uint32_t v;

	memcpy(&v, ip6 + 12, 4);
	return ntohl(v);
}

/*
 * The IPv6 form of --src-ip: ADDR6, ADDR6-ADDR6 (ascending, the same first 96 bits) or
 * ADDR6/PREFIX (112-128: every address of the prefix), at most TCPD_SRC_IP6_MAX
 * addresses, so that lib/net finds an address's offset with one subtraction.
 */
static int
parse_src_ip6(struct tcpd_client_config *cc, const char *val, size_t n)
{
	const char *dash = memchr(val, '-', n), *slash = memchr(val, '/', n);
	uint8_t a[16], b[16];
	uint32_t plen;

	if (dash != NULL) {
		if (src6_of(val, (size_t)(dash - val), a) < 0 ||
		    src6_of(dash + 1, n - (size_t)(dash - val) - 1, b) < 0 ||
		    memcmp(a, b, 12) != 0 || low32(a) > low32(b))
			return -1;
	} else if (slash != NULL) {
		uint32_t mask;

		if (src6_of(val, (size_t)(slash - val), a) < 0 ||
		    u32_of(slash + 1, n - (size_t)(slash - val) - 1, 112, 128, &plen) < 0)
			return -1;
		mask = plen == 128 ? UINT32_MAX : ~(UINT32_MAX >> (plen - 96));
		memcpy(b, a, 16);
		plen = htonl(low32(a) & mask);
		memcpy(a + 12, &plen, 4);
		plen = htonl(low32(a) | ~mask);
		memcpy(b + 12, &plen, 4);
	} else {
		if (src6_of(val, n, a) < 0)
			return -1;
		memcpy(b, a, 16);
	}
	if ((uint64_t)low32(b) - low32(a) + 1 > TCPD_SRC_IP6_MAX)
		return -1;
	memcpy(cc->src_ip6, a, 16);
	cc->src_ip6_n = low32(b) - low32(a) + 1;
	return 0;
}

/* ADDR, ADDR-ADDR or ADDR/PREFIX (every address of the prefix but network and broadcast). */
static int
parse_src_ip4(struct tcpd_client_config *cc, const char *val)
{
	const char *dash = strchr(val, '-'), *slash = strchr(val, '/');
	uint32_t a, b, plen;

	if (dash != NULL) {
		if (addr_of(val, (size_t)(dash - val), &a) < 0 ||
		    addr_of(dash + 1, strlen(dash + 1), &b) < 0 || ntohl(a) > ntohl(b))
			return -1;
	} else if (slash != NULL) {
		uint32_t mask;

		if (addr_of(val, (size_t)(slash - val), &a) < 0 ||
		    u32_of(slash + 1, strlen(slash + 1), 16, 32, &plen) < 0)
			return -1;
		mask = plen == 32 ? UINT32_MAX : ~(UINT32_MAX >> plen);
		b = htonl((ntohl(a) & mask) | ~mask);
		a = htonl(ntohl(a) & mask);
		if (plen <= 30) {
			a = htonl(ntohl(a) + 1);
			b = htonl(ntohl(b) - 1);
		}
	} else {
		if (addr_of(val, strlen(val), &a) < 0)
			return -1;
		b = a;
	}
	cc->src_ip_first = ntohl(a);
	cc->src_ip_last = ntohl(b);
	return 0;
}

/*
 * --src-ip: an IPv4 range, an IPv6 range, or both separated by a comma (IPv4 targets use the
 * first, IPv6 targets the second). Each family given replaces that family's range.
 */
static int
parse_src_ip(struct tcpd_client_config *cc, const char *val)
{
	struct tcpd_client_config t = *cc;
	char buf[INET6_ADDRSTRLEN * 2 + 8];
	const char *p = val;
	bool v4 = false, v6 = false;

	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (n == 0 || n >= sizeof(buf))
			return -1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (memchr(buf, ':', n) != NULL) {
			if (v6 || parse_src_ip6(&t, buf, n) < 0)
				return -1;
			v6 = true;
		} else {
			if (v4 || parse_src_ip4(&t, buf) < 0)
				return -1;
			v4 = true;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*cc = t;
	return 0;
}

static int
parse_ports(struct tcpd_client_config *cc, const char *val)
{
	const char *dash = strchr(val, '-');
	uint32_t lo, hi;

	if (dash == NULL) {
		if (u32_of(val, strlen(val), 1, 65535, &lo) < 0)
			return -1;
		hi = lo;
	} else if (u32_of(val, (size_t)(dash - val), 1, 65535, &lo) < 0 ||
		   u32_of(dash + 1, strlen(dash + 1), 1, 65535, &hi) < 0 || lo > hi) {
		return -1;
	}
	cc->src_port_first = (uint16_t)lo;
	cc->src_port_last = (uint16_t)hi;
	return 0;
}

/* --gateway: an IPv4 address, an IPv6 one, or both separated by a comma (IPv4 first). */
static int
parse_gateway(struct tcpd_client_config *cc, const char *val)
{
	const char *comma = strchr(val, ',');
	uint32_t gw = cc->gateway;
	uint8_t gw6[16];
	size_t n = comma != NULL ? (size_t)(comma - val) : strlen(val);
	int i;

	memcpy(gw6, cc->gateway6, 16);
	for (i = 0; i < 2; i++) {
		bool v6 = memchr(val, ':', n) != NULL;

		if ((v6 ? src6_of(val, n, gw6) : addr_of(val, n, &gw)) < 0)
			return -1;
		if (comma == NULL)
			break;
		if (i == 1 || v6 || strchr(comma + 1, ':') == NULL)
			return -1; /* IPv4 first, then IPv6, nothing more */
		val = comma + 1;
		n = strlen(val);
		comma = NULL;
	}
	cc->gateway = gw;
	memcpy(cc->gateway6, gw6, 16);
	return 0;
}

int
tcpd_config_client_set(struct tcpd_config *c, const struct tcpd_opt *o, const char *val)
{
	struct tcpd_client_config *cc = &c->client;

	if (strcmp(o->name, "connect") == 0)
		return parse_connect(cc, val);
	if (strcmp(o->name, "src-ip") == 0)
		return parse_src_ip(cc, val);
	if (strcmp(o->name, "src-ports") == 0)
		return parse_ports(cc, val);
	if (strcmp(o->name, "gateway") == 0)
		return parse_gateway(cc, val);
	if (strcmp(o->name, "report") == 0) {
		if (strlen(val) == 0 || strlen(val) >= sizeof(cc->report))
			return -1;
		strcpy(cc->report, val);
		return 0;
	}
	return -1;
}

static void
ip_text(uint32_t net, char *buf)
{
	inet_ntop(AF_INET, &net, buf, INET_ADDRSTRLEN);
}

/* A target's address as --connect takes it: A.B.C.D or [ADDR6]. */
static void
target_text(const struct tcpd_target *t, char *buf)
{
	if (!t->v6) {
		ip_text(t->ip, buf);
		return;
	}
	buf[0] = '[';
	inet_ntop(AF_INET6, t->ip6, buf + 1, INET6_ADDRSTRLEN);
	strcat(buf, "]");
}

/* --src-ip as it can be given again: the IPv4 range, the IPv6 range, or "our ip". */
static void
src_ip_text(const struct tcpd_client_config *cc, char *val, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], v4[2 * INET6_ADDRSTRLEN + 2] = "";
	uint8_t last[16];
	uint32_t lo;

	if (cc->src_ip_first == 0 && cc->src_ip6_n == 0) {
		snprintf(val, len, "our ip");
		return;
	}
	if (cc->src_ip_first != 0) {
		ip_text(htonl(cc->src_ip_first), a);
		ip_text(htonl(cc->src_ip_last), b);
		if (cc->src_ip_first == cc->src_ip_last)
			snprintf(v4, sizeof(v4), "%s", a);
		else
			snprintf(v4, sizeof(v4), "%s-%s", a, b);
	}
	if (cc->src_ip6_n == 0) {
		snprintf(val, len, "%s", v4);
		return;
	}
	memcpy(last, cc->src_ip6, 16);
	lo = htonl(low32(cc->src_ip6) + cc->src_ip6_n - 1);
	memcpy(last + 12, &lo, 4);
	inet_ntop(AF_INET6, cc->src_ip6, a, sizeof(a));
	inet_ntop(AF_INET6, last, b, sizeof(b));
	if (cc->src_ip6_n == 1)
		snprintf(val, len, "%s%s%s", v4, v4[0] ? "," : "", a);
	else
		snprintf(val, len, "%s%s%s-%s", v4, v4[0] ? "," : "", a, b);
}

static bool
gateway6_set(const struct tcpd_client_config *cc)
{
	static const uint8_t zero[16];

	return memcmp(cc->gateway6, zero, 16) != 0;
}

/* --gateway as it can be given again: IPv4, IPv6, both, or "none". */
static void
gateway_text(const struct tcpd_client_config *cc, char *val, size_t len)
{
	char a[INET_ADDRSTRLEN] = "", b[INET6_ADDRSTRLEN] = "";

	if (cc->gateway != 0)
		ip_text(cc->gateway, a);
	if (gateway6_set(cc))
		inet_ntop(AF_INET6, cc->gateway6, b, sizeof(b));
	if (a[0] == '\0' && b[0] == '\0')
		snprintf(val, len, "none");
	else
		snprintf(val, len, "%s%s%s", a, a[0] && b[0] ? "," : "", b);
}

void
tcpd_config_client_show(const struct tcpd_config *c, const struct tcpd_opt *o, char *val,
			size_t len)
{
	const struct tcpd_client_config *cc = &c->client;
	char a[INET6_ADDRSTRLEN + 2];
	size_t used = 0;
	uint32_t i;

	val[0] = '\0';
	if (strcmp(o->name, "connect") == 0) {
		for (i = 0; i < cc->nb_targets && used < len; i++) {
			int n;

			target_text(&cc->target[i], a);
			n = snprintf(val + used, len - used, "%s%s:%u:%s", i ? "," : "", a,
				     cc->target[i].port,
				     tcpd_config_service_name(cc->target[i].app));
			if (n < 0)
				break;
			used += (size_t)n;
		}
	} else if (strcmp(o->name, "src-ip") == 0) {
		src_ip_text(cc, val, len);
	} else if (strcmp(o->name, "src-ports") == 0) {
		snprintf(val, len, "%u-%u", cc->src_port_first, cc->src_port_last);
	} else if (strcmp(o->name, "gateway") == 0) {
		gateway_text(cc, val, len);
	} else if (strcmp(o->name, "report") == 0) {
		snprintf(val, len, "%s", cc->report[0] ? cc->report : "none");
	}
}

void
tcpd_config_client_accepted(const struct tcpd_opt *o, char *buf, size_t len)
{
	if (strcmp(o->name, "connect") == 0)
		snprintf(buf, len,
			 "ADDR:PORT:APP[,ADDR:PORT:APP...] (ADDR: A.B.C.D or [IPV6]), port 1 to "
			 "65535, app discard, echo or http, at most %d targets in all",
			 TCPD_MAX_TARGETS);
	else if (strcmp(o->name, "src-ip") == 0)
		snprintf(buf, len,
			 "A.B.C.D, A.B.C.D-E.F.G.H (ascending) or A.B.C.D/PREFIX (16-32); or for "
			 "IPv6 targets ADDR6, ADDR6-ADDR6 (ascending, same first 96 bits) or "
			 "ADDR6/PREFIX (112-128), global unicast, at most %u addresses; or both, "
			 "IPv4 first, separated by a comma",
			 TCPD_SRC_IP6_MAX);
	else if (strcmp(o->name, "src-ports") == 0)
		snprintf(buf, len, "PORT or LO-HI, 1 to 65535, LO <= HI");
	else if (strcmp(o->name, "gateway") == 0)
		snprintf(buf, len,
			 "a unicast IPv4 address A.B.C.D, a global unicast IPv6 address, or both "
			 "separated by a comma (IPv4 first)");
	else
		snprintf(buf, len, "a file path shorter than 256 bytes");
}

/* An IPv6 target: our --ip6 given, the target on its prefix or an IPv6 --gateway, not us. */
static int
target6_check(const struct tcpd_config *c, uint32_t i, char *err, size_t errlen)
{
	const struct tcpd_target *t = &c->client.target[i];
	unsigned int b;

	if (c->ip6_prefix_len != 0 && gateway6_set(&c->client) && memcmp(t->ip6, c->ip6, 16) != 0)
		return 0; /* off our prefix through the gateway, on it directly */

	if (c->ip6_prefix_len == 0) {
		snprintf(err, errlen, "--connect: target %u is IPv6: give our address (--ip6)", i);
		return -1;
	}
	if (memcmp(t->ip6, c->ip6, 16) == 0) {
		snprintf(err, errlen, "--connect: target %u is our own address", i);
		return -1;
	}
	for (b = 0; b < c->ip6_prefix_len; b++)
		if ((t->ip6[b / 8] ^ c->ip6[b / 8]) & (0x80u >> (b % 8))) {
			snprintf(err, errlen,
				 "--connect: IPv6 target %u is not on our prefix (--ip6): give "
				 "--gateway with an IPv6 address",
				 i);
			return -1;
		}
	return 0;
}

static bool
on_prefix6(const uint8_t *a, const uint8_t *b, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < plen; i++)
		if ((a[i / 8] ^ b[i / 8]) & (0x80u >> (i % 8)))
			return false;
	return true;
}

/* An IPv6 source range: our --ip6 given, the range on its prefix (peers find its addresses by
 * neighbour discovery) and without our --ip6 itself (a tuple filed under its range id would
 * be looked up under local id 1). */
static int
src6_check(const struct tcpd_config *c, char *err, size_t errlen)
{
	const struct tcpd_client_config *cc = &c->client;
	uint8_t last[16];
	uint32_t lo;

	if (cc->src_ip6_n == 0)
		return 0;
	if (c->ip6_prefix_len == 0) {
		snprintf(err, errlen, "--src-ip: an IPv6 range needs our address (--ip6)");
		return -1;
	}
	memcpy(last, cc->src_ip6, 16);
	lo = htonl(low32(cc->src_ip6) + cc->src_ip6_n - 1);
	memcpy(last + 12, &lo, 4);
	if (!on_prefix6(cc->src_ip6, c->ip6, c->ip6_prefix_len) ||
	    !on_prefix6(last, c->ip6, c->ip6_prefix_len)) {
		snprintf(err, errlen, "--src-ip: the IPv6 range is not on our prefix (--ip6)");
		return -1;
	}
	if (memcmp(c->ip6, cc->src_ip6, 12) == 0 &&
	    low32(c->ip6) - low32(cc->src_ip6) < cc->src_ip6_n) {
		snprintf(err, errlen, "--src-ip: the IPv6 range holds our --ip6 address");
		return -1;
	}
	return 0;
}

/* An IPv6 gateway: our --ip6 given, the gateway on its prefix (we resolve it by ND), not us. */
static int
gateway6_check(const struct tcpd_config *c, char *err, size_t errlen)
{
	const struct tcpd_client_config *cc = &c->client;

	if (!gateway6_set(cc))
		return 0;
	if (c->ip6_prefix_len == 0 || !on_prefix6(cc->gateway6, c->ip6, c->ip6_prefix_len)) {
		snprintf(err, errlen, "--gateway: the IPv6 gateway is not on our prefix (--ip6)");
		return -1;
	}
	if (memcmp(cc->gateway6, c->ip6, 16) == 0 ||
	    (cc->src_ip6_n != 0 && memcmp(cc->gateway6, cc->src_ip6, 12) == 0 &&
	     low32(cc->gateway6) - low32(cc->src_ip6) < cc->src_ip6_n)) {
		snprintf(err, errlen, "--gateway: the IPv6 gateway is one of our addresses");
		return -1;
	}
	return 0;
}

/*
 * Without --connect the daemon serves: a client option set away from its default would be
 * ignored silently, and the user would wait for a load (or a --report file) that never comes.
 */
static int
client_unused(const struct tcpd_config *c, char *err, size_t errlen)
{
	static const size_t lo = offsetof(struct tcpd_config, client);
	static const size_t hi = lo + sizeof(struct tcpd_client_config);
	char v[TCPD_CONFIG_VALUE_MAX], dv[TCPD_CONFIG_VALUE_MAX];
	struct tcpd_config *d = calloc(1, sizeof(*d));
	unsigned int i;
	int rc = 0;

	if (d == NULL)
		return 0; /* only a message would be lost: the check is advice */
	tcpd_config_client_defaults(d);
	for (i = 0; i < tcpd_config_nb_opts && rc == 0; i++) {
		const struct tcpd_opt *o = &tcpd_config_opts[i];

		if (o->type != TCPD_OT_CLIENT &&
		    (o->type != TCPD_OT_UINT || o->off < lo || o->off >= hi))
			continue;
		tcpd_config_option(c, i, v, sizeof(v));
		tcpd_config_option(d, i, dv, sizeof(dv));
		if (strcmp(v, dv) != 0) {
			snprintf(err, errlen,
				 "--%s (key %s) is a client-mode option: it needs --connect "
				 "(without it the daemon serves and ignores it)",
				 o->name, o->key);
			rc = -1;
		}
		explicit_bzero(v, sizeof(v));
	}
	free(d);
	return rc;
}

int
tcpd_config_client_check(const struct tcpd_config *c, char *err, size_t errlen)
{
	const struct tcpd_client_config *cc = &c->client;
	uint32_t mask = c->prefix_len == 0 ? 0 : ~(UINT32_MAX >> c->prefix_len);
	uint32_t i;
	char a[INET_ADDRSTRLEN];

	if (cc->nb_targets == 0)
		return client_unused(c, err, errlen);
	if (src6_check(c, err, errlen) < 0 || gateway6_check(c, err, errlen) < 0)
		return -1;
	if (cc->gateway != 0 && (ntohl(cc->gateway) & mask) != (ntohl(c->ip) & mask)) {
		ip_text(cc->gateway, a);
		snprintf(err, errlen, "--gateway %s is not on our prefix (--ip)", a);
		return -1;
	}
	for (i = 0; i < cc->nb_targets; i++) {
		if (cc->target[i].v6) {
			if (target6_check(c, i, err, errlen) < 0)
				return -1;
			continue;
		}
		if (cc->target[i].ip == c->ip) {
			snprintf(err, errlen, "--connect: target %u is our own address", i);
			return -1;
		}
		if (cc->gateway == 0 && (ntohl(cc->target[i].ip) & mask) != (ntohl(c->ip) & mask)) {
			ip_text(cc->target[i].ip, a);
			snprintf(err, errlen,
				 "--connect %s:%u: not on our prefix (--ip): give --gateway", a,
				 cc->target[i].port);
			return -1;
		}
	}
	if (cc->cps == 0) {
		snprintf(err, errlen, "--cps 0: client mode needs a rate (--cps N, N >= 1)");
		return -1;
	}
	return 0;
}
