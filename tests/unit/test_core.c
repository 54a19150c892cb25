/* Unit tests of the shared core: schema, m49, strings, cell refs, findings. */
#include "cells.h"
#include "finding.h"
#include "m49.h"
#include "origin.h"
#include "schema.h"
#include "str.h"
#include "utf8.h"
#include "testutil.h"

#include <string.h>

/* The origin of a stored figure (common/origin.h). */
static void test_origin(void)
{
    char b[ORIGIN_MAX];
    CU_ASSERT_EQUAL(origin_format(b, sizeof b, RET_SRC_XLSX, "T8", 7, 2), 5);
    CU_ASSERT_STRING_EQUAL(b, "T8!C7");
    origin_format(b, sizeof b, RET_SRC_XLSX, "T1 Arms", 7, 2);
    CU_ASSERT_STRING_EQUAL(b, "'T1 Arms'!C7");
    origin_format(b, sizeof b, RET_SRC_XLSX, "O'Neil", 2, 1);
    CU_ASSERT_STRING_EQUAL(b, "'O''Neil'!B2");
    origin_format(b, sizeof b, RET_SRC_XLSX, "2019", 1, 0);
    CU_ASSERT_STRING_EQUAL(b, "'2019'!A1");
    origin_format(b, sizeof b, RET_SRC_XLSX, "T1", 1048576, 16383);
    CU_ASSERT_STRING_EQUAL(b, "T1!XFD1048576");
    origin_format(b, sizeof b, RET_SRC_XLSX, "T1", 3, 25);
    CU_ASSERT_STRING_EQUAL(b, "T1!Z3");
    origin_format(b, sizeof b, RET_SRC_XLSX, "T1", 3, 26);
    CU_ASSERT_STRING_EQUAL(b, "T1!AA3");
    origin_format(b, sizeof b, RET_SRC_XLSX, "T11", 12, -1);
    CU_ASSERT_STRING_EQUAL(b, "T11!12:12");
    origin_format(b, sizeof b, RET_SRC_CSV, "T8.csv", 7, 2);
    CU_ASSERT_STRING_EQUAL(b, "T8.csv:7:C");
    origin_format(b, sizeof b, RET_SRC_CSV, "T11.csv", 9, -1);
    CU_ASSERT_STRING_EQUAL(b, "T11.csv:9");
    origin_format(b, sizeof b, RET_SRC_LONG, "x.csv", 123, 4);
    CU_ASSERT_STRING_EQUAL(b, "line 123");
    /* no cell: no origin */
    CU_ASSERT_EQUAL(origin_format(b, sizeof b, RET_SRC_XLSX, "T1", 0, 3), 0);
    CU_ASSERT_STRING_EQUAL(b, "");
    /* a small buffer: cut, terminated */
    CU_ASSERT_EQUAL(origin_format(b, 4, RET_SRC_XLSX, "T8", 7, 2), 3);
    CU_ASSERT_STRING_EQUAL(b, "T8!");
}

static void test_sheet_names(void)
{
    CU_ASSERT_EQUAL(schema_table_by_sheet("T1"), TBL_T1);
    CU_ASSERT_EQUAL(schema_table_by_sheet("t1 Arms by type"), TBL_T1);
    CU_ASSERT_EQUAL(schema_table_by_sheet("  T11 Seizures"), TBL_T11);
    CU_ASSERT_EQUAL(schema_table_by_sheet("T10"), TBL_T10);
    CU_ASSERT_EQUAL(schema_table_by_sheet("cover"), TBL_COVER);
    CU_ASSERT_EQUAL(schema_table_by_sheet("T1.csv"), TBL_T1);
    CU_ASSERT_EQUAL(schema_table_by_sheet("T12"), -1);
    CU_ASSERT_EQUAL(schema_table_by_sheet("T1x"), -1);
    CU_ASSERT_EQUAL(schema_table_by_sheet("Instructions"), -1);
}

