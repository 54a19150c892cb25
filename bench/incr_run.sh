#!/bin/sh
# bench/incr_run.sh - incremental aggregation on the synthetic world
# (issue 14, item 5; bench/README.md, "Incremental aggregation"), in one
# run on one throwaway PostgreSQL 15:
#   full        the first `iafq aggregate` of bench/synth_world.sql (193
#               countries x 10 years, 2,000,000 T11 rows): every year
#               computed, every row stored; then `aggregate --full`
#               BENCH_RUNS times (every year computed, nothing to store)
#   nothing     `iafq aggregate` with nothing changed, BENCH_RUNS times
#   one         one country-year revised (bench/incr_change.sql), then
#               `iafq aggregate`: BENCH_INCR_RUNS (30) runs, each after a
#               different country-year's revision
#   storage     pg_total_relation_size of the result tables (iafq.res_*)
#               after the first run (one full copy) and after the 30
#               runs, against 30 full copies (30 x one copy)
#   equal       the incremental results equal a from-scratch aggregation
#               (every stable view, a new database from the same data)
#
#   sh bench/incr_run.sh build/iafq
#
# Environment: BENCH_RUNS (3), BENCH_INCR_RUNS (30), BENCH_FSYNC (1),
# BENCH_PGDIR.  Exit status 0 unless a tool fails (goals informational).
set -u
IAFQ=${1:-build/iafq}
RUNS=${BENCH_RUNS:-3}
NINCR=${BENCH_INCR_RUNS:-30}
FSYNC=${BENCH_FSYNC:-1}
PGDIR=${BENCH_PGDIR:-/tmp/iafq-bench-incr.$$}
OUT=bench/out
TIME=/usr/bin/time
fail=0
die() { echo "bench: $*" >&2; exit 1; }
[ -x "$IAFQ" ] || die "$IAFQ: not built (make)"
[ -x "$TIME" ] || die "$TIME missing: GNU time (make deps)"
IAFQ=$(cd "$(dirname "$IAFQ")" && pwd)/$(basename "$IAFQ")
mkdir -p "$OUT" || die "cannot create $OUT"
TMP=$OUT/.incrtime.$$
cleanup() {
    sh tests/pgtmp.sh stop "$PGDIR" 2>/dev/null
    rm -rf "$PGDIR"
    rm -f "$TMP" "$TMP.err" "$TMP.out"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PSQL() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$@"; }
measure() { # CMD... -> W (s), RC; stdout in $TMP.out
    "$TIME" -f '%e' -o "$TMP" "$@" >"$TMP.out" 2>"$TMP.err"
    RC=$?
    W=$(tail -n 1 "$TMP")
    if [ "$RC" -ne 0 ]; then
        echo "bench: $* exited $RC:" >&2
        cat "$TMP.err" >&2
        fail=1
    fi
}
median() { sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
RES="'iafq.res_sdg_16_4_2', 'iafq.res_sdg_16_4_2_by_column',
     'iafq.res_sdg_16_4_2_by_tracing', 'iafq.res_gs1', 'iafq.res_share',
     'iafq.res_count', 'iafq.res_gs8', 'iafq.res_gs9'"
size() { # DB -> bytes of the result tables (with indexes, TOAST)
    psql -X -At "$CONN dbname=$1" -c "SELECT sum(pg_total_relation_size(t::regclass))
        FROM unnest(ARRAY[$RES]) AS t"
}
rows() { # DB -> result rows stored
    psql -X -At "$CONN dbname=$1" -c "SELECT sum(n) FROM (
        SELECT count(*) AS n FROM iafq.res_sdg_16_4_2 UNION ALL SELECT count(*) FROM iafq.res_sdg_16_4_2_by_column
        UNION ALL SELECT count(*) FROM iafq.res_sdg_16_4_2_by_tracing UNION ALL SELECT count(*) FROM iafq.res_gs1
        UNION ALL SELECT count(*) FROM iafq.res_share UNION ALL SELECT count(*) FROM iafq.res_count
        UNION ALL SELECT count(*) FROM iafq.res_gs8 UNION ALL SELECT count(*) FROM iafq.res_gs9) AS x"
}

rm -rf "$PGDIR"
CONN=$(PGTMP_DURABLE=$FSYNC sh tests/pgtmp.sh start "$PGDIR") ||
    die "cannot start PostgreSQL (tests/pgtmp.sh)"
CONN=${CONN% dbname=postgres}
PSQL "$CONN dbname=postgres" -c 'CREATE DATABASE iafq_w' >/dev/null || die "createdb"
"$IAFQ" --db "$CONN dbname=iafq_w" db init >/dev/null || die "iafq db init failed"
PSQL "$CONN dbname=iafq_w" -f bench/synth_world.sql >/dev/null || die "synth_world.sql failed"
PSQL "$CONN dbname=iafq_w" -c 'VACUUM ANALYZE' -c CHECKPOINT
echo
echo "iafq incremental aggregation bench: $(nproc) CPU, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
    "fsync=$([ "$FSYNC" = 1 ] && echo on || echo off)"

# ---- full --------------------------------------------------------------------
measure "$IAFQ" --db "$CONN dbname=iafq_w" aggregate
FIRST=$W
ROWS1=$(rows iafq_w)
PSQL "$CONN dbname=iafq_w" -c 'VACUUM ANALYZE'
SIZE1=$(size iafq_w)
echo "first aggregation (every year, every row stored): ${FIRST}s; $ROWS1 rows, $SIZE1 bytes"
: >"$OUT/incr_full.txt"
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    measure "$IAFQ" --db "$CONN dbname=iafq_w" aggregate --full
    echo "$W" >>"$OUT/incr_full.txt"
    echo "aggregate --full $i: ${W}s: $(cat "$TMP.out")"
done
FULL=$( (cat "$OUT/incr_full.txt"; echo "$FIRST") | median)

# ---- nothing changed -----------------------------------------------------------
: >"$OUT/incr_none.txt"
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    measure "$IAFQ" --db "$CONN dbname=iafq_w" aggregate
    echo "$W" >>"$OUT/incr_none.txt"
    echo "aggregate, nothing changed $i: ${W}s: $(cat "$TMP.out")"
done
NONE=$(median <"$OUT/incr_none.txt")

# ---- one country-year changed, NINCR times -------------------------------------
SIZEB=$(size iafq_w)
ROWSB=$(rows iafq_w)
: >"$OUT/incr_one.txt"
i=0
while [ "$i" -lt "$NINCR" ]; do
    PSQL "$CONN dbname=iafq_w" -v n=$((i * 61 % 1930)) -f bench/incr_change.sql >/dev/null ||
        die "incr_change.sql failed"
    i=$((i + 1))
    measure "$IAFQ" --db "$CONN dbname=iafq_w" aggregate
    echo "$W" >>"$OUT/incr_one.txt"
    [ "$i" -le 3 ] || [ "$i" -eq "$NINCR" ] && echo "one country-year changed, run $i: ${W}s: $(cat "$TMP.out")"
done
ONE=$(median <"$OUT/incr_one.txt")
SIZEA=$(size iafq_w)
ROWSA=$(rows iafq_w)
PSQL "$CONN dbname=iafq_w" -c 'VACUUM'
SIZEV=$(size iafq_w)

# ---- equal: a from-scratch aggregation of the same data --------------------------
PSQL "$CONN dbname=postgres" -c 'CREATE DATABASE iafq_s TEMPLATE iafq_w' >/dev/null || die "createdb iafq_s"
PSQL "$CONN dbname=iafq_s" -c 'DELETE FROM iafq.agg_run' >/dev/null || die "delete runs"
"$IAFQ" --db "$CONN dbname=iafq_s" aggregate >/dev/null || die "scratch aggregate failed"
VIEWS="iafq.sdg_16_4_2 iafq.sdg_16_4_2_by_column iafq.sdg_16_4_2_by_tracing iafq.gs1 iafq.gs2
       iafq.gs3 iafq.gs4 iafq.gs5 iafq.gs6 iafq.gs7 iafq.gs8 iafq.gs9 iafq_public.gs1 iafq_public.gs9
       iafq_public.sdg_16_4_2"
EQUAL=yes
for v in $VIEWS; do
    a=$(psql -X -At "$CONN dbname=iafq_w" -c "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM $v AS x")
    b=$(psql -X -At "$CONN dbname=iafq_s" -c "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM $v AS x")
    [ "$a" = "$b" ] || { EQUAL=no; echo "bench: $v differs from a from-scratch aggregation" >&2; fail=1; }
done

verdict() { # label value op goal unit
    awk -v l="$1" -v v="$2" -v op="$3" -v g="$4" -v u="$5" 'BEGIN {
        ok = (op == "<=") ? (v <= g) : (op == "<") ? (v < g) : (v >= g);
        printf "  %-52s %9.2f%s (goal %s %s%s)  %s\n", l, v, u, op, g, u,
            ok ? "PASS" : "MISS" }'
}
echo
echo "== incremental aggregation, synthetic world"
echo "full aggregation (median of the first run and $RUNS --full runs): ${FULL}s" \
    "(first run ${FIRST}s; --full: $(tr '\n' ' ' <"$OUT/incr_full.txt"))"
