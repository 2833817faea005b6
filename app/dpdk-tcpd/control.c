/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread: one summary line every stats_interval seconds, cookie secret rotation every
 * cookie_rotate seconds, the totals at exit. It never touches packets and shares no lock with the
 * workers: counters are read with relaxed loads (tcpd_stats_sum), the secret is published with
 * the cookie store's release store.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "tcpd_app.h"

#define TICK_MS 50 /* how late the thread notices the quit flag, at worst */

uint64_t
tcpd_app_now_sec(void)
{
	return rte_rdtsc() / rte_get_tsc_hz();
}

static void
sum(const struct tcpd_control *c, struct tcpd_stats *out)
{
	const struct tcpd_stats *in[RTE_MAX_LCORE];
	unsigned int i;

	for (i = 0; i < c->nb_workers && i < RTE_MAX_LCORE; i++)
		in[i] = &c->workers[i]->stats;
	tcpd_stats_sum(out, in, i);
}

/* Every drop_* counter and tx_drop: one figure for "something was thrown away", received or
 * about to be sent (the totals and telemetry tell them apart). tools/tcpd-stat sums the same. */
static uint64_t
drops(const struct tcpd_stats *s)
{
	uint64_t n = s->c[TCPD_STAT_tx_drop];
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++)
		if (strncmp(tcpd_stats_name((enum tcpd_stat)i), "drop_", 5) == 0)
			n += s->c[i];
	return n;
}

static uint64_t
rate(const struct tcpd_stats *prev, const struct tcpd_stats *cur, enum tcpd_stat i, double secs)
{
	/* Counters never go back; a gauge read here would be a bug, shown as 0 rather than 2^64. */
	uint64_t d = cur->c[i] >= prev->c[i] ? cur->c[i] - prev->c[i] : 0;

	return secs > 0 ? (uint64_t)(d / secs + 0.5) : 0;
}

/*
 * What the port lost on its own: RX ring full (imissed: the workers did not keep up), bad frames
 * (ierrors), no mbuf for the RX ring (rx_nombuf), and TX failures (oerrors). None of it reaches a
 * worker counter. Drivers fill what they know; a physical NIC reports all four. net_af_packet in
 * DPDK 22.11 (eth_stats_get in drivers/net/af_packet/rte_eth_af_packet.c) fills only oerrors:
 * frames tx_burst took but did not send (longer than a ring frame, VLAN insertion failed, or a
 * sendto error other than ENOBUFS/EAGAIN). Frames the kernel found no room for in the RX ring are
 * counted by the kernel in the socket's PACKET_STATISTICS (tp_drops), which the driver never
 * reads: they appear nowhere here (tools/tcpd-stat shows them as the interface's rx_packets minus
 * ipackets). A failed mbuf allocation only ends its rx burst early (no rx_nombuf): the frame
 * waits in the ring, which then overflows into tp_drops.
 */
uint64_t
tcpd_control_port_lost(const struct rte_eth_stats *s)
{
	return s->imissed + s->ierrors + s->rx_nombuf + s->oerrors;
}

static uint64_t
port_lost_now(const struct tcpd_control *c)
{
	struct rte_eth_stats s;

	if (rte_eth_stats_get(c->port_id, &s) != 0)
		return 0;
	return tcpd_control_port_lost(&s);
}

