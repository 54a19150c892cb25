#include "cluster.h"

#include "home.h"
#include "log.h"
#include "sqlfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <libpq-fe.h>
#include <limits.h> /* PATH_MAX */
#include <pwd.h>
#include <signal.h>
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

#define CL_PG15_BINDIR "/usr/lib/postgresql/15/bin"
#define CL_SERVER_USER "postgres"
/* Folders outside the home: made by mkdtemp(), never at a name someone
 * else can compute beforehand (see cluster.h). */
#define CL_FOLDER_TEMPLATE "/var/tmp/iafq-XXXXXX"
#define CL_SOCKET_TEMPLATE "/tmp/iafq-XXXXXX"
/* The records in the home: symbolic links to those folders. */
#define CL_LINK_FOLDER "pg"
#define CL_LINK_SOCKET "socket"
/* Longest socket folder: sun_path is 108 bytes and the server adds
 * "/.s.PGSQL.NNNNN.lock". */
#define CL_SOCKDIR_MAX 80
/* Waits are counted in polls of CL_POLL_MS, never compared with a clock. */
#define CL_POLL_MS 100
#define CL_START_POLLS 600 /* a server that has not answered after ~60 s */
#define CL_START_ATTEMPTS 5
#define CL_LOG_ROTATE_BYTES (16L << 20)
/* Exit status of a spawned child that could not open its log file. */
#define CL_EXIT_LOG 125
/* The flags of every open() of a file in a folder another user (the
 * server's) can write: no link followed, no FIFO waited on, no terminal. */
#define CL_SAFE_OPEN (O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

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
    if (_is_exec(CL_PG15_BINDIR, "postgres") &&
        _is_exec(CL_PG15_BINDIR, "initdb"))
        return snprintf(out, cap, "%s", CL_PG15_BINDIR) >= (int)cap ? -1 : 0;
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

/* Run fn(arg) in a forked child as the server's user; fn's result (0 on
 * success), or -1.  Everything iafq does inside a folder the server's user
 * owns goes through here: as that user, a link or a file planted there
 * reaches nothing that user could not reach anyway. */
