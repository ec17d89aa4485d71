#!/usr/bin/env bash
# Runs that could not see must say so (issues 9 and 13, firmware side):
#   - an image in which nothing is recognised (random bytes, a text file,
#     8 MiB of encrypted-looking bytes with a profile) gets an incomplete
#     reason naming size and entropy, a line on stderr and exit 3, and no
#     firmware verdict; a partly recognised image keeps exit 0/1;
#   - a root file system truncated before anything was listed: no
#     firmware verdict, exit 3;
#   - -o is checked before the scan (missing parent, a file, a read-only
#     directory); a full disk leaves the previous report set or none;
#   - SIGINT / SIGTERM during a firmware or a service run: exit 4, no
#     report;
#   - a mistyped --vuln-db names the path.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs python3 unshare mount

# fw NAME IMAGE [options]: JSON report to $T/NAME.json, stderr to
# $T/NAME.err, exit status to $T/NAME.rc.
fw() {
	local n=$1 img=$2 rc=0
	shift 2
	"$STARLAB" firmware --format json "$@" "$img" >"$T/$n.json" \
		2>"$T/$n.err" || rc=$?
	echo "$rc" >"$T/$n.rc"
}

cat >"$T/full.yaml" <<'X'
product: {vendor: ACME, model: SL-100, version: "1.2.3"}
interfaces:
  - {proto: tcp, port: 443, service: https, purpose: "web admin", auth: "password, per device"}
password_scheme: unique
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

# ---- nothing recognised ----
head -c 100000 /dev/urandom >"$T/random.bin"
printf 'Dear customer,\nthis is not a firmware image.\n' >"$T/letter.txt"
head -c 8M /dev/urandom >"$T/enc.bin"
fw random "$T/random.bin"
fw text "$T/letter.txt"
fw enc "$T/enc.bin" --profile "$T/full.yaml"
for n in random text enc; do
	[ "$(cat "$T/$n.rc")" = 3 ] || fail "$n: exit $(cat "$T/$n.rc"), want 3"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$n.json" >/dev/null
	grep -q "not assessed: no container or file system recognised" \
		"$T/$n.err" || fail "$n: no line on stderr: $(cat "$T/$n.err")"
done
expect_incomplete "$T/random.json" \
	'random\.bin: no container or file system recognised in 100000 bytes \(entropy [0-9.]+ bits per byte\): high entropy throughout, no known header: encrypted or unsupported format; ask the vendor for the unencrypted image'
expect_incomplete "$T/text.json" \
	'letter\.txt: no container or file system recognised in [0-9]+ bytes \(entropy [0-4]\.[0-9]+ bits per byte\): no known header'
expect_incomplete "$T/enc.json" 'enc\.bin: .* 8388608 bytes .*encrypted'
python3 - "$T/enc.json" <<'PY' || fail "encrypted image: a firmware verdict from nothing"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["summary"]["complete"] is False
for c in r["checklist"]:
    # Only the document-only requirements may be decided by the profile.
    if c["id"] in ("S1.1-07", "S1.1-09", "S1.1-16"):
        continue
    assert c["verdict"] != "conformant", c
c = {c["id"]: c for c in r["checklist"]}["S1.1-11"]
assert any(m.startswith("firmware: nothing in the image was recognised")
           for m in c["missing_evidence"]), c
PY
# The SARIF of a run that saw nothing says it did not succeed.
"$STARLAB" firmware --format sarif "$T/random.bin" >"$T/random.sarif" 2>/dev/null || true
[ "$(json_get "$T/random.sarif" 'j["runs"][0]["invocations"][0]["executionSuccessful"]')" = False ] ||
	fail "random: SARIF executionSuccessful is not false"

# ---- partly recognised: a squashfs followed by random bytes ----
mkdir -p "$T/root/etc" "$T/root/bin"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$T/root/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$T/root/etc/shadow"
printf '#!/bin/sh\necho hi\n' >"$T/root/bin/sh"
head -c 200000 /dev/urandom >"$T/root/etc/blob"
mksquashfs "$T/root" "$T/root.sq" -comp gzip -all-root -noappend \
	-no-progress >/dev/null
cat "$T/root.sq" "$T/random.bin" >"$T/part.bin"
fw part "$T/part.bin"
rc=$(cat "$T/part.rc")
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "partly recognised: exit $rc: $(cat "$T/part.err")"
[ -s "$T/part.err" ] && fail "partly recognised: stderr: $(cat "$T/part.err")"
python3 - "$T/part.json" <<'PY' || fail "partly recognised image"
import json, sys
r = json.load(open(sys.argv[1]))
assert not any("no container or file system" in i for i in r["incomplete"]), r["incomplete"]
PY
"$STARLAB" ls --format json "$T/part.bin" >"$T/part.ls.json"
python3 - "$T/part.ls.json" <<'PY' || fail "partly recognised: no region listed"
import json, sys
j = json.load(open(sys.argv[1]))
es = j["entries"] if isinstance(j, dict) else j
assert any(e["type"] == "region" for e in es), es
PY

