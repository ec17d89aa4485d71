#!/usr/bin/env bash
# UBI and UBIFS: mkfs.ubifs images with each compressor, hard links,
# holes and device nodes; a replayed journal; a ubinize image with a
# dynamic UBIFS volume and two static volumes, bare, carved out of a larger
# blob and laid out as a raw flash dump; damaged and truncated images.
. "$(dirname "$0")/lib.sh" || exit 1
need mkfs.ubifs ubinize python3 sha256sum
SL=$STARLAB
mk_tree "$T/tree"
# A hard link, a sparse file and a file of many blocks, beyond mk_tree.
mkdir -p "$T/tree2/a/b/c"
cp -r "$T/tree/etc" "$T/tree2/"
printf 'linked\n' >"$T/tree2/a/one"
ln "$T/tree2/a/one" "$T/tree2/a/b/two"
python3 - "$T/tree2/a/b/c/sparse" "$T/tree2/a/big.bin" <<'PY'
import random, sys
with open(sys.argv[1], "wb") as f:
    f.write(b"head")
    f.seek(3 * 4096 + 100)
    f.write(b"tail")
r = random.Random(7)
open(sys.argv[2], "wb").write(bytes(r.getrandbits(8) for _ in range(300000)))
PY
own="$(id -u):$(id -g)"
sha() { sha256sum <"$1" | cut -d' ' -f1; }
entry() { json_get "$1" "[e for e in j['entries'] if e['path']=='$2'][0]['$3']"; }

# Bare UBIFS images, one per compressor (zstd only where mkfs.ubifs has it).
for c in lzo zlib zstd none; do
	if ! mkfs.ubifs -m 2048 -e 126976 -c 100 -x "$c" -r "$T/tree" \
		"$T/fs-$c.ubifs" 2>"$T/mkfs.err"; then
		[ "$c" = zstd ] && continue
		cat "$T/mkfs.err" >&2
		fail "mkfs.ubifs -x $c"
	fi
	"$SL" ls --format json "$T/fs-$c.ubifs" >"$T/fs-$c.json"
	expect_entry "$T/fs-$c.json" "fs-$c.ubifs:ubifs" container
	check_tree "$T/fs-$c.json" "fs-$c.ubifs:ubifs" "$T/tree" --exact \
		--owner "$own"
	[ "$(json_get "$T/fs-$c.json" 'len(j["incomplete"])')" = 0 ] ||
		fail "fs-$c.ubifs: unexpected incomplete reasons"
done

# Hard links, holes, a deeper tree.
mkfs.ubifs -m 2048 -e 126976 -c 100 -x zlib -r "$T/tree2" "$T/fs2.ubifs"
"$SL" ls --format json "$T/fs2.ubifs" >"$T/fs2.json"
check_tree "$T/fs2.json" "fs2.ubifs:ubifs" "$T/tree2" --exact
p="fs2.ubifs:ubifs!/a"
one=$(entry "$T/fs2.json" "$p/one" type)
two=$(entry "$T/fs2.json" "$p/b/two" type)
[ "$one/$two" = file/hardlink ] || fail "hard link types: $one/$two"
[ "$(entry "$T/fs2.json" "$p/b/two" link)" = a/one ] || fail "hard link target"

# Device nodes from a device table; extended attributes are not listed.
mkdir -p "$T/dt"
printf 'x\n' >"$T/dt/f"
python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.t", b"v")' \
	"$T/dt/f" 2>/dev/null || true
printf '%s\n' '/dev d 755 0 0 - - - - -' '/dev/console c 600 0 0 5 1 - - -' \
	'/dev/sda b 640 0 6 8 0 - - -' '/dev/fifo p 644 0 0 - - - - -' \
	>"$T/devtab"
mkfs.ubifs -m 2048 -e 126976 -c 100 -D "$T/devtab" -r "$T/dt" "$T/dev.ubifs"
"$SL" ls --format json "$T/dev.ubifs" >"$T/dev.json"
expect_entry "$T/dev.json" "dev.ubifs:ubifs!/dev/console" chardev
expect_entry "$T/dev.json" "dev.ubifs:ubifs!/dev/sda" blockdev
expect_entry "$T/dev.json" "dev.ubifs:ubifs!/dev/fifo" fifo
[ "$(json_get "$T/dev.json" 'len(j["entries"])')" = 6 ] ||
	fail "dev.ubifs: unexpected entries"

