#include "progress.h"

#include "log.h"
#include "str.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_NS 200000000L /* 5 redraws a second at most */

static pid_t owner;                 /* the process the line belongs to */
static int decided, enabled;        /* isatty(2), decided once */
static volatile sig_atomic_t shown; /* the line is on the terminal */
static char label[160];             /* under flockfile(stderr) */
static _Atomic uint64_t rows;
static uint64_t bytes0;    /* rchar at progress_begin */
static struct timespec t0; /* when progress_begin was called */
static pthread_t ticker;
static int ticking;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stop;

int progress_on(void)
{
    if (!decided) {
        decided = 1;
        owner = getpid();
        enabled = isatty(STDERR_FILENO);
    }
    return enabled && log_verbosity() >= 0 && getpid() == owner;
}

/* Bytes the process has read (rchar), 0 when unknown. */
static uint64_t bytes_read(void)
{
    int fd = open("/proc/self/io", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    const char *p = strstr(buf, "rchar:");
    return p ? strtoull(p + 6, NULL, 10) : 0;
}

static double since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) + (b.tv_nsec - a->tv_nsec) / 1e9;
}

void progress_hide_locked(void)
{
    if (shown) {
        /* write(2): also from a signal handler */
        (void)!write(STDERR_FILENO, "\r\033[K", 4);
        shown = 0;
    }
}

/* Draw label and extra (caller holds flockfile(stderr)). */
static void draw_locked(const char *extra)
{
    fprintf(stderr, "\riafq: %s%s\033[K", label, extra ? extra : "");
    fflush(stderr);
    shown = 1;
}

static void *tick(void *arg)
{
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals go to the main thread */
    pthread_mutex_lock(&mu);
    while (!stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += TICK_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&cv, &mu, &until);
        if (stop)
            break;
        char extra[96] = "", part[48];
        uint64_t r = atomic_load_explicit(&rows, memory_order_relaxed);
        uint64_t b = bytes_read();
        double secs = since(&t0);
        if (r) {
            snprintf(part, sizeof part, "  %llu T11 rows",
                     (unsigned long long)r);
            strcat(extra, part);
        }
        if (b >= bytes0 && b) {
            double mb = (double)(b - bytes0) / 1e6;
            snprintf(part, sizeof part, "  %.1f MB read", mb);
            strcat(extra, part);
            if (secs > 0.5) {
                snprintf(part, sizeof part, "  %.1f MB/s", mb / secs);
                strcat(extra, part);
            }
        }
        snprintf(part, sizeof part, "  %.0fs", secs);
        strcat(extra, part);
        flockfile(stderr);
        draw_locked(extra);
        funlockfile(stderr);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* The label, escaped, its last 100 bytes at most. */
static void set_label(const char *text)
{
    char *esc = str_escape_ctl(text);
    const char *s = esc ? esc : "";
    size_t n = strlen(s);
    if (n > 100) { /* keep the end: the file's own name */
        s += n - 100;
        while ((*s & 0xC0) == 0x80) /* at a character's first byte */
            s++;
    }
    flockfile(stderr);
    snprintf(label, sizeof label, "%s", s);
    funlockfile(stderr);
    free(esc);
}

void progress_begin(const char *text)
{
    if (!progress_on())
        return;
    progress_end();
    set_label(text);
    atomic_store_explicit(&rows, 0, memory_order_relaxed);
    bytes0 = bytes_read();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    flockfile(stderr);
    draw_locked(NULL);
    funlockfile(stderr);
    stop = 0;
    ticking = pthread_create(&ticker, NULL, tick, NULL) == 0;
}

void progress_rows(uint64_t n)
{
    atomic_store_explicit(&rows, n, memory_order_relaxed);
}

void progress_step(const char *what, int k, int n, const char *name)
{
    if (!progress_on())
        return;
    char text[400];
    if (n > 0)
        snprintf(text, sizeof text, "%s [%d/%d] %s", what, k, n,
                 name ? name : "");
    else
        snprintf(text, sizeof text, "%s %s", what, name ? name : "");
    set_label(text);
    flockfile(stderr);
    draw_locked(NULL);
    funlockfile(stderr);
}

void progress_end(void)
{
    if (!decided || getpid() != owner)
        return;
    if (ticking) {
        pthread_mutex_lock(&mu);
        stop = 1;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&mu);
        pthread_join(ticker, NULL);
        ticking = 0;
    }
    flockfile(stderr);
    progress_hide_locked();
    funlockfile(stderr);
}
