/*
 * test_xlsx.c - the .xlsx reader (ingest/xlsx) and the zip guard
 * (ingest/zipguard) on the fixtures of tests/fixtures/gen_xlsx.py and on a
 * workbook written here with libxlsxwriter.
 */
#include "testutil.h"

#include "iafq_limits.h"
#include "xlsx.h"
#include "zipguard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* ---- a recording sink ------------------------------------------------- */

typedef struct {
    char sheet[64];
    uint32_t row, col;
    cell_kind kind;
    double num;
    char text[96];
    size_t len;
    int is_date, date1904;
} rec;

typedef struct {
    rec cells[512];
    size_t n;
    char sheets[16][64];
    int nsheets;
    uint32_t row_ends[256];
    size_t nrow_ends;
    int sheet_ends;
    int order_errors; /* cells not in row-major order, row_end misplaced */
    uint32_t last_row, last_col;
    int any_in_sheet;
    const char *skip;   /* sheet to skip with CELLS_SKIP */
    size_t abort_after; /* stop after this many cells (0: never) */
} rec_sink;

static iafq_err _on_sheet(void *ud, const char *name, int *skip,
                          iafq_error *err)
{
    rec_sink *r = ud;
    (void)err;
    if (r->skip && strcmp(name, r->skip) == 0) {
        *skip = 1;
        return IAFQ_OK;
    }
    if (r->nsheets < 16)
        snprintf(r->sheets[r->nsheets++], 64, "%s", name);
    r->any_in_sheet = 0;
    r->last_row = 0;
    return IAFQ_OK;
}

static iafq_err _on_cell(void *ud, const cell *c, iafq_error *err)
{
    rec_sink *r = ud;
    if (r->any_in_sheet && (c->row < r->last_row ||
                            (c->row == r->last_row && c->col <= r->last_col)))
        r->order_errors++;
    if (c->text == NULL || strlen(c->text) != c->len)
        r->order_errors++;
    if (c->kind == CELL_NUMBER && c->num != strtod(c->text, NULL))
        r->order_errors++; /* the fast number path must match strtod */
    r->any_in_sheet = 1;
    r->last_row = c->row;
    r->last_col = c->col;
    if (r->n < 512) {
        rec *e = &r->cells[r->n];
        snprintf(e->sheet, sizeof e->sheet, "%s",
                 r->nsheets ? r->sheets[r->nsheets - 1] : "");
        e->row = c->row;
        e->col = c->col;
        e->kind = c->kind;
        e->num = c->num;
        snprintf(e->text, sizeof e->text, "%s", c->text);
        e->len = c->len;
        e->is_date = c->is_date;
        e->date1904 = c->date1904;
    }
    r->n++;
    if (r->abort_after && r->n >= r->abort_after)
        return iafq_error_set(err, IAFQ_ERR_DB, "COPY failed after %zu cells",
                              r->n);
    return IAFQ_OK;
}

static iafq_err _on_row_end(void *ud, uint32_t row, iafq_error *err)
{
    rec_sink *r = ud;
    (void)err;
    if (row != r->last_row)
        r->order_errors++;
    if (r->nrow_ends < 256)
        r->row_ends[r->nrow_ends++] = row;
    return IAFQ_OK;
}

static iafq_err _on_sheet_end(void *ud, iafq_error *err)
{
    (void)err;
    ((rec_sink *)ud)->sheet_ends++;
    return IAFQ_OK;
}

static iafq_err _read(const char *path, const iafq_limits *lim, rec_sink *r,
                      iafq_error *e)
{
    iafq_limits def;
    limits_default(&def);
    cell_sink s = {_on_sheet, _on_cell, _on_row_end, _on_sheet_end, r};
    iafq_error_clear(e);
    return xlsx_read(path, lim ? lim : &def, &s, e);
}

static const rec *_at(const rec_sink *r, const char *sheet, uint32_t row,
                      uint32_t col)
{
    for (size_t i = 0; i < r->n && i < 512; i++)
        if (strcmp(r->cells[i].sheet, sheet) == 0 && r->cells[i].row == row &&
            r->cells[i].col == col)
            return &r->cells[i];
    return NULL;
}

static rec_sink *_new_sink(void)
{
    rec_sink *r = calloc(1, sizeof *r);
    CU_ASSERT_FATAL(r != NULL);
    return r;
}

