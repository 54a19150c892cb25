#include "exp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

iafq_err exp_use_schema(const exp_ctx *ctx, iafq_error *err)
{
    const char *params[1] = {ctx->schema};
    return db_exec_file(ctx->db, "q/export_schema.sql", 1, params, NULL, err);
}

/* The columns of q/export_run.sql. */
enum { RUN_ID, RUN_STARTED, RUN_FINISHED, RUN_SUBMISSIONS, RUN_RELEASE, RUN_N };
static const char *const run_cols[RUN_N] = {"id", "started", "finished",
                                            "submissions", "release"};

iafq_err exp_begin(db_conn *db, bool public_, exp_ctx *ctx, iafq_error *err)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->schema = public_ ? "iafq_public" : "iafq";
    ctx->internal = !public_;
    PGresult *res = PQexec(db_pg(db), "BEGIN ISOLATION LEVEL REPEATABLE READ, "
                                      "READ ONLY");
    iafq_err rc = db_check(db, res, PGRES_COMMAND_OK, "BEGIN", err);
    if (rc)
        return rc;
    PQclear(res);
    res = NULL;
    ctx->db = db;
    int col[RUN_N];
    if ((rc = exp_use_schema(ctx, err)) ||
        (rc = db_exec_file(db, "q/export_run.sql", 0, NULL, &res, err)) ||
        (rc = db_cols(res, "q/export_run.sql", run_cols, col, RUN_N, err)))
        goto cleanup;
    if (PQntuples(res) == 0)
        goto cleanup; /* no finished run: run.id stays 0 */
    ctx->run.id = strtoll(PQgetvalue(res, 0, col[RUN_ID]), NULL, 10);
    snprintf(ctx->run.started, sizeof ctx->run.started, "%s",
             PQgetvalue(res, 0, col[RUN_STARTED]));
    snprintf(ctx->run.finished, sizeof ctx->run.finished, "%s",
             PQgetvalue(res, 0, col[RUN_FINISHED]));
    ctx->run.submissions =
        strtoll(PQgetvalue(res, 0, col[RUN_SUBMISSIONS]), NULL, 10);
    snprintf(ctx->release, sizeof ctx->release, "%s",
             PQgetvalue(res, 0, col[RUN_RELEASE]));
cleanup:
    PQclear(res);
    if (rc)
        exp_end(ctx);
    return rc;
}

void exp_end(exp_ctx *ctx)
{
    if (ctx && ctx->db) {
        db_rollback(ctx->db);
        ctx->db = NULL;
    }
}

/* Cancel the running query and read what is left of it. */
static void drain(PGconn *pg)
{
    PGcancel *c = PQgetCancel(pg);
    if (c) {
        char buf[256];
        PQcancel(c, buf, sizeof buf);
        PQfreeCancel(c);
    }
    PGresult *r;
    while ((r = PQgetResult(pg)) != NULL)
        PQclear(r);
}

iafq_err exp_rows(const exp_ctx *ctx, const char *relpath, int nparams,
                  const char *const *params, exp_row_fn fn, void *arg,
                  iafq_error *err)
{
    const char *sql = sqlfiles_get(relpath);
    if (!sql)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "sql/%s is not embedded in this binary", relpath);
    PGconn *pg = db_pg(ctx->db);
    char what[200];
    snprintf(what, sizeof what, "sql/%s", relpath);
    if (!PQsendQueryParams(pg, sql, nparams, NULL, params, NULL, NULL, 0) ||
        !PQsetSingleRowMode(pg)) {
        iafq_err rc = db_check(ctx->db, NULL, PGRES_TUPLES_OK, what, err);
        drain(pg);
        return rc;
    }
    iafq_err rc = IAFQ_OK;
    int rows = 0;
    PGresult *res;
    while ((res = PQgetResult(pg)) != NULL) {
        if (rc) { /* an error already: read the rest */
            PQclear(res);
            continue;
        }
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE || (st == PGRES_TUPLES_OK && !rows)) {
            rows += st == PGRES_SINGLE_TUPLE;
            rc = fn(arg, res, err);
            PQclear(res);
            if (rc)
                drain(pg);
        } else if (st == PGRES_TUPLES_OK) {
            PQclear(res);
        } else {
            rc = db_check(ctx->db, res, PGRES_TUPLES_OK, what, err);
        }
    }
    if (!rc && PQstatus(pg) != CONNECTION_OK)
        rc = iafq_error_set(err, IAFQ_ERR_DB, "%s: the connection was lost",
                            what);
    return rc;
}

