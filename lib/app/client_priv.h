/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_APP_CLIENT_PRIV_H
#define TCPD_APP_CLIENT_PRIV_H

/* Shared by the client applications' files (not installed). */

#include "tcpd_app.h"
#include "tcpd_app_client.h"

static inline struct tcpd_app_client *
client_of(const struct tcpd_app *a)
{
	return a->priv;
}

static inline void
client_event(const struct tcpd_app *a, struct tcpd_client_rec *r, enum tcpd_client_event ev)
{
	const struct tcpd_app_client *cl = client_of(a);

	cl->hooks->event(cl->eng, r, ev);
}

/* Every request answered: close our side (our FIN follows what is queued). */
static inline void
client_finish(const struct tcpd_app *a, struct tcpd_tcb *c, struct tcpd_client_rec *r)
{
	r->flags |= TCPD_CLIENT_F_FINISHED;
	tcpd_tcp_app_close(c);
	client_event(a, r, TCPD_CLIENT_EV_FINISHED);
}

/* A check failed: remember why and close (the engine counts it when the connection ends). */
static inline void
client_bad(struct tcpd_tcb *c, struct tcpd_client_rec *r)
{
	r->flags |= TCPD_CLIENT_F_BAD;
	tcpd_tcp_app_close(c);
}

/* The payload pattern from stream offset @off: @n bytes into @dst. */
static inline void
client_pattern(uint8_t *dst, uint32_t off, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		dst[i] = tcpd_app_http_body_byte(off + i);
}

/* Whether @n bytes at @p match the pattern from offset @off. */
static inline int
client_pattern_ok(const uint8_t *p, uint32_t off, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (p[i] != tcpd_app_http_body_byte(off + i))
			return 0;
	return 1;
}

static inline void
client_free(struct tcpd_app *a, struct tcpd_tcb *c, enum tcpd_close_reason why)
{
	struct tcpd_client_rec *r = c->app_ptr;
	const struct tcpd_app_client *cl = client_of(a);

	if (r == NULL)
		return;
	c->app_ptr = NULL;
	r->c = NULL;
	r->tx_acked = tcpd_tcp_app_offset(c, c->app_end) - tcpd_tcp_app_unacked(c);
	cl->hooks->free(cl->eng, r, why);
}

#endif /* TCPD_APP_CLIENT_PRIV_H */
