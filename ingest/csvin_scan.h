/*
 * csvin_scan.h - the quoting state machine and the line counting of the CSV
 * reader (internal to ingest/csvin*.c).
 *
 * csvin_qscan follows RFC 4180 quoting over the decoded text, chunk by
 * chunk, ahead of libcsv (which runs in its lenient mode): a quote opens a
 * quoted field only at a field's start, "" inside quotes is a quote, and a
 * character other than the delimiter or a line break right after a closing
 * quote ("a"b) is where csvin_qscan_feed() stops.  It counts lines as a text
 * editor does (CR LF, LF or CR alone), so every error names its line.
 *
 * Ownership: plain values; nothing allocated.
 */
#ifndef IAFQ_CSVIN_SCAN_H
#define IAFQ_CSVIN_SCAN_H

#include <stddef.h>
#include <stdint.h>

enum { CSVIN_Q_START, CSVIN_Q_UNQ, CSVIN_Q_IN, CSVIN_Q_QQ };

typedef struct {
    int state; /* CSVIN_Q_* */
    char delim;
    uint64_t line;       /* line of the next character, 1-based */
    uint64_t quote_line; /* line where the open quoted field began */
    int prev_cr;
} csvin_qscan;

/* Zeroed, for delimiter delim, at line 1. */
void csvin_qscan_init(csvin_qscan *q, char delim);

/* Scan n bytes; returns n, or the offset of a character that cannot
 * follow a closing quote. */
size_t csvin_qscan_feed(csvin_qscan *q, const char *s, size_t n);

/* Line breaks in s[0..n) as a text editor counts them: CR LF, LF or CR
 * alone.  *prev_cr carries a CR that ended the previous piece. */
uint64_t csvin_breaks(const char *s, size_t n, int *prev_cr);

#endif
