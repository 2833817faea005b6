/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Echo (RFC 862). The received payload mbufs, headers trimmed, wait on conn->sndq until the
 * peer acknowledges their echo: they are the retransmission buffer. sndq points to the TAIL of a
 * ring linked through m->next (tail->next is the head), so appending and releasing are O(1)
 * without another field. The ring holds exactly the bytes [max(SND.UNA, ISS + 1), app_end).
 * Small payloads are copied into the tail's free room, which bounds the mbufs held to about
 * TCP_ECHO_QMAX / (buffer size) per connection.
 * Never call rte_pktmbuf_* helpers that walk m->next on ring members: the ring has no end.
 */
#include <string.h>

#include "tcp_internal.h"

uint32_t
tcp_echo_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m, const uint8_t *data,
	    uint32_t len, uint32_t room, int *m_taken)
{
	struct rte_mbuf *tail = c->sndq;
	uint32_t n = len < room ? len : room;

	(void)ctx;
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
		c->sndq = m;
		*m_taken = 1;
	} else {
		return 0;
	}
	c->app_end += n;
	return n;
}

static void
ring_pop(struct tcpd_conn *c)
{
	struct rte_mbuf *tail = c->sndq, *head = tail->next;

	if (head == tail)
		c->sndq = NULL;
	else
		tail->next = head->next;
	head->next = NULL;
	rte_pktmbuf_free(head);
}

void
tcp_echo_acked(struct tcpd_conn *c, uint32_t old_una)
{
	/* Release from the head what this ACK newly covers. */
	uint32_t drop = tcp_app_unacked_from(c, old_una) - tcp_app_unacked(c);

	while (drop && c->sndq != NULL) {
		struct rte_mbuf *head = c->sndq->next;

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

void
tcp_echo_fill(const struct tcpd_conn *c, uint8_t *dst, uint32_t seq, uint32_t len)
{
	uint32_t from = seq_lt(c->snd_una, c->iss + 1) ? c->iss + 1 : c->snd_una;
	uint32_t off = seq - from;
	const struct rte_mbuf *p = c->sndq->next;

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

void
tcp_echo_free(struct tcpd_conn *c)
{
	while (c->sndq != NULL)
		ring_pop(c);
}
