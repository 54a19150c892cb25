/*
 * test_feedback.c - the feedback workbook (validate/feedback.c).  Inputs
 * are made with libxlsxwriter in a temporary directory; the feedback is
 * read back with xlsx_read() and its parts inspected with libzip.
 */
#include "testutil.h"

#include "cells.h"
#include "feedback.h"
#include "finding.h"
#include "iafq_limits.h"
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>
#include <expat.h>
#include <xlsxwriter.h>
#include <zip.h>

static char *all_comments(const char *path, int *nparts)
{
    char part[64];
    size_t len = 0;
    char *all = calloc(1, 1);
    *nparts = 0;
    for (int i = 1; i < 50 && all; i++) {
        snprintf(part, sizeof part, "xl/comments%d.xml", i);
        char *x = tu_zip_part(path, part);
        if (!x)
            continue;
        (*nparts)++;
        size_t n = strlen(x);
        char *na = realloc(all, len + n + 1);
        if (na) {
            memcpy(na + len, x, n + 1);
            len += n;
        }
        all = na;
        free(x);
    }
    return all;
}

static size_t count_str(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The s="N" style index of a cell in a sheet's XML; -1 when absent or
 * unstyled, -2 when the cell is not in the XML at all. */
static int cell_style(const char *xml, const char *ref)
{
    char pat[32];
    snprintf(pat, sizeof pat, "<c r=\"%s\"", ref);
    const char *p = strstr(xml, pat);
    if (!p)
        return -2;
    const char *end = strchr(p, '>');
    const char *s = strstr(p, " s=\"");
    if (!s || s > end)
        return -1;
    return atoi(s + 4);
}

/* ------------------------------------------------------------- the input */

#define T1 "T1 Arms by type"

static void make_input(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_worksheet *cv = workbook_add_worksheet(wb, "COVER");
    lxw_worksheet *t1 = workbook_add_worksheet(wb, T1);
    worksheet_write_string(cv, 0, 1, "COVER - Cover sheet", NULL);
    worksheet_write_string(cv, 4, 0, "CODE", NULL);
    worksheet_write_string(cv, 4, 1, "LABEL", NULL);
    worksheet_write_string(cv, 4, 2, "VALUE", NULL);
    worksheet_write_string(cv, 5, 0, "COUNTRY", NULL);
    worksheet_write_string(cv, 5, 2, "XXX", NULL);
    worksheet_write_string(cv, 6, 0, "YEAR", NULL);
    worksheet_write_number(cv, 6, 2, 2023, NULL);
    worksheet_write_string(cv, 7, 0, "SUBMITTED", NULL);
    lxw_datetime d = {2023, 5, 1, 0, 0, 0};
    worksheet_write_datetime(cv, 7, 2, &d, date);

    worksheet_write_string(t1, 4, 0, "CODE", NULL);
    worksheet_write_string(t1, 4, 1, "LABEL", NULL);
    worksheet_write_string(t1, 4, 2, "SEIZED", NULL);
    worksheet_write_string(t1, 5, 0, "PISTOL", NULL);
    worksheet_write_number(t1, 5, 2, 12, NULL);
    worksheet_write_boolean(t1, 5, 3, 1, NULL);
    worksheet_write_string(t1, 6, 0, "REVOLVER", NULL);
    worksheet_write_string(t1, 6, 2, "n/a", NULL);
    worksheet_write_string(t1, 7, 0, "RIFLE", NULL);
    worksheet_write_number(t1, 7, 2, -3, NULL);
    worksheet_write_string(t1, 8, 0, "TOTAL", NULL);
    worksheet_write_string(t1, 999, 0, "tail", NULL);
    CU_ASSERT_EQUAL_FATAL(workbook_close(wb), LXW_NO_ERROR);
}

static void make_findings(finding_list *fl, size_t max)
{
    findings_init(fl, max, false);
    /* stored in this order; the feedback lists them in this order */
    findings_add(fl, F_E_NEGATIVE, T1, 8, 2, "RIFLE", "SEIZED", "-3",
                 "A count cannot be negative.");
    findings_add(fl, F_W_NA_TEXT, T1, 7, 2, "REVOLVER", "SEIZED", "n/a",
                 "Read as not available; leave the cell blank instead.");
    findings_add(fl, F_W_SUM, T1, 9, 2, "TOTAL", "SEIZED", NULL,
                 "The parts add up to 9 but TOTAL is blank.");
    findings_add(fl, F_W_CROSS, T1, 8, 2, "RIFLE", "SEIZED", "-3",
                 "Second finding on the same cell.");
    findings_add(fl, F_W_CROSS, T1, 20, 5, NULL, NULL, NULL,
                 "A finding on a row the input does not have.");
    findings_add(fl, F_E_COLUMN_MISSING, T1, 0, -1, NULL, "FOUND", NULL,
                 "The column FOUND is missing.");
    findings_add(fl, F_E_SHEET_MISSING, "T8", 0, -1, NULL, NULL, NULL,
                 "The sheet T8 is missing.");
    findings_add(fl, F_E_COUNTRY, "COVER", 6, 2, "COUNTRY", "VALUE", "XXX",
                 "XXX is not a country code.");
    findings_add(fl, F_E_CODE, "T5", 6, 2, "X", "SEIZED", "x",
                 "A cell on a sheet the input does not have.");
}

static const char *tmp(const char *name)
{
    static char buf[8][4200];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tu_suite_tmpdir(), name);
    return buf[k];
}

