/*
 * test_csvin.c - CUnit suites for ingest/csvin: encodings, delimiters,
 * quoting, cell positions and kinds, limits, malformed input, the portal
 * sample and the generated CSV returns.
 */
#include "csvin.h"
#include "testutil.h"

#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a sink that records everything ----------------------------------- */

typedef struct {
    uint32_t row, col;
    cell_kind kind;
    double num;
    char *text;
    size_t len;
} rcell;

typedef struct {
    char *sheet;
    int begins, ends;
    rcell *cells;
    size_t n, cap;
    uint32_t *rows;
    size_t nrows, rcap;
    size_t stop_at; /* abort when the stop_at-th cell arrives (0 = never) */
    int skip;       /* sheet_begin returns CELLS_SKIP */
    int order_bad;  /* a cell out of row-major order, or a row_end mismatch */
    uint32_t last_row, last_col;
    int have_last;
} rec;

static iafq_err _rec_begin(void *ud, const char *name, int *skip,
                           iafq_error *err)
{
    rec *r = ud;
    (void)err;
    r->begins++;
    free(r->sheet);
    r->sheet = strdup(name);
    *skip = r->skip;
    return IAFQ_OK;
}

static iafq_err _rec_cell(void *ud, const cell *c, iafq_error *err)
{
    rec *r = ud;
    if (r->have_last && (c->row < r->last_row ||
                         (c->row == r->last_row && c->col <= r->last_col)))
        r->order_bad = 1;
    if (c->text == NULL || strlen(c->text) != c->len)
        r->order_bad = 1;
    r->last_row = c->row;
    r->last_col = c->col;
    r->have_last = 1;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->cells = realloc(r->cells, r->cap * sizeof *r->cells);
    }
    rcell *x = &r->cells[r->n++];
    x->row = c->row;
    x->col = c->col;
    x->kind = c->kind;
    x->num = c->num;
    x->text = malloc(c->len + 1);
    memcpy(x->text, c->text, c->len + 1);
    x->len = c->len;
    if (r->stop_at && r->n == r->stop_at)
        return iafq_error_set(err, IAFQ_ERR_DB, "stopped at %u:%u", c->row,
                              c->col);
    return IAFQ_OK;
}

static iafq_err _rec_row_end(void *ud, uint32_t row, iafq_error *err)
{
    rec *r = ud;
    (void)err;
    if (!r->have_last || r->last_row != row)
        r->order_bad = 1;
    if (r->nrows == r->rcap) {
        r->rcap = r->rcap ? r->rcap * 2 : 64;
        r->rows = realloc(r->rows, r->rcap * sizeof *r->rows);
    }
    r->rows[r->nrows++] = row;
    return IAFQ_OK;
}

static iafq_err _rec_end(void *ud, iafq_error *err)
{
    rec *r = ud;
    (void)err;
    r->ends++;
    return IAFQ_OK;
}

static void _rec_free(rec *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->cells[i].text);
    free(r->cells);
    free(r->rows);
    free(r->sheet);
    memset(r, 0, sizeof *r);
}

static cell_sink _sink(rec *r)
{
    cell_sink s = {_rec_begin, _rec_cell, _rec_row_end, _rec_end, r};
    return s;
}

static const rcell *_at(const rec *r, uint32_t row, uint32_t col)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->cells[i].row == row && r->cells[i].col == col)
            return &r->cells[i];
    return NULL;
}

/* Text of the cell at row/col, or "<none>". */
static const char *_txt(const rec *r, uint32_t row, uint32_t col)
{
    const rcell *c = _at(r, row, col);
    return c ? c->text : "<none>";
}

/* ---- sources ---------------------------------------------------------- */

typedef struct {
    const unsigned char *b;
    size_t n, pos, step;
    int rewinds;
} memsrc;

static iafq_err _mem_read(void *ctx, void *buf, size_t n, size_t *got,
                          iafq_error *err)
{
    (void)err;
    memsrc *m = ctx;
    size_t k = m->n - m->pos;
    if (k > n)
        k = n;
    if (m->step && k > m->step)
        k = m->step;
    memcpy(buf, m->b + m->pos, k);
    m->pos += k;
    *got = k;
    return IAFQ_OK;
}

static iafq_err _mem_rewind(void *ctx, iafq_error *err)
{
    (void)err;
    memsrc *m = ctx;
    m->pos = 0;
    m->rewinds++;
    return IAFQ_OK;
}

/* Read bytes from memory (step = max bytes per read, 0 = any). */
static iafq_err _read_mem(const void *b, size_t n, size_t step, int rewind,
                          const iafq_limits *lim, rec *r, iafq_error *e)
{
    memsrc m = {b, n, 0, step, 0};
    cell_sink s = _sink(r);
    return csvin_read(_mem_read, rewind ? _mem_rewind : NULL, &m, "T1.csv", lim,
                      &s, e);
}

static const char *_tmp(void)
{
    return tu_suite_tmpdir(); /* removed by the suite's cleanup */
}

static const char *_write(const char *name, const void *b, size_t n)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", _tmp(), name);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(b, 1, n, f), n);
    fclose(f);
    return path;
}

static iafq_err _read_file(const char *name, const void *b, size_t n,
                           const iafq_limits *lim, rec *r, iafq_error *e)
{
    const char *p = _write(name, b, n);
    cell_sink s = _sink(r);
    return csvin_read_path(p, name, lim, &s, e);
}

/* Append to b[0..cap) at *n. */
static void _appendf(char *b, size_t *n, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void _appendf(char *b, size_t *n, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= cap - *n)
        abort();
    *n += (size_t)k;
}

