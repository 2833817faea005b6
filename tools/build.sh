#!/usr/bin/env bash
# Configure (once) and build into build/ (or $1). Used by the demo, the tests and the benchmarks.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build}
shift || true
if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$top" "$@" >/dev/null
fi
ninja -C "$dir" >/dev/null
