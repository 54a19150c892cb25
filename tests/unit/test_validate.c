/* Unit tests of the validator: cell rules, sheet layout, sums and
 * cross-table rules, and the JSON report, fed with cells directly. */
#include "check.h"
#include "layout.h"
#include "report.h"
#include "rules.h"
#include "testutil.h"
#include "utf8.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ cell rules */

static void test_count_text(void)
{
    int64_t v;
    CU_ASSERT_EQUAL(rules_count_text("12", 2, &v), RC_PLAIN);
    CU_ASSERT_EQUAL(v, 12);
    CU_ASSERT_EQUAL(rules_count_text(" 1,234 ", 7, &v), RC_SEPARATED);
    CU_ASSERT_EQUAL(v, 1234);
    CU_ASSERT_EQUAL(rules_count_text("1 234 567", 9, &v), RC_SEPARATED);
    CU_ASSERT_EQUAL(v, 1234567);
    CU_ASSERT_EQUAL(rules_count_text("1'234", 5, &v), RC_SEPARATED);
    CU_ASSERT_EQUAL(v, 1234);
    CU_ASSERT_EQUAL(rules_count_text("1\xC2\xA0"
                                     "234",
                                     6, &v),
                    RC_SEPARATED);
    CU_ASSERT_EQUAL(v, 1234);
    CU_ASSERT_EQUAL(rules_count_text("12,34", 5, &v), RC_NOT_NUMBER);
    CU_ASSERT_EQUAL(rules_count_text("1,234 567", 9, &v), RC_NOT_NUMBER);
    CU_ASSERT_EQUAL(rules_count_text("1.5", 3, &v), RC_FRACTION);
    CU_ASSERT_EQUAL(rules_count_text("2.0", 3, &v), RC_PLAIN);
    CU_ASSERT_EQUAL(v, 2);
    CU_ASSERT_EQUAL(rules_count_text("-3", 2, &v), RC_NEGATIVE);
    CU_ASSERT_EQUAL(rules_count_text("-0", 2, &v), RC_PLAIN);
    CU_ASSERT_EQUAL(rules_count_text("N/A", 3, &v), RC_NA);
    CU_ASSERT_EQUAL(rules_count_text("\xE2\x80\xA6", 3, &v), RC_NA);
    CU_ASSERT_EQUAL(rules_count_text("Not Available", 13, &v), RC_NA);
    CU_ASSERT_EQUAL(rules_count_text("   ", 3, &v), RC_BLANK);
    CU_ASSERT_EQUAL(rules_count_text("12 arms", 7, &v), RC_NOT_NUMBER);
    CU_ASSERT_EQUAL(rules_count_text("0x10", 4, &v), RC_NOT_NUMBER);
    CU_ASSERT_EQUAL(rules_count_text("inf", 3, &v), RC_NOT_NUMBER);
    CU_ASSERT_EQUAL(rules_count_text("99999999999999999999", 20, &v),
                    RC_TOO_LARGE);
}

static void test_dates(void)
{
    int y, m, d;
    CU_ASSERT_EQUAL(rules_parse_date("2021-03-15", 10, &y, &m, &d), 0);
    CU_ASSERT_EQUAL(y * 10000 + m * 100 + d, 20210315);
    CU_ASSERT_EQUAL(rules_parse_date("2020-02-29T00:00:00", 19, &y, &m, &d), 0);
    CU_ASSERT_NOT_EQUAL(rules_parse_date("2021-02-29", 10, &y, &m, &d), 0);
    CU_ASSERT_NOT_EQUAL(rules_parse_date("15/03/2021", 10, &y, &m, &d), 0);
    CU_ASSERT_NOT_EQUAL(rules_parse_date("2021-13-01", 10, &y, &m, &d), 0);
}

static cell _num(uint32_t row, uint32_t col, double v)
{
    cell c = {row, col, CELL_NUMBER, v, "", 0, 0, 0};
    return c;
}

static cell _text(uint32_t row, uint32_t col, const char *t)
{
    cell c = {row, col, CELL_TEXT, 0, t, strlen(t), 0, 0};
    return c;
}

