/*
 * test_template.c - the blank return (export/template.c) and the shared
 * libxlsxwriter helpers (export/xlsxw.c).  The workbook is checked by
 * reading it back with xlsx_read() and by looking into its parts with
 * libzip, never by trusting the writer.
 */
#include "testutil.h"

#include "cells.h"
#include "iafq_limits.h"
#include "m49.h"
#include "schema.h"
#include "template.h"
#include "xlsx.h"
#include "xlsxw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static char g_path[4200];
static tu_book g_book;
static int g_ok;

static void forget_template(void)
{
    tu_book_free(&g_book);
    g_ok = 0;
}

static void ensure_template(void)
{
    if (g_ok)
        return;
    tu_on_teardown(forget_template); /* the suite's folder goes with it */
    iafq_error e;
    snprintf(g_path, sizeof g_path, "%s/template.xlsx", tu_tmpdir());
    iafq_err rc = template_write(g_path, &e);
    if (rc != IAFQ_OK)
        fprintf(stderr, "template_write: %s\n", e.msg);
    CU_ASSERT_EQUAL_FATAL(rc, IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(tu_book_read(g_path, &g_book), 0);
    g_ok = 1;
}

/* The sheet of table i in the template read back. */
static const tu_sheet *table_sheet(int i)
{
    for (int k = 0; k < g_book.n; k++)
        if (schema_table_by_sheet(g_book.s[k].name) == i)
            return &g_book.s[k];
    return NULL;
}

/* Row (1-based) whose column A reads CODE; 0 when none. */
static uint32_t header_row(const tu_sheet *s)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (s->cells[i].col == 0 && strcmp(s->cells[i].text, "CODE") == 0)
            return s->cells[i].row;
    return 0;
}

/* ------------------------------------------------------------------ tests */

static void test_sheets_in_order(void)
{
    ensure_template();
    /* COVER, T1 ... T11 in schema order, then Instructions and Lists */
    CU_ASSERT_EQUAL_FATAL(g_book.n, TBL__COUNT + 2);
    CU_ASSERT_STRING_EQUAL(g_book.s[0].name, "COVER");
    for (int i = 0; i < TBL__COUNT; i++) {
        const char *name = g_book.s[i].name;
        CU_ASSERT_EQUAL(schema_table_by_sheet(name), i);
        CU_ASSERT(strlen(name) <= 31);
        CU_ASSERT(strpbrk(name, ":\\/?*[]") == NULL);
        if (i != TBL_COVER) {
            /* "T1 Arms ..." : code, a space, the start of the title */
            size_t n = strlen(schema_tables[i].code);
            CU_ASSERT(strncmp(name, schema_tables[i].code, n) == 0);
            CU_ASSERT(name[n] == ' ');
            CU_ASSERT(strncmp(name + n + 1, schema_tables[i].title, 4) == 0);
        }
    }
    CU_ASSERT_STRING_EQUAL(g_book.s[TBL__COUNT].name, "Instructions");
    CU_ASSERT_STRING_EQUAL(g_book.s[TBL__COUNT + 1].name, "Lists");
    CU_ASSERT_EQUAL(schema_table_by_sheet("Instructions"), -1);
    CU_ASSERT_EQUAL(schema_table_by_sheet("Lists"), -1);
    CU_ASSERT_STRING_EQUAL(g_book.s[1].name, "T1 Arms seized, found and");
    CU_ASSERT_STRING_EQUAL(g_book.s[TBL_T8].name, "T8 Tracing");
    CU_ASSERT_STRING_EQUAL(g_book.s[TBL_T10].name,
                           "T10 Persons arrested suspected");
}

