/*
 * ringq.h - the one work queue of iafq: a bounded ring of slots between one
 * producer thread and one consumer thread.
 *
 * Used by the xlsx reader's inflate pipeline (ingest/xlsx_xml: a thread
 * inflates chunks ahead of expat) and by the cell queue (common/cellq: the
 * validator replays batches of cells behind the reader).  The ring hands
 * out slot numbers 0..nslots-1 only; what a slot holds (a chunk of bytes, a
 * batch of cells) is the user's.
 *
 *   producer: s = ringq_reserve(q); fill slot s; ringq_publish(q); ...
 *             ringq_close(q) when there is nothing more.
 *   consumer: s = ringq_take(q); use slot s; ringq_release(q); ...
 *
 * Slots are taken in the order they were published; a reserved slot is
 * never one the consumer still holds, so no slot is read and written at
 * once.  Memory stays bounded: the producer waits while every slot is full.
 * ringq_cancel() (either side) makes every wait return at once: the side
 * that gives up calls it, the other side sees -1 and stops.
 *
 * Ownership: a ringq is a plain struct its user embeds;
 * ringq_init()/ringq_destroy() (destroy after both threads are done).
 */
#ifndef IAFQ_RINGQ_H
#define IAFQ_RINGQ_H

#include <pthread.h>

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned nslots;
    unsigned long head; /* slots published */
    unsigned long tail; /* slots released */
    int closed;         /* the producer has nothing more */
    int cancelled;      /* one side gave up */
} ringq;

/* 0, or -1 when the mutex or condition cannot be made. */
int ringq_init(ringq *q, unsigned nslots);
void ringq_destroy(ringq *q);

/* Producer: wait for a free slot; its number, or -1 when cancelled. */
int ringq_reserve(ringq *q);
/* Producer: the reserved slot is filled; hand it to the consumer. */
void ringq_publish(ringq *q);
/* Producer: no more slots will be published. */
void ringq_close(ringq *q);

/* Consumer: wait for the oldest published slot; its number, or -1 when the
 * ring is closed and empty, or cancelled. */
int ringq_take(ringq *q);
/* Consumer: done with the taken slot. */
void ringq_release(ringq *q);

/* Either side: stop; every wait returns -1 (or at once, for drain). */
void ringq_cancel(ringq *q);
/* Wait until every published slot has been released (or cancelled). */
void ringq_drain(ringq *q);

#endif
