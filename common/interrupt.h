/*
 * interrupt.h - SIGINT, SIGTERM and SIGHUP for the commands that write
 * (issue 12 item 4).
 *
 * intr_install() catches each of the three signals UNLESS it was ignored
 * when the program started (nohup, a service manager: an ignored signal
 * stays ignored in every stage).  On a caught signal the handler, in
 * async-signal-safe calls only:
 *   - calls the cancel hook (the database's running query: PQcancel);
 *   - removes what was registered, newest first: a folder with the files in
 *     it (a release not yet switched, export/plan.h) or a folder only when
 *     empty (parents made for -o);
 *   - erases the progress line and prints one line "iafq: interrupted
 *     (SIGINT)";
 *   - dies of the same signal (default action), so that the shell sees an
 *     interrupted process (exit status 128 + N).
 * Whatever a transaction had not committed is rolled back by the server.
 * In a forked child (cli_isolated) the handler only dies.
 *
 * For tests, IAFQ_TEST_PAUSE_AT=STAGE:FILE makes intr_test_pause(STAGE)
 * print "iafq: test: paused at STAGE" on stderr and wait until FILE exists
 * (at most 60 s), so that a test can send a signal in a known stage.
 *
 * Paths are copied (at most 4095 bytes).  Not thread-safe: call from the
 * main thread.
 */
#ifndef IAFQ_INTERRUPT_H
#define IAFQ_INTERRUPT_H

/* Catch SIGINT, SIGTERM, SIGHUP (each unless ignored at start); once. */
void intr_install(void);

/* A hook called by the handler: it must be async-signal-safe.  NULL: none. */
void intr_set_cancel(void (*fn)(void *arg), void *arg);

/* Remove path on interrupt: flat 1: the folder and every file directly in
 * it; flat 0: the folder only when empty.  A slot for intr_forget, or -1
 * (too many, too long: then it is not removed). */
int intr_remember(const char *path, int flat);
/* Forget a slot (-1 accepted). */
void intr_forget(int slot);

/* Hold the three signals (blocked) around a step that must not be cut in
 * two, then let them through; nests. */
void intr_hold(void);
void intr_release(void);

/* The test hook above; nothing when IAFQ_TEST_PAUSE_AT names another
 * stage or is unset. */
void intr_test_pause(const char *stage);

#endif
