/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet-level scenario runner (see tests/scripts/README.md for the language).
 *
 * One process per scenario: EAL, a net_ring port (two rte_rings), the real worker poll loop
 * (tcpd_worker_poll_at) with its TCP context. "in" lines are enqueued on the port's RX ring,
 * the loop runs, and what the port transmitted is dequeued from the TX ring and compared field
 * by field with the "out" lines. Time is virtual: the worker sees a TSC that moves only as the
 * runner polls (1 us a poll, 100 us a step while "wait" or "out" waits), so every timer fires
 * at the same point of the script however slow or preempted the machine is. Scenarios still
 * use short configured timeouts: a "wait" is polled through.
 */
#define _GNU_SOURCE /* nftw */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_tcp.h>

#include "tcpd_config.h"
#include "tcpd_conn.h"
#include "tcpd_cookie.h"
#include "tcpd_net.h"
#include "tcpd_stats.h"
#include "tcpd_tcp.h"
#include "config_internal.h"
#include "tcpd_worker.h"

#include "scn.h"

#define RING_SIZE   4096
#define NB_MBUFS    16383
#define MAX_PENDING 4096
#define FRAME_MAX   2048

static struct tcpd_config cfg;
static struct tcpd_iface ifc;
static struct tcpd_cookie_store store;
static struct rte_mempool *pool;
static struct rte_ring *rx_ring, *tx_ring;
static uint16_t port_id;
static struct tcpd_worker *w;
static volatile bool quit;
static bool started;
/* config rss=Q/N: the worker stands for RX queue Q of N (Microsoft's key, a round-robin RETA of
 * 128 entries) for the load engine's tuple chooser; N = 0: no RSS, one queue */
static uint16_t rss_queue, rss_nb;
static uint16_t rss_reta[128];
static char runtime_dir[128];

/* The peer and the local port of the current flow; "in" lines change it, "out" lines check it. */
static struct scn_flow flow;
static bool flow_set;

/* Frames transmitted but not yet matched by an "out" line, oldest first. */
static struct rte_mbuf *pending[MAX_PENDING];
static unsigned int pend_head, pend_n;

static unsigned int step;
/* "hold": "in" lines only enqueue, so that the next "release" hands them to one poll */
static bool holding;

/* The virtual clock (TSC cycles): starts at the worker's creation, moves only in scn_poll. */
static uint64_t scn_tsc;
static uint64_t scn_hz;
/* An ordinary poll (after "in", for "none", the flood) advances it by SCN_POLL_US: a line then
 * takes about the few microseconds it takes on an idle machine. Waiting ("wait", "out" with
 * nothing sent yet) advances it by SCN_STEP_US a poll: the TCP timers have 1 ms ticks. */
#define SCN_POLL_US 1
#define SCN_STEP_US 100

/* ---- harness ---------------------------------------------------------------------------- */

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	RTE_SET_USED(sb);
	RTE_SET_USED(flag);
	RTE_SET_USED(ftw);
	remove(path);
	return 0;
}

/* Registered before rte_eal_init, so it runs after EAL's own exit handlers (which unlink the
 * telemetry socket): the prefix directory would otherwise stay behind in /var/run/dpdk. */
static void
cleanup_runtime_dir(void)
{
	if (runtime_dir[0])
		nftw(runtime_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void
config_init(void)
{
#ifdef SCN_HAVE_CONFIG
	tcpd_config_defaults(&cfg);
#else
	/* lib/config has not landed: the values its defaults are documented to have. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.syncookies = TCPD_SYNCOOKIES_AUTO;
	cfg.synq_limit = 1024;
	cfg.time_wait = 60;
	cfg.fin_wait2_timeout = 60;
	cfg.idle_timeout = 0;
	cfg.rto_retries = 6;
	cfg.http_body_size = 64;
	cfg.rst_rate = 1000;
	cfg.challenge_ack_limit = 10;
	cfg.nb_mbufs = 8191;
	cfg.rx_desc = 1024;
	cfg.tx_desc = 1024;
#endif
	/* The runner's own settings: one port, our address, and a table small enough for -m 256
	 * (a scenario can still raise max_conns). */
	cfg.port_id = 0;
	scn_parse_ip("198.18.0.1", &cfg.ip);
	cfg.prefix_len = 15;
	cfg.mtu = 1500;
	cfg.max_conns = 4096;
	cfg.nb_listen = 0;
	/* Time is real here, and a tail-loss probe's timer is 2 ms past two RTTs of a few
	 * microseconds: a runner preempted between two lines would see a probe that the scenario
	 * does not expect. Scenarios about probes say tlp=on; the unit tests cover them too. */
	cfg.tlp = false;
}

struct cfg_key {
	const char *name;
	size_t off;
	int size; /* 4: uint32_t, 2: uint16_t */
};

#define CK(f)                                                                                      \
	{                                                                                          \
#f, offsetof(struct tcpd_config, f), (int)sizeof(((struct tcpd_config *)0)->f)     \
	}
static const struct cfg_key cfg_keys[] = {
	CK(synq_limit),	       CK(max_conns),	 CK(time_wait),
	CK(fin_wait2_timeout), CK(idle_timeout), CK(rto_retries),
	CK(http_body_size),    CK(rst_rate),	 CK(challenge_ack_limit),
	CK(cookie_rotate),     CK(mtu),		 CK(http_max_requests),
};

/* client KEY=VALUE: client mode's options by their command-line names (--connect ...). */
static void
client_set(const struct scn_tok *t)
{
	const struct tcpd_opt *o = tcpd_config_find(t->key, NULL);
	char err[512], where[64];

	if (t->val == NULL || o == NULL)
		scn_fail("client: KEY=VALUE with a client option name (connect, cps, ...)");
	snprintf(where, sizeof(where), "client %s", t->key);
	if (tcpd_config_set(&cfg, o, t->val, where, err, sizeof(err)) < 0)
		scn_fail("%s", err);
}

static void
config_set(const struct scn_tok *t)
{
	if (t->val == NULL)
		scn_fail("config: '%s' needs a value", t->key);
	if (strcmp(t->key, "syncookies") == 0) {
		if (strcmp(t->val, "off") == 0)
			cfg.syncookies = TCPD_SYNCOOKIES_OFF;
		else if (strcmp(t->val, "auto") == 0)
			cfg.syncookies = TCPD_SYNCOOKIES_AUTO;
		else if (strcmp(t->val, "always") == 0)
			cfg.syncookies = TCPD_SYNCOOKIES_ALWAYS;
		else
			scn_fail("config: syncookies=off|auto|always");
		return;
	}
	if (strcmp(t->key, "rss") == 0) {
		/* rss=Q/N: client mode's tuples chosen for queue Q of N by RSS */
		const char *slash = strchr(t->val, '/');

		if (slash == NULL)
			scn_fail("config: rss=QUEUE/QUEUES");
		rss_queue = (uint16_t)strtoul(t->val, NULL, 10);
		rss_nb = (uint16_t)strtoul(slash + 1, NULL, 10);
		if (rss_nb < 2 || rss_queue >= rss_nb)
			scn_fail("config: rss=QUEUE/QUEUES, QUEUE < QUEUES, QUEUES >= 2");
		return;
	}
	if (strcmp(t->key, "ip6") == 0) {
		/* ip6=ADDR/PREFIX: our IPv6 address (none unless given, as in the daemon) */
		char buf[64], *slash;

		snprintf(buf, sizeof(buf), "%s", t->val);
		slash = strchr(buf, '/');
		if (slash == NULL)
			scn_fail("config: ip6=ADDR/PREFIX");
		*slash = '\0';
		cfg.ip6_prefix_len = (uint8_t)scn_eval(slash + 1);
		if (!scn_parse_ip6(buf, cfg.ip6) || cfg.ip6_prefix_len == 0 ||
		    cfg.ip6_prefix_len > 128)
			scn_fail("config: ip6=ADDR/PREFIX");
		return;
	}
	if (strcmp(t->key, "listen") == 0) {
		/* listen=80:http,7:echo replaces the list */
		char buf[256], *save = NULL, *item;

		snprintf(buf, sizeof(buf), "%s", t->val);
		cfg.nb_listen = 0;
		for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
			char *colon = strchr(item, ':');
			int svc = -1;

			if (colon == NULL || cfg.nb_listen == TCPD_MAX_LISTENERS)
				scn_fail("config: listen=PORT:SERVICE[,PORT:SERVICE...]");
			*colon = '\0';
			if (strcmp(colon + 1, "discard") == 0)
				svc = TCPD_SVC_DISCARD;
			else if (strcmp(colon + 1, "echo") == 0)
				svc = TCPD_SVC_ECHO;
			else if (strcmp(colon + 1, "http") == 0)
				svc = TCPD_SVC_HTTP;
			else
				scn_fail("config: unknown service '%s'", colon + 1);
			cfg.listen[cfg.nb_listen].port = (uint16_t)atoi(item);
			cfg.listen[cfg.nb_listen].service = (uint8_t)svc;
			cfg.nb_listen++;
		}
		return;
	}
	for (unsigned int i = 0; i < RTE_DIM(cfg_keys); i++) {
		if (strcmp(t->key, cfg_keys[i].name) != 0)
			continue;
		uint64_t v = scn_eval(t->val);

		if (cfg_keys[i].size == 4)
			*(uint32_t *)((char *)&cfg + cfg_keys[i].off) = (uint32_t)v;
		else
			*(uint16_t *)((char *)&cfg + cfg_keys[i].off) = (uint16_t)v;
		return;
	}
	/* The on/off switches (syn_shed, last_ack_shed, tlp) by their file keys. */
	const struct tcpd_opt *o = tcpd_config_find(NULL, t->key);
	char err[512];

	if (o == NULL || (strcmp(t->key, "syn_shed") != 0 && strcmp(t->key, "last_ack_shed") != 0 &&
			  strcmp(t->key, "tlp") != 0))
		scn_fail("config: unknown key '%s'", t->key);
	if (tcpd_config_set(&cfg, o, t->val, t->key, err, sizeof(err)) < 0)
		scn_fail("%s", err);
}

static void
eal_and_port_init(const char *prog)
{
	char prefix[64];
	char *eal_argv[] = {(char *)(uintptr_t)prog,
			    "-l",
			    "0",
			    "--no-huge",
			    "-m",
			    "256",
			    "--no-shconf",
			    "--no-pci",
			    prefix,
			    "--log-level=lib.eal:warning"};
	struct rte_eth_conf conf;

	snprintf(prefix, sizeof(prefix), "--file-prefix=tcpd-scn-%d", (int)getpid());
	snprintf(runtime_dir, sizeof(runtime_dir), "/var/run/dpdk/tcpd-scn-%d", (int)getpid());
	atexit(cleanup_runtime_dir);
	if (rte_eal_init((int)RTE_DIM(eal_argv), eal_argv) < 0)
		scn_fail("rte_eal_init: %s", rte_strerror(rte_errno));

	pool = rte_pktmbuf_pool_create("scn_pool", NB_MBUFS, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	rx_ring = rte_ring_create("scn_rx", RING_SIZE, (int)rte_socket_id(),
				  RING_F_SP_ENQ | RING_F_SC_DEQ);
	tx_ring = rte_ring_create("scn_tx", RING_SIZE, (int)rte_socket_id(),
				  RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (pool == NULL || rx_ring == NULL || tx_ring == NULL)
		scn_fail("pool/rings: %s", rte_strerror(rte_errno));
	int p = rte_eth_from_rings("net_ring_scn", &rx_ring, 1, &tx_ring, 1,
				   (unsigned int)rte_socket_id());
	if (p < 0)
		scn_fail("rte_eth_from_rings: %s", rte_strerror(rte_errno));
	port_id = (uint16_t)p;
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(port_id, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port_id, 0, RING_SIZE, (unsigned int)rte_socket_id(), NULL,
				   pool) != 0 ||
	    rte_eth_tx_queue_setup(port_id, 0, RING_SIZE, (unsigned int)rte_socket_id(), NULL) !=
		    0 ||
	    rte_eth_dev_start(port_id) != 0)
		scn_fail("net_ring port set-up failed");
}

static void print_counters(void);

/* Create the TCP context and the worker on the first packet, once the config lines are read. */
static void
ensure_started(void)
{
	static const uint8_t secret[32] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
					   0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
					   0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
					   0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};

	char err[256];

	if (started)
		return;
	started = true;
	/* what the daemon would refuse is no scenario (with ip6, an MTU under 1280) */
	if (tcpd_config_check(&cfg, err, sizeof(err)) < 0)
		scn_fail("config: %s", err);
	memcpy(cfg.cookie_secret, secret, sizeof(secret));
	cfg.cookie_secret_set = true;
	if (tcpd_cookie_store_init(&store, secret, sizeof(secret)) != 0)
		scn_fail("tcpd_cookie_store_init failed");

	memset(&ifc, 0, sizeof(ifc));
	rte_ether_unformat_addr("02:00:00:00:00:01", &ifc.mac);
	ifc.ip = cfg.ip;
	ifc.mtu = cfg.mtu;
	if (cfg.ip6_prefix_len != 0) {
		memcpy(ifc.ip6[0].addr, cfg.ip6, 16);
		ifc.ip6[0].prefix_len = cfg.ip6_prefix_len;
		ifc.nb_ip6 = 1;
	}
	/* client src-ip=ADDR6-ADDR6: the range is ours, as the daemon's port set-up says */
	tcpd_iface_set_range6(&ifc, cfg.client.src_ip6, cfg.client.src_ip6_n);

	{
		struct tcpd_worker_params p = {
			.cfg = &cfg,
			.ifc = &ifc,
			.cookies = &store,
			.pool = pool,
			.lcore_id = rte_lcore_id(),
			.port_id = port_id,
			.queue_id = 0,
			.socket_id = (int)rte_socket_id(),
			.quit = &quit,
		};

		w = tcpd_worker_create(&p);
		if (w == NULL)
			scn_fail("tcpd_worker_create: %s", rte_strerror(rte_errno));
	}
	if (cfg.client.nb_targets != 0) {
		/* client mode: the load engine on the worker, as the daemon sets it up */
		static struct tcpd_load_shared sh;
		char err[256];
		struct tcpd_load_params lp = {
			.sh = &sh,
			.tcp = w->tcp,
			.tx = &w->tx,
			.pool = pool,
			.ifc = &ifc,
			.wstats = &w->stats,
			.nb = 1,
			.nb_queues = 1,
			.socket_id = (int)rte_socket_id(),
		};

		if (rss_nb != 0) {
			/* lcore 0 of the engine (it resolves the next hop), on queue Q of N */
			tcpd_tuple_reta_fill(rss_reta, RTE_DIM(rss_reta), rss_nb);
			lp.queue = rss_queue;
			lp.nb_queues = rss_nb;
			lp.rss_key = tcpd_tuple_rss_key_default;
			lp.rss_key_len = TCPD_TUPLE_RSS_KEY_LEN;
			lp.reta = rss_reta;
			lp.reta_size = RTE_DIM(rss_reta);
		}
		tcpd_load_shared_init(&sh, &cfg, rte_get_tsc_hz());
		w->load = tcpd_load_create(&lp, err, sizeof(err));
		if (w->load == NULL)
			scn_fail("tcpd_load_create: %s", err);
	}

	/* after every TSC read of the creation (lib/tcp's clock, the shed's interval) */
	scn_hz = rte_get_tsc_hz();
	scn_tsc = rte_rdtsc();
	flow.our_mac = ifc.mac;
	flow.our_ip = ifc.ip;
	memcpy(flow.our_ip6, ifc.ip6[0].addr, 16);
	scn_on_fail = print_counters;
}

/* One iteration of the worker's loop, @p us microseconds of virtual time after the last. */
static void
scn_poll(unsigned int us)
{
	scn_tsc += us * scn_hz / 1000000;
	tcpd_worker_poll_at(w, scn_tsc);
}

/* The virtual time in TSC cycles @p ms from now. */
static uint64_t
scn_after_ms(uint64_t ms)
{
	return scn_tsc + ms * scn_hz / 1000;
}

/* Move everything the port transmitted into the pending list. */
static void
drain_tx(void)
{
	struct rte_mbuf *m[64];
	unsigned int n, i;

	while ((n = rte_ring_dequeue_burst(tx_ring, (void **)m, RTE_DIM(m), NULL)) > 0) {
		for (i = 0; i < n; i++) {
			if (pend_n == MAX_PENDING)
				scn_fail("more than %u frames transmitted and not checked",
					 MAX_PENDING);
			pending[(pend_head + pend_n++) % MAX_PENDING] = m[i];
		}
	}
}

/* Run the real loop until the RX ring is empty, then once more (timers), and collect output. */
static void
run_loop(void)
{
	unsigned int guard = 0;

	do {
		scn_poll(SCN_POLL_US);
		drain_tx();
		if (++guard > 1000000)
			scn_fail("the worker does not empty its RX ring");
	} while (rte_ring_count(rx_ring) > 0);
	scn_poll(SCN_POLL_US);
	drain_tx();
}

/* TCPD_SCN_DUMP=PREFIX: every injected frame is also written to PREFIX<n> (fuzz seeds, see
 * tests/fuzz/seeds/dump_scenarios.sh). */
static void
dump_frame(const uint8_t *frame, unsigned int len)
{
	static unsigned int n;
	const char *prefix = getenv("TCPD_SCN_DUMP");
	char path[512];
	FILE *f;

	if (prefix == NULL)
		return;
	snprintf(path, sizeof(path), "%s%03u", prefix, n++);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(frame, 1, len, f) != len || fclose(f) != 0)
		scn_fail("TCPD_SCN_DUMP: cannot write %s", path);
}

