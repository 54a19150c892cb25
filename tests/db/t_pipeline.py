"""Ingest, aggregate and run, whole processes against a real cluster: a
SIGKILL in the middle of a COPY, two ingests of one file, concurrent runs,
16.4.2 of the real extract worked out by hand, each role connected as
itself."""
import csv
import json
import os
import shutil
import signal
import subprocess
import time

import dbt as h


def big_csv_return(path, rows, country="ESP", year="2021"):
    """The sample CSV return with a T11 of `rows` seizures."""
    shutil.copytree(os.path.join(h.ROOT, "samples", "esp-2021-csv"), path)
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
    ci = h.fresh("t_kill")
    ret = big_csv_return(os.path.join(h.TMP, "big"), 150000)
    assert h.iafq(ci, "history", "ESP").returncode == 0  # migrate first
    p = subprocess.Popen([h.IAFQ, "--db", ci, "ingest", ret],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = False
    for _ in range(600):
        rows = h.psql("t_kill", "SELECT count(*) FROM pg_stat_activity WHERE "
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
        if h.psql("t_kill", "SELECT count(*) FROM pg_stat_activity WHERE "
                "query LIKE 'COPY iafq.seizure%'")[0][0] == "0":
            break
        time.sleep(0.01)
    assert h.psql("t_kill", "SELECT count(*) FROM iafq.submission") == [["0"]]
    assert h.psql("t_kill", "SELECT count(*) FROM iafq.seizure") == [["0"]]
    # and the same file then loads whole
    out = h.iafq(ci, "ingest", ret)
    assert out.returncode == 0, out.stderr
    assert h.psql("t_kill", "SELECT count(*) FROM iafq.seizure") == [["150000"]]


def test_concurrent_same_file():
    """Two ingests of the same file at once make one submission."""
    ci = h.fresh("t_conc")
    assert h.iafq(ci, "history", "ESP").returncode == 0  # migrate first
    ret = big_csv_return(os.path.join(h.TMP, "conc"), 20000)
    procs = [subprocess.Popen([h.IAFQ, "--db", ci, "ingest", "--format",
                               "json", ret], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    statuses = sorted(json.loads(o)["files"][0]["status"] for o, _ in outs)
    assert statuses == ["accepted", "unchanged"], statuses
    assert h.psql("t_conc", "SELECT count(*) FROM iafq.submission") == [["1"]]
    assert h.psql("t_conc", "SELECT count(*) FROM iafq.seizure") == [["20000"]]


def test_concurrent_runs():
    """A second run waits for the first, or exits 2 at once with
    --no-wait."""
    ci = h.fresh("t_runs")
    assert h.iafq(ci, "history", "ESP").returncode == 0
    ret = big_csv_return(os.path.join(h.TMP, "runs"), 150000)
    first = subprocess.Popen([h.IAFQ, "--db", ci, "run", "-o",
                              os.path.join(h.TMP, "out1"), ret],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    # wait until the first run holds its lock
    for _ in range(1000):
        rows = h.psql("t_runs", "SELECT count(*) FROM pg_locks WHERE "
                    "locktype = 'advisory' AND granted")
        if rows[0][0] != "0":
            break
        time.sleep(0.01)
    nowait = h.iafq(ci, "run", "--no-wait", "-o", os.path.join(h.TMP, "out2"),
                  os.path.join(h.ROOT, "samples", "esp-2021.xlsx"))
    waiting = subprocess.Popen([h.IAFQ, "--db", ci, "run", "-o",
                                os.path.join(h.TMP, "out3"),
                                os.path.join(h.ROOT, "samples",
                                             "fra-2021-warnings.xlsx")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    o1, e1 = first.communicate()
    o3, e3 = waiting.communicate()
    assert first.returncode == 0, e1
    assert nowait.returncode == 2, (nowait.returncode, nowait.stderr)
    assert "another 'iafq run' is in progress" in nowait.stderr
    assert not os.path.exists(os.path.join(h.TMP, "out2", "run.json"))
    assert waiting.returncode == 0, e3
    r1 = json.load(open(os.path.join(h.TMP, "out1", "run.json")))
    r3 = json.load(open(os.path.join(h.TMP, "out3", "run.json")))
    # the waiting run started its work after the first had finished
    assert r3["aggregation"]["run"] > r1["aggregation"]["run"]
    assert r3["aggregation"]["submissions"] == 2


def test_real_extract_16_4_2():
    """SDG 16.4.2 of real country-years of the published extract, against
    values worked out by hand from the CSV rows."""
    ci = h.fresh("t_real")
    out = h.iafq(ci, "ingest", os.path.join(h.ROOT, "data",
                                          "dataunodc_iafq_sample.csv"))
    assert out.returncode == 0, out.stderr
    assert h.iafq(ci, "aggregate").returncode == 0
    # Brazil 2017: seized only; T8 UI_LEGIT_NATIONAL 47 + UI_ILLEGIT_NATIONAL
    # 549 traced of 2,284 arms seized = 26.09 %
    rows = h.psql("t_real", "SELECT numerator, denominator, round(value, 2), "
                "countries FROM iafq.sdg_16_4_2 WHERE area_type = 'country' "
                "AND area_code = '076' AND year = 2017")
    assert rows == [["596", "2284", "26.09", "1"]], rows
    hand = by_hand(os.path.join(h.ROOT, "data", "dataunodc_iafq_sample.csv"))
    rows = h.psql("t_real", "SELECT c.iso3, s.year, s.numerator, "
                "s.denominator FROM iafq.sdg_16_4_2 s JOIN iafq.m49_country c "
                "ON c.m49 = s.area_code WHERE s.area_type = 'country'")
    got = {(r[0], int(r[1])): (int(r[2]), int(r[3])) for r in rows}
    assert got == hand, sorted(set(got.items()) ^ set(hand.items()))[:6]
    # the world is the ratio of the sums, over the countries with a value
    for year in {y for _, y in hand}:
        n = sum(v[0] for k, v in hand.items() if k[1] == year)
        d = sum(v[1] for k, v in hand.items() if k[1] == year)
        c = sum(1 for k in hand if k[1] == year)
        w = h.psql("t_real", "SELECT numerator, denominator, countries FROM "
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
    loader loads and aggregates; the analyst reads and may not aggregate
    (it cannot write runs or results: migration 0009)."""
    ci = h.fresh("t_roles")
    assert h.iafq(ci, "ingest", os.path.join(h.ROOT, "samples",
                                           "esp-2021.xlsx")).returncode == 0
    assert h.iafq(ci, "aggregate").returncode == 0
    for table in ("iafq.submission", "iafq.value", "iafq.seizure",
                  "iafq.sdg_16_4_2", "iafq.current_submissions"):
        try:
            h.psql("t_roles", "SELECT count(*) FROM %s" % table,
                 user="iafq_portal")
        except RuntimeError as e:
            assert "permission denied" in str(e), e
        else:
            raise AssertionError("iafq_portal could read " + table)
    rows = h.psql("t_roles", "SELECT count(*) FROM iafq_public.sdg_16_4_2",
                user="iafq_portal")
    assert int(rows[0][0]) >= 0
    # the loader's role loads and aggregates (its grants suffice: it cannot
    # update or delete anything); the analyst's role may not aggregate
    as_loader = h.ADMIN + " dbname=t_roles user=iafq_loader"
    as_analyst = h.ADMIN + " dbname=t_roles user=iafq_analyst"
    out = h.iafq(as_loader, "ingest", os.path.join(h.ROOT, "samples",
                                                 "fra-2021-warnings.xlsx"))
    assert out.returncode == 0, out.stderr
    out = h.iafq(as_analyst, "aggregate")
    assert out.returncode != 0, "the analyst ran an aggregation"
    assert "permission denied for table agg_run" in out.stderr, out.stderr
    out = h.iafq(as_loader, "aggregate")
    assert out.returncode == 0, out.stderr
    rows = h.psql("t_roles", "SELECT countries FROM iafq.gs1 WHERE "
                "area_type = 'world' AND year = 2021 AND arms = 'TOTAL'",
                user="iafq_analyst")
    assert rows == [["2"]], rows
    for sql in ("UPDATE iafq.submission SET status = 'rejected'",
                "DELETE FROM iafq.seizure", "DELETE FROM iafq.agg_run",
                "UPDATE iafq.res_gs1 SET withheld = 0"):
        try:
            h.psql("t_roles", sql, user="iafq_loader")
        except RuntimeError as e:
            assert "permission denied" in str(e), e
        else:
            raise AssertionError("iafq_loader could run " + sql)


TESTS = [test_real_extract_16_4_2, test_roles,
         test_concurrent_same_file, test_sigkill_mid_ingest,
         test_concurrent_runs]


