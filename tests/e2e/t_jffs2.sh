#!/usr/bin/env bash
# JFFS2 images made by mkfs.jffs2 (mtd-utils): every compressor it has
# (zlib, lzo, rtime, none), both byte orders, 64 and 128 KiB erase blocks,
# with and without --pad and cleanmarkers, owners kept and squashed; the
# OpenWrt LZMA and ZERO (hole) nodes, re-encoded from a real image; what a
# running kernel appends (new versions, truncation, unlink, holes, a
# directory cycle); a JFFS2 partition inside a flash dump; and damaged
# images (a broken header CRC, a broken data CRC, a truncated image).
. "$(dirname "$0")/lib.sh" || exit 1
need mkfs.jffs2 python3 gzip
mk_tree "$T/src"

# jt.py: list the nodes of an image, re-encode or extend one.
cat >"$T/jt.py" <<'PY'
import lzma, struct, sys, zlib

def jcrc(b):
    return zlib.crc32(b, 0xffffffff) ^ 0xffffffff

def endian(d):
    return ">" if d[:2] == b"\x19\x85" else "<"

def nodes(d):
    e = endian(d)
    pos = 0
    while pos + 12 <= len(d):
        magic, typ, totlen, crc = struct.unpack(e + "HHII", d[pos:pos + 12])
        if magic == 0x1985 and jcrc(d[pos:pos + 8]) == crc and 12 <= totlen <= len(d) - pos:
            yield pos, typ, totlen
            pos += (totlen + 3) & ~3
        else:
            pos += 4

def hdr(e, typ, totlen):
    h = struct.pack(e + "HHI", 0x1985, typ, totlen)
    return h + struct.pack(e + "I", jcrc(h))

def inode(e, ino, ver, mode, isize, offset, data, dsize, compr):
    body = struct.pack(e + "IIIHHIIIIIIIBBH", ino, ver, mode, 0, 0, isize,
                       0, 0, 0, offset, len(data), dsize, compr, 0, 0)
    n = hdr(e, 0xE002, 68 + len(data)) + body
    n += struct.pack(e + "I", jcrc(data))
    n += struct.pack(e + "I", jcrc(n[:60]))
    return n + data

def dirent(e, pino, ver, ino, name, dtype):
    n = hdr(e, 0xE001, 40 + len(name)) + struct.pack(
        e + "IIIIBBH", pino, ver, ino, 0, len(name), dtype, 0)
    n += struct.pack(e + "I", jcrc(n))
    return n + struct.pack(e + "I", jcrc(name)) + name

def pad4(b):
    return b + b"\xff" * (-len(b) & 3)

def cmd_nodes(img):
    d = open(img, "rb").read()
    e = endian(d)
    for pos, typ, totlen in nodes(d):
        compr = d[pos + 56] if typ == 0xE002 else -1
        print("%d %04x %d %d" % (pos, typ, totlen, compr))

def lzma1(data):
    f = [{"id": lzma.FILTER_LZMA1, "dict_size": 0x2000, "lc": 0, "lp": 0, "pb": 0}]
    return lzma.compress(data, format=lzma.FORMAT_RAW, filters=f)

def cmd_lzma(src, dst):
    """Re-encode the data nodes of a -m none image: ZERO for pages of
    zeros, OpenWrt LZMA where it is smaller."""
    d = open(src, "rb").read()
    e = endian(d)
    out = b""
    for pos, typ, totlen in nodes(d):
        n = d[pos:pos + totlen]
        if typ == 0xE002:
            f = struct.unpack(e + "IIIHHIIIIIIIBBH", n[12:60])
            ino, ver, mode, isize, offset, csize, dsize, compr = \
                f[0], f[1], f[2], f[5], f[9], f[10], f[11], f[12]
            data = n[68:68 + csize]
            if compr == 0 and dsize > 0 and (mode & 0o170000) == 0o100000:
                if data == b"\0" * dsize:
                    n = inode(e, ino, ver, mode, isize, offset, b"", dsize, 1)
                else:
                    z = lzma1(data)
                    if len(z) < len(data):
                        n = inode(e, ino, ver, mode, isize, offset, z, dsize, 8)
        if typ != 0x2003:
            out += pad4(n)
    open(dst, "wb").write(out)

