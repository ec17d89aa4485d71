#!/usr/bin/env bash
# fw.update: planted images give each finding with its requirement ids:
# an update script downloading over http:// (through a variable), with
# curl -k, or by TFTP and installing without a signature check
# (FW-UPDATE-INSECURE-INSTALL), vendor scripts without any key, RAUC,
# SWUpdate, Mender and APT without their keys (FW-UPDATE-NO-VERIFY-KEY), one
# S1.1-08 finding per update path.  OpenWrt's sysupgrade with opkg's feed
# keys, a plain download in lib/upgrade and LuCI's flash page is one path
# with one finding; the feed keys are not firmware keys and a library that
# writes only an erase marker is no update path.  No mechanism and no
# version in the scripts is not judged from the firmware (needs evidence).
# Clean images (OpenWrt sysupgrade with a usign key and a verifying
# script; RAUC, SWUpdate, Mender and APT with their keys) give only the info
# findings, with the version read from each kind of source.  With
# --update-key: FIT images signed by mkimage (RSA, ECDSA) and detached
# signatures (openssl RSA, Ed25519, signify) verify; a wrong key or a
# changed image does not; an unsigned image is reported; an unreadable or
# bogus key leaves the run incomplete.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs mkimage dtc openssl signify-openbsd

ossl() { openssl "$@" 2>/dev/null; }

# os_root DIR: the smallest operating-system root (busybox and its shell),
# with what fw.reset wants to see (firstboot, mount_root).
os_root() {
	mkdir -p "$1/bin" "$1/sbin" "$1/etc" "$1/usr/bin" "$1/usr/sbin"
	printf '\177ELF\002\001\001\000busybox\000' >"$1/bin/busybox"
	chmod 0755 "$1/bin/busybox"
	ln -s busybox "$1/bin/sh"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$1/etc/passwd"
	# Root locked ("*"): on OpenWrt a bare root:x: would be no password.
	printf 'root:*:19000:0:99999:7:::\n' >"$1/etc/shadow"
	printf '#!/bin/sh\n/sbin/jffs2reset -y && reboot\n' >"$1/sbin/firstboot"
	printf '\177ELF\002\001\001\000mount_root\000' >"$1/sbin/mount_root"
	chmod 0755 "$1/sbin/firstboot" "$1/sbin/mount_root"
}
# script FILE: write stdin to FILE as an executable script.
script() {
	mkdir -p "$(dirname "$1")"
	cat >"$1"
	chmod 0755 "$1"
}
# fake_bin FILE: a stand-in ELF binary.
fake_bin() {
	mkdir -p "$(dirname "$1")"
	printf '\177ELF\002\001\001\000%s\000' "$(basename "$1")" >"$1"
	chmod 0755 "$1"
}
# run NAME IMAGE [options]: the report of one image, validated.
run() {
	local n=$1 img=$2 rc=0
	shift 2
	"$STARLAB" firmware --format json "$@" "$img" >"$T/$n.json" || rc=$?
	echo "$rc" >"$T/$n.rc"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$n.json" >/dev/null
}

# ---- planted: insecure install paths, vendor scripts, no key --------
B=$T/bad
os_root "$B"
script "$B/usr/sbin/fw-update" <<'X'
#!/bin/sh
# Vendor updater: fetch the image and flash it.
URL=http://fw.vendor.io/sdr/latest.bin
wget -q -O /tmp/fw.bin "$URL" || exit 1
mtd -r write /tmp/fw.bin firmware
X
script "$B/usr/bin/ota.sh" <<'X'
#!/bin/sh
curl -fsSLk -o /tmp/u.bin https://fw.vendor.io/u.bin && sysupgrade /tmp/u.bin
X
script "$B/etc/init.d/fwload" <<'X'
#!/bin/sh /etc/rc.common
start() {
	tftp -g -r fw.bin -l /tmp/fw.bin 10.0.0.1
	flashcp /tmp/fw.bin /dev/mtd3
}
X
# Downloads in clear but checks a signature first: no finding.
script "$B/usr/sbin/fw-upgrade-safe" <<'X'
#!/bin/sh
wget -O /tmp/f.bin http://fw.vendor.io/f.bin
wget -O /tmp/f.sig http://fw.vendor.io/f.sig
usign -V -m /tmp/f.bin -P /etc/opkg/keys || exit 1
sysupgrade /tmp/f.bin
X
# Downloads in clear, installs nothing: not an update path.
script "$B/usr/bin/status-report" <<'X'
#!/bin/sh
wget -q -O /tmp/status http://api.vendor.io/status
X

