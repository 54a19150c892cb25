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

static const char db_help[] =
    "usage: iafq [--db CONNINFO] db init|status|stop|psql [ARGS...]\n\n"
    "  init    create and start iafq's own cluster if need be, and bring the\n"
    "          schema up to date (every command that uses the database does\n"
    "          this on first use)\n"
    "  status  which database, chosen by which rule, whether it runs, the\n"
    "          migrations\n"
    "  stop    stop iafq's own cluster (it is started again on next use)\n"
    "  psql    run psql on iafq's database; the arguments pass through:\n"
    "          iafq db psql -c 'select * from iafq.schema_migrations'\n"
    "          On iafq's own cluster psql connects as iafq_analyst (reads\n"
    "          everything, writes nothing); 'db psql --as ROLE ...' as\n"
    "          another (iafq_loader, iafq_portal, or owner)\n\n"
    "'iafq db SUBCOMMAND --help' (or 'iafq help db SUBCOMMAND') tells more.\n"
    "\n"
    "Which database, first rule that applies:\n"
    "  1. --db CONNINFO (a global option, before the command)\n"
    "  2. IAFQ_DB (libpq conninfo or URI; the PG* variables fill in the rest)\n"
    "  3. the libpq environment when it names a server: PGHOST, PGHOSTADDR,\n"
    "     PGDATABASE or PGSERVICE (as psql and pg_dump)\n"
    "  4. iafq's own cluster in the nearest .iafq folder of yours in the\n"
    "     current folder or a parent (as git finds .git; a .iafq of another\n"
    "     user is ignored; IAFQ_CEILING_DIRECTORIES stops the search)\n"
    "  5. iafq's own cluster in $IAFQ_HOME\n"
    "  6. a new cluster in .iafq in the current folder, made on first use and\n"
    "     announced on stderr\n";

static const char db_init_help[] =
    "usage: iafq [--db CONNINFO] db init\n\n"
    "Create and start iafq's own cluster if need be (announced on stderr when\n"
    "it is new), and bring the schema of the chosen database up to date.\n"
    "Prints the database and its migrations.\n";

static const char db_status_help[] =
    "usage: iafq [--db CONNINFO] db status\n\n"
    "Which database iafq uses and which rule chose it (chosen by: --db,\n"
    "IAFQ_DB, PGHOST/PGDATABASE/PGSERVICE, found .iafq in FOLDER,\n"
    "IAFQ_HOME, new cluster in FOLDER), whether its server runs, and the\n"
    "migrations.  For iafq's own cluster: its home, folders, socket, log.\n"
    "Creates and starts nothing.\n";

static const char db_stop_help[] =
    "usage: iafq db stop\n\n"
    "Stop iafq's own cluster (fast shutdown) if it runs; the next command\n"
    "that needs it starts it again.  Refused when --db, IAFQ_DB or the libpq\n"
    "environment names another database.\n";

static const char db_psql_help[] =
    "usage: iafq [--db CONNINFO] db psql [--as ROLE] [PSQL-ARGS...]\n\n"
    "Run psql on the chosen database; every argument after 'psql' (and\n"
    "--as ROLE) goes to psql, so 'iafq db psql --help' is psql's help.\n"
    "On iafq's own cluster psql connects as iafq_analyst (reads everything,\n"
    "writes nothing); --as iafq_loader, iafq_portal or owner as another.\n";

/* A subcommand that takes no arguments: one message for any. */
static int db_no_args(int argc, char **argv, const char *name)
{
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    optind = 1;
    if (cli_getopt(argc, argv, "", none, name) != -1)
        return EXIT_USAGE; /* CLI_OPT_BAD: logged */
    if (optind < argc)
        return cli_usage(name, "'%s' takes no arguments, not '%s'", name,
                         argv[optind]);
    return EXIT_OK;
}

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
    if (db_no_args(argc, argv, "db init") != EXIT_OK)
        return EXIT_USAGE;
    db_conn *db = cli_db();
    if (!db)
        return cli_db_status();
    printf("database: %s\n", db_masked(db));
    return _print_migrations(db);
}

