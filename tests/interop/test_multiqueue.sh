#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Two workers on one port, share nothing: af_packet with qpairs=2 (two sockets in one
# PACKET_FANOUT_HASH group, the kernel's symmetric flow hash standing in for RSS), one queue pair
# and one connection table per worker. 500 connections from the Linux stack (400 sequential, echo
# and HTTP at once, then 100 concurrent echo), all data checked; then telemetry must show both
# workers served connections, the per-lcore counters add up to the totals and to exactly what the
# clients did, nothing was dropped or reset (a segment on the wrong worker would be a closed-port
# RST, a bad cookie or a segment without connection), and every table is empty again. ARP and
# ping are answered with two queues, ping by both workers.
#
# CPUs: two busy-polling workers on this 2-CPU machine, the main lcore (asleep) beside worker 1:
# EAL --lcores=0@0,1@0,2@1.
. "$(dirname "$0")/lib.sh"
tl_init lmq
tl_need_daemon
tl_need ss ping nstat

SEQ_ECHO=200 SEQ_HTTP=200 REQS=2 CONC=100 BODY=3000
CONNS=$((SEQ_ECHO + SEQ_HTTP + CONC))
W1=1 W2=2

daemon_start --lcore-map 0@0,$W1@0,$W2@1 --qpairs 2 --listen 7:echo,80:http --time-wait 1 \
	--http-body-size $BODY || finish
# The namespace's side of every frame, to explain an out-of-window segment if one shows up.
capture_start
check "daemon: 2 queue pairs on the port" grep -q '2 queue pair(s)' "$DAEMON_OUT"
check "daemon: 2 workers on lcores $W1,$W2" grep -q "2 worker(s) on lcore(s) $W1,$W2" "$DAEMON_OUT"

l=$(tele /tcpd/lcores)
check_eq "/tcpd/lcores: workers" \
	"$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin))))' <<<"$l")" \
	"$W1 $W2"
check_eq "/tcpd/lcores: lcore $W1 serves port 0 queue 0" \
	"$(json_get $W1.lcore $W1.port $W1.queue <<<"$l" | tr '\n' ' ')" "$W1 0 0 "
check_eq "/tcpd/lcores: lcore $W2 serves port 0 queue 1" \
	"$(json_get $W2.lcore $W2.port $W2.queue <<<"$l" | tr '\n' ' ')" "$W2 0 1 "
check_eq "/tcpd/stats workers" "$(counter workers)" 2

# 400 sequential connections, two clients at once so that both workers run together: echo
# (the client closes first) and HTTP keep-alive, the last request with Connection: close (the
# daemon closes first and holds TIME-WAIT). Then 100 connections open at the same time.
t0=$EPOCHREALTIME
tlab seq-conns --port 7 --conns $SEQ_ECHO --timeout 10 >"$TL_WORK/echo.out" 2>&1 &
echo_pid=$!
check "$SEQ_HTTP sequential HTTP connections x $REQS requests, $BODY-byte bodies verified" \
	tlab http-load --port 80 --conns $SEQ_HTTP --reqs $REQS --close-last --body-size $BODY \
	--timeout 10
wait $echo_pid
check_eq "$SEQ_ECHO sequential echo connections, data verified (at the same time)" \
	"$(cat "$TL_WORK/echo.out")" "$SEQ_ECHO sequential connections verified"
check "$CONC concurrent echo connections, data verified" \
	tlab conc-conns --port 7 --conns $CONC --timeout 10
echo "# $CONNS connections in $(python3 -c "print('%.2f' % ($EPOCHREALTIME - $t0))") s"

ns_outside_tw() {
	nsx ss -tanH state all | grep -v -c '^TIME-WAIT'
}
ns_only_tw() {
	[ "$(ns_outside_tw)" = 0 ]
}
# A client that closed second may wait a moment for the daemon's last ACK.
wait_for 5 ns_only_tw
check_eq "namespace: no connection outside TIME-WAIT" "$(ns_outside_tw)" 0
check_eq "namespace: the echo clients (who closed first) hold TIME-WAIT" \
	"$(nsx ss -tanH state time-wait | wc -l)" $((SEQ_ECHO + CONC))
check "daemon: conn_live back to 0 (TIME-WAIT 1 s)" wait_for 10 counter_is conn_live 0

# ARP: every request is answered. The fanout hash of an ARP frame covers only its ethertype
# (the kernel's symmetric flow dissector has no ARP key), so all of them land on one queue
# whatever the sender: the worker of that queue must answer each one.
arp_ok=0
for i in $(seq 16); do
	nsx python3 "$TLPY" arp-probe "$LAB_NS_IF" "198.18.1.$i" "$DAEMON_IP" --timeout 5 \
		>/dev/null && arp_ok=$((arp_ok + 1))
