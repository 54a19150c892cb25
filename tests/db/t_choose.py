"""Which database iafq uses (issue 12, item 1): --db, then IAFQ_DB, then the
libpq environment when it names a server (PGHOST, PGDATABASE, PGSERVICE),
then iafq's own cluster in the nearest .iafq of the running user found in
the current folder or its parents, then $IAFQ_HOME, then a new cluster
(announced on stderr).  `db status` says which rule chose it."""
import os
import subprocess

import dbt as h

ESP = os.path.join(h.ROOT, "samples", "esp-2021.xlsx")


def base(name):
    """A fresh folder in the scratch folder, searched no higher."""
    d = os.path.join(h.TMP, "scratch", name)
    os.makedirs(d)
    os.chmod(d, 0o755)
    return d


def run(cwd, *args, pwd=None, ceiling=None, **env_kw):
    """iafq in cwd ($PWD = pwd or cwd) with no PG*, IAFQ_DB or IAFQ_HOME
    but those given; the search stops below ceiling."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PG") and k not in (
               "IAFQ_DB", "IAFQ_HOME", "IAFQ_CEILING_DIRECTORIES")}
    env["PWD"] = pwd or cwd
    if ceiling:
        env["IAFQ_CEILING_DIRECTORIES"] = ceiling
    env.update({k: v for k, v in env_kw.items() if v is not None})
    return subprocess.run([h.IAFQ] + list(args), cwd=cwd, env=env,
                          capture_output=True, text=True)


def chosen_by(r):
    for line in r.stdout.splitlines():
        if line.startswith("chosen by: "):
            return line[len("chosen by: "):]
    raise AssertionError("no 'chosen by' in: %r %r" % (r.stdout, r.stderr))


def admin_parts():
    return dict(p.split("=", 1) for p in h.ADMIN.split())


def test_choose_server_rules():
    """--db beats IAFQ_DB, which beats PGHOST/PGDATABASE; PGHOST and
    PGDATABASE naming the throwaway server are used as psql would use them
    (schema migrated there, no own cluster made, IAFQ_HOME left alone)."""
    h.fresh("t_choose_pg")
    b = base("server")
    home = os.path.join(b, "unused-home")
    a = admin_parts()
    pg = dict(PGHOST=a["host"], PGPORT=a.get("port", "5432"),
              PGDATABASE="t_choose_pg", PGUSER="postgres", IAFQ_HOME=home)
    r = run(b, "history", "ESP", ceiling=b, **pg)
    assert r.returncode == 0 and "no submissions for ESP" in r.stdout, r
    assert h.psql("t_choose_pg", "SELECT count(*) > 0 FROM "
                  "iafq.schema_migrations") == [["t"]]
    r = run(b, "db", "status", ceiling=b, **pg)
    assert r.returncode == 0, r.stderr
    assert chosen_by(r) == "PGHOST, PGDATABASE", r.stdout
    assert "PGHOST=%s" % a["host"] in r.stdout, r.stdout
    assert "server: reachable" in r.stdout, r.stdout
    assert not os.path.exists(home) and not os.path.exists(
        os.path.join(b, ".iafq")), os.listdir(b)
    # PGSERVICE alone names a server too (the service file is libpq's)
    svc = os.path.join(b, "pg_service.conf")
    with open(svc, "w") as f:
        f.write("[t_choose]\nhost=%s\nport=%s\ndbname=t_choose_pg\n"
                "user=postgres\n" % (a["host"], a.get("port", "5432")))
    r = run(b, "db", "status", ceiling=b, PGSERVICE="t_choose",
            PGSERVICEFILE=svc)
    assert r.returncode == 0 and chosen_by(r) == "PGSERVICE", r
    # a PGHOST that leads nowhere is used, not skipped: exit 2, named
    bad = dict(pg, PGHOST="/nonexistent-iafq-socket")
    r = run(b, "history", "ESP", ceiling=b, **bad)
    assert r.returncode == 2, r
    assert "PGHOST" in r.stderr and "cannot be reached" in r.stderr, r.stderr
    # IAFQ_DB before the libpq environment
    ci = h.conninfo("t_choose_pg")
    r = run(b, "db", "status", ceiling=b, IAFQ_DB=ci, **bad)
    assert r.returncode == 0 and chosen_by(r) == "IAFQ_DB", r
    # --db before IAFQ_DB
    r = run(b, "--db", ci, "db", "status", ceiling=b,
            IAFQ_DB="host=/nonexistent-iafq-socket", **bad)
    assert r.returncode == 0 and chosen_by(r) == "--db", r
    # PGPORT and PGUSER alone name no server: iafq's own cluster (status
    # creates nothing)
    r = run(b, "db", "status", ceiling=b, PGPORT="1", PGUSER="x")
    assert r.returncode == 0, r.stderr
    assert chosen_by(r) == "new cluster in %s/.iafq" % b, r.stdout
    assert not os.path.exists(os.path.join(b, ".iafq"))


def test_choose_own_cluster_rules():
    """A new cluster is announced (one line, its path); from a subfolder,
    from `out` (a link to a release folder beside it) and through the
    physical path the .iafq above is found, before IAFQ_HOME; no out/.iafq
    is made; a .iafq of another user in a parent is ignored with a
    warning; IAFQ_CEILING_DIRECTORIES stops the search; the logical
    current folder ($PWD) is the one searched."""
    b = base("own")
    proj = os.path.join(b, "proj")
    os.makedirs(os.path.join(proj, "a", "b"))
    home = os.path.join(proj, ".iafq")
    r = run(proj, "db", "status", ceiling=b)
    assert r.returncode == 0, r.stderr
    assert chosen_by(r) == "new cluster in %s" % home, r.stdout
    assert not os.path.exists(home), "db status made the home"
    try:
        r = run(proj, "ingest", ESP, ceiling=b)
        assert r.returncode == 0, r.stderr
        made = [l for l in r.stderr.splitlines() if "new database cluster"
                in l]
        assert made == ["iafq: warning: made a new database cluster in "
                        "'%s' ('iafq db status' says why there)" % home], \
            r.stderr
        # the next command announces nothing
        r = run(proj, "history", "ESP", "2021", ceiling=b)
        assert r.returncode == 0 and "new database" not in r.stderr, r
        # `out` after `make demo`: a link to .out.iafq-XXXX beside it
        rel = os.path.join(proj, ".out.iafq-Ab12Cd")
        os.makedirs(rel)
        os.symlink(".out.iafq-Ab12Cd", os.path.join(proj, "out"))
        out = os.path.join(proj, "out")
        for pwd in (out, "/nonexistent"):  # logical, then physical
            r = run(out, "history", "ESP", "2021", pwd=pwd, ceiling=b)
            assert r.returncode == 0, r.stderr
            assert "esp-2021.xlsx" in r.stdout, r.stdout
            assert "new database" not in r.stderr, r.stderr
        assert not os.path.exists(os.path.join(rel, ".iafq"))
        r = run(out, "db", "status", ceiling=b)
        assert chosen_by(r) == "found .iafq in %s" % proj, r.stdout
        # a subfolder; a found .iafq comes before IAFQ_HOME
        other = os.path.join(b, "other-home")
        r = run(os.path.join(proj, "a", "b"), "db", "status", ceiling=b,
                IAFQ_HOME=other)
        assert chosen_by(r) == "found .iafq in %s" % proj, r.stdout
        assert not os.path.exists(other)
        # elsewhere: IAFQ_HOME
        away = os.path.join(b, "away")
        os.makedirs(away)
        r = run(away, "history", "ESP", ceiling=b, IAFQ_HOME=home)
        assert r.returncode == 0 and "esp-2021.xlsx" in r.stdout, r
        r = run(away, "db", "status", ceiling=b, IAFQ_HOME=home)
        assert chosen_by(r) == "IAFQ_HOME", r.stdout
        # the search does not enter a ceiling folder
        r = run(os.path.join(proj, "a", "b"), "db", "status",
                ceiling=os.path.join(proj, "a"))
        assert chosen_by(r) == "new cluster in %s/a/b/.iafq" % proj, r.stdout
        # logical $PWD: through a link from elsewhere, the parents are the
        # link's (physical ones would find proj/.iafq)
        os.symlink(os.path.join(proj, "a"), os.path.join(away, "l"))
        lnk = os.path.join(away, "l")
        r = run(lnk, "db", "status", pwd=lnk, ceiling=b)
        assert chosen_by(r) == "new cluster in %s/.iafq" % lnk, r.stdout
        r = run(lnk, "db", "status", pwd="/nonexistent", ceiling=b)
        assert chosen_by(r) == "found .iafq in %s" % proj, r.stdout
        if os.geteuid() == 0:
            # a .iafq of another user in a shared parent: ignored, warned
            shared = os.path.join(b, "shared")
            os.makedirs(os.path.join(shared, ".iafq"))
            os.makedirs(os.path.join(shared, "work"))
            os.chmod(shared, 0o1777)
            os.chown(os.path.join(shared, ".iafq"), 65534, 65534)
            work = os.path.join(shared, "work")
            r = run(work, "history", "ESP", ceiling=b, IAFQ_HOME=home)
            assert r.returncode == 0 and "esp-2021.xlsx" in r.stdout, r
            warn = [l for l in r.stderr.splitlines() if "warning" in l]
            assert warn == ["iafq: warning: ignoring '%s/.iafq': it belongs "
                            "to another user (uid 65534)" % shared], r.stderr
            r = run(work, "db", "status", ceiling=b)
            assert chosen_by(r) == "new cluster in %s/.iafq" % work, r.stdout
            assert "ignoring '%s/.iafq'" % shared in r.stderr, r.stderr
            # a .iafq that is a link (even to our own home) is not followed
            os.symlink(home, os.path.join(work, ".iafq"))
            r = run(work, "db", "status", ceiling=b, IAFQ_HOME=home)
            assert chosen_by(r) == "IAFQ_HOME", r.stdout
            assert "is a symbolic link" in r.stderr, r.stderr
    finally:
        run(proj, "db", "stop", ceiling=b)


TESTS = [test_choose_server_rules, test_choose_own_cluster_rules]
