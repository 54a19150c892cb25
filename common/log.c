#include "log.h"

#include "progress.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int verbosity;

void log_set_verbose(int level)
{
    verbosity = level;
}

int log_verbosity(void)
{
    return verbosity;
}

/* One log line: prefix, then s with its control characters escaped and
 * invalid bytes shown as \xHH (file names and cell text come from the
 * input); trailing line ends are dropped. */
static void log_line(const char *prefix, const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    fputs(prefix, stderr);
    utf8_fput_text(stderr, s, n);
    fputc('\n', stderr);
}

static void log_at(const char *level, const char *detail, const char *hint,
                   const char *fmt, va_list ap)
{
    char msg[2048], prefix[32];
    int len = vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    if (len >= (int)sizeof msg)
        n -= utf8_partial_tail(msg, n);
    snprintf(prefix, sizeof prefix, "iafq: %s: ", level);
    flockfile(stderr); /* the lines of one message together */
    progress_hide_locked();
    log_line(prefix, msg, n);
    if (detail && *detail)
        log_line("iafq:   detail: ", detail, strlen(detail));
    if (hint && *hint)
        log_line("iafq:   hint: ", hint, strlen(hint));
    funlockfile(stderr);
}

void log_error(const char *detail, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_at("error", detail, hint, fmt, ap);
    va_end(ap);
}

void log_warn(const char *detail, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_at("warning", detail, hint, fmt, ap);
    va_end(ap);
}

void log_notice(const char *fmt, ...)
{
    if (verbosity < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    log_at("notice", NULL, NULL, fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    if (verbosity < 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    log_at("info", NULL, NULL, fmt, ap);
    va_end(ap);
}
