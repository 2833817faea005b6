#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The daemon's command line and its telemetry, on net_null (no namespace, no traffic):
#   - --help exits 0 and lists every option; bad options, values, keys and a missing port exit 2
#     with a message naming them;
#   - with two workers, every /tcpd command answers through the real socket, read both with
#     dpdk-telemetry.py and tools/tcpd-stat (table, --json, --watch, --cmd); bad lcore ids get the
#     error dict, and so do /tcpd/port ids other than the served port's; the cookie secret never
#     appears; tcpd-stat's port and kernel lines are checked on given replies and a made-up
#     /sys/class/net;
#   - SIGTERM stops it with status 0, the totals and the port's totals.
# Usage: telemetry_null.sh <dpdk-tcpd> <tcpd-stat>
set -uo pipefail

app=${1:?dpdk-tcpd path}
stat=${2:?tcpd-stat path}
prefix=tcpd_app_telnull_$$
eal=(--no-huge -m 256 --no-shconf --no-pci --file-prefix="$prefix" --log-level=lib.eal:warning)
tmp=$(mktemp -d /tmp/tcpd_telnull.XXXXXX)
pid=
fails=0
passes=0

cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$tmp" "/var/run/dpdk/$prefix"
}
trap cleanup EXIT

ok() { passes=$((passes + 1)); echo "ok - $*"; }
bad() { fails=$((fails + 1)); echo "not ok - $*"; }
check() { # check <description> <command...>
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}

# --- command line -------------------------------------------------------------------------------

"$app" -l 0 "${eal[@]}" -- --help >"$tmp/help" 2>&1
check "--help exits 0" [ $? -eq 0 ]
missing=
for o in config port ip listen syncookies synq-limit max-conns stats-interval time-wait \
	fin-wait2-timeout idle-timeout rto-retries http-body-size rst-rate challenge-ack-limit \
	cookie-rotate cookie-secret mtu nb-mbufs rx-desc tx-desc help; do
	grep -q -- "--$o" "$tmp/help" || missing="$missing --$o"
done
check "--help lists every option${missing:+ (missing:$missing)}" [ -z "$missing" ]
check "--help shows defaults" grep -q "(default 80:http,7:echo,9:discard)" "$tmp/help"

expect_exit2() { # expect_exit2 <description> <pattern> <app args...>
	local d=$1 pat=$2
	shift 2
	"$app" -l 0 "${eal[@]}" "$@" >"$tmp/out" 2>&1
	local rc=$?
	if [ $rc -eq 2 ] && grep -q -- "$pat" "$tmp/out"; then
		ok "$d"
	else
		bad "$d (exit $rc)"
		cat "$tmp/out"
	fi
}
expect_exit2 "unknown option exits 2" "unknown option '--bogus'" --vdev=net_null0 -- --bogus 1
expect_exit2 "bad value exits 2" "--syncookies: bad value 'on' (accepted: off, auto, always)" \
	--vdev=net_null0 -- --syncookies on
expect_exit2 "bad listen exits 2" "--listen: bad value '0:http'" --vdev=net_null0 -- --listen 0:http
expect_exit2 "missing port exits 2" "--port 0: no such port" --
expect_exit2 "port beyond the devices exits 2" "--port 1: no such port" --vdev=net_null0 -- --port 1
printf 'mtu = 1500\nmax_conn = 5\n' >"$tmp/bad.conf"
expect_exit2 "unknown config key exits 2" "unknown key 'max_conn'" --vdev=net_null0 -- \
	--config "$tmp/bad.conf"
expect_exit2 "missing config file exits 2" "cannot open" --vdev=net_null0 -- --config /nonexistent

# net_pcap has one queue per rx_pcap: two workers cannot each get one.
python3 -c 'import struct, sys; open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))' "$tmp/empty.pcap"
"$app" --lcores=0@0,1@1,2@1 "${eal[@]}" \
	--vdev=net_pcap0,rx_pcap="$tmp/empty.pcap",tx_pcap="$tmp/out.pcap" -- >"$tmp/out" 2>&1
