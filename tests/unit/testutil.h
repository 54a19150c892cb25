/*
 * testutil.h - shared helpers for the CUnit runners.
 *
 * Each tests/unit/test_X.c defines its suites with CUnit and ends with
 *   int main(void) { return tu_run("X", suites); }
 * tu_run() runs them in basic mode and returns non-zero when any assertion
 * failed (CU_get_number_of_failures) or the framework failed.
 */
#ifndef IAFQ_TESTUTIL_H
#define IAFQ_TESTUTIL_H

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <zip.h>

typedef struct {
    const char *name;
    void (*fn)(void);
} tu_test;

typedef struct {
    const char *name;
    const tu_test *tests; /* terminated by {NULL, NULL} */
} tu_suite;

/* Runs the suites (terminated by {NULL, NULL}); the exit status for main. */
int tu_run(const char *module, const tu_suite *suites);

/* Path of a fixture: $IAFQ_FIXTURES (default build/fixtures) / name.
 * Returns a static buffer. */
const char *tu_fixture(const char *name);
/* Path of a file in the source tree relative to the repository root. */
const char *tu_src(const char *rel);
/* Temporary files.  tu_run() gives every suite a CUnit init function that
 * makes the suite's folder ($TMPDIR or /tmp)/iafq-unit-MODULE-XXXXXX and a
 * cleanup function that removes it with all it holds, also when a test of
 * the suite failed, then runs the hooks of tu_on_teardown().
 * tu_suite_tmpdir(): the current suite's folder (static buffer, the same
 * for the whole suite).  tu_tmpdir(): a fresh folder inside it (static
 * buffer, overwritten by the next call). */
const char *tu_suite_tmpdir(void);
const char *tu_tmpdir(void);
/* Run fn once at the end of the current suite (after its folder is gone),
 * e.g. to free what the suite's tests cached.  At most 8 per suite. */
void tu_on_teardown(void (*fn)(void));

/* Run fn(arg) in a forked child and return its exit status (-1 when it
 * died of a signal or could not be run); *peak_kb receives the child's peak
 * resident memory in KiB.  For bounds on memory, not on time. */
int tu_in_child(int (*fn)(void *), void *arg, long *peak_kb);
/* True when built with AddressSanitizer (memory bounds do not apply). */
int tu_asan(void);

/* A workbook read back with xlsx_read(), for tests of what iafq writes:
 * every non-blank cell of every sheet, in memory.  tu_book_free() frees. */
#include "cells.h"
#include <stdint.h>

#define TU_MAX_SHEETS 32

typedef struct {
    uint32_t row, col;
    cell_kind kind;
    double num;
    int is_date;
    char *text;
} tu_cell;

typedef struct {
    char *name;
    tu_cell *cells;
    size_t n, cap;
} tu_sheet;

typedef struct {
    tu_sheet s[TU_MAX_SHEETS];
    int n;
} tu_book;

int tu_book_read(const char *path, tu_book *b); /* 0 ok, -1 error */
void tu_book_free(tu_book *b);
const tu_sheet *tu_book_sheet(const tu_book *b, const char *name);
const tu_cell *tu_sheet_cell(const tu_sheet *s, uint32_t row, uint32_t col);
const char *tu_sheet_text(const tu_sheet *s, uint32_t row, uint32_t col);
/* Add (or replace) part `name` with data[0..len) to the package being
 * written, a copy owned by libzip; a failure fails the test (fatal). */
void tu_zip_add(zip_t *za, const char *name, const char *data, size_t len);
/* A part of a zip package as a malloc'd NUL-terminated string, or NULL. */
char *tu_zip_part(const char *path, const char *part);

#endif
