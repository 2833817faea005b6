/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_BENCH_H
#define TCPD_BENCH_H

/**
 * @file
 * tcpd-bench internals: the memory feed (packet templates, net_ring device), the per-lcore
 * context and the scenarios. The bench plays the network: it writes frames into the RX ring of a
 * net_ring port, runs the daemon's own poll loop (tcpd_worker_poll) on the same lcore, then
 * drains and checks the TX ring. Every phase is timed with rte_rdtsc so that the harness's share
 * of the cycles is reported next to the worker's.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "tcpd_app.h"
#include "tcpd_config.h"
#include "tcpd_conn.h"
#include "tcpd_cookie.h"
#include "tcpd_net.h"
#include "tcpd_tcp.h"
#include "tcpd_worker.h"
/** The cookie secrets every bench worker shares (as the daemon's control thread would own). */
extern const struct tcpd_cookie_store *bench_cookies;

/** Packets per feed burst: the worker's RX burst, so one enqueue is one rx_burst. */
#define BENCH_BURST 32
/** Most lcores the bench drives (the machine has 2). */
#define BENCH_MAX_LCORES 2
/** Most runs of one scenario. */
#define BENCH_MAX_RUNS 32
/** Most table sizes for the established-ACK scenario. */
#define BENCH_MAX_TABLES 8

/* Addresses: the server is 198.18.0.1; client tuple n maps to 198.18.1.0 + (n >> 15) and port
 * 32768 + (n & 0x7fff), a bijection, so a reply's destination gives n back without a lookup. */
/* 198u: DPDK 22.11's RTE_IPV4 shifts an int, and 198 << 24 overflows it (UB) */
#define BENCH_SERVER_IP	   RTE_IPV4(198u, 18, 0, 1)
#define BENCH_CLIENT_IP0   RTE_IPV4(198u, 18, 1, 0)
#define BENCH_CLIENT_PORT0 32768u
#define BENCH_SLOT_BITS	   15
/** Client tuples available (up to 198.19.255.254). */
#define BENCH_MAX_TUPLES   (((uint64_t)(RTE_IPV4(198u, 19, 255, 254) - BENCH_CLIENT_IP0)) << 15)
#define BENCH_HTTP_PORT	   80
#define BENCH_DISCARD_PORT 9
#define BENCH_ECHO_PORT	   7
#define BENCH_CLIENT_MSS   1460

static inline uint32_t
bench_tuple_ip(uint32_t n) /* network order */
{
	return rte_cpu_to_be_32(BENCH_CLIENT_IP0 + (n >> BENCH_SLOT_BITS));
}

static inline uint16_t
bench_tuple_port(uint32_t n) /* network order */
{
	return rte_cpu_to_be_16(
		(uint16_t)(BENCH_CLIENT_PORT0 + (n & ((1u << BENCH_SLOT_BITS) - 1))));
}

/** n from a client address and port (network order); UINT32_MAX if not a client tuple. */
static inline uint32_t
bench_tuple_n(uint32_t ip_be, uint16_t port_be)
{
	uint32_t ip = rte_be_to_cpu_32(ip_be), port = rte_be_to_cpu_16(port_be);

	if (ip < BENCH_CLIENT_IP0 || port < BENCH_CLIENT_PORT0)
		return UINT32_MAX;
	return ((ip - BENCH_CLIENT_IP0) << BENCH_SLOT_BITS) | (port - BENCH_CLIENT_PORT0);
}

/* IPv6 (syn6-* scenarios): the server is 2001:2::1; client tuple n is 2001:2:0:1::/64 with the
 * IPv4 tuple address as its low 32 bits, the same port, so bench_tuple_n reads a reply's
 * destination back from those 32 bits. */
#define BENCH_CLIENT_MSS6 1440
extern const uint8_t bench_server_ip6[16];
extern const uint8_t bench_client_net6[16];
/* The IPv6 cycle's client: its address 2001:2:0:1::1 and the source range of 65,536 addresses
 * from 2001:2:0:1::c612:100 (the low 32 bits of tuple n's address are those of the IPv4 tuple
 * address, as for syn6-*): tuple n leaves from offset n >> BENCH_SLOT_BITS of the range. */
