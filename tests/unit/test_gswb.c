/* Unit tests of export/gswb against a real PostgreSQL (tests/unit/pgtest.h),
 * read back with iafq's own xlsx reader (tu_book_read): the published
 * extract and the sample ESP 2021 return loaded and aggregated, Brazil's
 * consent withdrawn; tables equal to their views, the internal warning on
 * every sheet (and nowhere in the public edition), a table longer than a
 * sheet going on into the next, and the errors (an unwritable path, no
 * transaction) reported with the library's message. */
#include "agg.h"
#include "db.h"
#include "gswb.h"
#include "load.h"
#include "pgtest.h"
#include "testutil.h"

#include <CUnit/Basic.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _BANNER "internal, not for publication"

static db_conn *_db;
static exp_run _run;

static PGresult *_q(const char *sql)
{
    PGresult *r = PQexec(db_pg(_db), sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK &&
        PQresultStatus(r) != PGRES_COMMAND_OK)
        fprintf(stderr, "query failed: %s", PQerrorMessage(db_pg(_db)));
    return r;
}

static int _setup(void)
{
    const char *ci = pt_fresh_db("iafq_t_gswb");
    iafq_error e = {0};
    if (!ci || db_open(ci, &_db, &e)) {
        fprintf(stderr, "test_gswb: %s\n", e.msg);
        return -1;
    }
    load_opts o;
    load_opts_default(&o);
    const char *files[] = {"data/dataunodc_iafq_sample.csv",
                           "samples/esp-2021.xlsx"};
    for (int i = 0; i < 2; i++) {
        load_result lr = {0};
        iafq_err rc = load_path(_db, tu_src(files[i]), &o, &lr, &e);
        load_result_release(&lr);
        if (rc != IAFQ_OK) {
            fprintf(stderr, "test_gswb: load %s: %s\n", files[i], e.msg);
            return -1;
        }
    }
    PQclear(_q("UPDATE iafq.submission SET consent = false "
               "WHERE country = 'BRA'"));
    agg_info info;
    if (agg_run(_db, &info, &e) != IAFQ_OK) {
        fprintf(stderr, "test_gswb: aggregate: %s\n", e.msg);
        return -1;
    }
    _run.id = info.run;
    snprintf(_run.started, sizeof _run.started, "%s", info.started);
    snprintf(_run.finished, sizeof _run.finished, "%s", info.finished);
    _run.submissions = info.submissions;
    return 0;
}

static int _teardown(void)
{
    db_close(_db);
    _db = NULL;
    return 0;
}

