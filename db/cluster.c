#include "cluster.h"

#include "sqlfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <libpq-fe.h>
#include <limits.h> /* PATH_MAX */
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define _PG15_BINDIR "/usr/lib/postgresql/15/bin"
#define _SERVER_USER "postgres"
/* Longest socket folder: sun_path is 108 bytes and the server adds
 * "/.s.PGSQL.NNNNN.lock". */
#define _SOCKDIR_MAX 80
/* Waits are counted in polls of _POLL_MS, never compared with a clock. */
#define _POLL_MS 100
#define _START_POLLS 600 /* a server that has not answered after ~60 s */
#define _START_ATTEMPTS 5
#define _LOG_ROTATE_BYTES (16L << 20)

static void _sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

__attribute__((noinline)) static int _join(char *buf, size_t cap, const char *a,
                                           const char *b)
{
    int n = snprintf(buf, cap, "%s/%s", a, b);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

/* ------------------------------------------------------------ locating */

static uint64_t _fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* Absolute form of path without requiring it to exist: realpath of the
 * path, else of its parent plus the last component, else cwd + path. */
static int _abspath(const char *path, char *out, size_t cap)
{
    char tmp[PATH_MAX];
    if (realpath(path, tmp))
        return snprintf(out, cap, "%s", tmp) >= (int)cap ? -1 : 0;
    char parent[CLUSTER_PATH_MAX];
    if (snprintf(parent, sizeof parent, "%s", path) >= (int)sizeof parent)
        return -1;
    size_t len = strlen(parent);
    while (len > 1 && parent[len - 1] == '/')
        parent[--len] = '\0';
    char *slash = strrchr(parent, '/');
    const char *last = slash ? slash + 1 : parent;
    if (slash == parent) {
        return snprintf(out, cap, "/%s", last) >= (int)cap ? -1 : 0;
    } else if (slash) {
        *slash = '\0';
        if (realpath(parent, tmp))
            return snprintf(out, cap, "%s/%s", tmp, last) >= (int)cap ? -1 : 0;
        *slash = '/';
    }
    if (parent[0] == '/')
        return snprintf(out, cap, "%s", parent) >= (int)cap ? -1 : 0;
    if (!getcwd(tmp, sizeof tmp))
        return -1;
    return snprintf(out, cap, "%s/%s", tmp, parent) >= (int)cap ? -1 : 0;
}

static int _is_exec(const char *dir, const char *prog)
{
    char p[CLUSTER_PATH_MAX];
    return _join(p, sizeof p, dir, prog) == 0 && access(p, X_OK) == 0;
}

/* $IAFQ_PG_BINDIR, the Debian PostgreSQL 15 folder, or `pg_config
 * --bindir`, whichever first holds initdb and postgres. */
static int _find_bindir(char *out, size_t cap)
{
    const char *env = getenv("IAFQ_PG_BINDIR");
    if (env && *env && _is_exec(env, "postgres") && _is_exec(env, "initdb"))
        return snprintf(out, cap, "%s", env) >= (int)cap ? -1 : 0;
    if (_is_exec(_PG15_BINDIR, "postgres") && _is_exec(_PG15_BINDIR, "initdb"))
        return snprintf(out, cap, "%s", _PG15_BINDIR) >= (int)cap ? -1 : 0;
    FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
    if (!p)
        return -1;
    char line[CLUSTER_PATH_MAX] = "";
    char *got = fgets(line, sizeof line, p);
    pclose(p);
    if (!got)
        return -1;
    line[strcspn(line, "\r\n")] = '\0';
    if (!_is_exec(line, "postgres") || !_is_exec(line, "initdb"))
        return -1;
    return snprintf(out, cap, "%s", line) >= (int)cap ? -1 : 0;
}

/* In a forked child: become the server's user (no return on failure). */
static void _become(const cluster *c)
{
    if (!c->switch_user)
        return;
    if (initgroups(c->user, c->gid) != 0 || setgid(c->gid) != 0 ||
        setuid(c->uid) != 0)
        _exit(126);
}

/* 1 when the server's user can enter dir (tested as that user). */
static int _reachable(const cluster *c, const char *dir)
{
    if (!c->switch_user)
        return 1;
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        _become(c);
        _exit(access(dir, X_OK) == 0 ? 0 : 1);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return 0;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Characters the server's unix_socket_directories list takes unquoted. */
static int _plain_path(const char *p)
{
    for (; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789/._-+",
                    *p))
            return 0;
    return 1;
}

/* The nearest existing folder at or above path (the home may not exist
 * yet), into out. */
static void _existing_ancestor(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    struct stat st;
    while (stat(out, &st) != 0) {
        char *slash = strrchr(out, '/');
        if (!slash || slash == out) {
            snprintf(out, cap, "/");
            return;
        }
        *slash = '\0';
    }
}

/* Decide where the cluster's folder and socket are (see cluster.h).  An
 * existing HOME/pg (folder or link) settles it; otherwise the server's
 * user must be able to enter the home, or its nearest existing ancestor
 * when the home is still to be made. */
static iafq_err _place(cluster *c, iafq_error *err)
{
    char hash[17];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)_fnv1a(c->home));
    char link[CLUSTER_PATH_MAX];
    if (_join(link, sizeof link, c->home, "pg") != 0 ||
        _join(c->lockfile, sizeof c->lockfile, c->home, "cluster.lock") != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "the path '%s' is too long",
                              c->home);
    char probe[CLUSTER_PATH_MAX];
    _existing_ancestor(c->home, probe, sizeof probe);
    c->relocated = 0;
    struct stat st;
    if (lstat(link, &st) == 0 && S_ISLNK(st.st_mode)) {
        ssize_t n = readlink(link, c->folder, sizeof c->folder - 1);
        if (n <= 0)
            return iafq_error_set(err, IAFQ_ERR_IO, "cannot read the link '%s'",
                                  link);
        c->folder[n] = '\0';
        c->relocated = 1;
    } else if (lstat(link, &st) != 0 && !_reachable(c, probe)) {
        snprintf(c->folder, sizeof c->folder, "/var/tmp/iafq-%s", hash);
        c->relocated = 1;
    } else {
        snprintf(c->folder, sizeof c->folder, "%s", link);
    }
    if (_join(c->data, sizeof c->data, c->folder, "data") != 0 ||
        _join(c->log, sizeof c->log, c->folder, "server.log") != 0 ||
        _join(c->sockdir, sizeof c->sockdir, c->folder, "run") != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "the path '%s' is too long",
                              c->folder);
    if (strlen(c->sockdir) > _SOCKDIR_MAX || !_plain_path(c->sockdir))
        snprintf(c->sockdir, sizeof c->sockdir, "/tmp/iafq-%s", hash);
    return IAFQ_OK;
}

