/*
 * sha256.h - SHA-256 (FIPS 180-4) of a byte stream, and of a file or a
 * folder as iafq identifies a submission by it.
 *
 * A submission is "the same bytes again" when these digests are equal: for
 * a file, the digest of its bytes; for a folder of CSV files, the digest of
 * each regular file's name, size and bytes in byte order of the names (so a
 * folder copied elsewhere, or read in another directory order, keeps its
 * digest).
 *
 * Ownership: plain values; nothing is allocated that the caller frees.
 */
#ifndef IAFQ_SHA256_H
#define IAFQ_SHA256_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t nbytes;
    unsigned char block[64];
    size_t nblock;
} sha256_ctx;

#define SHA256_HEX_LEN 64

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
/* The digest as 64 lowercase hex digits and a NUL into hex[65]. */
void sha256_final_hex(sha256_ctx *c, char hex[SHA256_HEX_LEN + 1]);

/* The digest of a path (file or folder, see above) into hex[65].
 * IAFQ_ERR_IO when it cannot be read, IAFQ_ERR_LIMIT when a folder holds
 * more than max_entries files. */
iafq_err sha256_path(const char *path, size_t max_entries,
                     char hex[SHA256_HEX_LEN + 1], iafq_error *err);

#endif
