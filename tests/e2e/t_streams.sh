#!/usr/bin/env bash
# Raw compressed streams made by the real tools (xz, xz --format=lzma,
# zstd, lz4, lz4 -l) carved out of random bytes: payload sha256, the
# compressed size (carving goes on after the stream), nested tar and cpio
# when those readers are built in, truncated and corrupt streams, 100 MB
# bombs, and a kernel with an appended initramfs wrapped in LZMA the way
# U-Boot images are.
. "$(dirname "$0")/lib.sh" || exit 1
need xz zstd lz4 gzip tar cpio python3

READERS="$SL_SRC/src/reader/reader_all.c"
has_reader() {
	grep -q "&Sl_reader_$1\b" "$READERS"
}

sha() {
	sha256sum <"$1" | cut -d' ' -f1
}

# field LS_JSON PATH KEY: one field of the entry with this path.
field() {
	json_get "$1" "[e for e in j['entries'] if e['path']=='$2'][0]['$3']"
}

# expect_fields LS_JSON PATH KEY VALUE [PATH KEY VALUE ...]: each entry
# exists and has that value (compared as strings); one python run.
expect_fields() {
	python3 - "$@" <<'PY' || fail "entries differ in $1"
import json, sys
j = json.load(open(sys.argv[1]))
ents = {e["path"]: e for e in j["entries"]}
a, bad = sys.argv[2:], 0
for i in range(0, len(a), 3):
    p, k, v = a[i:i + 3]
    got = ents.get(p, {}).get(k) if p in ents else "<no entry>"
    if str(got) != v:
        print("%s: %s is %s, want %s" % (p, k, got, v), file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
}

# rnd FILE N SEED: N deterministic pseudo-random bytes.
rnd() {
	python3 - "$@" <<'PY'
import random, sys
r = random.Random(int(sys.argv[3]))
open(sys.argv[1], "wb").write(r.randbytes(int(sys.argv[2])))
PY
}

# text FILE N: N numbered lines of text (compresses about 10:1).
text() {
	python3 - "$@" <<'PY'
import sys
open(sys.argv[1], "w").write("".join(
    "line %07d of a text file in the initramfs\n" % i
    for i in range(int(sys.argv[2]))))
PY
}

# compress FMT <in >out with the real tool.
compress() {
	case $1 in
	xz) xz -6 -c ;;
	lzma) xz --format=lzma -6 -c ;;
	zstd) zstd -q -c ;;
	lz4) lz4 -q -B4 -c ;; # 64 KiB blocks: a cut stream keeps some
	lz4-legacy) lz4 -q -l -c ;;
	esac
}

mk_tree "$T/tree"
(cd "$T/tree" && tar -cf "$T/tree.tar" .)
(cd "$T/tree" && find . | LC_ALL=C sort |
	cpio -o -H newc --quiet >"$T/tree.cpio")
text "$T/plain" 40000
rnd "$T/pre" 5000 1
rnd "$T/mid" 777 2

for f in xz lzma zstd lz4 lz4-legacy; do
	# fw.bin: random | tar stream | random | plain-data stream | zeros.
	compress $f <"$T/tree.tar" >"$T/a.$f"
	compress $f <"$T/plain" >"$T/b.$f"
	cat "$T/pre" "$T/a.$f" "$T/mid" "$T/b.$f" >"$T/fw.bin"
	head -c 3000 /dev/zero >>"$T/fw.bin"
	"$STARLAB" ls --format json "$T/fw.bin" >"$T/ls.$f.json"
	j=$T/ls.$f.json
	a=$(stat -c %s "$T/a.$f")
	b_off=$((5000 + a + 777))
	A=$(printf 'fw.bin@0x%x:%s' 5000 $f)
	B=$(printf 'fw.bin@0x%x:%s' $b_off $f)
	# The stream's size is its compressed size: the random bytes after
	# it are a region of their own.
	expect_fields "$j" \
	    "fw.bin@0x0" type region \
	    "$A" type container "$A" format "$f" "$A" size "$a" \
	    "$(printf 'fw.bin@0x%x' $((5000 + a)))" size 777 \
	    "$B" type container "$B" format "$f" \
	    "$(printf 'fw.bin@0x%x' $((b_off + $(stat -c %s "$T/b.$f"))))" \
	    size 3000 \
	    "$A!/data" sha256 "$(sha "$T/tree.tar")" \
	    "$B!/data" sha256 "$(sha "$T/plain")"
	[ "$(json_get "$j" 'j["incomplete"]')" = "[]" ] ||
		fail "$f: incomplete: $(json_get "$j" 'j["incomplete"]')"
	if has_reader tar; then
		check_tree "$j" "$A!/data:tar" "$T/tree"
	fi

	# cpio newc, the initramfs format, in the same stream format.
	compress $f <"$T/tree.cpio" >"$T/c.$f"
	cat "$T/pre" "$T/c.$f" >"$T/fwc.bin"
	"$STARLAB" ls --format json "$T/fwc.bin" >"$T/lsc.$f.json"
	C=$(printf 'fwc.bin@0x%x:%s' 5000 $f)
	expect_fields "$T/lsc.$f.json" \
	    "$C!/data" sha256 "$(sha "$T/tree.cpio")"
	if has_reader cpio; then
		check_tree "$T/lsc.$f.json" "$C!/data:cpio" "$T/tree"
	fi