static void test_titles_and_headers(void)
{
    ensure_template();
    char want[512];
    for (int i = 0; i < TBL__COUNT; i++) {
        const schema_table *t = &schema_tables[i];
        const tu_sheet *s = table_sheet(i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        snprintf(want, sizeof want, "%s \xE2\x80\x94 %s", t->code, t->title);
        CU_ASSERT_STRING_EQUAL(tu_sheet_text(s, 1, 1), want);
        CU_ASSERT_STRING_EQUAL(tu_sheet_text(s, 2, 1), t->help);
        CU_ASSERT_PTR_NOT_NULL(
            strstr(tu_sheet_text(s, 3, 1), "blank is never zero"));
        uint32_t h = header_row(s);
        CU_ASSERT_EQUAL_FATAL(h, 5);
        /* nothing in column A above the header */
        for (uint32_t r = 1; r < h; r++)
            CU_ASSERT_PTR_NULL(tu_sheet_text(s, r, 0));
        uint32_t c0 = t->free_rows ? 1 : 2;
        if (!t->free_rows)
            CU_ASSERT_STRING_EQUAL(tu_sheet_text(s, h, 1), "LABEL");
        for (int c = 0; c < t->ncols; c++) {
            CU_ASSERT_STRING_EQUAL(tu_sheet_text(s, h, c0 + c),
                                   t->cols[c].code);
            CU_ASSERT_STRING_EQUAL(tu_sheet_text(s, h - 1, c0 + c),
                                   t->cols[c].label);
        }
        CU_ASSERT_PTR_NULL(tu_sheet_text(s, h, c0 + t->ncols));
    }
    /* required cells named in the note */
    CU_ASSERT_PTR_NOT_NULL(strstr(tu_sheet_text(table_sheet(TBL_COVER), 3, 1),
                                  "Required: COUNTRY, YEAR, CONSENT."));
    CU_ASSERT_PTR_NOT_NULL(strstr(tu_sheet_text(table_sheet(TBL_T11), 3, 1),
                                  "Required: QUANTITY."));
}

static void test_row_codes_in_schema_order(void)
{
    ensure_template();
    for (int i = 0; i < TBL__COUNT; i++) {
        const schema_table *t = &schema_tables[i];
        const tu_sheet *s = table_sheet(i);
        uint32_t h = header_row(s);
        int k = 0;
        for (size_t j = 0; j < s->n; j++) {
            const tu_cell *c = &s->cells[j];
            if (c->row <= h || c->col != 0 || !c->text[0])
                continue;
            CU_ASSERT_FATAL(k < t->nrows);
            CU_ASSERT_EQUAL(c->row, h + 1 + (uint32_t)k);
            CU_ASSERT_STRING_EQUAL(c->text, t->rows[k].code);
            CU_ASSERT_STRING_EQUAL(tu_sheet_text(s, c->row, 1),
                                   t->rows[k].label);
            k++;
        }
        CU_ASSERT_EQUAL(k, t->nrows); /* T11: none */
    }
}

static void test_values_blank_version_prefilled(void)
{
    ensure_template();
    const schema_table *cover = &schema_tables[TBL_COVER];
    const tu_sheet *s = table_sheet(TBL_COVER);
    uint32_t h = header_row(s);
    int seen = 0;
    for (int r = 0; r < cover->nrows; r++) {
        const char *v = tu_sheet_text(s, h + 1 + (uint32_t)r, 2);
        if (strcmp(cover->rows[r].code, "VERSION") == 0) {
            CU_ASSERT_PTR_NOT_NULL_FATAL(v);
            CU_ASSERT_STRING_EQUAL(v, "IAFQ-1");
            seen = 1;
        } else {
            CU_ASSERT_PTR_NULL(v); /* blank: not available */
        }
    }
    CU_ASSERT(seen);
    /* no value anywhere in the count tables */
    for (int i = TBL_T1; i < TBL__COUNT; i++) {
        const tu_sheet *t = table_sheet(i);
        uint32_t th = header_row(t);
        uint32_t c0 = schema_tables[i].free_rows ? 1 : 2;
        for (size_t j = 0; j < t->n; j++)
            if (t->cells[j].row > th)
                CU_ASSERT(t->cells[j].col < c0);
    }
}

static void test_lists_sheet(void)
{
    ensure_template();
    const tu_sheet *l = tu_book_sheet(&g_book, "Lists");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    /* a column per code list: its name, then its codes */
    for (int cl = CL_NONE + 1; cl < CL__COUNT; cl++) {
        const schema_codelist *c = &schema_codelists[cl];
        uint32_t col = (uint32_t)(cl - 1);
        CU_ASSERT_STRING_EQUAL(tu_sheet_text(l, 1, col), c->name);
        for (int k = 0; k < c->n; k++)
            CU_ASSERT_STRING_EQUAL(tu_sheet_text(l, 2 + (uint32_t)k, col),
                                   c->codes[k]);
        CU_ASSERT_PTR_NULL(tu_sheet_text(l, 2 + (uint32_t)c->n, col));
    }
    /* then the countries, every ISO code of m49 */
    uint32_t cc = CL__COUNT - 1;
    CU_ASSERT_STRING_EQUAL(tu_sheet_text(l, 1, cc), "COUNTRY");
    CU_ASSERT(m49_count() > 100);
    size_t found = 0;
    for (size_t j = 0; j < l->n; j++)
        if (l->cells[j].col == cc && l->cells[j].row > 1) {
            CU_ASSERT_PTR_NOT_NULL(m49_by_iso3(l->cells[j].text));
            found++;
        }
    const m49_entry *e = m49_at(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT(found >= m49_count() - 5 && found <= m49_count());

    /* hidden */
    char *wbx = tu_zip_part(g_path, "xl/workbook.xml");
    CU_ASSERT_PTR_NOT_NULL_FATAL(wbx);
    CU_ASSERT_PTR_NOT_NULL(strstr(wbx, "name=\"Lists\" sheetId=\"14\" "
                                       "state=\"hidden\""));
    free(wbx);
}

static void test_instructions(void)
{
    ensure_template();
    const tu_sheet *s = tu_book_sheet(&g_book, "Instructions");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    int blank = 0, na = 0, whole = 0, consent = 0, codes = 0;
    for (size_t j = 0; j < s->n; j++) {
        const char *t = s->cells[j].text;
        blank |= strstr(t, "never read as zero") != NULL;
        na |= strstr(t, "n/a") != NULL;
        whole |= strstr(t, "whole numbers") != NULL;
        consent |= strstr(t, "CONSENT") != NULL && strstr(t, "YES") != NULL;
        codes |= strstr(t, "ARM_TYPE:") != NULL && strstr(t, "PISTOL") != NULL;
    }
    CU_ASSERT(blank && na && whole && consent && codes);
}

/* Part of sheet n's XML; asserts it exists. */
static char *sheet_xml(int n)
{
    char part[64];
    snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", n);
    char *x = tu_zip_part(g_path, part);
    CU_ASSERT_PTR_NOT_NULL(x);
    return x;
}

static void test_data_validations(void)
{
    ensure_template();
    /* COVER (sheet1): drop-downs of the codes, the country checked
     * against the Lists column, a year check, a date check */
    char *x = sheet_xml(1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"list\""));
    char want[300] = "<formula1>\"";
    const schema_codelist *cl = &schema_codelists[CL_CONSENT];
    for (int i = 0; i < cl->n; i++) {
        if (i)
            strcat(want, ",");
        strcat(want, cl->codes[i]);
    }
    strcat(want, "\"</formula1>");
    CU_ASSERT_PTR_NOT_NULL(strstr(x, want)); /* "YES,NO" */
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"custom\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<formula1>COUNTIF(Lists!$G$2:$G$"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"whole\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"date\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<sheetProtection"));
    free(x);
    /* T1 (sheet2): whole number >= 0 on the counts, plain-words message */
    x = sheet_xml(2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"whole\" "
                                     "operator=\"greaterThanOrEqual\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "sqref=\"C6:C14\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "errorTitle=\"Whole number\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<pane ")); /* frozen header */
    CU_ASSERT_PTR_NULL(strstr(x, "type=\"list\""));
    free(x);
    /* T11 (sheet12): lists, whole, date; not protected */
    x = sheet_xml(TBL_T11 + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"list\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"whole\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"date\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<dataValidation type=\"custom\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "UI_LEGIT_NATIONAL,UI_ILLEGIT_NATIONAL"));
    CU_ASSERT_PTR_NULL(strstr(x, "<sheetProtection"));
    /* ~1000 formatted rows below the header */
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<row r=\"1005\""));
    free(x);
}

