/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Discard client: requests x payload bytes of the pattern queued at once, then our FIN. The
 * "response" is the peer's acknowledgement of the last byte; any byte the peer sends is a bad
 * response (a discard server sends nothing).
 */
#include "client_priv.h"

static void
discard_c_established(struct tcpd_app *a, struct tcpd_tcb *c)
{
	struct tcpd_client_rec *r = c->app_ptr;
	const struct tcpd_app_client *cl = client_of(a);
	uint64_t total = (uint64_t)cl->requests * cl->payload;

	if (r == NULL)
		return;
	r->flags |= TCPD_CLIENT_F_EST;
	tcpd_tcp_app_queue(c, (uint32_t)RTE_MIN(total, (uint64_t)INT32_MAX));
	client_event(a, r, TCPD_CLIENT_EV_ESTABLISHED);
	if (total == 0) {
		r->done = cl->requests;
		client_event(a, r, TCPD_CLIENT_EV_RESPONSE);
		client_finish(a, c, r);
	} else {
		tcpd_tcp_app_close(c);
	}
}

static uint32_t
discard_c_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	     uint32_t avail, uint32_t room, int *m_taken)
{
	struct tcpd_client_rec *r = c->app_ptr;
	uint32_t len = avail < room ? avail : room;

	RTE_SET_USED(a);
	RTE_SET_USED(m);
	RTE_SET_USED(data);
	RTE_SET_USED(m_taken);
	if (r != NULL && len != 0) {
		r->rx_total += len;
		if (!(r->flags & TCPD_CLIENT_F_BAD))
			client_bad(c, r);
	}
	return len;
}

static void
discard_c_fill(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	       uint32_t len)
{
	RTE_SET_USED(a);
	client_pattern(dst, tcpd_tcp_app_offset(c, seq), len);
}

static void
discard_c_acked(struct tcpd_app *a, struct tcpd_tcb *c, uint32_t old_una)
{
	struct tcpd_client_rec *r = c->app_ptr;

	RTE_SET_USED(old_una);
	if (r == NULL || (r->flags & TCPD_CLIENT_F_FINISHED) || tcpd_tcp_app_unacked(c) != 0)
		return;
	r->done = client_of(a)->requests;
	client_event(a, r, TCPD_CLIENT_EV_RESPONSE);
	r->flags |= TCPD_CLIENT_F_FINISHED;
	client_event(a, r, TCPD_CLIENT_EV_FINISHED);
}

const struct tcpd_app_ops tcpd_app_discard_client_ops = {
	.name = "discard",
	.established = discard_c_established,
	.rx = discard_c_rx,
	.fill = discard_c_fill,
	.acked = discard_c_acked,
	.free = client_free,
};
