#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Helpers for the namespace interop tests: telemetry JSON, an ARP probe, and TCP clients
that check every byte (run inside the lab namespace, against dpdk-tcpd on 198.18.0.1).

Each client prints one line of results and exits 0 only if everything it checked held; on a
failure it prints what it expected and what it got, and exits 1.
"""

import argparse
import json
import os
import selectors
import socket
import struct
import sys
import time


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# --- telemetry -------------------------------------------------------------------------------

def cmd_tele_reply(a):
    """stdin: the output of dpdk-telemetry.py for one command; print the value under the command
    key as compact JSON (null for an error reply)."""
    text = sys.stdin.read().strip()
    if not text:
        fail("no telemetry reply")
    lines = text.splitlines()
    if len(lines) != 1:
        fail("expected one reply line, got: " + text[:300])
    try:
        reply = json.loads(lines[0])
    except json.JSONDecodeError as e:
        fail("reply is not JSON (%s): %s" % (e, lines[0][:300]))
    key = a.cmd.split(",", 1)[0]
    if not isinstance(reply, dict) or key not in reply:
        fail("reply has no key %r: %s" % (key, lines[0][:300]))
    print(json.dumps(reply[key]))


def find_key(obj, key):
    """A dotted path first, else the first dict key of that name, depth first."""
    cur = obj
    ok = True
    for part in key.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            ok = False
            break
    if ok:
        return True, cur
    if isinstance(obj, dict):
        for v in obj.values():
            found, val = find_key(v, key)
            if found:
                return True, val
    elif isinstance(obj, list):
        for v in obj:
            found, val = find_key(v, key)
            if found:
                return True, val
    return False, None


def cmd_json_get(a):
    obj = json.load(sys.stdin)
    for k in a.keys:
        found, val = find_key(obj, k)
        if not found:
            fail("no key %r in %s" % (k, json.dumps(obj)[:300]))
        print(json.dumps(val) if isinstance(val, (dict, list)) else val)


def cmd_tele_loop(a):
    """Query telemetry in a loop for a.seconds (a new socket connection every a.reconnect
    queries): every reply must be valid JSON with the command's key, /tcpd/stats counters must
    never go backwards (gauges excepted). Prints the number of replies checked."""
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % a.prefix
    gauges = {"conn_live", "conn_half_open", "workers", "states"}
    cmds = ["/tcpd/stats"] + a.cmds
    prev, replies, sock, n = None, 0, None, 0
    deadline = time.monotonic() + a.seconds
    while time.monotonic() < deadline:
        if sock is None or n % a.reconnect == 0:
            if sock:
                sock.close()
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            sock.settimeout(5)
            sock.connect(path)
            json.loads(sock.recv(16384).decode())
        n += 1
        for cmd in cmds:
            sock.send(cmd.encode())
            raw = sock.recv(65536).decode()
            try:
                reply = json.loads(raw)[cmd.split(",", 1)[0]]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                fail("%s: invalid reply (%s): %r" % (cmd, e, raw[:200]))
            if not isinstance(reply, dict):
                fail("%s: reply is not an object: %r" % (cmd, raw[:200]))
            replies += 1
            if cmd == "/tcpd/stats":
                if prev is not None:
                    for k, v in prev.items():
                        if k not in gauges and isinstance(v, int) and reply.get(k, -1) < v:
                            fail("counter %s went from %d to %r" % (k, v, reply.get(k)))
                prev = reply
        if a.interval:
            time.sleep(a.interval)
    print(replies)


# --- the kernel's af_packet counters of the daemon ------------------------------------------

def cmd_packet_stats(a):
    """Print {"sockets", "tp_packets", "tp_drops"} summed over the AF_PACKET sockets of process
    a.pid: PACKET_STATISTICS, the kernel's count of frames that reached each socket and of those
    its RX ring had no room for. net_af_packet (DPDK 22.11) never reads them, so they are the
    reference its ipackets is checked against. The sockets are borrowed with pidfd_getfd (Linux
    5.6, root). The kernel zeroes the counters on each read: read once, at the end."""
    import ctypes
    sys_pidfd_getfd, sol_packet, packet_statistics = 438, 263, 6
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(a.pid)
    total = {"sockets": 0, "tp_packets": 0, "tp_drops": 0}
    try:
        for fd in os.listdir("/proc/%d/fd" % a.pid):
            try:
                if not os.readlink("/proc/%d/fd/%s" % (a.pid, fd)).startswith("socket:"):
                    continue
            except OSError:
                continue
            nfd = libc.syscall(sys_pidfd_getfd, pidfd, int(fd), 0)
            if nfd < 0:
                fail("pidfd_getfd(%d, %s): %s" % (a.pid, fd, os.strerror(ctypes.get_errno())))
            s = socket.socket(fileno=nfd)
            try:
                if s.family != socket.AF_PACKET:
                    continue
                packets, drops = struct.unpack("II", s.getsockopt(sol_packet, packet_statistics,
                                                                  8))
                total["sockets"] += 1
                total["tp_packets"] += packets
                total["tp_drops"] += drops
            finally:
                s.close()
    finally:
        os.close(pidfd)
    print(json.dumps(total))


# --- ARP -------------------------------------------------------------------------------------

def cmd_arp_probe(a):
    """Send ARP requests for a.target on a.iface until one is answered; print the MAC."""
    eth_p_arp = 0x0806
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(eth_p_arp))
    s.bind((a.iface, 0))
    mac = s.getsockname()[4]
    sip = socket.inet_aton(a.source)
    tip = socket.inet_aton(a.target)
    req = (b"\xff" * 6 + mac + struct.pack("!H", eth_p_arp) +
           struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + sip + b"\x00" * 6 + tip)
    deadline = time.monotonic() + a.timeout
    s.settimeout(0.2)
    while time.monotonic() < deadline:
        s.send(req)
        until = time.monotonic() + 0.5
        while time.monotonic() < until:
            try:
                f = s.recv(2048)
            except socket.timeout:
                continue
            if len(f) < 42 or f[12:14] != b"\x08\x06":
                continue
            op = struct.unpack("!H", f[20:22])[0]
            if op == 2 and f[28:32] == tip and f[38:42] == sip:
                print(":".join("%02x" % b for b in f[22:28]))
                return
    fail("no ARP reply for %s on %s" % (a.target, a.iface))


# --- TCP clients -----------------------------------------------------------------------------

def connect(a):
    s = socket.create_connection((a.host, a.port), timeout=a.timeout)
    s.settimeout(a.timeout)
    return s


def recv_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(65536, n - len(buf)))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def expect_eof(s, what):
    extra = _pending.pop(s, b"") or s.recv(65536)
    if extra:
        fail("%s: expected EOF, got %d more bytes: %r" % (what, len(extra), extra[:64]))


def echo_once(s, payload, what):
    s.sendall(payload)
    got = recv_exact(s, len(payload))
    if got != payload:
        fail("%s: sent %d bytes, got back %d, first difference at %d" %
             (what, len(payload), len(got), first_diff(payload, got)))


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def cmd_close_client_first(a):
    """Echo: data both ways, then we send FIN first; the server must answer with its FIN.
    Prints our local port (the shell then looks for it in TIME-WAIT)."""
    s = connect(a)
    port = s.getsockname()[1]
    echo_once(s, b"hello, client closes first\n", "echo")
    s.shutdown(socket.SHUT_WR)
    expect_eof(s, "after our FIN")
    s.close()
    print(port)


def http_request(path, close=False, host="198.18.0.1"):
    h = "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: tlab\r\n" % (path, host)
    if close:
        h += "Connection: close\r\n"
    return (h + "\r\n").encode()


_pending = {}  # socket -> bytes received past the last response (pipelining)


def read_response(s, what):
    """Read one HTTP/1.1 response; return (status, headers dict (lower-case), body). Bytes past
    it (the next pipelined response) are kept for the next call on the same socket."""
    buf = bytearray(_pending.pop(s, b""))
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            fail("%s: connection closed inside the headers (%r)" % (what, bytes(buf[:200])))
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        fail("%s: bad status line %r" % (what, lines[0]))
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if "content-length" not in hdrs:
        fail("%s: no Content-Length in %r" % (what, head[:300]))
    n = int(hdrs["content-length"])
    if len(rest) < n:
        rest += recv_exact(s, n - len(rest))
    if len(rest) < n:
        fail("%s: Content-Length %d, connection closed after %d bytes" % (what, n, len(rest)))
    body, extra = rest[:n], rest[n:]
    if extra:
        _pending[s] = extra
    return int(parts[1]), hdrs, body


# The daemon's HTTP body: byte i is PATTERN[i % 64] (tcpd_tcp_http_body_byte in lib/tcp/tcpd_tcp.h).
BODY_PATTERN = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n"


def expected_body(n):
    return (BODY_PATTERN * (n // 64 + 1))[:n]


def cmd_body(a):
    sys.stdout.buffer.write(expected_body(a.size))


def check_body(a, body, what):
    if a.body_size is not None:
        if len(body) != a.body_size:
            fail("%s: body %d bytes, expected %d" % (what, len(body), a.body_size))
        want = expected_body(a.body_size)
        if body != want:
            fail("%s: body differs from the pattern at byte %d" % (what, first_diff(body, want)))
    if a.body_file:
        with open(a.body_file, "rb") as f:
            want = f.read()
        if body != want:
            fail("%s: body differs from %s at byte %d" % (what, a.body_file,
                                                          first_diff(body, want)))


def cmd_close_server_first(a):
    """HTTP with Connection: close: the server sends its FIN first; we read to EOF and close.
    Prints our local port."""
    s = connect(a)
    port = s.getsockname()[1]
    s.sendall(http_request("/", close=True))
    status, hdrs, body = read_response(s, "response")
    if status != 200:
        fail("status %d" % status)
    check_body(a, body, "response")
    expect_eof(s, "after the response (server should close)")
    s.close()
    print(port)


def cmd_echo_bulk(a):
    """Stream a.bytes random bytes through echo, reading while writing; compare all of it."""
    data = os.urandom(a.bytes)
    s = connect(a)
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent, got = 0, bytearray()
    deadline = time.monotonic() + a.timeout
    while len(got) < len(data):
        if time.monotonic() > deadline:
            fail("timeout: sent %d, received %d of %d" % (sent, len(got), len(data)))
        for key, ev in sel.select(timeout=1):
            if ev & selectors.EVENT_WRITE and sent < len(data):
                try:
                    sent += s.send(data[sent:sent + 65536])
                except BlockingIOError:
                    pass
                if sent == len(data):
                    sel.modify(s, selectors.EVENT_READ)
            if ev & selectors.EVENT_READ:
                try:
                    chunk = s.recv(262144)
                except BlockingIOError:
                    continue
                if not chunk:
                    fail("EOF after %d of %d bytes" % (len(got), len(data)))
                got += chunk
    sel.close()
    s.setblocking(True)
    s.settimeout(a.timeout)
    if bytes(got) != data:
        fail("echoed data differs at byte %d" % first_diff(data, got))
    s.shutdown(socket.SHUT_WR)
    expect_eof(s, "after our FIN")
    s.close()
    print("echoed %d bytes" % len(data))


def cmd_seq_conns(a):
    """a.conns connections one after the other, each echoing a distinct payload."""
    for i in range(a.conns):
        s = connect(a)
        payload = b"conn %d " % i + os.urandom(1 + i % 1400)
        echo_once(s, payload, "connection %d" % i)
        s.shutdown(socket.SHUT_WR)
        expect_eof(s, "connection %d" % i)
        s.close()
    print("%d sequential connections verified" % a.conns)


def cmd_conc_conns(a):
    """a.conns connections open at once: all connect, all send, all read back, all close."""
    socks = [connect(a) for _ in range(a.conns)]
    payloads = [b"concurrent %d " % i + os.urandom(1 + (i * 37) % 1400)
                for i in range(a.conns)]
    for s, p in zip(socks, payloads):
        s.sendall(p)
    for i, (s, p) in enumerate(zip(socks, payloads)):
        got = recv_exact(s, len(p))
        if got != p:
            fail("connection %d: echo differs at byte %d" % (i, first_diff(p, got)))
    for s in socks:
        s.shutdown(socket.SHUT_WR)
    for i, s in enumerate(socks):
        expect_eof(s, "connection %d" % i)
        s.close()
    print("%d concurrent connections verified" % a.conns)


def cmd_http_load(a):
    """a.conns connections, each with a.reqs keep-alive requests; every response checked."""
    for c in range(a.conns):
        s = connect(a)
        for r in range(a.reqs):
            last = r == a.reqs - 1 and a.close_last
            s.sendall(http_request("/c%d/r%d" % (c, r), close=last))
            status, hdrs, body = read_response(s, "conn %d req %d" % (c, r))
            if status != 200:
                fail("conn %d req %d: status %d" % (c, r, status))
            check_body(a, body, "conn %d req %d" % (c, r))
        if a.close_last:
            expect_eof(s, "conn %d after Connection: close" % c)
        else:
            s.shutdown(socket.SHUT_WR)
            expect_eof(s, "conn %d after our FIN" % c)
        s.close()
    print("%d connections x %d requests verified" % (a.conns, a.reqs))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)

    t = sub.add_parser("tele-reply")
    t.add_argument("cmd")
    t.set_defaults(fn=cmd_tele_reply)
    t = sub.add_parser("json-get")
    t.add_argument("keys", nargs="+")
    t.set_defaults(fn=cmd_json_get)
    t = sub.add_parser("tele-loop")
    t.add_argument("--prefix", required=True)
    t.add_argument("--seconds", type=float, default=5)
    t.add_argument("--interval", type=float, default=0.01)
    t.add_argument("--reconnect", type=int, default=10)
    t.add_argument("cmds", nargs="*")
    t.set_defaults(fn=cmd_tele_loop)
    t = sub.add_parser("body", help="write the daemon's HTTP body of SIZE bytes to stdout")
    t.add_argument("size", type=int)
    t.set_defaults(fn=cmd_body)
    t = sub.add_parser("packet-stats")
    t.add_argument("pid", type=int)
    t.set_defaults(fn=cmd_packet_stats)
    t = sub.add_parser("arp-probe")
    t.add_argument("iface")
    t.add_argument("source")
    t.add_argument("target")
    t.add_argument("--timeout", type=float, default=5)
    t.set_defaults(fn=cmd_arp_probe)

    def client(name, fn):
        t = sub.add_parser(name)
        t.add_argument("--host", default="198.18.0.1")
        t.add_argument("--port", type=int, required=True)
        t.add_argument("--timeout", type=float, default=10)
        t.add_argument("--body-size", type=int)
        t.add_argument("--body-file")
        t.set_defaults(fn=fn)
        return t

    client("close-client-first", cmd_close_client_first)
    client("close-server-first", cmd_close_server_first)
    client("echo-bulk", cmd_echo_bulk).add_argument("--bytes", type=int, default=1 << 20)
    client("seq-conns", cmd_seq_conns).add_argument("--conns", type=int, default=1000)
    client("conc-conns", cmd_conc_conns).add_argument("--conns", type=int, default=100)
    t = client("http-load", cmd_http_load)
    t.add_argument("--conns", type=int, default=1)
    t.add_argument("--reqs", type=int, default=1)
    t.add_argument("--close-last", action="store_true",
                   help="send Connection: close on the last request (server closes first)")

    a = p.parse_args()
    try:
        a.fn(a)
    except (OSError, socket.timeout) as e:
        fail("%s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    main()
