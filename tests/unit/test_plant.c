/* Planted folders and links: another local user (`nobody`) prepares every
 * folder whose name it can work out before iafq runs -- the names older
 * iafq computed from the home (/var/tmp/iafq-HASH, /tmp/iafq-HASH), the
 * mkdtemp() templates themselves, a recorded folder that went away, the
 * `.iafq` home in a shared folder -- filled with symbolic links to files
 * iafq's user owns, and the server's user (`postgres`) swaps its own
 * server.log for a link or a hard link.  Each test then checks that iafq
 * wrote, created, chowned and truncated nothing outside its own folders:
 * canary files keep their bytes, size, times, owner and mode; files that
 * links point at are not created; planted folders keep their owner, mode
 * and entries.  As root (the cluster run as `postgres`) and as an
 * ordinary user (a dedicated one, `iafqtest`, made with useradd when
 * missing).
 *
 * Needs root (to act as the other users): without it, says so and passes.
 * main() forks: the child runs the tests; the parent then stops every
 * cluster they made and removes every folder, planted ones included. */
#include "cluster.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VICTIM "iafqtest"

static char _root[64], _bin[128];
static char _rootonly[128];    /* root's files: canaries, absent targets */
static char _home_priv[160];   /* root, home postgres cannot enter */
static char _home_deep[512];   /* root, socket outside the home */
static char _home_a[160];      /* root, plain home (postgres swaps) */
static char _home_fresh[160];  /* root, nothing made (db stop/status) */
static char _shared[160];      /* a folder everyone may write (1777) */
static char _victim_dir[160];  /* the ordinary user's own folder */
static char _home_victim[512]; /* the ordinary user's home (deep) */
static uid_t _nobody_uid, _victim_uid, _pg_uid;
static gid_t _nobody_gid, _victim_gid, _pg_gid;

/* ------------------------------------------------------------- helpers */

static uint64_t _fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The names iafq before this change derived from a home. */
static void _old_names(const char *home, char *var, char *tmp, size_t cap)
{
    unsigned long long h = (unsigned long long)_fnv1a(home);
    snprintf(var, cap, "/var/tmp/iafq-%016llx", h);
    snprintf(tmp, cap, "/tmp/iafq-%016llx", h);
}

