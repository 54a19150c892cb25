/*
 * csvin_scan.c - quoting and lines of the CSV reader (see csvin_scan.h).
 */
#include "csvin_scan.h"

#include <string.h>

void csvin_qscan_init(csvin_qscan *q, char delim)
{
    memset(q, 0, sizeof *q);
    q->state = CSVIN_Q_START;
    q->delim = delim;
    q->line = 1;
}

/* Scan n bytes; returns n, or the offset of a character that cannot
 * follow a closing quote. */
size_t csvin_qscan_feed(csvin_qscan *q, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int nl = c == '\r' || c == '\n';
        switch (q->state) {
        case CSVIN_Q_START:
            q->state = c == '"'        ? CSVIN_Q_IN
                       : c == q->delim ? CSVIN_Q_START
                       : nl            ? CSVIN_Q_START
                                       : CSVIN_Q_UNQ;
            if (c == '"')
                q->quote_line = q->line;
            break;
        case CSVIN_Q_UNQ:
            if (c == q->delim || nl)
                q->state = CSVIN_Q_START;
            break;
        case CSVIN_Q_IN:
            if (c == '"')
                q->state = CSVIN_Q_QQ;
            break;
        case CSVIN_Q_QQ:
            if (c == '"')
                q->state = CSVIN_Q_IN;
            else if (c == q->delim || nl)
                q->state = CSVIN_Q_START;
            else
                return i;
            break;
        }
        if (c == '\r' || (c == '\n' && !q->prev_cr))
            q->line++;
        q->prev_cr = c == '\r';
    }
    return n;
}

uint64_t csvin_breaks(const char *s, size_t n, int *prev_cr)
{
    uint64_t k = 0;
    int cr = *prev_cr;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r')
            k++;
        else if (s[i] == '\n' && !cr)
            k++;
        cr = s[i] == '\r';
    }
    *prev_cr = cr;
    return k;
}
