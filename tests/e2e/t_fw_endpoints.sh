#!/usr/bin/env bash
# Issue 11, rule 5: a plaintext endpoint needs a consumer.  Package
# metadata (SourceURL:), a CSV row of home pages, LuCI placeholders and
# bug-tracker links, a project home page in a binary and the device's own
# LAN address and URLs in pages for the browser give nothing; a UCI option,
# an assignment in a script, a download command and a feed opkg fetches
# unsigned do, one finding per file.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

B=$T/bad
G=$T/good
for d in "$B" "$G"; do
	mkdir -p "$d/usr/lib/opkg/info" "$d/usr/share/dnscrypt-proxy" \
		"$d/usr/lib/lua/luci/model/cbi" "$d/usr/sbin" "$d/www" "$d/etc/config" "$d/usr/bin"
	cat >"$d/usr/lib/opkg/info/curl.control" <<'X'
Package: curl
Version: 7.40.0-3
SourceURL: http://curl.haxx.se/download/ ftp://ftp.sunet.se/pub/www/utilities/curl/
X
	printf 'Name,Full name,Description,Location,Coordinates,URL,Version\nokturtles,okTurtles,DNSChain,"Georgia, US","33.03, -83.89",http://okturtles.com/,1\n' \
		>"$d/usr/share/dnscrypt-proxy/dnscrypt-resolvers.csv"
	cat >"$d/usr/lib/lua/luci/model/cbi/upnp.lua" <<'X'
pu = s:taboption("advanced", Value, "presentation_url", translate("Presentation URL"))
pu.placeholder = "http://192.168.1.1/"
local msg = "This is a software bug, please report this message at " ..
	"http://luci.subsignal.org/trac/newticket"
X
	printf '<script>login_url="http://192.168.0.1/";</script>\n' >"$d/www/login.htm"
	printf '\177ELF\001\002\001\000\000miniupnpd\000http://miniupnp.free.fr/\000\000' >"$d/usr/sbin/miniupnpd"
done
# Package feeds: opkg fetches them; with check_signature and usign what
# it fetches is verified (quiet); without opkg nothing fetches them.
for d in "$B" "$G" "$T/nopkg"; do
	mkdir -p "$d/etc" "$d/bin" "$d/usr/bin" "$d/web"
	printf 'src/gz base http://downloads.openwrt.org/barrier_breaker/14.07/ar71xx/generic/packages/base\ndest root /\n' >"$d/etc/opkg.conf"
	printf '<script>login_url="http://routerlogin.vendor.net/";</script>\n' >"$d/web/main.htm"
done
printf '\177ELF' >"$B/bin/opkg"
printf '\177ELF' >"$G/bin/opkg"
printf '\177ELF' >"$G/usr/bin/usign"
printf 'option check_signature 1\n' >>"$G/etc/opkg.conf"

cat >"$B/etc/config/cloud" <<'X'
config cloud 'main'
	option broker 'mqtt://broker.vendor.io:1883'
	option report 'http://telemetry.vendor.io/v1/report'
X
cat >"$B/usr/bin/fetch-fw.sh" <<'X'
#!/bin/sh
FW_URL="http://fw.vendor.io/latest.bin"
wget -O /tmp/fw.bin http://mirror.vendor.io/latest.bin
X

fw_reports bad good nopkg
python3 - "$T/bad.json" "$T/good.json" "$T/nopkg.json" <<'PY' || fail "rule 5"
import json, sys
bad, good, nopkg = (json.load(open(p)) for p in sys.argv[1:4])
ep = lambda r: sorted((f["evidence"]["path"].split("!/")[-1], f["title"])
                      for f in r["findings"] if f["id"] == "FW-PLAINTEXT-ENDPOINT")
assert ep(good) == [], ep(good)
assert ep(nopkg) == [], ep(nopkg)
assert ep(bad) == [
    ("etc/config/cloud", "2 plaintext endpoints (MQTT, HTTP) in this file (no TLS)"),
    ("etc/opkg.conf", "plaintext HTTP endpoint (no TLS), fetched by opkg with no signature check"),
    ("usr/bin/fetch-fw.sh", "2 plaintext endpoints (HTTP) in this file (no TLS)"),
], ep(bad)
PY
echo ok
