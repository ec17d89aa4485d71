#!/usr/bin/env bash
# fw.accounts: a planted squashfs image (default root password, extra uid 0,
# empty password, service account with a shell, yescrypt/bcrypt/apr1/PBKDF2
# hashes of list passwords, plaintext passwords in UCI, BusyBox httpd.conf
# and NVRAM) gives each finding with the right requirement ids, masks every
# password and hash in the report, and a clean image gives none.
#
# Hashes are made by independent implementations: openssl passwd for MD5
# crypt ($1$), Apache MD5 ($apr1$) and SHA-512 crypt; a tiny C helper over
# libxcrypt's crypt_gensalt/crypt for yescrypt and bcrypt (libcrypt-dev is a
# build dependency, so this needs no extra package); mosquitto_passwd for
# the MQTT password file when installed, else Python's PBKDF2, which writes
# the same $7$ format.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs openssl python3 cc

cc -o "$T/mkhash" -x c - -lcrypt <<'C' || fail "cannot build the hash helper"
#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
/* mkhash PREFIX COUNT PASSWORD: crypt(3) with a fresh salt. */
int main(int argc, char **argv)
{
	char *setting, *h;

	if (argc != 4)
		return 2;
	setting = crypt_gensalt_ra(argv[1], strtoul(argv[2], NULL, 10), NULL, 0);
	h = setting ? crypt(argv[3], setting) : NULL;
	if (h == NULL || h[0] == '*')
		return 1;
	puts(h);
	return 0;
}
C

MD5_ADMIN=$(openssl passwd -1 admin)
MD5_STRONG=$(openssl passwd -1 "$(openssl rand -base64 24)")
SHA_FTP=$(openssl passwd -6 ftp)
SHA_STRONG=$(openssl passwd -6 "$(openssl rand -base64 24)")
YES_12345678=$("$T/mkhash" '$y$' 0 12345678)
BCRYPT_PASSWORD=$("$T/mkhash" '$2y$' 5 password)
APR1_PASSWORD=$(openssl passwd -apr1 password)
NVRAM_PW='s3cr3tX9!q'
for h in "$MD5_ADMIN" "$SHA_FTP" "$SHA_STRONG" "$YES_12345678" "$BCRYPT_PASSWORD" "$APR1_PASSWORD"; do
	[ -n "$h" ] || fail "a hash could not be made"
done

B=$T/bad
mkdir -p "$B/etc/mosquitto" "$B/etc/config" "$B/www"
cat >"$B/etc/passwd" <<X
root:x:0:0:root:/root:/bin/sh
daemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin
ftp:x:55:55:ftp:/home/ftp:/bin/sh
support:x:0:0:support:/root:/bin/sh
guest:x:1000:1000:guest:/home/guest:/bin/sh
iot:x:1001:1001::/home/iot:/bin/ash
maint:x:1002:1002::/home/maint:/bin/sh
nobody:*:65534:65534:nobody:/nonexistent:/bin/false
X
cat >"$B/etc/shadow" <<X
root:$MD5_ADMIN:19000:0:99999:7:::
daemon:*:19000:0:99999:7:::
ftp:$SHA_FTP:19000:0:99999:7:::
support:$YES_12345678:19000:0:99999:7:::
guest::19000:0:99999:7:::
iot:$SHA_STRONG:19000:0:99999:7:::
maint:$MD5_STRONG:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
X
# The backup says the same: no second finding.  Nor its .bak copy.
cp "$B/etc/shadow" "$B/etc/shadow.bak"
cp "$B/etc/shadow" "$B/etc/shadow-"
printf 'webadmin:%s\nwebops:%s\n' "$APR1_PASSWORD" "$BCRYPT_PASSWORD" >"$B/www/.htpasswd"
printf 'listener 1883\nallow_anonymous false\npassword_file /etc/mosquitto/pwfile\n' \
	>"$B/etc/mosquitto/mosquitto.conf"
if command -v mosquitto_passwd >/dev/null 2>&1; then
	mosquitto_passwd -c -b "$B/etc/mosquitto/pwfile" sensor 123456 >/dev/null 2>&1 ||
		fail "mosquitto_passwd"
else
	python3 - "$B/etc/mosquitto/pwfile" <<'PY'
import base64, hashlib, os, sys
salt = os.urandom(12)
dk = hashlib.pbkdf2_hmac("sha512", b"123456", salt, 101, 64)
open(sys.argv[1], "w").write("sensor:$7$101$%s$%s\n" % (
    base64.b64encode(salt).decode(), base64.b64encode(dk).decode()))
