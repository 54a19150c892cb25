/* gswb_table.c - a table sheet of the global study workbook (gswb_int.h):
 * its view's rows (views.h, read row by row), its columns by name, the
 * cells by kind; a table longer than a sheet goes on into "CODE (2)"... */
#include "gswb_int.h"

#include "schema.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH_MIN 6.0
#define WIDTH_MAX 60.0

/* A table sheet being written (one part of a table). */
typedef struct {
    lxw_worksheet *ws;
    lxw_row_t row; /* next row */
    double width[GSWB_MAX_COLS];
} part;

/* Characters of text as Excel shows it (for column widths). */
static double text_width(const char *s)
{
    return (double)utf8_len(s, strlen(s));
}

/* Characters of v written with "#,##0" (counts) or "0.00" (shares),
 * counted without printing it (this runs for every number). */
static double number_width(double v, gswb_kind k)
{
    double a = fabs(v);
    int digits = 1;
    for (double p = 10; p <= a && digits < 20; p *= 10)
        digits++;
    int n = digits + (v < 0);
    return (double)(k == GSWB_K_PCT ? n + 3 : n + (digits - 1) / 3);
}

/* The label of code in table t: its column label, else its row label;
 * NULL when t has no such code. */
static const char *label(int t, const char *code)
{
    if (t < 0 || t >= TBL__COUNT || !code)
        return NULL;
    const schema_table *st = &schema_tables[t];
    int i = schema_col_index(st, code);
    if (i >= 0)
        return st->cols[i].label;
    i = schema_row_index(st, code);
    return i >= 0 ? st->rows[i].label : NULL;
}

static iafq_err part_start(gswb_book *w, const gswb_sheet *s,
                           const gswb_col **cols, int ncols, int nth, part *p,
                           iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    char name[XLSXW_SHEETNAME_BUF];
    if (nth == 1)
        snprintf(name, sizeof name, "%s", s->name);
    else
        snprintf(name, sizeof name, "%s (%d)", s->code, nth);
    memset(p, 0, sizeof *p);
    if (!(p->ws = gswb_add_sheet(w, name, err)))
        return IAFQ_ERR_XLSXW;
    char title[200];
    if (nth == 1)
        snprintf(title, sizeof title, "%s", s->title);
    else
        snprintf(title, sizeof title, "%s (continued, part %d)", s->title, nth);
    if ((rc = gswb_sheet_top(w, p->ws, title, err)) != IAFQ_OK)
        return rc;
    for (int c = 0; c < ncols; c++) {
        XLSXW_TRY(rc,
                  xlsxw_write_text(p->ws, GSWB_HEADER_ROW, (lxw_col_t)c,
                                   cols[c]->header, w->f.header),
                  "header", err);
        /* room for the autofilter's button */
        p->width[c] = text_width(cols[c]->header) + 3;
    }
    worksheet_freeze_panes(p->ws, GSWB_FIRST_ROW, 0);
    p->row = GSWB_FIRST_ROW;
cleanup:
    return rc;
}

static iafq_err part_finish(part *p, int ncols, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    for (int c = 0; c < ncols; c++) {
        double wd = p->width[c] + 1;
        wd = wd < WIDTH_MIN ? WIDTH_MIN : wd > WIDTH_MAX ? WIDTH_MAX : wd;
        XLSXW_TRY(
            rc,
            worksheet_set_column(p->ws, (lxw_col_t)c, (lxw_col_t)c, wd, NULL),
            "column width", err);
    }
    lxw_row_t last = p->row - 1; /* the header alone when no rows */
    XLSXW_TRY(rc,
              worksheet_autofilter(p->ws, GSWB_HEADER_ROW, 0, last,
                                   (lxw_col_t)(ncols - 1)),
              "autofilter", err);
cleanup:
    return rc;
}

static iafq_err bad_value(const char *field, const char *v, iafq_error *err)
{
    char shown[40];
    size_t n = utf8_prefix(v, strlen(v), 30, sizeof shown - 1);
    memcpy(shown, v, n);
    shown[n] = '\0';
    return iafq_error_set(err, IAFQ_ERR_DB,
                          "global study workbook: column %s holds '%s', not a "
                          "number",
                          field, shown);
}

int gswb_number(const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    return end != v && *end == '\0' && isfinite(*out);
}

