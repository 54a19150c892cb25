#include "longfmt.h"

#include "m49.h"
#include "rules.h"
#include "source.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    LF_ISO3,
    LF_COUNTRY,
    LF_REGION,
    LF_SUBREGION,
    LF_INDICATOR,
    LF_DIMENSION,
    LF_CATEGORY,
    LF_SEX,
    LF_AGE,
    LF_YEAR,
    LF_UNIT,
    LF_VALUE,
    LF_SOURCE,
    LF__COUNT
};

static const char *const _lf_names[LF__COUNT] = {
    "Iso3_code",           "Country",  "Region", "Subregion", "Indicator",
    "Dimension",           "Category", "Sex",    "Age",       "Year",
    "Unit of measurement", "VALUE",    "Source"};

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
    int failed;
    iafq_error *err;

    int header;
    int colpos[LF__COUNT];
    uint32_t row;
    /* the current record: one cell per field */
    cell cells[LF__COUNT];
    bool have[LF__COUNT];
    sbuf text[LF__COUNT];

    _cy *cy;
    size_t ncy, capcy;
    iafq_return *file_ret; /* findings that belong to no country-year */
} _lf;

static iafq_return *_file_ret(_lf *s)
{
    if (!s->file_ret) {
        s->file_ret =
            ret_new(s->path, RET_SRC_LONG, s->lim->max_findings, s->strict);
        if (s->file_ret)
            s->file_ret->consent = 1;
    }
    return s->file_ret;
}

static iafq_err _oom(iafq_error *err)
{
    return iafq_error_set(err, IAFQ_ERR_NOMEM,
                          "out of memory reading the long-format file");
}

static iafq_err _cell(void *ud, const cell *c, iafq_error *err)
{
    _lf *s = ud;
    if (c->row != s->row) {
        s->row = c->row;
        for (int i = 0; i < LF__COUNT; i++)
            s->have[i] = false;
    }
    if (!s->header && c->col == 0 && c->kind == CELL_TEXT &&
        str_code_eq(c->text, "Iso3_code")) {
        s->header = (int)c->row;
        for (int i = 0; i < LF__COUNT; i++)
            s->colpos[i] = -1;
    }
    if (!s->header)
        return 0;
    if (s->header == (int)c->row) {
        if (c->kind == CELL_TEXT)
            for (int i = 0; i < LF__COUNT; i++)
                if (str_code_eq(c->text, _lf_names[i]) && s->colpos[i] < 0)
                    s->colpos[i] = (int)c->col;
        return 0;
    }
    for (int i = 0; i < LF__COUNT; i++) {
        if (s->colpos[i] != (int)c->col)
            continue;
        sbuf_reset(&s->text[i]);
        if (sbuf_add(&s->text[i], c->text, c->len)) {
            s->failed = 1;
            return _oom(err);
        }
        s->cells[i] = *c;
        s->cells[i].text = s->text[i].buf;
        s->have[i] = true;
    }
    return 0;
}

static const char *_f(_lf *s, int i)
{
    if (!s->have[i])
        return "";
    size_t n = s->cells[i].len;
    const char *t = str_trim(s->cells[i].text, &n);
    ((char *)t)[n] = '\0'; /* our own copy */
    return t;
}

