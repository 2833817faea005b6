/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Full cycle: the library's client (lib/tcp's active open and lib/app's http client, or
 * lib/load's engine) in a worker of its own, against the server worker, on the same lcore.
 *
 * Each worker has its net_ring port; the harness is the wire between them: it moves what one
 * port transmitted to the other's RX ring, doing the sender's NIC checksum offload and the
 * receiver's RX flags under --offload, and checks the frames while checks are on. Each
 * worker's calls are bracketed by rte_rdtsc: server and client cycles are reported apart.
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_prefetch.h>

#include "bench_scen.h"

/* The request of the old hand-written client: Connection: close, so that the server closes
 * first and keeps the TIME-WAIT, as in the figures measured before the library's client. */
static const char http_req[] = "GET / HTTP/1.1\r\nHost: 198.18.0.1\r\nConnection: close\r\n\r\n";

static const char *const close_why[TCPD_CLOSE_REASONS] = {
	[TCPD_CLOSE_NORMAL] = "server closed before the whole response",
	[TCPD_CLOSE_RST] = "RST from the server",
	[TCPD_CLOSE_REFUSED] = "RST to our SYN",
	[TCPD_CLOSE_SYN_TIMEOUT] = "SYN unanswered",
	[TCPD_CLOSE_TIMEOUT] = "retransmissions unanswered",
	[TCPD_CLOSE_IDLE] = "idle timeout",
	[TCPD_CLOSE_ABORT] = "stalled (still open at the deadline)",
	[TCPD_CLOSE_HANDSHAKE] = "handshake",
};

static void
cyc_event(void *eng, struct tcpd_client_rec *r, enum tcpd_client_event ev)
{
	struct cyc *c = eng;

	RTE_SET_USED(r);
	if (ev == TCPD_CLIENT_EV_RESPONSE)
		c->responses++;
}

/* The connection left the client (lib/app's free hook): completed, or failed with a reason. */
static void
cyc_free(void *eng, struct tcpd_client_rec *r, enum tcpd_close_reason why)
{
	struct cyc *c = eng;
	uint32_t i = (uint32_t)(r - c->rec);

	c->resp_bytes += r->rx_total;
	if (why == TCPD_CLOSE_NORMAL && (r->flags & TCPD_CLIENT_F_FINISHED) &&
	    !(r->flags & (TCPD_CLIENT_F_BAD | TCPD_CLIENT_F_DRAINED))) {
		c->done++;
		if (c->nb_done_n < c->max_done_n)
			c->done_n[c->nb_done_n++] = c->slot[i].n;
	} else if (c->dperf) {
		c->failed++;
		if (r->flags & TCPD_CLIENT_F_BAD)
			c->lc->chk.ol_bad++;
		else
			c->lc->chk.ol_fail[why < 8 ? why : 7]++;
	} else {
		c->failed++;
		lc_note(c->lc, "first failed connection: %s (tuple %llu)",
			(r->flags & TCPD_CLIENT_F_BAD) ? "bad response (lib/app's http client)"
			: why < TCPD_CLOSE_REASONS     ? close_why[why]
						       : "?",
			c->slot[i].n);
	}
	c->slot[i].seen = 0;
	c->freel[c->ftail++ & c->fmask] = i;
	c->nfree++;
}

static const struct tcpd_client_hooks cyc_hooks = {
	.event = cyc_event,
	.free = cyc_free,
};

void
cyc_free_all(struct cyc *c)
{
	free(c->rec);
	free(c->slot);
	free(c->gen);
	free(c->freel);
	free(c->done_n);
	memset(c, 0, sizeof(*c));
}

int
cyc_init(struct cyc *c, struct bench_lcore *lc, uint32_t window, uint32_t max_done, uint32_t body)
{
	uint32_t i;

	memset(c, 0, sizeof(*c));
	window = RTE_MIN(window, 1u << BENCH_SLOT_BITS);
	c->rec = calloc(window, sizeof(*c->rec));
	c->slot = calloc(window, sizeof(*c->slot));
	c->gen = calloc(window, sizeof(*c->gen));
	c->fmask = rte_align32pow2(window) - 1;
	c->freel = calloc(c->fmask + 1, sizeof(*c->freel));
	c->done_n = calloc(max_done ? max_done : 1, sizeof(*c->done_n));
	if (!c->rec || !c->slot || !c->gen || !c->freel || !c->done_n) {
		cyc_free_all(c);
		return -1;
	}
	c->lc = lc;
	c->nslots = window;
	c->max_done_n = max_done;
	c->body = body;
	for (i = 0; i < sizeof(c->body_pat); i++)
		c->body_pat[i] = tcpd_app_http_body_byte(i);
	c->cl.hooks = &cyc_hooks;
	c->cl.eng = c;
	c->cl.requests = 1;
	c->cl.expect_body = body;
	memcpy(c->cl.req, http_req, sizeof(http_req) - 1);
	c->cl.req_len = sizeof(http_req) - 1;
	return 0;
}

