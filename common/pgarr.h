/*
 * pgarr.h - a PostgreSQL text-array literal ("{"A","B"}"), built element by
 * element into an sbuf, to pass a list as ONE text parameter ($1::text[]).
 *
 *   sbuf b = SBUF_INIT;
 *   pgarr_open(&b); pgarr_add(&b, "SEIZED"); pgarr_add(&b, "FOUND");
 *   pgarr_close(&b);           b.buf is {"SEIZED","FOUND"}
 *
 * Every element is double-quoted, with '"' and '\' escaped by '\', so any
 * text (commas, braces, spaces, the word NULL) stays one element.
 *
 * Ownership: b belongs to the caller (sbuf_release).  Each function
 * returns 0, or -1 when out of memory (b may then hold part of it).
 */
#ifndef IAFQ_PGARR_H
#define IAFQ_PGARR_H

#include "str.h"

/* Start a literal: b is reset and holds "{". */
int pgarr_open(sbuf *b);
/* Append the element s (NUL-terminated). */
int pgarr_add(sbuf *b, const char *s);
/* End the literal with "}". */
int pgarr_close(sbuf *b);

#endif
