/*
 * xlsx_rels.h - the relationships part of a package part (OPC): which
 * parts a part points at, by id and by type.
 *
 * xlsx_rels_read() parses "dir/_rels/name.rels" for part "dir/name" (""
 * for the package's own _rels/.rels); an absent relationships part means no
 * relationships.  External targets (TargetMode="External") are skipped.
 * Lookups by id are O(log n) (the ids are sorted once after reading; the
 * first of two relationships with one id wins), so a workbook of many
 * sheets is not read in quadratic time.  At most XLSX_RELS_MAX entries.
 *
 * Ownership: an xlsx_rels owns its strings; xlsx_rels_release() frees them
 * (and leaves an empty set).  Returned pointers are valid until then.
 */
#ifndef IAFQ_XLSX_RELS_H
#define IAFQ_XLSX_RELS_H

#include "err.h"
#include "zipguard.h"

#include <stddef.h>

#define XLSX_RELS_MAX 100000u

typedef struct {
    char *id, *type, *target;
} xlsx_rel;

typedef struct {
    xlsx_rel *v; /* in document order */
    size_t n, cap;
    xlsx_rel **by_id; /* v sorted by id (document order among equals) */
} xlsx_rels;

#define XLSX_RELS_INIT                                                         \
    {                                                                          \
        NULL, 0, 0, NULL                                                       \
    }

/* Replace *rels with the relationships of `part` in z. */
iafq_err xlsx_rels_read(xlsx_rels *rels, zipg *z, const char *part,
                        iafq_error *err);
void xlsx_rels_release(xlsx_rels *rels);

/* The first relationship whose type ends with suffix ("/styles"), or NULL. */
const xlsx_rel *xlsx_rels_by_type(const xlsx_rels *rels, const char *suffix);
/* The relationship with this id, or NULL. */
const xlsx_rel *xlsx_rels_by_id(const xlsx_rels *rels, const char *id);

/* Join a relationship target to the directory of its source part and
 * normalise "." and ".." segments; a malloc'd path the caller frees, or
 * NULL when out of memory. */
char *xlsx_rels_resolve(const char *source_part, const char *target);

/* Index of the part named name in z: exact name first, then ignoring
 * case (as Excel does); -1 when absent. */
long xlsx_find_part(const zipg *z, const char *name);

#endif
