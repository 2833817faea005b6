#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 5: telemetry over the lab. Real clients make exactly N connections and M HTTP requests
# and hold K connections open; every /tcpd/* command's figures are checked against them through
# dpdk-telemetry.py and tools/tcpd-stat; bad /tcpd/lcore and /tcpd/port parameters get an error
# reply; /tcpd/port's counters match the worker's exactly; the summary line comes at the
# interval; during a bounded flood every reply is valid JSON and no counter goes backwards; after
# it, the kernel's PACKET_STATISTICS account for every frame the port did not receive.
. "$(dirname "$0")/lib.sh"
tl_init ltele
tl_need_daemon
tl_need_flood

N=4 M=10 K=3
daemon_start --listen 80:http,7:echo --stats-interval 1 --time-wait 30 || finish

check "2 connections x 3 requests" tlab http-load --port 80 --conns 2 --reqs 3
check "2 connections x 2 requests" tlab http-load --port 80 --conns 2 --reqs 2
check "first $N connections closed" wait_for 3 counter_is conn_live 0

# K connections held open until $TL_WORK/release disappears (at most 60 s).
touch "$TL_WORK/release"
bg_ns python3 -c '
import os, socket, sys, time
socks = [socket.create_connection(("198.18.0.1", 7), timeout=5) for _ in range(int(sys.argv[1]))]
print(" ".join(str(s.getsockname()[1]) for s in socks), flush=True)
t = time.monotonic()
while os.path.exists(sys.argv[2]) and time.monotonic() - t < 60:
    time.sleep(0.1)
for s in socks:
    s.close()
' "$K" "$TL_WORK/release" >"$TL_WORK/held"
holder=$BG_PID
wait_for 5 test -s "$TL_WORK/held"
read -r -a held_ports <"$TL_WORK/held"
check_eq "held connections" "${#held_ports[@]}" "$K"
wait_for 3 counter_is conn_live "$K"

# /tcpd/stats
s=$(tele /tcpd/stats)
check_eq "/tcpd/stats conn_opened == N + K" "$(json_get conn_opened <<<"$s")" $((N + K))
check_eq "/tcpd/stats http_requests == M" "$(json_get http_requests <<<"$s")" "$M"
check_eq "/tcpd/stats conn_live == K" "$(json_get conn_live <<<"$s")" "$K"
check_eq "/tcpd/stats conn_closed == N" "$(json_get conn_closed <<<"$s")" "$N"
check_eq "/tcpd/stats states.established == K" "$(json_get states.established <<<"$s")" "$K"
check_eq "/tcpd/stats workers" "$(json_get workers <<<"$s")" 1

# /tcpd/lcores and /tcpd/lcore,<id>
l=$(tele /tcpd/lcores)
lcores=$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin))))' <<<"$l")
check_eq "/tcpd/lcores: one worker, lcore 1" "$lcores" 1
check_eq "/tcpd/lcores: lcore 1 serves port 0 queue 0" \
	"$(json_get 1.lcore 1.port 1.queue <<<"$l" | tr '\n' ' ')" "1 0 0 "
w=$(tele /tcpd/lcore,1)
check_eq "/tcpd/lcore,1 conn_opened" "$(json_get conn_opened <<<"$w")" $((N + K))
check_eq "/tcpd/lcore,1 http_requests" "$(json_get http_requests <<<"$w")" "$M"
check_eq "/tcpd/lcore,1 states.established" "$(json_get states.established <<<"$w")" "$K"
check_eq "/tcpd/lcore,1 lcore/port/queue" "$(json_get lcore port queue <<<"$w" | tr '\n' ' ')" "1 0 0 "

# /tcpd/conns
c=$(tele /tcpd/conns)
check_eq "/tcpd/conns live" "$(json_get live <<<"$c")" "$K"
check_eq "/tcpd/conns total.established" "$(json_get total.established <<<"$c")" "$K"
check_eq "/tcpd/conns lcores.1.established" "$(json_get lcores.1.established <<<"$c")" "$K"

# /tcpd/listeners
l=$(tele /tcpd/listeners)
check_eq "/tcpd/listeners: ports" \
	"$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin))))' <<<"$l")" "7 80"
