#!/usr/bin/env bash
# net.unauth, net.creds and net.bruteforce against the network-namespace
# devices (tests/fixtures/netns/device.sh), with the real starlab binary.
#
# Insecure device, plus a second telnetd started here in its namespace
# that runs /bin/sh instead of login(1) (port 2323): every finding of
# the three checks that its services can show, on the right port, with
# the right requirements, and with the secrets masked:
#   NET-UNAUTH-HTTP (80, 443), NET-MQTT-ANONYMOUS (1883, CRITICAL),
#   NET-FTP-ANONYMOUS (21), NET-SNMP-DEFAULT-COMMUNITY (161, S1.1-01 and
#   S1.1-02), NET-TELNET-NO-LOGIN (2323), NET-DEFAULT-CREDENTIALS (22,
#   23, 80, 443), NET-NO-BRUTEFORCE-PROTECTION (21, 22, 23, 80, 443).
# The same over IPv6 for FTP and the web login.
# Hardened device: none of those; NET-BRUTEFORCE-PROTECTION on 443 (nginx
# answers 429), on 22 (keys only) and on 8883 (the device refuses new MQTT
# connections from an address that keeps trying: a refused connect,
# seen at once over TLS too).  With --intrusive and the tester's
# credential in a profile, the 429 is a limit that acts before any
# password is seen: no lockout bypass is reported.
# RTSP, UPnP and ADB have no fixture service: their parsers are unit
# tested (test_login).
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/lib_net.sh" || exit 1
need_root_netns
need socat python3

net_up insecure
net_up hardened HRD

# A shell without login, inside the insecure device's network namespace
# only (device.sh down kills what runs there).
ip netns exec "$DEV_NAME" socat \
	"TCP4-LISTEN:2323,bind=$DEV_IP4,reuseaddr,fork" \
	"EXEC:/usr/sbin/telnetd -h -E /bin/sh,nofork" \
	</dev/null >"$T/socat.log" 2>&1 &
for _ in $(seq 100); do
	timeout 1 bash -c "exec 3<>/dev/tcp/$DEV_IP4/2323" 2>/dev/null && break
	sleep 0.05
done

# run NAME ARGS...: starlab device ARGS into $T/NAME.json, validated.
run() {
	local name=$1 rc=0
	shift
	"$STARLAB" device "$@" --format json >"$T/$name.json" \
		2>"$T/$name.err" || rc=$?
	[ "$rc" -le 1 ] || fail "starlab device $* exited $rc: $(cat "$T/$name.err")"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$name.json"
}

# expect REPORT ID PORT [SEVERITY [REQS [TEXT [NOTTEXT]]]]: a finding with
# this id on this port (REQS comma-separated, exact; TEXT a substring of
# the excerpt; NOTTEXT not in it).
expect() {
	python3 - "$@" <<'PY' || fail "no $2 on port $3 as wanted in $1"
import json, sys
a = sys.argv[1:] + [""] * 7
path, fid, port, sev, reqs, text, nottext = a[:7]
j = json.load(open(path))
for f in j["findings"]:
    e = f["evidence"]
    if f["id"] != fid or e.get("port") != int(port):
        continue
    if sev and f["severity"] != sev:
        continue
    if reqs and f["requirements"] != reqs.split(","):
        continue
    ex = e.get("excerpt") or ""
    if text and text not in ex:
        continue
    if nottext and nottext in ex:
        continue
    sys.exit(0)
for f in j["findings"]:
    if f["id"] == fid:
        print("  seen:", f["evidence"].get("port"), f["severity"],
              f["requirements"], f["evidence"].get("excerpt"), file=sys.stderr)
sys.exit(1)
PY
}

# ports REPORT ID: the ports with this finding, sorted, space-separated.
ports() {
	python3 - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print(" ".join(str(p) for p in sorted({f["evidence"].get("port")
      for f in j["findings"] if f["id"] == sys.argv[2]})))
PY
}

# show REPORT PREFIX: the findings whose id starts with PREFIX, and the
# incomplete reasons, on standard error (for a failure's context).
show() {
	python3 - "$1" "$2" >&2 <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for f in j["findings"]:
    if f["id"].startswith(sys.argv[2]):
        print("  %s %s %s: %s" % (f["id"], f["evidence"].get("port"),
              f["severity"], f["evidence"].get("excerpt")))
for r in j["incomplete"]:
    print("  incomplete:", r)
PY
}

