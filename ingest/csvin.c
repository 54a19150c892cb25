/*
 * csvin.c - one untrusted CSV file to a cell_sink, with libcsv (strict).
 *
 * Pipeline: raw bytes (readfn, counted against max_file_bytes) -> decoder
 * (UTF-8 pass-through with validation, or iconv from UTF-16 / Windows-1252)
 * -> UTF-8 chunks of at most 64 KiB -> libcsv -> cells.  Memory stays
 * bounded by the chunk sizes plus one field (max_cell_bytes) whatever the
 * file size.
 *
 * Delimiter: the text is scanned from its start until the header record
 * (first field CODE or Iso3_code), wherever it is; when that is past the
 * first chunk the stream is rewound (as for the encoding).
 *
 * Quotes: libcsv runs in its lenient mode so that a quote inside an
 * unquoted field (12", 5" barrel) is a literal quote, as spreadsheet
 * programs read it; a small quoting state machine (_qscan) runs over each
 * chunk before libcsv and stops, with the line, at what stays an error: a
 * quoted field never closed, or text right after a closing quote ("a"b).
 * It also counts lines as a text editor does (CRLF, LF or CR), so every
 * error names the file and the line.
 *
 * Encoding detection: a BOM decides; without one the whole stream is checked
 * for UTF-8 validity in a first pass, then rewound (a file that fits in the
 * first chunk is not read twice).  Without a rewind function and a file
 * larger than one chunk, the first chunk decides.
 */
#include "csvin.h"

#include "i18n.h"
#include "str.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define _CHUNK (64u * 1024u)   /* raw read and decoded chunk size */
#define _CSV_BLK (16u * 1024u) /* libcsv field buffer growth step */

enum { _ENC_UTF8, _ENC_UTF16LE, _ENC_UTF16BE, _ENC_CP1252 };

static const char *_enc_names[] = {"UTF-8", "UTF-16LE", "UTF-16BE",
                                   "WINDOWS-1252"};

/* Incremental UTF-8 validator (RFC 3629: no overlongs, no surrogates). */
typedef struct {
    unsigned need;        /* continuation bytes still expected */
    unsigned back;        /* bytes of the current sequence already seen */
    unsigned char lo, hi; /* range of the next continuation byte */
} _u8state;

/* The byte source and its decoder. */
typedef struct {
    csvin_readfn rd;
    void *ctx;
    uint64_t max_bytes;
    uint64_t nread; /* raw bytes read so far */
    uint64_t pos;   /* raw stream offset of raw[rpos] */
    unsigned char *raw;
    size_t rlen, rpos;
    int eof;
    int enc;
    iconv_t cd;
    _u8state u8;
    uint64_t bom; /* bytes of the byte-order mark skipped at the start */
} _src;

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

/* Line breaks as a text editor counts them: CR LF, LF or CR alone.
 * *prev_cr carries a CR that ended the previous piece. */
static uint64_t _breaks(const char *s, size_t n, int *prev_cr)
{
    uint64_t k = 0;
    int cr = *prev_cr;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r')
            k++;
        else if (s[i] == '\n' && !cr)
            k++;
        cr = s[i] == '\r';
    }
    *prev_cr = cr;
    return k;
}

/* ---- UTF-8 validation ------------------------------------------------- */

/* Feed n bytes; returns the index of the first invalid byte, or n.  After a
 * failure st->back is how many bytes before it the bad sequence began. */
static size_t _u8_feed(_u8state *st, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (st->need) {
            if (c < st->lo || c > st->hi)
                return i;
            st->back++;
            st->need--;
            st->lo = 0x80;
            st->hi = 0xBF;
            continue;
        }
        st->back = 0;
        if (c < 0x80)
            continue;
        st->back = 1;
        st->lo = 0x80;
        st->hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            st->need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            st->need = 2;
            if (c == 0xE0)
                st->lo = 0xA0;
            else if (c == 0xED)
                st->hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            st->need = 3;
            if (c == 0xF0)
                st->lo = 0x90;
            else if (c == 0xF4)
                st->hi = 0x8F;
        } else {
            return i;
        }
    }
    return n;
}

/* ---- raw reading ------------------------------------------------------ */

/* Move unread bytes to the front and read until the buffer is full or the
 * stream ends. */
