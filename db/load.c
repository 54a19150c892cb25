#include "load.h"

#include "layout.h"
#include "origin.h"
#include "rules.h"
#include "report.h"
#include "sqlfiles.h"
#include "str.h"
#include "utf8.h"

#include <cjson/cJSON.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOAD_COPY_FLUSH (256u << 10) /* bytes buffered before PQputCopyData */

/* T11 columns in the order of load_seizure_copy.sql (after submission_id,
 * seizure_id and sheet_row). */
static const char *const _t11_cols[] = {"DATE",
                                        "PLACE_TYPE",
                                        "PLACE",
                                        "ARM_TYPE",
                                        "QUANTITY",
                                        "MAKE",
                                        "MODEL",
                                        "CALIBRE",
                                        "MARKING",
                                        "MANUFACTURE_COUNTRY",
                                        "DEPARTURE_COUNTRY",
                                        "DESTINATION_COUNTRY",
                                        "TRACING",
                                        "NOTES"};
#define LOAD_NT11 (sizeof _t11_cols / sizeof *_t11_cols)

typedef struct {
    db_conn *db;
    PGconn *conn; /* db_pg(db) */
    const load_opts *opts;
    uint64_t nseizures;
    const char *path;
    const char *sha;
    long long sub_id; /* the id reserved for the T11 COPY, 0 until then */
    int copying;      /* a COPY into iafq.seizure is open */
    int colidx[LOAD_NT11];
    size_t qty; /* index of "QUANTITY" in _t11_cols (written as a number) */
    char prefix[24]; /* "<sub_id>\t", the start of every seizure row */
    size_t prefix_len;
    sbuf buf;
} _ctx;

void load_opts_default(load_opts *o)
{
    memset(o, 0, sizeof *o);
    check_opts_default(&o->check);
}

void load_result_release(load_result *res)
{
    if (!res)
        return;
    free(res->subs);
    res->subs = NULL;
    res->nsubs = 0;
    check_result_release(&res->check);
}

bool load_revision_jump(long long prev, long long now)
{
    long long lo = prev < now ? prev : now, hi = prev < now ? now : prev;
    if (lo < 1)
        lo = 1;
    return hi / 10 > lo || (hi / 10 == lo && hi % 10 != 0);
}

/* ------------------------------------------------------------ libpq edge */

/* Run sql/q/NAME.sql with text parameters; *out (may be NULL) receives the
 * result, which the caller clears. */
static iafq_err _run(_ctx *x, const char *name, int n,
                     const char *const *params, PGresult **out, iafq_error *err)
{
    char rel[128];
    snprintf(rel, sizeof rel, "q/%s.sql", name);
    return db_exec_file(x->db, rel, n, params, out, err);
}

/* Give up on an open COPY: end it with an error, drain the results. */
static void _copy_abort(PGconn *conn)
{
    PQputCopyEnd(conn, "iafq: load abandoned");
    PGresult *res;
    while ((res = PQgetResult(conn)) != NULL)
        PQclear(res);
}

/* Start the COPY of sql/q/NAME.sql (COPY ... FROM STDIN). */
static iafq_err _copy_start(_ctx *x, const char *name, iafq_error *err)
{
    char rel[128];
    snprintf(rel, sizeof rel, "q/%s.sql", name);
    const char *q = sqlfiles_get(rel);
    if (!q)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "no embedded SQL file '%s'", rel);
    PGresult *res = PQexec(x->conn, q);
    iafq_err e = db_check(x->db, res, PGRES_COPY_IN, rel, err);
    if (e == IAFQ_OK)
        PQclear(res);
    return e;
}

static iafq_err _copy_flush(_ctx *x, sbuf *b, iafq_error *err)
{
    if (b->len && PQputCopyData(x->conn, b->buf, (int)b->len) != 1)
        return db_check(x->db, NULL, PGRES_COPY_IN, "COPY", err);
    sbuf_reset(b);
    return IAFQ_OK;
}

