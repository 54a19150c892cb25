#!/bin/sh
# bench/db_run.sh - the database stage, side by side with the alternatives,
# in one run on one throwaway PostgreSQL 15 (see bench/README.md).
#
#   sh bench/db_run.sh build/iafq          (what `make bench` runs after
#                                           bench/run.sh)
#
# Contenders on the same T11 return (bench/gen_big.py, cached in bench/out/):
#   iafq ingest      FILE into a fresh database (CREATE DATABASE ... TEMPLATE
#                    a migrated one), so nothing is "unchanged"
#   iafq check       FILE (no database): what ingest should cost
#   psql \copy       the same seizure rows from a prepared TSV (the floor)
#   openpyxl+psycopg2  bench/openpyxl_copy.py: the analyst's script
# then `iafq ingest` of a smaller file (peak RSS against the row count), and
# `iafq aggregate` over bench/synth_world.sql (193 countries x 10 years,
# 2,000,000 T11 rows).
#
# Environment:
#   BENCH_ROWS=200000        T11 rows of the main file
#   BENCH_SMALL_ROWS=50000   T11 rows of the file for the RSS comparison
#   BENCH_RUNS=3             rounds; each round runs check, ingest and the
#                            floor once, in turn (ratios are per round, the
#                            median round is reported); aggregate runs
#                            BENCH_RUNS times; the Python script runs once
#   BENCH_FSYNC=1            the server runs with fsync, full_page_writes and
#                            synchronous_commit on, as a real server does
#                            (0: pgtmp.sh's test settings, durability off)
#   BENCH_PGDIR=/tmp/iafq-bench.PID  where the throwaway cluster lives
#   PYTHON=/usr/bin/python3  Debian's python3 (openpyxl, psycopg2)
#
# Exit status 0 unless a tool fails to run (goals are informational).
set -u

IAFQ=${1:-build/iafq}
PY=${PYTHON:-/usr/bin/python3}
ROWS=${BENCH_ROWS:-200000}
SMALL_ROWS=${BENCH_SMALL_ROWS:-50000}
RUNS=${BENCH_RUNS:-3}
FSYNC=${BENCH_FSYNC:-1}
PGDIR=${BENCH_PGDIR:-/tmp/iafq-bench.$$}
OUT=bench/out
TIME=/usr/bin/time

# goals (issue 6)
GOAL_CHECK=1.3    # ingest wall time <= 1.3x iafq check on the same file
GOAL_PY=10        # ingest at least 10x faster than openpyxl + psycopg2
GOAL_AGG=5        # iafq aggregate of the synthetic world under 5 s
GOAL_RSS_MB=2     # the loader's own memory: ingest RSS - check RSS grows by
                  # less than this from the small file to the main one

fail=0
die() { echo "bench: $*" >&2; exit 1; }

[ -x "$IAFQ" ] || die "$IAFQ: not built (make)"
[ -x "$TIME" ] || die "$TIME missing: GNU time, Debian package 'time' (make deps)"
[ -x "$PY" ] || die "$PY missing (make deps)"
command -v psql >/dev/null 2>&1 || die "psql missing: postgresql-15 (make deps)"
"$PY" -c 'import openpyxl, psycopg2' 2>/dev/null ||
    die "$PY lacks openpyxl or psycopg2 (python3-openpyxl, python3-psycopg2: make deps)"
IAFQ=$(cd "$(dirname "$IAFQ")" && pwd)/$(basename "$IAFQ")
mkdir -p "$OUT" || die "cannot create $OUT"
TMP=$OUT/.dbtime.$$
TSV=$OUT/seizure_$$.tsv

cleanup() {
    sh tests/pgtmp.sh stop "$PGDIR" 2>/dev/null
    rm -rf "$PGDIR"
    rm -f "$TMP" "$TMP.err" "$TSV"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

label() {
    awk -v n="$1" 'BEGIN {
        if (n % 1000000 == 0) printf "%dm", n / 1000000;
        else if (n % 1000 == 0) printf "%dk", n / 1000;
        else printf "%d", n }'
}

