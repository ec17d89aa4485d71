#!/usr/bin/env bash
# A raw 8 MiB NOR flash dump laid out like a small router's, carved as a
# whole:
#
#	0x000000  boot loader: 128 KiB of code-like bytes with a U-Boot
#	          version string, then 0xff to the next partition
#	0x040000  uImage, LZMA kernel (mkimage -C lzma of xz --format=lzma)
#	uImage end  an unexplained high-entropy region (at least 512 KiB of
#	          random bytes) right up to the root filesystem, which must
#	          be reported as possibly encrypted firmware
#	64 KiB-aligned  squashfs (xz) root filesystem of the mk_tree tree
#	0x700000  JFFS2 (little-endian, 64 KiB erase blocks, padded with 0xff
#	          to the end of the flash) data partition of mk_tree
#
# Each part needs its reader.  Assertions whose reader is not registered
# in src/reader/reader_all.c yet are skipped with a note naming it, so the
# test runs what works today and checks the rest as the readers land.
. "$(dirname "$0")/lib.sh" || exit 1
need mkimage xz mksquashfs mkfs.jffs2 python3

FLASH=$((8 << 20))
JFFS2_OFF=$((0x700000))
UIMAGE_OFF=$((0x40000))
skipped=()

# have_reader NAME: the reader is in the table.
have_reader() {
	grep -q "&Sl_reader_$1\b" "$SL_SRC/src/reader/reader_all.c"
}
# awaits NAME WHAT: true when the reader is there; otherwise note the skip.
awaits() {
	if have_reader "$1"; then
		return 0
	fi
	echo "SKIP (awaits the $1 reader): $2" >&2
	skipped+=("$2 [$1]")
	return 1
}
hex() { printf '0x%x' "$1"; }

mk_tree "$T/root"
mkdir -p "$T/data/etc/config"
printf 'config wifi\n\toption ssid router\n\toption key s3cret-psk\n' \
	>"$T/data/etc/config/wireless"
printf 'config system\n\toption hostname OpenWrt\n' >"$T/data/etc/config/system"
chmod 0600 "$T/data/etc/config/wireless"
chmod 0644 "$T/data/etc/config/system"
find "$T/data" -type d -exec chmod 0755 {} +

# The boot loader: entropy well below the "encrypted" threshold.
python3 - "$T/boot" <<'PY'
import random, sys
r = random.Random(2014)
alphabet = bytes(range(0, 256, 5))  # 52 symbols: about 5.7 bits per byte
b = bytearray(r.choice(alphabet) for _ in range(128 << 10))
s = b"U-Boot 2014.04 (Jun 02 2016 - 10:21:07) for starlab-router\0"
b[0x8000:0x8000 + len(s)] = s
open(sys.argv[1], "wb").write(bytes(b))
PY

# The kernel: text-like bytes, LZMA-compressed, in a uImage.
python3 - "$T/vmlinux" <<'PY'
import random, sys
r = random.Random(414)
words = [b"sched", b"irq", b"mm", b"vfs", b"net", b"tcp", b"init", b"dev"]
out = bytearray()
while len(out) < 400000:
    out += r.choice(words) + b"_" + r.choice(words) + bytes([r.getrandbits(8)]) + b" "
open(sys.argv[1], "wb").write(bytes(out))
PY
xz --format=lzma -c "$T/vmlinux" >"$T/vmlinux.lzma"
mkimage -A arm -O linux -T kernel -C lzma -a 0x80008000 -e 0x80008000 \
	-n "Linux-4.14.180" -d "$T/vmlinux.lzma" "$T/uImage" >/dev/null
UIMAGE_END=$((UIMAGE_OFF + $(stat -c %s "$T/uImage")))
# The root filesystem starts at least 512 KiB after the kernel's end.
SQ_OFF=$(((UIMAGE_END + (512 << 10) + 0xffff) & ~0xffff))

mksquashfs "$T/root" "$T/root.sqfs" -comp xz -noappend -quiet >/dev/null
mkfs.jffs2 -l -e 0x10000 -p $((FLASH - JFFS2_OFF)) -r "$T/data" \
	-o "$T/data.jffs2"

python3 - "$T/flash.bin" "$FLASH" "$T/boot" "$UIMAGE_OFF" "$T/uImage" \
	"$UIMAGE_END" "$SQ_OFF" "$T/root.sqfs" "$JFFS2_OFF" "$T/data.jffs2" <<'PY'
import random, sys
(out, size, boot, uoff, uimg, uend, sqoff, sqfs, joff, jffs2) = sys.argv[1:]
size, uoff, uend, sqoff, joff = (int(x) for x in (size, uoff, uend, sqoff, joff))
flash = bytearray(b"\xff" * size)
def put(off, data):
    assert off + len(data) <= size, "part does not fit"
    flash[off:off + len(data)] = data
