/* iafq token - the access tokens of the web page (iafq serve). */
#include "cli.h"
#include "log.h"
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "usage: iafq [--db CONNINFO] token issue [--analyst] [--note TEXT]\n"
    "                  [--expires YYYY-MM-DD] [--base-url URL] [COUNTRY]\n"
    "       iafq token list [--format text|json]\n"
    "       iafq token revoke ID\n\n"
    "Access to the web page (iafq serve).  'issue' prints a new token's\n"
    "secret once (only its SHA-256 is stored) and, with --base-url, the\n"
    "sign-in link to send to the focal point of COUNTRY (ISO alpha-3); it\n"
    "signs in as often as needed until revoked or past --expires (the last\n"
    "valid day, UTC).  An --analyst token sees the submission tracker\n"
    "(COUNTRY is then optional).  'list' shows every token (never a\n"
    "secret); 'revoke' ends one at once, sessions included.\n";

enum {
    OPT_ANALYST = 1,
    OPT_NOTE,
    OPT_EXPIRES,
    OPT_BASE,
    OPT_FORMAT,
    OPT_HELP = 'h'
};

static int issue(int argc, char **argv)
{
    static const struct option opts[] = {
        {"analyst", no_argument, NULL, OPT_ANALYST},
        {"note", required_argument, NULL, OPT_NOTE},
        {"expires", required_argument, NULL, OPT_EXPIRES},
        {"base-url", required_argument, NULL, OPT_BASE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    bool analyst = false;
    const char *note = NULL, *expires = NULL, *base = NULL;
    int c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "token")) != -1) {
        switch (c) {
        case OPT_ANALYST:
            analyst = true;
            break;
        case OPT_NOTE:
            note = optarg;
            break;
        case OPT_EXPIRES:
            expires = optarg;
            break;
        case OPT_BASE:
            base = optarg;
            break;
        case OPT_HELP:
            fputs(help_text, stdout);
            return EXIT_OK;
        default: /* cli_getopt said what is wrong */
            return EXIT_USAGE;
        }
    }
    const char *country = optind < argc ? argv[optind] : NULL;
    if (argc - optind > 1 || (!country && !analyst)) {
        log_error(NULL, "see 'iafq token --help'",
                  "token issue takes one COUNTRY (optional with --analyst)");
        return EXIT_USAGE;
    }
    if (country && (strlen(country) != 3 ||
                    strspn(country, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
                                    "nopqrstuvwxyz") != 3)) {
        log_error(NULL, "give the ISO 3166 alpha-3 code, e.g. ESP",
                  "'%s' is not a country code", country);
        return EXIT_USAGE;
    }
    /* as the owner (no cli_set_db_role): minting access is the cluster
     * administrator's; the analyst writes nothing (docs/disclosure.md) */
    if (!cli_db())
        return cli_db_status();
    char secret[65];
    long long id = 0;
    bool expired = false;
    iafq_error err = {0};
    iafq_err e = serve_token_issue(cli_db(), country, analyst, note, expires,
                                   secret, &id, &expired, &err);
    if (e) {
        log_error(NULL, e == IAFQ_ERR_USAGE ? "see 'iafq token --help'" : NULL,
                  "cannot issue the token: %s", err.msg);
        return e == IAFQ_ERR_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
    }
    if (expired)
        log_warn(NULL, NULL, "token %lld is already expired (%s is past)", id,
                 expires);
    printf("token %lld\nsecret %s\n", id, secret);
    if (base) {
        size_t n = strlen(base);
        printf("link %.*s/signin?token=%s\n",
               (int)(n && base[n - 1] == '/' ? n - 1 : n), base, secret);
    }
    return EXIT_OK;
}

