/*
 * gscsv.h - the Global Study tables as CSV, one file per view (IAFQ-SPEC
 * 6.2, issue 7): gs1.csv ... gs9.csv, sdg_16_4_2.csv,
 * sdg_16_4_2_by_column.csv, sdg_16_4_2_by_tracing.csv.
 *
 * Each file is the view of ctx->schema (docs/sql-interface.md) as it is:
 * a header row with the view's column names, then every row, in the view's
 * column order (README "CSV files"), rows ordered by area (world, regions,
 * sub-regions, SDG regions, countries), code, year and the view's codes
 * (sql/q/export_VIEW.sql).  RFC 4180 through csvw.h: CRLF, UTF-8 without
 * a byte-order mark, numbers exactly as PostgreSQL gives them (percentages
 * unrounded), a missing value empty, text made valid UTF-8 and neutralised
 * when a spreadsheet could run it as a formula.
 *
 * Ownership: everything is borrowed.
 */
#ifndef IAFQ_GSCSV_H
#define IAFQ_GSCSV_H

#include "exp.h"

#include <stdio.h>

typedef struct {
    const char *view; /* "gs1": query q/export_gs1.sql, file gs1.csv */
    const char *what; /* what the table is, for people */
} gscsv_table;

/* The tables written, in order; *n receives how many. */
const gscsv_table *gscsv_tables(size_t *n);

/* Write view (one of gscsv_tables()) of ctx->schema to path.  IAFQ_ERR_IO
 * (path and the system's reason), IAFQ_ERR_DB, IAFQ_ERR_INTERNAL for a
 * view not in the table. */
iafq_err gscsv_write(const exp_ctx *ctx, const char *view, const char *path,
                     iafq_error *err);

/* Whether a column of this PostgreSQL type (OID) is written as a number
 * (as given) rather than as text (neutralised, made valid). */
int gscsv_numeric_type(unsigned oid);

#endif