check_eq "/tcpd/listeners 80: http, accepted N" \
	"$(json_get 80.service 80.accepted 80.reset <<<"$l" | tr '\n' ' ')" "http $N 0 "
check_eq "/tcpd/listeners 7: echo, accepted K" \
	"$(json_get 7.service 7.accepted 7.reset <<<"$l" | tr '\n' ' ')" "echo $K 0 "

# /tcpd/config
c=$(tele /tcpd/config)
check_eq "/tcpd/config stats_interval" "$(json_get stats_interval <<<"$c")" 1
check_eq "/tcpd/config time_wait" "$(json_get time_wait <<<"$c")" 30
check "/tcpd/config shows the listeners" grep -q '80:http' <<<"$c"
check "/tcpd/config shows the address" grep -q '198.18.0.1' <<<"$c"
check "/tcpd/config never shows the secret" bash -c "! grep -qi '\"cookie_secret\": *\"[0-9a-f]\{16,\}' <<<'$c'"

# /tcpd/cookies
k=$(tele /tcpd/cookies)
s=$(tele /tcpd/stats)
check_eq "/tcpd/cookies sent/ok == /tcpd/stats cookie_sent/cookie_ok" \
	"$(json_get sent ok <<<"$k" | tr '\n' ' ')" "$(json_get cookie_sent cookie_ok <<<"$s" | tr '\n' ' ')"
check_eq "/tcpd/cookies mode (default)" "$(json_get mode <<<"$k")" auto

# /tcpd/port: the port's own counters. net_af_packet (22.11) adds to a queue's q_ipackets exactly
# the frames its rx_burst hands the worker, and returns from tx_burst exactly the frames it
# counts in q_opackets or oerrors (a frame it took but could not queue to the kernel); it fills
# no RX loss field (README: "What the port counts"). So with the connections idle (read port,
# worker, kernel, port until nothing moved in between): queues.1.ipackets == ipackets ==
# rx_pkts, opackets + oerrors == tx_pkts, imissed == ierrors == rx_nombuf == 0, and the kernel
# interface behind the port received exactly ipackets frames (none lost in the af_packet ring at
# this rate).
for try in 1 2 3 4 5; do
	p1=$(tele /tcpd/port)
	w=$(tele /tcpd/lcore,1)
	kin=$(cat "/sys/class/net/$LAB_HOST_IF/statistics/rx_packets")
	p2=$(tele /tcpd/port)
	[ "$p1" = "$p2" ] && break
	sleep 0.2
done
check_eq "/tcpd/port port, driver, ifname, link" \
	"$(json_get port driver ifname link_up <<<"$p2" | tr '\n' ' ')" "0 net_af_packet $LAB_HOST_IF 1 "
check_eq "/tcpd/port ipackets == worker rx_pkts" "$(json_get ipackets <<<"$p2")" \
	"$(json_get rx_pkts <<<"$w")"
check_eq "/tcpd/port queues.1 (lcore 1): queue 0, ipackets == rx_pkts, opackets == opackets" \
	"$(json_get queues.1.queue queues.1.ipackets queues.1.opackets <<<"$p2" | tr '\n' ' ')" \
	"0 $(json_get rx_pkts <<<"$w") $(json_get opackets <<<"$p2") "
check_eq "/tcpd/port opackets + oerrors == worker tx_pkts" \
	"$(python3 -c 'import json,sys; p=json.loads(sys.argv[1]); print(p["opackets"] + p["oerrors"])' "$p2")" \
	"$(json_get tx_pkts <<<"$w")"
check_eq "/tcpd/port imissed ierrors rx_nombuf" \
	"$(json_get imissed ierrors rx_nombuf <<<"$p2" | tr '\n' ' ')" "0 0 0 "
check_eq "kernel $LAB_HOST_IF rx_packets == /tcpd/port ipackets" "$kin" "$(json_get ipackets <<<"$p2")"
e=$(tele /tcpd/port,0)
check_eq "/tcpd/port,0 (the served port) == /tcpd/port" "$e" "$p2"
e=$(tele /tcpd/port,1)
check_eq "/tcpd/port,1: error reply" "$e" \
	'{"error": "port 1 is not served by dpdk-tcpd (port 0 is)", "port": 0}'
e=$(tele /tcpd/port,abc)
check_eq "/tcpd/port,abc: error reply" "$e" '{"error": "usage: /tcpd/port or /tcpd/port,0", "port": 0}'