static char *_slurp(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static void _sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Become uid/gid in a forked child (no return on failure). */
static void _drop(uid_t uid, gid_t gid)
{
    if (uid == 0)
        return;
    if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
        _exit(126);
}

/* Run fn(arg) as uid/gid in a forked child; its result (0 = success). */
static int _as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        _drop(uid, gid);
        umask(0);
        _exit(fn(arg) == 0 ? 0 : 1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run iafq as uid/gid in cwd with IAFQ_HOME = home (unset when NULL);
 * stdout and stderr into malloc'd strings (may be NULL). */
static int _iafq(uid_t uid, gid_t gid, const char *home, const char *cwd,
                 const char *a1, const char *a2, char **out, char **err)
{
    char outp[128], errp[128];
    snprintf(outp, sizeof outp, "%s/stdout", _root);
    snprintf(errp, sizeof errp, "%s/stderr", _root);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int in = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || in < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 ||
            dup2(in, 0) < 0)
            _exit(126);
        if (home)
            setenv("IAFQ_HOME", home, 1);
        else
            unsetenv("IAFQ_HOME");
        unsetenv("IAFQ_DB");
        /* no .iafq above the test's folders takes part */
        setenv("IAFQ_CEILING_DIRECTORIES", _root, 1);
        if (chdir(cwd ? cwd : "/") != 0)
            _exit(126);
        _drop(uid, gid);
        execl(_bin, _bin, "-v", a1, a2, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    char *o = _slurp(outp, 1 << 16), *e = _slurp(errp, 1 << 16);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* iafq as root or the victim, expecting exit status want; on a mismatch
 * its stderr is shown. */
static int _iafq_expect(uid_t uid, gid_t gid, const char *home, const char *cwd,
                        const char *a1, const char *a2, int want,
                        char **err_out)
{
    char *err = NULL;
    int rc = _iafq(uid, gid, home, cwd, a1, a2, NULL, &err);
    if (rc != want)
        fprintf(stderr, "\n  iafq %s %s: status %d, not %d: %s\n", a1, a2, rc,
                want, err ? err : "");
    if (err_out)
        *err_out = err;
    else
        free(err);
    return rc;
}

/* `iafq db CMD` whatever its status; its stderr (malloc'd). */
static char *_iafq_run_quiet(uid_t uid, gid_t gid, const char *home,
                             const char *cwd, const char *cmd)
{
    char *err = NULL;
    _iafq(uid, gid, home, cwd, "db", cmd, NULL, &err);
    return err;
}

/* A file whose every property is compared before and after. */
typedef struct {
    char path[256];
    struct stat st;
    char *bytes;
} canary;

static void _canary_make(canary *c, const char *dir, const char *name,
                         uid_t uid, gid_t gid)
{
    snprintf(c->path, sizeof c->path, "%s/%s", dir, name);
    FILE *f = fopen(c->path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "precious %s: not to be written by iafq\n", name);
    CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
    CU_ASSERT_EQUAL_FATAL(chown(c->path, uid, gid), 0);
    CU_ASSERT_EQUAL_FATAL(chmod(c->path, 0644), 0);
    CU_ASSERT_EQUAL_FATAL(lstat(c->path, &c->st), 0);
    c->bytes = _slurp(c->path, 4096);
}

/* 1 when nothing about the canary changed. */
static int _canary_same(const canary *c)
{
    struct stat st;
    char *now = _slurp(c->path, 4096);
    int same = lstat(c->path, &st) == 0 && now && c->bytes &&
               !strcmp(now, c->bytes) && st.st_size == c->st.st_size &&
               st.st_uid == c->st.st_uid && st.st_gid == c->st.st_gid &&
               st.st_mode == c->st.st_mode && st.st_nlink == c->st.st_nlink &&
               st.st_ino == c->st.st_ino &&
               st.st_mtim.tv_sec == c->st.st_mtim.tv_sec &&
               st.st_mtim.tv_nsec == c->st.st_mtim.tv_nsec &&
               st.st_ctim.tv_sec == c->st.st_ctim.tv_sec &&
               st.st_ctim.tv_nsec == c->st.st_ctim.tv_nsec;
    if (!same)
        fprintf(stderr, "\n  canary '%s' changed\n", c->path);
    free(now);
    return same;
}

static void _canary_free(canary *c)
{
    free(c->bytes);
    c->bytes = NULL;
}

/* A folder planted by `nobody`: mode 0777 (anyone may write), and in it
 * links to the canaries and to files that must not come to exist. */
#define PLANT_MAX 12
typedef struct {
    char dir[600];
    const char *names[PLANT_MAX];
    const char *targets[PLANT_MAX];
    size_t n;
    int mkdata; /* also data/PG_VERSION and data/postmaster.pid = pid */
    long pid;
} plant;

static int _plant_fn(void *arg)
{
    const plant *p = arg;
    if (mkdir(p->dir, 0777) != 0)
        return -1;
    char path[800];
    for (size_t i = 0; i < p->n; i++) {
        snprintf(path, sizeof path, "%s/%s", p->dir, p->names[i]);
        if (symlink(p->targets[i], path) != 0)
            return -1;
    }
    if (p->mkdata) {
        snprintf(path, sizeof path, "%s/data", p->dir);
        if (mkdir(path, 0777) != 0)
            return -1;
        snprintf(path, sizeof path, "%s/data/PG_VERSION", p->dir);
        FILE *f = fopen(path, "w");
        if (!f || fprintf(f, "15\n") < 0 || fclose(f) != 0)
            return -1;
        snprintf(path, sizeof path, "%s/data/postmaster.pid", p->dir);
        f = fopen(path, "w");
        if (!f || fprintf(f, "%ld\n/x\n0\n5432\n/tmp\n\n0 0\n", p->pid) < 0 ||
            fclose(f) != 0)
            return -1;
    }
    return 0;
}

/* Plant as nobody; 0, or -1 when the name is taken by a folder this
 * test cannot remove (then the caller skips it, saying so). */
static int _plant(plant *p)
{
    struct stat st;
    if (lstat(p->dir, &st) == 0) {
        if (st.st_uid != _nobody_uid) {
            fprintf(stderr,
                    "\n  ('%s' exists, owned by uid %ld: not "
                    "planted) ",
                    p->dir, (long)st.st_uid);
            return -1;
        }
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", p->dir);
        if (system(cmd) != 0)
            return -1;
    }
    int rc = _as(_nobody_uid, _nobody_gid, _plant_fn, p);
    CU_ASSERT_EQUAL(rc, 0);
    return rc == 0 ? 0 : -1;
}

/* 1 when the planted folder is as nobody left it. */
static int _plant_same(const plant *p)
{
    struct stat st;
    if (lstat(p->dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != _nobody_uid || (st.st_mode & 07777) != 0777) {
        fprintf(stderr, "\n  planted '%s' changed (owner or mode)\n", p->dir);
        return 0;
    }
    for (size_t i = 0; i < p->n; i++) {
        char path[800], target[400];
        snprintf(path, sizeof path, "%s/%s", p->dir, p->names[i]);
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0 || lstat(path, &st) != 0 || st.st_uid != _nobody_uid) {
            fprintf(stderr, "\n  planted '%s' changed\n", path);
            return 0;
        }
        target[n] = '\0';
        if (strcmp(target, p->targets[i])) {
            fprintf(stderr, "\n  planted '%s' changed\n", path);
            return 0;
        }
    }
    return 1;
}

static void _unplant(const plant *p)
{
    struct stat st;
    if (lstat(p->dir, &st) == 0 && st.st_uid == _nobody_uid) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", p->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", p->dir);
    }
}

/* The usual links: logs and leftovers of the cluster folder, socket lock
 * files, each to a canary or to a path that must stay absent. */
static void _plant_links(plant *p, const canary *a, const canary *b,
                         const char *absent, const char *absent_dir)
{
    static const char *const names[] = {
        "initdb.log", "server.log",         "server.log.old", "data.new",
        "run",        ".s.PGSQL.5432.lock", ".s.PGSQL.5432",
    };
    const char *targets[] = {a->path,    b->path, absent, absent_dir,
                             absent_dir, a->path, b->path};
    p->n = sizeof names / sizeof names[0];
    for (size_t i = 0; i < p->n; i++) {
        p->names[i] = names[i];
        p->targets[i] = targets[i];
    }
}

static int _absent(const char *path)
{
    struct stat st;
    int gone = lstat(path, &st) != 0 && errno == ENOENT;
    if (!gone)
        fprintf(stderr, "\n  '%s' was created\n", path);
    return gone;
}

/* The target of the record link HOME/name, into out. */
static int _record(const char *home, const char *name, char *out, size_t cap)
{
    char link[600];
    snprintf(link, sizeof link, "%s/%s", home, name);
    ssize_t n = readlink(link, out, cap - 1);
    if (n <= 0)
        return -1;
    out[n] = '\0';
    return 0;
}

/* 1 when path is a real folder of uid with mode 0700. */
static int _private_dir(const char *path, uid_t uid)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid &&
           (st.st_mode & 0777) == 0700;
}

