#!/usr/bin/env bash
# cmake --install into a DESTDIR, as a packager does: the program, the
# shared library (SONAME, only the sl_* symbols of starlab.h exported),
# the static archive, the header, starlab.pc, a man page per command and
# the shell completions.  A small C client is then built with
# `pkg-config --cflags --libs starlab`, against the shared library and
# against the archive, and run.  Every option a command's --help names is
# in its man page, and every command has one.
. "$(dirname "$0")/lib.sh" || exit 1
need cmake cc pkg-config nm objdump
build=$(dirname "$STARLAB")
[ -f "$build/CMakeCache.txt" ] || fail "no build directory next to $STARLAB"

root=$T/root
DESTDIR=$root cmake --install "$build" --prefix /usr >"$T/install.log" 2>&1 ||
	fail "cmake --install: $(tail -5 "$T/install.log")"
libdir=$(dirname "$(find "$root/usr" -name 'libstarlab.so.0' | head -1)")
[ -d "$libdir" ] || fail "no libstarlab.so.0 installed: $(find "$root" | head -30)"
for f in usr/bin/starlab usr/include/starlab.h \
	usr/share/bash-completion/completions/starlab \
	usr/share/zsh/vendor-completions/_starlab; do
	[ -f "$root/$f" ] || fail "not installed: /$f"
done
for f in libstarlab.so libstarlab.a pkgconfig/starlab.pc; do
	[ -e "$libdir/$f" ] || fail "not installed: $libdir/$f"
done
[ "$(readlink "$libdir/libstarlab.so")" = libstarlab.so.0 ] ||
	fail "libstarlab.so does not point to the SONAME"
objdump -p "$libdir/libstarlab.so.0" >"$T/objdump"
grep -q 'SONAME *libstarlab.so.0' "$T/objdump" ||
	fail "no SONAME libstarlab.so.0"
nm -D --defined-only "$libdir/libstarlab.so.0" >"$T/syms"
bad=$(awk '$2 != "A" && $3 !~ /^sl_/ { print $3 }' "$T/syms" | head -5)
[ -z "$bad" ] || fail "libstarlab.so exports symbols outside starlab.h: $bad"
grep -q ' sl_scan_new@@STARLAB_0$' "$T/syms" ||
	fail "libstarlab.so does not export sl_scan_new"

# The man pages: one per command of `starlab --help`, naming its options.
mandir=$root/usr/share/man/man1
if command -v scdoc >/dev/null; then
	[ -f "$mandir/starlab.1" ] || fail "no starlab(1)"
	"$STARLAB" --help >"$T/help"
	cmds=$(awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' "$T/help")
	[ -n "$cmds" ] || fail "no commands in starlab --help"
	for c in $cmds; do
		page=$mandir/starlab-$c.1
		[ -f "$page" ] || fail "command $c has no man page starlab-$c(1)"
		grep -q "starlab-$c" "$mandir/starlab.1" ||
			fail "starlab(1) does not list $c"
		"$STARLAB" "$c" --help >"$T/help-$c" 2>&1 || true
		for o in $(grep -oE '(^|[ [])--?[a-z][a-z0-9-]*' "$T/help-$c" |
			tr -d ' [' | sort -u); do
			grep -q -- "${o//-/\\\\-}\\|$o" "$page" ||
				fail "starlab-$c(1) does not document $o"
		done
	done
fi
bash -n "$root/usr/share/bash-completion/completions/starlab" ||
	fail "bash completion does not parse"
if command -v zsh >/dev/null; then
	zsh -n "$root/usr/share/zsh/vendor-completions/_starlab" ||
		fail "zsh completion does not parse"
fi

# A client of the installed library, built the way its users build one.
cat >"$T/client.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <starlab.h>

int
main(int argc, char **argv)
{
	size_t n = 0;

	sl_requirements(&n);
	printf("%s %zu\n", sl_version(), n);
	return argc == 2 && strcmp(argv[1], sl_version()) == 0 && n == 16 ? 0 : 1;
}
C
export PKG_CONFIG_PATH=$libdir/pkgconfig
# A sanitizer build's library needs the sanitizer runtime, which the
# program that links it brings: build the client the same way.
# (nm into a file first: grep -q stops reading early, and under pipefail
# nm's SIGPIPE would make the test say "not sanitized".)
cc=cc
nm -u "$libdir/libstarlab.so.0" >"$T/undef"
if grep -q '__asan_\|__ubsan_' "$T/undef"; then
	cc="clang -fsanitize=address,undefined"
fi
pkg-config --exists starlab || fail "pkg-config does not find starlab.pc"
ver=$("$STARLAB" --version | awk '{ print $2; exit }')
[ "$(pkg-config --modversion starlab)" = "$ver" ] ||
	fail "starlab.pc version $(pkg-config --modversion starlab), program $ver"
# shellcheck disable=SC2046
$cc -o "$T/client" "$T/client.c" $(pkg-config --cflags --libs starlab) ||
	fail "building a client with pkg-config --cflags --libs starlab"
LD_LIBRARY_PATH=$libdir "$T/client" "$ver" >"$T/client.out" ||
	fail "the shared-library client: $(cat "$T/client.out")"
LD_LIBRARY_PATH=$libdir ldd "$T/client" >"$T/ldd"
grep -q "$libdir/libstarlab.so.0" "$T/ldd" ||
	fail "the client is not linked to the installed libstarlab.so.0"
# The archive, with the libraries starlab.pc requires.
deps=$(pkg-config --print-requires-private starlab | awk '{ print $1 }')
# shellcheck disable=SC2046
$cc -o "$T/client-static" "$T/client.c" $(pkg-config --cflags starlab) \
	"$libdir/libstarlab.a" $(pkg-config --libs $deps) -lpthread -lm ||
	fail "building a client with libstarlab.a"
"$T/client-static" "$ver" >/dev/null || fail "the static client failed"
echo ok
