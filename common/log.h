/*
 * log.h - the log on stderr, one style for the whole program:
 *
 *   iafq: error: cannot open 'x.xlsx'
 *   iafq:   detail: No such file or directory
 *   iafq:   hint: check the path
 *
 * stdout is for data only; nothing here writes to it.  Strings are borrowed.
 * A progress line on the terminal (progress.h) is erased before each line.
 * Whatever bytes a message holds (a file name, a cell), the log is valid
 * UTF-8 with no raw control character: they are escaped as in the text
 * report (utf8_escape_text: \x07, \n, \xFF for an invalid byte).
 */
#ifndef IAFQ_LOG_H
#define IAFQ_LOG_H

/* Any of detail/hint may be NULL. */
void log_error(const char *detail, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_warn(const char *detail, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What the user is told as the work goes on (waiting for a lock, nothing
 * to ingest): shown unless --quiet. */
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Detail for --verbose only. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* -1 = --quiet: errors and warnings only, no notice, no progress line
 * (progress.h); 0 = notices too (default); 1 = --verbose: info too. */
void log_set_verbose(int level);
int log_verbosity(void);

#endif