def cmd_edit(src, dst):
    """Append what a running kernel would write: a new version of
    etc/passwd, etc/shadow truncated, www/index.html unlinked, a new file
    in a new directory, and the old name of a renamed file removed."""
    d = open(src, "rb").read()
    e = endian(d)
    dents, maxver, inos = {}, {}, {}
    for pos, typ, totlen in nodes(d):
        if typ == 0xE001:
            pino, ver, ino, _, nsize = struct.unpack(e + "IIIIB", d[pos + 12:pos + 29])
            name = d[pos + 40:pos + 40 + nsize]
            dents[(pino, name)] = ino
            maxver[pino] = max(maxver.get(pino, 0), ver)
        elif typ == 0xE002:
            ino, ver, mode = struct.unpack(e + "III", d[pos + 12:pos + 24])
            inos[ino] = (max(ver, inos.get(ino, (0, 0))[0]), mode)
    etc = dents[(1, b"etc")]
    www = dents[(1, b"www")]
    passwd = dents[(etc, b"passwd")]
    shadow = dents[(etc, b"shadow")]
    out = bytearray(d)
    def add(n):
        out.extend(pad4(n))
    new = b"root:x:0:0:root:/root:/bin/ash\n"
    v, mode = inos[passwd]
    add(inode(e, passwd, v + 1, mode, len(new), 0, new, len(new), 0))
    v, mode = inos[shadow]
    add(inode(e, shadow, v + 1, mode, 10, 0, b"", 0, 0))
    add(dirent(e, www, maxver[www] + 1, 0, b"index.html", 0))
    top = max(inos) + 1
    add(inode(e, top, 1, 0o40750, 0, 0, b"", 0, 0))
    add(dirent(e, 1, maxver[1] + 1, top, b"newdir", 4))
    blob = b"x" * 5000 + b"\0" * 3000
    add(inode(e, top + 1, 1, 0o100640, 9000, 0, blob[:4096], 4096, 0))
    add(inode(e, top + 1, 2, 0o100640, 9000, 4096, b"", 4096 - 2, 1))
    add(inode(e, top + 1, 3, 0o100640, 9000, 8192, zlib.compress(b"y" * 808), 808, 6))
    add(inode(e, top + 1, 4, 0o100640, 9000, 1000, b"z" * 100, 100, 0))
    add(dirent(e, top, 1, top + 1, b"log", 8))
    # A loop of two directories that do not reach the root.
    add(inode(e, top + 2, 1, 0o40755, 0, 0, b"", 0, 0))
    add(inode(e, top + 3, 1, 0o40755, 0, 0, b"", 0, 0))
    add(dirent(e, top + 2, 1, top + 3, b"loop-a", 4))
    add(dirent(e, top + 3, 1, top + 2, b"loop-b", 4))
    open(dst, "wb").write(out)

def cmd_corrupt(img, off, n):
    d = bytearray(open(img, "rb").read())
    for i in range(int(off), int(off) + int(n)):
        d[i] ^= 0x5a
    open(img, "wb").write(d)

{"nodes": cmd_nodes, "lzma": cmd_lzma, "edit": cmd_edit,
 "corrupt": cmd_corrupt}[sys.argv[1]](*sys.argv[2:])
PY
jt() { python3 "$T/jt.py" "$@"; }

# ls IMG: list IMG into IMG.json; the container must be IMG:jffs2.
ls_img() {
	"$STARLAB" ls --format json "$1" >"$1.json"
	expect_entry "$1.json" "$(basename "$1"):jffs2" container
}

# Container size (bytes the filesystem occupies) as listed.
csize() {
	json_get "$1.json" "[e for e in j['entries'] if e['path']=='$2'][0]['size']"
}

# Node compression methods used in IMG, as "compr count" lines.
comprs() { jt nodes "$1" | awk '$2 == "e002" { print $4 }' | sort -u | tr '\n' ' '; }

n=0
while read -r want opts; do
	n=$((n + 1))
	img="$T/m$n.img"
	# shellcheck disable=SC2086
	mkfs.jffs2 $opts -r "$T/src" -o "$img"
	used=$(comprs "$img")
	case " $used" in
	*" $want "*) ;;
	*) fail "mkfs.jffs2 $opts: no nodes of compression $want ($used)" ;;
	esac
	ls_img "$img"
	check_tree "$img.json" "m$n.img:jffs2" "$T/src" --exact --owner 0:0
	[ "$(json_get "$img.json" 'len(j["incomplete"])')" = 0 ] ||
		fail "mkfs.jffs2 $opts: incomplete reasons on a clean image"
	sz=$(stat -c %s "$img")
	[ "$(csize "$img" "m$n.img:jffs2")" = "$sz" ] ||
		fail "mkfs.jffs2 $opts: container size is not the image size ($sz)"
