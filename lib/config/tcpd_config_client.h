/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_CONFIG_CLIENT_H
#define TCPD_CONFIG_CLIENT_H

/**
 * @file
 * Client mode's configuration (the load generator): --connect and the options of the load.
 * Part of struct tcpd_config (its member @c client); parsed by config_client.c.
 */

#include <stddef.h>
#include <stdint.h>

/** Most --connect targets. */
#define TCPD_MAX_TARGETS 8

/** Most addresses of an IPv6 --src-ip range (lib/net's TCPD_NET_IP6_RANGE_MAX). */
#define TCPD_SRC_IP6_MAX 65536

/** One --connect ADDR:PORT:APP or [ADDR6]:PORT:APP. */
struct tcpd_target {
	uint32_t ip;	 /**< network order; 0 for an IPv6 target */
	uint16_t port;	 /**< host order */
	uint8_t app;	 /**< enum tcpd_service: the client side of that service */
	uint8_t v6;	 /**< 1: an IPv6 target, at @c ip6, from our --ip6 address */
	uint8_t ip6[16]; /**< network order, with @c v6 */
};

struct tcpd_client_config {
	struct tcpd_target target[TCPD_MAX_TARGETS]; /**< --connect (empty: no client mode) */
	uint32_t nb_targets;
	uint32_t src_ip_first; /**< --src-ip, host order; 0: our --ip alone */
	uint32_t src_ip_last;  /**< host order */
	/** --src-ip as an IPv6 range: src_ip6_n addresses from src_ip6 (network order), all
	 *  sharing its first 96 bits; 0: our --ip6 alone */
	uint8_t src_ip6[16];
	uint32_t src_ip6_n;
	uint16_t src_port_first; /**< --src-ports, host order */
	uint16_t src_port_last;
	uint32_t gateway; /**< --gateway, network order; 0: targets on our link */
	/** --gateway's IPv6 address, network order: the next hop of IPv6 targets off our --ip6
	 *  prefix (on-link ones are resolved themselves); all zero: none */
	uint8_t gateway6[16];
	uint32_t cps;		   /**< --cps: new connections per second over all lcores */
	uint32_t concurrency;	   /**< --concurrency: open connections at most, all lcores */
	uint32_t requests;	   /**< --requests per connection */
	uint32_t duration;	   /**< --duration at full rate, seconds */
	uint32_t ramp;		   /**< --ramp from 0 to --cps, seconds */
	uint32_t drain;		   /**< --drain: seconds for open connections to end */
	uint32_t payload;	   /**< --payload: echo and discard bytes per request */
	uint32_t response_timeout; /**< --response-timeout, seconds */
	uint32_t arp_timeout;	   /**< --arp-timeout: seconds for the next hop to answer */
	uint32_t allow_failures;   /**< --allow-failures 1: exit 0 even if connections failed */
	uint32_t linger;  /**< --linger 1: after the load, report and run on until a signal */
	char report[256]; /**< --report FILE, empty: none */
};

struct tcpd_config;

/**
 * Check client mode's options against each other and --ip (targets on our prefix or a gateway,
 * a rate). @return 0, or -1 with @p err naming the option
 */
int tcpd_config_client_check(const struct tcpd_config *c, char *err, size_t errlen);

#endif /* TCPD_CONFIG_CLIENT_H */