#define S(lit) (lit), (sizeof(lit) - 1)

/* UTF-8 to UTF-16 (own encoder, independent of iconv), with a BOM. */
static unsigned char *_utf16(const char *u8, int be, size_t *outn)
{
    size_t n = strlen(u8);
    unsigned char *o = malloc(4 * n + 2), *p = o;
    if (!o)
        abort();
    const unsigned char *s = (const unsigned char *)u8;
    uint32_t units[2];
    int nu;
#define PUT(u)                                                                 \
    do {                                                                       \
        if (be) {                                                              \
            *p++ = (unsigned char)((u) >> 8);                                  \
            *p++ = (unsigned char)((u)&0xFF);                                  \
        } else {                                                               \
            *p++ = (unsigned char)((u)&0xFF);                                  \
            *p++ = (unsigned char)((u) >> 8);                                  \
        }                                                                      \
    } while (0)
    PUT(0xFEFFu);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        if (s[i] < 0x80) {
            cp = s[i++];
        } else if (s[i] < 0xE0) {
            cp = ((s[i] & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
            i += 2;
        } else if (s[i] < 0xF0) {
            cp = ((s[i] & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) |
                 (s[i + 2] & 0x3Fu);
            i += 3;
        } else {
            cp = ((s[i] & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) |
                 ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
            i += 4;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            units[0] = 0xD800 | (cp >> 10);
            units[1] = 0xDC00 | (cp & 0x3FF);
            nu = 2;
        } else {
            units[0] = cp;
            nu = 1;
        }
        for (int k = 0; k < nu; k++)
            PUT(units[k]);
    }
#undef PUT
    *outn = (size_t)(p - o);
    return o;
}

/* ---- encodings -------------------------------------------------------- */

static void test_utf8_plain(void)
{
    rec r = {0};
    iafq_error e;
    const char *csv = "CODE,LABEL,VALUE\nCOUNTRY,Country,ESP\n"
                      "YEAR,Year,2021\nINSTITUTION,Name,Côte d’Ivoire\n";
    CU_ASSERT_EQUAL(_read_mem(csv, strlen(csv), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_STRING_EQUAL(r.sheet, "T1.csv");
    CU_ASSERT_EQUAL(r.begins, 1);
    CU_ASSERT_EQUAL(r.ends, 1);
    CU_ASSERT_EQUAL(r.n, 12);
    CU_ASSERT_EQUAL(r.nrows, 4);
    CU_ASSERT_FALSE(r.order_bad);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 0), "CODE");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 2, 2), "ESP");
    CU_ASSERT_EQUAL(_at(&r, 2, 2)->kind, CELL_TEXT);
    CU_ASSERT_EQUAL(_at(&r, 3, 2)->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(_at(&r, 3, 2)->num, 2021.0, 1e-9);
    CU_ASSERT_STRING_EQUAL(_at(&r, 3, 2)->text, "2021");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 4, 2), "C\xc3\xb4te d\xe2\x80\x99Ivoire");
    _rec_free(&r);
}

static void test_utf8_bom(void)
{
    rec r = {0};
    iafq_error e;
    const char csv[] = "\xef\xbb\xbf"
                       "CODE;VALUE\r\nCOUNTRY;ESP\r\n";
    CU_ASSERT_EQUAL(_read_file("bom.csv", S(csv), NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_STRING_EQUAL(r.sheet, "bom.csv");
    CU_ASSERT_EQUAL(r.n, 4);
    /* the BOM is not part of A1 */
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 0), "CODE");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 1), "VALUE");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 2, 1), "ESP");
    _rec_free(&r);
}

static void _check_ivoire(const rec *r)
{
    CU_ASSERT_EQUAL(r->n, 7);
    CU_ASSERT_FALSE(r->order_bad);
    CU_ASSERT_STRING_EQUAL(_txt(r, 1, 0), "CODE");
    CU_ASSERT_STRING_EQUAL(_txt(r, 2, 1), "C\xc3\xb4te d\xe2\x80\x99Ivoire");
    CU_ASSERT_STRING_EQUAL(_txt(r, 3, 0), "X");
    CU_ASSERT_STRING_EQUAL(_txt(r, 3, 1), "\xf0\x9f\x98\x80 \xe2\x82\xac");
    CU_ASSERT_EQUAL(_at(r, 2, 2) ? _at(r, 2, 2)->kind : CELL_BLANK,
                    CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(_at(r, 2, 2) ? _at(r, 2, 2)->num : -1, 384, 1e-9);
}

static void test_utf16(void)
{
    const char *u8 = "CODE,VALUE\r\nCOUNTRY,Côte d’Ivoire,384\r\n"
                     "X,\xf0\x9f\x98\x80 €\r\n";
    for (int be = 0; be <= 1; be++) {
        size_t n;
        unsigned char *b = _utf16(u8, be, &n);
        /* whole, and in 1- and 3-byte reads (sequences split across reads) */
        size_t steps[] = {0, 1, 3};
        for (size_t k = 0; k < 3; k++) {
            rec r = {0};
            iafq_error e;
            CU_ASSERT_EQUAL(_read_mem(b, n, steps[k], 1, NULL, &r, &e),
                            IAFQ_OK);
            _check_ivoire(&r);
            _rec_free(&r);
        }
        rec r = {0};
        iafq_error e;
        CU_ASSERT_EQUAL(
            _read_file(be ? "be.csv" : "le.csv", b, n, NULL, &r, &e), IAFQ_OK);
        _check_ivoire(&r);
        _rec_free(&r);
        free(b);
    }
}

static void test_utf16_invalid(void)
{
    rec r = {0};
    iafq_error e;
    /* lone low surrogate */
    const unsigned char lone[] = {0xFF, 0xFE, 'A',  0,    ',',
                                  0,    0x00, 0xDC, '\n', 0};
    CU_ASSERT_EQUAL(_read_mem(lone, sizeof lone, 0, 1, NULL, &r, &e),
                    IAFQ_ERR_ENCODING);
    CU_ASSERT_EQUAL(e.code, IAFQ_ERR_ENCODING);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "UTF-16LE"));
    _rec_free(&r);
    /* odd number of bytes: truncated unit at the end */
    const unsigned char odd[] = {0xFE, 0xFF, 0, 'A', 0, ',', 0, 'B', 0};
    CU_ASSERT_EQUAL(_read_mem(odd, sizeof odd, 0, 1, NULL, &r, &e),
                    IAFQ_ERR_ENCODING);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "truncated"));
    _rec_free(&r);
}

