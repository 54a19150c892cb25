"""Daily use (issue 12 items 2, 4, 5): the nightly folder and what the exit
status says, signals in every stage of a run (ignored ones stay ignored,
SIGINT/SIGTERM leave nothing behind), the message of a run that waits for
another's lock, -o's missing parents, the progress line on a terminal only.

Stages are hit with the test hook IAFQ_TEST_PAUSE_AT=STAGE:FILE
(common/interrupt.h): the run says "paused at STAGE" and waits for FILE."""
import glob
import json
import os
import pty
import select
import shutil
import signal
import subprocess

import dbt as h

SAMPLES = os.path.join(h.ROOT, "samples")
STAGES = ["ingest", "aggregate", "export"]


def incoming(name, workbooks=("esp-2021.xlsx", "fra-2021-warnings.xlsx",
                              "mar-2021-errors.xlsx"), csv=True):
    """A folder of returns: workbooks, the CSV return folder, a hidden file
    and a folder of no return (both skipped)."""
    d = os.path.join(h.TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for w in workbooks:
        shutil.copy(os.path.join(SAMPLES, w), d)
    if csv:
        shutil.copytree(os.path.join(SAMPLES, "esp-2021-csv"),
                        os.path.join(d, "esp-2021-csv"))
    with open(os.path.join(d, ".hidden.xlsx"), "w") as f:
        f.write("not a return")
    os.makedirs(os.path.join(d, "done"))
    return d


def releases(out):
    """The release folders of out (its target and the one it replaced)."""
    parent, base = os.path.split(out)
    return sorted(glob.glob(os.path.join(parent, "." + base + ".iafq-*")))


def test_nightly_folder():
    """A folder of three workbooks and a CSV folder is four returns; run
    again (one of them rejected earlier): exit 0, "unchanged"; an empty
    folder: nothing to ingest, exit 0."""
    ci = h.fresh("t_night")
    src = incoming("incoming")
    out = os.path.join(h.TMP, "night", "a", "out")  # parents made
    r = h.iafq(ci, "run", "-o", out, src + "/")
    # mar-2021-errors.xlsx is rejected now: 1
    assert r.returncode == 1, (r.returncode, r.stderr)
    run = json.load(open(os.path.join(out, "run.json")))
    files = [os.path.basename(f["file"]) for f in run["ingest"]["files"]]
    assert files == ["esp-2021-csv", "esp-2021.xlsx", "fra-2021-warnings.xlsx",
                     "mar-2021-errors.xlsx"], files
    assert (run["ingest"]["rejected"], run["ingest"]["accepted"]) == (1, 3), \
        run["ingest"]
    assert "skipping the folder" in r.stderr and "done" in r.stderr, r.stderr
    assert h.psql("t_night", "SELECT count(*) FROM iafq.submission") == \
        [["4"]]
    # again: every file unchanged, the rejected one with its verdict
    r = h.iafq(ci, "run", "-o", out, src)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert r.stdout.count("unchanged  ") == 4, r.stdout
    assert "rejected earlier" in r.stdout
    assert h.psql("t_night", "SELECT count(*) FROM iafq.submission") == \
        [["4"]]
    # ingest says the same
    r = h.iafq(ci, "ingest", src)
    assert r.returncode == 0 and "4 unchanged" in r.stdout, r.stdout
    # an empty folder
    empty = os.path.join(h.TMP, "empty")
    os.makedirs(empty, exist_ok=True)
    r = h.iafq(ci, "run", "-o", out, empty)
    assert r.returncode == 0, r.stderr
    assert "nothing to ingest" in r.stderr
    r = h.iafq(ci, "ingest", empty)
    assert r.returncode == 0 and "0 file(s)" in r.stdout, (r.stdout, r.stderr)
    # the CSV folder itself is one return, not a folder of returns
    r = h.iafq(ci, "ingest", os.path.join(src, "esp-2021-csv"))
    assert r.returncode == 0 and "1 file(s)" in r.stdout, r.stdout
    assert len(releases(out)) == 2  # the current one and the one before


def paused(p, stage):
    """Read p's stderr until it says it is paused at stage; the lines."""
    lines = []
    while True:
        line = p.stderr.readline()
        assert line, "no pause at %s: %r" % (stage, lines)
        lines.append(line)
        if "paused at %s" % stage in line:
            return lines


def run_paused(ci, stage, go, out, files, ignore_hup=False, env_extra=None):
    env = dict(os.environ, IAFQ_TEST_PAUSE_AT="%s:%s" % (stage, go))
    env.update(env_extra or {})

    def pre():
        if ignore_hup:
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
    return subprocess.Popen([h.IAFQ, "--db", ci, "run", "-o", out] + files,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, preexec_fn=pre)


EXPORTS = ["global-study.xlsx", "gs1.csv", "gs9.csv", "sdg_16_4_2.csv",
           "iafq-portal.csv", "iafq-portal.xlsx", "iafq-portal.json",
           "sdmx_16_4_2.csv", "run.json"]


def test_nohup_every_stage():
    """SIGHUP ignored by the parent (nohup) stays ignored: sent during each
    stage, the run completes with all its files."""
    ci = h.fresh("t_nohup")
    ret = os.path.join(SAMPLES, "esp-2021.xlsx")
    for stage in STAGES:
        go = os.path.join(h.TMP, "go-" + stage)
        out = os.path.join(h.TMP, "nohup-" + stage)
        p = run_paused(ci, stage, go, out, [ret], ignore_hup=True)
        paused(p, stage)
        p.send_signal(signal.SIGHUP)
        open(go, "w").close()
        o, e = p.communicate()
        assert p.returncode == 0, (stage, p.returncode, e)
        for f in EXPORTS:
            assert os.path.exists(os.path.join(out, f)), (stage, f)
        assert "interrupted" not in e


def test_interrupt_every_stage():
    """SIGINT or SIGTERM in each stage: one "interrupted" line, the process
    dies of the signal, no output folder (nor the parents made for it), no
    release or temporary file; an existing DIR is left as it was."""
    ci = h.fresh("t_intr")
    ret = os.path.join(SAMPLES, "esp-2021.xlsx")
    keep = os.path.join(h.TMP, "intr-keep")
    assert h.iafq(ci, "run", "-o", keep, ret).returncode == 0
    before = os.readlink(keep)
    kept = releases(keep)
    for sig in (signal.SIGINT, signal.SIGTERM):
        for stage in STAGES:
            go = os.path.join(h.TMP, "go-%s-%d" % (stage, sig))
            top = os.path.join(h.TMP, "intr-%s-%d" % (stage, sig))
            out = os.path.join(top, "b", "out")
            for target in (out, keep):
                p = run_paused(ci, stage, go, target, [ret])
                paused(p, stage)
                p.send_signal(sig)
                o, e = p.communicate()
                assert p.returncode == -sig, (stage, sig, p.returncode, e)
                assert e.count("interrupted") == 1, e
                assert not os.path.exists(top), (stage, sig)
                assert releases(keep) == kept, (stage, sig, releases(keep))
                assert os.readlink(keep) == before
    # nothing half-done in the database: the lock is free, a run goes on
    r = h.iafq(ci, "run", "--no-wait", "-o", keep, ret)
    assert r.returncode == 0, r.stderr


def test_lock_wait_says_so():
    """A run that waits for another's lock says at once which run (its pid
    and since when), then that it goes on; interrupted while waiting, it
    leaves no output folder."""
    ci = h.fresh("t_wait")
    ret = os.path.join(SAMPLES, "esp-2021.xlsx")
    go = os.path.join(h.TMP, "go-wait")
    first = run_paused(ci, "ingest", go, os.path.join(h.TMP, "w1"), [ret])
    paused(first, "ingest")  # it holds the lock
    second = subprocess.Popen([h.IAFQ, "--db", ci, "run", "-o",
                               os.path.join(h.TMP, "w2"), ret],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    line = second.stderr.readline()
    assert "waiting for another 'iafq run' to finish" in line, line
    assert "pid %d" % first.pid in line and " since 20" in line, line
    third = subprocess.Popen([h.IAFQ, "--db", ci, "run", "-o",
                              os.path.join(h.TMP, "w3", "out"), ret],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    assert "waiting" in third.stderr.readline()
    third.send_signal(signal.SIGINT)
    o3, e3 = third.communicate()
    assert third.returncode == -signal.SIGINT and "interrupted" in e3, e3
    assert not os.path.exists(os.path.join(h.TMP, "w3"))
    open(go, "w").close()
    o1, e1 = first.communicate()
    o2, e2 = second.communicate()
    assert first.returncode == 0, e1
    assert second.returncode == 0, e2
    assert "this one goes on" in e2, e2
    # --quiet: no notice
    r = h.iafq(ci, "-q", "run", "-o", os.path.join(h.TMP, "w2"), ret)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def with_tty(argv):
    """Run argv with stderr on a pseudo-terminal and stdout on a pipe; the
    exit status, stdout and what reached the terminal."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave,
                         stdin=subprocess.DEVNULL)
    os.close(slave)
    tty = b""
    out = b""
    fds = [master, p.stdout.fileno()]
    while fds:
        r, _, _ = select.select(fds, [], [], 30)
        assert r, "no output for 30 s"
        for fd in r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                chunk = b""
            if not chunk:
                fds.remove(fd)
            elif fd == master:
                tty += chunk
            else:
                out += chunk
    os.close(master)
    p.wait()
    return p.returncode, out.decode(), tty.decode(errors="replace")


def test_progress_tty_only():
    """On a terminal the run shows an updating line (ingest, aggregate,
    export), cleared at the end; never on stdout, never on a pipe, never
    with --quiet."""
    ci = h.fresh("t_prog")
    ret = os.path.join(SAMPLES, "esp-2021.xlsx")
    out = os.path.join(h.TMP, "prog")
    rc, o, tty = with_tty([h.IAFQ, "--db", ci, "run", "-o", out, ret])
    assert rc == 0, tty
    for what in ("\riafq: ingest [1/1] ", "\riafq: aggregate [1/",
                 "\riafq: export [1/"):
        assert what in tty, (what, tty)
    assert tty.endswith("\r\x1b[K"), repr(tty[-80:])  # cleared
    assert "\r" not in o and "iafq: " not in o
    # --quiet: nothing on the terminal
    rc, o, tty = with_tty([h.IAFQ, "-q", "--db", ci, "run", "-o", out, ret])
    assert rc == 0 and tty == "", repr(tty)
    # a pipe: no progress
    r = h.iafq(ci, "run", "-o", out, ret)
    assert r.returncode == 0 and "\r" not in r.stderr and r.stderr == "", \
        repr(r.stderr)
    # check, no database
    rc, o, tty = with_tty([h.IAFQ, "check", ret])
    assert rc == 0 and "\riafq: check [1/1] " in tty and "\r" not in o


TESTS = [test_nightly_folder, test_nohup_every_stage,
         test_interrupt_every_stage, test_lock_wait_says_so,
         test_progress_tty_only]
