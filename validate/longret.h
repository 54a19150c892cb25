/*
 * longret.h - the portal long format (IAFQ-SPEC section 1 item 3, 6.3 and
 * appendix A) as returns: one per country-year, validated.
 *
 * Rows come from ingest/longfmt.  Each row's (Indicator, Dimension,
 * Category, Sex, Age) is mapped to a table cell through the schema's
 * published strings (schema_pub_*), its VALUE read as a count (rules_cell),
 * its Source kept on the value.  Quirks taken as they are: the two
 * "by location" Total rows (T7 and T8) are told apart by the nearest row
 * above of the same country, year and indicator (a Total whose group
 * already has its Total goes to the other group; a Total with no row above
 * goes to the first group still without one); a key repeated keeps its
 * first value (W-ROW-REPEAT); Country/Region/Subregion are checked loosely
 * against Iso3_code (W-NAME).  Such returns have no COVER and state no
 * consent (consent -1, stored as NULL): loading one never changes a
 * country's consent (IAFQ-SPEC section 5; docs/disclosure.md).
 * After the last row the rules run (rules_finish) and findings are sorted.
 *
 * A country-year exists only for a known M49 alpha-3 code and a year COVER
 * YEAR accepts (2000 ... this year): other rows get E-COUNTRY, E-YEAR or
 * E-REQUIRED on a return with country "" and year 0, which also holds the
 * file's own findings (E-FILE for an unreadable file or one with a header
 * and no data rows, E-HEADER-MISSING, E-COLUMN-MISSING).  So memory is
 * bounded by the file's size: country-years are at most the M49 countries
 * times the years, each costs what it holds (ret.h), and are found by hash.
 *
 * Ownership: *out is a malloc'd array of returns the caller frees with
 * ret_free() on each and free() on the array (check_result does).
 */
#ifndef IAFQ_LONGRET_H
#define IAFQ_LONGRET_H

#include "err.h"
#include "iafq_limits.h"
#include "ret.h"
#include "source.h"

#include <stdbool.h>
#include <stddef.h>

/* Read the long-format file at path (kind SOURCE_LONG or SOURCE_LONG_XLSX):
 * the file-level return first (when it has findings), then the
 * country-years sorted by country and year.  An unreadable file is not a
 * failure (it is E-FILE); IAFQ_ERR_NOMEM and the like are. */
iafq_err longret_read(const char *path, source_kind kind,
                      const iafq_limits *lim, bool strict, iafq_return ***out,
                      size_t *nout, iafq_error *err);

#endif