/* ------------------------------------------------------------------ tests */

static void test_feedback_findings_sheet(void)
{
    const char *in = tmp("in.xlsx"), *out = tmp("fb.xlsx");
    finding_list fl;
    iafq_limits lim;
    iafq_error e;
    tu_book b;

    make_input(in);
    make_findings(&fl, 0);
    limits_default(&lim);
    iafq_err rc = feedback_write(out, in, SOURCE_XLSX, 1, &lim, &fl, &e);
    if (rc != IAFQ_OK)
        fprintf(stderr, "feedback_write: %s\n", e.msg);
    CU_ASSERT_EQUAL_FATAL(rc, IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(tu_book_read(out, &b), 0);

    CU_ASSERT_EQUAL(b.n, 3);
    CU_ASSERT_STRING_EQUAL(b.s[0].name, "Findings");
    CU_ASSERT_STRING_EQUAL(b.s[1].name, "COVER");
    CU_ASSERT_STRING_EQUAL(b.s[2].name, T1);

    const tu_sheet *f = &b.s[0];
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 7, 0), "5 errors, 4 warnings");
    /* the header block: file, country, year, verdict, what to do next */
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 1, 0), "File");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 1, 1), "in.xlsx");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 2, 1), "Unknown");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 4, 0), "Verdict");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 4, 1), "Rejected");
    CU_ASSERT_STRING_EQUAL(
        tu_sheet_text(f, 5, 1),
        "Correct the errors marked in red and send the workbook again.");
    const char *hdr[] = {"Code",     "Severity",    "Sheet", "Cell",
                         "Row code", "Column code", "Value", "Message"};
    for (uint32_t c = 0; c < 8; c++)
        CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 10, c), hdr[c]);
    for (size_t i = 0; i < fl.n; i++) {
        const finding *x = &fl.v[i];
        uint32_t r = 11 + (uint32_t)i;
        char ref[16];
        CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, r, 0),
                               finding_code_str(x->code));
        CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, r, 1), severity_str(x->sev));
        CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, r, 2), x->sheet);
        if (x->row) {
            CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, r, 3),
                                   cells_ref(x->row, (uint32_t)x->col, ref));
        } else {
            CU_ASSERT_PTR_NULL(tu_sheet_text(f, r, 3));
        }
        CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, r, 7), x->message);
    }
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 11, 3), "C8");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 11, 4), "RIFLE");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 11, 5), "SEIZED");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(f, 11, 6), "-3");
    CU_ASSERT_PTR_NULL(tu_sheet_text(f, 11 + (uint32_t)fl.n, 0));

    /* links to the marked cells, autofilter, frozen header */
    char *x = tu_zip_part(out, "xl/worksheets/sheet1.xml");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(x, "<hyperlink ref=\"D11\" location=\"'" T1 "'!C8\""));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(x, "<hyperlink ref=\"D18\" location=\"'COVER'!C6\""));
    CU_ASSERT_PTR_NULL(strstr(x, "'T5'")); /* not in the input: no link */
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<autoFilter ref=\"A10:H19\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<pane "));
    free(x);

    tu_book_free(&b);
    findings_free(&fl);
}