iafq_err cluster_locate(cluster *c, iafq_error *err)
{
    memset(c, 0, sizeof *c);
    c->port = 5432;
    const char *home = getenv("IAFQ_HOME");
    if (!home || !*home)
        home = ".iafq";
    if (_abspath(home, c->home, sizeof c->home) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot resolve the path '%s'",
                              home);
    if (_find_bindir(c->bindir, sizeof c->bindir) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO,
                              "PostgreSQL 15 server programs not found in "
                              "%s nor by pg_config --bindir",
                              _PG15_BINDIR);
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam(_SERVER_USER);
        if (!pw)
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "iafq runs as root and there is no '%s' "
                                  "user to run PostgreSQL",
                                  _SERVER_USER);
        c->switch_user = 1;
        c->uid = pw->pw_uid;
        c->gid = pw->pw_gid;
        snprintf(c->user, sizeof c->user, "%s", pw->pw_name);
    } else {
        struct passwd *pw = getpwuid(geteuid());
        if (!pw)
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "the user id %ld has no name",
                                  (long)geteuid());
        c->uid = pw->pw_uid;
        c->gid = pw->pw_gid;
        snprintf(c->user, sizeof c->user, "%s", pw->pw_name);
    }
    return _place(c, err);
}

/* ------------------------------------------------------------- helpers */

