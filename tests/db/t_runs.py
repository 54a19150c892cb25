"""Incremental aggregation and the runs, whole processes (issue 14, item
4): a run where nothing changed records nothing; a revision recomputes its
year and stores only what changed; --full after incremental runs stores
nothing; `iafq runs list` shows the runs, their stored rows and the
exports that used them (iafq.export_log); `iafq runs prune --keep N`
keeps the latest N and every exported run, says what it removes, and
leaves every kept run's results as they were."""
import json
import os

import dbt as h

S = os.path.join(h.ROOT, "samples")
VALID = ("SELECT count(*) FROM iafq.res_gs1 AS r WHERE r.run_id <= %d "
         "AND (r.valid_to IS NULL OR r.valid_to > %d)")
VIEWS = ("SELECT string_agg(v::text, '|' ORDER BY v::text) FROM ("
         "SELECT g::text AS v FROM iafq.gs1 AS g UNION ALL "
         "SELECT s::text FROM iafq.sdg_16_4_2 AS s UNION ALL "
         "SELECT p::text FROM iafq_public.gs9 AS p) AS x")


def agg(ci, *args):
    r = h.iafq(ci, "aggregate", "--format", "json", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_incremental_runs_and_prune():
    ci = h.fresh("t_incr")
    db = "t_incr"
    r = h.iafq(ci, "ingest", os.path.join(S, "esp-2021.xlsx"))
    assert r.returncode == 0, r.stderr
    a1 = agg(ci)
    assert a1["changed"] and a1["years"] == "all" and a1["rows_stored"] > 0
    # nothing changed: no run, exit 0, says so
    r = h.iafq(ci, "aggregate")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("aggregate: nothing changed since run %d"
                               % a1["run"]), r.stdout
    assert h.psql(db, "SELECT count(*) FROM iafq.agg_run") == [["1"]]
    # an export of run 1 is recorded
    out = os.path.join(h.TMP, "incr-export")
    r = h.iafq(ci, "export", "-o", out, "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert h.psql(db, "SELECT run_id, scope FROM iafq.export_log") == \
        [[str(a1["run"]), "internal"]]
    # a new country: its year only, only what changed stored
    r = h.iafq(ci, "ingest", os.path.join(S, "fra-2021-warnings.xlsx"))
    assert r.returncode == 0, r.stderr
    a2 = agg(ci)
    assert a2["changed"] and a2["years"] == "2021", a2
    total = int(h.psql(db, VALID % (a2["run"], a2["run"]))[0][0])
    stored2 = int(h.psql(db, "SELECT count(*) FROM iafq.res_gs1 WHERE "
                         "run_id = %d" % a2["run"])[0][0])
    assert 0 < stored2 < total, (stored2, total)  # ESP's rows not copied
    # a revision of ESP 2021 (the CSV return)
    r = h.iafq(ci, "ingest", os.path.join(S, "esp-2021-csv"))
    assert r.returncode == 0, r.stderr
    a3 = agg(ci)
    assert a3["changed"], a3
    # --full after incremental runs: a run, nothing to store or close
    a4 = agg(ci, "--full")
    assert a4["changed"] and a4["years"] == "all"
    assert (a4["rows_stored"], a4["rows_closed"]) == (0, 0), a4
    before = h.psql(db, VIEWS)
    run1 = h.psql(db, VALID % (a1["run"], a1["run"]))
    # runs list
    r = h.iafq(ci, "runs", "list", "--format", "json")
    assert r.returncode == 0, r.stderr
    runs = json.loads(r.stdout)
    assert [x["id"] for x in runs] == [a1["run"], a2["run"], a3["run"],
                                       a4["run"]]
    assert [x["exports"] for x in runs] == [1, 0, 0, 0]
    assert [x["latest"] for x in runs] == [False, False, False, True]
    assert runs[3]["rows_stored"] == 0 and runs[0]["rows_stored"] > 0
    r = h.iafq(ci, "runs", "list")
    assert r.returncode == 0 and "(latest)" in r.stdout, r.stderr
    # prune, dry run first
    r = h.iafq(ci, "runs", "prune", "--keep", "1", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "would remove run(s) %d, %d" % (a2["run"], a3["run"]) in r.stdout
    assert h.psql(db, "SELECT count(*) FROM iafq.agg_run") == [["4"]]
    r = h.iafq(ci, "runs", "prune", "--keep", "1")
    assert r.returncode == 0, r.stderr
    assert "removed run(s) %d, %d" % (a2["run"], a3["run"]) in r.stdout, \
        r.stdout
    assert "kept %d (exported), %d" % (a1["run"], a4["run"]) in r.stdout, \
        r.stdout
    assert h.psql(db, "SELECT id FROM iafq.agg_run ORDER BY id") == \
        [[str(a1["run"])], [str(a4["run"])]]
    # the kept runs' results are as they were
    assert h.psql(db, VIEWS) == before
    assert h.psql(db, VALID % (a1["run"], a1["run"])) == run1
    # the loader may not prune (only the owner deletes runs)
    r = h.iafq(h.conninfo(db, "iafq_loader"), "runs", "prune", "--keep", "1")
    assert r.returncode != 0
    r = h.iafq(ci, "runs", "prune")
    assert r.returncode == 2 and "--keep" in r.stderr, r.stderr


TESTS = [test_incremental_runs_and_prune]
