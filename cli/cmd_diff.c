/* iafq diff - what changed between two aggregation runs, and why
 * (aggregate/diff.h). */
#include "cli.h"
#include "diff.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "usage: iafq [--db CONNINFO] diff [RUN_A] [RUN_B] [--format "
    "text|json|csv]\n"
    "\n"
    "Every figure of the stable views (sdg_16_4_2, sdg_16_4_2_by_column,\n"
    "sdg_16_4_2_by_tracing, gs1..gs9) that differs between the finished\n"
    "aggregation runs RUN_A (old) and RUN_B (new): rows added, removed and\n"
    "changed (old -> new), by view and area, each with its causes: a new\n"
    "return, a revision (which submission superseded which), a withdrawn\n"
    "return, a consent change, a migration applied between the runs.  A\n"
    "regional row names the country changes behind it.  Default: the two\n"
    "latest finished runs (RUN_A alone: RUN_A and the latest).  No change:\n"
    "an empty diff, exit 0.  CSV: one row per changed figure.\n";

enum { OPT_FORMAT = 1, OPT_HELP = 'h' };
enum { FMT_TEXT, FMT_JSON, FMT_CSV };

enum {
    R_VIEW,
    R_CHANGE,
    R_ATYPE,
    R_ACODE,
    R_ANAME,
    R_YEAR,
    R_KEY,
    R_MEASURE,
    R_OLD,
    R_NEW,
    R_CAUSE,
    R_DETAIL,
    R_COUNT
};
static const char *const row_names[R_COUNT] = {
    "view", "change",  "area_type", "area_code", "area_name", "year",
    "key",  "measure", "old",       "new",       "cause",     "detail"};

enum { C_ISO3, C_YEAR, C_CAUSE, C_OLD, C_NEW, C_DETAIL, C_COUNT };
static const char *const cause_names[C_COUNT] = {"iso3",   "year",   "cause",
                                                 "old_id", "new_id", "detail"};

static int is_run_id(const char *s)
{
    if (!*s || strlen(s) > 18)
        return 0;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static const char *val(PGresult *res, int i, int col)
{
    return PQgetisnull(res, i, col) ? NULL : PQgetvalue(res, i, col);
}

/* One CSV field, quoted when it needs it (RFC 4180). */
static int csv_field(const char *s, int last)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        if (putchar('"') == EOF)
            return -1;
        for (const char *p = s; *p; p++)
            if ((*p == '"' && putchar('"') == EOF) || putchar(*p) == EOF)
                return -1;
        if (putchar('"') == EOF)
            return -1;
    } else if (fputs(s, stdout) == EOF) {
        return -1;
    }
    return putchar(last ? '\n' : ',') == EOF ? -1 : 0;
}

static int write_csv(PGresult *rows, const int *col)
{
    static const int order[] = {R_VIEW,  R_ATYPE,   R_ACODE, R_YEAR,
                                R_KEY,   R_MEASURE, R_OLD,   R_NEW,
                                R_CAUSE, R_DETAIL,  R_CHANGE};
    const size_t n = sizeof order / sizeof *order;
    for (size_t k = 0; k < n; k++)
        if (csv_field(row_names[order[k]], k + 1 == n) < 0)
            return -1;
    for (int i = 0; i < PQntuples(rows); i++)
        for (size_t k = 0; k < n; k++)
            if (csv_field(val(rows, i, col[order[k]]), k + 1 == n) < 0)
                return -1;
    return 0;
}

static cJSON *json_str(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static int write_json(PGresult *runs, PGresult *causes, const int *ccol,
                      PGresult *rows, const int *col)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *ca = doc ? cJSON_AddArrayToObject(doc, "causes") : NULL;
    cJSON *ch = doc ? cJSON_AddArrayToObject(doc, "changes") : NULL;
    int rc = -1;
    if (!ca || !ch)
        goto done;
    cJSON_AddNumberToObject(doc, "run_a", strtod(PQgetvalue(runs, 0, 0), NULL));
    cJSON_AddNumberToObject(doc, "run_b", strtod(PQgetvalue(runs, 0, 1), NULL));
    for (int i = 0; i < PQntuples(causes); i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(ca, o)) {
            cJSON_Delete(o);
            goto done;
        }
        for (int k = 0; k < C_COUNT; k++)
            cJSON_AddItemToObject(o, cause_names[k],
                                  json_str(val(causes, i, ccol[k])));
    }
    for (int i = 0; i < PQntuples(rows); i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(ch, o)) {
            cJSON_Delete(o);
            goto done;
        }
        for (int k = 0; k < R_COUNT; k++)
            cJSON_AddItemToObject(o, row_names[k],
                                  json_str(val(rows, i, col[k])));
    }
    char *s = cJSON_Print(doc);
    if (s) {
        rc = puts(s) < 0 ? -2 : 0;
        free(s);
    }
done:
    cJSON_Delete(doc);
    return rc;
}

static int same_row(PGresult *rows, const int *col, int i, int j)
{
    static const int k[] = {R_VIEW, R_ATYPE, R_ACODE, R_YEAR, R_KEY};
    for (size_t n = 0; n < sizeof k / sizeof *k; n++)
        if (strcmp(PQgetvalue(rows, i, col[k[n]]),
                   PQgetvalue(rows, j, col[k[n]])))
            return 0;
    return 1;
}

