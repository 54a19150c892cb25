/*
 * xlsx_split.c - a worksheet's rows on two parsers (see xlsx_split.h).
 *
 * Threads: the producer (inflate, token scanner, cuts), two workers (one
 * expat parser each, chunks k with k % 2 == their number) and the caller's
 * thread (P0, the merge).  Queues, all common/ringq:
 *   a        producer -> caller: pieces in document order, either bytes for
 *            P0 or "chunk k was handed to worker k % 2"
 *   w[j].in  producer -> worker j: the chunks' bytes
 *   w[j].out worker j -> caller: the chunks' records
 * A chunk is handed to its worker before its piece is queued on `a`, so the
 * caller never waits for a record whose chunk is not on its way, and each
 * worker's records come out in the order the caller takes them: no
 * deadlock, and at most NA + 2 * (NI + NO) chunks in flight.
 */
#include "xlsx_split.h"

#include "ringq.h"
#include "work.h"
#include "xlsx_xml_int.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef XLSX_SPLIT_NI /* -D to compare (bench) */
#define XLSX_SPLIT_NI 2u
#endif
#define NA 4u            /* pieces queued for the caller */
#define NI XLSX_SPLIT_NI /* chunks queued for a worker */
#define NO XLSX_SPLIT_NI /* records queued by a worker */
/* The prologue (up to the <sheetData> start tag) is looked for in the
 * first XLSX_XML_CHUNK bytes and must be at most this long. */
#define PRO_MAX (64u << 10)
/* End tags closing a chunk: XLSX_XML_STACK names of at most this. */
#define NAME_MAX_LEN 200u
#define SYNTH_MAX (XLSX_XML_STACK * (NAME_MAX_LEN + 3u) + 1u)

static size_t tune_min, tune_chunk;

void xlsx_split_tune(size_t min_bytes, size_t chunk_bytes)
{
    tune_min = min_bytes;
    tune_chunk = chunk_bytes;
}

enum { P_BYTES, P_CHUNK };
enum { K_NONE, K_ROW, K_END };

typedef struct split split;

typedef struct {
    split *s;
    int j;
    ringq in, out;
    int in_ok, out_ok, started;
    char *buf[NI];
    size_t len[NI];
    void *rec[NO];
    int bad[NO];
    void *lane;
    XML_Parser p;
    pthread_t th;
} _worker;

struct split {
    const xlsx_split_ops *ops;
    void *ud;
    const char *what;
    size_t min, chunk, scap;
    /* the producer's */
    zipg_entry *e;
    xlsx_scan scan;
    char *stage;
    size_t n;
    int eof;
    unsigned long k;       /* chunks handed out */
    unsigned long k_taken; /* the caller's: chunks merged */
    iafq_err rc;           /* its error, set before closing `a` */
    iafq_error err;
    int redo;     /* it gave up splitting (a row too long) */
    int switched; /* it cut the rows (P0 was fed less than one parser) */
    /* the pieces for the caller */
    ringq a;
    int a_ok;
    char *abuf[NA];
    size_t alen[NA];
    int atype[NA];
    _worker w[2];
    /* written by the producer before the first chunk's piece is queued */
    char pro[PRO_MAX];
    size_t pro_len;
    /* written by the caller before the workers start */
    char synth[SYNTH_MAX];
    size_t synth_len;
};

/* ---- finding the prologue and the cuts ----------------------------------- */

static int _namech(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
           c == ':' || c >= 0x80;
}

/* At p, a '<': K_ROW for a "row" start tag (any prefix), K_END for a
 * "sheetData" end tag, or K_NONE; *loc_start set to the name's start for
 * "sheetData" start tags (K_NONE returned, *is_sd 1). */
static int _tag_kind(const char *p, const char *e, int *is_sd)
{
    const char *q = p + 1;
    int end = 0;
    if (is_sd)
        *is_sd = 0;
    if (q < e && *q == '/') {
        end = 1;
        q++;
    }
    const char *name = q, *loc = q;
    while (q < e && _namech((unsigned char)*q)) {
        if (*q == ':')
            loc = q + 1;
        q++;
    }
    if (q >= e || q == name)
        return K_NONE;
    char d = *q;
    if (!(d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == '>' ||
          d == '/'))
        return K_NONE;
    size_t ln = (size_t)(q - loc);
    if (!end && ln == 3 && memcmp(loc, "row", 3) == 0)
        return K_ROW;
    if (ln == 9 && memcmp(loc, "sheetData", 9) == 0) {
        if (end)
            return K_END;
        if (is_sd)
            *is_sd = 1;
    }
    return K_NONE;
}

