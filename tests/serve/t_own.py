"""`iafq serve` and `iafq token` / `status` on iafq's OWN cluster (no --db):
each connects as the role its job needs (docs/disclosure.md, migrations
0009 and 0010): the server as iafq_loader (it stores returns, links them to
tokens and keeps their bytes), `token issue/revoke` as the owner, `token
list` and `status` as iafq_analyst."""
import os
import re
import socket
import subprocess
import tempfile
import time

import sv

SAMPLES = os.path.join(sv.ROOT, "samples")
ESP = os.path.join(SAMPLES, "esp-2021.xlsx")


def own_env(home):
    """IAFQ_HOME is the home only where no .iafq is found first (a demo's
    in the checkout would be): run in home's parent and search no further
    up (docs/decisions.md, which database)."""
    scratch = os.path.dirname(home)
    env = dict(os.environ, IAFQ_HOME=home, PWD=scratch,
               IAFQ_CEILING_DIRECTORIES=scratch)
    env.pop("IAFQ_DB", None)
    return env, scratch


def own(home, *args):
    env, scratch = own_env(home)
    return subprocess.run([sv.IAFQ] + list(args), capture_output=True,
                          text=True, env=env, cwd=scratch)


def owner_sql(home, sql):
    r = own(home, "db", "psql", "--as", "owner", "-XAtc", sql)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_own_cluster_serve_as_loader():
    # under /tmp, not $TMPDIR: the cluster runs as postgres
    home = tempfile.mkdtemp(prefix="iafq-servehome-", dir="/tmp")
    os.chmod(home, 0o711)
    proc = None
    try:
        r = own(home, "token", "issue", "--note", "own cluster", "ESP")
        assert r.returncode == 0, r.stderr
        sec = re.search(r"^secret ([0-9a-f]{64})$", r.stdout, re.M).group(1)
        r = own(home, "token", "list")
        assert r.returncode == 0 and "own cluster" in r.stdout, r
        port = sv.free_port()
        env, scratch = own_env(home)
        log = open(os.path.join(sv.OUT, "own.stderr"), "w")
        proc = subprocess.Popen(
            [sv.IAFQ, "serve", "--listen", "127.0.0.1:%d" % port],
            stdout=subprocess.DEVNULL, stderr=log, env=env, cwd=scratch)
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert proc.poll() is None, "serve exited"
                time.sleep(0.05)
        # the server's pool: every connection is the loader's
        users = owner_sql(home,
                          "SELECT string_agg(DISTINCT usename, ',') "
                          "FROM pg_stat_activity WHERE datname = "
                          "current_database() AND pid <> pg_backend_pid() "
                          "AND backend_type = 'client backend'")
        assert users == "iafq_loader", users
        c = sv.Client(port)
        assert c.signin(sec) == 200
        st, page = c.upload(ESP, "submit")
        assert st == 200, page
        sid = re.search(r'class="sub-id">(\d+)<', page).group(1)
        got = owner_sql(home,
                        "SELECT s.country || ' ' || (ts.token_id IS NOT NULL) "
                        "|| ' ' || (u.sha256 IS NOT NULL) || ' ' || "
                        "pg_get_userbyid(l.lomowner) "
                        "FROM iafq.submission AS s "
                        "JOIN iafq.token_submission AS ts ON ts.submission_id = s.id "
                        "JOIN iafq.upload AS u ON u.sha256 = s.sha256 "
                        "JOIN pg_largeobject_metadata AS l ON l.oid = u.content "
                        "WHERE s.id = %s" % sid)
        assert got == "ESP true true iafq_loader", got
        # its feedback workbook again, from the stored bytes
        st, _, data = c.get("/feedback?s=" + sid)
        assert st == 200 and data[:2] == b"PK", st
        r = own(home, "status", "--year", "2021")
        assert r.returncode == 0 and "ESP" in r.stdout, r
        # the analyst role, read-only, cannot mint a token
        r = own(home, "db", "psql", "-XAtc",
                "INSERT INTO iafq.token (country, secret_sha256) "
                "VALUES ('ESP', repeat('a', 64))")
        assert r.returncode != 0 and "permission denied" in r.stderr, r
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(60)
        own(home, "db", "stop")
        subprocess.run(["rm", "-rf", home])


TESTS = [test_own_cluster_serve_as_loader]
