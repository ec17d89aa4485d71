#!/usr/bin/env bash
# Multi-partition TRX images as Broadcom routers (Asus, Linksys, Netgear)
# ship them: a loader, a kernel and a SquashFS 3.x LZMA root filesystem
# (the vendor format of those years), each listed down to the files of the
# root filesystem; and one whose middle slot is empty (offset 0), whose
# last partition must still be listed.
#
# The TRX builder follows OpenWrt's firmware-utils trx.c as t_boot.sh's
# does ("-" leaves a slot empty); the root filesystem is written by
# tests/fixtures/mk_sqfs_old.py, which t_squashfs_old.sh checks against the
# real unsquashfs; the kernel is compressed by the real xz.
. "$(dirname "$0")/lib.sh" || exit 1
need xz python3

mk_tree "$T/src"
python3 "$SL_SRC/tests/fixtures/mk_sqfs_old.py" --version 3 --endian le \
	--comp lzma13 "$T/src" "$T/root.sqfs"
head -c 300000 /dev/urandom >"$T/vmlinux"
xz --format=lzma -c "$T/vmlinux" >"$T/kernel.lzma"
printf 'CFE loader stub %.0s' $(seq 250) >"$T/loader"

mktrx() { # OUT FILE|-...
	python3 - "$@" <<'PY'
import struct, sys, zlib
out, files = sys.argv[1], sys.argv[2:]
buf = bytearray(28)
offsets = []
for name in files:
    if name == "-":
        offsets.append(0)
        continue
    offsets.append(len(buf))
    buf += open(name, "rb").read()
    buf += b"\0" * (-len(buf) % 4)
buf += b"\0" * (-len(buf) % 4096)
offsets += [0] * (3 - len(offsets))
struct.pack_into("<4sIII3I", buf, 0, b"HDR0", len(buf), 0, 1 << 16, *offsets)
struct.pack_into("<I", buf, 8, zlib.crc32(bytes(buf[12:])) ^ 0xffffffff)
open(out, "wb").write(buf)
PY
}

check_root() { # LS_JSON PREFIX
	check_tree "$1" "$2" "$T/src" --exact
	[ "$(json_get "$1" 'len(j["incomplete"])')" = 0 ] ||
		fail "$1: incomplete: $(json_get "$1" 'j["incomplete"]')"
}

mktrx "$T/fw.trx" "$T/loader" "$T/kernel.lzma" "$T/root.sqfs"
"$STARLAB" ls --format json "$T/fw.trx" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.trx:trx!/partition-0" file
expect_entry "$T/fw.json" "fw.trx:trx!/partition-1:lzma!/data" file
check_root "$T/fw.json" "fw.trx:trx!/partition-2:squashfs"
[ "$(json_get "$T/fw.json" '[e["sha256"] for e in j["entries"] if e["path"] == "fw.trx:trx!/partition-1:lzma!/data"]')" = \
	"['$(sha256sum "$T/vmlinux" | cut -d" " -f1)']" ] || fail "fw.trx: kernel differs"

# The middle slot empty: the kernel and root filesystem keep slots 0 and 2.
mktrx "$T/gap.trx" "$T/kernel.lzma" - "$T/root.sqfs"
"$STARLAB" ls --format json "$T/gap.trx" >"$T/gap.json"
expect_entry "$T/gap.json" "gap.trx:trx!/partition-0:lzma!/data" file
check_root "$T/gap.json" "gap.trx:trx!/partition-2:squashfs"
[ "$(json_get "$T/gap.json" '[e["path"] for e in j["entries"] if e["path"] == "gap.trx:trx!/partition-1"]')" = "[]" ] ||
	fail "gap.trx: an empty slot was listed"
echo ok
