/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP(v6) errors that arrive on another worker's queue (lib/worker/icmpq.c): two workers on
 * the two queues of one net_ring port, with the RSS model of a real port (Microsoft's key, a
 * round-robin RETA of 128 entries). A connection is opened on the worker its tuple hashes to
 * (computed here with DPDK's rte_softrss over the original key, not lib/client's converted-key
 * path), the error about it is fed to the other worker's queue, and what each worker does is
 * checked: the receiver hands it over (icmp_handoff) without touching anything, the owner
 * applies it on its next poll (icmp_handoff_rx, then tcp_icmp.c's own counters, segment size,
 * retransmission, end of the handshake), exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_thash.h>

#include "tcp_fixture.h"

#define OUR_IP	  RTE_IPV4(198u, 18, 0, 1)
#define PEER_IP	  RTE_IPV4(198u, 18, 0, 2)
#define ROUTER_IP RTE_IPV4(198u, 18, 0, 254)
#define RETA_SIZE 128
#define P_ECHO	  7
#define P_DISCARD 9

static const uint8_t OUR6[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t PEER6[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t ROUTER6[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe};

static struct rte_mempool *pool;
static struct tcpd_cookie_store cookies;
static struct tcpd_config cfg;
static struct tcpd_iface ifc, peer_ifc;
static struct rte_ring *rxr[2], *txr[2];
static uint16_t port;
static uint16_t reta[RETA_SIZE];
static struct tcpd_worker *w[2];
static unsigned int seq_no;

/* ---- the RSS model, computed independently ---- */
static uint16_t
queue4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	union rte_thash_tuple t;

	t.v4.src_addr = src;
	t.v4.dst_addr = dst;
	t.v4.sport = sport;
	t.v4.dport = dport;
	return reta[rte_softrss((uint32_t *)&t, RTE_THASH_V4_L4_LEN, tcpd_tuple_rss_key_default) %
		    RETA_SIZE];
}

static uint16_t
queue6(const uint8_t *src, const uint8_t *dst, uint16_t sport, uint16_t dport)
{
	struct rte_ipv6_hdr h;
	union rte_thash_tuple t;

	memcpy(h.src_addr, src, 16);
	memcpy(h.dst_addr, dst, 16);
	rte_thash_load_v6_addrs(&h, &t);
	t.v6.sport = sport;
	t.v6.dport = dport;
	return reta[rte_softrss((uint32_t *)&t, RTE_THASH_V6_L4_LEN, tcpd_tuple_rss_key_default) %
		    RETA_SIZE];
}

/* The first peer port from @p from whose segments to our port @p dport land on queue @p q. */
static uint16_t
peer_port_for(unsigned int q, uint16_t from, uint16_t dport, int v6)
{
	uint16_t p;

	for (p = from;; p++)
		if ((v6 ? queue6(PEER6, OUR6, p, dport) : queue4(PEER_IP, OUR_IP, p, dport)) == q)
			return p;
}

/* ---- workers and frames ---- */
static void
workers_start(uint32_t reta_size)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		char name[16];

		snprintf(name, sizeof(name), "iq%u_%u", seq_no++, i);
		w[i] = tfx_worker_create(&cfg, &ifc, &cookies, pool, port, (uint16_t)i, name);
	}
	assert_int_equal(tcpd_worker_icmpq_setup(w, 2, tcpd_tuple_rss_key_default,
						 TCPD_TUPLE_RSS_KEY_LEN, reta, reta_size),
			 0);
	for (i = 0; i < 2; i++)
		tcpd_worker_poll(w[i]); /* the clock, for tcpd_tcp_connect */
}

