/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers every scenario but the baseline runs: the server's and the library client's
 * configurations, their creation on the lcore's net_ring ports, and the counters that must not
 * move in a clean run (drops, RSTs, retransmissions...), named in the lcore's note.
 */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>

#include "bench_scen.h"

void
lc_note(struct bench_lcore *lc, const char *fmt, const char *what, uint64_t v)
{
	if (lc->note[0] == '\0')
		snprintf(lc->note, sizeof(lc->note), fmt, what, (unsigned long long)v);
}

static volatile bool bench_quit;
static unsigned int ctx_seq;
const struct tcpd_cookie_store *bench_cookies;

void
srv_config(struct srv *s, const struct bench_opts *o, enum tcpd_syncookies mode, uint32_t max_conns,
	   uint32_t synq_limit)
{
	memset(s, 0, sizeof(*s));
	tcpd_config_defaults(&s->cfg);
	s->cfg.ip = rte_cpu_to_be_32(BENCH_SERVER_IP);
	s->cfg.prefix_len = 15;
	s->cfg.mtu = 1500;
	s->cfg.listen[0].port = BENCH_HTTP_PORT;
	s->cfg.listen[0].service = TCPD_SVC_HTTP;
	s->cfg.listen[1].port = BENCH_DISCARD_PORT;
	s->cfg.listen[1].service = TCPD_SVC_DISCARD;
	s->cfg.nb_listen = 2;
	s->cfg.syncookies = mode;
	s->cfg.max_conns = max_conns;
	if (synq_limit)
		s->cfg.synq_limit = synq_limit;
	s->cfg.idle_timeout = 0;
	s->cfg.http_body_size = o->http_body;
	s->cfg.syn_shed = o->syn_shed;
	s->cfg.last_ack_shed = o->last_ack_shed;
	s->ifc.mac = bench_server_mac;
	s->ifc.ip = s->cfg.ip;
	s->ifc.mtu = s->cfg.mtu;
	s->ifc.tx_ip_cksum = bench_offload;
	s->ifc.tx_tcp_cksum = bench_offload;
}

/* The server's IPv6 address, for the syn6-* scenarios. */
void
srv_config6(struct srv *s)
{
	memcpy(s->cfg.ip6, bench_server_ip6, 16);
	s->cfg.ip6_prefix_len = 64;
	memcpy(s->ifc.ip6[0].addr, bench_server_ip6, 16);
	s->ifc.ip6[0].prefix_len = 64;
	s->ifc.nb_ip6 = 1;
}

/* A worker on @p port of this lcore (the server's, or the client's of the cycle scenarios). */
struct tcpd_worker *
worker_new(struct bench_lcore *lc, struct srv *s, uint16_t port)
{
	struct tcpd_worker_params p = {
		.cfg = &s->cfg,
		.ifc = &s->ifc,
		.cookies = bench_cookies,
		.pool = lc->pool,
		.lcore_id = lc->lcore_id,
		.port_id = port,
		.queue_id = 0,
		.socket_id = lc->socket,
		.quit = &bench_quit,
	};
	struct tcpd_worker *w;
	char name[16];

	/* A name per run: the previous run's table may still exist (rte_hash names are global). */
	snprintf(name, sizeof(name), "bt%u_%u", lc->idx,
		 __atomic_fetch_add(&ctx_seq, 1, __ATOMIC_RELAXED));
	p.name = name;
	w = tcpd_worker_create(&p);
	if (w == NULL) {
		if (lc->note[0] == '\0')
			snprintf(lc->note, sizeof(lc->note),
				 "tcpd_worker_create(max_conns %u) failed: %s (a larger -m?)",
				 s->cfg.max_conns, rte_strerror(rte_errno));
	}
	return w;
}

int
worker_create(struct bench_lcore *lc, struct srv *s)
{
	lc->w = worker_new(lc, s, lc->port_id);
	return lc->w != NULL ? 0 : -1;
}

void
worker_free(struct bench_lcore *lc)
{
	if (lc->w == NULL)
		return;
	lc->chk.tx_drop += tcpd_stats_read(&lc->w->stats, TCPD_STAT_tx_drop);
	tcpd_worker_free(lc->w);
	lc->w = NULL;
	bench_lcore_flush(lc);
}

/* Server counters that must not move in a clean run: every drop reason, RSTs, challenge ACKs,
 * retransmissions and timeouts. Chosen by name so that counters added later are included. */
static bool
stat_is_bad(enum tcpd_stat i, bool auto_full)
{
	static const char *const bad[] = {"drop_",
					  "rst_",
					  "challenge_ack",
					  "cookie_bad",
					  "cookie_expired",
					  "no_listener",
					  "retransmit",
					  "rto_timeout",
					  "syn_rcvd_timeout",
					  "dupack_ooo",
					  "fin_wait2_timeout",
					  "idle_timeout",
					  "syn_retransmit",
					  "table_full",
					  "tx_drop"};
	const char *name = tcpd_stats_name(i);
	unsigned int k;

	if (name == NULL)
		return false;
	/* A full table of half-open entries retransmits their SYN-ACKs and refuses what
	 * does not fit: that is the scenario. */
	if (auto_full && (strcmp(name, "retransmit") == 0 || strcmp(name, "table_full") == 0))
		return false;
	for (k = 0; k < RTE_DIM(bad); k++)
		if (strncmp(name, bad[k], strlen(bad[k])) == 0)
			return true;
	return false;
}

