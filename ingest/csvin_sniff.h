/*
 * csvin_sniff.h - the delimiter of a CSV file (internal to
 * ingest/csvin*.c).
 *
 * The delimiter is ',' ';' or tab: the candidate occurring most often
 * outside quotes in the header record (the first record whose first field
 * is CODE or Iso3_code, wherever it is in the file), else in the first
 * record holding any candidate, else ','.  Records are split on CR/LF
 * outside quotes; a quote opens a quoted field only at a field's start.
 * When the header is not in the first chunk the rest of the text is
 * scanned too and the source is rewound to its first chunk.
 *
 * Ownership: borrows everything; allocates nothing.
 */
#ifndef IAFQ_CSVIN_SNIFF_H
#define IAFQ_CSVIN_SNIFF_H

#include "csvin_enc.h"

/* The first chunk of text is in out (*olen bytes, BOMs skipped); on return
 * it is there again (the source may have been rewound) and *delim is set. */
iafq_err csvin_sniff_delim(csvin_src *s, char *out, size_t *olen,
                           const char *name, char *delim, iafq_error *err);

#endif
