/* diff.c - the views `iafq diff` compares, and its queries (diff.h). */
#include "diff.h"

#include "stable.h"

#include <stdlib.h>

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
    char *spec = stable_spec_json();
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
