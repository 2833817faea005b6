/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TUPLE_H
#define TCPD_TUPLE_H

/**
 * @file
 * RSS-aware source tuple chooser: the (source IP, source port) pairs an lcore may open
 * connections from, so that the server's replies arrive on that lcore's own RX queue.
 *
 * A reply (source = the target, destination = our tuple) lands on queue
 * RETA[toeplitz(key, reply 4-tuple) % reta_size] (not hash % nb_queues). At setup the chooser
 * computes that for every tuple of the configured source ranges and keeps the ones whose reply
 * comes to @c queue. Without RSS (one queue; or memif, whose queue i is joined to the peer's
 * queue i, so a reply comes back on the queue its request left from when the peer answers on the
 * queue it received on, as dpdk-tcpd and dperf do) no hash decides: the lcores that share the
 * source ranges split them by port (offset % nb_queues == queue), and a single one owns them
 * all. Toeplitz is DPDK's rte_softrss_be() with the key converted by rte_convert_rss_key();
 * since it is linear (XOR) in its input, setup hashes each source IP and each port once and
 * combines them, so a 64 K-port range costs a few cycles per tuple.
 *
 * Owned tuples are handed out from a FIFO ring, O(1): tcpd_tuple_get() takes the oldest free one,
 * tcpd_tuple_put() returns one at the tail, so a tuple is reused as late as possible (after every
 * other free tuple), which keeps old segments and the server's TIME-WAIT away from new
 * connections. A bitmap of held tuples makes a double or foreign put an error, not a duplicate.
 *
 * Memory (allocated by tcpd_tuple_create only): 4 bytes per owned tuple (ring rounded up to a
 * power of two) plus one bit per tuple of the source ranges. 1 address x 64 K ports on one of
 * 2 queues: 128 KiB + 8 KiB. Not thread safe: one chooser per lcore.
 *
 * Addresses and ports in tcpd_tuple_conf are in host order (ranges are arithmetic); the tuples
 * handed out are in network order, ready for struct tcpd_conn_key and the headers.
 *
 * IPv6 (tcpd_tuple_conf.dst_ip6 set): the "addresses" of the range are the local ids of
 * lib/tcp's keys (1 for our --ip6, TCPD_NET_MAX_IP6 + 1 + offset for a --src-ip range), handed
 * out as local_ip like IPv4 addresses; the reply's hash is taken over the real addresses
 * (src_ip6_first plus the id's offset, in the last 32 bits) with the IPv6/TCP input of
 * RTE_ETH_RSS_NONFRAG_IPV6_TCP: source address, destination address, source port, destination
 * port, 36 bytes (32 with l3_only, RTE_ETH_RSS_IPV6). Same linearity, same costs.
 */

#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_thash.h>

/** Length of the RSS keys below (the common NIC key size). */
#define TCPD_TUPLE_RSS_KEY_LEN 40
/** Longest RSS key accepted (i40e/ice use 52 bytes). */
#define TCPD_TUPLE_RSS_KEY_MAX 52
/** Largest source range: addresses x ports (the held bitmap is at most 32 MiB). */
#define TCPD_TUPLE_MAX_SPACE (UINT32_C(1) << 28)
/** Most source addresses in a range. */
#define TCPD_TUPLE_MAX_IPS 65536

/**
 * Microsoft's default Toeplitz key (the RSS verification suite's, and many drivers' default).
 * The key dpdk-tcpd programs when it chooses tuples by RSS.
 */
extern const uint8_t tcpd_tuple_rss_key_default[TCPD_TUPLE_RSS_KEY_LEN];

/**
 * The symmetric key (0x6d5a repeated): hash(a -> b) == hash(b -> a), so both directions of a
 * flow share a queue. Its hash has 16 bits of entropy (hi16 == lo16).
 */
extern const uint8_t tcpd_tuple_rss_key_symmetric[TCPD_TUPLE_RSS_KEY_LEN];

