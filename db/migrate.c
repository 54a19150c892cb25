#include "migrate.h"

#include <stdio.h>
#include <string.h>

#define MIGRATE_LOCK_SQL "q/migrate_lock.sql"
#define MIGRATE_BOOTSTRAP_SQL "meta/bootstrap.sql"

static iafq_err _locked_begin(db_conn *db, iafq_error *err)
{
    iafq_err rc = db_begin(db, err);
    if (!rc && (rc = db_exec_file(db, MIGRATE_LOCK_SQL, 0, NULL, NULL, err)))
        db_rollback(db);
    return rc;
}

/* Apply one file unless recorded; *done = 1 when this call applied it. */
static iafq_err _apply_one(db_conn *db, const sqlfile *f, int *done,
                           iafq_error *err)
{
    char version[256];
    *done = 0;
    if (!sqlfiles_version(f->path, version, sizeof version))
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "migration name too long: '%s'", f->path);
    const char *params[1] = {version};
    PGresult *res = NULL;
    iafq_err rc = _locked_begin(db, err);
    if (rc)
        return rc;
    if ((rc = db_exec_file(db, "q/migrate_is_applied.sql", 1, params, &res,
                           err)))
        goto cleanup;
    if (PQntuples(res) > 0) /* recorded, maybe by a concurrent pass */
        goto cleanup;
    if ((rc = db_exec_sql(db, f, 0, NULL, NULL, err)) ||
        (rc = db_exec_file(db, "q/migrate_record.sql", 1, params, NULL, err)) ||
        (rc = db_commit(db, err)))
        goto cleanup;
    *done = 1;
cleanup:
    PQclear(res);
    if (rc) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        iafq_error_set(err, rc, "migration %s failed: %.400s", version, msg);
    }
    db_rollback(db); /* no-op after COMMIT */
    return rc;
}

iafq_err migrate_apply(db_conn *db, const sqlfile *files, size_t n,
                       int *applied, iafq_error *err)
{
    iafq_error local = {0};
    if (!err)
        err = &local;
    if (applied)
        *applied = 0;
    /* Up to date: nothing to run, not even the bootstrap, so that a role
     * that may not create anything (iafq_loader, iafq_analyst) can work on
     * a database its owner migrated. */
    PGresult *list = NULL;
    iafq_error lerr = {0};
    if (migrate_list(db, &list, &lerr) == IAFQ_OK && list &&
        migrate_pending(list, files, n) == 0) {
        PQclear(list);
        return IAFQ_OK;
    }
    PQclear(list);
    /* Bootstrap under the same lock: concurrent CREATE ... IF NOT EXISTS
     * can otherwise collide. */
    iafq_err rc = _locked_begin(db, err);
    if (rc)
        return rc;
    if ((rc = db_exec_file(db, MIGRATE_BOOTSTRAP_SQL, 0, NULL, NULL, err)) ||
        (rc = db_commit(db, err))) {
        db_rollback(db);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        int done;
        if ((rc = _apply_one(db, &files[i], &done, err)))
            return rc;
        if (applied)
            *applied += done;
    }
    return IAFQ_OK;
}

iafq_err migrate_embedded(db_conn *db, int *applied, iafq_error *err)
{
    size_t n;
    const sqlfile *files = sqlfiles_prefix("migrations/", &n);
    return migrate_apply(db, files, n, applied, err);
}

iafq_err migrate_list(db_conn *db, PGresult **out, iafq_error *err)
{
    *out = NULL;
    iafq_err rc = db_exec_file(db, "q/migrate_list.sql", 0, NULL, out, err);
    if (rc && !strcmp(db_sqlstate(db), "42P01")) { /* undefined_table */
        iafq_error_clear(err);
        return IAFQ_OK;
    }
    return rc;
}

size_t migrate_pending(const PGresult *list, const sqlfile *files, size_t n)
{
    size_t pending = 0;
    /* by name (migrate_list.sql); a list without it counts all as pending:
     * _apply_one() then checks each version on its own */
    int col = list ? PQfnumber(list, "version") : -1;
    if (col < 0)
        list = NULL;
    for (size_t i = 0; i < n; i++) {
        char version[256];
        if (!sqlfiles_version(files[i].path, version, sizeof version)) {
            pending++;
            continue;
        }
        int found = 0;
        for (int r = 0; list && r < PQntuples(list) && !found; r++)
            found = !strcmp(PQgetvalue(list, r, col), version);
        pending += !found;
    }
    return pending;
}