/* --------------------------------------------------------------- tests */

/* As root with a home `postgres` cannot enter: every name of the old
 * scheme and the templates are planted; iafq makes its own folder. */
static void test_root_relocated(void)
{
    canary a, b;
    _canary_make(&a, _rootonly, "relocated-a", 0, 0);
    _canary_make(&b, _rootonly, "relocated-b", 0, 0);
    char absent[200], absent_dir[200];
    snprintf(absent, sizeof absent, "%s/relocated-created", _rootonly);
    snprintf(absent_dir, sizeof absent_dir, "%s/relocated-dir", _rootonly);
    plant p[4];
    memset(p, 0, sizeof p);
    _old_names(_home_priv, p[0].dir, p[1].dir, sizeof p[0].dir);
    snprintf(p[2].dir, sizeof p[2].dir, "/var/tmp/iafq-XXXXXX");
    snprintf(p[3].dir, sizeof p[3].dir, "/tmp/iafq-XXXXXX");
    int planted[4];
    for (int i = 0; i < 4; i++) {
        _plant_links(&p[i], &a, &b, absent, absent_dir);
        planted[i] = _plant(&p[i]) == 0;
    }
    CU_ASSERT_TRUE(planted[0] && planted[1]);
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_priv, NULL, "db", "init", 0, NULL),
                    0);
    char folder[400];
    CU_ASSERT_EQUAL_FATAL(_record(_home_priv, "pg", folder, sizeof folder), 0);
    CU_ASSERT_EQUAL(strncmp(folder, "/var/tmp/iafq-", 14), 0);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_STRING_NOT_EQUAL(folder, p[i].dir);
        if (planted[i])
            CU_ASSERT_TRUE(_plant_same(&p[i]));
    }
    CU_ASSERT_TRUE(_private_dir(folder, _pg_uid));
    CU_ASSERT_TRUE(_canary_same(&a));
    CU_ASSERT_TRUE(_canary_same(&b));
    CU_ASSERT_TRUE(_absent(absent));
    CU_ASSERT_TRUE(_absent(absent_dir));
    /* the next run finds and uses the same folder */
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_priv, NULL, "db", "init", 0, NULL),
                    0);
    char again[400];
    CU_ASSERT_EQUAL(_record(_home_priv, "pg", again, sizeof again), 0);
    CU_ASSERT_STRING_EQUAL(again, folder);
    for (int i = 0; i < 4; i++)
        _unplant(&p[i]);
    _canary_free(&a);
    _canary_free(&b);
}

