/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The load engine of one lcore (tcpd_load.h): next hops by ARP, launches from the pacer, the
 * connection records and their accounting, response timeouts, drain and final abort.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "tcpd_app.h"
#include "tcpd_app_client.h"
#include "tcpd_load.h"

#define ARP_RETRY_MS   200 /* between ARP requests for a next hop */
#define START_DELAY_MS 10  /* from the last ARP answer to t = 0 */
#define SCAN_MS	       50  /* response timeouts are checked this often */
#define LAUNCH_BURST   32  /* launches per poll at most */
#define TUPLE_TRIES    4   /* tuples tried when ours are still in TIME-WAIT */
#define REC_NONE       UINT32_MAX

enum load_phase {
	PH_ARP,
	PH_RUN,
	PH_DRAIN,
	PH_DONE
};

/* Which gauge counts a record. */
enum {
	G_NONE,
	G_SYN,
	G_EST,
	G_CLOSING
};

struct load_target {
	struct tcpd_tuple_chooser *ch;
	struct tcpd_app_client cl; /* the client application's per-lcore state */
	int app;		   /* its index in the TCP context */
	uint32_t ip;		   /* network order */
	uint16_t port;		   /* network order */
	uint8_t nh;
	uint8_t v6; /* an IPv6 target: ip6, from our first IPv6 address */
	uint8_t ip6[16];
};

struct tcpd_load {
	struct tcpd_load_stats st;
	struct tcpd_lat lat[TCPD_LOAD_LAT_MAX];
	struct tcpd_pacer pacer;
	struct tcpd_lat_tsc conv;
	struct tcpd_load_shared *sh;
	struct tcpd_tcp_ctx *tcp;
	struct tcpd_tx *tx;
	struct rte_mempool *pool;
	const struct tcpd_iface *ifc;
	struct tcpd_stats *wst;
	struct load_target tgt[TCPD_MAX_TARGETS];
	struct rte_ether_addr nh_mac[TCPD_MAX_TARGETS];
	unsigned int nb_tgt, next_tgt;
	unsigned int idx, nb;
	uint16_t queue;
	uint16_t nb_queues;
	const uint16_t *reta;
	uint32_t reta_size;
	struct tcpd_client_rec *recs;
	uint32_t nb_recs, free_head, in_use;
	uint64_t hz;
	uint64_t arp_next, arp_deadline;
	uint64_t drain_end, next_scan, resp_to;
	uint32_t phase;
	uint32_t done; /* read by the control thread */
};

static const struct tcpd_client_hooks hooks;

static const char *const cnt_names[] = {
#define N_(n, h) #n,
	TCPD_LOAD_COUNTERS(N_)
#undef N_
};
static const char *const fail_names[] = {
#define N_(n, h) #n,
	TCPD_LOAD_FAILS(N_)
#undef N_
};
static const char *const lat_names[] = {
#define N_(n, h) #n,
	TCPD_LOAD_LATS(N_)
#undef N_
};

const char *
tcpd_load_counter_name(unsigned int i)
{
	return i < TCPD_LOAD_CNT_MAX ? cnt_names[i] : NULL;
}

const char *
tcpd_load_fail_name(unsigned int i)
{
	return i < TCPD_LOAD_FAIL_MAX ? fail_names[i] : NULL;
}

const char *
tcpd_load_lat_name(unsigned int i)
{
	return i < TCPD_LOAD_LAT_MAX ? lat_names[i] : NULL;
}

/* ---- counters: one writer, relaxed stores ---- */
static inline void
cnt_add(struct tcpd_load *ld, enum tcpd_load_counter i, int64_t n)
{
	__atomic_store_n(&ld->st.c[i], ld->st.c[i] + (uint64_t)n, __ATOMIC_RELAXED);
}

static inline void
fail(struct tcpd_load *ld, enum tcpd_load_fail why)
{
	__atomic_store_n(&ld->st.fail[why], ld->st.fail[why] + 1, __ATOMIC_RELAXED);
	cnt_add(ld, TCPD_LOAD_failed, 1);
}

