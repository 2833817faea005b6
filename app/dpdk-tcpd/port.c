/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port set-up: one RX/TX queue pair per worker, RSS on IPv4/TCP when there is more than one
 * queue, checksum offloads where the device has them, the MTU, link wait. Everything the device
 * cannot do is masked off with a warning (rte_eth_dev_configure rejects unsupported bits), except
 * what the daemon cannot run without: the port itself, enough queues, the MTU.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "tcpd_app.h"

#define LINK_WAIT_MS  9000 /* as l2fwd: long enough for a real NIC to autonegotiate */
#define LINK_CHECK_MS 100

static int
wait_link(uint16_t port, volatile bool *quit)
{
	struct rte_eth_link link;
	char text[RTE_ETH_LINK_MAX_STR_LEN];
	unsigned int waited;

	for (waited = 0; waited <= LINK_WAIT_MS && !*quit; waited += LINK_CHECK_MS) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status) {
			rte_eth_link_to_str(text, sizeof(text), &link);
			printf("port %u: %s\n", port, text);
			return 0;
		}
		rte_delay_ms(LINK_CHECK_MS);
	}
	if (!*quit)
		printf("port %u: WARNING: link still down after %u ms, serving anyway\n", port,
		       LINK_WAIT_MS);
	return 0;
}

/*
 * With RSS: a round-robin redirection table (entry i -> queue i % nb_queues) over the key set at
 * configure time, then read both back, so that client mode's tuple choosers compute exactly what
 * the port does (tcpd_tuple.h). Without them (or if the port cannot say), rss->reta_size is 0.
 */
static void
program_rss(uint16_t port, const struct rte_eth_dev_info *info, uint16_t nb_queues,
	    struct tcpd_port_rss *rss)
{
	struct rte_eth_rss_reta_entry64 reta[RTE_ETH_RSS_RETA_SIZE_512 / RTE_ETH_RETA_GROUP_SIZE];
	struct rte_eth_rss_conf rc = {.rss_key = rss->key, .rss_key_len = sizeof(rss->key)};
	uint32_t size = info->reta_size, i;
	int ret;

	rss->reta_size = 0;
	if (size == 0 || size > RTE_ETH_RSS_RETA_SIZE_512) {
		printf("port %u: WARNING: RSS without a usable redirection table (%u entries): "
		       "client mode cannot keep replies on the opening lcore\n",
		       port, size);
		return;
	}
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < size; i++) {
		reta[i / RTE_ETH_RETA_GROUP_SIZE].mask |= UINT64_C(1)
							  << (i % RTE_ETH_RETA_GROUP_SIZE);
		reta[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE] =
			(uint16_t)(i % nb_queues);
	}
	ret = rte_eth_dev_rss_reta_update(port, reta, (uint16_t)size);
	if (ret != 0)
		printf("port %u: WARNING: RETA update: %s (reading the device's own)\n", port,
		       rte_strerror(-ret));
	ret = rte_eth_dev_rss_reta_query(port, reta, (uint16_t)size);
	if (ret == 0)
		ret = rte_eth_dev_rss_hash_conf_get(port, &rc);
	if (ret != 0 || rc.rss_key_len < 16 || rc.rss_key_len > TCPD_TUPLE_RSS_KEY_MAX ||
	    rc.rss_key_len % 4 != 0) {
		printf("port %u: WARNING: cannot read the RSS key and RETA back: client mode "
		       "cannot "
		       "keep replies on the opening lcore\n",
		       port);
		return;
	}
	for (i = 0; i < size; i++)
		rss->reta[i] = reta[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE];
	rss->key_len = rc.rss_key_len;
	rss->reta_size = size;
}

int
tcpd_port_setup(const struct tcpd_config *cfg, uint16_t nb_queues, struct rte_mempool **pools,
		struct tcpd_iface *ifc, struct tcpd_port_rss *rss, volatile bool *quit)
{
	static uint8_t key[TCPD_TUPLE_RSS_KEY_LEN];

	const uint16_t port = cfg->port_id;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txconf;
	uint16_t nb_rxd = cfg->rx_desc, nb_txd = cfg->tx_desc, q;
	uint64_t want;
	int rc;

