#!/usr/bin/env bash
# romfs images built by genromfs from the reference tree (with a hard link
# and, as root, device nodes), compared with the source tree; one carved
# out of a blob; a damaged header and a truncated image.
. "$(dirname "$0")/lib.sh" || exit 1
need genromfs python3

src=$T/src
mk_tree "$src"
ln "$src/etc/passwd" "$src/etc/passwd-hard"
if [ "$(id -u)" = 0 ]; then
	mkdir "$src/dev"
	chmod 0755 "$src/dev"
	mknod "$src/dev/console" c 5 1
	mknod "$src/dev/mtdblock0" b 31 0
	mkfifo "$src/dev/initctl"
fi

genromfs -f "$T/r.img" -d "$src" -V starlab-test
"$STARLAB" ls --format json "$T/r.img" >"$T/r.json"
expect_entry "$T/r.json" "r.img:romfs" container
# romfs keeps no owner and only the executable bit of the mode.
if [ "$(id -u)" = 0 ]; then
	# tree_compare.py knows files, directories and links; the devices
	# are checked below.
	mv "$src/dev" "$T/dev"
fi
python3 "$SL_SRC/tests/e2e/tree_compare.py" "$T/r.json" "r.img:romfs" \
	"$src" --no-mode --owner 0:0 >/dev/null || fail "r.img: tree differs"
[ "$(json_get "$T/r.json" 'len(j["incomplete"])')" = 0 ] ||
	fail "r.img: incomplete: $(json_get "$T/r.json" 'j["incomplete"]')"
[ "$(json_get "$T/r.json" 'sorted((e["path"].split("!/")[1], e["mode"]) for e in j["entries"] if e["path"].split("!/")[-1] in ("etc/init.d/rcS", "www/index.html", "etc/passwd-hard"))')" = \
	"[('etc/init.d/rcS', '0755'), ('etc/passwd-hard', '0644'), ('www/index.html', '0644')]" ] ||
	fail "r.img: modes"
if [ "$(id -u)" = 0 ]; then
	[ "$(json_get "$T/r.json" 'sorted((e["path"].split("!/")[1], e["type"]) for e in j["entries"] if "!/dev/" in e["path"])')" = \
		"[('dev/console', 'chardev'), ('dev/initctl', 'fifo'), ('dev/mtdblock0', 'blockdev')]" ] ||
		fail "r.img: device nodes"
fi
# full_size: genromfs pads the file further.
size=$(python3 -c 'import struct,sys; print(struct.unpack_from(">I", open(sys.argv[1], "rb").read(), 8)[0])' "$T/r.img")

# Carved out of a blob (after a boot loader), with data after it.
{ head -c 4096 /dev/urandom; cat "$T/r.img"; printf 'TRAILER'; } >"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.bin@0x1000:romfs" container
python3 "$SL_SRC/tests/e2e/tree_compare.py" "$T/fw.json" "fw.bin@0x1000:romfs" \
	"$src" --no-mode --owner 0:0 >/dev/null || fail "fw.bin: tree differs"

# Damaged: the name of etc/shadow's header is changed; its checksum no
# longer adds up.  The entry is reported and everything is still listed.
python3 - "$T/r.img" "$T/bad.img" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = d.index(b"shadow\0")
d[at] = ord("S")
open(sys.argv[2], "wb").write(d)
PY
"$STARLAB" ls --format json "$T/bad.img" >"$T/bad.json"
expect_incomplete "$T/bad.json" 'bad.img:romfs: entry at 0x[0-9a-f]+: header checksum does not add up'
expect_entry "$T/bad.json" "bad.img:romfs!/etc/Shadow" file
expect_entry "$T/bad.json" "bad.img:romfs!/www/index.html" file

# Truncated: the image is cut in the middle of usr/lib's data.
head -c $((size * 6 / 10)) "$T/r.img" >"$T/cut.img"
"$STARLAB" ls --format json "$T/cut.img" >"$T/cut.json"
expect_entry "$T/cut.json" "cut.img:romfs" container
expect_incomplete "$T/cut.json" "cut.img:romfs: image of $size bytes is cut short"
expect_entry "$T/cut.json" "cut.img:romfs!/etc/passwd" file
echo ok
