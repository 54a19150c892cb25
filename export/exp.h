/*
 * exp.h - what every exporter shares (IAFQ-SPEC section 6, issue 7).
 *
 * An export (export/plan.h: export_write_all) opens ONE read-only snapshot
 * (BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY) on the connection,
 * chooses the schema every query reads for the rest of that transaction,
 * reads the latest finished aggregation run into an exp_ctx, then calls
 * each selected writer with a path in a new release folder.
 *
 * Each query is written once.  Disclosure is the database's job, not the
 * writers': with --public the connection is made as role iafq_portal and
 * the transaction's search_path is iafq_public (q/export_schema.sql),
 * else iafq; the queries in sql/q/ name views without a schema.  The
 * public views have the internal views' columns minus the internal-only
 * ones (exp_internal_only); the writers read columns by name.
 *
 * Every writer: valid UTF-8 output whatever the database holds (common/
 * utf8.h), every write and the final close checked, IAFQ_ERR_IO with the
 * path and the system's message on failure (a full disk is exit 2),
 * IAFQ_ERR_DB for the database.
 *
 * Ownership: ctx and everything in it are borrowed by the writers.
 */
#ifndef IAFQ_EXP_H
#define IAFQ_EXP_H

#include "db.h"

#include <stdbool.h>

typedef struct {
    long long id;          /* agg_run id */
    char started[40];      /* ISO 8601 UTC */
    char finished[40];     /* ISO 8601 UTC: the data's vintage */
    long long submissions; /* submissions the run used */
} exp_run;

typedef struct {
    db_conn *db;        /* inside the snapshot transaction */
    const char *schema; /* "iafq" (internal) or "iafq_public" */
    bool internal;      /* say "internal, not for publication" everywhere */
    exp_run run;
    char release[11]; /* release date YYYY-MM-DD (the run's finish date) */
} exp_ctx;

/* Open the export's snapshot on db (BEGIN ISOLATION LEVEL REPEATABLE READ,
 * READ ONLY), choose the schema (exp_use_schema) and read the latest
 * finished run of it into ctx (ctx->schema "iafq_public" when public, else
 * "iafq"; ctx->internal = !public).  When the database has no finished run
 * yet, returns IAFQ_OK with ctx->run.id == 0 (the snapshot stays open:
 * exp_end() it).  IAFQ_ERR_DB on a database error (nothing left open). */
iafq_err exp_begin(db_conn *db, bool public_, exp_ctx *ctx, iafq_error *err);
/* End the snapshot (ROLLBACK: it only read).  Accepts a ctx never begun. */
void exp_end(exp_ctx *ctx);

/* Make ctx->schema the schema of every query for the rest of the current
 * transaction on ctx->db (q/export_schema.sql, SET LOCAL search_path).
 * exp_begin() does it; a caller that fills ctx itself (tests) calls it
 * after its own BEGIN.  IAFQ_ERR_DB. */
iafq_err exp_use_schema(const exp_ctx *ctx, iafq_error *err);

/* Run the embedded query relpath ("q/export_gs1.sql") with nparams text
 * parameters in single-row mode and hand fn every row, each in its own
 * result (PQntuples == 1, borrowed: cleared after fn); when the query has
 * no row, fn gets the final result once (PQntuples == 0) so that it knows
 * the columns.  Memory stays flat however many rows there are.  fn returns
 * IAFQ_OK to go on; its error stops the query (cancelled) and is returned.
 * IAFQ_ERR_DB when the query fails or the connection is lost.  The one way
 * every exporter reads rows. */
typedef iafq_err (*exp_row_fn)(void *arg, const PGresult *row, iafq_error *err);
iafq_err exp_rows(const exp_ctx *ctx, const char *relpath, int nparams,
                  const char *const *params, exp_row_fn fn, void *arg,
                  iafq_error *err);

/* The columns of a query read through exp_rows() resolved by name once
 * (db_cols) from the first result, which every row's result shares: the
 * first call fills idx[0..n-1] and sets *resolved, later calls do
 * nothing.  IAFQ_ERR_INTERNAL naming `what` when a column is missing. */
iafq_err exp_cols_once(int *resolved, const PGresult *res, const char *what,
                       const char *const *names, int *idx, size_t n,
                       iafq_error *err);

/* 1 when column is one that only internal exports show (withheld,
 * partner_withheld, submission_id): the one list of them.  A public
 * export writes none of them, whatever a view holds. */
int exp_internal_only(const char *column);

/* How a value is written in every CSV of the exports (IAFQ-SPEC 6.2;
 * docs/decisions.md "Export presentation"):
 *   - a ratio (a share or percentage: exp_ratio_column) with exactly
 *     EXP_RATIO_SCALE decimals, rounded half away from zero, as
 *     PostgreSQL's round(numeric, 4) does ("13.3333", "40.0000");
 *   - a boolean as "true" or "false";
 *   - everything else (counts, sums of counts, years) exactly as the
 *     database gives it.
 * The workbook holds the same values as numbers (full precision, shown
 * with its "0.00" format) and booleans as the same words. */
#define EXP_RATIO_SCALE 4
/* 1 when column holds a ratio (share_pct, share_pct_mean, value): the one
 * list of them. */
int exp_ratio_column(const char *column);
/* dec (a plain decimal as PostgreSQL prints a numeric: "-12.345", "40")
 * rounded to scale decimals into out (cap bytes).  0, or -1 when dec is
 * no plain decimal (NaN, Infinity) or out is too small (out untouched). */
int exp_fixed(const char *dec, int scale, char *out, size_t cap);
/* "true" or "false" for PostgreSQL's boolean text ("t", "f"). */
const char *exp_bool_word(const char *pg_bool);

/* A temporary file in dir for final name `name` ("gs.xlsx"), created
 * exclusively with the umask's mode; its path into tmp (size cap).
 * IAFQ_ERR_IO. */
iafq_err exp_temp_path(const char *dir, const char *name, char *tmp, size_t cap,
                       iafq_error *err);
/* fsync tmp and rename it to dir/name, then fsync dir.  IAFQ_ERR_IO. */
iafq_err exp_commit_file(const char *tmp, const char *dir, const char *name,
                         iafq_error *err);

/* Text for a CSV or xlsx cell that a spreadsheet could run as a formula
 * (starting with = + - @ tab or CR: IAFQ-SPEC 6.2) is written with a
 * leading apostrophe; returns 1 when s needs it. */
int exp_formula_like(const char *s);

#endif
