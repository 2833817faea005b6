#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Edge cases against the Linux stack: a closed port is refused (RST) and answers FIN and null
# scans with RST,ACK while a listener drops them, pipelined HTTP requests in one segment get one
# response each in order, a client abort (RST) removes the connection, and a new SYN from the
# same 4-tuple reuses the daemon's TIME-WAIT entry (RFC 6191, timestamps).
. "$(dirname "$0")/lib.sh"
tl_init ledge
tl_need_daemon

daemon_start --listen 7:echo,80:http --time-wait 30 --http-body-size 10 || finish

out=$(nsx python3 -c '
import socket
try:
    socket.create_connection(("198.18.0.1", 8080), timeout=3)
    print("connected")
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print(type(e).__name__)')
check_eq "closed port 8080: connection refused (RST)" "$out" refused
check_eq "no_listener counted" "$(counter no_listener)" 1

# Scanner probes without SYN, ACK or RST (hping3's FIN scan and null scan, from raw sockets the
# namespace's kernel leaves alone): a closed port answers <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
# <CTL=RST,ACK> (RFC 9293 3.10.7.1, as Linux); a listener drops them (3.10.7.2), drop_no_ack.
if command -v hping3 >/dev/null && command -v tshark >/dev/null && command -v tcpdump >/dev/null; then
	capture_start
	nsx hping3 -q -c 1 -F -M 5000 -s 41000 -k -p 8080 "$DAEMON_IP" >/dev/null 2>&1
	nsx hping3 -q -c 1 -M 6000 -s 41001 -k -p 8080 "$DAEMON_IP" >/dev/null 2>&1
	nsx hping3 -q -c 1 -F -M 7000 -s 41002 -k -p 80 "$DAEMON_IP" >/dev/null 2>&1
	nsx hping3 -q -c 1 -M 8000 -s 41003 -k -p 80 "$DAEMON_IP" >/dev/null 2>&1
	capture_stop
	rst_ack="ip.src == $DAEMON_IP && tcp.srcport == 8080 && tcp.flags == 0x014 && tcp.seq_raw == 0"
	check_eq "FIN scan of closed 8080: RST,ACK seq 0 ack 5001" \
		"$(pcap_count "$rst_ack && tcp.dstport == 41000 && tcp.ack_raw == 5001")" 1
	check_eq "null scan of closed 8080: RST,ACK seq 0 ack 6000" \
		"$(pcap_count "$rst_ack && tcp.dstport == 41001 && tcp.ack_raw == 6000")" 1
	check_eq "FIN and null scans of listener 80: no reply" \
		"$(pcap_count "ip.src == $DAEMON_IP && tcp.srcport == 80")" 0
	check_eq "no_listener after the scans" "$(counter no_listener)" 3
	check_eq "drop_no_ack after the scans" "$(counter drop_no_ack)" 2
	check_eq "drop_tcp_flags after the scans" "$(counter drop_tcp_flags)" 0
else
	echo "# hping3, tshark or tcpdump not installed: scan checks skipped"
fi

out=$(nsx python3 -c '
import socket, sys
sys.path.insert(0, sys.argv[1])
import tlab
s = socket.create_connection(("198.18.0.1", 80), timeout=5)
s.sendall(tlab.http_request("/1") + tlab.http_request("/2") + tlab.http_request("/3", close=True))
bodies = []
for i in range(3):
    st, h, b = tlab.read_response(s, "response %d" % i)
    bodies.append("%d:%s:%s" % (st, b.decode(), h.get("connection", "")))
tail = s.recv(100)
print(" ".join(bodies), "eof" if tail == b"" else repr(tail))' "$TL_DIR")
check_eq "3 pipelined requests in one segment: 3 responses, the last closes" "$out" \
	"200:0123456789: 200:0123456789: 200:0123456789:close eof"

check_eq "before the abort: conn_live" "$(counter conn_live)" 1
nsx python3 -c '
import socket, struct
s = socket.create_connection(("198.18.0.1", 7), timeout=5)
s.sendall(b"x")
s.recv(1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()'
check "client abort (RST): connection removed" wait_for 3 counter_is conn_live 1
check_eq "rst_rx" "$(counter rst_rx)" 1

# TIME-WAIT reuse: the daemon closes first (Connection: close) and holds TIME-WAIT for 30 s;
# the client, which saw the FIN first, is free to use the same port again at once.
out=$(nsx python3 -c '
import errno, socket, sys, time
sys.path.insert(0, sys.argv[1])
import tlab
for i in range(2):
    # Our side leaves LAST-ACK once the daemon acknowledges our FIN: retry until it has.
    for attempt in range(50):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("198.18.0.2", 40123))
        s.settimeout(5)
        try:
            s.connect(("198.18.0.1", 80))
            break
        except OSError as e:
            if e.errno != errno.EADDRNOTAVAIL:
                raise
            s.close()
            time.sleep(0.1)
    s.sendall(tlab.http_request("/tw%d" % i, close=True))
    st, h, b = tlab.read_response(s, "tw%d" % i)
    assert s.recv(10) == b""
    s.close()
    print(st, end=" ")
' "$TL_DIR" 2>&1)
check_eq "same 4-tuple twice within TIME-WAIT: both served" "$out" "200 200 "
check_eq "time_wait_reuse" "$(counter time_wait_reuse)" 1
check_eq "states.time_wait" "$(tele /tcpd/stats | json_get states.time_wait)" 2
daemon_stop
finish
