/* SPDX-License-Identifier: BSD-3-Clause */
/* The registry: one line per application, indexed like lib/config's service names. */
#include "tcpd_app.h"

static const struct tcpd_app_ops *const registry[TCPD_SVC_MAX] = {
	[TCPD_SVC_DISCARD] = &tcpd_app_discard_ops,
	[TCPD_SVC_ECHO] = &tcpd_app_echo_ops,
	[TCPD_SVC_HTTP] = &tcpd_app_http_ops,
};

const struct tcpd_app_ops *
tcpd_app_ops(unsigned int svc)
{
	return svc < TCPD_SVC_MAX ? registry[svc] : NULL;
}

const struct tcpd_app_ops *const *
tcpd_app_registry(void)
{
	return registry;
}
