/* SPDX-License-Identifier: BSD-3-Clause */
/* The scenario dispatcher: each lcore of a job runs the job's scenario (bench_flood.c,
 * bench_cycle.c, bench_load.c, bench_overload.c). */
#include "bench_scen.h"

int
bench_job_lcore(void *arg)
{
	struct bench_lcore_arg *a = arg;
	struct bench_job *job = a->job;
	struct bench_lcore *lc = job->lc[a->i];

	switch (job->kind) {
	case BENCH_FORWARD:
		run_forward(job, lc);
		break;
	case BENCH_SYN_ALWAYS:
	case BENCH_SYN6_ALWAYS:
		run_syn(job, lc, false, job->kind == BENCH_SYN6_ALWAYS);
		break;
	case BENCH_SYN_AUTO_FULL:
	case BENCH_SYN6_AUTO_FULL:
		run_syn(job, lc, true, job->kind == BENCH_SYN6_AUTO_FULL);
		break;
	case BENCH_CYCLE_AUTO:
	case BENCH_CYCLE6_AUTO:
		run_cycle(job, lc, TCPD_SYNCOOKIES_AUTO, job->kind == BENCH_CYCLE6_AUTO);
		break;
	case BENCH_CYCLE_ALWAYS:
	case BENCH_CYCLE6_ALWAYS:
		run_cycle(job, lc, TCPD_SYNCOOKIES_ALWAYS, job->kind == BENCH_CYCLE6_ALWAYS);
		break;
	case BENCH_ACK_EST:
		run_ack(job, lc);
		break;
	case BENCH_LOAD_HTTP:
		run_load(job, lc, TCPD_SVC_HTTP);
		break;
	case BENCH_LOAD_ECHO:
		run_load(job, lc, TCPD_SVC_ECHO);
		break;
	case BENCH_OVERLOAD:
		run_overload(job, lc);
		break;
	default:
		break;
	}
	return 0;
}