static void test_cp1252(void)
{
    rec r = {0};
    iafq_error e;
    const char csv[] = "CODE;LABEL;VALUE\r\n"
                       "INSTITUTION;Nom;Minist\xe8re de l\x92Int\xe9rieur "
                       "\x80 \x81\r\n"
                       "YEAR;Ann\xe9"
                       "e;2021\r\n";
    CU_ASSERT_EQUAL(_read_file("w.csv", S(csv), NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r.n, 9);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 2, 2),
                           "Minist\xc3\xa8re de l\xe2\x80\x99Int\xc3\xa9rieur "
                           "\xe2\x82\xac \xc2\x81");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 1), "Ann\xc3\xa9"
                                           "e");
    CU_ASSERT_EQUAL(_at(&r, 3, 2)->kind, CELL_NUMBER);
    _rec_free(&r);
}

/* A big file: the text is valid UTF-8 up to far past the first chunk, then
 * one Windows-1252 byte: the first pass must see it and rewind. */
static void test_cp1252_late(void)
{
    size_t rows = 10000, cap = rows * 40 + 64, n = 0;
    char *b = malloc(cap);
    if (!b)
        abort();
    _appendf(b, &n, cap, "CODE,VALUE\n");
    for (size_t i = 0; i < rows; i++)
        _appendf(b, &n, cap, "R%zu,%s\n", i,
                 i == rows - 1 ? "caf\xe9" : "plain");
    for (size_t step = 0; step <= 7; step += 7) {
        rec r = {0};
        iafq_error e;
        memsrc m = {(unsigned char *)b, n, 0, step, 0};
        cell_sink s = _sink(&r);
        CU_ASSERT_EQUAL(
            csvin_read(_mem_read, _mem_rewind, &m, "x", NULL, &s, &e), IAFQ_OK);
        CU_ASSERT_EQUAL(m.rewinds, 1);
        CU_ASSERT_EQUAL(r.n, 2 * (rows + 1));
        CU_ASSERT_STRING_EQUAL(_txt(&r, (uint32_t)rows + 1, 1), "caf\xc3\xa9");
        CU_ASSERT_STRING_EQUAL(_txt(&r, (uint32_t)rows, 0), "R9998");
        _rec_free(&r);
    }
    free(b);
}

/* Big UTF-8 and UTF-16 files whose multi-byte characters straddle every
 * chunk border. */
static void test_big_multibyte(void)
{
    size_t rows = 20000, cap = rows * 64 + 64, n = 0;
    char *b = malloc(cap);
    if (!b)
        abort();
    _appendf(b, &n, cap, "CODE,VALUE,N\n");
    for (size_t i = 0; i < rows; i++)
        _appendf(b, &n, cap, "R%zu,%s,%zu\n", i,
                 (i % 3) ? "\xe2\x80\x99\xf0\x9f\x98\x80\xc3\xa9"
                         : "d\xe2\x80\x99",
                 i);
    b[n] = 0;
    for (int enc = 0; enc < 2; enc++) {
        size_t bn = n;
        unsigned char *bb = (unsigned char *)b, *u16 = NULL;
        if (enc == 1)
            bb = u16 = _utf16(b, 0, &bn);
        rec r = {0};
        iafq_error e;
        memsrc m = {bb, bn, 0, 0, 0};
        cell_sink s = _sink(&r);
        CU_ASSERT_EQUAL(
            csvin_read(_mem_read, _mem_rewind, &m, "x", NULL, &s, &e), IAFQ_OK);
        CU_ASSERT_EQUAL(m.rewinds, enc == 0 ? 1 : 0);
        CU_ASSERT_EQUAL(r.n, 3 * (rows + 1));
        CU_ASSERT_EQUAL(r.nrows, rows + 1);
        CU_ASSERT_FALSE(r.order_bad);
        size_t bad = 0;
        for (size_t i = 0; i < rows; i++) {
            const char *want = (i % 3) ? "\xe2\x80\x99\xf0\x9f\x98\x80\xc3\xa9"
                                       : "d\xe2\x80\x99";
            const rcell *c = _at(&r, (uint32_t)i + 2, 1);
            const rcell *d = c ? c + 1 : NULL;
            if (!c || strcmp(c->text, want) != 0 || !d || d->col != 2 ||
                d->kind != CELL_NUMBER || d->num != (double)i)
                bad++;
        }
        CU_ASSERT_EQUAL(bad, 0);
        _rec_free(&r);
        free(u16);
    }
    free(b);
}

static void test_utf8_bom_invalid(void)
{
    /* a UTF-8 BOM then a Windows-1252 byte: the BOM decides, so it is an
     * encoding error rather than a silent conversion */
    rec r = {0};
    iafq_error e;
    const char csv[] = "\xef\xbb\xbf"
                       "A,caf\xe9\n";
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, NULL, &r, &e), IAFQ_ERR_ENCODING);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "byte 8"));
    _rec_free(&r);
}

