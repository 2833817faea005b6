/* SPDX-License-Identifier: BSD-3-Clause */
/* What the client applications share: their registry, records, the payload pattern. */
#include <string.h>

#include "tcpd_app.h"
#include "tcpd_app_client.h"

_Static_assert(sizeof(struct tcpd_client_rec) == 128, "a client record is two cache lines");

static const struct tcpd_app_ops *const client_registry[TCPD_SVC_MAX] = {
	[TCPD_SVC_DISCARD] = &tcpd_app_discard_client_ops,
	[TCPD_SVC_ECHO] = &tcpd_app_echo_client_ops,
	[TCPD_SVC_HTTP] = &tcpd_app_http_client_ops,
};

const struct tcpd_app_ops *
tcpd_app_client_ops(unsigned int svc)
{
	return svc < TCPD_SVC_MAX ? client_registry[svc] : NULL;
}

void
tcpd_app_client_rec_init(struct tcpd_client_rec *r)
{
	uint32_t next = r->next;

	memset(r, 0, sizeof(*r));
	r->next = next;
	r->clen = UINT32_MAX;
	r->deadline_tsc = UINT64_MAX;
}
