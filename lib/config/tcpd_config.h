/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_CONFIG_H
#define TCPD_CONFIG_H

/**
 * @file
 * The daemon's configuration: defaults, the INI file (one [tcpd] section and/or keys at the top,
 * each key once; read by config_file.c, which says why not with rte_cfgfile) and the command
 * line after EAL's "--". Options and keys share names
 * (--syncookies / syncookies =); the command line wins. Needs no EAL, so it is unit tested alone.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tcpd_config_client.h"

#define TCPD_MAX_LISTENERS 16

/** Largest configuration file accepted, in bytes (--help and config/tcpd.conf say it). */
#define TCPD_CONFIG_FILE_MAX 65536

/** Room for the text of any option's value (tcpd_config_option): 16 listeners take 223. */
#define TCPD_CONFIG_VALUE_MAX 256

/** Services a listening port can run. */
enum tcpd_service {
	TCPD_SVC_DISCARD = 0, /**< RFC 863 */
	TCPD_SVC_ECHO,	      /**< RFC 862 */
	TCPD_SVC_HTTP,	      /**< HTTP/1.1 200 OK with a fixed-size body */
	TCPD_SVC_MAX
};

/** SYN cookie modes (Linux tcp_syncookies 0, 1, 2). */
enum tcpd_syncookies {
	TCPD_SYNCOOKIES_OFF = 0,
	TCPD_SYNCOOKIES_AUTO,
	TCPD_SYNCOOKIES_ALWAYS,
};

struct tcpd_listen {
	uint16_t port;	 /**< host order */
	uint8_t service; /**< enum tcpd_service */
};

struct tcpd_config {
	uint16_t port_id;	/**< --port: DPDK port to serve */
	uint32_t ip;		/**< --ip: our address, network order */
	uint8_t prefix_len;	/**< --ip: prefix length */
	uint8_t ip6[16];	/**< --ip6: our IPv6 address (network order) */
	uint8_t ip6_prefix_len; /**< --ip6: prefix length, 0: no IPv6 */
	uint16_t mtu; /**< mtu: IP MTU (our MSS = mtu - 40, IPv6 mtu - 60), 1280 or more with ip6 */
	struct tcpd_listen listen[TCPD_MAX_LISTENERS]; /**< --listen */
	unsigned int nb_listen;
	enum tcpd_syncookies syncookies; /**< --syncookies */
	uint32_t synq_limit;		 /**< half-open connections per lcore before cookies */
	uint32_t max_conns;		 /**< connections per lcore */
	uint32_t stats_interval;	 /**< seconds between summary lines, 0 = off */
	uint32_t time_wait;		 /**< TIME-WAIT duration, seconds */
	uint32_t fin_wait2_timeout; /**< seconds in FIN-WAIT-2 before the connection is dropped */
	uint32_t idle_timeout;	    /**< seconds without a segment before reset, 0 = never */
	uint32_t rto_retries;	    /**< retransmissions before reset */
	uint32_t orphan_retries;    /**< the same once our FIN is sent (Linux tcp_orphan_retries) */
	uint32_t max_time_wait;	    /**< TIME-WAIT entries (own pool), 0 = max_conns / 4 */
	uint32_t ip6_peers; /**< IPv6 peer addresses per lcore (intern table), 0 = max_conns / 4 */
	uint32_t http_keepalive; /**< http: seconds an idle keep-alive connection lives, 0 = ever */
	uint32_t http_body_size; /**< bytes of body in each HTTP response */
	uint32_t http_max_requests; /**< http: requests per connection, then close; 0 = no limit */
	uint32_t rst_rate;    /**< RSTs per second per lcore for segments without a connection */
	bool rx_deep;	      /**< up to 256 frames a poll while RX bursts come full (lib/worker) */
	bool syn_shed_refuse; /**< SYNs syn_shed drops are answered with a RST (lib/worker) */
	bool syn_shed; /**< SYN admission control while the RX path is saturated (lib/worker) */
	bool last_ack_shed; /**< saturated: a late LAST-ACK is reset, not retransmitted to */
	bool tlp; /**< tail-loss probes (RFC 8985 7), as Linux net.ipv4.tcp_early_retrans */
	uint32_t random_loss_ms; /**< queueing delay (ms) under which a loss is random, 0 = never */
	uint32_t challenge_ack_limit; /**< challenge ACKs per second per connection */
	uint32_t cookie_rotate;	      /**< seconds between secret rotations, 0 = never */
	uint8_t cookie_secret[32];    /**< cookie_secret (hex in the file) */
	bool cookie_secret_set;
	uint32_t nb_mbufs;     /**< mbuf pool size per port */
	uint16_t rx_desc;      /**< RX descriptors per queue */
	uint16_t tx_desc;      /**< TX descriptors per queue */
	uint32_t cpu_slowdown; /**< lab: work takes this many times its cycles, 1 = off */
	char config_file[256]; /**< --config, empty if none */
	struct tcpd_client_config client; /**< client mode (config_client.c) */
};

