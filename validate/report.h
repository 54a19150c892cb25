/*
 * report.h - the check report, as text for people or JSON for programs
 * (IAFQ-SPEC section 7):
 *   {"file", "country", "year", "valid", "counts": {"errors", "warnings"},
 *    "findings": [{"code", "severity", "sheet", "cell", "row", "column",
 *                  "value", "message"}]}
 * "row" is the row code (T11: the seizure id), "column" the column code,
 * "cell" like "C7"; each is null when it does not apply.  When findings
 * were not stored (over --max-findings), "not_listed" gives their number.
 *
 * Ownership: the returns are borrowed.  Every write is checked: a failed
 * write is IAFQ_ERR_IO.
 */
#ifndef IAFQ_REPORT_H
#define IAFQ_REPORT_H

#include "err.h"
#include "ret.h"

#include <stdio.h>

/* Text report of one return. */
iafq_err report_text(FILE *out, const iafq_return *r, iafq_error *err);

/* JSON report: a single object when n == 1 and !force_array, else an array. */
iafq_err report_json(FILE *out, iafq_return *const *v, size_t n,
                     int force_array, iafq_error *err);

#endif
