/*
 * template.h - the blank return sent to focal points (`iafq template`).
 *
 * One sheet per table of common/schema.h in schema order, COVER first:
 * title and instructions in column B above the header row (column A empty
 * there, so readers ignore those rows), the header row (A = "CODE", then
 * LABEL and the value-column codes), one row per row code with its label,
 * blank value cells; drop-down lists (data validation) on coded cells
 * (CONSENT, VERSION, the T11 code columns), a check against the country
 * codes of a hidden "Lists" sheet on country cells (a custom COUNTIF rule,
 * no drop-down: libxlsxwriter 1.1.4 leaks with range-based lists),
 * whole-number >= 0 input checks on count cells, date checks on date cells;
 * then an "Instructions" sheet.  Sheet names are the
 * table codes followed by a space and the title, cut to Excel's 31
 * characters.  A template filled in (with openpyxl, Excel, ...) checks clean.
 */
#ifndef IAFQ_TEMPLATE_H
#define IAFQ_TEMPLATE_H

#include "err.h"

/* Write the template to path (overwritten). */
iafq_err template_write(const char *path, iafq_error *err);

#endif