static iafq_err _raw_fill(_src *s, iafq_error *err)
{
    if (s->rpos > 0) {
        memmove(s->raw, s->raw + s->rpos, s->rlen - s->rpos);
        s->rlen -= s->rpos;
        s->rpos = 0;
    }
    while (!s->eof && s->rlen < _CHUNK) {
        size_t got = 0, want = _CHUNK - s->rlen;
        iafq_err rc = s->rd(s->ctx, s->raw + s->rlen, want, &got, err);
        if (rc != IAFQ_OK)
            return rc;
        if (got == 0) {
            s->eof = 1;
            break;
        }
        if (got > want)
            return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                                  "csv reader returned %zu bytes for %zu", got,
                                  want);
        s->rlen += got;
        s->nread += got;
        if (s->nread > s->max_bytes)
            return iafq_error_set(err, IAFQ_ERR_LIMIT,
                                  "csv file is larger than the limit of "
                                  "%llu bytes",
                                  (unsigned long long)s->max_bytes);
    }
    return IAFQ_OK;
}

static void _raw_consume(_src *s, size_t n)
{
    s->rpos += n;
    s->pos += n;
}

/* Restart the stream from its first byte. */
static iafq_err _raw_restart(_src *s, csvin_rewindfn rw, iafq_error *err)
{
    iafq_err rc = rw(s->ctx, err);
    if (rc != IAFQ_OK)
        return rc;
    s->nread = s->pos = 0;
    s->rlen = s->rpos = 0;
    s->eof = 0;
    return _raw_fill(s, err);
}

/* ---- encoding detection ----------------------------------------------- */

/* Sniff the BOM of the (filled) first chunk, or check the stream for UTF-8
 * validity; leaves s at the first byte of text. */
static iafq_err _detect_encoding(_src *s, csvin_rewindfn rw, iafq_error *err)
{
    iafq_err rc = _raw_fill(s, err);
    if (rc != IAFQ_OK)
        return rc;
    const unsigned char *b = s->raw;
    if (s->rlen >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        s->enc = _ENC_UTF8;
        _raw_consume(s, 3);
        return IAFQ_OK;
    }
    if (s->rlen >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        s->enc = _ENC_UTF16LE;
        _raw_consume(s, 2);
        return IAFQ_OK;
    }
    if (s->rlen >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        s->enc = _ENC_UTF16BE;
        _raw_consume(s, 2);
        return IAFQ_OK;
    }

    _u8state st = {0, 0, 0x80, 0xBF};
    int valid = 1;
    if (s->eof || !rw) {
        /* Everything (or, without rewind, the first chunk) is in memory. */
        valid = _u8_feed(&st, s->raw, s->rlen) == s->rlen &&
                (st.need == 0 || !s->eof);
        s->enc = valid ? _ENC_UTF8 : _ENC_CP1252;
        return IAFQ_OK;
    }
    for (;;) {
        if (_u8_feed(&st, s->raw + s->rpos, s->rlen - s->rpos) !=
            s->rlen - s->rpos) {
            valid = 0;
            break;
        }
        _raw_consume(s, s->rlen - s->rpos);
        if (s->eof) {
            valid = st.need == 0;
            break;
        }
        if ((rc = _raw_fill(s, err)) != IAFQ_OK)
            return rc;
    }
    s->enc = valid ? _ENC_UTF8 : _ENC_CP1252;
    return _raw_restart(s, rw, err);
}

/* ---- decoding to UTF-8 ------------------------------------------------ */

static iafq_err _dec_utf8(_src *s, char *out, size_t cap, size_t *olen,
                          iafq_error *err)
{
    iafq_err rc;
    while (*olen < cap) {
        if (s->rpos == s->rlen) {
            if (s->eof)
                break;
            if ((rc = _raw_fill(s, err)) != IAFQ_OK)
                return rc;
            continue;
        }
        size_t n = s->rlen - s->rpos;
        if (n > cap - *olen)
            n = cap - *olen;
        size_t ok = _u8_feed(&s->u8, s->raw + s->rpos, n);
        if (ok != n) {
            memcpy(out + *olen, s->raw + s->rpos, ok); /* for the line */
            *olen += ok;
            return iafq_error_set(
                err, IAFQ_ERR_ENCODING, "invalid UTF-8 at byte %llu",
                (unsigned long long)(s->pos + ok -
                                     (s->u8.need ? s->u8.back : 0)));
        }
        memcpy(out + *olen, s->raw + s->rpos, n);
        *olen += n;
        _raw_consume(s, n);
    }
    if (s->eof && s->rpos == s->rlen && s->u8.need)
        return iafq_error_set(err, IAFQ_ERR_ENCODING,
                              N_("truncated UTF-8 sequence at the end of the "
                                 "file"));
    return IAFQ_OK;
}

