/*
 * xlsx_sheet.h - a worksheet part: its cells, pushed to a cell_sink
 * (common/cells.h) as they are parsed, in row-major order.
 *
 * Reads sparse rows and cells with or without r attributes, shared strings
 * (pointer and length from the table: no copy, no measuring per cell),
 * inline strings, numbers (a fast exact path for up to 15 digits, strtod
 * otherwise), booleans, errors, formulas (the cached value; none ->
 * CELL_FORMULA_NOCACHE) and date formats (cell.is_date).  Refuses, as
 * IAFQ_ERR_FORMAT or IAFQ_ERR_LIMIT: rows or cells out of order or
 * repeated, cells past lim's rows, columns or cells, a declared dimension
 * past them, cell text past lim->max_cell_bytes, a shared-string index
 * past the table.  Calls row_end after each row that had cells; a sink
 * callback that fails stops the parse with its error unchanged.
 *
 * A large sheet's rows are parsed by two expat parsers on two threads
 * (ingest/xlsx_split.h), the sink called on the caller's thread in the
 * same order with the same cells; whatever is unusual about the sheet
 * (any error included) makes it parse the sheet again with one parser, so
 * results and messages are always one parser's.
 *
 * Ownership: everything is borrowed; cells are lent for the callback only
 * (a shared string's text for as long as the table lives).
 */
#ifndef IAFQ_XLSX_SHEET_H
#define IAFQ_XLSX_SHEET_H

#include "cells.h"
#include "err.h"
#include "iafq_limits.h"
#include "xlsx_sst.h"
#include "xlsx_styles.h"
#include "zipguard.h"

#include <stdint.h>

typedef struct {
    const iafq_limits *lim;
    const cell_sink *sink;
    const xlsx_sst *sst;
    const xlsx_styles *styles;
    int date1904;
    uint64_t ncells; /* non-empty cells so far, over all sheets */
} xlsx_sheet_ctx;

/* Parse worksheet part idx of z (what names it in messages). */
iafq_err xlsx_sheet_read(xlsx_sheet_ctx *ctx, zipg *z, size_t idx,
                         const char *what, iafq_error *err);

#endif
