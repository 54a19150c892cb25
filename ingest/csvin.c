/*
 * csvin.c - the CSV reader's driver: one untrusted CSV file to a cell_sink,
 * with libcsv (see csvin.h).
 *
 * Pipeline: raw bytes -> UTF-8 chunks of at most 64 KiB (csvin_enc: the
 * byte source, encoding detection, decoding) -> delimiter (csvin_sniff,
 * once, on the first chunks) -> quoting state machine (csvin_scan, over
 * each chunk before libcsv) -> libcsv -> cells (here).  Memory stays
 * bounded by the chunk sizes plus one field (max_cell_bytes) whatever the
 * file size.
 *
 * Quotes: libcsv runs in its lenient mode so that a quote inside an
 * unquoted field (12", 5" barrel) is a literal quote, as spreadsheet
 * programs read it; csvin_qscan stops, with the line, at what stays an
 * error: a quoted field never closed, or text right after a closing quote
 * ("a"b).
 */
#include "csvin.h"

#include "csvin_enc.h"
#include "csvin_scan.h"
#include "csvin_sniff.h"
#include "str.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_BLK (16u * 1024u) /* libcsv field buffer growth step */

/* The parse state shared with the libcsv callbacks. */
typedef struct {
    const cell_sink *sink;
    const iafq_limits *lim;
    uint64_t records; /* records completed (blank ones included) */
    uint32_t field;   /* index of the next field in the current record */
    uint32_t nfields; /* fields seen in the current record */
    int had_cells;
    int prev_term; /* terminator of the previous record */
    uint64_t ncells;
    uint64_t rec_line; /* text line where the current record starts */
    uint64_t rec_nl;   /* line breaks inside its fields so far */
    const char *name;  /* the file's name, for messages */
    iafq_err rc;       /* first failure inside a callback */
    iafq_error *err;
    char delim; /* the file's delimiter */
} _parse;

/* ---- libcsv callbacks ------------------------------------------------- */

static int _no_space(unsigned char c)
{
    (void)c;
    return 0; /* trim nothing: the validator trims */
}

/* ^[ ]*[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?[ ]*$ */
static int _is_number(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d)
        return 0;
    if (i < n && s[i] == '.') {
        d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    while (i < n && s[i] == ' ')
        i++;
    return i == n;
}

/* "10.000", "1.234" (one to three digits, '.', three digits): in a file
 * not delimited by ',' (';' and tab are what locales that write '.' as the
 * thousands separator use) the reading depends on the writer's locale, so
 * the field stays text and the rules report both readings. */
