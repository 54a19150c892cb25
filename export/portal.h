/*
 * portal.h - the data portal's files (IAFQ-SPEC sections 6.3 and 6.4,
 * appendix A; issue 7 items 4 and 5): the long file UNODC publishes, as CSV
 * and as .xlsx, and the same records as JSON.
 *
 * Records: one per value GIVEN in the returns of the latest finished
 * aggregation run (view ctx->schema.portal: in iafq_public without the
 * countries that may not be published), with Iso3_code, the M49 names
 * (Country, Region, Subregion), the published Indicator, Dimension,
 * Category, Sex, Age of the cell (common/schema.h, schema_pub_*), Year,
 * Unit `Counts`, VALUE, Source (`IAFQ`, or the Source a published file gave
 * the value).  Order: by Iso3_code, then cell in appendix A order (tables
 * T1..T10, each column, rows in table order: every group's Total right
 * after its group, so the two `by location` Totals fall in place), then
 * year.  The records are read through a cursor in batches: memory does not
 * grow with the number of records.
 *
 * The long file (CSV and the first sheet of the workbook): the published
 * layout -- a byte-order mark (CSV), two banner rows (`UNODC`, the contact
 * address; the release date DD/MM/YYYY), the header
 * `Iso3_code,Country,...,VALUE,Source`, then the records.  CSV: RFC 4180
 * quoting, LF line ends as published, UTF-8.  Internal exports say
 * "internal, not for publication" in the first banner row (third cell).
 * Text a spreadsheet could run as a formula gets a leading apostrophe
 * (exp_formula_like); in the workbook every text is a string cell, Year
 * and VALUE are numbers.  Output is valid UTF-8 whatever the database
 * holds.
 *
 * JSON: {"metadata": {...}, "records": [{"Iso3_code": ..., "Year": 2019,
 * "VALUE": 12, ...}, ...]} with the header's names as keys; the metadata
 * gives the release date, the run (id, started, finished, submissions), the
 * disclosure applied and the counts of records, countries and years.
 * Valid JSON for any string content: invalid bytes become U+FFFD, every
 * control character is escaped.
 *
 * Each writer reads inside the caller's snapshot transaction (exp.h) and
 * writes the file at path (a temporary path the caller renames into place;
 * it is overwritten).  Errors: IAFQ_ERR_DB (database), IAFQ_ERR_IO (the
 * file; a full disk), IAFQ_ERR_XLSXW, IAFQ_ERR_LIMIT (more records than a
 * worksheet holds), IAFQ_ERR_NOMEM, IAFQ_ERR_INTERNAL.  On failure the file
 * at path may be partial: the caller discards it.
 *
 * Ownership: ctx is borrowed; nothing is handed out.
 */
#ifndef IAFQ_PORTAL_H
#define IAFQ_PORTAL_H

#include "err.h"
#include "exp.h"

/* Contact address of the first banner row, as published. */
#define PORTAL_CONTACT "unodc_ddds@un.org"

iafq_err portal_write_csv(const exp_ctx *ctx, const char *path,
                          iafq_error *err);
iafq_err portal_write_xlsx(const exp_ctx *ctx, const char *path,
                           iafq_error *err);
iafq_err portal_write_json(const exp_ctx *ctx, const char *path,
                           iafq_error *err);

#endif