static iafq_err _dec_iconv(_src *s, char *out, size_t cap, size_t *olen,
                           iafq_error *err)
{
    iafq_err rc;
    int need_more = 0;
    while (*olen + 8 <= cap) {
        if (s->rpos == s->rlen || need_more) {
            if (s->eof) {
                if (s->rpos < s->rlen)
                    return iafq_error_set(
                        err, IAFQ_ERR_ENCODING,
                        "truncated %s sequence at the end of the file",
                        _enc_names[s->enc]);
                break;
            }
            if ((rc = _raw_fill(s, err)) != IAFQ_OK)
                return rc;
            need_more = 0;
            continue;
        }
        char *in = (char *)s->raw + s->rpos;
        size_t inleft = s->rlen - s->rpos;
        char *o = out + *olen;
        size_t oleft = cap - *olen;
        size_t r = iconv(s->cd, &in, &inleft, &o, &oleft);
        int e = errno;
        _raw_consume(s, (s->rlen - s->rpos) - inleft);
        *olen = cap - oleft;
        if (r != (size_t)-1)
            continue;
        if (e == E2BIG)
            break;
        if (e == EINVAL) {
            need_more = 1;
            continue;
        }
        if (e == EILSEQ && s->enc == _ENC_CP1252) {
            /* 0x81 0x8D 0x8F 0x90 0x9D: unassigned; keep them as the C1
             * control of the same number, as Windows does. */
            unsigned char c = s->raw[s->rpos];
            out[(*olen)++] = (char)(0xC0 | (c >> 6));
            out[(*olen)++] = (char)(0x80 | (c & 0x3F));
            _raw_consume(s, 1);
            continue;
        }
        if (e == EILSEQ)
            return iafq_error_set(err, IAFQ_ERR_ENCODING,
                                  "invalid %s at byte %llu", _enc_names[s->enc],
                                  (unsigned long long)s->pos);
        return iafq_error_set(err, IAFQ_ERR_ENCODING,
                              "cannot convert %s to UTF-8: %s",
                              _enc_names[s->enc], strerror(e));
    }
    return IAFQ_OK;
}

/* Produce the next chunk of UTF-8 text in out (cap >= 8); *olen = 0 at the
 * end of the stream. */
static iafq_err _dec_next(_src *s, char *out, size_t cap, size_t *olen,
                          iafq_error *err)
{
    *olen = 0;
    iafq_err rc = s->enc == _ENC_UTF8 ? _dec_utf8(s, out, cap, olen, err)
                                      : _dec_iconv(s, out, cap, olen, err);
    if (rc != IAFQ_OK)
        return rc;
    const char *nul = memchr(out, '\0', *olen);
    if (nul)
        return iafq_error_set(err, IAFQ_ERR_FORMAT,
                              "not a text file (NUL byte in the %s text)",
                              _enc_names[s->enc]);
    return IAFQ_OK;
}

/* ---- delimiter detection ---------------------------------------------- */

static int _is_header_field(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '"')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '"'))
        n--;
    return (n == 4 && strncasecmp(s, "CODE", 4) == 0) ||
           (n == 9 && strncasecmp(s, "Iso3_code", 9) == 0);
}

static char _best_delim(const size_t cnt[3])
{
    static const char cands[3] = {',', ';', '\t'};
    int best = 0;
    for (int i = 1; i < 3; i++)
        if (cnt[i] > cnt[best])
            best = i;
    return cands[best];
}

/* Streaming scan for the delimiter: records are split on CR/LF outside
 * quotes; a quote opens a quoted field only at a field's start (after any
 * candidate delimiter), as everywhere else it is a literal. */
typedef struct {
    int inq, qq, at_start;
    char first[16]; /* the record's first field (cut) */
    size_t nfirst;
    int first_done;
    size_t cnt[3];
    size_t fallback[3];
    int have_fallback, found;
    char delim;
} _dscan;