static iafq_err _copy_end(_ctx *x, sbuf *b, const char *what, iafq_error *err)
{
    iafq_err e = _copy_flush(x, b, err);
    if (e) {
        _copy_abort(x->conn);
        return e;
    }
    if (PQputCopyEnd(x->conn, NULL) != 1) {
        e = db_check(x->db, NULL, PGRES_COMMAND_OK, what, err);
        _copy_abort(x->conn);
        return e;
    }
    PGresult *res;
    while ((res = PQgetResult(x->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && !e)
            e = db_check(x->db, res, PGRES_COMMAND_OK, what, err);
        else
            PQclear(res);
    }
    return e;
}

/* --------------------------------------------------------- COPY encoding */

/* Append s[0..n), valid UTF-8, as COPY text: backslash, tab, newline and
 * carriage return escaped. */
static int _escaped(sbuf *b, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c != '\\' && c != '\t' && c != '\n' && c != '\r')
            continue;
        char esc[2] = {'\\', c == '\\'   ? '\\'
                             : c == '\t' ? 't'
                             : c == '\n' ? 'n'
                                         : 'r'};
        if (sbuf_add(b, s + from, i - from) || sbuf_add(b, esc, 2))
            return -1;
        from = i + 1;
    }
    return sbuf_add(b, s + from, n - from);
}

/* Append s as one COPY text field (NULL: \N), as valid UTF-8 (an invalid
 * byte becomes U+FFFD, as everywhere iafq writes text).  Plain ASCII
 * without a character to escape, nearly every T11 cell, is copied as it
 * is after one pass over it. */
static int _field(sbuf *b, const char *s)
{
    if (!s)
        return sbuf_add(b, "\\N", 2);
    size_t n = 0;
    for (unsigned char c; (c = (unsigned char)s[n]) != '\0'; n++)
        if (c >= 0x80 || c == '\\' || c == '\t' || c == '\n' || c == '\r')
            break;
    if (s[n] == '\0')
        return sbuf_add(b, s, n);
    n += strlen(s + n);
    if (utf8_valid(s, n))
        return _escaped(b, s, n);
    char *v = utf8_make_valid(s, n);
    int rc = v ? _escaped(b, v, strlen(v)) : -1;
    free(v);
    return rc;
}

