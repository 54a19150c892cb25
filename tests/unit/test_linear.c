/*
 * test_linear.c - no input makes reading or checking superlinear (issue 5,
 * item 5).  Every test bounds WORK, never time: the bytes handed to expat,
 * the bytes of cell text the cell queue copies and the validator judges,
 * the worksheet parts parsed (common/work.h).  Where an input grows, the
 * test compares the work for a size and twice that size: linear work
 * doubles, quadratic work quadruples.
 */
#include "testutil.h"

#include "cellq.h"
#include "check.h"
#include "iafq_limits.h"
#include "schema.h"
#include "work.h"
#include "xlsx.h"
#include "xlsx_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zip.h>

/* ---- a package written by hand ----------------------------------------- */

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* A package of nsheets sheets named S1.. whose relationships point at
 * target(i) (all at one part when same_part); sheet1.xml holds `sheet`. */
static const char *_package(const char *name, const char *sheet, size_t len,
                            int nsheets, int same_part)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    CU_ASSERT_PTR_NOT_NULL_FATAL(za);
    static const char root[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rId1\" Type=\"" RT
        "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    tu_zip_add(za, "_rels/.rels", root, strlen(root));
    char *wb = malloc(200 + (size_t)nsheets * 80);
    char *rels = malloc(200 + (size_t)nsheets * 200);
    CU_ASSERT_FATAL(wb && rels);
    size_t w = (size_t)sprintf(wb,
                               "<workbook xmlns=\"%s\" xmlns:r=\"%s\">"
                               "<sheets>",
                               NS, RT);
    size_t r = (size_t)sprintf(rels, "<Relationships xmlns=\"http://schemas."
                                     "openxmlformats.org/package/2006/"
                                     "relationships\">");
    for (int i = 1; i <= nsheets; i++) {
        w += (size_t)sprintf(wb + w,
                             "<sheet name=\"S%d\" sheetId=\"%d\" "
                             "r:id=\"rId%d\"/>",
                             i, i, i);
        r += (size_t)sprintf(rels + r,
                             "<Relationship Id=\"rId%d\" Type=\"%s/worksheet\""
                             " Target=\"worksheets/sheet%d.xml\"/>",
                             i, RT, same_part ? 1 : i);
    }
    strcpy(wb + w, "</sheets></workbook>");
    strcpy(rels + r, "</Relationships>");
    tu_zip_add(za, "xl/workbook.xml", wb, strlen(wb));
    tu_zip_add(za, "xl/_rels/workbook.xml.rels", rels, strlen(rels));
    tu_zip_add(za, "xl/worksheets/sheet1.xml", sheet, len);
    for (int i = 2; i <= nsheets && !same_part; i++) {
        char part[64];
        snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", i);
        tu_zip_add(za, part, sheet, len);
    }
    CU_ASSERT_EQUAL_FATAL(zip_close(za), 0);
    free(wb);
    free(rels);
    return path;
}