static const enum tcpd_load_counter gauge_cnt[] = {
	[G_SYN] = TCPD_LOAD_conc_syn_sent,
	[G_EST] = TCPD_LOAD_conc_established,
	[G_CLOSING] = TCPD_LOAD_conc_closing,
};

static void
gauge_move(struct tcpd_load *ld, struct tcpd_client_rec *r, unsigned int to)
{
	if (r->gauge != G_NONE)
		cnt_add(ld, gauge_cnt[r->gauge], -1);
	if (to != G_NONE)
		cnt_add(ld, gauge_cnt[to], 1);
	r->gauge = (uint8_t)to;
}

static inline void
lat_rec(struct tcpd_load *ld, enum tcpd_load_lat which, uint64_t now, uint64_t from)
{
	tcpd_lat_record_tsc(&ld->lat[which], &ld->conv, now > from ? now - from : 0);
}

/* ---- records ---- */
static struct tcpd_client_rec *
rec_get(struct tcpd_load *ld)
{
	struct tcpd_client_rec *r;

	if (ld->free_head == REC_NONE)
		return NULL;
	r = &ld->recs[ld->free_head];
	ld->free_head = r->next;
	tcpd_app_client_rec_init(r);
	ld->in_use++;
	return r;
}

static void
rec_put(struct tcpd_load *ld, struct tcpd_client_rec *r)
{
	r->c = NULL;
	r->next = ld->free_head;
	ld->free_head = (uint32_t)(r - ld->recs);
	ld->in_use--;
}

/* ---- the client applications' hooks ---- */
static void
on_event(void *eng, struct tcpd_client_rec *r, enum tcpd_client_event ev)
{
	struct tcpd_load *ld = eng;
	uint64_t now = tcpd_tcp_now_tsc(ld->tcp);

	switch (ev) {
	case TCPD_CLIENT_EV_ESTABLISHED:
		lat_rec(ld, TCPD_LOAD_LAT_connect, now, r->syn_tsc);
		lat_rec(ld, TCPD_LOAD_LAT_connect_sched, now, r->sched_tsc);
		cnt_add(ld, TCPD_LOAD_established, 1);
		cnt_add(ld, TCPD_LOAD_requests, 1);
		gauge_move(ld, r, G_EST);
		/* The first request leaves with the handshake's ACK; scheduled at the launch. */
		r->req_tsc = now;
		r->req_sched = r->sched_tsc;
		r->deadline_tsc = now + ld->resp_to;
		break;
	case TCPD_CLIENT_EV_FIRST_BYTE:
		lat_rec(ld, TCPD_LOAD_LAT_first_byte, now, r->req_tsc);
		lat_rec(ld, TCPD_LOAD_LAT_first_byte_sched, now, r->req_sched);
		break;
	case TCPD_CLIENT_EV_RESPONSE:
		lat_rec(ld, TCPD_LOAD_LAT_response, now, r->req_tsc);
		lat_rec(ld, TCPD_LOAD_LAT_response_sched, now, r->req_sched);
		cnt_add(ld, TCPD_LOAD_responses, 1);
		r->deadline_tsc = UINT64_MAX;
		break;
	case TCPD_CLIENT_EV_REQUEST:
		/* Keep-alive requests go out as soon as the previous response is in. */
		cnt_add(ld, TCPD_LOAD_requests, 1);
		r->req_tsc = r->req_sched = now;
		r->deadline_tsc = now + ld->resp_to;
		break;
	case TCPD_CLIENT_EV_FINISHED:
		gauge_move(ld, r, G_CLOSING);
		r->deadline_tsc = UINT64_MAX;
		break;
	}
}

