/*
 * work.h - counters of work done on input, for tests that bound work
 * instead of time.
 *
 * Each counter is a process-wide total, added to in coarse steps (per chunk,
 * per batch, per return) with relaxed atomics, so that keeping it costs
 * nothing measurable.  A test resets the counters, runs a reader or a check
 * on inputs of size n and 2n and compares the totals: linear work doubles.
 *
 * Ownership: nothing to own or free.
 */
#ifndef IAFQ_WORK_H
#define IAFQ_WORK_H

#include <stdint.h>

typedef enum {
    WORK_XML_BYTES,   /* bytes handed to expat (ingest/xlsx_xml) */
    WORK_CELL_COPY,   /* bytes of cell text copied by the cell queue */
    WORK_CELL_TEXT,   /* bytes of cell text the validator's rules examined */
    WORK_SHEET_PARTS, /* worksheet parts parsed */
    WORK_XML_CHUNKS,  /* row chunks parsed by ingest/xlsx_split's workers */
    WORK_XML_REDO,    /* split parses redone by one parser (xlsx_split.h) */
    WORK_COUNT
} work_counter;

void work_add(work_counter c, uint64_t n);
uint64_t work_get(work_counter c);
void work_reset(void);

#endif