rc=$?
check "too few queues exits 2 naming both numbers" \
	test $rc -eq 2 -a -n "$(grep 'offers 1 RX and 1 TX queues but 2 workers' "$tmp/out")"

out=$("$stat" --file-prefix "$prefix" 2>&1)
rc=$?
check "tcpd-stat without a daemon exits 1 with a clear message" \
	test $rc -eq 1 -a -n "$(echo "$out" | grep 'no telemetry socket')"

# tcpd-stat's port and kernel lines, from given replies and a made-up /sys/class/net.
mkdir -p "$tmp/sys/tl-x-h/statistics"
echo 1000124 >"$tmp/sys/tl-x-h/statistics/rx_packets"
echo 0 >"$tmp/sys/tl-x-h/statistics/rx_dropped"
check "tcpd-stat port and kernel line formatting" python3 - "$stat" "$tmp/sys" <<'PY'
import importlib.machinery, importlib.util, sys
loader = importlib.machinery.SourceFileLoader("tcpd_stat", sys.argv[1])
spec = importlib.util.spec_from_loader("tcpd_stat", loader)
ts = importlib.util.module_from_spec(spec)
loader.exec_module(ts)
port = {"port": 0, "driver": "net_af_packet", "ifname": "tl-x-h", "ipackets": 960996,
        "opackets": 962985, "imissed": 0, "ierrors": 0, "rx_nombuf": 0, "oerrors": 2}
assert ts.port_line(port) == ("port 0 (net_af_packet): ipackets 960996 opackets 962985 "
                              "imissed 0 ierrors 0 rx_nombuf 0 oerrors 2\n"), ts.port_line(port)
kern = ts.kernel_counters(port, root=sys.argv[2])
assert kern == {"rx_packets": 1000124, "rx_dropped": 0}, kern
line = ts.kernel_line(port, kern)
assert line == ("kernel tl-x-h: rx_packets 1000124 rx_dropped 0, not received by the port 39128 "
                "(af_packet RX ring full, or before dpdk-tcpd started)\n"), line
# Other drivers, a missing interface, a name that is not one: no kernel line.
assert ts.kernel_counters(dict(port, driver="net_tap"), root=sys.argv[2]) is None
assert ts.kernel_counters(dict(port, ifname="nosuch"), root=sys.argv[2]) is None
assert ts.kernel_counters(dict(port, ifname="../tl-x-h"), root=sys.argv[2]) is None
assert ts.kernel_counters({k: v for k, v in port.items() if k != "ifname"}, root=sys.argv[2]) is None
assert ts.kernel_line(port, None) == "" and ts.port_line({"error": "x"}) == ""
# --watch over 2 s: 100 of 300 new kernel frames never reached the port; 2 more TX errors.
pport = dict(port, ipackets=port["ipackets"] - 200, opackets=port["opackets"] - 400, oerrors=0)
pkern = {"rx_packets": 1000124 - 300, "rx_dropped": 0}
w = ts.watch_port_line(pport, port, pkern, kern, 2.0)
assert w == ("port: rx 100 pps, tx 200 pps, lost 1/s (imissed+ierrors+rx_nombuf+oerrors); "
             "kernel tl-x-h: rx 150 pps, not received 50/s\n"), w
assert ts.watch_port_line(pport, dict(port, driver="net_ring"), None, None, 2.0).endswith("oerrors)\n")
PY

# --- one lcore: the worker runs on the main lcore; SIGINT stops it ------------------------------

"$app" -l 0 "${eal[@]}" --vdev=net_null0,no-rx=1 -- --stats-interval 0 >"$tmp/single.log" 2>&1 &
pid=$!
for _ in $(seq 300); do
	grep -q "worker(s) on lcore" "$tmp/single.log" && break
	sleep 0.1
done
out=$("$stat" --file-prefix "$prefix" --cmd /tcpd/lcores 2>&1)
check "one lcore: worker on lcore 0" grep -qE \
	'^\{"0": \{"lcore": 0, "port": 0, "queue": 0, "tsc_hz": [1-9][0-9]*\}\}$' <<<"$out"
