#!/usr/bin/env bash
# bench/device_tls.sh - the TLS check of one endpoint (src/net/tls.c, what
# net.tls runs per service) against testssl.sh on the same endpoint, in
# one run, with both verdict sets side by side.
#
# The endpoints are port 443 of the netns fixture devices
# (tests/fixtures/netns/device.sh; needs root):
#   insecure  lighttpd, TLS 1.0..1.3, ALL:@SECLEVEL=0, an expired
#             self-signed SHA-1 certificate
#   hardened  nginx, TLS 1.2/1.3, ECDHE AEAD, a certificate from a test CA
# With BENCH_LOCAL=1 (no root needed) they are `openssl s_server`
# processes on 127.0.0.1 with the same protocol, cipher and certificate
# settings.
#
# Timed, wall clock of the whole process, best of BENCH_RUNS (5) for
# starlab and one run of testssl.sh (it takes minutes):
#   starlab   a small harness linked with libstarlab_static.a: resolve,
#             Sl_tls_probe (versions, certificate chain and verification
#             against the system store, the seven weak cipher classes)
#   testssl   testssl -p -S -s (protocols, server defaults with the
#             certificate, standard cipher categories): the same scope,
#             nothing else (no vulnerability checks, no -e, no headers)
#
# Verdicts compared (must agree): each protocol TLS 1.0..1.3 offered or
# not; the leaf certificate expired, self-signed, key type and size,
# signature hash, chain trusted.  Cipher categories are shown for
# reference: the two tools cut them differently (testssl's LOW is DES,
# RC2, RC4 and MD5; its "obsoleted CBC" includes CBC-SHA256), so they are
# not counted as mismatches.  This is a benchmark, not a test: it asserts
# nothing, and exits 1 only when a compared verdict differs.  Goal: the
# starlab time at most 1/20 of testssl's.
#
# Usage: bench/device_tls.sh [BUILD_DIR]   (default: build)
set -euo pipefail
# The environment a user has: no TZ (servers and containers leave it unset).
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
bd=$(cd "${1:-$top/build}" && pwd)
lib=$bd/libstarlab_static.a
[ -f "$lib" ] || {
	echo "build libstarlab first (cmake --build $bd)" >&2
	exit 1
}
for t in testssl openssl cc pkg-config python3; do
	command -v "$t" >/dev/null || {
		echo "missing $t (apt-get install testssl.sh openssl)" >&2
		exit 1
	}
done
runs=${BENCH_RUNS:-5}
w=$(mktemp -d /tmp/starlab-bench-tls.XXXXXX)
pids=()
devs=()
cleanup() {
	local p d
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for d in "${devs[@]}"; do
		"$top/tests/fixtures/netns/device.sh" down "$d" >/dev/null 2>&1 || true
	done
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$w"
}
trap cleanup EXIT

# ---- the harness -------------------------------------------------------
cat >"$w/harness.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/tls.h"

