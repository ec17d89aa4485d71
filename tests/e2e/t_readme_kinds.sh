#!/usr/bin/env bash
# The README's per-requirement table ("How each requirement is checked")
# agrees with the checks' finding tables (findings as data), for every
# check converted to a table: each kind a check can report is named in
# the row of each requirement it can break, under that check, and each id
# the README names under a converted check is one of its kinds and can
# break that row's requirement.  The kinds come from `starlab
# requirements --format json` (sl_finding_kinds); checks not converted
# yet are not judged here (tests/unit/test_findings.c lists them).
. "$(dirname "$0")/lib.sh" || exit 1

"$STARLAB" requirements --format json >"$T/req.json"
python3 - "$T/req.json" "$SL_SRC/README.md" <<'PY' || fail "README table and finding tables disagree"
import fnmatch, json, re, sys

reqs = json.load(open(sys.argv[1]))
kinds = {}
for r in reqs:
    for k in r["finding_kinds"]:
        kinds.setdefault(k["id"], {"check": k["check"], "reqs": set()})["reqs"].add(r["id"])
converted = {k["check"] for k in kinds.values()}
assert converted, "no converted check: the catalogue is empty"

text = open(sys.argv[2]).read()
sec = text[text.index("## How each requirement is checked"):]
sec = sec[:sec.index("\n## ", 5)]
rows = {}
for line in sec.splitlines():
    m = re.match(r"^\| (S1\.1-\d\d) \|", line)
    if m:
        rows[m.group(1)] = [c.strip() for c in line.strip().strip("|").split(" | ")]
assert len(rows) == 16, sorted(rows)

def expand(tok, prev, ids):
    """`-EXPIRING` after `FW-CERT-EXPIRED`: the one of prev's stems that
    makes a known id (or prev's last word replaced, when none does)."""
    if not tok.startswith("-") or prev is None:
        return tok
    parts = prev.split("-")
    cands = ["-".join(parts[:i]) + tok for i in range(len(parts) - 1, 0, -1)]
    for c in cands:
        if c in ids:
            return c
    return cands[0]

# Per (row, check): the ids the README names there.
named = {}
for rid, cells in rows.items():
    for cell in cells[2:4]:  # F and N columns
        for seg in cell.split(";"):
            # A check's name has a dot (fw.keys), or it is one of the
            # converted checks named like their command (app, assess,
            # service, snapshot); any other leading word starts no list.
            m = re.match(r"\s*`?([a-z]+(?:\.[a-z.-]+)?)`?\s", seg)
            if not m or ("." not in m.group(1) and m.group(1) not in converted):
                continue
            check = m.group(1)
            prev, out = None, set()
            for tok in re.findall(r"`([A-Z-][A-Z0-9*-]*)`", seg):
                full = expand(tok, prev, kinds)
                if not tok.startswith("-"):
                    prev = tok
                else:
                    prev = full
                out.add(full)
            named.setdefault((rid, check), set()).update(out)

bad = []
for kid, k in sorted(kinds.items()):
    for rid in sorted(k["reqs"]):
        ids = named.get((rid, k["check"]), set())
        if not any(fnmatch.fnmatchcase(kid, t) for t in ids):
            bad.append("%s (%s) can break %s but the README's row does not name it under %s"
                       % (kid, k["check"], rid, k["check"]))
for (rid, check), ids in sorted(named.items()):
    if check not in converted:
        continue
    for t in sorted(ids):
        hits = [kid for kid in kinds if fnmatch.fnmatchcase(kid, t)]
        if not hits:
            bad.append("README row %s names %s under %s: no such kind in its table" % (rid, t, check))
        for kid in hits:
            if kinds[kid]["check"] != check or rid not in kinds[kid]["reqs"]:
                bad.append("README row %s names %s under %s: the table says %s, %s"
                           % (rid, t, check, kinds[kid]["check"], sorted(kinds[kid]["reqs"])))
for b in bad:
    print(b)
assert not bad
print("README agrees with %d kinds of %d converted checks: %s"
      % (len(kinds), len(converted), ", ".join(sorted(converted))))
PY
echo "t_readme_kinds: ok"