PY
fi
MQTT_HASH=$(cut -d: -f2- "$B/etc/mosquitto/pwfile")
printf 'A:*\n/cgi-bin:webui:admin\n.au:audio/basic\n' >"$B/etc/httpd.conf"
cat >"$B/etc/config/webui" <<'X'
config user 'main'
	option username 'operator'
	option password 'admin'
	option passthrough '1'
X
printf 'lan_ipaddr=192.168.1.1\nhttp_username=operator\nhttp_passwd=%s\n' "$NVRAM_PW" \
	>"$B/etc/nvram.default"

G=$T/good
mkdir -p "$G/etc/mosquitto" "$G/etc/config"
cat >"$G/etc/passwd" <<X
root:x:0:0:root:/root:/bin/sh
daemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin
ftp:*:55:55:ftp:/home/ftp:/bin/false
nobody:*:65534:65534:nobody:/nonexistent:/bin/false
X
cat >"$G/etc/shadow" <<X
root:$SHA_STRONG:0:0:99999:7:::
daemon:*:19000:0:99999:7:::
ftp:!:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
X
# The password file is made at first start, so the image has none.
printf 'listener 8883\nallow_anonymous false\npassword_file /etc/mosquitto/pwfile\n' \
	>"$G/etc/mosquitto/mosquitto.conf"
cat >"$G/etc/config/rpcd" <<'X'
config login
	option username 'root'
	option password '$p$root'
X

# A vendor layout (TP-Link's): etc/passwd links to a RAM file that rcS
# fills from etc/passwd.bak, whose second uid-0 account has a fixed MD5
# hash of a default password.  The backup copy is what logs in.
V=$T/vendor
mkdir -p "$V/etc/init.d"
ln -s /var/passwd "$V/etc/passwd"
printf 'admin:%s:0:0:root:/:/bin/sh\ndropbear:x:500:500:dropbear:/var/dropbear:/bin/sh\nnobody:*:0:0:nobody:/:/bin/sh\n' \
	"$("$T/mkhash" '$1$' 0 1234)" >"$V/etc/passwd.bak"
printf '#!/bin/sh\nmount -a\ncp -p /etc/passwd.bak /var/passwd\n' >"$V/etc/init.d/rcS"
chmod 0755 "$V/etc/init.d/rcS"

# OpenWrt's placeholders: root:x: in passwd and root:!: in shadow mean
# "no password set" there (LuCI and the telnet wrapper let root in); the
# same files without an OpenWrt marker are a locked root.
for d in owrt lock; do
	mkdir -p "$T/$d/etc" "$T/$d/bin" "$T/$d/usr/lib/lua/luci"
	printf 'root:x:0:0:root:/root:/bin/ash\n' >"$T/$d/etc/passwd"
	printf 'root:!:0:0:99999:7:::\n' >"$T/$d/etc/shadow"
	printf '#!/bin/sh\nexec /bin/ash --login\n' >"$T/$d/bin/login.sh"
	printf 'function user.getpasswd(u) end\n' >"$T/$d/usr/lib/lua/luci/sys.lua"
done
printf "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='Chaos Calmer'\n" >"$T/owrt/etc/openwrt_release"

# Hash records inside a program's data (a web server's own account
# table) are stored passwords too; a format string, a copy of the shadow
# file's own pair and a strong hash give nothing.
E=$T/embed
mkdir -p "$E/etc" "$E/usr/bin"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$E/etc/passwd"
printf 'root:%s:19000:0:99999:7:::\n' "$MD5_STRONG" >"$E/etc/shadow"
python3 - "$E/usr/bin/httpd" "$MD5_ADMIN" "$MD5_STRONG" "$SHA_STRONG" <<'PY'
import sys
out, admin, strong, sha = sys.argv[1:5]
blob = (b"\x7fELF\x01\x01\x01\x00" + b"\x00" * 40 +
        b"%s:$1$%s\x00" +                      # a format string
        b"webadmin:" + admin.encode() + b":0:0\x00" +
        b"root:" + strong.encode() + b"\x00" +  # shadow's own pair
        b"ops:" + sha.encode() + b"\x00" + b"\x00" * 64)
open(out, "wb").write(blob)
PY
chmod 0755 "$E/usr/bin/httpd"

