"""iafq export, whole processes against a real cluster: SDMX 16.4.2 equal
to iafq.sdg_16_4_2 row by row, every CSV equal to its view, the disclosure
rule in every file a public export writes (a world where a country that
did not consent stands behind aggregates at each area level; more in
t_disclosure.py), an export
killed with SIGKILL mid-way, a full disk, an unwritable folder, no run
yet, and `iafq run` listing its exports."""
import csv
import decimal
import io
import json
import os
import re
import shutil
import signal
import subprocess
import time
import zipfile

import dbt as h

SAMPLE = os.path.join(h.ROOT, "data", "dataunodc_iafq_sample.csv")

# IAFQ-SPEC 6.5, verbatim
SDMX_HEADER = (
    "DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,URBANISATION,"
    "INCOME_WEALTH_QUANTILE,EDUCATION_LEV,OCCUPATION,CUST_BREAKDOWN,"
    "COMPOSITE_BREAKDOWN,DISABILITY_STATUS,ACTIVITY,PRODUCT,TIME_PERIOD,"
    "OBS_VALUE,OBS_STATUS,UNIT_MULT,UNIT_MEASURE,BASE_PER,NATURE,TIME_DETAIL,"
    "COMMENT_OBS,TIME_COVERAGE,UPPER_BOUND,LOWER_BOUND,SOURCE_DETAIL,"
    "COMMENT_TS,GEO_INFO_URL,GEO_INFO_TYPE,CUST_BREAKDOWN_LB,DATA_LAST_UPDATE")
BREAKDOWNS = ("SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE",
              "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN",
              "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY",
              "PRODUCT")
EMPTY = ("BASE_PER", "TIME_DETAIL", "TIME_COVERAGE", "UPPER_BOUND",
         "LOWER_BOUND", "COMMENT_TS", "GEO_INFO_URL", "GEO_INFO_TYPE",
         "CUST_BREAKDOWN_LB")
VIEWS = ("gs1", "gs2", "gs3", "gs4", "gs5", "gs6", "gs7", "gs8", "gs9",
         "sdg_16_4_2", "sdg_16_4_2_by_column", "sdg_16_4_2_by_tracing")


def export(ci, out, *args, **kw):
    return h.iafq(ci, "export", "-o", out, *args, **kw)


def read_csv(path):
    """Rows of an exported CSV file, after checking its bytes: UTF-8 and
    every line ended by CRLF (RFC 4180)."""
    data = open(path, "rb").read()
    text = data.decode("utf-8")  # strict: raises on an invalid byte
    assert not text.startswith("\ufeff"), path
    assert data.endswith(b"\r\n"), path
    assert re.search(rb"(?<!\r)\n", data) is None, path + ": a bare LF"
    return list(csv.reader(io.StringIO(text, newline="")))


def files_of(d):
    """The exported files of folder d (not the hidden temporary ones)."""
    return sorted(f for f in os.listdir(d) if not f.startswith("."))


def snapshot(d):
    return {f: open(os.path.join(d, f), "rb").read() for f in files_of(d)}


def ingest_sample(db):
    ci = h.fresh(db)
    out = h.iafq(ci, "ingest", SAMPLE)
    assert out.returncode == 0, out.stderr
    out = h.iafq(ci, "aggregate")
    assert out.returncode == 0, out.stderr
    return ci


