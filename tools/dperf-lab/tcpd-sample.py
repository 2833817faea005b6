#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tcpd-sample: one JSON line per interval with dpdk-tcpd's counters and per-state gauges, read
through the DPDK telemetry socket (/tcpd/stats and /tcpd/conns), until the daemon exits or
--count lines are written. For the overload runs of tools/dperf-lab (side-by-side measurement
with a peer's client); stdlib only.

    tcpd-sample.py [--file-prefix P] [--interval 1] [--count N] > samples.jsonl

Each line: {"t": unix time, "tsc_hz": TSC rate, "stats": {...}, "conns": {...}}; counters are totals since start
(rates are differences of consecutive lines, see overload-report.py).
"""
import argparse
import json
import os
import socket
import sys
import time


def runtime_dir(prefix):
    base = os.environ.get("RUNTIME_DIRECTORY")
    if not base:
        base = "/var/run" if os.getuid() == 0 else os.environ.get("XDG_RUNTIME_DIR", "/tmp")
    return os.path.join(base, "dpdk", prefix)


def connect(prefix, wait):
    path = os.path.join(runtime_dir(prefix), "dpdk_telemetry.v2")
    deadline = time.time() + wait
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            s.connect(path)
            greeting = json.loads(s.recv(16384).decode())
            return s, int(greeting.get("max_output_len", 16384))
        except OSError:
            s.close()
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def query(s, maxlen, cmd):
    s.send(cmd.encode())
    data = s.recv(maxlen)
    if not data:
        raise OSError("telemetry socket closed")
    return json.loads(data.decode()).get(cmd.split(",")[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file-prefix", default="dltcpd")
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--wait", type=float, default=15.0, help="seconds to wait for the socket")
    a = ap.parse_args()
    s, maxlen = connect(a.file_prefix, a.wait)
    n = 0
    nxt = time.time()
    hz = None
    while a.count == 0 or n < a.count:
        try:
            t = time.time()
            st = query(s, maxlen, "/tcpd/stats")
            cn = query(s, maxlen, "/tcpd/conns")
            if hz is None:  # the TSC rate busy_cycles counts in (the same for every lcore)
                hz = next(iter((query(s, maxlen, "/tcpd/lcores") or {}).values()), {}).get("tsc_hz")
        except (OSError, ValueError):
            break
        print(json.dumps({"t": round(t, 3), "tsc_hz": hz, "stats": st, "conns": cn}), flush=True)
        n += 1
        nxt += a.interval
        time.sleep(max(0.0, nxt - time.time()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
