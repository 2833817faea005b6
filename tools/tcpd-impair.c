/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpd-impair: an impairment relay for the namespace lab (the lab's kernel has no netem).
 *
 * Forwards every Ethernet frame between two interfaces, both ways, through AF_PACKET sockets
 * (poll-based, no DPDK, no EAL), and applies per direction, as netem would: loss (Bernoulli, or
 * Gilbert-Elliott bursts), delay with uniform jitter (FIFO unless --jitter-reorder), explicit
 * reordering (a frame held back until N later frames have overtaken it, or at most some ms),
 * duplication, corruption (one bit flipped beyond the Ethernet header, inside the IPv4 datagram,
 * so the IPv4 or TCP checksum catches it) and a rate limit. Frames are never modified otherwise.
 *
 * Every decision comes from a seeded PRNG, one stream per direction (--seed: the same seed and the
 * same traffic give the same decisions). A run is bounded by --seconds and --count (frames
 * received, both directions); the counters are printed at exit and on SIGUSR1.
 *
 * Timing: per direction a min-heap of release times over a fixed pool of frame slots (--limit);
 * a frame that finds the pool full is dropped and counted (qdrop). The loop sleeps in ppoll until
 * a socket is readable or the next release time.
 *
 * The sockets use PACKET_IGNORE_OUTGOING (and check sll_pkttype) so that the relay never sees its
 * own transmissions, and put the interfaces in promiscuous mode for as long as they are open.
 * Turn offloads off on both interfaces (tools/lab.sh relay-up does): a GRO super-frame would not
 * fit a slot, and a frame with a checksum left to "hardware" would reach the peer unchecked.
 * Limitation: an 802.1Q tag the receiving interface stripped into the packet's auxiliary data is
 * not put back (the lab has no VLANs).
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define MAX_BATCH     64
#define MAX_HELD      256
#define DEFAULT_LIMIT 4096
#define NS_PER_MS     1000000ull
#define NS_PER_S      1000000000ull

enum {
	DIR_AB,
	DIR_BA,
	NB_DIR
};

static const char *const dir_name[NB_DIR] = {"a>b", "b>a"};

/* What one direction does to its frames. Percentages are 0..100. */
struct impair {
	double loss;
	bool ge;	   /* Gilbert-Elliott instead of Bernoulli loss */
	double ge_p, ge_r; /* good->bad, bad->good transition, per frame */
	double ge_h, ge_k; /* loss in the bad state, loss in the good state */
	uint64_t delay_ns;
	uint64_t jitter_ns;  /* uniform in [-jitter, +jitter] */
	bool jitter_reorder; /* let jitter reorder (default: FIFO, release times never decrease) */
	double reorder;
	unsigned int reorder_gap; /* held until this many later frames went out ... */
	uint64_t reorder_ns;	  /* ... or this long after its release time */
	double duplicate;
	double corrupt;
	double rate_bps; /* 0: no limit */
};

struct counters {
	uint64_t rx;	    /* frames received on the input interface */
	uint64_t fwd;	    /* frames sent on the output interface (duplicates included) */
	uint64_t lost;	    /* dropped by the loss model */
	uint64_t qdrop;	    /* dropped because the queue was full */
	uint64_t delayed;   /* released later than they arrived */
	uint64_t reordered; /* held back for reordering */
	uint64_t duplicated;
	uint64_t corrupted;
	uint64_t trunc;	 /* larger than a slot: dropped, never forwarded cut */
	uint64_t txerr;	 /* sendmmsg failures */
	uint64_t unsent; /* still queued at exit */
	uint64_t kdrops; /* the input socket's PACKET_STATISTICS tp_drops */
};

struct slot {
	uint64_t t;   /* release time (ns, CLOCK_MONOTONIC) */
	uint64_t seq; /* arrival order, breaks ties */
	uint64_t deadline;
	uint32_t len;
	uint32_t gap; /* held frames: overtakes still wanted */
};

struct dir {
	struct impair imp;
	int rx_fd, tx_fd;
	uint64_t rng[4];
	bool ge_bad;
	uint64_t last_t, link_free, seq;
	uint8_t *buf;
	struct slot *slots;
	uint32_t *free_list, nb_free;
	uint32_t *heap, nb_heap;
	uint32_t held[MAX_HELD], nb_held;
	struct counters c;
	/* transmit batch */
	struct mmsghdr tx_msg[MAX_BATCH];
	struct iovec tx_iov[MAX_BATCH];
	uint32_t tx_slot[MAX_BATCH];
	unsigned int nb_tx;
};

struct relay {
	const char *ifname[NB_DIR];
	int fd[NB_DIR];
	struct dir d[NB_DIR];
	uint32_t limit;
	uint32_t slot_size;
	uint64_t seed;
	bool seed_set;
	bool ip_only;
	double seconds;
	uint64_t count;
	bool have_seconds, have_count;
};

static volatile sig_atomic_t stop_sig, dump_sig;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		dump_sig = 1;
	else
		stop_sig = sig;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* --- PRNG: splitmix64 seeds xoshiro256**, one stream per direction ------------------------ */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(uint64_t *s)
{
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

/* Uniform in [0, 1). */
static double
rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) * 0x1.0p-53;
}

