/*
 * db.h - the connection to PostgreSQL and the helpers every database step
 * uses: run an embedded SQL file (sql/) with parameters, check each result,
 * turn libpq errors into iafq_error.
 *
 * Which database: --db CONNINFO, else $IAFQ_DB (a libpq conninfo string
 * "host=... dbname=..." or a URI "postgresql://..."; the PG* variables
 * fill in what it leaves out), else iafq's own cluster (cluster.h), created
 * and started on first use.
 *
 * Errors: libpq's message is kept, with the SQLSTATE when the server gave
 * one ("... (SQLSTATE 23505)"); db_sqlstate() gives it for decisions.
 * Messages never show a password: conninfo strings go through
 * db_mask_conninfo().
 *
 * Ownership: db_open() returns a db_conn the caller frees with db_close()
 * (accepts NULL).  A PGresult handed out through *out belongs to the caller
 * (PQclear); on failure nothing is handed out and every result is cleared.
 */
#ifndef IAFQ_DB_H
#define IAFQ_DB_H

#include "err.h"

#include "sqlfiles.h"

#include <libpq-fe.h>
#include <stddef.h>

typedef struct db_conn db_conn;

/* The conninfo to use: opt when non-NULL (--db), else $IAFQ_DB when set and
 * not empty, else NULL (iafq's own cluster).  Borrowed. */
const char *db_choose_conninfo(const char *opt);

/* Connect to conninfo, or with conninfo NULL to iafq's own cluster (created
 * and started if need be).  IAFQ_ERR_DB when the database cannot be
 * reached: err's message names the masked conninfo and libpq's reason. */
iafq_err db_open(const char *conninfo, db_conn **out, iafq_error *err);
/* The same, connecting as role user whatever conninfo says (user NULL:
 * as db_open); for iafq's own cluster, over its socket (trusted).  A
 * password, when the role needs one, comes from the PG* variables or the
 * password file.  db_masked() then ends with " (as USER)". */
iafq_err db_open_as(const char *conninfo, const char *user, db_conn **out,
                    iafq_error *err);
void db_close(db_conn *db);

PGconn *db_pg(db_conn *db);
/* The conninfo connected to, password masked (for messages).  Borrowed. */
const char *db_masked(const db_conn *db);
/* 1 when connected to iafq's own cluster. */
int db_embedded(const db_conn *db);
/* SQLSTATE of the last failed statement ("" when none).  Borrowed. */
const char *db_sqlstate(const db_conn *db);

/* Run the embedded file relpath ("q/history.sql").  With nparams == 0 the
 * text goes through PQexec (several statements allowed, as in migrations);
 * otherwise through PQexecParams with text parameters (NULL = SQL NULL).
 * The result must be PGRES_COMMAND_OK or PGRES_TUPLES_OK.  out may be NULL
 * (the result is cleared); else *out is the last result for the caller. */
iafq_err db_exec_file(db_conn *db, const char *relpath, int nparams,
                      const char *const *params, PGresult **out,
                      iafq_error *err);

/* The same for a file given by the caller (file->path names it in
 * messages), e.g. a migration set passed in by a test. */
iafq_err db_exec_sql(db_conn *db, const sqlfile *file, int nparams,
                     const char *const *params, PGresult **out,
                     iafq_error *err);

/* Transaction control (the only statements written in C). */
iafq_err db_begin(db_conn *db, iafq_error *err);
/* Fails also when the server rolled the transaction back. */
iafq_err db_commit(db_conn *db, iafq_error *err);
/* Never fails loudly: used on cleanup paths. */
void db_rollback(db_conn *db);

/* Check res against want; on a mismatch fill err ("what: message (SQLSTATE
 * X)"), remember the SQLSTATE in db (may be NULL) and clear res.  Returns
 * IAFQ_OK when res has the wanted status (res is then left alone). */
iafq_err db_check(db_conn *db, PGresult *res, ExecStatusType want,
                  const char *what, iafq_error *err);

/* Columns by name: resolve each of names[0..n-1] in res once (PQfnumber)
 * into idx[0..n-1].  A name the result lacks is IAFQ_ERR_INTERNAL naming
 * the column and `what` (the SQL file), so that a SELECT and its C reader
 * cannot drift apart silently.  res and names are borrowed. */
iafq_err db_cols(const PGresult *res, const char *what,
                 const char *const *names, int *idx, size_t n, iafq_error *err);

/* Run relpath as db_exec_file() and require exactly one row (as pg_dump's
 * ExecuteSqlQueryForSingleRow): zero or several rows is IAFQ_ERR_INTERNAL
 * "relpath: expected one row, got N".  On success *out is the result (the
 * caller's, PQclear); on failure nothing is handed out. */
iafq_err db_exec_one_row(db_conn *db, const char *relpath, int nparams,
                         const char *const *params, PGresult **out,
                         iafq_error *err);

/* Copy conninfo (key=value or URI) into out (size cap) with every password
 * replaced by "***": "password=***", "postgres://u:***@h/db",
 * "?password=***".  Always NUL-terminates; returns the length written.
 * Output longer than cap is cut (never mid-password). */
size_t db_mask_conninfo(const char *conninfo, char *out, size_t cap);

#endif