/* Append a tab and the decimal digits of v. */
static int _tab_int(sbuf *b, int64_t v)
{
    char d[24];
    size_t i = sizeof d;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        d[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        d[--i] = '-';
    d[--i] = '\t';
    return sbuf_add(b, d + i, sizeof d - i);
}

/* Append the origin of a cell of table t (common/origin.h) as one COPY
 * field, \N when it has none: formatted on the stack, no allocation. */
static int load_origin(sbuf *b, const iafq_return *r, table_id t, uint32_t row,
                       int32_t col)
{
    char o[ORIGIN_MAX];
    if (!origin_format(o, sizeof o, r->source, r->t[t].sheet, row, col))
        return sbuf_add(b, "\\N", 2);
    return _field(b, o);
}

/* ---------------------------------------------------------- submissions */

static const char *_source_name(ret_source s)
{
    return s == RET_SRC_LONG ? "long" : s == RET_SRC_CSV ? "csv" : "xlsx";
}

/* A submission id, reserved before anything is read so that T11 can
 * stream into iafq.seizure with it; the submission row itself is written
 * once the whole return is read and checked (_store), in the same
 * transaction, and never updated. */
static iafq_err _reserve_id(_ctx *x, long long *id, iafq_error *err)
{
    PGresult *res = NULL;
    static const char *const cols[] = {"id"};
    int c[1];
    iafq_err e =
        db_exec_one_row(x->db, "q/load_reserve.sql", 0, NULL, &res, err);
    if (!e && !(e = db_cols(res, "sql/q/load_reserve.sql", cols, c, 1, err)))
        *id = strtoll(PQgetvalue(res, 0, c[0]), NULL, 10);
    PQclear(res);
    return e;
}

/* The seizure callback: runs on the validator's thread while the reader
 * parses (the main thread does not touch the connection meanwhile). */
static iafq_err _on_seizure(void *ud, const iafq_return *r,
                            const ret_seizure *s, iafq_error *err)
{
    _ctx *x = ud;
    iafq_err e;
    if (!x->copying) {
        if (!x->sub_id && (e = _reserve_id(x, &x->sub_id, err)))
            return e;
        /* a return that ends rejected keeps no seizures: rolled back to
         * here once the whole return is checked */
        if ((e = _run(x, "load_savepoint", 0, NULL, NULL, err)) ||
            (e = _copy_start(x, "load_seizure_copy", err)))
            return e;
        x->copying = 1;
        snprintf(x->prefix, sizeof x->prefix, "%lld\t", x->sub_id);
        x->prefix_len = strlen(x->prefix);
    }
    sbuf *b = &x->buf;
    if (sbuf_add(b, x->prefix, x->prefix_len) ||
        _field(b, s->id ? s->id : "") || _tab_int(b, s->sheet_row) ||
        sbuf_addc(b, '\t') || load_origin(b, r, TBL_T11, s->sheet_row, -1))
        goto oom;
    for (size_t i = 0; i < LOAD_NT11; i++) {
        const ret_value *v = x->colidx[i] >= 0 ? &s->v[x->colidx[i]] : NULL;
        int rc;
        if (!v || !v->avail)
            rc = sbuf_add(b, "\t\\N", 3);
        else if (i == x->qty)
            rc = _tab_int(b, v->n);
        else
            rc = sbuf_addc(b, '\t') || _field(b, v->text);
        if (rc)
            goto oom;
    }
    if (sbuf_addc(b, '\n'))
        goto oom;
    if (b->len >= LOAD_COPY_FLUSH && (e = _copy_flush(x, b, err)))
        return e;
    x->nseizures++;
    if (x->opts->on_seizure_queued)
        return x->opts->on_seizure_queued(x->opts->ud, x->nseizures, err);
    return IAFQ_OK;
oom:
    return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
}

static iafq_err _copy_values(_ctx *x, const iafq_return *r, long long id,
                             iafq_error *err)
{
    iafq_err e = _copy_start(x, "load_value_copy", err);
    if (e)
        return e;
    sbuf *b = &x->buf;
    sbuf_reset(b);
    for (int t = TBL_T1; t <= TBL_T10; t++) {
        const schema_table *st = &schema_tables[t];
        for (int ri = 0; ri < st->nrows; ri++)
            for (int ci = 0; ci < st->ncols; ci++) {
                const ret_value *v = &r->t[t].rows[ri].v[ci];
                if (!v->avail)
                    continue;
                uint32_t row = 0;
                int32_t col = -1;
                if (!v->derived) /* a computed TOTAL has no cell */
                    rules_cell_pos(r, (table_id)t, ri, ci, &row, &col);
                if (sbuf_addf(b, "%lld\t%s\t%s\t%s\t%" PRId64 "\t%c\t", id,
                              st->code, st->rows[ri].code, st->cols[ci].code,
                              v->n, v->derived ? 't' : 'f') ||
                    _field(b, v->src) || sbuf_addc(b, '\t') ||
                    load_origin(b, r, (table_id)t, row, col) ||
                    sbuf_addc(b, '\n')) {
                    _copy_abort(x->conn);
                    return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
                }
                if (b->len >= LOAD_COPY_FLUSH && (e = _copy_flush(x, b, err))) {
                    _copy_abort(x->conn);
                    return e;
                }
            }
    }
    return _copy_end(x, b, "COPY iafq.value", err);
}

/* W-REVISION: each given figure against the last accepted return of the
 * same country-year. */
static iafq_err _revisions(_ctx *x, iafq_return *r, iafq_error *err)
{
    if (!r->country[0] || !r->year)
        return IAFQ_OK;
    char year[16];
    snprintf(year, sizeof year, "%d", r->year);
    const char *p[2] = {r->country, year};
    PGresult *res = NULL;
    iafq_err e = _run(x, "load_previous", 2, p, &res, err);
    if (e)
        return e;
    enum { C_TBL, C_ROW, C_COL, C_N, C_SUB, C_COUNT };
    static const char *const cols[C_COUNT] = {"tbl", "row_code", "col_code",
                                              "n", "submission_id"};
    int c[C_COUNT];
    if ((e = db_cols(res, "sql/q/load_previous.sql", cols, c, C_COUNT, err))) {
        PQclear(res);
        return e;
    }
    int added = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        int t = schema_table_by_sheet(PQgetvalue(res, i, c[C_TBL]));
        if (t < TBL_T1 || t > TBL_T10)
            continue;
        const schema_table *st = &schema_tables[t];
        int ri = schema_row_index(st, PQgetvalue(res, i, c[C_ROW]));
        int ci = schema_col_index(st, PQgetvalue(res, i, c[C_COL]));
        if (ri < 0 || ci < 0)
            continue;
        const ret_value *v = &r->t[t].rows[ri].v[ci];
        long long prev = strtoll(PQgetvalue(res, i, c[C_N]), NULL, 10);
        if (!v->avail || !load_revision_jump(prev, v->n))
            continue;
        uint32_t row;
        int32_t col;
        rules_cell_pos(r, t, ri, ci, &row, &col);
        char val[32];
        snprintf(val, sizeof val, "%" PRId64, v->n);
        /* a whole message for each case: translated whole */
        const char *fmt =
            v->n > prev ? N_("%s %s %s is %lld here but was %lld in the last "
                             "accepted return for %s %d (submission %s): "
                             "more than ten times larger; please confirm the "
                             "figure")
                        : N_("%s %s %s is %lld here but was %lld in the last "
                             "accepted return for %s %d (submission %s): "
                             "more than ten times smaller; please confirm "
                             "the figure");
        if (findings_add(&r->findings, F_W_REVISION,
                         r->t[t].sheet ? r->t[t].sheet : st->code, row, col,
                         st->rows[ri].code, st->cols[ci].code, val, fmt,
                         st->code, st->rows[ri].code, st->cols[ci].code,
                         (long long)v->n, prev, r->country, r->year,
                         PQgetvalue(res, i, c[C_SUB]))) {
            PQclear(res);
            return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        }
        added = 1;
    }
    PQclear(res);
    if (added)
        findings_sort(&r->findings,
                      r->source == RET_SRC_LONG ? NULL : layout_sheet_rank);
    return IAFQ_OK;
}

