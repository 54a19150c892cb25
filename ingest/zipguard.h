/*
 * zipguard.h - reading untrusted zip archives (xlsx packages and zips of CSV
 * files) with libzip, within the limits of iafq_limits.
 *
 * Guards: file size (max_file_bytes), number of entries (max_entries), and
 * for every entry read, the inflated byte count (max_entry_bytes) and the
 * inflated:compressed ratio (max_ratio, checked once more than
 * LIMITS_RATIO_GRACE_BYTES have been inflated).  The counts are those really
 * inflated, not the sizes the archive claims.  Encrypted entries, truncated
 * or corrupt archives are IAFQ_ERR_FORMAT / IAFQ_ERR_ZIP with libzip's message
 * kept in the iafq_error.
 *
 * Ownership: zipg_open() returns an archive the caller closes with
 * zipg_close() (NULL-safe).  zipg_entry_open() returns an entry reader the
 * caller closes with zipg_entry_close() (NULL-safe) before closing the archive.
 * Names returned are owned by the archive and valid until zipg_close().
 */
#ifndef IAFQ_ZIPGUARD_H
#define IAFQ_ZIPGUARD_H

#include "err.h"
#include "iafq_limits.h"

#include <stddef.h>
#include <stdint.h>

typedef struct zipg zipg;
typedef struct zipg_entry zipg_entry;

iafq_err zipg_open(const char *path, const iafq_limits *lim, zipg **out,
                   iafq_error *err);
void zipg_close(zipg *z);

/* Number of entries and the name of entry i. */
size_t zipg_count(const zipg *z);
const char *zipg_name(const zipg *z, size_t i);
/* Index of the entry with this exact name (or case-insensitively when
 * icase: the first such entry), -1 when absent.  O(log n) either way: the
 * case-insensitive index is built on the first search that needs it. */
long zipg_find(const zipg *z, const char *name, int icase);

/* Open entry i for streaming. */
iafq_err zipg_entry_open(zipg *z, size_t i, zipg_entry **out, iafq_error *err);
/* Read up to n bytes; *got = 0 at the end.  Enforces the limits. */
iafq_err zipg_entry_read(zipg_entry *e, void *buf, size_t n, size_t *got,
                         iafq_error *err);
void zipg_entry_close(zipg_entry *e);

/* Read a whole (small) entry into a malloc'd NUL-terminated buffer that the
 * caller frees; fails with IAFQ_ERR_LIMIT past max bytes. */
iafq_err zipg_entry_slurp(zipg *z, size_t i, size_t max, char **buf,
                          size_t *len, iafq_error *err);

#endif
