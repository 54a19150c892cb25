#include "origin.h"

#include "cells.h"

#include <stdio.h>
#include <string.h>

/* Whether Excel writes the sheet name as it is in a reference. */
static int origin_plain_sheet(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!(*p >= 0x80 || (*p >= 'A' && *p <= 'Z') ||
              (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.'))
            return 0;
    return 1;
}

/* Append c to buf[*n] when it fits (one byte kept for the NUL). */
static void origin_put(char *buf, size_t cap, size_t *n, char c)
{
    if (*n + 1 < cap)
        buf[(*n)++] = c;
}

static void origin_puts(char *buf, size_t cap, size_t *n, const char *s)
{
    for (; *s; s++)
        origin_put(buf, cap, n, *s);
}

size_t origin_format(char *buf, size_t cap, ret_source src, const char *sheet,
                     uint32_t row, int32_t col)
{
    if (!cap)
        return 0;
    size_t n = 0;
    char num[16], letters[8];
    buf[0] = '\0';
    if (!row)
        return 0;
    snprintf(num, sizeof num, "%u", (unsigned)row);
    if (!sheet)
        sheet = "";
    if (src == RET_SRC_LONG) {
        origin_puts(buf, cap, &n, "line ");
        origin_puts(buf, cap, &n, num);
    } else if (src == RET_SRC_CSV) {
        origin_puts(buf, cap, &n, sheet);
        origin_put(buf, cap, &n, ':');
        origin_puts(buf, cap, &n, num);
        if (col >= 0) {
            origin_put(buf, cap, &n, ':');
            origin_puts(buf, cap, &n, cells_col_name((uint32_t)col, letters));
        }
    } else {
        int plain = origin_plain_sheet(sheet);
        if (!plain)
            origin_put(buf, cap, &n, '\'');
        for (const char *p = sheet; *p; p++) {
            if (*p == '\'' && !plain)
                origin_put(buf, cap, &n, '\'');
            origin_put(buf, cap, &n, *p);
        }
        if (!plain)
            origin_put(buf, cap, &n, '\'');
        origin_put(buf, cap, &n, '!');
        if (col >= 0) {
            origin_puts(buf, cap, &n, cells_col_name((uint32_t)col, letters));
            origin_puts(buf, cap, &n, num);
        } else {
            origin_puts(buf, cap, &n, num);
            origin_put(buf, cap, &n, ':');
            origin_puts(buf, cap, &n, num);
        }
    }
    buf[n] = '\0';
    return n;
}
