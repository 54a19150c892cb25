#include "work.h"

/* One counter per cache line: they are added to from different threads. */
static struct {
    uint64_t v;
    char pad[56];
} _counters[WORK_COUNT];

void work_add(work_counter c, uint64_t n)
{
    if ((unsigned)c < WORK_COUNT && n)
        __atomic_fetch_add(&_counters[c].v, n, __ATOMIC_RELAXED);
}

uint64_t work_get(work_counter c)
{
    if ((unsigned)c >= WORK_COUNT)
        return 0;
    return __atomic_load_n(&_counters[c].v, __ATOMIC_RELAXED);
}

void work_reset(void)
{
    for (int c = 0; c < WORK_COUNT; c++)
        __atomic_store_n(&_counters[c].v, 0, __ATOMIC_RELAXED);
}