/* The report as stored; its "file" is opts->file_name when given. */
static iafq_err _report(const _ctx *x, const iafq_return *r, char **json,
                        iafq_error *err)
{
    iafq_return *const one[1] = {(iafq_return *)r};
    /* every finding's message in every language: a page shows the stored
     * report in its reader's language */
    cJSON *doc = report_json_value_lang(one, 1, 0, I18N_EN, 1);
    const char *fname = x->opts->file_name;
    char *valid = fname ? utf8_make_valid(fname, strlen(fname)) : NULL;
    cJSON *fitem = valid ? cJSON_CreateString(valid) : NULL;
    free(valid);
    if (doc && fitem && !cJSON_ReplaceItemInObject(doc, "file", fitem))
        cJSON_Delete(fitem);
    else if (fname && !fitem) {
        cJSON_Delete(doc);
        doc = NULL;
    }
    *json = doc ? cJSON_PrintUnformatted(doc) : NULL;
    cJSON_Delete(doc);
    if (!*json)
        return iafq_error_set(err, IAFQ_ERR_NOMEM,
                              "out of memory building the report");
    return IAFQ_OK;
}

/* The submission row: the return's outcome and its full report. */
static iafq_err _store(_ctx *x, iafq_return *r, long long id,
                       load_submission *out, iafq_error *err)
{
    char *json = NULL;
    iafq_err e = _report(x, r, &json, err);
    if (e)
        return e;
    bool ok = check_valid(r);
    const char *fname = x->opts->file_name ? x->opts->file_name : x->path;
    char *name = utf8_make_valid(fname, strlen(fname));
    if (!name) {
        free(json);
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    char sid[32], year[16], nerr[32], nwarn[32];
    snprintf(sid, sizeof sid, "%lld", id);
    snprintf(year, sizeof year, "%d", r->year);
    snprintf(nerr, sizeof nerr, "%zu", r->findings.nerr);
    snprintf(nwarn, sizeof nwarn, "%zu", r->findings.nwarn);
    const char *p[12] = {sid,
                         name,
                         x->sha,
                         _source_name(r->source),
                         r->country,
                         year,
                         ok ? "accepted" : "rejected",
                         r->consent < 0 ? NULL
                         : r->consent   ? "true"
                                        : "false",
                         nerr,
                         nwarn,
                         json,
                         x->opts->check.strict ? "true" : "false"};
    e = _run(x, "load_store", 12, p, NULL, err);
    free(json);
    free(name);
    if (e)
        return e;
    out->id = id;
    snprintf(out->country, sizeof out->country, "%s", r->country);
    out->year = r->year;
    out->accepted = ok;
    out->errors = (long long)r->findings.nerr;
    out->warnings = (long long)r->findings.nwarn;
    return IAFQ_OK;
}

static iafq_err _existing(_ctx *x, load_result *out, bool *found,
                          iafq_error *err)
{
    const char *p[2] = {x->sha, x->opts->check.strict ? "true" : "false"};
    PGresult *res = NULL;
    iafq_err e = _run(x, "load_existing", 2, p, &res, err);
    if (e)
        return e;
    enum { C_ID, C_COUNTRY, C_YEAR, C_STATUS, C_ERR, C_WARN, C_COUNT };
    static const char *const cols[C_COUNT] = {"id",     "country", "year",
                                              "status", "errors",  "warnings"};
    int c[C_COUNT];
    int n = PQntuples(res);
    *found = n > 0;
    if (n > 0 &&
        !(e = db_cols(res, "sql/q/load_existing.sql", cols, c, C_COUNT, err))) {
        out->subs = calloc((size_t)n, sizeof *out->subs);
        if (!out->subs)
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        for (int i = 0; out->subs && i < n; i++) {
            load_submission *s = &out->subs[i];
            s->id = strtoll(PQgetvalue(res, i, c[C_ID]), NULL, 10);
            snprintf(s->country, sizeof s->country, "%s",
                     PQgetvalue(res, i, c[C_COUNTRY]));
            s->year = atoi(PQgetvalue(res, i, c[C_YEAR]));
            s->accepted = !strcmp(PQgetvalue(res, i, c[C_STATUS]), "accepted");
            s->errors = strtoll(PQgetvalue(res, i, c[C_ERR]), NULL, 10);
            s->warnings = strtoll(PQgetvalue(res, i, c[C_WARN]), NULL, 10);
        }
        if (out->subs)
            out->nsubs = (size_t)n;
    }
    PQclear(res);
    return e;
}

iafq_err load_path(db_conn *db, const char *path, const load_opts *o,
                   load_result *out, iafq_error *err)
{
    PGconn *conn = db_pg(db);
    memset(out, 0, sizeof *out);
    _ctx x;
    memset(&x, 0, sizeof x);
    x.db = db;
    x.conn = conn;
    x.opts = o;
    x.path = path;
    x.sha = out->sha256;
    for (size_t i = 0; i < LOAD_NT11; i++)
        x.colidx[i] = schema_col_index(&schema_tables[TBL_T11], _t11_cols[i]);
    for (x.qty = 0; strcmp(_t11_cols[x.qty], "QUANTITY"); x.qty++)
        ;
    int in_tx = 0;
    iafq_err e = sha256_path(path, o->check.lim.max_entries, out->sha256, err);
    if (e)
        return e;

    if ((e = db_begin(db, err)))
        goto fail;
    in_tx = 1;
    const char *lp[1] = {out->sha256};
    if ((e = _run(&x, "load_lock", 1, lp, NULL, err)))
        goto fail;
    bool found = false;
    if ((e = _existing(&x, out, &found, err)))
        goto fail;
    if (found) {
        out->unchanged = true;
        db_rollback(db);
        in_tx = 0;
        goto done;
    }

    check_opts co = o->check;
    co.on_seizure = _on_seizure;
    co.ud = &x;
    e = check_path(path, &co, &out->check, err);
    if (e) {
        if (x.copying)
            _copy_abort(conn);
        goto fail;
    }
    if (x.copying) {
        x.copying = 0;
        if ((e = _copy_end(&x, &x.buf, "COPY iafq.seizure", err)))
            goto fail;
    }
    out->subs = calloc(out->check.n ? out->check.n : 1, sizeof *out->subs);
    if (!out->subs) {
        e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < out->check.n; i++) {
        iafq_return *r = out->check.v[i];
        long long id = 0;
        if (i == 0 && x.sub_id)
            id = x.sub_id;
        else if ((e = _reserve_id(&x, &id, err)))
            goto fail;
        if ((e = _revisions(&x, r, err)))
            goto fail;
        /* a rejected return is stored as its record (the submission with
         * its report) and nothing else: no figures of it are loaded */
        bool ok = check_valid(r);
        if (i == 0 && x.sub_id && !ok &&
            (e = _run(&x, "load_drop_seizures", 0, NULL, NULL, err)))
            goto fail;
        if ((e = _store(&x, r, id, &out->subs[i], err)) ||
            (ok && (e = _copy_values(&x, r, id, err))))
            goto fail;
        out->nsubs = i + 1;
    }
    if (o->before_commit && (e = o->before_commit(o->ud, db, out, err)))
        goto fail;
    if ((e = db_commit(db, err)))
        goto fail;
    in_tx = 0;
done:
    sbuf_release(&x.buf);
    return IAFQ_OK;
fail:
    if (in_tx)
        db_rollback(db);
    sbuf_release(&x.buf);
    load_result_release(out);
    out->unchanged = false;
    return e;
}
