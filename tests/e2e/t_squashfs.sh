#!/usr/bin/env bash
# SquashFS 4.0 images made by mksquashfs with each of its six compressors,
# compared with the source tree; owners with and without -all-root; device,
# fifo, socket and hard-link entries from pseudo definitions; a squashfs
# carved out of a blob and one nested in a gzip stream; corrupted data,
# corrupted metadata, a directory loop, an absurd link length and a
# truncated image.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs python3 gzip

mk_tree "$T/src"
mksq() { # SRC OUT [mksquashfs options]
	local src=$1 out=$2
	shift 2
	mksquashfs "$src" "$out" -noappend -quiet -no-progress "$@" \
		>/dev/null ||
		fail "mksquashfs $* failed"
}

# Every compressor, all files owned by root.
for comp in gzip xz lzma lzo lz4 zstd; do
	mksq "$T/src" "$T/$comp.sqfs" -comp "$comp" -all-root
	"$STARLAB" ls --format json "$T/$comp.sqfs" >"$T/$comp.json" ||
		fail "starlab ls on the $comp image"
	expect_entry "$T/$comp.json" "$comp.sqfs:squashfs" container
	expect_entry "$T/$comp.json" "$comp.sqfs:squashfs!/etc/passwd" file
	check_tree "$T/$comp.json" "$comp.sqfs:squashfs" "$T/src" --exact \
		--owner 0:0
	n=$(json_get "$T/$comp.json" 'len(j["incomplete"])')
	[ "$n" = 0 ] || fail "$comp image: unexpected incomplete reasons"
done

# OpenWrt's squashfs-xz: BCJ filter, dictionary as large as the 256 KiB
# block (Debian's mksquashfs has no MIPS filter; ARM is the same field).
# OpenWrt's own mksquashfs fork writes compressor options libsquashfs
# rejects (its 12-byte xz block starts 14 00 09 00: no valid dictionary
# size); the decoder needs none of them.  Both read completely, with no
# incomplete entry.
mksq "$T/src" "$T/owrt.sqfs" -comp xz -Xbcj arm -Xdict-size 100% -b 256K \
	-all-root
python3 - "$T/owrt.sqfs" "$T/owrt-bad.sqfs" <<'PY'
import struct, sys
img = bytearray(open(sys.argv[1], "rb").read())
flags = struct.unpack_from("<H", img, 24)[0]
assert flags & 0x0400, "mksquashfs wrote no compressor options"
hdr = struct.unpack_from("<H", img, 96)[0]
assert hdr == 0x8008, "options block: want 8 uncompressed bytes, got %#x" % hdr
struct.pack_into("<II", img, 98, 0x00090014, 0x00400090)
open(sys.argv[2], "wb").write(img)
PY
for v in owrt owrt-bad; do
	"$STARLAB" ls --format json "$T/$v.sqfs" >"$T/$v.json" ||
		fail "starlab ls on the $v image"
	check_tree "$T/$v.json" "$v.sqfs:squashfs" "$T/src" --exact --owner 0:0
	n=$(json_get "$T/$v.json" 'len(j["incomplete"])')
	[ "$n" = 0 ] || fail "$v image: incomplete: $(json_get "$T/$v.json" 'j["incomplete"]')"
	"$STARLAB" firmware --format json "$T/$v.sqfs" >"$T/$v.fw.json" || [ $? = 1 ] ||
		fail "starlab firmware on the $v image"
	n=$(json_get "$T/$v.fw.json" 'len(j["incomplete"])')
	[ "$n" = 0 ] || fail "$v image: firmware report incomplete: $(json_get "$T/$v.fw.json" 'j["incomplete"]')"
done

# Small blocks and tail ends packed into fragments: files with both full
# blocks and a fragment.
mksq "$T/src" "$T/tail.sqfs" -comp xz -b 4K -tailends -all-root
"$STARLAB" ls --format json "$T/tail.sqfs" >"$T/tail.json"
check_tree "$T/tail.json" "tail.sqfs:squashfs" "$T/src" --exact --owner 0:0

# Owners kept as created: the tree as the test made it, and (as root) a
# copy given an owner that is not 0, so the uid/gid table is really read.
mksq "$T/src" "$T/own.sqfs" -comp gzip
"$STARLAB" ls --format json "$T/own.sqfs" >"$T/own.json"
check_tree "$T/own.json" "own.sqfs:squashfs" "$T/src" --exact \
	--owner "$(id -u):$(id -g)"
