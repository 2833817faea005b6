#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 14: the impairment matrix. The namespace client talks through tools/tcpd-impair (a relay in
# its own namespace, tools/lab.sh relay-up) either to dpdk-tcpd (echo on 7, http on 80) or to a
# Linux server (tests/interop/impair.py serve, same services) behind the same relay. For each cell
# (clean, loss 1 %, loss 5 %, delay 10 ms +-5 ms with 25 % reordering, duplicate 5 %, corrupt 1 %,
# and real congestion: a 100 Mbit/s bottleneck with a 64-frame queue shared by two echoes at once)
# and each server, in the same run and with the same relay seed:
#   - IMPAIR_BYTES through echo, checked by SHA-256, timed;
#   - IMPAIR_REQS HTTP requests for 64 KiB bodies on one keep-alive curl, every size and body
#     checked, p50/p99 printed.
# The Linux server runs each congestion control of IMPAIR_LINUX_CC in turn (restarted between
# them), behind a relay restarted with the same seed; the table has a row per cell and control.
# Completion within IMPAIR_TIMEOUT is asserted; a rate or a ratio never is (they are printed, in a
# table at the end). Impairment applies to IPv4 frames, both directions (ARP passes untouched).
#
# Environment (defaults: the bounded CI run, under a minute on the 2-CPU machine when it is not
# starved; 160 s at load average 15, when the busy-polling daemon competes for the CPUs):
#   IMPAIR_BYTES    echo transfer size (default 131072)
#   IMPAIR_REQS     HTTP requests per cell and server (default 10; 500 in the long run, so that
#                   p99 is not the slowest response or two)
#   IMPAIR_TIMEOUT  per transfer, seconds (default 90; the echo and all requests each)
#   IMPAIR_BUDGET   seconds for the whole matrix (default 240, under meson's 300; 0: none): the
#                   cells left when it runs out are reported as not run, and the test fails
#   IMPAIR_SEED     relay seed (default 14)
#   IMPAIR_CELLS    names of the cells to run (default: all)
#   IMPAIR_LINUX_CC the Linux server's congestion controls, one run each (default: the system's,
#                   net.ipv4.tcp_congestion_control; bbr on the project's machine, which does not
#                   reduce its window for random loss; in the long run the system's and cubic,
#                   Linux's built-in default); printed, with the one each run used
#   IMPAIR_PCAP_DIR a directory: each echo transfer captured (port 7) on the client's end into
#                   CELL.SIDE.pcap and on the server's side of the relay into CELL.SIDE.srv.pcap
#                   there, for finding where the time goes (and which frames the relay dropped):
#                   tools/impair-gaps.py DIR/CELL.SIDE lists the stalls
#   IMPAIR_LONG=1   the documented long run (docs/PERFORMANCE.md): 16 MiB, 500 requests, 300 s
#                   per transfer; a transfer that does not finish is reported, and then the test
#                   does not fail for it (the "before" column of issue 14 has such cells)
. "$(dirname "$0")/lib.sh"
TCPD_IMPAIR=${TCPD_IMPAIR:-$TL_TOP/build/tools/tcpd-impair}
IMPY=$TL_DIR/impair.py

if [ "${IMPAIR_LONG:-0}" = 1 ]; then
	: "${IMPAIR_BYTES:=16777216}" "${IMPAIR_REQS:=500}" "${IMPAIR_TIMEOUT:=300}"
	: "${IMPAIR_BUDGET:=0}"
fi
BYTES=${IMPAIR_BYTES:-131072}
REQS=${IMPAIR_REQS:-10}
TMO=${IMPAIR_TIMEOUT:-90}
BUDGET=${IMPAIR_BUDGET:-240}
SEED=${IMPAIR_SEED:-14}
BODY=65536

