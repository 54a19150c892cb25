/*
 * origin.h - where a stored figure came from, as one short text.
 *
 * The loader writes it with every value (iafq.value.origin) and seizure
 * (iafq.seizure.origin); `history --format json` and `explain` show it.
 *   workbook   the sheet and its A1 cell: "T8!C7"; a sheet name that is not
 *              a plain word (letters, digits, '_', '.', not starting with a
 *              digit) is quoted as Excel quotes it, an apostrophe doubled:
 *              "'T1 Arms'!C7", "'O''Neil'!B2"; a whole row: "T11!7:7"
 *   CSV        the file name, line and column letters: "T8.csv:7:C"; a
 *              whole line: "T11.csv:7"
 *   long       the line of the file: "line 123"
 * No cell (row 0: a TOTAL the validator computed from its components):
 * no origin (length 0).
 *
 * Pure: no allocation; buf is the caller's (ORIGIN_MAX bytes is always
 * enough; a smaller buffer gets a cut, NUL-terminated text).
 */
#ifndef IAFQ_ORIGIN_H
#define IAFQ_ORIGIN_H

#include "ret.h"

#include <stddef.h>
#include <stdint.h>

#define ORIGIN_MAX 1100 /* a 512-byte sheet name, every byte doubled */

/* The origin of the cell at sheet row `row` (1-based; 0: none) and column
 * `col` (0-based; -1: the whole row) of sheet `sheet` (the CSV file's name
 * for RET_SRC_CSV; unused for RET_SRC_LONG; NULL reads as "").  Writes it
 * NUL-terminated into buf and returns its length (0 when there is no
 * origin). */
size_t origin_format(char *buf, size_t cap, ret_source src, const char *sheet,
                     uint32_t row, int32_t col);

#endif
