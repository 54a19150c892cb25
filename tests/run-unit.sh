#!/bin/sh
# Run every CUnit runner under BUILD/tests; fail if any fails.
build=${1:-build}
export IAFQ_FIXTURES="${IAFQ_FIXTURES:-$build/fixtures}"
export IAFQ_BIN="${IAFQ_BIN:-$build/iafq}"   # tests that run the binary
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
