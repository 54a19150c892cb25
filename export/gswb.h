/*
 * gswb.h - the global study workbook (IAFQ-SPEC 6.1, issue 7 item 2): SDG
 * 16.4.2 and the Global Study tables GS1-GS9 of the latest aggregation run
 * as one .xlsx for analysts.
 *
 * Sheets, in order:
 *   "About"                 what the data is, the run (id, times, submissions
 *                           used), the vintage, the definitions, the
 *                           disclosure rule applied (public) or the internal
 *                           warning, the list of sheets
 *   "GS1 Arms" ... "GS9 Significant seizures"
 *                           one sheet per view of ctx->schema (GS6 as three:
 *                           sdg_16_4_2, _by_column, _by_tracing); rows 1-2
 *                           title and edition note, row 3 the header, data
 *                           from row 4; header frozen, autofilter over the
 *                           table, widths fitted to what was written.  A
 *                           table longer than Excel's rows goes on into
 *                           "NAME (2)", "NAME (3)" ... with the same header.
 *   "GS1 chart", "GS2 chart", "GS6 chart"
 *                           a tidy block of the charted figures (header row,
 *                           then one row per year or region) and a native
 *                           chart whose series point at that block: GS1
 *                           arms seized by M49 region and year (line), GS2
 *                           shares of arm types by region for the latest year
 *                           with regional figures (stacked bar), GS6 16.4.2 by
 *                           region and world and year (line).
 * Internal exports (ctx->internal) say "internal, not for publication" in
 * row 2 of EVERY sheet and in the printed page header, and add the views'
 * internal columns (withheld, partner_withheld, submission_id).
 *
 * Values: as the views hold them, never rounded in the cell.  Counts are
 * numbers with "#,##0"; shares and 16.4.2 stay 0-100 numbers (as in the
 * views and the CSV) with the format "0.00" and a "(%)" header; a NULL is
 * an empty cell, never 0.  Area codes are text ("076").  Text is written
 * only as strings (never as formulas), made valid UTF-8 and XML-safe
 * (xlsxw_write_text).
 *
 * Reading: only views of ctx->schema, through q/gswb_*.sql chosen by
 * exp_query(), each declared as the cursor gswb_rows and read in batches
 * (q/gswb_fetch.sql): ctx->db must be inside a transaction (the export's
 * snapshot).  The workbook is written in libxlsxwriter's constant-memory
 * mode (rows in order, its temporary files next to path), so memory does
 * not grow with the tables.
 *
 * Errors: libxlsxwriter's as IAFQ_ERR_XLSXW (IAFQ_ERR_IO when the file
 * cannot be written) with its message, the database's as IAFQ_ERR_DB.  On
 * failure the file at path may be partial or absent: the caller discards it
 * (the export writes to a temporary path and renames it only on success).
 * After a database error the snapshot transaction is aborted and the
 * cursor may be left open: the caller rolls back.
 *
 * Ownership: ctx is borrowed; nothing is handed out.
 */
#ifndef IAFQ_GSWB_H
#define IAFQ_GSWB_H

#include "exp.h"

/* Write the workbook to path (created or replaced). */
iafq_err gswb_write(const exp_ctx *ctx, const char *path, iafq_error *err);

/* For tests: the data rows a table sheet holds before the table goes on
 * into the next sheet (default and upper bound: Excel's 1,048,576 rows
 * less the 3 rows above the data).  0 restores the default. */
void gswb_set_rows_per_sheet(unsigned long rows);

#endif