static void test_row_col_codes(void)
{
    const schema_table *t8 = &schema_tables[TBL_T8];
    CU_ASSERT_EQUAL(t8->nrows, 14);
    CU_ASSERT_EQUAL(t8->ncols, 3);
    CU_ASSERT_EQUAL(schema_row_index(t8, " ui_total "), 7);
    CU_ASSERT_EQUAL(schema_row_index(t8, "UI_TOTALS"), -1);
    CU_ASSERT_EQUAL(schema_col_index(&schema_tables[TBL_T9], "female"), 1);
    CU_ASSERT_TRUE(schema_tables[TBL_COVER].required);
    CU_ASSERT_TRUE(schema_tables[TBL_T1].required);
    CU_ASSERT_TRUE(schema_tables[TBL_T8].required);
    CU_ASSERT_FALSE(schema_tables[TBL_T2].required);
    CU_ASSERT_TRUE(schema_tables[TBL_T11].free_rows);
    for (int t = 0; t < TBL__COUNT; t++) {
        CU_ASSERT_TRUE(schema_tables[t].nrows <= SCHEMA_MAX_ROWS);
        CU_ASSERT_TRUE(schema_tables[t].ncols <= SCHEMA_MAX_COLS);
    }
}

/* The T11 code lists are the table rows less the totals (spec section 2). */
static void test_codelists_follow_tables(void)
{
    struct {
        codelist_id cl;
        table_id t;
    } pairs[] = {{CL_ARM_TYPE, TBL_T1},
                 {CL_PLACE_TYPE, TBL_T7},
                 {CL_MARKING, TBL_T6},
                 {CL_TRACING, TBL_T8}};
    for (size_t i = 0; i < 4; i++) {
        const schema_table *t = &schema_tables[pairs[i].t];
        const schema_codelist *l = &schema_codelists[pairs[i].cl];
        int k = 0;
        for (int r = 0; r < t->nrows; r++) {
            const char *code = t->rows[r].code;
            if (strstr(code, "TOTAL"))
                continue;
            CU_ASSERT_PTR_NOT_NULL_FATAL(l->codes);
            CU_ASSERT_STRING_EQUAL(l->codes[k], code);
            k++;
        }
        CU_ASSERT_EQUAL(k, l->n);
    }
    CU_ASSERT_EQUAL(schema_code_index(CL_CONSENT, " yes"), 0);
    CU_ASSERT_EQUAL(schema_code_index(CL_CONSENT, "maybe"), -1);
}

/* Appendix A strings, misspellings included. */
static void test_published_strings(void)
{
    const schema_pub *p = schema_pub_of(TBL_T1, 8, 0); /* TOTAL SEIZED */
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(p->indicator, "Arms seized");
    CU_ASSERT_STRING_EQUAL(p->dimension, "Total");
    CU_ASSERT_STRING_EQUAL(p->category, "Total");
    p = schema_pub_of(TBL_T1, 8, 1); /* TOTAL FOUND */
    CU_ASSERT_STRING_EQUAL(p->indicator, "Arms found");
    CU_ASSERT_STRING_EQUAL(p->dimension, "by type");
    p = schema_pub_of(TBL_T1, 2, 0);
    CU_ASSERT_STRING_EQUAL(p->category, "rifle (Inlcuding Carbine)");
    p = schema_pub_of(TBL_T3, 0, 0);
    CU_ASSERT_STRING_EQUAL(p->category, "illicit posession");
    p = schema_pub_of(TBL_T6, 4, 2); /* TOTAL SURRENDERED */
    CU_ASSERT_STRING_EQUAL(p->category, "Surrendered");
    p = schema_pub_of(TBL_T6, 4, 0);
    CU_ASSERT_STRING_EQUAL(p->category, "Total");
    p = schema_pub_of(TBL_T8, 13, 1);
    CU_ASSERT_STRING_EQUAL(p->indicator, "Arms found");
    CU_ASSERT_STRING_EQUAL(p->dimension, "by location");
    p = schema_pub_of(TBL_T9, 0, 1);
    CU_ASSERT_STRING_EQUAL(p->sex, "Female");
    CU_ASSERT_STRING_EQUAL(p->age, "Total");
    CU_ASSERT_STRING_EQUAL(p->dimension, "Total");
    p = schema_pub_of(TBL_T10, 1, 0);
    CU_ASSERT_STRING_EQUAL(
        p->category, "Illicit trafficking andIllicit possession/use of arms");
    CU_ASSERT_STRING_EQUAL(p->sex, "Total");
    CU_ASSERT_PTR_NULL(schema_pub_of(TBL_COVER, 0, 0));
    CU_ASSERT_PTR_NULL(schema_pub_of(TBL_T11, 0, 0));
    /* every key but the by-location totals maps to one cell */
    size_t n;
    const schema_pub *all = schema_pub_all(&n);
    CU_ASSERT_EQUAL(n, 141); /* T1 27, T2 3, T3 8, T4 8, T5 7, T6 15, T7 7, T8
                                42, T9 16, T10 8 */
    int dups = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (!strcmp(all[i].indicator, all[j].indicator) &&
                !strcmp(all[i].dimension, all[j].dimension) &&
                !strcmp(all[i].category, all[j].category) &&
                !strcmp(all[i].sex, all[j].sex) &&
                !strcmp(all[i].age, all[j].age)) {
                dups++;
                CU_ASSERT_STRING_EQUAL(all[i].dimension, "by location");
                CU_ASSERT_STRING_EQUAL(all[i].category, "Total");
            }
    CU_ASSERT_EQUAL(dups, 1); /* Arms seized by location Total: T7 and T8 */
}

