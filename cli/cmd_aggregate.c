/* iafq aggregate - SDG 16.4.2 and the Global Study tables, in SQL. */
#include "agg.h"
#include "cli.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static const char help_text[] =
    "usage: iafq [--db CONNINFO] aggregate [--full] [--format text|json]\n\n"
    "Compute SDG indicator 16.4.2 and the Global Study tables GS1-GS9 from\n"
    "the newest accepted return of each country-year, per country and per\n"
    "M49 region, sub-region, SDG region and world, in one transaction: the\n"
    "views iafq.sdg_16_4_2, iafq.gs1 ... iafq.gs9 (and iafq_public.*) show\n"
    "the new run once it is complete, never half of it.\n\n"
    "Incremental: when the current submissions, the withheld country-years\n"
    "and the schema are those of the latest run, nothing is done and no run\n"
    "is recorded (\"nothing changed since run N\"); otherwise only the years\n"
    "that changed are recomputed and only the rows that changed are stored.\n\n"
    "  --full              recompute every year (still stores only changes)\n"
    "  --format text|json  output format on stdout (default text)\n";

int cli_print_agg(const agg_info *a, int json)
{
    int n;
    if (json)
        n = printf("{\"run\": %lld, \"started\": \"%s\", \"finished\": "
                   "\"%s\", \"submissions\": %lld, \"changed\": %s, "
                   "\"rows_stored\": %lld, \"rows_closed\": %lld, "
                   "\"years\": \"%s\"}\n",
                   a->run, a->started, a->finished, a->submissions,
                   a->changed ? "true" : "false", a->rows_stored,
                   a->rows_closed,
                   !a->changed     ? ""
                   : a->every_year ? "all"
                                   : a->years);
    else if (!a->changed)
        n = printf("aggregate: nothing changed since run %lld (%lld "
                   "submission(s)); no new run\n",
                   a->run, a->submissions);
    else
        n = printf("aggregate: run %lld over %lld submission(s), "
                   "started %s, finished %s; years %s: %lld result row(s) "
                   "stored, %lld closed\n",
                   a->run, a->submissions, a->started, a->finished,
                   a->every_year ? "all" : a->years, a->rows_stored,
                   a->rows_closed);
    return n < 0 ? cli_stdout_failed() : EXIT_OK;
}

int cmd_aggregate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"full", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, full = 0, c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "aggregate")) != -1) {
        switch (c) {
        case 'f':
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case 'F':
            full = 1;
            break;
        case 'h':
            return fputs(help_text, stdout) < 0 ? cli_stdout_failed() : EXIT_OK;
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
    iafq_err e = agg_run_mode(cli_db(), full, &a, &err);
    if (e)
        return cli_db_failed(cli_db(), e, &err,
                             "the previous aggregation stays in place",
                             "the aggregation failed");
    return cli_print_agg(&a, json);
}
