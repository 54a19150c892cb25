#include "m49.h"

#include "str.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern const char m49_csv[];
extern const unsigned long m49_csv_len;

#define M49_MAX 400
#define M49_FIELDS 11

static m49_entry _e[M49_MAX];
static size_t _n;
static const m49_entry *_sorted[M49_MAX]; /* by ISO3, for bsearch */
static pthread_once_t _once = PTHREAD_ONCE_INIT;
static char _buf[1 << 16]; /* the embedded CSV, split in place */

/* Split one line of the embedded CSV in place (double quotes allowed). */
static int _split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                *w++ = *p++;
            }
            if (*p == '"')
                p++;
            *w = '\0';
            if (*p == ',')
                p++;
            else
                break;
            /* w may lag behind p; the field is terminated already */
        } else {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
    }
    return n;
}

static int _cmp_iso3(const void *a, const void *b)
{
    return strcmp((*(const m49_entry *const *)a)->iso3,
                  (*(const m49_entry *const *)b)->iso3);
}

/* Parse the embedded list; run once, by pthread_once. */
static void _load(void)
{
    /* A static copy, not malloc: a failed allocation here would make every
     * country code unknown, silently (found by tests/fault). */
    if (m49_csv_len >= sizeof _buf)
        return; /* data/m49.csv outgrew the buffer: unit tests catch it */
    memcpy(_buf, m49_csv, m49_csv_len);
    _buf[m49_csv_len] = '\0';
    char *save = NULL;
    char *line = strtok_r(_buf, "\r\n", &save); /* header */
    while ((line = strtok_r(NULL, "\r\n", &save)) && _n < M49_MAX) {
        char *f[14] = {0};
        if (_split(line, f, 14) < M49_FIELDS)
            continue;
        _e[_n++] = (m49_entry){f[0], f[1], f[2], f[3], f[4], f[5],
                               f[6], f[7], f[8], f[9], f[10]};
    }
    for (size_t i = 0; i < _n; i++)
        _sorted[i] = &_e[i];
    qsort(_sorted, _n, sizeof *_sorted, _cmp_iso3);
}

size_t m49_count(void)
{
    pthread_once(&_once, _load);
    return _n;
}

const m49_entry *m49_at(size_t i)
{
    return i < m49_count() ? &_e[i] : NULL;
}

const m49_entry *m49_by_iso3(const char *iso3)
{
    size_t n = strlen(iso3);
    const char *t = str_trim(iso3, &n);
    if (n != 3 || !m49_count())
        return NULL;
    char key[4];
    for (int i = 0; i < 3; i++)
        key[i] = (char)((t[i] >= 'a' && t[i] <= 'z') ? t[i] - 32 : t[i]);
    key[3] = '\0';
    size_t lo = 0, hi = _n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(_sorted[mid]->iso3, key);
        if (c == 0)
            return _sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