/* Write row r of res into p's next row. */
static iafq_err write_row(gswb_book *w, const gswb_col **cols, const int *field,
                          int ncols, int dim, const PGresult *res, int r,
                          part *p, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    for (int c = 0; c < ncols; c++) {
        const gswb_col *col = cols[c];
        if (PQgetisnull(res, r, field[c]))
            continue; /* not given: an empty cell, never 0 */
        const char *v = PQgetvalue(res, r, field[c]);
        lxw_col_t x = (lxw_col_t)c;
        double num, wd = 0;
        switch (col->kind) {
        case GSWB_K_TEXT:
            XLSXW_TRY(rc, xlsxw_write_text(p->ws, p->row, x, v, NULL), "cell",
                      err);
            wd = text_width(v);
            break;
        case GSWB_K_LABEL: {
            int t = col->table;
            if (t == GSWB_BY_DIMENSION) {
                const char *d = dim >= 0 ? PQgetvalue(res, r, dim) : "";
                t = !strcmp(d, "condition") ? TBL_T5
                    : !strcmp(d, "marking") ? TBL_T6
                                            : TBL_T7;
            }
            const char *l = label(t, v);
            if (!l && !strcmp(v, "ALL"))
                l = "All columns (summed)";
            if (!l)
                continue;
            XLSXW_TRY(rc, xlsxw_write_text(p->ws, p->row, x, l, NULL), "cell",
                      err);
            wd = text_width(l);
            break;
        }
        case GSWB_K_INT:
        case GSWB_K_PCT:
            if (!gswb_number(v, &num))
                return bad_value(col->field, v, err);
            XLSXW_TRY(rc,
                      worksheet_write_number(p->ws, p->row, x, num,
                                             col->kind == GSWB_K_PCT ? w->f.pct
                                             : strcmp(col->field, "year") == 0
                                                 ? NULL
                                                 : w->f.count),
                      "cell", err);
            wd = number_width(num, col->kind);
            break;
        case GSWB_K_BOOL: /* the CSV's words (exp.h), not TRUE/FALSE */
            XLSXW_TRY(
                rc, xlsxw_write_text(p->ws, p->row, x, exp_bool_word(v), NULL),
                "cell", err);
            wd = 5;
            break;
        }
        if (wd > p->width[c])
            p->width[c] = wd;
    }
    p->row++;
cleanup:
    return rc;
}

/* A table being read: its columns (by name, resolved from the first
 * result), the part written, what the charts keep. */
typedef struct {
    gswb_book *w;
    const gswb_sheet *s;
    const gswb_col *cols[GSWB_MAX_COLS];
    const char *names[GSWB_MAX_COLS];
    int field[GSWB_MAX_COLS];
    int ncols, dim, resolved, part;
    part p;
    gswb_collector charts;
} table_state;

static iafq_err resolve(table_state *t, const PGresult *res, iafq_error *err)
{
    char what[80];
    snprintf(what, sizeof what, "view %s", t->s->view);
    iafq_err rc = db_cols(res, what, t->names, t->field, (size_t)t->ncols, err);
    if (rc)
        return rc;
    t->dim = PQfnumber(res, "dimension"); /* GS5's labels only */
    return gswb_collect_start(&t->charts, t->s, res, err);
}

static iafq_err table_row(void *arg, const PGresult *res, iafq_error *err)
{
    table_state *t = arg;
    iafq_err rc;
    if (!t->resolved) {
        if ((rc = resolve(t, res, err)) != IAFQ_OK)
            return rc;
        t->resolved = 1;
    }
    for (int r = 0; r < PQntuples(res); r++) {
        if (t->p.row - GSWB_FIRST_ROW >= gswb_rows_per_sheet()) {
            if ((rc = part_finish(&t->p, t->ncols, err)) != IAFQ_OK ||
                (rc = part_start(t->w, t->s, t->cols, t->ncols, ++t->part,
                                 &t->p, err)) != IAFQ_OK)
                return rc;
        }
        if ((rc = write_row(t->w, t->cols, t->field, t->ncols, t->dim, res, r,
                            &t->p, err)) != IAFQ_OK)
            return rc;
        if (gswb_collect(t->w, &t->charts, res, r) != 0)
            return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    return IAFQ_OK;
}

iafq_err gswb_table(gswb_book *w, const gswb_sheet *s, iafq_error *err)
{
    table_state t = {.w = w, .s = s, .dim = -1, .part = 1};
    const views_view *v = views_find(s->view);
    if (!v)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL, "no view '%s'", s->view);
    for (int c = 0; c < s->ncols && t.ncols < GSWB_MAX_COLS; c++)
        if (w->ctx->internal || !exp_internal_only(s->cols[c].field)) {
            t.cols[t.ncols] = &s->cols[c];
            t.names[t.ncols++] = s->cols[c].field;
        }
    iafq_err rc;
    if ((rc = part_start(w, s, t.cols, t.ncols, t.part, &t.p, err)) !=
            IAFQ_OK ||
        (rc = views_rows(w->ctx, v, table_row, &t, err)) != IAFQ_OK)
        return rc;
    return part_finish(&t.p, t.ncols, err);
}
