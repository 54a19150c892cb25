/* iafq - main: global options, the command table, exit statuses. */
#include "cli.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_command _commands[] = {
    {"check", cmd_check, "validate returns without a database", 0},
    {"template", cmd_template, "write the blank return for focal points", 0},
    {"ingest", cmd_ingest, "load returns into the database", CLI_NEEDS_DB},
    {"aggregate", cmd_aggregate, "compute SDG 16.4.2 and the GS tables",
     CLI_NEEDS_DB},
    {"run", cmd_run, "the nightly job: ingest, aggregate, export",
     CLI_NEEDS_DB},
    {"export", cmd_export, "write the workbook, CSV, portal files, SDMX",
     CLI_NEEDS_DB},
    {"history", cmd_history, "list the submissions of a country", CLI_NEEDS_DB},
    {"db", cmd_db, "the database: init, status, stop, psql", 0},
    {"serve", cmd_serve, "the focal points' web page", CLI_NEEDS_DB},
    {"token", cmd_token, "access tokens of the web page", CLI_NEEDS_DB},
    {"status", cmd_status, "the submission tracker", CLI_NEEDS_DB},
};

static void _usage(FILE *f)
{
    fprintf(f, "usage: iafq [--verbose] [--db CONNINFO] COMMAND [OPTIONS] "
               "[ARGS]\n"
               "       iafq --help | --version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof _commands / sizeof *_commands; i++)
        fprintf(f, "  %-10s %s\n", _commands[i].name, _commands[i].summary);
    fprintf(f, "\n--db CONNINFO (or IAFQ_DB): a libpq conninfo or URI; without "
               "either, iafq runs\nits own PostgreSQL under .iafq/ (or "
               "$IAFQ_HOME).\n");
    fprintf(f, "\n'iafq COMMAND --help' tells more.  Exit status: 0 success "
               "(warnings allowed), 1 a return was\nrejected, 2 usage error "
               "or unreadable input or unwritable output or no\ndatabase, "
               "3 internal failure.\n");
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            _usage(stdout);
            return fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
        } else if (!strcmp(argv[i], "--version")) {
            printf("iafq %s\n", IAFQ_VERSION);
            return fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
        } else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
            log_set_verbose(1);
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            cli_set_db_option(argv[++i]);
        } else if (!strncmp(argv[i], "--db=", 5)) {
            cli_set_db_option(argv[i] + 5);
        } else {
            log_error(NULL, "see 'iafq --help'", "unknown option '%s'",
                      argv[i]);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        _usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[i];
    for (size_t k = 0; k < sizeof _commands / sizeof *_commands; k++) {
        if (!strcmp(_commands[k].name, name))
            return cli_run(&_commands[k], argc - i, argv + i);
    }
    log_error(NULL, "see 'iafq --help'", "unknown command '%s'", name);
    return EXIT_USAGE;
}
