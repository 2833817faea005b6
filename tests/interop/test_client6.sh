#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 15, client mode over IPv6: dpdk-tcpd --ip6 2001:2::1/64 --connect [2001:2::2]:8080:http
# against the Linux stack's HTTP server in the namespace (the Python server of client_lib.sh on
# ::, keep-alive, a 3000-byte body). The client resolves the server by neighbour discovery, the
# server's kernel resolves the client the same way; a bounded load (--cps 100 --duration 2,
# 3 requests per connection): 0 failures, the client's counts equal to what the server saw,
# SYNs with MSS 1440 and good checksums on the wire. Then the same load from an IPv6 source
# range of 16 addresses (--src-ip 2001:2::100-2001:2::10f): every connection's source checked
# against the server's count per peer. Addresses from 2001:2::/48, inside the namespace only.
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

# From an IPv6 source range (--src-ip ADDR6-ADDR6, 16 addresses): the server's kernel resolves
# every range address by neighbour discovery (the daemon answers for all of them), each
# connection leaves from a range address and never from our --ip6, and the SYNs the capture
# shows per source address equal the connections the server counted per peer address.
RANGE=2001:2::100-2001:2::10f
conns0=$(server_stat conns)
reqs0=$(server_stat requests)
capture_start
client_run 30 --ip6 "$OUR_IP6/64" --src-ip "$RANGE" --connect "[$NS_IP6]:8080:http" \
	--cps 100 --duration 2 --drain 3 --requests 3 --concurrency 1000 --src-ports 20000-29999
capture_stop
check_eq "range: client exit status" "$CLIENT_RC" 0
check_eq "range: attempted" "$(final attempted)" 200
check_eq "range: completed" "$(final completed)" 200
check_eq "range: failed" "$(final failed)" 0
check_eq "range: responses" "$(final responses)" 600
sleep 1
check_eq "range: server connections" "$(($(server_stat conns) - conns0))" 200
check_eq "range: server requests" "$(($(server_stat requests) - reqs0))" 600
check_eq "range: server peers (our --ip6 and 16 range addresses)" "$(server_stat peers)" 17
tshark -r "$CAP" -o tcp.check_checksum:TRUE -Y \
	"ipv6.dst == $NS_IP6 && tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.options.mss_val == 1440 && tcp.checksum.status == 1" \
	-T fields -e ipv6.src 2>/dev/null | sort | uniq -c >"$TL_WORK/syn_src.txt"
sed 's/^/# SYNs /' "$TL_WORK/syn_src.txt"
check_eq "range: SYNs from our --ip6" "$(pcap_count "ipv6.src == $OUR_IP6 && tcp.flags.syn == 1")" 0
# shellcheck disable=SC2016
check_eq "range: good SYNs per range address (capture) == connections per peer (server)" \
	"$(python3 - "$TL_WORK/syn_src.txt" "$(server_stat peerconns)" <<'PY'
import ipaddress, sys
syn = {}
for line in open(sys.argv[1]):
    n, a = line.split()
    syn[ipaddress.ip_address(a)] = int(n)
srv = {ipaddress.ip_address(x.split("/")[0]): int(x.split("/")[1]) for x in sys.argv[2].split(";")}
rng = [ipaddress.ip_address("2001:2::100") + i for i in range(16)]
bad = [str(a) for a in rng if syn.get(a) != srv.get(a) or not syn.get(a)]
bad += [str(a) for a in syn if a not in rng]
print("ok" if not bad and sum(syn.values()) == 200 else "differ: " + " ".join(bad) + " sum %d" % sum(syn.values()))
PY
)" ok
check_eq "range: the server's kernel resolved all 16 addresses to the client's MAC" \
	"$(nsx ip -6 neigh show dev "$LAB_NS_IF" | grep -ciE "^2001:2::10[0-9a-f] .*lladdr $LAB_HOST_MAC")" 16
check_eq "range: our segments with a bad checksum" \
	"$(pcap_count "ipv6.dst == $NS_IP6 && tcp && tcp.checksum.status == 0")" 0
check_eq "range: RSTs" "$(pcap_count 'tcp.flags.reset == 1')" 0
finish