def test_export_sdmx_equals_view():
    """SDMX-CSV: the header of spec 6.5, the constant columns, and one row
    per area code and year with the value of iafq.sdg_16_4_2 rounded to 2
    decimals, REF_AREA without leading zeros, NATURE C/G, COMMENT_OBS for
    areas, DATA_LAST_UPDATE the run's time; 202, 419, 053 once."""
    ci = ingest_sample("t_sdmx")
    out = os.path.join(h.TMP, "sdmx")
    r = export(ci, out, "--format", "sdmx")
    assert r.returncode == 0, r.stderr
    # the SDMX file, then changes.csv, which every export writes
    lines = r.stdout.splitlines()
    assert [x.split("\t")[0] for x in lines] == [
        "%s/sdmx_16_4_2.csv" % out, "%s/changes.csv" % out], lines
    rows = read_csv(os.path.join(out, "sdmx_16_4_2.csv"))
    assert ",".join(rows[0]) == SDMX_HEADER, rows[0]
    col = {name: i for i, name in enumerate(rows[0])}
    finished = h.psql("t_sdmx", "SELECT to_char(finished AT TIME ZONE 'UTC', "
                      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM "
                      "iafq.latest_run")[0][0]
    want = {}
    types = {}
    for area_type, code, year, value, countries in h.psql(
            "t_sdmx", "SELECT area_type, area_code, year, value, countries "
            "FROM iafq.sdg_16_4_2"):
        key = (str(int(code)), year)
        obs = str(decimal.Decimal(value).quantize(
            decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))
        country = area_type == "country"
        row = (obs, "C" if country else "G",
               "" if country else "based on %s countries" % countries)
        # a code both sub-region and SDG region: the same figures
        assert want.setdefault(key, row) == row, (key, row, want[key])
        types.setdefault(code, set()).add(area_type)
    both = [c for c in ("202", "419", "053")
            if types.get(c) == {"subregion", "sdg_region"}]
    assert both, "the sample has no code that is both: the test proves less"
    got = {}
    for r in rows[1:]:
        assert len(r) == len(rows[0]), r
        assert (r[col["DATAFLOW"]], r[col["FREQ"]], r[col["REPORTING_TYPE"]],
                r[col["SERIES"]]) == ("IAEG-SDGs:DF_SDG_GLH(1.24)", "A", "G",
                                      "VC_ARM_SZTRACE"), r
        assert all(r[col[b]] == "_T" for b in BREAKDOWNS), r
        assert all(r[col[e]] == "" for e in EMPTY), r
        assert (r[col["OBS_STATUS"]], r[col["UNIT_MULT"]],
                r[col["UNIT_MEASURE"]], r[col["SOURCE_DETAIL"]]) == (
                    "A", "0", "PERCENT", "IAFQ"), r
        assert r[col["DATA_LAST_UPDATE"]] == finished, r
        assert re.fullmatch(r"[1-9][0-9]*", r[col["REF_AREA"]]), r
        assert re.fullmatch(r"[0-9]+\.[0-9]{2}", r[col["OBS_VALUE"]]), r
        key = (r[col["REF_AREA"]], r[col["TIME_PERIOD"]])
        assert key not in got, "REF_AREA and TIME_PERIOD twice: %r" % (key,)
        got[key] = (r[col["OBS_VALUE"]], r[col["NATURE"]],
                    r[col["COMMENT_OBS"]])
    assert got == want, sorted(set(got.items()) ^ set(want.items()))[:6]
    # Brazil 2017 (worked out by hand in t_pipeline): 26.09 %, a country
    assert got[("76", "2017")] == ("26.09", "C", "")


RATIOS = {"share_pct", "share_pct_mean", "value"}


def test_export_csv_equals_views():
    """Each CSV (internal and public) is its view: the view's columns in
    order as the header, then exactly the view's rows, numbers as
    PostgreSQL writes them but ratios at a fixed scale of 4 decimals,
    booleans as true/false."""
    ci = ingest_sample("t_csv")
    # a return with T11 rows, for GS9
    r = h.iafq(ci, "ingest", os.path.join(h.ROOT, "samples", "esp-2021.xlsx"))
    assert r.returncode == 0, r.stderr
    assert h.iafq(ci, "aggregate").returncode == 0
    for scope, schema in (("--internal", "iafq"), ("--public", "iafq_public")):
        out = os.path.join(h.TMP, "csv" + scope)
        r = export(ci, out, scope, "--format", "csv")
        assert r.returncode == 0, r.stderr
        want = [v + ".csv" for v in VIEWS] + ["changes.csv"]
        assert files_of(out) == sorted(want), files_of(out)
        listed = [line.split("\t")[0] for line in r.stdout.splitlines()]
        assert sorted(listed) == sorted(os.path.join(out, f)
                                        for f in want), listed
        for v in VIEWS:
            rows = read_csv(os.path.join(out, v + ".csv"))
            cols = [c[0] for c in h.psql(
                "t_csv", "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = '%s' AND table_name = '%s' ORDER BY "
                "ordinal_position" % (schema, v))]
            assert rows[0] == cols, (v, rows[0], cols)
            # as docs/decisions.md "Export presentation" says: ratios
            # rounded to 4 decimals as PostgreSQL's round() does, booleans
            # as true/false, everything else as PostgreSQL writes it
            sel = ["round(%s, 4)" % c if c in RATIOS else
                   "CASE %s WHEN true THEN 'true' WHEN false THEN 'false' END"
                   % c if c == "partner_withheld" else c for c in cols]
            want = h.psql("t_csv", "SELECT %s FROM %s.%s" % (
                ", ".join(sel), schema, v))
            assert len(rows) > 1, v + ": no row: the test proves less"
            assert sorted(rows[1:]) == sorted(want), (scope, v)


