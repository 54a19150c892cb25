#include "portal.h"

#include "csvw.h"
#include "jsonitem.h"

#include "pgarr.h"
#include "schema.h"
#include "str.h"
#include "utf8.h"
#include "xlsxw.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields of a record, in the published header's order. */
enum {
    F_ISO3,
    F_COUNTRY,
    F_REGION,
    F_SUBREGION,
    F_INDICATOR,
    F_DIMENSION,
    F_CATEGORY,
    F_SEX,
    F_AGE,
    F_YEAR,
    F_UNIT,
    F_VALUE,
    F_SOURCE,
    NFIELDS
};

static const char *const _header[NFIELDS] = {
    "Iso3_code",           "Country",  "Region", "Subregion", "Indicator",
    "Dimension",           "Category", "Sex",    "Age",       "Year",
    "Unit of measurement", "VALUE",    "Source"};

#define PORTAL_UNIT "Counts"
#define PORTAL_INTERNAL_NOTE "internal, not for publication"
#define PORTAL_SHEET "IAFQ"

static bool _is_number(int field)
{
    return field == F_YEAR || field == F_VALUE;
}

/* One record; every string borrowed for the callback only.  Year and VALUE
 * are plain digits. */
typedef struct {
    const char *f[NFIELDS];
} _rec;

typedef iafq_err (*_rec_fn)(void *ud, const _rec *r, iafq_error *err);

static iafq_err _oom(iafq_error *err)
{
    return iafq_error_set(err, IAFQ_ERR_NOMEM,
                          "out of memory writing the portal file");
}

/* 1..18 ASCII digits, no leading zero: a count (<= 10^15) or a year as
 * the database gives them, and a JSON number as it is. */
static bool _digits(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (s[n] < '0' || s[n] > '9')
            return false;
    return n >= 1 && n <= 18 && (n == 1 || s[0] != '0');
}

/* ---- reading the records ------------------------------------------- */

/* The published cells as three PostgreSQL array literals (tbl, row_code,
 * col_code), in writing order: the parameters of q/portal*.sql. */
typedef struct {
    sbuf tbl, row, col;
} _cells;

static void _cells_release(_cells *c)
{
    sbuf_release(&c->tbl);
    sbuf_release(&c->row);
    sbuf_release(&c->col);
}

static int _cells_build(_cells *c)
{
    size_t n;
    const schema_pub *pub = schema_pub_all(&n);
    sbuf *b[3] = {&c->tbl, &c->row, &c->col};
    for (int k = 0; k < 3; k++)
        if (pgarr_open(b[k]))
            return -1;
    for (size_t i = 0; i < n; i++) {
        const schema_table *t = &schema_tables[pub[i].table];
        const char *v[3] = {t->code, t->rows[pub[i].row].code,
                            t->cols[pub[i].col].code};
        for (int k = 0; k < 3; k++)
            if (pgarr_add(b[k], v[k]))
                return -1;
    }
    for (int k = 0; k < 3; k++)
        if (pgarr_close(b[k]))
            return -1;
    return 0;
}

/* The columns of q/portal.sql, by name. */
enum {
    Q_ISO3,
    Q_NAME,
    Q_REGION,
    Q_SUBREGION,
    Q_YEAR,
    Q_TBL,
    Q_ROW,
    Q_COL,
    Q_N_VALUE,
    Q_SOURCE,
    Q_N
};
static const char *const q_cols[Q_N] = {
    "iso3", "area_name", "region",   "subregion", "year",
    "tbl",  "row_code",  "col_code", "n",         "source"};

/* What reading the records carries from row to row. */
typedef struct {
    _rec_fn fn;
    void *ud;
    int q[Q_N]; /* the columns' numbers, once the first result came */
    int resolved;
} _reader;

