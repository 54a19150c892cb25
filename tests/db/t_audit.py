"""The disclosure audit in the build (issue 10, IAFQ-SPEC section 5;
docs/audit.md): a public and an internal export of a world with withheld
countries, read back from their files, and proved by exact linear algebra
to let no withheld figure be worked out by adding and subtracting
published figures; every public aggregate the sum of its consenting
countries, counting them; no withheld country named in any cell; every
world figure with a consenting country behind it published.  A negative
control proves the audit finds leaks when there are some."""
import os
import shutil

import audit
import dbt as h

SAMPLE = os.path.join(h.ROOT, "data", "dataunodc_iafq_sample.csv")
M49 = os.path.join(h.ROOT, "data", "m49.csv")

# The real extract, with four countries that withdraw their consent by a
# newer return (CONSENT = NO) for their last year, carrying the very figures
# the extract gave: Spain and Slovenia (Southern Europe), Luxembourg
# (Western Europe), Mexico (Latin America and the Caribbean).  Europe and
# SDG region 513 hold three of them in 2016-2020, the world all four.
WITHDRAW = [("ESP", 2020), ("SVN", 2021), ("LUX", 2020), ("MEX", 2020)]

COLS = {"T1": ["SEIZED", "FOUND", "SURRENDERED"], "T2": ["VALUE"],
        "T3": ["SEIZED"], "T4": ["SEIZED"], "T5": ["SEIZED"],
        "T6": ["SEIZED", "FOUND", "SURRENDERED"], "T7": ["SEIZED"],
        "T8": ["SEIZED", "FOUND", "SURRENDERED"],
        "T9": ["MALE", "FEMALE", "UNKNOWN", "TOTAL"], "T10": ["TOTAL"]}


def no_return(db, path, iso3, year):
    """A CSV return (a folder, spec section 2) of iso3-year with CONSENT =
    NO and the figures of its current return (W-TOTAL-DERIVED totals left
    for iafq to derive again)."""
    vals = {}
    for tbl, row, col, n in h.psql(
            db, "SELECT v.tbl, v.row_code, v.col_code, v.n "
            "FROM iafq.current_submissions AS cs "
            "JOIN iafq.value AS v ON v.submission_id = cs.id "
            "WHERE cs.country = '%s' AND cs.year = %d AND NOT v.derived"
            % (iso3, year)):
        vals[(tbl, row, col)] = n
    assert vals, (iso3, year)
    rows = {}
    for tbl, row in h.psql(db, "SELECT tbl, row_code FROM iafq.table_row "
                           "ORDER BY tbl, ord"):
        rows.setdefault(tbl, []).append(row)
    os.makedirs(path)
    with open(os.path.join(path, "COVER.csv"), "w", newline="") as f:
        f.write("CODE;LABEL;VALUE\r\nCOUNTRY;Country;%s\r\nYEAR;Year;%d\r\n"
                "CONSENT;Consent;NO\r\nVERSION;Version;IAFQ-1\r\n"
                % (iso3, year))
    for tbl, cols in COLS.items():
        with open(os.path.join(path, tbl + ".csv"), "w", newline="") as f:
            f.write(";".join(["CODE", "LABEL"] + cols) + "\r\n")
            for row in rows[tbl]:
                f.write(";".join([row, row] + [vals.get((tbl, row, c), "")
                                               for c in cols]) + "\r\n")
    with open(os.path.join(path, "T11.csv"), "w", newline="") as f:
        f.write("CODE;DATE;ARM_TYPE;QUANTITY;MANUFACTURE_COUNTRY;"
                "DEPARTURE_COUNTRY;DESTINATION_COUNTRY\r\n")
    return vals


def exports(ci, name):
    pub = os.path.join(h.TMP, name + "-public")
    internal = os.path.join(h.TMP, name + "-internal")
    for d, scope in ((pub, "--public"), (internal, "--internal")):
        shutil.rmtree(d, ignore_errors=True)
        r = h.iafq(ci, "export", "-o", d, scope)
        assert r.returncode == 0, r.stderr
    return pub, internal


def real_world():
    db = "t_audit_real"
    ci = h.fresh(db)
    r = h.iafq(ci, "ingest", SAMPLE)
    assert r.returncode == 0, r.stdout + r.stderr
    paths = []
    for iso3, year in WITHDRAW:
        p = os.path.join(h.TMP, "no-%s-%d" % (iso3, year))
        shutil.rmtree(p, ignore_errors=True)
        no_return(db, p, iso3, year)
        paths.append(p)
    r = h.iafq(ci, "ingest", *paths)
    assert r.returncode == 0, r.stdout + r.stderr
    r = h.iafq(ci, "aggregate")
    assert r.returncode == 0, r.stderr
    return exports(ci, "real")


