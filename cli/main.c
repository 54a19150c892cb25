/* iafq - main: global options, the command table, exit statuses. */
#include "cli.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_command _commands[] = {
    {"check", cmd_check, "validate returns without a database"},
    {"template", cmd_template, "write the blank return for focal points"},
};

/* Commands of the roadmap that this version does not have yet. */
static const char *const _planned[] = {"ingest", "aggregate", "export",
                                       "run",    "history",   "db"};

static void _usage(FILE *f)
{
    fprintf(f, "usage: iafq [--verbose] COMMAND [OPTIONS] [ARGS]\n"
               "       iafq --help | --version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof _commands / sizeof *_commands; i++)
        fprintf(f, "  %-10s %s\n", _commands[i].name, _commands[i].summary);
    fprintf(f, "\n'iafq COMMAND --help' tells more.  Exit status: 0 success "
               "(warnings allowed), 1 a return was\nrejected, 2 usage error "
               "or unreadable input or unwritable output, 3 internal\n"
               "failure.\n");
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
        if (strcmp(_commands[k].name, name) != 0)
            continue;
        int rc = _commands[k].run(argc - i, argv + i);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            log_error(NULL, NULL, "cannot write to standard output");
            return rc > EXIT_USAGE ? rc : EXIT_USAGE; /* unwritable output */
        }
        return rc;
    }
    for (size_t k = 0; k < sizeof _planned / sizeof *_planned; k++)
        if (!strcmp(_planned[k], name)) {
            log_error("this version has the offline commands: check, template",
                      "the database stage (ingest, aggregate, export, run, "
                      "history, db) is on the roadmap",
                      "'%s' is not part of this version yet", name);
            return EXIT_USAGE;
        }
    log_error(NULL, "see 'iafq --help'", "unknown command '%s'", name);
    return EXIT_USAGE;
}
