#!/usr/bin/env bash
# starlab device: the port scan, the UDP probes, service identification
# and net.ports against the insecure fixture device (real services in a
# network namespace, tests/fixtures/netns/device.sh).
#   - One scan of a name resolving to the device's IPv4 and IPv6 address
#     finds every port listening on each (the truth is ss(8) inside the
#     namespace), the SNMP agent over UDP on both, names each service and
#     its version (vsftpd, dropbear, lighttpd over HTTP and TLS, mosquitto
#     with "CONNACK rc=0", telnet), and without a profile reports one
#     NET-UNDECLARED-PORT plus NET-RISKY-SERVICE for FTP, telnet, MQTT and
#     SNMP with their requirement ids.
#   - With a profile declaring everything but tcp/31337, that port alone
#     is NET-UNDECLARED-PORT, the declared risky services stay risky.
#   - A range of closed ports gives no service and no finding of net.ports.
#   - SIGINT during the scan still writes a valid report, marked
#     incomplete with where it stopped.
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/lib_net.sh" || exit 1
need_root_netns
need python3 ss mount

net_up insecure

# The truth: TCP ports listening on the device's addresses (or on all).
ip netns exec "$DEV_NAME" ss -Hltn >"$T/ss.txt"
python3 - "$T/ss.txt" "$DEV_IP4" "$DEV_IP6" >"$T/truth.txt" <<'PY'
import sys
v4, v6 = set(), set()
for line in open(sys.argv[1]):
    local = line.split()[3]
    addr, port = local.rsplit(":", 1)
    if addr in ("0.0.0.0", "*", sys.argv[2]):
        v4.add(int(port))
    if addr in ("[::]", "*", "[%s]" % sys.argv[3]):
        v6.add(int(port))
print(" ".join(map(str, sorted(v4))))
print(" ".join(map(str, sorted(v6))))
PY
for p in $DEV_TCP_PORTS; do
	grep -qw "$p" "$T/truth.txt" || fail "fixture: tcp/$p is not listening"
done

# One name for both addresses, in a private mount namespace's /etc/hosts
# (the machine's own file is not touched).
NAME=sl-cam100.test
printf '127.0.0.1 localhost\n%s %s\n%s %s\n' "$DEV_IP4" "$NAME" \
	"$DEV_IP6" "$NAME" >"$T/hosts"
run_named() {
	unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' \
		sh "$T/hosts" "$STARLAB" "$@"
}

# The scans here try no default credentials (--max-logins 0): those are
# t_device_auth's subject, and they would only wait, for the SNMP
# communities the device never answers among others.
rc=0
run_named device "$NAME" --max-logins 0 --format json >"$T/ins.json" \
	2>"$T/ins.err" || rc=$?
[ "$rc" = 1 ] || fail "insecure device: exit status $rc, want 1: $(cat "$T/ins.err")"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/ins.json"

python3 - "$T/ins.json" "$T/truth.txt" "$DEV_IP4" "$DEV_IP6" "$NAME" \
	"$DEV_UDP_PORTS" <<'PY' || fail "insecure device"
import json, sys
r = json.load(open(sys.argv[1]))
truth = [set(map(int, l.split())) for l in open(sys.argv[2])]
ip4, ip6, name = sys.argv[3], sys.argv[4], sys.argv[5]
addrs = (ip4, ip6)
svc = {(s["proto"], s["address"], s["port"]): s for s in r["services"]}
bad = []
def want(c, m):
    if not c:
        bad.append(m)

# Every listening port on each address, and nothing else.
for a, t in zip(addrs, truth):
    got = {p for (pr, ad, p) in svc if pr == "tcp" and ad == a}
    want(got == t, "%s: tcp ports %s, listening %s" % (a, sorted(got), sorted(t)))
    want(("udp", a, 161) in svc, "%s: udp/161 not found" % a)
    s = svc.get(("udp", a, 161), {})
    want(s.get("name") == "snmp" and "SL-CAM100 IP camera" in (s.get("banner") or ""),
         "%s: udp/161 %s" % (a, s))
udp_ok = set(map(int, sys.argv[6].split()))
want(all(s["proto"] == "tcp" or s["port"] in udp_ok for s in r["services"]),
     "UDP services beyond %s: %s" % (sorted(udp_ok), [s for s in r["services"] if s["proto"] == "udp"]))