static int _locale_ambiguous(const char *s, size_t n, char delim)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    while (n > 0 && s[0] == ' ')
        s++, n--;
    if (delim == ',' || n < 5 || n > 7 || s[n - 4] != '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i != n - 4 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static void _on_field(void *field, size_t len, void *data)
{
    _parse *p = data;
    if (p->rc != IAFQ_OK)
        return;
    uint32_t col = p->field++;
    p->nfields++;
    if (len == 0 || !field)
        return;
    if (memchr(field, '\n', len) || memchr(field, '\r', len)) {
        int cr = 0;
        p->rec_nl += csvin_breaks(field, len, &cr);
    }
    uint64_t row = p->records + 1;
    char ref[16];
    if ((uint64_t)col + 1 > p->lim->max_cols) {
        p->rc =
            iafq_error_set(p->err, IAFQ_ERR_LIMIT,
                           "%s line %llu: cell in column %u of row %llu "
                           "is beyond the limit of %u columns",
                           p->name, (unsigned long long)p->rec_line, col + 1,
                           (unsigned long long)row, p->lim->max_cols);
        return;
    }
    if (row > p->lim->max_rows) {
        p->rc = iafq_error_set(p->err, IAFQ_ERR_LIMIT,
                               "%s line %llu: row %llu is beyond the limit "
                               "of %u rows",
                               p->name, (unsigned long long)p->rec_line,
                               (unsigned long long)row, p->lim->max_rows);
        return;
    }
    if (len > p->lim->max_cell_bytes) {
        p->rc = iafq_error_set(p->err, IAFQ_ERR_LIMIT,
                               "%s line %llu: cell %s holds %zu bytes, over "
                               "the limit of %u bytes",
                               p->name, (unsigned long long)p->rec_line,
                               cells_ref((uint32_t)row, col, ref), len,
                               p->lim->max_cell_bytes);
        return;
    }
    if (++p->ncells > p->lim->max_cells) {
        p->rc = iafq_error_set(p->err, IAFQ_ERR_LIMIT,
                               "%s line %llu: more than %llu non-empty cells",
                               p->name, (unsigned long long)p->rec_line,
                               (unsigned long long)p->lim->max_cells);
        return;
    }
    const char *text = field; /* NUL-terminated: CSV_APPEND_NULL */
    cell c = {0};
    c.row = (uint32_t)row;
    c.col = col;
    c.kind = CELL_TEXT;
    c.text = text;
    c.len = len;
    if (_is_number(text, len) && !_locale_ambiguous(text, len, p->delim)) {
        double v = strtod(text, NULL);
        if (isfinite(v)) {
            c.kind = CELL_NUMBER;
            c.num = v;
        }
    }
    p->had_cells = 1;
    if (p->sink->cell) {
        iafq_error cb;
        iafq_error_clear(&cb);
        iafq_err rc = p->sink->cell(p->sink->ud, &c, &cb);
        if (rc != IAFQ_OK)
            p->rc = cells_callback_error(p->err, rc, &cb);
    }
}

static void _on_record(int term, void *data)
{
    _parse *p = data;
    if (p->rc != IAFQ_OK)
        return;
    if (term == '\n' && p->nfields == 0 && p->prev_term == '\r') {
        p->prev_term = 0; /* the LF of a CRLF: same line end */
        return;
    }
    p->records++;
    p->prev_term = term;
    p->field = p->nfields = 0;
    p->rec_line += p->rec_nl + (term == '\r' || term == '\n');
    p->rec_nl = 0;
    if (p->had_cells) {
        p->had_cells = 0;
        if (p->sink->row_end) {
            iafq_error cb;
            iafq_error_clear(&cb);
            iafq_err rc =
                p->sink->row_end(p->sink->ud, (uint32_t)p->records, &cb);
            if (rc != IAFQ_OK)
                p->rc = cells_callback_error(p->err, rc, &cb);
        }
    }
}

/* libcsv itself failed (lenient mode: out of memory, a field too big) */
static iafq_err _csv_fail(struct csv_parser *cp, const _parse *p,
                          iafq_error *err)
{
    int st = csv_error(cp);
    iafq_err code = st == CSV_ENOMEM ? IAFQ_ERR_NOMEM : IAFQ_ERR_CSV;
    return iafq_error_set(err, code,
                          "%s line %llu: malformed CSV: %s (row %llu)", p->name,
                          (unsigned long long)p->rec_line, csv_strerror(st),
                          (unsigned long long)(p->records + 1));
}

/* ---- the reader ------------------------------------------------------- */

/* Everything csvin_read() holds, released by reader_close(). */
typedef struct {
    csvin_src src;
    struct csv_parser cp;
    int cp_init;
    char *out; /* the current chunk of UTF-8 text */
    size_t olen;
    csvin_qscan q;
    _parse p;
    const char *name;
    const iafq_limits *lim;
} reader;

static iafq_err file_too_large(iafq_err rc, const reader *r, iafq_error *err)
{
    if (rc != IAFQ_ERR_LIMIT)
        return rc;
    return iafq_error_set(err, rc,
                          "%s: the file is larger than the limit of %llu bytes",
                          r->name, (unsigned long long)r->lim->max_file_bytes);
}

/* Source, encoding, first chunk, delimiter, libcsv. */
static iafq_err reader_open(reader *r, csvin_readfn rd, csvin_rewindfn rw,
                            void *ctx, iafq_error *err)
{
    char delim = ',';
    iafq_err rc =
        csvin_src_open(&r->src, rd, rw, ctx, r->lim->max_file_bytes, err);
    if (rc != IAFQ_OK)
        return file_too_large(rc, r, err);
    r->out = malloc(CSVIN_CHUNK);
    if (!r->out)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    rc = csvin_src_chunk(&r->src, r->out, &r->olen, r->name, 1, 0, err);
    if (rc != IAFQ_OK)
        return rc;
    csvin_skip_boms(r->out, &r->olen);
    rc = csvin_sniff_delim(&r->src, r->out, &r->olen, r->name, &delim, err);
    if (rc != IAFQ_OK)
        return rc;
    /* lenient: a quote inside an unquoted field is a literal (csvin_qscan
     * catches what must stay an error) */
    if (csv_init(&r->cp, CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "cannot start libcsv");
    r->cp_init = 1;
    csv_set_delim(&r->cp, (unsigned char)delim);
    csv_set_space_func(&r->cp, _no_space);
    csv_set_blk_size(&r->cp, CSV_BLK);
    csvin_qscan_init(&r->q, delim);
    r->p.delim = delim;
    return IAFQ_OK;
}

/* One chunk through the quote scanner and libcsv. */
static iafq_err reader_chunk(reader *r, iafq_error *err)
{
    _parse *p = &r->p;
    size_t ok = csvin_qscan_feed(&r->q, r->out, r->olen);
    size_t done = csv_parse(&r->cp, r->out, ok, _on_field, _on_record, p);
    if (p->rc != IAFQ_OK)
        return p->rc;
    if (done < ok)
        return _csv_fail(&r->cp, p, err);
    if (ok < r->olen)
        return iafq_error_set(
            err, IAFQ_ERR_CSV,
            "%s line %llu: text after the closing quote of a quoted field "
            "(inside a quoted field, write a quote as two quotes \"\")",
            r->name, (unsigned long long)r->q.line);
    if (r->cp.entry_pos > r->lim->max_cell_bytes) {
        char ref[16];
        uint64_t row = p->records + 1;
        return iafq_error_set(
            err, IAFQ_ERR_LIMIT,
            "%s line %llu: cell %s holds more than %u bytes%s", r->name,
            (unsigned long long)p->rec_line,
            cells_ref(row > UINT32_MAX ? UINT32_MAX : (uint32_t)row, p->field,
                      ref),
            r->lim->max_cell_bytes,
            r->q.state == CSVIN_Q_IN ? " (is the quoted field that starts "
                                       "there ever closed?)"
                                     : "");
    }
    return IAFQ_OK;
}

/* Every chunk, then the end of the text. */
static iafq_err reader_parse(reader *r, iafq_error *err)
{
    iafq_err rc;
    while (r->olen > 0) {
        if ((rc = reader_chunk(r, err)) != IAFQ_OK)
            return rc;
        rc = csvin_src_chunk(&r->src, r->out, &r->olen, r->name, r->q.line,
                             r->q.prev_cr, err);
        if (rc != IAFQ_OK)
            return file_too_large(rc, r, err);
    }
    if (r->q.state == CSVIN_Q_IN)
        return iafq_error_set(err, IAFQ_ERR_CSV,
                              "%s line %llu: the quoted field that starts on "
                              "this line is never closed (a quote \" is "
                              "missing)",
                              r->name, (unsigned long long)r->q.quote_line);
    if (csv_fini(&r->cp, _on_field, _on_record, &r->p) != 0)
        return _csv_fail(&r->cp, &r->p, err);
    return r->p.rc;
}

static void reader_close(reader *r)
{
    if (r->cp_init)
        csv_free(&r->cp);
    csvin_src_close(&r->src);
    free(r->out);
}

iafq_err csvin_read(csvin_readfn rd, csvin_rewindfn rw, void *ctx,
                    const char *sheet_name, const iafq_limits *lim,
                    const cell_sink *sink, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    iafq_limits dlim;
    cell_sink nosink = {0};
    reader r;
    iafq_error cb;

    memset(&r, 0, sizeof r);
    r.src.cd = (iconv_t)-1;
    if (!rd)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL, "csvin_read: no reader");
    if (!lim) {
        limits_default(&dlim);
        lim = &dlim;
    }
    r.lim = lim;
    r.name = sheet_name && *sheet_name ? sheet_name : "CSV file";
    r.p.sink = sink ? sink : &nosink;
    r.p.lim = lim;
    r.p.err = err;
    r.p.name = r.name;
    r.p.rec_line = 1;
    if ((rc = reader_open(&r, rd, rw, ctx, err)) != IAFQ_OK)
        goto cleanup;
    if (r.p.sink->sheet_begin) {
        int skip = 0;
        iafq_error_clear(&cb);
        rc = r.p.sink->sheet_begin(r.p.sink->ud, sheet_name ? sheet_name : "",
                                   &skip, &cb);
        if (rc != IAFQ_OK) {
            rc = cells_callback_error(err, rc, &cb);
            goto cleanup;
        }
        if (skip)
            goto cleanup;
    }
    if ((rc = reader_parse(&r, err)) != IAFQ_OK)
        goto cleanup;
    if (r.p.sink->sheet_end) {
        iafq_error_clear(&cb);
        rc = r.p.sink->sheet_end(r.p.sink->ud, &cb);
        if (rc != IAFQ_OK)
            rc = cells_callback_error(err, rc, &cb);
    }

cleanup:
    reader_close(&r);
    return rc;
}

/* ---- files ------------------------------------------------------------ */

typedef struct {
    int fd;
    const char *path;
} _file;

static iafq_err _file_read(void *ctx, void *buf, size_t n, size_t *got,
                           iafq_error *err)
{
    _file *f = ctx;
    ssize_t r;
    do
        r = read(f->fd, buf, n);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        *got = 0;
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot read '%s': %s", f->path,
                              strerror(errno));
    }
    *got = (size_t)r;
    return IAFQ_OK;
}

