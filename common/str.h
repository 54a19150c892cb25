/*
 * str.h - small string helpers shared by every module.
 *
 * Ownership: functions returning char * return a fresh malloc'd string the
 * caller frees (NULL on out-of-memory); sbuf owns its buffer until
 * sbuf_release()/sbuf_detach().  All other arguments are borrowed.
 */
#ifndef IAFQ_STR_H
#define IAFQ_STR_H

#include <stdbool.h>
#include <stddef.h>

/* Case-insensitive (ASCII) equality of a and b after trimming ASCII and
 * Unicode spaces (incl. no-break space) from both ends of a. */
bool str_code_eq(const char *a, const char *code);
/* Case-insensitive ASCII compare of two NUL-terminated strings. */
int str_icmp(const char *a, const char *b);
/* The same over the first n bytes at most. */
int str_icmp_n(const char *a, const char *b, size_t n);

/* Trim white space (ASCII, NBSP U+00A0, U+202F, U+2007) at both ends in
 * place: returns a pointer into s and writes the new length to *len. */
const char *str_trim(const char *s, size_t *len);
/* Copy of s[0..n) as a NUL-terminated string. */
char *str_ndup(const char *s, size_t n);
char *str_dup(const char *s); /* NULL-safe: str_dup(NULL) == NULL */
/* Whether s ends with suffix. */
bool str_ends_with(const char *s, const char *suffix);
/* The last component of a '/'-separated path (a pointer into p; p itself
 * when it has no '/' or ends with one). */
const char *str_base(const char *p);

/* UTF-8 (validity, length, cutting, escaping): utf8.h. */

/* Growable byte buffer, always NUL-terminated. */
typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;
#define SBUF_INIT                                                              \
    {                                                                          \
        NULL, 0, 0                                                             \
    }
int sbuf_add(sbuf *b, const char *s, size_t n); /* 0 ok, -1 no memory */
int sbuf_addc(sbuf *b, char c);
int sbuf_addf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbuf_reset(sbuf *b); /* keeps the memory */
void sbuf_release(sbuf *b);
char *sbuf_detach(sbuf *b); /* caller owns the result; b is reset */

/* A copy of s (NULL: "") safe to print on a terminal or in a text report
 * or log line: every control character and invalid byte escaped as
 * utf8_escape_text() does ("\n", "\x1B", "\u202E", "\xFF"), so that a
 * file name from a focal point can forge no report line and send no
 * terminal escape.  Caller frees; NULL when out of memory. */
char *str_escape_ctl(const char *s);

#endif