/* A sheet: head, then `n` bytes of `fill`, then tail. */
static char *_sheet_with(const char *head, char fill, size_t n,
                         const char *tail, size_t *len)
{
    size_t h = strlen(head), t = strlen(tail);
    char *s = malloc(h + n + t + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memcpy(s, head, h);
    memset(s + h, fill, n);
    memcpy(s + h + n, tail, t + 1);
    *len = h + n + t;
    return s;
}

#define HEAD "<worksheet xmlns=\"" NS "\"><sheetData>"
#define TAIL "</sheetData></worksheet>"

/* Read a package; the error and the bytes handed to expat. */
static iafq_err _read_work(const char *path, iafq_error *e, uint64_t *fed)
{
    iafq_limits lim;
    limits_default(&lim);
    lim.max_ratio = 0; /* these are compressible on purpose */
    work_reset();
    iafq_error_clear(e);
    iafq_err rc = xlsx_read(path, &lim, NULL, e);
    *fed = work_get(WORK_XML_BYTES);
    return rc;
}

/* ---- huge XML tokens --------------------------------------------------- */

/* A token of `size` bytes is refused, having fed expat no more than the
 * longest legal token and one chunk, whatever its size. */
static void _refused(const char *what, const char *head, char fill,
                     const char *tail, size_t size, const char *needle)
{
    size_t len;
    char *s = _sheet_with(head, fill, size, tail, &len);
    const char *path = _package("token.xlsx", s, len, 1, 0);
    free(s);
    iafq_error e;
    uint64_t fed;
    iafq_err rc = _read_work(path, &e, &fed);
    CU_ASSERT_EQUAL(rc, IAFQ_ERR_LIMIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, needle));
    CU_ASSERT(fed <= XLSX_XML_TOKEN_MAX + XLSX_XML_CHUNK);
    if (rc != IAFQ_ERR_LIMIT || !strstr(e.msg, needle) ||
        fed > XLSX_XML_TOKEN_MAX + XLSX_XML_CHUNK)
        fprintf(stderr, "\n  %s (%zu bytes): rc=%d fed=%llu msg=%s\n", what,
                size, (int)rc, (unsigned long long)fed, e.msg);
}

static void test_huge_tokens_refused(void)
{
    const char *tag = "XML tag or comment is larger than";
    for (size_t size = 4u << 20; size <= (8u << 20); size *= 2) {
        _refused("attribute", HEAD "<row r=\"1\" x=\"", 'a', "\"/>" TAIL, size,
                 tag);
        /* '>' inside quotes does not end the tag */
        _refused("attribute of '>'", HEAD "<row r=\"1\" x=\"", '>', "\"/>" TAIL,
                 size, tag);
        _refused("comment", HEAD "<!--", '>', "-->" TAIL, size, tag);
        _refused("processing instruction", HEAD "<?pi ", '>', "?>" TAIL, size,
                 tag);
        /* (inside a cell the cell-text limit would stop them first) */
        _refused("CDATA", HEAD "<extLst><![CDATA[", '>', "]]></extLst>" TAIL,
                 size, tag);
        _refused("element name", HEAD "<r", 'r', "/>" TAIL, size, tag);
        _refused("text", HEAD "<extLst>", 'x', "</extLst>" TAIL, size,
                 "XML text run is larger than");
    }
}

static void test_legal_tokens_read(void)
{
    /* the longest legal cell text, each character escaped as a character
     * reference (10 bytes): 327,670 bytes in one text run */
    size_t n = 32767;
    static const char ref[] = "&#1114111;";
    const char *head = HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>";
    const char *tail = "</t></is></c></row>" TAIL;
    size_t h = strlen(head), t = strlen(tail), len = h + n * 10 + t;
    char *s = malloc(len + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memcpy(s, head, h);
    for (size_t i = 0; i < n; i++)
        memcpy(s + h + i * 10, ref, 10);
    memcpy(s + h + n * 10, tail, t + 1);
    const char *path = _package("legal.xlsx", s, len, 1, 0);
    free(s);
    iafq_error e;
    uint64_t fed;
    CU_ASSERT_EQUAL(_read_work(path, &e, &fed), IAFQ_OK);
    CU_ASSERT(fed >= len);
    /* white space between elements is not a token: 8 MiB of it passes */
    s = _sheet_with(HEAD, ' ', 8u << 20, TAIL, &len);
    path = _package("blanks.xlsx", s, len, 1, 0);
    free(s);
    CU_ASSERT_EQUAL(_read_work(path, &e, &fed), IAFQ_OK);
    CU_ASSERT(fed >= len && fed < len + 4096); /* + workbook and rels */
}

/* ---- sheets sharing one part -------------------------------------------- */

static void test_sheets_sharing_a_part(void)
{
    size_t len;
    char *s = _sheet_with(HEAD "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>", 'x',
                          100000, "</v></c></row>" TAIL, &len);
    /* 200 sheets, one part: refused after reading it once */
    const char *path = _package("shared.xlsx", s, len, 200, 1);
    iafq_error e;
    uint64_t fed;
    CU_ASSERT_EQUAL(_read_work(path, &e, &fed), IAFQ_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "belongs to another sheet too"));
    CU_ASSERT_EQUAL(work_get(WORK_SHEET_PARTS), 1);
    CU_ASSERT(fed < 2 * len);
    /* 20 sheets with their own parts: each read once */
    path = _package("own.xlsx", s, len, 20, 0);
    CU_ASSERT_EQUAL(_read_work(path, &e, &fed), IAFQ_OK);
    CU_ASSERT_EQUAL(work_get(WORK_SHEET_PARTS), 20);
    free(s);
}

