#!/usr/bin/env bash
# fw.components: a planted image (BusyBox 1.31.1 among binary bytes,
# libcrypto with OpenSSL 1.1.1k, the dropbear 2019.78 ident, uClibc-ng
# 1.0.31 by file name, an opkg status with dnsmasq-full 2.80) gives one
# FW-VULNERABLE-COMPONENT per vulnerable component, for S1.1-13, with the
# right CVE ids; a version in documentation gives nothing.  A clean image
# (current versions) lists its components and gives no such finding;
# with --vuln-db (an NVD JSON 2.0 file and an OSV file written here) its
# made-up packages match, and a malformed file there is named in the
# incomplete reasons.  --format cyclonedx passes a structural check of
# CycloneDX 1.5 and is byte-identical across runs but for its timestamp.
# One cause, one component: OpenWrt's wpad (hostapd and wpa_supplicant in
# one binary) is one component, a lone hostapd stays hostapd; a package's
# "SourceFile: dnsmasq-2.66.tar.gz" gives no version, its binary does; a
# kernel found again in a carved region of itself is listed once, two
# kernels in two places twice.  Known-bad builds: liblzma/xz 5.6.1 has
# CVE-2024-3094, 5.6.2 does not.  Architecture: musl 1.1.22 has the
# x86-only CVE-2019-14697 in an i386 ld-musl, not in a MIPS one.
# Optional features (src/vuln/features.c): a CVE of SAE, EAP-pwd or P2P
# counts only in a binary that carries the feature's mark (the full wpad,
# the hostapd with SAE); a mini build with the same banners and the
# config names OpenWrt's wpad-mini keeps ("sae_groups", "FT-SAE",
# "DIRECT-") has none of them; a wpa_supplicant known only from a package
# database is "not judged" (FW-COMPONENT-NOT-JUDGED, info), never
# reported as affected.  The same with real full builds: Debian's own
# wpa_supplicant 2.10 (SAE, EAP-pwd, P2P built in) and hostapd 2.10 (SAE,
# EAP-pwd; its version a bare "2.10" beside "hostapd v%s", which a binary
# with two bare versions does not give) in a squashfs, held
# against an OSV file (written here) whose ranges are widened to take
# 2.10, since every bundled row of these CVEs ends before it: its SAE,
# EAP-pwd and P2P CVEs are reported.  bench/fidelity.sh measures the rule
# on the real OpenWrt wpad-mini 2.3 and 2.6 binaries (no such code).
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs python3

B=$T/bad
G=$T/good
mkdir -p "$B/bin" "$B/lib" "$B/usr/lib/opkg" "$B/usr/sbin" "$B/usr/share/doc" \
	"$G/bin" "$G/usr/lib/opkg"

# binfile FILE STRING...: binary bytes with the strings inside.
binfile() {
	python3 - "$@" <<'PY'
import os, random, sys
r = random.Random(sys.argv[1])
body = b"\x7fELF\x01\x01\x01" + bytes(r.getrandbits(8) for _ in range(3000))
if os.environ.get("MACH"):  # e_machine, little-endian: 3 i386, 8 MIPS
    body = body[:18] + int(os.environ["MACH"]).to_bytes(2, "little") + body[20:]
for s in sys.argv[2:]:
    body += b"\0" + s.encode() + b"\0" + bytes(r.getrandbits(8) for _ in range(500))
open(sys.argv[1], "wb").write(body)
PY
}

binfile "$B/bin/busybox" "BusyBox v1.31.1 (2020-01-01 00:00:00 UTC) multi-call binary."
binfile "$B/usr/lib/libcrypto.so.1.1" "OpenSSL 1.1.1k  25 Mar 2021" "OpenSSL 1.1.1 or later"
binfile "$B/usr/sbin/dropbear" "SSH-2.0-dropbear_2019.78"
: >"$B/lib/ld-uClibc-1.0.31.so"
printf 'Built against OpenSSL 1.0.1f  6 Jan 2014 and BusyBox v1.20.0 (2012-01-01).\n' \
	>"$B/usr/share/doc/README"
