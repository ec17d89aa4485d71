#!/usr/bin/env bash
# The product profile (docs/profile.md): on a clean image, a complete
# profile turns the document-only requirements (S1.1-07, 09, 16) and the
# firmware+document ones (S1.1-08, 11) from needs-evidence to conformant;
# a partial profile names each missing part; not_applicable gives
# not-applicable with the vendor's reason unless a finding breaks the
# requirement; a malformed profile exits 3 naming file:line:col; the
# bundled samples and the example in docs/profile.md load.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs python3

G=$T/clean
B=$T/plain
mkdir -p "$G/etc" "$G/usr/bin" "$B/etc" "$B/usr/bin"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$G/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$G/etc/shadow"
printf '#!/bin/sh\nwget -q -O /tmp/fw.bin https://fw.vendor.io/latest.bin\n' \
	>"$G/usr/bin/ota.sh"
cp "$G/etc/passwd" "$G/etc/shadow" "$B/etc/"
printf '#!/bin/sh\nwget -q -O /tmp/s.json http://api.vendor.io/v1/status\n' \
	>"$B/usr/bin/report.sh"
for d in "$G" "$B"; do
	mksquashfs "$d" "$d.img" -comp xz -all-root -noappend -no-progress \
		>/dev/null
done

# run NAME IMAGE [starlab options]: JSON report to $T/NAME.json, exit
# status to $T/NAME.rc, standard error to $T/NAME.err.
run() {
	local name=$1 img=$2 rc=0
	shift 2
	"$STARLAB" firmware --format json "$img" "$@" >"$T/$name.json" \
		2>"$T/$name.err" || rc=$?
	echo "$rc" >"$T/$name.rc"
}

cat >"$T/full.yaml" <<'X'
product: {vendor: ACME, model: SL-100, version: "1.2.3"}
interfaces:
  - {proto: tcp, port: 443, service: https, purpose: "web admin", auth: "password, per device"}
  - {proto: ble, purpose: "app pairing", auth: "PIN on the label"}
credentials:
  - {service: http, user: admin, password: "Sup3r-secret-unit-pw"}
version_probe: {kind: http, port: 443, path: /status, pattern: 'firmware ([0-9.]+)'}
password_scheme: unique
constrained_device: false
documents:
  S1.1-01: "design, section 3"
  S1.1-02: "design, section 4"
  S1.1-03: https://acme.example/manual#password
  S1.1-05: {url: https://acme.example/security, contact: security@acme.example,
            process: "triage in 3 days", status_updates: "every 14 days"}
  S1.1-07: https://acme.example/manual#update
  S1.1-08: "design, section 6"
  S1.1-09: https://acme.example/security/priorities
  S1.1-11: "design, section 5"
  S1.1-12: "design, section 7"
  S1.1-15: https://acme.example/manual#reset
  S1.1-16: {"(1)": a, "(2)": b, "(3)": c, "(4)": d, "(5)": e}
X

cat >"$T/partial.yaml" <<'X'
product: {vendor: ACME, model: SL-100}
interfaces:
  - {proto: tcp, port: 443, purpose: "web admin"}
  - {proto: tcp, port: 23, auth: "password"}
documents:
  S1.1-05: https://acme.example/security
  S1.1-16:
    1: https://acme.example/manual#setup
    2: https://acme.example/notes
    3: https://acme.example/warranty
    5: https://acme.example/manual#disposal
not_applicable:
  S1.1-04: "battery sensor, too constrained to rate-limit"
  S1.1-12: "sends nothing protected: reports only a temperature"
X

run none "$G.img"
run full "$G.img" --profile "$T/full.yaml"
run partial "$G.img" --profile "$T/partial.yaml"
run plainna "$B.img" --profile "$T/partial.yaml"
for r in none full partial plainna; do
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$r.json"
done
grep -qF Sup3r-secret "$T/full.json" && fail "a profile password leaked into the report"

python3 - "$T" <<'PY' || fail "verdicts"
import json, sys
t = sys.argv[1]
def load(n):
    r = json.load(open(f"{t}/{n}.json"))
    return r, {c["id"]: c for c in r["checklist"]}
