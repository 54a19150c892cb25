/*
 * rules_date.c - dates for the rules (see rules.h): ISO dates as text, and
 * the current year, which tests can pin (IAFQ_TODAY,
 * rules_set_current_year()).
 */
#include "rules.h"

#include "str.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The year of IAFQ_TODAY (read once), 0 when unset or not a date. */
static int env_year;
static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static int year_override; /* rules_set_current_year(); 0: none */

static void env_year_init(void)
{
    const char *v = getenv("IAFQ_TODAY");
    int y, m, d;
    if (v && strlen(v) == 10 && rules_parse_date(v, 10, &y, &m, &d) == 0)
        env_year = y;
}

int rules_current_year(void)
{
    int y = __atomic_load_n(&year_override, __ATOMIC_RELAXED);
    if (y)
        return y;
    pthread_once(&env_once, env_year_init);
    if (env_year)
        return env_year;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return tm.tm_year + 1900;
}

void rules_set_current_year(int year)
{
    __atomic_store_n(&year_override, year > 0 ? year : 0, __ATOMIC_RELAXED);
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int valid_ymd(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int md = mdays[m - 1] + (m == 2 && leap(y));
    return d <= md;
}

/* Two digits at s as a number no larger than max; -1 when not. */
static int two(const char *s, int max)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v <= max ? v : -1;
}

/* What may follow a date: [T ]HH:MM[:SS[.f+]][Z|(+|-)HH[[:]MM]]. */
static int time_part(const char *s, size_t n)
{
    size_t i = 1;
    if (s[0] != 'T' && s[0] != ' ')
        return -1;
    if (n < i + 5 || two(s + i, 23) < 0 || s[i + 2] != ':' ||
        two(s + i + 3, 59) < 0)
        return -1;
    i += 5;
    if (i < n && s[i] == ':') {
        if (n < i + 3 || two(s + i + 1, 60) < 0)
            return -1;
        i += 3;
        if (i < n && (s[i] == '.' || s[i] == ',')) {
            size_t d = ++i;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == d)
                return -1;
        }
    }
    if (i < n && s[i] == 'Z')
        i++;
    else if (i < n && (s[i] == '+' || s[i] == '-')) {
        if (n < i + 3 || two(s + i + 1, 23) < 0)
            return -1;
        i += 3;
        if (i < n && s[i] == ':')
            i++;
        if (i < n) {
            if (n < i + 2 || two(s + i, 59) < 0)
                return -1;
            i += 2;
        }
    }
    return i == n ? 0 : -1;
}

int rules_parse_date(const char *s, size_t n, int *y, int *m, int *d)
{
    const char *t = str_trim(s, &n);
    if (n < 10)
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (t[i] != '-')
                return -1;
        } else if (t[i] < '0' || t[i] > '9')
            return -1;
    }
    if (n > 10 && time_part(t + 10, n - 10) != 0)
        return -1;
    int yy = atoi(t), mm = atoi(t + 5), dd = atoi(t + 8);
    if (!valid_ymd(yy, mm, dd))
        return -1;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}
