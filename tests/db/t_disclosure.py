"""Disclosure, whole processes against a real cluster (IAFQ-SPEC section 5,
docs/disclosure.md): a withdrawal of consent takes effect in the very next
public export with no aggregation in between, in every file; a long-format
file never lifts it; and on iafq's own cluster each command connects as the
role its job needs."""
import csv
import io
import json
import os
import re
import subprocess

import dbt as h
from t_export import csv_return, export, files_of, read_csv

SAMPLE = os.path.join(h.ROOT, "data", "dataunodc_iafq_sample.csv")

# Spain (ESP, 724) consents at first, then withdraws with a newer return.
# Austria says NO from the start.  Germany's 2020 T11 names Spain as the
# country of manufacture and of departure.
WORLD = [("DEU", 2019, "YES"), ("ESP", 2019, "YES"), ("ITA", 2019, "YES"),
         ("AUT", 2019, "NO"),
         ("DEU", 2020, "YES"), ("ESP", 2020, "YES"), ("FRA", 2020, "YES")]


def tmp(name):
    """A path in the test's own scratch folder (emptied before each test)."""
    return os.path.join(h.TMP, "scratch", name)


CODE_COLUMNS = re.compile(r"(^|_)code$|^REF_AREA$|^Iso3_code$", re.I)


def ingest(ci, *paths):
    out = h.iafq(ci, "ingest", *paths)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def world(db):
    ci = h.fresh(db)
    paths = []
    for iso3, year, consent in WORLD:
        t11 = [("USA", "USA", iso3)]
        if (iso3, year) == ("DEU", 2020):
            t11.append(("ESP", "ESP", "DEU"))
        paths.append(csv_return(tmp("%s-%d" % (iso3, year)),
                                iso3, year, consent, t11))
    ingest(ci, *paths)
    out = h.iafq(ci, "aggregate")
    assert out.returncode == 0, out.stderr
    return ci


class Finder:
    """Where a country is named in a folder of exported files: by name or
    alpha-3 code anywhere, by M49 code in a code field (a CSV column whose
    header names a code, REF_AREA; a JSON string; an xlsx text cell)."""

    def __init__(self, iso3, m49, name):
        self.iso3, self.m49, self.name = iso3, m49, name
        self.word = re.compile(r"\b%s\b" % iso3)

    def text(self, s):
        return self.name in s or bool(self.word.search(s))

    def code(self, s):
        s = s.strip()
        return s in (self.m49, self.m49.lstrip("0"), self.iso3)

    def csv_file(self, path):
        data = open(path, "rb").read().decode("utf-8-sig")
        found = []
        if self.text(data):
            found.append("name or ISO3 in the text")
        rows = list(csv.reader(io.StringIO(data, newline="")))
        header = None
        for r in rows:
            if header is None and any(CODE_COLUMNS.search(c) for c in r):
                header = r  # (the portal CSV has banner lines first)
                continue
            if header:
                for col, v in zip(header, r):
                    if CODE_COLUMNS.search(col) and self.code(v):
                        found.append("%s=%s" % (col, v))
        return found

    def json_file(self, path):
        found = []

        def walk(x, where):
            if isinstance(x, dict):
                for k, v in x.items():
                    walk(v, where + "." + k)
            elif isinstance(x, list):
                for i, v in enumerate(x):
                    walk(v, "%s[%d]" % (where, i))
            elif isinstance(x, str) and (self.text(x) or self.code(x)):
                found.append("%s=%s" % (where, x))
        walk(json.load(open(path, encoding="utf-8")), "")
        return found

    def xlsx_file(self, path):
        import openpyxl
        found = []
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str) and (self.text(v) or self.code(v)):
                        found.append("%s: %s" % (ws.title, v))
        wb.close()
        return found

    def folder(self, d):
        """{file: [where the country is named]} for every file of d."""
        out = {}
        for f in files_of(d):
            p = os.path.join(d, f)
            if f.endswith(".xlsx"):
                out[f] = self.xlsx_file(p)
            elif f.endswith(".json"):
                out[f] = self.json_file(p)
            else:
                out[f] = self.csv_file(p)
        return out