/** Fill @p c with the defaults (the values --help shows). */
void tcpd_config_defaults(struct tcpd_config *c);

/**
 * Parse the application arguments (after EAL's "--"; argv[0] is the program name).
 * --config is read first, then every other option overrides it.
 * @param err  receives a message naming the bad option and the accepted values
 * @return 0, 1 if --help was given (usage printed to @p out), or -1 on error
 */
int tcpd_config_parse_args(struct tcpd_config *c, int argc, char **argv, FILE *out, char *err,
			   size_t errlen);

/** IPv6's minimum link MTU (RFC 8200 5): --mtu's floor once --ip6 is given. */
#define TCPD_IP6_MIN_MTU 1280

/**
 * The rules between options, checked once the file and the command line are applied (by
 * tcpd_config_parse_args, last): with --ip6, --mtu of at least TCPD_IP6_MIN_MTU.
 * @return 0, or -1 with @p err naming the option and the accepted values
 */
int tcpd_config_check(const struct tcpd_config *c, char *err, size_t errlen);

/**
 * Apply an INI file over @p c: a regular file of at most TCPD_CONFIG_FILE_MAX bytes. Another
 * section than [tcpd], [tcpd] twice, a key twice, a line that is not "key = value", a section or
 * a comment, an unknown key, a bad value or a NUL byte is an error; nothing is applied then.
 * @return 0, or -1 with @p err set ("FILE:LINE: problem", or "FILE: problem"; no secret in it)
 */
int tcpd_config_load_file(struct tcpd_config *c, const char *path, char *err, size_t errlen);

/**
 * tcpd_config_load_file on text already in memory (tests, fuzzers). @p name names it in
 * messages. @p text holds @p len bytes and text[len] must be writable; the text is modified.
 */
int tcpd_config_load_text(struct tcpd_config *c, const char *name, char *text, size_t len,
			  char *err, size_t errlen);

/**
 * True if @p s may carry a secret and must not be printed: it holds a run of 16 or more hex
 * digits (a cookie secret has 64; of the other values only a file path might have one).
 */
bool tcpd_config_looks_secret(const char *s);

/** Print the usage with every option and its default. */
void tcpd_config_usage(FILE *out, const char *prog);

/** Number of options (rows for iteration: usage, telemetry /tcpd/config). */
unsigned int tcpd_config_nb_options(void);

/**
 * File key of option @p i (e.g. "max_conns") and its value in @p c as text in @p val.
 * The cookie secret is never shown: its value reads "set" or "random".
 * @return the key, or NULL if @p i is out of range
 */
const char *tcpd_config_option(const struct tcpd_config *c, unsigned int i, char *val, size_t len);

/** Name of service @p s ("discard", "echo", "http"), NULL if unknown. */
const char *tcpd_config_service_name(unsigned int s);

/** Name of cookie mode @p m ("off", "auto", "always"). */
const char *tcpd_config_syncookies_name(unsigned int m);

#endif /* TCPD_CONFIG_H */