/* The last cut starting in s[1..m) (m <= n; the tag may go on to n): the
 * offset of a "<row" start tag or of the "</sheetData" end tag, its kind
 * in *kind; 0 when none. */
static size_t _last_cut(const char *s, size_t m, size_t n, int *kind)
{
    size_t i = m;
    *kind = K_NONE;
    while (i > 1) {
        const char *p = memrchr(s + 1, '<', i - 1);
        if (!p)
            return 0;
        int k = _tag_kind(p, s + n, NULL);
        if (k != K_NONE) {
            *kind = k;
            return (size_t)(p - s);
        }
        i = (size_t)(p - s);
    }
    return 0;
}

/* The first cut in s[from..n) (from >= 1), as _last_cut(). */
static size_t _next_cut(const char *s, size_t from, size_t n, int *kind)
{
    const char *e = s + n, *p = s + from;
    *kind = K_NONE;
    while (p < e && (p = memchr(p, '<', (size_t)(e - p))) != NULL) {
        int k = _tag_kind(p, e, NULL);
        if (k != K_NONE) {
            *kind = k;
            return (size_t)(p - s);
        }
        p++;
    }
    return 0;
}

/* The first "<row" start tag in s[from..n): its offset, or 0 (also when
 * the "</sheetData" end tag comes first). */
static size_t _first_cut(const char *s, size_t from, size_t n)
{
    const char *e = s + n, *p = s + from;
    while (p < e && (p = memchr(p, '<', (size_t)(e - p))) != NULL) {
        int k = _tag_kind(p, e, NULL);
        if (k == K_ROW)
            return (size_t)(p - s);
        if (k == K_END)
            return 0;
        p++;
    }
    return 0;
}

/* The prologue in the first bytes s[0..n): up to and including the first
 * <sheetData> start tag (not an empty-element one); its length or 0. */
static size_t _find_pro(const char *s, size_t n)
{
    if (n > PRO_MAX)
        n = PRO_MAX;
    const char *e = s + n, *p = s;
    while ((p = memchr(p, '<', (size_t)(e - p))) != NULL) {
        int sd = 0;
        _tag_kind(p, e, &sd);
        if (sd) { /* to the tag's '>' outside quotes */
            char quote = 0;
            for (const char *q = p + 1; q < e; q++) {
                if (quote) {
                    quote = *q == quote ? 0 : quote;
                } else if (*q == '"' || *q == '\'') {
                    quote = *q;
                } else if (*q == '>') {
                    return q[-1] == '/' ? 0 : (size_t)(q + 1 - s);
                }
            }
            return 0;
        }
        p++;
    }
    return 0;
}

/* ---- the producer -------------------------------------------------------- */

/* Read until the stage holds `target` bytes or the entry ends; the new
 * bytes through the token scanner.  0, or -1 with s->rc set. */
static int _fill(split *s, size_t target)
{
    size_t n0 = s->n;
    while (s->n < target && !s->eof) {
        size_t got = 0;
        iafq_err rc = zipg_entry_read(s->e, s->stage + s->n, target - s->n,
                                      &got, &s->err);
        if (rc != IAFQ_OK) {
            s->rc = rc;
            return -1;
        }
        if (got == 0)
            s->eof = 1;
        s->n += got;
    }
    int too_long = xlsx_xml_scan(&s->scan, s->stage + n0, s->n - n0);
    if (too_long) {
        s->rc = xlsx_xml_scan_error(&s->err, too_long);
        return -1;
    }
    return 0;
}

/* Queue n bytes for P0; 0 when cancelled. */
static int _put_bytes(split *s, const char *b, size_t n)
{
    do {
        size_t k = n < XLSX_XML_CHUNK ? n : XLSX_XML_CHUNK;
        int slot = ringq_reserve(&s->a);
        if (slot < 0)
            return 0;
        memcpy(s->abuf[slot], b, k);
        s->alen[slot] = k;
        s->atype[slot] = P_BYTES;
        ringq_publish(&s->a);
        b += k;
        n -= k;
    } while (n > 0);
    return 1;
}

/* At the first cut: the stage and the workers' buffers made big enough
 * for a chunk and a long row; 0, or -1 (out of memory). */
static int _grow_for_split(split *s)
{
    char *st = realloc(s->stage, s->scap);
    if (!st)
        return -1;
    s->stage = st;
    for (int j = 0; j < 2; j++)
        for (unsigned k = 0; k < NI; k++)
            if (!(s->w[j].buf[k] = malloc(s->scap)))
                return -1;
    return 0;
}

