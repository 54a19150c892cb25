#include "xlsxw.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "str.h"
#include "utf8.h"

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
    errno = 0;
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        /* out of memory is exit 3, a file that cannot be written exit 2 */
        iafq_err code = IAFQ_ERR_XLSXW;
        if (e == LXW_ERROR_MEMORY_MALLOC_FAILED || errno == ENOMEM)
            code = IAFQ_ERR_NOMEM;
        else if (e == LXW_ERROR_CREATING_XLSX_FILE ||
                 e == LXW_ERROR_CREATING_TMPFILE ||
                 e == LXW_ERROR_READING_TMPFILE ||
                 e == LXW_ERROR_ZIP_FILE_OPERATION ||
                 e == LXW_ERROR_ZIP_FILE_ADD || e == LXW_ERROR_ZIP_CLOSE)
            code = IAFQ_ERR_IO;
        return iafq_error_set(err, code, "cannot write '%s': %s%s%s",
                              path ? path : "", lxw_strerror(e),
                              errno ? ": " : "", errno ? strerror(errno) : "");
    }
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

static int _forbidden_in_name(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || !utf8_xml_char(cp) ||
           cp == ':' || cp == '\\' || cp == '/' || cp == '?' || cp == '*' ||
           cp == '[' || cp == ']';
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
        size_t len = utf8_decode((const char *)s, n, &cp);
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
    const char *s = text ? text : "";
    sbuf b = SBUF_INIT;
    if (sbuf_add(&b, "", 0) != 0 ||
        utf8_xml_text(&b, s, strlen(s), 1, XLSXW_TEXT_MAX) != 0) {
        sbuf_release(&b);
        return NULL;
    }
    return sbuf_detach(&b);
}

/* Whether s can be written as it is: short, valid, only characters XML
 * allows (no CR), no "_x" that could start an _xHHHH_ escape. */
static int _plain(const char *s, size_t n)
{
    if (n > XLSXW_TEXT_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0xEF ||
            (c == '_' && i + 1 < n && s[i + 1] == 'x'))
            return 0; /* 0xEF: U+FFFE/U+FFFF possible; "_x": an escape */
    }
    return utf8_valid(s, n);
}

lxw_error xlsxw_write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                           const char *text, lxw_format *fmt)
{
    const char *s = text ? text : "";
    if (_plain(s, strlen(s)))
        return worksheet_write_string(ws, row, col, s, fmt);
    char *clean = xlsxw_text_dup(s);
    if (!clean)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = worksheet_write_string(ws, row, col, clean, fmt);
    free(clean);
    return e;
}
