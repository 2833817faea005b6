#!/usr/bin/env python3
"""Seeds of fuzz_rx (format: tests/fuzz/fuzz_rx.c), one file per story of the project's
scenarios (tests/scripts/*.scn): handshakes with and without options and cookies, HTTP, echo,
discard, both close orders and simultaneous close, RST and challenge ACKs, out-of-order data,
zero window, retransmissions driven by the clock, ARP and ICMP. Usage: gen_rx.py OUTDIR"""
import os
import sys

F, S, R, P, A, U = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


def hdr(cookies=0, rto=1, idle=0, tw=0, body=2, mtu=0, synq=0, fw2=0, chack=0, rst=0, isn=0x10,
        v6=0):
    """v6: bit 0 tuples 0-3 over IPv6 (peer 2001:2::2), bit 1 tuples 4-7 (2001:2::3)."""
    return bytes([cookies | (rto - 1) << 2 | idle << 4 | tw << 6,
                  body | mtu << 3 | synq << 5 | fw2 << 7, chack | rst << 2 | v6 << 5, isn])


def rec(tup=0, flags=A, plen=0, seqm=0, seqd=0, ackm=0, ackd=0, win=0xfa, clock=0,
        bad=0, hold=0, pkind=0, damage=None, opts=None, raw=b""):
    r0 = tup | seqm << 3 | ackm << 5 | (0x80 if opts is not None else 0)
    r7 = bad | hold << 2 | pkind << 3 | (0 if damage is None else 2 | damage << 5)
    b = bytes([r0, flags, plen, seqd & 0xff, ackd & 0xff, win, clock, r7])
    if opts is not None:
        b += bytes(opts)
    return b + raw


SYNOPT = [0x0f, 0x38, 0, 0]   # MSS 1460, WS 7, SACK-permitted, TS
TSOPT = [0x08, 0, 0, 0]       # TS only


def ms(n):
    """Clock advance code for about n ms."""
    for shift in range(4):
        if n < (64 << (4 * shift)):
            return (n >> (4 * shift)) | shift << 6
    return 0xff


def handshake(t=0, opts=True):
    if opts:
        return rec(t, S, opts=SYNOPT) + rec(t, A, opts=TSOPT)
    return rec(t, S) + rec(t, A)


def http_req(t=0, n=27, opts=True):
    # payload kind 0 cycles through fuzz_rx.c's requests; n bytes of them
    return rec(t, A | P, plen=n, opts=TSOPT if opts else None)