kill -INT "$pid"
for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
wait "$pid"
rc=$?
pid=
check "SIGINT: exit 0 with totals" test $rc -eq 0 -a -n "$(grep 'totals over 1 worker' "$tmp/single.log")"
check "stats-interval 0: no summary line" test -z "$(grep '^rx .* pps' "$tmp/single.log")"

# --- a running daemon: two workers on net_null --------------------------------------------------

secret=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
printf '[tcpd]\nhttp_body_size = 512\nmax_conns = 4096\n' >"$tmp/good.conf"
# Two workers share the second CPU: enough for a functional check, bounded by the test.
"$app" --lcores=0@0,1@1,2@1 "${eal[@]}" --vdev=net_null0,no-rx=1 -- --config "$tmp/good.conf" \
	--max-conns 2048 --cookie-secret "$secret" --stats-interval 1 --nb-mbufs 8191 \
	>"$tmp/daemon.log" 2>&1 &
pid=$!
sock=/var/run/dpdk/$prefix/dpdk_telemetry.v2
for _ in $(seq 300); do
	[ -S "$sock" ] && grep -q "worker(s) on lcore" "$tmp/daemon.log" && break
	sleep 0.1
done
check "daemon up with 2 workers" grep -q "2 worker(s) on lcore(s) 1,2" "$tmp/daemon.log"

printf '/tcpd/stats\n/tcpd/lcores\n/tcpd/lcore,1\n/tcpd/lcore,0\n/tcpd/lcore,x\n/tcpd/conns\n/tcpd/listeners\n/tcpd/config\n/tcpd/cookies\n/help,/tcpd/lcore\n' |
	timeout 10 dpdk-telemetry.py -f "$prefix" >"$tmp/tel.json" 2>&1
check "dpdk-telemetry.py answers" test "$(wc -l <"$tmp/tel.json")" -eq 10

python3 - "$tmp/tel.json" "$secret" <<'PY' && ok "telemetry replies have the expected shape" || bad "telemetry reply shape"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
secret = sys.argv[2]
stats = lines[0]["/tcpd/stats"]
assert stats["workers"] == 2, stats
assert stats["arp_tx"] == 1 and stats["tx_pkts"] == 1, stats        # the gratuitous ARP
assert stats["rx_pkts"] == 0 and stats["conn_live"] == 0, stats
assert set(stats["states"]) >= {"established", "time_wait", "syn_received"}, stats
lcores = lines[1]["/tcpd/lcores"]
hz = lcores["1"].pop("tsc_hz"), lcores["2"].pop("tsc_hz")
assert hz[0] == hz[1] and hz[0] > 10**8, hz
assert lcores == {"1": {"lcore": 1, "port": 0, "queue": 0},
                  "2": {"lcore": 2, "port": 0, "queue": 1}}, lcores
one = lines[2]["/tcpd/lcore"]
assert one["lcore"] == 1 and one["queue"] == 0 and "rx_pkts" in one, one
assert lines[3]["/tcpd/lcore"] == {"error": "lcore 0 is not a worker", "workers": [1, 2]}, lines[3]
assert lines[4]["/tcpd/lcore"]["error"].startswith("usage: /tcpd/lcore,"), lines[4]
conns = lines[5]["/tcpd/conns"]
assert conns["live"] == 0 and set(conns["lcores"]) == {"1", "2"}, conns
lst = lines[6]["/tcpd/listeners"]
assert lst == {"80": {"port": 80, "service": "http", "accepted": 0, "reset": 0},
               "7": {"port": 7, "service": "echo", "accepted": 0, "reset": 0},
               "9": {"port": 9, "service": "discard", "accepted": 0, "reset": 0}}, lst