/* The recorded folder went away (a cleaner of /var/tmp) and `nobody` made
 * one at its name, which the server's command line shows to everyone:
 * refused, named, nothing in it touched; back in place, used again. */
static void test_root_recorded_folder_replaced(void)
{
    char folder[400], saved[420];
    CU_ASSERT_EQUAL_FATAL(_record(_home_priv, "pg", folder, sizeof folder), 0);
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_priv, NULL, "db", "stop", 0, NULL),
                    0);
    snprintf(saved, sizeof saved, "%s.saved", folder);
    CU_ASSERT_EQUAL_FATAL(rename(folder, saved), 0);
    canary a, b;
    _canary_make(&a, _rootonly, "replaced-a", 0, 0);
    _canary_make(&b, _rootonly, "replaced-b", 0, 0);
    char absent[200], absent_dir[200];
    snprintf(absent, sizeof absent, "%s/replaced-created", _rootonly);
    snprintf(absent_dir, sizeof absent_dir, "%s/replaced-dir", _rootonly);
    plant p;
    memset(&p, 0, sizeof p);
    snprintf(p.dir, sizeof p.dir, "%s", folder);
    _plant_links(&p, &a, &b, absent, absent_dir);
    CU_ASSERT_EQUAL_FATAL(_plant(&p), 0);
    char *err = NULL;
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_priv, NULL, "db", "init", 2, &err),
                    2);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, folder) &&
                           strstr(err, "is not iafq's"));
    free(err);
    CU_ASSERT_TRUE(_plant_same(&p));
    CU_ASSERT_TRUE(_canary_same(&a));
    CU_ASSERT_TRUE(_canary_same(&b));
    CU_ASSERT_TRUE(_absent(absent));
    CU_ASSERT_TRUE(_absent(absent_dir));
    /* nor does db stop (whatever it answers) */
    free(_iafq_run_quiet(0, 0, _home_priv, NULL, "stop"));
    CU_ASSERT_TRUE(_plant_same(&p));
    CU_ASSERT_TRUE(_canary_same(&a));
    _unplant(&p);
    CU_ASSERT_EQUAL_FATAL(rename(saved, folder), 0);
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_priv, NULL, "db", "init", 0, NULL),
                    0);
    _canary_free(&a);
    _canary_free(&b);
}

/* Before a home has a cluster, `db stop` and `db status` must not act on
 * the template's name: planted there, a postmaster.pid naming a running
 * server (this test's own) would have pg_ctl stop it. */
static void test_root_template_not_acted_on(void)
{
    cluster c;
    setenv("IAFQ_HOME", _home_priv, 1);
    CU_ASSERT_EQUAL_FATAL(cluster_locate(&c, NULL), IAFQ_OK);
    long victim = cluster_pid(&c);
    CU_ASSERT_TRUE_FATAL(victim > 0 && cluster_running(&c));
    plant p;
    memset(&p, 0, sizeof p);
    snprintf(p.dir, sizeof p.dir, "/var/tmp/iafq-XXXXXX");
    p.mkdata = 1;
    p.pid = victim;
    if (_plant(&p) != 0)
        return;
    char *out = NULL;
    CU_ASSERT_EQUAL(_iafq(0, 0, _home_fresh, NULL, "db", "stop", &out, NULL),
                    0);
    CU_ASSERT_STRING_EQUAL(out ? out : "", "not running\n");
    free(out);
    CU_ASSERT_EQUAL(_iafq(0, 0, _home_fresh, NULL, "db", "status", &out, NULL),
                    0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "server: not created"));
    free(out);
    CU_ASSERT_TRUE(cluster_running(&c));
    CU_ASSERT_EQUAL(cluster_pid(&c), victim);
    _unplant(&p);
}

