#include "m49.h"

#include "str.h"

#include <stdlib.h>
#include <string.h>

extern const char m49_csv[];
extern const unsigned long m49_csv_len;

#define M49_MAX 400
#define M49_FIELDS 11

static m49_entry _e[M49_MAX];
static size_t _n;
static int _loaded;
static char *_buf;

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

static void _load(void)
{
    _loaded = 1;
    _buf = str_ndup(m49_csv, m49_csv_len);
    if (!_buf)
        return;
    char *save = NULL;
    char *line = strtok_r(_buf, "\r\n", &save); /* header */
    while ((line = strtok_r(NULL, "\r\n", &save)) && _n < M49_MAX) {
        char *f[14] = {0};
        if (_split(line, f, 14) < M49_FIELDS)
            continue;
        _e[_n++] = (m49_entry){f[0], f[1], f[2], f[3],  f[4], f[5],
                               f[6], f[7], f[8], f[9], f[10]};
    }
}

size_t m49_count(void)
{
    if (!_loaded)
        _load();
    return _n;
}

const m49_entry *m49_at(size_t i) { return i < m49_count() ? &_e[i] : NULL; }

const m49_entry *m49_by_iso3(const char *iso3)
{
    size_t n = m49_count();
    for (size_t i = 0; i < n; i++)
        if (str_code_eq(iso3, _e[i].iso3))
            return &_e[i];
    return NULL;
}
