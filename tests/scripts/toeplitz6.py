#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Which RX queue the reply to each IPv6 client tuple reaches, by a plain Toeplitz hash apart
from lib/client (Microsoft's default key, a round-robin RETA of 128 entries over N queues, the
36-byte IPv6/TCP input: source address, destination address, source port, destination port).
Used to write the expected tuples of client6_rss*.scn:

    toeplitz6.py TARGET TARGET_PORT QUEUE N OUR_ADDR[,OUR_ADDR...] PORT-PORT

prints "port address hash queue" for every tuple, port-major as the chooser walks them.
"""
import ipaddress
import sys

KEY=bytes([0x6d,0x5a,0x56,0xda,0x25,0x5b,0x0e,0xc2,0x41,0x67,0x25,0x3d,0x43,0xa3,0x8f,0xb0,0xd0,0xca,0x2b,0xcb,0xae,0x7b,0x30,0xb4,0x77,0xcb,0x2d,0xa3,0x80,0x30,0xf2,0x0c,0x6a,0x42,0xb7,0x3b,0xbe,0xac,0x01,0xfa])
def toep(data):
    k=int.from_bytes(KEY,'big'); kl=len(KEY)*8; r=0
    for i in range(len(data)*8):
        if data[i//8]>>(7-i%8)&1:
            r^=(k>>(kl-32-i))&0xffffffff
    return r
def h6(src,dst,sp,dp):
    return toep(ipaddress.IPv6Address(src).packed+ipaddress.IPv6Address(dst).packed+sp.to_bytes(2,'big')+dp.to_bytes(2,'big'))
# Microsoft's first IPv6 verification vector (with TCP ports)
assert h6('3ffe:2501:200:1fff::7','3ffe:2501:200:3::1',2794,1766)==0x40207d3d
if __name__=='__main__':
    tgt,tport,q,n=sys.argv[1],int(sys.argv[2]),int(sys.argv[3]),int(sys.argv[4])
    srcs=sys.argv[5].split(',');p0,p1=map(int,sys.argv[6].split('-'))
    out=[]
    for p in range(p0,p1+1):
        for s in srcs:
            h=h6(tgt,s,tport,p)
            out.append((p,s,h,(h%128)%n))
    for o in out: print(o[0],o[1],hex(o[2]),o[3])