static int _as_server(const cluster *c, int (*fn)(const void *),
                      const void *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        _become(c);
        umask(077);
        _exit(fn(arg) == 0 ? 0 : 1);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int _access_x(const void *dir)
{
    return access(dir, X_OK);
}

/* 1 when the server's user can enter dir (tested as that user). */
static int _reachable(const cluster *c, const char *dir)
{
    return !c->switch_user || _as_server(c, _access_x, dir) == 0;
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

/* The target of the symbolic link path into out; 1 when path is a link
 * (out filled), 0 when it is not one or is missing, -1 when unreadable. */
static int _read_record(const char *path, char *out, size_t cap)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return 0;
    ssize_t n = readlink(path, out, cap - 1);
    if (n <= 0 || (size_t)n >= cap - 1)
        return -1;
    out[n] = '\0';
    return 1;
}

/* data, log and (unless recorded outside) the socket folder from folder. */
static iafq_err _derive(cluster *c, iafq_error *err)
{
    if (_join(c->data, sizeof c->data, c->folder, "data") != 0 ||
        _join(c->log, sizeof c->log, c->folder, "server.log") != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "the path '%s' is too long",
                              c->folder);
    if (c->sock_outside)
        return IAFQ_OK;
    if (_join(c->sockdir, sizeof c->sockdir, c->folder, "run") != 0 ||
        strlen(c->sockdir) > CL_SOCKDIR_MAX || !_plain_path(c->sockdir)) {
        snprintf(c->sockdir, sizeof c->sockdir, "%s", CL_SOCKET_TEMPLATE);
        c->sock_outside = 1;
    }
    return IAFQ_OK;
}

/* Decide where the cluster's folder and socket are (see cluster.h).  The
 * records in the home settle it; otherwise the server's user must be able
 * to enter the home (or its nearest existing ancestor when the home is
 * still to be made).  A folder still to be made outside the home is named
 * by its mkdtemp() template until cluster_ensure() makes it. */
static iafq_err _place(cluster *c, iafq_error *err)
{
    char link[CLUSTER_PATH_MAX], slink[CLUSTER_PATH_MAX];
    if (_join(link, sizeof link, c->home, CL_LINK_FOLDER) != 0 ||
        _join(slink, sizeof slink, c->home, CL_LINK_SOCKET) != 0 ||
        _join(c->lockfile, sizeof c->lockfile, c->home, "cluster.lock") != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "the path '%s' is too long",
                              c->home);
    char probe[CLUSTER_PATH_MAX];
    _existing_ancestor(c->home, probe, sizeof probe);
    c->relocated = 0;
    c->sock_outside = 0;
    struct stat st;
    int rec = _read_record(link, c->folder, sizeof c->folder);
    if (rec < 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot read the link '%s'",
                              link);
    if (rec) {
        c->relocated = 1;
    } else if (lstat(link, &st) != 0 && !_reachable(c, probe)) {
        snprintf(c->folder, sizeof c->folder, "%s", CL_FOLDER_TEMPLATE);
        c->relocated = 1;
    } else {
        snprintf(c->folder, sizeof c->folder, "%s", link);
    }
    rec = _read_record(slink, c->sockdir, sizeof c->sockdir);
    if (rec < 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot read the link '%s'",
                              slink);
    c->sock_outside = rec;
    return _derive(c, err);
}

iafq_err cluster_locate(cluster *c, iafq_error *err)
{
    memset(c, 0, sizeof *c);
    c->port = 5432;
    char home[CLUSTER_PATH_MAX];
    home_rule rule;
    iafq_err rc = home_find(home, sizeof home, &rule, err);
    if (rc)
        return rc;
    c->home_rule = (int)rule;
    if (_abspath(home, c->home, sizeof c->home) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot resolve the path '%s'",
                              home);
    if (_find_bindir(c->bindir, sizeof c->bindir) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO,
                              "PostgreSQL 15 server programs not found in "
                              "%s nor by pg_config --bindir",
                              CL_PG15_BINDIR);
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam(CL_SERVER_USER);
        if (!pw)
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "iafq runs as root and there is no '%s' "
                                  "user to run PostgreSQL",
                                  CL_SERVER_USER);
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
    /* a folder still to be made: its template names no folder of iafq's */
    if (!strcmp(c->folder, CL_FOLDER_TEMPLATE))
        return 0;
    char p[CLUSTER_PATH_MAX];
    return _join(p, sizeof p, c->data, "PG_VERSION") == 0 &&
           access(p, F_OK) == 0;
}

/* 1 when the socket folder is the server user's own, private, real
 * folder: a server answering anywhere else is not iafq's. */
static int _sockdir_ok(const cluster *c)
{
    struct stat st;
    return lstat(c->sockdir, &st) == 0 && S_ISDIR(st.st_mode) &&
           st.st_uid == c->uid && (st.st_mode & 077) == 0;
}

static PGPing _ping(const cluster *c)
{
    char ci[3 * CLUSTER_PATH_MAX];
    if (!_sockdir_ok(c) || cluster_conninfo(c, "postgres", ci, sizeof ci) != 0)
        return PQPING_NO_ATTEMPT;
    return PQping(ci);
}

int cluster_running(const cluster *c)
{
    return _ping(c) == PQPING_OK;
}

/* Open path for reading when it is a regular file reached without
 * following a link (nor blocking on a FIFO); a FILE or NULL. */
static FILE *_open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | CL_SAFE_OPEN);
    if (fd < 0)
        return NULL;
    struct stat st;
    FILE *f = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        f = fdopen(fd, "r");
    if (!f)
        close(fd);
    return f;
}

