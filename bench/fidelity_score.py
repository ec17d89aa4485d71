#!/usr/bin/env python3
"""Score starlab firmware reports against expert ground truth (bench/fidelity.sh).

Input: a file of lines NAME<TAB>IMAGE<TAB>EXPECT<TAB>WORKDIR, where WORKDIR holds
report.json and tree/ (the output of `starlab unpack`).  The expect format is
described in bench/fidelity/README.md.
"""
import fnmatch
import hashlib
import json
import os
import shlex
import sys

SEV = ["info", "low", "medium", "high", "critical"]


class Entry:
    def __init__(self, kind, ids, locs, opts, claim, lineno):
        self.kind = kind          # T (true), N (not a problem)
        self.ids = ids            # id globs
        self.locs = locs          # (path glob, line or None)
        self.who = opts.get("who")
        self.sev = opts.get("sev")
        self.opt = "opt" in opts
        self.claim = claim
        self.lineno = lineno
        self.met = 0

    def sev_ok(self, sev):
        if not self.sev:
            return True
        s = self.sev
        if s.startswith(">="):
            return SEV.index(sev) >= SEV.index(s[2:])
        return sev in s.split("|")


def parse_expect(path):
    entries, verdicts, sha = [], {}, None
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            claim = ""
            if " # " in line or line.startswith("#"):
                line, _, claim = line.partition("#")
            line = line.strip()
            if not line:
                continue
            words = shlex.split(line)
            kind = words[0]
            if kind == "sha256":
                sha = words[1]
                continue
            if kind == "V":
                verdicts[words[1]] = words[2]
                continue
            if kind not in ("T", "N") or len(words) < 3:
                sys.exit("%s:%d: expected 'T|N IDS PATHS [opts]'" % (path, no))
            opts = {}
            for w in words[3:]:
                k, _, v = w.partition("=")
                opts[k] = v
            locs = []
            for p in words[2].split("|"):
                ln = None
                if ":" in p and p.rsplit(":", 1)[1].isdigit():
                    p, ln = p.rsplit(":", 1)
                    ln = int(ln)
                locs.append((p, ln))
            entries.append(Entry(kind, words[1].split("|"), locs, opts,
                                 claim.strip(), no))
    return entries, verdicts, sha


def inner_path(p):
    """The path inside the image: after the last '!' (image-level if none)."""
    if "!" in p:
        return p.rsplit("!", 1)[1]
    return "@image"


def tree_file(tree, p):
    """Map an evidence path (a.bin@0x10:squashfs!/etc/x) into the unpack tree."""
    parts = p.split("!")
    out = []
    for i, part in enumerate(parts):
        part = part.lstrip("/")
        if i < len(parts) - 1 and ":" in part:
            head, _, fmt = part.rpartition(":")
            part = head + "." + fmt
        out.append(part)
    return os.path.join(tree, *out)


def line_of(tree, ev):
    off = ev.get("offset")
    if off is None or "path" not in ev:
        return None
    fp = tree_file(tree, ev["path"])
    try:
        with open(fp, "rb") as f:
            data = f.read(off + 1)
    except OSError:
        return None
    if len(data) <= off:
        return None
    return data[:off].count(b"\n") + 1


def matches(e, f, path, line):
    if not any(fnmatch.fnmatchcase(f["id"], g) for g in e.ids):
        return False
    ok = False
    for glob, ln in e.locs:
        if glob == "*" or fnmatch.fnmatchcase(path, glob):
            if ln is None or ln == line:
                ok = True
                break
    if not ok:
        return False
    if e.who:
        text = (f.get("title", "") + " " +
                f.get("evidence", {}).get("excerpt", "")).lower()
        if not any(w.lower() in text for w in e.who.split("|")):
            return False
    return True


