#include "tmpl.h"

#include "pagefiles.h"

#include <stdlib.h>
#include <string.h>

#define TMPL_MAX_DEPTH 16

const char *tmpl_page(const char *name)
{
    for (unsigned long i = 0; i < pagefiles_count; i++)
        if (!strcmp(pagefiles_table[i].path, name))
            return pagefiles_table[i].text;
    return NULL;
}

int tmpl_escape(sbuf *out, const char *s)
{
    for (; s && *s; s++) {
        int rc;
        switch (*s) {
        case '&':
            rc = sbuf_add(out, "&amp;", 5);
            break;
        case '<':
            rc = sbuf_add(out, "&lt;", 4);
            break;
        case '>':
            rc = sbuf_add(out, "&gt;", 4);
            break;
        case '"':
            rc = sbuf_add(out, "&quot;", 6);
            break;
        case '\'':
            rc = sbuf_add(out, "&#39;", 5);
            break;
        default:
            rc = sbuf_addc(out, *s);
        }
        if (rc)
            return -1;
    }
    return 0;
}

typedef struct {
    const cJSON *frames[TMPL_MAX_DEPTH * 2];
    int nframes;
    i18n_lang lang;
    int depth;
    const char *page; /* for messages */
} rctx;

static const cJSON *lookup(const rctx *r, const char *name, size_t n)
{
    char key[128];
    if (n >= sizeof key)
        return NULL;
    memcpy(key, name, n);
    key[n] = '\0';
    for (int i = r->nframes - 1; i >= 0; i--) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->frames[i], key);
        if (v)
            return v;
    }
    return NULL;
}

static int truthy(const cJSON *v)
{
    if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
        return 0;
    if (cJSON_IsString(v))
        return v->valuestring && v->valuestring[0];
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0;
    if (cJSON_IsArray(v))
        return cJSON_GetArraySize(v) > 0;
    return 1;
}

static int put_value(sbuf *out, const cJSON *v)
{
    if (!v)
        return 0;
    if (cJSON_IsString(v))
        return tmpl_escape(out, v->valuestring);
    if (cJSON_IsNumber(v)) {
        char num[64];
        if (v->valuedouble == (double)(long long)v->valuedouble)
            snprintf(num, sizeof num, "%lld", (long long)v->valuedouble);
        else
            snprintf(num, sizeof num, "%g", v->valuedouble);
        return tmpl_escape(out, num);
    }
    if (cJSON_IsBool(v))
        return tmpl_escape(out, cJSON_IsTrue(v) ? "true" : "false");
    return 0;
}

/* The end of the block opened by tag name (n bytes) at s: the position of
 * its "{{/name}}", nested blocks of the same name skipped; NULL if none. */
static const char *block_end(const char *s, const char *name, size_t n)
{
    int level = 0;
    for (const char *p = strstr(s, "{{"); p; p = strstr(p + 2, "{{")) {
        if ((p[2] == '#' || p[2] == '^') && !strncmp(p + 3, name, n) &&
            !strncmp(p + 3 + n, "}}", 2))
            level++;
        else if (p[2] == '/' && !strncmp(p + 3, name, n) &&
                 !strncmp(p + 3 + n, "}}", 2)) {
            if (level == 0)
                return p;
            level--;
        }
    }
    return NULL;
}

/* The msgid of a {{t "..."}} tag starting at p (after "{{t "): into key
 * (cap bytes), *next after "}}".  -1 when malformed. */
static int msgid_at(const char *p, char *key, size_t cap, const char **next)
{
    while (*p == ' ')
        p++;
    if (*p != '"')
        return -1;
    p++;
    const char *q = strchr(p, '"');
    if (!q || (size_t)(q - p) >= cap)
        return -1;
    memcpy(key, p, (size_t)(q - p));
    key[q - p] = '\0';
    q++;
    while (*q == ' ')
        q++;
    if (strncmp(q, "}}", 2))
        return -1;
    *next = q + 2;
    return 0;
}

static iafq_err render(rctx *r, const char *s, const char *end, sbuf *out,
                       iafq_error *err);

static iafq_err render_page(rctx *r, const char *name, sbuf *out,
                            iafq_error *err)
{
    const char *text = tmpl_page(name);
    if (!text)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL, "no page '%s'", name);
    if (r->depth >= TMPL_MAX_DEPTH)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "pages include each other too deeply ('%s')",
                              name);
    const char *outer = r->page;
    r->depth++;
    r->page = name;
    iafq_err e = render(r, text, text + strlen(text), out, err);
    r->depth--;
    r->page = outer;
    return e;
}

