#!/usr/bin/env bash
# Seeds of fuzz_net from the project's own scenarios: run every tests/scripts/*.scn with the
# runner's TCPD_SCN_DUMP hook, keep each distinct injected frame (prefixed with fuzz_net's
# settings byte 0: software checksums, MTU 1500) as seeds/net/<scenario>-<n>.
# Usage: dump_scenarios.sh [BUILD_DIR]   (a normal build, default build/)
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$top/build}
out="$top/tests/fuzz/seeds/net"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
for scn in "$top"/tests/scripts/*.scn; do
	name=$(basename "$scn" .scn)
	case $name in selftest_*) continue ;; esac
	TCPD_SCN_DUMP="$tmp/$name-" "$build/tests/scripts/tcpd-scenario" "$scn" >/dev/null 2>&1 || true
done
declare -A seen
n=0
for f in "$tmp"/*; do
	h=$(sha1sum <"$f" | cut -c1-40)
	[ -n "${seen[$h]:-}" ] && continue
	seen[$h]=1
	{ printf '\0'; cat "$f"; } >"$out/$(basename "$f")"
	n=$((n + 1))
done
echo "dump_scenarios: $n distinct frames in $out"