fw_reports bad good vendor owrt lock embed
python3 - "$T/embed.json" <<'PY' || fail "hash records in a program"
import json, sys
r = json.load(open(sys.argv[1]))
fs = [f for f in r["findings"] if f["evidence"]["path"].endswith("usr/bin/httpd")]
assert [(f["id"], f["severity"]) for f in fs] == [("FW-SHADOW-DEFAULT-PASSWORD", "critical")], fs
assert "account 'webadmin'" in fs[0]["title"] and "in a program's data" in fs[0]["title"], fs[0]
assert "$1$" not in fs[0]["evidence"]["excerpt"][10:], fs[0]
PY
python3 - "$T" <<'PY' || fail "OpenWrt placeholders"
import json, os, sys
def acc(n):
    r = json.load(open(os.path.join(sys.argv[1], n + ".json")))
    return [f for f in r["findings"] if f["id"].startswith("FW-ACCOUNT")]
f = acc("owrt")
assert [(x["id"], x["severity"]) for x in f] == [("FW-ACCOUNT-EMPTY-PASSWORD", "critical")], f
t = f[0]["title"]
assert "account 'root' has no password" in t and "OpenWrt reads its '!' placeholder" in t, t
assert "LuCI web UI" in t and "telnet login wrapper (bin/login.sh)" in t, t
assert f[0]["evidence"]["path"].endswith("!/etc/shadow"), f
assert acc("lock") == [], acc("lock")
PY
python3 - "$T/vendor.json" <<'PY' || fail "passwd.bak"
import json, sys
r = json.load(open(sys.argv[1]))
fs = [f for f in r["findings"] if f["id"].startswith(("FW-ACCOUNT", "FW-SHADOW", "FW-WEAK"))]
assert sorted((f["id"], f["severity"], f["evidence"]["path"].split("!/")[-1]) for f in fs) == [
    ("FW-ACCOUNT-EXTRA-UID0", "low", "etc/passwd.bak"),          # nobody, locked
    ("FW-SHADOW-DEFAULT-PASSWORD", "critical", "etc/passwd.bak")], fs
d = [f for f in fs if f["id"] == "FW-SHADOW-DEFAULT-PASSWORD"][0]
assert "account 'admin' (uid 0 besides root)" in d["title"], d
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-02"] == "non-conformant", v
PY

python3 - "$T/bad.json" <<'PY' || fail "planted image"
import json, sys
r = json.load(open(sys.argv[1]))
fs = r["findings"]
def key(f):
    return (f["id"], tuple(f["requirements"]), f["evidence"]["path"])
got = {key(f) for f in fs}
S = "bad.img:squashfs!/"
want = {
    ("FW-SHADOW-DEFAULT-PASSWORD", ("S1.1-02",), S + "etc/shadow"),       # root, ftp, support
    ("FW-WEAK-HASH", ("S1.1-11",), S + "etc/shadow"),                     # maint: $1$, not cracked
    ("FW-ACCOUNT-EMPTY-PASSWORD", ("S1.1-02", "S1.1-01"), S + "etc/shadow"),  # guest
    ("FW-ACCOUNT-SERVICE-SHELL", ("S1.1-02",), S + "etc/passwd"),         # ftp
    ("FW-SHADOW-DEFAULT-PASSWORD", ("S1.1-02",), S + "www/.htpasswd"),    # apr1, bcrypt
    ("FW-SHADOW-DEFAULT-PASSWORD", ("S1.1-02",), S + "etc/mosquitto/pwfile"),
    ("FW-PLAINTEXT-PASSWORD", ("S1.1-02", "S1.1-11"), S + "etc/config/webui"),
    ("FW-PLAINTEXT-PASSWORD", ("S1.1-02", "S1.1-11"), S + "etc/httpd.conf"),
    ("FW-PLAINTEXT-PASSWORD", ("S1.1-02", "S1.1-11"), S + "etc/nvram.default"),
}
missing = want - got
assert not missing, ("missing", missing, sorted(got))

def titles(fid):
    return sorted(f["title"] for f in fs if f["id"] == fid)
def named(fid, who):
    return [f for f in fs if f["id"] == fid and who in f["title"]]

# One finding per cracked account, each naming the account; nothing for the
# strong hash, the locked accounts or the identical shadow- backup.
cracked = titles("FW-SHADOW-DEFAULT-PASSWORD")
for who in ("account 'root'", "account 'ftp'", "account 'support'",
            "htpasswd user 'webadmin'", "htpasswd user 'webops'",
            "MQTT user 'sensor'"):
    assert len([t for t in cracked if who in t]) == 1, (who, cracked)
assert len(cracked) == 6, cracked
assert not [f for f in fs if "'iot'" in f["title"] or "'daemon'" in f["title"]
            or "'nobody'" in f["title"]], fs
