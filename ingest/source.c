#include "source.h"

#include "csvin.h"
#include "i18n.h"
#include "schema.h"
#include "str.h"
#include "xlsx.h"
#include "zipguard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int source_csv_table(const char *filename)
{
    const char *b = str_base(filename);
    size_t n = strlen(b);
    if (n < 5 || str_icmp(b + n - 4, ".csv") != 0)
        return -1;
    char stem[64];
    if (n - 4 >= sizeof stem)
        return -1;
    memcpy(stem, b, n - 4);
    stem[n - 4] = '\0';
    for (int i = 0; i < TBL__COUNT; i++)
        if (str_icmp(stem, schema_tables[i].code) == 0)
            return i;
    return -1;
}

/* ------------------------------------------------------------ detection */

static const unsigned char _ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0,
                                            0xA1, 0xB1, 0x1A, 0xE1};

static int _dir_has_tables(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int found = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (source_csv_table(de->d_name) >= 0) {
            found = 1;
            break;
        }
    closedir(d);
    return found;
}

/* Does the head of a text file look like the portal long format? */
static int _looks_long(const unsigned char *buf, size_t n)
{
    /* strip NULs (UTF-16) and compare case-insensitively */
    char tmp[4096];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof tmp; i++)
        if (buf[i])
            tmp[k++] =
                (char)((buf[i] >= 'A' && buf[i] <= 'Z') ? buf[i] + 32 : buf[i]);
    tmp[k] = '\0';
    return strstr(tmp, "iso3_code") != NULL;
}

/* ---- a workbook holding the long format ---- */

typedef struct {
    int sheets;
    int is_long;
} _peek;

#define PEEK_ROWS 20 /* the long header sits below at most a few banners */

static iafq_err _peek_stop(iafq_error *err)
{
    return iafq_error_set(err, IAFQ_ERR_ABORTED, "seen enough");
}

static iafq_err _peek_sheet(void *ud, const char *name, int *skip,
                            iafq_error *err)
{
    _peek *p = ud;
    (void)skip;
    /* only the first sheet; a return's first sheet is named after a table */
    if (p->sheets++ > 0 || schema_table_by_sheet(name) >= 0)
        return _peek_stop(err);
    return IAFQ_OK;
}

static iafq_err _peek_cell(void *ud, const cell *c, iafq_error *err)
{
    _peek *p = ud;
    if (c->row > PEEK_ROWS)
        return _peek_stop(err);
    if (c->col == 0 && c->kind == CELL_TEXT &&
        str_code_eq(c->text, "Iso3_code")) {
        p->is_long = 1;
        return _peek_stop(err);
    }
    return IAFQ_OK;
}

static iafq_err _peek_end(void *ud, iafq_error *err)
{
    (void)ud;
    return _peek_stop(err);
}

/* Whether the workbook's first sheet has the long-format header near its
 * top.  A workbook that cannot be read is left to the workbook reader. */
static iafq_err _xlsx_is_long(const char *path, const iafq_limits *lim,
                              int *is_long, iafq_error *err)
{
    _peek p = {0, 0};
    cell_sink sink = {_peek_sheet, _peek_cell, NULL, _peek_end, &p};
    iafq_error perr = {0};
    /* A return's first sheet is named after a table: known without the
     * shared strings (large in a big T11 workbook) */
    char first[256];
    iafq_err e = xlsx_first_sheet(path, lim, first, sizeof first, &perr);
    if (e == IAFQ_OK && schema_table_by_sheet(first) >= 0) {
        *is_long = 0;
        return IAFQ_OK;
    }
    e = xlsx_read(path, lim, &sink, &perr);
    *is_long = p.is_long;
    if (e == IAFQ_ERR_NOMEM || e == IAFQ_ERR_IO) {
        if (err)
            *err = perr;
        return e;
    }
    return IAFQ_OK;
}

/* The first entry of a zip that is a workbook or other spreadsheet, for a
 * message when a zip holds no table CSV file; NULL when none. */
static const char *_zip_workbook(zipg *z)
{
    static const char *const ext[] = {".xlsx", ".xlsm", ".xls", ".xlsb",
                                      ".ods"};
    for (size_t i = 0; i < zipg_count(z); i++) {
        const char *name = zipg_name(z, i);
        if (strncmp(name, "__MACOSX/", 9) == 0 || strstr(name, "/._"))
            continue;
        size_t n = strlen(name);
        for (size_t k = 0; k < sizeof ext / sizeof *ext; k++) {
            size_t m = strlen(ext[k]);
            if (n > m && str_icmp(name + n - m, ext[k]) == 0)
                return name;
        }
    }
    return NULL;
}

/* A folder: a CSV return when it holds a table CSV file. */
static iafq_err _detect_folder(const char *path, source_kind *kind,
                               iafq_error *err)
{
    int has = _dir_has_tables(path);
    if (has < 0)
        return iafq_error_set(err, iafq_err_open(errno),
                              "cannot read folder '%s': %s", path,
                              strerror(errno));
    if (!has)
        return iafq_error_set(
            err, IAFQ_ERR_FORMAT,
            "'%s' is a folder without any table CSV file (COVER.csv, "
            "T1.csv ... T11.csv)",
            path);
    *kind = SOURCE_CSV_DIR;
    return IAFQ_OK;
}