# Names, products, versions.
ident = {21: ("ftp", "vsftpd", "3.0.3", False),
         22: ("ssh", "dropbear", "2022.83", False),
         23: ("telnet", None, None, False),
         80: ("http", "lighttpd", "1.4.69", False),
         443: ("https", "lighttpd", "1.4.69", True),
         1883: ("mqtt", "mosquitto", "2.0.11", False),
         31337: ("unknown", None, None, False)}
for a in addrs:
    for port, (n, prod, ver, tls) in ident.items():
        s = svc.get(("tcp", a, port))
        if s is None:
            continue  # reported above
        got = (s["name"], s["product"], s["version"], s["tls"])
        want(got == (n, prod, ver, tls), "%s tcp/%d: %s, want %s" % (a, port, got, (n, prod, ver, tls)))
        want(s["declared"] is False, "%s tcp/%d declared without a profile" % (a, port))
    s = svc.get(("tcp", a, 1883), {})
    want((s.get("banner") or "").startswith("CONNACK rc=0"), "%s mqtt banner %s" % (a, s.get("banner")))
    s = svc.get(("tcp", a, 22), {})
    want(s.get("banner") == "SSH-2.0-dropbear_2022.83", "%s ssh banner %s" % (a, s.get("banner")))

# net.ports: one undeclared-ports finding about the host, listing them all.
und = [f for f in r["findings"] if f["id"] == "NET-UNDECLARED-PORT"]
want(len(und) == 1, "NET-UNDECLARED-PORT: %d findings, want 1" % len(und))
if und:
    f = und[0]
    want(f["severity"] == "medium" and f["requirements"] == ["S1.1-13"], "undeclared: %s" % f)
    want(f["evidence"]["host"] == name and f["evidence"]["port"] == 0, "undeclared evidence %s" % f["evidence"])
    n = len(r["services"])
    want(f["title"].startswith("%d open ports, and no product profile" % n), "undeclared title %s" % f["title"])
    for p in ("tcp/21 ftp", "tcp/31337 unknown", "udp/161 snmp"):
        want(p in f["evidence"]["excerpt"], "undeclared excerpt lacks %s: %s" % (p, f["evidence"]["excerpt"]))
    want("profile" in f["remediation"], "undeclared remediation")

risky = sorted((f["evidence"]["host"], f["evidence"]["port"], f["severity"], tuple(f["requirements"]))
               for f in r["findings"] if f["id"] == "NET-RISKY-SERVICE")
P = ("S1.1-13", "S1.1-12")
exp = sorted((a, p, sev, P) for a in addrs
             for p, sev in ((21, "high"), (23, "high"), (1883, "medium"), (161, "medium")))
want(risky == exp, "NET-RISKY-SERVICE %s, want %s" % (risky, exp))

c13 = [c for c in r["checklist"] if c["id"] == "S1.1-13"][0]
want(c13["verdict"] == "non-conformant", "S1.1-13 %s" % c13["verdict"])
want({"NET-UNDECLARED-PORT", "NET-RISKY-SERVICE"} <= set(c13["findings"]), "S1.1-13 findings %s" % c13["findings"])
dev = r["subject"]["device"]
want(dev["host"] == name, "subject %s" % r["subject"])
# The scope: every TCP port, the UDP services, and what was left out.
sc = dev.get("scope", {})
want(sc.get("tcp_ports") == "1-65535", "scope tcp %s" % sc)
want(161 in sc.get("udp_ports", []), "scope udp %s" % sc)
want(sc.get("time", {}).get("step_timeout_ms", 0) > 0, "scope time %s" % sc)
want(any("--max-logins 0" in x for x in sc.get("skipped", [])), "scope skipped %s" % sc)
want(not [i for i in r["incomplete"] if "cancel" in i or "port scan" in i], "incomplete %s" % r["incomplete"])

