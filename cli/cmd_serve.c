/* iafq serve - the focal points' web page (serve/). */
#include "cli.h"
#include "log.h"
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "usage: iafq [--db CONNINFO] serve [--listen ADDR:PORT] [--base-url URL]\n"
    "                  [--max-connections N] [--max-uploads N] [--timeout S]\n"
    "                  [--session-idle S] [--rate N] [LIMITS]\n"
    "       iafq serve --list-msgids\n\n"
    "Serve the focal points' web page: sign in with a token (iafq token),\n"
    "upload a return, read every finding, download the feedback workbook,\n"
    "submit (as iafq ingest), follow the submissions; analysts' tokens see\n"
    "the submission tracker.  Stops on SIGTERM or SIGINT once the requests\n"
    "in progress are done.  One line per request on stderr.\n\n"
    "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080)\n"
    "  --base-url URL       the public address (https makes cookies Secure)\n"
    "  --max-connections N  connections at once (default 64)\n"
    "  --max-uploads N      returns checked or loaded at once (default 4)\n"
    "  --timeout S          drop a connection idle, or sending slower than\n"
    "                       1 KiB/s, for S seconds (default 30)\n"
    "  --session-idle S     a session unused for S seconds ends (default "
    "1800)\n"
    "  --rate N             uploads per token per minute (default 20)\n"
    "  --list-msgids        print every text of the pages to translate\n\n";

enum {
    OPT_LISTEN = 1,
    OPT_BASE,
    OPT_MAXCONN,
    OPT_MAXUP,
    OPT_TIMEOUT,
    OPT_IDLE,
    OPT_RATE,
    OPT_MSGIDS,
    OPT_HELP = 'h'
};

static int uint_arg(const char *name, const char *arg, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (*end || !*arg || v < 1 || v > 1000000) {
        log_error(NULL, "see 'iafq serve --help'",
                  "--%s wants a whole number from 1, not '%s'", name, arg);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option own[] = {
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"base-url", required_argument, NULL, OPT_BASE},
        {"max-connections", required_argument, NULL, OPT_MAXCONN},
        {"max-uploads", required_argument, NULL, OPT_MAXUP},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"session-idle", required_argument, NULL, OPT_IDLE},
        {"rate", required_argument, NULL, OPT_RATE},
        {"list-msgids", no_argument, NULL, OPT_MSGIDS},
        {"help", no_argument, NULL, OPT_HELP},
    };
    struct option opts[40];
    if (cli_options_with_limits(own, sizeof own / sizeof *own, opts, 40))
        return EXIT_INTERNAL;
    serve_opts so;
    serve_opts_default(&so);
    int c, rc = 0;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "serve")) != -1) {
        switch (c) {
        case OPT_LISTEN:
            so.listen = optarg;
            break;
        case OPT_BASE:
            if (strncmp(optarg, "http://", 7) &&
                strncmp(optarg, "https://", 8)) {
                log_error(NULL, "e.g. --base-url https://iafq.example.org",
                          "--base-url wants an http:// or https:// URL");
                return EXIT_USAGE;
            }
            so.base_url = optarg;
            break;
        case OPT_MAXCONN:
            rc = uint_arg("max-connections", optarg, &so.max_connections);
            break;
        case OPT_MAXUP:
            rc = uint_arg("max-uploads", optarg, &so.max_uploads);
            break;
        case OPT_TIMEOUT:
            rc = uint_arg("timeout", optarg, &so.timeout_s);
            break;
        case OPT_IDLE:
            rc = uint_arg("session-idle", optarg, &so.session_idle_s);
            break;
        case OPT_RATE:
            rc = uint_arg("rate", optarg, &so.rate_per_min);
            break;
        case OPT_MSGIDS:
            if (serve_list_msgids(stdout))
                return EXIT_INTERNAL;
            return EXIT_OK;
        case OPT_HELP:
            fputs(help_text, stdout);
            fputs(cli_limit_help, stdout);
            return EXIT_OK;
        default: {
            int st = cli_other_option(c, optarg, &so.lim, "serve");
            if (st != EXIT_OK)
                return st;
            break;
        }
        }
        if (rc)
            return EXIT_USAGE;
    }
    if (optind < argc) {
        log_error(NULL, "see 'iafq serve --help'", "serve takes no FILE");
        return EXIT_USAGE;
    }
    /* opened (and migrated) once here; the server opens its own pool: on
     * iafq's own cluster as the loader (it stores returns, links them to
     * tokens, keeps their bytes; docs/disclosure.md), else as the
     * conninfo's user */
    cli_set_db_role(CLI_LOADER_ROLE);
    if (!cli_db())
        return cli_db_status();
    so.conninfo = db_choose_conninfo(cli_db_option());
    so.db_role = db_embedded(cli_db()) ? CLI_LOADER_ROLE : NULL;
    iafq_error err = {0};
    iafq_err e = serve_run(&so, &err);
    if (e) {
        log_error(NULL, NULL, "serve: %s", err.msg);
        return e == IAFQ_ERR_USAGE || e == IAFQ_ERR_DB ? EXIT_USAGE
                                                       : EXIT_INTERNAL;
    }
    return EXIT_OK;
}