# ---- planted: RAUC, SWUpdate and Mender without their keys ----------
R=$T/badmech
os_root "$R"
fake_bin "$R/usr/bin/rauc"
fake_bin "$R/usr/bin/swupdate"
fake_bin "$R/usr/bin/mender"
fake_bin "$R/usr/bin/apt-get"
mkdir -p "$R/etc/rauc" "$R/etc/mender"
printf '[system]\ncompatible=sdr\nbootloader=uboot\n\n[keyring]\npath=/etc/rauc/ca.cert.pem\n' \
	>"$R/etc/rauc/system.conf"
printf 'globals :\n{\n\tverbose = true;\n};\n' >"$R/etc/swupdate.cfg"
printf '{\n  "ServerURL": "https://hosted.mender.io",\n  "RootfsPartA": "/dev/mmcblk0p2"\n}\n' \
	>"$R/etc/mender/mender.conf"
printf 'NAME="VendorOS"\nVERSION="4.2.1 (Falcon)"\nVERSION_ID=4.2.1\n' >"$R/etc/os-release"
script "$R/usr/sbin/swu-fetch" <<'X'
#!/bin/sh
SRV=http://10.1.1.1/update.swu
curl -s -o /tmp/u.swu $SRV
swupdate -v -i /tmp/u.swu
X

# ---- planted: an operating system and no update mechanism -----------
N=$T/none
os_root "$N"

# ---- clean: OpenWrt sysupgrade, a usign key, a verifying script ------
G=$T/good
os_root "$G"
script "$G/sbin/sysupgrade" <<'X'
#!/bin/sh
. /lib/upgrade/common.sh
X
mkdir -p "$G/lib/upgrade" "$G/etc/opkg/keys"
printf 'platform_check_image() { return 0; }\n' >"$G/lib/upgrade/common.sh"
# The install path checks the image's signature with the feed keys.
printf 'fwtool_check_signature() {\n\tucert -V -m "$1" -c /tmp/sysupgrade.ucert -P /etc/opkg/keys\n}\n' \
	>"$G/lib/upgrade/fwtool.sh"
signify-openbsd -G -n -c 'public key 4d017b8c' -p "$T/usign.pub" -s "$T/usign.sec"
cp "$T/usign.pub" "$G/etc/opkg/keys/4d017b8c2e3b8d7a"
printf "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='21.02.3'\nDISTRIB_REVISION='r16554-1d4dea6d4f'\n" \
	>"$G/etc/openwrt_release"
# Clean for fw.model too: a model in OpenWrt's board file.
printf '{ "model": { "id": "vendor,sdr-1", "name": "Vendor SDR-1" } }\n' \
	>"$G/etc/board.json"
script "$G/usr/sbin/fw-update" <<'X'
#!/bin/sh
wget -q -O /tmp/fw.bin https://fw.vendor.io/sdr/latest.bin || exit 1
wget -q -O /tmp/fw.sig https://fw.vendor.io/sdr/latest.bin.sig || exit 1
usign -V -q -m /tmp/fw.bin -x /tmp/fw.sig -P /etc/opkg/keys || exit 1
sysupgrade /tmp/fw.bin
X

