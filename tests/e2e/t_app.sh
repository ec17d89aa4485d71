#!/usr/bin/env bash
# t_app.sh - `starlab app`: APKs assembled here with the real zip format
# and binary manifests compiled by Debian's aapt (against a small framework
# package whose attribute ids are pinned to Android's public ones), with
# planted code strings, keys and endpoints; a clean look-alike gets none
# of the findings.  An app data tar with plaintext shared_prefs too.
. "$(dirname "$0")/lib.sh" || exit 1
need aapt zip tar python3

# ---- the framework attributes aapt resolves android:* against ---------
mkdir -p "$T/fw/res/values"
cat >"$T/fw/AndroidManifest.xml" <<'X'
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="android"/>
X
cat >"$T/fw/res/values/attrs.xml" <<'X'
<resources>
  <attr name="label" format="string"/>
  <attr name="name" format="string"/>
  <attr name="exported" format="boolean"/>
  <attr name="debuggable" format="boolean"/>
  <attr name="allowBackup" format="boolean"/>
  <attr name="usesCleartextTraffic" format="boolean"/>
</resources>
X
cat >"$T/fw/res/values/public.xml" <<'X'
<resources>
  <public type="attr" name="label" id="0x01010001"/>
  <public type="attr" name="name" id="0x01010003"/>
  <public type="attr" name="exported" id="0x01010010"/>
  <public type="attr" name="debuggable" id="0x0101000f"/>
  <public type="attr" name="allowBackup" id="0x01010280"/>
  <public type="attr" name="usesCleartextTraffic" id="0x010104ec"/>
</resources>
X
aapt package -f -x -M "$T/fw/AndroidManifest.xml" -S "$T/fw/res" -F "$T/fw.apk" ||
	fail "aapt could not build the framework package"

# mk_apk NAME APPLICATION_ATTRS DEX_STRINGS CONFIG_JSON
mk_apk() {
	local d=$T/$1
	mkdir -p "$d/src" "$d/x/assets"
	cat >"$d/src/AndroidManifest.xml" <<X
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example.slcam">
  <application android:label="SL Cam" $2>
    <activity android:name=".Main" android:exported="true"/>
  </application>
</manifest>
X
	aapt package -f -M "$d/src/AndroidManifest.xml" -I "$T/fw.apk" -F "$T/$1.apk" ||
		fail "aapt package $1"
	# A dex header, then the strings as a string table holds them.
	{
		printf 'dex\n035\0'
		head -c 104 /dev/zero
		printf '%s\0' $3
	} >"$d/x/classes.dex"
	printf '%s\n' "$4" >"$d/x/assets/config.json"
	(cd "$d/x" && zip -q -X "$T/$1.apk" classes.dex assets/config.json) || fail "zip $1"
}

mk_apk weak 'android:debuggable="true" android:usesCleartextTraffic="true"' \
	"Lcom/example/slcam/MainActivity; Lcom/example/slcam/net/TrustAllCerts; Lorg/apache/http/conn/ssl/AllowAllHostnameVerifier; http://api.slcam-cloud.net/v1/login" \
	'{"api": "http://api.slcam-cloud.net/v1", "aws_access_key_id": "AKIAQ3EGRS5KX7NW2PLM", "aws_secret_access_key": "q8Vn2XbT4kLm9PzR7sYw1AcE6dHf3GjK5uNo0iQe"}'
mk_apk clean 'android:allowBackup="false"' \
	"Lcom/example/slcam/MainActivity; Ljavax/net/ssl/HostnameVerifier; Ljavax/net/ssl/X509TrustManager; Lokhttp3/CertificatePinner; https://api.slcam-cloud.net/v1/login" \
	'{"api": "https://api.slcam-cloud.net/v1", "region": "ap-northeast-1"}'

# findings FILE: "ID REQS" per finding, sorted, unique.
findings() {
	python3 -c 'import json,sys
for f in sorted({(f["id"], ",".join(f["requirements"])) for f in json.load(open(sys.argv[1]))["findings"]}): print(*f)' "$1"
}

rc=0
"$STARLAB" app "$T/weak.apk" --format json >"$T/weak.json" || rc=$?
[ "$rc" = 1 ] || fail "weak app: exit $rc, want 1"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/weak.json" >/dev/null || fail "weak app report invalid"
findings "$T/weak.json" >"$T/weak.ids"
cat "$T/weak.ids"
for want in "APP-DEBUGGABLE S1.1-13" "APP-CLEARTEXT-ALLOWED S1.1-12" \
	"APP-TLS-TRUST-ALL S1.1-12" "FW-PLAINTEXT-ENDPOINT S1.1-12" \
	"FW-SECRET-AWS-KEY S1.1-11"; do
	grep -qx "$want" "$T/weak.ids" || fail "weak app: no '$want'"
