/*
 * xlsx_styles.c - date formats of the styles part (see xlsx_styles.h).
 */
#include "xlsx_styles.h"

#include "xlsx_xml.h"

#include <stdlib.h>
#include <string.h>

/* Whether a number format code shows a date or time: d, m, y, h or s
 * outside quoted text, [brackets] and escaped characters. */
static int _fmt_code_is_date(const char *f)
{
    for (const char *p = f; *p; p++) {
        switch (*p) {
        case '"':
            p++;
            while (*p && *p != '"')
                p++;
            if (!*p)
                return 0;
            break;
        case '[':
            while (*p && *p != ']')
                p++;
            if (!*p)
                return 0;
            break;
        case '\\':
        case '_':
        case '*':
            if (!p[1])
                return 0;
            p++;
            break;
        case ';':
            return 0; /* only the first (positive) section decides */
        case 'd':
        case 'D':
        case 'm':
        case 'M':
        case 'y':
        case 'Y':
        case 'h':
        case 'H':
        case 's':
        case 'S':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

static int _builtin_is_date(uint32_t id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

static void _start(xlsx_xml *px, void *ud, const char *local, const char **atts)
{
    xlsx_styles *st = ud;
    if (strcmp(local, "numFmts") == 0) {
        st->in_numfmts = 1;
    } else if (strcmp(local, "cellXfs") == 0) {
        st->in_cellxfs = 1;
    } else if (st->in_numfmts && strcmp(local, "numFmt") == 0) {
        const char *id = xlsx_xml_attr(atts, "numFmtId");
        const char *code = xlsx_xml_attr(atts, "formatCode");
        if (!id || !code)
            return;
        if (++st->nfmts > XLSX_STYLES_MAX_NUMFMTS) {
            xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                          "more than %u number formats (limit)",
                          XLSX_STYLES_MAX_NUMFMTS);
            return;
        }
        if (!_fmt_code_is_date(code) ||
            xlsx_xml_grow(px, (void **)&st->date_fmts, &st->capdf, st->ndf + 1,
                          sizeof *st->date_fmts, 16))
            return;
        st->date_fmts[st->ndf++] = (uint32_t)strtoul(id, NULL, 10);
    } else if (st->in_cellxfs && strcmp(local, "xf") == 0) {
        const char *id = xlsx_xml_attr(atts, "numFmtId");
        if (st->nxf >= XLSX_STYLES_MAX_XFS) {
            xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                          "more than %u cell formats (limit)",
                          XLSX_STYLES_MAX_XFS);
            return;
        }
        if (xlsx_xml_grow(px, (void **)&st->xf_fmt, &st->capxf, st->nxf + 1,
                          sizeof *st->xf_fmt, 64))
            return;
        st->xf_fmt[st->nxf++] = id ? (uint32_t)strtoul(id, NULL, 10) : 0;
    }
}

static void _end(xlsx_xml *px, void *ud, const char *local)
{
    xlsx_styles *st = ud;
    (void)px;
    if (strcmp(local, "numFmts") == 0)
        st->in_numfmts = 0;
    else if (strcmp(local, "cellXfs") == 0)
        st->in_cellxfs = 0;
}

static int _cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Decide, per cell format, whether it shows a date. */
static iafq_err _finish(xlsx_styles *st, iafq_error *err)
{
    if (st->nxf == 0)
        return IAFQ_OK;
    st->xf_date = calloc(st->nxf, 1);
    if (!st->xf_date)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    if (st->ndf)
        qsort(st->date_fmts, st->ndf, sizeof *st->date_fmts, _cmp_u32);
    for (size_t i = 0; i < st->nxf; i++) {
        uint32_t id = st->xf_fmt[i];
        st->xf_date[i] =
            (uint8_t)(_builtin_is_date(id) ||
                      (st->ndf && bsearch(&id, st->date_fmts, st->ndf,
                                          sizeof id, _cmp_u32) != NULL));
    }
    return IAFQ_OK;
}

iafq_err xlsx_styles_read(xlsx_styles *st, zipg *z, size_t idx,
                          const char *what, iafq_error *err)
{
    static const xlsx_xml_handlers h = {_start, _end, NULL};
    memset(st, 0, sizeof *st);
    iafq_err rc = xlsx_xml_parse(z, idx, what, &h, st, err);
    return rc != IAFQ_OK ? rc : _finish(st, err);
}

int xlsx_styles_is_date(const xlsx_styles *st, uint32_t style)
{
    return style < st->nxf && st->xf_date && st->xf_date[style];
}

void xlsx_styles_release(xlsx_styles *st)
{
    if (!st)
        return;
    free(st->xf_date);
    free(st->xf_fmt);
    free(st->date_fmts);
    memset(st, 0, sizeof *st);
}