#define BENCH_CYCLE6_RANGE 65536u
/** Offsets in an IPv6 frame without extension headers: the source's low 32 bits, TCP. */
#define BENCH_OFF6_SRC_LO (14 + 8 + 12)
#define BENCH_OFF6_DST_LO (14 + 24 + 12)
#define BENCH_OFF6_TCP	  (14 + 40)

/* TCP flags, for the checks that read a reply's flags byte without parsing it. */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

/* Offsets in an IPv4 frame without IP options (the server and the bench both send IHL 5). */
#define OFF_IP	  14
#define OFF_TCP	  34
#define OFF_FLAGS (OFF_TCP + 13)

/** 4 bytes at @p p as they are (network order), e.g. an IPv6 address's low 32 bits. */
static inline uint32_t
bench_ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/** The client's initial sequence number for tuple n: spread over the space, cheap to recompute. */
static inline uint32_t
bench_cisn(uint32_t n)
{
	return n * 0x9E3779B1u + 0x1234567u;
}

/** A prebuilt Ethernet/IPv4/TCP frame; per packet only source, ports, seq, ack change. */
struct bench_tmpl {
	uint16_t len;	   /**< frame length */
	uint16_t plen;	   /**< TCP payload length */
	uint32_t ip_sum;   /**< raw 16-bit sum of the IPv4 header with src and checksum zero */
	uint32_t tcp_sum;  /**< same for pseudo header + TCP header + payload */
	uint64_t ol_flags; /**< RX flags a NIC would set (--offload: checksums verified) */
	uint8_t data[192];
};

/** --offload: templates say "checksums good", the server's port computes TX checksums. A global
 * rather than a bench_opts field: templates are built where no options are at hand. */
extern bool bench_offload;

/** --offload: check the worker's half of the TX checksum contract on an IPv4/TCP frame, then
 * complete the checksums as the NIC would. @return false if the worker broke the contract */
bool nic_tx_cksum(uint8_t *f, uint32_t len);

/** Build a client->server template (sport, seq, ack, source IP left zero). */
void bench_tmpl_init(struct bench_tmpl *t, const struct rte_ether_addr *src_mac,
		     const struct rte_ether_addr *dst_mac, uint32_t dst_ip_be, uint16_t dport,
		     uint8_t flags, uint16_t mss, const void *payload, uint16_t plen);

/** Build an IPv6 client->server template (source's low 32 bits, sport, seq, ack left zero). */
void bench_tmpl6_init(struct bench_tmpl *t, const struct rte_ether_addr *src_mac,
		      const struct rte_ether_addr *dst_mac, uint16_t dport, uint8_t flags,
		      uint16_t mss);

static inline uint16_t
bench_fold(uint64_t s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/**
 * Write template @p t into @p m for tuple (ip, port) with @p seq / @p ack (host order). The
 * checksums are the template's precomputed partial sums plus the changed words (RFC 1071 sums
 * are byte-order independent, so the raw big-endian words are added as loaded), so the payload
 * is never summed per packet.
 */
static inline void
bench_tmpl_fill(const struct bench_tmpl *t, struct rte_mbuf *m, uint32_t ip_be, uint16_t port_be,
		uint32_t seq, uint32_t ack)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t seq_be = rte_cpu_to_be_32(seq), ack_be = rte_cpu_to_be_32(ack);
	uint64_t s;

	rte_memcpy(p, t->data, t->len);
	m->data_len = t->len;
	m->pkt_len = t->len;
	m->ol_flags = t->ol_flags;
	memcpy(p + 14 + 12, &ip_be, 4); /* IPv4 source */
	memcpy(p + 34, &port_be, 2);	/* TCP source port */
	memcpy(p + 34 + 4, &seq_be, 4); /* sequence */
	memcpy(p + 34 + 8, &ack_be, 4); /* acknowledgment */
	s = (uint64_t)t->ip_sum + (ip_be & 0xffff) + (ip_be >> 16);
	*(uint16_t *)(p + 14 + 10) = (uint16_t)~bench_fold(s);
	s = (uint64_t)t->tcp_sum + (ip_be & 0xffff) + (ip_be >> 16) + port_be + (seq_be & 0xffff) +
	    (seq_be >> 16) + (ack_be & 0xffff) + (ack_be >> 16);
	*(uint16_t *)(p + 34 + 16) = (uint16_t)~bench_fold(s);
}

