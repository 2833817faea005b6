/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpd-flood: a bounded SYN (or ACK) flood for the namespace lab.
 *
 * Runs inside a lab namespace and writes whole Ethernet frames to its veth end through an
 * AF_PACKET socket, in sendmmsg batches. Sources are spoofed from a prefix inside 198.18.0.0/15
 * (RFC 2544 benchmarking range) and so is the destination: anything else is refused, so the tool
 * cannot be pointed at a real network. Source ports, sequence numbers and TSvals are random;
 * IPv4 and TCP checksums are real (the lab turns checksum offloads off). Every run is bounded by
 * both --count and --seconds.
 *
 * Over IPv6 (--dst-ip6, --src6) the same flood comes from and goes to 2001:2::/48 (RFC 5180's
 * benchmarking prefix) only, with the TCP checksum over the IPv6 pseudo-header and MSS 1440.
 *
 * The namespace's kernel receives the SYN-ACKs for the spoofed addresses; they are not its own
 * addresses and it does not forward, so it drops them without a RST. Addresses the namespace owns
 * are never drawn as sources, or its kernel would answer the SYN-ACKs with RSTs.
 *
 * Frames come from the tools' frame writer (frame.c, shared with tcpd-bench's feed), which uses
 * only DPDK's header-only helpers (struct layouts, rte_ipv4_cksum, rte_ipv4_udptcp_cksum): no EAL,
 * no hugepages, nothing to link.
 */

#define _GNU_SOURCE /* sendmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rte_ether.h>
#include <rte_tcp.h>

#include "frame.h"

#define LAB_NET 0xC6120000u /* 198.18.0.0 */
/* 2001:2::/48, RFC 5180: the lab's IPv6 prefix */
static const uint8_t lab6_net[6] = {0x20, 0x01, 0x00, 0x02, 0x00, 0x00};
#define LAB_MASK  0xFFFE0000u /* /15 */
#define MAX_BATCH 256
/* Ethernet + IPv4 + TCP + 20 bytes of options: the largest frame built. */
#define FRAME_MAX   (TCPD_FRAME6_HDR_LEN + 20)
#define MAX_EXCLUDE 64

enum opt_set {
	OPTS_NONE,
	OPTS_MSS,
	OPTS_LINUX
};

struct flood {
	const char *iface;
	struct rte_ether_addr dst_mac, src_mac;
	bool src_mac_set;
	uint32_t dst_ip; /* host order */
	uint16_t dst_port;
	uint32_t src_net, src_mask; /* host order */
	uint64_t count;
	double seconds;
	double rate; /* packets per second, 0 = unlimited */
	unsigned int batch;
	bool ack; /* bare ACKs with random numbers instead of SYNs */
	enum opt_set opts;
	bool quiet;
	uint32_t exclude[MAX_EXCLUDE]; /* host order: never used as a source */
	unsigned int nb_exclude;
	/* IPv6 (--dst-ip6) */
	bool v6;
	uint8_t dst_ip6[16];
	uint8_t src6_net[16];
	unsigned int src6_len;
	uint8_t exclude6[MAX_EXCLUDE][16];
	unsigned int nb_exclude6;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s --iface IF --dst-mac MAC --dst-ip IP --count N --seconds S [options]\n"
		"  --iface IF        interface to send on (the namespace end of a lab veth)\n"
		"  --dst-mac MAC     destination MAC (the daemon's port)\n"
		"  --dst-ip IP       destination address, inside 198.18.0.0/15\n"
		"  --dst-port P      destination port (default 80)\n"
		"  --src NET/LEN     source prefix, inside 198.18.0.0/15 (default 198.19.0.0/16)\n"
		"  --dst-ip6 IP6     flood over IPv6 to this address, inside 2001:2::/48 (instead\n"
		"                    of --dst-ip)\n"
		"  --src6 NET/LEN    IPv6 source prefix, inside 2001:2::/48, length 48..128\n"
		"                    (default 2001:2:0:ff::/64)\n"
		"  --src-mac MAC     source MAC (default: the interface's)\n"
		"  --count N         stop after N packets (mandatory)\n"
		"  --seconds S       stop after S seconds (mandatory)\n"
		"  --rate PPS        at most PPS packets per second (default: as fast as "
		"possible)\n"
		"  --batch B         frames per sendmmsg (1..%d, default 64)\n"
		"  --ack             send ACKs with random sequence/ack numbers instead of SYNs\n"
		"  --options SET     SYN options: none, mss, linux (MSS, SACK-permitted, "
		"timestamps,\n"
		"                    window scale 7; the default)\n"
		"  --quiet           print only the final line\n"
		"Prints: sent=N seconds=T pps=R\n",
		prog, MAX_BATCH);
}

