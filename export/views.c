#include "views.h"

#include "pgarr.h"
#include "schema.h"

#include <string.h>

static const views_view views[] = {
    {"gs1",
     "GS1 arms seized, found, surrendered and total",
     "q/export_gs1.sql",
     {{TBL_T1, true, "TOTAL"}},
     1},
    {"gs2",
     "GS2 arms seized by type, share of the reported types",
     "q/export_gs2.sql",
     {{TBL_T1, false, NULL}},
     1},
    {"gs3",
     "GS3 legal justification of seizure",
     "q/export_gs3.sql",
     {{TBL_T3, false, NULL}},
     1},
    {"gs4",
     "GS4 other suspected offences",
     "q/export_gs4.sql",
     {{TBL_T4, false, NULL}},
     1},
    {"gs5",
     "GS5 condition, marking and place of seizure",
     "q/export_gs5.sql",
     {{TBL_T6, true, NULL},
      {TBL_T5, false, NULL},
      {TBL_T6, false, NULL},
      {TBL_T7, false, NULL}},
     4},
    {"gs6",
     "GS6 SDG 16.4.2 with its disaggregations",
     "q/export_gs6.sql",
     {{0}},
     0},
    {"gs7",
     "GS7 parts, ammunition and cases",
     "q/export_gs7.sql",
     {{TBL_T2, false, NULL}},
     1},
    {"gs8",
     "GS8 persons arrested, prosecuted, convicted, targeted by sex",
     "q/export_gs8.sql",
     {{TBL_T9, false, NULL}, {TBL_T9, true, NULL}},
     2},
    {"gs9",
     "GS9 significant seizures: manufacture, routes",
     "q/export_gs9.sql",
     {{0}},
     0},
    {"sdg_16_4_2",
     "SDG 16.4.2 per country, region and year",
     "q/export_sdg_16_4_2.sql",
     {{0}},
     0},
    {"sdg_16_4_2_by_column",
     "SDG 16.4.2 by seized, found, surrendered",
     "q/export_sdg_16_4_2_by_column.sql",
     {{TBL_T1, true, NULL}},
     1},
    {"sdg_16_4_2_by_tracing",
     "SDG 16.4.2 by tracing result (T8 shares)",
     "q/export_sdg_16_4_2_by_tracing.sql",
     {{TBL_T8, true, "ALL"}, {TBL_T8, false, NULL}},
     2},
};

const views_view *views_all(size_t *n)
{
    *n = sizeof views / sizeof *views;
    return views;
}

const views_view *views_find(const char *view)
{
    for (size_t i = 0; view && i < sizeof views / sizeof *views; i++)
        if (!strcmp(views[i].view, view))
            return &views[i];
    return NULL;
}

/* The codes of c as a text array into b. */
static int codes_array(const views_codes *c, sbuf *b)
{
    const schema_table *t = &schema_tables[c->table];
    int n = c->cols ? t->ncols : t->nrows;
    if (pgarr_open(b) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (pgarr_add(b, c->cols ? t->cols[i].code : t->rows[i].code) != 0)
            return -1;
    if (c->extra && pgarr_add(b, c->extra) != 0)
        return -1;
    return pgarr_close(b);
}

iafq_err views_rows(const exp_ctx *ctx, const views_view *v, exp_row_fn fn,
                    void *arg, iafq_error *err)
{
    sbuf buf[VIEWS_MAX_PARAMS] = {SBUF_INIT, SBUF_INIT, SBUF_INIT, SBUF_INIT};
    const char *params[VIEWS_MAX_PARAMS] = {NULL};
    iafq_err rc = IAFQ_OK;
    for (int i = 0; i < v->nparams; i++) {
        if (codes_array(&v->params[i], &buf[i]) != 0) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        params[i] = buf[i].buf;
    }
    rc = exp_rows(ctx, v->query, v->nparams, params, fn, arg, err);
cleanup:
    for (int i = 0; i < VIEWS_MAX_PARAMS; i++)
        sbuf_release(&buf[i]);
    return rc;
}