#define ASSERT_TEXT(r, sh, row, col, kind_, str)                               \
    do {                                                                       \
        const rec *c_ = _at(r, sh, row, col);                                  \
        CU_ASSERT_PTR_NOT_NULL_FATAL(c_);                                      \
        CU_ASSERT_EQUAL(c_->kind, kind_);                                      \
        CU_ASSERT_STRING_EQUAL(c_->text, str);                                 \
        CU_ASSERT_EQUAL(c_->len, strlen(str));                                 \
    } while (0)

#define ASSERT_NUM(r, sh, row, col, val, date)                                 \
    do {                                                                       \
        const rec *c_ = _at(r, sh, row, col);                                  \
        CU_ASSERT_PTR_NOT_NULL_FATAL(c_);                                      \
        CU_ASSERT_EQUAL(c_->kind, CELL_NUMBER);                                \
        CU_ASSERT_DOUBLE_EQUAL(c_->num, val, 1e-9);                            \
        CU_ASSERT_EQUAL(c_->is_date, date);                                    \
    } while (0)

/* Read a fixture expecting failure `code` with `needle` in the message.
 * Outcome only: no test here measures time (see docs/decisions.md). */
static void _expect_fail(const char *fixture, const iafq_limits *lim,
                         iafq_err code, const char *needle)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    iafq_err rc = _read(tu_fixture(fixture), lim, r, &e);
    CU_ASSERT_EQUAL(rc, code);
    CU_ASSERT_EQUAL(e.code, code);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, needle));
    if (rc != code || !strstr(e.msg, needle))
        fprintf(stderr, "\n  %s: rc=%d msg=%s\n", fixture, (int)rc, e.msg);
    free(r);
}

/* The same read in a forked child, so that its peak memory can be bounded:
 * the child exits 0 when the outcome was `code` with a message that names
 * a size in bytes (a number followed by " bytes"). */
typedef struct {
    const char *fixture;
    const iafq_limits *lim;
    iafq_err code;
} _hostile_read;

static int _names_bytes(const char *msg)
{
    for (const char *p = strstr(msg, " bytes"); p; p = strstr(p + 1, " bytes"))
        if (p > msg && p[-1] >= '0' && p[-1] <= '9')
            return 1;
    return 0;
}

static int _read_in_child(void *arg)
{
    const _hostile_read *h = arg;
    rec_sink *r = _new_sink();
    iafq_error e;
    iafq_err rc = _read(tu_fixture(h->fixture), h->lim, r, &e);
    int ok = rc == h->code && e.code == h->code && _names_bytes(e.msg);
    if (!ok)
        fprintf(stderr, "\n  %s: rc=%d msg=%s\n", h->fixture, (int)rc, e.msg);
    free(r);
    return ok ? 0 : 1;
}

static void _expect_fail_mem(const char *fixture, const iafq_limits *lim,
                             iafq_err code, long max_mib)
{
    _hostile_read h = {fixture, lim, code};
    long peak_kb = 0;
    CU_ASSERT_EQUAL(tu_in_child(_read_in_child, &h, &peak_kb), 0);
    if (!tu_asan()) { /* ASan's shadow memory is no measure of the reader */
        CU_ASSERT(peak_kb > 0 && peak_kb <= max_mib * 1024);
        if (peak_kb > max_mib * 1024)
            fprintf(stderr, "\n  %s: peak %ld KiB, bound %ld MiB\n", fixture,
                    peak_kb, max_mib);
    }
}

/* ---- reader variants ----------------------------------------------------- */

