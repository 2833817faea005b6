#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Client mode's start-up on net_null (no namespace, no peer): with two workers the port's RSS key
# and redirection table are programmed and read back, each lcore keeps the source tuples whose
# replies hash to its own queue (the two shares add up to the whole range, about half each);
# nobody answers ARP on net_null, so it exits 1 within --arp-timeout naming the address; bad
# client options exit 2 naming them.
# Usage: client_null.sh <dpdk-tcpd>
set -uo pipefail

app=${1:?dpdk-tcpd path}
prefix=tcpd_client_null_$$
tmp=$(mktemp -d /tmp/tcpd_client_null.XXXXXX)
fails=0
passes=0
trap 'rm -rf "$tmp" "/var/run/dpdk/$prefix"' EXIT

ok() { passes=$((passes + 1)); echo "ok - $*"; }
bad() { fails=$((fails + 1)); echo "not ok - $*"; }
check() { # check <description> <command...>
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}

eal=(--no-huge -m 256 --no-shconf --no-pci --file-prefix="$prefix" --log-level=lib.eal:warning
	--vdev=net_null0)
start=$SECONDS
timeout 30 "$app" --lcores=0@0,1@0,2@1 "${eal[@]}" -- --port 0 --stats-interval 0 \
	--connect 198.18.0.2:80:http --src-ports 1024-65535 --cps 10 --duration 1 \
	--arp-timeout 1 >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out" | grep -v '^#   '
check "no ARP answer on net_null: exit 1" [ $rc -eq 1 ]
check "within a few seconds" [ $((SECONDS - start)) -le 15 ]
check "the message names the address" grep -q "no ARP reply from 198.18.0.2" "$tmp/out"
check "source tuples chosen by RSS" grep -q "source tuples by RSS" "$tmp/out"
q0=$(sed -n 's/^client lcore 0 (queue 0): \([0-9]*\) source tuples.*RSS.*/\1/p' "$tmp/out")
q1=$(sed -n 's/^client lcore 1 (queue 1): \([0-9]*\) source tuples.*RSS.*/\1/p' "$tmp/out")
check "the two lcores' tuples add up to the range ($q0 + $q1 = 64512)" \
	[ "$((${q0:-0} + ${q1:-0}))" -eq 64512 ]
check "about half each ($q0, $q1)" [ "${q0:-0}" -gt 30000 ] && [ "${q1:-0}" -gt 30000 ]

# SIGINT while the engine waits for ARP: a clean stop, the summary, status 0 (nothing was open).
"$app" -l 0 "${eal[@]}" -- --port 0 --stats-interval 0 --connect 198.18.0.2:80:http \
	--arp-timeout 30 >"$tmp/out" 2>&1 &
pid=$!
sleep 3
kill -INT $pid
wait $pid
rc=$?
check "SIGINT while resolving: exit 0, summary printed" [ $rc -eq 0 ] && grep -q "client totals" "$tmp/out"
check "SIGINT: said so" grep -q "interrupted before the end, 0 connection(s) still open" "$tmp/out"

# --linger 1: the load ends (here: no ARP answer), its summary is printed, the process runs on
# until SIGINT and then exits with the load's status (1), the summary not printed twice.
"$app" -l 0 "${eal[@]}" -- --port 0 --stats-interval 0 --connect 198.18.0.2:80:http \
	--arp-timeout 1 --linger 1 >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
	grep -q "lingering until SIGINT" "$tmp/out" && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
check "--linger: the load's end reported while running" grep -q "lingering until SIGINT" "$tmp/out"
sleep 0.5
check "--linger: still running after the load ended" kill -0 $pid
check "--linger: the next hop's failure reported" grep -q "no ARP reply from 198.18.0.2" "$tmp/out"
kill -INT $pid
wait $pid
rc=$?
check "--linger: SIGINT then the load's exit status 1 ($rc)" [ $rc -eq 1 ]
check "--linger: the summary printed once" [ "$(grep -c "client totals" "$tmp/out")" -eq 1 ]

expect2() { # expect2 <description> <pattern> <options...>
	local d=$1 pat=$2
	shift 2
	"$app" -l 0 "${eal[@]}" -- --port 0 "$@" >"$tmp/out" 2>&1
	local rc=$?
	if [ $rc -eq 2 ] && grep -q -- "$pat" "$tmp/out"; then
		ok "$d"
	else
		bad "$d (exit $rc)"
		cat "$tmp/out"
	fi
}
expect2 "target off our prefix without --gateway" "give --gateway" --connect 10.0.0.1:80:http
expect2 "bad app" "accepted: ADDR:PORT:APP" --connect 198.18.0.2:80:ftp
expect2 "bad source ports" "--src-ports" --src-ports 9-3
expect2 "--cps 0" "needs a rate" --connect 198.18.0.2:80:http --cps 0

echo "# client_null: $passes passed, $fails failed"
[ $fails -eq 0 ]
