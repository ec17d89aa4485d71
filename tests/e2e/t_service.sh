#!/usr/bin/env bash
# t_service.sh - `starlab service` against real Node.js APIs (express,
# jsonwebtoken from the npm registry, tests/fixtures/api/) in network
# namespaces this test creates: the weak API gets every finding with its
# requirement ids, the hardened one none but facts (info).
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/lib_net.sh" || exit 1

API="$SL_SRC/tests/fixtures/api/api.sh"
DOC="$SL_SRC/tests/fixtures/api/openapi.json"
NPM_DIR="$(dirname "$STARLAB")/fixtures-npm/api"

need_root_netns
need node npm openssl python3
"$API" install "$NPM_DIR" || fail "npm ci of the API fixture failed"

# api_up KIND PREFIX: bring an API up, removed on exit; PREFIX_URL etc.
api_up() {
	local name="sl-api${1:0:1}-$$"
	net_trap_add "'$API' down '$name' >/dev/null 2>&1"
	"$API" up "$1" "$name" "$NPM_DIR" >"$T/$name.env" || fail "api.sh up $1 failed"
	eval "$(sed "s/^API_/${2}_/" "$T/$name.env")"
}

# findings FILE: "ID REQ[,REQ] SEVERITY" per finding, sorted.
findings() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for f in sorted(j["findings"], key=lambda f: f["id"]):
    print(f["id"], ",".join(f["requirements"]), f["severity"])
PY
}

# expect_excerpt FILE ID REGEX: the finding's excerpt matches.
expect_excerpt() {
	python3 - "$@" <<'PY' || fail "finding $2 in $1 has no excerpt matching '$3'"
import json, re, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if any(f["id"] == sys.argv[2] and re.search(sys.argv[3], f["evidence"].get("excerpt", ""))
                  for f in j["findings"]) else 1)
PY
}

api_up weak W
api_up hardened H
net_route_ok "$W_IP4"
net_route_ok "$H_IP4"

