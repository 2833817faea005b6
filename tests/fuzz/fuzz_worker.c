/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fuzz targets' only contact with EAL set-up, the worker's construction and lib/tcp's
 * internals (see fuzz_worker.h). Adapt this file when those move; the targets stay. What it
 * relies on today, each in one place:
 *  - fuzz_worker_create/free: a struct tcpd_worker built by hand around tcpd_tcp_ctx_create
 *    (becomes tcpd_worker_create/tcpd_worker_free);
 *  - fuzz_worker_create_client: the load engine on the worker (w->load), as the scenario
 *    runner sets it up;
 *  - fuzz_worker_step: tcpd_worker_process, tcpd_tcp_timers, tcpd_load_poll, tcpd_worker_flush,
 *    w->tx;
 *  - fuzz_worker_conn: struct tcpd_conn (state, timer, snd_*, key) through lib/conn's slot walk;
 *    for IPv6 entries the peer id's address and intern lookup (tcp_ip6_find, tcp_conn_is6);
 *  - fuzz_worker_timer_*: ctx->wheel (tcp_internal.h);
 *  - fuzz_http_*: tcp_http_rx on a bare struct tcpd_conn, ctx->http_len (the http service;
 *    with an ops table, call its rx op on a connection the same way).
 */
#define _GNU_SOURCE /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "tcpd_app.h"
#include "tcpd_app_client.h"
#include "tcpd_cookie.h"
#include "tcpd_load.h"
#include "tcpd_tcb.h"
#include "tcpd_tcp.h"
#include "tcpd_worker.h"

#include "fuzz_common.h"

#include "tcp_internal.h" /* the timer wheel (lib/tcp private) */

#include "fuzz_worker.h"

#define RING_SIZE 4096

static struct rte_mempool *pool;
static struct rte_ring *rx_ring, *tx_ring;
static uint16_t port_id;
static char runtime_dir[128];
static struct tcpd_cookie_store store;
static volatile bool quit;

static void
die(const char *what)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, rte_strerror(rte_errno));
	abort();
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	RTE_SET_USED(sb);
	RTE_SET_USED(flag);
	RTE_SET_USED(ftw);
	remove(path);
	return 0;
}

