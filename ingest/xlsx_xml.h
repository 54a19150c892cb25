/*
 * xlsx_xml.h - stream one part (zip entry) of an xlsx package through
 * expat: the driver every part reader of ingest/xlsx_*.c uses.
 *
 * A second thread inflates the entry (through zipguard, so every zip limit
 * holds) one chunk ahead of the parser, over a ring of XLSX_XML_NBUF chunk
 * buffers (common/ringq); when no thread can be started the parser thread
 * inflates itself.  Memory is bounded by the ring and by expat's buffer.
 *
 * Linear time whatever expat release is installed: before a chunk reaches
 * expat the inflate thread scans its bytes for the length of the markup
 * token (tag,
 * comment, processing instruction, CDATA section, declaration) or text run
 * (other than white space between elements) under way, across chunks; one
 * longer than XLSX_XML_TOKEN_MAX stops the parse with IAFQ_ERR_LIMIT before
 * expat sees it.  So expat never buffers a partial token longer than that
 * (expat before 2.6 re-scans a partial token from its start on every chunk it
 * is fed: a 70 MB tag took seconds), and the chunk fed (XLSX_XML_CHUNK) is a
 * fixed size.
 *
 * Hostile XML: any DOCTYPE or entity declaration is refused (nothing can
 * expand or be fetched), elements nested deeper than XLSX_XML_MAX_DEPTH
 * are refused (bounds expat's tag stack).  Errors name the part (`what`)
 * and, for XML errors, the line.
 *
 * Handlers get local element names (after any "x:" prefix), so prefixed
 * and ISO strict workbooks read as Excel's usual output.  A handler stops
 * the parse with xlsx_xml_stop() or xlsx_xml_stop_cb(); the first stop wins
 * and is what xlsx_xml_parse() returns.
 *
 * Worksheets go through ingest/xlsx_split.h, which uses this driver's
 * insides (xlsx_xml_int.h) to parse a large sheet's rows on two parsers.
 *
 * Ownership: everything is borrowed; xlsx_xml_parse() frees what it made.
 */
#ifndef IAFQ_XLSX_XML_H
#define IAFQ_XLSX_XML_H

#include "err.h"
#include "str.h"
#include "zipguard.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The longest token a legal workbook holds: a cell's text, 32,767
 * characters, each at most 10 bytes once escaped ("&#1114111;"), is
 * 327,670 bytes, plus its markup.  1 MiB leaves three times that.  Expat
 * re-scans at most this much per chunk fed: at most XLSX_XML_TOKEN_MAX /
 * XLSX_XML_CHUNK = 4 times the input, linear.
 */
#define XLSX_XML_TOKEN_MAX (1u << 20)
/* Bytes fed to expat at a time (and the size of each inflate buffer). */
#define XLSX_XML_CHUNK (256u << 10)
#define XLSX_XML_NBUF 3u
/* Element nesting (real parts nest < 20 deep). */
#define XLSX_XML_MAX_DEPTH 256u

typedef struct xlsx_xml xlsx_xml;

typedef struct {
    /* An element opened: its local name and expat's attribute array. */
    void (*start)(xlsx_xml *px, void *ud, const char *local, const char **atts);
    /* An element closed. */
    void (*end)(xlsx_xml *px, void *ud, const char *local);
    /* Character data (any piece of it); NULL to ignore text. */
    void (*text)(xlsx_xml *px, void *ud, const char *s, size_t len);
} xlsx_xml_handlers;

/* Parse entry idx of z with these handlers; `what` names the part in
 * messages ("sheet 'T1' (xl/worksheets/sheet1.xml)"). */
iafq_err xlsx_xml_parse(zipg *z, size_t idx, const char *what,
                        const xlsx_xml_handlers *h, void *ud, iafq_error *err);

/* Stop the parse with an error about the part: "WHAT: message". */
void xlsx_xml_stop(xlsx_xml *px, iafq_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Stop the parse with a sink callback's error, kept unchanged. */
void xlsx_xml_stop_cb(xlsx_xml *px, iafq_err code, const iafq_error *cb);
/* grow() (common/grow.h) that stops the parse when out of memory; 0 or -1. */
int xlsx_xml_grow(xlsx_xml *px, void **p, size_t *cap, size_t need, size_t size,
                  size_t first);

/* The value of the attribute with this local name, or NULL. */
const char *xlsx_xml_attr(const char **atts, const char *local);

/* Decode the OOXML _xHHHH_ escapes (e.g. _x000D_) of b in place. */
void xlsx_xml_unescape(sbuf *b);

#endif