done
check_eq "ARP requests from 16 sender addresses answered" "$arp_ok" 16

# Ping: the fanout hash covers the addresses, so a few source addresses reach both queues.
# Add sources until both workers have answered (each new one has an even chance of either).
pings=0 ping_fail=0
for i in $(seq 3 66); do
	nsx ip addr add "198.18.0.$i/15" dev "$LAB_NS_IF"
	nsx ping -q -c 2 -i 0.01 -W 2 -I "198.18.0.$i" "$DAEMON_IP" >/dev/null ||
		ping_fail=$((ping_fail + 1))
	pings=$((pings + 2))
	a=$(tele /tcpd/lcore,$W1 | json_get icmp_echo_tx)
	b=$(tele /tcpd/lcore,$W2 | json_get icmp_echo_tx)
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && break
done
check_eq "ping from $((pings / 2)) source addresses: all answered" "$ping_fail" 0
check_ge "lcore $W1 answered pings" "$a" 1
check_ge "lcore $W2 answered pings" "$b" 1

# The counters, read while nothing moves: /tcpd/stats the same before and after the others (the
# namespace's kernel may still send a neighbour probe now and then).
for _ in 1 2 3; do
	tele /tcpd/stats >"$TL_WORK/s.json"
	tele /tcpd/lcore,$W1 >"$TL_WORK/w1.json"
	tele /tcpd/lcore,$W2 >"$TL_WORK/w2.json"
	tele /tcpd/conns >"$TL_WORK/c.json"
	tele /tcpd/listeners >"$TL_WORK/k.json"
	[ "$(tele /tcpd/stats)" = "$(cat "$TL_WORK/s.json")" ] && break
done
# get FILE KEY: one figure of a saved reply (s, w1, w2, c, k).
get() { json_get "$2" <"$TL_WORK/$1.json"; }
o1=$(get w1 conn_opened) o2=$(get w2 conn_opened)
echo "# connections per worker: lcore $W1 $o1, lcore $W2 $o2"

check_ge "lcore $W1 accepted connections" "$o1" 1
check_ge "lcore $W2 accepted connections" "$o2" 1
check_eq "per-lcore counters and state gauges add up to /tcpd/stats" "$(
	python3 - "$TL_WORK" <<'PY'
import json, sys
d = sys.argv[1]
tot, a, b = (json.load(open("%s/%s.json" % (d, n))) for n in ("s", "w1", "w2"))
bad = []
for key, v in tot.items():
    if key == "workers":
        continue
    if key == "states":
        bad += ["states.%s %d != %d + %d" % (st, n, a["states"][st], b["states"][st])
                for st, n in v.items() if n != a["states"][st] + b["states"][st]]
    elif v != a[key] + b[key]:
        bad.append("%s %d != %d + %d" % (key, v, a[key], b[key]))
print("; ".join(bad) or "all")
PY
)" all
check_eq "conn_opened == connections made" "$(get s conn_opened)" $CONNS
check_eq "conn_closed == connections made" "$(get s conn_closed)" $CONNS
check_eq "syn_rx == connections made" "$(get s syn_rx)" $CONNS
check_eq "http_requests == requests made" "$(get s http_requests)" $((SEQ_HTTP * REQS))
check_eq "time_wait_expired == HTTP connections (the daemon closed those)" \
	"$(get s time_wait_expired)" $SEQ_HTTP
check_eq "/tcpd/listeners: echo accepted, reset" \
	"$(json_get 7.accepted 7.reset <"$TL_WORK/k.json" | tr '\n' ' ')" "$((SEQ_ECHO + CONC)) 0 "
check_eq "/tcpd/listeners: http accepted, reset" \
	"$(json_get 80.accepted 80.reset <"$TL_WORK/k.json" | tr '\n' ' ')" "$SEQ_HTTP 0 "