static void test_rules_cell(void)
{
    iafq_return *r = ret_new("x", RET_SRC_XLSX, 0, false);
    rules_loc loc = {"T1", "PISTOL", "SEIZED", false};
    ret_value v = {0};
    cell c = _num(4, 2, 7);
    CU_ASSERT_EQUAL(rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &v), 0);
    CU_ASSERT_TRUE(v.avail);
    CU_ASSERT_EQUAL(v.n, 7);
    CU_ASSERT_EQUAL(r->findings.n, 0);
    c = _num(4, 2, 7.5);
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &v);
    CU_ASSERT_FALSE(v.avail);
    CU_ASSERT_TRUE(v.bad);
    CU_ASSERT_EQUAL(r->findings.v[0].code, F_E_NOT_INTEGER);
    CU_ASSERT_STRING_EQUAL(r->findings.v[0].value, "7.5");
    c = _text(5, 2, "n/a");
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &v);
    CU_ASSERT_FALSE(v.avail);
    CU_ASSERT_FALSE(v.bad);
    CU_ASSERT_EQUAL(r->findings.v[1].code, F_W_NA_TEXT);
    c = (cell){6, 2, CELL_ERROR, 0, "#N/A", 4, 0, 0};
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &v);
    CU_ASSERT_EQUAL(r->findings.v[2].code, F_E_NOT_NUMBER);
    c = (cell){7, 2, CELL_BOOL, 1, "", 0, 0, 0};
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &v);
    CU_ASSERT_EQUAL(r->findings.v[3].code, F_E_NOT_NUMBER);
    c = _text(8, 2, " pistol ");
    rules_cell(r, &loc, VT_CODE, CL_ARM_TYPE, &c, &v);
    CU_ASSERT_TRUE(v.avail);
    CU_ASSERT_STRING_EQUAL(v.text, "PISTOL");
    c = _text(8, 2, "esp");
    rules_cell(r, &loc, VT_COUNTRY, CL_NONE, &c, &v);
    CU_ASSERT_STRING_EQUAL(v.text, "ESP");
    c = _num(9, 2, 44256); /* 2021-03-01 in the 1900 system */
    rules_cell(r, &loc, VT_DATE, CL_NONE, &c, &v);
    CU_ASSERT_STRING_EQUAL(v.text, "2021-03-01");
    c = _num(9, 2, 42794); /* the same day in the 1904 system */
    c.date1904 = 1;
    rules_cell(r, &loc, VT_DATE, CL_NONE, &c, &v);
    CU_ASSERT_STRING_EQUAL(v.text, "2021-03-01");
    c = _num(10, 2, 2021);
    rules_cell(r, &loc, VT_YEAR, CL_NONE, &c, &v);
    CU_ASSERT_EQUAL(v.n, 2021);
    size_t before = r->findings.n;
    c = _num(10, 2, 1999);
    rules_cell(r, &loc, VT_YEAR, CL_NONE, &c, &v);
    CU_ASSERT_EQUAL(r->findings.v[before].code, F_E_YEAR);
    /* E-YEAR's upper bound is the current year, pinned here: that year is
     * accepted, the next one rejected */
    static const int pinned[] = {2030, 2021};
    for (size_t k = 0; k < sizeof pinned / sizeof pinned[0]; k++) {
        rules_set_current_year(pinned[k]);
        CU_ASSERT_EQUAL(rules_current_year(), pinned[k]);
        before = r->findings.n;
        c = _num(10, 2, pinned[k]);
        rules_cell(r, &loc, VT_YEAR, CL_NONE, &c, &v);
        CU_ASSERT_TRUE(v.avail);
        CU_ASSERT_EQUAL(v.n, pinned[k]);
        CU_ASSERT_EQUAL(r->findings.n, before);
        c = _num(10, 2, pinned[k] + 1);
        rules_cell(r, &loc, VT_YEAR, CL_NONE, &c, &v);
        CU_ASSERT_FALSE(v.avail);
        CU_ASSERT_TRUE(v.bad);
        CU_ASSERT_EQUAL_FATAL(r->findings.n, before + 1);
        CU_ASSERT_EQUAL(r->findings.v[before].code, F_E_YEAR);
    }
    rules_set_current_year(0); /* back to IAFQ_TODAY or the clock */
    ret_value_clear(&v);
    ret_free(r);
}

/* -------------------------------------------------------------- layout */

typedef struct {
    int n;
    int64_t qty;
    char ids[4][16];
} seen;

static iafq_err _on_seizure(void *ud, const iafq_return *r,
                            const ret_seizure *s, iafq_error *err)
{
    seen *x = ud;
    (void)r;
    (void)err;
    int qi = schema_col_index(&schema_tables[TBL_T11], "QUANTITY");
    if (x->n < 4)
        snprintf(x->ids[x->n], 16, "%s", s->id);
    x->n++;
    if (s->v[qi].avail)
        x->qty += s->v[qi].n;
    return IAFQ_OK;
}

/* Feed a sheet: rows of cells given as (row, col, text-or-number). */
typedef struct {
    uint32_t row, col;
    const char *text; /* NULL: number */
    double num;
} fc;

