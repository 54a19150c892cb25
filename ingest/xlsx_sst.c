/*
 * xlsx_sst.c - the shared-strings table (see xlsx_sst.h).
 */
#include "xlsx_sst.h"

#include "xlsx_xml.h"

#include <stdlib.h>
#include <string.h>

static void _start(xlsx_xml *px, void *ud, const char *local, const char **atts)
{
    xlsx_sst *sst = ud;
    (void)px;
    (void)atts;
    if (local[0] == 't' && local[1] == '\0') {
        if (sst->in_si && sst->rph == 0)
            sst->in_t = 1;
    } else if (strcmp(local, "si") == 0) {
        sst->in_si = 1;
        sst->rph = 0;
        sbuf_reset(&sst->si);
    } else if (strcmp(local, "rPh") == 0) {
        sst->rph++;
    }
}

static void _text(xlsx_xml *px, void *ud, const char *s, size_t len)
{
    xlsx_sst *sst = ud;
    if (!sst->in_t)
        return;
    if (sst->si.len + len > sst->lim->max_cell_bytes) {
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                      "a cell or string is longer than %u bytes (limit)",
                      (unsigned)sst->lim->max_cell_bytes);
        return;
    }
    if (sbuf_add(&sst->si, s, len) != 0)
        xlsx_xml_stop(px, IAFQ_ERR_NOMEM, "out of memory");
}

/* Append the string just read to the table. */
static void _add(xlsx_xml *px, xlsx_sst *sst)
{
    xlsx_xml_unescape(&sst->si);
    size_t n = sst->si.len;
    if (sst->n >= sst->lim->max_sst_count) {
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT, "more than %u shared strings (limit)",
                      (unsigned)sst->lim->max_sst_count);
        return;
    }
    if ((uint64_t)sst->len + n + 1 > sst->lim->max_sst_bytes) {
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                      "the shared strings take more than %llu bytes (limit)",
                      (unsigned long long)sst->lim->max_sst_bytes);
        return;
    }
    if (xlsx_xml_grow(px, (void **)&sst->off, &sst->offcap, sst->n + 2,
                      sizeof *sst->off, 1024) ||
        xlsx_xml_grow(px, (void **)&sst->buf, &sst->cap, sst->len + n + 1, 1,
                      65536))
        return;
    if (sst->n == 0)
        sst->off[0] = 0;
    if (n)
        memcpy(sst->buf + sst->len, sst->si.buf, n);
    sst->buf[sst->len + n] = '\0';
    sst->len += n + 1;
    sst->n++;
    sst->off[sst->n] = sst->len;
}

static void _end(xlsx_xml *px, void *ud, const char *local)
{
    xlsx_sst *sst = ud;
    if (local[0] == 't' && local[1] == '\0') {
        sst->in_t = 0;
        return;
    }
    if (strcmp(local, "rPh") == 0) {
        if (sst->rph > 0)
            sst->rph--;
        return;
    }
    if (strcmp(local, "si") != 0 || !sst->in_si)
        return;
    sst->in_si = 0;
    _add(px, sst);
}

iafq_err xlsx_sst_read(xlsx_sst *sst, zipg *z, size_t idx, const char *what,
                       const iafq_limits *lim, iafq_error *err)
{
    static const xlsx_xml_handlers h = {_start, _end, _text};
    memset(sst, 0, sizeof *sst);
    sst->lim = lim;
    iafq_err rc = xlsx_xml_parse(z, idx, what, &h, sst, err);
    sbuf_release(&sst->si);
    return rc;
}

const char *xlsx_sst_get(const xlsx_sst *sst, size_t i, size_t *len)
{
    if (i >= sst->n)
        return NULL;
    size_t off = sst->off[i];
    *len = sst->off[i + 1] - off - 1;
    return sst->buf + off;
}

void xlsx_sst_release(xlsx_sst *sst)
{
    if (!sst)
        return;
    free(sst->buf);
    free(sst->off);
    sbuf_release(&sst->si);
    memset(sst, 0, sizeof *sst);
}
