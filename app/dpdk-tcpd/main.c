/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-tcpd: EAL, options, one worker per lcore (each with its own queue pair, TCP context and
 * counters), the control thread, and an orderly shutdown on SIGINT, SIGTERM or SIGHUP.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP all stop the daemon the same way (workers stopped, port and
 * totals printed, port closed, telemetry socket removed, exit 0). SIGHUP does not reload the
 * configuration (nothing here can change while the workers run); it is the terminal going away,
 * so the daemon stops cleanly instead of dying without its totals and leaving its socket. A
 * SIGHUP ignored when the daemon starts (nohup) stays ignored.
 *
 * Lcores: every lcore but the main one is a worker; the main lcore only waits, asleep, so that it
 * can share a CPU with a worker (EAL --lcores=0@0,1@0,2@1 runs two workers on a 2-CPU machine).
 * With a single lcore (-l 0) the worker runs on the main lcore. The control thread always runs on
 * an EAL control thread, off the worker lcores.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "tcpd_app.h"
#include "tcpd_telemetry.h"

#define POOL_CACHE 256

static volatile bool force_quit;
static volatile sig_atomic_t stop_signal; /* the signal that stopped the daemon, 0 if none */
static unsigned int workers_done;	  /* worker loops that returned */

static void
on_signal(int sig)
{
	/* Only the flags: nothing else is async-signal-safe here. */
	if (stop_signal == 0)
		stop_signal = sig;
	force_quit = true;
}

static const char *
signal_name(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	default:
		return "a signal";
	}
}