cfg = lines[7]["/tcpd/config"]
assert cfg["max_conns"] == 2048 and cfg["http_body_size"] == 512, cfg   # command line > file
assert cfg["cookie_secret"] == "set" and cfg["ip"] == "198.18.0.1/15", cfg
cookies = lines[8]["/tcpd/cookies"]
assert cookies["mode"] == "auto" and cookies["rotations"] == 0 and cookies["secret"] == "set"
assert 0 <= cookies["secret_age"] < 60, cookies
assert "lcore id" in lines[9]["/help"]["/tcpd/lcore"], lines[9]
for l in open(sys.argv[1]):
    assert secret not in l.lower() and secret[:16] not in l.lower()
PY

"$stat" --file-prefix "$prefix" >"$tmp/table" 2>&1
check "tcpd-stat table" grep -q "^total " "$tmp/table"
check "tcpd-stat table has both lcores" test "$(grep -cE '^ +[12] ' "$tmp/table")" -eq 2
check "tcpd-stat table has the port line" grep -qE "^port 0 \(net_null\): ipackets 0 " "$tmp/table"
check "tcpd-stat table: no kernel line for net_null" test -z "$(grep '^kernel ' "$tmp/table")"
"$stat" --file-prefix "$prefix" --json >"$tmp/all.json" 2>&1
check "tcpd-stat --json" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"stats", "lcores", "conns", "listeners", "cookies", "config", "port",
                  "client", "client_latency"}
assert d["client"]["active"] == 0 and d["client"]["attempted"] == 0, d["client"]
assert d["client_latency"]["connect"]["count"] == 0, d["client_latency"]
assert set(d["lcores"]) == {"1", "2"} and d["stats"]["workers"] == 2
p = d["port"]
assert p["port"] == 0 and p["ipackets"] == d["stats"]["rx_pkts"] and p["imissed"] == 0, p
assert {k: v["queue"] for k, v in p["queues"].items()} == {"1": 0, "2": 1}, p
' "$tmp/all.json"
"$stat" --file-prefix "$prefix" --watch 0.2 --count 3 >"$tmp/watch" 2>&1
check "tcpd-stat --watch --count 3 refreshes 3 times" test "$(grep -c '^total ' "$tmp/watch")" -eq 3
check "tcpd-stat --watch shows the port 3 times" \
	test "$(grep -c '^port: rx 0 pps, tx 0 pps, lost 0/s (imissed+ierrors+rx_nombuf+oerrors)$' "$tmp/watch")" -eq 3
out=$("$stat" --file-prefix "$prefix" --cmd /tcpd/port,1)
check "tcpd-stat --cmd /tcpd/port,1: error reply" test "$out" = \
	'{"error": "port 1 is not served by dpdk-tcpd (port 0 is)", "port": 0}'
out=$("$stat" --file-prefix "$prefix" --cmd /tcpd/lcore,7)
check "tcpd-stat --cmd passes the error reply" test "$out" = \
	'{"error": "lcore 7 is not a worker", "workers": [1, 2]}'

sleep 1.2
check "summary line printed" grep -qE "^rx [0-9]+ pps, tx [0-9]+ pps, new [0-9]+/s, live [0-9]+ \(ipv6 [0-9]+\), syn [0-9]+/s, cookies sent [0-9]+ ok [0-9]+ bad [0-9]+ /s, drops [0-9]+/s, port lost [0-9]+/s, busy [0-9]+%$" "$tmp/daemon.log"

kill -TERM "$pid"
for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
wait "$pid"
rc=$?
pid=
check "SIGTERM: exit 0" [ $rc -eq 0 ]
check "SIGTERM: totals printed" grep -q "totals over 2 worker(s)" "$tmp/daemon.log"
check "SIGTERM: port totals printed" grep -qE "^port 0: ipackets 0 opackets [0-9]+ .* imissed 0 ierrors 0 oerrors 0 rx_nombuf 0$" "$tmp/daemon.log"
check "secret never printed by the daemon" test -z "$(grep -i "${secret:0:16}" "$tmp/daemon.log")"

echo "$passes passed, $fails failed"
[ $fails -eq 0 ] || { echo "--- daemon log"; cat "$tmp/daemon.log"; exit 1; }
