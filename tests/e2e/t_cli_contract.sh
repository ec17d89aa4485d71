#!/usr/bin/env bash
# The command-line contract of issue 15: -h and --help on every command
# and `starlab help CMD` print that command's usage; a bad option is one
# line naming it plus the "Try" line; --version names the data compiled
# in; snapshot refuses to start without its required --profile; the text
# and Markdown reports list findings by severity, then id; --progress=json
# gives one JSON object per line on stderr, --quiet nothing, and a
# non-terminal stderr nothing by default; CycloneDX has one component
# per (name, version, place) with its paths as evidence occurrences.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs mips-linux-gnu-gcc mkimage mkfs.jffs2 strace

cmds=$("$STARLAB" --help | awk '/^commands:/{on=1; next} on && NF==0{exit} on{print $1}')
[ "$(echo "$cmds" | wc -l)" -ge 13 ] || fail "commands not listed: $cmds"
for c in $cmds; do
	for h in -h --help; do
		"$STARLAB" "$c" $h >"$T/h1" 2>"$T/h1.err" || fail "$c $h: exit $?"
		grep -q "^usage: starlab $c" "$T/h1" || fail "$c $h: no usage line"
		[ ! -s "$T/h1.err" ] || fail "$c $h wrote to stderr"
	done
	"$STARLAB" help "$c" >"$T/h2" || fail "help $c: exit $?"
	cmp -s "$T/h1" "$T/h2" || fail "help $c differs from $c --help"
	# One line naming the option, one "Try" line, exit 2.
	rc=0
	"$STARLAB" "$c" --no-such-option >/dev/null 2>"$T/e" || rc=$?
	[ "$rc" = 2 ] || fail "$c --no-such-option: exit $rc"
	[ "$(wc -l <"$T/e")" = 2 ] || fail "$c: bad option said $(wc -l <"$T/e") times: $(cat "$T/e")"
	grep -q "^starlab $c: unknown or ambiguous option '--no-such-option'$" "$T/e" ||
		fail "$c: $(head -1 "$T/e")"
	grep -q "^Try 'starlab $c --help'.$" "$T/e" || fail "$c: no Try line"
done
rc=0
"$STARLAB" help no-such-command >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "help of an unknown command: exit $rc"
# A missing value and an unwanted one, named.
rc=0
"$STARLAB" device 127.0.0.1 --rate 2>"$T/e" || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <"$T/e")" = 2 ] && grep -q "option '--rate' needs a value" "$T/e" ||
	fail "device --rate: $rc $(cat "$T/e")"
rc=0
"$STARLAB" device 127.0.0.1 --no-udp=1 2>"$T/e" || rc=$?
[ "$rc" = 2 ] && grep -q "option '--no-udp' takes no value" "$T/e" || fail "--no-udp=1: $(cat "$T/e")"
rc=0
"$STARLAB" ls -x 2>"$T/e" || rc=$?
[ "$rc" = 2 ] && grep -q "unknown option '-x'" "$T/e" || fail "ls -x: $(cat "$T/e")"
# The shared device options: the same checks in device and assess.
for c in device assess; do
	rc=0
	"$STARLAB" $c --profile "$SL_SRC/samples/profile.yaml" -o "$T/o-$c" \
		--creds "$T/none.txt" 127.0.0.1 2>"$T/e" || rc=$?
	[ "$rc" = 2 ] && grep -q "$T/none.txt: No such file" "$T/e" || fail "$c --creds missing: $rc $(cat "$T/e")"
	rc=0
	"$STARLAB" $c --bf-attempts 1001 127.0.0.1 2>"$T/e" || rc=$?
	[ "$rc" = 2 ] && grep -q "bad bf-attempts '1001' (0..1000)" "$T/e" || fail "$c --bf-attempts: $(cat "$T/e")"
done

# --version: the program's version, then the data it carries.
"$STARLAB" --version >"$T/ver"
head -1 "$T/ver" | grep -Eq '^starlab [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version line 1"
date=$(grep -v '^#' "$SL_SRC/data/vulns/cves.tsv" | awk -F'\t' 'NF > 8 {print substr($8, 1, 10)}' | sort | tail -1)
grep -q "^vulnerabilities: bundled CVE set of $date (" "$T/ver" || fail "CVE date $date: $(cat "$T/ver")"
n=$(grep -cve '^#' -e '^$' "$SL_SRC/data/passwords/default-passwords.txt" || true)
grep -q "^default passwords: [0-9]" "$T/ver" || fail "--version: passwords"
echo "--version: $(tr '\n' ';' <"$T/ver") (password lines in the list: $n)"

# snapshot: --profile is required, refused before any network step.
rc=0
# LeakSanitizer cannot stop the world under strace's ptrace.
ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=connect,socket -o "$T/strace" "$STARLAB" snapshot 127.0.0.1 2>"$T/e" || rc=$?
[ "$rc" = 2 ] && grep -q -- "--profile FILE is required" "$T/e" || fail "snapshot without --profile: $rc $(cat "$T/e")"
! grep -Eq 'AF_INET|AF_INET6' "$T/strace" || fail "snapshot without --profile opened a socket"

