/*
 * csvw.h - an RFC 4180 CSV writer for the exports (IAFQ-SPEC 6.2, 6.5):
 * fields separated by commas, records ended by CRLF, UTF-8.
 *
 * A field is quoted when it holds a comma, a double quote, CR or LF (the
 * quote doubled inside), or when it is an empty string (so that "" - an
 * empty text - differs from a missing value, written as nothing).  Text
 * fields (CSVW_TEXT) are made valid UTF-8 (an invalid byte becomes U+FFFD)
 * and, when a spreadsheet could run them as a formula (exp_formula_like:
 * = + - @ tab CR first), are written with a leading apostrophe.  Numbers
 * (no flag) are written as given.
 *
 * Errors are sticky: the first failed write is remembered and reported by
 * csvw_close() (IAFQ_ERR_IO with the path and the system's message, e.g.
 * "No space left on device"); the other calls return -1 from then on.
 *
 * Ownership: csvw_open() returns a writer that csvw_close() frees (it
 * accepts NULL); strings are borrowed.
 */
#ifndef IAFQ_CSVW_H
#define IAFQ_CSVW_H

#include "err.h"

#include <stddef.h>
#include <stdio.h>

typedef struct csvw csvw;

enum { CSVW_TEXT = 1 << 0 };

/* Write into the file at path (truncated), or, with path NULL, into f
 * (borrowed: csvw_close() flushes it but does not close it). */
iafq_err csvw_open(const char *path, FILE *f, csvw **out, iafq_error *err);
/* One field of the current record: s[0..n); s NULL writes a missing value.
 * 0, or -1 after a write error. */
int csvw_field(csvw *w, const char *s, size_t n, unsigned flags);
/* The same for a NUL-terminated string (NULL: missing). */
int csvw_str(csvw *w, const char *s, unsigned flags);
/* End the record (CRLF, or LF after csvw_lf()). */
int csvw_end(csvw *w);
/* End records with LF from now on, as the published portal file does. */
void csvw_lf(csvw *w);
/* Bytes written as they are, outside any field (a byte-order mark). */
int csvw_raw(csvw *w, const char *s, size_t n);
/* Flush, close (when csvw_open opened the file) and free; the first error
 * of the writer's life, or IAFQ_OK. */
iafq_err csvw_close(csvw *w, iafq_error *err);

#endif
