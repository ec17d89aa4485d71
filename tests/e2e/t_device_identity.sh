#!/usr/bin/env bash
# net.identity (S1.1-06, S1.1-10) against the network-namespace devices
# (tests/fixtures/netns/device.sh), with the real starlab binary.
#
# Insecure device (SL-CAM100, 1.0.2 in /status JSON, the page title and
# SNMP sysDescr): with a matching profile only NET-IDENTITY, naming the
# model and version and where they came from, and no device evidence
# missing for S1.1-06 and S1.1-10; with another model and version in the
# profile NET-MODEL-MISMATCH and NET-VERSION-MISMATCH (high); without a
# profile NET-IDENTITY and both requirements not judged from the device.
# Hardened device (SL-CAM200, 2.4.1 behind basic auth): read with the
# profile's credential and its version_probe, NET-IDENTITY only; without
# any credential NET-MODEL-NOT-VISIBLE and NET-VERSION-NOT-READABLE.
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/lib_net.sh" || exit 1
need_root_netns
need python3

net_up insecure
net_up hardened HRD

# run NAME ARGS...: starlab device ARGS into $T/NAME.json, validated.
# No default-credential attempts (--max-logins 0): they are
# t_device_auth's subject, and here they only wait, out the hardened
# device's rate limit and on the SNMP communities it never answers.
run() {
	local name=$1 rc=0
	shift
	"$STARLAB" device "$@" --max-logins 0 --format json >"$T/$name.json" \
		2>"$T/$name.err" || rc=$?
	[ "$rc" -le 1 ] || fail "starlab device $* exited $rc: $(cat "$T/$name.err")"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$name.json" >/dev/null ||
		fail "$name.json is not a valid report"
}

# profile FILE MODEL VERSION [CREDENTIAL AND PROBE LINES]
profile() {
	local f=$1 model=$2 version=$3
	shift 3
	{
		printf 'product:\n  vendor: StarLab\n  model: %s\n' "$model"
		printf '  version: "%s"\n' "$version"
		printf '%s\n' "$@"
	} >"$f"
}

# ids REPORT: the NET-MODEL/NET-VERSION/NET-IDENTITY finding ids, sorted.
ids() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print(" ".join(sorted(f["id"] for f in j["findings"]
      if f["id"].startswith(("NET-MODEL", "NET-VERSION", "NET-IDENTITY")))))
PY
}

# want_ids REPORT IDS
want_ids() {
	local got
	got=$(ids "$1")
	[ "$got" = "$2" ] || fail "$1: identity findings '$got', wanted '$2'"
}

# finding REPORT ID SEVERITY REQS TEXT...: the finding is there with this
# severity and these requirements (comma-separated), and each TEXT is in
# its excerpt.
finding() {
	python3 - "$@" <<'PY' || fail "$2 not as wanted in $1"
import json, sys
path, fid, sev, reqs = sys.argv[1:5]
texts = sys.argv[5:]
j = json.load(open(path))
for f in j["findings"]:
    if f["id"] != fid:
        continue
    ex = f["evidence"].get("excerpt") or ""
    ok = (f["severity"] == sev and f["requirements"] == reqs.split(",")
          and all(t in ex for t in texts))
    if ok:
        sys.exit(0)
    print("  seen:", f["severity"], f["requirements"], ex, file=sys.stderr)
sys.exit(1)
PY
}

# device_missing REPORT REQ: the device evidence REQ misses, one a line.
device_missing() {
	python3 - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
c = {c["id"]: c for c in j["checklist"]}[sys.argv[2]]
for m in c["missing_evidence"]:
    if m.startswith("device:"):
        print(m)
PY
}

# ---- insecure, matching profile ----
profile "$T/ins-ok.yaml" SL-CAM100 1.0.2
run ins-ok "$DEV_IP4" --ports 80,443 --profile "$T/ins-ok.yaml"
want_ids "$T/ins-ok.json" "NET-IDENTITY"
finding "$T/ins-ok.json" NET-IDENTITY info S1.1-06,S1.1-10 \
	"SL-CAM100 (http://$DEV_IP4:80/status)" \
	"1.0.2 (http://$DEV_IP4:80/status)" \
	"SL-CAM100 (http://$DEV_IP4:80/ <title>)" \
	"SL-CAM100 (snmp sysDescr)" "1.0.2 (snmp sysDescr)"
