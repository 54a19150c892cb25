/*
 * cells.h - the cell stream every tabular reader produces.
 *
 * A reader (ingest/xlsx, ingest/csvin) walks a workbook or a set of CSV files
 * and pushes, per sheet: sheet_begin, then the non-empty cells in row-major
 * order (row ascending, column ascending within a row), row_end after each
 * row that had cells, then sheet_end.  Rows may be sparse; blank cells may be
 * skipped or sent as CELL_BLANK.
 *
 * Ownership: a cell and its text are borrowed for the duration of the
 * callback only; copy what you keep.
 *
 * Errors travel: every callback returns an iafq_err and, when it fails,
 * fills the iafq_error it is given (code and message).  A reader stops at
 * the first callback that does not return IAFQ_OK and returns that same
 * code with that same message, unchanged, so a failed COPY reaches the
 * command's log as the PostgreSQL error it is.  (cells_callback_error()
 * fills in a message when a callback failed without one.)  sheet_begin sets
 * *skip to skip a sheet (no cells, no sheet_end for it).  Any callback
 * pointer may be NULL.
 */
#ifndef IAFQ_CELLS_H
#define IAFQ_CELLS_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CELL_BLANK = 0,
    CELL_NUMBER,          /* num holds the value (text holds it as read) */
    CELL_TEXT,            /* text holds UTF-8 */
    CELL_BOOL,            /* num is 0 or 1 */
    CELL_ERROR,           /* text holds the error, e.g. "#N/A" */
    CELL_FORMULA_NOCACHE, /* a formula without a cached value; text = formula */
} cell_kind;

typedef struct {
    uint32_t row; /* 1-based, as Excel shows it */
    uint32_t col; /* 0-based: A = 0 */
    cell_kind kind;
    double num;
    const char *text; /* NUL-terminated; "" when none; never NULL */
    size_t len;       /* strlen(text) */
    int date1904;     /* the workbook uses the 1904 date system */
    int is_date;      /* xlsx: number cell formatted as a date */
    /* xlsx: 1 + the index of the shared string the text is, 0 when the text
     * is the cell's own.  One index is one text for the whole read, so a
     * consumer may do its work on a shared string once (cellq copies it
     * once, the validator judges it once).  Last, so that initialisers
     * written without it keep their meaning (0). */
    uint32_t shared;
} cell;

typedef struct cell_sink_s {
    iafq_err (*sheet_begin)(void *ud, const char *name, int *skip,
                            iafq_error *err);
    iafq_err (*cell)(void *ud, const cell *c, iafq_error *err);
    iafq_err (*row_end)(void *ud, uint32_t row, iafq_error *err);
    iafq_err (*sheet_end)(void *ud, iafq_error *err);
    void *ud;
    /* Optional (NULL: none): the sink this one hands cells on to, for a
     * reader whose own thread would otherwise wait while this sink works
     * (ingest/xlsx_split).  Everything handed to this sink before is
     * delivered first; then the reader may call the returned sink's cell
     * and row_end directly, on its thread, until its next call into this
     * sink.  NULL when this sink has failed (its next callback says how). */
    const struct cell_sink_s *(*direct)(void *ud);
} cell_sink;

/* For a reader whose callback returned code != IAFQ_OK with *cb: copy cb
 * into *err (err may be NULL) unchanged, giving it a message and a code if
 * the callback left them empty.  Returns the code. */
iafq_err cells_callback_error(iafq_error *err, iafq_err code,
                              const iafq_error *cb);

/* "C7" for row 7, col 2 into buf (at least 16 bytes); returns buf. */
char *cells_ref(uint32_t row, uint32_t col, char *buf);
/* Column letters ("AA") of a 0-based column into buf (>= 8 bytes). */
char *cells_col_name(uint32_t col, char *buf);
/* Parse "C7" / "$C$7" / "C" into row (0 when absent) and col; 0 on success. */
int cells_parse_ref(const char *ref, uint32_t *row, uint32_t *col);
/* The same for a reference at the start of s that may be followed by more
 * ("A1:C9") and may lack its column ("7", as in a row range): sets *end
 * after it (end may be NULL), *has_col, *col (0 when absent) and *row (0
 * when absent).  0 on success; -1 when there is no reference or it is out
 * of range (more than 7 letters or 10 digits, or past UINT32_MAX). */
int cells_parse_ref_at(const char *s, const char **end, uint32_t *row,
                       uint32_t *col, int *has_col);

#endif
