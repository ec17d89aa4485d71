#!/usr/bin/env bash
# The device fixtures themselves (tests/fixtures/netns/device.sh): both
# devices come up, every service answers from the root namespace with the
# real clients and behaves as the device checks' tests expect (insecure:
# anonymous and default logins work, TLS 1.0 with an expired certificate;
# hardened: authentication everywhere, TLS 1.2+ with a CA-signed
# certificate, 429 after a burst, SSH by key only), and `down` leaves no
# namespace, veth, state or process behind.
. "$(dirname "$0")/lib.sh" || exit 1
. "$(dirname "$0")/lib_net.sh" || exit 1
need_root_netns
need mosquitto_sub snmpget dbclient ssh python3

net_up insecure INS
net_up hardened HRD

# tcp_open IP PORT: something accepts a connection.
tcp_open() {
	timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# ---- insecure ----
I4=$INS_IP4
I6="[$INS_IP6]"
for p in $INS_TCP_PORTS; do
	tcp_open "$INS_IP4" "$p" || fail "insecure: tcp/$p closed on IPv4"
	tcp_open "$INS_IP6" "$p" || fail "insecure: tcp/$p closed on IPv6"
done
for p in 8883 8080 2323; do
	tcp_open "$INS_IP4" "$p" && fail "insecure: tcp/$p should be closed"
done

curl -s -m 5 -o "$T/status" "http://$I4/status" || fail "insecure: GET /status"
json_get "$T/status" 'j["model"] + " " + j["firmware_version"]' >"$T/mv"
[ "$(cat "$T/mv")" = "SL-CAM100 1.0.2" ] || fail "insecure: /status says $(cat "$T/mv")"
curl -s -m 5 -o "$T/config" "http://$I6/cgi-bin/config" || fail "insecure: config page"
grep -qx "wifi_psk=$INS_MQTT_SECRET" "$T/config" || fail "insecure: config page content"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://$I4/admin/")
[ "$code" = 401 ] || fail "insecure: /admin/ without credentials gave $code"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -u "$INS_HTTP_USER:$INS_HTTP_PASS" "http://$I4/admin/")
[ "$code" = 200 ] || fail "insecure: /admin/ with admin:admin gave $code"
code=$(curl -sk -m 5 -o /dev/null -w '%{http_code}' "https://$I6/status")
[ "$code" = 200 ] || fail "insecure: HTTPS /status gave $code"

echo | timeout 5 openssl s_client -connect "$I4:443" -tls1 \
	-cipher 'ALL:@SECLEVEL=0' >"$T/ins-tls1" 2>&1 ||
	fail "insecure: TLS 1.0 handshake refused"
grep -q 'Protocol  : TLSv1$' "$T/ins-tls1" || fail "insecure: not TLS 1.0"
grep -q 'certificate has expired' "$T/ins-tls1" || fail "insecure: certificate not expired"
openssl x509 -in "$INS_CERT" -noout -checkend 0 >/dev/null &&
	fail "insecure: certificate file not expired"

mosquitto_sub -h "$INS_IP4" -p 1883 -t '#' -C 1 -W 5 -v >"$T/mqtt" ||
	fail "insecure: anonymous MQTT subscribe to # gave nothing"
grep -qF "$INS_MQTT_SECRET" "$T/mqtt" || fail "insecure: retained message missing"

snmpget -v2c -c public -t 2 -r 1 "$INS_IP4" 1.3.6.1.2.1.1.1.0 >"$T/snmp" ||
	fail "insecure: snmpget public"
grep -q 'SL-CAM100 IP camera, firmware 1.0.2' "$T/snmp" || fail "insecure: sysDescr"
snmpget -v2c -c public -t 2 -r 1 "udp6:$I6" 1.3.6.1.2.1.1.1.0 >"$T/snmp6" ||
	fail "insecure: snmpget over IPv6"

curl -s -m 5 -o "$T/ftp" "ftp://$I4/backup/config.bak" ||
	fail "insecure: anonymous FTP"
grep -q '^admin_pass=admin$' "$T/ftp" || fail "insecure: FTP file content"

DROPBEAR_PASSWORD=$INS_ROOT_PASS timeout 10 dbclient -y -y \
	"$INS_ROOT_USER@$INS_IP4" 'echo ssh-ok-$(id -u)' </dev/null \
	>"$T/ssh" 2>"$T/ssh.err" || fail "insecure: SSH root:root: $(cat "$T/ssh.err")"
grep -qx 'ssh-ok-0' "$T/ssh" || fail "insecure: SSH command output"

python3 -W ignore - "$INS_IP4" "$INS_ROOT_USER" "$INS_ROOT_PASS" <<'PY' ||
import sys, telnetlib, time
t = telnetlib.Telnet(sys.argv[1], 23, timeout=5)
t.read_until(b"login: ", 5)
t.write(sys.argv[2].encode() + b"\r\n")
t.read_until(b"assword: ", 5)
t.write(sys.argv[3].encode() + b"\r\n")
t.read_until(b"# ", 5)
t.write(b"echo telnet-ok-$(id -u)\r\n")
out = t.read_until(b"telnet-ok-0\r\n", 5)
sys.exit(0 if b"telnet-ok-0\r\n" in out else 1)
PY
	fail "insecure: telnet login as root:root"

echo hello-31337 | timeout 3 socat -t 1 - "TCP:$INS_IP4:31337" >"$T/echo" ||
	fail "insecure: port 31337"
grep -qx hello-31337 "$T/echo" || fail "insecure: port 31337 does not echo"

# The machine's own accounts are untouched.
grep -qF "$(openssl passwd -6 -salt fixture root)" /etc/shadow &&
	fail "the fixture root hash leaked into /etc/shadow"

