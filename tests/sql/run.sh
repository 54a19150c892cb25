#!/bin/sh
# run.sh - the SQL tests: a throwaway PostgreSQL 15 cluster (tests/pgtmp.sh),
# the migrations from empty and re-applied, then every tests/sql/test_*.sql
# in its own fresh database (a copy of a migrated template) with
# ON_ERROR_STOP: a failed ASSERT / RAISE EXCEPTION fails that file.
#
#   sh tests/sql/run.sh [test_name.sql ...]
#
# Test files may `\i :aggregate` (a whole `iafq aggregate` run, in one
# transaction, like db/ does it), `\i :aggregate_steps` (the same files
# inside the caller's own transaction), `\i :aggregate_full` (a whole
# `iafq aggregate --full` run) or `\i :aggregate_unfinished` (every
# aggregation file but the last, 99_finish).
# Exit status: 0 when everything passed, 1 otherwise.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1

tmp=$(mktemp -d /tmp/iafq-sqltest.XXXXXX) || exit 1
chmod 0711 "$tmp"
cleanup() {
    sh "$root/tests/pgtmp.sh" stop "$tmp/pg" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

conn=$(sh tests/pgtmp.sh start "$tmp/pg") || { echo "sql: cannot start PostgreSQL" >&2; exit 1; }
export PGOPTIONS='-c client_min_messages=warning'

# the aggregation, as `iafq aggregate` runs it (BEGIN, the files in order, COMMIT)
{
    echo 'BEGIN;'
    for f in sql/aggregate/*.sql; do echo "\\i $root/$f"; done
    echo 'COMMIT;'
} >"$tmp/aggregate.psql"
for f in sql/aggregate/*.sql; do echo "\\i $root/$f"; done >"$tmp/aggregate_steps.psql"
sed '$d' "$tmp/aggregate_steps.psql" >"$tmp/aggregate_unfinished.psql"
# --full: sql/q/agg_full.sql right after the first file, as agg.c runs it
awk -v full="\\i $root/sql/q/agg_full.sql" '{ print } /00_run\.sql$/ { print full }' \
    "$tmp/aggregate.psql" >"$tmp/aggregate_full.psql"

passed=0
failed=0
report() { # name status logfile
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1))
        echo "sql: PASS $1"
    else
        failed=$((failed + 1))
        echo "sql: FAIL $1" >&2
        sed 's/^/    /' "$3" >&2
    fi
}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
migrations=$(for f in sql/migrations/[0-9]*.sql; do basename "$f" .sql; done | paste -sd, -)

# --- migrations: from empty, re-applied, and a second database of the cluster
q "$conn" -c 'CREATE DATABASE m1' -c 'CREATE DATABASE m2' >"$tmp/log" 2>&1
sh tests/sql/migrate.sh "$conn dbname=m1" >>"$tmp/log" 2>&1
st=$?
if [ $st -eq 0 ]; then
    got=$(psql -X -At "$conn dbname=m1" -c "SELECT string_agg(version, ',' ORDER BY version) FROM iafq.schema_migrations" 2>>"$tmp/log")
    [ "$got" = "$migrations" ] || { echo "recorded: $got; files: $migrations" >>"$tmp/log"; st=1; }
fi
report "migrations from empty" $st "$tmp/log"

before=$(psql -X -At "$conn dbname=m1" -c "SELECT count(*), max(applied_at) FROM iafq.schema_migrations" 2>&1)
sh tests/sql/migrate.sh "$conn dbname=m1" >"$tmp/log" 2>&1
st=$?
after=$(psql -X -At "$conn dbname=m1" -c "SELECT count(*), max(applied_at) FROM iafq.schema_migrations" 2>&1)
[ "$before" = "$after" ] || { echo "schema_migrations changed: $before -> $after" >>"$tmp/log"; st=1; }
report "migrations re-applied (nothing to do, bootstrap idempotent)" $st "$tmp/log"

sh tests/sql/migrate.sh "$conn dbname=m2" >"$tmp/log" 2>&1
report "migrations of a second database (roles exist already)" $? "$tmp/log"

q "$conn dbname=m1" -f "$tmp/aggregate.psql" >"$tmp/log" 2>&1
st=$?
if [ $st -eq 0 ]; then
    got=$(psql -X -At "$conn dbname=m1" -c "SELECT count(*) FROM iafq.agg_run WHERE finished IS NOT NULL" 2>>"$tmp/log")
    [ "$got" = 1 ] || { echo "finished runs: $got, want 1" >>"$tmp/log"; st=1; }
fi
report "aggregation of an empty database" $st "$tmp/log"

# --- test files, each in a fresh copy of the migrated template
q "$conn" -c 'CREATE DATABASE tmpl TEMPLATE m2' >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
if [ $# -gt 0 ]; then files="$*"; else files=$(ls tests/sql/test_*.sql); fi
i=0
for f in $files; do
    case "$f" in */*) ;; *) f="tests/sql/$f" ;; esac
    i=$((i + 1))
    db="t$i"
    {
        q "$conn" -c "CREATE DATABASE $db TEMPLATE tmpl" &&
            q "$conn dbname=$db" -f tests/sql/lib/helpers.sql &&
            q "$conn dbname=$db" -v aggregate="$tmp/aggregate.psql" \
                -v aggregate_steps="$tmp/aggregate_steps.psql" \
                -v aggregate_unfinished="$tmp/aggregate_unfinished.psql" \
                -v aggregate_full="$tmp/aggregate_full.psql" \
                -v migrations="$migrations" -f "$f"
    } >"$tmp/log" 2>&1
    report "$(basename "$f")" $? "$tmp/log"
done

echo "sql: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
