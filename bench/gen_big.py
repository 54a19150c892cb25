"""Write a large, valid IAFQ return for the benchmark, fast.

    gen_big.py OUT.xlsx NROWS

The package is written directly with zipfile (deflate) and hand-written
SpreadsheetML, laid out the way Excel writes it: every text cell is a shared
string (t="s"), dates are serial numbers with a date style, every cell carries
its r="A1" reference, every row its r and spans, each sheet a <dimension>;
sharedStrings.xml comes after the worksheets in the archive, as in Excel's
output.  openpyxl would take minutes to write a million rows; this takes
seconds.

Sheets: COVER and T1..T10 hold the consistent ESP 2021 return of
tests/fixtures/gen_returns.py (BASE), every count multiplied by one integer
factor K -- all totals and cross-table equalities are linear, so they still
hold -- chosen so that the T11 quantities of each arm type do not exceed T1
SEIZED of that type (no W-CROSS).  T11 has NROWS seizures laid out as in
`iafq template` (A = seizure id, value columns from B, no LABEL column).

Writes OUT and OUT.cells (the number of non-empty cells written, which the
benchmark divides by wall time) and prints a one-line summary.  The output is
deterministic for a given NROWS (fixed seed).
"""
import datetime
import importlib.util
import math
import os
import random
import sys
import time
import types
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "fixtures"))
if importlib.util.find_spec("openpyxl") is None:
    # gen_returns imports openpyxl, which this script never uses
    sys.modules["openpyxl"] = types.ModuleType("openpyxl")
from gen_returns import BASE, COLS, TITLES, col_letter  # noqa: E402

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
      '2006/relationships"')
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFDOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"

TABLES = ["COVER", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9",
          "T10", "T11"]
ROWS_PER_CHUNK = 5000

# Code lists (IAFQ-SPEC section 2) for the T11 coded columns.
PLACE_TYPES = ["LAND_BORDER", "AIRPORT", "HARBOUR", "TERRITORY", "OTHER",
               "UNKNOWN"]
PLACE_W = [30, 10, 20, 130, 5, 5]  # T7 SEIZED of BASE
PLACES = {
    "LAND_BORDER": ["La Junquera", "Irun", "Ceuta-Tarajal", "Melilla-Beni Enzar",
                    "Valenca-Tui", "Le Perthus"],
    "AIRPORT": ["Madrid-Barajas", "Barcelona-El Prat", "Malaga",
                "Palma de Mallorca", "Alicante"],
    "HARBOUR": ["Algeciras", "Valencia", "Barcelona", "Tarifa", "Bilbao",
                "Las Palmas"],
    "TERRITORY": ["Madrid", "Sevilla", "Zaragoza", "Murcia", "Granada",
                  "Valladolid", "A Coruna", "Cordoba", "Toledo", "Girona"],
    "OTHER": ["Postal centre Madrid", "Courier hub Zaragoza"],
    "UNKNOWN": ["Unknown"],
}
ARM_TYPES = ["PISTOL", "REVOLVER", "RIFLE", "SHOTGUN", "SUBMACHINE_GUN",
             "MACHINE_GUN", "OTHER"]  # UNKNOWN is 0 in T1 of BASE
