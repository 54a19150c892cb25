#include "ret.h"

#include "str.h"

#include <stdlib.h>
#include <string.h>

iafq_return *ret_new(const char *file, ret_source source, size_t max_findings,
                     bool strict)
{
    iafq_return *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->file = str_dup(file ? file : "");
    if (!r->file) {
        free(r);
        return NULL;
    }
    r->source = source;
    r->consent = -1;
    for (int t = 0; t < TBL__COUNT; t++) {
        for (int c = 0; c < SCHEMA_MAX_COLS; c++)
            r->t[t].colpos[c] = -1;
        for (int rr = 0; rr < SCHEMA_MAX_ROWS; rr++)
            for (int c = 0; c < SCHEMA_MAX_COLS; c++)
                r->t[t].rows[rr].v[c].col = -1;
    }
    r->t11.qty_col = -1;
    findings_init(&r->findings, max_findings, strict);
    return r;
}

void ret_value_clear(ret_value *v)
{
    if (v->text) { /* on the hot path: skip the calls when empty */
        free(v->text);
        v->text = NULL;
    }
    if (v->src) {
        free(v->src);
        v->src = NULL;
    }
    v->n = 0;
    v->avail = v->derived = v->bad = false;
}

void ret_free(iafq_return *r)
{
    if (!r)
        return;
    for (int t = 0; t < TBL__COUNT; t++) {
        free(r->t[t].sheet);
        for (int rr = 0; rr < SCHEMA_MAX_ROWS; rr++)
            for (int c = 0; c < SCHEMA_MAX_COLS; c++)
                ret_value_clear(&r->t[t].rows[rr].v[c]);
    }
    findings_free(&r->findings);
    free(r->file);
    free(r);
}

ret_value *ret_cell(iafq_return *r, table_id t, const char *row,
                    const char *col)
{
    const schema_table *st = &schema_tables[t];
    int ri = schema_row_index(st, row), ci = schema_col_index(st, col);
    if (ri < 0 || ci < 0)
        return NULL;
    return &r->t[t].rows[ri].v[ci];
}

const ret_value *ret_cell_c(const iafq_return *r, table_id t, const char *row,
                            const char *col)
{
    return ret_cell((iafq_return *)r, t, row, col);
}

int ret_value_set_text(ret_value *v, const char *s, size_t n)
{
    free(v->text);
    v->text = NULL;
    if (!s)
        return 0;
    v->text = str_ndup(s, n);
    return v->text ? 0 : -1;
}

int ret_value_set_src(ret_value *v, const char *src)
{
    free(v->src);
    v->src = NULL;
    if (!src)
        return 0;
    v->src = str_dup(src);
    return v->src ? 0 : -1;
}
