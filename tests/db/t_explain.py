"""iafq explain (issue 14, items 1-2): a published figure traced to the
countries, submissions and cells behind it, on the real extract
(data/dataunodc_iafq_sample.csv, long format: cells are 'line N') plus
workbook and CSV returns (cells 'sheet!A1', 'T1.csv:12:C').  Every check is
made again here from the view rows, independently of the command."""
import json
import os
import re
from decimal import Decimal
from fractions import Fraction

import dbt as h
from t_export import csv_return

SAMPLE = os.path.join(h.ROOT, "data", "dataunodc_iafq_sample.csv")
XLSX = os.path.join(h.ROOT, "samples", "esp-2021.xlsx")
LEVELS = ("country", "region", "subregion", "sdg_region", "world")

ORIGIN = {
    "xlsx": re.compile(r"^('([^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)![A-Z]+[0-9]+$"),
    "csv": re.compile(r"^T[0-9]+\.csv:[0-9]+:[A-Z]+$"),
    "long": re.compile(r"^line [0-9]+$"),
}


def tmp(name):
    return os.path.join(h.TMP, "scratch", name)


def world(db, more=()):
    """The extract, then France (CSV, YES) and Austria (CSV, NO: withheld)
    for 2021 (and the returns `more`), then Spain's 2021 workbook (newer
    than the extract's ESP 2021); aggregated."""
    ci = h.fresh(db)
    for paths in ([SAMPLE],
                  [csv_return(tmp("fra"), "FRA", 2021, "YES", [("USA", "USA", "FRA")]),
                   csv_return(tmp("aut"), "AUT", 2021, "NO", [("USA", "USA", "AUT")])]
                  + list(more),
                  [XLSX]):
        out = h.iafq(ci, "ingest", *paths)
        assert out.returncode == 0, out.stdout + out.stderr
    out = h.iafq(ci, "aggregate")
    assert out.returncode == 0, out.stderr
    return ci


def explain(ci, *args):
    out = h.iafq(ci, "explain", "--format", "json", *args)
    assert out.returncode == 0, (args, out.stdout, out.stderr)
    return json.loads(out.stdout)


def areas_of(db, iso3):
    """(area_type, area_code) of every area level of a country."""
    return [tuple(r) for r in h.psql(
        db, "SELECT area_type, area_code FROM iafq.country_area "
            "WHERE iso3 = '%s' ORDER BY 1" % iso3)]


def country_rows(db, view, area_type, area_code, year, cond=""):
    """The country rows of iafq.VIEW behind an area, by alpha-3."""
    return {r[0]: r[1:] for r in h.psql(db, """
        SELECT ca.iso3, %s, s.source
        FROM iafq.country_area AS ca
        JOIN iafq.m49_country AS m ON m.iso3 = ca.iso3
        JOIN iafq.%s AS v ON v.area_type = 'country' AND v.area_code = m.m49
        JOIN iafq.submission AS s ON s.id = v.submission_id
        WHERE ca.area_type = '%s' AND ca.area_code = '%s' AND v.year = %d %s
        """ % ("v.numerator, v.denominator" if view == "sdg_16_4_2" else "v.n",
               view, area_type, area_code, year, cond))}


def check_cells(doc, sources):
    """Each country's cells name their origin in the form of its source,
    and add up to its figure."""
    for c in doc["countries"]:
        src = sources[c["iso3"]]
        assert c["submission"]["source"] == src
        assert re.match(r"^[0-9a-f]{64}$", c["submission"]["sha256"])
        assert c["cells"], c["iso3"]
        for cell in c["cells"]:
            if cell["derived"]:
                assert cell["origin"] is None
            else:
                assert ORIGIN[src].match(cell["origin"]), (src, cell)
        if doc["view"] == "sdg_16_4_2":
            n = sum(x["value"] for x in c["cells"] if x["role"] == "N")
            d = sum(x["value"] for x in c["cells"] if x["role"] == "D")
            assert (n, d) == (c["numerator"], c["denominator"]), c
        else:
            assert sum(x["value"] for x in c["cells"]) == c["n"], c


