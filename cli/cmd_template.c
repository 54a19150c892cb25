/* iafq template - write the blank return for focal points. */
#include "cli.h"
#include "log.h"
#include "template.h"

#include <stdio.h>
#include <string.h>

static const char _help[] =
    "usage: iafq template -o FILE.xlsx\n\n"
    "Write the blank IAFQ return: a COVER sheet and one sheet per table with\n"
    "every row code and label, drop-down lists on coded cells, whole-number\n"
    "checks on counts, and an Instructions sheet.\n";

int cmd_template(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "o:h", opts, "template")) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'h':
            fputs(_help, stdout);
            return EXIT_OK;
        default:
            return EXIT_USAGE; /* CLI_OPT_BAD: logged */
        }
    }
    if (optind != argc)
        return cli_usage("template", "unexpected argument '%s'", argv[optind]);
    if (!out)
        return cli_usage("template", "give the output file with -o FILE.xlsx");
    iafq_error err = {0};
    if (template_write(out, &err)) {
        log_error(err.msg, "check that the folder exists and is writable",
                  "cannot write the template '%s'", out);
        return err.code == IAFQ_ERR_IO ? EXIT_OUTPUT : EXIT_INTERNAL;
    }
    log_info("template written to '%s'", out);
    return EXIT_OK;
}
