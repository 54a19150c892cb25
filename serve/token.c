/* Tokens: issuing one (the secret and its hash), randomness. */
#include "serve.h"

#include "sha256.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

iafq_err serve_random_hex(char out[65], iafq_error *err)
{
    unsigned char b[32];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                                  "getrandom failed: %s", strerror(errno));
        }
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return IAFQ_OK;
}

iafq_err serve_token_issue(db_conn *db, const char *country, bool analyst,
                           const char *note, const char *expires,
                           char secret_hex[65], long long *id, bool *expired,
                           iafq_error *err)
{
    iafq_err e = serve_random_hex(secret_hex, err);
    if (e)
        return e;
    sha256_ctx c;
    char hash[SHA256_HEX_LEN + 1];
    sha256_init(&c);
    sha256_update(&c, secret_hex, 64);
    sha256_final_hex(&c, hash);
    const char *p[5] = {country ? country : "", analyst ? "true" : "false",
                        note ? note : "", expires, hash};
    PGresult *res = NULL;
    e = db_exec_one_row(db, "q/token_issue.sql", 5, p, &res, err);
    if (e) {
        const char *st = db_sqlstate(db);
        if (!strcmp(st, "23503"))
            return iafq_error_set(err, IAFQ_ERR_USAGE,
                                  "'%s' is not a country of M49 (ISO "
                                  "alpha-3, e.g. ESP)",
                                  country);
        if (!strncmp(st, "22", 2))
            return iafq_error_set(err, IAFQ_ERR_USAGE,
                                  "'%s' is not a date (YYYY-MM-DD)",
                                  expires ? expires : "");
        return e;
    }
    *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    *expired = !strcmp(PQgetvalue(res, 0, 1), "t");
    PQclear(res);
    return IAFQ_OK;
}
