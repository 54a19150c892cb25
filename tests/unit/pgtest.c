#include "pgtest.h"

#include "db.h"
#include "migrate.h"
#include "testutil.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char _admin[1024];
static char _own_dir[256];
static char _ci[2048];

static void _stop_own(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh '%s' stop '%s' && rm -rf '%s'",
             tu_src("tests/pgtmp.sh"), _own_dir, _own_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "pgtest: could not stop %s\n", _own_dir);
}

const char *pt_admin(void)
{
    if (_admin[0])
        return _admin;
    const char *env = getenv("IAFQ_TEST_PG");
    if (env && *env) {
        snprintf(_admin, sizeof _admin, "%s", env);
        return _admin;
    }
    snprintf(_own_dir, sizeof _own_dir, "/tmp/iafq-pgtest-%ld", (long)getpid());
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh '%s' start '%s'", tu_src("tests/pgtmp.sh"),
             _own_dir);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(_admin, sizeof _admin, p)) {
        if (p)
            pclose(p);
        fprintf(stderr, "pgtest: cannot start a PostgreSQL cluster\n");
        _admin[0] = '\0';
        return NULL;
    }
    if (pclose(p) != 0) {
        _admin[0] = '\0';
        return NULL;
    }
    _admin[strcspn(_admin, "\n")] = '\0';
    atexit(_stop_own);
    return _admin;
}

/* The admin conninfo with dbname and user replaced (they come last in
 * what pgtmp.sh prints, and libpq takes the last of a repeated key). */
const char *pt_conninfo_as(const char *name, const char *user)
{
    const char *a = pt_admin();
    if (!a)
        return NULL;
    snprintf(_ci, sizeof _ci, "%s dbname=%s user=%s", a, name, user);
    return _ci;
}

const char *pt_fresh_db(const char *name)
{
    const char *a = pt_admin();
    if (!a)
        return NULL;
    PGconn *c = PQconnectdb(a);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "pgtest: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    char sql[512];
    int ok = 1;
    /* no NOTICE "database ... does not exist, skipping" on the log */
    const char *steps[3] = {"SET client_min_messages = warning",
                            "DROP DATABASE IF EXISTS %s WITH (FORCE)",
                            "CREATE DATABASE %s"};
    for (int i = 0; i < 3 && ok; i++) {
        snprintf(sql, sizeof sql, steps[i], name);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            fprintf(stderr, "pgtest: %s", PQerrorMessage(c));
            ok = 0;
        }
        PQclear(r);
    }
    PQfinish(c);
    if (!ok)
        return NULL;
    const char *ci = pt_conninfo_as(name, "postgres");
    db_conn *db = NULL;
    iafq_error err = {0};
    if (db_open(ci, &db, &err) || migrate_embedded(db, NULL, &err)) {
        fprintf(stderr, "pgtest: %s\n", err.msg);
        db_close(db);
        return NULL;
    }
    db_close(db);
    return pt_conninfo_as(name, "postgres");
}