for b in bad:
    print("  -", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# ---- a profile declaring every interface but tcp/31337 ----
{
	printf 'product: {vendor: StarLab, model: SL-CAM100, version: "1.0.2"}\n'
	printf 'interfaces:\n'
	for p in $(head -1 "$T/truth.txt"); do
		[ "$p" = 31337 ] && continue
		printf '  - {proto: tcp, port: %s, purpose: "test"}\n' "$p"
	done
	printf '  - {proto: udp, port: 161, purpose: "test"}\n'
} >"$T/profile.yaml"
ports=$(head -1 "$T/truth.txt" | tr ' ' ,),40000-40010
rc=0
"$STARLAB" device "$DEV_IP4" --profile "$T/profile.yaml" --ports "$ports" \
	--max-logins 0 \
	--format json >"$T/prof.json" 2>"$T/prof.err" || rc=$?
[ "$rc" = 1 ] || fail "with a profile: exit status $rc: $(cat "$T/prof.err")"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/prof.json"
python3 - "$T/prof.json" "$DEV_IP4" <<'PY' || fail "with a profile"
import json, sys
r = json.load(open(sys.argv[1]))
ip = sys.argv[2]
und = [(f["evidence"]["host"], f["evidence"]["port"], f["severity"], f["requirements"])
       for f in r["findings"] if f["id"] == "NET-UNDECLARED-PORT"]
assert und == [(ip, 31337, "medium", ["S1.1-13"])], und
for s in r["services"]:
    assert s["declared"] == (s["port"] != 31337), s
risky = sorted(f["evidence"]["port"] for f in r["findings"] if f["id"] == "NET-RISKY-SERVICE")
assert risky == [21, 23, 161, 1883], risky
PY

# ---- closed ports only ----
rc=0
"$STARLAB" device "$DEV_IP4" --ports 40000-40100 --no-udp --format json \
	>"$T/closed.json" 2>"$T/closed.err" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "closed range: exit status $rc: $(cat "$T/closed.err")"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/closed.json"
python3 - "$T/closed.json" <<'PY' || fail "closed range"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["services"] == [], r["services"]
ids = {f["id"] for f in r["findings"]}
assert not ids & {"NET-UNDECLARED-PORT", "NET-RISKY-SERVICE"}, ids
assert r["summary"]["complete"], r["incomplete"]
PY

# ---- bad options ----
rc=0
"$STARLAB" device "$DEV_IP4" --ports 1-70000 >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "--ports 1-70000: exit status $rc, want 2"
rc=0
"$STARLAB" device "$DEV_IP4" --rate 0 >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "--rate 0: exit status $rc, want 2"

# ---- Ctrl-C: a slow scan interrupted gives a partial report ----
# --foreground: timeout then signals starlab alone, not also its process
# group, so starlab sees one signal (a second one means "quit now").
rc=0
timeout --foreground --preserve-status -s INT 3 "$STARLAB" device "$DEV_IP4" --rate 500 \
	--format json >"$T/int.json" 2>"$T/int.err" || rc=$?
# Exit 4: interrupted, whatever the verdicts so far say.
[ "$rc" = 4 ] || fail "SIGINT: exit status $rc, want 4: $(cat "$T/int.err")"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/int.json"
python3 - "$T/int.json" "$DEV_IP4" <<'PY' || fail "SIGINT report"
import json, re, sys
r = json.load(open(sys.argv[1]))
assert r["summary"]["complete"] is False, r["summary"]
m = [re.match(r"^%s: cancelled by the user after (\d+) of 65535 ports$" % re.escape(sys.argv[2]), i)
     for i in r["incomplete"]]
m = [x for x in m if x]
assert len(m) == 1 and int(m[0].group(1)) < 65535, r["incomplete"]
# Cancelled before the checks: no network evidence is claimed.
for c in r["checklist"]:
    if c["id"] == "S1.1-13":
        assert c["verdict"] != "conformant", c
PY
grep -q "cancelled: the report is incomplete" "$T/int.err" ||
	fail "SIGINT: no note on standard error"

# SIGTERM with -o: the set is written, exit 4, and the SARIF says the run
# did not succeed.
rc=0
timeout --foreground --preserve-status -s TERM 3 "$STARLAB" device "$DEV_IP4" --rate 500 \
	-o "$T/term" >/dev/null 2>"$T/term.err" || rc=$?
[ "$rc" = 4 ] || fail "SIGTERM: exit status $rc, want 4: $(cat "$T/term.err")"
python3 - "$T/term" <<'PY' || fail "SIGTERM reports"
import json, sys
d = sys.argv[1]
r = json.load(open(d + "/report.json"))
assert r["summary"]["complete"] is False, r["summary"]
s = json.load(open(d + "/report.sarif"))
assert s["runs"][0]["invocations"][0]["executionSuccessful"] is False
PY
echo "ok"