/** bench_tmpl_fill for an IPv6 template: @p ip_be becomes the source address's low 32 bits. */
static inline void
bench_tmpl6_fill(const struct bench_tmpl *t, struct rte_mbuf *m, uint32_t ip_be, uint16_t port_be,
		 uint32_t seq, uint32_t ack)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint8_t *th = p + BENCH_OFF6_TCP;
	uint32_t seq_be = rte_cpu_to_be_32(seq), ack_be = rte_cpu_to_be_32(ack);
	uint64_t s;

	rte_memcpy(p, t->data, t->len);
	m->data_len = t->len;
	m->pkt_len = t->len;
	m->ol_flags = t->ol_flags;
	memcpy(p + BENCH_OFF6_SRC_LO, &ip_be, 4);
	memcpy(th, &port_be, 2);
	memcpy(th + 4, &seq_be, 4);
	memcpy(th + 8, &ack_be, 4);
	s = (uint64_t)t->tcp_sum + (ip_be & 0xffff) + (ip_be >> 16) + port_be + (seq_be & 0xffff) +
	    (seq_be >> 16) + (ack_be & 0xffff) + (ack_be >> 16);
	*(uint16_t *)(th + 16) = (uint16_t)~bench_fold(s);
}

/** Command line options. */
struct bench_opts {
	uint64_t packets;    /**< timed packets per lcore per run (flood scenarios) */
	uint64_t conns;	     /**< connections per lcore per run (full cycle) */
	double duration;     /**< cap in seconds per timed run */
	unsigned int runs;   /**< timed runs per scenario (median reported) */
	unsigned int window; /**< full cycle: connections in flight per lcore */
	unsigned int verify; /**< replies fully checked before each timed run */
	bool verify_all;     /**< check every reply in the timed runs too */
	bool json;	     /**< JSON instead of the table */
	bool quick;	     /**< CI smoke: small counts, everything verified */
	uint32_t synq_fill;  /**< auto scenario: half-open entries = table size */
	uint32_t http_body;  /**< HTTP response body bytes */
	uint32_t load_conns; /**< load scenarios: connections per lcore (the rate for 1 s) */
	uint32_t ol_table;   /**< overload: the server's table size */
	double ol_secs;	     /**< overload: wall seconds of offered load per multiple */
	uint32_t ol_mults[BENCH_MAX_TABLES]; /**< overload: offered multiples of capacity */
	unsigned int nb_ol_mults;
	bool syn_shed;	    /**< the servers' SYN admission control (--syn-shed) */
	bool last_ack_shed; /**< saturated servers do not resend late LAST-ACKs' FINs */
	uint32_t tables[BENCH_MAX_TABLES];
	unsigned int nb_tables;
	unsigned int max_lcores;   /**< 1 or 2 */
	uint32_t big_table_lcores; /**< tables above 1M only with this many lcores or fewer */
	char only[256];		   /**< comma list of scenario names to run, empty = all */
};

/** What one lcore measured in one timed run. */
struct bench_meas {
	uint64_t rx;	/**< packets fed to the worker */
	uint64_t tx;	/**< packets drained from the TX ring */
	uint64_t conns; /**< connections completed */
	uint64_t tsc;	/**< cycles of the timed loop */
	/** of which in tcpd_worker_poll (or the forward); cycle scenarios: the server's */
	uint64_t tsc_worker;
	/** cycle scenarios: of which in the client worker (launches + poll) */
	uint64_t tsc_client;
	/** cycle scenarios: of tsc_worker, the server calls that received something */
	uint64_t tsc_busy;
	uint64_t ok;	   /**< replies that passed the check (full or light) */
	uint64_t failures; /**< wrong or missing replies, failed connections */
};

