/* iafq db init|status|stop|psql - the database itself. */
#include "cli.h"
#include "cluster.h"
#include "log.h"
#include "migrate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char _help[] =
    "usage: iafq [--db CONNINFO] db init|status|stop|psql [PSQL-ARGS...]\n\n"
    "  init    create and start iafq's own cluster if need be, and bring the\n"
    "          schema up to date (every command that uses the database does\n"
    "          this on first use)\n"
    "  status  where the database is, whether it runs, the migrations\n"
    "  stop    stop iafq's own cluster (it is started again on next use)\n"
    "  psql    run psql on iafq's database; the arguments pass through:\n"
    "          iafq db psql -c 'select * from iafq.schema_migrations'\n"
    "          On iafq's own cluster psql connects as iafq_analyst (reads\n"
    "          everything, writes nothing); 'db psql --as ROLE ...' as\n"
    "          another (iafq_loader, iafq_portal, or owner)\n\n"
    "The database: --db CONNINFO, else IAFQ_DB (libpq conninfo or URI; the\n"
    "PG* variables fill in the rest), else iafq's own PostgreSQL 15 under\n"
    ".iafq/ in the current folder, or $IAFQ_HOME.\n";

/* "N recorded, M pending" and one line per recorded migration. */
static int _print_migrations(db_conn *db)
{
    iafq_error err = {0};
    PGresult *list = NULL;
    iafq_err e = migrate_list(db, &list, &err);
    static const char *const cols[] = {"version", "applied_at"};
    int c[2];
    if (!e && list)
        e = db_cols(list, "sql/q/migrate_list.sql", cols, c, 2, &err);
    if (e) {
        PQclear(list);
        return cli_db_failed(db, e, &err, NULL, "cannot list the migrations");
    }
    size_t n;
    const sqlfile *files = sqlfiles_prefix("migrations/", &n);
    int ok =
        printf("migrations: %d recorded, %zu pending\n",
               list ? PQntuples(list) : 0, migrate_pending(list, files, n)) > 0;
    for (int r = 0; ok && list && r < PQntuples(list); r++)
        ok = printf("  %s  %s\n", PQgetvalue(list, r, c[0]),
                    PQgetvalue(list, r, c[1])) > 0;
    PQclear(list);
    return ok ? EXIT_OK : cli_stdout_failed();
}

static int _init(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        log_error(NULL, "see 'iafq db --help'", "'db init' takes no arguments");
        return EXIT_USAGE;
    }
    db_conn *db = cli_db();
    if (!db)
        return cli_db_status();
    printf("database: %s\n", db_masked(db));
    return _print_migrations(db);
}

static int _status_own(void)
{
    cluster c;
    iafq_error err = {0};
    if (cluster_locate(&c, &err)) {
        log_error(err.msg, NULL, "cannot locate iafq's own cluster");
        return EXIT_USAGE;
    }
    char ci[3 * CLUSTER_PATH_MAX];
    if (cluster_conninfo(&c, CLUSTER_DBNAME, ci, sizeof ci) != 0) {
        log_error(NULL, NULL, "the path '%s' is too long", c.sockdir);
        return EXIT_USAGE;
    }
    int running = cluster_running(&c);
    printf("database: iafq's own cluster\nhome: %s\nfolder: %s%s\n"
           "data: %s\nsocket: %s\nlog: %s\nserver user: %s\n",
           c.home, c.folder,
           c.relocated ? " (outside home: see 'pg' link)" : "", c.data,
           c.sockdir, c.log, c.user);
    if (running)
        printf("server: running (pid %ld)\n", cluster_pid(&c));
    else
        printf("server: %s\n", cluster_exists(&c) ? "stopped" : "not created");
    printf("conninfo: %s\n", ci);
    if (!running) {
        printf("migrations: unknown while the server is stopped\n");
        return EXIT_OK;
    }
    db_conn *db = NULL;
    if (db_open(ci, &db, &err)) {
        printf("migrations: unknown (%s)\n", err.msg);
        return EXIT_OK;
    }
    int rc = _print_migrations(db);
    db_close(db);
    return rc;
}

static int _status(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        log_error(NULL, "see 'iafq db --help'",
                  "'db status' takes no arguments");
        return EXIT_USAGE;
    }
    const char *conninfo = db_choose_conninfo(cli_db_option());
    if (!conninfo)
        return _status_own();
    iafq_error err = {0};
    db_conn *db = NULL;
    if (db_open(conninfo, &db, &err)) {
        log_error(err.msg, "check --db or IAFQ_DB",
                  "the database cannot be reached");
        return EXIT_NO_DB;
    }
    printf("database: %s\nserver: reachable (PostgreSQL %d)\n", db_masked(db),
           PQserverVersion(db_pg(db)));
    int rc = _print_migrations(db);
    db_close(db);
    return rc;
}