/* The lines of data/postmaster.pid: 1 pid, 6 "shmem-key shmid". */
static long _pidfile(const cluster *c, int *shmid)
{
    char p[CLUSTER_PATH_MAX];
    if (shmid)
        *shmid = -1;
    if (_join(p, sizeof p, c->data, "postmaster.pid") != 0)
        return 0;
    FILE *f = _open_regular(p);
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

typedef enum { CL_STALE_NONE, CL_STALE_CLEARED, CL_STALE_BUSY } cl_stale;

static int _unlink_stale(const void *arg)
{
    const cluster *c = arg;
    char p[CLUSTER_PATH_MAX];
    if (_join(p, sizeof p, c->data, "postmaster.pid") == 0)
        unlink(p);
    if (snprintf(p, sizeof p, "%s/.s.PGSQL.%d.lock", c->sockdir, c->port) <
        (int)sizeof p)
        unlink(p);
    if (snprintf(p, sizeof p, "%s/.s.PGSQL.%d", c->sockdir, c->port) <
        (int)sizeof p)
        unlink(p);
    return 0;
}

/* What a killed server leaves: postmaster.pid naming a dead (or zombie, or
 * reused) process, and the socket's lock file.  They are removed (as the
 * server's user) only when no process is attached to the old shared
 * memory any more (the server's own interlock).  CL_STALE_BUSY: a live
 * server or its orphans still hold it. */
static cl_stale _clear_stale(const cluster *c)
{
    int shmid;
    long pid = _pidfile(c, &shmid);
    if (!pid)
        return CL_STALE_NONE;
    if (_live_postgres(pid))
        return CL_STALE_BUSY;
    if (shmid >= 0) {
        struct shmid_ds ds;
        if (shmctl(shmid, IPC_STAT, &ds) == 0 && ds.shm_nattch > 0)
            return CL_STALE_BUSY;
    }
    _as_server(c, _unlink_stale, c);
    return CL_STALE_CLEARED;
}

/* In the child, as the server's user: open its log file without following
 * a link, a regular file of its own with one name (no hard link to
 * another file), appended to (rotated past CL_LOG_ROTATE_BYTES) or, with
 * trunc, emptied.  The fd or -1. */
static int _open_log(const char *path, int trunc)
{
    struct stat st;
    if (!trunc && lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size > CL_LOG_ROTATE_BYTES) {
        char old[CLUSTER_PATH_MAX + 8];
        snprintf(old, sizeof old, "%s.old", path);
        rename(path, old);
    }
    int fd = open(
        path, O_WRONLY | O_CREAT | CL_SAFE_OPEN | (trunc ? 0 : O_APPEND), 0600);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
        st.st_uid != geteuid() || (trunc && ftruncate(fd, 0) != 0) ||
        fcntl(fd, F_SETFL, trunc ? 0 : O_APPEND) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Fork a server program as the server's user with stdout and stderr on
 * its log file log (opened by the child, as that user, see _open_log;
 * /dev/null when NULL).  keepfd (or -1) stays open in the program: the
 * lock on HOME/cluster.lock then lasts as long as the program, even when
 * iafq is killed.  detach: in its own session, so that a Ctrl-C at the
 * terminal does not reach it.  Returns the pid or -1. */
static pid_t _spawn(const cluster *c, char *const argv[], const char *log,
                    int trunc, int keepfd, int detach)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (detach)
        setsid();
    long maxfd = sysconf(_SC_OPEN_MAX);
    for (long fd = 3; fd < (maxfd > 0 && maxfd < 65536 ? maxfd : 1024); fd++)
        if (fd != keepfd)
            close((int)fd);
    if (keepfd >= 0 && fcntl(keepfd, F_SETFD, 0) != 0)
        _exit(127);
    umask(077);
    if (chdir("/") != 0)
        _exit(127);
    _become(c);
    int null = open("/dev/null", O_RDWR);
    if (null < 0)
        _exit(127);
    int out = null;
    if (log && (out = _open_log(log, trunc)) < 0)
        _exit(CL_EXIT_LOG);
    if (dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(127);
    signal(SIGPIPE, SIG_DFL);
    execv(argv[0], argv);
    _exit(127);
}

/* Run a server program to completion; its exit status, or -1. */
static int _run(const cluster *c, char *const argv[], const char *log,
                int trunc, int keepfd)
{
    pid_t pid = _spawn(c, argv, log, trunc, keepfd, 0);
    if (pid < 0)
        return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static iafq_err _log_refused(const cluster *c, const char *log, iafq_error *err)
{
    return iafq_error_set(err, IAFQ_ERR_IO,
                          "cannot open the log '%s' as %s: it must be a "
                          "regular file of that user with no other name "
                          "(iafq follows no link there)",
                          log, c->user);
}

/* The last line of a log file that looks like an error, for messages. */
__attribute__((noinline)) static void _log_tail(const char *path, char *out,
                                                size_t cap)
{
    out[0] = '\0';
    FILE *f = _open_regular(path);
    if (!f)
        return;
    if (fseek(f, -8192, SEEK_END) != 0)
        rewind(f);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strstr(line, "FATAL") || strstr(line, "ERROR") ||
            strstr(line, "error") || strstr(line, "PANIC") ||
            strstr(line, "No space left")) {
            if (snprintf(out, cap, "%s", line) >= (int)cap)
                out[cap - 1] = '\0'; /* a shortened line is fine */
        }
    }
    fclose(f);
}

/* " (the disk holding 'FOLDER' is full)" when a log line says so. */
static const char *_disk_note(const char *tail)
{
    return strstr(tail, "No space left on device") ||
                   strstr(tail, "could not extend file")
               ? " -- the disk is full"
               : "";
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

/* As the server's user (_as_server): remove a folder and all it holds. */
static int _rm_rf(const void *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, _rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

typedef struct {
    const char *from, *to;
} cl_pair;

static int _rename(const void *arg)
{
    const cl_pair *p = arg;
    return rename(p->from, p->to);
}

/* ------------------------------------------------------------- folders */

/* fd is a folder iafq made or is about to use as the server's: it must be
 * a real folder of the server's user, or of iafq's own user (then given
 * to the server's user: never a folder someone else owns); then private
 * (0700).  One writable by others is refused (iafq never makes one). */
static iafq_err _claim(const cluster *c, int fd, const char *path,
                       iafq_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode))
        return iafq_error_set(err, IAFQ_ERR_IO, "'%s' is not a folder", path);
    if (st.st_uid != c->uid && st.st_uid != geteuid())
        return iafq_error_set(err, IAFQ_ERR_IO,
                              "'%s' belongs to another user (uid %ld, not "
                              "%s): iafq does not use it",
                              path, (long)st.st_uid, c->user);
    if ((st.st_mode & 022) && st.st_uid != geteuid())
        return iafq_error_set(err, IAFQ_ERR_IO,
                              "'%s' is writable by other users (mode %03o): "
                              "iafq does not use it",
                              path, (unsigned)(st.st_mode & 0777));
    if (st.st_uid != c->uid && fchown(fd, c->uid, c->gid) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot give '%s' to %s: %s",
                              path, c->user, strerror(errno));
    if ((st.st_mode & 0777) != 0700 && fchmod(fd, 0700) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot chmod '%s': %s", path,
                              strerror(errno));
    return IAFQ_OK;
}

typedef enum { CL_DIR_OK, CL_DIR_MISSING, CL_DIR_FOREIGN } cl_dir;

/* A folder outside the home named by a record: it must be reached by its
 * own absolute name with no link on the way, and be a private folder of
 * the server's user.  CL_DIR_OK with *fd open on it; CL_DIR_FOREIGN with
 * why (size cap) saying what is wrong. */
static cl_dir _check_outside(const cluster *c, const char *path, int *fd,
                             char *why, size_t cap)
{
    *fd = -1;
    char real[PATH_MAX];
    if (path[0] != '/' || !_plain_path(path)) {
        snprintf(why, cap, "not a plain absolute path");
        return CL_DIR_FOREIGN;
    }
    if (!realpath(path, real))
        return errno == ENOENT ? CL_DIR_MISSING : CL_DIR_FOREIGN;
    if (strcmp(real, path) != 0) {
        snprintf(why, cap, "reached through a symbolic link (to '%.200s')",
                 real);
        return CL_DIR_FOREIGN;
    }
    int d = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (d < 0 || fstat(d, &st) != 0) {
        snprintf(why, cap, "%s", strerror(errno));
        if (d >= 0)
            close(d);
        return CL_DIR_FOREIGN;
    }
    if (st.st_uid != c->uid || (st.st_mode & 077)) {
        snprintf(why, cap,
                 "it belongs to uid %ld with mode %03o, where iafq makes it "
                 "%s's with mode 700",
                 (long)st.st_uid, (unsigned)(st.st_mode & 0777), c->user);
        close(d);
        return CL_DIR_FOREIGN;
    }
    *fd = d;
    return CL_DIR_OK;
}

/* Make a fresh folder from template (mkdtemp: a name no one could take
 * first), give it to the server's user, and record it in the home as the
 * link name (replacing an old record).  out receives its path, *fd is
 * open on it. */
static iafq_err _make_outside(const cluster *c, int homefd,
                              const char *template, const char *name, char *out,
                              size_t cap, int *fd, iafq_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "%s", template);
    *fd = -1;
    if (!mkdtemp(path))
        return iafq_error_set(err, IAFQ_ERR_IO,
                              "cannot create a folder '%s': %s", template,
                              strerror(errno));
    iafq_err rc = IAFQ_OK;
    struct stat st;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s.new", name);
    int d = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (d < 0 || fstat(d, &st) != 0 || st.st_uid != geteuid()) {
        rc = iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s'", path);
        goto cleanup;
    }
    if (c->switch_user && fchown(d, c->uid, c->gid) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_IO, "cannot give '%s' to %s: %s",
                            path, c->user, strerror(errno));
        goto cleanup;
    }
    if ((unlinkat(homefd, tmp, 0) != 0 && errno != ENOENT) ||
        symlinkat(path, homefd, tmp) != 0 ||
        renameat(homefd, tmp, homefd, name) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_IO,
                            "cannot record '%s' as '%s' in the home: %s", path,
                            name, strerror(errno));
        unlinkat(homefd, tmp, 0);
        goto cleanup;
    }
    snprintf(out, cap, "%s", path);
    *fd = d;
    d = -1;
