#include "testutil.h"

#include "xlsx.h"

#include <CUnit/Basic.h>
#include <string.h>
#include <zip.h>
#include <stdio.h>
#include <stdlib.h>

int tu_run(const char *module, const tu_suite *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 3;
    for (const tu_suite *s = suites; s->name; s++) {
        CU_pSuite cs = CU_add_suite(s->name, NULL, NULL);
        if (!cs) {
            CU_cleanup_registry();
            return 3;
        }
        for (const tu_test *t = s->tests; t->name; t++)
            if (!CU_add_test(cs, t->name, t->fn)) {
                CU_cleanup_registry();
                return 3;
            }
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_ErrorCode fw = CU_get_error();
    CU_cleanup_registry();
    printf("%s: %u tests, %u failed\n", module, ran, tests_failed);
    if (fw != CUE_SUCCESS)
        return 3;
    return (failures > 0 || ran == 0) ? 1 : 0;
}

const char *tu_fixture(const char *name)
{
    static char buf[4096];
    const char *dir = getenv("IAFQ_FIXTURES");
    snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "build/fixtures", name);
    return buf;
}

const char *tu_src(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s", rel);
    return buf;
}

const char *tu_tmpdir(void)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "/tmp/iafq-test-XXXXXX");
    if (!mkdtemp(buf))
        return "/tmp";
    return buf;
}

/* ------------------------------------------------- a workbook read back */

static iafq_err _b_sheet(void *ud, const char *name, int *skip, iafq_error *err)
{
    tu_book *b = ud;
    (void)skip;
    if (b->n >= TU_MAX_SHEETS)
        return iafq_error_set(err, IAFQ_ERR_LIMIT, "too many sheets");
    b->s[b->n].name = strdup(name);
    b->n++;
    return IAFQ_OK;
}

static iafq_err _b_cell(void *ud, const cell *c, iafq_error *err)
{
    tu_book *b = ud;
    tu_sheet *s = &b->s[b->n - 1];
    if (c->kind == CELL_BLANK)
        return IAFQ_OK;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->cells = realloc(s->cells, s->cap * sizeof *s->cells);
        if (!s->cells)
            return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    s->cells[s->n++] =
        (tu_cell){c->row, c->col, c->kind, c->num, c->is_date, strdup(c->text)};
    return IAFQ_OK;
}

void tu_book_free(tu_book *b)
{
    for (int i = 0; i < b->n; i++) {
        for (size_t j = 0; j < b->s[i].n; j++)
            free(b->s[i].cells[j].text);
        free(b->s[i].cells);
        free(b->s[i].name);
    }
    memset(b, 0, sizeof *b);
}

int tu_book_read(const char *path, tu_book *b)
{
    iafq_limits lim;
    iafq_error e;
    limits_default(&lim);
    memset(b, 0, sizeof *b);
    cell_sink sink = {_b_sheet, _b_cell, NULL, NULL, b};
    iafq_err rc = xlsx_read(path, &lim, &sink, &e);
    if (rc != IAFQ_OK)
        fprintf(stderr, "xlsx_read: %s\n", e.msg);
    return rc == IAFQ_OK ? 0 : -1;
}

const tu_sheet *tu_book_sheet(const tu_book *b, const char *name)
{
    for (int i = 0; i < b->n; i++)
        if (strcmp(b->s[i].name, name) == 0)
            return &b->s[i];
    return NULL;
}

const tu_cell *tu_sheet_cell(const tu_sheet *s, uint32_t row, uint32_t col)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (s->cells[i].row == row && s->cells[i].col == col)
            return &s->cells[i];
    return NULL;
}

const char *tu_sheet_text(const tu_sheet *s, uint32_t row, uint32_t col)
{
    const tu_cell *c = tu_sheet_cell(s, row, col);
    return c ? c->text : NULL;
}

char *tu_zip_part(const char *path, const char *part)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    char *buf = NULL;
    if (!z)
        return NULL;
    zip_stat_t st;
    if (zip_stat(z, part, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) {
        zip_file_t *f = zip_fopen(z, part, 0);
        if (f) {
            buf = calloc(1, (size_t)st.size + 1);
            if (buf && zip_fread(f, buf, st.size) != (zip_int64_t)st.size) {
                free(buf);
                buf = NULL;
            }
            zip_fclose(f);
        }
    }
    zip_close(z);
    return buf;
}

/* Every comments part of a workbook, concatenated (caller frees). */