/* As root with a deep home: the socket folder goes to /tmp.  The old
 * name is planted; then, after a "reboot" removed the real one, its own
 * recorded name: left alone, a new one is made. */
static void test_root_socket_folder(void)
{
    canary a, b;
    _canary_make(&a, _rootonly, "socket-a", 0, 0);
    _canary_make(&b, _rootonly, "socket-b", 0, 0);
    char absent[200], absent_dir[200];
    snprintf(absent, sizeof absent, "%s/socket-created", _rootonly);
    snprintf(absent_dir, sizeof absent_dir, "%s/socket-dir", _rootonly);
    plant old[2];
    memset(old, 0, sizeof old);
    _old_names(_home_deep, old[0].dir, old[1].dir, sizeof old[0].dir);
    for (int i = 0; i < 2; i++) {
        _plant_links(&old[i], &a, &b, absent, absent_dir);
        CU_ASSERT_EQUAL(_plant(&old[i]), 0);
    }
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_deep, NULL, "db", "init", 0, NULL),
                    0);
    char sock[400];
    CU_ASSERT_EQUAL_FATAL(_record(_home_deep, "socket", sock, sizeof sock), 0);
    CU_ASSERT_EQUAL(strncmp(sock, "/tmp/iafq-", 10), 0);
    CU_ASSERT_STRING_NOT_EQUAL(sock, old[1].dir);
    CU_ASSERT_TRUE(_private_dir(sock, _pg_uid));
    for (int i = 0; i < 2; i++)
        CU_ASSERT_TRUE(_plant_same(&old[i]));
    /* reboot: /tmp emptied; nobody takes the recorded name first */
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_deep, NULL, "db", "stop", 0, NULL),
                    0);
    char cmd[500];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", sock);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    plant p;
    memset(&p, 0, sizeof p);
    snprintf(p.dir, sizeof p.dir, "%s", sock);
    _plant_links(&p, &a, &b, absent, absent_dir);
    CU_ASSERT_EQUAL_FATAL(_plant(&p), 0);
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_deep, NULL, "db", "init", 0, NULL),
                    0);
    char sock2[400];
    CU_ASSERT_EQUAL(_record(_home_deep, "socket", sock2, sizeof sock2), 0);
    CU_ASSERT_STRING_NOT_EQUAL(sock2, sock);
    CU_ASSERT_TRUE(_private_dir(sock2, _pg_uid));
    CU_ASSERT_TRUE(_plant_same(&p));
    CU_ASSERT_TRUE(_canary_same(&a));
    CU_ASSERT_TRUE(_canary_same(&b));
    CU_ASSERT_TRUE(_absent(absent));
    CU_ASSERT_TRUE(_absent(absent_dir));
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_deep, NULL, "db", "stop", 0, NULL),
                    0);
    _unplant(&p);
    for (int i = 0; i < 2; i++)
        _unplant(&old[i]);
    _canary_free(&a);
    _canary_free(&b);
}

typedef struct {
    const char *log, *target;
    int hard;
} swap;

static int _swap_fn(void *arg)
{
    const swap *s = arg;
    if (unlink(s->log) != 0 && errno != ENOENT)
        return -1;
    return s->hard ? link(s->target, s->log) : symlink(s->target, s->log);
}

/* The server's user swaps its server.log (and initdb.log) for a link to a
 * file of root's between two starts: iafq opens the logs as that user
 * with O_NOFOLLOW, so it refuses to start rather than write through. */