def test_explain_every_level_adds_up():
    """sdg_16_4_2 and gs1 (arms SEIZED, TOTAL) on every area level of Spain
    (workbook), France (CSV), Morocco and Chile (the extract) add up to the
    published figure, recomputed here from the view's country rows."""
    db = "explain_levels"
    ci = world(db)
    cases = [("ESP", 2021), ("FRA", 2021), ("MAR", 2019), ("CHL", 2019)]
    seen = set()
    for iso3, year in cases:
        for area_type, code in areas_of(db, iso3):
            for view, key in (("sdg_16_4_2", None), ("gs1", "SEIZED"),
                              ("gs1", "TOTAL")):
                args = [view, code, str(year), "area_type=" + area_type]
                cond = ""
                if key:
                    args.append("arms=" + key)
                    cond = "AND v.arms = '%s'" % key
                pub = h.psql(db, "SELECT %s, countries FROM iafq.%s WHERE "
                             "area_type = '%s' AND area_code = '%s' AND "
                             "year = %d %s" % (
                                 "value, numerator, denominator"
                                 if view == "sdg_16_4_2" else "n",
                                 view, area_type, code, year,
                                 cond.replace("v.", "")))
                if not pub:
                    continue
                doc = explain(ci, *args)
                assert doc["checked"] is True
                rows = country_rows(db, view, area_type, code, year, cond)
                assert sorted(c["iso3"] for c in doc["countries"]) == sorted(rows)
                assert doc["published"]["countries"] == int(pub[0][-1]) == len(rows)
                sources = {k: v[-1] for k, v in rows.items()}
                check_cells(doc, sources)
                if view == "sdg_16_4_2":
                    n = sum(int(v[0]) for v in rows.values())
                    d = sum(int(v[1]) for v in rows.values())
                    assert doc["recomputed"]["numerator"] == n == int(pub[0][1])
                    assert doc["recomputed"]["denominator"] == d == int(pub[0][2])
                    assert doc["published"]["value"] == pub[0][0]
                    assert doc["recomputed"]["value"] == pub[0][0]
                    exact = Fraction(100 * n, d)
                    assert abs(Fraction(Decimal(pub[0][0])) - exact) < Fraction(1, 10**12)
                else:
                    n = sum(int(v[0]) for v in rows.values())
                    assert doc["published"]["n"] == n == int(pub[0][0])
                seen.add((iso3, area_type, view))
    for iso3, _ in cases:
        for level in LEVELS:
            assert (iso3, level, "sdg_16_4_2") in seen, (iso3, level)
            assert (iso3, level, "gs1") in seen, (iso3, level)
    # the text names the cells and says it checked
    out = h.iafq(ci, "explain", "sdg_16_4_2", "ESP", "2021")
    assert out.returncode == 0, out.stderr
    assert re.search(r"'T8[^']*'![A-Z]+[0-9]+ = [0-9]+", out.stdout), out.stdout
    assert "checked: the parts add up to the published figure" in out.stdout
    out = h.iafq(ci, "explain", "gs1", "MAR", "2019", "arms=SEIZED")
    assert out.returncode == 0, out.stderr
    assert re.search(r"line [0-9]+ = [0-9]+", out.stdout), out.stdout
    # history's JSON report of one country-year: every figure with its cell,
    # the same cells explain names
    out = h.iafq(ci, "history", "--format", "json", "ESP", "2021")
    assert out.returncode == 0, out.stderr
    subs = json.loads(out.stdout)
    assert subs[0]["file"].endswith("esp-2021.xlsx") and subs[0]["current"]
    vals = subs[0]["values"]
    assert vals and all(ORIGIN["xlsx"].match(v["origin"]) for v in vals
                        if not v["derived"]), vals
    doc = explain(ci, "sdg_16_4_2", "ESP", "2021")
    by_key = {(v["table"], v["row"], v["column"]): v for v in vals}
    for cell in doc["countries"][0]["cells"]:
        v = by_key[(cell["table"], cell["row"], cell["column"])]
        assert (v["value"], v["origin"]) == (cell["value"], cell["origin"])
    # the list of every country-year keeps its shape (no values)
    out = h.iafq(ci, "history", "--format", "json", "ESP")
    assert all("values" not in x for x in json.loads(out.stdout))


KEYS = {"sdg_16_4_2_by_column": "arms", "gs2": "arm_type", "gs4": "offence",
        "gs7": "item"}


def test_explain_other_views_add_up():
    """Every row of sdg_16_4_2_by_column, gs2, gs4 and gs7 for the world and
    Europe (2019: the extract; 2021: the workbook and CSV returns), public
    and not, adds up; its figure is the view's."""
    db = "explain_views"
    ci = world(db)
    fig = {"sdg_16_4_2_by_column": "value", "gs2": "share_pct", "gs4": "n",
           "gs7": "n"}
    count = 0
    for view, key in KEYS.items():
        for schema, flag in (("iafq", []), ("iafq_public", ["--public"])):
            rows = h.psql(db, "SELECT area_type, area_code, year, %s, %s "
                              "FROM %s.%s WHERE area_code IN ('001', '150') "
                              "AND year IN (2019, 2021)" % (
                                  key, fig[view], schema, view))
            for area_type, code, year, k, want in rows:
                doc = explain(ci, *flag, view, code, year,
                              "area_type=" + area_type, "%s=%s" % (key, k))
                assert doc["checked"] is True, doc
                got = doc["published"][fig[view]]
                assert (str(got) if got is not None else "") == want, (doc, want)
                for c in doc["countries"]:
                    n = sum(x["value"] for x in c["cells"]
                            if x["role"] in ("n", "N"))
                    assert n == c["n" if view != "sdg_16_4_2_by_column"
                                  else "numerator"], c
                    if flag:
                        assert c["iso3"] != "AUT"
                count += 1
    assert count >= 20, count


