#!/usr/bin/env bash
# Replay every saved fuzzer finding (tests/corpus/<reader>/*) through the
# real binary: no crash, no sanitizer report, no hang.  Under the ASan
# build this is the fuzz regression suite (SQLite's fuzzcheck).
. "$(dirname "$0")/lib.sh" || exit 1
n=0
for f in "$SL_SRC"/tests/corpus/*/*; do
	[ -f "$f" ] || continue
	set +e
	timeout 60 "$STARLAB" ls --format json --max-total 256M --max-file 64M \
		"$f" >"$T/out.json" 2>"$T/err"
	rc=$?
	set -e
	# 0: listed; 3: refused as unreadable.  Anything else is a crash,
	# a sanitizer abort or a timeout (124).
	case $rc in
	0 | 3) ;;
	*) cat "$T/err" >&2; fail "$f: exit $rc" ;;
	esac
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no corpus files found"
echo "ok: $n corpus files replayed"