/* True with probability pct percent; draws nothing when pct is 0, so an impairment that is off
 * does not shift the decisions of the others. */
static bool
chance(uint64_t *s, double pct)
{
	if (pct <= 0)
		return false;
	return rng_unit(s) * 100.0 < pct;
}

/* --- options -------------------------------------------------------------------------------- */

static void
usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s --iface-a IF --iface-b IF --seconds S --count N [options]\n"
		"Relays every frame between IF A and IF B, both ways, with impairments.\n"
		"  --iface-a IF, --iface-b IF  the two interfaces (offloads off, no addresses)\n"
		"  --seconds S        stop after S seconds (mandatory)\n"
		"  --count N          stop receiving after N frames (both directions; mandatory),\n"
		"                     send what is queued, then exit\n"
		"  --seed N           PRNG seed (default: random, printed)\n"
		"  --limit N          frames queued per direction (default %u); beyond: qdrop\n"
		"  --ip-only          impair IPv4/IPv6 frames only; ARP and others pass at once\n"
		"Impairments apply to the directions chosen by the last --dir (default both):\n"
		"  --dir ab|ba|both   a>b is what arrives on A and leaves on B\n"
		"  --loss PCT         drop PCT %% of frames (independent)\n"
		"  --loss-ge P,R[,H[,K]]  Gilbert-Elliott: P %% good->bad, R %% bad->good per "
		"frame,\n"
		"                     loss H %% in bad (default 100), K %% in good (default 0)\n"
		"  --delay MS         delay every frame by MS milliseconds\n"
		"  --jitter MS        plus uniform [-MS, +MS]; FIFO kept unless --jitter-reorder\n"
		"  --jitter-reorder   let jitter reorder frames (release times may decrease)\n"
		"  --reorder PCT      hold PCT %% of frames back until --reorder-gap later frames\n"
		"                     overtook them (default 3) or --reorder-ms passed (default "
		"50)\n"
		"  --reorder-gap N, --reorder-ms MS\n"
		"  --duplicate PCT    send PCT %% of frames twice\n"
		"  --corrupt PCT      flip one random bit beyond the Ethernet header in PCT %% of "
		"frames\n"
		"  --rate MBIT        serialise at MBIT Mbit/s (default: no limit)\n"
		"Counters per direction at exit and on SIGUSR1: rx fwd lost qdrop delayed "
		"reordered\n"
		"duplicated corrupted trunc txerr unsent kdrops (socket RX ring drops).\n",
		prog, DEFAULT_LIMIT);
}

static int
parse_double(const char *s, double *v, double max)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return (errno || *end || end == s || !(*v >= 0) || *v > max) ? -1 : 0;
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return (errno || *end || end == s || *s == '-') ? -1 : 0;
}

static int
parse_ge(const char *s, struct impair *imp)
{
	double v[4] = {0, 0, 100, 0};
	char buf[128], *tok, *save = NULL;
	int n = 0;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == 4 || parse_double(tok, &v[n], 100) < 0)
			return -1;
		n++;
	}
	if (n < 2)
		return -1;
	imp->ge = true;
	imp->ge_p = v[0];
	imp->ge_r = v[1];
	imp->ge_h = v[2];
	imp->ge_k = v[3];
	return 0;
}

