/*
 * stable.h - the stable views of docs/sql-interface.md as two runs are
 * compared: `iafq diff` (aggregate/diff.h) and the changes.csv of every
 * export (export/changes.h).  One table of their columns:
 *   - the row key is area_type, area_code, year and the view's keys (its
 *     other non-measure code columns, e.g. gs1: arms);
 *   - the measures are the columns compared (the figures, countries and
 *     withheld: a consent change moves withheld; a public view has no
 *     withheld, so it is never compared there);
 *   - every other column is a label, not compared: the names (area_name,
 *     manufacture_name...), submission_id (a revision changes it) and
 *     gs9's partner_withheld (the partner's consent, not the reporting
 *     country's figures).
 *
 * Ownership: the table is static; the string of stable_spec_json is the
 * caller's (free).
 */
#ifndef IAFQ_STABLE_H
#define IAFQ_STABLE_H

#include <stddef.h>

#define STABLE_MAX_COLS 8

typedef struct {
    const char *view;                      /* VIEW of iafq / iafq_public */
    const char *keys[STABLE_MAX_COLS];     /* NULL-terminated */
    const char *measures[STABLE_MAX_COLS]; /* NULL-terminated */
} stable_view;

/* The views in output order, and their number. */
extern const stable_view stable_views[];
extern const size_t stable_nviews;

/* stable_views as the JSON array the comparing queries take
 * (sql/q/diff_rows.sql $3, sql/q/export_changes.sql $3):
 * [{"view": ..., "keys": [...], "measures": [...]}, ...].  NULL when out of
 * memory.  The caller frees. */
char *stable_spec_json(void);

#endif
