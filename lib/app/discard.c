/* SPDX-License-Identifier: BSD-3-Clause */
/* Discard (RFC 863): everything the window allows is taken and thrown away; nothing is sent. */
#include "tcpd_app.h"

static uint32_t
discard_rx(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m, const uint8_t *data,
	   uint32_t len, uint32_t room, int *m_taken)
{
	RTE_SET_USED(a);
	RTE_SET_USED(c);
	RTE_SET_USED(m);
	RTE_SET_USED(data);
	RTE_SET_USED(m_taken);
	return len < room ? len : room;
}

/* Never called: discard queues no data. */
static void
discard_fill(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
	     uint32_t len)
{
	RTE_SET_USED(a);
	RTE_SET_USED(c);
	RTE_SET_USED(dst);
	RTE_SET_USED(seq);
	RTE_SET_USED(len);
}

const struct tcpd_app_ops tcpd_app_discard_ops = {
	.name = "discard",
	.rx = discard_rx,
	.fill = discard_fill,
};