static iafq_err _file_rewind(void *ctx, iafq_error *err)
{
    _file *f = ctx;
    if (lseek(f->fd, 0, SEEK_SET) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot rewind '%s': %s",
                              f->path, strerror(errno));
    return IAFQ_OK;
}

iafq_err csvin_read_path(const char *path, const char *sheet_name,
                         const iafq_limits *lim, const cell_sink *sink,
                         iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    iafq_limits dlim;
    _file f = {-1, path};
    struct stat st;

    if (!path) {
        rc = iafq_error_set(err, IAFQ_ERR_INTERNAL, "csvin_read_path: no path");
        goto cleanup;
    }
    if (!lim) {
        limits_default(&dlim);
        lim = &dlim;
    }
    /* O_NONBLOCK: never hang on a FIFO before we know what path is. */
    f.fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (f.fd < 0) {
        rc = iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s': %s", path,
                            strerror(errno));
        goto cleanup;
    }
    if (fstat(f.fd, &st) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_IO, "cannot stat '%s': %s", path,
                            strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = iafq_error_set(err, IAFQ_ERR_FORMAT,
                            S_ISDIR(st.st_mode)
                                ? "'%s' is a folder, not a CSV file"
                                : "'%s' is not a regular file",
                            path);
        goto cleanup;
    }
    if ((uint64_t)st.st_size > lim->max_file_bytes) {
        rc = iafq_error_set(err, IAFQ_ERR_LIMIT,
                            "'%s' is %llu bytes, over the limit of %llu", path,
                            (unsigned long long)st.st_size,
                            (unsigned long long)lim->max_file_bytes);
        goto cleanup;
    }
    int fl = fcntl(f.fd, F_GETFL);
    if (fl != -1)
        (void)fcntl(f.fd, F_SETFL, fl & ~O_NONBLOCK);
    rc = csvin_read(_file_read, _file_rewind, &f, sheet_name, lim, sink, err);

cleanup:
    if (f.fd >= 0)
        close(f.fd);
    return rc;
}
