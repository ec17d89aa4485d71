#!/usr/bin/env bash
# The Markdown and SARIF reports of a planted image (plaintext MQTT in UCI,
# a line full of Markdown and HTML, files whose names carry '|', '<', '`',
# '*', '_' and '[', a damaged ELF named like markup).  The Markdown is
# rendered with GitHub's own renderer (cmark-gfm, tables on, raw HTML
# allowed so that anything left unescaped would show): the checklist is a
# 16-row, 4-column table, the planted finding is listed under its
# requirement, hostile text comes out as text (no element the writer does
# not make itself), code spans hold the excerpts and paths exactly.  The
# SARIF is checked against the JSON report of the same image: version and
# $schema, rules == the set of ruleIds, levels, percent-encoded URIs that
# decode to the tree paths, byte offsets, requirement tags, notifications.
# Both formats are byte-identical across runs but for their timestamp.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs cmark-gfm

B=$T/bad
mkdir -p "$B/etc/config" "$B/usr/bin"
cat >"$B/etc/config/cloud" <<'X'
config cloud 'main'
	option broker 'mqtt://broker.vendor.io:1883'
X
# One line with everything Markdown or HTML could act on.
printf '%s\n' "option url 'http://evil.vendor.io/x' | <script>alert(1)</script> *b* _i_ [l](http://e.io) \`\`tick\`\` <img src=x> ~~s~~ # h & &amp; \\ |" \
	>"$B/etc/config/<b>a|b\`c*d_e[f]"
# An ELF32 executable whose program headers lie past its end.
python3 - "$B/usr/bin/<script>x|y" <<'PY'
import struct, sys
h = b"\x7fELF\x01\x01\x01" + b"\0" * 9
h += struct.pack("<HHIIIIIHHHHHH", 2, 40, 1, 0, 0x1000, 0, 0, 52, 32, 3, 0, 0, 0)
open(sys.argv[1], "wb").write(h + b"\0" * 64)
PY

mksquashfs "$B" "$T/bad.img" -comp xz -all-root -noappend -no-progress >/dev/null
for f in json md sarif; do
	rc=0
	"$STARLAB" firmware --format "$f" "$T/bad.img" >"$T/r.$f" || rc=$?
	[ "$rc" -eq 1 ] || fail "--format $f exits $rc, want 1"
done
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/r.json"
sleep 1
"$STARLAB" firmware --format md "$T/bad.img" >"$T/r2.md" || true
"$STARLAB" firmware --format sarif "$T/bad.img" >"$T/r2.sarif" || true
diff <(grep -v '^- \*\*Generated:\*\*' "$T/r.md") <(grep -v '^- \*\*Generated:\*\*' "$T/r2.md") ||
	fail "Markdown differs between runs beyond the Generated line"
diff <(grep -v '"endTimeUtc"' "$T/r.sarif") <(grep -v '"endTimeUtc"' "$T/r2.sarif") ||
	fail "SARIF differs between runs beyond endTimeUtc"
grep -q '^- \*\*Generated:\*\*' "$T/r.md" || fail "no Generated line"
cmark-gfm -e table --unsafe "$T/r.md" >"$T/r.html"

python3 - "$T/r.json" "$T/r.md" "$T/r.html" <<'PY' || fail "Markdown report"
import html, json, re, sys
from html.parser import HTMLParser
r = json.load(open(sys.argv[1]))
md = open(sys.argv[2]).read()
h = open(sys.argv[3]).read()

class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.rows, self.codes, self.items = set(), [], [], []
        self.stack, self.cell, self.code, self.li = [], None, None, []
    def handle_starttag(self, t, a):
        self.tags.add(t)
        self.stack.append(t)
        if t == "tr": self.rows.append([])
        if t in ("td", "th"): self.cell = ""
        if t == "code": self.code = ""
        if t == "li": self.li.append("")
    def handle_endtag(self, t):
        if self.stack and self.stack[-1] == t: self.stack.pop()
        if t in ("td", "th"): self.rows[-1].append(self.cell); self.cell = None
        if t == "code": self.codes.append(self.code); self.code = None
        if t == "li": self.items.append(self.li.pop())
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
        if self.code is not None: self.code += d
        if self.li: self.li[-1] += d
p = P()
p.feed(h)
# Only the elements the writer makes; hostile text made none.
allowed = {"h1", "h2", "h3", "p", "ul", "li", "strong", "code", "table",
           "thead", "tbody", "tr", "th", "td"}
assert p.tags <= allowed, p.tags - allowed
assert "<script" not in h and "<img" not in h and "<b>" not in h, "raw HTML passed through"
# The checklist: a header and 16 rows of 4 cells.
assert len(p.rows) == 17, len(p.rows)
assert p.rows[0] == ["ID", "Requirement", "Verdict", "Why / missing evidence"], p.rows[0]
assert [x[0] for x in p.rows[1:]] == ["S1.1-%02d" % i for i in range(1, 17)], p.rows
assert all(len(x) == 4 for x in p.rows), [x for x in p.rows if len(x) != 4]
v = {c["id"]: c for c in r["checklist"]}
for row in p.rows[1:]:
    c = v[row[0]]
    assert row[2] == c["verdict"], (row, c["verdict"])
    assert row[3].startswith(c["reason"]), (row[3], c["reason"])
    for m in c["missing_evidence"]:
        assert m in row[3], (m, row[3])