/* A run starts with every slot free (the client worker is new). */
void
cyc_reset(struct cyc *c, uint64_t target, uint64_t checks)
{
	uint32_t i;

	for (i = 0; i < c->nslots; i++) {
		c->freel[i] = i;
		c->gen[i] = 0;
		c->slot[i].seen = 0;
	}
	c->fhead = 0;
	c->ftail = c->nslots;
	c->nfree = c->nslots;
	c->win = c->nslots;
	c->started = c->done = c->failed = c->responses = c->resp_bytes = 0;
	c->target = target;
	c->checks_left = checks;
	c->stop = false;
}

/* Open up to @p max connections (client work: inside the client's bracket). */
void
cyc_launch(struct cyc *c, struct tcpd_worker *cw, unsigned int max)
{
	while (max-- && !c->stop && c->nfree && c->started < c->target) {
		uint32_t i = c->freel[c->fhead & c->fmask];
		uint32_t n = (c->gen[i] << BENCH_SLOT_BITS) | i;
		struct tcpd_conn_key k = {
			.peer_ip = rte_cpu_to_be_32(BENCH_SERVER_IP),
			.local_ip = bench_tuple_ip(n),
			.peer_port = rte_cpu_to_be_16(BENCH_HTTP_PORT),
			.local_port = bench_tuple_port(n),
			.pad = 0,
		};
		struct tcpd_client_rec *r = &c->rec[i];
		struct tcpd_tcb *t;

		tcpd_app_client_rec_init(r);
		if (c->v6) /* from offset n >> 15 of the client's IPv6 range (cli_config6) */
			t = tcpd_tcp_connect6(cw->tcp, bench_server_ip6,
					      TCPD_NET_MAX_IP6 + (n >> BENCH_SLOT_BITS),
					      k.peer_port, k.local_port, (unsigned int)c->app,
					      &bench_server_mac);
		else
			t = tcpd_tcp_connect(cw->tcp, &k, (unsigned int)c->app, &bench_server_mac);
		c->started++;
		if (unlikely(t == NULL)) {
			c->failed++;
			lc_note(c->lc, "tcpd_tcp_connect: %s (tuple %llu)", rte_strerror(rte_errno),
				n);
			return;
		}
		c->fhead++;
		c->nfree--;
		c->gen[i]++;
		c->slot[i] = (struct cyc_slot){.n = n};
		r->c = t;
		t->app_ptr = r;
	}
}

/* Check an HTTP response's first segment; @return its total length (header + body), 0 if bad. */
static uint32_t
http_check(struct cyc *c, const uint8_t *p, uint32_t len)
{
	static const char status[] = "HTTP/1.1 200 OK\r\n";
	const char *cl, *end;
	char buf[512];
	unsigned long v;
	uint32_t hl;

	if (c->hdr_len && len >= c->hdr_len && memcmp(p, c->hdr, c->hdr_len) == 0)
		return c->hdr_len + c->body;
	/* Slow path: the first response, or one whose header differs. */
	memcpy(buf, p, RTE_MIN(len, sizeof(buf) - 1));
	buf[RTE_MIN(len, sizeof(buf) - 1)] = '\0';
	if (strncmp(buf, status, sizeof(status) - 1) != 0)
		return 0;
	end = strstr(buf, "\r\n\r\n");
	cl = strcasestr(buf, "\r\nContent-Length:");
	if (end == NULL || cl == NULL || cl > end)
		return 0;
	v = strtoul(cl + 17, NULL, 10);
	if (v != c->body)
		return 0;
	hl = (uint32_t)(end + 4 - buf);
	if (c->hdr_len == 0 && hl <= sizeof(c->hdr)) {
		memcpy(c->hdr, p, hl);
		c->hdr_len = (uint16_t)hl;
	}
	return hl + (uint32_t)v;
}

/* The response bytes of a server segment at stream offset @p off: the header seen first (or a
 * valid one), then the daemon's body pattern (tcpd_app_http_body_byte), nothing beyond. */
