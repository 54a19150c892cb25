/*
 * feedback.h - the focal point's feedback workbook (`iafq check --feedback`).
 *
 * A first sheet "Findings" lists every finding (code, severity, sheet, cell,
 * row code, column code, value, message, with a link to the cell); then the
 * focal point's own sheets, re-read from the input with source_cells(), with
 * every cell value as given (numbers as numbers, text as text) and each
 * finding marked on its cell: a fill colour (red for errors, amber for
 * warnings) and a comment holding the code and message.  Findings without a
 * cell (missing sheet, header or column) are on the Findings sheet only.
 *
 * Ownership: all arguments are borrowed.
 */
#ifndef IAFQ_FEEDBACK_H
#define IAFQ_FEEDBACK_H

#include "err.h"
#include "finding.h"
#include "i18n.h"
#include "iafq_limits.h"
#include "source.h"

/* What the first sheet says first: which return, the verdict and what the
 * focal point does next (feedback_write_about).  Strings borrowed. */
typedef enum {
    FEEDBACK_ACCEPTED,
    FEEDBACK_ACCEPTED_WARNINGS,
    FEEDBACK_REJECTED
} feedback_verdict;
typedef struct {
    const char *file;    /* the file as given */
    const char *country; /* ISO3, "" when unknown, or a list "AUT, ESP" */
    const char *year;    /* "2021", "" when unknown, or a list */
    feedback_verdict verdict;
} feedback_about;

/* feedback_write_lang with the header block of about (NULL: the file from
 * in_path, country and year unknown, the verdict from the findings'
 * severities); the block's words in lang too. */
iafq_err feedback_write_about(const char *out_path, const char *in_path,
                              source_kind kind, int readable,
                              const iafq_limits *lim,
                              const finding_list *findings,
                              const feedback_about *about, i18n_lang lang,
                              iafq_error *err);

/* Write the feedback workbook for input `in_path` of kind `kind` to
 * out_path, in English.  When readable is 0 (the input was E-FILE) only the
 * Findings sheet is written. */
iafq_err feedback_write(const char *out_path, const char *in_path,
                        source_kind kind, int readable, const iafq_limits *lim,
                        const finding_list *findings, iafq_error *err);

/* The same in language lang: the Findings sheet's name, summary, notes and
 * column headers, the severities, and each finding's message (on the
 * Findings sheet and in the cell comments).  Finding codes, the focal
 * point's own sheets and cell references are the same in every language. */
iafq_err feedback_write_lang(const char *out_path, const char *in_path,
                             source_kind kind, int readable,
                             const iafq_limits *lim,
                             const finding_list *findings, i18n_lang lang,
                             iafq_error *err);

#endif
