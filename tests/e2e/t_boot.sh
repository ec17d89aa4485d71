#!/usr/bin/env bash
# Boot-image headers: U-Boot legacy images (single and multi-file, made by
# mkimage), FIT images (mkimage -f with an .its: embedded data, external
# data with -E, and a signed one), and Broadcom TRX images.  No tool in
# Debian makes TRX, so a small Python builder below writes them following
# OpenWrt's firmware-utils trx.c: little-endian header "HDR0", len, crc32,
# flag_version, 3 (v1) or 4 (v2) offsets; each file padded to 4 bytes,
# the whole to 4 KiB; the CRC is zlib's CRC-32 without the final
# inversion over bytes 12..len, with the v2 bin header's bytes 22..30 taken
# as 0xff.  Each format: entries present, payload sha256 equal to the
# inputs, a damaged header not opened, bad data listed with an incomplete
# reason, a truncated image with an incomplete reason naming the place.
. "$(dirname "$0")/lib.sh" || exit 1
need mkimage dtc xz gzip openssl python3

ls_json() { "$STARLAB" ls --format json "$1" >"$2"; }

# sha_of LS_JSON PATH: the sha256 of an entry ("" when absent).
sha_of() {
	json_get "$1" "next((e.get('sha256','') for e in j['entries'] if e['path']=='$2'), '')"
}
note_of() {
	json_get "$1" "next((e.get('note','') for e in j['entries'] if e['path']=='$2'), '')"
}
sha() { sha256sum <"$1" | cut -d' ' -f1; }

# expect_sha LS_JSON PATH FILE
expect_sha() {
	[ "$(sha_of "$1" "$2")" = "$(sha "$3")" ] ||
		fail "$2: sha256 differs from $3 (in $1)"
}
# expect_note LS_JSON PATH REGEX
expect_note() {
	python3 - "$@" <<'PY' || fail "$2: note does not match '$3' in $1"
import json, re, sys
j = json.load(open(sys.argv[1]))
n = [e.get("note", "") for e in j["entries"] if e["path"] == sys.argv[2]]
sys.exit(0 if n and re.search(sys.argv[3], n[0]) else 1)
PY
}
# expect_no_format LS_JSON FORMAT: no container of that format anywhere.
expect_no_format() {
	python3 - "$@" <<'PY' || fail "a '$2' container was opened in $1"
import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(1 if any(e.get("format") == sys.argv[2] for e in j["entries"]) else 0)
PY
}
# flip FILE OFFSET: invert one byte in place.
flip() {
	python3 - "$1" "$2" <<'PY'
import sys
f = open(sys.argv[1], "r+b")
off = int(sys.argv[2], 0)
f.seek(off)
b = f.read(1)
f.seek(off)
f.write(bytes([b[0] ^ 0xff]))
PY
}

# Deterministic inputs: a kernel-like blob, its LZMA and gzip forms, a
# ramdisk of odd size (padding between multi-file parts), a small DTB.
python3 - "$T/kernel.raw" "$T/ramdisk" "$T/third" <<'PY'
import random, sys
r = random.Random(7)
k = b"".join(b"kernel text %06d " % i + bytes(r.getrandbits(8) for _ in range(24))
             for i in range(2000))
open(sys.argv[1], "wb").write(k)
open(sys.argv[2], "wb").write(bytes(r.getrandbits(8) for _ in range(1001)))
open(sys.argv[3], "wb").write(b"third part\n" * 70 + b"end")
PY
xz --format=lzma -c "$T/kernel.raw" >"$T/kernel.lzma"
gzip -9 -n -c "$T/kernel.raw" >"$T/kernel.gz"
cat >"$T/board.dts" <<'EOF'
/dts-v1/;
/ {
	model = "starlab test board";
	compatible = "starlab,test";
	#address-cells = <1>;
	#size-cells = <1>;
	memory@0 { device_type = "memory"; reg = <0 0x1000000>; };
};
EOF
dtc -q -I dts -O dtb -o "$T/board.dtb" "$T/board.dts"

# ---- uImage, single ----------------------------------------------------
mkimage -A arm -O linux -T kernel -C lzma -a 0x80008000 -e 0x80008000 \
	-n "Linux-4.14" -d "$T/kernel.lzma" "$T/uImage" >/dev/null
