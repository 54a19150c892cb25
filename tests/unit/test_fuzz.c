/* Mutation tests of the whole check pipeline: a valid return, damaged in
 * many seeded ways (bytes flipped, cut, markup injected, inside the sheet
 * XML of a re-zipped workbook and inside CSV files), must always give a
 * report: valid, or rejected with findings, never a crash, a hang or an
 * internal error.  Run under ASan/UBSan by `make test-asan`. */
#include "check.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* IAFQ_FUZZ_ROUNDS and IAFQ_FUZZ_SEED make a longer or different run */
static int ROUNDS = 400;

static uint64_t _seed = 0x1AF0u;

static uint32_t _rand(void)
{
    _seed = _seed * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(_seed >> 33);
}

static const char *const _inject[] = {"<",
                                      ">",
                                      "&",
                                      "&amp;",
                                      "\"",
                                      "'",
                                      "</c>",
                                      "<c r=\"ZZZ9\">",
                                      "<v>",
                                      "</row>",
                                      "<row r=\"0\">",
                                      "&#0;",
                                      "\xff\xfe",
                                      "\xc3",
                                      "]]>",
                                      "<!DOCTYPE x>",
                                      "<v>1e308</v>",
                                      "t=\"s\"",
                                      "<v>-1</v>",
                                      "\n",
                                      ",",
                                      ";",
                                      "\"\"",
                                      "CODE",
                                      "TOTAL",
                                      "r=\"A1048577\""};

/* Damage buf[0..n) in place or by growing it; returns the new length. */
static size_t _mutate(char **buf, size_t n)
{
    int kind = (int)(_rand() % 4);
    size_t at = n ? _rand() % n : 0;
    if (kind == 0 && n) { /* flip bytes */
        for (int i = 0; i < 1 + (int)(_rand() % 8); i++)
            (*buf)[_rand() % n] ^= (char)(1u << (_rand() % 8));
        return n;
    }
    if (kind == 1) /* cut */
        return at;
    if (kind == 2 && n > 16) { /* delete a span */
        size_t len = 1 + _rand() % 64;
        if (at + len > n)
            len = n - at;
        memmove(*buf + at, *buf + at + len, n - at - len);
        return n - len;
    }
    const char *s = _inject[_rand() % (sizeof _inject / sizeof *_inject)];
    size_t k = strlen(s);
    char *nb = realloc(*buf, n + k + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nb);
    memmove(nb + at + k, nb + at, n - at);
    memcpy(nb + at, s, k);
    *buf = nb;
    return n + k;
}

/* A copy of orig[0..len) damaged 1 to 3 times; its length in *out_len. */
static char *_damaged(const char *orig, size_t len, size_t *out_len)
{
    char *d = malloc(len + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    memcpy(d, orig, len);
    for (int k = 0; k < 1 + (int)(_rand() % 3); k++)
        len = _mutate(&d, len);
    *out_len = len;
    return d;
}

typedef struct {
    char *name;
    char *data;
    size_t len;
} _entry;

static size_t _load_zip(const char *path, _entry *e, size_t max)
{
    int zerr;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    size_t n = 0;
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0) && n < max; i++) {
        zip_stat_t st;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st))
            continue;
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        e[n].name = strdup(st.name);
        e[n].data = malloc(st.size + 1);
        e[n].len = (size_t)st.size;
        CU_ASSERT_EQUAL(zip_fread(f, e[n].data, st.size), (zip_int64_t)st.size);
        zip_fclose(f);
        n++;
    }
    zip_close(z);
    return n;
}

