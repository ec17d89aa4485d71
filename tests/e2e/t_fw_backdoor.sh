#!/usr/bin/env bash
# Issue 11, rule 9: well-known vendor backdoors found by content.  The
# D-Link User-Agent in a web server binary and Zyxel's fixed password as a
# C string give one critical finding each; the same text quoted in a
# README, a partial User-Agent and the password inside a longer word give
# nothing.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs

B=$T/bad
G=$T/good
for d in "$B" "$G"; do
	mkdir -p "$d/usr/sbin" "$d/usr/share/doc/httpd" "$d/bin"
	printf 'CVE-2013-6026: the User-Agent xmlset_roodkcableoj28840ybtide skips the login.\n' \
		>"$d/usr/share/doc/httpd/README"
done
printf '\177ELF\001\002\001\000\000\000Mozilla/5.0\000xmlset_roodkcableoj28840ybtide\000/tools_admin.php\000' \
	>"$B/usr/sbin/httpd"
printf '\177ELF\001\002\001\000\000\000zyfwp\000PrOw!aN_fXp\000\000' >"$B/bin/zysh"
printf '\177ELF\001\002\001\000\000\000Mozilla/5.0\000xmlset_roodkcable\000/tools_admin.php\000' \
	>"$G/usr/sbin/httpd"
printf '\177ELF\001\002\001\000\000\000zyfwp\000xPrOw!aN_fXpx\000\000' >"$G/bin/zysh"

fw_reports bad good
python3 - "$T/bad.json" "$T/good.json" <<'PY' || fail "rule 9 backdoors"
import json, sys
bad, good = (json.load(open(p)) for p in sys.argv[1:3])
bd = lambda r: sorted((f["evidence"]["path"].split("!/")[-1], f["severity"], tuple(f["requirements"]))
                      for f in r["findings"] if f["id"] == "FW-BACKDOOR")
assert bd(bad) == [("bin/zysh", "critical", ("S1.1-01", "S1.1-02")),
                   ("usr/sbin/httpd", "critical", ("S1.1-01", "S1.1-02"))], bd(bad)
t = [f for f in bad["findings"] if f["id"] == "FW-BACKDOOR" and f["evidence"]["path"].endswith("httpd")][0]
assert "CVE-2013-6026" in t["title"] and "xmlset_roodkcableoj28840ybtide" in t["evidence"]["excerpt"], t
assert bd(good) == [], bd(good)
v = {c["id"]: c["verdict"] for c in bad["checklist"]}
assert v["S1.1-01"] == "non-conformant", v
PY
echo ok
