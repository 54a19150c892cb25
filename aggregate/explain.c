#include "explain.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    EXPLAIN_RATIO,
    EXPLAIN_SUM,
    EXPLAIN_SHARE,
    EXPLAIN_SEX, /* gs8: n = sum n; share_pct over the countries with a total */
    EXPLAIN_GS9  /* quantity = sum of the T11 quantities; seizures = rows */
} explain_kind;

typedef struct {
    const char *view;
    /* the row key columns, NULL-terminated (none: keys[0] NULL) */
    const char *keys[EXPLAIN_MAXKEYS + 1];
    explain_kind kind;
    /* the view's columns (iafq.explain_rows): the figure, the parts a and b
     * (NULL: none), gs3's share_pct_mean (NULL: none; else a column "mean"
     * in both queries) */
    const char *figure, *a, *b, *mean;
    bool first_desc; /* its rows listed by the first key descending */
    /* gs9's own queries (NULL: q/explain_rows.sql, q/explain_parts.sql, one
     * for every other view) */
    const char *rows, *parts;
} explain_def;

static const explain_def explain_defs[] = {
    {"sdg_16_4_2", {NULL}, EXPLAIN_RATIO, "value", "numerator", "denominator"},
    {"sdg_16_4_2_by_column",
     {"arms", NULL},
     EXPLAIN_RATIO,
     "value",
     "numerator",
     "denominator"},
    {"sdg_16_4_2_by_tracing",
     {"arms", "tracing", NULL},
     EXPLAIN_RATIO,
     "share_pct",
     "n",
     "t8_total"},
    {"gs1", {"arms", NULL}, EXPLAIN_SUM, "n", "n"},
    {"gs2", {"arm_type", NULL}, EXPLAIN_SHARE, "share_pct", "n", "reported"},
    {"gs3",
     {"justification", NULL},
     EXPLAIN_SHARE,
     "share_pct",
     "n",
     "reported",
     "share_pct_mean"},
    {"gs4", {"offence", NULL}, EXPLAIN_SUM, "n", "n"},
    {"gs5",
     {"dimension", "arms", "category", NULL},
     EXPLAIN_SHARE,
     "share_pct",
     "n",
     "reported"},
    {"gs6",
     {"breakdown", "arms", "tracing", NULL},
     EXPLAIN_RATIO,
     "value",
     "numerator",
     "denominator",
     NULL,
     true},
    {"gs7", {"item", NULL}, EXPLAIN_SUM, "n", "n"},
    {"gs8", {"persons", "sex", NULL}, EXPLAIN_SEX, "share_pct", "n"},
    {"gs9",
     {"flow", "manufacture_code", "departure_code", "destination_code", NULL},
     EXPLAIN_GS9,
     .rows = "q/explain_gs9.sql",
     .parts = "q/explain_gs9_parts.sql"},
};
#define EXPLAIN_NDEFS (sizeof explain_defs / sizeof *explain_defs)

const char *const explain_views[] = {"sdg_16_4_2",
                                     "sdg_16_4_2_by_column",
                                     "sdg_16_4_2_by_tracing",
                                     "gs1",
                                     "gs2",
                                     "gs3",
                                     "gs4",
                                     "gs5",
                                     "gs6",
                                     "gs7",
                                     "gs8",
                                     "gs9",
                                     NULL};

static const explain_def *explain_def_of(const char *view)
{
    for (size_t i = 0; view && i < EXPLAIN_NDEFS; i++)
        if (!strcmp(explain_defs[i].view, view))
            return &explain_defs[i];
    return NULL;
}

bool explain_view(const char *view, const char *const **keys)
{
    const explain_def *d = explain_def_of(view);
    if (keys)
        *keys = d ? d->keys : NULL;
    return d != NULL;
}

static int explain_nkeys(const explain_def *d)
{
    int n = 0;
    while (n < EXPLAIN_MAXKEYS && d->keys[n])
        n++;
    return n;
}

/* The names of the parts a and b of each kind (b NULL: none). */
static const char *explain_a_name(explain_kind k)
{
    return k == EXPLAIN_RATIO ? "numerator"
           : k == EXPLAIN_GS9 ? "quantity"
                              : "n";
}
static const char *explain_b_name(explain_kind k)
{
    return k == EXPLAIN_RATIO   ? "denominator"
           : k == EXPLAIN_SHARE ? "reported"
           : k == EXPLAIN_SEX   ? "total"
           : k == EXPLAIN_GS9   ? "seizures"
                                : NULL;
}
static const char *explain_fig_name(explain_kind k)
{
    return k == EXPLAIN_RATIO                       ? "value"
           : k == EXPLAIN_SHARE || k == EXPLAIN_SEX ? "share_pct"
           : k == EXPLAIN_GS9                       ? "quantity"
                                                    : "n";
}

