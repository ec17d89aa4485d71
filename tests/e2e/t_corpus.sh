#!/usr/bin/env bash
# Replay every saved fuzzer finding (tests/corpus/<target>/*) and every
# seed (fuzz/corpus/<target>/*): no crash, no sanitizer report, no hang.
# Under the ASan build this is the fuzz regression suite (SQLite's
# fuzzcheck).
#   - each file goes through its own target's code, run without libFuzzer
#     by the replay_<target> program the build makes beside starlab
#     (fuzz/replay.c);
#   - the files of the image readers also go through the real binary,
#     `starlab ls`, which offers them to every reader.
. "$(dirname "$0")/lib.sh" || exit 1
bindir=$(dirname "$STARLAB")
readers=" cpio cramfs ext fit gzip jffs2 lz4 lz4_legacy lzma squashfs tar trx ubi ubifs uimage xz zip zstd "
n=0
nr=0
for dir in "$SL_SRC"/tests/corpus/* "$SL_SRC"/fuzz/corpus/*; do
	[ -d "$dir" ] || continue
	t=$(basename "$dir")
	files=("$dir"/*)
	[ -f "${files[0]}" ] || continue
	replay=$bindir/replay_$t
	if [ -x "$replay" ]; then
		rc=0
		timeout 300 "$replay" "${files[@]}" >"$T/replay.out" 2>&1 || rc=$?
		[ "$rc" = 0 ] || { tail -40 "$T/replay.out" >&2; fail "replay_$t on $dir: exit $rc"; }
		nr=$((nr + ${#files[@]}))
	elif [ "$dir" != "${dir#"$SL_SRC"/fuzz/corpus/}" ]; then
		fail "$dir: no replay_$t program beside $STARLAB"
	fi
	case $readers in *" $t "*) ;; *) continue ;; esac
	for f in "${files[@]}"; do
		set +e
		timeout 60 "$STARLAB" ls --format json --max-total 256M --max-file 64M \
			"$f" >"$T/out.json" 2>"$T/err"
		rc=$?
		set -e
		# 0: listed; 3: refused as unreadable.  Anything else is a
		# crash, a sanitizer abort or a timeout (124).
		case $rc in
		0 | 3) ;;
		*) cat "$T/err" >&2; fail "$f: exit $rc" ;;
		esac
		n=$((n + 1))
	done
done
[ "$n" -gt 0 ] || fail "no corpus files found"
[ "$nr" -gt 0 ] || fail "no replay program found beside $STARLAB"
echo "ok: $n files listed by starlab ls, $nr replayed through their fuzz targets"
