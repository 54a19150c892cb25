/*
 * gscsv.h - the Global Study tables as CSV, one file per view (IAFQ-SPEC
 * 6.2, issue 7): gs1.csv ... gs9.csv, sdg_16_4_2.csv,
 * sdg_16_4_2_by_column.csv, sdg_16_4_2_by_tracing.csv.
 *
 * Each file is the view of ctx->schema (docs/sql-interface.md) as it is:
 * a header row with the view's column names, then every row, in the view's
 * column order (README "CSV files"), rows in the order of views.h (the
 * workbook's: area, code, year, the questionnaire's order of the codes).
 * A public file has none of the internal-only columns (exp_internal_only).  RFC
 * 4180 through csvw.h: CRLF, UTF-8 without a byte-order mark, numbers exactly
 * as PostgreSQL gives them (percentages unrounded), a missing value empty, text
 * made valid UTF-8 and neutralised when a spreadsheet could run it as a
 * formula.
 *
 * Ownership: everything is borrowed.
 */
#ifndef IAFQ_GSCSV_H
#define IAFQ_GSCSV_H

#include "exp.h"
#include "views.h"

#include <stdio.h>

/* Write view (one of views_all()) of ctx->schema to path.  IAFQ_ERR_IO
 * (path and the system's reason), IAFQ_ERR_DB, IAFQ_ERR_INTERNAL for a
 * view not in the table. */
iafq_err gscsv_write(const exp_ctx *ctx, const char *view, const char *path,
                     iafq_error *err);

/* Whether a column of this PostgreSQL type (OID) is written as a number
 * (as given) rather than as text (neutralised, made valid). */
int gscsv_numeric_type(unsigned oid);

#endif
