#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The demo (README's first command; Debian 12, root, no NIC): install what is missing, build,
# create a namespace lab, run dpdk-tcpd on the host end of a veth pair (net_af_packet) and talk
# to it from the Linux stack in the namespace: ping, curl to the http service, nc to echo (over
# IPv4, then the same three over IPv6 with 2001:2::1/64, RFC 5180's benchmarking prefix), a
# bounded SYN flood from spoofed 198.18.0.0/15 sources with curl still served, then the
# daemon's counters (tools/tcpd-stat), a short load test of the daemon by a second dpdk-tcpd in
# client mode (per-second lines, latency percentiles, a chart from tools/tcpd-chart) and the
# daemon's summary lines. Everything it created is removed on exit, Ctrl-C or failure, except
# the chart. Exit status 0 only if every step worked.
set -uo pipefail
# Debian's tools first (a Python version manager's shim would slow every telemetry query).
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
NAME=demo
NS=tcpd-$NAME
PREFIX=tcpd-demo
IP=198.18.0.1
IP6=2001:2::1
NS_IP6=2001:2::2
BUILD=$top/build
DAEMON=$BUILD/app/dpdk-tcpd/dpdk-tcpd
FLOOD=$BUILD/tools/tcpd-flood
LOG=$(mktemp /tmp/tcpd-demo.XXXXXX.log)
daemon_pid=
flood_pid=
client_pid=
CPREFIX=tcpd-demo-client
CHART=${TCPD_DEMO_CHART:-/tmp/tcpd-demo-load.png}
steps_ok=0
steps_failed=()

if [ -t 1 ]; then
	B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' N=$'\e[0m'
else
	B='' G='' R='' N=''
fi

step() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
pass() {
	steps_ok=$((steps_ok + 1))
	printf '%s  ok: %s%s\n' "$G" "$*" "$N"
}
fail() {
	steps_failed+=("$*")
	printf '%s  FAILED: %s%s\n' "$R" "$*" "$N"
}
nsx() { ip netns exec "$NS" "$@"; }
tele() { echo "$1" | dpdk-telemetry.py -f "$PREFIX" 2>/dev/null; }

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[ -n "$flood_pid" ] && kill "$flood_pid" 2>/dev/null
	[ -n "$client_pid" ] && kill -INT "$client_pid" 2>/dev/null && sleep 1
	if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
		kill -INT "$daemon_pid"
		for _ in $(seq 50); do
			kill -0 "$daemon_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$daemon_pid" 2>/dev/null
	fi
	"$top/tools/lab.sh" down "$NAME" >/dev/null 2>&1
	rm -rf "/var/run/dpdk/$PREFIX" "/var/run/dpdk/$CPREFIX"
	rm -f "$LOG" "$LOG.client" "$LOG.report"
	exit $rc
}

if [ "$(id -u)" != 0 ]; then
	echo "demo: run as root (network namespaces, veth, AF_PACKET)" >&2
	exit 1
fi
trap cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 130' INT
trap 'exit 143' TERM

step "Install dependencies and build"
"$top/tools/install-deps.sh" || {
	echo "demo: dependency installation failed" >&2
	exit 1
}
if ! command -v ethtool >/dev/null; then
	# The lab switches veth offloads off with ethtool.
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ethtool >/dev/null || exit 1
fi
"$top/tools/build.sh" "$BUILD" || {
	echo "demo: build failed" >&2
	exit 1
}
[ -x "$DAEMON" ] || {
	echo "demo: $DAEMON was not built" >&2
	exit 1
}
pass "built $DAEMON"

step "Create the lab: namespace $NS, veth tl-$NAME-h (daemon) <-> tl-$NAME-n (198.18.0.2/15)"
"$top/tools/lab.sh" up "$NAME" || exit 1
eval "$("$top/tools/lab.sh" env "$NAME")"
pass "lab up"