static void test_feedback_copies_and_marks(void)
{
    const char *in = tmp("in2.xlsx"), *out = tmp("fb2.xlsx");
    finding_list fl;
    iafq_limits lim;
    iafq_error e;
    tu_book b;

    make_input(in);
    make_findings(&fl, 0);
    limits_default(&lim);
    CU_ASSERT_EQUAL_FATAL(
        feedback_write(out, in, SOURCE_XLSX, 1, &lim, &fl, &e), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(tu_book_read(out, &b), 0);

    /* values as given */
    const tu_sheet *cv = tu_book_sheet(&b, "COVER");
    const tu_sheet *t1 = tu_book_sheet(&b, T1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cv);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t1);
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(cv, 1, 1), "COVER - Cover sheet");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(cv, 6, 2), "XXX");
    const tu_cell *c = tu_sheet_cell(cv, 7, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(c->num, 2023, 1e-9);
    c = tu_sheet_cell(cv, 8, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(c->num, 45047, 1e-9); /* 2023-05-01 */
    CU_ASSERT(c->is_date);
    c = tu_sheet_cell(t1, 6, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_NUMBER);
    CU_ASSERT_DOUBLE_EQUAL(c->num, 12, 1e-9);
    c = tu_sheet_cell(t1, 6, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->kind, CELL_BOOL);
    CU_ASSERT_DOUBLE_EQUAL(c->num, 1, 1e-9);
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(t1, 7, 2), "n/a");
    c = tu_sheet_cell(t1, 8, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_DOUBLE_EQUAL(c->num, -3, 1e-9);
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(t1, 9, 0), "TOTAL");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(t1, 1000, 0), "tail");
    CU_ASSERT_PTR_NULL(tu_sheet_text(t1, 9, 2)); /* blank stays blank */

    /* fills: marked cells styled, errors and warnings differently */
    char *x = tu_zip_part(out, "xl/worksheets/sheet3.xml");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    int s_err = cell_style(x, "C8"), s_warn = cell_style(x, "C7");
    CU_ASSERT(s_err > 0);
    CU_ASSERT(s_warn > 0);
    CU_ASSERT(s_err != s_warn);
    CU_ASSERT_EQUAL(cell_style(x, "C9"), s_warn);  /* blank, marked */
    CU_ASSERT_EQUAL(cell_style(x, "F20"), s_warn); /* row not in input */
    CU_ASSERT_EQUAL(cell_style(x, "C6"), -1);      /* unmarked */
    /* rows in order: F20 between row 9 and row 1000 */
    const char *r9 = strstr(x, "<row r=\"9\""),
               *r20 = strstr(x, "<row r=\"20\"");
    const char *r1000 = strstr(x, "<row r=\"1000\"");
    CU_ASSERT(r9 && r20 && r1000 && r9 < r20 && r20 < r1000);
    free(x);
    char *st = tu_zip_part(out, "xl/styles.xml");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_PTR_NOT_NULL(strstr(st, "FFFFC7CE"));
    CU_ASSERT_PTR_NOT_NULL(strstr(st, "FFFFE699"));
    free(st);

    /* comments: "CODE: message", several on one cell joined by a newline */
    int nparts = 0;
    char *cm = all_comments(out, &nparts);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_EQUAL(nparts, 2); /* COVER and T1 */
    CU_ASSERT_PTR_NOT_NULL(strstr(cm, "E-NEGATIVE: A count cannot be "
                                      "negative.\nW-CROSS: Second finding on "
                                      "the same cell."));
    CU_ASSERT_PTR_NOT_NULL(strstr(cm, "W-NA-TEXT: Read as not available"));
    CU_ASSERT_PTR_NOT_NULL(strstr(cm, "W-SUM: The parts add up to 9"));
    CU_ASSERT_PTR_NOT_NULL(strstr(cm, "E-COUNTRY: XXX is not a country"));
    CU_ASSERT_PTR_NULL(strstr(cm, "E-COLUMN-MISSING")); /* no cell */
    CU_ASSERT_PTR_NULL(strstr(cm, "E-CODE"));           /* no such sheet */
    CU_ASSERT_EQUAL(count_str(cm, "<comment ref="), 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(cm, "<comment ref=\"F20\""));
    free(cm);

    tu_book_free(&b);
    findings_free(&fl);
}