static int64_t explain_int(const char *s)
{
    return s && *s ? strtoll(s, NULL, 10) : 0;
}

/* Run the recheck query (3 parameters p) giving one row (value, equal):
 * *equal whether the figure is the recomputed one, *value (may be NULL)
 * the recomputed text (malloc'd, NULL when SQL NULL). */
static iafq_err explain_recheck(db_conn *db, const char *query,
                                const char *const *p, bool *equal, char **value,
                                iafq_error *err)
{
    PGresult *res = NULL;
    static const char *const cols[] = {"value", "equal"};
    int c[2];
    iafq_err e = db_exec_one_row(db, query, 3, p, &res, err);
    if (!e && !(e = db_cols(res, query, cols, c, 2, err))) {
        *equal = !strcmp(PQgetvalue(res, 0, c[1]), "t");
        if (value) {
            *value = NULL;
            if (!PQgetisnull(res, 0, c[0]) &&
                !(*value = strdup(PQgetvalue(res, 0, c[0]))))
                e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        }
    }
    PQclear(res);
    return e;
}

/* Whether 100 * a / b (numeric, NULL when b is 0) is `figure` (NULL: SQL
 * NULL); *value (may be NULL) receives the recomputed text (malloc'd, NULL
 * when SQL NULL). */
static iafq_err explain_ratio(db_conn *db, int64_t a, int64_t b,
                              const char *figure, bool *equal, char **value,
                              iafq_error *err)
{
    char sa[24], sb[24];
    snprintf(sa, sizeof sa, "%" PRId64, a);
    snprintf(sb, sizeof sb, "%" PRId64, b);
    const char *p[3] = {sa, sb, figure};
    return explain_recheck(db, "q/explain_ratio.sql", p, equal, value, err);
}

/* Whether 100 * the mean of n / r over the pairs of the arrays an and ar
 * (PostgreSQL array texts "{1,2}"; r = 0: no share, as the views' nullif)
 * is `figure` (NULL: SQL NULL); *value (may be NULL) receives the
 * recomputed text (malloc'd, NULL when SQL NULL). */
static iafq_err explain_mean(db_conn *db, const char *an, const char *ar,
                             const char *figure, bool *equal, char **value,
                             iafq_error *err)
{
    const char *p[3] = {an, ar, figure};
    return explain_recheck(db, "q/explain_mean.sql", p, equal, value, err);
}

/* A growing text: the array literals of explain_mean. */
typedef struct {
    char *p;
    size_t len, cap;
} explain_buf;

/* Append ",v" (or "v" first); false: out of memory. */
static bool explain_buf_add(explain_buf *b, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%s%" PRId64, b->len ? "," : "", v);
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return false;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, t, (size_t)n + 1);
    b->len += (size_t)n;
    return true;
}

/* "{" the text "}" (malloc'd; NULL: out of memory). */
static char *explain_buf_array(const explain_buf *b)
{
    size_t n = b->len + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "{%s}", b->p ? b->p : "");
    return p;
}

/* Add "name": the text s as a JSON string, or null. */
static void explain_add_str(cJSON *o, const char *name, const char *s)
{
    if (s)
        cJSON_AddStringToObject(o, name, s);
    else
        cJSON_AddNullToObject(o, name);
}

/* ----------------------------------------------------- the published rows */

enum {
    R_TYPE,
    R_CODE,
    R_NAME,
    R_YEAR,
    R_KEY,
    R_FIG,
    R_A,
    R_B,
    R_N,
    R_RUN,
    R_NC
};
static const char *const explain_row_cols[R_NC] = {
    "area_type", "area_code", "area_name", "year",      "key",
    "figure",    "a",         "b",         "countries", "run"};

static const char *const explain_more_keys[EXPLAIN_MAXKEYS - 1] = {
    "key2", "key3", "key4"};

static const char *explain_get(const PGresult *res, int i, int c)
{
    return PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
}

