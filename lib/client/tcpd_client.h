/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_CLIENT_H
#define TCPD_CLIENT_H

/**
 * @file
 * Client mode's per-lcore building blocks, all pure (no ethdev, no EAL needed):
 * - tcpd_tuple.h: RSS-aware source tuple chooser (replies land on the opening lcore's queue);
 * - tcpd_pacer.h: TSC launch schedule with ramp, late and refused launches counted;
 * - tcpd_lat.h: log-linear latency histograms (2^-7 relative bucket width), mergeable.
 */

#include "tcpd_lat.h"
#include "tcpd_pacer.h"
#include "tcpd_tuple.h"

#endif /* TCPD_CLIENT_H */