static void test_feedback_dropped_and_names(void)
{
    const char *in = tmp("in3.xlsx"), *out = tmp("fb3.xlsx");
    finding_list fl;
    iafq_limits lim;
    iafq_error e;
    tu_book b;

    /* an input with a sheet called "findings" */
    lxw_workbook *wb = workbook_new(in);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "findings");
    worksheet_write_string(ws, 0, 0, "mine", NULL);
    CU_ASSERT_EQUAL_FATAL(workbook_close(wb), LXW_NO_ERROR);

    make_findings(&fl, 3); /* 3 stored, 6 dropped */
    limits_default(&lim);
    CU_ASSERT_EQUAL_FATAL(
        feedback_write(out, in, SOURCE_XLSX, 1, &lim, &fl, &e), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(tu_book_read(out, &b), 0);
    CU_ASSERT_EQUAL(b.n, 2);
    CU_ASSERT_STRING_EQUAL(b.s[0].name, "Findings");
    CU_ASSERT_STRING_EQUAL(b.s[1].name, "findings (2)");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(&b.s[1], 1, 0), "mine");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(&b.s[0], 7, 0),
                           "5 errors, 4 warnings; 6 more findings not listed");
    CU_ASSERT_PTR_NOT_NULL(tu_sheet_text(&b.s[0], 13, 0));
    CU_ASSERT_PTR_NULL(tu_sheet_text(&b.s[0], 14, 0));
    tu_book_free(&b);
    findings_free(&fl);
}

static void test_feedback_unreadable(void)
{
    const char *out = tmp("fb4.xlsx");
    finding_list fl;
    iafq_limits lim;
    iafq_error e;
    tu_book b;

    findings_init(&fl, 0, false);
    findings_add(&fl, F_E_FILE, "junk.xlsx", 0, -1, NULL, NULL, NULL,
                 "The file is not a workbook.");
    limits_default(&lim);
    /* in_path is not even read when readable is 0 */
    CU_ASSERT_EQUAL_FATAL(feedback_write(out, "/nonexistent/junk.xlsx",
                                         SOURCE_XLSX, 0, &lim, &fl, &e),
                          IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(tu_book_read(out, &b), 0);
    CU_ASSERT_EQUAL(b.n, 1);
    CU_ASSERT_STRING_EQUAL(b.s[0].name, "Findings");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(&b.s[0], 7, 0), "1 error, 0 warnings");
    CU_ASSERT_PTR_NOT_NULL(
        strstr(tu_sheet_text(&b.s[0], 8, 0), "could not be read"));
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(&b.s[0], 11, 0), "E-FILE");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(&b.s[0], 11, 2), "junk.xlsx");
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(&b.s[0], 11, 7),
                           "The file is not a workbook.");
    tu_book_free(&b);
    findings_free(&fl);
}