static cJSON *explain_choices(const PGresult *res, const int *c, const int *kc,
                              const int *rows, int n, const explain_def *d)
{
    cJSON *arr = cJSON_CreateArray();
    for (int k = 0; arr && k < n; k++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddStringToObject(o, "area_type",
                                PQgetvalue(res, rows[k], c[R_TYPE]));
        for (int j = 0; j < explain_nkeys(d); j++)
            explain_add_str(o, d->keys[j], explain_get(res, rows[k], kc[j]));
    }
    return arr;
}

/* ---------------------------------------------------------- the parts */

enum {
    P_ISO3,
    P_M49,
    P_NAME,
    P_WITHHELD,
    P_SUB,
    P_FILE,
    P_SHA,
    P_SOURCE,
    P_RECEIVED,
    P_A,
    P_B,
    P_FIG,
    P_CELLS,
    P_NC
};
static const char *const explain_part_cols[P_NC] = {
    "iso3",      "m49",    "name",   "withheld", "submission_id",
    "file_name", "sha256", "source", "received", "a",
    "b",         "figure", "cells"};

typedef struct {
    explain_buf an, ar; /* mean: every country's a and b */
    int64_t a, b;       /* the sums over the countries */
    int64_t c;          /* gs8: the sum of a over the countries with b > 0 */
    long nparts;        /* countries */
    char why[512];      /* the first thing that does not add up */
} explain_sums;

