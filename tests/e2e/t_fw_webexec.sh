#!/usr/bin/env bash
# fw.webexec: web handlers that pass a request parameter to a shell.
# Planted (one finding per file, at the first sink line): a LuCI
# controller handing formvalue() through a local to io.popen, a PHP page
# handing $_GET to system(), a shell CGI eval'ing haserl's $FORM_ value.
# Look-alikes that stay quiet: the value checked against a pattern first
# (LuCI's own diagnostics page), a same-named variable of another function
# next to "/dev/null" in a string, escapeshellarg, and a sink with no
# request data at all.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

B=$T/bad
mkdir -p "$B/usr/lib/lua/luci/controller/admin" "$B/www/cgi-bin" "$B/bin"
cat >"$B/usr/lib/lua/luci/controller/admin/tools.lua" <<'X'
module("luci.controller.admin.tools", package.seeall)
function action_ping()
	local addr = luci.http.formvalue("addr")
	local util = io.popen("ping -c 3 " .. addr .. " 2>&1")
	luci.http.write(util:read("*a"))
end
function action_trace()
	os.execute("traceroute " .. luci.http.formvalue("host"))
end
X
cat >"$B/www/tools.php" <<'X'
<?php
$ip = $_GET['ip'];
system("ping -c 1 " . $ip);
?>
X
cat >"$B/www/cgi-bin/diag.cgi" <<'X'
#!/bin/sh
echo "Content-Type: text/plain"; echo
eval "ping -c 1 $FORM_host"
X
chmod 0755 "$B/www/cgi-bin/diag.cgi"

G=$T/good
mkdir -p "$G/usr/lib/lua/luci/controller/admin" "$G/www/cgi-bin"
cat >"$G/usr/lib/lua/luci/controller/admin/network.lua" <<'X'
module("luci.controller.admin.network", package.seeall)
function wifi_add()
	local dev = luci.http.formvalue("device")
	luci.http.redirect(dev)
end
function wifi_reload()
	luci.sys.call("env -i /bin/ubus call network reload >/dev/null 2>/dev/null")
end
function diag_command(cmd, addr)
	local addr = luci.http.formvalue("addr")
	if addr and addr:match("^[a-zA-Z0-9%-%.:_]+$") then
		local util = io.popen(cmd % addr)
	end
end
X
cat >"$G/www/tools.php" <<'X'
<?php
$ip = $_GET['ip'];
system("ping -c 1 " . escapeshellarg($ip));
?>
X
printf '#!/bin/sh\necho "Content-Type: text/plain"; echo\nuptime\n' >"$G/www/cgi-bin/up.cgi"
chmod 0755 "$G/www/cgi-bin/up.cgi"

fw_reports bad good

python3 - "$T" <<'PY' || fail "fw.webexec findings"
import json, os, sys
T = sys.argv[1]
def web(n):
    r = json.load(open(os.path.join(T, n + ".json")))
    return sorted((f["evidence"]["path"].split("!/")[-1], f["severity"],
                   tuple(f["requirements"]), f["evidence"]["excerpt"])
                  for f in r["findings"] if f["id"] == "FW-WEB-COMMAND-INJECTION")
got = web("bad")
want = [
    ("usr/lib/lua/luci/controller/admin/tools.lua", "high", ("S1.1-13",),
     'local util = io.popen("ping -c 3 " .. addr .. " 2>&1") [and 1 more]'),
    ("www/cgi-bin/diag.cgi", "high", ("S1.1-13",), 'eval "ping -c 1 $FORM_host"'),
    ("www/tools.php", "high", ("S1.1-13",), 'system("ping -c 1 " . $ip);'),
]
assert got == want, got
tools = open(os.path.join(T, "bad/usr/lib/lua/luci/controller/admin/tools.lua"), "rb").read()
r = json.load(open(os.path.join(T, "bad.json")))
f = [f for f in r["findings"] if f["evidence"]["path"].endswith("tools.lua")][0]
assert f["evidence"]["offset"] == tools.index(b"local util"), f
assert web("good") == [], web("good")
PY
echo ok