static void _write_zip(const char *path, _entry *e, size_t n, size_t victim,
                       char *vdata, size_t vlen)
{
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    for (size_t i = 0; i < n; i++) {
        const char *d = i == victim ? vdata : e[i].data;
        size_t len = i == victim ? vlen : e[i].len;
        zip_source_t *s = zip_source_buffer(z, d, len, 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT_TRUE(zip_file_add(z, e[i].name, s, ZIP_FL_OVERWRITE) >= 0);
    }
    CU_ASSERT_EQUAL(zip_close(z), 0);
}

/* The pipeline's answer to one damaged input. */
static void _check_once(const char *path, int *valid, int *rejected)
{
    check_opts o;
    check_opts_default(&o);
    check_result res;
    iafq_error err = {0};
    iafq_err e = check_path(path, &o, &res, &err);
    /* never an internal failure: a report, or a path error for a vanished
     * file (which cannot happen here) */
    CU_ASSERT_EQUAL(e, IAFQ_OK);
    if (e)
        fprintf(stderr, "fuzz: %s: %s\n", path, err.msg);
    else {
        CU_ASSERT_TRUE(res.n >= 1);
        for (size_t i = 0; i < res.n; i++) {
            const iafq_return *r = res.v[i];
            if (check_valid(r))
                (*valid)++;
            else {
                (*rejected)++;
                CU_ASSERT_TRUE(r->findings.n >= 1); /* a reason is given */
            }
        }
    }
    check_result_release(&res);
}

static void test_fuzz_workbook(void)
{
    _entry e[64];
    size_t n = _load_zip(tu_fixture("good.xlsx"), e, 64);
    CU_ASSERT_TRUE_FATAL(n >= 10);
    char out[512];
    snprintf(out, sizeof out, "%s/fuzz.xlsx", tu_tmpdir());
    int valid = 0, rejected = 0;
    for (int round = 0; round < ROUNDS; round++) {
        size_t victim = _rand() % n;
        size_t len;
        char *d = _damaged(e[victim].data, e[victim].len, &len);
        _write_zip(out, e, n, victim, d, len);
        free(d);
        _check_once(out, &valid, &rejected);
    }
    /* damage is mostly caught; some mutations are harmless (a title) */
    printf("fuzz: workbook: %d valid, %d rejected\n", valid, rejected);
    CU_ASSERT_TRUE(rejected > ROUNDS / 3);
    CU_ASSERT_EQUAL(valid + rejected, ROUNDS);
    for (size_t i = 0; i < n; i++) {
        free(e[i].name);
        free(e[i].data);
    }
}

static char *_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    CU_ASSERT_EQUAL(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void _write_file(const char *path, const char *d, size_t len)
{
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(d, 1, len, f), len);
    CU_ASSERT_EQUAL(fclose(f), 0);
}

static void test_fuzz_csv(void)
{
    static const char *const tables[] = {"COVER.csv", "T1.csv", "T8.csv",
                                         "T11.csv"};
    const char *dir = tu_tmpdir();
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp %s/*.csv %s/", tu_fixture("csv_return_utf8"),
             dir);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    int valid = 0, rejected = 0;
    for (int round = 0; round < ROUNDS; round++) {
        char path[600], orig[600];
        const char *t = tables[_rand() % 4];
        snprintf(path, sizeof path, "%s/%s", dir, t);
        snprintf(orig, sizeof orig, "%s/%s", tu_fixture("csv_return_utf8"), t);
        size_t len0, len;
        char *o = _slurp(orig, &len0);
        char *d = _damaged(o, len0, &len);
        _write_file(path, d, len);
        free(d);
        _check_once(dir, &valid, &rejected);
        _write_file(path, o, len0); /* restore for the next round */
        free(o);
    }
    printf("fuzz: csv: %d valid, %d rejected\n", valid, rejected);
    CU_ASSERT_TRUE(rejected > ROUNDS / 3);
    CU_ASSERT_EQUAL(valid + rejected, ROUNDS);
}

/* Damage the zip container itself (headers, compressed data, directory). */
static void test_fuzz_container(void)
{
    size_t len0;
    char *orig = _slurp(tu_fixture("good.xlsx"), &len0);
    char out[512];
    snprintf(out, sizeof out, "%s/container.xlsx", tu_tmpdir());
    int valid = 0, rejected = 0;
    for (int round = 0; round < ROUNDS; round++) {
        size_t len;
        char *d = _damaged(orig, len0, &len);
        _write_file(out, d, len);
        free(d);
        _check_once(out, &valid, &rejected);
    }
    printf("fuzz: container: %d valid, %d rejected\n", valid, rejected);
    CU_ASSERT_TRUE(rejected > ROUNDS / 3);
    CU_ASSERT_EQUAL(valid + rejected, ROUNDS);
    free(orig);
}

static const tu_test tests[] = {
    {"damaged workbooks always get a report", test_fuzz_workbook},
    {"damaged CSV returns always get a report", test_fuzz_csv},
    {"damaged zip containers always get a report", test_fuzz_container},
    {NULL, NULL}};
static const tu_suite suites[] = {{"fuzz", tests}, {NULL, NULL}};

int main(void)
{
    const char *r = getenv("IAFQ_FUZZ_ROUNDS"), *sd = getenv("IAFQ_FUZZ_SEED");
    if (r && atoi(r) > 0)
        ROUNDS = atoi(r);
    if (sd)
        _seed = strtoull(sd, NULL, 0);
    return tu_run("fuzz", suites);
}