# Errors
e=$(tele /tcpd/lcore,abc)
check "/tcpd/lcore,abc: error reply" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d is None or "error" in d))' "$e"
e=$(tele /tcpd/lcore,99)
check "/tcpd/lcore,99: error reply" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d is None or "error" in d))' "$e"
e=$(tele /tcpd/lcore,0)
check "/tcpd/lcore,0 (the main lcore, not a worker): error reply" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d is None or "error" in d))' "$e"
echo "# /tcpd/lcore,0 -> $e"

# tools/tcpd-stat: the same figures. Nothing moves while the K connections sit idle, so its
# --json must equal what dpdk-telemetry.py returned command by command (secret_age aside).
if [ -x "$TCPD_STAT" ]; then
	for cmd in stats conns listeners cookies config lcores port; do
		c=/tcpd/$cmd
		[ $cmd = lcores ] && c=/tcpd/lcore,1
		tele "$c" >"$TL_WORK/py.$cmd"
	done
	if "$TCPD_STAT" -f "$TL_PREFIX" --json >"$TL_WORK/stat.json"; then
		for cmd in stats conns listeners cookies config lcores port; do
			check "tcpd-stat --json $cmd == dpdk-telemetry.py" python3 - "$TL_WORK/stat.json" \
				"$TL_WORK/py.$cmd" "$cmd" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))[sys.argv[3]]
b = json.load(open(sys.argv[2]))
if sys.argv[3] == "lcores":
    a = a["1"]
for d in (a, b):
    if isinstance(d, dict):
        d.pop("secret_age", None)
if a != b:
    print("tcpd-stat:", json.dumps(a, sort_keys=True))
    print("telemetry:", json.dumps(b, sort_keys=True))
    sys.exit(1)
PY
		done
	else
		not_ok "tcpd-stat --json"
	fi
	out=$("$TCPD_STAT" -f "$TL_PREFIX" 2>&1)
	echo "$out" | sed 's/^/# tcpd-stat: /'
	total=$(awk '$1 == "total"' <<<"$out")
	hdr=$(awk '$1 == "lcore"' <<<"$out")
	col() { awk -v h="$hdr" -v want="$1" 'BEGIN {n = split(h, f)} {for (i = 1; i <= n; i++) if (f[i] == want) print $(i - 1)}' <<<"$total"; }
	check_eq "tcpd-stat table: total conn_opened" "$(col conn_opened)" $((N + K))
	check_eq "tcpd-stat table: total conn_live" "$(col conn_live)" "$K"
	check "tcpd-stat table: http_requests $M" grep -Eq "^ +http_requests +$M\$" <<<"$out"
	check "tcpd-stat table: established $K" grep -q "established $K" <<<"$out"
	check "tcpd-stat table: port line" grep -Eq "^port 0 \(net_af_packet\): ipackets $(json_get ipackets <<<"$p2") opackets $(json_get opackets <<<"$p2") imissed 0 ierrors 0 rx_nombuf 0 oerrors 0$" <<<"$out"
	check "tcpd-stat table: kernel line, nothing lost in the ring" grep -Eq "^kernel $LAB_HOST_IF: rx_packets $kin rx_dropped 0, not received by the port 0 " <<<"$out"
	e=$("$TCPD_STAT" -f "$TL_PREFIX" --cmd /tcpd/port,7)
	check_eq "tcpd-stat --cmd /tcpd/port,7: error" "$e" \
		'{"error": "port 7 is not served by dpdk-tcpd (port 0 is)", "port": 0}'
	e=$("$TCPD_STAT" -f "$TL_PREFIX" --cmd /tcpd/lcore,abc)
	check "tcpd-stat --cmd /tcpd/lcore,abc: error" grep -q '"error"' <<<"$e"
	if "$TCPD_STAT" -f tcpd-lab-nosuchprefix >/dev/null 2>"$TL_WORK/err"; then
		not_ok "tcpd-stat without a daemon fails"
	else
		check "tcpd-stat without a daemon: clear error" grep -q 'no telemetry socket' "$TL_WORK/err"
	fi
else
	not_ok "tools/tcpd-stat exists ($TCPD_STAT)"
fi

