#include "plan.h"

#include "changes.h"
#include "gscsv.h"
#include "gswb.h"
#include "interrupt.h"
#include "log.h"
#include "portal.h"
#include "progress.h"
#include "sdmx.h"
#include "views.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------ the format table */

typedef iafq_err (*writer_fn)(const exp_ctx *, const char *, iafq_error *);

typedef struct {
    unsigned bit;
    const char *name;
} format_def;

static const format_def formats[] = {
    {EXPORT_XLSX, "xlsx"}, {EXPORT_CSV, "csv"},   {EXPORT_PORTAL, "portal"},
    {EXPORT_JSON, "json"}, {EXPORT_SDMX, "sdmx"},
};

/* The files, in the order they are written; the CSV tables (writer NULL)
 * stand for one file per view of views.h; format 0: in every export,
 * whatever the formats. */
typedef struct {
    unsigned format;
    const char *file;
    const char *what;
    writer_fn write;
} file_def;

static const file_def files[] = {
    {EXPORT_XLSX, "global-study.xlsx",
     "Global Study workbook: GS1-GS9, 16.4.2, charts (for analysts, Excel)",
     gswb_write},
    {EXPORT_CSV, NULL, NULL, NULL},
    {EXPORT_PORTAL, "iafq-portal.csv",
     "portal long file, the published layout (for the data portal)",
     portal_write_csv},
    {EXPORT_PORTAL, "iafq-portal.xlsx",
     "portal long file as a workbook (for the data portal)", portal_write_xlsx},
    {EXPORT_JSON, "iafq-portal.json",
     "portal records with release metadata (JSON, for the data portal)",
     portal_write_json},
    {EXPORT_SDMX, "sdmx_16_4_2.csv",
     "SDG 16.4.2 as SDMX-CSV, series VC_ARM_SZTRACE (for the UN Global SDG "
     "Database)",
     sdmx_write},
    {0, CHANGES_FILE,
     "every figure changed since the previous export of this scope "
     "(all views)",
     changes_write},
};

unsigned export_format_bit(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strlen(formats[i].name) == len &&
            !strncmp(name, formats[i].name, len))
            return formats[i].bit;
    return 0;
}

const char *export_format_list(void)
{
    return "xlsx, csv, portal, json, sdmx";
}

static const char *format_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (formats[i].bit == bit)
            return formats[i].name;
    return "all"; /* format 0: in every export */
}

/* ---------------------------------------------------------- kill steps */

/* IAFQ_TEST_KILL_AT=N: SIGKILL at the Nth step (plan.h). */
static void step(void)
{
    static long at = -1, n = 0;
    if (at < 0) {
        const char *v = getenv("IAFQ_TEST_KILL_AT");
        at = v && *v ? strtol(v, NULL, 10) : 0;
    }
    if (at > 0 && ++n == at)
        raise(SIGKILL);
}

/* ------------------------------------------------------------ releases */

#define RELEASE_TAG ".iafq-"
#define LINK_NAME ".iafq-link"

struct export_release {
    char dir[4096];     /* DIR as given, without trailing slashes */
    char parent[4096];  /* its folder */
    char base[256];     /* its last component */
    char path[4096];    /* the release: parent/.BASE.iafq-XXXXXX */
    char previous[512]; /* the release DIR showed before, "" when none */
    int migrate;        /* DIR is a plain folder to move aside */
    int committed;
    int slot;  /* the release's interrupt slot (interrupt.h) */
    int nmade; /* parent folders made for DIR, outermost first */
    char made[8][4096];
    int made_slot[8];
};

static iafq_err io(iafq_error *err, const char *what, const char *path, int e)
{
    return iafq_error_set(err, IAFQ_ERR_IO, "%s '%s': %s", what, path,
                          strerror(e));
}

/* 1 when name is ".BASE.iafq-XXXXXX" (a release of base). */
static int is_release(const char *base, const char *name)
{
    size_t bl = strlen(base), tl = strlen(RELEASE_TAG);
    return name[0] == '.' && !strncmp(name + 1, base, bl) &&
           !strncmp(name + 1 + bl, RELEASE_TAG, tl) &&
           strlen(name + 1 + bl + tl) == 6 && !strchr(name + 1, '/');
}

