# lib.sh - shared helpers for the end-to-end tests.  Each t_*.sh test
# sources this, builds its input with the real tool, runs the real starlab
# binary ($STARLAB, set by ctest) and checks the output.
set -euo pipefail

: "${STARLAB:?STARLAB must name the starlab binary (ctest sets it)}"
: "${SL_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

T=$(mktemp -d /tmp/starlab-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 ||
			fail "tool '$t' is missing (run scripts/setup.sh)"
	done
}

# mk_tree DIR: a small source tree with the kinds of entries firmware
# holds: texts, binaries, symlinks, nested directories, odd modes, an empty
# file.  Deterministic, so sha256 values can be compared.
mk_tree() {
	"$SL_SRC/tests/fixtures/mk_tree.sh" "$1"
}

# check_tree LS_JSON PREFIX SRC_DIR [options for tree_compare.py]
# Every entry of SRC_DIR must be listed under PREFIX!/ with the same type,
# permission bits, size, sha256 and link target.
check_tree() {
	python3 "$SL_SRC/tests/e2e/tree_compare.py" "$@" ||
		fail "tree listing differs from the source tree"
}

# json_get FILE EXPR: evaluate a Python expression over the parsed JSON
# (bound to j) and print the result.
json_get() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# expect_incomplete LS_JSON REGEX: some incomplete reason matches.
expect_incomplete() {
	python3 - "$1" "$2" <<'PY' || fail "no incomplete reason matches '$2' in $1"
import json, re, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if any(re.search(sys.argv[2], r) for r in j["incomplete"]) else 1)
PY
}

# expect_entry LS_JSON PATH [TYPE]: an entry with this exact path exists.
expect_entry() {
	python3 - "$@" <<'PY' || fail "no entry '$2'${3:+ of type $3} in $1"
import json, sys
j = json.load(open(sys.argv[1]))
want = sys.argv[3] if len(sys.argv) > 3 else None
sys.exit(0 if any(e["path"] == sys.argv[2] and (want is None or e["type"] == want)
                  for e in j["entries"]) else 1)
PY
}

# check_archive IMAGE CONTAINER SRC_DIR OWNER: `starlab ls` lists the
# archive IMAGE as the container CONTAINER (e.g. "x.tar:tar") over the
# whole file, holding exactly SRC_DIR's tree with OWNER ("uid:gid") and
# nothing incomplete; SRC_DIR's bin/busybox-hard is a hard link to
# bin/busybox, so one of the two is the file and the other links to it.
check_archive() {
	local img=$1 c=$2 src=$3 owner=$4 out=$T/$(basename "$1").json
	"$STARLAB" ls --format json "$img" >"$out" || fail "starlab ls on $img"
	expect_entry "$out" "$c" container
	check_tree "$out" "$c" "$src" --exact --owner "$owner"
	[ "$(json_get "$out" 'len(j["incomplete"])')" = 0 ] ||
		fail "$img: unexpected incomplete reasons"
	[ "$(json_get "$out" '[e["size"] for e in j["entries"] if e["path"] == "'"$c"'"][0]')" = \
		"$(stat -c %s "$img")" ] || fail "$img: the container is not the whole file"
	python3 - "$out" "$c!/" "$src/bin/busybox" <<'PY' || fail "$img: hard link"
import hashlib, json, sys
j = json.load(open(sys.argv[1]))
pre = sys.argv[2]
data = open(sys.argv[3], "rb").read()
e = {x["path"][len(pre):]: x for x in j["entries"] if x["path"].startswith(pre)}
a, b = e["bin/busybox"], e["bin/busybox-hard"]
if a["type"] == "hardlink":
    a, b = b, a
assert a["type"] == "file" and a["sha256"] == hashlib.sha256(data).hexdigest(), a
assert b["type"] == "hardlink" and pre + b["link"] == a["path"], b
assert b["size"] == a["size"] == len(data), b
PY
}

# fw_reports NAME...: pack each $T/NAME tree as squashfs-xz (owned by
# root), run `starlab firmware --format json` on it into $T/NAME.json with
# its exit status in $T/NAME.rc, and validate the report.
fw_reports() {
	local v rc
	for v in "$@"; do
		mksquashfs "$T/$v" "$T/$v.img" -comp xz -all-root -noappend \
			-no-progress >/dev/null
		rc=0
		"$STARLAB" firmware --format json "$T/$v.img" >"$T/$v.json" || rc=$?
		echo "$rc" >"$T/$v.rc"
		python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/$v.json"
	done
}

# signal_when SIG PID TEST...: wait (at most 30 s) until the command TEST
# succeeds or PID has ended, then send SIG to PID and wait for it; its exit
# status is left in $sig_rc.  TEST marks the point where the program has
# its handlers in place, so that no timing is assumed.
signal_when() {
	local sig=$1 pid=$2
	shift 2
	for _ in $(seq 1 3000); do
		"$@" >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	kill -"$sig" "$pid" 2>/dev/null || true
	sig_rc=0
	wait "$pid" || sig_rc=$?
}
