"""The global study workbook written with python3-xlsxwriter, for
bench/gswb_bench.sh: the same rows (the same queries, sql/q/gswb_*.sql,
read from the same database through `psql COPY ... TO STDOUT`, streamed),
the same sheets, headers, number formats, frozen header, autofilter,
fitted widths and the same three charts, in xlsxwriter's constant_memory
mode: what an analyst would write in Python.

  gswb_xlsxwriter.py CONNINFO OUT.xlsx

Internal edition (schema iafq).  Label columns hold the code (the same
amount of work as iafq's label lookup)."""
import csv
import io
import os
import re
import subprocess
import sys

import xlsxwriter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BANNER = ("IAFQ: internal, not for publication. Includes the figures of "
          "countries that did not consent to publication and aggregates of "
          "fewer than 3 countries that include them.")
A = [("area_type", "Area type", "t"), ("area_code", "M49 code", "t"),
     ("area_name", "Area", "t"), ("year", "Year", "y")]
T = [("countries", "Countries", "n"), ("withheld", "Withheld (internal)", "n"),
     ("submission_id", "Submission (internal)", "n")]
# sheet, query, columns (field, header, kind: t text, l label, n count,
# p percent, y year, b bool), parameters (code orders)
SHEETS = [
    ("GS1 Arms", "gswb_gs1", A + [("arms", "Arms", "t"),
                                  ("arms", "Arms (label)", "l"),
                                  ("n", "Number", "n")] + T,
     [("T1", "cols", "TOTAL")]),
    ("GS2 Types", "gswb_gs2", A + [
        ("arm_type", "Type", "t"), ("arm_type", "Type (label)", "l"),
        ("n", "Number", "n"), ("reported", "Reported (sum of types)", "n"),
        ("share_pct", "Share (%)", "p")] + T, [("T1", "rows", None)]),
    ("GS3 Justification", "gswb_gs3", A + [
        ("justification", "Justification", "t"),
        ("justification", "Justification (label)", "l"),
        ("n", "Number", "n"), ("reported", "Reported", "n"),
        ("share_pct", "Share, ratio of sums (%)", "p"),
        ("share_pct_mean", "Share, mean of national shares (%)", "p")] + T,
     [("T3", "rows", None)]),
    ("GS4 Offences", "gswb_gs4", A + [
        ("offence", "Offence", "t"), ("offence", "Offence (label)", "l"),
        ("n", "Number", "n")] + T, [("T4", "rows", None)]),
    ("GS5 Condition marking place", "gswb_gs5", A + [
        ("dimension", "Dimension", "t"), ("arms", "Arms", "t"),
        ("category", "Category", "t"), ("category", "Category (label)", "l"),
        ("n", "Number", "n"), ("reported", "Reported", "n"),
        ("share_pct", "Share (%)", "p")] + T,
     [("T6", "cols", None), ("T5", "rows", None), ("T6", "rows", None),
      ("T7", "rows", None)]),
    ("GS6 SDG 16.4.2", "gswb_sdg", A + [
        ("numerator", "Arms traced (N)", "n"),
        ("denominator", "Arms seized, found, surrendered (D)", "n"),
        ("value", "SDG 16.4.2 (%)", "p")] + T, []),
    ("GS6 by column", "gswb_sdg_column", A + [
        ("arms", "Column", "t"), ("numerator", "Arms traced (N)", "n"),
        ("denominator", "Arms (D)", "n"), ("value", "SDG 16.4.2 (%)", "p")]
     + T, [("T1", "cols", None)]),
    ("GS6 by tracing", "gswb_sdg_tracing", A + [
        ("arms", "Column", "t"), ("tracing", "Tracing", "t"),
        ("tracing", "Tracing (label)", "l"), ("n", "Number", "n"),
        ("t8_total", "T8 total", "n"),
        ("share_pct", "Share of T8 total (%)", "p")] + T,
     [("T8", "cols", "ALL"), ("T8", "rows", None)]),
    ("GS7 Parts ammunition cases", "gswb_gs7", A + [
        ("item", "Item", "t"), ("item", "Item (label)", "l"),
        ("n", "Number", "n")] + T, [("T2", "rows", None)]),
    ("GS8 Persons", "gswb_gs8", A + [
        ("persons", "Persons", "t"), ("persons", "Persons (label)", "l"),
        ("sex", "Sex", "t"), ("n", "Number", "n"),
        ("share_pct", "Share of total (%)", "p")] + T,
     [("T9", "rows", None), ("T9", "cols", None)]),
    ("GS9 Significant seizures", "gswb_gs9", A + [
        ("flow", "Flow", "t"), ("manufacture_code", "Manufacture code", "t"),
        ("manufacture_name", "Manufacture", "t"),
        ("departure_code", "Departure code", "t"),
        ("departure_name", "Departure", "t"),
        ("destination_code", "Destination code", "t"),
        ("destination_name", "Destination", "t"),
        ("quantity", "Quantity", "n"), ("seizures", "Seizures", "n"),
        ("countries", "Countries", "n"),
        ("withheld", "Withheld (internal)", "n"),
        ("partner_withheld", "Partner withheld (internal)", "b"),
        ("submission_id", "Submission (internal)", "n")], []),
]
COLS = {"T1": ["SEIZED", "FOUND", "SURRENDERED"],
        "T6": ["SEIZED", "FOUND", "SURRENDERED"],
        "T8": ["SEIZED", "FOUND", "SURRENDERED"],
        "T9": ["MALE", "FEMALE", "UNKNOWN", "TOTAL"]}


