#!/usr/bin/env bash
# checksrc.sh [--format] [BUILD_DIR] [-- FILE...] - the source rules the
# build enforces (curl's checksrc), run by scripts/test.sh after the gcc
# build.  With files after "--", only those are checked (the test uses it).
#
#  1. Banned functions in src/, cli/ and include/: sprintf, vsprintf,
#     strcpy, strcat, gets, atoi and strtok (unbounded, or not reentrant;
#     use snprintf, a length-checked memcpy, Sl_buf, strtol with an end
#     pointer, strtok_r).  A line of a comment is not code and is skipped.
#  2. Layering: scripts/layers.sh over BUILD_DIR (default: build), when it
#     holds the library's objects (docs/internals.md).
#  3. With --format: every C file as the checked-in .clang-format wants it
#     (clang-format --dry-run --Werror), generated ones excepted;
#     scripts/test.sh passes --format.
#
# Exit status: 0 clean, 1 on any violation, 2 on a usage error.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

format=0
build=build
files=()
while [ $# -gt 0 ]; do
	case $1 in
	--format) format=1 ;;
	--) shift; files=("$@"); break ;;
	-*) echo "usage: checksrc.sh [--format] [BUILD_DIR] [-- FILE...]" >&2
		exit 2 ;;
	*) build=$1 ;;
	esac
	shift
done

bad=0
explicit=${#files[@]}
if [ ${#files[@]} -eq 0 ]; then
	mapfile -t files < <(git ls-files 'src/*.[ch]' 'cli/*.[ch]' 'include/*.h' \
		'tests/*.[ch]' 'fuzz/*.[ch]')
fi

# 1. Banned functions: a call, not a mention in prose or in a longer name
# (snprintf, fgets and strtok_r do not match: no word boundary).
# The library and the program, that is (tests build their own inputs);
# files named on the command line are all checked.
banned='\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|strtok)[[:space:]]*\('
lib=()
for f in "${files[@]}"; do
	case $explicit:$f in 0:src/* | 0:cli/* | 0:include/* | [1-9]*) lib+=("$f") ;; esac
done
if [ ${#lib[@]} -gt 0 ] && hits=$(grep -HnE "$banned" "${lib[@]}" |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*|//)'); then
	while IFS= read -r h; do
		echo "checksrc: banned function: $h"
	done <<<"$hits"
	bad=1
fi

# 2. Layering.
if [ -d "$build/CMakeFiles/starlab_obj.dir/src" ]; then
	bash scripts/layers.sh "$build" || bad=1
else
	echo "checksrc: $build: no library objects; layering not checked" >&2
fi

# 3. Format.  Generated files (a GENERATED line at the top) are as their
# generator writes them.
if [ "$format" = 1 ] && ! command -v clang-format >/dev/null; then
	echo "checksrc: --format needs clang-format (apt-get install clang-format; scripts/setup.sh installs it)"
	bad=1
elif [ "$format" = 1 ]; then
	for f in "${files[@]}"; do
		head -5 "$f" | grep -q GENERATED && continue
		if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
			echo "checksrc: not formatted: $f"
			bad=1
		fi
	done
fi

if [ "$bad" = 0 ]; then
	echo "checksrc: clean (${#files[@]} files)"
fi
exit "$bad"
