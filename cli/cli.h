/*
 * cli.h - what the subcommands share: exit statuses, the limit options, the
 * command table entry.  One source file per subcommand (cmd_*.c); main.c
 * only dispatches.
 */
#ifndef IAFQ_CLI_H
#define IAFQ_CLI_H

#include "agg.h"
#include "db.h"
#include "iafq_limits.h"
#include "load.h"

#include <cjson/cJSON.h>

#include <getopt.h>

/* Exit statuses (IAFQ-SPEC section 7: 0 success, 1 rejected, 2 usage
 * error, unreadable input or database unreachable, 3 internal).  Status 2
 * has several causes; each has its own name so that the code says which
 * one it means, and all of them are 2, as the spec and README promise. */
enum {
    EXIT_OK = 0,       /* success, warnings allowed */
    EXIT_REJECTED = 1, /* a return was rejected / a check found errors */
    EXIT_USAGE = 2,    /* a bad command line */
    EXIT_INPUT = 2,    /* an input path cannot be read */
    EXIT_OUTPUT = 2,   /* an output cannot be written: full disk, read-only
                          or missing folder, closed standard output */
    EXIT_NO_DB = 2,    /* the database cannot be reached, the connection
                          was lost, its disk is full, the role lacks the
                          rights (cli_db_failed) */
    EXIT_INTERNAL = 3, /* internal failure */
};

#define IAFQ_VERSION "0.1.0"

/* Command flags (git's RUN_SETUP idea). */
enum {
    /* main opens the database (and applies pending migrations) before the
     * command runs, refusing early when it cannot; the command gets the
     * connection from cli_db(). */
    CLI_NEEDS_DB = 1 << 0,
    /* the arguments belong to another program (psql): --help is not ours */
    CLI_PASS_ARGS = 1 << 1,
    /* the first argument is a subcommand, run by cli_run() in turn (whose
     * arguments are checked there) */
    CLI_SUBCOMMANDS = 1 << 2,
};

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    unsigned flags; /* CLI_* */
} cli_command;

/* A global option, given before the command (main.c's table): adding one
 * is one entry there.  long_name "--db", short_name "-v" or NULL, value
 * the name of its value ("CONNINFO") or NULL for a flag; set() is called
 * with the value (NULL for a flag) and returns CLI_GLOBAL_GO_ON, or an
 * exit status to end with at once (--help, --version). */
#define CLI_GLOBAL_GO_ON (-1)
typedef struct {
    const char *long_name, *short_name, *value;
    int (*set)(const char *value);
    const char *summary; /* for 'iafq --help' */
} cli_global;
/* Parse the global options at argv[1..]: CLI_GLOBAL_GO_ON with *next the
 * index of the command (argc when there is none), or the exit status to
 * end with (a mistake is logged, one line).  Remembers the table for the
 * messages below. */
int cli_parse_globals(const cli_global *globals, size_t n, int argc,
                      char **argv, int *next);
/* Log "--db is a global option: put it before the command (iafq --db
 * CONNINFO history ...)" for name ("--db", "--db=x", "-v"). */
void cli_global_misplaced(const char *command, const char *name);
/* A global option that takes a value (--db) among a command's arguments
 * (before "--"): logged as above, EXIT_USAGE; else EXIT_OK.  cli_run()
 * calls it for every command that does not pass its arguments on. */
int cli_misplaced_global(const char *command, int argc, char **argv);

/* One message per mistake on a command line.  cli_getopt() is
 * getopt_long(argc, argv, shortopts, longopts, NULL) with getopt's own
 * messages off: a mistake is logged here as one line with the hint "see
 * 'iafq COMMAND --help'" ("unknown option '--x'", "option '--format'
 * needs a value", "option '--strict' takes no value", "option '--f' is
 * ambiguous", "-v is a global option: put it before the command ...") and
 * returned as CLI_OPT_BAD, on which the command returns EXIT_USAGE
 * (cli_other_option() does so without a second message).  Set optind = 1
 * before the first call, as for getopt_long. */
#define CLI_OPT_BAD (-2)
int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts, const char *command);
/* The argument getopt_long just refused in the running command ("--x",
 * "-x"), for messages.  Static storage. */
const char *cli_current_arg(void);
/* Log a usage mistake fmt... with the hint "see 'iafq COMMAND --help'";
 * returns EXIT_USAGE. */
