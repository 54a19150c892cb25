/*
 * csvin.h - reading one untrusted CSV file (a table of a CSV return, or the
 * portal long format) with libcsv, pushed to a cell_sink as one sheet.
 *
 * Encoding: UTF-8 with or without BOM, UTF-16 LE/BE with BOM (converted with
 * iconv), otherwise Windows-1252 when the bytes are not valid UTF-8 (iconv).
 * Any number of byte-order marks at the start is skipped.
 * Delimiter: ',' ';' or tab, detected from the header line (the first record
 * whose first field is CODE or Iso3_code, wherever it is in the file; else
 * the first record holding any candidate) as the candidate occurring most
 * often outside quotes there.
 * Quotes: RFC 4180 quoted fields ("" for a quote); a quote inside an
 * unquoted field is a literal quote (12", 5" barrel), as spreadsheet
 * programs read it.  A quoted field never closed, or text right after a
 * closing quote, is IAFQ_ERR_CSV.
 * Cells: a field that is a plain decimal number ("12", "-3", "1.5", "1e3")
 * is CELL_NUMBER (num set, text = field); any other non-empty field is
 * CELL_TEXT; empty fields are not sent.  Row numbers are CSV record numbers
 * (1-based), columns 0-based, so "B7" means what a spreadsheet shows.
 * Limits: max_file_bytes (also for the stream read through readfn),
 * max_rows, max_cols, max_cell_bytes, max_cells.
 * Errors: every message of the reader starts with the sheet name and the
 * line as a text editor counts it ("T11.csv line 10: ..."), which differs
 * from the record number when a quoted field spans lines.
 *
 * Ownership: cells are borrowed for the callback only; nothing returned is
 * owned by the caller.
 */
#ifndef IAFQ_CSVIN_H
#define IAFQ_CSVIN_H

#include "cells.h"
#include "err.h"
#include "iafq_limits.h"

#include <stddef.h>

/* Pull-style byte source: put up to n bytes in buf, set *got (0 at end). */
typedef iafq_err (*csvin_readfn)(void *ctx, void *buf, size_t n, size_t *got,
                                 iafq_error *err);
/* Rewind the source to its first byte (needed for encoding detection). */
typedef iafq_err (*csvin_rewindfn)(void *ctx, iafq_error *err);

/* Read a CSV stream as sheet `sheet_name`. */
iafq_err csvin_read(csvin_readfn rd, csvin_rewindfn rw, void *ctx,
                    const char *sheet_name, const iafq_limits *lim,
                    const cell_sink *sink, iafq_error *err);

/* Read the CSV file at path as sheet `sheet_name`. */
iafq_err csvin_read_path(const char *path, const char *sheet_name,
                         const iafq_limits *lim, const cell_sink *sink,
                         iafq_error *err);

#endif
