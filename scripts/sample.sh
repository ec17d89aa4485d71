#!/usr/bin/env bash
# sample.sh - the README's first command: install what is missing, build
# starlab, build the bundled sample firmware with the real tools, assess
# it, and say where the report is.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
SL_WITH_TESTS=1 bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
out=$top/out/sample
mkdir -p "$out"
img=$(bash samples/build.sh "$out")
echo "== starlab ls $img (first 25 of its entries)"
./build/starlab ls "$img" >"$out/ls.txt"
head -n 25 "$out/ls.txt"
echo "== starlab firmware $img -o $out"
rc=0
./build/starlab firmware "$img" -o "$out" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
cat "$out/report.txt"
echo
echo "Report: $out/report.json (checklist: $out/report.txt, listing: $out/ls.txt)"
