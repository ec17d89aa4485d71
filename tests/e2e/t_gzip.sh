#!/usr/bin/env bash
# A raw gzip stream carved out of random bytes and zero padding, and a
# gzip stream holding 100 MB of zeros refused by the ratio limit.
. "$(dirname "$0")/lib.sh" || exit 1
need gzip
head -c 5000 /dev/urandom >"$T/pre"
printf 'hello from inside a gzip stream\n%.0s' {1..50} >"$T/plain"
gzip -9 -c "$T/plain" >"$T/plain.gz"
cat "$T/pre" "$T/plain.gz" >"$T/fw.bin"
head -c 3000 /dev/zero >>"$T/fw.bin"
"$STARLAB" ls --format json "$T/fw.bin" >"$T/ls.json"
expect_entry "$T/ls.json" "fw.bin@0x1388:gzip" container
expect_entry "$T/ls.json" "fw.bin@0x0" region
sha=$(json_get "$T/ls.json" '[e for e in j["entries"] if e["path"]=="fw.bin@0x1388:gzip!/data"][0]["sha256"]')
[ "$sha" = "$(sha256sum <"$T/plain" | cut -d' ' -f1)" ] || fail "gzip payload sha256"

# Bomb: 100 MB of zeros compress about 1000:1.
head -c 100M /dev/zero | gzip -c >"$T/bomb.gz"
"$STARLAB" ls --format json "$T/bomb.gz" >"$T/bomb.json"
expect_incomplete "$T/bomb.json" 'compression ratio over 250:1'
# The per-file limit trips on a smaller stream too.
"$STARLAB" ls --format json --max-file 1M "$T/fw.bin" >/dev/null
head -c 3M /dev/urandom | gzip -1 -c >"$T/big.gz"
"$STARLAB" ls --format json --max-file 1M "$T/big.gz" >"$T/big.json"
expect_incomplete "$T/big.json" 'per-file limit'
echo ok

# A stream's decoded bytes are dropped once the scan has read them and
# found nothing inside; reading later (unpack, checks) decodes again.
need mksquashfs
mkdir -p "$T/sq/doc"
printf 'changelog line %.0s\n' {1..3000} >"$T/changelog"
gzip -9 -c "$T/changelog" >"$T/sq/doc/changelog.gz"
mksquashfs "$T/sq" "$T/sq.img" -comp xz -all-root -noappend -no-progress >/dev/null
"$STARLAB" unpack "$T/sq.img" -o "$T/out" >/dev/null
cmp "$T/changelog" "$T/out/sq.img.squashfs/doc/changelog.gz.gzip/data" ||
	fail "re-decoded gzip payload differs"
echo ok

# A whole .gz file in a filesystem (its trailer's ISIZE at the end) is
# decoded in one call (libdeflate); anything short of a clean, exact
# result is decoded by zlib as before.  The same bytes, listings and
# reasons either way:
mkdir -p "$T/w"
cp "$T/sq/doc/changelog.gz" "$T/w/good.gz"
# a damaged CRC-32: everything decoded is kept, and the damage is named
python3 - "$T/w/good.gz" "$T/w/badcrc.gz" "$T/w/badsize.gz" <<'PY'
import sys
g = bytearray(open(sys.argv[1], "rb").read())
b = bytearray(g); b[-8] ^= 0xff; open(sys.argv[2], "wb").write(b)
# ISIZE smaller than the content: the one-call decoder has too little room
b = bytearray(g); b[-4:] = (100).to_bytes(4, "little"); open(sys.argv[3], "wb").write(b)
PY
# two members: the first is the stream
{ gzip -9 -c "$T/plain"; gzip -9 -c "$T/changelog"; } >"$T/w/two.gz"
mksquashfs "$T/w" "$T/w.img" -comp xz -all-root -noappend -no-progress >/dev/null
"$STARLAB" ls --format json "$T/w.img" >"$T/w.json"
sha_of() { json_get "$T/w.json" "[e for e in j['entries'] if e['path']=='w.img:squashfs!/$1'][0]['sha256']"; }
[ "$(sha_of good.gz:gzip!/data)" = "$(sha256sum <"$T/changelog" | cut -d' ' -f1)" ] ||
	fail "whole-file gzip payload sha256"
[ "$(sha_of badcrc.gz:gzip!/data)" = "$(sha256sum <"$T/changelog" | cut -d' ' -f1)" ] ||
	fail "a member with a bad CRC keeps what was decoded"
expect_incomplete "$T/w.json" 'badcrc.gz:gzip: stream truncated or corrupt'
expect_incomplete "$T/w.json" 'badsize.gz:gzip: stream truncated or corrupt'
[ "$(sha_of two.gz:gzip!/data)" = "$(sha256sum <"$T/plain" | cut -d' ' -f1)" ] ||
	fail "a two-member file: the first member is the stream"
echo ok