/* ---- one long shared string shown by many cells ------------------------ */

/* A T11 sheet of `rows` rows whose every cell shows one shared string of
 * `len` characters; the work of checking it. */
static void _shared_work(int rows, size_t len, uint64_t *copy, uint64_t *text,
                         off_t *size)
{
    char path[600];
    snprintf(path, sizeof path, "%s/sst-%d.xlsx", tu_tmpdir(), rows);
    lxw_workbook *wb = workbook_new(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
    const schema_table *t = &schema_tables[TBL_T11];
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->code);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
    worksheet_write_string(ws, 0, 0, "CODE", NULL);
    for (int c = 0; c < t->ncols; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)(c + 1), t->cols[c].code,
                               NULL);
    char *s = malloc(len + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memset(s, 'x', len);
    s[len] = '\0';
    for (int r = 1; r <= rows; r++)
        for (int c = 0; c <= t->ncols; c++)
            worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s, NULL);
    free(s);
    CU_ASSERT_EQUAL_FATAL(workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, 0, SEEK_END);
    *size = ftello(f);
    fclose(f);

    check_opts o;
    check_opts_default(&o);
    check_result res;
    iafq_error e = {0};
    work_reset();
    CU_ASSERT_EQUAL(check_path(path, &o, &res, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(res.n, 1);
    CU_ASSERT(res.n == 1 && res.v[0]->t[TBL_T11].present);
    CU_ASSERT(res.n == 1 && res.v[0]->t11.nrecords == (size_t)rows);
    check_result_release(&res);
    *copy = work_get(WORK_CELL_COPY);
    *text = work_get(WORK_CELL_TEXT);
}

static void test_shared_string_many_cells(void)
{
    /* the input doubles (twice the cells, a string twice as long): linear
     * work doubles, work per cell x string length would quadruple */
    uint64_t copy1, text1, copy2, text2;
    off_t size1, size2;
    int rows = 300;
    size_t len = 8000;
    _shared_work(rows, len, &copy1, &text1, &size1);
    _shared_work(2 * rows, 2 * len, &copy2, &text2, &size2);
    int ncells = rows * (schema_tables[TBL_T11].ncols + 1);
    fprintf(stderr,
            "\n  %d cells x %zu chars: copied %llu, judged %llu bytes; "
            "%d cells x %zu chars: copied %llu, judged %llu bytes\n",
            ncells, len, (unsigned long long)copy1, (unsigned long long)text1,
            2 * ncells, 2 * len, (unsigned long long)copy2,
            (unsigned long long)text2);
    CU_ASSERT(copy2 <= copy1 * 5 / 2);
    CU_ASSERT(text2 <= text1 * 5 / 2);
    /* and far from once per cell */
    CU_ASSERT(copy2 < (uint64_t)ncells * 2 * len / 16);
    CU_ASSERT(text2 < (uint64_t)ncells * 2 * len / 16);
}

/* ---- the cell queue copies a shared string once ------------------------- */

typedef struct {
    size_t cells, bad;
    const char *expect;
    size_t len;
} _count;

static iafq_err _count_cell(void *ud, const cell *c, iafq_error *err)
{
    _count *k = ud;
    (void)err;
    k->cells++;
    if (c->len != k->len || memcmp(c->text, k->expect, k->len) != 0 ||
        c->text[c->len] != '\0')
        k->bad++;
    return IAFQ_OK;
}

static void test_cellq_copies_once(void)
{
    size_t len = 100000;
    char *text = malloc(len + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    for (size_t i = 0; i < len; i++)
        text[i] = (char)('a' + i % 26);
    text[len] = '\0';
    _count k = {0, 0, text, len};
    cell_sink target = {NULL, _count_cell, NULL, NULL, &k};
    work_reset();
    cellq *q = cellq_new(&target);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    cell_sink s = cellq_sink(q);
    for (uint32_t r = 1; r <= 10000; r++) {
        cell c = {r, 0, CELL_TEXT, 0, text, len, 0, 0, 7};
        CU_ASSERT_EQUAL(s.cell(s.ud, &c, NULL), IAFQ_OK);
    }
    CU_ASSERT_EQUAL(cellq_finish(q, NULL), IAFQ_OK);
    cellq_free(q);
    CU_ASSERT_EQUAL(k.cells, 10000);
    CU_ASSERT_EQUAL(k.bad, 0);
    CU_ASSERT_EQUAL(work_get(WORK_CELL_COPY), len);
    free(text);
}

static const tu_test token_tests[] = {
    {"huge tags, comments, PIs, CDATA and text runs are refused before expat "
     "buffers them",
     test_huge_tokens_refused},
    {"the longest legal token and runs of blanks are read",
     test_legal_tokens_read},
    {NULL, NULL}};

/* Uncompressed size of a part of a package (0 when absent). */
static uint64_t _part_size(const char *path, const char *part)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    zip_stat_t st;
    uint64_t n = 0;
    if (z && zip_stat(z, part, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
        n = st.size;
    if (z)
        zip_discard(z);
    return n;
}

/* `check` of a workbook parses its shared strings once: deciding whether
 * the workbook holds the portal long format reads only the workbook part
 * (a big T11 return's shared strings are megabytes). */
static void test_check_reads_shared_strings_once(void)
{
    const char *path = tu_fixture("excel_style.xlsx");
    uint64_t sst = _part_size(path, "xl/sharedStrings.xml");
    /* the parts that name the first sheet: the package's relationships and
     * the workbook */
    uint64_t wb =
        _part_size(path, "xl/workbook.xml") + _part_size(path, "_rels/.rels");
    CU_ASSERT_FATAL(sst > 3 * wb); /* the test needs a telling fixture */
    iafq_limits lim;
    limits_default(&lim);
    work_reset();
    CU_ASSERT_EQUAL_FATAL(xlsx_read(path, &lim, NULL, NULL), IAFQ_OK);
    uint64_t once = work_get(WORK_XML_BYTES);
    check_opts o;
    check_opts_default(&o);
    check_result res;
    iafq_error e = {0};
    work_reset();
    CU_ASSERT_EQUAL_FATAL(check_path(path, &o, &res, &e), IAFQ_OK);
    check_result_release(&res);
    uint64_t checked = work_get(WORK_XML_BYTES);
    /* at most those parts more than one read of the package */
    CU_ASSERT(checked >= once);
    if (checked > once + wb)
        fprintf(stderr,
                "xml bytes: read %llu, check %llu, workbook %llu, sst %llu\n",
                (unsigned long long)once, (unsigned long long)checked,
                (unsigned long long)wb, (unsigned long long)sst);
    CU_ASSERT(checked <= once + wb);
}

static const tu_test work_tests[] = {
    {"two sheets cannot read one part", test_sheets_sharing_a_part},
    {"a long shared string shown by many cells: linear work",
     test_shared_string_many_cells},
    {"the cell queue copies a shared string once", test_cellq_copies_once},
    {"check parses the shared strings once",
     test_check_reads_shared_strings_once},
    {NULL, NULL}};

static const tu_suite suites[] = {{"linear: XML tokens", token_tests},
                                  {"linear: work per input", work_tests},
                                  {NULL, NULL}};

int main(void)
{
    return tu_run("linear", suites);
}
