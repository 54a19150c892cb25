/*
 * m49.h - the UN M49 country and region list (data/m49.csv, embedded in the
 * binary at build time).
 *
 * The list is parsed once, on the first call from whichever thread
 * (pthread_once: any number of threads may call at once), and lives for
 * the whole run: nothing to free.  Strings are NUL-terminated; an
 * absent code is "".
 */
#ifndef IAFQ_M49_H
#define IAFQ_M49_H

#include <stddef.h>

typedef struct {
    const char *iso3, *m49, *name;
    const char *region_code, *region;
    const char *subregion_code, *subregion;
    const char *intermediate_code, *intermediate;
    const char *sdg_region_code, *sdg_region;
} m49_entry;

/* Number of countries; 0 when the embedded list is unreadable. */
size_t m49_count(void);
const m49_entry *m49_at(size_t i);
/* Country by ISO alpha-3 code (case-insensitive, trimmed); NULL if none. */
const m49_entry *m49_by_iso3(const char *iso3);

#endif