static void test_postgres_swaps_log(void)
{
    CU_ASSERT_EQUAL_FATAL(
        _iafq_expect(0, 0, _home_a, NULL, "db", "init", 0, NULL), 0);
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_a, NULL, "db", "stop", 0, NULL),
                    0);
    canary a;
    _canary_make(&a, _rootonly, "swap-a", 0, 0);
    char log[300], ilog[300];
    snprintf(log, sizeof log, "%s/pg/server.log", _home_a);
    snprintf(ilog, sizeof ilog, "%s/pg/initdb.log", _home_a);
    struct stat st;
    CU_ASSERT_TRUE(lstat(log, &st) == 0 && S_ISREG(st.st_mode) &&
                   st.st_uid == _pg_uid);
    for (int hard = 0; hard < 2; hard++) {
        swap s = {log, a.path, hard};
        swap si = {ilog, a.path, hard};
        if (_as(_pg_uid, _pg_gid, _swap_fn, &s) != 0 ||
            _as(_pg_uid, _pg_gid, _swap_fn, &si) != 0) {
            /* fs.protected_hardlinks forbids the hard link: nothing to
             * test for it */
            CU_ASSERT_EQUAL(hard, 1);
            fprintf(stderr, "\n  (hard link refused by the kernel: skipped) ");
            break;
        }
        char *err = NULL;
        CU_ASSERT_EQUAL(
            _iafq_expect(0, 0, _home_a, NULL, "db", "init", 2, &err), 2);
        CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "cannot open the log"));
        free(err);
        CU_ASSERT_TRUE(_canary_same(&a));
    }
    unlink(log);
    unlink(ilog);
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_a, NULL, "db", "init", 0, NULL),
                    0);
    CU_ASSERT_TRUE(lstat(log, &st) == 0 && S_ISREG(st.st_mode) &&
                   st.st_uid == _pg_uid && st.st_size > 0);
    CU_ASSERT_TRUE(_canary_same(&a));
    CU_ASSERT_EQUAL(_iafq_expect(0, 0, _home_a, NULL, "db", "stop", 0, NULL),
                    0);
    _canary_free(&a);
}

/* `.iafq` in a folder everyone may write (run from /tmp, say), made first
 * by nobody: refused, as root and as an ordinary user. */
static void test_planted_home(void)
{
    canary a, b, v;
    _canary_make(&a, _rootonly, "home-a", 0, 0);
    _canary_make(&b, _rootonly, "home-b", 0, 0);
    _canary_make(&v, _victim_dir, "home-v", _victim_uid, _victim_gid);
    char absent[200], absent_dir[200];
    snprintf(absent, sizeof absent, "%s/home-created", _rootonly);
    snprintf(absent_dir, sizeof absent_dir, "%s/home-dir", _rootonly);
    plant h, pg;
    memset(&h, 0, sizeof h);
    memset(&pg, 0, sizeof pg);
    snprintf(h.dir, sizeof h.dir, "%s/.iafq", _shared);
    h.names[0] = "cluster.lock";
    h.targets[0] = a.path;
    h.names[1] = "pg";
    snprintf(pg.dir, sizeof pg.dir, "%s/pgplanted", _shared);
    h.targets[1] = pg.dir;
    h.names[2] = "socket";
    h.targets[2] = pg.dir;
    h.n = 3;
    _plant_links(&pg, &b, &v, absent, absent_dir);
    CU_ASSERT_EQUAL_FATAL(_plant(&pg), 0);
    CU_ASSERT_EQUAL_FATAL(_plant(&h), 0);
    uid_t uids[2] = {0, _victim_uid};
    gid_t gids[2] = {0, _victim_gid};
    for (int i = 0; i < 2; i++) {
        char *err = NULL;
        CU_ASSERT_EQUAL(_iafq_expect(uids[i], gids[i], NULL, _shared, "db",
                                     "init", 2, &err),
                        2);
        CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "belongs to another user"));
        free(err);
        free(_iafq_run_quiet(uids[i], gids[i], NULL, _shared, "stop"));
    }
    CU_ASSERT_TRUE(_plant_same(&h));
    CU_ASSERT_TRUE(_plant_same(&pg));
    CU_ASSERT_TRUE(_canary_same(&a));
    CU_ASSERT_TRUE(_canary_same(&b));
    CU_ASSERT_TRUE(_canary_same(&v));
    CU_ASSERT_TRUE(_absent(absent));
    CU_ASSERT_TRUE(_absent(absent_dir));
    _unplant(&h);
    _unplant(&pg);
    _canary_free(&a);
    _canary_free(&b);
    _canary_free(&v);
}

/* An ordinary user with a deep home (socket outside it): the old names
 * planted with links to that user's files. */