static void test_m49(void)
{
    CU_ASSERT_TRUE(m49_count() >= 240);
    const m49_entry *e = m49_by_iso3("esp");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->m49, "724");
    CU_ASSERT_STRING_EQUAL(e->region, "Europe");
    CU_ASSERT_STRING_EQUAL(e->subregion, "Southern Europe");
    e = m49_by_iso3("HKG"); /* a quoted name with a comma */
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->name,
                           "China, Hong Kong Special Administrative Region");
    CU_ASSERT_STRING_EQUAL(e->sdg_region_code, "753");
    CU_ASSERT_PTR_NULL(m49_by_iso3("XYZ"));
}

static void test_str(void)
{
    size_t n = strlen("\xC2\xA0 ab c \t");
    const char *t = str_trim("\xC2\xA0 ab c \t", &n);
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(strncmp(t, "ab c", 4), 0);
    CU_ASSERT_TRUE(str_code_eq(" pistol ", "PISTOL"));
    CU_ASSERT_FALSE(str_code_eq("pistols", "PISTOL"));
    CU_ASSERT_TRUE(utf8_valid("C\xC3\xB4te", 5));
    CU_ASSERT_FALSE(utf8_valid("C\xF4te", 4));
    CU_ASSERT_FALSE(utf8_valid("\xC0\x80", 2)); /* overlong */
    CU_ASSERT_EQUAL(utf8_len("C\xC3\xB4te", 5), 4);
    sbuf b = SBUF_INIT;
    CU_ASSERT_EQUAL(sbuf_addf(&b, "%d-%s", 42, "x"), 0);
    CU_ASSERT_STRING_EQUAL(b.buf, "42-x");
    sbuf_release(&b);
}

static void test_cell_refs(void)
{
    char buf[16];
    CU_ASSERT_STRING_EQUAL(cells_ref(7, 2, buf), "C7");
    CU_ASSERT_STRING_EQUAL(cells_ref(1, 25, buf), "Z1");
    CU_ASSERT_STRING_EQUAL(cells_ref(1, 26, buf), "AA1");
    CU_ASSERT_STRING_EQUAL(cells_ref(1048576, 16383, buf), "XFD1048576");
    uint32_t r, c;
    CU_ASSERT_EQUAL(cells_parse_ref("XFD1048576", &r, &c), 0);
    CU_ASSERT_EQUAL(r, 1048576);
    CU_ASSERT_EQUAL(c, 16383);
    CU_ASSERT_EQUAL(cells_parse_ref("$B$3", &r, &c), 0);
    CU_ASSERT_EQUAL(r, 3);
    CU_ASSERT_EQUAL(c, 1);
    CU_ASSERT_NOT_EQUAL(cells_parse_ref("3B", &r, &c), 0);
    CU_ASSERT_NOT_EQUAL(cells_parse_ref("AAAAAAAA1", &r, &c), 0);
}

