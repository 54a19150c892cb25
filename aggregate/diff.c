/* diff.c - the views `iafq diff` compares, and its queries (diff.h). */
#include "diff.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* clang-format off */
const diff_view diff_views[] = {
    {"sdg_16_4_2", {NULL},
     {"numerator", "denominator", "value", "countries", "withheld", NULL}},
    {"sdg_16_4_2_by_column", {"arms", NULL},
     {"numerator", "denominator", "value", "countries", "withheld", NULL}},
    {"sdg_16_4_2_by_tracing", {"arms", "tracing", NULL},
     {"n", "t8_total", "share_pct", "countries", "withheld", NULL}},
    {"gs1", {"arms", NULL}, {"n", "countries", "withheld", NULL}},
    {"gs2", {"arm_type", NULL},
     {"n", "reported", "share_pct", "countries", "withheld", NULL}},
    {"gs3", {"justification", NULL},
     {"n", "reported", "share_pct", "share_pct_mean", "countries", "withheld",
      NULL}},
    {"gs4", {"offence", NULL}, {"n", "countries", "withheld", NULL}},
    {"gs5", {"dimension", "arms", "category", NULL},
     {"n", "reported", "share_pct", "countries", "withheld", NULL}},
    {"gs6", {"breakdown", "arms", "tracing", NULL},
     {"numerator", "denominator", "value", "countries", "withheld", NULL}},
    {"gs7", {"item", NULL}, {"n", "countries", "withheld", NULL}},
    {"gs8", {"persons", "sex", NULL},
     {"n", "share_pct", "countries", "withheld", NULL}},
    {"gs9", {"flow", "manufacture_code", "departure_code", "destination_code",
             NULL},
     {"quantity", "seizures", "countries", "withheld", NULL}},
};
/* clang-format on */
const size_t diff_nviews = sizeof diff_views / sizeof *diff_views;

static int add_names(cJSON *o, const char *name, const char *const *cols)
{
    cJSON *a = cJSON_AddArrayToObject(o, name);
    if (!a)
        return -1;
    for (size_t i = 0; i < DIFF_MAX_COLS && cols[i]; i++) {
        cJSON *s = cJSON_CreateString(cols[i]);
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            return -1;
        }
    }
    return 0;
}

char *diff_spec_json(void)
{
    cJSON *arr = cJSON_CreateArray();
    char *out = NULL;
    for (size_t i = 0; arr && i < diff_nviews; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            goto done;
        }
        if (!cJSON_AddStringToObject(o, "view", diff_views[i].view) ||
            add_names(o, "keys", diff_views[i].keys) < 0 ||
            add_names(o, "measures", diff_views[i].measures) < 0)
            goto done;
    }
    if (arr)
        out = cJSON_PrintUnformatted(arr);
done:
    cJSON_Delete(arr);
    return out;
}

iafq_err diff_runs(db_conn *db, const char *a, const char *b, PGresult **out,
                   iafq_error *err)
{
    const char *params[2] = {a, b};
    return db_exec_one_row(db, "q/diff_runs.sql", 2, params, out, err);
}

iafq_err diff_compute(db_conn *db, const char *a, const char *b,
                      PGresult **causes, PGresult **rows, iafq_error *err)
{
    PGresult *c = NULL, *r = NULL;
    char *spec = diff_spec_json();
    if (!spec)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "diff: out of memory");
    const char *params[3] = {a, b, spec};
    iafq_err e = db_exec_file(db, "q/diff_causes.sql", 2, params, &c, err);
    if (!e)
        e = db_exec_file(db, "q/diff_rows.sql", 3, params, &r, err);
    free(spec);
    if (e) {
        PQclear(c);
        PQclear(r);
        return e;
    }
    *causes = c;
    *rows = r;
    return IAFQ_OK;
}