declare -A CELL_ARGS=(
	[clean]=""
	[loss1]="--loss 1"
	[loss5]="--loss 5"
	[reorder]="--delay 10 --jitter 5 --reorder 25"
	[dup5]="--duplicate 5"
	[corrupt1]="--corrupt 1"
	[rate100]="--rate 100 --limit 64"
)
declare -A CELL_DESC=(
	[clean]="clean"
	[loss1]="loss 1 %"
	[loss5]="loss 5 %"
	[reorder]="delay 10 ms +-5 ms, reorder 25 %"
	[dup5]="duplicate 5 %"
	[corrupt1]="corrupt 1 %"
	[rate100]="100 Mbit/s, 64-frame queue, 2 echoes at once"
)
# Cells whose echo is two transfers at once (each IMPAIR_BYTES) sharing the relay's bottleneck:
# real congestion, where a loss-tolerant congestion control must still back off. Printed: each
# transfer's time, their ratio (fairness), ping's RTT through the queue during them, the relay's
# queue drops (qdrop); asserted: both complete and are right.
PAIR_CELLS=" rate100 "
CELLS=${IMPAIR_CELLS:-clean loss1 loss5 reorder dup5 corrupt1 rate100}

tl_init limpair
tl_need_daemon
tl_need curl cmp
[ -x "$TCPD_IMPAIR" ] || skip "tcpd-impair not built ($TCPD_IMPAIR)"
for c in $CELLS; do
	[ -n "${CELL_DESC[$c]+x}" ] || skip "unknown cell '$c' in IMPAIR_CELLS"
done

# Rebuild the lab as the relay variant (same names for the client and host ends).
if ! "$LAB" relay-up "$tl_name"; then
	not_ok "lab $tl_name relay-up"
	finish
fi
eval "$("$LAB" env "$tl_name")"
ok "relay lab up: $LAB_NS <-> $LAB_RELAY_NS <-> $LAB_HOST_IF | $LAB_SRV_NS"

relay_pid=
# relay_start TARGET LOG ARGS...: tcpd-impair between the client side and TARGET (b: dpdk-tcpd,
# c: the Linux server), bounded in time and frames; the same seed for every run.
relay_start() {
	local peer=$LAB_RELAY_B
	[ "$1" = c ] && peer=$LAB_RELAY_C
	local log=$2
	shift 2
	ip netns exec "$LAB_RELAY_NS" "$TCPD_IMPAIR" --iface-a "$LAB_RELAY_A" --iface-b "$peer" \
		--seconds $((TMO * 3 + 30)) --count 50000000 --seed "$SEED" --ip-only "$@" >"$log" 2>&1 &
	relay_pid=$!
	# Both sockets are bound once the configuration lines are printed.
	wait_for 5 grep -q '^tcpd-impair: b>a' "$log"
}

relay_stop() {
	[ -n "$relay_pid" ] || return 0
	kill -TERM "$relay_pid" 2>/dev/null
	wait "$relay_pid" 2>/dev/null
	relay_pid=
}
# At cleanup: the relay running then, if any (never a pid of an earlier run).
tl_on_exit relay_stop

# A ring of 2,048 frames (net_af_packet's default is 512), as a NIC's RX ring: echo's 1 MiB window
# is about 725 frames, which a 512-frame ring drops in part whenever the busy-polling daemon is
# descheduled on this shared machine (frames lost after the relay even on the clean path).
: "${DAEMON_VDEV_ARGS:=framecnt=2048}"
# The daemon starts behind a clean relay (daemon_start probes ARP through it).
relay_start b "$TL_WORK/relay.start"
daemon_start --listen 7:echo,80:http --http-body-size $BODY || finish
relay_stop

# The Linux server's congestion controls: the system's (the namespaces inherit it), and cubic too
# in the long run, unless IMPAIR_LINUX_CC names them.
SYS_CC=$(ip netns exec "$LAB_SRV_NS" sysctl -n net.ipv4.tcp_congestion_control 2>/dev/null)
LINUX_CCS=${IMPAIR_LINUX_CC:-$SYS_CC}
if [ -z "${IMPAIR_LINUX_CC:-}" ] && [ "${IMPAIR_LONG:-0}" = 1 ] && [ "$SYS_CC" != cubic ]; then
	LINUX_CCS="$SYS_CC cubic"