step "Start dpdk-tcpd on net_af_packet,iface=$LAB_HOST_IF as $IP/15"
cmd=("$DAEMON" -l 0-1 --no-huge -m 256 --no-shconf --no-pci "--file-prefix=$PREFIX"
	"--vdev=net_af_packet0,iface=$LAB_HOST_IF,qpairs=1" --
	--port 0 --ip "$IP/15" --ip6 "$IP6/64" --listen 7:echo,9:discard,80:http --http-body-size 64
	--syncookies auto --stats-interval 2)
echo "  ${cmd[*]}"
stdbuf -oL -eL "${cmd[@]}" >"$LOG" 2>&1 &
daemon_pid=$!
ready=0
for _ in $(seq 100); do
	kill -0 "$daemon_pid" 2>/dev/null || break
	if tele /tcpd/stats | grep -q '"rx_pkts"'; then
		ready=1
		break
	fi
	sleep 0.2
done
if [ $ready = 1 ]; then
	pass "daemon running (pid $daemon_pid), telemetry at /var/run/dpdk/$PREFIX/dpdk_telemetry.v2"
else
	fail "daemon did not start"
	sed 's/^/  | /' "$LOG" | tail -20
	exit 1
fi

step "ping $IP from the namespace (the kernel resolves it by ARP)"
if out=$(nsx ping -n -c 3 -i 0.2 -W 2 "$IP"); then
	sed 's/^/  /' <<<"$out" | tail -4
	pass "ping: $(grep -o '[0-9]* received' <<<"$out")"
else
	sed 's/^/  /' <<<"$out" | tail -4
	fail "ping"
fi

step "curl http://$IP/ (http service, keep-alive: two requests on one connection)"
if out=$(nsx curl -sS --max-time 5 -i -o "$LOG.c1" "http://$IP/hello" -o /dev/null "http://$IP/again" \
	-w '[%{http_code}, %{size_download} bytes, %{num_connects} new connection(s)]\n' 2>&1) &&
	[ "$(grep -c '^\[200, ' <<<"$out")" = 2 ] && [ "$(grep -c '0 new connection' <<<"$out")" = 1 ]; then
	sed 's/^/  | /' "$LOG.c1"
	echo
	sed 's/^/  /' <<<"$out"
	pass "curl: 2 responses on one connection"
else
	sed 's/^/  /' <<<"$out"
	fail "curl to the http service"
fi
rm -f "$LOG.c1"

step "nc $IP 7 (echo service)"
msg="hello from the Linux stack in $NS"
if out=$(echo "$msg" | nsx timeout 5 nc -N "$IP" 7) && [ "$out" = "$msg" ]; then
	echo "  sent: $msg"
	echo "  got:  $out"
	pass "echo"
else
	echo "  got: '${out:-}'"
	fail "nc to the echo service"
fi

step "IPv6: ping -6, curl -6 and nc -6 to $IP6 (the kernel resolves it by neighbour discovery)"
nsx sysctl -qw "net.ipv6.conf.$LAB_NS_IF.disable_ipv6=0"
nsx ip -6 addr add "$NS_IP6/64" dev "$LAB_NS_IF" nodad
if out=$(nsx ping -6 -n -c 3 -i 0.2 -W 2 "$IP6"); then
	sed 's/^/  /' <<<"$out" | tail -4
	pass "ping -6: $(grep -o '[0-9]* received' <<<"$out")"
else
	sed 's/^/  /' <<<"$out" | tail -4
	fail "ping -6"
fi
if out=$(nsx curl -6 -sS --max-time 5 -o /dev/null "http://[$IP6]/hello6" \
	-w '[%{http_code}, %{size_download} bytes]' 2>&1) && [ "${out:0:5}" = "[200," ]; then
	echo "  curl -6 http://[$IP6]/hello6: $out"
	pass "curl -6"
else
	echo "  got: $out"
	fail "curl -6 to the http service"
fi
msg="hello over IPv6 from $NS"
if out=$(echo "$msg" | nsx timeout 5 nc -6 -N "$IP6" 7) && [ "$out" = "$msg" ]; then
	echo "  nc -6 $IP6 7: sent '$msg', got '$out'"
	pass "echo over IPv6"
