/* iafq ingest - read, validate and load returns into PostgreSQL. */
#include "cli.h"
#include "interrupt.h"
#include "load.h"
#include "log.h"
#include "progress.h"
#include "report.h"
#include "source.h"
#include "str.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
    "usage: iafq [--db CONNINFO] ingest [--format text|json] [--strict]\n"
    "                   [LIMITS] PATH...\n\n"
    "Read and validate each return as 'iafq check' does, then load it into\n"
    "the database as a submission, all of a file in one transaction:\n"
    "accepted, or rejected with its report.  A PATH is a file (workbook,\n"
    "zip, long-format file), a folder of table CSV files (COVER.csv, T1.csv\n"
    "...: one return), or any other folder: every return in it, by name\n"
    "(hidden files skipped; an empty folder is nothing to ingest).  The same\n"
    "bytes again under the same --strict change nothing: \"unchanged\", with\n"
    "their earlier verdict (under the other --strict they are judged\n"
    "again).  A newer accepted return of a country-year supersedes the older\n"
    "one; a rejected one never does; nothing is deleted ('iafq history'\n"
    "lists them).  Exit status 1 only when a return is rejected now.\n\n"
    "  --format text|json  report format on stdout (default text)\n"
    "  --strict            treat warnings as errors\n\n";

enum { OPT_FORMAT = 'f', OPT_STRICT = 's', OPT_HELP = 'h' };

static const char *_file_status_str(int s)
{
    static const char *const names[] = {"accepted", "rejected", "unchanged",
                                        "failed"};
    return names[s];
}

/* The outcome of one file: its status and the submissions it made. */
static int _file_status(const load_result *r)
{
    if (r->unchanged)
        return CLI_INGEST_UNCHANGED;
    for (size_t i = 0; i < r->nsubs; i++)
        if (!r->subs[i].accepted)
            return CLI_INGEST_REJECTED;
    return CLI_INGEST_ACCEPTED;
}

/* The outcome of one file as text; path is printed escaped (a focal
 * point's file name can forge no line).  -1 when stdout fails. */
static int _text_file(const char *path, const load_result *r, int st)
{
    char *name = str_escape_ctl(path);
    if (!name)
        return -1;
    int ok = 1;
    if (st == CLI_INGEST_UNCHANGED) {
        /* the verdict given when the bytes came first */
        size_t acc = 0;
        for (size_t i = 0; i < r->nsubs; i++)
            acc += r->subs[i].accepted;
        ok = printf("unchanged  %s: the same bytes are already ", name) > 0;
        if (ok && r->nsubs == 1)
            ok = printf("submission %lld (%s %d), %s earlier\n", r->subs[0].id,
                        r->subs[0].country[0] ? r->subs[0].country : "-",
                        r->subs[0].year,
                        r->subs[0].accepted ? "accepted" : "rejected") > 0;
        else if (ok)
            ok = printf("submissions %lld to %lld (%zu returns: %zu accepted, "
                        "%zu rejected earlier)\n",
                        r->subs[0].id, r->subs[r->nsubs - 1].id, r->nsubs, acc,
                        r->nsubs - acc) > 0;
        free(name);
        return ok ? 0 : -1;
    }
    if (r->nsubs == 1) {
        const load_submission *s = &r->subs[0];
        ok = printf("%-10s %s: submission %lld, %s %d, %lld error(s), %lld "
                    "warning(s)\n",
                    s->accepted ? "accepted" : "rejected", name, s->id,
                    s->country[0] ? s->country : "-", s->year, s->errors,
                    s->warnings) > 0;
    } else {
        size_t acc = 0;
        for (size_t i = 0; i < r->nsubs; i++)
            acc += r->subs[i].accepted;
        ok = printf("%-10s %s: %zu returns, submissions %lld to %lld: %zu "
                    "accepted, %zu rejected\n",
                    _file_status_str(st), name, r->nsubs, r->subs[0].id,
                    r->subs[r->nsubs - 1].id, acc, r->nsubs - acc) > 0;
    }
    free(name);
    /* what is wrong with a rejected return, where, in plain words */
    for (size_t i = 0; ok && i < r->check.n; i++)
        if (!check_valid(r->check.v[i]) &&
            report_text(stdout, r->check.v[i], NULL) != IAFQ_OK)
            ok = 0;
    return ok ? 0 : -1;
}

