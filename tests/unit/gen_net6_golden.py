#!/usr/bin/python3
# Writes the golden frames of tests/unit/test_net6.c as C arrays (scapy builds them, so their
# checksums are independent of lib/net). Run: /usr/bin/python3 tests/unit/gen_net6_golden.py
# and paste the arrays. Addresses from 2001:2::/48 (RFC 5180).
from scapy.all import *
OUR_MAC="02:00:00:00:00:01"; PEER_MAC="02:00:00:00:00:02"
OUR="2001:2::1"; PEER="2001:2::2"
def carr(name, pkt):
    b=bytes(pkt)
    s="static const uint8_t %s[%d] = {\n" % (name, len(b))
    for i in range(0,len(b),12):
        s+="\t"+", ".join("0x%02x"%x for x in b[i:i+12])+",\n"
    s+="};\n"
    return s
data=b"dpdk-tcpd ipv6 ping"
out=[]
out.append(carr("g_echo_req", Ether(dst=OUR_MAC,src=PEER_MAC)/IPv6(src=PEER,dst=OUR,hlim=64,fl=0x12345)/ICMPv6EchoRequest(id=0x1234,seq=1,data=data)))
out.append(carr("g_echo_req_hbh", Ether(dst=OUR_MAC,src=PEER_MAC)/IPv6(src=PEER,dst=OUR,hlim=64,fl=0x12345)/IPv6ExtHdrHopByHop(options=[RouterAlert()])/IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00\x00\x00\x00")])/ICMPv6EchoRequest(id=0x1234,seq=1,data=data)))
out.append(carr("g_echo_rep", Ether(dst=PEER_MAC,src=OUR_MAC)/IPv6(src=OUR,dst=PEER,hlim=64,fl=0x12345)/ICMPv6EchoReply(id=0x1234,seq=1,data=data)))
out.append(carr("g_ns_mcast", Ether(dst="33:33:ff:00:00:01",src=PEER_MAC)/IPv6(src=PEER,dst="ff02::1:ff00:1",hlim=255)/ICMPv6ND_NS(tgt=OUR)/ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)))
out.append(carr("g_ns_ucast", Ether(dst=OUR_MAC,src=PEER_MAC)/IPv6(src=PEER,dst=OUR,hlim=255)/ICMPv6ND_NS(tgt=OUR)/ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)))
out.append(carr("g_na_reply", Ether(dst=PEER_MAC,src=OUR_MAC)/IPv6(src=OUR,dst=PEER,hlim=255)/ICMPv6ND_NA(tgt=OUR,R=0,S=1,O=1)/ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC)))
out.append(carr("g_ns_dad", Ether(dst="33:33:ff:00:00:01",src=PEER_MAC)/IPv6(src="::",dst="ff02::1:ff00:1",hlim=255)/ICMPv6ND_NS(tgt=OUR)))
out.append(carr("g_na_allnodes", Ether(dst="33:33:00:00:00:01",src=OUR_MAC)/IPv6(src=OUR,dst="ff02::1",hlim=255)/ICMPv6ND_NA(tgt=OUR,R=0,S=0,O=1)/ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC)))
out.append(carr("g_ns_out", Ether(dst="33:33:ff:00:00:02",src=OUR_MAC)/IPv6(src=OUR,dst="ff02::1:ff00:2",hlim=255)/ICMPv6ND_NS(tgt=PEER)/ICMPv6NDOptSrcLLAddr(lladdr=OUR_MAC)))
out.append(carr("g_na_in", Ether(dst=OUR_MAC,src=PEER_MAC)/IPv6(src=PEER,dst=OUR,hlim=255)/ICMPv6ND_NA(tgt=PEER,R=0,S=1,O=1)/ICMPv6NDOptDstLLAddr(lladdr=PEER_MAC)))
out.append(carr("g_tcp_syn", Ether(dst=OUR_MAC,src=PEER_MAC)/IPv6(src=PEER,dst=OUR,hlim=64,tc=0x02,fl=0xabcde)/TCP(sport=40000,dport=80,flags="S",seq=0xdeadbeef,window=64800,options=[('MSS',1440),('SAckOK',b''),('Timestamp',(0x11223344,0)),('NOP',None),('WScale',7)])))
out.append(carr("g_tcp_synack", Ether(dst=PEER_MAC,src=OUR_MAC)/IPv6(src=OUR,dst=PEER,hlim=64,tc=0x02,fl=0xabcde)/TCP(sport=80,dport=40000,flags="SA",seq=0x01020304,ack=0xdeadbef0,window=65535,options=[('MSS',1440),('SAckOK',b''),('Timestamp',(0x55667788,0x11223344)),('NOP',None),('WScale',9)])))
out.append(carr("g_tcp_data", Ether(dst=PEER_MAC,src=OUR_MAC)/IPv6(src=OUR,dst=PEER,hlim=64)/TCP(sport=80,dport=40000,flags="PA",seq=0x01020305,ack=0xdeadbef0,window=502,options=[('NOP',None),('NOP',None),('Timestamp',(0x55667799,0x11223355))])/Raw(b"HTTP/1.1 200 OK\r\n\r\n")))
print("/* Generated with scapy " + conf.version + " (tests/unit/test_net6.c, golden frames). */")
print("\n".join(out))
