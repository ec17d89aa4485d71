#!/usr/bin/env bash
# Names from an image, a device or the command line are escaped for their
# channel (issue 13):
#   - terminal (starlab ls, the text report, messages): no control byte,
#     no byte that is not UTF-8; \xNN instead;
#   - JSON, SARIF, CycloneDX: valid UTF-8 and valid JSON; a path or image
#     name that is not UTF-8 keeps its original bytes in *_hex;
#   - Markdown: no raw control byte.
# Images are built by mksquashfs and tar with ESC/OSC sequences, C1
# controls and bytes that are not UTF-8 in file names; the image's own
# file name is not UTF-8 either.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs tar python3

OSC=$(printf '\033]0;PWNED\007')
CSI=$(printf '\033[31m')
BAD=$(printf '\377\376')
C1=$(printf '\302\233')
R=$T/root
mkdir -p "$R/etc" "$R/bin"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf '#!/bin/sh\n' >"$R/bin/sh"
# A secret in a file whose name sets the terminal title: the finding's
# location line carries the name.
printf 'aws_access_key_id=AKIAQ3EGUHLOWKIDPLGT\naws_secret_access_key=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\n' \
	>"$R/etc/cred${OSC}x"
printf 'x' >"$R/etc/red${CSI}name"
printf 'y' >"$R/etc/bad${BAD}name"
printf 'z' >"$R/etc/c1${C1}31m"
IMG="$T/img${BAD}.sq"
mksquashfs "$R" "$IMG" -comp gzip -all-root -noappend -no-progress >/dev/null
TAR="$T/t${OSC}.tar"
tar -C "$R" -cf "$TAR" .

# no_raw FILE WHAT [json]: no ESC, BEL or invalid UTF-8 byte in FILE;
# outside JSON (where U+0080..U+009F are valid characters of a string)
# no C1 control either.
no_raw() {
	python3 - "$1" "${3:-}" <<'PY' || fail "$2: raw control or non-UTF-8 bytes"
import sys
b = open(sys.argv[1], "rb").read()
assert b"\x1b" not in b and b"\x07" not in b, "ESC or BEL"
t = b.decode("utf-8")            # raises on bytes that are not UTF-8
if sys.argv[2] != "json":
    assert not any(0x80 <= ord(c) <= 0x9f for c in t), "C1 control"
PY
}

for img in "$IMG" "$TAR"; do
	rc=0
	"$STARLAB" ls "$img" >"$T/ls.txt" 2>"$T/ls.err" || rc=$?
	[ "$rc" = 0 ] || fail "ls: exit $rc: $(cat "$T/ls.err")"
	no_raw "$T/ls.txt" "ls $img"
	no_raw "$T/ls.err" "ls $img (stderr)"
	grep -qF 'etc/cred\x1b]0;PWNED\x07x' "$T/ls.txt" || fail "ls: OSC name not shown as \\xNN"
	grep -qF 'etc/red\x1b[31mname' "$T/ls.txt" || fail "ls: CSI name"
	grep -qF 'etc/bad\xff\xfename' "$T/ls.txt" || fail "ls: non-UTF-8 name"
	grep -qF 'etc/c1\xc2\x9b31m' "$T/ls.txt" || fail "ls: C1 name"
	"$STARLAB" ls --format json "$img" >"$T/ls.json"
	no_raw "$T/ls.json" "ls --format json" json
	python3 - "$T/ls.json" "$img" <<'PY' || fail "ls json: original bytes"
import json, os, sys
j = json.load(open(sys.argv[1]))
img_utf8 = os.path.basename(os.fsencode(sys.argv[2])).isascii()
es = j["entries"]
bad = [e for e in es if e["path"].endswith("etc/bad\\xff\\xfename")]
assert len(bad) == 1, [e["path"] for e in es]
assert bytes.fromhex(bad[0]["path_hex"]).endswith(b"etc/bad\xff\xfename"), bad[0]
# Valid UTF-8 names carry no _hex field; control characters stay as they
# are in the JSON string (the encoder escapes them).
osc = [e for e in es if e["path"].endswith("etc/cred\x1b]0;PWNED\x07x")]
assert len(osc) == 1, osc
assert ("path_hex" in osc[0]) == (not img_utf8), osc
PY
done