static void
inject(const uint8_t *frame, unsigned int len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	dump_frame(frame, len);

	if (m == NULL)
		scn_fail("mbuf pool empty (the daemon leaks mbufs?)");
	memcpy(rte_pktmbuf_mtod(m, void *), frame, len);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	m->port = port_id;
	if (rte_ring_enqueue(rx_ring, m) != 0)
		scn_fail("RX ring full");
}

static void
describe_mbuf(struct rte_mbuf *m, char *buf, size_t len)
{
	struct scn_out o;

	scn_decode(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, &o);
	scn_describe(&o, buf, len);
}

static void
expect_nothing_pending(const char *when)
{
	char d[512];

	if (pend_n == 0)
		return;
	describe_mbuf(pending[pend_head], d, sizeof(d));
	scn_fail("%u unexpected frame(s) %s; first: %s", pend_n, when, d);
}

/* The oldest frame not yet checked. If there is none, keep the loop running for up to
 * @p grace_ms of virtual time: a delayed ACK (RFC 1122 4.2.3.2: at most 500 ms) is then still
 * caught. Time stops at the first frame, so what a line checks is what was due when it was. */
static struct rte_mbuf *
pending_peek(unsigned int grace_ms)
{
	uint64_t end = scn_after_ms(grace_ms);

	do {
		if (pend_n)
			break;
		scn_poll(SCN_STEP_US);
		drain_tx();
	} while (scn_tsc < end);
	return pend_n ? pending[pend_head] : NULL;
}

static void
pending_pop(void)
{
	rte_pktmbuf_free(pending[pend_head]);
	pend_head = (pend_head + 1) % MAX_PENDING;
	pend_n--;
}

/* ---- "in" ------------------------------------------------------------------------------- */

static uint8_t data_buf[SCN_MAX_DATA];

/* Apply one option/field word of an "in" or "flood" line. @return false if not one. */
static bool
in_tcp_word(const struct scn_tok *t, struct scn_tcp_in *s)
{
	const char *k = t->key;

#define NEED_VAL()                                                                                 \
	do {                                                                                       \
		if (t->val == NULL)                                                                \
			scn_fail("'%s' needs a value", k);                                         \
	} while (0)
#define ADD_OPT(b)                                                                                 \
	do {                                                                                       \
		if (s->optlen >= sizeof(s->opt))                                                   \
			scn_fail("too many option bytes");                                         \
		s->opt[s->optlen++] = (uint8_t)(b);                                                \
	} while (0)

	if (strcmp(k, "seq") == 0) {
		NEED_VAL();
		s->seq = (uint32_t)scn_eval(t->val);
	} else if (strcmp(k, "ack") == 0) {
		NEED_VAL();
		s->ack = (uint32_t)scn_eval(t->val);
	} else if (strcmp(k, "win") == 0) {
		NEED_VAL();
		s->win = (uint16_t)scn_eval(t->val);
	} else if (strcmp(k, "urp") == 0) {
		NEED_VAL();
		s->urp = (uint16_t)scn_eval(t->val);
	} else if (strcmp(k, "tos") == 0) {
		NEED_VAL();
		s->tos = (uint8_t)scn_eval(t->val);
	} else if (strcmp(k, "mss") == 0) {
		uint16_t v;

		NEED_VAL();
		v = (uint16_t)scn_eval(t->val);
		ADD_OPT(2);
		ADD_OPT(4);
		ADD_OPT(v >> 8);
		ADD_OPT(v & 0xff);
	} else if (strcmp(k, "wscale") == 0) {
		NEED_VAL();
		ADD_OPT(1); /* NOP first, as Linux aligns it */
		ADD_OPT(3);
		ADD_OPT(3);
		ADD_OPT(scn_eval(t->val));
	} else if (strcmp(k, "sackok") == 0) {
		ADD_OPT(4);
		ADD_OPT(2);
	} else if (strcmp(k, "ts") == 0) {
		char buf[128], *colon;
		uint32_t v, e;

		NEED_VAL();
		snprintf(buf, sizeof(buf), "%s", t->val);
		colon = strchr(buf, ':');
		if (colon == NULL)
			scn_fail("ts=TSVAL:TSECR");
		*colon = '\0';
		v = (uint32_t)scn_eval(buf);
		e = (uint32_t)scn_eval(colon + 1);
		if (s->optlen % 4 == 0) { /* NOP NOP TS keeps the values aligned */
			ADD_OPT(1);
			ADD_OPT(1);
		}
		ADD_OPT(8);
		ADD_OPT(10);
		for (int i = 3; i >= 0; i--)
			ADD_OPT(v >> (8 * i));
		for (int i = 3; i >= 0; i--)
			ADD_OPT(e >> (8 * i));
	} else if (strcmp(k, "sack") == 0) {
		char buf[256], *save = NULL, *item;
		uint32_t blk[4][2];
		unsigned int nb = 0;

		NEED_VAL();
		snprintf(buf, sizeof(buf), "%s", t->val);
		for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
			char *dash = strchr(item, '/');

			if (dash == NULL || nb == 4)
				scn_fail("sack=LEFT/RIGHT[,LEFT/RIGHT...]");
			*dash = '\0';
			blk[nb][0] = (uint32_t)scn_eval(item);
			blk[nb][1] = (uint32_t)scn_eval(dash + 1);
			nb++;
		}
		ADD_OPT(1);
		ADD_OPT(1);
		ADD_OPT(5);
		ADD_OPT(2 + 8 * nb);
		for (unsigned int b = 0; b < nb; b++)
			for (int j = 0; j < 2; j++)
				for (int i = 3; i >= 0; i--)
					ADD_OPT(blk[b][j] >> (8 * i));
	} else if (strcmp(k, "nop") == 0) {
		ADD_OPT(1);
	} else if (strcmp(k, "eol") == 0) {
		ADD_OPT(0);
	} else if (strcmp(k, "opt") == 0) {
		uint8_t b[40];
		int n;

		NEED_VAL();
		n = scn_parse_hex(t->val, b, (int)sizeof(b));
		if (n < 0)
			scn_fail("opt=HEX");
		for (int i = 0; i < n; i++)
			ADD_OPT(b[i]);
	} else if (strcmp(k, "data") == 0) {
		NEED_VAL();
		memcpy(data_buf, t->val, t->vlen);
		s->data = data_buf;
		s->dlen = t->vlen;
	} else if (strcmp(k, "data-len") == 0) {
		NEED_VAL();
		s->dlen = (unsigned int)scn_eval(t->val);
		if (s->dlen > 1460)
			scn_fail("data-len above 1460");
		for (unsigned int i = 0; i < s->dlen; i++)
			data_buf[i] = (uint8_t)('a' + i % 26);
		s->data = data_buf;
	} else if (strcmp(k, "cksum") == 0) {
		s->bad_tcp_cksum = true;
	} else if (strcmp(k, "ipcksum") == 0) {
		s->bad_ip_cksum = true;
	} else if (strcmp(k, "doff") == 0) {
		NEED_VAL();
		s->doff = (int)scn_eval(t->val);
	} else if (strcmp(k, "iplen") == 0) {
		NEED_VAL();
		s->ip_len = (int)scn_eval(t->val);
	} else if (strcmp(k, "truncate") == 0) {
		NEED_VAL();
		s->truncate = (int)scn_eval(t->val);
	} else if (strcmp(k, "frag") == 0) {
		NEED_VAL();
		s->frag_off = (int)scn_eval(t->val);
	} else if (strcmp(k, "ttl") == 0) {
		NEED_VAL();
		s->ttl = (int)scn_eval(t->val);
	} else if (strcmp(k, "dst") == 0 && t->val && strchr(t->val, ':')) {
		/* IPv6: to another address, on the MAC of its group if multicast (RFC 2464 7) */
		if (!scn_parse_ip6(t->val, s->dst_ip6))
			scn_fail("dst=IPV6");
		s->dst6_set = true;
		s->dst_mac = flow.our_mac;
		if (s->dst_ip6[0] == 0xff) {
			s->dst_mac.addr_bytes[0] = 0x33;
			s->dst_mac.addr_bytes[1] = 0x33;
			memcpy(&s->dst_mac.addr_bytes[2], &s->dst_ip6[12], 4);
		}
	} else if (strcmp(k, "dst") == 0) {
		NEED_VAL();
		if (!scn_parse_ip(t->val, &s->dst_ip))
			scn_fail("dst=IP");
	} else if (strcmp(k, "hlim") == 0) {
		NEED_VAL();
		s->ttl = (int)scn_eval(t->val);
	} else if (strcmp(k, "tc") == 0) {
		NEED_VAL();
		s->tos = (uint8_t)scn_eval(t->val);
	} else if (strcmp(k, "flow") == 0) {
		NEED_VAL();
		s->flow_label = (uint32_t)scn_eval(t->val) & 0xfffff;
	} else if (strcmp(k, "plen") == 0) {
		NEED_VAL();
		s->plen6 = (int)scn_eval(t->val);
	} else {
		return false;
	}
	return true;