/* Remove name in dirfd and all under it, never following a link. */
static void rm_tree(int dirfd, const char *name)
{
    int fd =
        openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        DIR *d = fdopendir(fd);
        if (!d) {
            close(fd);
            return;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            struct stat st;
            if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISDIR(st.st_mode))
                rm_tree(fd, e->d_name);
            else
                unlinkat(fd, e->d_name, 0);
        }
        closedir(d);
    }
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Make DIR's missing parent folders (as mkdir -p), remembered in r so
 * that a failed or interrupted export removes them again. */
static iafq_err make_parents(export_release *r, iafq_error *err)
{
    struct stat st;
    if (stat(r->parent, &st) == 0)
        return IAFQ_OK; /* check_dir says what is wrong with it */
    char p[4096];
    snprintf(p, sizeof p, "%s", r->parent);
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) == 0) {
            if (r->nmade < (int)(sizeof r->made / sizeof *r->made)) {
                snprintf(r->made[r->nmade], sizeof r->made[0], "%s", p);
                r->made_slot[r->nmade] = intr_remember(p, 0);
                r->nmade++;
            }
        } else if (errno != EEXIST) {
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "cannot create the folder '%s' for '%s': %s",
                                  p, r->dir, strerror(errno));
        }
        p[i] = c;
    }
    return IAFQ_OK;
}

/* Check DIR (see plan.h): 0, else an error. */
static iafq_err check_dir(export_release *r, iafq_error *err)
{
    struct stat st;
    if (stat(r->parent, &st) != 0 || !S_ISDIR(st.st_mode))
        return iafq_error_set(
            err, IAFQ_ERR_IO, "cannot create the output folder '%s': %s",
            r->dir,
            errno && stat(r->parent, &st) != 0 ? strerror(errno)
                                               : "its parent is not a folder");
    if (lstat(r->dir, &st) != 0) {
        if (errno == ENOENT)
            return IAFQ_OK;
        return io(err, "cannot write into", r->dir, errno);
    }
    if (S_ISLNK(st.st_mode)) {
        char t[512];
        ssize_t n = readlink(r->dir, t, sizeof t - 1);
        if (n < 0)
            return io(err, "cannot write into", r->dir, errno);
        t[n] = '\0';
        if (!is_release(r->base, t))
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "cannot write into '%s': a link to '%s', "
                                  "not a release iafq made",
                                  r->dir, t);
        snprintf(r->previous, sizeof r->previous, "%s", t);
        return IAFQ_OK;
    }
    if (S_ISDIR(st.st_mode) && st.st_uid == geteuid()) {
        r->migrate = 1;
        return IAFQ_OK;
    }
    return iafq_error_set(
        err, IAFQ_ERR_IO, "cannot write into '%s': %s", r->dir,
        S_ISDIR(st.st_mode) ? "a folder of another user" : "not a folder");
}

iafq_err export_release_open(const char *dir, export_release **out,
                             iafq_error *err)
{
    *out = NULL;
    export_release *r = calloc(1, sizeof *r);
    if (!r)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (len >= sizeof r->dir) {
        free(r);
        return iafq_error_set(err, IAFQ_ERR_IO, "output path too long");
    }
    memcpy(r->dir, dir, len);
    const char *slash = strrchr(r->dir, '/');
    const char *base = slash ? slash + 1 : r->dir;
    if (!slash)
        snprintf(r->parent, sizeof r->parent, ".");
    else if (slash == r->dir)
        snprintf(r->parent, sizeof r->parent, "/");
    else
        snprintf(r->parent, sizeof r->parent, "%.*s", (int)(slash - r->dir),
                 r->dir);
    iafq_err rc = IAFQ_OK;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..") ||
        strlen(base) >= sizeof r->base) {
        rc = iafq_error_set(err, IAFQ_ERR_IO,
                            "cannot write into '%s': give the folder by its "
                            "name (not '.' or '..')",
                            dir);
        goto fail;
    }
    memcpy(r->base, base, strlen(base) + 1); /* fits: checked above */
    r->slot = -1;
    if ((rc = make_parents(r, err)) || (rc = check_dir(r, err)))
        goto fail;
    if (snprintf(r->path, sizeof r->path, "%s/.%s%sXXXXXX", r->parent, r->base,
                 RELEASE_TAG) >= (int)sizeof r->path) {
        rc = iafq_error_set(err, IAFQ_ERR_IO, "output path too long");
        goto fail;
    }
    intr_hold(); /* made and remembered as one step */
    if (!mkdtemp(r->path)) {
        intr_release();
        rc = io(err, "cannot write into", r->dir, errno);
        r->path[0] = '\0';
        goto fail;
    }
    r->slot = intr_remember(r->path, 1);
    intr_release();
    mode_t mask = umask(0);
    umask(mask);
    if (chmod(r->path, 0777 & ~mask) != 0) {
        rc = io(err, "cannot write into", r->path, errno);
        goto fail;
    }
    *out = r;
    return IAFQ_OK;