static void test_write_error(void)
{
    iafq_error e;
    iafq_err rc = template_write("/nonexistent-dir/x/template.xlsx", &e);
    /* the output path is checked before any work */
    CU_ASSERT_EQUAL(rc, IAFQ_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot create '/nonexistent-dir"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "No such file or directory"));
}

/* ---------------------------------------------------------------- xlsxw */

static void test_xlsxw_err(void)
{
    iafq_error e;
    CU_ASSERT_EQUAL(xlsxw_err(LXW_NO_ERROR, "x", &e), IAFQ_OK);
    CU_ASSERT_EQUAL(
        xlsxw_err(LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED, "write cell", &e),
        IAFQ_ERR_XLSXW);
    CU_ASSERT_EQUAL(e.code, IAFQ_ERR_XLSXW);
    char want[512];
    snprintf(want, sizeof want, "write cell: %s",
             lxw_strerror(LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED));
    CU_ASSERT_STRING_EQUAL(e.msg, want);
    CU_ASSERT_EQUAL(xlsxw_close(NULL, "a.xlsx", &e), IAFQ_ERR_XLSXW);
    xlsxw_discard(NULL);
}

static void test_xlsxw_sheet_name(void)
{
    char out[XLSXW_SHEETNAME_BUF];
    CU_ASSERT_STRING_EQUAL(xlsxw_sheet_name("T1", 1, out), "T1");
    CU_ASSERT_STRING_EQUAL(xlsxw_sheet_name("a:b\\c/d?e*f[g]h", 0, out),
                           "a_b_c_d_e_f_g_h");
    CU_ASSERT_STRING_EQUAL(xlsxw_sheet_name("'quoted'", 0, out), "quoted");
    CU_ASSERT_STRING_EQUAL(xlsxw_sheet_name("", 0, out), "Sheet");
    CU_ASSERT_STRING_EQUAL(xlsxw_sheet_name(NULL, 0, out), "Sheet");
    CU_ASSERT_STRING_EQUAL(xlsxw_sheet_name("bad\xff"
                                            "byte",
                                            0, out),
                           "bad_byte");
    /* 31 characters; a word cut stops at a space and drops the comma */
    const char *longn = "T1 Arms seized, found and surrendered by type";
    CU_ASSERT_STRING_EQUAL(xlsxw_sheet_name(longn, 0, out),
                           "T1 Arms seized, found and surre");
    CU_ASSERT_STRING_EQUAL(xlsxw_sheet_name(longn, 1, out),
                           "T1 Arms seized, found and");
    CU_ASSERT_STRING_EQUAL(
        xlsxw_sheet_name("T8 Tracing results (IAFQ tables 5.1-5.3)", 1, out),
        "T8 Tracing results");
    CU_ASSERT_STRING_EQUAL(
        xlsxw_sheet_name("(x) a long name of thirty-two ch", 1, out),
        "(x) a long name of thirty-two");
    /* UTF-8: 40 x e-acute cut to 31 characters, not bytes */
    char utf[100] = "";
    for (int i = 0; i < 40; i++)
        strcat(utf, "\xC3\xA9");
    xlsxw_sheet_name(utf, 0, out);
    CU_ASSERT_EQUAL(strlen(out), 62);
    char q[2 * XLSXW_SHEETNAME_BUF + 3];
    CU_ASSERT_STRING_EQUAL(xlsxw_quote_sheet("It's", q), "'It''s'");
}

static void test_xlsxw_text_dup(void)
{
    char *s = xlsxw_text_dup("ok\xff");
    CU_ASSERT_STRING_EQUAL(s, "ok\xEF\xBF\xBD");
    free(s);
    s = xlsxw_text_dup(NULL);
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
    char *big = malloc(40001);
    memset(big, 'a', 40000);
    big[40000] = '\0';
    s = xlsxw_text_dup(big);
    CU_ASSERT_EQUAL(strlen(s), XLSXW_TEXT_MAX);
    free(s);
    free(big);
}

static void test_cleanup(void)
{
    tu_book_free(&g_book);
    g_ok = 0;
}

static const tu_test t_template[] = {
    {"sheets in order", test_sheets_in_order},
    {"titles and headers", test_titles_and_headers},
    {"row codes in schema order", test_row_codes_in_schema_order},
    {"values blank, VERSION pre-filled", test_values_blank_version_prefilled},
    {"Lists sheet", test_lists_sheet},
    {"Instructions sheet", test_instructions},
    {"data validations", test_data_validations},
    {"write error", test_write_error},
    {"cleanup", test_cleanup},
    {NULL, NULL}};

static const tu_test t_xlsxw[] = {{"xlsxw_err and close", test_xlsxw_err},
                                  {"sheet names", test_xlsxw_sheet_name},
                                  {"text dup", test_xlsxw_text_dup},
                                  {NULL, NULL}};

static const tu_suite suites[] = {
    {"template", t_template}, {"xlsxw", t_xlsxw}, {NULL, NULL}};

int main(void)
{
    return tu_run("template", suites);
}