ls_json "$T/uImage" "$T/u.json"
expect_entry "$T/u.json" "uImage:uimage" container
expect_entry "$T/u.json" "uImage:uimage!/image-0" file
expect_sha "$T/u.json" "uImage:uimage!/image-0" "$T/kernel.lzma"
expect_note "$T/u.json" "uImage:uimage!/image-0" '^kernel, lzma, arm, linux: Linux-4\.14$'
[ "$(json_get "$T/u.json" "[e['size'] for e in j['entries'] if e['path']=='uImage:uimage'][0]")" = \
	"$(stat -c %s "$T/uImage")" ] || fail "uimage container size"

# Behind other bytes, found by carving at its offset.
head -c 4096 /dev/zero >"$T/fw.bin"
cat "$T/uImage" >>"$T/fw.bin"
head -c 1000 /dev/zero | tr '\0' '\377' >>"$T/fw.bin"
ls_json "$T/fw.bin" "$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x1000:uimage" container
expect_sha "$T/fw.json" "fw.bin@0x1000:uimage!/image-0" "$T/kernel.lzma"

# A damaged header CRC: not a uImage at all.
cp "$T/uImage" "$T/u-badhdr"
flip "$T/u-badhdr" 40
ls_json "$T/u-badhdr" "$T/u-badhdr.json"
expect_no_format "$T/u-badhdr.json" uimage

# A damaged payload: listed, with the data CRC mismatch recorded.
cp "$T/uImage" "$T/u-baddata"
flip "$T/u-baddata" $(($(stat -c %s "$T/uImage") - 10))
ls_json "$T/u-baddata" "$T/u-baddata.json"
expect_entry "$T/u-baddata.json" "u-baddata:uimage!/image-0" file
expect_note "$T/u-baddata.json" "u-baddata:uimage!/image-0" 'data CRC mismatch'
expect_incomplete "$T/u-baddata.json" '^u-baddata:uimage: payload at offset 0x40 .*data CRC mismatch'

# Truncated: what is there is listed, the cut is named.
cut=$(($(stat -c %s "$T/uImage") / 2))
head -c $cut "$T/uImage" >"$T/u-cut"
ls_json "$T/u-cut" "$T/u-cut.json"
expect_entry "$T/u-cut.json" "u-cut:uimage!/image-0" file
[ "$(json_get "$T/u-cut.json" "[e['size'] for e in j['entries'] if e['path']=='u-cut:uimage!/image-0'][0]")" = $((cut - 64)) ] ||
	fail "truncated uimage: image-0 size"
expect_incomplete "$T/u-cut.json" "^u-cut:uimage: image-0 at offset 0x40: .*only $(printf 0x%x $((cut - 64))) present \\(image truncated\\)"

# ---- uImage, multi-file ------------------------------------------------
mkimage -A arm -O linux -T multi -C none -n "multi test" \
	-d "$T/kernel.raw:$T/ramdisk:$T/third" "$T/uMulti" >/dev/null
ls_json "$T/uMulti" "$T/m.json"
expect_entry "$T/m.json" "uMulti:uimage" container
expect_sha "$T/m.json" "uMulti:uimage!/image-0" "$T/kernel.raw"
expect_sha "$T/m.json" "uMulti:uimage!/image-1" "$T/ramdisk"
expect_sha "$T/m.json" "uMulti:uimage!/image-2" "$T/third"
expect_note "$T/m.json" "uMulti:uimage!/image-1" '^part 2 of 3, multi, none, arm, linux: multi test$'
# Truncated in the second part: the first whole, the second cut, no third.
head -c $((64 + 16 + $(stat -c %s "$T/kernel.raw") + 500)) "$T/uMulti" >"$T/uMulti-cut"
ls_json "$T/uMulti-cut" "$T/mc.json"
expect_sha "$T/mc.json" "uMulti-cut:uimage!/image-0" "$T/kernel.raw"
expect_entry "$T/mc.json" "uMulti-cut:uimage!/image-1" file
expect_incomplete "$T/mc.json" '^uMulti-cut:uimage: image-1 at offset 0x[0-9a-f]+: .*\(image truncated\)'
expect_incomplete "$T/mc.json" '^uMulti-cut:uimage: image-2 at offset 0x[0-9a-f]+: lies past the end'