int cli_usage(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Run cmd with its arguments (argv[0] is its name): opens the database
 * first when cmd->flags has CLI_NEEDS_DB (not for --help), closes it after,
 * checks that stdout was written.  Returns the exit status. */
int cli_run(const cli_command *cmd, int argc, char **argv);

/* The global option --db CONNINFO (NULL when not given); set by main. */
void cli_set_db_option(const char *conninfo);
const char *cli_db_option(void);
/* The connection of a CLI_NEEDS_DB command, opened (and migrated) on the
 * first call, after the command has parsed its arguments; NULL when it
 * cannot be opened (logged: then return cli_db_status()) or the command
 * does not need the database. */
db_conn *cli_db(void);
/* The role the running command's connection uses on iafq's OWN cluster
 * (docs/disclosure.md): after migrating as the owner, cli_db_open()
 * connects again as this role (trusted socket, no password).  NULL (the
 * default, and again after each command): the owner.  Call before the
 * first cli_db().  With --db / IAFQ_DB the conninfo's user is kept. */
void cli_set_db_role(const char *role);
#define CLI_LOADER_ROLE "iafq_loader"   /* ingest, aggregate, run */
#define CLI_ANALYST_ROLE "iafq_analyst" /* history, export, db psql */
/* The exit status after cli_db() returned NULL (EXIT_NO_DB: unreachable). */
int cli_db_status(void);
/* Close that connection now (before exec); cli_db() is NULL after. */
void cli_db_release(void);
/* Open --db / IAFQ_DB / iafq's own cluster and apply pending migrations;
 * on failure logs the error (masked conninfo, hint) and returns the exit
 * status (EXIT_NO_DB when the database cannot be reached or is lost while
 * migrating). */
int cli_db_open(db_conn **out);

/* Why a database step failed, when the cause lies outside iafq: the
 * connection of db was lost (the server stopped or was killed, the network
 * failed), the server is out of disk space or another resource (SQLSTATE
 * class 53), is shutting down (57P0x), or the role lacks the rights
 * (42501, class 28).  A sentence for the log, or NULL for any other failure
 * (a bug: EXIT_INTERNAL).  db may be NULL. */
const char *cli_db_cause(db_conn *db, iafq_err e);
/* Log a failed database step (the error line from fmt, err's message as
 * detail, the cause and what to do as hint; hint, when not NULL, is used
 * for failures without an outside cause) and return its exit status:
 * EXIT_NO_DB when cli_db_cause() names a cause, EXIT_OUTPUT for
 * IAFQ_ERR_IO, else EXIT_INTERNAL. */
int cli_db_failed(db_conn *db, iafq_err e, const iafq_error *err,
                  const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Log that standard output cannot be written (errno's reason: call it
 * right after the failed write), once per command, and return EXIT_OUTPUT.
 * cli_run() calls it when stdout's final flush fails. */
int cli_stdout_failed(void);

/* Close the connection and open it again (after a lost connection);
 * the exit status of cli_db_open(). */
int cli_db_reconnect(void);

/* Catch SIGINT, SIGTERM and SIGHUP unless ignored (common/interrupt.h)
 * and cancel db's running query when one comes (db may be NULL: none);
 * call again after the connection changed. */
void cli_interrupt_db(db_conn *db);

/* The returns that args[0..n) name (`ingest`, `run`): a file as it is; a
 * folder holding table CSV files (COVER.csv, T1.csv ..., any case) as one
 * return; any other folder as every return in it, by name (byte order):
 * its files and its CSV-return folders, hidden entries (".x") skipped,
 * other folders skipped with a notice (not searched further).  A path that
 * cannot be read is kept as it is (its ingest reports why).  *out (caller
 * frees with cli_inputs_free) may be empty.  EXIT_OK or EXIT_INTERNAL. */
int cli_inputs(char **args, int n, char ***out, int *nout);
void cli_inputs_free(char **v, int n);

/* Ingesting files, shared by `ingest` and `run`. */
enum {
    CLI_INGEST_ACCEPTED,
    CLI_INGEST_REJECTED,
    CLI_INGEST_UNCHANGED,
    CLI_INGEST_FAILED
};
typedef struct {
    int accepted, rejected, unchanged, failed; /* files */
} cli_ingest_counts;
/* Load files[0..n) one transaction each through cli_db(); a failed file
 * is logged and the others go on (reconnecting when the connection was
 * lost).  Text results go to stdout unless json; with out_json, a JSON
 * array of per-file objects is built there instead (caller frees).
 * Returns the exit status (worst of the files): 1 only for a return
 * rejected now; an unchanged file (already loaded, rejected or not) counts
 * as 0. */
int cli_ingest_files(char **files, int n, const load_opts *lo, int json,
                     cli_ingest_counts *counts, cJSON **out_json);

/* Run job(arg, err) in a forked child and return its result; a crash of
 * the child, or an "[ERROR]" line it printed, is an error (libxlsxwriter
 * does not survive running out of memory: see isolate.c). */
iafq_err cli_isolated(iafq_err (*job)(void *arg, iafq_error *err), void *arg,
                      iafq_error *err);

int cmd_check(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* Print the outcome of an aggregation (text or JSON); exit status. */
int cli_print_agg(const agg_info *a, int json);

int cmd_export(int argc, char **argv);

/* Exports (cmd_export.c); what an export is lives in export/plan.h. */
#define CLI_PORTAL_ROLE "iafq_portal"
/* Log an export's failure (err from export/plan.h) with the hint its code
 * calls for; the exit status (2: no run, unwritable, full disk, lost
 * connection). */
int cli_export_failed(const char *dir, iafq_err rc, const iafq_error *err);

int cmd_template(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_runs(int argc, char **argv);

/* Long options for the input limits, to append to a command's table;
 * option values start at CLI_LIMIT_OPT_BASE. */
#define CLI_LIMIT_OPT_BASE 1000
extern const struct option cli_limit_options[];
extern const char cli_limit_help[];
/* Handle a limit option; 0 when handled, -1 on a bad value (logged). */
int cli_limit_option(int opt, const char *arg, iafq_limits *lim);
/* A command's own options own[0..n) followed by the limit options and the
 * terminator, into out (cap entries).  0, or -1 when out is too small. */
int cli_options_with_limits(const struct option *own, size_t n,
                            struct option *out, size_t cap);
/* getopt's answer that is none of the command's own options: a limit
 * option (EXIT_OK when its value is good), else a usage error: CLI_OPT_BAD
 * (cli_getopt logged it) silently, getopt_long's '?' or ':' logged in one
 * line naming the argument (cli_run turns getopt's own message off), and
 * `iafq COMMAND --help` as hint.  Returns the exit status. */
int cli_other_option(int opt, const char *arg, iafq_limits *lim,
                     const char *command);
/* --format's value: 0 text, 1 json, -1 anything else (logged). */
int cli_format_option(const char *arg);

#endif
