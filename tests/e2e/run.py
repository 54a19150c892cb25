"""End-to-end tests of the iafq binary, as data: every tests/e2e/cases/*.case
file is one test.  run.py IAFQ FIXTURES

A case is lines of `key: value` ('#' starts a comment):
  env: NAME=VALUE        an environment variable for the run (any number of
                         them), e.g. env: IAFQ_TODAY=2021-06-30
  run: ARGS              the iafq arguments; {fx} fixtures, {data} data/,
                         {root} the repository,
                         {tmp} a fresh temporary folder; \\xNN is the raw
                         byte NN (inside single quotes), for file names
                         that are not UTF-8
  exit: N                expected exit status
  expect: CODE SHEET CELL [ROW] [COLUMN]
                         a finding with this code whose sheet starts with
                         SHEET (- for none) at CELL (- for none), and, when
                         given, this row and column code (JSON output)
  absent: CODE           no finding with this code
  errors: N / warnings: N  exact counts (single return)
  valid: true|false      every return's "valid"
  returns: N             number of returns in the JSON output
  stdout-has: TEXT / stderr-has: TEXT
  stderr-lacks: TEXT     TEXT must not appear on stderr (e.g. a password)
  max-rss-mb: N          peak resident memory of the run (skipped under ASan)
No key measures time: a case bounds work (memory, the outcome) instead, and
timings live in `make bench`.  An unknown key (`seconds:` included) fails
the case, so that a misspelt or timed assertion cannot pass unnoticed.
Each case's {tmp} folder is removed after the case, pass or fail.
  xlsx-cell: PATH SHEET CELL VALUE   read the written workbook back (openpyxl)
  xlsx-sheets: PATH NAME|NAME|...    the first sheet names, in order
  xlsx-comment: PATH SHEET CELL TEXT a cell comment containing TEXT
  xlsx-nsheets: PATH N               the number of sheets
  xlsx-opens: PATH       the workbook reopens in openpyxl (every cell and
                         comment read) and in iafq's own reader
  clean: stdout|stderr [notab]
                         the stream is valid UTF-8 and holds no control
                         character but LF (and tab, unless notab): no C0,
                         DEL, C1 or bidi override reaches a terminal raw
Prints one line per case and 'N passed, N failed'."""
import glob
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KEYS = {"env", "run", "exit", "expect", "absent", "errors", "warnings", "valid",
        "returns", "stdout-has", "stderr-has", "max-rss-mb", "xlsx-cell",
        "xlsx-sheets", "xlsx-comment", "xlsx-nsheets", "stderr-lacks",
        "clean", "xlsx-opens"}


def parse(path):
    case = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            k, _, v = line.partition(":")
            case.append((k.strip(), v.strip()))
    return case


def run_iafq(iafq, args, measure_rss=False, env=None):
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    cmd = [iafq] + args
    # A child forked from this (large) Python process keeps the runner's own
    # RSS in its ru_maxrss across exec: for max-rss-mb, let GNU time (small)
    # fork iafq and report iafq's peak alone.
    rss_file = None
    if measure_rss and os.path.exists("/usr/bin/time"):
        fd, rss_file = tempfile.mkstemp(prefix="iafq-rss-")
        os.close(fd)
        cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd
    p = subprocess.Popen(cmd, stdout=out, stderr=err,
                         stdin=subprocess.DEVNULL,
                         env=dict(os.environ, **env) if env else None)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / 1024.0
    if rss_file:
        with open(rss_file) as f:
            lines = f.read().split()
        os.unlink(rss_file)
        rss = float(lines[-1]) / 1024.0 if lines else rss
    out.seek(0)
    err.seek(0)
    return (p.returncode, out.read(), err.read(), rss)


def raw_bytes(arg):
    """\\xNN in an argument -> the raw byte NN (surrogate-escaped)."""
    b = re.sub(rb"\\x([0-9a-fA-F]{2})",
               lambda m: bytes([int(m.group(1), 16)]), os.fsencode(arg))
    return os.fsdecode(b)


# C0 (but LF, tab), DEL, C1, line/paragraph separators, bidi controls
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
                      "\u202a-\u202e\u2066-\u2069]")