static void _feed(cell_sink *s, const char *sheet, const fc *cells, size_t n)
{
    int skip = 0;
    CU_ASSERT_EQUAL_FATAL(s->sheet_begin(s->ud, sheet, &skip, NULL), IAFQ_OK);
    for (size_t i = 0; i < n; i++) {
        cell c = cells[i].text
                     ? _text(cells[i].row, cells[i].col, cells[i].text)
                     : _num(cells[i].row, cells[i].col, cells[i].num);
        CU_ASSERT_EQUAL(s->cell(s->ud, &c, NULL), IAFQ_OK);
        if (i + 1 == n || cells[i + 1].row != cells[i].row)
            CU_ASSERT_EQUAL(s->row_end(s->ud, cells[i].row, NULL), IAFQ_OK);
    }
    CU_ASSERT_EQUAL(s->sheet_end(s->ud, NULL), IAFQ_OK);
}

static int _has(const iafq_return *r, finding_code code, uint32_t row,
                int32_t col)
{
    for (size_t i = 0; i < r->findings.n; i++)
        if (r->findings.v[i].code == code && r->findings.v[i].row == row &&
            r->findings.v[i].col == col)
            return 1;
    return 0;
}

static void test_layout(void)
{
    iafq_limits lim;
    limits_default(&lim);
    iafq_return *r = ret_new("mem", RET_SRC_XLSX, 0, false);
    seen x = {0};
    layout *l = layout_new(r, &lim, _on_seizure, &x);
    cell_sink s = layout_sink(l);
    const fc cover[] = {
        {1, 0, "Title in A1 is ignored before the header", 0},
        {2, 1, "note", 0},
        {3, 0, "code", 0},
        {3, 2, "VALUE", 0},
        {3, 1, "LABEL", 0},
        {4, 0, "COUNTRY", 0},
        {4, 2, "FRA", 0},
        {5, 0, "YEAR", 0},
        {5, 2, NULL, 2021},
        {6, 0, "CONSENT", 0},
        {6, 2, "no", 0},
    };
    _feed(&s, "COVER", cover, sizeof cover / sizeof *cover);
    const fc t1[] = {
        {2, 0, "CODE", 0},
        {2, 1, "SEIZED", 0},
        {2, 2, "FOUND", 0},
        {2, 3, "SURRENDERED", 0},
        {2, 4, "EXTRA", 0},
        {3, 0, "PISTOL", 0},
        {3, 1, NULL, 10},
        {3, 2, NULL, 1},
        {4, 0, "REVOLVER", 0},
        {4, 1, NULL, 5},
        {5, 1, "rows without column A are ignored", 0},
        {6, 0, "BAZOOKA", 0},
        {6, 1, NULL, 3},
        {7, 0, "PISTOL", 0},
        {7, 1, NULL, 99},
        {8, 0, "TOTAL", 0},
        {8, 1, NULL, 20},
    };
    _feed(&s, "T1 Arms", t1, sizeof t1 / sizeof *t1);
    const fc t11[] = {
        {1, 0, "CODE", 0},     {1, 1, "ARM_TYPE", 0},   {1, 2, "QUANTITY", 0},
        {1, 3, "DATE", 0},     {2, 0, "a1", 0},         {2, 1, "PISTOL", 0},
        {2, 2, NULL, 4},       {2, 3, "2020-05-01", 0}, {3, 0, "A1", 0},
        {3, 1, "REVOLVER", 0}, {3, 2, NULL, 9},         {4, 0, "b2", 0},
        {4, 1, "PISTOL", 0},
    };
    _feed(&s, "T11", t11, sizeof t11 / sizeof *t11);
    CU_ASSERT_EQUAL(layout_finish(l, NULL), IAFQ_OK);
    layout_free(l);

    CU_ASSERT_STRING_EQUAL(r->country, "FRA");
    CU_ASSERT_EQUAL(r->year, 2021);
    CU_ASSERT_EQUAL(r->consent, 0);
    CU_ASSERT_EQUAL(ret_cell(r, TBL_T1, "PISTOL", "SEIZED")->n, 10);
    CU_ASSERT_TRUE(ret_cell(r, TBL_T1, "PISTOL", "SEIZED")->avail);
    CU_ASSERT_FALSE(ret_cell(r, TBL_T1, "REVOLVER", "FOUND")->avail);
    CU_ASSERT_TRUE(_has(r, F_W_COLUMN_UNKNOWN, 2, 4));
    CU_ASSERT_TRUE(_has(r, F_E_ROW_UNKNOWN, 6, 0));
    CU_ASSERT_TRUE(_has(r, F_E_ROW_DUPLICATE, 7, 0));
    CU_ASSERT_TRUE(_has(r, F_W_ROW_MISSING, 0, -1));
    CU_ASSERT_TRUE(_has(r, F_E_SHEET_MISSING, 0, -1)); /* T8 */
    CU_ASSERT_TRUE(_has(r, F_E_ID_DUPLICATE, 3, 0));   /* A1 = a1 */
    CU_ASSERT_TRUE(_has(r, F_E_REQUIRED, 4, 2));       /* b2 QUANTITY */
    CU_ASSERT_TRUE(_has(r, F_E_DATE, 2, 3));           /* 2020 in 2021 */
    /* T11 PISTOL 4 <= T1 10: no W-CROSS on T11; REVOLVER 9 > 5: W-CROSS */
    CU_ASSERT_TRUE(_has(r, F_W_CROSS, 3, 2));
    CU_ASSERT_FALSE(_has(r, F_W_CROSS, 2, 2));
    CU_ASSERT_EQUAL(x.n, 3);
    CU_ASSERT_EQUAL(x.qty, 13);
    CU_ASSERT_STRING_EQUAL(x.ids[1], "A1");
    CU_ASSERT_EQUAL(r->t11.nrecords, 3);
    ret_free(r);
}

