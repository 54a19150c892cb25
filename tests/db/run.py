"""Database tests of the iafq binary, end to end, against a real throwaway
PostgreSQL cluster (tests/pgtmp.sh): what only whole processes can show.

  run.py IAFQ

Each test gets a fresh database.  Prints one line per test and
'N passed, N failed'; exits 1 when any failed."""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
IAFQ = None
ADMIN = None
TMP = None


def psql(db, sql, user="postgres"):
    """Rows of a query as lists of strings (psql -At)."""
    out = subprocess.run(
        ["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
         ADMIN + " dbname=%s user=%s" % (db, user), "-c", sql],
        capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return [line.split("\t") for line in out.stdout.splitlines()]


def fresh(db):
    psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
    psql("postgres", "CREATE DATABASE %s" % db)
    return ADMIN + " dbname=%s user=postgres" % db


def iafq(conninfo, *args, **kw):
    return subprocess.run([IAFQ, "--db", conninfo] + list(args),
                          capture_output=True, text=True, **kw)


def big_csv_return(path, rows, country="ESP", year="2021"):
    """The sample CSV return with a T11 of `rows` seizures."""
    shutil.copytree(os.path.join(ROOT, "samples", "esp-2021-csv"), path)
    with open(os.path.join(path, "COVER.csv"), "w", newline="") as f:
        f.write("CODE;LABEL;VALUE\r\nCOUNTRY;Country;%s\r\nYEAR;Year;%s\r\n"
                "CONSENT;Consent;YES\r\nVERSION;Version;IAFQ-1\r\n"
                % (country, year))
    with open(os.path.join(path, "T11.csv"), "w", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["CODE", "DATE", "ARM_TYPE", "QUANTITY", "NOTES"])
        for i in range(rows):
            w.writerow(["S-%07d" % i, "%s-03-15" % year, "PISTOL", 1,
                        "note %d" % i])
    return path


def test_sigkill_mid_ingest():
    """iafq killed with SIGKILL while its T11 COPY runs leaves no trace."""
    ci = fresh("t_kill")
    ret = big_csv_return(os.path.join(TMP, "big"), 150000)
    assert iafq(ci, "history", "ESP").returncode == 0  # migrate first
    p = subprocess.Popen([IAFQ, "--db", ci, "ingest", ret],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = False
    for _ in range(600):
        rows = psql("t_kill", "SELECT count(*) FROM pg_stat_activity WHERE "
                    "query LIKE 'COPY iafq.seizure%'")
        if rows[0][0] != "0":
            seen = True
            break
        if p.poll() is not None:
            break
        time.sleep(0.01)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert seen, "the COPY was never seen running"
    # the server rolls the transaction back when its client is gone
    for _ in range(500):
        if psql("t_kill", "SELECT count(*) FROM pg_stat_activity WHERE "
                "query LIKE 'COPY iafq.seizure%'")[0][0] == "0":
            break
        time.sleep(0.01)
    assert psql("t_kill", "SELECT count(*) FROM iafq.submission") == [["0"]]
    assert psql("t_kill", "SELECT count(*) FROM iafq.seizure") == [["0"]]
    # and the same file then loads whole
    out = iafq(ci, "ingest", ret)
    assert out.returncode == 0, out.stderr
    assert psql("t_kill", "SELECT count(*) FROM iafq.seizure") == [["150000"]]


def test_concurrent_same_file():
    """Two ingests of the same file at once make one submission."""
    ci = fresh("t_conc")
    assert iafq(ci, "history", "ESP").returncode == 0  # migrate first
    ret = big_csv_return(os.path.join(TMP, "conc"), 20000)
    procs = [subprocess.Popen([IAFQ, "--db", ci, "ingest", "--format",
                               "json", ret], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    statuses = sorted(json.loads(o)["files"][0]["status"] for o, _ in outs)
    assert statuses == ["accepted", "unchanged"], statuses
    assert psql("t_conc", "SELECT count(*) FROM iafq.submission") == [["1"]]
    assert psql("t_conc", "SELECT count(*) FROM iafq.seizure") == [["20000"]]


def test_concurrent_runs():
    """A second run waits for the first, or exits 2 at once with
    --no-wait."""
    ci = fresh("t_runs")
    assert iafq(ci, "history", "ESP").returncode == 0
    ret = big_csv_return(os.path.join(TMP, "runs"), 150000)
    first = subprocess.Popen([IAFQ, "--db", ci, "run", "-o",
                              os.path.join(TMP, "out1"), ret],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    # wait until the first run holds its lock
    for _ in range(1000):
        rows = psql("t_runs", "SELECT count(*) FROM pg_locks WHERE "
                    "locktype = 'advisory' AND granted")
        if rows[0][0] != "0":
            break
        time.sleep(0.01)
    nowait = iafq(ci, "run", "--no-wait", "-o", os.path.join(TMP, "out2"),
                  os.path.join(ROOT, "samples", "esp-2021.xlsx"))
    waiting = subprocess.Popen([IAFQ, "--db", ci, "run", "-o",
                                os.path.join(TMP, "out3"),
                                os.path.join(ROOT, "samples",
                                             "fra-2021-warnings.xlsx")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    o1, e1 = first.communicate()
    o3, e3 = waiting.communicate()
    assert first.returncode == 0, e1
    assert nowait.returncode == 2, (nowait.returncode, nowait.stderr)
    assert "another 'iafq run' is in progress" in nowait.stderr
    assert not os.path.exists(os.path.join(TMP, "out2", "run.json"))
    assert waiting.returncode == 0, e3
    r1 = json.load(open(os.path.join(TMP, "out1", "run.json")))
    r3 = json.load(open(os.path.join(TMP, "out3", "run.json")))
    # the waiting run started its work after the first had finished
    assert r3["aggregation"]["run"] > r1["aggregation"]["run"]
    assert r3["aggregation"]["submissions"] == 2


def test_real_extract_16_4_2():
    """SDG 16.4.2 of real country-years of the published extract, against
    values worked out by hand from the CSV rows."""
    ci = fresh("t_real")
    out = iafq(ci, "ingest", os.path.join(ROOT, "data",
                                          "dataunodc_iafq_sample.csv"))
    assert out.returncode == 0, out.stderr
    assert iafq(ci, "aggregate").returncode == 0
    # Brazil 2017: seized only; T8 UI_LEGIT_NATIONAL 47 + UI_ILLEGIT_NATIONAL
    # 549 traced of 2,284 arms seized = 26.09 %
    rows = psql("t_real", "SELECT numerator, denominator, round(value, 2), "
                "countries FROM iafq.sdg_16_4_2 WHERE area_type = 'country' "
                "AND area_code = '076' AND year = 2017")
    assert rows == [["596", "2284", "26.09", "1"]], rows
    hand = by_hand(os.path.join(ROOT, "data", "dataunodc_iafq_sample.csv"))
    rows = psql("t_real", "SELECT c.iso3, s.year, s.numerator, "
                "s.denominator FROM iafq.sdg_16_4_2 s JOIN iafq.m49_country c "
                "ON c.m49 = s.area_code WHERE s.area_type = 'country'")
    got = {(r[0], int(r[1])): (int(r[2]), int(r[3])) for r in rows}
    assert got == hand, sorted(set(got.items()) ^ set(hand.items()))[:6]
    # the world is the ratio of the sums, over the countries with a value
    for year in {y for _, y in hand}:
        n = sum(v[0] for k, v in hand.items() if k[1] == year)
        d = sum(v[1] for k, v in hand.items() if k[1] == year)
        c = sum(1 for k in hand if k[1] == year)
        w = psql("t_real", "SELECT numerator, denominator, countries FROM "
                 "iafq.sdg_16_4_2 WHERE area_type = 'world' AND year = %d"
                 % year)
        assert w == [[str(n), str(d), str(c)]], (year, w, n, d, c)


TRACED = ("Uniquely identifiable - from legitimate owner in national registry",
          "Uniquely identifiable - from illegitimate owner in national "
          "registry",
          "Uniquely identifiable - from illegitimate owner in foreign "
          "registry",
          "Uniquely identifiable - point of diversion otherwise identified")


def by_hand(path):
    """16.4.2 numerator and denominator per (iso3, year), straight from the
    published rows, as spec section 5 words it."""
    total = {}   # (iso3, year, column) -> T1 TOTAL
    t8 = {}      # (iso3, year, column) -> {category: value}
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Iso3_code")
    cols = {name: i for i, name in enumerate(rows[head])}
    for r in rows[head + 1:]:
        if not r or not r[0]:
            continue
        ind, dim, cat = (r[cols["Indicator"]], r[cols["Dimension"]],
                         r[cols["Category"]])
        col = {"Arms seized": "S", "Arms found": "F",
               "Arms surrendered": "U"}.get(ind)
        if not col or r[cols["VALUE"]] == "":
            continue
        key = (r[0], int(r[cols["Year"]]), col)
        val = int(float(r[cols["VALUE"]]))
        if (col == "S" and dim == "Total" and cat == "Total") or \
           (col != "S" and dim == "by type" and cat == "Total"):
            total.setdefault(key, val)
        elif dim == "by location" and cat.startswith(
                ("Uniquely", "Not uniquely", "Total not", "Unknown status")):
            t8.setdefault(key, {}).setdefault(cat, val)
    out = {}
    for key, tot in total.items():
        if tot <= 0 or key not in t8:
            continue
        n = sum(t8[key].get(c, 0) for c in TRACED)
        a = out.setdefault(key[:2], [0, 0])
        a[0] += n
        a[1] += tot
    return {k: tuple(v) for k, v in out.items()}


def test_roles():
    """Each role connected as itself: the portal reads iafq_public and is
    refused the submissions, the values, the seizures and iafq's views; the
    loader loads, the analyst aggregates."""
    ci = fresh("t_roles")
    assert iafq(ci, "ingest", os.path.join(ROOT, "samples",
                                           "esp-2021.xlsx")).returncode == 0
    assert iafq(ci, "aggregate").returncode == 0
    for table in ("iafq.submission", "iafq.value", "iafq.seizure",
                  "iafq.sdg_16_4_2", "iafq.current_submissions"):
        try:
            psql("t_roles", "SELECT count(*) FROM %s" % table,
                 user="iafq_portal")
        except RuntimeError as e:
            assert "permission denied" in str(e), e
        else:
            raise AssertionError("iafq_portal could read " + table)
    rows = psql("t_roles", "SELECT count(*) FROM iafq_public.sdg_16_4_2",
                user="iafq_portal")
    assert int(rows[0][0]) >= 0
    # the loader's role loads (its grants suffice: it cannot create,
    # update or delete anything), the analyst's role aggregates
    as_loader = ADMIN + " dbname=t_roles user=iafq_loader"
    as_analyst = ADMIN + " dbname=t_roles user=iafq_analyst"
    out = iafq(as_loader, "ingest", os.path.join(ROOT, "samples",
                                                 "fra-2021-warnings.xlsx"))
    assert out.returncode == 0, out.stderr
    out = iafq(as_analyst, "aggregate")
    assert out.returncode == 0, out.stderr
    rows = psql("t_roles", "SELECT countries FROM iafq.gs1 WHERE "
                "area_type = 'world' AND year = 2021 AND arms = 'TOTAL'",
                user="iafq_analyst")
    assert rows == [["2"]], rows
    for sql in ("UPDATE iafq.submission SET status = 'rejected'",
                "DELETE FROM iafq.seizure"):
        try:
            psql("t_roles", sql, user="iafq_loader")
        except RuntimeError as e:
            assert "permission denied" in str(e), e
        else:
            raise AssertionError("iafq_loader could run " + sql)


TESTS = [test_real_extract_16_4_2, test_roles,
         test_concurrent_same_file, test_sigkill_mid_ingest,
         test_concurrent_runs]


def main():
    global IAFQ, ADMIN, TMP
    IAFQ = os.path.abspath(sys.argv[1])
    # under /tmp, not $TMPDIR: the cluster runs as postgres, which must be
    # able to enter it (a private TMPDIR is mode 0700)
    TMP = tempfile.mkdtemp(prefix="iafq-dbtest-", dir="/tmp")
    os.chmod(TMP, 0o711)  # the cluster runs as postgres, below it
    pgdir = os.path.join(TMP, "pg")
    start = subprocess.run(["sh", os.path.join(ROOT, "tests", "pgtmp.sh"),
                            "start", pgdir], capture_output=True, text=True)
    if start.returncode != 0:
        print(start.stderr)
        return 1
    full = start.stdout.strip()
    ADMIN = " ".join(p for p in full.split()
                     if not p.startswith(("dbname=", "user=")))
    failed = 0
    try:
        for t in TESTS:
            for sub in ("big", "conc", "runs", "out1", "out2", "out3"):
                shutil.rmtree(os.path.join(TMP, sub), ignore_errors=True)
            try:
                t()
                print("ok   %s" % t.__name__)
            except Exception as e:  # report and go on
                failed += 1
                print("FAIL %s: %r" % (t.__name__, e))
    finally:
        subprocess.run(["sh", os.path.join(ROOT, "tests", "pgtmp.sh"),
                        "stop", pgdir], capture_output=True)
        shutil.rmtree(TMP, ignore_errors=True)
    print("db: %d passed, %d failed" % (len(TESTS) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
