#!/usr/bin/env bash
# t_assess.sh - starlab assess on images (no device): one merged checklist
# and every output of the set (report.json against the project's schema,
# report.sarif and sbom.cdx.json against the official schemas in
# tests/schemas, checklist.csv, evidence/ and its manifest, report.html in
# headless Chromium), findings grouped by (id, component), two units,
# targets named by the profile, not-applicable claims with and without a
# reason, a missing document reference, a profile the findings contradict,
# and the -o rules (atomic set, refusal before any work).
. "$(dirname "$0")/lib.sh" || exit 1
need python3 openssl mksquashfs mkimage mkfs.jffs2 mips-linux-gnu-gcc gcc sha256sum
V=$SL_SRC/tests/e2e
PROFILE=$SL_SRC/samples/profile.yaml

img=$(bash "$SL_SRC/samples/build.sh" "$T")
bash "$SL_SRC/tests/fixtures/mk_fixed_fw.sh" "$T/fixed.bin"

# assess ARGS...: exit status in $rc, stdout in $T/out.txt.
assess() {
	rc=0
	"$STARLAB" assess "$@" >"$T/out.txt" 2>"$T/err.txt" || rc=$?
}
verdict() { json_get "$1/report.json" "[c['verdict'] for c in j['checklist'] if c['id']=='$2'][0]"; }

# ---- the planted sample: every output ----
assess --profile "$PROFILE" --firmware "$img" -o "$T/a"
[ "$rc" = 1 ] || fail "planted sample: exit $rc, want 1: $(cat "$T/err.txt")"
for f in report.json report.txt report.md report.html checklist.csv \
	report.sarif sbom.cdx.json evidence/manifest.json; do
	[ -s "$T/a/$f" ] || fail "no $f in the output set"
done
ls -a "$T" | grep -q '\.tmp-' && fail "a temporary directory was left"
grep -q "^S1.1-01  non-conformant" "$T/out.txt" || fail "checklist not printed"
grep -qF "HTML report: $T/a/report.html" "$T/out.txt" || fail "HTML path not printed"
python3 "$V/validate_report.py" "$T/a/report.json" >/dev/null
python3 -W ignore "$V/validate_official.py" sarif "$T/a/report.sarif" >/dev/null ||
	fail "report.sarif breaks the SARIF 2.1.0 schema"
python3 -W ignore "$V/validate_official.py" cyclonedx "$T/a/sbom.cdx.json" >/dev/null ||
	fail "sbom.cdx.json breaks the CycloneDX 1.5 schema"
# The validator is not a rubber stamp: a broken SARIF and SBOM fail.
python3 - "$T/a/report.sarif" "$T/bad.sarif" "$T/a/sbom.cdx.json" "$T/bad.cdx.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["runs"][0]["results"][0]["level"] = "fatal"
json.dump(s, open(sys.argv[2], "w"))
c = json.load(open(sys.argv[3])); c["components"][0]["type"] = "gadget"
json.dump(c, open(sys.argv[4], "w"))
PY
python3 -W ignore "$V/validate_official.py" sarif "$T/bad.sarif" 2>/dev/null &&
	fail "an invalid SARIF level passed the schema"
python3 -W ignore "$V/validate_official.py" cyclonedx "$T/bad.cdx.json" 2>/dev/null &&
	fail "an invalid CycloneDX component type passed the schema"

# Inputs with their hashes, in the report and the manifest; every
# evidence file listed with its true SHA-256.
python3 - "$T/a" "$img" "$PROFILE" <<'PY' || fail "inputs or manifest wrong"
import hashlib, json, os, sys
d, img, prof = sys.argv[1:]
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
rep = json.load(open(d + "/report.json"))
man = json.load(open(d + "/evidence/manifest.json"))
for ins in (rep["inputs"], man["inputs"]):
    got = {(i["kind"], i["name"]): i.get("sha256") for i in ins}
    assert got[("firmware", "sample-fw.bin")] == sha(img), got
    assert got[("profile", "profile.yaml")] == sha(prof), got