/* Loose comparison of names: letters and digits only, case-folded. */
static int _loose_eq(const char *a, const char *b)
{
    for (;;) {
        while (*a && !((*a >= '0' && *a <= '9') ||
                       ((*a | 0x20) >= 'a' && (*a | 0x20) <= 'z') ||
                       (unsigned char)*a >= 0x80))
            a++;
        while (*b && !((*b >= '0' && *b <= '9') ||
                       ((*b | 0x20) >= 'a' && (*b | 0x20) <= 'z') ||
                       (unsigned char)*b >= 0x80))
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

static _cy *_get_cy(_lf *s, const char *iso3, int year)
{
    for (size_t i = 0; i < s->ncy; i++)
        if (s->cy[i].r->year == year &&
            str_icmp(s->cy[i].r->country, iso3) == 0)
            return &s->cy[i];
    if (s->ncy == s->capcy) {
        size_t cap = s->capcy ? s->capcy * 2 : 64;
        _cy *n = realloc(s->cy, cap * sizeof *n);
        if (!n)
            return NULL;
        s->cy = n;
        s->capcy = cap;
    }
    iafq_return *r =
        ret_new(s->path, RET_SRC_LONG, s->lim->max_findings, s->strict);
    if (!r)
        return NULL;
    _cy *c = &s->cy[s->ncy++];
    memset(c, 0, sizeof *c);
    c->r = r;
    c->last_group[0] = c->last_group[1] = c->last_group[2] = -1;
    r->consent = 1;
    r->year = year;
    for (int i = 0; i < 3 && iso3[i]; i++)
        r->country[i] =
            (char)((iso3[i] >= 'a' && iso3[i] <= 'z') ? iso3[i] - 32 : iso3[i]);
    /* checks made once per country-year */
    uint32_t row = s->row;
    const m49_entry *e = m49_by_iso3(iso3);
    int32_t ccol = s->colpos[LF_ISO3];
    if (!e) {
        if (findings_add(&r->findings, F_E_COUNTRY, s->name, row, ccol, NULL,
                         "Iso3_code", iso3,
                         "'%s' is not an ISO 3166 alpha-3 country code of "
                         "the UN M49 list",
                         iso3))
            return NULL;
        return c;
    }
    snprintf(r->country, sizeof r->country, "%s", e->iso3);
    const int fields[3] = {LF_COUNTRY, LF_REGION, LF_SUBREGION};
    const char *official[3] = {e->name, e->region, e->subregion};
    for (int k = 0; k < 3; k++) {
        const char *given = _f(s, fields[k]);
        if (_loose_match(given, official[k]))
            continue;
        if (findings_add(&r->findings, F_W_NAME, s->name, row,
                         s->colpos[fields[k]], NULL, _lf_names[fields[k]],
                         given,
                         "%s '%s' does not match the M49 name '%s' of %s",
                         _lf_names[fields[k]], given, official[k], e->iso3))
            return NULL;
    }
    return c;
}

static int _store(_lf *s, _cy *c, table_id t, int ri, int ci, ret_value *v)
{
    iafq_return *r = c->r;
    ret_table *rt = &r->t[t];
    ret_value *dst = &rt->rows[ri].v[ci];
    const schema_table *st = &schema_tables[t];
    if (dst->row || dst->avail || dst->bad) {
        char first[16];
        snprintf(first, sizeof first, "%u", dst->row);
        int rc =
            findings_add(&r->findings, F_W_ROW_REPEAT, s->name, v->row, v->col,
                         st->rows[ri].code, st->cols[ci].code, NULL,
                         "this key repeats line %s; the first value "
                         "counts",
                         first);
        ret_value_clear(v);
        return rc;
    }
    if (!rt->present) {
        rt->present = true;
        rt->header = true;
        rt->sheet = str_dup(s->name);
        if (!rt->sheet)
            return -1;
    }
    rt->rows[ri].present = true;
    rt->rows[ri].sheet_row = v->row;
    *dst = *v; /* moves the strings */
    memset(v, 0, sizeof *v);
    return 0;
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

static int _store_total(_lf *s, _cy *c, table_id t, int col, ret_value *v)
{
    const schema_table *st = &schema_tables[t];
    return _store(s, c, t, schema_row_index(st, "TOTAL"),
                  schema_col_index(st, schema_arm_columns[col]), v);
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

static int _record(_lf *s)
{
    if (!s->have[LF_ISO3] && !s->have[LF_YEAR] && !s->have[LF_VALUE])
        return 0; /* an empty line */
    const char *iso3 = _f(s, LF_ISO3);
    const char *year = _f(s, LF_YEAR);
    int64_t y = 0;
    rules_count_class yc = rules_count_text(year, strlen(year), &y);
    if (!*iso3 || yc != RC_PLAIN || y < 1900 || y > 9999) {
        iafq_return *fr = _file_ret(s);
        if (!fr)
            return -1;
        return findings_add(
            &fr->findings, !*iso3 ? F_E_REQUIRED : F_E_YEAR, s->name, s->row,
            !*iso3 ? s->colpos[LF_ISO3] : s->colpos[LF_YEAR], NULL,
            !*iso3 ? "Iso3_code" : "Year", year,
            !*iso3 ? "Iso3_code must be filled in" : "'%s' is not a year",
            year);
    }
    _cy *c = _get_cy(s, iso3, (int)y);
    if (!c)
        return -1;
    iafq_return *r = c->r;

    const char *ind = _f(s, LF_INDICATOR), *dim = _f(s, LF_DIMENSION),
               *cat = _f(s, LF_CATEGORY), *sex = _f(s, LF_SEX),
               *age = _f(s, LF_AGE);
    if (!*sex)
        sex = "na";
    if (!*age)
        age = "na";
    size_t npub;
    const schema_pub *pub = schema_pub_all(&npub);
    const schema_pub *hit[2];
    int nhit = 0;
    for (size_t i = 0; i < npub && nhit < 2; i++)
        if (str_icmp(pub[i].indicator, ind) == 0 &&
            str_icmp(pub[i].dimension, dim) == 0 &&
            str_icmp(pub[i].category, cat) == 0 &&
            str_icmp(pub[i].sex, sex) == 0 && str_icmp(pub[i].age, age) == 0)
            hit[nhit++] = &pub[i];
    if (nhit == 0) {
        char key[600];
        snprintf(key, sizeof key, "%s / %s / %s / %s / %s", ind, dim, cat, sex,
                 age);
        return findings_add(&r->findings, F_E_ROW_UNKNOWN, s->name, s->row,
                            s->colpos[LF_INDICATOR], NULL, NULL, key,
                            "the combination %s is not an IAFQ series", key);
    }
    const char *unit = _f(s, LF_UNIT);
    if (*unit && str_icmp(unit, "Counts") != 0 &&
        findings_add(&r->findings, F_E_CODE, s->name, s->row,
                     s->colpos[LF_UNIT], NULL, "Unit of measurement", unit,
                     "unit '%s' is not Counts", unit))
        return -1;

    /* the value */
    const schema_pub *p = hit[0];
    const schema_table *st = &schema_tables[p->table];
    ret_value v = {0};
    v.col = -1;
    rules_loc loc = {s->name, st->rows[p->row].code, st->cols[p->col].code,
                     false};
    cell vc = {s->row,
               (uint32_t)(s->colpos[LF_VALUE] >= 0 ? s->colpos[LF_VALUE] : 0),
               CELL_BLANK,
               0,
               "",
               0,
               0,
               0};
    if (s->have[LF_VALUE])
        vc = s->cells[LF_VALUE];
    if (rules_cell(r, &loc, VT_COUNT, CL_NONE, &vc, &v))
        return -1;
    v.row = s->row;
    v.col = (int32_t)vc.col;
    const char *src = _f(s, LF_SOURCE);
    if (*src && ret_value_set_src(&v, src)) {
        ret_value_clear(&v);
        return -1;
    }

    int rc;
    int acol = _arm_col(ind);
    if (nhit == 2) {
        /* "by location" Total: T7 (place of seizure) or T8 (tracing) */
        int g = acol >= 0 ? c->last_group[acol] : -1;
        if (g < 0) {
            if (c->npend == c->cappend) {
                size_t cap = c->cappend ? c->cappend * 2 : 4;
                _pending_total *np = realloc(c->pend, cap * sizeof *np);
                if (!np) {
                    ret_value_clear(&v);
                    return -1;
                }
                c->pend = np;
                c->cappend = cap;
            }
            c->pend[c->npend].col = acol < 0 ? 0 : acol;
            c->pend[c->npend].v = v;
            c->npend++;
            return 0;
        }
        table_id other = g == TBL_T7 ? TBL_T8 : TBL_T7;
        table_id t =
            _total_taken(c, (table_id)g, acol) && !_total_taken(c, other, acol)
                ? other
                : (table_id)g;
        rc = _store_total(s, c, t, acol, &v);
    } else {
        if (acol >= 0 && (p->table == TBL_T7 || p->table == TBL_T8) &&
            strcmp(st->rows[p->row].code, "TOTAL") != 0)
            c->last_group[acol] = p->table;
        rc = _store(s, c, p->table, p->row, p->col, &v);
    }
    ret_value_clear(&v);
    return rc;
}

static iafq_err _row_end(void *ud, uint32_t row, iafq_error *err)
{
    _lf *s = ud;
    (void)row;
    if (!s->header || (uint32_t)s->header == s->row)
        return IAFQ_OK;
    if (_record(s)) {
        s->failed = 1;
        return _oom(err);
    }
    return IAFQ_OK;
}

static int _cy_cmp(const void *a, const void *b)
{
    const iafq_return *x = *(iafq_return *const *)a,
                      *y = *(iafq_return *const *)b;
    int c = strcmp(x->country, y->country);
    return c ? c : (x->year - y->year);
}

static int _resolve_pending(_lf *s, _cy *c)
{
    for (size_t i = 0; i < c->npend; i++) {
        _pending_total *p = &c->pend[i];
        table_id t = !_total_taken(c, TBL_T7, p->col) ? TBL_T7 : TBL_T8;
        if (_store_total(s, c, t, p->col, &p->v))
            return -1;
        ret_value_clear(&p->v);
    }
    free(c->pend);
    c->pend = NULL;
    c->npend = 0;
    return 0;
}

iafq_err longfmt_read(const char *path, const iafq_limits *lim, bool strict,
                      iafq_return ***out, size_t *nout, iafq_error *err)
{
    _lf s;
    memset(&s, 0, sizeof s);
    s.path = path;
    const char *b = strrchr(path, '/');
    s.name = b ? b + 1 : path;
    s.lim = lim;
    s.strict = strict;
    s.err = err;
    iafq_return **res = NULL;
    size_t nres = 0;
    cell_sink sink = {NULL, _cell, _row_end, NULL, &s};
    iafq_err e = source_cells(path, SOURCE_LONG, lim, &sink, err);
    if (s.failed) /* err holds the callback's own error */
        goto cleanup;
    if (e && !iafq_err_is_input(e))
        goto cleanup;
    if (e) {
        iafq_return *fr = _file_ret(&s);
        if (!fr ||
            findings_add(&fr->findings, F_E_FILE, s.name, 0, -1, NULL, NULL,
                         NULL, "%s", err ? err->msg : iafq_strerror(e))) {
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        e = IAFQ_OK;
    } else if (!s.header) {
        iafq_return *fr = _file_ret(&s);
        if (!fr ||
            findings_add(&fr->findings, F_E_HEADER_MISSING, s.name, 0, -1, NULL,
                         NULL, NULL, "no header row starting with Iso3_code")) {
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    } else {
        for (int i = 0; i < LF__COUNT; i++) {
            if (s.colpos[i] >= 0 || i == LF_SOURCE || i == LF_UNIT ||
                i == LF_SEX || i == LF_AGE || i == LF_COUNTRY ||
                i == LF_REGION || i == LF_SUBREGION)
                continue;
            iafq_return *fr = _file_ret(&s);
            if (!fr ||
                findings_add(&fr->findings, F_E_COLUMN_MISSING, s.name, 0, -1,
                             NULL, _lf_names[i], NULL,
                             "the header has no column %s", _lf_names[i])) {
                e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
        }
    }
    res = calloc(s.ncy + 1, sizeof *res);
    if (!res) {
        e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < s.ncy; i++) {
        if (_resolve_pending(&s, &s.cy[i])) {
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
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
    ret_free(s.file_ret);
    for (int i = 0; i < LF__COUNT; i++)
        sbuf_release(&s.text[i]);
    return e;
}