/* A zip archive: a workbook (wide or long), or a zip of table CSV files;
 * anything else is named (.xlsb, .ods, a zipped workbook). */
static iafq_err _detect_zip(const char *path, const iafq_limits *lim,
                            source_kind *kind, iafq_error *err)
{
    zipg *z = NULL;
    iafq_err e = zipg_open(path, lim, &z, err);
    if (e)
        return e;
    int xlsb = zipg_find(z, "xl/workbook.bin", 1) >= 0;
    int ods =
        zipg_find(z, "content.xml", 0) >= 0 && zipg_find(z, "mimetype", 0) >= 0;
    int has_wb = zipg_find(z, "xl/workbook.xml", 1) >= 0 ||
                 (!xlsb && zipg_find(z, "_rels/.rels", 1) >= 0);
    int has_csv = 0;
    for (size_t i = 0; i < zipg_count(z) && !has_csv; i++)
        if (source_csv_table(zipg_name(z, i)) >= 0)
            has_csv = 1;
    char inner[256] = "";
    const char *wb = _zip_workbook(z);
    if (wb)
        snprintf(inner, sizeof inner, "%s", str_base(wb));
    zipg_close(z);
    if (xlsb)
        return iafq_error_set(err, IAFQ_ERR_FORMAT,
                              N_("this is a binary workbook (.xlsb); save it "
                                 "as an Excel workbook (.xlsx)"));
    if (ods)
        return iafq_error_set(err, IAFQ_ERR_FORMAT,
                              N_("this is an OpenDocument spreadsheet (.ods); "
                                 "save it as an Excel workbook (.xlsx)"));
    if (has_wb) {
        int is_long = 0;
        e = _xlsx_is_long(path, lim, &is_long, err);
        if (e)
            return e;
        *kind = is_long ? SOURCE_LONG_XLSX : SOURCE_XLSX;
        return IAFQ_OK;
    }
    if (has_csv) {
        *kind = SOURCE_CSV_ZIP;
        return IAFQ_OK;
    }
    if (inner[0])
        return iafq_error_set(
            err, IAFQ_ERR_FORMAT,
            "the zip archive holds a workbook ('%s'), not table CSV "
            "files: send the workbook itself, not zipped (or a zip of "
            "COVER.csv, T1.csv ... T11.csv)",
            inner);
    return iafq_error_set(err, IAFQ_ERR_FORMAT,
                          N_("the zip archive holds neither a workbook nor "
                             "table CSV files (COVER.csv, T1.csv ...)"));
}

/* The input errors without values are msgids (N_): their E-FILE finding is
 * translated (validate/check.c). */
iafq_err source_detect(const char *path, const iafq_limits *lim,
                       source_kind *kind, iafq_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s': %s", path,
                              strerror(errno));
    if (S_ISDIR(st.st_mode))
        return _detect_folder(path, kind, err);
    if (!S_ISREG(st.st_mode))
        return iafq_error_set(err, IAFQ_ERR_FORMAT,
                              "'%s' is not a regular file", path);
    if (st.st_size == 0)
        return iafq_error_set(err, IAFQ_ERR_FORMAT, N_("the file is empty"));
    if ((uint64_t)st.st_size > lim->max_file_bytes)
        return iafq_error_set(
            err, IAFQ_ERR_LIMIT,
            "the file is %llu bytes, over the limit of %llu (raise it with "
            "--max-file-size)",
            (unsigned long long)st.st_size,
            (unsigned long long)lim->max_file_bytes);

    unsigned char head[4096];
    ssize_t got;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s': %s", path,
                              strerror(errno));
    got = read(fd, head, sizeof head);
    int saved = errno;
    close(fd);
    if (got < 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot read '%s': %s", path,
                              strerror(saved));
    size_t n = (size_t)got;

    if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
        return _detect_zip(path, lim, kind, err);
    if (n >= 4 && memcmp(head, "PK", 2) == 0)
        return iafq_error_set(err, IAFQ_ERR_FORMAT,
                              N_("the zip archive is empty or damaged"));
    if (n >= 8 && memcmp(head, _ole_magic, 8) == 0)
        return iafq_error_set(
            err, IAFQ_ERR_FORMAT,
            N_("this is an OLE container: a password-protected (encrypted) "
               "workbook or a legacy .xls file; save it as an .xlsx workbook "
               "without a password"));
    int utf16 = n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) ||
                           (head[0] == 0xFE && head[1] == 0xFF));
    if (!utf16 && memchr(head, 0, n))
        return iafq_error_set(
            err, IAFQ_ERR_FORMAT,
            N_("not a workbook, zip or CSV file (binary content)"));
    if (_looks_long(head, n)) {
        *kind = SOURCE_LONG;
        return IAFQ_OK;
    }
    if (source_csv_table(path) >= 0)
        return iafq_error_set(
            err, IAFQ_ERR_FORMAT,
            N_("a single table CSV file is not a return: send the folder or a "
               ".zip holding COVER.csv, T1.csv ... T11.csv"));
    return iafq_error_set(
        err, IAFQ_ERR_FORMAT,
        N_("not a workbook (.xlsx), a zip or folder of table CSV files, or a "
           "portal long-format CSV file"));
}

