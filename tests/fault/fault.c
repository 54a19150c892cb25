/*
 * fault.c - a fault-injection shim for the tests, loaded with LD_PRELOAD
 * (built as build/tests/libiafqfault.so; never linked into iafq).
 *
 *   IAFQ_FAULT_MALLOC=N  the Nth allocation (malloc, calloc, realloc to a
 *                        non-zero size, reallocarray) fails: NULL, ENOMEM
 *   IAFQ_FAULT_WRITE=N   the Nth write to a stream or descriptor other than
 *                        stderr fails: ENOSPC, the stream's error flag set
 *                        (fwrite, fputs, fputc, putc, putchar, puts, the
 *                        printf family, fflush, fclose, write)
 *   IAFQ_FAULT_LOG=PATH  append "hit malloc N" when a fault is injected and
 *                        "count malloc M write W" when the process exits
 *   IAFQ_FAULT_PROG=NAME  arm only in a program of that name (so that
 *                        valgrind's own launcher runs unharmed)
 *   IAFQ_FAULT_TMPFILES=1  count writes to unlinked scratch files too.  They
 *                        are left out by default: libxlsxwriter 1.1.5 writes
 *                        each part to a tmpfile() without checking those
 *                        writes, so a failure there is silently a damaged
 *                        workbook that iafq cannot see (docs/decisions.md)
 *
 * Only calls made once main() has started are counted (the shim wraps
 * __libc_start_main), from every thread and forked child (one atomic
 * counter each, in shared memory), so a run with no N set tells how many
 * calls a run makes.  fclose is failed
 * after the stream was really closed, so an injected failure leaks
 * nothing by itself.  Allocations go to glibc's own __libc_malloc and
 * friends: no dlsym recursion, and valgrind still sees every block.
 *
 * Contract of the test driver (tests/fault/run.py): a run whose fault was
 * hit must end with exit status 2 or 3 and an `iafq: error:` line, or
 * recover and give the same output as a run without faults.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#undef putc
#undef putchar
#undef fputc

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap);

static atomic_int _armed;
static atomic_long _own[2];
static atomic_long *_nmalloc = &_own[0], *_nwrite = &_own[1];
static int _tmpfiles;
static long _fail_malloc, _fail_write;
static int _log_fd = -1;

/* ---- reporting, with no allocation and no stdio --------------------- */

static void _log_line(const char *what, long a, const char *what2, long b)
{
    if (_log_fd < 0)
        return;
    char buf[128];
    int n = 0;
    const char *parts[2] = {what, what2};
    long nums[2] = {a, b};
    for (int k = 0; k < 2 && parts[k]; k++) {
        for (const char *p = parts[k]; *p && n < 100; p++)
            buf[n++] = *p;
        buf[n++] = ' ';
        char dig[24];
        int d = 0;
        long v = nums[k];
        do {
            dig[d++] = (char)('0' + v % 10);
            v /= 10;
        } while (v && d < 20);
        while (d)
            buf[n++] = dig[--d];
        buf[n++] = ' ';
    }
    buf[n - 1] = '\n';
    (void)!syscall(SYS_write, _log_fd, buf, (size_t)n);
}

static long _env_long(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : 0;
}

/* ---- counting from main() on --------------------------------------- */

typedef int (*_main_fn)(int, char **, char **);
static _main_fn _real_main;

static int _shim_main(int argc, char **argv, char **envp)
{
    const char *prog = getenv("IAFQ_FAULT_PROG");
    if (prog && *prog && argc > 0) {
        const char *base = strrchr(argv[0], '/');
        if (strcmp(base ? base + 1 : argv[0], prog) != 0)
            return _real_main(argc, argv, envp); /* not armed */
    }
    _fail_malloc = _env_long("IAFQ_FAULT_MALLOC");
    _fail_write = _env_long("IAFQ_FAULT_WRITE");
    _tmpfiles = _env_long("IAFQ_FAULT_TMPFILES") != 0;
    /* counters shared with forked children (cli_isolated), so that one
     * numbering covers the whole run */
    void *shared = mmap(NULL, sizeof _own, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared != MAP_FAILED) {
        _nmalloc = (atomic_long *)shared;
        _nwrite = _nmalloc + 1;
    }
    const char *log = getenv("IAFQ_FAULT_LOG");
    if (log && *log)
        _log_fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    atomic_store(&_armed, 1);
    return _real_main(argc, argv, envp);
}

