"""The command line (issue 12, items 3 and 6): `iafq help [COMMAND]` and
--help after every command and subcommand, within 80 columns; one message
per mistake; --db after a command explained; `history` of every country
(those without one included), --limit, the order by year, an unknown M49
code refused."""
import json
import os
import re
import subprocess

import dbt as h

SAMPLES = os.path.join(h.ROOT, "samples")
LONG = os.path.join(h.ROOT, "data", "dataunodc_iafq_sample.csv")


def bare(*args):
    """iafq with no database configured at all (none is reached)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PG") and k not in ("IAFQ_DB", "IAFQ_HOME")}
    return subprocess.run([h.IAFQ] + list(args), capture_output=True,
                          text=True, env=env, cwd=h.TMP)


def commands():
    r = bare("--help")
    assert r.returncode == 0, r.stderr
    text = r.stdout.split("\ncommands:\n", 1)[1].split("\n\n", 1)[0]
    names = [line.split()[0] for line in text.splitlines()]
    assert {"check", "history", "db", "help"} <= set(names), names
    return names


def assert_narrow(what, text):
    for line in text.splitlines():
        assert len(line) <= 80, "%s: %d columns: %r" % (what, len(line), line)


def test_help_everywhere_80_columns():
    """`iafq --help`, `iafq help`, `iafq help C`, `iafq C --help` for every
    command of the list and every `db` subcommand: exit 0, on stdout, the
    same text both ways, no line over 80 columns."""
    for args in (["--help"], ["help"], ["-h"]):
        r = bare(*args)
        assert r.returncode == 0 and not r.stderr, (args, r)
        assert_narrow(" ".join(args), r.stdout)
    for c in commands():
        a, b = bare("help", c), bare(c, "--help")
        assert a.returncode == 0 and not a.stderr, (c, a)
        assert b.returncode == 0 and not b.stderr, (c, b)
        assert a.stdout == b.stdout and a.stdout.strip(), c
        assert_narrow("help " + c, a.stdout)
    for sub in ("init", "status", "stop", "psql"):
        a = bare("help", "db", sub)
        assert a.returncode == 0 and not a.stderr, (sub, a)
        assert a.stdout.startswith("usage: iafq "), a.stdout
        assert_narrow("help db " + sub, a.stdout)
        if sub != "psql":  # db psql --help is psql's own
            b = bare("db", sub, "--help")
            assert b.returncode == 0 and b.stdout == a.stdout, (sub, b)
    r = bare("help", "nosuch")
    assert r.returncode == 2 and "unknown command 'nosuch'" in r.stderr, r


def errors(r):
    return [l for l in r.stderr.splitlines() if l.startswith("iafq: error:")]


def test_one_message_per_mistake():
    """An unknown option, a missing value, --db or -v after the command:
    exit 2 and one error line (no getopt line before it), for every
    command; --db after a command says it is a global option."""
    for c in [c for c in commands() if c != "help"] + ["db status"]:
        words = c.split()
        for bad, want in ((["--no-such-option"], "'--no-such-option'"),
                          (["--db", "host=x"], "--db is a global option: "
                           "put it before the command (iafq --db CONNINFO "
                           "%s ...)" % c),
                          (["--db=host=x"], "--db is a global option")):
            r = bare(*(words + bad))
            assert r.returncode == 2, (c, bad, r)
            assert len(errors(r)) == 1, (c, bad, r.stderr)
            assert want in r.stderr, (c, bad, r.stderr)
            assert not any(l.startswith(("iafq: unrecognized", c + ":"))
                           for l in r.stderr.splitlines()), r.stderr
    for args, want in ((["history", "--format"], "option '--format' needs "
                        "a value"),
                       (["history", "--help=x"], "takes no value"),
                       (["history", "-v", "ESP"], "--verbose is a global "
                        "option"),
                       (["template", "-o"], "option '-o' needs a value"),
                       (["aggregate", "--format", "xml"], "unknown format"),
                       (["db", "frob"], "unknown subcommand 'db frob'"),
                       (["db"], "needs a subcommand"),
                       (["--frob", "history"], "unknown option '--frob'")):
        r = bare(*args)
        assert r.returncode == 2 and len(errors(r)) == 1, (args, r.stderr)
        assert want in r.stderr, (args, r.stderr)


def test_history_every_country():
    """history without COUNTRY: the latest submissions, a file that named
    no country (a PDF renamed .xlsx) included, newest first, --limit N;
    with COUNTRY: by year newest first, then received; ZZZ refused."""
    ci = h.fresh("t_history_all")
    pdf = os.path.join(h.TMP, "scratch", "report.xlsx")
    with open(pdf, "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    r = h.iafq(ci, "ingest", LONG)
    assert r.returncode == 0, r.stderr
    for f in ("esp-2021.xlsx", "esp-2021-csv"):  # the same country-year
        r = h.iafq(ci, "ingest", os.path.join(SAMPLES, f))
        assert r.returncode == 0, r.stderr
    r = h.iafq(ci, "ingest", pdf)
    assert r.returncode == 1, r.stderr
    # every country, newest first: the PDF, then Spain's workbook
    r = h.iafq(ci, "history", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 50, len(rows)  # the default --limit
    assert rows[0]["country"] is None and rows[0]["year"] is None, rows[0]
    assert rows[0]["file"] == pdf and rows[0]["status"] == "rejected", \
        rows[0]
    assert rows[1]["country"] == "ESP" and rows[1]["file"].endswith(
        "esp-2021-csv"), rows[1]
    ids = [(x["received"], x["submission"]) for x in rows]
    assert ids == sorted(ids, reverse=True), ids[:5]
    r = h.iafq(ci, "history", "--limit", "2")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].split()[:4] == ["ID", "COUNTRY", "YEAR", "STATUS"], lines
    assert lines[1].split()[1:4] == ["-", "-", "rejected"], lines[1]
    assert "report.xlsx" in lines[1], lines[1]
    assert len(json.loads(h.iafq(ci, "history", "--limit", "500",
                                 "--format", "json").stdout)) > 100
    # the help lists the text columns in the order of the header
    help_cols = re.findall(r"^  ([A-Z][A-Z0-9-]+) ",
                           h.iafq(ci, "history", "--help").stdout, re.M)
    assert help_cols == lines[0].split(), (help_cols, lines[0])
    # one country: by year, newest first, then the newest received
    rows = json.loads(h.iafq(ci, "history", "--format", "json",
                             "esp").stdout)
    years = [x["year"] for x in rows]
    assert len(set(years)) > 1 and years == sorted(years, reverse=True), \
        years
    y2021 = [x for x in rows if x["year"] == 2021]
    assert len(y2021) == 2 and y2021[0]["file"].endswith(
        "esp-2021-csv") and y2021[0]["current"], y2021
    assert [x["received"] for x in y2021] == sorted(
        [x["received"] for x in y2021], reverse=True)
    for args, want in ((["ZZZ"], "'ZZZ' is not a country of the M49 list"),
                       (["zzz", "2021"], "'ZZZ' is not a country"),
                       (["ESP1"], "is not a country code"),
                       (["--limit", "0"], "--limit takes"),
                       (["--limit", "3", "ESP"], "--limit is for"),
                       (["ESP", "2021", "x"], "history takes")):
        r = h.iafq(ci, "history", *args)
        assert r.returncode == 2 and len(errors(r)) == 1, (args, r.stderr)
        assert want in r.stderr, (args, r.stderr)
        assert not r.stdout, r.stdout


TESTS = [test_help_everywhere_80_columns, test_one_message_per_mistake,
         test_history_every_country]
