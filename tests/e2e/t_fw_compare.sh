#!/usr/bin/env bash
# `starlab firmware A B`: two units' images with the same root hash (same
# salt: one password set at the factory for every unit), the same
# htpasswd hash, the same Dropbear and OpenSSH host keys and the same TLS
# key (PKCS#8 in one, traditional EC PEM in the other) give
# FW-UNIVERSAL-PASSWORD and FW-SHARED-PRIVATE-KEY in both reports, with
# each report's own evidence and the hashes masked; two units with
# per-unit hashes (same password, different salts) and their own keys give
# neither.  Also: the DIR/NAME/ layout of -o (a-NAME/b-NAME for equal
# names), two reports on stdout, and one image alone.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs openssl dropbearkey ssh-keygen python3

PW='Xk9#mQ2vLp7!unit'
# unit NAME SALT: a small rootfs with its own keys in $T/NAME.
unit() {
	local d=$T/$1
	mkdir -p "$d/etc/dropbear" "$d/etc/ssh" "$d/etc/ssl/private" "$d/www"
	printf 'root:x:0:0:root:/root:/bin/sh\nadmin:x:1000:1000::/home/admin:/bin/sh\n' \
		>"$d/etc/passwd"
	printf 'root:%s:19000:0:99999:7:::\nadmin:%s:19000:0:99999:7:::\n' \
		"$(openssl passwd -6 -salt "$2" "$PW")" \
		"$(openssl passwd -1 -salt "adm$1" "$PW")" >"$d/etc/shadow"
	printf 'admin:%s\n' "$(openssl passwd -apr1 -salt "${2:0:8}" "$PW")" \
		>"$d/www/.htpasswd"
	dropbearkey -t ed25519 -f "$d/etc/dropbear/dropbear_ed25519_host_key" \
		>/dev/null 2>&1
	ssh-keygen -q -t ed25519 -N '' -C '' -f "$d/etc/ssh/ssh_host_ed25519_key"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$d/etc/ssl/private/server.key" 2>/dev/null
}
unit a1 factsalt
unit a2 factsalt
unit b1 salt0001
unit b2 salt0002
# The factory's keys, copied to the second unit: the same Dropbear and
# OpenSSH files, and the same TLS key in another encoding.
cp "$T/a1/etc/dropbear/dropbear_ed25519_host_key" "$T/a2/etc/dropbear/"
cp "$T/a1/etc/ssh/ssh_host_ed25519_key" "$T/a2/etc/ssh/"
openssl pkey -in "$T/a1/etc/ssl/private/server.key" -traditional \
	-out "$T/a2/etc/ssl/private/server.key"
grep -q 'BEGIN EC PRIVATE KEY' "$T/a2/etc/ssl/private/server.key" ||
	fail "openssl pkey -traditional did not write an EC PEM key"
HASH=$(cut -d: -f2 "$T/a1/etc/shadow" | head -n 1)
for u in a1 a2 b1 b2; do
	mkdir -p "$T/img/$u"
	mksquashfs "$T/$u" "$T/img/$u/fw.img" -comp xz -all-root -noappend \
		-no-progress >/dev/null
done
cp "$T/img/a1/fw.img" "$T/a1.img"
cp "$T/img/a2/fw.img" "$T/a2.img"

rc=0
"$STARLAB" firmware "$T/a1.img" "$T/a2.img" -o "$T/outa" >"$T/outa.txt" || rc=$?
[ "$rc" -eq 1 ] || fail "shared secrets: exit $rc, want 1"
rc=0
"$STARLAB" firmware "$T/img/b1/fw.img" "$T/img/b2/fw.img" -o "$T/outb" \
	>"$T/outb.txt" || rc=$?
echo "$rc" >"$T/outb.rc"
for r in outa/a1.img outa/a2.img outb/a-fw.img outb/b-fw.img; do
	[ -f "$T/$r/report.json" ] || fail "no $r/report.json"
	[ -f "$T/$r/report.txt" ] || fail "no $r/report.txt"
	python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$r/report.json"
