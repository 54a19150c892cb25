#include "cellq.h"

#include "ringq.h"
#include "work.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NBATCH 4
#define BATCH_CELLS 8192
#define BATCH_TEXT (1u << 20)
/* A shared string at least this long is copied once per queue, not once
 * per cell that shows it (see cells.h, cell.shared). */
#define SHARED_MIN 64
#define ARENA_BLOCK (1u << 20)

typedef struct {
    cell c; /* c.text: NULL (the text is at off in the batch's
               arena) or a copy of a shared string (the queue's) */
    size_t off;
    int row_end; /* 1: a row_end of row c.row */
} _item;

typedef struct {
    _item *items;
    size_t n;
    char *text;
    size_t tlen, tcap;
} _batch;

/* Long shared strings, each copied once: blocks never move, so their
 * pointers stay valid for the consumer until cellq_free(). */
typedef struct _block {
    struct _block *next;
    size_t len, cap;
    char data[];
} _block;

typedef struct {
    uint32_t *keys; /* cell.shared; 0 = empty */
    const char **texts;
    size_t cap, n;
    _block *blocks;
} _shared;

struct cellq {
    const cell_sink *target;
    pthread_t thread;
    ringq ring;
    _batch b[NBATCH];
    int fill;        /* the slot the producer fills */
    int rc;          /* first failing target return (an iafq_err) */
    iafq_error cerr; /* its error, written before rc is published */
    int started;
    _shared shared;  /* the producer's */
    uint64_t copied; /* bytes copied, not yet counted in work.h */
};

static void _replay(cellq *q, _batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        int rc;
        __atomic_load(&q->rc, &rc, __ATOMIC_ACQUIRE);
        if (rc)
            break;
        _item *it = &b->items[i];
        iafq_error e;
        iafq_error_clear(&e);
        if (it->row_end)
            rc = q->target->row_end
                     ? (int)q->target->row_end(q->target->ud, it->c.row, &e)
                     : 0;
        else {
            cell c = it->c;
            if (!c.text)
                c.text = b->text + it->off;
            rc = q->target->cell ? (int)q->target->cell(q->target->ud, &c, &e)
                                 : 0;
        }
        if (rc) {
            q->cerr = e;
            __atomic_store_n(&q->rc, rc, __ATOMIC_RELEASE);
        }
    }
    b->n = 0;
    b->tlen = 0;
}

static void *_consumer(void *arg)
{
    cellq *q = arg;
    int slot;
    while ((slot = ringq_take(&q->ring)) >= 0) {
        _replay(q, &q->b[slot]);
        ringq_release(&q->ring);
    }
    return NULL;
}

/* Publish the batch being filled and reserve the next one. */
static void _publish(cellq *q)
{
    if (!q->b[q->fill].n)
        return;
    work_add(WORK_CELL_COPY, q->copied);
    q->copied = 0;
    ringq_publish(&q->ring);
    q->fill = ringq_reserve(&q->ring); /* never cancelled while in use */
}

/* Publish and wait until everything has been replayed. */
static void _drain(cellq *q)
{
    _publish(q);
    ringq_drain(&q->ring);
}

/* The consumer's first failure, copied into *err; IAFQ_OK when none. */
static iafq_err _rc(cellq *q, iafq_error *err)
{
    int rc;
    __atomic_load(&q->rc, &rc, __ATOMIC_ACQUIRE);
    if (!rc)
        return IAFQ_OK;
    return cells_callback_error(err, (iafq_err)rc, &q->cerr);
}

