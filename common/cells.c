#include "cells.h"

#include <stdio.h>
#include <string.h>

iafq_err cells_callback_error(iafq_error *err, iafq_err code,
                              const iafq_error *cb)
{
    if (code == IAFQ_OK)
        code = IAFQ_ERR_INTERNAL;
    if (!err)
        return code;
    if (cb && cb != err)
        *err = *cb;
    else if (!cb)
        err->msg[0] = '\0';
    err->code = code;
    if (!err->msg[0])
        snprintf(err->msg, sizeof err->msg, "reading stopped: %s",
                 iafq_strerror(code));
    return code;
}

char *cells_col_name(uint32_t col, char *buf)
{
    char tmp[8];
    int n = 0;
    uint32_t c = col + 1;
    while (c > 0 && n < 7) {
        uint32_t r = (c - 1) % 26;
        tmp[n++] = (char)('A' + r);
        c = (c - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

char *cells_ref(uint32_t row, uint32_t col, char *buf)
{
    char letters[8];
    cells_col_name(col, letters);
    snprintf(buf, 16, "%s%u", letters, (unsigned)row);
    return buf;
}

int cells_parse_ref_at(const char *s, const char **end, uint32_t *row,
                       uint32_t *col, int *has_col)
{
    const char *p = s;
    uint64_t c = 0, r = 0;
    int nletters = 0, ndigits = 0;
    if (*p == '$')
        p++;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        int v = (*p >= 'a') ? *p - 'a' + 1 : *p - 'A' + 1;
        c = c * 26 + (uint64_t)v;
        if (++nletters > 7)
            return -1;
        p++;
    }
    if (*p == '$')
        p++;
    while (*p >= '0' && *p <= '9') {
        r = r * 10 + (uint64_t)(*p - '0');
        if (++ndigits > 10)
            return -1;
        p++;
    }
    if ((nletters == 0 && ndigits == 0) || c > UINT32_MAX || r > UINT32_MAX)
        return -1;
    *has_col = nletters > 0;
    *col = nletters ? (uint32_t)(c - 1) : 0;
    *row = (uint32_t)r;
    if (end)
        *end = p;
    return 0;
}

int cells_parse_ref(const char *ref, uint32_t *row, uint32_t *col)
{
    /* the common case, as Excel writes every cell: "B12", 1-3 capital
     * letters and 1-7 digits (no overflow possible), nothing after */
    const unsigned char *p = (const unsigned char *)ref;
    uint32_t fc = 0, fr = 0;
    int nl = 0, nd = 0;
    for (; *p >= 'A' && *p <= 'Z' && nl < 3; p++, nl++)
        fc = fc * 26 + (uint32_t)(*p - 'A' + 1);
    for (; *p >= '0' && *p <= '9' && nd < 7; p++, nd++)
        fr = fr * 10 + (uint32_t)(*p - '0');
    if (nl > 0 && nd > 0 && *p == '\0') {
        *row = fr;
        *col = fc - 1;
        return 0;
    }
    const char *end;
    int has_col;
    uint32_t r, c;
    if (cells_parse_ref_at(ref, &end, &r, &c, &has_col) != 0 || *end != '\0' ||
        !has_col)
        return -1;
    *row = r;
    *col = c;
    return 0;
}