static void test_long_id(void)
{
    iafq_limits lim;
    limits_default(&lim);
    iafq_return *r = ret_new("mem", RET_SRC_XLSX, 0, false);
    layout *l = layout_new(r, &lim, NULL, NULL);
    cell_sink s = layout_sink(l);
    static char id[1501];
    memset(id, 'x', 1500);
    const fc t11[] = {
        {1, 0, "CODE", 0}, {1, 1, "ARM_TYPE", 0}, {1, 2, "QUANTITY", 0},
        {2, 0, id, 0},     {2, 1, "PISTOL", 0},
    };
    _feed(&s, "T11", t11, sizeof t11 / sizeof *t11);
    CU_ASSERT_EQUAL(layout_finish(l, NULL), IAFQ_OK);
    layout_free(l);
    CU_ASSERT_TRUE(_has(r, F_E_TEXT_LONG, 2, 0));
    CU_ASSERT_TRUE(_has(r, F_E_REQUIRED, 2, 2)); /* QUANTITY blank */
    for (size_t i = 0; i < r->findings.n; i++)
        if (r->findings.v[i].code == F_E_REQUIRED)
            CU_ASSERT_EQUAL(strlen(r->findings.v[i].rowcode), 1000);
    ret_free(r);
}

/* A finding's row names a T11 seizure by its whole id: a 34-character
 * Cyrillic id (55 bytes) on the W-CROSS of the T11 quantities and on an
 * E-DATE checked after COVER (T11 read first).  Both were cut at 47 bytes. */
static void test_whole_cyrillic_id(void)
{
    iafq_limits lim;
    limits_default(&lim);
    iafq_return *r = ret_new("mem", RET_SRC_XLSX, 0, false);
    layout *l = layout_new(r, &lim, NULL, NULL);
    cell_sink s = layout_sink(l);
    const char *id = "\xd0\x98\xd0\xb7\xd1\x8a\xd1\x8f\xd1\x82\xd0\xb8"
                     "\xd0\xb5-\xd0\x9c\xd0\x92\xd0\x94-2021-"
                     "\xd0\x91\xd0\xb5\xd0\xbb\xd0\xb3\xd0\xbe"
                     "\xd1\x80\xd0\xbe\xd0\xb4-0001-\xd0\x90\xd0\x91"
                     "\xd0\x92";
    CU_ASSERT_EQUAL(utf8_len(id, strlen(id)), 34);
    CU_ASSERT_TRUE(strlen(id) > 47);
    const fc t11[] = {
        {1, 0, "CODE", 0}, {1, 1, "ARM_TYPE", 0},   {1, 2, "QUANTITY", 0},
        {1, 3, "DATE", 0}, {2, 0, id, 0},           {2, 1, "PISTOL", 0},
        {2, 2, NULL, 50},  {2, 3, "2020-05-01", 0},
    };
    _feed(&s, "T11", t11, sizeof t11 / sizeof *t11);
    const fc cover[] = {
        {1, 0, "CODE", 0},    {1, 1, "VALUE", 0}, {2, 0, "COUNTRY", 0},
        {2, 1, "UKR", 0},     {3, 0, "YEAR", 0},  {3, 1, NULL, 2021},
        {4, 0, "CONSENT", 0}, {4, 1, "YES", 0},
    };
    _feed(&s, "COVER", cover, sizeof cover / sizeof *cover);
    const fc t1[] = {
        {1, 0, "CODE", 0},        {1, 1, "SEIZED", 0}, {1, 2, "FOUND", 0},
        {1, 3, "SURRENDERED", 0}, {2, 0, "PISTOL", 0}, {2, 1, NULL, 10},
    };
    _feed(&s, "T1", t1, sizeof t1 / sizeof *t1);
    CU_ASSERT_EQUAL(layout_finish(l, NULL), IAFQ_OK);
    layout_free(l);
    int cross = 0, date = 0;
    for (size_t i = 0; i < r->findings.n; i++) {
        const finding *f = &r->findings.v[i];
        if (f->code == F_W_CROSS && f->rowcode && !strcmp(f->sheet, "T11")) {
            CU_ASSERT_STRING_EQUAL(f->rowcode, id);
            cross++;
        }
        if (f->code == F_E_DATE) {
            CU_ASSERT_STRING_EQUAL(f->rowcode, id);
            date++;
        }
    }
    CU_ASSERT_EQUAL(cross, 1);
    CU_ASSERT_EQUAL(date, 1);
    ret_free(r);
}