if [ "$(id -u)" = 0 ]; then
	cp -a "$T/src" "$T/src2"
	chown -hR 1234:5678 "$T/src2"
	mksq "$T/src2" "$T/own2.sqfs" -comp zstd
	"$STARLAB" ls --format json "$T/own2.sqfs" >"$T/own2.json"
	check_tree "$T/own2.json" "own2.sqfs:squashfs" "$T/src2" --exact \
		--owner 1234:5678
fi

# Devices, fifo, socket, hard link, with their own owners.
mksq "$T/src" "$T/dev.sqfs" -comp lz4 \
	-p "dev d 755 0 0" \
	-p "dev/console c 600 0 5 5 1" \
	-p "dev/mtdblock0 b 640 0 6 31 0" \
	-p "dev/initctl i 600 0 0 f" \
	-p "dev/log i 666 101 102 s" \
	-p "bin/sh-hard l $T/src/bin/busybox"
"$STARLAB" ls --format json "$T/dev.sqfs" >"$T/dev.json"
check_tree "$T/dev.json" "dev.sqfs:squashfs" "$T/src" \
	--owner "$(id -u):$(id -g)"
python3 - "$T/dev.json" "$(id -u)" "$(id -g)" <<'PY' ||
import json, sys
j = json.load(open(sys.argv[1]))
uid, gid = int(sys.argv[2]), int(sys.argv[3])
e = {x["path"][len("dev.sqfs:squashfs!/"):]: x for x in j["entries"]
     if x["path"].startswith("dev.sqfs:squashfs!/")}
want = {
    "dev": ("dir", "0755", 0, 0),
    "dev/console": ("chardev", "0600", 0, 5),
    "dev/mtdblock0": ("blockdev", "0640", 0, 6),
    "dev/initctl": ("fifo", "0600", 0, 0),
    "dev/log": ("socket", "0666", 101, 102),
    "bin/sh-hard": ("file", "4755", uid, gid),
}
def got(k):
    return tuple(e[k][f] for f in ("type", "mode", "uid", "gid"))
bad = [k for k, v in want.items() if k not in e or got(k) != v]
if bad:
    print("wrong or missing:", bad, [e.get(k) for k in bad], file=sys.stderr)
    sys.exit(1)
if e["bin/sh-hard"]["sha256"] != e["bin/busybox"]["sha256"]:
    sys.exit("hard link content differs")
PY
	fail "special files in dev.sqfs"

# Carved out of a blob: the container ends after its 4 KiB padding and the
# bytes after it are a region of their own.
head -c 65536 /dev/urandom >"$T/fw.bin"
cat "$T/gzip.sqfs" >>"$T/fw.bin"
printf 'TRAILER-AFTER-THE-FILESYSTEM' >>"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x10000:squashfs" container
check_tree "$T/fw.json" "fw.bin@0x10000:squashfs" "$T/src" --exact
size=$(stat -c %s "$T/gzip.sqfs")
got=$(json_get "$T/fw.json" \
	'[e["size"] for e in j["entries"] if e["path"] == "fw.bin@0x10000:squashfs"][0]')
[ "$got" = "$size" ] || fail "container size $got, want $size"
expect_entry "$T/fw.json" "fw.bin@0x$(printf %x $((65536 + size)))" region

# Nested in a gzip stream.
gzip -c "$T/xz.sqfs" >"$T/img.gz"
"$STARLAB" ls --format json "$T/img.gz" >"$T/gz.json"
expect_entry "$T/gz.json" "img.gz:gzip!/data:squashfs!/etc/passwd" file
check_tree "$T/gz.json" "img.gz:gzip!/data:squashfs" "$T/src" --exact

# Damaged: 4 KiB of random bytes at 60% of the image (in the data blocks).
corrupt() { # FILE OFFSET_PERCENT
	python3 - "$1" "$2" <<'PY'
import random, sys
p, pct = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read())
at = len(b) * pct // 100
b[at:at + 4096] = random.Random(7).randbytes(4096)
open(p, "wb").write(b)
PY
}
for comp in gzip xz; do
	cp "$T/$comp.sqfs" "$T/bad-$comp.sqfs"
	corrupt "$T/bad-$comp.sqfs" 60
	"$STARLAB" ls --format json "$T/bad-$comp.sqfs" >"$T/bad-$comp.json" ||
		fail "starlab failed on the corrupted $comp image"
	expect_entry "$T/bad-$comp.json" "bad-$comp.sqfs:squashfs" container
	expect_entry "$T/bad-$comp.json" \
		"bad-$comp.sqfs:squashfs!/etc/passwd" file
	expect_incomplete "$T/bad-$comp.json" \
		"bad-$comp\\.sqfs:squashfs!/usr/lib/.*squashfs data block"