#undef NEED_VAL
#undef ADD_OPT
}

/* from=IP:PORT, to=PORT, mac=MAC: change the current flow (they stay for later lines). */
static bool
flow_word(const struct scn_tok *t)
{
	if (t->val == NULL)
		return false;
	if (strcmp(t->key, "from") == 0 && t->val[0] == '[') {
		if (!scn_parse_endpoint6(t->val, flow.peer_ip6, &flow.peer_port))
			scn_fail("from=[IPV6]:PORT");
		flow.v6 = true;
	} else if (strcmp(t->key, "from") == 0) {
		if (!scn_parse_endpoint(t->val, &flow.peer_ip, &flow.peer_port))
			scn_fail("from=IP:PORT");
		if (strchr(t->val, '.'))
			flow.v6 = false;
	} else if (strcmp(t->key, "to") == 0) {
		uint32_t ip = flow.our_ip;

		if (!scn_parse_endpoint(t->val, &ip, &flow.our_port))
			scn_fail("to=PORT");
	} else if (strcmp(t->key, "mac") == 0) {
		if (rte_ether_unformat_addr(t->val, &flow.peer_mac) != 0)
			scn_fail("mac=xx:xx:xx:xx:xx:xx");
	} else if (strcmp(t->key, "ours") == 0) {
		/* ours=ADDR6: our address for this and the following lines (client mode's
		 * source range); expected as the source of our segments, used as the
		 * destination of the peer's */
		if (!scn_parse_ip6(t->val, flow.our_ip6))
			scn_fail("ours=IPV6");
	} else {
		return false;
	}
	flow_set = true;
	return true;
}

/* in icmp unreach [code=N] [mtu=N] [seq=E] [router=IP] [proto=N] [qlen=N] [qsrc=IP] [cksum]: an
 * ICMP error quoting our segment on the current flow (code 4, fragmentation needed, unless
 * given; the quoted IPv4 header and 8 bytes of TCP: qlen=28; qsrc: another quoted source;
 * cksum: a bad ICMP checksum) */
static unsigned int
in_icmp_unreach(struct scn_tok *t, int n, uint8_t *frame)
{
	uint32_t seq = 0, router = 0, code = 4, mtu = 0, proto = IPPROTO_TCP, qlen = 28, qsrc = 0;
	bool bad_cksum = false;
	unsigned int len;

	for (int i = 3; i < n; i++) {
		if (flow_word(&t[i]))
			continue;
		if (strcmp(t[i].key, "cksum") == 0 && t[i].val == NULL) {
			bad_cksum = true;
			continue;
		}
		if (t[i].val == NULL)
			scn_fail("in icmp unreach: '%s' needs a value", t[i].key);
		if (strcmp(t[i].key, "code") == 0)
			code = scn_eval(t[i].val);
		else if (strcmp(t[i].key, "mtu") == 0)
			mtu = scn_eval(t[i].val);
		else if (strcmp(t[i].key, "seq") == 0)
			seq = scn_eval(t[i].val);
		else if (strcmp(t[i].key, "proto") == 0)
			proto = scn_eval(t[i].val);
		else if (strcmp(t[i].key, "qlen") == 0)
			qlen = scn_eval(t[i].val);
		else if (strcmp(t[i].key, "router") == 0) {
			if (!scn_parse_ip(t[i].val, &router))
				scn_fail("router=IP");
		} else if (strcmp(t[i].key, "qsrc") == 0) {
			if (!scn_parse_ip(t[i].val, &qsrc))
				scn_fail("qsrc=IP");
		} else
			scn_fail("in icmp unreach: unknown word '%s'", t[i].key);
	}
	if (flow.v6)
		scn_fail("in icmp unreach: the flow is IPv6");
	if (qlen > 256 || (qsrc != 0 && qlen < 20))
		scn_fail("in icmp unreach: qlen at most 256 (at least 20 with qsrc)");
	len = scn_build_icmp_unreach(frame, &flow, (uint8_t)code, (uint16_t)mtu, seq, router,
				     (uint8_t)proto, qlen);
	if (qsrc != 0) { /* another source in the quoted header (offset 14 + 20 + 8 + 12) */
		memcpy(frame + 54, &qsrc, 4);
		frame[36] = frame[37] = 0;
		uint16_t ck = (uint16_t)~rte_raw_cksum(frame + 34, 8 + qlen);

		memcpy(frame + 36, &ck, 2);
	}
	if (bad_cksum)
		frame[36] ^= 0x5a;
	return len;
}

/* in icmp6 too-big|unreach [mtu=N] [code=N] [seq=E] [router=IPV6] [nh=N]: packet too big or
 * destination unreachable (code 4, port unreachable, unless given) quoting our packet on the
 * current (IPv6) flow, from ROUTER (the peer unless given) */
static unsigned int
in_icmp6_err(struct scn_tok *t, int n, uint8_t *frame)
{
	bool too_big = strcmp(t[2].key, "too-big") == 0;
	uint32_t mtu = too_big ? 1280 : 0, seq = 0, nh = IPPROTO_TCP, code = too_big ? 0 : 4;
	uint8_t router[16];
	bool have_router = false;

	for (int i = 3; i < n; i++) {
		if (flow_word(&t[i]))
			continue;
		if (t[i].val == NULL)
			scn_fail("in icmp6 error: '%s' needs a value", t[i].key);
		if (strcmp(t[i].key, "mtu") == 0)
			mtu = (uint32_t)scn_eval(t[i].val);
		else if (strcmp(t[i].key, "code") == 0)
			code = (uint32_t)scn_eval(t[i].val);
		else if (strcmp(t[i].key, "seq") == 0)
			seq = (uint32_t)scn_eval(t[i].val);
		else if (strcmp(t[i].key, "nh") == 0)
			nh = (uint32_t)scn_eval(t[i].val);
		else if (strcmp(t[i].key, "router") == 0) {
			if (!scn_parse_ip6(t[i].val, router))
				scn_fail("router=IPV6");
			have_router = true;
		} else
			scn_fail("in icmp6 error: unknown word '%s'", t[i].key);
	}
	if (!have_router)
		memcpy(router, flow.peer_ip6, 16);
	if (!flow.v6)
		scn_fail("in icmp6 error: the flow is not IPv6 (from=[IPV6])");
	return scn_build_icmp6_err(frame, &flow, too_big ? 2 : 1, (uint8_t)code, mtu, seq, router,
				   (uint8_t)nh);
}

/* in icmp6 echo [id=N] [seq=N] [data="..."] [hlim=N] [from=[IPV6]] */
static unsigned int
in_icmp6(struct scn_tok *t, int n, uint8_t *frame)
{
	if (n > 2 && (strcmp(t[2].key, "too-big") == 0 || strcmp(t[2].key, "unreach") == 0))
		return in_icmp6_err(t, n, frame);
	uint16_t id = 1, seq = 1;
	const uint8_t *d = NULL;
	unsigned int dlen = 0;
	uint8_t hlim = 64;

	for (int i = 2; i < n; i++) {
		if (flow_word(&t[i]) || strcmp(t[i].key, "echo") == 0)
			continue;
		if (t[i].val == NULL)
			scn_fail("in icmp6: unknown word '%s'", t[i].key);
		if (strcmp(t[i].key, "id") == 0)
			id = (uint16_t)scn_eval(t[i].val);
		else if (strcmp(t[i].key, "seq") == 0)
			seq = (uint16_t)scn_eval(t[i].val);
		else if (strcmp(t[i].key, "hlim") == 0)
			hlim = (uint8_t)scn_eval(t[i].val);
		else if (strcmp(t[i].key, "data") == 0) {
			d = (const uint8_t *)t[i].val;
			dlen = t[i].vlen;
		} else
			scn_fail("in icmp6: unknown word '%s'", t[i].key);
	}
	if (!flow.v6)
		scn_fail("in icmp6: the flow is not IPv6 (from=[IPV6])");
	return scn_build_icmp6_echo(frame, &flow, id, seq, d, dlen, hlim);
}

/* in nd na [target=A] [flags=N] [notlla]: the peer's advertisement (client mode's next hop),
 * by default for its own address, Solicited|Override, with its MAC. */
static unsigned int
in_nd_na(struct scn_tok *t, int n, uint8_t *frame)
{
	uint8_t target[16];
	uint8_t flags = 0x60;
	bool tlla = true, target_set = false;

	for (int i = 3; i < n; i++) {
		if (flow_word(&t[i]))
			continue;
		if (strcmp(t[i].key, "notlla") == 0 && t[i].val == NULL)
			tlla = false;
		else if (strcmp(t[i].key, "target") == 0 && t[i].val &&
			 scn_parse_ip6(t[i].val, target))
			target_set = true;
		else if (strcmp(t[i].key, "flags") == 0 && t[i].val)
			flags = (uint8_t)scn_eval(t[i].val);
		else
			scn_fail("in nd na [target=A] [flags=N] [notlla]");
	}
	if (!flow.v6)
		scn_fail("in nd na: the flow is not IPv6 (from=[IPV6])");
	if (!target_set)
		memcpy(target, flow.peer_ip6, 16);
	return scn_build_na(frame, &flow, target, flags, tlla);
}

/* in nd ns [target=A] [src=A] [dst=A] [hlim=N] [code=N] [noslla] [cksum]: a neighbour
 * solicitation from the peer, by default for our address, to its solicited-node group, with
 * the peer's link-layer address (as Linux sends them). */
static unsigned int
in_nd(struct scn_tok *t, int n, uint8_t *frame)
{
	struct scn_ns ns;
	struct rte_ether_addr dmac;
	bool dst_set = false, target_set = false;

	if (n >= 3 && strcmp(t[2].key, "na") == 0)
		return in_nd_na(t, n, frame);
	if (n < 3 || strcmp(t[2].key, "ns") != 0)
		scn_fail("in nd ns [target=A] [src=A] [dst=A] [hlim=N] [code=N] [noslla] [cksum]");
	memset(&ns, 0, sizeof(ns));
	ns.hlim = 255;
	ns.slla = true;
	for (int i = 3; i < n; i++) {
		const char *k = t[i].key, *v = t[i].val;

		if (flow_word(&t[i]))
			continue;
		if (strcmp(k, "noslla") == 0 && v == NULL)
			ns.slla = false;
		else if (strcmp(k, "cksum") == 0 && v == NULL)
			ns.bad_cksum = true;
		else if (v == NULL)
			scn_fail("in nd: '%s' needs a value", k);
		else if (strcmp(k, "target") == 0) {
			if (!scn_parse_ip6(v, ns.target))
				scn_fail("target=IPV6");
			target_set = true;
		} else if (strcmp(k, "dst") == 0) {
			if (!scn_parse_ip6(v, ns.dst))
				scn_fail("dst=IPV6");
			dst_set = true;
		} else if (strcmp(k, "hlim") == 0)
			ns.hlim = (uint8_t)scn_eval(v);
		else if (strcmp(k, "code") == 0)
			ns.code = (uint8_t)scn_eval(v);
		else if (strcmp(k, "src") != 0)
			scn_fail("in nd: unknown word '%s'", k);
	}
	if (!flow.v6)
		scn_fail("in nd: the flow is not IPv6 (from=[IPV6])");
	if (!target_set) /* our address, after any ours= of this line */
		memcpy(ns.target, flow.our_ip6, 16);
	memcpy(ns.src, flow.peer_ip6, 16);
	for (int i = 3; i < n; i++)
		if (strcmp(t[i].key, "src") == 0 && !scn_parse_ip6(t[i].val, ns.src))
			scn_fail("src=IPV6");
	if (!dst_set)
		scn_solicited_node(ns.target, ns.dst, &dmac);
	return scn_build_ns(frame, &flow, &ns);
}

