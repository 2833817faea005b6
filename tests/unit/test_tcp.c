/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tcp through its public API: hand-built frames go through tcpd_net_parse and
 * tcpd_tcp_input_burst, replies are read back from struct tcpd_tx and parsed; time is a fake
 * TSC passed to the input and timer calls.
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
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "tcp_fixture.h"

/* 198u: DPDK 22.11's RTE_IPV4 shifts an int, and 198 << 24 overflows it (UB) */
#define PEER_IP	  RTE_IPV4(198u, 18, 0, 2)
#define OUR_IP	  RTE_IPV4(198u, 18, 0, 1)
#define P_HTTP	  80
#define P_ECHO	  7
#define P_DISCARD 9
#define P_CLOSED  81

static struct rte_mempool *pool;
static struct tcpd_iface ifc, peer_ifc;
static struct tcpd_config cfg;
static struct tcpd_cookie_store cookies;
static struct tcpd_stats st;
static struct tcpd_tx tx;
static struct tcpd_tcp_ctx *ctx;
static uint64_t hz, t0, now_tsc;
static unsigned int ctx_seq;

/* ---- time ---- */
/* t0 sits at the start of a millisecond of lib/tcp's clock (same conversion), and at_ms() lands
 * half a millisecond into the asked one: no rounding can move a timer by a tick. */
#define MS_SHIFT 44
static uint64_t
tsc_ms(uint64_t tsc)
{
	uint64_t mult = (uint64_t)(((unsigned __int128)1000 << MS_SHIFT) / hz);

	return (uint64_t)(((unsigned __int128)tsc * mult) >> MS_SHIFT);
}

static void
align_t0(void)
{
	uint64_t ms0 = tsc_ms(rte_rdtsc());

	t0 = rte_rdtsc();
	while (tsc_ms(t0) <= ms0)
		t0 += hz / 100000 + 1;
	while (tsc_ms(t0 - 1) > ms0)
		t0--;
}

static void
at_ms(uint64_t ms)
{
	now_tsc = t0 + (ms * hz + hz / 2) / 1000;
}

static void
run_timers(uint64_t ms)
{
	at_ms(ms);
	tcpd_tcp_timers(ctx, now_tsc);
}

/* ---- segments in ---- */
static struct rte_mbuf *
make_frame(const struct tfx_seg *s, struct tcpd_pkt *p)
{
	enum tcpd_stat reason = 0;
	uint32_t len;
	struct rte_mbuf *m = tfx_frame4(pool, &peer_ifc, &ifc, s, &len);

	assert_int_equal(tcpd_net_parse(rte_pktmbuf_mtod(m, void *), len, &ifc, 0, p, &reason),
			 TCPD_NET_TCP);
	return m;
}

static void
inject(const struct tfx_seg *s)
{
	struct tcpd_pkt p;
	struct rte_mbuf *m = make_frame(s, &p);

	tcpd_tcp_input_burst(ctx, &m, &p, 1, now_tsc);
}

/* ---- segments out ---- */
struct reply {
	struct tcpd_pkt p;
	uint8_t data[2048];
	uint16_t len;
};

static struct reply rep[64];

/* Parse and free what the context queued; @return the number of segments. */
static unsigned int
take(void)
{
	unsigned int i, n = tx.n;

	assert_true(n <= 64);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = tx.pkts[i];
		enum tcpd_stat reason = 0;

		assert_int_equal(m->nb_segs, 1);
		assert_int_equal(tcpd_net_parse(rte_pktmbuf_mtod(m, void *), m->data_len, &peer_ifc,
						0, &rep[i].p, &reason),
				 TCPD_NET_TCP);
		rep[i].len = rep[i].p.payload_len;
		memcpy(rep[i].data, rte_pktmbuf_mtod_offset(m, uint8_t *, rep[i].p.payload_off),
		       rep[i].len);
		assert_memory_equal(rte_pktmbuf_mtod_offset(m, uint8_t *, 0),
				    peer_ifc.mac.addr_bytes, 6);
		rte_pktmbuf_free(m);
	}
	tx.n = 0;
	return n;
}

static uint64_t
ctr(enum tcpd_stat s)
{
	return st.c[s];
}

static struct tcpd_tcb *
find(uint16_t sport, uint16_t dport)
{
	struct tcpd_conn_key k = {
		.peer_ip = peer_ifc.ip,
		.local_ip = ifc.ip,
		.peer_port = rte_cpu_to_be_16(sport),
		.local_port = rte_cpu_to_be_16(dport),
		.pad = 0,
	};
	return tcpd_tcp_lookup(ctx, &k);
}

/* The compact TIME-WAIT entry of a tuple, NULL if it is not in TIME-WAIT. */
static const struct tcpd_tw *
find_tw(uint16_t sport, uint16_t dport)
{
	struct tcpd_conn_key k = {
		.peer_ip = peer_ifc.ip,
		.local_ip = ifc.ip,
		.peer_port = rte_cpu_to_be_16(sport),
		.local_port = rte_cpu_to_be_16(dport),
		.pad = 0,
	};
	return tcpd_tcp_lookup_tw(ctx, &k);
}

/* A connection's sequence state, control block or TIME-WAIT entry alike. */
struct view {
	unsigned int state; /* TCPD_CLOSED: none */
	uint32_t snd_nxt, snd_una, rcv_nxt;
};

static int
view(uint16_t sport, uint16_t dport, struct view *v)
{
	const struct tcpd_tcb *c = find(sport, dport);
	const struct tcpd_tw *tw = find_tw(sport, dport);

	memset(v, 0, sizeof(*v));
	if (c != NULL) {
		v->state = c->state;
		v->snd_nxt = c->snd_nxt;
		v->snd_una = c->snd_una;
		v->rcv_nxt = c->rcv_nxt;
	} else if (tw != NULL) {
		v->state = TCPD_TIME_WAIT;
		v->snd_nxt = v->snd_una = tw->snd_nxt;
		v->rcv_nxt = tw->rcv_nxt;
	}
	return v->state != TCPD_CLOSED;
}

/* ---- fixtures ---- */
static void
default_cfg(void)
{
	tfx_cfg_defaults(&cfg, ifc.ip);
	cfg.listen[0] = (struct tcpd_listen){P_HTTP, TCPD_SVC_HTTP};
	cfg.listen[1] = (struct tcpd_listen){P_ECHO, TCPD_SVC_ECHO};
	cfg.listen[2] = (struct tcpd_listen){P_DISCARD, TCPD_SVC_DISCARD};
	cfg.nb_listen = 3;
	cfg.syncookies = TCPD_SYNCOOKIES_AUTO;
	cfg.synq_limit = 1024;
	cfg.max_conns = 64;
	cfg.fin_wait2_timeout = 30;
}

static void
start(void)
{
	struct tcpd_tcp_params prm = {
		.cfg = &cfg,
		.ifc = &ifc,
		.cookies = &cookies,
		.pool = pool,
		.stats = &st,
		.tx = &tx,
		.apps = tcpd_app_registry(),
		.socket_id = SOCKET_ID_ANY,
	};
	char name[16];

	memset(&st, 0, sizeof(st));
	tcpd_tx_init(&tx, 0, 0, &ifc, &st);
	snprintf(name, sizeof(name), "tt%u", ctx_seq++);
	prm.name = name;
	ctx = tcpd_tcp_ctx_create(&prm);
	assert_non_null(ctx);
	align_t0();
	at_ms(0);
}

static int
setup(void **state)
{
	(void)state;
	default_cfg();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	take();
	tcpd_tcp_ctx_free(ctx);
	ctx = NULL;
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
	return 0;
}

static int
group_setup(void **state)
{
	(void)state;
	if (tfx_eal_init("tcp", "error") < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("tt_pool", 2047, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	hz = rte_get_tsc_hz();
	ifc.mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x01}};
	ifc.ip = rte_cpu_to_be_32(OUR_IP);
	ifc.mtu = 1500;
	peer_ifc.mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x02}};
	peer_ifc.ip = rte_cpu_to_be_32(PEER_IP);
	peer_ifc.mtu = 1500;
	return tcpd_cookie_store_init(&cookies, NULL, 0);
}

/* ---- a client ---- */
struct cli {
	uint16_t sport, dport;
	uint32_t seq; /* our next sequence number */
	uint32_t ack; /* server's next sequence number (what we acknowledge) */
	uint32_t iss; /* server's ISN */
	uint16_t win;
	int ts; /* send timestamps */
	uint32_t tsval;
	uint32_t tsecr;
};

static struct tcpd_tcp_opts
cli_opts(const struct cli *c)
{
	struct tcpd_tcp_opts o = {0};

	if (c->ts) {
		o.present = TCPD_OPT_TS;
		o.tsval = c->tsval;
		o.tsecr = c->tsecr;
	}
	return o;
}

static void
cli_send(struct cli *c, uint8_t flags, const char *data, uint16_t len)
{
	struct tfx_seg s = {c->sport, c->dport,	   c->seq, c->ack, flags,
			    c->win,   cli_opts(c), data,   len};

	inject(&s);
	c->seq += len + !!(flags & TCPD_TH_FIN);
}

static void
cli_syn(struct cli *c, uint16_t sport, uint16_t dport, uint32_t isn, const struct tcpd_tcp_opts *o)
{
	struct tfx_seg s = {sport, dport, isn, 0, TCPD_TH_SYN, 64240, *o, NULL, 0};

	memset(c, 0, sizeof(*c));
	c->sport = sport;
	c->dport = dport;
	c->seq = isn + 1;
	c->win = 65535;
	inject(&s);
}

/* SYN without options, SYN-ACK checked, ACK: an ESTABLISHED connection without options. */
static struct tcpd_tcb *
connect_plain(struct cli *c, uint16_t sport, uint16_t dport)
{
	struct tcpd_tcp_opts o = {0};

	cli_syn(c, sport, dport, 1000 + sport, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(rep[0].p.ack, c->seq);
	c->iss = rep[0].p.seq;
	c->ack = c->iss + 1;
	cli_send(c, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_non_null(find(sport, dport));
	assert_int_equal(find(sport, dport)->state, TCPD_ESTABLISHED);
	return find(sport, dport);
}

static void
assert_gauges(uint64_t live, uint64_t half_open)
{
	unsigned int s;
	uint64_t sum = 0;

	assert_int_equal(ctr(TCPD_STAT_conn_live), live);
	assert_int_equal(ctr(TCPD_STAT_conn_half_open), half_open);
	assert_int_equal(st.state[TCPD_SYN_RECEIVED], half_open);
	for (s = 0; s < TCPD_STATS_NSTATES; s++)
		sum += st.state[s];
	assert_int_equal(sum, live);
	assert_int_equal(tcpd_conn_count(tcpd_tcp_table(ctx)), live);
}

/* ======================================================================================== */

static void
test_handshake_all_options(void **state)
{
	struct tcpd_tcp_opts o = {.present = TCPD_OPT_MSS | TCPD_OPT_WSCALE | TCPD_OPT_SACK_PERM |
					     TCPD_OPT_TS,
				  .mss = 1400,
				  .wscale = 8,
				  .tsval = 5555,
				  .tsecr = 0};
	struct tcpd_cookie_tuple t = {rte_cpu_to_be_32(PEER_IP), rte_cpu_to_be_32(OUR_IP),
				      rte_cpu_to_be_16(40000), rte_cpu_to_be_16(P_DISCARD)};
	struct tcpd_tcb *c;
	struct cli cl;

	(void)state;
	start();
	cli_syn(&cl, 40000, P_DISCARD, 7000, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(rep[0].p.ack, 7001);
	assert_int_equal(rep[0].p.win, 65535);
	assert_int_equal(rep[0].p.opts.present,
			 TCPD_OPT_MSS | TCPD_OPT_WSCALE | TCPD_OPT_SACK_PERM | TCPD_OPT_TS);
	assert_int_equal(rep[0].p.opts.mss, 1460);
	assert_int_equal(rep[0].p.opts.wscale, 7);
	assert_int_equal(rep[0].p.opts.tsecr, 5555);
	/* The ISN is RFC 6528's (test_stateful_isn), not the cookie function's. */
	assert_int_not_equal(rep[0].p.seq,
			     tcpd_cookie_make(tcpd_cookie_store_current(&cookies), &t, 7000,
					      tcpd_tcp_clock_sec(ctx) / TCPD_COOKIE_PERIOD, 1));
	assert_int_equal(ctr(TCPD_STAT_syn_rx), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 0);
	assert_gauges(1, 1);
	c = find(40000, P_DISCARD);
	assert_non_null(c);
	assert_int_equal(c->state, TCPD_SYN_RECEIVED);

	cl.iss = rep[0].p.seq;
	cl.ack = cl.iss + 1;
	cl.ts = 1;
	cl.tsval = 5556;
	cl.tsecr = rep[0].p.opts.tsval;
	cl.win = 1000;
	at_ms(3);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->state, TCPD_ESTABLISHED);
	assert_int_equal(c->snd_mss, 1400);
	assert_int_equal(c->snd_wscale, 8);
	assert_int_equal(c->rcv_wscale, 7);
	assert_int_equal(c->snd_wnd, 1000u << 8);
	assert_int_equal(c->opt_flags & 0xF, TCPD_TCB_WSCALE | TCPD_TCB_SACK | TCPD_TCB_TS);
	assert_int_equal(c->ts_recent, 5556);
	/* RTT sample from TSecr: 3 ms (2 when the TSC-to-ms rounding falls that way) */
	assert_in_range(c->srtt8, 2 * 8, 3 * 8);
	assert_gauges(1, 0);
	assert_int_equal(ctr(TCPD_STAT_conn_opened), 1);
	assert_int_equal(tcpd_tcp_listener_stats(ctx)[2].accepted, 1);
	assert_int_equal(st.state[TCPD_ESTABLISHED], 1);

	/* Data: ACK with our scaled window (1 MiB >> 7) and the timestamps. */
	cl.tsval = 6000;
	cli_send(&cl, TCPD_TH_ACK | TCPD_TH_PSH, "abc", 3);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, cl.iss + 1);
	assert_int_equal(rep[0].p.ack, cl.seq);
	assert_int_equal(rep[0].p.win, (1u << 20) >> 7);
	assert_int_equal(rep[0].p.opts.present, TCPD_OPT_TS);
	assert_int_equal(rep[0].p.opts.tsecr, 6000);
	assert_in_range(rep[0].p.opts.tsval - cl.tsecr, 2, 3); /* our 1 ms clock */
	assert_int_equal(ctr(TCPD_STAT_data_rx_bytes), 3);
}

static void
test_http_keepalive_then_close(void **state)
{
	const char *req1a = "GET / HTTP/1.1\r\nHost: x\r\n\r", *req1b = "\n";
	const char *req2 = "GET /2 HTTP/1.1\r\ncOnNeCtIoN:  Close\r\n\r\n";
	char hdr[256], expect[512];
	struct tcpd_tcb *c;
	struct cli cl;
	int hl, i;

	(void)state;
	start();
	c = connect_plain(&cl, 40001, P_HTTP);
	/* The end of the headers split across two segments. */
	cli_send(&cl, TCPD_TH_ACK, req1a, (uint16_t)strlen(req1a));
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].len, 0);
	assert_int_equal(ctr(TCPD_STAT_http_requests), 0);
	cli_send(&cl, TCPD_TH_ACK, req1b, 1);
	assert_int_equal(take(), 1);
	hl = tcpd_app_http_header(hdr, sizeof(hdr), 100, false);
	assert_string_equal(hdr, "HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: "
				 "text/plain\r\nContent-Length: 100\r\n\r\n");
	memcpy(expect, hdr, hl);
	for (i = 0; i < 100; i++)
		expect[hl + i] = (char)tcpd_app_http_body_byte(i);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_PSH);
	assert_int_equal(rep[0].p.seq, cl.iss + 1);
	assert_int_equal(rep[0].p.ack, cl.seq);
	assert_int_equal(rep[0].len, hl + 100);
	assert_memory_equal(rep[0].data, expect, hl + 100);
	assert_int_equal(ctr(TCPD_STAT_http_requests), 1);
	cl.ack += rep[0].len;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);

	/* Connection: close (any case): response C, then our FIN in the same segment. */
	cli_send(&cl, TCPD_TH_ACK, req2, (uint16_t)strlen(req2));
	assert_int_equal(take(), 1);
	hl = tcpd_app_http_header(hdr, sizeof(hdr), 100, true);
	memcpy(expect, hdr, hl);
	for (i = 0; i < 100; i++)
		expect[hl + i] = (char)tcpd_app_http_body_byte(i);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_PSH | TCPD_TH_FIN);
	assert_int_equal(rep[0].p.seq, cl.ack);
	assert_int_equal(rep[0].len, hl + 100);
	assert_memory_equal(rep[0].data, expect, hl + 100);
	assert_int_equal(c->state, TCPD_FIN_WAIT_1);
	cl.ack += rep[0].len + 1;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->state, TCPD_FIN_WAIT_2);
	cli_send(&cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, cl.ack);
	assert_int_equal(rep[0].p.ack, cl.seq);
	assert_null(find(40001, P_HTTP)); /* the control block is gone: a compact entry */
	assert_non_null(find_tw(40001, P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_http_requests), 2);

	/* TIME-WAIT lasts cfg.time_wait seconds. */
	run_timers(59999);
	assert_non_null(find_tw(40001, P_HTTP));
	run_timers(60001);
	assert_null(find_tw(40001, P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_time_wait_expired), 1);
	assert_int_equal(ctr(TCPD_STAT_conn_closed), 1);
	assert_int_equal(take(), 0);
	assert_gauges(0, 0);
}

/*
 * The request parser, split at every byte: each request below is sent whole and in two segments
 * cut at every position, on its own connection. It must count exactly one request and close
 * (our FIN with the response) only for a real "Connection: close" header, whatever the case,
 * the whitespace around the value or a bare LF before the line.
 */
static void
test_http_parser_splits(void **state)
{
	static const struct {
		const char *req;
		bool close;
	} t[] = {
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nHost: a\r\nCONNECTION:close\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nConnection: \tclose, TE\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nHost: x\nConnection: close\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nX-Connection: close\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nConnection: closed\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n", false},
		{"GET /Connection:close HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nHost: connection: close\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nConnection: TE, close\r\n\r\n", true},
		/* whole lines are matched at once: the colon exactly, short lines, CR CR LF */
		{"GET / HTTP/1.1\r\nConnection\x1a close\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nConnectioN:\r\nA: b\r\nConnection:x,close\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nConnection: close\r\r\nHost: x\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nConnection: close\r\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nConnection: ,\tClOsE\r\n\r\n", true},
		{"GET / HTTP/1.1\r\nConnection: close \r\n\r\n", true},
		{"GET / HTTP/1.1\r\nConnection: clos\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nConnection: close\nHost: x\r\n\r\n", false},
		{"GET / HTTP/1.0\r\nConnection:KEEP-ALIVE\r\n\r\n", false},
		{"GET / HTTP/1.0\r\nConnection: keep-alive\nHost: x\r\n\r\n", true},
		/* HTTP/1.0 (RFC 9112 9.3): closed unless keep-alive is asked for */
		{"GET / HTTP/1.0\r\nHost: x\r\n\r\n", true},
		{"GET / HTTP/1.0\r\n\r\n", true},
		{"GET / HTTP/1.0\nHost: x\r\n\r\n", true},
		{"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", false},
		{"GET / HTTP/1.0\r\nCONNECTION:keep-alive\r\nHost: x\r\n\r\n", false},
		{"GET / HTTP/1.0\r\nConnection: TE, keep-alive\r\n\r\n", false},
		{"GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", true},
		{"GET / HTTP/1.0\r\nConnection: keep-alived\r\n\r\n", true},
		{"GET / HTTP/1.0\r\nX-Connection: keep-alive\r\n\r\n", true},
		{"GET / HTTP/1.0\r\nKeep-Alive: 300\r\n\r\n", true},
		{"GET /HTTP/1.0 HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"GET /x HTTP/1.1\r\nHost: HTTP/1.0\r\n\r\n", false},
	};
	uint16_t sport = 41000;
	uint64_t reqs = 0;

	(void)state;
	start();
	for (unsigned int k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		uint16_t len = (uint16_t)strlen(t[k].req);

		for (uint16_t cut = 0; cut < len; cut++) {
			struct cli cl;
			unsigned int n;

			connect_plain(&cl, sport, P_HTTP);
			if (cut > 0) {
				cli_send(&cl, TCPD_TH_ACK, t[k].req, cut);
				n = take();
				/* the first part is acknowledged, not answered */
				assert_int_equal(n, 1);
				assert_int_equal(rep[0].len, 0);
				assert_int_equal(ctr(TCPD_STAT_http_requests), reqs);
			}
			cli_send(&cl, TCPD_TH_ACK, t[k].req + cut, (uint16_t)(len - cut));
			n = take();
			assert_int_equal(n, 1);
			assert_true(rep[0].len > 100);
			assert_int_equal(ctr(TCPD_STAT_http_requests), ++reqs);
			if ((rep[0].p.flags & TCPD_TH_FIN) != (t[k].close ? TCPD_TH_FIN : 0))
				fail_msg("request %u cut at %u: close expected %d, flags 0x%x", k,
					 cut, t[k].close, rep[0].p.flags);
			/* abort it: the next case gets a fresh connection */
			cl.ack += rep[0].len + !!(rep[0].p.flags & TCPD_TH_FIN);
			cli_send(&cl, TCPD_TH_RST, NULL, 0);
			take();
			assert_null(find(sport, P_HTTP));
			sport++;
		}
	}
}

/* Read one response of @len bytes (header @hdr, then the body pattern) from the replies. */
static void
expect_response(const char *hdr, unsigned int body, uint8_t flags)
{
	char expect[512];
	size_t hl = strlen(hdr);

	memcpy(expect, hdr, hl);
	for (unsigned int i = 0; i < body; i++)
		expect[hl + i] = (char)tcpd_app_http_body_byte(i);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, flags);
	assert_int_equal(rep[0].len, hl + body);
	assert_memory_equal(rep[0].data, expect, hl + body);
}

