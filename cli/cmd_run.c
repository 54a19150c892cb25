/* iafq run - the nightly job: ingest every file, aggregate, export. */
#include "agg.h"
#include "cli.h"
#include "log.h"
#include "plan.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
    "usage: iafq [--db CONNINFO] run -o DIR [--no-wait] [--strict] [LIMITS]\n"
    "                FILE...\n\n"
    "The nightly job: ingest every FILE (as 'iafq ingest'), aggregate (as\n"
    "'iafq aggregate'), export (as 'iafq export --internal', every format)\n"
    "into DIR, then write run.json there, the summary of the run (files,\n"
    "submissions, the aggregation run, the exports).  Only one run at a\n"
    "time: a second one waits for the first to finish.\n\n"
    "  -o, --output DIR  where the outputs go (created if missing)\n"
    "  --no-wait         exit 2 at once when another run is in progress\n"
    "  --strict          treat warnings as errors\n\n";

enum { OPT_OUT = 'o', OPT_NOWAIT = 'W', OPT_STRICT = 's', OPT_HELP = 'h' };

static void now_utc(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One file of the run's export, into the run's JSON list. */
typedef struct {
    cJSON *list;
    long long run;
} run_files;

static void list_file(void *arg, const char *file, const char *format,
                      const char *what)
{
    run_files *rf = arg;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "file", file);
    cJSON_AddStringToObject(o, "format", format);
    cJSON_AddStringToObject(o, "what", what);
    cJSON_AddStringToObject(o, "scope", "internal");
    cJSON_AddNumberToObject(o, "run", (double)rf->run);
    cJSON_AddItemToArray(rf->list, o);
}

static int run_steps(int argc, char **argv, load_opts *lo, int wait,
                     const char *dir, export_release *rel);

int cmd_run(int argc, char **argv)
{
    static const struct option own[] = {
        {"output", required_argument, NULL, OPT_OUT},
        {"no-wait", no_argument, NULL, OPT_NOWAIT},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"help", no_argument, NULL, OPT_HELP},
    };
    struct option opts[32];
    if (cli_options_with_limits(own, sizeof own / sizeof *own, opts, 32))
        return EXIT_INTERNAL;
    load_opts lo;
    load_opts_default(&lo);
    const char *dir = NULL;
    int wait = 1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case OPT_OUT:
            dir = optarg;
            break;
        case OPT_NOWAIT:
            wait = 0;
            break;
        case OPT_STRICT:
            lo.check.strict = true;
            break;
        case OPT_HELP:
            fputs(help, stdout);
            fputs(cli_limit_help, stdout);
            return EXIT_OK;
        default: {
            int rc = cli_other_option(c, optarg, &lo.check.lim, "run");
            if (rc != EXIT_OK)
                return rc;
            break;
        }
        }
    }
    if (!dir) {
        log_error(NULL, "see 'iafq run --help'", "run needs -o DIR");
        return EXIT_USAGE;
    }
    /* the run's export and run.json go to DIR together (export/plan.h) */
    iafq_error err = {0};
    export_release *rel = NULL;
    if (export_release_open(dir, &rel, &err)) {
        log_error(err.msg, "give a folder that can be written with -o",
                  "cannot write the run's outputs to '%s'", dir);
        return EXIT_USAGE;
    }
    int rc = run_steps(argc, argv, &lo, wait, dir, rel);
    export_release_free(rel);
    return rc;
}

