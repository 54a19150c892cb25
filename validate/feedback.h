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
