/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TELEMETRY_INTERNAL_H
#define TCPD_TELEMETRY_INTERNAL_H

/* Shared by the telemetry files (not installed). */

#include <rte_telemetry.h>
#include <rte_version.h>

#include "tcpd_telemetry.h"

/* 23.03 renamed the unsigned builders (the _u64 names are gone in 25.11). */
#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#ifndef rte_tel_data_add_dict_uint
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#endif
#endif

/* The published registry, NULL when none; every non-NULL get is followed by a put. */
const struct tcpd_telemetry_reg *tcpd_telemetry_reg_get(void);
void tcpd_telemetry_reg_put(void);

/* /tcpd/client and /tcpd/client/latency (telemetry_client.c). */
int tcpd_telemetry_cmd_client(const char *cmd, const char *params, struct rte_tel_data *d);
int tcpd_telemetry_cmd_client_latency(const char *cmd, const char *params, struct rte_tel_data *d);

#endif /* TCPD_TELEMETRY_INTERNAL_H */
