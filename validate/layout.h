/*
 * layout.h - turning a stream of sheet cells (common/cells.h) into an IAFQ
 * return (common/ret.h), per IAFQ-SPEC section 2: sheets matched to tables
 * by name, the CODE header row, column codes, row codes, T11 records.
 *
 * Structural findings are made here (E-SHEET-MISSING, E-SHEET-DUPLICATE,
 * E-HEADER-MISSING, E-COLUMN-MISSING, E-ROW-UNKNOWN, E-ROW-DUPLICATE,
 * E-ID-DUPLICATE, E-REQUIRED for T11 QUANTITY, E-DATE outside the reporting
 * year, W-COLUMN-UNKNOWN, W-ROW-MISSING); each cell goes through
 * rules_cell().  T11 records are validated as they stream past and handed to
 * the optional seizure callback; they are not kept.
 *
 * Ownership: layout_new() borrows r and lim (they must outlive the layout);
 * layout_free() (NULL-safe) releases only the layout's own state.
 */
#ifndef IAFQ_LAYOUT_H
#define IAFQ_LAYOUT_H

#include "cells.h"
#include "iafq_limits.h"
#include "ret.h"

typedef struct layout layout;

layout *layout_new(iafq_return *r, const iafq_limits *lim,
                   ret_seizure_fn on_seizure, void *ud);
void layout_free(layout *l);

/* A sink whose callbacks feed this layout. */
cell_sink layout_sink(layout *l);

/* After the reader finished: missing sheets, pending checks, then
 * rules_finish().  IAFQ_OK, or the failure with its message in *err (may
 * be NULL), as layout_error() gives it. */
iafq_err layout_finish(layout *l, iafq_error *err);

/* IAFQ_OK while nothing failed; else the failure, in *err (may be NULL):
 * the seizure callback's own error unchanged, or IAFQ_ERR_NOMEM. */
iafq_err layout_error(const layout *l, iafq_error *err);

/* Rank of a sheet name for sorting findings (table order; -1 for none). */
int layout_sheet_rank(const char *sheet);

#endif