static bool
resp_ok(struct cyc *c, uint32_t off, const uint8_t *d, uint32_t len)
{
	uint32_t hlen;

	if (off == 0) {
		if (http_check(c, d, len) == 0)
			return false;
	} else if (c->hdr_len == 0) {
		return true; /* a later segment before any header was learnt: not checkable */
	}
	hlen = c->hdr_len;
	if (off < hlen) {
		uint32_t k = RTE_MIN(len, hlen - off);

		if (off != 0 && memcmp(d, c->hdr + off, k) != 0)
			return false;
		d += k;
		len -= k;
		off += k;
	}
	if (off + len > hlen + c->body)
		return false;
	while (len) {
		uint32_t b = off - hlen, k = RTE_MIN(len, 64u);

		if (memcmp(d, c->body_pat + (b & 63), k) != 0)
			return false;
		d += k;
		len -= k;
		off += k;
	}
	return true;
}

void
wire_bad(struct cyc *c, const char *why, uint32_t n)
{
	c->lc->chk.bad_reply++;
	lc_note(c->lc, "wrong frame on the wire: %s (tuple %llu)", why, n);
}

/* A client frame: addressed to the server's HTTP port from a tuple in use; its SYN's ISS kept. */
static bool
wire_client(struct cyc *c, const uint8_t *f, uint32_t len)
{
	struct tcpd_pkt p;
	enum tcpd_stat why;
	struct cyc_slot *s;
	uint32_t n;

	if (tcpd_net_parse(f, len, c->sifc, 0, &p, &why) != TCPD_NET_TCP ||
	    p.dst_port != rte_cpu_to_be_16(BENCH_HTTP_PORT) ||
	    (p.family == TCPD_NET_AF_INET6) != c->v6) {
		wire_bad(c, "client frame not TCP to the server's port", 0);
		return false;
	}
	/* IPv6: the tuple's IPv4 address is the source's low 32 bits (cli_config6) */
	n = bench_tuple_n(c->v6 ? bench_ld32(p.src_ip6 + 12) : p.src_ip, p.src_port);
	if (n == UINT32_MAX || SLOT(n) >= c->nslots) {
		wire_bad(c, "client frame from a tuple the bench never opened", n);
		return false;
	}
	s = &c->slot[SLOT(n)];
	if (p.flags == TCPD_TH_SYN && s->n == n) {
		s->ciss = p.seq;
		s->seen |= SEEN_SYN;
	}
	return true;
}

/* A server frame: from the server's HTTP port; the SYN-ACK acknowledges the client's SYN and
 * carries an MSS; payload is the response, byte for byte. */
static bool
wire_server(struct cyc *c, const uint8_t *f, uint32_t len)
{
	struct bench_lcore *lc = c->lc;
	struct tcpd_pkt p;
	enum tcpd_stat why;
	struct cyc_slot *s;
	uint32_t n;

	lc->cifc.mac = bench_client_mac;
	lc->cifc.mtu = 1500;
	if (c->v6) { /* the destination is ours: one address of the client's range */
		memcpy(lc->cifc.ip6[0].addr, f + OFF_IP + 24, 16);
		lc->cifc.ip6[0].prefix_len = 64;
		lc->cifc.nb_ip6 = 1;
	} else {
		memcpy(&lc->cifc.ip, f + OFF_IP + 16, 4);
	}
	if (tcpd_net_parse(f, len, &lc->cifc, 0, &p, &why) != TCPD_NET_TCP ||
	    (c->v6 ? p.family != TCPD_NET_AF_INET6 || memcmp(p.src_ip6, bench_server_ip6, 16) != 0
		   : p.src_ip != rte_cpu_to_be_32(BENCH_SERVER_IP)) ||
	    p.src_port != rte_cpu_to_be_16(BENCH_HTTP_PORT)) {
		wire_bad(c, "server frame not TCP from the server's port", 0);
		return false;
	}
	lc->chk.verified++;
	n = bench_tuple_n(c->v6 ? bench_ld32(p.dst_ip6 + 12) : p.dst_ip, p.dst_port);
	s = n == UINT32_MAX || SLOT(n) >= c->nslots ? NULL : &c->slot[SLOT(n)];
	if (s == NULL || s->n != n || !(s->seen & SEEN_SYN)) {
		lc->chk.strays++; /* for a connection already finished */
		return true;
	}
	if (p.flags & TCPD_TH_RST) {
		wire_bad(c, "RST from the server", n);
		return true; /* the client counts the connection's failure */
	}
	if (p.flags & TCPD_TH_SYN) {
		if (p.flags != (TCPD_TH_SYN | TCPD_TH_ACK) || p.ack != s->ciss + 1 ||
		    !(p.opts.present & TCPD_OPT_MSS) || p.payload_len != 0) {
			wire_bad(c, "bad SYN-ACK", n);
			return false;
		}
		s->siss = p.seq;
		s->seen |= SEEN_SYNACK;
		return true;
	}
	if (p.payload_len && (s->seen & SEEN_SYNACK) &&
	    !resp_ok(c, p.seq - s->siss - 1, f + p.payload_off, p.payload_len)) {
		wire_bad(c, "wrong HTTP response bytes", n);
		return false;
	}
	return true;
}

