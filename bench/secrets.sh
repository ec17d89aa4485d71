#!/usr/bin/env bash
# bench/secrets.sh - fw.secrets' content scan against ripgrep with the same
# patterns on the same files, side by side in one run.
#
# Builds one root filesystem from this machine's own files (ELF programs
# and libraries, documentation; BENCH_MB megabytes, default 80) with a few
# secrets planted, packs it twice and times, best of BENCH_RUNS (3):
#
#   rg -c -a --no-ignore --hidden [--no-unicode] -f patterns.txt DIR
#       ripgrep over `starlab unpack` of the image: every byte of every
#       file, binaries included, all cores, page cache warm.  Timed both
#       as is and with --no-unicode (byte semantics, as Hyperscan's); the
#       faster of the two is the reference, since Unicode classes and \b
#       inside one big alternation push rg 13 off its DFA
#   fw.secrets alone
#       a small harness linked with libstarlab_static.a unpacks the image
#       (not timed), then times fw.secrets (Sl_check_run): read every file
#       through the tree, Hyperscan, cut and gate values, add findings
#   starlab firmware IMAGE  minus  starlab ls IMAGE
#       every check (keys, secrets, transport, accounts, services) on top
#       of unpacking, for reference
#
# on two images of the same tree:
#   rootfs.tar   uncompressed: the tree hands out file contents in place, so
#                the fw.secrets time is the scan itself (the comparison
#                that matters: same patterns, same bytes, both from memory)
#   rootfs.sqfs  squashfs-xz as firmware ships it: every read decompresses
#                the file again, which ripgrep on an unpacked tree never pays
#
# patterns.txt is printed by the harness from secrets.c's own table, so the
# two tools search for exactly the same expressions.  This is a benchmark,
# not a test: it asserts nothing.  Goal: fw.secrets <= rg on rootfs.tar.
#
# Usage: bench/secrets.sh [BUILD_DIR]   (default: build)
set -euo pipefail
# The environment a user has: no TZ (servers and containers leave it unset).
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
bd=$(cd "${1:-$top/build}" && pwd)
sl=$bd/starlab
lib=$bd/libstarlab_static.a
[ -x "$sl" ] && [ -f "$lib" ] || {
	echo "build starlab first (cmake --build $bd)" >&2
	exit 1
}
for t in rg mksquashfs tar cc pkg-config python3; do
	command -v "$t" >/dev/null || {
		echo "missing $t (apt-get install ripgrep squashfs-tools)" >&2
		exit 1
	}
done
mb=${BENCH_MB:-80}
runs=${BENCH_RUNS:-3}
w=${BENCH_DIR:-$(mktemp -d /tmp/starlab-bench-secrets.XXXXXX)}
mkdir -p "$w"
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$w"' EXIT

# ---- the harness -------------------------------------------------------
cat >"$w/harness.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/check.h"

extern const struct Sl_check Sl_check_secrets;
const char *Sl_sec_pattern(size_t i, const char **id);

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct sl_scan *s;
	double t0, t1, best = 1e9;
	size_t i, n, files = 0;
	unsigned long long bytes = 0;
	const char *re;
	int r, runs = argc > 2 ? atoi(argv[2]) : 3;

	if (argc == 2 && strcmp(argv[1], "--patterns") == 0) {
		for (i = 0; (re = Sl_sec_pattern(i, NULL)) != NULL; i++)
			puts(re);
		return 0;
	}
	if (argc < 2)
		return 2;
	s = sl_scan_new(NULL);
	if (s == NULL || sl_scan_firmware(s, argv[1]) != SL_OK)
		return 3;
	n = sl_tree_count(s);
	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);

		if (e->type == SL_FT_REG || e->type == SL_FT_REGION) {
			files++;
			bytes += e->size;
		}
	}
	for (r = 0; r < runs; r++) {
		t0 = now();
		if (Sl_check_run(s, &Sl_check_secrets) != SL_OK)
			return 4;
		t1 = now();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	printf("%.3f %zu %llu %zu\n", best, files, bytes,
	       sl_finding_count(s) / (size_t)runs);
	sl_scan_free(s);
	return 0;
}
C
deps="libsquashfs1 libarchive jansson yaml-0.1 libelf libcrypto libssl zlib liblzma libzstd liblz4 lzo2 ext2fs libhs libxcrypt libssh libcurl libmosquitto"
# shellcheck disable=SC2046
cc -O2 -D_GNU_SOURCE -I"$top/src" -I"$top/include" "$w/harness.c" "$lib" \
	$(pkg-config --cflags --libs $deps) -lstdc++ -lpthread -lm -o "$w/harness"
