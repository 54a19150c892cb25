/*
 * load.h - ingesting one input path into PostgreSQL (IAFQ-SPEC section 4):
 * read and validate it with check_path(), and store each return it holds as
 * a submission with its values, all in ONE transaction.
 *
 * What is stored.  Per return (one for a workbook or CSV set, one per
 * country-year for a long-format file): a row of iafq.submission (country,
 * year, file name, SHA-256 of the bytes, received time, status accepted or
 * rejected, consent, counts and the full report as JSONB), its given values
 * in iafq.value (COPY) and its T11 seizures in iafq.seizure (COPY, streamed
 * from the validator while the file is still being read: T11 is never held
 * in memory).  A rejected return is stored as its record only (the
 * submission with its report): none of its values or seizures (those
 * streamed before the verdict are rolled back to a savepoint).  An
 * unreadable file (E-FILE) is stored too, rejected, with no country or
 * year.  W-REVISION (section 3) is checked against the last
 * accepted return of the same country-year before the report is stored.
 *
 * Same bytes again.  The SHA-256 is taken first; under a transaction-level
 * advisory lock on it, a file whose digest is already stored from an ingest
 * under the same --strict (opts->check.strict, stored with each submission)
 * changes nothing and out->unchanged lists the submissions it already is.
 * The same bytes under the other --strict are judged again (a strict
 * rejection for warnings does not stand for a judgment without --strict).
 * Two processes ingesting the same file at once therefore make one set of
 * submissions.
 *
 * All or nothing.  Any failure (input, server, connection, a killed
 * process) before COMMIT leaves the database as it was: the transaction is
 * rolled back (or dies with the connection).  After a failure the
 * connection may be unusable: the caller reconnects (PQstatus(db_pg())).
 *
 * Errors: IAFQ_ERR_IO when the path cannot be read (exit 2), IAFQ_ERR_DB
 * with the server's message and SQLSTATE, IAFQ_ERR_NOMEM.  A rejected
 * return is not an error: it is a submission with status rejected.
 *
 * Ownership: db and opts are borrowed; load_result owns its returns and
 * submissions; load_result_release() frees them (NULL-safe).
 */
#ifndef IAFQ_LOAD_H
#define IAFQ_LOAD_H

#include "check.h"
#include "db.h"
#include "sha256.h"

#include <stdbool.h>

typedef struct {
    long long id;
    char country[4]; /* "" when the file named none */
    int year;        /* 0 when none */
    bool accepted;
    long long errors, warnings;
} load_submission;

typedef struct {
    char sha256[SHA256_HEX_LEN + 1];
    bool unchanged;        /* same bytes already stored: nothing changed */
    load_submission *subs; /* made now, or found (unchanged) */
    size_t nsubs;
    check_result check; /* the returns with their findings (not when
                           unchanged) */
} load_result;

typedef struct {
    check_opts check; /* limits and --strict; on_seizure is the loader's */
    /* optional: called after each T11 record is queued for COPY, with the
     * number queued so far (progress; tests use it to break the
     * connection part-way).  A non-OK return aborts the load. */
    iafq_err (*on_seizure_queued)(void *ud, uint64_t n, iafq_error *err);
    void *ud;
    /* optional: the file name stored in iafq.submission (default: path),
     * e.g. the name an upload had in the browser while path is the
     * server's temporary copy */
    const char *file_name;
    /* optional: called once every return is stored, before COMMIT (not
     * when the bytes were already stored: out->unchanged), with the
     * connection in the load's transaction.  It may add rows of its own;
     * a non-OK return rolls the whole load back (nothing stored) and is
     * load_path's result (`iafq serve` refuses another country's return
     * there). */
    iafq_err (*before_commit)(void *ud, db_conn *db, const load_result *res,
                              iafq_error *err);
} load_opts;

void load_opts_default(load_opts *o);

iafq_err load_path(db_conn *db, const char *path, const load_opts *o,
                   load_result *out, iafq_error *err);

void load_result_release(load_result *res);

/* W-REVISION rule: whether a figure changing from prev to now is a change
 * by more than a factor of 10 (0 counts as 1, so 0 -> 11 is one, 0 -> 10
 * is not). */
bool load_revision_jump(long long prev, long long now);

#endif