/*
 * HTTP/1.0 (RFC 9112 9.3): without "Connection: keep-alive" the response says
 * "Connection: close" and our FIN follows it; with it, the response says
 * "Connection: keep-alive" and the connection stays open (the regenerated stream, retransmissions
 * included, is made of that response). An HTTP/1.0 keep-alive request on a connection that began
 * with HTTP/1.1 gets the closing response.
 */
static void
test_http10(void **state)
{
	static const char r_close[] = "HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: "
				      "text/plain\r\nContent-Length: 100\r\nConnection: "
				      "close\r\n\r\n";
	static const char r_ka[] = "HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: "
				   "text/plain\r\nContent-Length: 100\r\nConnection: "
				   "keep-alive\r\n\r\n";
	static const char r_11[] = "HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: "
				   "text/plain\r\nContent-Length: 100\r\n\r\n";
	const char *get10 = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";
	const char *get10k = "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n";
	const char *get11 = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;

	(void)state;
	start();
	/* Plain HTTP/1.0: answered, then closed. */
	c = connect_plain(&cl, 40020, P_HTTP);
	cli_send(&cl, TCPD_TH_ACK, get10, (uint16_t)strlen(get10));
	expect_response(r_close, 100, TCPD_TH_ACK | TCPD_TH_PSH | TCPD_TH_FIN);
	assert_int_equal(c->state, TCPD_FIN_WAIT_1);
	cl.ack += rep[0].len + 1;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(c->state, TCPD_FIN_WAIT_2);

	/* HTTP/1.0 keep-alive: K, twice, open; then HTTP/1.1 on it: K too. */
	c = connect_plain(&cl, 40021, P_HTTP);
	for (int i = 0; i < 2; i++) {
		cli_send(&cl, TCPD_TH_ACK, get10k, (uint16_t)strlen(get10k));
		expect_response(r_ka, 100, TCPD_TH_ACK | TCPD_TH_PSH);
		assert_int_equal(rep[0].p.seq, cl.ack);
		cl.ack += rep[0].len;
		cli_send(&cl, TCPD_TH_ACK, NULL, 0);
		assert_int_equal(take(), 0);
	}
	cli_send(&cl, TCPD_TH_ACK, get11, (uint16_t)strlen(get11));
	expect_response(r_ka, 100, TCPD_TH_ACK | TCPD_TH_PSH);
	/* Not acknowledged: the retransmission regenerates the same bytes. */
	run_timers(200); /* the RTO: 200 ms after a 0 ms RTT sample */
	expect_response(r_ka, 100, TCPD_TH_ACK | TCPD_TH_PSH);
	assert_int_equal(rep[0].p.seq, cl.ack);
	cl.ack += rep[0].len;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	/* HTTP/1.0 without keep-alive on it: closed. */
	cli_send(&cl, TCPD_TH_ACK, get10, (uint16_t)strlen(get10));
	expect_response(r_close, 100, TCPD_TH_ACK | TCPD_TH_PSH | TCPD_TH_FIN);
	assert_int_equal(c->state, TCPD_FIN_WAIT_1);

	/* HTTP/1.1 first: R; then HTTP/1.0 keep-alive cannot be answered with K: C and close. */
	c = connect_plain(&cl, 40022, P_HTTP);
	cli_send(&cl, TCPD_TH_ACK, get11, (uint16_t)strlen(get11));
	expect_response(r_11, 100, TCPD_TH_ACK | TCPD_TH_PSH);
	cl.ack += rep[0].len;
	cli_send(&cl, TCPD_TH_ACK, get10k, (uint16_t)strlen(get10k));
	expect_response(r_close, 100, TCPD_TH_ACK | TCPD_TH_PSH | TCPD_TH_FIN);
	assert_int_equal(c->state, TCPD_FIN_WAIT_1);
	assert_int_equal(ctr(TCPD_STAT_http_requests), 7);
}

static void
test_http_segmented_within_window(void **state)
{
	struct cli cl;
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	char hdr[256];
	uint32_t total, got = 0;
	unsigned int n, i;

	(void)state;
	cfg.http_body_size = 5000;
	start();
	connect_plain(&cl, 40002, P_HTTP);
	total = (uint32_t)tcpd_app_http_header(hdr, sizeof(hdr), 5000, false) + 5000;
	cl.win = 3000; /* the peer's window allows 3000 bytes */
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	n = take();
	/* No MSS option in the SYN: 536-byte segments (RFC 9293 3.7.1), 5 * 536; the last 320
	 * bytes the window allows wait (silly window avoidance, RFC 9293 3.8.6.2.1: less than a
	 * segment, less than half of the largest window offered, not all of the response). */
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		assert_int_equal(rep[i].p.seq, cl.iss + 1 + got);
		assert_int_equal(rep[i].len, 536);
		got += rep[i].len;
	}
	assert_int_equal(got, 2680);
	assert_int_equal(ctr(TCPD_STAT_sws_wait), 1);
	/* Every byte is the regenerated stream. */
	assert_memory_equal(rep[0].data, hdr, strlen(hdr));
	for (i = 1; i < n; i++)
		assert_int_equal(rep[i].data[0],
				 tcpd_app_http_body_byte(536 * i - (uint32_t)strlen(hdr)));
	assert_int_equal(rep[4].data[535], tcpd_app_http_body_byte(2680 - 1 - strlen(hdr)));
	/* The window moves on by 2680: the rest of the response fits it, all of it goes. */
	cl.ack += got;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	n = take();
	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		got += rep[i].len;
	assert_true(total <= 2680u + 3000u);
	assert_int_equal(got, total);
	assert_int_equal(ctr(TCPD_STAT_sws_wait), 1);
}

/*
 * Fast retransmit and NewReno recovery (RFC 5681 3.2, RFC 6582) on a 10-segment response: two
 * duplicate ACKs send nothing, a window update breaks the run, the third in a row resends
 * exactly the segment at SND.UNA, further ones inflate cwnd, a partial ACK resends the next hole
 * at once, the full ACK ends recovery with cwnd = ssthresh. No RTO involved (no timer run).
 */
static void
test_fast_retransmit(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	char hdr[256];
	uint32_t total, una, max, ssthresh;
	unsigned int n, i;

	(void)state;
	cfg.http_body_size = 5000;
	start();
	c = connect_plain(&cl, 40003, P_HTTP);
	total = (uint32_t)tcpd_app_http_header(hdr, sizeof(hdr), 5000, false) + 5000;
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	n = take();
	assert_int_equal(n, (total + 535) / 536); /* the initial window covers it all */
	una = cl.iss + 1;
	max = una + total;
	assert_int_equal(c->snd_max, max);
	ssthresh = RTE_MAX((total / 536) * 7 / 10, 2u); /* CUBIC's beta 0.7 */

	/* the first segment is "lost": every later one brings a duplicate ACK */
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 2);
	cl.win = 60000; /* a window update is not a duplicate ACK: the run starts again */
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 0);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 0);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0); /* the third in a row */
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, una);
	assert_int_equal(rep[0].p.ack, cl.seq);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].len, 536);
	assert_memory_equal(rep[0].data, hdr, strlen(hdr));
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 1);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 1);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	assert_int_equal(c->ssthresh, ssthresh);
	assert_int_equal(c->cwnd, ssthresh + 3);
	assert_int_equal(c->recover, max);
	assert_int_equal(c->snd_nxt, max); /* new data would continue where it was */

	/* a fourth inflates cwnd; nothing new to send */
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->cwnd, ssthresh + 4);

	/* partial ACK: three segments arrived, the fourth was lost too */
	cl.ack = una + 3 * 536;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, una + 3 * 536);
	assert_int_equal(rep[0].len, 536);
	for (i = 0; i < 536; i++)
		if (rep[0].data[i] != (uint8_t)tcpd_app_http_body_byte(3 * 536 + i - strlen(hdr)))
			fail_msg("retransmitted byte %u differs", i);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 2);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	assert_int_equal(c->cwnd, ssthresh + 4 - 3 + 1);

	/* a partial ACK of less than a segment deflates by nothing and adds nothing */
	cl.ack = una + 3 * 536 + 100;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, una + 3 * 536 + 100);
	assert_int_equal(c->cwnd, ssthresh + 4 - 3 + 1);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 3);

	/* full ACK: recovery over; nothing in flight, so cwnd = min(ssthresh, 1 + 1) */
	cl.ack = max;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(c->cwnd, RTE_MIN(ssthresh, 2u));
	assert_int_equal(c->snd_una, max);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 3);
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 0);
}

/*
 * After an RTO (go-back-N from SND.UNA), duplicate ACKs for data sent before it must not start a
 * fast retransmit and halve ssthresh again (RFC 6582 section 4): recover = SND.MAX at the RTO.
 */
static void
test_fast_retransmit_after_rto(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	char hdr[256];
	uint32_t total, una;
	uint16_t ssthresh;

	(void)state;
	cfg.http_body_size = 5000;
	start();
	c = connect_plain(&cl, 40004, P_HTTP);
	total = (uint32_t)tcpd_app_http_header(hdr, sizeof(hdr), 5000, false) + 5000;
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_true(take() > 1);
	una = cl.iss + 1;
	run_timers(1000); /* the initial RTO: the first segment again, cwnd 1 */
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, una);
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 0);
	assert_int_equal(c->cwnd, 1);
	assert_int_equal(c->recover, una + total);
	ssthresh = c->ssthresh;
	/* the rest of the first flight arrives and draws duplicate ACKs */
	for (int i = 0; i < 5; i++)
		cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 0);
	assert_int_equal(c->ssthresh, ssthresh);
	assert_true(c->dupacks < TCPD_TCB_RECOVERY);
}

static void
test_echo_and_peer_close(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;

	(void)state;
	start();
	c = connect_plain(&cl, 40003, P_ECHO);
	cli_send(&cl, TCPD_TH_ACK | TCPD_TH_PSH, "hello", 5);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_PSH);
	assert_int_equal(rep[0].p.seq, cl.iss + 1);
	assert_int_equal(rep[0].p.ack, cl.seq);
	assert_int_equal(rep[0].len, 5);
	assert_memory_equal(rep[0].data, "hello", 5);
	/* No window scale: the queue's room (minus the 5 bytes waiting for their ACK) is more than
	 * the 16-bit field says. */
	assert_true(TCPD_APP_ECHO_QMAX - 5 > 65535);
	assert_int_equal(rep[0].p.win, 65535);
	assert_non_null(c->app_ptr);
	cl.ack += 5;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_null(c->app_ptr);
	/* Peer closes: CLOSE-WAIT, nothing pending, so our FIN leaves at once: LAST-ACK. */
	cli_send(&cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_FIN);
	assert_int_equal(rep[0].p.seq, cl.ack);
	assert_int_equal(rep[0].p.ack, cl.seq);
	assert_int_equal(c->state, TCPD_LAST_ACK);
	cl.ack++;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_null(find(40003, P_ECHO));
	assert_int_equal(ctr(TCPD_STAT_conn_closed), 1);
	assert_int_equal(ctr(TCPD_STAT_data_rx_bytes), 5);
	assert_int_equal(ctr(TCPD_STAT_data_tx_bytes), 5);
	assert_gauges(0, 0);
}

static void
test_echo_zero_window_persist(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;

	(void)state;
	start();
	c = connect_plain(&cl, 40004, P_ECHO);
	cl.win = 0;
	cli_send(&cl, TCPD_TH_ACK, "abcd", 4);
	assert_int_equal(take(), 1); /* the ACK only: the peer's window is closed */
	assert_int_equal(rep[0].len, 0);
	assert_int_equal(rep[0].p.ack, cl.seq);
	assert_int_equal(rep[0].p.win, 65535); /* TCPD_APP_ECHO_QMAX - 4, unscaled */
	/* The persist timer (the RTO, 200 ms after a 0 ms RTT sample) probes with one byte. */
	run_timers(199);
	assert_int_equal(take(), 0);
	run_timers(200);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].len, 1);
	assert_int_equal(rep[0].data[0], 'a');
	/* Answers to probes into a closed window repeat SND.UNA: not duplicate ACKs (no loss). */
	for (int i = 0; i < 4; i++)
		cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 0);
	/* The window opens, the probe's octet not taken: all goes from SND.UNA, the octet
	 * included (the probe left SND.NXT there; "bcd" alone left a hole for the RTO). */
	cl.win = 1000;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, cl.iss + 1);
	assert_int_equal(rep[0].len, 4);
	assert_memory_equal(rep[0].data, "abcd", 4);
}

/* Advance the clock 1 ms at a time from @t until something is sent; @return the time. */
static uint64_t
run_until_sent(uint64_t t, uint64_t limit)
{
	for (uint64_t end = t + limit; t <= end; t++) {
		run_timers(t);
		if (tx.n != 0)
			return t;
	}
	fail_msg("nothing sent within %llu ms", (unsigned long long)limit);
	return 0;
}

/* RFC 9293 3.8.6.1 (MUST-37): a zero-window peer that answers every probe is probed for as
 * long as it answers, with exponential back-off up to the RTO ceiling (as Linux: any
 * acceptable ACK resets the probe count, not the back-off); one that stops answering is reset
 * after rto_retries unanswered probes. */
static void
test_persist_answered_probes(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint64_t t = 0, last = 0, gap, prev_gap = 0;
	unsigned int i;

	(void)state;
	start(); /* cfg.rto_retries = 3 */
	c = connect_plain(&cl, 40014, P_ECHO);
	cl.win = 0;
	cli_send(&cl, TCPD_TH_ACK, "abcd", 4);
	assert_int_equal(take(), 1);
	for (i = 0; i < 10; i++) {
		t = run_until_sent(t + 1, 61000);
		assert_int_equal(take(), 1);
		assert_int_equal(rep[0].len, 1);
		assert_int_equal(rep[0].p.seq, cl.iss + 1);
		gap = t - last;
		last = t;
		assert_true(gap >= prev_gap); /* backs off ... */
		assert_true(gap <= 60000);    /* ... to the ceiling */
		prev_gap = gap;
		/* The peer answers: the byte refused, the window still closed. */
		at_ms(t);
		cli_send(&cl, TCPD_TH_ACK, NULL, 0);
		assert_int_equal(take(), 0);
		assert_non_null(find(40014, P_ECHO));
	}
	assert_true(prev_gap >= 25600); /* 200 ms << 7 */
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 0);
	assert_int_equal(c->state, TCPD_ESTABLISHED);
	/* It stops answering: three more probes, then the reset. */
	for (i = 0; i < 3; i++) {
		t = run_until_sent(t + 1, 61000);
		assert_int_equal(take(), 1);
		assert_int_equal(rep[0].len, 1);
	}
	t = run_until_sent(t + 1, 61000);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_null(find(40014, P_ECHO));
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 1);
	assert_gauges(0, 0);
}

/* While the worker's RX path is saturated (tcpd_tcp_saturated), a LAST-ACK whose only
 * unacknowledged octet is our FIN sends nothing when its RTO expires (last_ack_shed), the
 * back-off and the count going on; unsaturated, the FIN is retransmitted as ever; the last
 * expiry resets. A late final ACK still closes it normally. */
static void
test_last_ack_saturated(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl, cl2;
	uint32_t fin_seq;

	(void)state;
	start(); /* rto_retries 3, orphan_retries 3 by default */
	c = connect_plain(&cl, 40020, P_ECHO);
	cli_send(&cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_FIN);
	fin_seq = rep[0].p.seq;
	assert_int_equal(c->state, TCPD_LAST_ACK);
	tcpd_tcp_saturated(ctx, true);
	run_timers(199);
	run_timers(200); /* first expiry: nothing sent */
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_last_ack_shed), 1);
	assert_int_equal(c->retries & 0xF, 1);
	assert_int_equal(c->state, TCPD_LAST_ACK);
	tcpd_tcp_saturated(ctx, false);
	run_timers(599);
	assert_int_equal(take(), 0);
	run_timers(600); /* backed off 400 ms; not saturated: the FIN again */
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_FIN);
	assert_int_equal(rep[0].p.seq, fin_seq);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 1);
	tcpd_tcp_saturated(ctx, true);
	run_timers(1400); /* third expiry, 800 ms later: nothing */
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_last_ack_shed), 2);
	run_timers(2999);
	assert_int_equal(take(), 0);
	run_timers(3000); /* orphan_retries reached: the RST, saturated or not */
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, fin_seq + 1);
	assert_null(find(40020, P_ECHO));
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 1);
	assert_int_equal(ctr(TCPD_STAT_last_ack_shed), 2);

	/* A final ACK that comes after a silent expiry closes the connection without a word. */
	c = connect_plain(&cl2, 40021, P_ECHO);
	cli_send(&cl2, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
	assert_int_equal(take(), 1);
	run_timers(3200);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_last_ack_shed), 3);
	cl2.ack++;
	cli_send(&cl2, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_null(find(40021, P_ECHO));
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 1);
	assert_gauges(0, 0);
}

static void
test_rto_retransmit_then_reset(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint64_t t = 0;
	unsigned int i;

	(void)state;
	start();
	c = connect_plain(&cl, 40005, P_ECHO);
	cli_send(&cl, TCPD_TH_ACK, "xyz", 3);
	assert_int_equal(take(), 1);
	assert_int_equal(c->srtt8, 8); /* 0 ms sample counted as 1 ms: RTO floor 200 ms */
	for (i = 0; i < 3; i++) {
		uint64_t rto = 200u << i;

		run_timers(t + rto - 1);
		assert_int_equal(take(), 0);
		run_timers(t + rto);
		assert_int_equal(take(), 1);
		assert_int_equal(rep[0].p.seq, cl.iss + 1);
		assert_int_equal(rep[0].len, 3);
		assert_memory_equal(rep[0].data, "xyz", 3);
		t += rto;
	}
	assert_int_equal(ctr(TCPD_STAT_retransmit), 3);
	assert_int_equal(c->cwnd, 1);
	/* The fourth expiry: cfg.rto_retries reached, RST and removal. */
	run_timers(t + 1600);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, cl.iss + 4);
	assert_int_equal(rep[0].p.ack, cl.seq);
	assert_null(find(40005, P_ECHO));
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 1);
	assert_int_equal(ctr(TCPD_STAT_rst_tx), 1);
	assert_int_equal(tcpd_tcp_listener_stats(ctx)[1].reset, 1);
	assert_gauges(0, 0);
}

/* RFC 6298 5.5: the RTO doubles on each expiry, up to its 60 s ceiling (TCP_RTO_MAX_MS; the
 * RFC allows a maximum of at least 60 s), then stays there until rto_retries is reached. */
static void
test_rto_backoff_cap(void **state)
{
	struct cli cl;
	uint64_t t = 0;
	unsigned int i;

	(void)state;
	cfg.rto_retries = 12;
	start();
	connect_plain(&cl, 40015, P_ECHO);
	cli_send(&cl, TCPD_TH_ACK, "xyz", 3);
	assert_int_equal(take(), 1);
	for (i = 0; i < 12; i++) {
		uint64_t rto = RTE_MIN(200u << i, 60000u); /* 51.2 s, then 60 s, not 102.4 s */

		run_timers(t + rto - 1);
		assert_int_equal(take(), 0);
		run_timers(t + rto);
		assert_int_equal(take(), 1);
		assert_int_equal(rep[0].p.seq, cl.iss + 1);
		assert_int_equal(rep[0].len, 3);
		t += rto;
	}
	run_timers(t + 59999);
	assert_int_equal(take(), 0);
	run_timers(t + 60000);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(ctr(TCPD_STAT_rto_expired), 12);
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 1);
	assert_gauges(0, 0);
}

static void
test_syn_rcvd_retries_then_removed(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct cli cl;
	uint64_t t = 0;
	unsigned int i;

	(void)state;
	start();
	cli_syn(&cl, 40006, P_HTTP, 1, &o);
	assert_int_equal(take(), 1);
	for (i = 0; i < 3; i++) {
		uint64_t rto = 1000u << i;

		run_timers(t + rto - 1);
		assert_int_equal(take(), 0);
		run_timers(t + rto);
		assert_int_equal(take(), 1);
		assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
		assert_int_equal(rep[0].p.ack, 2);
		t += rto;
	}
	/* A retransmitted SYN is answered with the SYN-ACK again. */
	cli_syn(&cl, 40006, P_HTTP, 1, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(ctr(TCPD_STAT_syn_retransmit_rx), 1);
	run_timers(t + 8000);
	assert_int_equal(take(), 0); /* removed silently */
	assert_null(find(40006, P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_syn_rcvd_timeout), 1);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 3);
	assert_int_equal(ctr(TCPD_STAT_conn_closed), 1);
	assert_int_equal(ctr(TCPD_STAT_syn_rx), 1); /* the retransmission hit the entry */
	assert_gauges(0, 0);
}

