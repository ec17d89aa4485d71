#!/usr/bin/env bash
# The command line contract: exit codes, --help and --version, the
# requirement catalogue, and the JSON report (schema, determinism,
# atomic writes).
. "$(dirname "$0")/lib.sh" || exit 1

"$STARLAB" --version >"$T/ver"
grep -Eq '^starlab [0-9]+\.[0-9]+\.[0-9]+$' "$T/ver" || fail "--version"
for c in requirements ls unpack firmware; do
	"$STARLAB" "$c" --help >"$T/help"
	grep -q "usage: starlab $c" "$T/help" || fail "$c --help"
done

set +e
"$STARLAB" nosuchcommand 2>"$T/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "unknown command exits $rc, want 2"
grep -q '^usage: starlab' "$T/err" || fail "unknown command: no usage line on stderr"

set +e
"$STARLAB" firmware /nonexistent/fw.bin 2>"$T/err"; rc=$?
set -e
[ "$rc" -eq 3 ] || fail "missing image exits $rc, want 3"
grep -q '/nonexistent/fw.bin' "$T/err" || fail "missing image: file not named"

set +e
"$STARLAB" firmware 2>/dev/null; rc1=$?
"$STARLAB" ls --bogus x 2>/dev/null; rc2=$?
"$STARLAB" ls --max-depth nope x 2>/dev/null; rc3=$?
: >"$T/empty"
"$STARLAB" ls "$T/empty" 2>"$T/err"; rc4=$?
mkdir "$T/dir"
"$STARLAB" ls "$T/dir" 2>/dev/null; rc5=$?
set -e
[ "$rc1$rc2$rc3" = 222 ] || fail "usage errors exit $rc1 $rc2 $rc3, want 2 2 2"
[ "$rc4" -eq 3 ] && grep -q empty "$T/err" || fail "empty image: exit $rc4"
[ "$rc5" -eq 3 ] || fail "directory as image: exit $rc5"

# The catalogue.
"$STARLAB" requirements --format json >"$T/req.json"
python3 - "$T/req.json" <<'PY' || fail "requirements --format json"
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r) == 16, len(r)
assert [x["id"] for x in r] == ["S1.1-%02d" % i for i in range(1, 17)]
for x in r:
    assert x["assessment_method"] in ("document", "device", "document+device"), x
    assert any(e["scheme"] == "ETSI EN 303 645" and e["refs"] for e in x["xrefs"]), x["id"]
assert r[3]["assessment_method"] == "device"
PY
"$STARLAB" requirements >"$T/req.txt"
grep -q 'S1.1-16' "$T/req.txt" || fail "requirements text"

# A report: schema-valid, byte-identical across runs but for generated_at.
printf 'some firmware payload %.0s' {1..200} | gzip -c >"$T/fw.bin"
set +e
"$STARLAB" firmware --format json "$T/fw.bin" >"$T/r1.json"; rc=$?
set -e
[ "$rc" -le 1 ] || fail "firmware exits $rc"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/r1.json"
"$STARLAB" firmware --format json "$T/fw.bin" >"$T/r2.json" || true
sleep 1
"$STARLAB" firmware --format json --threads 1 "$T/fw.bin" >"$T/r3.json" || true
for r in r2 r3; do
	diff <(grep -v generated_at "$T/r1.json") <(grep -v generated_at "$T/$r.json") ||
		fail "report $r differs from r1 beyond generated_at"
done

# -o DIR: every format, no temporary files left behind.
"$STARLAB" firmware "$T/fw.bin" -o "$T/out" >"$T/paths" || true
for r in report.json report.txt report.md report.sarif sbom.cdx.json; do
	[ -s "$T/out/$r" ] || fail "-o did not write $r"
done
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/out/report.json"
[ "$(ls "$T/out" | wc -l)" -eq 5 ] || fail "leftover files in -o dir: $(ls "$T/out")"
grep -q "$T/out/report.json" "$T/paths" || fail "report path not printed"
# device --max-logins 0: nothing tried, so no device evidence for S1.1-02,
# and the report says why (one closed loopback port; nothing else is
# contacted).
"$STARLAB" device 127.0.0.1 --ports 1 --no-udp --max-logins 0 \
	--format json >"$T/ml0.json" || true
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/ml0.json"
python3 - "$T/ml0.json" <<'PY' || fail "--max-logins 0 must leave S1.1-02 without device evidence"
import json, sys
c = {e["id"]: e for e in json.load(open(sys.argv[1]))["checklist"]}
assert any("--max-logins 0" in m for m in c["S1.1-02"]["missing_evidence"]), c["S1.1-02"]
PY
# Exit status 4 (interrupted) is documented next to 0-3.
"$STARLAB" --help | grep -q "4 interrupted" || fail "--help: no exit status 4"
for c in firmware device; do
	"$STARLAB" $c --help | grep -q "4 interrupted" || fail "$c --help: no exit status 4"
done
grep -q '\*\*4\*\* interrupted' "$SL_SRC/README.md" || fail "README: no exit status 4"

# An unknown command with control bytes in it is shown escaped.
rc=0
"$STARLAB" "$(printf 'x\033]0;T\007')" >/dev/null 2>"$T/uc.err" || rc=$?
[ "$rc" = 2 ] || fail "unknown command: exit $rc"
grep -qF 'x\x1b]0;T\x07' "$T/uc.err" || fail "unknown command: $(cat -v "$T/uc.err")"
echo ok
