#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tools/tcpd-chart self-test: a generated report (ramp, flat run, a latency spike, a few failures,
a drain) becomes a PNG of the requested size; a report without the final line still draws; bad
input is refused with status 1. Exit 77 (meson SKIP) when matplotlib is missing.

  test_tcpd_chart.py TOOL [KEEP_DIR]     KEEP_DIR: also keep the report and PNG there
"""

import json
import math
import os
import struct
import subprocess
import sys
import tempfile


def report_lines(final=True):
    ramp, dur, drain, cps = 5, 20, 3, 10000
    cfg = {"connect": "198.18.0.1:80:http", "cps": cps, "concurrency": 4000, "requests": 2,
           "ramp": ramp, "duration": dur, "lcores": 2, "src_ip": "198.18.1.0/28",
           "src_ports": "1024-65535"}
    tot = {"attempted": 0, "established": 0, "completed": 0, "failed": 0,
           "failed_syn_timeout": 0, "failed_bad_response": 0, "late": 0, "refused": 0}
    lines = []
    for t in range(1, ramp + dur + drain + 1):
        if t <= ramp:
            target = cps * (2 * t - 1) // (2 * ramp)  # the ramp's launches in (t - 1, t]
        elif t <= ramp + dur:
            target = cps
        else:
            target = 0
        spike = 1 if 14 <= t <= 15 else 0
        fails = 25 if t == 15 else 0
        got = max(target - fails, 0)
        tot["attempted"] += target
        tot["established"] += got
        tot["completed"] += got
        tot["failed"] += fails
        tot["failed_syn_timeout"] += fails
        tot["late"] += 3 * spike
        base = 40 + 5 * math.sin(t)
        row = {"t": t, "target_cps": target, "cps": got, "rps": 2 * got,
               "conc_syn_sent": target // 200 * (1 + 9 * spike),
               "conc_established": target // 5 * 10 // (10 - 4 * spike),
               "conc_closing": target // 20 if t <= ramp + dur else 300 // (t - ramp - dur),
               "retransmits": 10 * spike, "rst_sent": 0, "rst_rcvd": 0}
        row.update(tot)
        for m, k in (("connect", 1), ("first_byte", 2), ("response", 3)):
            if target == 0:
                for s in ("p50", "p90", "p99", "p999", "max"):
                    row[f"lat_{m}_{s}"] = None
                continue
            b = base * k * (1 + 30 * spike)
            row.update({f"lat_{m}_p50": b, f"lat_{m}_p90": 1.6 * b, f"lat_{m}_p99": 4 * b,
                        f"lat_{m}_p999": 9 * b, f"lat_{m}_max": 30 * b,
                        f"lat_{m}_count": target,
                        f"lat_{m}_sched_p99": 4 * b * (1 + 2 * spike)})
        lines.append(json.dumps(row))
    if final:
        f = {"final": True, "t": ramp + dur + drain, "config": cfg, "exit_status": 1,
             "cps": tot["established"] / (ramp + dur), "rps": 2 * tot["completed"] / (ramp + dur)}
        f.update(tot)
        for m, k in (("connect", 1), ("first_byte", 2), ("response", 3)):
            f.update({f"lat_{m}_p50": 41.0 * k, f"lat_{m}_p90": 66.0 * k,
                      f"lat_{m}_p99": 170.0 * k, f"lat_{m}_p999": 9000.0 * k,
                      f"lat_{m}_max": 40000.0 * k})
        lines.append(json.dumps(f))
    return "\n".join(lines) + "\n"


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise AssertionError(f"{path}: not a PNG")
    return struct.unpack(">II", head[16:24])


def run(tool, *args, stdin=None):
    return subprocess.run([tool, *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def main():
    tool = sys.argv[1]
    keep = sys.argv[2] if len(sys.argv) > 2 else None
    failures = 0
    with tempfile.TemporaryDirectory(prefix="tcpd_chart_") as d:
        rep = os.path.join(d, "load.jsonl")
        with open(rep, "w") as f:
            f.write(report_lines())
        r = run(tool, rep, "--width", "1200", "--height", "1000")
        if r.returncode == 3 and "matplotlib" in r.stderr:
            print("SKIP: " + r.stderr.strip())
            return 77
        png = os.path.join(d, "load.png")
        cases = []
        cases.append(("full report, default output name", r, png, (1200, 1000)))
        png2 = os.path.join(d, "partial.png")
        r2 = run(tool, "-", "-o", png2, "--width", "800", "--height", "600",
                 "--latency", "connect", stdin=report_lines(final=False))
        cases.append(("no final line, stdin, connect latency", r2, png2, (800, 600)))
        for name, res, path, size in cases:
            ok = res.returncode == 0 and os.path.exists(path)
            if ok:
                got = png_size(path)
                ok = got == size and os.path.getsize(path) > 20000
                detail = f"{got[0]}x{got[1]}, {os.path.getsize(path)} bytes"
            else:
                detail = f"status {res.returncode}: {res.stderr.strip()}"
            print(f"{'ok' if ok else 'FAIL'}: {name}: {detail}")
            failures += not ok
        bad = os.path.join(d, "bad.jsonl")
        with open(bad, "w") as f:
            f.write('{"t": 1, "cps": 5}\nnot json\n')
        r3 = run(tool, bad, "-o", os.path.join(d, "bad.png"))
        ok = r3.returncode == 1 and "bad.jsonl:2" in r3.stderr
        print(f"{'ok' if ok else 'FAIL'}: bad line refused: {r3.stderr.strip()}")
        failures += not ok
        r4 = run(tool, os.path.join(d, "missing.jsonl"))
        ok = r4.returncode == 1
        print(f"{'ok' if ok else 'FAIL'}: missing file: {r4.stderr.strip()}")
        failures += not ok
        if keep:
            os.makedirs(keep, exist_ok=True)
            for p in (rep, png, png2):
                if os.path.exists(p):
                    with open(p, "rb") as src, open(os.path.join(keep, os.path.basename(p)),
                                                    "wb") as dst:
                        dst.write(src.read())
    print(f"{4 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
