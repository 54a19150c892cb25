#include "i18n.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Placeholder catalog: English only, until the gettext catalogs (po/) are
 * compiled in.  Replaced by the i18n work of issue 13. */

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

const char *i18n_tr(i18n_lang l, const char *msgid)
{
    (void)l;
    return msgid;
}