/** Checks accumulated over all runs of a scenario on one lcore. */
struct bench_checks {
	uint64_t sent;		  /**< packets fed (all phases) */
	uint64_t replies;	  /**< replies drained */
	uint64_t verified;	  /**< replies fully parsed and checked */
	uint64_t bad_reply;	  /**< replies failing a check */
	uint64_t missing;	  /**< expected replies that never came */
	uint64_t unexpected;	  /**< replies where none was expected */
	uint64_t cookie_replayed; /**< cookie ACKs sent back */
	uint64_t cookie_ok;	  /**< accepted by the server */
	uint64_t cookie_bad;	  /**< refused as bad or expired */
	uint64_t table_full;	  /**< valid cookies refused because the table is full */
	uint64_t replay_replies;  /**< packets the server sent in answer to the replayed ACKs */
	uint64_t retrans;	  /**< SYN-ACK retransmissions for prefill entries (auto) */
	uint64_t server_open;	  /**< server connections still open after a run (gauges) */
	uint64_t server_drops;	  /**< server drop/RST/retransmit counters that moved */
	uint64_t conns_ok;	  /**< full cycles completed */
	uint64_t conns_failed;	  /**< full cycles failed (RST, bad data, stall) */
	uint64_t resp_bytes;	  /**< HTTP response bytes received and checked */
	uint64_t server_closed;	  /**< completed connections found CLOSED or TIME-WAIT */
	uint64_t server_other;	  /**< completed connections in another server state */
	uint64_t tx_drop;	  /**< worker TX drops (ring full) */
	uint64_t table_conns;	  /**< live connections in the table (ACK scenario) */
	uint64_t table_bytes;	  /**< tcpd_tcp_conn_memory: table and closing ring */
	uint64_t lookup_keys;	  /**< keys looked up by the lookup probe (ACK scenario) */
	uint64_t lookup_tsc;	  /**< cycles they took: hash + tcpd_conn_lookup_bulk */
	uint64_t lookup_miss;	  /**< of them not found (must be 0) */
	uint64_t client_bad;	  /**< client worker drop/RST/retransmit counters that moved */
	uint64_t requests;	  /**< cycle and load: responses the client checked complete */
	uint64_t srv_requests;	  /**< load: HTTP requests the server answered */
	uint64_t cli_rx_bytes;	  /**< load: payload bytes the client received */
	uint64_t cli_tx_bytes;	  /**< load: payload bytes the client sent */
	uint64_t srv_rx_bytes;	  /**< load: payload bytes the server accepted */
	uint64_t srv_tx_bytes;	  /**< load: payload bytes the server sent */
	uint64_t srv_opened;	  /**< load: server connections that reached ESTABLISHED */
	uint64_t srv_closed;	  /**< load: server connections removed from its table */
	uint64_t strays; /**< cycle: replies for a connection already ended (not an error) */
	/* overload (dperf-like client, open loop paced in server time) */
	uint64_t ol_cap_conns;	     /**< capacity run: connections completed */
	uint64_t ol_cap_tsc;	     /**< capacity run: server worker cycles */
	uint64_t ol_offered;	     /**< launches the pacer asked for */
	uint64_t ol_no_slot;	     /**< of them not made: every client slot busy */
	uint64_t ol_tsc;	     /**< overload run: server worker cycles */
	uint64_t ol_fail[8];	     /**< failed connections by close reason (TCPD_CLOSE_*) */
	uint64_t ol_bad;	     /**< failed: a response check failed */
	uint64_t srv_syn_shed;	     /**< overload: SYNs the server's admission control dropped */
	uint64_t ol_cap_shed;	     /**< capacity run (closed loop): the same, expected 0 */
	uint64_t srv_last_ack_shed;  /**< overload: late LAST-ACKs reset while saturated */
	uint64_t wire_drops;	     /**< frames the server's full RX ring refused (as a NIC) */
	uint64_t wire_drops_cli;     /**< frames the client's full RX ring refused */
	uint64_t fin_dropped;	     /**< retransmitted server FINs the client dropped */
	uint64_t srv_table_full;     /**< server: table_full */
	uint64_t srv_cookie_no_room; /**< server: cookie_no_room */
	uint64_t srv_rst_tx;	     /**< server: rst_tx */
	uint64_t srv_retransmit;     /**< server: retransmit */
	uint64_t srv_reclaimed;	     /**< server: closing_reclaimed + stalled_reclaimed */
};

