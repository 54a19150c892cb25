"""audit.py - the disclosure audit of a public export against the internal
export of the same run (IAFQ-SPEC section 5; the rule, the attacker model
and the criterion are in docs/audit.md).

    pub = load(PUBLIC_DIR); internal = load(INTERNAL_DIR)
    model = Model(M49_CSV, internal)
    leaks, stats = derivable(model, pub)   # exact linear algebra
    problems = direct(model, pub, PUBLIC_DIR)  # sums, counts, names, coverage

Everything is exact: integers and fractions.Fraction; no numpy.  Both
exports are read from their files (every GS CSV, gs6.csv, the SDG CSVs, the
SDMX CSV, the portal CSV/JSON/xlsx and the Global Study workbook), never
from the database."""
import csv
import decimal
import io
import json
import os
import zipfile
from fractions import Fraction

import openpyxl

# table -> (key columns, additive count columns, ratio columns)
TABLES = {
    "gs1": (("arms",), ("n",), ()),
    "gs2": (("arm_type",), ("n", "reported"), ("share_pct",)),
    "gs3": (("justification",), ("n", "reported"),
            ("share_pct", "share_pct_mean")),
    "gs4": (("offence",), ("n",), ()),
    "gs5": (("dimension", "arms", "category"), ("n", "reported"),
            ("share_pct",)),
    "gs7": (("item",), ("n",), ()),
    "gs8": (("persons", "sex"), ("n",), ("share_pct",)),
    "gs9": (("flow", "manufacture_code", "departure_code",
             "destination_code"), ("quantity", "seizures"), ()),
    "sdg_16_4_2": ((), ("numerator", "denominator"), ("value",)),
    "sdg_16_4_2_by_column": (("arms",), ("numerator", "denominator"),
                             ("value",)),
    "sdg_16_4_2_by_tracing": (("arms", "tracing"), ("n", "t8_total"),
                              ("share_pct",)),
}
# ratio column -> (numerator, denominator) of the same row, in percent
RATIOS = {"gs2": ("n", "reported"), "gs3": ("n", "reported"),
          "gs5": ("n", "reported"), "sdg_16_4_2": ("numerator", "denominator"),
          "sdg_16_4_2_by_column": ("numerator", "denominator"),
          "sdg_16_4_2_by_tracing": ("n", "t8_total")}

# Global Study workbook: sheet -> table; header label -> column
SHEETS = {"GS1 Arms": "gs1", "GS2 Types": "gs2", "GS3 Justification": "gs3",
          "GS4 Offences": "gs4", "GS5 Condition marking place": "gs5",
          "GS6 SDG 16.4.2": "sdg_16_4_2",
          "GS6 by column": "sdg_16_4_2_by_column",
          "GS6 by tracing": "sdg_16_4_2_by_tracing",
          "GS7 Parts ammunition cases": "gs7", "GS8 Persons": "gs8",
          "GS9 Significant seizures": "gs9"}
LABELS = {"Area type": "area_type", "M49 code": "area_code", "Area":
          "area_name", "Year": "year", "Arms": "arms", "Column": "arms",
          "Type": "arm_type", "Justification": "justification",
          "Offence": "offence", "Dimension": "dimension",
          "Category": "category", "Tracing": "tracing", "Item": "item",
          "Persons": "persons", "Sex": "sex", "Flow": "flow",
          "Manufacture code": "manufacture_code",
          "Departure code": "departure_code",
          "Destination code": "destination_code",
          "Manufacture": "manufacture_name", "Departure": "departure_name",
          "Destination": "destination_name",
          "Number": "n", "Reported (sum of types)": "reported",
          "Reported": "reported", "Arms traced (N)": "numerator",
          "Arms seized, found, surrendered (D)": "denominator",
          "Arms (D)": "denominator", "T8 total": "t8_total",
          "Quantity": "quantity", "Seizures": "seizures",
          "Countries": "countries", "Share (%)": "share_pct",
          "Share, ratio of sums (%)": "share_pct",
          "Share, mean of national shares (%)": "share_pct_mean",
          "Share of total (%)": "share_pct", "SDG 16.4.2 (%)": "value",
          "Share of T8 total (%)": "share_pct",
          "Withheld (internal)": "withheld",
          "Partner withheld (internal)": "partner_withheld"}
