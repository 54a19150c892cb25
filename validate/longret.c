#include "longret.h"

#include "grow.h"
#include "longfmt.h"
#include "m49.h"
#include "rules.h"
#include "str.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_YEAR 2000 /* as COVER YEAR (rules.c, VT_YEAR) */

/* A "by location" Total waiting for its group. */
typedef struct {
    int col; /* 0 seized, 1 found, 2 surrendered */
    ret_value v;
} _pending_total;

typedef struct {
    iafq_return *r;
    int last_group[3]; /* TBL_T7 / TBL_T8 / -1 */
    _pending_total *pend;
    size_t npend, cappend;
} _cy;

typedef struct {
    const char *path, *name;
    const iafq_limits *lim;
    bool strict;
    int year_max;

    _cy *cy;
    size_t ncy, capcy;
    /* open addressing: index + 1 into cy, 0 empty; capacity a power of 2 */
    uint32_t *slot;
    size_t nslot;

    iafq_return *file_ret; /* findings that belong to no country-year */
} _lr;

static iafq_err _oom(iafq_error *err)
{
    return iafq_error_set(err, IAFQ_ERR_NOMEM,
                          "out of memory reading the long-format file");
}

static iafq_return *_file_ret(_lr *s)
{
    if (!s->file_ret) {
        s->file_ret =
            ret_new(s->path, RET_SRC_LONG, s->lim->max_findings, s->strict);
        if (s->file_ret)
            s->file_ret->consent = -1; /* states none */
    }
    return s->file_ret;
}

/* ---- country-years by hash ---------------------------------------- */

static size_t _hash(const char *iso3, int year)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (int i = 0; i < 3; i++)
        h = (h ^ (unsigned char)iso3[i]) * 16777619u;
    h = (h ^ (uint32_t)year) * 16777619u;
    h ^= h >> 15;
    return h;
}

static _cy *_cy_find(const _lr *s, const char *iso3, int year, size_t *at)
{
    size_t mask = s->nslot - 1;
    for (size_t i = _hash(iso3, year) & mask;; i = (i + 1) & mask) {
        if (!s->slot[i]) {
            *at = i;
            return NULL;
        }
        _cy *c = &s->cy[s->slot[i] - 1];
        if (c->r->year == year && memcmp(c->r->country, iso3, 3) == 0)
            return c;
    }
}

static iafq_err _slots_grow(_lr *s)
{
    size_t n = s->nslot ? s->nslot * 2 : 256;
    uint32_t *ns = calloc(n, sizeof *ns);
    if (!ns)
        return IAFQ_ERR_NOMEM;
    free(s->slot);
    s->slot = ns;
    s->nslot = n;
    for (size_t k = 0; k < s->ncy; k++) {
        size_t at;
        (void)_cy_find(s, s->cy[k].r->country, s->cy[k].r->year, &at);
        s->slot[at] = (uint32_t)(k + 1);
    }
    return IAFQ_OK;
}

/* ---- names --------------------------------------------------------- */

static int _is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
           c >= 0x80;
}

