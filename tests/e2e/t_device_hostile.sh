#!/usr/bin/env bash
# Hostile services (tests/fixtures/netns/hostile.py) in a network
# namespace this test creates (device.sh up bare): a device run ends,
# writes a valid report, and never turns what it could not read into a
# verdict or a finding:
#   telnet option flood (23)   a clear "no login prompt in the first
#                              256 KiB" message, not "Message too long";
#                              S1.1-02 and S1.1-04 not judged from it
#   10 MiB of headers (80)     the security.txt fetch failed: not
#                              judged, never NET-SECURITY-TXT-INVALID
#   broken MQTT (1883)         unidentified: NET-PLAINTEXT-CREDENTIALS
#                              info at most, and a not-judged line
#   silent (2001), endless (2002)
#   Content-Length: 0 (8080)   no undefined behaviour in the login form
#                              parser (the ASan+UBSan build runs this)
#   an HTML page for every path (8081)  security.txt absent, not invalid
#   TLS garbage (8443)         a "not identified" line
# And with no login service in the ports scanned, S1.1-04 is not judged.
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/lib_net.sh" || exit 1
need_root_netns
need python3

name="sl-hos-$$"
net_trap_add "'$SL_NETDEV' down '$name' >/dev/null 2>&1"
"$SL_NETDEV" up bare "$name" >"$T/bare.env" || fail "device.sh up bare failed"
eval "$(cat "$T/bare.env")"
net_route_ok "$DEV_IP4"
ip netns exec "$DEV_NAME" python3 "$SL_SRC/tests/fixtures/netns/hostile.py" \
	"$DEV_IP4" telnetflood:23 bigheader:80 brokenmqtt:1883 silent:2001 \
	endless:2002 emptyok:8080 htmlpage:8081 tlsgarbage:8443 \
	</dev/null >"$T/hostile.log" 2>&1 &
for p in 23 80 1883 2001 2002 8080 8081 8443; do
	for _ in $(seq 100); do
		timeout 1 bash -c "exec 3<>/dev/tcp/$DEV_IP4/$p" 2>/dev/null && break
		sleep 0.05
	done
done

rc=0
"$STARLAB" device "$DEV_IP4" --ports 23,80,1883,2001,2002,8080,8081,8443 \
	--no-udp --max-logins 4 --format json >"$T/h.json" 2>"$T/h.err" || rc=$?
[ "$rc" -le 1 ] || fail "hostile run exited $rc: $(cat "$T/h.err")"
# Under ASan+UBSan a report also exits 1: stderr tells.
! grep -E "runtime error|Sanitizer" "$T/h.err" || fail "sanitizer report"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/h.json"
python3 - "$T/h.json" <<'PY' || fail "hostile services: see above"
import json, sys
r = json.load(open(sys.argv[1]))
bad = []
def want(c, m):
    if not c:
        bad.append(m)
f = r["findings"]
inc = r["incomplete"]
ck = {c["id"]: c for c in r["checklist"]}
ids = {x["id"] for x in f}
want("NET-SECURITY-TXT-INVALID" not in ids, "security.txt judged invalid: %s" % [x for x in f if x["id"] == "NET-SECURITY-TXT-INVALID"])
want(not [x for x in f if x["id"] == "NET-PLAINTEXT-CREDENTIALS" and x["evidence"]["port"] == 1883 and x["severity"] != "info"], "1883 judged from its number")
want([i for i in inc if "1883" in i and "not judged" in i], "no not-judged line for 1883")
want([i for i in inc if "tcp/8443" in i and "not identified" in i], "no line for the TLS garbage on 8443")
want([i for i in inc if "tcp/23" in i and "no login prompt in the first 256 KiB" in i], "no clear telnet flood message")
want(not [i for i in inc if "Message too long" in i], "telnet flood as 'Message too long'")
want([i for i in inc if ":80/.well-known/security.txt" in i and "not judged" in i], "failed security.txt fetch not said")
want(ck["S1.1-05"]["verdict"] != "conformant", "S1.1-05 %s" % ck["S1.1-05"])
want([m for m in ck["S1.1-05"]["missing_evidence"] if m.startswith("device:") and "not judged" in m], "S1.1-05 %s" % ck["S1.1-05"]["missing_evidence"])
want(ck["S1.1-02"]["verdict"] != "conformant", "S1.1-02 %s" % ck["S1.1-02"])
want([m for m in ck["S1.1-02"]["missing_evidence"] if m.startswith("device:")], "S1.1-02 %s" % ck["S1.1-02"]["missing_evidence"])
want(ck["S1.1-04"]["verdict"] != "conformant", "S1.1-04 %s" % ck["S1.1-04"])
for b in bad:
    print("  -", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# The telnet flood alone, declared as the only interface (so that the
# scope covers the logins): S1.1-04 is not judged (never conformant).
cat >"$T/p23.yaml" <<'PROFILE'
product: {vendor: Hostile, model: H-1}
interfaces:
  - {proto: tcp, port: 23, service: telnet, purpose: "console", auth: "password"}
PROFILE
rc=0
"$STARLAB" device "$DEV_IP4" --ports 23 --no-udp --max-logins 0 \
	--profile "$T/p23.yaml" --format json >"$T/t.json" 2>"$T/t.err" || rc=$?
[ "$rc" -le 1 ] || fail "telnet flood run exited $rc: $(cat "$T/t.err")"
! grep -E "runtime error|Sanitizer" "$T/t.err" || fail "sanitizer report"
python3 - "$T/t.json" <<'PY' || fail "telnet flood: S1.1-04 judged from nothing"
import json, sys
r = json.load(open(sys.argv[1]))
c = [c for c in r["checklist"] if c["id"] == "S1.1-04"][0]
assert c["verdict"] == "needs-evidence", c
assert [m for m in c["missing_evidence"] if "no login attempt could be judged" in m], c
PY

# No login service among the ports scanned: not judged, and the scope says
# which ports those were.
rc=0
"$STARLAB" device "$DEV_IP4" --ports 2001,8080 --no-udp --format json \
	>"$T/n.json" 2>"$T/n.err" || rc=$?
[ "$rc" -le 1 ] || fail "no-login run exited $rc: $(cat "$T/n.err")"
! grep -E "runtime error|Sanitizer" "$T/n.err" || fail "sanitizer report"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/n.json"
python3 - "$T/n.json" <<'PY' || fail "no login service: S1.1-04 judged from nothing"
import json, sys
r = json.load(open(sys.argv[1]))
ck = {c["id"]: c for c in r["checklist"]}
for req in ("S1.1-02", "S1.1-04"):
    c = ck[req]
    assert c["verdict"] == "needs-evidence", c
    assert [m for m in c["missing_evidence"] if "no login service was found on the ports scanned (TCP 2001,8080" in m], c
assert r["subject"]["device"]["scope"]["tcp_ports"] == "2001,8080", r["subject"]
PY
echo "t_device_hostile: ok"
