#!/usr/bin/env python3
"""validate_official.py sarif|cyclonedx FILE: validate a report against the
official schema kept in tests/schemas/ (SARIF 2.1.0 from oasis-tcs/sarif-spec,
CycloneDX 1.5 with its spdx and jsf schemas from CycloneDX/specification;
tests/schemas/README.md says where each came from).  No network: every $ref
resolves to a local copy."""
import json, os, sys
import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
sdir = os.path.join(here, "../schemas")
kind, path = sys.argv[1], sys.argv[2]
main = {"sarif": "sarif-schema-2.1.0.json",
        "cyclonedx": "bom-1.5.schema.json"}[kind]
store = {}
for f in os.listdir(sdir):
    if f.endswith(".json"):
        s = json.load(open(os.path.join(sdir, f)))
        sid = s.get("$id") or s.get("id")
        if sid:
            store[sid] = s
            store[sid.rstrip("#")] = s
schema = json.load(open(os.path.join(sdir, main)))
cls = jsonschema.validators.validator_for(schema)
resolver = jsonschema.RefResolver.from_schema(schema, store=store)
doc = json.load(open(path))
errors = sorted(cls(schema, resolver=resolver).iter_errors(doc),
                key=lambda e: list(e.path))
for e in errors[:20]:
    print("%s: %s at /%s" % (path, e.message,
                             "/".join(str(p) for p in e.path)),
          file=sys.stderr)
if errors:
    sys.exit(1)
# A schema that validates everything proves nothing: the draft must match.
assert cls.__name__ in ("Draft4Validator", "Draft7Validator"), cls.__name__
print("%s valid against %s" % (path, main))