assert not [f for f in fs if f["evidence"]["path"].endswith(("shadow-", "shadow.bak"))], fs
assert [f["severity"] for f in named("FW-SHADOW-DEFAULT-PASSWORD", "'root'")] == ["critical"]
assert "yescrypt" in named("FW-SHADOW-DEFAULT-PASSWORD", "'support'")[0]["title"]
assert "bcrypt" in named("FW-SHADOW-DEFAULT-PASSWORD", "'webops'")[0]["title"]
# One cause, one finding: support's cracked password says uid 0; root's
# and webadmin's cracked hashes are not also "weak".
assert "(uid 0 besides root)" in named("FW-SHADOW-DEFAULT-PASSWORD", "'support'")[0]["title"]
assert len(titles("FW-ACCOUNT-EXTRA-UID0")) == 0, titles("FW-ACCOUNT-EXTRA-UID0")
assert len(named("FW-ACCOUNT-EMPTY-PASSWORD", "'guest'")) == 1
assert len(named("FW-ACCOUNT-SERVICE-SHELL", "'ftp'")) == 1
assert len(titles("FW-ACCOUNT-SERVICE-SHELL")) == 1, titles("FW-ACCOUNT-SERVICE-SHELL")
weak = titles("FW-WEAK-HASH")
assert len(weak) == 1 and "'maint'" in weak[0], weak
plain = {f["evidence"]["path"]: f for f in fs if f["id"] == "FW-PLAINTEXT-PASSWORD"}
assert len(plain) == 3, plain
# All high; 'admin' is on the default list and the title says so.
assert {f["severity"] for f in plain.values()} == {"high"}, plain
assert "default" in plain[S + "etc/config/webui"]["title"]
assert "default" in plain[S + "etc/httpd.conf"]["title"]
assert "default" not in plain[S + "etc/nvram.default"]["title"]
assert plain[S + "etc/config/webui"]["evidence"]["excerpt"].startswith("option password '")
for f in fs:
    if not f["id"].startswith(("FW-ACCOUNT", "FW-SHADOW", "FW-PLAINTEXT", "FW-WEAK")):
        continue
    e = f["evidence"]
    assert e.get("offset") is not None and e.get("excerpt"), f
    assert "S1.1-02" in f["remediation"] and "(1)" in f["remediation"] and "(2)" in f["remediation"], f
    assert "at least 6" in f["remediation"] and "at least 8" in f["remediation"], f
# The line offsets point at the lines.
sh = [f for f in fs if f["evidence"]["path"] == S + "etc/shadow"]
raw = open(sys.argv[1].replace("bad.json", "bad/etc/shadow"), "rb").read()
for f in sh:
    off = f["evidence"]["offset"]
    assert off == 0 or raw[off - 1:off] == b"\n", f
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-02"] == "non-conformant", v
assert not [i for i in r["incomplete"] if "fw.accounts" in i], r["incomplete"]
PY
[ "$(cat "$T/bad.rc")" -eq 1 ] || fail "planted image should exit 1"

# No password in clear and no full hash anywhere in the report.
for s in "$MD5_ADMIN" "$SHA_FTP" "$SHA_STRONG" "$YES_12345678" "$BCRYPT_PASSWORD" \
	"$APR1_PASSWORD" "$MQTT_HASH" "$NVRAM_PW" "'admin'" ":admin" "12345678" "123456"; do
	! grep -qF -- "$s" "$T/bad.json" || fail "the report leaks '$s'"
done
# Hash bodies (after the salt) are not there in part either.
for h in "$MD5_ADMIN" "$SHA_FTP" "$YES_12345678" "$BCRYPT_PASSWORD" "$APR1_PASSWORD"; do
	body=${h##*\$}
	! grep -qF -- "${body:0:12}" "$T/bad.json" || fail "the report leaks part of a hash"
done

python3 - "$T/good.json" <<'PY' || fail "clean image"
import json, sys
r = json.load(open(sys.argv[1]))
ours = [f for f in r["findings"] if f["id"].startswith(("FW-ACCOUNT", "FW-SHADOW", "FW-PLAINTEXT", "FW-WEAK"))]
assert ours == [], ours
assert not [i for i in r["incomplete"] if "fw.accounts" in i], r["incomplete"]
v = {c["id"]: c for c in r["checklist"]}
# Checked from firmware; the document (option 1 or 2) is still missing.
assert v["S1.1-02"]["verdict"] == "needs-evidence", v["S1.1-02"]
assert not any(m.startswith("firmware:") for m in v["S1.1-02"]["missing_evidence"]), v["S1.1-02"]
PY
echo ok