static void test_no_rewind(void)
{
    /* a small file fits in the first chunk: no rewind needed */
    rec r = {0};
    iafq_error e;
    const char csv[] = "A;caf\xe9\n";
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 0, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 1), "caf\xc3\xa9");
    _rec_free(&r);
}

/* ---- delimiters and quoting ------------------------------------------- */

static void test_delim_tab(void)
{
    rec r = {0};
    iafq_error e;
    const char csv[] = "Table 1, arms seized, found, surrendered\n"
                       "\n"
                       "CODE\tLABEL\tSEIZED\n"
                       "PISTOL\tPistol, semi-automatic; 9mm\t12\n";
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r.n, 7);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 0),
                           "Table 1, arms seized, found, surrendered");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 2), "SEIZED");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 4, 1), "Pistol, semi-automatic; 9mm");
    CU_ASSERT_EQUAL(_at(&r, 4, 2)->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(_at(&r, 4, 2)->num, 12, 1e-9);
    CU_ASSERT_EQUAL(r.nrows, 3);
    CU_ASSERT_EQUAL(r.rows[1], 3);
    _rec_free(&r);
}

static void test_delim_semicolon(void)
{
    rec r = {0};
    iafq_error e;
    const char csv[] = "Table 1, arms by type, 2021, Spain, final\n"
                       "\"Note; read the guide\"\n"
                       "code;LABEL;SEIZED;FOUND\n"
                       "RIFLE;Rifle, carbine;1,234;12.5\n"
                       "SHOTGUN;Shotgun; 7 ;-3e2\n";
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 0),
                           "Table 1, arms by type, 2021, Spain, final");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 2, 0), "Note; read the guide");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 3), "FOUND");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 4, 1), "Rifle, carbine");
    const rcell *c = _at(&r, 4, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(c->text, "1,234");
    CU_ASSERT_EQUAL(c->kind, CELL_TEXT);
    c = _at(&r, 4, 3);
    CU_ASSERT_EQUAL(c->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(c->num, 12.5, 1e-12);
    c = _at(&r, 5, 2); /* untrimmed, still a number */
    CU_ASSERT_STRING_EQUAL(c->text, " 7 ");
    CU_ASSERT_EQUAL(c->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(c->num, 7, 1e-12);
    c = _at(&r, 5, 3);
    CU_ASSERT_EQUAL(c->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(c->num, -300, 1e-9);
    _rec_free(&r);
}

static void test_delim_comma_fallback(void)
{
    /* no CODE line: the first line with a candidate decides */
    rec r = {0};
    iafq_error e;
    const char csv[] = "title only\na;b,c;d;e\n";
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r.n, 5);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 2, 1), "b,c");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 2, 3), "e");
    _rec_free(&r);
}

static void test_quoted(void)
{
    rec r = {0};
    iafq_error e;
    const char csv[] = "CODE,NOTES,QUANTITY\r\n"
                       "S-1,\"Hidden in a truck, said \"\"gift\"\"\r\n"
                       "second line\",\"5\"\r\n"
                       "S-2,\"\",3\r\n";
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r.n, 3 + 3 + 2);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 2, 1),
                           "Hidden in a truck, said \"gift\"\r\nsecond line");
    /* a quoted number is still a number */
    CU_ASSERT_EQUAL(_at(&r, 2, 2)->kind, CELL_NUMBER);
    /* records, not lines: S-2 is record 3 */
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 0), "S-2");
    CU_ASSERT_PTR_NULL(_at(&r, 3, 1)); /* empty quoted field: no cell */
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 2), "3");
    _rec_free(&r);
}

static void test_positions_blank_lines(void)
{
    rec r = {0};
    iafq_error e;
    /* CRLF, blank lines, empty fields, no final newline, spaces-only */
    const char csv[] = ",,x\r\n\r\n\r\n,y\r\n,,,\r\n  ,z";
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r.n, 4);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 2), "x");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 4, 1), "y");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 6, 0), "  ");
    CU_ASSERT_EQUAL(_at(&r, 6, 0)->kind, CELL_TEXT);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 6, 1), "z");
    CU_ASSERT_EQUAL(r.nrows, 3);
    if (r.nrows == 3) {
        CU_ASSERT_EQUAL(r.rows[0], 1);
        CU_ASSERT_EQUAL(r.rows[1], 4);
        CU_ASSERT_EQUAL(r.rows[2], 6);
    }
    CU_ASSERT_FALSE(r.order_bad);
    _rec_free(&r);

    /* LF and CR LF mixed, blank LF lines after CRLF */
    const char mix[] = "a\r\n\nb\n\r\nc\n";
    CU_ASSERT_EQUAL(_read_mem(S(mix), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 0), "a");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 0), "b");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 5, 0), "c");
    _rec_free(&r);
}