/** A source tuple, network order (the local side of struct tcpd_conn_key). */
struct tcpd_tuple {
	rte_be32_t local_ip;
	rte_be16_t local_port;
	uint16_t pad; /**< 0 */
};

/** What tcpd_tuple_create needs; addresses and ports in host order, ranges inclusive. */
struct tcpd_tuple_conf {
	uint32_t dst_ip; /**< the target */
	uint16_t dst_port;
	uint16_t src_port_first; /**< source ports */
	uint16_t src_port_last;
	uint16_t queue;	       /**< this lcore's RX queue */
	uint32_t src_ip_first; /**< source addresses */
	uint32_t src_ip_last;
	const uint8_t *rss_key; /**< the port's key as programmed; NULL: no RSS, all tuples ours */
	uint32_t rss_key_len;	/**< bytes: a multiple of 4, 16 to TCPD_TUPLE_RSS_KEY_MAX */
	const uint16_t *reta;	/**< redirection table: the queue of each entry */
	uint32_t reta_size;	/**< entries (128, 512, ...); 0: no RSS */
	uint32_t max_tuples;	/**< keep at most this many (0: all the lcore owns) */
	uint8_t l3_only;	/**< the port hashes addresses only (RTE_ETH_RSS_IP w/o TCP) */
	uint16_t nb_queues;	/**< without RSS: lcores sharing the ranges (0, 1: this one) */
	/** An IPv6 target (16 bytes, network order; dst_ip unused); NULL: IPv4. */
	const uint8_t *dst_ip6;
	/** With dst_ip6: the address of source id src_ip_first (16 bytes, network order); id
	 *  src_ip_first + i is this address plus i in its last 32 bits, which must not wrap. */
	const uint8_t *src_ip6_first;
};

struct tcpd_tuple_chooser;

/**
 * Convert @p key (@p len bytes, a multiple of 4, at most TCPD_TUPLE_RSS_KEY_MAX) for
 * tcpd_tuple_rss_hash() (rte_convert_rss_key). @p conv holds len / 4 words.
 */
void tcpd_tuple_rss_key_convert(const uint8_t *key, uint32_t len, uint32_t *conv);

/**
 * Toeplitz hash of an IPv4/TCP packet from @p src_ip:@p src_port to @p dst_ip:@p dst_port
 * (host order) with a converted key, as the NIC computes it (rte_softrss_be). With @p l3_only the
 * ports are left out (RTE_THASH_V4_L3_LEN).
 */
static inline uint32_t
tcpd_tuple_rss_hash(const uint32_t *conv_key, uint32_t src_ip, uint32_t dst_ip, uint16_t src_port,
		    uint16_t dst_port, int l3_only)
{
	union rte_thash_tuple t;

	t.v4.src_addr = src_ip;
	t.v4.dst_addr = dst_ip;
	t.v4.sport = src_port;
	t.v4.dport = dst_port;
	return rte_softrss_be((uint32_t *)&t, l3_only ? RTE_THASH_V4_L3_LEN : RTE_THASH_V4_L4_LEN,
			      (const uint8_t *)conv_key);
}

/**
 * Toeplitz hash of an IPv6/TCP packet from @p src:@p src_port to @p dst:@p dst_port (addresses
 * 16 bytes in network order, ports in host order) with a converted key, as the NIC computes it
 * for RTE_ETH_RSS_NONFRAG_IPV6_TCP: the 36-byte input source address, destination address,
 * source port, destination port (rte_softrss_be over rte_thash_load_v6_addrs' layout). With
 * @p l3_only the ports are left out (RTE_THASH_V6_L3_LEN, RTE_ETH_RSS_IPV6).
 */
