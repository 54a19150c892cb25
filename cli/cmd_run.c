/* iafq run - the nightly job: ingest every file, aggregate, export. */
#include "agg.h"
#include "cli.h"
#include "interrupt.h"
#include "log.h"
#include "plan.h"
#include "progress.h"

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
    "                PATH...\n\n"
    "The nightly job: ingest every return of the PATHs (as 'iafq ingest': a\n"
    "folder such as incoming/ means every return in it; an empty one is\n"
    "nothing to ingest), aggregate (as 'iafq aggregate'), export (as 'iafq\n"
    "export --internal', every format) into DIR, then write run.json there,\n"
    "the summary of the run (files, submissions, the aggregation run, the\n"
    "exports).  Only one run at a time: a second one says which run it waits\n"
    "for, and goes on when that one has finished.  Exit status 1 only when a\n"
    "return is rejected now (files loaded before are \"unchanged\").\n\n"
    "  -o, --output DIR  where the outputs go (created if missing, with its\n"
    "                    parent folders)\n"
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

static int run_steps(char **files, int nfiles, load_opts *lo, int wait,
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
    while ((c = cli_getopt(argc, argv, "ho:", opts, "run")) != -1) {
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
    char **files = NULL;
    int nfiles = 0;
    int rc = cli_inputs(argv + optind, argc - optind, &files, &nfiles);
    if (rc != EXIT_OK)
        return rc;
    /* an interrupt removes the release (and the folders made for it) */
    cli_interrupt_db(NULL);
    /* the run's export and run.json go to DIR together (export/plan.h) */
    iafq_error err = {0};
    export_release *rel = NULL;
    if (export_release_open(dir, &rel, &err)) {
        log_error(err.msg, "give a folder that can be written with -o",
                  "cannot write the run's outputs to '%s'", dir);
        cli_inputs_free(files, nfiles);
        return EXIT_OUTPUT;
    }
    rc = run_steps(files, nfiles, &lo, wait, dir, rel);
    export_release_free(rel);
    cli_inputs_free(files, nfiles);
    return rc;
}

/* The run holding the lock, in words: "iafq run, pid P on HOST since T"
 * as it named itself, else its database session; "" when none holds it
 * (it has just finished) or the query fails. */
static void lock_holder(char *out, size_t cap)
{
    PGresult *res = NULL;
    iafq_error err = {0};
    static const char *const cols[] = {"backend", "name", "since"};
    int c[3];
    out[0] = '\0';
    if (db_exec_file(cli_db(), "q/run_lock_holder.sql", 0, NULL, &res, &err) ||
        PQntuples(res) != 1 ||
        db_cols(res, "q/run_lock_holder.sql", cols, c, 3, &err)) {
        PQclear(res);
        return;
    }
    const char *name = PQgetvalue(res, 0, c[1]);
    if (!strncmp(name, "iafq run", 8))
        snprintf(out, cap, "%s", name);
    else
        snprintf(out, cap, "database session %s, connected since %s",
                 PQgetvalue(res, 0, c[0]), PQgetvalue(res, 0, c[2]));
    PQclear(res);
}

/* Take the run lock, saying whom it waits for and when it goes on; then
 * name this session for the runs that wait for it.  The exit status. */
static int take_lock(int wait)
{
    iafq_error err = {0};
    bool got = false;
    iafq_err le = agg_run_lock(cli_db(), false, &got, &err);
    if (le)
        return cli_db_failed(cli_db(), le, &err, NULL,
                             "cannot take the run lock");
    if (!got) {
        char who[200];
        lock_holder(who, sizeof who);
        if (!wait) {
            log_error(who[0] ? who : NULL, "leave out --no-wait to wait for it",
                      "another 'iafq run' is in progress on '%s'",
                      db_masked(cli_db()));
            return EXIT_USAGE;
        }
        log_notice("waiting for another 'iafq run' to finish%s%s",
                   who[0] ? ": " : "", who);
        if ((le = agg_run_lock(cli_db(), true, &got, &err)))
            return cli_db_failed(cli_db(), le, &err, NULL,
                                 "cannot take the run lock");
        log_notice("the other run has finished; this one goes on");
    }
    char host[64] = "", name[160], since[40];
    now_utc(since, sizeof since);
    gethostname(host, sizeof host - 1);
    host[strcspn(host, ".")] = '\0';
    /* application_name holds 63 bytes: 52 without the host (a pid of 7
     * digits at most), 11 for it */
    snprintf(name, sizeof name, "iafq run, pid %ld on %.11s since %s",
             (long)getpid(), host, since);
    const char *p[1] = {name};
    if (db_exec_file(cli_db(), "q/run_lock_name.sql", 1, p, NULL, &err))
        log_info("cannot name the run's session: %s", err.msg);
    return EXIT_OK;
}

/* The run itself, writing into release rel; the exit status. */
static int run_steps(char **paths, int npaths, load_opts *lo, int wait,
                     const char *dir, export_release *rel)
{
    cli_set_db_role(CLI_LOADER_ROLE); /* ingests, aggregates, exports */
    if (!cli_db())
        return cli_db_status();
    cli_interrupt_db(cli_db()); /* a wait for the lock too is cancelled */
    iafq_error err = {0};
    int lrc = take_lock(wait);
    if (lrc != EXIT_OK)
        return lrc;
    char started[40], finished[40];
    now_utc(started, sizeof started);

    intr_test_pause("ingest");
    if (npaths == 0)
        log_notice("nothing to ingest");
    cli_ingest_counts counts;
    cJSON *files = NULL;
    int rc = cli_ingest_files(paths, npaths, lo, 0, &counts, &files);
    intr_test_pause("aggregate");
    agg_info a;
    memset(&a, 0, sizeof a);
    iafq_err ae = cli_db() ? agg_run(cli_db(), &a, &err) : IAFQ_ERR_DB;
    progress_end();
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
    intr_test_pause("export");
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
    iafq_error rerr = {0};
    if (!e && agg_ok &&
        export_record(cli_db(), a.run, EXPORT_INTERNAL, dir, &rerr))
        log_warn(rerr.msg, "`iafq runs prune` may remove the run it used",
                 "the export to '%s' is in place but was not recorded", dir);
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
