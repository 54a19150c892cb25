"""Write the golden exports (tests/db/golden/internal and /public) with
any iafq binary, on a throwaway cluster:

  python3 tests/db/make_goldens.py IAFQ [OUTDIR]

OUTDIR defaults to tests/db/golden.  Rerun it with the binary whose
exports are the reference (e.g. after the public views changed), then
commit the result; tests/db/t_golden.py compares every later export with
them.  See tests/db/golden.py for the world and what is masked."""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dbt as h  # noqa: E402
import golden  # noqa: E402


def main():
    h.IAFQ = os.path.abspath(sys.argv[1])
    outdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "golden")
    h.TMP = tempfile.mkdtemp(prefix="iafq-golden-", dir="/tmp")
    os.chmod(h.TMP, 0o711)
    pgdir = os.path.join(h.TMP, "pg")
    start = subprocess.run(["sh", os.path.join(h.ROOT, "tests", "pgtmp.sh"),
                            "start", pgdir], capture_output=True, text=True)
    if start.returncode != 0:
        print(start.stderr)
        return 1
    h.ADMIN = " ".join(p for p in start.stdout.strip().split()
                       if not p.startswith(("dbname=", "user=")))
    try:
        ci = golden.world("golden", h.TMP)
        for scope in ("internal", "public"):
            got = golden.export(ci, os.path.join(h.TMP, scope), scope)
            d = os.path.join(outdir, scope)
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            for name, text in got.items():
                with open(os.path.join(d, golden.flat(name)), "w",
                          newline="") as f:
                    f.write(text)
            print("%s: %d files" % (d, len(got)))
    finally:
        subprocess.run(["sh", os.path.join(h.ROOT, "tests", "pgtmp.sh"),
                        "stop", pgdir], capture_output=True)
        shutil.rmtree(h.TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
