"""`iafq diff` (issue 14, item 3), whole processes on a throwaway cluster:
after one revised return and an aggregation, the diff lists exactly the
figures that moved (checked against the stable views read before and after
and compared here, independently of sql/q/diff_rows.sql), all of them in the
revised country or an area containing it, each naming the superseded and
the new submission; a consent withdrawn is reported as a consent change of
the country-years it hides; no change is an empty diff and exit 0."""
import csv
import io
import json
import os
import shutil
from decimal import Decimal

import dbt as h
from t_export import csv_return

# the stable views, their row keys (besides area_type, area_code, year) and
# measures: written here again, not read from aggregate/diff.c
VIEWS = {
    "sdg_16_4_2": ([], ["numerator", "denominator", "value", "countries",
                        "withheld"]),
    "sdg_16_4_2_by_column": (["arms"], ["numerator", "denominator", "value",
                                        "countries", "withheld"]),
    "sdg_16_4_2_by_tracing": (["arms", "tracing"],
                              ["n", "t8_total", "share_pct", "countries",
                               "withheld"]),
    "gs1": (["arms"], ["n", "countries", "withheld"]),
    "gs2": (["arm_type"], ["n", "reported", "share_pct", "countries",
                           "withheld"]),
    "gs3": (["justification"], ["n", "reported", "share_pct",
                                "share_pct_mean", "countries", "withheld"]),
    "gs4": (["offence"], ["n", "countries", "withheld"]),
    "gs5": (["dimension", "arms", "category"],
            ["n", "reported", "share_pct", "countries", "withheld"]),
    "gs6": (["breakdown", "arms", "tracing"],
            ["numerator", "denominator", "value", "countries", "withheld"]),
    "gs7": (["item"], ["n", "countries", "withheld"]),
    "gs8": (["persons", "sex"], ["n", "share_pct", "countries", "withheld"]),
    "gs9": (["flow", "manufacture_code", "departure_code",
             "destination_code"],
            ["quantity", "seizures", "countries", "withheld"]),
}
WORLD = [("DEU", 2020, "YES"), ("FRA", 2020, "YES"), ("ESP", 2020, "YES"),
         ("ESP", 2019, "YES"), ("ITA", 2019, "YES")]


def tmp(name):
    return os.path.join(h.TMP, "diff", name)


def norm(v):
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return str(v).lower()
    try:
        return str(Decimal(str(v)).normalize())
    except Exception:
        return str(v)


def snapshot(db):
    """{(view, area_type, area_code, year, key): {measure: value}} of the
    stable views as they are now (the latest run)."""
    snap = {}
    for v, (keys, measures) in VIEWS.items():
        for (line,) in h.psql(db, "SELECT row_to_json(r)::text FROM iafq.%s "
                              "AS r" % v):
            r = json.loads(line, parse_float=Decimal)
            key = ";".join("%s=%s" % (k, "" if r[k] is None else r[k])
                           for k in keys)
            snap[(v, r["area_type"], r["area_code"], str(r["year"]), key)] = \
                {m: norm(r[m]) for m in measures}
    return snap


def expected(before, after):
    """The figures that differ: {(view, type, code, year, key, measure):
    (old, new)}."""
    out = {}
    for k in set(before) | set(after):
        a, b = before.get(k), after.get(k)
        for m in VIEWS[k[0]][1]:
            o = a[m] if a else None
            n = b[m] if b else None
            if o != n or (a is None) != (b is None):
                out[k + (m,)] = (o, n)
    return out


def diff_csv(ci, *runs):
    r = h.iafq(ci, "diff", "--format", "csv", *runs)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    got = {(x["view"], x["area_type"], x["area_code"], x["year"], x["key"],
            x["measure"]): (norm(x["old"]), norm(x["new"])) for x in rows}
    assert len(got) == len(rows), "a figure listed twice"
    return got, rows


def areas_of(db, iso3):
    return {(t, c) for t, c in h.psql(
        db, "SELECT area_type, area_code FROM iafq.country_area "
        "WHERE iso3 = '%s'" % iso3)}