static int
parse_mac(const char *s, struct rte_ether_addr *mac)
{
	unsigned int b[6];
	char extra;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &extra) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac->addr_bytes[i] = (uint8_t)b[i];
	}
	return 0;
}

static bool
in_lab(uint32_t ip)
{
	return (ip & LAB_MASK) == LAB_NET;
}

static int
parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

static int
parse_prefix(const char *s, uint32_t *net, uint32_t *mask)
{
	char buf[32], *slash, *end;
	unsigned long len;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (errno || *end || end == slash + 1 || len > 32)
		return -1;
	if (parse_ip(buf, net) < 0)
		return -1;
	*mask = len == 0 ? 0 : 0xFFFFFFFFu << (32 - len);
	*net &= *mask;
	return 0;
}

static bool
in_lab6(const uint8_t *a)
{
	return memcmp(a, lab6_net, sizeof(lab6_net)) == 0;
}

/* NET/LEN for IPv6: the address and its length; the host bits are cleared. */
static int
parse_prefix6(const char *s, uint8_t *net, unsigned int *len)
{
	char buf[64], *slash, *end;
	unsigned long l;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	errno = 0;
	l = strtoul(slash + 1, &end, 10);
	if (errno || *end || end == slash + 1 || l > 128 || inet_pton(AF_INET6, buf, net) != 1)
		return -1;
	*len = (unsigned int)l;
	for (unsigned int b = *len; b < 128; b++)
		net[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
	return 0;
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return (errno || *end || end == s || *s == '-') ? -1 : 0;
}

static int
parse_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return (errno || *end || end == s || !(*v >= 0)) ? -1 : 0;
}

/* xoshiro256**: fast, and the flood needs volume, not cryptographic strength. */
static uint64_t rng_s[4];

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(void)
{
	uint64_t r = rotl(rng_s[1] * 5, 7) * 9, t = rng_s[1] << 17;

	rng_s[2] ^= rng_s[0];
	rng_s[3] ^= rng_s[1];
	rng_s[1] ^= rng_s[2];
	rng_s[0] ^= rng_s[3];
	rng_s[2] ^= t;
	rng_s[3] = rotl(rng_s[3], 45);
	return r;
}

static int
rng_seed(void)
{
	if (getrandom(rng_s, sizeof(rng_s), 0) != sizeof(rng_s))
		return -1;
	if ((rng_s[0] | rng_s[1] | rng_s[2] | rng_s[3]) == 0)
		rng_s[0] = 1;
	return 0;
}

/* Every IPv4 address the namespace owns: its kernel would RST SYN-ACKs sent to them. */
static void
collect_local_addresses(struct flood *f)
{
	struct ifaddrs *ifa, *p;

	if (getifaddrs(&ifa) < 0)
		return;
	for (p = ifa; p != NULL && f->nb_exclude < MAX_EXCLUDE; p = p->ifa_next) {
		if (p->ifa_addr != NULL && p->ifa_addr->sa_family == AF_INET6 &&
		    f->nb_exclude6 < MAX_EXCLUDE)
			memcpy(f->exclude6[f->nb_exclude6++],
			       &((struct sockaddr_in6 *)(void *)p->ifa_addr)->sin6_addr, 16);
		if (p->ifa_addr == NULL || p->ifa_addr->sa_family != AF_INET)
			continue;
		f->exclude[f->nb_exclude++] =
			ntohl(((struct sockaddr_in *)(void *)p->ifa_addr)->sin_addr.s_addr);
	}
	freeifaddrs(ifa);
}