/* --------------------------------------------------------------- reading */

typedef struct {
    char *name; /* file name (base) */
    char *path; /* full path (dir) or entry name (zip) */
    size_t index;
    int table;
} _member;

static int _member_cmp(const void *a, const void *b)
{
    const _member *x = a, *y = b;
    if (x->table != y->table)
        return x->table - y->table;
    return strcmp(x->name, y->name);
}

static void _members_free(_member *m, size_t n)
{
    if (!m)
        return;
    for (size_t i = 0; i < n; i++) {
        free(m[i].name);
        free(m[i].path);
    }
    free(m);
}

static iafq_err _members_add(_member **m, size_t *n, size_t *cap,
                             const char *name, const char *path, size_t index,
                             int table, iafq_error *err)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        _member *nm = realloc(*m, nc * sizeof *nm);
        if (!nm)
            return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        *m = nm;
        *cap = nc;
    }
    _member *x = &(*m)[*n];
    x->name = str_dup(name);
    x->path = str_dup(path);
    x->index = index;
    x->table = table;
    if (!x->name || !x->path) {
        free(x->name);
        free(x->path);
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    (*n)++;
    return IAFQ_OK;
}

static iafq_err _read_dir(const char *path, const iafq_limits *lim,
                          const cell_sink *sink, iafq_error *err)
{
    iafq_err e = IAFQ_OK;
    _member *m = NULL;
    size_t n = 0, cap = 0;
    DIR *d = opendir(path);
    if (!d)
        return iafq_error_set(err, iafq_err_open(errno),
                              "cannot read folder '%s': %s", path,
                              strerror(errno));
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int t = source_csv_table(de->d_name);
        if (t < 0)
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, de->d_name);
        if ((e = _members_add(&m, &n, &cap, de->d_name, full, 0, t, err)))
            goto cleanup;
    }
    qsort(m, n, sizeof *m, _member_cmp);
    for (size_t i = 0; i < n; i++)
        if ((e = csvin_read_path(m[i].path, m[i].name, lim, sink, err)))
            goto cleanup;
cleanup:
    closedir(d);
    _members_free(m, n);
    return e;
}

typedef struct {
    zipg *z;
    size_t index;
    zipg_entry *e;
} _zipsrc;

static iafq_err _zip_read(void *ctx, void *buf, size_t n, size_t *got,
                          iafq_error *err)
{
    _zipsrc *s = ctx;
    return zipg_entry_read(s->e, buf, n, got, err);
}

static iafq_err _zip_rewind(void *ctx, iafq_error *err)
{
    _zipsrc *s = ctx;
    zipg_entry_close(s->e);
    s->e = NULL;
    return zipg_entry_open(s->z, s->index, &s->e, err);
}

static iafq_err _read_zip(const char *path, const iafq_limits *lim,
                          const cell_sink *sink, iafq_error *err)
{
    iafq_err e;
    _member *m = NULL;
    size_t n = 0, cap = 0;
    zipg *z = NULL;
    _zipsrc src = {0};
    if ((e = zipg_open(path, lim, &z, err)))
        return e;
    for (size_t i = 0; i < zipg_count(z); i++) {
        const char *name = zipg_name(z, i);
        if (strncmp(name, "__MACOSX/", 9) == 0 || strstr(name, "/._"))
            continue;
        int t = source_csv_table(name);
        if (t < 0)
            continue;
        if ((e = _members_add(&m, &n, &cap, str_base(name), name, i, t, err)))
            goto cleanup;
    }
    qsort(m, n, sizeof *m, _member_cmp);
    for (size_t i = 0; i < n; i++) {
        src.z = z;
        src.index = m[i].index;
        if ((e = zipg_entry_open(z, m[i].index, &src.e, err)))
            goto cleanup;
        e = csvin_read(_zip_read, _zip_rewind, &src, m[i].name, lim, sink, err);
        zipg_entry_close(src.e);
        src.e = NULL;
        if (e)
            goto cleanup;
    }
cleanup:
    zipg_entry_close(src.e);
    zipg_close(z);
    _members_free(m, n);
    return e;
}

iafq_err source_cells(const char *path, source_kind kind,
                      const iafq_limits *lim, const cell_sink *sink,
                      iafq_error *err)
{
    switch (kind) {
    case SOURCE_XLSX:
    case SOURCE_LONG_XLSX:
        return xlsx_read(path, lim, sink, err);
    case SOURCE_CSV_DIR:
        return _read_dir(path, lim, sink, err);
    case SOURCE_CSV_ZIP:
        return _read_zip(path, lim, sink, err);
    case SOURCE_LONG:
        return csvin_read_path(path, str_base(path), lim, sink, err);
    }
    return iafq_error_set(err, IAFQ_ERR_INTERNAL, "unknown source kind");
}
