/* iafq history - every submission of a country (and year), newest first. */
#include "cli.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char _help[] =
    "usage: iafq [--db CONNINFO] history [--format text|json] COUNTRY [YEAR]\n"
    "\n"
    "List every submission of COUNTRY (ISO alpha-3), or of one YEAR, newest\n"
    "first: id, year, status, time received (UTC), file, SHA-256, errors,\n"
    "warnings, and which one is current (the newest accepted return of its\n"
    "country-year, the one aggregation reads).\n\n"
    "  --format text|json  output format on stdout (default text)\n";

enum { OPT_FORMAT = 'f', OPT_HELP = 'h' };

static cJSON *_json_row(const PGresult *res, int i)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "submission",
                            strtod(PQgetvalue(res, i, 0), NULL));
    cJSON_AddStringToObject(o, "country", PQgetvalue(res, i, 1));
    if (PQgetisnull(res, i, 2))
        cJSON_AddNullToObject(o, "year");
    else
        cJSON_AddNumberToObject(o, "year", atoi(PQgetvalue(res, i, 2)));
    cJSON_AddStringToObject(o, "file", PQgetvalue(res, i, 5));
    cJSON_AddStringToObject(o, "sha256", PQgetvalue(res, i, 6));
    cJSON_AddStringToObject(o, "received", PQgetvalue(res, i, 4));
    cJSON_AddStringToObject(o, "status", PQgetvalue(res, i, 3));
    cJSON_AddNumberToObject(o, "errors", atoi(PQgetvalue(res, i, 7)));
    cJSON_AddNumberToObject(o, "warnings", atoi(PQgetvalue(res, i, 8)));
    cJSON_AddBoolToObject(o, "current", !strcmp(PQgetvalue(res, i, 9), "t"));
    return o;
}

int cmd_history(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case OPT_HELP:
            fputs(_help, stdout);
            return EXIT_OK;
        default:
            log_error(NULL, "see 'iafq history --help'", "bad arguments");
            return EXIT_USAGE;
        }
    }
    int nargs = argc - optind;
    if (nargs < 1 || nargs > 2) {
        log_error(NULL, "see 'iafq history --help'",
                  "history takes COUNTRY and an optional YEAR");
        return EXIT_USAGE;
    }
    const char *country = argv[optind];
    if (strlen(country) != 3 || !isalpha((unsigned char)country[0]) ||
        !isalpha((unsigned char)country[1]) ||
        !isalpha((unsigned char)country[2])) {
        log_error(NULL, "give the ISO 3166 alpha-3 code, e.g. ESP",
                  "'%s' is not a country code", country);
        return EXIT_USAGE;
    }
    const char *year = nargs == 2 ? argv[optind + 1] : NULL;
    if (year) {
        char *end;
        long y = strtol(year, &end, 10);
        if (*end || y < 1900 || y > 9999) {
            log_error(NULL, "give a year such as 2021", "'%s' is not a year",
                      year);
            return EXIT_USAGE;
        }
    }
    cli_set_db_role(CLI_ANALYST_ROLE);
    if (!cli_db())
        return cli_db_status();
    const char *params[2] = {country, year};
    PGresult *res = NULL;
    iafq_error err = {0};
    if (db_exec_file(cli_db(), "q/history.sql", 2, params, &res, &err)) {
        log_error(err.msg, NULL, "cannot list the submissions of '%s'",
                  country);
        return EXIT_INTERNAL;
    }
    int n = PQntuples(res), rc = EXIT_OK;
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (int i = 0; arr && i < n; i++)
            cJSON_AddItemToArray(arr, _json_row(res, i));
        char *s = arr ? cJSON_Print(arr) : NULL;
        cJSON_Delete(arr);
        if (!s || puts(s) < 0)
            rc = EXIT_INTERNAL;
        free(s);
    } else if (n == 0) {
        printf("no submissions for %s%s%s\n", country, year ? " " : "",
               year ? year : "");
    } else {
        printf("%-8s %-4s %-8s %-20s %6s %8s  %-7s %-16s %s\n", "ID", "YEAR",
               "STATUS", "RECEIVED", "ERRORS", "WARNINGS", "CURRENT", "SHA-256",
               "FILE");
        for (int i = 0; i < n; i++)
            printf("%-8s %-4s %-8s %-20s %6s %8s  %-7s %.16s %s\n",
                   PQgetvalue(res, i, 0),
                   PQgetisnull(res, i, 2) ? "-" : PQgetvalue(res, i, 2),
                   PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
                   PQgetvalue(res, i, 7), PQgetvalue(res, i, 8),
                   !strcmp(PQgetvalue(res, i, 9), "t") ? "current" : "",
                   PQgetvalue(res, i, 6), PQgetvalue(res, i, 5));
    }
    PQclear(res);
    return rc;
}