static iafq_err _record(void *arg, const PGresult *res, iafq_error *err)
{
    _reader *rd = arg;
    iafq_err e = exp_cols_once(&rd->resolved, res, "q/portal.sql", q_cols,
                               rd->q, Q_N, err);
    if (e)
        return e;
    if (PQntuples(res) == 0)
        return IAFQ_OK;
    const int *q = rd->q, i = 0;
    const char *tbl = PQgetvalue(res, i, q[Q_TBL]),
               *row = PQgetvalue(res, i, q[Q_ROW]),
               *col = PQgetvalue(res, i, q[Q_COL]);
    int t = schema_table_by_sheet(tbl);
    const schema_pub *p = NULL;
    if (t >= TBL_T1 && t <= TBL_T10)
        p = schema_pub_of((table_id)t, schema_row_index(&schema_tables[t], row),
                          schema_col_index(&schema_tables[t], col));
    if (!p)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "value %.20s %.40s %.40s has no published "
                              "strings",
                              tbl, row, col);
    _rec r;
    r.f[F_ISO3] = PQgetvalue(res, i, q[Q_ISO3]);
    r.f[F_COUNTRY] = PQgetvalue(res, i, q[Q_NAME]);
    r.f[F_REGION] = PQgetvalue(res, i, q[Q_REGION]);
    r.f[F_SUBREGION] = PQgetvalue(res, i, q[Q_SUBREGION]);
    r.f[F_YEAR] = PQgetvalue(res, i, q[Q_YEAR]);
    r.f[F_INDICATOR] = p->indicator;
    r.f[F_DIMENSION] = p->dimension;
    r.f[F_CATEGORY] = p->category;
    r.f[F_SEX] = p->sex;
    r.f[F_AGE] = p->age;
    r.f[F_UNIT] = PORTAL_UNIT;
    r.f[F_VALUE] = PQgetvalue(res, i, q[Q_N_VALUE]);
    r.f[F_SOURCE] = PQgetvalue(res, i, q[Q_SOURCE]);
    if (!_digits(r.f[F_YEAR]) || !_digits(r.f[F_VALUE]))
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "the database gave year '%.20s', value '%.30s'",
                              r.f[F_YEAR], r.f[F_VALUE]);
    return rd->fn(rd->ud, &r, err);
}

/* Call fn for every record of ctx's schema, in writing order, read row by
 * row (exp_rows) inside the export's snapshot. */
static iafq_err _each(const exp_ctx *ctx, _rec_fn fn, void *ud, iafq_error *err)
{
    _cells c = {SBUF_INIT, SBUF_INIT, SBUF_INIT};
    _reader rd = {.fn = fn, .ud = ud};
    iafq_err e;
    if (_cells_build(&c)) {
        e = _oom(err);
    } else {
        const char *params[3] = {c.tbl.buf, c.row.buf, c.col.buf};
        e = exp_rows(ctx, "q/portal.sql", 3, params, _record, &rd, err);
    }
    _cells_release(&c);
    return e;
}

/* The release date as published (DD/MM/YYYY) from YYYY-MM-DD; other text
 * is kept as it is. */
