#!/usr/bin/env bash
# starlab batch: a 20-image manifest (CSV) run locally, every product with
# its report and the summary's counts adding up; run again, nothing runs
# (resume); one image changed, only its job runs again; a JSON manifest;
# bad manifests named with file and line; and the same manifest through a
# real single-node Slurm (slurm_local.sh: munged, slurmctld, slurmd from
# Debian) as an array job, whose merged summary equals the local one.
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/slurm_local.sh" || exit 1
need mksquashfs python3 openssl

# 20 small router images: one squashfs each, the same planted root
# account, a version that differs.
mkdir -p "$T/m/images"
cp "$SL_SRC/samples/profile.yaml" "$T/m/profile.yaml"
echo "id,profile,firmware,device" >"$T/m/manifest.csv"
hash=$(openssl passwd -1 -salt abcdefgh admin)
for i in $(seq -w 1 20); do
	r=$T/rootfs-$i
	mkdir -p "$r/etc" "$r/bin"
	printf 'root:%s:0:0:root:/root:/bin/sh\n' "$hash" >"$r/etc/passwd"
	printf 'DISTRIB_ID=Batch\nDISTRIB_RELEASE=1.0.%s\n' "$i" >"$r/etc/openwrt_release"
	mksquashfs "$r" "$T/m/images/fw-$i.bin" -comp xz -noappend -quiet \
		-all-root >/dev/null || fail "mksquashfs $i"
	echo "r$i,profile.yaml,images/fw-$i.bin," >>"$T/m/manifest.csv"
done

# summary_ok FILE N: N products, each with a report whose verdicts add to 16.
summary_ok() {
	python3 - "$1" "$2" <<'PY' || fail "summary $1: see above"
import json, sys
s = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert s["total"] == n, s["total"]
assert s["without_report"] == 0, s["without_report"]
for p in s["products"]:
    assert p["report"], p["id"]
    assert sum(p["verdicts"].values()) == 16, p
reqs = s["requirements"]
assert all(reqs[i]["non_conformant"] >= reqs[i + 1]["non_conformant"]
           for i in range(len(reqs) - 1)), reqs
assert s["most_failed"] == (reqs[0]["id"] if reqs else None)
PY
}

rc=0
"$STARLAB" batch "$T/m/manifest.csv" -o "$T/run" >"$T/run.out" 2>"$T/run.err" || rc=$?
[ "$rc" = 1 ] || fail "local batch: exit $rc, want 1: $(cat "$T/run.err")"
grep -q '^20 jobs run, 0 already done' "$T/run.out" || fail "local batch: $(cat "$T/run.out")"
summary_ok "$T/run/summary.json" 20
for f in summary.csv summary.html manifest.json jobs/r07/report/report.json jobs/r07/job.json jobs/r07/log.txt; do
	[ -s "$T/run/$f" ] || fail "local batch: no $f"
done
[ "$(wc -l <"$T/run/summary.csv")" = 21 ] || fail "summary.csv: want a header and 20 rows"
grep -q 'S1.1-02' "$T/run/summary.json" || fail "the planted default password does not show"

# Resume: nothing runs again; a changed image runs again, alone.
rc=0
"$STARLAB" batch "$T/m/manifest.csv" -o "$T/run" >"$T/run2.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "second run: exit $rc"
grep -q '^0 jobs run, 20 already done' "$T/run2.out" || fail "resume: $(cat "$T/run2.out")"
cp "$T/m/images/fw-01.bin" "$T/m/images/fw-03.bin"
"$STARLAB" batch "$T/m/manifest.csv" -o "$T/run" >"$T/run3.out" 2>&1 || true
grep -q '^1 jobs run, 19 already done' "$T/run3.out" || fail "changed input: $(cat "$T/run3.out")"
cp "$T/run/summary.json" "$T/local-summary.json"

# Interrupted: SIGINT once the first job has begun (its log exists):
# exit 4, and the jobs that finished are kept for the next run.
"$STARLAB" batch "$T/m/manifest.csv" -o "$T/runi" --jobs 1 >"$T/runi.out" 2>"$T/runi.err" &
signal_when INT $! sh -c "ls '$T'/runi/jobs/*/log.txt"
[ "$sig_rc" = 4 ] || fail "interrupted batch: exit $sig_rc, want 4: $(cat "$T/runi.err")"
grep -q 'interrupted: [0-9]* jobs ran' "$T/runi.err" || fail "interrupted batch: $(cat "$T/runi.err")"

# A JSON manifest, two rows, one with two units.
cat >"$T/m/manifest.json" <<'J'
[{"id": "two-units", "profile": "profile.yaml",
  "firmware": ["images/fw-01.bin", "images/fw-02.bin"]},
 {"profile": "profile.yaml", "firmware": "images/fw-04.bin"}]
J
rc=0
"$STARLAB" batch "$T/m/manifest.json" -o "$T/runj" >"$T/runj.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "JSON manifest: exit $rc: $(cat "$T/runj.out")"
summary_ok "$T/runj/summary.json" 2
[ -s "$T/runj/jobs/row-2/report/report.json" ] || fail "a row without id is not row-2"

# Bad manifests: named, with the line.
printf 'id,profile,firmware\n../x,profile.yaml,images/fw-01.bin\n' >"$T/m/bad.csv"
rc=0
"$STARLAB" batch "$T/m/bad.csv" -o "$T/runb" 2>"$T/bad.err" || rc=$?
[ "$rc" = 3 ] && grep -q 'bad.csv:2: id' "$T/bad.err" || fail "bad id: exit $rc: $(cat "$T/bad.err")"
printf 'id,profile,colour\n' >"$T/m/bad2.csv"
rc=0
"$STARLAB" batch "$T/m/bad2.csv" -o "$T/runb" 2>"$T/bad2.err" || rc=$?
[ "$rc" = 3 ] && grep -q "bad2.csv:1: unknown column 'colour'" "$T/bad2.err" ||
	fail "bad column: exit $rc: $(cat "$T/bad2.err")"

# The same 20 rows as a Slurm array job on a private single-node Slurm.
slurm_up
cp "$T/m/images/fw-01.bin" "$T/m/images/fw-03.bin"
rc=0
"$STARLAB" batch --slurm "$T/m/manifest.csv" -o "$T/srun" --wait \
	>"$T/srun.out" 2>"$T/srun.err" || rc=$?
[ "$rc" = 1 ] || fail "Slurm batch: exit $rc: $(cat "$T/srun.out" "$T/srun.err"); $(tail -5 "$T/slurm/slurmctld.log")"
grep -q '#SBATCH --array=0-19' "$T/srun/batch.sbatch" || fail "sbatch script: $(cat "$T/srun/batch.sbatch")"
ls "$T/srun/slurm/"*.log >/dev/null 2>&1 || fail "no Slurm task logs"
summary_ok "$T/srun/summary.json" 20
python3 - "$T/local-summary.json" "$T/srun/summary.json" <<'PY' || fail "Slurm and local summaries differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
if a != b:
    for k in a:
        if a[k] != b.get(k):
            print("differs:", k, str(a[k])[:300], str(b.get(k))[:300])
    sys.exit(1)
PY
# --merge alone rebuilds the same summary.
cp "$T/srun/summary.json" "$T/s1.json"
"$STARLAB" batch --merge "$T/srun" >/dev/null || [ $? = 1 ] || fail "--merge"
cmp -s "$T/s1.json" "$T/srun/summary.json" || fail "--merge gives another summary"
echo ok
