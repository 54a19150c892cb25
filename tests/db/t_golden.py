"""The same exports, byte for byte, as the golden ones (issue 11): the
golden world (tests/db/golden.py: the samples and a world where Austria
withholds) exported internal and public by this binary equals
tests/db/golden/, written by tests/db/make_goldens.py; changes.csv, which
the goldens predate, is left out (tests/db/t_changes.py tests it)."""
import difflib
import os

import dbt as h
import golden

GOLDEN = os.path.join(h.HERE, "golden")


def _compare(scope, got):
    d = os.path.join(GOLDEN, scope)
    want = {f: open(os.path.join(d, f), newline="").read()
            for f in os.listdir(d)}
    # changes.csv is new since the goldens were made (issue 14): t_changes.py
    got = {golden.flat(k): v for k, v in got.items() if k != "changes.csv"}
    assert sorted(got) == sorted(want), (scope, sorted(set(got) ^ set(want)))
    for f in sorted(want):
        if got[f] != want[f]:
            diff = difflib.unified_diff(want[f].splitlines(),
                                        got[f].splitlines(), "golden", "now",
                                        lineterm="", n=1)
            raise AssertionError("%s/%s differs:\n%s" % (
                scope, f, "\n".join(list(diff)[:20])))


def test_golden_exports():
    """Internal and public exports of the golden world equal the goldens,
    file by file (xlsx: cells and formats, charts, styles)."""
    ci = golden.world("t_golden", h.TMP)
    for scope in ("internal", "public"):
        _compare(scope, golden.export(ci, os.path.join(h.TMP, "g-" + scope),
                                      scope))


TESTS = [test_golden_exports]
