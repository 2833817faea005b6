# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# Harness for the namespace interop tests (sourced by tests/interop/test_*.sh).
#
#   tl_init NAME            skip unless root with `ip netns`; lab NAME up; cleanup trapped
#   tl_need_daemon          skip when the daemon is not built
#   tl_need CMD...          skip when a command is missing
#   daemon_start ARGS...    start dpdk-tcpd on the lab (ARGS go after --port 0 --ip ...),
#                           wait until telemetry answers and ARP is answered on the wire
#   daemon_stop             SIGINT, then SIGKILL after 10 s; checks it exited cleanly
#   nsx CMD...              run CMD in the lab namespace
#   tele CMD                one telemetry reply (JSON, via dpdk-telemetry.py), fails if invalid
#   counter KEY              one counter from /tcpd/stats
#   ok/not_ok/check*/finish TAP-like assertions; finish exits 1 if anything failed
#
# Exit status 77 means skipped (meson counts it as SKIP), with the reason on stdout.
# Environment: DPDK_TCPD (daemon binary), TCPD_FLOOD (flood tool), TCPD_STAT (telemetry client);
# each defaults to its place in build/ or tools/ of this tree.

set -uo pipefail

TL_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TL_DIR=$TL_TOP/tests/interop
LAB=$TL_TOP/tools/lab.sh
TLPY=$TL_DIR/tlab.py
DPDK_TCPD=${DPDK_TCPD:-$TL_TOP/build/app/dpdk-tcpd/dpdk-tcpd}
TCPD_FLOOD=${TCPD_FLOOD:-$TL_TOP/build/tools/tcpd-flood}
TCPD_STAT=${TCPD_STAT:-$TL_TOP/tools/tcpd-stat}
DAEMON_IP=198.18.0.1

tl_passed=0
tl_failed=0
tl_daemon_pid=
tl_name=
TL_PREFIX=
TL_WORK=

skip() {
	echo "SKIP: $*"
	exit 77
}

ok() {
	tl_passed=$((tl_passed + 1))
	echo "ok - $*"
}

not_ok() {
	tl_failed=$((tl_failed + 1))
	echo "not ok - $1"
	shift
	local l
	for l in "$@"; do
		echo "#   $l"
	done
}

# check DESC CMD...: ok when CMD exits 0.
check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc" "command: $*" "exit $rc" "$(printf '%s' "$out" | tail -5)"
	fi
	return $rc
}

_num() {
	[[ $1 =~ ^-?[0-9]+$ ]]
}

# check_eq DESC GOT WANT (strings, or numbers)
check_eq() {
	if [ "$2" == "$3" ]; then
		ok "$1 ($2)"
	else
		not_ok "$1" "got '$2', expected '$3'"
		return 1
	fi
}

check_ge() {
	if _num "$2" && [ "$2" -ge "$3" ]; then
		ok "$1 ($2 >= $3)"
	else
		not_ok "$1" "got '$2', expected >= $3"
		return 1
	fi
}

check_le() {
	if _num "$2" && [ "$2" -le "$3" ]; then
		ok "$1 ($2 <= $3)"
	else
		not_ok "$1" "got '$2', expected <= $3"
		return 1
	fi
}

# finish: print the summary; exit 1 on any failure (or when nothing was checked at all).
finish() {
	echo "# $tl_name: $tl_passed passed, $tl_failed failed"
	if [ $tl_failed -ne 0 ] || [ $tl_passed -eq 0 ]; then
		[ -n "$TL_WORK" ] && [ -f "$TL_WORK/daemon.out" ] && {
			echo "# daemon output (last 30 lines):"
			tail -30 "$TL_WORK/daemon.out" | sed 's/^/#   /'
		}
		exit 1
	fi
	exit 0
}

nsx() {
	ip netns exec "$LAB_NS" "$@"
}

# tl_on_exit CMD: run CMD (a string, eval'ed) at cleanup, before the lab goes down.
tl_exit_cmds=()
tl_on_exit() {
	tl_exit_cmds+=("$1")
}

tl_cleanup() {
	local rc=$? c
	trap - EXIT INT TERM
	daemon_stop quiet
	for c in "${tl_exit_cmds[@]}"; do
		eval "$c" >/dev/null 2>&1
	done
	[ -n "$tl_name" ] && "$LAB" down "$tl_name" >/dev/null 2>&1
	[ -n "$TL_PREFIX" ] && rm -rf "/var/run/dpdk/$TL_PREFIX"
	[ -n "$TL_WORK" ] && rm -rf "$TL_WORK"
	exit $rc
}

# tl_init NAME: NAME is 1..10 characters [a-z0-9] and unique per test (parallel runs).
tl_init() {
	tl_name=$1
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, veth, AF_PACKET)"
	command -v ip >/dev/null || skip "iproute2 not installed"
	ip netns list >/dev/null 2>&1 || skip "'ip netns' unavailable"
	command -v ethtool >/dev/null || skip "ethtool not installed"
	command -v python3 >/dev/null || skip "python3 not installed"
	TL_PREFIX=tcpd-lab-$tl_name
	TL_WORK=$(mktemp -d "/tmp/tcpd-lab-$tl_name.XXXXXX")
	trap tl_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	"$LAB" up "$tl_name" || {
		not_ok "lab $tl_name up"
		finish
	}
	eval "$("$LAB" env "$tl_name")"
}

