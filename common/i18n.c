#include "i18n.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The catalogs: po/LANG.po compiled by msgfmt at build time and embedded
 * (tools/embed) as i18n_mo_LANG.  A lookup is a binary search over the
 * .mo file's table of msgids (msgfmt writes it sorted by strcmp), read in
 * place: no state, no locale, no allocation, so any thread may call it. */
extern const char i18n_mo_fr[], i18n_mo_es[];
extern const unsigned long i18n_mo_fr_len, i18n_mo_es_len;

static const char *const lang_codes[I18N_COUNT] = {"en", "fr", "es"};

int i18n_parse(const char *s)
{
    if (!s)
        return -1;
    for (int l = 0; l < I18N_COUNT; l++) {
        const char *c = lang_codes[l];
        if (tolower((unsigned char)s[0]) == c[0] &&
            tolower((unsigned char)s[1]) == c[1] &&
            (s[2] == '\0' || s[2] == '-' || s[2] == '_'))
            return l;
    }
    return -1;
}

i18n_lang i18n_from_accept(const char *al)
{
    i18n_lang best = I18N_EN;
    double bestq = -1;
    while (al && *al) {
        while (*al == ' ' || *al == ',')
            al++;
        const char *end = strchr(al, ',');
        size_t len = end ? (size_t)(end - al) : strlen(al);
        char tag[16] = {0};
        size_t tl = strcspn(al, ";, ");
        if (tl < sizeof tag)
            memcpy(tag, al, tl);
        double q = 1.0;
        const char *qp = memchr(al, ';', len);
        if (qp) {
            const char *qq = strstr(qp, "q=");
            if (qq && qq < al + len)
                q = strtod(qq + 2, NULL);
        }
        int l = i18n_parse(tag);
        if (l >= 0 && q > bestq && q > 0) {
            best = (i18n_lang)l;
            bestq = q;
        }
        al = end;
    }
    return best;
}

const char *i18n_code(i18n_lang l)
{
    return (unsigned)l < I18N_COUNT ? lang_codes[l] : lang_codes[0];
}

/* ---- .mo lookup ---------------------------------------------------------- */

typedef struct {
    const unsigned char *b;
    size_t n;
    int swap; /* written on a machine of the other byte order */
} mo_file;

static int mo_u32(const mo_file *m, size_t off, uint32_t *v)
{
    if (off > m->n || m->n - off < 4)
        return -1;
    uint32_t x;
    memcpy(&x, m->b + off, 4);
    if (m->swap)
        x = (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) |
            (x << 24);
    *v = x;
    return 0;
}

/* String i of the table at tab: its bytes, NUL-terminated inside the file;
 * NULL when the entry is out of bounds. */
static const char *mo_str(const mo_file *m, uint32_t tab, uint32_t i,
                          uint32_t *lenp)
{
    uint32_t len, off;
    size_t e = (size_t)tab + (size_t)i * 8;
    if (mo_u32(m, e, &len) || mo_u32(m, e + 4, &off))
        return NULL;
    if (off > m->n || m->n - off <= len || m->b[off + len] != '\0')
        return NULL;
    *lenp = len;
    return (const char *)m->b + off;
}

/* The translation of msgid (its length in *trlen: a plural entry holds
 * its forms separated by NULs); NULL when there is none. */
static const char *mo_lookup(const char *data, unsigned long len,
                             const char *msgid, uint32_t *trlen)
{
    mo_file m = {(const unsigned char *)data, len, 0};
    uint32_t magic, count, otab, ttab;
    if (mo_u32(&m, 0, &magic))
        return NULL;
    if (magic == 0xde120495u)
        m.swap = 1;
    else if (magic != 0x950412deu)
        return NULL;
    if (mo_u32(&m, 8, &count) || mo_u32(&m, 12, &otab) || mo_u32(&m, 16, &ttab))
        return NULL;
    uint32_t lo = 0, hi = count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t idlen;
        const char *id = mo_str(&m, otab, mid, &idlen);
        if (!id)
            return NULL;
        int c = strcmp(msgid, id);
        if (c == 0) {
            const char *tr = mo_str(&m, ttab, mid, trlen);
            return tr && *tr ? tr : NULL;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *i18n_tr(i18n_lang l, const char *msgid)
{
    if (!msgid || !*msgid) /* "" is the catalog's header, never a text */
        return msgid;
    const char *tr = NULL;
    uint32_t n;
    if (l == I18N_FR)
        tr = mo_lookup(i18n_mo_fr, i18n_mo_fr_len, msgid, &n);
    else if (l == I18N_ES)
        tr = mo_lookup(i18n_mo_es, i18n_mo_es_len, msgid, &n);
    return tr ? tr : msgid;
}

const char *i18n_trn(i18n_lang l, const char *singular, const char *plural,
                     unsigned long long n)
{
    const char *tr = NULL;
    uint32_t len = 0;
    int form;
    if (l == I18N_FR) {
        tr = mo_lookup(i18n_mo_fr, i18n_mo_fr_len, singular, &len);
        form = n > 1;
    } else if (l == I18N_ES) {
        tr = mo_lookup(i18n_mo_es, i18n_mo_es_len, singular, &len);
        form = n != 1;
    } else
        form = n != 1;
    if (!tr) /* English, or no translation */
        return form ? plural : singular;
    /* a plural entry's translation is "form0\0form1"; one without plural
     * forms has its single text */
    size_t first = strlen(tr);
    if (form && first < len)
        return tr + first + 1;
    return tr;
}