static size_t _slot_of(const _shared *s, uint32_t key)
{
    size_t i = (key * 2654435761u) & (s->cap - 1);
    while (s->keys[i] && s->keys[i] != key)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static int _shared_grow(_shared *s)
{
    size_t cap = s->cap ? s->cap * 2 : 256;
    _shared n = {calloc(cap, sizeof *n.keys), calloc(cap, sizeof *n.texts), cap,
                 s->n, s->blocks};
    if (!n.keys || !n.texts) {
        free(n.keys);
        free(n.texts);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++)
        if (s->keys[i]) {
            size_t j = _slot_of(&n, s->keys[i]);
            n.keys[j] = s->keys[i];
            n.texts[j] = s->texts[i];
        }
    free(s->keys);
    free(s->texts);
    *s = n;
    return 0;
}

/* The queue's copy of shared string c->shared; NULL when out of memory. */
static const char *_shared_text(cellq *q, const cell *c)
{
    _shared *s = &q->shared;
    if ((s->n + 1) * 2 > s->cap && _shared_grow(s))
        return NULL;
    size_t i = _slot_of(s, c->shared);
    if (s->keys[i])
        return s->texts[i];
    _block *b = s->blocks;
    if (!b || b->cap - b->len < c->len + 1) {
        size_t cap = c->len + 1 > ARENA_BLOCK ? c->len + 1 : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = s->blocks;
        b->len = 0;
        b->cap = cap;
        s->blocks = b;
    }
    char *t = b->data + b->len;
    memcpy(t, c->text, c->len);
    t[c->len] = '\0';
    b->len += c->len + 1;
    q->copied += c->len;
    s->keys[i] = c->shared;
    s->texts[i] = t;
    s->n++;
    return t;
}

static iafq_err _push(cellq *q, const cell *c, int row_end, iafq_error *err)
{
    iafq_err rc = _rc(q, err);
    if (rc)
        return rc;
    const char *ext = NULL;
    if (!row_end && c->shared && c->len >= SHARED_MIN) {
        ext = _shared_text(q, c);
        if (!ext)
            return iafq_error_set(err, IAFQ_ERR_NOMEM,
                                  "out of memory queueing cells");
    }
    _batch *b = &q->b[q->fill];
    size_t len = (row_end || ext) ? 0 : c->len;
    if (b->n == BATCH_CELLS || (b->tlen + len + 1 > BATCH_TEXT && b->n > 0)) {
        _publish(q);
        b = &q->b[q->fill];
    }
    if (b->tlen + len + 1 > b->tcap) {
        size_t cap = b->tcap ? b->tcap : BATCH_TEXT;
        while (cap < b->tlen + len + 1)
            cap *= 2;
        char *nt = realloc(b->text, cap);
        if (!nt)
            return iafq_error_set(err, IAFQ_ERR_NOMEM,
                                  "out of memory queueing cells");
        b->text = nt;
        b->tcap = cap;
    }
    _item *it = &b->items[b->n++];
    it->c = *c;
    it->c.text = ext;
    it->row_end = row_end;
    it->off = b->tlen;
    if (len)
        memcpy(b->text + b->tlen, c->text, len);
    b->text[b->tlen + len] = '\0';
    b->tlen += len + 1;
    q->copied += len;
    return IAFQ_OK;
}

static iafq_err _q_cell(void *ud, const cell *c, iafq_error *err)
{
    return _push(ud, c, 0, err);
}

static iafq_err _q_row_end(void *ud, uint32_t row, iafq_error *err)
{
    cell c;
    memset(&c, 0, sizeof c);
    c.row = row;
    return _push(ud, &c, 1, err);
}

static iafq_err _q_sheet_begin(void *ud, const char *name, int *skip,
                               iafq_error *err)
{
    cellq *q = ud;
    _drain(q);
    iafq_err rc = _rc(q, err);
    if (rc)
        return rc;
    return q->target->sheet_begin
               ? q->target->sheet_begin(q->target->ud, name, skip, err)
               : IAFQ_OK;
}

static iafq_err _q_sheet_end(void *ud, iafq_error *err)
{
    cellq *q = ud;
    _drain(q);
    iafq_err rc = _rc(q, err);
    if (rc)
        return rc;
    return q->target->sheet_end ? q->target->sheet_end(q->target->ud, err)
                                : IAFQ_OK;
}

/* Everything queued delivered, the consumer waits: the target may be
 * called on the reader's thread until the next push. */
static const cell_sink *_q_direct(void *ud)
{
    cellq *q = ud;
    int rc;
    _drain(q);
    __atomic_load(&q->rc, &rc, __ATOMIC_ACQUIRE);
    return rc ? NULL : q->target;
}

cellq *cellq_new(const cell_sink *target)
{
    cellq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->target = target;
    for (int i = 0; i < NBATCH; i++) {
        q->b[i].items = malloc(BATCH_CELLS * sizeof *q->b[i].items);
        if (!q->b[i].items)
            goto fail;
    }
    if (ringq_init(&q->ring, NBATCH) != 0)
        goto fail;
    q->fill = ringq_reserve(&q->ring);
    if (pthread_create(&q->thread, NULL, _consumer, q)) {
        ringq_destroy(&q->ring);
        goto fail;
    }
    q->started = 1;
    return q;
fail:
    for (int i = 0; i < NBATCH; i++)
        free(q->b[i].items);
    free(q);
    return NULL;
}

cell_sink cellq_sink(cellq *q)
{
    cell_sink s = {_q_sheet_begin, _q_cell, _q_row_end,
                   _q_sheet_end,   q,       _q_direct};
    return s;
}

iafq_err cellq_finish(cellq *q, iafq_error *err)
{
    _drain(q);
    return _rc(q, err);
}

void cellq_free(cellq *q)
{
    if (!q)
        return;
    if (q->started) {
        ringq_close(&q->ring);
        pthread_join(q->thread, NULL);
        ringq_destroy(&q->ring);
    }
    work_add(WORK_CELL_COPY, q->copied);
    for (int i = 0; i < NBATCH; i++) {
        free(q->b[i].items);
        free(q->b[i].text);
    }
    free(q->shared.keys);
    free(q->shared.texts);
    for (_block *b = q->shared.blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(q);
}