static void
ring_free_all(struct rte_ring *r)
{
	struct rte_mbuf *m;

	while (rte_ring_dequeue(r, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

static void
workers_stop(void)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		tcpd_worker_free(w[i]);
		w[i] = NULL;
		ring_free_all(rxr[i]);
		ring_free_all(txr[i]);
	}
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

static uint64_t
cnt(unsigned int q, enum tcpd_stat s)
{
	return w[q]->stats.c[s];
}

/* Frames worker @p q sent since the last call, parsed as the peer reads them. */
static unsigned int
take(unsigned int q, struct tcpd_pkt *out, unsigned int max)
{
	struct rte_mbuf *m[16];
	unsigned int n, i;

	n = rte_ring_dequeue_burst(txr[q], (void **)m, RTE_DIM(m), NULL);
	for (i = 0; i < n; i++) {
		enum tcpd_stat reason;

		if (i < max)
			assert_int_equal(tcpd_net_parse(rte_pktmbuf_mtod(m[i], void *),
							m[i]->data_len, &peer_ifc, 0, &out[i],
							&reason),
					 TCPD_NET_TCP);
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

/* A segment from the peer to worker @p q's queue, processed by one poll. */
static void
seg_in(unsigned int q, int v6, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
       uint8_t flags, uint16_t mss, uint16_t plen)
{
	static const char data[200];
	struct tfx_seg s = {sport, dport, seq, ack, flags, 65535, {0}, data, plen};
	struct rte_mbuf *m;
	uint32_t len;

	if (mss != 0) {
		s.opts.present = TCPD_OPT_MSS;
		s.opts.mss = mss;
	}
	m = v6 ? tfx_frame6(pool, &peer_ifc, &ifc, PEER6, OUR6, 0, &s, &len)
	       : tfx_frame4(pool, &peer_ifc, &ifc, &s, &len);
	assert_int_equal(rte_ring_enqueue(rxr[q], m), 0);
	assert_int_equal(tcpd_worker_poll(w[q]), 1);
}

/*
 * An ICMP error from the router about our segment (our port @p lport to the peer's @p pport,
 * SEG.SEQ @p seq), queued on @p q's RX ring. IPv4: type 3, @p code (4: fragmentation needed,
 * with next-hop MTU @p mtu); IPv6: @p type (1 unreachable, 2 packet too big with @p mtu).
 */
static void
icmp_in(unsigned int q, int v6, uint8_t type, uint8_t code, uint16_t mtu, uint16_t lport,
	uint16_t pport, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *f, *ip, *ic, *qt;
	uint32_t len, s = 0, i;
	uint16_t ck;

	assert_non_null(m);
	f = rte_pktmbuf_mtod(m, uint8_t *);
	memset(f, 0, 160);
	memcpy(f, &ifc.mac, 6);
	memcpy(f + 6, &peer_ifc.mac, 6);
	ip = f + 14;
	if (!v6) {
		tfx_put16(f + 12, RTE_ETHER_TYPE_IPV4);
		ip[0] = 0x45;
		tfx_put16(ip + 2, 20 + 8 + 20 + 8);
		ip[8] = 64;
		ip[9] = IPPROTO_ICMP;
		tfx_put32(ip + 12, ROUTER_IP);
		tfx_put32(ip + 16, OUR_IP);
		ic = ip + 20;
		ic[0] = type;
		ic[1] = code;
		tfx_put16(ic + 6, mtu);
		qt = ic + 8; /* the quoted IPv4 header, then 8 bytes of TCP */
		qt[0] = 0x45;
		tfx_put16(qt + 2, 40);
		tfx_put16(qt + 6, 0x4000); /* DF */
		qt[8] = 64;
		qt[9] = IPPROTO_TCP;
		tfx_put32(qt + 12, OUR_IP);
		tfx_put32(qt + 16, PEER_IP);
		tfx_put16(qt + 20, lport);
		tfx_put16(qt + 22, pport);
		tfx_put32(qt + 24, seq);
		/* rte_raw_cksum sums native-order words: its complement is stored as it is */
		ck = (uint16_t)~rte_raw_cksum(ic, 36);
		memcpy(ic + 2, &ck, 2);
		ck = rte_ipv4_cksum((const struct rte_ipv4_hdr *)ip);
		memcpy(ip + 10, &ck, 2);
		len = 14 + 20 + 36;
	} else {
		tfx_put16(f + 12, RTE_ETHER_TYPE_IPV6);
		ip[0] = 0x60;
		tfx_put16(ip + 4, 8 + 40 + 8);
		ip[6] = IPPROTO_ICMPV6;
		ip[7] = 64;
		memcpy(ip + 8, ROUTER6, 16);
		memcpy(ip + 24, OUR6, 16);
		ic = ip + 40;
		ic[0] = type;
		ic[1] = code;
		tfx_put32(ic + 4, mtu);
		qt = ic + 8;
		qt[0] = 0x60;
		tfx_put16(qt + 4, 20);
		qt[6] = IPPROTO_TCP;
		qt[7] = 64;
		memcpy(qt + 8, OUR6, 16);
		memcpy(qt + 24, PEER6, 16);
		tfx_put16(qt + 40, lport);
		tfx_put16(qt + 42, pport);
		tfx_put32(qt + 44, seq);
		/* RFC 4443 2.3: the pseudo-header (RFC 8200 8.1) and the message */
		for (i = 0; i < 32; i += 2)
			s += (uint32_t)ip[8 + i] << 8 | ip[9 + i];
		s += 56 + IPPROTO_ICMPV6;
		for (i = 0; i < 56; i += 2)
			s += (uint32_t)ic[i] << 8 | ic[i + 1];
		while (s >> 16)
			s = (s & 0xffff) + (s >> 16);
		tfx_put16(ic + 2, (uint16_t)~s);
		len = 14 + 40 + 56;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	assert_int_equal(rte_ring_enqueue(rxr[q], m), 0);
}

/* The only connection of worker @p q (NULL if none), and how many it has. */
static void
conn_cb(struct tcpd_tcb *c, void *arg)
{
	struct tcpd_tcb **last = arg;

	last[0] = c;
	last[1] = (struct tcpd_tcb *)((uintptr_t)last[1] + 1);
}

static unsigned int
conns(unsigned int q, struct tcpd_tcb **c)
{
	struct tcpd_tcb *r[2] = {NULL, NULL};

	tcpd_tcp_foreach(w[q]->tcp, conn_cb, r);
	if (c != NULL)
		*c = r[0];
	return (unsigned int)(uintptr_t)r[1];
}

/* Open an echo connection on worker @p q from peer port @p sport and leave @p plen bytes of
 * its echo unacknowledged. @return the connection (SND.UNA at the echo's first byte) */
static struct tcpd_tcb *
open_echo(unsigned int q, int v6, uint16_t sport, uint16_t mss, uint16_t plen)
{
	struct tcpd_pkt out[4];
	struct tcpd_tcb *c;
	uint32_t iss;

	seg_in(q, v6, sport, P_ECHO, 1000, 0, TCPD_TH_SYN, mss, 0);
	assert_int_equal(take(q, out, 4), 1);
	assert_int_equal(out[0].flags, TCPD_TH_SYN | TCPD_TH_ACK);
	iss = out[0].seq;
	seg_in(q, v6, sport, P_ECHO, 1001, iss + 1, TCPD_TH_ACK, 0, plen);
	assert_int_equal(take(q, out, 4), 1);
	assert_int_equal(out[0].seq, iss + 1);
	assert_int_equal(out[0].payload_len, plen);
	assert_int_equal(conns(q, &c), 1);
	assert_int_equal(c->state, TCPD_ESTABLISHED);
	assert_int_equal(c->snd_una, iss + 1);
	assert_int_equal(c->snd_max, iss + 1 + plen);
	assert_int_equal(c->snd_mss, mss);
	return c;
}

/* ---- tests ---- */

/* Fragmentation needed for worker 1's connection, received by worker 0: handed over untouched,
 * applied by worker 1 at its next poll (segment size, the flight sent again), with the
 * RFC 5927 sequence check still the owner's; an error on the owner's own queue stays there. */
static void
test_mtu4(void **state)
{
	uint16_t sport, sport0;
	struct tcpd_pkt out[4];
	struct tcpd_tcb *c;
	uint32_t una;

	(void)state;
	workers_start(RETA_SIZE);
	sport = peer_port_for(1, 40000, P_ECHO, 0);
	c = open_echo(1, 0, sport, 1460, 100);
	una = c->snd_una;

	icmp_in(0, 0, 3, 4, 1000, P_ECHO, sport, una);
	assert_int_equal(tcpd_worker_poll(w[0]), 1);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff), 1);
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_conn), 0);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_mtu_lowered), 0);
	assert_int_equal(take(0, out, 4), 0);
	assert_int_equal(c->snd_mss, 1460); /* not before the owner's poll */
	assert_int_equal(rte_ring_count(w[1]->icmpq), 1);

	assert_int_equal(tcpd_worker_poll(w[1]), 0);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff_rx), 1);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_mtu_lowered), 1);
	assert_int_equal(cnt(1, TCPD_STAT_drop_icmp_conn), 0);
	assert_int_equal(c->snd_mss, 1000 - 40);
	assert_int_equal(take(1, out, 4), 1); /* the 100 bytes again */
	assert_int_equal(out[0].seq, una);
	assert_int_equal(out[0].payload_len, 100);
	assert_int_equal(rte_ring_count(w[1]->icmpq), 0);

	/* SND.MAX is outside SND.UNA..SND.NXT-1: handed over, refused by the owner */
	icmp_in(0, 0, 3, 4, 700, P_ECHO, sport, una + 100);
	tcpd_worker_poll(w[0]);
	tcpd_worker_poll(w[1]);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff), 2);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff_rx), 2);
	assert_int_equal(cnt(1, TCPD_STAT_drop_icmp_conn), 1);
	assert_int_equal(c->snd_mss, 960);
	assert_int_equal(take(1, out, 4), 0);

	/* on the owner's own queue: applied there, nothing handed over */
	icmp_in(1, 0, 3, 4, 800, P_ECHO, sport, una);
	assert_int_equal(tcpd_worker_poll(w[1]), 1);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_mtu_lowered), 2);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff), 0);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff_rx), 2);
	assert_int_equal(c->snd_mss, 760);
	assert_int_equal(take(1, out, 4), 1);
	assert_int_equal(out[0].payload_len, 100);

	/* a tuple of worker 0's own, on worker 0: its own lookup (no connection there) */
	sport0 = peer_port_for(0, 40000, P_ECHO, 0);
	icmp_in(0, 0, 3, 4, 1000, P_ECHO, sport0, una);
	tcpd_worker_poll(w[0]);
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_conn), 1);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff), 2);
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_handoff), 0);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff_rx), 0);
	assert_int_equal(cnt(1, TCPD_STAT_drop_icmp_handoff), 0);
	workers_stop();
}

