#!/usr/bin/env bash
# mkseeds_fw.sh - (re)build the seeds of the firmware-check targets whose
# input is one file's content (SL_FUZZ_CHECK in fuzz/fuzz.h): config,
# keys, model, webexec and content, in fuzz/corpus/NAME/.  Each seed is a
# file such a check reads, made here: UCI files written as OpenWrt writes
# them, keys and certificates made by openssl and dropbearkey, a device
# tree compiled by dtc, web handlers as LuCI, PHP and CGI authors write
# them (one passing a parameter to a shell, one that checks it first),
# scripts, pages, package lists and a binary's strings with what the
# content checks look for.  Small (well under 4 KiB each: libFuzzer's
# default -max_len).
#
# Run by fuzz/mkseeds.sh; alone, it rebuilds only these five.  Keys are
# random: a rerun changes their bytes, not what they exercise.  Needs
# openssl, dropbearkey (dropbear-bin) and dtc (device-tree-compiler).
. "$(dirname "$0")/seedlib.sh"

# ---- config: the UCI files fw.config reads ----
seed config uhttpd <<'X'
config uhttpd 'main'
	list listen_http '0.0.0.0:80'
	list listen_http '[::]:80'
	list listen_https '0.0.0.0:443'
	option redirect_https '0'
	option home '/www'
	option cert '/etc/uhttpd.crt'
	option key '/etc/uhttpd.key'
	option cgi_prefix '/cgi-bin'

config cert 'defaults'
	option days '730'
	option bits '1024'
	option country 'ZZ'
	option commonname 'OpenWrt'
X
seed config upnpd <<'X'
config upnpd 'config'
	option enabled '1'
	option enable_upnp '1'
	option secure_mode '0'
	option internal_iface 'lan'

config perm_rule
	option action 'allow'
	option ext_ports '1024-65535'
	option int_addr '0.0.0.0/0'
	option int_ports '1024-65535'
X
seed config wireless <<'X'
config wifi-device 'radio0'
	option type 'mac80211'
	option channel '11'
	option hwmode '11g'

config wifi-iface 'default_radio0'
	option device 'radio0'
	option network 'lan'
	option mode 'ap'
	option ssid 'OpenWrt'
	option encryption 'none'
X
seed config system <<'X'
config system
	option hostname 'OpenWrt'
	option timezone 'UTC'
	option ttylogin '0'
	option log_size '64'

config timeserver 'ntp'
	option enabled '1'
X
seed config olsrd <<'X'
config olsrd
	option IpVersion '4'

config LoadPlugin
	option library 'olsrd_txtinfo.so.0.1'
	option accept '0.0.0.0'

config LoadPlugin
	option library 'olsrd_httpinfo.so.0.1'
	option port '1978'
	list Net '0.0.0.0 0.0.0.0'
	option ignore '0'
X

# ---- keys: what fw.keys reads by name and by content ----
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out "$T/ec.pem" 2>/dev/null
seed keys ec-pkcs8.pem <"$T/ec.pem"
openssl pkey -in "$T/ec.pem" -outform DER -out "$T/ec.der"
seed keys ec.der <"$T/ec.der"
openssl pkey -in "$T/ec.pem" -aes-128-cbc -passout pass:seed \
	-out "$T/enc.pem"
seed keys ec-encrypted.pem <"$T/enc.pem"
# A self-signed SHA-1 certificate with its key in the same file.
openssl req -x509 -key "$T/ec.pem" -sha1 -days 30 -subj /CN=device.local \
	-out "$T/cert.pem" 2>/dev/null
cat "$T/ec.pem" "$T/cert.pem" | seed keys key-and-cert.pem
openssl x509 -in "$T/cert.pem" -outform DER | seed keys cert.der
# A 1024-bit RSA key in the traditional (PKCS#1) form.
openssl genrsa -traditional 1024 2>/dev/null | seed keys rsa1024.pem
openssl pkcs12 -export -inkey "$T/ec.pem" -in "$T/cert.pem" \
	-passout pass: -out "$T/id.p12" 2>/dev/null
seed keys store.p12 <"$T/id.p12"
if command -v dropbearkey >/dev/null; then
	dropbearkey -t ecdsa -s 256 -f "$T/db_ecdsa" >/dev/null 2>&1
	seed keys dropbear_ecdsa_host_key <"$T/db_ecdsa"
fi

