/*
 * xlsx_split.h - a large worksheet's rows parsed by two expat parsers at
 * once, the results handed on in document order (issue 11, item 7).
 *
 * The part is parsed as by xlsx_xml_parse() (same inflate thread, same
 * token scanner and zip limits) by one parser, P0, on the caller's thread,
 * until XLSX_SPLIT_MIN bytes have passed.  From the next "<row" start tag
 * on, the inflate thread cuts the rows into chunks of about
 * XLSX_SPLIT_CHUNK bytes, each starting at a "<row" tag, until the
 * "</sheetData" end tag, and hands them in turn to two worker threads.  A
 * worker parses a chunk with its own parser primed (handlers muted) with
 * the part's prologue, i.e. the bytes up to and including the <sheetData>
 * start tag (so the same XML declaration, encoding and names), and closed
 * with the end tags of the elements open there; its handlers (ops->lane_*)
 * record what the rows give.  The caller's thread replays (ops->merge) each
 * chunk's record in order, then feeds the rest of the part ("</sheetData>"
 * and after) to P0.  Memory stays bounded: a fixed number of chunks and
 * records are in flight.
 *
 * Exactly the same results as one parser: a chunk's parse succeeding
 * proves its bytes are a sequence of whole elements, so one parser would
 * have been in the same state at each cut (the lane's handlers check they
 * end a chunk in the state they begin one in).  Anything else -- any error
 * in a chunk or in P0 after the first cut, a row longer than
 * XLSX_SPLIT_ROW_MAX, a merge that finds the chunk depends on what came
 * before it -- ends the split parse with *redo set and nothing written to
 * err: the caller then parses the part again with xlsx_xml_parse(),
 * skipping the events ops->merge and its own handlers already delivered,
 * and so reports exactly what one parser reports (line numbers included).
 * Only a sink callback's failure (returned by ops->merge) ends the split
 * parse with an error.
 *
 * Ownership: everything is borrowed; the parse frees what it made
 * (ops->lane_free, ops->rec_free for what ops made).
 */
#ifndef IAFQ_XLSX_SPLIT_H
#define IAFQ_XLSX_SPLIT_H

#include "xlsx_xml.h"

/* Bytes parsed by P0 before the rows are split (smaller parts are parsed
 * exactly as by xlsx_xml_parse()). */
#define XLSX_SPLIT_MIN (512u << 10)
/* Bytes of a chunk, about (cut at the next row). */
#ifndef XLSX_SPLIT_CHUNK /* -D to compare (bench) */
#define XLSX_SPLIT_CHUNK (256u << 10)
#endif
/* A longer row ends the split parse (*redo). */
#define XLSX_SPLIT_ROW_MAX (1u << 20)

/* What ops->merge returns when its record cannot be used. */
#define XLSX_SPLIT_REDO ((iafq_err)-1)

typedef struct {
    const xlsx_xml_handlers *h; /* for P0 (with ud) and for the workers */
    /* A worker's handler state (ud of h for its parser), made on the
     * caller's thread, once per worker; NULL when out of memory. */
    void *(*lane_new)(void *ud);
    void (*lane_free)(void *lane);
    /* A chunk's record; NULL when out of memory. */
    void *(*rec_new)(void *ud);
    void (*rec_free)(void *rec);
    /* Before a chunk: reset the lane, record into rec. */
    void (*lane_begin)(void *lane, void *rec);
    /* After a chunk parsed without error: 0 when the lane is in the state
     * a chunk begins in, else -1 (*redo). */
    int (*lane_end)(void *lane, void *rec);
    /* On the caller's thread, with P0's handler state ud: 0 when rows may
     * be split from here (between two elements of sheetData), else -1. */
    int (*can_split)(void *ud);
    /* On the caller's thread: replay rec into ud's sink.  IAFQ_OK; or a
     * sink callback's error, set into err; or XLSX_SPLIT_REDO when the
     * record cannot be used (*redo). */
    iafq_err (*merge)(void *ud, void *rec, iafq_error *err);
} xlsx_split_ops;

/* Parse entry idx of z (what names it in messages); see above.  *redo is
 * set to 0 or 1. */
iafq_err xlsx_xml_parse_split(zipg *z, size_t idx, const char *what,
                              const xlsx_split_ops *ops, void *ud, int *redo,
                              iafq_error *err);

/* Tests: the split thresholds (0: the default above). */
void xlsx_split_tune(size_t min_bytes, size_t chunk_bytes);

#endif
