/*
 * views.h - the views an export reads for the Global Study tables, each
 * with its ONE query (sql/q/export_VIEW.sql) and the parameters that give
 * its row order: the one table both the CSV files (gscsv.h) and the
 * workbook (gswb.h) read, so that gs5.csv and the sheet "GS5 ..." list the
 * same rows in the same order.
 *
 * A parameter is a text array (common/pgarr.h) of the codes of a
 * questionnaire table's rows or columns (common/schema.h), in the
 * questionnaire's order, plus an optional last code ("TOTAL", "ALL").
 *
 * Ownership: everything is static and borrowed.
 */
#ifndef IAFQ_VIEWS_H
#define IAFQ_VIEWS_H

#include "exp.h"

#include <stdbool.h>

#define VIEWS_MAX_PARAMS 4

typedef struct {
    int table;         /* table_id whose codes */
    bool cols;         /* its columns' codes, else its rows' */
    const char *extra; /* one more code at the end, or NULL */
} views_codes;

typedef struct {
    const char *view;  /* "gs1": its CSV file is gs1.csv */
    const char *what;  /* what it is, for people */
    const char *query; /* "q/export_gs1.sql" */
    views_codes params[VIEWS_MAX_PARAMS];
    int nparams;
} views_view;

/* The views, in the order their CSV files are written; *n their number. */
const views_view *views_all(size_t *n);
/* The view named view, or NULL. */
const views_view *views_find(const char *view);

/* Read every row of v from ctx's schema through exp_rows() (its
 * parameters built here).  IAFQ_ERR_NOMEM, or what exp_rows() gives. */
iafq_err views_rows(const exp_ctx *ctx, const views_view *v, exp_row_fn fn,
                    void *arg, iafq_error *err);

#endif