def test_explain_public_leaves_withheld_out():
    """Austria said CONSENT=NO: explain lists it (flagged withheld) but
    --public neither lists nor counts it, and adds up to iafq_public."""
    db = "explain_public"
    ci = world(db)
    assert h.psql(db, "SELECT count(*) FROM iafq.public_withheld "
                      "WHERE country = 'AUT' AND year = 2021") == [["1"]]
    for area_type, code in areas_of(db, "AUT"):
        if area_type == "country":
            out = h.iafq(ci, "explain", "--public", "gs1", "AUT", "2021",
                         "arms=SEIZED")
            assert out.returncode == 2, out.stderr
            assert "Austria" not in out.stdout and "AUT" not in out.stdout
            continue
        for view, extra in (("gs1", ["arms=SEIZED"]), ("sdg_16_4_2", [])):
            args = [view, code, "2021", "area_type=" + area_type] + extra
            full = explain(ci, *args)
            assert "AUT" in [c["iso3"] for c in full["countries"]]
            assert [c["withheld"] for c in full["countries"]
                    if c["iso3"] == "AUT"] == [True]
            pub = explain(ci, "--public", *args)
            assert pub["public"] is True and pub["checked"] is True
            assert "AUT" not in [c["iso3"] for c in pub["countries"]]
            assert len(pub["countries"]) == len(full["countries"]) - 1
            want = h.psql(db, "SELECT %s, countries FROM iafq_public.%s WHERE "
                          "area_type = '%s' AND area_code = '%s' AND year = 2021"
                          "%s" % ("value" if view == "sdg_16_4_2" else "n",
                                  view, area_type, code,
                                  " AND arms = 'SEIZED'" if extra else ""))
            fig = pub["published"]["value" if view == "sdg_16_4_2" else "n"]
            assert str(fig) == want[0][0]
            assert pub["published"]["countries"] == int(want[0][1])
            text = h.iafq(ci, "explain", "--public", *args)
            assert text.returncode == 0, text.stderr
            assert "Austria" not in text.stdout and "AUT" not in text.stdout


def test_explain_choices_and_mistakes():
    """Several rows: the choices listed, exit 2; a bad key, view or area:
    exit 2; a stored cell that no longer adds up: exit 3."""
    db = "explain_choices"
    ci = world(db)
    out = h.iafq(ci, "explain", "gs1", "ESP", "2021")
    assert out.returncode == 2
    for arms in ("SEIZED", "FOUND", "SURRENDERED", "TOTAL"):
        assert "arms=" + arms in out.stderr, out.stderr
    assert out.stdout == ""
    for bad in (["gs1", "ESP", "2021", "colour=red"], ["gs99", "ESP", "2021"],
                ["gs1", "XYZ", "2021"], ["gs1", "ESP", "year"]):
        out = h.iafq(ci, "explain", *bad)
        assert out.returncode == 2, (bad, out.stderr)
        assert out.stderr.startswith("iafq: error: "), out.stderr
    out = h.iafq(ci, "explain", "sdg_16_4_2", "ESP", "1950")
    assert out.returncode == 2 and "no published" in out.stderr, out.stderr
    # a cell changed behind the published figure's back
    h.psql(db, "UPDATE iafq.value AS v SET n = n + 1 FROM iafq.current_submissions AS c "
               "WHERE v.submission_id = c.id AND c.country = 'ESP' AND c.year = 2021 "
               "AND v.tbl = 'T1' AND v.row_code = 'TOTAL' AND v.col_code = 'SEIZED'")
    out = h.iafq(ci, "explain", "gs1", "150", "2021", "arms=SEIZED")
    assert out.returncode == 3, out.stderr
    assert "do not add up" in out.stderr and "ESP" in out.stderr, out.stderr


# the 16.4.2 breakdowns: view -> (its key columns, its N and D columns, its
# figure column)
BREAKDOWNS = {
    "sdg_16_4_2_by_tracing": (("arms", "tracing"), ("n", "t8_total"),
                              "share_pct"),
    "gs6": (("breakdown", "arms", "tracing"), ("numerator", "denominator"),
            "value"),
}


def breakdown_rows(db, schema, view, area_type, code, year):
    """The rows of a 16.4.2 breakdown to explain for one area: for
    sdg_16_4_2_by_tracing those of arms ALL and SEIZED, for gs6 total,
    column and the tracing rows of arms ALL."""
    keys, (n, d), fig = BREAKDOWNS[view]
    cond = ("arms IN ('ALL', 'SEIZED')" if view != "gs6" else
            "(breakdown <> 'tracing' OR arms = 'ALL')")
    return h.psql(db, "SELECT %s, %s, %s, %s, countries FROM %s.%s "
                      "WHERE area_type = '%s' AND area_code = '%s' AND "
                      "year = %d AND %s" % (
                          ", ".join("coalesce(%s, '')" % k for k in keys),
                          fig, n, d, schema, view, area_type, code, year,
                          cond))