def demo_world():
    """What `make demo` ingests (tools/demo.sh): France's 2021 return says
    CONSENT = NO."""
    ci = h.fresh("t_audit_demo")
    s = os.path.join(h.ROOT, "samples")
    r = h.iafq(ci, "ingest", os.path.join(s, "esp-2021.xlsx"),
               os.path.join(s, "esp-2021-csv"),
               os.path.join(s, "fra-2021-warnings.xlsx"),
               os.path.join(s, "mar-2021-errors.xlsx"), SAMPLE)
    assert r.returncode == 1, r.stdout + r.stderr  # the Moroccan one
    r = h.iafq(ci, "aggregate")
    assert r.returncode == 0, r.stderr
    return exports(ci, "demo")


def report(name, model, pub_leaks, pub_stats, leaky, problems):
    print("     %s: %d withheld figures (%s), %d published figures; "
          "derivable: %d public, %d under the retired rule (control); "
          "%d direct-check problems" % (
              name, pub_stats["withheld"],
              " ".join(model.iso3[c] for c in model.hidden),
              pub_stats["published"], len(pub_leaks), len(leaky),
              len(problems)))
    for lk in pub_leaks[:10]:
        print("       leak: %s" % lk)
    for p in problems[:10]:
        print("       problem: %s" % p)


def check(name, pub_dir, int_dir, want_hidden):
    internal = audit.load(int_dir)
    pub = audit.load(pub_dir)
    assert internal.conflicts == [], internal.conflicts[:3]
    model = audit.Model(M49, internal)
    assert sorted(model.iso3[c] for c in model.hidden) == \
        sorted(want_hidden), model.hidden
    # the model is right: every internal aggregate is the sum of every
    # internal member country row and counts them (what the attacker is
    # assumed to know about how aggregates are made)
    for r in internal.rows.values():
        if r.area_type == "country":
            continue
        mem = model.members(r)
        assert r.countries == len({c.area_code for c in mem}), \
            audit.label(r)
        for m in audit.TABLES[r.table][1]:
            v = [c.m[m] for c in mem if c.m[m] is not None]
            assert r.m[m] == (sum(v) if v else None), audit.label(r, m)
    # negative control: internal aggregates kept, withheld rows dropped
    leaky, st = audit.derivable(model, audit.leaky_public(internal))
    assert st["model_errors"] == [], st["model_errors"][:3]
    assert len(leaky) > 0, "the audit cannot find a leak"
    # the name check can fail: the internal export names them
    assert audit.names(model, int_dir) != []
    # positive control: the rule applied to the internal export (aggregates
    # over consenting countries) leaks nothing, though many withheld
    # figures are 0 (the attacker's sums then agree with the published ones
    # unless the published counts refute them)
    ideal = audit.consenting_public(model, internal)
    ok, st = audit.derivable(model, ideal)
    assert ok == [] and st["model_errors"] == [], ok[:3]
    assert st["refuted"] > 0, st
    zeros, _ = audit.derivable(model, ideal, use_counts=False)
    assert all(lk.value == 0 for lk in zeros), zeros[:3]
    print("     %s: control with the rule: 0 derivable; %d refuted aggregates"
          " (%d withheld zeros an attacker ignoring the counts would "
          "'derive')" % (name, st["refuted"], len(zeros)))
    leaks, stats = audit.derivable(model, pub)
    problems = audit.direct(model, pub, pub_dir)
    report(name, model, leaks, stats, leaky, problems)
    assert stats["withheld"] > 0
    assert stats["model_errors"] == [], stats["model_errors"][:3]
    assert leaks == [], "%d withheld figures derivable, e.g. %s" % (
        len(leaks), leaks[0])
    assert problems == [], "%d problems, e.g. %s" % (len(problems),
                                                     problems[0])
    return model, leaky


def test_audit_real_extract():
    """The real extract (40 countries, 166 country-years) with ESP, SVN,
    LUX and MEX withheld by a newer CONSENT = NO return: no withheld figure
    derivable from the public export, every public aggregate the sum of
    its consenting members, no withheld country named, every world figure
    with a consenting country behind it published; the retired rule leaks
    (control)."""
    pub, internal = real_world()
    check("real extract", pub, internal, [i for i, _ in WITHDRAW])


def test_audit_demo():
    """The bundled demo (France 2021 withheld): the same audit; the control
    finds France's FOUND 2021 = 20 as World 416 - Myanmar 326 - Spain 70."""
    pub, internal = demo_world()
    model, leaky = check("demo", pub, internal, ["FRA"])
    found = [lk for lk in leaky if (lk.table, lk.key, lk.year, lk.measure,
                                    lk.country) ==
             ("gs1", ("FOUND",), 2021, "n", "250")]
    assert [lk.value for lk in found] == [20], found


TESTS = [test_audit_real_extract, test_audit_demo]
