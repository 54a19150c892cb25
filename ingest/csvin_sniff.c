/*
 * csvin_sniff.c - the delimiter of a CSV file (see csvin_sniff.h).
 */
#include "csvin_sniff.h"

#include "csvin_scan.h"

#include <string.h>
#include <strings.h>

static int _is_header_field(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '"')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '"'))
        n--;
    return (n == 4 && strncasecmp(s, "CODE", 4) == 0) ||
           (n == 9 && strncasecmp(s, "Iso3_code", 9) == 0);
}

static char _best_delim(const size_t cnt[3])
{
    static const char cands[3] = {',', ';', '\t'};
    int best = 0;
    for (int i = 1; i < 3; i++)
        if (cnt[i] > cnt[best])
            best = i;
    return cands[best];
}

/* Streaming scan for the delimiter: records are split on CR/LF outside
 * quotes; a quote opens a quoted field only at a field's start (after any
 * candidate delimiter), as everywhere else it is a literal. */
typedef struct {
    int inq, qq, at_start;
    char first[16]; /* the record's first field (cut) */
    size_t nfirst;
    int first_done;
    size_t cnt[3];
    size_t fallback[3];
    int have_fallback, found;
    char delim;
} _dscan;

static void _dscan_init(_dscan *d)
{
    memset(d, 0, sizeof *d);
    d->at_start = 1;
}

static void _dscan_record_end(_dscan *d)
{
    if (_is_header_field(d->first, d->nfirst)) {
        d->found = 1;
        d->delim = _best_delim(d->cnt);
    } else if (!d->have_fallback && d->cnt[0] + d->cnt[1] + d->cnt[2] > 0) {
        memcpy(d->fallback, d->cnt, sizeof d->fallback);
        d->have_fallback = 1;
    }
    memset(d->cnt, 0, sizeof d->cnt);
    d->nfirst = 0;
    d->first_done = 0;
    d->at_start = 1;
}

/* Feed text; 1 once the header record was found (d->delim). */
static int _dscan_feed(_dscan *d, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !d->found; i++) {
        char c = s[i];
        if (d->inq) {
            if (d->qq) {
                d->qq = 0;
                if (c == '"')
                    goto text; /* "" inside quotes */
                d->inq = 0;    /* closed: c is read below */
            } else if (c == '"') {
                d->qq = 1;
                continue;
            } else {
                goto text;
            }
        }
        if (c == '"' && d->at_start) {
            d->inq = 1;
            d->at_start = 0;
            continue;
        }
        if (c == '\r' || c == '\n') {
            _dscan_record_end(d);
            continue;
        }
        int k = c == ',' ? 0 : c == ';' ? 1 : c == '\t' ? 2 : -1;
        if (k >= 0) {
            d->cnt[k]++;
            d->first_done = 1;
            d->at_start = 1;
            continue;
        }
    text:
        d->at_start = 0;
        if (!d->first_done && d->nfirst < sizeof d->first)
            d->first[d->nfirst++] = c;
    }
    return d->found;
}

/* At the end of the text: the header's delimiter, else that of the first
 * record holding any candidate. */
static char _dscan_end(_dscan *d)
{
    if (!d->found && (d->nfirst || d->cnt[0] + d->cnt[1] + d->cnt[2]))
        _dscan_record_end(d);
    return d->found ? d->delim : _best_delim(d->fallback);
}

/* The delimiter, from the header record wherever it is: the first chunk
 * (already in out) is scanned; if the header is not in it, the rest of
 * the text too, and the stream is rewound to its first chunk. */
iafq_err csvin_sniff_delim(csvin_src *s, char *out, size_t *olen,
                           const char *name, char *delim, iafq_error *err)
{
    _dscan d;
    _dscan_init(&d);
    if (_dscan_feed(&d, out, *olen) || (s->eof && s->rpos == s->rlen) ||
        !s->rw) {
        *delim = _dscan_end(&d);
        return IAFQ_OK;
    }
    uint64_t line = 1;
    int cr = 0;
    line += csvin_breaks(out, *olen, &cr);
    iafq_err rc;
    for (;;) {
        if ((rc = csvin_src_chunk(s, out, olen, name, line, cr, err)) !=
            IAFQ_OK)
            return rc;
        if (*olen == 0 || _dscan_feed(&d, out, *olen))
            break;
        line += csvin_breaks(out, *olen, &cr);
    }
    *delim = _dscan_end(&d);
    if ((rc = csvin_src_rewind_text(s, err)) != IAFQ_OK)
        return rc;
    if ((rc = csvin_src_chunk(s, out, olen, name, 1, 0, err)) != IAFQ_OK)
        return rc;
    csvin_skip_boms(out, olen);
    return IAFQ_OK;
}
