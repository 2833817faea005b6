#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Where an echo transfer of the impairment matrix stalled, from its two captures.

  tools/impair-gaps.py DIR/CELL.SIDE [--gap MS] [--context N]

reads DIR/CELL.SIDE.pcap (the client's end) and DIR/CELL.SIDE.srv.pcap (the server's side of
the relay), both written by tests/interop/test_impair.sh with IMPAIR_PCAP_DIR. The client's
segments are taken from the first and the server's from the second, where they were sent; a
segment missing from the other capture was dropped by the relay (marked X). For every gap over
--gap ms (default 40) in which neither side sent anything, the --context segments before it and
the two after are printed, with sequence and acknowledgement numbers relative to each side's
ISN. The server's RTOs are gaps that end with its retransmission, the client's those that end
with the client's; a gap of 40-45 ms that ends with the client's ACK of a single segment is
Linux's delayed ACK (on a loaded machine, a descheduled process makes gaps of that size too).
"""
import argparse
import subprocess

CLI, SRV = "198.18.0.2", "198.18.0.1"
FIELDS = ["frame.time_epoch", "ip.src", "tcp.seq_raw", "tcp.len", "tcp.ack_raw",
          "tcp.options.sack_le", "tcp.options.sack_re", "tcp.window_size",
          "tcp.options.timestamp.tsval", "tcp.flags"]


def load(path):
    cmd = ["tshark", "-o", "tcp.relative_sequence_numbers:FALSE", "-r", path, "-T", "fields",
           "-E", "separator=;"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    segs = []
    for line in out.splitlines():
        f = line.split(";")
        if len(f) < len(FIELDS) or not f[2]:
            continue
        segs.append(dict(t=float(f[0]), src=f[1], seq=int(f[2]), len=int(f[3] or 0),
                         ack=int(f[4] or 0), sle=f[5], sre=f[6], win=int(f[7] or 0),
                         tsv=f[8], fl=int(f[9], 16)))
    return segs


def key(p):
    return (p["src"], p["seq"], p["len"], p["ack"], p["tsv"], p["sle"], p["win"], p["fl"])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base", help="DIR/CELL.SIDE (without .pcap)")
    ap.add_argument("--gap", type=float, default=40, help="ms (default 40)")
    ap.add_argument("--context", type=int, default=12)
    a = ap.parse_args()
    cli, srv = load(a.base + ".pcap"), load(a.base + ".srv.pcap")
    seen_c, seen_s = {key(p) for p in cli}, {key(p) for p in srv}
    isn = {CLI: cli[0]["seq"]}
    isn[SRV] = next(p["seq"] for p in srv if p["src"] == SRV)
    t0 = cli[0]["t"]
    ev = sorted([(p["t"], p, key(p) in seen_s) for p in cli if p["src"] == CLI] +
                [(p["t"], p, key(p) in seen_c) for p in srv if p["src"] == SRV],
                key=lambda e: e[0])

    def rel(side, s):
        return (s - isn[side]) & 0xffffffff

    def fmt(e):
        t, p, ok = e
        who, oth = ("C", SRV) if p["src"] == CLI else ("S", CLI)
        s = "%.4f %s%s seq %d+%d ack %d win %d" % (
            t - t0, who, " " if ok else "X", rel(p["src"], p["seq"]), p["len"],
            rel(oth, p["ack"]), p["win"])
        if p["sle"]:
            s += " SACK " + " ".join("%d-%d" % (rel(oth, int(x)), rel(oth, int(y)))
                                     for x, y in zip(p["sle"].split(","), p["sre"].split(",")))
        return s + (" FIN" if p["fl"] & 1 else "")

    n = 0
    for i in range(1, len(ev)):
        if ev[i][0] - ev[i - 1][0] > a.gap / 1000 and ev[i][0] - t0 > 0.01:
            n += 1
            print("--- gap %.0f ms at %.4f" % ((ev[i][0] - ev[i - 1][0]) * 1000, ev[i - 1][0] - t0))
            for e in ev[max(0, i - a.context):i + 2]:
                print("   ", fmt(e))
    nc = [e for e in ev if e[1]["src"] == CLI]
    ns = [e for e in ev if e[1]["src"] == SRV]
    print("%d gaps > %g ms; client sent %d (%d dropped by the relay), server sent %d (%d dropped)"
          % (n, a.gap, len(nc), sum(1 for e in nc if not e[2]), len(ns),
             sum(1 for e in ns if not e[2])))


if __name__ == "__main__":
    main()