def test_explain_16_4_2_breakdowns():
    """sdg_16_4_2_by_tracing (arms, tracing) and gs6 (breakdown, arms,
    tracing) on every area level of Spain (workbook), France (CSV) and
    Morocco (the extract), public and not: each explained row is the view's,
    its countries are the view's country rows, their cells add up to their N
    and D, and the sums to the published N, D and figure; --public never
    lists Austria (withheld)."""
    db = "explain_breakdowns"
    ci = world(db)
    count = 0
    levels = set()
    for iso3, year in (("ESP", 2021), ("FRA", 2021), ("MAR", 2019)):
        for area_type, code in areas_of(db, iso3):
            for view, (keys, (nc, dc), fig) in BREAKDOWNS.items():
                for schema, flag in (("iafq", []),
                                     ("iafq_public", ["--public"])):
                    rows = breakdown_rows(db, schema, view, area_type, code,
                                          year)
                    for row in rows:
                        kv = row[:len(keys)]
                        want, n, d, ncount = row[len(keys):]
                        args = [view, code, str(year),
                                "area_type=" + area_type] + [
                            "%s=%s" % (k, v) for k, v in zip(keys, kv) if v]
                        doc = explain(ci, *flag, *args)
                        assert doc["checked"] is True, doc
                        assert doc["published"]["value"] == want, (doc, want)
                        assert doc["published"]["countries"] == int(ncount)
                        assert len(doc["countries"]) == int(ncount)
                        assert doc["recomputed"]["numerator"] == int(n)
                        assert doc["recomputed"]["denominator"] == int(d)
                        sn = sd = 0
                        for c in doc["countries"]:
                            cn = sum(x["value"] for x in c["cells"]
                                     if x["role"] == "N")
                            cd = sum(x["value"] for x in c["cells"]
                                     if x["role"] == "D")
                            assert (cn, cd) == (c["numerator"],
                                                c["denominator"]), c
                            assert c["cells"], c
                            sn, sd = sn + cn, sd + cd
                            if flag:
                                assert c["iso3"] != "AUT", args
                        assert (sn, sd) == (int(n), int(d))
                        exact = Fraction(100 * sn, sd)
                        assert abs(Fraction(Decimal(want)) - exact) < \
                            Fraction(1, 10**12), (want, exact)
                        if area_type == "country":
                            assert [c["iso3"] for c in doc["countries"]] == \
                                [iso3]
                        levels.add((view, area_type))
                        count += 1
    for view in BREAKDOWNS:
        for level in LEVELS:
            assert (view, level) in levels, (view, level)
    assert count >= 40, count
    # Austria (withheld) is behind Europe's 2021 figures, not the public ones
    for view, extra in (("sdg_16_4_2_by_tracing", []),
                        ("gs6", ["breakdown=total"])):
        rows = breakdown_rows(db, "iafq", view, "region", "150", 2021)
        assert rows, view
        kv = rows[0][:len(BREAKDOWNS[view][0])]
        args = [view, "150", "2021", "area_type=region"] + [
            "%s=%s" % (k, v) for k, v in zip(BREAKDOWNS[view][0], kv) if v]
        full = explain(ci, *args)
        pub = explain(ci, "--public", *args)
        assert "AUT" in [c["iso3"] for c in full["countries"]], full
        assert "AUT" not in [c["iso3"] for c in pub["countries"]], pub
        text = h.iafq(ci, "explain", "--public", *args)
        assert text.returncode == 0, text.stderr
        assert "AUT" not in text.stdout and "Austria" not in text.stdout
    # gs6 without a breakdown: several rows, the choices name all three keys
    out = h.iafq(ci, "explain", "gs6", "ESP", "2021")
    assert out.returncode == 2, out.stderr
    assert "breakdown=total arms= tracing=" in out.stderr, out.stderr
    assert "breakdown=tracing arms=ALL tracing=" in out.stderr, out.stderr


