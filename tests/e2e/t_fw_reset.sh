#!/usr/bin/env bash
# fw.reset: absence is not a defect.  Images whose scripts show no reset
# and no writable place for credentials (squashfs with read-only mounts
# only, an update script's sysupgrade -n that is not a user's reset; an
# initramfs) give no finding: S1.1-14 and S1.1-15 are not judged from the
# firmware and need evidence, with the reason (vendor firmware resets and
# keeps settings from its own binaries).  One reset reached from several
# places (button, firstboot, jffs2reset) is one finding naming them all.
# Clean images give only the info findings with their evidence: a JFFS2
# data partition in a flash image with a reset button handler; an fstab
# overlay mount with a hotplug button erasing rootfs_data; a ubifs mount
# in an init script with the shadow file linked onto it and a web UI
# reset (sysupgrade -n in a CGI).  An image without an operating system
# gives neither.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs mkfs.jffs2 cpio

# os_root DIR: busybox, its shell, passwd and shadow.
os_root() {
	mkdir -p "$1/bin" "$1/sbin" "$1/etc/init.d" "$1/usr/bin"
	printf '\177ELF\002\001\001\000busybox\000' >"$1/bin/busybox"
	chmod 0755 "$1/bin/busybox"
	ln -s busybox "$1/bin/sh"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$1/etc/passwd"
	printf 'root:$1$abc$0123456789abcdefghij/.:19000:0:99999:7:::\n' >"$1/etc/shadow"
	printf '#!/bin/sh\nmount -t proc proc /proc\n' >"$1/etc/init.d/rcS"
	chmod 0600 "$1/etc/shadow"
	chmod 0755 "$1/etc/init.d/rcS"
}
script() {
	mkdir -p "$(dirname "$1")"
	cat >"$1"
	chmod 0755 "$1"
}
run() {
	local n=$1 img=$2 rc=0
	"$STARLAB" firmware --format json "$img" >"$T/$n.json" || rc=$?
	echo "$rc" >"$T/$n.rc"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$n.json" >/dev/null
}

# ---- planted: read-only credentials, no reset ------------------------
R=$T/ro
os_root "$R"
printf '/dev/mtdblock3 /rom squashfs ro 0 0\n/dev/mtdblock4 /data jffs2 ro,noatime 0 0\n' \
	>"$R/etc/fstab"
# An update that wipes the settings is no reset the user can run.
script "$R/usr/bin/ota-update.sh" <<'X'
#!/bin/sh
wget -q -O /tmp/fw.bin https://fw.vendor.io/latest.bin && sysupgrade -n /tmp/fw.bin
X

# ---- planted: credentials in an initramfs ---------------------------
I=$T/ramfs
os_root "$I"
printf '#!/bin/sh\nexec /sbin/init\n' >"$I/init"
chmod 0755 "$I/init"
(cd "$I" && find . | LC_ALL=C sort | cpio -o -H newc --quiet >"$T/ramfs.img")

# ---- clean: a JFFS2 data partition, a reset button handler ----------
F=$T/flash
os_root "$F"
script "$F/etc/rc.button/reset" <<'X'
#!/bin/sh
[ "$SEEN" -ge 5 ] && jffs2reset -y && reboot &
X
script "$F/sbin/firstboot" <<'X'
#!/bin/sh
/sbin/jffs2reset $@
X
printf '\177ELF\002\001\001\000jffs2reset\000' >"$F/sbin/jffs2reset"
chmod 0755 "$F/sbin/jffs2reset"
mkdir -p "$T/data/etc/config"
printf "config system\n\toption hostname 'router'\n" >"$T/data/etc/config/system"

# ---- clean: an fstab overlay, a hotplug button erasing rootfs_data ---
O=$T/overlay
os_root "$O"
printf '# <dev> <mnt> <type> <opts>\n/dev/mtdblock5 /overlay jffs2 rw,noatime 0 0\n' >"$O/etc/fstab"
script "$O/etc/hotplug.d/button/50-reset" <<'X'
#!/bin/sh
[ "$BUTTON" = "reset" ] || exit 0
mtd -r erase rootfs_data
X

# ---- clean: ubifs mounted by an init script, shadow linked onto it ---
U=$T/ubimount
os_root "$U"
rm "$U/etc/shadow"
ln -s /data/etc/shadow "$U/etc/shadow"
script "$U/etc/init.d/data" <<'X'
#!/bin/sh
ubiattach -m 4
mount -t ubifs ubi0:data /data
X
script "$U/www/cgi-bin/factory.cgi" <<'X'
#!/bin/sh
echo "Content-Type: text/plain"; echo
sysupgrade -n -r /rom/firmware.bin
X

