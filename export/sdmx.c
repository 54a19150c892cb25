#include "sdmx.h"

#include "csvw.h"

#include <stdio.h>
#include <string.h>

/* Where each column's value comes from. */
enum {
    FROM_CONST,    /* the constant text */
    FROM_REF_AREA, /* the area code without leading zeros */
    FROM_YEAR,
    FROM_VALUE,
    FROM_NATURE,  /* C or G */
    FROM_COMMENT, /* based on N countries (areas only) */
    FROM_UPDATED, /* the run's finish time */
};

typedef struct {
    const char *name;
    int from;
    const char *value; /* FROM_CONST: the text ("" empty) */
} sdmx_col;

/* The columns, in the order of IAFQ-SPEC 6.5's header. */
static const sdmx_col cols[] = {
    {"DATAFLOW", FROM_CONST, "IAEG-SDGs:DF_SDG_GLH(1.24)"},
    {"FREQ", FROM_CONST, "A"},
    {"REPORTING_TYPE", FROM_CONST, "G"},
    {"SERIES", FROM_CONST, "VC_ARM_SZTRACE"},
    {"REF_AREA", FROM_REF_AREA, NULL},
    {"SEX", FROM_CONST, "_T"},
    {"AGE", FROM_CONST, "_T"},
    {"URBANISATION", FROM_CONST, "_T"},
    {"INCOME_WEALTH_QUANTILE", FROM_CONST, "_T"},
    {"EDUCATION_LEV", FROM_CONST, "_T"},
    {"OCCUPATION", FROM_CONST, "_T"},
    {"CUST_BREAKDOWN", FROM_CONST, "_T"},
    {"COMPOSITE_BREAKDOWN", FROM_CONST, "_T"},
    {"DISABILITY_STATUS", FROM_CONST, "_T"},
    {"ACTIVITY", FROM_CONST, "_T"},
    {"PRODUCT", FROM_CONST, "_T"},
    {"TIME_PERIOD", FROM_YEAR, NULL},
    {"OBS_VALUE", FROM_VALUE, NULL},
    {"OBS_STATUS", FROM_CONST, "A"},
    {"UNIT_MULT", FROM_CONST, "0"},
    {"UNIT_MEASURE", FROM_CONST, "PERCENT"},
    {"BASE_PER", FROM_CONST, ""},
    {"NATURE", FROM_NATURE, NULL},
    {"TIME_DETAIL", FROM_CONST, ""},
    {"COMMENT_OBS", FROM_COMMENT, NULL},
    {"TIME_COVERAGE", FROM_CONST, ""},
    {"UPPER_BOUND", FROM_CONST, ""},
    {"LOWER_BOUND", FROM_CONST, ""},
    {"SOURCE_DETAIL", FROM_CONST, "IAFQ"},
    {"COMMENT_TS", FROM_CONST, ""},
    {"GEO_INFO_URL", FROM_CONST, ""},
    {"GEO_INFO_TYPE", FROM_CONST, ""},
    {"CUST_BREAKDOWN_LB", FROM_CONST, ""},
    {"DATA_LAST_UPDATE", FROM_UPDATED, NULL},
};

void sdmx_ref_area(const char *code, char *out, size_t cap)
{
    if (!cap)
        return;
    while (code[0] == '0' && code[1])
        code++;
    snprintf(out, cap, "%s", code);
}

/* The columns of q/export_sdmx.sql, by name. */
enum { Q_CODE, Q_YEAR, Q_VALUE, Q_COUNTRIES, Q_IS_COUNTRY, Q_N };
static const char *const q_cols[Q_N] = {"area_code", "year", "value",
                                        "countries", "is_country"};

typedef struct {
    csvw *w;
    const exp_ctx *ctx;
    int q[Q_N]; /* the columns' numbers, once the first result came */
    int resolved;
} sdmx_state;

/* An empty column is written as nothing (not as ""): other columns empty,
 * as the SDMX-CSV files of the SDG database have them. */
static void put(csvw *w, const char *s)
{
    csvw_field(w, *s ? s : NULL, *s ? strlen(s) : 0, CSVW_TEXT);
}

static iafq_err row(void *arg, const PGresult *res, iafq_error *err)
{
    sdmx_state *s = arg;
    iafq_err rc = exp_cols_once(&s->resolved, res, "q/export_sdmx.sql", q_cols,
                                s->q, Q_N, err);
    if (rc)
        return rc;
    if (PQntuples(res) == 0)
        return IAFQ_OK;
    int country = PQgetvalue(res, 0, s->q[Q_IS_COUNTRY])[0] == 't';
    char area[16], comment[64];
    sdmx_ref_area(PQgetvalue(res, 0, s->q[Q_CODE]), area, sizeof area);
    snprintf(comment, sizeof comment, "based on %s countries",
             PQgetvalue(res, 0, s->q[Q_COUNTRIES]));
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
        switch (cols[c].from) {
        case FROM_CONST:
            put(s->w, cols[c].value);
            break;
        case FROM_REF_AREA:
            put(s->w, area);
            break;
        case FROM_YEAR:
            put(s->w, PQgetvalue(res, 0, s->q[Q_YEAR]));
            break;
        case FROM_VALUE:
            put(s->w, PQgetvalue(res, 0, s->q[Q_VALUE]));
            break;
        case FROM_NATURE:
            put(s->w, country ? "C" : "G");
            break;
        case FROM_COMMENT:
            put(s->w, country ? "" : comment);
            break;
        case FROM_UPDATED:
            put(s->w, s->ctx->run.finished);
            break;
        }
    }
    return csvw_end(s->w) ? IAFQ_ERR_IO : IAFQ_OK;
}

iafq_err sdmx_write(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    sdmx_state s = {.ctx = ctx};
    iafq_err rc = csvw_open(path, NULL, &s.w, err);
    if (rc)
        return rc;
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
        csvw_str(s.w, cols[c].name, 0);
    csvw_end(s.w);
    rc = exp_rows(ctx, "q/export_sdmx.sql", 0, NULL, row, &s, err);
    iafq_error cerr = {0};
    iafq_err crc = csvw_close(s.w, &cerr);
    if (crc && (!rc || rc == IAFQ_ERR_IO)) {
        if (err)
            *err = cerr;
        rc = crc;
    }
    return rc;
}