/* Loose comparison of names: letters and digits only, case-folded. */
static int _loose_eq(const char *a, const char *b)
{
    for (;;) {
        while (*a && !_is_alnum((unsigned char)*a))
            a++;
        while (*b && !_is_alnum((unsigned char)*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if ((*a | 0x20) != (*b | 0x20))
            return 0;
        a++;
        b++;
    }
}

static int _loose_match(const char *given, const char *official)
{
    if (!*given || !*official)
        return 1;
    if (_loose_eq(given, official))
        return 1;
    /* "Bolivia" for "Bolivia (Plurinational State of)": a prefix counts */
    size_t n = strlen(given), m = strlen(official);
    if (n < m && str_icmp_n(given, official, n) == 0)
        return 1;
    if (m < n && str_icmp_n(given, official, m) == 0)
        return 1;
    return 0;
}

/* A new country-year for M49 entry e (first row lr): W-NAME checks. */
static _cy *_cy_new(_lr *s, const m49_entry *e, int year, const longfmt_row *lr)
{
    if (s->ncy == s->capcy) {
        size_t cap = s->capcy ? s->capcy * 2 : 64;
        _cy *n = realloc(s->cy, cap * sizeof *n);
        if (!n)
            return NULL;
        s->cy = n;
        s->capcy = cap;
    }
    if ((s->ncy + 1) * 2 > s->nslot && _slots_grow(s))
        return NULL;
    iafq_return *r =
        ret_new(s->path, RET_SRC_LONG, s->lim->max_findings, s->strict);
    if (!r)
        return NULL;
    r->consent = -1; /* a long file states no consent */
    r->year = year;
    snprintf(r->country, sizeof r->country, "%s", e->iso3);
    size_t at;
    (void)_cy_find(s, r->country, year, &at);
    _cy *c = &s->cy[s->ncy];
    memset(c, 0, sizeof *c);
    c->r = r;
    c->last_group[0] = c->last_group[1] = c->last_group[2] = -1;
    s->slot[at] = (uint32_t)++s->ncy;
    /* checks made once per country-year, on its first row */
    const int fields[3] = {LONGFMT_COUNTRY, LONGFMT_REGION, LONGFMT_SUBREGION};
    const char *official[3] = {e->name, e->region, e->subregion};
    for (int k = 0; k < 3; k++) {
        const cell *f = &lr->f[fields[k]];
        if (_loose_match(f->text, official[k]))
            continue;
        if (findings_add(
                &r->findings, F_W_NAME, s->name, lr->row,
                lr->header->col[fields[k]], NULL, longfmt_names[fields[k]],
                f->text, "%s '%s' does not match the M49 name '%s' of %s",
                longfmt_names[fields[k]], f->text, official[k], e->iso3))
            return NULL;
    }
    return c;
}

/* ---- storing values ------------------------------------------------ */

static iafq_err _store(_lr *s, _cy *c, table_id t, int ri, int ci, ret_value *v)
{
    iafq_return *r = c->r;
    ret_table *rt = &r->t[t];
    const schema_table *st = &schema_tables[t];
    const ret_value *old = &rt->rows[ri].v[ci];
    if (old->row || old->avail || old->bad) {
        char first[16];
        snprintf(first, sizeof first, "%u", old->row);
        iafq_err rc =
            findings_add(&r->findings, F_W_ROW_REPEAT, s->name, v->row, v->col,
                         st->rows[ri].code, st->cols[ci].code, NULL,
                         "this key repeats line %s; the first value "
                         "counts",
                         first)
                ? IAFQ_ERR_NOMEM
                : IAFQ_OK;
        ret_value_clear(v);
        return rc;
    }
    if (!rt->present) {
        rt->present = true;
        rt->header = true;
        rt->sheet = str_dup(s->name);
        if (!rt->sheet)
            return IAFQ_ERR_NOMEM;
    }
    if (ret_table_use(r, t))
        return IAFQ_ERR_NOMEM;
    rt->rows[ri].present = true;
    rt->rows[ri].sheet_row = v->row;
    rt->rows[ri].v[ci] = *v; /* moves the strings */
    memset(v, 0, sizeof *v);
    return IAFQ_OK;
}

static int _total_taken(const _cy *c, table_id t, int col)
{
    const schema_table *st = &schema_tables[t];
    int ri = schema_row_index(st, "TOTAL");
    int ci = schema_col_index(st, schema_arm_columns[col]);
    if (ci < 0)
        return 1; /* T7 has no FOUND/SURRENDERED column */
    const ret_value *v = &c->r->t[t].rows[ri].v[ci];
    return v->row || v->avail || v->bad;
}

static iafq_err _store_total(_lr *s, _cy *c, table_id t, int col, ret_value *v)
{
    const schema_table *st = &schema_tables[t];
    int ci = schema_col_index(st, schema_arm_columns[col]);
    if (ci < 0) { /* no such column: the Total cannot be placed */
        ret_value_clear(v);
        return IAFQ_OK;
    }
    return _store(s, c, t, schema_row_index(st, "TOTAL"), ci, v);
}

static int _arm_col(const char *indicator)
{
    for (int k = 0; k < 3; k++) {
        const schema_pub *p = schema_pub_of(TBL_T1, 0, k);
        if (p && str_icmp(p->indicator, indicator) == 0)
            return k;
    }
    return -1;
}

/* The year of a row: a whole number (cell or plain digits); 0 if none. */
static int _year(const cell *c)
{
    if (c->kind == CELL_NUMBER && c->num == floor(c->num) && c->num > 0 &&
        c->num < 1e6)
        return (int)c->num;
    int64_t y = 0;
    if (c->kind == CELL_TEXT &&
        rules_count_text(c->text, c->len, &y) == RC_PLAIN && y < 1000000)
        return (int)y;
    return 0;
}

/* A finding on the file-level return for a row that has no country-year:
 * on field f, with the message of format fmt (a msgid, as findings_add). */
static iafq_err _row_finding(_lr *s, const longfmt_row *lr, finding_code code,
                             longfmt_field f, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static iafq_err _row_finding(_lr *s, const longfmt_row *lr, finding_code code,
                             longfmt_field f, const char *fmt, ...)
{
    iafq_return *fr = _file_ret(s);
    if (!fr)
        return IAFQ_ERR_NOMEM;
    va_list ap;
    va_start(ap, fmt);
    int rc =
        findings_addv(&fr->findings, code, s->name, lr->row, lr->header->col[f],
                      NULL, longfmt_names[f], lr->f[f].text, fmt, ap);
    va_end(ap);
    return rc ? IAFQ_ERR_NOMEM : IAFQ_OK;
}

/* The country-year of a row, made on its first row; NULL with *rc set:
 * IAFQ_OK when the row is not read (its finding made), else the failure. */
static _cy *_row_cy(_lr *s, const longfmt_row *lr, iafq_err *rc)
{
    const cell *fiso = &lr->f[LONGFMT_ISO3], *fyear = &lr->f[LONGFMT_YEAR];
    *rc = IAFQ_OK;
    if (!fiso->len) {
        *rc = _row_finding(s, lr, F_E_REQUIRED, LONGFMT_ISO3,
                           "Iso3_code must be filled in");
        return NULL;
    }
    const m49_entry *e = m49_by_iso3(fiso->text);
    if (!e) {
        *rc = _row_finding(s, lr, F_E_COUNTRY, LONGFMT_ISO3,
                           "'%.200s' is not an ISO 3166 alpha-3 country code "
                           "of the UN M49 list; the row is not read",
                           fiso->text);
        return NULL;
    }
    int year = _year(fyear);
    if (year < FIRST_YEAR || year > s->year_max) {
        *rc = _row_finding(s, lr, F_E_YEAR, LONGFMT_YEAR,
                           "'%.200s' is not a reporting year between %d and "
                           "%d; the row is not read",
                           fyear->text, FIRST_YEAR, s->year_max);
        return NULL;
    }
    size_t at;
    _cy *c = s->nslot ? _cy_find(s, e->iso3, year, &at) : NULL;
    if (!c && !(c = _cy_new(s, e, year, lr)))
        *rc = IAFQ_ERR_NOMEM;
    return c;
}

/* An empty Sex or Age field reads as "na". */
static const char *_or_na(const char *s)
{
    return *s ? s : "na";
}

/* The published series of the row's key: *nhit of them (0, 1, or 2 for a
 * "by location" Total), into hit[]. */
static void _row_series(const longfmt_row *lr, const schema_pub *hit[2],
                        int *nhit)
{
    const char *ind = lr->f[LONGFMT_INDICATOR].text,
               *dim = lr->f[LONGFMT_DIMENSION].text,
               *cat = lr->f[LONGFMT_CATEGORY].text,
               *sex = _or_na(lr->f[LONGFMT_SEX].text),
               *age = _or_na(lr->f[LONGFMT_AGE].text);
    size_t npub;
    const schema_pub *pub = schema_pub_all(&npub);
    *nhit = 0;
    for (size_t i = 0; i < npub && *nhit < 2; i++)
        if (str_icmp(pub[i].indicator, ind) == 0 &&
            str_icmp(pub[i].dimension, dim) == 0 &&
            str_icmp(pub[i].category, cat) == 0 &&
            str_icmp(pub[i].sex, sex) == 0 && str_icmp(pub[i].age, age) == 0)
            hit[(*nhit)++] = &pub[i];
}

/* Store value v (moved) of series p: a "by location" Total (nhit 2) goes
 * to T7 or T8 by the group of the rows before it, or waits for them. */
static iafq_err _row_store(_lr *s, _cy *c, const schema_pub *p, int nhit,
                           int acol, ret_value *v)
{
    const schema_table *st = &schema_tables[p->table];
    if (nhit == 2) {
        int g = acol >= 0 ? c->last_group[acol] : -1;
        if (g < 0) {
            if (grow((void **)&c->pend, &c->cappend, c->npend + 1,
                     sizeof *c->pend, 4))
                return IAFQ_ERR_NOMEM;
            c->pend[c->npend].col = acol < 0 ? 0 : acol;
            c->pend[c->npend].v = *v;
            memset(v, 0, sizeof *v);
            c->npend++;
            return IAFQ_OK;
        }
        table_id other = g == TBL_T7 ? TBL_T8 : TBL_T7;
        table_id t =
            _total_taken(c, (table_id)g, acol) && !_total_taken(c, other, acol)
                ? other
                : (table_id)g;
        return _store_total(s, c, t, acol, v);
    }
    if (acol >= 0 && (p->table == TBL_T7 || p->table == TBL_T8) &&
        strcmp(st->rows[p->row].code, "TOTAL") != 0)
        c->last_group[acol] = p->table;
    return _store(s, c, p->table, p->row, p->col, v);
}

static iafq_err _row(_lr *s, const longfmt_row *lr)
{
    iafq_err rc;
    _cy *c = _row_cy(s, lr, &rc);
    if (!c)
        return rc;
    iafq_return *r = c->r;
    const schema_pub *hit[2];
    int nhit;
    _row_series(lr, hit, &nhit);
    if (nhit == 0) {
        char key[600];
        snprintf(key, sizeof key, "%s / %s / %s / %s / %s",
                 lr->f[LONGFMT_INDICATOR].text, lr->f[LONGFMT_DIMENSION].text,
                 lr->f[LONGFMT_CATEGORY].text, _or_na(lr->f[LONGFMT_SEX].text),
                 _or_na(lr->f[LONGFMT_AGE].text));
        return findings_add(&r->findings, F_E_ROW_UNKNOWN, s->name, lr->row,
                            lr->header->col[LONGFMT_INDICATOR], NULL, NULL, key,
                            "the combination %s is not an IAFQ series", key)
                   ? IAFQ_ERR_NOMEM
                   : IAFQ_OK;
    }
    const char *unit = lr->f[LONGFMT_UNIT].text;
    if (*unit && str_icmp(unit, "Counts") != 0 &&
        findings_add(&r->findings, F_E_CODE, s->name, lr->row,
                     lr->header->col[LONGFMT_UNIT], NULL, "Unit of measurement",
                     unit, "unit '%s' is not Counts", unit))
        return IAFQ_ERR_NOMEM;

    /* the value */
    const schema_pub *p = hit[0];
    const schema_table *st = &schema_tables[p->table];
    ret_value v = {0};
    v.col = -1;
    rules_loc loc = {s->name, st->rows[p->row].code, st->cols[p->col].code,
                     false};
    const cell *vc = &lr->f[LONGFMT_VALUE];
    if ((rc = rules_cell(r, &loc, VT_COUNT, CL_NONE, vc, &v)) != IAFQ_OK)
        return rc;
    v.row = lr->row;
    v.col = (int32_t)vc->col;
    /* NULL src means "IAFQ" (ret.h): most values then cost no string */
    const char *src = lr->f[LONGFMT_SOURCE].text;
    if (*src && strcmp(src, "IAFQ") != 0 && ret_value_set_src(&v, src))
        rc = IAFQ_ERR_NOMEM;
    else
        rc = _row_store(s, c, p, nhit, _arm_col(lr->f[LONGFMT_INDICATOR].text),
                        &v);
    ret_value_clear(&v);
    return rc;
}

static iafq_err _on_row(void *ud, const longfmt_row *lr, iafq_error *err)
{
    return _row(ud, lr) == IAFQ_OK ? IAFQ_OK : _oom(err);
}

static iafq_err _resolve_pending(_lr *s, _cy *c)
{
    for (size_t i = 0; i < c->npend; i++) {
        _pending_total *p = &c->pend[i];
        table_id t = !_total_taken(c, TBL_T7, p->col) ? TBL_T7 : TBL_T8;
        if (_store_total(s, c, t, p->col, &p->v))
            return IAFQ_ERR_NOMEM;
        ret_value_clear(&p->v);
    }
    free(c->pend);
    c->pend = NULL;
    c->npend = 0;
    return IAFQ_OK;
}

static int _cy_cmp(const void *a, const void *b)
{
    const iafq_return *x = *(iafq_return *const *)a,
                      *y = *(iafq_return *const *)b;
    int c = strcmp(x->country, y->country);
    return c ? c : (x->year - y->year);
}

/* The file's own findings, after the rows were read. */
static iafq_err _file_findings(_lr *s, iafq_err e, const iafq_error *rerr,
                               const longfmt_info *info)
{
    iafq_return *fr;
    if (e) /* an input error: the file is unreadable (part-way) */
        return (!(fr = _file_ret(s)) ||
                findings_add_text(&fr->findings, F_E_FILE, s->name, 0, -1, NULL,
                                  NULL, NULL,
                                  rerr->msg[0] ? rerr->msg : iafq_strerror(e)))
                   ? IAFQ_ERR_NOMEM
                   : IAFQ_OK;
    if (!info->header_row)
        return (!(fr = _file_ret(s)) ||
                findings_add(&fr->findings, F_E_HEADER_MISSING, s->name, 0, -1,
                             NULL, NULL, NULL,
                             "no header row starting with Iso3_code"))
                   ? IAFQ_ERR_NOMEM
                   : IAFQ_OK;
    static const longfmt_field required[] = {
        LONGFMT_ISO3,     LONGFMT_INDICATOR, LONGFMT_DIMENSION,
        LONGFMT_CATEGORY, LONGFMT_YEAR,      LONGFMT_VALUE};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        longfmt_field f = required[i];
        if (info->header.col[f] >= 0)
            continue;
        if (!(fr = _file_ret(s)) ||
            findings_add(&fr->findings, F_E_COLUMN_MISSING, s->name,
                         info->header_row, -1, NULL, longfmt_names[f], NULL,
                         "the header has no column %s", longfmt_names[f]))
            return IAFQ_ERR_NOMEM;
    }
    if (info->nrows == 0)
        return (!(fr = _file_ret(s)) ||
                findings_add(&fr->findings, F_E_FILE, s->name, info->header_row,
                             -1, NULL, NULL, NULL,
                             "the file has the long-format header (row %u) "
                             "but no data rows below it",
                             info->header_row))
                   ? IAFQ_ERR_NOMEM
                   : IAFQ_OK;
    return IAFQ_OK;
}

iafq_err longret_read(const char *path, source_kind kind,
                      const iafq_limits *lim, bool strict, iafq_return ***out,
                      size_t *nout, iafq_error *err)
{
    _lr s;
    memset(&s, 0, sizeof s);
    s.path = path;
    const char *b = strrchr(path, '/');
    s.name = b && b[1] ? b + 1 : path;
    s.lim = lim;
    s.strict = strict;
    s.year_max = rules_current_year();
    iafq_return **res = NULL;
    size_t nres = 0;
    longfmt_info info;
    iafq_error rerr = {0};
    longfmt_sink sink = {_on_row, &s};
    iafq_err e = longfmt_read(path, kind, lim, &sink, &info, &rerr);
    if (e && !iafq_err_is_input(e)) { /* a callback or the machine failed */
        if (err)
            *err = rerr;
        goto cleanup;
    }
    if (_file_findings(&s, e, &rerr, &info)) {
        e = _oom(err);
        goto cleanup;
    }
    e = IAFQ_OK;
    res = calloc(s.ncy + 1, sizeof *res);
    if (!res) {
        e = _oom(err);
        goto cleanup;
    }
    for (size_t i = 0; i < s.ncy; i++) {
        if (_resolve_pending(&s, &s.cy[i])) {
            e = _oom(err);
            goto cleanup;
        }
        res[nres++] = s.cy[i].r;
        s.cy[i].r = NULL;
    }
    qsort(res, nres, sizeof *res, _cy_cmp);
    if (s.file_ret) {
        memmove(res + 1, res, nres * sizeof *res);
        res[0] = s.file_ret;
        s.file_ret = NULL;
        nres++;
    }
    for (size_t i = 0; i < nres; i++) {
        if (res[i]->country[0] && rules_finish(res[i])) {
            e = _oom(err);
            goto cleanup;
        }
        findings_sort(&res[i]->findings, NULL);
    }
    *out = res;
    *nout = nres;
    res = NULL;
    nres = 0;
cleanup:
    for (size_t i = 0; i < nres; i++)
        ret_free(res[i]);
    free(res);
    for (size_t i = 0; i < s.ncy; i++) {
        for (size_t k = 0; k < s.cy[i].npend; k++)
            ret_value_clear(&s.cy[i].pend[k].v);
        free(s.cy[i].pend);
        ret_free(s.cy[i].r);
    }
    free(s.cy);
    free(s.slot);
    ret_free(s.file_ret);
    return e;
}
