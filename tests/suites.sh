#!/bin/sh
# suites.sh NAME COMMAND [NAME COMMAND ...] - run every test suite of
# `make test`, each through tmpcheck.sh (a private TMPDIR that must be left
# empty), all of them even when one fails, then say the totals once:
#
#   unit: 19 passed, 0 failed; db: 45 passed, 0 failed; ...; total: N passed, M failed
#   N passed, M failed
#
# Each suite's runner ends with a line "NAME: P passed, F failed"; a suite
# that exits non-zero without such a line saying so (a crash, files left in
# TMPDIR) counts one more failure.  Exit status 1 when anything failed.
here=$(dirname "$0")
logs=$(mktemp -d /tmp/iafq-suites-XXXXXX) || exit 3
trap 'rm -rf "$logs"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
summary=""; tp=0; tf=0; bad=""
while [ $# -ge 2 ]; do
    name=$1; cmd=$2; shift 2
    log="$logs/$name"
    { sh "$here/tmpcheck.sh" sh -c "$cmd"; echo $? >"$log.rc"; } | tee "$log"
    rc=$(cat "$log.rc")
    line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
    p=$(echo "$line" | sed -E 's/^[^:]*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/^[^:]*: [0-9]+ passed, ([0-9]+) failed.*/\1/')
    [ -n "$line" ] || { p=0; f=0; }
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=$((f + 1)) # the suite failed as a whole
    fi
    [ "$f" -gt 0 ] && bad="$bad $name"
    summary="$summary$name: $p passed, $f failed; "
    tp=$((tp + p)); tf=$((tf + f))
done
echo
if [ -n "$bad" ]; then
    echo "${summary}total: $tp passed, $tf failed (failed:$bad)"
else
    echo "${summary}total: $tp passed, $tf failed"
fi
echo "$tp passed, $tf failed"
[ "$tf" -eq 0 ]