enum {
	O_IFA = 256,
	O_IFB,
	O_SECONDS,
	O_COUNT,
	O_SEED,
	O_LIMIT,
	O_IPONLY,
	O_DIR,
	O_LOSS,
	O_LOSSGE,
	O_DELAY,
	O_JITTER,
	O_JREORDER,
	O_REORDER,
	O_RGAP,
	O_RMS,
	O_DUP,
	O_CORRUPT,
	O_RATE,
	O_HELP,
};

static const struct option long_opts[] = {
	{"iface-a", required_argument, NULL, O_IFA},
	{"iface-b", required_argument, NULL, O_IFB},
	{"seconds", required_argument, NULL, O_SECONDS},
	{"count", required_argument, NULL, O_COUNT},
	{"seed", required_argument, NULL, O_SEED},
	{"limit", required_argument, NULL, O_LIMIT},
	{"ip-only", no_argument, NULL, O_IPONLY},
	{"dir", required_argument, NULL, O_DIR},
	{"loss", required_argument, NULL, O_LOSS},
	{"loss-ge", required_argument, NULL, O_LOSSGE},
	{"delay", required_argument, NULL, O_DELAY},
	{"jitter", required_argument, NULL, O_JITTER},
	{"jitter-reorder", no_argument, NULL, O_JREORDER},
	{"reorder", required_argument, NULL, O_REORDER},
	{"reorder-gap", required_argument, NULL, O_RGAP},
	{"reorder-ms", required_argument, NULL, O_RMS},
	{"duplicate", required_argument, NULL, O_DUP},
	{"corrupt", required_argument, NULL, O_CORRUPT},
	{"rate", required_argument, NULL, O_RATE},
	{"help", no_argument, NULL, O_HELP},
	{NULL, 0, NULL, 0},
};

