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

# hold_conn TS: a connection with tcp_timestamps=TS, held open while ss looks at it; the client
# also reports its TCP_INFO: tcpi_options (1 timestamps, 2 SACK, 4 window scaling) and the
# window scale shifts. iproute2 6.1's ss does not print "ts"/"sack" on this kernel even for a
# kernel-to-kernel connection (checked on loopback), so those two come from TCP_INFO.
hold_conn() {
	nsx sysctl -qw "net.ipv4.tcp_timestamps=$1"
	ip netns exec "$LAB_NS" python3 -c '
import socket, sys, time
s = socket.create_connection(("198.18.0.1", 7), timeout=5)
s.sendall(b"cookie handshake data\n")
got = b""
while len(got) < 22:
    got += s.recv(100)
i = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
print("echo-ok" if got == b"cookie handshake data\n" else "echo-bad %r" % got)
print("opts=%d snd_wscale=%d rcv_wscale=%d" % (i[5], i[6] & 15, i[6] >> 4), flush=True)
time.sleep(2)
s.shutdown(socket.SHUT_WR)
s.recv(10)
' >"$TL_WORK/hold.out" &
	hold_pid=$!
	wait_for 5 grep -q opts "$TL_WORK/hold.out"
	SS=$(nsx ss -tinH state established "( dport = :7 )" | tr -s ' \n\t' ' ')
	wait "$hold_pid"
	INFO=$(sed -n 2p "$TL_WORK/hold.out")
	echo "# tcp_timestamps=$1: TCP_INFO $INFO; ss -ti: $SS"
}

hold_conn 1
check_eq "TS on: echo through a cookie connection" "$(head -1 "$TL_WORK/hold.out")" echo-ok
check_eq "TS on: timestamps, SACK and window scaling negotiated (TCP_INFO)" \
	"$(sed -n 's/opts=\([0-9]*\).*/\1/p' <<<"$INFO")" 7
snd=$(sed -n 's/.*snd_wscale=\([0-9]*\).*/\1/p' <<<"$INFO")
rcv=$(sed -n 's/.*rcv_wscale=\([0-9]*\).*/\1/p' <<<"$INFO")
check "TS on: ss -ti shows wscale:$snd,$rcv (daemon's, ours)" grep -q "wscale:$snd,$rcv " <<<"$SS"
check_ge "TS on: our window scale survived the cookie" "$rcv" 1

hold_conn 0
check_eq "TS off: echo through a cookie connection" "$(head -1 "$TL_WORK/hold.out")" echo-ok
check_eq "TS off: no timestamps, SACK nor window scaling (lost without TS, as in Linux)" \
	"$(sed -n 's/opts=\([0-9]*\).*/\1/p' <<<"$INFO")" 0
check "TS off: ss -ti shows no wscale" bash -c "! grep -q wscale <<<'$SS'"
nsx sysctl -qw net.ipv4.tcp_timestamps=1

s=$(tele /tcpd/stats)
check_eq "cookie_sent for the 2 handshakes" "$(json_get cookie_sent <<<"$s")" 2
check_eq "cookie_ok" "$(json_get cookie_ok <<<"$s")" 2
check_eq "conn_half_open (always: no SYN-RECEIVED state)" "$(json_get conn_half_open <<<"$s")" 0

# Flood + 200 curl requests. On this 2-core machine the veth/af_packet path saturates before the
# daemon does (the daemon's lcore also runs the kernel's receive work for every frame it sends
# into the namespace): beyond that rate SYNs, the legitimate ones included, are lost before the
# daemon sees them. So: 3 s at full speed measure what the path delivers (and show the daemon
# survives overload), then the flood runs at 60% of that (the measure varies by 20% from run to
# run), the highest rate the machine carries without loss,
# while 10 curls at a time make 200 requests.
c0=$(counter syn_rx)
flood --dst-port 80 --src 198.19.0.0/16 --count 10000000 --seconds 3 --quiet >"$TL_WORK/calib.out"
sleep 0.5
c1=$(counter syn_rx)
csent=$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' "$TL_WORK/calib.out")
rate=$(((c1 - c0) * 6 / 30))
echo "# full speed: $(cat "$TL_WORK/calib.out"); the daemon received $((c1 - c0)) SYNs; flood rate now $rate/s"
check_ge "full-speed flood: the daemon received SYNs" "$((c1 - c0))" 1000
check_eq "full-speed flood: no connection left" "$(counter conn_live)" 0
syn_before=$c1

# The legitimate traffic only (from 198.18.0.2), for the record when a request fails.
bg_ns tcpdump --immediate-mode -ni "$LAB_NS_IF" -s 128 -w "$TL_WORK/legit.pcap" \
	"host $LAB_NS_IP and tcp port 80" 2>/dev/null
legit_cap=$BG_PID
flood_bg --dst-port 80 --src 198.19.0.0/16 --count 50000000 --seconds 120 --rate "$rate" --quiet
flood_pid=$BG_PID
sleep 1
max_live=0
seq 200 | ip netns exec "$LAB_NS" xargs -P 10 -I{} \
	curl -s -o /dev/null -w '%{http_code} %{size_download}\n' --max-time 15 "http://$DAEMON_IP/{}" \
	>"$TL_WORK/curl.out" &
curl_pid=$!
while kill -0 $curl_pid 2>/dev/null; do
	live=$(counter conn_live)
	[ "${live:-0}" -gt "$max_live" ] && max_live=$live
	sleep 0.5
done
wait $curl_pid
flood_running=0
kill -0 $flood_pid 2>/dev/null && flood_running=1
kill -INT $flood_pid 2>/dev/null
wait $flood_pid
kill -INT $legit_cap
check_eq "flood lasted the whole curl run" "$flood_running" 1
check_eq "200 curl requests during the flood: 200 OK with the 100-byte body" \
	"$(grep -c '^200 100$' "$TL_WORK/curl.out")" 200
sent=$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' "$TL_WORK/flood.out")
echo "# flood: $(cat "$TL_WORK/flood.out")"
s=$(tele /tcpd/stats)
read -r cs syn rx txd ok <<<"$(json_get cookie_sent syn_rx rx_pkts tx_drop cookie_ok <<<"$s" | tr '\n' ' ')"
echo "# cookie_sent=$cs syn_rx=$syn rx_pkts=$rx tx_drop=$txd"
# How much of the flood the veth/af_packet path delivers depends on the machine's load (80% on
# an idle machine, 67% seen on a loaded one): reported, never asserted. Asserted are counts and
# outcomes: the flood reached the daemon, every SYN it received got a cookie SYN-ACK and nothing
# was dropped on its way out, every request was answered, and no state was kept for the flood.
echo "# the daemon received $((syn - syn_before)) SYNs during the curl run (200 legitimate) of $sent flood SYNs sent"
check_ge "the flood reached the daemon during the curl run (SYNs beyond the 200 legitimate)" \
	"$((syn - syn_before))" 201
check_eq "every SYN that reached the daemon got a cookie SYN-ACK" "$cs" "$syn"
check_eq "tx_drop" "$txd" 0
check_le "conn_live during the flood (legitimate clients only, 10 at a time)" "$max_live" 12
check "conn_live back to 0 (legitimate connections closed)" wait_for 5 counter_is conn_live 0
check_eq "conn_opened: only the legitimate handshakes" "$(counter conn_opened)" 202
check_eq "cookie_ok == conn_opened" "$ok" 202
check_eq "http_requests" "$(counter http_requests)" 200
daemon_stop
finish
