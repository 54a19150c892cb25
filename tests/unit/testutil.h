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
/* A fresh temporary directory (static buffer); removed by the OS tmp policy. */
const char *tu_tmpdir(void);

#endif
