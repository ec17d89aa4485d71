#!/usr/bin/env bash
# fw.services: a planted image (telnetd with a root shell, root console
# shell, anonymous MQTT, UPnP, TFTP) gives each finding with the right
# requirement ids; a clean image gives none of them.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

mkdir -p "$T/bad/etc/init.d" "$T/bad/etc/mosquitto" "$T/good/etc/init.d" "$T/good/etc/mosquitto"
cat >"$T/bad/etc/inittab" <<'X'
::sysinit:/etc/init.d/rcS
ttyS0::askfirst:/bin/sh
X
cat >"$T/bad/etc/init.d/rcS" <<'X'
#!/bin/sh
# telnetd is disabled here in a comment only: /usr/sbin/telnetd
/usr/sbin/telnetd -l /bin/sh &
/usr/sbin/miniupnpd -f /etc/miniupnpd.conf
in.tftpd -l -s /srv/tftp
X
printf 'listener 1883\nallow_anonymous true\n' >"$T/bad/etc/mosquitto/mosquitto.conf"
cat >"$T/good/etc/inittab" <<'X'
::sysinit:/etc/init.d/rcS
ttyS0::askfirst:/bin/login
X
cat >"$T/good/etc/init.d/rcS" <<'X'
#!/bin/sh
# /usr/sbin/telnetd -l /bin/sh   (removed for production)
/usr/sbin/dropbear -s -g
X
printf 'listener 8883\nallow_anonymous false\npassword_file /etc/mosquitto/passwd\n' \
	>"$T/good/etc/mosquitto/mosquitto.conf"
fw_reports bad good

python3 - "$T/bad.json" <<'PY' || fail "planted image"
import json, sys
r = json.load(open(sys.argv[1]))
got = {(f["id"], tuple(f["requirements"]), f["evidence"]["path"].split("!/")[-1]) for f in r["findings"]}
want = {
    ("FW-TELNETD-ENABLED", ("S1.1-12", "S1.1-13"), "etc/init.d/rcS"),
    ("FW-TELNETD-NO-LOGIN", ("S1.1-01", "S1.1-13"), "etc/init.d/rcS"),
    ("FW-CONSOLE-ROOT-SHELL", ("S1.1-13",), "etc/inittab"),
    ("FW-MQTT-ANONYMOUS", ("S1.1-01",), "etc/mosquitto/mosquitto.conf"),
    ("FW-UPNP-ENABLED", ("S1.1-13",), "etc/init.d/rcS"),
    ("FW-TFTPD-ENABLED", ("S1.1-01", "S1.1-13"), "etc/init.d/rcS"),
}
missing = want - got
assert not missing, missing
# The commented-out telnetd line is not a second finding.
assert sum(1 for f in r["findings"] if f["id"] == "FW-TELNETD-ENABLED") == 1
v = {c["id"]: c["verdict"] for c in r["checklist"]}
assert v["S1.1-01"] == "non-conformant" and v["S1.1-13"] == "non-conformant", v
PY
[ "$(cat "$T/bad.rc")" -eq 1 ] || fail "planted image should exit 1"

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