def csv_return(path, country, year, consent, t11):
    """A CSV return (the sample folder's tables) of country-year with
    CONSENT and T11 rows (manufacture, departure, destination)."""
    shutil.copytree(os.path.join(h.ROOT, "samples", "esp-2021-csv"), path)
    with open(os.path.join(path, "COVER.csv"), "w", newline="") as f:
        f.write("CODE;LABEL;VALUE\r\nCOUNTRY;Country;%s\r\nYEAR;Year;%s\r\n"
                "CONSENT;Consent;%s\r\nVERSION;Version;IAFQ-1\r\n"
                % (country, year, consent))
    with open(os.path.join(path, "T11.csv"), "w", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["CODE", "DATE", "ARM_TYPE", "QUANTITY",
                    "MANUFACTURE_COUNTRY", "DEPARTURE_COUNTRY",
                    "DESTINATION_COUNTRY"])
        for i, (m, d, t) in enumerate(t11):
            w.writerow(["S-%d" % i, "%s-03-15" % year, "PISTOL", 2, m, d, t])
    return path


# Austria (AUT, 040) says CONSENT NO in every return: in everything public
# it is treated as a country that did not report (IAFQ-SPEC section 5).
#   2019: AUT DEU ESP ITA  Western Europe (155) = AUT DEU: DEU alone
#         publicly; Europe, SDG 513, the world: 3 publicly
#   2020: AUT DEU FRA ESP  155 = AUT DEU FRA: DEU FRA publicly
#   2021: AUT DEU          every level (155, 150, SDG 513, world): DEU alone
# DEU's T11 of 2020 names Austria as the country of manufacture and of
# departure: there the partner is "Not published".
WORLD = [("AUT", 2019, "NO"), ("DEU", 2019, "YES"), ("ESP", 2019, "YES"),
         ("ITA", 2019, "YES"),
         ("AUT", 2020, "NO"), ("DEU", 2020, "YES"), ("FRA", 2020, "YES"),
         ("ESP", 2020, "YES"),
         ("AUT", 2021, "NO"), ("DEU", 2021, "YES")]
WITHHELD = {"iso3": "AUT", "m49": "040", "name": "Austria"}


def disclosure_world(db):
    ci = h.fresh(db)
    paths = []
    for iso3, year, consent in WORLD:
        t11 = [("USA", "USA", iso3)]
        if (iso3, year) == ("DEU", 2020):
            t11.append(("AUT", "AUT", "DEU"))
        paths.append(csv_return(os.path.join(h.TMP, "%s-%d" % (iso3, year)),
                                iso3, year, consent, t11))
    out = h.iafq(ci, "ingest", *paths)
    assert out.returncode == 0, out.stdout + out.stderr
    out = h.iafq(ci, "aggregate")
    assert out.returncode == 0, out.stderr
    return ci


def texts(path):
    """The text of an exported file, and of every member when it is a zip
    (xlsx): (where, text) pairs."""
    data = open(path, "rb").read()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                yield path + ":" + name, z.read(name).decode("utf-8",
                                                             "replace")
    else:
        yield path, data.decode("utf-8", "replace")


def mentions(text):
    """Which of the withheld country's code, M49 code or name the text
    holds."""
    found = []
    if re.search(r"\bAUT\b", text):
        found.append("AUT")
    if re.search(r"(?<![0-9.])040(?![0-9])", text):
        found.append("040")
    if "Austria" in text:
        found.append("Austria")
    return found


def area_rows(path):
    rows = read_csv(path)
    col = {c: i for i, c in enumerate(rows[0])}
    return {(r[col["area_type"]], r[col["area_code"]], r[col["year"]],
             r[col["arms"]]): r[col["n"]] + "/" + r[col["countries"]]
            for r in rows[1:]}


