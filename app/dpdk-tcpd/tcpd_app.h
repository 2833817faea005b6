/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_APP_H
#define TCPD_APP_H

/* The daemon's pieces: port set-up (port.c) and the control thread (control.c). */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_version.h>
#if RTE_VERSION >= RTE_VERSION_NUM(23, 11, 0, 0)
#include <rte_thread.h>
#else
#include <pthread.h>
#endif

#include <rte_ethdev.h>

#include "tcpd_config.h"
#include "tcpd_cookie.h"
#include "tcpd_net.h"
#include "tcpd_load.h"
#include "tcpd_tuple.h"
#include "tcpd_worker.h"

/* Exit statuses: 2 for anything the user can fix on the command line (as getopt tools do). */
#define TCPD_EXIT_OK	0
#define TCPD_EXIT_FAIL	1
#define TCPD_EXIT_USAGE 2
/* Client mode: a connection failed (and --allow-failures 0). */
#define TCPD_EXIT_LOAD_FAILED 3

/* Seconds on the TSC clock, the clock of lib/tcp's cookie counter. */
uint64_t tcpd_app_now_sec(void);

/** The RSS key and redirection table programmed on the port (client mode's tuple choosers). */
struct tcpd_port_rss {
	uint8_t key[TCPD_TUPLE_RSS_KEY_MAX];
	uint32_t key_len;
	uint16_t reta[RTE_ETH_RSS_RETA_SIZE_512];
	uint32_t reta_size; /**< 0: no RSS (one queue, or the port cannot) */
};

/**
 * Check the port, configure @p nb_queues RX/TX queue pairs (RSS on IPv4/TCP when more than one),
 * the offloads the device offers, the MTU; start it and wait (bounded, honouring @p quit) for
 * the link. Fills @p ifc (MAC, IP, MTU, TX checksum offloads).
 * @param pools per queue, the mbuf pool of the lcore that serves it
 * @return 0, or TCPD_EXIT_USAGE / TCPD_EXIT_FAIL after printing why
 */
int tcpd_port_setup(const struct tcpd_config *cfg, uint16_t nb_queues, struct rte_mempool **pools,
		    struct tcpd_iface *ifc, struct tcpd_port_rss *rss, volatile bool *quit);

/* Stop and close the port. */
void tcpd_port_close(uint16_t port_id);

/** The control thread: summary lines, totals, cookie rotation. Reads counters, never packets. */
struct tcpd_control {
	struct tcpd_worker *const *workers;
	unsigned int nb_workers;
	const struct tcpd_config *cfg;
	struct tcpd_cookie_store *cookies;
	/* With a configured secret and rotation, each epoch's keys are derived from it (so that
	 * machines sharing it rotate in step): the only copy of the secret kept after start. */
	struct tcpd_cookie_keys master;
	bool derive;
	uint64_t epoch; /* derived keys in use */
	volatile bool *quit;
	FILE *out;
	uint16_t port_id; /* whose rte_eth_stats the summary line reports */
#if RTE_VERSION >= RTE_VERSION_NUM(23, 11, 0, 0)
	rte_thread_t thread;
#else
	pthread_t thread;
#endif
	bool running;
	/* Client mode (loads NULL: none): the engines, their shared state, the report file. The
	 * control thread prints a line per second, writes the report, and sets *quit when every
	 * engine is done. */
	struct tcpd_load *const *loads;
	struct tcpd_load_shared *load_sh;
	FILE *report;
	struct tcpd_load_snap *snap_start, *snap_prev, *snap_cur; /* rte_malloc'd by the caller */
	bool load_started;
	bool load_done;
	bool load_reported; /* --linger: finished and reported while still running */
	int load_rc;	    /* the exit status then */
	uint64_t load_next_tsc;
};

/* Client mode: the final line, the report's final object and the summary, after the workers
 * stopped (with --linger: once the load is over, the workers still running; a later call
 * returns the same status). @return the exit status the load asks for (TCPD_EXIT_OK, _FAIL,
 * _LOAD_FAILED). */
int tcpd_control_load_finish(struct tcpd_control *c);

/* Start the control thread. @return 0 or a negative errno */
int tcpd_control_start(struct tcpd_control *c);

/* Wait for the control thread, which ends once *quit is set. */
void tcpd_control_join(struct tcpd_control *c);

/* Format one summary line from two snapshots @p secs apart (no newline); @p port_lost is what
 * the port itself lost in that time (imissed + ierrors + rx_nombuf + oerrors); @p cpu_hz is the
 * TSC rate times the workers, what busy_cycles would grow by per second if all were always busy. */
void tcpd_control_format(char *buf, size_t len, const struct tcpd_stats *prev,
			 const struct tcpd_stats *cur, double secs, uint64_t port_lost,
			 double cpu_hz);

/* Packets the port lost before a worker saw them or after one sent them, from rte_eth_stats. */
uint64_t tcpd_control_port_lost(const struct rte_eth_stats *s);

/* Print the port's own counters (rte_eth_stats); call before the port is closed. */
void tcpd_control_print_port(const struct tcpd_control *c);

/* Print the totals of every counter (non-zero ones, and the live connections per state). */
void tcpd_control_print_totals(const struct tcpd_control *c);

/*
 * One daemon per EAL --file-prefix (instance.c). A live telemetry socket at @p path means a
 * process owns the prefix: @return 1 with its pid in @p pid (-1 if it did not say), or 0 when
 * nobody answers (no socket, or a stale one).
 */
int tcpd_instance_probe(const char *path, long *pid);

/* The telemetry socket path EAL will use, from the EAL arguments in @p argv (before "--"). */
void tcpd_instance_socket_path(int argc, char **argv, char *buf, size_t len);

/* The telemetry socket path in EAL's runtime directory @p runtime_dir. */
void tcpd_instance_runtime_socket(const char *runtime_dir, char *buf, size_t len);

/* @return 0 if no other process answers on @p path, else -1 after naming it (and its pid). */
int tcpd_instance_check(const char *path, FILE *err);

#endif /* TCPD_APP_H */
