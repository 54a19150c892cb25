/* Unit tests of the portal long-format reader, on the real published
 * extract (data/dataunodc_iafq_sample.csv) and on small crafted files. */
#include "check.h"
#include "longfmt.h"
#include "longret.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static iafq_return **_v;
static size_t _n;

static const iafq_return *_find(const char *iso3, int year)
{
    for (size_t i = 0; i < _n; i++)
        if (!strcmp(_v[i]->country, iso3) && _v[i]->year == year)
            return _v[i];
    return NULL;
}

static int64_t _val(const iafq_return *r, table_id t, const char *row,
                    const char *col)
{
    const ret_value *v = ret_cell_c(r, t, row, col);
    return (v && v->avail) ? v->n : -1;
}

static void _load(void)
{
    if (_v)
        return;
    check_opts o;
    check_opts_default(&o);
    check_result res;
    iafq_error err;
    CU_ASSERT_EQUAL_FATAL(
        check_path(tu_src("data/dataunodc_iafq_sample.csv"), &o, &res, &err),
        IAFQ_OK);
    CU_ASSERT_EQUAL(res.kind, SOURCE_LONG);
    _v = res.v;
    _n = res.n;
}

static void test_real_extract_reads_clean(void)
{
    _load();
    CU_ASSERT_EQUAL(_n, 166); /* country-years of the 40 countries */
    size_t nerr = 0;
    for (size_t i = 0; i < _n; i++) {
        nerr += _v[i]->findings.nerr;
        CU_ASSERT_EQUAL(_v[i]->consent, -1); /* states none */
        CU_ASSERT_EQUAL(strlen(_v[i]->country), 3);
    }
    CU_ASSERT_EQUAL(nerr, 0);
}

static void test_real_extract_values(void)
{
    _load();
    const iafq_return *bra = _find("BRA", 2018);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bra);
    CU_ASSERT_EQUAL(_val(bra, TBL_T1, "TOTAL", "SEIZED"), 89615);
    CU_ASSERT_EQUAL(_val(bra, TBL_T1, "REVOLVER", "SEIZED"), 37234);
    CU_ASSERT_EQUAL(_val(bra, TBL_T1, "UNKNOWN", "SEIZED"), 3990);
    /* the Source string is kept per value */
    CU_ASSERT_STRING_EQUAL(ret_cell_c(bra, TBL_T1, "RIFLE", "SEIZED")->src,
                           "SOF/IAFQ");
    const iafq_return *esp = _find("ESP", 2019);
    CU_ASSERT_PTR_NOT_NULL_FATAL(esp);
    CU_ASSERT_EQUAL(_val(esp, TBL_T9, "ARRESTED", "FEMALE"), 4);
    CU_ASSERT_EQUAL(_val(esp, TBL_T9, "ARRESTED", "TOTAL"), 371);
    /* a repeated key keeps its first value and warns */
    CU_ASSERT_EQUAL(_val(esp, TBL_T10, "WITH_OTHER_TRAFFICKING", "TOTAL"), 20);
    CU_ASSERT_TRUE(esp->findings.per_code[F_W_ROW_REPEAT] >= 1);
    const iafq_return *aus = _find("AUS", 2016);
    CU_ASSERT_PTR_NOT_NULL_FATAL(aus);
    CU_ASSERT_EQUAL(_val(aus, TBL_T5, "OTHER_ILLICIT", "SEIZED"), 5);
}

/* Andorra 2019: a tracing Total (3) right after the tracing rows, then a
 * second "by location" Total (20) whose nearest row above is that Total:
 * it belongs to the place-of-seizure group. */
static void test_by_location_totals(void)
{
    _load();
    const iafq_return *a = _find("AND", 2019);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_EQUAL(_val(a, TBL_T8, "TOTAL", "SEIZED"), 3);
    CU_ASSERT_EQUAL(_val(a, TBL_T7, "TOTAL", "SEIZED"), 20);
    CU_ASSERT_EQUAL(_val(a, TBL_T7, "TERRITORY", "SEIZED"), 20);
    /* Andorra 2018: both Totals come before any row of their groups */
    const iafq_return *b = _find("AND", 2018);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(_val(b, TBL_T7, "TOTAL", "SEIZED"), 0);
    CU_ASSERT_EQUAL(_val(b, TBL_T8, "TOTAL", "SEIZED"), 0);
}

