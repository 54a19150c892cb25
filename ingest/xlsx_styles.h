/*
 * xlsx_styles.h - the styles part (xl/styles.xml), read for one thing:
 * which cell formats (cellXfs entries, the s attribute of a cell) show a
 * date or time, through a built-in date format (ids 14-22, 45-47) or a
 * custom numFmt whose code has d, m, y, h or s outside quotes, brackets
 * and escapes (only the first section counts).
 *
 * At most XLSX_STYLES_MAX_XFS cell formats and XLSX_STYLES_MAX_NUMFMTS
 * number formats (IAFQ_ERR_LIMIT past them); deciding is O(n log n).
 *
 * Ownership: an xlsx_styles owns its arrays; xlsx_styles_release() frees
 * them (NULL-safe).  A zeroed xlsx_styles is "no styles": nothing is a date.
 */
#ifndef IAFQ_XLSX_STYLES_H
#define IAFQ_XLSX_STYLES_H

#include "err.h"
#include "zipguard.h"

#include <stddef.h>
#include <stdint.h>

#define XLSX_STYLES_MAX_XFS 1000000u
#define XLSX_STYLES_MAX_NUMFMTS 100000u

typedef struct {
    uint8_t *xf_date; /* per cellXfs entry: 1 when it shows a date */
    size_t nxf;
    /* while reading */
    uint32_t *xf_fmt; /* numFmtId per cellXfs entry */
    size_t capxf;
    uint32_t *date_fmts; /* custom numFmt ids that are dates */
    size_t ndf, capdf, nfmts;
    int in_numfmts, in_cellxfs;
} xlsx_styles;

/* Read part idx of z (what names it in messages) into *st (zeroed first). */
iafq_err xlsx_styles_read(xlsx_styles *st, zipg *z, size_t idx,
                          const char *what, iafq_error *err);
/* Whether cell format `style` shows a date. */
int xlsx_styles_is_date(const xlsx_styles *st, uint32_t style);
void xlsx_styles_release(xlsx_styles *st);

#endif