fail:
    export_release_free(r);
    return rc;
}

const char *export_release_path(const export_release *r)
{
    return r->path;
}

iafq_err export_release_write_text(export_release *r, const char *name,
                                   const char *text, iafq_error *err)
{
    char p[4600];
    snprintf(p, sizeof p, "%s/%s", r->path, name);
    int fd =
        open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return io(err, "cannot write", p, errno);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return io(err, "cannot write", p, errno);
    }
    errno = 0;
    int bad = fputs(text, f) < 0 || fputc('\n', f) == EOF || fflush(f) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    step();
    return bad ? io(err, "cannot write", p, e ? e : EIO) : IAFQ_OK;
}

/* fsync every file of the release, then the release folder. */
static iafq_err sync_release(export_release *r, iafq_error *err)
{
    int dfd = open(r->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return io(err, "cannot write into", r->path, errno);
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return io(err, "cannot write into", r->path, errno);
    }
    iafq_err rc = IAFQ_OK;
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0)
            rc = io(err, "cannot write", e->d_name, errno);
        if (fd >= 0)
            close(fd);
        step();
    }
    if (!rc && fsync(dfd) != 0)
        rc = io(err, "cannot write into", r->path, errno);
    closedir(d);
    step();
    return rc;
}

/* Remove the releases of DIR but the current (keep) and the one it
 * replaced (r->previous): only folders of this user. */