/* Write the workbook in a REPEATABLE READ, READ ONLY transaction. */
static iafq_err _write(bool internal, const char *path, iafq_error *e)
{
    exp_ctx ctx = {.db = _db,
                   .schema = internal ? "iafq" : "iafq_public",
                   .internal = internal,
                   .run = _run};
    snprintf(ctx.release, sizeof ctx.release, "%.10s", _run.finished);
    PQclear(_q("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    iafq_err rc = exp_use_schema(&ctx, e);
    if (rc == IAFQ_OK)
        rc = gswb_write(&ctx, path, e);
    db_rollback(_db);
    return rc;
}

static const char *_path(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", tu_suite_tmpdir(), name);
    return buf;
}

/* The cells of s as a grid [row * _COLS + col] (rows 1-based, as the
 * reader gives them); *nrows rows.  The caller frees it. */
#define _COLS 32
static const tu_cell **_grid(const tu_sheet *s, uint32_t *nrows)
{
    uint32_t max = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->cells[i].row > max)
            max = s->cells[i].row;
    const tu_cell **g = calloc((size_t)(max + 1) * _COLS, sizeof *g);
    for (size_t i = 0; g && i < s->n; i++)
        if (s->cells[i].col < _COLS)
            g[(size_t)s->cells[i].row * _COLS + s->cells[i].col] = &s->cells[i];
    *nrows = max;
    return g;
}

/* Every data row of sheet (from row 4) equals a row of sql, cell by cell
 * (sql's column c is the sheet's column wbcol[c]), each view row used once;
 * the counts agree. */
static void _check_sheet(const tu_book *b, const char *sheet, const char *sql,
                         const int *wbcol, int ncol)
{
    const tu_sheet *s = tu_book_sheet(b, sheet);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    uint32_t last;
    const tu_cell **g = _grid(s, &last);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    PGresult *r = _q(sql);
    CU_ASSERT_EQUAL_FATAL(PQresultStatus(r), PGRES_TUPLES_OK);
    int n = PQntuples(r);
    char *used = calloc((size_t)n + 1, 1);
    uint32_t rows = 0;
    for (uint32_t row = 4; row <= last; row++) {
        const tu_cell **cells = g + (size_t)row * _COLS;
        if (!cells[0])
            break;
        rows++;
        int hit = -1;
        for (int i = 0; i < n && hit < 0; i++) {
            if (used[i])
                continue;
            int same = 1;
            for (int c = 0; c < ncol && same; c++) {
                const tu_cell *x = cells[wbcol[c]];
                if (PQgetisnull(r, i, c)) {
                    same = x == NULL;
                } else if (x && x->kind == CELL_TEXT) {
                    same = !strcmp(x->text, PQgetvalue(r, i, c));
                } else if (x && x->kind == CELL_NUMBER) {
                    double v = strtod(PQgetvalue(r, i, c), NULL);
                    same = fabs(x->num - v) <= 1e-9 * fmax(1, fabs(v));
                } else {
                    same = 0;
                }
            }
            if (same)
                hit = i;
        }
        CU_ASSERT(hit >= 0);
        if (hit < 0) {
            fprintf(stderr, "%s row %u matches no view row\n", sheet, row);
            break;
        }
        used[hit] = 1;
    }
    CU_ASSERT_EQUAL(rows, (uint32_t)n);
    free(used);
    free(g);
    PQclear(r);
}

static void test_tables_equal_views(void)
{
    const char *path = _path("internal.xlsx");
    iafq_error e = {0};
    CU_ASSERT_EQUAL_FATAL(_write(true, path, &e), IAFQ_OK);
    tu_book b;
    CU_ASSERT_EQUAL_FATAL(tu_book_read(path, &b), 0);
    CU_ASSERT_STRING_EQUAL(b.s[0].name, "About");

    /* GS1: area (4), arms, [label], n, countries, withheld, submission */
    static const int gs1[] = {0, 1, 2, 3, 4, 6, 7, 8, 9};
    _check_sheet(&b, "GS1 Arms",
                 "SELECT area_type, area_code, area_name, year, arms, n, "
                 "countries, withheld, submission_id FROM iafq.gs1",
                 gs1, 9);
    static const int sdg[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    _check_sheet(&b, "GS6 SDG 16.4.2",
                 "SELECT area_type, area_code, area_name, year, numerator, "
                 "denominator, value, countries, withheld, submission_id "
                 "FROM iafq.sdg_16_4_2",
                 sdg, 10);
    /* GS8: area, persons, [label], sex, n, share, countries, ... */
    static const int gs8[] = {0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11};
    _check_sheet(&b, "GS8 Persons",
                 "SELECT area_type, area_code, area_name, year, persons, sex, "
                 "n, share_pct, countries, withheld, submission_id "
                 "FROM iafq.gs8",
                 gs8, 11);
    static const int gs9[] = {0, 1, 2,  3,  4,  5,  6,  7,
                              8, 9, 10, 11, 12, 13, 14, 16};
    _check_sheet(&b, "GS9 Significant seizures",
                 "SELECT area_type, area_code, area_name, year, flow, "
                 "manufacture_code, manufacture_name, departure_code, "
                 "departure_name, destination_code, destination_name, "
                 "quantity, seizures, countries, withheld, submission_id "
                 "FROM iafq.gs9",
                 gs9, 16);
    /* the About sheet names the run */
    const tu_sheet *a = tu_book_sheet(&b, "About");
    int found = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->cells[i].kind == CELL_TEXT &&
            !strcmp(a->cells[i].text, _run.finished))
            found = 1;
    CU_ASSERT(found);
    tu_book_free(&b);
}

static int _has_banner(const tu_sheet *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->cells[i].kind == CELL_TEXT &&
            strcasestr(s->cells[i].text, _BANNER))
            return 1;
    return 0;
}

