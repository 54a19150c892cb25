/*
 * iafq_limits.h - the safety limits applied to every untrusted input.
 *
 * Defaults fit real returns (a T11 of a million rows is legal) and every
 * limit can be raised from the command line (see cli/).  A reader that hits a
 * limit stops and returns IAFQ_ERR_LIMIT, which the caller reports as E-FILE.
 * Plain value type: nothing owned.
 */
#ifndef IAFQ_LIMITS_H
#define IAFQ_LIMITS_H

#include <stdint.h>

typedef struct {
    uint64_t max_file_bytes;  /* size of one input file on disk */
    uint64_t max_entry_bytes; /* inflated size of one zip entry */
    uint32_t max_ratio;       /* inflated:compressed ratio of one zip entry */
    uint32_t max_entries;     /* entries in one zip archive */
    uint64_t max_cells;       /* non-empty cells in one return */
    uint32_t max_rows;        /* highest row number in one sheet */
    uint32_t max_cols;        /* highest column number in one sheet */
    uint32_t max_cell_bytes;  /* bytes of one cell's text (raw, before rules) */
    uint64_t max_sst_bytes;   /* bytes of the shared-string table */
    uint32_t max_sst_count;   /* entries of the shared-string table */
    uint32_t max_findings;    /* findings kept per return (counts stay exact) */
} iafq_limits;

#define LIMITS_DEFAULT_FILE_BYTES (512ull << 20)
#define LIMITS_DEFAULT_ENTRY_BYTES (2048ull << 20)
#define LIMITS_DEFAULT_RATIO 100u
#define LIMITS_RATIO_GRACE_BYTES (1u << 20) /* ratio checked past 1 MiB */
#define LIMITS_DEFAULT_ENTRIES 10000u
#define LIMITS_DEFAULT_CELLS 50000000ull
#define LIMITS_DEFAULT_ROWS 1048576u /* Excel's own maximum */
#define LIMITS_DEFAULT_COLS 1024u
#define LIMITS_DEFAULT_CELL_BYTES 131072u /* 32,767 characters of UTF-8 */
#define LIMITS_DEFAULT_SST_BYTES (256ull << 20)
#define LIMITS_DEFAULT_SST_COUNT 10000000u
#define LIMITS_DEFAULT_FINDINGS 10000u

void limits_default(iafq_limits *lim);

#endif