LEVELS = ("country", "region", "subregion", "sdg_region", "world")


def _num(v):
    """A CSV field or a workbook cell as an exact number (None: blank)."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return Fraction(repr(v))
    return Fraction(decimal.Decimal(v))


def _int(v):
    x = _num(v)
    if x is None:
        return None
    if isinstance(x, Fraction) and x.denominator != 1:
        raise ValueError("not a whole number: %r" % v)
    return int(x)


class Row:
    """One published (or internal) figure row, canonical across files."""
    __slots__ = ("table", "area_type", "area_code", "year", "key", "m", "r",
                 "countries", "withheld", "partner_withheld", "src")

    def ident(self):
        return (self.table, self.area_type, self.area_code, self.year,
                self.key)


HIDDEN_PARTNER = "Not published"


def _keyval(d, k):
    """A key cell as text; a GS9 partner published without its code (a
    withheld partner: '' / 'Not published') is '~'."""
    v = d.get(k)
    v = "" if v is None else str(v)
    if k.endswith("_code") and v == "" and \
            d.get(k[:-5] + "_name") == HIDDEN_PARTNER:
        return "~"
    return v


def _row(table, d, src):
    keys, meas, rats = TABLES[table]
    r = Row()
    r.table = table
    r.area_type = d["area_type"]
    r.area_code = d["area_code"]
    r.year = int(d["year"])
    r.key = tuple(_keyval(d, k) for k in keys)
    r.m = {c: _int(d.get(c)) for c in meas}
    r.r = {c: _num(d.get(c)) for c in rats}
    r.countries = _int(d["countries"])
    w = d.get("withheld")
    r.withheld = None if w in (None, "") else _int(w)
    pw = d.get("partner_withheld")
    r.partner_withheld = pw in ("t", "true", True, 1)
    r.src = src
    return r


GS6 = {"total": ("sdg_16_4_2", {}),
       "column": ("sdg_16_4_2_by_column", {}),
       "tracing": ("sdg_16_4_2_by_tracing",
                   {"numerator": "n", "denominator": "t8_total",
                    "value": "share_pct"})}


def read_csv_dicts(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_rows(path):
    """The canonical rows of one exported CSV file (gs*.csv, sdg_*.csv)."""
    base = os.path.basename(path)[:-4]
    out = []
    for d in read_csv_dicts(path):
        if base == "gs6":
            table, ren = GS6[d["breakdown"]]
            d = {ren.get(k, k): v for k, v in d.items()}
            out.append(_row(table, d, base))
        else:
            out.append(_row(base, d, base))
    return out


def read_workbook(path):
    """The canonical rows of the Global Study workbook's table sheets."""
    out = []
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for name, table in SHEETS.items():
            if name not in wb.sheetnames:
                continue
            head = None
            for cells in wb[name].iter_rows(values_only=True):
                if head is None:
                    if cells and cells[0] == "Area type":
                        head = [LABELS.get(c) for c in cells]
                    continue
                if cells[0] is None:
                    continue
                d = {c: v for c, v in zip(head, cells) if c}
                out.append(_row(table, d, "global-study.xlsx:" + name))
    finally:
        wb.close()
    return out


class Export:
    """The figure rows of an export folder, by identity.  `conflicts`: the
    same row published twice (e.g. gs1.csv and the workbook) with different
    figures."""

    def __init__(self, folder):
        self.folder = folder
        self.rows = {}
        self.conflicts = []
        self.files = sorted(f for f in os.listdir(folder)
                            if not f.startswith("."))
        rows = []
        for f in self.files:
            p = os.path.join(folder, f)
            if f.endswith(".csv") and (f.startswith("gs") or
                                       f.startswith("sdg_")):
                rows += read_rows(p)
            elif f == "global-study.xlsx":
                rows += read_workbook(p)
        for r in rows:
            old = self.rows.get(r.ident())
            if old is None:
                self.rows[r.ident()] = r
            elif (old.m, old.countries) != (r.m, r.countries) or any(
                    not close(old.r[c], r.r[c]) for c in r.r):
                self.conflicts.append((old.src, r.src, r.ident()))
        self.tables = {r.table for r in self.rows.values()}


