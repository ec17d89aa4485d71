#!/usr/bin/env bash
# build.sh OUTDIR - build the bundled sample firmware with the real tools:
# an 8 MiB NOR flash dump of the "Starlab Demo Router SDR-100", laid out
# like a real router:
#
#   0x000000  bootloader (U-Boot strings, 256 KiB)
#   0x040000  uImage: MIPS Linux kernel, LZMA (mkimage)
#   0x200000  rootfs: squashfs, xz (mksquashfs of samples/rootfs)
#   0x700000  rootfs_data: JFFS2, 64 KiB erase blocks (mkfs.jffs2)
#
# The rootfs plants one issue per firmware check (weak and shared
# passwords, telnet with a root shell, anonymous MQTT, a private key
# readable by all, an expired SHA-1 certificate, cloud keys, plaintext
# update over HTTP without a signature check).  The same inputs give the
# same image bytes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
mkdir -p "$out"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
export SOURCE_DATE_EPOCH=1700000000

cp -a "$here/rootfs" "$w/rootfs"
find "$w/rootfs" -name .keep -delete
# A network daemon built the way many MIPS SDKs build them: no canary, no
# PIE, an executable stack (fw.hardening: FW-ELF-EXECSTACK).
mkdir -p "$w/rootfs/usr/sbin"
mips-linux-gnu-gcc -O2 -fno-stack-protector -fno-PIE -no-pie \
	-Wl,-z,execstack -Wl,--build-id=none -s \
	-o "$w/rootfs/usr/sbin/statusd" "$here/src/statusd.c"
cp -a "$here/data" "$w/data"
# Fixed times, so a fresh clone builds the same bytes.
find "$w/rootfs" "$w/data" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
chmod 0600 "$w/rootfs/etc/shadow"
chmod 0644 "$w/rootfs/etc/ssl/private/server.key"
chmod 0755 "$w/rootfs/etc/init.d/rcS" "$w/rootfs/usr/bin/ota-update.sh" \
	"$w/rootfs/www/cgi-bin/login.cgi" "$w/rootfs/usr/sbin/statusd" \
	"$w/rootfs/usr/sbin/fw-update"
chmod 4755 "$w/rootfs/bin/busybox"
mksquashfs "$w/rootfs" "$w/rootfs.sqfs" -comp xz -all-root -noappend \
	-no-progress >/dev/null

# A stand-in kernel: the version banner a real vmlinux carries, padded
# with deterministic bytes.
python3 - "$w/vmlinux" <<'PY'
import random, sys
r = random.Random(42)
body = bytes(r.getrandbits(8) for _ in range(300000))
banner = b"Linux version 4.14.180 (builder@starlab) (gcc version 7.5.0) #1 SMP\n"
open(sys.argv[1], "wb").write(banner + body + banner + b"\0" * 200000)
PY
xz --format=lzma -9 -c "$w/vmlinux" >"$w/vmlinux.lzma"
mkimage -A mips -O linux -T kernel -C lzma -a 0x80060000 -e 0x80060000 \
	-n "Linux-4.14.180" -d "$w/vmlinux.lzma" "$w/uImage" >/dev/null

mkfs.jffs2 -r "$w/data" -o "$w/data.jffs2" -e 64KiB -l -U --pad=0x100000

python3 - "$w" "$out/sample-fw.bin" <<'PY'
import random, sys
w, dst = sys.argv[1], sys.argv[2]
r = random.Random(7)
flash = bytearray(b"\xff" * 0x800000)
boot = bytearray(bytes(r.getrandbits(8) for _ in range(0x30000)))
banner = b"U-Boot 2014.04 (Starlab SDR-100)\0bootcmd=bootm 0x9f040000\0"
boot[0x1000:0x1000 + len(banner)] = banner
def put(off, data, end):
    assert off + len(data) <= end, (hex(off), len(data), hex(end))
    flash[off:off + len(data)] = data
put(0x000000, boot, 0x040000)
put(0x040000, open(w + "/uImage", "rb").read(), 0x200000)
put(0x200000, open(w + "/rootfs.sqfs", "rb").read(), 0x700000)
put(0x700000, open(w + "/data.jffs2", "rb").read(), 0x800000)
open(dst, "wb").write(flash)
PY
echo "$out/sample-fw.bin"
