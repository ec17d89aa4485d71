#!/usr/bin/env bash
# net.tls against eight `openssl s_server` setups (issue 16;
# tests/fixtures/netns/tls_servers.sh) in a network namespace this test
# creates: TLS 1.0 only, modern with a private CA, expired, self-signed,
# RSA-1024, SHA-1 signed, CBC-SHA1 and static-RSA suites only, and a
# certificate for another name.  Each of the 8 x 8 verdicts
# (tests/e2e/tls_verdicts.py: old protocol, expired, self-signed, weak
# key, weak signature, weak suites, name mismatch, untrusted chain) must
# match the configured truth.  bench/device_tls_configs.sh puts testssl.sh
# beside it on the same servers.
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/lib_net.sh" || exit 1
need_root_netns
need python3

name="sl-tlc-$$"
net_trap_add "'$SL_NETDEV' down '$name' >/dev/null 2>&1"
"$SL_NETDEV" up bare "$name" >"$T/bare.env" || fail "device.sh up bare failed"
eval "$(cat "$T/bare.env")"
net_route_ok "$DEV_IP4"
"$SL_SRC/tests/fixtures/netns/tls_servers.sh" "$DEV_NAME" "$DEV_IP4" \
	"$T/tls" >"$T/servers.txt" || fail "tls_servers.sh failed"

rc=0
"$STARLAB" device "$DEV_IP4" --ports 4431-4438 --no-udp --max-logins 0 \
	--ca-file "$T/tls/ca.pem" --format json >"$T/r.json" 2>"$T/r.err" || rc=$?
[ "$rc" -le 1 ] || fail "starlab exited $rc: $(cat "$T/r.err")"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/r.json"
python3 - "$SL_SRC/tests/e2e" "$T/r.json" <<'PY' || fail "TLS verdicts differ from the configured truth"
import sys
sys.path.insert(0, sys.argv[1])
import tls_verdicts as tv
bad = 0
print("  %-11s %s" % ("setup", " ".join("%-14s" % c for c in tv.COLUMNS)), file=sys.stderr)
for port, (label, truth) in sorted(tv.TRUTH.items()):
    got = tv.starlab(sys.argv[2], port)
    cells = []
    for g, t in zip(got, truth):
        cells.append("%-14s" % (str(g) + ("" if g == t else " (want %d)" % t)))
        bad += g != t
    print("  %-11s %s" % (label, " ".join(cells)), file=sys.stderr)
print("  %d of 64 verdicts as configured" % (64 - bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "t_device_tls_configs: ok"
