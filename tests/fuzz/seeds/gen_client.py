#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the hand-made seeds of fuzz_client (tests/fuzz/seeds/client/), one per story.

The input layout is at the top of fuzz_client.c: a 4-byte header, then 8-byte records (+4
option bytes when r0 bit 5); h3 bit 4 runs the same over IPv6, bits 5-6 answer the ARP
request or NS late / never. Launches (--cps 4 from t = 11 ms; the header's h3 bit 2: --cps 8, every 125 ms): tuple 0 (http) at 261 ms,
1 (echo) at 511 ms, 2 (http) at 761 ms, 3 (echo) at 1011 ms.
"""
import os
import sys

SYNACK, DATA, FIN, RST, RAW, ICMP, TIME = 0, 1, 2, 3, 4, 5, 6
PSH, ACKF = 0x08, 0x10
HTTP_RESP = len(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
ECHO_LEN = 100


def ms(t):
    """r6 for a clock advance of about t ms (before the record)."""
    for shift in range(4):
        v = t >> (4 * shift)
        if v < 64 and (v << (4 * shift)) >= t - (1 << (4 * shift)):
            return (shift << 6) | max(v, 1 if t else 0)
    return 0xff


def rec(tuple_, kind, flags=0, plen=0, seqd=0, ackd=0, win=0xff, wait=0, r7=0, opts=None,
        hold=False):
    r0 = tuple_ | kind << 2 | (0x20 if opts else 0) | (0x40 if hold else 0)
    out = bytes([r0, flags, plen, seqd & 0xff, ackd & 0xff, win, ms(wait), r7])
    return out + (bytes(opts) if opts else b"")


MSS1460 = [0x01, 0, 0, 0]
ALLOPTS = [0x0f, 0x50, 0, 0]  # MSS 1460, WS 10, SACK-permitted, TS


def handshake_and_answer(t, wait, opts=MSS1460):
    resp = HTTP_RESP if t % 2 == 0 else ECHO_LEN
    return (rec(t, SYNACK, wait=wait, opts=opts) +
            rec(t, DATA, PSH, resp, wait=5) +
            rec(t, FIN, wait=5))


def seeds():
    h = bytes([0x00, 0x00, 0x11, 0x00])
    clean = h
    for t in range(4):
        clean += handshake_and_answer(t, 300 if t == 0 else 240)
    yield "clean_all", clean
    yield "clean_opts", h + b"".join(handshake_and_answer(t, 300 if t == 0 else 240, ALLOPTS)
                                     for t in range(4))
    # every SYN unanswered: retransmissions, then failed_syn_timeout
    yield "silent", h + rec(0, TIME, wait=3000)
    # RST to our SYN (closed port): failed_syn_rst
    yield "rst_syn_sent", h + rec(0, RST, ACKF, wait=300) + rec(1, RST, 0, wait=250)
    # SYN-ACK with an unacceptable ACK (RST answers it), then a good one; bad options
    yield "bad_synack", (h + rec(0, SYNACK, ackd=5, wait=300) +
                         rec(0, SYNACK, wait=5, r7=0x80, opts=[0x83, 3, 0, 0]) +
                         rec(0, DATA, PSH, HTTP_RESP, wait=5) + rec(0, FIN, wait=5) +
                         rec(1, SYNACK, wait=250, opts=[0x3f, 0xfb, 0, 0]) +
                         rec(1, RAW, 0x12, 3, wait=5))
    # ICMP port unreachable and fragmentation needed about our SYN / data
    yield "icmp", (h + rec(0, ICMP, 3, wait=300) + rec(1, SYNACK, wait=250) +
                   rec(1, ICMP, 4, win=72, wait=1) + rec(1, DATA, PSH, ECHO_LEN, wait=5))
    # response split over three segments, out of order, then a bad byte on another tuple
    split_body = (rec(0, SYNACK, wait=300) +
                  rec(0, DATA, PSH, 20, seqd=10, wait=5, hold=True) +
                  rec(0, DATA, PSH, 10, wait=0) + rec(0, DATA, PSH, HTTP_RESP - 30, seqd=30, wait=1) +
                  rec(0, FIN, wait=5) +
                  rec(1, SYNACK, wait=250) + rec(1, DATA, PSH, ECHO_LEN, wait=5, r7=2))
    yield "split", h + split_body
    # eight launches (--cps 8, every 125 ms from 136 ms): each tuple twice, our TIME-WAIT
    # (timestamps on) taken over or the tuple still busy
    h8 = bytes([0x00, 0x40, 0x11, 0x04])
    reuse_body = b"".join(handshake_and_answer(k % 4, {0: 150, 4: 1300}.get(k, 125), ALLOPTS)
                          for k in range(8))
    yield "reuse", h8 + reuse_body
    # over IPv6 (h3 bit 4): the same stories, the next hop by neighbour discovery
    V6, LATE, NEVER = 0x10, 0x20, 0x40
    h6 = bytes([0x00, 0x00, 0x11, V6])
    yield "v6_clean_all", h6 + clean[4:]
    yield "v6_clean_opts", h6 + b"".join(handshake_and_answer(t, 300 if t == 0 else 240, ALLOPTS)
                                         for t in range(4))
    yield "v6_rst_syn_sent", h6 + rec(0, RST, ACKF, wait=300) + rec(1, RST, 0, wait=250)
    # ICMPv6 destination unreachable (port, code 4), packet too big (1000 + 72 x 8 = 1576, then
    # 1096: below the minimum 1280), time exceeded, with the SEQ of the quote moved
    yield "v6_icmp", (h6 + rec(0, ICMP, 4, wait=300) + rec(1, SYNACK, wait=250) +
                      rec(1, ICMP, 0x20, win=72, wait=1) + rec(1, ICMP, 0x20, win=12, wait=1) +
                      rec(1, ICMP, 0x11, seqd=3, wait=1, r7=0x04) +
                      rec(1, DATA, PSH, ECHO_LEN, wait=5))
    # a packet too big below the minimum (1000 + 12 x 8 = 1096) about the request in flight,
    # MSS 1440 from the SYN-ACK: the floor, 1280 - 60 = 1220, and the request sent again
    floor_body = (rec(0, SYNACK, wait=300, opts=MSS1460) + rec(0, ICMP, 0x20, win=12, wait=1) +
                  rec(0, DATA, PSH, HTTP_RESP, wait=5) + rec(0, FIN, wait=5))
    yield "v6_ptb_floor", h6 + floor_body
    # the same over IPv4: fragmentation needed with a next-hop MTU of 12 x 8 = 96 (576 - 40)
    yield "frag_floor", h + floor_body[:8 + 4] + rec(0, ICMP, 4, win=12, wait=1) + floor_body[20:]
    yield "v6_split", h6 + split_body
    yield "v6_reuse", bytes([0x00, 0x40, 0x11, 0x04 | V6]) + reuse_body
    # the NS answered 2 s late (launches from 2.011 s), or never (--arp-timeout: none)
    yield "v6_nd_late", bytes([0x00, 0x00, 0x11, V6 | LATE]) + rec(0, TIME, wait=2100) + b"".join(
        handshake_and_answer(t, 300 if t == 0 else 240) for t in range(4))
    yield "v6_nd_never", bytes([0x00, 0x00, 0x11, V6 | NEVER]) + rec(0, TIME, wait=4000)
    # SACK (RFC 2018, RFC 2883) both ways, negotiated without timestamps: the server SACKs
    # the request with blocks below SND.UNA, beyond SND.MAX and a D-SACK inside a second block
    # (ACK mode 1: ISS + 1, nothing acknowledged), then answers; the echo response arrives with
    # holes, a repeat of held data and an overlap, so that our ACKs carry SACK and D-SACK blocks
    sackp = [0x07, 0, 0, 0]
    sack_body = (rec(0, SYNACK, wait=300, opts=sackp) +
                 rec(0, RAW, ACKF, wait=1, r7=0x10, opts=[0x10, 0, 0x03 | 1 << 2, 0xff]) +
                 rec(0, RAW, ACKF, r7=0x10, opts=[0x10, 0, 0x02 | 11 << 2, 0]) +
                 rec(0, RAW, ACKF, r7=0x10, opts=[0x10, 0, 0x81, 0xf6]) +
                 rec(0, RAW, ACKF, opts=[0x10, 0, 0, 0xf6]) +
                 rec(0, DATA, PSH, HTTP_RESP, wait=5) + rec(0, FIN, wait=5) +
                 rec(1, SYNACK, wait=250, opts=sackp) +
                 rec(1, DATA, PSH, 10, seqd=20, wait=1) + rec(1, DATA, PSH, 10, seqd=50) +
                 rec(1, DATA, PSH, 10, seqd=80) + rec(1, DATA, PSH, 10, seqd=50) +
                 rec(1, DATA, PSH, 15, seqd=45) + rec(1, FIN, seqd=ECHO_LEN) +
                 rec(1, DATA, PSH, 20) + rec(1, DATA, PSH, ECHO_LEN - 20, wait=1) +
                 rec(1, FIN, wait=5))
    yield "sack", h + sack_body
    yield "v6_sack", h6 + sack_body
    yield "arp_late", bytes([0x00, 0x00, 0x11, LATE]) + rec(0, TIME, wait=2100) + rec(0, SYNACK, wait=300)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "client")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