cleanup:
    if (d >= 0)
        close(d);
    if (rc)
        rmdir(path);
    return rc;
}

/* The cluster's folder: HOME/pg, or the folder outside the home recorded
 * as the link HOME/pg (made now when missing; refused when it is not
 * iafq's).  *fd is open on it. */
static iafq_err _prepare_folder(cluster *c, int homefd, int *fd,
                                iafq_error *err)
{
    char link[CLUSTER_PATH_MAX];
    _join(link, sizeof link, c->home, CL_LINK_FOLDER);
    *fd = -1;
    if (!c->relocated) {
        if (mkdirat(homefd, CL_LINK_FOLDER, 0700) != 0 && errno != EEXIST)
            return iafq_error_set(err, IAFQ_ERR_IO, "cannot create '%s': %s",
                                  link, strerror(errno));
        *fd = openat(homefd, CL_LINK_FOLDER,
                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (*fd < 0)
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "'%s' is not a folder (nor a link iafq "
                                  "made): %s",
                                  link, strerror(errno));
        return _claim(c, *fd, link, err);
    }
    char why[400] = "";
    if (strcmp(c->folder, CL_FOLDER_TEMPLATE) != 0) {
        cl_dir d = _check_outside(c, c->folder, fd, why, sizeof why);
        if (d == CL_DIR_OK)
            return IAFQ_OK;
        if (d == CL_DIR_FOREIGN)
            return iafq_error_set(err, IAFQ_ERR_IO,
                                  "the cluster folder '%s' (recorded in '%s') "
                                  "is not iafq's: %s; iafq does not use it "
                                  "(if its data is yours, make it %s's with "
                                  "mode 700, else remove the link '%s' and "
                                  "iafq makes a new folder)",
                                  c->folder, link, why, c->user, link);
        log_warn(NULL, NULL,
                 "the cluster folder '%s' (recorded in '%s') is gone: a new "
                 "one is made",
                 c->folder, link);
    }
    iafq_err rc = _make_outside(c, homefd, CL_FOLDER_TEMPLATE, CL_LINK_FOLDER,
                                c->folder, sizeof c->folder, fd, err);
    return rc ? rc : _derive(c, err);
}