files = {f["path"]: f for f in man["files"]}
on_disk = sorted("evidence/" + f for f in os.listdir(d + "/evidence") if f != "manifest.json")
assert sorted(files) == on_disk, (sorted(files), on_disk)
for p, f in files.items():
    assert f["sha256"] == sha(d + "/" + p), p
assert len(files) == len(rep["issues"]), (len(files), len(rep["issues"]))
# An evidence file holds the extract behind its finding, secrets masked.
t = open(d + "/" + [p for p in files if "FW-SHADOW-DEFAULT-PASSWORD" in p][0]).read()
assert "etc/shadow" in t and "extract:" in t and "root:$1*" in t, t
PY

# checklist.csv: the scheme checklist's columns, one row per requirement.
python3 - "$T/a/checklist.csv" <<'PY' || fail "checklist.csv wrong"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["id", "requirement", "assessment method", "verdict",
                   "not-applicable reason", "evidence references"], rows[0]
assert [r[0] for r in rows[1:]] == ["S1.1-%02d" % i for i in range(1, 17)]
r = {x[0]: x for x in rows[1:]}
assert r["S1.1-07"][3] == "conformant" and "profile documents.S1.1-07" in r["S1.1-07"][5]
assert r["S1.1-01"][3] == "non-conformant" and "FW-TELNETD-NO-LOGIN" in r["S1.1-01"][5]
assert "evidence/" in r["S1.1-01"][5]
assert r["S1.1-04"][3] == "needs-evidence" and "missing: device:" in r["S1.1-04"][5]
PY

# report.html: self-contained, drawn, silent, in headless Chromium.
need chromium
python3 "$V/html_check.py" "$T/a/report.html" "$T/shot.png" >/dev/null ||
	fail "report.html failed in Chromium"
[ -n "${SL_SCREENSHOT:-}" ] && cp "$T/shot.png" "$SL_SCREENSHOT"
grep -q 'id="schemes"' "$T/a/report.html" || fail "no cross-scheme table"
for sch in "ETSI EN 303 645" "UK PSTI" "EU CRA" "Singapore CLS" "NISTIR 8425"; do
	grep -qF "$sch" "$T/a/report.html" || fail "no $sch column"
done
grep -qF '5.1-1 MC (1)' "$T/a/report.html" || fail "S1.1-02's ETSI provisions not shown"
# The check fails a blank chart, a console message and a request.
mkdir -p "$T/blank" "$T/leak"
cp "$T/a/report.json" "$T/blank/"; cp "$T/a/report.json" "$T/leak/"
sed 's|<svg id="chart".*</svg>||' "$T/a/report.html" >"$T/blank/report.html"
python3 "$V/html_check.py" "$T/blank/report.html" "$T/blank.png" 2>/dev/null &&
	fail "a report without its chart passed"
sed -e 's|<meta http-equiv="Content-Security-Policy"[^>]*>||' \
	-e 's|</body>|<img src="http://127.0.0.1:9/x.png"></body>|' \
	"$T/a/report.html" >"$T/leak/report.html"
python3 "$V/html_check.py" "$T/leak/report.html" "$T/leak.png" 2>"$T/leak.err" &&
	fail "a page loading an image from the network passed"
grep -q "requested http://127.0.0.1:9/x.png" "$T/leak.err" || fail "leak not named: $(cat "$T/leak.err")"

# ---- grouping: 31 plaintext private keys are one issue ----
# (fw.hardening already reports 31 executable stacks as one finding; the
# key check reports one finding per key, and the report groups them by
# (id, component) into one issue with 31 locations.)
mkdir -p "$T/g/etc/ssl/private"
for i in $(seq -w 1 31); do
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$T/g/etc/ssl/private/key$i.pem" 2>/dev/null ||
		fail "openssl genpkey"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$T/g/etc/passwd"
