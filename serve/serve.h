/*
 * serve.h - `iafq serve`: the focal points' web page (issue 13) on
 * libmicrohttpd.  A focal point signs in with a token an analyst issued
 * (serve_token_issue), uploads its return, reads every finding at once,
 * downloads the feedback workbook, submits (exactly as `iafq ingest`:
 * db/load.h) and follows its submissions; an analyst token sees the
 * submission tracker.  See serve/README.md for the pages, the template
 * syntax and the hardening.
 *
 * Threads: one per connection (at most max_connections); at most
 * max_uploads returns are checked or loaded at once, each on its own
 * database connection of a pool opened at start.  serve_run() blocks until
 * SIGTERM or SIGINT, lets the requests in progress (uploads included)
 * finish, and returns.
 *
 * Ownership: opts and its strings are borrowed for the call.
 */
#ifndef IAFQ_SERVE_H
#define IAFQ_SERVE_H

#include "db.h"
#include "err.h"
#include "iafq_limits.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    const char *listen;       /* "ADDR:PORT" (IPv4 or [IPv6]); default
                                 127.0.0.1:8080 */
    const char *base_url;     /* e.g. https://iafq.example.org; NULL: none.
                                 https makes the cookies Secure */
    const char *conninfo;     /* the database (db_open); NULL: iafq's own */
    const char *db_role;      /* the role each connection uses whatever
                                 conninfo says (db_open_as); NULL: the
                                 conninfo's user (docs/disclosure.md) */
    unsigned max_connections; /* at once (default 64) */
    unsigned max_uploads;     /* checked or loaded at once (default 4) */
    unsigned timeout_s;       /* a connection idle this long is dropped
                                 (default 30) */
    unsigned session_idle_s;  /* a session unused this long ends (1800) */
    unsigned rate_per_min;    /* uploads per token per minute (20) */
    iafq_limits lim;          /* the same limits as `iafq check` */
} serve_opts;

void serve_opts_default(serve_opts *o);

/* Serve until SIGTERM/SIGINT.  IAFQ_ERR_USAGE for a bad listen address or
 * one already in use, IAFQ_ERR_DB when the database cannot be reached. */
iafq_err serve_run(const serve_opts *o, iafq_error *err);

/* Every translatable text of the pages (the msgids), one per line. */
int serve_list_msgids(FILE *out);

/* Tokens (sql/q/token_*.sql).  Issue one for country (ISO alpha-3; may be
 * NULL or "" for an analyst-only token), valid through the day expires
 * ("YYYY-MM-DD", UTC; NULL: no end): secret_hex receives the 64-hex-digit
 * secret (shown once, never stored: only its SHA-256 is), *id its number,
 * *expired whether that day is already past.  IAFQ_ERR_USAGE for an
 * unknown country or a bad date. */
iafq_err serve_token_issue(db_conn *db, const char *country, bool analyst,
                           const char *note, const char *expires,
                           char secret_hex[65], long long *id, bool *expired,
                           iafq_error *err);

/* 32 random bytes (getrandom) as 64 lowercase hex digits and a NUL. */
iafq_err serve_random_hex(char out[65], iafq_error *err);

#endif