static void test_numbers(void)
{
    static const struct {
        const char *s;
        int num;
        double v;
    } cases[] = {
        {"12", 1, 12},   {"-3", 1, -3},    {"+4", 1, 4},
        {"1.5", 1, 1.5}, {"1e3", 1, 1000}, {"2.5E-1", 1, 0.25},
        {"007", 1, 7},   {" 8", 1, 8},     {"1.", 0, 0},
        {".5", 0, 0},    {"1e", 0, 0},     {"1 234", 0, 0},
        {"0x10", 0, 0},  {"n/a", 0, 0},    {"12abc", 0, 0},
        {"1e999", 0, 0}, {"- 1", 0, 0},    {"2021-03-01", 0, 0},
    };
    size_t nc = sizeof cases / sizeof cases[0];
    char buf[1024];
    size_t n = 0;
    for (size_t i = 0; i < nc; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", cases[i].s);
    rec r = {0};
    iafq_error e;
    CU_ASSERT_EQUAL(_read_mem(buf, n, 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(r.n, nc);
    for (size_t i = 0; i < nc; i++) {
        const rcell *c = &r.cells[i];
        CU_ASSERT_EQUAL(c->row, i + 1);
        CU_ASSERT_STRING_EQUAL(c->text, cases[i].s);
        CU_ASSERT_EQUAL(c->kind, cases[i].num ? CELL_NUMBER : CELL_TEXT);
        if (cases[i].num)
            CU_ASSERT_DOUBLE_EQUAL(c->num, cases[i].v, 1e-12);
        if ((c->kind == CELL_NUMBER) != cases[i].num)
            fprintf(stderr, "number case '%s' misclassified\n", cases[i].s);
    }
    _rec_free(&r);
}

/* ---- limits ----------------------------------------------------------- */

static void test_limits(void)
{
    iafq_limits lim;
    rec r = {0};
    iafq_error e;
    const char csv[] = "a,b,c\nd,e,f\ng,h,abcdef\n";

    limits_default(&lim);
    lim.max_rows = 2;
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, &lim, &r, &e), IAFQ_ERR_LIMIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "row 3"));
    CU_ASSERT_EQUAL(r.n, 6); /* the first two rows went through */
    _rec_free(&r);

    limits_default(&lim);
    lim.max_cols = 2;
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, &lim, &r, &e), IAFQ_ERR_LIMIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "column 3"));
    CU_ASSERT_EQUAL(r.n, 2);
    _rec_free(&r);

    limits_default(&lim);
    lim.max_cell_bytes = 5;
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, &lim, &r, &e), IAFQ_ERR_LIMIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "C3"));
    CU_ASSERT_EQUAL(r.n, 8);
    _rec_free(&r);

    limits_default(&lim);
    lim.max_cells = 4;
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, &lim, &r, &e), IAFQ_ERR_LIMIT);
    CU_ASSERT_EQUAL(r.n, 4);
    _rec_free(&r);

    /* the stream is counted, whatever the reader says about sizes */
    limits_default(&lim);
    lim.max_file_bytes = 10;
    CU_ASSERT_EQUAL(_read_mem(S(csv), 3, 1, &lim, &r, &e), IAFQ_ERR_LIMIT);
    CU_ASSERT_EQUAL(r.n, 0);
    CU_ASSERT_EQUAL(r.begins, 0);
    _rec_free(&r);
    /* and the size on disk */
    CU_ASSERT_EQUAL(_read_file("big.csv", S(csv), &lim, &r, &e),
                    IAFQ_ERR_LIMIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "big.csv"));
    CU_ASSERT_EQUAL(r.begins, 0);
    _rec_free(&r);
    lim.max_file_bytes = sizeof csv - 1; /* exactly at the limit is fine */
    CU_ASSERT_EQUAL(_read_file("big.csv", S(csv), &lim, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r.n, 9);
    _rec_free(&r);
}

static void test_limit_huge_field(void)
{
    /* one quoted field of 1 MiB: stopped while it is being buffered */
    size_t n = (1u << 20) + 16;
    char *b = malloc(n);
    if (!b)
        abort();
    memset(b, 'x', n);
    memcpy(b, "A,\"", 3);
    iafq_limits lim;
    limits_default(&lim);
    lim.max_cell_bytes = 1000;
    rec r = {0};
    iafq_error e;
    CU_ASSERT_EQUAL(_read_mem(b, n, 0, 1, &lim, &r, &e), IAFQ_ERR_LIMIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "B1"));
    CU_ASSERT_EQUAL(r.n, 1);
    _rec_free(&r);
    free(b);
}

/* ---- malformed input -------------------------------------------------- */

static void test_malformed(void)
{
    rec r = {0};
    iafq_error e;
    /* a quote opened on line 3 and never closed: the line where it opens */
    const char unterminated[] = "CODE,VALUE\nA,1\nB,\"oops\nC,3\n";
    CU_ASSERT_EQUAL(_read_mem(S(unterminated), 0, 1, NULL, &r, &e),
                    IAFQ_ERR_CSV);
    CU_ASSERT_EQUAL(e.code, IAFQ_ERR_CSV);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "T1.csv line 3:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "never closed"));
    CU_ASSERT_EQUAL(r.n, 5);
    CU_ASSERT_EQUAL(r.ends, 0);
    _rec_free(&r);

    /* the file's own name, and the line in UTF-16 too */
    size_t n16;
    unsigned char *b16 = _utf16("A,1\nB,\"oops\n", 1, &n16);
    CU_ASSERT_EQUAL(_read_file("T11.csv", b16, n16, NULL, &r, &e),
                    IAFQ_ERR_CSV);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "T11.csv line 2:"));
    free(b16);
    _rec_free(&r);

    /* text right after a closing quote stays an error */
    const char after[] = "A,1\r\nB,\"quoted\"x\r\n";
    CU_ASSERT_EQUAL(_read_mem(S(after), 0, 1, NULL, &r, &e), IAFQ_ERR_CSV);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "T1.csv line 2:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "closing quote"));
    _rec_free(&r);
}

/* Lines as a text editor counts them, not records: a quoted field over
 * three lines (LF, CRLF or CR line ends) puts the next record on line 5. */