/* SIGINT, SIGTERM and SIGHUP: a graceful stop; a SIGHUP ignored at start (nohup) stays so. */
static void
install_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa, old;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* SA_RESTART as signal() gives: DPDK 22.11's telemetry listener thread quits when its
	 * accept() fails, EINTR included. */
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < RTE_DIM(sigs); i++) {
		if (sigs[i] == SIGHUP && sigaction(SIGHUP, NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

/*
 * The cookie secret given on the command line: EAL keeps a copy of argv for its /eal/params and
 * /eal/app_params telemetry commands, and the kernel shows argv in /proc/PID/cmdline (ps).
 * Before rte_eal_init, each application argument (after "--") that may hold a secret
 * (tcpd_config_looks_secret) is copied for the parser and blanked in place: EAL and ps see
 * "(hidden)". The copies are wiped once parsed.
 */
struct hidden_arg {
	char *orig, *copy;
};
static struct hidden_arg *hidden;
static int nb_hidden;

static void
hide_secrets(int argc, char **argv)
{
	int i = 1;

	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	hidden = calloc((size_t)argc, sizeof(*hidden));
	if (hidden == NULL)
		return;
	for (i++; i < argc; i++) {
		char *a = argv[i], *v, *copy;

		if (!tcpd_config_looks_secret(a))
			continue;
		copy = strdup(a);
		if (copy == NULL)
			continue;
		/* Keep "--cookie-secret=" readable; the value has 16+ characters: room enough. */
		v = strchr(a, '=');
		v = v != NULL && tcpd_config_looks_secret(v + 1) ? v + 1 : a;
		memset(v, 0, strlen(v));
		memcpy(v, "(hidden)", strlen("(hidden)"));
		hidden[nb_hidden++] = (struct hidden_arg){a, copy};
	}
}

/* Point the application's @p argv at the copies (@p reveal) or back at the blanked originals. */
static void
swap_secrets(int argc, char **argv, bool reveal)
{
	int i, h;

	for (i = 0; i < argc; i++)
		for (h = 0; h < nb_hidden; h++)
			if (argv[i] == (reveal ? hidden[h].orig : hidden[h].copy))
				argv[i] = reveal ? hidden[h].copy : hidden[h].orig;
}

static void
wipe_secrets(void)
{
	int h;

	for (h = 0; h < nb_hidden; h++) {
		explicit_bzero(hidden[h].copy, strlen(hidden[h].copy));
		free(hidden[h].copy);
	}
	free(hidden);
	hidden = NULL;
	nb_hidden = 0;
}

/* --help or -h, EAL's or ours: no instance check for a usage request. */
static bool
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

static void
usage_hook(const char *prog)
{
	tcpd_config_usage(stdout, prog);
}

struct app {
	struct tcpd_config cfg;
	struct tcpd_iface ifc;
	struct tcpd_cookie_store *cookies;
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
	struct rte_mempool *queue_pool[RTE_MAX_LCORE];
	struct tcpd_worker *workers[RTE_MAX_LCORE];
	unsigned int lcores[RTE_MAX_LCORE];
	unsigned int nb_workers;
	bool single; /* the worker runs on the main lcore */
	bool port_started;
	struct tcpd_control control;
	/* client mode */
	struct tcpd_load_shared load_sh;
	struct tcpd_load *loads[RTE_MAX_LCORE];
	bool client;
	struct tcpd_port_rss rss; /* the key and RETA port.c programmed (size 0: no RSS) */
};

/* The lcores that run a worker: every worker lcore, or the main one when it is alone. */
static void
pick_lcores(struct app *a)
{
	unsigned int lcore;

	a->nb_workers = 0;
	RTE_LCORE_FOREACH_WORKER(lcore)
	a->lcores[a->nb_workers++] = lcore;
	if (a->nb_workers == 0) {
		a->lcores[a->nb_workers++] = rte_get_main_lcore();
		a->single = true;
	}
}

static unsigned int
lcore_socket(unsigned int lcore)
{
	int s = (int)rte_lcore_to_socket_id(lcore);

	return s < 0 || s >= RTE_MAX_NUMA_NODES ? 0 : (unsigned int)s;
}

/*
 * One pool per socket in use, sized for every queue there: its RX and TX rings full, a full
 * TX staging array, a burst in flight and the per-lcore caches. A smaller --nb-mbufs would stall
 * RX once the rings fill, so it is raised with a note.
 */
static int
create_pools(struct app *a)
{
	unsigned int per_socket[RTE_MAX_NUMA_NODES] = {0};
	uint16_t room = RTE_MAX(RTE_MBUF_DEFAULT_BUF_SIZE,
				RTE_PKTMBUF_HEADROOM + a->cfg.mtu + RTE_ETHER_HDR_LEN + 4);
	unsigned int i, s;

	for (i = 0; i < a->nb_workers; i++)
		per_socket[lcore_socket(a->lcores[i])]++;
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		unsigned int need, n = a->cfg.nb_mbufs;
		char name[RTE_MEMPOOL_NAMESIZE];

		if (per_socket[s] == 0)
			continue;
		need = per_socket[s] * (a->cfg.rx_desc + a->cfg.tx_desc + TCPD_TX_MAX +
					2 * TCPD_RX_BURST + POOL_CACHE);
		if (n < need) {
			printf("socket %u: nb_mbufs %u too small for %u queue(s), using %u\n", s, n,
			       per_socket[s], need);
			n = need;
		}
		snprintf(name, sizeof(name), "tcpd_mbuf_s%u", s);
		a->pools[s] = rte_pktmbuf_pool_create(name, n, POOL_CACHE, 0, room, (int)s);
		if (a->pools[s] == NULL) {
			fprintf(stderr,
				"dpdk-tcpd: cannot create %u mbufs of %u bytes on socket %u: %s "
				"(lower --nb-mbufs or give EAL more memory with -m)\n",
				n, room, s, rte_strerror(rte_errno));
			return -1;
		}
	}
	for (i = 0; i < a->nb_workers; i++)
		a->queue_pool[i] = a->pools[lcore_socket(a->lcores[i])];
	return 0;
}

static int
create_workers(struct app *a)
{
	unsigned int i;

	for (i = 0; i < a->nb_workers; i++) {
		unsigned int lcore = a->lcores[i];
		struct tcpd_worker_params p = {
			.cfg = &a->cfg,
			.ifc = &a->ifc,
			.cookies = a->cookies,
			.pool = a->queue_pool[i],
			.lcore_id = lcore,
			.port_id = a->cfg.port_id,
			.queue_id = (uint16_t)i,
			.socket_id = (int)lcore_socket(lcore),
			.quit = &force_quit,
		};

		a->workers[i] = tcpd_worker_create(&p);
		if (a->workers[i] == NULL) {
			/* The TIME-WAIT class and the IPv6 peer table are sized apart from
			 * max_conns: name every option that sizes the worker. */
			fprintf(stderr,
				"dpdk-tcpd: lcore %u: cannot create the worker for %u "
				"connections (max-time-wait %u, ip6-peers %u; 0 = a quarter): %s "
				"(lower --max-conns, --max-time-wait or --ip6-peers, or give EAL "
				"more memory with -m)\n",
				lcore, a->cfg.max_conns, a->cfg.max_time_wait, a->cfg.ip6_peers,
				rte_strerror(rte_errno));
			return -1;
		}
	}
	return 0;
}

/* Client mode: one load engine per worker, next hops shared, the control thread's snapshots. */
static int
create_loads(struct app *a)
{
	char err[512];
	unsigned int i;

	tcpd_load_shared_init(&a->load_sh, &a->cfg, rte_get_tsc_hz());
	if (a->nb_workers > 1 && a->rss.reta_size == 0)
		printf("dpdk-tcpd: WARNING: client mode on %u queues without a readable RSS "
		       "configuration: each lcore takes the source ports p with (p - first) %% %u "
		       "== "
		       "its queue, which keeps replies on it only if the peer answers on the queue "
		       "it received on (memif); with af_packet fanout or a NIC hashing on its own, "
		       "replies reach other lcores and fail: use one lcore there\n",
		       a->nb_workers, a->nb_workers);
	for (i = 0; i < a->nb_workers; i++) {
		struct tcpd_worker *w = a->workers[i];
		struct tcpd_load_params p = {
			.sh = &a->load_sh,
			.tcp = w->tcp,
			.tx = &w->tx,
			.pool = a->queue_pool[i],
			.ifc = &a->ifc,
			.wstats = &w->stats,
			.idx = i,
			.nb = a->nb_workers,
			.queue = (uint16_t)i,
			.nb_queues = (uint16_t)a->nb_workers,
			.rss_key = a->rss.reta_size ? a->rss.key : NULL,
			.rss_key_len = a->rss.key_len,
			.reta = a->rss.reta,
			.reta_size = a->rss.reta_size,
			.socket_id = (int)lcore_socket(a->lcores[i]),
		};

		a->loads[i] = tcpd_load_create(&p, err, sizeof(err));
		if (a->loads[i] == NULL) {
			fprintf(stderr, "dpdk-tcpd: lcore %u: %s\n", a->lcores[i], err);
			return -1;
		}
		w->load = a->loads[i];
	}
	if (a->nb_workers > 1 && a->rss.reta_size != 0) {
		int rc = tcpd_worker_redirect_setup(a->workers, a->nb_workers, a->rss.reta,
						    a->rss.reta_size);

		if (rc < 0) {
			fprintf(stderr, "dpdk-tcpd: cannot create the redirect rings: %s\n",
				rte_strerror(-rc));
			return -1;
		}
	}
	a->control.loads = a->loads;
	a->control.load_sh = &a->load_sh;
	a->control.snap_start =
		rte_zmalloc("tcpd_snap", 3 * sizeof(struct tcpd_load_snap), RTE_CACHE_LINE_SIZE);
	if (a->control.snap_start == NULL) {
		fprintf(stderr, "dpdk-tcpd: no memory for the client reports\n");
		return -1;
	}
	a->control.snap_prev = a->control.snap_start + 1;
	a->control.snap_cur = a->control.snap_start + 2;
	if (a->cfg.client.report[0] != '\0') {
		a->control.report = fopen(a->cfg.client.report, "w");
		if (a->control.report == NULL) {
			fprintf(stderr, "dpdk-tcpd: --report %s: %s\n", a->cfg.client.report,
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void
free_all(struct app *a)
{
	unsigned int i;

	for (i = 0; i < a->nb_workers; i++) {
		/* Also whatever the last flush could not send. */
		tcpd_worker_free(a->workers[i]);
		a->workers[i] = NULL;
		/* After the TCP context: its connections gave their records back. */
		tcpd_load_free(a->loads[i]);
		a->loads[i] = NULL;
	}
	rte_free(a->control.snap_start);
	a->control.snap_start = NULL;
	if (a->control.report != NULL) {
		fclose(a->control.report);
		a->control.report = NULL;
	}
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		rte_mempool_free(a->pools[i]);
		a->pools[i] = NULL;
	}
	if (a->cookies != NULL) {
		/* The secret must not outlive the process in freed heap memory. */
		memset(a->cookies, 0, sizeof(*a->cookies));
		rte_free(a->cookies);
		a->cookies = NULL;
	}
}

static void
print_start(const struct app *a)
{
	char ip[INET_ADDRSTRLEN], val[256];
	unsigned int i;

	inet_ntop(AF_INET, &a->cfg.ip, ip, sizeof(ip));
	printf("dpdk-tcpd: %s/%u on port %u, %u worker(s) on lcore(s)", ip, a->cfg.prefix_len,
	       a->cfg.port_id, a->nb_workers);
	for (i = 0; i < a->nb_workers; i++)
		printf("%s%u", i ? "," : " ", a->lcores[i]);
	for (i = 0; i < tcpd_config_nb_options(); i++) {
		const char *key = tcpd_config_option(&a->cfg, i, val, sizeof(val));

		if (strcmp(key, "listen") == 0)
			printf(", listening on %s", val);
	}
	printf(", syncookies %s\n", tcpd_config_syncookies_name(a->cfg.syncookies));
	if (a->cfg.client.nb_targets > 0) {
		const struct tcpd_client_config *cc = &a->cfg.client;

		for (i = 0; i < tcpd_config_nb_options(); i++) {
			const char *key = tcpd_config_option(&a->cfg, i, val, sizeof(val));

			if (strcmp(key, "connect") == 0)
				printf("client mode: connect %s", val);
		}
		printf(", %u conn/s (ramp %u s, duration %u s, drain %u s), concurrency %u, %u "
		       "request(s) per connection, %s\n",
		       cc->cps, cc->ramp, cc->duration, cc->drain, cc->concurrency, cc->requests,
		       a->rss.reta_size ? "source tuples by RSS" : "no RSS: every tuple ours");
	}
	fflush(stdout);
}

static int
worker_launch(void *arg)
{
	int rc = tcpd_worker_main(arg);

	__atomic_add_fetch(&workers_done, 1, __ATOMIC_RELEASE);
	return rc;
}

/*
 * Wait for the @p launched workers to return. rte_eal_mp_wait_lcore spins (rte_pause) for as long
 * as the workers run: a third busy thread on a 2-CPU machine with two workers, which took half the
 * CPU of the worker sharing the main lcore's CPU. Sleep instead; the EAL call then only collects
 * lcores that are already done.
 */
static void
wait_workers(unsigned int launched)
{
	const struct timespec tick = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};

	while (__atomic_load_n(&workers_done, __ATOMIC_ACQUIRE) < launched)
		nanosleep(&tick, NULL);
	rte_eal_mp_wait_lcore();
}

static int
run(struct app *a)
{
	struct tcpd_telemetry_reg reg;
	unsigned int i;
	int rc;

	pick_lcores(a);
	/* The port is checked before anything is allocated: a wrong --port is a usage error. */
	if (!rte_eth_dev_is_valid_port(a->cfg.port_id)) {
		fprintf(stderr,
			"dpdk-tcpd: --port %u: no such port (%u ports available; add a device, "
			"e.g. --vdev=net_tap0)\n",
			a->cfg.port_id, rte_eth_dev_count_avail());
		return TCPD_EXIT_USAGE;
	}
	a->cookies = rte_zmalloc("tcpd_cookies", sizeof(*a->cookies), RTE_CACHE_LINE_SIZE);
	if (a->cfg.cookie_secret_set && a->cfg.cookie_rotate != 0) {
		/* Rotating a shared secret: start on the current epoch's derived keys. */
		struct tcpd_cookie_keys k;

		memcpy(&a->control.master, a->cfg.cookie_secret, sizeof(a->control.master));
		a->control.derive = true;
		a->control.epoch = (uint64_t)time(NULL) / a->cfg.cookie_rotate;
		tcpd_cookie_keys_derive(&k, a->cfg.cookie_secret, a->control.epoch);
		memcpy(a->cfg.cookie_secret, &k, sizeof(k));
		memset(&k, 0, sizeof(k));
	}
	if (a->cookies == NULL ||
	    tcpd_cookie_store_init(a->cookies,
				   a->cfg.cookie_secret_set ? a->cfg.cookie_secret : NULL,
				   sizeof(a->cfg.cookie_secret)) < 0) {
		fprintf(stderr, "dpdk-tcpd: cannot initialise the cookie secrets\n");
		return TCPD_EXIT_FAIL;
	}
	/* The store holds the keys now; no second copy stays in memory for the process's life. */
	memset(a->cfg.cookie_secret, 0, sizeof(a->cfg.cookie_secret));
	if (create_pools(a) < 0)
		return TCPD_EXIT_FAIL;
	rc = tcpd_port_setup(&a->cfg, (uint16_t)a->nb_workers, a->queue_pool, &a->ifc, &a->rss,
			     &force_quit);
	if (rc != 0)
		return rc;
	a->port_started = true;
	if (create_workers(a) < 0)
		return TCPD_EXIT_FAIL;
	/* ICMP errors hashed to another queue than their connection's go to its worker. */
	rc = tcpd_worker_icmpq_setup(a->workers, a->nb_workers, a->rss.key, a->rss.key_len,
				     a->rss.reta, a->rss.reta_size);
	if (rc < 0) {
		fprintf(stderr, "dpdk-tcpd: cannot create the ICMP hand-off rings: %s\n",
			rte_strerror(-rc));
		return TCPD_EXIT_FAIL;
	}
	a->client = a->cfg.client.nb_targets > 0;
	if (a->client && create_loads(a) < 0)
		return TCPD_EXIT_FAIL;

	reg = (struct tcpd_telemetry_reg){
		.workers = a->workers,
		.nb_workers = a->nb_workers,
		.cfg = &a->cfg,
		.cookies = a->cookies,
		.secret_born_sec = tcpd_app_now_sec(),
	};
	rc = tcpd_telemetry_register(&reg);
	if (rc < 0)
		printf("dpdk-tcpd: WARNING: telemetry commands not registered: %s\n",
		       rte_strerror(-rc));

	/* Announce our address so that neighbours replace a stale ARP entry. */
	if (tcpd_worker_send_garp(a->workers[0]) < 0)
		printf("dpdk-tcpd: WARNING: no mbuf for the gratuitous ARP\n");

	/* master, derive and epoch were set with the cookie store. */
	a->control.workers = a->workers;
	a->control.nb_workers = a->nb_workers;
	a->control.cfg = &a->cfg;
	a->control.cookies = a->cookies;
	a->control.quit = &force_quit;
	a->control.out = stdout;
	a->control.port_id = a->cfg.port_id;
	rc = tcpd_control_start(&a->control);
	if (rc != 0) {
		fprintf(stderr, "dpdk-tcpd: cannot start the control thread: %s\n",
			rte_strerror(rc < 0 ? -rc : rc));
		return TCPD_EXIT_FAIL;
	}
	print_start(a);

	if (a->single) {
		tcpd_worker_main(a->workers[0]);
	} else {
		for (i = 0; i < a->nb_workers; i++) {
			rc = rte_eal_remote_launch(worker_launch, a->workers[i], a->lcores[i]);
			if (rc != 0) {
				fprintf(stderr, "dpdk-tcpd: cannot launch lcore %u: %s\n",
					a->lcores[i], rte_strerror(-rc));
				force_quit = true;
				break;
			}
		}
		wait_workers(i);
	}
	/* A worker may also stop on its own; the control thread must end either way. */
	force_quit = true;
	tcpd_control_join(&a->control);
	if (a->client)
		return tcpd_control_load_finish(&a->control);
	return TCPD_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static struct app a; /* large (per-lcore arrays): not on the stack */
	char err[2048], sock[PATH_MAX];
	int ret, rc;
	bool help;

	rte_set_application_usage_hook(usage_hook);
	help = wants_help(argc, argv);
	/* A second daemon on a prefix in use is refused before it probes any device. */
	tcpd_instance_socket_path(argc, argv, sock, sizeof(sock));
	if (!help && tcpd_instance_check(sock, stderr) < 0)
		return TCPD_EXIT_USAGE;
	hide_secrets(argc, argv);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "dpdk-tcpd: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		wipe_secrets();
		return TCPD_EXIT_FAIL;
	}
	argc -= ret;
	argv += ret;
	install_signals();
	/* Again on EAL's own runtime directory: an abbreviated --file-pre, or a race, lands here. */
	tcpd_instance_runtime_socket(rte_eal_get_runtime_dir(), sock, sizeof(sock));
	if (!help && tcpd_instance_check(sock, stderr) < 0) {
		wipe_secrets();
		rte_eal_cleanup();
		return TCPD_EXIT_USAGE;
	}

	tcpd_config_defaults(&a.cfg);
	swap_secrets(argc, argv, true);
	rc = tcpd_config_parse_args(&a.cfg, argc, argv, stdout, err, sizeof(err));
	swap_secrets(argc, argv, false);
	wipe_secrets();
	if (rc == 0 && tcpd_config_client_check(&a.cfg, err, sizeof(err)) < 0)
		rc = -1;
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "dpdk-tcpd: %s\n", err);
		rte_eal_cleanup();
		return rc > 0 ? TCPD_EXIT_OK : TCPD_EXIT_USAGE;
	}

	rc = run(&a);
	force_quit = true;
	if (stop_signal != 0) {
		printf("dpdk-tcpd: stopping on %s\n", signal_name(stop_signal));
		fflush(stdout);
	}
	tcpd_telemetry_unregister();
	if (a.port_started) {
		a.control.port_id = a.cfg.port_id;
		a.control.out = stdout;
		tcpd_control_print_port(&a.control);
		tcpd_port_close(a.cfg.port_id);
	}
	if (a.workers[0] != NULL) {
		a.control.workers = a.workers;
		a.control.nb_workers = a.nb_workers;
		a.control.out = stdout;
		tcpd_control_print_totals(&a.control);
	}
	free_all(&a);
	rte_eal_cleanup();
	return rc;
}