done
grep -qF "$T/outa/a1.img/report.json" "$T/outa.txt" || fail "paths not printed"
for f in "$T"/outa/*/report.*; do
	grep -qF "${HASH#\$6\$factsalt\$}" "$f" && fail "the shared hash leaked into $f"
done

python3 - "$T/outa/a1.img/report.json" "$T/outa/a2.img/report.json" <<'PY' || fail "shared secrets"
import json, sys
for me, other in ((sys.argv[1], "a2.img"), (sys.argv[2], "a1.img")):
    r = json.load(open(me))
    name = r["subject"]["firmware"]["name"]
    got = {}
    for f in r["findings"]:
        if f["id"] in ("FW-UNIVERSAL-PASSWORD", "FW-SHARED-PRIVATE-KEY"):
            got.setdefault((f["id"], f["evidence"]["path"].split("!/")[-1]), []).append(f)
    want = {
        ("FW-UNIVERSAL-PASSWORD", "etc/shadow"),
        ("FW-UNIVERSAL-PASSWORD", "www/.htpasswd"),
        ("FW-SHARED-PRIVATE-KEY", "etc/dropbear/dropbear_ed25519_host_key"),
        ("FW-SHARED-PRIVATE-KEY", "etc/ssh/ssh_host_ed25519_key"),
        ("FW-SHARED-PRIVATE-KEY", "etc/ssl/private/server.key"),
    }
    assert set(got) == want, (me, sorted(set(got) ^ want))
    for k, fs in got.items():
        assert len(fs) == 1, (k, fs)
        f = fs[0]
        assert f["severity"] == "high", f
        assert f["evidence"]["path"].startswith(name + ":squashfs!/"), f
        assert other in f["title"] and name in f["title"], f
        assert f["requirements"] == (["S1.1-02"] if k[0] == "FW-UNIVERSAL-PASSWORD" else ["S1.1-11"]), f
    # root's hash, not admin's (per-unit salt): one shadow finding,
    # the hash masked.
    sh = got[("FW-UNIVERSAL-PASSWORD", "etc/shadow")][0]
    assert "account 'root'" in sh["title"] and "SHA-512" in sh["title"], sh
    assert sh["evidence"]["excerpt"].startswith("root:$6**"), sh["evidence"]["excerpt"]
    assert "public key sha256" in got[("FW-SHARED-PRIVATE-KEY", "etc/ssl/private/server.key")][0]["evidence"]["excerpt"]
    v = {c["id"]: c for c in r["checklist"]}
    assert "FW-UNIVERSAL-PASSWORD" in v["S1.1-02"]["findings"], v["S1.1-02"]
    assert "FW-SHARED-PRIVATE-KEY" in v["S1.1-11"]["findings"], v["S1.1-11"]
    assert v["S1.1-02"]["verdict"] == "non-conformant"
PY

python3 - "$T/outb/a-fw.img/report.json" "$T/outb/b-fw.img/report.json" <<'PY' || fail "per-unit secrets"
import json, sys
for me in sys.argv[1:]:
    r = json.load(open(me))
    ids = {f["id"] for f in r["findings"]}
    assert not ids & {"FW-UNIVERSAL-PASSWORD", "FW-SHARED-PRIVATE-KEY"}, (me, ids)
    assert "FW-PRIVATE-KEY-PLAINTEXT" in ids, ids
PY
# Per-unit secrets: only the plaintext keys break anything (S1.1-11).
[ "$(cat "$T/outb.rc")" -eq 1 ] || fail "per-unit pair: exit $(cat "$T/outb.rc"), want 1"

# Two reports on standard output, A first (two small images sharing only
# a host key, no hash to crack); one image alone compares nothing.
for u in c1 c2; do
	mkdir -p "$T/$u/etc/dropbear"
	cp "$T/a1/etc/dropbear/dropbear_ed25519_host_key" "$T/$u/etc/dropbear/"
	mksquashfs "$T/$u" "$T/$u.img" -comp xz -all-root -noappend \
		-no-progress >/dev/null
done
rc=0
"$STARLAB" firmware --format json "$T/c1.img" "$T/c2.img" >"$T/both.json" || rc=$?
[ "$rc" -eq 1 ] || fail "stdout pair: exit $rc"
"$STARLAB" firmware --format json "$T/c1.img" >"$T/one.json" || true
python3 - "$T/both.json" "$T/one.json" <<'PY' || fail "stdout"
import json, sys
text = open(sys.argv[1]).read()
d = json.JSONDecoder()
a, end = d.raw_decode(text)
b, _ = d.raw_decode(text[end:].lstrip())
assert a["subject"]["firmware"]["name"] == "c1.img", a["subject"]
assert b["subject"]["firmware"]["name"] == "c2.img", b["subject"]
for r in (a, b):
    assert [f["id"] for f in r["findings"] if f["id"].startswith("FW-SHARED")] == ["FW-SHARED-PRIVATE-KEY"], r["findings"]
one = json.load(open(sys.argv[2]))
assert not any(f["id"] in ("FW-UNIVERSAL-PASSWORD", "FW-SHARED-PRIVATE-KEY") for f in one["findings"])
PY
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/one.json"
rc=0
"$STARLAB" firmware "$T/c1.img" "$T/c2.img" "$T/c1.img" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "three images: exit $rc, want 2"
rc=0
"$STARLAB" firmware "$T/c1.img" "$T/c1.img" >/dev/null 2>"$T/same.err" || rc=$?
[ "$rc" -eq 2 ] || fail "the same image twice: exit $rc, want 2"
grep -qF "same file" "$T/same.err" || fail "same file: $(cat "$T/same.err")"
echo ok
