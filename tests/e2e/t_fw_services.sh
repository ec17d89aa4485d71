#!/usr/bin/env bash
# fw.services: a planted image (telnetd with a root shell, root console
# shell, anonymous MQTT, UPnP, TFTP, SSH root and empty password logins,
# Bluetooth and a USB gadget console at boot, init=/bin/sh, gdbserver,
# getty autologin) gives each finding with the right requirement ids; a
# second one gives a plain USB gadget (MEDIUM) and Bluetooth from rcS; a
# clean image gives none of them.  The login chain: OpenWrt's telnet
# init script (PROG=/usr/sbin/telnetd; procd_set_param command "$PROG" -l
# /bin/login.sh) whose wrapper execs a shell while root has no password
# (root:: in shadow, OpenWrt's root:x: placeholder in passwd) is one
# critical finding naming the chain; the same image with a root password
# hash, or with a wrapper that runs login, is only telnet enabled.
# miniupnpd with OpenWrt's etc/config/upnpd is left to that file's options.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

mkdir -p "$T/bad/etc/init.d" "$T/bad/etc/mosquitto" "$T/good/etc/init.d" "$T/good/etc/mosquitto"
cat >"$T/bad/etc/inittab" <<'X'
::sysinit:/etc/init.d/rcS
ttyS0::askfirst:/bin/sh
::askconsole:/bin/ash --login
ttyGS0::respawn:/sbin/getty -L ttyGS0 115200 vt100
X
cat >"$T/bad/etc/init.d/rcS" <<'X'
#!/bin/sh
# telnetd is disabled here in a comment only: /usr/sbin/telnetd
/usr/sbin/telnetd -l /bin/sh &
/usr/sbin/miniupnpd -f /etc/miniupnpd.conf
in.tftpd -l -s /srv/tftp
X
printf 'listener 1883\nallow_anonymous true\n' >"$T/bad/etc/mosquitto/mosquitto.conf"
# rc.local: a vendor daemon in the background and one by start-stop-daemon;
# a foreground command, a sleep and the exit are not daemons.
cat >"$T/bad/etc/rc.local" <<'X'
# Put your custom commands here
echo 30 > /proc/sys/net/ipv4/tcp_fin_timeout
/usr/bin/camd -p 8000 -d /tmp/rec &
start-stop-daemon -S -b -x /usr/sbin/streamer -- -l 554
(sleep 60; /sbin/reload_config) &
exit 0
X

# Root has a password hash: SSH servers that take root passwords matter.
hash='$6$saltsalt$Xd0m3JbqvTf1fDk9yN0m8vWJ0lKQq3dY7mZK6wJ2C1i8z5b4nL0pQ9rS3tU2vW1xY0zA9bC8dE7fG6hI5jK4l.'
for d in bad good; do
	printf 'root:%s:19000:0:99999:7:::\n' "$hash" >"$T/$d/etc/shadow"
done
mkdir -p "$T/bad/etc/ssh" "$T/bad/etc/config" "$T/bad/boot" \
	"$T/bad/lib/systemd/system" \
	"$T/bad/etc/systemd/system/multi-user.target.wants" \
	"$T/bad/etc/systemd/system/getty.target.wants" \
	"$T/bad/etc/systemd/system/serial-getty@ttyS0.service.d"
cat >"$T/bad/etc/init.d/S50dropbear" <<'X'
#!/bin/sh
/usr/sbin/dropbear -p 22 -B &
X
cat >"$T/bad/etc/ssh/sshd_config" <<'X'
# PermitEmptyPasswords no
PermitRootLogin=yes
PermitEmptyPasswords yes
X
cat >"$T/bad/etc/config/dropbear" <<'X'
config dropbear
	option PasswordAuth 'on'
	option RootPasswordAuth 'on'
	option Port '22'
X
cat >"$T/bad/lib/systemd/system/bluetooth.service" <<'X'
[Service]
ExecStart=/usr/libexec/bluetooth/bluetoothd
X
ln -s /lib/systemd/system/bluetooth.service \
	"$T/bad/etc/systemd/system/multi-user.target.wants/bluetooth.service"
ln -s /lib/systemd/system/serial-getty@.service \
	"$T/bad/etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service"
