/* iafq status - the submission tracker: every country x reporting year. */
#include "cli.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "usage: iafq [--db CONNINFO] status [--year YEAR] [--region M49]\n"
    "                   [--format text|json]\n\n"
    "The submission tracker: for every country and reporting year (every\n"
    "year a return named, or YEAR), its status: not submitted, rejected,\n"
    "accepted with warnings or accepted (the current submission, else the\n"
    "newest rejected one), when, and by which token ('-': iafq ingest).\n\n"
    "  --year YEAR          one reporting year\n"
    "  --region M49         the countries of one M49 area (e.g. 150 Europe,\n"
    "                       202 Sub-Saharan Africa)\n"
    "  --format text|json   output format on stdout (default text)\n";

enum { OPT_YEAR = 1, OPT_REGION, OPT_FORMAT, OPT_HELP = 'h' };

int cmd_status(int argc, char **argv)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, OPT_YEAR},
        {"region", required_argument, NULL, OPT_REGION},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    const char *year = NULL, *region = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "status")) != -1) {
        switch (c) {
        case OPT_YEAR: {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 1900 || y > 9999) {
                log_error(NULL, "give a year such as 2021",
                          "'%s' is not a year", optarg);
                return EXIT_USAGE;
            }
            year = optarg;
            break;
        }
        case OPT_REGION:
            if (strlen(optarg) != 3 || strspn(optarg, "0123456789") != 3) {
                log_error(NULL, "give a 3-digit M49 code, e.g. 150",
                          "'%s' is not an M49 area code", optarg);
                return EXIT_USAGE;
            }
            region = optarg;
            break;
        case OPT_FORMAT:
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case OPT_HELP:
            fputs(help_text, stdout);
            return EXIT_OK;
        default: /* cli_getopt said what is wrong */
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        log_error(NULL, "see 'iafq status --help'", "status takes no FILE");
        return EXIT_USAGE;
    }
    cli_set_db_role(CLI_ANALYST_ROLE); /* reads only */
    if (!cli_db())
        return cli_db_status();
    iafq_error err = {0};
    PGresult *res = NULL;
    if (region) {
        const char *rp[1] = {region};
        if (db_exec_file(cli_db(), "q/status_region_valid.sql", 1, rp, &res,
                         &err)) {
            log_error(err.msg, NULL, "cannot read the M49 areas");
            return EXIT_INTERNAL;
        }
        int ok = PQntuples(res) == 1;
        PQclear(res);
        res = NULL;
        if (!ok) {
            log_error(NULL, "e.g. 150 Europe, 002 Africa, 419 Latin America",
                      "'%s' is no M49 area", region);
            return EXIT_USAGE;
        }
    }
    static const char *const names[] = {"country",  "name",   "region",
                                        "year",     "status", "submission",
                                        "received", "token",  "token_note"};
    int col[9];
    const char *p[2] = {year, region};
    if (db_exec_file(cli_db(), "q/status.sql", 2, p, &res, &err) ||
        db_cols(res, "q/status.sql", names, col, 9, &err)) {
        PQclear(res);
        log_error(err.msg, NULL, "cannot read the submission tracker");
        return EXIT_INTERNAL;
    }
    int n = PQntuples(res), rc = EXIT_OK;
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (int i = 0; arr && i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            if (!o)
                break;
            for (int k = 0; k < 9; k++) {
                const char *v = PQgetvalue(res, i, col[k]);
                if (k == 3)
                    cJSON_AddNumberToObject(o, "year", atoi(v));
                else if ((k == 5 || k == 7) && *v)
                    cJSON_AddNumberToObject(o, names[k], strtod(v, NULL));
                else if (k >= 5 && !*v)
                    cJSON_AddNullToObject(o, names[k]);
                else
                    cJSON_AddStringToObject(o, names[k], v);
            }
            cJSON_AddItemToArray(arr, o);
        }
        char *s = arr ? cJSON_Print(arr) : NULL;
        cJSON_Delete(arr);
        if (!s || puts(s) < 0)
            rc = EXIT_INTERNAL;
        free(s);
    } else if (n == 0) {
        printf("no reporting year yet: no return names one%s\n",
               year ? "" : " (give --year)");
    } else {
        printf("%-7s %-4s %-22s %-20s %-10s %s\n", "COUNTRY", "YEAR", "STATUS",
               "RECEIVED", "SUBMISSION", "TOKEN");
        for (int i = 0; i < n; i++) {
            const char *tok = PQgetvalue(res, i, col[7]);
            const char *sub = PQgetvalue(res, i, col[5]);
            printf("%-7s %-4s %-22s %-20s %-10s %s%s%s\n",
                   PQgetvalue(res, i, col[0]), PQgetvalue(res, i, col[3]),
                   PQgetvalue(res, i, col[4]),
                   *PQgetvalue(res, i, col[6]) ? PQgetvalue(res, i, col[6])
                                               : "-",
                   *sub ? sub : "-", *tok ? tok : "-",
                   *PQgetvalue(res, i, col[8]) ? " " : "",
                   PQgetvalue(res, i, col[8]));
        }
    }
    PQclear(res);
    return rc;
}
