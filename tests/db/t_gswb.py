"""The global study workbook (export/gswb.c) read back with openpyxl and as
raw OOXML parts: every table sheet equal to its view, number formats,
frozen header, autofilter, fitted widths, the three charts with their
series pointing at the cells that hold the charted figures, and the
internal / public editions (the public one written as iafq_portal).

The world: the published extract (data/dataunodc_iafq_sample.csv) plus the
sample ESP 2021 return (for GS9), with Brazil's consent withdrawn, so that
the public edition must leave rows out."""
import math
import os
import re
import subprocess
import zipfile

import dbt as h

try:
    import openpyxl
except ImportError:  # pragma: no cover - make deps installs it
    openpyxl = None

AREA = ["area_type", "area_code", "area_name", "year"]
TAIL = ["countries", "withheld", "submission_id"]
INTERNAL = {"withheld", "partner_withheld", "submission_id"}
# sheet -> (view, the view column of each workbook column; None: a label
# column made by iafq from its code, checked on its own)
SHEETS = {
    "GS1 Arms": ("gs1", AREA + ["arms", None, "n"] + TAIL),
    "GS2 Types": ("gs2", AREA + ["arm_type", None, "n", "reported",
                                 "share_pct"] + TAIL),
    "GS3 Justification": ("gs3", AREA + ["justification", None, "n",
                                         "reported", "share_pct",
                                         "share_pct_mean"] + TAIL),
    "GS4 Offences": ("gs4", AREA + ["offence", None, "n"] + TAIL),
    "GS5 Condition marking place": ("gs5", AREA + [
        "dimension", "arms", "category", None, "n", "reported",
        "share_pct"] + TAIL),
    "GS6 SDG 16.4.2": ("sdg_16_4_2", AREA + ["numerator", "denominator",
                                             "value"] + TAIL),
    "GS6 by column": ("sdg_16_4_2_by_column", AREA + [
        "arms", "numerator", "denominator", "value"] + TAIL),
    "GS6 by tracing": ("sdg_16_4_2_by_tracing", AREA + [
        "arms", "tracing", None, "n", "t8_total", "share_pct"] + TAIL),
    "GS7 Parts ammunition cases": ("gs7", AREA + ["item", None, "n"] + TAIL),
    "GS8 Persons": ("gs8", AREA + ["persons", None, "sex", "n",
                                   "share_pct"] + TAIL),
    "GS9 Significant seizures": ("gs9", AREA + [
        "flow", "manufacture_code", "manufacture_name", "departure_code",
        "departure_name", "destination_code", "destination_name",
        "quantity", "seizures", "countries", "withheld", "partner_withheld",
        "submission_id"]),
}
PCT = {"share_pct", "share_pct_mean", "value"}
TEXT = {"area_type", "area_code", "area_name", "arms", "arm_type",
        "justification", "offence", "dimension", "category", "tracing",
        "item", "persons", "sex", "flow", "manufacture_code",
        "manufacture_name", "departure_code", "departure_name",
        "destination_code", "destination_name"}
BANNER = "internal, not for publication"
DRIVER = None


def _driver():
    return os.path.join(os.path.dirname(h.IAFQ), "tests", "gswb_write")


def _world(db):
    """Ingest the extract and ESP 2021, withdraw Brazil's consent,
    aggregate; the conninfo."""
    ci = h.fresh(db)
    for f in (os.path.join(h.ROOT, "data", "dataunodc_iafq_sample.csv"),
              os.path.join(h.ROOT, "samples", "esp-2021.xlsx")):
        out = h.iafq(ci, "ingest", f)
        assert out.returncode == 0, out.stderr
    h.psql(db, "UPDATE iafq.submission SET consent = false "
               "WHERE country = 'BRA'")
    out = h.iafq(ci, "aggregate")
    assert out.returncode == 0, out.stderr
    return ci