# ---- a root file system truncated before anything was listed ----
head -c 150000 "$T/root.sq" >"$T/trunc.sq"
fw trunc "$T/trunc.sq" --profile "$T/full.yaml"
[ "$(cat "$T/trunc.rc")" = 3 ] || fail "truncated: exit $(cat "$T/trunc.rc"), want 3"
grep -q "no file could be listed" "$T/trunc.err" || fail "truncated: $(cat "$T/trunc.err")"
python3 - "$T/trunc.json" <<'PY' || fail "truncated image: a firmware verdict from nothing"
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["checklist"]:
    if c["id"] in ("S1.1-07", "S1.1-09", "S1.1-16"):
        continue
    assert c["verdict"] != "conformant", c
c = {c["id"]: c for c in r["checklist"]}["S1.1-11"]
assert any("no file could be listed" in m for m in c["missing_evidence"]), c
PY

# ---- files but no account database: S1.1-02 is not judged ----
mkdir -p "$T/cfg/etc"
printf 'name=sensor\n' >"$T/cfg/etc/board.conf"
mksquashfs "$T/cfg" "$T/cfg.sq" -all-root -noappend -no-progress >/dev/null
fw cfg "$T/cfg.sq" --profile "$T/full.yaml"
python3 - "$T/cfg.json" <<'PY' || fail "no account database"
import json, sys
r = json.load(open(sys.argv[1]))
c = {c["id"]: c for c in r["checklist"]}
assert any("no account database" in m for m in c["S1.1-02"]["missing_evidence"]), c["S1.1-02"]
assert any("no operating system" in m for m in c["S1.1-01"]["missing_evidence"]), c["S1.1-01"]
PY

# ---- -o is checked before the scan ----
for bad in "$T/missing/parent/out" "$T/letter.txt"; do
	rc=0
	"$STARLAB" firmware -o "$bad" "$T/root.sq" >"$T/o.out" 2>"$T/o.err" || rc=$?
	[ "$rc" = 3 ] || fail "-o $bad: exit $rc, want 3"
	grep -qF "$bad" "$T/o.err" || fail "-o $bad: message does not name it: $(cat "$T/o.err")"
	[ -s "$T/o.out" ] && fail "-o $bad: output: $(cat "$T/o.out")"
done
grep -q "not a directory" "$T/o.err" || fail "-o onto a file: $(cat "$T/o.err")"
# The device command checks -o before it sends anything (the host is the
# loopback, and nothing is sent to it).
rc=0
timeout 60 "$STARLAB" device 127.0.0.1 -o "$T/letter.txt" >"$T/d.out" 2>"$T/d.err" || rc=$?
[ "$rc" = 3 ] || fail "device -o onto a file: exit $rc"
grep -q "letter.txt: the output path exists and is not a directory" "$T/d.err" ||
	fail "device -o: $(cat "$T/d.err")"

# A read-only directory, a full disk: small tmpfs mounts in a private
# mount namespace, gone when it ends.
mkdir -p "$T/ro" "$T/small"
unshare -m bash -s "$STARLAB" "$T" <<'SH' || fail "read-only / full-disk output"
set -eu
STARLAB=$1 T=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
mount -t tmpfs -o size=64k,ro tmpfs "$T/ro"
rc=0
"$STARLAB" firmware -o "$T/ro/out" "$T/root.sq" >"$T/ro.out" 2>"$T/ro.err" || rc=$?
[ "$rc" = 3 ] || fail "-o on a read-only file system: exit $rc"
grep -q "cannot create the output directory" "$T/ro.err" || fail "$(cat "$T/ro.err")"
[ -s "$T/ro.out" ] && fail "read-only: output"

# A first set fits; then the disk is filled but for a few KiB, and a
# second run (another image, so other reports) must fail and leave the
# first set as it was, with no temporary directory behind.
mount -t tmpfs -o size=256k tmpfs "$T/small"
"$STARLAB" firmware -o "$T/small/out" "$T/cfg.sq" >/dev/null 2>&1 || [ $? = 1 ]
(cd "$T/small/out" && sha256sum report.json report.txt report.md \
	report.sarif sbom.cdx.json) >"$T/before.sum"
dd if=/dev/zero of="$T/small/fill" bs=1k 2>/dev/null || true
rm -f "$T/small/fill"
free=$(df -k --output=avail "$T/small" | tail -1)
dd if=/dev/zero of="$T/small/fill" bs=1k count=$((free - 12)) 2>/dev/null
rc=0
"$STARLAB" firmware -o "$T/small/out" "$T/root.sq" >"$T/full.out" 2>"$T/full.err" || rc=$?
[ "$rc" = 3 ] || fail "full disk: exit $rc: $(cat "$T/full.err")"
grep -q "previous reports there, if any, are unchanged" "$T/full.err" ||
	fail "full disk: $(cat "$T/full.err")"