static int _append_quoted(char *buf, size_t cap, size_t *len, const char *key,
                          const char *val)
{
    int n = snprintf(buf + *len, cap - *len, "%s%s='", *len ? " " : "", key);
    if (n < 0 || (size_t)n >= cap - *len)
        return -1;
    *len += (size_t)n;
    for (; *val; val++) {
        if (*len + 3 >= cap)
            return -1;
        if (*val == '\'' || *val == '\\')
            buf[(*len)++] = '\\';
        buf[(*len)++] = *val;
    }
    if (*len + 2 > cap)
        return -1;
    buf[(*len)++] = '\'';
    buf[*len] = '\0';
    return 0;
}

int cluster_conninfo(const cluster *c, const char *dbname, char *buf,
                     size_t cap)
{
    char port[16];
    snprintf(port, sizeof port, "%d", c->port);
    size_t len = 0;
    if (!cap)
        return -1;
    buf[0] = '\0';
    if (_append_quoted(buf, cap, &len, "host", c->sockdir) ||
        _append_quoted(buf, cap, &len, "port", port) ||
        _append_quoted(buf, cap, &len, "dbname", dbname) ||
        _append_quoted(buf, cap, &len, "user", c->user))
        return -1;
    return 0;
}

int cluster_exists(const cluster *c)
{
    char p[CLUSTER_PATH_MAX];
    return _join(p, sizeof p, c->data, "PG_VERSION") == 0 &&
           access(p, F_OK) == 0;
}

static PGPing _ping(const cluster *c)
{
    char ci[3 * CLUSTER_PATH_MAX];
    if (cluster_conninfo(c, "postgres", ci, sizeof ci) != 0)
        return PQPING_NO_ATTEMPT;
    return PQping(ci);
}

int cluster_running(const cluster *c)
{
    return _ping(c) == PQPING_OK;
}

/* The lines of data/postmaster.pid: 1 pid, 6 "shmem-key shmid". */
static long _pidfile(const cluster *c, int *shmid)
{
    char p[CLUSTER_PATH_MAX];
    if (shmid)
        *shmid = -1;
    if (_join(p, sizeof p, c->data, "postmaster.pid") != 0)
        return 0;
    FILE *f = fopen(p, "r");
    if (!f)
        return 0;
    char line[256];
    long pid = 0;
    for (int n = 1; fgets(line, sizeof line, f); n++) {
        if (n == 1)
            pid = strtol(line, NULL, 10);
        else if (n == 6 && shmid) {
            unsigned long key;
            int id;
            if (sscanf(line, "%lu %d", &key, &id) == 2)
                *shmid = id;
        }
    }
    fclose(f);
    return pid > 0 ? pid : 0;
}

long cluster_pid(const cluster *c)
{
    return _pidfile(c, NULL);
}

/* 1 when pid is a live (not zombie) process named postgres. */
static int _live_postgres(long pid)
{
    char p[64], buf[512];
    snprintf(p, sizeof p, "/proc/%ld/stat", pid);
    FILE *f = fopen(p, "r");
    if (!f)
        return kill((pid_t)pid, 0) == 0 || errno == EPERM;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    if (!open || !close || close < open || close[1] != ' ')
        return 1; /* unreadable: assume it is alive, to be safe */
    if (close[2] == 'Z' || close[2] == 'X')
        return 0;
    *close = '\0';
    return !strcmp(open + 1, "postgres") || !strcmp(open + 1, "postmaster");
}

typedef enum { _STALE_NONE, _STALE_CLEARED, _STALE_BUSY } _stale;

/* What a killed server leaves: postmaster.pid naming a dead (or zombie, or
 * reused) process, and the socket's lock file.  They are removed only when
 * no process is attached to the old shared memory any more (the server's
 * own interlock).  _STALE_BUSY: a live server or its orphans still hold it. */
static _stale _clear_stale(const cluster *c)
{
    int shmid;
    long pid = _pidfile(c, &shmid);
    if (!pid)
        return _STALE_NONE;
    if (_live_postgres(pid))
        return _STALE_BUSY;
    if (shmid >= 0) {
        struct shmid_ds ds;
        if (shmctl(shmid, IPC_STAT, &ds) == 0 && ds.shm_nattch > 0)
            return _STALE_BUSY;
    }
    char p[CLUSTER_PATH_MAX];
    if (_join(p, sizeof p, c->data, "postmaster.pid") == 0)
        unlink(p);
    if (snprintf(p, sizeof p, "%s/.s.PGSQL.%d.lock", c->sockdir, c->port) <
        (int)sizeof p)
        unlink(p);
    if (snprintf(p, sizeof p, "%s/.s.PGSQL.%d", c->sockdir, c->port) <
        (int)sizeof p)
        unlink(p);
    return _STALE_CLEARED;
}

