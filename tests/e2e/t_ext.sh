#!/usr/bin/env bash
# ext2, ext3 and ext4 images built with mke2fs -d from the reference tree
# (plus a hard link, a slow symlink and large owner ids), with 1 KiB and
# 4 KiB blocks and with inline data; one carved out of a larger blob; and
# damaged ones (zeroed inode-table block, truncation, bad superblock).
. "$(dirname "$0")/lib.sh" || exit 1
need mke2fs debugfs python3

src=$T/src
mk_tree "$src"
ln "$src/etc/passwd" "$src/etc/passwd-hardlink"
long=$(printf 'x%.0s' {1..100})/target
ln -s "$long" "$src/usr/lib/long-link"
root=0
[ "$(id -u)" = 0 ] && root=1
if [ $root = 1 ]; then
	# Ids above 65535 use the inode's high 16-bit halves.
	printf 'owned\n' >"$src/etc/owned"
	chown 70000:70001 "$src/etc/owned"
fi

# The image has a lost+found the source lacks: compare with a copy of the
# source that has one, as mke2fs makes it.
exp=$T/expect
cp -a "$src" "$exp"
mkdir -m 0700 "$exp/lost+found"

owner_opts=()
[ $root = 1 ] || owner_opts=(--no-owner)

check_image() { # IMAGE PREFIX
	local img=$1 prefix=$2 js=$1.json
	"$STARLAB" ls --format json "$img" >"$js"
	expect_entry "$js" "$prefix" container
	if [ $root = 1 ]; then
		# Everything is root's but the one file chowned above.
		python3 - "$js" "$prefix" <<'PY' || fail "$img: owners"
import json, sys
j = json.load(open(sys.argv[1]))
p = sys.argv[2] + "!/"
bad = [e["path"] for e in j["entries"] if e["path"].startswith(p) and
       (e["uid"], e["gid"]) != ((70000, 70001) if e["path"] == p + "etc/owned"
                                else (0, 0))]
sys.exit(1 if bad else 0)
PY
	fi
	check_tree "$js" "$prefix" "$exp" --exact
	# No entry of a sound image is incomplete.
	[ "$(json_get "$js" 'len(j["incomplete"])')" = 0 ] ||
		fail "$img: incomplete: $(json_get "$js" 'j["incomplete"]')"
	# The hard link is listed once as a file and once as a link to it.
	[ "$(json_get "$js" 'sorted(e["type"] for e in j["entries"] if e["path"].split("!/")[-1] in ("etc/passwd", "etc/passwd-hardlink"))')" = "['file', 'hardlink']" ] ||
		fail "$img: hard link not detected"
}

for t in ext2 ext3 ext4; do
	for b in 1024 4096; do
		img=$T/$t-$b.img
		mke2fs -q -F -t "$t" -b "$b" -d "$src" "$img" 8M >/dev/null
		check_image "$img" "$t-$b.img:ext"
	done
done

# ext4 with small files and directories stored inside their inodes.
img=$T/inline.img
mke2fs -q -F -t ext4 -O inline_data -I 512 -d "$src" "$img" 8M >/dev/null
# Check that the small files really are inline.
debugfs -R "stat /etc/passwd" "$img" 2>/dev/null | grep -q "Size of inline data" ||
	fail "inline.img: /etc/passwd is not stored inline"
check_image "$img" "inline.img:ext"

# Carved: an ext2 image after 4 KiB of random bytes, with trailing bytes.
head -c 4096 /dev/urandom >"$T/fw.bin"
cat "$T/ext2-1024.img" >>"$T/fw.bin"
head -c 3000 /dev/urandom >>"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x1000:ext" container
check_tree "$T/fw.json" "fw.bin@0x1000:ext" "$exp" --exact
expect_entry "$T/fw.json" "fw.bin@0x801000" region