# gen ROWS -> prints the file (bench/gen_big.py, cached as in bench/run.sh)
gen() {
    _f=$OUT/big_$(label "$1").xlsx
    if [ ! -f "$_f" ] || [ ! -f "$_f.cells" ] || [ -n "$(find \
        bench/gen_big.py tests/fixtures/gen_returns.py -newer "$_f")" ]; then
        "$PY" bench/gen_big.py "$_f" "$1" >&2 || die "gen_big.py $_f $1 failed"
    fi
    echo "$_f"
}

# measure OUTFILE CMD... -> one run; sets W (s), M (KB), RC
measure() {
    _out=$1
    shift
    "$TIME" -f '%e %M' -o "$TMP" "$@" >"$_out" 2>"$TMP.err"
    RC=$?
    # shellcheck disable=SC2046 # "WALL RSS" -> $1 $2
    set -- $(tail -n 1 "$TMP")
    W=${1:-0}
    M=${2:-0}
}

ran() { # NAME: complain about a failed run
    if [ "$RC" -ne 0 ]; then
        echo "bench: $1 exited $RC:" >&2
        cat "$TMP.err" >&2
        fail=1
    fi
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -n 1; }
maximum() { sort -g | tail -n 1; }

PSQL() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# fresh DB: an empty migrated database named DB (from the template)
fresh() {
    PSQL "$CONN dbname=postgres" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
        -c "CREATE DATABASE $1 TEMPLATE iafq_tpl" -c CHECKPOINT ||
        die "cannot create database $1"
}

count_seizures() { # DB -> rows in iafq.seizure
    psql -X -Atc 'SELECT count(*) FROM iafq.seizure' "$CONN dbname=$1"
}

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo
echo "iafq db bench: $(nproc) CPU x ${CPU:-unknown}, $(uname -sr)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"

FILE=$(gen "$ROWS") || exit 1
SMALL=$(gen "$SMALL_ROWS") || exit 1

# ---- the server ------------------------------------------------------------
rm -rf "$PGDIR"
CONN=$(PGTMP_DURABLE=$FSYNC sh tests/pgtmp.sh start "$PGDIR") ||
    die "cannot start PostgreSQL (tests/pgtmp.sh)"
CONN=${CONN% dbname=postgres}
PSQL "$CONN dbname=postgres" -c 'CREATE DATABASE iafq_tpl' >/dev/null ||
    die "cannot create the template database"
"$IAFQ" --db "$CONN dbname=iafq_tpl" db init >/dev/null ||
    die "iafq db init failed"
SETTINGS=$(psql -X -At -F= "$CONN dbname=postgres" -c "SELECT name, setting
    FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit',
    'full_page_writes', 'shared_buffers', 'wal_buffers', 'max_wal_size')
    ORDER BY name" | tr '\n' ' ')
echo "server: PostgreSQL $(psql -X -Atc 'SHOW server_version' "$CONN dbname=postgres")," \
    "Unix socket, $SETTINGS(shared_buffers in 8 kB pages)"

# ---- the floor's TSV: exactly the rows iafq stores -------------------------
fresh iafq_b
"$IAFQ" --db "$CONN dbname=iafq_b" ingest "$FILE" >/dev/null 2>"$TMP.err" || {
    echo "bench: iafq ingest failed:" >&2
    cat "$TMP.err" >&2
    exit 1
}
PSQL "$CONN dbname=iafq_b" -c "\\copy (SELECT * FROM iafq.seizure ORDER BY sheet_row) TO '$TSV'" ||
    die "cannot write $TSV"

# ---- rounds: check, ingest, floor on the same file --------------------------
: >"$OUT/db_rounds.txt"
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    measure /dev/null "$IAFQ" check --format json "$FILE"
    [ "$RC" -le 1 ] || ran "iafq check"
    CW=$W CM=$M

    fresh iafq_b
    measure /dev/null "$IAFQ" --db "$CONN dbname=iafq_b" ingest "$FILE"
    ran "iafq ingest"
    IW=$W IM=$M
    n=$(count_seizures iafq_b)
    [ "$n" = "$ROWS" ] || { echo "bench: ingest stored $n seizures, not $ROWS" >&2; fail=1; }

    fresh iafq_b
    measure /dev/null psql -X -q -v ON_ERROR_STOP=1 "$CONN dbname=iafq_b" \
        -c "\\copy iafq.seizure FROM '$TSV'"
    ran "psql copy"
    FW=$W FM=$M
    n=$(count_seizures iafq_b)
    [ "$n" = "$ROWS" ] || { echo "bench: psql copy stored $n seizures, not $ROWS" >&2; fail=1; }

    echo "$CW $CM $IW $IM $FW $FM" >>"$OUT/db_rounds.txt"
    printf 'round %d: check %ss, ingest %ss, psql copy %ss (load %s)\n' \
        "$i" "$CW" "$IW" "$FW" "$(cut -d' ' -f1 /proc/loadavg)"
