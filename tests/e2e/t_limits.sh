#!/usr/bin/env bash
# Every limit on untrusted input trips, is reported in "incomplete" with
# what and where, and the scan still exits normally with what it read.
. "$(dirname "$0")/lib.sh" || exit 1
need gzip

# Ten gzip layers, one inside the other.
printf 'innermost payload\n%.0s' {1..100} >"$T/nest"
for i in $(seq 10); do gzip -c "$T/nest" >"$T/nest.gz"; mv "$T/nest.gz" "$T/nest"; done
mv "$T/nest" "$T/nest.bin"

"$STARLAB" ls --format json "$T/nest.bin" >"$T/all.json"
[ "$(json_get "$T/all.json" 'sum(1 for e in j["entries"] if e["type"]=="container")')" -eq 9 ] ||
	fail "default depth should open 9 nested layers (depth 0..8)"
expect_incomplete "$T/all.json" 'nesting depth limit \(8\)'

"$STARLAB" ls --format json --max-depth 3 "$T/nest.bin" >"$T/depth.json"
expect_incomplete "$T/depth.json" '^nest\.bin:gzip!/data:gzip!/data:gzip!/data:gzip!/data:gzip: nesting depth limit \(3\)'

"$STARLAB" ls --format json --max-files 3 "$T/nest.bin" >"$T/files.json"
expect_incomplete "$T/files.json" 'file count limit \(3 entries\)'

"$STARLAB" ls --format json --max-path 40 "$T/nest.bin" >"$T/path.json"
expect_incomplete "$T/path.json" 'path longer than the limit \(40 bytes\)'

head -c 3M /dev/urandom >"$T/rand"
gzip -1 -c "$T/rand" >"$T/rand.gz"
"$STARLAB" ls --format json --max-total 1M "$T/rand.gz" >"$T/total.json"
expect_incomplete "$T/total.json" 'rand\.gz:gzip: total decompressed size limit \(1048576 bytes\)'

head -c 50M /dev/zero | gzip -c >"$T/bomb.gz"
"$STARLAB" ls --format json --max-ratio 20 "$T/bomb.gz" >"$T/ratio.json"
expect_incomplete "$T/ratio.json" 'bomb\.gz:gzip: compression ratio over 20:1'

# The report carries the same reasons and says it is incomplete.
"$STARLAB" firmware --format json --max-depth 3 "$T/nest.bin" >"$T/rep.json" || true
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/rep.json"
[ "$(json_get "$T/rep.json" 'j["summary"]["complete"]')" = False ] || fail "report not marked incomplete"
echo ok

# The checks read /etc/passwd again after unpacking: from the content kept
# then, not decompressed (and charged to the total) a second time.  With
# a total just over what unpacking decodes, nothing is refused.
need mksquashfs
mkdir -p "$T/keep/etc"
python3 - "$T/keep/etc" <<'PY'
import sys
d = sys.argv[1]
open(d + "/passwd", "w").write("root:x:0:0:root:/root:/bin/sh\n" + "".join(
    "user%d:x:%d:%d::/home/u:/bin/false\n" % (i, 1000 + i, 1000 + i) for i in range(3000)))
open(d + "/shadow", "w").write("root:$1$abcdefgh$0123456789abcdefghijkl:19000:0:99999:7:::\n")
PY
mksquashfs "$T/keep" "$T/keep.img" -comp xz -all-root -noappend -no-progress >/dev/null
total=$(($(stat -c %s "$T/keep/etc/passwd") + $(stat -c %s "$T/keep/etc/shadow") + 8192))
"$STARLAB" firmware --format json --max-total "$total" "$T/keep.img" >"$T/keep.json" || true
python3 - "$T/keep.json" <<'PY' || fail "a file the checks read again was decompressed again"
import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(1 if any("total decompressed size limit" in r for r in j["incomplete"]) else 0)
PY
echo ok

# A file over --max-file that a check wants (a PHP page for fw.webexec):
# one incomplete line, the limit's, not a second "not checked" with an
# empty or an earlier read's reason; `unpack` likewise.
mkdir -p "$T/big/www"
head -c 1500000 /dev/urandom | base64 >"$T/big/www/x.php"
mksquashfs "$T/big" "$T/big.img" -comp xz -all-root -noappend -no-progress >/dev/null
"$STARLAB" firmware --format json --max-file 1M "$T/big.img" >"$T/big.json" || true
"$STARLAB" unpack --max-file 1M "$T/big.img" -o "$T/big.out" 2>"$T/big.err" >/dev/null
python3 - "$T/big.json" "$T/big.err" <<'PY' || fail "a file over --max-file is not reported exactly once"
import json, sys
inc = json.load(open(sys.argv[1]))["incomplete"]
lines = [r for r in inc if "www/x.php" in r]
assert lines == ["big.img:squashfs!/www/x.php: file larger than the per-file limit "
                 "(1048576 bytes); content not read"], inc
err = [l for l in open(sys.argv[2]) if "www/x.php" in l]
assert len(err) == 1 and "per-file limit" in err[0], err
PY
echo ok
