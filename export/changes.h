/*
 * changes.h - changes.csv, written by every export (issue 14, item 3):
 * every figure of the stable views (db/stable.h) that differs between the
 * run of the previous export of the same scope and the run exported.
 *
 * The previous export is the latest run BELOW the one exported that an
 * export of the same scope (internal or public) used (iafq.export_log,
 * migration 0014; iafq_public.export_base, 0017).  Exporting the same run
 * again therefore writes the same file; with no previous export the file
 * has its header alone (the full files are the news).  The two runs are read
 * through the views of the export's schema (0017: iafq_public.view_rows reads a
 * view as of a run), so a public changes.csv compares what iafq_public shows at
 * each run with today's consent: a country withheld today appears in
 * neither side, and a consent change is never listed as such.  The reasons
 * for a change are `iafq diff OLD_RUN NEW_RUN`'s job (internal).
 *
 * Columns (RFC 4180 through csvw.h, as every CSV of the exports):
 *   view, change (added, removed, changed), area_type, area_code,
 *   area_name, year, key (the view's key columns, "arms=SEIZED;..."),
 *   measure, old, new (a ratio at EXP_RATIO_SCALE decimals as in the
 *   view's CSV; a missing side empty), old_run, new_run
 * one row per changed measure, in the order of db/stable.h, then area
 * level, area code, year, key and the measure's order.
 *
 * Ownership: everything is borrowed.
 */
#ifndef IAFQ_CHANGES_H
#define IAFQ_CHANGES_H

#include "exp.h"

/* The file's name in every export. */
#define CHANGES_FILE "changes.csv"

/* Write changes.csv of ctx (its run, its schema's views) to path.
 * IAFQ_ERR_IO (path and the system's reason), IAFQ_ERR_DB, IAFQ_ERR_NOMEM. */
iafq_err changes_write(const exp_ctx *ctx, const char *path, iafq_error *err);

#endif
