/*
 * xlsx_workbook.h - the workbook part (xl/workbook.xml): the sheets in
 * workbook order (name and relationship id) and the date system
 * (workbookPr date1904).
 *
 * A sheet without a name or a relationship id is IAFQ_ERR_FORMAT; more
 * sheets than lim->max_entries is IAFQ_ERR_LIMIT (a package cannot hold
 * more parts than that anyway).
 *
 * Ownership: an xlsx_workbook owns its strings; xlsx_workbook_release()
 * frees them (NULL-safe).
 */
#ifndef IAFQ_XLSX_WORKBOOK_H
#define IAFQ_XLSX_WORKBOOK_H

#include "err.h"
#include "iafq_limits.h"
#include "zipguard.h"

#include <stddef.h>

typedef struct {
    char *name, *rid;
} xlsx_sheet_ref;

typedef struct {
    xlsx_sheet_ref *sheets; /* in workbook order */
    size_t nsheets, cap;
    int date1904;
    const iafq_limits *lim; /* while reading */
} xlsx_workbook;

/* Read part idx of z (what names it in messages) into *wb (zeroed first). */
iafq_err xlsx_workbook_read(xlsx_workbook *wb, zipg *z, size_t idx,
                            const char *what, const iafq_limits *lim,
                            iafq_error *err);
void xlsx_workbook_release(xlsx_workbook *wb);

#endif
