/*
 * zipguard.c - libzip behind the limits of iafq_limits (see zipguard.h).
 *
 * The file is opened and checked (regular file, size) before libzip sees it,
 * and handed over as a file descriptor so that what was checked is what is
 * read.  Every entry read counts the bytes really inflated: neither the sizes
 * claimed by the archive nor its CRC are trusted for the limits.
 */
#include "zipguard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

typedef struct {
    const char *name;
    size_t idx;
} _iname;

struct zipg {
    zip_t *za;
    iafq_limits lim;
    uint64_t file_bytes;
    size_t count;
    /* entries sorted by name ignoring case, built on the first search that
     * ignores case (libzip's own is a linear scan: a workbook of many
     * sheets would be read in quadratic time) */
    _iname *icase;
};

struct zipg_entry {
    zip_file_t *zf;
    const zipg *z;
    const char *name;
    uint64_t comp;     /* compressed size, bounded by the file size */
    uint64_t inflated; /* bytes handed out so far */
};

/* A libzip error code into our code: damaged or unsupported archives are
 * input errors (E-FILE), everything else is a libzip failure. */
static iafq_err _zip_code(int ze)
{
    switch (ze) {
    case ZIP_ER_NOZIP:
    case ZIP_ER_INCONS:
    case ZIP_ER_COMPNOTSUPP:
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
        return IAFQ_ERR_FORMAT;
    case ZIP_ER_MEMORY:
        return IAFQ_ERR_NOMEM;
    default:
        return IAFQ_ERR_ZIP;
    }
}

/* The same for a zip_error_t, where running out of memory can also show as
 * zlib's Z_MEM_ERROR: out of memory is never a damaged input. */
static iafq_err _zip_err(zip_error_t *ze)
{
    int code = zip_error_code_zip(ze);
    if (code == ZIP_ER_ZLIB && zip_error_code_system(ze) == Z_MEM_ERROR)
        return IAFQ_ERR_NOMEM;
    return _zip_code(code);
}

static int _is_encryption_error(int ze)
{
    return ze == ZIP_ER_ENCRNOTSUPP || ze == ZIP_ER_NOPASSWD ||
           ze == ZIP_ER_WRONGPASSWD;
}

iafq_err zipg_open(const char *path, const iafq_limits *lim, zipg **out,
                   iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    FILE *fp = NULL;
    int fd = -1;
    zipg *z = NULL;
    struct stat st;

    *out = NULL;
    fp = fopen(path, "rb");
    if (!fp) {
        rc = iafq_error_set(err, iafq_err_open(errno), "cannot open '%s': %s",
                            path, strerror(errno));
        goto cleanup;
    }
    if (fstat(fileno(fp), &st) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_IO, "cannot read '%s': %s", path,
                            strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = iafq_error_set(err, IAFQ_ERR_IO, "'%s' is not a regular file",
                            path);
        goto cleanup;
    }
    if ((uint64_t)st.st_size > lim->max_file_bytes) {
        rc = iafq_error_set(err, IAFQ_ERR_LIMIT,
                            "'%s' is %llu bytes, more than the limit of %llu",
                            path, (unsigned long long)st.st_size,
                            (unsigned long long)lim->max_file_bytes);
        goto cleanup;
    }
    if (st.st_size == 0) {
        rc = iafq_error_set(err, IAFQ_ERR_FORMAT,
                            "'%s' is empty, not a zip archive", path);
        goto cleanup;
    }
    z = calloc(1, sizeof *z);
    if (!z) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    z->lim = *lim;
    z->file_bytes = (uint64_t)st.st_size;

    fd = dup(fileno(fp));
    if (fd < 0) {
        rc = iafq_error_set(err, IAFQ_ERR_IO, "cannot read '%s': %s", path,
                            strerror(errno));
        goto cleanup;
    }
    int ze = 0;
    errno = 0;
    z->za = zip_fdopen(fd, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!z->za) {
        zip_error_t ze_t;
        zip_error_init_with_code(&ze_t, ze);
        /* libzip reports some failed allocations as "Not a zip archive":
         * malloc's ENOMEM tells them apart (found by tests/fault) */
        iafq_err code = errno == ENOMEM ? IAFQ_ERR_NOMEM : _zip_code(ze);
        if (ze == ZIP_ER_NOZIP)
            rc = iafq_error_set(err, code,
                                "'%s' is not a zip archive (nor an .xlsx "
                                "workbook): %s",
                                path, zip_error_strerror(&ze_t));
        else
            rc = iafq_error_set(err, code,
                                "'%s' is a damaged or unsupported zip "
                                "archive: %s",
                                path, zip_error_strerror(&ze_t));
        zip_error_fini(&ze_t);
        goto cleanup; /* fd still ours: closed below */
    }
    fd = -1; /* owned by libzip now */

    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n < 0) {
        rc = iafq_error_set(err, IAFQ_ERR_ZIP, "'%s': %s", path,
                            zip_error_strerror(zip_get_error(z->za)));
        goto cleanup;
    }
    if ((uint64_t)n > lim->max_entries) {
        rc = iafq_error_set(err, IAFQ_ERR_LIMIT,
                            "'%s' holds %lld files, more than the limit of %u",
                            path, (long long)n, (unsigned)lim->max_entries);
        goto cleanup;
    }
    z->count = (size_t)n;
    *out = z;
    z = NULL;

