#!/usr/bin/env bash
# fw.model (S1.1-10, firmware side): squashfs images with a model string
# in etc/model, in OpenWrt's etc/board.json and in etc/device_info give
# FW-MODEL (info) naming the model and its file; a profile naming another
# model adds FW-MODEL-MISMATCH (medium).  A TP-Link flash header in front
# of the squashfs (built here as mktplinkfw lays it out) gives the model
# number and hardware version from its hardware id; the same bytes with
# a hardware id that is not decimal digits give nothing.  OpenWrt's
# DEVICE_PRODUCT='Generic' is no model.  A device tree blob in the image
# (dtc) gives its root node's model; one whose only "model" sits in a child
# node, with no root compatible, gives none.  An image with no model string is
# not judged from the firmware (absence is needs-evidence, with the
# reason), with or without an operating system.  A U-Boot legacy image
# (mkimage) named "TL-WR841N v14 Linux-2.6.36" gives that model, on its
# own and as the first partition of a TRX (built here, CRC and all) in
# front of the squashfs; OpenWrt's "MIPS OpenWrt Linux-4.14.90" and a
# chip name ("MT7621 Linux-3.10.14") name no model.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs python3 dtc mkimage

# os_root DIR: a BusyBox shell, so that the image holds an OS.
os_root() {
	mkdir -p "$1/bin" "$1/etc"
	printf '\177ELF\002\001\001\000busybox\000' >"$1/bin/busybox"
	chmod 0755 "$1/bin/busybox"
	ln -s busybox "$1/bin/sh"
}
sqfs() {
	mksquashfs "$1" "$2" -noappend -quiet -all-root >/dev/null ||
		fail "mksquashfs $1"
}
# run NAME IMAGE [ARGS]: the JSON report in $T/NAME.json, validated.
run() {
	local n=$1 img=$2 rc=0
	shift 2
	"$STARLAB" firmware --format json "$img" "$@" >"$T/$n.json" \
		2>"$T/$n.err" || rc=$?
	[ "$rc" -le 1 ] || fail "starlab firmware $n exited $rc: $(cat "$T/$n.err")"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$n.json" >/dev/null ||
		fail "$n.json is not a valid report"
}
# got REPORT: "ID SEVERITY REQS PATH-TAIL EXCERPT" of each FW-MODEL*,
# sorted, one a line.
got() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
out = []
for f in j["findings"]:
    if f["id"].startswith("FW-MODEL"):
        e = f["evidence"]
        p = (e.get("path") or "").split("/")[-1]
        out.append("%s %s %s %s %s" % (f["id"], f["severity"],
                   ",".join(f["requirements"]), p, e.get("excerpt")))
print("\n".join(sorted(out)))
PY
}
want() {
	got "$1" >"$T/got"
	printf '%s\n' "$2" >"$T/want"
	diff -u "$T/want" "$T/got" >&2 || fail "$1: FW-MODEL findings differ"
}

A=$T/a
os_root "$A"
printf 'StarLab SL-CAM100\n' >"$A/etc/model"
sqfs "$A" "$T/a.img"
run a "$T/a.img"
want "$T/a.json" "FW-MODEL info S1.1-10 model model StarLab SL-CAM100"

printf 'product:\n  vendor: StarLab\n  model: SL-CAM100\n' >"$T/ok.yaml"
run a-ok "$T/a.img" --profile "$T/ok.yaml"
want "$T/a-ok.json" "FW-MODEL info S1.1-10 model model StarLab SL-CAM100"

printf 'product:\n  vendor: StarLab\n  model: SL-CAM200\n' >"$T/other.yaml"
run a-other "$T/a.img" --profile "$T/other.yaml"
want "$T/a-other.json" "FW-MODEL info S1.1-10 model model StarLab SL-CAM100
FW-MODEL-MISMATCH medium S1.1-10 model profile: SL-CAM200; firmware: StarLab SL-CAM100"

B=$T/b
os_root "$B"
cat >"$B/etc/board.json" <<'X'
{ "model": { "id": "starlab,sl-r1", "name": "StarLab SL-R1" },
  "network": { "lan": { "device": "eth0" } } }
X
printf "DEVICE_MANUFACTURER='StarLab'\nDEVICE_PRODUCT='SL-R1'\n" \
	>"$B/etc/device_info"
sqfs "$B" "$T/b.img"
run b "$T/b.img"
want "$T/b.json" "FW-MODEL info S1.1-10 board.json model StarLab SL-R1
FW-MODEL info S1.1-10 device_info model SL-R1"

C=$T/c
os_root "$C"
printf "DEVICE_MANUFACTURER='OpenWrt'\nDEVICE_PRODUCT='Generic'\nDEVICE_REVISION='v0'\n" \
	>"$C/etc/device_info"
sqfs "$C" "$T/c.img"
run c "$T/c.img"
want "$T/c.json" ""
python3 - "$T/c.json" <<'PY' || fail "no model: S1.1-10 should need evidence, with the reason"
import json, sys
j = json.load(open(sys.argv[1]))
c = {c["id"]: c for c in j["checklist"]}["S1.1-10"]
assert c["verdict"] == "needs-evidence", c
assert any(m.startswith("firmware: no model string in the image") for m in c["missing_evidence"]), c
PY