done <<'CASES'
6 -l
6 -b
7 -l -X lzo
7 -b -X lzo
2 -l -x zlib
2 -b -x zlib
0 -l -m none
0 -b -m none
6 -l -e 128KiB
7 -b -e 128KiB -X lzo
6 -l --pad
6 -b -e 128KiB --pad
6 -l -n
6 -l -n -e 128KiB --pad
CASES

# Owners: kept from the tree, or squashed to 0:0 by -U and -q.
if cp -a "$T/src" "$T/own" && chown -R -h 1000:1001 "$T/own" 2>/dev/null; then
	chmod 4755 "$T/own/bin/busybox" # chown cleared set-id
	mkfs.jffs2 -l -r "$T/own" -o "$T/own.img"
	ls_img "$T/own.img"
	check_tree "$T/own.img.json" own.img:jffs2 "$T/own" --exact --owner 1000:1001
	mkfs.jffs2 -b -U -r "$T/own" -o "$T/own.img"
	ls_img "$T/own.img"
	check_tree "$T/own.img.json" own.img:jffs2 "$T/own" --exact --owner 0:0
	mkfs.jffs2 -l -q -r "$T/own" -o "$T/own.img"
	ls_img "$T/own.img"
	check_tree "$T/own.img.json" own.img:jffs2 "$T/own" --exact --owner 0:0 --no-mode
else
	echo "note: cannot chown here; owner cases skipped"
fi

# Device nodes from a device table, a fifo from the tree.
mkdir "$T/devsrc"
mkfifo -m 0644 "$T/devsrc/fifo"
printf '%s\n' '/dev d 755 0 0 - - - - -' '/dev/console c 600 0 5 5 1 - - -' \
	'/dev/mtdblock b 640 0 6 31 0 0 1 2' >"$T/dev.tab"
mkfs.jffs2 -b -D "$T/dev.tab" -r "$T/devsrc" -o "$T/dev.img"
ls_img "$T/dev.img"
python3 - "$T/dev.img.json" <<'PY' || fail "device nodes"
import json, sys
j = {e["path"]: e for e in json.load(open(sys.argv[1]))["entries"]}
want = {"dev": ("dir", "0755", 0), "dev/console": ("chardev", "0600", 5),
        "dev/mtdblock0": ("blockdev", "0640", 6),
        "dev/mtdblock1": ("blockdev", "0640", 6),
        "fifo": ("fifo", "0644", 0)}
got = {p[len("dev.img:jffs2!/"):]: (e["type"], e["mode"], e["gid"])
       for p, e in j.items() if p.startswith("dev.img:jffs2!/")}
if got != want:
    print(got, file=sys.stderr)
    sys.exit(1)
PY

# OpenWrt LZMA and ZERO nodes (no mkfs.jffs2 here writes them).
for e in -l -b; do
	mkfs.jffs2 $e -n -m none -r "$T/src" -o "$T/plain.img"
	jt lzma "$T/plain.img" "$T/lzma.img"
	used=" $(comprs "$T/lzma.img")"
	case $used in *" 1 "*) ;; *) fail "no ZERO nodes ($used)" ;; esac
	case $used in *" 8 "*) ;; *) fail "no LZMA nodes ($used)" ;; esac
	ls_img "$T/lzma.img"
	check_tree "$T/lzma.img.json" lzma.img:jffs2 "$T/src" --exact
done

# What a running kernel appends: newest versions win, unlinks hide names,
# truncation cuts, holes read as zeros, a cycle is refused and recorded.
mkfs.jffs2 -l -r "$T/src" -o "$T/base.img"
jt edit "$T/base.img" "$T/edit.img"
cp -a "$T/src" "$T/want"
printf 'root:x:0:0:root:/root:/bin/ash\n' >"$T/want/etc/passwd"
truncate -s 10 "$T/want/etc/shadow"
rm "$T/want/www/index.html"
mkdir -m 0750 "$T/want/newdir"
python3 - "$T/want/newdir/log" <<'PY'
import sys
b = bytearray(b"x" * 4096 + b"\0" * 4096 + b"y" * 808)
b[1000:1100] = b"z" * 100
open(sys.argv[1], "wb").write(b)
PY
chmod 0640 "$T/want/newdir/log"
ls_img "$T/edit.img"
check_tree "$T/edit.img.json" edit.img:jffs2 "$T/want" --exact
expect_incomplete "$T/edit.img.json" 'edit\.img:jffs2: entry "loop-.*directory cycle'