cat >"$T/bad/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'X'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200 %I $TERM
X
cat >"$T/bad/etc/init.d/S40gadget" <<'X'
#!/bin/sh
G=/sys/kernel/config/usb_gadget/g1
mkdir -p /sys/kernel/config/usb_gadget/g1/functions/acm.usb0
echo 0x1d6b > $G/idVendor
gdbserver --multi :1234 &
X
echo 'console=ttyS0,115200 root=/dev/mmcblk0p2 init=/bin/sh' >"$T/bad/boot/cmdline.txt"
printf 'bootdelay=3\0bootargs=console=ttyS0 rdinit=/bin/sh\0\0' >"$T/bad/boot/u-boot-env.bin"

# A plain gadget (Ethernet over USB, no console) and Bluetooth from rcS.
mkdir -p "$T/gadget/etc/init.d"
echo g_ether >"$T/gadget/etc/modules"
printf '#!/bin/sh\nhciconfig hci0 up\n' >"$T/gadget/etc/init.d/rcS"

cat >"$T/good/etc/inittab" <<'X'
::sysinit:/etc/init.d/rcS
ttyS0::askfirst:/bin/login
ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100
X
printf '# Put your custom commands here\nexit 0\n' >"$T/good/etc/rc.local"
cat >"$T/good/etc/init.d/rcS" <<'X'
#!/bin/sh
# /usr/sbin/telnetd -l /bin/sh   (removed for production)
/usr/sbin/dropbear -s -g
X
printf 'listener 8883\nallow_anonymous false\npassword_file /etc/mosquitto/passwd\n' \
	>"$T/good/etc/mosquitto/mosquitto.conf"
mkdir -p "$T/good/etc/ssh" "$T/good/etc/config" "$T/good/boot" \
	"$T/good/lib/systemd/system" \
	"$T/good/etc/systemd/system/multi-user.target.wants"
# OpenWrt's own dropbear script: the switches come from UCI.
cat >"$T/good/etc/init.d/dropbear" <<'X'
#!/bin/sh
PROG=/usr/sbin/dropbear
NAME=dropbear
procd_set_param command "$PROG" -F -P /var/run/dropbear.pid
X
printf 'PermitRootLogin prohibit-password\n# PermitRootLogin yes\nPermitEmptyPasswords no\n' \
	>"$T/good/etc/ssh/sshd_config"
# Root login off (dropbear -w).  The *PasswordAuth switches are on/off
# settings, not stored passwords: fw.accounts must not report them.
cat >"$T/good/etc/config/dropbear" <<'X'
config dropbear
	option PasswordAuth 'on'
	option RootPasswordAuth 'off'
	option RootLogin 'off'
	option Port '22'
X
# A Bluetooth unit that no target wants: installed, not started.
cp "$T/bad/lib/systemd/system/bluetooth.service" "$T/good/lib/systemd/system/"
echo 'console=ttyS0,115200 root=/dev/mmcblk0p2 rootwait init=/sbin/init' >"$T/good/boot/cmdline.txt"
printf 'bootdelay=3\0bootargs=console=ttyS0 root=/dev/mtdblock2\0\0' >"$T/good/boot/u-boot-env.bin"
# OpenWrt Barrier Breaker's telnet path, as shipped.
owrt() {
	mkdir -p "$1/etc/init.d" "$1/bin"
	printf "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='Barrier Breaker'\n" >"$1/etc/openwrt_release"
	printf 'root:x:0:0:root:/root:/bin/ash\n' >"$1/etc/passwd"
	printf 'root::0:0:99999:7:::\n' >"$1/etc/shadow"
	cat >"$1/etc/init.d/telnet" <<'X'
#!/bin/sh /etc/rc.common
START=50
USE_PROCD=1
PROG=/usr/sbin/telnetd
start_service() {
	procd_open_instance
	procd_set_param command "$PROG" -F -l /bin/login.sh
	procd_close_instance
}
X
	cat >"$1/bin/login.sh" <<'X'
#!/bin/sh
if ( ! grep -qs '^root:[!x]\?:' /etc/shadow || \
     ! grep -qs '^root:[!x]\?:' /etc/passwd ) && \
   [ -z "$FAILSAFE" ]
then
	echo "Login failed."
	exit 0
fi
exec /bin/ash --login
X
	chmod 0755 "$1/etc/init.d/telnet" "$1/bin/login.sh"
}
owrt "$T/chain"
# OpenWrt's miniupnpd reads etc/config/upnpd: its options decide (fw.config),
# not the start line.
mkdir -p "$T/chain/etc/config"
printf '#!/bin/sh /etc/rc.common\nstart() {\n\tservice_start /usr/sbin/miniupnpd -f /var/etc/miniupnpd.conf\n}\n' \
	>"$T/chain/etc/init.d/miniupnpd"