SPAIN = Finder("ESP", "724", "Spain")


def gs1(d):
    rows = read_csv(os.path.join(d, "gs1.csv"))
    col = {c: i for i, c in enumerate(rows[0])}
    return [{c: r[i] for c, i in col.items()} for r in rows[1:]]


def world_totals(d):
    """{year: (World TOTAL n, countries, sum of the published country
    rows' TOTAL n, published countries)} from gs1.csv."""
    rows = gs1(d)
    out = {}
    for y in sorted({r["year"] for r in rows}):
        w = [r for r in rows if r["year"] == y and r["area_type"] == "world"
             and r["arms"] == "TOTAL"]
        c = [r for r in rows if r["year"] == y and r["area_type"] == "country"
             and r["arms"] == "TOTAL"]
        out[y] = (int(w[0]["n"]), int(w[0]["countries"]),
                  sum(int(r["n"]) for r in c), len(c))
    return out


def check_no_spain(d, what):
    found = SPAIN.folder(d)
    assert {"gs1.csv", "gs9.csv", "sdmx_16_4_2.csv"} <= set(found), found
    assert any(f.endswith(".xlsx") for f in found), found
    assert any(f.endswith(".json") for f in found), found
    leaks = {f: w[:5] for f, w in found.items() if w}
    assert not leaks, (what, leaks)
    # every World figure is the sum of the published country rows, and
    # counts them
    for y, (n, k, n_c, k_c) in world_totals(d).items():
        assert (n, k) == (n_c, k_c), (what, y, n, k, n_c, k_c)


