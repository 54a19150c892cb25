/* iafq runs - the aggregation runs: list them, prune the old ones. */
#include "cli.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "usage: iafq [--db CONNINFO] runs list [--format text|json]\n"
    "       iafq [--db CONNINFO] runs prune --keep N [--dry-run]\n\n"
    "'list' shows every aggregation run: id, started, finished, how many\n"
    "submissions it used, the result rows it stored (a run stores only\n"
    "the rows that changed), the years it recomputed, how many exports\n"
    "used it; the latest finished run (the one the views show) is marked.\n"
    "'prune' deletes every run but the latest N finished ones and those an\n"
    "export used, with the result rows valid in no remaining run, and says\n"
    "what it removes (--dry-run: says it and removes nothing).\n";

enum { OPT_FORMAT = 1, OPT_KEEP, OPT_DRY, OPT_HELP = 'h' };

static int list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    int json = 0, c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "runs")) != -1) {
        if (c == OPT_FORMAT) {
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
        } else if (c == OPT_HELP) {
            return fputs(help_text, stdout) < 0 ? cli_stdout_failed() : EXIT_OK;
        } else { /* cli_getopt said what is wrong */
            return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage("runs", "unexpected argument '%s'", argv[optind]);
    cli_set_db_role(CLI_ANALYST_ROLE); /* reads only */
    if (!cli_db())
        return cli_db_status();
    enum {
        C_ID,
        C_STARTED,
        C_FINISHED,
        C_SUBS,
        C_ROWS,
        C_YEARS,
        C_EXPORTS,
        C_LATEST,
        C_COUNT
    };
    static const char *const names[C_COUNT] = {
        "id",          "started", "finished", "submissions",
        "rows_stored", "years",   "exports",  "latest"};
    int col[C_COUNT];
    PGresult *res = NULL;
    iafq_error err = {0};
    iafq_err e = db_exec_file(cli_db(), "q/runs_list.sql", 0, NULL, &res, &err);
    if (!e)
        e = db_cols(res, "q/runs_list.sql", names, col, C_COUNT, &err);
    if (e) {
        PQclear(res);
        return cli_db_failed(cli_db(), e, &err, NULL,
                             "cannot list the aggregation runs");
    }
    int n = PQntuples(res), rc = EXIT_OK;
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (int i = 0; arr && i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            if (!o)
                break;
            cJSON_AddNumberToObject(
                o, "id", strtod(PQgetvalue(res, i, col[C_ID]), NULL));
            cJSON_AddStringToObject(o, "started",
                                    PQgetvalue(res, i, col[C_STARTED]));
            if (*PQgetvalue(res, i, col[C_FINISHED]))
                cJSON_AddStringToObject(o, "finished",
                                        PQgetvalue(res, i, col[C_FINISHED]));
            else
                cJSON_AddNullToObject(o, "finished");
            for (int k = C_SUBS; k <= C_ROWS; k++)
                cJSON_AddNumberToObject(
                    o, names[k], strtod(PQgetvalue(res, i, col[k]), NULL));
            cJSON_AddStringToObject(o, "years",
                                    PQgetvalue(res, i, col[C_YEARS]));
            cJSON_AddNumberToObject(
                o, "exports", strtod(PQgetvalue(res, i, col[C_EXPORTS]), NULL));
            cJSON_AddBoolToObject(
                o, "latest", !strcmp(PQgetvalue(res, i, col[C_LATEST]), "t"));
            cJSON_AddItemToArray(arr, o);
        }
        char *s = arr ? cJSON_Print(arr) : NULL;
        cJSON_Delete(arr);
        if (!s)
            rc = EXIT_INTERNAL;
        else if (puts(s) < 0)
            rc = cli_stdout_failed();
        free(s);
    } else {
        if (printf("%-6s %-20s %-20s %11s %11s %7s %s\n", "RUN", "STARTED",
                   "FINISHED", "SUBMISSIONS", "ROWS STORED", "EXPORTS",
                   "YEARS") < 0)
            rc = cli_stdout_failed();
        for (int i = 0; !rc && i < n; i++)
            if (printf("%-6s %-20s %-20s %11s %11s %7s %s%s\n",
                       PQgetvalue(res, i, col[C_ID]),
                       PQgetvalue(res, i, col[C_STARTED]),
                       *PQgetvalue(res, i, col[C_FINISHED])
                           ? PQgetvalue(res, i, col[C_FINISHED])
                           : "(unfinished)",
                       PQgetvalue(res, i, col[C_SUBS]),
                       PQgetvalue(res, i, col[C_ROWS]),
                       PQgetvalue(res, i, col[C_EXPORTS]),
                       PQgetvalue(res, i, col[C_YEARS]),
                       !strcmp(PQgetvalue(res, i, col[C_LATEST]), "t")
                           ? "  (latest)"
                           : "") < 0)
                rc = cli_stdout_failed();
    }
    PQclear(res);
    return rc;
}

