/*
 * xlsx.c - streaming .xlsx reader: the driver (see xlsx.h).
 *
 * One file per part of the package, each with a header stating its
 * contract: xlsx_xml (the expat driver and inflate pipeline every part
 * goes through), xlsx_rels (relationships), xlsx_workbook (sheet list,
 * date system), xlsx_styles (date formats), xlsx_sst (shared strings),
 * xlsx_sheet (worksheet cells).  This file opens the package and walks it:
 * _rels/.rels (where the workbook part is), the workbook's relationships,
 * the workbook, its styles and shared strings, then each worksheet in
 * workbook order.
 */
#include "xlsx.h"

#include "str.h"
#include "work.h"
#include "xlsx_rels.h"
#include "xlsx_sheet.h"
#include "xlsx_sst.h"
#include "xlsx_styles.h"
#include "xlsx_workbook.h"
#include "zipguard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    zipg *z;
    const cell_sink *sink;
    iafq_error *err;
    xlsx_rels rels; /* the workbook's */
    xlsx_workbook wb;
    xlsx_styles styles;
    xlsx_sst sst;
    xlsx_sheet_ctx cells;
    uint8_t *part_read; /* per zip entry: a sheet was read from it */
} _reader;

/* Where the workbook part is: _rels/.rels, else the usual place; the name
 * as stored in the archive (case).  NULL with *rc set on failure. */
