#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Instructions per connection in the memif lab, deterministic (callgrind counts instructions, so
# a machine shared with others gives the same figures): one server under callgrind, dperf's
# client (the lab's conf/dperf-client-cps.conf, 5 s, at RATE), then the inclusive instructions of
# the functions a connection runs, per completed connection:
#
#   callgrind.sh OUTDIR tcpd|dperf [dpdk-tcpd options...]    e.g. ... /tmp/cg tcpd --http-max-requests 1
#
# Both servers poll, and an empty poll is not a connection's cost, so the total says little;
# the table splits what each connection costs: the processing of its segments (dpdk-tcpd's
# tcpd_worker_process: parse, table, TCP, http; dperf's tcp_server_process: TCP and http, its
# Ethernet and IPv4 input being inlined in its loop, not counted), the memif PMD's TX, and
# dperf's mbuf frees (dpdk-tcpd reuses a segment's mbuf for its answer). The memif PMD's RX is
# the same code for both and is mostly empty polls here: not split. dpdk-tcpd runs without
# hugepages (memif makes its own shared regions); dperf needs the lab's (setup.sh up).
# Environment: DPERF, TCPD, LAB, RATE (2k). Client on CPU 0, server on CPU 1; about a minute.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${LAB:-/work/shared/peers/dperf-lab}
DPERF=${DPERF:-/tmp/dperf-lab/dperf/build/dperf}
TCPD=${TCPD:-$HERE/../../build/app/dpdk-tcpd/dpdk-tcpd}
SOCK=/tmp/dperf-lab/memif.sock
out=$1 srv=$2
shift 2
mkdir -p "$out"
memif="net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no,rsize=13,mac=02:00:00:00:00:01"

for rate in ${RATE:-2k}; do
	rm -f "$SOCK"
	sed -E -e "s/^cps( +).*/cps\\1$rate/" -e "s/^duration( +).*/duration\\15s/" \
		-e "s/^cpu( +).*/cpu\\10/" "$LAB/conf/dperf-client-cps.conf" > "$out/client-$rate.conf"
	if [ "$srv" = dperf ]; then
		sed -E -e "s/^duration( +).*/duration\\1120s/" "$LAB/conf/dperf-server.conf" \
			> "$out/server.conf"
		# the loop only: start-up (its socket tables) is not a connection's cost
		taskset -c 1 valgrind --tool=callgrind --collect-atstart=no \
			--toggle-collect=tcp_server_run_loop_ipv4 --callgrind-out-file="$out/cg-$rate" \
			"$DPERF" -c "$out/server.conf" > "$out/server-$rate.log" 2>&1 &
	else
		taskset -c 1 valgrind --tool=callgrind --collect-atstart=no \
			--toggle-collect=tcpd_worker_poll --callgrind-out-file="$out/cg-$rate" \
			"$TCPD" -l 1 --no-huge -m 512 --file-prefix=dlcg --no-pci --vdev="$memif" -- \
			--port 0 --ip 198.18.0.1/15 --listen 80:http --http-body-size 14 \
			--stats-interval 0 "$@" > "$out/server-$rate.log" 2>&1 &
	fi
	spid=$!
	for _ in $(seq 1 120); do [ -S "$SOCK" ] && break; sleep 1; done
	sleep 2
	timeout 120 taskset -c 0 "$DPERF" -c "$out/client-$rate.conf" > "$out/client-$rate.log" 2>&1
	kill -INT "$spid"
	wait "$spid"
	rm -f /tmp/dperf-lab/hugepages/dperf-* 2>/dev/null
done
python3 - "$out" "${RATE:-2k}" <<'PY'
import re, subprocess, sys
out, rate = sys.argv[1], sys.argv[2]
f = f"{out}/cg-{rate}"
incl = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", f],
                      capture_output=True, text=True).stdout
tree = subprocess.run(["callgrind_annotate", "--tree=calling", "--threshold=100", f],
                      capture_output=True, text=True).stdout
cli = open(f"{out}/client-{rate}.log").read().split("Total Numbers")[-1]
conns = int(re.search(r"http2XX +([\d,]+)", cli)[1].replace(",", ""))
pkts = re.search(r"pktRx +([\d,]+) +pktTx +([\d,]+)", cli)
print(f"connections {conns:,}; client segments received {pkts[1]}, sent {pkts[2]}")

def incl_of(name):
    m = re.search(r"^ *([\d,]+) .*[:\s]" + re.escape(name) + r" \[", incl, re.M)
    return int(m[1].replace(",", "")) if m else 0

def calls_to(callee_re):
    # a callee's inclusive cost over all its callers (the tree's "> callee" lines)
    return sum(int(m[1].replace(",", "")) for m in
               re.finditer(r"^ *([\d,]+) .*>\s+\S*(?:" + callee_re + r") \(", tree, re.M))

rows = [("processing (tcpd_worker_process)", incl_of("tcpd_worker_process")),
        ("processing (tcp_server_process)", incl_of("tcp_server_process")),
        ("memif TX (eth_memif_tx)", calls_to(r"eth_memif_tx|0x000000000000a860")),
        ("mbuf frees (rte_pktmbuf_free, _bulk)", incl_of("rte_pktmbuf_free") + incl_of("rte_pktmbuf_free_bulk"))]
for name, v in rows:
    if v:
        print(f"{name:40s} {v / conns:8,.0f} per connection")
PY