/* A TCP segment with SYN over IPv4 (no options) or IPv6 (no extension header), as both
 * workers send them. */
static inline bool
wire_is_syn(const uint8_t *f, uint32_t len)
{
	if (f[12] == 0x08 && f[13] == 0x00)
		return len > OFF_FLAGS && f[OFF_IP] == 0x45 && f[OFF_IP + 9] == IPPROTO_TCP &&
		       (f[OFF_FLAGS] & TCPD_TH_SYN);
	return f[12] == 0x86 && f[13] == 0xdd && len > OFF_FLAGS + 20 &&
	       f[OFF_IP + 6] == IPPROTO_TCP && (f[OFF_FLAGS + 20] & TCPD_TH_SYN);
}

/*
 * The wire from @p from (a port's TX ring) to @p to (the other's RX ring), as much as @p to has
 * room for: the sending NIC's checksums under --offload (after checking the worker's half of the
 * contract), the receiving NIC's RX flags, and the frame checks while c->checks_left.
 * @return frames moved
 */
static unsigned int
cyc_wire(struct cyc *c, struct rte_ring *from, struct rte_ring *to, bool to_server)
{
	const uint64_t rxfl =
		bench_offload ? RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD : 0;
	struct rte_mbuf *b[64], *ok[64];
	unsigned int n, i, k, moved = 0, room;

	while ((room = rte_ring_free_count(to)) > 0 &&
	       (n = rte_ring_sc_dequeue_burst(from, (void **)b, RTE_MIN(room, 64u), NULL)) > 0) {
		for (i = k = 0; i < n; i++) {
			struct rte_mbuf *m = b[i];
			uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
			bool good = true;

			if (i + 1 < n)
				rte_prefetch0(rte_pktmbuf_mtod(b[i + 1], void *));
			if (bench_offload && m->data_len >= OFF_TCP + 20 && f[12] == 0x08 &&
			    f[13] == 0x00 && f[OFF_IP + 9] == IPPROTO_TCP &&
			    !nic_tx_cksum(f, m->data_len)) {
				wire_bad(c, "TX checksum offload contract broken", 0);
				good = false;
			}
			if (c->count_syn && wire_is_syn(f, m->data_len))
				*(to_server ? &c->wire_syn : &c->wire_synack) += 1;
			if (good && c->checks_left) {
				c->checks_left--;
				good = to_server ? wire_client(c, f, m->data_len)
						 : wire_server(c, f, m->data_len);
			}
			if (!good) {
				rte_pktmbuf_free(m);
				continue;
			}
			m->ol_flags = rxfl;
			m->packet_type = 0;
			ok[k++] = m;
		}
		if (k)
			rte_ring_sp_enqueue_burst(to, (void **)ok, k, NULL);
		moved += k;
	}
	return moved;
}

/* Completed connections must be CLOSED (gone) or in TIME-WAIT on the server. */
static void
cycle_server_check(struct bench_lcore *lc, struct cyc *c)
{
	uint32_t i;

	for (i = 0; i < c->nb_done_n; i++) {
		struct tcpd_conn_key k = {
			.peer_ip = bench_tuple_ip(c->done_n[i]),
			.local_ip = rte_cpu_to_be_32(BENCH_SERVER_IP),
			.peer_port = bench_tuple_port(c->done_n[i]),
			.local_port = rte_cpu_to_be_16(BENCH_HTTP_PORT),
			.pad = 0,
		};
		struct tcpd_tcb *cn;

		if (c->v6) {
			uint8_t peer[16];

			memcpy(peer, bench_client_net6, 12);
			memcpy(peer + 12, &k.peer_ip, 4);
			cn = tcpd_tcp_lookup6(lc->w->tcp, peer, 0, k.peer_port, k.local_port);
		} else {
			cn = tcpd_tcp_lookup(lc->w->tcp, &k);
		}

		if (cn == NULL || cn->state == TCPD_TIME_WAIT)
			lc->chk.server_closed++;
		else
			lc->chk.server_other++;
	}
	c->nb_done_n = 0;
}

