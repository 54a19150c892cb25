"""Golden exports (issue 11, "the same exports, byte for byte"): a small,
deterministic world and a text dump of everything `iafq export` writes,
shared by tests/db/make_goldens.py (writes tests/db/golden/) and
tests/db/t_golden.py (compares a fresh export with them).

The world: the bundled samples (Spain's workbook and its CSV folder, France
with warnings, Morocco rejected) and ten CSV returns of 2019-2021 in which
Austria says CONSENT NO (tests/db/t_export.py's disclosure world).  Files
are ingested one per command (submission ids in a fixed order).

Time stamps: the aggregation run's started/finished are set by the
superuser to fixed values after `iafq aggregate` (the run's times, the
release date and DATA_LAST_UPDATE all come from them); the workbooks'
creation time (docProps/core.xml) is masked.  Nothing else in an export
reads the clock.

Dump: a CSV or JSON file as its text; an xlsx file member by member: each
worksheet as its cells read back by openpyxl (one line per row: each
cell's value, and its number format unless General), every other XML member (charts, styles, the workbook's
sheet list) as its text."""
import io
import os
import re
import shutil
import subprocess
import zipfile

import dbt as h

STARTED = "2024-01-02 03:04:05+00"
FINISHED = "2024-01-02 03:04:09+00"

SAMPLES = ("esp-2021.xlsx", "esp-2021-csv", "fra-2021-warnings.xlsx",
           "mar-2021-errors.xlsx")


def world(db, tmp):
    """A fresh database db holding the golden world, aggregated; its
    conninfo."""
    import t_export
    ci = h.fresh(db)
    paths = [os.path.join(h.ROOT, "samples", s) for s in SAMPLES]
    for iso3, year, consent in t_export.WORLD:
        t11 = [("USA", "USA", iso3)]
        if (iso3, year) == ("DEU", 2020):
            t11.append(("AUT", "AUT", "DEU"))
        d = os.path.join(tmp, "golden-%s-%d" % (iso3, year))
        shutil.rmtree(d, ignore_errors=True)
        paths.append(t_export.csv_return(d, iso3, year, consent, t11))
    for p in paths:
        out = h.iafq(ci, "ingest", p)
        assert out.returncode in (0, 1), out.stdout + out.stderr
    out = h.iafq(ci, "aggregate")
    assert out.returncode == 0, out.stderr
    h.psql(db, "UPDATE iafq.agg_run SET started = '%s', finished = '%s' "
           "WHERE finished IS NOT NULL" % (STARTED, FINISHED))
    return ci


def _cell(c):
    """A cell as repr(value), then "@format" unless General."""
    s = repr(c.value)
    return s if c.number_format == "General" else s + "@" + c.number_format


def _sheets(path):
    import openpyxl
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        out.append("== sheet %s (freeze %s, filter %s)" % (
            ws.title, ws.freeze_panes, ws.auto_filter.ref))
        for row in ws.iter_rows():
            cells = [_cell(c) for c in row]
            while cells and cells[-1] == "None":
                cells.pop()
            if cells:
                out.append("%d\t%s" % (row[0].row, "\t".join(cells)))
    return "\n".join(out) + "\n"


def dump(path):
    """{name: text} for one exported file (see the module's comment)."""
    name = os.path.basename(path)
    data = open(path, "rb").read()
    if not name.endswith(".xlsx"):
        return {name: data.decode("utf-8")}
    got = {name + "/cells": _sheets(path)}
    with zipfile.ZipFile(path) as z:
        for m in sorted(z.namelist()):
            if m.startswith("xl/worksheets/sheet"):
                continue  # the cells above
            text = z.read(m).decode("utf-8")
            text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*",
                          r"\1MASKED", text)
            got[name + "/" + m] = text
    return got


def dump_dir(d):
    """{name: text} for every file of an export folder (not hidden ones)."""
    got = {}
    for f in sorted(os.listdir(d)):
        if not f.startswith("."):
            got.update(dump(os.path.join(d, f)))
    return got


def export(ci, out, scope):
    r = h.iafq(ci, "export", "-o", out, "--" + scope)
    assert r.returncode == 0, r.stderr
    return dump_dir(out)


def flat(name):
    """A dump's name as a file name under tests/db/golden/SCOPE/."""
    return name.replace("/", "__")
