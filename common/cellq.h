/*
 * cellq.h - run a cell_sink on a second thread.
 *
 * The reader (expat, libcsv) and the validator each keep a core busy on a
 * large return; cellq lets them overlap.  The reader pushes cells into the
 * sink cellq_sink() gives; cells and row ends are copied into batches and
 * replayed, in order, to the target sink by a consumer thread.  sheet_begin
 * and sheet_end are not queued: they wait until every queued cell has been
 * replayed and then call the target directly on the reader's thread, so
 * their return value (CELLS_SKIP, an abort) keeps its meaning and the target
 * is never called from two threads at once.
 *
 * Batches travel over common/ringq, the one work queue.  Texts are copied
 * into the batch, except a long shared string (cell.shared), which is
 * copied once into the queue's own store and lent from there to every
 * cell that shows it: copying stays proportional to the input.
 *
 * When a target callback fails, the remaining queued cells are dropped and
 * the next callback into the cellq sink returns that callback's iafq_err
 * with its iafq_error copied unchanged, so the reader stops, and reports,
 * as it would have without cellq.
 *
 * The sink's `direct` (common/cells.h) drains the queue and returns the
 * target itself, for a reader whose thread would only wait otherwise (a
 * split worksheet parse): it calls the target directly while the consumer
 * thread is idle.
 *
 * Ownership: cellq_new() borrows target (it must outlive the cellq);
 * cellq_free() (NULL-safe) stops the thread and frees everything.
 */
#ifndef IAFQ_CELLQ_H
#define IAFQ_CELLQ_H

#include "cells.h"

typedef struct cellq cellq;

/* NULL when the thread cannot be started: call the target directly then. */
cellq *cellq_new(const cell_sink *target);
cell_sink cellq_sink(cellq *q);
/* Replay everything still queued; the first failure of a target callback
 * (its error copied into *err, which may be NULL), or IAFQ_OK.  Call once,
 * after the reader has finished. */
iafq_err cellq_finish(cellq *q, iafq_error *err);
void cellq_free(cellq *q);

#endif
