"""tls_verdicts.py - the eight TLS verdicts per endpoint, from a starlab
JSON report or a testssl.sh JSON file, and the configured truth of the
servers of tests/fixtures/netns/tls_servers.sh.  Used by
t_device_tls_configs.sh and bench/device_tls_configs.sh.

    python3 tls_verdicts.py starlab REPORT.json PORT...
    python3 tls_verdicts.py testssl FILE.json           (one endpoint)
print one line per endpoint: PORT v1 v2 ... v8 (1 = the problem is there).
"""
import json
import re
import sys

COLUMNS = ["old-protocol", "expired", "self-signed", "weak-key",
           "weak-signature", "weak-suites", "name-mismatch", "untrusted"]

# Configured truth, by label and port (tls_servers.sh).
TRUTH = {
    4431: ("tls10", [1, 0, 0, 0, 0, 0, 0, 0]),
    4432: ("modern", [0, 0, 0, 0, 0, 0, 0, 0]),
    4433: ("expired", [0, 1, 0, 0, 0, 0, 0, 1]),
    4434: ("selfsigned", [0, 0, 1, 0, 0, 0, 0, 1]),
    4435: ("rsa1024", [0, 0, 0, 1, 0, 0, 0, 0]),
    4436: ("sha1", [0, 0, 0, 0, 1, 0, 0, 0]),
    4437: ("cbcrsa", [0, 0, 0, 0, 0, 1, 0, 0]),
    4438: ("wrongname", [0, 0, 0, 0, 0, 0, 1, 0]),
}


def starlab(path, port):
    r = json.load(open(path))
    f = [x for x in r["findings"] if x["evidence"].get("port") == port]
    ids = {x["id"] for x in f}
    summ = " ".join(x["evidence"]["excerpt"] for x in f
                    if x["id"] == "NET-TLS-SUMMARY")
    return [int(i in ids) for i in (
        "NET-TLS-OLD-PROTOCOL", "NET-TLS-CERT-EXPIRED",
        "NET-TLS-CERT-SELF-SIGNED", "NET-TLS-WEAK-KEY",
        "NET-TLS-WEAK-SIGNATURE", "NET-TLS-WEAK-CIPHER",
        "NET-TLS-NAME-MISMATCH")] + [int("chain does not verify" in summ)]


def testssl(path):
    t = {}
    for e in json.load(open(path)):
        t.setdefault(e["id"], e["finding"])

    def offered(k):
        return t.get(k, "").startswith("offered")
    m = re.match(r"(\w+) (\d+) bits", t.get("cert_keySize", ""))
    weak_key = bool(m) and ((m.group(1) in ("RSA", "DSA") and int(m.group(2)) < 2048)
                            or (m.group(1) == "EC" and int(m.group(2)) < 256))
    cot = t.get("cert_chain_of_trust", "")
    # Weak suites under TLS 1.2 (starlab's rule), or a broken class anywhere.
    weak = (offered("TLS1_2") and (offered("cipherlist_OBSOLETED") or
                                   offered("cipherlist_AVERAGE"))) or any(
        offered(k) for k in ("cipherlist_NULL", "cipherlist_aNULL",
                             "cipherlist_EXPORT", "cipherlist_LOW",
                             "cipherlist_3DES_IDEA"))
    return [int(offered("TLS1") or offered("TLS1_1")),
            int(t.get("cert_expirationStatus", "").startswith("expired")),
            int("self signed" in cot),
            int(weak_key),
            int(bool(re.search(r"SHA1|MD5", t.get("cert_signatureAlgorithm", ""), re.I))),
            int(weak),
            int("does not match" in t.get("cert_trust", "")),
            int(not cot.startswith("passed"))]


if __name__ == "__main__":
    if sys.argv[1] == "starlab":
        for p in sys.argv[3:]:
            print(p, *starlab(sys.argv[2], int(p)))
    else:
        print(*testssl(sys.argv[2]))
