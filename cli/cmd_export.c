/* iafq export - the files analysts and the data portal read (issue 7).
 * What an export consists of and how it reaches DIR: export/plan.h; here
 * the options, the connection and what is printed. */
#include "cli.h"
#include "log.h"
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
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
    "DIR is a symbolic link to a complete release folder beside it\n"
    "(.DIR.iafq-XXXXXX), switched at once when every file is complete: a\n"
    "reader of DIR/... always sees the files of one export, and a failed or\n"
    "interrupted export leaves the previous one as it was.  Prints each file\n"
    "written and what it is for.\n\n"
    "  -o, --output DIR  the link to the export (made if missing, with its\n"
    "                    parent folders)\n"
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

int cli_export_failed(const char *dir, iafq_err rc, const iafq_error *err)
{
    if (rc == IAFQ_ERR_USAGE) {
        log_error(NULL, "run 'iafq aggregate' (or 'iafq run') first", "%s",
                  err->msg);
        return EXIT_USAGE;
    }
    log_error(err->msg,
              rc == IAFQ_ERR_IO   ? "is the disk full or the folder read-only?"
              : rc == IAFQ_ERR_DB ? "is the database reachable and migrated "
                                    "('iafq db status')?"
                                  : NULL,
              "cannot export to '%s'; the previous export is left as it was",
              dir);
    /* a full disk, an unwritable folder, a lost connection: exit 2 */
    return rc == IAFQ_ERR_IO || rc == IAFQ_ERR_DB ? EXIT_USAGE : EXIT_INTERNAL;
}

static void print_file(void *arg, const char *file, const char *format,
                       const char *what)
{
    (void)format;
    printf("%s/%s\t%s\n", (const char *)arg, file, what);
}

/* "xlsx,csv": the EXPORT_ bits, or 0 after logging a bad name. */
static unsigned parse_formats(const char *arg)
{
    unsigned f = 0;
    for (const char *p = arg; *p;) {
        size_t len = strcspn(p, ",");
        unsigned bit = export_format_bit(p, len);
        if (!bit) {
            log_error(NULL, "formats: xlsx, csv, portal, json, sdmx",
                      "unknown export format '%.*s'", (int)len, p);
            return 0;
        }
        f |= bit;
        p += len + (p[len] == ',');
    }
    if (!f)
        log_error(NULL, "formats: xlsx, csv, portal, json, sdmx",
                  "--format needs at least one format");
    return f;
}

static int export_to(db_conn *db, const char *dir, export_scope scope,
                     unsigned formats)
{
    iafq_error err = {0};
    exp_run run;
    cli_interrupt_db(db); /* the release removed, the query cancelled */
    iafq_err rc = export_write_all(db, dir, scope, formats, print_file,
                                   (void *)dir, &run, &err);
    if (rc)
        return cli_export_failed(dir, rc, &err);
    log_info("exported run %lld (%s) to '%s'", run.id,
             scope == EXPORT_PUBLIC ? "public" : "internal", dir);
    return EXIT_OK;
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
    unsigned formats = EXPORT_ALL;
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
            if (!(formats = parse_formats(optarg)))
                return EXIT_USAGE;
            break;
        case OPT_HELP:
            fputs(help, stdout);
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
    if (!public_) {
        cli_set_db_role(CLI_ANALYST_ROLE);
        if (!cli_db())
            return cli_db_status();
        return export_to(cli_db(), dir, EXPORT_INTERNAL, formats);
    }
    /* --public: as iafq_portal, which may read iafq_public and nothing
     * else, so that the database keeps undisclosed figures out.  That role
     * cannot migrate (nor see the migrations): iafq's own cluster is
     * brought up to date as its owner first; another database is the job
     * of 'iafq db init'. */
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
    int rc = export_to(pdb, dir, EXPORT_PUBLIC, formats);
    db_close(pdb);
    return rc;
}
