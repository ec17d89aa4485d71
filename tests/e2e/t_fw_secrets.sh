#!/usr/bin/env bash
# fw.secrets: a planted image (cloud keys in UCI, JSON and an environment
# file, a JWT and URL credentials inside a binary, Wi-Fi passphrases in UCI,
# wpa_supplicant and hostapd, a generic token, 25 keys in one file) gives
# each finding with the right requirement ids, offsets and masked values;
# placeholders and passwords fw.accounts owns give none; a clean image
# gives none at all.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

B=$T/bad
G=$T/good
mkdir -p "$B/etc/config" "$B/etc/init.d" "$B/usr/bin" "$B/etc/cloud" \
	"$G/etc/config" "$G/etc/init.d" "$G/etc/cloud"

AWS=AKIAQ3EXAMPLEZ7K2M4P
AWSSEC=Zq8vR2nW5tY7uI9oP1aS3dF6gH8jK0lZxC4vB7nM
GCP=AIzaSyB4x7Q2mN9pL3kR8tV6wZ1yC5dF0gH2jK4
SLACK=xoxb-2314567890-4456789012345-Qw8Er5Ty7Ui2Op4As6Df9Gh
GH=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8
STRIPE=sk_live_51H8xTq2eZvKYlo2C8mNpQr4s
AZ=$(python3 -c "import base64,hashlib; print(base64.b64encode(hashlib.sha512(b\"az\").digest()).decode())")
JWT=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZXZpY2UtMTIzIiwiaWF0IjoxNzAwMDAwMDAwfQ.Yk3n5Q0vR8tW2xZ4bD6fH8jL0nP2rT4vX6zB8dF0hJ2
URLPW=S3cr3tPassw0rd
TOKEN=q8Zk2LmN4pR7tV1x
PSK1=w1r3less-Key-2024
PSK2='correct horse battery'
PSK3=Sup3rSecretWifi

cat >"$B/etc/config/cloud" <<X
config cloud 'main'
	option aws_access_key_id '$AWS'
	option api_key '$STRIPE'
X
cat >"$B/etc/cloud/env" <<X
AWS_SECRET_ACCESS_KEY=$AWSSEC
X
cat >"$B/etc/cloud/cloud.json" <<X
{"gcp": "$GCP", "slack": "$SLACK",
 "github": "$GH",
 "azure": "DefaultEndpointsProtocol=https;AccountName=dev;AccountKey=$AZ;EndpointSuffix=core.windows.net"}
X
python3 - "$B/usr/bin/agent" "$JWT" "$URLPW" <<'PY'
import sys
out, jwt, pw = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
body = (b"\x7fELF\x02\x01\x01" + b"\0" * 300 + b"Authorization: Bearer " + jwt +
        b"\0\0mqtt://device:" + pw + b"@broker.vendor.io:1883\0" +
        b"https://api:%s@%s/v1\0" + b"\0" * 300)
open(out, "wb").write(body)
PY
cat >"$B/etc/init.d/cloudd" <<X
#!/bin/sh
API_TOKEN="$TOKEN"
X
cat >"$B/etc/config/wireless" <<X
config wifi-iface 'default_radio0'
	option encryption 'psk2'
	option key '$PSK1'
