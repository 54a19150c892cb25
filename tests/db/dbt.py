"""Shared helpers of the database tests (tests/db/run.py): a throwaway
cluster's admin conninfo, fresh databases, psql, the iafq binary.  run.py
sets IAFQ, ADMIN, TMP and ROOT before any test runs."""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
IAFQ = None   # the binary
ADMIN = None  # host=... port=... of the throwaway cluster
TMP = None    # a scratch folder under /tmp, removed at the end


def psql(db, sql, user="postgres"):
    """Rows of a query as lists of strings (psql -At)."""
    out = subprocess.run(
        ["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
         ADMIN + " dbname=%s user=%s" % (db, user), "-c", sql],
        capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return [line.split("\t") for line in out.stdout.splitlines()]


def fresh(db):
    """Drop and create database db; its conninfo (as postgres)."""
    psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
    psql("postgres", "CREATE DATABASE %s" % db)
    return conninfo(db)


def conninfo(db, user="postgres"):
    return ADMIN + " dbname=%s user=%s" % (db, user)


def iafq(conninfo, *args, **kw):
    """Run the binary with --db conninfo; a CompletedProcess (text)."""
    return subprocess.run([IAFQ, "--db", conninfo] + list(args),
                          capture_output=True, text=True, **kw)
