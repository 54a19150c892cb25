/*
 * source.h - opening any input path the way `iafq check` and `iafq ingest`
 * do: detect what it is and stream its cells.
 *
 * Kinds: an .xlsx workbook; a folder or .zip of per-table CSV files
 * (COVER.csv, T1.csv ... T11.csv, case-insensitive; other files ignored);
 * a portal long-format file, CSV or .xlsx (a workbook whose first sheet has
 * the Iso3_code header row near its top).  Detection is by content (zip
 * magic and parts, OLE magic, the long-format header), not by file name.
 *
 * Ownership: nothing returned is owned by the caller.
 */
#ifndef IAFQ_SOURCE_H
#define IAFQ_SOURCE_H

#include "cells.h"
#include "err.h"
#include "iafq_limits.h"

typedef enum {
    SOURCE_XLSX,
    SOURCE_CSV_DIR,
    SOURCE_CSV_ZIP,
    SOURCE_LONG,      /* portal long format (CSV) */
    SOURCE_LONG_XLSX, /* portal long format saved as .xlsx */
} source_kind;

/* Decide what path is.  IAFQ_ERR_IO when it cannot be opened at all (exit
 * status 2); IAFQ_ERR_FORMAT with a message a focal point understands when
 * it is not a return (empty, OLE/encrypted, legacy .xls, junk, a folder or
 * zip without table files, a zip holding a workbook). */
iafq_err source_detect(const char *path, const iafq_limits *lim,
                       source_kind *kind, iafq_error *err);

/* Stream the cells of a source: one sheet per worksheet (sheet name as in
 * the workbook), or per table CSV file (sheet name = the file's base name,
 * e.g. "T1.csv"; COVER.csv first, then T1 ... T11, then any other table
 * file); for SOURCE_LONG, the one file as one sheet named by its base name;
 * for SOURCE_LONG_XLSX, the workbook's sheets as for SOURCE_XLSX.
 * Files of a folder or zip that are not named after a table are skipped. */
iafq_err source_cells(const char *path, source_kind kind,
                      const iafq_limits *lim, const cell_sink *sink,
                      iafq_error *err);

/* The table code of a CSV file name ("t1.CSV" -> "T1" table id), or -1. */
int source_csv_table(const char *filename);

#endif