/* The socket folder: FOLDER/run, or the folder outside the home recorded
 * as the link HOME/socket (made anew when missing or not iafq's: it holds
 * nothing to keep). */
static iafq_err _prepare_sockdir(cluster *c, int homefd, int folderfd,
                                 iafq_error *err)
{
    if (!c->sock_outside) {
        if (mkdirat(folderfd, "run", 0700) != 0 && errno != EEXIST)
            return iafq_error_set(err, IAFQ_ERR_IO, "cannot create '%s': %s",
                                  c->sockdir, strerror(errno));
        int fd = openat(folderfd, "run",
                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return iafq_error_set(err, IAFQ_ERR_IO, "'%s' is not a folder: %s",
                                  c->sockdir, strerror(errno));
        iafq_err rc = _claim(c, fd, c->sockdir, err);
        close(fd);
        return rc;
    }
    int fd = -1;
    char why[400] = "";
    if (strcmp(c->sockdir, CL_SOCKET_TEMPLATE) != 0) {
        cl_dir d = _check_outside(c, c->sockdir, &fd, why, sizeof why);
        if (d == CL_DIR_OK && strlen(c->sockdir) <= CL_SOCKDIR_MAX) {
            close(fd);
            return IAFQ_OK;
        }
        if (fd >= 0)
            close(fd);
        if (d == CL_DIR_FOREIGN)
            log_warn(why, NULL,
                     "the socket folder '%s' is not iafq's: it is left alone "
                     "and a new one is made",
                     c->sockdir);
    }
    iafq_err rc = _make_outside(c, homefd, CL_SOCKET_TEMPLATE, CL_LINK_SOCKET,
                                c->sockdir, sizeof c->sockdir, &fd, err);
    if (fd >= 0)
        close(fd);
    return rc;
}

static iafq_err _prepare(cluster *c, int homefd, iafq_error *err)
{
    int fd = -1;
    iafq_err rc = _prepare_folder(c, homefd, &fd, err);
    if (!rc)
        rc = _prepare_sockdir(c, homefd, fd, err);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* --------------------------------------------------------------- steps */

/* initdb into FOLDER/data.new, then rename it to data.  It keeps lockfd
 * open: an initdb left running by a killed iafq holds HOME/cluster.lock
 * until it ends, so the next iafq waits for it instead of racing it, then
 * redoes what it left. */
static iafq_err _initdb(const cluster *c, int lockfd, iafq_error *err)
{
    char fresh[CLUSTER_PATH_MAX], ilog[CLUSTER_PATH_MAX],
        prog[CLUSTER_PATH_MAX];
    if (_join(fresh, sizeof fresh, c->folder, "data.new") ||
        _join(ilog, sizeof ilog, c->folder, "initdb.log") ||
        _join(prog, sizeof prog, c->bindir, "initdb"))
        return iafq_error_set(err, IAFQ_ERR_IO, "path too long");
    if (_as_server(c, _rm_rf, fresh) != 0) /* what an interrupted one left */
        return iafq_error_set(err, IAFQ_ERR_IO,
                              "cannot remove '%s' (left by an interrupted "
                              "initdb)",
                              fresh);
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
    int st = _run(c, argv, ilog, 1, lockfd);
    if (st == CL_EXIT_LOG)
        return _log_refused(c, ilog, err);
    if (st != 0) {
        char tail[400];
        _log_tail(ilog, tail, sizeof tail);
        _as_server(c, _rm_rf, fresh);
        return iafq_error_set(err, IAFQ_ERR_DB,
                              "initdb failed (status %d), see '%s': %s%s", st,
                              ilog, tail, _disk_note(tail));
    }
    cl_pair p = {fresh, c->data};
    if (_as_server(c, _rename, &p) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot rename '%s' to '%s'",
                              fresh, c->data);
    return IAFQ_OK;
}

/* Start the server and wait until it answers.  1 done, 0 it exited early
 * (retry), -1 it did not answer or cannot start (err set). */
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
    pid_t pid = _spawn(c, argv, c->log, 0, -1, 1);
    if (pid < 0) {
        iafq_error_set(err, IAFQ_ERR_IO, "cannot start postgres: %s",
                       strerror(errno));
        return -1;
    }
    for (int i = 0; i < CL_START_POLLS; i++) {
        if (_ping(c) == PQPING_OK)
            return 1;
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            if (WIFEXITED(st) && WEXITSTATUS(st) == CL_EXIT_LOG) {
                _log_refused(c, c->log, err);
                return -1;
            }
            char tail[400];
            _log_tail(c->log, tail, sizeof tail);
            iafq_error_set(err, IAFQ_ERR_DB,
                           "postgres exited at start, see '%s': %s%s", c->log,
                           tail, _disk_note(tail));
            return 0;
        }
        _sleep_ms(CL_POLL_MS);
    }
    iafq_error_set(err, IAFQ_ERR_DB,
                   "postgres (pid %ld) does not answer on '%s', see '%s'",
                   (long)pid, c->sockdir, c->log);
    return -1;
}