put(0, open(boot, "rb").read())
put(uoff, open(uimg, "rb").read())
# Seeded, so the region is the same bytes each run.
r = random.Random(0x5ec)
put(uend, bytes(r.getrandbits(8) for _ in range(sqoff - uend)))
sq = open(sqfs, "rb").read()
assert sqoff + len(sq) <= joff, "squashfs overlaps the jffs2 partition"
put(sqoff, sq)
put(joff, open(jffs2, "rb").read())
open(out, "wb").write(bytes(flash))
PY
[ "$(stat -c %s "$T/flash.bin")" = "$FLASH" ] || fail "flash image size"

"$STARLAB" ls --format json "$T/flash.bin" >"$T/ls.json" ||
	fail "starlab ls failed on the flash dump"

# The boot loader: an unexplained region at 0 with code-like entropy.
expect_entry "$T/ls.json" "flash.bin@0x0" region
python3 - "$T/ls.json" <<'PY' || fail "boot loader region: entropy or note"
import json, sys
j = json.load(open(sys.argv[1]))
e = [e for e in j["entries"] if e["path"] == "flash.bin@0x0"][0]
assert e["size"] == 0x40000, e["size"]
assert 3.0 < e["entropy"] < 7.9, e["entropy"]
assert "encrypted" not in e.get("note", ""), e.get("note")
PY

# The kernel's uImage at 0x40000, its payload the LZMA stream.
expect_entry "$T/ls.json" "flash.bin@0x40000:uimage" container
sha=$(json_get "$T/ls.json" "[e['sha256'] for e in j['entries'] if e['path']=='flash.bin@0x40000:uimage!/image-0'][0]")
[ "$sha" = "$(sha256sum <"$T/vmlinux.lzma" | cut -d' ' -f1)" ] ||
	fail "uImage payload sha256"
if awaits lzma "the LZMA kernel inside the uImage is unpacked"; then
	sha=$(json_get "$T/ls.json" "next((e['sha256'] for e in j['entries'] if e['path'].startswith('flash.bin@0x40000:uimage!/image-0:lzma!/') and e['type']=='file'), '')")
	[ "$sha" = "$(sha256sum <"$T/vmlinux" | cut -d' ' -f1)" ] ||
		fail "decompressed kernel sha256"
fi

# The root filesystem at its 64 KiB-aligned offset, every file listed.
SQ_PATH="flash.bin@$(hex "$SQ_OFF"):squashfs"
if awaits squashfs "$SQ_PATH and its tree"; then
	expect_entry "$T/ls.json" "$SQ_PATH" container
	check_tree "$T/ls.json" "$SQ_PATH" "$T/root" --exact >/dev/null
fi

# The random bytes between the kernel and the root filesystem: explained
# on both sides, so they form one region, flagged as possibly encrypted.
if awaits squashfs "the region at $(hex "$UIMAGE_END") is possibly encrypted firmware"; then
	expect_entry "$T/ls.json" "flash.bin@$(hex "$UIMAGE_END")" region
	python3 - "$T/ls.json" "flash.bin@$(hex "$UIMAGE_END")" "$((SQ_OFF - UIMAGE_END))" <<'PY' ||
import json, sys
j = json.load(open(sys.argv[1]))
e = [e for e in j["entries"] if e["path"] == sys.argv[2]][0]
assert e["size"] == int(sys.argv[3]), (e["size"], sys.argv[3])
assert e.get("note", "").startswith("possibly encrypted firmware"), e.get("note")
PY
		fail "random region: size or note"
fi

# The JFFS2 data partition near the end.
JF_PATH="flash.bin@$(hex "$JFFS2_OFF"):jffs2"
if awaits jffs2 "$JF_PATH and its files"; then
	expect_entry "$T/ls.json" "$JF_PATH" container
	check_tree "$T/ls.json" "$JF_PATH" "$T/data" --no-owner >/dev/null
fi

# Nothing else was taken for a container (no false positives in the
# random bytes or the boot loader).
python3 - "$T/ls.json" <<'PY' || fail "unexpected top-level containers"
import json, sys
j = json.load(open(sys.argv[1]))
tops = [e["path"] for e in j["entries"]
        if e["type"] == "container" and "!/" not in e["path"]]
bad = [p for p in tops if p.split(":")[-1] not in ("uimage", "squashfs", "jffs2")]
assert not bad, bad
PY

if [ ${#skipped[@]} -gt 0 ]; then
	printf 'ok, %d assertion group(s) await readers:\n' ${#skipped[@]}
	printf '  %s\n' "${skipped[@]}"
else
	echo ok
fi