static bool
excluded(const struct flood *f, uint32_t ip)
{
	for (unsigned int i = 0; i < f->nb_exclude; i++)
		if (f->exclude[i] == ip)
			return true;
	return false;
}

static uint32_t
draw_source(const struct flood *f)
{
	uint32_t ip;

	do {
		ip = f->src_net | ((uint32_t)rng_next() & ~f->src_mask);
	} while (excluded(f, ip));
	return ip;
}

static bool
excluded6(const struct flood *f, const uint8_t *ip6)
{
	for (unsigned int i = 0; i < f->nb_exclude6; i++)
		if (memcmp(f->exclude6[i], ip6, 16) == 0)
			return true;
	return memcmp(ip6, f->dst_ip6, 16) == 0;
}

/* A random address of --src6: the prefix's bits kept, the others drawn. */
static void
draw_source6(const struct flood *f, uint8_t *ip6)
{
	do {
		uint64_t r[2] = {rng_next(), rng_next()};

		memcpy(ip6, r, 16);
		for (unsigned int b = 0; b < f->src6_len; b++) {
			uint8_t bit = (uint8_t)(0x80u >> (b % 8));

			ip6[b / 8] = (uint8_t)((ip6[b / 8] & ~bit) | (f->src6_net[b / 8] & bit));
		}
	} while (excluded6(f, ip6));
}

/* The SYN options of each --options set; Linux's is MSS, SACK-permitted, timestamps (TSval drawn
 * per packet, TSecr 0), NOP, window scale 7. */
static const struct tcpd_frame_opts opt_sets[] = {
	[OPTS_NONE] = {.mss = 0},
	[OPTS_MSS] = {.mss = 1460},
	[OPTS_LINUX] = {.mss = 1460, .sack_perm = true, .ts = true, .ws = true, .wscale = 7},
};

/* Fills frame @p buf for one packet; returns its length. The random draws come in a fixed order:
 * IP ID, port and sequence number; source address; then the ACK number or the TSval. */
static unsigned int
build_frame(const struct flood *f, uint8_t *buf)
{
	uint64_t r = rng_next();
	struct tcpd_frame fr = {
		.src_mac = f->src_mac,
		.dst_mac = f->dst_mac,
		.dst_ip = f->dst_ip,
		.ip_id = (uint16_t)r,
		/* Ephemeral range of Linux, 32768..60999, wide enough for a flood. */
		.sport = (uint16_t)(32768 + (r >> 16) % 28232),
		.dport = f->dst_port,
		.seq = (uint32_t)(r >> 32),
		.win = 64240,
	};

	fr.src_ip = draw_source(f);
	if (f->ack) {
		fr.ack = (uint32_t)rng_next();
		fr.flags = RTE_TCP_ACK_FLAG;
	} else {
		fr.flags = RTE_TCP_SYN_FLAG;
		fr.opt = opt_sets[f->opts];
		if (fr.opt.ts)
			fr.opt.tsval = (uint32_t)rng_next();
	}
	return (unsigned int)tcpd_frame_write(buf, FRAME_MAX, &fr);
}