done

# .lzma as the LZMA SDK writes it for U-Boot and OpenWrt: the size known
# in the header, lc=1 lp=2 pb=2 (props 0x6d), encoded by liblzma's raw
# LZMA1 encoder (xz itself always writes an unknown size).  Decoding stops
# at the size; the random bytes after it are a region.
python3 - "$T/tree.tar" "$T/sdk.lzma" <<'PY'
import lzma, struct, sys
d = open(sys.argv[1], "rb").read()
f = [{"id": lzma.FILTER_LZMA1, "dict_size": 1 << 23, "lc": 1, "lp": 2,
      "pb": 2}]
raw = lzma.compress(d, format=lzma.FORMAT_RAW, filters=f)
hdr = bytes([(2 * 5 + 2) * 9 + 1]) + struct.pack("<IQ", 1 << 23, len(d))
open(sys.argv[2], "wb").write(hdr + raw)
PY
cat "$T/pre" "$T/sdk.lzma" "$T/mid" >"$T/sdk.bin"
"$STARLAB" ls --format json "$T/sdk.bin" >"$T/sdk.json"
n=$(stat -c %s "$T/sdk.lzma")
expect_fields "$T/sdk.json" \
    "sdk.bin@0x1388:lzma" size "$n" \
    "sdk.bin@0x1388:lzma!/data" sha256 "$(sha "$T/tree.tar")" \
    "$(printf 'sdk.bin@0x%x' $((5000 + n)))" size 777
if has_reader tar; then
	check_tree "$T/sdk.json" "sdk.bin@0x1388:lzma!/data:tar" "$T/tree"
fi

# ---- damage --------------------------------------------------------
# A stream cut short keeps what decoded and names the place.  lz4 -l
# blocks hold 8 MiB, so its payload is larger (it compresses to ~1.2 MB).
text "$T/big" 230000
for f in xz lzma zstd lz4 lz4-legacy; do
	src=$T/plain
	[ $f = lz4-legacy ] && src=$T/big
	compress $f <"$src" >"$T/s.$f"
	n=$(stat -c %s "$T/s.$f")
	cat "$T/pre" "$T/s.$f" >"$T/cut.bin"
	truncate -s $((5000 + n * 9 / 10)) "$T/cut.bin"
	"$STARLAB" ls --format json "$T/cut.bin" >"$T/cut.json" ||
		fail "$f: ls of a cut stream failed"
	P="cut.bin@0x1388:$f"
	expect_incomplete "$T/cut.json" \
	    "^$P: stream truncated or corrupt after [0-9]+ bytes"
	got=$(field "$T/cut.json" "$P!/data" size)
	[ "$got" -gt 0 ] && [ "$got" -lt "$(stat -c %s "$src")" ] ||
		fail "$f: cut payload size $got"
	# What was kept is a prefix of the original.
	head -c "$got" "$src" >"$T/prefix"
	expect_fields "$T/cut.json" "$P" type container \
	    "$P!/data" sha256 "$(sha "$T/prefix")"

	# Cut inside the header: nothing decodes, so there is no container.
	cat "$T/pre" >"$T/hdr.bin"
	head -c 12 "$T/s.$f" >>"$T/hdr.bin"
	head -c 3000 /dev/zero >>"$T/hdr.bin"
	"$STARLAB" ls --format json "$T/hdr.bin" >"$T/hdr.json"
	[ "$(json_get "$T/hdr.json" '[e["type"] for e in j["entries"]]')" = \
	    "['region']" ] || fail "$f: a bare header was taken for a stream"
