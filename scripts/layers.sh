#!/usr/bin/env bash
# layers.sh BUILD_DIR - check that the library's dependencies point down.
#
# Reads the symbols of the built library objects (nm over every .o under
# BUILD_DIR/CMakeFiles/starlab_obj.dir), joins each undefined symbol to
# the object that defines it, maps every object to its layer by the
# directory of its source file, and fails on any edge that the order in
# docs/internals.md does not allow.  There is no exception list: a new
# edge against the order is fixed in the code, or the order is changed
# here and in docs/internals.md in the same commit, with the reason.
#
# It also prints the largest set of objects that reach one another (the
# "knot"), so a reviewer sees it grow; only edges between layers fail.
#
# Exit status: 0 when every edge is allowed, 1 when one is not, 2 on a
# usage error or a build directory without objects.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: layers.sh BUILD_DIR" >&2
	exit 2
fi
objdir=$1/CMakeFiles/starlab_obj.dir
if [ ! -d "$objdir/src" ]; then
	echo "layers.sh: $objdir/src: no library objects (build first)" >&2
	exit 2
fi

# One line per symbol: "OBJECT KIND SYMBOL", KIND D (defined) or U.
syms=$(mktemp)
trap 'rm -f "$syms"' EXIT
while IFS= read -r -d '' o; do
	rel=${o#"$objdir"/}
	rel=${rel%.o}
	nm "$o" | awk -v obj="$rel" '
		NF == 2 && $1 == "U" { print obj, "U", $2 }
		NF == 3 && $2 ~ /^[TDBRVWGSC]$/ { print obj, "D", $3 }'
done < <(find "$objdir/src" -name '*.o' -print0 | sort -z) >"$syms"

python3 - "$syms" <<'EOF'
import sys
from collections import defaultdict

# The layer of each source directory (the longest prefix wins), and the
# layers each layer may use besides itself.  docs/internals.md draws it:
#
#   drivers     src/check/*.c          a whole scan: table, loops
#   checks      src/check/{firmware,device,kit}/
#   net         src/net/               below check/device
#   vuln        src/vuln/              components and the CVE database
#   unpack      src/unpack/ src/reader/
#   core        src/core/
#   side:       catalogue (data), profile, verdict, report
LAYER_OF = [
    ("src/check/firmware/", "checks"),
    ("src/check/device/", "checks"),
    ("src/check/kit/", "checks"),
    ("src/check/", "drivers"),
    ("src/net/", "net"),
    ("src/vuln/", "vuln"),
    ("src/unpack/", "unpack"),
    ("src/reader/", "unpack"),
    ("src/core/", "core"),
    ("src/catalogue/", "catalogue"),
    ("src/profile/", "profile"),
    ("src/verdict/", "verdict"),
    ("src/report/", "report"),
]
MAY_USE = {
    "catalogue": set(),
    "core": {"catalogue"},
    "unpack": {"core", "catalogue"},
    "vuln": {"core", "catalogue", "unpack"},
    "profile": {"core", "catalogue"},
    "net": {"core", "catalogue", "vuln"},
    "checks": {"core", "catalogue", "unpack", "vuln", "profile", "net"},
    "drivers": {"core", "catalogue", "unpack", "vuln", "profile", "net",
                "checks"},
    "verdict": {"core", "catalogue", "profile"},
    "report": {"core", "catalogue", "profile", "verdict", "vuln", "net"},
}

def layer(obj):
    for prefix, name in LAYER_OF:
        if obj.startswith(prefix):
            return name
    return None

defs, undef = {}, defaultdict(set)
for line in open(sys.argv[1]):
    obj, kind, sym = line.split()
    if kind == "D":
        defs.setdefault(sym, obj)
    else:
        undef[obj].add(sym)
objs = sorted(set(defs.values()) | set(undef))

bad, unknown = [], sorted(o for o in objs if layer(o) is None)
edges = defaultdict(set)
for obj in objs:
    for sym in sorted(undef[obj]):
        to = defs.get(sym)
        if to is None or to == obj:
            continue
        edges[obj].add(to)
        a, b = layer(obj), layer(to)
        if a is None or b is None or a == b or b in MAY_USE[a]:
            continue
        bad.append((obj, a, to, b, sym))

# The largest strongly connected component (Tarjan, iterative).
index, low, on, stack, comps, n = {}, {}, set(), [], [], [0]
for root in objs:
    if root in index:
        continue
    work = [(root, iter(sorted(edges[root])))]
    index[root] = low[root] = n[0]; n[0] += 1
    stack.append(root); on.add(root)
    while work:
        v, it = work[-1]
        w = next(it, None)
        if w is not None:
            if w not in index:
                index[w] = low[w] = n[0]; n[0] += 1
                stack.append(w); on.add(w)
                work.append((w, iter(sorted(edges[w]))))
            elif w in on:
                low[v] = min(low[v], index[w])
            continue
        work.pop()
        if work:
            low[work[-1][0]] = min(low[work[-1][0]], low[v])
        if low[v] == index[v]:
            c = []
            while True:
                w = stack.pop(); on.discard(w); c.append(w)
                if w == v:
                    break
            comps.append(sorted(c))
big = max(comps, key=len) if comps else []
print("layers.sh: %d objects, %d edges; largest cycle: %d objects"
      % (len(objs), sum(len(e) for e in edges.values()), len(big)))
if len(big) > 1:
    print("  knot: " + " ".join(big))
for o in unknown:
    print("layers.sh: %s: no layer for this directory" % o)
for obj, a, to, b, sym in bad:
    print("layers.sh: %s (%s) -> %s (%s): %s" % (obj, a, to, b, sym))
if bad or unknown:
    print("layers.sh: %d edges against the order in docs/internals.md"
          % len(bad))
    sys.exit(1)
print("layers.sh: every edge points down")
EOF
