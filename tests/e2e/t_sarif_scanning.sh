#!/usr/bin/env bash
# SARIF for GitHub code scanning (issue 15): valid against the SARIF
# 2.1.0 schema kept in tests/schemas/; every result has a physical
# location (firmware: the tree path, with the line in a text file; a
# device: starlab://HOST:PORT/PROTO plus a logical location HOST:PORT);
# partialFingerprints identical across two runs and distinct within one;
# one rule per finding id with its own short and full description, help
# text and markdown, tags "security", the severity and the requirement
# ids, and a helpUri on the requirement's section of docs/requirements.md.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs mips-linux-gnu-gcc mkimage mkfs.jffs2
V=$SL_SRC/tests/e2e

img=$(bash "$SL_SRC/samples/build.sh" "$T")
for r in 1 2; do
	"$STARLAB" firmware "$img" --format sarif >"$T/fw$r.sarif" 2>/dev/null || true
	python3 -W ignore "$V/validate_official.py" sarif "$T/fw$r.sarif" >/dev/null ||
		fail "run $r: not valid SARIF 2.1.0: $(python3 -W ignore "$V/validate_official.py" sarif "$T/fw$r.sarif" | head -3)"
done

# A device: an HTTP server on loopback that asks for Basic credentials
# (net.plaintext), on a port of its own.
cat >"$T/basic.py" <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="router"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 "$T/basic.py" >"$T/port" &
srv=$!
trap 'kill $srv 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
port=$(cat "$T/port")
[ -n "$port" ] || fail "the loopback HTTP server did not start"
"$STARLAB" device 127.0.0.1 --ports "$port" --no-udp --max-logins 0 --bf-attempts 0 \
	--format sarif >"$T/dev.sarif" 2>/dev/null || true
python3 -W ignore "$V/validate_official.py" sarif "$T/dev.sarif" >/dev/null || fail "device SARIF not valid"

python3 - "$T/fw1.sarif" "$T/fw2.sarif" "$T/dev.sarif" "$SL_SRC" "$port" <<'PY' || fail "SARIF for code scanning"
import json, re, sys
fw1, fw2, dev = (json.load(open(p))["runs"][0] for p in sys.argv[1:4])
src, port = sys.argv[4], sys.argv[5]
docs = open(src + "/docs/requirements.md").read()
anchors = {"s11-%s" % m for m in re.findall(r"^## S1\.1-(\d\d)$", docs, re.M)}
assert len(anchors) == 16, anchors

def check_run(run):
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)), ids
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"], r
        assert r["help"]["text"] and r["help"]["markdown"], r
        tags = r["properties"]["tags"]
        assert tags[0] == "security" and tags[1] in ("critical", "high", "medium", "low", "info"), tags
        reqs = [t for t in tags if t.startswith("S1.1-")]
        assert reqs, r
        m = re.match(r"^https?://.+/requirements\.md#(s11-\d\d)$", r["helpUri"])
        assert m and m.group(1) in anchors, r["helpUri"]
        assert m.group(1) == reqs[0].replace(".", "").lower(), (r["helpUri"], reqs)
    # A rule whose results carry several titles is not named after one.
    for rid in ids:
        msgs = {x["message"]["text"] for x in run["results"] if x["ruleId"] == rid}
        short = next(r for r in rules if r["id"] == rid)["shortDescription"]["text"]
        if len(msgs) > 1:
            assert short not in msgs, (rid, short)
    fps = []
    for x in run["results"]:
        assert len(x["locations"]) == 1, x
        pl = x["locations"][0]["physicalLocation"]
        assert pl["artifactLocation"]["uri"], x
        fps.append(x["partialFingerprints"]["starlabFinding/v1"])
    assert len(fps) == len(set(fps)), "fingerprints collide"
    return fps

f1, f2 = check_run(fw1), check_run(fw2)
assert f1 == f2, "fingerprints differ between two runs of the same image"
assert len(f1) > 10
# The shadow line: region.startLine is the line of the account.
shadow = open(src + "/samples/rootfs/etc/shadow").read().splitlines()
sh = [x for x in fw1["results"] if x["ruleId"] == "FW-ACCOUNT-EMPTY-PASSWORD"]
assert sh, "no FW-ACCOUNT-EMPTY-PASSWORD"
for x in sh:
    pl = x["locations"][0]["physicalLocation"]
    assert pl["artifactLocation"]["uri"].endswith("/etc/shadow"), pl
    line = pl["region"]["startLine"]
    user = re.search(r"account '([^']+)'", x["message"]["text"]).group(1)
    assert shadow[line - 1].startswith(user + ":"), (line, shadow[line - 1], user)
# A binary file: no line (the offset and the file only).
elf = [x for x in fw1["results"] if x["ruleId"] == "FW-ELF-EXECSTACK"]
for x in elf:
    assert "startLine" not in x["locations"][0]["physicalLocation"].get("region", {}), x

check_run(dev)
pc = [x for x in dev["results"] if x["ruleId"] == "NET-PLAINTEXT-CREDENTIALS"]
assert pc, [x["ruleId"] for x in dev["results"]]
loc = pc[0]["locations"][0]
assert loc["physicalLocation"]["artifactLocation"]["uri"] == "starlab://127.0.0.1:%s/tcp" % port, loc
assert loc["logicalLocations"][0]["name"] == "127.0.0.1:%s" % port, loc
rule = next(r for r in dev["tool"]["driver"]["rules"] if r["id"] == "NET-PLAINTEXT-CREDENTIALS")
# From the finding-kind catalogue (net.plaintext has a table).
assert "net.plaintext" in rule["fullDescription"]["text"], rule
assert rule["helpUri"].endswith("requirements.md#s11-12"), rule
# Results with neither file nor service: the product.
for x in dev["results"] + fw1["results"]:
    u = x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert not u.startswith("starlab://") or re.match(r"^starlab://(product/|[^/]+/(tcp|udp)?)", u), u
print("sarif: %d firmware results, %d device results; fingerprints stable" % (len(f1), len(dev["results"])))
PY
echo "t_sarif_scanning: ok"