static void test_crafted(void)
{
    const char *dir = tu_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/long.csv", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("\xEF\xBB\xBFUNODC,x\n17/06/2022,\n"
          "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,"
          "Sex,Age,Year,Unit of measurement,VALUE,Source\n"
          "FRA,France,Europe,Western Europe,Arms seized,by location,land "
          "borders,na,na,2020,Counts,5,IAFQ\n"
          "FRA,France,Europe,Western Europe,Arms seized,by location,Total,na,"
          "na,2020,Counts,5,IAFQ\n"
          "FRA,Frankreich,Europe,Western Europe,Arms seized,by magic,Total,na,"
          "na,2020,Counts,5,IAFQ\n"
          "FRA,France,Europe,Western Europe,Arms seized,Total,Total,na,na,2020,"
          "Counts,1.5,IAFQ\n"
          "XXX,Nowhere,Europe,Western Europe,Arms seized,Total,Total,na,na,"
          "2020,Counts,1,IAFQ\n"
          "DEU,Germania,Europe,Western Europe,Arms seized,Total,Total,na,na,"
          "2020,Counts,4,IAFQ\n",
          f);
    CU_ASSERT_EQUAL(fclose(f), 0);
    iafq_limits lim;
    limits_default(&lim);
    iafq_return **v = NULL;
    size_t n = 0;
    iafq_error err;
    CU_ASSERT_EQUAL_FATAL(
        longret_read(path, SOURCE_LONG, &lim, false, &v, &n, &err), IAFQ_OK);
    /* the file-level return (XXX is no country: never a made-up
     * country-year), then DEU, FRA */
    CU_ASSERT_EQUAL_FATAL(n, 3);
    iafq_return *xxx = v[0], *deu = v[1], *fra = v[2];
    CU_ASSERT_STRING_EQUAL(xxx->country, "");
    CU_ASSERT_EQUAL(xxx->year, 0);
    CU_ASSERT_STRING_EQUAL(deu->country, "DEU");
    CU_ASSERT_STRING_EQUAL(fra->country, "FRA");
    /* "Germania" is not the M49 name of DEU: a loose name check warns */
    CU_ASSERT_EQUAL(deu->findings.per_code[F_W_NAME], 1);
    CU_ASSERT_EQUAL(deu->findings.nerr, 0);
    CU_ASSERT_EQUAL(_val(deu, TBL_T1, "TOTAL", "SEIZED"), 4);
    CU_ASSERT_EQUAL(_val(fra, TBL_T7, "TOTAL", "SEIZED"), 5);
    CU_ASSERT_EQUAL(_val(fra, TBL_T8, "TOTAL", "SEIZED"), -1);
    CU_ASSERT_EQUAL(fra->findings.per_code[F_E_ROW_UNKNOWN], 1);
    CU_ASSERT_EQUAL(fra->findings.per_code[F_E_NOT_INTEGER], 1);
    CU_ASSERT_EQUAL(fra->findings.per_code[F_W_NAME], 0); /* first row ok */
    CU_ASSERT_EQUAL(xxx->findings.per_code[F_E_COUNTRY], 1);
    CU_ASSERT_EQUAL(xxx->findings.nerr, 1);
    /* the E-NOT-INTEGER sits on the VALUE cell of line 7 */
    int found = 0;
    for (size_t i = 0; i < fra->findings.n; i++)
        if (fra->findings.v[i].code == F_E_NOT_INTEGER &&
            fra->findings.v[i].row == 7 && fra->findings.v[i].col == 11)
            found = 1;
    CU_ASSERT_TRUE(found);
    for (size_t i = 0; i < n; i++)
        ret_free(v[i]);
    free(v);
}

/* ---- the row reader (ingest): no rules, fields by header name ---- */

typedef struct {
    int n;
    uint32_t rows[8];
    char iso3[8][8], value[8][16];
    cell_kind vkind[8];
} _rows;

static iafq_err _collect(void *ud, const longfmt_row *r, iafq_error *err)
{
    _rows *c = ud;
    (void)err;
    if (c->n < 8) {
        c->rows[c->n] = r->row;
        snprintf(c->iso3[c->n], sizeof c->iso3[0], "%s",
                 r->f[LONGFMT_ISO3].text);
        snprintf(c->value[c->n], sizeof c->value[0], "%s",
                 r->f[LONGFMT_VALUE].text);
        c->vkind[c->n] = r->f[LONGFMT_VALUE].kind;
    }
    c->n++;
    return IAFQ_OK;
}

