/*
 * gswb.c - the global study workbook (gswb.h): the workbook, its formats
 * and the top rows of every sheet; the sheets themselves are written by
 * gswb_table.c, gswb_chart.c and gswb_about.c (gswb_int.h).  Rows come
 * from each view in the order they are written, so the workbook is written
 * in libxlsxwriter's constant-memory mode.
 */
#include "gswb_int.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INTERNAL_NOTE                                                          \
    "IAFQ: internal, not for publication. Includes the figures of "            \
    "countries that did not consent to publication and the aggregates that "   \
    "include them."
#define PUBLIC_NOTE                                                            \
    "Public edition: the disclosure rule is applied (a country that did not "  \
    "consent is treated as not having reported: it appears nowhere and no "    \
    "aggregate includes its figures)."

static unsigned long rows_per_sheet = LXW_ROW_MAX - GSWB_FIRST_ROW;

void gswb_set_rows_per_sheet(unsigned long rows)
{
    rows_per_sheet = rows == 0 || rows > LXW_ROW_MAX - GSWB_FIRST_ROW
                         ? LXW_ROW_MAX - GSWB_FIRST_ROW
                         : rows;
}

unsigned long gswb_rows_per_sheet(void)
{
    return rows_per_sheet;
}

static iafq_err make_formats(gswb_book *w, iafq_error *err)
{
    gswb_formats *f = &w->f;
    lxw_format **all[] = {&f->title, &f->note, &f->banner, &f->header,
                          &f->count, &f->pct,  &f->key,    &f->wrap};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!(*all[i] = workbook_add_format(w->wb)))
            return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    format_set_italic(f->note);
    format_set_font_color(f->note, 0x404040);
    format_set_bold(f->banner);
    format_set_font_color(f->banner, 0xC00000);
    format_set_bold(f->header);
    format_set_bg_color(f->header, 0xD9E1F2);
    format_set_bottom(f->header, LXW_BORDER_THIN);
    format_set_num_format(f->count, "#,##0");
    format_set_num_format(f->pct, "0.00");
    format_set_bold(f->key);
    format_set_align(f->key, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    return IAFQ_OK;
}

/* Title in row 1 and the edition note in row 2 of any sheet; the printed
 * page header of an internal sheet says it too. */
iafq_err gswb_sheet_top(gswb_book *w, lxw_worksheet *ws, const char *title,
                        iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    XLSXW_TRY(rc, xlsxw_write_text(ws, GSWB_TITLE_ROW, 0, title, w->f.title),
              "title", err);
    if (w->ctx->internal) {
        XLSXW_TRY(
            rc,
            xlsxw_write_text(ws, GSWB_NOTE_ROW, 0, INTERNAL_NOTE, w->f.banner),
            "note", err);
        XLSXW_TRY(
            rc,
            worksheet_set_header(ws, "&CIAFQ: internal, not for publication"),
            "page header", err);
    } else {
        XLSXW_TRY(
            rc, xlsxw_write_text(ws, GSWB_NOTE_ROW, 0, PUBLIC_NOTE, w->f.note),
            "note", err);
    }
    xlsxw_print_setup(ws);
cleanup:
    return rc;
}

lxw_worksheet *gswb_add_sheet(gswb_book *w, const char *name, iafq_error *err)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
    if (!ws)
        iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add sheet '%s'", name);
    return ws;
}

/* ------------------------------------------------------------------ main */

iafq_err gswb_write(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    gswb_book w = {.ctx = ctx};
    char *dir = NULL;
    if (!ctx || !ctx->db || !ctx->schema || !path)
        return iafq_error_set(err, IAFQ_ERR_USAGE,
                              "global study workbook: no database or path");
    /* libxlsxwriter's temporary files next to the output: same disk */
    char *copy = strdup(path);
    if (!copy || !(dir = strdup(dirname(copy)))) {
        free(copy);
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    free(copy);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = dir};
    if (!(w.wb = xlsxw_new(path, &opt, err))) {
        rc = err ? err->code : IAFQ_ERR_XLSXW;
        goto cleanup;
    }
    if ((rc = make_formats(&w, err)) != IAFQ_OK ||
        (rc = gswb_about(&w, err)) != IAFQ_OK)
        goto cleanup;
    size_t ns;
    const gswb_sheet *sheets = gswb_sheets(&ns);
    for (size_t i = 0; i < ns; i++)
        if ((rc = gswb_table(&w, &sheets[i], err)) != IAFQ_OK)
            goto cleanup;
    if ((rc = gswb_charts(&w, err)) != IAFQ_OK)
        goto cleanup;
    lxw_workbook *wb = w.wb;
    w.wb = NULL;
    rc = xlsxw_close(wb, path, err);
cleanup:
    xlsxw_discard(w.wb);
    free(w.gs1.p);
    free(w.gs2.p);
    free(w.gs6.p);
    free(dir);
    return rc;
}
