/* iafq aggregate - SDG 16.4.2 and the Global Study tables, in SQL. */
#include "agg.h"
#include "cli.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static const char _help[] =
    "usage: iafq [--db CONNINFO] aggregate [--format text|json]\n\n"
    "Compute SDG indicator 16.4.2 and the Global Study tables GS1-GS9 from\n"
    "the newest accepted return of each country-year, per country and per\n"
    "M49 region, sub-region, SDG region and world, in one transaction: the\n"
    "views iafq.sdg_16_4_2, iafq.gs1 ... iafq.gs9 (and iafq_public.*) show\n"
    "the new run once it is complete, never half of it.\n\n"
    "  --format text|json  output format on stdout (default text)\n";

int cli_print_agg(const agg_info *a, int json)
{
    int n = json ? printf("{\"run\": %lld, \"started\": \"%s\", \"finished\": "
                          "\"%s\", \"submissions\": %lld}\n",
                          a->run, a->started, a->finished, a->submissions)
                 : printf("aggregate: run %lld over %lld submission(s), "
                          "started %s, finished %s\n",
                          a->run, a->submissions, a->started, a->finished);
    return n < 0 ? cli_stdout_failed() : EXIT_OK;
}

int cmd_aggregate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "aggregate")) != -1) {
        switch (c) {
        case 'f':
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case 'h':
            return fputs(_help, stdout) < 0 ? cli_stdout_failed() : EXIT_OK;
        default:
            return EXIT_USAGE; /* CLI_OPT_BAD: logged */
        }
    }
    if (optind < argc)
        return cli_usage("aggregate", "unexpected argument '%s'", argv[optind]);
    cli_set_db_role(CLI_LOADER_ROLE); /* or the owner; never the analyst */
    if (!cli_db())
        return cli_db_status();
    agg_info a;
    iafq_error err = {0};
    iafq_err e = agg_run(cli_db(), &a, &err);
    if (e)
        return cli_db_failed(cli_db(), e, &err,
                             "the previous aggregation stays in place",
                             "the aggregation failed");
    return cli_print_agg(&a, json);
}
