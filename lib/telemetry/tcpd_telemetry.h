/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TELEMETRY_H
#define TCPD_TELEMETRY_H

/**
 * @file
 * dpdk-tcpd's telemetry commands (DPDK telemetry socket, dpdk-telemetry.py, tools/tcpd-stat):
 *
 *   /tcpd/stats      totals of every counter over the workers, "states": live connections per
 *                    TCP state, "workers": number of workers
 *   /tcpd/lcore,<id> one worker's counters and states, with lcore, port, queue
 *   /tcpd/lcores     the workers: {"<lcore>": {"lcore", "port", "queue"}}
 *   /tcpd/conns      live connections per state: "total" and "lcores": {"<lcore>": {...}}
 *   /tcpd/listeners  {"<port>": {"port", "service", "accepted", "reset"}} summed over workers
 *   /tcpd/config     the effective configuration (keys as in tcpd.conf; the secret never shown);
 *                    "listen" is an array of "PORT:SERVICE" strings
 *   /tcpd/cookies    mode, sent, ok, bad, expired, rotations, secret_age (seconds)
 *   /tcpd/port[,<id>] the port's rte_eth_stats (ipackets ... imissed, rx_nombuf), link, driver,
 *                    "ifname" when a kernel interface backs the port (net_af_packet, net_tap),
 *                    "queues": {"<lcore>": {"queue", "ipackets", ...}} for the workers' queues
 *   /tcpd/client     client mode's counters summed over the lcores ("active": 0 without
 *                    --connect), failed_<reason> for each reason (telemetry_client.c)
 *   /tcpd/client/latency  percentiles (ns) of each latency histogram, merged over the lcores
 *
 * Errors: /tcpd/lcore with a parameter that is not a number, or the id of an lcore that is not a
 * worker, replies {"/tcpd/lcore": {"error": "<why>", "workers": [<lcore ids>]}} so that clients
 * can tell the user what to ask instead. /tcpd/port with a parameter other than the served port's
 * id replies {"/tcpd/port": {"error": "<why>", "port": <served port>}}. Before registration (or
 * after unregistration) every command replies null (the callback returns -EAGAIN).
 *
 * Callbacks run on telemetry's own threads, possibly several at once. They only read: counters
 * with relaxed atomic loads (tcpd_stats_snapshot), the registry set once before the workers
 * start. No lock is shared with the workers. DPDK 22.11 parses each request with strtok, whose
 * position glibc shares between threads: this library defines strtok with a per-thread position
 * (telemetry.c), so that concurrent clients keep their own parameters.
 */

#include <stddef.h>
#include <stdint.h>

#include "tcpd_config.h"
#include "tcpd_cookie.h"
#include "tcpd_worker.h"

/** What the commands read. Everything must stay valid until tcpd_telemetry_unregister. */
struct tcpd_telemetry_reg {
	struct tcpd_worker *const *workers; /**< nb_workers workers */
	unsigned int nb_workers;
	const struct tcpd_config *cfg;
	const struct tcpd_cookie_store *cookies;
	uint64_t secret_born_sec; /**< rte_rdtsc() / rte_get_tsc_hz() when the secret was made */
};

/**
 * Check the parameter of /tcpd/port: none (NULL or empty), or the decimal id of @p port.
 * @param why filled with the reason on error (for the error reply)
 * @return 0 when it names @p port, -1 otherwise
 */
int tcpd_telemetry_port_param(const char *params, uint16_t port, char *why, size_t len);

/**
 * Copy @p reg and register the commands (the commands once per process; a later call only
 * replaces the registry).
 * @return 0, or a negative errno from rte_telemetry_register_cmd
 */
int tcpd_telemetry_register(const struct tcpd_telemetry_reg *reg);

/**
 * Withdraw the registry: commands reply null from now on. Waits for callbacks already reading it,
 * so the caller may free the workers once this returns.
 */
void tcpd_telemetry_unregister(void);

#endif /* TCPD_TELEMETRY_H */
