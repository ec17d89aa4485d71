#!/usr/bin/env bash
# fw.keys: a planted image (plaintext PKCS#8, EC, OpenSSH, DER and PuTTY
# keys, a key readable by all, a key inside a binary over 1 MiB, an expired
# self-signed SHA-1 certificate whose key ships beside it, a short-lived
# RSA-1024 certificate) gives each finding with the right requirement ids;
# encrypted keys and a CA certificate in it give none; a clean image
# (encrypted keys, a CA-issued certificate without its key) gives none.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs openssl ssh-keygen

ossl() { openssl "$@" 2>/dev/null; }

# A minimal CA configuration, so that "openssl ca" can set past dates.
mkdir -p "$T/ca"
: >"$T/ca/index.txt"
echo 01 >"$T/ca/serial"
cat >"$T/ca/ca.cnf" <<X
[ca]
default_ca = d
[d]
dir = $T/ca
database = $T/ca/index.txt
new_certs_dir = $T/ca
serial = $T/ca/serial
policy = p
unique_subject = no
[p]
commonName = supplied
[req]
distinguished_name = dn
[dn]
X
# selfsign KEY CN START END MD OUT: a self-signed certificate with dates.
selfsign() {
	ossl req -new -key "$1" -subj "/CN=$2" -config "$T/ca/ca.cnf" -out "$T/ca/x.csr"
	ossl ca -batch -config "$T/ca/ca.cnf" -selfsign -keyfile "$1" \
		-in "$T/ca/x.csr" -startdate "$3" -enddate "$4" -md "$5" -out "$6"
}

B=$T/bad
G=$T/good
mkdir -p "$B/etc/ssl/private" "$B/etc/ssl/certs" "$B/root/.ssh" "$B/etc/keys" \
	"$B/usr/bin" "$G/etc/ssl/private" "$G/etc/ssl/certs" "$G/root/.ssh"

# ---- planted ----
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$B/etc/ssl/private/server.key"
chmod 0644 "$B/etc/ssl/private/server.key"
selfsign "$B/etc/ssl/private/server.key" dev.vendor.io 20200101000000Z \
	20210101000000Z sha1 "$B/etc/ssl/certs/server.crt"
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$T/old.key"
ossl req -x509 -new -key "$T/old.key" -subj "/CN=old.vendor.io" -days 100 \
	-sha256 -out "$B/etc/ssl/certs/old.crt"
ossl ecparam -name prime256v1 -genkey -noout -out "$B/etc/keys/ec.key"
chmod 0600 "$B/etc/keys/ec.key"
ssh-keygen -q -t ed25519 -N '' -C test -f "$B/root/.ssh/id_ed25519"
chmod 0600 "$B/root/.ssh/id_ed25519"
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -outform DER \
	-out "$B/etc/keys/device.der"
chmod 0600 "$B/etc/keys/device.der"
printf 'PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: x\nPublic-Lines: 1\nAAAAB3NzaC1yc2E=\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: 00\n' \
	>"$B/etc/keys/support.ppk"
chmod 0600 "$B/etc/keys/support.ppk"
# A daemon over 1 MiB with a key compiled in: found by the content pass.
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/embedded.key"
python3 - "$T/embedded.key" "$B/usr/bin/daemon" <<'PY'
import sys
key = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b"\x7fELF" + b"\0" * (600 << 10) + key + b"\0" * (600 << 10))
PY
chmod 0755 "$B/usr/bin/daemon"
# Encrypted keys and a CA certificate: no finding even in this image.
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass pass:x \
	-out "$B/etc/ssl/private/enc.key"
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/t.key"
ossl rsa -in "$T/t.key" -aes128 -passout pass:x -traditional -out "$B/etc/ssl/private/trad.key"
chmod 0644 "$B/etc/ssl/private/enc.key" "$B/etc/ssl/private/trad.key"
ssh-keygen -q -t ed25519 -N 'a passphrase' -C test -f "$B/root/.ssh/id_enc"
ossl req -x509 -new -key "$T/t.key" -subj "/CN=Vendor Root" -days 7300 -sha256 \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -out "$B/etc/ssl/certs/vendor-ca.crt"

# ---- clean ----
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ca.key"
ossl req -x509 -new -key "$T/ca.key" -subj "/CN=Vendor Device CA" -days 7300 \
	-sha256 -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$G/etc/ssl/certs/ca.crt"
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/leaf.key"
ossl req -new -key "$T/leaf.key" -subj "/CN=api.vendor.io" -out "$T/leaf.csr"
ossl x509 -req -in "$T/leaf.csr" -CA "$G/etc/ssl/certs/ca.crt" -CAkey "$T/ca.key" \
	-CAcreateserial -days 1900 -sha256 -out "$G/etc/ssl/certs/api.crt"