tl_need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip "$c not installed"
	done
}

tl_need_daemon() {
	[ -x "$DPDK_TCPD" ] || skip "daemon not built ($DPDK_TCPD)"
}

tl_need_flood() {
	[ -x "$TCPD_FLOOD" ] || skip "tcpd-flood not built ($TCPD_FLOOD)"
}

daemon_alive() {
	[ -n "$tl_daemon_pid" ] && kill -0 "$tl_daemon_pid" 2>/dev/null
}

# daemon_start [--lcores L] ARGS...: ARGS are the daemon's own options after
# "--port 0 --ip 198.18.0.1/15". Output goes to $TL_WORK/daemon.out.
daemon_start() {
	local lcores=0-1
	if [ "${1:-}" = --lcores ]; then
		lcores=$2
		shift 2
	fi
	daemon_stop quiet
	rm -rf "/var/run/dpdk/$TL_PREFIX"
	DAEMON_OUT=$TL_WORK/daemon.out
	: >"$DAEMON_OUT"
	DAEMON_CMD=("$DPDK_TCPD" -l "$lcores" --no-huge -m 256 --no-shconf --no-pci
		"--file-prefix=$TL_PREFIX" "--vdev=net_af_packet0,iface=$LAB_HOST_IF,qpairs=1"
		-- --port 0 --ip "$DAEMON_IP/15" "$@")
	echo "# ${DAEMON_CMD[*]}"
	# stdbuf: the summary line must reach the file when printed, not when a buffer fills.
	stdbuf -oL -eL "${DAEMON_CMD[@]}" >>"$DAEMON_OUT" 2>&1 &
	tl_daemon_pid=$!
	local i sock=/var/run/dpdk/$TL_PREFIX/dpdk_telemetry.v2
	for i in $(seq 200); do
		if ! daemon_alive; then
			wait "$tl_daemon_pid"
			not_ok "daemon started" "exited with status $?" \
				"$(tail -5 "$DAEMON_OUT")"
			tl_daemon_pid=
			return 1
		fi
		if [ -S "$sock" ] && tele /tcpd/stats >/dev/null 2>&1; then
			break
		fi
		sleep 0.1
	done
	if [ "$i" = 200 ]; then
		not_ok "daemon started" "no telemetry reply to /tcpd/stats within 20 s"
		return 1
	fi
	# The workers poll once the port is started: an ARP request answered proves it.
	if ! DAEMON_MAC=$(nsx python3 "$TLPY" arp-probe "$LAB_NS_IF" "$LAB_NS_IP" "$DAEMON_IP" \
		--timeout 10); then
		not_ok "daemon answers ARP for $DAEMON_IP"
		return 1
	fi
	return 0
}

# daemon_stop [quiet]: SIGINT and wait; returns the exit status. Not quiet: asserts a clean exit.
daemon_stop() {
	local rc=0 i
	[ -n "$tl_daemon_pid" ] || return 0
	if daemon_alive; then
		kill -INT "$tl_daemon_pid" 2>/dev/null
		for i in $(seq 100); do
			daemon_alive || break
			sleep 0.1
		done
		if daemon_alive; then
			kill -KILL "$tl_daemon_pid" 2>/dev/null
			[ "${1:-}" = quiet ] || not_ok "daemon exits within 10 s of SIGINT"
		fi
	fi
	wait "$tl_daemon_pid" 2>/dev/null
	rc=$?
	tl_daemon_pid=
	if [ "${1:-}" != quiet ]; then
		check_eq "daemon exit status after SIGINT" "$rc" 0
	fi
	return $rc
}

# tele CMD: print the value of a telemetry reply (the part under the command's key) as JSON.
# Fails when there is no reply or it is not valid JSON.
tele() {
	echo "$1" | timeout 10 dpdk-telemetry.py -f "$TL_PREFIX" 2>&1 |
		python3 "$TLPY" tele-reply "$1"
}

# counter KEY: one figure of /tcpd/stats.
counter() {
	tele /tcpd/stats | python3 "$TLPY" json-get "$1"
}

# json_get KEY...: figures from a JSON reply on stdin (dotted paths, or first key of that name).
json_get() {
	python3 "$TLPY" json-get "$@"
}

# flood ARGS...: tcpd-flood on the namespace end, at the daemon.
flood() {
	nsx "$TCPD_FLOOD" --iface "$LAB_NS_IF" --dst-mac "$LAB_HOST_MAC" --dst-ip "$DAEMON_IP" "$@"
}

# wait_for SECONDS CMD...: retry CMD every 0.2 s until it succeeds or time runs out.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.2
	done
}