def test_explain_gs8_share_female():
    """gs8 (persons, sex) on every area level of Spain, France and Morocco,
    public and not: n is the sum of the countries' T9 cells, share_pct
    100 * their n / their T9 TOTAL over the countries whose TOTAL is given
    and > 0 (recomputed here from the cells), as published; --public never
    lists Austria."""
    db = "explain_gs8"
    ci = world(db)
    count = shares = 0
    levels = set()
    for iso3, year in (("ESP", 2021), ("FRA", 2021), ("MAR", 2019)):
        for area_type, code in areas_of(db, iso3):
            for schema, flag in (("iafq", []), ("iafq_public", ["--public"])):
                rows = h.psql(db, "SELECT persons, sex, n, "
                                  "coalesce(share_pct::text, ''), countries "
                                  "FROM %s.gs8 WHERE area_type = '%s' AND "
                                  "area_code = '%s' AND year = %d AND sex IN "
                                  "('FEMALE', 'TOTAL')" % (
                                      schema, area_type, code, year))
                for persons, sex, n, share, ncount in rows:
                    doc = explain(ci, *flag, "gs8", code, str(year),
                                  "area_type=" + area_type,
                                  "persons=" + persons, "sex=" + sex)
                    assert doc["checked"] is True, doc
                    assert doc["published"]["n"] == int(n)
                    assert (doc["published"]["share_pct"] or "") == share
                    assert len(doc["countries"]) == int(ncount)
                    sn = sw = st = 0
                    for c in doc["countries"]:
                        cn = [x["value"] for x in c["cells"]
                              if x["role"] == "n"]
                        ct = [x["value"] for x in c["cells"]
                              if x["role"] == "total"]
                        assert len(cn) == 1 and cn[0] == c["n"], c
                        assert len(ct) <= 1 and sum(ct) == c["total"], c
                        if sex == "TOTAL":
                            assert ct == [], c
                        sn += cn[0]
                        if ct and ct[0] > 0:
                            sw, st = sw + cn[0], st + ct[0]
                        if flag:
                            assert c["iso3"] != "AUT"
                    assert sn == int(n)
                    assert doc["recomputed"]["n_with_total"] == sw
                    assert doc["recomputed"]["total"] == st
                    if st:
                        shares += 1
                        assert abs(Fraction(Decimal(share)) -
                                   Fraction(100 * sw, st)) < \
                            Fraction(1, 10**12), (share, sw, st)
                    else:
                        assert share == ""
                    levels.add(area_type)
                    count += 1
    assert levels == set(LEVELS), levels
    assert count >= 20 and shares >= 10, (count, shares)
    out = h.iafq(ci, "explain", "gs8", "ESP", "2021")
    assert out.returncode == 2 and " sex=FEMALE" in out.stderr, out.stderr


def test_explain_gs3_share_and_mean():
    """gs3 (justification) on every area level of Spain, France, Morocco and
    Chile, public and not: share_pct = 100 * sum n / sum reported and
    share_pct_mean = 100 * the mean of the national shares n / reported
    (reported > 0), both recomputed here from the countries' cells, as
    published; --public never lists Austria."""
    db = "explain_gs3"
    ci = world(db)
    count = means = 0
    levels = set()
    for iso3, year in (("ESP", 2021), ("FRA", 2021), ("MAR", 2019),
                       ("CHL", 2019)):
        for area_type, code in areas_of(db, iso3):
            for schema, flag in (("iafq", []), ("iafq_public", ["--public"])):
                rows = h.psql(db, "SELECT justification, n, reported, "
                                  "coalesce(share_pct::text, ''), "
                                  "coalesce(share_pct_mean::text, ''), "
                                  "countries FROM %s.gs3 WHERE area_type = "
                                  "'%s' AND area_code = '%s' AND year = %d" % (
                                      schema, area_type, code, year))
                for just, n, rep, share, mean, ncount in rows:
                    doc = explain(ci, *flag, "gs3", code, str(year),
                                  "area_type=" + area_type,
                                  "justification=" + just)
                    assert doc["checked"] is True, doc
                    pub = doc["published"]
                    assert (pub["n"], pub["reported"]) == (int(n), int(rep))
                    assert (pub["share_pct"] or "") == share
                    assert (pub["share_pct_mean"] or "") == mean
                    assert len(doc["countries"]) == int(ncount)
                    shares = []
                    sn = sr = 0
                    for c in doc["countries"]:
                        cn = sum(x["value"] for x in c["cells"]
                                 if x["role"] == "n")
                        cr = sum(x["value"] for x in c["cells"])
                        assert (cn, cr) == (c["n"], c["reported"]), c
                        assert all(x["table"] == "T3" for x in c["cells"])
                        sn, sr = sn + cn, sr + cr
                        if cr > 0:
                            shares.append(Fraction(100 * cn, cr))
                        if flag:
                            assert c["iso3"] != "AUT"
                    assert (sn, sr) == (int(n), int(rep))
                    if sr:
                        assert abs(Fraction(Decimal(share)) -
                                   Fraction(100 * sn, sr)) < Fraction(1, 10**12)
                    if shares:
                        exact = sum(shares) / len(shares)
                        assert abs(Fraction(Decimal(mean)) - exact) < \
                            Fraction(1, 10**12), (mean, exact)
                        assert doc["recomputed"]["share_pct_mean"] == mean
                        means += len(shares) > 1
                    else:
                        assert mean == ""
                    levels.add(area_type)
                    count += 1
    assert levels == set(LEVELS), levels
    assert count >= 20 and means >= 5, (count, means)
    out = h.iafq(ci, "explain", "gs3", "150", "2019", "area_type=region")
    assert out.returncode == 2 and "justification=" in out.stderr, out.stderr


