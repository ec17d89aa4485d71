#!/usr/bin/env bash
# t_assess_retest.sh - the retest and the label: `starlab diff` of the
# planted sample against the same product after a fix round (every finding
# fixed, exit 0), against itself (all still open, exit 1) and against a
# round that brings something new; text, JSON and Markdown.  `starlab
# label`: refused (naming the requirements) and granted, the validity
# period, and the label states with the rule that moved them.
. "$(dirname "$0")/lib.sh" || exit 1
need python3 mksquashfs mkimage mkfs.jffs2 mips-linux-gnu-gcc gcc
PROFILE=$SL_SRC/samples/profile.yaml

img=$(bash "$SL_SRC/samples/build.sh" "$T")
bash "$SL_SRC/tests/fixtures/mk_fixed_fw.sh" "$T/fixed.bin"
rc=0
"$STARLAB" assess --profile "$PROFILE" --firmware "$img" -o "$T/old" >/dev/null || rc=$?
[ "$rc" = 1 ] || fail "planted: exit $rc"
"$STARLAB" assess --profile "$PROFILE" --firmware "$T/fixed.bin" -o "$T/new" >/dev/null ||
	fail "fixed image: non-zero exit"

# diff ARGS...: exit status in $rc, output in $T/diff.out.
diff_() {
	rc=0
	"$STARLAB" diff "$@" >"$T/diff.out" 2>"$T/diff.err" || rc=$?
}

# ---- every finding fixed ----
diff_ "$T/old" "$T/new/report.json" --format json
[ "$rc" = 0 ] || fail "planted -> fixed: exit $rc: $(cat "$T/diff.err")"
python3 - "$T/diff.out" "$T/old/report.json" <<'PY' || fail "planted -> fixed: wrong diff"
import json, sys
d = json.load(open(sys.argv[1])); old = json.load(open(sys.argv[2]))
want = {(i["id"]) for i in old["issues"] if i["severity"] != "info"}
assert d["summary"]["still_open"] == 0 and d["summary"]["new"] == 0, d["summary"]
assert {i["id"] for i in d["issues"] if i["state"] == "fixed"} == want
assert all(i["after"] == 0 and i["before"] >= 1 for i in d["issues"])
r = {x["id"]: x for x in d["requirements"]}
assert r["S1.1-01"]["before"] == "non-conformant" and r["S1.1-01"]["after"] != "non-conformant"
assert r["S1.1-11"]["after"] == "conformant", r["S1.1-11"]
PY
diff_ "$T/old" "$T/new"
[ "$rc" = 0 ] || fail "text diff: exit $rc"
grep -q "^[0-9]* fixed, 0 still open, 0 new" "$T/diff.out" || fail "text summary: $(head -3 "$T/diff.out")"
grep -q "^S1.1-01  non-conformant  -> needs-evidence  \*" "$T/diff.out" || fail "text: no verdict change"

# ---- the same report twice: everything still open ----
diff_ "$T/old" "$T/old" --format md
[ "$rc" = 1 ] || fail "planted -> planted: exit $rc, want 1"
grep -q "^0 fixed, [0-9]* still open, 0 new\.$" "$T/diff.out" || fail "md summary"
grep -q '^| still open | `FW-TELNETD-NO-LOGIN` | firmware | S1.1-01 S1.1-13 | 1 -> 1 |' "$T/diff.out" ||
	fail "md issue row: $(grep TELNETD "$T/diff.out")"
if command -v cmark-gfm >/dev/null; then
	# Into a file: grep -q at the end of a pipe would end cmark-gfm
	# early (SIGPIPE), which pipefail counts as a failure.
	cmark-gfm -e table "$T/diff.out" >"$T/diff.html"
	grep -q "<td>still open</td>" "$T/diff.html" || fail "md table does not render"
fi

# ---- a fix round that brings something new ----
mkdir -p "$T/g/usr/bin" "$T/g/etc"
echo 'int main(void){return 0;}' >"$T/g.c"
gcc -O1 -z execstack -o "$T/g/usr/bin/tool" "$T/g.c"
echo 'root:x:0:0:root:/root:/bin/sh' >"$T/g/etc/passwd"
mksquashfs "$T/g" "$T/g.bin" -comp xz -all-root -noappend -no-progress >/dev/null
rc=0
"$STARLAB" assess --profile "$PROFILE" --firmware "$T/g.bin" -o "$T/newer" >/dev/null || rc=$?
diff_ "$T/new" "$T/newer" --format json
[ "$rc" = 1 ] || fail "fixed -> new issue: exit $rc"
[ "$(json_get "$T/diff.out" "[i['id'] for i in j['issues'] if i['state']=='new']")" = "['FW-ELF-EXECSTACK']" ] ||
	fail "new issue not reported: $(cat "$T/diff.out")"