def load(folder):
    return Export(folder)


def close(a, b):
    """Two published shares are the same number (a workbook double against
    a CSV ratio, which every CSV writes rounded to 4 decimals: docs/
    decisions.md "Export presentation"): within half a unit of the 4th
    decimal, plus 1e-9 relative for the double."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= Fraction(1, 20000) + \
        Fraction(1, 10 ** 9) * max(1, abs(a), abs(b))


class Model:
    """Public knowledge (M49 membership) and the internal truth: every
    country row of the internal export is an unknown of the attacker."""

    def __init__(self, m49_csv, internal):
        self.area = {}   # m49 country code -> {level: area code or None}
        self.iso3 = {}
        self.name = {}
        with open(m49_csv, encoding="utf-8", newline="") as f:
            for d in csv.DictReader(f):
                c = d["m49"]
                self.area[c] = {"country": c, "world": "001",
                                "region": d["region_code"] or None,
                                "subregion": d["subregion_code"] or None,
                                "sdg_region": d["sdg_region_code"] or None}
                self.iso3[c] = d["iso3"]
                self.name[c] = d["name"]
        self.internal = internal
        # the internal country rows: the unknowns, with their true values
        self.crow = [r for r in internal.rows.values()
                     if r.area_type == "country"]
        self.withheld_cy = {(r.area_code, r.year) for r in self.crow
                            if r.withheld}
        all_c = {r.area_code for r in self.crow}
        open_c = {r.area_code for r in self.crow if not r.withheld}
        # withheld in every year it has figures: must not be named anywhere
        self.hidden = sorted(all_c - open_c)
        self.hidden_set = set(self.hidden)
        by = {}
        for r in self.crow:
            by.setdefault(group(r), []).append(r)
        self.by_group = by

    def up(self, code, level):
        """The area of `level` that country `code` is in (None: none)."""
        if code == "":
            return None
        a = self.area.get(code)
        return None if a is None else a[level]

    def partner_withheld(self, code, year):
        return code in self.hidden_set or (code, year) in self.withheld_cy

    def maps_into(self, crow, agg, fold=False):
        """Does internal country row crow count in published row agg (by
        M49 membership; GS9 partners rolled up to agg's partner level;
        fold: a withheld partner is published as '~', at every level)?"""
        if self.up(crow.area_code, agg.area_type) != agg.area_code:
            return False
        if crow.table != "gs9":
            return crow.key == agg.key
        plev = "region" if agg.area_type == "world" else agg.area_type
        k = [crow.key[0]]
        for p in crow.key[1:]:
            if p and fold and self.partner_withheld(p, crow.year):
                k.append("~")
            else:
                k.append(self.up(p, plev) or "")
        return tuple(k) == agg.key

    def members(self, agg, fold=False):
        return [c for c in self.by_group.get(group(agg), ())
                if self.maps_into(c, agg, fold)]


def group(r):
    """Rows that can share unknowns: one system per group and measure."""
    if r.table == "gs9":
        return (r.table, r.year, r.key[0])
    return (r.table, r.year, r.key)


def unknown(r):
    return (r.area_code, r.key)


def label(r, measure=None):
    s = "%s %s %s %d %s" % (r.src, r.area_type, r.area_code, r.year,
                            "/".join(r.key))
    return s + (" %s=%s" % (measure, r.m[measure]) if measure else "")


def _eliminate(eqs, unknowns):
    """Gauss-Jordan over Fraction.  eqs: [(coef dict, rhs, labels)].
    Returns (consistent, {unknown: (value, labels)}) for every unknown
    whose unit vector lies in the row space."""
    rows = [({u: Fraction(x) for u, x in c.items()}, Fraction(b), set(lb))
            for c, b, lb in eqs if c or b]
    pivots = []
    for u in unknowns:
        piv = next((i for i in range(len(pivots), len(rows))
                    if rows[i][0].get(u)), None)
        if piv is None:
            continue
        k = len(pivots)
        rows[k], rows[piv] = rows[piv], rows[k]
        c, b, lb = rows[k]
        f = c[u]
        c = {v: x / f for v, x in c.items()}
        rows[k] = (c, b / f, lb)
        for i in range(len(rows)):
            if i != k and rows[i][0].get(u):
                ci, bi, li = rows[i]
                g = ci[u]
                n = dict(ci)
                for v, x in c.items():
                    y = n.get(v, 0) - g * x
                    if y:
                        n[v] = y
                    else:
                        n.pop(v, None)
                rows[i] = (n, bi - g * rows[k][1], li | lb)
        pivots.append(u)
    consistent = all(c or b == 0 for c, b, _ in rows)
    known = {}
    for k, u in enumerate(pivots):
        c, b, lb = rows[k]
        if set(c) == {u}:
            known[u] = (b, lb)
    return consistent, known


class Leak:
    __slots__ = ("table", "key", "year", "measure", "country", "value",
                 "used")

    def __str__(self):
        return "%s %s %d %s: country %s = %s from %s" % (
            self.table, "/".join(self.key) or "-", self.year, self.measure,
            self.country, self.value, "; ".join(sorted(self.used)[:6]))


def folds(pub):
    """Does the export publish withheld GS9 partners as '' / 'Not
    published' ('~')?  Then every level maps them so."""
    return any(r.table == "gs9" and "~" in r.key for r in pub.rows.values())