cleanup:
    if (fd >= 0)
        close(fd);
    if (fp)
        fclose(fp);
    zipg_close(z);
    return rc;
}

void zipg_close(zipg *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za);
    free(z->icase);
    free(z);
}

size_t zipg_count(const zipg *z)
{
    return z ? z->count : 0;
}

const char *zipg_name(const zipg *z, size_t i)
{
    if (!z || i >= z->count)
        return NULL;
    return zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
}

static int _cmp_icase(const void *a, const void *b)
{
    const _iname *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx); /* first first */
}

/* Build the case-insensitive index; -1 when out of memory. */
static int _icase_build(zipg *z)
{
    z->icase = malloc((z->count ? z->count : 1) * sizeof *z->icase);
    if (!z->icase)
        return -1;
    for (size_t i = 0; i < z->count; i++) {
        const char *n = zipg_name(z, i);
        z->icase[i] = (_iname){n ? n : "", i};
    }
    qsort(z->icase, z->count, sizeof *z->icase, _cmp_icase);
    return 0;
}

long zipg_find(const zipg *z, const char *name, int icase)
{
    if (!z || !name)
        return -1;
    if (icase) {
        zipg *mz = (zipg *)z; /* the index is a cache */
        if (!mz->icase && _icase_build(mz) != 0)
            icase = 1; /* no memory for it: let libzip scan */
        else {
            size_t lo = 0, hi = z->count;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcasecmp(z->icase[mid].name, name) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < z->count && strcasecmp(z->icase[lo].name, name) == 0)
                return (long)z->icase[lo].idx;
            return -1;
        }
    }
    zip_int64_t i = zip_name_locate(z->za, name, icase ? ZIP_FL_NOCASE : 0);
    if (i < 0 || (uint64_t)i >= z->count)
        return -1;
    return (long)i;
}

iafq_err zipg_entry_open(zipg *z, size_t i, zipg_entry **out, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    zipg_entry *e = NULL;
    zip_stat_t st;

    *out = NULL;
    if (!z || i >= z->count)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL, "zip entry %zu absent",
                              i);
    e = calloc(1, sizeof *e);
    if (!e) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    e->z = z;
    e->name = zipg_name(z, i);
    if (!e->name)
        e->name = "?";
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0) {
        zip_error_t *ze = zip_get_error(z->za);
        rc = iafq_error_set(err, _zip_err(ze), "zip entry '%s': %s", e->name,
                            zip_error_strerror(ze));
        goto cleanup;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
        st.encryption_method != ZIP_EM_NONE) {
        rc = iafq_error_set(err, IAFQ_ERR_FORMAT,
                            "zip entry '%s' is encrypted (password-protected "
                            "files cannot be read)",
                            e->name);
        goto cleanup;
    }
    e->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (e->comp > z->file_bytes)
        e->comp = z->file_bytes;
    e->zf = zip_fopen_index(z->za, (zip_uint64_t)i, 0);
    if (!e->zf) {
        zip_error_t *ze = zip_get_error(z->za);
        int code = zip_error_code_zip(ze);
        if (_is_encryption_error(code))
            rc = iafq_error_set(err, IAFQ_ERR_FORMAT,
                                "zip entry '%s' is encrypted: %s", e->name,
                                zip_error_strerror(ze));
        else
            rc = iafq_error_set(err, _zip_err(ze),
                                "cannot read zip entry '%s': %s", e->name,
                                zip_error_strerror(ze));
        goto cleanup;
    }
    *out = e;
    e = NULL;

