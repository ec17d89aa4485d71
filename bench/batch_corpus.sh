#!/usr/bin/env bash
# bench/batch_corpus.sh - `starlab batch` on 20 real images: the firmware
# corpus (bench/fidelity.sh's, default /work/corpus) and the bundled
# sample (samples/build.sh), taken in turn until there are 20 rows.  Runs
# each given starlab binary RUNS times, alternating, each run into a
# fresh output directory, and prints per binary the median wall time per
# image with the spread, the CPU time per image, and the utilisation of
# the cores (user+sys of the batch and its children over wall x cores;
# on a shared machine, low utilisation means other work held the cores).  With two binaries
# (before, after) the ratio of the medians.  Goal (issue 15): both cores
# busy, under 0.3 s of wall time per image.  A benchmark, not a test: it
# asserts nothing.
#
# Usage: bench/batch_corpus.sh [-n RUNS] [CORPUS_DIR] STARLAB [STARLAB...]
#   (RUNS default 5; STARLAB default build/starlab)
set -euo pipefail
# The environment a user has: no TZ (servers and containers leave it unset).
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
runs=5
if [ "${1:-}" = "-n" ]; then
	runs=$2
	shift 2
fi
corpus=/work/corpus
if [ -d "${1:-}" ]; then
	corpus=$1
	shift
fi
[ $# -gt 0 ] || set -- "$top/build/starlab"
bins=()
for b in "$@"; do
	[ -x "$b" ] || { echo "not a program: $b (cmake --build build)" >&2; exit 1; }
	bins+=("$(cd "$(dirname "$b")" && pwd)/$(basename "$b")")
done
w=$(mktemp -d /tmp/starlab-batchc.XXXXXX)
trap 'rm -rf "$w"' EXIT
mkdir -p "$w/m"
bash "$top/samples/build.sh" "$w/sample" >/dev/null
imgs=("$w/sample/sample-fw.bin")
for f in "$corpus"/*.bin; do
	[ -f "$f" ] && imgs+=("$f")
done
cp "$top/samples/profile.yaml" "$w/m/profile.yaml"
{
	echo "id,profile,firmware,device"
	for i in $(seq 1 20); do
		src=${imgs[$(((i - 1) % ${#imgs[@]}))]}
		cp "$src" "$w/m/fw-$i.bin" # a copy: links are refused
		echo "r$i,profile.yaml,fw-$i.bin,"
	done
} >"$w/m/manifest.csv"
echo "20 rows over ${#imgs[@]} images (the sample and $corpus), $(nproc) cores, $runs runs each; TZ unset"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$w" "$runs" "${bins[@]}" <<'PY'
import os, resource, statistics, subprocess, sys, time
w, runs, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cores = os.cpu_count()
per, util, cpus = ({b: [] for b in bins} for _ in range(3))
for r in range(runs):
    for k, b in enumerate(bins):
        out = "%s/out-%d-%d" % (w, k, r)
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.time()
        rc = subprocess.run([b, "batch", w + "/m/manifest.csv", "-o", out],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
        wall = time.time() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
        if rc not in (0, 1):
            sys.exit("%s batch exited %d; see %s/jobs/*/log.txt" % (b, rc, out))
        per[b].append(wall / 20)
        util[b].append(100 * cpu / (wall * cores))
        cpus[b].append(cpu / 20)
        subprocess.run(["rm", "-rf", out])
med = {}
for b in bins:
    p, u = per[b], util[b]
    med[b] = statistics.median(p)
    print("%s\n  per image: median %.3f s  [%.3f - %.3f] wall, %.3f s CPU;"
          " CPU %.0f%% of %d cores (medians)"
          % (b, med[b], min(p), max(p), statistics.median(cpus[b]),
             statistics.median(u), cores))
if len(bins) == 2:
    print("after / before = %.2f" % (med[bins[1]] / med[bins[0]]))
print("goal: < 0.300 s per image, both cores busy")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
