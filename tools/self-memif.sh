#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# dpdk-tcpd against itself in two processes over net_memif (issue 12): a server process
# (http on 80, echo on 7) and a client-mode process joined by one memif pair, each on its own
# CPU. Two bounded loads, each against a fresh server: CONNS HTTP connections (2 requests each),
# then CONNS echo connections (2 requests of 100 B). For each, the client's final report must
# show 0 failures and counts equal to the server's (its /tcpd/stats read through telemetry):
# connections, requests, payload bytes each way. The client runs with --linger 1 so that the
# server is read and stopped while its peer is still there: DPDK 22.11's memif PMD can crash a
# process whose peer goes away while it polls (docs/PERFORMANCE.md, "memif faults").
#
#   tools/self-memif.sh [build dir]        (root; CONNS=20000 by default)
#
# memif needs EAL's multi-process channel (no --no-shconf) and, in practice, 2 MiB hugepages:
# the script sets nr_hugepages to 256 (plus what is there already) on a hugetlbfs mount of
# its own (in a private mount namespace, files unlinked once mapped) and puts the previous
# count back when it ends. Not in CI (hugepages); exits 77
# (skip) with the reason when something it needs is missing. Exit 0: every check passed.
set -u
# A mount namespace of our own: the hugetlbfs mount below must not be copied into the
# namespaces other jobs create meanwhile (ip netns exec), where it would keep the pages.
if [ -z "${TCPD_SELF_MEMIF_NS:-}" ] && command -v unshare >/dev/null; then
	TCPD_SELF_MEMIF_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
