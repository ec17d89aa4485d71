#!/usr/bin/env bash
# tar archives made by GNU tar in its gnu, ustar and pax formats (long
# names, a UTF-8 name, a hard link, owners), compared with the source tree; a .tar.gz;
# a tar carved out of a blob (exact size); a truncated archive and a
# damaged header in the middle; hostile names ("../..", "/abs", a file
# under a symlink to /tmp) listed safely and never written outside the
# unpack directory.
. "$(dirname "$0")/lib.sh" || exit 1
need tar gzip python3

mk_tree "$T/src"
ln "$T/src/bin/busybox" "$T/src/bin/busybox-hard"
long="$T/src/usr/share/a-directory-name-long-enough-to-need-extensions"
mkdir -p "$long/and-another-level-so-the-path-exceeds-one-hundred-bytes"
printf 'deep\n' >"$long/and-another-level-so-the-path-exceeds-one-hundred-bytes/file-with-a-long-name.txt"
ln -s "../and-a-symlink-target-that-is-itself-longer-than-one-hundred-bytes/for-the-linkname-field-to-overflow.txt" "$long/long-link"
printf 'utf-8 name\n' >"$T/src/usr/share/caf$(printf '\303\251').txt"
find "$T/src" -type d -exec chmod 0755 {} +
chmod 0700 "$T/src/var/empty"
me="$(id -u):$(id -g)"

for fmt in gnu pax; do
	tar -C "$T/src" --format="$fmt" -cf "$T/$fmt.tar" . || fail "tar $fmt"
	check_archive "$T/$fmt.tar" "$fmt.tar:tar" "$T/src" "$me"
done
# ustar, which cannot hold the long link; owners stored as given.
tar -C "$T/src" --format=ustar --exclude=./usr/share -cf "$T/ustar.tar" \
	--owner=1234 --group=5678 --numeric-owner .
"$STARLAB" ls --format json "$T/ustar.tar" >"$T/ustar.json"
rm -rf "$T/src-short"
cp -a "$T/src" "$T/src-short"
rm -rf "$T/src-short/usr/share"
check_tree "$T/ustar.json" "ustar.tar:tar" "$T/src-short" --exact --owner 1234:5678

# A .tar.gz is a gzip stream whose payload the tar reader opens.
tar -C "$T/src" -czf "$T/img.tar.gz" .
"$STARLAB" ls --format json "$T/img.tar.gz" >"$T/tgz.json"
expect_entry "$T/tgz.json" "img.tar.gz:gzip!/data:tar!/etc/passwd" file
check_tree "$T/tgz.json" "img.tar.gz:gzip!/data:tar" "$T/src" --exact

# Carved out of a blob: exact size, so the data after it is a region.
tsize=$(stat -c %s "$T/gnu.tar")
{ head -c 4096 /dev/urandom; cat "$T/gnu.tar"; head -c 1000 /dev/urandom; } >"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x1000:tar" container
check_tree "$T/fw.json" "fw.bin@0x1000:tar" "$T/src" --exact
expect_entry "$T/fw.json" "$(printf 'fw.bin@0x%x' $((4096 + tsize)))" region

# Truncated in the middle of a file: what precedes is listed, the cut is
# named with its offset.
(cd "$T/src" && tar --format=gnu --sort=name -cf "$T/order.tar" bin etc usr/lib www)
head -c 150000 "$T/order.tar" >"$T/cut.tar"
"$STARLAB" ls --format json "$T/cut.tar" >"$T/cut.json" ||
	fail "starlab ls on the truncated archive"
expect_entry "$T/cut.json" "cut.tar:tar!/etc/passwd" file
expect_entry "$T/cut.json" "cut.tar:tar!/bin/busybox" file
expect_incomplete "$T/cut.json" 'cut.tar:tar: archive truncated at offset 0x249f0: "usr/lib/[a-z.]+" \(header at 0x[0-9a-f]+\)'
head -c 2600 "$T/order.tar" >"$T/cut2.tar"
"$STARLAB" ls --format json "$T/cut2.tar" >"$T/cut2.json"
expect_entry "$T/cut2.json" "cut2.tar:tar!/bin/busybox" file
expect_incomplete "$T/cut2.json" 'cut2.tar:tar: damaged header at offset 0x[0-9a-f]+ .*no valid header follows'

# A header damaged in the middle: its entry is lost, the place is named,
# the entries after it are listed.
off=$(python3 - "$T/gnu.tar" "$T/bad.tar" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = d.index(b"./etc/passwd\0")
assert at % 512 == 0
d[at + 100] ^= 0x01 # a mode digit: the checksum no longer matches
open(sys.argv[2], "wb").write(d)
print("0x%x" % at)
PY
)
"$STARLAB" ls --format json "$T/bad.tar" >"$T/bad.json"
expect_incomplete "$T/bad.json" "bad.tar:tar: damaged header at offset $off .*listing resumed"
cp -a "$T/src" "$T/src-bad"
rm "$T/src-bad/etc/passwd"
check_tree "$T/bad.json" "bad.tar:tar" "$T/src-bad" --exact

# Hostile names.  "../.." is refused, "/abs/path" is listed as
# "abs/path", and "link/pwned" (under a symlink to /tmp) is listed but
# never written through the link.
tag="starlab-e2e-$$-$RANDOM"
python3 - "$T/trav.tar" "$tag" <<'PY'
import io, sys, tarfile
tag = sys.argv[2]
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as t:
    def add(name, data=b"x\n", **kw):
        i = tarfile.TarInfo(name)
        for k, v in kw.items():
            setattr(i, k, v)
        if i.type == tarfile.REGTYPE:
            i.size = len(data)
            t.addfile(i, io.BytesIO(data))
        else:
            t.addfile(i)
    add("../../" + tag + "-evil", b"evil\n")
    add("/abs/path", b"absolute\n")
    add("link", type=tarfile.SYMTYPE, linkname="/tmp")
    add("link/" + tag + "-pwned", b"pwned\n")
    add("ok.txt", b"fine\n")
PY
"$STARLAB" ls --format json "$T/trav.tar" >"$T/trav.json"
expect_entry "$T/trav.json" "trav.tar:tar!/abs/path" file
expect_entry "$T/trav.json" "trav.tar:tar!/link" symlink
expect_entry "$T/trav.json" "trav.tar:tar!/ok.txt" file
expect_incomplete "$T/trav.json" "trav.tar:tar: entry \"\\.\\./\\.\\./$tag-evil\" refused"
n=$(json_get "$T/trav.json" 'sum("evil" in e["path"] for e in j["entries"])')
[ "$n" = 0 ] || fail "the ../.. entry is listed"
mkdir "$T/out"
"$STARLAB" unpack "$T/trav.tar" -o "$T/out" >/dev/null 2>&1 || true
[ -f "$T/out/trav.tar.tar/abs/path" ] || fail "abs/path not unpacked in place"
[ -f "$T/out/trav.tar.tar/ok.txt" ] || fail "ok.txt not unpacked"
[ -L "$T/out/trav.tar.tar/link" ] || fail "link not unpacked as a link"
for p in "/tmp/$tag-pwned" "/tmp/$tag-evil" "$T/$tag-evil" "/$tag-evil" \
	"/abs/path"; do
	[ ! -e "$p" ] || fail "written outside the unpack directory: $p"
done
n=$(find "$T" -path "$T/out" -prune -o -newer "$T/trav.json" -print | grep -cv "^$T\$" || true)
[ "$n" = 0 ] || fail "files written outside $T/out"
echo ok