printf "config upnpd config\n\toption enable_upnp 1\n\toption secure_mode 1\n" >"$T/chain/etc/config/upnpd"
# Look-alikes: root has a password hash; the wrapper runs login.
owrt "$T/chainpw"
printf 'root:%s:19000:0:99999:7:::\n' "$hash" >"$T/chainpw/etc/shadow"
owrt "$T/chainlogin"
printf '#!/bin/sh\nexec /bin/login\n' >"$T/chainlogin/bin/login.sh"

fw_reports bad gadget good chain chainpw chainlogin

python3 - "$T" <<'PY' || fail "telnet login chain"
import json, os, sys
T = sys.argv[1]
def tel(n):
    r = json.load(open(os.path.join(T, n + ".json")))
    return [f for f in r["findings"] if f["id"].startswith("FW-TELNETD")]
f = tel("chain")
assert len(f) == 1 and f[0]["id"] == "FW-TELNETD-NO-LOGIN", f
r = json.load(open(os.path.join(T, "chain.json")))
assert not [x for x in r["findings"] if x["id"] == "FW-UPNP-ENABLED"], r["findings"]
f = f[0]
assert f["severity"] == "critical" and f["requirements"] == ["S1.1-01", "S1.1-13"], f
ex = f["evidence"]["excerpt"]
assert 'procd_set_param command "/usr/sbin/telnetd" -F -l /bin/login.sh' in ex, ex
assert "bin/login.sh:9: exec /bin/ash --login" in ex and "root has no password" in ex, ex
assert f["evidence"]["path"].endswith("!/etc/init.d/telnet"), f
for n in ("chainpw", "chainlogin"):
    f = tel(n)
    assert [(x["id"], x["severity"]) for x in f] == [("FW-TELNETD-ENABLED", "high")], (n, f)
    # The line that starts it, not the PROG= assignment.
    assert f[0]["evidence"]["excerpt"].startswith("procd_set_param"), (n, f)
PY

python3 - "$T/bad.json" <<'PY' || fail "planted image"
import json, sys
r = json.load(open(sys.argv[1]))
got = {(f["id"], tuple(f["requirements"]), f["evidence"]["path"].split("!/")[-1]) for f in r["findings"]}
want = {
    ("FW-TELNETD-NO-LOGIN", ("S1.1-01", "S1.1-13"), "etc/init.d/rcS"),
    ("FW-CONSOLE-ROOT-SHELL", ("S1.1-13",), "etc/inittab"),
    ("FW-MQTT-ANONYMOUS", ("S1.1-01",), "etc/mosquitto/mosquitto.conf"),
    ("FW-UPNP-ENABLED", ("S1.1-13",), "etc/init.d/rcS"),
    ("FW-TFTPD-ENABLED", ("S1.1-01", "S1.1-13"), "etc/init.d/rcS"),
    ("FW-SSH-EMPTY-PASSWORD", ("S1.1-01", "S1.1-02"), "etc/init.d/S50dropbear"),
    ("FW-SSH-ROOT-PASSWORD-LOGIN", ("S1.1-02",), "etc/init.d/S50dropbear"),
    ("FW-SSH-EMPTY-PASSWORD", ("S1.1-01", "S1.1-02"), "etc/ssh/sshd_config"),
    ("FW-SSH-ROOT-PASSWORD-LOGIN", ("S1.1-02",), "etc/ssh/sshd_config"),
    ("FW-SSH-ROOT-PASSWORD-LOGIN", ("S1.1-02",), "etc/config/dropbear"),
    ("FW-BLUETOOTH-ENABLED", ("S1.1-13",), "lib/systemd/system/bluetooth.service"),
    ("FW-USB-GADGET-ENABLED", ("S1.1-13",), "etc/init.d/S40gadget"),
    ("FW-GDBSERVER-ENABLED", ("S1.1-01", "S1.1-13"), "etc/init.d/S40gadget"),
    ("FW-DEBUG-SHELL", ("S1.1-01", "S1.1-13"), "boot/cmdline.txt"),
    ("FW-DEBUG-SHELL", ("S1.1-01", "S1.1-13"), "boot/u-boot-env.bin"),
    ("FW-CONSOLE-ROOT-SHELL", ("S1.1-13",),
     "etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf"),
}
missing = want - got
assert not missing, missing
# A shell's --login option is no login prompt: both inittab lines count.
assert sum(1 for f in r["findings"] if f["id"] == "FW-CONSOLE-ROOT-SHELL"
           and f["evidence"]["path"].endswith("etc/inittab")) == 2, r["findings"]
