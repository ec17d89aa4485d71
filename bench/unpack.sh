#!/usr/bin/env bash
# bench/unpack.sh - unpacking speed and memory, side by side in one run.
#
# Builds two images from this machine's own files and times, on each:
#   starlab ls IMAGE                 (reads in place, both cores)
#   sqfs2tar IMAGE > /dev/null       (single-threaded decompression floor)
#   binwalk -Me --run-as=root IMAGE  (what users run today)
# and prints wall time, peak RSS and the ratios.  Goals (issue 5):
#   large squashfs-xz: starlab <= 0.8x sqfs2tar, peak RSS <= 128 MB
#   router 4 MB flash: starlab >= 10x faster than binwalk
# This is a benchmark, not a test: it asserts nothing.
#
# Usage: bench/unpack.sh [STARLAB_BINARY]   (default: build/starlab)
set -euo pipefail
# The environment a user has: no TZ (servers and containers leave it unset).
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
sl=${1:-$top/build/starlab}
[ -x "$sl" ] || { echo "build starlab first (cmake --build build)" >&2; exit 1; }
for t in mksquashfs sqfs2tar binwalk mkimage xz /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "missing $t (scripts/setup.sh; apt-get install binwalk time)" >&2; exit 1; }
done
w=${BENCH_DIR:-$(mktemp -d /tmp/starlab-bench.XXXXXX)}
mkdir -p "$w"
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$w"' EXIT

# ---- the large image: >= 3000 files, >= 80 MB, real ELFs and texts ----
if [ ! -f "$w/large.sqfs" ]; then
	mkdir -p "$w/large"
	python3 - "$w/large" <<'PY'
import os, shutil, sys
dst = sys.argv[1]
total, files = 0, 0
# Small texts first (file count), then real ELF binaries (bytes).
roots = ["/usr/include", "/usr/share/doc", "/usr/bin", "/usr/lib/x86_64-linux-gnu"]
for root in roots:
    for d, dirs, names in os.walk(root):
        dirs.sort()
        for n in sorted(names):
            src = os.path.join(d, n)
            if os.path.islink(src) or not os.path.isfile(src):
                continue
            sz = os.path.getsize(src)
            if sz > 4 << 20 or (files >= 3000 and sz < 64 << 10):
                continue
            out = os.path.join(dst, os.path.relpath(src, "/"))
            os.makedirs(os.path.dirname(out), exist_ok=True)
            shutil.copyfile(src, out)
            total += sz
            files += 1
            if total >= 90 << 20 and files >= 3000:
                print(files, total)
                sys.exit(0)
print(files, total)
PY
	mksquashfs "$w/large" "$w/large.sqfs" -comp xz -noappend -no-progress >/dev/null
	rm -rf "$w/large"
fi

# ---- the router image: 4 MB flash, uImage LZMA kernel + squashfs-xz ----
[ -f "$w/router.bin" ] || bash "$top/bench/mk_router.sh" "$w/router.bin"

# run NAME CMD...: wall seconds and peak RSS (KiB) into $secs / $rss.
run() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$w/time.$name" "$@" >/dev/null 2>"$w/err.$name" || true
	read -r secs rss <"$w/time.$name"
}

echo "images: $(du -h "$w/large.sqfs" | cut -f1) large squashfs-xz, 4 MB router flash"
printf '%-34s %9s %10s\n' "command" "seconds" "peak RSS"

run sl_large "$sl" ls "$w/large.sqfs"
sl_l=$secs; printf '%-34s %9s %8d MB\n' "starlab ls large.sqfs" "$secs" $((rss / 1024))
sl_l_rss=$rss
run floor sqfs2tar "$w/large.sqfs"
fl=$secs; printf '%-34s %9s %8d MB\n' "sqfs2tar large.sqfs" "$secs" $((rss / 1024))

run sl_router "$sl" ls "$w/router.bin"
sl_r=$secs; printf '%-34s %9s %8d MB\n' "starlab ls router.bin" "$secs" $((rss / 1024))
rm -rf "$w/bw" && mkdir "$w/bw"
(cd "$w/bw" && run bw binwalk -Me --run-as=root -q "$w/router.bin")
bw=$(cut -d' ' -f1 <"$w/time.bw")
printf '%-34s %9s %8d MB\n' "binwalk -Me router.bin" "$bw" $(($(cut -d' ' -f2 <"$w/time.bw") / 1024))

python3 - "$sl_l" "$fl" "$sl_r" "$bw" "$sl_l_rss" <<'PY'
import sys
sl_l, fl, sl_r, bw, rss = map(float, sys.argv[1:])
print("large: starlab / sqfs2tar = %.2fx  (goal <= 0.80x)" % (sl_l / fl))
print("large: starlab peak RSS = %.0f MB  (goal <= 128 MB)" % (rss / 1024))
print("router: binwalk / starlab = %.1fx faster  (goal >= 10x)" % (bw / max(sl_r, 0.001)))
PY