# ---- clean: RAUC, SWUpdate and Mender with their keys ----------------
K=$T/goodmech
os_root "$K"
fake_bin "$K/usr/bin/rauc"
fake_bin "$K/usr/bin/swupdate"
fake_bin "$K/usr/bin/mender"
fake_bin "$K/usr/bin/apt-get"
mkdir -p "$K/etc/rauc" "$K/etc/mender" "$K/etc/swupdate" "$K/etc/init.d" \
	"$K/etc/apt/trusted.gpg.d"
printf '\231\001\015\004vendor-keyring' >"$K/etc/apt/trusted.gpg.d/vendor.gpg"
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/upd.key"
ossl pkey -in "$T/upd.key" -pubout -out "$K/etc/swupdate/public.pem"
cp "$K/etc/swupdate/public.pem" "$K/etc/mender/artifact-verify-key.pem"
cp "$K/etc/swupdate/public.pem" "$K/etc/rauc/ca.pem"
printf '[system]\ncompatible=sdr\n\n[keyring]\npath=ca.pem\n' >"$K/etc/rauc/system.conf"
script "$K/etc/init.d/swupdate" <<'X'
#!/bin/sh
swupdate -k /etc/swupdate/public.pem -w "-r /www" &
X
printf '{\n  "ArtifactVerifyKey": "/etc/mender/artifact-verify-key.pem"\n}\n' \
	>"$K/etc/mender/mender.conf"
printf '3.1.4\n' >"$K/etc/version"

# ---- clean: version in the banner; in sw-versions ------------------
V1=$T/verbanner
os_root "$V1"
fake_bin "$V1/sbin/sysupgrade"
mkdir -p "$V1/etc/opkg/keys"
cp "$T/usign.pub" "$V1/etc/opkg/keys/4d017b8c2e3b8d7a"
printf '  _______\n |       |\n -----------\n OpenWrt 22.03.5, r20134-5f15225c1e\n -----------\n' \
	>"$V1/etc/banner"
V2=$T/verswu
os_root "$V2"
printf 'firmware 2.7.1\nbootloader 2019.04\n' >"$V2/etc/sw-versions"

# ---- planted: OpenWrt's own layout (Barrier Breaker, Chaos Calmer) ----
O=$T/owrt
os_root "$O"
script "$O/sbin/sysupgrade" <<'X'
#!/bin/sh
. /lib/upgrade/common.sh
sysupgrade_image_check="platform_check_image"
do_upgrade
X
mkdir -p "$O/lib/upgrade" "$O/lib/functions" "$O/etc/opkg/keys" \
	"$O/usr/lib/lua/luci/controller/admin"
cat >"$O/lib/upgrade/common.sh" <<'X'
install_bin /usr/sbin/ubiupdatevol
get_image() {
	case "$1" in
		http://*|ftp://*) cmd="wget -O- -q";;
		*) cmd="cat";;
	esac
	$cmd "$1"
}
default_do_upgrade() {
	get_image "$1" | mtd write - "${PART_NAME:-image}"
}
X
# fstools' erase marker and sysupgrade's lock file: no update path.
script "$O/lib/functions/overlay.sh" <<'X'
#!/bin/sh
mark_reformat() {
	echo -e "\xde\xad\xc0\xde" | mtd -qq write - "$1"
}
X
script "$O/sbin/snapshot" <<'X'
#!/bin/sh
do_convert() {
	snapshot_tool write
	touch /tmp/sysupgrade
}
X
cat >"$O/usr/lib/lua/luci/controller/admin/system.lua" <<'X'
function action_flashops()
	local image_tmp = "/tmp/firmware.img"
	fork_exec("sleep 1; killall dropbear uhttpd; sleep 1; /sbin/sysupgrade %s %q" %{ keep, image_tmp })
end
X
cp "$T/usign.pub" "$O/etc/opkg/keys/4d017b8c2e3b8d7a"
printf 'option check_signature 1\n' >"$O/etc/opkg.conf"

