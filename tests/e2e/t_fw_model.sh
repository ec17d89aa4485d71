#!/usr/bin/env bash
# fw.model (S1.1-10, firmware side): squashfs images with a model string
# in etc/model, in OpenWrt's etc/board.json and in etc/device_info give
# FW-MODEL (info) naming the model and its file; a profile naming another
# model adds FW-MODEL-MISMATCH (medium); an image with an operating system
# and no board file gives FW-MODEL-MISSING (low); an image without one
# gives nothing and S1.1-10 is not judged from the firmware.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs python3

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
sqfs "$C" "$T/c.img"
run c "$T/c.img"
want "$T/c.json" "FW-MODEL-MISSING low S1.1-10 c.img:squashfs searched: etc/model, tmp/sysinfo/model, etc/board.json, etc/device_info"

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
