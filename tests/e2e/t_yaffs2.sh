#!/usr/bin/env bash
# YAFFS2 images as mkyaffs2image lays them out: 2 KiB and 4 KiB pages with
# their OOB (tags at offset 0 or after the bad-block marker), 512-byte
# pages, big-endian, and NAND dumps without OOB; a hard link, device nodes
# (as root), a file rewritten later with a higher sequence number; one
# carved out of a blob; a truncated dump and a damaged chunk.
#
# Debian packages no YAFFS2 writer, so tests/fixtures/mk_yaffs2.py writes
# the images (its header says how).  Its 2 KiB and 4 KiB images with OOB
# are first extracted with the real unyaffs and compared with the source.
. "$(dirname "$0")/lib.sh" || exit 1
need unyaffs python3

mk=$SL_SRC/tests/fixtures/mk_yaffs2.py
src=$T/src
mk_tree "$src"
ln "$src/etc/passwd" "$src/etc/passwd-hard"
me="$(id -u):$(id -g)"

# The writer against the real unyaffs.
for g in 2048:64 4096:128; do
	python3 "$mk" --page "${g%:*}" --spare "${g#*:}" "$src" "$T/ref.img"
	rm -rf "$T/x"
	mkdir "$T/x"
	(cd "$T/x" && unyaffs "$T/ref.img" >/dev/null) || fail "unyaffs $g"
	diff -r --no-dereference "$src" "$T/x" >/dev/null ||
		fail "unyaffs extracts the $g image differently"
done

n=0
for spec in "2048 64 0 le" "4096 128 0 le" "2048 64 0 be" "512 16 0 le" \
	"2048 64 2 le" "2048 0 0 le" "4096 0 0 be"; do
	set -- $spec
	n=$((n + 1))
	python3 "$mk" --page "$1" --spare "$2" --tag-offset "$3" --endian "$4" \
		"$src" "$T/y$n.img"
	"$STARLAB" ls --format json "$T/y$n.img" >"$T/y$n.json"
	expect_entry "$T/y$n.json" "y$n.img:yaffs2" container
	check_tree "$T/y$n.json" "y$n.img:yaffs2" "$src" --exact --owner "$me"
	[ "$(json_get "$T/y$n.json" 'len(j["incomplete"])')" = 0 ] ||
		fail "y$n.img ($spec): incomplete: $(json_get "$T/y$n.json" 'j["incomplete"]')"
done

# Device nodes (mknod needs root).
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$T/dsrc/dev"
	mknod "$T/dsrc/dev/console" c 5 1
	mknod "$T/dsrc/dev/mtdblock0" b 31 0
	mkfifo "$T/dsrc/dev/initctl"
	python3 "$mk" "$T/dsrc" "$T/dev.img"
	"$STARLAB" ls --format json "$T/dev.img" >"$T/dev.json"
	[ "$(json_get "$T/dev.json" 'sorted((e["path"].split("!/")[1], e["type"]) for e in j["entries"] if "!/dev/" in e["path"])')" = \
		"[('dev/console', 'chardev'), ('dev/initctl', 'fifo'), ('dev/mtdblock0', 'blockdev')]" ] ||
		fail "dev.img: device nodes"
fi

# A file written again later (higher sequence number): the newer copy is
# the file; the old chunks are dead.
python3 "$mk" --rewrite etc/passwd "$src" "$T/rw.img"
"$STARLAB" ls --format json "$T/rw.img" >"$T/rw.json"
want=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()[::-1]).hexdigest())' "$src/etc/passwd")
[ "$(json_get "$T/rw.json" '[e["sha256"] for e in j["entries"] if e["path"] == "rw.img:yaffs2!/etc/passwd"]')" = "['$want']" ] ||
	fail "rw.img: the rewritten etc/passwd is not the newer copy"

# Carved: after 8 KiB of random bytes.
{ head -c 8192 /dev/urandom; cat "$T/y1.img"; } >"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x2000:yaffs2" container
check_tree "$T/fw.json" "fw.bin@0x2000:yaffs2" "$src" --exact --owner "$me"

# Truncated dump: cut in the middle of usr/lib/big.txt's chunks.  The
# file is listed, and reading it names the missing chunk.
python3 - "$T/y1.img" "$T/cut.img" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
at = d.index(b"big.txt\0") - 10
open(sys.argv[2], "wb").write(d[:at + 2112 * 40])
PY
"$STARLAB" ls --format json "$T/cut.img" >"$T/cut.json"
expect_entry "$T/cut.json" "cut.img:yaffs2!/etc/passwd" file
expect_incomplete "$T/cut.json" 'cut.img:yaffs2!/usr/lib/big.txt: content could not be read: data chunk 4[0-9] of object [0-9]+ is not in the image'

# A damaged chunk: the tags of etc/shadow's header say it is a header
# but its data is overwritten.  It is reported; the rest is listed.
python3 - "$T/y1.img" "$T/bad.img" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = d.index(b"shadow\0") - 10
d[at:at + 4] = b"\x09\x09\x09\x09"
open(sys.argv[2], "wb").write(d)
PY
"$STARLAB" ls --format json "$T/bad.img" >"$T/bad.json"
expect_incomplete "$T/bad.json" 'bad.img:yaffs2: chunk [0-9]+ at 0x[0-9a-f]+: tagged as the header of object [0-9]+ but holds none'
expect_entry "$T/bad.json" "bad.img:yaffs2!/www/index.html" file

# Not YAFFS2: a MIPS kernel's data table (seen in a TP-Link TL-WR841N v11
# kernel) starts like a big-endian header, type 1 in parent 1, then
# 0xffff and a "name" of two 0xff bytes, but its "mode" 0x80284550 is no
# file's.  It was listed as a YAFFS2 image holding one file of 9.2e18
# bytes.
python3 - "$T/kdata.bin" <<'PY'
import struct, sys
d = bytearray(4096)
d[0:16] = struct.pack(">IIHBBxxxx", 1, 1, 0xffff, 0xff, 0xff)
d[268:272] = struct.pack(">I", 0x80284550)
d[280:284] = struct.pack(">I", 0x80284228)
open(sys.argv[1], "wb").write(bytes(1024) + bytes(d))
PY
"$STARLAB" ls --format json "$T/kdata.bin" >"$T/kdata.json"
python3 - "$T/kdata.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [e["path"] for e in r["entries"] if "yaffs2" in e["path"]]
assert not bad, bad
PY
echo ok