static inline uint32_t
tcpd_tuple_rss_hash6(const uint32_t *conv_key, const uint8_t *src, const uint8_t *dst,
		     uint16_t src_port, uint16_t dst_port, int l3_only)
{
	union rte_thash_tuple t;
	uint32_t w[8];
	unsigned int i;

	/* rte_softrss_be takes the addresses as host-order words, as rte_thash_load_v6_addrs
	 * leaves them */
	memcpy(w, src, 16);
	memcpy(w + 4, dst, 16);
	for (i = 0; i < 8; i++)
		w[i] = rte_be_to_cpu_32(w[i]);
	memcpy(t.v6.src_addr, w, 16);
	memcpy(t.v6.dst_addr, w + 4, 16);
	t.v6.sport = src_port;
	t.v6.dport = dst_port;
	return rte_softrss_be((uint32_t *)&t, l3_only ? RTE_THASH_V6_L3_LEN : RTE_THASH_V6_L4_LEN,
			      (const uint8_t *)conv_key);
}

/** The queue a packet of hash @p hash goes to: @p reta[hash % reta_size]. */
static inline uint16_t
tcpd_tuple_reta_queue(const uint16_t *reta, uint32_t reta_size, uint32_t hash)
{
	if ((reta_size & (reta_size - 1)) == 0)
		return reta[hash & (reta_size - 1)];
	return reta[hash % reta_size];
}

/** Fill @p reta (@p size entries) round robin over @p nb_queues: entry i -> i % nb_queues. */
void tcpd_tuple_reta_fill(uint16_t *reta, uint32_t size, uint16_t nb_queues);

/**
 * Build the chooser of one lcore: enumerate the source ranges, keep the tuples whose reply
 * lands on conf->queue. Allocates (setup only).
 * @return the chooser, or NULL with errno: EINVAL (empty or reversed range, bad key length,
 *   reta NULL with a size, a queue absent from the RETA, without RSS queue >= nb_queues > 1,
 *   or an IPv6 range whose last 32 bits wrap),
 *   E2BIG (range above
 *   TCPD_TUPLE_MAX_SPACE or TCPD_TUPLE_MAX_IPS addresses), ENOMEM
 */
struct tcpd_tuple_chooser *tcpd_tuple_create(const struct tcpd_tuple_conf *conf);

/** Free @p ch (NULL is fine). */
void tcpd_tuple_free(struct tcpd_tuple_chooser *ch);

/**
 * Tuples the lcore owns (given out or free), after max_tuples. Compare with the concurrency the
 * lcore must sustain: fewer tuples than connections is a configuration error, not a slow run.
 */
uint32_t tcpd_tuple_owned(const struct tcpd_tuple_chooser *ch);

/** Owned tuples before the max_tuples cap (what the ranges and the RETA give this queue). */
uint32_t tcpd_tuple_owned_all(const struct tcpd_tuple_chooser *ch);

/** Free tuples now (owned - held). */
uint32_t tcpd_tuple_available(const struct tcpd_tuple_chooser *ch);

/** tcpd_tuple_get calls that found no free tuple. */
uint64_t tcpd_tuple_exhausted(const struct tcpd_tuple_chooser *ch);

/**
 * Take the free tuple that was released longest ago (O(1)). Keep it until the connection's entry
 * is gone (after TIME-WAIT when we closed first, unless the entry is reused for a new connection
 * to the same target, which keeps the tuple held), then tcpd_tuple_put() it.
 * @return 0, or -ENOSPC when every owned tuple is held (counted in tcpd_tuple_exhausted)
 */
int tcpd_tuple_get(struct tcpd_tuple_chooser *ch, struct tcpd_tuple *t);

/**
 * Give back a tuple from tcpd_tuple_get when its connection is gone (O(1)).
 * @return 0, or -EINVAL if @p t is not held from this chooser (double put, foreign tuple)
 */
int tcpd_tuple_put(struct tcpd_tuple_chooser *ch, const struct tcpd_tuple *t);

/**
 * The queue the reply to a connection from @p t would reach, by this chooser's key and RETA
 * (a check for the first replies, and for tests); 0 without RSS.
 */
uint16_t tcpd_tuple_reply_queue(const struct tcpd_tuple_chooser *ch, const struct tcpd_tuple *t);

#endif /* TCPD_TUPLE_H */