static void remove_leftovers(export_release *r, const char *keep)
{
    int pfd = open(r->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0)
        return;
    DIR *d = fdopendir(pfd);
    if (!d) {
        close(pfd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_release(r->base, e->d_name) || !strcmp(e->d_name, keep) ||
            !strcmp(e->d_name, r->previous))
            continue;
        struct stat st;
        if (fstatat(pfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISDIR(st.st_mode) && st.st_uid == geteuid()) {
            rm_tree(pfd, e->d_name);
            step();
        }
    }
    closedir(d);
}

iafq_err export_release_commit(export_release *r, iafq_error *err)
{
    iafq_err rc = sync_release(r, err);
    if (rc)
        return rc;
    const char *target = strrchr(r->path, '/') + 1;
    char link[4600], aside[4600];
    snprintf(link, sizeof link, "%s/%s", r->path, LINK_NAME);
    if (symlink(target, link) != 0)
        return io(err, "cannot write into", r->path, errno);
    step();
    intr_hold(); /* DIR switched and the release kept, as one step */
    if (r->migrate) {
        /* DIR, a plain folder: moved over an empty release-named folder of
         * ours, then removed with the leftovers */
        snprintf(aside, sizeof aside, "%s/.%s%sXXXXXX", r->parent, r->base,
                 RELEASE_TAG);
        if (!mkdtemp(aside) || rename(r->dir, aside) != 0) {
            int e = errno;
            unlink(link);
            intr_release();
            return io(err, "cannot replace", r->dir, e);
        }
        snprintf(r->previous, sizeof r->previous, "%s",
                 strrchr(aside, '/') + 1);
        step();
    }
    if (rename(link, r->dir) != 0) {
        int e = errno;
        unlink(link);
        intr_release();
        return io(err, "cannot replace", r->dir, e);
    }
    r->committed = 1;
    intr_forget(r->slot);
    for (int i = 0; i < r->nmade; i++)
        intr_forget(r->made_slot[i]);
    intr_release();
    step();
    int pfd = open(r->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd >= 0) {
        fsync(pfd);
        close(pfd);
    }
    remove_leftovers(r, target);
    return IAFQ_OK;
}

void export_release_free(export_release *r)
{
    if (!r)
        return;
    if (!r->committed && r->path[0]) {
        int pfd = open(r->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd >= 0) {
            rm_tree(pfd, strrchr(r->path, '/') + 1);
            close(pfd);
        }
    }
    if (!r->committed) /* the folders made for DIR, innermost first */
        for (int i = r->nmade - 1; i >= 0; i--)
            rmdir(r->made[i]);
    intr_forget(r->slot);
    for (int i = 0; i < r->nmade; i++)
        intr_forget(r->made_slot[i]);
    free(r);
}

/* --------------------------------------------------------------- writing */

static int nwritten, nfiles; /* for the progress line */

static iafq_err write_one(const exp_ctx *ctx, export_release *r,
                          const char *file, const char *view, writer_fn write,
                          iafq_error *err)
{
    progress_step("export", ++nwritten, nfiles, file);
    char path[4600];
    snprintf(path, sizeof path, "%s/%s", r->path, file);
    iafq_error e = {0};
    iafq_err rc =
        view ? gscsv_write(ctx, view, path, &e) : write(ctx, path, &e);
    if (rc)
        return iafq_error_set(err, rc, "%s: %s", file, e.msg);
    step();
    return IAFQ_OK;
}

iafq_err export_write_files(db_conn *db, export_release *r, export_scope scope,
                            unsigned fmts, export_file_fn on_file, void *arg,
                            exp_run *run, iafq_error *err)
{
    exp_ctx ctx;
    iafq_err rc = exp_begin(db, scope == EXPORT_PUBLIC, &ctx, err);
    if (rc)
        return rc;
    if (ctx.run.id == 0) {
        exp_end(&ctx);
        return iafq_error_set(err, IAFQ_ERR_USAGE,
                              "there is no aggregation run to export");
    }
    if (run)
        *run = ctx.run;
    size_t nv;
    const views_view *v = views_all(&nv);
    nwritten = nfiles = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        if (!files[i].format || (fmts & files[i].format))
            nfiles += files[i].write ? 1 : (int)nv;
    for (size_t i = 0; i < sizeof files / sizeof *files && !rc; i++) {
        const file_def *f = &files[i];
        if (f->format && !(fmts & f->format))
            continue;
        for (size_t k = 0; !f->write && k < nv && !rc; k++) {
            char name[96];
            snprintf(name, sizeof name, "%s.csv", v[k].view);
            if (!(rc = write_one(&ctx, r, name, v[k].view, NULL, err)) &&
                on_file)
                on_file(arg, name, format_name(f->format), v[k].what);
        }
        if (f->write &&
            !(rc = write_one(&ctx, r, f->file, NULL, f->write, err)) && on_file)
            on_file(arg, f->file, format_name(f->format), f->what);
    }
    exp_end(&ctx);
    progress_end();
    return rc;
}

/* The files written, for on_file after the switch. */
typedef struct {
    struct {
        char file[96];
        const char *format, *what;
    } f[64];
    int n;
} file_list;

static void remember(void *arg, const char *file, const char *format,
                     const char *what)
{
    file_list *l = arg;
    if (l->n < (int)(sizeof l->f / sizeof *l->f)) {
        snprintf(l->f[l->n].file, sizeof l->f[l->n].file, "%s", file);
        l->f[l->n].format = format;
        l->f[l->n++].what = what;
    }
}

iafq_err export_record(db_conn *db, long long run, export_scope scope,
                       const char *dir, iafq_error *err)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", run);
    const char *params[3] = {id, scope == EXPORT_PUBLIC ? "public" : "internal",
                             dir};
    return db_exec_file(db, "q/export_record.sql", 3, params, NULL, err);
}

iafq_err export_write_all(db_conn *db, const char *dir, export_scope scope,
                          unsigned fmts, export_file_fn on_file, void *arg,
                          exp_run *run, iafq_error *err)
{
    export_release *r = NULL;
    file_list list = {.n = 0};
    exp_run used;
    if (!run)
        run = &used;
    iafq_err rc = export_release_open(dir, &r, err);
    if (!rc)
        rc = export_write_files(db, r, scope, fmts, remember, &list, run, err);
    if (!rc)
        rc = export_release_commit(r, err);
    export_release_free(r);
    iafq_error rerr = {0};
    if (!rc && export_record(db, run->id, scope, dir, &rerr))
        log_warn(rerr.msg, "`iafq runs prune` may remove the run it used",
                 "the export to '%s' is in place but was not recorded", dir);
    for (int i = 0; !rc && on_file && i < list.n; i++)
        on_file(arg, list.f[i].file, list.f[i].format, list.f[i].what);
    return rc;
}
