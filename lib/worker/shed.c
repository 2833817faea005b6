/* SPDX-License-Identifier: BSD-3-Clause */
/* SYN admission control: the bucket's refill and the interval's end (tcpd_shed.h: why, how). */
#include "tcpd_shed.h"

#define SHED_CAP ((uint64_t)TCPD_SHED_BURST * TCPD_SHED_Q)

void
tcpd_shed_init(struct tcpd_shed *s, uint64_t period, uint64_t now, uint64_t opened, bool syns)
{
	*s = (struct tcpd_shed){
		.period = period, .opened = opened, .tokens = SHED_CAP, .syns = syns};
	/* Off: the interval never ends, so nothing is ever limited. */
	s->next = period != 0 ? now + period : UINT64_MAX;
}

void
tcpd_shed_refill(struct tcpd_shed *s, uint64_t opened)
{
	uint64_t t = s->tokens + (opened - s->opened) * TCPD_SHED_Q_DONE;

	s->tokens = (uint32_t)(t < SHED_CAP ? t : SHED_CAP);
	s->opened = opened;
}

void
tcpd_shed_interval(struct tcpd_shed *s, uint64_t now)
{
	uint64_t t = s->tokens + (uint64_t)TCPD_SHED_FLOOR * TCPD_SHED_Q;

	s->saturated = s->full * 2 > s->bursts;
	s->limited = s->saturated && s->syns;
	/* Not saturated: a full bucket waits for the next burst of SYNs (a closed loop's start, a
	 * wave of retransmitted SYNs). */
	s->tokens = (uint32_t)(s->limited && t < SHED_CAP ? t : SHED_CAP);
	s->full = s->bursts = 0;
	/* After a stall (preemption, a long burst) the next interval starts now, not in the past. */
	s->next = now + s->period;
}