/* ---- client mode: our SYN refused, the error on the other queue ---- */
static void
test_hard_syn_sent(void **state)
{
	struct tcpd_conn_key k = {0};
	struct tcpd_pkt out[4];
	struct tcpd_tcb *c;
	uint16_t lport;
	uint32_t iss;
	int app;

	(void)state;
	memset(&tfx_act, 0, sizeof(tfx_act));
	workers_start(RETA_SIZE);
	app = tcpd_tcp_app_add(w[1]->tcp, &tfx_act_ops, NULL);
	assert_true(app >= 0);
	/* the peer's replies (port 80 to ours) must reach queue 1 */
	for (lport = 50000; queue4(PEER_IP, OUR_IP, 80, lport) != 1; lport++)
		;
	k.peer_ip = rte_cpu_to_be_32(PEER_IP);
	k.local_ip = rte_cpu_to_be_32(OUR_IP);
	k.peer_port = rte_cpu_to_be_16(80);
	k.local_port = rte_cpu_to_be_16(lport);
	c = tcpd_tcp_connect(w[1]->tcp, &k, (unsigned int)app, &peer_ifc.mac);
	assert_non_null(c);
	assert_int_equal(c->state, TCPD_SYN_SENT);
	iss = c->iss;
	tcpd_worker_poll(w[1]);
	assert_int_equal(take(1, out, 4), 1);
	assert_int_equal(out[0].flags, TCPD_TH_SYN);
	assert_int_equal(out[0].seq, iss);

	/* port unreachable (type 3 code 3) for our SYN, on queue 0 */
	icmp_in(0, 0, 3, 3, 0, lport, 80, iss);
	tcpd_worker_poll(w[0]);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff), 1);
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_conn), 0);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_hard_abort), 0);
	assert_int_equal(conns(1, NULL), 1);
	assert_int_equal(tfx_act.freed, 0);

	tcpd_worker_poll(w[1]);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff_rx), 1);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_hard_abort), 1);
	assert_int_equal(tfx_act.freed, 1);
	assert_int_equal(tfx_act.why, TCPD_CLOSE_REFUSED);
	assert_int_equal(conns(1, NULL), 0);
	assert_int_equal(take(1, out, 4), 0); /* nothing sent for it */
	workers_stop();
}

