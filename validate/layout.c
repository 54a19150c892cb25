#include "layout.h"

#include "grow.h"
#include "idset.h"
#include "rules.h"
#include "str.h"
#include "utf8.h"
#include "work.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROW_NONE, ROW_IGNORE, ROW_HEADER, ROW_DATA, ROW_SKIP };

typedef struct {
    uint32_t row;
    int32_t col;
    int64_t ymd; /* YYYYMMDD */
    size_t id;   /* offset of the whole seizure id in layout.pend_ids */
} _pending_date;

/*
 * Work on a long shared string is done once per (string, column), not once
 * per cell that shows it (cell.shared: one index, one text for the whole
 * read).  For the id column: the trimmed id and whether it is in the id set
 * already.  For a T11 value: what rules_cell() made of it (the value and
 * the findings, replayed with each cell's own position), so that a small
 * workbook of a million cells pointing at one 32,767-character string is
 * judged in time proportional to its size.
 */
#define MEMO_MIN 64 /* shorter texts are cheaper to judge than to look up */
#define MEMO_FINDINGS 2

typedef struct {
    finding_code code;
    char *value;
    /* the message in each language ([I18N_EN] NULL: the finding was not
     * stored; another NULL: as in English) */
    char *message[I18N_COUNT];
} _memo_finding;

typedef struct {
    uint64_t key; /* shared << 16 | (column + 1); column -1: the id */
    size_t trim_off, trim_len;
    bool in_ids;
    bool judged; /* the value part below is set */
    bool avail, bad;
    int64_t n;
    int nf;
    _memo_finding f[MEMO_FINDINGS];
} _memo;

typedef struct {
    uint32_t *slot; /* index + 1 into v; 0 = empty */
    size_t cap;
    _memo *v;
    size_t n, capv;
} _memos;

struct layout {
    iafq_return *r;
    const iafq_limits *lim;
    ret_seizure_fn on_seizure;
    void *ud;
    int failed;
    iafq_err fcode;  /* the seizure callback's error; IAFQ_OK: out of memory */
    iafq_error ferr; /* its message */

    int table; /* current table, -1 when skipping the sheet */
    const schema_table *st;
    ret_table *rt;
    int state;    /* ROW_* of the current row */
    int rowindex; /* fixed table: schema row of the current row */
    uint32_t row;
    int16_t *colmap; /* sheet column -> schema column; -1 none, -2 LABEL */
    uint32_t ncolmap;

    /* T11 */
    int qi, ai, di; /* schema columns QUANTITY, ARM_TYPE, DATE */
    char *id;
    ret_value rec[SCHEMA_MAX_COLS];
    bool given[SCHEMA_MAX_COLS];
    idset ids;
    _pending_date *pend;
    size_t npend, cappend;
    char *pend_ids; /* the pending records' ids, each NUL-terminated */
    size_t pend_ids_len, pend_ids_cap;

    _memos memos;
    uint64_t text_bytes; /* cell text judged, for work.h */
};

/* Note a failure and return its code: the seizure callback's, else out
 * of memory.  layout_error() gives its message. */
static iafq_err fail(layout *l)
{
    l->failed = 1;
    return l->fcode != IAFQ_OK ? l->fcode : IAFQ_ERR_NOMEM;
}

/* fail(), with the message in *err: for the sink's callbacks. */
static iafq_err fail_err(layout *l, iafq_error *err)
{
    fail(l);
    return layout_error(l, err);
}

/* ---------------------------------------------------------------- memos */

