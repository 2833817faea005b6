/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Overload: a dperf-like client at 1x, 2x, 5x the server's capacity (issue 13 item 2).
 *
 * The client behaves as dperf's: it closes first after one keep-alive request, keeps no
 * TIME-WAIT (time_wait 0) and silently drops the server's retransmitted FINs (the wire drops
 * a server FIN for a tuple whose client connection is gone). The server's RX ring drops what
 * does not fit, as a NIC's. Both workers share one core and the client costs more than the
 * server, so the offered rate is paced in the server's time: each round adds the server
 * worker's cycles times the offered rate to the launch budget. Capacity is the closed-loop
 * rate of the same server in the same terms, measured first; goodput is completed connections
 * per second of server worker time. Timers (RTO, SYN retries) run on the wall clock.
 */
#include <string.h>

#include <rte_errno.h>

#include "bench_scen.h"

static const char http_req_ka[] = "GET / HTTP/1.1\r\nHost: 198.18.0.1\r\n\r\n";

/* The wire of the overload runs: the server's RX ring drops what it has no room for; a server
 * FIN for a client connection already gone is dropped (dperf keeps no TIME-WAIT). */
static unsigned int
ol_wire(struct cyc *c, struct rte_ring *from, struct rte_ring *to, bool to_server)
{
	const uint64_t rxfl =
		bench_offload ? RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD : 0;
	struct rte_mbuf *b[64], *ok[64];
	unsigned int n, i, k, moved = 0, sent;

	while ((n = rte_ring_sc_dequeue_burst(from, (void **)b, 64, NULL)) > 0) {
		for (i = k = 0; i < n; i++) {
			struct rte_mbuf *m = b[i];
			uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
			bool tcp = m->data_len >= OFF_TCP + 20 && f[12] == 0x08 && f[13] == 0x00 &&
				   f[OFF_IP + 9] == IPPROTO_TCP;

			if (tcp && bench_offload && !nic_tx_cksum(f, m->data_len)) {
				wire_bad(c, "TX checksum offload contract broken", 0);
				rte_pktmbuf_free(m);
				continue;
			}
			if (tcp && !to_server && (f[OFF_FLAGS] & TH_FIN)) {
				uint32_t dip, n2;
				uint16_t dport;

				memcpy(&dip, f + OFF_IP + 16, 4);
				memcpy(&dport, f + OFF_TCP + 2, 2);
				n2 = bench_tuple_n(dip, dport);
				if (n2 != UINT32_MAX && SLOT(n2) < c->nslots &&
				    (c->slot[SLOT(n2)].n != n2 || c->rec[SLOT(n2)].c == NULL)) {
					c->lc->chk.fin_dropped++;
					rte_pktmbuf_free(m);
					continue;
				}
			}
			m->ol_flags = rxfl;
			m->packet_type = 0;
			ok[k++] = m;
		}
		sent = k ? rte_ring_sp_enqueue_burst(to, (void **)ok, k, NULL) : 0;
		if (sent < k) {
			if (to_server)
				c->lc->chk.wire_drops += k - sent;
			else
				c->lc->chk.wire_drops_cli += k - sent;
			rte_pktmbuf_free_bulk(&ok[sent], k - sent);
		}
		moved += sent;
	}
	return moved;
}

/*
 * Offer load for @p secs of wall time at @p per_cyc connections per server cycle, then let what
 * is open finish for up to 3 s; what is still open then is aborted (counted). A server call is
 * counted at most @p max_poll cycles (what a full burst costs at capacity, twice): on a shared
 * machine a preempted call would otherwise credit milliseconds of offered load at once.
 * m->tsc_worker: the server's (clamped) cycles while load was offered; m->conns: completed.
 */
static void
ol_run(struct bench_lcore *lc, struct cyc *c, double per_cyc, uint64_t max_poll, double secs,
       struct bench_meas *m)
{
	uint64_t hz = rte_get_tsc_hz(), start = rte_rdtsc();
	uint64_t end = start + (uint64_t)(secs * (double)hz), hard = end + 3 * hz;
	double budget = 0;
	uint32_t i;

	memset(m, 0, sizeof(*m));
	for (;;) {
		uint64_t t0, t1, t2, t3, now;
		unsigned int want = 0, k;

		t0 = rte_rdtsc();
		if (t0 < end) {
			want = (unsigned int)RTE_MIN(budget, 64.0);
			budget -= want;
		}
		for (k = 0; k < want; k++) {
			lc->chk.ol_offered++;
			if (c->nfree == 0) {
				lc->chk.ol_no_slot++;
				continue;
			}
			c->target = c->started + 1;
			cyc_launch(c, lc->cw, 1);
		}
		tcpd_worker_poll(lc->cw);
		t1 = rte_rdtsc();
		m->rx += ol_wire(c, lc->ctxr, lc->rxr, true);
		t2 = rte_rdtsc();
		bench_server_poll(lc->w);
		t3 = rte_rdtsc();
		m->tsc_client += t1 - t0;
		if (t0 < end) {
			uint64_t d = RTE_MIN(t3 - t2, max_poll);

			m->tsc_worker += d;
			budget += (double)d * per_cyc;
		}
		m->tx += ol_wire(c, lc->txr, lc->crxr, false);
		now = rte_rdtsc();
		if (now >= end && c->nfree == c->nslots)
			break;
		if (now >= hard)
			break;
	}
	for (i = 0; i < c->nslots; i++)
		if (c->rec[i].c != NULL) {
			c->rec[i].flags |= TCPD_CLIENT_F_DRAINED;
			tcpd_tcp_abort(lc->cw->tcp, c->rec[i].c);
		}
	m->tsc = rte_rdtsc() - start;
	m->conns = c->done;
}