def score(name, image, expect, work, verbose):
    entries, verdicts, sha = parse_expect(expect)
    notes = []
    if sha:
        with open(image, "rb") as f:
            got = hashlib.sha256(f.read()).hexdigest()
        if not got.startswith(sha):
            notes.append("sha256 %s does not start with %s: not the image the "
                         "ground truth was written for" % (got[:16], sha))
    try:
        with open(os.path.join(work, "report.json"), encoding="utf-8") as f:
            rep = json.load(f)
    except (OSError, ValueError) as e:
        notes.append("no report: %s" % e)
        rep = {"findings": [], "checklist": []}
    tree = os.path.join(work, "tree")
    c = {"findings": 0, "true": 0, "false": 0, "repeated": 0, "missed": 0}
    rows = []
    for f in rep.get("findings", []):
        c["findings"] += 1
        ev = f.get("evidence", {})
        path = inner_path(ev.get("path", ""))
        line = line_of(tree, ev)
        cls, why = None, ""
        ts = [e for e in entries if e.kind == "T" and matches(e, f, path, line)]
        good = [e for e in ts if e.sev_ok(f["severity"])]
        if good:
            fresh = [e for e in good if not e.met]
            e = fresh[0] if fresh else good[0]
            cls = "true" if not e.met else "repeated"
            e.met += 1
            why = "expect:%d" % e.lineno
        elif ts:
            cls, why = "false", "severity %s, expect:%d wants %s" % (
                f["severity"], ts[0].lineno, ts[0].sev)
        else:
            ns = [e for e in entries if e.kind == "N" and matches(e, f, path, line)]
            cls = "false"
            why = ("not a problem, expect:%d" % ns[0].lineno) if ns else "unlisted"
        c[cls] += 1
        rows.append((cls, why, f, path, line))
    missed = [e for e in entries if e.kind == "T" and not e.met and not e.opt]
    c["missed"] = len(missed)
    bad_v = []
    for v in rep.get("checklist", []):
        want = verdicts.get(v.get("id"))
        if want and want != v.get("verdict"):
            bad_v.append("%s is %s, expected %s" % (v["id"], v["verdict"], want))
    print("== %s" % name)
    for n in notes:
        print("  NOTE %s" % n)
    for cls, why, f, path, line in rows:
        if verbose or cls != "true":
            loc = path + (":%d" % line if line else "")
            print("  %-8s %-8s %-28s %s  (%s)  [%s]" % (
                cls, f["severity"], f["id"], loc, f.get("title", "")[:70], why))
    for e in missed:
        print("  missed   %-37s %s  [expect:%d] %s" % (
            "|".join(e.ids), "|".join(p for p, _ in e.locs)[:60], e.lineno,
            e.claim[:80]))
    for b in bad_v:
        print("  verdict  %s" % b)
    return c, len(bad_v)


def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "   - "


def main():
    verbose = os.environ.get("FIDELITY_VERBOSE") == "1"
    table = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for ln in f:
            name, image, expect, work = ln.rstrip("\n").split("\t")
            c, bv = score(name, image, expect, work, verbose)
            table.append((name, c, bv))
    print()
    hdr = "%-28s %8s %5s %5s %8s %6s %9s %7s %8s" % (
        "image", "findings", "true", "false", "repeated", "missed",
        "precision", "recall", "verdicts")
    print(hdr)
    tot = {"findings": 0, "true": 0, "false": 0, "repeated": 0, "missed": 0}
    tbv = 0
    for name, c, bv in table:
        for k in tot:
            tot[k] += c[k]
        tbv += bv
        print("%-28s %8d %5d %5d %8d %6d %9s %7s %8s" % (
            name, c["findings"], c["true"], c["false"], c["repeated"],
            c["missed"], pct(c["true"], c["true"] + c["false"]),
            pct(c["true"], c["true"] + c["missed"]),
            "ok" if not bv else "%d off" % bv))
    c = tot
    print("%-28s %8d %5d %5d %8d %6d %9s %7s %8s" % (
        "overall", c["findings"], c["true"], c["false"], c["repeated"],
        c["missed"], pct(c["true"], c["true"] + c["false"]),
        pct(c["true"], c["true"] + c["missed"]),
        "ok" if not tbv else "%d off" % tbv))


if __name__ == "__main__":
    main()
