/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_ICMPQ_H
#define TCPD_ICMPQ_H

/**
 * @file
 * ICMP(v6) errors about another worker's connection (lib/worker/icmpq.c).
 *
 * RSS spreads segments by the TCP 4-tuple, but an ICMP error (fragmentation needed, packet too
 * big, a hard unreachable) is hashed by its outer header (router -> us): with N queues it
 * reaches the worker holding the connection it quotes 1 time in N. With RSS modelled (the
 * port's key and RETA read back, as client mode's tuple chooser uses them), the receiving
 * worker computes the queue the quoted tuple maps to (Toeplitz of the segment the peer would
 * send, tcpd_tuple_rss_hash/_hash6) and, when that is another queue, hands the parsed facts
 * (not the mbuf) to that queue's worker through its inbox ring (icmp_handoff, or
 * drop_icmp_handoff when the ring is full). The owner drains its inbox in its poll loop when it
 * is not empty (icmp_handoff_rx) and applies tcpd_tcp_icmp_mtu / tcpd_tcp_icmp_hard as if the
 * message had arrived on its own queue (their counters are the owner's).
 *
 * Without RSS (one queue, a vdev whose RSS cannot be read back) nothing is set up and every
 * error is processed where it arrives, as before.
 */

#include <stdint.h>

#include "tcpd_net.h"

struct tcpd_worker;

/** Messages one worker's inbox holds (exactly: RING_F_EXACT_SZ). */
#define TCPD_ICMPQ_RING 256

/** Messages dequeued at once by tcpd_worker_icmpq_drain. */
#define TCPD_ICMPQ_BURST 32

/** What tcpd_tcp_icmp_mtu/_hard read of a parsed ICMP(v6) error (struct tcpd_pkt's fields). */
struct tcpd_icmpq_msg {
	uint8_t family;	     /**< TCPD_NET_AF_INET or TCPD_NET_AF_INET6 */
	uint8_t cls;	     /**< TCPD_NET_ICMP_MTU or TCPD_NET_ICMP_HARD */
	uint8_t ip6_idx;     /**< IPv6: our address's index (tcpd_net_ip6_local_idx) */
	uint8_t pad;	     /**< 0 */
	uint16_t src_port;   /**< the peer's port, network order */
	uint16_t dst_port;   /**< ours, network order */
	uint32_t seq;	     /**< the quoted SEG.SEQ, host order */
	uint16_t mtu;	     /**< the MTU (struct tcpd_pkt's win), host order; 0: hard error */
	uint16_t pad2;	     /**< 0 */
	uint32_t src_ip;     /**< IPv4: the peer, network order */
	uint32_t dst_ip;     /**< IPv4: ours, network order */
	uint8_t src_ip6[16]; /**< IPv6: the peer */
	uint8_t dst_ip6[16]; /**< IPv6: ours */
};

/**
 * Give each of the @p n workers (indexed by queue id, all on one port) an ICMP inbox and the
 * port's RSS model: the key as programmed (@p key, @p key_len bytes: a multiple of 4, 16 to
 * TCPD_TUPLE_RSS_KEY_MAX) and its redirection table (@p reta, @p reta_size entries, which must
 * outlive the workers). Nothing to do (0) when @p n < 2 or @p reta_size is 0.
 * @return 0, or a negative errno (-EINVAL bad key, ring creation)
 */
int tcpd_worker_icmpq_setup(struct tcpd_worker *const *w, unsigned int n, const uint8_t *key,
			    uint32_t key_len, const uint16_t *reta, uint32_t reta_size);

/**
 * An ICMP(v6) error (@p cls TCPD_NET_ICMP_MTU or TCPD_NET_ICMP_HARD) parsed into @p p on @p w:
 * applied here when the quoted tuple's queue is @p w's (or without an RSS model), otherwise
 * handed to its owner (icmp_handoff, drop_icmp_handoff). The caller keeps the mbuf.
 */
void tcpd_worker_icmp_error(struct tcpd_worker *w, enum tcpd_net_class cls,
			    const struct tcpd_pkt *p, uint64_t now_tsc);

/**
 * Apply what other workers handed to @p w (at most TCPD_ICMPQ_RING messages: a bounded poll).
 * tcpd_worker_poll calls it when the inbox is not empty.
 */
void tcpd_worker_icmpq_drain(struct tcpd_worker *w, uint64_t now_tsc);

#endif /* TCPD_ICMPQ_H */
