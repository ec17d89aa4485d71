#!/usr/bin/env bash
# fw.hardening: ELF files built here with the real compilers (native gcc
# with and without each mitigation, ARM little-endian and MIPS big-endian
# cross builds, a copy without section headers as sstrip leaves it, a
# damaged file) are packed into squashfs and into a plain tar (whose files
# the engine hands over straight from the read-only mapping).  Asserts the
# finding ids, requirement ids and severities, and checks every number of
# the summary against readelf's own reading of the same files; a hardened
# image gives only the advisory summary and stays conformant.
. "$(dirname "$0")/lib.sh" || exit 1
need mksquashfs gcc strip readelf tar arm-linux-gnueabihf-gcc mips-linux-gnu-gcc

B=$T/bad
G=$T/good
S=$T/src
mkdir -p "$B/usr/sbin" "$B/usr/bin" "$B/usr/lib" "$G/usr/sbin" "$G/usr/lib" "$S"
cat >"$S/prog.c" <<'X'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
	char buf[32];
	strcpy(buf, argc > 1 ? argv[1] : "x");
	printf("%s %d\n", buf, argc);
	return 0;
}
X
cat >"$S/lib.c" <<'X'
#include <string.h>
int lib_copy(char *d, const char *s)
{
	char buf[64];
	strcpy(buf, s);
	memcpy(d, buf, 8);
	return buf[0];
}
X
HARD="-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack"
SOFT="-O0 -fno-stack-protector -U_FORTIFY_SOURCE -fno-PIE -no-pie"
cc() { # cc COMPILER OUT FLAGS...
	local c=$1 o=$2
	shift 2
	"$c" "$@" -o "$o" "$S/prog.c" 2>"$T/cc.err" || fail "$c $*: $(cat "$T/cc.err")"
}
# Debian's MIPS toolchain marks the stack executable (PT_GNU_STACK RWE).
cc mips-linux-gnu-gcc "$B/usr/sbin/httpd" -O2 -fno-stack-protector -fno-PIE -no-pie
cc gcc "$B/usr/sbin/dropbear" $SOFT -Wl,-z,norelro
cc gcc "$B/usr/bin/execstack" -O2 -Wl,-z,execstack
cc gcc "$B/usr/bin/hard" $HARD
strip -o "$B/usr/bin/hard-stripped" "$B/usr/bin/hard"
cc gcc "$B/usr/bin/rpath" -O2 -Wl,--enable-new-dtags -Wl,-rpath,/usr/lib/vendor:/tmp/lib
cc arm-linux-gnueabihf-gcc "$B/usr/bin/armhard" $HARD
gcc -O2 -fPIC -shared -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
	-Wl,-z,relro,-z,now -o "$B/usr/lib/libgood.so" "$S/lib.c"