else
	echo "  got: '${out:-}'"
	fail "nc -6 to the echo service"
fi

step "SYN flood (bounded: 1,000,000 SYNs or 5 s) from spoofed 198.19.0.0/16, curl meanwhile"
before=$(tele /tcpd/stats)
port_before=$(tele /tcpd/port)
kin_before=$(cat "/sys/class/net/$LAB_HOST_IF/statistics/rx_packets")
ip netns exec "$NS" "$FLOOD" --iface "$LAB_NS_IF" --dst-mac "$LAB_HOST_MAC" --dst-ip "$IP" \
	--dst-port 80 --src 198.19.0.0/16 --count 1000000 --seconds 5 --quiet >"$LOG.flood" 2>&1 &
flood_pid=$!
sleep 0.5
# One request every 0.2 s while the flood runs. The flood outruns the worker: the kernel finds
# af_packet's RX ring full and drops frames (legitimate SYNs too) before the daemon sees them, so
# a request may wait 1 s for a SYN retransmission. Measured (README, "What the port counts"):
# the veths drop nothing, the daemon drops nothing; DPDK 22.11's net_af_packet does not count
# that loss, the kernel interface's rx_packets minus the port's ipackets does.
served=0
times=()
for i in $(seq 20); do
	out=$(nsx curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "http://$IP/during-flood/$i")
	[ "${out%% *}" = 200 ] && served=$((served + 1))
	times+=("${out#* }")
	sleep 0.2
done
wait "$flood_pid"
flood_pid=
echo "  tcpd-flood: $(cat "$LOG.flood")"
rm -f "$LOG.flood"
echo "  curl times (s): ${times[*]}"
after=$(tele /tcpd/stats)
port_after=$(tele /tcpd/port)
kin_after=$(cat "/sys/class/net/$LAB_HOST_IF/statistics/rx_packets")
nsx cat /proc/net/netstat >"$LOG.netstat"
python3 - "$before" "$after" "$port_before" "$port_after" "$kin_before" "$kin_after" \
	"$LOG.netstat" <<'PY'
import json, sys
a, b = (json.loads(x)["/tcpd/stats"] for x in sys.argv[1:3])
pa, pb = (json.loads(x)["/tcpd/port"] for x in sys.argv[3:5])
kin = int(sys.argv[6]) - int(sys.argv[5])
d = lambda k: b[k] - a[k]
print("  daemon during the flood: %d SYNs received, %d answered with a cookie, %d with state "
      "(SYN-RECEIVED, up to synq_limit), %d connections opened" %
      (d("syn_rx"), d("cookie_sent"), d("syn_rx") - d("cookie_sent"), d("conn_opened")))
print("  live connections: %d (%d half-open)" % (b["conn_live"], b["conn_half_open"]))
ext = [l.split() for l in open(sys.argv[7]) if l.startswith("TcpExt:")]
retrans = dict(zip(ext[0], ext[1])).get("TCPSynRetrans", "?") if len(ext) == 2 else "?"
print("  lost before the daemon: %d of the %d frames %s received found af_packet's RX ring full "
      "(not in imissed: net_af_packet 22.11 does not count it); the clients retransmitted %s "
      "SYN(s), the ~1 s requests" % (kin - (pb["ipackets"] - pa["ipackets"]), kin, pb["ifname"],
                                     retrans))
PY
rm -f "$LOG.netstat"
if [ $served = 20 ]; then
	pass "20 of 20 curl requests served during the flood"
else
	fail "only $served of 20 curl requests served during the flood"
fi
# syncookies auto (Linux tcp_syncookies=1): state for the first synq_limit (1024) half-open
# connections, cookies for the rest; those entries time out after their SYN-ACK retries.
live=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["/tcpd/stats"]["conn_live"])' "$after" 2>/dev/null)
sent=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["/tcpd/cookies"]["sent"])' "$(tele /tcpd/cookies)" 2>/dev/null)
if [ -n "$live" ] && [ "$live" -le 1030 ] && [ "${sent:-0}" -gt 10000 ]; then
	pass "bounded state: conn_live $live (at most synq_limit 1024 half-open), $sent cookies sent"