/* IPv6: packet too big for an established connection, port unreachable for a SYN-ACK, both
 * received by worker 0 for worker 1's connections. */
static void
test_ipv6(void **state)
{
	uint16_t sport, sport2;
	struct tcpd_pkt out[4];
	struct tcpd_tcb *c;
	uint32_t una, iss;

	(void)state;
	workers_start(RETA_SIZE);
	sport = peer_port_for(1, 41000, P_ECHO, 1);
	c = open_echo(1, 1, sport, 1440, 100);
	una = c->snd_una;

	icmp_in(0, 1, 2, 0, 1280, P_ECHO, sport, una + 50);
	tcpd_worker_poll(w[0]);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff), 1);
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_conn), 0);
	assert_int_equal(c->snd_mss, 1440);
	tcpd_worker_poll(w[1]);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff_rx), 1);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_mtu_lowered), 1);
	assert_int_equal(c->snd_mss, 1280 - 60);
	assert_int_equal(take(1, out, 4), 1);
	assert_int_equal(out[0].family, TCPD_NET_AF_INET6);
	assert_int_equal(out[0].seq, una);
	assert_int_equal(out[0].payload_len, 100);

	/* a SYN-RECEIVED entry on worker 1, its SYN-ACK refused: the entry ends */
	sport2 = peer_port_for(1, sport + 1, P_DISCARD, 1);
	seg_in(1, 1, sport2, P_DISCARD, 5000, 0, TCPD_TH_SYN, 1440, 0);
	assert_int_equal(take(1, out, 4), 1);
	iss = out[0].seq;
	assert_int_equal(conns(1, NULL), 2);
	icmp_in(0, 1, 1, 4, 0, P_DISCARD, sport2, iss);
	tcpd_worker_poll(w[0]);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff), 2);
	tcpd_worker_poll(w[1]);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff_rx), 2);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_hard_abort), 1);
	assert_int_equal(conns(1, &c), 1);
	assert_int_equal(c->state, TCPD_ESTABLISHED); /* the echo connection stays */
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_conn) + cnt(1, TCPD_STAT_drop_icmp_conn), 0);
	assert_int_equal(take(1, out, 4), 0);
	workers_stop();
}