fi
echo "# Linux server congestion control: $LINUX_CCS (system default: ${SYS_CC:-unknown})"
srv_pid=
srv_cc=
# srv_start CC: the Linux server (bounded in time, killed at cleanup) with congestion control CC.
srv_start() {
	[ "$srv_cc" = "$1" ] && return 0
	if [ -n "$srv_pid" ]; then
		kill "$srv_pid" 2>/dev/null
		wait "$srv_pid" 2>/dev/null
	fi
	ip netns exec "$LAB_SRV_NS" python3 "$IMPY" serve --seconds 1800 --http-body-size $BODY \
		--cc "$1" >"$TL_WORK/srv.out" 2>&1 &
	srv_pid=$!
	tl_on_exit "kill $srv_pid"
	srv_cc=$1
	check "Linux server in $LAB_SRV_NS listening, congestion control $1" \
		wait_for 10 grep -q "congestion control $1\$" "$TL_WORK/srv.out"
	echo "# Linux server: $(tail -1 "$TL_WORK/srv.out")"
}
srv_start "${LINUX_CCS%% *}"

# Static neighbours: the client reaches whichever 198.18.0.1 the relay connects, and no ARP
# exchange waits on an impaired path.
ip netns exec "$LAB_SRV_NS" ip neigh replace "$LAB_NS_IP" lladdr "$LAB_NS_MAC" dev "$LAB_SRV_IF" \
	nud permanent
target_mac() {
	if [ "$1" = tcpd ]; then echo "$LAB_HOST_MAC"; else echo "$LAB_SRV_MAC"; fi
}

python3 "$TLPY" body $BODY >"$TL_WORK/want"

# The daemon's counters around each run: what recovery did, and where corrupted frames went.
RECOVERY_KEYS=(retransmit fast_retransmit rto_expired rto_timeout tlp_probe cc_loss_random cc_loss_queue sack_recovery sack_reo_timeout
	sack_rxt_lost sack_undo dsack_rx dupack_ooo ooo_fin ooo_drop_budget ooo_drop_conn drop_out_of_window drop_paws)
# Every drop of the parser (before TCP): a corrupted frame must end in one of these.
PARSE_KEYS=(drop_truncated drop_ethertype drop_not_for_us drop_ip_version drop_ip_hdr_len drop_ip_len
	drop_ip_cksum drop_ip_src drop_oversize drop_fragment drop_ip_proto drop_tcp_hdr_len
	drop_tcp_opt drop_tcp_cksum drop_tcp_flags drop_tcp_port drop_icmp drop_icmp_cksum)