def psql_rows(conn, sql):
    """Rows of sql as lists of strings (None for NULL), streamed."""
    p = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", conn,
                          "-c", "COPY (%s) TO STDOUT WITH (FORMAT csv, "
                          "HEADER, FORCE_QUOTE *)" % sql],
                         stdout=subprocess.PIPE)
    f = io.TextIOWrapper(p.stdout, encoding="utf-8", newline="")
    r = csv.reader(f)
    header = next(r)
    yield header
    for row in r:
        yield row
    # csv with FORCE_QUOTE: NULL is an unquoted empty field; the reader
    # cannot tell it from "": both are empty, and no view text is empty
    if p.wait() != 0:
        sys.exit("psql failed")


def query(name, params, orders):
    sql = open(os.path.join(ROOT, "sql", "q", name + ".sql")).read()
    sql = "\n".join(l for l in sql.splitlines() if not l.startswith("--"))
    sql = re.sub(r"DECLARE gswb_rows NO SCROLL CURSOR FOR\s*", "", sql)
    sql = sql.strip().rstrip(";")
    for i, (tbl, what, extra) in reversed(list(enumerate(params))):
        codes = list(orders[tbl] if what == "rows" else COLS[tbl])
        if extra:
            codes.append(extra)
        arr = "'{%s}'" % ",".join('"%s"' % c for c in codes)
        sql = sql.replace("$%d::text[]" % (i + 1), arr + "::text[]")
    return sql


