/*
 * xlsx.h - streaming reader of Office Open XML workbooks (.xlsx) with libzip
 * and expat.  No DOM: each sheet's XML is inflated and parsed in chunks and
 * its cells are pushed to a cell_sink (common/cells.h) as they are parsed.
 *
 * One file per part of the package (xlsx_xml, xlsx_rels, xlsx_workbook,
 * xlsx_styles, xlsx_sst, xlsx_sheet: see their headers); this header is
 * the whole public API.
 *
 * Reads what Excel, LibreOffice, openpyxl and libxlsxwriter write: sheets
 * found through xl/workbook.xml and its relationships (xl/_rels/
 * workbook.xml.rels), in workbook order; shared strings (rich text runs
 * joined; phonetic runs skipped), inline strings, numbers, booleans, errors,
 * formulas (cached value; no cached value -> CELL_FORMULA_NOCACHE), sparse
 * rows and cells with or without r attributes, the 1904 date system
 * (workbookPr date1904) and date number formats (cell.is_date).
 *
 * Hostile input: every limit of iafq_limits is enforced (zip via zipguard,
 * cells, rows, columns, declared dimension, cell text, shared-string table);
 * any DOCTYPE is refused (no entity can expand or be fetched) and expat's
 * billion-laughs protection stays on; no XML token may be longer than
 * XLSX_XML_TOKEN_MAX, so reading is linear whatever the expat release;
 * two sheets may not share one part.  Failures are IAFQ_ERR_FORMAT,
 * IAFQ_ERR_LIMIT, IAFQ_ERR_ZIP or IAFQ_ERR_XML with a message that names the
 * part and, for XML, the line.
 *
 * Ownership: nothing returned is owned by the caller; cells are borrowed
 * for the callback only (see cells.h).
 */
#ifndef IAFQ_XLSX_H
#define IAFQ_XLSX_H

#include "cells.h"
#include "dates.h"
#include "err.h"
#include "iafq_limits.h"

/* Read every worksheet of the workbook at path (chartsheets are skipped). */
iafq_err xlsx_read(const char *path, const iafq_limits *lim,
                   const cell_sink *sink, iafq_error *err);

/* The name of the workbook's first sheet into name (size cap; "" when it
 * has none), reading only the package's workbook part: no styles, shared
 * strings or sheets. */
iafq_err xlsx_first_sheet(const char *path, const iafq_limits *lim, char *name,
                          size_t cap, iafq_error *err);

/* Kept for callers of the reader: dates_from_serial() (common/dates.h),
 * where the conversion lives so that the validator need not include the
 * reader. */
static inline int xlsx_serial_to_date(double serial, int date1904, int *y,
                                      int *m, int *d)
{
    return dates_from_serial(serial, date1904, y, m, d);
}

#endif
