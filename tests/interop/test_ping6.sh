#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 15, first step: the daemon owns 2001:2::1/64 (RFC 5180's benchmarking prefix, inside the
# namespace only). The namespace's kernel resolves it by neighbour discovery (a solicitation to
# the solicited-node multicast address, answered with a NA carrying the daemon's MAC) and pings
# it; the daemon's unsolicited NA at start is on the wire. TCP over IPv6: test_tcp6.sh.
. "$(dirname "$0")/lib.sh"
tl_init lping6
tl_need_daemon
tl_need ping tcpdump tshark

DAEMON_IP6=2001:2::1
NS_IP6=2001:2::2
nsx sysctl -qw "net.ipv6.conf.$LAB_NS_IF.disable_ipv6=0"
nsx ip -6 addr add "$NS_IP6/64" dev "$LAB_NS_IF" nodad

capture_start
daemon_start --ip6 "$DAEMON_IP6/64" || finish
nsx ip -6 neigh flush dev "$LAB_NS_IF"
out=$(nsx ping -6 -n -c 5 -i 0.2 -W 2 "$DAEMON_IP6")
check_eq "ping -6: 5 replies" "$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")" 5
check_eq "kernel resolved $DAEMON_IP6 to the daemon's MAC" \
	"$(nsx ip -6 neigh show "$DAEMON_IP6" dev "$LAB_NS_IF" | awk '{print $3}')" "$LAB_HOST_MAC"
# TCP over IPv6 reaches lib/tcp (served: test_tcp6.sh).
nsx timeout 3 bash -c "exec 3<>/dev/tcp/$DAEMON_IP6/80" 2>/dev/null
capture_stop
check_eq "capture: 5 echo replies from $DAEMON_IP6 with good checksums" \
	"$(pcap_count "icmpv6.type == 129 && ipv6.src == $DAEMON_IP6 && icmpv6.checksum.status == 1")" 5
check_ge "capture: solicited NA from the daemon with its MAC" \
	"$(pcap_count "icmpv6.type == 136 && icmpv6.nd.na.flag.s == 1 && icmpv6.opt.linkaddr == $LAB_HOST_MAC")" 1
check_eq "capture: one unsolicited NA at start (to all-nodes, override, not solicited)" \
	"$(pcap_count "icmpv6.type == 136 && ipv6.dst == ff02::1 && icmpv6.nd.na.flag.s == 0 && icmpv6.nd.na.flag.o == 1")" 1
check_ge "capture: the kernel's SYNs over IPv6 reached the wire" \
	"$(pcap_count "tcp.flags.syn == 1 && ipv6.dst == $DAEMON_IP6")" 1

s=$(tele /tcpd/stats)
read -r erx etx nsrx natx tcp6 <<<"$(json_get icmp6_echo_rx icmp6_echo_tx nd_ns_rx nd_na_tx tcp6_rx <<<"$s" | tr '\n' ' ')"
check_eq "icmp6_echo_rx" "$erx" 5
check_eq "icmp6_echo_tx" "$etx" 5
check_ge "nd_ns_rx (the kernel's solicitations)" "$nsrx" 1
check_eq "nd_na_tx == nd_ns_rx + 1 (the unsolicited NA at start)" "$natx" $((nsrx + 1))
check_ge "tcp6_rx (the kernel's TCP over IPv6 reached lib/tcp)" "$tcp6" 1
check_eq "/tcpd/config shows the address" "$(tele /tcpd/config | json_get ip6)" "$DAEMON_IP6/64"
daemon_stop
finish
