#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 4: --syncookies always against Linux clients.
#  - with timestamps the options survive the stateless handshake: ss -ti shows ts, sack and
#    wscale:<ours>,<daemon's>; without timestamps SACK and window scaling are lost (Linux cookies
#    behave the same); data is served both ways;
#  - a bounded SYN flood from spoofed sources inside 198.18.0.0/15 while 200 curl requests all
#    succeed; the daemon's table holds only the legitimate connections.
. "$(dirname "$0")/lib.sh"
tl_init lcook
tl_need_daemon
tl_need_flood
tl_need curl ss

daemon_start --listen 7:echo,80:http --syncookies always --http-body-size 100 || finish

# hold_conn TS: a connection with tcp_timestamps=TS, held open while ss looks at it.
hold_conn() {
	nsx sysctl -qw "net.ipv4.tcp_timestamps=$1"
	ip netns exec "$LAB_NS" python3 -c '
import socket, sys, time
s = socket.create_connection(("198.18.0.1", 7), timeout=5)
s.sendall(b"cookie handshake data\n")
got = b""
while len(got) < 22:
    got += s.recv(100)
print("echo-ok" if got == b"cookie handshake data\n" else "echo-bad %r" % got, flush=True)
time.sleep(2)
s.shutdown(socket.SHUT_WR)
s.recv(10)
' >"$TL_WORK/hold.out" &
	hold_pid=$!
	wait_for 5 grep -q echo "$TL_WORK/hold.out"
	SS=$(nsx ss -tinH state established "( dport = :7 )" | tr -s ' \n\t' ' ')
	wait "$hold_pid"
	echo "# ss -ti (tcp_timestamps=$1): $SS"
}

hold_conn 1
check_eq "TS on: echo through a cookie connection" "$(cat "$TL_WORK/hold.out")" echo-ok
check "TS on: timestamps negotiated" grep -qw ts <<<"$SS"
check "TS on: SACK negotiated" grep -qw sack <<<"$SS"
check "TS on: window scaling negotiated (wscale:7,N)" grep -qE 'wscale:7,[0-9]+' <<<"$SS"

hold_conn 0
check_eq "TS off: echo through a cookie connection" "$(cat "$TL_WORK/hold.out")" echo-ok
check "TS off: no timestamps" bash -c "! grep -qw ts <<<'$SS'"
check "TS off: no SACK (lost without timestamps)" bash -c "! grep -qw sack <<<'$SS'"
check "TS off: no window scaling (lost without timestamps)" bash -c "! grep -q wscale <<<'$SS'"
nsx sysctl -qw net.ipv4.tcp_timestamps=1

s=$(tele /tcpd/stats)
check_eq "cookie_sent for the 2 handshakes" "$(json_get cookie_sent <<<"$s")" 2
check_eq "cookie_ok" "$(json_get cookie_ok <<<"$s")" 2
check_eq "conn_half_open (always: no SYN-RECEIVED state)" "$(json_get conn_half_open <<<"$s")" 0

# Flood + 200 curl requests. The flood is bounded (count and time); curl runs meanwhile.
flood_bg --dst-port 80 --src 198.19.0.0/16 --count 3000000 --seconds 15 --quiet
flood_pid=$BG_PID
sleep 1
fails=0
max_live=0
for i in $(seq 200); do
	code=$(nsx curl -s -o "$TL_WORK/body" -w '%{http_code}' --max-time 5 "http://$DAEMON_IP/$i")
	if [ "$code" != 200 ] || [ "$(stat -c %s "$TL_WORK/body")" != 100 ]; then
		fails=$((fails + 1))
	fi
	if [ $((i % 20)) = 0 ]; then
		live=$(counter conn_live)
		[ "$live" -gt "$max_live" ] && max_live=$live
	fi
	kill -0 $flood_pid 2>/dev/null || break
done
flood_running=0
kill -0 $flood_pid 2>/dev/null && flood_running=1
wait $flood_pid
check_eq "flood lasted the whole curl run" "$flood_running" 1
check_eq "200 curl requests during the flood: failures" "$fails/$i" 0/200
sent=$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' "$TL_WORK/flood.out")
echo "# flood: $(cat "$TL_WORK/flood.out")"
s=$(tele /tcpd/stats)
cs=$(json_get cookie_sent <<<"$s")
echo "# cookie_sent=$cs syn_rx=$(json_get syn_rx <<<"$s") rx_pkts=$(json_get rx_pkts <<<"$s") tx_drop=$(json_get tx_drop <<<"$s")"
check_ge "cookie_sent: at least half the flood's SYNs answered" "$cs" $((sent / 2))
check_le "conn_live during the flood (legitimate clients only)" "$max_live" 5
check "conn_live back to 0 (legitimate connections closed)" wait_for 5 counter_is conn_live 0
check_eq "cookie_ok: only the legitimate handshakes" "$(counter cookie_ok)" 202
check_eq "http_requests" "$(counter http_requests)" 200
daemon_stop
finish
