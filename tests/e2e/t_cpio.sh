#!/usr/bin/env bash
# cpio archives made by GNU cpio in newc (initramfs), crc and odc formats,
# compared with the source tree, with a hard link; an initramfs carved out
# of a kernel-like blob with data after it (its size must be exact), two
# concatenated archives, a gzip'd initramfs; a header corrupted in the
# middle (the rest is still listed) and a truncated archive.
. "$(dirname "$0")/lib.sh" || exit 1
need cpio gzip python3

mk_tree "$T/src"
ln "$T/src/bin/busybox" "$T/src/bin/busybox-hard"
me="$(id -u):$(id -g)"

mkcpio() { # FORMAT OUT [cpio options]
	local fmt=$1 out=$2
	shift 2
	(cd "$T/src" && find . | LC_ALL=C sort |
		cpio -o -H "$fmt" --quiet "$@") >"$out" || fail "cpio -H $fmt"
}

for fmt in newc crc odc; do
	mkcpio "$fmt" "$T/$fmt.cpio"
	# The archive is the whole file (trailer and 512-byte padding).
	check_archive "$T/$fmt.cpio" "$fmt.cpio:cpio" "$T/src" "$me"
done

# Owners as stored, when cpio is told to store others.
mkcpio newc "$T/own.cpio" -R 1234:5678
"$STARLAB" ls --format json "$T/own.cpio" >"$T/own.json"
check_tree "$T/own.json" "own.cpio:cpio" "$T/src" --exact --owner 1234:5678

# An initramfs appended to a kernel and followed by other data: the
# archive is carved at its offset and ends exactly where it ends.
cp "$T/newc.cpio" "$T/initramfs.cpio"
csize=$(stat -c %s "$T/initramfs.cpio")
{ head -c 8192 /dev/urandom; cat "$T/initramfs.cpio"; head -c 3000 /dev/urandom; } >"$T/kernel.bin"
"$STARLAB" ls --format json "$T/kernel.bin" >"$T/kernel.json"
expect_entry "$T/kernel.json" "kernel.bin@0x2000:cpio" container
check_tree "$T/kernel.json" "kernel.bin@0x2000:cpio" "$T/src" --exact
size=$(json_get "$T/kernel.json" '[e["size"] for e in j["entries"] if e["path"]=="kernel.bin@0x2000:cpio"][0]')
[ "$size" = "$csize" ] || fail "carved cpio size $size, want $csize"
expect_entry "$T/kernel.json" "$(printf 'kernel.bin@0x%x' $((8192 + csize)))" region

# Two archives back to back, as an early microcode cpio before the main
# initramfs: both are found.
mkdir -p "$T/early/kernel/x86/microcode"
printf 'ucode' >"$T/early/kernel/x86/microcode/GenuineIntel.bin"
(cd "$T/early" && find . | cpio -o -H newc --quiet) >"$T/both.cpio"
esize=$(stat -c %s "$T/both.cpio")
cat "$T/newc.cpio" >>"$T/both.cpio"
"$STARLAB" ls --format json "$T/both.cpio" >"$T/both.json"
expect_entry "$T/both.json" "both.cpio:cpio!/kernel/x86/microcode/GenuineIntel.bin" file
check_tree "$T/both.json" "$(printf 'both.cpio@0x%x:cpio' "$esize")" "$T/src" --exact

# A gzip'd initramfs, as most kernels and bootloaders take it.
gzip -9 -c "$T/newc.cpio" >"$T/initrd.img"
"$STARLAB" ls --format json "$T/initrd.img" >"$T/initrd.json"
expect_entry "$T/initrd.json" "initrd.img:gzip!/data:cpio!/etc/passwd" file
check_tree "$T/initrd.json" "initrd.img:gzip!/data:cpio" "$T/src" --exact

# A damaged header in the middle: that entry is lost, the place is named,
# and everything after it is still listed.
off=$(python3 - "$T/newc.cpio" "$T/bad.cpio" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = d.index(b"etc/passwd\0") - 110
assert d[at:at + 6] == b"070701"
d[at:at + 6] = b"0X0Y01"
open(sys.argv[2], "wb").write(d)
print("0x%x" % at)
PY
)
"$STARLAB" ls --format json "$T/bad.cpio" >"$T/bad.json" ||
	fail "starlab ls on the damaged archive"
expect_incomplete "$T/bad.json" "bad.cpio:cpio: damaged header at offset $off .*listing resumed"
cp -a "$T/src" "$T/src-bad"
rm "$T/src-bad/etc/passwd"
check_tree "$T/bad.json" "bad.cpio:cpio" "$T/src-bad" --exact

# Truncated in the middle of a file's content: what precedes is listed,
# the cut is named.
head -c 200000 "$T/newc.cpio" >"$T/cut.cpio"
"$STARLAB" ls --format json "$T/cut.cpio" >"$T/cut.json" ||
	fail "starlab ls on the truncated archive"
expect_entry "$T/cut.json" "cut.cpio:cpio" container
expect_entry "$T/cut.json" "cut.cpio:cpio!/bin/busybox" file
expect_incomplete "$T/cut.json" 'cut.cpio:cpio: archive truncated at offset 0x30d40: .* \(header at 0x[0-9a-f]+\)'
# Cut inside a header: still no crash, still listed up to it.
head -c 1000 "$T/newc.cpio" >"$T/cut2.cpio"
"$STARLAB" ls --format json "$T/cut2.cpio" >"$T/cut2.json"
expect_entry "$T/cut2.json" "cut2.cpio:cpio!/bin" dir
expect_incomplete "$T/cut2.json" 'cut2.cpio:cpio: damaged header at offset 0x[0-9a-f]+ .*no valid header follows'
echo ok
