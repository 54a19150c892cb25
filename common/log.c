#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static int _verbose;

void log_set_verbose(int level)
{
    _verbose = level;
}

static void _log(const char *level, const char *detail, const char *hint,
                 const char *fmt, va_list ap)
{
    fprintf(stderr, "iafq: %s: ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    if (detail && *detail)
        fprintf(stderr, "iafq:   detail: %s\n", detail);
    if (hint && *hint)
        fprintf(stderr, "iafq:   hint: %s\n", hint);
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
