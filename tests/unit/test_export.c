/*
 * test_export.c - the pure parts of the exports: the RFC 4180 writer
 * (export/csvw.c) fed with hostile rows (quotes, separators, line breaks,
 * formula-like text, invalid UTF-8), its errors on a full disk, the SDMX
 * REF_AREA code, exp_formula_like, and the temporary file renamed into
 * place (export/exp.c).
 */
#include "testutil.h"

#include "csvw.h"
#include "exp.h"
#include "sdmx.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The bytes of a file (malloc'd, NUL-terminated); *n its size. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    *n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    if (buf)
        buf[*n] = '\0';
    fclose(f);
    return buf;
}

/* One row of fields written to a fresh file; the file's bytes. */
static char *write_row(const char *const *vals, const size_t *lens,
                       const unsigned *flags, int n, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/row.csv", tu_tmpdir());
    csvw *w = NULL;
    iafq_error err = {0};
    CU_ASSERT_EQUAL_FATAL(csvw_open(path, NULL, &w, &err), IAFQ_OK);
    for (int i = 0; i < n; i++)
        CU_ASSERT_EQUAL(csvw_field(w, vals[i], lens[i], flags[i]), 0);
    CU_ASSERT_EQUAL(csvw_end(w), 0);
    CU_ASSERT_EQUAL(csvw_close(w, &err), IAFQ_OK);
    return slurp(path, len);
}

