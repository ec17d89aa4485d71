#!/usr/bin/env bash
# scripts/checksrc.sh and scripts/layers.sh: the tree as built passes; a
# planted banned call (sprintf, strcpy, strcat, gets, atoi, strtok) fails
# and its look-alikes (snprintf, fgets, strtok_r, a comment) do not; a
# planted object in src/core/ that calls up into src/check/ fails
# layers.sh, and the same call pointing down passes.
. "$(dirname "$0")/lib.sh" || exit 1
need nm cc python3

build=$(dirname "$STARLAB")

# The tree itself: no banned function, every edge down.
bash "$SL_SRC/scripts/checksrc.sh" "$build" >"$T/tree.out" 2>&1 ||
	fail "checksrc on the tree: $(cat "$T/tree.out")"
grep -q 'every edge points down' "$T/tree.out" ||
	fail "layers.sh did not run: $(cat "$T/tree.out")"

# Banned calls, one per line, and their clean look-alikes.
cat >"$T/bad.c" <<'C'
void f(char *d, const char *s, char **save) {
	sprintf(d, "%s", s);
	strcpy(d, s);
	strcat(d, s);
	gets(d);
	(void)atoi(s);
	(void)strtok(d, " ");
}
C
cat >"$T/good.c" <<'C'
/* sprintf( and strcpy( in a comment are prose, not calls. */
void f(char *d, const char *s, char **save) {
	snprintf(d, 8, "%s", s);
	(void)fgets(d, 8, 0);
	(void)strtok_r(d, " ", save);
	(void)my_atoi_like(s);
}
C
rc=0
bash "$SL_SRC/scripts/checksrc.sh" "$T/nobuild" -- "$T/bad.c" \
	>"$T/bad.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "checksrc passed banned calls (rc $rc)"
[ "$(grep -c 'banned function' "$T/bad.out")" = 6 ] ||
	fail "checksrc did not name the 6 banned calls: $(cat "$T/bad.out")"
bash "$SL_SRC/scripts/checksrc.sh" "$T/nobuild" -- "$T/good.c" \
	>"$T/good.out" 2>&1 || fail "checksrc refused look-alikes: $(cat "$T/good.out")"

# layers.sh on a made-up build: core calling check is an edge up.
mkobj() { # DIR/NAME.c SOURCE
	mkdir -p "$T/b/CMakeFiles/starlab_obj.dir/src/$(dirname "$1")"
	printf '%s\n' "$2" >"$T/src.c"
	cc -c -o "$T/b/CMakeFiles/starlab_obj.dir/src/$1.c.o" "$T/src.c" ||
		fail "cc $1"
}
mkobj core/low 'int Sl_check_thing(void); int Sl_low(void) { return Sl_check_thing(); }'
mkobj check/firmware/high 'int Sl_check_thing(void) { return 1; }'
rc=0
bash "$SL_SRC/scripts/layers.sh" "$T/b" >"$T/up.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "layers.sh passed core -> checks (rc $rc)"
grep -q 'src/core/low.c (core) -> src/check/firmware/high.c (checks): Sl_check_thing' \
	"$T/up.out" || fail "layers.sh did not name the edge: $(cat "$T/up.out")"
rm -rf "$T/b"
mkobj core/low 'int Sl_low(void) { return 1; }'
mkobj check/firmware/high 'int Sl_low(void); int Sl_check_thing(void) { return Sl_low(); }'
bash "$SL_SRC/scripts/layers.sh" "$T/b" >"$T/down.out" 2>&1 ||
	fail "layers.sh refused checks -> core: $(cat "$T/down.out")"
echo ok
