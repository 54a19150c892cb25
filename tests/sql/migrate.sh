#!/bin/sh
# migrate.sh CONNINFO - apply sql/meta/bootstrap.sql and every
# sql/migrations/NNNN_*.sql not yet recorded, the way db/migrate.c does
# (DBCONTRACT.md): each migration in its own transaction, under
# pg_advisory_xact_lock(hashtext('iafq.migrate')), together with the row in
# iafq.schema_migrations that records it.  For the SQL tests.
set -eu
conn=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
psql_() { psql "$conn" -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_ -f "$root/sql/meta/bootstrap.sql" >/dev/null
for f in "$root"/sql/migrations/[0-9][0-9][0-9][0-9]_*.sql; do
    v=$(basename "$f" .sql)
    psql_ -v version="$v" -v file="$f" >/dev/null <<'PSQL'
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('iafq.migrate'));
SELECT NOT EXISTS (SELECT 1 FROM iafq.schema_migrations WHERE version = :'version') AS todo \gset
\if :todo
\i :file
INSERT INTO iafq.schema_migrations (version) VALUES (:'version');
\endif
COMMIT;
PSQL
done
