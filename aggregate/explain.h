/*
 * explain.h - `iafq explain`: one published figure traced to the countries,
 * submissions and cells behind it, and checked to add up.
 *
 * The figure is the row of a stable view (iafq.VIEW, or iafq_public.VIEW
 * when public) for one area and year in the latest finished run.  Its parts
 * are the country rows of the same view and run in that area (the country
 * itself for a country row; with public, only the submissions published
 * now, as iafq_public computes its regional rows), each with its submission
 * (iafq.submission) and the cells of iafq.value its figure is made of, with
 * their origin (iafq.value.origin, migration 0012).  SQL:
 * sql/q/explain_rows.sql and sql/q/explain_parts.sql for every view (a branch
 * each) but gs9 (sql/q/explain_gs9.sql, sql/q/explain_gs9_parts.sql), on the
 * helpers of migration 0018 (iafq.explain_rows, explain_part, explain_cells,
 * ...).
 *
 * The check recomputes the figure from the parts, exactly (64-bit integer
 * sums; ratios in PostgreSQL numeric, as the views compute them):
 *   ratio (sdg_16_4_2, sdg_16_4_2_by_column, sdg_16_4_2_by_tracing, gs6):
 *     each country's N and D are the sums of its N and D cells;
 *     value = 100 * sum N / sum D (by_tracing: n, t8_total, share_pct)
 *   sum (gs1, gs4, gs7): each country's n is the sum of its cells; n = sum n
 *   share (gs2, gs3, gs5): each country's n is its row's cell and reported
 *     the sum of its component cells; share_pct = 100 * sum n / sum
 *     reported; gs3 also share_pct_mean = 100 * the mean of the countries'
 *     n / reported (reported > 0), in numeric (sql/q/explain_mean.sql)
 *   sex (gs8): n = sum n; share_pct = 100 * sum n of the countries with a
 *     total (their T9 TOTAL > 0) / sum of those totals
 *   seizures (gs9: flow, manufacture_code, departure_code,
 *     destination_code): a country's part is the sum of its country rows of
 *     the view whose partner falls in the row's partner (the partner
 *     country; above the country level its area of the row's level, the
 *     world's: its M49 region; public: a partner withheld in the year is
 *     'not-published' whatever its area, as iafq_public.gs9 hides it), and
 *     its cells are the T11 rows of its submission (iafq.seizure, with
 *     their origin) whose partners give the same key, all summed in SQL
 *     (at most EXPLAIN_GS9_ROWS listed, re-added here when all are):
 *     quantity = sum of the quantities given (NULL: none given), seizures
 *     = count of the T11 rows, each checked against the country's part and
 *     the sums against the published row.  A partner key is its M49 code,
 *     'unknown' (not stated: code NULL, name 'Unknown') or 'not-published'
 *     (public, withheld: code '', name 'Not published'); NULL for a column
 *     the row's flow does not have.  --public never names a withheld
 *     partner: the listed T11 rows show it as '' (alpha-3), whichever
 *     column it is in.
 * and the published count of countries must be the number of parts.
 *
 * Ownership: db is borrowed; *doc is the caller's (cJSON_Delete).
 */
#ifndef IAFQ_EXPLAIN_H
#define IAFQ_EXPLAIN_H

#include "db.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The most T11 rows explain lists per country of a gs9 row (all are
 * summed and checked; "cells_not_listed" says how many more). */
#define EXPLAIN_GS9_ROWS 100

/* The views explain supports, NULL-terminated. */
extern const char *const explain_views[];

/* The most key columns a view has (gs9: flow, manufacture_code,
 * departure_code, destination_code). */
#define EXPLAIN_MAXKEYS 4

/* Whether `view` is supported; *keys (may be NULL) receives the names of its
 * row key columns, NULL-terminated (static; {NULL} for sdg_16_4_2; e.g.
 * {"arms", "tracing", NULL} for sdg_16_4_2_by_tracing). */
bool explain_view(const char *view, const char *const **keys);

typedef struct {
    const char *view; /* one of explain_views */
    const char *area; /* area_code: an M49 code ("419", "032") */
    int year;
    const char *area_type; /* NULL, or the area type to choose */
    /* per key column of the view (explain_view's order): NULL, or the
     * value that row must have */
    const char *keys[EXPLAIN_MAXKEYS];
    bool public_only; /* iafq_public: withheld countries left out */
} explain_req;

typedef enum {
    EXPLAIN_CHECKED,  /* *doc: the explanation; the parts add up */
    EXPLAIN_MISMATCH, /* *doc: the explanation, "checked": false, and
                         "mismatch": what does not add up */
    EXPLAIN_NONE,     /* no published row matches; *doc: {"choices": [...]}
                         (the rows of that area and year, maybe none) */
    EXPLAIN_CHOOSE,   /* several rows match; *doc: {"choices": [...]}, each
                         {"area_type", "key"} */
} explain_outcome;

/* Explain one figure.  On IAFQ_OK *out and *doc are set; else nothing is
 * handed out and err says why. */
iafq_err explain_figure(db_conn *db, const explain_req *q, explain_outcome *out,
                        cJSON **doc, iafq_error *err);

#endif
