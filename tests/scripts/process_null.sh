#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The daemon as a process, on net_null (no namespace, no traffic; issue 11 items 6 and 8):
#   - SIGHUP stops it like SIGINT/SIGTERM: exit 0, the totals printed, the telemetry socket
#     removed; started with SIGHUP ignored (nohup), it keeps running;
#   - a second daemon with the same --file-prefix exits 2 naming the running one's pid, and the
#     first keeps its telemetry socket (no dpdk_telemetry.v2:1 appears), whether the prefix is
#     given as --file-prefix=P, --file-prefix P or an abbreviation getopt accepts; --help is
#     still answered;
#   - the cookie secret given on the command line is in none of /eal/params, /eal/app_params,
#     /tcpd/config and /proc/PID/cmdline.
# Usage: process_null.sh <dpdk-tcpd> <tcpd-stat>
set -uo pipefail

app=${1:?dpdk-tcpd path}
stat=${2:?tcpd-stat path}
prefix=tcpd_app_procnull_$$
eal=(-l 0 --no-huge -m 256 --no-shconf --no-pci --log-level=lib.eal:warning)
tmp=$(mktemp -d /tmp/tcpd_procnull.XXXXXX)
sock=/var/run/dpdk/$prefix/dpdk_telemetry.v2
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

# start <log> [app args...]: a daemon in the background on net_null, $pid set once it serves.
# The daemon starts with SIGHUP at its default action whatever this script inherited: a suite
# run under nohup (or a runner that ignores SIGHUP) passes SIG_IGN on, which bash cannot undo,
# and the daemon keeps an ignored SIGHUP ignored by design (tested below).
start() {
	local log=$1
	shift
	env --default-signal=HUP "$app" "${eal[@]}" --file-prefix="$prefix" \
		--vdev=net_null0,no-rx=1 -- --stats-interval 0 "$@" >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 300); do
		[ -S "$sock" ] && grep -q "worker(s) on lcore" "$log" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	bad "daemon did not start"
	cat "$log"
	return 1
}

# stop_wait: wait (at most 15 s: a shared CI machine can be slow) for $pid to end; its status in
# $rc.
stop_wait() {
	for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	wait "$pid"
	rc=$?
	pid=
}

# --- SIGHUP: a graceful stop ----------------------------------------------------------------------

start "$tmp/hup.log" || exit 1
kill -HUP "$pid"
stop_wait
check "SIGHUP: exit 0 (was $rc)" test "$rc" -eq 0
check "SIGHUP: the totals are printed" grep -q "totals over 1 worker" "$tmp/hup.log"
check "SIGHUP: the signal is named" grep -q "stopping on SIGHUP" "$tmp/hup.log"
check "SIGHUP: the telemetry socket is removed" test ! -e "$sock"

# Started with SIGHUP ignored (nohup): it stays ignored; SIGTERM still stops it.
(
	trap '' HUP
	exec "$app" "${eal[@]}" --file-prefix="$prefix" --vdev=net_null0,no-rx=1 -- \
		--stats-interval 0 >"$tmp/nohup.log" 2>&1
) &
pid=$!
for _ in $(seq 300); do grep -q "worker(s) on lcore" "$tmp/nohup.log" && break; sleep 0.1; done
kill -HUP "$pid"
sleep 0.5
check "SIGHUP ignored at start: still running" kill -0 "$pid"
kill -TERM "$pid"
stop_wait
check "then SIGTERM: exit 0 with the totals" \
	test "$rc" -eq 0 -a -n "$(grep 'totals over 1 worker' "$tmp/nohup.log")"

# --- one daemon per --file-prefix; the secret on the command line is never shown -------------------

secret=89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567
start "$tmp/first.log" --cookie-secret "$secret" || exit 1
first=$pid

second() { # second <description> <EAL prefix arguments...>
	local d=$1
	shift
	timeout 20 "$app" "${eal[@]}" "$@" --vdev=net_null1,no-rx=1 -- --stats-interval 0 \
		>"$tmp/second.log" 2>&1
	local rc=$?
	if [ $rc -eq 2 ] && grep -q "pid $first" "$tmp/second.log" &&
		grep -q "already" "$tmp/second.log"; then
		ok "$d: exit 2 naming pid $first"
	else
		bad "$d: exit $rc"
		cat "$tmp/second.log"
	fi
	check "$d: no second telemetry socket" test ! -e "$sock:1"
	check "$d: the first one still answers" \
		grep -qE '^\{"0": \{"lcore": 0, "port": 0, "queue": 0, "tsc_hz": [1-9][0-9]*\}\}$' \
		<<<"$("$stat" --file-prefix "$prefix" --cmd /tcpd/lcores 2>&1)"
}
second "--file-prefix=P" --file-prefix="$prefix"
second "--file-prefix P" --file-prefix "$prefix"
# An abbreviation getopt_long accepts is only known once EAL has parsed it: checked after init.
second "--file-pref P" --file-pref "$prefix"

"$app" "${eal[@]}" --file-prefix="$prefix" -- --help >"$tmp/help.out" 2>&1
rc=$?
check "--help with the prefix in use: exit 0 with the usage" \
	test $rc -eq 0 -a -n "$(grep 'SIGHUP' "$tmp/help.out")"

for cmd in /eal/params /eal/app_params /tcpd/config; do
	"$stat" --file-prefix "$prefix" --cmd "$cmd" >"$tmp/reply" 2>&1
	check "$cmd answers" test -s "$tmp/reply"
	check "$cmd does not show the secret" bash -c "! grep -qi '${secret:0:16}' '$tmp/reply'"
done
check "/tcpd/config: cookie_secret set" grep -q '"cookie_secret": "set"' "$tmp/reply"
check "/proc/PID/cmdline does not show the secret" \
	bash -c "! tr '\\0' ' ' </proc/$first/cmdline | grep -qi '${secret:0:16}'"
kill -TERM "$pid"
stop_wait
check "SIGTERM: exit 0" test "$rc" -eq 0
check "no output shows the secret" bash -c "! cat '$tmp'/*.log | grep -qi '${secret:0:16}'"

echo "# $passes passed, $fails failed"
[ $fails -eq 0 ]
