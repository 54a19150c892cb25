/*
 * csvin_enc.h - the byte source of the CSV reader and its decoding to
 * UTF-8 (internal to ingest/csvin*.c).
 *
 * Raw bytes are pulled from a csvin_readfn, counted against a byte limit
 * (IAFQ_ERR_LIMIT past it), and handed out as UTF-8 chunks of at most
 * CSVIN_CHUNK bytes:
 *   - a BOM decides the encoding: UTF-8, UTF-16 LE or BE (iconv);
 *   - without one the whole stream is checked for UTF-8 validity in a first
 *     pass, then rewound (a file that fits in the first chunk is not read
 *     twice); without a rewind function and a file larger than one chunk,
 *     the first chunk decides.  Not valid UTF-8: Windows-1252 (iconv; its
 *     five unassigned bytes become the C1 controls of the same number);
 *   - UTF-8 is validated as it passes (RFC 3629: no overlongs, no
 *     surrogates); a NUL byte in the text is IAFQ_ERR_FORMAT.
 * Errors of csvin_src_chunk() start with "NAME line N: ".
 *
 * Ownership: csvin_src_open() allocates the raw buffer and the iconv
 * descriptor; csvin_src_close() frees them (safe on a zeroed or half-opened
 * source).  The read function and its context are borrowed.
 */
#ifndef IAFQ_CSVIN_ENC_H
#define IAFQ_CSVIN_ENC_H

#include "csvin.h"

#include <iconv.h>
#include <stdint.h>

#define CSVIN_CHUNK (64u * 1024u) /* raw read and decoded chunk size */

enum { CSVIN_ENC_UTF8, CSVIN_ENC_UTF16LE, CSVIN_ENC_UTF16BE, CSVIN_ENC_CP1252 };

/* Incremental UTF-8 validator state. */
typedef struct {
    unsigned need;        /* continuation bytes still expected */
    unsigned back;        /* bytes of the current sequence already seen */
    unsigned char lo, hi; /* range of the next continuation byte */
} csvin_u8state;

/* The byte source and its decoder. */
typedef struct {
    csvin_readfn rd;
    csvin_rewindfn rw; /* may be NULL */
    void *ctx;
    uint64_t max_bytes;
    uint64_t nread; /* raw bytes read so far */
    uint64_t pos;   /* raw stream offset of raw[rpos] */
    unsigned char *raw;
    size_t rlen, rpos;
    int eof;
    int enc; /* CSVIN_ENC_* */
    iconv_t cd;
    csvin_u8state u8;
    uint64_t bom; /* bytes of the byte-order mark skipped at the start */
} csvin_src;

/* Set *s up on rd/rw/ctx, detect the encoding and open the decoder; on
 * IAFQ_ERR_LIMIT the stream was larger than max_bytes. */
iafq_err csvin_src_open(csvin_src *s, csvin_readfn rd, csvin_rewindfn rw,
                        void *ctx, uint64_t max_bytes, iafq_error *err);
void csvin_src_close(csvin_src *s);

/* The next chunk of UTF-8 text into out (CSVIN_CHUNK bytes); *olen = 0 at
 * the end.  On an error its message gets "NAME line N: ", the line counted
 * from line / prev_cr (the text before this chunk). */
iafq_err csvin_src_chunk(csvin_src *s, char *out, size_t *olen,
                         const char *name, uint64_t line, int prev_cr,
                         iafq_error *err);

/* Back to the first character of the text (after the BOM), decoder reset;
 * needs the rewind function. */
iafq_err csvin_src_rewind_text(csvin_src *s, iafq_error *err);

/* Skip byte-order marks (U+FEFF) at the start of decoded text: a file
 * saved twice through a BOM-adding tool has two. */
void csvin_skip_boms(char *out, size_t *olen);

#endif