done
ex=$(json_get "$T/weak.json" '[f["evidence"]["excerpt"] for f in j["findings"] if f["id"]=="APP-TLS-TRUST-ALL"][0]')
case "$ex" in
*"AllowAllHostnameVerifier at 0x"*"TrustAllCerts at 0x"*) ;;
*) fail "weak app: trust-all excerpt '$ex'" ;;
esac
grep -q AKIAQ3EGRS5KX7NW2PLM "$T/weak.json" && fail "weak app: the AWS key reached the report"

rc=0
"$STARLAB" app "$T/clean.apk" --format json >"$T/clean.json" || rc=$?
[ "$rc" = 0 ] || fail "clean app: exit $rc, want 0"
findings "$T/clean.json" >"$T/clean.ids"
[ ! -s "$T/clean.ids" ] || fail "clean app has findings: $(cat "$T/clean.ids")"
json_get "$T/clean.json" 'j["incomplete"]' >"$T/clean.inc"
grep -q "classes" "$T/clean.inc" && fail "clean app: dex not searched"

# ---- an app data archive: plaintext tokens in shared_prefs -------------
p=$T/data/data/com.example.slcam/shared_prefs
mkdir -p "$p"
cat >"$p/auth.xml" <<'X'
<?xml version='1.0' encoding='utf-8' standalone='yes' ?>
<map>
    <string name="user_name">alice</string>
    <string name="auth_token">8f3a9c2e71b44d0fa6e5c3b2d1908e7f</string>
    <string name="refresh">eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.Zm9vYmFyYmF6cXV4</string>
    <boolean name="first_run" value="false" />
</map>
X
tar -C "$T/data" -cf "$T/appdata.tar" data
"$STARLAB" app "$T/appdata.tar" --format json >"$T/data.json" || true
findings "$T/data.json" >"$T/data.ids"
grep -qx "APP-PREFS-PLAINTEXT S1.1-11" "$T/data.ids" || fail "app data: no APP-PREFS-PLAINTEXT"
grep -q '8f3a9c2e71b44d0fa6e5c3b2d1908e7f' "$T/data.json" && fail "app data: the token reached the report"
grep -qx "FW-SECRET-JWT S1.1-11" "$T/data.ids" || fail "app data: the JWT is not fw.secrets' finding"
# The same file without the token: nothing.
sed -i '/auth_token/d; /refresh/d' "$p/auth.xml"
tar -C "$T/data" -cf "$T/appdata2.tar" data
"$STARLAB" app "$T/appdata2.tar" --format json >"$T/data2.json" || true
findings "$T/data2.json" >"$T/data2.ids"
grep -q APP-PREFS "$T/data2.ids" && fail "clean app data: APP-PREFS-PLAINTEXT"

# A broken manifest is named, not a crash.
printf '\003\000\010\000\377\377\000\000' >"$T/AndroidManifest.xml"
(cd "$T" && zip -q bad.apk AndroidManifest.xml)
"$STARLAB" app "$T/bad.apk" --format json >"$T/bad.json" || true
expect_incomplete "$T/bad.json" 'AndroidManifest.xml: not a readable binary manifest: offset 0'
# The app as one part of a product assessment.
printf 'product: {vendor: StarLab, model: SL-CAM100}\n' >"$T/app-profile.yaml"
rc=0
"$STARLAB" assess --profile "$T/app-profile.yaml" --app "$T/weak.apk" \
	-o "$T/assess" >"$T/assess.out" 2>"$T/assess.err" || rc=$?
[ "$rc" = 1 ] || fail "assess --app: exit $rc: $(cat "$T/assess.err")"
python3 "$SL_SRC/tests/e2e/validate_report.py" "$T/assess/report.json" >/dev/null ||
	fail "assess --app: report does not validate"
python3 - "$T/assess/report.json" <<'PY' || fail "assess --app: see above"
import json, sys
j = json.load(open(sys.argv[1]))
kinds = {(i["kind"], i["name"]) for i in j["inputs"]}
assert ("app", "weak.apk") in kinds, kinds
ids = {i["id"] for i in j["issues"]}
assert "APP-DEBUGGABLE" in ids, ids
PY

echo "t_app: ok"