# ---- FIT -----------------------------------------------------------------
cat >"$T/fit.its" <<EOF
/dts-v1/;
/ {
	description = "starlab test FIT";
	#address-cells = <1>;
	images {
		kernel-1 {
			description = "Linux kernel";
			data = /incbin/("$T/kernel.gz");
			type = "kernel";
			arch = "arm";
			os = "linux";
			compression = "gzip";
			load = <0x80008000>;
			entry = <0x80008000>;
			hash-1 { algo = "sha256"; };
		};
		fdt-1 {
			description = "board device tree";
			data = /incbin/("$T/board.dtb");
			type = "flat_dt";
			arch = "arm";
			compression = "none";
			hash-1 { algo = "crc32"; };
		};
		ramdisk-1 {
			description = "initial ramdisk";
			data = /incbin/("$T/ramdisk");
			type = "ramdisk";
			arch = "arm";
			os = "linux";
			compression = "none";
			hash-1 { algo = "sha1"; };
		};
	};
	configurations {
		default = "conf-1";
		conf-1 {
			kernel = "kernel-1";
			fdt = "fdt-1";
			ramdisk = "ramdisk-1";
		};
	};
};
EOF
check_fit() { # LS_JSON PREFIX
	expect_entry "$1" "$2" container
	expect_sha "$1" "$2!/kernel-1" "$T/kernel.gz"
	expect_sha "$1" "$2!/fdt-1" "$T/board.dtb"
	expect_sha "$1" "$2!/ramdisk-1" "$T/ramdisk"
	expect_note "$1" "$2!/kernel-1" '^kernel, gzip, arm, linux: Linux kernel.*; hash sha256 ok'
	expect_note "$1" "$2!/fdt-1" '^flat_dt, none, arm: board device tree.*; hash crc32 ok'
	expect_note "$1" "$2!/ramdisk-1" '; hash sha1 ok'
	# The gzip'd kernel inside is found and unpacked.
	expect_sha "$1" "$2!/kernel-1:gzip!/data" "$T/kernel.raw"
}
mkimage -f "$T/fit.its" "$T/image.itb" >/dev/null
ls_json "$T/image.itb" "$T/fit.json"
check_fit "$T/fit.json" "image.itb:fit"
[ "$(json_get "$T/fit.json" "len([e for e in j['entries'] if e['path'].startswith('image.itb:fit!/') and e['type']=='file' and ':' not in e['path'][len('image.itb:fit!/'):]])")" = 3 ] ||
	fail "fit: expected exactly three images"
if json_get "$T/fit.json" "[e.get('note','') for e in j['entries']]" | grep -q signed; then
	fail "unsigned FIT noted as signed"
fi

# External data (mkimage -E).
mkimage -E -f "$T/fit.its" "$T/ext.itb" >/dev/null
ls_json "$T/ext.itb" "$T/ext.json"
check_fit "$T/ext.json" "ext.itb:fit"
expect_note "$T/ext.json" "ext.itb:fit!/kernel-1" '; external data'
[ "$(json_get "$T/ext.json" "[e['size'] for e in j['entries'] if e['path']=='ext.itb:fit'][0]")" = \
	"$(stat -c %s "$T/ext.itb")" ] || fail "external-data FIT: container size"

# Signed: a configuration signature, and one image signed on its own.
mkdir -p "$T/keys"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-out "$T/keys/dev.key" 2>/dev/null
openssl req -batch -new -x509 -key "$T/keys/dev.key" -subj /CN=dev \
	-out "$T/keys/dev.crt" 2>/dev/null
python3 - "$T/fit.its" "$T/signed.its" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace('''			hash-1 { algo = "sha1"; };''', '''			hash-1 { algo = "sha1"; };
			signature-1 { algo = "sha256,rsa2048"; key-name-hint = "dev"; };''')
s = s.replace('''			ramdisk = "ramdisk-1";''', '''			ramdisk = "ramdisk-1";
			signature-1 {
				algo = "sha256,rsa2048";
				key-name-hint = "dev";
				sign-images = "kernel", "fdt", "ramdisk";
			};''')
