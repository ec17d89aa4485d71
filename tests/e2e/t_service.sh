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
expect_excerpt "$T/weak.json" SVC-CROSS-ACCOUNT 'GET /api/devices/dev-b7 .*account bob.*token of account alice -> 200'
expect_excerpt "$T/weak.json" SVC-UNAUTH-DATA 'GET /api/devices/dev-b7 -> 200 .*SL0007B7'
expect_excerpt "$T/weak.json" SVC-USER-ENUM '-> 404 .*no such user.*-> 401 .*wrong password'
expect_excerpt "$T/weak.json" SVC-NO-RATE-LIMIT '20 wrong passwords'
expect_excerpt "$T/weak.json" SVC-JWT-WEAK-SECRET 'entry [0-9]+ of data/passwords/default-passwords.txt'
# The secret itself never reaches the report.
grep -q '"secret"' "$T/weak.json" && fail "weak report names the JWT secret"
[ "$(json_get "$T/weak.json" '[c["verdict"] for c in j["checklist"] if c["id"] in ("S1.1-01","S1.1-04","S1.1-12")]')" = \
	"['non-conformant', 'non-conformant', 'non-conformant']" ] || fail "weak API: verdicts"

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
rc=0
"$STARLAB" service "$H_URL" --openapi "$DOC" --account alice:alice-pass-1 \
	--account bob:bob-pass-2 --ca-file "$H_CA" --format json >"$T/hard.json" || rc=$?
[ "$rc" = 0 ] || fail "hardened API: exit $rc, want 0"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/hard.json" >/dev/null ||
	fail "hardened report does not validate"
findings "$T/hard.json" >"$T/hard.ids"
cat >"$T/hard.want" <<'H'
NET-TLS-SUMMARY S1.1-12 info
SVC-LOGIN-THROTTLED S1.1-04 info
H
diff -u "$T/hard.want" "$T/hard.ids" || fail "hardened API: findings differ"
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
# one checklist, the service among the inputs.
rc=0
"$STARLAB" assess --profile "$T/profile.yaml" --service "$W_URL" \
	--openapi "$DOC" -o "$T/assess" >"$T/assess.out" 2>"$T/assess.err" || rc=$?
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
v = {c["id"]: c["verdict"] for c in j["checklist"]}
assert v["S1.1-01"] == "non-conformant", v
PY
rc=0
"$STARLAB" assess --profile "$T/profile.yaml" --service "$W_URL" -o "$T/assess2" \
	2>"$T/assess2.err" || rc=$?
[ "$rc" = 2 ] || fail "assess --service without --openapi: exit $rc"
echo "t_service: ok"
