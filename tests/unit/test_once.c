/*
 * test_once.c - global tables are initialised once, thread-safely: the M49
 * list, the published strings of the schema and the validator's hash seed
 * are first used here by several threads at the same moment (run under
 * make test-asan; a race would also show as threads that disagree).
 */
#include "testutil.h"

#include "check.h"
#include "m49.h"
#include "schema.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8

typedef struct {
    size_t m49_n, pub_n;
    const m49_entry *esp;
    const schema_pub *pub_t1;
    size_t errors, warnings;
    int check_rc;
} _seen;

static pthread_barrier_t _start;
static char _sample[600]; /* tu_src() returns a static buffer: ask once */
static _seen _seen_by[THREADS];

static void *_first_use(void *arg)
{
    _seen *s = arg;
    pthread_barrier_wait(&_start); /* every thread at once, first use */
    s->m49_n = m49_count();
    s->esp = m49_by_iso3("esp");
    schema_pub_all(&s->pub_n);
    s->pub_t1 = schema_pub_of(TBL_T1, 0, 0);
    check_opts o;
    check_opts_default(&o);
    check_result res;
    iafq_error e = {0};
    s->check_rc = check_path(_sample, &o, &res, &e);
    if (s->check_rc == IAFQ_OK && res.n == 1) {
        s->errors = res.v[0]->findings.nerr;
        s->warnings = res.v[0]->findings.nwarn;
    }
    check_result_release(&res);
    return NULL;
}

static void test_first_use_from_many_threads(void)
{
    pthread_t th[THREADS];
    snprintf(_sample, sizeof _sample, "%s",
             tu_src("samples/fra-2021-warnings.xlsx"));
    CU_ASSERT_EQUAL_FATAL(pthread_barrier_init(&_start, NULL, THREADS), 0);
    for (int i = 0; i < THREADS; i++)
        CU_ASSERT_EQUAL_FATAL(
            pthread_create(&th[i], NULL, _first_use, &_seen_by[i]), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&_start);

    size_t n = 0;
    const schema_pub *all = schema_pub_all(&n);
    CU_ASSERT(m49_count() > 200);
    CU_ASSERT(n > 0);
    for (int i = 0; i < THREADS; i++) {
        const _seen *s = &_seen_by[i];
        CU_ASSERT_EQUAL(s->m49_n, m49_count());
        CU_ASSERT_PTR_NOT_NULL(s->esp);
        CU_ASSERT(s->esp && strcmp(s->esp->iso3, "ESP") == 0);
        CU_ASSERT_EQUAL(s->pub_n, n);
        CU_ASSERT_PTR_EQUAL(s->pub_t1, schema_pub_of(TBL_T1, 0, 0));
        CU_ASSERT(s->pub_t1 >= all && s->pub_t1 < all + n);
        CU_ASSERT_EQUAL(s->check_rc, IAFQ_OK);
        CU_ASSERT_EQUAL(s->errors, _seen_by[0].errors);
        CU_ASSERT_EQUAL(s->warnings, _seen_by[0].warnings);
    }
    CU_ASSERT(_seen_by[0].warnings > 0); /* the sample has warnings */
}

static const tu_test tests[] = {
    {"M49, published strings and the hash seed: first use from 8 threads",
     test_first_use_from_many_threads},
    {NULL, NULL}};

static const tu_suite suites[] = {{"once", tests}, {NULL, NULL}};

int main(void)
{
    return tu_run("once", suites);
}