fw_reports bad badmech none good goodmech verbanner verswu owrt

# The version as the uImage name of the kernel, on a flash image.
V3=$T/veruimg
os_root "$V3"
python3 -c 'import random; r=random.Random(5); open("'"$T"'/vmlinux","wb").write(bytes(r.getrandbits(8) for _ in range(4000)))'
mkimage -A arm -O linux -T kernel -C none -a 0x80008000 -e 0x80008000 \
	-n "VendorOS 5.0.2" -d "$T/vmlinux" "$T/uImage" >/dev/null
mksquashfs "$V3" "$T/v3.sqfs" -comp xz -all-root -noappend -no-progress >/dev/null
python3 - "$T/uImage" "$T/v3.sqfs" "$T/veruimg.img" <<'PY'
import sys
k = open(sys.argv[1], "rb").read()
r = open(sys.argv[2], "rb").read()
flash = bytearray(b"\xff" * 0x40000)
flash[0:len(k)] = k
flash[0x10000:0x10000 + len(r)] = r
open(sys.argv[3], "wb").write(flash)
PY
run veruimg "$T/veruimg.img"

# A single package (an OpenWrt .ipk: a gzip'd tar of debian-binary,
# control.tar.gz and data.tar.gz) is not a firmware image: no whole-image
# judgement (update, version, reset, model) however complete its data is.
P=$T/pkg
mkdir -p "$P/data" "$P/control" "$P/ipk"
os_root "$P/data"
printf 'Package: busybox\nVersion: 1.36.1-1\nArchitecture: mipsel_24kc\n' >"$P/control/control"
(cd "$P/data" && tar -czf "$P/ipk/data.tar.gz" --owner=0 --group=0 .)
(cd "$P/control" && tar -czf "$P/ipk/control.tar.gz" --owner=0 --group=0 .)
printf '2.0\n' >"$P/ipk/debian-binary"
(cd "$P/ipk" && tar -czf "$T/pkg.ipk" --owner=0 --group=0 ./debian-binary ./data.tar.gz ./control.tar.gz)
run pkg "$T/pkg.ipk"
python3 - "$T/pkg.json" <<'PY' || fail "package archive"
import json, sys
r = json.load(open(sys.argv[1]))
whole = [f for f in r["findings"] if f["id"].startswith(("FW-UPDATE", "FW-VERSION", "FW-RESET", "FW-PERSIST", "FW-MODEL"))]
assert whole == [], whole
c = {c["id"]: c for c in r["checklist"]}
for req in ("S1.1-06", "S1.1-14", "S1.1-15"):
    m = " ".join(c[req]["missing_evidence"])
    assert "single software package" in m, (req, m)
PY

python3 - "$T" <<'PY' || fail "fw.update findings"
import json, os, sys
T = sys.argv[1]
def load(n):
    return json.load(open(os.path.join(T, n + ".json")))
def mine(r):
    return [f for f in r["findings"]
            if f["id"].startswith(("FW-UPDATE-", "FW-VERSION"))]
def keys(r):
    return {(f["id"], tuple(f["requirements"]), f["severity"],
             f["evidence"]["path"].split("!/")[-1]) for f in mine(r)}
H, I = "high", "info"
S6, S8 = ("S1.1-06",), ("S1.1-08",)
II, NK = "FW-UPDATE-INSECURE-INSTALL", "FW-UPDATE-NO-VERIFY-KEY"
MECH, KEY = "FW-UPDATE-MECHANISM", "FW-UPDATE-VERIFY-KEY"

