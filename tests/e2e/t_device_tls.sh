#!/usr/bin/env bash
# net.tls, net.plaintext and net.security-txt against the netns fixture
# devices (tests/fixtures/netns/device.sh), port 443 only:
#   insecure: lighttpd with TLS 1.0..1.3, ALL:@SECLEVEL=0, an expired
#     self-signed RSA-2048 SHA-1 certificate: NET-TLS-OLD-PROTOCOL,
#     -CERT-EXPIRED, -CERT-SELF-SIGNED, -WEAK-SIGNATURE, -WEAK-CIPHER
#     (CBC-SHA1, static RSA; lighttpd enables no anonymous or NULL
#     suites even there), no -WEAK-KEY, and S1.1-12 non-conformant;
#   hardened: nginx with TLS 1.2/1.3, ECDHE AEAD suites, a valid
#     certificate from a test CA: none of those findings, only the
#     informational summary.
# Plus plain HTTP on the insecure device's port 80 (basic auth on
# /admin/): NET-PLAINTEXT-CREDENTIALS, and no security.txt anywhere:
# NET-SECURITY-TXT-ABSENT (info only).
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/lib_net.sh" || exit 1
need_root_netns
net_up insecure
net_up hardened HRD

# No default-credential attempts (--max-logins 0): they are
# t_device_auth's subject, and here they would only wait out the hardened
# device's rate limit, some 13 s a scan.
scan() { # NAME HOST PORTS [OPTION...]
	local rc=0 name=$1 host=$2 ports=$3
	shift 3
	"$STARLAB" device "$host" --ports "$ports" --no-udp --max-logins 0 \
		--format json "$@" \
		>"$T/$name.json" 2>"$T/$name.err" || rc=$?
	echo "$rc" >"$T/$name.rc"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$name.json"
}
scan ins "$DEV_IP4" 443
scan ins80 "$DEV_IP4" 80
scan hrd "$HRD_IP4" 443
scan hrd6 "$HRD_IP6" 443
scan hrdca "$HRD_IP4" 443 --ca-file "$HRD_CA"

python3 - "$T/ins.json" "$DEV_IP4" <<'PY' || fail "insecure device, port 443"
import json, sys
r = json.load(open(sys.argv[1]))
ip = sys.argv[2]
mine = [f for f in r["findings"] if f["id"].startswith(("NET-TLS-", "NET-PLAINTEXT", "NET-SECURITY-TXT"))]
for f in mine:
    assert f["evidence"]["host"] == ip and f["evidence"]["port"] in (0, 443), f
got = sorted((f["id"], f["severity"]) for f in mine)
want = sorted([
    ("NET-TLS-OLD-PROTOCOL", "high"),
    ("NET-TLS-CERT-EXPIRED", "high"),
    ("NET-TLS-CERT-SELF-SIGNED", "medium"),
    ("NET-TLS-WEAK-SIGNATURE", "high"),
    ("NET-TLS-WEAK-CIPHER", "low"),    # CBC-SHA1 under TLS 1.2
    ("NET-TLS-WEAK-CIPHER", "low"),    # static RSA
    ("NET-TLS-SUMMARY", "info"),
    ("NET-SECURITY-TXT-ABSENT", "info"),
])
assert got == want, got
by = {}
for f in mine:
    by.setdefault(f["id"], []).append(f)
    want_req = ["S1.1-05"] if f["id"].startswith("NET-SECURITY-TXT") else ["S1.1-12"]
    assert f["requirements"] == want_req, f
ex = lambda i: by[i][0]["evidence"]["excerpt"]
assert ex("NET-TLS-OLD-PROTOCOL") == "protocols accepted: TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3", ex("NET-TLS-OLD-PROTOCOL")
assert "CN=sl-cam100.local" in ex("NET-TLS-CERT-EXPIRED") and "2020-01-01 .. 2021-01-01" in ex("NET-TLS-CERT-EXPIRED"), ex("NET-TLS-CERT-EXPIRED")
assert "sha1WithRSAEncryption" in ex("NET-TLS-WEAK-SIGNATURE")
classes = sorted(f["evidence"]["excerpt"].split(" accepted")[0] for f in by["NET-TLS-WEAK-CIPHER"])
assert classes == ["CBC-SHA1", "static-RSA"], classes
assert "self-signed" in ex("NET-TLS-SUMMARY") and "RSA 2048 bits" in ex("NET-TLS-SUMMARY"), ex("NET-TLS-SUMMARY")
v = {c["id"]: c for c in r["checklist"]}
assert v["S1.1-12"]["verdict"] == "non-conformant", v["S1.1-12"]
assert v["S1.1-05"]["verdict"] != "non-conformant", v["S1.1-05"]
PY
[ "$(cat "$T/ins.rc")" -eq 1 ] || fail "insecure device should exit 1, got $(cat "$T/ins.rc")"

python3 - "$T/ins80.json" "$DEV_IP4" <<'PY' || fail "insecure device, port 80"
import json, sys
r = json.load(open(sys.argv[1]))
f = [f for f in r["findings"] if f["id"] == "NET-PLAINTEXT-CREDENTIALS"]
assert len(f) == 1, f
f = f[0]
assert f["severity"] == "high" and f["requirements"] == ["S1.1-12"], f
assert f["evidence"]["host"] == sys.argv[2] and f["evidence"]["port"] == 80, f
assert f["evidence"]["excerpt"].endswith("/admin/ answers 401 WWW-Authenticate: Basic over plain HTTP"), f
assert not any(g["id"].startswith("NET-TLS-") for g in r["findings"])
PY

for h in hrd hrd6; do
	python3 - "$T/$h.json" <<'PY' || fail "hardened device ($h)"
import json, sys
r = json.load(open(sys.argv[1]))
mine = [f for f in r["findings"] if f["id"].startswith(("NET-TLS-", "NET-PLAINTEXT", "NET-SECURITY-TXT"))]
got = sorted(f["id"] for f in mine)
assert got == ["NET-SECURITY-TXT-ABSENT", "NET-TLS-SUMMARY"], got
s = [f for f in mine if f["id"] == "NET-TLS-SUMMARY"][0]["evidence"]["excerpt"]
assert s.startswith("protocols: TLSv1.2 TLSv1.3; suite: TLSv1.3 "), s
assert "(strong)" in s and "CN=sl-cam200.local" in s and "weak classes: none" in s, s
assert "self-signed" not in s.split("chain")[0], s
assert not any(m.startswith("device:") for m in {c["id"]: c for c in r["checklist"]}["S1.1-12"]["missing_evidence"])
PY
done

# The device's chain leads to the fixture's private CA: it verifies only
# when that CA is given with --ca-file.
python3 - "$T/hrd.json" "$T/hrdca.json" <<'PY' || fail "--ca-file"
import json, sys
def summary(p):
    r = json.load(open(p))
    return [f for f in r["findings"] if f["id"] == "NET-TLS-SUMMARY"][0]["evidence"]["excerpt"]
without, with_ca = summary(sys.argv[1]), summary(sys.argv[2])
assert "does not verify" in without, without
assert "does not verify" not in with_ca and "verifies" in with_ca, with_ca
PY
echo ok
