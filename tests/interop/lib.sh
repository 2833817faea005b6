# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# Harness for the namespace interop tests (sourced by tests/interop/test_*.sh).
#
#   tl_init NAME            skip unless root with `ip netns`; lab NAME up; cleanup trapped
#   tl_need_daemon          skip when the daemon is not built
#   tl_need CMD...          skip when a command is missing
#   daemon_start ARGS...    start dpdk-tcpd on the lab (ARGS go after --port 0 --ip ...; options
#                           for lcores and af_packet queues first, see below),
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

# The system's tools first: the tests use Debian's packages (python3, curl, ...), and a Python
# version manager's shim in front of /usr/bin costs most of a second per call.
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

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
	if [ -n "$TL_WORK" ]; then
		# Keep the evidence (daemon output, captures) of a failed run.
		if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then
			rm -rf "$TL_WORK"
		else
			echo "# logs and captures kept in $TL_WORK"
		fi
	fi
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

# daemon_start [--lcores L] [--lcore-map M] [--qpairs N] ARGS...: ARGS are the daemon's own
# options after "--port 0 --ip 198.18.0.1/15". Output goes to $TL_WORK/daemon.out.
#   --lcores L     EAL -l L (default 0-1: the main lcore and one worker)
#   --lcore-map M  EAL --lcores=M instead of -l, to put several lcores on one CPU (2 workers and
#                  the main lcore on this 2-CPU machine: 0@0,1@0,2@1)
#   --qpairs N     af_packet queue pairs (default 1): N sockets in one PACKET_FANOUT group
# DAEMON_VDEV_ARGS, if set, is appended to the net_af_packet devargs (e.g. framecnt=2048).
daemon_start() {
	local lcores=(-l 0-1) qpairs=1
	while :; do
		case ${1:-} in
		--lcores)
			lcores=(-l "$2")
			shift 2
			;;
		--lcore-map)
			lcores=("--lcores=$2")
			shift 2
			;;
		--qpairs)
			qpairs=$2
			shift 2
			;;
		*) break ;;
		esac
	done
	daemon_stop quiet
	rm -rf "/var/run/dpdk/$TL_PREFIX"
	DAEMON_OUT=$TL_WORK/daemon.out
	: >"$DAEMON_OUT"
	DAEMON_CMD=("$DPDK_TCPD" "${lcores[@]}" --no-huge -m 256 --no-shconf --no-pci
		"--file-prefix=$TL_PREFIX"
		"--vdev=net_af_packet0,iface=$LAB_HOST_IF,qpairs=$qpairs${DAEMON_VDEV_ARGS:+,$DAEMON_VDEV_ARGS}"
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

# counter KEY: one figure of /tcpd/stats. A reply that does not come (the telemetry thread
# shares the workers' CPUs: on a loaded machine dpdk-telemetry.py can give up) is asked for again,
# up to 3 times; then the figure is empty and the error on stderr, so that a check fails
# visibly instead of computing a difference from 0.
counter() {
	local v try
	for try in 1 2 3; do
		if v=$(tele /tcpd/stats | python3 "$TLPY" json-get "$1") && [ -n "$v" ]; then
			echo "$v"
			return 0
		fi
		sleep 1
	done
	echo "counter $1: no /tcpd/stats reply after 3 tries" >&2
	return 1
}

# json_get KEY...: figures from a JSON reply on stdin (dotted paths, or first key of that name).
json_get() {
	python3 "$TLPY" json-get "$@"
}

# drops_but FILE KEY...: the drop_* counters of the /tcpd/stats reply in FILE that are not 0,
# as "name=value ...", leaving out the KEYs; "0" when there is none.
drops_but() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(" ".join("%s=%d" % (k, v) for k, v in sorted(d.items())
               if k.startswith("drop_") and k not in sys.argv[2:] and v) or 0)' "$@"
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

# capture_start: record every frame on the namespace end into $TL_WORK/cap.pcap (tcpdump in the
# namespace, so it sees exactly what the kernel peer sends and receives).
capture_start() {
	CAP=$TL_WORK/cap.pcap
	bg_ns tcpdump --immediate-mode -ni "$LAB_NS_IF" -s 200 -U -w "$CAP" 2>"$TL_WORK/tcpdump.err"
	tl_capture_pid=$BG_PID
	wait_for 5 grep -q listening "$TL_WORK/tcpdump.err"
}

capture_stop() {
	[ -n "${tl_capture_pid:-}" ] || return 0
	# --immediate-mode hands each frame over at once; leave it a moment for the last ones.
	sleep 0.5
	kill -INT "$tl_capture_pid" 2>/dev/null
	wait "$tl_capture_pid" 2>/dev/null
	tl_capture_pid=
}

# pcap_count FILTER: frames of the capture matching a tshark display filter (checksums checked).
pcap_count() {
	tshark -r "$CAP" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -Y "$1" 2>/dev/null |
		wc -l
}

# check_capture_clean: the frames the daemon sent carry good checksums, and no RST went either way.
check_capture_clean() {
	check_eq "capture: frames from $DAEMON_IP with a bad IPv4/TCP/ICMP checksum" \
		"$(pcap_count "ip.src == $DAEMON_IP && (ip.checksum.status == 0 || tcp.checksum.status == 0 || icmp.checksum.status == 0)")" 0
	check_eq "capture: RSTs" "$(pcap_count 'tcp.flags.reset == 1')" 0
}

# check_no_loss_repair: on a clean path nothing is repaired. The one retransmission allowed is
# the tail-loss probe (RFC 8985 7): its timer is 2 ms past two RTTs of microseconds here, so a
# peer or a relay preempted for a few ms draws one now and then (seen once in CI: one probe,
# D-SACKed). So: the daemon retransmitted only probes, and the capture holds no other
# retransmission (of either side).
check_no_loss_repair() {
	local s r p
	s=$(tele /tcpd/stats)
	r=$(json_get retransmit <<<"$s")
	p=$(json_get tlp_probe <<<"$s")
	check_eq "daemon: retransmissions are tail-loss probes only" "${r:-0}" "${p:-0}"
	check "capture: retransmissions (${p:-0} probes allowed)" \
		test "$(pcap_count 'tcp.analysis.retransmission')" -le "${p:-0}"
}

# body SIZE: the daemon's HTTP body of SIZE bytes.
body() {
	python3 "$TLPY" body "$1"
}

# tlab CLIENT ARGS...: run a tlab.py client in the namespace.
tlab() {
	nsx python3 "$TLPY" "$@"
}

# counter_is KEY VALUE: true when /tcpd/stats shows KEY == VALUE (use with wait_for).
counter_is() {
	[ "$(counter "$1")" = "$2" ]
}

# ns_no_socket PORT: no socket of the namespace uses local port PORT.
ns_no_socket() {
	[ -z "$(nsx ss -tanH "( sport = :$1 )")" ]
}

# bg_ns CMD...: start CMD in the namespace in the background (not through a shell function, so
# that BG_PID is the command's own pid and can be signalled); killed at cleanup.
bg_ns() {
	ip netns exec "$LAB_NS" "$@" &
	BG_PID=$!
	tl_on_exit "kill $BG_PID"
}

# flood_bg ARGS...: tcpd-flood in the background (BG_PID), output in $TL_WORK/flood.out.
flood_bg() {
	bg_ns "$TCPD_FLOOD" --iface "$LAB_NS_IF" --dst-mac "$LAB_HOST_MAC" --dst-ip "$DAEMON_IP" \
		"$@" >"$TL_WORK/flood.out" 2>&1
}