/* Hand the stage's first n bytes to the next worker, queue its piece, keep
 * the rest of the stage; 0 when cancelled. */
static int _put_chunk(split *s, size_t n)
{
    _worker *w = &s->w[s->k % 2];
    int i = ringq_reserve(&w->in);
    if (i < 0)
        return 0;
    memcpy(w->buf[i], s->stage, n);
    w->len[i] = n;
    ringq_publish(&w->in);
    int slot = ringq_reserve(&s->a);
    if (slot < 0)
        return 0;
    s->alen[slot] = n;
    s->atype[slot] = P_CHUNK;
    ringq_publish(&s->a);
    s->k++;
    memmove(s->stage, s->stage + n, s->n - n);
    s->n -= n;
    return 1;
}

/* Everything left for P0, XLSX_XML_CHUNK at a time. */
static void _produce_rest(split *s)
{
    for (;;) {
        if (s->n == 0 && _fill(s, XLSX_XML_CHUNK) != 0)
            return;
        if (s->n == 0 || !_put_bytes(s, s->stage, s->n))
            return;
        s->n = 0;
    }
}

static void _produce(split *s)
{
    uint64_t fed = 0;
    int first = 1;
    /* P0 alone: the same pieces as xlsx_xml_parse() feeds, until a cut */
    for (;;) {
        s->n = 0;
        if (_fill(s, XLSX_XML_CHUNK) != 0)
            return;
        if (first) {
            first = 0;
            s->pro_len = _find_pro(s->stage, s->n);
            if (s->pro_len)
                memcpy(s->pro, s->stage, s->pro_len);
        }
        size_t b = s->n;
        if (s->n == 0)
            return;
        if (s->pro_len && fed + s->n >= s->min) {
            /* the first row from the prologue's end and XLSX_SPLIT_MIN */
            uint64_t from = s->min > s->pro_len ? s->min : s->pro_len;
            size_t c = _first_cut(s->stage,
                                  from > fed ? (size_t)(from - fed) : 0, s->n);
            if (c)
                b = c;
        }
        if (!_put_bytes(s, s->stage, b))
            return;
        fed += b;
        if (b < s->n) {
            memmove(s->stage, s->stage + b, s->n - b);
            s->n -= b;
            s->switched = 1;
            if (_grow_for_split(s) != 0) {
                s->redo = 1;
                return;
            }
            break;
        }
        if (s->eof)
            return;
    }
    /* rows: chunks from one "<row" to another (the last one before
     * s->chunk bytes, or the first after), then the rest for P0 */
    for (;;) {
        if (s->n < s->chunk && !s->eof && _fill(s, s->chunk) != 0)
            return;
        for (;;) {
            int kind;
            size_t m = s->n < s->chunk ? s->n : s->chunk;
            size_t c = _last_cut(s->stage, m, s->n, &kind);
            if (!c && m >= 1)
                c = _next_cut(s->stage, m, s->n, &kind);
            if (kind == K_ROW) {
                if (!_put_chunk(s, c))
                    return;
                break;
            }
            if (kind == K_END) {
                if (!_put_chunk(s, c))
                    return;
                _produce_rest(s);
                return;
            }
            if (s->eof) { /* no end of sheetData: P0 will say */
                _produce_rest(s);
                return;
            }
            if (s->n >= s->scap) {
                s->redo = 1; /* a row too long to cut */
                return;
            }
            size_t t = s->n + s->chunk < s->scap ? s->n + s->chunk : s->scap;
            if (_fill(s, t) != 0)
                return;
        }
    }
}

static void *_producer_main(void *arg)
{
    split *s = arg;
    _produce(s);
    ringq_close(&s->w[0].in);
    ringq_close(&s->w[1].in);
    ringq_close(&s->a);
    return NULL;
}

/* ---- the workers --------------------------------------------------------- */

/* Parse one chunk, primed with the prologue and closed; 0 when it parsed
 * without any error. */
static int _parse_chunk(_worker *w, const char *buf, size_t len)
{
    split *s = w->s;
    iafq_error err;
    xlsx_xml px;
    if (XML_ParserReset(w->p, NULL) != XML_TRUE)
        return -1;
    xlsx_xml_setup(&px, w->p, s->ops->h, w->lane, s->what, &err);
    px.mute = 1;
    if (XML_Parse(w->p, s->pro, (int)s->pro_len, 0) != XML_STATUS_OK ||
        px.rc != IAFQ_OK)
        return -1;
    px.mute = 0;
    if (XML_Parse(w->p, buf, (int)len, 0) != XML_STATUS_OK || px.rc != IAFQ_OK)
        return -1;
    px.mute = 1;
    if (XML_Parse(w->p, s->synth, (int)s->synth_len, 1) != XML_STATUS_OK ||
        px.rc != IAFQ_OK)
        return -1;
    return 0;
}

