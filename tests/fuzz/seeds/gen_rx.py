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


SACKSYN = [0x07, 0x38, 0, 0]  # MSS 1460, WS 7, SACK-permitted; no timestamps
GET = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


def sack_hs(t=0, ts=False):
    """A handshake that negotiates SACK (with timestamps or without)."""
    if ts:
        return handshake(t)
    return rec(t, S, opts=SACKSYN) + rec(t, A)


def get(t=0, ts=False):
    """One keep-alive GET taken from the input (the response: the header's body size)."""
    return rec(t, A | P, plen=len(GET), pkind=2, opts=TSOPT if ts else None, raw=GET)


def sack(d, t=0, ackm=2, ackd=0, more=0, gap=0, inside=False, clock=0, ts=False):
    """An ACK (by default a duplicate of the peer's last) with SACK block [l, l + 1000),
    l = the worker's SND.MAX + d x 100, and `more` blocks after it, each `gap` x 100 lower
    (inside: the second holds the first: a D-SACK); with ts the TS option instead, TSecr moved
    by d (fuzz_frame.h)."""
    o2 = (more & 3) | (gap & 31) << 2 | (0x80 if inside else 0)
    opts = [0x18, 0, 0, d & 0xff] if ts else [0x10, 0, o2, d & 0xff]
    return rec(t, A, ackm=ackm, ackd=ackd & 0xff, clock=clock, opts=opts)


def ack_by(n, t=0, clock=0):
    """A cumulative ACK n (<= 127) bytes past the peer's last ACK."""
    return rec(t, A, ackm=2, ackd=n, clock=clock)