static void test_error_lines(void)
{
    static const char *const ends[] = {"\n", "\r\n", "\r"};
    for (int k = 0; k < 3; k++) {
        const char *nl = ends[k];
        char b[256];
        snprintf(b, sizeof b, "CODE,NOTE%sA,\"l1%sl2%sl3\"%sB,\"x\"y%s", nl, nl,
                 nl, nl, nl);
        rec r = {0};
        iafq_error e;
        CU_ASSERT_EQUAL(_read_mem(b, strlen(b), 0, 1, NULL, &r, &e),
                        IAFQ_ERR_CSV);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "T1.csv line 5:"));
        _rec_free(&r);
        /* a limit on the cell of record 3 (B3) also says line 5 */
        snprintf(b, sizeof b, "CODE,NOTE%sA,\"l1%sl2%sl3\"%sB,toolongtoolong%s",
                 nl, nl, nl, nl, nl);
        iafq_limits lim;
        limits_default(&lim);
        lim.max_cell_bytes = 12; /* l1..l3 fit, toolongtoolong not */
        CU_ASSERT_EQUAL(_read_mem(b, strlen(b), 0, 1, &lim, &r, &e),
                        IAFQ_ERR_LIMIT);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "T1.csv line 5:"));
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "B3"));
        _rec_free(&r);
    }
    /* an encoding error names the line too */
    rec r = {0};
    iafq_error e;
    const char bad[] = "\xef\xbb\xbf"
                       "CODE,VALUE\nA,1\nB,caf\xe9\n";
    CU_ASSERT_EQUAL(_read_mem(S(bad), 0, 1, NULL, &r, &e), IAFQ_ERR_ENCODING);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "T1.csv line 3:"));
    _rec_free(&r);
}

/* A quote inside an unquoted field is a literal quote, as spreadsheet
 * programs read it; quoted fields still work around it. */
