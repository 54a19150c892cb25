/*
 * diff.h - `iafq diff`: what changed between two finished aggregation runs,
 * figure by figure, and why.
 *
 * The views compared are the stable views of docs/sql-interface.md, read as
 * of each run (sql/q/diff_rows.sql over iafq_public.view_changes, migration
 * 0017: the one comparison, which an export's changes.csv makes too), with
 * the keys and measures of db/stable.h.  A row present in one run only is
 * "added" or "removed" (each measure listed, the other side NULL); a row in
 * both with a measure that differs is "changed", one figure per differing
 * measure.
 *
 * Causes (sql/q/diff_causes.sql), from agg_run: a country-year whose current
 * submission differs ("new return", "revision": which superseded which,
 * "return withdrawn"), or whose withheld flag differs ("consent change"), and
 * a migration applied between the runs ("migration": agg_run.schema_version).
 * A figure's causes are those of the countries behind its area
 * (iafq.country_area) in its year, so a regional row names the country
 * changes that move it; none: "unexplained".
 *
 * Ownership: db is borrowed; every PGresult handed out is the caller's
 * (PQclear).
 */
#ifndef IAFQ_DIFF_H
#define IAFQ_DIFF_H

#include "db.h"

#include <stddef.h>

/* The runs to compare (sql/q/diff_runs.sql): a and b are the ids given (NULL:
 * not given).  *out: one row with run_a, run_b (empty when there is no such
 * finished run), finished_a, finished_b, schema_a, schema_b. */
iafq_err diff_runs(db_conn *db, const char *a, const char *b, PGresult **out,
                   iafq_error *err);

/* The causes between finished runs a and b (sql/q/diff_causes.sql) into
 * *causes, and the changed figures (sql/q/diff_rows.sql) into *rows.  On
 * failure nothing is handed out. */
iafq_err diff_compute(db_conn *db, const char *a, const char *b,
                      PGresult **causes, PGresult **rows, iafq_error *err);

#endif