static iafq_err _start(const cluster *c, iafq_error *err)
{
    for (int attempt = 0; attempt < CL_START_ATTEMPTS; attempt++) {
        /* A server that is starting, recovering or shutting down: wait for
         * it to answer or to go; a crashed one: clear what it left. */
        for (int i = 0; i < CL_START_POLLS; i++) {
            if (_ping(c) == PQPING_OK)
                return IAFQ_OK;
            if (_clear_stale(c) != CL_STALE_BUSY)
                break;
            _sleep_ms(CL_POLL_MS);
        }
        if (_ping(c) == PQPING_OK)
            return IAFQ_OK;
        if (_clear_stale(c) == CL_STALE_BUSY)
            return iafq_error_set(err, IAFQ_ERR_DB,
                                  "a postgres process (pid %ld) holds '%s' "
                                  "but does not answer on '%s'",
                                  cluster_pid(c), c->data, c->sockdir);
        int r = _start_once(c, err);
        if (r != 0)
            return r > 0 ? IAFQ_OK : err->code;
        _sleep_ms(CL_POLL_MS * (attempt + 1));
    }
    return err ? err->code : IAFQ_ERR_DB;
}

static int _db_connects(const char *ci)
{
    PGconn *conn = PQconnectdb(ci);
    int ok = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    return ok;
}