void
tcpd_control_format(char *buf, size_t len, const struct tcpd_stats *prev,
		    const struct tcpd_stats *cur, double secs, uint64_t port_lost, double cpu_hz)
{
	uint64_t d_drop = drops(cur) - drops(prev);
	double busy =
		cpu_hz > 0 ? (double)rate(prev, cur, TCPD_STAT_busy_cycles, secs) / cpu_hz : 0;

	snprintf(buf, len,
		 "rx %" PRIu64 " pps, tx %" PRIu64 " pps, new %" PRIu64 "/s, live %" PRIu64
		 " (ipv6 %" PRIu64 "), syn %" PRIu64 "/s, cookies sent %" PRIu64 " ok %" PRIu64
		 " bad %" PRIu64 " /s, drops %" PRIu64 "/s, port lost %" PRIu64 "/s, busy %.0f%%",
		 rate(prev, cur, TCPD_STAT_rx_pkts, secs), rate(prev, cur, TCPD_STAT_tx_pkts, secs),
		 rate(prev, cur, TCPD_STAT_conn_opened, secs), cur->c[TCPD_STAT_conn_live],
		 cur->c[TCPD_STAT_conn_live6], rate(prev, cur, TCPD_STAT_syn_rx, secs),
		 rate(prev, cur, TCPD_STAT_cookie_sent, secs),
		 rate(prev, cur, TCPD_STAT_cookie_ok, secs),
		 rate(prev, cur, TCPD_STAT_cookie_bad, secs),
		 secs > 0 ? (uint64_t)(d_drop / secs + 0.5) : 0,
		 secs > 0 ? (uint64_t)(port_lost / secs + 0.5) : 0, busy * 100);
}

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/*
 * Cookie secret rotation. The cookie counter is UNIX time / 60, as in the workers. With a shared
 * secret, the keys of epoch time / cookie_rotate are derived from it, so every machine holding the
 * secret switches at the same second; otherwise new random keys every cookie_rotate seconds.
 */
static void
rotate_secret(struct tcpd_control *c, uint64_t now, uint64_t *next_rotate, uint64_t rotate)
{
	uint64_t sec = (uint64_t)time(NULL);
	uint32_t count = (uint32_t)(sec / TCPD_COOKIE_PERIOD);

	if (c->derive) {
		uint64_t epoch = sec / c->cfg->cookie_rotate;
		struct tcpd_cookie_keys k;

		if (epoch == c->epoch)
			return;
		c->epoch = epoch;
		tcpd_cookie_keys_derive(&k, (const uint8_t *)&c->master, epoch);
		tcpd_cookie_store_rotate_to(c->cookies, &k, count, sec);
		sodium_memzero(&k, sizeof(k));
	} else {
		if (now < *next_rotate)
			return;
		tcpd_cookie_store_rotate(c->cookies, count, sec);
		*next_rotate = now + rotate;
	}
	fprintf(c->out, "cookie secret rotated\n");
	fflush(c->out);
}

static void
load_snap(const struct tcpd_control *c, struct tcpd_load_snap *out, uint64_t tsc)
{
	const struct tcpd_stats *in[RTE_MAX_LCORE];
	unsigned int i;

	for (i = 0; i < c->nb_workers && i < RTE_MAX_LCORE; i++)
		in[i] = &c->workers[i]->stats;
	tcpd_load_snapshot(out, c->loads, in, i, tsc);
}

static double
load_t(const struct tcpd_control *c, uint64_t tsc)
{
	uint64_t start = __atomic_load_n(&c->load_sh->start_tsc, __ATOMIC_ACQUIRE);

	return tsc > start ? (double)(tsc - start) / (double)rte_get_tsc_hz() : 0;
}

/* Client mode, every tick: a line and a report object per second of the schedule; quit when
 * every engine is done. */
static void
load_tick(struct tcpd_control *c, uint64_t now)
{
	const uint64_t hz = rte_get_tsc_hz();
	uint64_t start = __atomic_load_n(&c->load_sh->start_tsc, __ATOMIC_ACQUIRE);
	unsigned int i, done = 0;
	char line[768];

	for (i = 0; i < c->nb_workers; i++)
		done += tcpd_load_done(c->loads[i]) != 0;
	if (done == c->nb_workers && !c->load_done) {
		c->load_done = true;
		if (!c->cfg->client.linger) {
			*c->quit = true;
			return;
		}
		c->load_rc = tcpd_control_load_finish(c);
		c->load_reported = true;
		fprintf(c->out, "dpdk-tcpd: client mode: load over, lingering until SIGINT or "
				"SIGTERM (--linger)\n");
		fflush(c->out);
		return;
	}
	if (start == 0 || now < start)
		return;
	if (!c->load_started) {
		load_snap(c, c->snap_start, start);
		*c->snap_prev = *c->snap_start;
		c->load_started = true;
		c->load_next_tsc = start + hz;
	}
	if (now < c->load_next_tsc)
		return;
	load_snap(c, c->snap_cur, now);
	tcpd_load_format_line(line, sizeof(line), c->snap_prev, c->snap_cur, load_t(c, now), hz);
	fprintf(c->out, "%s\n", line);
	fflush(c->out);
	if (c->report != NULL)
		tcpd_load_json(c->report, c->snap_prev, c->snap_cur, load_t(c, now), hz, 0, c->cfg,
			       c->nb_workers, 0);
	*c->snap_prev = *c->snap_cur;
	c->load_next_tsc += hz;
	if (c->load_next_tsc <= now)
		c->load_next_tsc = now + hz;
}

