#include "xlsxw.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "str.h"

#include <stdlib.h>
#include <string.h>

iafq_err xlsxw_err(lxw_error e, const char *what, iafq_error *err)
{
    if (e == LXW_NO_ERROR)
        return IAFQ_OK;
    return iafq_error_set(err, IAFQ_ERR_XLSXW, "%s%s%s", what ? what : "",
                          what ? ": " : "", lxw_strerror(e));
}

iafq_err xlsxw_close(lxw_workbook *wb, const char *path, iafq_error *err)
{
    if (!wb)
        return iafq_error_set(err, IAFQ_ERR_XLSXW,
                              "cannot create workbook '%s'", path ? path : "");
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        return iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot write '%s': %s",
                              path ? path : "", lxw_strerror(e));
    return IAFQ_OK;
}

lxw_workbook *xlsxw_new(const char *path, lxw_workbook_options *opt,
                        iafq_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd >= 0) {
        close(fd);
        unlink(path);
    } else if (errno == EEXIST) {
        struct stat st;
        fd = open(path, O_WRONLY);
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            int e = fd < 0 ? errno : EISDIR;
            if (fd >= 0)
                close(fd);
            iafq_error_set(err, IAFQ_ERR_IO, "cannot write '%s': %s", path,
                           strerror(e));
            return NULL;
        }
        close(fd);
    } else {
        iafq_error_set(err, IAFQ_ERR_IO, "cannot create '%s': %s", path,
                       strerror(errno));
        return NULL;
    }
    lxw_workbook *wb = opt ? workbook_new_opt(path, opt) : workbook_new(path);
    if (!wb)
        iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot create workbook '%s'",
                       path);
    return wb;
}

void xlsxw_print_setup(lxw_worksheet *ws)
{
    if (!ws)
        return;
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
}

void xlsxw_discard(lxw_workbook *wb)
{
    if (wb)
        lxw_workbook_free(wb);
}

/* Length in bytes of the valid UTF-8 sequence at s (n bytes left) and its
 * code point in *cp; 0 when the bytes there are not valid UTF-8. */
static size_t _utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
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

static int _forbidden_in_name(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || cp == ':' || cp == '\\' || cp == '/' ||
           cp == '?' || cp == '*' || cp == '[' || cp == ']';
}

char *xlsxw_sheet_name(const char *name, int word_cut, char *out)
{
    const unsigned char *s = (const unsigned char *)(name ? name : "");
    size_t n = strlen((const char *)s);
    size_t o = 0, units = 0;
    size_t last_space = 0; /* byte length of out before the last space */
    int cut = 0;

    /* skip leading apostrophes and spaces */
    while (n > 0 && (*s == '\'' || *s == ' '))
        s++, n--;
    while (n > 0) {
        uint32_t cp;
        size_t len = _utf8_next(s, n, &cp);
        const unsigned char *src = s;
        if (len == 0 || _forbidden_in_name(cp)) {
            cp = '_';
            src = (const unsigned char *)"_";
            len = len ? len : 1;
            s += len, n -= len;
            len = 1;
        } else {
            s += len, n -= len;
        }
        size_t u = cp >= 0x10000 ? 2 : 1;
        if (units + u > 31) {
            cut = 1;
            break;
        }
        if (cp == ' ')
            last_space = o;
        memcpy(out + o, src, len);
        o += len;
        units += u;
    }
    if (cut && word_cut && last_space >= 8)
        o = last_space;
    if (cut && word_cut) { /* no unclosed parenthesis left by the cut */
        size_t open = o;
        for (size_t i = 0; i < o; i++)
            if (out[i] == '(')
                open = i;
            else if (out[i] == ')')
                open = o;
        if (open < o && open >= 8)
            o = open;
    }
    /* drop trailing spaces, apostrophes and the dangling punctuation a cut
     * leaves */
    while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\'' ||
                     (cut && (out[o - 1] == ',' || out[o - 1] == '-' ||
                              out[o - 1] == '('))))
        o--;
    out[o] = '\0';
    if (o == 0)
        strcpy(out, "Sheet");
    return out;
}

char *xlsxw_quote_sheet(const char *name, char *out)
{
    size_t o = 0;
    out[o++] = '\'';
    for (const char *p = name; *p && o < 2 * XLSXW_SHEETNAME_BUF; p++) {
        if (*p == '\'')
            out[o++] = '\'';
        out[o++] = *p;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return out;
}

char *xlsxw_text_dup(const char *text)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)s);
    sbuf b = SBUF_INIT;
    size_t chars = 0, i = 0;

    if (sbuf_add(&b, "", 0) != 0)
        return NULL;
    for (; i < n && chars < XLSXW_TEXT_MAX; chars++) {
        uint32_t cp;
        size_t len = _utf8_next(s + i, n - i, &cp);
        int rc;
        if (len == 0) {
            rc = sbuf_add(&b, "\xEF\xBF\xBD", 3);
            len = 1;
        } else {
            rc = sbuf_add(&b, (const char *)s + i, len);
        }
        if (rc != 0) {
            sbuf_release(&b);
            return NULL;
        }
        i += len;
    }
    return sbuf_detach(&b);
}

lxw_error xlsxw_write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                           const char *text, lxw_format *fmt)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)s);
    size_t chars = 0, i = 0;

    /* fast path: valid and short enough */
    while (i < n) {
        uint32_t cp;
        size_t len = _utf8_next(s + i, n - i, &cp);
        if (len == 0 || ++chars > XLSXW_TEXT_MAX)
            break;
        i += len;
    }
    if (i == n)
        return worksheet_write_string(ws, row, col, (const char *)s, fmt);

    char *clean = xlsxw_text_dup(text);
    if (!clean)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = worksheet_write_string(ws, row, col, clean, fmt);
    free(clean);
    return e;
}
