#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Helpers of the impairment matrix (test_impair.sh): the Linux servers that stand in for
dpdk-tcpd behind the same relay, an echo client that times a transfer and checks it by SHA-256,
and the summary of the HTTP timings.

  serve --seconds S [--echo-port 7] [--http-port 80] [--http-body-size N]
      echo (RFC 862) and a keep-alive HTTP/1.1 server answering every request with the daemon's
      body (tlab.expected_body) and Content-Length, like dpdk-tcpd's --listen 7:echo,80:http;
      exits by itself after S seconds.
  echo --bytes N --seed S --timeout T
      N bytes (from a PRNG seeded with S) through echo, read while writing; prints one JSON line
      {ok, bytes, sent, got, seconds, sha_sent, sha_got, stalled}; exit 0 only when all N came
      back with the same SHA-256 (and EOF after our FIN) within T seconds.
  percentiles FILE
      FILE: one "code size seconds" line per curl transfer; prints "n p50 p99 max" (seconds)
"""

import argparse
import hashlib
import json
import os
import random
import selectors
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tlab import expected_body  # noqa: E402  (the daemon's HTTP body)


# --- servers ---------------------------------------------------------------------------------

def echo_conn(c):
    try:
        while True:
            b = c.recv(262144)
            if not b:
                break
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        c.close()


def http_conn(c, body):
    head_ka = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
               % len(body)).encode()
    head_close = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                  "Connection: close\r\n\r\n" % len(body)).encode()
    buf = b""
    try:
        while True:
            while b"\r\n\r\n" not in buf:
                b = c.recv(65536)
                if not b:
                    return
                buf += b
            req, _, buf = buf.partition(b"\r\n\r\n")
            close = b"\r\nconnection: close" in req.lower()
            c.sendall((head_close if close else head_ka) + body)
            if close:
                c.shutdown(socket.SHUT_WR)
                return
    except OSError:
        pass
    finally:
        c.close()


def listener(port, cc, handler, *args):
    """@return the congestion control the listener's connections inherit (its own)."""
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if cc:
        # accepted connections inherit the listener's congestion control
        ls.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, cc.encode())
    ls.bind(("0.0.0.0", port))
    ls.listen(128)
    used = ls.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16)

    def loop():
        while True:
            c, _ = ls.accept()
            threading.Thread(target=handler, args=(c,) + args, daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return used.split(b"\0", 1)[0].decode()


def cmd_serve(a):
    cc = listener(a.echo_port, a.cc, echo_conn)
    cc_http = listener(a.http_port, a.cc, http_conn, expected_body(a.http_body_size))
    # the last word is the congestion control the connections use (test_impair.sh checks it)
    print("serving echo on %d, http on %d (%d-byte bodies) for %g s, congestion control %s"
          % (a.echo_port, a.http_port, a.http_body_size, a.seconds,
             cc if cc == cc_http else cc + "/" + cc_http), flush=True)
    time.sleep(a.seconds)


# --- echo client -----------------------------------------------------------------------------

def cmd_echo(a):
    data = random.Random(a.seed).randbytes(a.bytes)
    sha_sent = hashlib.sha256(data).hexdigest()
    h = hashlib.sha256()
    res = {"ok": False, "bytes": a.bytes, "sent": 0, "got": 0, "seconds": None,
           "sha_sent": sha_sent, "sha_got": None, "stalled": None, "error": None}
    t0 = time.monotonic()
    deadline = t0 + a.timeout
    last_progress = t0
    try:
        s = socket.create_connection((a.host, a.port), timeout=a.timeout)
        s.setblocking(False)
        sel = selectors.DefaultSelector()
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
        sent = got = 0
        while got < a.bytes:
            now = time.monotonic()
            if now > deadline:
                res["error"] = "timeout"
                break
            for key, ev in sel.select(timeout=min(1.0, deadline - now)):
                if ev & selectors.EVENT_WRITE and sent < a.bytes:
                    try:
                        sent += s.send(data[sent:sent + 65536])
                    except BlockingIOError:
                        pass
                    if sent == a.bytes:
                        sel.modify(s, selectors.EVENT_READ)
                if ev & selectors.EVENT_READ:
                    try:
                        chunk = s.recv(262144)
                    except BlockingIOError:
                        continue
                    if not chunk:
                        res["error"] = "EOF"
                        got = a.bytes + 1  # leave the loop
                        break
                    h.update(chunk)
                    got += len(chunk)
                    last_progress = time.monotonic()
        res["seconds"] = round(time.monotonic() - t0, 3)
        res["sent"] = sent
        res["got"] = min(got, a.bytes) if res["error"] == "EOF" else got
        res["stalled"] = round(time.monotonic() - last_progress, 3)
        res["sha_got"] = h.hexdigest()
        if res["error"] is None:
            if res["sha_got"] != sha_sent:
                res["error"] = "sha256 differs"
            else:
                # Our FIN; the server's FIN must follow (nothing more to read).
                sel.close()
                s.setblocking(True)
                s.settimeout(max(1.0, deadline - time.monotonic()))
                s.shutdown(socket.SHUT_WR)
                extra = s.recv(65536)
                if extra:
                    res["error"] = "%d bytes after the echo" % len(extra)
                else:
                    res["ok"] = True
        s.close()
    except (OSError, socket.timeout) as e:
        res["error"] = "%s: %s" % (type(e).__name__, e)
        res["seconds"] = round(time.monotonic() - t0, 3)
    print(json.dumps(res))
    sys.exit(0 if res["ok"] else 1)


# --- HTTP timings ----------------------------------------------------------------------------

def cmd_percentiles(a):
    times = []
    with open(a.file) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                times.append(float(parts[2]))
    if not times:
        print("0 - - -")
        return
    times.sort()

    def rank(p):  # nearest rank
        k = max(1, -(-len(times) * p // 100))
        return times[int(k) - 1]

    print("%d %.4f %.4f %.4f" % (len(times), rank(50), rank(99), times[-1]))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("serve")
    t.add_argument("--seconds", type=float, required=True)
    t.add_argument("--echo-port", type=int, default=7)
    t.add_argument("--http-port", type=int, default=80)
    t.add_argument("--http-body-size", type=int, default=65536)
    t.add_argument("--cc", default="",
                   help="TCP congestion control of the server's sockets (default: the system's)")
    t.set_defaults(fn=cmd_serve)
    t = sub.add_parser("echo")
    t.add_argument("--host", default="198.18.0.1")
    t.add_argument("--port", type=int, default=7)
    t.add_argument("--bytes", type=int, required=True)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--timeout", type=float, required=True)
    t.set_defaults(fn=cmd_echo)
    t = sub.add_parser("percentiles")
    t.add_argument("file")
    t.set_defaults(fn=cmd_percentiles)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