def unclean(name, raw, notab):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["%s is not valid UTF-8: %s" % (name, e)]
    m = _UNCLEAN.search(text) or (notab and re.search("\t", text))
    if m:
        return ["%s holds a raw control character %r near %r" % (
            name, m.group(0), text[max(0, m.start() - 30):m.start()])]
    return []


def findings_of(doc):
    docs = doc if isinstance(doc, list) else [doc]
    return docs, [f for d in docs for f in d["findings"]]


def check_case(iafq, fx, path):
    tmp = tempfile.mkdtemp(prefix="iafq-e2e-")
    try:
        return _check_case(iafq, fx, path, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _check_case(iafq, fx, path, tmp):
    case = parse(path)
    unknown = sorted({k for k, _ in case} - KEYS)
    if unknown:
        return ["unknown key(s) %s%s" % (", ".join(unknown), (
            " (tests bound work, not time: use max-rss-mb)"
            if "seconds" in unknown else ""))]
    subst = {"fx": fx, "data": os.path.join(ROOT, "data"), "tmp": tmp,
             "root": ROOT}

    def sub(s):
        for k, v in subst.items():
            s = s.replace("{" + k + "}", v)
        return s

    args = None
    env = {}
    for k, v in case:
        if k == "run":
            args = [raw_bytes(sub(a)) for a in shlex.split(v)]
        elif k == "env":
            name, eq, value = v.partition("=")
            if not eq or not name:
                return ["env: %r is not NAME=VALUE" % v]
            env[name] = sub(value)
    if args is None:
        return ["no run: line"]
    code, out_raw, err_raw, rss = run_iafq(
        iafq, args, any(k == "max-rss-mb" for k, _ in case), env)
    out = out_raw.decode("utf-8", "replace")
    err = err_raw.decode("utf-8", "replace")
    problems = []
    doc = None
    if out.lstrip().startswith(("{", "[")):
        try:
            doc = json.loads(out)
        except ValueError as e:
            problems.append("stdout is not JSON: %s" % e)
    asan = "asan" in iafq
    for k, v in case:
        if k == "exit" and code != int(v):
            problems.append("exit %d, expected %s; stderr: %s" %
                            (code, v, err.strip()[:300]))
        elif k in ("expect", "absent", "errors", "warnings", "valid",
                   "returns") and doc is None:
            problems.append("%s: no JSON output" % k)
        elif k == "expect":
            parts = v.split()
            want_code, want_sheet, want_cell = parts[0], parts[1], parts[2]
            want_row = parts[3] if len(parts) > 3 else None
            want_col = parts[4] if len(parts) > 4 else None
            _, fs = findings_of(doc)
            ok = False
            for f in fs:
                if f["code"] != want_code:
                    continue
                if want_sheet == "-" and f["sheet"] is not None:
                    continue
                if want_sheet != "-" and not (f["sheet"] or "").startswith(
                        want_sheet):
                    continue
                if (f["cell"] or "-") != want_cell:
                    continue
                if want_row and (f["row"] or "-") != want_row:
                    continue
                if want_col and (f["column"] or "-") != want_col:
                    continue
                if not f["message"]:
                    continue
                ok = True
            if not ok:
                problems.append("no finding %s; got %s" % (v, [
                    (f["code"], f["sheet"], f["cell"]) for f in fs][:12]))
        elif k == "absent":
            _, fs = findings_of(doc)
            if any(f["code"] == v for f in fs):
                problems.append("unexpected finding %s" % v)
        elif k in ("errors", "warnings"):
            docs, _ = findings_of(doc)
            got = sum(d["counts"][k] for d in docs)
            if got != int(v):
                problems.append("%s = %d, expected %s: %s" % (
                    k, got, v, [(f["code"], f["cell"]) for f in
                                findings_of(doc)[1]][:12]))
        elif k == "valid":
            docs, _ = findings_of(doc)
            want = v == "true"
            if any(d["valid"] != want for d in docs):
                problems.append("valid is not %s" % v)
        elif k == "returns":
            docs, _ = findings_of(doc)
            if len(docs) != int(v):
                problems.append("%d returns, expected %s" % (len(docs), v))
        elif k == "stdout-has" and sub(v) not in out:
            problems.append("stdout lacks %r" % v)
        elif k == "stderr-has" and sub(v) not in err:
            problems.append("stderr lacks %r: %s" % (v, err[:300]))
        elif k == "stderr-lacks" and sub(v) in err:
            problems.append("stderr has %r: %s" % (v, err[:300]))
        elif k == "max-rss-mb" and not asan and rss > float(v):
            problems.append("peak RSS %.0f MB, limit %s" % (rss, v))
        elif k == "clean":
            stream, _, opt = v.partition(" ")
            problems += unclean(stream, out_raw if stream == "stdout"
                                else err_raw, opt.strip() == "notab")
        elif k == "xlsx-opens":
            problems += xlsx_opens(iafq, raw_bytes(sub(v)))
        elif k.startswith("xlsx-"):
            problems += check_xlsx(k, sub(v))
    return problems


def xlsx_opens(iafq, path):
    import openpyxl
    try:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    _ = (c.value, c.comment and c.comment.text)
    except Exception as e:  # noqa: BLE001 - any failure to read is a failure
        return ["openpyxl cannot read %s: %s" % (path, e)]
    code, out, err, _ = run_iafq(iafq, ["check", "--format", "json",
                                           path])
    if code not in (0, 1):
        return ["iafq cannot read %s back (exit %d): %s" % (
            path, code, err.decode("utf-8", "replace")[:300])]
    try:
        json.loads(out.decode("utf-8"))
    except ValueError as e:
        return ["iafq's report on %s is not JSON: %s" % (path, e)]
    return []


def check_xlsx(kind, v):
    import openpyxl
    parts = v.split(" ", 3)
    path = parts[0]
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as e:  # noqa: BLE001 - any failure to read is a failure
        return ["cannot read %s back: %s" % (path, e)]
    if kind == "xlsx-nsheets":
        if len(wb.sheetnames) != int(parts[1]):
            return ["%d sheets %s, expected %s" % (
                len(wb.sheetnames), wb.sheetnames, parts[1])]
        return []
    if kind == "xlsx-sheets":
        want = v.split(" ", 1)[1].split("|")
        if wb.sheetnames[:len(want)] != want:
            return ["sheets %s, expected %s" % (wb.sheetnames, want)]
        return []
    sheet, cell = parts[1], parts[2]
    want = parts[3] if len(parts) > 3 else ""
    names = [n for n in wb.sheetnames if n.startswith(sheet)]
    if not names:
        return ["no sheet %s in %s" % (sheet, wb.sheetnames)]
    c = wb[names[0]][cell]
    if kind == "xlsx-cell":
        if str(c.value) != want:
            return ["%s!%s is %r, expected %r" % (sheet, cell, c.value, want)]
    elif kind == "xlsx-comment":
        if not c.comment or want not in c.comment.text:
            return ["%s!%s comment %r lacks %r" % (
                sheet, cell, c.comment and c.comment.text, want)]
    return []


def require_modules(runner, modules):
    """Exit 2 naming each missing Python module and its Debian package,
    instead of a traceback half-way through the cases."""
    missing = []
    for mod, pkg in modules:
        try:
            __import__(mod)
        except ImportError:
            missing.append((mod, pkg))
    for mod, pkg in missing:
        print("%s: the Python module '%s' is missing from %s: install "
              "it with 'apt-get install %s' (or 'make deps')" % (
                  runner, mod, sys.executable, pkg),
              file=sys.stderr)
    if missing:
        sys.exit(2)


def main():
    if len(sys.argv) != 3:
        print("usage: run.py IAFQ FIXTURES", file=sys.stderr)
        sys.exit(2)
    require_modules("e2e", [("openpyxl", "python3-openpyxl")])
    iafq, fx = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    passed = failed = 0
    for path in sorted(glob.glob(os.path.join(HERE, "cases", "*.case"))):
        name = os.path.basename(path)[:-5]
        problems = check_case(iafq, fx, path)
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems:
                print("     %s" % p)
        else:
            passed += 1
            print("ok   %s" % name)
    print("e2e: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
