#!/usr/bin/env bash
# mkseeds.sh - (re)build the seed corpora in fuzz/corpus/NAME/ with the
# real tools: small images made by mksquashfs, mke2fs, mkfs.cramfs,
# mkfs.jffs2, mkfs.ubifs, ubinize, mkimage, cpio, tar, zip and the stream
# compressors; device answers taken from the real services and clients
# (openssl s_server's ServerHello, net-snmp's encoder, the fixture
# configuration files); the samples' profiles and root file system.
#
# Seeds stay small (a few KiB each, about 1.5 MiB in all), because the
# fuzzer mutates them and CI replays them.  Run it when a format or a
# target changes; the output is committed.  Needs scripts/setup.sh's
# build and test packages.
. "$(dirname "$0")/seedlib.sh"

# A tiny root file system: an account database, an init script, a
# symlink, a config with a secret-looking line, a key.
R=$T/root
mkdir -p "$R/etc/init.d" "$R/bin" "$R/www/cgi-bin" "$R/etc/config"
printf 'root:x:0:0:root:/root:/bin/sh\nadmin:x:1000:1000::/home:/bin/sh\n' >"$R/etc/passwd"
printf 'root:$1$abcdefgh$7M1Kf7m.u6dL9ZyOzv3aK/:19000:0:99999:7:::\n' >"$R/etc/shadow"
printf '#!/bin/sh\ntelnetd -l /bin/sh\n' >"$R/etc/init.d/rcS"
printf 'api_key=AKIAIOSFODNN7EXAMPLE\nurl=http://cloud.example/api\n' >"$R/etc/config/system"
printf 'MODEL=SL-CAM100\nVERSION=1.2.3\n' >"$R/etc/version"
ln -s busybox "$R/bin/sh"
printf '\x7fELF\x01\x01\x01' >"$R/bin/busybox"
printf 'hello\n' >"$R/www/index.html"

mksquashfs "$R" "$T/gz.sq" -comp gzip -all-root -noappend -no-progress >/dev/null
mksquashfs "$R" "$T/xz.sq" -comp xz -all-root -noappend -no-progress >/dev/null
mksquashfs "$R" "$T/lzo.sq" -comp lzo -all-root -noappend -no-progress >/dev/null 2>&1 || true
mksquashfs "$R" "$T/zs.sq" -comp zstd -all-root -noappend -no-progress >/dev/null
for f in gz xz lzo zs; do
	[ -f "$T/$f.sq" ] && seed squashfs "$f.sqfs" <"$T/$f.sq"
done

mke2fs -q -F -t ext2 -b 1024 -N 32 -d "$R" "$T/e2.img" 128 >/dev/null
mke2fs -q -F -t ext4 -b 1024 -N 32 -O ^has_journal -d "$R" "$T/e4.img" 256 >/dev/null
# Only the used part: the fuzzer does not need the empty tail.
python3 - "$T/e4.img" <<'PY'
import sys
for p in sys.argv[1:]:
    b = open(p, "rb").read()
    n = len(b.rstrip(b"\0"))
    open(p, "wb").write(b[:max(n, 2048)])
PY
seed ext e2.img <"$T/e2.img"
seed ext e4.img <"$T/e4.img"

mkfs.cramfs "$R" "$T/c.cramfs" >/dev/null
seed cramfs root.cramfs <"$T/c.cramfs"

mkfs.jffs2 -r "$R" -o "$T/le.jffs2" -e 4KiB -p -l 2>/dev/null
mkfs.jffs2 -r "$R" -o "$T/be.jffs2" -e 4KiB -p -b 2>/dev/null
seed jffs2 le.jffs2 <"$T/le.jffs2"
seed jffs2 be.jffs2 <"$T/be.jffs2"