ossl pkey -in "$T/leaf.key" -aes256 -passout pass:x -out "$G/etc/ssl/private/api.key"
chmod 0600 "$G/etc/ssl/private/api.key"
ssh-keygen -q -t ed25519 -N 'a passphrase' -C test -f "$G/root/.ssh/id_ed25519"
rm -f "$G/root/.ssh/id_ed25519.pub"

fw_reports bad good

python3 - "$T/bad.json" <<'PY' || fail "planted image"
import json, sys
r = json.load(open(sys.argv[1]))
got = {}
for f in r["findings"]:
    k = (f["id"], tuple(f["requirements"]), f["evidence"]["path"].split("!/")[-1])
    got[k] = got.get(k, 0) + 1
P, W = "FW-PRIVATE-KEY-PLAINTEXT", "FW-PRIVATE-KEY-WORLD-READABLE"
S11, S12 = ("S1.1-11",), ("S1.1-12",)
want = {
    (P, S11, "etc/ssl/private/server.key"),
    (P, S11, "etc/keys/ec.key"),
    (P, S11, "root/.ssh/id_ed25519"),
    (P, S11, "etc/keys/device.der"),
    (P, S11, "etc/keys/support.ppk"),
    (P, S11, "usr/bin/daemon"),
    ("FW-CERT-KEY-EMBEDDED", ("S1.1-11", "S1.1-12"), "etc/ssl/private/server.key"),
    ("FW-CERT-EXPIRED", S12, "etc/ssl/certs/server.crt"),
    ("FW-CERT-WEAK-SIGNATURE", S12, "etc/ssl/certs/server.crt"),
    ("FW-CERT-SELF-SIGNED", S12, "etc/ssl/certs/server.crt"),
    ("FW-CERT-EXPIRING", S12, "etc/ssl/certs/old.crt"),
    ("FW-CERT-WEAK-KEY", S12, "etc/ssl/certs/old.crt"),
    ("FW-CERT-SELF-SIGNED", S12, "etc/ssl/certs/old.crt"),
}
missing = want - set(got)
assert not missing, missing
dup = {k: n for k, n in got.items() if n > 1}
assert not dup, dup
paths = {k[2] for k in got}
# Encrypted keys, the other ones' modes and the CA certificate: nothing.
for p in ("etc/ssl/private/enc.key", "etc/ssl/private/trad.key",
          "root/.ssh/id_enc", "etc/ssl/certs/vendor-ca.crt"):
    assert p not in paths, (p, [k for k in got if k[2] == p])
# One key, one finding: the world-readable mode is in its title.
assert not any(k[0] == W for k in got), [k for k in got if k[0] == W]
t = [f["title"] for f in r["findings"] if f["id"] == P and f["evidence"]["path"].endswith("etc/ssl/private/server.key")]
assert len(t) == 1 and "readable by every user" in t[0], t
for f in r["findings"]:
    if f["id"] == P and f["evidence"]["path"].split("!/")[-1] in ("etc/keys/ec.key", "root/.ssh/id_ed25519", "etc/keys/device.der"):
        assert "readable by every user" not in f["title"], f
# The server certificate is expired, so not also "expiring"; the short
# one is neither expired nor strong.
assert ("FW-CERT-EXPIRING", S12, "etc/ssl/certs/server.crt") not in got
assert ("FW-CERT-EXPIRED", S12, "etc/ssl/certs/old.crt") not in got
for f in r["findings"]:
    if f["id"] == P and f["evidence"]["path"].endswith("usr/bin/daemon"):
        assert f["evidence"]["offset"] == 4 + (600 << 10), f["evidence"]
    if f["id"].startswith("FW-CERT-EXPIRING"):
        assert "support period" in f["title"], f["title"]
    # No key material in any excerpt.
    assert "MII" not in (f["evidence"].get("excerpt") or ""), f
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-11"] == "non-conformant" and v["S1.1-12"] == "non-conformant", v
PY
[ "$(cat "$T/bad.rc")" -eq 1 ] || fail "planted image should exit 1"

python3 - "$T/good.json" <<'PY' || fail "clean image"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["findings"] == [], r["findings"]
assert r["incomplete"] == [], r["incomplete"]
v = {c["id"]: c for c in r["checklist"]}
assert not any(m.startswith("firmware:") for m in v["S1.1-11"]["missing_evidence"])
PY
[ "$(cat "$T/good.rc")" -eq 0 ] || fail "clean image should exit 0"
echo ok
