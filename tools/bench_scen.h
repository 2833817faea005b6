/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_BENCH_SCEN_H
#define TCPD_BENCH_SCEN_H

/**
 * @file
 * What tcpd-bench's scenario files share: the workers' set-up and the counters that must not
 * move (bench_worker.c), the library's client and the wire between the two workers
 * (bench_cycle.c, also driven by bench_load.c and bench_overload.c), and each scenario's entry
 * point for the dispatcher (bench_scen.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_cycles.h>
#include <rte_ring.h>

#include "bench.h"
#include "tcpd_app_client.h"

/** The timed runs' cap (--duration) in TSC cycles. */
static inline uint64_t
dur_tsc(const struct bench_opts *o)
{
	return (uint64_t)(o->duration * (double)rte_get_tsc_hz());
}

/** Set lc->note (why a run failed or was skipped) unless an earlier reason is there. */
void lc_note(struct bench_lcore *lc, const char *fmt, const char *what, uint64_t v);

/* ------------------------------------------------------------------------------------------ */
/* Workers (bench_worker.c): the server's, the client's, the counters that must not move.     */

/** A worker's configuration and interface: the server's, or the library client's. */
struct srv {
	struct tcpd_config cfg;
	struct tcpd_iface ifc;
};

/** The server: listeners on the HTTP and discard ports, @p mode cookies, @p max_conns entries. */
void srv_config(struct srv *s, const struct bench_opts *o, enum tcpd_syncookies mode,
		uint32_t max_conns, uint32_t synq_limit);
/** Add the server's IPv6 address (syn6-* scenarios). */
void srv_config6(struct srv *s);
/** cli_config, then the client's IPv6 address and source range (cycle6-* scenarios). */
void cli_config6(struct srv *s);
/** The client's configuration: the bench's client addresses are its own, no listener. */
void cli_config(struct srv *s, uint32_t max_conns);
/** A worker on @p port of this lcore; NULL (and lc->note says why) if it cannot be made. */
struct tcpd_worker *worker_new(struct bench_lcore *lc, struct srv *s, uint16_t port);
/** The server worker lc->w on the lcore's own port. @return 0 or -1 */
int worker_create(struct bench_lcore *lc, struct srv *s);
/** Free the server worker (its TX drops counted) and flush its port's rings. */
void worker_free(struct bench_lcore *lc);
/** The client worker's net_ring port, made on first use and kept. @return 0 or -1 */
int cport_init(struct bench_lcore *lc);
/** Free the client worker lc->cw (its TX drops counted) and flush its port's rings. */
void client_free(struct bench_lcore *lc);

/** One of the server worker's counters. */
static inline uint64_t
wstat(struct bench_lcore *lc, enum tcpd_stat s)
{
	return tcpd_stats_read(&lc->w->stats, s);
}

/** Copy every server counter into @p v (TCPD_STAT_MAX values), the base of server_bad_check. */
void server_bad_snapshot(struct bench_lcore *lc, uint64_t *v);
/** Count the server's bad counters (drops, RSTs, retransmissions...) that moved since @p v;
 * with @p recovery_ok, not those of loss recovery (TX drops, retransmissions and their causes),
 * which the load scenarios report for check_bench.py to account for. */
void server_bad_check(struct bench_lcore *lc, const uint64_t *v, bool auto_full, bool recovery_ok);
/** Count the client worker's bad counters that moved since it was made (@p recovery_ok: the
 * same as the server's). */
void client_bad_check(struct bench_lcore *lc, bool recovery_ok);
/** Server connections from SYN-RECEIVED to LAST-ACK (TIME-WAIT not counted), from its gauges. */
uint64_t server_open_gauge(struct bench_lcore *lc);

/* ------------------------------------------------------------------------------------------ */
/* The library's client against the server, and the wire between them (bench_cycle.c).       */

/* What the wire remembers of a connection to check the server's replies (not the client's
 * state: that is lib/tcp's and lib/app's). */
struct cyc_slot {
	uint32_t n;    /* tuple */
	uint32_t ciss; /* the client's ISS, seen in its SYN */
	uint32_t siss; /* the server's, seen in its SYN-ACK */
	uint8_t seen;  /* SEEN_* */
};

#define SLOT(n)	    ((n) & ((1u << BENCH_SLOT_BITS) - 1))
#define SEEN_SYN    0x01
#define SEEN_SYNACK 0x02

