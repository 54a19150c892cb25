#include "agg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

iafq_err agg_run_files(db_conn *db, const sqlfile *files, size_t n,
                       agg_info *out, iafq_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "no aggregation files are embedded");
    PGresult *res = NULL;
    iafq_err e = db_begin(db, err);
    if (e)
        return e;
    for (size_t i = 0; i < n; i++)
        if ((e = db_exec_sql(db, &files[i], 0, NULL, NULL, err)))
            goto fail;
    if ((e = db_exec_file(db, "q/agg_this_run.sql", 0, NULL, &res, err)))
        goto fail;
    if (PQntuples(res) != 1) {
        e = iafq_error_set(err, IAFQ_ERR_INTERNAL,
                           "the aggregation files recorded no run");
        goto fail;
    }
    out->run = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(out->started, sizeof out->started, "%s", PQgetvalue(res, 0, 1));
    snprintf(out->finished, sizeof out->finished, "%s", PQgetvalue(res, 0, 2));
    out->submissions = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    PQclear(res);
    res = NULL;
    if ((e = db_commit(db, err)))
        goto fail;
    return IAFQ_OK;
fail:
    PQclear(res);
    db_rollback(db);
    return e;
}

iafq_err agg_run(db_conn *db, agg_info *out, iafq_error *err)
{
    size_t n = 0;
    const sqlfile *files = sqlfiles_prefix("aggregate/", &n);
    return agg_run_files(db, files, n, out, err);
}

iafq_err agg_run_lock(db_conn *db, bool wait, bool *got, iafq_error *err)
{
    PGresult *res = NULL;
    *got = false;
    iafq_err e = db_exec_file(db, wait ? "q/run_lock.sql" : "q/run_trylock.sql",
                              0, NULL, &res, err);
    if (e)
        return e;
    *got = wait || (PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), "t"));
    PQclear(res);
    return IAFQ_OK;
}

void agg_run_unlock(db_conn *db)
{
    db_exec_file(db, "q/run_unlock.sql", 0, NULL, NULL, NULL);
}
