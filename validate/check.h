/*
 * check.h - validating one input path end to end: detect the kind of
 * input, read it, run every rule.  This is the entry point `iafq check` uses
 * and the one the database ingest will use.
 *
 * An input that is not a readable return yields one return holding the
 * E-FILE finding (it is rejected, nothing else is read); a path that cannot
 * be opened at all is IAFQ_ERR_IO (exit status 2); running out of memory is
 * IAFQ_ERR_NOMEM.
 *
 * Ownership: check_result owns its returns; check_result_release() frees
 * them (NULL-safe).  opts is borrowed.
 */
#ifndef IAFQ_CHECK_H
#define IAFQ_CHECK_H

#include "iafq_limits.h"
#include "ret.h"
#include "source.h"

#include <stdbool.h>

typedef struct {
    iafq_limits lim;
    bool strict;               /* warnings count as errors */
    ret_seizure_fn on_seizure; /* optional: each valid-or-not T11 record */
    void *ud;
} check_opts;

typedef struct {
    iafq_return **v; /* one per country-year (one for a workbook/CSV set) */
    size_t n;
    source_kind kind;
    int readable; /* 0 when the input was E-FILE */
} check_result;

void check_opts_default(check_opts *o);

iafq_err check_path(const char *path, const check_opts *o, check_result *out,
                    iafq_error *err);
void check_result_release(check_result *res);

/* Whether a return is valid: no errors (warnings too under strict). */
bool check_valid(const iafq_return *r);

#endif
