#include "ret.h"

#include "str.h"

#include <stdlib.h>
#include <string.h>

/* The cells of a table not yet used: read-only (in .rodata, so a write by
 * mistake faults at once instead of leaking into every return). */
#define BLANK_V                                                                \
    {                                                                          \
        0, NULL, NULL, 0, -1, false, false, false                              \
    }
#define BLANK_V4 BLANK_V, BLANK_V, BLANK_V, BLANK_V
static const ret_value _blank_v[SCHEMA_MAX_COLS] = {BLANK_V4, BLANK_V4,
                                                    BLANK_V4, BLANK_V4};
#define BLANK_R                                                                \
    {                                                                          \
        false, 0, (ret_value *)_blank_v                                        \
    }
#define BLANK_R4 BLANK_R, BLANK_R, BLANK_R, BLANK_R
static const ret_row _blank_rows[SCHEMA_MAX_ROWS] = {BLANK_R4, BLANK_R4,
                                                     BLANK_R4, BLANK_R4};

bool ret_table_used(const iafq_return *r, table_id t)
{
    return r->t[t].rows != _blank_rows;
}

int ret_table_use(iafq_return *r, table_id t)
{
    if (ret_table_used(r, t))
        return 0;
    const schema_table *st = &schema_tables[t];
    size_t nr = (size_t)st->nrows, nc = (size_t)st->ncols;
    if (nr == 0)
        return 0; /* T11: records stream past, no fixed cells */
    /* one block: the rows, then their values */
    ret_row *rows = calloc(1, nr * sizeof *rows + nr * nc * sizeof(ret_value));
    if (!rows)
        return -1;
    ret_value *v = (ret_value *)(rows + nr);
    for (size_t i = 0; i < nr; i++) {
        rows[i].v = v + i * nc;
        for (size_t c = 0; c < nc; c++)
            rows[i].v[c].col = -1;
    }
    r->t[t].rows = rows;
    return 0;
}

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
        r->t[t].rows = (ret_row *)_blank_rows;
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
        if (!ret_table_used(r, (table_id)t))
            continue;
        const schema_table *st = &schema_tables[t];
        for (int rr = 0; rr < st->nrows; rr++)
            for (int c = 0; c < st->ncols; c++)
                ret_value_clear(&r->t[t].rows[rr].v[c]);
        free(r->t[t].rows);
    }
    for (int k = 0; k < 8; k++)
        free(r->t11.last_id[k]);
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
