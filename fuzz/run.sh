#!/usr/bin/env bash
# run.sh SECONDS [TARGET...] - build the libFuzzer targets (clang,
# -DSL_FUZZ=ON, in build-fuzz/) and run each for SECONDS seconds, starting
# from its seeds (fuzz/corpus/NAME/) with its dictionary
# (fuzz/dict/NAME.dict).  Without TARGET, every *_fuzz.c target.
#
#   SL_FUZZ_JOBS   targets run at once (default: the number of cores)
#   SL_FUZZ_BUILD  build directory (default: build-fuzz)
#   SL_FUZZ_KEEP   1: keep what the fuzzer found in $SL_FUZZ_BUILD/corpus/
#                  NAME/ for the next run (default for long runs: 1 when
#                  SECONDS > 60; CI's smoke run starts from the seeds only)
#
# A crash, leak, timeout or out-of-memory stops that target; its input is
# left in $SL_FUZZ_BUILD/crashes/ and the run exits 1 naming it.  Add it to
# tests/corpus/NAME/ once fixed: tests/e2e/t_corpus.sh replays it.  Prints
# the time and the executions of each target and the wall time of the run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
jobs=${SL_FUZZ_JOBS:-$(nproc)}
B=${SL_FUZZ_BUILD:-$top/build-fuzz}
keep=${SL_FUZZ_KEEP:-$([ "$secs" -gt 60 ] && echo 1 || echo 0)}

if [ $# -eq 0 ]; then
	set -- $(find "$top/src" "$top/fuzz" -name '*_fuzz.c' -printf '%f\n' |
		sed 's/_fuzz\.c$//' | sort)
fi
bins=()
for t in "$@"; do bins+=("${t}_fuzz"); done

start=$(date +%s)
cmake -S "$top" -B "$B" -DCMAKE_C_COMPILER=clang -DSL_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$B" -j"$jobs" --target "${bins[@]}" >"$B/fuzz-build.log" 2>&1 || {
	tail -30 "$B/fuzz-build.log" >&2
	echo "fuzz/run.sh: build failed" >&2
	exit 1
}
built=$(date +%s)
mkdir -p "$B/crashes" "$B/logs"

# one NAME: run a target; prints one summary line; 0 clean, 1 found something.
one() {
	local t=$1 work dict seeds=() rc=0 execs d
	# Seeds: every one of fuzz/corpus/NAME (fuzz/mkseeds.sh), the seeds a
	# reader's or a check's author left in fuzz/seeds/NAME, and the
	# crashers kept in tests/corpus/NAME; a target with none starts from
	# an empty input, and says so.
	for d in "$top/fuzz/corpus/$t" "$top/fuzz/seeds/$t" "$top/tests/corpus/$t"; do
		[ -d "$d" ] && seeds+=("$d")
	done
	if [ ${#seeds[@]} = 0 ]; then
		echo "$t: no seeds (fuzz/corpus/$t): starting from an empty input" >&2
		seeds=("$B/empty-seeds/$t")
		mkdir -p "${seeds[0]}"
	fi
	if [ "$keep" = 1 ]; then
		work=$B/corpus/$t
		mkdir -p "$work"
	else
		work=$(mktemp -d)
	fi
	dict=()
	[ -f "$top/fuzz/dict/$t.dict" ] && dict=(-dict="$top/fuzz/dict/$t.dict")
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$B/${t}_fuzz" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2560 \
		-print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$B/crashes/$t-" "$work" "${seeds[@]}" \
		>"$B/logs/$t.log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/logs/$t.log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$B/logs/$t.log" | tail -1 | cut -d' ' -f2)
	[ "$keep" = 1 ] || rm -rf "$work"
	if [ "$rc" -ne 0 ]; then
		printf '%-12s %5ss  FOUND SOMETHING (exit %s): see %s\n' "$t" "$secs" \
			"$rc" "$B/logs/$t.log"
		grep -m3 -E '^==[0-9]+==ERROR|runtime error|Test unit written' \
			"$B/logs/$t.log" | sed 's/^/    /'
		return 1
	fi
	printf '%-12s %5ss  %10s runs  cov %s\n' "$t" "$secs" "${execs:-?}" "${cov:-?}"
}
export -f one
export top secs B keep

rc=0
printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c 'one {}' || rc=1
end=$(date +%s)
echo "fuzz/run.sh: ${#bins[@]} targets, ${secs}s each, $jobs at once:" \
	"build $((built - start))s, fuzzing $((end - built))s, wall $((end - start))s"
exit $rc
