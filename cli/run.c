/* Running a command: the database for CLI_NEEDS_DB commands, stdout check. */
#include "cli.h"
#include "log.h"
#include "migrate.h"

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
        log_error(err.msg,
                  conninfo ? "check --db or IAFQ_DB (libpq conninfo or URI); "
                             "leave both unset to use iafq's own cluster"
                           : "'iafq db status' shows where iafq's own "
                             "cluster lives; its server.log says more",
                  "the database cannot be reached");
        return EXIT_USAGE;
    }
    int applied = 0;
    if (migrate_embedded(db, &applied, &err)) {
        log_error(err.msg, "the database is left as the last good migration",
                  "cannot bring the database schema up to date on '%s'",
                  db_masked(db));
        db_close(db);
        return EXIT_INTERNAL;
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

int cli_run(const cli_command *cmd, int argc, char **argv)
{
    /* The connection is opened by the command's first cli_db(), once its
     * arguments are parsed (a usage error never starts a cluster), and
     * closed here. */
    int allowed = _db_allowed;
    _db_allowed = (cmd->flags & CLI_NEEDS_DB) &&
                  ((cmd->flags & CLI_PASS_ARGS) || !_wants_help(argc, argv));
    int rc = cmd->run(argc, argv);
    cli_db_release();
    _db_role = NULL;
    _db_allowed = allowed;
    _db_rc = EXIT_OK;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        log_error(NULL, NULL, "cannot write to standard output");
        return rc > EXIT_USAGE ? rc : EXIT_USAGE; /* unwritable output */
    }
    return rc;
}
