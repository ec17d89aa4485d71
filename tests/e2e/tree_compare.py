#!/usr/bin/env python3
"""Compare `starlab ls --format json` output with the source tree it was
built from.  Usage: tree_compare.py LS_JSON PREFIX SRC_DIR [--no-mode]
[--no-owner | --owner UID:GID] [--no-dirs] [--no-symlinks] [--exact]

--exact also fails on entries under PREFIX that the source tree lacks."""
import hashlib, json, os, stat, sys

def main():
    args = sys.argv[1:]
    ls_json, prefix, src = args[:3]
    opts = args[3:]
    owner = None
    if "--owner" in opts:
        owner = tuple(int(x) for x in opts[opts.index("--owner") + 1].split(":"))
    j = json.load(open(ls_json))
    ents = {e["path"]: e for e in j["entries"]}
    errors = []
    seen = set()
    for root, dirs, files in os.walk(src):
        for name in sorted(dirs + files):
            full = os.path.join(root, name)
            rel = os.path.relpath(full, src)
            st = os.lstat(full)
            path = prefix + "!/" + rel
            seen.add(path)
            e = ents.get(path)
            if stat.S_ISDIR(st.st_mode):
                if "--no-dirs" in opts:
                    continue
                kind = "dir"
            elif stat.S_ISLNK(st.st_mode):
                if "--no-symlinks" in opts:
                    continue
                kind = "symlink"
            else:
                kind = "file"
            if e is None:
                errors.append("missing: %s" % path)
                continue
            if e["type"] != kind and not (kind == "file" and e["type"] == "hardlink"):
                errors.append("%s: type %s, want %s" % (path, e["type"], kind))
                continue
            if "--no-mode" not in opts and kind != "symlink":
                want = "%04o" % stat.S_IMODE(st.st_mode)
                if e.get("mode") != want:
                    errors.append("%s: mode %s, want %s" % (path, e.get("mode"), want))
            if owner is not None and (e.get("uid"), e.get("gid")) != owner:
                errors.append("%s: owner %s:%s, want %d:%d" % (path, e.get("uid"), e.get("gid"), *owner))
            if kind == "file" and e["type"] == "file":
                data = open(full, "rb").read()
                if e["size"] != len(data):
                    errors.append("%s: size %d, want %d" % (path, e["size"], len(data)))
                if e.get("sha256") != hashlib.sha256(data).hexdigest():
                    errors.append("%s: sha256 differs" % path)
            if kind == "symlink" and e.get("link") != os.readlink(full):
                errors.append("%s: link %s, want %s" % (path, e.get("link"), os.readlink(full)))
    if "--exact" in opts:
        for p, e in ents.items():
            if p.startswith(prefix + "!/") and p not in seen and \
                    p[len(prefix) + 2:].count(":") == 0 and "!/" not in p[len(prefix) + 2:]:
                errors.append("extra: %s" % p)
    for e in errors[:50]:
        print(e, file=sys.stderr)
    if errors:
        print("%d difference(s)" % len(errors), file=sys.stderr)
        sys.exit(1)
    print("tree matches: %d entries under %s" % (len(seen), prefix))

main()
