/* SPDX-License-Identifier: BSD-3-Clause */
/* The memory feed: packet templates, the net_ring port each bench lcore drives, and the NIC
 * offload that port lacks. */
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_tcp.h>

#include "bench.h"
#include "frame.h"

bool bench_offload;

const struct rte_ether_addr bench_server_mac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
const struct rte_ether_addr bench_client_mac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};

void
bench_tmpl_init(struct bench_tmpl *t, const struct rte_ether_addr *src_mac,
		const struct rte_ether_addr *dst_mac, uint32_t dst_ip_be, uint16_t dport,
		uint8_t flags, uint16_t mss, const void *payload, uint16_t plen)
{
	const struct tcpd_frame f = {
		.src_mac = *src_mac,
		.dst_mac = *dst_mac,
		.dst_ip = rte_be_to_cpu_32(dst_ip_be),
		.dport = dport,
		.flags = flags,
		.win = 65535,
		.opt = {.mss = mss},
		.payload = payload,
		.plen = plen,
	};
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(t->data + sizeof(struct rte_ether_hdr));
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);

	memset(t, 0, sizeof(*t));
	t->len = (uint16_t)tcpd_frame_write(t->data, sizeof(t->data), &f);
	if (t->len == 0)
		rte_panic("tcpd-bench: a template with %u payload bytes does not fit\n", plen);
	t->plen = plen;
	if (bench_offload)
		t->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	/* The partial sums bench_tmpl_fill completes per packet: over the frame as written
	 * (source address, source port, seq and ack zero) with the checksum fields zeroed. */
	ip->hdr_checksum = 0;
	tcp->cksum = 0;
	t->ip_sum = __rte_raw_cksum(ip, sizeof(*ip), 0);
	t->tcp_sum = rte_ipv4_phdr_cksum(ip, 0) +
		     __rte_raw_cksum(tcp, t->len - sizeof(struct rte_ether_hdr) - sizeof(*ip), 0);
}

const uint8_t bench_server_ip6[16] = {0x20, 0x01, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
const uint8_t bench_client_net6[16] = {0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01};

void
bench_tmpl6_init(struct bench_tmpl *t, const struct rte_ether_addr *src_mac,
		 const struct rte_ether_addr *dst_mac, uint16_t dport, uint8_t flags, uint16_t mss)
{
	struct tcpd_frame6 f = {
		.src_mac = *src_mac,
		.dst_mac = *dst_mac,
		.dport = dport,
		.flags = flags,
		.win = 65535,
		.opt = {.mss = mss},
	};
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(t->data + sizeof(struct rte_ether_hdr));
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);

	memcpy(f.src_ip, bench_client_net6, 16);
	memcpy(f.dst_ip, bench_server_ip6, 16);
	memset(t, 0, sizeof(*t));
	t->len = (uint16_t)tcpd_frame_write6(t->data, sizeof(t->data), &f);
	if (t->len == 0)
		rte_panic("tcpd-bench: an IPv6 template does not fit\n");
	if (bench_offload)
		t->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	/* The partial sum bench_tmpl6_fill completes per packet: pseudo-header and segment with
	 * the source's low 32 bits, port, seq, ack and the checksum zero (as written). */
	tcp->cksum = 0;
	t->tcp_sum = rte_ipv6_phdr_cksum(ip, 0) +
		     __rte_raw_cksum(tcp, rte_be_to_cpu_16(ip->payload_len), 0);
}

/*
 * --offload: do what the NIC's TX checksum offload does to a frame the worker marked for it,
 * after checking the worker's half of the contract: no IPv4 checksum yet, and the TCP field
 * holding the pseudo-header sum (rte_mbuf_core.h, RTE_MBUF_F_TX_TCP_CKSUM). The harness pays
 * for the sums here, outside the worker's cycles, as the NIC would.
 */
bool
nic_tx_cksum(uint8_t *f, uint32_t len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + OFF_IP);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(f + OFF_TCP);

	if (len < OFF_TCP + sizeof(*th) || ip->hdr_checksum != 0 ||
	    OFF_IP + (uint32_t)rte_be_to_cpu_16(ip->total_length) > len ||
	    th->cksum != rte_ipv4_phdr_cksum(ip, 0))
		return false;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->cksum = 0;
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	return true;
}

int
bench_lcore_init(struct bench_lcore *lc, unsigned int idx, unsigned int lcore_id, uint32_t nb_mbufs)
{
	struct rte_eth_conf conf;
	char name[RTE_RING_NAMESIZE];
	int port;

	memset(lc, 0, sizeof(*lc));
	lc->idx = idx;
	lc->lcore_id = lcore_id;
	lc->socket = (int)rte_lcore_to_socket_id(lcore_id);
	lc->rng = 0x9E3779B97F4A7C15ull * (idx + 1);
	snprintf(name, sizeof(name), "bench_pool%u", idx);
	/* The cache keeps bulk alloc/free on the lcore, as a NIC's RX refill would be. */
	lc->pool = rte_pktmbuf_pool_create(name, nb_mbufs, 512, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					   lc->socket);
	if (lc->pool == NULL)
		goto fail;
	snprintf(name, sizeof(name), "bench_rx%u", idx);
	lc->rxr = rte_ring_create(name, 1024, lc->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "bench_tx%u", idx);
	/* Larger than TCPD_TX_MAX: one flush never meets a full ring. */
	lc->txr = rte_ring_create(name, 4096, lc->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (lc->rxr == NULL || lc->txr == NULL)
		goto fail;
	snprintf(name, sizeof(name), "net_bench%u", idx);
	port = rte_eth_from_rings(name, &lc->rxr, 1, &lc->txr, 1, (unsigned int)lc->socket);
	if (port < 0)
		goto fail;
	lc->port_id = (uint16_t)port;
	/* The ring PMD's burst functions are reachable only once the port is started. */
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(lc->port_id, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup(lc->port_id, 0, 1024, (unsigned int)lc->socket, NULL, lc->pool) <
		    0 ||
	    rte_eth_tx_queue_setup(lc->port_id, 0, 1024, (unsigned int)lc->socket, NULL) < 0 ||
	    rte_eth_dev_start(lc->port_id) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "tcpd-bench: lcore %u setup failed: %s\n", lcore_id,
		rte_strerror(rte_errno));
	return -1;
}

void
bench_lcore_flush(struct bench_lcore *lc)
{
	struct rte_mbuf *m[64];
	unsigned int n;

	while ((n = rte_ring_dequeue_burst(lc->rxr, (void **)m, 64, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
	while ((n = rte_ring_dequeue_burst(lc->txr, (void **)m, 64, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
}

void
bench_barrier(struct bench_job *job)
{
	uint32_t gen = __atomic_load_n(&job->bar_gen, __ATOMIC_ACQUIRE);

	if (job->nb_lcores == 1)
		return;
	if (__atomic_add_fetch(&job->bar_count, 1, __ATOMIC_ACQ_REL) == job->nb_lcores) {
		__atomic_store_n(&job->bar_count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&job->bar_gen, gen + 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&job->bar_gen, __ATOMIC_ACQUIRE) == gen)
		rte_pause();
}