/* harness HOST PORT: probe once, print the verdicts as key=value. */
int
main(int argc, char **argv)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct Sl_tls_opts o = { .timeout_ms = 1500 };
	struct Sl_tls_result r;
	const struct Sl_tls_cert *c = &r.cert[0];
	char d[16];
	time_t na;
	int v;

	if (argc != 3 || s == NULL || Sl_dev_open(s, argv[1], NULL) != SL_OK)
		return 2;
	if (Sl_tls_probe(&s->dev->t, 0, (unsigned)atoi(argv[2]), &o, &r) !=
	    SL_OK) {
		fprintf(stderr, "probe: %s\n", r.error);
		return 1;
	}
	for (v = 0; v < SL_TLS_NVER; v++)
		printf("protocol %s=%s\n", Sl_tls_ver_name(v),
		       r.ver[v] == SL_TLS_YES ? "offered" : "not offered");
	na = (time_t)c->not_after;
	strftime(d, sizeof(d), "%Y-%m-%d", gmtime(&na));
	printf("cert expired=%s\n", c->not_after < time(NULL) ? "yes" : "no");
	printf("cert not after=%s\n", d);
	printf("cert self-signed=%s\n", c->self_signed ? "yes" : "no");
	printf("cert key=%s %u\n", c->key_type, c->key_bits);
	printf("cert signature hash=%s\n", c->sig_hash);
	printf("cert chain trusted=%s\n", r.chain_ok ? "yes" : "no");
	for (v = 0; v < SL_TLS_NCLASS; v++)
		printf("(ciphers) %s=%s\n", Sl_tls_class_name(v),
		       r.cls[v] == SL_TLS_YES ? "offered" : "not offered");
	printf("(ciphers) suite picked=%s %s\n", r.version, r.suite);
	sl_scan_free(s);
	return 0;
}
C
deps="libsquashfs1 libarchive jansson yaml-0.1 libelf libcrypto libssl zlib liblzma libzstd liblz4 lzo2 ext2fs libhs libxcrypt libssh libcurl libmosquitto"
# shellcheck disable=SC2046
cc -O2 -D_GNU_SOURCE -I"$top/src" -I"$top/include" "$w/harness.c" "$lib" \
	$(pkg-config --cflags --libs $deps) -lstdc++ -lpthread -lm -o "$w/harness"

# ---- the endpoints -----------------------------------------------------
# Each: "LABEL HOST PORT".
endpoints=()
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "nothing listens on $1:$2" >&2
	exit 1
}
if [ -n "${BENCH_LOCAL:-}" ]; then
	(
		cd "$w"
		printf '[ca]\ndefault_ca=d\n[d]\ndir=ca\ndatabase=ca/index\nnew_certs_dir=ca\nserial=ca/serial\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n' >ca.cnf
		mkdir -p ca && : >ca/index && echo 01 >ca/serial
		openssl req -new -newkey rsa:2048 -nodes -keyout bad.key \
			-subj /CN=sl-cam100.local -out bad.csr
		openssl ca -batch -config ca.cnf -selfsign -keyfile bad.key \
			-in bad.csr -md sha1 -notext -startdate 20200101000000Z \
			-enddate 20210101000000Z -out bad.pem
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout ca.key -subj '/CN=bench CA' -days 365 \
			-out ca.pem
		openssl req -new -newkey rsa:2048 -nodes -keyout good.key \
			-subj /CN=sl-cam200.local -out good.csr
		printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
		openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key \
			-set_serial 2 -days 365 -sha256 -extfile san.ext \
			-out good.pem
	) >/dev/null 2>&1
	pi=$(free_port)
	(cd "$w" && exec openssl s_server -accept "127.0.0.1:$pi" -cert bad.pem \
		-key bad.key -cipher 'ALL:@SECLEVEL=0' -min_protocol TLSv1 \
		-www -quiet) >/dev/null 2>&1 &
	pids+=($!)
	ph=$(free_port)
	(cd "$w" && exec openssl s_server -accept "127.0.0.1:$ph" -cert good.pem \
		-key good.key -cipher 'ECDHE+AESGCM:ECDHE+CHACHA20' \
		-min_protocol TLSv1.2 -www -quiet) >/dev/null 2>&1 &
	pids+=($!)
	wait_port 127.0.0.1 "$pi"
	wait_port 127.0.0.1 "$ph"
	endpoints=("insecure 127.0.0.1 $pi" "hardened 127.0.0.1 $ph")
else
	[ "$(id -u)" = 0 ] || {
		echo "the netns fixtures need root (or set BENCH_LOCAL=1)" >&2
		exit 1
	}
	for kind in insecure hardened; do
		name="sl-bt${kind:0:1}-$$"
		devs+=("$name")
		"$top/tests/fixtures/netns/device.sh" up "$kind" "$name" \
			>"$w/$kind.env"
		ip=$(sed -n "s/^DEV_IP4=//p" "$w/$kind.env" | tr -d "'\"")
		endpoints+=("$kind $ip 443")
	done
fi

