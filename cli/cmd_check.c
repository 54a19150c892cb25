/* iafq check - validate returns without a database. */
#include "check.h"
#include "cli.h"
#include "feedback.h"
#include "i18n.h"
#include "log.h"
#include "progress.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char _help[] =
    "usage: iafq check [--format text|json] [--feedback OUT.xlsx] [--strict]\n"
    "                  [--lang en|fr|es] [LIMITS] FILE...\n\n"
    "Validate IAFQ returns (an .xlsx workbook, a folder or .zip of table CSV\n"
    "files, or a portal long-format file) against the IAFQ schema and print\n"
    "every finding with its code, cell and plain-words message.\n\n"
    "  --format text|json  report format on stdout (default text)\n"
    "  --feedback OUT.xlsx write the return back with each finding marked on\n"
    "                      its cell and listed on a first sheet (one FILE)\n"
    "  --strict            treat warnings as errors\n"
    "  --lang en|fr|es     language of the messages and the feedback workbook\n"
    "                      (English, French, Spanish; codes are the same)\n\n";

enum {
    OPT_FORMAT = 'f',
    OPT_FEEDBACK = 'F',
    OPT_STRICT = 's',
    OPT_HELP = 'h',
    OPT_LANG = 'L'
};

typedef struct {
    const char *out, *in;
    const check_result *res;
    const iafq_limits *lim;
    const finding_list *findings;
    const feedback_about *about;
    i18n_lang lang;
} _fb_job;

/* feedback_write in a child process: see cli_isolated. */
static iafq_err _fb_run(void *arg, iafq_error *err)
{
    const _fb_job *j = arg;
    return feedback_write_about(j->out, j->in, j->res->kind, j->res->readable,
                                j->lim, j->findings, j->about, j->lang, err);
}

int cmd_check(int argc, char **argv)
{
    static const struct option own[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"feedback", required_argument, NULL, OPT_FEEDBACK},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, OPT_HELP},
    };
    struct option opts[32];
    if (cli_options_with_limits(own, sizeof own / sizeof *own, opts, 32))
        return EXIT_INTERNAL;

    check_opts co;
    check_opts_default(&co);
    int json = 0;
    const char *feedback = NULL;
    i18n_lang lang = I18N_EN;
    int c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "check")) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case OPT_FEEDBACK:
            feedback = optarg;
            break;
        case OPT_STRICT:
            co.strict = true;
            break;
        case OPT_LANG: {
            int l = i18n_parse(optarg);
            if (l < 0) {
                log_error(NULL, "use en, fr or es",
                          "unknown language '%s' for --lang", optarg);
                return EXIT_USAGE;
            }
            lang = (i18n_lang)l;
            break;
        }
        case OPT_HELP:
            fputs(_help, stdout);
            fputs(cli_limit_help, stdout);
            return EXIT_OK;
        default: {
            int rc = cli_other_option(c, optarg, &co.lim, "check");
            if (rc != EXIT_OK)
                return rc;
            break;
        }
        }
    }
    int nfiles = argc - optind;
    if (nfiles < 1) {
        log_error(NULL, "see 'iafq check --help'", "no FILE to check");
        return EXIT_USAGE;
    }
    if (feedback && nfiles != 1) {
        log_error(NULL, "run one check per file for feedback workbooks",
                  "--feedback takes exactly one FILE");
        return EXIT_USAGE;
    }

    int status = EXIT_OK;
    iafq_return **all = NULL;
    size_t nall = 0;
    check_result *results = calloc((size_t)nfiles, sizeof *results);
    if (!results) {
        log_error(NULL, NULL, "out of memory");
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < nfiles; i++) {
        const char *path = argv[optind + i];
        iafq_error err = {0};
        char label[4200]; /* a progress line on a terminal (progress.h) */
        snprintf(label, sizeof label, "check [%d/%d] %s", i + 1, nfiles, path);
        progress_begin(label);
        iafq_err e = check_path(path, &co, &results[i], &err);
        progress_end();
        if (e == IAFQ_ERR_IO) {
            log_error(err.msg, "check the path", "cannot read '%s'", path);
            if (status < EXIT_INPUT)
                status = EXIT_INPUT;
            continue;
        }
        if (e) {
            log_error(err.msg, NULL, "checking '%s' failed: %s", path,
                      iafq_strerror(e));
            status = EXIT_INTERNAL;
            continue;
        }
        iafq_return **na = realloc(all, (nall + results[i].n) * sizeof *na);
        if (!na) {
            log_error(NULL, NULL, "out of memory");
            status = EXIT_INTERNAL;
            break;
        }
        all = na;
        for (size_t j = 0; j < results[i].n; j++) {
            all[nall++] = results[i].v[j];
            if (!check_valid(results[i].v[j]) && status < EXIT_REJECTED)
                status = EXIT_REJECTED;
        }
        if (feedback) {
            /* one list for the file, even when it held several returns */
            finding_list all_f;
            findings_init(&all_f, 0, false);
            int oom = 0;
            for (size_t j = 0; j < results[i].n && !oom; j++)
                oom = findings_merge(&all_f, &results[i].v[j]->findings);
            /* the header block: the returns' countries and years, the
             * verdict as the exit status has it (strict included) */
            char countries[64] = "", years[64] = "";
            feedback_about about = {path, countries, years, FEEDBACK_ACCEPTED};
            for (size_t j = 0; j < results[i].n; j++) {
                const iafq_return *rr = results[i].v[j];
                char y[16];
                snprintf(y, sizeof y, "%d", rr->year);
                if (rr->country[0] && !strstr(countries, rr->country))
                    snprintf(countries + strlen(countries),
                             sizeof countries - strlen(countries), "%s%s",
                             countries[0] ? ", " : "", rr->country);
                if (rr->year && !strstr(years, y))
                    snprintf(years + strlen(years),
                             sizeof years - strlen(years), "%s%s",
                             years[0] ? ", " : "", y);
                if (!check_valid(rr))
                    about.verdict = FEEDBACK_REJECTED;
                else if (rr->findings.nwarn &&
                         about.verdict == FEEDBACK_ACCEPTED)
                    about.verdict = FEEDBACK_ACCEPTED_WARNINGS;
            }
            _fb_job job = {feedback, path,   &results[i], &co.lim,
                           &all_f,   &about, lang};
            e = oom ? iafq_error_set(&err, IAFQ_ERR_NOMEM, "out of memory")
                    : cli_isolated(_fb_run, &job, &err);
            findings_free(&all_f);
            if (e) {
                log_error(err.msg,
                          "check that the folder exists and is "
                          "writable",
                          "cannot write the feedback workbook '%s'", feedback);
                int st = e == IAFQ_ERR_IO ? EXIT_OUTPUT : EXIT_INTERNAL;
                if (st > status)
                    status = st;
            }
        }
    }
    iafq_error err = {0};
    iafq_err e = IAFQ_OK;
    if (json)
        e = report_json_lang(stdout, all, nall, nfiles > 1, lang, &err);
    else
        for (size_t j = 0; j < nall && !e; j++)
            e = report_text_lang(stdout, all[j], lang, &err);
    if (e == IAFQ_ERR_IO) {
        int st = cli_stdout_failed();
        if (st > status)
            status = st;
    } else if (e) {
        log_error(err.msg, NULL, "cannot write the report");
        int st = EXIT_INTERNAL;
        if (st > status)
            status = st;
    }
    free(all);
    for (int i = 0; i < nfiles; i++)
        check_result_release(&results[i]);
    free(results);
    return status;
}