static void _release_dmy(const char *iso, char out[16])
{
    if (strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-')
        snprintf(out, 16, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        snprintf(out, 16, "%s", iso);
}

/* The two banner rows: 13 cells each. */
static void _banners(const exp_ctx *ctx, const char *row1[NFIELDS],
                     const char *row2[NFIELDS], char dmy[16])
{
    for (int k = 0; k < NFIELDS; k++)
        row1[k] = row2[k] = "";
    row1[0] = "UNODC";
    row1[1] = PORTAL_CONTACT;
    if (ctx->internal)
        row1[2] = PORTAL_INTERNAL_NOTE;
    _release_dmy(ctx->release, dmy);
    row2[0] = dmy;
}

static iafq_err _io(const char *path, int errnum, iafq_error *err)
{
    return iafq_error_set(err, IAFQ_ERR_IO, "cannot write '%s': %s", path,
                          strerror(errnum ? errnum : EIO));
}

/* ---- CSV --------------------------------------------------------------- */

/* One line: empty fields bare (as published), text fields made valid and
 * neutralised, VALUE and Year as numbers on record lines. */
static iafq_err _csv_line(csvw *w, const char *const f[NFIELDS], bool records)
{
    for (int k = 0; k < NFIELDS; k++)
        csvw_str(w, f[k] && *f[k] ? f[k] : NULL,
                 records && _is_number(k) ? 0 : CSVW_TEXT);
    csvw_end(w);
    return IAFQ_OK; /* a failed write is reported by csvw_close() */
}

static iafq_err _csv_rec(void *ud, const _rec *r, iafq_error *err)
{
    (void)err;
    return _csv_line(ud, r->f, true);
}

iafq_err portal_write_csv(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    const char *b1[NFIELDS], *b2[NFIELDS];
    char dmy[16];
    _banners(ctx, b1, b2, dmy);
    csvw *w = NULL;
    iafq_err e = csvw_open(path, NULL, &w, err);
    if (e)
        return e;
    csvw_lf(w);
    csvw_raw(w, "\xEF\xBB\xBF", 3);
    _csv_line(w, b1, false);
    _csv_line(w, b2, false);
    _csv_line(w, _header, false);
    e = _each(ctx, _csv_rec, w, err);
    iafq_err ce = csvw_close(w, e ? NULL : err);
    return e ? e : ce;
}

/* ---- xlsx -------------------------------------------------------------- */

typedef struct {
    lxw_worksheet *ws;
    lxw_row_t row; /* next row */
    sbuf cell;
} _xl;

static iafq_err _xl_text(_xl *x, lxw_col_t col, const char *s, lxw_format *fmt,
                         iafq_error *err)
{
    const char *text = s;
    if (exp_formula_like(s)) {
        sbuf_reset(&x->cell);
        if (sbuf_addc(&x->cell, '\'') || sbuf_add(&x->cell, s, strlen(s)))
            return _oom(err);
        text = x->cell.buf;
    }
    return xlsxw_err(xlsxw_write_text(x->ws, x->row, col, text, fmt),
                     "portal workbook", err);
}

static iafq_err _xl_rec(void *ud, const _rec *r, iafq_error *err)
{
    _xl *x = ud;
    if (x->row >= LXW_ROW_MAX)
        return iafq_error_set(err, IAFQ_ERR_LIMIT,
                              "more records than a worksheet holds (%u "
                              "rows): use the portal CSV",
                              (unsigned)LXW_ROW_MAX);
    for (int k = 0; k < NFIELDS; k++) {
        iafq_err e;
        if (_is_number(k))
            e = xlsxw_err(worksheet_write_number(x->ws, x->row, (lxw_col_t)k,
                                                 strtod(r->f[k], NULL), NULL),
                          "portal workbook", err);
        else
            e = _xl_text(x, (lxw_col_t)k, r->f[k], NULL, err);
        if (e)
            return e;
    }
    x->row++;
    return IAFQ_OK;
}

iafq_err portal_write_xlsx(const exp_ctx *ctx, const char *path,
                           iafq_error *err)
{
    /* constant memory: rows go to disk as they are written */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    _xl x = {NULL, 0, SBUF_INIT};
    iafq_err e = IAFQ_OK;
    const char *b1[NFIELDS], *b2[NFIELDS];
    char dmy[16];
    static const double widths[NFIELDS] = {10, 28, 12, 26, 44, 30, 56,
                                           8,  8,  7,  20, 12, 14};
    _banners(ctx, b1, b2, dmy);
    lxw_workbook *wb = xlsxw_new(path, &opt, err);
    if (!wb)
        return err ? err->code : IAFQ_ERR_XLSXW;
    lxw_format *bold = workbook_add_format(wb);
    if (!(x.ws = workbook_add_worksheet(wb, PORTAL_SHEET)) || !bold) {
        e = _oom(err);
        goto fail;
    }
    format_set_bold(bold);
    for (int k = 0; k < NFIELDS; k++)
        if ((e = xlsxw_err(worksheet_set_column(x.ws, (lxw_col_t)k,
                                                (lxw_col_t)k, widths[k], NULL),
                           "portal workbook", err)))
            goto fail;
    for (int k = 0; k < NFIELDS; k++)
        if ((*b1[k] && (e = _xl_text(&x, (lxw_col_t)k, b1[k], NULL, err))))
            goto fail;
    x.row++;
    if ((e = _xl_text(&x, 0, b2[0], NULL, err)))
        goto fail;
    x.row++;
    for (int k = 0; k < NFIELDS; k++)
        if ((e = _xl_text(&x, (lxw_col_t)k, _header[k], bold, err)))
            goto fail;
    x.row++;
    worksheet_freeze_panes(x.ws, x.row, 0);
    if ((e = _each(ctx, _xl_rec, &x, err)))
        goto fail;
    if ((e = xlsxw_err(worksheet_autofilter(x.ws, 2, 0, x.row - 1, NFIELDS - 1),
                       "portal workbook", err)))
        goto fail;
    sbuf_release(&x.cell);
    return xlsxw_close(wb, path, err);
fail:
    xlsxw_discard(wb);
    sbuf_release(&x.cell);
    return e;
}

/* ---- JSON -------------------------------------------------------------- */

typedef struct {
    FILE *f;
    const char *path;
    long long written;
    sbuf out;
} _js;

/* Print item (hardened: utf8_escape_json) after prefix; IAFQ_ERR_IO or
 * PORTAL_NOMEM.  item is borrowed. */
static iafq_err _jwrite(_js *w, const char *prefix, const cJSON *item,
                        bool formatted, iafq_error *err)
{
    char *text = formatted ? cJSON_Print(item) : cJSON_PrintUnformatted(item);
    sbuf_reset(&w->out);
    int bad = !text || sbuf_add(&w->out, prefix, strlen(prefix)) ||
              utf8_escape_json(&w->out, text, strlen(text));
    free(text);
    if (bad)
        return _oom(err);
    errno = 0;
    if (fwrite(w->out.buf, 1, w->out.len, w->f) != w->out.len)
        return _io(w->path, errno, err);
    return IAFQ_OK;
}

static iafq_err _js_rec(void *ud, const _rec *r, iafq_error *err)
{
    _js *w = ud;
    cJSON *o = cJSON_CreateObject();
    bool ok = o != NULL;
    for (int k = 0; ok && k < NFIELDS; k++)
        ok = jsonitem_add(o, _header[k],
                          /* digits only (_record): a JSON number as written */
                          _is_number(k) ? cJSON_CreateRaw(r->f[k])
                                        : jsonitem_str(r->f[k]));
    iafq_err e =
        ok ? _jwrite(w, w->written ? ",\n    " : "\n    ", o, false, err)
           : _oom(err);
    cJSON_Delete(o);
    if (!e)
        w->written++;
    return e;
}

/* The columns of q/portal_count.sql, by name. */
enum { C_RECORDS, C_COUNTRIES, C_YEARS, C_FIRST, C_LAST, C_N };
static const char *const count_cols[C_N] = {"records", "countries", "years",
                                            "first_year", "last_year"};

/* The metadata object; the counts read in the same snapshot.  *records:
 * the number of records the query will give. */
static iafq_err _js_meta(const exp_ctx *ctx, cJSON **out, long long *records,
                         iafq_error *err)
{
    _cells c = {SBUF_INIT, SBUF_INIT, SBUF_INIT};
    PGresult *res = NULL;
    cJSON *m = NULL, *run = NULL, *counts = NULL;
    iafq_err e = IAFQ_OK;
    if (_cells_build(&c)) {
        e = _oom(err);
        goto cleanup;
    }
    const char *params[3] = {c.tbl.buf, c.row.buf, c.col.buf};
    int q[C_N];
    if ((e = db_exec_one_row(ctx->db, "q/portal_count.sql", 3, params, &res,
                             err)) ||
        (e = db_cols(res, "q/portal_count.sql", count_cols, q, C_N, err)))
        goto cleanup;
    for (int k = C_RECORDS; k <= C_YEARS; k++)
        if (!_digits(PQgetvalue(res, 0, q[k]))) {
            e = iafq_error_set(err, IAFQ_ERR_INTERNAL,
                               "q/portal_count.sql gave '%.30s'",
                               PQgetvalue(res, 0, q[k]));
            goto cleanup;
        }
    *records = strtoll(PQgetvalue(res, 0, q[C_RECORDS]), NULL, 10);
    m = cJSON_CreateObject();
    bool ok =
        m &&
        jsonitem_add(
            m, "title",
            cJSON_CreateString("UNODC Illicit Arms Flows Questionnaire "
                               "(IAFQ): data portal records")) &&
        jsonitem_add(m, "publisher", cJSON_CreateString("UNODC")) &&
        jsonitem_add(m, "contact", cJSON_CreateString(PORTAL_CONTACT)) &&
        jsonitem_add(m, "release", jsonitem_str(ctx->release)) &&
        jsonitem_add(m, "vintage", jsonitem_str(ctx->run.finished)) &&
        jsonitem_add(m, "run", run = cJSON_CreateObject()) &&
        jsonitem_add(run, "id", cJSON_CreateNumber((double)ctx->run.id)) &&
        jsonitem_add(run, "started", jsonitem_str(ctx->run.started)) &&
        jsonitem_add(run, "finished", jsonitem_str(ctx->run.finished)) &&
        jsonitem_add(run, "submissions",
                     cJSON_CreateNumber((double)ctx->run.submissions)) &&
        jsonitem_add(m, "internal", cJSON_CreateBool(ctx->internal)) &&
        jsonitem_add(
            m, "disclosure",
            cJSON_CreateString(ctx->internal
                                   ? PORTAL_INTERNAL_NOTE
                                   ": every country, consent or not"
                                   : "public: only countries that consented to "
                                     "publication")) &&
        jsonitem_add(m, "unit", cJSON_CreateString(PORTAL_UNIT)) &&
        jsonitem_add(m, "counts", counts = cJSON_CreateObject()) &&
        jsonitem_add(counts, "records",
                     cJSON_CreateRaw(PQgetvalue(res, 0, q[C_RECORDS]))) &&
        jsonitem_add(counts, "countries",
                     cJSON_CreateRaw(PQgetvalue(res, 0, q[C_COUNTRIES]))) &&
        jsonitem_add(counts, "years",
                     cJSON_CreateRaw(PQgetvalue(res, 0, q[C_YEARS]))) &&
        jsonitem_add(m, "first_year",
                     _digits(PQgetvalue(res, 0, q[C_FIRST]))
                         ? cJSON_CreateRaw(PQgetvalue(res, 0, q[C_FIRST]))
                         : cJSON_CreateNull()) &&
        jsonitem_add(m, "last_year",
                     _digits(PQgetvalue(res, 0, q[C_LAST]))
                         ? cJSON_CreateRaw(PQgetvalue(res, 0, q[C_LAST]))
                         : cJSON_CreateNull()) &&
        jsonitem_add(m, "fields", cJSON_CreateStringArray(_header, NFIELDS));
    if (!ok) {
        e = _oom(err);
        goto cleanup;
    }
    *out = m;
    m = NULL;
cleanup:
    cJSON_Delete(m);
    PQclear(res);
    _cells_release(&c);
    return e;
}

iafq_err portal_write_json(const exp_ctx *ctx, const char *path,
                           iafq_error *err)
{
    _js w = {NULL, path, 0, SBUF_INIT};
    cJSON *meta = NULL;
    long long records = 0;
    iafq_err e = _js_meta(ctx, &meta, &records, err);
    if (e)
        goto cleanup;
    if (!(w.f = fopen(path, "wb"))) {
        e = iafq_error_set(err, iafq_err_open(errno), "cannot write '%s': %s",
                           path, strerror(errno));
        goto cleanup;
    }
    if ((e = _jwrite(&w, "{\n\"metadata\": ", meta, true, err)))
        goto cleanup;
    errno = 0;
    if (fputs(",\n\"records\": [", w.f) == EOF) {
        e = _io(path, errno, err);
        goto cleanup;
    }
    if ((e = _each(ctx, _js_rec, &w, err)))
        goto cleanup;
    if (w.written != records) { /* the snapshot makes this impossible */
        e = iafq_error_set(err, IAFQ_ERR_INTERNAL,
                           "%lld portal records written, %lld counted",
                           w.written, records);
        goto cleanup;
    }
    errno = 0;
    if (fputs(w.written ? "\n]\n}\n" : "]\n}\n", w.f) == EOF ||
        fflush(w.f) != 0 || ferror(w.f)) {
        e = _io(path, errno, err);
        goto cleanup;
    }
cleanup:
    if (w.f) {
        errno = 0;
        if (fclose(w.f) != 0 && !e)
            e = _io(path, errno, err);
    }
    cJSON_Delete(meta);
    sbuf_release(&w.out);
    return e;
}
