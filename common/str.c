#include "str.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of a white-space sequence at s (0 when none). */
static size_t _space_at(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
                   s[0] == '\n' || s[0] == '\v' || s[0] == '\f'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) /* NBSP */
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF) /* U+202F */
        return 3;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x87) /* U+2007 */
        return 3;
    return 0;
}

/* Length of a white-space sequence ending at s+n (0 when none). */
static size_t _space_before(const unsigned char *s, size_t n)
{
    if (n >= 1 && _space_at(s + n - 1, 1))
        return 1;
    if (n >= 2 && _space_at(s + n - 2, 2) == 2)
        return 2;
    if (n >= 3 && _space_at(s + n - 3, 3) == 3)
        return 3;
    return 0;
}

const char *str_trim(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = *len, k;
    while (n > 0 && (k = _space_at(p, n)) > 0) {
        p += k;
        n -= k;
    }
    while (n > 0 && (k = _space_before(p, n)) > 0)
        n -= k;
    *len = n;
    return (const char *)p;
}

static int _lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int str_icmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = _lower((unsigned char)*a), cb = _lower((unsigned char)*b);
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

int str_icmp_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++, a++, b++) {
        int ca = _lower((unsigned char)*a), cb = _lower((unsigned char)*b);
        if (ca != cb || ca == 0)
            return ca - cb;
    }
    return 0;
}

bool str_code_eq(const char *a, const char *code)
{
    size_t n = strlen(a);
    const char *t = str_trim(a, &n);
    size_t m = strlen(code);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++)
        if (_lower((unsigned char)t[i]) != _lower((unsigned char)code[i]))
            return false;
    return true;
}

char *str_ndup(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    if (n)
        memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

char *str_dup(const char *s)
{
    return s ? str_ndup(s, strlen(s)) : NULL;
}

bool str_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

const char *str_base(const char *p)
{
    const char *s = strrchr(p, '/');
    return (s && s[1]) ? s + 1 : p;
}

static int _sbuf_grow(sbuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *nb = realloc(b->buf, cap);
    if (!nb)
        return -1;
    b->buf = nb;
    b->cap = cap;
    return 0;
}

int sbuf_add(sbuf *b, const char *s, size_t n)
{
    if (_sbuf_grow(b, n))
        return -1;
    if (n)
        memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

int sbuf_addc(sbuf *b, char c)
{
    return sbuf_add(b, &c, 1);
}

int sbuf_addf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || _sbuf_grow(b, (size_t)n))
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void sbuf_reset(sbuf *b)
{
    b->len = 0;
    if (b->buf)
        b->buf[0] = '\0';
}

void sbuf_release(sbuf *b)
{
    if (!b)
        return;
    free(b->buf);
    b->buf = NULL;
    b->len = b->cap = 0;
}

char *sbuf_detach(sbuf *b)
{
    char *r = b->buf;
    if (!r)
        r = str_dup("");
    b->buf = NULL;
    b->len = b->cap = 0;
    return r;
}

/* The CLI prints file names through this (issue 10 item 7). */
char *str_escape_ctl(const char *s)
{
    sbuf b = SBUF_INIT;
    if (!s)
        s = "";
    if (utf8_escape_text(&b, s, strlen(s)) != 0) {
        sbuf_release(&b);
        return NULL;
    }
    return sbuf_detach(&b);
}