# Device trees: the root's model counts, a child's does not.
DT=$T/dt
os_root "$DT"
mkdir -p "$DT/boot"
printf '/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\tmodel = "Acme SR-200";\n\tcompatible = "acme,sr-200";\n\tcpus { model = "not this"; };\n};\n' \
	| dtc -I dts -O dtb -o "$DT/boot/board.dtb" - 2>/dev/null || fail "dtc"
sqfs "$DT" "$T/dt.img"
run dt "$T/dt.img"
want "$T/dt.json" "FW-MODEL info S1.1-10 board.dtb model Acme SR-200"
DC=$T/dtchild
os_root "$DC"
mkdir -p "$DC/boot"
printf '/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\tcpus { model = "not this"; };\n};\n' \
	| dtc -I dts -O dtb -o "$DC/boot/board.dtb" - 2>/dev/null || fail "dtc"
sqfs "$DC" "$T/dtchild.img"
run dtchild "$T/dtchild.img"
want "$T/dtchild.json" ""

# tplink HWID OUT: a TP-Link v1 header (vendor, version, hardware id at
# 0x40, as mktplinkfw writes it) in front of c.img's squashfs at 0x200.
tplink() {
	python3 - "$T/c.img" "$1" "$2" <<'PY'
import struct, sys
root = open(sys.argv[1], "rb").read()
h = bytearray(0x200)
h[0:4] = struct.pack(">I", 0x01000000)
h[4:4 + 7] = b"OpenWrt"
h[0x1c:0x1c + 6] = b"r49587"
h[0x40:0x48] = struct.pack(">II", int(sys.argv[2], 16), 1)
open(sys.argv[3], "wb").write(bytes(h) + root)
PY
}
tplink 0x08410009 "$T/tp.img"
run tp "$T/tp.img"
want "$T/tp.json" "FW-MODEL info S1.1-10 tp.img@0x0 model TP-Link hardware id 0x08410009: model 841 v9"
printf 'product:\n  vendor: TP-Link\n  model: TL-WR841N\n' >"$T/tp.yaml"
run tp-ok "$T/tp.img" --profile "$T/tp.yaml"
want "$T/tp-ok.json" "FW-MODEL info S1.1-10 tp.img@0x0 model TP-Link hardware id 0x08410009: model 841 v9"
# Not decimal digits: not a TP-Link hardware id.
tplink 0x0a4b00f9 "$T/tpx.img"
run tpx "$T/tpx.img"
want "$T/tpx.json" ""

# uImage names (mkimage), alone and inside a TRX.
head -c 4096 /dev/urandom >"$T/kernel.bin"
uimg() { # NAME OUT
	mkimage -A mips -O linux -T kernel -C none -a 0x80060000 \
		-e 0x80060000 -n "$1" -d "$T/kernel.bin" "$2" >/dev/null ||
		fail "mkimage $1"
}
uimg "TL-WR841N v14 Linux-2.6.36" "$T/u.img"
run u "$T/u.img"
want "$T/u.json" "FW-MODEL info S1.1-10 image-0 model uImage name: TL-WR841N v14 Linux-2.6.36"
run u-ok "$T/u.img" --profile "$T/tp.yaml"
want "$T/u-ok.json" "FW-MODEL info S1.1-10 image-0 model uImage name: TL-WR841N v14 Linux-2.6.36"
for n in "MIPS OpenWrt Linux-4.14.90" "MT7621 Linux-3.10.14" "Linux Kernel Image"; do
	uimg "$n" "$T/un.img"
	run un "$T/un.img"
	want "$T/un.json" ""
done
# A TRX v1: the uImage in partition 0, a squashfs with an OS in partition 1.
R=$T/r
os_root "$R"
sqfs "$R" "$T/r.sqfs"
python3 - "$T/fw.trx" "$T/u.img" "$T/r.sqfs" <<'PY'
import struct, sys, zlib
out, parts = sys.argv[1], sys.argv[2:]
buf = bytearray(28)
offsets = []
for name in parts:
    offsets.append(len(buf))
    buf += open(name, "rb").read()
    buf += b"\0" * (-len(buf) % 4)
buf += b"\0" * (-len(buf) % 4096)
offsets += [0] * (3 - len(offsets))
struct.pack_into("<4sIII3I", buf, 0, b"HDR0", len(buf), 0, 1 << 16, *offsets)
struct.pack_into("<I", buf, 8, zlib.crc32(bytes(buf[12:])) ^ 0xffffffff)
open(out, "wb").write(buf)
PY
run trx "$T/fw.trx"
want "$T/trx.json" "FW-MODEL info S1.1-10 image-0 model uImage name: TL-WR841N v14 Linux-2.6.36"
grep -q 'fw.trx:trx!/partition-0' "$T/trx.json" || fail "the uImage is not read inside the TRX"

# No operating system: nothing, and S1.1-10 not judged from the firmware.
D=$T/d
mkdir -p "$D/cfg"
printf 'x=1\n' >"$D/cfg/settings"
sqfs "$D" "$T/d.img"
run d "$T/d.img"
want "$T/d.json" ""
python3 - "$T/d.json" <<'PY' || fail "S1.1-10 should miss the firmware's judgment"
import json, sys
j = json.load(open(sys.argv[1]))
c = {c["id"]: c for c in j["checklist"]}["S1.1-10"]
sys.exit(0 if any(m.startswith("firmware:") and "model string" in m
                  for m in c["missing_evidence"]) else 1)
PY
exit 0