def test_withdrawal_next_public_export():
    """A newer CONSENT = NO return, then `export --public` at once (no
    aggregate): Spain is named in no public file (CSV, JSON, SDMX, every
    xlsx cell), no public aggregate counts it (World counts one country
    less and equals the sum of the published country rows), Germany's
    seizures of Spanish-made arms stay with the partner not published; the
    internal export still has Spain."""
    ci = world("t_withdraw")
    before = tmp("before")
    r = export(ci, before, "--public")
    assert r.returncode == 0, r.stderr
    # Spain is found in every kind of file before (so the search works)
    found = SPAIN.folder(before)
    for f in found:
        if f.endswith((".xlsx", ".json")) or f in ("gs1.csv", "gs9.csv",
                                                   "sdmx_16_4_2.csv"):
            assert found[f], (f, "Spain not found before: the test proves less")
    wt_before = world_totals(before)
    assert wt_before["2019"][1] == 3 and wt_before["2020"][1] == 3, wt_before

    ingest(ci, csv_return(tmp("ESP-2021"), "ESP", 2021,
                          "NO", [("USA", "USA", "ESP")]))
    runs = h.psql("t_withdraw", "SELECT count(*) FROM iafq.agg_run")
    after = tmp("after")
    r = export(ci, after, "--public")
    assert r.returncode == 0, r.stderr
    assert h.psql("t_withdraw", "SELECT count(*) FROM iafq.agg_run") == runs
    check_no_spain(after, "after the withdrawal")
    wt = world_totals(after)
    for y in ("2019", "2020"):
        assert wt[y][1] == wt_before[y][1] - 1, (y, wt[y], wt_before[y])
        per_country = wt_before[y][0] // wt_before[y][1]
        assert wt[y][0] == wt_before[y][0] - per_country, (y, wt, wt_before)
    # GS9: Germany's rows naming Spain keep their quantity, partner unnamed
    rows = read_csv(os.path.join(after, "gs9.csv"))
    col = {c: i for i, c in enumerate(rows[0])}
    deu = [r for r in rows[1:] if r[col["area_type"]] == "country"
           and r[col["area_code"]] == "276" and r[col["year"]] == "2020"]
    hidden = [r for r in deu if r[col["manufacture_name"]] == "Not published"]
    assert hidden and hidden[0][col["manufacture_code"]] == "", deu
    assert hidden[0][col["quantity"]] == "2", hidden
    # the internal export has it all
    internal = tmp("internal")
    r = export(ci, internal, "--internal", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert any(SPAIN.csv_file(os.path.join(internal, "gs1.csv")))


def test_long_file_keeps_withdrawal():
    """A portal long-format file that includes the withheld country states no
    consent: loading it (stored consent NULL) leaves Spain withheld, before
    and after a new aggregation."""
    ci = world("t_longkeep")
    ingest(ci, csv_return(tmp("ESP-2021"), "ESP", 2021,
                          "NO", []))
    ingest(ci, SAMPLE)
    assert h.psql("t_longkeep", "SELECT count(*), count(consent) FROM "
                  "iafq.submission WHERE source = 'long' AND country = 'ESP'"
                  )[0][1] == "0"
    assert h.psql("t_longkeep", "SELECT consent FROM iafq.country_consent "
                  "WHERE country = 'ESP'") == [["f"]]
    pub = tmp("long-noagg")
    r = export(ci, pub, "--public")
    assert r.returncode == 0, r.stderr
    check_no_spain(pub, "long file, no aggregation")
    r = h.iafq(ci, "aggregate")
    assert r.returncode == 0, r.stderr
    pub = tmp("long-agg")
    r = export(ci, pub, "--public")
    assert r.returncode == 0, r.stderr
    check_no_spain(pub, "long file, aggregated")
    # the long file's other countries are published (so the export has data)
    assert any(r["area_code"] == "076" for r in gs1(pub)), "Brazil missing"


def own(home, *args):
    # IAFQ_HOME is the home only where no .iafq is found first: run in the
    # scratch folder and search no parent (docs/decisions.md)
    scratch = os.path.dirname(home)
    env = dict(os.environ, IAFQ_HOME=home, PWD=scratch,
               IAFQ_CEILING_DIRECTORIES=scratch)
    env.pop("IAFQ_DB", None)
    return subprocess.run([h.IAFQ] + list(args), capture_output=True,
                          text=True, env=env, cwd=scratch)


def test_own_cluster_roles():
    """iafq's own cluster: ingest and aggregate work as iafq_loader, history
    and the internal export as iafq_analyst, the public export as
    iafq_portal; `db psql` is the analyst (refused a DELETE of runs) unless
    --as owner."""
    home = tmp("home")
    try:
        r = own(home, "ingest", SAMPLE)
        assert r.returncode == 0, r.stderr
        r = own(home, "aggregate")
        assert r.returncode == 0, r.stderr
        r = own(home, "history", "BRA")
        assert r.returncode == 0 and "BRA" not in r.stderr, r.stderr
        for scope in ("--internal", "--public"):
            r = own(home, "export", scope, "--format", "csv", "-o",
                    tmp("own" + scope))
            assert r.returncode == 0, (scope, r.stderr)
        # the nightly job as iafq_loader, its export of every format included
        r = own(home, "run", "-o", tmp("own-run"), SAMPLE)
        assert r.returncode == 0 and "error" not in r.stderr, r.stderr
        assert os.path.exists(os.path.join(tmp("own-run"), "gs1.csv"))
        r = own(home, "db", "psql", "-XAtc", "SELECT current_user")
        assert r.returncode == 0 and r.stdout.strip() == "iafq_analyst", r
        r = own(home, "db", "psql", "-XAtc", "DELETE FROM iafq.agg_run")
        assert r.returncode != 0 and "permission denied" in r.stderr, r
        r = own(home, "db", "psql", "--as", "iafq_portal", "-XAtc",
                "SELECT count(*) FROM iafq.submission")
        assert r.returncode != 0 and "permission denied" in r.stderr, r
        r = own(home, "db", "psql", "--as", "owner", "-XAtc",
                "SELECT has_database_privilege('iafq_portal', "
                "current_database(), 'TEMP'), count(*) FROM iafq.agg_run")
        assert r.returncode == 0 and r.stdout.strip() == "f|1", r
    finally:
        own(home, "db", "stop")


TESTS = [test_withdrawal_next_public_export, test_long_file_keeps_withdrawal,
         test_own_cluster_roles]