def _write(db, path, public=False):
    run = h.psql(db, "SELECT id, started, finished, "
                     "cardinality(submissions) FROM iafq.latest_run")[0]
    args = [_driver(), "--run-id", run[0], "--started", run[1],
            "--finished", run[2], "--submissions", run[3],
            "--release", run[2][:10]]
    if public:
        args += ["--public", "--db", h.conninfo(db, "iafq_portal")]
    else:
        args += ["--db", h.conninfo(db)]
    out = subprocess.run(args + [path], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return run


def _same(cell, text, col):
    """A workbook cell against psql's text of the same view cell."""
    if text == "":  # NULL (psql -At prints nothing)
        return cell is None
    if col in TEXT:
        return cell == text
    if col == "partner_withheld":  # the CSV's words, not TRUE/FALSE
        return cell == ("true" if text == "t" else "false")
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return False
    return math.isclose(float(cell), float(text), rel_tol=1e-12,
                        abs_tol=1e-12)


def _table_rows(ws):
    """Data rows (from row 4) as lists of values."""
    return [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]


def _check_tables(wb, db, schema, internal):
    for sheet, (view, cols) in SHEETS.items():
        cols = [c for c in cols if internal or c not in INTERNAL]
        ws = wb[sheet]
        header = [c.value for c in ws[3]]
        assert len(header) == len(cols), (sheet, header)
        fields = [c for c in cols if c]
        want = h.psql(db, "SELECT %s FROM %s.%s" % (
            ", ".join(fields), schema, view))
        got = _table_rows(ws)
        assert len(got) == len(want), (sheet, len(got), len(want))
        # the same rows: match each workbook row to a view row with the
        # same text columns and year, then compare every cell
        keyed = {}
        kcols = [i for i, c in enumerate(fields) if c in TEXT or c == "year"]
        for w in want:
            keyed.setdefault(tuple(w[i] for i in kcols), []).append(w)
        for g in got:
            vals = [v for v, c in zip(g, cols) if c]
            key = tuple("" if vals[i] is None else str(vals[i])
                        for i in kcols)
            cands = keyed.get(key, [])
            hit = next((w for w in cands if all(
                _same(v, t, c) for v, t, c in zip(vals, w, fields))), None)
            assert hit is not None, (sheet, g)
            cands.remove(hit)
        # label columns: the code's label, non-empty for known codes
        for i, c in enumerate(cols):
            if c is None:
                assert all(isinstance(g[i], str) and g[i] for g in got), sheet
        # order: world, regions, sub-regions, SDG regions, countries
        rank = ["world", "region", "subregion", "sdg_region", "country"]
        ranks = [rank.index(g[0]) for g in got]
        assert ranks == sorted(ranks), sheet


def _check_layout(wb, internal):
    for sheet, (view, cols) in SHEETS.items():
        cols = [c for c in cols if internal or c not in INTERNAL]
        ws = wb[sheet]
        assert ws.freeze_panes == "A4", (sheet, ws.freeze_panes)
        last = max(ws.max_row, 3)
        ref = "A3:%s%d" % (openpyxl.utils.get_column_letter(len(cols)), last)
        assert ws.auto_filter.ref == ref, (sheet, ws.auto_filter.ref, ref)
        assert all(c.font.b for c in ws[3]), sheet
        for i, c in enumerate(cols):
            letter = openpyxl.utils.get_column_letter(i + 1)
            width = ws.column_dimensions[letter].width
            longest = max([len(str(r[i])) for r in _table_rows(ws)
                           if r[i] is not None and isinstance(r[i], str)]
                          + [len(str(ws[letter + "3"].value))])
            assert width >= longest, (sheet, letter, width, longest)
            for cell in ws[letter][3:]:
                if cell.value is None or isinstance(cell.value, str):
                    continue
                if c in PCT:
                    assert cell.number_format == "0.00", (sheet, letter)
                elif c in ("year",) or isinstance(cell.value, bool):
                    assert cell.number_format == "General", (sheet, letter)
                else:
                    assert cell.number_format == "#,##0", (sheet, letter)
            if c in PCT:
                assert "(%)" in ws[letter + "3"].value, (sheet, letter)
            if c == "area_code":
                assert all(isinstance(r[i], str) and len(r[i]) == 3
                           for r in _table_rows(ws)), sheet


def _banner_everywhere(wb):
    """Sheets whose cells say 'internal, not for publication'."""
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            if any(isinstance(v, str) and BANNER in v.lower() for v in row):
                found.add(ws.title)
                break
    return found


REF = re.compile(r"^'?(.*?)'?!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$")


def _cells(wb, ref):
    m = REF.match(ref)
    assert m, ref
    ws = wb[m.group(1).replace("''", "'")]
    if not m.group(4):
        return [ws["%s%s" % (m.group(2), m.group(3))].value]
    return [c.value for row in ws["%s%s:%s%s" % m.groups()[1:]]
            for c in row]


def _charts(path):
    """Each chart part: (kind, grouping, [(name_ref, cat_ref, val_ref,
    [data label refs])])."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if not re.match(r"xl/charts/chart\d+\.xml$", name):
                continue
            x = z.read(name).decode()
            kind = re.search(r"<c:(lineChart|barChart)>", x).group(1)
            g = re.search(r'<c:grouping val="(\w+)"', x)
            series = []
            for s in re.findall(r"<c:ser>(.*?)</c:ser>", x, re.S):
                refs = {}
                for part in ("tx", "cat", "val"):
                    m = re.search(r"<c:%s>(?:(?!<c:dLbls>).)*?<c:f>(.*?)</c:f>"
                                  % part, s, re.S)
                    refs[part] = m.group(1) if m else None
                labels = []  # a ref, or None for a deleted label
                for lab in re.findall(r"<c:dLbl>(.*?)</c:dLbl>", s, re.S):
                    m = re.search(r"<c:tx><c:strRef><c:f>(.*?)</c:f>", lab)
                    labels.append(m.group(1) if m else None)
                series.append((refs["tx"], refs["cat"], refs["val"], labels))
            out.append((kind, g.group(1) if g else None, series))
    return out


def _check_chart(wb, series, want, countries=None):
    """want: {(series name, category): value}; every series' cells hold
    exactly those figures.  countries: {(series name, category): n}, the
    text of each point's data label ("4 countries")."""
    seen = {}
    for tx, cat, val, labels in series:
        assert tx and cat and val, (tx, cat, val)
        name = _cells(wb, tx)[0]
        cats = _cells(wb, cat)
        vals = _cells(wb, val)
        assert len(cats) == len(vals)
        if countries is not None:
            assert len(labels) == len(cats), (tx, labels)
        for i, (c, v) in enumerate(zip(cats, vals)):
            if v is None and countries is not None:
                assert labels[i] is None, (name, c, labels[i])
            if v is not None:
                seen[(name, c)] = v
                if countries is not None:
                    n = countries[(name, c)]
                    want_text = "%d %s" % (n, "country" if n == 1
                                           else "countries")
                    assert _cells(wb, labels[i]) == [want_text], (
                        name, c, _cells(wb, labels[i]), want_text)
    assert set(seen) == set(want), (sorted(set(seen) ^ set(want))[:5])
    for k, v in want.items():
        assert math.isclose(seen[k], v, rel_tol=1e-12), (k, seen[k], v)


def _check_charts(path, wb, db, schema):
    charts = _charts(path)
    by_sheet = {}
    for kind, grouping, series in charts:
        sheet = REF.match(series[0][2]).group(1)
        by_sheet.setdefault(sheet, []).append((kind, grouping, series))
    assert set(by_sheet) == {"GS1 chart", "GS2 chart", "GS6 chart"}, by_sheet
    # GS1: arms seized by region over the years, a line per region, each
    # point labelled with its countries
    [(kind, _, series)] = by_sheet["GS1 chart"]
    assert kind == "lineChart"
    rows = h.psql(db, (
        "SELECT area_name, year, n, countries FROM %s.gs1 "
        "WHERE area_type = 'region' AND arms = 'SEIZED'") % schema)
    want = {(r[0], int(r[1])): float(r[2]) for r in rows}
    assert len(series) == len({k[0] for k in want})
    _check_chart(wb, series, want,
                 {(r[0], int(r[1])): int(r[3]) for r in rows})
    # GS6: 16.4.2 by region and world over the years
    [(kind, _, series)] = by_sheet["GS6 chart"]
    assert kind == "lineChart"
    rows = h.psql(db, (
        "SELECT area_name, year, value, countries FROM %s.sdg_16_4_2 "
        "WHERE area_type IN ('region', 'world')") % schema)
    want = {(r[0], int(r[1])): float(r[2]) for r in rows}
    _check_chart(wb, series, want,
                 {(r[0], int(r[1])): int(r[3]) for r in rows})
    # GS2: type shares over the years, one stacked column chart for the
    # world and one per region; a category "2019 (4 countries)" names the
    # year and the countries behind its column (a range when the types
    # rest on different numbers)
    labels = {r[4]: r[5] for r in _table_rows(wb["GS2 Types"])}
    rows = h.psql(db, (
        "SELECT area_name, arm_type, year, share_pct, countries FROM %s.gs2 "
        "WHERE area_type IN ('world', 'region') AND share_pct IS NOT NULL")
        % schema)
    assert rows
    by_area_year = {}
    for r in rows:
        by_area_year.setdefault((r[0], int(r[2])), []).append(int(r[4]))

    def cat(area, year):
        lo, hi = min(by_area_year[(area, year)]), max(by_area_year[
            (area, year)])
        if lo != hi:
            return "%d (%d-%d countries)" % (year, lo, hi)
        return "%d (%d %s)" % (year, hi, "country" if hi == 1
                               else "countries")
    want = {}
    for r in rows:
        want.setdefault(r[0], {})[(labels.get(r[1], r[1]),
                                   cat(r[0], int(r[2])))] = float(r[3])
    areas = []
    for kind, grouping, series in by_sheet["GS2 chart"]:
        assert kind == "barChart" and grouping == "stacked", (kind, grouping)
        # the block's first header cell names the area
        m = REF.match(series[0][0])
        area = wb[m.group(1)]["A%s" % m.group(3)].value
        areas.append(area)
        _check_chart(wb, series, want[area])
    assert sorted(areas) == sorted(want), (areas, list(want))
    assert "World" in areas


def test_gswb_internal():
    """Internal edition: every table equal to its iafq view, formats,
    frozen header, autofilter, widths, the three charts, the banner on every
    sheet, the About sheet's run."""
    assert openpyxl, "python3-openpyxl missing (make deps)"
    db = "t_gswb_int"
    _world(db)
    path = os.path.join(h.TMP, "scratch", "gs.xlsx")
    run = _write(db, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "About"
    _check_tables(wb, db, "iafq", True)
    _check_layout(wb, True)
    _check_charts(path, wb, db, "iafq")
    assert _banner_everywhere(wb) == set(wb.sheetnames)
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)
             if r[0]}
    assert about["Aggregation run"] == int(run[0])
    assert about["Vintage: run finished (UTC)"] == run[2]
    assert about["Submissions used"] == int(run[3])
    assert "SDG 16.4.2" in about and "Regions and world" in about
    # Brazil is in the internal edition, by name and code
    assert h.psql(db, "SELECT count(*) FROM iafq.gs1 WHERE area_code = '076'"
                  )[0][0] != "0"
    assert any(r[2] == "Brazil" for r in _table_rows(wb["GS1 Arms"]))
    # text is never a formula: no <f> in any sheet
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(n), n


