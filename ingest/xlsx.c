/*
 * xlsx.c - streaming .xlsx reader (see xlsx.h).
 *
 * Every part is inflated through zipguard and parsed by expat in chunks of
 * _CHUNK bytes; nothing holds a whole part in memory.  Element names are
 * matched on their local name (after any "x:" prefix), so that prefixed and
 * ISO "strict" workbooks read the same as Excel's usual output.
 *
 * Order of work: _rels/.rels (where the workbook part is), the workbook's
 * relationships, xl/workbook.xml (sheets in workbook order, date1904), the
 * styles (which cell formats are dates), the shared strings (one growing
 * buffer plus an offsets array), then each worksheet, whose cells go straight
 * to the sink.
 */
#include "xlsx.h"

#include "str.h"
#include "zipguard.h"

#include <expat.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _CHUNK (256u << 10)
/* Bytes parsed without a single event: a giant tag or comment. */
#define _QUIET_MAX (64ull << 20)
/* Caps on the small parts' tables (real workbooks are far below). */
#define _MAX_RELS 100000u
#define _MAX_XFS 1000000u
#define _MAX_NUMFMTS 100000u
/* Element nesting (real parts nest < 20 deep); bounds expat's tag stack. */
#define _MAX_DEPTH 256u

typedef struct {
    char *id, *type, *target;
} _rel;

typedef struct {
    char *name, *rid;
} _sheet;

typedef enum {
    _T_NUM = 0,
    _T_SST,
    _T_STR,
    _T_INLINE,
    _T_BOOL,
    _T_ERR,
    _T_DATE
} _ctype;

typedef struct _xr {
    zipg *z;
    const iafq_limits *lim;
    const cell_sink *sink;
    iafq_error *err;
    iafq_err rc; /* set by a handler that stopped the parser */
    XML_Parser p;
    int event;      /* a handler ran during the last chunk */
    unsigned depth; /* open elements */
    char what[320]; /* the part being parsed, for messages */

    /* relationships of the part being parsed */
    _rel *rels;
    size_t nrels, caprels;
    /* workbook */
    _sheet *sheets;
    size_t nsheets, capsheets;
    int date1904;
    /* styles */
    uint32_t *xf_fmt; /* numFmtId per cellXfs entry */
    size_t nxf, capxf;
    uint8_t *xf_date;
    uint32_t *date_fmt_ids; /* custom numFmt ids that are dates */
    size_t ndf, capdf, nfmts;
    int in_numfmts, in_cellxfs;
    /* shared strings */
    char *sst;
    size_t sst_len, sst_cap;
    size_t *sst_off; /* sst_n + 1 offsets */
    size_t sst_n, sst_offcap;
    int in_si, rph;
    /* text capture (shared strings, cells) */
    int cap; /* 0 none, 1 into val, 2 into fml */
    sbuf val, fml;
    /* worksheet */
    uint64_t ncells;
    int in_sheetdata, in_row, in_c, row_explicit;
    uint32_t row, prev_row, row_cells;
    int64_t last_col;
    uint32_t col;
    _ctype ctype;
    uint32_t style;
    int has_v, has_f, has_is;
} _xr;

/* ---- helpers ------------------------------------------------------------ */

static const char *_lname(const char *n)
{
    for (const char *p = n; *p; p++)
        if (*p == ':')
            return p + 1;
    return n;
}

static const char *_attr(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(_lname(atts[i]), local) == 0)
            return atts[i + 1];
    return NULL;
}

static int _ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Stop the parser with a callback's error, kept unchanged (first wins). */
static void _stop_cb(_xr *x, iafq_err code, const iafq_error *cb)
{
    if (x->rc == IAFQ_OK)
        x->rc = cells_callback_error(x->err, code, cb);
    XML_StopParser(x->p, XML_FALSE);
}

/* Stop the parser with an error about the current part (first one wins). */
static void _stop(_xr *x, iafq_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void _stop(_xr *x, iafq_err code, const char *fmt, ...)
{
    if (x->rc == IAFQ_OK) {
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        x->rc = iafq_error_set(x->err, code, "%s: %s", x->what, msg);
    }
    XML_StopParser(x->p, XML_FALSE);
}

/* Make room for `need` elements of `size` bytes in *p (capacity *cap,
 * doubling from `first`); stops the parse and returns -1 when out of
 * memory. */
static int _reserve(_xr *x, void **p, size_t *cap, size_t need, size_t size,
                    size_t first)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : first;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * size);
    if (!np) {
        _stop(x, IAFQ_ERR_NOMEM, "out of memory");
        return -1;
    }
    *p = np;
    *cap = nc;
    return 0;
}

/* Count an open element; stop past _MAX_DEPTH.  1 to go on. */
/* Start-element prologue: note the event, track the depth; the element's
 * local name, or NULL when the parse was stopped (too deep). */
static const char *_enter(_xr *x, const XML_Char *name)
{
    x->event = 1;
    if (++x->depth > _MAX_DEPTH) {
        _stop(x, IAFQ_ERR_FORMAT, "elements nested more than %u deep (refused)",
              _MAX_DEPTH);
        return NULL;
    }
    return _lname(name);
}

static void XMLCALL _on_doctype(void *ud, const XML_Char *name,
                                const XML_Char *sysid, const XML_Char *pubid,
                                int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    _stop(ud, IAFQ_ERR_FORMAT,
          "workbook XML declares a DTD (refused: it could define entities)");
}

static void XMLCALL _on_entity(void *ud, const XML_Char *name, int is_param,
                               const XML_Char *value, int value_len,
                               const XML_Char *base, const XML_Char *sysid,
                               const XML_Char *pubid, const XML_Char *notation)
{
    (void)name;
    (void)is_param;
    (void)value;
    (void)value_len;
    (void)base;
    (void)sysid;
    (void)pubid;
    (void)notation;
    _stop(ud, IAFQ_ERR_FORMAT, "workbook XML declares an entity (refused)");
}

/* Append captured character data, within the cell-text limit. */
static void XMLCALL _on_text(void *ud, const XML_Char *s, int len)
{
    _xr *x = ud;
    x->event = 1;
    if (!x->cap)
        return;
    sbuf *b = x->cap == 1 ? &x->val : &x->fml;
    if (b->len + (size_t)len > x->lim->max_cell_bytes) {
        _stop(x, IAFQ_ERR_LIMIT,
              "a cell or string is longer than %u bytes (limit)",
              (unsigned)x->lim->max_cell_bytes);
        return;
    }
    if (sbuf_add(b, s, (size_t)len) != 0)
        _stop(x, IAFQ_ERR_NOMEM, "out of memory");
}