void
run_overload(struct bench_job *job, struct bench_lcore *lc)
{
	const struct bench_opts *o = job->o;
	uint64_t hz = rte_get_tsc_hz();
	struct bench_meas cap;
	struct srv s, cs;
	struct cyc c;
	unsigned int r;
	bool ok;

	srv_config(&s, o, TCPD_SYNCOOKIES_AUTO, o->ol_table, 0);
	cli_config(&cs, (1u << BENCH_SLOT_BITS) * 2 + 1024);
	cs.cfg.time_wait = 0; /* dperf keeps no TIME-WAIT */
	ok = cyc_init(&c, lc, 1u << BENCH_SLOT_BITS, 0, o->http_body) == 0 && cport_init(lc) == 0;
	if (ok) {
		c.dperf = true;
		c.sifc = &s.ifc;
		memcpy(c.cl.req, http_req_ka, sizeof(http_req_ka) - 1);
		c.cl.req_len = sizeof(http_req_ka) - 1;
	}
	bench_barrier(job);
	for (r = 0; r < o->runs; r++)
		lc->meas[r] = (struct bench_meas){0};
	for (r = 0; ok && r < o->runs; r++) {
		uint64_t max_poll, fail[RTE_DIM(lc->chk.ol_fail)], bad = lc->chk.ol_bad;
		double per_cyc;

		/* Capacity: closed loop (window 512) on a fresh server, in server time. */
		if (worker_create(lc, &s) != 0 ||
		    (lc->cw = worker_new(lc, &cs, (uint16_t)(lc->cport - 1))) == NULL ||
		    (c.app = tcpd_tcp_app_add(lc->cw->tcp, &tcpd_app_http_client_ops, &c.cl)) < 0)
			break;
		memcpy(fail, lc->chk.ol_fail, sizeof(fail));
		cyc_reset(&c, o->quick ? 5000 : 50000, 0);
		c.win = c.nfree = RTE_MIN(c.nslots, 512u); /* the closed loop's window */
		c.ftail = c.nfree;
		cyc_loop(lc, &c, UINT64_MAX, 3 * hz, &cap);
		lc->chk.ol_cap_conns += cap.conns;
		/* The server's capacity in its busy time: the closed loop leaves it idle between
		 * rounds (the client and the wire run then), which is no capacity of its own. */
		lc->chk.ol_cap_tsc += cap.tsc_busy;
		lc->chk.ol_cap_shed += wstat(lc, TCPD_STAT_syn_shed);
		client_free(lc);
		worker_free(lc);
		/* The capacity run's failures (a closed loop has none, normally) are not the
		 * overload's: the counts by reason go on from those of the earlier runs. */
		memcpy(lc->chk.ol_fail, fail, sizeof(fail));
		lc->chk.ol_bad = bad;
		if (cap.conns == 0 || cap.tsc_busy == 0)
			break;
		per_cyc = (double)job->table * (double)cap.conns / (double)cap.tsc_busy;
		max_poll = 2 * BENCH_BURST * cap.tsc_busy / RTE_MAX(cap.rx, (uint64_t)1);
		/* Overload on a fresh server. */
		if (worker_create(lc, &s) != 0 ||
		    (lc->cw = worker_new(lc, &cs, (uint16_t)(lc->cport - 1))) == NULL ||
		    (c.app = tcpd_tcp_app_add(lc->cw->tcp, &tcpd_app_http_client_ops, &c.cl)) < 0)
			break;
		cyc_reset(&c, 0, 0);
		ol_run(lc, &c, per_cyc, max_poll, o->ol_secs, &lc->meas[r]);
		lc->chk.ol_tsc += lc->meas[r].tsc_worker;
		lc->chk.conns_ok += c.done;
		lc->chk.conns_failed += c.failed;
		lc->chk.srv_table_full += wstat(lc, TCPD_STAT_table_full);
		lc->chk.srv_cookie_no_room += wstat(lc, TCPD_STAT_cookie_no_room);
		lc->chk.srv_rst_tx += wstat(lc, TCPD_STAT_rst_tx);
		lc->chk.srv_retransmit += wstat(lc, TCPD_STAT_retransmit);
		lc->chk.srv_syn_shed += wstat(lc, TCPD_STAT_syn_shed);
		lc->chk.srv_last_ack_shed += wstat(lc, TCPD_STAT_last_ack_shed);
		lc->chk.srv_reclaimed += wstat(lc, TCPD_STAT_closing_reclaimed) +
					 wstat(lc, TCPD_STAT_stalled_reclaimed);
		client_free(lc);
		worker_free(lc);
	}
	if (ok && r < o->runs)
		lc_note(lc, "%s: worker set-up failed (rte_errno %llu)", "overload",
			(uint64_t)rte_errno);
	client_free(lc);
	worker_free(lc);
	cyc_free_all(&c);
	bench_barrier(job);
}
