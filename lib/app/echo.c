/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Echo (RFC 862). The received payload mbufs, headers trimmed, wait in the connection's app_ptr
 * until the peer acknowledges their echo: they are the retransmission buffer and the receive
 * buffer at once (the window is what is left of TCPD_APP_ECHO_QMAX). app_ptr points to the TAIL of a
 * ring linked through m->next (tail->next is the head), so appending and releasing are O(1)
 * without another field. The ring holds exactly the bytes [max(SND.UNA, ISS + 1), app_end).
 * Small payloads are copied into the tail's free room, which bounds the mbufs held to about
 * TCP_ECHO_QMAX / (buffer size) per connection.
 * Never call rte_pktmbuf_* helpers that walk m->next on ring members: the ring has no end.
 */
#include <string.h>

#include "tcpd_app.h"

/* The queue's hard end (echo_rx): the window is computed from TCPD_APP_ECHO_QMAX. */
#define ECHO_QHARD (TCPD_APP_ECHO_QMAX + TCPD_APP_ECHO_QMAX / 16)

static uint32_t
echo_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	uint32_t len, uint32_t room, int *m_taken)
{
	struct rte_mbuf *tail = c->app_ptr;
	uint32_t n = len < room ? len : room, q = tcpd_tcp_app_unacked(c);

	RTE_SET_USED(a);
	/* TCP's room may run past TCPD_APP_ECHO_QMAX: with window scaling the window it offered
	 * never moves its edge left (tcp_rcv_wnd), so each segment shorter than a whole number of
	 * units moves that edge on by the remainder, as Linux's. Taken up to a sixteenth more,
	 * refused past that: a peer of tiny segments cannot make the queue grow without bound. */
	if (n > ECHO_QHARD - RTE_MIN(q, ECHO_QHARD))
		n = ECHO_QHARD - RTE_MIN(q, ECHO_QHARD);
	if (n == 0)
		return 0;
	if (tail != NULL && rte_pktmbuf_tailroom(tail) >= n) {
		memcpy(rte_pktmbuf_mtod_offset(tail, uint8_t *, tail->data_len), data, n);
		tail->data_len = (uint16_t)(tail->data_len + n);
		tail->pkt_len += n;
	} else if (!*m_taken) {
		m->data_off =
			(uint16_t)(m->data_off + (data - rte_pktmbuf_mtod(m, const uint8_t *)));
		m->data_len = (uint16_t)n;
		m->pkt_len = n;
		m->nb_segs = 1;
		if (tail == NULL) {
			m->next = m;
		} else {
			m->next = tail->next;
			tail->next = m;
		}
		c->app_ptr = m;
		*m_taken = 1;
	} else {
		return 0;
	}
	tcpd_tcp_app_queue(c, n);
	return n;
}

static void
ring_pop(struct tcpd_tcb *c)
{
	struct rte_mbuf *tail = c->app_ptr, *head = tail->next;

	if (head == tail)
		c->app_ptr = NULL;
	else
		tail->next = head->next;
	head->next = NULL;
	rte_pktmbuf_free(head);
}

static void
echo_acked(struct tcpd_app *a, struct tcpd_tcb *c, uint32_t old_una)
{
	/* Release from the head what this ACK newly covers. */
	uint32_t drop = tcpd_tcp_app_unacked_from(c, old_una) - tcpd_tcp_app_unacked(c);

	RTE_SET_USED(a);
	while (drop && c->app_ptr != NULL) {
		struct rte_mbuf *head = ((struct rte_mbuf *)c->app_ptr)->next;

		if (head->data_len <= drop) {
			drop -= head->data_len;
			ring_pop(c);
		} else {
			head->data_off = (uint16_t)(head->data_off + drop);
			head->data_len = (uint16_t)(head->data_len - drop);
			head->pkt_len -= drop;
			drop = 0;
		}
	}
}

static void
echo_fill(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	  uint32_t len)
{
	uint32_t off = seq - tcpd_tcp_app_una(c);
	const struct rte_mbuf *p = ((const struct rte_mbuf *)c->app_ptr)->next;

	RTE_SET_USED(a);
	while (off >= p->data_len) {
		off -= p->data_len;
		p = p->next;
	}
	while (len) {
		uint32_t n = p->data_len - off;

		if (n > len)
			n = len;
		memcpy(dst, rte_pktmbuf_mtod_offset(p, const uint8_t *, off), n);
		dst += n;
		len -= n;
		off = 0;
		p = p->next;
	}
}

static void
echo_free(struct tcpd_app *a, struct tcpd_tcb *c, enum tcpd_close_reason why)
{
	RTE_SET_USED(a);
	RTE_SET_USED(why);
	while (c->app_ptr != NULL)
		ring_pop(c);
}

/*
 * The queue is the receive buffer: a slow reader throttles the sender. The right edge never
 * moves left: accepting n bytes queues exactly n, so the edge is SND.UNA plus a constant and
 * moves only as the peer acknowledges our echo. Receiver silly window avoidance (RFC 9293
 * 3.8.6.2.2, MUST-39; RFC 1122 4.2.3.3): the edge moves only in whole steps of at least
 * min(RCV.BUFF / 2, Eff.snd.MSS): the bytes acknowledged past the last step stay out of the
 * window. The step is the MSS rounded up to a power of two (a mask, not a division; 2048 for
 * 1460): the MSS only ever falls (ICMP), the step with it, and a finer power-of-two grid keeps
 * every point of the coarser one, so the edge still never moves left. What it costs: up to a
 * step less than the free buffer (0.2 % of it). Without window scaling the field says at most
 * 65535, and the edge then follows RCV.NXT (tcp_rcv_wnd): a window that large is not silly.
 */
static uint32_t
echo_rcv_wnd(const struct tcpd_app *a, const struct tcpd_tcb *c)
{
	uint32_t q = tcpd_tcp_app_unacked(c);
	uint32_t step = rte_align32pow2(c->snd_mss);

	RTE_SET_USED(a);
	RTE_BUILD_BUG_ON(TCPD_APP_ECHO_QMAX / 2 < 65536); /* so the step is below RCV.BUFF / 2 */
	q += (tcpd_tcp_app_una(c) - (c->iss + 1)) & (step - 1);
	return q >= TCPD_APP_ECHO_QMAX ? 0 : TCPD_APP_ECHO_QMAX - q;
}

const struct tcpd_app_ops tcpd_app_echo_ops = {
	.name = "echo",
	.rx = echo_rx,
	.fill = echo_fill,
	.acked = echo_acked,
	.rcv_wnd = echo_rcv_wnd,
	.free = echo_free,
};