/* Create the database `iafq` unless it exists.  Another CREATE DATABASE
 * of it may be under way (a concurrent process, or the server still
 * finishing the one of an iafq that was killed): then ours fails with
 * duplicate_database (42P04) or, when both passed the server's check,
 * unique_violation (23505) once the other commits; either means it
 * exists.  The database is then connected to, to be sure. */
static iafq_err _ensure_database(const cluster *c, iafq_error *err)
{
    char ci[3 * CLUSTER_PATH_MAX];
    if (cluster_conninfo(c, CLUSTER_DBNAME, ci, sizeof ci) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "path too long");
    if (_db_connects(ci))
        return IAFQ_OK;
    char admin[3 * CLUSTER_PATH_MAX];
    cluster_conninfo(c, "postgres", admin, sizeof admin);
    PGconn *conn = PQconnectdb(admin);
    PGresult *res = NULL;
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
    res = PQexec(conn, sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (PQresultStatus(res) != PGRES_COMMAND_OK &&
        !(state && (!strcmp(state, "42P04") || !strcmp(state, "23505")))) {
        int full = state && !strcmp(state, "53100");
        rc = iafq_error_set(err, IAFQ_ERR_DB,
                            "cannot create the database '%s': %s (SQLSTATE "
                            "%s)%s%s%s",
                            CLUSTER_DBNAME, PQresultErrorMessage(res),
                            state ? state : "none",
                            full ? " -- the disk of iafq's own cluster is "
                                   "full: free space where '"
                                 : "",
                            full ? c->data : "", full ? "' lives" : "");
        goto cleanup;
    }
    /* Created, or created by another: it answers now (the other one has
     * committed when ours saw it). */
    for (int i = 0; i < CL_START_POLLS && !_db_connects(ci); i++)
        _sleep_ms(CL_POLL_MS);
    if (!_db_connects(ci))
        rc = iafq_error_set(err, IAFQ_ERR_DB,
                            "the database '%s' was created but does not "
                            "accept connections",
                            CLUSTER_DBNAME);
cleanup:
    PQclear(res);
    PQfinish(conn);
    return rc;
}

/* The home: a real folder of iafq's user, written by no one else (the
 * records in it say where the cluster is).  One iafq made with a lax
 * umask is made 0755-at-most; one of another user is refused. */
static iafq_err _check_home(const cluster *c, int fd, iafq_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode))
        return iafq_error_set(err, IAFQ_ERR_IO, "'%s' is not a folder",
                              c->home);
    if (st.st_uid != geteuid())
        return iafq_error_set(err, IAFQ_ERR_IO,
                              "iafq's home '%s' belongs to another user (uid "
                              "%ld): iafq keeps the records of its cluster "
                              "there and does not use a folder someone else "
                              "can change (set IAFQ_HOME to a folder of your "
                              "own)",
                              c->home, (long)st.st_uid);
    if (st.st_mode & 022) {
        if (fchmod(fd, st.st_mode & 0755) != 0)
            return iafq_error_set(err, IAFQ_ERR_IO, "cannot chmod '%s': %s",
                                  c->home, strerror(errno));
        log_warn(NULL, NULL,
                 "iafq's home '%s' was writable by other users (mode %03o): "
                 "made %03o",
                 c->home, (unsigned)(st.st_mode & 0777),
                 (unsigned)(st.st_mode & 0755));
    }
    return IAFQ_OK;
}