def test_explain_gs5_shares():
    """gs5 (dimension, arms, category; the SEIZED rows) on every area level
    of Spain, France and Morocco, public and not: n is the category's cell of
    the dimension's table (T5, T6, T7), reported the sum of the component
    cells of that table and column, share_pct = 100 * sum n / sum reported,
    recomputed here; --public never lists Austria."""
    db = "explain_gs5"
    ci = world(db)
    count = 0
    levels, dims = set(), set()
    tables = {"condition": "T5", "marking": "T6", "place": "T7"}
    for iso3, year in (("ESP", 2021), ("FRA", 2021), ("MAR", 2019)):
        for area_type, code in areas_of(db, iso3):
            for schema, flag in (("iafq", []), ("iafq_public", ["--public"])):
                rows = h.psql(db, "SELECT dimension, arms, category, n, "
                                  "reported, coalesce(share_pct::text, ''), "
                                  "countries FROM %s.gs5 WHERE area_type = "
                                  "'%s' AND area_code = '%s' AND year = %d "
                                  "AND arms = 'SEIZED'" % (
                                      schema, area_type, code, year))
                for dim, arms, cat, n, rep, share, ncount in rows:
                    doc = explain(ci, *flag, "gs5", code, str(year),
                                  "area_type=" + area_type,
                                  "dimension=" + dim, "arms=" + arms,
                                  "category=" + cat)
                    assert doc["checked"] is True, doc
                    pub = doc["published"]
                    assert (pub["n"], pub["reported"]) == (int(n), int(rep))
                    assert (pub["share_pct"] or "") == share
                    assert len(doc["countries"]) == int(ncount)
                    sn = sr = 0
                    for c in doc["countries"]:
                        cn = [x["value"] for x in c["cells"]
                              if x["role"] == "n"]
                        cr = sum(x["value"] for x in c["cells"])
                        assert len(cn) == 1 and (cn[0], cr) == (
                            c["n"], c["reported"]), c
                        assert all(x["table"] == tables[dim] and
                                   x["column"] == arms for x in c["cells"])
                        sn, sr = sn + cn[0], sr + cr
                        if flag:
                            assert c["iso3"] != "AUT"
                    assert (sn, sr) == (int(n), int(rep))
                    if sr:
                        assert abs(Fraction(Decimal(share)) -
                                   Fraction(100 * sn, sr)) < Fraction(1, 10**12)
                    levels.add(area_type)
                    dims.add(dim)
                    count += 1
    assert levels == set(LEVELS), levels
    assert dims == set(tables), dims
    assert count >= 20, count


# GS9's T11 rows of 2021 besides the workbook's: (id, manufacture,
# departure, destination, quantity).  France names Austria (withheld) as a
# partner and states no partner once; Germany has more rows than explain
# lists.  (A quantity is required: every row has one.)
GS9_FRA = [("F-1", "USA", "USA", "FRA", "5"), ("F-2", "AUT", "AUT", "FRA", "3"),
           ("F-3", "DEU", "AUT", "FRA", "7"), ("F-4", "", "", "FRA", "1"),
           ("F-5", "USA", "DEU", "FRA", "6"), ("F-6", "ITA", "ITA", "FRA", "4")]
GS9_DEU = [("D-%d" % i, "USA", "USA", "DEU", str(i % 5 + 1))
           for i in range(130)] + [("D-X", "AUT", "DEU", "AUT", "2")]
SEIZURE_ORIGIN = {
    "xlsx": re.compile(r"^('([^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)![0-9]+:[0-9]+$"),
    "csv": re.compile(r"^T11\.csv:[0-9]+$"),
}
GS9_KEYS = ("flow", "manufacture_code", "departure_code", "destination_code")


def gs9_return(name, iso3, rows):
    """A CSV return of iso3 for 2021 (CONSENT YES) with these T11 rows."""
    path = csv_return(tmp(name), iso3, 2021, "YES", [])
    with open(os.path.join(path, "T11.csv"), "w", newline="") as f:
        f.write("CODE;DATE;ARM_TYPE;QUANTITY;MANUFACTURE_COUNTRY;"
                "DEPARTURE_COUNTRY;DESTINATION_COUNTRY\r\n")
        for sid, m, d, t, q in rows:
            f.write("%s;2021-03-15;PISTOL;%s;%s;%s;%s\r\n" % (sid, q, m, d, t))
    return path


def gs9_world(db):
    return world(db, [gs9_return("fra9", "FRA", GS9_FRA),
                      gs9_return("deu9", "DEU", GS9_DEU)])


def gs9_args(row):
    """KEY=VALUE of a gs9 row (flow and its partner codes) as explain names
    them: the code, 'unknown' (NULL), 'not-published' ('')."""
    flow = row[0]
    args = ["flow=" + flow]
    for k, v, used in zip(GS9_KEYS[1:], row[1:4],
                          (flow == "manufacture", flow == "route",
                           flow == "route")):
        if used:
            args.append("%s=%s" % (k, "unknown" if v is None else
                                   "not-published" if v == "" else v))
    return args


