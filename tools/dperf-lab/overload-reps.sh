#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Overload repetitions that measure their own capacity: the machine's speed moves within an hour,
# so each repetition starts with a capacity sweep (one server through SWEEP's phases; capacity =
# the best phase's mean served) and then runs MULT x that capacity for OVER_SECS, then half of it
# for AFTER_SECS (recovery), for each configuration in turn, on fresh servers (overload.sh).
#
#   overload-reps.sh OUTROOT REPS MULT [MULT...]       e.g. ... /tmp/o 3 1 2 5
#
# Configurations: CONFIGS (names, default "A"); for each NAME, ARGS_NAME (dpdk-tcpd options) and
# BIN_NAME (the binary, default TCPD). The sweep runs the first configuration. Environment:
# SWEEP (default "30k:6 38k:6 46k:6 54k:6"), OVER_SECS (20), AFTER_SECS (10), CLIENT_ADDRS (32),
# and what overload.sh reads (TCPD, SRV_LCORES, ...). Results: OUTROOT/caps.txt, OUTROOT/ol.txt
# (overload-report.py's phase lines per run), OUTROOT/progress.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
root=$1 reps=$2
shift 2
mkdir -p "$root"
read -r -a configs <<< "${CONFIGS:-A}"
cfg() { local v="$1_$2"; echo "${!v:-$3}"; }
for rep in $(seq 1 "$reps"); do
	c0=${configs[0]}
	echo "$(date +%T) rep $rep sweep load=$(cut -d' ' -f1 /proc/loadavg)" >> "$root/progress"
	# shellcheck disable=SC2086
	SERVER=tcpd TCPD=$(cfg BIN "$c0" "${TCPD:-}") TCPD_ARGS="$(cfg ARGS "$c0" "")" \
		CLIENT_ADDRS=${CLIENT_ADDRS:-32} "$HERE/overload.sh" "$root/sweep-$rep" \
		${SWEEP:-30k:6 38k:6 46k:6 54k:6} > "$root/sweep-$rep.log" 2>&1
	cap=$(python3 "$HERE/overload-report.py" "$root/sweep-$rep" --json | python3 -c \
		"import json,sys; print(int(max(p['http2XX'] for p in json.load(sys.stdin))))")
	echo "rep $rep capacity $cap" >> "$root/caps.txt"
	for m in "$@"; do
		rate=$(python3 -c "print(int(float('$m') * $cap))")
		for c in "${configs[@]}"; do
			out=$root/$c-x$m-$rep
			echo "$(date +%T) rep $rep $c x$m rate=$rate load=$(cut -d' ' -f1 /proc/loadavg)" >> "$root/progress"
			SERVER=tcpd TCPD=$(cfg BIN "$c" "${TCPD:-}") TCPD_ARGS="$(cfg ARGS "$c" "")" \
				CLIENT_ADDRS=${CLIENT_ADDRS:-32} "$HERE/overload.sh" "$out" \
				"$rate:${OVER_SECS:-20}" "$((cap / 2)):${AFTER_SECS:-10}" > "$out.log" 2>&1
			python3 "$HERE/overload-report.py" "$out" --capacity "$cap" | tail -n +2 |
				sed "s#^#$c x$m rep$rep: #" >> "$root/ol.txt"
		done
	done
done