(cd "$T/small/out" && sha256sum -c --quiet "$T/before.sum") ||
	fail "full disk: the previous set changed"
[ "$(ls -A "$T/small/out" | wc -l)" = 5 ] || fail "full disk: left: $(ls -A "$T/small/out")"
ls -A "$T/small" | grep -q starlab && fail "full disk: temporary left: $(ls -A "$T/small")"
# None: an empty directory on the full disk stays empty.
mkdir "$T/small/new"
rc=0
"$STARLAB" firmware -o "$T/small/new" "$T/root.sq" >/dev/null 2>&1 || rc=$?
[ "$rc" = 3 ] || fail "full disk, new directory: exit $rc"
[ -z "$(ls -A "$T/small/new")" ] || fail "full disk: partial set: $(ls -A "$T/small/new")"
SH

# ---- a run that finishes writes the set; nothing temporary stays ----
rc=0
"$STARLAB" firmware -o "$T/ok" "$T/root.sq" >"$T/ok.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "-o: exit $rc: $(cat "$T/ok.out")"
[ "$(ls -A "$T/ok" | sort | tr '\n' ' ')" = "report.json report.md report.sarif report.txt sbom.cdx.json " ] ||
	fail "-o: $(ls -A "$T/ok")"
# Again over the first set: replaced file by file, nothing left beside.
"$STARLAB" firmware -o "$T/ok/" "$T/cfg.sq" >/dev/null 2>&1 || [ $? = 1 ]
grep -q '"name": "cfg.sq"' "$T/ok/report.json" || fail "-o: second set not in place"
ls -A "$T" | grep -q 'starlab-' && fail "-o: temporary left: $(ls -A "$T")"

# ---- SIGINT, SIGTERM: exit 4, no report ----
# The signal is sent once the image is mapped (the handlers are in place
# by then, and unpacking 256 MiB has only begun), so no timing is assumed.
head -c 256M /dev/urandom >"$T/big.bin"
for sig in INT TERM; do
	"$STARLAB" firmware -o "$T/sig$sig" "$T/big.bin" >"$T/sig.out" \
		2>"$T/sig.err" &
	pid=$!
	signal_when "$sig" "$pid" grep -q big.bin "/proc/$pid/maps"
	[ "$sig_rc" = 4 ] || fail "SIG$sig: exit $sig_rc, want 4: $(cat "$T/sig.err")"
	grep -q "interrupted: no report written" "$T/sig.err" || fail "SIG$sig: $(cat "$T/sig.err")"
	[ -z "$(ls -A "$T/sig$sig")" ] || fail "SIG$sig: left $(ls -A "$T/sig$sig")"
done
rm -f "$T/big.bin"

# `service` the same: a signal while a request hangs (a listener on
# 127.0.0.1 that accepts and never answers; the signal is sent once it
# has the connection, so the handlers are in place).
cat >"$T/api.json" <<'JSON'
{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
 "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
 "security": [{"bearer": []}],
 "paths": {"/api/status": {"get": {"responses": {"200": {"description": "ok"}}}}}}
JSON
for sig in INT TERM; do
	rm -f "$T/port" "$T/accepted"
	python3 - "$T/port" "$T/accepted" <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = s.accept()
open(sys.argv[2], "w").write("1")
time.sleep(30)
PY
	lpid=$!
	for _ in $(seq 1 1000); do [ -s "$T/port" ] && break; sleep 0.01; done
	"$STARLAB" service "http://127.0.0.1:$(cat "$T/port")" --openapi "$T/api.json" \
		--timeout 20000 -o "$T/svc$sig" >/dev/null 2>"$T/svc.err" &
	signal_when "$sig" $! test -e "$T/accepted"
	kill "$lpid" 2>/dev/null || true
	wait "$lpid" 2>/dev/null || true
	[ "$sig_rc" = 4 ] || fail "service SIG$sig: exit $sig_rc, want 4: $(cat "$T/svc.err")"
	grep -q "interrupted: no report written" "$T/svc.err" || fail "service SIG$sig: $(cat "$T/svc.err")"
	[ -z "$(ls -A "$T/svc$sig" 2>/dev/null)" ] || fail "service SIG$sig: left $(ls -A "$T/svc$sig")"
done

# ---- mistyped paths are named ----
rc=0
"$STARLAB" firmware --vuln-db "$T/no-such-db" "$T/root.sq" >/dev/null 2>"$T/db.err" || rc=$?
[ "$rc" = 2 ] || fail "--vuln-db missing: exit $rc"
grep -qF -- "--vuln-db $T/no-such-db: No such file or directory" "$T/db.err" ||
	fail "--vuln-db: $(cat "$T/db.err")"
echo ok
