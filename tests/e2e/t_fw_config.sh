#!/usr/bin/env bash
# Issue 11, rule 8: service configurations read for what they mean.
# Planted: uhttpd (started at boot, TLS module and px5g present) on
# 0.0.0.0:80 with no redirect and "option bits 1024"; miniupnpd with
# secure_mode 0 and an allow-all rule; an open Wi-Fi interface; ttylogin 0;
# olsrd's txtinfo answering every host.
# Clean look-alikes: the same uhttpd with redirect_https 1 and bits 2048;
# the same options with no TLS module or generator for the key size; UPnP
# in secure mode; an open interface that is disabled; ttylogin 1.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

B=$T/bad
G=$T/good
for d in "$B" "$G"; do
	mkdir -p "$d/etc/config" "$d/etc/rc.d" "$d/etc/init.d" "$d/lib" "$d/usr/sbin" "$d/www/cgi-bin"
	printf '#!/bin/sh /etc/rc.common\nSTART=50\n' >"$d/etc/init.d/uhttpd"
	ln -s ../init.d/uhttpd "$d/etc/rc.d/S50uhttpd"
	: >"$d/lib/libustream-ssl.so"
	printf '\177ELF' >"$d/usr/sbin/px5g"
	printf '#!/bin/sh\n' >"$d/www/cgi-bin/luci"
done
uhttpd() { # uhttpd REDIRECT BITS
	cat <<X
# Server configuration
config uhttpd main
	list listen_http	0.0.0.0:80
	list listen_http	[::]:80
	list listen_https	0.0.0.0:443
	option redirect_https	$1
	option home		/www

config cert px5g
	option days		730
	option bits		$2
X
}
uhttpd 0 1024 >"$B/etc/config/uhttpd"
uhttpd 1 2048 >"$G/etc/config/uhttpd"
upnpd() { # upnpd SECURE
	cat <<X
config upnpd config
	option enable_upnp	1
	option secure_mode	$1

config perm_rule
	option action		allow
	option ext_ports	1024-65535
	option int_addr		0.0.0.0/0
	option int_ports	1024-65535
X
}
upnpd 0 >"$B/etc/config/upnpd"
upnpd 1 >"$G/etc/config/upnpd"
wifi() { # wifi DISABLED
	cat <<X
config wifi-device radio0
	option type mac80211

config wifi-iface
	option device radio0
	option mode ap
	option ssid OpenWrt
	option encryption 'none'
	option disabled '$1'
X
}
wifi 0 >"$B/etc/config/wireless"
wifi 1 >"$G/etc/config/wireless"
printf "config system\n\toption hostname OpenWrt\n\toption ttylogin '0'\n" >"$B/etc/config/system"
printf "config system\n\toption hostname OpenWrt\n\toption ttylogin '1'\n" >"$G/etc/config/system"

# olsrd: the txtinfo plugin (in the image, olsrd and olsrd6 started at
# boot) answering every host, in both files: one finding.  Clean: it
# answers 127.0.0.1 only, and httpinfo's open Net is not in the image.
olsrd() { # olsrd ADDR
	cat <<X
config olsrd

config LoadPlugin
	option library 'olsrd_httpinfo.so.0.1'
	list Net '0.0.0.0 0.0.0.0'

config LoadPlugin
	option library 'olsrd_txtinfo.so.0.1'
	option accept '$1'
X
}
for d in "$B" "$G"; do
	mkdir -p "$d/usr/lib"
	printf '\177ELF' >"$d/usr/lib/olsrd_txtinfo.so.0.1"
	for i in olsrd olsrd6; do
		printf '#!/bin/sh /etc/rc.common\nSTART=65\n' >"$d/etc/init.d/$i"
		ln -s ../init.d/$i "$d/etc/rc.d/S65$i"
	done
done
olsrd 0.0.0.0 >"$B/etc/config/olsrd"
olsrd :: >"$B/etc/config/olsrd6"
olsrd 127.0.0.1 >"$G/etc/config/olsrd"
olsrd ::1 >"$G/etc/config/olsrd6"

# A third image: the planted uhttpd options, but no TLS module and no px5g:
# plain HTTP is then the only way in (true), the key size is moot (quiet).
N=$T/notls
cp -a "$B" "$N"
rm "$N/lib/libustream-ssl.so" "$N/usr/sbin/px5g"

# A fourth: the planted options, but nothing in the document root (no
# LuCI, no pages): no admin interface on plain HTTP.
E=$T/noweb
cp -a "$B" "$E"
rm -r "$E/www/cgi-bin"

fw_reports bad good notls noweb
python3 - "$T/bad.json" "$T/good.json" "$T/notls.json" "$B/etc/config/uhttpd" <<'PY' || fail "rule 8"
import json, sys
bad, good, notls = (json.load(open(p)) for p in sys.argv[1:4])
uh = open(sys.argv[4], "rb").read()
cfg = lambda r: {f["id"]: f for f in r["findings"] if f["id"].startswith("FW-CONFIG-")}
b = cfg(bad)
assert sorted(b) == ["FW-CONFIG-CONSOLE-NOLOGIN", "FW-CONFIG-HTTP-ADMIN", "FW-CONFIG-OLSRD-INFO-OPEN",
                     "FW-CONFIG-UPNP-INSECURE", "FW-CONFIG-WEAK-KEYGEN", "FW-CONFIG-WIFI-OPEN"], sorted(b)
assert sum(f["id"] == "FW-CONFIG-OLSRD-INFO-OPEN" for f in bad["findings"]) == 1
o = b["FW-CONFIG-OLSRD-INFO-OPEN"]
assert o["evidence"]["path"].endswith("etc/config/olsrd") and "etc/config/olsrd6" in o["evidence"]["excerpt"], o
h = b["FW-CONFIG-HTTP-ADMIN"]
assert h["evidence"]["excerpt"] == "list listen_http\t0.0.0.0:80", h
assert uh[h["evidence"]["offset"]:].startswith(b"\tlist listen_http\t0.0.0.0:80"), h["evidence"]
assert "redirect_https" in h["title"] and h["requirements"] == ["S1.1-12"], h
k = b["FW-CONFIG-WEAK-KEYGEN"]
assert "1024" in k["title"] and uh[k["evidence"]["offset"]:].startswith(b"\toption bits\t\t1024"), k
assert b["FW-CONFIG-UPNP-INSECURE"]["requirements"] == ["S1.1-13"]
assert b["FW-CONFIG-WIFI-OPEN"]["evidence"]["excerpt"] == "option encryption 'none'"
assert cfg(good) == {}, sorted(cfg(good))
n = cfg(notls)
assert "FW-CONFIG-WEAK-KEYGEN" not in n and "no TLS module" in n["FW-CONFIG-HTTP-ADMIN"]["title"], n
e = cfg(json.load(open(sys.argv[4].replace("bad/etc/config/uhttpd", "noweb.json"))))
assert "FW-CONFIG-HTTP-ADMIN" not in e and "FW-CONFIG-WEAK-KEYGEN" in e, sorted(e)
PY
echo ok