mksquashfs "$T/g" "$T/g.bin" -comp xz -all-root -noappend -no-progress >/dev/null
assess --profile "$PROFILE" --firmware "$T/g.bin" -o "$T/gr"
[ "$rc" -le 1 ] || fail "grouping image: exit $rc: $(cat "$T/err.txt")"
python3 "$V/validate_report.py" "$T/gr/report.json" >/dev/null
python3 - "$T/gr/report.json" <<'PY' || fail "31 keys not grouped into one issue"
import json, sys
j = json.load(open(sys.argv[1]))
iss = [i for i in j["issues"] if i["id"] == "FW-PRIVATE-KEY-PLAINTEXT"]
assert len(iss) == 1 and iss[0]["count"] == 31 and len(iss[0]["locations"]) == 31, iss
assert iss[0]["component"] == "firmware g.bin", iss[0]["component"]
assert len([f for f in j["findings"] if f["id"] == "FW-PRIVATE-KEY-PLAINTEXT"]) == 31
PY
[ "$(grep -c 'FW-PRIVATE-KEY-PLAINTEXT:' "$T/gr/report.txt")" = 1 ] || fail "text lists the issue more than once"
grep -q "31 locations in firmware g.bin" "$T/gr/report.txt" || fail "text has no count"
[ "$(ls "$T/gr/evidence" | grep -c FW-PRIVATE-KEY-PLAINTEXT)" = 1 ] || fail "not one evidence file"
[ "$(grep -c '^--- location' "$T/gr/evidence/"*FW-PRIVATE-KEY-PLAINTEXT.txt)" = 31 ] || fail "evidence file lacks locations"

# ---- two units: --firmware twice compares them ----
cp "$img" "$T/unit2.bin"
assess --profile "$PROFILE" --firmware "$img" --firmware "$T/unit2.bin" -o "$T/two"
[ "$rc" = 1 ] || fail "two units: exit $rc: $(cat "$T/err.txt")"
python3 "$V/validate_report.py" "$T/two/report.json" >/dev/null
python3 - "$T/two/report.json" <<'PY' || fail "two units not compared and merged"
import json, sys
j = json.load(open(sys.argv[1]))
comps = {(i["id"], i["component"]) for i in j["issues"]}
for c in ("firmware sample-fw.bin", "firmware unit2.bin"):
    assert ("FW-UNIVERSAL-PASSWORD", c) in comps, comps
    assert ("FW-SHADOW-DEFAULT-PASSWORD", c) in comps, comps
assert [i["kind"] for i in j["inputs"]].count("firmware") == 2, j["inputs"]
PY

# ---- the profile names the image: `assess --profile P -o DIR` ----
mkdir -p "$T/prof/imgs"
cp "$img" "$T/prof/imgs/"
{ grep -v -e "^assess:" -e "^  firmware:" "$PROFILE"; echo "assess: {firmware: imgs/sample-fw.bin}"; } >"$T/prof/p.yaml"
assess --profile "$T/prof/p.yaml" -o "$T/byprof"
[ "$rc" = 1 ] || fail "profile targets: exit $rc: $(cat "$T/err.txt")"
[ "$(json_get "$T/byprof/report.json" "j['subject']['firmware']['name']")" = sample-fw.bin ] ||
	fail "the profile's image was not assessed"

# ---- not applicable: with a reason, and without ----
# mkprof NAME SED: the sample profile edited by SED.
mkprof() { sed "$2" "$PROFILE" | grep -v -e '^assess:' -e '^  firmware:' >"$T/$1.yaml"; }
mkprof na 's|^  S1.1-03: .*|not_applicable:\n  S1.1-03: "no authentication value: the product has no user login at all"|'
# documents: S1.1-03 is gone, so not_applicable follows documents' other keys
python3 - "$T/na.yaml" <<'PY'
import sys
t = open(sys.argv[1]).read()
i = t.index("not_applicable:\n"); j = t.index("\n", t.index("S1.1-03", i)) + 1
blk = t[i:j]; t = t[:i] + t[j:] + blk
open(sys.argv[1], "w").write(t)
PY
assess --profile "$T/na.yaml" --firmware "$T/fixed.bin" -o "$T/na"
[ "$rc" -le 1 ] || fail "NA with a reason: exit $rc: $(cat "$T/err.txt")"
[ "$(verdict "$T/na" S1.1-03)" = not-applicable ] || fail "S1.1-03 not not-applicable"
grep -q '"S1.1-03","User can change the authentication value","document","not-applicable","no authentication value: the product has no user login at all"' \
	"$T/na/checklist.csv" || fail "NA reason not in the CSV"