r, none = load("none")
assert r["findings"] == [], [f["id"] for f in r["findings"]]
for i in ("S1.1-07", "S1.1-09", "S1.1-16", "S1.1-08", "S1.1-11"):
    assert none[i]["verdict"] == "needs-evidence", (i, none[i])
    assert any(m.startswith("profile: ") for m in none[i]["missing_evidence"]), none[i]
_, full = load("full")
for i in ("S1.1-07", "S1.1-09", "S1.1-16", "S1.1-11"):
    assert full[i]["verdict"] == "conformant", (i, full[i])
    assert full[i]["missing_evidence"] == [], full[i]
# Needing the device too, the profile part is covered but the rest is not.
for i in ("S1.1-01", "S1.1-02", "S1.1-03", "S1.1-05", "S1.1-13", "S1.1-15"):
    assert full[i]["verdict"] == "needs-evidence", (i, full[i])
    assert not any(m.startswith("profile:") for m in full[i]["missing_evidence"]), full[i]
    assert any(m.startswith("device:") for m in full[i]["missing_evidence"]), full[i]
assert not any(m.startswith("profile:") for m in full["S1.1-08"]["missing_evidence"]), full["S1.1-08"]

_, part = load("partial")
def miss(i): return part[i]["missing_evidence"]
assert part["S1.1-16"]["verdict"] == "needs-evidence"
assert miss("S1.1-16") == ["profile: S1.1-16 item (4) end of support is missing"], miss("S1.1-16")
m05 = [m for m in miss("S1.1-05") if m.startswith("profile:")]
assert m05 == ["profile: S1.1-05 contact point for reporting vulnerabilities is missing",
               "profile: S1.1-05 process (what happens after a report) is missing",
               "profile: S1.1-05 status updates to the reporter until the fix is missing"], m05
assert "profile: S1.1-02 password_scheme (unique or forced-change) is missing" in miss("S1.1-02"), miss("S1.1-02")
assert "profile: S1.1-02 document describing how the password scheme works is missing" in miss("S1.1-02")
assert "profile: S1.1-07 document describing the update procedure is missing" in miss("S1.1-07"), miss("S1.1-07")
assert "profile: S1.1-13 interface tcp/23 has no purpose" in miss("S1.1-13"), miss("S1.1-13")
assert "profile: S1.1-13 interface tcp/443 has no purpose" not in miss("S1.1-13")
assert "profile: S1.1-01 interface tcp/443 has no auth (how access to it is controlled)" in miss("S1.1-01"), miss("S1.1-01")
for i, why in (("S1.1-04", "battery sensor"), ("S1.1-12", "sends nothing protected")):
    c = part[i]
    assert c["verdict"] == "not-applicable", c
    assert why in c["reason"] and c["missing_evidence"] == [] and c["findings"] == [], c

# A finding beats the profile's not-applicable claim.
r, pna = load("plainna")
c = pna["S1.1-12"]
assert c["verdict"] == "non-conformant" and c["findings"] == ["FW-PLAINTEXT-ENDPOINT"], c
assert "profile declares it not applicable" in c["reason"] and "sends nothing protected" in c["reason"], c
assert pna["S1.1-04"]["verdict"] == "not-applicable", pna["S1.1-04"]
assert r["summary"]["not_applicable"] == 1, r["summary"]
PY
[ "$(cat "$T/none.rc")" -eq 0 ] || fail "clean image without profile should exit 0"
[ "$(cat "$T/full.rc")" -eq 0 ] || fail "clean image with profile should exit 0"
[ "$(cat "$T/plainna.rc")" -eq 1 ] || fail "plaintext image should exit 1"

# ---- malformed profiles: exit 3, file:line:col and what was wrong ----
# bad NAME LINE:COL TEXT: the profile in $T/NAME.yaml (from stdin) fails.
bad() {
	local name=$1 where=$2 text=$3 rc=0
	cat >"$T/$name.yaml"
	"$STARLAB" firmware --format json "$G.img" --profile "$T/$name.yaml" \
		>"$T/$name.out" 2>"$T/$name.err" || rc=$?
	[ "$rc" -eq 3 ] || fail "$name: exit $rc, want 3"
	[ -s "$T/$name.out" ] && fail "$name: a report was printed"
	grep -qF "$T/$name.yaml:$where: $text" "$T/$name.err" ||
		fail "$name: want '$name.yaml:$where: $text', got: $(cat "$T/$name.err")"
}
bad port 4:24 'interfaces[2].port: expected a number from 1 to 65535, got "https"' <<'X'
product: {vendor: ACME, model: SL-100}
interfaces:
  - {proto: tcp, port: 443}
  - {proto: tcp, port: https}
