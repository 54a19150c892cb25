#include "log.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int _verbose;

void log_set_verbose(int level)
{
    _verbose = level;
}

/* One log line: prefix, then s with its control characters escaped and
 * invalid bytes shown as \xHH (file names and cell text come from the
 * input); trailing line ends are dropped. */
static void _line(const char *prefix, const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    fputs(prefix, stderr);
    utf8_fput_text(stderr, s, n);
    fputc('\n', stderr);
}

static void _log(const char *level, const char *detail, const char *hint,
                 const char *fmt, va_list ap)
{
    char msg[2048], prefix[32];
    int len = vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    if (len >= (int)sizeof msg)
        n -= utf8_partial_tail(msg, n);
    snprintf(prefix, sizeof prefix, "iafq: %s: ", level);
    _line(prefix, msg, n);
    if (detail && *detail)
        _line("iafq:   detail: ", detail, strlen(detail));
    if (hint && *hint)
        _line("iafq:   hint: ", hint, strlen(hint));
}

void log_error(const char *detail, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _log("error", detail, hint, fmt, ap);
    va_end(ap);
}

void log_warn(const char *detail, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _log("warning", detail, hint, fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    if (!_verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    _log("info", NULL, NULL, fmt, ap);
    va_end(ap);
}