cat >"$B/usr/lib/opkg/status" <<'X'
Package: dnsmasq-full
Version: 2.80-1.4
Depends: libc
Status: install user installed
Architecture: mipsel_24kc

Package: luci-base
Version: git-20.074.84698-ead5e81
Status: install user installed
Architecture: mipsel_24kc

Package: curl
Version: 7.60.0-1
Status: deinstall ok not-installed
Architecture: mipsel_24kc
X

binfile "$G/bin/busybox" "BusyBox v1.37.0 (2024-01-01 00:00:00 UTC) multi-call binary."
binfile "$G/usr/lib/libcrypto.so.3" "OpenSSL 3.0.15 3 Sep 2024"
cat >"$G/usr/lib/opkg/status" <<'X'
Package: dnsmasq
Version: 2.90-1
Status: install user installed

Package: frobd
Version: 1.5-2
Status: install user installed

Package: gizmo
Version: 4.2-1
Status: install user installed
X

for v in bad good; do
	mksquashfs "$T/$v" "$T/$v.img" -comp xz -all-root -noappend \
		-no-progress >/dev/null
done

# run NAME IMAGE ARGS...: the JSON report into $T/NAME.json, validated.
run() {
	local name=$1 img=$2 rc=0
	shift 2
	"$STARLAB" firmware --format json "$@" "$img" >"$T/$name.json" || rc=$?
	[ "$rc" -le 1 ] || fail "$name: starlab exited $rc"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$name.json" >/dev/null
}

run bad "$T/bad.img"
python3 - "$T/bad.json" <<'PY' || fail "bad image: wrong component findings"
import json, sys
j = json.load(open(sys.argv[1]))
comps = {(c["name"], c["version"]): c for c in j["components"]}
want = {
    ("busybox", "1.31.1"): ("bin/busybox", "CVE-2022-28391"),
    ("openssl", "1.1.1k"): ("usr/lib/libcrypto.so.1.1", "CVE-2021-3711"),
    ("dropbear", "2019.78"): ("usr/sbin/dropbear", "CVE-2020-36254"),
    ("uclibc", "1.0.31"): ("lib/ld-uClibc-1.0.31.so", "CVE-2021-43523"),
    ("dnsmasq", "2.80-1.4"): ("usr/lib/opkg/status", "CVE-2020-25681"),
}
for key, (path, cve) in want.items():
    c = comps.get(key)
    assert c, ("missing component", key, sorted(comps))
    assert c["where"]["path"].endswith("!/" + path), c
    assert c["source"] == "firmware", c
    assert cve in c["cves"], (key, c["cves"])
assert comps[("dnsmasq", "2.80-1.4")]["purl"] == \
    "pkg:opkg/dnsmasq-full@2.80-1.4?arch=mipsel_24kc", comps[("dnsmasq", "2.80-1.4")]
assert comps[("busybox", "1.31.1")]["cpe"] == \
    "cpe:2.3:a:busybox:busybox:1.31.1:*:*:*:*:*:*:*"
assert comps[("uclibc", "1.0.31")]["cpe"].startswith(
    "cpe:2.3:a:uclibc-ng_project:uclibc-ng:1.0.31:")
# The package with no known data is listed, with no CVE; the removed one
# is not; versions in documentation are not components.
luci = [c for c in j["components"] if c["purl"] and "luci-base" in c["purl"]]
assert len(luci) == 1 and luci[0]["cves"] == [] and luci[0]["cpe"] is None, luci
assert not any(c["name"] == "curl" for c in j["components"]), j["components"]
assert ("openssl", "1.0.1f") not in comps and ("busybox", "1.20.0") not in comps
vf = [f for f in j["findings"] if f["id"] == "FW-VULNERABLE-COMPONENT"]
assert len(vf) == len(want), [f["evidence"] for f in vf]
for f in vf:
    assert f["requirements"] == ["S1.1-13"], f
    assert f["severity"] in ("high", "critical"), f
    assert f["remediation"], f
