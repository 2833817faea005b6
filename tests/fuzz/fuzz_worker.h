/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_FUZZ_WORKER_H
#define TCPD_FUZZ_WORKER_H

/*
 * Everything the fuzz targets need from EAL, the worker and the TCP context, in one place
 * (fuzz_worker.c): when the worker gets a constructor or the TCP control block moves, only that
 * file changes. The targets see opaque handles and these few calls.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "tcpd_config.h"
#include "tcpd_conn.h"
#include "tcpd_tcb.h"
#include "tcpd_net.h"
#include "tcpd_stats.h"

/* The interface every target answers for: 02:00:00:00:00:01, 198.18.0.1. */
#define FUZZ_OUR_MAC                                                                               \
	{                                                                                          \
		{                                                                                  \
			0x02, 0, 0, 0, 0, 0x01                                                     \
		}                                                                                  \
	}
#define FUZZ_OUR_IP RTE_BE32(0xc6120001) /* 198.18.0.1 */
/* With cfg->ip6_prefix_len != 0 (fuzz_rx's IPv6 inputs) the interface also has the IPv6 address
 * cfg->ip6/prefix (--ip6); the targets use 2001:2::1/64 (RFC 5180 space). */
#define FUZZ_NB_MBUFS 4095

/*
 * EAL (once per process: --no-huge -m 256 --no-shconf --no-pci --no-telemetry, a file prefix
 * of its own, quiet logs), the mbuf pool and a net_ring port the worker transmits on.
 * Aborts on failure. Removes the runtime directory at exit.
 */
void fuzz_eal_init(const char *prog);

/* The pool every frame comes from (no per-lcore cache: the free count is exact). */
struct rte_mempool *fuzz_pool(void);

struct fuzz_worker;

/* One worker with its TCP context for @p cfg, interface FUZZ_OUR_MAC / FUZZ_OUR_IP / cfg->mtu,
 * and cfg->ip6 when cfg->ip6_prefix_len is set. */
struct fuzz_worker *fuzz_worker_create(const struct tcpd_config *cfg);

/* The same in client mode: cfg->client holds the targets; the worker gets its load engine
 * (tcpd_load_create, one lcore, one queue, no RSS), which fuzz_worker_step polls after the
 * timers, as the worker's poll loop does. */
struct fuzz_worker *fuzz_worker_create_client(const struct tcpd_config *cfg);

/* Client mode: the load engine's counters, and whether it is done (schedule, drain, abort). */
struct tcpd_load_stats;
const struct tcpd_load_stats *fuzz_worker_load_stats(const struct fuzz_worker *fw);
bool fuzz_worker_load_done(const struct fuzz_worker *fw);

/* Free the worker, its TCP context (connections, timers, held mbufs) and whatever is queued. */
void fuzz_worker_free(struct fuzz_worker *fw);

/*
 * One poll loop iteration with a given clock, as tcpd_worker_poll does it with rte_rdtsc():
 * process the burst (ownership of the mbufs passes), run timers, the load engine (client mode),
 * flush to the port. The frames
 * transmitted are returned in @p out (at most @p max; the caller frees them); extra ones are
 * freed here and counted in *dropped.
 */
unsigned int fuzz_worker_step(struct fuzz_worker *fw, struct rte_mbuf **pkts, uint16_t n,
			      uint64_t now_tsc, struct rte_mbuf **out, unsigned int max,
			      unsigned int *dropped);

/* The TSC the worker's context was created at (the start of its clock). */
uint64_t fuzz_worker_tsc0(const struct fuzz_worker *fw);

const struct tcpd_stats *fuzz_worker_stats(const struct fuzz_worker *fw);
struct tcpd_conn_table *fuzz_worker_table(struct fuzz_worker *fw);

/*
 * Whether @p isn is a SYN cookie the worker could have sent now (current or previous keys, a
 * counter up to 7 periods old) for a SYN with @p peer_isn from @p peer_ip (network order) port
 * @p peer_port to our @p local_port (host order): tells the SYN-ACKs whose ACK a cookie check
 * accepts from those of SYN-RECEIVED entries (RFC 6528 ISNs, never accepted as cookies).
 */
bool fuzz_worker_is_cookie(const struct fuzz_worker *fw, uint32_t peer_ip, uint16_t peer_port,
			   uint16_t local_port, uint32_t peer_isn, uint32_t isn);

/* fuzz_worker_is_cookie for an IPv6 peer @p peer_ip6 and our address @p our_ip6. */
bool fuzz_worker_is_cookie6(const struct fuzz_worker *fw, const uint8_t peer_ip6[16],
			    const uint8_t our_ip6[16], uint16_t peer_port, uint16_t local_port,
			    uint32_t peer_isn, uint32_t isn);