static enum tcpd_load_fail
fail_reason(const struct tcpd_client_rec *r, enum tcpd_close_reason why)
{
	if (r->flags & TCPD_CLIENT_F_TIMEOUT)
		return TCPD_LOAD_FAIL_response_timeout;
	if (r->flags & TCPD_CLIENT_F_DRAINED)
		return TCPD_LOAD_FAIL_aborted;
	if (r->flags & TCPD_CLIENT_F_BAD)
		return TCPD_LOAD_FAIL_bad_response;
	switch (why) {
	case TCPD_CLOSE_REFUSED:
		return TCPD_LOAD_FAIL_syn_rst;
	case TCPD_CLOSE_SYN_TIMEOUT:
		return TCPD_LOAD_FAIL_syn_timeout;
	case TCPD_CLOSE_TIMEOUT:
	case TCPD_CLOSE_IDLE:
		return TCPD_LOAD_FAIL_est_timeout;
	case TCPD_CLOSE_ABORT:
		return TCPD_LOAD_FAIL_aborted;
	case TCPD_CLOSE_NORMAL:
		/* The peer closed before the last response. */
		return TCPD_LOAD_FAIL_bad_response;
	default:
		return TCPD_LOAD_FAIL_est_rst;
	}
}

static void
on_free(void *eng, struct tcpd_client_rec *r, enum tcpd_close_reason why)
{
	struct tcpd_load *ld = eng;
	struct load_target *t = &ld->tgt[r->target];
	struct tcpd_tuple tu = {.local_ip = r->tuple_ip, .local_port = r->tuple_port};

	if (why == TCPD_CLOSE_NORMAL && (r->flags & TCPD_CLIENT_F_FINISHED) &&
	    !(r->flags & (TCPD_CLIENT_F_BAD | TCPD_CLIENT_F_TIMEOUT | TCPD_CLIENT_F_DRAINED)))
		cnt_add(ld, TCPD_LOAD_completed, 1);
	else
		fail(ld, fail_reason(r, why));
	cnt_add(ld, TCPD_LOAD_rx_payload, r->rx_total);
	cnt_add(ld, TCPD_LOAD_tx_payload, r->tx_acked);
	gauge_move(ld, r, G_NONE);
	/* The tuple goes to the back of the FIFO; if our TIME-WAIT still holds it when it comes
	 * round again, tcpd_tcp_connect takes it over (timestamps) or says EADDRINUSE. */
	tcpd_tuple_put(t->ch, &tu);
	rec_put(ld, r);
}

static const struct tcpd_client_hooks hooks = {
	.event = on_event,
	.free = on_free,
};

/* ---- shared: next hops ---- */
void
tcpd_load_shared_init(struct tcpd_load_shared *sh, const struct tcpd_config *cfg, uint64_t hz)
{
	const struct tcpd_client_config *cc = &cfg->client;
	uint32_t i, k;

	memset(sh, 0, sizeof(*sh));
	sh->cfg = cfg;
	sh->hz = hz;
	for (i = 0; i < cc->nb_targets; i++) {
		const struct tcpd_target *t = &cc->target[i];
		uint32_t ip = cc->gateway != 0 ? cc->gateway : t->ip;
		/* An IPv6 target on our prefix is its own next hop, one off it goes through the
		 * IPv6 gateway (tcpd_config_client_check made sure there is one). */
		const uint8_t *ip6 = tcpd_net_ip6_same_prefix(t->ip6, cfg->ip6, cfg->ip6_prefix_len)
					     ? t->ip6
					     : cc->gateway6;

		for (k = 0; k < sh->nb_nh; k++)
			if (t->v6 ? sh->nh[k].v6 && memcmp(sh->nh[k].ip6, ip6, 16) == 0
				  : !sh->nh[k].v6 && sh->nh[k].ip == ip)
				break;
		if (k == sh->nb_nh) {
			sh->nh[k].v6 = t->v6;
			if (t->v6)
				memcpy(sh->nh[k].ip6, ip6, 16);
			else
				sh->nh[k].ip = ip;
			sh->nb_nh++;
		}
		sh->target_nh[i] = (uint8_t)k;
	}
}