# want_ports REPORT ID PORTS: exactly these ports have the finding.
want_ports() {
	local got
	got=$(ports "$1" "$2")
	if [ "$got" != "$3" ]; then
		show "$1" NET-
		fail "$2 on ports '$got', wanted '$3' ($1)"
	fi
}

# ---- insecure ----
run ins "$DEV_IP4" --ports "21,22,23,80,443,1883,2323"
R=$T/ins.json
expect "$R" NET-UNAUTH-HTTP 80 high S1.1-01 "/cgi-bin/config" "$DEV_MQTT_SECRET"
expect "$R" NET-UNAUTH-HTTP 443 high S1.1-01 "wifi_psk=wi*"
expect "$R" NET-MQTT-ANONYMOUS 1883 critical S1.1-01 "home/config" "$DEV_MQTT_SECRET"
expect "$R" NET-FTP-ANONYMOUS 21 high S1.1-01 "backup"
expect "$R" NET-SNMP-DEFAULT-COMMUNITY 161 high S1.1-01,S1.1-02 "SL-CAM100" '"public"'
expect "$R" NET-TELNET-NO-LOGIN 2323 critical S1.1-01 "answered 42"
expect "$R" NET-DEFAULT-CREDENTIALS 22 critical S1.1-02 'user "root" with password "****"'
expect "$R" NET-DEFAULT-CREDENTIALS 23 critical S1.1-02 'user "root" with password "****"'
expect "$R" NET-DEFAULT-CREDENTIALS 80 critical S1.1-02 'user "admin" with password "*****"'
expect "$R" NET-DEFAULT-CREDENTIALS 443 critical S1.1-02 'user "admin"'
want_ports "$R" NET-DEFAULT-CREDENTIALS "22 23 80 443"
want_ports "$R" NET-NO-BRUTEFORCE-PROTECTION "21 22 23 80 443"
expect "$R" NET-NO-BRUTEFORCE-PROTECTION 23 high S1.1-04 "no lockout, delay or refusal"
want_ports "$R" NET-BRUTEFORCE-PROTECTION ""
want_ports "$R" NET-BRUTEFORCE-LOCKOUT-INEFFECTIVE ""
want_ports "$R" NET-UNAUTH-HTTP "80 443"

# ---- insecure over IPv6 ----
run ins6 "$DEV_IP6" --ports "21,80" --no-udp
expect "$T/ins6.json" NET-FTP-ANONYMOUS 21 high S1.1-01 "backup"
expect "$T/ins6.json" NET-DEFAULT-CREDENTIALS 80 critical S1.1-02 'user "admin"'

# ---- hardened ----
run hrd "$HRD_IP4"
R=$T/hrd.json
for id in NET-UNAUTH-HTTP NET-MQTT-ANONYMOUS NET-TELNET-NO-LOGIN \
	NET-FTP-ANONYMOUS NET-RTSP-UNAUTH NET-SNMP-DEFAULT-COMMUNITY \
	NET-UPNP-SOAP-UNAUTH NET-ADB-OPEN NET-DEFAULT-CREDENTIALS \
	NET-BRUTEFORCE-LOCKOUT-INEFFECTIVE; do
	want_ports "$R" "$id" ""
done
expect "$R" NET-BRUTEFORCE-PROTECTION 443 info S1.1-04 "HTTP 429"
expect "$R" NET-BRUTEFORCE-PROTECTION 22 info S1.1-04 "publickey"
expect "$R" NET-BRUTEFORCE-PROTECTION 8883 info S1.1-04 "before any password was judged (mqtt: connection refused)"
want_ports "$R" NET-NO-BRUTEFORCE-PROTECTION ""

# ---- hardened, --intrusive with the tester's credential ----
cat >"$T/profile.yaml" <<EOF
product: {vendor: StarLab, model: SL-CAM200, version: "2.4.1"}
credentials:
  - {service: http, user: $HRD_USER, password: "$HRD_PASS"}
EOF
run hrd-i "$HRD_IP4" --ports 443 --no-udp --intrusive \
	--profile "$T/profile.yaml"
R=$T/hrd-i.json
expect "$R" NET-BRUTEFORCE-PROTECTION 443 info S1.1-04 \
	"user \"$HRD_USER\"" "$HRD_PASS"
expect "$R" NET-BRUTEFORCE-PROTECTION 443 info S1.1-04 "no lockout to bypass"
want_ports "$R" NET-BRUTEFORCE-LOCKOUT-INEFFECTIVE ""
want_ports "$R" NET-DEFAULT-CREDENTIALS ""
echo "t_device_auth: ok"
