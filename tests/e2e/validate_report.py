#!/usr/bin/env python3
"""validate_report.py REPORT.json: validate against docs/report.schema.json
and the rules the schema cannot state (16 ids in order, verdicts agree with
findings, summary counts agree with the checklist)."""
import json, os, sys
import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
schema = json.load(open(os.path.join(here, "../../docs/report.schema.json")))
rep = json.load(open(sys.argv[1]))
jsonschema.validate(rep, schema)
ids = [c["id"] for c in rep["checklist"]]
assert ids == ["S1.1-%02d" % i for i in range(1, 17)], ids
fids = {f["id"] for f in rep["findings"]}
for c in rep["checklist"]:
    broken = sorted({f["id"] for f in rep["findings"]
                     if c["id"] in f["requirements"]
                     and f["severity"] not in ("info", "low")})
    assert sorted(c["findings"]) == broken, (c["id"], c["findings"], broken)
    if c["verdict"] == "non-conformant":
        assert c["findings"], c
    else:
        assert not c["findings"], c
    if c["verdict"] == "needs-evidence":
        assert c["missing_evidence"], c
    assert set(c["findings"]) <= fids
s = rep["summary"]
count = lambda v: sum(1 for c in rep["checklist"] if c["verdict"] == v)
assert s["non_conformant"] == count("non-conformant")
assert s["conformant"] == count("conformant")
assert s["needs_evidence"] == count("needs-evidence")
assert s["not_applicable"] == count("not-applicable")
assert s["findings"] == len(rep["findings"])
assert s["complete"] == (len(rep["incomplete"]) == 0)
# Grouped issues (an assessment's report): every finding is one location
# of exactly one issue, and each count is its number of locations.
if "issues" in rep:
    for i in rep["issues"]:
        assert i["count"] == len(i["locations"]), i["id"]
    assert sum(i["count"] for i in rep["issues"]) == len(rep["findings"])
    ids = sorted({(i["id"], i["component"]) for i in rep["issues"]})
    assert len(ids) == len(rep["issues"]), "an (id, component) twice"
print("report valid:", sys.argv[1])