static cJSON *_json_file(const char *path, const load_result *r, int st,
                         const char *error)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *subs = cJSON_CreateArray();
    if (!o || !subs) {
        cJSON_Delete(o);
        cJSON_Delete(subs);
        return NULL;
    }
    cJSON_AddStringToObject(o, "file", path);
    if (r && r->sha256[0])
        cJSON_AddStringToObject(o, "sha256", r->sha256);
    else
        cJSON_AddNullToObject(o, "sha256");
    cJSON_AddStringToObject(o, "status", _file_status_str(st));
    if (error)
        cJSON_AddStringToObject(o, "error", error);
    else
        cJSON_AddNullToObject(o, "error");
    for (size_t i = 0; r && i < r->nsubs; i++) {
        const load_submission *s = &r->subs[i];
        cJSON *j = cJSON_CreateObject();
        if (!j)
            break;
        cJSON_AddNumberToObject(j, "submission", (double)s->id);
        if (s->country[0])
            cJSON_AddStringToObject(j, "country", s->country);
        else
            cJSON_AddNullToObject(j, "country");
        if (s->year)
            cJSON_AddNumberToObject(j, "year", s->year);
        else
            cJSON_AddNullToObject(j, "year");
        cJSON_AddStringToObject(j, "status",
                                s->accepted ? "accepted" : "rejected");
        cJSON_AddNumberToObject(j, "errors", (double)s->errors);
        cJSON_AddNumberToObject(j, "warnings", (double)s->warnings);
        cJSON_AddItemToArray(subs, j);
    }
    cJSON_AddItemToObject(o, "submissions", subs);
    return o;
}

static iafq_err count_rows(void *ud, uint64_t n, iafq_error *err)
{
    (void)ud;
    (void)err;
    progress_rows(n);
    return IAFQ_OK;
}

/* ------------------------------------------------------------- inputs */

/* 1 when dir holds a table CSV file (a CSV return), as source.c reads it. */
static int csv_return(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL)
        found = e->d_name[0] != '.' && source_csv_table(e->d_name) >= 0;
    closedir(d);
    return found;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append s (copied) to *v; 0, or -1 when out of memory. */