static void test_ordinary_user(void)
{
    canary v, w;
    _canary_make(&v, _victim_dir, "user-v", _victim_uid, _victim_gid);
    _canary_make(&w, _victim_dir, "user-w", _victim_uid, _victim_gid);
    char absent[200], absent_dir[200];
    snprintf(absent, sizeof absent, "%s/user-created", _victim_dir);
    snprintf(absent_dir, sizeof absent_dir, "%s/user-dir", _victim_dir);
    plant old[2];
    memset(old, 0, sizeof old);
    _old_names(_home_victim, old[0].dir, old[1].dir, sizeof old[0].dir);
    for (int i = 0; i < 2; i++) {
        _plant_links(&old[i], &v, &w, absent, absent_dir);
        CU_ASSERT_EQUAL(_plant(&old[i]), 0);
    }
    CU_ASSERT_EQUAL(_iafq_expect(_victim_uid, _victim_gid, _home_victim, NULL,
                                 "db", "init", 0, NULL),
                    0);
    char sock[400];
    CU_ASSERT_EQUAL(_record(_home_victim, "socket", sock, sizeof sock), 0);
    CU_ASSERT_TRUE(_private_dir(sock, _victim_uid));
    CU_ASSERT_STRING_NOT_EQUAL(sock, old[1].dir);
    char *out = NULL;
    CU_ASSERT_EQUAL(_iafq(_victim_uid, _victim_gid, _home_victim, NULL, "db",
                          "status", &out, NULL),
                    0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "server: running"));
    free(out);
    CU_ASSERT_EQUAL(_iafq_expect(_victim_uid, _victim_gid, _home_victim, NULL,
                                 "db", "stop", 0, NULL),
                    0);
    for (int i = 0; i < 2; i++)
        CU_ASSERT_TRUE(_plant_same(&old[i]));
    CU_ASSERT_TRUE(_canary_same(&v));
    CU_ASSERT_TRUE(_canary_same(&w));
    CU_ASSERT_TRUE(_absent(absent));
    CU_ASSERT_TRUE(_absent(absent_dir));
    for (int i = 0; i < 2; i++)
        _unplant(&old[i]);
    _canary_free(&v);
    _canary_free(&w);
}

/* ------------------------------------------------------------- cleanup */