cleanup:
    zipg_entry_close(e);
    return rc;
}

/* inflated > comp * ratio, without overflow; a ratio of 0 means no limit. */
static int _over_ratio(uint64_t inflated, uint64_t comp, uint32_t ratio)
{
    if (ratio == 0 || comp > UINT64_MAX / ratio)
        return 0;
    return inflated > comp * (uint64_t)ratio;
}

iafq_err zipg_entry_read(zipg_entry *e, void *buf, size_t n, size_t *got,
                         iafq_error *err)
{
    *got = 0;
    if (n == 0)
        return IAFQ_OK;
    const iafq_limits *lim = &e->z->lim;
    /* Never read more than one byte past the entry limit, so that an entry
     * exactly at the limit passes and one byte more is caught. */
    uint64_t room = lim->max_entry_bytes - e->inflated + 1;
    if (e->inflated > lim->max_entry_bytes)
        room = 1;
    if ((uint64_t)n > room)
        n = (size_t)room;
    zip_int64_t r = zip_fread(e->zf, buf, (zip_uint64_t)n);
    if (r < 0) {
        zip_error_t *ze = zip_file_get_error(e->zf);
        int code = zip_error_code_zip(ze);
        iafq_err c = _zip_err(ze);
        if (c != IAFQ_ERR_NOMEM &&
            (code == ZIP_ER_CRC || code == ZIP_ER_READ || code == ZIP_ER_EOF ||
             code == ZIP_ER_ZLIB || code == ZIP_ER_INCONS))
            c = IAFQ_ERR_FORMAT; /* truncated or corrupt data */
        return iafq_error_set(err, c,
                              "zip entry '%s' is damaged or unreadable: %s",
                              e->name, zip_error_strerror(ze));
    }
    e->inflated += (uint64_t)r;
    if (e->inflated > lim->max_entry_bytes)
        return iafq_error_set(err, IAFQ_ERR_LIMIT,
                              "zip entry '%s' inflates to more than %llu "
                              "bytes (limit)",
                              e->name,
                              (unsigned long long)lim->max_entry_bytes);
    if (e->inflated > LIMITS_RATIO_GRACE_BYTES &&
        _over_ratio(e->inflated, e->comp, lim->max_ratio))
        return iafq_error_set(err, IAFQ_ERR_LIMIT,
                              "zip entry '%s' inflates more than %u times "
                              "its compressed size (%llu bytes): a zip bomb?",
                              e->name, (unsigned)lim->max_ratio,
                              (unsigned long long)e->comp);
    *got = (size_t)r;
    return IAFQ_OK;
}

void zipg_entry_close(zipg_entry *e)
{
    if (!e)
        return;
    if (e->zf)
        zip_fclose(e->zf);
    free(e);
}

iafq_err zipg_entry_slurp(zipg *z, size_t i, size_t max, char **buf,
                          size_t *len, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    zipg_entry *e = NULL;
    char *b = NULL;
    size_t n = 0, cap = 0;

    *buf = NULL;
    if (len)
        *len = 0;
    rc = zipg_entry_open(z, i, &e, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    if (max > SIZE_MAX - 2)
        max = SIZE_MAX - 2;
    for (;;) {
        /* Invariant: n <= max; keep room for one byte past max and the NUL. */
        if (cap - n <= 1) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > max + 2 || ncap < cap)
                ncap = max + 2;
            char *nb = realloc(b, ncap);
            if (!nb) {
                rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
            b = nb;
            cap = ncap;
        }
        size_t got = 0;
        rc = zipg_entry_read(e, b + n, cap - n - 1, &got, err);
        if (rc != IAFQ_OK)
            goto cleanup;
        if (got == 0)
            break;
        n += got;
        if (n > max) {
            rc = iafq_error_set(err, IAFQ_ERR_LIMIT,
                                "zip entry '%s' is larger than %zu bytes "
                                "(limit)",
                                zipg_name(z, i), max);
            goto cleanup;
        }
    }
    b[n] = '\0';
    *buf = b;
    b = NULL;
    if (len)
        *len = n;

cleanup:
    free(b);
    zipg_entry_close(e);
    return rc;
}