static int _status_own(const char *why)
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
    printf("database: iafq's own cluster\nchosen by: %s\nhome: %s\n"
           "folder: %s%s\n"
           "data: %s\nsocket: %s\nlog: %s\nserver user: %s\n",
           why, c.home, c.folder,
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
    if (db_no_args(argc, argv, "db status") != EXIT_OK)
        return EXIT_USAGE;
    iafq_error err = {0};
    char why[CLUSTER_PATH_MAX + 32];
    if (db_choose(cli_db_option(), NULL, why, sizeof why, &err)) {
        log_error(err.msg, NULL, "cannot work out which database to use");
        return EXIT_USAGE;
    }
    const char *conninfo = db_choose_conninfo(cli_db_option());
    if (!conninfo)
        return _status_own(why);
    db_conn *db = NULL;
    if (db_open(conninfo, &db, &err)) {
        log_error(err.msg, NULL, "the database chosen by %s cannot be reached",
                  why);
        return EXIT_NO_DB;
    }
    printf("database: %s\nchosen by: %s\nserver: reachable (PostgreSQL "
           "%d)\n",
           db_masked(db), why, PQserverVersion(db_pg(db)));
    int rc = _print_migrations(db);
    db_close(db);
    return rc;
}

static int _stop(int argc, char **argv)
{
    (void)argv;
    if (db_no_args(argc, argv, "db stop") != EXIT_OK)
        return EXIT_USAGE;
    if (db_choose_conninfo(cli_db_option())) {
        log_error("--db, IAFQ_DB or the libpq environment (PGHOST, "
                  "PGDATABASE, PGSERVICE) names a database that iafq does "
                  "not run",
                  "unset them to stop iafq's own cluster",
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

static const struct {
    cli_command cmd;
    const char *help;
} db_subcommands[] = {
    {{"init", _init, "create, start and migrate", CLI_NEEDS_DB}, db_init_help},
    {{"status", _status, "where it is, whether it runs", 0}, db_status_help},
    {{"stop", _stop, "stop iafq's own cluster", 0}, db_stop_help},
    {{"psql", _psql, "psql on iafq's database", CLI_NEEDS_DB | CLI_PASS_ARGS},
     db_psql_help},
};
#define DB_NSUB (sizeof db_subcommands / sizeof *db_subcommands)

static int db_is_help(const char *arg)
{
    return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

static int db_print(const char *text)
{
    return fputs(text, stdout) < 0 ? cli_stdout_failed() : EXIT_OK;
}

int cmd_db(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("db", "'db' needs a subcommand: init, status, stop "
                               "or psql");
    /* db --help [SUBCOMMAND] (what 'iafq help db SUBCOMMAND' runs) */
    if (db_is_help(argv[1])) {
        for (size_t k = 0; argc > 2 && k < DB_NSUB; k++)
            if (!strcmp(db_subcommands[k].cmd.name, argv[2]))
                return db_print(db_subcommands[k].help);
        if (argc > 2)
            return cli_usage("db", "unknown subcommand 'db %s'", argv[2]);
        return db_print(db_help);
    }
    for (size_t k = 0; k < DB_NSUB; k++) {
        const cli_command *sub = &db_subcommands[k].cmd;
        if (strcmp(sub->name, argv[1]))
            continue;
        /* db SUBCOMMAND ... --help: ours, except psql's (psql's own) */
        for (int i = 2;
             !(sub->flags & CLI_PASS_ARGS) && i < argc && strcmp(argv[i], "--");
             i++)
            if (db_is_help(argv[i]))
                return db_print(db_subcommands[k].help);
        return cli_run(sub, argc - 1, argv + 1);
    }
    if (argv[1][0] == '-')
        return cli_misplaced_global("db", argc, argv) != EXIT_OK
                   ? EXIT_USAGE
                   : cli_usage("db", "unknown option '%s'", argv[1]);
    return cli_usage("db", "unknown subcommand 'db %s'", argv[1]);
}
