/*
 * utf8.h - the one UTF-8 module: validate, decode, count, cut on character
 * boundaries, make valid, and escape for each output iafq writes (JSON, a
 * terminal or text report, XML 1.0 / OOXML).
 *
 * Conventions:
 *   - "valid" is RFC 3629 UTF-8: no overlong forms, no surrogates
 *     (U+D800..U+DFFF, so CESU-8 is invalid), nothing above U+10FFFF.
 *   - An invalid byte is handled one byte at a time: it counts as one
 *     character, and becomes one U+FFFD where text is made valid.
 *   - Lengths are in bytes unless the name says chars; strings need not be
 *     NUL-terminated (s[0..n)), but may not be NULL unless n == 0.
 *
 * Ownership: functions returning char * return a malloc'd string the caller
 * frees (NULL when out of memory); the sbuf functions append to the caller's
 * buffer and return 0, or -1 when out of memory (the buffer then holds a
 * prefix of the output); the FILE functions return 0, or -1 on a write
 * error.  All inputs are borrowed.
 */
#ifndef IAFQ_UTF8_H
#define IAFQ_UTF8_H

#include "str.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decode the character at s (n bytes left, n > 0): its length in bytes
 * (1..4) with *cp set, or 0 when the bytes there are not valid UTF-8 (then
 * *cp = U+FFFD and the caller skips one byte). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp (<= U+10FFFF, not a surrogate) into out (4 bytes); returns
 * the length. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Whether s[0..n) is valid UTF-8. */
bool utf8_valid(const char *s, size_t n);
/* Number of characters in s[0..n) (an invalid byte counts as one). */
size_t utf8_len(const char *s, size_t n);
/* Byte length of the longest prefix of s[0..n) holding at most max_chars
 * characters and at most max_bytes bytes; never ends inside a character. */
size_t utf8_prefix(const char *s, size_t n, size_t max_chars, size_t max_bytes);
/* Bytes of a truncated, otherwise well-formed multi-byte sequence at the
 * very end of s[0..n) (what a byte-limited snprintf leaves), or 0. */
size_t utf8_partial_tail(const char *s, size_t n);

/* s[0..n) with every invalid byte replaced by U+FFFD. */
int utf8_add_valid(sbuf *out, const char *s, size_t n);
char *utf8_make_valid(const char *s, size_t n);
/* The same, cut to at most max_chars characters (on a boundary). */
char *utf8_valid_prefix(const char *s, size_t n, size_t max_chars);

/* Harden serialised JSON (cJSON_Print's output): every control character
 * a JSON writer may leave raw inside strings (C0 other than JSON's white
 * space TAB LF CR, which cJSON always escapes inside strings, DEL, C1),
 * U+2028/U+2029 and the bidi controls (U+202A..U+202E, U+2066..U+2069)
 * become \u00XX (lower-case hex, as cJSON writes), every invalid byte
 * \ufffd.  Outside strings serialised JSON is ASCII without such
 * characters, and '"' and '\' are left alone, so the document keeps its
 * meaning; inside strings, every control character is then escaped. */
int utf8_escape_json(sbuf *out, const char *s, size_t n);

/* Text for a terminal or a text report: TAB, LF and CR as \t \n \r, other
 * C0 controls and DEL as \xHH, C1 controls, U+2028/U+2029 and the bidi
 * embedding, override and isolate controls (U+202A..U+202E,
 * U+2066..U+2069) as \uHHHH, and every invalid byte as \xHH (upper-case
 * hex), so that the reader sees which byte it was.  Backslashes are kept
 * as they are (this is for people; the JSON report is the exact form). */
int utf8_escape_text(sbuf *out, const char *s, size_t n);
int utf8_fput_text(FILE *f, const char *s, size_t n);

/* Whether XML 1.0 may hold code point cp (tab, LF, CR, U+0020..U+D7FF,
 * U+E000..U+FFFD, U+10000..U+10FFFF). */
bool utf8_xml_char(uint32_t cp);
/* Text an XML 1.0 part can always hold.  Invalid bytes become U+FFFD;
 * characters XML forbids become U+FFFD too, or, with ooxml set, OOXML's
 * own escape _xHHHH_ (which Excel, openpyxl and iafq read back as the
 * character), CR included (XML parsers turn a raw CR into LF); with ooxml
 * set a literal "_xHHHH_" in the text is protected as "_x005F_xHHHH_" so
 * that readers do not unescape it.  Markup (& < > ") is NOT escaped: the
 * XML writer (libxlsxwriter) does that.  The output is cut (between
 * characters of the input) so that it holds at most max_chars characters
 * (SIZE_MAX: no limit). */
int utf8_xml_text(sbuf *out, const char *s, size_t n, int ooxml,
                  size_t max_chars);

#endif