static void *_worker_main(void *arg)
{
    _worker *w = arg;
    const xlsx_split_ops *ops = w->s->ops;
    for (;;) {
        int i = ringq_take(&w->in);
        if (i < 0)
            break;
        int o = ringq_reserve(&w->out);
        if (o < 0) {
            ringq_release(&w->in);
            break;
        }
        ops->lane_begin(w->lane, w->rec[o]);
        int bad = _parse_chunk(w, w->buf[i], w->len[i]) != 0;
        if (!bad)
            bad = ops->lane_end(w->lane, w->rec[o]) != 0;
        ringq_release(&w->in);
        w->bad[o] = bad;
        ringq_publish(&w->out);
    }
    ringq_close(&w->out);
    return NULL;
}

/* ---- the caller's side --------------------------------------------------- */

static const char *_local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

/* At the first cut: the prologue parsed alone ends with <sheetData> open
 * at P0's depth, P0's handlers may split; the end tags that close a chunk
 * into s->synth; the workers started.  0, or -1 (redo). */
static int _start_split(split *s, xlsx_xml *p0)
{
    iafq_error tmp;
    xlsx_xml q;
    int ok = 0;
    if (!s->pro_len || s->ops->can_split(s->ud) != 0)
        return -1;
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p)
        return -1;
    xlsx_xml_setup(&q, p, s->ops->h, NULL, s->what, &tmp);
    q.mute = 1;
    if (XML_Parse(p, s->pro, (int)s->pro_len, 0) == XML_STATUS_OK &&
        q.rc == IAFQ_OK && q.depth >= 1 && q.depth <= XLSX_XML_STACK &&
        q.depth == p0->depth &&
        strcmp(_local(q.stack[q.depth - 1]), "sheetData") == 0 &&
        strcmp(_local(p0->stack[p0->depth - 1]), "sheetData") == 0) {
        size_t n = 0;
        ok = 1;
        for (unsigned d = q.depth; d-- > 0 && ok;) {
            size_t ln = strlen(q.stack[d]);
            if (ln > NAME_MAX_LEN) {
                ok = 0;
                break;
            }
            s->synth[n++] = '<';
            s->synth[n++] = '/';
            memcpy(s->synth + n, q.stack[d], ln);
            n += ln;
            s->synth[n++] = '>';
        }
        s->synth_len = n;
    }
    XML_ParserFree(p);
    if (!ok)
        return -1;
    for (int j = 0; j < 2; j++) {
        _worker *w = &s->w[j];
        for (unsigned k = 0; k < NO; k++)
            if (!(w->rec[k] = s->ops->rec_new(s->ud)))
                return -1;
        if (!(w->lane = s->ops->lane_new(s->ud)))
            return -1;
        if (!(w->p = XML_ParserCreate(NULL)))
            return -1;
    }
    for (int j = 0; j < 2; j++) {
        if (pthread_create(&s->w[j].th, NULL, _worker_main, &s->w[j]) != 0)
            return -1;
        s->w[j].started = 1;
    }
    return 0;
}

static void _split_free(split *s)
{
    if (!s)
        return;
    for (unsigned k = 0; k < NA; k++)
        free(s->abuf[k]);
    for (int j = 0; j < 2; j++) {
        _worker *w = &s->w[j];
        for (unsigned k = 0; k < NI; k++)
            free(w->buf[k]);
        for (unsigned k = 0; k < NO; k++)
            if (w->rec[k])
                s->ops->rec_free(w->rec[k]);
        if (w->lane)
            s->ops->lane_free(w->lane);
        if (w->p)
            XML_ParserFree(w->p);
        if (w->in_ok)
            ringq_destroy(&w->in);
        if (w->out_ok)
            ringq_destroy(&w->out);
    }
    if (s->a_ok)
        ringq_destroy(&s->a);
    free(s->stage);
    free(s);
}

/* Everything made before the threads start; 0 or -1 (out of memory). */
static int _split_alloc(split *s)
{
    if (ringq_init(&s->a, NA) != 0)
        return -1;
    s->a_ok = 1;
    for (int j = 0; j < 2; j++) {
        _worker *w = &s->w[j];
        w->s = s;
        w->j = j;
        if (ringq_init(&w->in, NI) != 0)
            return -1;
        w->in_ok = 1;
        if (ringq_init(&w->out, NO) != 0)
            return -1;
        w->out_ok = 1;
    }
    s->stage = malloc(XLSX_XML_CHUNK);
    if (!s->stage)
        return -1;
    for (unsigned k = 0; k < NA; k++)
        if (!(s->abuf[k] = malloc(XLSX_XML_CHUNK)))
            return -1;
    return 0;
}

