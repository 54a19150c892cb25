"""Database tests of the iafq binary, end to end, against a real throwaway
PostgreSQL cluster (tests/pgtmp.sh): what only whole processes can show.

  run.py IAFQ [PATTERN...]

Tests live in tests/db/t_*.py, each with a TESTS list of functions; each
test makes its own fresh database (dbt.fresh).  With PATTERNs, only the
tests whose name contains one of them run (while iterating).  Prints one
line per test and 'N passed, N failed'; exits 1 when any failed (or none
ran), 2 when a Python module the tests need is missing."""
import glob
import importlib
import os
import shutil
import subprocess
import sys
import traceback
import tempfile

import dbt as h


def require_modules(modules):
    """Exit 2 naming each missing Python module and its Debian package,
    instead of a traceback in the middle of the tests."""
    missing = []
    for mod, pkg in modules:
        try:
            importlib.import_module(mod)
        except ImportError:
            missing.append((mod, pkg))
    for mod, pkg in missing:
        print("db: the Python module '%s' is missing from %s: install "
              "it with 'apt-get install %s' (or 'make deps')" % (
                  mod, sys.executable, pkg),
              file=sys.stderr)
    if missing:
        sys.exit(2)


def main():
    if len(sys.argv) < 2:
        print("usage: run.py IAFQ [PATTERN...]", file=sys.stderr)
        return 2
    require_modules([("openpyxl", "python3-openpyxl")])
    h.IAFQ = os.path.abspath(sys.argv[1])
    patterns = sys.argv[2:]
    # under /tmp, not $TMPDIR: the cluster runs as postgres, which must be
    # able to enter it (a private TMPDIR is mode 0700)
    h.TMP = tempfile.mkdtemp(prefix="iafq-dbtest-", dir="/tmp")
    os.chmod(h.TMP, 0o711)
    pgdir = os.path.join(h.TMP, "pg")
    start = subprocess.run(["sh", os.path.join(h.ROOT, "tests", "pgtmp.sh"),
                            "start", pgdir], capture_output=True, text=True)
    if start.returncode != 0:
        print(start.stderr)
        return 1
    h.ADMIN = " ".join(p for p in start.stdout.strip().split()
                       if not p.startswith(("dbname=", "user=")))
    tests = []
    for path in sorted(glob.glob(os.path.join(h.HERE, "t_*.py"))):
        mod = importlib.import_module(os.path.basename(path)[:-3])
        tests += [t for t in mod.TESTS
                  if not patterns or any(p in t.__name__ for p in patterns)]
    failed = 0
    try:
        for t in tests:
            scratch = os.path.join(h.TMP, "scratch")
            shutil.rmtree(scratch, ignore_errors=True)
            os.makedirs(scratch)
            os.chmod(scratch, 0o755)
            try:
                t()
                print("ok   %s" % t.__name__)
            except Exception as e:  # report and go on
                failed += 1
                print("FAIL %s: %r" % (t.__name__, e))
                # where: the failing line of the test
                tb = traceback.extract_tb(e.__traceback__)
                for fr in tb[1:]:
                    print("     %s:%d: %s" % (os.path.basename(fr.filename),
                                              fr.lineno, fr.line))
    finally:
        subprocess.run(["sh", os.path.join(h.ROOT, "tests", "pgtmp.sh"),
                        "stop", pgdir], capture_output=True)
        shutil.rmtree(h.TMP, ignore_errors=True)
    print("db: %d passed, %d failed" % (len(tests) - failed, failed))
    return 1 if failed or not tests else 0


if __name__ == "__main__":
    sys.path.insert(0, h.HERE)
    sys.exit(main())
