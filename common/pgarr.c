#include "pgarr.h"

#include <string.h>

int pgarr_open(sbuf *b)
{
    sbuf_reset(b);
    return sbuf_addc(b, '{');
}

int pgarr_add(sbuf *b, const char *s)
{
    if (b->len > 1 && sbuf_addc(b, ',') != 0)
        return -1;
    if (sbuf_addc(b, '"') != 0)
        return -1;
    for (; *s; s++)
        if ((*s == '"' || *s == '\\')
                ? sbuf_addc(b, '\\') != 0 || sbuf_addc(b, *s) != 0
                : sbuf_addc(b, *s) != 0)
            return -1;
    return sbuf_addc(b, '"');
}

int pgarr_close(sbuf *b)
{
    return sbuf_addc(b, '}');
}
