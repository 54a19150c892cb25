/*
 * longfmt.h - reading the portal long format (IAFQ-SPEC 6.3 and appendix A)
 * into one return per country-year.
 *
 * The file: optional banner rows, then the header row whose column A reads
 * Iso3_code; columns found by name.  Each data row's (Indicator, Dimension,
 * Category, Sex, Age) is mapped to a table cell through the schema's
 * published strings (schema_pub_*), its VALUE read as a count, its Source
 * kept on the value.  Quirks taken as they are: the two "by location" Total
 * rows (T7 and T8) are told apart by the nearest row above of the same
 * country, year and indicator (a Total whose group already has its Total
 * goes to the other group; a Total with no row above goes to the first
 * group still without one); a key repeated keeps its first value
 * (W-ROW-REPEAT); Country/Region/Subregion are checked loosely against
 * Iso3_code (W-NAME).  Such returns have no COVER: consent is YES.
 *
 * Rows that belong to no country-year (no header, blank Iso3_code or Year)
 * give findings on a return with country "" and year 0.
 *
 * Ownership: *out is a malloc'd array of returns the caller frees with
 * ret_free() on each and free() on the array.
 */
#ifndef IAFQ_LONGFMT_H
#define IAFQ_LONGFMT_H

#include "err.h"
#include "limits.h"
#include "ret.h"

#include <stdbool.h>
#include <stddef.h>

iafq_err longfmt_read(const char *path, const iafq_limits *lim, bool strict,
                      iafq_return ***out, size_t *nout, iafq_error *err);

#endif