static void
cmd_in(struct scn_tok *t, int n)
{
	uint8_t frame[FRAME_MAX];
	unsigned int len;

	if (n < 2)
		scn_fail("in: what?");
	expect_nothing_pending("before this input");
	if (strcmp(t[1].key, "raw") == 0) {
		char hex[4096] = "";
		int r;

		for (int i = 2; i < n; i++) {
			if (t[i].val)
				scn_fail("in raw: hex bytes only");
			strncat(hex, t[i].key, sizeof(hex) - strlen(hex) - 1);
		}
		r = scn_parse_hex(hex, frame, (int)sizeof(frame));
		if (r < 0)
			scn_fail("in raw: bad hex");
		len = (unsigned int)r;
	} else if (strcmp(t[1].key, "arp") == 0) {
		uint32_t target = flow.our_ip;
		bool reply = false;

		for (int i = 2; i < n; i++) {
			if (flow_word(&t[i]))
				continue;
			if (strcmp(t[i].key, "reply") == 0 && t[i].val == NULL) {
				reply = true;
			} else if (strcmp(t[i].key, "who-has") == 0 && t[i].val) {
				if (!scn_parse_ip(t[i].val, &target))
					scn_fail("who-has=IP");
			} else {
				scn_fail("in arp: unknown word '%s'", t[i].key);
			}
		}
		len = scn_build_arp_req(frame, &flow, target);
		if (reply) {
			/* The peer's answer to our request: to our MAC, opcode 2, target us. */
			struct rte_ether_hdr *eh = (struct rte_ether_hdr *)frame;
			struct rte_arp_hdr *a = (struct rte_arp_hdr *)(frame + sizeof(*eh));

			rte_ether_addr_copy(&flow.our_mac, &eh->dst_addr);
			a->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
			rte_ether_addr_copy(&flow.our_mac, &a->arp_data.arp_tha);
		}
	} else if (strcmp(t[1].key, "icmp6") == 0) {
		len = in_icmp6(t, n, frame);
	} else if (strcmp(t[1].key, "nd") == 0) {
		len = in_nd(t, n, frame);
	} else if (strcmp(t[1].key, "icmp") == 0 && n > 2 && strcmp(t[2].key, "unreach") == 0) {
		len = in_icmp_unreach(t, n, frame);
	} else if (strcmp(t[1].key, "icmp") == 0) {
		uint16_t id = 1, seq = 1;
		const uint8_t *d = NULL;
		unsigned int dlen = 0;

		for (int i = 2; i < n; i++) {
			if (flow_word(&t[i]))
				continue;
			if (strcmp(t[i].key, "echo") == 0)
				continue;
			if (strcmp(t[i].key, "id") == 0 && t[i].val)
				id = (uint16_t)scn_eval(t[i].val);
			else if (strcmp(t[i].key, "seq") == 0 && t[i].val)
				seq = (uint16_t)scn_eval(t[i].val);
			else if (strcmp(t[i].key, "data") == 0 && t[i].val) {
				d = (const uint8_t *)t[i].val;
				dlen = t[i].vlen;
			} else
				scn_fail("in icmp: unknown word '%s'", t[i].key);
		}
		len = scn_build_icmp_echo(frame, &flow, id, seq, d, dlen);
	} else {
		struct scn_tcp_in s;
		int f = scn_parse_flags(t[1].key);

		if (f < 0 || t[1].val)
			scn_fail("in: bad TCP flags '%s' (letters SAFRPUEC, '.' for none)",
				 t[1].key);
		memset(&s, 0, sizeof(s));
		s.flags = (uint8_t)f;
		s.win = 64240;
		s.doff = s.ip_len = s.truncate = s.frag_off = s.ttl = s.plen6 = -1;
		for (int i = 2; i < n; i++)
			if (!flow_word(&t[i]) && !in_tcp_word(&t[i], &s))
				scn_fail("in: unknown word '%s'", t[i].key);
		if (!flow_set)
			scn_fail("in: no flow yet (from=IP:PORT to=PORT)");
		len = scn_build_tcp(frame, &flow, &s);
	}
	inject(frame, len);
	if (!holding)
		run_loop();
}

/* ---- "out" ------------------------------------------------------------------------------ */

/* Check the addresses every frame to the current peer must carry. */
static void
check_l2l3(const struct scn_out *o, uint32_t peer_ip, const uint8_t *peer_ip6)
{
	char a[RTE_ETHER_ADDR_FMT_SIZE], b[RTE_ETHER_ADDR_FMT_SIZE];

	if (!rte_is_same_ether_addr(&o->eth_dst, &flow.peer_mac)) {
		rte_ether_format_addr(a, sizeof(a), &flow.peer_mac);
		rte_ether_format_addr(b, sizeof(b), &o->eth_dst);
		scn_fail("field eth.dst: expected %s, got %s", a, b);
	}
	if (!rte_is_same_ether_addr(&o->eth_src, &ifc.mac)) {
		rte_ether_format_addr(a, sizeof(a), &ifc.mac);
		rte_ether_format_addr(b, sizeof(b), &o->eth_src);
		scn_fail("field eth.src: expected %s, got %s", a, b);
	}
	if (o->kind == SCN_K_ARP)
		return;
	if (o->v6 != flow.v6)
		scn_fail("field ethertype: expected %s, got %s", flow.v6 ? "IPv6" : "IPv4",
			 o->v6 ? "IPv6" : "IPv4");
	if (o->v6) {
		if (memcmp(o->src6, flow.our_ip6, 16) != 0)
			scn_fail("field ip6.src: expected %s, got %s", scn_ip6_str(flow.our_ip6),
				 scn_ip6_str(o->src6));
		if (memcmp(o->dst6, peer_ip6 ? peer_ip6 : flow.peer_ip6, 16) != 0)
			scn_fail("field ip6.dst: expected %s, got %s",
				 scn_ip6_str(peer_ip6 ? peer_ip6 : flow.peer_ip6),
				 scn_ip6_str(o->dst6));
		return;
	}
	if (o->ip_src != ifc.ip)
		scn_fail("field ip.src: expected %s, got %s", scn_ip_str(ifc.ip),
			 scn_ip_str(o->ip_src));
	if (o->ip_dst != peer_ip)
		scn_fail("field ip.dst: expected %s, got %s", scn_ip_str(peer_ip),
			 scn_ip_str(o->ip_dst));
}

static bool
has_substr(const uint8_t *h, unsigned int hl, const char *n, unsigned int nl)
{
	if (nl == 0)
		return true;
	for (unsigned int i = 0; i + nl <= hl; i++)
		if (memcmp(h + i, n, nl) == 0)
			return true;
	return false;
}

static void
show_data(const char *what, const uint8_t *d, unsigned int len)
{
	printf("    %s (%u bytes): \"", what, len);
	for (unsigned int i = 0; i < len && i < 512; i++) {
		if (d[i] == '\r')
			printf("\\r");
		else if (d[i] == '\n')
			printf("\\n");
		else if (d[i] >= 32 && d[i] < 127 && d[i] != '"' && d[i] != '\\')
			putchar(d[i]);
		else
			printf("\\x%02x", d[i]);
	}
	printf("%s\"\n", len > 512 ? "..." : "");
}

/* sack=L/R,L/R...: exactly these blocks, in this order (each edge a pattern). */
static void
match_sack(const struct scn_out *o, const char *v)
{
	char buf[256], *save = NULL, *blk;
	unsigned int b = 0;

	snprintf(buf, sizeof(buf), "%s", v);
	for (blk = strtok_r(buf, ",", &save); blk; blk = strtok_r(NULL, ",", &save), b++) {
		char *slash = strchr(blk, '/');

		if (slash == NULL)
			scn_fail("sack=LEFT/RIGHT[,LEFT/RIGHT...]");
		*slash = '\0';
		if (b >= o->opts.nb_sack)
			scn_fail("field sack: expected block %u, got %u blocks", b + 1,
				 o->opts.nb_sack);
		scn_match("sack left", blk, o->opts.sack[b][0], true);
		scn_match("sack right", slash + 1, o->opts.sack[b][1], true);
	}
	if (b != o->opts.nb_sack)
		scn_fail("field sack: expected %u blocks, got %u", b, o->opts.nb_sack);
}