/** One lcore's resources. */
struct bench_lcore {
	unsigned int idx;
	unsigned int lcore_id;
	int socket;
	uint16_t port_id;
	struct rte_ring *rxr;
	struct rte_ring *txr;
	struct rte_mempool *pool;
	struct bench_meas meas[BENCH_MAX_RUNS];
	struct bench_checks chk;
	char note[160]; /**< why a run was skipped or failed on this lcore */
	uint64_t rng;
	struct tcpd_worker *w;
	struct tcpd_iface cifc; /**< the client side, to parse replies (ip set per reply) */
	/* Cycle and load scenarios: the client worker's own net_ring port, created on first use
	 * and kept (ports are not destroyed); the harness moves frames between the two ports. */
	struct tcpd_worker *cw;
	struct rte_ring *crxr;
	struct rte_ring *ctxr;
	int cport;  /**< its port id + 1; 0 until created */
	void *scen; /**< scenario state */
};

/** Scenario kinds. */
enum bench_kind {
	BENCH_FORWARD = 0,
	BENCH_SYN_ALWAYS,
	BENCH_SYN_AUTO_FULL,
	BENCH_CYCLE_AUTO,
	BENCH_CYCLE_ALWAYS,
	BENCH_ACK_EST,
	BENCH_LOAD_HTTP, /**< lib/load's engine against the server, counts compared (no figure) */
	BENCH_LOAD_ECHO,
	BENCH_OVERLOAD,	      /**< dperf-like client at a multiple of the server's capacity */
	BENCH_SYN6_ALWAYS,    /**< syn-always over IPv6 */
	BENCH_SYN6_AUTO_FULL, /**< syn-auto-full over IPv6 */
	BENCH_CYCLE6_AUTO,    /**< cycle-auto over IPv6, the client from an IPv6 source range */
	BENCH_CYCLE6_ALWAYS,  /**< cycle-always over IPv6 */
};

/** A scenario run on some lcores. */
struct bench_job {
	enum bench_kind kind;
	const char *name;
	unsigned int nb_lcores;
	uint32_t table; /**< ACK scenario: live connections per lcore */
	const struct bench_opts *o;
	struct bench_lcore *lc[BENCH_MAX_LCORES];
	volatile uint32_t bar_count;
	volatile uint32_t bar_gen;
	bool skipped;
	char note[200];
};

/** Set up one lcore's net_ring port, rings and mbuf pool. @return 0 or -1 */
int bench_lcore_init(struct bench_lcore *lc, unsigned int idx, unsigned int lcore_id,
		     uint32_t nb_mbufs);

/** Drop what is left in the rings (after a run). */
void bench_lcore_flush(struct bench_lcore *lc);

/** lcore entry: runs job->kind on lcore job->lc[i] (arg is a struct bench_lcore_arg). */
int bench_job_lcore(void *arg);

struct bench_lcore_arg {
	struct bench_job *job;
	unsigned int i;
};

/** Wait until every lcore of the job is here. */
void bench_barrier(struct bench_job *job);

extern const struct rte_ether_addr bench_server_mac;
extern const struct rte_ether_addr bench_client_mac;

#endif /* TCPD_BENCH_H */