def agg(ci):
    r = h.iafq(ci, "aggregate", "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["run"]


def test_diff_revision_consent_nochange():
    db = "t_diff"
    ci = h.fresh(db)
    shutil.rmtree(tmp(""), ignore_errors=True)
    paths = [csv_return(tmp("%s-%d" % (c, y)), c, y, k, [("USA", "USA", c)])
             for c, y, k in WORLD]
    r = h.iafq(ci, "ingest", *paths)
    assert r.returncode == 0, r.stdout + r.stderr
    run1 = agg(ci)
    # one run only: nothing to compare with, said on stderr
    r = h.iafq(ci, "diff")
    assert r.returncode == 2 and "two finished" in r.stderr, r.stderr
    r = h.iafq(ci, "diff", "99")
    assert r.returncode == 2 and "run 99" in r.stderr, r.stderr
    before = snapshot(db)
    old_id = h.psql(db, "SELECT id FROM iafq.current_submissions "
                    "WHERE country = 'DEU'")[0][0]
    # a revised DEU 2020: 20 more pistols seized, and a second T11 row
    rev = csv_return(tmp("DEU-2020-rev"), "DEU", 2020, "YES",
                     [("USA", "USA", "DEU"), ("ITA", "ITA", "DEU")])
    t1 = os.path.join(rev, "T1.csv")
    with open(t1) as f:
        text = f.read()
    text = text.replace("PISTOL;Pistol;120", "PISTOL;Pistol;140") \
               .replace("TOTAL;Total;300", "TOTAL;Total;320")
    with open(t1, "w") as f:
        f.write(text)
    r = h.iafq(ci, "ingest", rev)
    assert r.returncode == 0, r.stdout + r.stderr
    new_id = h.psql(db, "SELECT id FROM iafq.current_submissions "
                    "WHERE country = 'DEU'")[0][0]
    assert new_id != old_id
    run2 = agg(ci)
    after = snapshot(db)
    want = expected(before, after)
    assert want, "the revision moved nothing: the test proves less"
    got, rows = diff_csv(ci)                       # default: runs 1 and 2
    assert got == want
    assert got == diff_csv(ci, str(run1), str(run2))[0]
    deu = areas_of(db, "DEU")
    assert {(x["area_type"], x["area_code"]) for x in rows} <= deu
    assert {x["area_type"] for x in rows} >= {"country", "world"}
    assert any(x["view"] == "gs1" and x["area_type"] == "world" and
               x["measure"] == "n" for x in rows)
    detail = "DEU revision (submission %s superseded %s)" % (new_id, old_id)
    assert all(x["cause"] == "revision" and x["detail"] == detail
               for x in rows), rows[:3]
    r = h.iafq(ci, "diff")
    assert r.returncode == 0 and detail in r.stdout, r.stdout
    assert "gs1\n" in r.stdout and "World" in r.stdout, r.stdout
    r = h.iafq(ci, "diff", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["run_a"], doc["run_b"]) == (run1, run2)
    assert [(c["iso3"], c["cause"], c["old_id"], c["new_id"])
            for c in doc["causes"]] == [("DEU", "revision", old_id, new_id)]
    assert len(doc["changes"]) == len(rows)
    # consent withdrawn: ESP's 2021 return says NO, so ESP 2019 and 2020
    # are withheld from now on (docs/disclosure.md)
    before = after
    r = h.iafq(ci, "ingest", csv_return(tmp("ESP-2021"), "ESP", 2021, "NO",
                                        [("USA", "USA", "ESP")]))
    assert r.returncode == 0, r.stdout + r.stderr
    run3 = agg(ci)
    after = snapshot(db)
    got, rows = diff_csv(ci)
    assert got == expected(before, after)
    r = h.iafq(ci, "diff", "--format", "json")
    doc = json.loads(r.stdout)
    assert sorted((c["iso3"], c["year"], c["cause"])
                  for c in doc["causes"]) == [
        ("ESP", "2019", "consent change"), ("ESP", "2020", "consent change"),
        ("ESP", "2021", "new return")], doc["causes"]
    assert [c["detail"] for c in doc["causes"] if c["cause"] == "new return"
            ] == ["ESP new return (submission %s, %s)" % (
                h.psql(db, "SELECT max(id) FROM iafq.submission")[0][0],
                tmp("ESP-2021"))]
    esp = areas_of(db, "ESP")
    assert {(x["area_type"], x["area_code"]) for x in rows} <= esp
    y2019 = [x for x in rows if x["year"] == "2019"]
    assert y2019 and all(x["cause"] == "consent change" and
                         "ESP consent change (2019 now withheld)"
                         == x["detail"] for x in y2019), y2019[:3]
    assert any(x["area_type"] == "country" and x["measure"] == "withheld"
               and (x["old"], x["new"]) == ("0", "1") for x in y2019)
    # no change: the same run twice, and a --full run after run 3
    for args in ([str(run3), str(run3)], []):
        if not args:
            r = h.iafq(ci, "aggregate", "--full")
            assert r.returncode == 0, r.stderr
        r = h.iafq(ci, "diff", "--format", "csv", *args)
        assert r.returncode == 0, r.stderr
        assert len(r.stdout.splitlines()) == 1, r.stdout     # the header
        r = h.iafq(ci, "diff", *args)
        assert r.returncode == 0 and "0 changed figure(s)" in r.stdout
    # usage mistakes
    for bad in (["x"], ["1", "2", "3"], ["--format", "xml"]):
        r = h.iafq(ci, "diff", *bad)
        assert r.returncode == 2 and r.stderr.count("iafq: error:") == 1, \
            (bad, r.stderr)


TESTS = [test_diff_revision_consent_nochange]