def gs9_rows(db, schema, area_type, code):
    """The 2021 rows of SCHEMA.gs9 for one area: flow, the three partner
    codes (None: NULL), quantity (None: NULL), seizures, countries."""
    rows = h.psql(db, "SELECT flow, coalesce(manufacture_code, '<null>'), "
                      "coalesce(departure_code, '<null>'), "
                      "coalesce(destination_code, '<null>'), "
                      "coalesce(quantity::text, '<null>'), seizures, countries "
                      "FROM %s.gs9 WHERE area_type = '%s' AND area_code = "
                      "'%s' AND year = 2021" % (schema, area_type, code))
    return [[None if v == "<null>" else v for v in r] for r in rows]


def test_explain_gs9_seizures():
    """gs9 (flow, partner codes) on every area level of Spain (workbook),
    France and Germany (CSV), every row of 2021, public and not: quantity is
    the sum of the countries' T11 quantities given (recomputed here from the
    listed rows, which name their origin), seizures the count of their T11
    rows, countries the reporting countries, as published.  Public: Austria
    (withheld) is neither a reporting country nor a partner anywhere in the
    output (its rows are 'not-published', its code '')."""
    db = "explain_gs9"
    ci = gs9_world(db)
    count = 0
    seen = set()
    for iso3 in ("ESP", "FRA", "DEU"):
        for area_type, code in areas_of(db, iso3):
            for schema, flag in (("iafq", []), ("iafq_public", ["--public"])):
                for row in gs9_rows(db, schema, area_type, code):
                    qty, seiz, ncount = row[4], int(row[5]), int(row[6])
                    args = ["gs9", code, "2021", "area_type=" + area_type] + \
                        gs9_args(row)
                    doc = explain(ci, *flag, *args)
                    assert doc["checked"] is True, doc
                    pub = doc["published"]
                    assert pub["quantity"] == (None if qty is None
                                               else int(qty)), (doc, row)
                    assert pub["seizures"] == seiz and \
                        pub["countries"] == ncount, (doc, row)
                    assert len(doc["countries"]) == ncount
                    sq = sg = sn = 0
                    for c in doc["countries"]:
                        cells = c["cells"]
                        assert len(cells) == min(c["t11_rows"], 100), c
                        assert c["cells_not_listed"] == c["t11_rows"] - \
                            len(cells)
                        assert c["seizures"] == c["t11_rows"]
                        src = c["submission"]["source"]
                        for x in cells:
                            assert SEIZURE_ORIGIN[src].match(x["origin"]), x
                            assert x["table"] == "T11"
                        given = [x["quantity"] for x in cells
                                 if x["quantity"] is not None]
                        if not c["cells_not_listed"]:
                            assert c["quantity"] == (sum(given) if given
                                                     else None), c
                        sq += c["quantity"] or 0
                        sg += c["quantity"] is not None
                        sn += c["seizures"]
                        if flag:
                            assert c["iso3"] != "AUT", args
                            for x in cells:
                                assert "AUT" not in (x["manufacture"],
                                                     x["departure"],
                                                     x["destination"]), x
                    assert sn == seiz and (sq if sg else None) == \
                        (None if qty is None else int(qty)), (doc, row)
                    if flag:
                        text = json.dumps(doc)
                        assert "AUT" not in text and "Austria" not in text
                        assert doc["partner_withheld"] is False
                        assert "040" not in doc["key"].values(), doc["key"]
                        assert all(p["key"] != "040" for p in
                                   doc["partners"].values()), doc
                    if "not-published" in " ".join(args):
                        seen.add("not-published")
                        assert flag
                    if "unknown" in " ".join(args):
                        seen.add("unknown")
                    if any(c["cells_not_listed"] for c in doc["countries"]):
                        seen.add("truncated")
                    seen.add((area_type, row[0], bool(flag)))
                    count += 1
    for level in LEVELS:
        for flow in ("manufacture", "route"):
            for public in (False, True):
                assert (level, flow, public) in seen, (level, flow, public)
    assert {"not-published", "unknown", "truncated"} <= seen, seen
    assert count >= 60, count
    # France's row of manufacture in Austria: named (flagged) to the
    # analyst; public, Austria is 'Not published' together with nothing else
    doc = explain(ci, "gs9", "FRA", "2021", "flow=manufacture",
                  "manufacture_code=040")
    assert doc["partner_withheld"] is True and doc["checked"] is True
    assert doc["partners"]["manufacture"] == {"key": "040", "name": "Austria"}
    assert [(x["seizure_id"], x["quantity"]) for x in
            doc["countries"][0]["cells"]] == [("F-2", 3)]
    doc = explain(ci, "--public", "gs9", "FRA", "2021", "flow=manufacture",
                  "manufacture_code=not-published")
    assert doc["partners"]["manufacture"] == {"key": "not-published",
                                              "name": "Not published"}
    assert doc["published"]["quantity"] == 3
    assert [(x["seizure_id"], x["manufacture"], x["departure"]) for x in
            doc["countries"][0]["cells"]] == [("F-2", "", "")]
    out = h.iafq(ci, "explain", "--public", "gs9", "FRA", "2021",
                 "flow=manufacture", "manufacture_code=040")
    assert out.returncode == 2 and "040" not in out.stderr.replace(
        "iafq explain", ""), out.stderr
    # a route row whose departure only is withheld: the T11 row keeps its
    # other partners, the withheld one shown as '' in every column
    doc = explain(ci, "--public", "gs9", "FRA", "2021", "flow=route",
                  "departure_code=not-published", "destination_code=250")
    assert sorted((x["seizure_id"], x["manufacture"], x["departure"])
                  for x in doc["countries"][0]["cells"]) == [
        ("F-2", "", ""), ("F-3", "DEU", "")], doc
    text = h.iafq(ci, "explain", "--public", "gs9", "150", "2021",
                  "flow=route", "departure_code=not-published",
                  "destination_code=150")
    assert text.returncode == 0, text.stderr
    assert "AUT" not in text.stdout and "Austria" not in text.stdout
    assert "from Not published to FRA" in text.stdout, text.stdout
    assert "departure: Not published\ndestination: 150 Europe\n" in \
        text.stdout, text.stdout
    # Europe's manufacture in the Americas: Austria (withheld) reports too;
    # public, it does not
    full = explain(ci, "gs9", "150", "2021", "area_type=region",
                   "flow=manufacture", "manufacture_code=019")
    pub = explain(ci, "--public", "gs9", "150", "2021", "area_type=region",
                  "flow=manufacture", "manufacture_code=019")
    assert [c["withheld"] for c in full["countries"] if c["iso3"] == "AUT"] \
        == [True], full
    assert "AUT" not in [c["iso3"] for c in pub["countries"]]
    assert len(pub["countries"]) == len(full["countries"]) - 1
    assert full["published"]["seizures"] > pub["published"]["seizures"]
    # Germany's 130 rows of US manufacture: 100 listed, every one summed
    doc = explain(ci, "gs9", "DEU", "2021", "flow=manufacture",
                  "manufacture_code=840")
    deu = doc["countries"][0]
    assert (len(deu["cells"]), deu["cells_not_listed"]) == (100, 30)
    assert deu["quantity"] == sum(i % 5 + 1 for i in range(130)) == \
        doc["published"]["quantity"]
    out = h.iafq(ci, "explain", "gs9", "DEU", "2021", "flow=manufacture",
                 "manufacture_code=840")
    assert "and 30 more T11 rows" in out.stdout, out.stdout
    assert re.search(r"  T11\.csv:[0-9]+ = [0-9]+ \(seizure D-0: made in "
                     r"USA, from USA to DEU\)", out.stdout), out.stdout
    assert "checked: the parts add up to the published figure" in out.stdout
    # France states no partner once
    doc = explain(ci, "gs9", "FRA", "2021", "flow=manufacture",
                  "manufacture_code=unknown")
    assert doc["partners"]["manufacture"]["name"] == "Unknown"
    assert [(x["seizure_id"], x["manufacture"], x["quantity"]) for x in
            doc["countries"][0]["cells"]] == [("F-4", None, 1)], doc
    assert (doc["published"]["quantity"], doc["published"]["seizures"]) == \
        (1, 1)
    # no key: the choices
    out = h.iafq(ci, "explain", "gs9", "FRA", "2021")
    assert out.returncode == 2, out.stderr
    assert "flow=manufacture manufacture_code=840 departure_code= " \
        "destination_code=" in out.stderr, out.stderr
    assert "flow=route manufacture_code= departure_code=840 " \
        "destination_code=250" in out.stderr, out.stderr
    # a T11 quantity changed behind the published figure's back: the
    # country row and Europe's do not add up
    h.psql(db, "UPDATE iafq.seizure AS z SET quantity = quantity + 1 "
               "FROM iafq.current_submissions AS c WHERE z.submission_id = c.id "
               "AND c.country = 'FRA' AND c.year = 2021 AND z.seizure_id = 'F-1'")
    for args in (["FRA"], ["150", "area_type=region"]):
        out = h.iafq(ci, "explain", "gs9", args[0], "2021", *args[1:],
                     "flow=manufacture",
                     "manufacture_code=" + ("840" if args[0] == "FRA"
                                            else "019"))
        assert out.returncode == 3, (args, out.stderr)
        assert "do not add up" in out.stderr and "FRA" in out.stderr, \
            out.stderr


TESTS = [test_explain_every_level_adds_up, test_explain_gs9_seizures, test_explain_other_views_add_up,
         test_explain_gs5_shares,
         test_explain_gs3_share_and_mean,
         test_explain_16_4_2_breakdowns, test_explain_gs8_share_female,
         test_explain_public_leaves_withheld_out,
         test_explain_choices_and_mistakes]