static void
match_tcp(const struct scn_out *o, struct scn_tok *t, int n)
{
	bool opts_any = false, data_checked = false, want_mss = false, want_ws = false;
	bool want_sackok = false, want_ts = false, have_seq = false, have_ack = false;
	bool want_sack = false;
	bool ack_expected = strchr(t[1].key, 'A') != NULL;
	uint32_t peer_ip = flow.peer_ip;
	uint16_t peer_port = ntohs(flow.peer_port), our_port = ntohs(flow.our_port);
	const char *fl = t[1].key;
	uint8_t peer6[16];
	const uint8_t *peer_ip6 = NULL;

	if (o->kind != SCN_K_TCP)
		scn_fail("expected a TCP segment");
	/* words that change what the frame is compared with come first */
	for (int i = 2; i < n; i++) {
		if (strcmp(t[i].key, "peer") == 0 && t[i].val && t[i].val[0] == '[') {
			uint16_t p = htons(peer_port);

			if (!scn_parse_endpoint6(t[i].val, peer6, &p))
				scn_fail("peer=[IPV6]:PORT");
			peer_ip6 = peer6;
			peer_port = ntohs(p);
		} else if (strcmp(t[i].key, "peer") == 0 && t[i].val) {
			uint16_t p = htons(peer_port);

			if (!scn_parse_endpoint(t[i].val, &peer_ip, &p))
				scn_fail("peer=IP:PORT");
			peer_port = ntohs(p);
		} else if (strcmp(t[i].key, "from") == 0 && t[i].val) {
			our_port = (uint16_t)scn_eval(t[i].val);
		}
	}
	check_l2l3(o, peer_ip, peer_ip6);
	if (o->sport != our_port)
		scn_fail("field sport: expected %u, got %u", our_port, o->sport);
	if (o->dport != peer_port)
		scn_fail("field dport: expected %u, got %u", peer_port, o->dport);

	/* flags: "SA", "A|PA", "*" */
	if (strcmp(fl, "*") != 0) {
		char buf[64], *save = NULL, *alt;
		bool ok = false;

		snprintf(buf, sizeof(buf), "%s", fl);
		for (alt = strtok_r(buf, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
			int f = scn_parse_flags(alt);

			if (f < 0)
				scn_fail("out: bad flags '%s'", alt);
			if (f == o->flags)
				ok = true;
		}
		if (!ok)
			scn_fail("field flags: expected %s, got %s", fl, scn_flags_str(o->flags));
	}

	for (int i = 2; i < n; i++) {
		const char *k = t[i].key, *v = t[i].val;

		if (strcmp(k, "peer") == 0 || strcmp(k, "from") == 0)
			continue;
		if (strcmp(k, "sackok") == 0 && v == NULL) {
			want_sackok = true;
			continue;
		}
		if (v == NULL)
			scn_fail("out: '%s' needs a value", k);
		if (strcmp(k, "seq") == 0) {
			have_seq = true;
			scn_match("seq", v, o->seq, true);
		} else if (strcmp(k, "ack") == 0) {
			have_ack = true;
			scn_match("ack", v, o->ack, true);
		} else if (strcmp(k, "win") == 0) {
			scn_match("win", v, o->win, false);
		} else if (strcmp(k, "tos") == 0 || strcmp(k, "tc") == 0) {
			scn_match(k, v, o->tos, false);
		} else if (strcmp(k, "hlim") == 0 || strcmp(k, "ttl") == 0) {
			scn_match(k, v, o->ttl, false);
		} else if (strcmp(k, "flow") == 0) {
			if (!o->v6)
				scn_fail("field flow: not an IPv6 frame");
			scn_match("flow label", v, o->flow_label, false);
		} else if (strcmp(k, "opts") == 0 && strcmp(v, "*") == 0) {
			opts_any = true;
		} else if (strcmp(k, "mss") == 0) {
			want_mss = true;
			if (!o->opts.has_mss)
				scn_fail("field mss: expected an MSS option, got none");
			scn_match("mss", v, o->opts.mss, false);
		} else if (strcmp(k, "wscale") == 0) {
			want_ws = true;
			if (!o->opts.has_ws)
				scn_fail("field wscale: expected a window scale option, got none");
			scn_match("wscale", v, o->opts.ws, false);
		} else if (strcmp(k, "ts") == 0) {
			char buf[128], *colon;

			want_ts = true;
			if (!o->opts.has_ts)
				scn_fail("field ts: expected a timestamp option, got none");
			snprintf(buf, sizeof(buf), "%s", v);
			colon = strchr(buf, ':');
			if (colon == NULL)
				scn_fail("ts=TSVAL:TSECR");
			*colon = '\0';
			scn_match("tsval", buf, o->opts.tsval, true);
			scn_match("tsecr", colon + 1, o->opts.tsecr, true);
		} else if (strcmp(k, "sack") == 0) {
			want_sack = true;
			match_sack(o, v);
		} else if (strcmp(k, "data") == 0 && t[i].op == '=') {
			data_checked = true;
			if (strcmp(v, "*") == 0 && !t[i].quoted)
				continue;
			if (o->dlen != t[i].vlen || memcmp(o->data, v, o->dlen) != 0) {
				show_data("expected", (const uint8_t *)v, t[i].vlen);
				show_data("got", o->data, o->dlen);
				scn_fail("field data: payload differs");
			}
		} else if (strcmp(k, "data") == 0 && t[i].op == '~') {
			data_checked = true;
			if (!has_substr(o->data, o->dlen, v, t[i].vlen)) {
				show_data("got", o->data, o->dlen);
				scn_fail("field data: does not contain \"%s\"", v);
			}
		} else if (strcmp(k, "data-len") == 0 && t[i].op == '=') {
			data_checked = true;
			scn_match("data-len", v, o->dlen, false);
		} else if (strcmp(k, "data-len") == 0 && t[i].op == '<') {
			uint64_t max = scn_eval(v);

			data_checked = true;
			if (o->dlen > max || o->dlen == 0)
				scn_fail("field data-len: expected 1..%" PRIu64 ", got %u", max,
					 o->dlen);
		} else {
			scn_fail("out: unknown word '%s'", k);
		}
	}
	if (!have_seq)
		scn_fail("out: seq= is required (seq=* to skip it)");
	if (!have_ack && ack_expected)
		scn_fail("out: ack= is required with the A flag (ack=* to skip it)");
	if (!opts_any) {
		if (o->opts.has_mss && !want_mss)
			scn_fail("field mss: unexpected MSS option %u", o->opts.mss);
		if (o->opts.has_ws && !want_ws)
			scn_fail("field wscale: unexpected window scale option %u", o->opts.ws);
		if (o->opts.has_sackok != want_sackok)
			scn_fail("field sackok: expected %s, got %s", want_sackok ? "yes" : "no",
				 o->opts.has_sackok ? "yes" : "no");
		if (o->opts.has_ts && !want_ts)
			scn_fail("field ts: unexpected timestamps %u:%u", o->opts.tsval,
				 o->opts.tsecr);
		if (o->opts.nb_sack && !want_sack)
			scn_fail("field sack: unexpected SACK blocks");
		if (o->opts.nb_unknown)
			scn_fail("field opts: %u unknown options", o->opts.nb_unknown);
	}
	if (!data_checked && o->dlen != 0) {
		show_data("got", o->data, o->dlen);
		scn_fail("field data: expected no payload, got %u bytes", o->dlen);
	}
}

static void
match_arp(const struct scn_out *o, struct scn_tok *t, int n)
{
	if (o->kind != SCN_K_ARP)
		scn_fail("expected an ARP frame");
	if (n > 2 && strcmp(t[2].key, "request") == 0) {
		/* client mode resolving its next hop: broadcast, from us, for who-has (the peer) */
		uint32_t who = flow.peer_ip;

		for (int i = 3; i < n; i++)
			if (strcmp(t[i].key, "who-has") != 0 || t[i].val == NULL ||
			    !scn_parse_ip(t[i].val, &who))
				scn_fail("out arp request [who-has=IP]");
		if (!rte_is_broadcast_ether_addr(&o->eth_dst))
			scn_fail("field eth.dst: expected broadcast");
		if (o->arp_op != RTE_ARP_OP_REQUEST)
			scn_fail("field arp.op: expected 1 (request), got %u", o->arp_op);
		if (!rte_is_same_ether_addr(&o->arp_sha, &ifc.mac) || o->arp_sip != ifc.ip)
			scn_fail("field arp.sha/sip: not ours");
		if (o->arp_tip != who)
			scn_fail("field arp.tip: expected %s, got %s", scn_ip_str(who),
				 scn_ip_str(o->arp_tip));
		return;
	}
	check_l2l3(o, flow.peer_ip, NULL);
	for (int i = 2; i < n; i++)
		if (strcmp(t[i].key, "reply") != 0)
			scn_fail("out arp: unknown word '%s'", t[i].key);
	if (o->arp_op != RTE_ARP_OP_REPLY)
		scn_fail("field arp.op: expected 2 (reply), got %u", o->arp_op);
	if (!rte_is_same_ether_addr(&o->arp_sha, &ifc.mac))
		scn_fail("field arp.sha: not our MAC");
	if (o->arp_sip != ifc.ip)
		scn_fail("field arp.sip: expected %s, got %s", scn_ip_str(ifc.ip),
			 scn_ip_str(o->arp_sip));
	if (!rte_is_same_ether_addr(&o->arp_tha, &flow.peer_mac))
		scn_fail("field arp.tha: not the requester's MAC");
	if (o->arp_tip != flow.peer_ip)
		scn_fail("field arp.tip: expected %s, got %s", scn_ip_str(flow.peer_ip),
			 scn_ip_str(o->arp_tip));
}

static void
match_icmp(const struct scn_out *o, struct scn_tok *t, int n)
{
	if (o->kind != SCN_K_ICMP)
		scn_fail("expected an ICMP message");
	check_l2l3(o, flow.peer_ip, NULL);
	if (o->icmp_type != 0 || o->icmp_code != 0)
		scn_fail("field icmp.type: expected echo reply 0/0, got %u/%u", o->icmp_type,
			 o->icmp_code);
	for (int i = 2; i < n; i++) {
		const char *k = t[i].key, *v = t[i].val;

		if (strcmp(k, "echo-reply") == 0)
			continue;
		if (v == NULL)
			scn_fail("out icmp: '%s' needs a value", k);
		if (strcmp(k, "id") == 0)
			scn_match("icmp.id", v, o->icmp_id, false);
		else if (strcmp(k, "seq") == 0)
			scn_match("icmp.seq", v, o->icmp_seq, false);
		else if (strcmp(k, "data") == 0) {
			if (o->dlen != t[i].vlen || memcmp(o->data, v, o->dlen) != 0) {
				show_data("got", o->data, o->dlen);
				scn_fail("field icmp.data: payload differs");
			}
		} else
			scn_fail("out icmp: unknown word '%s'", k);
	}
}

/* out icmp6 echo-reply [id=P] [seq=P] [data="..."] [hlim=P] */
static void
match_icmp6(const struct scn_out *o, struct scn_tok *t, int n)
{
	if (o->kind != SCN_K_ICMP6)
		scn_fail("expected an ICMPv6 message");
	check_l2l3(o, 0, NULL);
	if (o->icmp_type != 129 || o->icmp_code != 0)
		scn_fail("field icmp6.type: expected echo reply 129/0, got %u/%u", o->icmp_type,
			 o->icmp_code);
	for (int i = 2; i < n; i++) {
		const char *k = t[i].key, *v = t[i].val;

		if (strcmp(k, "echo-reply") == 0)
			continue;
		if (v == NULL)
			scn_fail("out icmp6: '%s' needs a value", k);
		if (strcmp(k, "id") == 0)
			scn_match("icmp6.id", v, o->icmp_id, false);
		else if (strcmp(k, "seq") == 0)
			scn_match("icmp6.seq", v, o->icmp_seq, false);
		else if (strcmp(k, "hlim") == 0)
			scn_match("hlim", v, o->ttl, false);
		else if (strcmp(k, "data") == 0) {
			if (o->dlen != t[i].vlen || memcmp(o->data, v, o->dlen) != 0) {
				show_data("got", o->data, o->dlen);
				scn_fail("field icmp6.data: payload differs");
			}
		} else
			scn_fail("out icmp6: unknown word '%s'", k);
	}
}

/*
 * out nd ns [target=A]: our solicitation for a next hop (client mode, RFC 4861 7.2.2): from our
 * address and MAC to the target's solicited-node group on its MAC, our MAC as the source
 * link-layer address; the target is the current peer unless given.
 */
static void
match_nd_ns(const struct scn_out *o, struct scn_tok *t, int n)
{
	uint8_t target[16], group[16];
	struct rte_ether_addr gmac;

	if (o->kind != SCN_K_ND || o->icmp_type != 135)
		scn_fail("expected a neighbour solicitation");
	memcpy(target, flow.peer_ip6, 16);
	for (int i = 3; i < n; i++)
		if (strcmp(t[i].key, "target") != 0 || t[i].val == NULL ||
		    !scn_parse_ip6(t[i].val, target))
			scn_fail("out nd ns [target=A]");
	scn_solicited_node(target, group, &gmac);
	if (!rte_is_same_ether_addr(&o->eth_dst, &gmac))
		scn_fail("field eth.dst: not the solicited-node group's MAC");
	if (!rte_is_same_ether_addr(&o->eth_src, &ifc.mac))
		scn_fail("field eth.src: not our MAC");
	if (memcmp(o->src6, ifc.ip6[0].addr, 16) != 0)
		scn_fail("field ip6.src: expected %s, got %s", scn_ip6_str(ifc.ip6[0].addr),
			 scn_ip6_str(o->src6));
	if (memcmp(o->dst6, group, 16) != 0)
		scn_fail("field ip6.dst: expected %s, got %s", scn_ip6_str(group),
			 scn_ip6_str(o->dst6));
	if (memcmp(o->nd_target, target, 16) != 0)
		scn_fail("field nd.target: expected %s, got %s", scn_ip6_str(target),
			 scn_ip6_str(o->nd_target));
	if (o->icmp_code != 0 || !o->nd_has_lla || !rte_is_same_ether_addr(&o->nd_lla, &ifc.mac))
		scn_fail("field nd.slla: expected our MAC");
}

/*
 * out nd na [target=A] [flags=P] [dst=A]: a neighbour advertisement from us (RFC 4861 4.4,
 * 7.2.4): from our address and MAC, to the soliciting peer (or dst, e.g. ff02::1 after a DAD
 * solicitation, on its group MAC), hop limit 255 (checked for every ND frame), our MAC as the
 * target link-layer address, flags Solicited|Override (0x60) unless told (we are no router).
 */
static void
match_nd(const struct scn_out *o, struct scn_tok *t, int n)
{
	uint8_t target[16], dst[16];
	const char *flags = "0x60";
	bool dst_set = false;
	char a[RTE_ETHER_ADDR_FMT_SIZE];

	if (n >= 3 && strcmp(t[2].key, "ns") == 0) {
		match_nd_ns(o, t, n);
		return;
	}
	if (o->kind != SCN_K_ND || o->icmp_type != 136)
		scn_fail("expected a neighbour advertisement");
	memcpy(target, flow.our_ip6, 16);
	for (int i = 3; i < n; i++) {
		const char *k = t[i].key, *v = t[i].val;

		if (v == NULL)
			scn_fail("out nd na: '%s' needs a value", k);
		if (strcmp(k, "target") == 0 && scn_parse_ip6(v, target))
			continue;
		if (strcmp(k, "dst") == 0 && scn_parse_ip6(v, dst)) {
			dst_set = true;
			continue;
		}
		if (strcmp(k, "flags") == 0)
			flags = v;
		else
			scn_fail("out nd na: unknown word '%s'", k);
	}
	if (n < 3 || strcmp(t[2].key, "na") != 0)
		scn_fail("out nd na [target=A] [flags=P] [dst=A]");
	if (dst_set) {
		struct rte_ether_addr gm = {.addr_bytes = {0x33, 0x33}};

		memcpy(&gm.addr_bytes[2], &dst[12], 4);
		if (memcmp(o->dst6, dst, 16) != 0)
			scn_fail("field ip6.dst: expected %s, got %s", scn_ip6_str(dst),
				 scn_ip6_str(o->dst6));
		if (dst[0] == 0xff && !rte_is_same_ether_addr(&o->eth_dst, &gm))
			scn_fail("field eth.dst: not the group's MAC");
		if (memcmp(o->src6, target, 16) != 0)
			scn_fail("field ip6.src: not the target");
		if (!rte_is_same_ether_addr(&o->eth_src, &ifc.mac))
			scn_fail("field eth.src: not our MAC");
	} else {
		uint8_t ours[16];

		/* an advertisement comes from the address it advertises */
		memcpy(ours, flow.our_ip6, 16);
		memcpy(flow.our_ip6, target, 16);
		check_l2l3(o, 0, NULL);
		memcpy(flow.our_ip6, ours, 16);
	}
	if (memcmp(o->nd_target, target, 16) != 0)
		scn_fail("field nd.target: expected %s, got %s", scn_ip6_str(target),
			 scn_ip6_str(o->nd_target));
	scn_match("nd.flags", flags, o->nd_flags, false);
	if (!o->nd_has_lla || !rte_is_same_ether_addr(&o->nd_lla, &ifc.mac)) {
		rte_ether_format_addr(a, sizeof(a), &o->nd_lla);
		scn_fail("field nd.tlla: expected our MAC, got %s", o->nd_has_lla ? a : "none");
	}
}

static void
cmd_out(struct scn_tok *t, int n, bool optional)
{
	struct rte_mbuf *m;
	struct scn_out o;
	char d[512];
	jmp_buf jb;
	unsigned int mark;

	if (n < 2)
		scn_fail("out: what?");
	m = pending_peek(optional ? 0 : 600);
	if (m == NULL) {
		if (optional) {
			printf("    (optional segment absent)\n");
			return;
		}
		scn_fail("expected a frame, nothing was sent");
	}
	if (m->nb_segs != 1 || m->pkt_len != m->data_len)
		scn_fail("transmitted mbuf has %u segments, pkt_len %u data_len %u", m->nb_segs,
			 m->pkt_len, m->data_len);
	scn_decode(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, &o);
	scn_describe(&o, d, sizeof(d));
	if (o.err[0])
		scn_fail("malformed frame: %s", d);

	mark = scn_var_mark();
	if (optional) {
		scn_soft = &jb;
		if (setjmp(jb) != 0) {
			scn_soft = NULL;
			scn_var_rollback(mark);
			printf("    (optional segment absent: %s)\n", scn_soft_msg);
			return;
		}
	}
	if (strcmp(t[1].key, "arp") == 0)
		match_arp(&o, t, n);
	else if (strcmp(t[1].key, "icmp6") == 0)
		match_icmp6(&o, t, n);
	else if (strcmp(t[1].key, "nd") == 0)
		match_nd(&o, t, n);
	else if (strcmp(t[1].key, "icmp") == 0)
		match_icmp(&o, t, n);
	else
		match_tcp(&o, t, n);
	scn_soft = NULL;
	printf("    got %s\n", d);
	pending_pop();
}

/* ---- "expect" --------------------------------------------------------------------------- */

static const char *const state_names[] = {
#define SCN_STATE_NAME_(up, low) #up,
	TCPD_TCP_STATES(SCN_STATE_NAME_)
#undef SCN_STATE_NAME_
};

static int
state_by_name(const char *s)
{
	char buf[32];
	unsigned int i;

	snprintf(buf, sizeof(buf), "%s", s);
	for (i = 0; buf[i]; i++)
		buf[i] = buf[i] == '-' ? '_' : (char)toupper((unsigned char)buf[i]);
	for (i = 0; i < RTE_DIM(state_names); i++)
		if (strcmp(buf, state_names[i]) == 0)
			return (int)i;
	return -1;
}

struct find6 {
	const uint8_t *peer_ip6;
	uint16_t peer_port;
	struct tcpd_tcb *found;
};

static void
find6_one(struct tcpd_tcb *c, void *arg)
{
	struct find6 *f = arg;

	uint8_t ours[16];

	if (tcpd_tcb_is_ip6(c) && c->ent.peer_port == f->peer_port &&
	    c->ent.local_port == flow.our_port &&
	    memcmp(tcpd_tcp_peer_ip6(w->tcp, c), f->peer_ip6, 16) == 0) {
		tcpd_tcp_local_ip6(w->tcp, c, ours);
		if (memcmp(ours, flow.our_ip6, 16) == 0)
			f->found = c;
	}
}

/* The connection of an IPv6 peer on our current port: by address, through lib/tcp's public
 * walk, so that the runner does not depend on how lib/tcp keys IPv6 connections. */
static struct tcpd_tcb *
conn_find6(const uint8_t *peer_ip6, uint16_t peer_port)
{
	struct find6 f = {.peer_ip6 = peer_ip6, .peer_port = peer_port};

	tcpd_tcp_foreach(w->tcp, find6_one, &f);
	return f.found;
}

static struct tcpd_tcb *
conn_find(uint32_t peer_ip, uint16_t peer_port)
{
	struct tcpd_conn_key key;

	memset(&key, 0, sizeof(key));
	key.peer_ip = peer_ip;
	key.local_ip = ifc.ip;
	key.peer_port = peer_port;
	key.local_port = flow.our_port;
	return tcpd_tcp_lookup(w->tcp, &key);
}

/* The state of an IPv4 peer's connection on our current port (TIME-WAIT entries included). */
static unsigned int
conn_state(uint32_t peer_ip, uint16_t peer_port)
{
	struct tcpd_conn_key key = {peer_ip, ifc.ip, peer_port, flow.our_port, 0};

	return tcpd_tcp_key_state(w->tcp, &key);
}

/* The same for an IPv6 peer, to our current IPv6 address. */
static unsigned int
conn_state6(const uint8_t *peer_ip6, uint16_t peer_port)
{
	struct tcpd_conn_key key;
	int idx = tcpd_net_ip6_ours(&ifc, flow.our_ip6);

	if (idx < 0 ||
	    !tcpd_tcp_key6(w->tcp, peer_ip6, (unsigned int)idx, peer_port, flow.our_port, &key))
		return TCPD_CLOSED;
	return tcpd_tcp_key_state(w->tcp, &key);
}

static void
print_counters(void)
{
	printf("    non-zero counters:");
	for (unsigned int c = 0; c < TCPD_STAT_MAX; c++)
		if (tcpd_stats_read(&w->stats, c))
			printf(" %s=%" PRIu64, tcpd_stats_name((enum tcpd_stat)c),
			       tcpd_stats_read(&w->stats, c));
	for (unsigned int st = 0; st < TCPD_TCP_NSTATES; st++)
		if (w->stats.state[st])
			printf(" %s=%" PRIu64, tcpd_tcp_state_name(st), w->stats.state[st]);
	printf("\n");
}

static void
expect_counter_match(const char *k, const char *pat, uint64_t v)
{
	jmp_buf jb;

	scn_soft = &jb;
	if (setjmp(jb) != 0) {
		scn_soft = NULL;
		scn_fail("%s", scn_soft_msg);
	}
	scn_match(k, pat, v, false);
	scn_soft = NULL;
}

/* expect client NAME=P ...: the load engine's counters (tcpd_load.h), failed_<reason> too. */
static void
expect_client(struct scn_tok *t, int n)
{
	const struct tcpd_load_stats *s;

	if (w->load == NULL)
		scn_fail("expect client: no client line");
	s = tcpd_load_stats(w->load);
	for (int i = 2; i < n; i++) {
		const char *k = t[i].key;
		bool found = false;

		if (t[i].val == NULL)
			scn_fail("expect client NAME=VALUE");
		for (unsigned int c = 0; c < TCPD_LOAD_CNT_MAX && !found; c++)
			if (strcmp(k, tcpd_load_counter_name(c)) == 0) {
				expect_counter_match(k, t[i].val, s->c[c]);
				found = true;
			}
		for (unsigned int c = 0; c < TCPD_LOAD_FAIL_MAX && !found; c++)
			if (strncmp(k, "failed_", 7) == 0 &&
			    strcmp(k + 7, tcpd_load_fail_name(c)) == 0) {
				expect_counter_match(k, t[i].val, s->fail[c]);
				found = true;
			}
		if (!found)
			scn_fail("expect client: no counter '%s'", k);
	}
}

static void
expect_counter(struct scn_tok *t, int n)
{
	for (int i = 2; i < n; i++) {
		const char *k = t[i].key;
		bool found = false;

		if (t[i].val == NULL)
			scn_fail("expect counter NAME=VALUE");
		for (unsigned int c = 0; c < TCPD_STAT_MAX && !found; c++)
			if (strcmp(k, tcpd_stats_name((enum tcpd_stat)c)) == 0) {
				expect_counter_match(k, t[i].val, tcpd_stats_read(&w->stats, c));
				found = true;
			}
		for (unsigned int st = 0; st < TCPD_TCP_NSTATES && !found; st++) {
			const char *sn = tcpd_tcp_state_name(st);

			if (sn && (strcmp(k, sn) == 0 ||
				   (strncmp(k, "state_", 6) == 0 && strcmp(k + 6, sn) == 0))) {
				expect_counter_match(k, t[i].val, w->stats.state[st]);
				found = true;
			}
		}
		if (!found)
			scn_fail("expect counter: no counter '%s'", k);
	}
}

/* expect state [IP:PORT | [IPV6]:PORT] STATE */
static void
expect_state(struct scn_tok *t, int n)
{
	uint32_t ip = flow.peer_ip;
	uint16_t port = flow.peer_port;
	uint8_t ip6[16];
	bool v6 = flow.v6;
	unsigned int got;
	const char *who;
	char buf[80];
	int i = 2, st;

	memcpy(ip6, flow.peer_ip6, 16);
	if (n - i == 2) {
		v6 = t[i].key[0] == '[';
		if (v6 ? !scn_parse_endpoint6(t[i].key, ip6, &port)
		       : !scn_parse_endpoint(t[i].key, &ip, &port))
			scn_fail("expect state IP:PORT STATE");
		i++;
	}
	if (n - i != 1)
		scn_fail("expect state [IP:PORT] STATE");
	st = state_by_name(t[i].key);
	if (st < 0)
		scn_fail("unknown state '%s'", t[i].key);
	got = v6 ? conn_state6(ip6, port) : conn_state(ip, port);
	if (v6)
		snprintf(buf, sizeof(buf), "[%s]:%u", scn_ip6_str(ip6), ntohs(port));
	else
		snprintf(buf, sizeof(buf), "%s:%u", scn_ip_str(ip), ntohs(port));
	who = buf;
	if (got == TCPD_CLOSED && st != TCPD_CLOSED)
		scn_fail("state of %s: expected %s, got no connection", who, state_names[st]);
	if (got != (unsigned int)st)
		scn_fail("state of %s: expected %s, got %s", who, state_names[st],
			 got < RTE_DIM(state_names) ? state_names[got] : "?");
}

/* Fields "expect conn" can read. Read by name, not offset: lib/tcp owns the layout and packs
 * some of them into bit-fields. */
static bool
conn_field(const struct tcpd_tcb *c, const char *name, uint64_t *v)
{
#define CF(f)                                                                                      \
	if (strcmp(name, #f) == 0) {                                                               \
		*v = c->f;                                                                         \
		return true;                                                                       \
	}
#define CB(n, bit)                                                                                 \
	if (strcmp(name, n) == 0) {                                                                \
		*v = !!(c->opt_flags & (bit));                                                     \
		return true;                                                                       \
	}
	CF(state)
	CF(snd_una)
	CF(snd_nxt)
	CF(snd_wnd)
	CF(rcv_nxt)
	CF(iss)
	CF(ts_recent)
	CF(snd_mss)
	CF(snd_wscale)
	CF(rcv_wscale)
	CF(max_swnd)
	CB("ts", TCPD_TCB_TS)
	CB("sack", TCPD_TCB_SACK)
	CB("wscale", TCPD_TCB_WSCALE)
	CB("ecn", TCPD_TCB_ECN)
#undef CF
#undef CB
	return false;
}

/* expect conn [peer=IP:PORT] FIELD=VALUE... */
static void
expect_conn(struct scn_tok *t, int n)
{
	uint32_t ip = flow.peer_ip;
	uint16_t port = flow.peer_port;
	struct tcpd_tcb *c;

	for (int i = 2; i < n; i++)
		if (strcmp(t[i].key, "peer") == 0 && t[i].val &&
		    !scn_parse_endpoint(t[i].val, &ip, &port))
			scn_fail("peer=IP:PORT");
	c = flow.v6 ? conn_find6(flow.peer_ip6, port) : conn_find(ip, port);
	if (c == NULL)
		scn_fail("expect conn: no connection for %s:%u",
			 flow.v6 ? scn_ip6_str(flow.peer_ip6) : scn_ip_str(ip), ntohs(port));
	for (int i = 2; i < n; i++) {
		const char *k = t[i].key, *v = t[i].val;
		uint64_t got;

		if (strcmp(k, "peer") == 0)
			continue;
		if (v == NULL)
			scn_fail("expect conn FIELD=VALUE");
		if (!conn_field(c, k, &got))
			scn_fail("expect conn: unknown field '%s'", k);
		scn_match(k, v, got, false);
	}
}

/* The cookie counter lib/tcp uses: its clock (UNIX seconds) at the last poll / 60. */
static uint32_t
cookie_count_now(void)
{
	return tcpd_tcp_clock_sec(w->tcp) / TCPD_COOKIE_PERIOD;
}

/* expect cookie isn=EXPR sseq=EXPR [mss=N]: @p isn is a valid cookie for the current flow. */
static void
expect_cookie(struct scn_tok *t, int n)
{
	struct tcpd_cookie_tuple tu = {.saddr = flow.peer_ip,
				       .daddr = ifc.ip,
				       .sport = flow.peer_port,
				       .dport = flow.our_port};
	const char *mss = NULL;
	uint32_t isn = 0, sseq = 0;
	bool have_isn = false, have_sseq = false;
	enum tcpd_cookie_verdict v;
	unsigned int idx = 0;

	for (int i = 2; i < n; i++) {
		if (t[i].val == NULL)
			scn_fail("expect cookie isn=EXPR sseq=EXPR [mss=N]");
		if (strcmp(t[i].key, "isn") == 0) {
			isn = (uint32_t)scn_eval(t[i].val);
			have_isn = true;
		} else if (strcmp(t[i].key, "sseq") == 0) {
			sseq = (uint32_t)scn_eval(t[i].val);
			have_sseq = true;
		} else if (strcmp(t[i].key, "mss") == 0) {
			mss = t[i].val;
		} else {
			scn_fail("expect cookie: unknown word '%s'", t[i].key);
		}
	}
	if (!have_isn || !have_sseq)
		scn_fail("expect cookie isn=EXPR sseq=EXPR [mss=N]");
	if (flow.v6) {
		struct tcpd_cookie_tuple6 t6 = {.sport = flow.peer_port, .dport = flow.our_port};

		memcpy(t6.saddr, flow.peer_ip6, 16);
		memcpy(t6.daddr, ifc.ip6[0].addr, 16);
		v = tcpd_cookie_store_check6(&store, &t6, sseq, isn, cookie_count_now(), &idx);
	} else {
		v = tcpd_cookie_store_check(&store, &tu, sseq, isn, cookie_count_now(), &idx);
	}
	if (v != TCPD_COOKIE_OK)
		scn_fail("ISN %u is not a valid cookie for SYN seq %u (verdict %d)", isn, sseq, v);
	if (mss)
		scn_match("cookie mss", mss,
			  flow.v6 ? tcpd_cookie_mss_table6[idx] : tcpd_cookie_mss_table[idx],
			  false);
}

/* verify [defect="..."] raw HEX...: run the runner's own frame checks on a given frame (a
 * self-test of the checks every transmitted frame goes through). */
static void
cmd_verify(struct scn_tok *t, int n)
{
	const char *defect = NULL;
	uint8_t frame[FRAME_MAX];
	char hex[4096] = "", d[512];
	struct scn_out o;
	int i = 1, r;

	if (i < n && strcmp(t[i].key, "defect") == 0 && t[i].val)
		defect = t[i++].val;
	if (i >= n || strcmp(t[i].key, "raw") != 0)
		scn_fail("verify [defect=\"...\"] raw HEX...");
	for (i++; i < n; i++)
		strncat(hex, t[i].key, sizeof(hex) - strlen(hex) - 1);
	r = scn_parse_hex(hex, frame, (int)sizeof(frame));
	if (r < 0)
		scn_fail("verify: bad hex");
	scn_decode(frame, (unsigned int)r, &o);
	scn_describe(&o, d, sizeof(d));
	printf("    %s\n", d);
	if (defect == NULL && o.err[0])
		scn_fail("verify: defect found: %s", o.err);
	if (defect && strstr(o.err, defect) == NULL)
		scn_fail("verify: expected the defect \"%s\", found \"%s\"", defect, o.err);
}

/* cookie NAME sseq=E mss=E: bind NAME to the cookie a SYN with seq sseq and that MSS gets on
 * the current flow now (with syncookies=always that is the SYN-ACK's sequence number). */
static void
cmd_cookie(struct scn_tok *t, int n)
{
	struct tcpd_cookie_tuple tu;
	uint32_t sseq = 0, mss = 536;

	if (n < 3 || t[1].val != NULL)
		scn_fail("cookie NAME sseq=E [mss=E]");
	for (int i = 2; i < n; i++) {
		if (flow_word(&t[i]))
			continue;
		if (t[i].val == NULL)
			scn_fail("cookie NAME sseq=E [mss=E]");
		if (strcmp(t[i].key, "sseq") == 0)
			sseq = (uint32_t)scn_eval(t[i].val);
		else if (strcmp(t[i].key, "mss") == 0)
			mss = (uint32_t)scn_eval(t[i].val);
		else
			scn_fail("cookie: unknown word '%s'", t[i].key);
	}
	if (flow.v6) {
		struct tcpd_cookie_tuple6 t6 = {.sport = flow.peer_port, .dport = flow.our_port};

		memcpy(t6.saddr, flow.peer_ip6, 16);
		memcpy(t6.daddr, ifc.ip6[0].addr, 16);
		scn_var_set(t[1].key, tcpd_cookie_make6(tcpd_cookie_store_current(&store), &t6,
							sseq, cookie_count_now(),
							tcpd_cookie_mss_index6((uint16_t)mss)));
		return;
	}
	tu.saddr = flow.peer_ip;
	tu.daddr = ifc.ip;
	tu.sport = flow.peer_port;
	tu.dport = flow.our_port;
	scn_var_set(t[1].key,
		    tcpd_cookie_make(tcpd_cookie_store_current(&store), &tu, sseq,
				     cookie_count_now(), tcpd_cookie_mss_index((uint16_t)mss)));
}

/* The first TSC (after the current one) at which the worker's ms clock reads @p ms. */
static uint64_t
iss_tsc(uint64_t ms)
{
	uint64_t lo = scn_tsc, hi = scn_tsc + scn_hz;

	while (tcpd_tcp_ms_at(w->tcp, hi) < ms)
		hi += hi - lo;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (tcpd_tcp_ms_at(w->tcp, mid) < ms)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* Our ISN for the current flow (either family, our first address) when the clock reads @ms. */
static uint32_t
iss_at(uint64_t ms)
{
	if (flow.v6) {
		struct tcpd_cookie_tuple6 t6 = {.sport = flow.peer_port, .dport = flow.our_port};

		memcpy(t6.saddr, flow.peer_ip6, 16);
		memcpy(t6.daddr, ifc.ip6[0].addr, 16);
		return tcpd_tcp_isn6_at(w->tcp, ms, &t6);
	}
	struct tcpd_cookie_tuple tu = {
		.saddr = flow.peer_ip,
		.daddr = ifc.ip,
		.sport = flow.peer_port,
		.dport = flow.our_port,
	};

	return tcpd_tcp_isn_at(w->tcp, ms, &tu);
}

/*
 * iss E [at=MS] [from=IP:PORT] [to=PORT]: move the virtual clock on to the next ms at which (or
 * MS ms before which) our ISN for the current flow (IPv4 or IPv6), the SYN-ACK's seq or our SYN's in
 * client mode, is E, or E - 1: the RFC 6528 clock part moves by 250 a ms, so only by even steps.
 * The worker's ISN key becomes the runner's (bytes 0..15) for it. The jump may be up to 2^31 ms:
 * first in a scenario, before any line that polls (timers would fire, ARP would time out).
 */
static void
cmd_iss(struct scn_tok *t, int n)
{
	static const uint8_t key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
	uint32_t want, f, d, inv = 125, mask = 0x7fffffff, at = 0;
	uint64_t cur, ms;

	if (n < 2 || t[1].val != NULL)
		scn_fail("iss E [at=MS] [from=IP:PORT] [to=PORT]");
	want = (uint32_t)scn_eval(t[1].key);
	for (int i = 2; i < n; i++) {
		if (flow_word(&t[i]))
			continue;
		if (strcmp(t[i].key, "at") != 0 || t[i].val == NULL)
			scn_fail("iss: unknown word '%s'", t[i].key);
		at = (uint32_t)scn_eval(t[i].val);
	}
	tcpd_tcp_isn_key_set(w->tcp, key);
	f = iss_at(0); /* F alone: ms 0 */
	d = (want - f) & ~1u;
	for (int i = 0; i < 5; i++) /* Newton: 125^-1 modulo 2^32 */
		inv *= 2 - 125 * inv;
	/* 250 (ms + at) = d (mod 2^32): 125 (ms + at) = d / 2 (mod 2^31); the first such ms
	 * after this one */
	cur = tcpd_tcp_ms_at(w->tcp, scn_tsc);
	ms = cur + 1 + (((d >> 1) * inv - at - (uint32_t)(cur + 1)) & mask);
	scn_tsc = iss_tsc(ms);
	if (iss_at(tcpd_tcp_ms_at(w->tcp, scn_tsc) + at) != f + d)
		scn_fail("iss: the clock did not give ISN %u", f + d);
	printf("    clock +%" PRIu64 " ms: ISN %u %u ms later\n", ms - cur, f + d, at);
}

static void
cmd_expect(struct scn_tok *t, int n)
{
	if (n < 2)
		scn_fail("expect what?");
	if (strcmp(t[1].key, "counter") == 0)
		expect_counter(t, n);
	else if (strcmp(t[1].key, "client") == 0)
		expect_client(t, n);
	else if (strcmp(t[1].key, "state") == 0)
		expect_state(t, n);
	else if (strcmp(t[1].key, "conn") == 0)
		expect_conn(t, n);
	else if (strcmp(t[1].key, "cookie") == 0)
		expect_cookie(t, n);
	else if (strcmp(t[1].key, "eq") == 0) {
		/* expect eq EXPR EXPR */
		if (n != 4)
			scn_fail("expect eq EXPR EXPR");
		scn_match(t[2].key, t[3].key, scn_eval(t[2].key), false);
	} else if (strcmp(t[1].key, "one-of") == 0) {
		/* expect one-of EXPR V1 V2 ...: where the RFC leaves a choice */
		uint64_t v;
		int i;

		if (n < 4)
			scn_fail("expect one-of EXPR V1 V2 ...");
		v = scn_eval(t[2].key);
		for (i = 3; i < n && scn_eval(t[i].key) != v; i++)
			;
		if (i == n)
			scn_fail("%s = %" PRIu64 " is none of the values allowed", t[2].key, v);
	} else if (strcmp(t[1].key, "after") == 0) {
		/* expect after A B: sequence number A is later than B, modulo 2^32 */
		uint32_t a, b;

		if (n != 4)
			scn_fail("expect after EXPR EXPR");
		a = (uint32_t)scn_eval(t[2].key);
		b = (uint32_t)scn_eval(t[3].key);
		if ((int32_t)(a - b) <= 0)
			scn_fail("sequence %s = %u is not after %s = %u", t[2].key, a, t[3].key, b);
	} else
		scn_fail("expect: unknown kind '%s'", t[1].key);
}

/* ---- "wait", "flood" ---------------------------------------------------------------------- */

static void
cmd_wait(struct scn_tok *t, int n)
{
	uint64_t ms, end;

	if (n != 2)
		scn_fail("wait MS");
	ms = scn_eval(t[1].key);
	if (ms > 5000)
		scn_fail("wait: at most 5000 ms (keep the suite fast)");
	end = scn_after_ms(ms);
	while (scn_tsc < end) {
		scn_poll(SCN_STEP_US);
		drain_tx();
	}
}

/* The low 32 bits of an IPv6 address, host order. */
static uint32_t
ip6_lo(const uint8_t *a)
{
	return (uint32_t)a[12] << 24 | (uint32_t)a[13] << 16 | (uint32_t)a[14] << 8 | a[15];
}

static void
ip6_set_lo(uint8_t *a, uint32_t v)
{
	a[12] = (uint8_t)(v >> 24);
	a[13] = (uint8_t)(v >> 16);
	a[14] = (uint8_t)(v >> 8);
	a[15] = (uint8_t)v;
}

/* SYN number @p k of a flood into @p p: source address base + k / 16 (in the low 32 bits of
 * an IPv6 base), port 1024 + k % 16, sequence seq0 + k * 7919. @return the frame length */
static unsigned int
flood_frame(uint8_t *p, const uint8_t *tmpl, unsigned int len, struct scn_flow *f,
	    struct scn_tcp_in *s, uint32_t base, const uint8_t *base6, uint32_t seq0, uint64_t k)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + 14);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(p + 34);

	if (f->v6) {
		/* the runner's own IPv6 builder, checksum included */
		memcpy(f->peer_ip6, base6, 16);
		ip6_set_lo(f->peer_ip6, ip6_lo(base6) + (uint32_t)(k >> 4));
		f->peer_port = htons((uint16_t)(1024 + (k & 15)));
		s->seq = seq0 + (uint32_t)k * 7919u;
		return scn_build_tcp(p, f, s);
	}
	memcpy(p, tmpl, len);
	ip->src_addr = htonl(ntohl(base) + (uint32_t)(k >> 4));
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->src_port = htons((uint16_t)(1024 + (k & 15)));
	th->sent_seq = htonl(seq0 + (uint32_t)k * 7919u);
	th->cksum = 0;
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	return len;
}

/*
 * flood count=N [burst=B] [base=IP] [seq=S] [reply=SA|none] TCP-OPTIONS...: N SYNs from
 * distinct sources (16 ports per address from base, 198.19.0.0 by default) to the current local
 * port, fed in bursts through the real loop. Each output must be the SYN-ACK of its SYN.
 */
static void
cmd_flood(struct scn_tok *t, int n)
{
	uint64_t count = 0, sent = 0, replies = 0, t0, t1;
	unsigned int burst = 32;
	uint32_t base, seq0 = 1000;
	bool want_reply = true;
	struct scn_tcp_in s;
	struct scn_flow f = flow;
	uint8_t tmpl[256], base6[16];
	unsigned int len;

	scn_parse_ip("198.19.0.0", &base);
	scn_parse_ip6("2001:2:0:ff::", base6);
	memset(&s, 0, sizeof(s));
	s.flags = RTE_TCP_SYN_FLAG;
	s.win = 64240;
	s.doff = s.ip_len = s.truncate = s.frag_off = s.ttl = s.plen6 = -1;
	for (int i = 1; i < n; i++) {
		const char *k = t[i].key, *v = t[i].val;

		if (strcmp(k, "count") == 0 && v)
			count = scn_eval(v);
		else if (strcmp(k, "burst") == 0 && v)
			burst = (unsigned int)scn_eval(v);
		else if (strcmp(k, "base") == 0 && v && strchr(v, ':')) {
			if (!scn_parse_ip6(v, base6))
				scn_fail("base=IPV6");
		} else if (strcmp(k, "base") == 0 && v) {
			if (!scn_parse_ip(v, &base))
				scn_fail("base=IP");
		} else if (strcmp(k, "seq") == 0 && v)
			seq0 = (uint32_t)scn_eval(v);
		else if (strcmp(k, "reply") == 0 && v)
			want_reply = strcmp(v, "none") != 0;
		else if (strcmp(k, "to") == 0 && v)
			flow_word(&t[i]), f.our_port = flow.our_port;
		else if (!in_tcp_word(&t[i], &s))
			scn_fail("flood: unknown word '%s'", k);
	}
	if (count == 0 || count > 16 * 65536ull || burst == 0 || burst > 32 || f.our_port == 0)
		scn_fail("flood count=1..1048576 [burst=1..32] to=PORT ...");
	expect_nothing_pending("before the flood");
	f.peer_ip = base;
	f.peer_port = htons(1024);
	s.seq = seq0;
	len = scn_build_tcp(tmpl, &f, &s);

	t0 = rte_rdtsc();
	while (sent < count || rte_ring_count(rx_ring) > 0) {
		struct rte_mbuf *m[32];
		unsigned int nb = (unsigned int)RTE_MIN((uint64_t)burst, count - sent), k, got;

		if (nb && rte_pktmbuf_alloc_bulk(pool, m, nb) == 0) {
			for (k = 0; k < nb; k++, sent++) {
				unsigned int l =
					flood_frame(rte_pktmbuf_mtod(m[k], uint8_t *), tmpl, len,
						    &f, &s, base, base6, seq0, sent);

				m[k]->data_len = (uint16_t)l;
				m[k]->pkt_len = l;
			}
			if (rte_ring_enqueue_bulk(rx_ring, (void **)m, nb, NULL) != nb)
				scn_fail("flood: RX ring full");
		} else if (nb) {
			scn_fail("flood: mbuf pool empty after %" PRIu64 " SYNs", sent);
		}
		scn_poll(SCN_POLL_US);
		while ((got = rte_ring_dequeue_burst(tx_ring, (void **)m, 32, NULL)) > 0) {
			for (k = 0; k < got; k++) {
				struct scn_out o;
				uint64_t idx;
				char d[512];

				scn_decode(rte_pktmbuf_mtod(m[k], const uint8_t *), m[k]->data_len,
					   &o);
				idx = ((uint64_t)(o.v6 ? ip6_lo(o.dst6) - ip6_lo(base6)
						       : ntohl(o.ip_dst) - ntohl(base))
				       << 4) +
				      (uint64_t)(o.dport - 1024);
				if (!want_reply || o.err[0] || o.kind != SCN_K_TCP ||
				    o.v6 != f.v6 || (o.v6 && memcmp(o.dst6, base6, 12) != 0) ||
				    o.flags != (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG) ||
				    o.sport != ntohs(f.our_port) || idx >= sent ||
				    o.ack != seq0 + (uint32_t)idx * 7919u + 1) {
					scn_describe(&o, d, sizeof(d));
					scn_fail("flood: unexpected reply after %" PRIu64
						 " SYNs: %s",
						 sent, d);
				}
				replies++;
			}
			rte_pktmbuf_free_bulk(m, got);
		}
	}
	scn_poll(SCN_POLL_US);
	drain_tx();
	expect_nothing_pending("after the flood");
	t1 = rte_rdtsc();
	printf("    %" PRIu64 " SYNs, %" PRIu64 " replies in %.3f s (%.2f Mpps through the loop)\n",
	       sent, replies, (double)(t1 - t0) / (double)rte_get_tsc_hz(),
	       (double)sent / ((double)(t1 - t0) / (double)rte_get_tsc_hz()) / 1e6);
	if (want_reply && replies != count)
		scn_fail("flood: %" PRIu64 " SYNs but %" PRIu64 " SYN-ACKs", count, replies);
	scn_var_set("FLOOD_REPLIES", replies);
}

/* ---- main ------------------------------------------------------------------------------- */

static void
run_line(char *line)
{
	struct scn_tok t[SCN_MAX_TOKENS];
	char shown[512];
	int n;

	/* the line as written, cut for display */
	memcpy(shown, line, sizeof(shown) - 1);
	shown[sizeof(shown) - 1] = '\0';
	shown[strcspn(shown, "\r\n")] = '\0';
	n = scn_tokenize(line, t, SCN_MAX_TOKENS);
	if (n == 0)
		return;
	if (strcmp(t[0].key, "config") == 0) {
		if (started)
			scn_fail("config after the first packet");
		for (int i = 1; i < n; i++)
			config_set(&t[i]);
		return;
	}
	if (strcmp(t[0].key, "client") == 0) {
		if (started)
			scn_fail("client after the first packet");
		for (int i = 1; i < n; i++)
			client_set(&t[i]);
		return;
	}
	if (strcmp(t[0].key, "must-fail") == 0) {
		if (n != 2 || t[1].val == NULL || strcmp(t[1].key, "with") != 0)
			scn_fail("must-fail with=\"MESSAGE PART\"");
		snprintf(scn_must_fail, sizeof(scn_must_fail), "%s", t[1].val);
		return;
	}
	if (strcmp(t[0].key, "xfail") == 0) {
		printf("expected to fail: %s\n", shown + 6);
		return;
	}
	ensure_started();
	step++;
	printf("[%3u] line %-3u %s\n", step, scn_line, shown);
	if (strcmp(t[0].key, "in") == 0)
		cmd_in(t, n);
	else if (strcmp(t[0].key, "out") == 0)
		cmd_out(t, n, false);
	else if (strcmp(t[0].key, "out?") == 0)
		cmd_out(t, n, true);
	else if (strcmp(t[0].key, "none") == 0) {
		scn_poll(SCN_POLL_US);
		drain_tx();
		expect_nothing_pending("where none was expected");
	} else if (strcmp(t[0].key, "expect") == 0)
		cmd_expect(t, n);
	else if (strcmp(t[0].key, "wait") == 0)
		cmd_wait(t, n);
	else if (strcmp(t[0].key, "flood") == 0)
		cmd_flood(t, n);
	else if (strcmp(t[0].key, "hold") == 0) {
		if (holding)
			scn_fail("hold twice");
		holding = true;
	} else if (strcmp(t[0].key, "release") == 0) {
		if (!holding)
			scn_fail("release without hold");
		if (rte_ring_count(rx_ring) > TCPD_RX_BURST)
			scn_fail("more than %u frames held: they would not fit one burst",
				 TCPD_RX_BURST);
		holding = false;
		run_loop();
	} else if (strcmp(t[0].key, "verify") == 0) {
		cmd_verify(t, n);
	} else if (strcmp(t[0].key, "cookie") == 0) {
		cmd_cookie(t, n);
	} else if (strcmp(t[0].key, "iss") == 0) {
		cmd_iss(t, n);
	} else if (strcmp(t[0].key, "set") == 0 || strcmp(t[0].key, "default") == 0) {
		/* default: only if NAME is still unbound (after an optional "out?") */
		bool dflt = t[0].key[0] == 'd';

		for (int i = 1; i < n; i++) {
			uint64_t v;

			if (t[i].val == NULL)
				scn_fail("%s NAME=EXPR", t[0].key);
			if (!dflt || !scn_var_get(t[i].key, &v))
				scn_var_set(t[i].key, scn_eval(t[i].val));
		}
	} else
		scn_fail("unknown command '%s'", t[0].key);
	fflush(stdout);
}

/*
 * "repeat N" ... "end": the lines between run N times in a row (variables carry over, "set"
 * moves them on), for scenarios that need hundreds of segments (filling a 1 MiB window).
 * Not nested; errors name the line inside the block.
 */
#define REPEAT_MAX_LINES 32

static void
run_repeat(FILE *fp, unsigned long times)
{
	static char body[REPEAT_MAX_LINES][1024];
	unsigned int line_no[REPEAT_MAX_LINES], nb = 0, end_line;
	char line[1024], copy[1024], word[16];

	for (;;) {
		if (fgets(line, sizeof(line), fp) == NULL)
			scn_fail("repeat without end");
		scn_line++;
		if (strlen(line) == sizeof(line) - 1)
			scn_fail("line too long in a repeat block");
		if (sscanf(line, " %15s", word) == 1 && strcmp(word, "end") == 0)
			break;
		if (sscanf(line, " %15s", word) == 1 && strcmp(word, "repeat") == 0)
			scn_fail("repeat blocks do not nest");
		if (nb == REPEAT_MAX_LINES)
			scn_fail("more than %u lines in a repeat block", REPEAT_MAX_LINES);
		memcpy(body[nb], line, sizeof(line));
		line_no[nb++] = scn_line;
	}
	end_line = scn_line;
	for (unsigned long i = 0; i < times; i++) {
		for (unsigned int j = 0; j < nb; j++) {
			scn_line = line_no[j];
			memcpy(copy, body[j],
			       sizeof(copy)); /* run_line cuts its line into tokens */
			run_line(copy);
		}
	}
	scn_line = end_line;
}

int
main(int argc, char **argv)
{
	char line[8192];
	FILE *fp;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s SCENARIO.scn\n", argv[0]);
		return 2;
	}
	fp = fopen(argv[1], "r");
	if (fp == NULL) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	config_init();
	eal_and_port_init(argv[0]);
	rte_ether_unformat_addr("02:00:00:00:00:02", &flow.peer_mac);
	scn_parse_ip("198.18.0.2", &flow.peer_ip);
	printf("scenario %s\n", argv[1]);
	while (fgets(line, sizeof(line), fp)) {
		scn_line++;
		if (strlen(line) == sizeof(line) - 1)
			scn_fail("line too long");
		{
			char word[16];
			unsigned long times;

			if (sscanf(line, " %15s %lu", word, &times) == 2 &&
			    strcmp(word, "repeat") == 0) {
				run_repeat(fp, times);
				continue;
			}
		}
		run_line(line);
	}
	fclose(fp);
	if (!started)
		scn_fail("the scenario sends nothing");
	scn_line++;
	if (holding)
		scn_fail("hold without release");
	scn_poll(SCN_POLL_US);
	drain_tx();
	expect_nothing_pending("at the end of the scenario");
	/* Every mbuf must come back: what the daemon did not send, it freed or still holds in a
	 * connection, and freeing the context releases those. */
	{
		struct tcpd_load *ld = w->load;

		tcpd_worker_free(w);
		tcpd_load_free(ld);
	}
	if (rte_mempool_in_use_count(pool) != 0)
		scn_fail("%u mbufs leaked (not freed by the worker or the TCP context)",
			 rte_mempool_in_use_count(pool));
	if (scn_must_fail[0]) {
		printf("FAIL %s: a self-test that had to fail with \"%s\" passed\n", argv[1],
		       scn_must_fail);
		return 1;
	}
	printf("PASS %s: %u steps\n", argv[1], step);
	rte_eth_dev_stop(port_id);
	rte_eal_cleanup();
	return 0;
}
