#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Interleaved overload runs: for each repetition, for each multiple of the capacity, one
# overload.sh run "MULTIPLE x CAPACITY for OVER_SECS, then AFTER_RATE for AFTER_SECS".
#
#   overload-matrix.sh OUTROOT REPS CAPACITY MULT [MULT...]   e.g. ... /tmp/o 2 310000 1 2 5
#
# Environment: SERVERS ("tcpd", or "dperf tcpd" for A/B pairs), OVER_SECS (20), AFTER_RATE (half the capacity), AFTER_SECS (50), RT_WAIT (seconds
# (0: do not) to wait, before each run, for other SCHED_FIFO/RR busy tasks to end; default 600), and what
# overload.sh reads. CLIENT_ADDRS is raised to what dperf needs (cps x 2 s / 65,535 per address).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
root=$1; reps=$2; cap=$3; shift 3
mkdir -p "$root"
after=${AFTER_RATE:-$((cap / 2))}
rt_busy() { ps -eLo cls,pcpu | awk '($1=="FF" || $1=="RR") && $2 > 20 {n++} END {exit !n}'; }
for r in $(seq 1 "$reps"); do
	for m in "$@"; do
		rate=$(python3 -c "print(int(float('$m') * $cap))")
		addrs=$(python3 -c "import math; print(max(32, math.ceil($rate * 2 / 65535) + 1))")
		for srv in ${SERVERS:-tcpd}; do
		waited=0
		while [ "${RT_WAIT:-600}" -gt 0 ] && rt_busy && [ "$waited" -lt "${RT_WAIT:-600}" ]; do sleep 5; waited=$((waited + 5)); done
		out=$root/x$m-$srv-$r
		echo "$(date +%T) $out rate=$rate after=$after addrs=$addrs load=$(cut -d' ' -f1 /proc/loadavg) waited=${waited}s"
		SERVER=$srv CLIENT_ADDRS=$addrs "$HERE/overload.sh" "$out" "$rate:${OVER_SECS:-20}" "$after:${AFTER_SECS:-50}" > "$out.log" 2>&1
		python3 "$HERE/overload-report.py" "$out" --capacity "$cap" | tail -n +2
		done
	done
done