sed 's|^  S1.1-03: .*|  S1.1-03: ""|' "$T/na.yaml" >"$T/na-empty.yaml"
assess --profile "$T/na-empty.yaml" --firmware "$T/fixed.bin" -o "$T/na-empty"
[ "$rc" = 3 ] || fail "NA without a reason: exit $rc"
grep -q "na-empty.yaml:[0-9]*:[0-9]*: not_applicable.S1.1-03: the vendor's reason is missing" "$T/err.txt" ||
	fail "NA without a reason: $(cat "$T/err.txt")"
[ -e "$T/na-empty" ] && fail "an output set was written for a refused profile"

# ---- a missing document reference ----
mkprof nodoc '/^  S1.1-09: /d'
assess --profile "$T/nodoc.yaml" --firmware "$T/fixed.bin" -o "$T/nodoc"
[ "$rc" -le 1 ] || fail "missing document: exit $rc"
[ "$(verdict "$T/nodoc" S1.1-09)" = needs-evidence ] || fail "S1.1-09 not needs-evidence"
json_get "$T/nodoc/report.json" "[c['missing_evidence'] for c in j['checklist'] if c['id']=='S1.1-09'][0]" |
	grep -q "profile: S1.1-09 security update prioritisation policy is missing" ||
	fail "missing document not named"
grep -q "<td>S1.1-09</td><td>profile: S1.1-09 security update prioritisation policy is missing</td><td>the vendor" \
	"$T/nodoc/report.html" || fail "HTML does not say who must supply the document"
[ "$(verdict "$T/a" S1.1-09)" = conformant ] || fail "look-alike: S1.1-09 with its document"

# ---- a profile the findings contradict ----
mkprof contra 's|^  S1.1-02: .*|  S1.1-01: "x"|'
python3 - "$T/contra.yaml" <<'PY'
import sys
t = open(sys.argv[1]).read()
t = t.replace('  S1.1-01: "x"\n', "")
t = t.replace("password_scheme: unique\n", "")
t += 'not_applicable:\n  S1.1-02: "no password-based authentication over the network"\n'
open(sys.argv[1], "w").write(t)
PY
assess --profile "$T/contra.yaml" --firmware "$img" -o "$T/contra"
[ "$rc" = 1 ] || fail "contradicted profile: exit $rc: $(cat "$T/err.txt")"
[ "$(verdict "$T/contra" S1.1-02)" = non-conformant ] || fail "a finding did not win over the NA claim"
json_get "$T/contra/report.json" "[c['reason'] for c in j['checklist'] if c['id']=='S1.1-02'][0]" |
	grep -q 'although the profile declares it not applicable ("no password-based' ||
	fail "the reason does not name the contradicted claim"
# Services the firmware starts that the profile does not declare.
python3 - "$T/a/report.json" <<'PY' || fail "undeclared services not shown"
import json, sys
j = json.load(open(sys.argv[1]))
iss = {i["component"]: i for i in j["issues"] if i["id"] == "ASSESS-UNDECLARED-SERVICE"}
assert set(iss) == {"service tcp/23", "service tcp/1883"}, set(iss)
assert all("firmware (firmware sample-fw.bin)" in l["excerpt"] for l in iss["service tcp/23"]["locations"])
assert iss["service tcp/23"]["requirements"] == ["S1.1-13"]
PY
# Look-alike: the same image with telnet and MQTT declared.
sed 's|^interfaces:|interfaces:\n  - {proto: tcp, port: 23, service: telnet, purpose: "factory test", auth: "none"}\n  - {proto: tcp, port: 1883, service: mqtt, purpose: "LAN telemetry", auth: "none"}|' \
	"$PROFILE" | grep -v -e '^assess:' -e '^  firmware:' >"$T/decl.yaml"
assess --profile "$T/decl.yaml" --firmware "$img" -o "$T/decl"
[ "$rc" = 1 ] || fail "declared: exit $rc: $(cat "$T/err.txt")"
grep -q ASSESS-UNDECLARED-SERVICE "$T/decl/report.json" && fail "declared services reported as undeclared"

