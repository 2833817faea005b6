#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Overload run for side-by-side measurement with dperf's client (out of tree: see README.md).
# One dpdk-tcpd server stays up through consecutive dperf client phases, so what the overload
# leaves in its table meets the next phase's connections (dperf reuses the same tuples):
#
#   overload.sh OUTDIR RATE:SECONDS [RATE:SECONDS ...]    e.g. overload.sh /tmp/o 1m:20 100k:12
#
# Each phase is one dperf client process (the lab's conf/dperf-client-cps.conf with `cps RATE`
# and `duration SECONDS`; dperf adds 3 s wait + 10 s slow start before and about 4 s of drain
# after). The server is sampled each second through telemetry (tcpd-sample.py, samples.jsonl);
# both processes' CPU time and the load average each second go to cpu-series.txt. The server is
# stopped (SIGINT) after the last phase, so its exit totals are in srv.log.
#
# Environment: SERVER (tcpd, or dperf for dperf's own server as the comparison), LAB (the dperf lab folder, default /work/shared/peers/dperf-lab), DPERF, TCPD,
# TCPD_ARGS (extra dpdk-tcpd options), SRV_CPU (1), SRV_LCORES (dpdk-tcpd's -l, default SRV_CPU),
# CLI_CPU (0), SRV_NICE (0: a higher nice
# value gives the server a smaller share of a CPU it shares with the client), CLIENT_CONF, GAP (seconds between phases, default 2),
# CLIENT_ADDRS (client addresses from 198.18.0.2, default 32: dperf needs cps x 2 s sockets,
# 65,535 per address, so 64 for 1.5m).
# Only the PIDs this script starts are signalled.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${LAB:-/work/shared/peers/dperf-lab}
DPERF=${DPERF:-/tmp/dperf-lab/dperf/build/dperf}
TCPD=${TCPD:-$HERE/../../build/app/dpdk-tcpd/dpdk-tcpd}
CCONF=${CLIENT_CONF:-$LAB/conf/dperf-client-cps.conf}
SOCK=/tmp/dperf-lab/memif.sock
HUGEDIR=/tmp/dperf-lab/hugepages
SRV_CPU=${SRV_CPU:-1}; CLI_CPU=${CLI_CPU:-0}
out=$1; shift
mkdir -p "$out"
rm -f "$SOCK"

stop_pid() {
	local p=$1
	kill -INT "$p" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
	kill -TERM "$p" 2>/dev/null
	for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$p" 2>/dev/null
}
cleanup_dperf() { rm -f "$HUGEDIR"/dperf-"$1"map_* 2>/dev/null; rm -rf /var/run/dpdk/dperf-"$1" 2>/dev/null; }