echo "nothing changed (median of $RUNS): ${NONE}s ($(tr '\n' ' ' <"$OUT/incr_none.txt"))"
echo "one country-year changed (median of $NINCR): ${ONE}s"
echo "result tables: one full copy $SIZE1 bytes ($ROWS1 rows); before the $NINCR runs" \
    "$SIZEB bytes ($ROWSB rows); after them $SIZEA bytes ($ROWSA rows), $SIZEV after VACUUM;" \
    "$NINCR full copies: $((SIZE1 * NINCR)) bytes ($((ROWS1 * NINCR)) rows)"
echo "incremental = from scratch (every stable view, 3 public views): $EQUAL"
echo
echo "goals (load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
verdict "full / nothing changed" "$(awk -v a="$FULL" -v b="$NONE" 'BEGIN { print (b > 0) ? a / b : 999 }')" ">=" 10 x
verdict "full / one country-year changed" "$(awk -v a="$FULL" -v b="$ONE" 'BEGIN { print (b > 0) ? a / b : 999 }')" ">=" 5 x
verdict "growth of $NINCR runs, % of one full copy (bytes)" "$(awk -v a="$SIZEA" -v b="$SIZEB" -v c="$SIZE1" 'BEGIN { print 100 * (a - b) / c }')" "<" 5 " %"
verdict "growth of $NINCR runs, % of one full copy (rows)" "$(awk -v a="$ROWSA" -v b="$ROWSB" -v c="$ROWS1" 'BEGIN { print 100 * (a - b) / c }')" "<" 5 " %"
exit $fail