ARMS = {  # (make, model, calibre)
    "PISTOL": [("Glock", "17", "9mm"), ("Beretta", "92FS", "9mm"),
               ("CZ", "75", "9mm"), ("Walther", "PPK", ".380 ACP"),
               ("Browning", "Hi-Power", "9mm"), ("Zastava", "M70", "7.65mm"),
               ("Tokarev", "TT-33", "7.62x25"), ("Star", "BM", "9mm")],
    "REVOLVER": [("Smith & Wesson", "686", ".357 Magnum"),
                 ("Colt", "Python", ".357 Magnum"),
                 ("Astra", "Cadix", ".38 Special"),
                 ("Taurus", "85", ".38 Special")],
    "RIFLE": [("Kalashnikov", "AKM", "7.62x39"), ("Mauser", "98", "8x57"),
              ("Remington", "700", ".308 Win"), ("Colt", "M4", "5.56x45"),
              ("Zastava", "M70", "7.62x39")],
    "SHOTGUN": [("Benelli", "M4", "12"), ("Beretta", "A400", "12"),
                ("Mossberg", "500", "12"), ("Franchi", "SPAS-12", "12"),
                ("Laurona", "Olimpia", "20")],
    "SUBMACHINE_GUN": [("Heckler & Koch", "MP5", "9mm"),
                       ("Skorpion", "vz. 61", ".32 ACP"),
                       ("Uzi", "Mini", "9mm")],
    "MACHINE_GUN": [("FN", "MAG", "7.62x51"), ("Kalashnikov", "PKM",
                                               "7.62x54R")],
    "OTHER": [("", "", ""), ("Gamo", "Air rifle", "4.5mm")],
}
MARKINGS = ["UNIQUE", "ALTERED", "NONE", "UNKNOWN"]
MARKING_W = [150, 20, 20, 10]  # T6 SEIZED of BASE
TRACING = {  # marking -> (codes, weights): a T8 code but the three totals
    "UNIQUE": (["UI_LEGIT_NATIONAL", "UI_ILLEGIT_NATIONAL",
                "UI_ILLEGIT_FOREIGN", "UI_OTHERWISE", "UI_NO_DIVERSION",
                "UI_PENDING", "UI_NOT_INITIATED", ""],
               [40, 30, 20, 10, 20, 20, 10, 10]),
    "ALTERED": (["NUI_ALTERED", ""], [9, 1]),
    "NONE": (["NUI_ILLICIT_MANUFACTURE", "NUI_NO_INFO", ""], [5, 4, 1]),
    "UNKNOWN": (["UNKNOWN_MARKING", ""], [9, 1]),
}
# ISO alpha-3 codes, all in data/m49.csv
MANUF = ["AUT", "ITA", "USA", "DEU", "BEL", "CZE", "RUS", "TUR", "ESP", "SRB",
         "BRA", "FRA", "ISR", "CHN", ""]
MANUF_W = [20, 15, 12, 10, 6, 6, 5, 5, 8, 4, 2, 3, 2, 2, 15]
DEPART = ["ESP", "FRA", "MAR", "PRT", "DZA", "ITA", "DEU", "NLD", "BEL", "USA",
          "TUR", ""]
DEPART_W = [40, 12, 10, 5, 3, 4, 3, 3, 2, 2, 1, 15]
DEST = ["ESP", "FRA", "MAR", "PRT", "GBR", "ITA", ""]
DEST_W = [70, 6, 4, 3, 2, 2, 13]
NOTES = ["in a container", "hidden in a vehicle", "postal parcel",
         "found during a house search", "sold online", "deactivated, reactivated"]

ZIP_DATE = (2022, 3, 1, 9, 0, 0)  # fixed: the same NROWS gives the same bytes


def zinfo(name):
    zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o644 << 16
    return zi


T11_SERIAL_2021 = (datetime.date(2021, 1, 1) - datetime.date(1899, 12, 30)).days


class SST:
    """Shared-string table: text -> index, in first-use order."""

    def __init__(self):
        self.index = {}
        self.strings = []
        self.refs = 0

    def __call__(self, text):
        self.refs += 1
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.strings)
            self.strings.append(text)
        return i


def sheet_head(dim):
    return (XML_DECL + "<worksheet " + NS + ">"
            '<dimension ref="%s"/><sheetViews><sheetView workbookViewId="0"/>'
            '</sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>'
            % dim)


SHEET_TAIL = ('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" '
              'bottom="0.75" header="0.3" footer="0.3"/></worksheet>')


def scaled_base(factor):
    """BASE with every count of T1..T10 multiplied by factor."""
    out = {}
    for table, rows in BASE.items():
        if table in ("COVER", "T11"):
            out[table] = rows
            continue
        out[table] = [(code, [v * factor if isinstance(v, int) else v
                              for v in vals]) for code, vals in rows]
    return out


def small_sheet(table, rows, sst):
    """A COVER/T1..T10 sheet: B1 title, header row 3, data from row 4.
    Returns (xml, cells)."""
    cols = ["CODE", "LABEL"] + COLS[table]
    ncols = len(cols)
    nrows = 3 + len(rows)
    parts = [sheet_head("A1:%s%d" % (col_letter(ncols - 1), nrows))]
    parts.append('<row r="1" spans="2:2"><c r="B1" t="s"><v>%d</v></c></row>'
                 % sst("IAFQ " + table))
    cells = 1
    parts.append('<row r="3" spans="1:%d">' % ncols)
    for j, c in enumerate(cols):
        parts.append('<c r="%s3" t="s"><v>%d</v></c>' % (col_letter(j), sst(c)))
    cells += ncols
    parts.append("</row>")
    for i, (code, values) in enumerate(rows):
        r = 4 + i
        parts.append('<row r="%d" spans="1:%d">' % (r, ncols))
        parts.append('<c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>%d</v>'
                     '</c>' % (r, sst(code), r,
                               sst(code.replace("_", " ").capitalize())))
        cells += 2
        for j, v in enumerate(values):
            ref = "%s%d" % (col_letter(2 + j), r)
            if v is None or v == "":
                continue
            if isinstance(v, bool):
                raise TypeError(v)
            if isinstance(v, int):
                parts.append('<c r="%s"><v>%d</v></c>' % (ref, v))
            else:
                parts.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sst(v)))
            cells += 1
        parts.append("</row>")
    parts.append(SHEET_TAIL)
    return "".join(parts), cells