static void test_feedback_errors(void)
{
    const char *in = tmp("in5.xlsx"), *out = tmp("fb5.xlsx");
    finding_list fl;
    iafq_limits lim;
    iafq_error e;
    struct stat sb;

    make_input(in);
    findings_init(&fl, 0, false);
    limits_default(&lim);
    /* unwritable output: an I/O error before any work */
    iafq_err rc = feedback_write("/nonexistent-dir/fb.xlsx", in, SOURCE_XLSX, 1,
                                 &lim, &fl, &e);
    CU_ASSERT_EQUAL(rc, IAFQ_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot create"));
    /* unreadable input: the reader's error, and no output file */
    rc =
        feedback_write(out, tmp("missing.xlsx"), SOURCE_XLSX, 1, &lim, &fl, &e);
    CU_ASSERT_NOT_EQUAL(rc, IAFQ_OK);
    CU_ASSERT_NOT_EQUAL(stat(out, &sb), 0);
    findings_free(&fl);
}

/* Many rows and many findings: every finding lands on its own cell. */

/* Hostile text in the input cells, the findings and the sheet names: the
 * workbook's every part stays well-formed (the reader parses the sheets,
 * expat the comments), and the cell text comes back as it went in. */
static int _well_formed(const char *xml)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    int ok = p && XML_Parse(p, xml, (int)strlen(xml), 1) == XML_STATUS_OK;
    if (p)
        XML_ParserFree(p);
    return ok;
}

static void test_feedback_hostile(void)
{
    char hostile[256];
    size_t k = 0;
    for (int c = 1; c < 32; c++)
        if (c != '"')
            hostile[k++] = (char)c;
    const char *rest = "\x7F\xC2\x85\xEF\xBF\xBE\xEF\xBF\xBF _x0041_ "
                       "\xD0\x9C\xD0\xB8\xD1\x80 \xD9\x88\xD8\xB2 "
                       "\xF0\x9F\x98\x80";
    snprintf(hostile + k, sizeof hostile - k, "%s", rest);

    /* a CSV return folder with the text raw in one cell */
    const char *dir = tmp("hostile_csv");
    CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0700) == 0 || errno == EEXIST, 1);
    char path[4400];
    snprintf(path, sizeof path, "%s/T1.csv", dir);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "CODE,LABEL,SEIZED\r\nPISTOL,\"%s\",x\r\n", hostile);
    CU_ASSERT_EQUAL_FATAL(fclose(f), 0);

    finding_list fl;
    findings_init(&fl, 0, false);
    findings_add(&fl, F_E_NOT_NUMBER, "T1.csv", 2, 2, hostile, hostile, hostile,
                 "'%s' is not a number \xFF", hostile);
    findings_add(&fl, F_W_COLUMN_UNKNOWN, "T1.csv", 2, 1, NULL, NULL, hostile,
                 "%s", hostile);
    findings_add(&fl, F_E_SHEET_DUPLICATE, hostile, 0, -1, NULL, NULL, NULL,
                 "sheet %s", hostile);
    iafq_limits lim;
    limits_default(&lim);
    iafq_error e;
    const char *out = tmp("fb_hostile.xlsx");
    CU_ASSERT_EQUAL_FATAL(
        feedback_write(out, dir, SOURCE_CSV_DIR, 1, &lim, &fl, &e), IAFQ_OK);

    tu_book b;
    CU_ASSERT_EQUAL_FATAL(tu_book_read(out, &b), 0);
    CU_ASSERT_EQUAL_FATAL(b.n, 2);
    const tu_sheet *t1 = tu_book_sheet(&b, "T1.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t1);
    const char *back = tu_sheet_text(t1, 2, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(back);
    CU_ASSERT_STRING_EQUAL(back, hostile); /* exactly, through _xHHHH_ */
    const tu_sheet *fs = tu_book_sheet(&b, "Findings");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(fs, 11, 6), hostile); /* Value */
    const char *msg = tu_sheet_text(fs, 11, 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "\xEF\xBF\xBD")); /* the \xFF */
    tu_book_free(&b);

    int nparts = 0;
    char *comments = all_comments(out, &nparts);
    CU_ASSERT_EQUAL(nparts, 1);
    for (int i = 1; i <= nparts; i++) {
        char part[64];
        snprintf(part, sizeof part, "xl/comments%d.xml", i);
        char *x = tu_zip_part(out, part);
        CU_ASSERT_PTR_NOT_NULL_FATAL(x);
        CU_ASSERT_TRUE(_well_formed(x));
        CU_ASSERT_PTR_NOT_NULL(strstr(x, "_x0007_"));
        free(x);
    }
    free(comments);
    char *wbxml = tu_zip_part(out, "xl/workbook.xml");
    CU_ASSERT_PTR_NOT_NULL_FATAL(wbxml);
    CU_ASSERT_TRUE(_well_formed(wbxml));
    free(wbxml);
    findings_free(&fl);
}

