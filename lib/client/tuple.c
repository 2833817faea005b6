/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RSS-aware source tuple chooser.
 *
 * Toeplitz is linear over GF(2): the hash of a XOR b is hash(a) XOR hash(b), and the hash of an
 * all-zero input is 0. The reply's input is (src = target, dst = our ip, sport = target port,
 * dport = our port), so hash = H(target, 0, tport, 0) ^ H(0, ip, 0, 0) ^ H(0, 0, 0, port): setup
 * hashes each address and each port once with rte_softrss_be and combines them with one XOR per
 * tuple. The unit test checks every handed-out tuple against a full rte_softrss of the reply.
 *
 * The ring holds (address offset << 16 | port offset); the held bitmap is indexed by
 * address offset * nb_ports + port offset.
 *
 * IPv6 is the same over the 36-byte input (target, our address, target port, our port): the
 * address at offset i is src_ip6_first with i added to its last 32 bits, the tuple handed out
 * carries the local id src_ip_first + i (reply_hash below is the one place that tells them
 * apart).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "tcpd_tuple.h"

const uint8_t tcpd_tuple_rss_key_default[TCPD_TUPLE_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

const uint8_t tcpd_tuple_rss_key_symmetric[TCPD_TUPLE_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

struct tcpd_tuple_chooser {
	uint32_t head;	/* next to take (free-running, masked) */
	uint32_t tail;	/* next free slot to put into */
	uint32_t mask;	/* ring size - 1 */
	uint32_t owned; /* tuples in ring + held */
	uint32_t *ring; /* ip_off << 16 | port_off */
	uint64_t *held; /* bit per tuple of the ranges */
	uint64_t exhausted;
	uint32_t ip_first;
	uint32_t nb_ips;
	uint32_t nb_ports;
	uint16_t port_first;
	uint16_t reply_fixed_port; /* the target's port */
	uint32_t reply_fixed_ip;   /* the target */
	uint32_t owned_all;
	uint32_t reta_size; /* 0: no RSS */
	uint8_t l3_only;
	uint16_t nb_share; /* no RSS: lcores splitting the ports (1: all ours) */
	uint32_t key[TCPD_TUPLE_RSS_KEY_MAX / 4]; /* converted */
	uint16_t *reta;
	uint8_t v6;	     /* an IPv6 target: dst6, our addresses from src6 */
	uint8_t dst6[16];    /* the target */
	uint8_t src6_hi[12]; /* our addresses' first 96 bits */
	uint32_t src6_lo;    /* the last 32 bits of the address at offset 0, host order */
};

void
tcpd_tuple_rss_key_convert(const uint8_t *key, uint32_t len, uint32_t *conv)
{
	uint32_t orig[TCPD_TUPLE_RSS_KEY_MAX / 4];

	len = RTE_MIN(len, (uint32_t)TCPD_TUPLE_RSS_KEY_MAX) & ~3u;
	memcpy(orig, key, len); /* rte_convert_rss_key reads words: align them */
	rte_convert_rss_key(orig, conv, (int)len);
}

void
tcpd_tuple_reta_fill(uint16_t *reta, uint32_t size, uint16_t nb_queues)
{
	uint32_t i;

	for (i = 0; i < size; i++)
		reta[i] = nb_queues > 0 ? (uint16_t)(i % nb_queues) : 0;
}

static inline uint32_t
tuple_bit(const struct tcpd_tuple_chooser *ch, uint32_t ip_off, uint32_t port_off)
{
	return ip_off * ch->nb_ports + port_off;
}

static int
tuple_check_conf(const struct tcpd_tuple_conf *c)
{
	uint64_t space;
	uint32_t i;
	int found = 0;

	if (c->src_ip_last < c->src_ip_first || c->src_port_last < c->src_port_first)
		return EINVAL;
	if (c->dst_ip6 != NULL) {
		uint32_t lo;

		if (c->src_ip6_first == NULL)
			return EINVAL;
		memcpy(&lo, c->src_ip6_first + 12, 4);
		if ((uint64_t)rte_be_to_cpu_32(lo) + (c->src_ip_last - c->src_ip_first) >
		    UINT32_MAX)
			return EINVAL;
	}
	if ((uint64_t)c->src_ip_last - c->src_ip_first + 1 > TCPD_TUPLE_MAX_IPS)
		return E2BIG;
	space = ((uint64_t)c->src_ip_last - c->src_ip_first + 1) *
		((uint64_t)c->src_port_last - c->src_port_first + 1);
	if (space > TCPD_TUPLE_MAX_SPACE)
		return E2BIG;
	if (c->rss_key == NULL || c->reta_size == 0)
		return c->nb_queues > 1 && c->queue >= c->nb_queues ? EINVAL : 0;
	if (c->reta == NULL || c->rss_key_len < 16 || c->rss_key_len > TCPD_TUPLE_RSS_KEY_MAX ||
	    (c->rss_key_len & 3) != 0)
		return EINVAL;
	for (i = 0; i < c->reta_size && !found; i++)
		found = c->reta[i] == c->queue;
	return found ? 0 : EINVAL;
}

/*
 * The Toeplitz hash of the reply with only some fields set, the others zero: the target's
 * address and port (@p target), our address at offset @p ip_off (@p ours), our port @p port
 * (0 contributes nothing). Summed with XOR, the parts give the reply's hash.
 */
static uint32_t
reply_hash(const struct tcpd_tuple_chooser *ch, int target, int ours, uint32_t ip_off,
	   uint16_t port)
{
	uint8_t src[16] = {0}, dst[16] = {0};
	uint32_t lo;

	if (!ch->v6)
		return tcpd_tuple_rss_hash(ch->key, target ? ch->reply_fixed_ip : 0,
					   ours ? ch->ip_first + ip_off : 0,
					   target ? ch->reply_fixed_port : 0, port, ch->l3_only);
	if (target)
		memcpy(src, ch->dst6, 16);
	if (ours) {
		memcpy(dst, ch->src6_hi, 12);
		lo = rte_cpu_to_be_32(ch->src6_lo + ip_off);
		memcpy(dst + 12, &lo, 4);
	}
	return tcpd_tuple_rss_hash6(ch->key, src, dst, target ? ch->reply_fixed_port : 0, port,
				    ch->l3_only);
}

/* Per-address and per-port parts of the reply's hash (see the top of the file). */
static int
tuple_hash_parts(struct tcpd_tuple_chooser *ch, uint32_t **hip, uint32_t **hport, uint32_t *base)
{
	uint32_t i;

	*hip = calloc(ch->nb_ips, sizeof(**hip));
	*hport = calloc(ch->nb_ports, sizeof(**hport));
	if (*hip == NULL || *hport == NULL)
		return ENOMEM;
	*base = reply_hash(ch, 1, 0, 0, 0);
	for (i = 0; i < ch->nb_ips; i++)
		(*hip)[i] = reply_hash(ch, 0, 1, i, 0);
	for (i = 0; i < ch->nb_ports && !ch->l3_only; i++)
		(*hport)[i] = reply_hash(ch, 0, 0, 0, (uint16_t)(ch->port_first + i));
	return 0;
}

/*
 * Enumerate the owned tuples port-major (every address at port p, then p + 1, ...) so that a
 * capped set and the FIFO's order spread over the addresses. With ring == NULL only count.
 */
static uint32_t
tuple_enumerate(struct tcpd_tuple_chooser *ch, const uint32_t *hip, const uint32_t *hport,
		uint32_t base, uint16_t queue, uint32_t *ring, uint32_t max)
{
	uint32_t n = 0, p, i, h;

	for (p = 0; p < ch->nb_ports && n < max; p++) {
		for (i = 0; i < ch->nb_ips && n < max; i++) {
			if (ch->reta_size != 0) {
				h = base ^ hip[i] ^ hport[p];
				if (tcpd_tuple_reta_queue(ch->reta, ch->reta_size, h) != queue)
					continue;
			} else if (ch->nb_share > 1 && p % ch->nb_share != queue) {
				continue;
			}
			if (ring != NULL)
				ring[n] = i << 16 | p;
			n++;
		}
	}
	return n;
}

struct tcpd_tuple_chooser *
tcpd_tuple_create(const struct tcpd_tuple_conf *conf)
{
	struct tcpd_tuple_chooser *ch;
	uint32_t *hip = NULL, *hport = NULL, base = 0, n, max, space;
	int err;

	err = tuple_check_conf(conf);
	if (err != 0) {
		errno = err;
		return NULL;
	}
	ch = calloc(1, sizeof(*ch));
	if (ch == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	ch->ip_first = conf->src_ip_first;
	ch->nb_ips = conf->src_ip_last - conf->src_ip_first + 1;
	ch->port_first = conf->src_port_first;
	ch->nb_ports = (uint32_t)conf->src_port_last - conf->src_port_first + 1;
	ch->reply_fixed_ip = conf->dst_ip;
	ch->reply_fixed_port = conf->dst_port;
	ch->l3_only = conf->l3_only;
	ch->nb_share = conf->nb_queues > 1 ? conf->nb_queues : 1;
	if (conf->dst_ip6 != NULL) {
		uint32_t lo;

		ch->v6 = 1;
		memcpy(ch->dst6, conf->dst_ip6, 16);
		memcpy(ch->src6_hi, conf->src_ip6_first, 12);
		memcpy(&lo, conf->src_ip6_first + 12, 4);
		ch->src6_lo = rte_be_to_cpu_32(lo);
	}
	space = ch->nb_ips * ch->nb_ports;
	err = ENOMEM;
	if (conf->rss_key != NULL && conf->reta_size != 0) {
		ch->reta_size = conf->reta_size;
		tcpd_tuple_rss_key_convert(conf->rss_key, conf->rss_key_len, ch->key);
		ch->reta = malloc(conf->reta_size * sizeof(*ch->reta));
		if (ch->reta == NULL)
			goto fail;
		memcpy(ch->reta, conf->reta, conf->reta_size * sizeof(*ch->reta));
		err = tuple_hash_parts(ch, &hip, &hport, &base);
		if (err != 0)
			goto fail;
	}
	n = tuple_enumerate(ch, hip, hport, base, conf->queue, NULL, UINT32_MAX);
	ch->owned_all = n;
	max = conf->max_tuples != 0 ? RTE_MIN(conf->max_tuples, n) : n;
	err = ENOMEM;
	ch->ring = malloc(rte_align32pow2(RTE_MAX(max, 1u)) * sizeof(*ch->ring));
	ch->held = calloc((space + 63) / 64, sizeof(*ch->held));
	if (ch->ring == NULL || ch->held == NULL)
		goto fail;
	ch->owned = tuple_enumerate(ch, hip, hport, base, conf->queue, ch->ring, max);
	ch->mask = rte_align32pow2(RTE_MAX(max, 1u)) - 1;
	ch->head = 0;
	ch->tail = ch->owned;
	free(hip);
	free(hport);
	return ch;
fail:
	free(hip);
	free(hport);
	tcpd_tuple_free(ch);
	errno = err;
	return NULL;
}

void
tcpd_tuple_free(struct tcpd_tuple_chooser *ch)
{
	if (ch == NULL)
		return;
	free(ch->ring);
	free(ch->held);
	free(ch->reta);
	free(ch);
}

uint32_t
tcpd_tuple_owned(const struct tcpd_tuple_chooser *ch)
{
	return ch->owned;
}

uint32_t
tcpd_tuple_owned_all(const struct tcpd_tuple_chooser *ch)
{
	return ch->owned_all;
}

uint32_t
tcpd_tuple_available(const struct tcpd_tuple_chooser *ch)
{
	return ch->tail - ch->head;
}

uint64_t
tcpd_tuple_exhausted(const struct tcpd_tuple_chooser *ch)
{
	return ch->exhausted;
}

int
tcpd_tuple_get(struct tcpd_tuple_chooser *ch, struct tcpd_tuple *t)
{
	uint32_t e, ip_off, port_off, bit;

	if (unlikely(ch->head == ch->tail)) {
		ch->exhausted++;
		return -ENOSPC;
	}
	e = ch->ring[ch->head++ & ch->mask];
	ip_off = e >> 16;
	port_off = e & 0xffff;
	bit = tuple_bit(ch, ip_off, port_off);
	ch->held[bit / 64] |= UINT64_C(1) << (bit % 64);
	t->local_ip = rte_cpu_to_be_32(ch->ip_first + ip_off);
	t->local_port = rte_cpu_to_be_16((uint16_t)(ch->port_first + port_off));
	t->pad = 0;
	return 0;
}

int
tcpd_tuple_put(struct tcpd_tuple_chooser *ch, const struct tcpd_tuple *t)
{
	uint32_t ip_off = rte_be_to_cpu_32(t->local_ip) - ch->ip_first;
	uint32_t port_off = (uint32_t)rte_be_to_cpu_16(t->local_port) - ch->port_first;
	uint32_t bit;
	uint64_t m;

	if (unlikely(ip_off >= ch->nb_ips || port_off >= ch->nb_ports))
		return -EINVAL;
	bit = tuple_bit(ch, ip_off, port_off);
	m = UINT64_C(1) << (bit % 64);
	if (unlikely((ch->held[bit / 64] & m) == 0))
		return -EINVAL;
	ch->held[bit / 64] &= ~m;
	ch->ring[ch->tail++ & ch->mask] = ip_off << 16 | port_off;
	return 0;
}

uint16_t
tcpd_tuple_reply_queue(const struct tcpd_tuple_chooser *ch, const struct tcpd_tuple *t)
{
	uint32_t h;

	if (ch->reta_size == 0)
		return 0;
	h = reply_hash(ch, 1, 1, rte_be_to_cpu_32(t->local_ip) - ch->ip_first,
		       rte_be_to_cpu_16(t->local_port));
	return tcpd_tuple_reta_queue(ch->reta, ch->reta_size, h);
}