static void _dscan_init(_dscan *d)
{
    memset(d, 0, sizeof *d);
    d->at_start = 1;
}

static void _dscan_record_end(_dscan *d)
{
    if (_is_header_field(d->first, d->nfirst)) {
        d->found = 1;
        d->delim = _best_delim(d->cnt);
    } else if (!d->have_fallback && d->cnt[0] + d->cnt[1] + d->cnt[2] > 0) {
        memcpy(d->fallback, d->cnt, sizeof d->fallback);
        d->have_fallback = 1;
    }
    memset(d->cnt, 0, sizeof d->cnt);
    d->nfirst = 0;
    d->first_done = 0;
    d->at_start = 1;
}

/* Feed text; 1 once the header record was found (d->delim). */
static int _dscan_feed(_dscan *d, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !d->found; i++) {
        char c = s[i];
        if (d->inq) {
            if (d->qq) {
                d->qq = 0;
                if (c == '"')
                    goto text; /* "" inside quotes */
                d->inq = 0;    /* closed: c is read below */
            } else if (c == '"') {
                d->qq = 1;
                continue;
            } else {
                goto text;
            }
        }
        if (c == '"' && d->at_start) {
            d->inq = 1;
            d->at_start = 0;
            continue;
        }
        if (c == '\r' || c == '\n') {
            _dscan_record_end(d);
            continue;
        }
        int k = c == ',' ? 0 : c == ';' ? 1 : c == '\t' ? 2 : -1;
        if (k >= 0) {
            d->cnt[k]++;
            d->first_done = 1;
            d->at_start = 1;
            continue;
        }
    text:
        d->at_start = 0;
        if (!d->first_done && d->nfirst < sizeof d->first)
            d->first[d->nfirst++] = c;
    }
    return d->found;
}

/* At the end of the text: the header's delimiter, else that of the first
 * record holding any candidate. */
static char _dscan_end(_dscan *d)
{
    if (!d->found && (d->nfirst || d->cnt[0] + d->cnt[1] + d->cnt[2]))
        _dscan_record_end(d);
    return d->found ? d->delim : _best_delim(d->fallback);
}

/* ---- quoting and lines ------------------------------------------------- */

enum { _Q_START, _Q_UNQ, _Q_IN, _Q_QQ };

typedef struct {
    int state;
    char delim;
    uint64_t line;       /* line of the next character, 1-based */
    uint64_t quote_line; /* line where the open quoted field began */
    int prev_cr;
} _qscan;

/* Scan n bytes; returns n, or the offset of a character that cannot
 * follow a closing quote. */
static size_t _qscan_feed(_qscan *q, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int nl = c == '\r' || c == '\n';
        switch (q->state) {
        case _Q_START:
            q->state = c == '"'        ? _Q_IN
                       : c == q->delim ? _Q_START
                       : nl            ? _Q_START
                                       : _Q_UNQ;
            if (c == '"')
                q->quote_line = q->line;
            break;
        case _Q_UNQ:
            if (c == q->delim || nl)
                q->state = _Q_START;
            break;
        case _Q_IN:
            if (c == '"')
                q->state = _Q_QQ;
            break;
        case _Q_QQ:
            if (c == '"')
                q->state = _Q_IN;
            else if (c == q->delim || nl)
                q->state = _Q_START;
            else
                return i;
            break;
        }
        if (c == '\r' || (c == '\n' && !q->prev_cr))
            q->line++;
        q->prev_cr = c == '\r';
    }
    return n;
}

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
        p->rec_nl += _breaks(field, len, &cr);
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
        iafq_error cb = {0};
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
            iafq_error cb = {0};
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

/* Put "NAME line N: " in front of the message of a reader error. */
static iafq_err _at_line(iafq_err code, iafq_error *err, const char *name,
                         uint64_t line)
{
    if (!err)
        return code;
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return iafq_error_set(err, code, "%s line %llu: %s", name,
                          (unsigned long long)line, msg);
}

/* Skip byte-order marks (U+FEFF) at the start of the text: a file saved
 * twice through a BOM-adding tool has two. */
static void _skip_boms(char *out, size_t *olen)
{
    size_t k = 0;
    while (*olen - k >= 3 && memcmp(out + k, "\xEF\xBB\xBF", 3) == 0)
        k += 3;
    if (k) {
        memmove(out, out + k, *olen - k);
        *olen -= k;
    }
}