/* Fork a server program as the server's user with stdout and stderr on
 * logfd (or /dev/null when -1).  detach: in its own session, so that a
 * Ctrl-C at the terminal does not reach it.  Returns the pid or -1. */
static pid_t _spawn(const cluster *c, char *const argv[], int logfd, int detach)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (detach)
        setsid();
    int null = open("/dev/null", O_RDWR);
    if (null < 0)
        _exit(127);
    int out = logfd >= 0 ? logfd : null;
    if (dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(127);
    long maxfd = sysconf(_SC_OPEN_MAX);
    for (long fd = 3; fd < (maxfd > 0 && maxfd < 65536 ? maxfd : 1024); fd++)
        close((int)fd);
    umask(077);
    if (chdir("/") != 0)
        _exit(127);
    _become(c);
    signal(SIGPIPE, SIG_DFL);
    execv(argv[0], argv);
    _exit(127);
}

/* Run a server program to completion; its exit status, or -1. */
static int _run(const cluster *c, char *const argv[], int logfd)
{
    pid_t pid = _spawn(c, argv, logfd, 0);
    if (pid < 0)
        return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The last line of a log file that looks like an error, for messages. */
__attribute__((noinline)) static void _log_tail(const char *path, char *out,
                                                size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fseek(f, -8192, SEEK_END) != 0)
        rewind(f);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strstr(line, "FATAL") || strstr(line, "ERROR") ||
            strstr(line, "error") || strstr(line, "PANIC")) {
            if (snprintf(out, cap, "%s", line) >= (int)cap)
                out[cap - 1] = '\0'; /* a shortened line is fine */
        }
    }
    fclose(f);
}

static int _open_log(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size > _LOG_ROTATE_BYTES) {
        char old[CLUSTER_PATH_MAX + 8];
        snprintf(old, sizeof old, "%s.old", path);
        rename(path, old);
    }
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* A folder owned by the server's user, mode 0700, created if missing; an
 * existing one must be a real folder of that user (not a planted link). */
static iafq_err _own_dir(const cluster *c, const char *dir, iafq_error *err)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot create '%s': %s", dir,
                              strerror(errno));
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return iafq_error_set(err, IAFQ_ERR_IO, "'%s' is not a folder", dir);
    if (st.st_uid != c->uid) {
        if (!c->switch_user || chown(dir, c->uid, c->gid) != 0)
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "'%s' belongs to another user (uid %ld, "
                                  "not %s)",
                                  dir, (long)st.st_uid, c->user);
    }
    if ((st.st_mode & 0077) && chmod(dir, 0700) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot chmod '%s': %s", dir,
                              strerror(errno));
    return IAFQ_OK;
}