def derivable(model, pub, use_counts=True):
    """The attacker: per group (table, year, key; GS9: table, year, flow)
    and additive measure, the unknowns are the internal country rows; a
    published country row fixes its unknown; a published aggregate is the
    sum of every internal country row that maps into it, used only when
    its own `countries` equals the number of those countries (the
    hypothesis the published count can refute).  A withheld figure leaks
    when its unit vector lies in the row space of a consistent system and
    the value it derives is the true one.  Returns (leaks, stats)."""
    stats = {"withheld": 0, "published": 0, "groups": 0, "refuted": 0,
             "inconsistent": 0, "wrong": 0, "model_errors": []}
    leaks = []
    fold = folds(pub)
    prow = {}
    for r in pub.rows.values():
        prow.setdefault(group(r), []).append(r)
    for g, crows in sorted(model.by_group.items(), key=lambda x: str(x[0])):
        for meas in TABLES[g[0]][1]:
            truth = {unknown(c): c.m[meas] for c in crows
                     if c.m[meas] is not None}
            wh = sorted(unknown(c) for c in crows if c.withheld and
                        c.m[meas] is not None)
            stats["withheld"] += len(wh)
            pubs = [r for r in prow.get(g, ()) if r.m[meas] is not None]
            stats["published"] += len(pubs)
            if not wh:
                continue
            stats["groups"] += 1
            eqs = []
            for r in pubs:
                if r.area_type == "country" and "~" not in r.key:
                    u = unknown(r)
                    if u not in truth:
                        stats["model_errors"].append(
                            "no internal row for " + label(r, meas))
                        continue
                    eqs.append(({u: 1}, r.m[meas], {label(r, meas)}))
                    continue
                mem = model.members(r, fold)
                if use_counts and r.countries != len(
                        {c.area_code for c in mem}):
                    stats["refuted"] += 1
                    continue
                coef = {unknown(c): 1 for c in mem
                        if c.m[meas] is not None}
                eqs.append((coef, r.m[meas], {label(r, meas)}))
            ok, known = _eliminate(eqs, sorted(truth))
            if not ok:
                stats["inconsistent"] += 1
                continue
            for u in wh:
                if u not in known:
                    continue
                val, used = known[u]
                if val != truth[u]:
                    stats["wrong"] += 1
                    continue
                lk = Leak()
                lk.table, lk.year, lk.measure = g[0], g[1], meas
                lk.country, lk.key = u
                lk.value, lk.used = val, used
                leaks.append(lk)
    return leaks, stats


def leaky_public(internal):
    """The negative control: the retired rule at its worst -- every
    internal aggregate kept as it is, the withheld country rows (and GS9
    country rows naming a withheld partner) dropped, the internal columns
    gone.  An Export-like object."""
    class Leaky:
        pass
    out = Leaky()
    out.rows = {}
    for i, r in internal.rows.items():
        if r.area_type == "country" and (r.withheld or r.partner_withheld):
            continue
        out.rows[i] = r
    out.conflicts = []
    out.tables = internal.tables
    return out


