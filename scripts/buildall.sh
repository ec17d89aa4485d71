#!/usr/bin/env bash
# buildall.sh - build every CMake build type with gcc and with clang, with
# warnings as errors, and say which failed.  Not part of CI (CI builds
# Release and a sanitizer Debug build); run it before a release and when a
# compiler warning is suspected.   Usage: scripts/buildall.sh [DIR]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/starlab-buildall}
mkdir -p "$out"
rc=0
for cc in gcc clang; do
	for type in Debug RelWithDebInfo Release MinSizeRel; do
		b=$out/$cc-$type
		if cmake -S "$top" -B "$b" -DCMAKE_C_COMPILER="$cc" \
			-DCMAKE_BUILD_TYPE="$type" -DSL_WERROR=ON >"$b.log" 2>&1 &&
			cmake --build "$b" -j"$(nproc)" >>"$b.log" 2>&1; then
			echo "ok    $cc $type"
		else
			echo "FAIL  $cc $type (see $b.log)"
			grep -m5 -E 'warning|error' "$b.log" | sed 's/^/      /'
			rc=1
		fi
	done
done
exit $rc