# ---- snapshots: a power cycle judged into the same checklist ----
mkdir -p "$T/snaps"
python3 - "$T/snaps" <<'PY'
import json, sys
def snap(t):
    return {"format": "starlab-snapshot", "format_version": 1, "taken_at": t,
            "host": "10.0.0.2",
            "ports": {"checked": [22, 443], "open": [{"port": 22}, {"port": 443}]},
            "version": {"probe": {"kind": "http", "port": 443, "path": "/status"},
                        "value": "1.4.3"},
            "user_credentials": [{"service": "http", "port": 443, "user": "operator",
                                  "result": "accepted"}],
            "default_credentials": [{"service": "http", "port": 443, "result": "denied",
                                     "tried": 8, "accepted": None}],
            "incomplete": []}
json.dump(snap("2026-01-01T00:00:00Z"), open(sys.argv[1] + "/power-cycle-before.json", "w"))
json.dump(snap("2026-01-01T00:10:00Z"), open(sys.argv[1] + "/power-cycle-after.json", "w"))
PY
assess --profile "$PROFILE" --firmware "$T/fixed.bin" --snapshots "$T/snaps" -o "$T/sn"
[ "$rc" = 0 ] || fail "fixed image + snapshots: exit $rc: $(cat "$T/err.txt")"
[ "$(verdict "$T/sn" S1.1-14)" = conformant ] || fail "S1.1-14 not conformant with image and snapshots"
# (a profile without assess:, or its image would be examined too)
grep -v -e '^assess:' -e '^  firmware:' "$PROFILE" >"$T/noassess.yaml"
assess --profile "$T/noassess.yaml" --snapshots "$T/snaps" -o "$T/sn-only"
[ "$(verdict "$T/sn-only" S1.1-14)" = needs-evidence ] || fail "snapshots alone: S1.1-14 not needs-evidence"
assess --profile "$PROFILE" --firmware "$T/fixed.bin" -o "$T/fw-only"
[ "$(verdict "$T/fw-only" S1.1-14)" = needs-evidence ] || fail "image alone: S1.1-14 not needs-evidence"
[ "$(json_get "$T/sn/report.json" "sorted(i['name'] for i in j['inputs'] if i['kind']=='snapshot')")" = \
	"['power-cycle-after.json', 'power-cycle-before.json']" ] || fail "snapshots not among the inputs"
rm "$T/snaps/power-cycle-after.json"
assess --profile "$PROFILE" --firmware "$T/fixed.bin" --snapshots "$T/snaps" -o "$T/sn-half"
[ "$rc" = 3 ] || fail "half a snapshot pair: exit $rc"
grep -q "power-cycle-after.json: missing; a snapshot pair needs before and after" "$T/err.txt" ||
	fail "half pair not named: $(cat "$T/err.txt")"

# ---- -o: refused before any work; an earlier report is replaced ----
mkdir -p "$T/notours"; echo keep >"$T/notours/thesis.txt"
assess --profile "$PROFILE" --firmware "$img" -o "$T/notours"
[ "$rc" = 2 ] || fail "non-empty -o: exit $rc"
grep -q "not empty and not an earlier starlab report" "$T/err.txt" || fail "refusal not explained"
[ "$(cat "$T/notours/thesis.txt")" = keep ] || fail "a user's file was touched"
assess --profile "$PROFILE" --firmware "$T/fixed.bin" -o "$T/a2"
cp -a "$T/a" "$T/again"
assess --profile "$PROFILE" --firmware "$T/fixed.bin" -o "$T/again"
[ "$rc" -le 1 ] || fail "re-run over an earlier report: exit $rc"
[ "$(json_get "$T/again/report.json" "j['subject']['firmware']['name']")" = fixed.bin ] ||
	fail "the earlier report was not replaced"
ls "$T/again/evidence" | grep -q SHADOW && fail "stale evidence left from the earlier set"
ls -a "$T" | grep -q '\.tmp-' && fail "a temporary directory was left"
assess --profile "$PROFILE" --firmware "$T/missing.bin" -o "$T/m"
[ "$rc" = 3 ] || fail "missing image: exit $rc"
[ -e "$T/m" ] && fail "output written for a missing image"
echo "t_assess: ok"
