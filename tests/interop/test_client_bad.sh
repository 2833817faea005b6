#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 12: client mode against the Linux stack's echo server (every byte checked back), then the
# bad cases, each with a counted reason, a message and a non-zero exit status, never a hang:
# a closed port (RST to every SYN: syn_rst, exit 3), --allow-failures (exit 0), a target nobody
# answers ARP for (exit 1 within --arp-timeout, the address named), and a server that
# stops answering once the load runs (response timeouts), and one that resets mid-response
# (est_rst).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/client_lib.sh"
tl_init lcbad
tl_need_daemon

py_server echo 7007 || { not_ok "python echo server listening"; finish; }
client_run 30 --connect 198.18.0.2:7007:echo --cps 100 --duration 2 --drain 3 --requests 4 \
	--payload 5000
check_eq "echo: exit status" "$CLIENT_RC" 0
check_eq "echo: completed" "$(final completed)" 200
check_eq "echo: failed" "$(final failed)" 0
check_eq "echo: responses" "$(final responses)" 800
check_eq "echo: bytes received = sent = 200 x 4 x 5000" "$(final rx_payload)/$(final tx_payload)" \
	"4000000/4000000"
sleep 1
check_eq "echo: bytes the server saw" "$(server_stat bytes)" 4000000

client_run 30 --connect 198.18.0.2:7999:http --cps 100 --duration 1 --drain 2
check_eq "closed port: exit status 3 (connections failed)" "$CLIENT_RC" 3
check_eq "closed port: attempted" "$(final attempted)" 100
check_eq "closed port: every one refused (failed_syn_rst)" "$(final failed_syn_rst)" 100
check_eq "closed port: failed" "$(final failed)" 100
check_eq "closed port: report's exit_status" "$(final exit_status)" 3
check "closed port: message" grep -q "100 connection(s) failed" "$CLIENT_OUT"

client_run 30 --connect 198.18.0.2:7999:http --cps 50 --duration 1 --drain 1 --allow-failures 1
check_eq "closed port, --allow-failures 1: exit status" "$CLIENT_RC" 0
check_eq "closed port, --allow-failures 1: failed_syn_rst" "$(final failed_syn_rst)" 50

start=$SECONDS
client_run 30 --connect 198.18.0.77:80:http --cps 10 --duration 1 --arp-timeout 2
check_eq "no ARP answer: exit status 1" "$CLIENT_RC" 1
check "no ARP answer: the message names the address" grep -q "no ARP reply from 198.18.0.77" \
	"$CLIENT_OUT"
check_le "no ARP answer: gave up within 10 s" $((SECONDS - start)) 10
check_eq "no ARP answer: nothing attempted" "$(final attempted)" 0

# A server that accepts (the kernel completes the handshake) but never reads nor answers.
bg_ns python3 -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8081)); s.listen(1024); print("listening", flush=True); time.sleep(60)' \
	>"$TL_WORK/mute.out" 2>&1
wait_for 10 grep -q listening "$TL_WORK/mute.out"
client_run 30 --connect 198.18.0.2:8081:http --cps 20 --duration 1 --drain 4 \
	--response-timeout 1
check_eq "mute server: exit status 3" "$CLIENT_RC" 3
check_eq "mute server: established" "$(final established)" 20
check_eq "mute server: every one a response timeout" "$(final failed_response_timeout)" 20

# A server that resets mid-response: half a response, then a RST (SO_LINGER 0).
bg_ns python3 -c 'import socket, struct, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8082)); s.listen(1024); print("listening", flush=True)
def serve(c):
    c.recv(4096)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 100)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()' >"$TL_WORK/rst.out" 2>&1
wait_for 10 grep -q listening "$TL_WORK/rst.out"
client_run 30 --connect 198.18.0.2:8082:http --cps 20 --duration 1 --drain 3
check_eq "reset mid-response: exit status 3" "$CLIENT_RC" 3
check_eq "reset mid-response: every one est_rst" "$(final failed_est_rst)" 20
check_eq "reset mid-response: failed" "$(final failed)" 20
finish
