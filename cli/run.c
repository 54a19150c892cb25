/* Running a command: the database for CLI_NEEDS_DB commands, stdout check. */
#include "cli.h"
#include "log.h"
#include "cluster.h"
#include "migrate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *_db_option;
static db_conn *_db;

void cli_set_db_option(const char *conninfo)
{
    _db_option = conninfo;
}

const char *cli_db_option(void)
{
    return _db_option;
}

static const char *_db_role; /* cli_set_db_role(); NULL: the owner */

void cli_set_db_role(const char *role)
{
    _db_role = role;
}

static int _db_allowed; /* the running command has CLI_NEEDS_DB */
static int _db_rc;      /* exit status of a failed open, 0 before one */

db_conn *cli_db(void)
{
    if (!_db && _db_allowed && _db_rc == EXIT_OK) {
        _db_rc = cli_db_open(&_db);
        if (_db_rc != EXIT_OK)
            _db = NULL;
    }
    return _db;
}

int cli_db_status(void)
{
    return _db_rc != EXIT_OK ? _db_rc : EXIT_INTERNAL;
}

int cli_db_open(db_conn **out)
{
    *out = NULL;
    const char *conninfo = db_choose_conninfo(_db_option);
    iafq_error err = {0};
    db_conn *db = NULL;
    if (db_open(conninfo, &db, &err)) {
        char why[CLUSTER_PATH_MAX + 32] = "";
        iafq_error ignored = {0};
        db_choose(_db_option, NULL, why, sizeof why, &ignored);
        char hint[CLUSTER_PATH_MAX + 200];
        if (conninfo)
            snprintf(hint, sizeof hint,
                     "the database was chosen by %s; check it (libpq "
                     "conninfo or URI; 'iafq help db' tells the order)",
                     why);
        else
            snprintf(hint, sizeof hint,
                     "iafq's own cluster (%s): 'iafq db status' shows where "
                     "it lives; its server.log says more",
                     why);
        log_error(err.msg, hint, "the database cannot be reached");
        return EXIT_NO_DB;
    }
    int applied = 0;
    iafq_err e = migrate_embedded(db, &applied, &err);
    if (e) {
        int rc = cli_db_failed(
            db, e, &err, "the database is left as the last good migration",
            "cannot bring the database schema up to date on '%s'",
            db_masked(db));
        db_close(db);
        return rc;
    }
    if (applied)
        log_info("applied %d migration(s) to '%s'", applied, db_masked(db));
    /* iafq's own cluster: the command's own role, migrated as the owner */
    if (_db_role && db_embedded(db)) {
        db_close(db);
        db = NULL;
        if (db_open_as(NULL, _db_role, &db, &err)) {
            log_error(err.msg,
                      "'iafq db init' creates the roles; 'iafq db status' "
                      "shows the cluster",
                      "cannot connect to iafq's own cluster as %s", _db_role);
            return EXIT_USAGE;
        }
    }
    *out = db;
    return EXIT_OK;
}

/* The causes of a failed database step that lie outside iafq, each with
 * what to do about it. */
enum {
    CAUSE_NONE = -1,
    CAUSE_GONE,
    CAUSE_FULL,
    CAUSE_SHORT,
    CAUSE_LOST,
    CAUSE_RIGHTS
};
static const struct {
    const char *what, *remedy;
} db_causes[] = {
    [CAUSE_GONE] = {"the database cannot be reached",
                    "run the command again once the database is back"},
    [CAUSE_FULL] = {"the database server's disk is full",
                    "free space where the server keeps its data, then run "
                    "the command again"},
    [CAUSE_SHORT] = {"the database server is out of memory, connections or "
                     "another resource",
                     "run the command again once the server has recovered"},
    [CAUSE_LOST] = {"the connection to the database was lost",
                    "run the command again once the database is back"},
    [CAUSE_RIGHTS] = {"the database role lacks the rights this needs",
                      "connect as a role that has them (--db ... user=...)"},
};