# Only the counters this daemon has (DPDK_TCPD may be an older build, for a before/after run).
read -ra RECOVERY_KEYS < <(tele /tcpd/stats | python3 -c 'import json,sys
s = json.dumps(json.load(sys.stdin))
print(" ".join(k for k in sys.argv[1:] if "\"%s\"" % k in s))' "${RECOVERY_KEYS[@]}")
# snap: rx_pkts and the counters above, one line of numbers.
snap() {
	tele /tcpd/stats | json_get rx_pkts "${RECOVERY_KEYS[@]}" "${PARSE_KEYS[@]}" | tr '\n' ' '
}
url=http://$DAEMON_IP/
declare -A R_ECHO R_HTTP

# run_one CELL SIDE [LABEL]: one echo transfer and one curl of REQS requests through the relay;
# results, logs and captures under LABEL (default SIDE).
run_one() {
	local cell=$1 side=$2 tgt=b log out i n_ok=0 res secs got n p50 p99 max before=()
	local lbl=${3:-$2}
	[ "$side" = linux ] && tgt=c
	log=$TL_WORK/relay.$cell.$lbl
	nsx ip neigh replace "$DAEMON_IP" lladdr "$(target_mac "$side")" dev "$LAB_NS_IF" nud permanent
	# shellcheck disable=SC2086
	if ! relay_start $tgt "$log" ${CELL_ARGS[$cell]}; then
		not_ok "$cell/$lbl: relay started" "$(tail -3 "$log")"
		return
	fi
	[ "$side" = tcpd ] && read -ra before < <(snap)
	local srv_cap=
	if [ -n "${IMPAIR_PCAP_DIR:-}" ]; then
		bg_ns tcpdump --immediate-mode -ni "$LAB_NS_IF" -s 120 -U -w \
			"$IMPAIR_PCAP_DIR/$cell.$lbl.pcap" tcp port 7 2>"$TL_WORK/tcpdump.err"
		# shellcheck disable=SC2034 # capture_stop (lib.sh) stops it
		tl_capture_pid=$BG_PID
		wait_for 5 grep -q listening "$TL_WORK/tcpdump.err"
		# and on the server's side of the relay (CELL.SIDE.srv.pcap): the frames the relay
		# dropped are those seen on one side only
		local rif=$LAB_RELAY_B
		[ "$side" = linux ] && rif=$LAB_RELAY_C
		ip netns exec "$LAB_RELAY_NS" tcpdump --immediate-mode -ni "$rif" -s 120 -U -w \
			"$IMPAIR_PCAP_DIR/$cell.$lbl.srv.pcap" tcp port 7 2>"$TL_WORK/tcpdump2.err" &
		srv_cap=$!
		tl_on_exit "kill $srv_cap"
		wait_for 5 grep -q listening "$TL_WORK/tcpdump2.err"
	fi
	if [[ $PAIR_CELLS == *" $cell "* ]]; then
		pair_echo "$cell" "$lbl"
		res=$PAIR_RES
	else
		res=$(nsx timeout $((TMO + 10)) python3 "$IMPY" echo --bytes "$BYTES" --seed "$SEED" \
			--timeout "$TMO")
	fi
	capture_stop
	if [ -n "$srv_cap" ]; then
		kill -INT "$srv_cap" 2>/dev/null
		wait "$srv_cap" 2>/dev/null
	fi
	echo "# $cell/$lbl echo: $res"
	secs=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["seconds"] if r["ok"] else "")' "$res" 2>/dev/null)
	got=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["got"])' "$res" 2>/dev/null)
	if [ -n "$secs" ]; then
		ok "$cell/$lbl: $BYTES bytes echoed, SHA-256 equal, in ${secs} s"
		R_ECHO[$cell.$lbl]=$secs
	else
		R_ECHO[$cell.$lbl]="no ($got B in $TMO s)"
		if [ "${IMPAIR_LONG:-0}" = 1 ]; then
			echo "# $cell/$lbl: echo did not complete within $TMO s ($got bytes back) - reported"
		else
			not_ok "$cell/$lbl: $BYTES bytes echoed within $TMO s" "$res"
		fi
	fi
	# HTTP: REQS requests on one keep-alive connection; every body compared with the pattern.
	local args=()
	for i in $(seq "$REQS"); do
		args+=(-o "$TL_WORK/h.$i" "$url$cell/$i")
	done
	rm -f "$TL_WORK"/h.*
	out=$(nsx timeout "$TMO" curl -sS --max-time "$TMO" -w '%{http_code} %{size_download} %{time_total}\n' \
		"${args[@]}" 2>"$TL_WORK/curl.err")
	printf '%s\n' "$out" | awk '$1 == 200' >"$TL_WORK/times"
	for i in $(seq "$REQS"); do
		cmp -s "$TL_WORK/h.$i" "$TL_WORK/want" && n_ok=$((n_ok + 1))
	done
	read -r n p50 p99 max < <(python3 "$IMPY" percentiles "$TL_WORK/times")
	echo "# $cell/$lbl http: $n responses 200, $n_ok/$REQS bodies of $BODY bytes right; p50 $p50 s p99 $p99 s max $max s"
	if [ "$n_ok" = "$REQS" ]; then
		ok "$cell/$lbl: $REQS HTTP responses of $BODY bytes complete and right (p99 $p99 s)"
		R_HTTP[$cell.$lbl]=$p99
	else
		R_HTTP[$cell.$lbl]="$n_ok/$REQS"
		if [ "${IMPAIR_LONG:-0}" = 1 ]; then
			echo "# $cell/$lbl: only $n_ok of $REQS responses within $TMO s - reported"
		else
			not_ok "$cell/$lbl: $REQS HTTP responses complete" "$n_ok right" \
				"$(tail -3 "$TL_WORK/curl.err")"
		fi
	fi
	relay_stop
	grep '^tcpd-impair: total [ab]' "$log" | sed "s/^tcpd-impair: total/# $cell\/$lbl relay/"
	[ "$side" = tcpd ] || return 0
	local after k line="" parse=0 nrec=$((1 + ${#RECOVERY_KEYS[@]})) corrupted fwd
	read -ra after < <(snap)
	local rx=$((after[0] - before[0])) lost
	for k in "${!RECOVERY_KEYS[@]}"; do
		line+=" ${RECOVERY_KEYS[$k]}=$((after[k + 1] - before[k + 1]))"
	done
	for k in "${!PARSE_KEYS[@]}"; do
		parse=$((parse + after[nrec + k] - before[nrec + k]))
	done
	# Frames the relay corrupted on their way to the daemon: each one dropped by its parser (a
	# flipped bit anywhere in the IPv4 datagram fails a check or a checksum), nothing else. A
	# frame can also be lost after the relay sent it, printed as path_lost: net_af_packet puts its
	# sockets in a PACKET_FANOUT group with PACKET_FANOUT_FLAG_DEFRAG, so a frame whose flipped bit
	# set MF or a fragment offset goes to the kernel's reassembly (which checks no checksum) and
	# never reaches the daemon (tcpdump on the host end sees it; rx_pkts does not count it).
	corrupted=$(sed -n 's/^tcpd-impair: total a>b .* corrupted=\([0-9]*\).*/\1/p' "$log")
	fwd=$(sed -n 's/^tcpd-impair: total a>b .* fwd=\([0-9]*\).*/\1/p' "$log")
	lost=$((fwd - rx))
	echo "# $cell/tcpd daemon:$line parse_drops=$parse rx_pkts=$rx relay_fwd=$fwd path_lost=$lost"
	if [ "$parse" -le "$corrupted" ] && [ $((parse + lost)) -ge "$corrupted" ]; then
		ok "$cell/tcpd: the daemon's parser dropped the $corrupted corrupted frames ($parse, $lost lost on the way)"
	else
		not_ok "$cell/tcpd: the daemon's parser dropped the corrupted frames, and only them" \
			"parser drops $parse, corrupted towards the daemon $corrupted, lost after the relay $lost"
	fi
}

# pair_echo CELL LABEL: two echo transfers at once and a ping through the same relay; PAIR_RES
# is the slower one's result (ok only if both are), the pair's figures go to R_PAIR[CELL.LABEL].
declare -A R_PAIR
pair_echo() {
	local a b pa pb pp ta tb rtt
	# not through nsx (a function: & would fork a subshell): ip netns exec execs ping, so $! is
	# ping's pid, SIGINT reaches it and it prints its summary; -w bounds it
	ip netns exec "$LAB_NS" ping -q -i 0.05 -w $((TMO + 5)) "$DAEMON_IP" >"$TL_WORK/ping" 2>&1 &
	pp=$!
	tl_on_exit "kill $pp"
	nsx timeout $((TMO + 10)) python3 "$IMPY" echo --bytes "$BYTES" --seed "$SEED" \
		--timeout "$TMO" >"$TL_WORK/echo.a" &
	pa=$!
	nsx timeout $((TMO + 10)) python3 "$IMPY" echo --bytes "$BYTES" --seed $((SEED + 1)) \
		--timeout "$TMO" >"$TL_WORK/echo.b" &
	pb=$!
	wait "$pa" "$pb"
	kill -INT "$pp" 2>/dev/null
	wait "$pp" 2>/dev/null
	a=$(cat "$TL_WORK/echo.a") b=$(cat "$TL_WORK/echo.b")
	echo "# $1/$2 echo 1 of 2: $a"
	echo "# $1/$2 echo 2 of 2: $b"
	# ping's "rtt min/avg/max/mdev = a/b/c/d ms": avg and max
	rtt=$(sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/\([0-9.]*\)/.*|\1 / \2|p' "$TL_WORK/ping")
	read -r PAIR_RES ta tb < <(python3 -c 'import json,sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
r = a if (a["seconds"] or 1e9) >= (b["seconds"] or 1e9) else b
if not (a["ok"] and b["ok"]):
    r = a if not a["ok"] else b
print(json.dumps(r, separators=(",", ":")), a["seconds"], b["seconds"])' "$a" "$b" 2>/dev/null)
	R_PAIR[$1.$2]="$ta / $tb s; ping avg / max ${rtt:-?} ms"
	echo "# $1/$2 pair: echo $ta s and $tb s at once, ping RTT avg / max ${rtt:-?} ms"
}

t0=$SECONDS
for cell in $CELLS; do
	if [ "$BUDGET" -gt 0 ] && [ $((SECONDS - t0)) -ge "$BUDGET" ]; then
		not_ok "cell $cell not run: the matrix used its $BUDGET s budget (IMPAIR_BUDGET)"
		continue
	fi
	echo "# cell $cell: ${CELL_DESC[$cell]} (relay: --seed $SEED --ip-only ${CELL_ARGS[$cell]})"
	run_one "$cell" tcpd
	for cc in $LINUX_CCS; do
		srv_start "$cc"
		run_one "$cell" linux "linux-$cc"
	done
done
s=$(tele /tcpd/stats)
echo "# daemon: retransmit=$(json_get retransmit <<<"$s") dupack_ooo=$(json_get dupack_ooo <<<"$s")" \
	"drop_out_of_window=$(json_get drop_out_of_window <<<"$s")"

ratio() {
	python3 -c 'import sys
try:
    print("%.1fx" % (float(sys.argv[1]) / float(sys.argv[2])))
except (ValueError, ZeroDivisionError):
    print("-")' "$1" "$2"
}
echo "# matrix ($BYTES bytes through echo, $REQS x $BODY-byte HTTP responses; seed $SEED;" \
	"$((SECONDS - t0)) s)"
echo "# | path | Linux cc | echo dpdk-tcpd (s) | echo Linux (s) | ratio | HTTP p99 dpdk-tcpd (s) | HTTP p99 Linux (s) | ratio |"
echo "# |---|---|---|---|---|---|---|---|---|"
for cell in $CELLS; do
	for cc in $LINUX_CCS; do
		a=${R_ECHO[$cell.tcpd]:--} b=${R_ECHO[$cell.linux-$cc]:--}
		c=${R_HTTP[$cell.tcpd]:--} d=${R_HTTP[$cell.linux-$cc]:--}
		echo "# | ${CELL_DESC[$cell]} | $cc | $a | $b | $(ratio "$a" "$b") | $c | $d | $(ratio "$c" "$d") |"
	done
done
for cell in $CELLS; do
	[[ $PAIR_CELLS == *" $cell "* ]] || continue
	for k in "${!R_PAIR[@]}"; do
		[[ $k == "$cell."* ]] || continue
		q=$(sed -n 's/^tcpd-impair: total \([ab]>[ab]\) .* qdrop=\([0-9]*\).*/\1 \2/p' \
			"$TL_WORK/relay.$k" | tr '\n' ' ')
		echo "# ${CELL_DESC[$cell]}, ${k#*.}: ${R_PAIR[$k]}; relay qdrop ${q:-?}"
	done
done
daemon_stop
finish
