#!/usr/bin/env bash
# Arcadyan's obfuscated LZMA firmware: a squashfs root filesystem (made by
# mksquashfs) compressed by xz --format=lzma (an LZMA "alone" stream with
# an 8 MiB dictionary, as Arcadyan's are), placed 4 bytes into the image
# and scrambled as Arcadyan scrambles it.  The scrambling is done below by
# a documented few lines of Python (scramble): no Debian tool writes the
# format.  The 32 bytes at 4 (the LZMA header's block) go to 0x68 with
# each pair of bytes and each byte's nibbles swapped, and the 32 bytes at
# 0x68 go to 4 as they are.  Checked: the
# tree inside, a damaged stream, and a look-alike whose header is not
# LZMA.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs xz python3

mk_tree "$T/src"
mksquashfs "$T/src" "$T/root.sqfs" -comp gzip -noappend -quiet -no-progress \
	>/dev/null
xz --format=lzma -6 -c "$T/root.sqfs" >"$T/root.lzma"

scramble() { # IN OUT
	python3 - "$1" "$2" <<'PY'
import sys
z = open(sys.argv[1], "rb").read()
img = bytearray(b"\x01\x02\x03\x04" + z)   # 4 bytes before the stream
b1 = bytearray(img[4:36])                  # the block holding the header
b2 = bytes(img[0x68:0x88])
for i in range(0, 32, 2):                  # swap each pair of bytes
    b1[i], b1[i + 1] = b1[i + 1], b1[i]
b1 = bytes((x << 4 & 0xF0) | x >> 4 for x in b1)  # swap nibbles
img[4:36] = b2
img[0x68:0x88] = b1
assert img[0x68:0x6C] == b"\x00\xd5\x08\x00", img[0x68:0x6C].hex()
open(sys.argv[2], "wb").write(img)
PY
}
scramble "$T/root.lzma" "$T/fw.bin"

"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin:arcadyan" container
expect_entry "$T/fw.json" "fw.bin:arcadyan!/data:squashfs" container
check_tree "$T/fw.json" "fw.bin:arcadyan!/data:squashfs" "$T/src" --exact
[ "$(json_get "$T/fw.json" 'len(j["incomplete"])')" = 0 ] ||
	fail "fw.bin: incomplete: $(json_get "$T/fw.json" 'j["incomplete"]')"
[ "$(json_get "$T/fw.json" '[e["sha256"] for e in j["entries"] if e["path"] == "fw.bin:arcadyan!/data"]')" = \
	"['$(sha256sum "$T/root.sqfs" | cut -d" " -f1)']" ] || fail "fw.bin: data differs"

# Damaged: bytes in the middle of the stream are overwritten.  What
# decoded before the damage is kept and the damage is reported.
python3 - "$T/fw.bin" "$T/bad.bin" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = len(d) * 2 // 3
d[at:at + 64] = b"\x55" * 64
open(sys.argv[2], "wb").write(d)
PY
"$STARLAB" ls --format json "$T/bad.bin" >"$T/bad.json"
expect_entry "$T/bad.json" "bad.bin:arcadyan" container
expect_incomplete "$T/bad.json" 'bad.bin:arcadyan'

# The look-alike: the magic at 0x68 over bytes that unscramble to no
# LZMA header stays unopened.
python3 - "$T/fake.bin" <<'PY'
import random, sys
d = bytearray(random.Random(1).randbytes(65536))
d[0x68:0x6C] = b"\x00\xd5\x08\x00"
open(sys.argv[1], "wb").write(d)
PY
"$STARLAB" ls --format json "$T/fake.bin" >"$T/fake.json"
[ "$(json_get "$T/fake.json" '[e["path"] for e in j["entries"] if e["type"] == "container"]')" = "[]" ] ||
	fail "fake.bin taken for a container"
echo ok
