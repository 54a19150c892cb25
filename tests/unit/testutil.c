#include "testutil.h"

#include "xlsx.h"

#include <CUnit/Basic.h>
#include <ftw.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>
#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------- suite setup and teardown */

static const char *_module = "test";
static char _suite_dir[512];
static char _fresh[600];
static void (*_hooks[8])(void);
static int _nhooks;

static const char *_tmp_root(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

static int _rm_one(const char *path, const struct stat *st, int flag,
                   struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if ((flag == FTW_DP ? rmdir(path) : unlink(path)) != 0)
        fprintf(stderr, "testutil: cannot remove %s\n", path);
    return 0;
}

static void _rm_tree(const char *dir)
{
    nftw(dir, _rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int _suite_init(void)
{
    snprintf(_suite_dir, sizeof _suite_dir, "%s/iafq-unit-%s-XXXXXX",
             _tmp_root(), _module);
    if (!mkdtemp(_suite_dir)) {
        _suite_dir[0] = '\0';
        return 1; /* CUnit reports the suite as failed to initialise */
    }
    return 0;
}

static int _suite_cleanup(void)
{
    int rc = 0;
    if (_suite_dir[0]) {
        _rm_tree(_suite_dir);
        if (access(_suite_dir, F_OK) == 0)
            rc = 1; /* still there: CUnit counts a cleanup failure */
        _suite_dir[0] = '\0';
    }
    for (int i = 0; i < _nhooks; i++)
        _hooks[i]();
    _nhooks = 0;
    return rc;
}

void tu_on_teardown(void (*fn)(void))
{
    if (_nhooks < 8)
        _hooks[_nhooks++] = fn;
}

/* A test that runs outside a suite (none today) still gets a folder. */
static void _atexit_rm(void)
{
    _suite_cleanup();
}

const char *tu_suite_tmpdir(void)
{
    if (!_suite_dir[0] && _suite_init() == 0)
        atexit(_atexit_rm);
    return _suite_dir[0] ? _suite_dir : _tmp_root();
}

const char *tu_tmpdir(void)
{
    snprintf(_fresh, sizeof _fresh, "%s/t-XXXXXX", tu_suite_tmpdir());
    if (!mkdtemp(_fresh))
        return tu_suite_tmpdir();
    return _fresh;
}

int tu_in_child(int (*fn)(void *), void *arg, long *peak_kb)
{
    *peak_kb = -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        _exit(fn(arg) & 0xff);
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *peak_kb = ru.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int tu_asan(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 1;
#else
    return 0;
#endif
}

/* ------------------------------------------------------------ the runner */

int tu_run(const char *module, const tu_suite *suites)
{
    _module = module;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 3;
    for (const tu_suite *s = suites; s->name; s++) {
        CU_pSuite cs = CU_add_suite(s->name, _suite_init, _suite_cleanup);
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
    unsigned setup_failed = CU_get_number_of_suites_failed();
    CU_ErrorCode fw = CU_get_error();
    CU_cleanup_registry();
    printf("%s: %u tests, %u failed\n", module, ran, tests_failed);
    if (fw != CUE_SUCCESS)
        return 3;
    return (failures > 0 || setup_failed > 0 || ran == 0) ? 1 : 0;
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
    const char *root = getenv("IAFQ_SRC_ROOT"); /* a runner that chdir'd */
    if (root && *root && rel[0] != '/')
        snprintf(buf, sizeof buf, "%s/%s", root, rel);
    else
        snprintf(buf, sizeof buf, "%s", rel);
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

void tu_zip_add(zip_t *za, const char *name, const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    memcpy(copy, data, len);
    zip_source_t *src = zip_source_buffer(za, copy, len, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(src);
    CU_ASSERT_FATAL(zip_file_add(za, name, src, ZIP_FL_OVERWRITE) >= 0);
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
