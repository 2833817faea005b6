#!/usr/bin/env bash
# Run one libFuzzer target for the test suite (tests/fuzz/meson.build) or tools/fuzz.sh.
#   run.sh replay EXE SRCDIR NAME        every input in SRCDIR/regressions/NAME, once each
#   run.sh short  EXE SRCDIR NAME SECS   fuzz for SECS seconds from the seeds and regressions
#   run.sh long   EXE SRCDIR NAME SECS [JOBS]   same, with a corpus kept in $TCPD_FUZZ_WORK
# Inputs listed in SRCDIR/regressions/KNOWN are bugs still open: the replay expects them to fail,
# and fuzzing tolerates violations with their tags (TCPD_FUZZ_KNOWN, see fuzz_common.h).
set -uo pipefail
mode=$1 exe=$2 src=$3 name=$4
known="$src/regressions/KNOWN"
work=${TCPD_FUZZ_WORK:-$PWD/fuzz-work}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

known_tag() { # known_tag FILE-KEY -> the tag, if the input is a known open bug
	awk -v k="$1" '$1 == k { print $2 }' "$known" 2>/dev/null
}
known_tags() {
	grep -v '^#' "$known" 2>/dev/null | awk 'NF >= 2 { print $2 }' | sort -u | paste -sd, -
}

case $mode in
replay)
	dir="$src/regressions/$name"
	shopt -s nullglob
	files=("$dir"/*)
	if [ ${#files[@]} -eq 0 ]; then
		echo "no regression inputs for $name"
		exit 0
	fi
	bad=0
	log=$(mktemp)
	for f in "${files[@]}"; do
		key="$name/$(basename "$f")"
		tag=$(known_tag "$key")
		if "$exe" -runs=1 "$f" >"$log" 2>&1; then
			res=pass
		else
			res=fail
		fi
		if [ -n "$tag" ] && [ $res = fail ] && ! grep -q ", $tag): " "$log"; then
			echo "FAIL $key fails, but not with its tag $tag:"
			tail -n 30 "$log"
			bad=1
		elif [ -n "$tag" ] && [ $res = fail ]; then
			echo "ok   $key (fails: known open bug $tag)"
		elif [ -n "$tag" ]; then
			echo "FAIL $key passes now: remove '$key $tag' from regressions/KNOWN"
			bad=1
		elif [ $res = pass ]; then
			echo "ok   $key"
		else
			echo "FAIL $key"
			tail -n 30 "$log"
			bad=1
		fi
	done
	rm -f "$log"
	exit $bad
	;;
short | long)
	secs=$5
	jobs=${6:-1}
	corpus="$work/$name/corpus"
	mkdir -p "$corpus" "$work/$name/artifacts"
	dirs=()
	for d in "$src/seeds/$name" "$src/regressions/$name"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	opts=(-max_total_time="$secs" -print_final_stats=1 -timeout=60 -rss_limit_mb=2048
	      -error_exitcode=1 -timeout_exitcode=1
	      -artifact_prefix="$work/$name/artifacts/" -max_len=4096)
	[ -f "$src/seeds/$name.dict" ] && opts+=(-dict="$src/seeds/$name.dict")
	if [ "$mode" = long ] && [ "$jobs" -gt 1 ]; then
		opts+=(-fork="$jobs" -ignore_crashes=1)
	fi
	TCPD_FUZZ_KNOWN=$(known_tags) exec "$exe" "${opts[@]}" "$corpus" "${dirs[@]}"
	;;
*)
	echo "usage: $0 replay|short|long EXE SRCDIR NAME [SECS [JOBS]]" >&2
	exit 2
	;;
esac