int
tcpd_control_load_finish(struct tcpd_control *c)
{
	const struct tcpd_client_config *cc = &c->cfg->client;
	uint64_t now = rte_rdtsc(), hz = rte_get_tsc_hz();
	uint32_t failed_nh = __atomic_load_n(&c->load_sh->arp_failed, __ATOMIC_ACQUIRE);
	int rc = TCPD_EXIT_OK;
	double t;

	if (c->load_reported)
		return c->load_rc;
	if (failed_nh != 0) {
		const struct tcpd_load_nh *nh = &c->load_sh->nh[failed_nh - 1];
		char ip[INET6_ADDRSTRLEN];

		if (nh->v6)
			inet_ntop(AF_INET6, nh->ip6, ip, sizeof(ip));
		else
			inet_ntop(AF_INET, &nh->ip, ip, sizeof(ip));
		fprintf(stderr,
			"dpdk-tcpd: client mode: no %s reply from %s (%s) within %u s: is it up "
			"and on our link? (--arp-timeout)\n",
			nh->v6 ? "neighbour advertisement" : "ARP", ip,
			(nh->v6 ? memcmp(nh->ip6, cc->gateway6, 16) == 0 : cc->gateway != 0)
				? "--gateway"
				: "a --connect target",
			cc->arp_timeout);
		rc = TCPD_EXIT_FAIL;
	}
	if (!c->load_started) {
		uint64_t start = __atomic_load_n(&c->load_sh->start_tsc, __ATOMIC_ACQUIRE);

		load_snap(c, c->snap_start, start ? start : now);
	}
	load_snap(c, c->snap_cur, now);
	t = c->load_started ? load_t(c, now) : 0;
	tcpd_load_print_final(c->out, c->snap_start, c->snap_cur, t);
	if (rc == TCPD_EXIT_OK && !c->load_done) {
		/* Stopped by a signal before the schedule and the drain ended. */
		uint64_t open = c->snap_cur->st.c[TCPD_LOAD_conc_syn_sent] +
				c->snap_cur->st.c[TCPD_LOAD_conc_established] +
				c->snap_cur->st.c[TCPD_LOAD_conc_closing];

		fprintf(c->out,
			"dpdk-tcpd: client mode: interrupted before the end, %" PRIu64
			" connection(s) still open\n",
			open);
		if (open != 0 && !cc->allow_failures)
			rc = TCPD_EXIT_LOAD_FAILED;
	}
	if (rc == TCPD_EXIT_OK && c->snap_cur->st.c[TCPD_LOAD_failed] != 0 && !cc->allow_failures) {
		fprintf(c->out,
			"dpdk-tcpd: client mode: %" PRIu64 " connection(s) failed: exit status %d "
			"(--allow-failures 1 to exit 0)\n",
			c->snap_cur->st.c[TCPD_LOAD_failed], TCPD_EXIT_LOAD_FAILED);
		rc = TCPD_EXIT_LOAD_FAILED;
	}
	if (c->report != NULL) {
		tcpd_load_json(c->report, c->snap_start, c->snap_cur, t, hz, 1, c->cfg,
			       c->nb_workers, rc);
		fclose(c->report);
		c->report = NULL;
	}
	fflush(c->out);
	return rc;
}