# Insecure install paths, one per script, at the download line.
r = load("bad")
k = keys(r)
want = {
    (II, S8, H, "usr/sbin/fw-update"), (II, S8, H, "usr/bin/ota.sh"),
    (II, S8, H, "etc/init.d/fwload"),
    (MECH, S6, I, "usr/sbin/fw-update"), (MECH, S6, I, "usr/bin/ota.sh"),
    (MECH, S6, I, "usr/sbin/fw-upgrade-safe"), (MECH, S6, I, "etc/init.d/fwload"),
}
got = k
assert got == want, (sorted(got - want), sorted(want - got))
ins = {f["evidence"]["path"].split("!/")[-1]: f for f in mine(r) if f["id"] == II}
fw = open(os.path.join(T, "bad/usr/sbin/fw-update"), "rb").read()
f = ins["usr/sbin/fw-update"]
assert f["evidence"]["offset"] == fw.index(b"wget"), f
assert f["evidence"]["excerpt"] == 'wget -q -O /tmp/fw.bin "$URL" || exit 1', f
assert "over plain HTTP" in f["title"] and "mtd write" in f["title"], f["title"]
assert "TLS certificate verification off" in ins["usr/bin/ota.sh"]["title"]
assert "sysupgrade" in ins["usr/bin/ota.sh"]["title"]
assert "TFTP" in ins["etc/init.d/fwload"]["title"] and "flashcp" in ins["etc/init.d/fwload"]["title"]
assert all("Evidence for conformance" in f["remediation"] for f in mine(r) if f["severity"] != "info")
assert all("Evidence for S1.1-0" in f["remediation"] for f in mine(r) if f["severity"] == "info")
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-08"] == "non-conformant", v
c = {c["id"]: c for c in r["checklist"]}
assert c["S1.1-06"]["verdict"] == "needs-evidence", c["S1.1-06"]
assert "no version file in the image" in " ".join(c["S1.1-06"]["missing_evidence"])

# RAUC, SWUpdate and Mender without keys; the version from os-release.
r = load("badmech")
k = keys(r)
want = {
    (NK, S8, H, "etc/rauc/system.conf"), (NK, S8, H, "usr/bin/swupdate"),
    (NK, S8, H, "usr/bin/mender"), (II, S8, H, "usr/sbin/swu-fetch"),
    (NK, S8, H, "usr/bin/apt-get"), (MECH, S6, I, "usr/bin/apt-get"),
    (MECH, S6, I, "usr/bin/rauc"), (MECH, S6, I, "usr/bin/swupdate"),
    (MECH, S6, I, "usr/bin/mender"), (MECH, S6, I, "usr/sbin/swu-fetch"),
    ("FW-VERSION", S6, I, "etc/os-release"),
}
assert k == want, (sorted(k - want), sorted(want - k))
f = [f for f in mine(r) if f["id"] == NK and f["evidence"]["path"].endswith("system.conf")][0]
assert f["evidence"]["excerpt"] == "path=/etc/rauc/ca.cert.pem", f
assert "not in the image" in f["title"], f["title"]
conf = open(os.path.join(T, "badmech/etc/rauc/system.conf"), "rb").read()
assert f["evidence"]["offset"] == conf.index(b"path="), f
f = [f for f in mine(r) if f["id"] == "FW-VERSION"][0]
assert f["evidence"]["excerpt"] == "4.2.1", f

# No mechanism and no version in the scripts: absence is not a defect
# (vendor firmware updates from its web server); not judged, and said so.
r = load("none")
assert mine(r) == [], mine(r)
c = {c["id"]: c for c in r["checklist"]}
assert c["S1.1-06"]["verdict"] == "needs-evidence", c["S1.1-06"]
miss = " ".join(c["S1.1-06"]["missing_evidence"])
assert "no update mechanism in the image's scripts" in miss, miss
assert c["S1.1-08"]["verdict"] == "needs-evidence", c["S1.1-08"]