# capture URL PATH SIGNED OUT [CA]: what a tester saves from a proxy: the
# app's request (alice's token; SIGNED=1 with the app's X-Timestamp,
# X-Nonce and X-Signature, server.js), built here, never sent.
capture() {
	local url=$1 path=$2 signed=$3 out=$4 ca=${5:-} tok ts nonce sig
	local body='{"command":"unlock"}'
	tok=$(curl -sS --noproxy '*' ${ca:+--cacert "$ca"} -H 'Content-Type: application/json' \
		-d '{"username":"alice","password":"alice-pass-1"}' "$url/api/login" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') ||
		fail "capture: no token from $url"
	{
		printf 'POST %s HTTP/1.1\r\nHost: api.sl-cloud.test\r\n' "$path"
		printf 'Authorization: Bearer %s\r\nContent-Type: application/json\r\n' "$tok"
		if [ "$signed" = 1 ]; then
			ts=$(date +%s)
			nonce=$(openssl rand -hex 12)
			sig=$(printf 'POST\n%s\n%s\n%s\n%s' "$path" "$ts" "$nonce" "$body" |
				openssl dgst -sha256 -hmac "$tok" -r | cut -d' ' -f1)
			printf 'X-Timestamp: %s\r\nX-Nonce: %s\r\nX-Signature: %s\r\n' "$ts" "$nonce" "$sig"
		fi
		printf 'Content-Length: %s\r\n\r\n%s' "${#body}" "$body"
	} >"$out"
}
capture "$W_URL" /api/devices/dev-a1/commands 1 "$T/w-signed.http"
capture "$W_URL" /api/devices/dev-a1/reboot 0 "$T/w-plain.http"
capture "$H_URL" /api/devices/dev-a1/commands 1 "$T/h-signed.http" "$H_CA"
capture "$H_URL" /api/devices/dev-a1/reboot 0 "$T/h-plain.http" "$H_CA"

# ---- the weak API: every finding, with its requirement ids -------------
rc=0
"$STARLAB" service "$W_URL" --openapi "$DOC" --account alice:alice-pass-1 \
	--account bob:bob-pass-2 --format json >"$T/weak.json" || rc=$?
[ "$rc" = 1 ] || fail "weak API: exit $rc, want 1 (non-conformant)"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/weak.json" >/dev/null ||
	fail "weak report does not validate"
findings "$T/weak.json" >"$T/weak.ids"
cat >"$T/weak.want" <<'W'
SVC-CLEARTEXT S1.1-12 high
SVC-CROSS-ACCOUNT S1.1-01 critical
SVC-JWT-ALG-NONE S1.1-01 critical
SVC-JWT-EXPIRED-ACCEPTED S1.1-01 high
SVC-JWT-NO-EXP S1.1-01 medium
SVC-JWT-WEAK-SECRET S1.1-01 critical
SVC-NO-RATE-LIMIT S1.1-04 high
SVC-UNAUTH-DATA S1.1-01 high
SVC-USER-ENUM S1.1-04 medium
W
diff -u "$T/weak.want" "$T/weak.ids" || fail "weak API: findings differ"
# Without --intrusive nothing is registered or bound: it says so.
expect_incomplete "$T/weak.json" 'password policy not tried: it makes test accounts'
expect_incomplete "$T/weak.json" 'device binding by serial not tried: .*--intrusive'
expect_excerpt "$T/weak.json" SVC-CROSS-ACCOUNT 'GET /api/devices/dev-b7 .*account bob.*token of account alice -> 200'
expect_excerpt "$T/weak.json" SVC-UNAUTH-DATA 'GET /api/devices/dev-b7 -> 200 .*SL0007B7'
expect_excerpt "$T/weak.json" SVC-USER-ENUM '-> 404 .*no such user.*-> 401 .*wrong password'
expect_excerpt "$T/weak.json" SVC-NO-RATE-LIMIT '20 wrong passwords'
expect_excerpt "$T/weak.json" SVC-JWT-WEAK-SECRET 'entry [0-9]+ of data/passwords/default-passwords.txt'
# The secret itself never reaches the report.
grep -q '"secret"' "$T/weak.json" && fail "weak report names the JWT secret"
[ "$(json_get "$T/weak.json" '[c["verdict"] for c in j["checklist"] if c["id"] in ("S1.1-01","S1.1-04","S1.1-12")]')" = \
	"['non-conformant', 'non-conformant', 'non-conformant']" ] || fail "weak API: verdicts"

# --intrusive and a signed capture: weak passwords taken at registration
# and change, bob's camera bound to alice by its serial alone, the signed
# command taken twice.  The accounts made are removed (DELETE /api/me).
rc=0
"$STARLAB" service "$W_URL" --openapi "$DOC" --account alice:alice-pass-1 \
	--account bob:bob-pass-2 --intrusive --replay "$T/w-signed.http" \
	--format json >"$T/intr.json" || rc=$?
[ "$rc" = 1 ] || fail "weak API --intrusive: exit $rc, want 1"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/intr.json" >/dev/null ||
	fail "weak --intrusive report does not validate"
findings "$T/intr.json" >"$T/intr.ids"
{
	cat "$T/weak.want"
	echo 'SVC-BIND-NO-PROOF S1.1-01 critical'
	echo 'SVC-REPLAY-ACCEPTED S1.1-01,S1.1-12 high'
	echo 'SVC-WEAK-PASSWORD-ACCEPTED S1.1-02 medium'
} | sort >"$T/intr.want"
diff -u "$T/intr.want" "$T/intr.ids" || fail "weak API --intrusive: findings differ"
expect_excerpt "$T/intr.json" SVC-WEAK-PASSWORD-ACCEPTED 'accepted: 7 characters.*common-password.*user name'
expect_excerpt "$T/intr.json" SVC-WEAK-PASSWORD-ACCEPTED 'POST /api/register \{"username":"sl-pw-[0-9a-f]{8}-1","password":"Q[0-9a-f]{6}"\} -> 201'
expect_excerpt "$T/intr.json" SVC-WEAK-PASSWORD-ACCEPTED 'POST /api/me/password .*"newPassword":"password"\} -> 200'
expect_excerpt "$T/intr.json" SVC-WEAK-PASSWORD-ACCEPTED 'sl-pw-[0-9a-f]{8}-3 \(removed\)'
expect_excerpt "$T/intr.json" SVC-BIND-NO-PROOF 'account alice bound serial SL0007B7.*device list shows it.*bob bound it back'
expect_excerpt "$T/intr.json" SVC-REPLAY-ACCEPTED 'header X-Nonce.*-> 200 .*"run":1.*-> 200 .*"run":2'
# bob's camera is bob's again.
"$STARLAB" service "$W_URL" --openapi "$DOC" --account alice:alice-pass-1 \
	--account bob:bob-pass-2 --attempts 1 --format json >"$T/after.json" || true
expect_excerpt "$T/after.json" SVC-CROSS-ACCOUNT 'account bob.*"owner":"u-1002"'
# A state-changing request with no nonce or timestamp at all.
"$STARLAB" service "$W_URL" --openapi "$DOC" --replay "$T/w-plain.http" \
	--format json >"$T/plain.json" || true
findings "$T/plain.json" >"$T/plain.ids"
grep -qx 'SVC-NO-REPLAY-PROTECTION S1.1-01,S1.1-12 medium' "$T/plain.ids" ||
	fail "plain capture: no SVC-NO-REPLAY-PROTECTION"
grep -q 'SVC-REPLAY-ACCEPTED' "$T/plain.ids" && fail "plain capture: SVC-REPLAY-ACCEPTED"
expect_excerpt "$T/plain.json" SVC-NO-REPLAY-PROTECTION 'carries no nonce.*reboot.*-> 200.*-> 200'
# A capture that is not HTTP: named with its line.
printf 'hello\n' >"$T/bad.http"
rc=0
"$STARLAB" service "$W_URL" --openapi "$DOC" --replay "$T/bad.http" 2>"$T/badcap.err" >/dev/null || rc=$?
[ "$rc" = 3 ] || fail "bad capture: exit $rc, want 3"
grep -q 'bad.http:1: not "METHOD TARGET HTTP/1.x"' "$T/badcap.err" || fail "bad capture: $(cat "$T/badcap.err")"

# The same document in YAML: the same findings.
"$STARLAB" service "$W_URL" --openapi "$SL_SRC/tests/fixtures/api/openapi.yaml" \
	--account alice:alice-pass-1 --account bob:bob-pass-2 --format json >"$T/yaml.json" || true
findings "$T/yaml.json" >"$T/yaml.ids"
diff -u "$T/weak.want" "$T/yaml.ids" || fail "weak API, YAML document: findings differ"

# The test accounts may come from the profile (credentials, service: api).
cat >"$T/profile.yaml" <<'P'
product: {vendor: StarLab, model: SL-CAM100}
credentials:
  - {service: api, user: alice, password: alice-pass-1}
  - {service: api, user: bob, password: bob-pass-2}
  - {service: ssh, user: root, password: not-for-the-api}
P
"$STARLAB" service "$W_URL" --openapi "$DOC" --profile "$T/profile.yaml" \
	--attempts 1 --format json >"$T/prof.json" || true
findings "$T/prof.json" >"$T/prof.ids"
grep -q '^SVC-CROSS-ACCOUNT ' "$T/prof.ids" || fail "profile accounts: no SVC-CROSS-ACCOUNT"
grep -q 'not-for-the-api' "$T/prof.json" && fail "profile: a password reached the report"
# The profile's service: section allows the intrusive steps and names the
# capture to replay (relative to the profile), without the options.
cat >"$T/profile-svc.yaml" <<'P'
product: {vendor: StarLab, model: SL-CAM100}
credentials:
  - {service: api, user: alice, password: alice-pass-1}
  - {service: api, user: bob, password: bob-pass-2}
service: {intrusive: true, replay: w-signed.http, max_token_life: 600}
P
"$STARLAB" service "$W_URL" --openapi "$DOC" --profile "$T/profile-svc.yaml" \
	--attempts 1 --format json >"$T/prof-svc.json" || true
findings "$T/prof-svc.json" >"$T/prof-svc.ids"
for id in SVC-WEAK-PASSWORD-ACCEPTED SVC-BIND-NO-PROOF SVC-REPLAY-ACCEPTED; do
	grep -q "^$id " "$T/prof-svc.ids" || fail "profile service: section: no $id"
done
rc=0
printf 'product: {vendor: V, model: M}\nservice: {max_token_life: 0}\n' >"$T/bad-svc.yaml"
"$STARLAB" service "$W_URL" --openapi "$DOC" --profile "$T/bad-svc.yaml" 2>"$T/bad-svc.err" || rc=$?
grep -q 'service.max_token_life: expected seconds' "$T/bad-svc.err" ||
	fail "bad service.max_token_life: exit $rc: $(cat "$T/bad-svc.err")"

# weak-decode reads tokens with jwt.decode: signatures are not checked.
# One account: the cross-account check says it was not tried.
"$STARLAB" service "$W_DECODE_URL" --openapi "$DOC" --account alice:alice-pass-1 \
	--format json >"$T/decode.json" || true
findings "$T/decode.json" >"$T/decode.ids"
grep -qx 'SVC-JWT-SIG-UNCHECKED S1.1-01 critical' "$T/decode.ids" ||
	fail "weak-decode API: no SVC-JWT-SIG-UNCHECKED"
grep -q SIG-UNCHECKED "$T/weak.ids" &&
	fail "weak API (signatures checked) got SVC-JWT-SIG-UNCHECKED"
expect_incomplete "$T/decode.json" 'cross-account access not tried'

# timing: the same answers, but a real user's wrong password takes 800 ms
# more; tokens live 15 minutes, more than the 60 s allowed here.
"$STARLAB" service "$W_TIMING_URL" --openapi "$DOC" --account alice:alice-pass-1 \
	--attempts 2 --max-token-life 60 --format json >"$T/timing.json" || true
findings "$T/timing.json" >"$T/timing.ids"
cat >"$T/timing.want" <<'TW'
SVC-CLEARTEXT S1.1-12 high
SVC-JWT-LONG-LIFETIME S1.1-01 low
SVC-NO-RATE-LIMIT S1.1-04 high
SVC-USER-ENUM-TIMING S1.1-04 low
TW
diff -u "$T/timing.want" "$T/timing.ids" || fail "timing API: findings differ"
expect_excerpt "$T/timing.json" SVC-JWT-LONG-LIFETIME 'lives 900 s'

# ---- the hardened API: facts only ---------------------------------------
# The one run of the hardened API (its lockout outlives a run): with
# --intrusive and its signed capture, every weak password, the takeover
# and the replay are refused.
rc=0
"$STARLAB" service "$H_URL" --openapi "$DOC" --account alice:alice-pass-1 \
	--account bob:bob-pass-2 --ca-file "$H_CA" --intrusive \
	--replay "$T/h-signed.http" --format json >"$T/hard.json" || rc=$?
[ "$rc" = 0 ] || fail "hardened API: exit $rc, want 0"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/hard.json" >/dev/null ||
	fail "hardened report does not validate"
findings "$T/hard.json" >"$T/hard.ids"
cat >"$T/hard.want" <<'H'
NET-TLS-SUMMARY S1.1-12 info
SVC-LOGIN-THROTTLED S1.1-04 info
SVC-PASSWORD-POLICY S1.1-02 info
SVC-REPLAY-REFUSED S1.1-12 info
H
diff -u "$T/hard.want" "$T/hard.ids" || fail "hardened API: findings differ"
expect_excerpt "$T/hard.json" SVC-PASSWORD-POLICY '-> 400 .*too short.*-> 400 .*too common.*-> 400 .*equals the user name'
expect_excerpt "$T/hard.json" SVC-PASSWORD-POLICY 'sl-pw-[0-9a-f]{8}-ok","password":"[^"]*"\} -> 201.*newPassword.*-> 400'
expect_excerpt "$T/hard.json" SVC-PASSWORD-POLICY 'sl-pw-[0-9a-f]{8}-ok \(removed\)'
expect_excerpt "$T/hard.json" SVC-REPLAY-REFUSED '-> 200 .*-> 409 .*replayed request'
python3 - "$T/hard.json" <<'PY' || fail "hardened API: the takeover was not tried and refused"
import json, sys
j = json.load(open(sys.argv[1]))
assert not [i for i in j.get("incomplete", []) if "binding" in i], j.get("incomplete")
PY
# The hardened API wants the signed headers on a reboot too: the unsigned
# capture (made before the lockout) is refused at once, which judges
# nothing (no account, so no login is tried).
"$STARLAB" service "$H_URL" --openapi "$DOC" --ca-file "$H_CA" \
	--replay "$T/h-plain.http" --format json >"$T/hplain.json" || true
grep -q 'REPLAY' "$T/hplain.json" && fail "hardened API, unsigned capture: a replay finding"
expect_incomplete "$T/hplain.json" 'replay not judged: the captured request was refused the first time .*-> 400'
expect_excerpt "$T/hard.json" SVC-LOGIN-THROTTLED '-> 429'
[ "$(json_get "$T/hard.json" '[c["verdict"] for c in j["checklist"] if c["id"]=="S1.1-04"][0]')" = conformant ] ||
	fail "hardened API: S1.1-04 not conformant"

# ---- bounds and errors --------------------------------------------------
"$STARLAB" service "$W_URL" --openapi "$DOC" --account alice:alice-pass-1 \
	--max-requests 3 --format json >"$T/cap.json" || true
expect_incomplete "$T/cap.json" 'max-requests 3 reached'
printf '{"openapi": "3.0.0", "paths": {' >"$T/bad.json"
rc=0
"$STARLAB" service "$W_URL" --openapi "$T/bad.json" 2>"$T/bad.err" || rc=$?
[ "$rc" = 3 ] || fail "malformed document: exit $rc, want 3"
grep -q "bad.json:1:[0-9]*: not JSON" "$T/bad.err" || fail "malformed document: $(cat "$T/bad.err")"
echo '{"swagger": "2.0", "paths": {}}' >"$T/v2.json"
"$STARLAB" service "$W_URL" --openapi "$T/v2.json" 2>"$T/v2.err" && fail "Swagger 2 accepted"
grep -q "not an OpenAPI 3 document" "$T/v2.err" || fail "Swagger 2: $(cat "$T/v2.err")"
rc=0
"$STARLAB" service ftp://127.0.0.1/ --openapi "$DOC" 2>"$T/url.err" || rc=$?
[ "$rc" = 2 ] || fail "ftp URL: exit $rc, want 2"
"$STARLAB" service "$W_URL" 2>/dev/null && fail "no --openapi accepted"
# The same API as one part of a product assessment: its findings in the
# one checklist, the service among the inputs; assess's --intrusive
# reaches the service step (its registrations).
rc=0
"$STARLAB" assess --profile "$T/profile.yaml" --service "$W_URL" \
	--openapi "$DOC" --intrusive -o "$T/assess" >"$T/assess.out" 2>"$T/assess.err" || rc=$?
[ "$rc" = 1 ] || fail "assess --service: exit $rc: $(cat "$T/assess.err")"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/assess/report.json" >/dev/null ||
	fail "assess --service: report does not validate"
python3 - "$T/assess/report.json" "$W_URL" <<'PY' || fail "assess --service: see above"
import json, sys
j = json.load(open(sys.argv[1]))
kinds = {(i["kind"], i["name"]) for i in j["inputs"]}
assert ("service", sys.argv[2]) in kinds, kinds
ids = {(i["id"], i["component"]) for i in j["issues"]}
assert ("SVC-JWT-ALG-NONE", "service " + sys.argv[2]) in ids, ids
assert ("SVC-WEAK-PASSWORD-ACCEPTED", "service " + sys.argv[2]) in ids, ids
v = {c["id"]: c["verdict"] for c in j["checklist"]}
assert v["S1.1-01"] == "non-conformant", v
PY
# The profile's assess: section may name the API and its document.
{
	cat "$T/profile.yaml"
	printf 'assess: {service: "%s", openapi: "%s"}\n' "$W_URL" "$DOC"
} >"$T/profile-assess.yaml"
rc=0
"$STARLAB" assess --profile "$T/profile-assess.yaml" -o "$T/assess4" \
	>"$T/assess4.out" 2>"$T/assess4.err" || rc=$?
[ "$rc" = 1 ] || fail "assess, service from the profile: exit $rc: $(cat "$T/assess4.err")"
json_get "$T/assess4/report.json" "[i['kind'] for i in j['inputs']]" | grep -q "'service'" ||
	fail "assess, service from the profile: not among the inputs"
rc=0
"$STARLAB" assess --profile "$T/profile.yaml" --service "$W_URL" -o "$T/assess2" \
	2>"$T/assess2.err" || rc=$?
[ "$rc" = 2 ] || fail "assess --service without --openapi: exit $rc"
rc=0
"$STARLAB" assess --profile "$T/profile.yaml" --replay "$T/w-signed.http" \
	-o "$T/assess3" 2>"$T/assess3.err" || rc=$?
[ "$rc" = 2 ] && grep -q -- "--replay go with --service" "$T/assess3.err" ||
	fail "assess --replay without --service: exit $rc: $(cat "$T/assess3.err")"
echo "t_service: ok"