def consenting_public(model, internal):
    """The positive control: what the rule asks for, built from the
    internal export -- consenting country rows (GS9: not naming a withheld
    partner), and every aggregate recomputed over its consenting members,
    counting them (absent when none).  An Export-like object."""
    class Ideal:
        pass
    out = Ideal()
    out.rows = {}
    cons = {}
    for c in model.crow:
        if not c.withheld:
            cons.setdefault(group(c), []).append(c)
    for i, r in internal.rows.items():
        if r.area_type == "country":
            if not (r.withheld or r.partner_withheld):
                out.rows[i] = r
            continue
        mem = [c for c in cons.get(group(r), ()) if model.maps_into(c, r)]
        if not mem:
            continue
        n = Row()
        for s in Row.__slots__:
            setattr(n, s, getattr(r, s))
        n.countries = len({c.area_code for c in mem})
        n.m = {}
        for m in r.m:
            v = [c.m[m] for c in mem if c.m[m] is not None]
            n.m[m] = sum(v) if v else None
        n.withheld = 0
        out.rows[i] = n
    out.conflicts = []
    out.tables = internal.tables
    return out


# ---------------------------------------------------------------------------
# Direct checks: no attacker model needed.

def direct(model, pub, folder=None):
    """Problems (strings) of a public export: an aggregate that is not the
    sum of the consenting member country rows or counts other countries, a
    share not the ratio (or mean) of what it stands on, a withheld country
    row, a consenting country row or world figure missing, two files
    disagreeing, a withheld country named in any cell of any file."""
    bad = ["%s and %s disagree on %r" % c for c in pub.conflicts]
    fold = folds(pub)
    cons = [c for c in model.crow if not c.withheld]
    by = {}
    for c in cons:
        by.setdefault(group(c), []).append(c)
    pubc = {}
    for r in pub.rows.values():
        if r.area_type == "country":
            pubc.setdefault(group(r), []).append(r)
    for r in pub.rows.values():
        t = r.table
        if r.area_type == "country":
            if (r.area_code, r.year) in model.withheld_cy or \
                    r.area_code in model.hidden_set:
                bad.append("withheld country row: " + label(r))
        mem = [c for c in by.get(group(r), ())
               if model.maps_into(c, r, fold)]
        if r.countries != len({c.area_code for c in mem}):
            bad.append("countries %s, consenting members %d: %s" % (
                r.countries, len({c.area_code for c in mem}), label(r)))
        for meas in TABLES[t][1]:
            vals = [c.m[meas] for c in mem if c.m[meas] is not None]
            want = sum(vals) if vals else None
            if r.m[meas] != want:
                bad.append("%s %s, consenting members give %s: %s" % (
                    meas, r.m[meas], want, label(r)))
        if t in RATIOS:
            a, b = RATIOS[t]
            rat = TABLES[t][2][0]
            want = None if not r.m[b] or r.m[a] is None else \
                Fraction(100 * r.m[a], r.m[b])
            if not close(r.r[rat], want):
                bad.append("%s %s, not 100*%s/%s: %s" % (
                    rat, r.r[rat], a, b, label(r)))
        if t == "gs3" and r.area_type != "country":
            sh = [c.r["share_pct"] for c in pubc.get(group(r), ())
                  if model.maps_into(c, r, fold) and c.r["share_pct"] is not None]
            want = sum(sh) / len(sh) if sh else None
            if not close(r.r["share_pct_mean"], want):
                bad.append("share_pct_mean %s, mean of published shares "
                           "%s: %s" % (r.r["share_pct_mean"], want, label(r)))
        if t == "gs8" and r.key[1] != "TOTAL":
            tot = {c.area_code: c.m["n"] for c in by.get(
                (t, r.year, (r.key[0], "TOTAL")), ())}
            num = den = 0
            for c in mem:
                if c.m["n"] is not None and (tot.get(c.area_code) or 0) > 0:
                    num += c.m["n"]
                    den += tot[c.area_code]
            want = Fraction(100 * num, den) if den else None
            if not close(r.r["share_pct"], want):
                bad.append("share_pct %s, consenting members give %s: %s"
                           % (r.r["share_pct"], want, label(r)))
    # coverage: every consenting country row (GS9: unless it names a
    # withheld partner) and every world figure with a consenting country
    # behind it is published
    seen = set(pub.rows)
    world = set()
    for c in cons:
        if c.table not in pub.tables:
            continue
        if c.ident() not in seen and not c.partner_withheld:
            bad.append("consenting country row missing: " + label(c))
        k = c.key
        if c.table == "gs9":
            k = (k[0],) + tuple(
                "~" if p and fold and model.partner_withheld(p, c.year)
                else model.up(p, "region") or "" for p in k[1:])
        world.add((c.table, "world", "001", c.year, k))
    for i in sorted(world - seen):
        bad.append("world figure missing: %r" % (i,))
    if folder is not None:
        bad += names(model, folder)
        bad += sdmx(pub, folder)
    return bad


