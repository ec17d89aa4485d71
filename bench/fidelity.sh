#!/usr/bin/env bash
# bench/fidelity.sh - how many of starlab's firmware findings a lab would sign,
# on real images nobody on this project wrote (issue 11).
#
# For every IMAGE in DIR that has bench/fidelity/expected/NAME.expect (NAME is
# the file name without its last extension) it runs `starlab firmware IMAGE
# --format json`, unpacks the image once (to turn evidence offsets into line
# numbers), and scores every finding against the expert ground truth in the
# expect file (format: bench/fidelity/README.md):
#   true      the first finding that matches a T entry (id + location)
#   repeated  a further finding that matches a T entry already met: one cause
#             reported again (it counts against neither precision nor recall,
#             but the goal is zero)
#   false     a finding that matches an N entry (judged not a problem), a T
#             entry's id and location with the wrong severity, or nothing
#             at all ("unlisted": printed, so the ground truth can be
#             extended by reading the file it names)
#   missed    a T entry (not marked opt) no finding matched
# precision = true / (true + false), recall = true / (true + missed).
# V entries are expected verdicts; mismatches are listed, not scored.
#
# Usage: bench/fidelity.sh DIR [STARLAB_BINARY]   (default: $STARLAB or
#        build/starlab of this tree).  FIDELITY_VERBOSE=1 lists every finding
#        with its class.  This is a benchmark, not a test: it asserts nothing
#        and CI has no copy of the images (see ../shared/corpus/README.md).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: bench/fidelity.sh DIR [STARLAB_BINARY]}
sl=${2:-${STARLAB:-$top/build/starlab}}
[ -x "$sl" ] || { echo "no starlab binary at $sl (build first)" >&2; exit 1; }
[ -d "$dir" ] || { echo "$dir: not a directory" >&2; exit 1; }
w=$(mktemp -d /tmp/starlab-fidelity.XXXXXX)
trap 'rm -rf "$w"' EXIT
unset TZ
n=0
for img in "$dir"/*; do
	[ -f "$img" ] || continue
	base=$(basename "$img")
	name=${base%.*}
	exp=$top/bench/fidelity/expected/$name.expect
	[ -f "$exp" ] || continue
	n=$((n + 1))
	mkdir -p "$w/$name"
	rc=0
	"$sl" firmware "$img" --format json >"$w/$name/report.json" 2>"$w/$name/stderr" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "$name: starlab firmware exited $rc:" >&2
		sed 's/^/  /' "$w/$name/stderr" >&2
	fi
	"$sl" unpack "$img" -o "$w/$name/tree" >/dev/null 2>&1 || true
	printf '%s\t%s\t%s\t%s\n' "$name" "$img" "$exp" "$w/$name" >>"$w/list"
done
[ "$n" -gt 0 ] || { echo "no image in $dir has an expect file in bench/fidelity/expected/" >&2; exit 1; }
python3 "$top/bench/fidelity_score.py" "$w/list"