static int _mkdir_p(const char *path)
{
    char tmp[CLUSTER_PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return (mkdir(tmp, 0755) != 0 && errno != EEXIST) ? -1 : 0;
}

static int _rm_entry(const char *path, const struct stat *sb, int flag,
                     struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

static void _rm_rf(const char *path)
{
    nftw(path, _rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* --------------------------------------------------------------- steps */

static iafq_err _prepare(const cluster *c, iafq_error *err)
{
    iafq_err rc = _own_dir(c, c->folder, err);
    if (rc)
        return rc;
    if (c->relocated) {
        char link[CLUSTER_PATH_MAX];
        _join(link, sizeof link, c->home, "pg");
        struct stat st;
        if (lstat(link, &st) != 0 && symlink(c->folder, link) != 0)
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "cannot link '%s' to '%s': %s", link,
                                  c->folder, strerror(errno));
    }
    return _own_dir(c, c->sockdir, err);
}

static iafq_err _initdb(const cluster *c, iafq_error *err)
{
    char fresh[CLUSTER_PATH_MAX], ilog[CLUSTER_PATH_MAX],
        prog[CLUSTER_PATH_MAX];
    if (_join(fresh, sizeof fresh, c->folder, "data.new") ||
        _join(ilog, sizeof ilog, c->folder, "initdb.log") ||
        _join(prog, sizeof prog, c->bindir, "initdb"))
        return iafq_error_set(err, IAFQ_ERR_IO, "path too long");
    _rm_rf(fresh); /* what an interrupted initdb left */
    int logfd = open(ilog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    char *argv[] = {prog,
                    "-D",
                    fresh,
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--auth-local=trust",
                    "--auth-host=reject",
                    "--no-instructions",
                    NULL};
    int st = _run(c, argv, logfd);
    if (logfd >= 0)
        close(logfd);
    if (st != 0) {
        char tail[512];
        _log_tail(ilog, tail, sizeof tail);
        _rm_rf(fresh);
        return iafq_error_set(err, IAFQ_ERR_DB,
                              "initdb failed (status %d), see '%s': %s", st,
                              ilog, tail);
    }
    if (rename(fresh, c->data) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot rename '%s': %s", fresh,
                              strerror(errno));
    return IAFQ_OK;
}

/* Start the server and wait until it answers.  1 done, 0 it exited early
 * (retry), -1 it did not answer (err set). */
static int _start_once(const cluster *c, iafq_error *err)
{
    char prog[CLUSTER_PATH_MAX], sock[CLUSTER_PATH_MAX + 40], port[16];
    _join(prog, sizeof prog, c->bindir, "postgres");
    snprintf(sock, sizeof sock, "unix_socket_directories=%s", c->sockdir);
    snprintf(port, sizeof port, "%d", c->port);
    char data[CLUSTER_PATH_MAX];
    snprintf(data, sizeof data, "%s", c->data);
    char *argv[] = {prog,
                    "-D",
                    data,
                    "-p",
                    port,
                    "-c",
                    "listen_addresses=",
                    "-c",
                    sock,
                    "-c",
                    "unix_socket_permissions=0700",
                    "-c",
                    "logging_collector=off",
                    NULL};
    int logfd = _open_log(c->log);
    pid_t pid = _spawn(c, argv, logfd, 1);
    if (logfd >= 0)
        close(logfd);
    if (pid < 0) {
        iafq_error_set(err, IAFQ_ERR_IO, "cannot start postgres: %s",
                       strerror(errno));
        return -1;
    }
    for (int i = 0; i < _START_POLLS; i++) {
        if (_ping(c) == PQPING_OK)
            return 1;
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            char tail[400];
            _log_tail(c->log, tail, sizeof tail);
            iafq_error_set(err, IAFQ_ERR_DB,
                           "postgres exited at start, see '%s': %s", c->log,
                           tail);
            return 0;
        }
        _sleep_ms(_POLL_MS);
    }
    iafq_error_set(err, IAFQ_ERR_DB,
                   "postgres (pid %ld) does not answer on '%s', see '%s'",
                   (long)pid, c->sockdir, c->log);
    return -1;
}

static iafq_err _start(const cluster *c, iafq_error *err)
{
    for (int attempt = 0; attempt < _START_ATTEMPTS; attempt++) {
        /* A server that is starting, recovering or shutting down: wait for
         * it to answer or to go; a crashed one: clear what it left. */
        for (int i = 0; i < _START_POLLS; i++) {
            if (_ping(c) == PQPING_OK)
                return IAFQ_OK;
            if (_clear_stale(c) != _STALE_BUSY)
                break;
            _sleep_ms(_POLL_MS);
        }
        if (_ping(c) == PQPING_OK)
            return IAFQ_OK;
        if (_clear_stale(c) == _STALE_BUSY)
            return iafq_error_set(err, IAFQ_ERR_DB,
                                  "a postgres process (pid %ld) holds '%s' "
                                  "but does not answer",
                                  cluster_pid(c), c->data);
        int r = _start_once(c, err);
        if (r != 0)
            return r > 0 ? IAFQ_OK : err->code;
        _sleep_ms(_POLL_MS * (attempt + 1));
    }
    return err ? err->code : IAFQ_ERR_DB;
}

static iafq_err _ensure_database(const cluster *c, iafq_error *err)
{
    char ci[3 * CLUSTER_PATH_MAX];
    if (cluster_conninfo(c, CLUSTER_DBNAME, ci, sizeof ci) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "path too long");
    PGconn *conn = PQconnectdb(ci);
    int ok = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    if (ok)
        return IAFQ_OK;
    cluster_conninfo(c, "postgres", ci, sizeof ci);
    conn = PQconnectdb(ci);
    iafq_err rc = IAFQ_OK;
    if (PQstatus(conn) != CONNECTION_OK) {
        rc = iafq_error_set(err, IAFQ_ERR_DB, "%s", PQerrorMessage(conn));
        goto cleanup;
    }
    const char *sql = sqlfiles_get("meta/create_database.sql");
    if (!sql) {
        rc = iafq_error_set(err, IAFQ_ERR_INTERNAL,
                            "sql/meta/create_database.sql is not embedded");
        goto cleanup;
    }
    PGresult *res = PQexec(conn, sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (PQresultStatus(res) != PGRES_COMMAND_OK &&
        !(state && !strcmp(state, "42P04"))) /* duplicate_database */
        rc = iafq_error_set(err, IAFQ_ERR_DB,
                            "cannot create the database '%s': %s (SQLSTATE "
                            "%s)",
                            CLUSTER_DBNAME, PQresultErrorMessage(res),
                            state ? state : "none");
    PQclear(res);
cleanup:
    PQfinish(conn);
    return rc;
}

/* Hold HOME/cluster.lock: the fd, or -1 (err set). */
static int _lock(const cluster *c, iafq_error *err)
{
    if (_mkdir_p(c->home) != 0) {
        iafq_error_set(err, IAFQ_ERR_IO, "cannot create '%s': %s", c->home,
                       strerror(errno));
        return -1;
    }
    int fd = open(c->lockfile, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s': %s", c->lockfile,
                       strerror(errno));
        return -1;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        iafq_error_set(err, IAFQ_ERR_IO, "cannot lock '%s': %s", c->lockfile,
                       strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void _unlock(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}

iafq_err cluster_ensure(cluster *c, iafq_error *err)
{
    iafq_error local = {0};
    if (!err)
        err = &local;
    int fd = _lock(c, err);
    if (fd < 0)
        return err->code;
    /* The home exists now and no one else is deciding: decide for good,
     * from its real path (the hash names the /tmp and /var/tmp folders). */
    char real[CLUSTER_PATH_MAX];
    if (_abspath(c->home, real, sizeof real) == 0)
        memcpy(c->home, real, sizeof c->home);
    iafq_err rc = _place(c, err);
    if (!rc)
        rc = _prepare(c, err);
    if (!rc && !cluster_exists(c))
        rc = _initdb(c, err);
    if (!rc && _ping(c) != PQPING_OK)
        rc = _start(c, err);
    if (!rc)
        rc = _ensure_database(c, err);
    _unlock(fd);
    return rc;
}

iafq_err cluster_stop(const cluster *c, int *was_running, iafq_error *err)
{
    iafq_error local = {0};
    if (!err)
        err = &local;
    if (was_running)
        *was_running = 0;
    if (!cluster_exists(c))
        return IAFQ_OK;
    int fd = _lock(c, err);
    if (fd < 0)
        return err->code;
    iafq_err rc = IAFQ_OK;
    int shmid;
    long pid = _pidfile(c, &shmid);
    if (!pid || !_live_postgres(pid)) {
        _clear_stale(c);
        goto cleanup;
    }
    if (was_running)
        *was_running = 1;
    char prog[CLUSTER_PATH_MAX], data[CLUSTER_PATH_MAX];
    _join(prog, sizeof prog, c->bindir, "pg_ctl");
    snprintf(data, sizeof data, "%s", c->data);
    char *argv[] = {prog,   "stop", "-D", data, "-m",
                    "fast", "-w",   "-t", "60", NULL};
    int logfd = _open_log(c->log);
    int st = _run(c, argv, logfd);
    if (logfd >= 0)
        close(logfd);
    if (st != 0 && _live_postgres(pid))
        rc = iafq_error_set(err, IAFQ_ERR_DB,
                            "pg_ctl stop failed (status %d), see '%s'", st,
                            c->log);
cleanup:
    _unlock(fd);
    return rc;
}