def t11_columns(n, rng):
    """The T11 data, column by column (lists of n values)."""
    arm = rng.choices(ARM_TYPES, [100, 20, 30, 40, 5, 2, 3], k=n)
    qty = rng.choices([1, 1, 1, 2, 2, 3, 4, 5, 8, 12, 20], k=n)
    day = [T11_SERIAL_2021 + d for d in rng.choices(range(365), k=n)]
    ptype = rng.choices(PLACE_TYPES, PLACE_W, k=n)
    mark = rng.choices(MARKINGS, MARKING_W, k=n)
    return arm, qty, day, ptype, mark


def t11_sheet(zf, n, rng, sst, arm, qty, day, ptype, mark):
    """Stream the T11 sheet into the zip.  Returns cells written."""
    hdr = ["CODE"] + COLS["T11"]  # A id, B.. value columns (template layout)
    ncols = len(hdr)
    last = col_letter(ncols - 1)
    L = [col_letter(j) for j in range(ncols)]
    # pre-index the small vocabularies once
    refs0 = sst.refs
    s = {}
    for word in (PLACE_TYPES + ARM_TYPES + MARKINGS + MANUF + DEPART + DEST +
                 NOTES + [c for v in TRACING.values() for c in v[0]] +
                 [p for v in PLACES.values() for p in v] +
                 [x for v in ARMS.values() for t in v for x in t]):
        if word and word not in s:
            s[word] = sst(word)
    cells = 0
    with zf.open(zinfo("xl/worksheets/sheet%d.xml"
                       % (TABLES.index("T11") + 1)), "w") as f:
        head = [sheet_head("A1:%s%d" % (last, 3 + n)),
                '<row r="1" spans="2:2"><c r="B1" t="s"><v>%d</v></c></row>'
                % sst("IAFQ T11"),
                '<row r="3" spans="1:%d">' % ncols]
        cells += 1
        for j, c in enumerate(hdr):
            head.append('<c r="%s3" t="s"><v>%d</v></c>' % (L[j], sst(c)))
            cells += 1
        head.append("</row>")
        f.write("".join(head).encode())
        rnd = rng.random
        choices = rng.choices
        manuf = choices(MANUF, MANUF_W, k=n)
        dep = choices(DEPART, DEPART_W, k=n)
        dest = choices(DEST, DEST_W, k=n)
        buf = []
        for i in range(n):
            r = 4 + i
            a = arm[i]
            m = mark[i]
            make, model, cal = ARMS[a][int(rnd() * len(ARMS[a]))]
            if rnd() < 0.08:  # make/model not recorded
                make = model = ""
            places = PLACES[ptype[i]]
            tcodes, tw = TRACING[m]
            tr = choices(tcodes, tw)[0]
            note = NOTES[int(rnd() * len(NOTES))] if rnd() < 0.03 else ""
            row = ['<row r="%d" spans="1:%d"><c r="A%d" t="s"><v>%d</v></c>'
                   '<c r="B%d" s="1"><v>%d</v></c>'
                   '<c r="C%d" t="s"><v>%d</v></c>'
                   '<c r="D%d" t="s"><v>%d</v></c>'
                   '<c r="E%d" t="s"><v>%d</v></c>'
                   '<c r="F%d"><v>%d</v></c>'
                   % (r, ncols, r, sst("S-%06d" % (i + 1)), r, day[i],
                      r, s[ptype[i]],
                      r, s[places[int(rnd() * len(places))]],
                      r, s[a], r, qty[i])]
            k = 6
            for v in (make, model, cal, m, manuf[i], dep[i], dest[i], tr, note):
                if v:
                    row.append('<c r="%s%d" t="s"><v>%d</v></c>'
                               % (L[k], r, s[v]))
                    cells += 1
                k += 1
            row.append("</row>")
            cells += 6
            buf.append("".join(row))
            if len(buf) >= ROWS_PER_CHUNK:
                f.write("".join(buf).encode())
                buf = []
        buf.append(SHEET_TAIL)
        f.write("".join(buf).encode())
    # every cell but the date and the quantity of each row is a shared string
    sst.refs = refs0 + cells - 2 * n
    return cells


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_big.py OUT.xlsx NROWS")
    out, n = sys.argv[1], int(sys.argv[2])
    if n < 1 or n > 1048576 - 3:
        sys.exit("gen_big.py: NROWS must be 1 .. 1048573 (Excel's row limit)")
    t0 = time.time()
    rng = random.Random(20210615 + n)
    arm, qty, day, ptype, mark = t11_columns(n, rng)

    # Scale BASE so that sum(T11 QUANTITY of a type) <= T1 SEIZED of the type.
    t1 = {code: vals[0] for code, vals in BASE["T1"]}
    need = {}
    for a, q in zip(arm, qty):
        need[a] = need.get(a, 0) + q
    factor = max(1, max(math.ceil(need[a] / t1[a]) for a in need))
    data = scaled_base(factor)

    sst = SST()
    tmp = out + ".tmp"
    cells = 0
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        sheets_xml = "".join(
            '<sheet name="%s" sheetId="%d" r:id="rId%d"/>'
            % (escape(TITLES[t]), i + 1, i + 1) for i, t in enumerate(TABLES))
        n_sh = len(TABLES)
        zf.writestr(zinfo("[Content_Types].xml"), XML_DECL + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="%s.sheet.main'
            '+xml"/>' % CT_MAIN) + "".join(
            '<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="%s'
            '.worksheet+xml"/>' % (i + 1, CT_MAIN) for i in range(n_sh)) + (
            '<Override PartName="/xl/styles.xml" ContentType="%s.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="%s.'
            'sharedStrings+xml"/></Types>' % (CT_MAIN, CT_MAIN)))
        zf.writestr(zinfo("_rels/.rels"), XML_DECL + (
            '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
            % (REL_NS, OFFDOC)))
        zf.writestr(zinfo("xl/workbook.xml"), XML_DECL + (
            '<workbook %s><bookViews><workbookView xWindow="0" yWindow="0" '
            'windowWidth="28800" windowHeight="12300"/></bookViews><sheets>%s'
            '</sheets><calcPr calcId="191029"/></workbook>' % (NS, sheets_xml)))
        zf.writestr(zinfo("xl/_rels/workbook.xml.rels"), XML_DECL + (
            '<Relationships xmlns="%s">' % REL_NS) + "".join(
            '<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/'
            'sheet%d.xml"/>' % (i + 1, OFFDOC, i + 1) for i in range(n_sh)) + (
            '<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>'
            '<Relationship Id="rId%d" Type="%s/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
            % (n_sh + 1, OFFDOC, n_sh + 2, OFFDOC)))
        for i, table in enumerate(TABLES):
            if table == "T11":
                cells += t11_sheet(zf, n, rng, sst, arm, qty, day, ptype, mark)
                continue
            xml, c = small_sheet(table, data[table], sst)
            cells += c
            zf.writestr(zinfo("xl/worksheets/sheet%d.xml" % (i + 1)), xml)
        zf.writestr(zinfo("xl/styles.xml"), XML_DECL + (
            '<styleSheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/>'
            '<name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/>'
            '<diagonal/></border></borders><cellStyleXfs count="1"><xf '
            'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" '
            'borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" '
            'builtinId="0"/></cellStyles></styleSheet>'))
        with zf.open(zinfo("xl/sharedStrings.xml"), "w") as f:
            f.write((XML_DECL + '<sst xmlns="http://schemas.openxmlformats.org/'
                     'spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                     % (sst.refs, len(sst.strings))).encode())
            for k in range(0, len(sst.strings), 20000):
                f.write("".join("<si><t>%s</t></si>" % escape(t)
                                for t in sst.strings[k:k + 20000]).encode())
            f.write(b"</sst>")
    os.replace(tmp, out)
    with open(out + ".cells", "w") as f:
        f.write("%d\n" % cells)
    print("gen_big.py: %s: %d T11 rows, %d cells, %d shared strings, "
          "counts x%d, %.1f MB, %.1f s"
          % (out, n, cells, len(sst.strings), factor,
             os.path.getsize(out) / 1e6, time.time() - t0))


if __name__ == "__main__":
    main()