# UBIFS: the smallest geometry mkfs.ubifs accepts (NOR-like), so the seed
# holds a superblock, a master node and an index the reader walks.
mkfs.ubifs -m 1 -e 16256 -c 32 -x none -r "$R" "$T/none.ubifs"
mkfs.ubifs -m 1 -e 16256 -c 32 -x zlib -r "$R" "$T/zlib.ubifs"
mkfs.ubifs -m 1 -e 16256 -c 32 -x lzo -r "$R" "$T/lzo.ubifs"
for f in none zlib; do seed ubifs "$f.ubifs" <"$T/$f.ubifs"; done
cat >"$T/ubi.cfg" <<'X'
[rootfs]
mode=ubi
image=ROOTFS
vol_id=0
vol_type=dynamic
vol_name=rootfs
vol_flags=autoresize
[kernel]
mode=ubi
image=KERNEL
vol_id=1
vol_type=static
vol_name=kernel
X
printf 'kernel image bytes\n' >"$T/kernel"
sed -i "s#ROOTFS#$T/zlib.ubifs#; s#KERNEL#$T/kernel#" "$T/ubi.cfg"
ubinize -o "$T/a.ubi" -m 1 -p 16KiB "$T/ubi.cfg" 2>/dev/null
seed ubi vols.ubi <"$T/a.ubi"

(cd "$R" && find . | sort | cpio -o -H newc --quiet) >"$T/newc.cpio"
(cd "$R" && find . | sort | cpio -o -H odc --quiet) >"$T/odc.cpio"
seed cpio newc.cpio <"$T/newc.cpio"
seed cpio odc.cpio <"$T/odc.cpio"

tar -C "$R" --owner=0 --group=0 --mtime=@0 -cf "$T/u.tar" .
tar -C "$R" --owner=0 --group=0 --mtime=@0 --format=gnu -cf "$T/g.tar" .
tar -C "$R" --owner=0 --group=0 --mtime=@0 --format=pax -cf "$T/p.tar" .
for f in u g p; do
	python3 -c 'import sys;b=open(sys.argv[1],"rb").read();open(sys.argv[1],"wb").write(b.rstrip(b"\0")+b"\0"*1024)' "$T/$f.tar"
	seed tar "$f.tar" <"$T/$f.tar"
done
(cd "$R" && zip -qry -X "$T/a.zip" .)
seed zip root.zip <"$T/a.zip"

head -c 3000 "$T/newc.cpio" >"$T/plain"
gzip -9cn "$T/plain" | seed gzip cpio.gz
gzip -9cn "$T/u.tar" | seed gzip tar.gz
xz -9c "$T/plain" | seed xz plain.xz
xz --check=crc32 -c --x86 --lzma2 "$T/plain" | seed xz bcj.xz
# A small dictionary: a 64 MiB one (lzma -9) costs the fuzzer a second
# per run under ASan.
xz --format=lzma --lzma1=preset=6,dict=64KiB -c "$T/plain" | seed lzma plain.lzma
zstd -q -19c "$T/plain" | seed zstd plain.zst
lz4 -q -9c "$T/plain" | seed lz4 plain.lz4
lz4 -q -l -c "$T/plain" | seed lz4_legacy plain.lz4l

# Boot images: a legacy uImage (lzma payload), a multi-file uImage, a FIT.
lzma -c "$T/kernel" >"$T/kernel.lzma"
mkimage -A arm -O linux -T kernel -C lzma -a 0x80008000 -e 0x80008000 \
	-n seed -d "$T/kernel.lzma" "$T/k.uimg" >/dev/null
mkimage -A mips -O linux -T multi -C none -n multi \
	-d "$T/kernel:$T/plain" "$T/m.uimg" >/dev/null