static int _stop(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        log_error(NULL, "see 'iafq db --help'", "'db stop' takes no arguments");
        return EXIT_USAGE;
    }
    if (db_choose_conninfo(cli_db_option())) {
        log_error("--db or IAFQ_DB names a database that iafq does not run",
                  "unset both to stop iafq's own cluster",
                  "'db stop' stops only iafq's own cluster");
        return EXIT_USAGE;
    }
    cluster c;
    iafq_error err = {0};
    int was = 0;
    if (cluster_locate(&c, &err) || cluster_stop(&c, &was, &err)) {
        log_error(err.msg, NULL, "cannot stop iafq's own cluster");
        return EXIT_INTERNAL;
    }
    printf("%s\n", was ? "stopped" : "not running");
    return EXIT_OK;
}

/* A conninfo without the password (which goes to psql via PGPASSWORD,
 * not its command line, where other users could read it). */
static int _client_conninfo(PGconn *pg, char *buf, size_t cap)
{
    PQconninfoOption *opts = PQconninfo(pg);
    if (!opts)
        return -1;
    size_t len = 0;
    int rc = 0;
    buf[0] = '\0';
    for (PQconninfoOption *o = opts; o->keyword && !rc; o++) {
        if (!o->val || !*o->val || strchr(o->dispchar, 'D') ||
            !strcmp(o->keyword, "client_encoding") ||
            !strcmp(o->keyword, "fallback_application_name"))
            continue;
        if (strchr(o->dispchar, '*')) {
            if (setenv("PGPASSWORD", o->val, 1) != 0)
                rc = -1;
            continue;
        }
        int n = snprintf(buf + len, cap - len, "%s%s='", len ? " " : "",
                         o->keyword);
        if (n < 0 || (size_t)n >= cap - len) {
            rc = -1;
            break;
        }
        len += (size_t)n;
        for (const char *v = o->val; *v && !rc; v++) {
            if (len + 3 >= cap)
                rc = -1;
            else {
                if (*v == '\'' || *v == '\\')
                    buf[len++] = '\\';
                buf[len++] = *v;
            }
        }
        if (rc || len + 2 > cap) {
            rc = -1;
            break;
        }
        buf[len++] = '\'';
        buf[len] = '\0';
    }
    PQconninfoFree(opts);
    return rc;
}

static int _psql(int argc, char **argv)
{
    /* iafq's own cluster: as the analyst (reads, writes nothing) unless
     * --as names another role ("owner": the owner, who may do anything) */
    const char *role = CLI_ANALYST_ROLE;
    if (argc > 2 && !strcmp(argv[1], "--as")) {
        role = strcmp(argv[2], "owner") ? argv[2] : NULL;
        argc -= 2;
        argv += 2;
    }
    cli_set_db_role(role);
    db_conn *db = cli_db();
    if (!db)
        return cli_db_status();
    char conninfo[8192];
    char prog[CLUSTER_PATH_MAX] = "psql";
    cluster c;
    if (db_embedded(db) && cluster_locate(&c, NULL) == IAFQ_OK &&
        snprintf(prog, sizeof prog, "%s/psql", c.bindir) < (int)sizeof prog &&
        access(prog, X_OK) != 0)
        snprintf(prog, sizeof prog, "psql");
    char **args = calloc((size_t)argc + 4, sizeof *args);
    if (!args) {
        log_error(NULL, NULL, "out of memory");
        return EXIT_INTERNAL;
    }
    int k = 0;
    args[k++] = prog;
    if (db) {
        if (_client_conninfo(db_pg(db), conninfo, sizeof conninfo) != 0) {
            log_error(NULL, NULL, "the connection string is too long");
            free(args);
            return EXIT_INTERNAL;
        }
        args[k++] = "-d";
        args[k++] = conninfo;
    }
    for (int i = 1; i < argc; i++)
        args[k++] = argv[i];
    args[k] = NULL;
    /* psql takes over: close our connection, flush what we wrote. */
    cli_db_release();
    if (fflush(stdout) != 0) {
        free(args);
        return EXIT_INTERNAL;
    }
    execvp(prog, args);
    log_error(strerror(errno), "install the postgresql-client-15 package",
              "cannot run '%s'", prog);
    free(args);
    return EXIT_INTERNAL;
}

static const cli_command _subcommands[] = {
    {"init", _init, "create, start and migrate", CLI_NEEDS_DB},
    {"status", _status, "where it is, whether it runs", 0},
    {"stop", _stop, "stop iafq's own cluster", 0},
    {"psql", _psql, "psql on iafq's database", CLI_NEEDS_DB | CLI_PASS_ARGS},
};

int cmd_db(int argc, char **argv)
{
    if (argc < 2) {
        log_error(NULL, "see 'iafq db --help'", "'db' needs a subcommand");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(_help, stdout);
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof _subcommands / sizeof *_subcommands; k++)
        if (!strcmp(_subcommands[k].name, argv[1]))
            return cli_run(&_subcommands[k], argc - 1, argv + 1);
    log_error(NULL, "see 'iafq db --help'", "unknown subcommand 'db %s'",
              argv[1]);
    return EXIT_USAGE;
}