ex = {f["evidence"]["excerpt"].split(":")[0]: f for f in vf}
assert ex["busybox 1.31.1"]["severity"] == "critical"
assert ex["busybox 1.31.1"]["evidence"]["excerpt"].startswith(
    "busybox 1.31.1: CVE-2022-48174 (9.8), CVE-2022-28391 (8.8),"), ex["busybox 1.31.1"]
assert "CVE-2021-3711 (9.8)" in ex["openssl 1.1.1k"]["evidence"]["excerpt"]
assert "CVE-2020-25681 (8.1)" in ex["dnsmasq 2.80-1.4"]["evidence"]["excerpt"]
assert ex["dnsmasq 2.80-1.4"]["evidence"]["path"].endswith("!/usr/lib/opkg/status")
assert "2.90 or later" in ex["dnsmasq 2.80-1.4"]["remediation"], ex["dnsmasq 2.80-1.4"]
s13 = [c for c in j["checklist"] if c["id"] == "S1.1-13"][0]
assert s13["verdict"] == "non-conformant" and "FW-VULNERABLE-COMPONENT" in s13["findings"], s13
PY

run good "$T/good.img"
python3 - "$T/good.json" <<'PY' || fail "clean image: wrong components"
import json, sys
j = json.load(open(sys.argv[1]))
comps = {(c["name"], c["version"]): c for c in j["components"]}
for key in [("busybox", "1.37.0"), ("openssl", "3.0.15"), ("dnsmasq", "2.90-1"),
            ("frobd", "1.5-2"), ("gizmo", "4.2-1")]:
    assert key in comps, (key, sorted(comps))
    assert comps[key]["cves"] == [], comps[key]
assert not [f for f in j["findings"] if f["id"] == "FW-VULNERABLE-COMPONENT"], j["findings"]
PY

# ---- one cause, one component; known-bad builds; architecture ----
R=$T/rules
mkdir -p "$R/usr/sbin" "$R/usr/bin" "$R/usr/lib/opkg/info" "$R/lib" \
	"$R/lib32" "$R/opt/lib"
MACH=8 binfile "$R/usr/sbin/wpad" "hostapd v2.9" "wpa_supplicant v2.9" \
	"SAE Hunting and Pecking" "EAP-pwd Hunting And Pecking" "P2P_FIND"
MACH=8 binfile "$R/usr/sbin/hostapd" "hostapd v2.9" "SAE Hunting and Pecking"
mkdir -p "$R/mini/usr/sbin"
MACH=8 binfile "$R/mini/usr/sbin/wpad" "hostapd v2.8" "wpa_supplicant v2.8" \
	"sae_groups" "sae_anti_clogging_threshold" "FT-SAE" "%sSAE" "DIRECT-" \
	"p2p_go_max_inactivity" "[P2P]" "EAP: Invalid frame type"
printf 'Package: wpa-supplicant\nVersion: 2.8-1\nStatus: install user installed\nArchitecture: mips_24kc\n' \
	>"$R/usr/lib/opkg/status"
MACH=8 binfile "$R/usr/sbin/dnsmasq" "dnsmasq-2.80"
printf 'Package: dnsmasq\nVersion: 2.80-1\nSourceFile: dnsmasq-2.66.tar.gz\nSource: package/network/services/dnsmasq\n' \
	>"$R/usr/lib/opkg/info/dnsmasq.control"
MACH=8 binfile "$R/lib/ld-musl-mipsel.so.1" "musl libc (mipsel)" "1.1.22"
MACH=3 binfile "$R/lib32/ld-musl-i386.so.1" "musl libc (i386)" "1.1.22"
MACH=8 binfile "$R/usr/lib/liblzma.so.5.6.1" "5.6.1"
MACH=8 binfile "$R/opt/lib/liblzma.so.5.6.2" "5.6.2"
MACH=8 binfile "$R/usr/bin/xz" "xz (XZ Utils) 5.6.1"
mksquashfs "$R" "$T/rules.img" -comp xz -all-root -noappend -no-progress >/dev/null
run rules "$T/rules.img"
python3 - "$T/rules.json" "$R" <<'PY' || fail "rules image: wrong components"
import json, sys
j = json.load(open(sys.argv[1]))
at = {}
for c in j["components"]:
    at.setdefault(c["where"]["path"].split("!/")[-1], []).append(c)
