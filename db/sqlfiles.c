#include "sqlfiles.h"

#include <string.h>

/* Binary search for the first entry whose path is >= key. */
static size_t _lower_bound(const char *key)
{
    size_t lo = 0, hi = sqlfiles_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(sqlfiles_table[mid].path, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const char *sqlfiles_get(const char *relpath)
{
    if (!relpath)
        return NULL;
    size_t i = _lower_bound(relpath);
    if (i < sqlfiles_count && !strcmp(sqlfiles_table[i].path, relpath))
        return sqlfiles_table[i].text;
    return NULL;
}

const sqlfile *sqlfiles_prefix(const char *prefix, size_t *n)
{
    size_t len = prefix ? strlen(prefix) : 0;
    size_t first = _lower_bound(prefix ? prefix : "");
    size_t end = first;
    while (end < sqlfiles_count &&
           !strncmp(sqlfiles_table[end].path, prefix ? prefix : "", len))
        end++;
    if (n)
        *n = end - first;
    return end > first ? &sqlfiles_table[first] : NULL;
}

char *sqlfiles_version(const char *path, char *buf, size_t cap)
{
    if (!path || !buf || cap == 0)
        return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len >= 4 && !strcmp(base + len - 4, ".sql"))
        len -= 4;
    if (len >= cap)
        return NULL;
    memcpy(buf, base, len);
    buf[len] = '\0';
    return buf;
}
