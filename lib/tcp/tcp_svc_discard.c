/* SPDX-License-Identifier: BSD-3-Clause */
/* Discard (RFC 863), and the dispatch of every service hook by the listener's service. */
#include "tcp_internal.h"

uint32_t
tcp_discard_rx(uint32_t len, uint32_t room)
{
	return len < room ? len : room;
}

uint32_t
tcp_svc_rx(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, struct rte_mbuf *m, const uint8_t *data,
	   uint32_t len, uint32_t room, int *m_taken)
{
	switch (tcp_conn_service(ctx, c)) {
	case TCPD_SVC_ECHO:
		return tcp_echo_rx(ctx, c, m, data, len, room, m_taken);
	case TCPD_SVC_HTTP:
		return tcp_http_rx(ctx, c, data, len < room ? len : room);
	default:
		return tcp_discard_rx(len, room);
	}
}

void
tcp_svc_fill(const struct tcpd_tcp_ctx *ctx, const struct tcpd_conn *c, uint8_t *dst, uint32_t seq,
	     uint32_t len)
{
	if (tcp_conn_service(ctx, c) == TCPD_SVC_ECHO)
		tcp_echo_fill(c, dst, seq, len);
	else
		tcp_http_fill(ctx, c, dst, seq, len);
}

void
tcp_svc_acked(struct tcpd_tcp_ctx *ctx, struct tcpd_conn *c, uint32_t old_una)
{
	if (c->sndq != NULL && tcp_conn_service(ctx, c) == TCPD_SVC_ECHO)
		tcp_echo_acked(c, old_una);
}

void
tcp_svc_free(struct tcpd_conn *c)
{
	if (c->sndq != NULL)
		tcp_echo_free(c);
}
