/*
 * test_split.c - a worksheet's rows parsed by two parsers (ingest/
 * xlsx_split.h) give exactly what one parser gives (issue 11, item 7).
 *
 * Every test reads a package twice: once with one parser (the reference,
 * xlsx_split_tune(SIZE_MAX, 0)) and once split into chunks of a given size
 * from the first row on (xlsx_split_tune(1, chunk)), and compares the logs
 * of what the sink received (sheets, cells with every field, row ends) and
 * the error (code and message, line numbers included).  Chunk sizes from 1
 * byte up put the inflate thread's cuts at every byte position of the rows;
 * malformed sheets, limits, a failing sink and random damage must give the
 * same log as one parser (the split parse starts again with one parser when
 * anything is unusual: WORK_XML_REDO counts those).
 */
#include "testutil.h"

#include "iafq_limits.h"
#include "work.h"
#include "xlsx.h"
#include "xlsx_split.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* ---- a growing string ---------------------------------------------------- */

typedef struct {
    char *s;
    size_t n, cap;
} _buf;

static void _bprintf(_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    CU_ASSERT_FATAL(k >= 0);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* ---- packages ------------------------------------------------------------ */

#define NSST 12

/* A package with shared strings, a date style and one sheet holding
 * `sheet` (len bytes). */
static const char *_package(const char *sheet, size_t len)
{
    static char path[600];
    static unsigned seq;
    snprintf(path, sizeof path, "%s/split%u.xlsx", tu_suite_tmpdir(), seq++);
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    CU_ASSERT_PTR_NOT_NULL_FATAL(za);
    static const char root[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rId1\" Type=\"" RT
        "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    static const char wb[] =
        "<workbook xmlns=\"" NS "\" xmlns:r=\"" RT "\"><sheets>"
        "<sheet name=\"T11\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
        "</workbook>";
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rId1\" Type=\"" RT
        "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" RT
        "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" RT
        "/styles\" Target=\"styles.xml\"/></Relationships>";
    static const char styles[] =
        "<styleSheet xmlns=\"" NS "\"><cellXfs count=\"2\">"
        "<xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
        "</cellXfs></styleSheet>";
    _buf sst = {0};
    _bprintf(&sst, "<sst xmlns=\"%s\" count=\"%d\">", NS, NSST);
    for (int i = 0; i < NSST; i++)
        _bprintf(&sst, "<si><t>s%d &amp; &lt;%d&gt;_x000D_</t></si>", i, i);
    _bprintf(&sst, "</sst>");
    tu_zip_add(za, "_rels/.rels", root, strlen(root));
    tu_zip_add(za, "xl/workbook.xml", wb, strlen(wb));
    tu_zip_add(za, "xl/_rels/workbook.xml.rels", rels, strlen(rels));
    tu_zip_add(za, "xl/styles.xml", styles, strlen(styles));
    tu_zip_add(za, "xl/sharedStrings.xml", sst.s, sst.n);
    tu_zip_add(za, "xl/worksheets/sheet1.xml", sheet, len);
    CU_ASSERT_EQUAL_FATAL(zip_close(za), 0);
    free(sst.s);
    return path;
}

/* A sheet of `rows` rows of every kind of cell, rows on lines of their
 * own (so that line numbers tell places apart). */
static char *_sheet(int rows)
{
    _buf b = {0};
    _bprintf(&b,
             "<?xml version=\"1.0\" encoding=\"UTF-8\" "
             "standalone=\"yes\"?>\n<worksheet xmlns=\"%s\" "
             "xmlns:r=\"%s\"><dimension ref=\"A1:H%d\"/>\n"
             "<sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>"
             "<sheetData>\n",
             NS, RT, rows + 1);
    for (int r = 1; r <= rows; r++) {
        _bprintf(&b, "<row r=\"%d\" spans=\"1:8\">", r);
        _bprintf(&b, "<c r=\"A%d\" t=\"s\"><v>%d</v></c>", r, r % NSST);
        _bprintf(&b, "<c r=\"B%d\" s=\"1\"><v>%d</v></c>", r, 44000 + r);
        if (r % 3)
            _bprintf(&b, "<c r=\"C%d\"><v>%d.%d</v></c>", r, r * 7, r % 10);
        _bprintf(&b,
                 "<c t=\"inlineStr\"><is><t>in &amp; %d _x0041_</t>"
                 "<rPh><t>ph</t></rPh></is></c>",
                 r);
        if (r % 4 == 0)
            _bprintf(&b,
                     "<c r=\"F%d\" t=\"str\"><f>A%d&amp;\"x\"</f>"
                     "<v>v%d</v></c>",
                     r, r, r);
        if (r % 5 == 0)
            _bprintf(&b,
                     "<c r=\"G%d\" t=\"b\"><v>%d</v></c><c r=\"H%d\">"
                     "<f>1/0</f></c>",
                     r, r % 2, r);
        _bprintf(&b, "</row>\n");
        if (r % 9 == 0)
            _bprintf(&b, "<!-- between rows %d --><?pi x?>\n", r);
    }
    _bprintf(&b, "</sheetData>\n<pageMargins left=\"0.7\" right=\"0.7\" "
                 "top=\"0.75\" bottom=\"0.75\" header=\"0.3\" "
                 "footer=\"0.3\"/>\n</worksheet>\n");
    return b.s;
}

/* ---- the log of a read -----------------------------------------------------
 */

typedef struct {
    _buf log;
    long fail_at; /* the sink fails at this event (1-based), 0 never */
    long events;
} _rec;

static iafq_err _fail(_rec *r, iafq_error *err)
{
    if (r->fail_at && ++r->events == r->fail_at)
        return iafq_error_set(err, IAFQ_ERR_FORMAT, "the sink fails at %ld",
                              r->events);
    return IAFQ_OK;
}

static iafq_err _on_sheet(void *ud, const char *name, int *skip,
                          iafq_error *err)
{
    (void)skip;
    (void)err;
    _bprintf(&((_rec *)ud)->log, "sheet %s\n", name);
    return IAFQ_OK;
}

static iafq_err _on_cell(void *ud, const cell *c, iafq_error *err)
{
    _rec *r = ud;
    _bprintf(&r->log, "c %u %u k%d %.17g d%d/%d sh%u [%s] %zu\n", c->row,
             c->col, (int)c->kind, c->num, c->is_date, c->date1904, c->shared,
             c->text, c->len);
    return _fail(r, err);
}

static iafq_err _on_row(void *ud, uint32_t row, iafq_error *err)
{
    _rec *r = ud;
    _bprintf(&r->log, "r %u\n", row);
    return _fail(r, err);
}

static iafq_err _on_end(void *ud, iafq_error *err)
{
    (void)err;
    _bprintf(&((_rec *)ud)->log, "end\n");
    return IAFQ_OK;
}

/* The log of reading path, split into chunks of `chunk` bytes (0: one
 * parser); the caller frees it. */
static char *_read(const char *path, const iafq_limits *lim, size_t chunk,
                   long fail_at)
{
    _rec r = {{0}, fail_at, 0};
    cell_sink sink = {_on_sheet, _on_cell, _on_row, _on_end, &r};
    iafq_error e;
    iafq_error_clear(&e);
    if (chunk)
        xlsx_split_tune(1, chunk);
    else
        xlsx_split_tune(SIZE_MAX, 0);
    iafq_err rc = xlsx_read(path, lim, &sink, &e);
    xlsx_split_tune(0, 0);
    _bprintf(&r.log, "rc %d: %s\n", (int)rc, rc == IAFQ_OK ? "" : e.msg);
    return r.log.s;
}

/* Split reads in chunks of each size equal the reference; 0 or the number
 * of mismatches (the first printed). */
static int _same(const char *what, const char *path, const iafq_limits *lim,
                 const size_t *chunks, size_t nchunks, long fail_at)
{
    char *ref = _read(path, lim, 0, fail_at);
    int bad = 0;
    for (size_t i = 0; i < nchunks; i++) {
        char *got = _read(path, lim, chunks[i], fail_at);
        if (strcmp(ref, got) != 0) {
            if (!bad) {
                size_t k = 0;
                while (ref[k] && ref[k] == got[k])
                    k++;
                size_t from = k > 200 ? k - 200 : 0;
                fprintf(stderr,
                        "\n%s, chunk %zu: differs at byte %zu\n"
                        "one parser: ...%.300s\nsplit: ...%.300s\n",
                        what, chunks[i], k, ref + from, got + from);
            }
            bad++;
        }
        free(got);
    }
    free(ref);
    return bad;
}

static iafq_limits _lim(void)
{
    iafq_limits lim;
    limits_default(&lim);
    lim.max_ratio = 0; /* generated sheets are very compressible */
    return lim;
}

/* ---- tests -----------------------------------------------------------------
 */

/* Chunks of 1 to 700 bytes: cuts at every byte of the rows. */
static void test_every_cut(void)
{
    char *sheet = _sheet(60);
    const char *path = _package(sheet, strlen(sheet));
    iafq_limits lim = _lim();
    size_t chunks[700];
    for (size_t i = 0; i < 700; i++)
        chunks[i] = i + 1;
    work_reset();
    CU_ASSERT_EQUAL(_same("every cut", path, &lim, chunks, 700, 0), 0);
    /* it did split, and never had to start again */
    CU_ASSERT(work_get(WORK_XML_CHUNKS) > 700 * 3);
    CU_ASSERT_EQUAL(work_get(WORK_XML_REDO), 0);
    free(sheet);
}

/* A sheet with s's first occurrence of `from` replaced by `to`. */
static char *_edit(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    size_t a = (size_t)(p - s), lf = strlen(from), lt = strlen(to);
    size_t n = strlen(s) - lf + lt;
    char *o = malloc(n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    memcpy(o, s, a);
    memcpy(o + a, to, lt);
    strcpy(o + a + lt, p + lf);
    return o;
}

static const size_t some_chunks[] = {1, 2, 7, 31, 64, 97, 200, 333, 1000};
#define NSOME (sizeof some_chunks / sizeof some_chunks[0])

/* Malformed sheets: the same cells before the error, the same error. */
static void test_malformed(void)
{
    static const struct {
        const char *what, *from, *to;
    } edits[] = {
        {"an unclosed cell", "<c r=\"A30\" t=\"s\"><v>6</v></c>",
         "<c r=\"A30\" t=\"s\"><v>6</v>"},
        {"an unclosed row", "</row>\n<row r=\"41\"", "\n<row r=\"41\""},
        {"a stray end tag", "<row r=\"22\"", "</c><row r=\"22\""},
        {"not a number", "<v>287.1</v>", "<v>28x7.1</v>"},
        {"rows out of order", "<row r=\"35\"", "<row r=\"12\""},
        {"row repeated", "<row r=\"36\"", "<row r=\"35\""},
        {"a row without r", "<row r=\"25\" spans=\"1:8\">", "<row>"},
        {"rows without r", "<row r=\"26\" spans=\"1:8\">",
         "<row spans=\"1:8\">"},
        {"a row in a comment", "</row>\n<row r=\"44\"",
         "</row><!-- <row r=\"99\"> -->\n<row r=\"44\""},
        {"a nested sheetData", "</row>\n<row r=\"50\"",
         "</row><x:a xmlns:x=\"u\"><sheetData></sheetData></x:a>\n"
         "<row r=\"50\""},
        {"an empty sheetData in a row", "<row r=\"51\" spans=\"1:8\">",
         "<row r=\"51\" spans=\"1:8\"><sheetData/>"},
        {"an end of sheetData early", "</row>\n<row r=\"47\"",
         "</row></sheetData><sheetData>\n<row r=\"47\""},
        {"an undefined entity", "in &amp; 33", "in &bogus; 33"},
        {"a bad character", "in &amp; 34", "in \x01 34"},
        {"an unknown shared string", "t=\"s\"><v>4</v>", "t=\"s\"><v>400</v>"},
        {"a bad reference", "<c r=\"C20\">", "<c r=\"C2X0\">"},
        {"a cell of another row", "<c r=\"C40\">", "<c r=\"C41\">"},
        {"cells out of order", "<c r=\"B45\"", "<c r=\"D45\""},
        {"a row beyond the limit", "<row r=\"52\"", "<row r=\"9999999\""},
        {"no end of sheetData", "</sheetData>", ""},
        {"a row after sheetData", "</sheetData>",
         "</sheetData><row r=\"70\"><c r=\"A70\"><v>1</v></c></row>"},
        {"junk after the root", "</worksheet>\n", "</worksheet>\n<x/>"},
        {"a DOCTYPE in the rows", "</row>\n<row r=\"30\"",
         "</row><!DOCTYPE x>\n<row r=\"30\""},
        {"a prefixed row", "<row r=\"31\" spans=\"1:8\">",
         "<x:row xmlns:x=\"" NS "\" r=\"31\">"},
        {"CDATA with a row", "</row>\n<row r=\"32\"",
         "</row><![CDATA[<row r=\"1\">]]>\n<row r=\"32\""},
    };
    char *sheet = _sheet(60);
    iafq_limits lim = _lim();
    work_reset();
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        char *s = _edit(sheet, edits[i].from, edits[i].to);
        const char *path = _package(s, strlen(s));
        CU_ASSERT_EQUAL(_same(edits[i].what, path, &lim, some_chunks, NSOME, 0),
                        0);
        free(s);
    }
    /* both ways were taken: chunks merged, and split parses given up */
    CU_ASSERT(work_get(WORK_XML_CHUNKS) > 0);
    CU_ASSERT(work_get(WORK_XML_REDO) > 0);
    free(sheet);
}

/* Limits met in the middle, and a sink that fails at some event. */
static void test_limits_and_sink(void)
{
    char *sheet = _sheet(60);
    const char *path = _package(sheet, strlen(sheet));
    iafq_limits lim = _lim();
    lim.max_cells = 150;
    CU_ASSERT_EQUAL(_same("cells limit", path, &lim, some_chunks, NSOME, 0), 0);
    lim = _lim();
    lim.max_rows = 33;
    CU_ASSERT_EQUAL(_same("rows limit", path, &lim, some_chunks, NSOME, 0), 0);
    lim = _lim();
    lim.max_cell_bytes = 12;
    CU_ASSERT_EQUAL(_same("cell text limit", path, &lim, some_chunks, NSOME, 0),
                    0);
    lim = _lim();
    for (long at = 1; at < 400; at += 37)
        CU_ASSERT_EQUAL(
            _same("failing sink", path, &lim, some_chunks, NSOME, at), 0);
    free(sheet);
}

/* Random damage: bytes replaced, removed or inserted. */
static void test_fuzzed(void)
{
    static const char *const bits[] = {
        "<",      ">",    "/",   "\"",           "r",    "\n",  "<row r=\"7\">",
        "</row>", "</c>", "<c>", "</sheetData>", "<!--", "-->", "&",
        "x",      "<v>",  "</v>"};
    const size_t nbits = sizeof bits / sizeof bits[0];
    char *sheet = _sheet(40);
    size_t len = strlen(sheet);
    iafq_limits lim = _lim();
    unsigned seed = 12345;
    int bad = 0;
    for (int it = 0; it < 300 && !bad; it++) {
        _buf b = {0};
        seed = seed * 1103515245u + 12345u;
        size_t at = (seed >> 8) % len;
        seed = seed * 1103515245u + 12345u;
        const char *ins = bits[(seed >> 8) % nbits];
        seed = seed * 1103515245u + 12345u;
        size_t del = (seed >> 8) % 4;
        if (at + del > len)
            del = len - at;
        _bprintf(&b, "%.*s%s%s", (int)at, sheet, ins, sheet + at + del);
        const char *path = _package(b.s, b.n);
        seed = seed * 1103515245u + 12345u;
        size_t chunk = 1 + (seed >> 8) % 400;
        char what[80];
        snprintf(what, sizeof what, "fuzz %d (at %zu, '%s', -%zu)", it, at, ins,
                 del);
        bad += _same(what, path, &lim, &chunk, 1, 0);
        free(b.s);
    }
    CU_ASSERT_EQUAL(bad, 0);
    free(sheet);
}

/* Every workbook fixture (real returns, made by Excel, LibreOffice,
 * openpyxl and by hand) reads the same split. */
static void test_fixtures(void)
{
    static const char *const names[] = {"good.xlsx", "excel_style.xlsx",
                                        "e_not_integer.xlsx", NULL};
    iafq_limits lim;
    limits_default(&lim);
    static const size_t chunks[] = {1, 50, 4096};
    for (int i = 0; names[i]; i++)
        CU_ASSERT_EQUAL(
            _same(names[i], tu_fixture(names[i]), &lim, chunks, 3, 0), 0);
}

/* A row longer than XLSX_SPLIT_ROW_MAX, and a text run past the token
 * scanner's limit, in the middle of the rows: the same cells and error. */
static void test_long_rows(void)
{
    char *sheet = _sheet(40);
    iafq_limits lim = _lim();
    /* a row of 400 cells of 4,000 bytes: 1.6 MB */
    _buf row = {0};
    _bprintf(&row, "<row r=\"20\">");
    for (int i = 0; i < 400; i++)
        _bprintf(&row, "<c t=\"inlineStr\"><is><t>%04d%3996d</t></is></c>", i,
                 i);
    _bprintf(&row, "</row>\n<row r=\"21\"");
    /* a text of 1.2 MB: past XLSX_XML_TOKEN_MAX */
    _buf big = {0};
    _bprintf(&big, "<row r=\"20\"><c t=\"inlineStr\"><is><t>");
    for (int i = 0; i < 1200; i++)
        _bprintf(&big, "%1000d", i);
    _bprintf(&big, "</t></is></c></row>\n<row r=\"21\"");
    const char *edits[] = {row.s, big.s};
    static const size_t chunks[] = {100, 4096, 300000};
    work_reset();
    for (int i = 0; i < 2; i++) {
        char *s = _edit(sheet, "<row r=\"21\"", edits[i]);
        const char *path = _package(s, strlen(s));
        CU_ASSERT_EQUAL(_same(i ? "a text too long" : "a long row", path, &lim,
                              chunks, 3, 0),
                        0);
        free(s);
    }
    CU_ASSERT(work_get(WORK_XML_REDO) >= 6); /* each split read gave up */
    free(row.s);
    free(big.s);
    free(sheet);
}

/* The default thresholds: a sheet of a few MB is split (and reads the
 * same), a small one is not. */
static void test_default_thresholds(void)
{
    char *big = _sheet(20000), *small = _sheet(100);
    size_t nbig = strlen(big);
    CU_ASSERT_FATAL(nbig > 4 * XLSX_SPLIT_MIN);
    const char *pbig = _package(big, nbig);
    char pathbig[600];
    snprintf(pathbig, sizeof pathbig, "%s", pbig);
    const char *psmall = _package(small, strlen(small));
    iafq_limits lim = _lim();
    char *ref = _read(pathbig, &lim, 0, 0);
    work_reset();
    _rec r = {{0}, 0, 0};
    cell_sink sink = {_on_sheet, _on_cell, _on_row, _on_end, &r};
    iafq_error e;
    iafq_error_clear(&e);
    iafq_err rc = xlsx_read(pathbig, &lim, &sink, &e); /* untuned */
    _bprintf(&r.log, "rc %d: %s\n", (int)rc, rc == IAFQ_OK ? "" : e.msg);
    CU_ASSERT_STRING_EQUAL(ref, r.log.s);
    /* chunks of about XLSX_SPLIT_CHUNK after the first XLSX_SPLIT_MIN */
    uint64_t chunks = work_get(WORK_XML_CHUNKS);
    CU_ASSERT(chunks >= (nbig - XLSX_SPLIT_MIN) / XLSX_SPLIT_CHUNK - 1);
    CU_ASSERT(chunks <= nbig / XLSX_SPLIT_CHUNK + 2);
    CU_ASSERT_EQUAL(work_get(WORK_XML_REDO), 0);
    work_reset();
    CU_ASSERT_EQUAL(xlsx_read(psmall, &lim, NULL, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(work_get(WORK_XML_CHUNKS), 0);
    free(ref);
    free(r.log.s);
    free(big);
    free(small);
}

typedef struct {
    const char *path;
} _mem_arg;

static int _read_quietly(void *arg)
{
    iafq_limits lim = _lim();
    iafq_error e;
    return xlsx_read(((_mem_arg *)arg)->path, &lim, NULL, &e) == IAFQ_OK ? 0
                                                                         : 1;
}

/* Memory does not follow the sheet's size: a sheet four times as large
 * is read (split) within 4 MiB more at its peak. */
static void test_constant_memory(void)
{
    if (tu_asan())
        return; /* ASan's shadow memory is no measure of the reader */
    long peak[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        char *sheet = _sheet(i ? 60000 : 15000);
        char path[600];
        snprintf(path, sizeof path, "%s", _package(sheet, strlen(sheet)));
        free(sheet);
        _mem_arg a = {path};
        work_reset();
        CU_ASSERT_EQUAL(tu_in_child(_read_quietly, &a, &peak[i]), 0);
    }
    CU_ASSERT(peak[0] > 0 && peak[1] > 0);
    CU_ASSERT(peak[1] <= peak[0] + 4 * 1024);
    if (peak[1] > peak[0] + 4 * 1024)
        fprintf(stderr, "\n  peak %ld KiB, then %ld KiB\n", peak[0], peak[1]);
}

static const tu_test tests[] = {
    {"rows cut at every byte: the same cells", test_every_cut},
    {"malformed sheets: the same cells and error", test_malformed},
    {"limits and a failing sink: the same", test_limits_and_sink},
    {"damaged sheets: the same", test_fuzzed},
    {"workbook fixtures: the same", test_fixtures},
    {"a row too long to cut, a text past the limit: the same", test_long_rows},
    {"default thresholds: large sheets split, small ones not",
     test_default_thresholds},
    {"memory does not grow with the sheet", test_constant_memory},
    {NULL, NULL}};

static const tu_suite suites[] = {{"split parse", tests}, {NULL, NULL}};

int main(void)
{
    return tu_run("split", suites);
}
