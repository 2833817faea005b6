/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One daemon per EAL --file-prefix. With --no-shconf (which the test lab uses) EAL lets a second
 * primary process start on a prefix in use: its telemetry socket then becomes
 * dpdk_telemetry.v2:1, which dpdk-telemetry.py and tools/tcpd-stat never read, and both
 * daemons look like one. A live telemetry socket at <runtime dir>/dpdk_telemetry.v2 means a
 * process owns the prefix: connecting to it succeeds, and its greeting names its pid
 * ({"version": ..., "pid": N, ...}); a stale socket (a killed process) refuses the connection.
 *
 * The check runs twice: before rte_eal_init on the path EAL will use (so that a second daemon
 * probes no device: a net_pcap tx_pcap file would be truncated), and after it on
 * rte_eal_get_runtime_dir(), which also catches what the first check cannot see (an abbreviated
 * --file-pre option, or two daemons started in the same instant: exactly one gets the socket).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "tcpd_app.h"

#define TELEMETRY_SOCKET "dpdk_telemetry.v2"

int
tcpd_instance_probe(const char *path, long *pid)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 1, .tv_usec = 0};
	char buf[512], *p;
	ssize_t n;
	int fd;

	*pid = -1;
	if (strlen(path) >= sizeof(sun.sun_path))
		return 0;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		/* ENOENT: nobody; ECONNREFUSED: a stale socket, which EAL replaces. */
		close(fd);
		return 0;
	}
	/* Live. The greeting carries the pid (a server at its client limit closes instead). */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		p = strstr(buf, "\"pid\":");
		if (p != NULL)
			*pid = strtol(p + 6, NULL, 10);
	}
	return 1;
}

/*
 * The telemetry socket path EAL 22.11 will use (eal_create_runtime_dir): $RUNTIME_DIRECTORY, else
 * /var/run for root, else $XDG_RUNTIME_DIR or /tmp; then dpdk/<file-prefix>, "rte" by default.
 * --file-prefix=P and --file-prefix P are seen here, also abbreviated as getopt_long accepts
 * them (no other EAL option starts with "--fi"); EAL's getopt takes the last one. The check
 * after rte_eal_init remains for what this reading could miss.
 */
void
tcpd_instance_socket_path(int argc, char **argv, char *buf, size_t len)
{
	const char *dir = getenv("RUNTIME_DIRECTORY"), *prefix = "rte";
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t n = eq != NULL ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (n < 4 || n > 13 || strncmp(argv[i], "--file-prefix", n) != 0)
			continue;
		if (eq != NULL)
			prefix = eq + 1;
		else if (i + 1 < argc)
			prefix = argv[++i];
	}
	if (dir == NULL) {
		dir = getuid() == 0 ? "/var/run" : getenv("XDG_RUNTIME_DIR");
		if (dir == NULL)
			dir = "/tmp";
	}
	snprintf(buf, len, "%s/dpdk/%s/%s", dir, prefix, TELEMETRY_SOCKET);
}

int
tcpd_instance_check(const char *path, FILE *err)
{
	char who[64];
	long pid;

	if (!tcpd_instance_probe(path, &pid) || pid == (long)getpid())
		return 0;
	if (pid > 0)
		snprintf(who, sizeof(who), "pid %ld", pid);
	else
		snprintf(who, sizeof(who), "a process (pid unknown)");
	fprintf(err,
		"dpdk-tcpd: already running with this --file-prefix: %s answers on %s; stop it "
		"or choose another --file-prefix\n",
		who, path);
	return -1;
}

void
tcpd_instance_runtime_socket(const char *runtime_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", runtime_dir, TELEMETRY_SOCKET);
}