# One cause, one finding: the shell-serving telnetd is not also "enabled",
# and the commented-out telnetd line is not a second finding.
assert sum(1 for f in r["findings"] if f["id"].startswith("FW-TELNETD")) == 1
# miniupnpd: one finding for the file, though two needles match.
assert sum(1 for f in r["findings"] if f["id"] == "FW-UPNP-ENABLED") == 1
rl = sorted((f["severity"], f["title"]) for f in r["findings"] if f["id"] == "FW-RCLOCAL-DAEMON")
assert rl == [("low", "camd started in the background from rc.local, outside the init system"),
              ("low", "streamer started in the background from rc.local, outside the init system")], rl
by = {}
for f in r["findings"]:
    by.setdefault(f["id"], []).append(f)
# One gadget finding per file; it has an ACM serial function and a getty
# on ttyGS0, so it is a console over USB: high.
assert len(by["FW-USB-GADGET-ENABLED"]) == 1, by["FW-USB-GADGET-ENABLED"]
g = by["FW-USB-GADGET-ENABLED"][0]
assert g["severity"] == "high" and "usb_gadget" in g["evidence"]["excerpt"], g
# The unit file's line, not the *.wants/ link a second time.
assert len(by["FW-BLUETOOTH-ENABLED"]) == 1, by["FW-BLUETOOTH-ENABLED"]
d = [f for f in by["FW-DEBUG-SHELL"] if f["evidence"]["path"].endswith("u-boot-env.bin")][0]
assert d["evidence"]["excerpt"] == "bootargs=console=ttyS0 rdinit=/bin/sh", d
assert d["evidence"]["offset"] == 12 and d["severity"] == "high", d
e = [f for f in by["FW-SSH-EMPTY-PASSWORD"] if f["evidence"]["path"].endswith("sshd_config")][0]
assert e["evidence"]["excerpt"] == "PermitEmptyPasswords yes" and e["severity"] == "high", e
u = [f for f in by["FW-SSH-ROOT-PASSWORD-LOGIN"] if f["evidence"]["path"].endswith("config/dropbear")][0]
assert u["evidence"]["excerpt"] == "option RootPasswordAuth 'on'", u
assert u["severity"] == "medium" and "Evidence for conformance" in u["remediation"], u
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-01"] == "non-conformant" and v["S1.1-13"] == "non-conformant", v
assert v["S1.1-02"] == "non-conformant", v
PY
[ "$(cat "$T/bad.rc")" -eq 1 ] || fail "planted image should exit 1"

python3 - "$T/gadget.json" <<'PY' || fail "plain gadget image"
import json, sys
r = json.load(open(sys.argv[1]))
got = sorted((f["id"], f["severity"], tuple(f["requirements"]),
              f["evidence"]["path"].split("!/")[-1]) for f in r["findings"])
assert got == [
    ("FW-BLUETOOTH-ENABLED", "medium", ("S1.1-13",), "etc/init.d/rcS"),
    ("FW-USB-GADGET-ENABLED", "medium", ("S1.1-13",), "etc/modules"),
], got
PY

python3 - "$T/good.json" <<'PY' || fail "clean image"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["findings"] == [], r["findings"]
v = {c["id"]: c for c in r["checklist"]}
# Checked from firmware, but the document is still missing.
assert v["S1.1-13"]["verdict"] == "needs-evidence"
assert not any(m.startswith("firmware:") for m in v["S1.1-13"]["missing_evidence"])
PY
[ "$(cat "$T/good.rc")" -eq 0 ] || fail "clean image should exit 0"
echo ok
