#!/usr/bin/env python3
"""html_check.py REPORT.html SHOT.png: open a report.html in headless
Chromium (Debian's chromium), take a screenshot, and fail on:

- a console message of any kind: the page has no script, so anything the
  console says is an error (a Content-Security-Policy violation, a parse
  error, a blocked load);
- a request leaving the file: Chromium's own network log (--log-net-log)
  lists every URL request; one that the page started (its initiator is the
  page's opaque file origin, not the browser itself) fails the test.  Two
  independent witnesses: the page's CSP would block and report such a
  request on the console, and the net log would show it if the CSP failed;
- a blank chart: the screenshot must show the verdict colours of the chart,
  each verdict present in report.json with at least its share of pixels.

Safety: --host-resolver-rules maps every name to NOTFOUND, so even the
browser's own background requests (update and time checks that some
Chromium builds make despite --disable-background-networking) fail at name
resolution and nothing leaves the machine; those are told apart from the
page's by their initiator and ignored.  A fresh, empty --user-data-dir is
used and removed."""
import json, os, re, shutil, struct, subprocess, sys, tempfile, zlib

html, shot = os.path.abspath(sys.argv[1]), sys.argv[2]
rep = json.load(open(os.path.join(os.path.dirname(html), "report.json")))
chromium = shutil.which("chromium")
if chromium is None:
    sys.exit("html_check: Debian's chromium is not installed (scripts/setup.sh)")
work = tempfile.mkdtemp(prefix="sl-chromium-")
netlog = os.path.join(work, "net.json")
prof = os.path.join(work, "profile")
os.mkdir(prof)
try:
    r = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--user-data-dir=" + prof,
         "--enable-logging=stderr", "--v=0", "--log-net-log=" + netlog,
         "--host-resolver-rules=MAP * ~NOTFOUND",
         "--hide-scrollbars", "--window-size=1280,1400",
         "--screenshot=" + os.path.abspath(shot), "file://" + html],
        capture_output=True, text=True, timeout=120)
    err = r.stderr
    if r.returncode != 0 or not os.path.exists(shot):
        sys.exit("html_check: chromium failed (%d): %s" % (r.returncode, err[-2000:]))
    console = [l for l in err.splitlines() if ":CONSOLE" in l]
    if console:
        sys.exit("html_check: console messages:\n" + "\n".join(console))
    raw = open(netlog).read()
    log, _ = json.JSONDecoder().raw_decode(raw)
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    for e in log["events"]:
        p = e.get("params", {})
        if names.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        by_page = (p.get("initiator") != "not an origin" or
                   "file://" in p.get("network_isolation_key", ""))
        if by_page:
            sys.exit("html_check: the page requested %s" % p["url"])
finally:
    shutil.rmtree(work, ignore_errors=True)

def png_pixels(path):
    """RGB(A) pixels of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6) and inter == 0, (depth, ctype)
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        out += line
        prev = line
    return w, h, bpp, bytes(out)

colours = {"non-conformant": (0xc6, 0x28, 0x28), "needs-evidence": (0xd9, 0xa4, 0x00),
           "conformant": (0x1a, 0x8f, 0x3c), "not-applicable": (0x7a, 0x7a, 0x7a)}
w, h, bpp, px = png_pixels(shot)
count = {k: 0 for k in colours}
want = {v: bytes(c) for v, c in colours.items()}
for i in range(0, len(px), bpp):
    rgb = px[i:i + 3]
    for v, c in want.items():
        if rgb == c:
            count[v] += 1
verdicts = [c["verdict"] for c in rep["checklist"]]
for v in colours:
    n = verdicts.count(v)
    # Each requirement's tile is 40x40; its bar adds 30x22 per requirement.
    if n and count[v] < n * 40 * 40 * 0.9:
        sys.exit("html_check: blank chart: %d %s pixels for %d requirements"
                 % (count[v], v, n))
print("html_check: %s: no console message, no request, chart drawn %s"
      % (shot, count))