/* --------------------------------------------------- sums and crosses */

static void _set(iafq_return *r, table_id t, const char *row, const char *col,
                 int64_t v)
{
    CU_ASSERT_EQUAL_FATAL(ret_table_use(r, t), 0); /* cells writable */
    ret_value *x = ret_cell(r, t, row, col);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    x->n = v;
    x->avail = true;
    r->t[t].present = true;
}

static size_t _count(const iafq_return *r, finding_code c)
{
    return r->findings.per_code[c];
}

static void test_sums(void)
{
    static const char *const types[] = {
        "PISTOL",         "REVOLVER",    "RIFLE", "SHOTGUN",
        "SUBMACHINE_GUN", "MACHINE_GUN", "OTHER", "UNKNOWN"};
    iafq_return *r = ret_new("mem", RET_SRC_LONG, 0, false);
    for (int i = 0; i < 8; i++) {
        _set(r, TBL_T1, types[i], "SEIZED", i + 1); /* sum 36 */
        if (i < 7)
            _set(r, TBL_T1, types[i], "FOUND", 2); /* one missing */
        _set(r, TBL_T1, types[i], "SURRENDERED", 1);
    }
    _set(r, TBL_T1, "TOTAL", "SEIZED", 40); /* all given, 36 < 40: W-SUM */
    _set(r, TBL_T1, "TOTAL", "FOUND", 100); /* 14 < 100 but not all given */
    /* SURRENDERED total blank: derived 8 */
    CU_ASSERT_EQUAL(rules_finish(r), 0);
    CU_ASSERT_EQUAL(_count(r, F_W_SUM), 1);
    CU_ASSERT_EQUAL(_count(r, F_W_TOTAL_DERIVED), 1);
    CU_ASSERT_EQUAL(ret_cell(r, TBL_T1, "TOTAL", "SURRENDERED")->n, 8);
    CU_ASSERT_TRUE(ret_cell(r, TBL_T1, "TOTAL", "SURRENDERED")->derived);
    ret_free(r);

    r = ret_new("mem", RET_SRC_LONG, 0, false);
    _set(r, TBL_T1, "TOTAL", "SEIZED", 10);
    _set(r, TBL_T1, "PISTOL", "SEIZED", 12);    /* components > total */
    _set(r, TBL_T3, "TOTAL", "SEIZED", 9);      /* W-CROSS against T1 */
    _set(r, TBL_T4, "DRUGS", "SEIZED", 10);     /* equal is fine */
    _set(r, TBL_T4, "TERRORISM", "SEIZED", 11); /* more: W-CROSS */
    _set(r, TBL_T6, "ALTERED", "FOUND", 2);
    _set(r, TBL_T6, "NONE", "FOUND", 3);
    _set(r, TBL_T8, "NUI_TOTAL", "FOUND", 5); /* 5 = 2 + 3: fine */
    CU_ASSERT_EQUAL(rules_finish(r), 0);
    CU_ASSERT_EQUAL(_count(r, F_W_SUM), 1);
    CU_ASSERT_EQUAL(_count(r, F_W_CROSS), 2);
    ret_free(r);
}

/* --------------------------------------------------------------- report */

