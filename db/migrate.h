/*
 * migrate.h - bring a database's schema up to date (DBCONTRACT.md).
 *
 * A pass runs sql/meta/bootstrap.sql (idempotent: schema iafq and
 * iafq.schema_migrations), then every migration not yet recorded, in
 * lexical order of path, each in its own transaction together with the row
 * recording its version (the file name without ".sql").  Every transaction
 * first takes pg_advisory_xact_lock(hashtext('iafq.migrate')) and checks
 * the record again, so two processes migrating at once apply each file
 * once.  A failing migration is rolled back and stops the pass: the files
 * before it stay applied, it and the later ones are not.
 *
 * Ownership: files are borrowed; a PGresult handed out belongs to the
 * caller (PQclear).
 */
#ifndef IAFQ_MIGRATE_H
#define IAFQ_MIGRATE_H

#include "db.h"
#include "sqlfiles.h"

/* Apply the pending ones of files[0..n) (sorted by path).  *applied (may
 * be NULL) receives the number applied by this pass. */
iafq_err migrate_apply(db_conn *db, const sqlfile *files, size_t n,
                       int *applied, iafq_error *err);

/* The same with the embedded sql/migrations/ files. */
iafq_err migrate_embedded(db_conn *db, int *applied, iafq_error *err);

/* The recorded migrations: *out has rows (version, applied_at), or is NULL
 * when the database has no iafq.schema_migrations yet. */
iafq_err migrate_list(db_conn *db, PGresult **out, iafq_error *err);

/* How many of files[0..n) are not recorded in list (from migrate_list;
 * NULL = none recorded). */
size_t migrate_pending(const PGresult *list, const sqlfile *files, size_t n);

#endif