int __libc_start_main(_main_fn main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end)
{
    typedef int (*start_fn)(_main_fn, int, char **, void (*)(void),
                            void (*)(void), void (*)(void), void *);
    start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
    _real_main = main;
    return real(_shim_main, argc, argv, init, fini, rtld_fini, stack_end);
}

__attribute__((destructor)) static void _report_counts(void)
{
    if (atomic_load(&_armed))
        _log_line("count malloc", atomic_load(_nmalloc), "write",
                  atomic_load(_nwrite));
}

/* ---- allocation ----------------------------------------------------- */

static int _malloc_fails(void)
{
    if (!atomic_load_explicit(&_armed, memory_order_relaxed))
        return 0;
    long n = atomic_fetch_add(_nmalloc, 1) + 1;
    if (_fail_malloc <= 0 || n != _fail_malloc)
        return 0;
    _log_line("hit malloc", n, NULL, 0);
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n)
{
    return _malloc_fails() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return _malloc_fails() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    if (p && n == 0)
        return __libc_realloc(p, n); /* a free, not an allocation */
    return _malloc_fails() ? NULL : __libc_realloc(p, n);
}

void *reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, n * size);
}

/* ---- writes --------------------------------------------------------- */

/* the next definition of name (glibc's), looked up on first use */
#define _REAL(name)                                                            \
    static __typeof__(&name) _real_##name;                                     \
    if (!_real_##name)                                                         \
    _real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

#define _SHIM_IO_NO_WRITES 0x0008 /* glibc libio.h: a read-only stream */

static int _write_fails(FILE *f, int fd)
{
    if (!atomic_load_explicit(&_armed, memory_order_relaxed))
        return 0;
    if (f == stderr || fd == 2)
        return 0; /* the error message must get out */
    if (f && (f->_flags & _SHIM_IO_NO_WRITES))
        return 0; /* closing an input file is no write */
    struct stat st;
    if (!_tmpfiles && fstat(f ? fileno(f) : fd, &st) == 0 && st.st_nlink == 0)
        return 0; /* an unlinked scratch file (tmpfile): see the header */
    long n = atomic_fetch_add(_nwrite, 1) + 1;
    if (_fail_write <= 0 || n != _fail_write)
        return 0;
    _log_line("hit write", n, NULL, 0);
    if (f)
        f->_flags |= _IO_ERR_SEEN; /* as a real failed write leaves it */
    errno = ENOSPC;
    return 1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    _REAL(write);
    return _write_fails(NULL, fd) ? -1 : _real_write(fd, buf, n);
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    _REAL(fwrite);
    return _write_fails(f, -1) ? 0 : _real_fwrite(p, size, n, f);
}

int fputs(const char *s, FILE *f)
{
    _REAL(fputs);
    return _write_fails(f, -1) ? EOF : _real_fputs(s, f);
}

int fputs_unlocked(const char *s, FILE *f)
{
    _REAL(fputs_unlocked);
    return _write_fails(f, -1) ? EOF : _real_fputs_unlocked(s, f);
}

int puts(const char *s)
{
    _REAL(puts);
    return _write_fails(stdout, -1) ? EOF : _real_puts(s);
}

int fputc(int c, FILE *f)
{
    _REAL(fputc);
    return _write_fails(f, -1) ? EOF : _real_fputc(c, f);
}

int putc(int c, FILE *f)
{
    _REAL(putc);
    return _write_fails(f, -1) ? EOF : _real_putc(c, f);
}

int putchar(int c)
{
    _REAL(putchar);
    return _write_fails(stdout, -1) ? EOF : _real_putchar(c);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    _REAL(vfprintf);
    return _write_fails(f, -1) ? -1 : _real_vfprintf(f, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return r;
}

/* The fortified forms Debian's libraries are built with. */
int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
    _REAL(__vfprintf_chk);
    return _write_fails(f, -1) ? -1 : _real___vfprintf_chk(f, flag, fmt, ap);
}

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vfprintf_chk(f, flag, fmt, ap);
    va_end(ap);
    return r;
}

int __vprintf_chk(int flag, const char *fmt, va_list ap)
{
    return __vfprintf_chk(stdout, flag, fmt, ap);
}

int __printf_chk(int flag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = __vfprintf_chk(stdout, flag, fmt, ap);
    va_end(ap);
    return r;
}

int fflush(FILE *f)
{
    _REAL(fflush);
    if (f && _write_fails(f, -1))
        return EOF;
    return _real_fflush(f);
}

int fclose(FILE *f)
{
    _REAL(fclose);
    int fails = _write_fails(f, -1);
    int r = _real_fclose(f);
    if (fails) {
        errno = ENOSPC;
        return EOF;
    }
    return r;
}