static void test_basic_sheets_in_workbook_order(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("basic.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    /* the chartsheet is skipped; rels order differs from workbook order */
    CU_ASSERT_EQUAL(r->nsheets, 3);
    CU_ASSERT_STRING_EQUAL(r->sheets[0], "T1 Arms by type");
    CU_ASSERT_STRING_EQUAL(r->sheets[1], "T8");
    CU_ASSERT_STRING_EQUAL(r->sheets[2], "COVER");
    CU_ASSERT_EQUAL(r->sheet_ends, 3);
    CU_ASSERT_EQUAL(r->order_errors, 0);
    /* data_b.xml via relative target, cover.xml via absolute target */
    ASSERT_TEXT(r, "T8", 1, 0, CELL_TEXT, "second");
    ASSERT_NUM(r, "COVER", 3, 1, 3, 0);
    free(r);
}

static void test_basic_strings(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("basic.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    const char *s = "T1 Arms by type";
    ASSERT_TEXT(r, s, 1, 0, CELL_TEXT, "CODE");
    ASSERT_TEXT(r, s, 1, 1, CELL_TEXT, "Rich text run"); /* no phonetic */
    ASSERT_TEXT(r, s, 1, 2, CELL_TEXT, "A & B <c> \xc3\xa9t\xc3\xa9");
    ASSERT_TEXT(r, s, 2, 0, CELL_TEXT, "PISTOL");
    ASSERT_TEXT(r, s, 5, 1, CELL_TEXT, "inline");
    ASSERT_TEXT(r, s, 5, 8, CELL_TEXT, "inline2");     /* rich inline runs */
    ASSERT_TEXT(r, s, 6, 0, CELL_TEXT, "line\rbreak"); /* _x000D_ */
    ASSERT_TEXT(r, s, 6, 2, CELL_TEXT, "");
    free(r);
}

static void test_basic_numbers_bools_errors_formulas(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("basic.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    const char *s = "T1 Arms by type";
    ASSERT_NUM(r, s, 2, 1, 42, 0);
    ASSERT_TEXT(r, s, 2, 1, CELL_NUMBER, "42");
    ASSERT_NUM(r, s, 2, 2, 3.25, 0);
    ASSERT_NUM(r, s, 2, 3, 1500, 0);
    ASSERT_NUM(r, s, 2, 4, -7, 0);
    ASSERT_NUM(r, s, 12, 0, 0.1, 0);
    CU_ASSERT_EQUAL(_at(r, s, 12, 0)->num, 0.1); /* exactly */
    ASSERT_NUM(r, s, 12, 1, -123456.789, 0);
    CU_ASSERT_EQUAL(_at(r, s, 12, 1)->num, -123456.789);
    ASSERT_NUM(r, s, 12, 2, 12345678901234567.0, 0);
    ASSERT_NUM(r, s, 12, 3, 0.001, 0);
    ASSERT_NUM(r, s, 12, 4, 0.5, 0);
    CU_ASSERT_PTR_NULL(_at(r, s, 2, 5)); /* styled empty cell: skipped */
    const rec *c = _at(r, s, 5, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_BOOL);
    CU_ASSERT_EQUAL(c->num, 1);
    c = _at(r, s, 5, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_BOOL);
    CU_ASSERT_EQUAL(c->num, 0);
    ASSERT_TEXT(r, s, 5, 4, CELL_ERROR, "#N/A");
    ASSERT_NUM(r, s, 5, 5, 1538.25, 0);       /* formula, cached */
    ASSERT_TEXT(r, s, 5, 6, CELL_TEXT, "ab"); /* t="str" */
    ASSERT_TEXT(r, s, 5, 7, CELL_FORMULA_NOCACHE, "B2*2");
    free(r);
}

static void test_basic_sparse_and_missing_refs(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("basic.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    const char *s = "T1 Arms by type";
    /* <row> without r after row 5 is row 6; its cells A, B, C */
    ASSERT_NUM(r, s, 6, 1, 6, 0);
    /* C9 then a cell without r: D9 */
    ASSERT_NUM(r, s, 9, 2, 9, 0);
    ASSERT_NUM(r, s, 9, 3, 10, 0);
    CU_ASSERT_PTR_NULL(_at(r, s, 3, 0));
    /* row_end after each row with cells (1, 2, 5, 6, 9, 10), not 11 */
    static const uint32_t want[] = {1, 2, 5, 6, 9, 10, 12, 1, 3};
    CU_ASSERT_EQUAL_FATAL(r->nrow_ends, 9);
    for (size_t i = 0; i < 9; i++)
        CU_ASSERT_EQUAL(r->row_ends[i], want[i]);
    CU_ASSERT_EQUAL(r->n, 34);
    CU_ASSERT_EQUAL(r->order_errors, 0);
    free(r);
}

static void test_basic_date_styles(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("basic.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    const char *s = "T1 Arms by type";
    ASSERT_NUM(r, s, 10, 0, 45000, 1); /* builtin 14 */
    ASSERT_NUM(r, s, 10, 1, 45001, 1); /* yyyy\-mm\-dd */
    ASSERT_NUM(r, s, 10, 2, 45002, 0); /* #,##0.00 (a dxf says yyyy) */
    ASSERT_NUM(r, s, 10, 3, 45003, 0); /* "day "0 */
    ASSERT_NUM(r, s, 10, 4, 0.5, 1);   /* builtin 46 */
    ASSERT_NUM(r, s, 10, 5, 1, 0);     /* style index out of range */
    CU_ASSERT_EQUAL(_at(r, s, 10, 0)->date1904, 0);
    free(r);
}

static void test_date1904(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    int y, m, d;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("date1904.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    const rec *c = _at(r, "T1", 1, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->date1904, 1);
    CU_ASSERT_EQUAL(c->is_date, 1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(c->num, c->date1904, &y, &m, &d), 0);
    CU_ASSERT(y == 1904 && m == 1 && d == 1);
    c = _at(r, "T1", 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(c->num, c->date1904, &y, &m, &d), 0);
    CU_ASSERT(y == 2023 && m == 3 && d == 16);
    free(r);
}

static void test_serial_to_date(void)
{
    int y = 0, m = 0, d = 0;
    CU_ASSERT_EQUAL(xlsx_serial_to_date(1, 0, &y, &m, &d), 0);
    CU_ASSERT(y == 1900 && m == 1 && d == 1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(59, 0, &y, &m, &d), 0);
    CU_ASSERT(y == 1900 && m == 2 && d == 28);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(60, 0, &y, &m, &d), -1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(61, 0, &y, &m, &d), 0);
    CU_ASSERT(y == 1900 && m == 3 && d == 1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(45000.75, 0, &y, &m, &d), 0);
    CU_ASSERT(y == 2023 && m == 3 && d == 15);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(44635, 0, &y, &m, &d), 0);
    CU_ASSERT(y == 2022 && m == 3 && d == 15);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(2958465, 0, &y, &m, &d), 0);
    CU_ASSERT(y == 9999 && m == 12 && d == 31);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(2958466, 0, &y, &m, &d), -1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(0, 0, &y, &m, &d), -1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(-5, 0, &y, &m, &d), -1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(NAN, 0, &y, &m, &d), -1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(INFINITY, 0, &y, &m, &d), -1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(0, 1, &y, &m, &d), 0);
    CU_ASSERT(y == 1904 && m == 1 && d == 1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(1, 1, &y, &m, &d), 0);
    CU_ASSERT(y == 1904 && m == 1 && d == 2);
}

static void test_rootrels_prefixed(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("rootrels.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    CU_ASSERT_EQUAL(r->nsheets, 1);
    CU_ASSERT_STRING_EQUAL(r->sheets[0], "COVER");
    CU_ASSERT_EQUAL(r->n, 2);
    ASSERT_TEXT(r, "COVER", 2, 1, CELL_TEXT, "pfx");
    ASSERT_NUM(r, "COVER", 2, 2, 12, 0);
    free(r);
}

static void test_openpyxl(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    int y, m, d;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("openpyxl.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    CU_ASSERT_EQUAL(r->nsheets, 2);
    CU_ASSERT_STRING_EQUAL(r->sheets[0], "COVER");
    CU_ASSERT_STRING_EQUAL(r->sheets[1], "T1");
    CU_ASSERT_EQUAL(r->order_errors, 0);
    ASSERT_TEXT(r, "COVER", 1, 0, CELL_TEXT, "CODE");
    ASSERT_TEXT(r, "COVER", 2, 1, CELL_TEXT, "FRA");
    ASSERT_NUM(r, "COVER", 3, 1, 2021, 0);
    const rec *c = _at(r, "COVER", 4, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_NUMBER);
    CU_ASSERT_EQUAL(c->is_date, 1);
    CU_ASSERT_EQUAL(xlsx_serial_to_date(c->num, c->date1904, &y, &m, &d), 0);
    CU_ASSERT(y == 2022 && m == 3 && d == 15);
    ASSERT_NUM(r, "COVER", 5, 1, 0.25, 0);
    c = _at(r, "COVER", 6, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_BOOL);
    CU_ASSERT_EQUAL(c->num, 1);
    /* openpyxl stores formulas without a cached value */
    ASSERT_TEXT(r, "COVER", 7, 1, CELL_FORMULA_NOCACHE, "B3+1");
    ASSERT_TEXT(r, "COVER", 9, 3, CELL_TEXT, "far");
    ASSERT_TEXT(r, "T1", 2, 0, CELL_TEXT, "PISTOL");
    ASSERT_NUM(r, "T1", 2, 1, 10, 0);
    free(r);
}

static void test_libxlsxwriter(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/written.xlsx", tu_tmpdir());
    lxw_workbook *wb = workbook_new(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "T1 Arms");
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "COVER");
    lxw_format *df = workbook_add_format(wb);
    format_set_num_format(df, "dd/mm/yyyy");
    worksheet_write_string(ws, 0, 0, "CODE", NULL);
    worksheet_write_string(ws, 0, 1, "SEIZED", NULL);
    worksheet_write_string(ws, 1, 0, "PISTOL", NULL);
    worksheet_write_number(ws, 1, 1, 123, NULL);
    worksheet_write_number(ws, 1, 2, 44635, df);
    worksheet_write_boolean(ws, 1, 3, 1, NULL);
    worksheet_write_formula_num(ws, 1, 4, "=B2*2", NULL, 246);
    worksheet_write_string(ws, 199, 25, "far corner & <more>", NULL);
    worksheet_write_string(ws2, 0, 0, "COUNTRY", NULL);
    CU_ASSERT_EQUAL_FATAL(workbook_close(wb), LXW_NO_ERROR);

    rec_sink *r = _new_sink();
    iafq_error e;
    CU_ASSERT_EQUAL_FATAL(_read(path, NULL, r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r->nsheets, 2);
    CU_ASSERT_STRING_EQUAL(r->sheets[0], "T1 Arms");
    CU_ASSERT_STRING_EQUAL(r->sheets[1], "COVER");
    CU_ASSERT_EQUAL(r->order_errors, 0);
    ASSERT_TEXT(r, "T1 Arms", 1, 0, CELL_TEXT, "CODE");
    ASSERT_TEXT(r, "T1 Arms", 2, 0, CELL_TEXT, "PISTOL");
    ASSERT_NUM(r, "T1 Arms", 2, 1, 123, 0);
    ASSERT_NUM(r, "T1 Arms", 2, 2, 44635, 1);
    const rec *c = _at(r, "T1 Arms", 2, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_BOOL);
    CU_ASSERT_EQUAL(c->num, 1);
    ASSERT_NUM(r, "T1 Arms", 2, 4, 246, 0);
    ASSERT_TEXT(r, "T1 Arms", 200, 25, CELL_TEXT, "far corner & <more>");
    ASSERT_TEXT(r, "COVER", 1, 0, CELL_TEXT, "COUNTRY");
    CU_ASSERT_EQUAL(r->n, 9);
    free(r);
    remove(path);
}

static void test_sink_skip_and_abort(void)
{
    rec_sink *r = _new_sink();
    iafq_error e;
    r->skip = "T8";
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("basic.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    CU_ASSERT_EQUAL(r->nsheets, 2);
    CU_ASSERT_STRING_EQUAL(r->sheets[1], "COVER");
    CU_ASSERT_EQUAL(r->sheet_ends, 2);
    CU_ASSERT_PTR_NULL(_at(r, "T8", 1, 0));
    free(r);

    r = _new_sink();
    r->abort_after = 3;
    /* the callback's own error comes back unchanged */
    CU_ASSERT_EQUAL(_read(tu_fixture("basic.xlsx"), NULL, r, &e), IAFQ_ERR_DB);
    CU_ASSERT_EQUAL(e.code, IAFQ_ERR_DB);
    CU_ASSERT_STRING_EQUAL(e.msg, "COPY failed after 3 cells");
    CU_ASSERT_EQUAL(r->n, 3);
    free(r);

    /* a NULL-callback sink reads everything without complaint */
    cell_sink none = {NULL, NULL, NULL, NULL, NULL};
    iafq_limits lim;
    limits_default(&lim);
    CU_ASSERT_EQUAL(xlsx_read(tu_fixture("basic.xlsx"), &lim, &none, &e),
                    IAFQ_OK);
}

/* ---- malformed and hostile input ------------------------------------------
 */

static void test_malformed(void)
{
    _expect_fail("rows_desc.xlsx", NULL, IAFQ_ERR_FORMAT,
                 "row 2 comes after row 3");
    _expect_fail("rows_dup.xlsx", NULL, IAFQ_ERR_FORMAT,
                 "row 3 comes after row 3");
    _expect_fail("cols_desc.xlsx", NULL, IAFQ_ERR_FORMAT,
                 "cell B1 comes after cell C1");
    _expect_fail("badxml.xlsx", NULL, IAFQ_ERR_XML,
                 "sheet 'T1' (xl/worksheets/sheet1.xml): XML error at line 4: "
                 "mismatched tag");
    _expect_fail("sst_index.xlsx", NULL, IAFQ_ERR_FORMAT, "shared string '5'");
    _expect_fail("badnum.xlsx", NULL, IAFQ_ERR_FORMAT, "not a number");
    _expect_fail("missing_part.xlsx", NULL, IAFQ_ERR_FORMAT,
                 "'xl/worksheets/gone.xml' is missing");
    _expect_fail("notworkbook.xlsx", NULL, IAFQ_ERR_FORMAT,
                 "not an Excel workbook");
    _expect_fail("no-such-file.xlsx", NULL, IAFQ_ERR_IO, "cannot open");
}

static void test_hostile_zip(void)
{
    _expect_fail("bomb.xlsx", NULL, IAFQ_ERR_LIMIT, "zip bomb");
    _expect_fail("truncated.xlsx", NULL, IAFQ_ERR_FORMAT, "not a zip archive");
    _expect_fail("ole.xlsx", NULL, IAFQ_ERR_FORMAT, "not a zip archive");
    _expect_fail("junk.xlsx", NULL, IAFQ_ERR_FORMAT, "not a zip archive");
    _expect_fail("empty.xlsx", NULL, IAFQ_ERR_FORMAT, "empty");
    _expect_fail("encrypted.xlsx", NULL, IAFQ_ERR_FORMAT, "encrypted");
}

static void test_hostile_xml(void)
{
    _expect_fail("billion_laughs.xlsx", NULL, IAFQ_ERR_FORMAT,
                 "workbook XML declares a DTD");
    _expect_fail("xxe.xlsx", NULL, IAFQ_ERR_FORMAT, "declares a DTD");
    _expect_fail(
        "sst_dtd.xlsx", NULL, IAFQ_ERR_FORMAT,
        "shared strings (xl/sharedStrings.xml): workbook XML declares a DTD");
    _expect_fail("bigdim.xlsx", NULL, IAFQ_ERR_LIMIT, "declares 16384 columns");
    _expect_fail("bigdim_cells.xlsx", NULL, IAFQ_ERR_LIMIT,
                 "cells (A1:ALL1000000)");
    _expect_fail("farcol.xlsx", NULL, IAFQ_ERR_LIMIT,
                 "cell ZZZ1 is beyond the limit of 1024 columns");
    _expect_fail("farrow.xlsx", NULL, IAFQ_ERR_LIMIT, "row 2000000 is beyond");
    _expect_fail("deep.xlsx", NULL, IAFQ_ERR_FORMAT,
                 "nested more than 256 deep");
    /* a 70 MB tag: refused once it is longer than the longest legal token
     * (XLSX_XML_TOKEN_MAX), before expat sees it, with the ratio guard off
     * and on (it would stop the file only after 7 MB), in bounded memory,
     * whatever expat release is installed; how long it takes is for
     * `make bench`, not for a test */
    iafq_limits lim;
    limits_default(&lim);
    lim.max_ratio = 0;
    _expect_fail_mem("bigtag.xlsx", &lim, IAFQ_ERR_LIMIT, 64);
    limits_default(&lim);
    _expect_fail("bigtag.xlsx", &lim, IAFQ_ERR_LIMIT,
                 "XML tag or comment is larger than 1048576 bytes");
}

static void test_lowered_limits(void)
{
    iafq_limits lim;
    limits_default(&lim);
    lim.max_sst_count = 100;
    _expect_fail("sst1000.xlsx", &lim, IAFQ_ERR_LIMIT,
                 "more than 100 shared strings");
    limits_default(&lim);
    lim.max_sst_bytes = 1000;
    _expect_fail("sst1000.xlsx", &lim, IAFQ_ERR_LIMIT, "more than 1000 bytes");
    limits_default(&lim);
    lim.max_cells = 50;
    _expect_fail("cells100.xlsx", &lim, IAFQ_ERR_LIMIT,
                 "more than 50 non-empty cells");
    limits_default(&lim);
    lim.max_rows = 50;
    _expect_fail("cells100.xlsx", &lim, IAFQ_ERR_LIMIT,
                 "row 51 is beyond the limit of 50 rows");
    limits_default(&lim);
    lim.max_cols = 1;
    _expect_fail("cells100.xlsx", &lim, IAFQ_ERR_LIMIT,
                 "cell B1 is beyond the limit of 1 columns");
    limits_default(&lim);
    lim.max_cell_bytes = 1000;
    _expect_fail("longtext.xlsx", &lim, IAFQ_ERR_LIMIT,
                 "longer than 1000 bytes");
    limits_default(&lim);
    lim.max_file_bytes = 1000;
    _expect_fail("basic.xlsx", &lim, IAFQ_ERR_LIMIT,
                 "more than the limit of 1000");

    /* within the defaults the same files read */
    rec_sink *r = _new_sink();
    iafq_error e;
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("sst1000.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    ASSERT_TEXT(r, "T1", 1, 0, CELL_TEXT, "string number 999");
    free(r);
    r = _new_sink();
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("cells100.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    CU_ASSERT_EQUAL(r->n, 200);
    CU_ASSERT_EQUAL(r->nrow_ends, 100);
    ASSERT_NUM(r, "T1", 100, 1, 100, 0);
    free(r);
    r = _new_sink();
    CU_ASSERT_EQUAL_FATAL(_read(tu_fixture("longtext.xlsx"), NULL, r, &e),
                          IAFQ_OK);
    CU_ASSERT_EQUAL(r->cells[0].len, 5000);
    free(r);
}

/* ---- zipguard ------------------------------------------------------------ */

static void test_zipg_basic(void)
{
    iafq_limits lim;
    iafq_error e;
    zipg *z = NULL;
    limits_default(&lim);
    CU_ASSERT_EQUAL_FATAL(zipg_open(tu_fixture("basic.xlsx"), &lim, &z, &e),
                          IAFQ_OK);
    CU_ASSERT_EQUAL(zipg_count(z), 10);
    long i = zipg_find(z, "xl/workbook.xml", 0);
    CU_ASSERT(i >= 0);
    CU_ASSERT_STRING_EQUAL(zipg_name(z, (size_t)i), "xl/workbook.xml");
    CU_ASSERT_EQUAL(zipg_find(z, "XL/Workbook.XML", 0), -1);
    CU_ASSERT_EQUAL(zipg_find(z, "XL/Workbook.XML", 1), i);
    CU_ASSERT_EQUAL(zipg_find(z, "nope", 1), -1);
    CU_ASSERT_PTR_NULL(zipg_name(z, 10));
    char *buf = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL(zipg_entry_slurp(z, (size_t)i, 1 << 20, &buf, &len, &e),
                    IAFQ_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL(strlen(buf), len);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "T1 Arms by type"));
    free(buf);
    buf = NULL;
    CU_ASSERT_EQUAL(zipg_entry_slurp(z, (size_t)i, 100, &buf, &len, &e),
                    IAFQ_ERR_LIMIT);
    CU_ASSERT_PTR_NULL(buf);
    zipg_close(z);
    zipg_close(NULL);
    zipg_entry_close(NULL);
}

static void test_zipg_limits(void)
{
    iafq_limits lim;
    iafq_error e;
    zipg *z = NULL;
    zipg_entry *en = NULL;
    char buf[65536];
    size_t got = 0;

    limits_default(&lim);
    lim.max_entries = 3;
    CU_ASSERT_EQUAL(zipg_open(tu_fixture("basic.xlsx"), &lim, &z, &e),
                    IAFQ_ERR_LIMIT);
    CU_ASSERT_PTR_NULL(z);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "holds 10 files"));

    /* entry size: counted on the bytes really inflated */
    limits_default(&lim);
    lim.max_entry_bytes = 100;
    CU_ASSERT_EQUAL_FATAL(zipg_open(tu_fixture("basic.xlsx"), &lim, &z, &e),
                          IAFQ_OK);
    long i = zipg_find(z, "xl/worksheets/data_a.xml", 0);
    CU_ASSERT_FATAL(i >= 0);
    CU_ASSERT_EQUAL_FATAL(zipg_entry_open(z, (size_t)i, &en, &e), IAFQ_OK);
    iafq_err rc;
    size_t total = 0;
    while ((rc = zipg_entry_read(en, buf, sizeof buf, &got, &e)) == IAFQ_OK &&
           got)
        total += got;
    CU_ASSERT_EQUAL(rc, IAFQ_ERR_LIMIT);
    CU_ASSERT(total <= 100);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "inflates to more than 100 bytes"));
    zipg_entry_close(en);
    en = NULL;
    zipg_close(z);
    z = NULL;

    /* ratio: the bomb stops shortly after the grace bytes */
    limits_default(&lim);
    CU_ASSERT_EQUAL_FATAL(zipg_open(tu_fixture("bomb.xlsx"), &lim, &z, &e),
                          IAFQ_OK);
    i = zipg_find(z, "xl/worksheets/sheet1.xml", 0);
    CU_ASSERT_EQUAL_FATAL(zipg_entry_open(z, (size_t)i, &en, &e), IAFQ_OK);
    total = 0;
    while ((rc = zipg_entry_read(en, buf, sizeof buf, &got, &e)) == IAFQ_OK &&
           got)
        total += got;
    CU_ASSERT_EQUAL(rc, IAFQ_ERR_LIMIT);
    /* ~205 KB compressed: stops near 100 x that, far from 200 MB */
    CU_ASSERT(total >= LIMITS_RATIO_GRACE_BYTES);
    CU_ASSERT(total <= 25u << 20);
    zipg_entry_close(en);
    en = NULL;
    zipg_close(z);
    z = NULL;

    /* with the ratio raised, the same entry is readable to its end */
    lim.max_ratio = 100000;
    CU_ASSERT_EQUAL_FATAL(zipg_open(tu_fixture("bomb.xlsx"), &lim, &z, &e),
                          IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(zipg_entry_open(z, (size_t)i, &en, &e), IAFQ_OK);
    total = 0;
    while ((rc = zipg_entry_read(en, buf, sizeof buf, &got, &e)) == IAFQ_OK &&
           got)
        total += got;
    CU_ASSERT_EQUAL(rc, IAFQ_OK);
    CU_ASSERT(total > (200u << 20) && total < (200u << 20) + 1000);
    if (rc != IAFQ_OK || total <= (200u << 20))
        fprintf(stderr, "\n  bomb raised ratio: rc=%d total=%zu msg=%s\n",
                (int)rc, total, e.msg);
    zipg_entry_close(en);
    en = NULL;
    zipg_close(z);
    z = NULL;
}

static void test_zipg_errors(void)
{
    iafq_limits lim;
    iafq_error e;
    zipg *z = NULL;
    zipg_entry *en = NULL;
    limits_default(&lim);
    CU_ASSERT_EQUAL(zipg_open(tu_fixture("no-such-file.zip"), &lim, &z, &e),
                    IAFQ_ERR_IO);
    CU_ASSERT_PTR_NULL(z);
    CU_ASSERT_EQUAL(zipg_open("/tmp", &lim, &z, &e), IAFQ_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "not a regular file"));
    CU_ASSERT_EQUAL(zipg_open(tu_fixture("ole.xlsx"), &lim, &z, &e),
                    IAFQ_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "Not a zip archive")); /* libzip's */
    CU_ASSERT_EQUAL(zipg_open(tu_fixture("empty.xlsx"), &lim, &z, &e),
                    IAFQ_ERR_FORMAT);
    CU_ASSERT_EQUAL_FATAL(zipg_open(tu_fixture("encrypted.xlsx"), &lim, &z, &e),
                          IAFQ_OK);
    long i = zipg_find(z, "xl/worksheets/sheet1.xml", 0);
    CU_ASSERT_FATAL(i >= 0);
    CU_ASSERT_EQUAL(zipg_entry_open(z, (size_t)i, &en, &e), IAFQ_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(en);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "encrypted"));
    zipg_close(z);
}