static void
cookie_handshake(int with_ts)
{
	struct tcpd_tcp_opts o = {.present = TCPD_OPT_MSS | TCPD_OPT_WSCALE | TCPD_OPT_SACK_PERM,
				  .mss = 1400,
				  .wscale = 6};
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;

	if (with_ts) {
		o.present |= TCPD_OPT_TS;
		o.tsval = 777;
	}
	cfg.syncookies = TCPD_SYNCOOKIES_ALWAYS;
	start();
	at_ms(1000);
	cli_syn(&cl, 40007, P_HTTP, 123456, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(rep[0].p.ack, 123457);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	assert_gauges(0, 0);
	if (with_ts) {
		assert_int_equal(rep[0].p.opts.present,
				 TCPD_OPT_MSS | TCPD_OPT_WSCALE | TCPD_OPT_SACK_PERM | TCPD_OPT_TS);
		assert_int_equal(rep[0].p.opts.tsval & 0x3f, 0x10 | 6); /* SACK, wscale 6 */
		assert_int_equal(rep[0].p.opts.tsecr, 777);
	} else {
		/* Without timestamps only the MSS survives: nothing else is offered. */
		assert_int_equal(rep[0].p.opts.present, TCPD_OPT_MSS);
	}
	cl.iss = rep[0].p.seq;
	cl.ack = cl.iss + 1;
	cl.ts = with_ts;
	cl.tsval = 778;
	cl.tsecr = rep[0].p.opts.tsval;
	cl.win = 100;
	at_ms(1010);
	/* The cookie ACK carries a request: the connection is created and answers it. */
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(ctr(TCPD_STAT_cookie_ok), 1);
	c = find(40007, P_HTTP);
	assert_non_null(c);
	assert_int_equal(c->state, TCPD_ESTABLISHED);
	assert_int_equal(c->snd_mss, 1300);
	assert_int_equal(c->iss, cl.iss);
	assert_int_equal(ctr(TCPD_STAT_http_requests), 1);
	assert_int_equal(ctr(TCPD_STAT_conn_opened), 1);
	assert_gauges(1, 0);
	if (with_ts) {
		assert_int_equal(c->opt_flags & 0xF, TCPD_TCB_WSCALE | TCPD_TCB_SACK | TCPD_TCB_TS);
		assert_int_equal(c->snd_wscale, 6);
		assert_int_equal(c->rcv_wscale, 7);
		assert_int_equal(c->snd_wnd, 100u << 6);
	} else {
		assert_int_equal(c->opt_flags & 0xF, 0);
		assert_int_equal(c->snd_wscale, 0);
		assert_int_equal(c->rcv_wscale, 0);
		assert_int_equal(c->snd_wnd, 100);
	}
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, cl.iss + 1);
	assert_int_equal(rep[0].p.ack, cl.seq);
	/* Within the peer's window: 100 bytes unscaled, all 185 when scaled by 2^6. */
	assert_int_equal(rep[0].len, with_ts ? 85 + 100 : 100);
}

static void
test_cookie_always_with_ts(void **state)
{
	(void)state;
	cookie_handshake(1);
}

static void
test_cookie_always_without_ts(void **state)
{
	(void)state;
	cookie_handshake(0);
}

static void
test_cookie_forged_and_expired(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct cli cl, cl2;
	uint32_t cookie;

	(void)state;
	cfg.syncookies = TCPD_SYNCOOKIES_ALWAYS;
	start();
	/* Before any cookie was sent, a stray ACK is not even checked: RST, drop_no_conn. */
	cl.sport = 40008;
	cl.dport = P_HTTP;
	cl.seq = 50;
	cl.ack = 99;
	cl.win = 1000;
	cl.ts = 0;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST);
	assert_int_equal(rep[0].p.seq, 99);
	assert_int_equal(ctr(TCPD_STAT_drop_no_conn), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_bad), 0);

	cli_syn(&cl, 40008, P_HTTP, 1000, &o);
	assert_int_equal(take(), 1);
	cookie = rep[0].p.seq;
	cl.ack = cookie + 1 + 4; /* forged: MSS index 4 does not exist */
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST);
	assert_int_equal(rep[0].p.seq, cookie + 5);
	assert_int_equal(ctr(TCPD_STAT_cookie_bad), 1);
	assert_gauges(0, 0);

	/* 150 s later (a newer SYN keeps cookies recent) the old cookie has expired. */
	at_ms(150000);
	cli_syn(&cl2, 40009, P_HTTP, 1, &o);
	assert_int_equal(take(), 1);
	cl.ack = cookie + 1;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST);
	assert_int_equal(ctr(TCPD_STAT_cookie_expired), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_ok), 0);
	assert_gauges(0, 0);
}

/*
 * SYN-RECEIVED entries take RFC 6528's ISN, a keyed hash of the tuple plus a 4 us clock: the
 * same tuple 10 ms later starts 2,500 further on. It is no cookie: an entry lost while cookies
 * are being sent is not restored by its ACK, which gets <SEQ=SEG.ACK><CTL=RST> (as in Linux).
 */
static void
test_stateful_isn(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct cli a, b;
	uint32_t isn;

	(void)state;
	cfg.synq_limit = 1;
	start();
	at_ms(5);
	cli_syn(&a, 40020, P_HTTP, 100, &o);
	assert_int_equal(take(), 1);
	isn = rep[0].p.seq;
	tcpd_tcp_abort(ctx, find(40020, P_HTTP));
	assert_int_equal(take(), 1); /* its RST */
	at_ms(15);
	cli_syn(&a, 40020, P_HTTP, 100, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, isn + 2500);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 0);
	a.iss = rep[0].p.seq;
	a.ack = a.iss + 1;

	/* the limit reached: the next SYN gets a cookie */
	cli_syn(&b, 40021, P_HTTP, 200, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	b.ack = rep[0].p.seq + 1;
	/* the stateful entry is lost (reclaimed, aborted): its ACK fails the cookie check */
	tcpd_tcp_abort(ctx, find(40020, P_HTTP));
	assert_int_equal(take(), 1);
	cli_send(&a, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST);
	assert_int_equal(rep[0].p.seq, a.iss + 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_bad), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_ok), 0);
	assert_null(find(40020, P_HTTP));
	/* the cookie's ACK opens its connection */
	cli_send(&b, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_cookie_ok), 1);
	assert_int_equal(find(40021, P_HTTP)->state, TCPD_ESTABLISHED);
	assert_gauges(1, 0);
}

static void
test_auto_switches_at_synq_limit(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct cli cl;

	(void)state;
	cfg.synq_limit = 2;
	start();
	cli_syn(&cl, 40010, P_HTTP, 1, &o);
	cli_syn(&cl, 40011, P_HTTP, 1, &o);
	assert_int_equal(take(), 2);
	assert_gauges(2, 2);
	cli_syn(&cl, 40012, P_HTTP, 1, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(ctr(TCPD_STAT_synq_full), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	assert_int_equal(ctr(TCPD_STAT_syn_rx), 3);
	assert_gauges(2, 2);
	/* Its cookie ACK still creates the connection. */
	cl.ack = rep[0].p.seq + 1;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(ctr(TCPD_STAT_cookie_ok), 1);
	assert_gauges(3, 2);

	/* Off mode: past the limit the SYN is dropped. */
	take();
	tcpd_tcp_ctx_free(ctx);
	cfg.syncookies = TCPD_SYNCOOKIES_OFF;
	start();
	cli_syn(&cl, 40010, P_HTTP, 1, &o);
	cli_syn(&cl, 40011, P_HTTP, 1, &o);
	cli_syn(&cl, 40012, P_HTTP, 1, &o);
	assert_int_equal(take(), 2);
	assert_int_equal(ctr(TCPD_STAT_synq_full), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 0);
	assert_gauges(2, 2);
}

static void
test_table_full(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct cli cl;
	unsigned int i;

	(void)state;
	cfg.max_conns = 4;
	start();
	for (i = 0; i < 4; i++)
		connect_plain(&cl, (uint16_t)(41000 + i), P_DISCARD);
	cli_syn(&cl, 41010, P_DISCARD, 1, &o);
	assert_int_equal(take(), 1); /* a cookie instead */
	assert_int_equal(ctr(TCPD_STAT_table_full), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	cl.ack = rep[0].p.seq + 1;
	/* valid cookie, still no room: refused with <SEQ=SEG.ACK><CTL=RST>, never left believing
	 * it is connected */
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST);
	assert_int_equal(rep[0].p.seq, cl.ack);
	assert_int_equal(ctr(TCPD_STAT_table_full), 2);
	assert_int_equal(ctr(TCPD_STAT_cookie_no_room), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_ok), 0);
	assert_gauges(4, 0);
	for (i = 0; i < 4; i++) /* nothing was evicted */
		assert_non_null(find((uint16_t)(41000 + i), P_DISCARD));

	/* The refusal is not subject to rst_rate: the peer proved its address with the cookie. */
	take();
	tcpd_tcp_ctx_free(ctx);
	cfg.rst_rate = 0; /* no RST to segments without state, ever */
	start();
	for (i = 0; i < 4; i++)
		connect_plain(&cl, (uint16_t)(41000 + i), P_DISCARD);
	cli_syn(&cl, 41010, P_DISCARD, 1, &o);
	assert_int_equal(take(), 1);
	cl.ack = rep[0].p.seq + 1;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST);
	assert_int_equal(ctr(TCPD_STAT_cookie_no_room), 1);
	assert_int_equal(ctr(TCPD_STAT_rst_ratelimited), 0);

	take();
	tcpd_tcp_ctx_free(ctx);
	cfg.rst_rate = 1000;
	cfg.syncookies = TCPD_SYNCOOKIES_OFF;
	start();
	for (i = 0; i < 4; i++)
		connect_plain(&cl, (uint16_t)(41000 + i), P_DISCARD);
	cli_syn(&cl, 41010, P_DISCARD, 1, &o);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_table_full), 1);
	assert_gauges(4, 0);
}

static const struct tcpd_tw *
to_time_wait(struct cli *cl, uint16_t sport, int ts)
{
	const char *req = "GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
	struct tcpd_tcp_opts o = {0};
	const struct tcpd_tw *c;

	if (ts) {
		o.present = TCPD_OPT_TS;
		o.tsval = 100;
	}
	cli_syn(cl, sport, P_HTTP, 5000, &o);
	assert_int_equal(take(), 1);
	cl->iss = rep[0].p.seq;
	cl->ack = cl->iss + 1;
	cl->ts = ts;
	cl->tsval = 101;
	cl->tsecr = rep[0].p.opts.tsval;
	cli_send(cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 1);
	cl->ack += rep[0].len + 1;
	cli_send(cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
	assert_int_equal(take(), 1);
	assert_null(find(sport, P_HTTP));
	c = find_tw(sport, P_HTTP);
	assert_non_null(c);
	return c;
}

static void
test_time_wait_reuse(void **state)
{
	struct tcpd_tcp_opts o = {0};
	const struct tcpd_tw *c;
	struct cli cl, cl2;

	(void)state;
	start();
	c = to_time_wait(&cl, 42000, 0);
	/* An older (lower) sequence number: an old duplicate, answered with <SEQ=SND.NXT>
	 * <ACK=RCV.NXT><CTL=ACK> (RFC 9293 3.10.7.4, RFC 5961 4.2); TIME-WAIT stays. */
	cli_syn(&cl2, 42000, P_HTTP, cl.seq - 10, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, c->snd_nxt);
	assert_int_equal(rep[0].p.ack, c->rcv_nxt);
	assert_int_equal(ctr(TCPD_STAT_drop_time_wait_syn), 1);
	assert_ptr_equal(find_tw(42000, P_HTTP), c);
	/* A RST is ignored (RFC 1337). */
	cli_send(&cl, TCPD_TH_RST, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_rst_time_wait), 1);
	/* Higher: the entry is reused for a new SYN-RECEIVED. */
	cli_syn(&cl2, 42000, P_HTTP, cl.seq + 100000, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(rep[0].p.ack, cl.seq + 100001);
	assert_int_equal(ctr(TCPD_STAT_time_wait_reuse), 1);
	assert_int_equal(find(42000, P_HTTP)->state, TCPD_SYN_RECEIVED);
	assert_int_equal(ctr(TCPD_STAT_conn_closed), 1);
	assert_gauges(1, 1);

	/* With timestamps: a newer TSval wins even with a lower SEQ (RFC 6191). */
	c = to_time_wait(&cl, 42001, 1);
	o.present = TCPD_OPT_TS;
	o.tsval = 50; /* older */
	cli_syn(&cl2, 42001, P_HTTP, cl.seq + 100, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(ctr(TCPD_STAT_drop_time_wait_syn), 2);
	o.tsval = 200;
	cli_syn(&cl2, 42001, P_HTTP, cl.seq - 100, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_time_wait_reuse), 2);
	(void)c;
}

/*
 * TIME-WAIT as a compact entry: the control block goes back to its pool at once (the next
 * connection takes its slot), the gauges stay exact; a retransmitted FIN is answered with the
 * exact ACK (SND.NXT, RCV.NXT, TSval from our clock, TSecr = TS.Recent) and restarts 2*MSL; the
 * entries expire oldest first from their ring, the restarted one re-queued behind a younger.
 */
static void
test_time_wait_compact(void **state)
{
	struct tcpd_conn_table *tbl;
	const struct tcpd_tw *tw1, *tw2;
	struct cli a, b, c;
	uint32_t fin_seq, snd_nxt;

	(void)state;
	start();
	tbl = tcpd_tcp_table(ctx);
	tw1 = to_time_wait(&a, 44000, 1); /* at 0 ms */
	assert_int_equal(tcpd_conn_small_count(tbl), 1);
	assert_int_equal(st.state[TCPD_TIME_WAIT], 1);
	assert_int_equal(st.state[TCPD_FIN_WAIT_2], 0);
	assert_gauges(1, 0);
	assert_int_equal(ctr(TCPD_STAT_conn_closed), 0);
	assert_int_equal(tw1->rcv_nxt, a.seq);
	assert_int_equal(tw1->snd_nxt, a.ack);
	assert_int_equal(tw1->ts_recent, 101);
	assert_int_equal(tw1->win, 65535);
	assert_int_equal(tw1->expire_ms, (uint32_t)(tsc_ms(now_tsc) + 60000));
	/* its control block was slot 0: free again, the next connection takes it */
	assert_false(tcpd_conn_entry_live(tcpd_conn_at(tbl, 0)));
	assert_ptr_equal(connect_plain(&c, 44100, P_DISCARD), (void *)tcpd_conn_at(tbl, 0));
	assert_gauges(2, 0);

	at_ms(2000);
	tw2 = to_time_wait(&b, 44001, 1);
	assert_int_equal(st.state[TCPD_TIME_WAIT], 2);

	/* The peer's FIN again at 5 s: the same ACK, our clock in TSval, 2*MSL from now. */
	at_ms(5000);
	fin_seq = a.seq - 1;
	snd_nxt = a.ack;
	a.seq = fin_seq;
	a.tsval = 150;
	cli_send(&a, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, snd_nxt);
	assert_int_equal(rep[0].p.ack, fin_seq + 1);
	assert_int_equal(rep[0].p.win, 65535);
	assert_int_equal(rep[0].p.src_ip, ifc.ip);
	assert_int_equal(rep[0].p.dst_ip, peer_ifc.ip);
	assert_int_equal(rep[0].p.src_port, rte_cpu_to_be_16(P_HTTP));
	assert_int_equal(rep[0].p.dst_port, rte_cpu_to_be_16(44000));
	assert_int_equal(rep[0].p.opts.present, TCPD_OPT_TS);
	assert_int_equal(rep[0].p.opts.tsval, (uint32_t)tsc_ms(now_tsc));
	assert_int_equal(rep[0].p.opts.tsecr, 101); /* TS.Recent of the FIN that was accepted */
	assert_int_equal(rep[0].len, 0);
	assert_ptr_equal(find_tw(44000, P_HTTP), tw1);

	/* At 60 s the first is not due (restarted): re-queued behind the second. */
	run_timers(60001);
	assert_non_null(find_tw(44000, P_HTTP));
	assert_ptr_equal(find_tw(44001, P_HTTP), tw2);
	assert_ptr_equal(tcpd_conn_small_oldest(tbl), &tw2->ent);
	tw1 = find_tw(44000, P_HTTP);
	assert_int_equal(tw1->rcv_nxt, fin_seq + 1); /* moved whole */
	assert_int_equal(tw1->snd_nxt, snd_nxt);
	run_timers(61999);
	assert_non_null(find_tw(44001, P_HTTP));
	run_timers(62001);
	assert_null(find_tw(44001, P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_time_wait_expired), 1);
	run_timers(64999);
	assert_non_null(find_tw(44000, P_HTTP));
	run_timers(65001);
	assert_null(find_tw(44000, P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_time_wait_expired), 2);
	assert_int_equal(ctr(TCPD_STAT_conn_closed), 2);
	assert_int_equal(tcpd_conn_small_count(tbl), 0);
	assert_int_equal(take(), 0);
	assert_gauges(1, 0);
}

static void
test_challenge_ack_limit_per_connection(void **state)
{
	struct tcpd_tcb *c1, *c2;
	struct cli a, b;
	unsigned int i;
	uint32_t seq;

	(void)state;
	cfg.challenge_ack_limit = 2;
	start();
	c1 = connect_plain(&a, 43000, P_DISCARD);
	c2 = connect_plain(&b, 43001, P_DISCARD);
	seq = a.seq;
	for (i = 0; i < 3; i++) {
		a.seq = seq + 10; /* in window, not RCV.NXT */
		cli_send(&a, TCPD_TH_RST, NULL, 0);
	}
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, a.iss + 1);
	assert_int_equal(rep[0].p.ack, seq);
	assert_int_equal(ctr(TCPD_STAT_challenge_ack), 2);
	assert_int_equal(ctr(TCPD_STAT_challenge_ack_limited), 1);
	/* Another connection has its own budget (no shared counter: CVE-2016-5696). */
	b.seq += 10;
	cli_send(&b, TCPD_TH_RST, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_challenge_ack), 3);
	/* A SYN on a synchronized connection takes the same budget. */
	a.seq = seq;
	cli_send(&a, TCPD_TH_SYN, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_challenge_ack_limited), 2);
	/* So does an ACK of data never sent (RFC 5961 5.2, 7): discarded, its answer limited. */
	a.ack += 1000;
	cli_send(&a, TCPD_TH_ACK, NULL, 0);
	a.ack -= 1000;
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_drop_bad_ack), 1);
	assert_int_equal(ctr(TCPD_STAT_challenge_ack_limited), 3);
	/* The next second, again allowed. */
	at_ms(1000);
	a.seq = seq;
	cli_send(&a, TCPD_TH_SYN, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_challenge_ack), 4);
	/* The exact RST resets. */
	a.seq = seq;
	cli_send(&a, TCPD_TH_RST, NULL, 0);
	assert_null(find(43000, P_DISCARD));
	assert_int_equal(ctr(TCPD_STAT_rst_rx), 1);
	assert_int_equal(tcpd_tcp_listener_stats(ctx)[2].reset, 1);
	assert_int_equal(c2->state, TCPD_ESTABLISHED);
	(void)c1;
	assert_gauges(1, 0);
}

static void
test_rst_rate_limit(void **state)
{
	struct tfx_seg s = {44000, P_CLOSED, 700, 0, TCPD_TH_SYN, 1000, {0}, NULL, 0};
	unsigned int i;

	(void)state;
	cfg.rst_rate = 3;
	start();
	for (i = 0; i < 5; i++)
		inject(&s);
	assert_int_equal(take(), 3);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, 0);
	assert_int_equal(rep[0].p.ack, 701);
	assert_int_equal(rep[0].p.win, 0);
	assert_int_equal(ctr(TCPD_STAT_rst_tx), 3);
	assert_int_equal(ctr(TCPD_STAT_rst_ratelimited), 2);
	assert_int_equal(ctr(TCPD_STAT_no_listener), 5);
	/* A third of a second refills one token. */
	at_ms(334);
	inject(&s);
	inject(&s);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_rst_ratelimited), 3);
	assert_gauges(0, 0);
}

/* rst_rate 0 means no RST at all (a stealth port scan target), each one counted. */
static void
test_rst_rate_zero(void **state)
{
	struct tfx_seg s = {44000, P_CLOSED, 700, 0, TCPD_TH_SYN, 1000, {0}, NULL, 0};

	(void)state;
	cfg.rst_rate = 0;
	start();
	inject(&s);
	inject(&s);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_rst_tx), 0);
	assert_int_equal(ctr(TCPD_STAT_rst_ratelimited), 2);
}

/* Scanner probes (no SYN, ACK nor RST) to a closed port: RFC 9293 3.10.7.1,
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (FIN counts one), under the same rst_rate. */
static void
test_noack_closed_port(void **state)
{
	static const struct {
		uint8_t flags;
		uint32_t seq;
		const char *data;
		uint16_t len;
		uint32_t ack; /* expected */
	} t[] = {
		{TCPD_TH_FIN, 700, NULL, 0, 701},
		{0, 800, NULL, 0, 800},
		{TCPD_TH_PSH, 900, "abc", 3, 903},
		{TCPD_TH_URG, 0xfffffffe, "xyz", 3, 1}, /* SEG.SEQ + SEG.LEN wraps */
		{TCPD_TH_FIN | TCPD_TH_PSH | TCPD_TH_URG, 1000, "de", 2, 1003},
		{TCPD_TH_FIN, 1100, NULL, 0, 1101},
	};
	unsigned int i;

	(void)state;
	cfg.rst_rate = 5;
	start();
	for (i = 0; i < RTE_DIM(t); i++) {
		/* The ACK field holds garbage: it must not become the RST's sequence number. */
		struct tfx_seg s = {44100, P_CLOSED, t[i].seq,	0xdeadbeef, t[i].flags,
				    1000,  {0},	     t[i].data, t[i].len};

		inject(&s);
	}
	assert_int_equal(take(), 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(rep[i].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
		assert_int_equal(rep[i].p.seq, 0);
		assert_int_equal(rep[i].p.ack, t[i].ack);
		assert_int_equal(rep[i].p.win, 0);
		assert_int_equal(rep[i].p.opts.present, 0);
		assert_int_equal(rep[i].len, 0);
		assert_int_equal(rep[i].p.src_port, rte_cpu_to_be_16(P_CLOSED));
		assert_int_equal(rep[i].p.dst_port, rte_cpu_to_be_16(44100));
	}
	assert_int_equal(ctr(TCPD_STAT_no_listener), 6);
	assert_int_equal(ctr(TCPD_STAT_rst_tx), 5);
	assert_int_equal(ctr(TCPD_STAT_rst_ratelimited), 1);
	assert_int_equal(ctr(TCPD_STAT_drop_no_ack), 0);
	/* A fifth of a second refills one token. */
	at_ms(201);
	inject(&(struct tfx_seg){44100, P_CLOSED, 1200, 0, TCPD_TH_FIN, 1000, {0}, NULL, 0});
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.ack, 1201);
	assert_gauges(0, 0);
}

