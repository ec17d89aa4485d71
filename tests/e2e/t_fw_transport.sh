#!/usr/bin/env bash
# fw.transport: a planted image (an OTA script fetching firmware over
# http:// with --no-check-certificate, curl -k, MQTT/FTP/telnet endpoints
# in UCI, tcp://:1883, an endpoint compiled into a binary, verify=False,
# SSL_VERIFY_NONE, mosquitto bridge_insecure) gives each finding with the
# right requirement ids; XML namespaces, links, loopback, templated hosts,
# documentation and commented-out lines give none; a clean image (TLS
# everywhere, verification on) gives none at all.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

B=$T/bad
G=$T/good
mkdir -p "$B/usr/bin" "$B/usr/sbin" "$B/etc/config" "$B/etc/mosquitto/conf.d" \
	"$B/www" "$B/usr/share/doc/agent" "$B/usr/lib/agent" \
	"$G/usr/bin" "$G/etc/config" "$G/www" "$G/usr/lib/agent"

cat >"$B/usr/bin/ota.sh" <<'X'
#!/bin/sh
# wget --no-check-certificate http://old.vendor.io/fw.bin (kept for history)
wget -q --no-check-certificate -O /tmp/firmware.bin http://fw.vendor.io/sdr/latest.bin
curl -fsSLk -o /tmp/status.json https://api.vendor.io/v1/status
curl -s -u admin:hunter2pass http://cam.vendor.io/snapshot.jpg
X
cat >"$B/etc/config/cloud" <<'X'
config cloud 'main'
	option broker 'mqtt://broker.vendor.io:1883'
	option logs 'ftp://logs.vendor.io/upload'
	option console 'telnet://10.0.0.5:23'
X
printf '{"serverURI": "tcp://broker.vendor.io:1883", "tls": "tcp://broker.vendor.io:8883"}\n' \
	>"$B/usr/lib/agent/paho.json"
python3 - "$B/usr/sbin/telemetry" <<'PY'
import sys
s = [b"http://telemetry.vendor.io/v1/report", b"http://%s/cgi-bin/luci",
     b"http://www.w3.org/2000/svg", b"http://localhost:8080/", b"http://",
     b"http://127.0.0.1/ubus", b"http://crl.vendor.io/root.crl",
     b"http://example.com/", b"https://secure.vendor.io/"]
open(sys.argv[1], "wb").write(b"\x7fELF\x02\x01\x01" + b"\0" * 64 + b"\0".join(s) + b"\0" * 64)
PY
chmod 0755 "$B/usr/sbin/telemetry"
printf 'import requests\nr = requests.get(URL, verify=False)\n' >"$B/usr/lib/agent/upload.py"
printf 'SSLVerifyMode SSL_VERIFY_NONE\n' >"$B/etc/agent-ssl.conf"
printf 'connection cloud\naddress broker.vendor.io:8883\nbridge_insecure true\n' \
	>"$B/etc/mosquitto/conf.d/bridge.conf"
cat >"$B/www/index.html" <<'X'
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><body>
<a href="http://vendor.io/help">help</a>
</body></html>
X
printf 'See http://docs.vendor.io/agent for details.\n' >"$B/usr/share/doc/agent/README"

# ---- clean ----
cat >"$G/usr/bin/ota.sh" <<'X'
#!/bin/sh
wget -q -O /tmp/firmware.bin https://fw.vendor.io/sdr/latest.bin
curl -fsSL --cacert /etc/ssl/certs/vendor.pem -o /tmp/s.json https://api.vendor.io/v1/status
X
cat >"$G/etc/config/cloud" <<'X'
config cloud 'main'
	option broker 'mqtts://broker.vendor.io:8883'
	option logs 'ftps://logs.vendor.io/upload'
	option local 'http://127.0.0.1:8080/'
X
printf 'import requests\nr = requests.get(URL, verify=True)\n' >"$G/usr/lib/agent/upload.py"
cp "$B/www/index.html" "$G/www/index.html"

