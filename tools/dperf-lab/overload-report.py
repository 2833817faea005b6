#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Per-second table and per-phase summary of an overload.sh run directory.

    overload-report.py OUTDIR [--seconds] [--capacity CPS] [--json]

Client columns come from dperf's per-second blocks (cli-N.log, each line time-stamped by
overload.sh): skOpen (connections launched), http2XX (completed: response received, the
goodput), and its failure counters (synRt SYN retransmissions, finRt FIN retransmissions, rstRx
RSTs received, skErr sockets given up, tcpDrop, httpErr). Server columns are differences of
consecutive tcpd-sample.py lines (samples.jsonl) and its gauges (live, LAST-ACK, TIME-WAIT).
Rows are wall seconds from the start of phase 1. srvCPU/cliCPU: share of one CPU each process
got that second (cpu-series.txt), load: 1-minute load average. wrkCPU: the server's main thread
alone, which is the worker in both servers (dpdk-tcpd with one lcore, dperf's lcore 0); dperf's
control thread polls the clock with usleep(50-500) and takes about 0.006 of a CPU by itself,
which srvCPU counts and a cost per connection should not. stall1ms: dpdk-tcpd's poll iterations
longer than 1 ms per second (stall_1ms: preemption or a long walk). busy: the share of the server's worker
that did work (a poll-mode worker is always on the CPU): dpdk-tcpd's busy_cycles / TSC rate
(samples.jsonl), dperf's own cpuUsage (its srv.log, time-stamped by overload.sh); both count a
poll iteration's cycles when it moved a packet.

The phase summary takes each phase's steady window: the last `duration` client seconds that
launched connections (after dperf's wait and slow start), and gives means per second.
"""
import json
import os
import re
import statistics
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*m")
PAIR = re.compile(r"([A-Za-z0-9()]+)\s+(-?[0-9][0-9,]*(?:\.[0-9]+)?)")
CLI = ["skOpen", "http2XX", "synRt", "finRt", "rstRx", "skErr", "tcpDrop", "httpErr", "dropTx"]
SRV = ["conn_opened", "http_requests", "closing_reclaimed", "idle_reclaimed", "stalled_reclaimed",
       "time_wait_evicted", "table_full",
       "challenge_ack", "rto_timeout", "cookie_no_room", "rst_tx", "cookie_ok", "tx_drop",
       "stall_1ms", "syn_shed", "syn_shed_refused", "rx_backlog"]
GAUGE = ["live", "last_ack", "time_wait", "fin_wait_1", "established"]
SHORT = {"conn_opened": "new", "http_requests": "http", "closing_reclaimed": "reclaim",
         "idle_reclaimed": "idleRcl", "stalled_reclaimed": "stallRcl",
         "time_wait_evicted": "twEvict", "table_full": "tblFull", "challenge_ack": "chAck",
         "rto_timeout": "rtoTo", "cookie_no_room": "noRoom", "rst_tx": "rstTx",
         "cookie_ok": "ckOk", "tx_drop": "txDrop", "stall_1ms": "stall1ms",
         "syn_shed": "synShed", "syn_shed_refused": "synRefused", "rx_backlog": "deep", "last_ack": "LASTACK", "time_wait": "TW",
         "fin_wait_1": "FW1", "established": "EST"}


def parse_client(path):
    """[(time, {key: value}), ...] for dperf's 'seconds N' blocks."""
    blocks, cur = [], None
    with open(path, errors="replace") as f:
        for line in f:
            line = ANSI.sub("", line)
            ts, _, rest = line.partition(" ")
            try:
                t = float(ts)
            except ValueError:
                continue
            if rest.startswith("seconds "):
                cur = {"_t": t}
                blocks.append(cur)
            elif rest.startswith("Total Numbers"):
                cur = None
                continue
            if cur is None:
                continue
            for k, v in PAIR.findall(rest):
                v = v.replace(",", "")
                cur[k] = float(v) if "." in v else int(v)
    return blocks


def load(out):
    meta = open(os.path.join(out, "meta.txt")).read()
    phases = []
    for m in re.finditer(r"phase (\d+) rate=(\S+) secs=(\d+) client pid=\d+ start=(\S+) load=(\S+)",
                         meta):
        n = int(m.group(1))
        path = os.path.join(out, f"cli-{n}.log")
        phases.append(dict(n=n, rate=m.group(2), secs=int(m.group(3)), t0=float(m.group(4)),
                           load=float(m.group(5)),
                           blocks=parse_client(path) if os.path.exists(path) else []))
    samples = []
    with open(os.path.join(out, "samples.jsonl")) as f:
        for line in f:
            try:
                d = json.loads(line)
                if d.get("stats") and d.get("conns"):
                    samples.append(d)
            except ValueError:
                pass
    srv = os.path.join(out, "srv.log")
    srv_blocks = parse_client(srv) if os.path.exists(srv) else []
    cpu = []
    if os.path.exists(os.path.join(out, "cpu-series.txt")):
        for line in open(os.path.join(out, "cpu-series.txt")):
            w = [x for x in line.split() if x.startswith("w:")]
            p = [x for x in line.split() if not x.startswith("w:")]
            wt = w[0].split(":")[1:] if w else []
            if len(p) >= 4:
                cpu.append((float(p[0]), float(p[1]), int(p[2]) + int(p[3]),
                            p[4] if len(p) > 4 else "0",
                            int(p[5]) + int(p[6]) if len(p) > 6 else None,
                            int(wt[0]) + int(wt[1]) if len(wt) == 2 else None))
    return meta, phases, samples, cpu, srv_blocks


def rows_of(phases, samples, cpu, srv_blocks):
    T0 = phases[0]["t0"]
    rows = {}

    def row(t):
        return rows.setdefault(int(t - T0), {})

    for ph in phases:
        for b in ph["blocks"]:
            r = row(b["_t"])
            r["phase"] = ph["n"]
            r["csec"] = b.get("seconds")
            for k in CLI:
                r[k] = r.get(k, 0) + b.get(k, 0)
    for a, b in zip(samples, samples[1:]):
        dt = b["t"] - a["t"]
        r = row(b["t"])
        for k in SRV:
            r[k] = (b["stats"].get(k, 0) - a["stats"].get(k, 0)) / dt
        if b.get("tsc_hz") and "busy_cycles" in b["stats"]:
            r["busy"] = (b["stats"]["busy_cycles"] - a["stats"].get("busy_cycles", 0)) / \
                b["tsc_hz"] / dt
        r["live"] = b["conns"]["live"]
        for k in GAUGE[1:]:
            r[k] = b["conns"]["total"].get(k, 0)
    for b in srv_blocks:  # dperf's server: its own busy share, in percent
        if "cpuUsage" in b:
            row(b["_t"])["busy"] = b["cpuUsage"] / 100
    tck = os.sysconf("SC_CLK_TCK")
    for a, b in zip(cpu, cpu[1:]):
        dt = b[0] - a[0]
        r = row(b[0])
        r["load"] = b[1]
        r["srvCPU"] = (b[2] - a[2]) / tck / dt
        if a[5] is not None and b[5] is not None:
            r["wrkCPU"] = (b[5] - a[5]) / tck / dt
        if a[3] == b[3] and a[4] is not None and b[4] is not None and b[3] != "0":
            r["cliCPU"] = (b[4] - a[4]) / tck / dt
    return rows


def fmt(v, w):
    if v is None:
        return f"{'-':>{w}}"
    if isinstance(v, float) and v < 10 and v != int(v):
        return f"{v:>{w}.2f}"
    return f"{v:>{w}.0f}"


def main():
    out = sys.argv[1]
    cap = None
    if "--capacity" in sys.argv:
        cap = float(sys.argv[sys.argv.index("--capacity") + 1])
    meta, phases, samples, cpu, srv_blocks = load(out)
    rows = rows_of(phases, samples, cpu, srv_blocks)
    cols = ["phase", "csec"] + CLI[:-1] + [k for k in SRV if k not in ("cookie_ok",)] + GAUGE[:3] + \
        ["srvCPU", "busy", "cliCPU", "load"]
    if "--seconds" in sys.argv:
        print(" ".join(f"{'s':>4}" if False else "" for _ in []) +
              f"{'s':>4}" + "".join(f"{SHORT.get(c, c):>9}" for c in cols))
        for s in sorted(rows):
            r = rows[s]
            print(f"{s:>4}" + "".join(fmt(r.get(c), 9) for c in cols))
    summary = []
    for ph in phases:
        # steady window: the last `secs` client seconds that launched connections (dperf stops
        # launching when the duration ends; its slow start comes before)
        launching = [b.get("seconds", -1) for b in ph["blocks"] if b.get("skOpen", 0) > 0]
        if not launching:
            continue
        last = max(launching)
        win = [b for b in ph["blocks"] if last - ph["secs"] < b.get("seconds", -1) <= last]
        if not win:
            continue
        t_a, t_b = win[0]["_t"] - 1, win[-1]["_t"]
        srow = [rows[s] for s in sorted(rows) if t_a - phases[0]["t0"] <= s <= t_b - phases[0]["t0"]]
        d = dict(phase=ph["n"], rate=ph["rate"], secs=ph["secs"], n=len(win))
        for k in CLI:
            d[k] = statistics.mean(b.get(k, 0) for b in win)
        d["http2XX_median"] = statistics.median(b.get("http2XX", 0) for b in win)
        d["http2XX_min"] = min(b.get("http2XX", 0) for b in win)
        for k in SRV:
            v = [r[k] for r in srow if k in r]
            d[k] = statistics.mean(v) if v else None
        for k in GAUGE:
            v = [r[k] for r in srow if k in r]
            d[k + "_max"] = max(v) if v else None
        for k in ("srvCPU", "wrkCPU", "busy", "cliCPU", "load"):
            v = [r[k] for r in srow if r.get(k) is not None]
            d[k] = statistics.mean(v) if v else None
        if cap:
            d["goodput_of_capacity"] = d["http2XX"] / cap
        d["per_srv_cpu_s"] = d["http2XX"] / d["srvCPU"] if d["srvCPU"] else None
        d["per_wrk_cpu_s"] = d["http2XX"] / d["wrkCPU"] if d["wrkCPU"] else None
        d["per_busy_cpu_s"] = d["http2XX"] / d["busy"] if d["busy"] else None
        summary.append(d)
    if "--json" in sys.argv:
        json.dump(summary, sys.stdout, indent=1)
        print()
        return
    print(f"{out}: {meta.splitlines()[0]}")
    for d in summary:
        e = " ".join(f"{k}={d[k]:.0f}" for k in CLI[2:] if d[k])
        s = " ".join(f"{SHORT.get(k, k)}={d[k]:.0f}" for k in SRV[2:]
                     if d[k] and k not in ("cookie_ok",))
        g = " ".join(f"{SHORT.get(k, k)}max={d[k + '_max']}" for k in GAUGE[:3])
        cp = f" ({100 * d['goodput_of_capacity']:.0f} % of capacity)" if cap else ""
        print(f"phase {d['phase']} cps {d['rate']} {d['secs']} s, window {d['n']} s: "
              f"launched {d['skOpen']:.0f}/s, http2XX mean {d['http2XX']:.0f}/s median "
              f"{d['http2XX_median']:.0f} min {d['http2XX_min']:.0f}{cp}; client errors/s: {e or '-'}; "
              f"server/s: new {d['conn_opened'] or 0:.0f} {s or ''}; {g}; srvCPU "
              f"{fmt(d['srvCPU'], 4)} cliCPU {fmt(d['cliCPU'], 4)} load {fmt(d['load'], 4)}; "
              f"http2XX per server CPU-second {fmt(d['per_srv_cpu_s'], 0)}, per worker-thread "
              f"CPU-second {fmt(d['per_wrk_cpu_s'], 0)} (wrkCPU {fmt(d['wrkCPU'], 4)}), per "
              f"busy CPU-second {fmt(d['per_busy_cpu_s'], 0)} (busy {fmt(d['busy'], 4)})")
    m = re.findall(r"^(server.*|.*died.*|.*gone.*|watchdog.*)$", meta, re.M)
    for line in m:
        print("  " + line)


if __name__ == "__main__":
    main()
