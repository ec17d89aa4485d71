# seedlib.sh - sourced by fuzz/mkseeds*.sh: strict mode, top (the
# repository), C (fuzz/corpus), T (a scratch directory, removed at exit)
# and seed TARGET NAME < data, which writes fuzz/corpus/TARGET/NAME.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
C=$top/fuzz/corpus
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

seed() { # seed TARGET NAME < data
	mkdir -p "$C/$1"
	cat >"$C/$1/$2"
}