/* The run itself, writing into release rel; the exit status. */
static int run_steps(int argc, char **argv, load_opts *lo, int wait,
                     const char *dir, export_release *rel)
{
    cli_set_db_role(CLI_LOADER_ROLE); /* ingests, aggregates, exports */
    if (!cli_db())
        return cli_db_status();
    iafq_error err = {0};
    bool got = false;
    if (wait)
        log_info("waiting for any other run to finish");
    iafq_err le = agg_run_lock(cli_db(), wait, &got, &err);
    if (le)
        return cli_db_failed(cli_db(), le, &err, NULL,
                             "cannot take the run lock");
    if (!got) {
        log_error(NULL, "leave out --no-wait to wait for it",
                  "another 'iafq run' is in progress on '%s'",
                  db_masked(cli_db()));
        return EXIT_USAGE;
    }
    char started[40], finished[40];
    now_utc(started, sizeof started);

    cli_ingest_counts counts;
    cJSON *files = NULL;
    int rc =
        cli_ingest_files(argv + optind, argc - optind, lo, 0, &counts, &files);
    agg_info a;
    memset(&a, 0, sizeof a);
    iafq_err ae = cli_db() ? agg_run(cli_db(), &a, &err) : IAFQ_ERR_DB;
    int agg_ok = ae == IAFQ_OK;
    if (!agg_ok) {
        int arc = cli_db_failed(cli_db(), ae, &err,
                                "the previous aggregation stays in place",
                                "the aggregation failed");
        rc = rc > arc ? rc : arc;
    } else if (cli_print_agg(&a, 0) != EXIT_OK) {
        rc = rc > EXIT_OUTPUT ? rc : EXIT_OUTPUT;
    }
    /* the exports of this run (internal, every format) */
    cJSON *exports = cJSON_CreateArray();
    if (agg_ok && exports) {
        run_files rf = {exports, a.run};
        iafq_err e = export_write_files(cli_db(), rel, EXPORT_INTERNAL,
                                        EXPORT_ALL, list_file, &rf, NULL, &err);
        if (e) {
            int erc = cli_export_failed(dir, e, &err);
            agg_run_unlock(cli_db());
            cJSON_Delete(exports);
            cJSON_Delete(files);
            return erc > rc ? erc : rc;
        }
    }
    now_utc(finished, sizeof finished);

    cJSON *o = cJSON_CreateObject();
    cJSON *ing = cJSON_CreateObject();
    cJSON *agg = agg_ok ? cJSON_CreateObject() : cJSON_CreateNull();
    if (!o || !ing || !agg || !files || !exports) {
        cJSON_Delete(exports);
        cJSON_Delete(o);
        cJSON_Delete(ing);
        cJSON_Delete(agg);
        cJSON_Delete(files);
        return EXIT_INTERNAL;
    }
    cJSON_AddStringToObject(o, "started", started);
    cJSON_AddStringToObject(o, "finished", finished);
    cJSON_AddStringToObject(o, "database", db_masked(cli_db()));
    cJSON_AddNumberToObject(ing, "accepted", counts.accepted);
    cJSON_AddNumberToObject(ing, "rejected", counts.rejected);
    cJSON_AddNumberToObject(ing, "unchanged", counts.unchanged);
    cJSON_AddNumberToObject(ing, "failed", counts.failed);
    cJSON_AddItemToObject(ing, "files", files);
    cJSON_AddItemToObject(o, "ingest", ing);
    if (agg_ok) {
        cJSON_AddNumberToObject(agg, "run", (double)a.run);
        cJSON_AddStringToObject(agg, "started", a.started);
        cJSON_AddStringToObject(agg, "finished", a.finished);
        cJSON_AddNumberToObject(agg, "submissions", (double)a.submissions);
    }
    cJSON_AddItemToObject(o, "aggregation", agg);
    cJSON_AddItemToObject(o, "exports", exports);
    /* the list to print once DIR shows it (o owns exports) */
    cJSON *shown = cJSON_Duplicate(exports, 1);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    iafq_err e = text ? export_release_write_text(rel, "run.json", text, &err)
                      : IAFQ_ERR_NOMEM;
    if (!e)
        e = export_release_commit(rel, &err);
    free(text);
    agg_run_unlock(cli_db());
    if (e) {
        log_error(err.msg, "is the disk full or the folder read-only?",
                  "cannot write the run's outputs to '%s'; the previous ones "
                  "are left as they were",
                  dir);
        cJSON_Delete(shown);
        return e == IAFQ_ERR_NOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    for (cJSON *f = shown ? shown->child : NULL; f; f = f->next)
        printf("%s/%s\t%s\n", dir,
               cJSON_GetStringValue(cJSON_GetObjectItem(f, "file")),
               cJSON_GetStringValue(cJSON_GetObjectItem(f, "what")));
    cJSON_Delete(shown);
    printf("run: wrote %s/run.json\n", dir);
    return rc;
}
