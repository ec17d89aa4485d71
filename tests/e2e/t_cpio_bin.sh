#!/usr/bin/env bash
# Old binary cpio, as GNU cpio writes it (-H bin: little-endian on this
# host) and big-endian, compared with the source tree; a hard link; one
# carved out of a kernel-like blob; a damaged header; and random bytes,
# where the two-byte magic turns up often, that must yield no archive.
#
# GNU cpio writes the binary format in the host's byte order only, and no
# Debian tool writes the other.  The big-endian archive is therefore made
# from the little-endian one by swapping the bytes of each 16-bit header
# word (swap_be below): that is the whole difference between the two
# (mtime and filesize are two 16-bit words, high word first, in both).
. "$(dirname "$0")/lib.sh" || exit 1
need cpio python3

mk_tree "$T/src"
ln "$T/src/etc/passwd" "$T/src/etc/passwd-hard"
(cd "$T/src" && find . | LC_ALL=C sort | cpio -o -H bin --quiet) >"$T/le.cpio" ||
	fail "cpio -H bin"
python3 - "$T/le.cpio" <<'PY' || fail "cpio -H bin did not write little-endian"
import sys
assert open(sys.argv[1], "rb").read(2) == b"\xc7\x71"
PY

swap_be() { # IN OUT
	python3 - "$1" "$2" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
at = 0
while True:
    w = struct.unpack_from("<13H", d, at)
    assert w[0] == 0o70707, hex(at)
    struct.pack_into(">13H", d, at, *w)
    ns, fs = w[10], w[11] << 16 | w[12]
    name = bytes(d[at + 26:at + 26 + ns - 1])
    at += 26 + (ns + 1) // 2 * 2 + (fs + 1) // 2 * 2
    if name == b"TRAILER!!!":
        break
open(sys.argv[2], "wb").write(d)
PY
}
swap_be "$T/le.cpio" "$T/be.cpio"

for v in le be; do
	"$STARLAB" ls --format json "$T/$v.cpio" >"$T/$v.json"
	expect_entry "$T/$v.json" "$v.cpio:cpio" container
	check_tree "$T/$v.json" "$v.cpio:cpio" "$T/src" --exact \
		--owner "$(id -u):$(id -g)"
	[ "$(json_get "$T/$v.json" 'len(j["incomplete"])')" = 0 ] ||
		fail "$v.cpio: incomplete: $(json_get "$T/$v.json" 'j["incomplete"]')"
	size=$(json_get "$T/$v.json" '[e["size"] for e in j["entries"] if e["path"]=="'"$v"'.cpio:cpio"][0]')
	[ "$size" = "$(stat -c %s "$T/$v.cpio")" ] || fail "$v.cpio size $size"
done

# Carved: after 5000 random bytes, with random bytes after it.
{ head -c 5000 /dev/urandom; cat "$T/be.cpio"; head -c 3000 /dev/urandom; } >"$T/kernel.bin"
"$STARLAB" ls --format json "$T/kernel.bin" >"$T/kernel.json"
expect_entry "$T/kernel.json" "kernel.bin@0x1388:cpio" container
check_tree "$T/kernel.json" "kernel.bin@0x1388:cpio" "$T/src" --exact

# A damaged header: etc/passwd's magic is overwritten.  It is named and
# the rest is listed.
python3 - "$T/le.cpio" "$T/bad.cpio" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = d.index(b"etc/passwd\0") - 26
assert d[at:at + 2] == b"\xc7\x71"
d[at:at + 2] = b"XX"
open(sys.argv[2], "wb").write(d)
PY
"$STARLAB" ls --format json "$T/bad.cpio" >"$T/bad.json"
expect_incomplete "$T/bad.json" "bad.cpio:cpio: damaged header at offset 0x[0-9a-f]+ .*listing resumed"
expect_entry "$T/bad.json" "bad.cpio:cpio!/www/index.html" file
expect_entry "$T/bad.json" "bad.cpio:cpio!/usr/lib/big.txt" file

# The look-alike: 32 MiB of random bytes hold about a thousand two-byte
# magics; none of them is an archive.
head -c $((32 << 20)) /dev/urandom >"$T/random.bin"
"$STARLAB" ls --format json "$T/random.bin" >"$T/random.json"
[ "$(json_get "$T/random.json" '[e["path"] for e in j["entries"] if e["type"] == "container"]')" = "[]" ] ||
	fail "random bytes taken for a container"
echo ok
