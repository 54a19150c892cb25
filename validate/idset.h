/*
 * idset.h - a set of T11 seizure ids, compared case-insensitively (for
 * E-ID-DUPLICATE): open addressing over one arena of the ids' bytes.
 *
 * The hash is seeded once per process from getrandom() (idset_seed()), so
 * that no file can be made of ids that all collide (which would turn the
 * duplicate check quadratic); layout's table of long shared strings uses
 * the same seed.
 *
 * Ownership: a zeroed idset is the empty set; idset_release() (NULL-safe)
 * frees what it holds.
 */
#ifndef IAFQ_IDSET_H
#define IAFQ_IDSET_H

#include "str.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t *slot_off; /* offset+1 into arena; 0 = empty */
    uint32_t *slot_hash;
    size_t cap, n;
    sbuf arena;
} idset;

/* Add id[0..n): 1 when already present, 0 when added, -1 when out of
 * memory (or past 4 GiB of ids). */
int idset_add(idset *s, const char *id, size_t n);
void idset_release(idset *s);

/* The process's random hash seed (odd), made at the first call. */
uint64_t idset_seed(void);

#endif
