#include "longfmt.h"

#include "str.h"

#include <string.h>

const char *const longfmt_names[LONGFMT_COUNT] = {
    "Iso3_code",           "Country",  "Region", "Subregion", "Indicator",
    "Dimension",           "Category", "Sex",    "Age",       "Year",
    "Unit of measurement", "VALUE",    "Source"};

typedef struct {
    const longfmt_sink *sink;
    longfmt_info *info;
    int sheets; /* worksheets begun (only the first is read) */
    uint32_t row;
    bool any; /* the current row has a field */
    longfmt_row cur;
    sbuf text[LONGFMT_COUNT]; /* our copies of the current row's fields */
} _lf;

static iafq_err _sheet_begin(void *ud, const char *name, int *skip,
                             iafq_error *err)
{
    _lf *s = ud;
    (void)name;
    (void)err;
    *skip = s->sheets++ > 0; /* the long format is the first sheet */
    return IAFQ_OK;
}

static void _clear_row(_lf *s, uint32_t row)
{
    s->row = row;
    s->any = false;
    s->cur.row = row;
    for (int i = 0; i < LONGFMT_COUNT; i++) {
        cell *c = &s->cur.f[i];
        memset(c, 0, sizeof *c);
        c->row = row;
        int32_t col = s->info->header.col[i];
        c->col = col >= 0 ? (uint32_t)col : 0;
        c->text = "";
    }
}

static iafq_err _cell(void *ud, const cell *c, iafq_error *err)
{
    _lf *s = ud;
    longfmt_info *in = s->info;
    if (!in->header_row) {
        if (c->col == 0 && c->kind == CELL_TEXT &&
            str_code_eq(c->text, "Iso3_code")) {
            in->header_row = c->row;
            in->header.row = c->row;
        } else {
            return IAFQ_OK; /* banner rows */
        }
    }
    if (c->row == in->header_row) {
        if (c->kind == CELL_TEXT)
            for (int i = 0; i < LONGFMT_COUNT; i++)
                if (in->header.col[i] < 0 &&
                    str_code_eq(c->text, longfmt_names[i]))
                    in->header.col[i] = (int32_t)c->col;
        return IAFQ_OK;
    }
    if (c->row != s->row)
        _clear_row(s, c->row);
    for (int i = 0; i < LONGFMT_COUNT; i++) {
        if (in->header.col[i] != (int32_t)c->col)
            continue;
        size_t n = c->len;
        const char *t = str_trim(c->text, &n);
        sbuf_reset(&s->text[i]);
        if (sbuf_add(&s->text[i], t, n))
            return iafq_error_set(err, IAFQ_ERR_NOMEM,
                                  "out of memory reading the long-format "
                                  "file");
        cell *f = &s->cur.f[i];
        *f = *c;
        f->text = s->text[i].buf ? s->text[i].buf : "";
        f->len = n;
        if (n == 0 && f->kind == CELL_TEXT)
            f->kind = CELL_BLANK;
        if (f->kind != CELL_BLANK)
            s->any = true;
    }
    return IAFQ_OK;
}

static iafq_err _row_end(void *ud, uint32_t row, iafq_error *err)
{
    _lf *s = ud;
    if (!s->info->header_row || row != s->row || !s->any)
        return IAFQ_OK;
    s->any = false;
    s->info->nrows++;
    if (!s->sink || !s->sink->row)
        return IAFQ_OK;
    return s->sink->row(s->sink->ud, &s->cur, err);
}

iafq_err longfmt_read(const char *path, source_kind kind,
                      const iafq_limits *lim, const longfmt_sink *sink,
                      longfmt_info *info, iafq_error *err)
{
    longfmt_info local;
    _lf s;
    memset(&s, 0, sizeof s);
    s.sink = sink;
    s.info = info ? info : &local;
    memset(s.info, 0, sizeof *s.info);
    for (int i = 0; i < LONGFMT_COUNT; i++)
        s.info->header.col[i] = -1;
    s.cur.header = &s.info->header;
    if (kind != SOURCE_LONG && kind != SOURCE_LONG_XLSX)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "longfmt_read: not a long-format source");
    cell_sink cs = {_sheet_begin, _cell, _row_end, NULL, &s};
    iafq_err e = source_cells(path, kind, lim, &cs, err);
    for (int i = 0; i < LONGFMT_COUNT; i++)
        sbuf_release(&s.text[i]);
    return e;
}
