/*
 * rules.h - the validation rules of IAFQ-SPEC section 3, driven by the
 * schema tables (common/schema.h): how one cell is read for its value type,
 * the required values, the sum rules and the cross-table rules.
 *
 * Every function adds its findings to r->findings.  Ownership: the return is
 * the caller's; values written into it are owned by it (ret_free releases).
 */
#ifndef IAFQ_RULES_H
#define IAFQ_RULES_H

#include "cells.h"
#include "ret.h"

#include <stdbool.h>
#include <stdint.h>

/* Where a cell sits, for findings. */
typedef struct {
    const char *sheet;
    const char *rowcode; /* row code or T11 seizure id */
    const char *colcode;
    bool discard_text; /* validate text, codes, countries and dates but keep
                          no text (n still holds the code index / date) */
} rules_loc;

/* Read raw cell c as a value of type vt (code list cl for VT_CODE) into
 * *out (cleared first): out->avail when usable, out->bad when given but
 * invalid; blank and "not available" texts leave both false.  Findings:
 * E-NOT-NUMBER (also: a count cell formatted as a date), E-NOT-INTEGER,
 * E-NEGATIVE, E-FORMULA, E-CODE, E-COUNTRY, E-YEAR, E-DATE (unreadable),
 * E-TEXT-LONG (over SCHEMA_TEXT_MAX characters), E-NUMBER-AMBIGUOUS,
 * W-NA-TEXT, W-NUMBER-TEXT.
 * Returns IAFQ_OK, or IAFQ_ERR_NOMEM (no message: the caller says it). */
iafq_err rules_cell(iafq_return *r, const rules_loc *loc, value_type vt,
                    codelist_id cl, const cell *c, ret_value *out);

/* Classification of a count written as text. */
typedef enum {
    RC_BLANK,     /* empty or white space */
    RC_NA,        /* n/a, na, -, .., …, x, not available */
    RC_PLAIN,     /* digits only, e.g. "12" */
    RC_SEPARATED, /* thousands separators: "1,234" "1 234" "1'234" */
    RC_NEGATIVE,  /* a negative number */
    RC_FRACTION,  /* a number with a fractional part */
    RC_TOO_LARGE, /* a whole number above RULES_COUNT_MAX */
    RC_NOT_NUMBER,
    RC_AMBIGUOUS, /* "10.000", "1.234": '.' as the decimal point or as the
                     thousands separator; *value holds the thousands
                     reading (10000, 1234) */
} rules_count_class;

#define RULES_COUNT_MAX 1000000000000000LL /* 10^15 */

/* a + b for counts in [0, RULES_COUNT_MAX + 1]: saturates at
 * RULES_COUNT_MAX + 1, which stands for "more than 10^15"; never wraps. */
int64_t rules_count_add(int64_t a, int64_t b);

/* A number cell's value as a count: within 1e-9 of a whole number (a
 * formula's cached result such as 300.00000000000006) is that number. */
double rules_snap(double d);

rules_count_class rules_count_text(const char *s, size_t n, int64_t *value);
/* Whether s (trimmed) is one of the "not available" spellings. */
int rules_is_na_text(const char *s, size_t n);
/* Parse an ISO date "YYYY-MM-DD", optionally followed by 'T' or a space
 * and a time "HH:MM[:SS[.fff]]" with an optional zone (Z, +HH:MM, +HHMM,
 * +HH); anything else after the date is not a date.  0 ok, -1 not. */
int rules_parse_date(const char *s, size_t n, int *y, int *m, int *d);
/* The current calendar year: the upper bound of E-YEAR (COVER YEAR, and
 * the long format's years).  The year of the environment variable
 * IAFQ_TODAY=YYYY-MM-DD when it is set to a valid date (read once, at the
 * first call; anything else there is ignored), else the clock's (UTC).
 * Tests pin it with IAFQ_TODAY (a whole run) or rules_set_current_year(). */
int rules_current_year(void);
/* For tests: the year rules_current_year() returns from now on, whatever
 * IAFQ_TODAY and the clock say; 0 goes back to them.  Thread-safe. */
void rules_set_current_year(int year);

/* After all cells are read: cover fields into r->country/year/consent,
 * E-REQUIRED on COVER, the sum rules (W-SUM, W-TOTAL-DERIVED), the
 * cross-table rules (W-CROSS) including T11 against T1.  A sum past 10^15
 * is E-NOT-NUMBER on the cell the rule sits on, and is not used.  For
 * long-format returns the COVER rules are skipped.  Returns IAFQ_OK or
 * IAFQ_ERR_NOMEM. */
iafq_err rules_finish(iafq_return *r);

/* The sheet-row/column location of a fixed-table cell (row 0 / col -1 when
 * the row or column is absent). */
void rules_cell_pos(const iafq_return *r, table_id t, int row, int col,
                    uint32_t *sheet_row, int32_t *sheet_col);

#endif
