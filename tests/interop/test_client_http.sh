#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 12: client mode against the Linux stack's HTTP server (a tiny Python HTTP/1.1 server in
# the namespace, keep-alive, a fixed 3000-byte body: three segments per response). A bounded
# load (--cps 200 --duration 2, 3 requests per connection): 0 failures, every response checked,
# and the client's counts equal to what the server saw.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client_lib.sh"
tl_init lchttp
tl_need_daemon

py_server http 8080 3000 || { not_ok "python server listening"; finish; }
client_run 30 --connect 198.18.0.2:8080:http --cps 200 --duration 2 --drain 3 --requests 3 \
	--concurrency 1000 --src-ports 20000-29999
check_eq "client exit status" "$CLIENT_RC" 0
check_eq "attempted" "$(final attempted)" 400
check_eq "established" "$(final established)" 400
check_eq "completed" "$(final completed)" 400
check_eq "failed" "$(final failed)" 0
check_eq "responses" "$(final responses)" 1200
check_eq "response payload bytes: 1200 x (headers + 3000)" \
	"$(( $(final rx_payload) > 1200 * 3000 ))" 1
check_ge "connect latency samples" "$(final lat_connect_count)" 400
check_eq "report lines: per-second ones and a final one" \
	"$(grep -c '"final": true' "$REPORT")" 1
sleep 1
check_eq "server: connections" "$(server_stat conns)" 400
check_eq "server: requests" "$(server_stat requests)" 1200
check_eq "server: one peer address" "$(server_stat peers)" 1

# Four source addresses of ours besides --ip: the server's kernel resolves them by ARP (we
# answer for them) and sees every one.
client_run 30 --connect 198.18.0.2:8080:http --cps 200 --duration 1 --drain 3 \
	--src-ip 198.18.0.10-198.18.0.13 --src-ports 30000-30099
check_eq "--src-ip range: client exit status" "$CLIENT_RC" 0
check_eq "--src-ip range: completed" "$(final completed)" 200
sleep 1
check_eq "--src-ip range: server connections" "$(server_stat conns)" 600
check_eq "--src-ip range: the server saw the 4 new addresses too" "$(server_stat peers)" 5
check "--src-ip range: the server's kernel has them in its ARP cache" \
	test "$(nsx ip neigh show | grep -c '198.18.0.1[0-3] .*lladdr')" -eq 4
finish
