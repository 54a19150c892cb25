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
 * Every string in the output is valid UTF-8 whatever the input held (file
 * names included): the JSON escapes every control character (C0, DEL, C1)
 * and U+2028/U+2029 as \uXXXX; the text report shows them escaped
 * (utf8_escape_text: \x07, \n, \u202E; an invalid byte of a file name as
 * \xFF), so that nothing reaches a terminal raw.
 *
 * Ownership: the returns are borrowed; report_json_value() returns a tree
 * the caller frees with cJSON_Delete() (NULL when out of memory).  Every
 * write is checked: a failed write is IAFQ_ERR_IO.
 */
#ifndef IAFQ_REPORT_H
#define IAFQ_REPORT_H

#include "err.h"
#include "i18n.h"
#include "ret.h"

#include <cjson/cJSON.h>
#include <stdio.h>

/* Text report of one return, in English. */
iafq_err report_text(FILE *out, const iafq_return *r, iafq_error *err);
/* The same in language lang: its fixed words and each finding's message
 * (finding codes, sheet names and cell references are the same in every
 * language, for programs and people comparing notes across languages). */
iafq_err report_text_lang(FILE *out, const iafq_return *r, i18n_lang lang,
                          iafq_error *err);

/* The JSON report as a value (to write, or to store as JSONB): a single
 * object when n == 1 and !force_array, else an array.  Its strings are
 * valid UTF-8.  NULL when out of memory. */
cJSON *report_json_value(iafq_return *const *v, size_t n, int force_array);
/* The same with each "message" in language lang; with all_langs, each
 * finding also gets "messages": {"en": ..., "fr": ..., "es": ...} (the
 * report stored with a submission: a page shows it in its reader's
 * language). */
cJSON *report_json_value_lang(iafq_return *const *v, size_t n, int force_array,
                              i18n_lang lang, int all_langs);

/* Print doc (cJSON_Print's layout, control characters escaped) and a
 * newline to out; IAFQ_ERR_JSON when out of memory, IAFQ_ERR_IO when the
 * write fails.  The caller checks the final fclose/fflush of out. */
iafq_err report_json_write(FILE *out, const cJSON *doc, iafq_error *err);

/* report_json_value() then report_json_write(). */
iafq_err report_json(FILE *out, iafq_return *const *v, size_t n,
                     int force_array, iafq_error *err);
/* report_json_value_lang(v, n, force_array, lang, 0) then
 * report_json_write(). */
iafq_err report_json_lang(FILE *out, iafq_return *const *v, size_t n,
                          int force_array, i18n_lang lang, iafq_error *err);

#endif