fw_reports bad good
grep -qF hunter2pass "$T/bad.json" && fail "curl -u password leaked into the report"

python3 - "$T/bad.json" <<'PY' || fail "planted image"
import json, sys
r = json.load(open(sys.argv[1]))
got = {}
for f in r["findings"]:
    k = (f["id"], tuple(f["requirements"]), f["evidence"]["path"].split("!/")[-1])
    got.setdefault(k, []).append(f)
E, V = "FW-PLAINTEXT-ENDPOINT", "FW-TLS-VERIFY-DISABLED"
S12, FW = ("S1.1-12",), ("S1.1-08", "S1.1-12")
want = {
    (E, S12, "usr/bin/ota.sh"),
    (V, FW, "usr/bin/ota.sh"),
    (V, S12, "usr/bin/ota.sh"),
    (E, S12, "etc/config/cloud"),
    (E, S12, "usr/lib/agent/paho.json"),
    (E, S12, "usr/sbin/telemetry"),
    (V, S12, "usr/lib/agent/upload.py"),
    (V, S12, "etc/agent-ssl.conf"),
    (V, S12, "etc/mosquitto/conf.d/bridge.conf"),
}
missing = want - set(got)
assert not missing, missing
ex = lambda k: sorted(f["evidence"]["excerpt"] for f in got.get(k, []))
# Each plaintext URL once, with the URL in the excerpt; nothing else.
assert [e for e in ex((E, S12, "usr/sbin/telemetry"))] == ["http://telemetry.vendor.io/v1/report"], ex((E, S12, "usr/sbin/telemetry"))
# One file, one cause: one finding naming every URL and scheme.
cloud = ex((E, S12, "etc/config/cloud"))
assert len(cloud) == 1 and "mqtt://broker.vendor.io:1883" in cloud[0], cloud
assert "ftp://logs.vendor.io/upload" in cloud[0] and "telnet://10.0.0.5:23" in cloud[0], cloud
t = got[(E, S12, "etc/config/cloud")][0]["title"]
assert t.startswith("3 plaintext endpoints") and "MQTT" in t and "FTP" in t and "telnet" in t, t
assert len(got[(E, S12, "usr/lib/agent/paho.json")]) == 1
# The script: the firmware URL and the camera URL; the comment is ignored.
ota = ex((E, S12, "usr/bin/ota.sh"))
assert len(ota) == 1 and "http://fw.vendor.io/sdr/latest.bin" in ota[0] and "cam.vendor.io" in ota[0], ota
assert not any("old.vendor.io" in e for k in got for e in ex(k)), "commented line reported"
assert len(got[(V, FW, "usr/bin/ota.sh")]) == 1 and "--no-check-certificate" in ex((V, FW, "usr/bin/ota.sh"))[0]
assert len(got[(V, S12, "usr/bin/ota.sh")]) == 1 and "curl -fsSLk" in ex((V, S12, "usr/bin/ota.sh"))[0]
for p in ("www/index.html", "usr/share/doc/agent/README"):
    assert not any(k[2] == p for k in got), (p, [k for k in got if k[2] == p])
for k, fs in got.items():
    for f in fs:
        if k[0] == V:
            assert f["severity"] == "high", f
        if k[0] == E:
            assert f["severity"] == "medium", f
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-12"] == "non-conformant" and v["S1.1-08"] == "non-conformant", v
PY
[ "$(cat "$T/bad.rc")" -eq 1 ] || fail "planted image should exit 1"

python3 - "$T/good.json" <<'PY' || fail "clean image"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["findings"] == [], [(f["id"], f["evidence"]) for f in r["findings"]]
assert r["incomplete"] == [], r["incomplete"]
v = {c["id"]: c for c in r["checklist"]}
assert not any(m.startswith("firmware:") for m in v["S1.1-12"]["missing_evidence"])
PY
[ "$(cat "$T/good.rc")" -eq 0 ] || fail "clean image should exit 0"
echo ok
