#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 3: Python sockets open, exchange data and close in both orders (RFC 9293 3.6):
#  - client closes first (echo): the daemon goes CLOSE-WAIT -> LAST-ACK -> CLOSED, the client
#    ends in TIME-WAIT;
#  - server closes first (HTTP Connection: close): the daemon goes FIN-WAIT-1 -> FIN-WAIT-2 (or
#    CLOSING) -> TIME-WAIT and removes the entry after --time-wait; the client ends in CLOSED;
#  - discard: data in, nothing out.
# No RST in either direction, every checksum from the daemon good, counters exact.
. "$(dirname "$0")/lib.sh"
tl_init lclose
tl_need_daemon
tl_need tcpdump tshark ss

daemon_start --listen 7:echo,9:discard,80:http --time-wait 3 || finish
capture_start

# Client first.
port=$(tlab close-client-first --port 7)
check "client closes first: echo, FIN, server FIN" test -n "$port"
check_eq "client socket in TIME-WAIT" \
	"$(nsx ss -tanH state time-wait "( sport = :$port )" | wc -l)" 1
check "daemon: connection gone after LAST-ACK" \
	wait_for 3 counter_is conn_live 0
s=$(tele /tcpd/stats)
check_eq "conn_opened" "$(json_get conn_opened <<<"$s")" 1
check_eq "conn_closed" "$(json_get conn_closed <<<"$s")" 1

# Server first.
port=$(tlab close-server-first --port 80 --body-size 0)
check "server closes first: response, server FIN, our FIN" test -n "$port"
check "client socket fully closed (no TIME-WAIT on the client side)" \
	wait_for 3 ns_no_socket "$port"
s=$(tele /tcpd/stats)
check_eq "daemon holds the connection in TIME-WAIT" "$(json_get states.time_wait <<<"$s")" 1
check_eq "conn_live during TIME-WAIT" "$(json_get conn_live <<<"$s")" 1
check_eq "http_requests" "$(json_get http_requests <<<"$s")" 1
check "TIME-WAIT entry removed after --time-wait 3" \
	wait_for 8 counter_is conn_live 0
s=$(tele /tcpd/stats)
check_eq "time_wait_expired" "$(json_get time_wait_expired <<<"$s")" 1
check_eq "conn_closed" "$(json_get conn_closed <<<"$s")" 2

# Discard: 100 KiB in, nothing back, clean close.
got=$(nsx python3 -c '
import socket
s = socket.create_connection(("198.18.0.1", 9), timeout=10)
s.sendall(b"x" * 102400)
s.shutdown(socket.SHUT_WR)
print(len(s.recv(65536)))')
check_eq "discard: no byte back, EOF after our FIN" "$got" 0
check "discard: connection gone" \
	wait_for 3 counter_is conn_live 0
check_eq "data_rx_bytes (echo 27 + http request + discard 102400)" \
	"$(counter data_rx_bytes)" \
	$((27 + $(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import tlab; print(len(tlab.http_request("/", close=True)))' "$TL_DIR") + 102400))

capture_stop
check_capture_clean
check_eq "capture: FINs from the daemon" "$(pcap_count "ip.src == $DAEMON_IP && tcp.flags.fin == 1")" 3
check_eq "capture: FINs from the client" "$(pcap_count "ip.dst == $DAEMON_IP && tcp.flags.fin == 1")" 3
check_no_loss_repair

daemon_stop
finish