# ---- no operating system: no judgement ------------------------------
P=$T/part
mkdir -p "$P/etc"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$P/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$P/etc/shadow"

fw_reports ro overlay ubimount part
run ramfs "$T/ramfs.img"
mksquashfs "$F" "$T/flash.sqfs" -comp xz -all-root -noappend -no-progress >/dev/null
mkfs.jffs2 -r "$T/data" -o "$T/data.jffs2" -e 64KiB -l -U --pad=0x20000
python3 - "$T/flash.sqfs" "$T/data.jffs2" "$T/flash.img" <<'PY'
import sys
root = open(sys.argv[1], "rb").read()
data = open(sys.argv[2], "rb").read()
assert len(root) <= 0x40000
flash = bytearray(b"\xff" * 0x40000) + data
flash[0:len(root)] = root
open(sys.argv[3], "wb").write(flash)
PY
run flash "$T/flash.img"

python3 - "$T" <<'PY' || fail "fw.reset findings"
import json, os, sys
T = sys.argv[1]
def load(n):
    return json.load(open(os.path.join(T, n + ".json")))
def mine(r):
    return [f for f in r["findings"] if f["id"].startswith(("FW-RESET-", "FW-PERSIST-"))]
def keys(r):
    return {(f["id"], tuple(f["requirements"]), f["severity"], f["evidence"]["path"])
            for f in mine(r)}
S14, S15 = ("S1.1-14",), ("S1.1-15",)
NONE, RO = "FW-RESET-NONE", "FW-PERSIST-READONLY"
MECH, RW = "FW-RESET-MECHANISM", "FW-PERSIST-WRITABLE"

def why(r, req):
    c = {c["id"]: c for c in r["checklist"]}[req]
    assert c["verdict"] == "needs-evidence", c
    return " ".join(c["missing_evidence"])

r = load("ro")
assert mine(r) == [], mine(r)
w = why(r, "S1.1-14")
assert w.startswith("firmware: etc/shadow is on squashfs, and no jffs2"), w
assert "power cycle on the device" in w, w
w = why(r, "S1.1-15")
assert "no way to erase user data in the image's scripts" in w, w

r = load("ramfs")
assert mine(r) == [], mine(r)
assert "initramfs" in why(r, "S1.1-14")

# One reset, three places: one finding at the first, naming the others.
r = load("flash")
assert keys(r) == {(MECH, S15, "info", "flash.img:squashfs!/etc/rc.button/reset"),
                   (RW, S14, "info", "flash.img@0x40000:jffs2")}, keys(r)
f = [f for f in mine(r) if f["id"] == MECH][0]
assert f["evidence"]["excerpt"].endswith("; also: sbin/firstboot, sbin/jffs2reset"), f

r = load("overlay")
k = keys(r)
assert k == {(MECH, S15, "info", "overlay.img:squashfs!/etc/hotplug.d/button/50-reset"),
             (RW, S14, "info", "overlay.img:squashfs!/etc/fstab")}, k
f = {f["id"]: f for f in mine(r)}
hp = open(os.path.join(T, "overlay/etc/hotplug.d/button/50-reset"), "rb").read()
assert f[MECH]["evidence"]["offset"] == hp.index(b"mtd -r"), f[MECH]
assert f[MECH]["evidence"]["excerpt"] == "mtd -r erase rootfs_data", f[MECH]
fs = open(os.path.join(T, "overlay/etc/fstab"), "rb").read()
assert f[RW]["evidence"]["offset"] == fs.index(b"/dev/mtdblock5"), f[RW]

r = load("ubimount")
k = keys(r)
assert k == {(MECH, S15, "info", "ubimount.img:squashfs!/www/cgi-bin/factory.cgi"),
             (RW, S14, "info", "ubimount.img:squashfs!/etc/init.d/data")}, k
f = {f["id"]: f for f in mine(r)}
assert f[RW]["evidence"]["excerpt"] == "mount -t ubifs ubi0:data /data", f[RW]
assert f[MECH]["evidence"]["excerpt"] == "sysupgrade -n -r /rom/firmware.bin", f[MECH]

for n in ("flash", "overlay", "ubimount"):
    r = load(n)
    assert all(f["severity"] == "info" for f in mine(r)), n
    v = {c["id"]: c["verdict"] for c in r["checklist"]}
    assert v["S1.1-14"] != "non-conformant" and v["S1.1-15"] != "non-conformant", (n, v)

r = load("part")
assert mine(r) == [], mine(r)
PY
# ro fails for its OTA script (unsigned installs, S1.1-08), not for absence.
[ "$(cat "$T/ro.rc")" -eq 1 ] || fail "planted image should exit 1"
echo ok
