"""changes.csv in every export (issue 14, item 3), whole processes on a
throwaway cluster:
- a first export writes the header alone (no base);
- after a revised return, an internal export lists exactly the figures
  that moved since the previous export (checked against the stable views
  read before and after and compared here, and against `iafq diff`);
- exporting the same run again writes the same bytes (the base is the
  previous export's run BELOW the one exported);
- a public export after a consent is withdrawn lists nothing of the
  withheld country: its figures are absent from both sides, and regional
  rows are compared as iafq_public computes them with today's consent;
- a public changes.csv equals the public views read as of each run and
  compared here (a GS9 partner withheld, '' "Not published", and one not
  stated, NULL "Unknown", are different rows);
- formats do not matter: `--format sdmx` writes changes.csv too."""
import json
import os
import shutil
from decimal import Decimal, ROUND_HALF_UP

import dbt as h
from t_diff import VIEWS, WORLD, agg, diff_csv, expected, snapshot
from t_export import csv_return, export, read_csv

RATIOS = {"share_pct", "share_pct_mean", "value"}
HEADER = ["view", "change", "area_type", "area_code", "area_name", "year",
          "key", "measure", "old", "new", "old_run", "new_run"]


def tmp(name):
    return os.path.join(h.TMP, "changes", name)


def rounded(measure, v):
    """A figure as changes.csv writes it: ratios at 4 decimals."""
    if v is None or v == "":
        return None
    if measure in RATIOS:
        return str(Decimal(v).quantize(Decimal("0.0001"), ROUND_HALF_UP))
    if v in ("true", "false"):
        return v
    return str(Decimal(v).normalize())


def changes(out):
    """{(view, type, code, year, key, measure): (old, new)} of
    DIR/changes.csv, the rows, and the runs named."""
    rows = read_csv(os.path.join(out, "changes.csv"))
    assert rows[0] == HEADER, rows[0]
    recs = [dict(zip(HEADER, r)) for r in rows[1:]]
    got = {(x["view"], x["area_type"], x["area_code"], x["year"], x["key"],
            x["measure"]): (rounded(x["measure"], x["old"]),
                            rounded(x["measure"], x["new"])) for x in recs}
    assert len(got) == len(recs), "a figure listed twice"
    runs = {(x["old_run"], x["new_run"]) for x in recs}
    return got, recs, runs


def public_snapshot(db, run=None):
    """{(view, area_type, area_code, year, key): {measure: value}} of the
    iafq_public views, as of run (iafq.as_of_run, migration 0017) or now;
    a key written as changes.csv writes it (NULL empty, '' as "")."""
    snap = {}
    for v, (keys, measures) in VIEWS.items():
        sql = "SELECT row_to_json(r)::text FROM iafq_public.%s AS r" % v
        if run is not None:
            sql = "SET iafq.as_of_run = '%d'; %s" % (run, sql)
        for (line,) in h.psql(db, sql):
            if line == "SET":   # psql's command tag of the SET
                continue
            r = json.loads(line, parse_float=Decimal)
            key = ";".join("%s=%s" % (k, "" if r[k] is None else
                                      '""' if r[k] == "" else r[k])
                           for k in keys)
            k = (v, r["area_type"], r["area_code"], str(r["year"]), key)
            assert k not in snap, ("two public rows with one key", k)
            snap[k] = {m: None if r[m] is None else str(r[m])
                       for m in measures if m != "withheld"}
    return snap


def public_want(before, after):
    out = {}
    for k in set(before) | set(after):
        a, b = before.get(k), after.get(k)
        for m in (a or b):
            o = rounded(m, a[m]) if a else None
            n = rounded(m, b[m]) if b else None
            if o != n or (a is None) != (b is None):
                out[k + (m,)] = (o, n)
    return out


def want(before, after):
    return {k: (rounded(k[-1], o), rounded(k[-1], n))
            for k, (o, n) in expected(before, after).items()}


def revised_deu(name, pistols, t11):
    """A revised DEU 2020 return: its T1 pistols seized (120 in the
    sample) and total raised to `pistols` and the T11 rows t11."""
    rev = csv_return(tmp(name), "DEU", 2020, "YES", t11)
    t1 = os.path.join(rev, "T1.csv")
    with open(t1) as f:
        text = f.read()
    with open(t1, "w") as f:
        f.write(text.replace("PISTOL;Pistol;120", "PISTOL;Pistol;%d" % pistols)
                .replace("TOTAL;Total;300", "TOTAL;Total;%d" % (180 + pistols)))
    return rev


