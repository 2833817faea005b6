#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 11 item 1: ApacheBench (HTTP/1.0 requests) against the http service. RFC 9112 9.3: a plain
# HTTP/1.0 request is answered with "Connection: close" and the connection closed after it (ab
# reads to the close); with "Connection: Keep-Alive" (ab -k) the response says keep-alive and
# the connection serves the next request. Before the fix every request of both runs timed out.
. "$(dirname "$0")/lib.sh"
tl_init ab
tl_need_daemon
tl_need ab nstat

daemon_start --listen 80:http --http-body-size 100 --time-wait 1 || finish

# run_ab NAME ARGS...: ab with a 10 s socket timeout (a hang fails fast), output in $TL_WORK/NAME.
run_ab() {
	local name=$1
	shift
	nsx timeout 120 ab -s 10 "$@" "http://$DAEMON_IP/" >"$TL_WORK/$name" 2>&1
	local rc=$?
	check_eq "$name: ab exit status" "$rc" 0 || sed 's/^/#   /' "$TL_WORK/$name" | tail -15
}

# field NAME LABEL: the number after "LABEL:" in ab's report.
field() {
	sed -n "s/^$2:[[:space:]]*\([0-9]*\).*/\1/p" "$TL_WORK/$1" | head -1
}

o0=$(counter conn_opened)
run_ab ab -n 200 -c 4
check_eq "ab: Complete requests" "$(field ab 'Complete requests')" 200
check_eq "ab: Failed requests" "$(field ab 'Failed requests')" 0
check_eq "ab: no non-2xx responses" "$(grep -c '^Non-2xx' "$TL_WORK/ab")" 0
check_eq "ab: Document Length (the body)" "$(field ab 'Document Length')" 100
# Each request on its own connection; ab may open up to -c more that it closes unused when
# the count is reached.
n=$(($(counter conn_opened) - o0))
check_ge "ab: a connection per request" "$n" 200
check_le "ab: at most 4 connections more (opened by ab, closed unused)" "$n" 204
check_eq "ab: http_requests" "$(counter http_requests)" 200

o1=$(counter conn_opened)
run_ab abk -n 200 -c 4 -k
check_eq "ab -k: Complete requests" "$(field abk 'Complete requests')" 200
check_eq "ab -k: Failed requests" "$(field abk 'Failed requests')" 0
check_eq "ab -k: Keep-Alive requests" "$(field abk 'Keep-Alive requests')" 200
check_eq "ab -k: no non-2xx responses" "$(grep -c '^Non-2xx' "$TL_WORK/abk")" 0
check_eq "ab -k: 4 connections (-c 4), kept alive" "$(($(counter conn_opened) - o1))" 4
check_eq "http_requests" "$(counter http_requests)" 400

# HEAD (ab -i) kept alive: each response is the header section alone (RFC 9110 9.3.2), or ab
# would read the body as the next response and count it failed.
o2=$(counter conn_opened)
run_ab abi -n 100 -c 2 -k -i
check_eq "ab -k -i (HEAD): Complete requests" "$(field abi 'Complete requests')" 100
check_eq "ab -k -i (HEAD): Failed requests" "$(field abi 'Failed requests')" 0
check_eq "ab -k -i (HEAD): Keep-Alive requests" "$(field abi 'Keep-Alive requests')" 100
check_eq "ab -k -i (HEAD): 2 connections, kept alive" "$(($(counter conn_opened) - o2))" 2
# POST with a 3000-byte body (ab -p): the body is consumed, not read as the next request.
head -c 3000 /dev/zero | tr '\0' 'x' >"$TL_WORK/post.txt"
o3=$(counter conn_opened)
run_ab abp -n 100 -c 2 -k -p "$TL_WORK/post.txt" -T text/plain
check_eq "ab -k -p (POST): Complete requests" "$(field abp 'Complete requests')" 100
check_eq "ab -k -p (POST): Failed requests" "$(field abp 'Failed requests')" 0
check_eq "ab -k -p (POST): Keep-Alive requests" "$(field abp 'Keep-Alive requests')" 100
check_eq "ab -k -p (POST): 2 connections, kept alive" "$(($(counter conn_opened) - o3))" 2
check_eq "http_requests after HEAD and POST" "$(counter http_requests)" 600

# Both runs end with their connections closed: the table empties (TIME-WAIT 1 s).
check "conn_live back to 0" wait_for 10 counter_is conn_live 0

# The daemon's counters: nothing thrown away, nothing reset. One exception, counted against its
# cause (as in interop_multiqueue): a segment Linux resent after a late ACK arrives as a
# duplicate, out of window, ACKed and dropped; so drop_out_of_window <= the namespace's
# TcpRetransSegs.
tele /tcpd/stats >"$TL_WORK/s.json"
check_eq "drop counters (every drop_* but out_of_window) all 0" \
	"$(drops_but "$TL_WORK/s.json" drop_out_of_window)" 0
oow=$(json_get drop_out_of_window <"$TL_WORK/s.json")
retrans=$(nsx nstat -asz TcpRetransSegs | awk '$1 == "TcpRetransSegs" {print $2}')
check "drop_out_of_window ($oow) <= client retransmissions (${retrans:-?})" \
	test "$oow" -le "${retrans:-0}"
for key in tx_drop rst_tx rst_rx rto_timeout table_full no_listener; do
	check_eq "$key" "$(json_get $key <"$TL_WORK/s.json")" 0
done
check_eq "namespace: kernel TCP resets and failed connects" \
	"$(nsx nstat -asz TcpAttemptFails TcpEstabResets TcpOutRsts | awk '$1 ~ /^Tcp/ {printf "%s=%s ", $1, $2}')" \
	"TcpAttemptFails=0 TcpEstabResets=0 TcpOutRsts=0 "
daemon_stop

# --http-max-requests 3 (nginx's keepalive_requests): ab -k's every third request on a
# connection is answered with "Connection: close" and our FIN; ab reads it as a response that
# is not kept alive and opens a new connection: 30 requests on 10 connections.
daemon_start --listen 80:http --http-body-size 100 --time-wait 1 --http-max-requests 3 || finish
run_ab abmr -n 30 -c 1 -k
check_eq "ab -k, 3 a connection: Complete requests" "$(field abmr 'Complete requests')" 30
check_eq "ab -k, 3 a connection: Failed requests" "$(field abmr 'Failed requests')" 0
check_eq "ab -k, 3 a connection: Keep-Alive requests" "$(field abmr 'Keep-Alive requests')" 20
check_eq "ab -k, 3 a connection: connections" "$(counter conn_opened)" 10
check_eq "ab -k, 3 a connection: http_requests" "$(counter http_requests)" 30
check "ab -k, 3 a connection: conn_live back to 0" wait_for 10 counter_is conn_live 0
check_eq "ab -k, 3 a connection: rst_tx rst_rx" "$(counter rst_tx) $(counter rst_rx)" "0 0"
daemon_stop
finish