# ---- model: a device tree blob (dtc) naming the board ----
cat >"$T/board.dts" <<'X'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "Starlab SL-R100";
	compatible = "starlab,sl-r100", "qca,qca9533";
	chosen {
		bootargs = "console=ttyS0,115200";
	};
	memory@0 {
		device_type = "memory";
		reg = <0x0 0x2000000>;
	};
};
X
dtc -q -I dts -O dtb -o "$T/board.dtb" "$T/board.dts"
seed model board.dtb <"$T/board.dtb"
sed 's/"starlab,sl-r100", "qca,qca9533"/"starlab,sl-r100"/' "$T/board.dts" >"$T/one.dts"
dtc -q -I dts -O dtb -o "$T/one.dtb" "$T/one.dts"
seed model one-compatible.dtb <"$T/one.dtb"

# ---- webexec: web handlers, tainted and checked ----
seed webexec luci-tainted.lua <<'X'
module("luci.controller.diag", package.seeall)
function index()
	entry({"admin", "diag", "ping"}, call("ping")).leaf = true
end
function ping()
	local host = luci.http.formvalue("host")
	local count = luci.http.formvalue("count") or "3"
	local f = io.popen("ping -c " .. count .. " " .. host .. " 2>&1")
	luci.http.write(f:read("*a"))
	f:close()
end
X
seed webexec luci-checked.lua <<'X'
module("luci.controller.diag", package.seeall)
function ping()
	local host = luci.http.formvalue("host")
	if host and host:match("^[a-zA-Z0-9%-%.:_]+$") then
		luci.sys.call("ping -c 3 " .. luci.util.shellquote(host))
	end
end
X
seed webexec page.php <<'X'
<?php
$target = $_POST['target'];
$n = intval($_GET['n']);
echo shell_exec("traceroute -m " . $n . " " . $target);
passthru("nslookup " . escapeshellarg($_GET['name']));
?>
X
seed webexec diag.cgi <<'X'
#!/bin/sh
echo "Content-Type: text/plain"
echo
host=$(echo "$QUERY_STRING" | sed 's/.*host=\([^&]*\).*/\1/')
eval "ping -c 1 $host"
sh -c "arping -c 1 $FORM_ip"
X

# ---- content: what fw.secrets, fw.transport, fw.components and
# fw.backdoor find by pattern in any file ----
seed content agent.sh <<'X'
#!/bin/sh
# cloud agent: fetch the config, report status
API_KEY="AKIAIOSFODNN7EXAMPLE"
PASSWORD='Sup3rS3cret!'
curl -k -s "https://api.vendor.example/v1/config?key=$API_KEY" -o /tmp/c.json
wget -q http://update.vendor.example/fw/latest.bin -O /tmp/fw.bin
mosquitto_pub -h mqtt://broker.vendor.example:1883 -u dev -P "$PASSWORD" -t status -m up
X
seed content app.js <<'X'
var cfg = {
  apiUrl: "http://cloud.vendor.example/api",
  apiKey: "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
  token: "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
  rejectUnauthorized: false
};
fetch(cfg.apiUrl + "/login", {method: "POST", body: "user=admin&pass=admin"});
X
seed content cloud.uci <<'X'
config cloud 'main'
	option server 'tcp://iot.vendor.example:8883'
	option password 'factory-default-1'
	option verify_peer '0'
	option ca_file ''
X
seed content opkg-status <<'X'
Package: busybox
Version: 1.30.1-6
Depends: libc
Status: install user installed
Architecture: mips_24kc

Package: dropbear
Version: 2019.78-2
Status: install user installed
Architecture: mips_24kc

Package: libopenssl1.1
Version: 1.1.1k-1
Status: install user installed
Architecture: mips_24kc
X
seed content opkg.conf <<'X'
dest root /
dest ram /tmp
lists_dir ext /var/opkg-lists
option overlay_root /overlay
src/gz openwrt_core http://downloads.openwrt.org/releases/19.07.7/targets/ath79/generic/packages
# option check_signature
X
# A binary's strings: versions, a TLS option turned off, a backdoor string.
printf '\177ELF\001\002\001\000%s\000BusyBox v1.24.1 (2019-03-01 10:00:00 CST) multi-call binary.\000OpenSSL 1.0.2k  26 Jan 2017\000dropbear_2017.75\000SSL_VERIFY_NONE\000CURLOPT_SSL_VERIFYPEER\000xmlset_roodkcableoj28840ybtide\000http://fw.vendor.example/upgrade.cgi\000' \
	"$(head -c 24 /dev/zero | tr '\0' 'A')" | seed content strings.bin