/* One slot of the connection table, as the invariants need it. */
struct fuzz_conn_view {
	bool live;
	bool armed; /* its timer is in the wheel */
	uint8_t state;
	uint32_t snd_una, snd_nxt, snd_max;
	uint32_t iss;
	uint16_t snd_mss;
	uint32_t peer_port, local_port; /* host order */
	/* IPv6 (the key holds ids): the peer's id (host order) and the address it stands for,
	 * and whether the intern table finds that address under that id */
	bool ip6;
	uint32_t peer_id;
	uint8_t peer_ip6[16];
	bool peer_found;
	/* live: tcpd_tcp_lookup (or _lookup_tw) finds this entry under its key, the other one
	 * nothing, and tcpd_tcp_key_state says its state */
	bool found;
};
/* Slot @p i (< capacity) of the table. */
void fuzz_worker_conn(struct fuzz_worker *fw, uint32_t i, struct fuzz_conn_view *v);
/* Responses the client connection in slot @p i completed (its record's count), UINT32_MAX if it
 * has no record: a connection of fuzz_worker_create_client's load engine only. */
uint32_t fuzz_worker_client_done(struct fuzz_worker *fw, uint32_t i);
/* TIME-WAIT slot @p i (< tcpd_conn_small_capacity) of the table: state TIME_WAIT, the sequence
 * fields all SND.NXT, never armed (its expiry is the entry's own), IPv6 fields as for a
 * connection; @p left_ms: ms to its expiry. */
void fuzz_worker_tw(struct fuzz_worker *fw, uint32_t i, struct fuzz_conn_view *v, int64_t *left_ms);

/*
 * A walk of the table, as every target checks it: fuzz_walk_conn takes slot @p i's view @p v (a
 * free slot must have no timer; a live entry a state past CLOSED and SND.UNA =< SND.NXT =<
 * SND.MAX) and counts it in @p w; fuzz_walk_check then holds the counts against the table's
 * count, conn_live, the state gauges and the timer wheel.
 */
struct fuzz_walk {
	uint64_t per_state[TCPD_STATS_NSTATES];
	uint32_t live, armed;
};
/* @return true if @p v is a live entry (the caller's own checks follow). */
bool fuzz_walk_conn(struct fuzz_walk *w, const struct fuzz_conn_view *v, uint32_t i);
void fuzz_walk_check(struct fuzz_worker *fw, const struct fuzz_walk *w);

/* A frame of @p len bytes from @p f in an mbuf of fuzz_pool (an empty pool is an invariant
 * violation: the worker leaks or hoards). */
struct rte_mbuf *fuzz_frame_mbuf(const uint8_t *f, unsigned int len);

/* Armed timers in the context's wheel, and the wheel's current tick. */
uint64_t fuzz_worker_timer_count(const struct fuzz_worker *fw);
uint64_t fuzz_worker_timer_now(const struct fuzz_worker *fw);

/*
 * The HTTP request parser (lib/tcp's http service) on one connection-like state, without TCP
 * around it: fuzz_http_feed hands @p len bytes to the parser as in-order payload and returns how
 * many it consumed. The peer is taken to acknowledge every response at once. @p max_requests:
 * --http-max-requests (0 = no limit).
 */
struct fuzz_http;
struct fuzz_http *fuzz_http_create(uint32_t body_size, uint32_t max_requests);
/* Free it (LeakSanitizer does not see into DPDK memory: free before exit). */
void fuzz_http_free(struct fuzz_http *h);
void fuzz_http_reset(struct fuzz_http *h);
uint32_t fuzz_http_feed(struct fuzz_http *h, const uint8_t *data, uint32_t len);
/* Requests answered so far; bytes of responses queued; true once a closing response is queued. */
uint64_t fuzz_http_requests(const struct fuzz_http *h);
uint32_t fuzz_http_resp_bytes(const struct fuzz_http *h);
/* 100 (Continue) responses queued so far. */
uint64_t fuzz_http_continues(const struct fuzz_http *h);
/* The response stream's bytes [@p off, @p off + @p n) as the http service's fill regenerates
 * them (a retransmission's bytes). */
void fuzz_http_fill(const struct fuzz_http *h, uint8_t *dst, uint32_t off, uint32_t n);
bool fuzz_http_closing(const struct fuzz_http *h);
/** Which refusal the parser counted: 0 none, 1 bad Content-Length, 2 bad Transfer-Encoding,
 * 3 both framings, 4 bad chunk, 5 obs-fold (-1: more than one counted). */
int fuzz_http_refusal(const struct fuzz_http *h);

#endif /* TCPD_FUZZ_WORKER_H */