void
tcpd_load_arp_reply(struct tcpd_load *ld, uint32_t sip, const struct rte_ether_addr *mac)
{
	struct tcpd_load_shared *sh = ld->sh;
	uint32_t k;

	for (k = 0; k < sh->nb_nh; k++) {
		if (sh->nh[k].v6 || sh->nh[k].ip != sip ||
		    __atomic_load_n(&sh->nh[k].ready, __ATOMIC_ACQUIRE))
			continue;
		sh->nh[k].mac = *mac;
		__atomic_store_n(&sh->nh[k].ready, 1, __ATOMIC_RELEASE);
	}
}

void
tcpd_load_nd_reply(struct tcpd_load *ld, const uint8_t *target, const struct rte_ether_addr *mac)
{
	struct tcpd_load_shared *sh = ld->sh;
	uint32_t k;

	for (k = 0; k < sh->nb_nh; k++) {
		if (!sh->nh[k].v6 || memcmp(sh->nh[k].ip6, target, 16) != 0 ||
		    __atomic_load_n(&sh->nh[k].ready, __ATOMIC_ACQUIRE))
			continue;
		sh->nh[k].mac = *mac;
		__atomic_store_n(&sh->nh[k].ready, 1, __ATOMIC_RELEASE);
	}
}

/* A neighbour solicitation for an IPv6 next hop (RFC 4861 7.2.2), from our first address. */
static void
nd_send(struct tcpd_load *ld, const uint8_t *target)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(ld->pool);

	if (m == NULL) {
		tcpd_stats_inc(ld->wst, TCPD_STAT_drop_nombuf);
		return;
	}
	tcpd_stats_inc(ld->wst, TCPD_STAT_nd_ns_tx);
	tcpd_tx_queue(ld->tx, m, tcpd_net_nd_ns(rte_pktmbuf_mtod(m, void *), ld->ifc, 0, target));
}

static void
arp_send(struct tcpd_load *ld, uint32_t ip)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(ld->pool);

	if (m == NULL) {
		tcpd_stats_inc(ld->wst, TCPD_STAT_drop_nombuf);
		return;
	}
	tcpd_stats_inc(ld->wst, TCPD_STAT_arp_tx);
	tcpd_tx_queue(ld->tx, m, tcpd_net_arp_request(rte_pktmbuf_mtod(m, void *), ld->ifc, ip));
}

/* Start the schedule at the shared t = 0, lcore idx of nb a fraction of an interval later. */
static void
run_start(struct tcpd_load *ld, uint64_t start)
{
	const struct tcpd_client_config *cc = &ld->sh->cfg->client;
	uint64_t rate = tcpd_pacer_split(cc->cps, ld->nb, ld->idx);
	struct tcpd_pacer_conf pc = {
		.rate = rate,
		.hz = ld->hz,
		.start_tsc =
			start + (cc->cps ? ld->idx * ld->hz / ((uint64_t)ld->nb * cc->cps) : 0),
		.ramp_tsc = (uint64_t)cc->ramp * ld->hz,
		.duration_tsc = (uint64_t)cc->duration * ld->hz,
		.burst_max = LAUNCH_BURST,
	};
	unsigned int i;

	for (i = 0; i < ld->nb_tgt; i++)
		ld->nh_mac[i] = ld->sh->nh[ld->tgt[i].nh].mac;
	tcpd_pacer_init(&ld->pacer, &pc);
	ld->next_scan = start;
	/* Release: the control thread reads the pacer's schedule once it sees PH_RUN. */
	__atomic_store_n(&ld->phase, PH_RUN, __ATOMIC_RELEASE);
}

