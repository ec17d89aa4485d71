#!/usr/bin/env bash
# SquashFS 1.x, 2.x and 3.x in both byte orders, with zlib and the three vendor
# LZMA variants of 2005-2015 router firmware, and big-endian 4.0 (AVM),
# compared with the source tree; one carved out of a blob; damaged data,
# damaged metadata and a truncated image.
#
# No Debian tool writes these, so tests/fixtures/mk_sqfs_old.py does (its
# header says how).  Its little-endian and big-endian zlib images of 1.x,
# 2.x and 3.x, and its 4.0 little-endian image, are first extracted with the
# real unsquashfs and compared with the source: the writer's layout is the
# real one.  The LZMA variants and big-endian 4.0 differ from those only in
# the compressor call or the byte order.
. "$(dirname "$0")/lib.sh" || exit 1
need unsquashfs python3 gzip

mk=$SL_SRC/tests/fixtures/mk_sqfs_old.py
src=$T/src
mk_tree "$src"
owner=0:0
if [ "$(id -u)" = 0 ]; then
	# Owners that are not 0, so the uid/gid tables are really read.
	chown -hR 1234:5678 "$src"
	chown -h 0:0 "$src/etc/passwd" "$src/etc/shadow"
	owner=
fi

mksq() { # VERSION ENDIAN COMP OUT [options]
	local v=$1 e=$2 c=$3 out=$4
	shift 4
	python3 "$mk" --version "$v" --endian "$e" --comp "$c" "$@" "$src" "$out" ||
		fail "mk_sqfs_old.py $v $e $c $*"
}

# The writer against the real unsquashfs.
for ve in 1:le 1:be 2:le 2:be 3:le 3:be 4:le; do
	v=${ve%:*} e=${ve#*:}
	mksq "$v" "$e" zlib "$T/ref$v$e.img"
	unsquashfs -no-xattrs -d "$T/x$v$e" "$T/ref$v$e.img" >/dev/null 2>&1 ||
		fail "unsquashfs refused the $v.x $e image"
	diff -r --no-dereference "$src" "$T/x$v$e" >/dev/null ||
		fail "unsquashfs extracts the $v.x $e image differently"
done

check() { # IMAGE PREFIX
	local js=$1.json
	"$STARLAB" ls --format json "$1" >"$js" || fail "starlab ls $1"
	expect_entry "$js" "$2" container
	if [ -n "$owner" ]; then
		check_tree "$js" "$2" "$src" --exact --owner "$owner"
	else
		check_tree "$js" "$2" "$src" --exact
		[ "$(json_get "$js" '[(e["uid"], e["gid"]) for e in j["entries"] if e["path"] in ("'"$2"'!/etc/passwd", "'"$2"'!/bin/busybox")]')" = \
			"[(1234, 5678), (0, 0)]" ] || fail "$1: owners"
	fi
	[ "$(json_get "$js" 'len(j["incomplete"])')" = 0 ] ||
		fail "$1: incomplete: $(json_get "$js" 'j["incomplete"]')"
}

n=0
for spec in "1 le zlib" "1 be zlib" "1 be lzma5" "2 le zlib" "2 be zlib" "3 le zlib" "3 be zlib" \
	"2 be lzma5" "3 be lzma5" "3 le lzma13" "3 be lzma13" "3 le lzma0" \
	"2 le lzma0 --stored-meta" "3 be zlib --no-frag" \
	"3 le zlib --block-log 12" "3 be lzma5 --block-log 17" \
	"4 be zlib" "4 be xz" "4 be lzma13" "4 be lzma5" "4 be xz --stored-meta"; do
	set -- $spec
	n=$((n + 1))
	img=$T/sq$n.img
	mksq "$1" "$2" "$3" "$img" "${@:4}"
	check "$img" "sq$n.img:squashfs"
done

# Vendor magics: the same images with only the magic changed, as vendors
# shipped them ("shsq" little-endian LZMA, "sqlz" big-endian).
for vm in shsq:le:lzma13 sqlz:be:lzma5 qshs:be:zlib; do
	IFS=: read -r magic e c <<<"$vm"
	mksq 3 "$e" "$c" "$T/$magic.img"
	printf '%s' "$magic" | dd of="$T/$magic.img" bs=1 count=4 conv=notrunc 2>/dev/null
	check "$T/$magic.img" "$magic.img:squashfs"
done

# Carved: a big-endian 3.x LZMA image after a boot loader, with a trailer.
mksq 3 be lzma5 "$T/c.img"
{ head -c 65536 /dev/urandom; cat "$T/c.img"; printf 'TRAILER'; } >"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x10000:squashfs" container
if [ -n "$owner" ]; then
	check_tree "$T/fw.json" "fw.bin@0x10000:squashfs" "$src" --exact --owner "$owner"
else
	check_tree "$T/fw.json" "fw.bin@0x10000:squashfs" "$src" --exact
fi
expect_entry "$T/fw.json" "fw.bin@0x$(printf %x $((65536 + $(stat -c %s "$T/c.img"))))" region

# Nested in a gzip stream.
gzip -c "$T/c.img" >"$T/c.img.gz"
"$STARLAB" ls --format json "$T/c.img.gz" >"$T/gz.json"
expect_entry "$T/gz.json" "c.img.gz:gzip!/data:squashfs!/etc/passwd" file

# Damaged data: the data blocks start after the 119-byte superblock with
# those of usr/lib/big.txt (the first file with full blocks; smaller files
# live in fragment blocks); bytes inside its first block are overwritten.
mksq 3 le zlib "$T/d.img"
python3 - "$T/d.img" "$T/bad.img" <<'PY'
import random, sys
b = bytearray(open(sys.argv[1], "rb").read())
b[119 + 64:119 + 1088] = random.Random(5).randbytes(1024)
open(sys.argv[2], "wb").write(b)
PY
"$STARLAB" ls --format json "$T/bad.img" >"$T/bad.json" || fail "starlab on bad.img"
expect_entry "$T/bad.json" "bad.img:squashfs!/etc/passwd" file
expect_incomplete "$T/bad.json" 'bad.img:squashfs!/usr/lib/big.txt: content could not be read: data block 0 at 0x77 does not decompress'

# Damaged metadata: the directory table's first block.
python3 - "$T/d.img" "$T/badmeta.img" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
d = struct.unpack_from("<Q", b, 95)[0]
b[d + 2:d + 40] = bytes(range(38))
open(sys.argv[2], "wb").write(b)
PY
"$STARLAB" ls --format json "$T/badmeta.img" >"$T/badmeta.json" || fail "starlab on badmeta.img"
expect_entry "$T/badmeta.json" "badmeta.img:squashfs" container
expect_incomplete "$T/badmeta.json" 'badmeta.img:squashfs: directory table: metadata block at 0x[0-9a-f]+ does not decode'

# Truncated: half of the image; its tables are gone.
size=$(stat -c %s "$T/c.img")
head -c $((size / 2)) "$T/c.img" >"$T/cut.img"
"$STARLAB" ls --format json "$T/cut.img" >"$T/cut.json" || fail "starlab on cut.img"
expect_entry "$T/cut.json" "cut.img:squashfs" container
expect_incomplete "$T/cut.json" 'cut.img:squashfs: image of [0-9]+ bytes is cut short'
echo ok
