"""Database tests of the iafq binary, end to end, against a real throwaway
PostgreSQL cluster (tests/pgtmp.sh): what only whole processes can show.

  run.py IAFQ

Tests live in tests/db/t_*.py, each with a TESTS list of functions; each
test makes its own fresh database (dbt.fresh).  Prints one line per test
and 'N passed, N failed'; exits 1 when any failed."""
import glob
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

import dbt as h


def main():
    h.IAFQ = os.path.abspath(sys.argv[1])
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
        tests += mod.TESTS
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
    finally:
        subprocess.run(["sh", os.path.join(h.ROOT, "tests", "pgtmp.sh"),
                        "stop", pgdir], capture_output=True)
        shutil.rmtree(h.TMP, ignore_errors=True)
    print("db: %d passed, %d failed" % (len(tests) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, h.HERE)
    sys.exit(main())
