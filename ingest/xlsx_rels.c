/*
 * xlsx_rels.c - relationships parts (see xlsx_rels.h).
 */
#include "xlsx_rels.h"

#include "str.h"
#include "xlsx_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xlsx_rels_release(xlsx_rels *rels)
{
    if (!rels)
        return;
    for (size_t i = 0; i < rels->n; i++) {
        free(rels->v[i].id);
        free(rels->v[i].type);
        free(rels->v[i].target);
    }
    free(rels->v);
    free(rels->by_id);
    *rels = (xlsx_rels)XLSX_RELS_INIT;
}

static void _start(xlsx_xml *px, void *ud, const char *local, const char **atts)
{
    xlsx_rels *rels = ud;
    if (strcmp(local, "Relationship") != 0)
        return;
    const char *id = xlsx_xml_attr(atts, "Id");
    const char *type = xlsx_xml_attr(atts, "Type");
    const char *target = xlsx_xml_attr(atts, "Target");
    const char *mode = xlsx_xml_attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (rels->n >= XLSX_RELS_MAX) {
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT, "more than %u relationships (limit)",
                      XLSX_RELS_MAX);
        return;
    }
    if (xlsx_xml_grow(px, (void **)&rels->v, &rels->cap, rels->n + 1,
                      sizeof *rels->v, 16))
        return;
    xlsx_rel *r = &rels->v[rels->n++];
    r->id = str_dup(id);
    r->type = str_dup(type);
    r->target = str_dup(target);
    if (!r->id || !r->type || !r->target)
        xlsx_xml_stop(px, IAFQ_ERR_NOMEM, "out of memory");
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels" */
static char *_rels_path(const char *part)
{
    sbuf b = SBUF_INIT;
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    if (sbuf_add(&b, part, dir) != 0 || sbuf_add(&b, "_rels/", 6) != 0 ||
        sbuf_add(&b, part + dir, strlen(part + dir)) != 0 ||
        sbuf_add(&b, ".rels", 5) != 0) {
        sbuf_release(&b);
        return NULL;
    }
    return sbuf_detach(&b);
}

static int _cmp_id(const void *a, const void *b)
{
    const xlsx_rel *ra = *(const xlsx_rel *const *)a;
    const xlsx_rel *rb = *(const xlsx_rel *const *)b;
    int c = strcmp(ra->id, rb->id);
    if (c)
        return c;
    return ra < rb ? -1 : ra > rb; /* the first in document order first */
}

static void *_sort_by_id(xlsx_rels *rels)
{
    rels->by_id = malloc((rels->n ? rels->n : 1) * sizeof *rels->by_id);
    if (!rels->by_id)
        return NULL;
    for (size_t i = 0; i < rels->n; i++)
        rels->by_id[i] = &rels->v[i];
    qsort(rels->by_id, rels->n, sizeof *rels->by_id, _cmp_id);
    return rels->by_id;
}

iafq_err xlsx_rels_read(xlsx_rels *rels, zipg *z, const char *part,
                        iafq_error *err)
{
    xlsx_rels_release(rels);
    char *rp = _rels_path(part);
    if (!rp)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    iafq_err rc = IAFQ_OK;
    long i = xlsx_find_part(z, rp);
    if (i >= 0) {
        char what[320];
        snprintf(what, sizeof what, "relationships (%.280s)", rp);
        static const xlsx_xml_handlers h = {_start, NULL, NULL};
        rc = xlsx_xml_parse(z, (size_t)i, what, &h, rels, err);
    }
    free(rp);
    if (rc == IAFQ_OK && !_sort_by_id(rels))
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    return rc;
}

const xlsx_rel *xlsx_rels_by_type(const xlsx_rels *rels, const char *suffix)
{
    for (size_t i = 0; i < rels->n; i++)
        if (str_ends_with(rels->v[i].type, suffix))
            return &rels->v[i];
    return NULL;
}

const xlsx_rel *xlsx_rels_by_id(const xlsx_rels *rels, const char *id)
{
    if (!rels->by_id)
        return NULL;
    size_t lo = 0, hi = rels->n;
    while (lo < hi) { /* the leftmost match: the first in document order */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(rels->by_id[mid]->id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < rels->n && strcmp(rels->by_id[lo]->id, id) == 0)
        return rels->by_id[lo];
    return NULL;
}

char *xlsx_rels_resolve(const char *source_part, const char *target)
{
    sbuf in = SBUF_INIT;
    char *out = NULL;
    const char *q = strchr(target, '#');
    size_t tlen = q ? (size_t)(q - target) : strlen(target);
    if (tlen > 0 && target[0] == '/') {
        if (sbuf_add(&in, target + 1, tlen - 1) != 0)
            goto cleanup;
    } else {
        const char *slash = source_part ? strrchr(source_part, '/') : NULL;
        if (slash &&
            sbuf_add(&in, source_part, (size_t)(slash - source_part) + 1))
            goto cleanup;
        if (sbuf_add(&in, target, tlen) != 0)
            goto cleanup;
    }
    if (!in.buf)
        goto cleanup;
    out = malloc(in.len + 1);
    if (!out)
        goto cleanup;
    size_t o = 0;
    const char *s = in.buf;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash */
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else {
            if (o > 0 && out[o - 1] != '/')
                out[o++] = '/';
            memcpy(out + o, s, n);
            o += n;
        }
        s += n;
        if (*s == '/')
            s++;
    }
    out[o] = '\0';

cleanup:
    sbuf_release(&in);
    return out;
}

long xlsx_find_part(const zipg *z, const char *name)
{
    long i = zipg_find(z, name, 0);
    if (i < 0)
        i = zipg_find(z, name, 1);
    return i;
}
