"""Tests of `iafq serve` (issue 13) against a real throwaway PostgreSQL
cluster: HTTP clients (t_http.py) and headless Chromium (t_browser.py).

  run.py IAFQ FIXTURES [NAME...]

Each test module has a TESTS list; NAME filters by test function name.
Output (server logs, screenshots, downloaded workbooks) goes to
build/test-output/serve/.  Prints one line per test; exits 1 when any
failed."""
import glob
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sv  # noqa: E402


def main():
    sv.IAFQ = os.path.abspath(sys.argv[1])
    sv.FIXTURES = os.path.abspath(sys.argv[2])
    only = sys.argv[3:]
    sv.OUT = os.path.join(os.path.dirname(sv.IAFQ), "test-output", "serve")
    shutil.rmtree(sv.OUT, ignore_errors=True)
    os.makedirs(sv.OUT)
    # under /tmp, not $TMPDIR: the cluster runs as postgres
    tmp = tempfile.mkdtemp(prefix="iafq-servetest-", dir="/tmp")
    os.chmod(tmp, 0o711)
    pgdir = os.path.join(tmp, "pg")
    start = subprocess.run(["sh", os.path.join(sv.ROOT, "tests", "pgtmp.sh"),
                            "start", pgdir], capture_output=True, text=True)
    if start.returncode != 0:
        print(start.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
        return 1
    sv.ADMIN = " ".join(p for p in start.stdout.strip().split()
                        if not p.startswith(("dbname=", "user=")))
    tests = []
    for path in sorted(glob.glob(os.path.join(HERE, "t_*.py"))):
        mod = importlib.import_module(os.path.basename(path)[:-3])
        tests += [t for t in mod.TESTS if not only or t.__name__ in only]
    failed = 0
    try:
        for t in tests:
            try:
                t()
                print("ok   %s" % t.__name__)
            except Exception as e:  # report and go on
                failed += 1
                print("FAIL %s: %r" % (t.__name__, e))
                traceback.print_exc(limit=-1, file=sys.stdout)
    finally:
        subprocess.run(["sh", os.path.join(sv.ROOT, "tests", "pgtmp.sh"),
                        "stop", pgdir], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print("serve: %d passed, %d failed" % (len(tests) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