static int list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    int json = 0, c;
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "token")) != -1) {
        if (c == OPT_FORMAT) {
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
        } else if (c == OPT_HELP) {
            fputs(help_text, stdout);
            return EXIT_OK;
        } else { /* cli_getopt said what is wrong */
            return EXIT_USAGE;
        }
    }
    cli_set_db_role(CLI_ANALYST_ROLE); /* reads; never the secrets' hashes */
    if (!cli_db())
        return cli_db_status();
    PGresult *res = NULL;
    iafq_error err = {0};
    static const char *const names[] = {"id",        "country", "analyst",
                                        "note",      "issued",  "expires",
                                        "last_used", "state"};
    int col[8];
    if (db_exec_file(cli_db(), "q/token_list.sql", 0, NULL, &res, &err) ||
        db_cols(res, "q/token_list.sql", names, col, 8, &err)) {
        PQclear(res);
        log_error(err.msg, NULL, "cannot list the tokens");
        return EXIT_INTERNAL;
    }
    int n = PQntuples(res), rc = EXIT_OK;
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (int i = 0; arr && i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            if (!o)
                break;
            cJSON_AddNumberToObject(o, "id",
                                    strtod(PQgetvalue(res, i, col[0]), NULL));
            for (int k = 1; k < 8; k++)
                if (k == 2)
                    cJSON_AddBoolToObject(
                        o, names[k], !strcmp(PQgetvalue(res, i, col[k]), "t"));
                else
                    cJSON_AddStringToObject(o, names[k],
                                            PQgetvalue(res, i, col[k]));
            cJSON_AddItemToArray(arr, o);
        }
        char *s = arr ? cJSON_Print(arr) : NULL;
        cJSON_Delete(arr);
        if (!s || puts(s) < 0)
            rc = EXIT_INTERNAL;
        free(s);
    } else {
        printf("%-6s %-7s %-8s %-8s %-20s %-10s %-20s %s\n", "ID", "COUNTRY",
               "ANALYST", "STATE", "ISSUED", "EXPIRES", "LAST USED", "NOTE");
        for (int i = 0; i < n; i++)
            printf(
                "%-6s %-7s %-8s %-8s %-20s %-10s %-20s %s\n",
                PQgetvalue(res, i, col[0]),
                *PQgetvalue(res, i, col[1]) ? PQgetvalue(res, i, col[1]) : "-",
                !strcmp(PQgetvalue(res, i, col[2]), "t") ? "yes" : "no",
                PQgetvalue(res, i, col[7]), PQgetvalue(res, i, col[4]),
                *PQgetvalue(res, i, col[5]) ? PQgetvalue(res, i, col[5]) : "-",
                *PQgetvalue(res, i, col[6]) ? PQgetvalue(res, i, col[6]) : "-",
                PQgetvalue(res, i, col[3]));
    }
    PQclear(res);
    return rc;
}

static int revoke(int argc, char **argv)
{
    if (argc != 2) {
        log_error(NULL, "see 'iafq token --help'", "token revoke takes one ID");
        return EXIT_USAGE;
    }
    char *end;
    long long id = strtoll(argv[1], &end, 10);
    if (*end || id <= 0) {
        log_error(NULL, "'iafq token list' shows them",
                  "'%s' is not a token number", argv[1]);
        return EXIT_USAGE;
    }
    /* as the owner, as issue */
    if (!cli_db())
        return cli_db_status();
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", id);
    const char *p[1] = {sid};
    PGresult *res = NULL;
    iafq_error err = {0};
    if (db_exec_file(cli_db(), "q/token_revoke.sql", 1, p, &res, &err)) {
        log_error(err.msg, NULL, "cannot revoke token %lld", id);
        return EXIT_INTERNAL;
    }
    int found = PQntuples(res) == 1;
    PQclear(res);
    if (!found) {
        log_error(NULL, "'iafq token list' shows them", "no token %lld", id);
        return EXIT_USAGE;
    }
    printf("token %lld revoked\n", id);
    return EXIT_OK;
}

int cmd_token(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(help_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "issue"))
        return issue(argc - 1, argv + 1);
    if (!strcmp(argv[1], "list"))
        return list(argc - 1, argv + 1);
    if (!strcmp(argv[1], "revoke"))
        return revoke(argc - 1, argv + 1);
    log_error(NULL, "see 'iafq token --help'", "unknown token command '%s'",
              argv[1]);
    return EXIT_USAGE;
}