/* A listener discards segments without ACK (RFC 9293 3.10.7.2), counted, and never checks them
 * as cookies: here their ACK field holds the valid cookie, which a check would accept. */
static void
test_noack_listener_no_cookie_check(void **state)
{
	static const uint8_t probes[] = {TCPD_TH_FIN, 0, TCPD_TH_PSH,
					 TCPD_TH_FIN | TCPD_TH_PSH | TCPD_TH_URG};
	struct tcpd_tcp_opts o = {0};
	struct cli cl;
	unsigned int i;

	(void)state;
	cfg.syncookies = TCPD_SYNCOOKIES_ALWAYS;
	start();
	cli_syn(&cl, 40020, P_HTTP, 1000, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	cl.iss = rep[0].p.seq;
	cl.ack = cl.iss + 1;
	cl.win = 1000;
	for (i = 0; i < RTE_DIM(probes); i++) {
		struct tfx_seg s = {40020,
				    P_HTTP,
				    cl.seq,
				    cl.ack,
				    probes[i],
				    1000,
				    {0},
				    probes[i] & TCPD_TH_PSH ? "GET" : NULL,
				    probes[i] & TCPD_TH_PSH ? 3 : 0};

		inject(&s);
	}
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_drop_no_ack), RTE_DIM(probes));
	assert_int_equal(ctr(TCPD_STAT_cookie_ok), 0);
	assert_int_equal(ctr(TCPD_STAT_cookie_bad), 0);
	assert_int_equal(ctr(TCPD_STAT_cookie_expired), 0);
	assert_int_equal(ctr(TCPD_STAT_drop_no_conn), 0);
	assert_int_equal(ctr(TCPD_STAT_rst_tx), 0);
	assert_null(find(40020, P_HTTP));
	assert_gauges(0, 0);
	/* The same cookie in a real ACK opens the connection. */
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_cookie_ok), 1);
	assert_non_null(find(40020, P_HTTP));
	assert_gauges(1, 0);
}

/* ---- the state table ---- */

enum stim {
	S_SYN,
	S_SYNACK,
	S_ACK,
	S_DATA,
	S_FIN,
	S_FIN_RETX,
	S_RST_EXACT,
	S_RST_INWIN,
	S_RST_OUT,
	S_OLD_DUP,
	S_NOACK_FIN,
	S_NOACK_NULL,
	S_NOACK_PSH,
	S_NOACK_XMAS,
	S_N
};

static const char *const stim_name[S_N] = {"SYN",      "SYN-ACK", "ACK",      "data",	 "FIN",
					   "FIN-retx", "RST=",	  "RST-in",   "RST-out", "old-dup",
					   "FIN-only", "null",	  "PSH-only", "xmas"};

#define SEQ_SND 0 /* reply SEQ = SND.NXT before the stimulus */
#define SEQ_ANY 1
#define SEQ_0	2
#define NONE	0xff /* the connection is gone */

struct expect {
	uint8_t flags; /* 0: no reply */
	uint8_t seq;
	int32_t ack; /* relative to RCV.NXT before the stimulus (if the reply has ACK) */
	uint8_t next;
};

#define A  TCPD_TH_ACK
#define FA (TCPD_TH_FIN | TCPD_TH_ACK)
#define SA (TCPD_TH_SYN | TCPD_TH_ACK)
#define R  TCPD_TH_RST
#define RA (TCPD_TH_RST | TCPD_TH_ACK)
#define X(f, a, n)                                                                                 \
	{                                                                                          \
		f, SEQ_SND, a, n                                                                   \
	}

enum row {
	R_SYN_RCVD,
	R_ESTAB,
	R_CLOSE_WAIT,
	R_LAST_ACK,
	R_FIN_WAIT_1,
	R_FIN_WAIT_2,
	R_CLOSING,
	R_TIME_WAIT,
	R_LISTEN,
	R_CLOSED,
	R_N
};

static const char *const row_name[R_N] = {"SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK",
					  "FIN-WAIT-1",	  "FIN-WAIT-2",	 "CLOSING",    "TIME-WAIT",
					  "LISTEN",	  "no listener"};

static const struct expect table[R_N][S_N] =
	{
		[R_SYN_RCVD] =
			{
				[S_SYN] = X(0, 0, NONE),
				[S_SYNACK] = X(0, 0, NONE),
				[S_ACK] = X(0, 0, TCPD_ESTABLISHED),
				[S_DATA] = X(A, 1, TCPD_ESTABLISHED),
				[S_FIN] = X(FA, 1, TCPD_LAST_ACK),
				[S_FIN_RETX] = X(A, 0, TCPD_SYN_RECEIVED),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(A, 0, TCPD_SYN_RECEIVED),
				[S_RST_OUT] = X(0, 0, TCPD_SYN_RECEIVED),
				[S_OLD_DUP] = X(A, 0, TCPD_SYN_RECEIVED),
				[S_NOACK_FIN] = X(0, 0, TCPD_SYN_RECEIVED),
				[S_NOACK_NULL] = X(0, 0, TCPD_SYN_RECEIVED),
				[S_NOACK_PSH] = X(0, 0, TCPD_SYN_RECEIVED),
				[S_NOACK_XMAS] = X(0, 0, TCPD_SYN_RECEIVED),
			},
		[R_ESTAB] =
			{
				[S_SYN] = X(A, 0, TCPD_ESTABLISHED),
				[S_SYNACK] = X(A, 0, TCPD_ESTABLISHED),
				[S_ACK] = X(0, 0, TCPD_ESTABLISHED),
				[S_DATA] = X(A, 1, TCPD_ESTABLISHED),
				[S_FIN] = X(FA, 1, TCPD_LAST_ACK),
				[S_FIN_RETX] = X(A, 0, TCPD_ESTABLISHED),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(A, 0, TCPD_ESTABLISHED),
				[S_RST_OUT] = X(0, 0, TCPD_ESTABLISHED),
				[S_OLD_DUP] = X(A, 0, TCPD_ESTABLISHED),
				[S_NOACK_FIN] = X(0, 0, TCPD_ESTABLISHED),
				[S_NOACK_NULL] = X(0, 0, TCPD_ESTABLISHED),
				[S_NOACK_PSH] = X(0, 0, TCPD_ESTABLISHED),
				[S_NOACK_XMAS] = X(0, 0, TCPD_ESTABLISHED),
			},
		[R_CLOSE_WAIT] =
			{
				[S_SYN] = X(A, 0, TCPD_CLOSE_WAIT),
				[S_SYNACK] = X(A, 0, TCPD_CLOSE_WAIT),
				[S_ACK] = X(0, 0, TCPD_CLOSE_WAIT),
				[S_DATA] = X(0, 0, TCPD_CLOSE_WAIT),
				[S_FIN] = X(0, 0, TCPD_CLOSE_WAIT),
				[S_FIN_RETX] = X(A, 0, TCPD_CLOSE_WAIT),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(A, 0, TCPD_CLOSE_WAIT),
				[S_RST_OUT] = X(0, 0, TCPD_CLOSE_WAIT),
				[S_OLD_DUP] = X(A, 0, TCPD_CLOSE_WAIT),
				[S_NOACK_FIN] = X(0, 0, TCPD_CLOSE_WAIT),
				[S_NOACK_NULL] = X(0, 0, TCPD_CLOSE_WAIT),
				[S_NOACK_PSH] = X(0, 0, TCPD_CLOSE_WAIT),
				[S_NOACK_XMAS] = X(0, 0, TCPD_CLOSE_WAIT),
			},
		[R_LAST_ACK] =
			{
				[S_SYN] = X(A, 0, TCPD_LAST_ACK),
				[S_SYNACK] = X(A, 0, TCPD_LAST_ACK),
				[S_ACK] = X(0, 0, NONE),
				[S_DATA] = X(0, 0, TCPD_LAST_ACK),
				[S_FIN] = X(0, 0, TCPD_LAST_ACK),
				[S_FIN_RETX] = X(A, 0, TCPD_LAST_ACK),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(A, 0, TCPD_LAST_ACK),
				[S_RST_OUT] = X(0, 0, TCPD_LAST_ACK),
				[S_OLD_DUP] = X(A, 0, TCPD_LAST_ACK),
				[S_NOACK_FIN] = X(0, 0, TCPD_LAST_ACK),
				[S_NOACK_NULL] = X(0, 0, TCPD_LAST_ACK),
				[S_NOACK_PSH] = X(0, 0, TCPD_LAST_ACK),
				[S_NOACK_XMAS] = X(0, 0, TCPD_LAST_ACK),
			},
		[R_FIN_WAIT_1] =
			{
				[S_SYN] = X(A, 0, TCPD_FIN_WAIT_1),
				[S_SYNACK] = X(A, 0, TCPD_FIN_WAIT_1),
				[S_ACK] = X(0, 0, TCPD_FIN_WAIT_2),
				[S_DATA] = X(A, 1, TCPD_FIN_WAIT_1),
				[S_FIN] = X(A, 1, TCPD_CLOSING),
				[S_FIN_RETX] = X(A, 0, TCPD_FIN_WAIT_1),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(A, 0, TCPD_FIN_WAIT_1),
				[S_RST_OUT] = X(0, 0, TCPD_FIN_WAIT_1),
				[S_OLD_DUP] = X(A, 0, TCPD_FIN_WAIT_1),
				[S_NOACK_FIN] = X(0, 0, TCPD_FIN_WAIT_1),
				[S_NOACK_NULL] = X(0, 0, TCPD_FIN_WAIT_1),
				[S_NOACK_PSH] = X(0, 0, TCPD_FIN_WAIT_1),
				[S_NOACK_XMAS] = X(0, 0, TCPD_FIN_WAIT_1),
			},
		[R_FIN_WAIT_2] =
			{
				[S_SYN] = X(A, 0, TCPD_FIN_WAIT_2),
				[S_SYNACK] = X(A, 0, TCPD_FIN_WAIT_2),
				[S_ACK] = X(0, 0, TCPD_FIN_WAIT_2),
				[S_DATA] = X(A, 1, TCPD_FIN_WAIT_2),
				[S_FIN] = X(A, 1, TCPD_TIME_WAIT),
				[S_FIN_RETX] = X(A, 0, TCPD_FIN_WAIT_2),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(A, 0, TCPD_FIN_WAIT_2),
				[S_RST_OUT] = X(0, 0, TCPD_FIN_WAIT_2),
				[S_OLD_DUP] = X(A, 0, TCPD_FIN_WAIT_2),
				[S_NOACK_FIN] = X(0, 0, TCPD_FIN_WAIT_2),
				[S_NOACK_NULL] = X(0, 0, TCPD_FIN_WAIT_2),
				[S_NOACK_PSH] = X(0, 0, TCPD_FIN_WAIT_2),
				[S_NOACK_XMAS] = X(0, 0, TCPD_FIN_WAIT_2),
			},
		[R_CLOSING] =
			{
				[S_SYN] = X(A, 0, TCPD_CLOSING),
				[S_SYNACK] = X(A, 0, TCPD_CLOSING),
				[S_ACK] = X(0, 0, TCPD_TIME_WAIT),
				[S_DATA] = X(0, 0, TCPD_CLOSING),
				[S_FIN] = X(0, 0, TCPD_CLOSING),
				[S_FIN_RETX] = X(A, 0, TCPD_CLOSING),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(A, 0, TCPD_CLOSING),
				[S_RST_OUT] = X(0, 0, TCPD_CLOSING),
				[S_OLD_DUP] = X(A, 0, TCPD_CLOSING),
				[S_NOACK_FIN] = X(0, 0, TCPD_CLOSING),
				[S_NOACK_NULL] = X(0, 0, TCPD_CLOSING),
				[S_NOACK_PSH] = X(0, 0, TCPD_CLOSING),
				[S_NOACK_XMAS] = X(0, 0, TCPD_CLOSING),
			},
		[R_TIME_WAIT] =
			{
				[S_SYN] = {SA, SEQ_ANY, 1001, TCPD_SYN_RECEIVED},
				[S_SYNACK] = X(A, 0, TCPD_TIME_WAIT),
				[S_ACK] = X(0, 0, TCPD_TIME_WAIT),
				[S_DATA] = X(0, 0, TCPD_TIME_WAIT),
				[S_FIN] = X(0, 0, TCPD_TIME_WAIT),
				[S_FIN_RETX] = X(A, 0, TCPD_TIME_WAIT),
				[S_RST_EXACT] = X(0, 0, TCPD_TIME_WAIT),
				[S_RST_INWIN] = X(0, 0, TCPD_TIME_WAIT),
				[S_RST_OUT] = X(0, 0, TCPD_TIME_WAIT),
				[S_OLD_DUP] = X(A, 0, TCPD_TIME_WAIT),
				[S_NOACK_FIN] = X(0, 0, TCPD_TIME_WAIT),
				[S_NOACK_NULL] = X(0, 0, TCPD_TIME_WAIT),
				[S_NOACK_PSH] = X(0, 0, TCPD_TIME_WAIT),
				[S_NOACK_XMAS] = X(0, 0, TCPD_TIME_WAIT),
			},
		[R_LISTEN] =
			{
				[S_SYN] = {SA, SEQ_ANY, 1001, TCPD_SYN_RECEIVED},
				[S_SYNACK] = X(R, 0, NONE),
				[S_ACK] = X(R, 0, NONE),
				[S_DATA] = X(R, 0, NONE),
				[S_FIN] = X(R, 0, NONE),
				[S_FIN_RETX] = X(R, 0, NONE),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(0, 0, NONE),
				[S_RST_OUT] = X(0, 0, NONE),
				[S_OLD_DUP] = X(R, 0, NONE),
				[S_NOACK_FIN] = X(0, 0, NONE),
				[S_NOACK_NULL] = X(0, 0, NONE),
				[S_NOACK_PSH] = X(0, 0, NONE),
				[S_NOACK_XMAS] = X(0, 0, NONE),
			},
		[R_CLOSED] =
			{
				[S_SYN] = {RA, SEQ_0, 1001, NONE},
				[S_SYNACK] = X(R, 0, NONE),
				[S_ACK] = X(R, 0, NONE),
				[S_DATA] = X(R, 0, NONE),
				[S_FIN] = X(R, 0, NONE),
				[S_FIN_RETX] = X(R, 0, NONE),
				[S_RST_EXACT] = X(0, 0, NONE),
				[S_RST_INWIN] = X(0, 0, NONE),
				[S_RST_OUT] = X(0, 0, NONE),
				[S_OLD_DUP] = X(R, 0, NONE),
				/* RFC 9293 3.10.7.1: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
				[S_NOACK_FIN] = {RA, SEQ_0, 1, NONE},
				[S_NOACK_NULL] = {RA, SEQ_0, 0, NONE},
				[S_NOACK_PSH] = {RA, SEQ_0, 1, NONE},
				[S_NOACK_XMAS] = {RA, SEQ_0, 3, NONE},
			},
};

/* Bring a fresh connection (client port @sport) into the state of @r; @return its port. */
static uint16_t
setup_row(enum row r, struct cli *cl, uint16_t sport)
{
	const char *close_req = "GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
	struct tcpd_tcp_opts o = {0};

	switch (r) {
	case R_SYN_RCVD:
		cli_syn(cl, sport, P_DISCARD, 9000, &o);
		assert_int_equal(take(), 1);
		cl->iss = rep[0].p.seq;
		cl->ack = cl->iss + 1;
		return P_DISCARD;
	case R_ESTAB:
		connect_plain(cl, sport, P_DISCARD);
		return P_DISCARD;
	case R_CLOSE_WAIT:
		/* Echo data the peer's closed window holds back keeps us in CLOSE-WAIT. */
		connect_plain(cl, sport, P_ECHO);
		cl->win = 0;
		cli_send(cl, TCPD_TH_ACK, "e", 1);
		cli_send(cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
		take();
		return P_ECHO;
	case R_LAST_ACK:
		connect_plain(cl, sport, P_DISCARD);
		cli_send(cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
		assert_int_equal(take(), 1);
		return P_DISCARD;
	case R_FIN_WAIT_1:
	case R_FIN_WAIT_2:
	case R_CLOSING:
	case R_TIME_WAIT:
		connect_plain(cl, sport, P_HTTP);
		cli_send(cl, TCPD_TH_ACK, close_req, (uint16_t)strlen(close_req));
		assert_int_equal(take(), 1);
		if (r == R_FIN_WAIT_1)
			return P_HTTP;
		if (r == R_CLOSING) {
			cli_send(cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
			assert_int_equal(take(), 1);
			return P_HTTP;
		}
		cl->ack += rep[0].len + 1;
		cli_send(cl, TCPD_TH_ACK, NULL, 0);
		if (r == R_TIME_WAIT)
			cli_send(cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
		take();
		return P_HTTP;
	case R_LISTEN:
	case R_CLOSED:
	default:
		memset(cl, 0, sizeof(*cl));
		cl->sport = sport;
		cl->seq = 5000;
		cl->ack = 7777;
		cl->win = 1000;
		return r == R_LISTEN ? P_DISCARD : P_CLOSED;
	}
}

static void
test_state_table(void **state)
{
	unsigned int r, s, port = 45000;

	(void)state;
	cfg.max_conns = 256;
	start();
	for (r = 0; r < R_N; r++) {
		for (s = 0; s < S_N; s++) {
			const struct expect *e = &table[r][s];
			struct view v;
			struct cli cl;
			uint32_t snd_nxt, snd_una, rcv_nxt;
			uint64_t noack0, nolis0;
			struct tfx_seg g;
			unsigned int n;
			int noack;

			port++;
			cl.dport = setup_row(r, &cl, (uint16_t)port);
			if (r < R_LISTEN) {
				assert_true(view((uint16_t)port, cl.dport, &v));
				snd_nxt = v.snd_nxt;
				snd_una = v.snd_una;
				rcv_nxt = v.rcv_nxt;
			} else {
				assert_false(view((uint16_t)port, cl.dport, &v));
				snd_nxt = snd_una = cl.ack;
				rcv_nxt = cl.seq;
			}
			memset(&g, 0, sizeof(g));
			g.sport = (uint16_t)port;
			g.dport = cl.dport;
			g.win = cl.win;
			g.seq = rcv_nxt;
			switch (s) {
			case S_SYN:
				g.flags = TCPD_TH_SYN;
				g.seq = rcv_nxt + 1000;
				break;
			case S_SYNACK:
				g.flags = TCPD_TH_SYN | TCPD_TH_ACK;
				g.ack = snd_nxt;
				break;
			case S_ACK:
				g.flags = TCPD_TH_ACK;
				g.ack = snd_nxt;
				break;
			case S_DATA:
				g.flags = TCPD_TH_ACK | TCPD_TH_PSH;
				g.ack = r == R_SYN_RCVD ? snd_nxt : snd_una;
				g.data = "x";
				g.len = 1;
				break;
			case S_FIN:
				g.flags = TCPD_TH_ACK | TCPD_TH_FIN;
				g.ack = r == R_SYN_RCVD ? snd_nxt : snd_una;
				break;
			case S_FIN_RETX:
				g.flags = TCPD_TH_ACK | TCPD_TH_FIN;
				g.seq = rcv_nxt - 1;
				g.ack = snd_una;
				break;
			case S_RST_EXACT:
				g.flags = TCPD_TH_RST;
				break;
			case S_RST_INWIN:
				g.flags = TCPD_TH_RST;
				g.seq = rcv_nxt + 100;
				break;
			case S_RST_OUT:
				g.flags = TCPD_TH_RST;
				g.seq = rcv_nxt - 100;
				break;
			case S_OLD_DUP:
				g.flags = TCPD_TH_ACK;
				g.seq = rcv_nxt - 10;
				g.ack = snd_una;
				g.data = "old..";
				g.len = 5;
				break;
			/* Scanner probes: no SYN, ACK nor RST; the ACK field holds garbage. */
			case S_NOACK_FIN:
				g.flags = TCPD_TH_FIN;
				g.ack = snd_nxt + 12345;
				break;
			case S_NOACK_NULL:
				g.flags = 0;
				break;
			case S_NOACK_PSH:
				g.flags = TCPD_TH_PSH;
				g.data = "x";
				g.len = 1;
				break;
			case S_NOACK_XMAS:
				g.flags = TCPD_TH_FIN | TCPD_TH_PSH | TCPD_TH_URG;
				g.data = "ab";
				g.len = 2;
				break;
			}
			noack0 = ctr(TCPD_STAT_drop_no_ack);
			nolis0 = ctr(TCPD_STAT_no_listener);
			inject(&g);
			n = take();
			print_message("%-12s %-8s -> %u replies\n", row_name[r], stim_name[s], n);
			assert_int_equal(n, e->flags ? 1 : 0);
			if (n) {
				assert_int_equal(rep[0].p.flags, e->flags);
				if (e->seq == SEQ_SND)
					assert_int_equal(rep[0].p.seq, snd_nxt);
				else if (e->seq == SEQ_0)
					assert_int_equal(rep[0].p.seq, 0);
				if (e->flags & TCPD_TH_ACK)
					assert_int_equal(rep[0].p.ack, rcv_nxt + e->ack);
				else
					assert_int_equal(rep[0].p.ack, 0);
				assert_int_equal(rep[0].len, 0);
				assert_int_equal(rep[0].p.opts.present,
						 e->flags & TCPD_TH_SYN ? TCPD_OPT_MSS : 0);
				assert_int_equal(rep[0].p.win, e->flags & TCPD_TH_RST ? 0 : 65535);
			}
			if (e->next == NONE) {
				assert_false(view((uint16_t)port, cl.dport, &v));
			} else {
				assert_true(view((uint16_t)port, cl.dport, &v));
				assert_int_equal(v.state, e->next);
			}
			/* Without SYN, ACK and RST: counted as drop_no_ack on a listener or a
			 * connection, which it leaves as it was; no_listener (and the RST) else. */
			noack = !(g.flags & (TCPD_TH_SYN | TCPD_TH_ACK | TCPD_TH_RST));
			assert_int_equal(ctr(TCPD_STAT_drop_no_ack) - noack0,
					 noack && r != R_CLOSED);
			assert_int_equal(ctr(TCPD_STAT_no_listener) - nolis0, r == R_CLOSED);
			if (noack && v.state != TCPD_CLOSED) {
				assert_int_equal(v.snd_nxt, snd_nxt);
				assert_int_equal(v.snd_una, snd_una);
				assert_int_equal(v.rcv_nxt, rcv_nxt);
			}
		}
	}
	assert_int_equal(ctr(TCPD_STAT_conn_live), tcpd_conn_count(tcpd_tcp_table(ctx)));
	assert_gauges(ctr(TCPD_STAT_conn_live), ctr(TCPD_STAT_conn_half_open));
}

static void
test_burst_same_flow(void **state)
{
	/* SYN and its retransmission in one burst: the second finds the entry the first made.
	 * Then an exact RST followed by a SYN in one burst: the SYN sees the table change. */
	struct tfx_seg s1 = {46000, P_DISCARD, 10, 0, TCPD_TH_SYN, 1000, {0}, NULL, 0};
	struct rte_mbuf *m[2];
	struct tcpd_pkt p[2];
	struct cli cl;
	struct tcpd_tcb *c;

	(void)state;
	start();
	m[0] = make_frame(&s1, &p[0]);
	m[1] = make_frame(&s1, &p[1]);
	tcpd_tcp_input_burst(ctx, m, p, 2, now_tsc);
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.seq, rep[1].p.seq);
	assert_int_equal(ctr(TCPD_STAT_syn_retransmit_rx), 1);
	assert_gauges(1, 1);

	c = connect_plain(&cl, 46001, P_DISCARD);
	{
		struct tfx_seg rst = {46001, P_DISCARD, cl.seq, 0, TCPD_TH_RST, 0, {0}, NULL, 0};
		struct tfx_seg syn = {46001, P_DISCARD, cl.seq + 5, 0, TCPD_TH_SYN,
				      1000,  {0},	NULL,	    0};

		m[0] = make_frame(&rst, &p[0]);
		m[1] = make_frame(&syn, &p[1]);
		tcpd_tcp_input_burst(ctx, m, p, 2, now_tsc);
	}
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	c = find(46001, P_DISCARD);
	assert_non_null(c);
	assert_int_equal(c->state, TCPD_SYN_RECEIVED);
	assert_int_equal(ctr(TCPD_STAT_rst_rx), 1);
	assert_gauges(2, 2);
}

static void
test_fin_wait2_and_idle_timeouts(void **state)
{
	const char *req = "GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
	struct cli cl, cl2;

	(void)state;
	cfg.idle_timeout = 5;
	start();
	connect_plain(&cl, 47000, P_HTTP);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 1);
	cl.ack += rep[0].len + 1;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(find(47000, P_HTTP)->state, TCPD_FIN_WAIT_2);
	connect_plain(&cl2, 47001, P_DISCARD);
	run_timers(3999);
	assert_non_null(find(47001, P_DISCARD));
	at_ms(4000);
	cli_send(&cl2, TCPD_TH_ACK, "a", 1); /* activity restarts the idle timer */
	take();
	run_timers(8999);
	assert_non_null(find(47001, P_DISCARD));
	run_timers(9000);
	assert_null(find(47001, P_DISCARD));
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(ctr(TCPD_STAT_idle_timeout), 1);
	run_timers(29999);
	assert_non_null(find(47000, P_HTTP));
	run_timers(30000);
	assert_null(find(47000, P_HTTP));
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_fin_wait2_timeout), 1);
	assert_gauges(0, 0);
}

/* ---- active open (RFC 9293 3.10.7.3) ---- */

/* The client application: tfx_act_ops (tcp_fixture.c) records what TCP tells it. */
#define ACT_PORT 50000

static struct tcpd_conn_key
act_key(uint16_t lport)
{
	struct tcpd_conn_key k = {
		.peer_ip = peer_ifc.ip,
		.local_ip = ifc.ip,
		.peer_port = rte_cpu_to_be_16(P_HTTP),
		.local_port = rte_cpu_to_be_16(lport),
		.pad = 0,
	};
	return k;
}

/* Start a context with the test client; connect from @lport: the SYN is checked. */
static struct tcpd_tcb *
act_connect(int *app, uint16_t lport)
{
	struct tcpd_conn_key k = act_key(lport);
	struct tcpd_tcb *c;

	if (*app < 0) {
		start();
		memset(&tfx_act, 0, sizeof(tfx_act));
		*app = tcpd_tcp_app_add(ctx, &tfx_act_ops, NULL);
		assert_true(*app >= TCPD_SVC_MAX);
	}
	tcpd_tcp_timers(ctx, now_tsc); /* connect runs on the clock of the last timer run */
	c = tcpd_tcp_connect(ctx, &k, (unsigned int)*app, &peer_ifc.mac);
	assert_non_null(c);
	assert_int_equal(c->state, TCPD_SYN_SENT);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN);
	assert_int_equal(rep[0].p.seq, c->iss);
	assert_int_equal(rep[0].p.ack, 0);
	assert_int_equal(rep[0].p.src_port, rte_cpu_to_be_16(lport));
	assert_int_equal(rep[0].p.dst_port, rte_cpu_to_be_16(P_HTTP));
	assert_int_equal(rep[0].p.opts.present,
			 TCPD_OPT_MSS | TCPD_OPT_WSCALE | TCPD_OPT_SACK_PERM | TCPD_OPT_TS);
	assert_int_equal(rep[0].p.opts.mss, 1460);
	assert_int_equal(rep[0].p.opts.wscale, 7);
	assert_int_equal(rep[0].p.opts.tsecr, 0);
	return c;
}

/* The peer's answer to our SYN, from port 80 to @lport. */
static void
act_answer(uint16_t lport, uint32_t seq, uint32_t ack, uint8_t flags, const struct tcpd_tcp_opts *o)
{
	struct tfx_seg s = {P_HTTP, lport, seq, ack, flags, 29200, *o, NULL, 0};

	inject(&s);
}

/* SYN, SYN-ACK with options, ACK: ESTABLISHED with what the peer accepted. */
static void
test_active_open_established(void **state)
{
	struct tcpd_tcp_opts o = {.present = TCPD_OPT_MSS | TCPD_OPT_WSCALE | TCPD_OPT_TS,
				  .mss = 1400,
				  .wscale = 9,
				  .tsval = 777};
	struct tcpd_tcb *c;
	int app = -1;

	(void)state;
	c = act_connect(&app, ACT_PORT);
	assert_int_equal(ctr(TCPD_STAT_syn_sent), 1);
	assert_int_equal(st.state[TCPD_SYN_SENT], 1);
	o.tsecr = rep[0].p.opts.tsval;
	at_ms(30);
	act_answer(ACT_PORT, 90000, c->iss + 1, TCPD_TH_SYN | TCPD_TH_ACK, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, c->iss + 1);
	assert_int_equal(rep[0].p.ack, 90001);
	assert_int_equal(rep[0].p.opts.tsecr, 777);
	assert_int_equal(c->state, TCPD_ESTABLISHED);
	assert_int_equal(c->snd_mss, 1400);
	assert_int_equal(c->snd_wscale, 9);
	assert_int_equal(c->rcv_wscale, 7);
	/* SACK-permitted was not in the SYN-ACK: not used */
	assert_int_equal(c->opt_flags & 0xF, TCPD_TCB_WSCALE | TCPD_TCB_TS);
	assert_int_equal(c->snd_wnd, 29200); /* never scaled in a SYN */
	assert_in_range(c->srtt8, 29 * 8, 31 * 8);
	assert_int_equal(tfx_act.established, 1);
	assert_int_equal(ctr(TCPD_STAT_conn_connected), 1);
	assert_int_equal(ctr(TCPD_STAT_conn_opened), 0); /* that one counts passive opens */
	assert_int_equal(st.state[TCPD_SYN_SENT], 0);
	assert_int_equal(st.state[TCPD_ESTABLISHED], 1);
	/* the same tuple again: refused, the live connection untouched */
	{
		struct tcpd_conn_key k = act_key(ACT_PORT);

		rte_errno = 0;
		assert_null(tcpd_tcp_connect(ctx, &k, (unsigned int)app, &peer_ifc.mac));
		assert_int_equal(rte_errno, EADDRINUSE);
		assert_int_equal(ctr(TCPD_STAT_connect_busy), 1);
	}
	tcpd_tcp_abort(ctx, c);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(tfx_act.why, TCPD_CLOSE_ABORT);
	assert_int_equal(tfx_act.freed, 1);
}

/* Unacceptable ACKs, RSTs without acceptable ACK, segments without SYN: RFC 9293 3.10.7.3. */
static void
test_active_open_bad_answers(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct tcpd_tcb *c;
	int app = -1;

	(void)state;
	c = act_connect(&app, ACT_PORT);
	/* SYN-ACK acknowledging the ISS itself, and one beyond SND.NXT: <SEQ=SEG.ACK><CTL=RST> */
	act_answer(ACT_PORT, 5000, c->iss, TCPD_TH_SYN | TCPD_TH_ACK, &o);
	act_answer(ACT_PORT, 5000, c->iss + 2, TCPD_TH_SYN | TCPD_TH_ACK, &o);
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST);
	assert_int_equal(rep[0].p.seq, c->iss);
	assert_int_equal(rep[1].p.flags, TCPD_TH_RST);
	assert_int_equal(rep[1].p.seq, c->iss + 2);
	/* RST with an unacceptable ACK: dropped, never answered; RST without ACK: dropped */
	act_answer(ACT_PORT, 5000, c->iss + 7, TCPD_TH_RST | TCPD_TH_ACK, &o);
	act_answer(ACT_PORT, 5000, 0, TCPD_TH_RST, &o);
	/* an acceptable ACK without SYN or RST: dropped (fifth) */
	act_answer(ACT_PORT, 5000, c->iss + 1, TCPD_TH_ACK, &o);
	assert_int_equal(take(), 0);
	assert_int_equal(c->state, TCPD_SYN_SENT);
	assert_int_equal(ctr(TCPD_STAT_drop_syn_sent), 5);
	assert_int_equal(tfx_act.freed, 0);
	/* RST with an acceptable ACK: refused */
	act_answer(ACT_PORT, 0, c->iss + 1, TCPD_TH_RST | TCPD_TH_ACK, &o);
	assert_int_equal(take(), 0);
	assert_int_equal(tfx_act.freed, 1);
	assert_int_equal(tfx_act.why, TCPD_CLOSE_REFUSED);
	assert_int_equal(ctr(TCPD_STAT_connect_refused), 1);
	assert_null(tcpd_tcp_lookup(ctx, &(struct tcpd_conn_key){peer_ifc.ip, ifc.ip,
								 rte_cpu_to_be_16(P_HTTP),
								 rte_cpu_to_be_16(ACT_PORT), 0}));
	assert_int_equal(ctr(TCPD_STAT_conn_live), 0);
	assert_int_equal(tfx_act.established, 0);
}