static size_t _memo_slot(const _memos *m, uint64_t key)
{
    uint64_t h = (key ^ idset_seed()) * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 32) & (m->cap - 1);
    while (m->slot[i] && m->v[m->slot[i] - 1].key != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static iafq_err _memos_grow(_memos *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return IAFQ_ERR_NOMEM;
    _memos g = {slot, cap, m->v, m->n, m->capv};
    for (size_t i = 0; i < m->n; i++)
        slot[_memo_slot(&g, m->v[i].key)] = (uint32_t)i + 1;
    free(m->slot);
    m->slot = slot;
    m->cap = cap;
    return IAFQ_OK;
}

/* The memo of long shared text c in column ci (-1: the id), made on first
 * sight with the trimmed text; NULL when c is not one (or out of memory:
 * l->failed). */
static _memo *_memo_of(layout *l, const cell *c, int ci)
{
    _memos *m = &l->memos;
    if (c->kind != CELL_TEXT || !c->shared || c->len < MEMO_MIN)
        return NULL;
    if (m->n >= UINT32_MAX - 1 || ((m->n + 1) * 2 > m->cap && _memos_grow(m)))
        goto nomem;
    uint64_t key = (uint64_t)c->shared << 16 | (uint16_t)(ci + 1);
    size_t i = _memo_slot(m, key);
    if (m->slot[i])
        return &m->v[m->slot[i] - 1];
    if (grow((void **)&m->v, &m->capv, m->n + 1, sizeof *m->v, 64))
        goto nomem;
    _memo *e = &m->v[m->n];
    memset(e, 0, sizeof *e);
    e->key = key;
    size_t n = c->len;
    const char *t = str_trim(c->text, &n);
    e->trim_off = (size_t)(t - c->text);
    e->trim_len = n;
    l->text_bytes += c->len;
    m->slot[i] = (uint32_t)++m->n;
    return e;
nomem:
    l->failed = 1;
    return NULL;
}

static void _memos_release(_memos *m)
{
    for (size_t i = 0; i < m->n; i++)
        for (int k = 0; k < m->v[i].nf; k++) {
            free(m->v[i].f[k].value);
            for (int g = 0; g < I18N_COUNT; g++)
                free(m->v[i].f[k].message[g]);
        }
    free(m->v);
    free(m->slot);
}

/* rules_cell() for a cell whose text may be a long shared string: judged
 * once per (string, column), then replayed at each cell's position. */
static iafq_err _rules_cell(layout *l, const rules_loc *loc, int ci,
                            value_type vt, codelist_id cl, const cell *c,
                            ret_value *out)
{
    _memo *m = loc->discard_text ? _memo_of(l, c, ci) : NULL;
    if (l->failed)
        return fail(l);
    finding_list *fl = &l->r->findings;
    if (m && m->judged) {
        ret_value_clear(out);
        out->row = c->row;
        out->col = (int32_t)c->col;
        out->avail = m->avail;
        out->bad = m->bad;
        out->n = m->n;
        for (int k = 0; k < m->nf; k++)
            if (findings_add_l10n(fl, m->f[k].code, loc->sheet, c->row,
                                  (int32_t)c->col, loc->rowcode, loc->colcode,
                                  m->f[k].value,
                                  (const char *const *)m->f[k].message))
                return fail(l);
        return IAFQ_OK;
    }
    size_t before = fl->n;
    size_t counts[F_COUNT];
    if (m)
        memcpy(counts, fl->per_code, sizeof counts);
    l->text_bytes += c->len;
    if (rules_cell(l->r, loc, vt, cl, c, out))
        return fail(l);
    if (!m || out->text || out->src)
        return IAFQ_OK;
    /* what it made: stored findings, then any dropped (the list is full,
     * so a replay is dropped too: only the code matters) */
    int nf = 0;
    for (size_t i = before; i < fl->n && nf < MEMO_FINDINGS; i++, nf++) {
        const finding *f = &fl->v[i];
        counts[f->code]++;
        _memo_finding *mf = &m->f[nf];
        *mf = (_memo_finding){f->code, str_dup(f->value), {NULL}};
        int bad = (f->value && !mf->value);
        for (int g = 0; g < I18N_COUNT; g++) {
            const char *s = g == I18N_EN ? f->message : f->message_l10n[g];
            if (s && !(mf->message[g] = str_dup(s)))
                bad = 1;
        }
        if (bad || !mf->message[I18N_EN]) {
            m->nf = nf + 1;
            l->failed = 1;
            return fail(l);
        }
    }
    if (fl->n - before > (size_t)nf) {
        m->nf = nf;
        return IAFQ_OK; /* more than a memo holds: judge each time */
    }
    for (int code = 0; code < F_COUNT; code++)
        for (; counts[code] < fl->per_code[code]; counts[code]++) {
            if (nf == MEMO_FINDINGS) {
                m->nf = nf;
                return IAFQ_OK;
            }
            m->f[nf++] = (_memo_finding){(finding_code)code, NULL, {NULL}};
        }
    m->nf = nf;
    m->judged = true;
    m->avail = out->avail;
    m->bad = out->bad;
    m->n = out->n;
    return IAFQ_OK;
}

/* --------------------------------------------------------------- layout */

layout *layout_new(iafq_return *r, const iafq_limits *lim,
                   ret_seizure_fn on_seizure, void *ud)
{
    layout *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->r = r;
    l->lim = lim;
    l->on_seizure = on_seizure;
    l->ud = ud;
    l->table = -1;
    l->ncolmap = lim->max_cols ? lim->max_cols : 1024;
    if (l->ncolmap > 16384)
        l->ncolmap = 16384;
    l->colmap = malloc(l->ncolmap * sizeof *l->colmap);
    if (!l->colmap) {
        free(l);
        return NULL;
    }
    for (int c = 0; c < SCHEMA_MAX_COLS; c++)
        l->rec[c].col = -1;
    const schema_table *t11 = &schema_tables[TBL_T11];
    l->qi = schema_col_index(t11, "QUANTITY");
    l->ai = schema_col_index(t11, "ARM_TYPE");
    l->di = schema_col_index(t11, "DATE");
    return l;
}

static void _rec_clear(layout *l)
{
    for (int c = 0; c < SCHEMA_MAX_COLS; c++) {
        ret_value_clear(&l->rec[c]);
        l->rec[c].row = 0;
        l->rec[c].col = -1;
        l->given[c] = false;
    }
    free(l->id);
    l->id = NULL;
}

void layout_free(layout *l)
{
    if (!l)
        return;
    _rec_clear(l);
    idset_release(&l->ids);
    _memos_release(&l->memos);
    work_add(WORK_CELL_TEXT, l->text_bytes);
    free(l->pend);
    free(l->pend_ids);
    free(l->colmap);
    free(l);
}

iafq_err layout_error(const layout *l, iafq_error *err)
{
    if (!l->failed)
        return IAFQ_OK;
    if (l->fcode != IAFQ_OK)
        return cells_callback_error(err, l->fcode, &l->ferr);
    return iafq_error_set(err, IAFQ_ERR_NOMEM,
                          "out of memory while validating the return");
}

int layout_sheet_rank(const char *sheet)
{
    return schema_table_by_sheet(sheet);
}

static iafq_err _sheet_begin(void *ud, const char *name, int *skip,
                             iafq_error *err)
{
    layout *l = ud;
    int t = schema_table_by_sheet(name);
    l->table = -1;
    if (t < 0) {
        *skip = 1; /* instructions, lists, notes: not a table */
        return IAFQ_OK;
    }
    ret_table *rt = &l->r->t[t];
    if (rt->present) {
        if (findings_add(&l->r->findings, F_E_SHEET_DUPLICATE, name, 0, -1,
                         NULL, NULL, NULL,
                         "sheet '%s' is a second sheet for table %s (the "
                         "first is '%s'); keep one sheet per table",
                         name, schema_tables[t].code, rt->sheet))
            return fail_err(l, err);
        *skip = 1;
        return IAFQ_OK;
    }
    rt->present = true;
    rt->sheet = str_dup(name);
    if (!rt->sheet || ret_table_use(l->r, (table_id)t))
        return fail_err(l, err);
    l->table = t;
    l->st = &schema_tables[t];
    l->rt = rt;
    l->state = ROW_NONE;
    l->row = 0;
    return IAFQ_OK;
}

/* A finding on the current sheet; fail() when out of memory. */
static iafq_err _add(layout *l, finding_code code, uint32_t row, int32_t col,
                     const char *rowcode, const char *colcode,
                     const char *value, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static iafq_err _add(layout *l, finding_code code, uint32_t row, int32_t col,
                     const char *rowcode, const char *colcode,
                     const char *value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = findings_addv(&l->r->findings, code, l->rt->sheet, row, col,
                           rowcode, colcode, value, fmt, ap);
    va_end(ap);
    if (rc)
        return fail(l);
    return IAFQ_OK;
}

static iafq_err _first_cell(layout *l, const cell *c)
{
    char nb[40];
    const char *text = c->text;
    size_t n = c->len;
    if (c->kind == CELL_NUMBER && n == 0) {
        snprintf(nb, sizeof nb, "%.15g", c->num);
        text = nb;
        n = strlen(nb);
    }
    _memo *m = _memo_of(l, c, -1);
    if (l->failed)
        return fail(l);
    const char *t;
    if (m) {
        t = text + m->trim_off;
        n = m->trim_len;
    } else {
        l->text_bytes += n;
        t = str_trim(text, &n);
    }
    if (c->col != 0 || n == 0 || c->kind == CELL_BLANK) {
        l->state = ROW_IGNORE; /* column A empty: titles, notes, spacing */
        return IAFQ_OK;
    }
    if (!l->rt->header) {
        if (c->kind == CELL_TEXT && n == 4 && str_icmp_n(t, "CODE", 4) == 0) {
            l->rt->header = true;
            l->rt->header_row = c->row;
            for (uint32_t i = 0; i < l->ncolmap; i++)
                l->colmap[i] = -1;
            l->state = ROW_HEADER;
        } else
            l->state = ROW_IGNORE;
        return IAFQ_OK;
    }
    /* at most SCHEMA_TEXT_MAX characters, cut between characters */
    char code[SCHEMA_TEXT_MAX * 4 + 1];
    size_t cn = utf8_prefix(t, n, SCHEMA_TEXT_MAX, sizeof code - 1);
    memcpy(code, t, cn);
    code[cn] = '\0';
    if (l->st->free_rows) {
        l->state = ROW_DATA;
        _rec_clear(l);
        /* an over-long id is reported and kept cut, so the row still
         * has a name in later findings */
        l->id = str_ndup(t, cn);
        if (!l->id)
            return fail(l);
        if (cn < n && /* the limit counts characters, not bytes */
            _add(l, F_E_TEXT_LONG, c->row, 0, NULL, NULL, NULL,
                 "the seizure id has %zu characters; at most %d are allowed",
                 utf8_len(t, n), SCHEMA_TEXT_MAX))
            return fail(l);
        int dup = 1; /* a shared string already seen as an id */
        if (!m || !m->in_ids) {
            dup = idset_add(&l->ids, t, n);
            if (dup < 0)
                return fail(l);
            if (m)
                m->in_ids = true;
        }
        if (dup)
            return _add(l, F_E_ID_DUPLICATE, c->row, 0, code, NULL, code,
                        "seizure id '%s' is used for more than one row; give "
                        "each seizure its own id",
                        code);
        return IAFQ_OK;
    }
    int ri = schema_row_index(l->st, code);
    if (ri < 0) {
        l->state = ROW_SKIP;
        return _add(l, F_E_ROW_UNKNOWN, c->row, 0, code, NULL, code,
                    "'%s' is not a row code of table %s", code, l->st->code);
    }
    if (l->rt->rows[ri].present) {
        l->state = ROW_SKIP;
        return _add(l, F_E_ROW_DUPLICATE, c->row, 0, l->st->rows[ri].code, NULL,
                    code,
                    "row %s appears twice (first in row %u); only the first "
                    "is read",
                    l->st->rows[ri].code, (unsigned)l->rt->rows[ri].sheet_row);
    }
    l->rt->rows[ri].present = true;
    l->rt->rows[ri].sheet_row = c->row;
    l->rowindex = ri;
    l->state = ROW_DATA;
    return IAFQ_OK;
}

static iafq_err _header_cell(layout *l, const cell *c)
{
    if (c->col >= l->ncolmap)
        return IAFQ_OK;
    size_t n = c->len;
    const char *t = str_trim(c->text, &n);
    if (c->kind != CELL_TEXT || n == 0)
        return IAFQ_OK;
    char name[100 * 4 + 1]; /* 100 characters at most */
    size_t nn = utf8_prefix(t, n, 100, sizeof name - 1);
    memcpy(name, t, nn);
    name[nn] = '\0';
    if (str_icmp(name, "LABEL") == 0) {
        l->colmap[c->col] = -2;
        return IAFQ_OK;
    }
    int ci = schema_col_index(l->st, name);
    if (ci < 0)
        return _add(l, F_W_COLUMN_UNKNOWN, c->row, (int32_t)c->col, NULL, name,
                    name,
                    "column '%s' is not a column of table %s; it is ignored",
                    name, l->st->code);
    if (l->rt->colpos[ci] >= 0)
        return _add(l, F_W_COLUMN_UNKNOWN, c->row, (int32_t)c->col, NULL,
                    l->st->cols[ci].code, name,
                    "column %s appears twice; only the left-most is read",
                    l->st->cols[ci].code);
    l->rt->colpos[ci] = (int32_t)c->col;
    l->colmap[c->col] = (int16_t)ci;
    if (l->table == TBL_T11 && strcmp(l->st->cols[ci].code, "QUANTITY") == 0)
        l->r->t11.qty_col = (int32_t)c->col;
    return IAFQ_OK;
}

static value_type _vtype(const layout *l, int ci, codelist_id *cl)
{
    if (l->table == TBL_COVER) {
        const schema_row *row = &l->st->rows[l->rowindex];
        *cl = row->codelist;
        return row->type;
    }
    *cl = l->st->cols[ci].codelist;
    return l->st->cols[ci].type;
}

static iafq_err _cell(void *ud, const cell *c, iafq_error *err)
{
    layout *l = ud;
    if (l->table < 0)
        return IAFQ_OK;
    if (c->row != l->row) {
        l->row = c->row;
        if (_first_cell(l, c) != IAFQ_OK)
            return layout_error(l, err);
        if (c->col == 0)
            return IAFQ_OK;
    }
    switch (l->state) {
    case ROW_HEADER:
        return _header_cell(l, c) == IAFQ_OK ? IAFQ_OK : layout_error(l, err);
    case ROW_DATA:
        break;
    default:
        return IAFQ_OK;
    }
    if (c->col >= l->ncolmap || l->colmap[c->col] < 0)
        return IAFQ_OK;
    int ci = l->colmap[c->col];
    codelist_id cl;
    value_type vt = _vtype(l, ci, &cl);
    /* T11 free text is only kept when someone consumes the records */
    rules_loc loc = {l->rt->sheet,
                     l->st->free_rows ? l->id : l->st->rows[l->rowindex].code,
                     l->st->cols[ci].code, l->st->free_rows && !l->on_seizure};
    ret_value *out =
        l->st->free_rows ? &l->rec[ci] : &l->rt->rows[l->rowindex].v[ci];
    if (c->kind != CELL_BLANK)
        l->given[ci] = true;
    if (_rules_cell(l, &loc, ci, vt, cl, c, out) != IAFQ_OK)
        return layout_error(l, err);
    if (vt == VT_YEAR && l->table == TBL_COVER && out->avail)
        l->r->year = (int)out->n; /* T11 dates are checked against it */
    return IAFQ_OK;
}

static iafq_err _date_year_check(layout *l, uint32_t row, int32_t col,
                                 const char *id, int64_t ymd)
{
    int y = (int)(ymd / 10000);
    if (!l->r->year || y == l->r->year)
        return IAFQ_OK;
    char date[16];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, (int)(ymd / 100 % 100),
             (int)(ymd % 100));
    if (findings_add(&l->r->findings, F_E_DATE, l->r->t[TBL_T11].sheet, row,
                     col, id, "DATE", date,
                     "the seizure date %s is outside the reporting year %d",
                     date, l->r->year))
        return fail(l);
    return IAFQ_OK;
}

static iafq_err _t11_end(layout *l)
{
    iafq_return *r = l->r;
    r->t11.nrecords++;
    int qi = l->qi, ai = l->ai, di = l->di;
    ret_value *q = &l->rec[qi];
    if (!q->avail && !q->bad) {
        if (findings_add(&r->findings, F_E_REQUIRED, l->rt->sheet, l->row,
                         l->rt->colpos[qi], l->id, "QUANTITY", NULL,
                         "QUANTITY must be filled in for seizure '%s'", l->id))
            return fail(l);
    }
    ret_value *a = &l->rec[ai];
    if (q->avail && a->avail) {
        int64_t k = a->n; /* index in CL_ARM_TYPE */
        if (k >= 0 && k < 8) {
            r->t11.qty[k] = rules_count_add(r->t11.qty[k], q->n);
            r->t11.qty_any[k] = true;
            r->t11.last_row[k] = l->row;
            /* the whole id (at most the text limit): one buffer per
             * type, grown, never a malloc per record */
            size_t idn = strlen(l->id);
            if (grow((void **)&r->t11.last_id[k], &r->t11.last_id_cap[k],
                     idn + 1, 1, 64))
                return fail(l);
            memcpy(r->t11.last_id[k], l->id, idn + 1);
        }
    }
    ret_value *d = &l->rec[di];
    if (d->avail) {
        if (r->year) {
            if (_date_year_check(l, l->row, l->rt->colpos[di], l->id, d->n))
                return fail(l);
        } else {
            /* COVER not read yet: check when it is */
            if (grow((void **)&l->pend, &l->cappend, l->npend + 1,
                     sizeof *l->pend, 256))
                return fail(l);
            _pending_date *p = &l->pend[l->npend++];
            p->row = l->row;
            p->col = l->rt->colpos[di];
            size_t idn = strlen(l->id);
            if (grow((void **)&l->pend_ids, &l->pend_ids_cap,
                     l->pend_ids_len + idn + 1, 1, 4096))
                return fail(l);
            p->id = l->pend_ids_len;
            memcpy(l->pend_ids + l->pend_ids_len, l->id, idn + 1);
            l->pend_ids_len += idn + 1;
            p->ymd = d->n;
        }
    }
    if (l->on_seizure) {
        ret_seizure s = {l->id, l->row, l->rec};
        iafq_err e = l->on_seizure(l->ud, r, &s, &l->ferr);
        if (e != IAFQ_OK) {
            l->fcode = e;
            return fail(l);
        }
    }
    _rec_clear(l);
    return IAFQ_OK;
}

static iafq_err _row_end(void *ud, uint32_t row, iafq_error *err)
{
    layout *l = ud;
    (void)row;
    if (l->table < 0)
        return IAFQ_OK;
    int state = l->state;
    l->state = ROW_NONE;
    if (state == ROW_HEADER) {
        for (int ci = 0; ci < l->st->ncols; ci++)
            if (l->st->cols[ci].required_col && l->rt->colpos[ci] < 0 &&
                _add(l, F_E_COLUMN_MISSING, 0, -1, NULL, l->st->cols[ci].code,
                     NULL, "table %s has no column %s in its header row",
                     l->st->code, l->st->cols[ci].code))
                return layout_error(l, err);
        return IAFQ_OK;
    }
    if (state == ROW_DATA && l->st->free_rows)
        return _t11_end(l) == IAFQ_OK ? IAFQ_OK : layout_error(l, err);
    return IAFQ_OK;
}

static iafq_err _sheet_end(void *ud, iafq_error *err)
{
    layout *l = ud;
    if (l->table < 0)
        return IAFQ_OK;
    if (!l->rt->header) {
        if (_add(l, F_E_HEADER_MISSING, 0, -1, NULL, NULL, NULL,
                 "sheet '%s' has no header row: the first cell of the header "
                 "row must read CODE",
                 l->rt->sheet))
            return layout_error(l, err);
    } else if (!l->st->free_rows) {
        for (int ri = 0; ri < l->st->nrows; ri++)
            if (!l->rt->rows[ri].present &&
                _add(l, F_W_ROW_MISSING, 0, -1, l->st->rows[ri].code, NULL,
                     NULL,
                     "row %s is missing from table %s; its figures count as "
                     "not available",
                     l->st->rows[ri].code, l->st->code))
                return layout_error(l, err);
    }
    l->table = -1;
    return IAFQ_OK;
}

cell_sink layout_sink(layout *l)
{
    cell_sink s = {_sheet_begin, _cell, _row_end, _sheet_end, l};
    return s;
}

/* The E-SHEET-MISSING message of a required table, its title written out
 * so that it is translated with the rest (the schema's titles are
 * English); NULL for one without (the generic message). */
static const char *_sheet_missing_fmt(table_id t)
{
    switch (t) {
    case TBL_COVER:
        return N_("the required sheet %s (Cover sheet) is missing");
    case TBL_T1:
        return N_("the required sheet %s (Arms seized, found and surrendered "
                  "by type) is missing");
    case TBL_T8:
        return N_("the required sheet %s (Tracing (IAFQ tables 5.1-5.3)) is "
                  "missing");
    default:
        return NULL;
    }
}

iafq_err layout_finish(layout *l, iafq_error *err)
{
    iafq_return *r = l->r;
    if (l->failed)
        return layout_error(l, err);
    for (int t = 0; t < TBL__COUNT; t++) {
        const schema_table *st = &schema_tables[t];
        if (!st->required || r->t[t].present)
            continue;
        const char *fmt = _sheet_missing_fmt((table_id)t);
        if (fmt ? findings_add(&r->findings, F_E_SHEET_MISSING, st->code, 0, -1,
                               NULL, NULL, NULL, fmt, st->code)
                : findings_add(&r->findings, F_E_SHEET_MISSING, st->code, 0, -1,
                               NULL, NULL, NULL,
                               "the required sheet %s (%s) is missing",
                               st->code, st->title))
            return fail_err(l, err);
    }
    if (rules_finish(r))
        return fail_err(l, err);
    if (!r->year)
        return IAFQ_OK;
    for (size_t i = 0; i < l->npend; i++)
        if (_date_year_check(l, l->pend[i].row, l->pend[i].col,
                             l->pend_ids + l->pend[i].id, l->pend[i].ymd))
            return fail_err(l, err);
    return IAFQ_OK;
}