static iafq_err render(rctx *r, const char *s, const char *end, sbuf *out,
                       iafq_error *err)
{
    while (s < end) {
        const char *p = strstr(s, "{{");
        if (!p || p >= end) {
            if (sbuf_add(out, s, (size_t)(end - s)))
                goto nomem;
            return IAFQ_OK;
        }
        if (sbuf_add(out, s, (size_t)(p - s)))
            goto nomem;
        const char *close = strstr(p + 2, "}}");
        if (!close || close > end)
            return iafq_error_set(err, IAFQ_ERR_INTERNAL, "%s: unclosed {{ tag",
                                  r->page);
        if (!strncmp(p, "{{t ", 4)) {
            char key[2048];
            const char *next;
            if (msgid_at(p + 4, key, sizeof key, &next))
                return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                                      "%s: malformed {{t \"...\"}}", r->page);
            if (tmpl_escape(out, i18n_tr(r->lang, key)))
                goto nomem;
            s = next;
        } else if (p[2] == '#' || p[2] == '^') {
            const char *name = p + 3;
            size_t n = (size_t)(close - name);
            const char *body = close + 2;
            const char *bend = block_end(body, name, n);
            if (!bend || bend > end)
                return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                                      "%s: {{%c%.*s}} is never closed", r->page,
                                      p[2], (int)n, name);
            const cJSON *v = lookup(r, name, n);
            if (p[2] == '^') {
                iafq_err e;
                if (!truthy(v) && (e = render(r, body, bend, out, err)))
                    return e;
            } else if (cJSON_IsArray(v)) {
                if (r->nframes >= (int)(sizeof r->frames / sizeof *r->frames))
                    return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                                          "%s: blocks nested too deeply",
                                          r->page);
                const cJSON *it;
                cJSON_ArrayForEach(it, v)
                {
                    r->frames[r->nframes++] = it;
                    iafq_err e = render(r, body, bend, out, err);
                    r->nframes--;
                    if (e)
                        return e;
                }
            } else if (truthy(v)) {
                iafq_err e = render(r, body, bend, out, err);
                if (e)
                    return e;
            }
            s = bend + 5 + n; /* "{{/" name "}}" */
        } else if (p[2] == '>') {
            char name[128];
            const char *a = p + 3;
            while (*a == ' ')
                a++;
            size_t n = (size_t)(close - a);
            if (n == 0 || n >= sizeof name)
                return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                                      "%s: bad {{> page}}", r->page);
            memcpy(name, a, n);
            name[n] = '\0';
            iafq_err e = render_page(r, name, out, err);
            if (e)
                return e;
            s = close + 2;
        } else if (p[2] == '/') {
            return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                                  "%s: {{/...}} without its opening tag",
                                  r->page);
        } else {
            if (put_value(out, lookup(r, p + 2, (size_t)(close - p - 2))))
                goto nomem;
            s = close + 2;
        }
    }
    return IAFQ_OK;
nomem:
    return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
}

iafq_err tmpl_render(const char *name, const cJSON *ctx, i18n_lang lang,
                     sbuf *out, iafq_error *err)
{
    rctx r;
    memset(&r, 0, sizeof r);
    r.lang = lang;
    r.frames[r.nframes++] = ctx;
    r.page = name;
    return render_page(&r, name, out, err);
}

int tmpl_list_msgids(FILE *out)
{
    sbuf seen = SBUF_INIT; /* "\n" + each msgid + "\n" */
    int rc = sbuf_addc(&seen, '\n');
    for (unsigned long i = 0; !rc && i < pagefiles_count; i++) {
        const char *p = pagefiles_table[i].text;
        while (!rc && (p = strstr(p, "{{t ")) != NULL) {
            char key[2048], probe[2052];
            const char *next;
            if (msgid_at(p + 4, key, sizeof key, &next)) {
                rc = -1;
                break;
            }
            snprintf(probe, sizeof probe, "\n%s\n", key);
            if (!strstr(seen.buf, probe)) {
                if (sbuf_add(&seen, key, strlen(key)) ||
                    sbuf_addc(&seen, '\n') || fprintf(out, "%s\n", key) < 0)
                    rc = -1;
            }
            p = next;
        }
    }
    sbuf_release(&seen);
    return rc;
}