X
bad syntax 4:1 'YAML syntax: did not find expected' <<'X'
product: {vendor: ACME, model: SL-100}
documents:
 S1.1-07: [a
X
bad reqid 3:3 'documents: "S1.1-17" is not a STAR-1 requirement id' <<'X'
product: {vendor: ACME, model: SL-100}
documents:
  S1.1-17: https://acme.example/
X
bad na05 4:3 'not_applicable: STAR-1 allows no not-applicable case for S1.1-05' <<'X'
product: {vendor: ACME, model: SL-100}

not_applicable:
  S1.1-05: "we have no policy"
X
bad typo 2:1 'unknown key "interface"' <<'X'
product: {vendor: ACME, model: SL-100}
interface: []
X
bad noproduct 1:1 "'product' (vendor, model, version) is missing" <<'X'
password_scheme: unique
X
bad scheme 2:18 'password_scheme: expected unique' <<'X'
product: {vendor: ACME, model: SL-100}
password_scheme: default
X
bad alias 3:12 'aliases (*name) are not supported' <<'X'
product: &p {vendor: ACME, model: SL-100}
documents:
  S1.1-07: *p
X
bad item16 4:5 'documents.S1.1-16: unknown part "(6)"' <<'X'
product: {vendor: ACME, model: SL-100}
documents:
  S1.1-16:
    "(6)": x
X
bad dev06 3:3 'documents: S1.1-06 is assessed by a device check only' <<'X'
product: {vendor: ACME, model: SL-100}
documents:
  S1.1-06: x
X
bad both 5:3 'not_applicable: S1.1-12 also has documents' <<'X'
product: {vendor: ACME, model: SL-100}
documents:
  S1.1-12: x
not_applicable:
  S1.1-12: y
X
bad regex 2:47 'version_probe.pattern: not a POSIX extended regular expression' <<'X'
product: {vendor: ACME, model: SL-100}
version_probe: {kind: http, path: /, pattern: 'v(1'}
X
bad dup 3:3 "product: key 'model' given twice" <<'X'
product:
  model: A
  model: B
  vendor: C
X
python3 -c 'print("product: {vendor: ACME, model: SL-100}\nx-pad: \"" + "a" * (1 << 20) + "\"")' \
	>"$T/big.yaml"
rc=0
"$STARLAB" firmware "$G.img" --profile "$T/big.yaml" >/dev/null 2>"$T/big.err" || rc=$?
[ "$rc" -eq 3 ] || fail "big: exit $rc"
grep -qF "big.yaml:1:1: " "$T/big.err" && grep -qF "over the limit of 1048576" "$T/big.err" ||
	fail "big: $(cat "$T/big.err")"
rc=0
"$STARLAB" firmware "$G.img" --profile "$T/missing.yaml" >/dev/null 2>"$T/missing.err" || rc=$?
[ "$rc" -eq 3 ] || fail "missing file: exit $rc"

# ---- the bundled profiles and the documented example load ----
python3 - "$SL_SRC/docs/profile.md" "$T/doc.yaml" <<'PY'
import sys
md = open(sys.argv[1]).read()
start = md.index("## A complete example")
block = md[start:].split("```yaml\n", 1)[1].split("```", 1)[0]
open(sys.argv[2], "w").write(block)
PY
for p in "$SL_SRC/samples/profile.yaml" "$SL_SRC/samples/profile-hardened.yaml" "$T/doc.yaml"; do
	rc=0
	"$STARLAB" firmware --format json "$G.img" --profile "$p" >"$T/p.json" 2>"$T/p.err" || rc=$?
	[ "$rc" -eq 0 ] || fail "$p: exit $rc: $(cat "$T/p.err")"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/p.json"
	[ "$(json_get "$T/p.json" '[c["verdict"] for c in j["checklist"] if c["id"] == "S1.1-16"][0]')" = conformant ] ||
		fail "$p: S1.1-16 not conformant"
done
echo ok
