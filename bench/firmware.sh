#!/usr/bin/env bash
# bench/firmware.sh - the whole `starlab firmware` run against the
# decompression floor, side by side in one run.
#
# On the large squashfs-xz image of bench/unpack.sh (built here the same
# way if BENCH_DIR does not hold it yet) it times, best of BENCH_RUNS (3):
#   sqfs2tar IMAGE > /dev/null      decompressing every file once, nothing
#                                   else (single-threaded): the floor
#   starlab ls IMAGE                unpacking: every file read and hashed
#   starlab firmware IMAGE          unpacking plus every firmware check
# and prints wall and CPU seconds and the ratio firmware / floor.
# Goal (issue 3): the firmware run at most 2x the floor.  This is a
# benchmark, not a test: it asserts nothing.
#
# Usage: bench/firmware.sh [STARLAB_BINARY]   (default: build/starlab)
set -euo pipefail
# The environment a user has: no TZ (servers and containers leave it unset).
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
sl=${1:-$top/build/starlab}
runs=${BENCH_RUNS:-3}
[ -x "$sl" ] || { echo "build starlab first (cmake --build build)" >&2; exit 1; }
w=${BENCH_DIR:-$(mktemp -d /tmp/starlab-bench.XXXXXX)}
mkdir -p "$w"
if [ ! -f "$w/large.sqfs" ]; then
	echo "building the bench image (bench/unpack.sh) ..." >&2
	BENCH_DIR=$w BENCH_KEEP=1 bash "$top/bench/unpack.sh" "$sl" >/dev/null
fi
[ -n "${BENCH_KEEP:-}" ] || [ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$w"' EXIT

# best NAME CMD...: the best wall time of $runs runs, with its CPU time.
best() {
	local name=$1 i e u s
	shift
	bw=999999
	for i in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S' -o "$w/t.$name" "$@" >/dev/null 2>&1 || true
		read -r e u s < <(tail -n 1 "$w/t.$name")
		if python3 -c "import sys; sys.exit(0 if $e < $bw else 1)"; then
			bw=$e
			bc=$(python3 -c "print(round($u + $s, 2))")
		fi
	done
	printf '%-36s %8s s wall %8s s cpu\n' "$name" "$bw" "$bc"
}

echo "image: $(du -h "$w/large.sqfs" | cut -f1) squashfs-xz, $(nproc) cores, best of $runs"
best "sqfs2tar (floor)" sqfs2tar "$w/large.sqfs"
floor=$bw
best "starlab ls" "$sl" ls "$w/large.sqfs"
best "starlab firmware" "$sl" firmware --format json "$w/large.sqfs"
python3 - "$bw" "$floor" <<'PY'
import sys
fw, floor = map(float, sys.argv[1:])
print("starlab firmware / floor = %.2fx  (goal <= 2.00x)" % (fw / floor))
PY