def one(path):
    assert len(at.get(path, [])) == 1, (path, at.get(path))
    return at[path][0]
w = one("usr/sbin/wpad")
assert (w["name"], w["version"]) == ("wpad", "2.9"), w
# The rows of both: CVE-2021-27803 is wpa_supplicant's (P2P), not hostapd's.
assert "CVE-2022-23303" in w["cves"] and "CVE-2021-27803" in w["cves"], w
assert "CVE-2022-23304" in w["cves"], w
assert w["cpe"].startswith("cpe:2.3:a:w1.fi:"), w
h = one("usr/sbin/hostapd")
assert (h["name"], h["version"]) == ("hostapd", "2.9"), h
# SAE built in, EAP-pwd not: 23303 (SAE) affects it, 23304 (EAP-pwd) not.
assert "CVE-2022-23303" in h["cves"] and "CVE-2021-27803" not in h["cves"], h
assert "CVE-2022-23304" not in h["cves"], h
mini = one("mini/usr/sbin/wpad")
assert (mini["name"], mini["version"]) == ("wpad", "2.8") and mini["cves"] == [], mini
vw = [f for f in j["findings"] if f["id"] == "FW-VULNERABLE-COMPONENT"
      and f["evidence"]["excerpt"].startswith(("wpad", "hostapd", "wpa_supplicant"))]
assert len(vw) == 2, vw
assert not any("2.8" in f["title"] for f in vw), vw
he = [f for f in vw if f["evidence"]["excerpt"].startswith("hostapd 2.9")][0]
assert "not affected, feature not built in: CVE-2022-23304 (eap-pwd)" in he["evidence"]["excerpt"], he
# The evidence is the version string, at its offset in the binary.
assert open(sys.argv[2] + "/usr/sbin/hostapd", "rb").read()[he["evidence"]["offset"]:].startswith(b"2.9"), he
nj = [f for f in j["findings"] if f["id"] == "FW-COMPONENT-NOT-JUDGED"]
assert len(nj) == 1 and nj[0]["severity"] == "info", nj
assert nj[0]["evidence"]["path"].endswith("usr/lib/opkg/status"), nj
assert nj[0]["title"].startswith("wpa_supplicant 2.8-1: 3 known vulnerabilities"), nj
for cve in ("CVE-2022-23303 (sae)", "CVE-2022-23304 (eap-pwd)", "CVE-2021-27803 (p2p)"):
    assert cve in nj[0]["evidence"]["excerpt"], nj
assert nj[0]["requirements"] == ["S1.1-13"], nj
d = one("usr/sbin/dnsmasq")
assert (d["name"], d["version"]) == ("dnsmasq", "2.80"), d
assert "usr/lib/opkg/info/dnsmasq.control" not in at, at["usr/lib/opkg/info/dnsmasq.control"]
assert not any(".tar" in c["version"] or c["version"] == "2.66" for c in j["components"]), j["components"]
m = one("lib/ld-musl-mipsel.so.1")
assert (m["name"], m["version"]) == ("musl", "1.1.22") and "CVE-2019-14697" not in m["cves"], m
m = one("lib32/ld-musl-i386.so.1")
assert (m["name"], m["version"]) == ("musl", "1.1.22") and "CVE-2019-14697" in m["cves"], m
for path, ver, bad in [("usr/lib/liblzma.so.5.6.1", "5.6.1", True),
                       ("usr/bin/xz", "5.6.1", True),
                       ("opt/lib/liblzma.so.5.6.2", "5.6.2", False)]:
    x = one(path)
    assert (x["name"], x["version"]) == ("xz", ver), x
    assert x["cpe"].startswith("cpe:2.3:a:tukaani:xz:" + ver + ":"), x
    assert (x["cves"] == ["CVE-2024-3094"]) == bad and (bad or x["cves"] == []), x