static void test_stray_quote(void)
{
    rec r = {0};
    iafq_error e;
    const char csv[] = "CODE,VALUE,NOTE\nA,12\",5\" barrel\nB,\"x,y\",b\"c\n";
    CU_ASSERT_EQUAL(_read_file("T1.csv", S(csv), NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(r.n, 9);
    CU_ASSERT_STRING_EQUAL(r.cells[4].text, "12\"");
    CU_ASSERT_EQUAL(r.cells[4].kind, CELL_TEXT);
    CU_ASSERT_STRING_EQUAL(r.cells[5].text, "5\" barrel");
    CU_ASSERT_STRING_EQUAL(r.cells[7].text, "x,y");
    CU_ASSERT_STRING_EQUAL(r.cells[8].text, "b\"c");
    CU_ASSERT_EQUAL(r.cells[8].row, 3);
    CU_ASSERT_EQUAL(r.cells[8].col, 2);
    _rec_free(&r);
}

/* The header row decides the delimiter wherever it is: after 60 lines of
 * notes full of commas, and after more than one 64 KiB chunk. */
static void test_delim_late_header(void)
{
    for (int big = 0; big < 2; big++) {
        size_t cap = 200000, n = 0;
        char *b = malloc(cap);
        if (!b)
            abort();
        int lines = big ? 3000 : 60;
        for (int i = 0; i < lines; i++)
            _appendf(b, &n, cap, "Note %d, with, commas, and \"a, quote\"\n",
                     i);
        _appendf(b, &n, cap, "CODE;VALUE;NOTE\nPISTOL;12;a, b\n");
        CU_ASSERT_TRUE(!big || n > 65536);
        rec r = {0};
        iafq_error e;
        CU_ASSERT_EQUAL(_read_mem(b, n, 0, 1, NULL, &r, &e), IAFQ_OK);
        CU_ASSERT_TRUE_FATAL(r.n >= 3);
        rcell *v = &r.cells[r.n - 2], *t = &r.cells[r.n - 1];
        CU_ASSERT_STRING_EQUAL(v->text, "12");
        CU_ASSERT_EQUAL(v->col, 1);
        CU_ASSERT_EQUAL(v->row, (uint32_t)lines + 2);
        CU_ASSERT_STRING_EQUAL(t->text, "a, b");
        CU_ASSERT_EQUAL(t->col, 2);
        _rec_free(&r);
        free(b);
    }
}

/* A doubled byte-order mark (a file saved twice through a BOM-adding tool)
 * is skipped like one: the header still reads CODE. */
static void test_double_bom(void)
{
    rec r = {0};
    iafq_error e;
    const char u8[] = "\xef\xbb\xbf\xef\xbb\xbf"
                      "CODE;VALUE\nA;1\n";
    CU_ASSERT_EQUAL(_read_mem(S(u8), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(r.n, 4);
    CU_ASSERT_STRING_EQUAL(r.cells[0].text, "CODE");
    CU_ASSERT_STRING_EQUAL(r.cells[1].text, "VALUE");
    _rec_free(&r);
    /* UTF-16 with its BOM twice */
    size_t n16;
    unsigned char *b16 = _utf16("\xef\xbb\xbf"
                                "CODE\tVALUE\nA\t1\n",
                                0, &n16);
    CU_ASSERT_EQUAL(_read_mem(b16, n16, 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(r.n, 4);
    CU_ASSERT_STRING_EQUAL(r.cells[0].text, "CODE");
    CU_ASSERT_EQUAL(r.cells[3].col, 1);
    free(b16);
    _rec_free(&r);
}

static void test_nul(void)
{
    rec r = {0};
    iafq_error e;
    const char csv[] = "CODE,VALUE\nA,1\0\n";
    CU_ASSERT_EQUAL(_read_file("nul.csv", S(csv), NULL, &r, &e),
                    IAFQ_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "not a text file"));
    _rec_free(&r);
    /* UTF-16 without a BOM is full of NULs */
    const char u16[] = "C\0O\0D\0E\0,\0V\0\n\0";
    CU_ASSERT_EQUAL(_read_mem(S(u16), 0, 1, NULL, &r, &e), IAFQ_ERR_FORMAT);
    CU_ASSERT_EQUAL(r.n, 0);
    _rec_free(&r);
    /* a NUL coming out of UTF-16 */
    const unsigned char n16[] = {0xFF, 0xFE, 'A', 0, 0, 0, '\n', 0};
    CU_ASSERT_EQUAL(_read_mem(n16, sizeof n16, 0, 1, NULL, &r, &e),
                    IAFQ_ERR_FORMAT);
    _rec_free(&r);
}

static void test_paths(void)
{
    rec r = {0};
    iafq_error e;
    cell_sink s = _sink(&r);
    CU_ASSERT_EQUAL(csvin_read_path(_tmp(), "x", NULL, &s, &e),
                    IAFQ_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "folder"));
    char missing[512];
    snprintf(missing, sizeof missing, "%s/no-such.csv", _tmp());
    CU_ASSERT_EQUAL(csvin_read_path(missing, "x", NULL, &s, &e), IAFQ_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "no-such.csv"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "No such file"));
    CU_ASSERT_EQUAL(r.begins, 0);
    /* empty file: one empty sheet */
    CU_ASSERT_EQUAL(_read_file("empty.csv", "", 0, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r.begins, 1);
    CU_ASSERT_EQUAL(r.ends, 1);
    CU_ASSERT_EQUAL(r.n, 0);
    _rec_free(&r);
}

static void test_callbacks(void)
{
    rec r = {0};
    iafq_error e;
    const char csv[] = "a,b\nc,d\ne,f\n";
    r.stop_at = 3;
    /* the callback's error comes back unchanged: code and message */
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, NULL, &r, &e), IAFQ_ERR_DB);
    CU_ASSERT_EQUAL(r.n, 3);
    CU_ASSERT_EQUAL(r.ends, 0);
    CU_ASSERT_STRING_EQUAL(e.msg, "stopped at 2:0");
    _rec_free(&r);
    r.skip = 1;
    CU_ASSERT_EQUAL(_read_mem(S(csv), 0, 1, NULL, &r, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(r.begins, 1);
    CU_ASSERT_EQUAL(r.n, 0);
    CU_ASSERT_EQUAL(r.ends, 0);
    _rec_free(&r);
    /* all callbacks NULL is fine */
    cell_sink none = {0};
    memsrc m = {(const unsigned char *)csv, sizeof csv - 1, 0, 0, 0};
    CU_ASSERT_EQUAL(
        csvin_read(_mem_read, _mem_rewind, &m, NULL, NULL, &none, &e), IAFQ_OK);
}

/* ---- the portal sample ------------------------------------------------ */

static void test_portal_sample(void)
{
    rec r = {0};
    iafq_error e = {0};
    cell_sink s = _sink(&r);
    iafq_err rc = csvin_read_path(tu_src("data/dataunodc_iafq_sample.csv"),
                                  "dataunodc_iafq_sample.csv", NULL, &s, &e);
    CU_ASSERT_EQUAL_FATAL(rc, IAFQ_OK);
    CU_ASSERT_EQUAL(r.nrows, 3978);
    CU_ASSERT_EQUAL(r.rows[r.nrows - 1], 3978);
    CU_ASSERT_EQUAL(r.n, 51691);
    CU_ASSERT_FALSE(r.order_bad);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 0), "UNODC");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 1, 1), "unodc_ddds@un.org");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 2, 0), "17/06/2022");
    CU_ASSERT_EQUAL(_at(&r, 2, 0)->kind, CELL_TEXT);
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 0), "Iso3_code");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 11), "VALUE");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3, 12), "Source");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 4, 0), "AND");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 4, 6),
                           "Illicit trafficking of arms and other offences");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3978, 0), "TTO");
    CU_ASSERT_STRING_EQUAL(_txt(&r, 3978, 12), "SOF");
    CU_ASSERT_DOUBLE_EQUAL(_at(&r, 3978, 11)->num, 110, 1e-9);
    /* column L: every data row a number; J (year) too */
    size_t nl = 0, nnum = 0;
    double sum = 0;
    for (size_t i = 0; i < r.n; i++) {
        const rcell *c = &r.cells[i];
        if (c->kind == CELL_NUMBER)
            nnum++;
        if (c->col == 11 && c->row > 3 && c->kind == CELL_NUMBER) {
            nl++;
            sum += c->num;
        }
    }
    CU_ASSERT_EQUAL(nl, 3975);
    CU_ASSERT_EQUAL(nnum, 2 * 3975);
    CU_ASSERT_DOUBLE_EQUAL(sum, 14746351.0, 1e-6);
    CU_ASSERT_EQUAL(_at(&r, 4, 11)->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(_at(&r, 4, 9)->num, 2018, 1e-9);
    _rec_free(&r);
}

/* ---- generated returns (tests/fixtures/gen_csv.py) -------------------- */

static int _read_fixture(const char *rel, rec *r)
{
    struct stat st;
    const char *p = tu_fixture(rel);
    if (stat(p, &st) != 0) {
        fprintf(stderr, "missing fixture %s (run make fixtures)\n", p);
        return -1;
    }
    iafq_error e = {0};
    cell_sink s = _sink(r);
    iafq_err rc = csvin_read_path(p, rel, NULL, &s, &e);
    if (rc != IAFQ_OK)
        fprintf(stderr, "%s: %s\n", p, e.msg);
    return rc == IAFQ_OK ? 0 : -1;
}

