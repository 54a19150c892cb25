/* cli_isolated - run a job that drives libxlsxwriter in a child process.
 *
 * libxlsxwriter 1.1.5 (Debian 12) does not survive running out of memory:
 * some failed allocations crash it (lxw_worksheet_new, lxw_escape_data)
 * and others only print "[ERROR] ... Memory allocation failed" and leave a
 * cell out of the workbook.  tests/fault found both.  So the job runs in a
 * forked child: a crash becomes an error of the command, and any error line
 * the library prints on stderr makes the job fail even when the library
 * returned success.  The child's stderr is passed on unchanged. */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Read all of fd into buf (truncated to cap - 1), passing it to stderr. */
static size_t _drain(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    char chunk[4096];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        (void)!fwrite(chunk, 1, (size_t)r, stderr);
        size_t k = (size_t)r < cap - 1 - n ? (size_t)r : cap - 1 - n;
        memcpy(buf + n, chunk, k);
        n += k;
    }
    buf[n] = '\0';
    return n;
}

iafq_err cli_isolated(iafq_err (*job)(void *arg, iafq_error *err), void *arg,
                      iafq_error *err)
{
    int log[2] = {-1, -1};
    iafq_err rc = IAFQ_OK;
    /* the child's result, in memory shared with it (no write to fail) */
    iafq_error *out = mmap(NULL, sizeof *out, PROT_READ | PROT_WRITE,
                           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (out == MAP_FAILED) {
        out = NULL;
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory: %s",
                            strerror(errno));
        goto cleanup;
    }
    out->code = IAFQ_ERR_INTERNAL;
    snprintf(out->msg, sizeof out->msg, "no result");
    if (pipe(log) != 0) {
        rc = iafq_error_set(err, iafq_err_open(errno), "cannot start: %s",
                            strerror(errno));
        goto cleanup;
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        rc = iafq_error_set(err, iafq_err_open(errno), "cannot start: %s",
                            strerror(errno));
        goto cleanup;
    }
    if (pid == 0) {
        close(log[0]);
        dup2(log[1], 2);
        close(log[1]);
        iafq_error e = {0};
        e.code = job(arg, &e);
        *out = e;
        fflush(stderr);
        exit(0);
    }
    close(log[1]);
    log[1] = -1;
    char said[1024];
    _drain(log[0], said, sizeof said);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status)) {
        rc = iafq_error_set(err, IAFQ_ERR_INTERNAL,
                            "the workbook writer crashed (signal %d, %s); "
                            "out of memory?",
                            WTERMSIG(status), strsignal(WTERMSIG(status)));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_INTERNAL,
                            "the workbook writer failed (exit status %d)",
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else if (out->code != IAFQ_OK) {
        if (err)
            *err = *out;
        rc = out->code;
    } else if (strstr(said, "[ERROR]")) {
        char *first = strstr(said, "[ERROR]");
        char *nl = strchr(first, '\n');
        if (nl)
            *nl = '\0';
        rc = iafq_error_set(
            err, strstr(first, "emory") ? IAFQ_ERR_NOMEM : IAFQ_ERR_XLSXW,
            "the workbook writer reported: %s", first);
    }
cleanup:
    for (int k = 0; k < 2; k++)
        if (log[k] >= 0)
            close(log[k]);
    if (out)
        munmap(out, sizeof *out);
    return rc;
}