void
server_bad_snapshot(struct bench_lcore *lc, uint64_t *v)
{
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++)
		v[i] = tcpd_stats_read(&lc->w->stats, (enum tcpd_stat)i);
}

/* Add what moved since @p v among the bad counters; name the first in the note. */
void
server_bad_check(struct bench_lcore *lc, const uint64_t *v, bool auto_full)
{
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++) {
		uint64_t d = tcpd_stats_read(&lc->w->stats, (enum tcpd_stat)i) - v[i];

		if (d && stat_is_bad((enum tcpd_stat)i, auto_full)) {
			lc->chk.server_drops += d;
			lc_note(lc, "server counter %s moved by %llu", tcpd_stats_name(i), d);
		}
	}
}

/* The client worker's net_ring port, made on first use and kept for every later scenario. */
int
cport_init(struct bench_lcore *lc)
{
	struct rte_eth_conf conf;
	char name[RTE_RING_NAMESIZE];
	int port;

	if (lc->cport)
		return 0;
	snprintf(name, sizeof(name), "bench_crx%u", lc->idx);
	lc->crxr = rte_ring_create(name, 4096, lc->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "bench_ctx%u", lc->idx);
	lc->ctxr = rte_ring_create(name, 4096, lc->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (lc->crxr == NULL || lc->ctxr == NULL)
		return -1;
	snprintf(name, sizeof(name), "net_benchc%u", lc->idx);
	port = rte_eth_from_rings(name, &lc->crxr, 1, &lc->ctxr, 1, (unsigned int)lc->socket);
	if (port < 0)
		return -1;
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure((uint16_t)port, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup((uint16_t)port, 0, 1024, (unsigned int)lc->socket, NULL,
				   lc->pool) < 0 ||
	    rte_eth_tx_queue_setup((uint16_t)port, 0, 1024, (unsigned int)lc->socket, NULL) < 0 ||
	    rte_eth_dev_start((uint16_t)port) < 0)
		return -1;
	lc->cport = port + 1;
	return 0;
}

static void
cport_flush(struct bench_lcore *lc)
{
	struct rte_mbuf *m[64];
	unsigned int n;

	while (lc->crxr && (n = rte_ring_dequeue_burst(lc->crxr, (void **)m, 64, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
	while (lc->ctxr && (n = rte_ring_dequeue_burst(lc->ctxr, (void **)m, 64, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
}

/* The client's configuration: the bench's client addresses are its own, no listener. */
void
cli_config(struct srv *s, uint32_t max_conns)
{
	memset(s, 0, sizeof(*s));
	tcpd_config_defaults(&s->cfg);
	s->cfg.ip = rte_cpu_to_be_32(BENCH_CLIENT_IP0);
	s->cfg.prefix_len = 15;
	s->cfg.mtu = 1500;
	s->cfg.nb_listen = 0;
	s->cfg.max_conns = max_conns;
	s->cfg.idle_timeout = 0;
	s->ifc.mac = bench_client_mac;
	s->ifc.ip = s->cfg.ip;
	s->ifc.mtu = s->cfg.mtu;
	s->ifc.tx_ip_cksum = bench_offload;
	s->ifc.tx_tcp_cksum = bench_offload;
	s->ifc.extra_ip_first = BENCH_CLIENT_IP0;
	s->ifc.extra_ip_last = RTE_IPV4(198u, 19, 255, 254);
}

void
cli_config6(struct srv *s)
{
	uint8_t first[16];
	uint32_t lo = rte_cpu_to_be_32(BENCH_CLIENT_IP0);

	memcpy(s->cfg.ip6, bench_client_net6, 16);
	s->cfg.ip6[15] = 1;
	s->cfg.ip6_prefix_len = 64;
	memcpy(s->ifc.ip6[0].addr, s->cfg.ip6, 16);
	s->ifc.ip6[0].prefix_len = 64;
	s->ifc.nb_ip6 = 1;
	memcpy(first, bench_client_net6, 12);
	memcpy(first + 12, &lo, 4);
	tcpd_iface_set_range6(&s->ifc, first, BENCH_CYCLE6_RANGE);
}

void
client_free(struct bench_lcore *lc)
{
	if (lc->cw == NULL)
		return;
	lc->chk.tx_drop += tcpd_stats_read(&lc->cw->stats, TCPD_STAT_tx_drop);
	tcpd_worker_free(lc->cw);
	lc->cw = NULL;
	cport_flush(lc);
}

/* Client counters that must not move in a clean run (the server's list). */
void
client_bad_check(struct bench_lcore *lc)
{
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++) {
		uint64_t d = tcpd_stats_read(&lc->cw->stats, (enum tcpd_stat)i);

		if (d && stat_is_bad((enum tcpd_stat)i, false)) {
			lc->chk.client_bad += d;
			lc_note(lc, "client counter %s moved by %llu", tcpd_stats_name(i), d);
		}
	}
}

uint64_t
server_open_gauge(struct bench_lcore *lc)
{
	const struct tcpd_stats *s = &lc->w->stats;

	return s->state[TCPD_SYN_RECEIVED] + s->state[TCPD_ESTABLISHED] +
	       s->state[TCPD_FIN_WAIT_1] + s->state[TCPD_FIN_WAIT_2] + s->state[TCPD_CLOSE_WAIT] +
	       s->state[TCPD_CLOSING] + s->state[TCPD_LAST_ACK];
}
