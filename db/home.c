/* Which folder is iafq's home: see home.h. */
#include "home.h"

#include "log.h"

#include <errno.h>
#include <linux/limits.h> /* PATH_MAX (common/limits.h shadows <limits.h>) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOME_NAME ".iafq"
#define HOME_MAX_CEILINGS 32

static int home_warned; /* the skipped .iafq folders were named once */

/* 1 when path is absolute and has no "." or ".." component. */
static int home_is_clean(const char *path)
{
    if (path[0] != '/')
        return 0;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += n;
    }
    return 1;
}

/* The current folder as the shell names it: $PWD when it is a clean
 * absolute path of the same folder as ".", else getcwd(). */
static int home_cwd(char *out, size_t cap)
{
    const char *pwd = getenv("PWD");
    struct stat a, b;
    if (pwd && home_is_clean(pwd) && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
        a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
        if (snprintf(out, cap, "%s", pwd) >= (int)cap)
            return -1;
    } else if (!getcwd(out, cap)) {
        return -1;
    }
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/')
        out[--n] = '\0';
    return 0;
}

typedef struct {
    dev_t dev;
    ino_t ino;
} home_id;

/* The folders of IAFQ_CEILING_DIRECTORIES that exist (absolute ones). */
static size_t home_ceilings(home_id *ids, size_t cap)
{
    const char *env = getenv("IAFQ_CEILING_DIRECTORIES");
    size_t n = 0;
    char one[PATH_MAX];
    while (env && *env && n < cap) {
        size_t len = strcspn(env, ":");
        struct stat st;
        if (len > 0 && len < sizeof one && env[0] == '/') {
            memcpy(one, env, len);
            one[len] = '\0';
            if (stat(one, &st) == 0 && S_ISDIR(st.st_mode)) {
                ids[n].dev = st.st_dev;
                ids[n].ino = st.st_ino;
                n++;
            }
        }
        env += len;
        if (*env == ':')
            env++;
    }
    return n;
}

static int home_is_ceiling(const char *dir, const home_id *ids, size_t n)
{
    struct stat st;
    if (n == 0 || stat(dir, &st) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (ids[i].dev == st.st_dev && ids[i].ino == st.st_ino)
            return 1;
    return 0;
}

/* Why the .iafq at path does not count, or NULL when it does; *exists
 * says whether there is anything at path. */
static const char *home_refusal(const char *path, int *exists, char *buf,
                                size_t cap)
{
    struct stat st;
    *exists = lstat(path, &st) == 0;
    if (!*exists)
        return NULL;
    if (S_ISLNK(st.st_mode))
        return "it is a symbolic link";
    if (!S_ISDIR(st.st_mode))
        return "it is not a folder";
    if (st.st_uid != geteuid()) {
        snprintf(buf, cap, "it belongs to another user (uid %ld)",
                 (long)st.st_uid);
        return buf;
    }
    return NULL;
}

static void home_warn_skipped(const char *path, const char *why)
{
    log_warn(NULL,
             "only a .iafq folder of your own counts; remove that one, or "
             "choose with --db or IAFQ_HOME",
             "ignoring '%s': %s", path, why);
}

iafq_err home_find(char *path, size_t cap, home_rule *rule, iafq_error *err)
{
    char dir[PATH_MAX];
    if (home_cwd(dir, sizeof dir) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO,
                              "cannot name the current folder: %s",
                              strerror(errno));
    home_id ceil[HOME_MAX_CEILINGS];
    size_t nceil = home_ceilings(ceil, HOME_MAX_CEILINGS);
    char cand[PATH_MAX], here[PATH_MAX] = "", why_here[96] = "";
    int found = 0, warn = !home_warned;
    for (int first = 1;; first = 0) {
        if (!first && home_is_ceiling(dir, ceil, nceil))
            break;
        if (snprintf(cand, sizeof cand, "%s/%s", strcmp(dir, "/") ? dir : "",
                     HOME_NAME) >= (int)sizeof cand)
            return iafq_error_set(err, IAFQ_ERR_IO, "the path '%s' is too long",
                                  dir);
        int exists;
        char buf[96];
        const char *why = home_refusal(cand, &exists, buf, sizeof buf);
        if (exists && !why) {
            found = 1;
            break;
        }
        if (why && first) { /* said below unless it becomes the new home */
            snprintf(here, sizeof here, "%s", cand);
            snprintf(why_here, sizeof why_here, "%s", why);
        } else if (why && warn) {
            home_warn_skipped(cand, why);
        }
        char *slash = strrchr(dir, '/');
        if (!slash || !strcmp(dir, "/"))
            break;
        if (slash == dir) {
            dir[1] = '\0'; /* up to the root */
        } else {
            *slash = '\0';
        }
    }
    const char *env = getenv("IAFQ_HOME");
    const char *pick;
    if (found) {
        *rule = HOME_FOUND;
        pick = cand;
    } else if (env && *env) {
        *rule = HOME_IAFQ_HOME;
        pick = env;
    } else {
        *rule = HOME_NEW;
        pick = NULL;
    }
    if (warn && here[0] && *rule != HOME_NEW)
        home_warn_skipped(here, why_here);
    home_warned = 1;
    if (!pick) {
        if (home_cwd(dir, sizeof dir) != 0)
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "cannot name the current folder: %s",
                                  strerror(errno));
        if (snprintf(cand, sizeof cand, "%s/%s", strcmp(dir, "/") ? dir : "",
                     HOME_NAME) >= (int)sizeof cand)
            return iafq_error_set(err, IAFQ_ERR_IO, "the path '%s' is too long",
                                  dir);
        pick = cand;
    }
    if (snprintf(path, cap, "%s", pick) >= (int)cap)
        return iafq_error_set(err, IAFQ_ERR_IO, "the path '%s' is too long",
                              pick);
    return IAFQ_OK;
}
