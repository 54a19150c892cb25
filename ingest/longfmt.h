/*
 * longfmt.h - streaming reader of the portal long format (IAFQ-SPEC 6.3):
 * rows of Iso3_code, Country, Region, Subregion, Indicator, Dimension,
 * Category, Sex, Age, Year, Unit of measurement, VALUE, Source, from a CSV
 * file or the first worksheet of an .xlsx workbook.
 *
 * The file: optional banner rows, then the header row whose column A reads
 * Iso3_code; columns are found by name (case-insensitive, trimmed; the
 * left-most of a repeated name counts).  Each later row with any field of
 * the header in it is handed to the sink, one call per row, with its row
 * number (the CSV record or sheet row, as a spreadsheet shows it).  This
 * module knows nothing of returns or rules: validate/longret maps rows to
 * returns.
 *
 * Errors: an unreadable file is the reader's input error (IAFQ_ERR_ FORMAT,
 * CSV, LIMIT, ENCODING, ZIP or XML); a sink callback's error stops the
 * reading and is returned unchanged.
 *
 * Ownership: a row, its cells and texts are borrowed for the callback only;
 * nothing returned is owned by the caller.
 */
#ifndef IAFQ_LONGFMT_H
#define IAFQ_LONGFMT_H

#include "cells.h"
#include "err.h"
#include "iafq_limits.h"
#include "source.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    LONGFMT_ISO3,
    LONGFMT_COUNTRY,
    LONGFMT_REGION,
    LONGFMT_SUBREGION,
    LONGFMT_INDICATOR,
    LONGFMT_DIMENSION,
    LONGFMT_CATEGORY,
    LONGFMT_SEX,
    LONGFMT_AGE,
    LONGFMT_YEAR,
    LONGFMT_UNIT,
    LONGFMT_VALUE,
    LONGFMT_SOURCE,
    LONGFMT_COUNT
} longfmt_field;

/* The header names, as published ("Iso3_code" ... "Source"). */
extern const char *const longfmt_names[LONGFMT_COUNT];

typedef struct {
    uint32_t row;               /* row number of the header */
    int32_t col[LONGFMT_COUNT]; /* column of each field; -1: not there */
} longfmt_header;

typedef struct {
    const longfmt_header *header;
    uint32_t row; /* row number, as a spreadsheet shows it */
    /* each field's cell (text trimmed; CELL_BLANK with text "" when the
     * field is empty or its column absent); col is the field's column */
    cell f[LONGFMT_COUNT];
} longfmt_row;

typedef struct {
    iafq_err (*row)(void *ud, const longfmt_row *r, iafq_error *err);
    void *ud;
} longfmt_sink;

typedef struct {
    uint32_t header_row; /* 0: no header row found */
    longfmt_header header;
    uint64_t nrows; /* data rows handed to the sink */
} longfmt_info;

/* Read the long-format file at path (kind SOURCE_LONG or SOURCE_LONG_XLSX)
 * into sink; *info (may be NULL) says what was found, also on failure. */
iafq_err longfmt_read(const char *path, source_kind kind,
                      const iafq_limits *lim, const longfmt_sink *sink,
                      longfmt_info *info, iafq_error *err);

#endif