static void
arp_poll(struct tcpd_load *ld, uint64_t now)
{
	struct tcpd_load_shared *sh = ld->sh;
	uint64_t start = __atomic_load_n(&sh->start_tsc, __ATOMIC_ACQUIRE);
	uint32_t k, missing = 0;

	if (start != 0) {
		run_start(ld, start);
		return;
	}
	if (__atomic_load_n(&sh->arp_failed, __ATOMIC_ACQUIRE)) {
		ld->phase = PH_DONE;
		__atomic_store_n(&ld->done, 1, __ATOMIC_RELEASE);
		return;
	}
	if (ld->idx != 0)
		return; /* lcore 0 asks and decides */
	if (ld->arp_deadline == 0)
		ld->arp_deadline = now + (uint64_t)sh->cfg->client.arp_timeout * ld->hz;
	for (k = 0; k < sh->nb_nh; k++) {
		if (__atomic_load_n(&sh->nh[k].ready, __ATOMIC_ACQUIRE))
			continue;
		if (missing == 0)
			missing = k + 1;
		if (now >= ld->arp_next && sh->nh[k].v6)
			nd_send(ld, sh->nh[k].ip6);
		else if (now >= ld->arp_next)
			arp_send(ld, sh->nh[k].ip);
	}
	if (missing == 0) {
		__atomic_store_n(&sh->start_tsc, now + START_DELAY_MS * ld->hz / 1000,
				 __ATOMIC_RELEASE);
		return;
	}
	if (now >= ld->arp_next)
		ld->arp_next = now + ARP_RETRY_MS * ld->hz / 1000;
	if (now >= ld->arp_deadline)
		__atomic_store_n(&sh->arp_failed, missing, __ATOMIC_RELEASE);
}

/* ---- launches ---- */
static void
refuse(struct tcpd_load *ld, enum tcpd_load_fail why)
{
	tcpd_pacer_refuse(&ld->pacer, 1);
	cnt_add(ld, TCPD_LOAD_refused, 1);
	fail(ld, why);
}

static void
launch(struct tcpd_load *ld, uint64_t sched, uint64_t now)
{
	unsigned int ti = ld->next_tgt;
	struct load_target *t = &ld->tgt[ti];
	struct tcpd_client_rec *r;
	struct tcpd_tcb *c = NULL;
	struct tcpd_tuple tu;
	unsigned int tries;

	if (++ld->next_tgt == ld->nb_tgt)
		ld->next_tgt = 0;
	if (ld->in_use >= ld->nb_recs) {
		tcpd_pacer_refuse(&ld->pacer, 1);
		cnt_add(ld, TCPD_LOAD_refused, 1);
		cnt_add(ld, TCPD_LOAD_refused_cap, 1);
		return;
	}
	for (tries = 0; tries < TUPLE_TRIES; tries++) {
		struct tcpd_conn_key key;

		if (tcpd_tuple_get(t->ch, &tu) < 0) {
			refuse(ld, TCPD_LOAD_FAIL_no_tuple);
			return;
		}
		key = (struct tcpd_conn_key){
			.peer_ip = t->ip,
			.local_ip = tu.local_ip,
			.peer_port = t->port,
			.local_port = tu.local_port,
		};
		/* IPv6: the chooser's "address" is our address's local id (its index + 1) */
		if (t->v6)
			c = tcpd_tcp_connect6(ld->tcp, t->ip6, rte_be_to_cpu_32(tu.local_ip) - 1,
					      t->port, tu.local_port, (unsigned int)t->app,
					      &ld->nh_mac[ti]);
		else
			c = tcpd_tcp_connect(ld->tcp, &key, (unsigned int)t->app, &ld->nh_mac[ti]);
		if (c != NULL)
			break;
		tcpd_tuple_put(t->ch, &tu);
		if (rte_errno != EADDRINUSE) {
			refuse(ld, rte_errno == ENOSPC ? TCPD_LOAD_FAIL_table_full
						       : TCPD_LOAD_FAIL_no_mbuf);
			return;
		}
		cnt_add(ld, TCPD_LOAD_tuple_busy, 1);
	}
	if (c == NULL) {
		refuse(ld, TCPD_LOAD_FAIL_no_tuple);
		return;
	}
	r = rec_get(ld);
	r->c = c;
	r->sched_tsc = sched;
	r->syn_tsc = now;
	r->target = (uint8_t)ti;
	r->tuple_ip = tu.local_ip;
	r->tuple_port = tu.local_port;
	c->app_ptr = r;
	cnt_add(ld, TCPD_LOAD_attempted, 1);
	gauge_move(ld, r, G_SYN);
}