static void
cleanup_runtime_dir(void)
{
	if (runtime_dir[0])
		nftw(runtime_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

void
fuzz_eal_init(const char *prog)
{
	static const uint8_t secret[32] = {0x5e, 0xc4, 0xe7, 0x01, 0x02, 0x03, 0x04, 0x05,
					   0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
					   0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
					   0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d};
	char prefix[64];
	char *argv[] = {(char *)(uintptr_t)prog,
			"-l",
			"0",
			"--no-huge",
			"-m",
			"256",
			"--no-shconf",
			"--no-pci",
			"--no-telemetry",
			prefix,
			"--log-level=*:error"};
	struct rte_eth_conf conf;
	int p;

	if (pool != NULL)
		return;
	snprintf(prefix, sizeof(prefix), "--file-prefix=fuzz-%d", (int)getpid());
	snprintf(runtime_dir, sizeof(runtime_dir), "/var/run/dpdk/fuzz-%d", (int)getpid());
	atexit(cleanup_runtime_dir);
	if (rte_eal_init((int)RTE_DIM(argv), argv) < 0)
		die("rte_eal_init");
	pool = rte_pktmbuf_pool_create("fuzz_pool", FUZZ_NB_MBUFS, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	rx_ring = rte_ring_create("fuzz_rx", RING_SIZE, (int)rte_socket_id(),
				  RING_F_SP_ENQ | RING_F_SC_DEQ);
	tx_ring = rte_ring_create("fuzz_tx", RING_SIZE, (int)rte_socket_id(),
				  RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (pool == NULL || rx_ring == NULL || tx_ring == NULL)
		die("pool/rings");
	p = rte_eth_from_rings("net_ring_fuzz", &rx_ring, 1, &tx_ring, 1,
			       (unsigned int)rte_socket_id());
	if (p < 0)
		die("rte_eth_from_rings");
	port_id = (uint16_t)p;
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(port_id, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port_id, 0, RING_SIZE, (unsigned int)rte_socket_id(), NULL,
				   pool) != 0 ||
	    rte_eth_tx_queue_setup(port_id, 0, RING_SIZE, (unsigned int)rte_socket_id(), NULL) !=
		    0 ||
	    rte_eth_dev_start(port_id) != 0)
		die("net_ring port");
	if (tcpd_cookie_store_init(&store, secret, sizeof(secret)) != 0)
		die("cookie store");
}

struct rte_mempool *
fuzz_pool(void)
{
	return pool;
}

struct fuzz_worker {
	struct tcpd_worker *w;
	struct tcpd_iface ifc;
	struct tcpd_config cfg;
	uint64_t tsc0;
	struct tcpd_load_shared sh; /* client mode: what the (one) load engine shares */
};

struct fuzz_worker *
fuzz_worker_create(const struct tcpd_config *cfg)
{
	static const struct rte_ether_addr mac = FUZZ_OUR_MAC;
	struct fuzz_worker *fw = calloc(1, sizeof(*fw));
	struct tcpd_worker_params p;

	if (fw == NULL)
		abort();
	fw->cfg = *cfg;
	fw->cfg.ip = FUZZ_OUR_IP;
	fw->ifc.mac = mac;
	fw->ifc.ip = FUZZ_OUR_IP;
	fw->ifc.mtu = cfg->mtu;
	if (cfg->ip6_prefix_len != 0) {
		memcpy(fw->ifc.ip6[0].addr, cfg->ip6, 16);
		fw->ifc.ip6[0].prefix_len = cfg->ip6_prefix_len;
		fw->ifc.nb_ip6 = 1;
	}
	memset(&p, 0, sizeof(p));
	p.cfg = &fw->cfg;
	p.ifc = &fw->ifc;
	p.cookies = &store;
	p.pool = pool;
	p.lcore_id = rte_lcore_id();
	p.port_id = port_id;
	p.queue_id = 0;
	p.socket_id = (int)rte_socket_id();
	p.quit = &quit;
	p.name = "fuzz";
	fw->w = tcpd_worker_create(&p);
	if (fw->w == NULL)
		die("tcpd_worker_create");
	fw->tsc0 = rte_rdtsc(); /* at or after the context's own clock start */
	return fw;
}

struct fuzz_worker *
fuzz_worker_create_client(const struct tcpd_config *cfg)
{
	struct fuzz_worker *fw = fuzz_worker_create(cfg);
	struct tcpd_worker *w = fw->w;
	char err[256];
	/* as the daemon and the scenario runner set it up: one loading lcore, one queue, no RSS */
	struct tcpd_load_params lp = {
		.sh = &fw->sh,
		.tcp = w->tcp,
		.tx = &w->tx,
		.pool = pool,
		.ifc = &fw->ifc,
		.wstats = &w->stats,
		.nb = 1,
		.nb_queues = 1,
		.socket_id = (int)rte_socket_id(),
	};

	tcpd_load_shared_init(&fw->sh, &fw->cfg, rte_get_tsc_hz());
	w->load = tcpd_load_create(&lp, err, sizeof(err));
	if (w->load == NULL) {
		fprintf(stderr, "fuzz: tcpd_load_create: %s\n", err);
		abort();
	}
	return fw;
}

static void
drain_tx_ring(void)
{
	struct rte_mbuf *m[64];
	unsigned int n;

	while ((n = rte_ring_dequeue_burst(tx_ring, (void **)m, RTE_DIM(m), NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
}

void
fuzz_worker_free(struct fuzz_worker *fw)
{
	struct tcpd_load *ld;

	if (fw == NULL)
		return;
	ld = fw->w->load;
	tcpd_worker_free(fw->w); /* the connections first: their records are the engine's */
	tcpd_load_free(ld);
	drain_tx_ring();
	free(fw);
}

unsigned int
fuzz_worker_step(struct fuzz_worker *fw, struct rte_mbuf **pkts, uint16_t n, uint64_t now_tsc,
		 struct rte_mbuf **out, unsigned int max, unsigned int *dropped)
{
	struct tcpd_worker *w = fw->w;
	unsigned int got = 0, k;

	if (n)
		tcpd_worker_process(w, pkts, n, now_tsc);
	tcpd_tcp_timers(w->tcp, now_tsc);
	if (w->load != NULL)
		tcpd_load_poll(w->load, now_tsc); /* client mode: launches, timeouts, drain */
	/* tcpd_worker_flush sends one burst of at most the ring's room; the ring is drained
	 * after every burst, so nothing is refused unless a step queues more than RING_SIZE. */
	tcpd_worker_flush(w);
	while ((k = rte_ring_dequeue_burst(tx_ring, (void **)(out + got), max - got, NULL)) > 0) {
		got += k;
		if (got == max)
			break;
	}
	if (got == max) {
		struct rte_mbuf *m;

		while (rte_ring_dequeue(tx_ring, (void **)&m) == 0) {
			rte_pktmbuf_free(m);
			(*dropped)++;
		}
	}
	return got;
}

uint64_t
fuzz_worker_tsc0(const struct fuzz_worker *fw)
{
	return fw->tsc0;
}

const struct tcpd_stats *
fuzz_worker_stats(const struct fuzz_worker *fw)
{
	return &fw->w->stats;
}

struct tcpd_conn_table *
fuzz_worker_table(struct fuzz_worker *fw)
{
	return tcpd_tcp_table(fw->w->tcp);
}

const struct tcpd_load_stats *
fuzz_worker_load_stats(const struct fuzz_worker *fw)
{
	return tcpd_load_stats(fw->w->load);
}

bool
fuzz_worker_load_done(const struct fuzz_worker *fw)
{
	return tcpd_load_done(fw->w->load) != 0;
}

bool
fuzz_worker_is_cookie(const struct fuzz_worker *fw, uint32_t peer_ip, uint16_t peer_port,
		      uint16_t local_port, uint32_t peer_isn, uint32_t isn)
{
	const struct tcpd_cookie_tuple t = {
		.saddr = peer_ip,
		.daddr = FUZZ_OUR_IP,
		.sport = rte_cpu_to_be_16(peer_port),
		.dport = rte_cpu_to_be_16(local_port),
	};
	unsigned int mssi;

	/* EXPIRED too: made by these keys, only older than the check accepts now */
	return tcpd_cookie_store_check(&store, &t, peer_isn, isn, fw->w->tcp->cookie_count,
				       &mssi) != TCPD_COOKIE_BAD;
}

bool
fuzz_worker_is_cookie6(const struct fuzz_worker *fw, const uint8_t peer_ip6[16],
		       const uint8_t our_ip6[16], uint16_t peer_port, uint16_t local_port,
		       uint32_t peer_isn, uint32_t isn)
{
	struct tcpd_cookie_tuple6 t = {
		.sport = rte_cpu_to_be_16(peer_port),
		.dport = rte_cpu_to_be_16(local_port),
	};
	unsigned int mssi;

	memcpy(t.saddr, peer_ip6, 16);
	memcpy(t.daddr, our_ip6, 16);
	return tcpd_cookie_store_check6(&store, &t, peer_isn, isn, fw->w->tcp->cookie_count,
					&mssi) != TCPD_COOKIE_BAD;
}

void
fuzz_worker_conn(struct fuzz_worker *fw, uint32_t i, struct fuzz_conn_view *v)
{
	struct tcpd_conn_table *t = tcpd_tcp_table(fw->w->tcp);
	const struct tcpd_tcb *c = (const struct tcpd_tcb *)tcpd_conn_at(t, i);

	v->live = tcpd_conn_live(t, &c->ent);
	v->armed = tcpd_timer_armed(&c->timer);
	v->state = c->state;
	if (v->live) {
		/* the public lookups (the scenario runner's, telemetry's) find it under its key */
		struct tcpd_conn_key k;

		tcpd_conn_entry_key(&c->ent, &k);
		v->found = tcpd_tcp_lookup(fw->w->tcp, &k) == c &&
			   tcpd_tcp_lookup_tw(fw->w->tcp, &k) == NULL &&
			   tcpd_tcp_key_state(fw->w->tcp, &k) == c->state;
	}
	v->snd_una = c->snd_una;
	v->snd_nxt = c->snd_nxt;
	v->snd_max = c->snd_max;
	v->iss = c->iss;
	v->snd_mss = c->snd_mss;
	v->peer_port = rte_be_to_cpu_16(c->ent.peer_port);
	v->local_port = rte_be_to_cpu_16(c->ent.local_port);
	v->ip6 = v->live && tcp_conn_is6(c);
	if (v->ip6) {
		v->peer_id = rte_be_to_cpu_32(c->ent.peer_ip);
		memcpy(v->peer_ip6, tcpd_tcp_peer_ip6(fw->w->tcp, c), 16);
		v->peer_found = tcp_ip6_find(fw->w->tcp, v->peer_ip6) == c->ent.peer_ip;
	}
}

uint32_t
fuzz_worker_client_done(struct fuzz_worker *fw, uint32_t i)
{
	struct tcpd_conn_table *t = tcpd_tcp_table(fw->w->tcp);
	const struct tcpd_tcb *c = (const struct tcpd_tcb *)tcpd_conn_at(t, i);
	const struct tcpd_client_rec *r = c->app_ptr;

	return tcpd_conn_live(t, &c->ent) && r != NULL ? r->done : UINT32_MAX;
}

void
fuzz_worker_tw(struct fuzz_worker *fw, uint32_t i, struct fuzz_conn_view *v, int64_t *left_ms)
{
	struct tcpd_conn_table *t = tcpd_tcp_table(fw->w->tcp);
	const struct tcpd_tw *tw = tcpd_tw_of(tcpd_conn_small_at(t, i));
	uint32_t now = (uint32_t)tcp_tsc_to_ms(fw->w->tcp, tcpd_tcp_now_tsc(fw->w->tcp));

	v->live = tcpd_conn_entry_live(&tw->ent);
	v->armed = false;
	v->state = TCPD_TIME_WAIT;
	if (v->live) {
		struct tcpd_conn_key k;

		tcpd_conn_entry_key(&tw->ent, &k);
		v->found = tcpd_tcp_lookup_tw(fw->w->tcp, &k) == tw &&
			   tcpd_tcp_lookup(fw->w->tcp, &k) == NULL &&
			   tcpd_tcp_key_state(fw->w->tcp, &k) == TCPD_TIME_WAIT;
	}
	v->snd_una = v->snd_nxt = v->snd_max = tw->snd_nxt;
	v->iss = 0;
	v->snd_mss = 0;
	v->peer_port = rte_be_to_cpu_16(tw->ent.peer_port);
	v->local_port = rte_be_to_cpu_16(tw->ent.local_port);
	/* An IPv6 TIME-WAIT keeps its peer id and that id's reference, like a connection. */
	v->ip6 = v->live && tcp_key_is6(tw->ent.local_ip);
	if (v->ip6) {
		v->peer_id = rte_be_to_cpu_32(tw->ent.peer_ip);
		memcpy(v->peer_ip6, tcp_ip6_peer_addr(fw->w->tcp, tw->ent.peer_ip), 16);
		v->peer_found = tcp_ip6_find(fw->w->tcp, v->peer_ip6) == tw->ent.peer_ip;
	}
	*left_ms = (int32_t)(tw->expire_ms - now);
}

uint64_t
fuzz_worker_timer_count(const struct fuzz_worker *fw)
{
	return tcpd_timer_count(fw->w->tcp->wheel);
}

uint64_t
fuzz_worker_timer_now(const struct fuzz_worker *fw)
{
	return tcpd_timer_now(fw->w->tcp->wheel);
}

/* ---- HTTP request parser ---------------------------------------------------------------- */

struct fuzz_http {
	struct tcpd_config cfg;
	struct tcpd_stats stats;
	struct tcpd_app app;
	struct tcpd_tcb conn;
};

struct fuzz_http *
fuzz_http_create(uint32_t body_size, uint32_t max_requests)
{
	struct fuzz_http *h = rte_zmalloc("fuzz_http", sizeof(*h), RTE_CACHE_LINE_SIZE);

	if (h == NULL)
		die("fuzz_http");
	tcpd_config_defaults(&h->cfg);
	h->cfg.http_body_size = body_size;
	h->cfg.http_max_requests = max_requests;
	h->app.ops = &tcpd_app_http_ops;
	h->app.st = &h->stats;
	if (h->app.ops->init(&h->app, &h->cfg, (int)rte_socket_id()) != 0)
		die("http init");
	fuzz_http_reset(h);
	return h;
}

void
fuzz_http_free(struct fuzz_http *h)
{
	if (h->app.ops->fini != NULL)
		h->app.ops->fini(&h->app);
	rte_free(h);
}

void
fuzz_http_reset(struct fuzz_http *h)
{
	memset(&h->conn, 0, sizeof(h->conn));
	memset(&h->stats, 0, sizeof(h->stats));
	h->conn.state = TCPD_ESTABLISHED;
	h->conn.iss = 0xfffff000u; /* responses cross the sequence wrap */
	h->conn.snd_una = h->conn.iss + 1;
	h->conn.snd_nxt = h->conn.snd_una;
	h->conn.snd_max = h->conn.snd_una;
	h->conn.app_end = h->conn.snd_una;
}

uint32_t
fuzz_http_feed(struct fuzz_http *h, const uint8_t *data, uint32_t len)
{
	int taken = 0;
	uint32_t used = h->app.ops->rx(&h->app, &h->conn, NULL, data, len, len, &taken);

	/* The peer reads and acknowledges every response at once. */
	h->conn.snd_una = h->conn.app_end;
	return used;
}

uint64_t
fuzz_http_requests(const struct fuzz_http *h)
{
	return h->stats.c[TCPD_STAT_http_requests];
}

uint64_t
fuzz_http_continues(const struct fuzz_http *h)
{
	return h->stats.c[TCPD_STAT_http_continue];
}

uint32_t
fuzz_http_resp_bytes(const struct fuzz_http *h)
{
	return h->conn.app_end - (h->conn.iss + 1);
}

void
fuzz_http_fill(const struct fuzz_http *h, uint8_t *dst, uint32_t off, uint32_t n)
{
	h->app.ops->fill(&h->app, &h->conn, dst, h->conn.iss + 1 + off, n);
}

int
fuzz_http_refusal(const struct fuzz_http *h)
{
	static const enum tcpd_stat r[] = {TCPD_STAT_http_bad_content_length,
					   TCPD_STAT_http_bad_transfer_encoding,
					   TCPD_STAT_http_te_and_content_length,
					   TCPD_STAT_http_bad_chunk, TCPD_STAT_http_obs_fold};
	int which = 0;

	for (unsigned int i = 0; i < RTE_DIM(r); i++) {
		if (h->stats.c[r[i]] == 0)
			continue;
		if (which != 0 || h->stats.c[r[i]] != 1)
			return -1;
		which = (int)i + 1;
	}
	return which;
}

bool
fuzz_http_closing(const struct fuzz_http *h)
{
	return (h->conn.tflags & TCPD_TCB_F_FIN) != 0;
}

bool
fuzz_walk_conn(struct fuzz_walk *w, const struct fuzz_conn_view *v, uint32_t i)
{
	if (!v->live) {
		FUZZ_CHECK(!v->armed, "", "free slot %u has an armed timer", i);
		return false;
	}
	w->live++;
	w->armed += v->armed;
	FUZZ_CHECK(v->state > TCPD_CLOSED && v->state < TCPD_STATS_NSTATES, "",
		   "live entry %u in state %u", i, v->state);
	w->per_state[v->state]++;
	FUZZ_CHECK(v->found, "", "entry %u (state %u) not found under its key", i, v->state);
	FUZZ_CHECK((int32_t)(v->snd_nxt - v->snd_una) >= 0 &&
			   (int32_t)(v->snd_max - v->snd_nxt) >= 0,
		   "", "entry %u (state %u): una %u nxt %u max %u", i, v->state, v->snd_una,
		   v->snd_nxt, v->snd_max);
	return true;
}

void
fuzz_walk_check(struct fuzz_worker *fw, const struct fuzz_walk *w)
{
	const struct tcpd_stats *st = fuzz_worker_stats(fw);
	struct tcpd_conn_table *tbl = fuzz_worker_table(fw);

	FUZZ_CHECK(w->live == tcpd_conn_count(tbl), "", "walk %u != table count %u", w->live,
		   tcpd_conn_count(tbl));
	FUZZ_CHECK(w->live == st->c[TCPD_STAT_conn_live], "", "walk %u != conn_live %lu", w->live,
		   (unsigned long)st->c[TCPD_STAT_conn_live]);
	for (unsigned int i = 1; i < TCPD_STATS_NSTATES; i++)
		FUZZ_CHECK(w->per_state[i] == st->state[i], "", "state %u: walk %lu != gauge %lu",
			   i, (unsigned long)w->per_state[i], (unsigned long)st->state[i]);
	FUZZ_CHECK(w->armed == fuzz_worker_timer_count(fw), "",
		   "armed timers %u != wheel count %lu", w->armed,
		   (unsigned long)fuzz_worker_timer_count(fw));
}

struct rte_mbuf *
fuzz_frame_mbuf(const uint8_t *f, unsigned int len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	FUZZ_CHECK(m != NULL, "", "mbuf pool empty: the worker holds %u mbufs",
		   rte_mempool_in_use_count(pool));
	memcpy(rte_pktmbuf_mtod(m, void *), f, len);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	return m;
}