static int write_text(PGresult *runs, PGresult *causes, const int *ccol,
                      PGresult *rows, const int *col)
{
    int n = PQntuples(rows);
    if (printf("diff: run %s (%s) -> run %s (%s): %d changed figure(s)\n",
               PQgetvalue(runs, 0, 0), PQgetvalue(runs, 0, 2),
               PQgetvalue(runs, 0, 1), PQgetvalue(runs, 0, 3), n) < 0)
        return -1;
    if (PQntuples(causes) && printf("causes:\n") < 0)
        return -1;
    for (int i = 0; i < PQntuples(causes); i++)
        if (printf("  %s\n", PQgetvalue(causes, i, ccol[C_DETAIL])) < 0)
            return -1;
    const char *view = "";
    for (int i = 0; i < n;) {
        if (strcmp(view, PQgetvalue(rows, i, col[R_VIEW]))) {
            view = PQgetvalue(rows, i, col[R_VIEW]);
            if (printf("%s\n", view) < 0)
                return -1;
        }
        const char *key = PQgetvalue(rows, i, col[R_KEY]);
        if (printf("  %s (%s %s) %s%s%s %s:", PQgetvalue(rows, i, col[R_ANAME]),
                   PQgetvalue(rows, i, col[R_ATYPE]),
                   PQgetvalue(rows, i, col[R_ACODE]),
                   PQgetvalue(rows, i, col[R_YEAR]), *key ? " " : "", key,
                   PQgetvalue(rows, i, col[R_CHANGE])) < 0)
            return -1;
        int j = i;
        for (; j < n && same_row(rows, col, i, j); j++) {
            const char *o = val(rows, j, col[R_OLD]);
            const char *w = val(rows, j, col[R_NEW]);
            if (printf(" %s %s -> %s%s", PQgetvalue(rows, j, col[R_MEASURE]),
                       o ? o : "(none)", w ? w : "(none)",
                       j + 1 < n && same_row(rows, col, i, j + 1) ? "," : "") <
                0)
                return -1;
        }
        if (printf("\n    %s: %s\n", PQgetvalue(rows, i, col[R_CAUSE]),
                   PQgetvalue(rows, i, col[R_DETAIL])) < 0)
            return -1;
        i = j;
    }
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    int fmt = FMT_TEXT, c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "diff")) != -1) {
        if (c == OPT_FORMAT) {
            if (!strcmp(optarg, "csv"))
                fmt = FMT_CSV;
            else if (!strcmp(optarg, "json"))
                fmt = FMT_JSON;
            else if (!strcmp(optarg, "text"))
                fmt = FMT_TEXT;
            else
                return cli_usage("diff",
                                 "--format is text, json or csv, "
                                 "not '%s'",
                                 optarg);
        } else if (c == OPT_HELP) {
            return fputs(help_text, stdout) < 0 ? cli_stdout_failed() : EXIT_OK;
        } else { /* cli_getopt said what is wrong */
            return EXIT_USAGE;
        }
    }
    const char *given[2] = {NULL, NULL};
    for (int k = 0; optind < argc; k++, optind++) {
        if (k >= 2)
            return cli_usage("diff", "unexpected argument '%s'", argv[optind]);
        if (!is_run_id(argv[optind]))
            return cli_usage("diff",
                             "a run is a run id (see 'iafq runs "
                             "list'), not '%s'",
                             argv[optind]);
        given[k] = argv[optind];
    }
    cli_set_db_role(CLI_ANALYST_ROLE); /* reads only */
    db_conn *db = cli_db();
    if (!db)
        return cli_db_status();
    PGresult *runs = NULL, *causes = NULL, *rows = NULL;
    iafq_error err = {0};
    int col[R_COUNT], ccol[C_COUNT], rc = EXIT_OK;
    iafq_err e = diff_runs(db, given[0], given[1], &runs, &err);
    if (e) {
        rc = cli_db_failed(db, e, &err, NULL, "cannot read the runs");
        goto done;
    }
    for (int k = 0; k < 2; k++) {
        if (!PQgetisnull(runs, 0, k))
            continue;
        if (given[k])
            log_error(NULL, "see 'iafq runs list'",
                      "run %s is not a finished aggregation run", given[k]);
        else
            log_error(NULL,
                      "run 'iafq aggregate' after a change, or name "
                      "the runs",
                      "diff needs two finished aggregation runs");
        rc = EXIT_INPUT;
        goto done;
    }
    e = diff_compute(db, PQgetvalue(runs, 0, 0), PQgetvalue(runs, 0, 1),
                     &causes, &rows, &err);
    if (!e)
        e = db_cols(rows, "q/diff_rows.sql", row_names, col, R_COUNT, &err);
    if (!e)
        e = db_cols(causes, "q/diff_causes.sql", cause_names, ccol, C_COUNT,
                    &err);
    if (e) {
        rc = cli_db_failed(db, e, &err, NULL, "cannot compare the runs");
        goto done;
    }
    int w = fmt == FMT_CSV    ? write_csv(rows, col)
            : fmt == FMT_JSON ? write_json(runs, causes, ccol, rows, col)
                              : write_text(runs, causes, ccol, rows, col);
    if (w == -2 || (w == 0 && fflush(stdout)) || (w == -1 && ferror(stdout)))
        rc = cli_stdout_failed();
    else if (w)
        rc = EXIT_INTERNAL;
done:
    PQclear(runs);
    PQclear(causes);
    PQclear(rows);
    return rc;
}