/* Make and check the home, settle c->home to its real path, and hold
 * HOME/cluster.lock: the lock's fd (and *homefd open on the home), or -1
 * (err set). */
static int _lock(cluster *c, int *homefd, iafq_error *err)
{
    *homefd = -1;
    if (_mkdir_p(c->home) != 0) {
        iafq_error_set(err, IAFQ_ERR_IO, "cannot create '%s': %s", c->home,
                       strerror(errno));
        return -1;
    }
    char real[CLUSTER_PATH_MAX];
    if (_abspath(c->home, real, sizeof real) == 0)
        memcpy(c->home, real, sizeof c->home);
    int hfd = open(c->home, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (hfd < 0) {
        iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s': %s", c->home,
                       strerror(errno));
        return -1;
    }
    if (_check_home(c, hfd, err)) {
        close(hfd);
        return -1;
    }
    _join(c->lockfile, sizeof c->lockfile, c->home, "cluster.lock");
    int fd = openat(hfd, "cluster.lock", O_RDWR | O_CREAT | CL_SAFE_OPEN, 0600);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != geteuid()) {
        iafq_error_set(err, IAFQ_ERR_IO,
                       "cannot open '%s' (a regular file of yours): %s",
                       c->lockfile, fd < 0 ? strerror(errno) : "it is not");
        if (fd >= 0)
            close(fd);
        close(hfd);
        return -1;
    }
    int rc = flock(fd, LOCK_EX | LOCK_NB);
    if (rc != 0 && errno == EWOULDBLOCK)
        log_info("waiting for '%s' (another iafq, or the initdb of one that "
                 "was killed, holds it)",
                 c->lockfile);
    while (rc != 0 && (rc = flock(fd, LOCK_EX)) != 0) {
        if (errno == EINTR)
            continue;
        iafq_error_set(err, IAFQ_ERR_IO, "cannot lock '%s': %s", c->lockfile,
                       strerror(errno));
        close(fd);
        close(hfd);
        return -1;
    }
    *homefd = hfd;
    return fd;
}

static void _unlock(int fd, int homefd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
    if (homefd >= 0)
        close(homefd);
}

iafq_err cluster_ensure(cluster *c, iafq_error *err)
{
    iafq_error local = {0};
    if (!err)
        err = &local;
    int homefd;
    int fd = _lock(c, &homefd, err);
    if (fd < 0)
        return err->code;
    /* The home exists now and no one else is deciding: decide for good
     * from its records. */
    iafq_err rc = _place(c, err);
    if (!rc)
        rc = _prepare(c, homefd, err);
    if (!rc && !cluster_exists(c)) {
        rc = _initdb(c, fd, err);
        if (!rc)
            log_warn(NULL, NULL,
                     "made a new database cluster in '%s' ('iafq db status' "
                     "says why there)",
                     c->home);
    }
    if (!rc && _ping(c) != PQPING_OK)
        rc = _start(c, err);
    if (!rc)
        rc = _ensure_database(c, err);
    _unlock(fd, homefd);
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
    cluster own = *c;
    int homefd;
    int fd = _lock(&own, &homefd, err);
    if (fd < 0)
        return err->code;
    iafq_err rc = IAFQ_OK;
    /* A recorded folder outside the home is stopped only when it passes
     * the checks: pg_ctl would signal whatever postmaster.pid names. */
    char why[400] = "";
    int dfd = -1;
    if (own.relocated &&
        _check_outside(&own, c->folder, &dfd, why, sizeof why) != CL_DIR_OK) {
        if (why[0])
            rc = iafq_error_set(err, IAFQ_ERR_IO,
                                "the cluster folder '%s' is not iafq's: %s",
                                c->folder, why);
        goto cleanup;
    }
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
    int st = _run(c, argv, c->log, 0, fd);
    if (st == CL_EXIT_LOG)
        rc = _log_refused(c, c->log, err);
    else if (st != 0 && _live_postgres(pid))
        rc = iafq_error_set(err, IAFQ_ERR_DB,
                            "pg_ctl stop failed (status %d), see '%s'", st,
                            c->log);
cleanup:
    if (dfd >= 0)
        close(dfd);
    _unlock(fd, homefd);
    return rc;
}
