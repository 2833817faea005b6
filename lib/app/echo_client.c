/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Echo client: each request is `payload` bytes of the pattern (tcpd_app_http_body_byte of the
 * stream offset); the same bytes must come back, in order, before the next request is sent.
 * After the last one we close. A wrong byte, or a byte beyond what was sent, is a bad response.
 */
#include "client_priv.h"

static void
echo_c_established(struct tcpd_app *a, struct tcpd_tcb *c)
{
	struct tcpd_client_rec *r = c->app_ptr;
	const struct tcpd_app_client *cl = client_of(a);

	if (r == NULL)
		return;
	r->flags |= TCPD_CLIENT_F_EST;
	tcpd_tcp_app_queue(c, cl->payload);
	client_event(a, r, TCPD_CLIENT_EV_ESTABLISHED);
	if (cl->payload == 0) {
		r->done = cl->requests;
		client_finish(a, c, r);
	}
}

static uint32_t
echo_c_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	  uint32_t avail, uint32_t room, int *m_taken)
{
	const struct tcpd_app_client *cl = client_of(a);
	struct tcpd_client_rec *r = c->app_ptr;
	uint32_t len = avail < room ? avail : room, off = 0;

	RTE_SET_USED(m);
	RTE_SET_USED(m_taken);
	if (r == NULL || len == 0)
		return len;
	if (r->flags & (TCPD_CLIENT_F_BAD | TCPD_CLIENT_F_FINISHED)) {
		if (!(r->flags & TCPD_CLIENT_F_BAD))
			client_bad(c, r);
		r->rx_total += len;
		return len;
	}
	while (off < len) {
		uint32_t n = RTE_MIN(len - off, cl->payload - r->resp_rx);

		if (!(r->flags & TCPD_CLIENT_F_FIRST)) {
			r->flags |= TCPD_CLIENT_F_FIRST;
			client_event(a, r, TCPD_CLIENT_EV_FIRST_BYTE);
		}
		if (!client_pattern_ok(data + off, r->rx_total, n)) {
			client_bad(c, r);
			r->rx_total += len - off;
			return len;
		}
		off += n;
		r->rx_total += n;
		r->resp_rx += n;
		if (r->resp_rx < cl->payload)
			break;
		r->done++;
		r->resp_rx = 0;
		client_event(a, r, TCPD_CLIENT_EV_RESPONSE);
		if (off < len || r->done >= cl->requests) {
			if (off < len) {
				client_bad(c, r); /* more than was sent */
				r->rx_total += len - off;
				return len;
			}
			client_finish(a, c, r);
		} else {
			r->flags &= ~TCPD_CLIENT_F_FIRST;
			tcpd_tcp_app_queue(c, cl->payload);
			client_event(a, r, TCPD_CLIENT_EV_REQUEST);
		}
	}
	return len;
}

static void
echo_c_fill(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	    uint32_t len)
{
	RTE_SET_USED(a);
	client_pattern(dst, tcpd_tcp_app_offset(c, seq), len);
}

const struct tcpd_app_ops tcpd_app_echo_client_ops = {
	.name = "echo",
	.established = echo_c_established,
	.rx = echo_c_rx,
	.fill = echo_c_fill,
	.free = client_free,
};
