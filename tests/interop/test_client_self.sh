#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 12: dpdk-tcpd loaded by dpdk-tcpd. The server on the lab's host end (lcore 0), the client
# in the namespace on the other end of the veth (lcore 1, address 198.18.0.3, which the
# namespace's kernel does not own, so it stays out of the conversation). A bounded load: 0
# failures, and the client's counts equal to the server's: connections, requests, bytes each way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client_lib.sh"
tl_init lcself
tl_need_daemon

daemon_start --lcores 0 --http-body-size 2000 || finish
CLIENT_NS=1 CLIENT_LCORES=1 CLIENT_IP=198.18.0.3 \
	client_run 40 --connect 198.18.0.1:80:http,198.18.0.1:7:echo --cps 2000 --duration 3 \
	--drain 3 --requests 2 --payload 3000 --concurrency 4000
check_eq "client exit status" "$CLIENT_RC" 0
check_eq "attempted" "$(final attempted)" 6000
check_eq "completed" "$(final completed)" 6000
check_eq "failed" "$(final failed)" 0
check_eq "responses" "$(final responses)" 12000
s=$(tele /tcpd/stats)
check_eq "server: connections opened = client's established" \
	"$(json_get conn_opened <<<"$s")" "$(final established)"
check_eq "server: http requests = client's http responses (half the targets)" \
	"$(json_get http_requests <<<"$s")" 6000
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