X
printf 'network={\n\tssid="home"\n\tpsk="%s"\n}\n' "$PSK2" >"$B/etc/wpa_supplicant.conf"
printf 'interface=wlan0\nwpa=2\nwpa_passphrase=%s\n' "$PSK3" >"$B/etc/hostapd.conf"
python3 - "$B/etc/cloud/many.conf" <<'PY'
import random, string, sys
r = random.Random(5)
with open(sys.argv[1], "w") as f:
    for i in range(25):
        f.write("key%d=AKIA%s\n" % (i, "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(16))))
PY
# Not secrets: templates, placeholders, low entropy, commented examples.
cat >"$B/etc/defaults.conf" <<'X'
password=changeme
token=${TOKEN}
api_key=<your-api-key>
secret=xxxxxxxxxxxx
password: "%s"
PASSWORD=$1
passwd=aaaaaaaaaaaa
psk="very secret passphrase"
url=ftps://user:password@files.vendor.io/
client.password = this.form.password
X
# fw.accounts reports NVRAM passwords; fw.secrets must not repeat them.
printf 'lan_ipaddr=192.168.1.1\nhttp_passwd=Xy7kQ9mZ2wP4\n' >"$B/etc/nvram.default"

# ---- clean ----
cat >"$G/etc/config/cloud" <<'X'
config cloud 'main'
	option endpoint 'mqtts://broker.vendor.io:8883'
	option cert '/etc/cloud/device.crt'
X
cat >"$G/etc/config/wireless" <<'X'
config wifi-iface 'default_radio0'
	option encryption 'none'
	option disabled '1'
X
cat >"$G/etc/init.d/cloudd" <<'X'
#!/bin/sh
API_TOKEN="$(cat /var/run/cloud/token)"
PASSWORD="${CLOUD_PASSWORD}"
X
cp "$B/etc/defaults.conf" "$G/etc/defaults.conf"
printf '{"aws_access_key_id": "<set at provisioning>"}\n' >"$G/etc/cloud/cloud.json"

fw_reports bad good

# No planted value may appear anywhere in the report, not even in part:
# no 8 bytes of one past its first two (which the mask keeps).
python3 - "$T/bad.json" "$AWS" "$AWSSEC" "$GCP" "$SLACK" "$GH" "$STRIPE" "$AZ" \
	"$JWT" "$URLPW" "$TOKEN" "$PSK1" "$PSK2" "$PSK3" <<'PY' || fail "a secret leaked"
import sys
text = open(sys.argv[1]).read()
for s in sys.argv[2:]:
    for i in range(2, len(s) - 7):
        assert s[i:i + 8] not in text, (s, s[i:i + 8])
PY

python3 - "$T/bad.json" "$B" "$AWS" <<'PY' || fail "planted image"
import json, os, sys
r, root, aws = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
got = {}
for f in r["findings"]:
    k = (f["id"], tuple(f["requirements"]), f["evidence"]["path"].split("!/")[-1])
    got.setdefault(k, []).append(f)
S = ("S1.1-11",)
want = {
    ("FW-SECRET-AWS-KEY", S, "etc/config/cloud"),
    ("FW-SECRET-STRIPE-KEY", S, "etc/config/cloud"),
    ("FW-SECRET-AWS-SECRET", S, "etc/cloud/env"),
    ("FW-SECRET-GCP-KEY", S, "etc/cloud/cloud.json"),
    ("FW-SECRET-SLACK-TOKEN", S, "etc/cloud/cloud.json"),
    ("FW-SECRET-GITHUB-TOKEN", S, "etc/cloud/cloud.json"),
    ("FW-SECRET-AZURE-KEY", S, "etc/cloud/cloud.json"),
    ("FW-SECRET-JWT", S, "usr/bin/agent"),
    ("FW-SECRET-URL-CREDENTIALS", ("S1.1-11", "S1.1-12"), "usr/bin/agent"),
    ("FW-SECRET-ASSIGNMENT", S, "etc/init.d/cloudd"),
    ("FW-SECRET-WIFI-PSK", S, "etc/config/wireless"),
    ("FW-SECRET-WIFI-PSK", S, "etc/wpa_supplicant.conf"),
    ("FW-SECRET-WIFI-PSK", S, "etc/hostapd.conf"),
    ("FW-SECRET-AWS-KEY", S, "etc/cloud/many.conf"),
}
missing = want - set(got)
assert not missing, missing
ids = lambda p: sorted(k[0] for k in got if k[2] == p)
# One finding per value: the passphrase is not also an "assignment", the
# Stripe key in api_key not also generic, the templates nothing at all.
assert ids("etc/hostapd.conf") == ["FW-SECRET-WIFI-PSK"], ids("etc/hostapd.conf")
assert ids("etc/config/cloud") == ["FW-SECRET-AWS-KEY", "FW-SECRET-STRIPE-KEY"], ids("etc/config/cloud")
assert ids("etc/defaults.conf") == [], [(k, [f["evidence"]["excerpt"] for f in v]) for k, v in got.items() if k[2] == "etc/defaults.conf"]
assert not any(k[0].startswith("FW-SECRET") for k in got if k[2] == "etc/nvram.default"), ids("etc/nvram.default")
assert ("FW-PLAINTEXT-PASSWORD", ("S1.1-02", "S1.1-11"), "etc/nvram.default") in got
# 25 keys in one file: 20 listed, the last one counts the other 5.
many = got[("FW-SECRET-AWS-KEY", S, "etc/cloud/many.conf")]
assert len(many) == 20, len(many)
assert sum("and 5 more in this file" in f["evidence"]["excerpt"] for f in many) == 1
# Offsets are byte offsets in the file; excerpts keep the context.
data = open(os.path.join(root, "etc/config/cloud"), "rb").read()
f = got[("FW-SECRET-AWS-KEY", S, "etc/config/cloud")][0]
assert f["evidence"]["offset"] == data.index(aws.encode()), f["evidence"]
assert f["evidence"]["excerpt"].startswith("option aws_access_key_id 'AK**"), f["evidence"]
assert all(f["severity"] in ("high", "medium") for k in got for f in got[k] if k[0].startswith("FW-SECRET"))
PY
[ "$(cat "$T/bad.rc")" -eq 1 ] || fail "planted image should exit 1"

python3 - "$T/good.json" <<'PY' || fail "clean image"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["findings"] == [], [(f["id"], f["evidence"]) for f in r["findings"]]
assert r["incomplete"] == [], r["incomplete"]
v = {c["id"]: c for c in r["checklist"]}
assert not any(m.startswith("firmware:") for m in v["S1.1-11"]["missing_evidence"])
PY
[ "$(cat "$T/good.rc")" -eq 0 ] || fail "clean image should exit 0"
echo ok
