#!/usr/bin/env bash
# zip archives made by Info-ZIP zip (deflated, stored, bzip2; symlinks kept
# as links with -y; modes and owners from the Unix extra fields) and by
# Python's zipfile (lzma), compared with the source tree; a streamed entry
# with a data descriptor; a zip carved out of a blob (exact size) and a
# stored zip inside a zip; a zip without its central directory, a
# corrupted deflate stream and a zip bomb.
. "$(dirname "$0")/lib.sh" || exit 1
need zip python3

mk_tree "$T/src"
me="$(id -u):$(id -g)"

mkzip() { # OUT [zip options]
	local out=$1
	shift
	(cd "$T/src" && zip -qry "$@" "$out" .) || fail "zip $*"
}

for kind in deflate stored bzip2; do
	case $kind in
	deflate) mkzip "$T/$kind.zip" ;;
	stored) mkzip "$T/$kind.zip" -0 ;;
	bzip2) mkzip "$T/$kind.zip" -Z bzip2 ;;
	esac
	"$STARLAB" ls --format json "$T/$kind.zip" >"$T/$kind.json" ||
		fail "starlab ls on the $kind zip"
	expect_entry "$T/$kind.json" "$kind.zip:zip" container
	check_tree "$T/$kind.json" "$kind.zip:zip" "$T/src" --exact --owner "$me"
	n=$(json_get "$T/$kind.json" 'len(j["incomplete"])')
	[ "$n" = 0 ] || fail "$kind zip: unexpected incomplete reasons"
	size=$(json_get "$T/$kind.json" '[e["size"] for e in j["entries"] if e["path"]=="'"$kind"'.zip:zip"][0]')
	[ "$size" = "$(stat -c %s "$T/$kind.zip")" ] || fail "$kind size $size"
done

# Python's zipfile, lzma-compressed, with a UTF-8 name (listed as such
# whatever the locale); and a member streamed from stdin,
# whose sizes follow its data in a data descriptor.
python3 - "$T/src" "$T/lzma.zip" <<'PY'
import sys, zipfile
src, out = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_LZMA) as z:
    z.write(src + "/usr/lib/big.txt", "big.txt")
    z.write(src + "/usr/lib/libfake.so", "lib/libfake.so")
    z.writestr("na\u00efve/\u00fc.txt", "utf-8 names\n") # flagged UTF-8
