/* iafq - main: global options, the command table, exit statuses. */
#include "cli.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmd_help(int argc, char **argv);

static const cli_command main_commands[] = {
    {"check", cmd_check, "validate returns without a database", 0},
    {"template", cmd_template, "write the blank return for focal points", 0},
    {"ingest", cmd_ingest, "load returns into the database", CLI_NEEDS_DB},
    {"aggregate", cmd_aggregate, "compute SDG 16.4.2 and the GS tables",
     CLI_NEEDS_DB},
    {"run", cmd_run, "the nightly job: ingest, aggregate, export",
     CLI_NEEDS_DB},
    {"export", cmd_export, "write the workbook, CSV, portal files, SDMX",
     CLI_NEEDS_DB},
    {"history", cmd_history, "list the submissions received", CLI_NEEDS_DB},
    {"explain", cmd_explain, "where a published figure comes from",
     CLI_NEEDS_DB},
    {"diff", cmd_diff, "what changed between two runs, and why", CLI_NEEDS_DB},
    {"runs", cmd_runs, "the aggregation runs: list, prune", CLI_NEEDS_DB},
    {"db", cmd_db, "the database: init, status, stop, psql", CLI_SUBCOMMANDS},
    {"serve", cmd_serve, "the focal points' web page", CLI_NEEDS_DB},
    {"token", cmd_token, "access tokens of the web page", CLI_NEEDS_DB},
    {"status", cmd_status, "the submission tracker", CLI_NEEDS_DB},
    {"help", cmd_help, "this list, or a command's help: help COMMAND", 0},
};
#define MAIN_NCOMMANDS (sizeof main_commands / sizeof *main_commands)

static int main_usage(FILE *f);

static int main_help(const char *value)
{
    (void)value;
    main_usage(stdout);
    return fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
}

static int main_version(const char *value)
{
    (void)value;
    printf("iafq %s\n", IAFQ_VERSION);
    return fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
}

static int main_verbose(const char *value)
{
    (void)value;
    log_set_verbose(1);
    return CLI_GLOBAL_GO_ON;
}

static int main_quiet(const char *value)
{
    (void)value;
    log_set_verbose(-1); /* no notice, no progress line */
    return CLI_GLOBAL_GO_ON;
}

static int main_db(const char *value)
{
    cli_set_db_option(value);
    return CLI_GLOBAL_GO_ON;
}

/* The global options, before the command: one entry each. */
static const cli_global main_globals[] = {
    {"--db", NULL, "CONNINFO", main_db,
     "the database: a libpq conninfo or URI (see below)"},
    {"--quiet", "-q", NULL, main_quiet,
     "errors and warnings only: no notice, no progress line"},
    {"--verbose", "-v", NULL, main_verbose, "say more on stderr"},
    {"--help", "-h", NULL, main_help, "this help"},
    {"--version", NULL, NULL, main_version, "the version"},
};
#define MAIN_NGLOBALS (sizeof main_globals / sizeof *main_globals)

static int main_usage(FILE *f)
{
    /* the synopsis from the tables, wrapped within 80 columns */
    char line[96];
    int n = snprintf(line, sizeof line, "usage: iafq");
    fputs(line, f);
    for (size_t i = 0; i < MAIN_NGLOBALS; i++) {
        const cli_global *g = &main_globals[i];
        if (g->set == main_help || g->set == main_version)
            continue;
        char one[64];
        int w = snprintf(one, sizeof one, " [%s%s%s]", g->long_name,
                         g->value ? " " : "", g->value ? g->value : "");
        if (n + w > 78) {
            fputs("\n           ", f);
            n = 11;
        }
        fputs(one, f);
        n += w;
    }
    fprintf(f,
            "%sCOMMAND [OPTIONS] [ARGS]\n"
            "       iafq --help | --version | help [COMMAND]\n\n"
            "commands:\n",
            n + 25 > 78 ? "\n           " : " ");
    for (size_t i = 0; i < MAIN_NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", main_commands[i].name,
                main_commands[i].summary);
    fputs("\nglobal options (before the command):\n", f);
    for (size_t i = 0; i < MAIN_NGLOBALS; i++) {
        const cli_global *g = &main_globals[i];
        char names[48];
        snprintf(names, sizeof names, "%s%s%s%s%s",
                 g->short_name ? g->short_name : "", g->short_name ? ", " : "",
                 g->long_name, g->value ? " " : "", g->value ? g->value : "");
        fprintf(f, "  %-20s %s\n", names, g->summary);
    }
    fputs("\nThe database, first rule that applies: --db, IAFQ_DB, the libpq "
          "environment\n(PGHOST, PGHOSTADDR, PGDATABASE, PGSERVICE), iafq's "
          "own cluster in the\nnearest .iafq folder of yours here or in a "
          "parent folder, in $IAFQ_HOME, or\nelse a new one in .iafq here "
          "('iafq help db' tells more).\n",
          f);
    fputs("\n'iafq help COMMAND' or 'iafq COMMAND --help' tells more.  Exit "
          "status: 0 success\n(warnings allowed), 1 a return was rejected, "
          "2 usage error or unreadable input\nor unwritable output or no "
          "database, 3 internal failure.\n",
          f);
    return EXIT_OK;
}

static const cli_command *main_find(const char *name)
{
    for (size_t k = 0; k < MAIN_NCOMMANDS; k++)
        if (!strcmp(main_commands[k].name, name))
            return &main_commands[k];
    return NULL;
}

/* iafq help [COMMAND [SUBCOMMAND]]: the command's --help. */
static int cmd_help(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        main_usage(stdout);
        return EXIT_OK;
    }
    const cli_command *cmd = main_find(argv[1]);
    if (!cmd || cmd->run == cmd_help) {
        if (cmd)
            return main_usage(stdout);
        log_error(NULL, "'iafq help' lists them", "unknown command '%s'",
                  argv[1]);
        return EXIT_USAGE;
    }
    /* COMMAND --help [SUBCOMMAND...] */
    char *args[8];
    int n = 0;
    args[n++] = argv[1];
    args[n++] = "--help";
    for (int i = 2; i < argc && n < 7; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    return cli_run(cmd, n, args);
}

int main(int argc, char **argv)
{
    int i;
    int rc = cli_parse_globals(main_globals, MAIN_NGLOBALS, argc, argv, &i);
    if (rc != CLI_GLOBAL_GO_ON)
        return rc;
    if (i >= argc) {
        main_usage(stderr);
        return EXIT_USAGE;
    }
    const cli_command *cmd = main_find(argv[i]);
    if (!cmd) {
        log_error(NULL, "'iafq help' lists the commands",
                  "unknown command '%s'", argv[i]);
        return EXIT_USAGE;
    }
    return cli_run(cmd, argc - i, argv + i);
}