static void
abort_rec(struct tcpd_load *ld, struct tcpd_client_rec *r, uint8_t flag)
{
	r->flags |= flag;
	tcpd_tcp_abort(ld->tcp, r->c);
}

static void
scan_timeouts(struct tcpd_load *ld, uint64_t now)
{
	uint32_t i;

	for (i = 0; i < ld->nb_recs; i++) {
		struct tcpd_client_rec *r = &ld->recs[i];

		if (r->c != NULL && r->deadline_tsc <= now)
			abort_rec(ld, r, TCPD_CLIENT_F_TIMEOUT);
	}
}

static void
finish(struct tcpd_load *ld)
{
	uint32_t i;

	for (i = 0; i < ld->nb_recs; i++)
		if (ld->recs[i].c != NULL)
			abort_rec(ld, &ld->recs[i], TCPD_CLIENT_F_DRAINED);
	ld->phase = PH_DONE;
	__atomic_store_n(&ld->done, 1, __ATOMIC_RELEASE);
}

void
tcpd_load_poll(struct tcpd_load *ld, uint64_t now)
{
	uint64_t sched[LAUNCH_BURST];
	unsigned int n, i;

	switch (ld->phase) {
	case PH_ARP:
		arp_poll(ld, now);
		return;
	case PH_RUN: {
		uint64_t late0 = ld->pacer.late;

		n = tcpd_pacer_poll(&ld->pacer, now, sched, LAUNCH_BURST);
		if (n != 0) {
			cnt_add(ld, TCPD_LOAD_scheduled, n);
			cnt_add(ld, TCPD_LOAD_late, (int64_t)(ld->pacer.late - late0));
			for (i = 0; i < n; i++)
				launch(ld, sched[i], now);
		}
		if (tcpd_pacer_done(&ld->pacer)) {
			ld->phase = PH_DRAIN;
			ld->drain_end = now + (uint64_t)ld->sh->cfg->client.drain * ld->hz;
		}
		break;
	}
	case PH_DRAIN:
		if (ld->in_use == 0 || now >= ld->drain_end) {
			finish(ld);
			return;
		}
		break;
	default:
		return;
	}
	if (now >= ld->next_scan) {
		ld->next_scan = now + SCAN_MS * ld->hz / 1000;
		scan_timeouts(ld, now);
	}
}

void
tcpd_load_rss_check(struct tcpd_load *ld, uint32_t hash)
{
	if (ld->reta_size != 0 && tcpd_tuple_reta_queue(ld->reta, ld->reta_size, hash) != ld->queue)
		cnt_add(ld, TCPD_LOAD_misrouted, 1);
}

int
tcpd_load_done(const struct tcpd_load *ld)
{
	return __atomic_load_n(&ld->done, __ATOMIC_ACQUIRE) != 0;
}

const struct tcpd_load_stats *
tcpd_load_stats(const struct tcpd_load *ld)
{
	return &ld->st;
}

const struct tcpd_lat *
tcpd_load_lat(const struct tcpd_load *ld, unsigned int which)
{
	return which < TCPD_LOAD_LAT_MAX ? &ld->lat[which] : NULL;
}

uint64_t
tcpd_load_due_by(const struct tcpd_load *ld, uint64_t tsc)
{
	if (__atomic_load_n(&ld->phase, __ATOMIC_ACQUIRE) == PH_ARP)
		return 0;
	return tcpd_pacer_due_by(&ld->pacer, tsc);
}