static int push(char ***v, int *n, int *cap, const char *s)
{
    if (*n == *cap) {
        int c = *cap ? *cap * 2 : 16;
        char **nv = realloc(*v, (size_t)c * sizeof *nv);
        if (!nv)
            return -1;
        *v = nv;
        *cap = c;
    }
    if (!((*v)[*n] = strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

/* The returns in folder dir (not a CSV return), sorted, appended. */
static int folder_inputs(const char *dir, char ***v, int *n, int *cap)
{
    DIR *d = opendir(dir);
    if (!d) /* kept as it is: its ingest says why it cannot be read */
        return push(v, n, cap, dir);
    char **names = NULL;
    int nn = 0, ncap = 0, rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') /* hidden, "." and ".." */
            rc = push(&names, &nn, &ncap, e->d_name);
    closedir(d);
    if (nn)
        qsort(names, (size_t)nn, sizeof *names, by_name);
    size_t dl = strlen(dir);
    int slash = dl > 0 && dir[dl - 1] == '/';
    for (int i = 0; !rc && i < nn; i++) {
        char *path = malloc(dl + strlen(names[i]) + 2);
        if (!path) {
            rc = -1;
            break;
        }
        sprintf(path, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat st;
        if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
            rc = push(v, n, cap, path); /* a broken link: its ingest says */
        else if (S_ISDIR(st.st_mode) && csv_return(path))
            rc = push(v, n, cap, path);
        else if (S_ISDIR(st.st_mode))
            log_notice("skipping the folder '%s': no table CSV files "
                       "(COVER.csv, T1.csv ...) in it",
                       path);
        else
            log_notice("skipping '%s': not a file", path);
        free(path);
    }
    cli_inputs_free(names, nn);
    return rc;
}

int cli_inputs(char **args, int n, char ***out, int *nout)
{
    char **v = NULL;
    int nv = 0, cap = 0, rc = 0;
    for (int i = 0; !rc && i < n; i++) {
        struct stat st;
        if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode) &&
            !csv_return(args[i]))
            rc = folder_inputs(args[i], &v, &nv, &cap);
        else
            rc = push(&v, &nv, &cap, args[i]);
    }
    if (rc) {
        cli_inputs_free(v, nv);
        log_error(NULL, NULL, "out of memory listing the files to ingest");
        return EXIT_INTERNAL;
    }
    *out = v;
    *nout = nv;
    return EXIT_OK;
}

void cli_inputs_free(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* ------------------------------------------------------------- ingest */

static int _worse(int a, int b)
{
    /* 3 internal > 2 usage/unreachable > 1 rejected > 0 */
    return a > b ? a : b;
}

int cli_ingest_files(char **files, int n, const load_opts *lo, int json,
                     cli_ingest_counts *counts, cJSON **out_json)
{
    memset(counts, 0, sizeof *counts);
    int rc = EXIT_OK;
    /* T11 rows counted for the progress line, unless the caller counts */
    load_opts opts = *lo;
    if (!opts.on_seizure_queued && progress_on())
        opts.on_seizure_queued = count_rows;
    lo = &opts;
    if (n > 0)
        cli_interrupt_db(cli_db());
    cJSON *arr = out_json ? cJSON_CreateArray() : NULL;
    if (out_json && !arr)
        return EXIT_INTERNAL;
    for (int i = 0; i < n; i++) {
        char label[4200];
        snprintf(label, sizeof label, "ingest [%d/%d] %s", i + 1, n, files[i]);
        progress_begin(label);
        load_result r;
        iafq_error err = {0};
        db_conn *db = cli_db();
        iafq_err e =
            db ? load_path(db, files[i], lo, &r, &err)
               : iafq_error_set(&err, IAFQ_ERR_DB, "no database connection");
        progress_end();
        int st;
        if (e) {
            st = CLI_INGEST_FAILED;
            counts->failed++;
            /* an unreadable file (2); the database unreachable, lost,
             * full or refusing (2, cli_db_failed); else internal (3) */
            int code = e == IAFQ_ERR_IO
                           ? EXIT_INPUT
                           : cli_db_failed(db, e, &err,
                                           e == IAFQ_ERR_DB
                                               ? "nothing of this file was "
                                                 "stored; the other files go "
                                                 "on"
                                               : NULL,
                                           "cannot ingest '%s'", files[i]);
            if (e == IAFQ_ERR_IO)
                log_error(err.msg, "check the path", "cannot ingest '%s'",
                          files[i]);
            rc = _worse(rc, code);
            int gone = db && PQstatus(db_pg(db)) != CONNECTION_OK &&
                       cli_db_reconnect() != EXIT_OK;
            if (db && !gone)
                cli_interrupt_db(cli_db()); /* the connection may be new */
            if (gone) {
                /* the database is gone: the remaining files cannot load */
                if (arr)
                    cJSON_AddItemToArray(
                        arr, _json_file(files[i], NULL, st, err.msg));
                for (int k = i + 1; k < n; k++) {
                    counts->failed++;
                    if (arr)
                        cJSON_AddItemToArray(
                            arr, _json_file(files[k], NULL, CLI_INGEST_FAILED,
                                            "the database cannot be reached"));
                }
                break;
            }
            if (arr)
                cJSON_AddItemToArray(arr,
                                     _json_file(files[i], NULL, st, err.msg));
            continue;
        }
        st = _file_status(&r);
        if (st == CLI_INGEST_ACCEPTED)
            counts->accepted++;
        else if (st == CLI_INGEST_REJECTED)
            counts->rejected++;
        else
            counts->unchanged++;
        /* rejected now: 1; an unchanged file was judged before */
        for (size_t k = 0; st != CLI_INGEST_UNCHANGED && k < r.nsubs; k++)
            if (!r.subs[k].accepted)
                rc = _worse(rc, EXIT_REJECTED);
        if (arr)
            cJSON_AddItemToArray(arr, _json_file(files[i], &r, st, NULL));
        if (!json && _text_file(files[i], &r, st))
            rc = _worse(rc, cli_stdout_failed());
        load_result_release(&r);
    }
    if (out_json)
        *out_json = arr;
    return rc;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option own[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"help", no_argument, NULL, OPT_HELP},
    };
    struct option opts[32];
    if (cli_options_with_limits(own, sizeof own / sizeof *own, opts, 32))
        return EXIT_INTERNAL;

    load_opts lo;
    load_opts_default(&lo);
    int json = 0, c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "ingest")) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case OPT_STRICT:
            lo.check.strict = true;
            break;
        case OPT_HELP:
            fputs(help, stdout);
            fputs(cli_limit_help, stdout);
            return EXIT_OK;
        default: {
            int rc = cli_other_option(c, optarg, &lo.check.lim, "ingest");
            if (rc != EXIT_OK)
                return rc;
            break;
        }
        }
    }
    if (optind >= argc) {
        log_error(NULL, "see 'iafq ingest --help'", "no PATH to ingest");
        return EXIT_USAGE;
    }
    char **files = NULL;
    int nfiles = 0;
    int rc = cli_inputs(argv + optind, argc - optind, &files, &nfiles);
    if (rc != EXIT_OK)
        return rc;
    cli_set_db_role(CLI_LOADER_ROLE);
    if (nfiles == 0) {
        log_notice("nothing to ingest");
    } else if (!cli_db()) {
        cli_inputs_free(files, nfiles);
        return cli_db_status();
    }
    cli_ingest_counts counts;
    cJSON *arr = NULL;
    rc =
        cli_ingest_files(files, nfiles, &lo, json, &counts, json ? &arr : NULL);
    cli_inputs_free(files, nfiles);
    if (json) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !arr) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            return EXIT_INTERNAL;
        }
        cJSON_AddItemToObject(o, "files", arr);
        cJSON_AddNumberToObject(o, "accepted", (double)counts.accepted);
        cJSON_AddNumberToObject(o, "rejected", (double)counts.rejected);
        cJSON_AddNumberToObject(o, "unchanged", (double)counts.unchanged);
        cJSON_AddNumberToObject(o, "failed", (double)counts.failed);
        /* every control character of a file name escaped */
        iafq_error err = {0};
        iafq_err e = report_json_write(stdout, o, &err);
        cJSON_Delete(o);
        if (e == IAFQ_ERR_IO)
            return _worse(rc, cli_stdout_failed());
        if (e) {
            log_error(err.msg, NULL, "cannot write the ingest report");
            return EXIT_INTERNAL;
        }
    } else if (printf("ingest: %d file(s): %d accepted, %d rejected, %d "
                      "unchanged, %d failed\n",
                      nfiles, counts.accepted, counts.rejected,
                      counts.unchanged, counts.failed) < 0) {
        return _worse(rc, cli_stdout_failed());
    }
    return rc;
}