# A journal written after the last commit is replayed over the index: a
# new file, a new version of etc/passwd, the deletion of etc/shadow, a
# truncation followed by growth.  No tool writes a journal without a
# kernel, so it is appended here node by node, as the kernel would: a
# reference node in the log naming a bud, and the nodes in the bud.
cp "$T/fs-lzo.ubifs" "$T/jnl.ubifs"
python3 - "$T/jnl.ubifs" >/dev/null <<'PY'
import struct, sys, zlib
path = sys.argv[1]
d = bytearray(open(path, "rb").read())
MAGIC = 0x06101831
leb = struct.unpack_from("<I", d, 36)[0]
log_lebs, lpt_lebs, orph_lebs = struct.unpack_from("<III", d, 56)
main = 3 + log_lebs + lpt_lebs + orph_lebs
nlebs = len(d) // leb

def crc(b):
    return zlib.crc32(b) ^ 0xffffffff

def nodes(lnum):
    off = 0
    while off + 24 <= leb:
        m, _, sq, ln, t = struct.unpack_from("<IIQIB", d, lnum * leb + off)
        if m != MAGIC:
            return
        yield off, t, sq, ln
        if t == 5:
            off += ln + struct.unpack_from("<I", d, lnum * leb + off + 24)[0]
        else:
            off += (ln + 7) & ~7

maxsq, dents = 0, {}
for lnum in range(nlebs):
    for off, t, sq, ln in nodes(lnum):
        maxsq = max(maxsq, sq)
        p = lnum * leb + off
        if t == 2:
            parent = struct.unpack_from("<I", d, p + 24)[0]
            inum = struct.unpack_from("<Q", d, p + 40)[0]
            nlen = struct.unpack_from("<H", d, p + 50)[0]
            dents[(parent, bytes(d[p + 56:p + 56 + nlen]))] = inum
sq = maxsq

def node(t, body):
    global sq
    sq += 1
    n = struct.pack("<IIQIBBH", MAGIC, 0, sq, 24 + len(body), t, 0, 0) + body
    n = n[:4] + struct.pack("<I", crc(n[8:])) + n[8:]
    return n + b"\0" * (-len(n) % 8)

def key(inum, kt, v):
    return struct.pack("<II", inum, kt << 29 | v) + b"\0" * 8

def ino(inum, size, nlink, mode=0o100644):
    b = key(inum, 0, 0) + struct.pack("<QQQQQIIIIIIIIIII4sIH26s", 0, size,
        0, 0, 1700000000, 0, 0, 0, nlink, 0, 0, mode, 0, 0, 0, 0,
        b"", 0, 0, b"")
    return node(0, b)

def dent(parent, name, inum):
    return node(2, key(parent, 2, 12345) + struct.pack("<QBBHI", inum, 0, 0,
        len(name), 0) + name + b"\0")

def data(inum, block, content):
    return node(1, key(inum, 1, block) + struct.pack("<IHH", len(content),
        0, 0) + content)

etc = dents[(1, b"etc")]
shadow = dents[(etc, b"shadow")]
passwd = dents[(etc, b"passwd")]
new = b"root:x:0:0:journal:/root:/bin/sh\n"
bud = ino(5000, 6, 1) + data(5000, 0, b"hello\n") + dent(1, b"journal.txt", 5000)
bud += data(passwd, 0, new) + ino(passwd, len(new), 1)
bud += dent(etc, b"shadow", 0) + ino(shadow, 0, 0)
# usr/lib/big.txt cut to 100 bytes, then grown to 10000: a hole after.
big = dents[(dents[(dents[(1, b"usr")], b"lib")], b"big.txt")]
bud += node(4, struct.pack("<I12sQQ", big, b"", 324000, 100)) + ino(big, 100, 1)
bud += data(big, 0, b"".join(b"line %06d of a text file\n" % i for i in range(4))[:100])
bud += ino(big, 10000, 1)
bl = next(l for l in range(main, nlebs) if all(b == 0xff for b in d[l * leb:(l + 1) * leb]))
d[bl * leb:bl * leb + len(bud)] = bud
# The log: LEB 3 holds the commit start node and padding to the first
# write unit; the reference goes after it.
end = max(off + ln + (struct.unpack_from("<I", d, 3 * leb + off + 24)[0] if t == 5 else 0)
          for off, t, _, ln in nodes(3))
end = (end + 7) & ~7
ref = node(8, struct.pack("<III", bl, 0, 1) + b"\0" * 28)
d[3 * leb + end:3 * leb + end + len(ref)] = ref
open(path, "wb").write(d)
print(bl)
PY
"$SL" ls --format json "$T/jnl.ubifs" >"$T/jnl.json"
p="jnl.ubifs:ubifs!"
[ "$(entry "$T/jnl.json" "$p/journal.txt" sha256)" = \
	"$(printf 'hello\n' | sha256sum | cut -d' ' -f1)" ] || fail "journal: new file"