TCPD=$build/app/dpdk-tcpd/dpdk-tcpd
CONNS=${CONNS:-20000}
SRV_CPU=${SRV_CPU:-1}
CLI_CPU=${CLI_CPU:-0}
skip() {
	echo "SKIP: $*"
	exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (hugepages, hugetlbfs mount)"
[ -x "$TCPD" ] || skip "no $TCPD (build first: tools/build.sh)"
command -v dpdk-telemetry.py >/dev/null || skip "dpdk-telemetry.py not installed"
HP=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
[ -w "$HP" ] || skip "no 2 MiB hugepages in this kernel"

work=$(mktemp -d /tmp/tcpd-self-memif.XXXXXX)
sock=$work/memif.sock
huge=$work/huge
prev=$(cat "$HP")
spid=
fails=0
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	# Stop the server first (DPDK 22.11's memif can fault if a peer leaves while it polls).
	if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
		kill -INT "$spid"
		for _ in $(seq 1 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$spid" 2>/dev/null
	fi
	umount "$huge" 2>/dev/null
	echo "$prev" >"$HP"
	rm -rf /var/run/dpdk/tcpd-self-s /var/run/dpdk/tcpd-self-c
	echo "# hugepages back to $(cat "$HP") (were $prev); logs in $work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo $((prev + 256)) >"$HP"
[ "$(cat "$HP")" -ge $((prev + 256)) ] || skip "could not reserve 256 hugepages (got $(cat "$HP"))"
mkdir -p "$huge"
mount -t hugetlbfs -o pagesize=2M nodev "$huge" || skip "cannot mount hugetlbfs"

check() { # check DESCRIPTION EXPECTED GOT
	if [ "$2" = "$3" ]; then
		echo "ok   $1: $3"
	else
		echo "FAIL $1: expected $2, got $3"
		fails=$((fails + 1))
	fi
}

# stat KEY: one counter of the server's /tcpd/stats. The server answers null until its
# workers run (they start once the memif link is up, with the first client): 0 then.
stat() {
	echo /tcpd/stats | timeout 10 dpdk-telemetry.py -f tcpd-self-s 2>&1 | python3 -c '
import json, sys
for line in sys.stdin:
    if line.startswith("{"):
        d = json.loads(line).get("/tcpd/stats")
        print(0 if d is None else d[sys.argv[1]])
        break
else:
    print("no-telemetry-reply")' "$1"
}

# stop_pid PID: SIGINT, then SIGKILL after 5 s. @return its exit status
stop_pid() {
	kill -INT "$1" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
	wait "$1"
}

start_server() {
	rm -f "$sock"
	taskset -c "$SRV_CPU" "$TCPD" -l "$SRV_CPU" --file-prefix=tcpd-self-s --socket-mem=128 \
		--huge-dir="$huge" --huge-unlink --no-pci --log-level=lib.eal:error \
		--vdev="net_memif0,role=server,id=0,socket=$sock,socket-abstract=no,rsize=13,mac=02:00:00:00:00:01" \
		-- --port 0 --ip 198.18.0.1/15 --listen 80:http,7:echo --max-conns $((CONNS + 4096)) \
		--stats-interval 0 >"$work/server-$1.out" 2>&1 &
	spid=$!
	for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
	[ -S "$sock" ] || {
		cat "$work/server-$1.out"
		skip "the server did not create its memif socket"
	}
	sleep 1
}

# run NAME TARGET EXTRA...: one bounded load against a fresh server; compares the client's
# report with the server's counters, read before either process stops.
run() {
	local name=$1 target=$2 rep=$work/$1.jsonl cpid f crc
	shift 2
	start_server "$name"
	echo "# $name: $CONNS connections to $target, 2 requests each $*"
	taskset -c "$CLI_CPU" "$TCPD" -l "$CLI_CPU" \
		--file-prefix=tcpd-self-c --socket-mem=128 --huge-dir="$huge" --huge-unlink --no-pci \
		--log-level=lib.eal:error \
		--vdev="net_memif0,role=client,id=0,socket=$sock,socket-abstract=no,rsize=13,mac=02:00:00:00:00:02" \
		-- --port 0 --ip 198.18.0.2/15 --connect "$target" --src-ip 198.18.1.0-198.18.1.15 \
		--cps "$CONNS" --duration 1 --requests 2 --concurrency "$CONNS" --drain 5 \
		--max-conns $((CONNS + 4096)) --stats-interval 0 --report "$rep" --linger 1 "$@" \
		>"$work/$name.out" 2>&1 &
	cpid=$!
	for _ in $(seq 1 600); do
		grep -q "lingering until SIGINT" "$work/$name.out" 2>/dev/null && break
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.1
	done
	f=$(tail -1 "$rep" 2>/dev/null)
	get() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d.get(sys.argv[2], d.get("counters", {}).get(sys.argv[2])))' "$f" "$1"; }
	if ! grep -q '"final": *true' <<<"$f"; then
		echo "FAIL $name: no final client report"
		tail -20 "$work/$name.out"
		fails=$((fails + 1))
	else
		check "$name client connections completed" "$CONNS" "$(get completed)"
		check "$name client failures" 0 "$(get failed)"
		check "$name client responses" $((2 * CONNS)) "$(get responses)"
		check "$name server connections opened" "$CONNS" "$(stat conn_opened)"
		[ "$name" = http ] &&
			check "$name server requests answered = client responses" "$(get responses)" \
				"$(stat http_requests)"
		check "$name bytes server -> client (server sent = client received)" \
			"$(stat data_tx_bytes)" "$(get rx_payload)"
		check "$name bytes client -> server (client sent = server received)" \
			"$(get tx_payload)" "$(stat data_rx_bytes)"
		check "$name server retransmissions" 0 "$(stat retransmit)"
	fi
	# The server first, then its peer.
	stop_pid "$spid"
	check "$name server exit status" 0 "$?"
	spid=
	stop_pid "$cpid"
	crc=$?
	check "$name client exit status (the load's)" 0 "$crc"
}

run http 198.18.0.1:80:http
run echo 198.18.0.1:7:echo --payload 100
[ "$fails" = 0 ] && echo "PASS: dpdk-tcpd against itself over memif, counts equal on both sides"
exit $((fails != 0))