struct cyc {
	struct tcpd_app_client cl;   /* the http client's per-lcore state (eng = this) */
	struct tcpd_client_rec *rec; /* one record per slot */
	struct cyc_slot *slot;	     /* the wire's view, per slot */
	struct bench_lcore *lc;
	const struct tcpd_iface *sifc; /* the server's interface, to parse client frames */
	uint32_t *gen;
	/* Free slots, FIFO: every slot's generation advances at the same pace, so tuple numbers
	 * (generation << BENCH_SLOT_BITS | slot) reach 2^32 only after window * 2^17 connections. */
	uint32_t *freel;
	uint32_t fhead, ftail, fmask, nslots, nfree;
	uint32_t win; /* slots in use by this run (nslots, or fewer for a smaller window) */
	int app;
	uint64_t started, done, failed, target, responses, resp_bytes;
	uint64_t checks_left; /* frames still to check fully in this run */
	bool stop;
	bool dperf;	  /* overload: failures are the measurement, counted by reason */
	bool v6;	  /* cycle6-*: IPv6, the client's tuples from its IPv6 source range */
	uint32_t *done_n; /* completed tuples for the server-state check */
	uint32_t nb_done_n, max_done_n;
	uint32_t body;
	uint8_t hdr[256]; /* the first valid response header, compared byte for byte afterwards */
	uint16_t hdr_len;
	uint8_t body_pat[128]; /* two periods of the body pattern */
	/* load and cycle: count the SYNs (client to server) and SYN-ACKs (back) that went on the
	 * wire, the handshake's share of the retransmissions in check_bench.py's accounting */
	bool count_syn;
	uint64_t wire_syn, wire_synack;
};

/** Allocate the client's state for @p window slots. @return 0 or -1 */
int cyc_init(struct cyc *c, struct bench_lcore *lc, uint32_t window, uint32_t max_done,
	     uint32_t body);
/** Free what cyc_init allocated. */
void cyc_free_all(struct cyc *c);
/** Start a run with every slot free: @p target connections, @p checks frames fully checked. */
void cyc_reset(struct cyc *c, uint64_t target, uint64_t checks);
/** Open up to @p max connections on the client worker @p cw. */
void cyc_launch(struct cyc *c, struct tcpd_worker *cw, unsigned int max);
/** Count a wrong frame on the wire and name the first in the note. */
void wire_bad(struct cyc *c, const char *why, uint32_t n);
/** The server worker's poll, apart so that callgrind counts it. */
__rte_noinline uint16_t bench_server_poll(struct tcpd_worker *w);
/** One round: client, wire, server, wire back. @return frames still on the wires or rings */
unsigned int cyc_round(struct bench_lcore *lc, struct cyc *c, struct cyc *launch,
		       struct bench_meas *m);
/** Add both workers' counters and the SYNs the wire carried to lc->chk (load and cycle
 * scenarios: the loss recovery that check_bench.py accounts for). */
void recovery_stats(struct bench_lcore *lc, struct cyc *c);
/** Run c->target connections (or @p max_tsc), let the rest finish (@p tail_tsc), abort what is
 * left. */
void cyc_loop(struct bench_lcore *lc, struct cyc *c, uint64_t max_tsc, uint64_t tail_tsc,
	      struct bench_meas *m);

/* ------------------------------------------------------------------------------------------ */
/* The scenarios, one call per lcore of the job (bench_scen.c dispatches).                   */

/** Forward baseline: rx_burst -> tx_burst over the same feed as the SYN floods (bench_flood.c). */
void run_forward(struct bench_job *job, struct bench_lcore *lc);
/** syn-always / syn-auto-full and their IPv6 twins, with the cookie replay (bench_flood.c). */
void run_syn(struct bench_job *job, struct bench_lcore *lc, bool autofull, bool v6);
/** Established ACKs to job->table connections, and the table lookup probe (bench_flood.c). */
void run_ack(struct bench_job *job, struct bench_lcore *lc);
/** cycle-auto / cycle-always (and over IPv6 with @p v6): full connections of the library's
 * client (bench_cycle.c). */
void run_cycle(struct bench_job *job, struct bench_lcore *lc, enum tcpd_syncookies mode, bool v6);
/** load-http / load-echo: lib/load's engine against the server, counts compared (bench_load.c). */
void run_load(struct bench_job *job, struct bench_lcore *lc, unsigned int svc);
/** The dperf-like client at job->table times the server's capacity (bench_overload.c). */
void run_overload(struct bench_job *job, struct bench_lcore *lc);

#endif /* TCPD_BENCH_SCEN_H */