open(sys.argv[2], "w").write(s)
PY
mkimage -f "$T/signed.its" -k "$T/keys" "$T/signed.itb" >/dev/null
ls_json "$T/signed.itb" "$T/signed.json"
check_fit "$T/signed.json" "signed.itb:fit"
expect_note "$T/signed.json" "signed.itb:fit!/kernel-1" '; signed \(configuration signature\)$'
expect_note "$T/signed.json" "signed.itb:fit!/ramdisk-1" '; signed \(image signature\); signed \(configuration signature\)$'

# A plain device tree is not a FIT.
ls_json "$T/board.dtb" "$T/dtb.json"
expect_no_format "$T/dtb.json" fit

# A damaged header (structure block offset not aligned): not opened.
cp "$T/image.itb" "$T/badhdr.itb"
flip "$T/badhdr.itb" 11
ls_json "$T/badhdr.itb" "$T/badhdr.json"
expect_no_format "$T/badhdr.json" fit

# A damaged payload: listed, the hash mismatch recorded.
cp "$T/image.itb" "$T/baddata.itb"
off=$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); k=open(sys.argv[2],"rb").read(); print(d.index(k)+1000)' "$T/image.itb" "$T/kernel.gz")
flip "$T/baddata.itb" "$off"
ls_json "$T/baddata.itb" "$T/baddata.json"
expect_entry "$T/baddata.json" "baddata.itb:fit!/kernel-1" file
expect_note "$T/baddata.json" "baddata.itb:fit!/kernel-1" '; hash sha256 MISMATCH'
expect_incomplete "$T/baddata.json" '^baddata.itb:fit: image node "kernel-1": data at offset 0x[0-9a-f]+ \(0x[0-9a-f]+ bytes\): sha256 hash mismatch'
expect_sha "$T/baddata.json" "baddata.itb:fit!/fdt-1" "$T/board.dtb"

# Truncated with embedded data: the strings block is gone, so the images
# cannot be named; the FIT is listed, the cut named, the payload carved.
cut=$(($(stat -c %s "$T/image.itb") / 2))
head -c $cut "$T/image.itb" >"$T/cut.itb"
ls_json "$T/cut.itb" "$T/cut.json"
expect_entry "$T/cut.json" "cut.itb:fit" container
expect_incomplete "$T/cut.json" '^cut.itb:fit: device tree blob at offset 0x0: 0x[0-9a-f]+ bytes declared, only '"$(printf 0x%x $cut)"' present \(image truncated\)'

# Truncated in the external data: the kernel cut, the others missing.
extcut=$(($(stat -c %s "$T/ext.itb") - $(stat -c %s "$T/ramdisk") - $(stat -c %s "$T/board.dtb") - 5000))
head -c "$extcut" "$T/ext.itb" >"$T/extcut.itb"
ls_json "$T/extcut.itb" "$T/extcut.json"
expect_entry "$T/extcut.json" "extcut.itb:fit!/kernel-1" file
expect_incomplete "$T/extcut.json" '^extcut.itb:fit: image node "kernel-1": data at offset 0x[0-9a-f]+: .*\(image truncated\)'
expect_incomplete "$T/extcut.json" '^extcut.itb:fit: image node "ramdisk-1": external data at offset 0x[0-9a-f]+ lies past the end'