now() { date +%s.%N; }
status=0
for ep in "${endpoints[@]}"; do
	read -r label host port <<<"$ep"
	# starlab: best of $runs.
	best=
	for ((i = 0; i < runs; i++)); do
		t0=$(now)
		"$w/harness" "$host" "$port" >"$w/$label.sl"
		t1=$(now)
		t=$(python3 -c "print($t1 - $t0)")
		if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then
			best=$t
		fi
	done
	# testssl: one run, the same scope.
	rm -f "$w/$label.testssl.json"
	t0=$(now)
	testssl --quiet --color 0 --warnings off --nodns min -p -S -s \
		--jsonfile "$w/$label.testssl.json" "$host:$port" \
		>"$w/$label.testssl.txt" 2>&1 || true
	t1=$(now)
	tt=$(python3 -c "print($t1 - $t0)")
	python3 - "$label" "$host:$port" "$w/$label.sl" "$w/$label.testssl.json" \
		"$best" "$tt" <<'PY' || status=1
import json, re, sys
label, ep, slf, tsf, ts, tt = sys.argv[1:]
ts, tt = float(ts), float(tt)
sl = dict(l.rstrip("\n").split("=", 1) for l in open(slf))
t = {}
for e in json.load(open(tsf)):
    t.setdefault(e["id"], e["finding"])
def off(k):
    v = t.get(k, "?")
    return "not offered" if v.startswith("not offered") else "offered" if v.startswith("offered") else v
ko = {}
for a, b in (("TLSv1.0", "TLS1"), ("TLSv1.1", "TLS1_1"), ("TLSv1.2", "TLS1_2"), ("TLSv1.3", "TLS1_3")):
    ko["protocol " + a] = off(b)
exp = t.get("cert_expirationStatus", "?")
ko["cert expired"] = "yes" if exp.startswith("expired") else "no"
ko["cert not after"] = t.get("cert_notAfter", "?")[:10]
cot = t.get("cert_chain_of_trust", "?")
ko["cert self-signed"] = "yes" if "self signed" in cot and "CA" not in cot else "no"
m = re.match(r"(\w+) (\d+) bits", t.get("cert_keySize", ""))
ko["cert key"] = ("EC" if m and m.group(1) == "EC" else m.group(1)) + " " + m.group(2) if m else "?"
sa = t.get("cert_signatureAlgorithm", "?")
m = re.search(r"(SHA\d+|MD5)", sa)
ko["cert signature hash"] = m.group(1) if m else sa
ko["cert chain trusted"] = "yes" if cot.startswith("passed") else "no"
for k, ids in (("NULL", ["cipherlist_NULL"]), ("anon", ["cipherlist_aNULL"]),
               ("EXPORT", ["cipherlist_EXPORT"]), ("RC4+DES (LOW)", ["cipherlist_LOW"]),
               ("3DES/IDEA", ["cipherlist_3DES_IDEA"]),
               ("CBC (obsoleted)", ["cipherlist_AVERAGE", "cipherlist_OBSOLETED"])):
    v = next((off(i) for i in ids if i in t), "?")
    ko["(ciphers) " + k] = v
keys = [k for k in sl if not k.startswith("(")] + [k for k in sl if k.startswith("(")] + \
       [k for k in ko if k.startswith("(") and k not in sl]
bad = 0
print(f"\n== {label} {ep}")
print(f"{'verdict':34} {'starlab':26} {'testssl':26}")
for k in keys:
    a, b = sl.get(k, ""), ko.get(k, "")
    mark = ""
    if not k.startswith("("):
        ok = a == b
        bad += not ok
        mark = "ok" if ok else "DIFFERENT"
    print(f"{k:34} {a[:26]:26} {b[:26]:26} {mark}")
print(f"time: starlab {ts:.3f} s (best of runs), testssl {tt:.1f} s, "
      f"ratio {tt / ts:.0f}x (goal >= 20x); compared verdicts differing: {bad}")
sys.exit(1 if bad else 0)
PY
done
exit $status