/* A SYN without ACK in SYN-SENT: simultaneous open, SYN-RECEIVED, then ESTABLISHED. */
static void
test_active_open_simultaneous(void **state)
{
	struct tcpd_tcp_opts o = {.present = TCPD_OPT_MSS, .mss = 1000};
	struct tcpd_tcb *c;
	int app = -1;

	(void)state;
	c = act_connect(&app, ACT_PORT);
	act_answer(ACT_PORT, 4000, 0, TCPD_TH_SYN, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(rep[0].p.seq, c->iss);
	assert_int_equal(rep[0].p.ack, 4001);
	/* no timestamps, no window scale in the peer's SYN: none offered any more */
	assert_int_equal(rep[0].p.opts.present, TCPD_OPT_MSS);
	assert_int_equal(c->state, TCPD_SYN_RECEIVED);
	assert_int_equal(c->snd_mss, 1000);
	act_answer(ACT_PORT, 4001, c->iss + 1, TCPD_TH_ACK, &(struct tcpd_tcp_opts){0});
	assert_int_equal(take(), 0);
	assert_int_equal(c->state, TCPD_ESTABLISHED);
	assert_int_equal(tfx_act.established, 1);
	assert_int_equal(ctr(TCPD_STAT_conn_connected), 1);
	assert_int_equal(ctr(TCPD_STAT_conn_half_open), 0);
}

/* No answer: the SYN again after 1, 2 and 4 s (RFC 6298 back-off), given up at the fourth
 * expiry with rto_retries 3. */
static void
test_active_open_syn_timeout(void **state)
{
	static const uint64_t at[] = {1000, 3000, 7000};
	struct tcpd_tcb *c;
	uint32_t iss;
	int app = -1;

	(void)state;
	c = act_connect(&app, ACT_PORT);
	iss = c->iss;
	run_timers(999);
	assert_int_equal(take(), 0);
	for (unsigned int i = 0; i < RTE_DIM(at); i++) {
		run_timers(at[i] + 1);
		assert_int_equal(take(), 1);
		assert_int_equal(rep[0].p.flags, TCPD_TH_SYN);
		assert_int_equal(rep[0].p.seq, iss);
		run_timers(at[i] + 1 + (1000u << i) - 10);
		assert_int_equal(take(), 0);
	}
	assert_int_equal(tfx_act.freed, 0);
	run_timers(15001);
	assert_int_equal(take(), 0); /* nothing to reset: the peer never answered */
	assert_int_equal(tfx_act.freed, 1);
	assert_int_equal(tfx_act.why, TCPD_CLOSE_SYN_TIMEOUT);
	assert_int_equal(ctr(TCPD_STAT_syn_sent_timeout), 1);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 3);
	assert_int_equal(ctr(TCPD_STAT_conn_live), 0);
}

/* We close first: our tuple waits in TIME-WAIT; a new connect takes it over only after 1 s and
 * with timestamps (tcp_tw_reuse), continuing the sequence space past the old one. */
static void
test_active_open_time_wait_reuse(void **state)
{
	struct tcpd_tcp_opts o = {.present = TCPD_OPT_MSS | TCPD_OPT_TS, .mss = 1460, .tsval = 5};
	struct tcpd_conn_key k = act_key(ACT_PORT);
	struct tcpd_tcb *c;
	uint32_t old_nxt;
	int app = -1;

	(void)state;
	c = act_connect(&app, ACT_PORT);
	tfx_act.close_on_open = 1;
	o.tsecr = rep[0].p.opts.tsval;
	act_answer(ACT_PORT, 700, c->iss + 1, TCPD_TH_SYN | TCPD_TH_ACK, &o);
	assert_int_equal(take(), 1); /* our FIN carries the ACK of the SYN-ACK */
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_FIN);
	assert_int_equal(c->state, TCPD_FIN_WAIT_1);
	o.present = TCPD_OPT_TS;
	old_nxt = c->snd_nxt;
	act_answer(ACT_PORT, 701, c->iss + 2, TCPD_TH_ACK | TCPD_TH_FIN, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(tcpd_tcp_key_state(ctx, &k), TCPD_TIME_WAIT);
	assert_null(tcpd_tcp_lookup(ctx, &k));
	assert_int_equal(tcpd_tcp_lookup_tw(ctx, &k)->snd_nxt, old_nxt);
	assert_int_equal(st.state[TCPD_TIME_WAIT], 1);
	assert_int_equal(tfx_act.freed, 1);
	assert_int_equal(tfx_act.why, TCPD_CLOSE_NORMAL);
	run_timers(500);
	rte_errno = 0;
	assert_null(tcpd_tcp_connect(ctx, &k, (unsigned int)app, &peer_ifc.mac));
	assert_int_equal(rte_errno, EADDRINUSE);
	run_timers(1200);
	c = tcpd_tcp_connect(ctx, &k, (unsigned int)app, &peer_ifc.mac);
	assert_non_null(c);
	assert_int_equal(c->state, TCPD_SYN_SENT);
	assert_int_equal(c->iss, old_nxt + 65537);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, old_nxt + 65537);
	assert_int_equal(ctr(TCPD_STAT_time_wait_reuse_own), 1);
	assert_int_equal(ctr(TCPD_STAT_connect_busy), 1);
	assert_int_equal(ctr(TCPD_STAT_conn_live), 1);
	assert_int_equal(st.state[TCPD_TIME_WAIT], 0);
	/* without timestamps the TIME-WAIT tuple stays busy for its whole 2*MSL */
	tfx_act.close_on_open = 1;
	o.present = TCPD_OPT_MSS;
	act_answer(ACT_PORT, 9000, c->iss + 1, TCPD_TH_SYN | TCPD_TH_ACK, &o);
	take();
	o.present = 0;
	act_answer(ACT_PORT, 9001, c->iss + 2, TCPD_TH_ACK | TCPD_TH_FIN, &o);
	take();
	assert_int_equal(tcpd_tcp_key_state(ctx, &k), TCPD_TIME_WAIT);
	run_timers(5000);
	assert_null(tcpd_tcp_connect(ctx, &k, (unsigned int)app, &peer_ifc.mac));
	assert_int_equal(rte_errno, EADDRINUSE);
}

/* ---- out-of-order queue, SACK, RFC 6675 recovery, limited transmit (issue 14) ---- */

/* SYN with MSS @mss, SACK-permitted, (if @ts) timestamps and (if @ws >= 0) window scale @ws;
 * SYN-ACK checked; ACK: an ESTABLISHED connection that negotiated SACK. */