static void test_fixture_variants(void)
{
    static const char *tables[] = {"COVER", "T1", "T2", "T3", "T4",  "T5",
                                   "T6",    "T7", "T8", "T9", "T10", "T11"};
    static const char *variants[] = {"csv_return_utf16le",
                                     "csv_return_cp1252_semicolon"};
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        char rel[256];
        rec base = {0};
        snprintf(rel, sizeof rel, "csv_return_utf8/%s.csv", tables[t]);
        CU_ASSERT_EQUAL_FATAL(_read_fixture(rel, &base), 0);
        CU_ASSERT(base.n > 0);
        CU_ASSERT_STRING_EQUAL(_txt(&base, 3, 0), "CODE");
        for (size_t v = 0; v < 2; v++) {
            rec o = {0};
            snprintf(rel, sizeof rel, "%s/%s.csv", variants[v], tables[t]);
            CU_ASSERT_EQUAL_FATAL(_read_fixture(rel, &o), 0);
            CU_ASSERT_EQUAL(o.n, base.n);
            size_t diff = 0;
            for (size_t i = 0; i < base.n && i < o.n; i++) {
                const rcell *a = &base.cells[i], *b = &o.cells[i];
                if (a->row != b->row || a->col != b->col ||
                    a->kind != b->kind || strcmp(a->text, b->text) != 0)
                    diff++;
            }
            CU_ASSERT_EQUAL(diff, 0);
            _rec_free(&o);
        }
        if (strcmp(tables[t], "COVER") == 0) {
            /* find INSTITUTION and YEAR in column A */
            int seen = 0;
            for (size_t i = 0; i < base.n; i++) {
                const rcell *c = &base.cells[i];
                if (c->col != 0)
                    continue;
                if (strcmp(c->text, "INSTITUTION") == 0) {
                    const rcell *val = _at(&base, c->row, 2);
                    CU_ASSERT_PTR_NOT_NULL_FATAL(val);
                    CU_ASSERT_PTR_NOT_NULL(strstr(val->text, "\xc3\xa9"));
                    CU_ASSERT_PTR_NOT_NULL(strstr(val->text, "\xe2\x80\x99"));
                    seen++;
                }
                if (strcmp(c->text, "YEAR") == 0) {
                    const rcell *val = _at(&base, c->row, 2);
                    CU_ASSERT_PTR_NOT_NULL_FATAL(val);
                    CU_ASSERT_EQUAL(val->kind, CELL_NUMBER);
                    CU_ASSERT_DOUBLE_EQUAL(val->num, 2021, 1e-9);
                    seen++;
                }
            }
            CU_ASSERT_EQUAL(seen, 2);
        }
        if (strcmp(tables[t], "T1") == 0) {
            /* SEIZED TOTAL = sum of the types */
            double sum = 0, total = -1;
            uint32_t seized_col = UINT32_MAX;
            for (uint32_t col = 0; col < 8; col++) {
                const rcell *h = _at(&base, 3, col);
                if (h && strcmp(h->text, "SEIZED") == 0)
                    seized_col = col;
            }
            CU_ASSERT_NOT_EQUAL_FATAL(seized_col, UINT32_MAX);
            for (size_t i = 0; i < base.n; i++) {
                const rcell *c = &base.cells[i];
                if (c->col != 0 || c->row <= 3)
                    continue;
                const rcell *val = _at(&base, c->row, seized_col);
                CU_ASSERT_PTR_NOT_NULL_FATAL(val);
                CU_ASSERT_EQUAL(val->kind, CELL_NUMBER);
                if (strcmp(c->text, "TOTAL") == 0)
                    total = val->num;
                else
                    sum += val->num;
            }
            CU_ASSERT(total > 0);
            CU_ASSERT_DOUBLE_EQUAL(sum, total, 1e-9);
        }
        _rec_free(&base);
    }
}

static const tu_test encoding_tests[] = {
    {"utf8 without bom", test_utf8_plain},
    {"utf8 with bom", test_utf8_bom},
    {"utf16 le and be", test_utf16},
    {"utf16 invalid", test_utf16_invalid},
    {"windows-1252", test_cp1252},
    {"windows-1252 after the first chunk", test_cp1252_late},
    {"multi-byte across chunks", test_big_multibyte},
    {"utf8 bom then invalid", test_utf8_bom_invalid},
    {"no rewind function", test_no_rewind},
    {NULL, NULL}};

static const tu_test parse_tests[] = {
    {"tab from header", test_delim_tab},
    {"semicolon from header", test_delim_semicolon},
    {"fallback delimiter", test_delim_comma_fallback},
    {"quoted fields", test_quoted},
    {"stray quote is a literal", test_stray_quote},
    {"delimiter from a late header", test_delim_late_header},
    {"doubled BOM", test_double_bom},
    {"positions and blank lines", test_positions_blank_lines},
    {"numbers vs text", test_numbers},
    {NULL, NULL}};

static const tu_test error_tests[] = {
    {"limits", test_limits},       {"huge field", test_limit_huge_field},
    {"malformed", test_malformed}, {"error lines", test_error_lines},
    {"nul bytes", test_nul},       {"paths", test_paths},
    {"callbacks", test_callbacks}, {NULL, NULL}};

static const tu_test file_tests[] = {
    {"portal sample", test_portal_sample},
    {"generated returns", test_fixture_variants},
    {NULL, NULL}};

static const tu_suite suites[] = {{"csvin encodings", encoding_tests},
                                  {"csvin parsing", parse_tests},
                                  {"csvin errors", error_tests},
                                  {"csvin files", file_tests},
                                  {NULL, NULL}};

int main(void)
{
    return tu_run("csvin", suites);
}