PY
"$STARLAB" ls --format json "$T/lzma.zip" >"$T/lzma.json"
expect_entry "$T/lzma.json" "lzma.zip:zip!/na$(printf '\303\257')ve/$(printf '\303\274').txt" file
for f in big.txt:usr/lib/big.txt lib/libfake.so:usr/lib/libfake.so; do
	got=$(json_get "$T/lzma.json" '[e["sha256"] for e in j["entries"] if e["path"]=="lzma.zip:zip!/'"${f%%:*}"'"][0]')
	[ "$got" = "$(sha256sum <"$T/src/${f#*:}" | cut -d' ' -f1)" ] ||
		fail "lzma zip: ${f%%:*} sha256"
done
cat "$T/src/usr/lib/big.txt" | zip -q - - >"$T/stream.zip"
"$STARLAB" ls --format json "$T/stream.zip" >"$T/stream.json"
got=$(json_get "$T/stream.json" '[e["sha256"] for e in j["entries"] if e["path"]=="stream.zip:zip!/-"][0]')
[ "$got" = "$(sha256sum <"$T/src/usr/lib/big.txt" | cut -d' ' -f1)" ] ||
	fail "streamed zip member sha256"

# Carved out of a blob, with data after it: exact size.
zsize=$(stat -c %s "$T/deflate.zip")
{ head -c 5000 /dev/urandom; cat "$T/deflate.zip"; head -c 2000 /dev/urandom; } >"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x1388:zip" container
check_tree "$T/fw.json" "fw.bin@0x1388:zip" "$T/src" --exact
expect_entry "$T/fw.json" "$(printf 'fw.bin@0x%x' $((5000 + zsize)))" region

# A stored zip inside a zip: the inner end record must not end the outer
# archive early, and the inner one is opened as a file of the outer.
mkdir "$T/outer"
cp "$T/deflate.zip" "$T/outer/inner.zip"
printf 'after the inner zip\n' >"$T/outer/zz-after.txt"
(cd "$T/outer" && zip -q0 "$T/outer.zip" inner.zip zz-after.txt)
"$STARLAB" ls --format json "$T/outer.zip" >"$T/outer.json"
size=$(json_get "$T/outer.json" '[e["size"] for e in j["entries"] if e["path"]=="outer.zip:zip"][0]')
[ "$size" = "$(stat -c %s "$T/outer.zip")" ] || fail "outer zip size $size"
expect_entry "$T/outer.json" "outer.zip:zip!/zz-after.txt" file
check_tree "$T/outer.json" "outer.zip:zip!/inner.zip:zip" "$T/src" --exact

# The central directory cut off: entries are listed from the local
# headers, and the missing directory is named.
python3 - "$T/deflate.zip" "$T/nocd.zip" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d[:d.index(b"PK\x01\x02")])
PY
"$STARLAB" ls --format json "$T/nocd.zip" >"$T/nocd.json" ||
	fail "starlab ls on the zip without central directory"
expect_incomplete "$T/nocd.json" 'nocd.zip:zip: no end of central directory record'
check_tree "$T/nocd.json" "nocd.zip:zip" "$T/src" --no-mode --no-symlinks

# One member's deflate stream corrupted: that file is named, the others
# are read.
python3 - "$T/deflate.zip" "$T/bad.zip" <<'PY'
import struct, sys, zipfile
d = bytearray(open(sys.argv[1], "rb").read())
i = zipfile.ZipFile(sys.argv[1]).getinfo("usr/lib/big.txt")
h = i.header_offset
n, m = struct.unpack("<HH", d[h + 26:h + 30])
at = h + 30 + n + m + i.compress_size // 2
for k in range(64):
    d[at + k] ^= 0x5a
open(sys.argv[2], "wb").write(d)
PY
"$STARLAB" ls --format json "$T/bad.zip" >"$T/bad.json" ||
	fail "starlab ls on the corrupted zip"
expect_incomplete "$T/bad.json" 'bad.zip:zip!/usr/lib/big.txt: content could not be read'
got=$(json_get "$T/bad.json" '[e.get("sha256") for e in j["entries"] if e["path"]=="bad.zip:zip!/etc/passwd"][0]')
[ "$got" = "$(sha256sum <"$T/src/etc/passwd" | cut -d' ' -f1)" ] ||
	fail "corrupted zip: other members unreadable"

# A bomb: 100 MB of zeros deflate about 1000:1.
head -c 100M /dev/zero >"$T/zeros"
(cd "$T" && zip -q bomb.zip zeros)
rm "$T/zeros"
"$STARLAB" ls --format json "$T/bomb.zip" >"$T/bomb.json"
expect_incomplete "$T/bomb.json" 'bomb.zip:zip!/zeros: compression ratio over 250:1'
# With TZ unset (servers, containers), every time conversion libarchive
# makes per zip entry (mktime) would make glibc stat /etc/localtime again
# under a lock all threads share; starlab pins the zone once at start.
# Counted in system calls, not seconds: 2000 entries, a handful of stats.
mkdir -p "$T/many"
for i in $(seq 1 2000); do echo "$i" >"$T/many/f$i"; done
(cd "$T" && zip -qr many.zip many)
if command -v strace >/dev/null; then
	# LeakSanitizer cannot stop the world under strace's ptrace.
	env -u TZ ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=stat,newfstatat,openat -o "$T/tz.trace" \
		"$STARLAB" ls "$T/many.zip" >"$T/many.txt" ||
		fail "starlab ls on a 2000-entry zip"
	n=$(grep -c '/etc/localtime' "$T/tz.trace" || true)
	[ "$n" -le 5 ] || fail "2000 zip entries: /etc/localtime looked up $n times (time zone not pinned)"
	grep -q 'many.zip:zip!/many/f2000' "$T/many.txt" || fail "2000-entry zip not listed"
fi
echo ok