def test_gswb_public():
    """Public edition, written as iafq_portal: every table equal to its
    iafq_public view, no internal column, no banner anywhere, Brazil (no
    consent) nowhere, the charts from the public figures."""
    assert openpyxl, "python3-openpyxl missing (make deps)"
    db = "t_gswb_pub"
    _world(db)
    path = os.path.join(h.TMP, "scratch", "gs-public.xlsx")
    _write(db, path, public=True)
    wb = openpyxl.load_workbook(path)
    _check_tables(wb, db, "iafq_public", False)
    _check_layout(wb, False)
    _check_charts(path, wb, db, "iafq_public")
    assert _banner_everywhere(wb) == set()
    # the rule left rows out, and Brazil is nowhere
    hidden = h.psql(db, "SELECT (SELECT count(*) FROM iafq.gs1) - "
                        "(SELECT count(*) FROM iafq_public.gs1)")[0][0]
    assert int(hidden) > 0
    for ws in wb.worksheets:
        if ws.title == "About":
            continue
        for row in ws.iter_rows(min_row=4, values_only=True):
            assert "Brazil" not in row and "076" not in row, (ws.title, row)
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            assert b"Brazil" not in z.read(n), n


def test_gswb_no_database_rights():
    """The public edition needs nothing but iafq_public: with a connection
    as iafq_portal, asking for the internal edition fails cleanly."""
    db = "t_gswb_rights"
    _world(db)
    path = os.path.join(h.TMP, "scratch", "gs-denied.xlsx")
    out = subprocess.run([_driver(), "--db", h.conninfo(db, "iafq_portal"),
                          path], capture_output=True, text=True)
    assert out.returncode == 1, out
    # iafq_portal has no USAGE on schema iafq: its views are not found
    assert 'relation "gs1" does not exist' in out.stderr, out.stderr


TESTS = [test_gswb_internal, test_gswb_public, test_gswb_no_database_rights]
