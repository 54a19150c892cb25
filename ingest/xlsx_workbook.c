/*
 * xlsx_workbook.c - the workbook part (see xlsx_workbook.h).
 */
#include "xlsx_workbook.h"

#include "str.h"
#include "xlsx_xml.h"

#include <stdlib.h>
#include <string.h>

static void _start(xlsx_xml *px, void *ud, const char *local, const char **atts)
{
    xlsx_workbook *wb = ud;
    if (strcmp(local, "workbookPr") == 0) {
        const char *v = xlsx_xml_attr(atts, "date1904");
        if (v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0))
            wb->date1904 = 1;
        return;
    }
    if (strcmp(local, "sheet") != 0)
        return;
    const char *name = xlsx_xml_attr(atts, "name");
    const char *rid = xlsx_xml_attr(atts, "id");
    if (!name || !rid) {
        xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                      "a sheet has no name or no relationship id");
        return;
    }
    if (wb->nsheets >= wb->lim->max_entries) {
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT, "more than %u sheets (limit)",
                      (unsigned)wb->lim->max_entries);
        return;
    }
    if (xlsx_xml_grow(px, (void **)&wb->sheets, &wb->cap, wb->nsheets + 1,
                      sizeof *wb->sheets, 16))
        return;
    xlsx_sheet_ref *s = &wb->sheets[wb->nsheets++];
    s->name = str_dup(name);
    s->rid = str_dup(rid);
    if (!s->name || !s->rid)
        xlsx_xml_stop(px, IAFQ_ERR_NOMEM, "out of memory");
}

iafq_err xlsx_workbook_read(xlsx_workbook *wb, zipg *z, size_t idx,
                            const char *what, const iafq_limits *lim,
                            iafq_error *err)
{
    static const xlsx_xml_handlers h = {_start, NULL, NULL};
    memset(wb, 0, sizeof *wb);
    wb->lim = lim;
    return xlsx_xml_parse(z, idx, what, &h, wb, err);
}

void xlsx_workbook_release(xlsx_workbook *wb)
{
    if (!wb)
        return;
    for (size_t i = 0; i < wb->nsheets; i++) {
        free(wb->sheets[i].name);
        free(wb->sheets[i].rid);
    }
    free(wb->sheets);
    wb->sheets = NULL;
    wb->nsheets = wb->cap = 0;
}