for r in S1.1-06 S1.1-10; do
	device_missing "$T/ins-ok.json" "$r" >"$T/miss"
	[ ! -s "$T/miss" ] || fail "$r misses device evidence: $(cat "$T/miss")"
done

# ---- insecure, another model and version in the profile ----
profile "$T/ins-bad.yaml" SL-CAM300 9.9.9
run ins-bad "$DEV_IP4" --ports 80 --profile "$T/ins-bad.yaml"
want_ids "$T/ins-bad.json" \
	"NET-IDENTITY NET-MODEL-MISMATCH NET-VERSION-MISMATCH"
finding "$T/ins-bad.json" NET-MODEL-MISMATCH high S1.1-10 \
	"profile: SL-CAM300" "SL-CAM100 (http://$DEV_IP4:80/status)"
finding "$T/ins-bad.json" NET-VERSION-MISMATCH high S1.1-06 \
	"profile: 9.9.9" "1.0.2 (snmp sysDescr)"

# ---- insecure, the version_probe is what counts ----
profile "$T/ins-probe.yaml" SL-CAM100 1.0.3 \
	'version_probe:' '  kind: snmp' \
	'  pattern: "firmware ([0-9.]+)"'
run ins-probe "$DEV_IP4" --ports 80 --profile "$T/ins-probe.yaml"
want_ids "$T/ins-probe.json" "NET-IDENTITY NET-VERSION-MISMATCH"
finding "$T/ins-probe.json" NET-VERSION-MISMATCH high S1.1-06 \
	"profile: 1.0.3; device: 1.0.2 (version_probe snmp)"

# ---- insecure, no profile ----
run ins-none "$DEV_IP4" --ports 80
want_ids "$T/ins-none.json" "NET-IDENTITY"
finding "$T/ins-none.json" NET-IDENTITY info S1.1-06,S1.1-10 \
	"SL-CAM100 (http://$DEV_IP4:80/status)"
device_missing "$T/ins-none.json" S1.1-10 >"$T/miss"
grep -q "cannot be compared without a profile" "$T/miss" ||
	fail "S1.1-10 without a profile: $(cat "$T/miss")"

# ---- hardened, the tester's credential and a version_probe ----
profile "$T/hrd-ok.yaml" SL-CAM200 2.4.1 \
	'credentials:' '  - service: http' "    user: $HRD_USER" \
	"    password: \"$HRD_PASS\"" \
	'version_probe:' '  kind: http' '  port: 443' '  path: /status' \
	'  pattern: "\"firmware_version\": *\"([^\"]+)\""'
run hrd-ok "$HRD_IP4" --ports 443 --no-udp --profile "$T/hrd-ok.yaml"
want_ids "$T/hrd-ok.json" "NET-IDENTITY"
finding "$T/hrd-ok.json" NET-IDENTITY info S1.1-06,S1.1-10 \
	"SL-CAM200 (https://$HRD_IP4:443/status)" \
	"2.4.1 (version_probe http /status)"
for r in S1.1-06 S1.1-10; do
	device_missing "$T/hrd-ok.json" "$r" >"$T/miss"
	[ ! -s "$T/miss" ] || fail "$r misses device evidence: $(cat "$T/miss")"
done
if grep -q "$HRD_PASS" "$T/hrd-ok.json"; then
	fail "the profile's password is in the report"
fi

# ---- hardened, no credential: nothing readable ----
profile "$T/hrd-none.yaml" SL-CAM200 2.4.1
run hrd-none "$HRD_IP4" --ports 443 --no-udp --profile "$T/hrd-none.yaml"
want_ids "$T/hrd-none.json" "NET-MODEL-NOT-VISIBLE NET-VERSION-NOT-READABLE"
finding "$T/hrd-none.json" NET-MODEL-NOT-VISIBLE medium S1.1-10 \
	"looked for SL-CAM200"
finding "$T/hrd-none.json" NET-VERSION-NOT-READABLE medium S1.1-06
exit 0
