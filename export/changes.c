/* changes.c - changes.csv of every export (changes.h). */
#include "changes.h"

#include "csvw.h"
#include "stable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of q/export_changes.sql, in the order they are written. */
enum {
    C_VIEW,
    C_CHANGE,
    C_AREA_TYPE,
    C_AREA_CODE,
    C_AREA_NAME,
    C_YEAR,
    C_KEY,
    C_MEASURE,
    C_OLD,
    C_NEW,
    C_OLD_RUN,
    C_NEW_RUN,
    C_N
};
static const char *const cols[C_N] = {
    "view", "change",  "area_type", "area_code", "area_name", "year",
    "key",  "measure", "old",       "new",       "old_run",   "new_run"};
/* The columns written as numbers (as given), the others as text. */
static const unsigned char numeric[C_N] = {
    [C_YEAR] = 1, [C_OLD_RUN] = 1, [C_NEW_RUN] = 1};

typedef struct {
    csvw *w;
    int resolved;
    int idx[C_N];
} changes_state;

/* old or new of a row: a ratio measure at the exports' scale. */
static void figure(csvw *w, const PGresult *res, int c, int measure)
{
    const char *v = PQgetvalue(res, 0, c);
    char fixed[96];
    if (exp_ratio_column(PQgetvalue(res, 0, measure)) &&
        exp_fixed(v, EXP_RATIO_SCALE, fixed, sizeof fixed) == 0)
        csvw_str(w, fixed, 0);
    else
        csvw_field(w, v, (size_t)PQgetlength(res, 0, c), 0);
}

static iafq_err row(void *arg, const PGresult *res, iafq_error *err)
{
    changes_state *s = arg;
    iafq_err rc = exp_cols_once(&s->resolved, res, "q/export_changes.sql", cols,
                                s->idx, C_N, err);
    if (rc || PQntuples(res) == 0)
        return rc;
    for (int k = 0; k < C_N; k++) {
        int c = s->idx[k];
        if (PQgetisnull(res, 0, c))
            csvw_field(s->w, NULL, 0, 0);
        else if (k == C_OLD || k == C_NEW)
            figure(s->w, res, c, s->idx[C_MEASURE]);
        else
            csvw_field(s->w, PQgetvalue(res, 0, c),
                       (size_t)PQgetlength(res, 0, c),
                       numeric[k] ? 0 : CSVW_TEXT);
    }
    /* write errors are sticky: csvw_close() says why */
    return csvw_end(s->w) ? IAFQ_ERR_IO : IAFQ_OK;
}

iafq_err changes_write(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    char *spec = stable_spec_json();
    if (!spec)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    char run[32];
    snprintf(run, sizeof run, "%lld", ctx->run.id);
    const char *params[4] = {run, ctx->internal ? "internal" : "public", spec,
                             ctx->schema};
    changes_state s = {.resolved = 0};
    iafq_err rc = csvw_open(path, NULL, &s.w, err);
    if (rc)
        goto cleanup;
    for (int k = 0; k < C_N; k++)
        csvw_str(s.w, cols[k], CSVW_TEXT);
    csvw_end(s.w);
    rc = exp_rows(ctx, "q/export_changes.sql", 4, params, row, &s, err);
    iafq_error cerr = {0};
    iafq_err crc = csvw_close(s.w, &cerr);
    if (crc && (!rc || rc == IAFQ_ERR_IO)) { /* the writer's own reason */
        if (err)
            *err = cerr;
        rc = crc;
    }
cleanup:
    free(spec);
    return rc;
}
