"""What goes wrong outside iafq gives exit 2 in every command, with a
message naming the cause (IAFQ-SPEC section 7; issue 10 item 7): the
connection lost mid-command (the server ends iafq's backend while the
command waits on a lock, or the whole server stops), a dead socket, the
database server's disk full (a tablespace on a small tmpfs), standard
output on a full disk (/dev/full) and output files on a full disk (a small
tmpfs).  Also: --strict is part of what makes an ingest the same, and file
names are printed with their control characters escaped in every output."""
import hashlib
import json
import os
import subprocess
import time

import dbt as h
import t_pipeline

SAMPLES = os.path.join(h.ROOT, "samples")
ESP = os.path.join(SAMPLES, "esp-2021.xlsx")
FRA_WARN = os.path.join(SAMPLES, "fra-2021-warnings.xlsx")
MAR_ERR = os.path.join(SAMPLES, "mar-2021-errors.xlsx")
LOST = "the connection to the database was lost"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Locker:
    """A psql session that runs `sql` (taking a lock) and then sleeps,
    holding it until stop()."""

    def __init__(self, db, sql):
        self.db = db
        self.p = subprocess.Popen(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", h.conninfo(db)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, text=True)
        self.p.stdin.write("SET application_name = 'locker';\n%s\n"
                           "SELECT pg_sleep(300);\n" % sql)
        self.p.stdin.flush()
        for _ in range(1000):
            if h.psql(db, "SELECT count(*) FROM pg_stat_activity WHERE "
                      "application_name = 'locker' AND query LIKE "
                      "'%pg_sleep(300)%'")[0][0] == "1":
                return
            time.sleep(0.01)
        raise RuntimeError("the locker never held its lock")

    def stop(self):
        self.p.kill()
        self.p.wait()
        try:
            h.psql(self.db, "SELECT pg_terminate_backend(pid) FROM "
                   "pg_stat_activity WHERE application_name = 'locker'")
        except RuntimeError:
            pass  # the server is gone


def iafq_waiting(db):
    """pids of iafq's backends waiting on a lock."""
    return [r[0] for r in h.psql(
        db, "SELECT pid FROM pg_stat_activity WHERE application_name = "
        "'iafq' AND wait_event_type = 'Lock'")]


def lost_mid_command(db, lock_sql, args, stop_server=None):
    """Run iafq ARGS while a locker holds lock_sql; once iafq waits on it,
    end iafq's backend (or stop the whole server with stop_server()).
    The finished process (returncode, stdout, stderr)."""
    locker = Locker(db, lock_sql)
    try:
        p = subprocess.Popen([h.IAFQ, "--db", h.conninfo(db)] + list(args),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        pids = []
        for _ in range(1500):
            pids = iafq_waiting(db)
            if pids or p.poll() is not None:
                break
            time.sleep(0.01)
        assert pids, "iafq %s never waited on the lock" % args[0]
        if stop_server:
            stop_server()
        else:
            h.psql(db, "SELECT pg_terminate_backend(%s)" % pids[0])
        out, err = p.communicate(timeout=120)
        return p.returncode, out, err
    finally:
        locker.stop()


def assert_lost(r, what):
    code, out, err = r
    assert code == 2, (what, code, err)
    assert "iafq: error:" in err, (what, err)
    return err


def ready(db):
    """A fresh database, migrated, with one accepted return and a run."""
    ci = h.fresh(db)
    r = h.iafq(ci, "ingest", ESP)
    assert r.returncode == 0, r.stderr
    r = h.iafq(ci, "aggregate")
    assert r.returncode == 0, r.stderr
    return ci


def test_lost_connection_every_command():
    """The server ends iafq's backend while each command waits on a lock:
    exit 2 and a message saying the connection was lost, for ingest,
    aggregate, history, db init, db status, export and run."""
    db = "t_lost"
    ready(db)
    fra_lock = ("BEGIN; SELECT pg_advisory_xact_lock(hashtextextended("
                "'iafq.submission:%s', 0));" % sha256(FRA_WARN))
    err = assert_lost(lost_mid_command(db, fra_lock, ["ingest", FRA_WARN]),
                      "ingest")
    assert LOST in err, err
    assert "cannot ingest" in err, err
    # nothing of it was stored
    assert h.psql(db, "SELECT count(*) FROM iafq.submission WHERE "
                  "country = 'FRA'") == [["0"]]
    err = assert_lost(lost_mid_command(
        db, "BEGIN; SELECT pg_advisory_xact_lock(hashtext('iafq.aggregate'));",
        ["aggregate"]), "aggregate")
    assert LOST in err and "the aggregation failed" in err, err
    assert h.psql(db, "SELECT count(*) FROM iafq.agg_run") == [["1"]]
    err = assert_lost(lost_mid_command(
        db, "BEGIN; LOCK TABLE iafq.submission IN ACCESS EXCLUSIVE MODE;",
        ["history", "ESP"]), "history")
    assert LOST in err, err
    # every command reads the migrations first: lost there too
    mig = "BEGIN; LOCK TABLE iafq.schema_migrations IN ACCESS EXCLUSIVE MODE;"
    err = assert_lost(lost_mid_command(db, mig, ["db", "init"]), "db init")
    assert LOST in err, err
    err = assert_lost(lost_mid_command(db, mig, ["db", "status"]),
                      "db status")
    assert LOST in err, err
    err = assert_lost(lost_mid_command(db, mig, ["history", "ESP"]),
                      "history (migrations)")
    assert LOST in err, err
    out = os.path.join(h.TMP, "lost-export")
    assert_lost(lost_mid_command(
        db, "BEGIN; LOCK TABLE iafq.value IN ACCESS EXCLUSIVE MODE;",
        ["export", "-o", out]), "export")
    err = assert_lost(lost_mid_command(
        db, "SELECT pg_advisory_lock(hashtext('iafq.run'));",
        ["run", "-o", os.path.join(h.TMP, "lost-run"), ESP]), "run")
    assert LOST in err and "cannot take the run lock" in err, err


def test_server_stopped_mid_ingest():
    """The whole server stops (immediate shutdown) while an ingest waits:
    exit 2, the file reported failed, the connection named lost, and the
    database unreachable for the next file."""
    pgdir = os.path.join(h.TMP, "pg-stop")
    start = subprocess.run(["sh", os.path.join(h.ROOT, "tests", "pgtmp.sh"),
                            "start", pgdir], capture_output=True, text=True)
    assert start.returncode == 0, start.stderr
    own = " ".join(p for p in start.stdout.strip().split()
                   if not p.startswith(("dbname=", "user=")))
    saved = h.ADMIN
    h.ADMIN = own
    try:
        h.fresh("t_stop")
        assert h.iafq(h.conninfo("t_stop"), "history", "ESP").returncode == 0

        def stop():
            subprocess.run(["sh", os.path.join(h.ROOT, "tests", "pgtmp.sh"),
                            "stop", pgdir], capture_output=True)
        lock = ("BEGIN; SELECT pg_advisory_xact_lock(hashtextextended("
                "'iafq.submission:%s', 0));" % sha256(ESP))
        code, out, err = lost_mid_command(
            "t_stop", lock, ["ingest", "--format", "json", ESP, FRA_WARN],
            stop_server=stop)
        assert code == 2, (code, err)
        assert LOST in err, err
        assert "the database cannot be reached" in err, err
        doc = json.loads(out)
        assert [f["status"] for f in doc["files"]] == ["failed", "failed"]
        assert doc["failed"] == 2, doc
    finally:
        h.ADMIN = saved
        subprocess.run(["sh", os.path.join(h.ROOT, "tests", "pgtmp.sh"),
                        "stop", pgdir], capture_output=True)


def test_dead_socket_every_command():
    """A database that is not there: exit 2 and 'cannot be reached' from
    every command that needs one."""
    dead = "host=%s port=5999 dbname=nothing user=nobody" % h.TMP
    out = os.path.join(h.TMP, "dead")
    for args in (["ingest", ESP], ["aggregate"], ["history", "ESP"],
                 ["db", "init"], ["db", "status"], ["db", "psql", "-c", "x"],
                 ["export", "-o", out], ["run", "-o", out, ESP]):
        r = h.iafq(dead, *args)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert "cannot be reached" in r.stderr, (args, r.stderr)


def mount_tmpfs(path, size):
    """A tmpfs of `size` at path; False when this machine cannot mount."""
    os.makedirs(path, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size,
                        "tmpfs", path], capture_output=True)
    return r.returncode == 0


def umount(path):
    subprocess.run(["umount", path], capture_output=True)


def test_database_disk_full():
    """The database server's disk fills during an ingest (iafq.seizure on a
    1 MB tablespace): exit 2 and a message naming the full disk; nothing of
    the file stored.  Skipped where tmpfs cannot be mounted (not root)."""
    space = os.path.join(h.TMP, "small-space")
    if not mount_tmpfs(space, "1m"):
        print("     (skipped: cannot mount a tmpfs here)")
        return
    try:
        subprocess.run(["chown", "postgres:postgres", space], check=True)
        ci = h.fresh("t_dbfull")
        assert h.iafq(ci, "history", "ESP").returncode == 0  # migrate
        h.psql("t_dbfull", "CREATE TABLESPACE t_small LOCATION '%s'" % space)
        h.psql("t_dbfull", "ALTER TABLE iafq.seizure SET TABLESPACE t_small")
        ret = t_pipeline.big_csv_return(os.path.join(h.TMP, "dbfull"), 40000)
        r = h.iafq(ci, "ingest", ret)
        assert r.returncode == 2, (r.returncode, r.stderr)
        assert "the database server's disk is full" in r.stderr, r.stderr
        assert "53100" in r.stderr, r.stderr
        assert h.psql("t_dbfull", "SELECT count(*) FROM iafq.submission") \
            == [["0"]]
    finally:
        try:
            h.psql("postgres", "DROP DATABASE IF EXISTS t_dbfull WITH (FORCE)")
            h.psql("postgres", "DROP TABLESPACE IF EXISTS t_small")
        finally:
            umount(space)


def test_stdout_full_every_command():
    """Standard output on a full disk (/dev/full): exit 2 and 'No space left
    on device' from every command that prints, text and JSON."""
    ci = ready("t_devfull")
    out = os.path.join(h.TMP, "devfull")
    cases = [["check", ESP], ["check", "--format", "json", ESP],
             ["ingest", FRA_WARN], ["ingest", "--format", "json", MAR_ERR],
             ["history", "ESP"], ["history", "--format", "json", "ESP"],
             ["aggregate"], ["aggregate", "--format", "json"],
             ["db", "init"], ["db", "status"], ["export", "-o", out],
             ["run", "-o", out + "-run", ESP], ["--help"]]
    for args in cases:
        with open("/dev/full", "w") as full:
            p = subprocess.run([h.IAFQ, "--db", ci] + args, stdout=full,
                               stderr=subprocess.PIPE, text=True)
        if args == ["--help"]:
            assert p.returncode in (2, 3), (args, p.returncode)
            continue
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert "cannot write to standard output" in p.stderr, (args, p.stderr)
        assert "No space left on device" in p.stderr, (args, p.stderr)
        assert p.stderr.count("cannot write to standard output") == 1, \
            (args, p.stderr)


def test_output_files_full_disk():
    """Output files on a full disk (a 64 KB tmpfs): the template, a feedback
    workbook and `run`'s outputs give exit 2 and name the cause.  Skipped
    where tmpfs cannot be mounted."""
    small = os.path.join(h.TMP, "small-out")
    if not mount_tmpfs(small, "64k"):
        print("     (skipped: cannot mount a tmpfs here)")
        return
    try:
        with open(os.path.join(small, "filler"), "wb") as f:
            try:
                f.write(b"x" * (1 << 20))
            except OSError:
                pass
        r = subprocess.run([h.IAFQ, "template", "-o",
                            os.path.join(small, "t.xlsx")],
                           capture_output=True, text=True)
        assert r.returncode == 2, (r.returncode, r.stderr)
        assert "iafq: error:" in r.stderr, r.stderr
        r = subprocess.run([h.IAFQ, "check", "--feedback",
                            os.path.join(small, "fb.xlsx"), MAR_ERR],
                           capture_output=True, text=True)
        assert r.returncode == 2, (r.returncode, r.stderr)
        assert "cannot write the feedback workbook" in r.stderr, r.stderr
        ci = h.fresh("t_outfull")
        r = h.iafq(ci, "run", "-o", small, ESP)
        assert r.returncode == 2, (r.returncode, r.stderr)
        assert "No space left on device" in r.stderr or \
            "disk full" in r.stderr, r.stderr
    finally:
        umount(small)


def test_strict_is_part_of_same():
    """The same bytes rejected under --strict (warnings as errors) are
    judged again without --strict, and accepted; each way again changes
    nothing; history tells which was strict."""
    ci = h.fresh("t_strict")
    r = h.iafq(ci, "ingest", "--strict", FRA_WARN)
    assert r.returncode == 1, r.stderr
    assert r.stdout.startswith("rejected"), r.stdout
    r = h.iafq(ci, "ingest", FRA_WARN)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("accepted"), r.stdout
    r = h.iafq(ci, "ingest", FRA_WARN)
    assert r.returncode == 0 and r.stdout.startswith("unchanged"), r.stdout
    assert "(FRA 2021), accepted earlier" in r.stdout, r.stdout
    r = h.iafq(ci, "ingest", "--strict", FRA_WARN)
    # unchanged, rejected the first time: nothing is rejected now, exit 0
    # (issue 12: the exit status describes this invocation)
    assert r.returncode == 0 and r.stdout.startswith("unchanged"), r.stdout
    assert "(FRA 2021), rejected earlier" in r.stdout, r.stdout
    rows = h.psql("t_strict", "SELECT status, strict FROM iafq.submission "
                  "ORDER BY id")
    assert rows == [["rejected", "t"], ["accepted", "f"]], rows
    doc = json.loads(h.iafq(ci, "history", "--format", "json",
                            "FRA").stdout)
    assert [(d["status"], d["strict"], d["current"]) for d in doc] == [
        ("accepted", False, True), ("rejected", True, False)], doc
    # without --strict first: an accepted return with warnings, then
    # --strict judges it again (and rejects it; the accepted one stays)
    ci = h.fresh("t_strict2")
    assert h.iafq(ci, "ingest", FRA_WARN).returncode == 0
    r = h.iafq(ci, "ingest", "--strict", FRA_WARN)
    assert r.returncode == 1 and r.stdout.startswith("rejected"), r.stdout
    assert h.psql("t_strict2", "SELECT count(*) FROM iafq.current_submissions"
                  " WHERE country = 'FRA'") == [["1"]]


CTL = ("\x07", "\x1b", "\x7f", "\x9b", "\u202e")


def assert_clean(what, text):
    assert not any(c in text for c in CTL), (what, text)
    # no line forged by the name
    assert "\nE-FAKE" not in text, (what, text)


def test_file_names_escaped():
    """File names with a newline (a forged report line) and a terminal
    escape are printed escaped by ingest (text and JSON), history (text and
    JSON) and on stderr, and stored as they are."""
    ci = h.fresh("t_names")
    d = os.path.join(h.TMP, "names")
    os.makedirs(d)
    forged = os.path.join(d, "a\nE-FAKE ok.xlsx")
    red = os.path.join(d, "\x1b[31mred.xlsx")
    with open(MAR_ERR, "rb") as f, open(forged, "wb") as g:
        g.write(f.read())
    with open(ESP, "rb") as f, open(red, "wb") as g:
        g.write(f.read())
    r = h.iafq(ci, "ingest", red, forged)
    assert r.returncode == 1, r.stderr
    assert_clean("ingest text", r.stdout)
    assert "a\\nE-FAKE ok.xlsx" in r.stdout, r.stdout
    assert "\\x1B[31mred.xlsx" in r.stdout, r.stdout
    r = h.iafq(ci, "ingest", "--format", "json", red, forged)
    assert_clean("ingest json", r.stdout)
    files = [f["file"] for f in json.loads(r.stdout)["files"]]
    assert files == [red, forged], files  # the exact names, escaped in JSON
    for args in (["history", "MAR"], ["history", "ESP"]):
        r = h.iafq(ci, *args)
        assert r.returncode == 0, r.stderr
        assert_clean(" ".join(args), r.stdout)
        assert len(r.stdout.splitlines()) == 2, r.stdout
    r = h.iafq(ci, "history", "MAR")
    assert "a\\nE-FAKE ok.xlsx" in r.stdout, r.stdout
    r = h.iafq(ci, "history", "--format", "json", "ESP")
    assert_clean("history json", r.stdout)
    assert json.loads(r.stdout)[0]["file"] == red
    # stored as given
    assert h.psql("t_names", "SELECT count(*) FROM iafq.submission WHERE "
                  "file_name = %s" % ("E'" + red.replace("\x1b", "\\x1b") +
                                      "'")) == [["1"]]
    # stderr: a name that cannot be read
    r = h.iafq(ci, "ingest", os.path.join(d, "gone\n\x1b[2Jx.xlsx"))
    assert r.returncode == 2, r.stderr
    assert_clean("stderr", r.stderr)
    assert "gone\\n\\x1B[2Jx.xlsx" in r.stderr, r.stderr


TESTS = [test_lost_connection_every_command, test_server_stopped_mid_ingest,
         test_dead_socket_every_command, test_database_disk_full,
         test_stdout_full_every_command, test_output_files_full_disk,
         test_strict_is_part_of_same, test_file_names_escaped]
