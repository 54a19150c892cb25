#!/bin/sh
# bench/gswb_bench.sh - the global study workbook (export/gswb.c) of the
# synthetic world, side by side with python3-xlsxwriter writing the same
# workbook from the same rows, at two sizes (see bench/README.md).
#
#   sh bench/gswb_bench.sh build/iafq build/tests/gswb_write
#                                         (what `make bench` runs)
#
# Environment:
#   GSWB_YEARS="10 30"   sizes: years of the synthetic world (193 countries
#                        each year; bench/synth_world.sql is 10 years)
#   GSWB_RUNS=3          runs of iafq (best wall time; python runs once)
#   PYTHON=/usr/bin/python3  with python3-xlsxwriter (make deps)
#
# A throwaway cluster under /tmp (tests/pgtmp.sh), removed at the end.
# Exit status 0 unless a tool fails to run (goals are informational).
set -u

IAFQ=${1:-build/iafq}
DRIVER=${2:-build/tests/gswb_write}
PY=${PYTHON:-/usr/bin/python3}
YEARS=${GSWB_YEARS:-10 30}
RUNS=${GSWB_RUNS:-3}
TIME=/usr/bin/time
OUT=bench/out
GOAL_SPEED=5

die() { echo "gswb bench: $*" >&2; exit 1; }
[ -x "$IAFQ" ] || die "$IAFQ: not built (make)"
[ -x "$DRIVER" ] || die "$DRIVER: not built (make $DRIVER)"
[ -x "$TIME" ] || die "$TIME missing: GNU time (make deps)"
"$PY" -c 'import xlsxwriter' 2>/dev/null ||
    die "python3-xlsxwriter missing (make deps)"
mkdir -p "$OUT" || die "cannot create $OUT"

dir=/tmp/iafq-gswb-bench-$$
TMP=$OUT/.gswb.$$
cleanup() {
    sh tests/pgtmp.sh stop "$dir" >/dev/null 2>&1
    rm -rf "$dir" "$TMP" "$TMP.err"
}
trap cleanup EXIT INT TERM
conn=$(sh tests/pgtmp.sh start "$dir") || die "cannot start PostgreSQL"
fail=0

# measure CMD... -> W (s), M (KB), RC
measure() {
    "$TIME" -f '%e %M' -o "$TMP" "$@" >/dev/null 2>"$TMP.err"
    RC=$?
    set -- $(tail -n 1 "$TMP")
    W=${1:-0}
    M=${2:-0}
}

echo
echo "== global study workbook: iafq (libxlsxwriter, C) vs python3-xlsxwriter," \
    "same rows, same layout; iafq best of $RUNS, python 1 run"
printf "%-6s %9s %10s %-18s %8s %12s %9s\n" years rows cells tool wall_s \
    peak_rss_MB size_MB
first_rss=
for y in $YEARS; do
    db=gswb_$y
    n=$((193 * y))
    psql -X -q "$conn" -c "CREATE DATABASE $db" >/dev/null || die "createdb"
    sh tests/sql/migrate.sh "$conn dbname=$db" 2>/dev/null || die "migrate"
    sed -e "s/generate_series(2013, 2022)/generate_series($((2023 - y)), 2022)/g" \
        -e "s/g % 1930/g % $n/; s/g \/ 1930/g \/ $n/" bench/synth_world.sql |
        psql -X -q -v ON_ERROR_STOP=1 "$conn dbname=$db" >/dev/null ||
        die "synth_world.sql"
    "$IAFQ" --db "$conn dbname=$db" aggregate >/dev/null || die "aggregate"
    # settle the tables before timing (no autovacuum/analyze mid-run)
    psql -X -q "$conn dbname=$db" -c "VACUUM ANALYZE" >/dev/null
    set -- $(psql -X -At -F ' ' "$conn dbname=$db" -c "SELECT id,
        to_char(started AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
        to_char(finished AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
        cardinality(submissions) FROM iafq.latest_run")
    run_args="--run-id $1 --started $2 --finished $3 --submissions $4"
    rows=$(psql -X -At "$conn dbname=$db" -c "SELECT
        (SELECT count(*) FROM iafq.gs1) + (SELECT count(*) FROM iafq.gs2) +
        (SELECT count(*) FROM iafq.gs3) + (SELECT count(*) FROM iafq.gs4) +
        (SELECT count(*) FROM iafq.gs5) + (SELECT count(*) FROM iafq.gs6) +
        (SELECT count(*) FROM iafq.gs7) + (SELECT count(*) FROM iafq.gs8) +
        (SELECT count(*) FROM iafq.gs9)")

    bw= bm=0
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        rm -f "$OUT/gswb_iafq_$y.xlsx"
        # shellcheck disable=SC2086 # run_args is several words
        measure "$DRIVER" --db "$conn dbname=$db" $run_args \
            "$OUT/gswb_iafq_$y.xlsx"
        if [ "$RC" -ne 0 ]; then
            echo "gswb bench: iafq failed:" >&2; cat "$TMP.err" >&2; fail=1
        fi
        bw=$(awk -v a="$bw" -v b="$W" 'BEGIN { print (a == "" || b < a) ? b : a }')
        bm=$(awk -v a="$bm" -v b="$M" 'BEGIN { print (b > a) ? b : a }')
        i=$((i + 1))
    done
    rm -f "$OUT/gswb_py_$y.xlsx"
    measure "$PY" bench/gswb_xlsxwriter.py "$conn dbname=$db" \
        "$OUT/gswb_py_$y.xlsx"
    if [ "$RC" -ne 0 ]; then
        echo "gswb bench: python3-xlsxwriter failed:" >&2; cat "$TMP.err" >&2
        fail=1
    fi
    pw=$W pm=$M
    cells=$("$PY" - "$OUT/gswb_iafq_$y.xlsx" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(sum(len(re.findall(rb"<c ", z.read(n))) for n in z.namelist()
          if n.startswith("xl/worksheets/sheet")))
EOF
)
    mb() { awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }
    printf "%-6s %9s %10s %-18s %8.2f %12.1f %9s\n" "$y" "$rows" "$cells" \
        "iafq (C)" "$bw" "$(awk -v m="$bm" 'BEGIN { print m / 1024 }')" \
        "$(mb "$OUT/gswb_iafq_$y.xlsx")"
    printf "%-6s %9s %10s %-18s %8.2f %12.1f %9s\n" "$y" "$rows" "$cells" \
        "python3-xlsxwriter" "$pw" "$(awk -v m="$pm" 'BEGIN { print m / 1024 }')" \
        "$(mb "$OUT/gswb_py_$y.xlsx")"
    awk -v p="$pw" -v i="$bw" -v g="$GOAL_SPEED" 'BEGIN {
        r = (i > 0) ? p / i : 0;
        printf "  python / iafq %29.1fx (goal >= %dx)  %s\n", r, g,
            (r >= g) ? "PASS" : "MISS" }'
    if [ -z "$first_rss" ]; then
        first_rss=$bm first_rows=$rows
    else
        awk -v a="$bm" -v b="$first_rss" -v r2="$rows" -v r1="$first_rows" 'BEGIN {
            printf "  iafq peak RSS %.1f MB at %d rows vs %.1f MB at %d rows" \
                " (x%.2f for x%.1f rows)  %s\n", a / 1024, r2, b / 1024, r1,
                a / b, r2 / r1, (a / b <= 1.25) ? "FLAT" : "GROWS" }'
    fi
done
exit $fail
