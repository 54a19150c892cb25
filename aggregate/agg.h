/*
 * agg.h - `iafq aggregate`: SDG 16.4.2 and the Global Study tables computed
 * in PostgreSQL (IAFQ-SPEC section 5) by the files of sql/aggregate/, run in
 * lexical order inside ONE transaction, so that a reader sees either the
 * previous run or this one, never half of one.  Nothing runs between BEGIN
 * and the first file, which sets REPEATABLE READ, takes the transaction
 * advisory lock that serialises aggregations and records the run in
 * iafq.agg_run (start, end, the submissions it used); the stable views read
 * the latest finished run.
 *
 * Incremental (docs/decisions.md, "Incremental aggregation"): a run whose
 * inputs (current submissions, withheld country-years, schema) are the
 * previous finished run's records nothing (changed = false, run = that
 * run); otherwise it recomputes the years that changed (every year with
 * full) and stores only the result rows that changed (migration 0013).
 * Before BEGIN the session takes the aggregation lock (released after
 * COMMIT or ROLLBACK), so the run's snapshot follows the previous run.
 *
 * The nightly job (`iafq run`) also holds a session-level advisory lock for
 * its whole length: agg_run_lock() takes it, waiting or not.
 *
 * Ownership: db is borrowed; agg_info is a plain value.
 */
#ifndef IAFQ_AGG_H
#define IAFQ_AGG_H

#include "db.h"

#include <stdbool.h>

typedef struct {
    long long run;    /* iafq.agg_run id */
    char started[40]; /* ISO 8601, UTC */
    char finished[40];
    long long submissions; /* submissions the run used */
    bool changed;          /* false: nothing changed since run `run` */
    bool every_year;       /* all years recomputed (first run, --full, ...) */
    long long rows_stored; /* result rows the run inserted */
    long long rows_closed; /* result rows the run closed */
    char years[256];       /* years recomputed, "2019,2020"; "" when all */
} agg_info;

/* Run every sql/aggregate/ file in one transaction and commit. */
iafq_err agg_run(db_conn *db, agg_info *out, iafq_error *err);

/* The same; full: recompute every year (`iafq aggregate --full`). */
iafq_err agg_run_mode(db_conn *db, bool full, agg_info *out, iafq_error *err);

/* The same with the caller's files (tests): files[0..n) in order, with
 * sql/q/agg_full.sql after files[0] when full. */
iafq_err agg_run_files(db_conn *db, const sqlfile *files, size_t n, bool full,
                       agg_info *out, iafq_error *err);

/* Take the nightly run's lock.  wait: block until it is free; else *got
 * is false when another run holds it. */
iafq_err agg_run_lock(db_conn *db, bool wait, bool *got, iafq_error *err);
void agg_run_unlock(db_conn *db);

#endif
