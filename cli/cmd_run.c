/* iafq run - the nightly job: ingest every file, aggregate, export. */
#include "agg.h"
#include "cli.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char _help[] =
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

static void _now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Write text to DIR/name through a temporary file renamed into place, so
 * a reader never sees half a file.  0 or -1 (logged). */
static int _write_atomic(const char *dir, const char *name, const char *text)
{
    char tmp[4096], final[4096];
    if (snprintf(final, sizeof final, "%s/%s", dir, name) >=
            (int)sizeof final ||
        snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name) >=
            (int)sizeof tmp) {
        log_error(NULL, NULL, "output path too long in '%s'", dir);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        log_error(strerror(errno), "check that DIR is writable",
                  "cannot write in '%s'", dir);
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        log_error(strerror(errno), NULL, "cannot write '%s'", tmp);
        return -1;
    }
    int bad = fputs(text, f) < 0 || fputc('\n', f) == EOF;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, final) != 0) {
        log_error(strerror(errno), "is the disk full?", "cannot write '%s'",
                  final);
        unlink(tmp);
        return -1;
    }
    return 0;
}

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
            fputs(_help, stdout);
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
    if (cli_output_dir(dir))
        return EXIT_USAGE;

    cli_set_db_role(CLI_LOADER_ROLE); /* ingests, aggregates, exports */
    if (!cli_db())
        return cli_db_status();
    iafq_error err = {0};
    bool got = false;
    if (wait)
        log_info("waiting for any other run to finish");
    if (agg_run_lock(cli_db(), wait, &got, &err)) {
        log_error(err.msg, NULL, "cannot take the run lock");
        return EXIT_INTERNAL;
    }
    if (!got) {
        log_error(NULL, "leave out --no-wait to wait for it",
                  "another 'iafq run' is in progress on '%s'",
                  db_masked(cli_db()));
        return EXIT_USAGE;
    }
    char started[40], finished[40];
    _now(started, sizeof started);

    cli_ingest_counts counts;
    cJSON *files = NULL;
    int rc =
        cli_ingest_files(argv + optind, argc - optind, &lo, 0, &counts, &files);
    agg_info a;
    memset(&a, 0, sizeof a);
    int agg_ok = cli_db() && agg_run(cli_db(), &a, &err) == IAFQ_OK;
    if (!agg_ok) {
        log_error(err.msg, "the previous aggregation stays in place",
                  "the aggregation failed");
        rc = rc > EXIT_INTERNAL ? rc : EXIT_INTERNAL;
    } else if (cli_print_agg(&a, 0) != EXIT_OK) {
        rc = EXIT_INTERNAL;
    }
    /* the exports of this run (internal, every format) */
    cJSON *exports = cJSON_CreateArray();
    if (agg_ok && exports) {
        int erc = cli_export(cli_db(), dir, 0, CLI_EXPORT_ALL, exports);
        if (erc != EXIT_OK && erc > rc)
            rc = erc;
    }
    _now(finished, sizeof finished);

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
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text || _write_atomic(dir, "run.json", text)) {
        free(text);
        agg_run_unlock(cli_db());
        return text ? EXIT_USAGE : EXIT_INTERNAL;
    }
    free(text);
    agg_run_unlock(cli_db());
    printf("run: wrote %s/run.json\n", dir);
    return rc;
}