static void
control_loop(struct tcpd_control *c)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t every = (uint64_t)c->cfg->stats_interval * hz;
	const uint64_t rotate = (uint64_t)c->cfg->cookie_rotate * hz;
	uint64_t last = rte_rdtsc(), next_print = last + every, next_rotate = last + rotate;
	struct tcpd_stats prev, cur;
	uint64_t lost_prev = port_lost_now(c), lost;
	char line[512];

	sum(c, &prev);
	while (!*c->quit) {
		uint64_t now;

		sleep_ms(c->loads != NULL ? TICK_MS / 5 : TICK_MS);
		now = rte_rdtsc();
		if (c->loads != NULL)
			load_tick(c, now);
		if (every != 0 && now >= next_print) {
			sum(c, &cur);
			lost = port_lost_now(c);
			tcpd_control_format(line, sizeof(line), &prev, &cur,
					    (double)(now - last) / (double)hz,
					    lost >= lost_prev ? lost - lost_prev : 0,
					    (double)hz * c->nb_workers);
			lost_prev = lost;
			fprintf(c->out, "%s\n", line);
			fflush(c->out);
			prev = cur;
			last = now;
			/* After a stall, the next line comes one interval from now, not at once. */
			next_print += every;
			if (next_print <= now)
				next_print = now + every;
		}
		if (rotate != 0)
			rotate_secret(c, now, &next_rotate, rotate);
	}
	sodium_memzero(&c->master, sizeof(c->master));
}

#if RTE_VERSION >= RTE_VERSION_NUM(23, 11, 0, 0)
static uint32_t
control_main(void *arg)
{
	control_loop(arg);
	return 0;
}

int
tcpd_control_start(struct tcpd_control *c)
{
	int rc = rte_thread_create_control(&c->thread, "tcpd-ctrl", control_main, c);

	c->running = rc == 0;
	return rc;
}

void
tcpd_control_join(struct tcpd_control *c)
{
	if (c->running)
		rte_thread_join(c->thread, NULL);
	c->running = false;
}
#else
static void *
control_main(void *arg)
{
	control_loop(arg);
	return NULL;
}

int
tcpd_control_start(struct tcpd_control *c)
{
	/* rte_ctrl_thread_create pins to the control cpuset, off the worker lcores. */
	int rc = rte_ctrl_thread_create(&c->thread, "tcpd-ctrl", NULL, control_main, c);

	c->running = rc == 0;
	return rc;
}

void
tcpd_control_join(struct tcpd_control *c)
{
	if (c->running)
		pthread_join(c->thread, NULL);
	c->running = false;
}
#endif

void
tcpd_control_print_totals(const struct tcpd_control *c)
{
	struct tcpd_stats s;
	unsigned int i;

	sum(c, &s);
	fprintf(c->out, "totals over %u worker(s): drops %" PRIu64 "\n", c->nb_workers, drops(&s));
	for (i = 0; i < TCPD_STAT_MAX; i++)
		/* Zero counters are noise here; telemetry shows them all. */
		if (s.c[i] != 0 || i == TCPD_STAT_rx_pkts || i == TCPD_STAT_tx_pkts)
			fprintf(c->out, "  %-24s %" PRIu64 "\n", tcpd_stats_name((enum tcpd_stat)i),
				s.c[i]);
	for (i = 0; i < TCPD_TCP_NSTATES; i++)
		if (s.state[i] != 0)
			fprintf(c->out, "  state %-18s %" PRIu64 "\n", tcpd_tcp_state_name(i),
				s.state[i]);
	fflush(c->out);
}

void
tcpd_control_print_port(const struct tcpd_control *c)
{
	struct rte_eth_stats s;

	if (rte_eth_stats_get(c->port_id, &s) != 0)
		return;
	fprintf(c->out,
		"port %u: ipackets %" PRIu64 " opackets %" PRIu64 " ibytes %" PRIu64
		" obytes %" PRIu64 " imissed %" PRIu64 " ierrors %" PRIu64 " oerrors %" PRIu64
		" rx_nombuf %" PRIu64 "\n",
		c->port_id, s.ipackets, s.opackets, s.ibytes, s.obytes, s.imissed, s.ierrors,
		s.oerrors, s.rx_nombuf);
	fflush(c->out);
}