/* Back to the first character of the text (after the BOM), decoder reset. */
static iafq_err _text_restart(_src *s, csvin_rewindfn rw, iafq_error *err)
{
    iafq_err rc = _raw_restart(s, rw, err);
    if (rc != IAFQ_OK)
        return rc;
    _raw_consume(s, s->bom < s->rlen ? s->bom : s->rlen);
    _u8state fresh = {0, 0, 0x80, 0xBF};
    s->u8 = fresh;
    if (s->cd != (iconv_t)-1)
        iconv(s->cd, NULL, NULL, NULL, NULL);
    return IAFQ_OK;
}

/* Decode the next chunk; on an error its message gets the line, counted
 * from *line / *prev_cr (the text before this chunk). */
static iafq_err _next_chunk(_src *s, char *out, size_t *olen, const char *name,
                            uint64_t line, int prev_cr, iafq_error *err)
{
    iafq_err rc = _dec_next(s, out, _CHUNK, olen, err);
    if (rc != IAFQ_OK)
        return _at_line(rc, err, name, line + _breaks(out, *olen, &prev_cr));
    return IAFQ_OK;
}

/* The delimiter, from the header record wherever it is: the first chunk
 * (already in out) is scanned; if the header is not in it, the rest of
 * the text too, and the stream is rewound to its first chunk. */
static iafq_err _find_delim(_src *s, csvin_rewindfn rw, char *out, size_t *olen,
                            const char *name, char *delim, iafq_error *err)
{
    _dscan d;
    _dscan_init(&d);
    if (_dscan_feed(&d, out, *olen) || (s->eof && s->rpos == s->rlen) || !rw) {
        *delim = _dscan_end(&d);
        return IAFQ_OK;
    }
    uint64_t line = 1;
    int cr = 0;
    line += _breaks(out, *olen, &cr);
    iafq_err rc;
    for (;;) {
        if ((rc = _next_chunk(s, out, olen, name, line, cr, err)) != IAFQ_OK)
            return rc;
        if (*olen == 0 || _dscan_feed(&d, out, *olen))
            break;
        line += _breaks(out, *olen, &cr);
    }
    *delim = _dscan_end(&d);
    if ((rc = _text_restart(s, rw, err)) != IAFQ_OK)
        return rc;
    if ((rc = _next_chunk(s, out, olen, name, 1, 0, err)) != IAFQ_OK)
        return rc;
    _skip_boms(out, olen);
    return IAFQ_OK;
}

/* ---- the reader ------------------------------------------------------- */