/* ---- set-up ---- */

_Static_assert(TCPD_SRC_IP6_MAX == TCPD_NET_IP6_RANGE_MAX &&
		       TCPD_NET_IP6_RANGE_MAX <= TCPD_TUPLE_MAX_IPS,
	       "an IPv6 --src-ip range must fit lib/net's range and the tuple chooser");

/*
 * The source tuples of an IPv6 target: our first IPv6 address (its local id, 1, stands for it),
 * or --src-ip's IPv6 range (the local ids of its addresses), and --src-ports. The chooser hashes
 * the real addresses (its IPv6 RSS model), so the tuples split over queues as IPv4's do.
 */
static void
target6_tuples(const struct tcpd_load_params *p, const struct tcpd_target *tg,
	       struct tcpd_tuple_conf *tc, char *ip)
{
	const struct tcpd_config *cfg = p->sh->cfg;

	ip[0] = '[';
	inet_ntop(AF_INET6, tg->ip6, ip + 1, INET6_ADDRSTRLEN);
	strcat(ip, "]");
	/* --src-ip's IPv6 range: local ids TCPD_NET_MAX_IP6 + 1 + offset (tcpd_net_ip6_ours) */
	if (cfg->client.src_ip6_n != 0) {
		tc->src_ip_first = TCPD_NET_MAX_IP6 + 1;
		tc->src_ip_last = TCPD_NET_MAX_IP6 + cfg->client.src_ip6_n;
		tc->src_ip6_first = cfg->client.src_ip6;
	} else {
		tc->src_ip_first = tc->src_ip_last = 1;
		tc->src_ip6_first = cfg->ip6;
	}
	tc->dst_ip = 0;
	tc->dst_ip6 = tg->ip6;
}

static int
target_init(struct tcpd_load *ld, const struct tcpd_load_params *p, unsigned int i, char *err,
	    size_t errlen)
{
	const struct tcpd_config *cfg = p->sh->cfg;
	const struct tcpd_client_config *cc = &cfg->client;
	const struct tcpd_target *tg = &cc->target[i];
	struct load_target *t = &ld->tgt[i];
	char host[INET6_ADDRSTRLEN + 8], ip[INET6_ADDRSTRLEN + 2];
	struct tcpd_tuple_conf tc = {
		.dst_ip = ntohl(tg->ip),
		.dst_port = tg->port,
		.src_port_first = cc->src_port_first,
		.src_port_last = cc->src_port_last,
		.queue = p->queue,
		.src_ip_first = cc->src_ip_first ? cc->src_ip_first : ntohl(cfg->ip),
		.src_ip_last = cc->src_ip_first ? cc->src_ip_last : ntohl(cfg->ip),
		.rss_key = p->rss_key,
		.rss_key_len = p->rss_key_len,
		.reta = p->reta,
		.nb_queues = p->nb_queues,
	};
	int rc;

	inet_ntop(AF_INET, &tg->ip, ip, sizeof(ip));
	tc.reta_size = p->rss_key != NULL ? p->reta_size : 0;
	if (tg->v6)
		target6_tuples(p, tg, &tc, ip);
	t->ch = tcpd_tuple_create(&tc);
	if (t->ch == NULL) {
		snprintf(err, errlen, "--connect %s:%u: no source tuple chooser for queue %u: %s",
			 ip, tg->port, p->queue, strerror(errno));
		return -1;
	}
	printf("client lcore %u (queue %u): %u source tuples for %s:%u (%s)\n", p->idx, p->queue,
	       tcpd_tuple_owned(t->ch), ip, tg->port,
	       p->rss_key != NULL ? "replies on this queue by RSS" : "no RSS");
	if (tcpd_tuple_owned(t->ch) < ld->nb_recs)
		printf("dpdk-tcpd: WARNING: lcore %u owns %u source tuples for %s:%u, fewer than "
		       "its "
		       "concurrency share %u: launches will fail with no_tuple\n",
		       p->idx, tcpd_tuple_owned(t->ch), ip, tg->port, ld->nb_recs);
	t->ip = tg->ip;
	t->v6 = tg->v6;
	memcpy(t->ip6, tg->ip6, 16);
	t->port = htons(tg->port);
	t->nh = p->sh->target_nh[i];
	t->cl.hooks = &hooks;
	t->cl.eng = ld;
	t->cl.requests = cc->requests;
	t->cl.payload = cc->payload;
	t->cl.expect_body = UINT32_MAX;
	snprintf(host, sizeof(host), "%s:%u", ip, tg->port);
	if (tg->app == TCPD_SVC_HTTP && tcpd_app_client_http_init(&t->cl, host, "/") < 0) {
		snprintf(err, errlen, "--connect %s: request too long", host);
		return -1;
	}
	rc = tcpd_tcp_app_add(p->tcp, tcpd_app_client_ops(tg->app), &t->cl);
	if (rc < 0) {
		snprintf(err, errlen, "--connect %s: too many applications on one lcore", host);
		return -1;
	}
	t->app = rc;
	return 0;
}