memif_srv="net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no,rsize=13,mac=02:00:00:00:00:01"
if [ "${SERVER:-tcpd}" = dperf ]; then
	# dperf's own server (A), for comparison: its config with our CPU and client range; no
	# telemetry, so only the client's figures and the CPU series
	sed -E -e "s/^cpu( +).*/cpu\\1$SRV_CPU/" -e "s/^duration( +).*/duration\\1600s/" \
		-e "s/^client( +)(\\S+)( +).*/client\\1\\2\\3${CLIENT_ADDRS:-32}/" \
		"${SERVER_CONF:-$LAB/conf/dperf-server.conf}" > "$out/server.conf"
	# its per-second blocks time-stamped as the client's (cpuUsage: its busy share)
	taskset -c "$SRV_CPU" nice -n "${SRV_NICE:-0}" stdbuf -oL -eL "$DPERF" -c "$out/server.conf" \
		> >(python3 -u -c 'import sys,time
for l in sys.stdin: sys.stdout.write("%.3f %s" % (time.time(), l))' > "$out/srv.log") 2>&1 &
	spid=$!
else
	# shellcheck disable=SC2086
	# SRV_LCORES (default SRV_CPU): e.g. "0,1" puts the main lcore (control thread, EAL's
	# interrupt and telemetry threads) on CPU 0 and the one worker alone on SRV_CPU 1
	taskset -c "${SRV_LCORES:-$SRV_CPU}" nice -n "${SRV_NICE:-0}" stdbuf -oL -eL "$TCPD" -l "${SRV_LCORES:-$SRV_CPU}" --file-prefix=dltcpd --socket-mem=512 \
		--huge-dir="$HUGEDIR" --no-pci --vdev="$memif_srv" -- \
		--port 0 --ip 198.18.0.1/15 --listen 80:http --http-body-size 14 --stats-interval 1 \
		${TCPD_ARGS:-} > "$out/srv.log" 2>&1 &
	spid=$!
fi
echo "server ${SERVER:-tcpd} pid=$spid args=${TCPD_ARGS:-} phases=$*" > "$out/meta.txt"
echo "server cpu=$SRV_CPU nice=${SRV_NICE:-0} client cpu=$CLI_CPU" >> "$out/meta.txt"
# other real-time busy loops on the machine starve both sides (SCHED_FIFO beats CFS): note them
ps -eLo pid,psr,cls,rtprio,pcpu,comm | awk '($3=="FF" || $3=="RR") && $5 > 1' > "$out/rt-tasks.txt"
for _ in $(seq 1 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
sleep 1
sampid=
if [ "${SERVER:-tcpd}" = tcpd ]; then
	python3 "$HERE/tcpd-sample.py" --file-prefix dltcpd > "$out/samples.jsonl" 2> "$out/sample.err" &
	sampid=$!
else
	: > "$out/samples.jsonl"
fi
# per second: time, load1, server utime stime, client pid utime stime (client of the phase)
: > "$out/cpu-series.txt"
# the worker thread: the main one with a single lcore, else EAL's "rte-worker-N"
( while kill -0 "$spid" 2>/dev/null; do
	c=$(cat "$out/.cpid" 2>/dev/null)
	wt=$spid
	for t in /proc/"$spid"/task/*; do grep -Eq '^(rte|lcore)-worker' "$t/comm" 2>/dev/null && wt=${t##*/}; done
	echo "$(date +%s.%N) $(cut -d' ' -f1 /proc/loadavg) $(cut -d' ' -f14,15 /proc/"$spid"/stat 2>/dev/null) ${c:-0} $( [ -n "$c" ] && cut -d' ' -f14,15 /proc/"$c"/stat 2>/dev/null) w:$(cut -d' ' -f14,15 /proc/"$spid"/task/"$wt"/stat 2>/dev/null | tr ' ' :)"
	sleep 1
  done >> "$out/cpu-series.txt" ) &
serpid=$!

n=0
for ph in "$@"; do
	n=$((n + 1))
	rate=${ph%%:*}; secs=${ph##*:}
	sed -E -e "s/^cps( +).*/cps\\1$rate/" -e "s/^duration( +).*/duration\\1${secs}s/" \
		-e "s/^client( +)(\\S+)( +).*/client\\1\\2\\3${CLIENT_ADDRS:-32}/" \
		-e "s/^cpu( +).*/cpu\\1$CLI_CPU/" "$CCONF" > "$out/client-$n.conf"
	kill -0 "$spid" 2>/dev/null || { echo "server gone before phase $n" >> "$out/meta.txt"; break; }
	date +%s.%N > "$out/t0-$n"
	# each line of dperf's output prefixed with the wall time it was read (to align with samples)
	taskset -c "$CLI_CPU" stdbuf -oL -eL "$DPERF" -c "$out/client-$n.conf" \
		> >(python3 -u -c 'import sys,time
for l in sys.stdin: sys.stdout.write("%.3f %s" % (time.time(), l))' > "$out/cli-$n.log") 2>&1 &
	cpid=$!
	echo "$cpid" > "$out/.cpid"
	echo "phase $n rate=$rate secs=$secs client pid=$cpid start=$(cat "$out/t0-$n") load=$(cut -d' ' -f1 /proc/loadavg)" >> "$out/meta.txt"
	( sleep $((secs + 40)); kill -0 "$cpid" 2>/dev/null && { echo "watchdog: client $n stopped" >> "$out/meta.txt"; stop_pid "$cpid"; } ) &
	wdpid=$!
	wait "$cpid"; echo "phase $n client rc=$? end=$(date +%s.%N)" >> "$out/meta.txt"
	kill "$wdpid" 2>/dev/null; wait "$wdpid" 2>/dev/null
	rm -f "$out/.cpid"
	cleanup_dperf "$cpid"
	kill -0 "$spid" 2>/dev/null || echo "server died after phase $n (client disconnect?)" >> "$out/meta.txt"
	sleep "${GAP:-2}"
done
stop_pid "$spid"
wait "$spid"; echo "server rc=$?" >> "$out/meta.txt"
[ -n "$sampid" ] && wait "$sampid" 2>/dev/null
[ "${SERVER:-tcpd}" = dperf ] && cleanup_dperf "$spid"
kill "$serpid" 2>/dev/null; wait "$serpid" 2>/dev/null
rm -f "$SOCK"
