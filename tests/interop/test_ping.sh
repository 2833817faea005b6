#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 2: the kernel in the namespace resolves 198.18.0.1 by ARP and pings it; the daemon's
# counters show exactly those packets. Then large echo requests (payload byte for byte, checked
# by ping), and a fragmented echo request, which the daemon drops and counts.
. "$(dirname "$0")/lib.sh"
tl_init lping
tl_need_daemon
tl_need ping tcpdump tshark

daemon_start || finish
check_eq "ARP probe answered with the host end's MAC" "$DAEMON_MAC" "$LAB_HOST_MAC"
check_eq "icmp_echo_rx before ping" "$(counter icmp_echo_rx)" 0

capture_start
nsx ip neigh flush dev "$LAB_NS_IF"
out=$(nsx ping -n -c 5 -i 0.2 -W 2 "$DAEMON_IP")
check_eq "ping: 5 replies" "$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")" 5
check_eq "kernel resolved $DAEMON_IP to the daemon's MAC" \
	"$(nsx ip neigh show "$DAEMON_IP" dev "$LAB_NS_IF" | awk '{print $3}')" "$LAB_HOST_MAC"
capture_stop
check_eq "capture: 5 echo replies from $DAEMON_IP with good checksums" \
	"$(pcap_count "icmp.type == 0 && ip.src == $DAEMON_IP && icmp.checksum.status == 1 && ip.checksum.status == 1")" 5
check_eq "capture: ARP replies from the daemon" \
	"$(pcap_count "arp.opcode == 2 && arp.src.proto_ipv4 == $DAEMON_IP && arp.src.hw_mac == $LAB_HOST_MAC")" \
	"$(pcap_count "arp.opcode == 1 && arp.dst.proto_ipv4 == $DAEMON_IP")"
check_capture_clean

s=$(tele /tcpd/stats)
read -r erx etx arx atx rx <<<"$(json_get icmp_echo_rx icmp_echo_tx arp_rx arp_tx rx_pkts <<<"$s" | tr '\n' ' ')"
check_eq "icmp_echo_rx" "$erx" 5
check_eq "icmp_echo_tx" "$etx" 5
check_ge "arp_rx (the probe and the kernel's request)" "$arx" 2
check_eq "arp_tx == arp_rx + 1 (the gratuitous ARP at start)" "$atx" $((arx + 1))
check_eq "rx_pkts == arp_rx + icmp_echo_rx (nothing else reached the daemon)" "$rx" $((arx + erx))
drops=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(v for k,v in d.items() if k.startswith("drop_") and isinstance(v,int)))' <<<"$s")
check_eq "no drop counter moved" "$drops" 0

# Large payload: ping compares every byte of the reply with what it sent ("wrong data byte").
out=$(nsx ping -n -c 3 -i 0.2 -W 2 -s 1472 -p a55a0ff0 "$DAEMON_IP")
check_eq "ping -s 1472: 3 replies" "$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")" 3
check_eq "ping -s 1472: payload intact" "$(grep -c 'wrong data' <<<"$out")" 0
check_eq "icmp_echo_tx after the large pings" "$(counter icmp_echo_tx)" 8

# Echo requests larger than the MTU arrive as IP fragments; net_af_packet's fanout socket
# (PACKET_FANOUT_FLAG_DEFRAG) reassembles them in the kernel, so the daemon sees one frame larger
# than the link MTU. It must not answer with a frame the link cannot carry (veth drops it; a NIC
# would too): one counted drop, no reply.
for size in 1600 3000; do
	before=$(tele /tcpd/stats)
	nsx ping -n -c 1 -W 1 -s $size "$DAEMON_IP" >/dev/null 2>&1
	after=$(tele /tcpd/stats)
	d=$(python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
drops = lambda d: sum(v for k, v in d.items() if k.startswith("drop_") and isinstance(v, int))
print(b["icmp_echo_tx"] - a["icmp_echo_tx"], drops(b) - drops(a), b["tx_pkts"] - a["tx_pkts"])' "$before" "$after")
	check_eq "ping -s $size (beyond the MTU): replies sent, drops counted, frames sent" "$d" "0 1 0"
done

daemon_stop
finish