seeds = {
    "handshake": hdr() + handshake(),
    "handshake_noopts": hdr() + handshake(opts=False),
    "http": hdr() + handshake() + http_req() + rec(0, A, clock=ms(10), opts=TSOPT),
    "http_close": hdr(body=3) + handshake(2 and 0) + rec(0, A | P, plen=45, opts=TSOPT)
    + rec(0, A, clock=ms(5), opts=TSOPT) + rec(0, A | F, opts=TSOPT),
    "http_big": hdr(body=6, mtu=1) + handshake() + http_req()
    + b"".join(rec(0, A, clock=ms(2), opts=TSOPT) for _ in range(8)),
    "echo": hdr() + handshake(1) + rec(1, A | P, plen=100, pkind=1, opts=TSOPT)
    + rec(1, A, clock=ms(1), opts=TSOPT) + rec(1, A | F, opts=TSOPT) + rec(1, A, opts=TSOPT),
    "echo_raw": hdr() + handshake(1, opts=False) + rec(1, A | P, plen=16, pkind=2,
                                                       raw=b"hello, echo!\r\n\0\1"),
    "discard": hdr() + handshake(2) + rec(2, A | P, plen=0xe3, pkind=3, opts=TSOPT)
    + rec(2, A | F, opts=TSOPT),
    "close_peer_first": hdr() + handshake() + rec(0, A | F, opts=TSOPT)
    + rec(0, A, clock=ms(1), opts=TSOPT),
    "close_we_first": hdr(body=1) + handshake() + rec(0, A | P, plen=45, opts=TSOPT)
    + rec(0, A, opts=TSOPT) + rec(0, A | F, clock=ms(3), opts=TSOPT)
    + rec(0, A, clock=ms(2000)),
    "close_simultaneous": hdr() + handshake() + rec(0, A | P, plen=45, hold=1, opts=TSOPT)
    + rec(0, A | F, opts=TSOPT) + rec(0, A, opts=TSOPT),
    "rst": hdr() + handshake() + rec(0, R | A) + rec(1, S) + rec(1, R, seqm=1, seqd=5),
    "rst_challenge": hdr(chack=2) + handshake() + rec(0, R, seqm=1, seqd=10)
    + rec(0, S, seqm=1, seqd=3) + rec(0, R),
    "closed_port": hdr() + rec(3, S) + rec(3, A, ackm=3, ackd=7) + rec(3, F),
    "out_of_order": hdr() + handshake(1) + rec(1, A | P, plen=10, seqm=1, seqd=10, pkind=1)
    + rec(1, A | P, plen=10, pkind=1) + rec(1, A | P, plen=10, pkind=1),
    "zero_window": hdr(body=5) + handshake(0, opts=False) + rec(0, A | P, plen=27, win=0)
    + rec(0, A, win=0, clock=ms(1500)) + rec(0, A, win=0, clock=ms(3000)) + rec(0, A, win=0xff),
    "retransmit_synack": hdr(rto=3) + rec(0, S, opts=SYNOPT) + rec(0, A, clock=ms(1100))
    + rec(0, A, clock=ms(2100)),
    "retransmit_data": hdr(body=4) + handshake() + http_req() + rec(0, A, clock=ms(1200))
    + rec(0, A, ackm=1, ackd=-100 & 0xff, clock=ms(100)) + rec(0, A, ackm=2)
    + rec(0, A, ackm=2) + rec(0, A, ackm=2),
    "cookies_always": hdr(cookies=2) + handshake() + http_req(),
    "cookies_noopts": hdr(cookies=2) + handshake(opts=False) + http_req(opts=False),
    "cookies_auto": hdr(cookies=1, synq=1) + rec(0, S, opts=SYNOPT) + rec(1, S, opts=SYNOPT)
    + rec(2, S) + rec(1, A, opts=TSOPT) + rec(2, A),
    "cookie_forged": hdr(cookies=2) + rec(0, S) + rec(0, A, ackm=1, ackd=3),
    "timewait_reuse": hdr(tw=3) + handshake(0, False) + rec(0, A | P, plen=45) + rec(0, A)
    + rec(0, A | F, clock=ms(2)) + rec(0, S, seqm=3, seqd=1) + rec(0, A),
    "paws": hdr() + handshake() + rec(0, A | P, plen=10, pkind=1, opts=[0x08, 0, 0x80, 0])
    + rec(0, A | P, plen=10, pkind=1, opts=TSOPT),
    "sack": hdr() + handshake() + rec(0, A, opts=[0x18, 0, 0, 0x10]),
    "malformed": hdr() + rec(0, S, bad=1) + rec(0, S, damage=0)
    + bytes([0x80, S, 0, 0, 0, 0xfa, 0, 0, 0x81, 0, 0, 0]),
    "damage": hdr() + handshake() + b"".join(rec(0, A | P, plen=5, pkind=1, damage=d)
                                             for d in range(8)),
    "arp_icmp": hdr() + rec(0, 0xff, seqd=1) + rec(1, 0xff, plen=20, seqd=0, ackd=0, win=1)
    + rec(4, 0xff, seqd=0),
    "burst": hdr() + b"".join(rec(i, S, hold=1) for i in range(7)) + rec(7, S)
    + b"".join(rec(i, A, hold=1) for i in range(8)),
    "idle": hdr(idle=1) + handshake() + rec(0, A, clock=ms(5000)),
    "fin_wait2": hdr(body=1, fw2=1) + handshake() + rec(0, A | P, plen=45, opts=TSOPT)
    + rec(0, A, clock=ms(1), opts=TSOPT),
    "fast_retransmit": hdr(body=6) + handshake() + http_req()
    + rec(0, A, ackm=1, ackd=-100 & 0xff, opts=TSOPT)
    + b"".join(rec(0, A, ackm=2, opts=TSOPT) for _ in range(4)) + rec(0, A, opts=TSOPT),
    "persist_answered": hdr(rto=3, body=5) + handshake(0, opts=False) + rec(0, A | P, plen=27, win=0)
    + b"".join(rec(0, A, win=0, clock=ms(1000 << min(i, 5))) for i in range(10)),
    "persist_probe_refused": hdr(rto=3, body=5) + handshake(0, opts=False)
    + rec(0, A | P, plen=27, win=0)
    + b"".join(rec(0, A, ackm=1, ackd=0xff, win=0, clock=ms(1000 << min(i, 5))) for i in range(8)),
    "ts_recent_bad_ack": hdr() + handshake() + rec(0, A, ackm=1, ackd=100, opts=[0x08, 0, 0x7f, 0])
    + rec(0, A | P, plen=10, pkind=1, opts=TSOPT),
    "table_full": bytes([0, 2, 0x10, 0x10]) + b"".join(rec(i, S) for i in range(6))
    + rec(2, A),
    # IPv6 (issue 15): the same stories over IPv6 through the peer interning, IPv6 cookies,
    # ICMPv6 and neighbour discovery; both families side by side on the same ports
    "v6_handshake": hdr(v6=1) + handshake(),
    "v6_http": hdr(v6=1) + handshake() + http_req() + rec(0, A, clock=ms(10), opts=TSOPT),
    "v6_http_big": hdr(v6=1, body=6, mtu=1) + handshake() + http_req()
    + b"".join(rec(0, A, clock=ms(2), opts=TSOPT) for _ in range(8)),
    "v6_echo": hdr(v6=1) + handshake(1) + rec(1, A | P, plen=100, pkind=1, opts=TSOPT)
    + rec(1, A, clock=ms(1), opts=TSOPT) + rec(1, A | F, opts=TSOPT) + rec(1, A, opts=TSOPT),
    "v6_close_peer_first": hdr(v6=1) + handshake() + rec(0, A | F, opts=TSOPT)
    + rec(0, A, clock=ms(1), opts=TSOPT),
    "v6_close_we_first": hdr(v6=1, body=1) + handshake() + rec(0, A | P, plen=45, opts=TSOPT)
    + rec(0, A, opts=TSOPT) + rec(0, A | F, clock=ms(3), opts=TSOPT) + rec(0, A, clock=ms(2000)),
    "v6_cookies_always": hdr(v6=1, cookies=2) + handshake() + http_req(),
    "v6_cookies_auto": hdr(v6=3, cookies=1, synq=1) + rec(0, S, opts=SYNOPT)
    + rec(4, S, opts=SYNOPT) + rec(1, S) + rec(4, A, opts=TSOPT) + rec(1, A),
    "v6_cookie_forged": hdr(v6=1, cookies=2) + rec(0, S) + rec(0, A, ackm=1, ackd=3),
    "v6_rst": hdr(v6=1) + handshake() + rec(0, R | A) + rec(1, S) + rec(1, R, seqm=1, seqd=5),
    "v6_closed_port": hdr(v6=1) + rec(3, S) + rec(3, A, ackm=3, ackd=7) + rec(3, F),
    "v6_timewait_reuse": hdr(v6=1, tw=3) + handshake(0, False) + rec(0, A | P, plen=45)
    + rec(0, A) + rec(0, A | F, clock=ms(2)) + rec(0, S, seqm=3, seqd=1) + rec(0, A),
    "v6_damage": hdr(v6=1) + handshake() + b"".join(rec(0, A | P, plen=5, pkind=1, damage=d,
                                                        seqd=k)
                                                    for d in range(8) for k in (0, 1, 3)),
    "v6_nd_icmp6": hdr(v6=1) + rec(0, 0xff, seqd=1) + rec(0, 0xff, seqd=3)
    + rec(1, 0xff, seqd=1, ackd=1) + rec(1, 0xff, plen=20, seqd=0, ackd=0, win=1),
    "v6_mixed": hdr(v6=2) + handshake(0) + handshake(4) + http_req(0) + http_req(4)
    + rec(0, A | F, opts=TSOPT) + rec(4, A | F, opts=TSOPT) + rec(4, 0xff, seqd=1),
    "v6_two_peers_burst": hdr(v6=3) + b"".join(rec(i, S, hold=1) for i in range(7)) + rec(7, S)
    + b"".join(rec(i, A, hold=1) for i in range(8)) + rec(0, R) + rec(4, R),
    "v6_table_full": bytes([0, 2, 0x70, 0x10]) + b"".join(rec(i, S) for i in (0, 4, 1, 5, 2, 6))
    + rec(2, A),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