/* The two workers' calls, apart so that callgrind counts each (docs/PERFORMANCE.md). */
static __rte_noinline void
bench_client_poll(struct cyc *c, struct tcpd_worker *cw)
{
	if (c != NULL)
		cyc_launch(c, cw, BENCH_BURST);
	tcpd_worker_poll(cw);
}

__rte_noinline uint16_t
bench_server_poll(struct tcpd_worker *w)
{
	return tcpd_worker_poll(w);
}

/* One round: the client (launches, poll), the wire to the server, the server's poll, the wire
 * back. @return frames still on the wires or in the RX rings. */
unsigned int
cyc_round(struct bench_lcore *lc, struct cyc *c, struct cyc *launch, struct bench_meas *m)
{
	uint64_t t0, t1, t2, t3;
	unsigned int i;
	uint16_t busy;

	t0 = rte_rdtsc();
	bench_client_poll(launch, lc->cw);
	t1 = rte_rdtsc();
	m->rx += cyc_wire(c, lc->ctxr, lc->rxr, true);
	m->tsc_client += t1 - t0;
	/* The server polls again while a full burst waits (at most 4 times a round): a client
	 * catching up on late launches after the machine preempted this lcore sends more than one
	 * burst a round, and a server held to one burst a round would let the client's TX ring
	 * overflow, a harness artefact (a real server polls as fast as it can). */
	for (i = 0; i < 4; i++) {
		t2 = rte_rdtsc();
		busy = bench_server_poll(lc->w);
		t3 = rte_rdtsc();
		m->tsc_worker += t3 - t2;
		/* Busy time, with a call longer than 50 us (a full burst costs about 15) counted
		 * as 50: that is the machine preempting us, not the server working. */
		if (busy)
			m->tsc_busy += RTE_MIN(t3 - t2, rte_get_tsc_hz() / 20000);
		if (busy < TCPD_RX_BURST || rte_ring_count(lc->rxr) < TCPD_RX_BURST)
			break;
	}
	m->tx += cyc_wire(c, lc->txr, lc->crxr, false);
	return rte_ring_count(lc->rxr) + rte_ring_count(lc->crxr) + rte_ring_count(lc->ctxr) +
	       rte_ring_count(lc->txr);
}

/*
 * Run until c->target connections are finished (or failed), or @p max_tsc passes; then let the
 * connections in flight finish (up to @p tail_tsc more); what is still open is aborted and
 * counted as failed ("stalled").
 */
void
cyc_loop(struct bench_lcore *lc, struct cyc *c, uint64_t max_tsc, uint64_t tail_tsc,
	 struct bench_meas *m)
{
	uint64_t start = rte_rdtsc(), hard = UINT64_MAX, now;
	uint64_t deadline = max_tsc > UINT64_MAX - start ? UINT64_MAX : start + max_tsc;
	unsigned int left, i;

	memset(m, 0, sizeof(*m));
	for (;;) {
		left = cyc_round(lc, c, c, m);
		if (c->nfree == c->win && (c->stop || c->started >= c->target) && left == 0)
			break;
		now = rte_rdtsc();
		if (!c->stop && (now > deadline || c->started >= c->target)) {
			c->stop = true;
			hard = now + tail_tsc;
		}
		if (unlikely(now > hard))
			break;
	}
	m->tsc = rte_rdtsc() - start;
	for (i = 0; i < c->nslots; i++)
		if (c->rec[i].c != NULL) {
			c->rec[i].flags |= TCPD_CLIENT_F_DRAINED;
			tcpd_tcp_abort(lc->cw->tcp, c->rec[i].c);
		}
	m->conns = c->done;
	m->failures += c->failed;
	lc->chk.sent += m->rx;
	lc->chk.replies += m->tx;
}

/* Both workers' counters (made for this run) and the handshakes the wire carried, for the
 * accounting of the loss recovery in check_bench.py. */