/* The IPv6 twin of build_frame: the same draws, MSS 1440 (an MTU of 1500 - 60). */
static unsigned int
build_frame6(const struct flood *f, uint8_t *buf)
{
	uint64_t r = rng_next();
	struct tcpd_frame6 fr = {
		.src_mac = f->src_mac,
		.dst_mac = f->dst_mac,
		.flow_label = (uint32_t)r & 0xfffff,
		.sport = (uint16_t)(32768 + (r >> 16) % 28232),
		.dport = f->dst_port,
		.seq = (uint32_t)(r >> 32),
		.win = 64240,
	};

	memcpy(fr.dst_ip, f->dst_ip6, 16);
	draw_source6(f, fr.src_ip);
	if (f->ack) {
		fr.ack = (uint32_t)rng_next();
		fr.flags = RTE_TCP_ACK_FLAG;
	} else {
		fr.flags = RTE_TCP_SYN_FLAG;
		fr.opt = opt_sets[f->opts];
		if (fr.opt.mss)
			fr.opt.mss = 1440;
		if (fr.opt.ts)
			fr.opt.tsval = (uint32_t)rng_next();
	}
	return (unsigned int)tcpd_frame_write6(buf, FRAME_MAX, &fr);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_until(double t)
{
	double d = t - now();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* IPv6: 2001:2::/48 only, for the destination and every spoofed source. */
static int
check_args6(const struct flood *f)
{
	if (f->dst_ip != 0) {
		fprintf(stderr, "tcpd-flood: --dst-ip and --dst-ip6 exclude each other\n");
		return -1;
	}
	if (!in_lab6(f->dst_ip6)) {
		fprintf(stderr, "tcpd-flood: --dst-ip6 must be inside 2001:2::/48\n");
		return -1;
	}
	if (f->src6_len < 48 || !in_lab6(f->src6_net)) {
		fprintf(stderr, "tcpd-flood: --src6 must be inside 2001:2::/48\n");
		return -1;
	}
	if (f->src6_len == 128 && memcmp(f->src6_net, f->dst_ip6, 16) == 0) {
		fprintf(stderr, "tcpd-flood: --src6 is the destination\n");
		return -1;
	}
	return 0;
}

static int
parse_args(struct flood *f, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"iface", required_argument, NULL, 'i'},
		{"dst-mac", required_argument, NULL, 'M'},
		{"dst-ip", required_argument, NULL, 'd'},
		{"dst-port", required_argument, NULL, 'p'},
		{"src", required_argument, NULL, 's'},
		{"dst-ip6", required_argument, NULL, 'D'},
		{"src6", required_argument, NULL, 'S'},
		{"src-mac", required_argument, NULL, 'm'},
		{"count", required_argument, NULL, 'c'},
		{"seconds", required_argument, NULL, 't'},
		{"rate", required_argument, NULL, 'r'},
		{"batch", required_argument, NULL, 'b'},
		{"ack", no_argument, NULL, 'a'},
		{"options", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool have_mac = false, have_ip = false, have_count = false, have_secs = false;
	uint64_t v;
	int c;

	f->dst_port = 80;
	f->src_net = 0xC6130000u; /* 198.19.0.0/16: clear of 198.18.0.1 and .2 */
	f->src_mask = 0xFFFF0000u;
	f->batch = 64;
	f->opts = OPTS_LINUX;
	/* 2001:2:0:ff::/64: clear of the lab's 2001:2::/64 hosts */
	parse_prefix6("2001:2:0:ff::/64", f->src6_net, &f->src6_len);

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			f->iface = optarg;
			break;
		case 'M':
			if (parse_mac(optarg, &f->dst_mac) < 0) {
				fprintf(stderr, "tcpd-flood: bad --dst-mac '%s'\n", optarg);
				return -1;
			}
			have_mac = true;
			break;
		case 'm':
			if (parse_mac(optarg, &f->src_mac) < 0) {
				fprintf(stderr, "tcpd-flood: bad --src-mac '%s'\n", optarg);
				return -1;
			}
			f->src_mac_set = true;
			break;
		case 'd':
			if (parse_ip(optarg, &f->dst_ip) < 0) {
				fprintf(stderr, "tcpd-flood: bad --dst-ip '%s'\n", optarg);
				return -1;
			}
			have_ip = true;
			break;
		case 'p':
			if (parse_u64(optarg, &v) < 0 || v == 0 || v > 65535) {
				fprintf(stderr, "tcpd-flood: bad --dst-port '%s' (1..65535)\n",
					optarg);
				return -1;
			}
			f->dst_port = (uint16_t)v;
			break;
		case 'D':
			if (inet_pton(AF_INET6, optarg, f->dst_ip6) != 1) {
				fprintf(stderr, "tcpd-flood: bad --dst-ip6 '%s'\n", optarg);
				return -1;
			}
			f->v6 = true;
			have_ip = true;
			break;
		case 'S':
			if (parse_prefix6(optarg, f->src6_net, &f->src6_len) < 0) {
				fprintf(stderr, "tcpd-flood: bad --src6 '%s' (NET/LEN)\n", optarg);
				return -1;
			}
			break;
		case 's':
			if (parse_prefix(optarg, &f->src_net, &f->src_mask) < 0) {
				fprintf(stderr, "tcpd-flood: bad --src '%s' (NET/LEN)\n", optarg);
				return -1;
			}
			break;
		case 'c':
			if (parse_u64(optarg, &f->count) < 0) {
				fprintf(stderr, "tcpd-flood: bad --count '%s'\n", optarg);
				return -1;
			}
			have_count = true;
			break;
		case 't':
			if (parse_double(optarg, &f->seconds) < 0) {
				fprintf(stderr, "tcpd-flood: bad --seconds '%s'\n", optarg);
				return -1;
			}
			have_secs = true;
			break;
		case 'r':
			if (parse_double(optarg, &f->rate) < 0) {
				fprintf(stderr, "tcpd-flood: bad --rate '%s'\n", optarg);
				return -1;
			}
			break;
		case 'b':
			if (parse_u64(optarg, &v) < 0 || v == 0 || v > MAX_BATCH) {
				fprintf(stderr, "tcpd-flood: bad --batch '%s' (1..%d)\n", optarg,
					MAX_BATCH);
				return -1;
			}
			f->batch = (unsigned int)v;
			break;
		case 'a':
			f->ack = true;
			break;
		case 'o':
			if (strcmp(optarg, "none") == 0)
				f->opts = OPTS_NONE;
			else if (strcmp(optarg, "mss") == 0)
				f->opts = OPTS_MSS;
			else if (strcmp(optarg, "linux") == 0)
				f->opts = OPTS_LINUX;
			else {
				fprintf(stderr,
					"tcpd-flood: bad --options '%s' (none, mss, linux)\n",
					optarg);
				return -1;
			}
			break;
		case 'q':
			f->quiet = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			return -1;
		}
	}
	if (optind != argc || f->iface == NULL || !have_mac || !have_ip || !have_count ||
	    !have_secs) {
		fprintf(stderr, "tcpd-flood: --iface, --dst-mac, --dst-ip (or --dst-ip6), --count "
				"and --seconds "
				"are mandatory\n");
		usage(stderr, argv[0]);
		return -1;
	}
	if (f->v6)
		return check_args6(f);
	/* The lab's address range only, for the destination and every spoofed source. */
	if (!in_lab(f->dst_ip)) {
		fprintf(stderr, "tcpd-flood: --dst-ip must be inside 198.18.0.0/15\n");
		return -1;
	}
	if (f->src_mask < LAB_MASK || !in_lab(f->src_net)) {
		fprintf(stderr, "tcpd-flood: --src must be inside 198.18.0.0/15\n");
		return -1;
	}
	if (f->src_mask == 0xFFFFFFFFu && f->src_net == f->dst_ip) {
		fprintf(stderr, "tcpd-flood: --src is the destination\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static uint8_t frames[MAX_BATCH][FRAME_MAX];
	static struct iovec iov[MAX_BATCH];
	static struct mmsghdr msgs[MAX_BATCH];
	struct flood f;
	struct sockaddr_ll sll;
	struct ifreq ifr;
	uint64_t sent = 0, errors = 0;
	double t0, deadline, elapsed, next_report;
	int fd, one = 1;

	memset(&f, 0, sizeof(f));
	if (parse_args(&f, argc, argv) < 0)
		return 2;
	if (rng_seed() < 0) {
		perror("tcpd-flood: getrandom");
		return 1;
	}

	fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: send only, receive nothing */
	if (fd < 0) {
		perror("tcpd-flood: socket(AF_PACKET)");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	if (strlen(f.iface) >= sizeof(ifr.ifr_name)) {
		fprintf(stderr, "tcpd-flood: interface name too long\n");
		return 2;
	}
	strcpy(ifr.ifr_name, f.iface);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		fprintf(stderr, "tcpd-flood: no interface '%s': %s\n", f.iface, strerror(errno));
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifr.ifr_ifindex;
	sll.sll_protocol = 0;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("tcpd-flood: bind");
		return 1;
	}
	if (!f.src_mac_set) {
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
			perror("tcpd-flood: SIOCGIFHWADDR");
			return 1;
		}
		memcpy(f.src_mac.addr_bytes, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
	}
	/* Straight to the driver: the qdisc would only add a lock and drops of its own. */
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));

	collect_local_addresses(&f);
	f.exclude[f.nb_exclude++ % MAX_EXCLUDE] = f.dst_ip;
	/* The /15's network and broadcast addresses are not hosts. */
	if (f.nb_exclude < MAX_EXCLUDE)
		f.exclude[f.nb_exclude++] = LAB_NET;
	if (f.nb_exclude < MAX_EXCLUDE)
		f.exclude[f.nb_exclude++] = LAB_NET | ~LAB_MASK;
	if (f.v6 && f.src6_len == 128 && excluded6(&f, f.src6_net)) {
		fprintf(stderr, "tcpd-flood: --src6 is an address of this namespace\n");
		return 2;
	}
	if (!f.v6 && f.src_mask == 0xFFFFFFFFu && excluded(&f, f.src_net)) {
		fprintf(stderr, "tcpd-flood: --src is an address of this namespace or reserved\n");
		return 2;
	}

	for (unsigned int i = 0; i < MAX_BATCH; i++) {
		iov[i].iov_base = frames[i];
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(sll);
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	t0 = now();
	deadline = t0 + f.seconds;
	next_report = t0 + 1.0;
	while (!stop && sent < f.count) {
		unsigned int n = f.batch;
		double t = now();
		int r;

		if (t >= deadline)
			break;
		if (f.count - sent < n)
			n = (unsigned int)(f.count - sent);
		if (f.rate > 0) {
			/* Pace by batches: the batch is due when the previous ones fill the rate. */
			double due = t0 + (double)sent / f.rate;

			if (due > deadline)
				break;
			sleep_until(due);
		}
		for (unsigned int i = 0; i < n; i++)
			iov[i].iov_len =
				f.v6 ? build_frame6(&f, frames[i]) : build_frame(&f, frames[i]);
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				errors++;
				continue;
			}
			perror("tcpd-flood: sendmmsg");
			break;
		}
		sent += (uint64_t)r;
		if (!f.quiet && t >= next_report) {
			fprintf(stderr, "tcpd-flood: %" PRIu64 " sent, %.0f pps\n", sent,
				(double)sent / (t - t0));
			next_report += 1.0;
		}
	}
	elapsed = now() - t0;
	close(fd);
	printf("sent=%" PRIu64 " seconds=%.3f pps=%.0f\n", sent, elapsed,
	       elapsed > 0 ? (double)sent / elapsed : 0.0);
	if (errors && !f.quiet)
		fprintf(stderr, "tcpd-flood: %" PRIu64 " sendmmsg calls refused (ENOBUFS)\n",
			errors);
	return sent > 0 || f.count == 0 ? 0 : 1;
}