static int _rm_entry(const char *path, const struct stat *sb, int flag,
                     struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void _rm_rf(const char *path)
{
    nftw(path, _rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

typedef struct {
    const char *home;
} stop_arg;

static int _stop_fn(void *arg)
{
    const stop_arg *s = arg;
    setenv("IAFQ_HOME", s->home, 1);
    cluster c;
    if (cluster_locate(&c, NULL) != IAFQ_OK)
        return -1;
    if (cluster_stop(&c, NULL, NULL) != IAFQ_OK) {
        long pid = cluster_pid(&c);
        if (pid > 0)
            kill((pid_t)pid, SIGQUIT);
    }
    return 0;
}

/* Stop the home's cluster as its user; remove its folders outside. */
static void _teardown_home(const char *home, uid_t uid, gid_t gid)
{
    stop_arg s = {home};
    _as(uid, gid, _stop_fn, &s);
    static const char *const links[] = {"pg", "socket"};
    for (int i = 0; i < 2; i++) {
        char target[400], saved[420];
        if (_record(home, links[i], target, sizeof target) != 0)
            continue;
        if (!strncmp(target, "/var/tmp/iafq-", 14) ||
            !strncmp(target, "/tmp/iafq-", 10)) {
            _rm_rf(target);
            snprintf(saved, sizeof saved, "%s.saved", target);
            _rm_rf(saved);
        }
    }
}

/* The user the ordinary-user tests run iafq as, made when missing. */
static int _victim_user(void)
{
    struct passwd *pw = getpwnam(VICTIM);
    if (!pw) {
        /* a failure may be a concurrent run making it: look again */
        int rc = system("useradd --system --no-create-home --shell "
                        "/usr/sbin/nologin " VICTIM " >/dev/null 2>&1");
        pw = getpwnam(VICTIM);
        if (!pw)
            fprintf(stderr, "plant: useradd " VICTIM ": status %d\n", rc);
    }
    if (!pw)
        return -1;
    _victim_uid = pw->pw_uid;
    _victim_gid = pw->pw_gid;
    return 0;
}

static const tu_test plant_tests[] = {
    {"root, home postgres cannot enter: old names and templates planted",
     test_root_relocated},
    {"root: recorded folder replaced by another user's: refused",
     test_root_recorded_folder_replaced},
    {"root: db stop/status before any cluster ignore a planted template",
     test_root_template_not_acted_on},
    {"root, deep home: socket folder names planted", test_root_socket_folder},
    {"postgres swaps server.log for a link: not written through",
     test_postgres_swaps_log},
    {"planted .iafq in a shared folder: refused (root and user)",
     test_planted_home},
    {"ordinary user, deep home: old names planted", test_ordinary_user},
    {NULL, NULL}};
static const tu_suite suites[] = {{"planted folders", plant_tests},
                                  {NULL, NULL}};

int main(void)
{
    if (geteuid() != 0) {
        printf("plant: skipped (acting as other local users needs root)\n");
        return 0;
    }
    /* getpwnam() answers in one static struct: copy at once */
    struct passwd *pw = getpwnam("nobody");
    if (pw) {
        _nobody_uid = pw->pw_uid;
        _nobody_gid = pw->pw_gid;
    }
    struct passwd *pg = getpwnam("postgres");
    if (pg) {
        _pg_uid = pg->pw_uid;
        _pg_gid = pg->pw_gid;
    }
    if (!pw || !pg || _victim_user() != 0) {
        fprintf(stderr,
                "plant: no 'nobody', 'postgres' or '" VICTIM "' user\n");
        return 3;
    }
    snprintf(_root, sizeof _root, "/tmp/iafq-pt-XXXXXX");
    if (!mkdtemp(_root) || chmod(_root, 0755) != 0) {
        perror("mkdtemp");
        return 3;
    }
    /* the binary, where every user may run it */
    const char *bin = getenv("IAFQ_BIN") ? getenv("IAFQ_BIN") : "build/iafq";
    snprintf(_bin, sizeof _bin, "%s/iafq", _root);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod 0755 '%s'", bin, _bin,
             _bin);
    snprintf(_rootonly, sizeof _rootonly, "%s/rootonly", _root);
    snprintf(_home_priv, sizeof _home_priv, "%s/priv/home", _root);
    snprintf(_home_a, sizeof _home_a, "%s/a", _root);
    snprintf(_home_fresh, sizeof _home_fresh, "%s/priv/fresh", _root);
    snprintf(_shared, sizeof _shared, "%s/shared", _root);
    snprintf(_victim_dir, sizeof _victim_dir, "%s/victim", _root);
    int n = snprintf(_home_deep, sizeof _home_deep, "%s/deep", _root);
    for (int i = 0; n < 120; i++)
        n += snprintf(_home_deep + n, sizeof _home_deep - (size_t)n,
                      "/a-rather-long-folder-name-%d", i);
    n = snprintf(_home_victim, sizeof _home_victim, "%s/home", _victim_dir);
    for (int i = 0; n < 120; i++)
        n += snprintf(_home_victim + n, sizeof _home_victim - (size_t)n,
                      "/a-rather-long-folder-name-%d", i);
    char priv[200];
    snprintf(priv, sizeof priv, "%s/priv", _root);
    if (system(cmd) != 0 || mkdir(_rootonly, 0755) != 0 ||
        mkdir(priv, 0700) != 0 || mkdir(_shared, 0777) != 0 ||
        chmod(_shared, 01777) != 0 || mkdir(_victim_dir, 0700) != 0 ||
        chown(_victim_dir, _victim_uid, _victim_gid) != 0) {
        perror("setup");
        _rm_rf(_root);
        return 3;
    }
    unsetenv("IAFQ_DB");
    /* the in-process cluster_locate() calls too: from the test's own folder,
     * no .iafq of the checkout (a demo's) taking part */
    setenv("IAFQ_CEILING_DIRECTORIES", _root, 1);
    setenv("PWD", _root, 1);
    if (chdir(_root) != 0) {
        perror("chdir");
        _rm_rf(_root);
        return 3;
    }
    fflush(NULL);
    pid_t kid = fork();
    if (kid < 0)
        return 3;
    if (kid == 0)
        exit(tu_run("plant", suites));
    int st = 0;
    while (waitpid(kid, &st, 0) < 0 && errno == EINTR)
        ;
    _teardown_home(_home_priv, 0, 0);
    _teardown_home(_home_deep, 0, 0);
    _teardown_home(_home_a, 0, 0);
    _teardown_home(_home_fresh, 0, 0);
    _teardown_home(_home_victim, _victim_uid, _victim_gid);
    _sleep_ms(0);
    _rm_rf(_root);
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "plant tests: killed by signal %d\n", WTERMSIG(st));
        return 3;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
}