iafq_err xlsx_xml_parse_split(zipg *z, size_t idx, const char *what,
                              const xlsx_split_ops *ops, void *ud, int *redo,
                              iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    split *s = calloc(1, sizeof *s);
    XML_Parser p = NULL;
    xlsx_xml p0;
    pthread_t th;
    int prod = 0, split_on = 0, again = 0;

    *redo = 0;
    if (tune_min == SIZE_MAX) { /* tests: one parser */
        free(s);
        *redo = 1;
        return IAFQ_OK;
    }
    if (!s)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    s->ops = ops;
    s->ud = ud;
    s->what = what;
    s->min = tune_min ? tune_min : XLSX_SPLIT_MIN;
    s->chunk = tune_chunk ? tune_chunk : XLSX_SPLIT_CHUNK;
    s->scap = (s->chunk > XLSX_XML_CHUNK ? s->chunk : XLSX_XML_CHUNK) +
              XLSX_SPLIT_ROW_MAX;
    if (_split_alloc(s) != 0 || !(p = XML_ParserCreate(NULL))) {
        again = 1; /* one parser needs less */
        goto cleanup;
    }
    xlsx_xml_setup(&p0, p, ops->h, ud, what, err);
    rc = zipg_entry_open(z, idx, &s->e, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    if (pthread_create(&th, NULL, _producer_main, s) != 0) {
        again = 1; /* xlsx_xml_parse() works without threads */
        goto cleanup;
    }
    prod = 1;

    for (;;) {
        int slot = ringq_take(&s->a);
        if (slot < 0) {
            if (s->redo || (s->rc != IAFQ_OK && (split_on || s->switched))) {
                again = 1;
            } else if (s->rc != IAFQ_OK) {
                rc = iafq_error_set(err, s->rc, "%s: %s", what, s->err.msg);
            } else {
                if (XML_Parse(p, "", 0, 1) == XML_STATUS_ERROR) {
                    if (split_on)
                        again = 1;
                    else
                        rc = xlsx_xml_failed(&p0);
                } else if (p0.rc != IAFQ_OK) {
                    rc = p0.rc;
                }
            }
            break;
        }
        size_t n = s->alen[slot];
        if (s->atype[slot] == P_BYTES) {
            work_add(WORK_XML_BYTES, n);
            enum XML_Status st = XML_Parse(p, s->abuf[slot], (int)n, 0);
            ringq_release(&s->a);
            if (st == XML_STATUS_ERROR || p0.rc != IAFQ_OK) {
                if (split_on)
                    again = 1;
                else
                    rc = st == XML_STATUS_ERROR ? xlsx_xml_failed(&p0) : p0.rc;
                break;
            }
            continue;
        }
        /* a chunk: its record, in order */
        if (!split_on) {
            if (_start_split(s, &p0) != 0) {
                again = 1;
                break;
            }
            split_on = 1;
        }
        _worker *w = &s->w[s->k_taken % 2];
        s->k_taken++;
        int o = ringq_take(&w->out);
        ringq_release(&s->a);
        if (o < 0) {
            again = 1;
            break;
        }
        work_add(WORK_XML_BYTES, n + s->pro_len + s->synth_len);
        work_add(WORK_XML_CHUNKS, 1);
        iafq_err mrc =
            w->bad[o] ? XLSX_SPLIT_REDO : ops->merge(ud, w->rec[o], err);
        ringq_release(&w->out);
        if (mrc == XLSX_SPLIT_REDO) {
            again = 1;
            break;
        }
        if (mrc != IAFQ_OK) {
            rc = mrc;
            break;
        }
    }

cleanup:
    if (prod || split_on) {
        ringq_cancel(&s->a);
        for (int j = 0; j < 2; j++) {
            ringq_cancel(&s->w[j].in);
            ringq_cancel(&s->w[j].out);
        }
    }
    if (prod)
        pthread_join(th, NULL);
    if (s)
        for (int j = 0; j < 2; j++)
            if (s->w[j].started)
                pthread_join(s->w[j].th, NULL);
    if (s)
        zipg_entry_close(s->e);
    _split_free(s);
    if (p)
        XML_ParserFree(p);
    if (again) {
        *redo = 1;
        work_add(WORK_XML_REDO, 1);
        rc = IAFQ_OK;
    }
    return rc;
}