done
# Corrupt bytes in the middle of checked streams: what decoded before
# the damage is kept and the place is named.
for f in xz zstd lz4; do
	compress $f <"$T/plain" >"$T/s.$f"
	n=$(stat -c %s "$T/s.$f")
	cat "$T/pre" "$T/s.$f" "$T/mid" >"$T/bad.bin"
	python3 - "$T/bad.bin" $((5000 + n * 6 / 10)) <<'PY'
import sys
p, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read())
for i in range(at, at + 64):
    b[i] ^= 0x5a
open(p, "wb").write(b)
PY
	"$STARLAB" ls --format json "$T/bad.bin" >"$T/bad.json" ||
		fail "$f: ls of a corrupt stream failed"
	expect_incomplete "$T/bad.json" \
	    "^bad.bin@0x1388:$f: stream truncated or corrupt after [0-9]+ bytes"
	expect_fields "$T/bad.json" "bad.bin@0x1388:$f!/data" type file
done

# ---- bombs ---------------------------------------------------------
# 100 MB of zeros: xz and zstd compress them thousands to one, lz4 about
# 255 to one; each is stopped by the ratio limit (250:1).
for f in xz lzma zstd lz4 lz4-legacy; do
	case $f in
	xz) head -c 100M /dev/zero | xz -0 -c ;;
	lzma) head -c 100M /dev/zero | xz --format=lzma -0 -c ;;
	lz4) head -c 100M /dev/zero | lz4 -q -c ;; # 4 MiB blocks
	*) head -c 100M /dev/zero | compress $f ;;
	esac >"$T/bomb.$f"
	"$STARLAB" ls --format json "$T/bomb.$f" >"$T/bomb.json"
	expect_incomplete "$T/bomb.json" \
	    "^bomb\\.$f:$f: compression ratio over 250:1"
done
# The per-file limit.
head -c 3M /dev/urandom | xz -0 -c >"$T/big.xz"
"$STARLAB" ls --format json --max-file 1M "$T/big.xz" >"$T/big.json"
expect_incomplete "$T/big.json" \
    '^big\.xz:xz: decompressed stream exceeds the per-file limit'

# ---- a kernel with an appended initramfs, in a U-Boot-style LZMA -----
# The "kernel" is incompressible bytes of an odd length; the initramfs
# (cpio newc, gzip'd or lz4 -l'd as Linux does) starts at the next 4-byte
# boundary.  The LZMA payload is carved: kernel region, then the stream.
rnd "$T/kernel" $((2 * 1024 * 1024 + 1234)) 3
kpad=$(((2 * 1024 * 1024 + 1234 + 3) / 4 * 4))
for f in gzip lz4-legacy; do
	if [ $f = gzip ]; then
		gzip -9 -n -c "$T/tree.cpio" >"$T/initrd"
	else
		compress lz4-legacy <"$T/tree.cpio" >"$T/initrd"
		# Linux appends the uncompressed size (size_append).
		python3 - "$T/tree.cpio" >>"$T/initrd" <<'PY'
import os, struct, sys
sys.stdout.buffer.write(struct.pack("<I", os.path.getsize(sys.argv[1])))
PY
	fi
	cp "$T/kernel" "$T/vmlinux"
	truncate -s $kpad "$T/vmlinux"
	cat "$T/initrd" >>"$T/vmlinux"
	xz --format=lzma -6 -c "$T/vmlinux" >"$T/uimage.bin"
	"$STARLAB" ls --format json "$T/uimage.bin" >"$T/k.json"
	L=uimage.bin:lzma
	I=$(printf '%s!/data@0x%x:%s' $L $kpad $f)
	expect_fields "$T/k.json" \
	    "$L" type container \
	    "$L!/data" sha256 "$(sha "$T/vmlinux")" \
	    "$L!/data@0x0" type region \
	    "$I" type container \
	    "$I!/data" sha256 "$(sha "$T/tree.cpio")"
	if [ $f = lz4-legacy ]; then
		# The 4-byte size after the stream is left as a region.
		isz=$(($(stat -c %s "$T/initrd") - 4))
		expect_fields "$T/k.json" "$I" size $isz \
		    "$(printf '%s!/data@0x%x' $L $((kpad + isz)))" size 4
	fi
	if has_reader cpio; then
		check_tree "$T/k.json" "$I!/data:cpio" "$T/tree"
		expect_fields "$T/k.json" "$I!/data:cpio!/etc/passwd" type file
	fi
done
echo ok
