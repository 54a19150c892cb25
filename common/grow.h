/*
 * grow.h - growing an array: the one helper for "make room for n items".
 *
 * Ownership: *p stays the caller's; on failure it is left as it was.
 */
#ifndef IAFQ_GROW_H
#define IAFQ_GROW_H

#include <stddef.h>

/* Make room for `need` items of `size` bytes in *p (capacity *cap items,
 * doubling from `first`).  0, or -1 when out of memory or too large. */
int grow(void **p, size_t *cap, size_t need, size_t size, size_t first);

#endif
