/* SPDX-License-Identifier: BSD-3-Clause */
/* The unit tests' shared set-up (tcp_fixture.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_eal.h>

#include "tcp_fixture.h"

int
tfx_eal_init(const char *name, const char *log_level)
{
	char prog[32], prefix[64], log[64];
	char *argv[] = {prog,  "-l",	      "0",	  "--no-huge", "-m",
			"256", "--no-shconf", "--no-pci", prefix,      log};

	snprintf(prog, sizeof(prog), "test_%s", name);
	snprintf(prefix, sizeof(prefix), "--file-prefix=tcpd_t_%s", name);
	snprintf(log, sizeof(log), "--log-level=lib.eal:%s", log_level);
	return rte_eal_init(RTE_DIM(argv), argv);
}

void
tfx_cfg_defaults(struct tcpd_config *cfg, uint32_t ip)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ip = ip;
	cfg->mtu = 1500;
	cfg->time_wait = 60;
	cfg->rto_retries = 3;
	cfg->http_body_size = 100;
	cfg->rst_rate = 1000;
	cfg->tlp = true; /* the defaults (tcpd_config_defaults) */
	cfg->random_loss_ms = 2;
	cfg->challenge_ack_limit = 10;
}

struct tcpd_worker *
tfx_worker_create(const struct tcpd_config *cfg, const struct tcpd_iface *ifc,
		  const struct tcpd_cookie_store *cookies, struct rte_mempool *pool, uint16_t port,
		  uint16_t queue, const char *name)
{
	static volatile bool quit;
	struct tcpd_worker_params p = {
		.cfg = cfg,
		.ifc = ifc,
		.cookies = cookies,
		.pool = pool,
		.lcore_id = queue,
		.port_id = port,
		.queue_id = queue,
		.socket_id = SOCKET_ID_ANY,
		.quit = &quit,
		.name = name,
	};
	struct tcpd_worker *w = tcpd_worker_create(&p);

	assert_non_null(w);
	return w;
}

static struct tcpd_net_seg
net_seg(const struct tfx_seg *s)
{
	struct tcpd_net_seg ns = {0};

	ns.seq = s->seq;
	ns.ack = s->ack;
	ns.win = s->win;
	ns.flags = s->flags;
	ns.opts = s->opts;
	return ns;
}

static void
frame_done(struct rte_mbuf *m, uint32_t len)
{
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
}

struct rte_mbuf *
tfx_frame4(struct rte_mempool *pool, const struct tcpd_iface *from, const struct tcpd_iface *to,
	   const struct tfx_seg *s, uint32_t *len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct tcpd_net_flow f = {0};
	struct tcpd_net_seg ns = net_seg(s);

	assert_non_null(m);
	f.src_mac = from->mac;
	f.dst_mac = to->mac;
	f.src_ip = from->ip;
	f.dst_ip = to->ip;
	f.src_port = rte_cpu_to_be_16(s->sport);
	f.dst_port = rte_cpu_to_be_16(s->dport);
	*len = tcpd_net_build_tcp(rte_pktmbuf_mtod(m, void *), &f, &ns, s->data, s->len, from,
				  NULL);
	frame_done(m, *len);
	return m;
}

struct rte_mbuf *
tfx_frame6(struct rte_mempool *pool, const struct tcpd_iface *from, const struct tcpd_iface *to,
	   const uint8_t *src, const uint8_t *dst, uint32_t flow, const struct tfx_seg *s,
	   uint32_t *len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct tcpd_net_flow6 f = {0};
	struct tcpd_net_seg ns = net_seg(s);

	assert_non_null(m);
	f.src_mac = from->mac;
	f.dst_mac = to->mac;
	memcpy(f.src_ip, src, 16);
	memcpy(f.dst_ip, dst, 16);
	f.src_port = rte_cpu_to_be_16(s->sport);
	f.dst_port = rte_cpu_to_be_16(s->dport);
	f.flow_label = flow;
	*len = tcpd_net_build_tcp6(rte_pktmbuf_mtod(m, void *), &f, &ns, s->data, s->len, from,
				   NULL);
	frame_done(m, *len);
	return m;
}

/* ---- the test client application ---- */
struct tfx_act tfx_act;

static void
act_established(struct tcpd_app *a, struct tcpd_tcb *c)
{
	(void)a;
	tfx_act.established++;
	if (tfx_act.close_on_open)
		tcpd_tcp_app_close(c);
}

static uint32_t
act_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
       uint32_t len, uint32_t room, int *m_taken)
{
	(void)a, (void)c, (void)m, (void)data, (void)m_taken;
	return len < room ? len : room;
}

static void
act_fill(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	 uint32_t len)
{
	(void)a, (void)c, (void)dst, (void)seq, (void)len;
	fail_msg("the test client queues no data");
}

static void
act_free(struct tcpd_app *a, struct tcpd_tcb *c, enum tcpd_close_reason why)
{
	(void)a, (void)c;
	tfx_act.freed++;
	tfx_act.why = why;
}

const struct tcpd_app_ops tfx_act_ops = {
	.name = "test-client",
	.established = act_established,
	.rx = act_rx,
	.fill = act_fill,
	.free = act_free,
};
