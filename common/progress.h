/*
 * progress.h - one updating line on stderr for long work (issue 12 item 5).
 *
 *   iafq: ingest [2/5] esp-2021.xlsx  120000 T11 rows  48.2 MB read  9.6 MB/s
 *
 * Shown only when stderr is a terminal, the log is not --quiet
 * (log_verbosity() >= 0) and in the process that first asked (not in a
 * forked child).  Nothing ever goes to stdout.  The line is redrawn in place
 * ("\r", then erase to the end of line) and cleared by progress_end() and
 * before every log line (log.c), so that messages never mix with it.
 *
 * Two kinds of work:
 *   - reading a file (progress_begin .. progress_end): a ticker thread
 *     redraws the line 5 times a second at most with the rows counted by
 *     progress_rows() (lock-free: one relaxed atomic store) and the bytes
 *     the process has read since progress_begin (Linux /proc/self/io rchar;
 *     elsewhere none are shown) and their rate;
 *   - steps (progress_step): drawn at once by the caller's thread, once per
 *     step (an aggregation file, an export file), no thread.
 * The cost when not shown: one branch per call.
 *
 * Strings are borrowed for the call.
 */
#ifndef IAFQ_PROGRESS_H
#define IAFQ_PROGRESS_H

#include <stdint.h>

/* Whether the line is shown at all (terminal, not quiet, same process). */
int progress_on(void);

/* Start reading: label (a file name is escaped), ticker started. */
void progress_begin(const char *label);
/* Rows read so far in the current begin..end. */
void progress_rows(uint64_t n);
/* One step of work: "what [k/n] name", drawn now; n 0: no count. */
void progress_step(const char *what, int k, int n, const char *name);
/* Stop the ticker and clear the line. */
void progress_end(void);

/* For the log and the interrupt handler: when the line is shown, erase it
 * (the caller holds stderr's lock: flockfile).  Async-signal-safe. */
void progress_hide_locked(void);

#endif
