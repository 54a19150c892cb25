#!/bin/sh
# bench/changes_run.sh - what changes.csv and the shared comparison cost
# (issue 14 item 3; bench/README.md, "changes.csv and iafq diff"), in one
# run on one throwaway PostgreSQL 15 with the synthetic world
# (bench/synth_world.sql: 193 countries x 10 years, 2,000,000 T11 rows):
# run 1, one country-year revised (bench/incr_change.sql), run 2, then,
# BENCH_RUNS times each, alternated:
#   diff        `iafq diff 1 2 --format csv`, this build (both runs' views
#               through iafq_public.view_changes) against the previous
#               main (its own query over the res_* tables)
#   export      `iafq export --format sdmx` (the smallest format, so that
#               the figure is mostly changes.csv) internal and public, this
#               build (writes changes.csv against run 1) against the
#               previous main (writes no changes.csv)
# Both binaries read the same database, migrated by this build (the
# previous main ignores the newer migration).
#
#   sh bench/changes_run.sh build/iafq
#
# Environment: BENCH_RUNS (3), BENCH_PREV (1967b1c: the commit built with
# `git archive` into bench/out/prev-COMMIT/, as bench/run.sh does),
# BENCH_PGDIR, BENCH_KEEP (set: leave the cluster running, for a look).
# Exit status 0 unless a tool fails (informational).
set -u
IAFQ=${1:-build/iafq}
RUNS=${BENCH_RUNS:-3}
PREV=${BENCH_PREV-1967b1c}
PGDIR=${BENCH_PGDIR:-/tmp/iafq-bench-changes.$$}
OUT=bench/out
TIME=/usr/bin/time
fail=0
die() { echo "bench: $*" >&2; exit 1; }
[ -x "$IAFQ" ] || die "$IAFQ: not built (make)"
[ -x "$TIME" ] || die "$TIME missing: GNU time (make deps)"
IAFQ=$(cd "$(dirname "$IAFQ")" && pwd)/$(basename "$IAFQ")
mkdir -p "$OUT" || die "cannot create $OUT"
TMP=$OUT/.chgtime.$$
CONN=
EXP=/tmp/iafq-bench-changes-out.$$
cleanup() {
    [ -n "${BENCH_KEEP-}" ] && { echo "bench: kept $PGDIR ($CONN)"; return; }
    sh tests/pgtmp.sh stop "$PGDIR" 2>/dev/null
    rm -rf "$PGDIR" "$EXP" "$EXP".* "$(dirname "$EXP")"/.iafq-bench-changes-out.$$*
    rm -f "$TMP" "$TMP".*
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PSQL() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$@"; }
measure() { # NAME CMD... -> appends the wall time to $TMP.NAME
    name=$1
    shift
    "$TIME" -f '%e' -o "$TMP" "$@" >"$TMP.out" 2>"$TMP.err"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "bench: $* exited $rc:" >&2
        cat "$TMP.err" >&2
        fail=1
    fi
    tail -n 1 "$TMP" >>"$TMP.$name"
}
median() { sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# the previous main, built once from git (as bench/run.sh)
PREV_BIN=
if [ -n "$PREV" ] && sha=$(git rev-parse --short "$PREV^{commit}" 2>/dev/null); then
    dir=$OUT/prev-$sha
    if [ ! -x "$dir/build/iafq" ]; then
        echo "bench: building the previous main ($sha) in $dir"
        rm -rf "$dir" && mkdir -p "$dir" &&
            git archive "$sha" | tar -x -C "$dir" &&
            make -C "$dir" -j2 all >"$dir.log" 2>&1 || dir=
    fi
    [ -n "$dir" ] && PREV_BIN=$(cd "$dir/build" && pwd)/iafq
fi
[ -n "$PREV_BIN" ] || echo "bench: note: no previous main ($PREV): this build alone" >&2

rm -rf "$PGDIR"
CONN=$(sh tests/pgtmp.sh start "$PGDIR") || die "cannot start PostgreSQL (tests/pgtmp.sh)"
CONN=${CONN% dbname=postgres}
DB="$CONN dbname=iafq_w"
PSQL "$CONN dbname=postgres" -c 'CREATE DATABASE iafq_w' >/dev/null || die "createdb"
"$IAFQ" --db "$DB" db init >/dev/null || die "iafq db init failed"
PSQL "$DB" -f bench/synth_world.sql >/dev/null || die "synth_world.sql failed"
PSQL "$DB" -c 'VACUUM ANALYZE' -c CHECKPOINT
"$IAFQ" --db "$DB" aggregate >/dev/null || die "aggregate 1 failed"
R1=$(psql -X -At "$DB" -c 'SELECT max(id) FROM iafq.agg_run')
# the base of changes.csv: an internal and a public export of run 1
"$IAFQ" --db "$DB" export -o "$EXP.i" --format sdmx >/dev/null || die "export 1 failed"
"$IAFQ" --db "$DB" export -o "$EXP.p" --public --format sdmx >/dev/null || die "public export 1 failed"
PSQL "$DB" -v n=0 -f bench/incr_change.sql >/dev/null || die "incr_change.sql failed"
"$IAFQ" --db "$DB" aggregate >/dev/null || die "aggregate 2 failed"
R2=$(psql -X -At "$DB" -c 'SELECT max(id) FROM iafq.agg_run')
PSQL "$DB" -c 'VACUUM ANALYZE'
echo
echo "iafq changes.csv / diff bench: $(nproc) CPU, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
    "runs $R1 and $R2 (one country-year revised)"

i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    measure diff "$IAFQ" --db "$DB" diff "$R1" "$R2" --format csv
    cp "$TMP.out" "$TMP.outnew"
    [ -n "$PREV_BIN" ] && measure diffprev "$PREV_BIN" --db "$DB" diff "$R1" "$R2" --format csv &&
        cp "$TMP.out" "$TMP.outprev"
    measure exp "$IAFQ" --db "$DB" export -o "$EXP.i" --format sdmx
    [ -n "$PREV_BIN" ] && measure expprev "$PREV_BIN" --db "$DB" export -o "$EXP.ip" --format sdmx
    measure pub "$IAFQ" --db "$DB" export -o "$EXP.p" --public --format sdmx
    [ -n "$PREV_BIN" ] && measure pubprev "$PREV_BIN" --db "$DB" export -o "$EXP.pp" --public --format sdmx
done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
NI=$(($(wc -l <"$EXP.i/changes.csv") - 1))
NP=$(($(wc -l <"$EXP.p/changes.csv") - 1))
ND=$(($(wc -l <"$TMP.outnew") - 1))
same=
if [ -f "$TMP.outprev" ]; then
    # the same figures (columns 1-10), whatever the order
    if [ "$(cut -d, -f1-10 "$TMP.outnew" | sort | md5sum)" = \
         "$(cut -d, -f1-10 "$TMP.outprev" | sort | md5sum)" ]; then
        same="same figures as the previous main's"
    else
        same="DIFFERENT figures from the previous main's"
        fail=1
    fi
fi
printf '%-44s %10s %10s\n' "median of $RUNS, wall s" "this" "prev main"
printf '%-44s %10s %10s\n' "iafq diff $R1 $R2 ($ND figures; $same)" \
    "$(median <"$TMP.diff")" "$([ -f "$TMP.diffprev" ] && median <"$TMP.diffprev")"
printf '%-44s %10s %10s\n' "export --format sdmx ($NI changed figures)" \
    "$(median <"$TMP.exp")" "$([ -f "$TMP.expprev" ] && median <"$TMP.expprev")"
printf '%-44s %10s %10s\n' "export --public --format sdmx ($NP changed)" \
    "$(median <"$TMP.pub")" "$([ -f "$TMP.pubprev" ] && median <"$TMP.pubprev")"
echo "changed figures by view, measure and change (internal, then public):"
for f in "$EXP.i/changes.csv" "$EXP.p/changes.csv"; do
    python3 -c 'import csv, collections, sys
n = collections.Counter((r["view"], r["measure"], r["change"]) for r in csv.DictReader(open(sys.argv[1], newline="")))
for k, v in sorted(n.items()): print("  %s %s %s: %d" % (k + (v,)))' "$f" | head -n 40
    echo "  --"
done
exit $fail
