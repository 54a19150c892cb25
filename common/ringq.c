#include "ringq.h"

int ringq_init(ringq *q, unsigned nslots)
{
    q->nslots = nslots ? nslots : 1;
    q->head = q->tail = 0;
    q->closed = q->cancelled = 0;
    if (pthread_mutex_init(&q->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&q->cv, NULL) != 0) {
        pthread_mutex_destroy(&q->mu);
        return -1;
    }
    return 0;
}

void ringq_destroy(ringq *q)
{
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
}

int ringq_reserve(ringq *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->head - q->tail >= q->nslots && !q->cancelled)
        pthread_cond_wait(&q->cv, &q->mu);
    int s = q->cancelled ? -1 : (int)(q->head % q->nslots);
    pthread_mutex_unlock(&q->mu);
    return s;
}

void ringq_publish(ringq *q)
{
    pthread_mutex_lock(&q->mu);
    q->head++;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

void ringq_close(ringq *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

int ringq_take(ringq *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->head == q->tail && !q->closed && !q->cancelled)
        pthread_cond_wait(&q->cv, &q->mu);
    int s =
        (q->cancelled || q->head == q->tail) ? -1 : (int)(q->tail % q->nslots);
    pthread_mutex_unlock(&q->mu);
    return s;
}

void ringq_release(ringq *q)
{
    pthread_mutex_lock(&q->mu);
    q->tail++;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

void ringq_cancel(ringq *q)
{
    pthread_mutex_lock(&q->mu);
    q->cancelled = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

void ringq_drain(ringq *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->tail != q->head && !q->cancelled)
        pthread_cond_wait(&q->cv, &q->mu);
    pthread_mutex_unlock(&q->mu);
}
