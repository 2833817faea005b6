/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCP_FIXTURE_H
#define TCP_FIXTURE_H

/**
 * @file
 * Set-up shared by the unit tests of lib/tcp, lib/net and lib/worker (test_tcp, test_tcp6,
 * test_net, test_net6, test_icmpq, test_load, test_conn): EAL, the configuration they start
 * from, workers, the peer's frames, a client application that records what TCP tells it, and
 * big-endian field access. Each test keeps its own assertions; only the scaffolding is here.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "tcpd_app.h"
#include "tcpd_config.h"
#include "tcpd_cookie.h"
#include "tcpd_net.h"
#include "tcpd_tcp.h"
#include "tcpd_worker.h"

/**
 * rte_eal_init for unit test binary test_@p name: one lcore, no huge pages, 256 MB, no shared
 * config, no PCI, its own file prefix (tcpd_t_@p name) so that test binaries run in parallel.
 * @param log_level EAL's own log level ("error", "warning")
 * @return rte_eal_init's result
 */
int tfx_eal_init(const char *name, const char *log_level);

/**
 * The lib/tcp configuration the tests start from: zeroed, then address @p ip (network order),
 * MTU 1500, and tcpd_config_defaults' values for TIME-WAIT (60 s), retransmissions (3), the
 * HTTP body (100 bytes), RST rate (1000/s), TLP (on), random-loss window (2 ms) and challenge
 * ACK limit (10). Listeners, table and SYN queue sizes, cookies and the FIN-WAIT-2 timeout are
 * each test's own.
 */
void tfx_cfg_defaults(struct tcpd_config *cfg, uint32_t ip);

/**
 * A worker for queue @p queue (also its lcore id) of port @p port, its connection table named
 * @p name; its quit flag is never set. The arguments must outlive it. Fails the test on error.
 */
struct tcpd_worker *tfx_worker_create(const struct tcpd_config *cfg, const struct tcpd_iface *ifc,
				      const struct tcpd_cookie_store *cookies,
				      struct rte_mempool *pool, uint16_t port, uint16_t queue,
				      const char *name);

/** A TCP segment from the peer, in host order. */
struct tfx_seg {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	struct tcpd_tcp_opts opts;
	const char *data; /**< @p len bytes of payload, NULL: none */
	uint16_t len;
};

/**
 * @p s as an Ethernet/IPv4 frame from @p from (its MAC and address) to @p to, in a new mbuf of
 * @p pool, built by lib/net with software checksums. @p len: the frame's length.
 */
struct rte_mbuf *tfx_frame4(struct rte_mempool *pool, const struct tcpd_iface *from,
			    const struct tcpd_iface *to, const struct tfx_seg *s, uint32_t *len);

/** As tfx_frame4 over IPv6, from @p src to @p dst (16 bytes each) with flow label @p flow. */
struct rte_mbuf *tfx_frame6(struct rte_mempool *pool, const struct tcpd_iface *from,
			    const struct tcpd_iface *to, const uint8_t *src, const uint8_t *dst,
			    uint32_t flow, const struct tfx_seg *s, uint32_t *len);

/** What TCP told the test client application (tfx_act_ops); zero it before each test. */
struct tfx_act {
	unsigned int established, freed;
	enum tcpd_close_reason why; /**< of the last free */
	int close_on_open;	    /**< close our side as soon as established */
};
extern struct tfx_act tfx_act;

/**
 * A client application that records its connection's events in tfx_act: it takes what it is
 * given up to the room offered and queues no data (fill fails the test).
 */
extern const struct tcpd_app_ops tfx_act_ops;

/** Big-endian field access for frames built or read byte by byte. */
static inline uint16_t
tfx_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
tfx_get32(const uint8_t *p)
{
	return (uint32_t)tfx_get16(p) << 16 | tfx_get16(p + 2);
}

static inline void
tfx_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
tfx_put32(uint8_t *p, uint32_t v)
{
	tfx_put16(p, (uint16_t)(v >> 16));
	tfx_put16(p + 2, (uint16_t)v);
}

#endif /* TCP_FIXTURE_H */