static void test_report_json(void)
{
    iafq_return *r = ret_new("in.xlsx", RET_SRC_XLSX, 0, false);
    snprintf(r->country, sizeof r->country, "ESP");
    r->year = 2021;
    findings_add(&r->findings, F_E_NEGATIVE, "T2", 5, 2, "AMMUNITION", "VALUE",
                 "-3", "negative");
    findings_add(&r->findings, F_E_SHEET_MISSING, "T8", 0, -1, NULL, NULL, NULL,
                 "missing");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    iafq_error err;
    CU_ASSERT_EQUAL(report_json(f, &r, 1, 0, &err), IAFQ_OK);
    fclose(f);
    cJSON *j = cJSON_Parse(buf);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "file")->valuestring,
                           "in.xlsx");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "country")->valuestring,
                           "ESP");
    CU_ASSERT_EQUAL(cJSON_GetObjectItem(j, "year")->valueint, 2021);
    CU_ASSERT_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(j, "valid")));
    cJSON *counts = cJSON_GetObjectItem(j, "counts");
    CU_ASSERT_EQUAL(cJSON_GetObjectItem(counts, "errors")->valueint, 2);
    CU_ASSERT_EQUAL(cJSON_GetObjectItem(counts, "warnings")->valueint, 0);
    cJSON *fs = cJSON_GetObjectItem(j, "findings");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(fs), 2);
    cJSON *f0 = cJSON_GetArrayItem(fs, 0), *f1 = cJSON_GetArrayItem(fs, 1);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(f0, "code")->valuestring,
                           "E-NEGATIVE");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(f0, "severity")->valuestring,
                           "error");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(f0, "cell")->valuestring, "C5");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(f0, "row")->valuestring,
                           "AMMUNITION");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(f0, "column")->valuestring,
                           "VALUE");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(f0, "value")->valuestring, "-3");
    CU_ASSERT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(f1, "cell")));
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(f1, "sheet")->valuestring, "T8");
    cJSON_Delete(j);
    free(buf);
    ret_free(r);
}

/* ------------------------------------------- errors through callbacks */

typedef struct {
    int calls;
    int fail_at;
} _failing;

static iafq_err _seizure_fails(void *ud, const iafq_return *r,
                               const ret_seizure *s, iafq_error *err)
{
    _failing *f = ud;
    (void)r;
    if (++f->calls == f->fail_at)
        return iafq_error_set(err, IAFQ_ERR_DB,
                              "COPY iafq.seizure failed: ERROR:  value too "
                              "long (SQLSTATE 22001) at seizure '%s'",
                              s->id);
    return IAFQ_OK;
}

/* A failure in the seizure callback reaches check_path's caller as that
 * same error (code and message), through the reader and the cell queue,
 * for a workbook and for a CSV return. */
static void test_seizure_error_travels(void)
{
    const char *inputs[] = {"good.xlsx", "csv_return_utf8"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        _failing f = {0, 0};
        check_opts o;
        check_opts_default(&o);
        o.on_seizure = _seizure_fails;
        o.ud = &f;
        check_result res;
        iafq_error e = {0};
        /* first a clean run, to learn that the input has seizures */
        CU_ASSERT_EQUAL_FATAL(check_path(tu_fixture(inputs[i]), &o, &res, &e),
                              IAFQ_OK);
        check_result_release(&res);
        CU_ASSERT_FATAL(f.calls >= 2);
        int total = f.calls;
        f.calls = 0;
        f.fail_at = 2;
        CU_ASSERT_EQUAL(check_path(tu_fixture(inputs[i]), &o, &res, &e),
                        IAFQ_ERR_DB);
        CU_ASSERT_EQUAL(e.code, IAFQ_ERR_DB);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "COPY iafq.seizure failed: "
                                             "ERROR:  value too long"));
        CU_ASSERT_PTR_NULL(strstr(e.msg, "out of memory"));
        CU_ASSERT_EQUAL(res.n, 0); /* nothing half-made is handed back */
        CU_ASSERT(f.calls == 2 && f.calls < total + 1);
        check_result_release(&res);
    }
}

/* ------------------------------------------ numbers and dates (issue 5) */

static void test_ambiguous(void)
{
    int64_t v;
    CU_ASSERT_EQUAL(rules_count_text("10.000", 6, &v), RC_AMBIGUOUS);
    CU_ASSERT_EQUAL(v, 10000);
    CU_ASSERT_EQUAL(rules_count_text(" 1.234 ", 7, &v), RC_AMBIGUOUS);
    CU_ASSERT_EQUAL(v, 1234);
    CU_ASSERT_EQUAL(rules_count_text("999.999", 7, &v), RC_AMBIGUOUS);
    CU_ASSERT_EQUAL(rules_count_text("0.500", 5, &v), RC_FRACTION);
    CU_ASSERT_EQUAL(rules_count_text("1000.000", 8, &v), RC_PLAIN);
    CU_ASSERT_EQUAL(rules_count_text("1.23", 4, &v), RC_FRACTION);

    iafq_return *r = ret_new("x", RET_SRC_CSV, 0, false);
    rules_loc loc = {"T2.csv", "AMMUNITION", "VALUE", false};
    ret_value out = {0};
    cell c = _text(5, 2, "12.000");
    CU_ASSERT_EQUAL(rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &out), 0);
    CU_ASSERT_FALSE(out.avail);
    CU_ASSERT_TRUE(out.bad);
    CU_ASSERT_EQUAL_FATAL(r->findings.n, 1);
    const finding *f = &r->findings.v[0];
    CU_ASSERT_EQUAL(f->code, F_E_NUMBER_AMBIGUOUS);
    CU_ASSERT_EQUAL(f->sev, SEV_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "as 12000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "or as 12 "));
    c = _text(6, 2, "1.234");
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &out);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->findings.v[1].message, "as 1234"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(r->findings.v[1].message, "or as 1.234, not a whole number"));
    ret_value_clear(&out);
    ret_free(r);
}

