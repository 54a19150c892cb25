/*
 * xlsx_xml_int.h - the expat driver's insides, shared by ingest/xlsx_xml.c
 * (one parser over a part) and ingest/xlsx_split.c (a worksheet's rows
 * parsed in chunks on two threads).  Not for the part readers: they use
 * xlsx_xml.h and xlsx_split.h.
 */
#ifndef IAFQ_XLSX_XML_INT_H
#define IAFQ_XLSX_XML_INT_H

#include "xlsx_xml.h"

#include <expat.h>

/* The names of the outermost open elements are kept this deep (a split
 * parse closes a chunk with the end tags of the elements open around the
 * worksheet's rows). */
#define XLSX_XML_STACK 8u

struct xlsx_xml {
    XML_Parser p;
    const xlsx_xml_handlers *h;
    void *ud;
    const char *what;
    iafq_error *err;
    iafq_err rc; /* set by the first stop */
    unsigned depth;
    int mute; /* handlers not called (depth is still counted) */
    /* qualified names of the open elements 1..min(depth, XLSX_XML_STACK),
     * expat's (valid while the element is open) */
    const char *stack[XLSX_XML_STACK];
};

/* Set px up for parser p (created by the caller) and install the
 * callbacks on p; px->mute = 0, depth 0. */
void xlsx_xml_setup(xlsx_xml *px, XML_Parser p, const xlsx_xml_handlers *h,
                    void *ud, const char *what, iafq_error *err);

/* After XML_Parse failed: px->rc when a handler stopped it, else the XML
 * error ("WHAT: XML error at line N: ...") set into px->err. */
iafq_err xlsx_xml_failed(xlsx_xml *px);

/* The token scanner (see xlsx_xml.h): its state across chunks. */
typedef struct xlsx_scan {
    int state;
    char quote;     /* in a tag: the quote of the attribute value, or 0 */
    unsigned marks; /* '-', ']' or '?' just before */
    int ink;        /* the text run has more than white space */
    uint64_t run;   /* bytes of the token under way */
} xlsx_scan;

enum { TOO_LONG_TEXT = 1, TOO_LONG_MARKUP };

/* Scan the next n bytes of the stream: 0, or TOO_LONG_TEXT /
 * TOO_LONG_MARKUP (those bytes must not reach expat). */
int xlsx_xml_scan(xlsx_scan *sc, const char *buf, size_t n);
/* The IAFQ_ERR_LIMIT error of a scan's verdict, into err. */
iafq_err xlsx_xml_scan_error(iafq_error *err, int too_long);

#endif