static struct tcpd_tcb *
connect_sack_ws(struct cli *c, uint16_t sport, uint16_t dport, uint16_t mss, int ts, int ws)
{
	struct tcpd_tcp_opts o = {.present = TCPD_OPT_MSS | TCPD_OPT_SACK_PERM, .mss = mss};
	struct tcpd_tcb *t;

	if (ws >= 0) {
		o.present |= TCPD_OPT_WSCALE;
		o.wscale = (uint8_t)ws;
	}
	if (ts) {
		o.present |= TCPD_OPT_TS;
		o.tsval = 100;
	}
	cli_syn(c, sport, dport, 5000, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_true(rep[0].p.opts.present & TCPD_OPT_SACK_PERM);
	c->iss = rep[0].p.seq;
	c->ack = c->iss + 1;
	c->ts = ts;
	c->tsval = 101;
	c->tsecr = ts ? rep[0].p.opts.tsval : 0;
	cli_send(c, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	t = find(sport, dport);
	assert_non_null(t);
	assert_int_equal(t->state, TCPD_ESTABLISHED);
	assert_true(t->opt_flags & TCPD_TCB_SACK);
	assert_int_equal(!!(t->opt_flags & TCPD_TCB_WSCALE), ws >= 0);
	return t;
}

/* The same without window scale (our window at most 65535 bytes). */
static struct tcpd_tcb *
connect_sack(struct cli *c, uint16_t sport, uint16_t dport, uint16_t mss, int ts)
{
	return connect_sack_ws(c, sport, dport, mss, ts, -1);
}

/* A segment at @seq (not the client's running one), SACK blocks optional. */
static void
cli_at(struct cli *c, uint32_t seq, uint8_t flags, const char *data, uint16_t len,
       unsigned int nsack, const uint32_t *blk)
{
	struct tfx_seg s = {c->sport, c->dport, seq, c->ack, flags, c->win, cli_opts(c), data, len};

	for (unsigned int i = 0; i < nsack; i++) {
		s.opts.sack[i].left = blk[2 * i];
		s.opts.sack[i].right = blk[2 * i + 1];
	}
	if (nsack) {
		s.opts.present |= TCPD_OPT_SACK;
		s.opts.nb_sack = (uint8_t)nsack;
	}
	inject(&s);
}

/* Reply @i is a bare ACK of @ack with exactly the SACK blocks @blk (pairs). */
static void
assert_ack_sack(unsigned int i, uint32_t ack, unsigned int nsack, const uint32_t *blk)
{
	assert_int_equal(rep[i].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[i].p.ack, ack);
	assert_int_equal(rep[i].p.opts.nb_sack, nsack);
	assert_int_equal(!!(rep[i].p.opts.present & TCPD_OPT_SACK), nsack != 0);
	for (unsigned int b = 0; b < nsack; b++) {
		assert_int_equal(rep[i].p.opts.sack[b].left, blk[2 * b]);
		assert_int_equal(rep[i].p.opts.sack[b].right, blk[2 * b + 1]);
	}
}

/*
 * Echo with timestamps and SACK: out-of-order segments are kept and acknowledged at once with
 * SACK blocks (the block that changed last first); the in-order segment delivers the queue up to
 * the next hole, whose filling delivers the rest; the echo carries the bytes in order; a
 * duplicate of held data draws a D-SACK block; the record goes once the queue is empty.
 */
static void
test_ooo_queue_echo(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t b;

	(void)state;
	start();
	c = connect_sack(&cl, 41000, P_ECHO, 1460, 1);
	b = cl.seq;
	cli_at(&cl, b + 5, TCPD_TH_ACK, "world", 5, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b, 1, (uint32_t[]){b + 5, b + 10});
	assert_int_equal(rep[0].p.opts.tsecr, 101);
	assert_int_equal(ctr(TCPD_STAT_ooo_queued), 1);
	assert_int_equal(ctr(TCPD_STAT_dupack_ooo), 1);
	assert_int_not_equal(c->ext, 0);
	cli_at(&cl, b + 12, TCPD_TH_ACK, "!!!", 3, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b, 2, (uint32_t[]){b + 12, b + 15, b + 5, b + 10});
	/* a duplicate of what is held: D-SACK first (RFC 2883), then the blocks */
	cli_at(&cl, b + 6, TCPD_TH_ACK, "orl", 3, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b, 3, (uint32_t[]){b + 6, b + 9, b + 5, b + 10, b + 12, b + 15});
	assert_int_equal(ctr(TCPD_STAT_ooo_dup), 1);
	assert_int_equal(ctr(TCPD_STAT_dsack_tx), 1);
	assert_int_equal(c->rcv_nxt, b);
	/* the first hole fills: "hello" + "world" echoed, the SACK block of "!!!" remains */
	cli_at(&cl, b, TCPD_TH_ACK | TCPD_TH_PSH, "hello", 5, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, cl.iss + 1);
	assert_int_equal(rep[0].p.ack, b + 10);
	assert_int_equal(rep[0].len, 10);
	assert_memory_equal(rep[0].data, "helloworld", 10);
	assert_int_equal(rep[0].p.opts.nb_sack, 1);
	assert_int_equal(rep[0].p.opts.sack[0].left, b + 12);
	assert_int_equal(rep[0].p.opts.sack[0].right, b + 15);
	assert_int_equal(ctr(TCPD_STAT_ooo_delivered), 1);
	/* the second: the rest, no SACK block any more, the record given back */
	cli_at(&cl, b + 10, TCPD_TH_ACK | TCPD_TH_PSH, "XY", 2, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, cl.iss + 11);
	assert_int_equal(rep[0].p.ack, b + 15);
	assert_int_equal(rep[0].len, 5);
	assert_memory_equal(rep[0].data, "XY!!!", 5);
	assert_false(rep[0].p.opts.present & TCPD_OPT_SACK);
	assert_int_equal(ctr(TCPD_STAT_ooo_delivered), 2);
	assert_int_equal(ctr(TCPD_STAT_data_rx_bytes), 15);
	assert_int_equal(c->ext, 0);
	/* an old duplicate: an ACK with its D-SACK block */
	cli_at(&cl, b, TCPD_TH_ACK, "hello", 5, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b + 15, 1, (uint32_t[]){b, b + 5});
	assert_int_equal(ctr(TCPD_STAT_dsack_tx), 2);
	assert_int_equal(c->ext, 0);
}

/*
 * Without timestamps four SACK blocks fit; segments overlapping held data are cut; the lcore's
 * mbuf budget (pool size / 8) bounds what is kept, and the rest is refused and counted; a pool
 * running low frees every queue first (counted), and the connection goes on from RCV.NXT.
 */
static void
test_ooo_budget_and_pressure(void **state)
{
	struct rte_mbuf *hold[2048];
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t b, budget = 2047 / 8, i, nh = 0;

	(void)state;
	start();
	/* window scale: 1 MiB, 1,436 mbufs for the connection; the lcore's 255 bind first */
	c = connect_sack_ws(&cl, 41001, P_DISCARD, 1460, 0, 7);
	b = cl.seq;
	/* 1-byte segments two apart: each its own block */
	for (i = 0; i < budget; i++) {
		cli_at(&cl, b + 2 + 2 * i, TCPD_TH_ACK, "z", 1, 0, NULL);
		assert_int_equal(take(), 1);
	}
	assert_ack_sack(0, b, 4,
			(uint32_t[]){b + 2 * budget, b + 2 * budget + 1, b + 2 * budget - 2,
				     b + 2 * budget - 1, b + 2 * budget - 4, b + 2 * budget - 3,
				     b + 2 * budget - 6, b + 2 * budget - 5});
	assert_int_equal(ctr(TCPD_STAT_ooo_queued), budget);
	cli_at(&cl, b + 2 + 2 * budget, TCPD_TH_ACK, "z", 1, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_ooo_drop_budget), 1);
	assert_int_equal(ctr(TCPD_STAT_ooo_queued), budget);
	/* overlapping the first two held bytes and the gap between: kept as the gap only */
	cli_at(&cl, b + 2, TCPD_TH_ACK, "abc", 3, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_ooo_drop_budget), 2); /* the budget holds for it too */
	/* the pool runs low: the next timer run frees the queue */
	while (rte_mempool_avail_count(pool) >= 2047 / 16 && nh < RTE_DIM(hold))
		hold[nh++] = rte_pktmbuf_alloc(pool);
	run_timers(5);
	assert_int_equal(ctr(TCPD_STAT_ooo_purged), budget);
	assert_int_equal(c->ext, 0);
	while (nh)
		rte_pktmbuf_free(hold[--nh]);
	cli_at(&cl, b, TCPD_TH_ACK, "ab", 2, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b + 2, 0, NULL);
	assert_int_equal(ctr(TCPD_STAT_ooo_delivered), 0);
}

/* A pool large enough for the lcore's out-of-order budget (pool / 8) not to bind first. */
static struct rte_mempool *big_pool, *small_pool;

static int
teardown_big(void **state)
{
	int r = teardown(state);

	pool = small_pool;
	return r;
}

/*
 * The out-of-order queue is bounded by the window we advertise, not by a fixed count: with
 * window scaling (discard, 1 MiB) 600 full segments behind a hole are all kept (the fixed cap of
 * 256 dropped in-window segments, so the peer's RACK saw no SACK for them and waited for its
 * RTO) and delivered when the hole fills. Without scaling (64 KiB) a connection holds at most
 * twice its window in full segments, 2 * (65535 / 1460) = 88 mbufs of 1-byte segments: the next
 * is refused and counted (ooo_drop_conn), still acknowledged with the blocks held.
 */
static void
test_ooo_window_bound(void **state)
{
	static char seg[1460];
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t b, i, n = 600;

	(void)state;
	if (big_pool == NULL)
		big_pool = rte_pktmbuf_pool_create("tt_big", 8191, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
						   SOCKET_ID_ANY);
	assert_non_null(big_pool);
	small_pool = pool;
	pool = big_pool;
	start();
	memset(seg, 'w', sizeof(seg));
	c = connect_sack_ws(&cl, 41030, P_DISCARD, 1460, 0, 7);
	b = cl.seq;
	for (i = 1; i <= n; i++) {
		cli_at(&cl, b + 1460 * i, TCPD_TH_ACK, seg, 1460, 0, NULL);
		assert_int_equal(take(), 1);
	}
	assert_ack_sack(0, b, 1, (uint32_t[]){b + 1460, b + 1460 * (n + 1)});
	assert_int_equal(ctr(TCPD_STAT_ooo_queued), n);
	assert_int_equal(ctr(TCPD_STAT_ooo_drop_conn) + ctr(TCPD_STAT_ooo_drop_budget), 0);
	cli_at(&cl, b, TCPD_TH_ACK, seg, 1460, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b + 1460 * (n + 1), 0, NULL);
	assert_int_equal(rep[0].p.win, (1u << 20) >> 7); /* discard's 1 MiB, scaled */
	assert_int_equal(ctr(TCPD_STAT_ooo_delivered), n);
	assert_int_equal(ctr(TCPD_STAT_data_rx_bytes), 1460 * (n + 1));
	assert_int_equal(c->ext, 0);

	/* without window scaling: 64 KiB, 88 mbufs */
	c = connect_sack(&cl, 41031, P_DISCARD, 1460, 0);
	b = cl.seq;
	for (i = 0; i < 88; i++) {
		cli_at(&cl, b + 2 + 2 * i, TCPD_TH_ACK, "z", 1, 0, NULL);
		assert_int_equal(take(), 1);
	}
	assert_int_equal(ctr(TCPD_STAT_ooo_queued), n + 88);
	cli_at(&cl, b + 2 + 2 * 88, TCPD_TH_ACK, "z", 1, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b, 4,
			(uint32_t[]){b + 2 + 2 * 87, b + 3 + 2 * 87, b + 2 + 2 * 86, b + 3 + 2 * 86,
				     b + 2 + 2 * 85, b + 3 + 2 * 85, b + 2 + 2 * 84,
				     b + 3 + 2 * 84});
	assert_int_equal(ctr(TCPD_STAT_ooo_drop_conn), 1);
	assert_int_equal(ctr(TCPD_STAT_ooo_drop_budget), 0);
	assert_int_equal(ctr(TCPD_STAT_ooo_queued), n + 88);

	/* a hole between two blocks filled: one block, the last one, reported whole */
	connect_sack_ws(&cl, 41032, P_DISCARD, 1460, 0, 7);
	b = cl.seq;
	cli_at(&cl, b + 2920, TCPD_TH_ACK, seg, 1460, 0, NULL);
	cli_at(&cl, b + 5840, TCPD_TH_ACK, seg, 1460, 0, NULL);
	assert_int_equal(take(), 2);
	assert_ack_sack(1, b, 2, (uint32_t[]){b + 5840, b + 7300, b + 2920, b + 4380});
	cli_at(&cl, b + 4380, TCPD_TH_ACK, seg, 1460, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b, 1, (uint32_t[]){b + 2920, b + 7300});
	cli_at(&cl, b + 7300, TCPD_TH_ACK, seg, 1000, 0, NULL); /* appended to it */
	cli_at(&cl, b, TCPD_TH_ACK, seg, 1460, 0, NULL);	/* delivers nothing held */
	assert_int_equal(take(), 2);
	assert_ack_sack(0, b, 1, (uint32_t[]){b + 2920, b + 8300});
	assert_ack_sack(1, b + 1460, 1, (uint32_t[]){b + 2920, b + 8300});
	cli_at(&cl, b + 1460, TCPD_TH_ACK, seg, 1460, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b + 8300, 0, NULL);
}

/* The http response of @total bytes for a body of @body (header from the app). */
static uint32_t
http_total(uint32_t body)
{
	char hdr[256];

	return (uint32_t)tcpd_app_http_header(hdr, sizeof(hdr), body, false) + body;
}

/*
 * RFC 6675 on the send side: ten 1000-byte segments, the 2nd and 5th lost. The peer's SACKs
 * mark holes; the third DupAck starts recovery with cwnd = ssthresh = 6 (0.7 x 9) and resends
 * exactly the
 * 2nd; the 5th goes when IsLost holds for it (three segments SACKed above) and pipe allows;
 * nothing SACKed is ever resent; the full ACK ends recovery and gives the record back.
 */
static void
test_sack_scoreboard_retransmit(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t body = 9000, u;
	unsigned int i;

	(void)state;
	while (http_total(body) != 10000)
		body += 10000 - http_total(body);
	cfg.http_body_size = body;
	start();
	c = connect_sack(&cl, 41002, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
	for (i = 0; i < 10; i++) {
		assert_int_equal(rep[i].p.seq, u + 1000 * i);
		assert_int_equal(rep[i].len, 1000);
	}
#define S(k) (u + 1000 * (k))
	cl.ack = S(1); /* segment 0 arrives */
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(2), S(3)});
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(2), S(4)});
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 2);
	/* the third DupAck: recovery, the first hole (segment 1) and nothing else */
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 2, (uint32_t[]){S(5), S(6), S(2), S(4)});
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(1));
	assert_int_equal(rep[0].len, 1000);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	assert_int_equal(c->ssthresh, 6); /* FlightSize 9 segments x 0.7 */
	assert_int_equal(c->cwnd, 6);
	assert_int_equal(ctr(TCPD_STAT_sack_recovery), 1);
	assert_int_equal(ctr(TCPD_STAT_sack_retransmit), 1);
	/* segment 6: two SACKed above the 5th, not lost yet; pipe 1 + 1 + 3 = 5 < cwnd, but no
	 * new data is left and nothing else is lost: nothing goes */
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 2, (uint32_t[]){S(5), S(7), S(2), S(4)});
	assert_int_equal(take(), 0);
	/* segment 7: the 5th is lost now: resent, and that is all (pipe 1 + 1 + 2 = 4) */
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 2, (uint32_t[]){S(5), S(8), S(2), S(4)});
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(4));
	assert_int_equal(rep[0].len, 1000);
	assert_int_equal(ctr(TCPD_STAT_sack_retransmit), 2);
	/* segments 8 and 9 and the retransmitted 1st: a partial ACK up to the 5th hole */
	cl.ack = S(4);
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(5), S(10)});
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	/* the full ACK: recovery over, record gone, nothing resent besides the two holes */
	cl.ack = S(10);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(c->cwnd, 6); /* ssthresh: not deflated to the (empty) flight */
	assert_int_equal(c->ext, 0);
	assert_int_equal(c->snd_una, S(10));
	assert_int_equal(ctr(TCPD_STAT_retransmit), 2);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 1);
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 0);
#undef S
}

/*
 * RFC 3042: with more data than cwnd allows, each of the first two duplicate ACKs sends one new
 * segment (cwnd unchanged); the third starts fast retransmit.
 */
static void
test_limited_transmit(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u;

	(void)state;
	cfg.http_body_size = 20000;
	start();
	c = connect_plain(&cl, 41003, P_HTTP); /* MSS 536, no SACK */
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, u + 10 * 536);
	assert_int_equal(rep[0].len, 536);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, u + 11 * 536);
	assert_int_equal(ctr(TCPD_STAT_limited_transmit), 2);
	assert_int_equal(c->cwnd, 10);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, u);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 1);
	assert_int_equal(c->ssthresh, 8); /* FlightSize 12 segments x 0.7 */
	assert_int_equal(ctr(TCPD_STAT_limited_transmit), 2);
}

/*
 * Echo's receive window is its send queue: a peer that filled it and then acknowledges our echo
 * while its own window is closed (we have nothing we may send) must hear at once that our window
 * opened: a bare ACK with the new window, not silence until its zero-window probe.
 */
static void
test_window_update_after_ack(void **state)
{
	static char blob[536];
	struct tcpd_tcb *c;
	struct cli cl;
	unsigned int left, k, n = 0;

	(void)state;
	memset(blob, 'q', sizeof(blob));
	start();
	c = connect_plain(&cl, 41004, P_ECHO);
	cl.win = 5360; /* ten segments */
	for (left = TCPD_APP_ECHO_QMAX; left != 0; left -= k) {
		k = left < 536 ? left : 536;
		cli_send(&cl, TCPD_TH_ACK, blob, (uint16_t)k);
		n += take();
	}
	assert_int_equal(c->snd_max - c->snd_una, 5360); /* the peer's window */
	assert_int_equal(rep[0].p.win, 0);		 /* the queue is full */
	assert_int_equal(tcpd_tcp_app_unacked(c), TCPD_APP_ECHO_QMAX);
	/* all ten acknowledged, the peer's window closed: the update alone */
	cl.ack += 5360;
	cl.win = 0;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
	assert_int_equal(rep[0].len, 0);
	assert_int_equal(rep[0].p.ack, cl.seq);
	/* receiver silly window avoidance: the edge moves in steps of 1024 (MSS 536 rounded up
	 * to a power of two), 5 of them; the 240 bytes past the last wait for the next step */
	assert_int_equal(rep[0].p.win, 5120);
	(void)n;
}

/*
 * Window scaling (unit 128) and segments shorter than the unit: the field keeps the edge it
 * offered (RFC 7323 2.4, Linux's tcp_select_window), so each 100-byte segment moves the edge on
 * by 100 and the window never closes. Echo takes them up to a sixteenth past its 1 MiB queue
 * (echo_rx) and refuses the rest: RCV.NXT stops, the field still never shrinks.
 */
static void
test_echo_scaled_tiny_segments_bounded(void **state)
{
	static char blob[100];
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t taken = 0;

	(void)state;
	memset(blob, 'w', sizeof(blob));
	start();
	c = connect_sack_ws(&cl, 41031, P_ECHO, 1460, 0, 7);
	cl.win = 0; /* nothing is echoed: the queue only grows */
	for (unsigned int i = 0; i < 11200; i++) {
		uint32_t nxt = c->rcv_nxt;

		cli_at(&cl, nxt, TCPD_TH_ACK, blob, sizeof(blob), 0, NULL);
		assert_int_equal(take(), 1);
		assert_int_equal(rep[0].p.win, 8191); /* 1 MiB - 100 rounded down, then kept */
		taken += c->rcv_nxt - nxt;
	}
	assert_int_equal(taken, TCPD_APP_ECHO_QMAX + TCPD_APP_ECHO_QMAX / 16);
	assert_int_equal(tcpd_tcp_app_unacked(c), taken);
	assert_int_equal(ctr(TCPD_STAT_data_rx_bytes), taken);
	/* every segment refused in whole or in part is counted: 11141 taken whole, the 11142nd
	 * in part (12 bytes), the 58 after it not at all */
	assert_int_equal(ctr(TCPD_STAT_drop_data_refused), 11200 - 11141);
	assert_int_equal(ctr(TCPD_STAT_drop_out_of_window), 0);
}

/*
 * The peer filled our window exactly and its last segment was lost: its bare ACKs carry
 * SEG.SEQ = RCV.NXT + RCV.WND (its SND.NXT). Accepted for their ACK, as Linux does: dropped as
 * out of window, our data stayed unacknowledged until the peer's retransmission got through
 * (the 200 ms stalls of the 5 % loss cell).
 */
static void
test_bare_ack_at_window_edge(void **state)
{
	static char blob[536];
	struct tcpd_tcb *c;
	struct cli cl;
	unsigned int left, k;
	uint32_t una;

	(void)state;
	memset(blob, 'q', sizeof(blob));
	start();
	c = connect_plain(&cl, 41005, P_ECHO);
	cl.win = 5360; /* ten segments */
	for (left = TCPD_APP_ECHO_QMAX - 536; left != 0; left -= k) {
		k = left < 536 ? left : 536;
		cli_send(&cl, TCPD_TH_ACK, blob, (uint16_t)k);
		take();
	}
	una = c->snd_una;
	assert_int_equal(c->snd_max - una, 5360);
	assert_int_equal(rep[0].p.win, 536); /* one segment of room left */
	cl.seq += 536;			     /* the segment filling it is lost */
	cl.ack += 5360;
	/* one beyond the edge is out of window: dropped, its ACK ignored, answered by an ACK */
	cli_at(&cl, cl.seq + 1, TCPD_TH_ACK, NULL, 0, 0, NULL);
	assert_int_equal(ctr(TCPD_STAT_drop_out_of_window), 1);
	assert_int_equal(c->snd_una, una);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].len, 0);
	assert_int_equal(rep[0].p.ack, cl.seq - 536);
	/* at the edge: SEG.SEQ = RCV.NXT + RCV.WND, accepted */
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(ctr(TCPD_STAT_drop_out_of_window), 1);
	assert_int_equal(c->snd_una, una + 5360);
	assert_int_equal(take(), 10); /* the ACK clock runs: ten more segments of echo */
	assert_int_equal(rep[0].p.seq, una + 5360);
}

/* ---- overload: closing connections are bounded and reclaimed (issue 13) ---- */

/* A connection in LAST-ACK whose peer never acknowledges our FIN (as dperf's client). */
static void
to_last_ack(struct cli *cl, uint16_t sport)
{
	connect_plain(cl, sport, P_DISCARD);
	cli_send(cl, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_FIN);
	assert_int_equal(find(sport, P_DISCARD)->state, TCPD_LAST_ACK);
}

/* A SYN on @p sport when the table is full: the closing connection on @p victim is reset for it
 * (<SEQ=SND.NXT><CTL=RST,ACK>), the newcomer answered and established by its ACK. */