static long long count_rows(PGresult *res)
{
    return res && PQntuples(res) == 1 ? strtoll(PQgetvalue(res, 0, 0), NULL, 10)
                                      : 0;
}

/* Print " 1, 2 (exported), 5" (or " none"): the runs of res whose pruned
 * column is want ("t" or "f"), an exported one marked. */
static int print_ids(PGresult *res, const int *col, const char *want)
{
    int k = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        if (strcmp(PQgetvalue(res, i, col[3]), want))
            continue;
        if (printf("%s%s%s", k++ ? ", " : " ", PQgetvalue(res, i, col[0]),
                   !strcmp(PQgetvalue(res, i, col[2]), "t") ? " (exported)"
                                                            : "") < 0)
            return -1;
    }
    return k ? 0 : (printf(" none") < 0 ? -1 : 0);
}

static int prune(int argc, char **argv)
{
    static const struct option opts[] = {
        {"keep", required_argument, NULL, OPT_KEEP},
        {"dry-run", no_argument, NULL, OPT_DRY},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    long keep = -1;
    int dry = 0, c;
    char *end = NULL;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "runs")) != -1) {
        if (c == OPT_KEEP) {
            keep = strtol(optarg, &end, 10);
            if (!*optarg || *end || keep < 1 || keep > 1000000)
                return cli_usage("runs",
                                 "--keep needs a number of runs from "
                                 "1 up, not '%s'",
                                 optarg);
        } else if (c == OPT_DRY) {
            dry = 1;
        } else if (c == OPT_HELP) {
            return fputs(help_text, stdout) < 0 ? cli_stdout_failed() : EXIT_OK;
        } else {
            return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage("runs", "unexpected argument '%s'", argv[optind]);
    if (keep < 0)
        return cli_usage("runs", "runs prune needs --keep N");
    /* as the owner (no cli_set_db_role): only the owner deletes runs */
    db_conn *db = cli_db();
    if (!db)
        return cli_db_status();
    char keep_s[24];
    snprintf(keep_s, sizeof keep_s, "%ld", keep);
    const char *params[1] = {keep_s};
    PGresult *before = NULL, *after = NULL, *res = NULL;
    iafq_error err = {0};
    static const char *const names[] = {"id", "recent", "exported", "pruned"};
    int col[4];
    /* the aggregation lock: no run starts or ends while runs are pruned */
    iafq_err e = db_exec_file(db, "q/agg_lock.sql", 0, NULL, NULL, &err);
    int locked = !e;
    if (!e)
        e = db_begin(db, &err);
    if (!e)
        e = db_exec_file(db, "q/runs_rows.sql", 0, NULL, &before, &err);
    if (!e)
        e = db_exec_file(db, "q/runs_prune.sql", 1, params, &res, &err);
    if (!e)
        e = db_cols(res, "q/runs_prune.sql", names, col, 4, &err);
    if (!e)
        e = db_exec_file(db, "q/runs_rows.sql", 0, NULL, &after, &err);
    if (!e && !dry)
        e = db_commit(db, &err);
    else
        db_rollback(db);
    if (locked)
        db_exec_file(db, "q/agg_unlock.sql", 0, NULL, NULL, NULL);
    int rc = EXIT_OK;
    if (e) {
        rc = cli_db_failed(db, e, &err, "no run was removed",
                           "cannot prune the aggregation runs");
    } else {
        long long gone = count_rows(before) - count_rows(after);
        if (printf("runs prune: %s run(s)", dry ? "would remove" : "removed") <
                0 ||
            print_ids(res, col, "t") < 0 ||
            printf(" (%lld result row(s)); kept", gone) < 0 ||
            print_ids(res, col, "f") < 0 || printf("\n") < 0)
            rc = cli_stdout_failed();
    }
    PQclear(before);
    PQclear(after);
    PQclear(res);
    return rc;
}

int cmd_runs(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        if (fputs(help_text, argc < 2 ? stderr : stdout) < 0 && argc >= 2)
            return cli_stdout_failed();
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "list"))
        return list(argc - 1, argv + 1);
    if (!strcmp(argv[1], "prune"))
        return prune(argc - 1, argv + 1);
    return cli_usage("runs", "unknown runs command '%s'", argv[1]);
}
