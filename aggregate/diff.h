/*
 * diff.h - `iafq diff`: what changed between two finished aggregation runs,
 * figure by figure, and why.
 *
 * The views compared are the stable views of docs/sql-interface.md
 * (iafq.sdg_16_4_2, sdg_16_4_2_by_column, sdg_16_4_2_by_tracing, gs1..gs9),
 * read at any run from their res_* tables (sql/q/diff_rows.sql).  diff_views
 * is the one table of their columns:
 *   - the row key is area_type, area_code, year and the view's keys (its
 *     other non-measure code columns, e.g. gs1: arms);
 *   - the measures are the columns compared (the figures, countries and
 *     withheld: a consent change moves withheld);
 *   - every other column is a label, not compared: the names (area_name,
 *     manufacture_name...), submission_id (a revision changes it: the cause
 *     names it) and gs9's partner_withheld (the partner's consent, not the
 *     reporting country's figures).
 * A row present in one run only is "added" or "removed" (each measure
 * listed, the other side NULL); a row in both with a measure that differs
 * is "changed", one figure per differing measure.
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
 * (PQclear); the string of diff_spec_json is the caller's (free).
 */
#ifndef IAFQ_DIFF_H
#define IAFQ_DIFF_H

#include "db.h"

#include <stddef.h>

#define DIFF_MAX_COLS 8

typedef struct {
    const char *view;                    /* iafq.VIEW */
    const char *keys[DIFF_MAX_COLS];     /* NULL-terminated */
    const char *measures[DIFF_MAX_COLS]; /* NULL-terminated */
} diff_view;

/* The views in output order, and their number. */
extern const diff_view diff_views[];
extern const size_t diff_nviews;

/* diff_views as the JSON array sql/q/diff_rows.sql takes as $3:
 * [{"view": ..., "keys": [...], "measures": [...]}, ...].  NULL when out of
 * memory.  The caller frees. */
char *diff_spec_json(void);

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
