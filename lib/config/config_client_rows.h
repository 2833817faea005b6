/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_CONFIG_CLIENT_ROWS_H
#define TCPD_CONFIG_CLIENT_ROWS_H

/* Client mode's rows, the last of tcpd_config_opts (values parsed in config_client.c). Kept
 * here so that the option table's file changes by one line. */

#include <stddef.h>

#include "tcpd_config.h"

#define TCPD_CC_U(f)                                                                               \
	offsetof(struct tcpd_config, client.f), sizeof(((struct tcpd_config *)0)->client.f)

/* clang-format off */
#define TCPD_CONFIG_CLIENT_ROWS                                                                    \
	{"connect", "connect", TCPD_OT_CLIENT, 0, 0, 0, 0, "ADDR:PORT:APP[,...]",                  \
	 "client mode: open connections to these targets (app http, echo, discard)"},              \
	{"src-ip", "src_ip", TCPD_OT_CLIENT, 0, 0, 0, 0, "ADDR[-ADDR]|ADDR/PREFIX[,ADDR6...]",    \
	 "client mode: source addresses (default our --ip)"},                                      \
	{"src-ports", "src_ports", TCPD_OT_CLIENT, 0, 0, 0, 0, "LO-HI",                            \
	 "client mode: source ports"},                                                             \
	{"gateway", "gateway", TCPD_OT_CLIENT, 0, 0, 0, 0, "ADDR",                                 \
	 "client mode: next hop for targets off our prefix (none: ARP for each target)"},          \
	{"cps", "cps", TCPD_OT_UINT, TCPD_CC_U(cps), 0, 100000000, "N",                            \
	 "client mode: new connections per second, all lcores"},                                   \
	{"concurrency", "concurrency", TCPD_OT_UINT, TCPD_CC_U(concurrency), 1, 67108864, "N",     \
	 "client mode: open connections at most, all lcores"},                                     \
	{"requests", "requests", TCPD_OT_UINT, TCPD_CC_U(requests), 1, 1000000, "N",               \
	 "client mode: requests per connection (kept alive), then we close"},                      \
	{"duration", "duration", TCPD_OT_UINT, TCPD_CC_U(duration), 0, 86400, "SECONDS",           \
	 "client mode: seconds at full rate after the ramp"},                                      \
	{"ramp", "ramp", TCPD_OT_UINT, TCPD_CC_U(ramp), 0, 3600, "SECONDS",                        \
	 "client mode: linear ramp from 0 to --cps"},                                              \
	{"drain", "drain", TCPD_OT_UINT, TCPD_CC_U(drain), 0, 3600, "SECONDS",                     \
	 "client mode: wait for open connections, then reset them (counted)"},                     \
	{"payload", "payload", TCPD_OT_UINT, TCPD_CC_U(payload), 0, 1073741824, "BYTES",           \
	 "client mode: echo and discard bytes per request"},                                       \
	{"response-timeout", "response_timeout", TCPD_OT_UINT, TCPD_CC_U(response_timeout), 1,     \
	 3600, "SECONDS", "client mode: a response not complete by then fails the connection"},    \
	{"arp-timeout", "arp_timeout", TCPD_OT_UINT, TCPD_CC_U(arp_timeout), 1, 60, "SECONDS",     \
	 "client mode: give up (exit 1) if the next hop does not answer ARP"},                     \
	{"allow-failures", "allow_failures", TCPD_OT_UINT, TCPD_CC_U(allow_failures), 0, 1, "0|1", \
	 "client mode: 1 = exit 0 even when connections failed"},                                  \
	{"linger", "linger", TCPD_OT_UINT, TCPD_CC_U(linger), 0, 1, "0|1",                         \
	 "client mode: 1 = after the load, report and keep running until SIGINT or SIGTERM"},      \
	{"report", "report", TCPD_OT_CLIENT, 0, 0, 0, 0, "FILE",                                   \
	 "client mode: JSON-lines report (one line per second, a final line)"}
/* clang-format on */

#endif /* TCPD_CONFIG_CLIENT_ROWS_H */
