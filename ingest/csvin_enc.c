/*
 * csvin_enc.c - byte source and decoding of the CSV reader (see
 * csvin_enc.h).
 */
#include "csvin_enc.h"

#include "csvin_scan.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *enc_names[] = {"UTF-8", "UTF-16LE", "UTF-16BE",
                                  "WINDOWS-1252"};

/* ---- UTF-8 validation ------------------------------------------------- */

/* Feed n bytes; returns the index of the first invalid byte, or n.  After a
 * failure st->back is how many bytes before it the bad sequence began. */
static size_t _u8_feed(csvin_u8state *st, const unsigned char *s, size_t n)
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
static iafq_err _raw_fill(csvin_src *s, iafq_error *err)
{
    if (s->rpos > 0) {
        memmove(s->raw, s->raw + s->rpos, s->rlen - s->rpos);
        s->rlen -= s->rpos;
        s->rpos = 0;
    }
    while (!s->eof && s->rlen < CSVIN_CHUNK) {
        size_t got = 0, want = CSVIN_CHUNK - s->rlen;
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

static void _raw_consume(csvin_src *s, size_t n)
{
    s->rpos += n;
    s->pos += n;
}

/* Restart the stream from its first byte. */
static iafq_err _raw_restart(csvin_src *s, csvin_rewindfn rw, iafq_error *err)
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
static iafq_err _detect_encoding(csvin_src *s, csvin_rewindfn rw,
                                 iafq_error *err)
{
    iafq_err rc = _raw_fill(s, err);
    if (rc != IAFQ_OK)
        return rc;
    const unsigned char *b = s->raw;
    if (s->rlen >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        s->enc = CSVIN_ENC_UTF8;
        _raw_consume(s, 3);
        return IAFQ_OK;
    }
    if (s->rlen >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        s->enc = CSVIN_ENC_UTF16LE;
        _raw_consume(s, 2);
        return IAFQ_OK;
    }
    if (s->rlen >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        s->enc = CSVIN_ENC_UTF16BE;
        _raw_consume(s, 2);
        return IAFQ_OK;
    }

    csvin_u8state st = {0, 0, 0x80, 0xBF};
    int valid = 1;
    if (s->eof || !rw) {
        /* Everything (or, without rewind, the first chunk) is in memory. */
        valid = _u8_feed(&st, s->raw, s->rlen) == s->rlen &&
                (st.need == 0 || !s->eof);
        s->enc = valid ? CSVIN_ENC_UTF8 : CSVIN_ENC_CP1252;
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
    s->enc = valid ? CSVIN_ENC_UTF8 : CSVIN_ENC_CP1252;
    return _raw_restart(s, rw, err);
}

/* ---- decoding to UTF-8 ------------------------------------------------ */

static iafq_err _dec_utf8(csvin_src *s, char *out, size_t cap, size_t *olen,
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

static iafq_err _dec_iconv(csvin_src *s, char *out, size_t cap, size_t *olen,
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
                        enc_names[s->enc]);
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
        if (e == EILSEQ && s->enc == CSVIN_ENC_CP1252) {
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
                                  "invalid %s at byte %llu", enc_names[s->enc],
                                  (unsigned long long)s->pos);
        return iafq_error_set(err, IAFQ_ERR_ENCODING,
                              "cannot convert %s to UTF-8: %s",
                              enc_names[s->enc], strerror(e));
    }
    return IAFQ_OK;
}

/* Produce the next chunk of UTF-8 text in out (cap >= 8); *olen = 0 at the
 * end of the stream. */
static iafq_err _dec_next(csvin_src *s, char *out, size_t cap, size_t *olen,
                          iafq_error *err)
{
    *olen = 0;
    iafq_err rc = s->enc == CSVIN_ENC_UTF8 ? _dec_utf8(s, out, cap, olen, err)
                                           : _dec_iconv(s, out, cap, olen, err);
    if (rc != IAFQ_OK)
        return rc;
    const char *nul = memchr(out, '\0', *olen);
    if (nul)
        return iafq_error_set(err, IAFQ_ERR_FORMAT,
                              "not a text file (NUL byte in the %s text)",
                              enc_names[s->enc]);
    return IAFQ_OK;
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
void csvin_skip_boms(char *out, size_t *olen)
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
iafq_err csvin_src_rewind_text(csvin_src *s, iafq_error *err)
{
    iafq_err rc = _raw_restart(s, s->rw, err);
    if (rc != IAFQ_OK)
        return rc;
    _raw_consume(s, s->bom < s->rlen ? s->bom : s->rlen);
    csvin_u8state fresh = {0, 0, 0x80, 0xBF};
    s->u8 = fresh;
    if (s->cd != (iconv_t)-1)
        iconv(s->cd, NULL, NULL, NULL, NULL);
    return IAFQ_OK;
}

/* Decode the next chunk; on an error its message gets the line, counted
 * from *line / *prev_cr (the text before this chunk). */
iafq_err csvin_src_chunk(csvin_src *s, char *out, size_t *olen,
                         const char *name, uint64_t line, int prev_cr,
                         iafq_error *err)
{
    iafq_err rc = _dec_next(s, out, CSVIN_CHUNK, olen, err);
    if (rc != IAFQ_OK)
        return _at_line(rc, err, name,
                        line + csvin_breaks(out, *olen, &prev_cr));
    return IAFQ_OK;
}

iafq_err csvin_src_open(csvin_src *s, csvin_readfn rd, csvin_rewindfn rw,
                        void *ctx, uint64_t max_bytes, iafq_error *err)
{
    memset(s, 0, sizeof *s);
    s->cd = (iconv_t)-1;
    s->rd = rd;
    s->rw = rw;
    s->ctx = ctx;
    s->max_bytes = max_bytes;
    s->u8.lo = 0x80;
    s->u8.hi = 0xBF;
    s->raw = malloc(CSVIN_CHUNK);
    if (!s->raw)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    iafq_err rc = _detect_encoding(s, rw, err);
    if (rc != IAFQ_OK)
        return rc;
    s->bom = s->pos;
    if (s->enc != CSVIN_ENC_UTF8) {
        s->cd = iconv_open("UTF-8", enc_names[s->enc]);
        if (s->cd == (iconv_t)-1)
            return iafq_error_set(err, IAFQ_ERR_ENCODING,
                                  "cannot convert %s to UTF-8: %s",
                                  enc_names[s->enc], strerror(errno));
    }
    return IAFQ_OK;
}

void csvin_src_close(csvin_src *s)
{
    if (!s)
        return;
    if (s->raw && s->cd != (iconv_t)-1)
        iconv_close(s->cd);
    s->cd = (iconv_t)-1;
    free(s->raw);
    s->raw = NULL;
}