/* The owner's inbox holds TCPD_ICMPQ_RING messages: one more before it polls is a counted drop;
 * its next poll takes them all. */
static void
test_ring_full(void **state)
{
	uint16_t sport;
	unsigned int i;

	(void)state;
	workers_start(RETA_SIZE);
	sport = peer_port_for(1, 40000, P_ECHO, 0);
	for (i = 0; i < TCPD_ICMPQ_RING + 1; i++) {
		icmp_in(0, 0, 3, 4, 1000, P_ECHO, sport, 1234);
		if (rte_ring_count(rxr[0]) == TCPD_RX_BURST)
			tcpd_worker_poll(w[0]);
	}
	while (rte_ring_count(rxr[0]) != 0)
		tcpd_worker_poll(w[0]);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff), TCPD_ICMPQ_RING);
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_handoff), 1);
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_conn), 0);
	tcpd_worker_poll(w[1]);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff_rx), TCPD_ICMPQ_RING);
	assert_int_equal(cnt(1, TCPD_STAT_drop_icmp_conn), TCPD_ICMPQ_RING); /* no connection */
	assert_true(rte_ring_empty(w[1]->icmpq));
	tcpd_worker_poll(w[1]);
	assert_int_equal(cnt(1, TCPD_STAT_icmp_handoff_rx), TCPD_ICMPQ_RING);
	workers_stop();
}

