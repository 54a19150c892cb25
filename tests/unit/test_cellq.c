/* Unit tests of cellq: a sink replayed on a second thread keeps the order
 * of cells, the meaning of sheet_begin's return and aborts. */
#include "cellq.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    char log[1 << 16];
    size_t len;
    long cells;
    uint64_t sum;
    long abort_at; /* cell number that returns 7; 0 = never */
} rec;

static void _log(rec *r, const char *s)
{
    size_t n = strlen(s);
    if (r->len + n < sizeof r->log) {
        memcpy(r->log + r->len, s, n + 1);
        r->len += n;
    }
}

static iafq_err _begin(void *ud, const char *name, int *skip, iafq_error *err)
{
    rec *r = ud;
    char b[64];
    (void)err;
    snprintf(b, sizeof b, "[%s]", name);
    _log(r, b);
    *skip = strcmp(name, "skip") == 0;
    return IAFQ_OK;
}

static iafq_err _cell(void *ud, const cell *c, iafq_error *err)
{
    rec *r = ud;
    r->cells++;
    r->sum = r->sum * 31 + c->row * 1000 + c->col + (uint64_t)c->len;
    if (r->cells < 20) {
        char b[64];
        snprintf(b, sizeof b, "%u:%u=%s;", c->row, c->col, c->text);
        _log(r, b);
    }
    if (r->abort_at && r->cells == r->abort_at)
        return iafq_error_set(err, IAFQ_ERR_DB,
                              "ERROR:  duplicate key (SQLSTATE 23505) at %ld",
                              r->cells);
    return IAFQ_OK;
}

static iafq_err _row_end(void *ud, uint32_t row, iafq_error *err)
{
    rec *r = ud;
    (void)err;
    r->sum = r->sum * 7 + row;
    return IAFQ_OK;
}

static iafq_err _end(void *ud, iafq_error *err)
{
    (void)err;
    _log(ud, "[end]");
    return IAFQ_OK;
}

/* Push the same stream into a sink; returns the first failure, in *err. */
static iafq_err _stream(cell_sink *s, long rows, iafq_error *err)
{
    int skip = 0;
    iafq_err rc = s->sheet_begin(s->ud, "skip", &skip, err);
    if (rc != IAFQ_OK || !skip)
        return IAFQ_ERR_INTERNAL;
    skip = 0;
    if ((rc = s->sheet_begin(s->ud, "T1", &skip, err)))
        return rc;
    char text[32];
    for (long r = 1; r <= rows; r++) {
        for (uint32_t c = 0; c < 3; c++) {
            snprintf(text, sizeof text, "v%ld-%u", r, c);
            cell x = {(uint32_t)r, c, CELL_TEXT, 0, text, strlen(text), 0, 0};
            if ((rc = s->cell(s->ud, &x, err)))
                return rc;
        }
        if ((rc = s->row_end(s->ud, (uint32_t)r, err)))
            return rc;
    }
    return s->sheet_end(s->ud, err);
}