vf = {f["evidence"]["excerpt"].split(":")[0]: f for f in j["findings"]
      if f["id"] == "FW-VULNERABLE-COMPONENT"}
assert vf["xz 5.6.1"]["severity"] == "critical", vf
assert "CVE-2024-3094 (10.0)" in vf["xz 5.6.1"]["evidence"]["excerpt"], vf["xz 5.6.1"]
assert "xz 5.6.2" not in vf, vf
PY

# Debian's wpa_supplicant (package wpasupplicant): a real full build.
[ -x /sbin/wpa_supplicant ] && [ -x /usr/sbin/hostapd ] ||
	fail "/sbin/wpa_supplicant or /usr/sbin/hostapd is missing (run scripts/setup.sh)"
W=$T/debwpa
mkdir -p "$W/sbin" "$W/usr/sbin" "$W/opt" "$T/widened"
cp /sbin/wpa_supplicant "$W/sbin/"
cp /usr/sbin/hostapd "$W/usr/sbin/"
MACH=62 binfile "$W/opt/hostapd" "hostapd v%s
User space daemon" "2.10" "2.11"
cat >"$T/widened/osv.json" <<'X'
[{"id": "CVE-2022-23303", "summary": "SAE (range widened to 2.10 for the test)",
  "affected": [{"package": {"name": "wpa_supplicant"}, "ranges": [{"type": "ECOSYSTEM",
   "events": [{"introduced": "0"}, {"fixed": "2.11"}]}]},
   {"package": {"name": "hostapd"}, "ranges": [{"type": "ECOSYSTEM",
   "events": [{"introduced": "0"}, {"fixed": "2.11"}]}]}]},
 {"id": "CVE-2022-23304", "summary": "EAP-pwd (range widened to 2.10 for the test)",
  "affected": [{"package": {"name": "wpa_supplicant"}, "ranges": [{"type": "ECOSYSTEM",
   "events": [{"introduced": "0"}, {"fixed": "2.11"}]}]},
   {"package": {"name": "hostapd"}, "ranges": [{"type": "ECOSYSTEM",
   "events": [{"introduced": "0"}, {"fixed": "2.11"}]}]}]},
 {"id": "CVE-2021-27803", "summary": "P2P (range widened to 2.10 for the test)",
  "affected": [{"package": {"name": "wpa_supplicant"}, "ranges": [{"type": "ECOSYSTEM",
   "events": [{"introduced": "0"}, {"fixed": "2.11"}]}]}]}]
X
mksquashfs "$W" "$T/debwpa.img" -comp xz -all-root -noappend -no-progress >/dev/null
run debwpa "$T/debwpa.img" --vuln-db "$T/widened"
python3 - "$T/debwpa.json" <<'PY' || fail "Debian's wpa_supplicant: its features' CVEs not reported"
import json, sys
j = json.load(open(sys.argv[1]))
c = [c for c in j["components"] if c["name"] == "wpa_supplicant"]
assert len(c) == 1 and c[0]["version"] == "2.10", c
assert sorted(c[0]["cves"]) == ["CVE-2021-27803", "CVE-2022-23303", "CVE-2022-23304"], c
h = [c for c in j["components"] if c["name"] == "hostapd"]
assert len(h) == 1 and h[0]["version"] == "2.10", h
assert h[0]["where"]["path"].endswith("usr/sbin/hostapd"), h
assert sorted(h[0]["cves"]) == ["CVE-2022-23303", "CVE-2022-23304"], h
f = [f for f in j["findings"] if f["id"] == "FW-VULNERABLE-COMPONENT"]
assert len(f) == 2 and not any("not affected" in x["evidence"]["excerpt"] for x in f), f
PY