# Every report format on the image whose own name is not UTF-8.
for f in text json md sarif cyclonedx; do
	rc=0
	"$STARLAB" firmware --format $f "$IMG" >"$T/r.$f" 2>"$T/r.$f.err" || rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "$f: exit $rc: $(cat "$T/r.$f.err")"
	[ -s "$T/r.$f" ] || fail "$f: empty report"
	case $f in
	json | sarif | cyclonedx) no_raw "$T/r.$f" "report $f" json ;;
	*) no_raw "$T/r.$f" "report $f" ;;
	esac
done
grep -qF 'img\xff\xfe.sq' "$T/r.text" || fail "text: image name not escaped"
grep -qF 'etc/cred\x1b]0;PWNED\x07x' "$T/r.text" || fail "text: finding location not escaped"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/r.json" >/dev/null
python3 - "$T/r.json" "$T/r.sarif" "$T/r.cyclonedx" <<'PY' || fail "JSON reports"
import json, sys
r = json.load(open(sys.argv[1]))
fw = r["subject"]["firmware"]
assert fw["name"] == "img\\xff\\xfe.sq", fw
assert bytes.fromhex(fw["name_hex"]) == b"img\xff\xfe.sq", fw
paths = [f["evidence"].get("path", "") for f in r["findings"]]
assert any("etc/cred\x1b]0;PWNED\x07x" in p for p in paths), paths
json.load(open(sys.argv[2]))
c = json.load(open(sys.argv[3]))
assert c["metadata"]["component"]["name"] == "img\\xff\\xfe.sq", c["metadata"]
PY
# The Markdown report shows the bytes as \xNN, never raw.
grep -qF 'xff' "$T/r.md" || fail "md: image name"

# -o with every format written; the paths printed are escaped too.
rc=0
"$STARLAB" firmware -o "$T/out${OSC}" "$IMG" >"$T/o.txt" 2>"$T/o.err" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "-o: exit $rc: $(cat "$T/o.err")"
[ "$(ls "$T/out${OSC}" | wc -l)" = 5 ] || fail "-o: not five files"
no_raw "$T/o.txt" "-o: the paths printed"
grep -qF 'out\x1b]0;PWNED\x07/report.json' "$T/o.txt" || fail "-o: $(cat -v "$T/o.txt")"

# unpack's incomplete lines name the entries: a file over --max-file.
rc=0
"$STARLAB" unpack --max-file 10 "$IMG" -o "$T/un" >/dev/null 2>"$T/un.err" || rc=$?
[ "$rc" = 0 ] || fail "unpack: exit $rc: $(cat "$T/un.err")"
no_raw "$T/un.err" "unpack (stderr)"
grep -qF 'etc/cred\x1b]0;PWNED\x07x' "$T/un.err" || fail "unpack: $(cat -v "$T/un.err")"

# ls's notes quote headers: a uImage named with an OSC sequence.
python3 - "$T/esc.uimg" <<'PY'
import struct, sys, zlib
data = b"kernel" * 100
name = b"\x1b]0;PWNED\x07\x1b[31mred"
h = struct.pack(">7I4B32s", 0x27051956, 0, 0, len(data), 0, 0,
                zlib.crc32(data), 5, 2, 2, 0, name)
h = h[:4] + struct.pack(">I", zlib.crc32(h)) + h[8:]
open(sys.argv[1], "wb").write(h + data)
PY
"$STARLAB" ls "$T/esc.uimg" >"$T/u.txt" 2>&1 || fail "ls uImage: $(cat "$T/u.txt")"
no_raw "$T/u.txt" "ls: a uImage's name in its note"
grep -q 'esc.uimg:uimage!/' "$T/u.txt" || fail "ls uImage: not read: $(cat -v "$T/u.txt")"

# Messages: a missing image whose name holds an OSC sequence.
rc=0
"$STARLAB" ls "$T/missing${OSC}${BAD}" >/dev/null 2>"$T/m.err" || rc=$?
[ "$rc" = 3 ] || fail "missing image: exit $rc"
no_raw "$T/m.err" "message"
grep -qF 'missing\x1b]0;PWNED\x07\xff\xfe' "$T/m.err" || fail "message: $(cat "$T/m.err")"
echo ok