# OpenWrt's layout: one update path, one S1.1-08 finding naming its parts;
# opkg's feed keys are not firmware keys; the erase marker and the lock
# file are no update path.
r = load("owrt")
k = keys(r)
want = {(MECH, S6, I, "sbin/sysupgrade"), (NK, S8, H, "sbin/sysupgrade")}
assert k == want, (sorted(k - want), sorted(want - k))
f = [f for f in mine(r) if f["id"] == NK][0]
assert "plain HTTP" in f["title"] and "without checking a signature" in f["title"], f
ex = f["evidence"]["excerpt"]
assert "usr/lib/lua/luci/controller/admin/system.lua" in ex and "lib/upgrade/common.sh" in ex, ex
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-08"] == "non-conformant", v

# Clean: only info, with the evidence.
r = load("good")
k = keys(r)
want = {
    (MECH, S6, I, "sbin/sysupgrade"), (MECH, S6, I, "usr/sbin/fw-update"),
    (KEY, S8, I, "etc/opkg/keys/4d017b8c2e3b8d7a"),
    ("FW-VERSION", S6, I, "etc/openwrt_release"),
}
assert k == want, (sorted(k - want), sorted(want - k))
f = [f for f in mine(r) if f["id"] == "FW-VERSION"][0]
assert f["evidence"]["excerpt"] == "21.02.3 r16554-1d4dea6d4f", f
assert all(f["severity"] == "info" for f in r["findings"]), r["findings"]
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-06"] != "non-conformant" and v["S1.1-08"] != "non-conformant", v

r = load("goodmech")
k = keys(r)
want = {
    (MECH, S6, I, "usr/bin/rauc"), (MECH, S6, I, "usr/bin/swupdate"),
    (MECH, S6, I, "usr/bin/mender"),
    (KEY, S8, I, "etc/rauc/ca.pem"), (KEY, S8, I, "etc/swupdate/public.pem"),
    (KEY, S8, I, "etc/mender/artifact-verify-key.pem"),
    (MECH, S6, I, "usr/bin/apt-get"),
    (KEY, S8, I, "etc/apt/trusted.gpg.d/vendor.gpg"),
    ("FW-VERSION", S6, I, "etc/version"),
}
assert k == want, (sorted(k - want), sorted(want - k))
assert [f["evidence"]["excerpt"] for f in mine(r) if f["id"] == "FW-VERSION"] == ["3.1.4"]

for n, path, ver in (("verbanner", "etc/banner", "22.03.5"),
                     ("verswu", "etc/sw-versions", "firmware 2.7.1"),
                     ("veruimg", "image-0", "VendorOS 5.0.2")):
    r = load(n)
    fs = [f for f in mine(r) if f["id"].startswith("FW-VERSION")]
    assert len(fs) == 1 and fs[0]["id"] == "FW-VERSION", (n, fs)
    assert fs[0]["evidence"]["path"].endswith(path), (n, fs)
    assert fs[0]["evidence"]["excerpt"] == ver, (n, fs)
PY
[ "$(cat "$T/bad.rc")" -eq 1 ] || fail "planted image should exit 1"
[ "$(cat "$T/good.rc")" -eq 0 ] || fail "clean image should exit 0"

# ---- --update-key ---------------------------------------------------
mkdir -p "$T/k/rsa" "$T/k/ec"
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/k/rsa/dev.key"
ossl req -batch -new -x509 -key "$T/k/rsa/dev.key" -subj /CN=dev -days 30 -out "$T/k/rsa/dev.crt"
ossl pkey -in "$T/k/rsa/dev.key" -pubout -out "$T/rsa.pub"
ossl x509 -in "$T/k/rsa/dev.crt" -outform DER -out "$T/rsa.der"
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/other.key"
ossl pkey -in "$T/other.key" -pubout -out "$T/other.pub"
ossl ecparam -name prime256v1 -genkey -noout -out "$T/k/ec/ec.pem"
ossl pkey -in "$T/k/ec/ec.pem" -pubout -out "$T/ec.pub"
ossl genpkey -algorithm ed25519 -out "$T/ed.key"
ossl pkey -in "$T/ed.key" -pubout -out "$T/ed.pub"
signify-openbsd -G -n -p "$T/sg.pub" -s "$T/sg.sec"
signify-openbsd -G -n -p "$T/sg2.pub" -s "$T/sg2.sec"