# A kernel (lzma, with a gzip stream inside, so that the part before it is
# carved as a region) is one component; two kernels are two.
python3 - "$T/kern1.bin" "$T/kern2.bin" <<'PY'
import gzip, lzma, random, sys
r = random.Random(7)
def kernel():
    rnd = lambda n: bytes(r.getrandbits(8) for _ in range(n))
    body = (rnd(20000) + b"Linux version 3.10.49 (builder@host) (gcc version 4.8.3) "
            b"#1 Mon Jan 1 00:00:00 UTC 2015\n" + rnd(20000) +
            gzip.compress(b"initramfs\n" * 200) + rnd(5000))
    return lzma.compress(body, format=lzma.FORMAT_ALONE)
open(sys.argv[1], "wb").write(b"\0" * 0x200 + kernel() + b"\xff" * 4096)
k = kernel()
open(sys.argv[2], "wb").write(b"\0" * 0x200 + k + b"\xff" * (0x20000 - len(k) % 0x10000) + kernel() + b"\xff" * 4096)
PY
for n in 1 2; do
	"$STARLAB" firmware --format cyclonedx "$T/kern$n.bin" >"$T/kern$n.cdx" ||
		[ $? -le 1 ] || fail "kern$n: starlab failed"
done
python3 - "$T/kern1.cdx" "$T/kern2.cdx" <<'PY' || fail "kernel listed twice"
import json, sys
for path, want in zip(sys.argv[1:], (1, 2)):
    a = json.load(open(path))
    k = [c for c in a["components"] if c["name"] == "linux"]
    assert len(k) == want and all(c["version"] == "3.10.49" for c in k), (path, k)
    locs = [o["location"] for c in k for o in c["evidence"]["occurrences"]]
    assert len(set(locs)) == want and not any("@0x0" in l.split("!/")[-1] for l in locs), locs
PY

# ---- --vuln-db: NVD JSON 2.0 and OSV, and a broken file ----
D=$T/vulndb
mkdir -p "$D"
cat >"$D/nvd-page.json" <<'X'
{"resultsPerPage": 1, "startIndex": 0, "totalResults": 1,
 "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-01-01T00:00:00.000",
 "vulnerabilities": [{"cve": {"id": "CVE-2099-1111",
   "descriptions": [{"lang": "en", "value": "frobd overflows a buffer"}],
   "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
     "cvssData": {"version": "3.1", "baseScore": 8.1, "baseSeverity": "HIGH"}}]},
   "configurations": [{"nodes": [{"operator": "OR", "negate": false,
     "cpeMatch": [{"vulnerable": true,
       "criteria": "cpe:2.3:a:frob_project:frobd:*:*:*:*:*:*:*:*",
       "versionStartIncluding": "1.0", "versionEndExcluding": "1.6"}]}]}]}}]}
X
cat >"$D/osv-gizmo.json" <<'X'
{"schema_version": "1.6.0", "id": "OSV-2099-77", "aliases": ["CVE-2099-2222"],
 "summary": "gizmo parses packets unsafely",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "OpenWrt", "name": "gizmo"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "4.0"}, {"fixed": "4.3"}]}]}]}
X
printf '{"vulnerabilities": [{"cve": ' >"$D/broken.json"
run gooddb "$T/good.img" --vuln-db "$D"
python3 - "$T/gooddb.json" <<'PY' || fail "--vuln-db: no match"
import json, sys
j = json.load(open(sys.argv[1]))
comps = {c["name"]: c for c in j["components"]}
assert comps["frobd"]["cves"] == ["CVE-2099-1111"], comps["frobd"]
assert comps["gizmo"]["cves"] == ["CVE-2099-2222"], comps["gizmo"]
assert comps["busybox"]["cves"] == [], comps["busybox"]
vf = {f["evidence"]["excerpt"]: f for f in j["findings"] if f["id"] == "FW-VULNERABLE-COMPONENT"}
assert len(vf) == 2, vf
assert vf["frobd 1.5-2: CVE-2099-1111 (8.1)"]["severity"] == "high", vf
assert vf["gizmo 4.2-1: CVE-2099-2222 (9.8)"]["severity"] == "critical", vf
assert all(f["requirements"] == ["S1.1-13"] for f in vf.values())
PY
expect_incomplete "$T/gooddb.json" "vuln-db .*/broken\\.json: not JSON"