static void
syn_reclaims(struct cli *nc, uint16_t sport, uint32_t isn, uint16_t victim)
{
	struct tcpd_tcp_opts o = {0};

	cli_syn(nc, sport, P_DISCARD, isn, &o);
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(rte_be_to_cpu_16(rep[0].p.dst_port), victim);
	assert_null(find(victim, P_DISCARD));
	assert_int_equal(rep[1].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(rte_be_to_cpu_16(rep[1].p.dst_port), sport);
	nc->iss = rep[1].p.seq;
	nc->ack = nc->iss + 1;
	cli_send(nc, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(find(sport, P_DISCARD)->state, TCPD_ESTABLISHED);
}

/* The table full of LAST-ACK connections: each new SYN reclaims the oldest (with a RST) and is
 * served; no cookie, no refusal. */
static void
test_overload_reclaims_closing(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct cli cl, nc;
	unsigned int i;

	(void)state;
	cfg.max_conns = 4;
	start();
	for (i = 0; i < 4; i++)
		to_last_ack(&cl, (uint16_t)(42000 + i));
	assert_int_equal(st.state[TCPD_LAST_ACK], 4);
	/* the oldest LAST-ACK connection goes first */
	for (i = 0; i < 2; i++)
		syn_reclaims(&nc, (uint16_t)(42100 + i), 100 + i, (uint16_t)(42000 + i));
	assert_int_equal(ctr(TCPD_STAT_closing_reclaimed), 2);
	assert_int_equal(ctr(TCPD_STAT_table_full), 0);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 0);
	assert_int_equal(st.state[TCPD_LAST_ACK], 2);
	assert_int_equal(st.state[TCPD_ESTABLISHED], 2);
	assert_gauges(4, 0);
	/* full of live connections now but for the two LAST-ACK ones: two more reclaimed, then
	 * a SYN finds only live connections and gets a cookie (auto) */
	for (i = 0; i < 2; i++) {
		cli_syn(&nc, (uint16_t)(42200 + i), P_DISCARD, 300, &o);
		assert_int_equal(take(), 2);
		assert_int_equal(rte_be_to_cpu_16(rep[0].p.dst_port), 42002 + i);
	}
	cli_syn(&nc, 42300, P_DISCARD, 400, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_closing_reclaimed), 4);
	assert_int_equal(ctr(TCPD_STAT_table_full), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	assert_int_equal(st.state[TCPD_LAST_ACK], 0);
}

/*
 * The closing ring (1.5 x max_conns + 1 slots: 7 here) after many wraps: a full ring drops its
 * oldest slot at each push instead of walking every slot to compact them. A LAST-ACK connection
 * older than the ring's last seven closes is no reclaim candidate any more (a stalled one later);
 * the three after it still go oldest first.
 */
static void
test_overload_closing_ring_wraps(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct cli cl, nc;
	unsigned int i;

	(void)state;
	cfg.max_conns = 4;
	start();
	to_last_ack(&cl, 43000);
	/* 20 closes that end at once: connections come and go through LAST-ACK */
	for (i = 0; i < 20; i++) {
		to_last_ack(&nc, 43001);
		nc.ack++; /* our FIN */
		cli_send(&nc, TCPD_TH_ACK, NULL, 0);
		assert_int_equal(take(), 0);
		assert_null(find(43001, P_DISCARD));
	}
	for (i = 0; i < 3; i++)
		to_last_ack(&nc, (uint16_t)(43010 + i));
	assert_int_equal(st.state[TCPD_LAST_ACK], 4);
	for (i = 0; i < 3; i++)
		syn_reclaims(&nc, (uint16_t)(43100 + i), 100 + i, (uint16_t)(43010 + i));
	assert_int_equal(ctr(TCPD_STAT_closing_reclaimed), 3);
	/* 43000 fell out of the ring: the next SYN finds no closing candidate and gets a cookie */
	cli_syn(&nc, 43200, P_DISCARD, 400, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(ctr(TCPD_STAT_closing_reclaimed), 3);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	assert_int_equal(find(43000, P_DISCARD)->state, TCPD_LAST_ACK);
}

/* max_time_wait TIME-WAIT entries made: the oldest ends early for the newest (counted). */
static void
test_overload_time_wait_cap(void **state)
{
	struct cli a, b;

	(void)state;
	cfg.max_time_wait = 1;
	start();
	to_time_wait(&a, 43000, 0);
	/* the same steps again: the final ACK still leaves, the newest stays, the oldest goes */
	{
		const char *req = "GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
		struct tcpd_tcp_opts o = {0};

		cli_syn(&b, 43001, P_HTTP, 5000, &o);
		assert_int_equal(take(), 1);
		b.iss = rep[0].p.seq;
		b.ack = b.iss + 1;
		cli_send(&b, TCPD_TH_ACK, req, (uint16_t)strlen(req));
		assert_int_equal(take(), 1);
		b.ack += rep[0].len + 1;
		cli_send(&b, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0);
		assert_int_equal(take(), 1);
		assert_int_equal(rep[0].p.flags, TCPD_TH_ACK);
		assert_int_equal(rep[0].p.ack, b.seq);
	}
	assert_null(find(43001, P_HTTP));
	assert_non_null(find_tw(43001, P_HTTP));
	assert_null(find_tw(43000, P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_time_wait_evicted), 1);
	assert_int_equal(ctr(TCPD_STAT_time_wait_overflow), 0);
	assert_int_equal(st.state[TCPD_TIME_WAIT], 1);
	assert_int_equal(ctr(TCPD_STAT_conn_closed), 1);
	assert_gauges(1, 0);
}

/* A full TIME-WAIT pool ends its 16 oldest at once (their hash buckets looked up together),
 * in the order they were made; the newer ones and the newest stay. */
static void
test_overload_time_wait_batch(void **state)
{
	struct cli a;
	uint16_t i;

	(void)state;
	cfg.max_time_wait = 20;
	start();
	for (i = 0; i < 21; i++)
		to_time_wait(&a, (uint16_t)(44000 + i), 0);
	for (i = 0; i < 16; i++)
		assert_null(find_tw((uint16_t)(44000 + i), P_HTTP));
	for (i = 16; i < 21; i++)
		assert_non_null(find_tw((uint16_t)(44000 + i), P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_time_wait_evicted), 16);
	assert_int_equal(st.state[TCPD_TIME_WAIT], 5);
	assert_int_equal(ctr(TCPD_STAT_conn_closed), 16);
	assert_gauges(5, 0);
}

/* A FIN nobody acknowledges is resent orphan_retries times, not rto_retries, then reset. */
static void
test_overload_orphan_retries(void **state)
{
	unsigned int fins = 0, ms;
	struct cli cl;
	int reset = 0;

	(void)state;
	cfg.rto_retries = 6;
	cfg.orphan_retries = 2;
	start();
	to_last_ack(&cl, 44000);
	for (ms = 1; ms <= 60000 && !reset; ms += 10) {
		run_timers(ms);
		for (unsigned int i = 0, n = take(); i < n; i++) {
			if (rep[i].p.flags == (TCPD_TH_ACK | TCPD_TH_FIN))
				fins++;
			else if (rep[i].p.flags == (TCPD_TH_RST | TCPD_TH_ACK))
				reset = 1;
		}
	}
	assert_true(reset);
	assert_int_equal(fins, 2);
	assert_int_equal(ctr(TCPD_STAT_rto_timeout), 1);
	assert_null(find(44000, P_DISCARD));
	assert_gauges(0, 0);
}

/* Idle keep-alive HTTP connections end after http_keepalive seconds. */
static void
test_overload_http_keepalive(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct cli cl;

	(void)state;
	cfg.http_keepalive = 2;
	start();
	connect_plain(&cl, 45000, P_HTTP);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 1);
	cl.ack += rep[0].len;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	run_timers(1990);
	assert_int_equal(take(), 0);
	assert_non_null(find(45000, P_HTTP));
	run_timers(2010);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_null(find(45000, P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_idle_timeout), 1);
	/* discard has no keep-alive timeout of its own: idle_timeout (0) rules */
	connect_plain(&cl, 45001, P_DISCARD);
	run_timers(60000);
	assert_int_equal(take(), 0);
	assert_non_null(find(45001, P_DISCARD));
}

/*
 * RFC 6298 under loss: the RTO doubles on each expiry without progress (5.5) and an ACK of new
 * data restarts it from the estimate, back-off gone (5.3 and 5.7: the next expiry is one base
 * RTO after that ACK, not the doubled one); duplicate ACKs never restart it.
 */
static void
test_rto_backoff_reset(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u;

	(void)state;
	cfg.http_body_size = 2000;
	start();
	c = connect_plain(&cl, 41005, P_HTTP);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 4); /* 2000 + header: four 536-byte segments or less */
	u = cl.iss + 1;
	run_timers(199);
	assert_int_equal(take(), 0);
	run_timers(200); /* base RTO 200 ms (1 ms sample, floor) */
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, u);
	run_timers(599);
	assert_int_equal(take(), 0);
	run_timers(600); /* doubled: 400 ms later */
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, u);
	assert_int_equal(c->retries, 2);
	/* a duplicate ACK at 650 restarts nothing */
	at_ms(650);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	/* the first segment acknowledged at 700: back-off gone, two more go (cwnd 2) */
	at_ms(700);
	cl.ack = u + 536;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.seq, u + 536);
	assert_int_equal(rep[1].p.seq, u + 2 * 536);
	assert_int_equal(c->retries, 0);
	assert_int_equal(c->cwnd, 2);
	run_timers(899);
	assert_int_equal(take(), 0);
	run_timers(900); /* 200 ms after the ACK, not 800 */
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, u + 536);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 5);
}

/*
 * The loss differentiation (tcp_cc_loss) on an HTTP response of 10 segments of 1,000 bytes
 * with timestamps and SACK; @rtt_ms: the RTT of an ACK of the first segment before the loss
 * (0: none, SRTT stays the handshake's 1 ms). At 50 ms three DupAcks SACK the 3 segments after
 * the first unacknowledged one; the connection is returned in recovery, that one resent.
 */
static struct tcpd_tcb *
cc_loss_setup(struct cli *cl, uint16_t sport, uint32_t rtt_ms, uint32_t *u)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	uint32_t body = 9000, ts0, first;

	while (http_total(body) != 10000)
		body += 10000 - http_total(body);
	cfg.http_body_size = body;
	start();
	c = connect_sack(cl, sport, P_HTTP, 1012, 1); /* 1000 bytes of payload with TS */
	cli_send(cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	ts0 = rep[0].p.opts.tsval;
	*u = cl->iss + 1;
	assert_int_equal(c->rtt_min, 1); /* the handshake's sample, 0 ms counted as 1 */
	assert_int_equal(c->srtt8, 8);
	first = *u;
	if (rtt_ms) {
		/* segment 0 acknowledged rtt_ms after it left: a queue of rtt_ms - 1 ms */
		at_ms(rtt_ms);
		cl->tsecr = ts0;
		cl->ack = *u + 1000;
		cli_send(cl, TCPD_TH_ACK, NULL, 0);
		assert_int_equal(take(), 0);		    /* nothing left to send */
		assert_int_equal(c->srtt8, 8 - 1 + rtt_ms); /* RFC 6298, alpha 1/8 */
		assert_int_equal(c->rtt_min, 1);	    /* the lowest stays */
		assert_int_equal(c->cwnd, 11);		    /* slow start */
		first += 1000;
	}
	at_ms(50);
	for (uint32_t k = 2; k <= 4; k++)
		cli_at(cl, cl->seq, TCPD_TH_ACK, NULL, 0, 1,
		       (uint32_t[]){first + 1000, first + 1000 * k});
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, first);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	cl->tsecr = rep[0].p.opts.tsval; /* later ACKs: the retransmission arrived (no undo) */
	return c;
}

/*
 * Random loss at the lowest RTT: SRTT within --random-loss-ms (2) of it, so no queue stands: the
 * loss does not reduce (ssthresh = cwnd = FlightSize), and congestion avoidance goes on in the
 * recovery: the partial ACK that ends a round adds a segment. A full ACK ends the recovery and
 * its flag; cwnd stays.
 */
static void
test_cc_random_loss_at_min_rtt(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u;

	(void)state;
	c = cc_loss_setup(&cl, 41020, 0, &u);
	assert_int_equal(c->ssthresh, 9); /* FlightSize 10,000 bytes / 1,012 */
	assert_int_equal(c->cwnd, 9);
	assert_true(c->tflags & TCPD_TCB_F_RLOSS);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_random), 1);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_queue), 0);
	/* the retransmission arrived: a partial ACK (RECOVER is the end of segment 9) at the end
	 * of a round (rtt_seq): one segment more, nothing to send (all of it is out) */
	c->rtt_seq = u + 1000;
	at_ms(51);
	cl.ack = u + 4000;
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){u + 5000, u + 6000});
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	assert_int_equal(c->cwnd, 10);
	assert_int_equal(c->ssthresh, 9);
	assert_int_equal(c->rtt_seq, u + 10000); /* the next round: what is in flight now */
	/* a second partial ACK inside the round: no growth */
	cl.ack = u + 4500;
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){u + 5000, u + 7000});
	assert_int_equal(take(), 0);
	assert_int_equal(c->cwnd, 10);
	/* everything: recovery over, cwnd kept (SACK), the flag gone */
	cl.ack = u + 10000;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(c->cwnd, 11); /* the full ACK ended the round of u + 10000 too */
	assert_false(c->tflags & TCPD_TCB_F_RLOSS);
}

/*
 * --random-loss-ms 0: the same loss at the lowest RTT reduces as any other (RFC 5681, 0.7 of
 * FlightSize: 9 segments, 6), without the flag, counted as a loss with a queue.
 */
static void
test_cc_random_loss_off(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u;

	(void)state;
	cfg.random_loss_ms = 0;
	c = cc_loss_setup(&cl, 41022, 0, &u);
	assert_int_equal(c->ssthresh, 6);
	assert_int_equal(c->cwnd, 6);
	assert_false(c->tflags & TCPD_TCB_F_RLOSS);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_random), 0);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_queue), 1);
	cfg.random_loss_ms = 2;
}

/*
 * Loss with a queue: an ACK 40 ms after its segment left (the handshake's 1 ms is the lowest)
 * takes SRTT to 47/8 ms, over 1 + --random-loss-ms (2): the loss is congestion, ssthresh = 0.7 of
 * FlightSize (9,000 bytes: 8 segments of 1,012, 5), cwnd = ssthresh (RFC 6675), and a partial
 * ACK adds nothing.
 */
static void
test_cc_loss_with_queue(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u;

	(void)state;
	c = cc_loss_setup(&cl, 41021, 40, &u);
	assert_int_equal(c->ssthresh, 5);
	assert_int_equal(c->cwnd, 5);
	assert_false(c->tflags & TCPD_TCB_F_RLOSS);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_random), 0);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_queue), 1);
	c->rtt_seq = u + 1000;
	at_ms(51);
	cl.ack = u + 4000;
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){u + 5000, u + 6000});
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	assert_int_equal(c->cwnd, 5);
	assert_int_equal(c->rtt_seq, u + 1000); /* no round counted in recovery */
}

/*
 * RTO: cwnd 1 either way; ssthresh the flight at the lowest RTT (random loss: the queue-free
 * path's BWE x RTTmin), 0.7 of it after the 40 ms sample (a queue).
 */
static void
test_cc_loss_rto_random(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u;

	(void)state;
	/* random: the recovery's retransmission and every later one lost; probes, then the RTO */
	c = cc_loss_setup(&cl, 41022, 0, &u);
	for (uint64_t ms = 51; ms < 2000 && ctr(TCPD_STAT_rto_expired) == 0; ms++)
		run_timers(ms);
	take();
	assert_int_equal(ctr(TCPD_STAT_rto_expired), 1);
	assert_int_equal(c->cwnd, 1);
	assert_int_equal(c->ssthresh, 9);
	assert_false(c->tflags & TCPD_TCB_F_RLOSS);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_random), 2);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_queue), 0);
}

/* The same with the 40 ms sample before the loss: ssthresh 0.7 of the flight (a queue). */
static void
test_cc_loss_rto_queue(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u;

	(void)state;
	c = cc_loss_setup(&cl, 41023, 40, &u);
	for (uint64_t ms = 51; ms < 2000 && ctr(TCPD_STAT_rto_expired) == 0; ms++)
		run_timers(ms);
	take();
	assert_int_equal(ctr(TCPD_STAT_rto_expired), 1);
	assert_int_equal(c->cwnd, 1);
	assert_int_equal(c->ssthresh, 5); /* 9,000 bytes in flight: 8 segments x 0.7 */
	assert_int_equal(ctr(TCPD_STAT_cc_loss_queue), 2);
}

/*
 * RFC 3522 (Eifel detection) with RFC 6675 recovery: reordering, not loss. Three DupAcks start
 * recovery and resend the "missing" segment; the ACK that covers it echoes the timestamp of the
 * original (sent before the retransmission): the original arrived, so cwnd and ssthresh come
 * back as they were and recovery ends.
 */
static void
test_sack_spurious_undo(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t body = 9000, u, ts0;

	(void)state;
	while (http_total(body) != 10000)
		body += 10000 - http_total(body);
	cfg.http_body_size = body;
	start();
	c = connect_sack(&cl, 41006, P_HTTP, 1012, 1); /* 1000 bytes of payload with TS */
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	ts0 = rep[0].p.opts.tsval;
	u = cl.iss + 1;
#define S(k) (u + 1000 * (k))
	at_ms(20);
	cl.tsecr = ts0;
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(1), S(2)});
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(1), S(3)});
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(1), S(4)});
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(0));
	assert_int_not_equal(rep[0].p.opts.tsval, ts0);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	/* SRTT (1 ms, the handshake's) at the lowest RTT: no queue, taken for random loss,
	 * ssthresh = cwnd = FlightSize 9 segments (1012-byte SMSS), not 0.7 of it */
	assert_int_equal(c->cwnd, 9);
	assert_int_equal(ctr(TCPD_STAT_cc_loss_random), 1);
	/* the original of segment 0 was only late: the ACK of everything echoes its timestamp */
	at_ms(25);
	cl.ack = S(10);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(ctr(TCPD_STAT_sack_undo), 1);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(c->ssthresh, UINT16_MAX);
	assert_int_equal(c->cwnd, 11); /* 10 back, plus this ACK's slow-start increment */
	assert_int_equal(c->ext, 0);
#undef S
}

static int
seq_ge_(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/*
 * A lost retransmission: recovery resends the hole, new data follows as pipe allows, and when
 * the peer SACKs that new data (sent after the retransmission) while the hole is still open, the
 * retransmission was lost as well: the hole goes again at once, no RTO.
 */
static void
test_sack_lost_retransmission(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u, k, n, i, mark;
	int again = 0;

	(void)state;
	cfg.http_body_size = 30000;
	start();
	c = connect_sack(&cl, 41007, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
#define S(k) (u + 1000 * (k))
	cl.ack = S(1);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0); /* slow start: more new data */
	take();
	for (k = 3; k <= 5; k++)
		cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(2), S(k)});
	n = take();
	assert_true(n >= 1);
	assert_int_equal(rep[n - 1].p.seq, S(1)); /* limited transmit first, then the hole */
	assert_int_equal(ctr(TCPD_STAT_sack_recovery), 1);
	mark = c->snd_max; /* everything from here on leaves after the retransmission */
	/* the rest of the flight is SACKed: new data leaves as pipe allows */
	for (k = 6; S(k) <= mark; k++)
		cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(2), S(k)});
	n = take();
	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		assert_true(seq_ge_(rep[i].p.seq, mark)); /* new data only, nothing resent */
	assert_int_equal(ctr(TCPD_STAT_sack_rxt_lost), 0);
	/* the first segment sent after the retransmission is SACKed, the hole still open */
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(2), mark + 1000});
	n = take();
	for (i = 0; i < n; i++)
		again |= rep[i].p.seq == S(1);
	assert_true(again);
	assert_int_equal(ctr(TCPD_STAT_sack_rxt_lost), 1);
	assert_int_equal(ctr(TCPD_STAT_sack_retransmit), 2);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
#undef S
}

/*
 * Too few DupAcks for RFC 6675 (a short flight, two of three segments lost): the reordering
 * timer (a quarter SRTT + 2 ms, RFC 8985's reo_wnd) declares the holes below SACKed data lost
 * and recovery resends both at once, long before the 200 ms RTO.
 */
static void
test_sack_reo_timer(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t body = 2000, u;
	uint64_t t;

	(void)state;
	while (http_total(body) != 3000)
		body += 3000 - http_total(body);
	cfg.http_body_size = body;
	start();
	c = connect_sack(&cl, 41008, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 3);
	u = cl.iss + 1;
	/* the first two are lost, the third arrives: one DupAck with its SACK block */
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){u + 2000, u + 3000});
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 1);
	t = run_until_sent(1, 200);
	assert_true(t <= (uint64_t)(c->srtt8 >> 5) + 2);
	/* both holes are lost: both go (cwnd = ssthresh = 2 segments) */
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.seq, u);
	assert_int_equal(rep[1].p.seq, u + 1000);
	assert_int_equal(ctr(TCPD_STAT_sack_reo_timeout), 1);
	assert_int_equal(ctr(TCPD_STAT_sack_retransmit), 2);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	/* a partial ACK: nothing more to resend */
	cl.ack = u + 1000;
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){u + 2000, u + 3000});
	assert_int_equal(take(), 0);
	cl.ack = u + 3000;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(c->ext, 0);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 2);
}

/* With SACK negotiated, only ACKs that SACK new data are DupAcks (RFC 6675 2): five copies of
 * one ACK (a duplicating path) start nothing, three SACKing ones do. */
static void
test_sack_duplicated_acks(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u, k;

	(void)state;
	cfg.http_body_size = 9000;
	start();
	c = connect_sack(&cl, 41009, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
	cl.ack = u + 1000;
	for (k = 0; k < 5; k++)
		cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	take(); /* slow start's new data after the first one */
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 0);
	assert_int_equal(ctr(TCPD_STAT_limited_transmit), 0);
	for (k = 3; k <= 5; k++)
		cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){u + 2000, u + 1000 * k});
	assert_true(take() >= 1);
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 1);
	assert_int_equal(ctr(TCPD_STAT_sack_recovery), 1);
}

/*
 * RFC 8985 7: a lost tail. Ten segments, the first five acknowledged, the rest lost: at
 * PTO = 2 SRTT + 2 ms after that ACK (no new data to send) the last segment goes again; twice the
 * PTO later, unanswered, a second time (no third); then the RTO is armed from the second probe;
 * with no answer, the RTO's go-back-N.
 */
static void
test_tlp_tail_probe(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t body = 9000, u;
	uint64_t t;

	(void)state;
	while (http_total(body) != 10000)
		body += 10000 - http_total(body);
	cfg.http_body_size = body;
	start();
	c = connect_sack(&cl, 41010, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
#define S(k) (u + 1000 * (k))
	at_ms(1);
	cl.ack = S(5);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->srtt8, 8); /* 1 ms */
	t = run_until_sent(2, 300);
	assert_int_equal(t, 1 + 2 * 1 + 2);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(9));
	assert_int_equal(rep[0].len, 1000);
	assert_int_equal(ctr(TCPD_STAT_tlp_probe), 1);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 1);
	assert_int_equal(c->tflags & (TCPD_TCB_F_TLP | TCPD_TCB_F_TLP1), TCPD_TCB_F_TLP1);
	/* unanswered: the second probe at twice the PTO */
	assert_int_equal(run_until_sent(t + 1, 300), t + 2 * (2 * 1 + 2));
	t += 2 * (2 * 1 + 2);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(9));
	assert_int_equal(ctr(TCPD_STAT_tlp_probe), 2);
	assert_true(c->tflags & TCPD_TCB_F_TLP);
	/* unanswered: the RTO, 200 ms after it, and no third probe before it */
	assert_int_equal(run_until_sent(t + 1, 300), t + 200);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(5));
	assert_int_equal(ctr(TCPD_STAT_rto_expired), 1);
	assert_int_equal(ctr(TCPD_STAT_tlp_probe), 2);