# ---- hardened ----
H4=$HRD_IP4
H6="[$HRD_IP6]"
for p in $HRD_TCP_PORTS; do
	tcp_open "$HRD_IP4" "$p" || fail "hardened: tcp/$p closed on IPv4"
	tcp_open "$HRD_IP6" "$p" || fail "hardened: tcp/$p closed on IPv6"
done
for p in 21 23 80 1883 31337; do
	tcp_open "$HRD_IP4" "$p" && fail "hardened: tcp/$p should be closed"
done
snmpget -v2c -c public -t 1 -r 0 "$HRD_IP4" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 &&
	fail "hardened: SNMP answers"

code=$(curl -s -m 5 --cacert "$HRD_CA" -o /dev/null -w '%{http_code}' "https://$H4/status")
[ "$code" = 401 ] || fail "hardened: /status without credentials gave $code"
curl -s -m 5 --cacert "$HRD_CA" -u "$HRD_USER:$HRD_PASS" -o "$T/hstatus" \
	"https://$H6/status" || fail "hardened: /status with credentials (verified TLS)"
json_get "$T/hstatus" 'j["model"] + " " + j["firmware_version"]' >"$T/hmv"
[ "$(cat "$T/hmv")" = "SL-CAM200 2.4.1" ] || fail "hardened: /status says $(cat "$T/hmv")"

echo | timeout 5 openssl s_client -connect "$H4:443" -tls1 \
	-cipher 'ALL:@SECLEVEL=0' >"$T/h-tls1" 2>&1 &&
	fail "hardened: TLS 1.0 accepted"
echo | timeout 5 openssl s_client -connect "$H4:443" -tls1_1 \
	-cipher 'ALL:@SECLEVEL=0' >"$T/h-tls11" 2>&1 &&
	fail "hardened: TLS 1.1 accepted"
echo | timeout 5 openssl s_client -connect "$H4:443" -tls1_2 \
	-CAfile "$HRD_CA" -verify_return_error >"$T/h-tls12" 2>&1 ||
	fail "hardened: TLS 1.2 with the test CA: $(tail -3 "$T/h-tls12")"
openssl x509 -in "$HRD_CERT" -noout -checkend $((300 * 86400)) >/dev/null ||
	fail "hardened: certificate expires within 300 days"

mosquitto_sub -h "$HRD_IP4" -p 8883 --cafile "$HRD_CA" -t '#' -C 1 -W 3 \
	>/dev/null 2>&1 && fail "hardened: anonymous MQTT accepted"
mosquitto_pub -h "$HRD_IP4" -p 8883 --cafile "$HRD_CA" -u "$HRD_USER" \
	-P "$HRD_PASS" -t t -m m || fail "hardened: MQTT with the user's password"

DROPBEAR_PASSWORD=root timeout 10 dbclient -y -y "root@$HRD_IP4" true \
	</dev/null >/dev/null 2>&1 && fail "hardened: SSH password login accepted"
timeout 10 ssh -i "$HRD_SSH_KEY" -o BatchMode=yes \
	-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	"root@$HRD_IP4" 'echo key-ok' >"$T/hssh" 2>/dev/null ||
	fail "hardened: SSH key login"
grep -qx key-ok "$T/hssh" || fail "hardened: SSH key login output"

# Rate limiting: a burst of wrong passwords ends in 429.  One curl sends
# them all over one kept-alive connection: thirty curl processes, each
# with its own TLS handshake, can take longer than the 2 s the limiter
# needs to refill its burst on a loaded machine, and never see a 429.
burst=()
for i in $(seq 30); do
	[ "$i" = 1 ] || burst+=(--next)
	burst+=(-s -m 5 --cacert "$HRD_CA" -u "admin:wrong$i" -o /dev/null
		-w '%{http_code}\n' "https://$H4/")
done
curl "${burst[@]}" >"$T/codes" || true
grep -qx 429 "$T/codes" || fail "hardened: no 429 after 30 wrong passwords"
grep -qx 401 "$T/codes" || fail "hardened: never asked for credentials"

# ---- the web server's variants (snapshot tests) ----
net_web "$HRD_NAME" reset # a new nginx: the rate limiter starts afresh
code=$(curl -s -m 5 --cacert "$HRD_CA" -u "$HRD_FACTORY_USER:$HRD_FACTORY_PASS" \
	-o /dev/null -w '%{http_code}' "https://$H4/status")
[ "$code" = 200 ] || fail "hardened after reset: factory credential gave $code"
net_web "$INS_NAME" version=9.9.9
curl -s -m 5 -o "$T/status2" "http://$I4/status" || fail "insecure: GET /status"
[ "$(json_get "$T/status2" 'j["firmware_version"]')" = 9.9.9 ] ||
	fail "insecure: version variant not served"

# ---- down ----
for d in "$INS_NAME" "$HRD_NAME"; do
	net_down "$d"
	net_down "$d" # idempotent
	[ -e "/run/netns/$d" ] && fail "namespace $d left behind"
	[ -e "/tmp/sl-netns/$d" ] && fail "state dir of $d left behind"
	if grep -lF "/tmp/sl-netns/$d/" /proc/[0-9]*/cmdline >"$T/left" 2>/dev/null; then
		fail "process left behind: $(cat "$T/left")"
	fi
done
ip -o link show >"$T/links"
grep -qF "$INS_HOST_IP4" "$T/links" && fail "veth left behind"
ip -4 -o addr show >"$T/addrs"
grep -qF " $INS_HOST_IP4/" "$T/addrs" && fail "insecure host address left behind"
grep -qF " $HRD_HOST_IP4/" "$T/addrs" && fail "hardened host address left behind"
echo "ok"
