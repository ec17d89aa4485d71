#!/usr/bin/env bash
# cramfs images built with mkfs.cramfs from the reference tree: little- and
# big-endian, padded for boot code, with explicit holes, carved out of a
# blob; and damaged ones (corrupt page, truncation).
. "$(dirname "$0")/lib.sh" || exit 1
need mkfs.cramfs python3

src=$T/src
mk_tree "$src"
# A hard link: mkfs.cramfs stores the data once; both names are files.
ln "$src/etc/passwd" "$src/etc/passwd-hardlink"
# cramfs keeps 16-bit uids and 8-bit gids.
owner_opts=(--owner "$(id -u):$(($(id -g) & 255))")
if [ "$(id -u)" = 0 ]; then
	printf 'owned\n' >"$src/etc/owned"
	chown 70000:300 "$src/etc/owned"
	owner_opts=(--no-owner)
fi

check_image() { # IMAGE PREFIX
	local img=$1 prefix=$2 js=$1.json
	"$STARLAB" ls --format json "$img" >"$js"
	expect_entry "$js" "$prefix" container
	check_tree "$js" "$prefix" "$src" --exact "${owner_opts[@]}"
	[ "$(json_get "$js" 'len(j["incomplete"])')" = 0 ] ||
		fail "$img: incomplete: $(json_get "$js" 'j["incomplete"]')"
	if [ "$(id -u)" = 0 ]; then
		[ "$(json_get "$js" '[(e["uid"], e["gid"]) for e in j["entries"] if e["path"] == "'"$prefix"'!/etc/owned"]')" = "[(4464, 44)]" ] ||
			fail "$img: truncated owner of etc/owned"
		[ "$(json_get "$js" 'sorted(set((e["uid"], e["gid"]) for e in j["entries"] if e["path"].startswith("'"$prefix"'!/") and not e["path"].endswith("/etc/owned")))')" = "[(0, 0)]" ] ||
			fail "$img: owners"
	fi
}

mkfs.cramfs "$src" "$T/le.img" 2>/dev/null
check_image "$T/le.img" "le.img:cramfs"
mkfs.cramfs -N big "$src" "$T/be.img" 2>/dev/null
check_image "$T/be.img" "be.img:cramfs"
mkfs.cramfs -p "$src" "$T/pad.img" 2>/dev/null
check_image "$T/pad.img" "pad.img:cramfs"
mkfs.cramfs -z "$src" "$T/holes.img" 2>/dev/null
check_image "$T/holes.img" "holes.img:cramfs"
# The 90000 zero bytes of libfake.so make whole pages that are holes.
cmp -s "$T/le.img" "$T/holes.img" && fail "mkfs.cramfs -z made no holes"

# Version 1 (no size or CRC in the superblock): the size is where the
# last data ends, and the zeros after it are a region.
python3 - "$T/le.img" "$T/v1.img" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[8] &= ~1
open(sys.argv[2], "wb").write(bytes(d) + bytes(5000))
PY
"$STARLAB" ls --format json "$T/v1.img" >"$T/v1.json"
check_tree "$T/v1.json" "v1.img:cramfs" "$src" --exact "${owner_opts[@]}"
[ "$(json_get "$T/v1.json" '[e["size"] for e in j["entries"] if e["path"] == "v1.img:cramfs"]')" = "[$(stat -c %s "$T/le.img")]" ] ||
	fail "v1.img: container size"
expect_entry "$T/v1.json" "v1.img@0x$(printf %x "$(stat -c %s "$T/le.img")")" region

# Carved: after 8 KiB of random bytes, padded image and all, then zeros.
head -c 8192 /dev/urandom >"$T/fw.bin"
cat "$T/pad.img" >>"$T/fw.bin"
head -c 5000 /dev/zero >>"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x2000:cramfs" container
check_tree "$T/fw.json" "fw.bin@0x2000:cramfs" "$src" --exact \
	"${owner_opts[@]}"

# Damaged: bytes in the middle of the data are overwritten.  The tree is
# still listed; the CRC and the file whose page no longer inflates are
# reported.
cp "$T/le.img" "$T/bad.img"
size=$(stat -c %s "$T/bad.img")
python3 - "$T/bad.img" "$((size / 2))" <<'PY'
import sys
f = open(sys.argv[1], "r+b")
f.seek(int(sys.argv[2]))
f.write(b"\x55" * 64)
PY
"$STARLAB" ls --format json "$T/bad.img" >"$T/bad.json"
expect_entry "$T/bad.json" "bad.img:cramfs" container
expect_incomplete "$T/bad.json" 'bad.img:cramfs: CRC-32 of the image does not match'
expect_incomplete "$T/bad.json" \
	'bad.img:cramfs!/usr/lib/[a-z.]+: content could not be read: data at 0x[0-9a-f]+, page [0-9]+: page does not inflate'
python3 "$SL_SRC/tests/e2e/tree_compare.py" "$T/bad.json" "bad.img:cramfs" \
	"$src" --no-owner >/dev/null 2>&1 &&
	fail "bad.img: damaged content went unnoticed"
expect_entry "$T/bad.json" "bad.img:cramfs!/www/index.html" file

# Damaged: the image is cut short.  Directories come first in cramfs, so
# the whole tree is listed; the files past the cut are reported.
head -c $((size * 6 / 10)) "$T/le.img" >"$T/cut.img"
"$STARLAB" ls --format json "$T/cut.img" >"$T/cut.json"
expect_entry "$T/cut.json" "cut.img:cramfs" container
expect_incomplete "$T/cut.json" "cut.img:cramfs: image of $size bytes is cut short"
expect_incomplete "$T/cut.json" \
	'cut.img:cramfs!/usr/lib/[a-z.]+: content could not be read: data at 0x[0-9a-f]+, page [0-9]+: page lies outside the image'
python3 "$SL_SRC/tests/e2e/tree_compare.py" "$T/cut.json" "cut.img:cramfs" \
	"$src" --no-owner >/dev/null 2>&1 &&
	fail "cut.img: missing content went unnoticed"
expect_entry "$T/cut.json" "cut.img:cramfs!/www/index.html" file
echo ok