# Findings by severity, then id: text and Markdown.
img=$(bash "$SL_SRC/samples/build.sh" "$T")
rc=0
"$STARLAB" firmware "$img" --progress=json -o "$T/rep" >/dev/null 2>"$T/progress" || rc=$?
[ "$rc" = 1 ] || fail "firmware: exit $rc: $(tail -3 "$T/progress")"
python3 - "$T/rep/report.txt" "$T/rep/report.md" "$T/progress" <<'PY' || fail "order or progress"
import json, re, sys
rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
txt = [re.match(r"^  \[(\w+)\] ([A-Z0-9-]+):", l) for l in open(sys.argv[1])]
keys = [(rank[m.group(1)], m.group(2)) for m in txt if m]
assert len(keys) > 10, keys
assert keys == sorted(keys), keys
assert len({k[0] for k in keys}) >= 3, "the sample should span severities"
# Markdown: within each requirement's section, severity then id.
sec = []
for l in open(sys.argv[2]):
    if l.startswith("### "):
        sec.append([])
    m = re.match(r"^- (?:\*\*)?\[(critical|high|medium|low|info)\] ([A-Z0-9\\-]+)", l)
    if m and sec:
        sec[-1].append((rank[m.group(1)], m.group(2).replace("\\", "")))
assert any(len(s) > 1 for s in sec), sec
for s in sec:
    assert s == sorted(s), s
# --progress=json: only JSON objects, one a line, the stages in order.
lines = [l for l in open(sys.argv[3]) if l.strip()]
objs = [json.loads(l) for l in lines]
stages = [o["stage"] for o in objs if "stage" in o]
assert "unpack" in stages and "checks" in stages, stages
assert stages.index("unpack") < stages.index("checks"), stages
# A stage never comes back once the next began (the checks' file reads
# decode too, but they are the checks' stage).
idx = [["unpack", "checks"].index(x) for x in stages]
assert idx == sorted(idx), stages
for o in objs:
    if "stage" not in o:
        assert set(o) == {"message"}, o
        continue
    assert o["input"].endswith("sample-fw.bin"), o
    assert o["done"] >= 0 and o["total"] >= 0 and isinstance(o["finished"], bool), o
    if o["total"]:
        assert o["done"] <= o["total"], o
ends = [o for o in objs if o.get("stage") == "checks" and o["finished"]]
assert ends and ends[-1]["done"] == ends[-1]["total"] > 5, ends
un = [o for o in objs if o.get("stage") == "unpack" and o["finished"]]
assert un and un[-1]["extra"] > 50 and un[-1]["done"] > 1000000, un
print("progress: %d lines, stages %s" % (len(objs), sorted(set(stages))))
PY
# CycloneDX: one component per (name, version, place), every path it was
# found at an evidence occurrence (the kernel: the uImage and its stream).
python3 -W ignore "$SL_SRC/tests/e2e/validate_official.py" cyclonedx "$T/rep/sbom.cdx.json" >/dev/null ||
	fail "sbom.cdx.json not valid CycloneDX 1.5"
python3 - "$T/rep/sbom.cdx.json" <<'PY' || fail "CycloneDX components"
import json, sys
d = json.load(open(sys.argv[1]))
keys = [(c["name"], c["version"]) for c in d["components"]]
assert len(keys) == len(set(keys)), keys
k = [c for c in d["components"] if c["name"] == "linux"]
assert len(k) == 1, k
occ = [o["location"] for o in k[0]["evidence"]["occurrences"]]
assert len(occ) == 2 and all("uimage!/image-0" in o for o in occ), occ
refs = {c["bom-ref"] for c in d["components"]}
for v in d.get("vulnerabilities", []):
    a = [x["ref"] for x in v["affects"]]
    assert len(a) == len(set(a)) and set(a) <= refs, v["id"]
PY
# A device run (loopback only, a few closed ports): the device stages.
"$STARLAB" device 127.0.0.1 --ports 1-300 --no-udp --max-logins 0 --bf-attempts 0 \
	--progress=json --format json >/dev/null 2>"$T/dprog" || true
python3 - "$T/dprog" <<'PY' || fail "device --progress=json: $(head -5 "$T/dprog")"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
st = [o for o in objs if "stage" in o]
assert all(o["input"] == "127.0.0.1" for o in st), st
ports = [o for o in st if o["stage"] == "ports"]
assert ports[0]["done"] == 0 and ports[0]["total"] == 300, ports
assert ports[-1]["finished"] and ports[-1]["done"] == 300, ports
dc = [o for o in st if o["stage"] == "device-checks"]
names = [o["name"] for o in dc if o["name"]]
assert "net.creds" in names and "net.tls" in names, names
assert dc[-1]["finished"] and dc[-1]["done"] == dc[-1]["total"] == len(names), dc
order = [o["stage"] for o in st]
idx = [["ports", "udp", "services", "device-checks"].index(x) for x in order]
assert idx == sorted(idx) and {"ports", "services", "device-checks"} <= set(order), order
PY
# Not a terminal: nothing on stderr by default, nothing with --quiet.
for q in "" --quiet; do
	"$STARLAB" firmware "$img" $q --format json >/dev/null 2>"$T/quiet" || true
	[ ! -s "$T/quiet" ] || fail "firmware $q on a pipe wrote: $(head -3 "$T/quiet")"
done
# On a terminal (script(1) gives one): the live line, rewritten in place.
if command -v script >/dev/null; then
	script -qec "'$STARLAB' firmware '$img' --format json >/dev/null" /dev/null >"$T/tty" || true
	grep -q $'\r\033\[Kstarlab: .*sample-fw.bin: firmware checks' "$T/tty" || fail "no live line on a terminal"
	script -qec "'$STARLAB' firmware '$img' --quiet --format json >/dev/null" /dev/null >"$T/ttyq" || true
	! grep -q 'firmware checks' "$T/ttyq" || fail "--quiet on a terminal still shows progress"
fi
echo "t_cli_contract: ok"
