#!/usr/bin/env bash
# bench/mk_router.sh OUT - a router-sized flash image for the benchmarks:
# 4 MB with U-Boot, a MIPS uImage with an LZMA "kernel" (1.5 MB of a
# real program) and a squashfs-xz root file system of 640 small texts
# from /usr/share/doc, /etc/passwd and a few real programs.
set -euo pipefail
out=$1
w=$(mktemp -d /tmp/starlab-router.XXXXXX)
trap 'rm -rf "$w"' EXIT
mkdir -p "$w/rootfs"
python3 - "$w/rootfs" <<'PY'
import os, shutil, sys
dst, n = sys.argv[1], 0
for d, dirs, names in os.walk("/usr/share/doc"):
    dirs.sort()
    for name in sorted(names):
        src = os.path.join(d, name)
        if os.path.islink(src) or not os.path.isfile(src) or os.path.getsize(src) > 20000:
            continue
        out = os.path.join(dst, "usr", os.path.relpath(src, "/usr/share"))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        shutil.copyfile(src, out)
        n += 1
        if n >= 640:
            break
    if n >= 640:
        break
os.makedirs(os.path.join(dst, "etc"), exist_ok=True)
open(os.path.join(dst, "etc/passwd"), "w").write("root:x:0:0:root:/root:/bin/sh\n")
for b in ["busybox", "ls", "cat", "sh", "grep", "sed", "tar", "gzip"]:
    for p in ("/bin/" + b, "/usr/bin/" + b):
        if os.path.isfile(p):
            os.makedirs(os.path.join(dst, "bin"), exist_ok=True)
            shutil.copyfile(p, os.path.join(dst, "bin", b))
            break
PY
mksquashfs "$w/rootfs" "$w/rootfs.sqfs" -comp xz -all-root -noappend -no-progress >/dev/null
head -c 1500000 /usr/bin/gdb 2>/dev/null >"$w/vmlinux" || head -c 1500000 /usr/bin/perl >"$w/vmlinux"
xz --format=lzma -6 -c "$w/vmlinux" >"$w/vmlinux.lzma"
mkimage -A mips -O linux -T kernel -C lzma -a 0x80060000 -e 0x80060000 \
	-n "Linux-4.14" -d "$w/vmlinux.lzma" "$w/uImage" >/dev/null
python3 - "$w" "$out" <<'PY'
import sys
w, out = sys.argv[1], sys.argv[2]
flash = bytearray(b"\xff" * (4 << 20))
boot = b"U-Boot 1.1.4 (bench)\0" * 100
k = open(w + "/uImage", "rb").read()
r = open(w + "/rootfs.sqfs", "rb").read()
flash[0:len(boot)] = boot
flash[0x20000:0x20000 + len(k)] = k
off = (0x20000 + len(k) + 0xffff) & ~0xffff
assert off + len(r) <= len(flash), "rootfs does not fit in 4 MB"
flash[off:off + len(r)] = r
open(out, "wb").write(flash)
PY
