/*
 * xlsx_xml.c - the expat driver of the xlsx reader (see xlsx_xml.h).
 */
#include "xlsx_xml.h"
#include "xlsx_xml_int.h"

#include "cells.h"
#include "grow.h"
#include "ringq.h"
#include "work.h"

#include <expat.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names, attributes, text ------------------------------------------- */

/* Local part of an element or attribute name. */
static const char *_local(const char *name)
{
    if (name[0] && !name[1]) /* "c", "v": the most frequent names */
        return name;
    for (const char *p = name; *p; p++)
        if (*p == ':')
            return p + 1;
    return name;
}

const char *xlsx_xml_attr(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(_local(atts[i]), local) == 0)
            return atts[i + 1];
    return NULL;
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

void xlsx_xml_unescape(sbuf *b)
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

/* ---- stopping ------------------------------------------------------------ */

void xlsx_xml_stop(xlsx_xml *px, iafq_err code, const char *fmt, ...)
{
    if (px->rc == IAFQ_OK) {
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        px->rc = iafq_error_set(px->err, code, "%s: %s", px->what, msg);
    }
    XML_StopParser(px->p, XML_FALSE);
}

void xlsx_xml_stop_cb(xlsx_xml *px, iafq_err code, const iafq_error *cb)
{
    if (px->rc == IAFQ_OK)
        px->rc = cells_callback_error(px->err, code, cb);
    XML_StopParser(px->p, XML_FALSE);
}

int xlsx_xml_grow(xlsx_xml *px, void **p, size_t *cap, size_t need, size_t size,
                  size_t first)
{
    if (grow(p, cap, need, size, first) == 0)
        return 0;
    xlsx_xml_stop(px, IAFQ_ERR_NOMEM, "out of memory");
    return -1;
}

/* ---- expat callbacks ----------------------------------------------------- */

static void XMLCALL _on_start(void *ud, const XML_Char *name,
                              const XML_Char **atts)
{
    xlsx_xml *px = ud;
    if (px->rc != IAFQ_OK)
        return;
    if (++px->depth > XLSX_XML_MAX_DEPTH) {
        xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                      "elements nested more than %u deep (refused)",
                      XLSX_XML_MAX_DEPTH);
        return;
    }
    if (px->depth <= XLSX_XML_STACK)
        px->stack[px->depth - 1] = name;
    if (!px->mute)
        px->h->start(px, px->ud, _local(name), atts);
}

static void XMLCALL _on_end(void *ud, const XML_Char *name)
{
    xlsx_xml *px = ud;
    if (px->depth)
        px->depth--;
    if (px->rc == IAFQ_OK && !px->mute && px->h->end)
        px->h->end(px, px->ud, _local(name));
}

static void XMLCALL _on_text(void *ud, const XML_Char *s, int len)
{
    xlsx_xml *px = ud;
    if (px->rc == IAFQ_OK && !px->mute)
        px->h->text(px, px->ud, s, (size_t)len);
}

static void XMLCALL _on_doctype(void *ud, const XML_Char *name,
                                const XML_Char *sysid, const XML_Char *pubid,
                                int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    xlsx_xml_stop(ud, IAFQ_ERR_FORMAT,
                  "workbook XML declares a DTD (refused: it could define "
                  "entities)");
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
    xlsx_xml_stop(ud, IAFQ_ERR_FORMAT,
                  "workbook XML declares an entity (refused)");
}

