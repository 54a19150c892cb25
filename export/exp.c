#include "exp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *exp_query(const exp_ctx *ctx, const char *name)
{
    static char rel[160];
    bool pub = ctx && ctx->schema && !strcmp(ctx->schema, "iafq_public");
    snprintf(rel, sizeof rel, "q/%s%s.sql", name, pub ? "_public" : "");
    return rel;
}

iafq_err exp_temp_path(const char *dir, const char *name, char *tmp,
                       size_t cap, iafq_error *err)
{
    if (snprintf(tmp, cap, "%s/.%s.XXXXXX", dir, name) >= (int)cap)
        return iafq_error_set(err, IAFQ_ERR_IO, "output path too long in '%s'",
                              dir);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write in '%s': %s",
                              dir, strerror(errno));
    if (fchmod(fd, 0644) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write '%s': %s", tmp,
                              strerror(e));
    }
    return IAFQ_OK;
}

iafq_err exp_commit_file(const char *tmp, const char *dir, const char *name,
                         iafq_error *err)
{
    char final[4096];
    if (snprintf(final, sizeof final, "%s/%s", dir, name) >=
        (int)sizeof final)
        return iafq_error_set(err, IAFQ_ERR_IO, "output path too long in '%s'",
                              dir);
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write '%s': %s", final,
                              strerror(e));
    }
    close(fd);
    if (rename(tmp, final) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write '%s': %s", final,
                              strerror(errno));
    /* the rename itself survives a crash once the folder is synced */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return IAFQ_OK;
}

int exp_formula_like(const char *s)
{
    return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
                 *s == '\t' || *s == '\r');
}
