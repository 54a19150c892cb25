/* iafq history - the submissions received: the latest of all countries, or
 * every one of a country (and year). */
#include "cli.h"
#include "log.h"
#include "m49.h"
#include "report.h"
#include "str.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char history_help[] =
    "usage: iafq [--db CONNINFO] history [--format text|json] [--limit N]\n"
    "                                    [COUNTRY [YEAR]]\n"
    "\n"
    "Without COUNTRY: the latest N submissions received (default 50), of\n"
    "every country, those that named no country included (a file that could\n"
    "not be read, rejected), newest first.  With COUNTRY (ISO alpha-3, an\n"
    "M49 country) every submission of that country, or of one YEAR: by\n"
    "year, newest first, then newest received first.\n"
    "\n"
    "Text columns, in this order:\n"
    "  ID        the submission's number\n"
    "  COUNTRY   ISO alpha-3 code, '-' when the file named none\n"
    "  YEAR      '-' when the file named none\n"
    "  STATUS    accepted or rejected\n"
    "  RECEIVED  when it was ingested (UTC)\n"
    "  ERRORS    number of errors found\n"
    "  WARNINGS  number of warnings found\n"
    "  CURRENT   'current': the newest accepted return of its country-year,\n"
    "            the one aggregation reads\n"
    "  SHA-256   the first 16 hex digits of the file's SHA-256\n"
    "  FILE      the file name, control characters escaped (\\n, \\x1B)\n"
    "JSON: an array of {submission, country, year, file, sha256, received,\n"
    "status, errors, warnings, strict, current} (country and year null when\n"
    "unknown; strict: judged under --strict), in the same order.  With\n"
    "COUNTRY and YEAR each also has \"values\": the figures stored, each\n"
    "{table, row, column, value, derived, origin} (origin: the cell, e.g.\n"
    "\"T8!C7\", \"T8.csv:7:C\", \"line 123\"; null when computed).\n"
    "\n"
    "  --format text|json  output format on stdout (default text)\n"
    "  --limit N           without COUNTRY, at most N rows (default 50)\n";

enum { OPT_FORMAT = 'f', OPT_HELP = 'h', OPT_LIMIT = 'l' };

#define HISTORY_DEFAULT_LIMIT 50

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
    if (PQgetisnull(res, i, c[H_COUNTRY]))
        cJSON_AddNullToObject(o, "country");
    else
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

/* Add "values" to each submission of arr (rows of sql/q/history.sql, in
 * that order) from sql/q/history_values.sql: 0, or -1 (err set). */
static int history_add_values(cJSON *arr, const PGresult *res, const int *c,
                              const char *country, const char *year,
                              iafq_error *err)
{
    enum { V_SUB, V_TBL, V_ROW, V_COL, V_N, V_DERIVED, V_ORIGIN, V_NCOLS };
    static const char *const vcols[V_NCOLS] = {
        "submission_id", "tbl",   "row_code", "col_code", "n",
        "derived",       "origin"};
    const char *p[2] = {country, year};
    PGresult *vr = NULL;
    int vc[V_NCOLS], rc = -1;
    if (db_exec_file(cli_db(), "q/history_values.sql", 2, p, &vr, err) ||
        db_cols(vr, "sql/q/history_values.sql", vcols, vc, V_NCOLS, err))
        goto done;
    int nv = PQntuples(vr);
    for (int i = 0; i < PQntuples(res); i++) {
        const char *id = PQgetvalue(res, i, c[H_ID]);
        cJSON *vals = cJSON_CreateArray();
        if (!vals || !cJSON_AddItemToObject(cJSON_GetArrayItem(arr, i),
                                            "values", vals)) {
            cJSON_Delete(vals);
            goto oom;
        }
        for (int k = 0; k < nv; k++) {
            if (strcmp(PQgetvalue(vr, k, vc[V_SUB]), id))
                continue;
            cJSON *o = cJSON_CreateObject();
            if (!o || !cJSON_AddItemToArray(vals, o)) {
                cJSON_Delete(o);
                goto oom;
            }
            cJSON_AddStringToObject(o, "table", PQgetvalue(vr, k, vc[V_TBL]));
            cJSON_AddStringToObject(o, "row", PQgetvalue(vr, k, vc[V_ROW]));
            cJSON_AddStringToObject(o, "column", PQgetvalue(vr, k, vc[V_COL]));
            cJSON_AddNumberToObject(o, "value",
                                    strtod(PQgetvalue(vr, k, vc[V_N]), NULL));
            cJSON_AddBoolToObject(
                o, "derived", !strcmp(PQgetvalue(vr, k, vc[V_DERIVED]), "t"));
            if (PQgetisnull(vr, k, vc[V_ORIGIN]))
                cJSON_AddNullToObject(o, "origin");
            else
                cJSON_AddStringToObject(o, "origin",
                                        PQgetvalue(vr, k, vc[V_ORIGIN]));
        }
    }
    rc = 0;
    goto done;
oom:
    iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
done:
    PQclear(vr);
    return rc;
}

/* The text columns (history_help lists them in this order). */
#define HISTORY_HEAD_FMT "%-8s %-7s %-4s %-8s %-20s %6s %8s  %-7s %-16s %s\n"
#define HISTORY_ROW_FMT "%-8s %-7s %-4s %-8s %-20s %6s %8s  %-7s %.16s %s\n"

/* One text line; the file name (the focal point's) with its control
 * characters escaped. */