# Bad input: named, exit 3.
echo '{"checklist": []}' >"$T/bad.json"
diff_ "$T/bad.json" "$T/new"
[ "$rc" = 3 ] || fail "bad report: exit $rc"
grep -q "bad.json: not a starlab report" "$T/diff.err" || fail "bad report not named"

# ---- label: refused, naming the requirements ----
lab() {
	rc=0
	"$STARLAB" label "$@" >"$T/label.out" 2>"$T/label.err" || rc=$?
}
lab --profile "$PROFILE" --report "$T/old" --issued 2026-12-01 --format json
[ "$rc" = 1 ] || fail "label on the planted report: exit $rc"
python3 - "$T/label.out" <<'PY' || fail "refusal wrong"
import json, sys
l = json.load(open(sys.argv[1]))
assert l["granted"] is False and "state" not in l
r = l["refused_because"]
assert any(x.startswith("S1.1-01 non-conformant") for x in r), r
assert any(x.startswith("S1.1-04 needs-evidence") for x in r), r
assert not any(x.startswith("S1.1-07") for x in r), r
PY

# ---- label granted: a checklist all conformant or not applicable ----
# (No bundled product passes all sixteen yet, so the report is the fixed
# one with its checklist completed as a lab would after the documents and
# device tests: the label logic only reads the checklist.)
python3 - "$T/new/report.json" "$T/pass.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["checklist"]:
    c["verdict"] = "not-applicable" if c["id"] == "S1.1-03" else "conformant"
    c["findings"], c["missing_evidence"] = [], []
r["findings"], r["issues"] = [], []
json.dump(r, open(sys.argv[2], "w"))
PY
lab --profile "$PROFILE" --report "$T/pass.json" --issued 2026-12-01 --as-of 2027-06-01 --format json
[ "$rc" = 0 ] || fail "label granted: exit $rc: $(cat "$T/label.err")"
python3 - "$T/label.out" <<'PY' || fail "granted label wrong"
import json, sys
l = json.load(open(sys.argv[1]))
assert l["granted"] is True
assert (l["product_name"], l["model"], l["manufacturer"], l["level"]) == \
    ("Starlab Demo Router", "SDR-100", "Starlab Demo", "STAR-1"), l
assert (l["issued"], l["valid_until"], l["support_until"]) == ("2026-12-01", "2028-11-30", "2031-03-31"), l
assert l["state"] == "active" and "within the validity period" in l["state_rule"], l
PY
lab --profile "$PROFILE" --report "$T/pass.json" --issued 2026-12-01 --as-of 2029-01-10
[ "$rc" = 0 ] && grep -q "state  *expired" "$T/label.out" || fail "not expired after two years"
grep -q "state_rule  *the validity period ended on 2028-11-30 and no extension" "$T/label.out" || fail "expiry rule"
lab --profile "$PROFILE" --report "$T/pass.json" --issued 2026-12-01 --as-of 2029-01-10 --state extension
grep -q "state  *extension in progress" "$T/label.out" || fail "extension state"
lab --profile "$PROFILE" --report "$T/pass.json" --issued 2026-12-01 --as-of 2027-01-10 --state revoked
grep -q "state  *revoked" "$T/label.out" || fail "revoked state"
lab --profile "$PROFILE" --report "$T/pass.json" --issued 2026-12-01 --as-of 2029-01-10 --state withdrawn
[ "$rc" = 2 ] || fail "withdrawal after expiry: exit $rc"
grep -q "withdrawn only during its validity period, which ended on 2028-11-30" "$T/label.err" || fail "withdrawal rule"
lab --profile "$PROFILE" --report "$T/pass.json" --issued 2026-12-01 --expires 2028-12-01
[ "$rc" = 2 ] || fail "validity over two years: exit $rc"
grep -q "valid for two years at most (until 2028-11-30)" "$T/label.err" || fail "two-year rule"
lab --profile "$PROFILE" --report "$T/pass.json" --issued 2026-12-01 --expires 2027-12-01 --as-of 2027-12-02
grep -q "state  *expired" "$T/label.out" || fail "a shorter validity asked for"
# Without the support period in the profile: refused, naming it.
grep -v support_until "$PROFILE" >"$T/nosupport.yaml"
lab --profile "$T/nosupport.yaml" --report "$T/pass.json" --issued 2026-12-01
[ "$rc" = 1 ] || fail "no support period: exit $rc"
grep -q "product.support_until (the end of the support period) is missing" "$T/label.out" || fail "support period not named"
echo "t_assess_retest: ok"
