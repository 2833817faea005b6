#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 12: dpdk-tcpd loaded by dpdk-tcpd. The server on the lab's host end (lcore 0), the client
# in the namespace on the other end of the veth (lcore 1, address 198.18.0.3, which the
# namespace's kernel does not own, so it stays out of the conversation). A bounded load: 0
# failures, and the client's counts equal to the server's: connections, requests, bytes each way.
# TCPD_CLIENT_LCORE=0 puts the client on CPU 0 with the server (when CPU 1 is taken).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client_lib.sh"
tl_init lcself
tl_need_daemon

daemon_start --lcores 0 --http-body-size 2000 || finish
CLIENT_NS=1 CLIENT_LCORES=${TCPD_CLIENT_LCORE:-1} CLIENT_IP=198.18.0.3 CLIENT_BG=1 \
	client_run 40 --connect 198.18.0.1:80:http,198.18.0.1:7:echo --cps 300 --duration 6 \
	--drain 10 --requests 2 --payload 3000 --concurrency 4000
# While it runs: the client's telemetry and tcpd-stat's client figures.
client_tele() {
	echo "$1" | nsx timeout 10 dpdk-telemetry.py -f "$CLIENT_PREFIX" 2>&1 |
		python3 "$TLPY" tele-reply "$1"
}
client_attempted_ge() {
	[ "$(client_tele /tcpd/client | json_get attempted)" -ge "$1" ] 2>/dev/null
}
wait_for 15 client_attempted_ge 300
c=$(client_tele /tcpd/client)
check_eq "telemetry /tcpd/client: active" "$(json_get active <<<"$c")" 1
check_ge "telemetry /tcpd/client: attempted" "$(json_get attempted <<<"$c")" 300
l=$(client_tele /tcpd/client/latency)
check_ge "telemetry /tcpd/client/latency: connect count" "$(json_get connect.count <<<"$l")" 100
nsx "$TCPD_STAT" -f "$CLIENT_PREFIX" >"$TL_WORK/stat.out" 2>&1
sed 's/^/# /' "$TL_WORK/stat.out" | grep -A8 client:
check "tcpd-stat shows the client figures and latency" grep -q "connect_sched" "$TL_WORK/stat.out"
client_wait
check_eq "client exit status" "$CLIENT_RC" 0
check_eq "attempted" "$(final attempted)" 1800
check_eq "completed" "$(final completed)" 1800
check_eq "failed" "$(final failed)" 0
check_eq "responses" "$(final responses)" 3600
s=$(tele /tcpd/stats)
check_eq "server: connections opened = client's established" \
	"$(json_get conn_opened <<<"$s")" "$(final established)"
check_eq "server: http requests = client's http responses (half the targets)" \
	"$(json_get http_requests <<<"$s")" 1800
check_eq "server: payload bytes received = client's bytes sent and acknowledged" \
	"$(json_get data_rx_bytes <<<"$s")" "$(final tx_payload)"
retx=$(json_get retransmit <<<"$s")
if [ "$retx" = 0 ]; then
	check_eq "server: payload bytes sent = client's bytes received" \
		"$(json_get data_tx_bytes <<<"$s")" "$(final rx_payload)"
else
	check_ge "server: payload bytes sent (with $retx retransmissions) >= client's received" \
		"$(json_get data_tx_bytes <<<"$s")" "$(final rx_payload)"
fi
check "server: every connection closed" wait_for 5 counter_is conn_live 0
daemon_stop
finish