"$w/harness" --patterns >"$w/patterns.txt"

# ---- the tree ----------------------------------------------------------
if [ ! -f "$w/rootfs.tar" ]; then
	mkdir -p "$w/rootfs"
	python3 - "$w/rootfs" "$mb" <<'PY'
import os, shutil, sys
dst, limit = sys.argv[1], int(sys.argv[2]) << 20
total = files = 0
for root in ["/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu", "/usr/share/doc", "/etc"]:
    for d, dirs, names in os.walk(root):
        dirs.sort()
        for n in sorted(names):
            src = os.path.join(d, n)
            try:
                if os.path.islink(src) or not os.path.isfile(src):
                    continue
                sz = os.path.getsize(src)
                if sz > 8 << 20 or total + sz > limit:
                    continue
                out = os.path.join(dst, os.path.relpath(src, "/"))
                os.makedirs(os.path.dirname(out), exist_ok=True)
                shutil.copyfile(src, out)
            except OSError:
                continue
            total += sz
            files += 1
os.makedirs(os.path.join(dst, "etc/config"), exist_ok=True)
with open(os.path.join(dst, "etc/config/cloud"), "w") as f:
    f.write("config cloud 'main'\n\toption aws_access_key_id 'AKIAQ3EXAMPLEZ7K2M4P'\n"
            "\toption broker 'mqtt://device:S3cr3tPassw0rd@broker.vendor.io:1883'\n"
            "\toption api_key 'sk_live_51H8xTq2eZvKYlo2C8mNpQr4s'\n")
print("tree: %d files, %.1f MB" % (files, total / 1e6))
PY
	tar -C "$w/rootfs" -cf "$w/rootfs.tar" .
	mksquashfs "$w/rootfs" "$w/rootfs.sqfs" -comp xz -noappend -no-progress \
		-all-root >/dev/null
	rm -rf "$w/rootfs"
fi

best() { # best wall seconds of $runs runs of "$@"
	local i b=
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f %e -o "$w/time" "$@" >/dev/null 2>&1 || true
		b=$(python3 -c 'import sys; print(min(float(x) for x in sys.argv[1:]))' \
			"$(tail -1 "$w/time")" ${b:+"$b"})
	done
	echo "$b"
}

printf '%-12s %9s %9s %11s %12s %12s %8s\n' image "rg (s)" "rg -nu(s)" "secrets(s)" "MB/s secrets" "fw - ls (s)" "ratio"
for img in rootfs.tar rootfs.sqfs; do
	rm -rf "$w/unpacked"
	"$sl" unpack "$w/$img" -o "$w/unpacked" >/dev/null
	rg -c -a --no-ignore --hidden -f "$w/patterns.txt" "$w/unpacked" >/dev/null || true
	trg=$(best rg -c -a --no-ignore --hidden --no-messages -f "$w/patterns.txt" "$w/unpacked")
	tnu=$(best rg -c -a --no-ignore --hidden --no-messages --no-unicode \
		-f "$w/patterns.txt" "$w/unpacked")
	read -r tsec files bytes nf < <("$w/harness" "$w/$img" "$runs")
	tfw=$(best "$sl" firmware "$w/$img")
	tls=$(best "$sl" ls "$w/$img")
	python3 - "$img" "$trg" "$tnu" "$tsec" "$bytes" "$tfw" "$tls" "$files" "$nf" <<'PY'
import sys
img, trg, tnu, tsec, b, tfw, tls, files, nf = sys.argv[1:]
trg, tnu, tsec, b = float(trg), float(tnu), float(tsec), int(b)
tfw, tls = float(tfw), float(tls)
print("%-12s %9.3f %9.3f %11.3f %12.0f %12.3f %7.2fx   (%s files, %.1f MB, %s findings)"
      % (img, trg, tnu, tsec, b / 1e6 / max(tsec, 1e-9), tfw - tls,
         tsec / max(min(trg, tnu), 1e-9), files, b / 1e6, nf))
PY
done
echo "ratio = fw.secrets time / the faster rg time (lower is better; goal <= 1 on rootfs.tar)"
