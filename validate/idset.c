/*
 * idset.c - the set of T11 seizure ids (see idset.h).
 */
#include "idset.h"

#include "str.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Seeded per process, so that no file can be made of ids that all collide
 * (which would turn the duplicate check quadratic). */
static uint64_t seed;
static pthread_once_t seed_once = PTHREAD_ONCE_INIT;

static void seed_init(void)
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v)
        v = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
            (uint64_t)(uintptr_t)&v;
    seed = v | 1;
}

uint64_t idset_seed(void)
{
    pthread_once(&seed_once, seed_init);
    return seed;
}

static uint32_t id_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull ^ idset_seed();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        h = (h ^ c) * 1099511628211ull;
    }
    h ^= h >> 33; /* splitmix64 finaliser */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return (uint32_t)h ? (uint32_t)h : 1;
}

static int ids_grow(idset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    uint32_t *off = calloc(cap, sizeof *off), *hs = calloc(cap, sizeof *hs);
    if (!off || !hs) {
        free(off);
        free(hs);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slot_off[i])
            continue;
        size_t j = s->slot_hash[i] & (cap - 1);
        while (off[j])
            j = (j + 1) & (cap - 1);
        off[j] = s->slot_off[i];
        hs[j] = s->slot_hash[i];
    }
    free(s->slot_off);
    free(s->slot_hash);
    s->slot_off = off;
    s->slot_hash = hs;
    s->cap = cap;
    return 0;
}

int idset_add(idset *s, const char *id, size_t n)
{
    if ((s->n + 1) * 2 > s->cap && ids_grow(s))
        return -1;
    uint32_t h = id_hash(id, n);
    size_t j = h & (s->cap - 1);
    while (s->slot_off[j]) {
        if (s->slot_hash[j] == h) {
            const char *o = s->arena.buf + s->slot_off[j] - 1;
            if (strlen(o) == n && str_icmp_n(o, id, n) == 0)
                return 1;
        }
        j = (j + 1) & (s->cap - 1);
    }
    if (s->arena.len + n + 2 > UINT32_MAX)
        return -1;
    uint32_t off = (uint32_t)s->arena.len + 1;
    if (sbuf_add(&s->arena, id, n) || sbuf_addc(&s->arena, '\0'))
        return -1;
    s->slot_off[j] = off;
    s->slot_hash[j] = h;
    s->n++;
    return 0;
}

void idset_release(idset *s)
{
    if (!s)
        return;
    free(s->slot_off);
    free(s->slot_hash);
    sbuf_release(&s->arena);
}