def test_export_disclosure_every_format():
    """--public: the withheld country appears in no file the export wrote
    (whatever formats this build has: every file in DIR is searched, xlsx
    unzipped), by ISO3 code, M49 code or name; at each area level every
    aggregate stands on the consenting countries alone and counts them
    (IAFQ-SPEC section 5).  The internal export has all of it."""
    ci = disclosure_world("t_discl")
    pub = os.path.join(h.TMP, "public")
    internal = os.path.join(h.TMP, "internal")
    r = export(ci, pub, "--public")
    assert r.returncode == 0, r.stderr
    r = export(ci, internal)
    assert r.returncode == 0, r.stderr
    assert files_of(pub) == files_of(internal)
    assert "sdmx_16_4_2.csv" in files_of(pub) and "gs9.csv" in files_of(pub)
    seen_internal = set()
    for f in files_of(pub):
        for where, text in texts(os.path.join(pub, f)):
            assert mentions(text) == [], (where, mentions(text))
        for where, text in texts(os.path.join(internal, f)):
            seen_internal.update(mentions(text))
    # (the CSV files name countries by M49 code and name; ISO3 codes are
    # in the portal's files)
    assert {"040", "Austria"} <= seen_internal, seen_internal
    # SDMX writes M49 codes without leading zeros
    rows = read_csv(os.path.join(pub, "sdmx_16_4_2.csv"))
    assert "40" not in {r[4] for r in rows[1:]}
    rows = read_csv(os.path.join(internal, "sdmx_16_4_2.csv"))
    assert "40" in {r[4] for r in rows[1:]}
    # every area level: the aggregates stand on the consenting countries
    # alone (every return has the same figures: n = countries x one's)
    pub1 = area_rows(os.path.join(pub, "gs1.csv"))
    int1 = area_rows(os.path.join(internal, "gs1.csv"))
    one = int(int1[("country", "276", "2019", "TOTAL")].split("/")[0])
    want = {("subregion", "155", "2019"): 1, ("region", "150", "2019"): 3,
            ("sdg_region", "513", "2019"): 3, ("world", "001", "2019"): 3,
            ("subregion", "155", "2020"): 2, ("region", "150", "2020"): 3,
            ("world", "001", "2020"): 3, ("subregion", "155", "2021"): 1,
            ("region", "150", "2021"): 1, ("sdg_region", "513", "2021"): 1,
            ("world", "001", "2021"): 1, ("country", "276", "2021"): 1}
    for key, k in want.items():
        assert pub1[key + ("TOTAL",)] == "%d/%d" % (k * one, k), key
        # internally Austria counts (but in the country rows of others)
        if key[0] != "country":
            assert int1[key + ("TOTAL",)] == "%d/%d" % ((k + 1) * one, k + 1), key
    for year in ("2019", "2020", "2021"):
        assert ("country", "040", year, "TOTAL") in int1
        assert ("country", "040", year, "TOTAL") not in pub1


def test_export_public_reads_as_portal():
    """--public connects as iafq_portal: taking that role's right on one
    public view makes the export fail (exit 2) and write nothing, while an
    internal export still works."""
    ci = ingest_sample("t_portal")
    h.psql("t_portal", "REVOKE SELECT ON iafq_public.gs3 FROM iafq_portal")
    out = os.path.join(h.TMP, "portal")
    r = export(ci, out, "--public", "--format", "csv")
    assert r.returncode == 2, (r.returncode, r.stderr)
    # only iafq_portal lost the right (the superuser of --db has them all)
    assert "permission denied for view gs3" in r.stderr, r.stderr
    assert not os.path.exists(out) and releases("portal") == []
    r = export(ci, out, "--internal", "--format", "csv")
    assert r.returncode == 0, r.stderr


def waiting_on_lock(db):
    return h.psql(db, "SELECT count(*) FROM pg_stat_activity WHERE "
                  "application_name = 'iafq' AND wait_event_type = 'Lock'"
                  )[0][0] != "0"


