#!/usr/bin/env python3
"""check_layers.py - every #include "x.h" in a layer's sources names a
header of that layer or of one below it.

usage: check_layers.py LAYER:ALLOWED,DIRS ... [--allow FILE:DIR ...]

Each LAYER:DIRS argument names a source directory and the directories its
files may include from (its own and those below, as the Makefile gives
them with -I).  --allow FILE:DIR lets one file include from one more
directory (a known, temporary exception).  Prints every include against
the layering and exits 1 when there is one.
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def main(argv):
    layers, allow = [], {}
    args = iter(argv)
    for a in args:
        if a == "--allow":
            f, d = next(args).split(":", 1)
            allow.setdefault(f, []).append(d)
        else:
            name, dirs = a.split(":", 1)
            layers.append((name, dirs.split(",")))
    every = [name for name, _ in layers]
    bad = 0
    for name, dirs in layers:
        if not os.path.isdir(name):
            continue
        for fn in sorted(os.listdir(name)):
            if not fn.endswith((".c", ".h")):
                continue
            path = os.path.join(name, fn)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            ok_dirs = dirs + allow.get(path, [])
            for h in INCLUDE.findall(text):
                if any(os.path.isfile(os.path.join(d, h)) for d in ok_dirs):
                    continue
                if os.path.isfile(os.path.join(name, os.path.dirname(h), os.path.basename(h))):
                    continue
                owner = [d for d in every if os.path.isfile(os.path.join(d, h))]
                where = owner[0] + "/" if owner else "nowhere in the layers"
                print('check-layers: %s includes "%s" from %s, which %s/ may '
                      'not include (it sees %s)' % (path, h, where, name,
                                                     " ".join(dirs)))
                bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