static void test_date_trailing(void)
{
    int y, m, d;
    static const char *const ok[] = {
        "2021-03-15 10:30",       "2021-03-15T10:30:00",
        "2021-03-15 10:30:00.25", "2021-03-15T10:30:00Z",
        "2021-03-15T10:30+02:00", "2021-03-15T10:30:00-0500",
    };
    static const char *const bad[] = {
        "2021-03-15 or 16?",        "2021-03-15 10", "2021-03-15T25:00",
        "2021-03-15 10:30 approx.", "2021-03-15x",   "2021-03-15 10:61",
        "2021-03-15T10:30:00.",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        CU_ASSERT_EQUAL(rules_parse_date(ok[i], strlen(ok[i]), &y, &m, &d), 0);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CU_ASSERT_NOT_EQUAL(
            rules_parse_date(bad[i], strlen(bad[i]), &y, &m, &d), 0);
}

static void test_number_cells(void)
{
    iafq_return *r = ret_new("x", RET_SRC_XLSX, 0, false);
    rules_loc loc = {"T1", "PISTOL", "SEIZED", false};
    ret_value out = {0};
    /* a formula's cached result within 1e-9 of a whole number */
    cell c = _num(4, 2, 0.1 * 3 * 1000 - 200);
    CU_ASSERT_NOT_EQUAL(c.num, 100.0);
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &out);
    CU_ASSERT_TRUE(out.avail);
    CU_ASSERT_EQUAL(out.n, 100);
    c = _num(4, 2, 99.9999999995);
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &out);
    CU_ASSERT_EQUAL(out.n, 100);
    CU_ASSERT_EQUAL(r->findings.n, 0);
    c = _num(4, 2, 100.00000001); /* 1e-8: a fraction */
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &out);
    CU_ASSERT_TRUE(out.bad);
    CU_ASSERT_EQUAL(r->findings.v[0].code, F_E_NOT_INTEGER);
    /* a count formatted as a date */
    c = _num(5, 2, 44270); /* 2021-03-15 */
    c.is_date = 1;
    rules_cell(r, &loc, VT_COUNT, CL_NONE, &c, &out);
    CU_ASSERT_FALSE(out.avail);
    CU_ASSERT_TRUE(out.bad);
    CU_ASSERT_EQUAL(r->findings.v[1].code, F_E_NOT_NUMBER);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->findings.v[1].message, "2021-03-15"));
    ret_value_clear(&out);
    ret_free(r);

    CU_ASSERT_EQUAL(rules_count_add(1, 2), 3);
    CU_ASSERT_EQUAL(rules_count_add(RULES_COUNT_MAX, 0), RULES_COUNT_MAX);
    CU_ASSERT_EQUAL(rules_count_add(RULES_COUNT_MAX, 1), RULES_COUNT_MAX + 1);
    CU_ASSERT_EQUAL(rules_count_add(RULES_COUNT_MAX + 1, RULES_COUNT_MAX + 1),
                    RULES_COUNT_MAX + 1);
}

static void test_sums_overflow(void)
{
    static const char *const types[] = {
        "PISTOL",         "REVOLVER",    "RIFLE", "SHOTGUN",
        "SUBMACHINE_GUN", "MACHINE_GUN", "OTHER", "UNKNOWN"};
    iafq_return *r = ret_new("mem", RET_SRC_LONG, 0, false);
    for (int i = 0; i < 8; i++) {
        _set(r, TBL_T1, types[i], "SEIZED", RULES_COUNT_MAX); /* 8 * 10^15 */
        _set(r, TBL_T1, types[i], "FOUND", RULES_COUNT_MAX);
    }
    _set(r, TBL_T1, "TOTAL", "FOUND", 5); /* given: no W-SUM, an error */
    _set(r, TBL_T6, "TOTAL", "SEIZED", 3);
    /* T9: MALE + FEMALE + UNKNOWN against TOTAL, past 10^15 */
    _set(r, TBL_T9, "ARRESTED", "MALE", RULES_COUNT_MAX);
    _set(r, TBL_T9, "ARRESTED", "FEMALE", RULES_COUNT_MAX);
    _set(r, TBL_T9, "ARRESTED", "UNKNOWN", 1);
    _set(r, TBL_T9, "ARRESTED", "TOTAL", 7);
    /* T11: quantities past 2^63 when added naively */
    r->t11.qty_any[0] = true;
    r->t11.qty[0] = 0;
    for (int i = 0; i < 10000; i++)
        r->t11.qty[0] = rules_count_add(r->t11.qty[0], RULES_COUNT_MAX);
    CU_ASSERT_EQUAL(r->t11.qty[0], RULES_COUNT_MAX + 1);
    CU_ASSERT_EQUAL(rules_finish(r), 0);
    const ret_value *tot = ret_cell(r, TBL_T1, "TOTAL", "SEIZED");
    CU_ASSERT_FALSE(tot->avail); /* not derived */
    CU_ASSERT_TRUE(tot->bad);
    CU_ASSERT_EQUAL(_count(r, F_W_TOTAL_DERIVED), 0);
    CU_ASSERT_EQUAL(_count(r, F_W_SUM), 0);
    CU_ASSERT_EQUAL(_count(r, F_W_CROSS), 0); /* T6 vs a blank T1 total */
    /* T1 SEIZED, T1 FOUND, T9 ARRESTED, T11 PISTOL */
    CU_ASSERT_EQUAL(_count(r, F_E_NOT_NUMBER), 4);
    for (size_t i = 0; i < r->findings.n; i++)
        CU_ASSERT_PTR_NOT_NULL(strstr(r->findings.v[i].message, "10^15"));
    ret_free(r);
}