static void test_row_reader(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/rows.csv", tu_tmpdir());
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    /* columns in another order, a blank line, padded fields */
    fputs("UNODC,x\n"
          "Iso3_code,VALUE,Year,Indicator,Dimension,Category\n"
          " fra , 12 ,2020,Arms seized,Total,Total\n"
          "\n"
          "DEU,,2019,Arms seized,Total,Total\n",
          f);
    CU_ASSERT_EQUAL(fclose(f), 0);
    _rows c = {0};
    longfmt_sink sink = {_collect, &c};
    longfmt_info info;
    iafq_error err;
    CU_ASSERT_EQUAL_FATAL(
        longfmt_read(path, SOURCE_LONG, NULL, &sink, &info, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(info.header_row, 2);
    CU_ASSERT_EQUAL(info.header.col[LONGFMT_VALUE], 1);
    CU_ASSERT_EQUAL(info.header.col[LONGFMT_SOURCE], -1);
    CU_ASSERT_EQUAL(info.nrows, 2);
    CU_ASSERT_EQUAL_FATAL(c.n, 2);
    CU_ASSERT_EQUAL(c.rows[0], 3);
    CU_ASSERT_STRING_EQUAL(c.iso3[0], "fra"); /* trimmed, not judged */
    CU_ASSERT_STRING_EQUAL(c.value[0], "12");
    CU_ASSERT_EQUAL(c.rows[1], 5);
    CU_ASSERT_EQUAL(c.vkind[1], CELL_BLANK);
}

/* ---- the long format as .xlsx reads the same returns as the CSV ---- */

static int _same_value(const ret_value *a, const ret_value *b)
{
    return a->avail == b->avail && a->bad == b->bad && a->n == b->n &&
           a->row == b->row && a->col == b->col &&
           !strcmp(a->src ? a->src : "IAFQ", b->src ? b->src : "IAFQ");
}

static void test_xlsx_same_as_csv(void)
{
    _load();
    check_opts o;
    check_opts_default(&o);
    check_result x;
    iafq_error err;
    CU_ASSERT_EQUAL_FATAL(
        check_path(tu_fixture("long_sample.xlsx"), &o, &x, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(x.kind, SOURCE_LONG_XLSX);
    CU_ASSERT_EQUAL_FATAL(x.n, _n);
    size_t diff = 0, cells = 0;
    for (size_t i = 0; i < _n; i++) {
        const iafq_return *a = _v[i], *b = x.v[i];
        CU_ASSERT_STRING_EQUAL(a->country, b->country);
        CU_ASSERT_EQUAL(a->year, b->year);
        CU_ASSERT_EQUAL(a->findings.nerr, b->findings.nerr);
        CU_ASSERT_EQUAL(a->findings.nwarn, b->findings.nwarn);
        for (int t = 0; t < TBL__COUNT; t++) {
            const schema_table *st = &schema_tables[t];
            if (st->free_rows)
                continue;
            for (int r = 0; r < st->nrows; r++)
                for (int c = 0; c < st->ncols; c++) {
                    cells++;
                    diff += !_same_value(&a->t[t].rows[r].v[c],
                                         &b->t[t].rows[r].v[c]);
                }
        }
    }
    CU_ASSERT_EQUAL(diff, 0);
    CU_ASSERT_TRUE(cells > 10000);
    check_result_release(&x);
}

/* ---- memory: a return holds only the tables it has ---- */

static void test_sized_to_content(void)
{
    /* the fixed part of a return is small (it was 125,904 bytes) */
    CU_ASSERT_TRUE(sizeof(iafq_return) < 4096);
    _load();
    const iafq_return *bra = _find("BRA", 2018);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bra);
    size_t used = 0;
    for (int t = 0; t < TBL__COUNT; t++) {
        /* a table is allocated exactly when the file had a row of it */
        CU_ASSERT_EQUAL(ret_table_used(bra, (table_id)t), bra->t[t].present);
        used += ret_table_used(bra, (table_id)t);
    }
    CU_ASSERT_TRUE(used >= 1);
    CU_ASSERT_FALSE(ret_table_used(bra, TBL_COVER)); /* never published */
    /* an unused table still reads as blank */
    const ret_value *v = ret_cell_c(bra, TBL_COVER, "YEAR", "VALUE");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_FALSE(v->avail);
    CU_ASSERT_EQUAL(v->col, -1);
}

static int _cleanup(void)
{
    for (size_t i = 0; i < _n; i++)
        ret_free(_v[i]);
    free(_v);
    _v = NULL;
    _n = 0;
    return 0;
}

static const tu_test tests[] = {
    {"real extract reads with no errors", test_real_extract_reads_clean},
    {"real extract values and sources", test_real_extract_values},
    {"by-location Totals go to their group", test_by_location_totals},
    {"crafted file: unknown keys, bad values, countries", test_crafted},
    {"row reader: fields by name, row numbers", test_row_reader},
    {"the .xlsx long format reads as the CSV", test_xlsx_same_as_csv},
    {"returns sized to what they hold", test_sized_to_content},
    {NULL, NULL}};
static const tu_suite suites[] = {{"longfmt", tests}, {NULL, NULL}};

int main(void)
{
    int rc = tu_run("longfmt", suites);
    _cleanup();
    return rc;
}