done

# ---- the analyst's script (once: it is the slow one) -------------------------
fresh iafq_b
measure "$TMP.py" "$PY" bench/openpyxl_copy.py "$FILE" "$CONN dbname=iafq_b" 1
ran "openpyxl_copy.py"
PW=$W PM=$M
n=$(count_seizures iafq_b)
[ "$n" = "$ROWS" ] || { echo "bench: openpyxl_copy.py stored $n seizures, not $ROWS" >&2; fail=1; }
rm -f "$TMP.py"

# ---- peak RSS at the small size ---------------------------------------------
: >"$OUT/db_small.txt"
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    measure /dev/null "$IAFQ" check --format json "$SMALL"
    [ "$RC" -le 1 ] || ran "iafq check (small)"
    CW=$W CM=$M
    fresh iafq_b
    measure /dev/null "$IAFQ" --db "$CONN dbname=iafq_b" ingest "$SMALL"
    ran "iafq ingest (small)"
    echo "$CW $CM $W $M" >>"$OUT/db_small.txt"
done

# ---- aggregate over the synthetic world -------------------------------------
fresh iafq_w
measure /dev/null psql -X -q -v ON_ERROR_STOP=1 -f bench/synth_world.sql "$CONN dbname=iafq_w"
ran "synth_world.sql"
SYW=$W
PSQL "$CONN dbname=iafq_w" -c 'VACUUM ANALYZE' -c CHECKPOINT
WORLD=$(psql -X -At -F' ' "$CONN dbname=iafq_w" -c "SELECT
    (SELECT count(*) FROM iafq.current_submissions),
    (SELECT count(*) FROM iafq.submission),
    (SELECT count(*) FROM iafq.seizure),
    (SELECT count(*) FROM iafq.value)")
: >"$OUT/db_agg.txt"
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    # --full: every year recomputed each time (a plain aggregate after the
    # first finds nothing changed: bench/incr_run.sh measures that)
    measure /dev/null "$IAFQ" --db "$CONN dbname=iafq_w" aggregate --full
    ran "iafq aggregate"
    echo "$W $M" >>"$OUT/db_agg.txt"
    echo "aggregate run $i: ${W}s (load $(cut -d' ' -f1 /proc/loadavg))"
done

# ---- the table --------------------------------------------------------------
col() { awk -v c="$1" '{ print $c }' "$2"; }
CWm=$(col 1 "$OUT/db_rounds.txt" | median)
IWm=$(col 3 "$OUT/db_rounds.txt" | median)
FWm=$(col 5 "$OUT/db_rounds.txt" | median)
CMx=$(col 2 "$OUT/db_rounds.txt" | maximum)
IMx=$(col 4 "$OUT/db_rounds.txt" | maximum)
FMx=$(col 6 "$OUT/db_rounds.txt" | maximum)
RATIO=$(awk '{ print ($1 > 0) ? $3 / $1 : 0 }' "$OUT/db_rounds.txt" | median)
RATIOS=$(awk '{ printf "%s%.2f", (NR > 1) ? " " : "", ($1 > 0) ? ($3 / $1) : 0 }' "$OUT/db_rounds.txt")
sCMx=$(col 2 "$OUT/db_small.txt" | maximum)
sIMx=$(col 4 "$OUT/db_small.txt" | maximum)
sIWm=$(col 3 "$OUT/db_small.txt" | median)
sCWm=$(col 1 "$OUT/db_small.txt" | median)
AGm=$(col 1 "$OUT/db_agg.txt" | median)
AGmin=$(col 1 "$OUT/db_agg.txt" | minimum)
AGmax=$(col 1 "$OUT/db_agg.txt" | maximum)
AGM=$(col 2 "$OUT/db_agg.txt" | maximum)

row() { # tool wall rss_kb rows
    awk -v t="$1" -v w="$2" -v m="$3" -v r="$4" -v i="$IWm" 'BEGIN {
        rps = (w > 0) ? sprintf("%.0f", r / w) : "inf";
        printf "%-28s %8.2f %11s %12.1f %9s\n", t, w, rps, m / 1024,
            (i > 0) ? sprintf("%.2fx", w / i) : "-" }'
}
verdict() { # label value op goal unit
    awk -v l="$1" -v v="$2" -v op="$3" -v g="$4" -v u="$5" 'BEGIN {
        ok = (op == "<=") ? (v <= g) : (op == "<") ? (v < g) : (v >= g);
        printf "  %-44s %8.2f%s (goal %s %s%s)  %s\n", l, v, u, op, g, u,
            ok ? "PASS" : "MISS" }'
}