[ "$(entry "$T/jnl.json" "$p/etc/passwd" sha256)" = \
	"$(printf 'root:x:0:0:journal:/root:/bin/sh\n' | sha256sum | cut -d' ' -f1)" ] ||
	fail "journal: rewritten file"
[ "$(entry "$T/jnl.json" "$p/usr/lib/big.txt" sha256)" = "$(python3 -c '
import hashlib, sys
d = open(sys.argv[1], "rb").read()[:100]
print(hashlib.sha256(d + bytes(9900)).hexdigest())' "$T/tree/usr/lib/big.txt")" ] ||
	fail "journal: truncated file"
json_get "$T/jnl.json" "[e['path'] for e in j['entries']]" | grep -q shadow &&
	fail "journal: deleted file still listed"
[ "$(json_get "$T/jnl.json" 'len(j["incomplete"])')" = 0 ] ||
	fail "jnl.ubifs: unexpected incomplete reasons"

# A UBI image: a dynamic UBIFS volume and two static volumes, one of them
# spanning several LEBs.
head -c 3000 /dev/urandom >"$T/blob.bin"
head -c 300000 /dev/urandom >"$T/kernel.bin"
cat >"$T/ubi.ini" <<EOF
[rootfs]
mode=ubi
image=$T/fs-lzo.ubifs
vol_id=0
vol_type=dynamic
vol_name=rootfs
vol_flags=autoresize
[blob]
mode=ubi
image=$T/blob.bin
vol_id=1
vol_type=static
vol_name=blob
[kernel]
mode=ubi
image=$T/kernel.bin
vol_id=2
vol_type=static
vol_name=kernel
EOF
ubinize -o "$T/img.ubi" -p 128KiB -m 2048 "$T/ubi.ini" 2>/dev/null
"$SL" ls --format json "$T/img.ubi" >"$T/img.json"
expect_entry "$T/img.json" "img.ubi:ubi" container
expect_entry "$T/img.json" "img.ubi:ubi!/rootfs" file
expect_entry "$T/img.json" "img.ubi:ubi!/rootfs:ubifs" container
check_tree "$T/img.json" "img.ubi:ubi!/rootfs:ubifs" "$T/tree" --exact \
	--owner "$own"
[ "$(entry "$T/img.json" 'img.ubi:ubi!/blob' sha256)" = "$(sha "$T/blob.bin")" ] ||
	fail "static volume blob sha256"
[ "$(entry "$T/img.json" 'img.ubi:ubi!/kernel' sha256)" = "$(sha "$T/kernel.bin")" ] ||
	fail "static volume kernel sha256"
[ "$(json_get "$T/img.json" 'len(j["incomplete"])')" = 0 ] ||
	fail "img.ubi: unexpected incomplete reasons"

# Carved out of a larger blob: 3000 bytes before it, padding after.
{ head -c 3000 /dev/urandom; cat "$T/img.ubi"; head -c 70000 /dev/zero; } \
	>"$T/fw.bin"
"$SL" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0xbb8:ubi" container
check_tree "$T/fw.json" "fw.bin@0xbb8:ubi!/rootfs:ubifs" "$T/tree" --exact

# As in a raw flash dump: an erased PEB and a bad block inside the UBI
# area, erased PEBs after it (left as padding).
python3 - "$T/img.ubi" "$T/raw.bin" <<'PY'
import random, sys
d, P = open(sys.argv[1], "rb").read(), 131072
pebs = [d[i:i + P] for i in range(0, len(d), P)]
junk = random.Random(3).randbytes(P)
out = pebs[:2] + [b"\xff" * P, junk] + pebs[2:] + [b"\xff" * P] * 2
open(sys.argv[2], "wb").write(b"".join(out))
PY
"$SL" ls --format json "$T/raw.bin" >"$T/raw.json"
check_tree "$T/raw.json" "raw.bin:ubi!/rootfs:ubifs" "$T/tree" --exact
expect_incomplete "$T/raw.json" 'raw.bin:ubi: 1 unreadable PEB\(s\) before offset 0x80000'
[ "$(entry "$T/raw.json" 'raw.bin:ubi!/kernel' sha256)" = "$(sha "$T/kernel.bin")" ] ||
	fail "raw dump: kernel volume sha256"
[ "$(entry "$T/raw.json" 'raw.bin@0x2c0000' note)" = "padding (0xff)" ] ||
	fail "raw dump: trailing erased PEBs"

# Both copies of the volume table damaged: volumes are named by id.
python3 - "$T/img.ubi" "$T/novt.ubi" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for peb in (0, 1):
    d[peb * 131072 + 4096 + 20] ^= 1
open(sys.argv[2], "wb").write(d)
PY
"$SL" ls --format json "$T/novt.ubi" >"$T/novt.json"
expect_incomplete "$T/novt.json" 'novt.ubi:ubi: the volume table .* is missing or damaged'
check_tree "$T/novt.json" "novt.ubi:ubi!/vol_0:ubifs" "$T/tree" --exact
[ "$(entry "$T/novt.json" 'novt.ubi:ubi!/vol_1' sha256)" = "$(sha "$T/blob.bin")" ] ||
	fail "no volume table: vol_1 sha256"

# Damage 1: bytes in the middle of the first UBIFS main-area LEB, where
# mkfs.ubifs puts data nodes (rootfs LEB n is in PEB n + 2, after the two
# layout volume PEBs).  Everything is still listed; the damaged file is
# named.
cp "$T/img.ubi" "$T/dmg.ubi"
python3 - "$T/dmg.ubi" "$T/fs-lzo.ubifs" <<'PY'
import struct, sys
sb = open(sys.argv[2], "rb").read(4096)
main = 3 + sum(struct.unpack_from("<III", sb, 56))
with open(sys.argv[1], "r+b") as f:
    f.seek((main + 2) * 131072 + 4096 + 0x8000)
    f.write(b"\x55" * 64)
PY
"$SL" ls --format json "$T/dmg.ubi" >"$T/dmg.json"
expect_incomplete "$T/dmg.json" \
	'rootfs:ubifs!/.*data block\(s\) lost; .*LEB [0-9]+ offset 0x[0-9a-f]+ is damaged'
python3 "$SL_SRC/tests/e2e/tree_compare.py" "$T/dmg.json" \
	"dmg.ubi:ubi!/rootfs:ubifs" "$T/tree" --exact >/dev/null 2>"$T/diff" || true
grep -v 'sha256 differs\|difference' "$T/diff" && fail "damage lost more than content"
[ "$(grep -c 'sha256 differs' "$T/diff")" -le 1 ] || fail "damage hit too many files"

# Damage 2: the VID header of the blob volume's PEB; the rest is intact.
cp "$T/img.ubi" "$T/vid.ubi"
python3 - "$T/vid.ubi" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(16 * 131072 + 2048 + 12)
    f.write(b"\x07")
PY
"$SL" ls --format json "$T/vid.ubi" >"$T/vid.json"
expect_incomplete "$T/vid.json" \
	'vid.ubi:ubi: PEB 16 at offset 0x200000: volume identifier header damaged'
expect_incomplete "$T/vid.json" 'volume "blob": none of its LEBs was found'
check_tree "$T/vid.json" "vid.ubi:ubi!/rootfs:ubifs" "$T/tree" --exact

# Damage 3: a static volume's data CRC.
cp "$T/img.ubi" "$T/crc.ubi"
python3 - "$T/crc.ubi" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(17 * 131072 + 4096 + 100)
    f.write(b"\x00\x01\x02")
PY
"$SL" ls --format json "$T/crc.ubi" >"$T/crc.json"
expect_incomplete "$T/crc.json" 'volume "kernel" LEB 0 \(PEB at offset 0x220000\): data CRC mismatch'

# Damage 4: cut inside the UBIFS volume, losing its index: the nodes that
# remain are found by scanning, and the cut is named.
head -c $((13 * 131072 + 5000)) "$T/img.ubi" >"$T/cut.ubi"
"$SL" ls --format json "$T/cut.ubi" >"$T/cut.json"
expect_incomplete "$T/cut.json" 'cut.ubi:ubi: PEB 13 at offset 0x1a0000 is cut short'
expect_incomplete "$T/cut.json" 'rootfs:ubifs: the index root node at LEB [0-9]+ .* past the end'
expect_incomplete "$T/cut.json" 'rootfs:ubifs: no usable index'
expect_entry "$T/cut.json" "cut.ubi:ubi!/rootfs:ubifs!/etc/passwd" file
[ "$(entry "$T/cut.json" 'cut.ubi:ubi!/rootfs:ubifs!/etc/passwd' sha256)" = \
	"$(sha "$T/tree/etc/passwd")" ] || fail "cut image: etc/passwd sha256"

# A bare UBIFS cut short.
head -c $((11 * 126976 + 3000)) "$T/fs-zlib.ubifs" >"$T/cut.ubifs"
"$SL" ls --format json "$T/cut.ubifs" >"$T/cutfs.json"
expect_incomplete "$T/cutfs.json" 'cut.ubifs:ubifs: the image ends inside LEB 11 of [0-9]+'
echo ok