static int db_cause_of(db_conn *db, iafq_err e)
{
    if (e != IAFQ_ERR_DB)
        return CAUSE_NONE;
    if (!db)
        return CAUSE_GONE;
    const char *st = db_sqlstate(db);
    if (!strcmp(st, "53100"))
        return CAUSE_FULL;
    if (!strncmp(st, "53", 2))
        return CAUSE_SHORT;
    if (!strncmp(st, "57P0", 4) || !strncmp(st, "08", 2) ||
        PQstatus(db_pg(db)) != CONNECTION_OK)
        return CAUSE_LOST;
    if (!strcmp(st, "42501") || !strncmp(st, "28", 2))
        return CAUSE_RIGHTS;
    return CAUSE_NONE;
}

const char *cli_db_cause(db_conn *db, iafq_err e)
{
    int c = db_cause_of(db, e);
    return c == CAUSE_NONE ? NULL : db_causes[c].what;
}

int cli_db_failed(db_conn *db, iafq_err e, const iafq_error *err,
                  const char *hint, const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    int c = db_cause_of(db, e);
    char because[512];
    if (c != CAUSE_NONE)
        snprintf(because, sizeof because,
                 "%s; nothing of this step was committed: %s",
                 db_causes[c].what, db_causes[c].remedy);
    log_error(err && err->msg[0] ? err->msg : NULL,
              c != CAUSE_NONE ? because : hint, "%s", what);
    return c != CAUSE_NONE    ? EXIT_NO_DB
           : e == IAFQ_ERR_IO ? EXIT_OUTPUT
                              : EXIT_INTERNAL;
}

static int _stdout_reported; /* cli_stdout_failed() logged it once */

int cli_stdout_failed(void)
{
    int errnum = errno;
    if (_stdout_reported++)
        return EXIT_OUTPUT;
    log_error(errnum ? strerror(errnum) : NULL,
              "is the disk full, or the reader of the output gone?",
              "cannot write to standard output");
    return EXIT_OUTPUT;
}

int cli_db_reconnect(void)
{
    db_close(_db);
    _db = NULL;
    _db_rc = cli_db_open(&_db);
    if (_db_rc != EXIT_OK)
        _db = NULL;
    return _db_rc;
}

void cli_db_release(void)
{
    db_close(_db);
    _db = NULL;
}

static int _wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

static int _argc;
static char **_argv;

const char *cli_current_arg(void)
{
    static char opt[3];
    if (_argv && optind > 0 && optind - 1 < _argc &&
        !strncmp(_argv[optind - 1], "--", 2))
        return _argv[optind - 1];
    if (optopt > 0 && optopt < 128) {
        opt[0] = '-';
        opt[1] = (char)optopt;
        return opt;
    }
    return _argv && optind > 0 && optind - 1 < _argc ? _argv[optind - 1] : "?";
}

int cli_run(const cli_command *cmd, int argc, char **argv)
{
    /* "db status": the command as the user typed it, for messages */
    static char path[128];
    size_t plen = strlen(path);
    snprintf(path + plen, sizeof path - plen, "%s%s", plen ? " " : "",
             cmd->name);
    if (!(cmd->flags & (CLI_PASS_ARGS | CLI_SUBCOMMANDS)) &&
        cli_misplaced_global(path, argc, argv) != EXIT_OK) {
        path[plen] = '\0';
        return EXIT_USAGE;
    }
    int saved_argc = _argc;
    char **saved_argv = _argv;
    _argc = argc;
    _argv = argv;
    opterr = 0; /* one message per mistake: ours (cli_getopt) */
    /* The connection is opened by the command's first cli_db(), once its
     * arguments are parsed (a usage error never starts a cluster), and
     * closed here. */
    int allowed = _db_allowed;
    _db_allowed = (cmd->flags & CLI_NEEDS_DB) &&
                  ((cmd->flags & CLI_PASS_ARGS) || !_wants_help(argc, argv));
    _stdout_reported = 0;
    int rc = cmd->run(argc, argv);
    cli_db_release();
    _db_role = NULL;
    _db_allowed = allowed;
    _db_rc = EXIT_OK;
    _argc = saved_argc;
    _argv = saved_argv;
    path[plen] = '\0';
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int out = cli_stdout_failed();
        return rc > out ? rc : out;
    }
    return rc;
}
