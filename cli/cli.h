/*
 * cli.h - what the subcommands share: exit statuses, the limit options, the
 * command table entry.  One source file per subcommand (cmd_*.c); main.c
 * only dispatches.
 */
#ifndef IAFQ_CLI_H
#define IAFQ_CLI_H

#include "limits.h"

#include <getopt.h>

enum {
    EXIT_OK = 0,       /* success, warnings allowed */
    EXIT_REJECTED = 1, /* a return was rejected / a check found errors */
    EXIT_USAGE = 2,    /* usage error, unreadable input path, no database */
    EXIT_INTERNAL = 3, /* internal failure */
};

#define IAFQ_VERSION "0.1.0"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_command;

#include "err.h"

/* Run job(arg, err) in a forked child and return its result; a crash of
 * the child, or an "[ERROR]" line it printed, is an error (libxlsxwriter
 * does not survive running out of memory: see isolate.c). */
iafq_err cli_isolated(iafq_err (*job)(void *arg, iafq_error *err), void *arg,
                      iafq_error *err);

int cmd_check(int argc, char **argv);
int cmd_template(int argc, char **argv);

/* Long options for the input limits, to append to a command's table;
 * option values start at CLI_LIMIT_OPT_BASE. */
#define CLI_LIMIT_OPT_BASE 1000
extern const struct option cli_limit_options[];
extern const char cli_limit_help[];
/* Handle a limit option; 0 when handled, -1 on a bad value (logged). */
int cli_limit_option(int opt, const char *arg, iafq_limits *lim);

#endif
