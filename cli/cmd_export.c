/* iafq export - the files analysts and the data portal read (issue 7). */
#include "cli.h"
#include "exp.h"
#include "gscsv.h"
#include "log.h"
#include "gswb.h"
#include "portal.h"
#include "sdmx.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char _help[] =
    "usage: iafq [--db CONNINFO] export -o DIR [--public | --internal]\n"
    "                [--format FORMAT[,FORMAT...]]\n\n"
    "Write what analysts and the data portal read, from the latest\n"
    "aggregation run (one consistent snapshot of the database), into DIR:\n"
    "  xlsx    global-study.xlsx   the Global Study workbook (GS1-GS9, "
    "charts)\n"
    "  csv     gs1.csv ... gs9.csv, sdg_16_4_2*.csv   one CSV per table\n"
    "  portal  iafq-portal.csv, iafq-portal.xlsx   the portal's long file\n"
    "  json    iafq-portal.json    the portal's records with metadata\n"
    "  sdmx    sdmx_16_4_2.csv     SDG 16.4.2 as SDMX-CSV (VC_ARM_SZTRACE)\n"
    "Every file is written to a temporary file in DIR and renamed into place\n"
    "once every file is complete: a failed or interrupted export leaves the\n"
    "previous one as it was.  Prints each file written and what it is for.\n\n"
    "  -o, --output DIR  where the files go (created if missing)\n"
    "  --internal        everything, marked \"internal, not for publication\"\n"
    "                    (the default; reads schema iafq)\n"
    "  --public          connect as role iafq_portal and read only\n"
    "                    iafq_public: a country that did not consent to\n"
    "                    publication appears in no file\n"
    "  --format LIST     some of xlsx,csv,portal,json,sdmx (default: all)\n";

enum {
    OPT_OUT = 'o',
    OPT_HELP = 'h',
    OPT_PUBLIC = 1,
    OPT_INTERNAL,
    OPT_FORMAT,
};

static const char *const _format_names[] = {"xlsx", "csv", "portal", "json",
                                            "sdmx"};
enum { _F_XLSX = 1, _F_CSV = 2, _F_PORTAL = 4, _F_JSON = 8, _F_SDMX = 16 };

/* One file of an export. */
typedef struct {
    unsigned format;  /* _F_* */
    const char *file; /* name in DIR */
    const char *what; /* for people */
    const char *view; /* CSV tables: the view (write is NULL) */
    iafq_err (*write)(const exp_ctx *, const char *, iafq_error *);
    char tmp[4096]; /* the temporary file, "" when none */
    char name[80];  /* file for views */
} _job;

/* The files, in the order they are written: the fixed ones of each
 * format; the CSV tables come from gscsv_tables(). */
static const _job _fixed[] = {
    {_F_XLSX, "global-study.xlsx",
     "Global Study workbook: GS1-GS9, 16.4.2, charts (for analysts, Excel)",
     NULL, gswb_write, "", ""},
    {_F_PORTAL, "iafq-portal.csv",
     "portal long file, the published layout (for the data portal)", NULL,
     portal_write_csv, "", ""},
    {_F_PORTAL, "iafq-portal.xlsx",
     "portal long file as a workbook (for the data portal)", NULL,
     portal_write_xlsx, "", ""},
    {_F_JSON, "iafq-portal.json",
     "portal records with release metadata (JSON, for the data portal)", NULL,
     portal_write_json, "", ""},
    {_F_SDMX, "sdmx_16_4_2.csv",
     "SDG 16.4.2 as SDMX-CSV, series VC_ARM_SZTRACE (for the UN Global SDG "
     "Database)",
     NULL, sdmx_write, "", ""},
};

/* --------------------------------------------- temporary files, signals */

/* The temporary files of the export under way, removed when a signal
 * (SIGINT, SIGTERM, SIGHUP) ends the process; SIGKILL leaves them (hidden
 * files ".NAME.XXXXXX" that the previous export's files do not depend
 * on). */
#define _MAX_JOBS 32
static _job *volatile _live;
static volatile sig_atomic_t _nlive;