static void test_same_as_direct(void)
{
    static rec direct, queued;
    memset(&direct, 0, sizeof direct);
    memset(&queued, 0, sizeof queued);
    cell_sink d = {_begin, _cell, _row_end, _end, &direct};
    CU_ASSERT_EQUAL(_stream(&d, 50000, NULL), IAFQ_OK);
    cell_sink t = {_begin, _cell, _row_end, _end, &queued};
    cellq *q = cellq_new(&t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    cell_sink s = cellq_sink(q);
    CU_ASSERT_EQUAL(_stream(&s, 50000, NULL), IAFQ_OK);
    CU_ASSERT_EQUAL(cellq_finish(q, NULL), IAFQ_OK);
    cellq_free(q);
    CU_ASSERT_EQUAL(queued.cells, 150000);
    CU_ASSERT_EQUAL(queued.sum, direct.sum);
    CU_ASSERT_STRING_EQUAL(queued.log, direct.log);
    CU_ASSERT_PTR_NOT_NULL(strstr(queued.log, "[skip][T1]1:0=v1-0;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(queued.log, "[end]"));
}

static void test_abort(void)
{
    static rec r;
    memset(&r, 0, sizeof r);
    r.abort_at = 40000;
    cell_sink t = {_begin, _cell, _row_end, _end, &r};
    cellq *q = cellq_new(&t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    cell_sink s = cellq_sink(q);
    /* the reader learns of the abort at a later callback, at the latest at
     * sheet_end, which then returns the target's error, message included */
    iafq_error e = {0}, fe = {0};
    CU_ASSERT_EQUAL(_stream(&s, 50000, &e), IAFQ_ERR_DB);
    CU_ASSERT_EQUAL(e.code, IAFQ_ERR_DB);
    CU_ASSERT_STRING_EQUAL(e.msg,
                           "ERROR:  duplicate key (SQLSTATE 23505) at 40000");
    CU_ASSERT_EQUAL(cellq_finish(q, &fe), IAFQ_ERR_DB);
    CU_ASSERT_STRING_EQUAL(fe.msg, e.msg);
    cellq_free(q);
    CU_ASSERT_EQUAL(r.cells, 40000); /* nothing replayed after the abort */
    CU_ASSERT_PTR_NULL(strstr(r.log, "[end]"));
    cellq_free(NULL);
}

/* `direct`: everything queued is delivered first, then the target is
 * called on the reader's thread, then queueing goes on: the same stream as
 * with the target alone.  After a failure, direct gives NULL. */
static void test_direct(void)
{
    static rec plain, mixed;
    memset(&plain, 0, sizeof plain);
    memset(&mixed, 0, sizeof mixed);
    cell_sink d = {_begin, _cell, _row_end, _end, &plain};
    CU_ASSERT_EQUAL(_stream(&d, 30000, NULL), IAFQ_OK);
    cell_sink t = {_begin, _cell, _row_end, _end, &mixed};
    cellq *q = cellq_new(&t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    cell_sink s = cellq_sink(q);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.direct);
    int skip = 0;
    CU_ASSERT_EQUAL(s.sheet_begin(s.ud, "skip", &skip, NULL), IAFQ_OK);
    skip = 0;
    CU_ASSERT_EQUAL(s.sheet_begin(s.ud, "T1", &skip, NULL), IAFQ_OK);
    char text[32];
    for (long r = 1; r <= 30000; r++) {
        /* rows 10,000 to 19,999 straight to the target */
        const cell_sink *to = &s;
        if (r >= 10000 && r < 20000) {
            to = s.direct(s.ud);
            CU_ASSERT_PTR_EQUAL_FATAL(to, &t);
            if (r == 10000) /* everything queued was delivered */
                CU_ASSERT_EQUAL(mixed.cells, 3 * 9999);
        }
        for (uint32_t c = 0; c < 3; c++) {
            snprintf(text, sizeof text, "v%ld-%u", r, c);
            cell x = {(uint32_t)r, c, CELL_TEXT, 0, text, strlen(text), 0, 0};
            CU_ASSERT_EQUAL_FATAL(to->cell(to->ud, &x, NULL), IAFQ_OK);
        }
        CU_ASSERT_EQUAL_FATAL(to->row_end(to->ud, (uint32_t)r, NULL), IAFQ_OK);
    }
    CU_ASSERT_EQUAL(s.sheet_end(s.ud, NULL), IAFQ_OK);
    CU_ASSERT_EQUAL(cellq_finish(q, NULL), IAFQ_OK);
    cellq_free(q);
    CU_ASSERT_EQUAL(mixed.cells, 90000);
    CU_ASSERT_EQUAL(mixed.sum, plain.sum);
    CU_ASSERT_STRING_EQUAL(mixed.log, plain.log);

    static rec r;
    memset(&r, 0, sizeof r);
    r.abort_at = 100;
    cell_sink t2 = {_begin, _cell, _row_end, _end, &r};
    q = cellq_new(&t2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    s = cellq_sink(q);
    for (uint32_t i = 0; i < 200; i++) {
        cell x = {1 + i, 0, CELL_TEXT, 0, "x", 1, 0, 0};
        if (s.cell(s.ud, &x, NULL) != IAFQ_OK)
            break;
    }
    CU_ASSERT_PTR_NULL(s.direct(s.ud)); /* the target failed */
    CU_ASSERT_EQUAL(cellq_finish(q, NULL), IAFQ_ERR_DB);
    cellq_free(q);
}

static const tu_test tests[] = {
    {"replays the same stream in order", test_same_as_direct},
    {"direct: the target on the reader's thread, in order", test_direct},
    {"an abort stops the replay and its error reaches the reader unchanged",
     test_abort},
    {NULL, NULL}};
static const tu_suite suites[] = {{"cellq", tests}, {NULL, NULL}};

int main(void)
{
    return tu_run("cellq", suites);
}