def keepalive(t, data=True):
    """A connection whose application answered and whose peer acknowledged it: idle."""
    hs = rec(t, S) + rec(t, A)
    if not data:
        return hs
    return hs + rec(t, A | P, plen=10, pkind=1) + rec(t, A, clock=ms(1))


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
    # SACK, send side (RFC 2018, RFC 6675): the peer reports our response out of order
    # (body 65536: ten segments in flight), three blocks make the first hole lost: recovery,
    # the holes resent by the scoreboard, partial ACKs, then all of it
    "sack_recovery": hdr(body=7) + sack_hs() + get() + sack(-10) + sack(-30) + sack(-50)
    + sack(-70) + sack(-90, clock=ms(2)) + ack_by(100) + ack_by(127) + sack(-20)
    + rec(0, A, clock=ms(5)) + rec(0, A, clock=ms(50)),
    # several blocks per segment: holes between them, adjacent ones merged, repeats
    "sack_blocks": hdr(body=7) + sack_hs() + get() + sack(-10, more=3, gap=22)
    + sack(-15, more=2, gap=10) + sack(-40, more=3, gap=0) + sack(-100, more=2, gap=31)
    + rec(0, A, clock=ms(10)),
    # every block ignored: beyond SND.MAX, empty of new data below SND.UNA, far below it
    # (RFC 2018 and RFC 2883: only reports of what was sent and not yet acknowledged count)
    "sack_ignored": hdr(body=7) + sack_hs() + get() + sack(0) + sack(5, more=1, gap=1)
    + sack(-128, ackm=0) + sack(127, ackm=3, ackd=0) + rec(0, A),
    # D-SACK (RFC 2883): a first block below the ACK, then a first block inside the second;
    # reordering seen, more patience
    "sack_dsack": hdr(body=7) + sack_hs() + get() + ack_by(100) + sack(-10) + sack(-10, ackm=0)
    + sack(-40, more=1, inside=True) + sack(-60) + sack(-80) + sack(-100) + rec(0, A, clock=ms(5)),
    # one block, then quiet: the reordering window ends (RFC 8985 6.2) and the hole is resent
    # without three duplicate ACKs; then the RTO, twice, clears the scoreboard
    "sack_reo_rto": hdr(body=7, rto=4) + sack_hs() + get() + sack(-10) + sack(-30, clock=ms(30))
    + sack(-50, clock=ms(1500)) + sack(-70, clock=ms(3000)) + sack(-90, clock=ms(6000))
    + rec(0, A),
    # a block from SND.UNA (the second of the segment: SND.MAX is SND.UNA + 14,600 here), ACKs
    # that end inside it, then recovery and a block of data first sent after the retransmission:
    # that retransmission was lost too (sack_rxt_lost)
    "sack_partial": hdr(body=7) + sack_hs() + get() + sack(-128, more=1, gap=18) + ack_by(100)
    + ack_by(127) + sack(-30) + sack(-50) + sack(-70) + sack(-10) + sack(-5) + rec(0, A),
    # many ranges on the scoreboard: partial ACKs of a byte grow cwnd (about 35 KB in flight),
    # then four blocks a segment, 1,000 bytes with holes of 100 to 2,100 between; recovery, then
    # blocks of data first sent after the retransmissions: those were lost too (sack_rxt_lost)
    "sack_many": hdr(body=7) + sack_hs() + get() + b"".join(ack_by(1) for _ in range(14))
    + b"".join(sack(d, more=3, gap=g) for d, g in ((-117, 31), (-128, 31), (-121, 22),
                                                    (-110, 22), (-99, 22), (-22, 22), (-11, 22)))
    + sack(-3) + sack(-1) + rec(0, A),
    # with timestamps: recovery on SACK, then an ACK echoing a TSval from before it (RFC 6675
    # with the Eifel-like undo), and a lost retransmission SACKed above
    "sack_undo_ts": hdr(body=7) + sack_hs(ts=True) + get(ts=True) + sack(-10, ts=True)
    + sack(-30, ts=True) + sack(-50, ts=True) + sack(-70, ts=True)
    + rec(0, A, ackm=2, ackd=100, opts=[0x08, 0, 0xfe, 0xf0]) + sack(-90, ts=True)
    + rec(0, A, opts=TSOPT),
    # receive side (RFC 2018 4, RFC 2883): echo data with holes, the block last changed first,
    # a duplicate of held data (D-SACK), an out-of-order FIN, then the holes filled
    "sack_rx_holes": hdr() + sack_hs(1) + rec(1, A | P, plen=10, seqm=1, seqd=20, pkind=1)
    + rec(1, A | P, plen=10, seqm=1, seqd=50, pkind=1)
    + rec(1, A | P, plen=10, seqm=1, seqd=80, pkind=1)
    + rec(1, A | P, plen=10, seqm=1, seqd=30, pkind=1)
    + rec(1, A | P, plen=10, seqm=1, seqd=110, pkind=1)
    + rec(1, A | P, plen=10, seqm=1, seqd=50, pkind=1)
    + rec(1, A | P, plen=15, seqm=1, seqd=45, pkind=1)
    + rec(1, A | F, seqm=1, seqd=120) + rec(1, A | P, plen=20, pkind=1)
    + rec(1, A | P, plen=30, seqm=1, seqd=10, pkind=1) + rec(1, A | P, plen=10, pkind=1)
    + rec(1, A | P, plen=5, pkind=1) + rec(1, A | P, plen=127, pkind=1) + rec(1, A),
    # a FIN alone out of order, and held data SACKed with timestamps (3 blocks at most)
    "sack_rx_fin": hdr() + sack_hs(1, ts=True) + rec(1, A | F, seqm=1, seqd=40, opts=TSOPT)
    + rec(1, A | P, plen=5, seqm=1, seqd=5, pkind=1, opts=TSOPT)
    + rec(1, A | P, plen=5, seqm=1, seqd=15, pkind=1, opts=TSOPT)
    + rec(1, A | P, plen=5, seqm=1, seqd=25, pkind=1, opts=TSOPT)
    + rec(1, A | P, plen=40, pkind=1, opts=TSOPT) + rec(1, A, opts=TSOPT),
    # a full table of 4 (h2 bit 4): the newcomer resets the oldest closing connection (LAST-ACK:
    # the peer's FIN answered, our FIN not acknowledged), then an idle keep-alive one (its
    # application answered, then quiet), then one whose retransmissions went unanswered
    # (reclaim_closing: the first one closes on its own first, leaving a stale slot in the
    # closing ring; reclaim_idle: a newcomer before the idle ones were quiet 10 ms is refused)
    "reclaim_closing": bytes([0, 2, 0x10, 0x10]) + b"".join(keepalive(t, False)
                                                            + rec(t, A | F) for t in (0, 1, 4, 5))
    + rec(0, A) + rec(6, S) + rec(6, A) + rec(2, S) + rec(2, A) + rec(0, S) + rec(0, A),
    "reclaim_idle": bytes([0, 2, 0x10, 0x10]) + keepalive(1) + keepalive(5) + keepalive(2)
    + keepalive(6) + rec(0, S) + rec(0, S, clock=ms(20)) + rec(0, A) + rec(4, S) + rec(4, A),
    "reclaim_stalled": bytes([0x0c, 6, 0x10, 0x10]) + b"".join(
        keepalive(t, False) + rec(t, A | P, plen=len(GET), pkind=2, raw=GET)
        + rec(t, A | P, plen=1, pkind=1) for t in (0, 4))
    + keepalive(1, False) + keepalive(5, False) + rec(1, A, clock=ms(1500))
    + rec(2, S, clock=ms(2000)) + rec(2, A) + rec(6, S) + rec(6, A),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