def test_changes_internal_and_public():
    db = "t_changes"
    ci = h.fresh(db)
    shutil.rmtree(tmp(""), ignore_errors=True)
    # France's T11 names Spain (withheld later) and a partner it did not
    # state: in public GS9 "Not published" ('': 2 seizures) and "Unknown"
    # (NULL: 1), rows that must not be taken for one another
    t11 = {"FRA": [("USA", "USA", "FRA"), ("ESP", "ESP", "FRA"),
                   ("ESP", "ESP", "FRA"), ("", "", "FRA")]}
    paths = [csv_return(tmp("%s-%d" % (c, y)), c, y, k,
                        t11.get(c, [("USA", "USA", c)]))
             for c, y, k in WORLD]
    r = h.iafq(ci, "ingest", *paths)
    assert r.returncode == 0, r.stdout + r.stderr
    run1 = agg(ci)
    before = snapshot(db)
    out = tmp("out")
    # the first export: nothing to compare with, the header alone
    r = export(ci, out, "--format", "sdmx")
    assert r.returncode == 0, r.stderr
    assert "changes.csv" in os.listdir(out)
    got, recs, runs = changes(out)
    assert recs == [], recs[:3]
    pub = tmp("pub")
    r = export(ci, pub, "--public", "--format", "sdmx")
    assert r.returncode == 0, r.stderr
    assert changes(pub)[1] == []
    # a revised DEU 2020: 20 more pistols seized, and a second T11 row
    r = h.iafq(ci, "ingest", revised_deu("DEU-2020-rev", 140, [
        ("USA", "USA", "DEU"), ("ITA", "ITA", "DEU")]))
    assert r.returncode == 0, r.stdout + r.stderr
    run2 = agg(ci)
    after = snapshot(db)
    r = export(ci, out)
    assert r.returncode == 0, r.stderr
    got, recs, runs = changes(out)
    assert got and got == want(before, after)
    assert runs == {(str(run1), str(run2))}
    # the same figures as `iafq diff` (the same comparison, through the
    # CLI's own path and format)
    d, _ = diff_csv(ci, str(run1), str(run2))
    assert got == {k: (rounded(k[-1], o), rounded(k[-1], n))
                   for k, (o, n) in d.items()}
    first = open(os.path.join(out, "changes.csv"), "rb").read()
    # the same run again: the same bytes (the base is run 1, not run 2)
    r = export(ci, out)
    assert r.returncode == 0, r.stderr
    assert open(os.path.join(out, "changes.csv"), "rb").read() == first
    # ESP withdraws its consent (its 2021 return says NO: ESP 2019 and
    # 2020 are withheld from now on) and DEU is revised again
    r = h.iafq(ci, "ingest", csv_return(tmp("ESP-2021"), "ESP", 2021, "NO",
                                        [("USA", "USA", "ESP")]))
    assert r.returncode == 0, r.stdout + r.stderr
    r = h.iafq(ci, "ingest", revised_deu("DEU-2020-rev2", 150, [
        ("USA", "USA", "DEU")]))
    assert r.returncode == 0, r.stdout + r.stderr
    run3 = agg(ci)
    r = export(ci, pub, "--public", "--format", "csv")
    assert r.returncode == 0, r.stderr
    got, recs, runs = changes(pub)
    # the previous public export used run 1
    assert runs == {(str(run1), str(run3))}, runs
    # the public views as of run 1 and now, compared here
    assert got == public_want(public_snapshot(db, run1),
                              public_snapshot(db))
    hidden = h.psql(db, "SELECT count(*) FROM iafq_public.gs9 WHERE "
                    "area_code = '250' AND manufacture_code = ''")
    unknown = h.psql(db, "SELECT count(*) FROM iafq_public.gs9 WHERE "
                     "area_code = '250' AND flow = 'manufacture' AND "
                     "manufacture_code IS NULL")
    assert hidden == [["1"]] and unknown == [["1"]], (hidden, unknown)
    esp = h.psql(db, "SELECT m49 FROM iafq.m49_country WHERE iso3 = 'ESP'")
    esp = esp[0][0]
    assert recs and all(x["area_code"] != esp for x in recs)
    assert "Spain" not in open(os.path.join(pub, "changes.csv")).read()
    assert all(x["measure"] != "withheld" for x in recs)
    # 2019 (ESP and ITA): nothing published changed, although ESP's
    # figures left every regional row: today's consent on both sides
    assert not [x for x in recs if x["year"] == "2019"], recs[:3]
    # 2020: DEU's T1 pistols 140 -> 150 (runs 1 and 3: 120 -> 150); the
    # world's gs2 pistol count moves by 30, without ESP on either side
    world = [x for x in recs if x["view"] == "gs2" and x["area_type"] ==
             "world" and x["year"] == "2020" and x["measure"] == "n" and
             x["key"] == "arm_type=PISTOL"]
    assert len(world) == 1, [x for x in recs if x["view"] == "gs2"][:5]
    w = world[0]
    assert Decimal(w["new"]) - Decimal(w["old"]) == 30, w
    pubview = h.psql(db, "SELECT n FROM iafq_public.gs2 WHERE area_type = "
                     "'world' AND year = 2020 AND arm_type = 'PISTOL'")
    assert w["new"] == pubview[0][0], (w, pubview)
    internal = [v for k, v in before.items() if k[:5] == (
        "gs2", "world", "001", "2020", "arm_type=PISTOL")][0]
    # run 1's published world figure held ESP's pistols; the old side
    # here does not
    assert Decimal(w["old"]) < Decimal(internal["n"]), (w, internal)


TESTS = [test_changes_internal_and_public]