static const tu_test reader_tests[] = {
    {"sheets in workbook order", test_basic_sheets_in_workbook_order},
    {"shared, rich and inline strings", test_basic_strings},
    {"numbers, booleans, errors, formulas",
     test_basic_numbers_bools_errors_formulas},
    {"sparse rows and missing refs", test_basic_sparse_and_missing_refs},
    {"date styles", test_basic_date_styles},
    {"1904 date system", test_date1904},
    {"serial to date", test_serial_to_date},
    {"workbook via _rels/.rels, prefixed XML", test_rootrels_prefixed},
    {"written by openpyxl", test_openpyxl},
    {"written by libxlsxwriter", test_libxlsxwriter},
    {"sink skip and abort", test_sink_skip_and_abort},
    {NULL, NULL},
};

static const tu_test hostile_tests[] = {
    {"malformed workbooks", test_malformed},
    {"hostile zips", test_hostile_zip},
    {"hostile XML", test_hostile_xml},
    {"lowered limits", test_lowered_limits},
    {NULL, NULL},
};

static const tu_test zipg_tests[] = {
    {"open, find, slurp", test_zipg_basic},
    {"entries, entry size, ratio", test_zipg_limits},
    {"missing, not zip, encrypted", test_zipg_errors},
    {NULL, NULL},
};

static const tu_suite suites[] = {
    {"xlsx reader", reader_tests},
    {"xlsx hostile", hostile_tests},
    {"zipguard", zipg_tests},
    {NULL, NULL},
};

int main(void)
{
    return tu_run("xlsx", suites);
}