else
	fail "conn_live after the flood: ${live:-unknown}, cookies sent: ${sent:-unknown}"
fi

step "Counters (tools/tcpd-stat)"
if [ -x "$top/tools/tcpd-stat" ]; then
	"$top/tools/tcpd-stat" -f "$PREFIX" 2>&1 | sed 's/^/  /' && pass "tcpd-stat" || fail "tcpd-stat"
else
	fail "tools/tcpd-stat missing; raw /tcpd/stats follows"
	tele /tcpd/stats | python3 -m json.tool | sed 's/^/  /'
fi

step "Load test: dpdk-tcpd in client mode (in $NS, as 198.18.0.3) against the daemon"
# The second process runs on the namespace end of the veth, on the other CPU (-l 0: its worker
# on the main lcore), with an address the namespace's kernel does not own, so the kernel stays
# out of the conversation. 2000 connections/s after a 1 s ramp, for 3 s, two requests each.
ccmd=("$DAEMON" -l 0 --no-huge -m 256 --no-shconf --no-pci "--file-prefix=$CPREFIX"
	"--vdev=net_af_packet0,iface=$LAB_NS_IF" -- --port 0 --ip 198.18.0.3/15
	--connect "$IP:80:http" --cps 2000 --ramp 1 --duration 3 --drain 2 --requests 2
	--concurrency 2000 --report "$LOG.report")
echo "  ${ccmd[*]}"
before=$(tele /tcpd/stats)
nsx timeout -s INT -k 5 30 stdbuf -oL -eL "${ccmd[@]}" >"$LOG.client" 2>&1 &
client_pid=$!
wait "$client_pid"
crc=$?
client_pid=
after=$(tele /tcpd/stats)
grep -E '^client|^  (connect|first_byte|response|latency|failed|\()' "$LOG.client" | sed 's/^/  /'
grep -E 'dpdk-tcpd: (client|lcore|--)' "$LOG.client" | sed 's/^/  /'
if [ "$crc" = 0 ]; then
	pass "load test: every connection completed (client exit status 0)"
else
	fail "load test: client exit status $crc"
fi
python3 - "$before" "$after" "$LOG.report" <<'PY'
import json, sys
a, b = (json.loads(x)["/tcpd/stats"] for x in sys.argv[1:3])
final = [json.loads(l) for l in open(sys.argv[3]) if l.strip()][-1]
print("  server counted %d connections and %d requests; the client %d completed, %d responses"
      % (b["conn_opened"] - a["conn_opened"], b["http_requests"] - a["http_requests"],
         final.get("completed", 0), final.get("responses", 0)))
PY
if "$top/tools/tcpd-chart" "$LOG.report" -o "$CHART" --title "dpdk-tcpd loaded by dpdk-tcpd" \
	>/dev/null 2>&1; then
	pass "chart of the load test: $CHART"
else
	fail "tools/tcpd-chart could not draw the report (python3-matplotlib missing?)"
fi

step "Stop the daemon (SIGINT); its output"
kill -INT "$daemon_pid"
for _ in $(seq 100); do
	kill -0 "$daemon_pid" 2>/dev/null || break
	sleep 0.1
done
wait "$daemon_pid"
rc=$?
daemon_pid=
sed 's/^/  | /' "$LOG"
if [ $rc = 0 ]; then pass "daemon exited cleanly"; else fail "daemon exit status $rc"; fi

printf '\n%sdemo: %d steps ok, %d failed%s\n' "$B" "$steps_ok" "${#steps_failed[@]}" "$N"
for f in "${steps_failed[@]}"; do
	printf '%s  failed: %s%s\n' "$R" "$f" "$N"
done
[ ${#steps_failed[@]} -eq 0 ]
