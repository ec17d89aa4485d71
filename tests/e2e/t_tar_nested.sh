#!/usr/bin/env bash
# tar with other readers inside and around it: a .tar.xz (xz reader) and
# an OpenWrt sysupgrade image, a tar holding sysupgrade-<board>/CONTROL, a
# gzip'd kernel and a squashfs root (squashfs reader), with fwtool-style
# metadata appended after the archive.
. "$(dirname "$0")/lib.sh" || exit 1
need tar xz gzip mksquashfs python3

mk_tree "$T/src"

# .tar.xz: an xz stream whose payload the tar reader opens.
tar -C "$T/src" -cJf "$T/img.tar.xz" .
"$STARLAB" ls --format json "$T/img.tar.xz" >"$T/txz.json"
expect_entry "$T/txz.json" "img.tar.xz:xz!/data:tar!/etc/passwd" file
check_tree "$T/txz.json" "img.tar.xz:xz!/data:tar" "$T/src" --exact

# sysupgrade: every file of the tar is offered to the readers whole, so
# root is opened as squashfs and kernel as gzip.
b="$T/su/sysupgrade-tplink_archer-c7-v2"
mkdir -p "$b"
printf 'BOARD=tplink_archer-c7-v2\n' >"$b/CONTROL"
head -c 40000 /dev/urandom >"$T/vmlinux"
gzip -9 -c "$T/vmlinux" >"$b/kernel"
mksquashfs "$T/src" "$b/root" -noappend -quiet -no-progress -all-root \
	>/dev/null || fail mksquashfs
tar -C "$T/su" --format=gnu -cf "$T/fw.tar" sysupgrade-tplink_archer-c7-v2
tsize=$(stat -c %s "$T/fw.tar")
# fwtool appends JSON metadata and a trailer after the tar.
{ printf '{"metadata_version":"1.1","supported_devices":["archer-c7-v2"]}'
  printf 'FWx0\0\0\0\1\0\0\0\x48\0\0\0\0'; } >>"$T/fw.tar"
"$STARLAB" ls --format json "$T/fw.tar" >"$T/fw.json"
expect_entry "$T/fw.json" "fw.tar:tar" container
size=$(json_get "$T/fw.json" '[e["size"] for e in j["entries"] if e["path"]=="fw.tar:tar"][0]')
[ "$size" = "$tsize" ] || fail "sysupgrade tar size $size, want $tsize"
expect_entry "$T/fw.json" "$(printf 'fw.tar@0x%x' "$tsize")" region
p="fw.tar:tar!/sysupgrade-tplink_archer-c7-v2"
expect_entry "$T/fw.json" "$p/CONTROL" file
expect_entry "$T/fw.json" "$p/kernel:gzip!/data" file
sha=$(json_get "$T/fw.json" '[e["sha256"] for e in j["entries"] if e["path"]=="'"$p"'/kernel:gzip!/data"][0]')
[ "$sha" = "$(sha256sum <"$T/vmlinux" | cut -d' ' -f1)" ] || fail "kernel sha256"
expect_entry "$T/fw.json" "$p/root:squashfs" container
expect_entry "$T/fw.json" "$p/root:squashfs!/etc/passwd" file
check_tree "$T/fw.json" "$p/root:squashfs" "$T/src" --exact --owner 0:0
echo ok