gcc -O2 -c -o "$B/usr/lib/obj.o" "$S/prog.c"
# mosquitto: the MIPS binary without section headers (sstrip's output).
python3 - "$B/usr/sbin/httpd" "$B/usr/sbin/mosquitto" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
assert d[4] == 1 and d[5] == 2  # ELF32 big-endian
shoff = struct.unpack(">I", d[0x20:0x24])[0]
d = d[:shoff]
d[0x20:0x24] = b"\0" * 4
d[0x30:0x34] = b"\0" * 4
open(sys.argv[2], "wb").write(d)
PY
# broken: the ELF header of a real program, its program headers cut off.
head -c 120 "$B/usr/bin/hard" >"$B/usr/bin/broken"
chmod 0755 "$B"/usr/sbin/* "$B"/usr/bin/*

cp "$B/usr/bin/hard" "$G/usr/sbin/uhttpd"
cp "$B/usr/bin/armhard" "$G/usr/sbin/armd"
cp "$B/usr/lib/libgood.so" "$G/usr/lib/"

fw_reports bad good
tar -C "$B" -cf "$T/bad.tar" .
rc=0
"$STARLAB" firmware --format json "$T/bad.tar" >"$T/tar.json" || rc=$?
[ "$rc" -eq 1 ] || fail "tar image: exit $rc"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/tar.json"

# The oracle: readelf's view of every ELF file in the bad tree.
for f in $(cd "$B" && find . -type f | sort); do
	readelf -hlSdW --dyn-syms -s "$B/$f" >"$T/re.$(echo "$f" | tr / _)" 2>/dev/null || true
done

python3 - "$T" "$B" <<'PY' || fail "planted image"
import glob, json, os, re, sys
T, B = sys.argv[1], sys.argv[2]

def oracle():
    out = {}
    for p in sorted(glob.glob(T + "/re.*")):
        name = os.path.basename(p)[3:].replace("_", "/")[2:]
        t = open(p, errors="replace").read()
        m = re.search(r"Type:\s+(EXEC|DYN)", t)
        if not m or "Program Headers:" not in t:
            continue
        e = {}
        e["lib"] = m.group(1) == "DYN" and "INTERP" not in t and "PIE" not in t
        e["pie"] = m.group(1) == "DYN" and not e["lib"]
        st = re.search(r"GNU_STACK\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+([RWE ]+?)\s+0x", t)
        e["nx"] = st is not None and "E" not in st.group(1)
        if st is None and "MIPS" in t:
            e["nx"] = False
        relro = "GNU_RELRO" in t
        now = re.search(r"\(BIND_NOW\)|Flags:.*\bNOW\b|\(FLAGS\).*BIND_NOW", t) is not None
        e["full"] = relro and now
        e["partial"] = relro and not now
        syms = re.findall(r"\s(__\w+)(?:@\S*)?(?:\s+\(\d+\))?\s*$", t, re.M)
        e["canary"] = any(s in ("__stack_chk_fail", "__stack_chk_guard", "__stack_chk_fail_local") for s in syms)
        e["fortify"] = any(s.endswith("_chk") and not s.startswith("__stack_chk_") for s in syms)
        e["stripped"] = ".symtab" not in t
        out[name] = e
    return out

o = oracle()
assert len(o) == 9, sorted(o)
# What the toolchains are known to produce.
assert not o["usr/sbin/httpd"]["nx"] and not o["usr/sbin/mosquitto"]["nx"], o
assert o["usr/bin/hard"] == {"lib": False, "pie": True, "nx": True, "full": True,
    "partial": False, "canary": True, "fortify": True, "stripped": False}, o["usr/bin/hard"]
assert o["usr/lib/libgood.so"]["lib"] and o["usr/bin/armhard"]["full"]

for rep in ("bad.json", "tar.json"):
    r = json.load(open(os.path.join(T, rep)))
    got = {}
    for f in r["findings"]:
        if f["id"].startswith("FW-ELF-"):
            got.setdefault(f["id"], []).append(f)
    for fs in got.values():
        for f in fs:
            assert f["requirements"] == ["S1.1-13"], f
    # One cause (how the image was built), one finding with every file.
    ex = got["FW-ELF-EXECSTACK"]
    assert len(ex) == 1, ex
    f = ex[0]
    assert f["severity"] == "medium", f
    assert f["evidence"]["path"].endswith("usr/sbin/httpd") or f["evidence"]["path"].endswith("usr/sbin/mosquitto"), f
    assert f["title"] == "3 ELF files run with an executable stack (2 network daemons)", f["title"]
    for p in ("usr/bin/execstack", "usr/sbin/httpd [daemon]", "usr/sbin/mosquitto [daemon]"):
        assert p in f["evidence"]["excerpt"], (p, f["evidence"]["excerpt"])
    rp = got["FW-ELF-INSECURE-RPATH"]
    assert len(rp) == 1 and rp[0]["evidence"]["path"].endswith("usr/bin/rpath"), rp
    assert rp[0]["severity"] == "medium"
    assert "RUNPATH /usr/lib/vendor:/tmp/lib: '/tmp/lib'" in rp[0]["evidence"]["excerpt"], rp
    data = open(B + "/usr/bin/rpath", "rb").read()
    assert data[rp[0]["evidence"]["offset"]:].startswith(b"/usr/lib/vendor:/tmp/lib"), rp
    sm = got["FW-ELF-HARDENING-SUMMARY"]
    assert len(sm) == 1 and sm[0]["severity"] == "info", sm
    text = sm[0]["evidence"]["excerpt"]
    n = len(o)
    ne = sum(1 for e in o.values() if not e["lib"])
    pct = lambda a, b: (a * 200 + b) // (2 * b)
    c = lambda k: sum(1 for e in o.values() if e[k])
    pl = lambda k, one, many: one if k == 1 else many
    want = ("%d ELF files (%d executables, %d shared %s): "
            "NX %d%% (%d/%d), PIE %d%% (%d/%d executables), "
            "full RELRO %d%% (%d/%d), partial RELRO %d%% (%d/%d), "
            "canary %d%% (%d/%d, 0 unknown), FORTIFY %d%% (%d/%d, 0 unknown), "
            "stripped %d%% (%d/%d); executable stack 3, unsafe RPATH 1." % (
            n, ne, n - ne, pl(n - ne, "library", "libraries"), pct(c("nx"), n), c("nx"), n, pct(c("pie"), ne), c("pie"), ne,
            pct(c("full"), n), c("full"), n, pct(c("partial"), n), c("partial"), n,
            pct(c("canary"), n), c("canary"), n, pct(c("fortify"), n), c("fortify"), n,
            pct(c("stripped"), n), c("stripped"), n))
    assert text.startswith(want), (text, want)
    # Worst offenders: daemons first, the most protections missing first.
    worst = text.split("Missing most: ", 1)[1].split("; ")
    names = [w.split(" ")[0].lstrip("./") for w in worst]
    assert names[:3] == ["usr/sbin/httpd", "usr/sbin/mosquitto", "usr/sbin/dropbear"], names
    assert "[daemon] (exec stack, no PIE" in worst[0], worst
    assert "usr/bin/hard" not in names and len(names) <= 10, names
    # The damaged file is named as incomplete, the object file ignored.
    inc = [i for i in r["incomplete"] if "fw.hardening" in i]
    assert len(inc) == 1 and "usr/bin/broken: ELF file not analysed" in inc[0], r["incomplete"]
    v = {c["id"]: c["verdict"] for c in r["checklist"]}
    assert v["S1.1-13"] == "non-conformant", v
PY
[ "$(cat "$T/bad.rc")" -eq 1 ] || fail "planted image should exit 1"

python3 - "$T/good.json" <<'PY' || fail "hardened image"
import json, sys
r = json.load(open(sys.argv[1]))
ids = sorted(f["id"] for f in r["findings"])
assert ids == ["FW-ELF-HARDENING-SUMMARY"], ids
f = r["findings"][0]
assert f["severity"] == "info" and f["requirements"] == ["S1.1-13"], f
assert f["evidence"]["excerpt"].startswith(
    "3 ELF files (2 executables, 1 shared library): NX 100% (3/3), "
    "PIE 100% (2/2 executables), full RELRO 100% (3/3), partial RELRO 0% (0/3), "
    "canary 100% (3/3, 0 unknown), FORTIFY 100% (3/3, 0 unknown)"), f
assert "Missing most" not in f["evidence"]["excerpt"], f
assert r["incomplete"] == [], r["incomplete"]
v = {c["id"]: c for c in r["checklist"]}
# Advice only: the summary never makes S1.1-13 non-conformant.
assert v["S1.1-13"]["verdict"] != "non-conformant" and v["S1.1-13"]["findings"] == [], v["S1.1-13"]
PY
[ "$(cat "$T/good.rc")" -eq 0 ] || fail "hardened image should exit 0"

# MIPS before Linux 4.8: every stack is executable whatever the file says,
# so the per-file flag is moot and only the summary says so; with a 4.14
# kernel the same daemon gives its finding.
for k in 3.10.49 4.14.90; do
	mkdir -p "$T/mips$k/usr/sbin" "$T/mips$k/lib/modules/$k"
	cp "$B/usr/sbin/httpd" "$T/mips$k/usr/sbin/httpd"
	: >"$T/mips$k/lib/modules/$k/modules.dep"
done
# RPATHs into the build machine's tree (OpenWrt's staging_dir under /home
# or /media) do not exist on the device: quiet.  An empty element (a
# trailing ':') searches the current directory: one low finding for all
# files; two files in /tmp: one medium finding naming both.
mkdir -p "$T/bld/usr/bin" "$T/cwd/usr/bin" "$T/tmp2/usr/bin"
cc gcc "$T/bld/usr/bin/a" -O2 -Wl,-rpath,/media/wert/openwrt/staging_dir/target/usr/lib:/home/u/openwrt/build_dir/x
cc gcc "$T/cwd/usr/bin/a" -O2 -Wl,-rpath,/home/u/openwrt/staging_dir/target/usr/lib:
cc gcc "$T/tmp2/usr/bin/a" -O2 -Wl,-rpath,/var/tmp/pc/
cp "$T/tmp2/usr/bin/a" "$T/tmp2/usr/bin/b"
fw_reports bld cwd tmp2
python3 - "$T/bld.json" "$T/cwd.json" "$T/tmp2.json" <<'PY' || fail "RPATH rules"
import json, sys
bld, cwd, tmp2 = (json.load(open(p)) for p in sys.argv[1:4])
rp = lambda r: [f for f in r["findings"] if f["id"] == "FW-ELF-INSECURE-RPATH"]
assert rp(bld) == [], rp(bld)
assert len(rp(cwd)) == 1 and rp(cwd)[0]["severity"] == "low", rp(cwd)
assert "current directory" in rp(cwd)[0]["title"], rp(cwd)
assert len(rp(tmp2)) == 1 and rp(tmp2)[0]["severity"] == "medium", rp(tmp2)
t = rp(tmp2)[0]
assert t["title"].startswith("2 ELF files") and "usr/bin/a" in t["evidence"]["excerpt"] and "usr/bin/b" in t["evidence"]["excerpt"], t
PY

# No module directory: the kernel's own banner tells the version.
mkdir -p "$T/mipsban/usr/sbin" "$T/mipsban/boot"
cp "$B/usr/sbin/httpd" "$T/mipsban/usr/sbin/httpd"
python3 -c 'import sys; open(sys.argv[1], "wb").write(b"\0" * 300000 + b"Linux version 2.6.36 (build@host) (gcc 4.6.3) #1\0" + b"\0" * 1000)' \
	"$T/mipsban/boot/kernel"
fw_reports mips3.10.49 mips4.14.90 mipsban
python3 - "$T/mips3.10.49.json" "$T/mips4.14.90.json" "$T/mipsban.json" <<'PY' || fail "MIPS kernel"
import json, sys
old, new, ban = (json.load(open(p)) for p in sys.argv[1:4])
assert [f["id"] for f in ban["findings"] if f["id"].startswith("FW-ELF-")] == ["FW-ELF-HARDENING-SUMMARY"], ban["findings"]
assert "Linux 2.6, before 4.8" in ban["findings"][[f["id"] for f in ban["findings"]].index("FW-ELF-HARDENING-SUMMARY")]["evidence"]["excerpt"]
ids = lambda r: sorted(f["id"] for f in r["findings"] if f["id"].startswith("FW-ELF-"))
assert ids(old) == ["FW-ELF-HARDENING-SUMMARY"], ids(old)
sm = [f for f in old["findings"] if f["id"] == "FW-ELF-HARDENING-SUMMARY"][0]
assert "Linux 3.10, before 4.8" in sm["evidence"]["excerpt"] and "moot" in sm["evidence"]["excerpt"], sm
assert ids(new) == ["FW-ELF-EXECSTACK", "FW-ELF-HARDENING-SUMMARY"], ids(new)
sm = [f for f in new["findings"] if f["id"] == "FW-ELF-HARDENING-SUMMARY"][0]
assert "moot" not in sm["evidence"]["excerpt"], sm
PY
echo ok
