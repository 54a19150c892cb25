#!/bin/sh
# Run every CUnit runner under BUILD/tests; fail if any fails.  The runners
# that need PostgreSQL share one throwaway cluster made here (pgtmp.sh),
# stopped and removed at the end whatever happens.
build=${1:-build}
export IAFQ_FIXTURES="${IAFQ_FIXTURES:-$build/fixtures}"
export IAFQ_BIN="${IAFQ_BIN:-$build/iafq}"   # tests that run the binary
here=$(dirname "$0")
pgdir=/tmp/iafq-unit-pg-$$
cleanup() {
    sh "$here/pgtmp.sh" stop "$pgdir" 2>/dev/null
    rm -rf "$pgdir"
}
trap cleanup EXIT INT TERM
if IAFQ_TEST_PG=$(sh "$here/pgtmp.sh" start "$pgdir"); then
    export IAFQ_TEST_PG
else
    echo "unit: cannot start a PostgreSQL cluster for the database tests" >&2
    exit 1
fi
failed=0; ran=0
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    ran=$((ran + 1))
    if ! "$t"; then
        echo "FAILED: $t" >&2
        failed=$((failed + 1))
    fi
done
echo "unit: $((ran - failed)) passed, $failed failed"
[ "$ran" -gt 0 ] && [ "$failed" -eq 0 ]