def test_export_sigkill_keeps_previous():
    """An export killed with SIGKILL mid-way (some files complete in their
    temporary files, the next one waiting for a table) leaves the previous
    export byte for byte; the next export then replaces it whole."""
    ci = ingest_sample("t_expkill")
    out = os.path.join(h.TMP, "kill")
    r = export(ci, out)
    assert r.returncode == 0, r.stderr
    before = snapshot(out)
    assert "gs9.csv" in before and "gs1.csv" in before
    # new data, a new run: the next export would differ
    r = h.iafq(ci, "ingest", os.path.join(h.ROOT, "samples", "esp-2021.xlsx"))
    assert r.returncode == 0, r.stderr
    assert h.iafq(ci, "aggregate").returncode == 0
    # hold the returns' values so that the export stops at the portal
    # files, after the workbook and the CSV tables are complete
    locker = subprocess.Popen(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
         h.conninfo("t_expkill")], stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    locker.stdin.write("BEGIN;\nLOCK TABLE iafq.value IN ACCESS EXCLUSIVE "
                       "MODE;\nSELECT pg_sleep(300);\n")
    locker.stdin.flush()
    try:
        for _ in range(1000):
            if h.psql("t_expkill", "SELECT count(*) FROM pg_locks l JOIN "
                      "pg_class c ON c.oid = l.relation WHERE c.relname = "
                      "'value' AND l.mode = 'AccessExclusiveLock' AND "
                      "l.granted")[0][0] == "1":
                break
            time.sleep(0.01)
        p = subprocess.Popen([h.IAFQ, "--db", ci, "export", "-o", out],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        seen = False
        for _ in range(1500):
            if waiting_on_lock("t_expkill"):
                seen = True
                break
            if p.poll() is not None:
                break
            time.sleep(0.01)
        temps = [os.path.join(h.TMP, d, f) for d in releases("kill")
                 if d != os.readlink(out)
                 for f in os.listdir(os.path.join(h.TMP, d))]
        written = [f for f in temps if os.path.getsize(f) > 0]
        p.send_signal(signal.SIGKILL)
        p.wait()
        assert seen, "the export was never seen waiting for the values"
        assert written, "no file was complete before the kill: %r" % temps
        assert snapshot(out) == before
    finally:
        locker.kill()
        locker.wait()
        # the server would hold the lock until pg_sleep ends: end it now
        h.psql("t_expkill", "SELECT pg_terminate_backend(pid) FROM "
               "pg_stat_activity WHERE query LIKE '%pg_sleep(300)%' AND "
               "pid <> pg_backend_pid()")
    r = export(ci, out)
    assert r.returncode == 0, r.stderr
    after = snapshot(out)
    assert set(after) == set(before)
    assert after != before, "the new run changed nothing: the test proves less"
    # the killed export's release is gone; the current one and the one it
    # replaced are kept
    assert len(releases("kill")) == 2, releases("kill")


def releases(base):
    """The release folders of export folder h.TMP/base (export/plan.h)."""
    return sorted(f for f in os.listdir(h.TMP)
                  if f.startswith("." + base + ".iafq-"))


def test_export_killed_at_every_step():
    """IAFQ_TEST_KILL_AT=N kills the export at its Nth step (each file, each
    fsync, the link, the switch, each leftover removed), for every N in
    turn: DIR always holds exactly the files of one run, byte for byte
    either the previous export or the new one; the next export removes the
    killed ones' releases (issue 10 item 6)."""
    ci = ingest_sample("t_steps")
    out = os.path.join(h.TMP, "steps")
    fmts = ("--format", "csv,sdmx,json")
    assert export(ci, out, *fmts).returncode == 0
    old = snapshot(out)
    assert h.iafq(ci, "ingest", os.path.join(
        h.ROOT, "samples", "esp-2021.xlsx")).returncode == 0
    assert h.iafq(ci, "aggregate").returncode == 0
    ref = os.path.join(h.TMP, "steps-ref")
    assert export(ci, ref, *fmts).returncode == 0
    new = snapshot(ref)
    assert new != old and set(new) == set(old)
    killed = 0
    for n in range(1, 200):
        env = dict(os.environ, IAFQ_TEST_KILL_AT=str(n))
        r = export(ci, out, *fmts, env=env)
        now = snapshot(out)
        assert now in (old, new), n
        if r.returncode == 0:
            break
        assert r.returncode == -signal.SIGKILL, (n, r.returncode, r.stderr)
        killed += 1
        # the run ids agree: every file's DATA_LAST_UPDATE / run is one
        old = now
    else:
        raise AssertionError("the export never finished")
    assert killed > len(new), killed  # a step per file at least
    assert snapshot(out) == new
    assert export(ci, out, *fmts).returncode == 0
    assert len(releases("steps")) == 2, releases("steps")


def fault_shim():
    p = os.path.join(os.path.dirname(h.IAFQ), "tests", "libiafqfault.so")
    return p if os.path.exists(p) else None


def test_export_full_disk():
    """A write that fails with ENOSPC (the fault shim, not under ASan):
    exit 2, the reason on stderr, the previous export unchanged and no
    temporary file left behind."""
    shim = fault_shim()
    if not shim:
        return  # sanitizer build: the shim is not built
    ci = ingest_sample("t_full")
    out = os.path.join(h.TMP, "full")
    assert export(ci, out, "--format", "csv,sdmx").returncode == 0
    before = snapshot(out)
    assert h.iafq(ci, "ingest", os.path.join(
        h.ROOT, "samples", "esp-2021.xlsx")).returncode == 0
    assert h.iafq(ci, "aggregate").returncode == 0
    log = os.path.join(h.TMP, "fault.log")
    for n in (1, 40, 4000):
        if os.path.exists(log):
            os.unlink(log)
        env = dict(os.environ, LD_PRELOAD=shim, IAFQ_FAULT_WRITE=str(n),
                   IAFQ_FAULT_LOG=log)
        r = export(ci, out, "--format", "csv,sdmx", env=env)
        assert "hit write %d" % n in open(log).read(), n
        assert r.returncode == 2, (n, r.returncode, r.stderr)
        assert "No space left on device" in r.stderr, r.stderr
        assert "previous export is left" in r.stderr, r.stderr
        assert r.stdout == "", r.stdout
        assert snapshot(out) == before, n
        assert [f for f in os.listdir(out) if f.startswith(".")] == []


def test_export_unwritable_dir():
    """An output folder that cannot be made or written into: exit 2 and a
    clear message, nothing written."""
    ci = ingest_sample("t_unwr")
    afile = os.path.join(h.TMP, "a-file")
    open(afile, "w").close()
    r = export(ci, os.path.join(afile, "out"))
    assert r.returncode == 2, r.stderr
    assert "cannot create the output folder" in r.stderr, r.stderr
    r = export(ci, afile)
    assert r.returncode == 2, r.stderr
    assert "cannot write into" in r.stderr, r.stderr
    # a folder where no file can be created, even by root
    r = export(ci, "/proc/self", "--format", "csv")
    assert r.returncode == 2, r.stderr
    assert re.search(r"cannot write (in|into) '/proc/self'", r.stderr), \
        r.stderr
    assert r.stdout == ""
    if os.geteuid() != 0:
        ro = os.path.join(h.TMP, "ro")
        os.makedirs(ro)
        os.chmod(ro, 0o555)
        r = export(ci, ro)
        assert r.returncode == 2, r.stderr
        assert os.listdir(ro) == []


def test_export_no_run():
    """No aggregation run yet: exit 2 with a hint, internal and public."""
    ci = h.fresh("t_norun")
    assert h.iafq(ci, "history", "ESP").returncode == 0  # migrate
    for scope in ("--internal", "--public"):
        out = os.path.join(h.TMP, "norun" + scope)
        r = export(ci, out, scope)
        assert r.returncode == 2, (scope, r.returncode, r.stderr)
        assert "there is no aggregation run to export" in r.stderr, r.stderr
        assert "hint: run 'iafq aggregate'" in r.stderr, r.stderr
        assert not os.path.exists(out)
        assert releases("norun" + scope) == []


def test_run_lists_exports():
    """`iafq run -o DIR` ends with the internal export of every format this
    build has, prints the files and lists them in run.json."""
    ci = h.fresh("t_runexp")
    out = os.path.join(h.TMP, "runexp")
    r = h.iafq(ci, "run", "-o", out, os.path.join(h.ROOT, "samples",
                                                  "esp-2021.xlsx"))
    assert r.returncode == 0, r.stderr
    run = json.load(open(os.path.join(out, "run.json")))
    listed = [e["file"] for e in run["exports"]]
    assert sorted(listed + ["run.json"]) == files_of(out), (listed,
                                                             files_of(out))
    assert all(e["scope"] == "internal" and
               e["run"] == run["aggregation"]["run"] for e in run["exports"])
    assert {"gs1.csv", "sdmx_16_4_2.csv"} <= set(listed)
    for f in listed:
        assert "%s/%s\t" % (out, f) in r.stdout, f


TESTS = [test_export_killed_at_every_step, test_export_sdmx_equals_view, test_export_csv_equals_views,
         test_export_disclosure_every_format,
         test_export_public_reads_as_portal,
         test_export_sigkill_keeps_previous, test_export_full_disk,
         test_export_unwritable_dir, test_export_no_run,
         test_run_lists_exports]
