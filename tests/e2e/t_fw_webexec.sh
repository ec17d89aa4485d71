#!/usr/bin/env bash
# fw.webexec: web handlers that pass a request parameter to a shell.
# Planted (one finding per file, at the first sink line): a LuCI
# controller handing formvalue() through a local to io.popen, a PHP page
# handing $_GET to system(), a shell CGI eval'ing haserl's $FORM_ value.
# Look-alikes that stay quiet: the value checked against a pattern first
# (LuCI's own diagnostics page), a same-named variable of another function
# next to "/dev/null" in a string, escapeshellarg, and a sink with no
# request data at all, and empty handlers.
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
# Empty handlers: nothing to find, and no NULL handed to memchr (UBSan,
# found by the webexec fuzz target in an empty zip member).
: >"$G/usr/lib/lua/luci/controller/admin/empty.lua"
: >"$G/www/empty.php"
cat >"$G/www/tools.php" <<'X'
<?php
$ip = $_GET['ip'];
system("ping -c 1 " . escapeshellarg($ip));
?>
X
printf '#!/bin/sh\necho "Content-Type: text/plain"; echo\nuptime\n' >"$G/www/cgi-bin/up.cgi"
chmod 0755 "$G/www/cgi-bin/up.cgi"

fw_reports bad good

# The good tree as a zip whose members are all deflated, as Python's and
# Java's zip writers do: an empty member then inflates to no buffer at
# all (under UBSan, memchr(NULL, ...) stopped the run).
python3 - "$G" "$T/good.zip" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in os.walk(sys.argv[1]):
        for f in files:
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, sys.argv[1]))
PY
rc=0
"$STARLAB" firmware --format json "$T/good.zip" >"$T/goodzip.json" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "good.zip: exit $rc"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/goodzip.json" ||
	fail "good.zip: no valid report"
[ "$(json_get "$T/goodzip.json" 'sum(f["id"] == "FW-WEB-COMMAND-INJECTION" for f in j["findings"])')" = 0 ] ||
	fail "good.zip: a web command injection in the quiet handlers"

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