assert v["S1.1-12"]["verdict"] == "non-conformant"
assert "FW-PLAINTEXT-ENDPOINT" in p.rows[12][3], p.rows[12]
# The planted findings under their requirement, with path and excerpt as
# code spans that show the JSON report's text exactly.
sec = md.split("### S1.1-12 ", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
assert "**[medium] FW\\-PLAINTEXT\\-ENDPOINT**" in sec or "**[medium] FW-PLAINTEXT-ENDPOINT**" in sec, sec
eps = [f for f in r["findings"] if f["id"] == "FW-PLAINTEXT-ENDPOINT"]
assert len(eps) == 2, [f["evidence"] for f in eps]
for f in eps:
    assert f["evidence"]["path"] in p.codes, (f["evidence"]["path"], p.codes)
    assert f["evidence"]["excerpt"] in p.codes, (f["evidence"]["excerpt"], p.codes)
hostile = [f for f in eps if "evil.vendor.io" in f["evidence"]["excerpt"]][0]
assert "<script>" in hostile["evidence"]["excerpt"] and "``tick``" in hostile["evidence"]["excerpt"]
assert "`c*d_e[f]" in hostile["evidence"]["path"]
# The damaged ELF's name is hostile text in the incomplete list: shown as
# is, and it opened nothing.
inc = [i for i in r["incomplete"] if "<script>x|y" in i]
assert len(inc) == 1, r["incomplete"]
assert inc[0] in p.items, (inc[0], p.items)
assert "&lt;script&gt;x\\|y" in md, "the name was not escaped in the source"
assert "**Summary:** 1 non-conformant" in md, md[:600]
assert md.startswith("# JC-STAR STAR-1 assessment: bad.img\n"), md[:80]
# Cross-references for every requirement.
xr = md.split("## Cross-references\n", 1)[1]
assert all(("**S1.1-%02d**" % i) in xr for i in range(1, 17)), xr[:300]
assert "ETSI EN 303 645" in xr
PY

python3 - "$T/r.json" "$T/r.sarif" <<'PY' || fail "SARIF report"
import json, re, sys, urllib.parse
r = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
assert s["version"] == "2.1.0", s["version"]
assert s["$schema"].endswith("sarif-schema-2.1.0.json"), s["$schema"]
assert len(s["runs"]) == 1
run = s["runs"][0]
d = run["tool"]["driver"]
assert d["name"] == "starlab" and d["version"] == r["tool"]["version"], d
assert d["informationUri"].startswith("https://"), d
rules = d["rules"]
ids = [x["id"] for x in rules]
assert len(ids) == len(set(ids)), ids
res = run["results"]
assert ids and set(ids) == {x["ruleId"] for x in res}, (ids, res)
assert len(res) == len(r["findings"])
sev = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
uri_ok = re.compile(r"^[A-Za-z0-9\-._~/@!%]+$")
for x, f in zip(res, r["findings"]):
    assert x["ruleId"] == f["id"], (x["ruleId"], f["id"])
    assert rules[x["ruleIndex"]]["id"] == x["ruleId"]
    assert x["level"] in ("error", "warning", "note") and x["level"] == sev[f["severity"]], x
    assert x["message"]["text"] == f["title"]
    assert x["properties"]["requirements"] == f["requirements"]
    assert x["properties"]["severity"] == f["severity"]
    ev = f["evidence"]
    if "path" in ev:
        pl = x["locations"][0]["physicalLocation"]
        uri = pl["artifactLocation"]["uri"]
        assert uri_ok.match(uri), uri
        assert ":" not in uri.split("/")[0], uri
        assert urllib.parse.unquote(uri) == ev["path"], (uri, ev["path"])
        if "offset" in ev:
            assert pl["region"]["byteOffset"] == ev["offset"], pl
    if "host" in ev:
        assert x["locations"][0]["logicalLocations"][0]["name"].endswith(":%d" % ev["port"])
for rule in rules:
    reqs = sorted({q for f in r["findings"] if f["id"] == rule["id"] for q in f["requirements"]})
    order = ["info", "low", "medium", "high", "critical"]
    worst = max((f["severity"] for f in r["findings"] if f["id"] == rule["id"]), key=order.index)
    # "security" (code scanning's class), the worst severity, the requirements.
    want = ["security", worst] + reqs
    assert rule["properties"]["tags"] == want, (rule["id"], rule["properties"]["tags"], want)
    assert rule["shortDescription"]["text"] and rule["help"]["text"], rule
inv = run["invocations"][0]
assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", inv["endTimeUtc"]), inv
assert [n["message"]["text"] for n in inv["toolExecutionNotifications"]] == r["incomplete"]
assert [(c["id"], c["verdict"]) for c in run["properties"]["checklist"]] == \
    [(c["id"], c["verdict"]) for c in r["checklist"]]
assert run["properties"]["subject"]["firmware"]["sha256"] == r["subject"]["firmware"]["sha256"]
PY
echo ok