echo
echo "== $FILE: $ROWS T11 rows; median of $RUNS rounds (openpyxl+psycopg2: 1 run);" \
    "fsync=$([ "$FSYNC" = 1 ] && echo on || echo off)"
printf "%-28s %8s %11s %12s %9s\n" tool wall_s rows_per_s peak_rss_MB vs_ingest
row "iafq ingest" "$IWm" "$IMx" "$ROWS"
row "iafq check (no database)" "$CWm" "$CMx" "$ROWS"
row "psql copy TSV (floor)" "$FWm" "$FMx" "$ROWS"
row "openpyxl + psycopg2 COPY" "$PW" "$PM" "$ROWS"
echo "ingest / check per round: $RATIOS"
echo
echo "== peak RSS against T11 rows (highest of $RUNS runs; MB)"
printf "%-28s %10s %10s %10s\n" "" "$(label "$SMALL_ROWS") rows" "$(label "$ROWS") rows" growth
awk -v a="$sIMx" -v b="$IMx" 'BEGIN { printf "%-28s %10.1f %10.1f %+10.1f\n", "iafq ingest", a / 1024, b / 1024, (b - a) / 1024 }'
awk -v a="$sCMx" -v b="$CMx" 'BEGIN { printf "%-28s %10.1f %10.1f %+10.1f\n", "iafq check", a / 1024, b / 1024, (b - a) / 1024 }'
LOADER_GROWTH=$(awk -v a="$sIMx" -v b="$IMx" -v c="$sCMx" -v d="$CMx" \
    'BEGIN { print ((b - d) - (a - c)) / 1024 }')
awk -v a="$sIMx" -v b="$IMx" -v c="$sCMx" -v d="$CMx" 'BEGIN {
    printf "%-28s %10.1f %10.1f %+10.1f\n", "ingest - check (loader)", (a - c) / 1024, (b - d) / 1024, ((b - d) - (a - c)) / 1024 }'
echo "(wall: ingest $sIWm s, check $sCWm s at $(label "$SMALL_ROWS") rows)"
echo
echo "== iafq aggregate: synthetic world ($WORLD: current submissions," \
    "submissions, T11 rows, T1-T10 values; generated in ${SYW}s)"
echo "wall_s over $RUNS runs: $(tr '\n' ' ' <"$OUT/db_agg.txt" | awk '{ for (i = 1; i <= NF; i += 2) printf "%s ", $i }')" \
    "(median $AGm, min $AGmin, max $AGmax); peak RSS $(awk -v m="$AGM" 'BEGIN { printf "%.1f", m / 1024 }') MB"
echo
echo "goals (load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
verdict "ingest / check (median round)" "$RATIO" "<=" "$GOAL_CHECK" x
verdict "openpyxl+psycopg2 / ingest" "$(awk -v a="$PW" -v b="$IWm" 'BEGIN { print (b > 0) ? a / b : 0 }')" ">=" "$GOAL_PY" x
verdict "loader RSS growth $(label "$SMALL_ROWS")->$(label "$ROWS") rows" "$LOADER_GROWTH" "<" "$GOAL_RSS_MB" " MB"
verdict "aggregate, median of $RUNS" "$AGm" "<" "$GOAL_AGG" " s"
verdict "aggregate, slowest of $RUNS" "$AGmax" "<" "$GOAL_AGG" " s"
exit $fail