static int history_text_row(const PGresult *res, int i, const int *c)
{
    char *file = str_escape_ctl(PQgetvalue(res, i, c[H_FILE]));
    if (!file)
        return -1;
    int n = printf(
        HISTORY_ROW_FMT, PQgetvalue(res, i, c[H_ID]),
        PQgetisnull(res, i, c[H_COUNTRY]) ? "-"
                                          : PQgetvalue(res, i, c[H_COUNTRY]),
        PQgetisnull(res, i, c[H_YEAR]) ? "-" : PQgetvalue(res, i, c[H_YEAR]),
        PQgetvalue(res, i, c[H_STATUS]), PQgetvalue(res, i, c[H_RECEIVED]),
        PQgetvalue(res, i, c[H_ERRORS]), PQgetvalue(res, i, c[H_WARNINGS]),
        !strcmp(PQgetvalue(res, i, c[H_CURRENT]), "t") ? "current" : "",
        PQgetvalue(res, i, c[H_SHA]), file);
    free(file);
    return n < 0 ? -1 : 0;
}

/* COUNTRY: three letters of the M49 list (upper-cased into out), else a
 * usage error (logged). */
static int history_country(const char *arg, char out[4])
{
    if (strlen(arg) != 3 || !isalpha((unsigned char)arg[0]) ||
        !isalpha((unsigned char)arg[1]) || !isalpha((unsigned char)arg[2])) {
        log_error(NULL, "give the ISO 3166 alpha-3 code, e.g. ESP",
                  "'%s' is not a country code", arg);
        return EXIT_USAGE;
    }
    for (int i = 0; i < 3; i++)
        out[i] = (char)toupper((unsigned char)arg[i]);
    out[3] = '\0';
    if (!m49_by_iso3(out)) {
        log_error(NULL,
                  "give the ISO alpha-3 code of a country of the UN M49 list "
                  "(data/m49.csv), e.g. ESP",
                  "'%s' is not a country of the M49 list", out);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cmd_history(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    int json = 0, c;
    long limit = HISTORY_DEFAULT_LIMIT;
    const char *limit_arg = NULL;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "history")) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case OPT_LIMIT: {
            char *end;
            limit = strtol(optarg, &end, 10);
            if (!*optarg || *end || limit < 1 || limit > 1000000)
                return cli_usage("history",
                                 "--limit takes a number of rows from 1 to "
                                 "1000000, not '%s'",
                                 optarg);
            limit_arg = optarg;
            break;
        }
        case OPT_HELP:
            return fputs(history_help, stdout) < 0 ? cli_stdout_failed()
                                                   : EXIT_OK;
        default:
            return EXIT_USAGE; /* CLI_OPT_BAD: logged */
        }
    }
    int nargs = argc - optind;
    if (nargs > 2)
        return cli_usage("history",
                         "history takes an optional COUNTRY and "
                         "YEAR, not '%s'",
                         argv[optind + 2]);
    char country[4] = "";
    if (nargs >= 1 && history_country(argv[optind], country) != EXIT_OK)
        return EXIT_USAGE;
    if (nargs >= 1 && limit_arg)
        return cli_usage("history", "--limit is for the list of every "
                                    "country (no COUNTRY)");
    const char *year = nargs == 2 ? argv[optind + 1] : NULL;
    if (year) {
        char *end;
        long y = strtol(year, &end, 10);
        if (!*year || *end || y < 1900 || y > 9999) {
            log_error(NULL, "give a year such as 2021", "'%s' is not a year",
                      year);
            return EXIT_USAGE;
        }
    }
    cli_set_db_role(CLI_ANALYST_ROLE);
    if (!cli_db())
        return cli_db_status();
    char nlimit[24];
    snprintf(nlimit, sizeof nlimit, "%ld", limit);
    /* one query: a country (and year), or every country up to --limit */
    const char *params[3] = {country[0] ? country : NULL, year,
                             country[0] ? NULL : nlimit};
    const char *file = "q/history.sql";
    PGresult *res = NULL;
    iafq_error err = {0};
    int col[H_NCOLS];
    iafq_err e = db_exec_file(cli_db(), file, 3, params, &res, &err);
    if (!e)
        e = db_cols(res, file, history_cols, col, H_NCOLS, &err);
    if (e) {
        PQclear(res);
        if (country[0])
            return cli_db_failed(cli_db(), e, &err, NULL,
                                 "cannot list the submissions of '%s'",
                                 country);
        return cli_db_failed(cli_db(), e, &err, NULL,
                             "cannot list the submissions");
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
        if (arr && year &&
            history_add_values(arr, res, col, country, year, &err) != 0) {
            cJSON_Delete(arr);
            PQclear(res);
            return cli_db_failed(cli_db(), err.code, &err, NULL,
                                 "cannot read the figures of %s %s", country,
                                 year);
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
        if (printf("no submissions%s%s%s%s\n", country[0] ? " for " : "",
                   country, year ? " " : "", year ? year : "") < 0)
            rc = cli_stdout_failed();
    } else {
        if (printf(HISTORY_HEAD_FMT, "ID", "COUNTRY", "YEAR", "STATUS",
                   "RECEIVED", "ERRORS", "WARNINGS", "CURRENT", "SHA-256",
                   "FILE") < 0)
            rc = cli_stdout_failed();
        for (int i = 0; i < n && rc == EXIT_OK; i++)
            if (history_text_row(res, i, col) != 0)
                rc = ferror(stdout) ? cli_stdout_failed() : EXIT_INTERNAL;
    }
    PQclear(res);
    return rc;
}