static void test_id_chars(void)
{
    iafq_limits lim;
    limits_default(&lim);
    iafq_return *r = ret_new("mem", RET_SRC_XLSX, 0, false);
    layout *l = layout_new(r, &lim, NULL, NULL);
    cell_sink s = layout_sink(l);
    /* 1,000 characters in 3,997 bytes: not too long; 1,001: too long,
     * and cut to 1,000 characters, not inside one */
    static char ok[4 * 1000], bad[4 * 1001 + 1];
    ok[0] = 'I';
    for (int i = 1; i < 1000; i++)
        memcpy(ok + 1 + 4 * (i - 1), "\xF0\x9F\x98\x80", 4);
    ok[1 + 4 * 999] = '\0';
    for (int i = 0; i < 1001; i++)
        memcpy(bad + 4 * i, "\xF0\x9F\x98\x80", 4);
    bad[4 * 1001] = '\0';
    const fc t11[] = {
        {1, 0, "CODE", 0},   {1, 1, "ARM_TYPE", 0}, {1, 2, "QUANTITY", 0},
        {2, 0, ok, 0},       {2, 1, "PISTOL", 0},   {3, 0, bad, 0},
        {3, 1, "PISTOL", 0},
    };
    _feed(&s, "T11", t11, sizeof t11 / sizeof *t11);
    CU_ASSERT_EQUAL(layout_finish(l, NULL), IAFQ_OK);
    layout_free(l);
    CU_ASSERT_FALSE(_has(r, F_E_TEXT_LONG, 2, 0));
    CU_ASSERT_TRUE(_has(r, F_E_TEXT_LONG, 3, 0));
    for (size_t i = 0; i < r->findings.n; i++) {
        const finding *f = &r->findings.v[i];
        if (f->code != F_E_REQUIRED)
            continue;
        CU_ASSERT_EQUAL(utf8_len(f->rowcode, strlen(f->rowcode)), 1000);
        CU_ASSERT_TRUE(utf8_valid(f->rowcode, strlen(f->rowcode)));
        CU_ASSERT_FALSE(strstr(f->rowcode, "\xEF\xBF\xBD") != NULL);
    }
    ret_free(r);
}

static const tu_test rule_tests[] = {
    {"counts written as text", test_count_text},
    {"ISO dates", test_dates},
    {"one cell per value type", test_rules_cell},
    {"sum and cross-table rules", test_sums},
    {"ambiguous numbers: both readings", test_ambiguous},
    {"dates with trailing text", test_date_trailing},
    {"near-whole and date-formatted numbers", test_number_cells},
    {"sums past 10^15 never wrap", test_sums_overflow},
    {NULL, NULL}};
static const tu_test layout_tests[] = {
    {"sheet layout from a cell stream", test_layout},
    {"an over-long T11 id is reported and cut", test_long_id},
    {"a finding names a T11 seizure by its whole id", test_whole_cyrillic_id},
    {"a seizure callback's error reaches check_path unchanged",
     test_seizure_error_travels},
    {"T11 id limit counts characters", test_id_chars},
    {NULL, NULL}};
static const tu_test report_tests[] = {{"JSON report shape", test_report_json},
                                       {NULL, NULL}};
static const tu_suite suites[] = {{"rules", rule_tests},
                                  {"layout", layout_tests},
                                  {"report", report_tests},
                                  {NULL, NULL}};

int main(void)
{
    return tu_run("validate", suites);
}