seed uimage kernel.uimg <"$T/k.uimg"
seed uimage multi.uimg <"$T/m.uimg"
cat >"$T/fit.its" <<X
/dts-v1/;
/ {
	description = "seed";
	#address-cells = <1>;
	images {
		kernel-1 {
			data = /incbin/("$T/kernel");
			type = "kernel"; arch = "arm"; os = "linux";
			compression = "none"; load = <0x80008000>; entry = <0x80008000>;
			hash-1 { algo = "sha256"; };
		};
		ramdisk-1 {
			data = /incbin/("$T/newc.cpio");
			type = "ramdisk"; arch = "arm"; os = "linux";
			compression = "none";
			hash-1 { algo = "crc32"; };
		};
	};
	configurations {
		default = "conf-1";
		conf-1 { kernel = "kernel-1"; ramdisk = "ramdisk-1"; };
	};
};
X
mkimage -f "$T/fit.its" "$T/a.itb" >/dev/null
mkimage -E -f "$T/fit.its" "$T/e.itb" >/dev/null
seed fit embedded.itb <"$T/a.itb"
seed fit external.itb <"$T/e.itb"
# The update target's FIT branch: byte 0 selects it.
{ printf '\0'; cat "$T/a.itb"; } | seed update fit.bin

# TRX v1 (OpenWrt's firmware-utils layout: "HDR0", len, crc32, flags).
python3 - "$T/kernel.lzma" "$T/gz.sq" "$T/fw.trx" <<'PY'
import struct, sys, zlib
parts = [open(p, "rb").read() for p in sys.argv[1:3]]
buf = bytearray(28)
offs = []
for p in parts:
    offs.append(len(buf))
    buf += p + b"\0" * (-len(p) % 4)
offs += [0] * (3 - len(offs))
struct.pack_into("<4sI", buf, 0, b"HDR0", len(buf))
struct.pack_into("<I", buf, 12, 1 << 16)
struct.pack_into("<3I", buf, 16, *offs)
struct.pack_into("<I", buf, 8, zlib.crc32(bytes(buf[12:])) ^ 0xffffffff)
open(sys.argv[3], "wb").write(buf)
PY
seed trx fw.trx <"$T/fw.trx"

# ---- firmware checks ----
# services: the input is the content of every file the check reads.
seed services inittab <<'X'
::sysinit:/etc/init.d/rcS
ttyS0::respawn:/bin/login -f root
::respawn:/usr/sbin/telnetd -F -l /bin/sh
X
seed services sshd_config <<'X'
PermitRootLogin yes
PermitEmptyPasswords yes
PasswordAuthentication yes
X
seed services systemd.unit <<'X'
[Unit]
Description=Bluetooth service
[Service]
ExecStart=/usr/libexec/bluetooth/bluetoothd
[Install]
WantedBy=multi-user.target
X
seed services uci-dropbear <<'X'
config dropbear
	option PasswordAuth 'on'
	option RootPasswordAuth 'on'
	option Port '22'
X
seed services cmdline <<'X'
console=ttyS0,115200 root=/dev/mtdblock2 init=/bin/sh kgdboc=ttyS0
X
# update: byte 1 = a key file, byte 2+ = files read by name.
{ printf '\1'; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null |
	openssl pkey -pubout 2>/dev/null; } | seed update key.pem
{ printf '\2'; printf '#!/bin/sh\nwget -O /tmp/fw.bin http://update.example/fw.bin\nsysupgrade -n /tmp/fw.bin\n'; } | seed update script
{ printf '\2'; printf '[update]\ncompatible=sl-cam\n[keyring]\npath=/etc/rauc/ca.pem\n'; } | seed update rauc.conf
# compare: byte 0 picks two file names; the rest, cut in two, is their content.
{ printf '\0'; cat "$R/etc/shadow" "$R/etc/shadow"; } | seed compare shadow
{ printf '\x11'; openssl genrsa 512 2>/dev/null; } | seed compare rsa.pem
# hardening: real executables of the machines at hand.
for b in /bin/true /usr/bin/env; do
	[ -f "$b" ] && head -c 40000 "$b" | seed hardening "$(basename "$b").elf"
