#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Interleaved A/B runs, dperf's server (A) then dpdk-tcpd (B), one overload.sh phase each, with
# the same dperf client; then the per-run window means and B/A of completed connections per
# server CPU-second. Unlike the lab's ab.sh, the CPUs and the server's nice value are settable
# (SRV_CPU, CLI_CPU, SRV_NICE, read by overload.sh), for a machine where a CPU is taken.
#
#   side-by-side.sh OUTROOT REPS RATE:SECONDS       e.g. side-by-side.sh /tmp/sbs-cps 3 40k:8
#
# CLIENT_CONF picks the mode: the lab's conf/dperf-client-cps.conf (default: open loop, one GET
# per connection) or conf/dperf-client-cc.conf (closed loop, at most 1000 connections at a time).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
root=$1; reps=$2; phase=$3
mkdir -p "$root"
for r in $(seq 1 "$reps"); do
	for srv in ${SERVERS:-dperf tcpd}; do
		out=$root/$srv-$r
		echo "$(date +%T) $out load=$(cut -d' ' -f1 /proc/loadavg)"
		SERVER=$srv "$HERE/overload.sh" "$out" "$phase" > "$out.log" 2>&1
	done
done
REPORT=$HERE/overload-report.py python3 - "$root" "$reps" <<'EOF'
import json, os, statistics, subprocess, sys
root, reps = sys.argv[1], int(sys.argv[2])
res = {}
for r in range(1, reps + 1):
    for srv in ("dperf", "tcpd"):
        d = os.path.join(root, f"{srv}-{r}")
        if not os.path.isdir(d):
            continue
        out = subprocess.run([sys.executable, os.environ["REPORT"], d, "--json"],
                             capture_output=True, text=True).stdout
        try:
            s = json.loads(out)[0]
        except (ValueError, IndexError):
            continue
        res[(srv, r)] = s
        print(f"{srv}-{r}: http2XX {s['http2XX']:.0f}/s launched {s['skOpen']:.0f}/s srvCPU "
              f"{s['srvCPU'] or 0:.3f} cliCPU {s['cliCPU'] or 0:.3f} load {s['load'] or 0:.1f} "
              f"per srv CPU-s {s['per_srv_cpu_s'] or 0:.0f} wrkCPU {s.get('wrkCPU') or 0:.3f} "
              f"per worker CPU-s {s.get('per_wrk_cpu_s') or 0:.0f} busy {s.get('busy') or 0:.3f} "
              f"per busy CPU-s {s.get('per_busy_cpu_s') or 0:.0f}")
ratios, wratios, bratios = [], [], []
for r in range(1, reps + 1):
    a, b = res.get(("dperf", r)), res.get(("tcpd", r))
    if a and b and a.get("per_srv_cpu_s") and b.get("per_srv_cpu_s"):
        ratios.append(b["per_srv_cpu_s"] / a["per_srv_cpu_s"])
    if a and b and a.get("per_wrk_cpu_s") and b.get("per_wrk_cpu_s"):
        wratios.append(b["per_wrk_cpu_s"] / a["per_wrk_cpu_s"])
    if a and b and a.get("per_busy_cpu_s") and b.get("per_busy_cpu_s"):
        bratios.append(b["per_busy_cpu_s"] / a["per_busy_cpu_s"])
for srv in ("dperf", "tcpd"):
    v = [res[k]["per_srv_cpu_s"] for k in res if k[0] == srv and res[k].get("per_srv_cpu_s")]
    g = [res[k]["http2XX"] for k in res if k[0] == srv]
    if v:
        print(f"{srv}: median http2XX {statistics.median(g):.0f}/s, median per server CPU-s {statistics.median(v):.0f}")
if bratios:
    print("B/A per busy CPU-s (poll iterations that moved a packet) per pair: "
          + ", ".join(f"{x:.2f}" for x in bratios) + f" (median {statistics.median(bratios):.2f})")
if wratios:
    print("B/A per worker-thread CPU-s per pair: " + ", ".join(f"{x:.2f}" for x in wratios)
          + f" (median {statistics.median(wratios):.2f})")
if ratios:
    print("B/A per server CPU-s per pair: " + ", ".join(f"{x:.2f}" for x in ratios)
          + f" (median {statistics.median(ratios):.2f})")
EOF
