#!/usr/bin/env bash
# Issue 11, rules 1 and 2, on OpenWrt's own files.
# Rule 1: a UCI value is a credential only when the package table (or a
# password-shaped option name) and a literal value agree: luci's keep-files
# list ("option passwd /etc/passwd"), openvpn's key file names, a Wi-Fi key
# slot number and rpcd's "$p$root" give nothing; a PPPoE password, a DDNS
# password and a Wi-Fi PSK do.
# Rule 2: in program text only a string literal is a stored value: LuCI's
# "password = s:taboption(...)", "password:gsub(...)", shell expansions
# and concatenations give nothing; a literal in a Lua or shell file does.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

B=$T/bad
G=$T/good
for d in "$B" "$G"; do
	mkdir -p "$d/etc/config" "$d/usr/lib/lua/luci/model/cbi" "$d/lib/netifd/proto" \
		"$d/etc/init.d"
done
PPP=Pp9xQ2mZ7kW4
DDNS=Dd3vL8nR5tY1
PSK=Wf7-kQ2m-Zx9p
LUA=Lu4qX9zK2mP7vR
SH=Sh5tY8wQ3nB6

# ---- the look-alikes, in both images: nothing ----
for d in "$B" "$G"; do
	cat >"$d/etc/config/luci" <<'X'
config extern flash_keep
	option uci 		"/etc/config/"
	option dropbear "/etc/dropbear/"
	option passwd	"/etc/passwd"
	option opkg		"/etc/opkg.conf"
X
	cat >"$d/etc/config/openvpn_recipes" <<'X'
config openvpn_recipe server_tun_ptp
	option _description	"Simple server configuration for a routed point-to-point tunnel"
	option secret		"shared-secret.key"
	option askpass		"/etc/openvpn/pass.txt"
X
	cat >"$d/etc/config/rpcd" <<'X'
config login
	option username 'root'
	option password '$p$root'
X
	cat >"$d/usr/lib/lua/luci/model/cbi/proto_pppoe.lua" <<'X'
local map, section, net = ...
local username, password, ac, service
username = section:taboption("general", Value, "username", translate("PAP/CHAP username"))
password = section:taboption("general", Value, "password", translate("PAP/CHAP password"))
password.password = true
auth_secret = s:taboption("encryption", Value, "auth_secret", translate("Radius-Authentication-Secret"))
X
	cat >"$d/usr/lib/lua/luci/sys.lua" <<'X'
function user.setpasswd(username, password)
	if password then
		password = password:gsub("'", [['"'"']])
	end
	local secret_token = "prefix-abcdefgh" .. suffix
end
X
	mkdir -p "$d/web/js"
	cat >"$d/web/js/str.js" <<'X'
var str={pwd:"PIN Password",CONFIRM_PWD:"Confirm Password",t_cr_pwd:"&lt;default&gt;"};
var GPON_AUTH_PWD="GPON_AUTH_PWD";
var s={t_oldpwd:"Old Password:",t_newusr:"New User Name:",t_newpwd:"New Password:",t_help:"Help"};
X
	cat >"$d/lib/netifd/proto/ppp.sh" <<'X'
#!/bin/sh
ppp_generic_setup() {
	json_get_vars username password
	password="${password:+password=\"$password\"}"
	PASSWORD="$password"
	secret=`cat /etc/ppp/secret.txt`
}
X
done
cat >"$G/etc/config/wireless" <<'X'
config wifi-iface
	option device   radio0
	option encryption wep
	option key      1
	option key1     's:'
X
cat >"$G/etc/config/network" <<'X'
config interface 'wan'
	option proto    'pppoe'
	option username ''
	option password ''
X

# ---- true cases, in the planted image only ----
cat >"$B/etc/config/wireless" <<X
config wifi-iface
	option device   radio0
	option encryption psk2
	option key      '$PSK'
X
cat >"$B/etc/config/network" <<X
config interface 'wan'
	option proto    'pppoe'
	option username 'isp-user'
	option password '$PPP'
X
cat >"$B/etc/config/ddns" <<X
config service 'myddns'
	option username 'me'
	option password '$DDNS'
X
cat >"$B/usr/lib/lua/luci/cloud.lua" <<X
local api_password = "$LUA"
X
cat >"$B/etc/init.d/cloud" <<X
#!/bin/sh
PASSWORD='$SH'
X

fw_reports bad good

python3 - "$T/bad.json" "$T/good.json" <<'PY' || fail "rules 1 and 2"
import json, sys
bad, good = (json.load(open(p)) for p in sys.argv[1:3])
def got(r):
    return sorted((f["id"], f["evidence"]["path"].split("!/")[-1])
                  for f in r["findings"]
                  if f["id"].startswith(("FW-SECRET", "FW-PLAINTEXT-PASSWORD")))
want = sorted([
    ("FW-PLAINTEXT-PASSWORD", "etc/config/network"),
    ("FW-PLAINTEXT-PASSWORD", "etc/config/ddns"),
    ("FW-SECRET-WIFI-PSK", "etc/config/wireless"),
    ("FW-SECRET-ASSIGNMENT", "usr/lib/lua/luci/cloud.lua"),
    ("FW-SECRET-ASSIGNMENT", "etc/init.d/cloud"),
])
assert got(bad) == want, got(bad)
assert got(good) == [], got(good)
PY
echo ok