done

# Damaged metadata: random bytes over the inode and directory tables.
python3 - "$T/gzip.sqfs" "$T/badmeta.sqfs" <<'PY'
import random, struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
ino, dirt = struct.unpack_from("<QQ", b, 64)
b[dirt + 2:dirt + 40] = random.Random(3).randbytes(38)
open(sys.argv[2], "wb").write(b)
PY
"$STARLAB" ls --format json "$T/badmeta.sqfs" >"$T/badmeta.json" ||
	fail "starlab failed on the image with damaged metadata"
expect_entry "$T/badmeta.json" "badmeta.sqfs:squashfs" container
expect_incomplete "$T/badmeta.json" 'badmeta\.sqfs:squashfs: (directory|root)'

# Hostile metadata, patched into an image whose inode and directory tables
# are stored uncompressed: a directory whose listing is the root's (a
# loop), and a symbolic link claiming a 4 GiB target.
mkdir -p "$T/hs/etc" "$T/hs/loopdir/inner"
echo hi >"$T/hs/etc/passwd"
ln -s passwd "$T/hs/etc/longlink"
echo x >"$T/hs/loopdir/inner/f"
mksq "$T/hs" "$T/hs.sqfs" -noI -comp gzip
python3 - "$T/hs.sqfs" "$T/loop.sqfs" "$T/biglink.sqfs" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
(root_ref,) = struct.unpack_from("<Q", b, 32)
ino, dirt = struct.unpack_from("<QQ", b, 64)
assert struct.unpack_from("<H", b, ino)[0] & 0x8000, "inode table compressed"
def inode_of(name):  # offset of an entry's inode, from its directory entry
    p = b.index(name, dirt)
    off, _, _, size = struct.unpack_from("<HhHH", b, p - 8)
    assert size == len(name) - 1
    return ino + 2 + off
root = ino + 2 + (root_ref & 0xFFFF)
start, _, size, off, _ = struct.unpack_from("<IIHHI", b, root + 16)
loop = bytearray(b)
d = inode_of(b"loopdir")
struct.pack_into("<I", loop, d + 16, start)
struct.pack_into("<HH", loop, d + 24, size, off)
open(sys.argv[2], "wb").write(loop)
big = bytearray(b)
struct.pack_into("<I", big, inode_of(b"longlink") + 20, 0xFFFFFFF0)
open(sys.argv[3], "wb").write(big)
PY
"$STARLAB" ls --format json "$T/loop.sqfs" >"$T/loop.json" ||
	fail "starlab failed on the directory loop"
expect_entry "$T/loop.json" "loop.sqfs:squashfs!/etc/passwd" file
expect_entry "$T/loop.json" "loop.sqfs:squashfs!/loopdir" dir
expect_incomplete "$T/loop.json" \
	'loop\.sqfs:squashfs: directory "loopdir" .* own ancestors'
"$STARLAB" ls --format json "$T/biglink.sqfs" >"$T/biglink.json" ||
	fail "starlab failed on the huge symbolic link"
expect_entry "$T/biglink.json" "biglink.sqfs:squashfs!/loopdir/inner/f" file
expect_incomplete "$T/biglink.json" \
	'biglink\.sqfs:squashfs: inode of "etc/longlink" .*longer than 4096'

# Truncated: half of the image, so its tables are gone.
head -c $(($(stat -c %s "$T/zstd.sqfs") / 2)) "$T/zstd.sqfs" >"$T/trunc.sqfs"
"$STARLAB" ls --format json "$T/trunc.sqfs" >"$T/trunc.json" ||
	fail "starlab failed on the truncated image"
expect_entry "$T/trunc.json" "trunc.sqfs:squashfs" container
expect_incomplete "$T/trunc.json" 'trunc\.sqfs:squashfs: image truncated'
echo ok