static int _hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode the OOXML _xHHHH_ escapes (e.g. _x000D_) of b in place. */
static void _unescape_x(sbuf *b)
{
    char *s = b->buf;
    if (!s || !memchr(s, '_', b->len))
        return;
    size_t i = 0, o = 0, n = b->len;
    while (i < n) {
        if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h0 = _hexval((unsigned char)s[i + 2]);
            int h1 = _hexval((unsigned char)s[i + 3]);
            int h2 = _hexval((unsigned char)s[i + 4]);
            int h3 = _hexval((unsigned char)s[i + 5]);
            if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
                unsigned cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
                if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
                    cp = 0xFFFD;
                if (cp < 0x80) {
                    s[o++] = (char)cp;
                } else if (cp < 0x800) {
                    s[o++] = (char)(0xC0 | (cp >> 6));
                    s[o++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    s[o++] = (char)(0xE0 | (cp >> 12));
                    s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    s[o++] = (char)(0x80 | (cp & 0x3F));
                }
                i += 7;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    s[o] = '\0';
    b->len = o;
}

/*
 * Parse a cell reference "AB12" (or "AB" / "12" when allowed) by hand.
 * Returns 0 and sets *col (0-based) and *row (0 when absent), or -1.
 */
static int _parse_ref(const char *s, const char **end, uint32_t *row,
                      uint32_t *col, int *has_col)
{
    uint64_t c = 0, r = 0;
    int nl = 0, nd = 0;
    if (*s == '$')
        s++;
    for (;; s++) {
        unsigned ch = (unsigned char)*s;
        if (ch >= 'A' && ch <= 'Z')
            c = c * 26 + (ch - 'A' + 1);
        else if (ch >= 'a' && ch <= 'z')
            c = c * 26 + (ch - 'a' + 1);
        else
            break;
        if (++nl > 7)
            return -1;
    }
    if (*s == '$')
        s++;
    for (; *s >= '0' && *s <= '9'; s++) {
        r = r * 10 + (uint64_t)(*s - '0');
        if (++nd > 10)
            return -1;
    }
    if (nl == 0 && nd == 0)
        return -1;
    if (c > UINT32_MAX || r > UINT32_MAX)
        return -1;
    *has_col = nl > 0;
    *col = nl ? (uint32_t)(c - 1) : 0;
    *row = (uint32_t)r;
    if (end)
        *end = s;
    return 0;
}

/* Parse a number as Excel writes it; 0 on success. */
static int _parse_num(const char *s, size_t len, double *out)
{
    const char *p = s;
    int neg = 0;
    if (len == 0)
        return -1;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    /* Fast path (Clinger): at most 15 digits, optional fraction, no
     * exponent.  The mantissa and 10^k are exact doubles, so one division
     * is correctly rounded: the same result as strtod. */
    size_t nd = len - (size_t)(p - s);
    if (nd > 0 && nd <= 16) {
        static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                       1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16};
        uint64_t v = 0;
        size_t i = 0, digits = 0, frac = 0;
        int dot = 0;
        for (; i < nd; i++) {
            unsigned d = (unsigned char)p[i] - '0';
            if (d <= 9) {
                v = v * 10 + d;
                digits++;
                frac += (size_t)dot;
            } else if (p[i] == '.' && !dot) {
                dot = 1;
            } else {
                break;
            }
        }
        if (i == nd && digits > 0 && digits <= 15) {
            double r = (double)v;
            if (frac)
                r /= pow10[frac];
            *out = neg ? -r : r;
            return 0;
        }
    }
    char *end = NULL;
    double d = strtod(s, &end);
    if (end == s)
        return -1;
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    if (*end != '\0' || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

/* Join a relationship target to the directory of its source part and
 * normalise "." and ".." segments.  Returns a malloc'd path or NULL. */
static char *_resolve(const char *base_part, const char *target)
{
    sbuf in = SBUF_INIT;
    char *out = NULL;
    const char *q = strchr(target, '#');
    size_t tlen = q ? (size_t)(q - target) : strlen(target);
    if (tlen > 0 && target[0] == '/') {
        if (sbuf_add(&in, target + 1, tlen - 1) != 0)
            goto cleanup;
    } else {
        const char *slash = base_part ? strrchr(base_part, '/') : NULL;
        if (slash && sbuf_add(&in, base_part, (size_t)(slash - base_part) + 1))
            goto cleanup;
        if (sbuf_add(&in, target, tlen) != 0)
            goto cleanup;
    }
    if (!in.buf)
        goto cleanup;
    out = malloc(in.len + 1);
    if (!out)
        goto cleanup;
    size_t o = 0;
    const char *s = in.buf;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash */
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else {
            if (o > 0 && out[o - 1] != '/')
                out[o++] = '/';
            memcpy(out + o, s, n);
            o += n;
        }
        s += n;
        if (*s == '/')
            s++;
    }
    out[o] = '\0';

cleanup:
    sbuf_release(&in);
    return out;
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels" */
static char *_rels_path(const char *part)
{
    sbuf b = SBUF_INIT;
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    if (sbuf_add(&b, part, dir) != 0 || sbuf_add(&b, "_rels/", 6) != 0 ||
        sbuf_add(&b, part + dir, strlen(part + dir)) != 0 ||
        sbuf_add(&b, ".rels", 5) != 0) {
        sbuf_release(&b);
        return NULL;
    }
    return sbuf_detach(&b);
}

static long _find_part(const _xr *x, const char *name)
{
    long i = zipg_find(x->z, name, 0);
    if (i < 0)
        i = zipg_find(x->z, name, 1);
    return i;
}

/*
 * Inflating runs in a second thread, one chunk ahead of expat: a ring of
 * _NBUF chunk buffers between a producer (zipguard reads) and the parser.
 * Memory stays bounded (_NBUF x _CHUNK) and the archive is used by one
 * thread at a time (the parser thread does not touch it meanwhile).  When a
 * thread cannot be started, the parser thread fills the ring itself; build
 * with -DXLSX_NO_THREAD to always do so (to test that path, or to compare).
 */
#define _NBUF 3u

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int threaded;
    zipg_entry *e;
    char *buf[_NBUF];
    size_t len[_NBUF];
    unsigned head, tail; /* chunks produced, consumed */
    int done;            /* producer finished (end or error) */
    int cancel;          /* parser gave up: producer must stop */
    iafq_err rc;
    iafq_error err;
} _pipe;

/* Fill one free slot (producer side, called without the lock held). */
static int _pipe_fill(_pipe *pp, unsigned slot)
{
    char *b = pp->buf[slot % _NBUF];
    size_t n = 0, got = 0;
    iafq_err rc;
    do {
        rc = zipg_entry_read(pp->e, b + n, _CHUNK - n, &got, &pp->err);
        n += got;
    } while (rc == IAFQ_OK && got > 0 && n < _CHUNK);
    pp->len[slot % _NBUF] = n;
    if (rc != IAFQ_OK) {
        pp->rc = rc;
        return -1; /* done with an error */
    }
    return n == 0 ? 0 : 1; /* 0: end of entry; 1: one chunk */
}

static void *_pipe_main(void *arg)
{
    _pipe *pp = arg;
    pthread_mutex_lock(&pp->mu);
    for (;;) {
        while (pp->head - pp->tail == _NBUF && !pp->cancel)
            pthread_cond_wait(&pp->cv, &pp->mu);
        if (pp->cancel)
            break;
        unsigned slot = pp->head;
        pthread_mutex_unlock(&pp->mu);
        int r = _pipe_fill(pp, slot);
        pthread_mutex_lock(&pp->mu);
        if (r > 0) {
            pp->head++;
        } else {
            pp->done = 1;
        }
        pthread_cond_broadcast(&pp->cv);
        if (r <= 0)
            break;
    }
    pthread_mutex_unlock(&pp->mu);
    return NULL;
}

/* Next chunk for the parser: copies it into dst (>= _CHUNK bytes) and sets
 * *n (0 at the end).  Returns the producer's error, if any. */
static iafq_err _pipe_next(_pipe *pp, char *dst, size_t *n, iafq_error *err)
{
    *n = 0;
    if (!pp->threaded) {
        if (pp->done)
            return IAFQ_OK;
        int r = _pipe_fill(pp, 0);
        if (r < 0) {
            if (err)
                *err = pp->err;
            return pp->rc;
        }
        if (r == 0)
            pp->done = 1;
        else
            memcpy(dst, pp->buf[0], *n = pp->len[0]);
        return IAFQ_OK;
    }
    pthread_mutex_lock(&pp->mu);
    while (pp->head == pp->tail && !pp->done)
        pthread_cond_wait(&pp->cv, &pp->mu);
    if (pp->head == pp->tail) { /* done, nothing left */
        iafq_err rc = pp->rc;
        pthread_mutex_unlock(&pp->mu);
        if (rc != IAFQ_OK && err)
            *err = pp->err;
        return rc;
    }
    unsigned slot = pp->tail % _NBUF;
    pthread_mutex_unlock(&pp->mu);
    memcpy(dst, pp->buf[slot], *n = pp->len[slot]);
    pthread_mutex_lock(&pp->mu);
    pp->tail++;
    pthread_cond_broadcast(&pp->cv);
    pthread_mutex_unlock(&pp->mu);
    return IAFQ_OK;
}

/*
 * Stream zip entry idx through a fresh expat parser with these handlers.
 * x->what names the part for messages.
 */
static iafq_err _parse_part(_xr *x, long idx, XML_StartElementHandler se,
                            XML_EndElementHandler ee)
{
    iafq_err rc = IAFQ_OK;
    uint64_t quiet = 0;
    _pipe pp;
    pthread_t th;
    int sync_ok = 0;

    memset(&pp, 0, sizeof pp);
    x->rc = IAFQ_OK;
    x->cap = 0;
    x->depth = 0;
    x->p = NULL;
    if (pthread_mutex_init(&pp.mu, NULL) != 0)
        return iafq_error_set(x->err, IAFQ_ERR_INTERNAL,
                              "cannot create a mutex");
    if (pthread_cond_init(&pp.cv, NULL) != 0) {
        pthread_mutex_destroy(&pp.mu);
        return iafq_error_set(x->err, IAFQ_ERR_INTERNAL,
                              "cannot create a condition variable");
    }
    sync_ok = 1;

    x->p = XML_ParserCreate(NULL);
    if (!x->p) {
        rc = iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, se, ee);
    XML_SetCharacterDataHandler(x->p, _on_text);
    XML_SetStartDoctypeDeclHandler(x->p, _on_doctype);
    XML_SetEntityDeclHandler(x->p, _on_entity);
    XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);

    rc = zipg_entry_open(x->z, (size_t)idx, &pp.e, x->err);
    if (rc != IAFQ_OK)
        goto cleanup;
    for (unsigned k = 0; k < _NBUF; k++) {
        pp.buf[k] = malloc(_CHUNK);
        if (!pp.buf[k]) {
            rc = iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
#ifdef XLSX_NO_THREAD
    pp.threaded = 0;
    (void)_pipe_main;
    (void)th;
#else
    pp.threaded = pthread_create(&th, NULL, _pipe_main, &pp) == 0;
#endif

    for (;;) {
        char *buf = XML_GetBuffer(x->p, (int)_CHUNK);
        if (!buf) {
            rc = iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        size_t n = 0;
        rc = _pipe_next(&pp, buf, &n, x->err);
        if (rc != IAFQ_OK) {
            if (x->err) {
                char tmp[sizeof x->err->msg];
                snprintf(tmp, sizeof tmp, "%s", x->err->msg);
                iafq_error_set(x->err, rc, "%s: %s", x->what, tmp);
            }
            goto cleanup;
        }
        x->event = 0;
        if (XML_ParseBuffer(x->p, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (x->rc != IAFQ_OK) {
                rc = x->rc;
            } else {
                enum XML_Error xe = XML_GetErrorCode(x->p);
                rc = iafq_error_set(
                    x->err,
                    xe == XML_ERROR_NO_MEMORY ? IAFQ_ERR_NOMEM : IAFQ_ERR_XML,
                    "%s: XML error at line %lu: %s", x->what,
                    (unsigned long)XML_GetCurrentLineNumber(x->p),
                    XML_ErrorString(xe));
            }
            goto cleanup;
        }
        if (x->rc != IAFQ_OK) { /* defensive: stopped without an error */
            rc = x->rc;
            goto cleanup;
        }
        if (n == 0)
            break;
        quiet = x->event ? 0 : quiet + n;
        if (quiet > _QUIET_MAX) {
            rc = iafq_error_set(x->err, IAFQ_ERR_LIMIT,
                                "%s: an XML tag or comment is larger than "
                                "%llu bytes (limit)",
                                x->what, (unsigned long long)_QUIET_MAX);
            goto cleanup;
        }
    }

cleanup:
    if (pp.threaded) {
        pthread_mutex_lock(&pp.mu);
        pp.cancel = 1;
        pthread_cond_broadcast(&pp.cv);
        pthread_mutex_unlock(&pp.mu);
        pthread_join(th, NULL);
    }
    for (unsigned k = 0; k < _NBUF; k++)
        free(pp.buf[k]);
    zipg_entry_close(pp.e);
    if (sync_ok) {
        pthread_cond_destroy(&pp.cv);
        pthread_mutex_destroy(&pp.mu);
    }
    if (x->p)
        XML_ParserFree(x->p);
    x->p = NULL;
    x->cap = 0;
    return rc;
}

/* ---- relationships --------------------------------------------------------
 */

static void _free_rels(_xr *x)
{
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    x->nrels = 0;
}

static void XMLCALL _rels_start(void *ud, const XML_Char *name,
                                const XML_Char **atts)
{
    _xr *x = ud;
    const char *ln = _enter(x, name);
    if (!ln || strcmp(ln, "Relationship") != 0)
        return;
    const char *id = _attr(atts, "Id"), *type = _attr(atts, "Type");
    const char *target = _attr(atts, "Target");
    const char *mode = _attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (x->nrels >= _MAX_RELS) {
        _stop(x, IAFQ_ERR_LIMIT, "more than %u relationships (limit)",
              _MAX_RELS);
        return;
    }
    if (_reserve(x, (void **)&x->rels, &x->caprels, x->nrels + 1,
                 sizeof *x->rels, 16))
        return;
    _rel *r = &x->rels[x->nrels];
    r->id = str_dup(id);
    r->type = str_dup(type);
    r->target = str_dup(target);
    x->nrels++;
    if (!r->id || !r->type || !r->target)
        _stop(x, IAFQ_ERR_NOMEM, "out of memory");
}

static void XMLCALL _noop_end(void *ud, const XML_Char *name)
{
    (void)name;
    _xr *x = ud;
    x->event = 1;
    if (x->depth)
        x->depth--;
}

/* Parse the relationships part of `part` (absent part: no relationships). */
static iafq_err _read_rels(_xr *x, const char *part)
{
    _free_rels(x);
    char *rp = _rels_path(part);
    if (!rp)
        return iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
    iafq_err rc = IAFQ_OK;
    long i = _find_part(x, rp);
    if (i >= 0) {
        snprintf(x->what, sizeof x->what, "relationships (%s)", rp);
        rc = _parse_part(x, i, _rels_start, _noop_end);
    }
    free(rp);
    return rc;
}

static const _rel *_rel_by_type(const _xr *x, const char *suffix)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (_ends_with(x->rels[i].type, suffix))
            return &x->rels[i];
    return NULL;
}

static const _rel *_rel_by_id(const _xr *x, const char *id)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (strcmp(x->rels[i].id, id) == 0)
            return &x->rels[i];
    return NULL;
}

/* ---- workbook ---------------------------------------------------------- */

static void XMLCALL _wb_start(void *ud, const XML_Char *name,
                              const XML_Char **atts)
{
    _xr *x = ud;
    const char *ln = _enter(x, name);
    if (!ln)
        return;
    if (strcmp(ln, "workbookPr") == 0) {
        const char *v = _attr(atts, "date1904");
        if (v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0))
            x->date1904 = 1;
        return;
    }
    if (strcmp(ln, "sheet") != 0)
        return;
    const char *sname = _attr(atts, "name"), *rid = _attr(atts, "id");
    if (!sname || !rid) {
        _stop(x, IAFQ_ERR_FORMAT, "a sheet has no name or no relationship id");
        return;
    }
    if (x->nsheets >= x->lim->max_entries) {
        _stop(x, IAFQ_ERR_LIMIT, "more than %u sheets (limit)",
              (unsigned)x->lim->max_entries);
        return;
    }
    if (_reserve(x, (void **)&x->sheets, &x->capsheets, x->nsheets + 1,
                 sizeof *x->sheets, 16))
        return;
    _sheet *s = &x->sheets[x->nsheets++];
    s->name = str_dup(sname);
    s->rid = str_dup(rid);
    if (!s->name || !s->rid)
        _stop(x, IAFQ_ERR_NOMEM, "out of memory");
}

/* ---- styles ------------------------------------------------------------ */

/* Whether a number format code shows a date or time: d, m, y, h or s
 * outside quoted text, [brackets] and escaped characters. */
static int _fmt_code_is_date(const char *f)
{
    for (const char *p = f; *p; p++) {
        switch (*p) {
        case '"':
            p++;
            while (*p && *p != '"')
                p++;
            if (!*p)
                return 0;
            break;
        case '[':
            while (*p && *p != ']')
                p++;
            if (!*p)
                return 0;
            break;
        case '\\':
        case '_':
        case '*':
            if (!p[1])
                return 0;
            p++;
            break;
        case ';':
            return 0; /* only the first (positive) section decides */
        case 'd':
        case 'D':
        case 'm':
        case 'M':
        case 'y':
        case 'Y':
        case 'h':
        case 'H':
        case 's':
        case 'S':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

static int _builtin_is_date(uint32_t id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

static void XMLCALL _st_start(void *ud, const XML_Char *name,
                              const XML_Char **atts)
{
    _xr *x = ud;
    const char *ln = _enter(x, name);
    if (!ln)
        return;
    if (strcmp(ln, "numFmts") == 0) {
        x->in_numfmts = 1;
    } else if (strcmp(ln, "cellXfs") == 0) {
        x->in_cellxfs = 1;
    } else if (x->in_numfmts && strcmp(ln, "numFmt") == 0) {
        const char *id = _attr(atts, "numFmtId");
        const char *code = _attr(atts, "formatCode");
        if (!id || !code)
            return;
        if (++x->nfmts > _MAX_NUMFMTS) {
            _stop(x, IAFQ_ERR_LIMIT, "more than %u number formats (limit)",
                  _MAX_NUMFMTS);
            return;
        }
        if (!_fmt_code_is_date(code))
            return;
        if (_reserve(x, (void **)&x->date_fmt_ids, &x->capdf, x->ndf + 1,
                     sizeof *x->date_fmt_ids, 16))
            return;
        x->date_fmt_ids[x->ndf++] = (uint32_t)strtoul(id, NULL, 10);
    } else if (x->in_cellxfs && strcmp(ln, "xf") == 0) {
        const char *id = _attr(atts, "numFmtId");
        if (x->nxf >= _MAX_XFS) {
            _stop(x, IAFQ_ERR_LIMIT, "more than %u cell formats (limit)",
                  _MAX_XFS);
            return;
        }
        if (_reserve(x, (void **)&x->xf_fmt, &x->capxf, x->nxf + 1,
                     sizeof *x->xf_fmt, 64))
            return;
        x->xf_fmt[x->nxf++] = id ? (uint32_t)strtoul(id, NULL, 10) : 0;
    }
}

static void XMLCALL _st_end(void *ud, const XML_Char *name)
{
    _xr *x = ud;
    x->event = 1;
    if (x->depth)
        x->depth--;
    const char *ln = _lname(name);
    if (strcmp(ln, "numFmts") == 0)
        x->in_numfmts = 0;
    else if (strcmp(ln, "cellXfs") == 0)
        x->in_cellxfs = 0;
}

static iafq_err _finish_styles(_xr *x)
{
    if (x->nxf == 0)
        return IAFQ_OK;
    x->xf_date = calloc(x->nxf, 1);
    if (!x->xf_date)
        return iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < x->nxf; i++) {
        uint32_t id = x->xf_fmt[i];
        int d = _builtin_is_date(id);
        for (size_t k = 0; !d && k < x->ndf; k++)
            d = x->date_fmt_ids[k] == id;
        x->xf_date[i] = (uint8_t)d;
    }
    return IAFQ_OK;
}

/* ---- shared strings ---------------------------------------------------- */

static void XMLCALL _sst_start(void *ud, const XML_Char *name,
                               const XML_Char **atts)
{
    _xr *x = ud;
    (void)atts;
    const char *ln = _enter(x, name);
    if (!ln)
        return;
    if (ln[0] == 't' && ln[1] == '\0') {
        if (x->in_si && x->rph == 0)
            x->cap = 1;
    } else if (strcmp(ln, "si") == 0) {
        x->in_si = 1;
        x->rph = 0;
        sbuf_reset(&x->val);
    } else if (strcmp(ln, "rPh") == 0) {
        x->rph++;
    }
}

static void XMLCALL _sst_end(void *ud, const XML_Char *name)
{
    _xr *x = ud;
    x->event = 1;
    if (x->depth)
        x->depth--;
    const char *ln = _lname(name);
    if (ln[0] == 't' && ln[1] == '\0') {
        x->cap = 0;
        return;
    }
    if (strcmp(ln, "rPh") == 0) {
        if (x->rph > 0)
            x->rph--;
        return;
    }
    if (strcmp(ln, "si") != 0 || !x->in_si)
        return;
    x->in_si = 0;
    _unescape_x(&x->val);
    size_t n = x->val.len;
    if (x->sst_n >= x->lim->max_sst_count) {
        _stop(x, IAFQ_ERR_LIMIT, "more than %u shared strings (limit)",
              (unsigned)x->lim->max_sst_count);
        return;
    }
    if ((uint64_t)x->sst_len + n + 1 > x->lim->max_sst_bytes) {
        _stop(x, IAFQ_ERR_LIMIT,
              "the shared strings take more than %llu bytes (limit)",
              (unsigned long long)x->lim->max_sst_bytes);
        return;
    }
    if (x->sst_n + 2 > x->sst_offcap) {
        size_t nc = x->sst_offcap ? x->sst_offcap * 2 : 1024;
        size_t *no = realloc(x->sst_off, nc * sizeof *no);
        if (!no) {
            _stop(x, IAFQ_ERR_NOMEM, "out of memory");
            return;
        }
        x->sst_off = no;
        x->sst_offcap = nc;
    }
    if (x->sst_len + n + 1 > x->sst_cap) {
        size_t nc = x->sst_cap ? x->sst_cap : 65536;
        while (nc < x->sst_len + n + 1)
            nc *= 2;
        char *nb = realloc(x->sst, nc);
        if (!nb) {
            _stop(x, IAFQ_ERR_NOMEM, "out of memory");
            return;
        }
        x->sst = nb;
        x->sst_cap = nc;
    }
    if (x->sst_n == 0)
        x->sst_off[0] = 0;
    if (n)
        memcpy(x->sst + x->sst_len, x->val.buf, n);
    x->sst[x->sst_len + n] = '\0';
    x->sst_len += n + 1;
    x->sst_n++;
    x->sst_off[x->sst_n] = x->sst_len;
}

/* ---- worksheets -------------------------------------------------------- */

static void _emit(_xr *x, cell_kind kind, double num, const char *text,
                  size_t len, int is_date)
{
    if (x->ncells >= x->lim->max_cells) {
        _stop(x, IAFQ_ERR_LIMIT,
              "the workbook has more than %llu non-empty cells (limit)",
              (unsigned long long)x->lim->max_cells);
        return;
    }
    x->ncells++;
    x->row_cells++;
    if (!x->sink->cell)
        return;
    cell c;
    c.row = x->row;
    c.col = x->col;
    c.kind = kind;
    c.num = num;
    c.text = text ? text : "";
    c.len = text ? len : 0;
    c.date1904 = x->date1904;
    c.is_date = is_date;
    iafq_error cb = {0};
    iafq_err rc = x->sink->cell(x->sink->ud, &c, &cb);
    if (rc != IAFQ_OK)
        _stop_cb(x, rc, &cb);
}

static const char *_ref(uint32_t row, uint32_t col, char *buf)
{
    return cells_ref(row, col, buf);
}

static void _sheet_dimension(_xr *x, const char *ref)
{
    uint32_t r1, c1, r2, c2;
    int h1, h2;
    const char *end = NULL;
    if (_parse_ref(ref, &end, &r1, &c1, &h1) != 0)
        return; /* unreadable: ignore, the cells are checked anyway */
    r2 = r1;
    c2 = c1;
    h2 = h1;
    if (*end == ':' && _parse_ref(end + 1, NULL, &r2, &c2, &h2) != 0)
        return;
    if (r2 < r1) {
        uint32_t t = r1;
        r1 = r2;
        r2 = t;
    }
    if (c2 < c1) {
        uint32_t t = c1;
        c1 = c2;
        c2 = t;
    }
    if (r2 > x->lim->max_rows) {
        _stop(x, IAFQ_ERR_LIMIT,
              "the sheet declares %u rows (%s), more than the limit of %u",
              (unsigned)r2, ref, (unsigned)x->lim->max_rows);
        return;
    }
    if ((uint64_t)c2 + 1 > x->lim->max_cols) {
        _stop(x, IAFQ_ERR_LIMIT,
              "the sheet declares %llu columns (%s), more than the limit "
              "of %u",
              (unsigned long long)c2 + 1, ref, (unsigned)x->lim->max_cols);
        return;
    }
    uint64_t rows = (uint64_t)(r2 ? r2 - (r1 ? r1 : 1) + 1 : 1);
    uint64_t cols = (uint64_t)(c2 - c1) + 1;
    if (rows * cols > x->lim->max_cells)
        _stop(x, IAFQ_ERR_LIMIT,
              "the sheet declares %llu cells (%s), more than the limit of "
              "%llu",
              (unsigned long long)(rows * cols), ref,
              (unsigned long long)x->lim->max_cells);
}

static void _row_start(_xr *x, const char **atts)
{
    const char *r = NULL;
    for (size_t i = 0; atts[i]; i += 2)
        if (atts[i][0] == 'r' && atts[i][1] == '\0') {
            r = atts[i + 1];
            break;
        }
    x->in_row = 1;
    x->row_cells = 0;
    x->last_col = -1;
    x->row_explicit = r != NULL;
    if (r) {
        uint64_t v = 0;
        const char *p = r;
        for (; *p >= '0' && *p <= '9' && v <= UINT32_MAX; p++)
            v = v * 10 + (uint64_t)(*p - '0');
        if (*p != '\0' || p == r || v == 0) {
            _stop(x, IAFQ_ERR_FORMAT, "row number '%.40s' is not valid", r);
            return;
        }
        if (v > x->lim->max_rows) {
            _stop(x, IAFQ_ERR_LIMIT, "row %llu is beyond the limit of %u rows",
                  (unsigned long long)v, (unsigned)x->lim->max_rows);
            return;
        }
        if (v <= x->prev_row) {
            _stop(x, IAFQ_ERR_FORMAT,
                  "row %u comes after row %u (rows must be in increasing "
                  "order, each once)",
                  (unsigned)v, (unsigned)x->prev_row);
            return;
        }
        x->row = (uint32_t)v;
    } else {
        if ((uint64_t)x->prev_row + 1 > x->lim->max_rows) {
            _stop(x, IAFQ_ERR_LIMIT, "row %llu is beyond the limit of %u rows",
                  (unsigned long long)x->prev_row + 1,
                  (unsigned)x->lim->max_rows);
            return;
        }
        x->row = x->prev_row + 1;
    }
}

static void _cell_start(_xr *x, const char **atts)
{
    const char *r = NULL, *t = NULL, *s = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *a = atts[i];
        if (a[1] != '\0')
            continue;
        if (a[0] == 'r')
            r = atts[i + 1];
        else if (a[0] == 't')
            t = atts[i + 1];
        else if (a[0] == 's')
            s = atts[i + 1];
    }
    x->in_c = 1;
    x->has_v = x->has_f = x->has_is = 0;
    sbuf_reset(&x->val);
    sbuf_reset(&x->fml);
    x->ctype = _T_NUM;
    if (t) {
        switch (t[0]) {
        case 's':
            x->ctype = t[1] == '\0' ? _T_SST : _T_STR;
            break;
        case 'i':
            x->ctype = _T_INLINE;
            break;
        case 'b':
            x->ctype = _T_BOOL;
            break;
        case 'e':
            x->ctype = _T_ERR;
            break;
        case 'd':
            x->ctype = _T_DATE;
            break;
        default:
            x->ctype = _T_NUM;
        }
    }
    x->style = 0;
    if (s) {
        uint32_t v = 0;
        for (; *s >= '0' && *s <= '9' && v < 100000000u; s++)
            v = v * 10 + (uint32_t)(*s - '0');
        x->style = v;
    }
    uint64_t col;
    if (r) {
        uint32_t crow, ccol;
        int hc;
        const char *end;
        if (_parse_ref(r, &end, &crow, &ccol, &hc) != 0 || *end != '\0' ||
            !hc) {
            _stop(x, IAFQ_ERR_FORMAT, "cell reference '%.40s' is not valid", r);
            return;
        }
        if ((uint64_t)ccol + 1 > x->lim->max_cols) {
            char b[32];
            _stop(x, IAFQ_ERR_LIMIT,
                  "cell %.40s is beyond the limit of %u columns (last: %s)", r,
                  (unsigned)x->lim->max_cols,
                  cells_col_name(x->lim->max_cols - 1, b));
            return;
        }
        if (crow != 0 && crow != x->row) {
            if (!x->row_explicit && x->row_cells == 0 && x->last_col < 0 &&
                crow > x->prev_row && crow <= x->lim->max_rows) {
                x->row = crow; /* a <row> without r: take the cells' row */
            } else if (crow > x->lim->max_rows) {
                _stop(x, IAFQ_ERR_LIMIT,
                      "cell %.40s is beyond the limit of %u rows", r,
                      (unsigned)x->lim->max_rows);
                return;
            } else {
                _stop(x, IAFQ_ERR_FORMAT, "cell %.40s is inside row %u", r,
                      (unsigned)x->row);
                return;
            }
        }
        col = ccol;
        if ((int64_t)col <= x->last_col) {
            char b1[16], b2[16];
            _stop(x, IAFQ_ERR_FORMAT,
                  "cell %s comes after cell %s (cells must be in increasing "
                  "column order, each once)",
                  _ref(x->row, (uint32_t)col, b1),
                  _ref(x->row, (uint32_t)x->last_col, b2));
            return;
        }
    } else {
        col = (uint64_t)(x->last_col + 1);
        if (col + 1 > x->lim->max_cols) {
            _stop(x, IAFQ_ERR_LIMIT, "row %u has more than %u columns (limit)",
                  (unsigned)x->row, (unsigned)x->lim->max_cols);
            return;
        }
    }
    x->col = (uint32_t)col;
    x->last_col = (int64_t)col;
}

static void _cell_end(_xr *x)
{
    x->in_c = 0;
    x->cap = 0;
    char rb[16];
    if (x->has_f && !x->has_v && !(x->has_is && x->ctype == _T_INLINE)) {
        _emit(x, CELL_FORMULA_NOCACHE, 0, x->fml.buf ? x->fml.buf : "",
              x->fml.len, 0);
        return;
    }
    if (x->has_is) {
        _unescape_x(&x->val);
        _emit(x, CELL_TEXT, 0, x->val.buf, x->val.len, 0);
        return;
    }
    if (!x->has_v)
        return; /* an empty (styled) cell */
    const char *v = x->val.buf ? x->val.buf : "";
    size_t n = x->val.len;
    switch (x->ctype) {
    case _T_SST: {
        uint64_t idx = 0;
        size_t i = 0;
        while (i < n &&
               (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r'))
            i++;
        size_t d0 = i;
        for (; i < n && v[i] >= '0' && v[i] <= '9' && idx <= UINT32_MAX; i++)
            idx = idx * 10 + (uint64_t)(v[i] - '0');
        if (i == d0 || idx >= x->sst_n) {
            _stop(x, IAFQ_ERR_FORMAT,
                  "cell %s refers to shared string '%.20s', but the table "
                  "has %zu strings",
                  _ref(x->row, x->col, rb), v, x->sst_n);
            return;
        }
        size_t off = x->sst_off[idx];
        _emit(x, CELL_TEXT, 0, x->sst + off, x->sst_off[idx + 1] - off - 1, 0);
        return;
    }
    case _T_STR:
    case _T_DATE:
        _unescape_x(&x->val);
        _emit(x, CELL_TEXT, 0, x->val.buf, x->val.len, 0);
        return;
    case _T_INLINE:
        if (n == 0)
            return;
        _unescape_x(&x->val);
        _emit(x, CELL_TEXT, 0, x->val.buf, x->val.len, 0);
        return;
    case _T_BOOL:
        _emit(x, CELL_BOOL,
              (n >= 1 && (v[0] == '1' || v[0] == 't' || v[0] == 'T')) ? 1 : 0,
              v, n, 0);
        return;
    case _T_ERR:
        _emit(x, CELL_ERROR, 0, v, n, 0);
        return;
    case _T_NUM: {
        double d;
        if (n == 0) {
            if (x->has_f)
                _emit(x, CELL_FORMULA_NOCACHE, 0, x->fml.buf ? x->fml.buf : "",
                      x->fml.len, 0);
            return;
        }
        if (_parse_num(v, n, &d) != 0) {
            _stop(x, IAFQ_ERR_FORMAT, "cell %s holds '%.40s', not a number",
                  _ref(x->row, x->col, rb), v);
            return;
        }
        int is_date = x->style < x->nxf && x->xf_date && x->xf_date[x->style];
        _emit(x, CELL_NUMBER, d, v, n, is_date);
        return;
    }
    }
}

static void XMLCALL _ws_start(void *ud, const XML_Char *name,
                              const XML_Char **atts)
{
    _xr *x = ud;
    const char *ln = _enter(x, name);
    if (!ln)
        return;
    switch (ln[0]) {
    case 'c':
        if (ln[1] == '\0') {
            if (x->in_row && x->rc == IAFQ_OK)
                _cell_start(x, atts);
            return;
        }
        break;
    case 'v':
        if (ln[1] == '\0' && x->in_c) {
            x->has_v = 1;
            sbuf_reset(&x->val);
            x->cap = 1;
            return;
        }
        break;
    case 'f':
        if (ln[1] == '\0' && x->in_c) {
            x->has_f = 1;
            x->cap = 2;
            return;
        }
        break;
    case 't':
        if (ln[1] == '\0' && x->in_c && x->has_is && x->rph == 0)
            x->cap = 1;
        return;
    case 'i':
        if (ln[1] == 's' && ln[2] == '\0' && x->in_c) {
            x->has_is = 1;
            x->rph = 0;
            sbuf_reset(&x->val);
            return;
        }
        break;
    case 'r':
        if (strcmp(ln, "row") == 0) {
            if (x->in_sheetdata)
                _row_start(x, atts);
            return;
        }
        if (strcmp(ln, "rPh") == 0 && x->in_c)
            x->rph++;
        return;
    case 's':
        if (strcmp(ln, "sheetData") == 0) {
            x->in_sheetdata = 1;
            return;
        }
        break;
    case 'd':
        if (strcmp(ln, "dimension") == 0) {
            const char *ref = _attr(atts, "ref");
            if (ref)
                _sheet_dimension(x, ref);
            return;
        }
        break;
    default:
        break;
    }
}

static void XMLCALL _ws_end(void *ud, const XML_Char *name)
{
    _xr *x = ud;
    x->event = 1;
    if (x->depth)
        x->depth--;
    const char *ln = _lname(name);
    switch (ln[0]) {
    case 'c':
        if (ln[1] == '\0' && x->in_c)
            _cell_end(x);
        return;
    case 'v':
    case 'f':
    case 't':
        if (ln[1] == '\0')
            x->cap = 0;
        return;
    case 'r':
        if (strcmp(ln, "row") == 0 && x->in_row) {
            x->in_row = 0;
            x->prev_row = x->row;
            if (x->row_cells > 0 && x->sink->row_end) {
                iafq_error cb = {0};
                iafq_err rc = x->sink->row_end(x->sink->ud, x->row, &cb);
                if (rc != IAFQ_OK)
                    _stop_cb(x, rc, &cb);
            }
            return;
        }
        if (strcmp(ln, "rPh") == 0 && x->rph > 0)
            x->rph--;
        return;
    case 's':
        if (strcmp(ln, "sheetData") == 0)
            x->in_sheetdata = 0;
        return;
    default:
        return;
    }
}

static iafq_err _read_sheet(_xr *x, const _sheet *s, const char *wb_part)
{
    iafq_err rc = IAFQ_OK;
    char *part = NULL;
    const _rel *r = _rel_by_id(x, s->rid);
    if (!r)
        return iafq_error_set(x->err, IAFQ_ERR_FORMAT,
                              "sheet '%s' has no relationship '%s' in the "
                              "workbook: the file is damaged",
                              s->name, s->rid);
    if (!_ends_with(r->type, "/worksheet"))
        return IAFQ_OK; /* chartsheet, dialogsheet, macro sheet */
    part = _resolve(wb_part, r->target);
    if (!part)
        return iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
    long idx = _find_part(x, part);
    if (idx < 0) {
        rc = iafq_error_set(x->err, IAFQ_ERR_FORMAT,
                            "sheet '%s': its part '%s' is missing from the "
                            "file",
                            s->name, part);
        goto cleanup;
    }
    if (x->sink->sheet_begin) {
        int skip = 0;
        iafq_error cb = {0};
        rc = x->sink->sheet_begin(x->sink->ud, s->name, &skip, &cb);
        if (rc != IAFQ_OK) {
            rc = cells_callback_error(x->err, rc, &cb);
            goto cleanup;
        }
        if (skip)
            goto cleanup;
    }
    snprintf(x->what, sizeof x->what, "sheet '%.200s' (%.100s)", s->name, part);
    x->in_sheetdata = x->in_row = x->in_c = 0;
    x->row = x->prev_row = x->row_cells = 0;
    x->last_col = -1;
    x->rph = 0;
    rc = _parse_part(x, idx, _ws_start, _ws_end);
    if (rc != IAFQ_OK)
        goto cleanup;
    if (x->sink->sheet_end) {
        iafq_error cb = {0};
        rc = x->sink->sheet_end(x->sink->ud, &cb);
        if (rc != IAFQ_OK)
            rc = cells_callback_error(x->err, rc, &cb);
    }

cleanup:
    free(part);
    return rc;
}

/* ---- entry point ------------------------------------------------------- */

iafq_err xlsx_read(const char *path, const iafq_limits *lim,
                   const cell_sink *sink, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    _xr x;
    char *wb_part = NULL, *part = NULL;
    static const cell_sink none = {NULL, NULL, NULL, NULL, NULL};

    memset(&x, 0, sizeof x);
    x.lim = lim;
    x.sink = sink ? sink : &none;
    x.err = err;
    sbuf empty = SBUF_INIT;
    x.val = empty;
    x.fml = empty;

    rc = zipg_open(path, lim, &x.z, err);
    if (rc != IAFQ_OK)
        goto cleanup;

    /* Where is the workbook?  _rels/.rels, else the usual place. */
    rc = _read_rels(&x, "");
    if (rc != IAFQ_OK)
        goto cleanup;
    const _rel *od = _rel_by_type(&x, "/officeDocument");
    if (od) {
        wb_part = _resolve("", od->target);
        if (!wb_part) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (!wb_part || _find_part(&x, wb_part) < 0) {
        free(wb_part);
        wb_part = str_dup("xl/workbook.xml");
        if (!wb_part) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    long wb_idx = _find_part(&x, wb_part);
    if (wb_idx < 0) {
        rc = iafq_error_set(err, IAFQ_ERR_FORMAT,
                            "'%s' is a zip archive but not an Excel workbook "
                            "(it has no xl/workbook.xml)",
                            path);
        goto cleanup;
    }
    if (strcmp(zipg_name(x.z, (size_t)wb_idx), wb_part) != 0) {
        free(wb_part); /* use the name as stored (case) */
        wb_part = str_dup(zipg_name(x.z, (size_t)wb_idx));
        if (!wb_part) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }

    rc = _read_rels(&x, wb_part);
    if (rc != IAFQ_OK)
        goto cleanup;
    snprintf(x.what, sizeof x.what, "workbook (%.200s)", wb_part);
    rc = _parse_part(&x, wb_idx, _wb_start, _noop_end);
    if (rc != IAFQ_OK)
        goto cleanup;

    /* Styles: which cell formats show dates. */
    const _rel *sr = _rel_by_type(&x, "/styles");
    part = _resolve(wb_part, sr ? sr->target : "styles.xml");
    if (!part) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    long idx = _find_part(&x, part);
    if (idx >= 0) {
        snprintf(x.what, sizeof x.what, "styles (%.200s)", part);
        rc = _parse_part(&x, idx, _st_start, _st_end);
        if (rc == IAFQ_OK)
            rc = _finish_styles(&x);
        if (rc != IAFQ_OK)
            goto cleanup;
    }
    free(part);
    part = NULL;

    /* Shared strings. */
    sr = _rel_by_type(&x, "/sharedStrings");
    part = _resolve(wb_part, sr ? sr->target : "sharedStrings.xml");
    if (!part) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    idx = _find_part(&x, part);
    if (idx >= 0) {
        snprintf(x.what, sizeof x.what, "shared strings (%.200s)", part);
        rc = _parse_part(&x, idx, _sst_start, _sst_end);
        if (rc != IAFQ_OK)
            goto cleanup;
    }

    for (size_t i = 0; i < x.nsheets; i++) {
        rc = _read_sheet(&x, &x.sheets[i], wb_part);
        if (rc != IAFQ_OK)
            goto cleanup;
    }

cleanup:
    _free_rels(&x);
    free(x.rels);
    for (size_t i = 0; i < x.nsheets; i++) {
        free(x.sheets[i].name);
        free(x.sheets[i].rid);
    }
    free(x.sheets);
    free(x.xf_fmt);
    free(x.xf_date);
    free(x.date_fmt_ids);
    free(x.sst);
    free(x.sst_off);
    sbuf_release(&x.val);
    sbuf_release(&x.fml);
    free(part);
    free(wb_part);
    zipg_close(x.z);
    return rc;
}

/* ---- dates ------------------------------------------------------------- */

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static void _civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

int xlsx_serial_to_date(double serial, int date1904, int *y, int *m, int *d)
{
    if (!isfinite(serial) || serial < 0 || serial > 4e6)
        return -1;
    int64_t s = (int64_t)floor(serial);
    if (date1904)
        s += 1462; /* 1904-01-01 is serial 1462 of the 1900 system */
    if (s == 60 || s < 1)
        return -1; /* Excel's 1900-02-29 that never was, and 1900-01-00 */
    if (s < 61)
        s += 1; /* before the fake leap day Excel is one day ahead */
    /* Serial 61 = 1900-03-01; 1899-12-30 is 25569 days before 1970. */
    int64_t days = s - 25569;
    int yy, mm, dd;
    _civil_from_days(days, &yy, &mm, &dd);
    if (yy < 1900 || yy > 9999)
        return -1;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}
