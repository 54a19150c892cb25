/*
 * drv_portal - test driver for export/portal (tests/db/t_portal.py): opens
 * the export's snapshot the way exp.h describes it, fills an exp_ctx from
 * the latest finished run, and runs one portal writer into DIR/NAME
 * through a temporary file renamed into place (exp_temp_path,
 * exp_commit_file).
 *
 *   drv_portal SQLDIR CONNINFO internal|public csv|xlsx|json DIR NAME
 *
 * SQLDIR holds this driver's own queries (tests/db/sql).  With `public`
 * the ctx's schema is iafq_public (connect as iafq_portal in CONNINFO to
 * let the database enforce it).  Exit 0 on success, 1 with the error on
 * stderr otherwise.
 */
#include "exp.h"
#include "portal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *_slurp(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf && n == 0) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

static iafq_err _sql(db_conn *db, const char *dir, const char *name,
                     PGresult **out, iafq_error *err)
{
    char *text = _slurp(dir, name);
    if (!text)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot read %s/%s", dir, name);
    sqlfile f = {name, text};
    iafq_err e = db_exec_sql(db, &f, 0, NULL, out, err);
    free(text);
    return e;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: drv_portal SQLDIR CONNINFO internal|public "
                        "csv|xlsx|json DIR NAME\n");
        return 2;
    }
    const char *sqldir = argv[1], *fmt = argv[4], *dir = argv[5],
               *name = argv[6];
    bool pub = strcmp(argv[3], "public") == 0;
    iafq_error err = {0};
    db_conn *db = NULL;
    PGresult *res = NULL;
    char tmp[4096] = "";
    exp_ctx ctx = {0};
    iafq_err e = db_open(argv[2], &db, &err);
    if (e)
        goto done;
    ctx.db = db;
    ctx.schema = pub ? "iafq_public" : "iafq";
    ctx.internal = !pub;
    if ((e = db_begin(db, &err)) ||
        (e = _sql(db, sqldir, "snapshot.sql", NULL, &err)) ||
        (e = exp_use_schema(&ctx, &err)) ||
        (e = _sql(db, sqldir, pub ? "run_public.sql" : "run.sql", &res, &err)))
        goto done;
    if (PQntuples(res) != 1) {
        e = iafq_error_set(&err, IAFQ_ERR_DB, "no finished run");
        goto done;
    }
    ctx.run.id = atoll(PQgetvalue(res, 0, 0));
    snprintf(ctx.run.started, sizeof ctx.run.started, "%s",
             PQgetvalue(res, 0, 1));
    snprintf(ctx.run.finished, sizeof ctx.run.finished, "%s",
             PQgetvalue(res, 0, 2));
    ctx.run.submissions = atoll(PQgetvalue(res, 0, 3));
    snprintf(ctx.release, sizeof ctx.release, "%.10s", ctx.run.finished);
    if ((e = exp_temp_path(dir, name, tmp, sizeof tmp, &err)))
        goto done;
    if (strcmp(fmt, "csv") == 0)
        e = portal_write_csv(&ctx, tmp, &err);
    else if (strcmp(fmt, "xlsx") == 0)
        e = portal_write_xlsx(&ctx, tmp, &err);
    else
        e = portal_write_json(&ctx, tmp, &err);
    if (!e)
        e = exp_commit_file(tmp, dir, name, &err);
    if (e)
        unlink(tmp);
    if (!e)
        e = db_commit(db, &err);
done:
    PQclear(res);
    if (e)
        db_rollback(db);
    db_close(db);
    if (e) {
        fprintf(stderr, "drv_portal: %s\n", err.msg);
        return 1;
    }
    return 0;
}
