#include "csvw.h"

#include "exp.h"
#include "str.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct csvw {
    FILE *f;
    int own;    /* f was opened here */
    int first;  /* no field yet in this record */
    int errnum; /* first write error (errno), 0 when none */
    int lf;     /* records end with LF, not CRLF */
    char *path; /* for messages */
    sbuf valid; /* scratch for text made valid */
};

iafq_err csvw_open(const char *path, FILE *f, csvw **out, iafq_error *err)
{
    *out = NULL;
    csvw *w = calloc(1, sizeof *w);
    if (!w || !(w->path = str_dup(path ? path : "(stream)"))) {
        free(w);
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    if (path) {
        f = fopen(path, "wb");
        if (!f) {
            int e = errno;
            free(w->path);
            free(w);
            return iafq_error_set(err, iafq_err_open(e),
                                  "cannot write '%s': %s", path, strerror(e));
        }
        w->own = 1;
    }
    w->f = f;
    w->first = 1;
    *out = w;
    return IAFQ_OK;
}

static int _put(csvw *w, const char *s, size_t n)
{
    if (w->errnum)
        return -1;
    if (n && fwrite(s, 1, n, w->f) != n) {
        w->errnum = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

int csvw_field(csvw *w, const char *s, size_t n, unsigned flags)
{
    if (w->errnum)
        return -1;
    if (!w->first && _put(w, ",", 1))
        return -1;
    w->first = 0;
    if (!s)
        return 0;
    if (flags & CSVW_TEXT) {
        if (!utf8_valid(s, n)) {
            sbuf_reset(&w->valid);
            if (utf8_add_valid(&w->valid, s, n)) {
                w->errnum = ENOMEM;
                return -1;
            }
            s = w->valid.buf;
            n = w->valid.len;
        }
    }
    int apos = (flags & CSVW_TEXT) && n > 0 && exp_formula_like(s);
    int quote = n == 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (quote && _put(w, "\"", 1))
        return -1;
    if (apos && _put(w, "'", 1))
        return -1;
    if (!quote)
        return _put(w, s, n);
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"')
            continue;
        if (_put(w, s + from, i + 1 - from)) /* through the quote ... */
            return -1;
        from = i; /* ... and the quote again */
    }
    if (_put(w, s + from, n - from))
        return -1;
    return _put(w, "\"", 1);
}

int csvw_str(csvw *w, const char *s, unsigned flags)
{
    return csvw_field(w, s, s ? strlen(s) : 0, flags);
}

int csvw_end(csvw *w)
{
    w->first = 1;
    return w->lf ? _put(w, "\n", 1) : _put(w, "\r\n", 2);
}

void csvw_lf(csvw *w)
{
    w->lf = 1;
}

int csvw_raw(csvw *w, const char *s, size_t n)
{
    return _put(w, s, n);
}

iafq_err csvw_close(csvw *w, iafq_error *err)
{
    if (!w)
        return IAFQ_OK;
    int e = w->errnum;
    if (fflush(w->f) != 0 && !e)
        e = errno ? errno : EIO;
    if (w->own && fclose(w->f) != 0 && !e)
        e = errno ? errno : EIO;
    iafq_err rc = IAFQ_OK;
    if (e)
        rc = iafq_error_set(err, e == ENOMEM ? IAFQ_ERR_NOMEM : IAFQ_ERR_IO,
                            "cannot write '%s': %s", w->path, strerror(e));
    sbuf_release(&w->valid);
    free(w->path);
    free(w);
    return rc;
}