# ---- TRX -----------------------------------------------------------------
# mktrx OUT VERSION FILE...: the builder described at the top.
mktrx() {
	python3 - "$@" <<'PY'
import struct, sys, zlib
out, version, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
hdrlen = 28 if version == 1 else 32
buf = bytearray(hdrlen)
offsets = []
for name in files:
    offsets.append(len(buf))
    buf += open(name, "rb").read()
    buf += b"\0" * (-len(buf) % 4)
buf += b"\0" * (-len(buf) % 4096)
noff = 3 if version == 1 else 4
offsets += [0] * (noff - len(offsets))
struct.pack_into("<4sI", buf, 0, b"HDR0", len(buf))
struct.pack_into("<I", buf, 12, version << 16)
struct.pack_into("<%dI" % noff, buf, 16, *offsets)
crcbuf = bytearray(buf)
if version == 2:
    crcbuf[offsets[3] + 22:offsets[3] + 30] = b"\xff" * 8
crc = zlib.crc32(bytes(crcbuf[12:])) ^ 0xffffffff
struct.pack_into("<I", buf, 8, crc)
open(out, "wb").write(buf)
PY
}
# Inputs whose sizes need no padding, so partitions equal them exactly.
python3 - "$T/kernel.lzma" "$T/trx-kernel" "$T/trx-loader" "$T/trx-rootfs" "$T/trx-bin" <<'PY'
import random, sys
r = random.Random(11)
k = open(sys.argv[1], "rb").read()
k += b"\0" * (-len(k) % 4)
open(sys.argv[2], "wb").write(k)
loader = b"CFE loader stub " * 250
open(sys.argv[3], "wb").write(loader)
used = 28 + len(loader) + len(k)
root = bytes(r.getrandbits(8) for _ in range(-used % 4096 + 8192))
open(sys.argv[4], "wb").write(root)
# v2: a fourth partition with a 32-byte bin header and a body.
binp = b"BIN HEADER......" + b"\x01" * 16 + bytes(r.getrandbits(8) for _ in range(992))
open(sys.argv[5], "wb").write(binp)
PY
mktrx "$T/fw.trx" 1 "$T/trx-loader" "$T/trx-kernel" "$T/trx-rootfs"
ls_json "$T/fw.trx" "$T/trx.json"
expect_entry "$T/trx.json" "fw.trx:trx" container
expect_sha "$T/trx.json" "fw.trx:trx!/partition-0" "$T/trx-loader"
expect_sha "$T/trx.json" "fw.trx:trx!/partition-1" "$T/trx-kernel"
expect_sha "$T/trx.json" "fw.trx:trx!/partition-2" "$T/trx-rootfs"
expect_note "$T/trx.json" "fw.trx:trx!/partition-1" '^partition 2 of 3, TRX v1, flags 0x0000$'
if json_get "$T/trx.json" "j['incomplete']" | grep -q trx; then
	fail "a good TRX has incomplete reasons"
fi

# Version 2, with the bin header's 0xff rule in the CRC.
mktrx "$T/fw2.trx" 2 "$T/trx-loader" "$T/trx-kernel" "$T/trx-rootfs" "$T/trx-bin"
ls_json "$T/fw2.trx" "$T/trx2.json"
expect_sha "$T/trx2.json" "fw2.trx:trx!/partition-2" "$T/trx-rootfs"
expect_entry "$T/trx2.json" "fw2.trx:trx!/partition-3" file
expect_note "$T/trx2.json" "fw2.trx:trx!/partition-0" '^partition 1 of 4, TRX v2, flags 0x0000$'

# A damaged header (an unknown version): not opened.
cp "$T/fw.trx" "$T/badhdr.trx"
flip "$T/badhdr.trx" 14
ls_json "$T/badhdr.trx" "$T/trx-badhdr.json"
expect_no_format "$T/trx-badhdr.json" trx

# Damaged data: listed, the CRC mismatch recorded.
cp "$T/fw.trx" "$T/baddata.trx"
flip "$T/baddata.trx" 20000
ls_json "$T/baddata.trx" "$T/trx-baddata.json"
expect_sha "$T/trx-baddata.json" "baddata.trx:trx!/partition-0" "$T/trx-loader"
expect_note "$T/trx-baddata.json" "baddata.trx:trx!/partition-2" 'CRC mismatch'
expect_incomplete "$T/trx-baddata.json" '^baddata.trx:trx: data at offset 0xc \(0x[0-9a-f]+ bytes\): CRC mismatch'

# Truncated in the rootfs partition.
head -c $((28 + 4000 + $(stat -c %s "$T/trx-kernel") + 100)) "$T/fw.trx" >"$T/cut.trx"
ls_json "$T/cut.trx" "$T/trx-cut.json"
expect_sha "$T/trx-cut.json" "cut.trx:trx!/partition-1" "$T/trx-kernel"
expect_incomplete "$T/trx-cut.json" '^cut.trx:trx: partition-2 at offset 0x[0-9a-f]+: .*only 0x64 present \(image truncated\)'
expect_incomplete "$T/trx-cut.json" '^cut.trx:trx: image at offset 0x0: length 0x[0-9a-f]+ declared'

# A uImage inside a TRX partition is found by carving it.
mktrx "$T/nested.trx" 1 "$T/trx-loader" "$T/uImage"
ls_json "$T/nested.trx" "$T/nested.json"
expect_sha "$T/nested.json" "nested.trx:trx!/partition-1:uimage!/image-0" "$T/kernel.lzma"
echo ok