static char *_workbook_part(_reader *x, const char *path, long *idx,
                            iafq_err *rc)
{
    char *wb_part = NULL;
    xlsx_rels root = XLSX_RELS_INIT;
    *rc = xlsx_rels_read(&root, x->z, "", x->err);
    if (*rc != IAFQ_OK)
        goto cleanup;
    const xlsx_rel *od = xlsx_rels_by_type(&root, "/officeDocument");
    if (od)
        wb_part = xlsx_rels_resolve("", od->target);
    if (!wb_part || xlsx_find_part(x->z, wb_part) < 0) {
        free(wb_part);
        wb_part = str_dup("xl/workbook.xml");
    }
    if (!wb_part) {
        *rc = iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    *idx = xlsx_find_part(x->z, wb_part);
    if (*idx < 0) {
        *rc = iafq_error_set(x->err, IAFQ_ERR_FORMAT,
                             "'%s' is a zip archive but not an Excel "
                             "workbook (it has no xl/workbook.xml)",
                             path);
        free(wb_part);
        wb_part = NULL;
        goto cleanup;
    }
    free(wb_part);
    wb_part = str_dup(zipg_name(x->z, (size_t)*idx));
    if (!wb_part)
        *rc = iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");

cleanup:
    xlsx_rels_release(&root);
    return wb_part;
}

/* The part a workbook relationship of this type points at (or the
 * default name next to the workbook): its index, -1 when absent. */
static iafq_err _related(_reader *x, const char *wb_part, const char *type,
                         const char *dflt, long *idx, char **part)
{
    const xlsx_rel *r = xlsx_rels_by_type(&x->rels, type);
    *part = xlsx_rels_resolve(wb_part, r ? r->target : dflt);
    if (!*part)
        return iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
    *idx = xlsx_find_part(x->z, *part);
    return IAFQ_OK;
}

static iafq_err _read_sheet(_reader *x, const xlsx_sheet_ref *s,
                            const char *wb_part)
{
    iafq_err rc = IAFQ_OK;
    char *part = NULL;
    const cell_sink *sink = x->sink;
    const xlsx_rel *r = xlsx_rels_by_id(&x->rels, s->rid);
    if (!r)
        return iafq_error_set(x->err, IAFQ_ERR_FORMAT,
                              "sheet '%s' has no relationship '%s' in the "
                              "workbook: the file is damaged",
                              s->name, s->rid);
    if (!str_ends_with(r->type, "/worksheet"))
        return IAFQ_OK; /* chartsheet, dialogsheet, macro sheet */
    part = xlsx_rels_resolve(wb_part, r->target);
    if (!part)
        return iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
    long idx = xlsx_find_part(x->z, part);
    if (idx < 0) {
        rc = iafq_error_set(x->err, IAFQ_ERR_FORMAT,
                            "sheet '%s': its part '%s' is missing from the "
                            "file",
                            s->name, part);
        goto cleanup;
    }
    /* Two sheets reading one part would read it twice: a small file could
     * then cost (sheets x part size). */
    if (x->part_read[idx]) {
        rc = iafq_error_set(x->err, IAFQ_ERR_FORMAT,
                            "sheet '%s': its part '%s' belongs to another "
                            "sheet too: the file is damaged",
                            s->name, part);
        goto cleanup;
    }
    x->part_read[idx] = 1;
    if (sink->sheet_begin) {
        int skip = 0;
        iafq_error cb;
        iafq_error_clear(&cb);
        rc = sink->sheet_begin(sink->ud, s->name, &skip, &cb);
        if (rc != IAFQ_OK) {
            rc = cells_callback_error(x->err, rc, &cb);
            goto cleanup;
        }
        if (skip)
            goto cleanup;
    }
    char what[320];
    snprintf(what, sizeof what, "sheet '%.200s' (%.100s)", s->name, part);
    work_add(WORK_SHEET_PARTS, 1);
    rc = xlsx_sheet_read(&x->cells, x->z, (size_t)idx, what, x->err);
    if (rc != IAFQ_OK)
        goto cleanup;
    if (sink->sheet_end) {
        iafq_error cb;
        iafq_error_clear(&cb);
        rc = sink->sheet_end(sink->ud, &cb);
        if (rc != IAFQ_OK)
            rc = cells_callback_error(x->err, rc, &cb);
    }

cleanup:
    free(part);
    return rc;
}

iafq_err xlsx_read(const char *path, const iafq_limits *lim,
                   const cell_sink *sink, iafq_error *err)
{
    static const cell_sink none = {NULL, NULL, NULL, NULL, NULL};
    iafq_err rc = IAFQ_OK;
    _reader x;
    char *wb_part = NULL, *part = NULL;
    char what[320];
    long idx = -1;

    memset(&x, 0, sizeof x);
    x.sink = sink ? sink : &none;
    x.err = err;
    x.rels = (xlsx_rels)XLSX_RELS_INIT;

    rc = zipg_open(path, lim, &x.z, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    x.part_read = calloc(zipg_count(x.z) + 1, 1);
    if (!x.part_read) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }

    wb_part = _workbook_part(&x, path, &idx, &rc);
    if (!wb_part)
        goto cleanup;
    rc = xlsx_rels_read(&x.rels, x.z, wb_part, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    snprintf(what, sizeof what, "workbook (%.200s)", wb_part);
    rc = xlsx_workbook_read(&x.wb, x.z, (size_t)idx, what, lim, err);
    if (rc != IAFQ_OK)
        goto cleanup;

    /* Styles: which cell formats show dates. */
    rc = _related(&x, wb_part, "/styles", "styles.xml", &idx, &part);
    if (rc != IAFQ_OK)
        goto cleanup;
    if (idx >= 0) {
        snprintf(what, sizeof what, "styles (%.200s)", part);
        rc = xlsx_styles_read(&x.styles, x.z, (size_t)idx, what, err);
        if (rc != IAFQ_OK)
            goto cleanup;
    }
    free(part);
    part = NULL;

    /* Shared strings. */
    rc = _related(&x, wb_part, "/sharedStrings", "sharedStrings.xml", &idx,
                  &part);
    if (rc != IAFQ_OK)
        goto cleanup;
    if (idx >= 0) {
        snprintf(what, sizeof what, "shared strings (%.200s)", part);
        rc = xlsx_sst_read(&x.sst, x.z, (size_t)idx, what, lim, err);
        if (rc != IAFQ_OK)
            goto cleanup;
    }

    x.cells =
        (xlsx_sheet_ctx){lim, x.sink, &x.sst, &x.styles, x.wb.date1904, 0};
    for (size_t i = 0; i < x.wb.nsheets; i++) {
        rc = _read_sheet(&x, &x.wb.sheets[i], wb_part);
        if (rc != IAFQ_OK)
            goto cleanup;
    }

cleanup:
    xlsx_rels_release(&x.rels);
    xlsx_workbook_release(&x.wb);
    xlsx_styles_release(&x.styles);
    xlsx_sst_release(&x.sst);
    free(x.part_read);
    free(part);
    free(wb_part);
    zipg_close(x.z);
    return rc;
}

iafq_err xlsx_first_sheet(const char *path, const iafq_limits *lim, char *name,
                          size_t cap, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    _reader x;
    char *wb_part = NULL;
    long idx = -1;
    memset(&x, 0, sizeof x);
    x.err = err;
    x.rels = (xlsx_rels)XLSX_RELS_INIT;
    if (cap)
        name[0] = '\0';
    rc = zipg_open(path, lim, &x.z, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    x.part_read = calloc(zipg_count(x.z) + 1, 1);
    if (!x.part_read) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    wb_part = _workbook_part(&x, path, &idx, &rc);
    if (!wb_part)
        goto cleanup;
    rc = xlsx_workbook_read(&x.wb, x.z, (size_t)idx, "workbook", lim, err);
    if (rc == IAFQ_OK && x.wb.nsheets > 0 && cap)
        snprintf(name, cap, "%s", x.wb.sheets[0].name);
cleanup:
    xlsx_workbook_release(&x.wb);
    free(x.part_read);
    free(wb_part);
    zipg_close(x.z);
    return rc;
}