static void test_feedback_large(void)
{
    const char *in = tmp("in6.xlsx"), *out = tmp("fb6.xlsx");
    const uint32_t rows = 60000;
    finding_list fl;
    iafq_limits lim;
    iafq_error e;

    lxw_workbook_options o = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(in, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "T11");
    for (uint32_t r = 0; r < rows; r++) {
        char id[32];
        snprintf(id, sizeof id, "S%u", r);
        worksheet_write_string(ws, r, 0, id, NULL);
        worksheet_write_number(ws, r, 5, r, NULL);
    }
    CU_ASSERT_EQUAL_FATAL(workbook_close(wb), LXW_NO_ERROR);

    findings_init(&fl, 0, false);
    size_t want = 0;
    /* added in reverse order: the index must sort them */
    for (uint32_t r = rows; r >= 1; r -= 7) {
        findings_add(&fl, F_E_NOT_INTEGER, "T11", r, 5, NULL, "QUANTITY", NULL,
                     "row %u", r);
        findings_add(&fl, F_W_NA_TEXT, "T11", r, 9, NULL, "MAKE", NULL,
                     "blank %u", r); /* column J: blank in the input */
        want += 2;
        if (r <= 7)
            break;
    }
    limits_default(&lim);
    CU_ASSERT_EQUAL_FATAL(
        feedback_write(out, in, SOURCE_XLSX, 1, &lim, &fl, &e), IAFQ_OK);
    int nparts = 0;
    char *cm = all_comments(out, &nparts);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_EQUAL(count_str(cm, "<comment ref="), want);
    CU_ASSERT_PTR_NOT_NULL(strstr(cm, "<comment ref=\"F60000\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(cm, "E-NOT-INTEGER: row 60000<"));
    CU_ASSERT_PTR_NOT_NULL(strstr(cm, "<comment ref=\"J60000\""));
    free(cm);

    tu_book b;
    CU_ASSERT_EQUAL_FATAL(tu_book_read(out, &b), 0);
    CU_ASSERT_EQUAL(b.n, 2);
    if (b.n == 2) {
        CU_ASSERT_EQUAL(b.s[1].n, 2 * (size_t)rows);
        const tu_cell *c = tu_sheet_cell(&b.s[1], rows, 5);
        CU_ASSERT_PTR_NOT_NULL(c);
        if (c) {
            CU_ASSERT_DOUBLE_EQUAL(c->num, rows - 1, 1e-9);
        }
    }
    tu_book_free(&b);
    findings_free(&fl);
}

static const tu_test t_feedback[] = {
    {"Findings sheet", test_feedback_findings_sheet},
    {"copies values, marks cells", test_feedback_copies_and_marks},
    {"dropped findings, unique names", test_feedback_dropped_and_names},
    {"unreadable input: Findings only", test_feedback_unreadable},
    {"errors", test_feedback_errors},
    {"many rows, many findings", test_feedback_large},
    {"hostile text in cells, findings, names", test_feedback_hostile},
    {NULL, NULL}};

static const tu_suite suites[] = {{"feedback", t_feedback}, {NULL, NULL}};

int main(void)
{
    return tu_run("feedback", suites);
}
