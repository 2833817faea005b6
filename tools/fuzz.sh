#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz (see tests/fuzz/README.md), built with clang into
# build-fuzz/ (AddressSanitizer + UndefinedBehaviorSanitizer, -Dfuzz=true).
#
#   tools/fuzz.sh [short]           build; replay every regression input; fuzz each target a few
#                                   seconds (meson test --suite fuzz: what tools/test.sh runs)
#   tools/fuzz.sh replay            build; replay the regression inputs only
#   tools/fuzz.sh long SECS [T...]  build; fuzz each target (or the targets T: net rx http config client)
#                                   SECS seconds, two at a time, keeping the corpus in
#                                   build-fuzz/fuzz-work/T/corpus; crashes land in .../artifacts
#   tools/fuzz.sh coverage [T...]   a coverage build (build-fuzz-cov, clang source-based
#                                   coverage) runs each target over its seeds, regressions and
#                                   kept corpus, and prints the lines and functions of lib/ reached
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mode=${1:-short}
shift || true
targets=(net rx http config client)
build=$top/build-fuzz
export TCPD_FUZZ_WORK=${TCPD_FUZZ_WORK:-$build/fuzz-work}

setup() { # setup DIR ARGS...
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		CC=clang meson setup "$dir" "$top" -Dfuzz=true -Dtests=false -Db_lundef=false "$@" \
			>/dev/null
	fi
	ninja -C "$dir" >/dev/null
}

build_fuzz() {
	setup "$build" -Db_sanitize=address,undefined -Dbuildtype=debugoptimized
}

case $mode in
short)
	build_fuzz
	exec meson test -C "$build" --suite fuzz --print-errorlogs --num-processes 2
	;;
replay)
	build_fuzz
	for t in "${targets[@]}"; do
		"$top/tests/fuzz/run.sh" replay "$build/tests/fuzz/fuzz_$t" "$top/tests/fuzz" "$t"
	done
	;;
long)
	secs=${1:?usage: tools/fuzz.sh long SECONDS [TARGET...]}
	shift
	[ $# -gt 0 ] && targets=("$@")
	build_fuzz
	mkdir -p "$TCPD_FUZZ_WORK"
	pids=()
	for t in "${targets[@]}"; do
		echo "fuzz_$t: $secs s, log $TCPD_FUZZ_WORK/$t.log"
		"$top/tests/fuzz/run.sh" long "$build/tests/fuzz/fuzz_$t" "$top/tests/fuzz" "$t" \
			"$secs" >"$TCPD_FUZZ_WORK/$t.log" 2>&1 &
		pids+=($!)
		if [ ${#pids[@]} -eq 2 ]; then
			wait "${pids[0]}" || true
			pids=("${pids[@]:1}")
		fi
	done
	for p in "${pids[@]}"; do wait "$p" || true; done
	rc=0
	for t in "${targets[@]}"; do
		grep -h '^stat::number_of_executed_units\|^stat::new_units_added' \
			"$TCPD_FUZZ_WORK/$t.log" | sed "s/^/fuzz_$t: /"
		for a in "$TCPD_FUZZ_WORK/$t/artifacts"/*; do
			[ -e "$a" ] || continue
			echo "fuzz_$t: FINDING $a (reproduce: $build/tests/fuzz/fuzz_$t $a)"
			rc=1
		done
	done
	exit $rc
	;;
coverage)
	[ $# -gt 0 ] && targets=("$@")
	cov=$top/build-fuzz-cov
	setup "$cov" -Dbuildtype=debug -Dc_args='-fprofile-instr-generate -fcoverage-mapping' \
		-Dc_link_args='-fprofile-instr-generate'
	profs=()
	bins=()
	for t in "${targets[@]}"; do
		dirs=()
		for d in "$top/tests/fuzz/seeds/$t" "$top/tests/fuzz/regressions/$t" \
			"$TCPD_FUZZ_WORK/$t/corpus"; do
			[ -d "$d" ] && dirs+=("$d")
		done
		# every input once; known open bugs abort, so tolerate them (TCPD_FUZZ_KNOWN)
		LLVM_PROFILE_FILE="$cov/fuzz_$t.profraw" \
			TCPD_FUZZ_KNOWN=$(grep -v '^#' tests/fuzz/regressions/KNOWN | awk '{print $2}' |
				paste -sd, -) \
			"$cov/tests/fuzz/fuzz_$t" -runs=0 "${dirs[@]}" >/dev/null 2>&1 || true
		profs+=("$cov/fuzz_$t.profraw")
		bins+=(-object "$cov/tests/fuzz/fuzz_$t")
	done
	llvm-profdata merge -sparse "${profs[@]}" -o "$cov/fuzz.profdata"
	llvm-cov report "${bins[@]:1}" -instr-profile="$cov/fuzz.profdata" \
		-ignore-filename-regex='tests/|/usr/' "$top/lib"
	;;
*)
	sed -n '2,17p' "$0" >&2
	exit 2
	;;
esac