static void test_quoting(void)
{
    const char *vals[] = {"plain", "a,b", "say \"hi\"", "two\r\nlines",
                          "",      NULL,  "12.5"};
    size_t lens[7];
    unsigned flags[] = {CSVW_TEXT, CSVW_TEXT, CSVW_TEXT, CSVW_TEXT,
                        CSVW_TEXT, CSVW_TEXT, 0};
    for (int i = 0; i < 7; i++)
        lens[i] = vals[i] ? strlen(vals[i]) : 0;
    size_t n = 0;
    char *got = write_row(vals, lens, flags, 7, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    /* RFC 4180: quoted when holding , " CR LF (quotes doubled); an empty
     * text is "", a missing value nothing; CRLF ends the record */
    CU_ASSERT_STRING_EQUAL(got, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\n"
                                "lines\",\"\",,12.5\r\n");
    free(got);
}

static void test_formula(void)
{
    /* text a spreadsheet would run gets an apostrophe; a number (no flag)
     * is written as it is, a negative one included */
    const char *vals[] = {"=HYPERLINK(\"http://x\",\"y\")",
                          "+1",
                          "-2+3",
                          "@SUM(A1)",
                          "\tTAB",
                          "\rCR",
                          "-5",
                          "a=b"};
    size_t lens[8];
    unsigned flags[] = {CSVW_TEXT, CSVW_TEXT, CSVW_TEXT, CSVW_TEXT,
                        CSVW_TEXT, CSVW_TEXT, 0,         CSVW_TEXT};
    for (int i = 0; i < 8; i++)
        lens[i] = strlen(vals[i]);
    size_t n = 0;
    char *got = write_row(vals, lens, flags, 8, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_STRING_EQUAL(got, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
                                "'+1,'-2+3,'@SUM(A1),'\tTAB,\"'\rCR\",-5,a=b"
                                "\r\n");
    free(got);
    CU_ASSERT_TRUE(exp_formula_like("=1"));
    CU_ASSERT_TRUE(exp_formula_like("\r"));
    CU_ASSERT_FALSE(exp_formula_like(" =1"));
    CU_ASSERT_FALSE(exp_formula_like(""));
    CU_ASSERT_FALSE(exp_formula_like(NULL));
}

static void test_utf8(void)
{
    /* invalid bytes in text become U+FFFD; valid text is kept as it is */
    const char *vals[] = {"C\xF4te",
                          "Cura\xC3\xA7"
                          "ao",
                          "\xED\xA0\x80"};
    size_t lens[3];
    unsigned flags[] = {CSVW_TEXT, CSVW_TEXT, CSVW_TEXT};
    for (int i = 0; i < 3; i++)
        lens[i] = strlen(vals[i]);
    size_t n = 0;
    char *got = write_row(vals, lens, flags, 3, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_TRUE(utf8_valid(got, n));
    CU_ASSERT_STRING_EQUAL(got, "C\xEF\xBF\xBDte,Cura\xC3\xA7"
                                "ao,"
                                "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\r\n");
    free(got);
}

static void test_full_disk(void)
{
    /* /dev/full: every write fails with ENOSPC; the writer says so, with
     * the path, at the latest when closing */
    csvw *w = NULL;
    iafq_error err = {0};
    CU_ASSERT_EQUAL_FATAL(csvw_open("/dev/full", NULL, &w, &err), IAFQ_OK);
    for (int i = 0; i < 10000; i++) {
        csvw_str(w, "a field of some length to fill the buffer", CSVW_TEXT);
        csvw_end(w);
    }
    CU_ASSERT_EQUAL(csvw_end(w), -1); /* sticky */
    CU_ASSERT_EQUAL(csvw_close(w, &err), IAFQ_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/dev/full"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No space left on device"));
    /* a path that cannot be created */
    CU_ASSERT_EQUAL(csvw_open("/nonexistent-dir/x.csv", NULL, &w, &err),
                    IAFQ_ERR_IO);
    CU_ASSERT_PTR_NULL(w);
    CU_ASSERT_EQUAL(csvw_close(NULL, &err), IAFQ_OK);
}

static void test_ref_area(void)
{
    char out[16];
    static const char *const cases[][2] = {
        {"076", "76"}, {"008", "8"}, {"001", "1"}, {"419", "419"},
        {"053", "53"}, {"000", "0"}, {"4", "4"},   {"", ""}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sdmx_ref_area(cases[i][0], out, sizeof out);
        CU_ASSERT_STRING_EQUAL(out, cases[i][1]);
    }
}

static void test_temp_commit(void)
{
    const char *dir = tu_tmpdir();
    char tmp[4096], final[4096];
    iafq_error err = {0};
    snprintf(final, sizeof final, "%s/out.csv", dir);
    FILE *f = fopen(final, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("old", f);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(exp_temp_path(dir, "out.csv", tmp, sizeof tmp, &err),
                          IAFQ_OK);
    /* a hidden file next to the final one; the old file untouched */
    CU_ASSERT_PTR_NOT_NULL(strstr(tmp, "/.out.csv."));
    size_t n = 0;
    char *got = slurp(final, &n);
    CU_ASSERT_STRING_EQUAL(got, "old");
    free(got);
    f = fopen(tmp, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("new", f);
    fclose(f);
    CU_ASSERT_EQUAL(exp_commit_file(tmp, dir, "out.csv", &err), IAFQ_OK);
    got = slurp(final, &n);
    CU_ASSERT_STRING_EQUAL(got, "new");
    free(got);
    CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0);
    /* a folder that does not exist */
    CU_ASSERT_EQUAL(
        exp_temp_path("/nonexistent-dir", "x.csv", tmp, sizeof tmp, &err),
        IAFQ_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent-dir"));
}

/* exp_fixed: the one representation of a ratio in the CSV exports */
static void check_fixed(const char *in, const char *want)
{
    char out[64] = "untouched";
    int rc = exp_fixed(in, EXP_RATIO_SCALE, out, sizeof out);
    if (!want) {
        CU_ASSERT_EQUAL(rc, -1);
        CU_ASSERT_STRING_EQUAL(out, "untouched");
        return;
    }
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_STRING_EQUAL(out, want);
    if (rc != 0 || strcmp(out, want) != 0)
        fprintf(stderr, "exp_fixed(%s) = %s, want %s\n", in, out, want);
}

static void test_fixed(void)
{
    check_fixed("40.0000000000000000", "40.0000");
    check_fixed("13.33333333333333333300", "13.3333");
    check_fixed("83.3333333333333333", "83.3333");
    check_fixed("6.6666666666666667", "6.6667");
    check_fixed("0.00005", "0.0001");   /* half away from zero */
    check_fixed("-0.00005", "-0.0001"); /* likewise below zero */
    check_fixed("0.00004999", "0.0000");
    check_fixed("-0.00004", "0.0000"); /* no negative zero */
    check_fixed("99.99995", "100.0000");
    check_fixed("9999.99999", "10000.0000");
    check_fixed("100", "100.0000");
    check_fixed("0", "0.0000");
    check_fixed("007.5", "7.5000");
    check_fixed(".5", "0.5000");
    check_fixed("-.99999", "-1.0000");
    check_fixed("NaN", NULL);
    check_fixed("Infinity", NULL);
    check_fixed("", NULL);
    check_fixed("1.2.3", NULL);
    check_fixed("1e5", NULL);
    char tiny[8] = "x";
    CU_ASSERT_EQUAL(exp_fixed("12345.6", 4, tiny, sizeof tiny), -1);
    CU_ASSERT_EQUAL(exp_fixed("1.25", 0, tiny, sizeof tiny), 0);
    CU_ASSERT_STRING_EQUAL(tiny, "1");
    CU_ASSERT_EQUAL(exp_fixed("1.5", 0, tiny, sizeof tiny), 0);
    CU_ASSERT_STRING_EQUAL(tiny, "2");
    CU_ASSERT_TRUE(exp_ratio_column("share_pct"));
    CU_ASSERT_TRUE(exp_ratio_column("share_pct_mean"));
    CU_ASSERT_TRUE(exp_ratio_column("value"));
    CU_ASSERT_FALSE(exp_ratio_column("numerator"));
    CU_ASSERT_FALSE(exp_ratio_column("n"));
    CU_ASSERT_FALSE(exp_ratio_column(NULL));
    CU_ASSERT_STRING_EQUAL(exp_bool_word("t"), "true");
    CU_ASSERT_STRING_EQUAL(exp_bool_word("f"), "false");
}

static const tu_test csv_tests[] = {
    {"RFC 4180 quoting, empty and missing", test_quoting},
    {"formula-like text neutralised, numbers kept", test_formula},
    {"valid UTF-8 whatever the input", test_utf8},
    {"a full disk is an error naming the file", test_full_disk},
    {NULL, NULL}};
static const tu_test exp_tests[] = {
    {"SDMX REF_AREA without leading zeros", test_ref_area},
    {"temporary file renamed into place", test_temp_commit},
    {"ratios at a fixed scale, booleans as words", test_fixed},
    {NULL, NULL}};
static const tu_suite suites[] = {
    {"csvw", csv_tests}, {"exp", exp_tests}, {NULL, NULL}};

int main(void)
{
    return tu_run("export", suites);
}