static void _on_signal(int sig)
{
    _job *jobs = _live;
    for (sig_atomic_t i = 0; jobs && i < _nlive; i++)
        if (jobs[i].tmp[0])
            unlink(jobs[i].tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void _catch(_job *jobs, int n)
{
    _live = jobs;
    _nlive = n;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = jobs ? _on_signal : SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

static void _remove_temps(_job *jobs, int n)
{
    for (int i = 0; i < n; i++)
        if (jobs[i].tmp[0]) {
            unlink(jobs[i].tmp);
            jobs[i].tmp[0] = '\0';
        }
}

/* ------------------------------------------------------------- the job */

static int _status(iafq_err rc)
{
    /* a full disk, an unwritable folder, a lost connection: exit 2 */
    return rc == IAFQ_ERR_IO || rc == IAFQ_ERR_DB ? EXIT_USAGE : EXIT_INTERNAL;
}

/* Add the job of fixed file f, unless its format is not asked for. */
static void _add_fixed(const _job *f, unsigned formats, _job *jobs, int *n,
                       int cap)
{
    if ((formats & f->format) && *n < cap)
        jobs[(*n)++] = *f;
}

/* The jobs of the formats asked for, into jobs (cap): the workbook, the
 * CSV tables, the portal files, SDMX.  Their number. */
static int _plan(unsigned formats, _job *jobs, int cap)
{
    int n = 0;
    const size_t nfixed = sizeof _fixed / sizeof *_fixed;
    _add_fixed(&_fixed[0], formats, jobs, &n, cap);
    size_t nt;
    const gscsv_table *t = gscsv_tables(&nt);
    for (size_t k = 0; (formats & _F_CSV) && k < nt && n < cap; k++) {
        memset(&jobs[n], 0, sizeof jobs[n]);
        jobs[n].format = _F_CSV;
        snprintf(jobs[n].name, sizeof jobs[n].name, "%s.csv", t[k].view);
        jobs[n].file = jobs[n].name;
        jobs[n].what = t[k].what;
        jobs[n].view = t[k].view;
        n++;
    }
    for (size_t i = 1; i < nfixed; i++)
        _add_fixed(&_fixed[i], formats, jobs, &n, cap);
    return n;
}

static iafq_err _write_one(const exp_ctx *ctx, const _job *j, iafq_error *err)
{
    if (j->view)
        return gscsv_write(ctx, j->view, j->tmp, err);
    return j->write(ctx, j->tmp, err);
}

int cli_export(db_conn *db, const char *dir, int public_, unsigned formats,
               cJSON *list)
{
    static _job jobs[_MAX_JOBS];
    int n = _plan(formats, jobs, _MAX_JOBS);
    if (n < 0)
        return EXIT_USAGE;
    exp_ctx ctx;
    iafq_error err = {0};
    if (exp_begin(db, public_, &ctx, &err)) {
        log_error(err.msg,
                  "is the database reachable and migrated ('iafq db "
                  "status')?",
                  "cannot read the latest aggregation from '%s'",
                  db_masked(db));
        return EXIT_USAGE;
    }
    if (ctx.run.id == 0) {
        exp_end(&ctx);
        log_error(NULL, "run 'iafq aggregate' (or 'iafq run') first",
                  "there is no aggregation run to export in '%s'",
                  db_masked(db));
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    _catch(jobs, n);
    for (int i = 0; i < n && rc == EXIT_OK; i++) {
        iafq_err e = exp_temp_path(dir, jobs[i].file, jobs[i].tmp,
                                   sizeof jobs[i].tmp, &err);
        if (e) {
            jobs[i].tmp[0] = '\0';
        } else {
            e = _write_one(&ctx, &jobs[i], &err);
        }
        if (e) {
            log_error(err.msg,
                      e == IAFQ_ERR_IO ? "is the disk full or the folder "
                                         "read-only?"
                                       : NULL,
                      "cannot export '%s/%s'; the previous export is left "
                      "as it was",
                      dir, jobs[i].file);
            rc = _status(e);
        }
    }
    exp_end(&ctx);
    /* Every file is complete: rename them all into place. */
    int done = 0;
    for (; rc == EXIT_OK && done < n; done++) {
        iafq_err e =
            exp_commit_file(jobs[done].tmp, dir, jobs[done].file, &err);
        if (e) {
            log_error(err.msg, "is the disk full or the folder read-only?",
                      "cannot export '%s/%s'", dir, jobs[done].file);
            rc = _status(e);
            break;
        }
        jobs[done].tmp[0] = '\0';
    }
    _remove_temps(jobs, n);
    _catch(NULL, 0);
    for (int i = 0; i < done; i++) {
        printf("%s/%s\t%s\n", dir, jobs[i].file, jobs[i].what);
        cJSON *o = list ? cJSON_CreateObject() : NULL;
        if (o) {
            cJSON_AddStringToObject(o, "file", jobs[i].file);
            cJSON_AddStringToObject(o, "format",
                                    jobs[i].format == _F_XLSX     ? "xlsx"
                                    : jobs[i].format == _F_CSV    ? "csv"
                                    : jobs[i].format == _F_PORTAL ? "portal"
                                    : jobs[i].format == _F_JSON   ? "json"
                                                                  : "sdmx");
            cJSON_AddStringToObject(o, "what", jobs[i].what);
            cJSON_AddStringToObject(o, "scope",
                                    public_ ? "public" : "internal");
            cJSON_AddNumberToObject(o, "run", (double)ctx.run.id);
            cJSON_AddItemToArray(list, o);
        }
    }
    if (rc == EXIT_OK)
        log_info("exported run %lld (%s) to '%s'", ctx.run.id,
                 public_ ? "public" : "internal", dir);
    return rc;
}

int cli_output_dir(const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        log_error(strerror(errno), "give a folder that can be created",
                  "cannot create the output folder '%s'", dir);
        return -1;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        log_error(stat(dir, &st) != 0 ? strerror(errno) : "not a folder",
                  "give a folder with -o", "cannot write into '%s'", dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        log_error(strerror(errno), "give a writable folder with -o",
                  "cannot write into '%s'", dir);
        return -1;
    }
    return 0;
}

/* "xlsx,csv": the _F_ bits, or 0 after logging a bad name. */
static unsigned _formats(const char *arg)
{
    unsigned f = 0;
    const char *p = arg;
    while (*p) {
        size_t len = strcspn(p, ",");
        unsigned bit = 0;
        for (size_t i = 0; i < sizeof _format_names / sizeof *_format_names;
             i++)
            if (strlen(_format_names[i]) == len &&
                !strncmp(p, _format_names[i], len))
                bit = 1u << i;
        if (!bit) {
            log_error(NULL, "formats: xlsx, csv, portal, json, sdmx",
                      "unknown export format '%.*s'", (int)len, p);
            return 0;
        }
        f |= bit;
        p += len;
        if (*p == ',')
            p++;
    }
    if (!f)
        log_error(NULL, "formats: xlsx, csv, portal, json, sdmx",
                  "--format needs at least one format");
    return f;
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, OPT_OUT},
        {"public", no_argument, NULL, OPT_PUBLIC},
        {"internal", no_argument, NULL, OPT_INTERNAL},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL;
    int public_ = 0, internal = 0, c;
    unsigned formats = CLI_EXPORT_ALL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (c) {
        case OPT_OUT:
            dir = optarg;
            break;
        case OPT_PUBLIC:
            public_ = 1;
            break;
        case OPT_INTERNAL:
            internal = 1;
            break;
        case OPT_FORMAT:
            if (!(formats = _formats(optarg)))
                return EXIT_USAGE;
            break;
        case OPT_HELP:
            fputs(_help, stdout);
            return EXIT_OK;
        default:
            log_error(NULL, "see 'iafq export --help'",
                      c == ':' ? "option '%s' needs a value"
                               : "unknown option '%s'",
                      argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        log_error(NULL, "see 'iafq export --help'", "unexpected argument '%s'",
                  argv[optind]);
        return EXIT_USAGE;
    }
    if (!dir) {
        log_error(NULL, "see 'iafq export --help'", "export needs -o DIR");
        return EXIT_USAGE;
    }
    if (public_ && internal) {
        log_error(NULL, "give one of them",
                  "--public and --internal exclude "
                  "each other");
        return EXIT_USAGE;
    }
    if (cli_output_dir(dir))
        return EXIT_USAGE;
    if (!public_) {
        cli_set_db_role(CLI_ANALYST_ROLE);
        if (!cli_db())
            return cli_db_status();
        return cli_export(cli_db(), dir, 0, formats, NULL);
    }
    /* --public: as iafq_portal, which may read iafq_public and nothing
     * else, so that the database keeps undisclosed figures out.  That role
     * cannot migrate (nor see the migrations): iafq's own cluster is
     * brought up to date as its owner first; another database is the
     * job of 'iafq db init'. */
    const char *conninfo = db_choose_conninfo(cli_db_option());
    if (!conninfo) {
        if (!cli_db())
            return cli_db_status();
        cli_db_release();
    }
    db_conn *pdb = NULL;
    iafq_error err = {0};
    if (db_open_as(conninfo, CLI_PORTAL_ROLE, &pdb, &err)) {
        log_error(err.msg,
                  "the role " CLI_PORTAL_ROLE " must exist and may log in: "
                  "'iafq db init' creates it; with --db, its password comes "
                  "from PGPASSWORD or ~/.pgpass",
                  "cannot connect as " CLI_PORTAL_ROLE);
        return EXIT_USAGE;
    }
    int rc = cli_export(pdb, dir, 1, formats, NULL);
    db_close(pdb);
    return rc;
}