# ---- CycloneDX ----
for n in 1 2; do
	"$STARLAB" firmware --format cyclonedx --vuln-db "$D" "$T/bad.img" \
		>"$T/sbom$n.json" || [ $? -le 1 ] || fail "cyclonedx run failed"
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/sbom$n.json" ||
		fail "SBOM is not JSON"
done
python3 - "$T/sbom1.json" "$T/sbom2.json" "$T/bad.img" <<'PY' || fail "SBOM structure"
import hashlib, json, re, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ta, tb = a["metadata"].pop("timestamp"), b["metadata"].pop("timestamp")
assert a == b, "SBOMs differ beyond the timestamp"
assert open(sys.argv[1]).read().replace(ta, "T") == open(sys.argv[2]).read().replace(tb, "T")
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ta), ta
# Required fields and types, CycloneDX 1.5 JSON (bom-1.5.schema.json).
assert a["bomFormat"] == "CycloneDX" and a["specVersion"] == "1.5"
assert a["version"] == 1 and isinstance(a["version"], int)
assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-"
                    r"[89ab][0-9a-f]{3}-[0-9a-f]{12}", a["serialNumber"]), a["serialNumber"]
m = a["metadata"]
tools = m["tools"]["components"]
assert tools[0]["name"] == "starlab" and tools[0]["type"] == "application"
sub = m["component"]
assert sub["type"] == "firmware" and sub["name"] == "bad.img"
sha = hashlib.sha256(open(sys.argv[3], "rb").read()).hexdigest()
assert sub["hashes"] == [{"alg": "SHA-256", "content": sha}], sub["hashes"]
types = {"application", "framework", "library", "container", "platform",
         "operating-system", "device", "device-driver", "firmware", "file",
         "machine-learning-model", "data"}
refs = set()
for c in a["components"]:
    assert c["type"] in types, c
    assert isinstance(c["name"], str) and c["name"], c
    assert isinstance(c["version"], str), c
    assert c["bom-ref"] not in refs, c
    refs.add(c["bom-ref"])
    if "purl" in c:
        assert c["purl"].startswith("pkg:"), c
    if "cpe" in c:
        assert c["cpe"].startswith("cpe:2.3:"), c
    for o in c.get("evidence", {}).get("occurrences", []):
        assert isinstance(o["location"], str), o
    for p in c.get("properties", []):
        assert set(p) == {"name", "value"} and all(isinstance(v, str) for v in p.values()), p
names = {(c["name"], c["version"]) for c in a["components"]}
assert ("busybox", "1.31.1") in names and ("dnsmasq", "2.80-1.4") in names, names
assert any(c["type"] == "library" for c in a["components"])
ids = [v["id"] for v in a["vulnerabilities"]]
assert ids == sorted(ids) and len(ids) == len(set(ids)), ids
assert "CVE-2022-28391" in ids and "CVE-2021-3711" in ids
for v in a["vulnerabilities"]:
    assert re.fullmatch(r"CVE-\d{4}-\d{4,}", v["id"]), v
    assert v["source"]["name"] == "NVD", v
    assert v["source"]["url"] == "https://nvd.nist.gov/vuln/detail/" + v["id"], v
    for r in v["ratings"]:
        assert isinstance(r["score"], (int, float)) and 0 <= r["score"] <= 10, r
        assert r["severity"] in {"critical", "high", "medium", "low", "info",
                                 "none", "unknown"}, r
        assert r["method"] == "CVSSv31", r
    assert v["affects"] and all(x["ref"] in refs for x in v["affects"]), v
bb = [c["bom-ref"] for c in a["components"] if c["name"] == "busybox"]
v = [v for v in a["vulnerabilities"] if v["id"] == "CVE-2022-28391"][0]
assert [x["ref"] for x in v["affects"]] == bb, (v, bb)
assert v["ratings"][0]["score"] == 8.8 and v["ratings"][0]["severity"] == "high"
PY
echo "ok"
