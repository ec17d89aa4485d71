#!/usr/bin/env bash
# test.sh - the whole test suite, as CI runs it: install what is missing,
# build with gcc and run every test, run the unit tests under valgrind's
# memcheck, then build with clang under AddressSanitizer +
# UndefinedBehaviorSanitizer and run every test again, and last build every
# fuzz target and run each on its seeds for SL_FUZZ_SECONDS seconds
# (default 20: 42 targets, one per core, about 7 minutes on two cores,
# which keeps CI under 20 minutes; 0 skips the step; fuzz/run.sh for
# long runs).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
SL_WITH_TESTS=1 bash scripts/setup.sh
jobs=$(nproc)
# Many end-to-end tests spend their time waiting on a network fixture
# (timeouts, rate limits), so ctest runs two tests per core.
tjobs=$((2 * jobs))

echo "== gcc Release build, all tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSL_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
# Banned functions, layering (docs/internals.md) and clang-format.
bash scripts/checksrc.sh --format build
(cd build && ctest --output-on-failure -j"$tjobs")

echo "== valgrind memcheck: the unit tests ($jobs at a time)"
# Any memory error and any definite or indirect leak fails the step; the
# libraries' own still-reachable caches do not.  Network steps of the unit
# tests get 30 s instead of 3 under valgrind (SL_TEST_TIMEOUT_MS).
vg_start=$(date +%s)
vg_one() {
	local t=$1 log
	log=build/valgrind-$(basename "$t").log
	if SL_TEST_TIMEOUT_MS=30000 valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect "$t" >"$log" 2>&1; then
		return 0
	fi
	echo "valgrind: $t failed:" >&2
	tail -40 "$log" >&2
	return 1
}
export -f vg_one
vg_fail=0
ls build/test_* | xargs -P "$jobs" -I{} bash -c 'vg_one {}' || vg_fail=1
echo "valgrind: wall $(($(date +%s) - vg_start))s"
[ "$vg_fail" = 0 ]

echo "== clang build, AddressSanitizer + UndefinedBehaviorSanitizer, all tests"
cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DSL_SANITIZE=ON \
	-DCMAKE_BUILD_TYPE=Debug -DSL_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --output-on-failure -j"$tjobs")

fuzz_secs=${SL_FUZZ_SECONDS:-20}
if [ "$fuzz_secs" -gt 0 ]; then
	echo "== fuzz smoke: every target on its seeds for ${fuzz_secs}s"
	SL_FUZZ_KEEP=0 SL_FUZZ_JOBS="$jobs" bash fuzz/run.sh "$fuzz_secs"
fi