def names(model, folder):
    """A withheld country's ISO3 code or name in any cell of any file of
    the folder, or its M49 code in any code cell (CSV: a column whose name
    ends in `code`, SDMX REF_AREA without leading zeros; a workbook: a
    text cell; JSON: a string).  Cells are compared whole."""
    words = set()
    codes = set()
    for c in model.hidden:
        words |= {model.iso3[c], model.name[c]}
        codes.add(c)
    bad = []

    def hit(where, v, code_col):
        if v in words or (code_col and v in codes):
            bad.append("withheld country named: %s: %r" % (where, v))

    for f in sorted(os.listdir(folder)):
        p = os.path.join(folder, f)
        if f.startswith(".") or not os.path.isfile(p):
            continue
        if f.endswith(".csv"):
            text = open(p, encoding="utf-8-sig").read()
            head = None
            for row in csv.reader(io.StringIO(text, newline="")):
                if head is None and row and row[0] in (
                        "area_type", "DATAFLOW", "Iso3_code"):
                    head = row
                for i, v in enumerate(row):
                    col = head[i] if head and i < len(head) else ""
                    if col == "REF_AREA":
                        hit(f, v.zfill(3), True)
                    hit(f, v, col.lower().endswith("code"))
        elif f.endswith(".json"):
            def walk(x):
                if isinstance(x, dict):
                    for k, v in x.items():
                        walk(k)
                        walk(v)
                elif isinstance(x, list):
                    for v in x:
                        walk(v)
                elif isinstance(x, str):
                    hit(f, x, True)
            walk(json.load(open(p, encoding="utf-8")))
        elif f.endswith(".xlsx"):
            wb = openpyxl.load_workbook(p, read_only=True)
            try:
                for ws in wb.worksheets:
                    for row in ws.iter_rows(values_only=True):
                        for v in row:
                            if isinstance(v, str):
                                hit(f + ":" + ws.title, v, True)
            finally:
                wb.close()
            with zipfile.ZipFile(p) as z:  # shared strings, charts
                for n in z.namelist():
                    t = z.read(n).decode("utf-8", "replace")
                    for w in words:
                        if ">%s<" % w in t:
                            bad.append("withheld country named: %s:%s: %r"
                                       % (f, n, w))
        else:
            bad.append("unexpected file in the public folder: " + f)
    return bad


def sdmx(pub, folder):
    """sdmx_16_4_2.csv holds the public sdg_16_4_2 rows and nothing else:
    one row per area code and year, OBS_VALUE the value to 2 decimals,
    COMMENT_OBS the count of an area."""
    p = os.path.join(folder, "sdmx_16_4_2.csv")
    if not os.path.exists(p):
        return []
    want = {}
    for r in pub.rows.values():
        if r.table == "sdg_16_4_2" and r.r["value"] is not None:
            v = decimal.Decimal(r.r["value"].numerator) / \
                decimal.Decimal(r.r["value"].denominator)
            obs = str(v.quantize(decimal.Decimal("0.01"),
                                 rounding=decimal.ROUND_HALF_UP))
            cnt = "" if r.area_type == "country" else \
                "based on %d countries" % r.countries
            want[(str(int(r.area_code)), str(r.year))] = (obs, cnt)
    got = {}
    for d in read_csv_dicts(p):
        got[(d["REF_AREA"], d["TIME_PERIOD"])] = (d["OBS_VALUE"],
                                                  d["COMMENT_OBS"])
    bad = []
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            bad.append("sdmx %r: %r, public sdg_16_4_2 gives %r" % (
                k, got.get(k), want.get(k)))
    return bad