def main():
    conn, out = sys.argv[1], sys.argv[2]
    orders = {}
    for tbl, code in list(psql_rows(conn, "SELECT tbl, row_code FROM "
                                          "iafq.table_row ORDER BY tbl, ord"))[1:]:
        orders.setdefault(tbl, []).append(code)
    run = list(psql_rows(conn, "SELECT id, started, finished, "
                               "cardinality(submissions) FROM iafq.latest_run"))[1]
    wb = xlsxwriter.Workbook(out, {"constant_memory": True,
                                   "tmpdir": os.path.dirname(out) or "."})
    f_title = wb.add_format({"bold": True, "font_size": 14})
    f_banner = wb.add_format({"bold": True, "font_color": "#C00000"})
    f_header = wb.add_format({"bold": True, "bg_color": "#D9E1F2",
                              "bottom": 1})
    f_count = wb.add_format({"num_format": "#,##0"})
    f_pct = wb.add_format({"num_format": "0.00"})
    f_key = wb.add_format({"bold": True, "valign": "top"})
    f_wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet("About")
    ws.write_string(0, 0, "Illicit Arms Flows Questionnaire (IAFQ): SDG "
                    "indicator 16.4.2 and the Global Study tables", f_title)
    ws.write_string(1, 0, BANNER, f_banner)
    ws.set_header("&CIAFQ: internal, not for publication")
    about = [("Aggregation run", int(run[0])), ("Run started (UTC)", run[1]),
             ("Vintage: run finished (UTC)", run[2]),
             ("Submissions used", int(run[3]))]
    for i, (k, v) in enumerate(about):
        ws.write_string(3 + i, 0, k, f_key)
        if isinstance(v, str):
            ws.write_string(3 + i, 1, v, f_wrap)
        else:
            ws.write_number(3 + i, 1, v)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 110)

    charts = {"gs1": [], "gs2": [], "gs6": []}
    for sheet, qname, cols, params in SHEETS:
        ws = wb.add_worksheet(sheet)
        ws.write_string(0, 0, sheet, f_title)
        ws.write_string(1, 0, BANNER, f_banner)
        ws.set_header("&CIAFQ: internal, not for publication")
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        widths = []
        for c, (_, head, _) in enumerate(cols):
            ws.write_string(2, c, head, f_header)
            widths.append(len(head) + 3)
        ws.freeze_panes(3, 0)
        rows = psql_rows(conn, query(qname, params, orders))
        header = next(rows)
        idx = [header.index(f) for f, _, _ in cols]
        r = 3
        for row in rows:
            for c, (field, _, kind) in enumerate(cols):
                v = row[idx[c]]
                if v == "":
                    continue
                if kind in "tl":
                    ws.write_string(r, c, v)
                    w = len(v)
                elif kind == "b":
                    ws.write_boolean(r, c, v == "t")
                    w = 5
                else:
                    x = float(v)
                    ws.write_number(r, c, x, f_pct if kind == "p" else
                                    None if kind == "y" else f_count)
                    w = len("%.2f" % x) if kind == "p" else len("{:,.0f}".format(x))
                if w > widths[c]:
                    widths[c] = w
            t = row[idx[0]]
            if qname == "gswb_gs1" and t == "region" and row[header.index("arms")] == "SEIZED":
                charts["gs1"].append((row[1], row[2], int(row[3]), 0, float(row[header.index("n")])))
            elif qname == "gswb_gs2" and t == "region" and row[header.index("share_pct")]:
                charts["gs2"].append((row[1], row[2], int(row[3]), row[header.index("arm_type")], float(row[header.index("share_pct")])))
            elif qname == "gswb_sdg" and t in ("region", "world"):
                charts["gs6"].append((row[1], row[2], int(row[3]), 0, float(row[header.index("value")])))
            r += 1
        for c, w in enumerate(widths):
            ws.set_column(c, c, min(max(w + 1, 6), 60))
        ws.autofilter(2, 0, r - 1, len(cols) - 1)

    for key, sheet, title in (("gs1", "GS1 chart", "Arms seized by M49 region"),
                              ("gs2", "GS2 chart", "Arms seized by type, share by M49 region"),
                              ("gs6", "GS6 chart", "SDG 16.4.2 by M49 region and world")):
        pts = charts[key]
        ws = wb.add_worksheet(sheet)
        ws.write_string(0, 0, title, f_title)
        ws.write_string(1, 0, BANNER, f_banner)
        if not pts:
            continue
        if key == "gs2":
            latest = max(p[2] for p in pts)
            areas = list(dict.fromkeys((p[0], p[1]) for p in pts if p[2] == latest))
            keys = [k for k in orders["T1"] if any(p[3] == k and p[2] == latest for p in pts)]
            vals = {(p[0], p[3]): p[4] for p in pts if p[2] == latest}
            ws.write_string(2, 0, "Region, %d" % latest, f_header)
            for k, code in enumerate(keys):
                ws.write_string(2, k + 1, code, f_header)
            for a, (code, name) in enumerate(areas):
                ws.write_string(3 + a, 0, name)
                for k, t in enumerate(keys):
                    if (code, t) in vals:
                        ws.write_number(3 + a, k + 1, vals[(code, t)], f_pct)
            chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
            for k in range(len(keys)):
                chart.add_series({"name": [sheet, 2, k + 1],
                                  "categories": [sheet, 3, 0, 2 + len(areas), 0],
                                  "values": [sheet, 3, k + 1, 2 + len(areas), k + 1]})
            chart.set_x_axis({"max": 100})
            n = len(keys)
        else:
            areas = list(dict.fromkeys((p[0], p[1]) for p in pts))
            years = sorted({p[2] for p in pts})
            vals = {(p[0], p[2]): p[4] for p in pts}
            ws.write_string(2, 0, "Year", f_header)
            for a, (code, name) in enumerate(areas):
                ws.write_string(2, a + 1, name, f_header)
            for y, year in enumerate(years):
                ws.write_number(3 + y, 0, year)
                for a, (code, name) in enumerate(areas):
                    if (code, year) in vals:
                        ws.write_number(3 + y, a + 1, vals[(code, year)],
                                        f_pct if key == "gs6" else f_count)
            chart = wb.add_chart({"type": "line"})
            for a in range(len(areas)):
                chart.add_series({"name": [sheet, 2, a + 1],
                                  "categories": [sheet, 3, 0, 2 + len(years), 0],
                                  "values": [sheet, 3, a + 1, 2 + len(years), a + 1],
                                  "marker": {"type": "automatic"}})
            n = len(areas)
        chart.set_title({"name": title})
        chart.set_legend({"position": "bottom"})
        ws.insert_chart(2, n + 2, chart, {"x_scale": 1.6, "y_scale": 1.5})
    wb.close()


if __name__ == "__main__":
    main()
