#include "utf8.h"

#include <stdlib.h>
#include <string.h>

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    *cp = UTF8_REPLACEMENT;
    if (n == 0)
        return 0;
    unsigned c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = UTF8_REPLACEMENT;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the unit at s: a valid character, or one invalid byte. */
static size_t _unit(const char *s, size_t n, uint32_t *cp, int *valid)
{
    size_t k = utf8_decode(s, n, cp);
    *valid = k > 0;
    return k ? k : 1;
}

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) { /* fast path for ASCII */
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

size_t utf8_len(const char *s, size_t n)
{
    size_t count = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        int ok;
        i += _unit(s + i, n - i, &cp, &ok);
        count++;
    }
    return count;
}

size_t utf8_prefix(const char *s, size_t n, size_t max_chars, size_t max_bytes)
{
    size_t i = 0, chars = 0;
    while (i < n && chars < max_chars) {
        uint32_t cp;
        int ok;
        size_t k = _unit(s + i, n - i, &cp, &ok);
        if (i + k > max_bytes)
            break;
        i += k;
        chars++;
    }
    return i;
}

size_t utf8_partial_tail(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    /* walk back over at most 3 continuation bytes to a lead byte */
    for (size_t back = 1; back <= 4 && back <= n; back++) {
        unsigned c = p[n - back];
        if ((c & 0xC0) == 0x80)
            continue;
        size_t need = (c & 0xE0) == 0xC0   ? 2
                      : (c & 0xF0) == 0xE0 ? 3
                      : (c & 0xF8) == 0xF0 ? 4
                                           : 0;
        return (need > back) ? back : 0;
    }
    return 0;
}

int utf8_add_valid(sbuf *out, const char *s, size_t n)
{
    size_t i = 0, run = 0; /* valid bytes from i - run not yet copied */
    while (i < n) {
        uint32_t cp;
        int ok;
        size_t k = _unit(s + i, n - i, &cp, &ok);
        if (ok) {
            i += k;
            run += k;
            continue;
        }
        if (sbuf_add(out, s + i - run, run) || sbuf_add(out, "\xEF\xBF\xBD", 3))
            return -1;
        run = 0;
        i++;
    }
    return sbuf_add(out, s + n - run, run);
}

char *utf8_make_valid(const char *s, size_t n)
{
    sbuf b = SBUF_INIT;
    if (utf8_add_valid(&b, s, n)) {
        sbuf_release(&b);
        return NULL;
    }
    return sbuf_detach(&b);
}

char *utf8_valid_prefix(const char *s, size_t n, size_t max_chars)
{
    return utf8_make_valid(s, utf8_prefix(s, n, max_chars, (size_t)-1));
}

/* ------------------------------------------------------------- escapers */

typedef int (*_emit_fn)(void *dst, const char *s, size_t n);

static int _emit_sbuf(void *dst, const char *s, size_t n)
{
    return sbuf_add(dst, s, n);
}

static int _emit_file(void *dst, const char *s, size_t n)
{
    return (n == 0 || fwrite(s, 1, n, dst) == n) ? 0 : -1;
}

static bool _is_c1(uint32_t cp)
{
    return cp >= 0x80 && cp <= 0x9F;
}

static bool _is_bidi_or_sep(uint32_t cp)
{
    return cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Walk s, copying runs of characters that need no escape and calling
 * esc() for the others (cp is U+FFFD and valid 0 for an invalid byte). */
static int _escape(const char *s, size_t n, _emit_fn emit, void *dst,
                   int (*needs)(uint32_t cp, int valid),
                   int (*esc)(_emit_fn emit, void *dst, uint32_t cp,
                              unsigned char byte, int valid))
{
    size_t i = 0, start = 0;
    while (i < n) {
        uint32_t cp;
        int ok;
        size_t k = _unit(s + i, n - i, &cp, &ok);
        if (!needs(cp, ok)) {
            i += k;
            continue;
        }
        if (emit(dst, s + start, i - start) ||
            esc(emit, dst, cp, (unsigned char)s[i], ok))
            return -1;
        i += k;
        start = i;
    }
    return emit(dst, s + start, i - start);
}

static int _json_needs(uint32_t cp, int valid)
{
    return !valid || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
           cp == 0x7F || _is_c1(cp) || _is_bidi_or_sep(cp);
}

static int _json_esc(_emit_fn emit, void *dst, uint32_t cp, unsigned char byte,
                     int valid)
{
    (void)byte;
    char buf[8];
    snprintf(buf, sizeof buf, "\\u%04x", valid ? (unsigned)cp : 0xFFFDu);
    return emit(dst, buf, 6);
}

int utf8_escape_json(sbuf *out, const char *s, size_t n)
{
    return _escape(s, n, _emit_sbuf, out, _json_needs, _json_esc);
}

static int _text_needs(uint32_t cp, int valid)
{
    return !valid || cp < 0x20 || cp == 0x7F || _is_c1(cp) ||
           _is_bidi_or_sep(cp);
}

static int _text_esc(_emit_fn emit, void *dst, uint32_t cp, unsigned char byte,
                     int valid)
{
    char buf[12];
    int len;
    if (!valid)
        len = snprintf(buf, sizeof buf, "\\x%02X", byte);
    else if (cp == '\t')
        len = snprintf(buf, sizeof buf, "\\t");
    else if (cp == '\n')
        len = snprintf(buf, sizeof buf, "\\n");
    else if (cp == '\r')
        len = snprintf(buf, sizeof buf, "\\r");
    else if (cp < 0x80)
        len = snprintf(buf, sizeof buf, "\\x%02X", (unsigned)cp);
    else
        len = snprintf(buf, sizeof buf, "\\u%04X", (unsigned)cp);
    return emit(dst, buf, (size_t)len);
}

int utf8_escape_text(sbuf *out, const char *s, size_t n)
{
    return _escape(s, n, _emit_sbuf, out, _text_needs, _text_esc);
}

int utf8_fput_text(FILE *f, const char *s, size_t n)
{
    return _escape(s, n, _emit_file, f, _text_needs, _text_esc);
}

bool utf8_xml_char(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD ||
           (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

static int _hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

/* Whether s[0..n) starts with an OOXML escape _xHHHH_. */
static bool _ooxml_escape_at(const char *s, size_t n)
{
    if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return false;
    for (int i = 2; i < 6; i++)
        if (_hexval((unsigned char)s[i]) < 0)
            return false;
    return true;
}

int utf8_xml_text(sbuf *out, const char *s, size_t n, int ooxml,
                  size_t max_chars)
{
    size_t i = 0, start = 0, chars = 0;
    while (i < n) {
        uint32_t cp;
        int ok;
        size_t k = _unit(s + i, n - i, &cp, &ok);
        int bad = !ok || !utf8_xml_char(cp) || (ooxml && cp == '\r');
        int protect = ooxml && cp == '_' && _ooxml_escape_at(s + i, n - i);
        size_t cost = ((bad && ooxml && ok) || protect) ? 7 : 1;
        if (chars + cost > max_chars)
            break;
        chars += cost;
        if (!bad && !protect) {
            i += k;
            continue;
        }
        if (sbuf_add(out, s + start, i - start))
            return -1;
        int rc;
        if (protect)
            rc = sbuf_add(out, "_x005F_", 7);
        else if (ooxml && ok)
            rc = sbuf_addf(out, "_x%04X_", (unsigned)cp);
        else
            rc = sbuf_add(out, "\xEF\xBF\xBD", 3);
        if (rc)
            return -1;
        i += k;
        start = i;
    }
    return sbuf_add(out, s + start, i - start);
}
