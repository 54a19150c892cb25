#include "sdmx.h"

#include "csvw.h"

#include <stdio.h>
#include <string.h>

/* Where each column's value comes from. */
enum {
    _CONST,    /* the constant text */
    _REF_AREA, /* the area code without leading zeros */
    _YEAR,
    _VALUE,
    _NATURE,  /* C or G */
    _COMMENT, /* based on N countries (areas only) */
    _UPDATED, /* the run's finish time */
};

typedef struct {
    const char *name;
    int from;
    const char *value; /* _CONST: the text ("" empty) */
} _col;

/* The columns, in the order of IAFQ-SPEC 6.5's header. */
static const _col _cols[] = {
    {"DATAFLOW", _CONST, "IAEG-SDGs:DF_SDG_GLH(1.24)"},
    {"FREQ", _CONST, "A"},
    {"REPORTING_TYPE", _CONST, "G"},
    {"SERIES", _CONST, "VC_ARM_SZTRACE"},
    {"REF_AREA", _REF_AREA, NULL},
    {"SEX", _CONST, "_T"},
    {"AGE", _CONST, "_T"},
    {"URBANISATION", _CONST, "_T"},
    {"INCOME_WEALTH_QUANTILE", _CONST, "_T"},
    {"EDUCATION_LEV", _CONST, "_T"},
    {"OCCUPATION", _CONST, "_T"},
    {"CUST_BREAKDOWN", _CONST, "_T"},
    {"COMPOSITE_BREAKDOWN", _CONST, "_T"},
    {"DISABILITY_STATUS", _CONST, "_T"},
    {"ACTIVITY", _CONST, "_T"},
    {"PRODUCT", _CONST, "_T"},
    {"TIME_PERIOD", _YEAR, NULL},
    {"OBS_VALUE", _VALUE, NULL},
    {"OBS_STATUS", _CONST, "A"},
    {"UNIT_MULT", _CONST, "0"},
    {"UNIT_MEASURE", _CONST, "PERCENT"},
    {"BASE_PER", _CONST, ""},
    {"NATURE", _NATURE, NULL},
    {"TIME_DETAIL", _CONST, ""},
    {"COMMENT_OBS", _COMMENT, NULL},
    {"TIME_COVERAGE", _CONST, ""},
    {"UPPER_BOUND", _CONST, ""},
    {"LOWER_BOUND", _CONST, ""},
    {"SOURCE_DETAIL", _CONST, "IAFQ"},
    {"COMMENT_TS", _CONST, ""},
    {"GEO_INFO_URL", _CONST, ""},
    {"GEO_INFO_TYPE", _CONST, ""},
    {"CUST_BREAKDOWN_LB", _CONST, ""},
    {"DATA_LAST_UPDATE", _UPDATED, NULL},
};

void sdmx_ref_area(const char *code, char *out, size_t cap)
{
    if (!cap)
        return;
    while (code[0] == '0' && code[1])
        code++;
    snprintf(out, cap, "%s", code);
}

typedef struct {
    csvw *w;
    const exp_ctx *ctx;
} _state;

/* An empty column is written as nothing (not as ""): other columns empty,
 * as the SDMX-CSV files of the SDG database have them. */
static void _put(csvw *w, const char *s)
{
    csvw_field(w, *s ? s : NULL, *s ? strlen(s) : 0, CSVW_TEXT);
}

/* Columns of q/export_sdmx.sql */
enum { _Q_CODE, _Q_YEAR, _Q_VALUE, _Q_COUNTRIES, _Q_IS_COUNTRY, _Q_N };

static iafq_err _row(void *arg, const PGresult *res, iafq_error *err)
{
    _state *s = arg;
    if (PQntuples(res) == 0)
        return IAFQ_OK;
    if (PQnfields(res) != _Q_N)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "sql/q/export_sdmx.sql: %d columns, not %d",
                              PQnfields(res), _Q_N);
    int country = PQgetvalue(res, 0, _Q_IS_COUNTRY)[0] == 't';
    char area[16], comment[64];
    sdmx_ref_area(PQgetvalue(res, 0, _Q_CODE), area, sizeof area);
    snprintf(comment, sizeof comment, "based on %s countries",
             PQgetvalue(res, 0, _Q_COUNTRIES));
    for (size_t c = 0; c < sizeof _cols / sizeof *_cols; c++) {
        switch (_cols[c].from) {
        case _CONST:
            _put(s->w, _cols[c].value);
            break;
        case _REF_AREA:
            _put(s->w, area);
            break;
        case _YEAR:
            _put(s->w, PQgetvalue(res, 0, _Q_YEAR));
            break;
        case _VALUE:
            _put(s->w, PQgetvalue(res, 0, _Q_VALUE));
            break;
        case _NATURE:
            _put(s->w, country ? "C" : "G");
            break;
        case _COMMENT:
            _put(s->w, country ? "" : comment);
            break;
        case _UPDATED:
            _put(s->w, s->ctx->run.finished);
            break;
        }
    }
    return csvw_end(s->w) ? IAFQ_ERR_IO : IAFQ_OK;
}

iafq_err sdmx_write(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    _state s = {NULL, ctx};
    iafq_err rc = csvw_open(path, NULL, &s.w, err);
    if (rc)
        return rc;
    for (size_t c = 0; c < sizeof _cols / sizeof *_cols; c++)
        csvw_str(s.w, _cols[c].name, 0);
    csvw_end(s.w);
    rc = exp_rows(ctx, "export_sdmx", _row, &s, err);
    iafq_error cerr = {0};
    iafq_err crc = csvw_close(s.w, &cerr);
    if (crc && (!rc || rc == IAFQ_ERR_IO)) {
        if (err)
            *err = cerr;
        rc = crc;
    }
    return rc;
}