/* Without an RSS model nothing is set up and an error stays where it arrives, as before. */
static void
test_no_rss(void **state)
{
	uint16_t sport;

	(void)state;
	workers_start(0);
	assert_null(w[0]->icmpq);
	assert_null(w[1]->icmpq);
	assert_int_equal(tcpd_worker_icmpq_setup(w, 1, tcpd_tuple_rss_key_default,
						 TCPD_TUPLE_RSS_KEY_LEN, reta, RETA_SIZE),
			 0);
	assert_null(w[0]->icmpq);
	assert_int_equal(
		tcpd_worker_icmpq_setup(w, 2, tcpd_tuple_rss_key_default, 10, reta, RETA_SIZE),
		-EINVAL);
	sport = peer_port_for(1, 40000, P_ECHO, 0);
	open_echo(1, 0, sport, 1460, 10);
	icmp_in(0, 0, 3, 4, 1000, P_ECHO, sport, 1234);
	tcpd_worker_poll(w[0]);
	assert_int_equal(cnt(0, TCPD_STAT_drop_icmp_conn), 1);
	assert_int_equal(cnt(0, TCPD_STAT_icmp_handoff), 0);
	workers_stop();
}

static int
group_setup(void **state)
{
	struct rte_eth_conf conf = {0};
	unsigned int i;
	int p;

	(void)state;
	if (tfx_eal_init("icmpq", "error") < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("iq_pool", 4095, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		char name[16];

		snprintf(name, sizeof(name), "iq_rx%u", i);
		rxr[i] = rte_ring_create(name, 512, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "iq_tx%u", i);
		txr[i] = rte_ring_create(name, 512, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (rxr[i] == NULL || txr[i] == NULL)
			return -1;
	}
	p = rte_eth_from_rings("net_icmpq", rxr, 2, txr, 2, SOCKET_ID_ANY);
	if (p < 0)
		return -1;
	port = (uint16_t)p;
	if (rte_eth_dev_configure(port, 2, 2, &conf) != 0)
		return -1;
	for (i = 0; i < 2; i++)
		if (rte_eth_rx_queue_setup(port, (uint16_t)i, 512, SOCKET_ID_ANY, NULL, pool) !=
			    0 ||
		    rte_eth_tx_queue_setup(port, (uint16_t)i, 512, SOCKET_ID_ANY, NULL) != 0)
			return -1;
	if (rte_eth_dev_start(port) != 0)
		return -1;
	tcpd_tuple_reta_fill(reta, RETA_SIZE, 2);

	ifc.mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x01}};
	ifc.ip = rte_cpu_to_be_32(OUR_IP);
	ifc.mtu = 1500;
	ifc.nb_ip6 = 1;
	memcpy(ifc.ip6[0].addr, OUR6, 16);
	ifc.ip6[0].prefix_len = 64;
	peer_ifc.mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x02}};
	peer_ifc.ip = rte_cpu_to_be_32(PEER_IP);
	peer_ifc.mtu = 1500;
	peer_ifc.nb_ip6 = 1;
	memcpy(peer_ifc.ip6[0].addr, PEER6, 16);
	peer_ifc.ip6[0].prefix_len = 64;

	tfx_cfg_defaults(&cfg, ifc.ip);
	cfg.max_conns = 256;
	cfg.synq_limit = 128;
	cfg.syncookies = TCPD_SYNCOOKIES_OFF;
	cfg.fin_wait2_timeout = 60;
	cfg.orphan_retries = 2;
	cfg.listen[0] = (struct tcpd_listen){P_ECHO, TCPD_SVC_ECHO};
	cfg.listen[1] = (struct tcpd_listen){P_DISCARD, TCPD_SVC_DISCARD};
	cfg.nb_listen = 2;
	return tcpd_cookie_store_init(&cookies, NULL, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mtu4),   cmocka_unit_test(test_hard_syn_sent),
		cmocka_unit_test(test_ipv6),   cmocka_unit_test(test_ring_full),
		cmocka_unit_test(test_no_rss),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
