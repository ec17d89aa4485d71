#!/usr/bin/env bash
# bench/batch.sh - `starlab batch` on 20 router-sized images (4 MB flash:
# U-Boot, an LZMA uImage kernel, a squashfs-xz root file system), run
# locally on every core and then through a single-node Slurm started here
# (tests/e2e/slurm_local.sh: munged, slurmctld, slurmd from Debian), in
# one run.  Prints wall time per image, the local run's CPU utilisation
# (user+sys over wall x cores) and whether the two summaries agree.
# Goal (issue 15): both cores busy, under 0.3 s of wall time per image.
# A benchmark, not a test: it asserts nothing.  Needs root for Slurm.
#
# Usage: bench/batch.sh [STARLAB_BINARY]   (default: build/starlab)
set -euo pipefail
# The environment a user has: no TZ (servers and containers leave it unset).
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
sl=$(cd "$(dirname "${1:-$top/build/starlab}")" && pwd)/$(basename "${1:-$top/build/starlab}")
[ -x "$sl" ] || { echo "build starlab first (cmake --build build)" >&2; exit 1; }
SL_SRC=$top
STARLAB=$sl
export SL_SRC STARLAB
. "$top/tests/e2e/lib.sh"
. "$top/tests/e2e/slurm_local.sh"
need mksquashfs mkimage xz python3

# One 4 MB router flash (as bench/unpack.sh builds it), then 20 copies
# that differ in their last byte, so that each is an input of its own.
mkdir -p "$T/m"
bash "$top/bench/mk_router.sh" "$T/router.bin"
python3 - "$T" <<'PY'
import sys
w = sys.argv[1]
flash = bytearray(open(w + "/router.bin", "rb").read())
for i in range(1, 21):
    flash[-1] = i
    open("%s/m/fw-%02d.bin" % (w, i), "wb").write(flash)
PY
cp "$top/samples/profile.yaml" "$T/m/profile.yaml"
{
	echo "id,profile,firmware,device"
	for i in $(seq -w 1 20); do echo "r$i,profile.yaml,fw-$i.bin,"; done
} >"$T/m/manifest.csv"

cores=$(nproc)
echo "20 images of $(stat -c %s "$T/m/fw-01.bin") bytes; $cores cores; load average: $(cut -d' ' -f1-3 /proc/loadavg); TZ unset"

# Local: wall and CPU of the whole batch (children included), at the
# default --jobs and at one job per core.
python3 - "$sl" "$T/m/manifest.csv" "$T" "$cores" <<'PY'
import resource, subprocess, sys, time
sl, man, w0, cores = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
prev = 0.0
for name, extra in (("local", []), ("local --jobs %d" % cores, ["--jobs", str(cores)])):
    out = w0 + "/" + name.replace(" ", "_").replace("-", "")
    t = time.time()
    subprocess.run([sl, "batch", man, "-o", out] + extra, stdout=subprocess.DEVNULL)
    w = time.time() - t
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = r.ru_utime + r.ru_stime - prev
    prev += cpu
    print("%-16s %.2f s wall, %.3f s per image; CPU %.2f s = %.0f%% of %d cores"
          % (name + ":", w, w / 20, cpu, 100 * cpu / (w * cores), cores))
PY

# Slurm: the same manifest as an array job, submitted and waited for.
slurm_up
t0=$(date +%s.%N)
"$sl" batch --slurm "$T/m/manifest.csv" -o "$T/slurm" --wait >/dev/null 2>&1 || true
t1=$(date +%s.%N)
python3 - "$t0" "$t1" <<'PY'
import sys
w = float(sys.argv[2]) - float(sys.argv[1])
print("Slurm:  %.2f s wall, %.3f s per image (sbatch --wait, single node)" % (w, w / 20))
PY
if cmp -s "$T/local/summary.json" "$T/slurm/summary.json"; then
	echo "summaries: identical"
else
	echo "summaries: DIFFER"
fi