done
if command -v mips-linux-gnu-gcc >/dev/null; then
	printf 'int main(void){return 0;}\n' >"$T/m.c"
	mips-linux-gnu-gcc -O2 -o "$T/m.elf" "$T/m.c" 2>/dev/null &&
		seed hardening mips.elf <"$T/m.elf"
	mips-linux-gnu-gcc -O2 -shared -fPIC -o "$T/m.so" "$T/m.c" 2>/dev/null &&
		seed hardening mips.so <"$T/m.so"
fi

# ---- profile, vulndb, snapshot ----
for p in "$top"/samples/*.yaml; do seed profile "$(basename "$p")" <"$p"; done
seed vulndb osv.json <<'X'
{"id":"OSV-2024-1","summary":"busybox","affected":[{"package":{"name":"busybox","ecosystem":"Debian"},
"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.36.1"}]}]}],
"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}
X
seed vulndb nvd.json <<'X'
{"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE","version":"2.0",
"vulnerabilities":[{"cve":{"id":"CVE-2022-0001","descriptions":[{"lang":"en","value":"x"}],
"metrics":{"cvssMetricV31":[{"cvssData":{"baseScore":9.8,"baseSeverity":"CRITICAL"}}]},
"configurations":[{"nodes":[{"operator":"OR","cpeMatch":[{"vulnerable":true,
"criteria":"cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*","versionStartIncluding":"1.0",
"versionEndExcluding":"1.36.1"}]}]}]}}]}
X

# ---- device answers ----
# TLS: a real ServerHello from openssl s_server on the loopback, answering
# a ClientHello Python's ssl module made (MemoryBIO: no network stack of
# ours in between).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/k.pem" -out "$T/c.pem" \
	-subj /CN=seed -days 1 2>/dev/null
for v in tls1_2 tls1_3; do
	port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
	openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$T/c.pem" \
		-key "$T/k.pem" -"$v" </dev/null >/dev/null 2>&1 &
	spid=$!
	python3 - "$port" "$T/hello-$v" <<'PY' || true
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
i, o = ssl.MemoryBIO(), ssl.MemoryBIO()
obj = ctx.wrap_bio(i, o)
try:
    obj.do_handshake()
except ssl.SSLWantReadError:
    pass
for _ in range(50):
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)
        break
    except OSError:
        time.sleep(0.1)
s.sendall(o.read())
s.settimeout(2)
data = b""
try:
    while len(data) < 16384:
        d = s.recv(16384)
        if not d:
            break
        data += d
except OSError:
    pass
open(sys.argv[2], "wb").write(data)
PY
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	[ -s "$T/hello-$v" ] && seed tls "serverhello-$v" <"$T/hello-$v"
done
# SNMP: a GetResponse from net-snmp's snmpd on the loopback, to snmpget's
# request, recorded by a one-shot relay in between.
pa=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
pb=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
printf 'rocommunity public 127.0.0.1\nsysDescr Linux SL-CAM100 4.14.90 mips\nsysName cam\n' >"$T/snmpd.conf"
if command -v snmpd >/dev/null; then
	snmpd -f -Lf /dev/null -C -c "$T/snmpd.conf" -I -smux \
		"udp:127.0.0.1:$pb" >/dev/null 2>&1 &
	dpid=$!
	python3 - "$pa" "$pb" "$T/snmp" <<'PY' &
import socket, sys
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a.bind(("127.0.0.1", int(sys.argv[1])))
a.settimeout(20)
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.settimeout(5)
try:
    for k in range(2):
        d, peer = a.recvfrom(4096)
        b.sendto(d, ("127.0.0.1", int(sys.argv[2])))
        r, _ = b.recvfrom(65536)
        open("%s.%d" % (sys.argv[3], k), "wb").write(r)
        a.sendto(r, peer)
except OSError:
    pass
PY
	rpid=$!
	sleep 1
	snmpget -v 2c -c public -r 3 -t 2 "127.0.0.1:$pa" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 || true
	snmpget -v 1 -c public -r 3 -t 2 "127.0.0.1:$pa" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 || true
	wait "$rpid" || true
	kill "$dpid" 2>/dev/null || true
	wait "$dpid" 2>/dev/null || true
	[ -s "$T/snmp.0" ] && seed snmp getresponse-v2c.ber <"$T/snmp.0"
	[ -s "$T/snmp.1" ] && seed snmp getresponse-v1.ber <"$T/snmp.1"
fi
printf '1.3.6.1.2.1.1.1.0' | seed snmp oid.txt

# udp: byte 0 picks the parser (src/net/udp_fuzz.c), the rest is the answer.
printf '\0\x12\x34\x81\x80\0\1\0\1\0\0\0\0\3www\7example\3com\0\0\1\0\1\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4\x0a\0\0\2' | seed udp dns
printf '\3HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: http://10.0.0.2:49152/desc.xml\r\nSERVER: Linux/4.14 UPnP/1.0 miniupnpd/2.1\r\nST: upnp:rootdevice\r\n\r\n' | seed udp ssdp
printf '\x08SSH-2.0-dropbear_2022.83\r\n' | seed udp ssh-banner
printf '\x08220 (vsFTPd 3.0.3)\r\n' | seed udp ftp-banner
printf '\x09HTTP/1.1 200 OK\r\nServer: lighttpd/1.4.69\r\nContent-Length: 0\r\n\r\n' | seed udp http
printf '\x0a\x20\x02\0\0' | seed udp mqtt-connack
printf '\x0c<root><device><friendlyName>cam</friendlyName><manufacturer>ACME</manufacturer><modelName>SL-CAM100</modelName><modelNumber>100</modelNumber></device></root>' | seed udp upnp
printf '\x0dnginx/1.22.1' | seed udp server
[ -s "$C/snmp/getresponse-v2c.ber" ] && { printf '\2'; cat "$C/snmp/getresponse-v2c.ber"; } | seed udp snmp

# login: byte 0 is the split; then telnet, FTP, HTML as the services send.
printf '\x08\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27\xff\xfb\x01\xff\xfb\x03\r\nSL-CAM100 login: ' | seed login telnet
printf '\x10220 (vsFTPd 3.0.3)\r\n331 Please specify the password.\r\n230 Login successful.\r\n' | seed login ftp
printf '\x04<html><form method="post" action="/cgi-bin/login"><input type="text" name="username"><input type="password" name="pass"></form></html>' | seed login form
printf '\x02<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><modelName>SL-CAM100</modelName></device></root>' | seed login upnp

# identity, security.txt: pages as devices serve them.
printf '<html><head><title>SL-CAM100 Web UI</title></head><body>Model: SL-CAM100<br>Firmware version: 1.2.3</body></html>' | seed identity page.html
printf '{"model":"SL-CAM100","firmware":"1.2.3","serial":"A1B2"}' | seed identity status.json
cat <<'X' | seed securitytxt rfc9116.txt
Contact: mailto:security@example.com
Contact: https://example.com/security
Expires: 2027-12-31T23:59:59.000Z
Encryption: https://example.com/pgp-key.txt
Preferred-Languages: en, ja
Canonical: https://example.com/.well-known/security.txt
Policy: https://example.com/disclosure
X

# snapshot: the documented example (docs/snapshot.md), twice, cut at 0x01.
sed -n '/^```json$/,/^```$/p' "$top/docs/snapshot.md" | sed '1d;$d' >"$T/snap"
{ cat "$T/snap"; printf '\1'; sed 's/"2.4.1"/"2.4.2"/' "$T/snap"; } | seed snapshot pair.json
# The firmware-check targets that read one file's content (config, keys,
# model, webexec): a script of their own, runnable alone.
bash "$top/fuzz/mkseeds_fw.sh"
# romfs, yaffs2, squashfs 1.x-3.x and Arcadyan: a script of their own too.
bash "$top/fuzz/mkseeds_rd.sh"
du -sh "$C"