# Summary line at the interval: 1 s, so 4 to 6 lines in 5 s.
before=$(grep -Ec '^rx [0-9]+ pps' "$DAEMON_OUT")
sleep 5
after=$(grep -Ec '^rx [0-9]+ pps' "$DAEMON_OUT")
n=$((after - before))
check "summary lines in 5 s at --stats-interval 1: $n" test "$n" -ge 4 -a "$n" -le 6
check "summary line shows live $K (none over IPv6)" bash -c "grep -E '^rx [0-9]+ pps' '$DAEMON_OUT' | tail -1 | grep -q 'live $K (ipv6 0),'"

rm -f "$TL_WORK/release"
wait "$holder"
check "held connections closed" wait_for 3 counter_is conn_live 0
check_eq "/tcpd/conns after they closed" "$(tele /tcpd/conns | json_get live)" 0

# Telemetry under a bounded flood: valid JSON every time, counters never go backwards. One
# client process queries as fast as it can (reconnecting every 10 rounds); dpdk-telemetry.py
# is asked too, a few times.
flood_bg --dst-port 80 --count 2000000 --seconds 6 --quiet
flood_pid=$BG_PID
sleep 0.5
replies=$(python3 "$TLPY" tele-loop --prefix "$TL_PREFIX" --seconds 5 \
	/tcpd/lcore,1 /tcpd/conns /tcpd/cookies /tcpd/listeners /tcpd/lcores)
rc=$?
check_eq "telemetry loop during the flood: all replies valid, no counter went back" "$rc" 0
echo "# $replies"
check_ge "telemetry replies during the flood" "${replies:-0}" 100
bad=0
for i in 1 2 3; do
	tele /tcpd/stats >/dev/null || bad=$((bad + 1))
done
check_eq "dpdk-telemetry.py during the flood: invalid replies" "$bad" 0
wait $flood_pid
echo "# flood: $(cat "$TL_WORK/flood.out")"
check_ge "syn_rx after the flood" "$(counter syn_rx)" 1000

# The flood outruns the worker: frames are lost where no rte_eth_stats field sees them, in the
# kernel's af_packet RX ring. The kernel's own count for the daemon's socket (PACKET_STATISTICS,
# which net_af_packet never reads) accounts for every frame exactly: each one the interface
# received either went through rx_burst (ipackets) or found the ring full (tp_drops). Read once
# RX is quiet (SYN-ACK retransmissions still go out; nothing answers them).
for try in 1 2 3 4 5; do
	p1=$(tele /tcpd/port)
	s=$(tele /tcpd/stats)
	kin=$(cat "/sys/class/net/$LAB_HOST_IF/statistics/rx_packets")
	p2=$(tele /tcpd/port)
	[ "$(json_get ipackets <<<"$p1")" = "$(json_get ipackets <<<"$p2")" ] && break
	sleep 0.2
done
ip=$(json_get ipackets <<<"$p2")
tp=$(python3 "$TLPY" packet-stats "$tl_daemon_pid")
echo "# after the flood: kernel rx_packets $kin, port ipackets $ip, PACKET_STATISTICS $tp"
check_eq "after the flood: /tcpd/port ipackets == rx_pkts" "$ip" "$(json_get rx_pkts <<<"$s")"
check_eq "after the flood: /tcpd/port imissed (net_af_packet does not count ring drops)" \
	"$(json_get imissed <<<"$p2")" 0
check_eq "after the flood: one af_packet socket" "$(json_get sockets <<<"$tp")" 1
check_eq "after the flood: tp_packets - tp_drops == ipackets" \
	"$(($(json_get tp_packets <<<"$tp") - $(json_get tp_drops <<<"$tp")))" "$ip"
check_eq "after the flood: kernel rx_packets - ipackets == tp_drops" "$((kin - ip))" \
	"$(json_get tp_drops <<<"$tp")"
if [ -x "$TCPD_STAT" ]; then
	check "tcpd-stat table: kernel line shows the ring loss" grep -Eq \
		"^kernel $LAB_HOST_IF: rx_packets $kin rx_dropped 0, not received by the port $((kin - ip)) " \
		<<<"$("$TCPD_STAT" -f "$TL_PREFIX")"
fi

daemon_stop
check "exit prints the totals" grep -q '^totals over' "$DAEMON_OUT"
finish
