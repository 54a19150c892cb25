"""The portal's files (export/portal.c, IAFQ-SPEC 6.3, 6.4): the real
extract ingested, aggregated and written back as the long file (CSV and
xlsx) and as JSON, each read back; consent; hostile text.  The writers run
through build/tests/drv_portal (the export's snapshot, a temporary file
renamed into place)."""
import collections
import csv
import json
import os
import re
import shutil
import subprocess

import dbt as h

SAMPLE = os.path.join(h.ROOT, "data", "dataunodc_iafq_sample.csv")
SQLDIR = os.path.join(h.HERE, "sql")
HEADER = ("Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,"
          "Sex,Age,Year,Unit of measurement,VALUE,Source")
# the current returns' values, as the loader stored them
VALUES_SQL = ("SELECT s.country, s.year, v.tbl, v.row_code, v.col_code, v.n, "
              "v.derived, coalesce(v.source, '') FROM iafq.current_submissions "
              "AS s JOIN iafq.value AS v ON v.submission_id = s.id "
              "ORDER BY 1, 2, 3, 4, 5")


def drv(db, schema, fmt, name, user=None):
    """Write the portal file `name` of database db into the scratch folder
    (as iafq_portal for the public schema); its path."""
    user = user or ("iafq_portal" if schema == "public" else "postgres")
    out = os.path.join(h.TMP, "scratch")
    p = subprocess.run([os.path.join(os.path.dirname(h.IAFQ), "tests",
                                     "drv_portal"), SQLDIR,
                        h.conninfo(db, user), schema, fmt, out, name],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    left = [f for f in os.listdir(out) if f.startswith(".")]
    assert left == [], "temporary files left: %r" % left
    return os.path.join(out, name)


def loaded(db, *files):
    """A fresh database db with files ingested and aggregated."""
    ci = h.fresh(db)
    for f in files:
        out = h.iafq(ci, "ingest", f)
        assert out.returncode == 0, out.stderr
    out = h.iafq(ci, "aggregate")
    assert out.returncode == 0, out.stderr
    return ci


def csv_rows(path):
    """(banner and header rows, data rows) of a long CSV file."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[:3], rows[3:]


def first_of_each_key(rows):
    """The published rows the reader keeps (appendix A): a repeated key
    counts once (the first), except the two `by location` Totals of a
    country, year and indicator (place of seizure, tracing)."""
    seen = collections.Counter()
    keep = []
    for r in rows:
        key = (r[0],) + tuple(r[4:10])
        two = r[5] == "by location" and r[6] == "Total"
        if seen[key] < (2 if two else 1):
            keep.append(r)
        seen[key] += 1
    return keep


def check_json(path):
    out = subprocess.run([h.IAFQ, "check", "--format", "json", path],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def findings(reports, drop=()):
    """Per country-year, its findings' (code, row, column), sorted."""
    return sorted((r["country"], r["year"],
                   tuple(sorted((f["code"], f["row"] or "", f["column"] or "")
                                for f in r["findings"] if f["code"] not in drop)))
                  for r in reports)


def test_portal_csv_round_trip():
    """The real extract ingested, aggregated and exported (public) gives the
    same rows and values, the published BOM, banner and header, and reads
    back clean into the same returns."""
    loaded("t_pcsv", SAMPLE)
    path = drv("t_pcsv", "public", "csv", "portal.csv")
    raw = open(path, "rb").read()
    src = open(SAMPLE, "rb").read()
    lines, src_lines = raw.split(b"\n"), src.split(b"\n")
    # byte for byte: BOM and first banner row, header; the release row in
    # the published form (DD/MM/YYYY and 12 commas), the run's finish date
    assert lines[0] == src_lines[0] and lines[0].startswith(b"\xef\xbb\xbfUNODC,")
    assert lines[2] == src_lines[2] == HEADER.encode()
    fin = h.psql("t_pcsv", "SELECT to_char(finished AT TIME ZONE 'UTC', "
                 "'DD/MM/YYYY') FROM iafq.latest_run")[0][0]
    assert lines[1] == (fin + "," * 12).encode(), lines[1]
    assert re.fullmatch(rb"\d\d/\d\d/\d{4},{12}", src_lines[1])
    assert b"\r" not in raw and raw.endswith(b"\n")
    raw.decode("utf-8")
    # the same rows and values, as multisets, the file's repeats aside
    _, rin = csv_rows(SAMPLE)
    _, rout = csv_rows(path)
    want = collections.Counter(map(tuple, first_of_each_key(rin)))
    got = collections.Counter(map(tuple, rout))
    assert len(rin) == 3975 and sum(want.values()) == 3929
    assert got == want, (list((got - want).items())[:3],
                         list((want - got).items())[:3])
    # order: by Iso3_code, the published cells in appendix A order, then year
    assert [r[0] for r in rout] == sorted(r[0] for r in rout)
    for a, b in zip(rout, rout[1:]):
        if a[:9] == b[:9]:
            assert int(a[9]) < int(b[9]), (a, b)
    # `iafq check`: clean, the same 166 country-years and the same findings
    # as the published file, its W-ROW-REPEAT aside
    rep_in, rep_out = check_json(SAMPLE), check_json(path)
    assert len(rep_out) == 166
    assert sum(r["counts"]["errors"] for r in rep_out) == 0
    assert findings(rep_out) == findings(rep_in, drop=("W-ROW-REPEAT",))
    # ingested again: exactly the values of the first load (Totals in their
    # groups, derived totals derived again, Sources kept)
    loaded("t_pcsv2", path)
    assert h.psql("t_pcsv2", VALUES_SQL) == h.psql("t_pcsv", VALUES_SQL)


def test_portal_xlsx_round_trip():
    """The long file as xlsx: the published layout on the first sheet, text
    as strings, Year and VALUE as numbers; it reads back through `iafq
    check` and `iafq ingest` to the same returns as the CSV."""
    import openpyxl
    loaded("t_pxl", SAMPLE)
    xl = drv("t_pxl", "public", "xlsx", "portal.xlsx")
    cs = drv("t_pxl", "public", "csv", "portal.csv")
    ws = openpyxl.load_workbook(xl, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    hdr, data = csv_rows(cs)
    assert rows[0][:2] == ("UNODC", "unodc_ddds@un.org")
    assert rows[1][0] == hdr[1][0]
    assert list(rows[2]) == HEADER.split(",")
    assert len(rows) - 3 == len(data) == 3929
    for got, want in zip(rows[3:], data):
        assert isinstance(got[9], (int, float)) and isinstance(got[11], (int, float))
        assert [str(int(v)) if k in (9, 11) else v
                for k, v in enumerate(got)] == want, (got, want)
    assert findings(check_json(xl)) == findings(check_json(cs))
    loaded("t_pxl2", xl)
    assert h.psql("t_pxl2", VALUES_SQL) == h.psql("t_pxl", VALUES_SQL)


def test_portal_json():
    """The JSON parses, has the CSV's records in the same order (Year and
    VALUE as numbers) and metadata that counts them."""
    loaded("t_pjs", SAMPLE)
    js = json.load(open(drv("t_pjs", "internal", "json", "portal.json"),
                        encoding="utf-8"))
    _, data = csv_rows(drv("t_pjs", "internal", "csv", "portal.csv"))
    names = HEADER.split(",")
    recs = js["records"]
    assert [[str(r[k]) for k in names] for r in recs] == data
    assert all(isinstance(r["VALUE"], int) and isinstance(r["Year"], int)
               for r in recs)
    m = js["metadata"]
    run = h.psql("t_pjs", "SELECT id, cardinality(submissions), to_char("
                 "finished AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM iafq.latest_run")[0]
    assert m["counts"] == {"records": 3929, "countries": 40,
                           "years": len({r[9] for r in data})}
    assert (m["first_year"], m["last_year"]) == (2004, 2021)
    assert [str(m["run"]["id"]), str(m["run"]["submissions"]), m["release"]] == run
    assert m["internal"] is True and "not for publication" in m["disclosure"]


def csv_return(path, country, year, consent):
    """The sample CSV return, for country-year, saying CONSENT consent."""
    shutil.copytree(os.path.join(h.ROOT, "samples", "esp-2021-csv"), path)
    cover = os.path.join(path, "COVER.csv")
    b = open(cover, "rb").read()
    b = re.sub(rb"(COUNTRY;[^;]*;)ESP", rb"\g<1>" + country.encode(), b)
    b = re.sub(rb"(YEAR;[^;]*;)2021", rb"\g<1>" + str(year).encode(), b)
    b = re.sub(rb"(CONSENT;[^;]*;)YES", rb"\g<1>" + consent.encode(), b)
    open(cover, "wb").write(b)
    return path


def test_portal_consent():
    """A country whose return says CONSENT = NO (FRA), and one whose newest
    return says NO (ESP: its published 2016-2020 figures too) are in no
    public portal file, by code or name, and in no row of
    iafq_public.portal; the internal files have them."""
    import openpyxl
    fra = csv_return(os.path.join(h.TMP, "fra"), "FRA", 2021, "NO")
    esp = csv_return(os.path.join(h.TMP, "esp"), "ESP", 2021, "NO")
    loaded("t_pcons", SAMPLE, fra, esp)
    assert h.psql("t_pcons", "SELECT count(*) FROM iafq_public.portal WHERE "
                  "iso3 IN ('FRA', 'ESP')", user="iafq_portal") == [["0"]]
    assert int(h.psql("t_pcons", "SELECT count(*) FROM iafq.portal WHERE iso3 "
                      "IN ('FRA', 'ESP') AND withheld")[0][0]) > 400
    # the other countries are all there
    assert h.psql("t_pcons", "SELECT count(DISTINCT iso3) FROM "
                  "iafq_public.portal", user="iafq_portal") == [["39"]]
    hidden = re.compile(r"\b(FRA|ESP|France|Spain)\b")
    for schema in ("public", "internal"):
        texts = []
        for fmt in ("csv", "json"):
            texts.append(open(drv("t_pcons", schema, fmt, "p." + fmt),
                              encoding="utf-8-sig").read())
        wb = openpyxl.load_workbook(drv("t_pcons", schema, "xlsx", "p.xlsx"),
                                    read_only=True)
        texts.append("\n".join(",".join(str(v) for v in r) for r in
                               wb.worksheets[0].iter_rows(values_only=True)))
        for t in texts:
            found = {m.group(1) for m in hidden.finditer(t)}
            if schema == "public":
                assert found == set(), found
            else:
                assert {"FRA", "ESP", "France", "Spain"} <= found, found
    # the role cannot read the internal view
    try:
        h.psql("t_pcons", "SELECT 1 FROM iafq.portal LIMIT 1", user="iafq_portal")
        assert False, "iafq_portal read iafq.portal"
    except RuntimeError as e:
        assert "permission denied" in str(e)


def test_portal_hostile_text():
    """Whatever text the database holds (control characters, text that a
    spreadsheet would run, quotes, commas, line breaks, OOXML escapes): the
    CSV is valid UTF-8 with formula-like text neutralised and reads back
    clean; the JSON parses with every control character escaped; the
    workbook holds the text as a string cell."""
    import openpyxl
    ci = h.fresh("t_phost")
    out = h.iafq(ci, "ingest", SAMPLE)
    assert out.returncode == 0, out.stderr
    evil = "=HYPERLINK(\"http://x\")\x01,\"\n\x7f\u0085\u2028\u202e_x0041_"
    esc = "".join("\\x%02x" % b for b in evil.encode("utf-8"))
    h.psql("t_phost", "UPDATE iafq.value SET source = E'%s' "
           "WHERE row_code = 'PISTOL' AND col_code = 'SEIZED'" % esc)
    assert h.iafq(ci, "aggregate").returncode == 0
    n = int(h.psql("t_phost", "SELECT count(*) FROM iafq.value WHERE row_code "
                   "= 'PISTOL' AND col_code = 'SEIZED'")[0][0])
    assert n > 20
    want = "'" + evil  # a leading apostrophe: never run as a formula
    # CSV
    path = drv("t_phost", "internal", "csv", "p.csv")
    open(path, "rb").read().decode("utf-8")  # valid UTF-8
    _, rows = csv_rows(path)
    assert sum(1 for r in rows if r[12] == want) == n
    assert not any(r[12].startswith("=") for r in rows)
    rep = check_json(path)
    assert sum(r["counts"]["errors"] for r in rep) == 0 and len(rep) == 166
    # JSON: parses, no raw control character, the same string
    jtext = open(drv("t_phost", "internal", "json", "p.json"), "rb"
                 ).read().decode("utf-8")
    # (TAB and LF only as the layout's white space: cJSON escapes them in strings)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]",
                         jtext)
    js = json.loads(jtext)
    assert sum(1 for r in js["records"] if r["Source"] == evil) == n
    # xlsx: a string cell, never a formula, the text as it was once OOXML's
    # _xHHHH_ escapes are read as Excel reads them (openpyxl leaves them in
    # inline strings, which a constant-memory workbook has)
    xl = drv("t_phost", "internal", "xlsx", "p.xlsx")
    ws = openpyxl.load_workbook(xl).worksheets[0]
    unescape = lambda v: re.sub(r"_x([0-9A-Fa-f]{4})_",
                                lambda m: chr(int(m.group(1), 16)), v)
    cells = [r[12] for r in ws.iter_rows(min_row=4)
             if unescape(r[12].value) == want]
    assert len(cells) == n and all(c.data_type == "s" for c in cells)
    # and iafq's own reader stores the same Sources from CSV and xlsx
    loaded("t_phost_c", path)
    loaded("t_phost_x", xl)
    assert h.psql("t_phost_c", VALUES_SQL) == h.psql("t_phost_x", VALUES_SQL)
    assert h.psql("t_phost_x", "SELECT count(*) FROM iafq.value WHERE "
                  "source = E'%s'" % esc.replace("\\x3d", "\\x27\\x3d", 1)) == [[str(n)]]


def test_portal_invalid_bytes_in_database():
    """A database in SQL_ASCII may hold bytes that are not UTF-8: iafq
    reads as UTF-8, so the server refuses to send them and the export is a
    clear error that leaves no file (final or temporary) behind."""
    ci = h.fresh("t_pbad")
    h.psql("postgres", "DROP DATABASE t_pbad")
    h.psql("postgres", "CREATE DATABASE t_pbad ENCODING 'SQL_ASCII' "
           "LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
    out = h.iafq(ci, "ingest", SAMPLE)
    assert out.returncode == 0, out.stderr
    h.psql("t_pbad", "UPDATE iafq.value SET source = E'IAFQ\\xff' "
           "WHERE row_code = 'PISTOL' AND col_code = 'SEIZED'")
    assert h.iafq(ci, "aggregate").returncode == 0
    scratch = os.path.join(h.TMP, "scratch")
    for fmt in ("csv", "xlsx", "json"):
        p = subprocess.run([os.path.join(os.path.dirname(h.IAFQ), "tests",
                                         "drv_portal"), SQLDIR, ci, "internal",
                            fmt, scratch, "p." + fmt],
                           capture_output=True, text=True)
        assert p.returncode == 1 and "invalid byte sequence" in p.stderr, \
            p.stderr
        assert os.listdir(scratch) == [], os.listdir(scratch)


TESTS = [test_portal_csv_round_trip, test_portal_xlsx_round_trip,
         test_portal_json, test_portal_consent, test_portal_hostile_text,
         test_portal_invalid_bytes_in_database]
