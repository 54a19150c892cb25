#include "testutil.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>

int tu_run(const char *module, const tu_suite *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 3;
    for (const tu_suite *s = suites; s->name; s++) {
        CU_pSuite cs = CU_add_suite(s->name, NULL, NULL);
        if (!cs) {
            CU_cleanup_registry();
            return 3;
        }
        for (const tu_test *t = s->tests; t->name; t++)
            if (!CU_add_test(cs, t->name, t->fn)) {
                CU_cleanup_registry();
                return 3;
            }
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_ErrorCode fw = CU_get_error();
    CU_cleanup_registry();
    printf("%s: %u tests, %u failed\n", module, ran, tests_failed);
    if (fw != CUE_SUCCESS)
        return 3;
    return (failures > 0 || ran == 0) ? 1 : 0;
}

const char *tu_fixture(const char *name)
{
    static char buf[4096];
    const char *dir = getenv("IAFQ_FIXTURES");
    snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "build/fixtures", name);
    return buf;
}

const char *tu_src(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s", rel);
    return buf;
}

const char *tu_tmpdir(void)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "/tmp/iafq-test-XXXXXX");
    if (!mkdtemp(buf))
        return "/tmp";
    return buf;
}
