#include "agg.h"

#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static iafq_err agg_this_run(db_conn *db, agg_info *out, iafq_error *err)
{
    PGresult *res = NULL;
    enum {
        C_RUN,
        C_STARTED,
        C_FINISHED,
        C_SUBS,
        C_CHANGED,
        C_STORED,
        C_CLOSED,
        C_EVERY,
        C_YEARS,
        C_COUNT
    };
    static const char *const cols[C_COUNT] = {
        "run",         "started",     "finished",   "submissions", "changed",
        "rows_stored", "rows_closed", "every_year", "years"};
    int c[C_COUNT];
    /* exactly one row: the run the files recorded (or the previous one) */
    iafq_err e = db_exec_one_row(db, "q/agg_this_run.sql", 0, NULL, &res, err);
    if (!e)
        e = db_cols(res, "sql/q/agg_this_run.sql", cols, c, C_COUNT, err);
    if (!e) {
        out->run = strtoll(PQgetvalue(res, 0, c[C_RUN]), NULL, 10);
        snprintf(out->started, sizeof out->started, "%s",
                 PQgetvalue(res, 0, c[C_STARTED]));
        snprintf(out->finished, sizeof out->finished, "%s",
                 PQgetvalue(res, 0, c[C_FINISHED]));
        out->submissions = strtoll(PQgetvalue(res, 0, c[C_SUBS]), NULL, 10);
        out->changed = !strcmp(PQgetvalue(res, 0, c[C_CHANGED]), "t");
        out->rows_stored = strtoll(PQgetvalue(res, 0, c[C_STORED]), NULL, 10);
        out->rows_closed = strtoll(PQgetvalue(res, 0, c[C_CLOSED]), NULL, 10);
        out->every_year = !strcmp(PQgetvalue(res, 0, c[C_EVERY]), "t");
        snprintf(out->years, sizeof out->years, "%s",
                 PQgetvalue(res, 0, c[C_YEARS]));
    }
    PQclear(res);
    return e;
}

iafq_err agg_run_files(db_conn *db, const sqlfile *files, size_t n, bool full,
                       agg_info *out, iafq_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "no aggregation files are embedded");
    /* the session lock first: the transaction's snapshot follows it */
    iafq_err e = db_exec_file(db, "q/agg_lock.sql", 0, NULL, NULL, err);
    if (e)
        return e;
    if ((e = db_begin(db, err)))
        goto unlock;
    for (size_t i = 0; i < n; i++) {
        progress_step("aggregate", (int)i + 1, (int)n, files[i].path);
        if ((e = db_exec_sql(db, &files[i], 0, NULL, NULL, err)))
            goto fail;
        if (i == 0 && full &&
            (e = db_exec_file(db, "q/agg_full.sql", 0, NULL, NULL, err)))
            goto fail;
    }
    progress_end();
    if ((e = agg_this_run(db, out, err)))
        goto fail;
    if ((e = db_commit(db, err)))
        goto fail;
    goto unlock;
fail:
    progress_end();
    db_rollback(db);
unlock:
    db_exec_file(db, "q/agg_unlock.sql", 0, NULL, NULL, NULL);
    return e;
}

iafq_err agg_run_mode(db_conn *db, bool full, agg_info *out, iafq_error *err)
{
    size_t n = 0;
    const sqlfile *files = sqlfiles_prefix("aggregate/", &n);
    return agg_run_files(db, files, n, full, out, err);
}

iafq_err agg_run(db_conn *db, agg_info *out, iafq_error *err)
{
    return agg_run_mode(db, false, out, err);
}

iafq_err agg_run_lock(db_conn *db, bool wait, bool *got, iafq_error *err)
{
    PGresult *res = NULL;
    const char *q = wait ? "q/run_lock.sql" : "q/run_trylock.sql";
    static const char *const cols[] = {"got"};
    int c[1];
    *got = false;
    iafq_err e = db_exec_one_row(db, q, 0, NULL, &res, err);
    if (!e && !(e = db_cols(res, q, cols, c, 1, err)))
        /* pg_advisory_lock returns void (""): it waited and holds it */
        *got = wait || !strcmp(PQgetvalue(res, 0, c[0]), "t");
    PQclear(res);
    return e;
}

void agg_run_unlock(db_conn *db)
{
    db_exec_file(db, "q/run_unlock.sql", 0, NULL, NULL, NULL);
}