void xlsx_xml_setup(xlsx_xml *px, XML_Parser p, const xlsx_xml_handlers *h,
                    void *ud, const char *what, iafq_error *err)
{
    memset(px, 0, sizeof *px);
    px->p = p;
    px->h = h;
    px->ud = ud;
    px->what = what;
    px->err = err;
    px->rc = IAFQ_OK;
    XML_SetUserData(p, px);
    XML_SetElementHandler(p, _on_start, _on_end);
    if (h->text)
        XML_SetCharacterDataHandler(p, _on_text);
    XML_SetStartDoctypeDeclHandler(p, _on_doctype);
    XML_SetEntityDeclHandler(p, _on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
}

iafq_err xlsx_xml_failed(xlsx_xml *px)
{
    if (px->rc != IAFQ_OK)
        return px->rc;
    enum XML_Error xe = XML_GetErrorCode(px->p);
    return iafq_error_set(
        px->err, xe == XML_ERROR_NO_MEMORY ? IAFQ_ERR_NOMEM : IAFQ_ERR_XML,
        "%s: XML error at line %lu: %s", px->what,
        (unsigned long)XML_GetCurrentLineNumber(px->p), XML_ErrorString(xe));
}

/* ---- token scanner --------------------------------------------------------
 *
 * Follows the bytes fed to expat just enough to know how long the token
 * under way is: a text run (between '>' and '<'; one of white space only is
 * not limited: expat passes text on as it goes, and the zip ratio guard is
 * what stops a bomb of blanks), or markup from '<' to its end: '>' outside
 * quotes for tags and declarations, "-->" for comments,
 * "]]>" for CDATA sections, "?>" for processing instructions.  Malformed
 * XML can only make it count more than expat would (a stray quote), never
 * less, and expat rejects that XML anyway.
 */

enum {
    S_TEXT,
    S_LT,        /* after '<' */
    S_BANG,      /* after "<!" */
    S_BANG_DASH, /* after "<!-" */
    S_TAG,       /* a tag or a declaration */
    S_COMMENT,
    S_CDATA,
    S_PI
};

/* One byte ch of markup other than a tag's body (after '<', in "<!",
 * comments, CDATA, processing instructions), or the first byte of a tag
 * when '<' ended the previous chunk.  1 when the token is too long. */
static int scan_byte(xlsx_scan *sc, unsigned char ch)
{
    if (++sc->run > XLSX_XML_TOKEN_MAX)
        return 1;
    int end = 0;
    switch (sc->state) {
    case S_LT:
        sc->quote = 0;
        sc->marks = 0;
        sc->state = ch == '!' ? S_BANG : ch == '?' ? S_PI : S_TAG;
        if (sc->state != S_TAG)
            return 0;
        break;
    case S_BANG:
        sc->state = ch == '-' ? S_BANG_DASH : ch == '[' ? S_CDATA : S_TAG;
        if (sc->state != S_TAG)
            return 0;
        break;
    case S_BANG_DASH:
        sc->state = ch == '-' ? S_COMMENT : S_TAG;
        if (sc->state != S_TAG)
            return 0;
        break;
    case S_COMMENT:
        end = ch == '>' && sc->marks >= 2;
        sc->marks = ch == '-' ? sc->marks + 1 : 0;
        break;
    case S_CDATA:
        end = ch == '>' && sc->marks >= 2;
        sc->marks = ch == ']' ? sc->marks + 1 : 0;
        break;
    case S_PI:
        end = ch == '>' && sc->marks;
        sc->marks = ch == '?';
        break;
    default:
        break;
    }
    if (sc->state == S_TAG) {
        if (sc->quote)
            sc->quote = ch == (unsigned char)sc->quote ? 0 : sc->quote;
        else if (ch == '"' || ch == '\'')
            sc->quote = (char)ch;
        else
            end = ch == '>';
    }
    if (end) {
        sc->state = S_TEXT;
        sc->run = 0;
    }
    return 0;
}

/* Byte classes of the scanner's hot loops (one table look-up a byte). */
enum { C_LT = 1, C_GT = 2, C_QUOTE = 4, C_INK = 8 };

static unsigned char scan_cls[256];
static pthread_once_t scan_cls_once = PTHREAD_ONCE_INIT;

static void scan_cls_init(void)
{
    for (int c = 0; c < 256; c++)
        scan_cls[c] =
            (c == ' ' || c == '\t' || c == '\n' || c == '\r') ? 0 : C_INK;
    scan_cls['<'] = C_LT;
    scan_cls['>'] = C_GT | C_INK;
    scan_cls['"'] = C_QUOTE | C_INK;
    scan_cls['\''] = C_QUOTE | C_INK;
}

/* Text runs and tags from p, one after the other, until the chunk ends,
 * a token is too long (TOO_LONG_TEXT / TOO_LONG_MARKUP returned) or other
 * markup ("<!", "<?", a '<' that ends the chunk) needs scan_byte().  The
 * state lives in locals meanwhile: nearly every byte of a worksheet goes
 * through the two inner loops, one table look-up each. */
static int scan_fast(xlsx_scan *sc, const unsigned char **pp,
                     const unsigned char *e)
{
    const unsigned char *p = *pp;
    int state = sc->state, ink = sc->ink, rc = 0;
    uint64_t run = sc->run;
    unsigned char quote = (unsigned char)sc->quote;
    for (;;) {
        if (state == S_TEXT) {
            const unsigned char *q = p;
            if (!ink) {
                while (q < e && !(scan_cls[*q] & (C_LT | C_INK)))
                    q++;
                ink = q < e && *q != '<';
            }
            while (q < e && *q != '<')
                q++;
            run += (uint64_t)(q - p);
            p = q;
            if (run > XLSX_XML_TOKEN_MAX && ink) {
                rc = TOO_LONG_TEXT;
                break;
            }
            if (q == e)
                break;
            p = q + 1;
            run = 1;
            ink = 0;
            quote = 0;
            sc->marks = 0;
            if (p == e || *p == '!' || *p == '?') {
                state = S_LT;
                break;
            }
            state = S_TAG;
        }
        /* a tag: to its '>' outside quotes */
        uint64_t room = XLSX_XML_TOKEN_MAX - run;
        size_t k = (size_t)(e - p) < room ? (size_t)(e - p) : (size_t)room;
        const unsigned char *q = p, *lim = p + k;
        int end = 0;
        while (q < lim) {
            if (quote) { /* to the closing quote */
                while (q < lim && *q != quote)
                    q++;
                if (q == lim)
                    break;
                q++;
                quote = 0;
                continue;
            }
            while (q < lim && !(scan_cls[*q] & (C_GT | C_QUOTE)))
                q++;
            if (q == lim)
                break;
            if (*q++ == '>') {
                end = 1;
                break;
            }
            quote = q[-1];
        }
        run += (uint64_t)(q - p);
        p = q;
        if (!end) {
            if (q < e)
                rc = TOO_LONG_MARKUP; /* the next byte is one too many */
            break;
        }
        state = S_TEXT;
        run = 0;
    }
    sc->state = state;
    sc->ink = ink;
    sc->run = run;
    sc->quote = (char)quote;
    *pp = p;
    return rc;
}

/* 0, or TOO_LONG_TEXT / TOO_LONG_MARKUP.  Text runs and tags (nearly all
 * the bytes) go through scan_fast(); the rest, one byte at a
 * time, through the states below. */
int xlsx_xml_scan(xlsx_scan *sc, const char *buf, size_t n)
{
    const unsigned char *p = (const unsigned char *)buf, *e = p + n;
    pthread_once(&scan_cls_once, scan_cls_init);
    while (p < e) {
        int rc = 0;
        if (sc->state == S_TEXT || sc->state == S_TAG)
            rc = scan_fast(sc, &p, e);
        else if (scan_byte(sc, *p++))
            rc = TOO_LONG_MARKUP;
        if (rc)
            return rc;
    }
    return 0;
}

iafq_err xlsx_xml_scan_error(iafq_error *err, int too_long)
{
    return iafq_error_set(
        err, IAFQ_ERR_LIMIT, "an XML %s is larger than %u bytes (limit)",
        too_long == TOO_LONG_TEXT ? "text run" : "tag or comment",
        XLSX_XML_TOKEN_MAX);
}

/* ---- the inflate pipeline -------------------------------------------------
 *
 * A producer thread fills the ring's chunk buffers from the zip entry; the
 * parser takes them in order.  The archive is used by one thread at a time
 * (the parser does not touch it meanwhile).  Build with -DXLSX_NO_THREAD to
 * always inflate on the parser thread (to test that path, or to compare).
 */

typedef struct {
    ringq q;
    xlsx_scan
        scan; /* the producer's: tokens are measured as chunks are filled */
    zipg_entry *e;
    char *buf[XLSX_XML_NBUF];
    size_t len[XLSX_XML_NBUF];
    int done;       /* unthreaded: the producer side has closed the ring */
    iafq_err rc;    /* the producer's error, set before closing */
    iafq_error err; /* its message */
} _pipe;

/* Fill one slot: 1 a chunk, 0 the end of the entry, -1 an error. */
static int _pipe_fill(_pipe *pp, int slot)
{
    char *b = pp->buf[slot];
    size_t n = 0, got = 0;
    iafq_err rc;
    do {
        rc = zipg_entry_read(pp->e, b + n, XLSX_XML_CHUNK - n, &got, &pp->err);
        n += got;
    } while (rc == IAFQ_OK && got > 0 && n < XLSX_XML_CHUNK);
    pp->len[slot] = n;
    if (rc != IAFQ_OK) {
        pp->rc = rc;
        return -1;
    }
    int too_long = xlsx_xml_scan(&pp->scan, b, n);
    if (too_long) { /* this chunk never reaches expat */
        pp->rc = xlsx_xml_scan_error(&pp->err, too_long);
        return -1;
    }
    return n == 0 ? 0 : 1;
}

/* Fill one slot and hand it over, or close the ring; 0 when closed. */
static int _pipe_produce(_pipe *pp)
{
    int slot = ringq_reserve(&pp->q);
    if (slot < 0)
        return 0;
    if (_pipe_fill(pp, slot) > 0) {
        ringq_publish(&pp->q);
        return 1;
    }
    ringq_close(&pp->q);
    return 0;
}

static void *_pipe_main(void *arg)
{
    while (_pipe_produce(arg))
        ;
    return NULL;
}

/* The next chunk's slot (-1 at the end), or the producer's error. */
static iafq_err _pipe_next(_pipe *pp, int threaded, int *slot, iafq_error *err)
{
    if (!threaded && !pp->done)
        pp->done = !_pipe_produce(pp);
    *slot = ringq_take(&pp->q);
    if (*slot < 0 && pp->rc != IAFQ_OK) {
        if (err)
            *err = pp->err;
        return pp->rc;
    }
    return IAFQ_OK;
}

/* ---- one part ------------------------------------------------------------ */

iafq_err xlsx_xml_parse(zipg *z, size_t idx, const char *what,
                        const xlsx_xml_handlers *h, void *ud, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    xlsx_xml px;
    XML_Parser p = NULL;
    _pipe pp;
    pthread_t th;
    int threaded = 0, ring_ok = 0;

    memset(&pp, 0, sizeof pp);
    if (ringq_init(&pp.q, XLSX_XML_NBUF) != 0)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "cannot create a mutex or condition variable");
    ring_ok = 1;
    p = XML_ParserCreate(NULL);
    if (!p) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    xlsx_xml_setup(&px, p, h, ud, what, err);

    rc = zipg_entry_open(z, idx, &pp.e, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    for (unsigned k = 0; k < XLSX_XML_NBUF; k++) {
        pp.buf[k] = malloc(XLSX_XML_CHUNK);
        if (!pp.buf[k]) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
#ifdef XLSX_NO_THREAD
    (void)_pipe_main;
    (void)th;
#else
    threaded = pthread_create(&th, NULL, _pipe_main, &pp) == 0;
#endif

    for (;;) {
        int slot;
        rc = _pipe_next(&pp, threaded, &slot, err);
        if (rc != IAFQ_OK) {
            if (err) {
                char tmp[sizeof err->msg];
                snprintf(tmp, sizeof tmp, "%s", err->msg);
                iafq_error_set(err, rc, "%s: %s", what, tmp);
            }
            goto cleanup;
        }
        const char *buf = slot >= 0 ? pp.buf[slot] : "";
        size_t n = slot >= 0 ? pp.len[slot] : 0;
        work_add(WORK_XML_BYTES, n);
        enum XML_Status st = XML_Parse(px.p, buf, (int)n, n == 0);
        if (slot >= 0)
            ringq_release(&pp.q);
        if (st == XML_STATUS_ERROR) {
            rc = xlsx_xml_failed(&px);
            goto cleanup;
        }
        if (px.rc != IAFQ_OK) { /* defensive: stopped without an error */
            rc = px.rc;
            goto cleanup;
        }
        if (n == 0)
            break;
    }

cleanup:
    if (threaded) {
        ringq_cancel(&pp.q);
        pthread_join(th, NULL);
    }
    for (unsigned k = 0; k < XLSX_XML_NBUF; k++)
        free(pp.buf[k]);
    zipg_entry_close(pp.e);
    if (ring_ok)
        ringq_destroy(&pp.q);
    if (p)
        XML_ParserFree(p);
    return rc;
}