python3 -c 'import random; r=random.Random(9); open("'"$T"'/kernel.bin","wb").write(bytes(r.getrandbits(8) for _ in range(3000)))'
# its ALGO KEYNAME: a FIT with one kernel, signed when ALGO is given.
its() {
	cat <<X
/dts-v1/;
/ {
	description = "Vendor firmware";
	#address-cells = <1>;
	images {
		kernel-1 {
			description = "VendorOS 6.1.0";
			data = /incbin/("$T/kernel.bin");
			type = "kernel"; arch = "arm"; os = "linux";
			compression = "none";
			load = <0x80000>; entry = <0x80000>;
			hash-1 { algo = "sha256"; };
X
	[ -n "$1" ] && printf '\t\t\tsignature-1 { algo = "%s"; key-name-hint = "%s"; };\n' "$1" "$2"
	cat <<X
		};
	};
	configurations {
		default = "conf-1";
		conf-1 { kernel = "kernel-1"; };
	};
};
X
}
its sha256,rsa2048 dev >"$T/rsa.its"
its sha256,ecdsa256 ec >"$T/ec.its"
its "" "" >"$T/plain.its"
mkimage -f "$T/rsa.its" -k "$T/k/rsa" -r "$T/rsa.itb" >/dev/null
mkimage -f "$T/ec.its" -k "$T/k/ec" -r "$T/ec.itb" >/dev/null
mkimage -f "$T/plain.its" "$T/plain.itb" >/dev/null

run fit_rsa "$T/rsa.itb" --update-key "$T/rsa.pub"
run fit_crt "$T/rsa.itb" --update-key "$T/k/rsa/dev.crt"
run fit_der "$T/rsa.itb" --update-key "$T/rsa.der"
run fit_ec "$T/ec.itb" --update-key "$T/ec.pub"
run fit_wrong "$T/rsa.itb" --update-key "$T/other.pub"
run fit_wrongtype "$T/rsa.itb" --update-key "$T/ec.pub"
run fit_plain "$T/plain.itb" --update-key "$T/rsa.pub"

# Detached signatures next to an image.
mksquashfs "$N" "$T/d_rsa.img" -comp xz -all-root -noappend -no-progress >/dev/null
for v in d_ed d_sg d_sgother d_bad; do cp "$T/d_rsa.img" "$T/$v.img"; done
ossl dgst -sha256 -sign "$T/k/rsa/dev.key" -out "$T/d_rsa.img.sig" "$T/d_rsa.img"
ossl pkeyutl -sign -inkey "$T/ed.key" -rawin -in "$T/d_ed.img" -out "$T/d_ed.img.sig"
signify-openbsd -S -s "$T/sg.sec" -m "$T/d_sg.img" -x "$T/d_sg.img.sig"
signify-openbsd -S -s "$T/sg2.sec" -m "$T/d_sgother.img" -x "$T/d_sgother.img.sig"
ossl dgst -sha256 -sign "$T/k/rsa/dev.key" -out "$T/d_bad.img.sig" "$T/d_bad.img"
printf 'x' >>"$T/d_bad.img" # changed after signing

run d_rsa "$T/d_rsa.img" --update-key "$T/rsa.pub"
run d_ed "$T/d_ed.img" --update-key "$T/ed.pub"
run d_sg "$T/d_sg.img" --update-key "$T/sg.pub"
run d_sgother "$T/d_sgother.img" --update-key "$T/sg.pub"
run d_bad "$T/d_bad.img" --update-key "$T/rsa.pub"
printf 'not a key\n' >"$T/bogus.pem"
# A mistyped key path is a usage error naming the path, before any work.
rc=0
"$STARLAB" firmware --update-key "$T/nonexistent.pem" "$T/plain.itb" \
	>"$T/k_missing.out" 2>"$T/k_missing.err" || rc=$?