	if (!rte_eth_dev_is_valid_port(port)) {
		fprintf(stderr,
			"dpdk-tcpd: --port %u: no such port (%u ports available; add a device, "
			"e.g. --vdev=net_tap0 or --vdev=net_af_packet0,iface=<if>)\n",
			port, rte_eth_dev_count_avail());
		return TCPD_EXIT_USAGE;
	}
	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0) {
		fprintf(stderr, "dpdk-tcpd: port %u: cannot get device info: %s\n", port,
			rte_strerror(-rc));
		return TCPD_EXIT_FAIL;
	}
	if (info.max_rx_queues < nb_queues || info.max_tx_queues < nb_queues) {
		fprintf(stderr,
			"dpdk-tcpd: port %u (%s) offers %u RX and %u TX queues but %u workers need "
			"one pair each: give fewer lcores (-l)\n",
			port, info.driver_name, info.max_rx_queues, info.max_tx_queues, nb_queues);
		return TCPD_EXIT_USAGE;
	}
	if (cfg->mtu < info.min_mtu || cfg->mtu > info.max_mtu) {
		fprintf(stderr, "dpdk-tcpd: --mtu %u: port %u (%s) accepts %u to %u\n", cfg->mtu,
			port, info.driver_name, info.min_mtu, info.max_mtu);
		return TCPD_EXIT_USAGE;
	}

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = cfg->mtu;
	if (nb_queues > 1) {
		/* Toeplitz over the 4-tuple keeps every segment of a flow on one queue, so no
		 * connection state is shared between workers. Addresses alone would also do that,
		 * but spread badly when one client opens many connections. */
		want = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP;
		conf.rx_adv_conf.rss_conf.rss_hf = want & info.flow_type_rss_offloads;
		if (conf.rx_adv_conf.rss_conf.rss_hf != want)
			printf("port %u: WARNING: RSS hash functions 0x%" PRIx64
			       " requested, device offers 0x%" PRIx64 ", using 0x%" PRIx64 "\n",
			       port, want, info.flow_type_rss_offloads,
			       conf.rx_adv_conf.rss_conf.rss_hf);
		if (conf.rx_adv_conf.rss_conf.rss_hf != 0) {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			/* A known key: client mode computes where replies land. */
			memcpy(key, tcpd_tuple_rss_key_default, sizeof(key));
			if (info.hash_key_size == 0 || info.hash_key_size == sizeof(key)) {
				conf.rx_adv_conf.rss_conf.rss_key = key;
				conf.rx_adv_conf.rss_conf.rss_key_len = sizeof(key);
			}
		} else
			printf("port %u: WARNING: no RSS: the device decides which queue gets a "
			       "flow\n",
			       port);
	}
	/* Checksums: hardware where offered; lib/net computes the rest in software. */
	conf.rxmode.offloads = info.rx_offload_capa &
			       (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM);
	conf.txmode.offloads = info.tx_offload_capa &
			       (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM);
	ifc->rx_ip_cksum_hw = (conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) != 0;
	ifc->tx_ip_cksum = (conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) != 0;
	ifc->tx_tcp_cksum = (conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) != 0;
	ifc->ip = cfg->ip;
	if (cfg->ip6_prefix_len != 0) {
		memcpy(ifc->ip6[0].addr, cfg->ip6, 16);
		ifc->ip6[0].prefix_len = cfg->ip6_prefix_len;
		ifc->nb_ip6 = 1;
	}
	ifc->mtu = cfg->mtu;
	/* Client mode's other source addresses are ours too (ARP, segments to them). */
	ifc->extra_ip_first = cfg->client.src_ip_first;
	ifc->extra_ip_last = cfg->client.src_ip_last;
	tcpd_iface_set_range6(ifc, cfg->client.src_ip6, cfg->client.src_ip6_n);

	rc = rte_eth_dev_configure(port, nb_queues, nb_queues, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (rc != 0) {
		fprintf(stderr, "dpdk-tcpd: port %u: configure with %u queues failed: %s\n", port,
			nb_queues, rte_strerror(-rc));
		return TCPD_EXIT_FAIL;
	}
	txconf = info.default_txconf;
	txconf.offloads = conf.txmode.offloads;
	for (q = 0; q < nb_queues; q++) {
		rc = rte_eth_rx_queue_setup(port, q, nb_rxd, pools[q]->socket_id, NULL, pools[q]);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(port, q, nb_txd, pools[q]->socket_id, &txconf);
		if (rc != 0) {
			fprintf(stderr, "dpdk-tcpd: port %u: queue %u set-up failed: %s\n", port, q,
				rte_strerror(-rc));
			return TCPD_EXIT_FAIL;
		}
	}
	rc = rte_eth_macaddr_get(port, &ifc->mac);
	if (rc != 0) {
		fprintf(stderr, "dpdk-tcpd: port %u: no MAC address: %s\n", port,
			rte_strerror(-rc));
		return TCPD_EXIT_FAIL;
	}
	rc = rte_eth_dev_start(port);
	if (rc != 0) {
		fprintf(stderr, "dpdk-tcpd: port %u: start failed: %s\n", port, rte_strerror(-rc));
		return TCPD_EXIT_FAIL;
	}
	memset(rss, 0, sizeof(*rss));
	if (conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS)
		program_rss(port, &info, nb_queues, rss);
	/* Only frames for our MAC (and broadcast ARP); some vdevs cannot change it. */
	rc = rte_eth_promiscuous_disable(port);
	if (rc != 0 && rc != -ENOTSUP)
		printf("port %u: WARNING: cannot disable promiscuous mode: %s\n", port,
		       rte_strerror(-rc));
	printf("port %u (%s): %u queue pair(s), %u/%u descriptors, mtu %u, RSS 0x%" PRIx64
	       ", RX cksum offload %s, TX cksum offload ip %s tcp %s, MAC " RTE_ETHER_ADDR_PRT_FMT
	       "\n",
	       port, info.driver_name, nb_queues, nb_rxd, nb_txd, cfg->mtu,
	       conf.rx_adv_conf.rss_conf.rss_hf, conf.rxmode.offloads ? "on" : "off",
	       ifc->tx_ip_cksum ? "on" : "off", ifc->tx_tcp_cksum ? "on" : "off",
	       RTE_ETHER_ADDR_BYTES(&ifc->mac));
	return wait_link(port, quit);
}

void
tcpd_port_close(uint16_t port_id)
{
	int rc = rte_eth_dev_stop(port_id);

	if (rc != 0)
		printf("port %u: stop: %s\n", port_id, rte_strerror(-rc));
	rte_eth_dev_close(port_id);
}