#undef S
}

/*
 * The probe answered: its SACK block shows the tail before it lost; the reordering timer (a
 * quarter SRTT + 2 ms) declares the hole lost and recovery resends it, long before the RTO.
 */
static void
test_tlp_probe_starts_recovery(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t body = 9000, u;
	uint64_t t;

	(void)state;
	while (http_total(body) != 10000)
		body += 10000 - http_total(body);
	cfg.http_body_size = body;
	start();
	c = connect_sack(&cl, 41011, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
#define S(k) (u + 1000 * (k))
	at_ms(1);
	cl.ack = S(8);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	t = run_until_sent(2, 300);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(9));
	at_ms(t + 1);
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(9), S(10)});
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 1);
	assert_true(run_until_sent(t + 2, 300) <= t + 1 + (uint64_t)(c->srtt8 >> 5) + 2);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(8));
	assert_int_equal(rep[0].len, 1000);
	assert_int_equal(ctr(TCPD_STAT_sack_recovery), 1);
	assert_int_equal(ctr(TCPD_STAT_rto_expired), 0);
	cl.ack = S(10);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(c->ext, 0);
	assert_int_equal(c->tflags & TCPD_TCB_F_TLP, 0);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 2);
#undef S
}

/*
 * RFC 8985 7.3: the probe is the last segment sent again, even with new data the peer's window
 * allows (a single new segment would draw the peer's delayed ACK, 40 ms from Linux). When only
 * the ACKs were lost, the peer answers at once with a D-SACK: everything is acknowledged, the
 * path is not marked reordering (the D-SACK reports our probe) and new data goes on.
 */
static void
test_tlp_last_segment(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u;

	(void)state;
	cfg.http_body_size = 30000;
	start();
	c = connect_sack(&cl, 41012, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
	assert_int_equal(run_until_sent(1, 300), 2 * 1 + 2);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, u + 9000);
	assert_int_equal(rep[0].len, 1000);
	assert_int_equal(ctr(TCPD_STAT_tlp_probe), 1);
	assert_int_equal(ctr(TCPD_STAT_retransmit), 1);
	assert_true(c->tflags & TCPD_TCB_F_TLP1);
	/* the peer had it all: an ACK of everything with the probe's D-SACK */
	cl.ack = u + 10000;
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){u + 9000, u + 10000});
	assert_int_equal(ctr(TCPD_STAT_dsack_rx), 1);
	assert_int_equal(c->tflags & (TCPD_TCB_F_TLP | TCPD_TCB_F_TLP1 | TCPD_TCB_F_REORDER), 0);
	assert_int_equal(c->snd_una, u + 10000);
	assert_true(take() >= 1);
	assert_int_equal(rep[0].p.seq, u + 10000);
}

/*
 * RFC 5681 3.1 congestion avoidance with timestamps: one segment more per round trip, a round
 * ending when what was in flight at its start is acknowledged, although new data is always in
 * flight (before, cwnd grew only when everything sent was acknowledged).
 */
static void
test_cc_avoidance_round(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u, k, end;

	(void)state;
	cfg.http_body_size = 60000;
	start();
	c = connect_sack(&cl, 41013, P_HTTP, 1012, 1);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10); /* cwnd counts 1000-byte payloads (TS deducted), no runt */
	u = cl.iss + 1;
	assert_int_equal(c->snd_max, u + 10000);
	c->ssthresh = 10; /* congestion avoidance from here, the round ends at snd_max */
	c->rtt_seq = c->snd_max;
	for (k = 1; k < 10; k++) {
		cl.ack = u + 1000 * k;
		cli_send(&cl, TCPD_TH_ACK, NULL, 0);
		assert_int_equal(take(), 1); /* the window slides by one */
		assert_int_equal(c->cwnd, 10);
	}
	end = c->snd_max;
	cl.ack = u + 10000;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 2);
	assert_int_equal(c->cwnd, 11);
	assert_int_equal(c->rtt_seq, end); /* the next round: what was in flight then */
	assert_int_equal(end, u + 19000);
}

/*
 * The peer's FIN out of order: with data (echo) and alone, kept (ooo_fin) and acknowledged with
 * the SACK block of the data, ending past the FIN (RFC 2018: blocks are in sequence space); when
 * the hole fills, the data and the FIN count at once: RCV.NXT after the FIN, CLOSE-WAIT, and our
 * echo leaves with our FIN (no FIN retransmission needed).
 */
static void
test_ooo_fin(void **state)
{
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t b;

	(void)state;
	start();
	c = connect_sack(&cl, 41014, P_ECHO, 1460, 1);
	b = cl.seq;
	cli_at(&cl, b + 5, TCPD_TH_ACK | TCPD_TH_FIN, "world", 5, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b, 1, (uint32_t[]){b + 5, b + 11});
	assert_int_equal(ctr(TCPD_STAT_ooo_fin), 1);
	assert_int_equal(c->state, TCPD_ESTABLISHED);
	cli_at(&cl, b, TCPD_TH_ACK, "hello", 5, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_ACK | TCPD_TH_PSH | TCPD_TH_FIN);
	assert_int_equal(rep[0].p.seq, cl.iss + 1);
	assert_int_equal(rep[0].p.ack, b + 11);
	assert_int_equal(rep[0].len, 10);
	assert_memory_equal(rep[0].data, "helloworld", 10);
	assert_int_equal(c->state, TCPD_LAST_ACK);
	assert_int_equal(c->ext, 0);
	/* a FIN alone beyond a hole */
	c = connect_sack(&cl, 41015, P_ECHO, 1460, 1);
	b = cl.seq;
	cli_at(&cl, b + 3, TCPD_TH_ACK, "def", 3, 0, NULL);
	assert_int_equal(take(), 1);
	cli_at(&cl, b + 6, TCPD_TH_ACK | TCPD_TH_FIN, NULL, 0, 0, NULL);
	assert_int_equal(take(), 1);
	assert_ack_sack(0, b, 1, (uint32_t[]){b + 3, b + 7});
	assert_int_equal(ctr(TCPD_STAT_ooo_fin), 2);
	cli_at(&cl, b, TCPD_TH_ACK, "abc", 3, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.ack, b + 7);
	assert_int_equal(rep[0].p.flags & TCPD_TH_FIN, TCPD_TH_FIN);
	assert_memory_equal(rep[0].data, "abcdef", 6);
	assert_int_equal(c->state, TCPD_LAST_ACK);
	assert_int_equal(c->ext, 0);
}

/*
 * A reordering path (here: the peer's D-SACK of data it got twice, RFC 2883): DupThresh rises
 * from 3 to 8 segments. Three SACKing DupAcks no longer start recovery; eight segments SACKed
 * above the hole do.
 */
static void
test_sack_reorder_dupthresh(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u, k, n;

	(void)state;
	cfg.http_body_size = 30000;
	start();
	c = connect_sack(&cl, 41016, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
#define S(k) (u + 1000 * (k))
	cl.ack = S(1);
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(0), S(1)});
	assert_int_equal(take(), 2); /* slow start */
	assert_int_equal(ctr(TCPD_STAT_dsack_rx), 1);
	assert_int_equal(c->tflags & TCPD_TCB_F_REORDER, TCPD_TCB_F_REORDER);
	for (k = 3; k <= 9; k++) {
		cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(2), S(k)});
		take(); /* limited transmit */
		assert_int_equal(c->dupacks, k < 4 ? k - 2 : 2);
		assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 0);
	}
	/* the eighth segment SACKed above the hole: lost */
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(2), S(10)});
	n = take();
	assert_true(n >= 1);
	assert_int_equal(rep[0].p.seq, S(1));
	assert_int_equal(ctr(TCPD_STAT_fast_retransmit), 1);
	assert_int_equal(ctr(TCPD_STAT_sack_recovery), 1);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
#undef S
}

/*
 * In recovery the ACKs stop (the retransmission of the hole and what followed it lost): 2 SRTT
 * + 2 ms after the last ACK of new data the hole at SND.UNA goes again instead of after the
 * 200 ms RTO, and twice that later a second time; then the RTO.
 */
static void
test_tlp_in_recovery(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t u, k;
	uint64_t t;

	(void)state;
	cfg.http_body_size = 9000;
	start();
	c = connect_sack(&cl, 41017, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
#define S(k) (u + 1000 * (k))
	at_ms(1);
	cl.ack = S(1);
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	take();
	for (k = 3; k <= 5; k++)
		cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){S(2), S(k)});
	assert_true(take() >= 1);
	assert_int_equal(c->dupacks, TCPD_TCB_RECOVERY);
	assert_int_equal(ctr(TCPD_STAT_sack_retransmit), 1);
	t = run_until_sent(2, 300);
	assert_int_equal(t, 1 + 2 * 1 + 2);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(1));
	assert_int_equal(rep[0].len, 1000);
	assert_int_equal(ctr(TCPD_STAT_tlp_probe), 1);
	assert_int_equal(run_until_sent(t + 1, 300), t + 2 * (2 * 1 + 2));
	t += 2 * (2 * 1 + 2);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, S(1));
	assert_int_equal(ctr(TCPD_STAT_tlp_probe), 2);
	assert_int_equal(run_until_sent(t + 1, 300), t + 200);
	assert_int_equal(ctr(TCPD_STAT_rto_expired), 1);
	assert_int_equal(ctr(TCPD_STAT_tlp_probe), 2);
	take();
#undef S
}

/*
 * Echo while our ACKs carry a SACK block (12 bytes of options more): a 1448-byte segment in is
 * echoed as 1436 bytes, and the 12 left over wait for more data (sent alone they doubled the
 * frames); the next segment in goes out full again with 24 left over, and the ACK of what was
 * sent lets the remainder go.
 */
static void
test_echo_sack_remainder_held(void **state)
{
	static char blob[1448];
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t b;

	(void)state;
	memset(blob, 'e', sizeof(blob));
	start();
	c = connect_sack(&cl, 41018, P_ECHO, 1460, 1);
	b = cl.seq;
	cli_at(&cl, b + 5000, TCPD_TH_ACK, "x", 1, 0, NULL);
	assert_int_equal(take(), 1);
	cli_at(&cl, b, TCPD_TH_ACK, blob, 1448, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].len, 1436);
	assert_int_equal(rep[0].p.opts.nb_sack, 1);
	assert_int_equal(c->app_end - c->snd_nxt, 12);
	cli_at(&cl, b + 1448, TCPD_TH_ACK, blob, 1448, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].len, 1436);
	assert_int_equal(c->app_end - c->snd_nxt, 24);
	cl.ack = c->snd_nxt;
	cli_at(&cl, b + 2896, TCPD_TH_ACK, NULL, 0, 0, NULL);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].len, 24);
	assert_int_equal(c->snd_nxt, c->app_end);
}

/* One segment in flight: the PTO allows for a delayed ACK (2 SRTT + 50 ms), still well before
 * the 200 ms RTO; the probe is that segment. */
static void
test_tlp_one_segment(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct cli cl;
	uint32_t body = 9000, u;

	(void)state;
	while (http_total(body) != 10000)
		body += 10000 - http_total(body);
	cfg.http_body_size = body;
	start();
	connect_sack(&cl, 41019, P_HTTP, 1000, 0);
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 10);
	u = cl.iss + 1;
	at_ms(1);
	cl.ack = u + 9000;
	cli_send(&cl, TCPD_TH_ACK, NULL, 0);
	assert_int_equal(take(), 0);
	assert_int_equal(run_until_sent(2, 300), 1 + 2 * 1 + 50);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.seq, u + 9000);
	assert_int_equal(ctr(TCPD_STAT_tlp_probe), 1);
}

/* On a path seen reordering the reordering window is a whole SRTT (RFC 8985's ceiling), not a
 * quarter: held-back segments get that long before their holes count as lost. */
static void
test_sack_reo_window_reordering(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcb *c;
	struct cli cl;
	uint32_t body = 2000, u;

	(void)state;
	while (http_total(body) != 3000)
		body += 3000 - http_total(body);
	cfg.http_body_size = body;
	start();
	c = connect_sack(&cl, 41020, P_HTTP, 1000, 0);
	c->tflags |= TCPD_TCB_F_REORDER;
	cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 3);
	u = cl.iss + 1;
	cli_at(&cl, cl.seq, TCPD_TH_ACK, NULL, 0, 1, (uint32_t[]){u + 2000, u + 3000});
	assert_int_equal(take(), 0);
	assert_int_equal(c->srtt8, 8);
	assert_int_equal(run_until_sent(1, 200), 1 + 2);
	assert_int_equal(take(), 2);
	assert_int_equal(ctr(TCPD_STAT_sack_reo_timeout), 1);
}

/* Two connections, each answered (a response left unacknowledged) at t = 0 ms. */
static void
two_answered(struct cli *cl)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	unsigned int i;

	cfg.max_conns = 2;
	start();
	for (i = 0; i < 2; i++) {
		connect_plain(&cl[i], (uint16_t)(46000 + i), P_HTTP);
		cli_send(&cl[i], TCPD_TH_ACK, req, (uint16_t)strlen(req));
		assert_int_equal(take(), 1); /* the response, never acknowledged */
	}
}

/* A full table of connections whose peers took a response and went quiet (as a load generator
 * that lost its FIN in its own full TX ring): 10 ms after the answer (+ 4 SRTT) the one quiet
 * longest is reset for a new SYN, oldest first; a connection whose peer sent more since its
 * answer is not quiet, and under 10 ms nothing is. */
static void
test_overload_idle_reclaimed(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcp_opts o = {0};
	struct cli cl[2], nc;

	(void)state;
	two_answered(cl);
	/* at once: both are in their exchange, the SYN gets a cookie */
	cli_syn(&nc, 46100, P_HTTP, 10, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	/* 20 ms: 46001 asks again (keep-alive) and is answered: its first slot goes stale */
	at_ms(20);
	cli_send(&cl[1], TCPD_TH_ACK, req, (uint16_t)strlen(req));
	assert_int_equal(take(), 1);
	/* 25 ms: 46000, quiet since 0, is reset for the newcomer, which gets a SYN-ACK */
	at_ms(25);
	cli_syn(&nc, 46101, P_HTTP, 20, &o);
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(rte_be_to_cpu_16(rep[0].p.dst_port), 46000);
	assert_int_equal(rep[1].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(rte_be_to_cpu_16(rep[1].p.dst_port), 46101);
	assert_int_equal(ctr(TCPD_STAT_idle_reclaimed), 1);
	assert_null(find(46000, P_HTTP));
	assert_int_equal(find(46001, P_HTTP)->state, TCPD_ESTABLISHED);
	/* 26 ms: 46001 answered 6 ms ago, the newcomer is half-open: a cookie, nobody reset */
	at_ms(26);
	cli_syn(&nc, 46102, P_HTTP, 30, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 2);
	assert_int_equal(ctr(TCPD_STAT_idle_reclaimed), 1);
	assert_int_equal(ctr(TCPD_STAT_stalled_reclaimed), 0);
	assert_gauges(2, 1);
}

/* A newcomer drops at most 64 stale slots of the idle ring (each a TCB miss) before giving up:
 * the next one goes on from there. 64 connections, one of which (46000) answered 100 requests
 * first: of the ring's 128 slots, the oldest 64 are its stale answers, then its last one. */
static void
test_overload_idle_walk_bounded(void **state)
{
	const char *req = "GET / HTTP/1.1\r\n\r\n";
	struct tcpd_tcp_opts o = {0};
	struct cli cl, nc;
	unsigned int i;

	(void)state;
	cfg.max_conns = 64;
	start();
	connect_plain(&cl, 46000, P_HTTP);
	for (i = 0; i < 100; i++) {
		cli_send(&cl, TCPD_TH_ACK, req, (uint16_t)strlen(req));
		assert_int_equal(take(), 1);
	}
	for (i = 1; i < 64; i++) {
		struct cli o2;

		connect_plain(&o2, (uint16_t)(46000 + i), P_HTTP);
		cli_send(&o2, TCPD_TH_ACK, req, (uint16_t)strlen(req));
		assert_int_equal(take(), 1);
	}
	at_ms(30);
	/* 64 stale slots walked: no reclaim, a cookie */
	cli_syn(&nc, 46100, P_HTTP, 10, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(rep[0].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	assert_int_equal(ctr(TCPD_STAT_idle_reclaimed), 0);
	assert_non_null(find(46000, P_HTTP));
	/* the next newcomer starts at 46000's live slot: reclaimed */
	cli_syn(&nc, 46101, P_HTTP, 20, &o);
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(rte_be_to_cpu_16(rep[0].p.dst_port), 46000);
	assert_int_equal(ctr(TCPD_STAT_idle_reclaimed), 1);
	assert_null(find(46000, P_HTTP));
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
}

/* Peers that vanished mid-request (a partial request after the response: not quiet since an
 * answer, so not idle): once one RTO went unanswered, a new SYN resets one of them (sampled) and
 * is served, instead of being refused until the retransmission budget runs out. */
static void
test_overload_stalled_reclaimed(void **state)
{
	struct tcpd_tcp_opts o = {0};
	struct cli cl[2], nc;
	unsigned int i;

	(void)state;
	two_answered(cl);
	for (i = 0; i < 2; i++)
		cli_send(&cl[i], TCPD_TH_ACK, "GET / HT", 8);
	assert_int_equal(take(), 2); /* ACKs of the partial requests */
	/* before any RTO: a cookie */
	at_ms(100);
	cli_syn(&nc, 46100, P_HTTP, 10, &o);
	assert_int_equal(take(), 1);
	assert_int_equal(ctr(TCPD_STAT_cookie_sent), 1);
	assert_int_equal(ctr(TCPD_STAT_stalled_reclaimed), 0);
	/* one RTO (200 ms floor) later each has one unanswered retransmission */
	run_timers(250);
	assert_int_equal(take(), 2);
	assert_int_equal(find(46000, P_HTTP)->retries & 0xf, 1);
	cli_syn(&nc, 46101, P_HTTP, 20, &o);
	assert_int_equal(take(), 2);
	assert_int_equal(rep[0].p.flags, TCPD_TH_RST | TCPD_TH_ACK);
	assert_int_equal(rep[1].p.flags, TCPD_TH_SYN | TCPD_TH_ACK);
	assert_int_equal(rte_be_to_cpu_16(rep[1].p.dst_port), 46101);
	assert_int_equal(ctr(TCPD_STAT_stalled_reclaimed), 1);
	assert_int_equal(ctr(TCPD_STAT_idle_reclaimed), 0);
	assert_true(find(46000, P_HTTP) == NULL || find(46001, P_HTTP) == NULL);
	assert_gauges(2, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_handshake_all_options),
		T(test_http_keepalive_then_close),
		T(test_http_segmented_within_window),
		T(test_http_parser_splits),
		T(test_http10),
		T(test_fast_retransmit),
		T(test_fast_retransmit_after_rto),
		T(test_echo_and_peer_close),
		T(test_echo_zero_window_persist),
		T(test_persist_answered_probes),
		T(test_last_ack_saturated),
		T(test_rto_retransmit_then_reset),
		T(test_rto_backoff_cap),
		T(test_syn_rcvd_retries_then_removed),
		T(test_stateful_isn),
		T(test_cookie_always_with_ts),
		T(test_cookie_always_without_ts),
		T(test_cookie_forged_and_expired),
		T(test_auto_switches_at_synq_limit),
		T(test_table_full),
		T(test_time_wait_reuse),
		T(test_time_wait_compact),
		T(test_challenge_ack_limit_per_connection),
		T(test_rst_rate_limit),
		T(test_rst_rate_zero),
		T(test_noack_closed_port),
		T(test_noack_listener_no_cookie_check),
		T(test_state_table),
		T(test_burst_same_flow),
		T(test_fin_wait2_and_idle_timeouts),
		T(test_active_open_established),
		T(test_active_open_bad_answers),
		T(test_active_open_simultaneous),
		T(test_active_open_syn_timeout),
		T(test_active_open_time_wait_reuse),
		T(test_ooo_queue_echo),
		T(test_ooo_budget_and_pressure),
		cmocka_unit_test_setup_teardown(test_ooo_window_bound, setup, teardown_big),
		T(test_sack_scoreboard_retransmit),
		T(test_limited_transmit),
		T(test_window_update_after_ack),
		T(test_echo_scaled_tiny_segments_bounded),
		T(test_bare_ack_at_window_edge),
		T(test_rto_backoff_reset),
		T(test_sack_spurious_undo),
		T(test_cc_random_loss_at_min_rtt),
		T(test_cc_loss_with_queue),
		T(test_cc_random_loss_off),
		T(test_cc_loss_rto_random),
		T(test_cc_loss_rto_queue),
		T(test_sack_lost_retransmission),
		T(test_sack_reo_timer),
		T(test_sack_duplicated_acks),
		T(test_tlp_tail_probe),
		T(test_tlp_probe_starts_recovery),
		T(test_tlp_last_segment),
		T(test_cc_avoidance_round),
		T(test_ooo_fin),
		T(test_sack_reorder_dupthresh),
		T(test_tlp_in_recovery),
		T(test_echo_sack_remainder_held),
		T(test_tlp_one_segment),
		T(test_sack_reo_window_reordering),
		T(test_overload_reclaims_closing),
		T(test_overload_closing_ring_wraps),
		T(test_overload_time_wait_cap),
		T(test_overload_time_wait_batch),
		T(test_overload_orphan_retries),
		T(test_overload_http_keepalive),
		T(test_overload_idle_reclaimed),
		T(test_overload_idle_walk_bounded),
		T(test_overload_stalled_reclaimed),
#undef T
	};
	return cmocka_run_group_tests_name("tcp", tests, group_setup, NULL);
}