static void explain_mismatch(explain_sums *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void explain_mismatch(explain_sums *s, const char *fmt, ...)
{
    if (s->why[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof s->why, fmt, ap);
    va_end(ap);
}

/* One country: its JSON, its cells summed and checked against its row. */
static iafq_err explain_part(db_conn *db, const explain_def *d,
                             const PGresult *res, int i, const int *c,
                             explain_sums *s, cJSON **out, iafq_error *err)
{
    const char *iso3 = PQgetvalue(res, i, c[P_ISO3]);
    cJSON *o = cJSON_CreateObject(), *sub = cJSON_CreateObject();
    cJSON *cells = cJSON_Parse(PQgetvalue(res, i, c[P_CELLS]));
    iafq_err e = IAFQ_OK;
    if (!o || !sub || !cells || !cJSON_IsArray(cells)) {
        e = iafq_error_set(err, IAFQ_ERR_NOMEM,
                           "out of memory (or unreadable cells of %s)", iso3);
        goto done;
    }
    cJSON_AddStringToObject(o, "iso3", iso3);
    cJSON_AddStringToObject(o, "m49", PQgetvalue(res, i, c[P_M49]));
    cJSON_AddStringToObject(o, "name", PQgetvalue(res, i, c[P_NAME]));
    cJSON_AddBoolToObject(o, "withheld",
                          !strcmp(PQgetvalue(res, i, c[P_WITHHELD]), "t"));
    cJSON_AddNumberToObject(sub, "id",
                            (double)explain_int(PQgetvalue(res, i, c[P_SUB])));
    cJSON_AddStringToObject(sub, "file", PQgetvalue(res, i, c[P_FILE]));
    cJSON_AddStringToObject(sub, "received", PQgetvalue(res, i, c[P_RECEIVED]));
    cJSON_AddStringToObject(sub, "sha256", PQgetvalue(res, i, c[P_SHA]));
    cJSON_AddStringToObject(sub, "source", PQgetvalue(res, i, c[P_SOURCE]));
    cJSON_AddItemToObject(o, "submission", sub);
    sub = NULL;

    int64_t a = explain_int(explain_get(res, i, c[P_A]));
    int64_t b = explain_int(explain_get(res, i, c[P_B]));
    const char *fig = explain_get(res, i, c[P_FIG]);
    if (d->kind != EXPLAIN_SUM) /* else the figure is n itself */
        explain_add_str(o, explain_fig_name(d->kind), fig);
    cJSON_AddNumberToObject(o, explain_a_name(d->kind), (double)a);
    if (explain_b_name(d->kind))
        cJSON_AddNumberToObject(o, explain_b_name(d->kind), (double)b);

    /* the cells: values as numbers, their sums by role */
    int64_t ca = 0, cb = 0;
    cJSON *cell;
    cJSON_ArrayForEach(cell, cells)
    {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(cell, "value");
        cJSON *role = cJSON_GetObjectItemCaseSensitive(cell, "role");
        int64_t n = cJSON_IsString(v) ? explain_int(v->valuestring) : 0;
        const char *r = cJSON_IsString(role) ? role->valuestring : "";
        if (d->kind == EXPLAIN_RATIO) {
            if (!strcmp(r, "N"))
                ca += n;
            else
                cb += n;
        } else if (d->kind == EXPLAIN_SHARE) {
            if (!strcmp(r, "n"))
                ca += n;
            cb += n;
        } else if (d->kind == EXPLAIN_SEX) {
            if (!strcmp(r, "n"))
                ca += n;
            else
                cb += n;
        } else {
            ca += n;
        }
        cJSON_ReplaceItemInObjectCaseSensitive(cell, "value",
                                               cJSON_CreateNumber((double)n));
    }
    cJSON_AddItemToObject(o, "cells", cells);
    cells = NULL;
    if (ca != a)
        explain_mismatch(s,
                         "%s: its cells sum to %" PRId64 ", its %s is %" PRId64,
                         iso3, ca, explain_a_name(d->kind), a);
    if (explain_b_name(d->kind) && cb != b)
        explain_mismatch(s,
                         "%s: its cells sum to %" PRId64 ", its %s is %" PRId64,
                         iso3, cb, explain_b_name(d->kind), b);
    if (d->kind == EXPLAIN_SUM) {
        if (!fig || explain_int(fig) != a)
            explain_mismatch(s, "%s: its n is %s, its cells sum to %" PRId64,
                             iso3, fig ? fig : "NULL", a);
    } else {
        bool eq = false;
        if ((e = explain_ratio(db, a, b, fig, &eq, NULL, err)))
            goto done;
        if (!eq)
            explain_mismatch(
                s, "%s: its %s %s is not 100 * %" PRId64 " / %" PRId64, iso3,
                explain_fig_name(d->kind), fig ? fig : "NULL", a, b);
    }
    if (d->mean) {
        const char *mean =
            explain_get(res, i, c[P_NC]); /* see explain_figure */
        char one_a[32], one_b[32];
        bool eq = false;
        explain_add_str(o, "share_pct_mean", mean);
        snprintf(one_a, sizeof one_a, "{%" PRId64 "}", a);
        snprintf(one_b, sizeof one_b, "{%" PRId64 "}", b);
        if ((e = explain_mean(db, one_a, one_b, mean, &eq, NULL, err)))
            goto done;
        if (!eq)
            explain_mismatch(s,
                             "%s: its share_pct_mean %s is not 100 * %" PRId64
                             " / %" PRId64,
                             iso3, mean ? mean : "NULL", a, b);
        if (!explain_buf_add(&s->an, a) || !explain_buf_add(&s->ar, b)) {
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    s->a += a;
    s->b += b;
    if (b > 0)
        s->c += a;
    s->nparts++;
done:
    cJSON_Delete(sub);
    cJSON_Delete(cells);
    if (e) {
        cJSON_Delete(o);
        o = NULL;
    }
    *out = o;
    return e;
}

/* gs9's extra columns of a part (after explain_part_cols). */
enum { G_QUANTITY, G_GIVEN, G_ROWS, G_NC };
static const char *const explain_gs9_cols[G_NC] = {"t11_quantity", "t11_given",
                                                   "t11_rows"};

/* Add "name": the integer text s as a JSON number, or null. */
static void explain_add_int(cJSON *o, const char *name, const char *s)
{
    if (s)
        cJSON_AddNumberToObject(o, name, (double)explain_int(s));
    else
        cJSON_AddNullToObject(o, name);
}

/* One country of a gs9 row: its JSON; its T11 rows (summed in SQL over all
 * of them, and again here when all are listed) checked against its country
 * rows of the view.  c[P_NC + G_*]: the columns of explain_gs9_cols.
 * s->a, s->b: the sums of quantity and seizures; s->c: how many countries
 * gave a quantity. */
static iafq_err explain_gs9_part(const PGresult *res, int i, const int *c,
                                 explain_sums *s, cJSON **out, iafq_error *err)
{
    const char *iso3 = PQgetvalue(res, i, c[P_ISO3]);
    cJSON *o = cJSON_CreateObject(), *sub = cJSON_CreateObject();
    cJSON *cells = cJSON_Parse(PQgetvalue(res, i, c[P_CELLS]));
    iafq_err e = IAFQ_OK;
    if (!o || !sub || !cells || !cJSON_IsArray(cells)) {
        e = iafq_error_set(err, IAFQ_ERR_NOMEM,
                           "out of memory (or unreadable T11 rows of %s)",
                           iso3);
        goto done;
    }
    cJSON_AddStringToObject(o, "iso3", iso3);
    cJSON_AddStringToObject(o, "m49", PQgetvalue(res, i, c[P_M49]));
    cJSON_AddStringToObject(o, "name", PQgetvalue(res, i, c[P_NAME]));
    cJSON_AddBoolToObject(o, "withheld",
                          !strcmp(PQgetvalue(res, i, c[P_WITHHELD]), "t"));
    cJSON_AddNumberToObject(sub, "id",
                            (double)explain_int(PQgetvalue(res, i, c[P_SUB])));
    cJSON_AddStringToObject(sub, "file", PQgetvalue(res, i, c[P_FILE]));
    cJSON_AddStringToObject(sub, "received", PQgetvalue(res, i, c[P_RECEIVED]));
    cJSON_AddStringToObject(sub, "sha256", PQgetvalue(res, i, c[P_SHA]));
    cJSON_AddStringToObject(sub, "source", PQgetvalue(res, i, c[P_SOURCE]));
    cJSON_AddItemToObject(o, "submission", sub);
    sub = NULL;

    const char *q = explain_get(res, i, c[P_FIG]); /* NULL: none given */
    int64_t a = explain_int(q);
    int64_t b = explain_int(explain_get(res, i, c[P_B]));
    const char *tq = explain_get(res, i, c[P_NC + G_QUANTITY]);
    int64_t tgiven = explain_int(explain_get(res, i, c[P_NC + G_GIVEN]));
    int64_t trows = explain_int(explain_get(res, i, c[P_NC + G_ROWS]));
    explain_add_int(o, "quantity", q);
    cJSON_AddNumberToObject(o, "seizures", (double)b);
    cJSON_AddNumberToObject(o, "t11_rows", (double)trows);

    /* the listed T11 rows: quantities as numbers, summed */
    int64_t lq = 0, lgiven = 0, lrows = 0;
    cJSON *cell;
    cJSON_ArrayForEach(cell, cells)
    {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(cell, "quantity");
        lrows++;
        if (cJSON_IsString(v)) {
            int64_t n = explain_int(v->valuestring);
            lq += n;
            lgiven++;
            cJSON_ReplaceItemInObjectCaseSensitive(
                cell, "quantity", cJSON_CreateNumber((double)n));
        }
    }
    cJSON_AddItemToObject(o, "cells", cells);
    cells = NULL;
    cJSON_AddNumberToObject(o, "cells_not_listed", (double)(trows - lrows));
    if ((q == NULL) != (tq == NULL) || a != explain_int(tq))
        explain_mismatch(
            s, "%s: its T11 quantities sum to %s, its quantity is %s", iso3,
            tq ? tq : "none (no quantity given)", q ? q : "none");
    if (b != trows)
        explain_mismatch(s,
                         "%s: %" PRId64 " T11 rows, its seizures are %" PRId64,
                         iso3, trows, b);
    if (lrows == trows && (lq != explain_int(tq) || lgiven != tgiven))
        explain_mismatch(s,
                         "%s: its listed T11 rows sum to %" PRId64 " (%" PRId64
                         " given), not %s",
                         iso3, lq, lgiven, tq ? tq : "none");
    s->a += a;
    s->b += b;
    if (q)
        s->c++;
    s->nparts++;
done:
    cJSON_Delete(sub);
    cJSON_Delete(cells);
    if (e) {
        cJSON_Delete(o);
        o = NULL;
    }
    *out = o;
    return e;
}

static const char *explain_formula(explain_kind k)
{
    return k == EXPLAIN_RATIO   ? "value = 100 * sum N / sum D"
           : k == EXPLAIN_SHARE ? "share_pct = 100 * sum n / sum reported"
           : k == EXPLAIN_SEX
               ? "n = sum n; share_pct = 100 * sum n (of the countries with "
                 "a total) / sum total"
           : k == EXPLAIN_GS9
               ? "quantity = sum of the T11 rows' quantities (blank: not "
                 "summed); seizures = count of the T11 rows; countries = "
                 "the reporting countries"
               : "n = sum n";
}

iafq_err explain_figure(db_conn *db, const explain_req *q, explain_outcome *out,
                        cJSON **doc, iafq_error *err)
{
    const explain_def *d = explain_def_of(q->view);
    if (!d)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "explain: unsupported view '%s'", q->view);
    char rel[96], year[16], keyarr[128] = "{";
    snprintf(rel, sizeof rel, "%s", d->rows ? d->rows : "q/explain_rows.sql");
    snprintf(year, sizeof year, "%d", q->year);
    const char *pub = q->public_only ? "true" : "false";
    PGresult *res = NULL, *parts = NULL;
    cJSON *o = NULL;
    int *match = NULL;
    int c[R_NC], pc[P_NC + G_NC], kc[EXPLAIN_MAXKEYS], mc = -1, gc[4];
    int nk = explain_nkeys(d);
    static const char *const mean_col[1] = {"mean"};
    char *an = NULL, *ar = NULL, *mv = NULL;
    explain_sums s;
    memset(&s, 0, sizeof s);
    /* $1 area code, $2 year, $3 public; but gs9: $4 the view, $5 its key
     * columns ("{arms,tracing}"), $6 its figure, $7 mean, $8 a, $9 b, $10
     * whether the first key sorts descending */
    for (int j = 0; j < nk; j++) {
        if (j)
            strcat(keyarr, ",");
        strcat(keyarr, d->keys[j]); /* short names: 4 * 16 < 128 */
    }
    strcat(keyarr, "}");
    const char *p[6 + EXPLAIN_MAXKEYS] = {
        q->area,   year,    pub,  d->view, keyarr,
        d->figure, d->mean, d->a, d->b,    d->first_desc ? "true" : "false"};
    static const char *const gs9_row_cols[4] = {
        "manufacture_name", "departure_name", "destination_name",
        "partner_withheld"};
    char limit[16];
    snprintf(limit, sizeof limit, "%d", EXPLAIN_GS9_ROWS);
    iafq_err e = db_exec_file(db, rel, d->rows ? 3 : 10, p, &res, err);
    if (e || (e = db_cols(res, rel, explain_row_cols, c, R_NC, err)))
        goto done;
    /* the key columns: "key", then "key2", "key3" */
    kc[0] = c[R_KEY];
    if (nk > 1 &&
        (e = db_cols(res, rel, explain_more_keys, kc + 1, nk - 1, err)))
        goto done;
    if (d->mean && (e = db_cols(res, rel, mean_col, &mc, 1, err)))
        goto done;
    if (d->kind == EXPLAIN_GS9 &&
        (e = db_cols(res, rel, gs9_row_cols, gc, 4, err)))
        goto done;
    int n = PQntuples(res), nm = 0;
    match = calloc(n ? (size_t)n : 1, sizeof *match);
    if (!match) {
        e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++) {
        if (q->area_type && strcmp(PQgetvalue(res, i, c[R_TYPE]), q->area_type))
            continue;
        bool same = true;
        for (int j = 0; same && j < nk; j++)
            same =
                !q->keys[j] || (!PQgetisnull(res, i, kc[j]) &&
                                !strcmp(PQgetvalue(res, i, kc[j]), q->keys[j]));
        if (same)
            match[nm++] = i;
    }
    if (nm != 1) {
        *out = nm ? EXPLAIN_CHOOSE : EXPLAIN_NONE;
        /* none: every row of the area and year as the choices */
        if (nm == 0)
            for (int i = 0; i < n; i++)
                match[nm++] = i;
        o = cJSON_CreateObject();
        cJSON *ch = explain_choices(res, c, kc, match, nm, d);
        if (!o || !ch || !cJSON_AddItemToObject(o, "choices", ch)) {
            cJSON_Delete(ch);
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        }
        goto done;
    }
    int r = match[0];
    const char *fig = explain_get(res, r, c[R_FIG]);
    o = cJSON_CreateObject();
    cJSON *area = cJSON_CreateObject(), *key = cJSON_CreateObject(),
          *pubd = cJSON_CreateObject(), *arr = cJSON_CreateArray(),
          *rec = cJSON_CreateObject();
    if (o)
        cJSON_AddStringToObject(o, "view", d->view);
    if (!o || !area || !cJSON_AddItemToObject(o, "area", area))
        cJSON_Delete(area);
    if (!o || !key || !cJSON_AddItemToObject(o, "key", key))
        cJSON_Delete(key);
    if (!o || !pubd || !cJSON_AddItemToObject(o, "published", pubd))
        cJSON_Delete(pubd);
    if (!o || !arr || !cJSON_AddItemToObject(o, "countries", arr))
        cJSON_Delete(arr);
    if (!o || !rec || !cJSON_AddItemToObject(o, "recomputed", rec))
        cJSON_Delete(rec);
    if (!o || !area || !key || !pubd || !arr || !rec) {
        e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto done;
    }
    cJSON_AddBoolToObject(o, "public", q->public_only);
    cJSON_AddNumberToObject(o, "run",
                            (double)explain_int(explain_get(res, r, c[R_RUN])));
    cJSON_AddNumberToObject(o, "year", q->year);
    cJSON_AddStringToObject(area, "type", PQgetvalue(res, r, c[R_TYPE]));
    cJSON_AddStringToObject(area, "code", PQgetvalue(res, r, c[R_CODE]));
    cJSON_AddStringToObject(area, "name", PQgetvalue(res, r, c[R_NAME]));
    for (int j = 0; j < nk; j++)
        explain_add_str(key, d->keys[j], explain_get(res, r, kc[j]));
    int64_t pa = explain_int(explain_get(res, r, c[R_A]));
    int64_t pb = explain_int(explain_get(res, r, c[R_B]));
    long pn = (long)explain_int(explain_get(res, r, c[R_N]));
    if (d->kind == EXPLAIN_GS9) {
        /* quantity NULL: no T11 row gave one */
        explain_add_int(pubd, "quantity", fig);
        cJSON_AddNumberToObject(pubd, "seizures", (double)pb);
        /* the partners of the row's flow, by name */
        static const char *const side[3] = {"manufacture", "departure",
                                            "destination"};
        cJSON *pt = cJSON_CreateObject();
        if (!pt || !cJSON_AddItemToObject(o, "partners", pt)) {
            cJSON_Delete(pt);
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto done;
        }
        for (int j = 0; j < 3; j++) {
            const char *k = explain_get(res, r, kc[j + 1]);
            cJSON *one = k ? cJSON_CreateObject() : NULL;
            if (!k)
                continue; /* not a column of the flow */
            if (!one || !cJSON_AddItemToObject(pt, side[j], one)) {
                cJSON_Delete(one);
                e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
                goto done;
            }
            cJSON_AddStringToObject(one, "key", k);
            explain_add_str(one, "name", explain_get(res, r, gc[j]));
        }
        cJSON_AddBoolToObject(o, "partner_withheld",
                              !strcmp(PQgetvalue(res, r, gc[3]), "t"));
    } else {
        if (d->kind != EXPLAIN_SUM) /* else the figure is n itself */
            explain_add_str(pubd, explain_fig_name(d->kind), fig);
        cJSON_AddNumberToObject(pubd, explain_a_name(d->kind), (double)pa);
        if (explain_b_name(d->kind) && d->kind != EXPLAIN_SEX)
            cJSON_AddNumberToObject(pubd, explain_b_name(d->kind), (double)pb);
    }
    if (d->mean)
        explain_add_str(pubd, "share_pct_mean", explain_get(res, r, mc));
    cJSON_AddNumberToObject(pubd, "countries", (double)pn);
    cJSON_AddStringToObject(o, "formula", explain_formula(d->kind));

    snprintf(rel, sizeof rel, "%s",
             d->parts ? d->parts : "q/explain_parts.sql");
    /* $1 area type, $2 area code, $3 year, $4 public, $5 the view, $6...
     * the row's keys (at least three, NULL when the view has fewer); gs9:
     * then how many T11 rows to list per country */
    p[0] = PQgetvalue(res, r, c[R_TYPE]);
    p[1] = PQgetvalue(res, r, c[R_CODE]);
    p[2] = year;
    p[3] = pub;
    p[4] = d->view;
    int np = 5 + (nk > 3 ? nk : 3);
    for (int j = 0; j < np - 5; j++)
        p[5 + j] = j < nk ? explain_get(res, r, kc[j]) : NULL;
    if (d->kind == EXPLAIN_GS9)
        p[np++] = limit;
    if ((e = db_exec_file(db, rel, np, p, &parts, err)) ||
        (e = db_cols(parts, rel, explain_part_cols, pc, P_NC, err)))
        goto done;
    if (d->mean && (e = db_cols(parts, rel, mean_col, pc + P_NC, 1, err)))
        goto done;
    if (d->kind == EXPLAIN_GS9 &&
        (e = db_cols(parts, rel, explain_gs9_cols, pc + P_NC, G_NC, err)))
        goto done;
    for (int i = 0; i < PQntuples(parts); i++) {
        cJSON *one = NULL;
        if ((e = d->kind == EXPLAIN_GS9
                     ? explain_gs9_part(parts, i, pc, &s, &one, err)
                     : explain_part(db, d, parts, i, pc, &s, &one, err)))
            goto done;
        if (!cJSON_AddItemToArray(arr, one)) {
            cJSON_Delete(one);
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    /* the whole: the parts against the published row */
    if (d->kind == EXPLAIN_GS9) {
        char t[24];
        snprintf(t, sizeof t, "%" PRId64, s.a);
        explain_add_int(rec, "quantity", s.c ? t : NULL);
        cJSON_AddNumberToObject(rec, "seizures", (double)s.b);
        cJSON_AddNumberToObject(rec, "countries", (double)s.nparts);
        if (s.nparts != pn)
            explain_mismatch(&s,
                             "%ld countries behind the figure, %ld published",
                             s.nparts, pn);
        if ((fig == NULL) != (s.c == 0) || (fig && strcmp(fig, t)))
            explain_mismatch(&s, "the parts give quantity = %s, %s published",
                             s.c ? t : "none", fig ? fig : "none");
        if (s.b != pb)
            explain_mismatch(&s,
                             "the parts give seizures = %" PRId64 ", %" PRId64
                             " published",
                             s.b, pb);
        goto checked;
    }
    cJSON_AddNumberToObject(rec, explain_a_name(d->kind), (double)s.a);
    if (explain_b_name(d->kind))
        cJSON_AddNumberToObject(rec, explain_b_name(d->kind), (double)s.b);
    cJSON_AddNumberToObject(rec, "countries", (double)s.nparts);
    if (s.nparts != pn)
        explain_mismatch(&s, "%ld countries behind the figure, %ld published",
                         s.nparts, pn);
    if (s.a != pa)
        explain_mismatch(
            &s, "the countries' %s sum to %" PRId64 ", %" PRId64 " published",
            explain_a_name(d->kind), s.a, pa);
    const char *bname = explain_b_name(d->kind);
    if (bname && d->kind != EXPLAIN_SEX && s.b != pb)
        explain_mismatch(
            &s, "the countries' %s sum to %" PRId64 ", %" PRId64 " published",
            bname, s.b, pb);
    if (d->kind == EXPLAIN_SUM) {
        char t[24];
        snprintf(t, sizeof t, "%" PRId64, s.a);
        cJSON_AddStringToObject(rec, "n_text", t);
        if (!fig || strcmp(fig, t))
            explain_mismatch(&s, "the parts give n = %s, %s published", t,
                             fig ? fig : "NULL");
    } else {
        bool eq = false;
        char *v = NULL;
        if (d->kind == EXPLAIN_SEX)
            cJSON_AddNumberToObject(rec, "n_with_total", (double)s.c);
        if ((e = explain_ratio(db, d->kind == EXPLAIN_SEX ? s.c : s.a, s.b, fig,
                               &eq, &v, err)))
            goto done;
        explain_add_str(rec, explain_fig_name(d->kind), v);
        if (!eq)
            explain_mismatch(&s, "the parts give %s = %s, %s published",
                             explain_fig_name(d->kind), v ? v : "NULL",
                             fig ? fig : "NULL");
        free(v);
    }
    if (d->mean) {
        const char *pm = explain_get(res, r, mc);
        bool eq = false;
        if (!(an = explain_buf_array(&s.an)) ||
            !(ar = explain_buf_array(&s.ar))) {
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto done;
        }
        if ((e = explain_mean(db, an, ar, pm, &eq, &mv, err)))
            goto done;
        explain_add_str(rec, "share_pct_mean", mv);
        if (!eq)
            explain_mismatch(&s,
                             "the parts give share_pct_mean = %s, %s published",
                             mv ? mv : "NULL", pm ? pm : "NULL");
    }
checked:
    cJSON_AddBoolToObject(o, "checked", s.why[0] == '\0');
    if (s.why[0])
        cJSON_AddStringToObject(o, "mismatch", s.why);
    *out = s.why[0] ? EXPLAIN_MISMATCH : EXPLAIN_CHECKED;
done:
    PQclear(res);
    PQclear(parts);
    free(match);
    free(s.an.p);
    free(s.ar.p);
    free(an);
    free(ar);
    free(mv);
    if (e) {
        cJSON_Delete(o);
        o = NULL;
    }
    *doc = o;
    return e;
}
