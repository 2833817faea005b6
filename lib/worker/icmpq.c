/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP(v6) errors about another worker's connection (tcpd_icmpq.h).
 *
 * The owner of a quoted segment is the queue RSS gives the segments its peer sends: Toeplitz
 * over (peer address, our address, peer port, our port) with the port's key, then the RETA,
 * computed by lib/client's tcpd_tuple_rss_hash/_hash6 (the hash client mode chooses its source
 * tuples with, checked against Microsoft's verification vectors). An error whose owner is this
 * worker is applied at once, as before; another's goes into the owner's inbox as the parsed
 * facts (struct tcpd_icmpq_msg, 56 bytes), so that no mbuf crosses lcores and nothing the
 * owner reads is shared but the ring.
 *
 * One multi-producer, single-consumer ring per destination worker, rather than one SP/SC ring
 * per (source, destination) pair: the producers' compare-and-swap on the ring head runs only
 * when an ICMP error crosses workers, which is rare (a few per path MTU change, one per
 * refused handshake; a forged flood is bounded by the sender's RX rate and already pays a
 * checksum and a Toeplitz hash per message), while N inboxes keep the owner's per-poll check
 * to one ring (two indices read, written only on this rare path) instead of N - 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "tcpd_worker.h"

/* A ring element is a whole number of 32-bit words (rte_ring_create_elem). */
_Static_assert(sizeof(struct tcpd_icmpq_msg) == 56, "tcpd_icmpq_msg layout");

int
tcpd_worker_icmpq_setup(struct tcpd_worker *const *w, unsigned int n, const uint8_t *key,
			uint32_t key_len, const uint16_t *reta, uint32_t reta_size)
{
	unsigned int i;

	if (n < 2 || reta_size == 0)
		return 0;
	if (key == NULL || reta == NULL || key_len < 16 || key_len > TCPD_TUPLE_RSS_KEY_MAX ||
	    (key_len & 3) != 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "tcpd_icmpq_%u_%u", w[i]->port_id, w[i]->queue_id);
		w[i]->icmpq =
			rte_ring_create_elem(name, sizeof(struct tcpd_icmpq_msg), TCPD_ICMPQ_RING,
					     rte_socket_id(), RING_F_SC_DEQ | RING_F_EXACT_SZ);
		if (w[i]->icmpq == NULL)
			return -rte_errno;
	}
	for (i = 0; i < n; i++) {
		w[i]->icmpq_peers = w;
		w[i]->icmpq_nb = n;
		w[i]->icmpq_reta = reta;
		w[i]->icmpq_reta_size = reta_size;
		tcpd_tuple_rss_key_convert(key, key_len, w[i]->icmpq_key);
	}
	return 0;
}

/* The queue whose worker holds the connection @p p quotes (p reads as a segment from the
 * peer: src the peer, dst us). The port hashes IPv4/TCP and IPv6/TCP on the 4-tuple
 * (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP, app/dpdk-tcpd/port.c). */
static uint16_t
icmpq_owner(const struct tcpd_worker *w, const struct tcpd_pkt *p)
{
	uint16_t sport = rte_be_to_cpu_16(p->src_port), dport = rte_be_to_cpu_16(p->dst_port);
	uint32_t h;

	if (p->family == TCPD_NET_AF_INET6)
		h = tcpd_tuple_rss_hash6(w->icmpq_key, p->src_ip6, p->dst_ip6, sport, dport, 0);
	else
		h = tcpd_tuple_rss_hash(w->icmpq_key, rte_be_to_cpu_32(p->src_ip),
					rte_be_to_cpu_32(p->dst_ip), sport, dport, 0);
	return tcpd_tuple_reta_queue(w->icmpq_reta, w->icmpq_reta_size, h);
}

static void
icmpq_apply(struct tcpd_worker *w, enum tcpd_net_class cls, const struct tcpd_pkt *p,
	    uint64_t now_tsc)
{
	/* RFC 1191/8201 segment size, RFC 9293 3.9.2.2 hard errors (lib/tcp/tcp_icmp.c) */
	if (cls == TCPD_NET_ICMP_MTU)
		tcpd_tcp_icmp_mtu(w->tcp, p, now_tsc);
	else
		tcpd_tcp_icmp_hard(w->tcp, p, now_tsc);
}

void
tcpd_worker_icmp_error(struct tcpd_worker *w, enum tcpd_net_class cls, const struct tcpd_pkt *p,
		       uint64_t now_tsc)
{
	struct tcpd_icmpq_msg msg;
	struct tcpd_worker *owner;
	uint16_t q;

	if (likely(w->icmpq == NULL) || (q = icmpq_owner(w, p)) == w->queue_id ||
	    q >= w->icmpq_nb) {
		icmpq_apply(w, cls, p, now_tsc);
		return;
	}
	memset(&msg, 0, sizeof(msg));
	msg.family = p->family;
	msg.cls = (uint8_t)cls;
	msg.src_port = p->src_port;
	msg.dst_port = p->dst_port;
	msg.seq = p->seq;
	msg.mtu = p->win;
	if (p->family == TCPD_NET_AF_INET6) {
		msg.ip6_idx = p->ip6_idx;
		memcpy(msg.src_ip6, p->src_ip6, 16);
		memcpy(msg.dst_ip6, p->dst_ip6, 16);
	} else {
		msg.src_ip = p->src_ip;
		msg.dst_ip = p->dst_ip;
	}
	owner = w->icmpq_peers[q];
	if (rte_ring_mp_enqueue_elem(owner->icmpq, &msg, sizeof(msg)) != 0) {
		tcpd_stats_inc(&w->stats, TCPD_STAT_drop_icmp_handoff);
		return;
	}
	tcpd_stats_inc(&w->stats, TCPD_STAT_icmp_handoff);
}

/* The packet tcpd_tcp_icmp_mtu/_hard read, back from a message (the fields lib/net's ICMP
 * parsers fill, net_icmp.c and net_icmp6.c). */
static void
icmpq_pkt(const struct tcpd_icmpq_msg *m, struct tcpd_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->family = m->family;
	p->src_port = m->src_port;
	p->dst_port = m->dst_port;
	p->seq = m->seq;
	p->win = m->mtu;
	if (m->family == TCPD_NET_AF_INET6) {
		p->ip6_idx = m->ip6_idx;
		memcpy(p->src_ip6, m->src_ip6, 16);
		memcpy(p->dst_ip6, m->dst_ip6, 16);
	} else {
		p->src_ip = m->src_ip;
		p->dst_ip = m->dst_ip;
	}
}

void
tcpd_worker_icmpq_drain(struct tcpd_worker *w, uint64_t now_tsc)
{
	struct tcpd_icmpq_msg msg[TCPD_ICMPQ_BURST];
	unsigned int n, i, done = 0;
	struct tcpd_pkt p;

	if (w->icmpq == NULL)
		return;
	do {
		n = rte_ring_sc_dequeue_burst_elem(w->icmpq, msg, sizeof(msg[0]), TCPD_ICMPQ_BURST,
						   NULL);
		for (i = 0; i < n; i++) {
			tcpd_stats_inc(&w->stats, TCPD_STAT_icmp_handoff_rx);
			icmpq_pkt(&msg[i], &p);
			icmpq_apply(w, (enum tcpd_net_class)msg[i].cls, &p, now_tsc);
		}
		done += n;
	} while (n == TCPD_ICMPQ_BURST && done < TCPD_ICMPQ_RING);
}
