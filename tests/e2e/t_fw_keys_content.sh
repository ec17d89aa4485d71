#!/usr/bin/env bash
# Issue 11, rule 9: keys found by content, not by name.  A DER private key
# named like a data blob, a PKCS#12 store and an encrypted PKCS#8 PEM
# that both open with the empty password each give FW-PRIVATE-KEY-
# PLAINTEXT; the same formats under a real password, and a DER structure
# of the same shape that is no key, give nothing.  Built with openssl(1).
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs openssl

B=$T/bad
G=$T/good
K=$T/keys
mkdir -p "$B/etc/cfg" "$G/etc/cfg" "$K"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/k.pem" 2>/dev/null
openssl req -x509 -key "$K/k.pem" -subj /CN=device -days 30 -out "$K/c.pem" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$K/k.pem" -outform DER -out "$B/etc/cfg/blob0"
openssl pkcs12 -export -inkey "$K/k.pem" -in "$K/c.pem" -passout pass: -out "$B/etc/cfg/store.bin"
openssl pkcs8 -topk8 -in "$K/k.pem" -v2 aes256 -passout pass: -out "$B/etc/cfg/k.pem"
openssl pkcs12 -export -inkey "$K/k.pem" -in "$K/c.pem" -passout pass:Xq7-vendor-pw -out "$G/etc/cfg/store.bin"
openssl pkcs8 -topk8 -in "$K/k.pem" -v2 aes256 -passout pass:Xq7-vendor-pw -out "$G/etc/cfg/k.pem"
# An empty-password store that asks for more key-derivation rounds than
# fw.keys spends (100000): not tried, said as incomplete.
openssl pkcs12 -export -inkey "$K/k.pem" -in "$K/c.pem" -passout pass: -iter 200000 \
	-out "$G/etc/cfg/slow.bin"
# SEQUENCE { INTEGER 0, OCTET STRING (64 bytes) }: the shape, not a key.
python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes([0x30, 0x45, 0x02, 0x01, 0x00, 0x04, 0x40]) + bytes(range(64)))' \
	"$G/etc/cfg/blob0"
chmod 0600 "$B"/etc/cfg/* "$G"/etc/cfg/*

fw_reports bad good
python3 - "$T/bad.json" "$T/good.json" <<'PY' || fail "rule 9 keys"
import json, sys
bad, good = (json.load(open(p)) for p in sys.argv[1:3])
k = lambda r: sorted((f["evidence"]["path"].split("!/")[-1], f["title"])
                     for f in r["findings"] if f["id"].startswith("FW-PRIVATE-KEY"))
got = k(bad)
assert [p for p, _ in got] == ["etc/cfg/blob0", "etc/cfg/k.pem", "etc/cfg/store.bin"], got
t = dict(got)
assert "DER, found by its content" in t["etc/cfg/blob0"] and t["etc/cfg/blob0"].startswith("unencrypted EC"), t
assert "empty password" in t["etc/cfg/k.pem"] and not t["etc/cfg/k.pem"].startswith("unencrypted"), t
assert "PKCS#12, encrypted with an empty password" in t["etc/cfg/store.bin"], t
assert k(good) == [], k(good)
inc = [i for i in good["incomplete"] if "etc/cfg/slow.bin" in i]
assert len(inc) == 1 and "key-derivation rounds" in inc[0], good["incomplete"]
PY
echo ok
