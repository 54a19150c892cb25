/*
 * xlsx_sst.h - the shared-strings part (xl/sharedStrings.xml): the table
 * of strings that cells of type "s" refer to by index.
 *
 * Rich-text runs are joined, phonetic runs (rPh) skipped, the OOXML
 * _xHHHH_ escapes decoded, all once, when the table is read: a cell that
 * refers to a string gets a pointer and the length kept with the string,
 * so a million cells pointing at one long string cost no more than a
 * million short ones.  The strings live in one growing buffer (NUL after
 * each) plus an offsets array.  Limits: lim->max_sst_count strings,
 * lim->max_sst_bytes bytes, lim->max_cell_bytes per string.
 *
 * Ownership: an xlsx_sst owns its buffers; xlsx_sst_release() frees them
 * (NULL-safe).  Strings returned by xlsx_sst_get() are valid until then.
 * A zeroed xlsx_sst is the empty table.
 */
#ifndef IAFQ_XLSX_SST_H
#define IAFQ_XLSX_SST_H

#include "err.h"
#include "iafq_limits.h"
#include "str.h"
#include "zipguard.h"

#include <stddef.h>

typedef struct {
    char *buf; /* the strings, each NUL-terminated */
    size_t len, cap;
    size_t *off; /* n + 1 offsets into buf */
    size_t n, offcap;
    /* while reading */
    const iafq_limits *lim;
    sbuf si; /* the string being read */
    int in_si, in_t, rph;
} xlsx_sst;

/* Read part idx of z (what names it in messages) into *sst (zeroed first). */
iafq_err xlsx_sst_read(xlsx_sst *sst, zipg *z, size_t idx, const char *what,
                       const iafq_limits *lim, iafq_error *err);
/* String i (NUL-terminated) and its length, or NULL when i >= sst->n. */
const char *xlsx_sst_get(const xlsx_sst *sst, size_t i, size_t *len);
void xlsx_sst_release(xlsx_sst *sst);

#endif
