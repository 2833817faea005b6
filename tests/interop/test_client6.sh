#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 15, client mode over IPv6: dpdk-tcpd --ip6 2001:2::1/64 --connect [2001:2::2]:8080:http
# against the Linux stack's HTTP server in the namespace (the Python server of client_lib.sh on
# ::, keep-alive, a 3000-byte body). The client resolves the server by neighbour discovery, the
# server's kernel resolves the client the same way; a bounded load (--cps 100 --duration 2,
# 3 requests per connection): 0 failures, the client's counts equal to what the server saw,
# SYNs with MSS 1440 and good checksums on the wire. Addresses from 2001:2::/48, inside the
# namespace only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client_lib.sh"
tl_init lclient6
tl_need_daemon
tl_need tcpdump tshark

NS_IP6=2001:2::2
OUR_IP6=2001:2::1
nsx sysctl -qw "net.ipv6.conf.$LAB_NS_IF.disable_ipv6=0"
nsx ip -6 addr add "$NS_IP6/64" dev "$LAB_NS_IF" nodad
PY_SERVER6=1 py_server http 8080 3000 || {
	not_ok "python server listening on ::"
	finish
}
capture_start
client_run 30 --ip6 "$OUR_IP6/64" --connect "[$NS_IP6]:8080:http" --cps 100 --duration 2 \
	--drain 3 --requests 3 --concurrency 1000 --src-ports 20000-29999
capture_stop
check_eq "client exit status" "$CLIENT_RC" 0
check_eq "attempted" "$(final attempted)" 200
check_eq "established" "$(final established)" 200
check_eq "completed" "$(final completed)" 200
check_eq "failed" "$(final failed)" 0
check_eq "responses" "$(final responses)" 600
check_eq "response payload bytes above 600 x 3000" "$(($(final rx_payload) > 600 * 3000))" 1
check_eq "report names the IPv6 target" \
	"$(tail -1 "$REPORT" | python3 "$TLPY" json-get config.connect)" "[\"[$NS_IP6]:8080:http\"]"
sleep 1
check_eq "server: connections" "$(server_stat conns)" 200
check_eq "server: requests" "$(server_stat requests)" 600
check_eq "server: one peer address" "$(server_stat peers)" 1
check_eq "the server's kernel resolved $OUR_IP6 to the client's MAC" \
	"$(nsx ip -6 neigh show "$OUR_IP6" dev "$LAB_NS_IF" | awk '{print $3}')" "$LAB_HOST_MAC"
check_ge "capture: our solicitation for $NS_IP6 (to its solicited-node group, our MAC)" \
	"$(pcap_count "icmpv6.type == 135 && ipv6.src == $OUR_IP6 && icmpv6.nd.ns.target_address == $NS_IP6 && icmpv6.opt.linkaddr == $LAB_HOST_MAC && ipv6.hlim == 255")" 1
check_eq "capture: SYNs from $OUR_IP6 with MSS 1440 and a good checksum" \
	"$(pcap_count "ipv6.src == $OUR_IP6 && tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.options.mss_val == 1440 && tcp.checksum.status == 1")" 200
check_eq "capture: our segments with a bad checksum" \
	"$(pcap_count "ipv6.src == $OUR_IP6 && tcp && tcp.checksum.status == 0")" 0
check_eq "capture: RSTs" "$(pcap_count 'tcp.flags.reset == 1')" 0
finish