static void test_internal_banner_everywhere(void)
{
    char pi[4096], pp[4096];
    snprintf(pi, sizeof pi, "%s", _path("banner-int.xlsx"));
    snprintf(pp, sizeof pp, "%s", _path("banner-pub.xlsx"));
    iafq_error e = {0};
    CU_ASSERT_EQUAL_FATAL(_write(true, pi, &e), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(_write(false, pp, &e), IAFQ_OK);
    tu_book b;
    CU_ASSERT_EQUAL_FATAL(tu_book_read(pi, &b), 0);
    CU_ASSERT(b.n >= 15); /* About, 11 tables, 3 charts */
    for (int i = 0; i < b.n; i++) {
        CU_ASSERT(_has_banner(&b.s[i]));
        /* row 2 (the reader's rows are 1-based), first cell */
        const char *t = tu_sheet_text(&b.s[i], 2, 0);
        CU_ASSERT(t && strcasestr(t, _BANNER));
    }
    tu_book_free(&b);
    CU_ASSERT_EQUAL_FATAL(tu_book_read(pp, &b), 0);
    for (int i = 0; i < b.n; i++) {
        CU_ASSERT(!_has_banner(&b.s[i]));
        for (size_t k = 0; k < b.s[i].n; k++)
            if (b.s[i].cells[k].kind == CELL_TEXT)
                CU_ASSERT(strcmp(b.s[i].cells[k].text, "Brazil") != 0);
    }
    static const int gs1[] = {0, 1, 2, 3, 4, 6, 7};
    _check_sheet(&b, "GS1 Arms",
                 "SELECT area_type, area_code, area_name, year, arms, n, "
                 "countries FROM iafq_public.gs1",
                 gs1, 7);
    tu_book_free(&b);
}

static void test_table_goes_on(void)
{
    const char *path = _path("parts.xlsx");
    iafq_error e = {0};
    gswb_set_rows_per_sheet(500);
    iafq_err rc = _write(true, path, &e);
    gswb_set_rows_per_sheet(0);
    CU_ASSERT_EQUAL_FATAL(rc, IAFQ_OK);
    tu_book b;
    CU_ASSERT_EQUAL_FATAL(tu_book_read(path, &b), 0);
    PGresult *r = _q("SELECT count(*) FROM iafq.gs2");
    long want = strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    CU_ASSERT_FATAL(want > 1000); /* at least 3 parts */
    const tu_sheet *first = tu_book_sheet(&b, "GS2 Types");
    CU_ASSERT_PTR_NOT_NULL_FATAL(first);
    long total = 0;
    int parts = 0;
    for (int p = 1;; p++) {
        char name[32];
        if (p == 1)
            snprintf(name, sizeof name, "GS2 Types");
        else
            snprintf(name, sizeof name, "GS2 (%d)", p);
        const tu_sheet *s = tu_book_sheet(&b, name);
        if (!s)
            break;
        parts++;
        long rows = 0;
        while (tu_sheet_cell(s, (uint32_t)(4 + rows), 0))
            rows++;
        CU_ASSERT(rows <= 500);
        CU_ASSERT(rows > 0);
        total += rows;
        for (uint32_t c = 0; c < 12; c++) /* the same header */
            CU_ASSERT_STRING_EQUAL(tu_sheet_text(s, 3, c),
                                   tu_sheet_text(first, 3, c));
    }
    CU_ASSERT_EQUAL(parts, (int)((want + 499) / 500));
    CU_ASSERT_EQUAL(total, want);
    tu_book_free(&b);
}

static void test_errors(void)
{
    iafq_error e = {0};
    /* a folder that does not exist: a clear error naming the path */
    CU_ASSERT_EQUAL(_write(true, "/nonexistent-iafq/gs.xlsx", &e), IAFQ_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "/nonexistent-iafq/gs.xlsx"));
    /* outside the export's transaction no schema is chosen (exp.h): the
     * views are not found, and the server's message is kept */
    exp_ctx ctx = {.db = _db, .schema = "iafq", .internal = true, .run = _run};
    iafq_error_clear(&e);
    CU_ASSERT_EQUAL(gswb_write(&ctx, _path("notx.xlsx"), &e), IAFQ_ERR_DB);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "does not exist"));
}

int main(void)
{
    static const tu_test tests[] = {
        {"tables equal to the views (iafq reader)", test_tables_equal_views},
        {"internal warning on every sheet, none in public",
         test_internal_banner_everywhere},
        {"a long table goes on into the next sheet", test_table_goes_on},
        {"errors keep their cause", test_errors},
        {NULL, NULL}};
    static const tu_suite suites[] = {{"gswb", tests}, {NULL, NULL}};
    if (_setup() != 0)
        return 1;
    int rc = tu_run("gswb", suites);
    _teardown();
    return rc;
}