iafq_err csvin_read(csvin_readfn rd, csvin_rewindfn rw, void *ctx,
                    const char *sheet_name, const iafq_limits *lim,
                    const cell_sink *sink, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    iafq_limits dlim;
    cell_sink nosink = {0};
    _src s = {0};
    _parse p = {0};
    _qscan q = {0};
    struct csv_parser cp;
    int cp_init = 0;
    char *out = NULL;
    size_t olen = 0;
    const char *name = sheet_name && *sheet_name ? sheet_name : "CSV file";
    char delim = ',';

    s.cd = (iconv_t)-1;
    if (!rd) {
        rc = iafq_error_set(err, IAFQ_ERR_INTERNAL, "csvin_read: no reader");
        goto cleanup;
    }
    if (!lim) {
        limits_default(&dlim);
        lim = &dlim;
    }
    if (!sink)
        sink = &nosink;
    s.rd = rd;
    s.ctx = ctx;
    s.max_bytes = lim->max_file_bytes;
    s.u8.lo = 0x80;
    s.u8.hi = 0xBF;
    s.raw = malloc(_CHUNK);
    out = malloc(_CHUNK);
    if (!s.raw || !out) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }

    if ((rc = _detect_encoding(&s, rw, err)) != IAFQ_OK) {
        if (rc == IAFQ_ERR_LIMIT)
            rc = iafq_error_set(err, rc,
                                "%s: the file is larger than the "
                                "limit of %llu bytes",
                                name, (unsigned long long)lim->max_file_bytes);
        goto cleanup;
    }
    s.bom = s.pos;
    if (s.enc != _ENC_UTF8) {
        s.cd = iconv_open("UTF-8", _enc_names[s.enc]);
        if (s.cd == (iconv_t)-1) {
            rc = iafq_error_set(err, IAFQ_ERR_ENCODING,
                                "cannot convert %s to UTF-8: %s",
                                _enc_names[s.enc], strerror(errno));
            goto cleanup;
        }
    }
    if ((rc = _next_chunk(&s, out, &olen, name, 1, 0, err)) != IAFQ_OK)
        goto cleanup;
    _skip_boms(out, &olen);
    if ((rc = _find_delim(&s, rw, out, &olen, name, &delim, err)) != IAFQ_OK)
        goto cleanup;

    /* lenient: a quote inside an unquoted field is a literal (_qscan
     * catches what must stay an error) */
    if (csv_init(&cp, CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "cannot start libcsv");
        goto cleanup;
    }
    cp_init = 1;
    p.delim = delim;
    csv_set_delim(&cp, (unsigned char)delim);
    csv_set_space_func(&cp, _no_space);
    csv_set_blk_size(&cp, _CSV_BLK);
    q.delim = delim;
    q.line = 1;

    p.sink = sink;
    p.lim = lim;
    p.err = err;
    p.name = name;
    p.rec_line = 1;

    if (sink->sheet_begin) {
        int skip = 0;
        iafq_error cb = {0};
        rc = sink->sheet_begin(sink->ud, sheet_name ? sheet_name : "", &skip,
                               &cb);
        if (rc != IAFQ_OK) {
            rc = cells_callback_error(err, rc, &cb);
            goto cleanup;
        }
        if (skip)
            goto cleanup;
    }

    while (olen > 0) {
        size_t ok = _qscan_feed(&q, out, olen);
        size_t done = csv_parse(&cp, out, ok, _on_field, _on_record, &p);
        if (p.rc != IAFQ_OK) {
            rc = p.rc;
            goto cleanup;
        }
        if (done < ok) {
            rc = _csv_fail(&cp, &p, err);
            goto cleanup;
        }
        if (ok < olen) {
            rc = iafq_error_set(
                err, IAFQ_ERR_CSV,
                "%s line %llu: text after the closing quote of a quoted field "
                "(inside a quoted field, write a quote as two quotes \"\")",
                name, (unsigned long long)q.line);
            goto cleanup;
        }
        if (cp.entry_pos > lim->max_cell_bytes) {
            char ref[16];
            uint64_t row = p.records + 1;
            rc = iafq_error_set(
                err, IAFQ_ERR_LIMIT,
                "%s line %llu: cell %s holds more than %u "
                "bytes%s",
                name, (unsigned long long)p.rec_line,
                cells_ref(row > UINT32_MAX ? UINT32_MAX : (uint32_t)row,
                          p.field, ref),
                lim->max_cell_bytes,
                q.state == _Q_IN ? " (is the quoted field that starts there "
                                   "ever closed?)"
                                 : "");
            goto cleanup;
        }
        if ((rc = _next_chunk(&s, out, &olen, name, q.line, q.prev_cr, err)) !=
            IAFQ_OK) {
            if (rc == IAFQ_ERR_LIMIT)
                rc = iafq_error_set(err, rc,
                                    "%s: the file is larger than the limit "
                                    "of %llu bytes",
                                    name,
                                    (unsigned long long)lim->max_file_bytes);
            goto cleanup;
        }
    }
    if (q.state == _Q_IN) {
        rc = iafq_error_set(err, IAFQ_ERR_CSV,
                            "%s line %llu: the quoted field that starts on "
                            "this line is never closed (a quote \" is "
                            "missing)",
                            name, (unsigned long long)q.quote_line);
        goto cleanup;
    }
    if (csv_fini(&cp, _on_field, _on_record, &p) != 0) {
        rc = _csv_fail(&cp, &p, err);
        goto cleanup;
    }
    if (p.rc != IAFQ_OK) {
        rc = p.rc;
        goto cleanup;
    }
    if (sink->sheet_end) {
        iafq_error cb = {0};
        rc = sink->sheet_end(sink->ud, &cb);
        if (rc != IAFQ_OK)
            rc = cells_callback_error(err, rc, &cb);
    }

cleanup:
    if (cp_init)
        csv_free(&cp);
    if (s.cd != (iconv_t)-1)
        iconv_close(s.cd);
    free(s.raw);
    free(out);
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
