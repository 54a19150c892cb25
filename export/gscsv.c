#include "gscsv.h"

#include "csvw.h"

#include <stdlib.h>
#include <string.h>

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
    const exp_ctx *ctx;
    csvw *w;
    int *cols; /* the result's columns written, in order (after the header) */
    int ncols;
    char
        *ratio; /* per column of the result: 1 for a ratio (exp_ratio_column) */
} csv_state;

/* The header: the columns this scope writes, their numbers into s->cols. */
static iafq_err header(csv_state *s, const PGresult *res, iafq_error *err)
{
    int nf = PQnfields(res);
    if (!(s->cols = calloc(nf ? (size_t)nf : 1, sizeof *s->cols)) ||
        !(s->ratio = calloc(nf ? (size_t)nf : 1, 1)))
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    for (int c = 0; c < nf; c++)
        s->ratio[c] = (char)exp_ratio_column(PQfname(res, c));
    for (int c = 0; c < nf; c++)
        if (s->ctx->internal || !exp_internal_only(PQfname(res, c))) {
            s->cols[s->ncols++] = c;
            csvw_str(s->w, PQfname(res, c), CSVW_TEXT);
        }
    csvw_end(s->w);
    return IAFQ_OK;
}

/* Cell (r, c) as every CSV writes it (exp.h: ratios at a fixed scale,
 * booleans as words, other numbers as given, text as text). */
static void field(csv_state *s, const PGresult *res, int r, int c)
{
    const char *v = PQgetvalue(res, r, c);
    unsigned oid = PQftype(res, c);
    char fixed[96];
    if (oid == 16) /* bool */
        csvw_str(s->w, exp_bool_word(v), 0);
    else if (s->ratio[c] &&
             exp_fixed(v, EXP_RATIO_SCALE, fixed, sizeof fixed) == 0)
        csvw_str(s->w, fixed, 0);
    else
        csvw_field(s->w, v, (size_t)PQgetlength(res, r, c),
                   gscsv_numeric_type(oid) ? 0 : CSVW_TEXT);
}

static iafq_err row(void *arg, const PGresult *res, iafq_error *err)
{
    csv_state *s = arg;
    iafq_err rc;
    if (!s->cols && (rc = header(s, res, err)))
        return rc;
    for (int r = 0; r < PQntuples(res); r++) {
        for (int k = 0; k < s->ncols; k++) {
            int c = s->cols[k];
            if (PQgetisnull(res, r, c))
                csvw_field(s->w, NULL, 0, 0);
            else
                field(s, res, r, c);
        }
        /* write errors are sticky: csvw_close() says why */
        if (csvw_end(s->w))
            return IAFQ_ERR_IO; /* stop the query */
    }
    return IAFQ_OK;
}

iafq_err gscsv_write(const exp_ctx *ctx, const char *view, const char *path,
                     iafq_error *err)
{
    const views_view *v = views_find(view);
    if (!v)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL, "no CSV table '%s'",
                              view);
    csv_state s = {.ctx = ctx};
    iafq_err rc = csvw_open(path, NULL, &s.w, err);
    if (rc)
        return rc;
    rc = views_rows(ctx, v, row, &s, err);
    iafq_error cerr = {0};
    iafq_err crc = csvw_close(s.w, &cerr);
    if (crc && (!rc || rc == IAFQ_ERR_IO)) { /* the writer's own reason */
        if (err)
            *err = cerr;
        rc = crc;
    }
    free(s.cols);
    free(s.ratio);
    return rc;
}