static void test_findings(void)
{
    finding_list l;
    findings_init(&l, 2, false);
    CU_ASSERT_EQUAL(findings_add(&l, F_W_SUM, "T1", 12, 2, "TOTAL", "SEIZED",
                                 "5", "sum %d", 1),
                    0);
    findings_add(&l, F_E_FILE, NULL, 0, -1, NULL, NULL, NULL, "bad");
    findings_add(&l, F_E_NEGATIVE, "T2", 5, 2, NULL, NULL, "-1", "neg");
    CU_ASSERT_EQUAL(l.n, 2);
    CU_ASSERT_EQUAL(l.dropped, 1);
    CU_ASSERT_EQUAL(l.nerr, 2);
    CU_ASSERT_EQUAL(l.nwarn, 1);
    CU_ASSERT_STRING_EQUAL(l.v[0].message, "sum 1");
    CU_ASSERT_EQUAL(l.v[0].sev, SEV_WARNING);
    findings_free(&l);
    findings_init(&l, 0, true); /* strict */
    findings_add(&l, F_W_NA_TEXT, "T1", 1, 1, NULL, NULL, NULL, "na");
    CU_ASSERT_EQUAL(l.nerr, 1);
    CU_ASSERT_EQUAL(l.v[0].sev, SEV_ERROR);
    findings_free(&l);
    findings_free(NULL);
    CU_ASSERT_STRING_EQUAL(finding_code_str(F_W_TOTAL_DERIVED),
                           "W-TOTAL-DERIVED");
    CU_ASSERT_EQUAL(finding_code_from_str("E-ID-DUPLICATE"), F_E_ID_DUPLICATE);
    CU_ASSERT_STRING_EQUAL(finding_code_str((finding_code)999), "E-UNKNOWN");
}

static void test_findings_merge(void)
{
    finding_list a, b;
    findings_init(&a, 0, false);
    findings_init(&b, 1, true); /* strict, keeps one */
    findings_add(&a, F_E_CODE, "COVER", 10, 2, "CONSENT", "VALUE", "X", "a");
    findings_add(&b, F_W_SUM, "T1", 12, 2, "TOTAL", "SEIZED", "9", "b1");
    findings_add(&b, F_W_SUM, "T3", 11, 2, "TOTAL", "SEIZED", "9", "b2");
    CU_ASSERT_EQUAL(findings_merge(&a, &b), 0);
    CU_ASSERT_EQUAL(a.n, 2);
    CU_ASSERT_EQUAL(a.nerr, 3); /* 1 + two strict warnings */
    CU_ASSERT_EQUAL(a.nwarn, 0);
    CU_ASSERT_EQUAL(a.dropped, 1);
    CU_ASSERT_EQUAL(a.v[1].sev, SEV_ERROR);
    CU_ASSERT_STRING_EQUAL(a.v[1].message, "b1");
    CU_ASSERT_STRING_EQUAL(a.v[1].sheet, "T1");
    findings_free(&a);
    findings_free(&b);
}

static const tu_test schema_tests[] = {
    {"sheet names match tables", test_sheet_names},
    {"row and column codes", test_row_col_codes},
    {"code lists follow the tables", test_codelists_follow_tables},
    {"published strings of appendix A", test_published_strings},
    {NULL, NULL}};
static const tu_test misc_tests[] = {
    {"m49 list", test_m49},
    {"string helpers", test_str},
    {"cell references", test_cell_refs},
    {"origin of a figure", test_origin},
    {"finding list", test_findings},
    {"merging finding lists", test_findings_merge},
    {NULL, NULL}};
static const tu_suite suites[] = {
    {"schema", schema_tests}, {"core", misc_tests}, {NULL, NULL}};

int main(void)
{
    return tu_run("core", suites);
}
