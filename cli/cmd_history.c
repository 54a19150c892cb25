/* iafq history - every submission of a country (and year), newest first. */
#include "cli.h"
#include "log.h"
#include "report.h"
#include "str.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char history_help[] =
    "usage: iafq [--db CONNINFO] history [--format text|json] COUNTRY [YEAR]\n"
    "\n"
    "List every submission of COUNTRY (ISO alpha-3), or of one YEAR, newest\n"
    "first: id, year, status, time received (UTC), file, SHA-256, errors,\n"
    "warnings, and which one is current (the newest accepted return of its\n"
    "country-year, the one aggregation reads); JSON also says whether it\n"
    "was judged under --strict.  File names are shown with control\n"
    "characters escaped (\\n, \\x1B).\n\n"
    "  --format text|json  output format on stdout (default text)\n";

enum { OPT_FORMAT = 'f', OPT_HELP = 'h' };

/* The columns of sql/q/history.sql, resolved by name once per result. */
enum {
    H_ID,
    H_COUNTRY,
    H_YEAR,
    H_STATUS,
    H_RECEIVED,
    H_FILE,
    H_SHA,
    H_ERRORS,
    H_WARNINGS,
    H_STRICT,
    H_CURRENT,
    H_NCOLS
};
static const char *const history_cols[H_NCOLS] = {
    "id",     "country", "year",     "status", "received", "file_name",
    "sha256", "errors",  "warnings", "strict", "current"};

static cJSON *history_json_row(const PGresult *res, int i, const int *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "submission",
                            strtod(PQgetvalue(res, i, c[H_ID]), NULL));
    cJSON_AddStringToObject(o, "country", PQgetvalue(res, i, c[H_COUNTRY]));
    if (PQgetisnull(res, i, c[H_YEAR]))
        cJSON_AddNullToObject(o, "year");
    else
        cJSON_AddNumberToObject(o, "year", atoi(PQgetvalue(res, i, c[H_YEAR])));
    /* raw here: report_json_write escapes every control character */
    cJSON_AddStringToObject(o, "file", PQgetvalue(res, i, c[H_FILE]));
    cJSON_AddStringToObject(o, "sha256", PQgetvalue(res, i, c[H_SHA]));
    cJSON_AddStringToObject(o, "received", PQgetvalue(res, i, c[H_RECEIVED]));
    cJSON_AddStringToObject(o, "status", PQgetvalue(res, i, c[H_STATUS]));
    cJSON_AddNumberToObject(o, "errors", atoi(PQgetvalue(res, i, c[H_ERRORS])));
    cJSON_AddNumberToObject(o, "warnings",
                            atoi(PQgetvalue(res, i, c[H_WARNINGS])));
    cJSON_AddBoolToObject(o, "strict",
                          !strcmp(PQgetvalue(res, i, c[H_STRICT]), "t"));
    cJSON_AddBoolToObject(o, "current",
                          !strcmp(PQgetvalue(res, i, c[H_CURRENT]), "t"));
    return o;
}

/* One text line; the file name (the focal point's) with its control
 * characters escaped. */
static int history_text_row(const PGresult *res, int i, const int *c)
{
    char *file = str_escape_ctl(PQgetvalue(res, i, c[H_FILE]));
    if (!file)
        return -1;
    int n = printf(
        "%-8s %-4s %-8s %-20s %6s %8s  %-7s %.16s %s\n",
        PQgetvalue(res, i, c[H_ID]),
        PQgetisnull(res, i, c[H_YEAR]) ? "-" : PQgetvalue(res, i, c[H_YEAR]),
        PQgetvalue(res, i, c[H_STATUS]), PQgetvalue(res, i, c[H_RECEIVED]),
        PQgetvalue(res, i, c[H_ERRORS]), PQgetvalue(res, i, c[H_WARNINGS]),
        !strcmp(PQgetvalue(res, i, c[H_CURRENT]), "t") ? "current" : "",
        PQgetvalue(res, i, c[H_SHA]), file);
    free(file);
    return n < 0 ? -1 : 0;
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
            fputs(history_help, stdout);
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
    int col[H_NCOLS];
    iafq_err e = db_exec_file(cli_db(), "q/history.sql", 2, params, &res, &err);
    if (!e)
        e = db_cols(res, "sql/q/history.sql", history_cols, col, H_NCOLS, &err);
    if (e) {
        PQclear(res);
        return cli_db_failed(cli_db(), e, &err, NULL,
                             "cannot list the submissions of '%s'", country);
    }
    int n = PQntuples(res), rc = EXIT_OK;
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (int i = 0; arr && i < n; i++) {
            cJSON *row = history_json_row(res, i, col);
            if (!row || !cJSON_AddItemToArray(arr, row)) {
                cJSON_Delete(row);
                cJSON_Delete(arr);
                arr = NULL;
            }
        }
        if (!arr) {
            log_error(NULL, NULL, "out of memory");
            rc = EXIT_INTERNAL;
        } else if ((e = report_json_write(stdout, arr, &err))) {
            rc = e == IAFQ_ERR_IO ? cli_stdout_failed() : EXIT_INTERNAL;
            if (e != IAFQ_ERR_IO)
                log_error(err.msg, NULL, "cannot write the list");
        }
        cJSON_Delete(arr);
    } else if (n == 0) {
        if (printf("no submissions for %s%s%s\n", country, year ? " " : "",
                   year ? year : "") < 0)
            rc = cli_stdout_failed();
    } else {
        if (printf("%-8s %-4s %-8s %-20s %6s %8s  %-7s %-16s %s\n", "ID",
                   "YEAR", "STATUS", "RECEIVED", "ERRORS", "WARNINGS",
                   "CURRENT", "SHA-256", "FILE") < 0)
            rc = cli_stdout_failed();
        for (int i = 0; i < n && rc == EXIT_OK; i++)
            if (history_text_row(res, i, col) != 0)
                rc = ferror(stdout) ? cli_stdout_failed() : EXIT_INTERNAL;
    }
    PQclear(res);
    return rc;
}
