#!/usr/bin/env bash
# The test command: install what is missing, build, run every suite (unit, packet scenarios,
# namespace interop), then the unit tests again under AddressSanitizer, then the fuzz targets'
# short run (tools/fuzz.sh: clang build, regression inputs, a few seconds of fuzzing each). The
# last line printed is "N passed, N failed, N skipped"; the exit status is 0 only if nothing failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

"$top/tools/install-deps.sh" || exit 1

rc=0
"$top/tools/build.sh" "$top/build" || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
meson test -C build --print-errorlogs --num-processes 2 || rc=1

# Second pass: the unit tests under AddressSanitizer (reads past a frame are caught here).
"$top/tools/build.sh" "$top/build-asan" -Db_sanitize=address -Db_lundef=false -Dbuildtype=debug \
	|| { echo "asan build failed"; echo "0 passed, 1 failed"; exit 1; }
ASAN_OPTIONS=detect_leaks=0 meson test -C build-asan --suite unit --print-errorlogs \
	--num-processes 2 || rc=1

# Third pass: the libFuzzer targets (tests/fuzz): every regression input replayed, each target
# fuzzed for a few seconds (about 40 s with the clang build on 2 CPUs).
rm -f build-fuzz/meson-logs/testlog.json
"$top/tools/fuzz.sh" short || rc=1

python3 "$top/tools/test-summary.py" build/meson-logs/testlog.json \
	asan:build-asan/meson-logs/testlog.json fuzz:build-fuzz/meson-logs/testlog.json
src=$?
[ $rc -eq 0 ] && [ $src -eq 0 ]