# Damaged: the inode-table block holding /etc/passwd is zeroed.  The rest
# is listed; the entries whose inodes were in that block are reported
# with inode number and path.
img=$T/ext4-1024.img
cp "$img" "$T/zeroed.img"
loc=$(debugfs -R "imap /etc/passwd" "$img" 2>/dev/null |
	sed -n 's/.*located at block \([0-9]*\),.*/\1/p')
[ -n "$loc" ] || fail "debugfs imap gave no block"
dd if=/dev/zero of="$T/zeroed.img" bs=1024 seek="$loc" count=1 \
	conv=notrunc status=none
"$STARLAB" ls --format json "$T/zeroed.img" >"$T/zeroed.json"
expect_entry "$T/zeroed.json" "zeroed.img:ext" container
expect_incomplete "$T/zeroed.json" \
	'zeroed.img:ext: inode [0-9]+ \("etc/passwd"\) is unused or zeroed'
expect_entry "$T/zeroed.json" "zeroed.img:ext!/usr/lib/big.txt" file
python3 - "$T/zeroed.json" <<'PY' || fail "zeroed image: too little listed"
import json, sys
j = json.load(open(sys.argv[1]))
n = sum(1 for e in j["entries"] if e["path"].startswith("zeroed.img:ext!/"))
sys.exit(0 if n >= 15 else 1)
PY

# Damaged: the image is cut in half.  The superblock survives; what lies
# past the cut is reported, not read.
head -c 4M "$T/ext4-4096.img" >"$T/cut.img"
"$STARLAB" ls --format json "$T/cut.img" >"$T/cut.json"
expect_entry "$T/cut.json" "cut.img:ext" container
expect_incomplete "$T/cut.json" 'cut.img:ext: filesystem of 2048 blocks .* cut short'

# Damaged: the root directory's inode is zeroed: nothing below it can be
# listed, and the reason names the root.
cp "$T/ext2-4096.img" "$T/noroot.img"
loc=$(debugfs -R "imap <2>" "$T/ext2-4096.img" 2>/dev/null |
	sed -n 's/.*located at block \([0-9]*\), offset \(0x[0-9a-f]*\).*/\1 \2/p')
set -- $loc
python3 - "$T/noroot.img" "$1" "$2" <<'PY'
import sys
f = open(sys.argv[1], "r+b")
f.seek(int(sys.argv[2]) * 4096 + int(sys.argv[3], 16))
f.write(b"\0" * 128)
PY
"$STARLAB" ls --format json "$T/noroot.img" >"$T/noroot.json"
expect_entry "$T/noroot.json" "noroot.img:ext" container
expect_incomplete "$T/noroot.json" 'noroot.img:ext: directory "/" \(inode 2\)'

# Damaged: the group descriptors are overwritten.  libext2fs opens the
# filesystem read-only without checking them; the first inode read fails
# and names the root directory.
cp "$T/ext2-4096.img" "$T/badgd.img"
python3 - "$T/badgd.img" <<'PY'
f = open(__import__("sys").argv[1], "r+b")
f.seek(4096)
f.write(b"\xff" * 4096)
PY
"$STARLAB" ls --format json "$T/badgd.img" >"$T/badgd.json"
expect_entry "$T/badgd.json" "badgd.img:ext" container
expect_incomplete "$T/badgd.json" \
	'badgd.img:ext: directory "/" \(inode 2\): Corrupt group descriptor'

# Not ext: a superblock that passes the bid but not libext2fs (inodes per
# group out of range) is refused with a reason; its bytes become a region.
cp "$T/ext2-4096.img" "$T/badsb.img"
python3 - "$T/badsb.img" <<'PY'
f = open(__import__("sys").argv[1], "r+b")
f.seek(1024 + 0x28)
f.write(b"\xff\xff\xff\xff")
PY
"$STARLAB" ls --format json "$T/badsb.img" >"$T/badsb.json"
expect_incomplete "$T/badsb.json" 'badsb.img:ext: not opened as ext2/3/4: '
expect_entry "$T/badsb.json" "badsb.img@0x0" region
echo ok
