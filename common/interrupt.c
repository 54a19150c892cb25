#include "interrupt.h"

#include "progress.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NSLOTS 16

static struct {
    volatile sig_atomic_t used;
    int flat;
    char path[4096];
} slots[NSLOTS];

static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
static pid_t owner;
static int installed;
static void (*volatile cancel_fn)(void *);
static void *volatile cancel_arg;
static int holds;
static sigset_t held_old;

/* Remove the files directly in path, then path: getdents64 and unlinkat
 * only (async-signal-safe; opendir is not). */
static void remove_flat(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        char buf[4096] __attribute__((aligned(8)));
        for (;;) {
            long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
            if (n <= 0)
                break;
            for (long off = 0; off < n;) {
                /* struct linux_dirent64: ino 8, off 8, reclen 2, type 1 */
                unsigned short reclen;
                memcpy(&reclen, buf + off + 16, sizeof reclen);
                const char *name = buf + off + 19;
                if (strcmp(name, ".") && strcmp(name, ".."))
                    unlinkat(fd, name, 0);
                off += reclen;
            }
        }
        close(fd);
    }
    rmdir(path);
}

static void put(const char *s)
{
    (void)!write(STDERR_FILENO, s, strlen(s));
}

static void on_signal(int sig)
{
    if (getpid() == owner) {
        void (*fn)(void *) = cancel_fn;
        if (fn)
            fn(cancel_arg);
        for (int i = NSLOTS - 1; i >= 0; i--) {
            if (!slots[i].used)
                continue;
            if (slots[i].flat)
                remove_flat(slots[i].path);
            else
                rmdir(slots[i].path);
            slots[i].used = 0;
        }
        progress_hide_locked();
        put("iafq: interrupted (");
        put(sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP");
        put(")\n");
    }
    /* die of it: blocked in the handler, delivered on return */
    signal(sig, SIG_DFL);
    raise(sig);
}

void intr_install(void)
{
    if (installed)
        return;
    owner = getpid();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* nohup: it stays ignored */
        sigaction(sigs[i], &sa, NULL);
    }
    installed = 1;
}

void intr_set_cancel(void (*fn)(void *arg), void *arg)
{
    intr_hold();
    cancel_fn = fn;
    cancel_arg = arg;
    intr_release();
}

int intr_remember(const char *path, int flat)
{
    if (strlen(path) >= sizeof slots[0].path)
        return -1;
    for (int i = 0; i < NSLOTS; i++) {
        if (slots[i].used)
            continue;
        memcpy(slots[i].path, path, strlen(path) + 1);
        slots[i].flat = flat;
        atomic_signal_fence(memory_order_seq_cst);
        slots[i].used = 1;
        return i;
    }
    return -1;
}

void intr_forget(int slot)
{
    if (slot >= 0 && slot < NSLOTS)
        slots[slot].used = 0;
}

void intr_hold(void)
{
    if (holds++ == 0) {
        sigset_t set;
        sigemptyset(&set);
        for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
            sigaddset(&set, sigs[i]);
        sigprocmask(SIG_BLOCK, &set, &held_old);
    }
}

void intr_release(void)
{
    if (holds > 0 && --holds == 0)
        sigprocmask(SIG_SETMASK, &held_old, NULL);
}

void intr_test_pause(const char *stage)
{
    const char *v = getenv("IAFQ_TEST_PAUSE_AT");
    size_t n = strlen(stage);
    if (!v || strncmp(v, stage, n) || v[n] != ':')
        return;
    const char *file = v + n + 1;
    fprintf(stderr, "iafq: test: paused at %s\n", stage);
    fflush(stderr);
    struct timespec ms10 = {0, 10000000L};
    for (int i = 0; i < 6000 && access(file, F_OK) != 0; i++)
        nanosleep(&ms10, NULL);
}
