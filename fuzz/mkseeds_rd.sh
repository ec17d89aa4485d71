#!/usr/bin/env bash
# mkseeds_rd.sh - (re)build the seeds of the readers whose formats no
# Debian tool writes, or that the main script did not cover, in
# fuzz/corpus/NAME/: romfs (genromfs), yaffs2 (tests/fixtures/mk_yaffs2.py,
# checked against unyaffs by tests/e2e/t_yaffs2.sh), squashfs 1.x-3.x
# (tests/fixtures/mk_sqfs_old.py, checked against unsquashfs by
# t_squashfs_old.sh) and Arcadyan's scrambled LZMA (a squashfs made by
# mksquashfs, compressed by xz --format=lzma, scrambled as t_arcadyan.sh
# documents).  The crashers kept in tests/corpus/NAME/ are used beside
# these by fuzz/run.sh.
#
# Run by fuzz/mkseeds.sh; alone, it rebuilds only these four.  Seeds stay
# small (a few KiB): a tree of four files and small pages.
. "$(dirname "$0")/seedlib.sh"

R=$T/root
mkdir -p "$R/etc/init.d" "$R/bin"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:$1$abcdefgh$7M1Kf7m.u6dL9ZyOzv3aK/:19000:0:99999:7:::\n' >"$R/etc/shadow"
printf '#!/bin/sh\ntelnetd -l /bin/sh\n' >"$R/etc/init.d/rcS"
ln -s busybox "$R/bin/sh"
printf '\x7fELF\x01\x01\x01' >"$R/bin/busybox"
ln "$R/etc/passwd" "$R/etc/passwd-"

# romfs: genromfs, with a volume name and a hard link.
genromfs -f "$T/r.img" -d "$R" -V seed
seed romfs root.romfs <"$T/r.img"

# yaffs2: with OOB tags (small and large pages, both byte orders, tags
# after a bad-block marker) and without.
mk=$top/tests/fixtures/mk_yaffs2.py
for spec in "512 16 0 le" "2048 64 2 be" "2048 0 0 le"; do
	set -- $spec
	python3 "$mk" --page "$1" --spare "$2" --tag-offset "$3" --endian "$4" \
		"$R" "$T/y.img"
	seed yaffs2 "p$1-s$2-$4.yaffs2" <"$T/y.img"
done

# squashfs 1.x to 3.x, and 3.x big-endian with LZMA (as Broadcom's SDK).
mk=$top/tests/fixtures/mk_sqfs_old.py
for spec in "1 le zlib" "2 be zlib" "3 le zlib" "3 be lzma0"; do
	set -- $spec
	python3 "$mk" --version "$1" --endian "$2" --comp "$3" "$R" "$T/s.img"
	seed squashfs_old "v$1-$2-$3.sqfs" <"$T/s.img"
done

# Arcadyan: the layout of tests/e2e/t_arcadyan.sh's scramble.
mksquashfs "$R" "$T/root.sqfs" -comp gzip -noappend -quiet -no-progress \
	-all-root >/dev/null
# An 8 MiB dictionary, as Arcadyan's (the reader looks for it).
xz --format=lzma -6 -c "$T/root.sqfs" >"$T/root.lzma"
python3 - "$T/root.lzma" "$T/fw.bin" <<'PY'
import sys
z = open(sys.argv[1], "rb").read()
img = bytearray(b"\x01\x02\x03\x04" + z)
b1 = bytearray(img[4:36])
b2 = bytes(img[0x68:0x88])
for i in range(0, 32, 2):
    b1[i], b1[i + 1] = b1[i + 1], b1[i]
b1 = bytes((x << 4 & 0xF0) | x >> 4 for x in b1)
img[4:36] = b2
img[0x68:0x88] = b1
open(sys.argv[2], "wb").write(img)
PY
seed arcadyan root.bin <"$T/fw.bin"
du -sh "$C/romfs" "$C/yaffs2" "$C/squashfs_old" "$C/arcadyan"