# A flash dump: 64 KiB of other bytes, the padded filesystem, an erased
# block, a gzip stream at the next block.  The filesystem ends where its
# last erase block does; without cleanmarkers the block size is unknown
# and the erased block after it is taken in too.  The gzip stream is
# found either way.
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(65536)))' >"$T/pre.bin"
printf 'hello from a gzip stream after the filesystem\n%.0s' {1..40} | gzip -9 >"$T/after.gz"
for o in "" "-n"; do
	want=131072
	[ -z "$o" ] || want=196608
	# shellcheck disable=SC2086
	mkfs.jffs2 -l $o --pad -r "$T/src" -o "$T/part.img"
	{
		cat "$T/pre.bin" "$T/part.img"
		head -c 65536 /dev/zero | tr '\0' '\377'
		cat "$T/after.gz"
		head -c 5000 /dev/zero
	} >"$T/flash.bin"
	"$STARLAB" ls --format json "$T/flash.bin" >"$T/flash.json"
	expect_entry "$T/flash.json" "flash.bin@0x10000:jffs2" container
	expect_entry "$T/flash.json" "flash.bin@0x40000:gzip" container
	check_tree "$T/flash.json" "flash.bin@0x10000:jffs2" "$T/src" --exact
	[ "$(csize "$T/flash" "flash.bin@0x10000:jffs2")" = "$want" ] ||
		fail "flash dump ($o): the filesystem should occupy $want bytes"
done

# Damage.  dmg IMG: the other files are still listed with their content.
mkfs.jffs2 -l -r "$T/src" -o "$T/good.img"
off=$(jt nodes "$T/good.img" | awk '$2 == "e002" { n++ } n == 40 { print $1; exit }')
hex=$(printf '0x%x' "$off")
others() {
	rm -rf "$T/others"
	cp -a "$T/src" "$T/others"
	rm "$T/others/usr/lib/big.txt"
	check_tree "$1" "$2" "$T/others"
}
# A broken header CRC (the 40th inode node, inside usr/lib/big.txt).
cp "$T/good.img" "$T/hdr.img"
jt corrupt "$T/hdr.img" $((off + 4)) 2
ls_img "$T/hdr.img"
expect_incomplete "$T/hdr.img.json" "hdr\.img:jffs2: node header CRC mismatch at offset $hex\$"
others "$T/hdr.img.json" hdr.img:jffs2
# A broken data CRC names the file.
cp "$T/good.img" "$T/data.img"
jt corrupt "$T/data.img" $((off + 100)) 3
ls_img "$T/data.img"
expect_incomplete "$T/data.img.json" "data\.img:jffs2: usr/lib/big\.txt: data node at offset $hex fails its data CRC"
others "$T/data.img.json" data.img:jffs2
# Truncated inside that node: what comes before it is intact.
head -c $((off + 30)) "$T/good.img" >"$T/cut.img"
ls_img "$T/cut.img"
expect_incomplete "$T/cut.img.json" "cut\.img:jffs2: node at offset $hex \([0-9]+ bytes\) runs past the end of the image"
expect_incomplete "$T/cut.img.json" "cut\.img:jffs2: usr/lib/big\.txt: bytes [0-9]+ to 324000 of 324000 are in no valid data node"
for f in etc/passwd etc/shadow bin/busybox etc/init.d/rcS; do
	sha=$(json_get "$T/cut.img.json" "[e for e in j['entries'] if e['path']=='cut.img:jffs2!/$f'][0]['sha256']")
	[ "$sha" = "$(sha256sum <"$T/src/$f" | cut -d' ' -f1)" ] ||
		fail "truncated image: $f content"
done
# Garbage bytes in place of a whole erase block do not crash anything.
mkfs.jffs2 -b -e 64KiB --pad=262144 -r "$T/src" -o "$T/blk.img"
python3 - "$T/blk.img" <<'PY'
import random, sys
d = bytearray(open(sys.argv[1], "rb").read())
r = random.Random(3)
d[65536:65536 + 4096] = bytes(r.getrandbits(8) for _ in range(4096))
open(sys.argv[1], "wb").write(d)
PY
"$STARLAB" ls --format json "$T/blk.img" >"$T/blk.json"
expect_entry "$T/blk.json" "blk.img:jffs2" container
echo ok