for w in w1 w2; do
	n=$(get $w lcore)
	# Each worker finished every connection it saw the SYN of: no flow crossed queues.
	check_eq "lcore $n: syn_rx, conn_opened, conn_closed equal" \
		"$(get $w syn_rx) $(get $w conn_closed)" "$(get $w conn_opened) $(get $w conn_opened)"
	# Its HTTP connections (each ends in its TIME-WAIT) carried exactly 2 requests each.
	check_eq "lcore $n: http_requests == $REQS x its TIME-WAIT entries" \
		"$(get $w http_requests)" $((REQS * $(get $w time_wait_expired)))
	# The gratuitous ARP at start goes out of the first worker's queue.
	garp=0
	[ "$n" = $W1 ] && garp=1
	check_eq "lcore $n: every ARP request it received answered" \
		"$(get $w arp_tx)" $(($(get $w arp_rx) + garp))
	check_eq "lcore $n: every ping it received answered" \
		"$(get $w icmp_echo_tx)" "$(get $w icmp_echo_rx)"
	check_eq "lcore $n: no live connection in any state" "$(
		json_get "lcores.$n" <"$TL_WORK/c.json" |
			python3 -c 'import json,sys; print(sum(json.load(sys.stdin).values()))'
	)" 0
done
echo "# ARP requests per worker: lcore $W1 $(get w1 arp_rx), lcore $W2 $(get w2 arp_rx)"
check_ge "ARP requests received" "$(get s arp_rx)" 17
check_eq "icmp_echo_rx == pings sent" "$(get s icmp_echo_rx)" $pings
check_eq "/tcpd/conns live" "$(get c live)" 0

# tools/tcpd-stat shows the same split (nothing moves now).
if [ -x "$TCPD_STAT" ]; then
	j=$("$TCPD_STAT" -f "$TL_PREFIX" --json)
	check_eq "tcpd-stat --json: conn_opened total, lcore $W1, lcore $W2" \
		"$(json_get stats.conn_opened lcores.$W1.conn_opened lcores.$W2.conn_opened <<<"$j" |
			tr '\n' ' ')" "$CONNS $o1 $o2 "
	"$TCPD_STAT" -f "$TL_PREFIX" 2>&1 | sed 's/^/# tcpd-stat: /'
fi

# Nothing thrown away, nothing refused: a SYN or segment on the wrong worker would show here
# (as no_listener, drop_no_conn, a cookie check or a RST). One exception: an out-of-window
# segment reaches the worker that holds its connection, which ACKs and drops it (RFC 9293
# 3.10.7.4): not a worker mix-up. On 2 CPUs shared by two polling workers and the clients, a
# client's ACK can wait long enough for Linux to resend a segment (RTO or tail loss probe:
# TcpRetransSegs) or to probe (TcpExtTCPWinProbe, TcpExtTCPKeepAlive): no more than these. About
# one CI run in six used to see one more, by all signs what interop_loadgen caught (not caught
# here): a segment of Linux's overtaken by a later one of the same connection sent from the
# other CPU (there the handshake's ACK by the request), reordered by the veth after the
# namespace's capture had seen them in order, which is why its analysis never showed anything.
# tools/lab.sh (in_order) now keeps Linux's order. The capture's TCP analysis is still printed
# whenever drop_out_of_window is not 0.
check_eq "drop counters (every drop_* but out_of_window) all 0" \
	"$(drops_but "$TL_WORK/s.json" drop_out_of_window)" 0
oow=$(get s drop_out_of_window)
probes=$(nsx nstat -asz TcpRetransSegs TcpExtTCPWinProbe TcpExtTCPKeepAlive |
	awk '/^Tcp/ {n += $2} END {print n + 0}')
capture_stop
if [ "$oow" != 0 ]; then
	echo "# drop_out_of_window $oow: the capture's frames with TCP analysis flags:"
	tshark -r "$CAP" -Y 'tcp.analysis.flags && !tcp.analysis.window_update' 2>/dev/null |
		head -20 | sed 's/^/#   /'
	nsx nstat -asz | grep -E '^TcpExt(TCPLossProbes|TCPWinProbe|TCPKeepAlive|TCPDSACK|DelayedACK|TCPSpurious)' |
		sed 's/^/#   /'
fi
check "drop_out_of_window ($oow) <= client retransmissions and probes (${probes:-?})" \
	test "$oow" -le "${probes:-0}"
for key in no_listener cookie_sent cookie_bad cookie_expired rst_tx rst_rx tx_drop table_full \
	rto_timeout retransmit syn_retransmit_rx challenge_ack dupack_ooo; do
	check_eq "$key" "$(get s $key)" 0
done
# And the kernel's side: it neither sent nor got a reset, no connect failed.
check_eq "namespace: kernel TCP resets and failed connects" \
	"$(nsx nstat -asz TcpAttemptFails TcpEstabResets TcpOutRsts | awk '$1 ~ /^Tcp/ {printf "%s=%s ", $1, $2}')" \
	"TcpAttemptFails=0 TcpEstabResets=0 TcpOutRsts=0 "

daemon_stop
finish
