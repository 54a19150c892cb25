#include "gscsv.h"

#include "csvw.h"

#include <string.h>

static const gscsv_table _tables[] = {
    {"gs1", "GS1 arms seized, found, surrendered and total"},
    {"gs2", "GS2 arms seized by type, share of the reported types"},
    {"gs3", "GS3 legal justification of seizure"},
    {"gs4", "GS4 other suspected offences"},
    {"gs5", "GS5 condition, marking and place of seizure"},
    {"gs6", "GS6 SDG 16.4.2 with its disaggregations"},
    {"gs7", "GS7 parts, ammunition and cases"},
    {"gs8", "GS8 persons arrested, prosecuted, convicted, targeted by sex"},
    {"gs9", "GS9 significant seizures: manufacture, routes"},
    {"sdg_16_4_2", "SDG 16.4.2 per country, region and year"},
    {"sdg_16_4_2_by_column", "SDG 16.4.2 by seized, found, surrendered"},
    {"sdg_16_4_2_by_tracing", "SDG 16.4.2 by tracing result (T8 shares)"},
};

const gscsv_table *gscsv_tables(size_t *n)
{
    *n = sizeof _tables / sizeof *_tables;
    return _tables;
}

int gscsv_numeric_type(unsigned oid)
{
    switch (oid) {
    case 16:   /* bool */
    case 20:   /* int8 */
    case 21:   /* int2 */
    case 23:   /* int4 */
    case 700:  /* float4 */
    case 701:  /* float8 */
    case 1700: /* numeric */
        return 1;
    default:
        return 0;
    }
}

typedef struct {
    csvw *w;
    int header; /* written */
} _state;

static iafq_err _row(void *arg, const PGresult *res, iafq_error *err)
{
    _state *s = arg;
    int nf = PQnfields(res);
    (void)err; /* write errors are sticky: csvw_close() reports them */
    if (!s->header) {
        for (int c = 0; c < nf; c++)
            csvw_str(s->w, PQfname(res, c), CSVW_TEXT);
        csvw_end(s->w);
        s->header = 1;
    }
    for (int r = 0; r < PQntuples(res); r++) {
        for (int c = 0; c < nf; c++) {
            if (PQgetisnull(res, r, c))
                csvw_field(s->w, NULL, 0, 0);
            else
                csvw_field(s->w, PQgetvalue(res, r, c),
                           (size_t)PQgetlength(res, r, c),
                           gscsv_numeric_type(PQftype(res, c)) ? 0 : CSVW_TEXT);
        }
        if (csvw_end(s->w))
            return IAFQ_ERR_IO; /* stop the query; close says why */
    }
    return IAFQ_OK;
}

iafq_err gscsv_write(const exp_ctx *ctx, const char *view, const char *path,
                     iafq_error *err)
{
    int known = 0;
    for (size_t i = 0; i < sizeof _tables / sizeof *_tables && !known; i++)
        known = !strcmp(_tables[i].view, view);
    if (!known)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL, "no CSV table '%s'",
                              view);
    char name[64];
    snprintf(name, sizeof name, "export_%s", view);
    _state s = {0};
    iafq_err rc = csvw_open(path, NULL, &s.w, err);
    if (rc)
        return rc;
    rc = exp_rows(ctx, name, _row, &s, err);
    iafq_error cerr = {0};
    iafq_err crc = csvw_close(s.w, &cerr);
    if (crc && (!rc || rc == IAFQ_ERR_IO)) { /* the writer's own reason */
        if (err)
            *err = cerr;
        rc = crc;
    }
    return rc;
}
