/*
 * finding.h - validation findings: the stable codes of IAFQ-SPEC section 3
 * (plus the few extensions listed in docs/decisions.md) and the list a check
 * builds.
 *
 * Ownership: a finding_list owns its findings and every string in them;
 * findings_add() copies what it is given.  Every stored string is valid
 * UTF-8 (invalid bytes become U+FFFD; a message cut at its length limit is
 * cut between characters); control characters are kept: each output
 * escapes them its own way (utf8.h).  findings_free() releases all and
 * accepts NULL.  Counts (nerr, nwarn, per code) stay exact after the list is
 * full (limit max); only the stored details stop growing (dropped counts them).
 *
 * Languages: a finding's message is formed once in each language of i18n.h
 * (English, French, Spanish) from the msgid format given to findings_add(),
 * so that any output (text report, JSON, feedback workbook, a web page
 * showing a stored submission) can show it in its reader's language:
 * finding_message().  The arguments of a format are values, codes and
 * numbers, the same in every language; a text that depends on the language
 * is never an argument (choose between whole formats instead).
 */
#ifndef IAFQ_FINDING_H
#define IAFQ_FINDING_H

#include "i18n.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    F_E_FILE,
    F_E_SHEET_MISSING,
    F_E_HEADER_MISSING,
    F_E_COLUMN_MISSING,
    F_E_ROW_UNKNOWN,
    F_E_ROW_DUPLICATE,
    F_E_NOT_NUMBER,
    F_E_NOT_INTEGER,
    F_E_NEGATIVE,
    F_E_FORMULA,
    F_E_CODE,
    F_E_COUNTRY,
    F_E_YEAR,
    F_E_DATE,
    F_E_REQUIRED,
    F_E_ID_DUPLICATE,
    F_E_TEXT_LONG,        /* extension: text over 1,000 characters */
    F_E_SHEET_DUPLICATE,  /* extension: two sheets/files for one table */
    F_E_NUMBER_AMBIGUOUS, /* extension: "10.000": decimal or thousands? */
    F_W_NA_TEXT,
    F_W_NUMBER_TEXT,
    F_W_COLUMN_UNKNOWN,
    F_W_ROW_MISSING,
    F_W_SUM,
    F_W_TOTAL_DERIVED,
    F_W_CROSS,
    F_W_REVISION,
    F_W_ROW_REPEAT, /* extension: long format, a key repeated (first counts) */
    F_W_NAME,       /* extension: long format, names disagree with Iso3_code */
    F_COUNT
} finding_code;

typedef enum { SEV_ERROR = 0, SEV_WARNING = 1 } severity;

const char *finding_code_str(finding_code c); /* "E-FILE"; clamps */
const char *severity_str(severity s);         /* "error" / "warning" (msgids) */
/* Code from its string ("W-SUM"); -1 when unknown. */
int finding_code_from_str(const char *s);

typedef struct {
    finding_code code;
    severity sev;  /* after --strict */
    char *sheet;   /* sheet or file name; NULL for none */
    uint32_t row;  /* sheet row, 1-based; 0 when no cell */
    int32_t col;   /* 0-based column; -1 when no cell */
    char *rowcode; /* row code (or T11 seizure id); NULL when none */
    char *colcode; /* column code; NULL when none */
    char *value;   /* offending value as read; NULL when none */
    char *message; /* plain words for the focal point, in English */
    /* the message in other languages; NULL where it is the English one
     * (no translation); [I18N_EN] is always NULL */
    char *message_l10n[I18N_COUNT];
} finding;

/* f's message in language l (the English one when there is no
 * translation); "" when f has none. */
const char *finding_message(const finding *f, i18n_lang l);

typedef struct {
    finding *v;
    size_t n, cap;
    size_t nerr, nwarn; /* exact, including dropped ones */
    size_t dropped;     /* findings not stored because of max */
    size_t max;         /* 0 = unlimited */
    bool strict;        /* warnings count as errors */
    size_t per_code[F_COUNT];
} finding_list;

void findings_init(finding_list *l, size_t max, bool strict);
void findings_free(finding_list *l);

/* Add a finding; any string may be NULL; row 0 / col -1 mean "no cell".
 * fmt is the English msgid: its message is formed in each language with
 * i18n_tr(lang, fmt) and the same arguments.  Returns 0, or -1 when out of
 * memory. */
int findings_add(finding_list *l, finding_code code, const char *sheet,
                 uint32_t row, int32_t col, const char *rowcode,
                 const char *colcode, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

/* findings_add() with a va_list. */
int findings_addv(finding_list *l, finding_code code, const char *sheet,
                  uint32_t row, int32_t col, const char *rowcode,
                  const char *colcode, const char *value, const char *fmt,
                  va_list ap) __attribute__((format(printf, 9, 0)));

/* findings_add() of a message that is a finished text, not a format (an
 * input error's detail, text): in each language, i18n_tr(lang, text), so
 * that a text that is a msgid itself (marked N_()) is translated, and any
 * other stays as it is.  Returns 0, or -1 when out of memory. */
int findings_add_text(finding_list *l, finding_code code, const char *sheet,
                      uint32_t row, int32_t col, const char *rowcode,
                      const char *colcode, const char *value, const char *text);

/* findings_add() with the message already formed in each language: msg[l]
 * (msg[I18N_EN] required; NULL elsewhere: the English one).  For copies of
 * findings (merge, replay).  Returns 0, or -1 when out of memory. */
int findings_add_l10n(finding_list *l, finding_code code, const char *sheet,
                      uint32_t row, int32_t col, const char *rowcode,
                      const char *colcode, const char *value,
                      const char *const msg[I18N_COUNT]);

/* Append copies of src's stored findings to dst, keeping their severity,
 * and add src's exact counts (errors, warnings, dropped) to dst's.
 * Returns 0, or -1 when out of memory. */
int findings_merge(finding_list *dst, const finding_list *src);

/* Sort stored findings by sheet order given by sheet_rank(sheet), then row,
 * then column; stable.  sheet_rank may be NULL (sheet name order). */
void findings_sort(finding_list *l, int (*sheet_rank)(const char *sheet));

#endif