struct tcpd_load *
tcpd_load_create(const struct tcpd_load_params *p, char *err, size_t errlen)
{
	const struct tcpd_client_config *cc = &p->sh->cfg->client;
	struct tcpd_load *ld;
	uint32_t i;

	ld = rte_zmalloc_socket("tcpd_load", sizeof(*ld), RTE_CACHE_LINE_SIZE, p->socket_id);
	if (ld == NULL) {
		snprintf(err, errlen, "no memory for the load engine");
		rte_errno = ENOMEM;
		return NULL;
	}
	ld->sh = p->sh;
	ld->tcp = p->tcp;
	ld->tx = p->tx;
	ld->pool = p->pool;
	ld->ifc = p->ifc;
	ld->wst = p->wstats;
	ld->idx = p->idx;
	ld->nb = p->nb;
	ld->queue = p->queue;
	ld->nb_queues = p->nb_queues;
	ld->reta = p->reta;
	ld->reta_size = p->rss_key != NULL ? p->reta_size : 0;
	ld->hz = p->sh->hz;
	ld->resp_to = (uint64_t)cc->response_timeout * ld->hz;
	ld->nb_tgt = cc->nb_targets;
	for (i = 0; i < TCPD_LOAD_LAT_MAX; i++)
		tcpd_lat_reset(&ld->lat[i]);
	tcpd_lat_tsc_init(&ld->conv, ld->hz);
	ld->nb_recs = (uint32_t)tcpd_pacer_split(cc->concurrency, p->nb, p->idx);
	if (ld->nb_recs == 0)
		ld->nb_recs = 1;
	ld->recs = rte_zmalloc_socket("tcpd_load_recs", sizeof(*ld->recs) * ld->nb_recs,
				      RTE_CACHE_LINE_SIZE, p->socket_id);
	if (ld->recs == NULL) {
		snprintf(err, errlen, "no memory for %u connection records", ld->nb_recs);
		goto fail;
	}
	for (i = 0; i < ld->nb_recs; i++)
		ld->recs[i].next = i + 1 < ld->nb_recs ? i + 1 : REC_NONE;
	ld->free_head = 0;
	for (i = 0; i < ld->nb_tgt; i++)
		if (target_init(ld, p, i, err, errlen) < 0)
			goto fail;
	ld->phase = PH_ARP;
	return ld;
fail:
	tcpd_load_free(ld);
	rte_errno = EINVAL;
	return NULL;
}

void
tcpd_load_free(struct tcpd_load *ld)
{
	unsigned int i;

	if (ld == NULL)
		return;
	for (i = 0; i < TCPD_MAX_TARGETS; i++)
		tcpd_tuple_free(ld->tgt[i].ch);
	rte_free(ld->recs);
	rte_free(ld);
}