void
recovery_stats(struct bench_lcore *lc, struct cyc *c)
{
	unsigned int i;

	for (i = 0; i < TCPD_STAT_MAX; i++) {
		lc->chk.srv_stat[i] += wstat(lc, (enum tcpd_stat)i);
		lc->chk.cli_stat[i] += tcpd_stats_read(&lc->cw->stats, (enum tcpd_stat)i);
	}
	lc->chk.wire_syn += c->wire_syn;
	lc->chk.wire_synack += c->wire_synack;
	c->wire_syn = c->wire_synack = 0;
}

void
run_cycle(struct bench_job *job, struct bench_lcore *lc, enum tcpd_syncookies mode, bool v6)
{
	const struct bench_opts *o = job->o;
	uint64_t hz = rte_get_tsc_hz();
	uint32_t max_done = o->verify_all ? (uint32_t)o->conns : o->verify;
	uint64_t base[TCPD_STAT_MAX];
	struct srv s, cs;
	struct cyc c;
	unsigned int r;
	bool ok;

	/* The server closes first: every connection of a run ends in a compact TIME-WAIT entry,
	 * so that pool is sized for the run (none is evicted within it, as none expires: the
	 * removal of a TIME-WAIT is not part of the figure, see docs/PERFORMANCE.md) and the live
	 * table for the window. The client closes second (LAST-ACK, no TIME-WAIT). */
	srv_config(&s, o, mode, (uint32_t)(o->window + 2048), 0);
	s.cfg.max_time_wait = (uint32_t)(o->conns + 1024);
	cli_config(&cs, 2 * o->window + 1024);
	if (v6) {
		srv_config6(&s);
		cli_config6(&cs);
	}
	ok = cyc_init(&c, lc, o->window, max_done, o->http_body) == 0;
	c.v6 = v6;
	c.count_syn = true;
	if (!ok)
		lc_note(lc, "%s: no memory for %llu client slots", "cycle", o->window);
	else if (v6 && (o->conns + 2ull * o->window) / RTE_MIN(o->window, 1u << BENCH_SLOT_BITS) >=
			       BENCH_CYCLE6_RANGE) {
		/* a slot's generation is its address's offset in the range */
		lc_note(lc, "%s: more than %llu connections per slot of the window", "cycle6",
			BENCH_CYCLE6_RANGE - 2);
		ok = false;
	} else if (cport_init(lc) != 0) {
		lc_note(lc, "%s: client port set-up failed (rte_errno %llu)", "cycle",
			(uint64_t)rte_errno);
		ok = false;
	}
	c.sifc = &s.ifc;
	bench_barrier(job);
	for (r = 0; r < o->runs; r++) {
		bool run_ok = ok && worker_create(lc, &s) == 0;

		if (run_ok) {
			lc->cw = worker_new(lc, &cs, (uint16_t)(lc->cport - 1));
			c.app = lc->cw == NULL ? -1
					       : tcpd_tcp_app_add(lc->cw->tcp,
								  &tcpd_app_http_client_ops, &c.cl);
			run_ok = c.app >= 0;
		}
		bench_barrier(job);
		if (!run_ok) {
			lc->meas[r] = (struct bench_meas){0};
			lc->meas[r].failures = 1;
			client_free(lc);
			worker_free(lc);
			continue;
		}
		server_bad_snapshot(lc, base);
		cyc_reset(&c, o->conns, o->verify_all ? UINT64_MAX : 8ull * o->verify);
		cyc_loop(lc, &c, dur_tsc(o), 3 * hz, &lc->meas[r]);
		/* A preempted lcore's timers may send again: accounted for by check_bench.py. */
		server_bad_check(lc, base, false, true);
		client_bad_check(lc, true);
		recovery_stats(lc, &c);
		lc->chk.conns_ok += c.done;
		lc->chk.conns_failed += c.failed;
		lc->chk.resp_bytes += c.resp_bytes;
		lc->chk.requests += c.responses;
		cycle_server_check(lc, &c);
		lc->chk.server_open += server_open_gauge(lc);
		/* bytes per entry of the server's state, sized for the run: live and TIME-WAIT
		 * entries (IPv6: the peer table included) */
		lc->chk.table_conns = tcpd_conn_capacity(tcpd_tcp_table(lc->w->tcp)) +
				      tcpd_conn_small_capacity(tcpd_tcp_table(lc->w->tcp));
		lc->chk.table_bytes = tcpd_tcp_conn_memory(lc->w->tcp);
		client_free(lc);
		worker_free(lc);
	}
	cyc_free_all(&c);
}
