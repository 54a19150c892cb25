#include "cellq.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define _NBATCH 4
#define _BATCH_CELLS 8192
#define _BATCH_TEXT (1u << 20)

typedef struct {
    cell c; /* c.text unused: the text is at off in the arena */
    size_t off;
    int row_end; /* 1: a row_end of row c.row */
} _item;

typedef struct {
    _item *items;
    size_t n;
    char *text;
    size_t tlen, tcap;
} _batch;

struct cellq {
    const cell_sink *target;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    _batch b[_NBATCH];
    size_t head, tail; /* batches published: [tail, head) in ring order */
    size_t fill;       /* the batch the producer fills (== head % N) */
    int busy;          /* the consumer is replaying a batch */
    int quit;
    int rc;          /* first failing target return (an iafq_err) */
    iafq_error cerr; /* its error, written before rc is published */
    int started;
};

static void _replay(cellq *q, _batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        int rc;
        __atomic_load(&q->rc, &rc, __ATOMIC_ACQUIRE);
        if (rc)
            break;
        _item *it = &b->items[i];
        iafq_error e = {0};
        if (it->row_end)
            rc = q->target->row_end
                     ? (int)q->target->row_end(q->target->ud, it->c.row, &e)
                     : 0;
        else {
            cell c = it->c;
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
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (q->tail == q->head && !q->quit)
            pthread_cond_wait(&q->cv, &q->mu);
        if (q->tail == q->head && q->quit)
            break;
        _batch *b = &q->b[q->tail % _NBATCH];
        q->busy = 1;
        pthread_mutex_unlock(&q->mu);
        _replay(q, b);
        pthread_mutex_lock(&q->mu);
        q->busy = 0;
        q->tail++;
        pthread_cond_broadcast(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* Publish the batch being filled and wait for a free one. */
static void _publish(cellq *q)
{
    pthread_mutex_lock(&q->mu);
    if (q->b[q->fill].n) {
        q->head++;
        pthread_cond_broadcast(&q->cv);
        while (q->head - q->tail >= _NBATCH)
            pthread_cond_wait(&q->cv, &q->mu);
        q->fill = q->head % _NBATCH;
    }
    pthread_mutex_unlock(&q->mu);
}

/* Publish and wait until everything has been replayed. */
static void _drain(cellq *q)
{
    _publish(q);
    pthread_mutex_lock(&q->mu);
    while (q->tail != q->head || q->busy)
        pthread_cond_wait(&q->cv, &q->mu);
    pthread_mutex_unlock(&q->mu);
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

static iafq_err _push(cellq *q, const cell *c, int row_end, iafq_error *err)
{
    iafq_err rc = _rc(q, err);
    if (rc)
        return rc;
    _batch *b = &q->b[q->fill];
    size_t len = row_end ? 0 : c->len;
    if (b->n == _BATCH_CELLS || (b->tlen + len + 1 > _BATCH_TEXT && b->n > 0)) {
        _publish(q);
        b = &q->b[q->fill];
    }
    if (b->tlen + len + 1 > b->tcap) {
        size_t cap = b->tcap ? b->tcap : _BATCH_TEXT;
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
    it->c.text = NULL;
    it->row_end = row_end;
    it->off = b->tlen;
    if (!row_end)
        memcpy(b->text + b->tlen, c->text, len);
    b->text[b->tlen + len] = '\0';
    b->tlen += len + 1;
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

cellq *cellq_new(const cell_sink *target)
{
    cellq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->target = target;
    for (int i = 0; i < _NBATCH; i++) {
        q->b[i].items = malloc(_BATCH_CELLS * sizeof *q->b[i].items);
        if (!q->b[i].items)
            goto fail;
    }
    if (pthread_mutex_init(&q->mu, NULL))
        goto fail;
    if (pthread_cond_init(&q->cv, NULL)) {
        pthread_mutex_destroy(&q->mu);
        goto fail;
    }
    if (pthread_create(&q->thread, NULL, _consumer, q)) {
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
        goto fail;
    }
    q->started = 1;
    return q;
fail:
    for (int i = 0; i < _NBATCH; i++)
        free(q->b[i].items);
    free(q);
    return NULL;
}

cell_sink cellq_sink(cellq *q)
{
    cell_sink s = {_q_sheet_begin, _q_cell, _q_row_end, _q_sheet_end, q};
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
        pthread_mutex_lock(&q->mu);
        q->quit = 1;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->thread, NULL);
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
    }
    for (int i = 0; i < _NBATCH; i++) {
        free(q->b[i].items);
        free(q->b[i].text);
    }
    free(q);
}
