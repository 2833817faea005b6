/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/load's engine against the server: a bounded load whose counts must match both sides.
 */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>

#include "bench_scen.h"
#include "tcpd_load.h"

void
run_load(struct bench_job *job, struct bench_lcore *lc, unsigned int svc)
{
	const struct bench_opts *o = job->o;
	uint64_t hz = rte_get_tsc_hz(), end, t0;
	struct tcpd_load_shared sh;
	struct tcpd_load *ld = NULL;
	struct srv s, cs;
	struct cyc wire;
	struct bench_meas *m = &lc->meas[0];
	const struct tcpd_load_stats *st;
	char err[160] = "";
	unsigned int r;

	memset(&wire, 0, sizeof(wire));
	wire.lc = lc;
	wire.count_syn = true;
	/* A SYN queue for the whole load: no cookies. A preempted lcore delays SYN-ACKs past the
	 * client's SYN timeout; with cookies (the default 1,024 queue overflows during a catch-up
	 * burst) the SYN sent again can find room and make a SYN-RECEIVED entry with another ISS
	 * than the cookie the client already took, and that entry resets the client's ACK (RFC
	 * 9293 3.10.7.4): a connection lost to the harness's timing, not to the load. Cookies
	 * are the syn-* scenarios' subject. */
	srv_config(&s, o, TCPD_SYNCOOKIES_AUTO, o->load_conns + 4096, o->load_conns + 4096);
	s.cfg.listen[2].port = BENCH_ECHO_PORT;
	s.cfg.listen[2].service = TCPD_SVC_ECHO;
	s.cfg.nb_listen = 3;
	/* The client closes first: its TIME-WAIT holds every connection of the run. */
	cli_config(&cs, o->load_conns + 4096);
	cs.cfg.max_time_wait = o->load_conns + 4096;
	cs.cfg.client.target[0] = (struct tcpd_target){
		.ip = rte_cpu_to_be_32(BENCH_SERVER_IP),
		.port = svc == TCPD_SVC_HTTP ? BENCH_HTTP_PORT : BENCH_ECHO_PORT,
		.app = (uint8_t)svc,
	};
	cs.cfg.client.nb_targets = 1;
	cs.cfg.client.src_ip_first = BENCH_CLIENT_IP0;
	cs.cfg.client.src_ip_last = BENCH_CLIENT_IP0 + 15;
	cs.cfg.client.src_port_first = BENCH_CLIENT_PORT0;
	cs.cfg.client.src_port_last = 65535;
	cs.cfg.client.cps = o->load_conns;
	cs.cfg.client.duration = 1;
	cs.cfg.client.ramp = 0;
	/* No cap below the load: every scheduled launch is made, late or not (a loaded machine
	 * delays polls and the pacer then hands out bursts). */
	cs.cfg.client.concurrency = o->load_conns;
	cs.cfg.client.requests = 2;
	cs.cfg.client.payload = svc == TCPD_SVC_ECHO ? 100 : 0;
	cs.cfg.client.drain = 5;
	cs.cfg.client.arp_timeout = 2;
	bench_barrier(job);
	for (r = 0; r < o->runs; r++)
		lc->meas[r] = (struct bench_meas){0};
	if (cport_init(lc) != 0 || worker_create(lc, &s) != 0 ||
	    (lc->cw = worker_new(lc, &cs, (uint16_t)(lc->cport - 1))) == NULL) {
		lc_note(lc, "%s: set-up failed (rte_errno %llu)", "load", (uint64_t)rte_errno);
		m->failures++;
		goto out;
	}
	tcpd_load_shared_init(&sh, &cs.cfg, hz);
	{
		struct tcpd_load_params lp = {
			.sh = &sh,
			.tcp = lc->cw->tcp,
			.tx = &lc->cw->tx,
			.pool = lc->pool,
			.ifc = &cs.ifc,
			.wstats = &lc->cw->stats,
			.idx = 0,
			.nb = 1,
			.queue = 0,
			.nb_queues = 1,
			.socket_id = lc->socket,
		};

		ld = tcpd_load_create(&lp, err, sizeof(err));
	}
	if (ld == NULL) {
		/* .141: what the note holds after the prefix, as before, but said so -O0 builds
		 * (-Wformat-truncation) accept it. */
		snprintf(lc->note, sizeof(lc->note), "tcpd_load_create: %.141s", err);
		m->failures++;
		goto out;
	}
	lc->cw->load = ld;
	t0 = rte_rdtsc();
	end = t0 + (cs.cfg.client.duration + cs.cfg.client.drain + 10) * hz;
	while (!tcpd_load_done(ld) && rte_rdtsc() < end)
		cyc_round(lc, &wire, NULL, m);
	/* The last ACKs and FINs to the server. */
	while (cyc_round(lc, &wire, NULL, m) != 0 && rte_rdtsc() < end)
		;
	st = tcpd_load_stats(ld);
	m->tsc = rte_rdtsc() - t0;
	m->conns = st->c[TCPD_LOAD_completed];
	m->failures += st->c[TCPD_LOAD_failed] + !tcpd_load_done(ld);
	if (st->c[TCPD_LOAD_refused] || st->c[TCPD_LOAD_attempted] != o->load_conns)
		lc_note(lc, "client: %s %llu launches refused", "load", st->c[TCPD_LOAD_refused]);
	for (r = 0; r < TCPD_LOAD_FAIL_MAX; r++)
		if (st->fail[r])
			lc_note(lc, "client failures: %s %llu", tcpd_load_fail_name(r),
				st->fail[r]);
	lc->chk.sent += m->rx;
	lc->chk.replies += m->tx;
	lc->chk.conns_ok = st->c[TCPD_LOAD_completed];
	lc->chk.conns_failed = st->c[TCPD_LOAD_failed];
	lc->chk.requests = st->c[TCPD_LOAD_responses];
	lc->chk.cli_rx_bytes = st->c[TCPD_LOAD_rx_payload];
	lc->chk.cli_tx_bytes = st->c[TCPD_LOAD_tx_payload];
	lc->chk.srv_requests = wstat(lc, TCPD_STAT_http_requests);
	lc->chk.srv_rx_bytes = wstat(lc, TCPD_STAT_data_rx_bytes);
	lc->chk.srv_tx_bytes = wstat(lc, TCPD_STAT_data_tx_bytes);
	lc->chk.srv_opened = wstat(lc, TCPD_STAT_conn_opened);
	lc->chk.srv_closed = wstat(lc, TCPD_STAT_conn_closed);
	lc->chk.server_open = server_open_gauge(lc);
	recovery_stats(lc, &wire);
	{
		uint64_t zero[TCPD_STAT_MAX] = {0};

		server_bad_check(lc, zero, false, true);
	}
	client_bad_check(lc, true);
out:
	client_free(lc);
	tcpd_load_free(ld);
	worker_free(lc);
	/* Every frame is freed by now (rings flushed, workers and the engine gone): what the
	 * pool still counts in use was leaked. */
	lc->chk.mbufs_left += rte_mempool_in_use_count(lc->pool);
	bench_barrier(job);
}