static int
parse_args(struct relay *r, int argc, char **argv)
{
	bool dirs[NB_DIR] = {true, true};
	int opt;

	for (int i = 0; i < NB_DIR; i++) {
		r->d[i].imp.reorder_gap = 3;
		r->d[i].imp.reorder_ns = 50 * NS_PER_MS;
	}
	r->limit = DEFAULT_LIMIT;
	while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		double v = 0;
		uint64_t u = 0;
		struct impair tmp;
		bool ok = true;

		switch (opt) {
		case O_IFA:
			r->ifname[DIR_AB] = optarg;
			continue;
		case O_IFB:
			r->ifname[DIR_BA] = optarg;
			continue;
		case O_SECONDS:
			ok = parse_double(optarg, &r->seconds, 1e7) == 0 && r->seconds > 0;
			r->have_seconds = true;
			break;
		case O_COUNT:
			ok = parse_u64(optarg, &r->count) == 0 && r->count > 0;
			r->have_count = true;
			break;
		case O_SEED:
			ok = parse_u64(optarg, &r->seed) == 0;
			r->seed_set = true;
			break;
		case O_LIMIT:
			ok = parse_u64(optarg, &u) == 0 && u >= MAX_BATCH && u <= 1000000;
			r->limit = (uint32_t)u;
			break;
		case O_IPONLY:
			r->ip_only = true;
			continue;
		case O_DIR:
			dirs[DIR_AB] = strcmp(optarg, "ab") == 0 || strcmp(optarg, "both") == 0;
			dirs[DIR_BA] = strcmp(optarg, "ba") == 0 || strcmp(optarg, "both") == 0;
			ok = dirs[DIR_AB] || dirs[DIR_BA];
			break;
		case O_HELP:
			usage(stdout, argv[0]);
			exit(0);
		case O_LOSS:
		case O_LOSSGE:
		case O_DELAY:
		case O_JITTER:
		case O_JREORDER:
		case O_REORDER:
		case O_RGAP:
		case O_RMS:
		case O_DUP:
		case O_CORRUPT:
		case O_RATE:
			for (int i = 0; i < NB_DIR; i++) {
				if (!dirs[i])
					continue;
				tmp = r->d[i].imp;
				switch (opt) {
				case O_LOSS:
					ok = parse_double(optarg, &tmp.loss, 100) == 0;
					break;
				case O_LOSSGE:
					ok = parse_ge(optarg, &tmp) == 0;
					break;
				case O_DELAY:
					ok = parse_double(optarg, &v, 1e5) == 0;
					tmp.delay_ns = (uint64_t)(v * NS_PER_MS);
					break;
				case O_JITTER:
					ok = parse_double(optarg, &v, 1e5) == 0;
					tmp.jitter_ns = (uint64_t)(v * NS_PER_MS);
					break;
				case O_JREORDER:
					tmp.jitter_reorder = true;
					break;
				case O_REORDER:
					ok = parse_double(optarg, &tmp.reorder, 100) == 0;
					break;
				case O_RGAP:
					ok = parse_u64(optarg, &u) == 0 && u <= 1000;
					tmp.reorder_gap = (unsigned int)u;
					break;
				case O_RMS:
					ok = parse_double(optarg, &v, 1e5) == 0;
					tmp.reorder_ns = (uint64_t)(v * NS_PER_MS);
					break;
				case O_DUP:
					ok = parse_double(optarg, &tmp.duplicate, 100) == 0;
					break;
				case O_CORRUPT:
					ok = parse_double(optarg, &tmp.corrupt, 100) == 0;
					break;
				case O_RATE:
					ok = parse_double(optarg, &v, 1e6) == 0 && v > 0;
					tmp.rate_bps = v * 1e6;
					break;
				}
				r->d[i].imp = tmp;
			}
			break;
		default:
			usage(stderr, argv[0]);
			return -1;
		}
		if (!ok) {
			fprintf(stderr, "tcpd-impair: bad value '%s' for --%s\n", optarg,
				long_opts[opt - O_IFA].name);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tcpd-impair: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (r->ifname[DIR_AB] == NULL || r->ifname[DIR_BA] == NULL) {
		fprintf(stderr, "tcpd-impair: --iface-a and --iface-b are mandatory\n");
		return -1;
	}
	if (strcmp(r->ifname[DIR_AB], r->ifname[DIR_BA]) == 0) {
		fprintf(stderr, "tcpd-impair: --iface-a and --iface-b must differ\n");
		return -1;
	}
	if (!r->have_seconds || !r->have_count) {
		fprintf(stderr, "tcpd-impair: --seconds and --count are mandatory\n");
		return -1;
	}
	return 0;
}

/* --- sockets -------------------------------------------------------------------------------- */

static int
open_iface(const char *ifname, unsigned int *mtu)
{
	struct sockaddr_ll sll = {0};
	struct packet_mreq mr = {0};
	struct ifreq ifr = {0};
	int fd, one = 1, bufsz = 8 << 20;
	unsigned int ifindex = if_nametoindex(ifname);

	if (ifindex == 0) {
		fprintf(stderr, "tcpd-impair: no interface %s\n", ifname);
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("tcpd-impair: socket(AF_PACKET) (root needed)");
		return -1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		perror("tcpd-impair: SIOCGIFMTU");
		goto fail;
	}
	*mtu = (unsigned int)ifr.ifr_mtu;
	/* Never see our own transmissions (the check of sll_pkttype stays as a second guard). */
	if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0)
		fprintf(stderr, "tcpd-impair: PACKET_IGNORE_OUTGOING: %s (checking pkttype only)\n",
			strerror(errno));
	/* Room for bursts while the loop sleeps; FORCE needs CAP_NET_ADMIN, plain is capped. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bufsz, sizeof(bufsz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("tcpd-impair: bind");
		goto fail;
	}
	/* Frames for the MAC behind the relay are not ours: promiscuous while the socket lives. */
	mr.mr_ifindex = (int)ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		perror("tcpd-impair: PACKET_MR_PROMISC");
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

static void
read_kdrops(struct relay *r)
{
	for (int i = 0; i < NB_DIR; i++) {
		struct tpacket_stats st;
		socklen_t len = sizeof(st);

		/* The kernel zeroes the counters on each read: accumulate. */
		if (getsockopt(r->d[i].rx_fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
			r->d[i].c.kdrops += st.tp_drops;
	}
}

/* --- the queue: a min-heap of (release time, arrival order) ---------------------------------- */

static bool
slot_before(const struct dir *d, uint32_t x, uint32_t y)
{
	const struct slot *a = &d->slots[x], *b = &d->slots[y];

	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
heap_push(struct dir *d, uint32_t s)
{
	uint32_t i = d->nb_heap++;

	while (i > 0) {
		uint32_t p = (i - 1) / 2;

		if (!slot_before(d, s, d->heap[p]))
			break;
		d->heap[i] = d->heap[p];
		i = p;
	}
	d->heap[i] = s;
}

static uint32_t
heap_pop(struct dir *d)
{
	uint32_t top = d->heap[0], last = d->heap[--d->nb_heap], i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= d->nb_heap)
			break;
		if (c + 1 < d->nb_heap && slot_before(d, d->heap[c + 1], d->heap[c]))
			c++;
		if (!slot_before(d, d->heap[c], last))
			break;
		d->heap[i] = d->heap[c];
		i = c;
	}
	if (d->nb_heap > 0)
		d->heap[i] = last;
	return top;
}

static uint8_t *
slot_data(const struct relay *r, const struct dir *d, uint32_t s)
{
	return d->buf + (size_t)s * r->slot_size;
}

static int
dir_init(struct relay *r, struct dir *d)
{
	d->buf = malloc((size_t)r->limit * r->slot_size);
	d->slots = calloc(r->limit, sizeof(*d->slots));
	d->free_list = malloc(r->limit * sizeof(uint32_t));
	d->heap = malloc(r->limit * sizeof(uint32_t));
	if (!d->buf || !d->slots || !d->free_list || !d->heap)
		return -1;
	for (uint32_t i = 0; i < r->limit; i++)
		d->free_list[i] = r->limit - 1 - i;
	d->nb_free = r->limit;
	for (int i = 0; i < MAX_BATCH; i++) {
		d->tx_msg[i].msg_hdr.msg_iov = &d->tx_iov[i];
		d->tx_msg[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
}

/* --- transmit ------------------------------------------------------------------------------- */

static void
tx_flush(struct dir *d)
{
	unsigned int done = 0;

	while (done < d->nb_tx) {
		int n = sendmmsg(d->tx_fd, d->tx_msg + done, d->nb_tx - done, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS and the like: the frame is lost, as on a full wire. */
			d->c.txerr++;
			done++;
			continue;
		}
		d->c.fwd += (uint64_t)n;
		done += (unsigned int)n;
	}
	for (unsigned int i = 0; i < d->nb_tx; i++)
		d->free_list[d->nb_free++] = d->tx_slot[i];
	d->nb_tx = 0;
}

static void
tx_add(struct relay *r, struct dir *d, uint32_t s)
{
	if (d->nb_tx == MAX_BATCH)
		tx_flush(d);
	d->tx_iov[d->nb_tx].iov_base = slot_data(r, d, s);
	d->tx_iov[d->nb_tx].iov_len = d->slots[s].len;
	d->tx_slot[d->nb_tx++] = s;
}

static void
held_remove(struct dir *d, unsigned int i)
{
	memmove(&d->held[i], &d->held[i + 1], (d->nb_held - i - 1) * sizeof(d->held[0]));
	d->nb_held--;
}

/* Send what is due at `now`, in order; a held frame leaves right after the frame that completed
 * its gap, or at its deadline. */
static void
dir_release(struct relay *r, struct dir *d, uint64_t now)
{
	unsigned int i;

	while (d->nb_heap > 0 && d->slots[d->heap[0]].t <= now) {
		uint32_t s = heap_pop(d);

		tx_add(r, d, s);
		for (i = 0; i < d->nb_held;) {
			struct slot *h = &d->slots[d->held[i]];

			/* Only a frame that arrived after the held one overtakes it. */
			if (h->gap > 0 && slot_before(d, d->held[i], s))
				h->gap--;
			if (h->t <= now && h->gap == 0) {
				tx_add(r, d, d->held[i]);
				held_remove(d, i);
			} else {
				i++;
			}
		}
	}
	for (i = 0; i < d->nb_held;) {
		const struct slot *h = &d->slots[d->held[i]];

		/* Its deadline, or overtaken enough while not yet due (jitter may reorder). */
		if (h->deadline <= now || (h->gap == 0 && h->t <= now)) {
			tx_add(r, d, d->held[i]);
			held_remove(d, i);
		} else {
			i++;
		}
	}
	if (d->nb_tx > 0)
		tx_flush(d);
}

static uint64_t
dir_next(const struct dir *d)
{
	uint64_t t = UINT64_MAX;

	if (d->nb_heap > 0)
		t = d->slots[d->heap[0]].t;
	for (unsigned int i = 0; i < d->nb_held; i++) {
		const struct slot *h = &d->slots[d->held[i]];
		uint64_t due = h->gap == 0 && h->t < h->deadline ? h->t : h->deadline;

		if (due < t)
			t = due;
	}
	return t;
}

/* --- receive: the impairment decisions ------------------------------------------------------ */

static bool
is_ip(const uint8_t *f, uint32_t len)
{
	uint16_t type;

	if (len < 14)
		return false;
	type = (uint16_t)(f[12] << 8 | f[13]);
	return type == ETHERTYPE_IP || type == ETHERTYPE_IPV6;
}

/* One bit flipped beyond the Ethernet header, inside the IPv4 datagram when there is one (not in
 * Ethernet padding, where no checksum would notice). */
static bool
corrupt_frame(struct dir *d, uint8_t *f, uint32_t len)
{
	uint32_t end = len;

	if (len > 14 + 20 && f[12] == 0x08 && f[13] == 0x00) {
		uint32_t tot = (uint32_t)(f[16] << 8 | f[17]);

		if (tot >= 20 && 14 + tot < end)
			end = 14 + tot;
	}
	if (end <= 14)
		return false;
	uint64_t bit = rng_next(d->rng) % ((uint64_t)(end - 14) * 8);
	f[14 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
	return true;
}

static bool
lose(struct dir *d)
{
	const struct impair *imp = &d->imp;

	if (!imp->ge)
		return chance(d->rng, imp->loss);
	if (d->ge_bad) {
		if (chance(d->rng, imp->ge_r))
			d->ge_bad = false;
	} else if (chance(d->rng, imp->ge_p)) {
		d->ge_bad = true;
	}
	return chance(d->rng, d->ge_bad ? imp->ge_h : imp->ge_k);
}

static uint32_t
slot_get(struct dir *d)
{
	if (d->nb_free == 0) {
		d->c.qdrop++;
		return UINT32_MAX;
	}
	return d->free_list[--d->nb_free];
}

static void
frame_in(struct relay *r, struct dir *d, const uint8_t *f, uint32_t len, uint64_t now)
{
	const struct impair *imp = &d->imp;
	bool impair = !r->ip_only || is_ip(f, len);
	uint64_t t = now;
	uint32_t s, dup = UINT32_MAX;

	if (impair && lose(d)) {
		d->c.lost++;
		return;
	}
	s = slot_get(d);
	if (s == UINT32_MAX)
		return;
	memcpy(slot_data(r, d, s), f, len);
	d->slots[s].len = len;
	if (impair && chance(d->rng, imp->duplicate)) {
		dup = slot_get(d);
		if (dup != UINT32_MAX) {
			memcpy(slot_data(r, d, dup), f, len);
			d->slots[dup].len = len;
			d->c.duplicated++;
		}
	}
	if (impair && chance(d->rng, imp->corrupt) && corrupt_frame(d, slot_data(r, d, s), len))
		d->c.corrupted++;
	if (impair && (imp->delay_ns || imp->jitter_ns)) {
		int64_t j = 0;

		if (imp->jitter_ns)
			j = (int64_t)(rng_next(d->rng) % (2 * imp->jitter_ns + 1)) -
			    (int64_t)imp->jitter_ns;
		if ((int64_t)imp->delay_ns + j > 0)
			t = now + (uint64_t)((int64_t)imp->delay_ns + j);
	}
	if (!imp->jitter_reorder && t < d->last_t)
		t = d->last_t;
	d->last_t = t;
	if (imp->rate_bps > 0) {
		uint64_t start = t > d->link_free ? t : d->link_free;

		t = start + (uint64_t)((double)len * 8 * 1e9 / imp->rate_bps);
		d->link_free = t;
	}
	if (t > now)
		d->c.delayed++;
	d->slots[s].t = t;
	d->slots[s].seq = d->seq++;
	if (dup != UINT32_MAX) {
		d->slots[dup].t = t;
		d->slots[dup].seq = d->seq++;
		heap_push(d, dup);
	}
	if (impair && d->nb_held < MAX_HELD && chance(d->rng, imp->reorder)) {
		d->slots[s].gap = imp->reorder_gap;
		d->slots[s].deadline = t + imp->reorder_ns;
		d->held[d->nb_held++] = s;
		d->c.reordered++;
		return;
	}
	heap_push(d, s);
}

/* Reads what the input socket holds, in batches; returns the frames received. */
static unsigned int
dir_receive(struct relay *r, struct dir *d, uint8_t *scratch, uint64_t budget)
{
	struct mmsghdr msg[MAX_BATCH];
	struct iovec iov[MAX_BATCH];
	struct sockaddr_ll from[MAX_BATCH];
	unsigned int total = 0;
	int n;

	for (int round = 0; round < 16 && budget > 0; round++) {
		unsigned int want = budget < MAX_BATCH ? (unsigned int)budget : MAX_BATCH;
		uint64_t now;

		memset(msg, 0, sizeof(msg[0]) * want);
		for (unsigned int i = 0; i < want; i++) {
			iov[i].iov_base = scratch + (size_t)i * r->slot_size;
			iov[i].iov_len = r->slot_size;
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
			msg[i].msg_hdr.msg_name = &from[i];
			msg[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(d->rx_fd, msg, want, MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (n <= 0)
			break;
		now = now_ns();
		for (int i = 0; i < n; i++) {
			if (from[i].sll_pkttype == PACKET_OUTGOING)
				continue;
			d->c.rx++;
			total++;
			if (msg[i].msg_len > r->slot_size ||
			    (msg[i].msg_hdr.msg_flags & MSG_TRUNC)) {
				d->c.trunc++;
				continue;
			}
			frame_in(r, d, scratch + (size_t)i * r->slot_size, msg[i].msg_len, now);
		}
		budget -= (unsigned int)n < budget ? (unsigned int)n : budget;
		if ((unsigned int)n < want)
			break;
	}
	return total;
}

/* --- output --------------------------------------------------------------------------------- */

static void
print_config(const struct relay *r)
{
	printf("tcpd-impair: a=%s b=%s seed=%" PRIu64 " limit=%u seconds=%g count=%" PRIu64 "%s\n",
	       r->ifname[DIR_AB], r->ifname[DIR_BA], r->seed, r->limit, r->seconds, r->count,
	       r->ip_only ? " ip-only" : "");
	for (int i = 0; i < NB_DIR; i++) {
		const struct impair *m = &r->d[i].imp;

		printf("tcpd-impair: %s", dir_name[i]);
		if (m->ge)
			printf(" loss-ge=%g,%g,%g,%g", m->ge_p, m->ge_r, m->ge_h, m->ge_k);
		else
			printf(" loss=%g", m->loss);
		printf(" delay=%gms jitter=%gms%s reorder=%g gap=%u hold<=%gms duplicate=%g "
		       "corrupt=%g rate=%gMbit\n",
		       (double)m->delay_ns / 1e6, (double)m->jitter_ns / 1e6,
		       m->jitter_reorder ? " (reordering)" : "", m->reorder, m->reorder_gap,
		       (double)m->reorder_ns / 1e6, m->duplicate, m->corrupt, m->rate_bps / 1e6);
	}
	fflush(stdout);
}

static void
print_counters(struct relay *r, const char *what, double elapsed)
{
	read_kdrops(r);
	for (int i = 0; i < NB_DIR; i++) {
		const struct counters *c = &r->d[i].c;

		printf("tcpd-impair: %s %s rx=%" PRIu64 " fwd=%" PRIu64 " lost=%" PRIu64
		       " qdrop=%" PRIu64 " delayed=%" PRIu64 " reordered=%" PRIu64
		       " duplicated=%" PRIu64 " corrupted=%" PRIu64 " trunc=%" PRIu64
		       " txerr=%" PRIu64 " unsent=%" PRIu64 " kdrops=%" PRIu64 " queued=%u\n",
		       what, dir_name[i], c->rx, c->fwd, c->lost, c->qdrop, c->delayed,
		       c->reordered, c->duplicated, c->corrupted, c->trunc, c->txerr, c->unsent,
		       c->kdrops, r->d[i].nb_heap + r->d[i].nb_held);
	}
	printf("tcpd-impair: %s seconds=%.3f\n", what, elapsed);
	fflush(stdout);
}

/* --- main loop ------------------------------------------------------------------------------ */

int
main(int argc, char **argv)
{
	static struct relay r;
	struct sigaction sa = {0};
	sigset_t block, orig;
	unsigned int mtu[NB_DIR];
	uint8_t *scratch;
	uint64_t start, end, rx_total = 0;
	bool draining = false;
	const char *reason = "signal";

	if (parse_args(&r, argc, argv) < 0)
		return 2;
	if (!r.seed_set && getrandom(&r.seed, sizeof(r.seed), 0) != sizeof(r.seed))
		r.seed = (uint64_t)time(NULL);
	for (int i = 0; i < NB_DIR; i++) {
		r.fd[i] = open_iface(r.ifname[i], &mtu[i]);
		if (r.fd[i] < 0)
			return 1;
	}
	/* A slot holds the largest frame either MTU allows, and a VLAN tag. */
	r.slot_size = (mtu[0] > mtu[1] ? mtu[0] : mtu[1]) + 14 + 4;
	r.slot_size = (r.slot_size + 63) & ~63u;
	scratch = malloc((size_t)MAX_BATCH * r.slot_size);
	if (scratch == NULL)
		return 1;
	for (int i = 0; i < NB_DIR; i++) {
		struct dir *d = &r.d[i];
		uint64_t x = r.seed ^ (0xD1B54A32D192ED03ull * (uint64_t)(i + 1));

		d->rx_fd = r.fd[i];
		d->tx_fd = r.fd[1 - i];
		for (int k = 0; k < 4; k++)
			d->rng[k] = splitmix64(&x);
		if (dir_init(&r, d) < 0) {
			fprintf(stderr, "tcpd-impair: out of memory\n");
			return 1;
		}
	}
	/* Timer slack: release times are meant to the tens of microseconds. */
	(void)prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);

	/* The signals are blocked except inside ppoll, so none is lost between checks. */
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &orig);

	print_config(&r);
	/* Drop whatever was queued on the sockets before both were bound. */
	read_kdrops(&r);
	for (int i = 0; i < NB_DIR; i++)
		r.d[i].c.kdrops = 0;
	start = now_ns();
	end = start + (uint64_t)(r.seconds * 1e9);
	for (;;) {
		struct pollfd pfd[NB_DIR];
		struct timespec ts;
		uint64_t now = now_ns(), next = end;

		if (stop_sig)
			break;
		if (dump_sig) {
			dump_sig = 0;
			print_counters(&r, "stats", (double)(now - start) / 1e9);
		}
		if (now >= end) {
			reason = "seconds";
			break;
		}
		for (int i = 0; i < NB_DIR; i++) {
			dir_release(&r, &r.d[i], now);
			uint64_t t = dir_next(&r.d[i]);
			if (t < next)
				next = t;
		}
		if (draining &&
		    r.d[0].nb_heap + r.d[0].nb_held + r.d[1].nb_heap + r.d[1].nb_held == 0) {
			reason = "count";
			break;
		}
		now = now_ns();
		for (int i = 0; i < NB_DIR; i++) {
			pfd[i].fd = r.fd[i];
			pfd[i].events = draining ? 0 : POLLIN;
			pfd[i].revents = 0;
		}
		if (next <= now) {
			ts.tv_sec = 0;
			ts.tv_nsec = 0;
		} else {
			ts.tv_sec = (time_t)((next - now) / NS_PER_S);
			ts.tv_nsec = (long)((next - now) % NS_PER_S);
		}
		if (ppoll(pfd, NB_DIR, &ts, &orig) < 0) {
			if (errno == EINTR)
				continue;
			perror("tcpd-impair: ppoll");
			break;
		}
		for (int i = 0; i < NB_DIR && !draining; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			rx_total += dir_receive(&r, &r.d[i], scratch, r.count - rx_total);
			if (rx_total >= r.count)
				draining = true;
		}
	}
	for (int i = 0; i < NB_DIR; i++)
		r.d[i].c.unsent = r.d[i].nb_heap + r.d[i].nb_held;
	printf("tcpd-impair: stop reason=%s\n", reason);
	print_counters(&r, "total", (double)(now_ns() - start) / 1e9);
	for (int i = 0; i < NB_DIR; i++) {
		close(r.fd[i]);
		free(r.d[i].buf);
		free(r.d[i].slots);
		free(r.d[i].free_list);
		free(r.d[i].heap);
	}
	free(scratch);
	return 0;
}