[ "$rc" -eq 2 ] || fail "--update-key missing file: exit $rc, want 2"
grep -q "update-key $T/nonexistent.pem: No such file" "$T/k_missing.err" ||
	fail "--update-key missing file: $(cat "$T/k_missing.err")"
[ -s "$T/k_missing.out" ] && fail "--update-key missing file: a report"
run k_bogus "$T/plain.itb" --update-key "$T/bogus.pem"

python3 - "$T" <<'PY' || fail "--update-key"
import json, os, sys
T = sys.argv[1]
def sig(n):
    r = json.load(open(os.path.join(T, n + ".json")))
    return r, sorted((f["id"], tuple(f["requirements"]), f["severity"],
                      f["evidence"]["path"]) for f in r["findings"]
                     if f["id"].startswith(("FW-UPDATE-SIGNATURE", "FW-UPDATE-UNSIGNED")))
S8 = ("S1.1-08",)
VALID, BAD = "FW-UPDATE-SIGNATURE-VALID", "FW-UPDATE-SIGNATURE-INVALID"
for n, img in (("fit_rsa", "rsa"), ("fit_crt", "rsa"), ("fit_der", "rsa"), ("fit_ec", "ec")):
    r, s = sig(n)
    assert s == [(VALID, S8, "info", img + ".itb:fit!/kernel-1")], (n, s)
    v = {c["id"]: c["verdict"] for c in r["checklist"]}
    assert v["S1.1-08"] != "non-conformant", (n, v)
    assert r["incomplete"] == [], (n, r["incomplete"])
for n in ("fit_wrong", "fit_wrongtype"):
    r, s = sig(n)
    assert s == [(BAD, S8, "high", "rsa.itb:fit!/kernel-1")], (n, s)
    v = {c["id"]: c["verdict"] for c in r["checklist"]}
    assert v["S1.1-08"] == "non-conformant", (n, v)
r, s = sig("fit_plain")
assert s == [("FW-UPDATE-UNSIGNED", S8, "high", "plain.itb")], s
f = [f for f in r["findings"] if f["id"] == "FW-UPDATE-UNSIGNED"][0]
assert f["title"] == "image carries no signature", f
for n in ("d_rsa", "d_ed", "d_sg"):
    r, s = sig(n)
    assert s == [(VALID, S8, "info", n + ".img.sig")], (n, s)
for n in ("d_sgother", "d_bad"):
    r, s = sig(n)
    assert s == [(BAD, S8, "high", n + ".img.sig")], (n, s)
r, s = sig("d_sgother")
assert "another key" in r["findings"][[f["id"] for f in r["findings"]].index(BAD)]["evidence"]["excerpt"]
for n, why in (("k_bogus", "bogus.pem: not a PEM"),):
    r, s = sig(n)
    assert s == [], (n, s)
    assert any("fw.update" in i and why in i for i in r["incomplete"]), (n, r["incomplete"])
    assert r["summary"]["complete"] is False
PY
[ "$(cat "$T/fit_wrong.rc")" -eq 1 ] || fail "a wrong signature should exit 1"

# An image without an operating system: the update path cannot be judged
# from it, so firmware evidence stays missing, with the reason.
mkdir -p "$T/noos/etc"
echo "name=sensor" >"$T/noos/etc/board.conf"
fw_reports noos
python3 - "$T/noos.json" <<'PY' || fail "no-OS image: S1.1-06/08 must stay without firmware evidence"
import json, sys
r = json.load(open(sys.argv[1]))
c = {e["id"]: e for e in r["checklist"]}
for req in ("S1.1-06", "S1.1-08", "S1.1-14", "S1.1-15"):
    miss = c[req]["missing_evidence"]
    assert any(m.startswith("firmware: the image holds no operating system") for m in miss), (req, miss)
PY
echo ok