/* 1 when column is one of list[0..n-1]. */
static int in_list(const char *const *list, size_t n, const char *column)
{
    for (size_t i = 0; column && i < n; i++)
        if (!strcmp(column, list[i]))
            return 1;
    return 0;
}

int exp_internal_only(const char *column)
{
    static const char *const internal_only[] = {"withheld", "partner_withheld",
                                                "submission_id"};
    return in_list(internal_only, sizeof internal_only / sizeof *internal_only,
                   column);
}

int exp_ratio_column(const char *column)
{
    static const char *const ratios[] = {"share_pct", "share_pct_mean",
                                         "value"};
    return in_list(ratios, sizeof ratios / sizeof *ratios, column);
}

iafq_err exp_cols_once(int *resolved, const PGresult *res, const char *what,
                       const char *const *names, int *idx, size_t n,
                       iafq_error *err)
{
    if (*resolved)
        return IAFQ_OK;
    iafq_err rc = db_cols(res, what, names, idx, n, err);
    if (!rc)
        *resolved = 1;
    return rc;
}

int exp_fixed(const char *dec, int scale, char *out, size_t cap)
{
    const char *p = dec;
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    size_t ni = strspn(p, "0123456789");
    const char *frac = p + ni;
    size_t nf = 0;
    if (*frac == '.') {
        frac++;
        nf = strspn(frac, "0123456789");
    }
    if (ni + nf == 0 || frac[nf] != '\0' || scale < 0 || scale > 64)
        return -1;
    /* digits: one spare leading digit for the carry, the integer digits,
     * scale decimals */
    size_t nd = 1 + ni + (size_t)scale;
    char *d = malloc(nd);
    if (!d)
        return -1;
    d[0] = '0';
    memcpy(d + 1, p, ni);
    for (int k = 0; k < scale; k++)
        d[1 + ni + (size_t)k] = (size_t)k < nf ? frac[k] : '0';
    if ((size_t)scale < nf && frac[scale] >= '5')
        for (size_t k = nd; k-- > 0;) {
            if (d[k] != '9') {
                d[k]++;
                break;
            }
            d[k] = '0';
        }
    size_t lead = 0; /* leading zeros, keeping one digit before the point */
    while (lead < ni && d[lead] == '0')
        lead++;
    int zero = 1; /* no "-0.0000" */
    for (size_t k = 0; k < nd; k++)
        zero &= d[k] == '0';
    size_t nint = 1 + ni - lead;
    size_t need =
        (size_t)(neg && !zero) + nint + (scale ? 1 + (size_t)scale : 0) + 1;
    if (need > cap) {
        free(d);
        return -1;
    }
    char *o = out;
    if (neg && !zero)
        *o++ = '-';
    memcpy(o, d + lead, nint);
    o += nint;
    if (scale) {
        *o++ = '.';
        memcpy(o, d + 1 + ni, (size_t)scale);
        o += scale;
    }
    *o = '\0';
    free(d);
    return 0;
}

const char *exp_bool_word(const char *pg_bool)
{
    return pg_bool && (pg_bool[0] == 't' || pg_bool[0] == 'T') ? "true"
                                                               : "false";
}

iafq_err exp_temp_path(const char *dir, const char *name, char *tmp, size_t cap,
                       iafq_error *err)
{
    if (snprintf(tmp, cap, "%s/.%s.XXXXXX", dir, name) >= (int)cap)
        return iafq_error_set(err, IAFQ_ERR_IO, "output path too long in '%s'",
                              dir);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write in '%s': %s", dir,
                              strerror(errno));
    /* mkstemp makes it 0600: give it the mode a new file gets (umask) */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write '%s': %s", tmp,
                              strerror(e));
    }
    return IAFQ_OK;
}

iafq_err exp_commit_file(const char *tmp, const char *dir, const char *name,
                         iafq_error *err)
{
    char final[4096];
    if (snprintf(final, sizeof final, "%s/%s", dir, name) >= (int)sizeof final)
        return iafq_error_set(err, IAFQ_ERR_IO, "output path too long in '%s'",
                              dir);
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write '%s': %s", final,
                              strerror(e));
    }
    close(fd);
    if (rename(tmp, final) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write '%s': %s", final,
                              strerror(errno));
    /* the rename itself survives a crash once the folder is synced */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return IAFQ_OK;
}

int exp_formula_like(const char *s)
{
    return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
                 *s == '\t' || *s == '\r');
}
