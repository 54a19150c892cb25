/* Tests of iafq's own PostgreSQL cluster, the migration runner and the
 * `iafq db` command, against real clusters made by this run.
 *
 * main() forks: the child runs the tests; the parent waits for it however
 * it ends (failure, crash) and then stops every cluster the tests made and
 * removes their folders.  Homes (under one /tmp/iafq-ct-XXXXXX folder):
 *   a     the main cluster (a folder the server's user can enter)
 *   deep  a home path longer than 120 bytes (socket in /tmp/iafq-HASH)
 *   priv/race  a home inside a 0700 folder: as root the cluster is placed
 *         under /var/tmp (two processes create and start it at once)
 *   killed  `iafq db init` killed while its initdb runs, then run again
 *   full  (root) a home on a small tmpfs, to fill the cluster's disk.
 * The planted-folder attacks are in test_plant.c. */
#include "cluster.h"
#include "db.h"
#include "migrate.h"
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char _root[64];
static char _home_a[256], _home_deep[512], _home_race[256];
static char _home_killed[256], _mnt_full[256], _home_full[256];

static void _sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int _use_home(const char *home, cluster *c)
{
    setenv("IAFQ_HOME", home, 1);
    return cluster_locate(c, NULL) == IAFQ_OK ? 0 : -1;
}

/* ------------------------------------------------------------- helpers */

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

/* Run argv as the server's user (pg_ctl refuses root). */
static int _run_as(const cluster *c, char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 1);
        dup2(null, 2);
        if (chdir("/") != 0)
            _exit(126);
        if (c->switch_user && (setgid(c->gid) != 0 || setuid(c->uid) != 0))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run the iafq binary; stdout and stderr into malloc'd strings. */
static int _iafq(char *const args[], char **out, char **err)
{
    const char *bin = getenv("IAFQ_BIN");
    if (!bin)
        bin = "build/iafq";
    char outp[128], errp[128];
    snprintf(outp, sizeof outp, "%s/stdout", _root);
    snprintf(errp, sizeof errp, "%s/stderr", _root);
    char *argv[16];
    int k = 0;
    argv[k++] = (char *)bin;
    for (int i = 0; args[i] && k < 15; i++)
        argv[k++] = args[i];
    argv[k] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int in = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || in < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 ||
            dup2(in, 0) < 0)
            _exit(126);
        execv(bin, argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    *out = _slurp(outp, 1 << 16);
    *err = _slurp(errp, 1 << 16);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* 1 while pid is a process that is neither gone nor a zombie. */
static int _alive(long pid)
{
    char p[64], buf[512];
    snprintf(p, sizeof p, "/proc/%ld/stat", pid);
    FILE *f = fopen(p, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *close = strrchr(buf, ')');
    return close && close[1] == ' ' && close[2] != 'Z' && close[2] != 'X';
}

/* A test migration set read from tests/unit/sql/NAME. */
typedef struct {
    sqlfile f[8];
    char *text[8];
    size_t n;
} _set;

static void _set_add(_set *s, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/unit/sql/%s", name);
    char *text = _slurp(tu_src(path), 1 << 16);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    s->text[s->n] = text;
    s->f[s->n].path = strdup(name);
    s->f[s->n].text = text;
    s->n++;
}

static void _set_free(_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free((char *)s->f[i].path);
        free(s->text[i]);
    }
    s->n = 0;
}

/* The text of tests/unit/sql/NAME (malloc'd) or NULL. */
static char *_sql(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/unit/sql/%s", name);
    return _slurp(tu_src(path), 1 << 16);
}

/* Run tests/unit/sql/NAME on conn; the result (caller clears). */
static PGresult *_exec_sql(PGconn *conn, const char *name)
{
    char *text = _sql(name);
    PGresult *res = text ? PQexec(conn, text) : NULL;
    free(text);
    return res;
}

/* The first child process of parent whose command name is comm, or 0. */
static long _child_named(long parent, const char *comm)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    long found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (pid <= 0 || *end)
            continue;
        char p[64], buf[512];
        snprintf(p, sizeof p, "/proc/%ld/stat", pid);
        FILE *f = fopen(p, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        char *open = strchr(buf, '('), *close = strrchr(buf, ')');
        long ppid = 0;
        char state;
        if (!open || !close || close[1] != ' ' ||
            sscanf(close + 2, "%c %ld", &state, &ppid) != 2 || ppid != parent)
            continue;
        *close = '\0';
        if (!strcmp(open + 1, comm))
            found = pid;
    }
    closedir(d);
    return found;
}

/* --------------------------------------------------------------- tests */

static void test_first_use_creates_and_reuses(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    CU_ASSERT_FALSE(cluster_exists(&c));
    CU_ASSERT_FALSE(cluster_running(&c));
    iafq_error err = {0};
    CU_ASSERT_EQUAL_FATAL(cluster_ensure(&c, &err), IAFQ_OK);
    if (err.code)
        fprintf(stderr, "ensure: %s\n", err.msg);
    CU_ASSERT_FALSE(c.relocated); /* the home is open to the server user */
    char link[300];
    snprintf(link, sizeof link, "%s/pg/data", _home_a);
    CU_ASSERT_STRING_EQUAL(c.data, link);
    CU_ASSERT_TRUE(cluster_exists(&c));
    CU_ASSERT_TRUE(cluster_running(&c));
    long pid = cluster_pid(&c);
    CU_ASSERT_TRUE(pid > 0);
    /* socket folder: the server user's own, nobody else may enter */
    struct stat st;
    CU_ASSERT_EQUAL_FATAL(stat(c.sockdir, &st), 0);
    CU_ASSERT_EQUAL(st.st_uid, c.uid);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0700);
    CU_ASSERT_EQUAL(stat(c.data, &st), 0);
    CU_ASSERT_EQUAL(st.st_uid, c.uid);
    /* the next use finds it running and reuses it */
    CU_ASSERT_EQUAL(cluster_ensure(&c, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(cluster_pid(&c), pid);
    db_conn *db = NULL;
    CU_ASSERT_EQUAL_FATAL(db_open(NULL, &db, &err), IAFQ_OK);
    CU_ASSERT_TRUE(db_embedded(db));
    CU_ASSERT_STRING_EQUAL(PQdb(db_pg(db)), CLUSTER_DBNAME);
    CU_ASSERT_EQUAL(cluster_pid(&c), pid);
    db_close(db);
}

static void test_embedded_migrations_once(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    iafq_error err = {0};
    db_conn *db = NULL;
    CU_ASSERT_EQUAL_FATAL(db_open(NULL, &db, &err), IAFQ_OK);
    size_t n;
    const sqlfile *files = sqlfiles_prefix("migrations/", &n);
    CU_ASSERT_TRUE_FATAL(n > 0);
    PGresult *list = NULL;
    CU_ASSERT_EQUAL(migrate_list(db, &list, &err), IAFQ_OK);
    CU_ASSERT_PTR_NULL(list); /* fresh database: no table yet */
    int applied = -1;
    CU_ASSERT_EQUAL(migrate_embedded(db, &applied, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(applied, (int)n);
    CU_ASSERT_EQUAL_FATAL(migrate_list(db, &list, &err), IAFQ_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(list);
    CU_ASSERT_EQUAL(PQntuples(list), (int)n);
    CU_ASSERT_EQUAL(migrate_pending(list, files, n), 0);
    for (size_t i = 0; i < n && (int)i < PQntuples(list); i++) {
        char v[256];
        CU_ASSERT_STRING_EQUAL(PQgetvalue(list, (int)i, 0),
                               sqlfiles_version(files[i].path, v, sizeof v));
    }
    PQclear(list);
    applied = -1;
    CU_ASSERT_EQUAL(migrate_embedded(db, &applied, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(applied, 0);
    CU_ASSERT_EQUAL(migrate_list(db, &list, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(PQntuples(list), (int)n);
    PQclear(list);
    db_close(db);
}

static void test_migration_set_order_and_failure(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    iafq_error err = {0};
    db_conn *db = NULL;
    CU_ASSERT_EQUAL_FATAL(db_open(NULL, &db, &err), IAFQ_OK);
    _set s = {0};
    _set_add(&s, "9001_table.sql");
    _set_add(&s, "9002_row.sql"); /* needs 9001 applied before it */
    int applied = -1;
    CU_ASSERT_EQUAL(migrate_apply(db, s.f, s.n, &applied, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(applied, 2);
    CU_ASSERT_EQUAL(migrate_apply(db, s.f, s.n, &applied, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(applied, 0);
    /* 9003 creates a table, then fails: rolled back, not recorded, and
     * 9004 after it is not applied */
    _set_add(&s, "9003_fails.sql");
    _set_add(&s, "9004_after.sql");
    CU_ASSERT_EQUAL(migrate_apply(db, s.f, s.n, &applied, &err), IAFQ_ERR_DB);
    CU_ASSERT_EQUAL(applied, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "9003_fails"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "22012")); /* division_by_zero */
    PGresult *list = NULL;
    CU_ASSERT_EQUAL(migrate_list(db, &list, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(migrate_pending(list, s.f, s.n), 2);
    PQclear(list);
    /* the same table created again proves 9003's was rolled back */
    _set fixed = {0};
    _set_add(&fixed, "9003_fixed.sql");
    _set_add(&fixed, "9004_after.sql");
    CU_ASSERT_EQUAL(migrate_apply(db, fixed.f, fixed.n, &applied, &err),
                    IAFQ_OK);
    CU_ASSERT_EQUAL(applied, 2);
    _set_free(&fixed);
    _set_free(&s);
    db_close(db);
}

/* Two processes migrate at once with a migration that cannot run twice. */
static void test_concurrent_migrations(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    _set s = {0};
    _set_add(&s, "9101_slow_create.sql");
    int go[2], res[2];
    CU_ASSERT_EQUAL_FATAL(pipe(go), 0);
    CU_ASSERT_EQUAL_FATAL(pipe(res), 0);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            close(go[1]);
            char b;
            db_conn *db = NULL;
            int applied = -1;
            int ok = db_open(NULL, &db, NULL) == IAFQ_OK &&
                     read(go[0], &b, 1) == 0 && /* start together */
                     migrate_apply(db, s.f, s.n, &applied, NULL) == IAFQ_OK;
            db_close(db);
            char out = ok ? (char)('0' + applied) : 'E';
            _exit(write(res[1], &out, 1) == 1 ? 0 : 1);
        }
    }
    close(go[0]);
    close(go[1]);
    close(res[1]);
    char got[2] = {0, 0};
    CU_ASSERT_EQUAL(read(res[0], &got[0], 1), 1);
    CU_ASSERT_EQUAL(read(res[0], &got[1], 1), 1);
    close(res[0]);
    for (int k = 0; k < 2; k++)
        waitpid(kids[k], NULL, 0);
    /* both succeed, exactly one applied it */
    CU_ASSERT_TRUE((got[0] == '1' && got[1] == '0') ||
                   (got[0] == '0' && got[1] == '1'));
    _set_free(&s);
}

static void test_stale_pid_after_sigkill(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    iafq_error err = {0};
    CU_ASSERT_EQUAL_FATAL(cluster_ensure(&c, &err), IAFQ_OK);
    long pid = cluster_pid(&c);
    CU_ASSERT_TRUE_FATAL(pid > 0);
    CU_ASSERT_EQUAL_FATAL(kill((pid_t)pid, SIGKILL), 0);
    /* It may stay a zombie (its parent need not reap it): that is the
     * hard case, a postmaster.pid whose process still "exists". */
    for (int i = 0; i < 200 && _alive(pid); i++)
        _sleep_ms(50);
    CU_ASSERT_FALSE_FATAL(_alive(pid));
    CU_ASSERT_FALSE(cluster_running(&c));
    CU_ASSERT_EQUAL(cluster_pid(&c), pid); /* the stale file is there */
    CU_ASSERT_EQUAL(cluster_ensure(&c, &err), IAFQ_OK);
    if (err.code)
        fprintf(stderr, "ensure after SIGKILL: %s\n", err.msg);
    CU_ASSERT_TRUE(cluster_running(&c));
    CU_ASSERT_NOT_EQUAL(cluster_pid(&c), pid);
    CU_ASSERT_TRUE(cluster_pid(&c) > 0);
}

static void test_stopped_by_hand(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    iafq_error err = {0};
    CU_ASSERT_EQUAL_FATAL(cluster_ensure(&c, &err), IAFQ_OK);
    char prog[CLUSTER_PATH_MAX + 16];
    snprintf(prog, sizeof prog, "%s/pg_ctl", c.bindir);
    char *argv[] = {prog, "stop", "-D", c.data, "-m", "fast", "-w", NULL};
    CU_ASSERT_EQUAL_FATAL(_run_as(&c, argv), 0);
    CU_ASSERT_FALSE(cluster_running(&c));
    db_conn *db = NULL;
    CU_ASSERT_EQUAL(db_open(NULL, &db, &err), IAFQ_OK);
    CU_ASSERT_TRUE(cluster_running(&c));
    db_close(db);
}

static void test_concurrent_first_start(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_race, &c), 0);
    CU_ASSERT_FALSE(cluster_exists(&c));
    /* as root, postgres cannot enter the 0700 folder: placed elsewhere */
    CU_ASSERT_EQUAL(c.relocated, c.switch_user);
    int go[2], res[2];
    CU_ASSERT_EQUAL_FATAL(pipe(go), 0);
    CU_ASSERT_EQUAL_FATAL(pipe(res), 0);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            close(go[1]);
            char b;
            cluster mine;
            long pid = -1;
            if (read(go[0], &b, 1) == 0 && cluster_locate(&mine, NULL) == 0 &&
                cluster_ensure(&mine, NULL) == IAFQ_OK)
                pid = cluster_pid(&mine);
            _exit(write(res[1], &pid, sizeof pid) == sizeof pid ? 0 : 1);
        }
    }
    close(go[0]);
    close(go[1]); /* both start now */
    close(res[1]);
    long pids[2] = {0, 0};
    CU_ASSERT_EQUAL(read(res[0], &pids[0], sizeof pids[0]), sizeof pids[0]);
    CU_ASSERT_EQUAL(read(res[0], &pids[1], sizeof pids[1]), sizeof pids[1]);
    close(res[0]);
    for (int k = 0; k < 2; k++)
        waitpid(kids[k], NULL, 0);
    CU_ASSERT_TRUE(pids[0] > 0);
    CU_ASSERT_EQUAL(pids[0], pids[1]);
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_race, &c), 0); /* settled now */
    CU_ASSERT_EQUAL(c.relocated, c.switch_user);
    CU_ASSERT_EQUAL(cluster_pid(&c), pids[0]);
    CU_ASSERT_TRUE(cluster_running(&c));
    if (c.relocated) {
        char link[300], target[CLUSTER_PATH_MAX];
        snprintf(link, sizeof link, "%s/pg", _home_race);
        ssize_t n = readlink(link, target, sizeof target - 1);
        CU_ASSERT_TRUE_FATAL(n > 0);
        target[n] = '\0';
        CU_ASSERT_STRING_EQUAL(target, c.folder);
    }
    int was = 0;
    CU_ASSERT_EQUAL(cluster_stop(&c, &was, NULL), IAFQ_OK);
    CU_ASSERT_TRUE(was);
    CU_ASSERT_FALSE(cluster_running(&c));
}

static void test_deep_home(void)
{
    cluster c;
    CU_ASSERT_TRUE_FATAL(strlen(_home_deep) > 120);
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_deep, &c), 0);
    CU_ASSERT_TRUE(strlen(c.sockdir) + strlen("/.s.PGSQL.5432.lock") < 108);
    iafq_error err = {0};
    db_conn *db = NULL;
    CU_ASSERT_EQUAL_FATAL(db_open(NULL, &db, &err), IAFQ_OK);
    /* the socket folder is made (mkdtemp) and recorded by the first use:
     * before it, cluster_locate() names only the template */
    CU_ASSERT_STRING_EQUAL(c.sockdir, "/tmp/iafq-XXXXXX");
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_deep, &c), 0);
    CU_ASSERT_STRING_NOT_EQUAL(c.sockdir, "/tmp/iafq-XXXXXX");
    CU_ASSERT_TRUE(cluster_running(&c));
    /* the data stays in the home; only the socket moves to a short path */
    CU_ASSERT_FALSE(c.relocated);
    CU_ASSERT_EQUAL(strncmp(c.data, _home_deep, strlen(_home_deep)), 0);
    CU_ASSERT_EQUAL(strncmp(c.sockdir, "/tmp/iafq-", 10), 0);
    db_close(db);
    int was = 0;
    CU_ASSERT_EQUAL(cluster_stop(&c, &was, NULL), IAFQ_OK);
    CU_ASSERT_TRUE(was);
}

/* How many CREATE DATABASE wait for a lock, polled until want. */
static int _waiting(PGconn *watch, int want)
{
    int n = -1;
    for (int i = 0; i < 1200 && n != want; i++) {
        if (i)
            _sleep_ms(50);
        PGresult *r = _exec_sql(watch, "race_waiting.sql");
        n = PQresultStatus(r) == PGRES_TUPLES_OK ? atoi(PQgetvalue(r, 0, 0))
                                                 : -1;
        PQclear(r);
    }
    return n;
}

/* The database `iafq` being created by another session (a concurrent
 * iafq, or the server finishing the CREATE DATABASE of a killed one):
 * both pass the server's "already exists?" check, the second ends on
 * unique_violation (23505), which iafq takes as "it exists". */
static void test_create_database_race(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    iafq_error err = {0};
    CU_ASSERT_EQUAL_FATAL(cluster_ensure(&c, &err), IAFQ_OK);
    char ci[3 * CLUSTER_PATH_MAX];
    CU_ASSERT_EQUAL_FATAL(cluster_conninfo(&c, "postgres", ci, sizeof ci), 0);
    PGconn *lock = PQconnectdb(ci), *other = PQconnectdb(ci),
           *watch = PQconnectdb(ci);
    CU_ASSERT_FATAL(PQstatus(lock) == CONNECTION_OK &&
                    PQstatus(other) == CONNECTION_OK &&
                    PQstatus(watch) == CONNECTION_OK);
    PGresult *r = _exec_sql(lock, "race_drop.sql");
    CU_ASSERT_EQUAL(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    r = _exec_sql(lock, "race_lock.sql");
    CU_ASSERT_EQUAL(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    /* the other session's CREATE DATABASE waits first (first in line) */
    CU_ASSERT_EQUAL(
        PQsendQuery(other, sqlfiles_get("meta/create_database.sql")), 1);
    CU_ASSERT_EQUAL(_waiting(watch, 1), 1);
    fflush(NULL);
    pid_t kid = fork();
    if (kid == 0) {
        cluster mine;
        iafq_error e = {0};
        int rc = cluster_locate(&mine, &e) || cluster_ensure(&mine, &e);
        if (rc)
            fprintf(stderr, "ensure during another CREATE DATABASE: %s\n",
                    e.msg);
        _exit(rc ? 1 : 0);
    }
    CU_ASSERT_EQUAL(_waiting(watch, 2), 2); /* iafq's waits behind it */
    r = _exec_sql(lock, "race_commit.sql");
    CU_ASSERT_EQUAL(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    int first = 1;
    while ((r = PQgetResult(other))) {
        if (first) /* the other one created it: iafq's got 23505 */
            CU_ASSERT_EQUAL(PQresultStatus(r), PGRES_COMMAND_OK);
        if (first && PQresultStatus(r) != PGRES_COMMAND_OK)
            fprintf(stderr, "the other CREATE DATABASE: %s\n",
                    PQresultErrorMessage(r));
        first = 0;
        PQclear(r);
    }
    int st = 0;
    waitpid(kid, &st, 0);
    CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    PQfinish(lock);
    PQfinish(other);
    PQfinish(watch);
    db_conn *db = NULL;
    CU_ASSERT_EQUAL(db_open(NULL, &db, &err), IAFQ_OK);
    db_close(db);
}

/* `iafq db init` killed (SIGKILL) while its initdb runs: the initdb goes
 * on, holding HOME/cluster.lock; the next command waits for it, then
 * redoes the cluster and succeeds.  The kill must land while initdb
 * runs: when initdb was done first, the run is made again in a new home
 * (at most 3 times). */
static void test_killed_initdb(void)
{
    const char *bin = getenv("IAFQ_BIN") ? getenv("IAFQ_BIN") : "build/iafq";
    int caught = 0;
    for (int attempt = 0; attempt < 3 && !caught; attempt++) {
        char home[300];
        snprintf(home, sizeof home, "%s-%d", _home_killed, attempt);
        cluster c;
        CU_ASSERT_EQUAL_FATAL(_use_home(home, &c), 0);
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_RDWR);
            if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
                dup2(null, 2) < 0)
                _exit(126);
            execl(bin, bin, "db", "init", (char *)NULL);
            _exit(127);
        }
        long initdb = 0;
        for (int i = 0; i < 20000 && !initdb && pid > 0; i++) {
            if ((initdb = _child_named(pid, "initdb")))
                break;
            if (waitpid(pid, NULL, WNOHANG) == pid)
                pid = -1; /* done before it was seen */
            else
                _sleep_ms(5);
        }
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
        }
        if (!initdb || !_alive(initdb))
            continue;
        caught = 1;
        char *out = NULL, *err = NULL;
        char *init[] = {"db", "init", NULL};
        CU_ASSERT_EQUAL(_iafq(init, &out, &err), 0);
        CU_ASSERT_PTR_NOT_NULL(out && strstr(out, " recorded, 0 pending"));
        if (!out || !strstr(out, " recorded, 0 pending"))
            fprintf(stderr, "db init after a killed one: %s\n", err ? err : "");
        CU_ASSERT_FALSE(_alive(initdb)); /* waited for, not raced */
        CU_ASSERT_EQUAL_FATAL(_use_home(home, &c), 0);
        CU_ASSERT_TRUE(cluster_exists(&c));
        CU_ASSERT_TRUE(cluster_running(&c));
        CU_ASSERT_EQUAL(cluster_stop(&c, NULL, NULL), IAFQ_OK);
        free(out);
        free(err);
    }
    CU_ASSERT_TRUE(caught);
}

/* PostgreSQL's disk_full (53100) is reported as such, with where the
 * cluster's data lives, in front of the server's own message. */
static void test_disk_full_message(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    iafq_error err = {0};
    db_conn *db = NULL;
    CU_ASSERT_EQUAL_FATAL(db_open(NULL, &db, &err), IAFQ_OK);
    _set s = {0};
    _set_add(&s, "disk_full_raise.sql");
    CU_ASSERT_EQUAL(db_exec_sql(db, &s.f[0], 0, NULL, NULL, &err), IAFQ_ERR_DB);
    CU_ASSERT_STRING_EQUAL(db_sqlstate(db), "53100");
    char want[CLUSTER_PATH_MAX + 100];
    snprintf(
        want, sizeof want,
        "the database's disk is full (iafq's own cluster, in '%s'): ", c.data);
    CU_ASSERT_EQUAL(strncmp(err.msg, want, strlen(want)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No space left on device"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "(SQLSTATE 53100)"));
    db_close(db);
    /* another server: named by its conninfo */
    char ci[3 * CLUSTER_PATH_MAX];
    CU_ASSERT_EQUAL_FATAL(cluster_conninfo(&c, CLUSTER_DBNAME, ci, sizeof ci),
                          0);
    CU_ASSERT_EQUAL_FATAL(db_open(ci, &db, &err), IAFQ_OK);
    CU_ASSERT_EQUAL(db_exec_sql(db, &s.f[0], 0, NULL, NULL, &err), IAFQ_ERR_DB);
    CU_ASSERT_EQUAL(strncmp(err.msg,
                            "the database's disk is full (the "
                            "server of '",
                            40),
                    0);
    CU_ASSERT_STRING_EQUAL(db_sqlstate_cause("42P01") ? "?" : "", "");
    db_close(db);
    _set_free(&s);
}

/* The same for real: the home on a 128 MB tmpfs (root only; skipped, and
 * said so, where tmpfs cannot be mounted), a table larger than what is
 * left. */
static void test_disk_full_tmpfs(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "\n  (skipped: mounting a tmpfs needs root) ");
        return;
    }
    CU_ASSERT_EQUAL_FATAL(mkdir(_mnt_full, 0755), 0);
    if (mount("tmpfs", _mnt_full, "tmpfs", MS_NOSUID | MS_NODEV,
              "size=128m,mode=0755") != 0) {
        fprintf(stderr, "\n  (skipped: cannot mount a tmpfs: %s) ",
                strerror(errno));
        return;
    }
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_full, &c), 0);
    iafq_error err = {0};
    db_conn *db = NULL;
    CU_ASSERT_EQUAL_FATAL(db_open(NULL, &db, &err), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_full, &c), 0);
    _set s = {0};
    _set_add(&s, "disk_fill.sql");
    CU_ASSERT_EQUAL(db_exec_sql(db, &s.f[0], 0, NULL, NULL, &err), IAFQ_ERR_DB);
    CU_ASSERT_STRING_EQUAL(db_sqlstate(db), "53100");
    char want[CLUSTER_PATH_MAX + 100];
    snprintf(
        want, sizeof want,
        "the database's disk is full (iafq's own cluster, in '%s'): ", c.data);
    CU_ASSERT_EQUAL(strncmp(err.msg, want, strlen(want)), 0);
    if (strncmp(err.msg, want, strlen(want)))
        fprintf(stderr, "disk full: %s\n", err.msg);
    db_close(db);
    _set_free(&s);
    CU_ASSERT_TRUE(cluster_running(&c)); /* an error, not a crash */
    CU_ASSERT_EQUAL(cluster_stop(&c, NULL, NULL), IAFQ_OK);
}

static void test_cli_psql(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    char *out = NULL, *err = NULL;
    char *args[] = {"db", "psql", "-X", "-A", "-t", "-c", "select 1", NULL};
    CU_ASSERT_EQUAL(_iafq(args, &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_STRING_EQUAL(out, "1\n");
    if (strcmp(out, "1\n"))
        fprintf(stderr, "psql: %s\n", err ? err : "");
    free(out);
    free(err);
    /* psql sees iafq's database with its migrations */
    char *args2[] = {"db",
                     "psql",
                     "-X",
                     "-A",
                     "-t",
                     "-c",
                     "select count(*) > 0 from iafq.schema_migrations",
                     NULL};
    CU_ASSERT_EQUAL(_iafq(args2, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(out ? out : "", "t\n");
    free(out);
    free(err);
}

static void test_cli_stop_status_init(void)
{
    cluster c;
    CU_ASSERT_EQUAL_FATAL(_use_home(_home_a, &c), 0);
    char *out = NULL, *err = NULL;
    char *stop[] = {"db", "stop", NULL};
    CU_ASSERT_EQUAL(_iafq(stop, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(out ? out : "", "stopped\n");
    free(out);
    free(err);
    CU_ASSERT_FALSE(cluster_running(&c));
    char *status[] = {"db", "status", NULL};
    CU_ASSERT_EQUAL(_iafq(status, &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "server: stopped"));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, c.sockdir));
    CU_ASSERT_FALSE(cluster_running(&c)); /* status does not start it */
    free(out);
    free(err);
    char *init[] = {"db", "init", NULL};
    CU_ASSERT_EQUAL(_iafq(init, &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, " recorded, 0 pending"));
    CU_ASSERT_TRUE(cluster_running(&c));
    free(out);
    free(err);
    CU_ASSERT_EQUAL(_iafq(status, &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "server: running (pid"));
    free(out);
    free(err);
}

static void test_cli_unreachable(void)
{
    static const char *const infos[] = {
        "host=/nonexistent-iafq-test port=1 user=x password=s3cr3t-pw",
        "postgresql://bob:s3cr3t-pw@127.0.0.1:1/iafq?connect_timeout=5",
    };
    static const char *const masked[] = {"password=***", "bob:***@"};
    for (int i = 0; i < 2; i++) {
        char *out = NULL, *err = NULL;
        char *args[] = {"--db", (char *)infos[i], "db", "init", NULL};
        CU_ASSERT_EQUAL(_iafq(args, &out, &err), 2);
        CU_ASSERT_PTR_NOT_NULL_FATAL(err);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, masked[i]));
        CU_ASSERT_PTR_NULL(strstr(err, "s3cr3t"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "hint:"));
        free(out);
        free(err);
    }
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

/* Stop the home's cluster whatever state it is in; remove what lies
 * outside _root (relocated folder, /tmp socket folder). */
static void _teardown_home(const char *home)
{
    cluster c;
    if (_use_home(home, &c) != 0)
        return;
    if (cluster_stop(&c, NULL, NULL) != IAFQ_OK) {
        long pid = cluster_pid(&c);
        if (pid > 0)
            kill((pid_t)pid, SIGQUIT);
    }
    /* a template ("...-XXXXXX") names no folder this run made */
    if (c.relocated && !strncmp(c.folder, "/var/tmp/iafq-", 14) &&
        strcmp(c.folder, "/var/tmp/iafq-XXXXXX"))
        _rm_rf(c.folder);
    if (!strncmp(c.sockdir, "/tmp/iafq-", 10) &&
        strcmp(c.sockdir, "/tmp/iafq-XXXXXX"))
        _rm_rf(c.sockdir);
}

static const tu_test cluster_tests[] = {
    {"created and started on first use, then reused",
     test_first_use_creates_and_reuses},
    {"embedded migrations applied once and recorded",
     test_embedded_migrations_once},
    {"migrations in order; a failing one rolled back",
     test_migration_set_order_and_failure},
    {"two processes migrating at once apply once", test_concurrent_migrations},
    {"stale postmaster.pid after SIGKILL", test_stale_pid_after_sigkill},
    {"stopped by hand, started on next use", test_stopped_by_hand},
    {"two processes creating it at once: one cluster",
     test_concurrent_first_start},
    {"deep IAFQ_HOME", test_deep_home},
    {"CREATE DATABASE racing another: 23505 taken as existing",
     test_create_database_race},
    {"db init killed during initdb: the next one waits and redoes it",
     test_killed_initdb},
    {"disk_full (53100) says the disk is full and where",
     test_disk_full_message},
    {"full disk under the cluster (tmpfs)", test_disk_full_tmpfs},
    {NULL, NULL}};
static const tu_test cli_tests[] = {
    {"iafq db psql -c 'select 1'", test_cli_psql},
    {"iafq db stop, status, init", test_cli_stop_status_init},
    {"unreachable --db: exit 2, password masked", test_cli_unreachable},
    {NULL, NULL}};
static const tu_suite suites[] = {
    {"cluster", cluster_tests}, {"db command", cli_tests}, {NULL, NULL}};

int main(void)
{
    snprintf(_root, sizeof _root, "/tmp/iafq-ct-XXXXXX");
    if (!mkdtemp(_root) || chmod(_root, 0755) != 0) {
        perror("mkdtemp");
        return 3;
    }
    snprintf(_home_a, sizeof _home_a, "%s/a", _root);
    snprintf(_home_race, sizeof _home_race, "%s/priv/race", _root);
    snprintf(_home_killed, sizeof _home_killed, "%s/killed", _root);
    snprintf(_mnt_full, sizeof _mnt_full, "%s/full", _root);
    snprintf(_home_full, sizeof _home_full, "%s/full/home", _root);
    int n = snprintf(_home_deep, sizeof _home_deep, "%s/deep", _root);
    for (int i = 0; n < 200; i++)
        n += snprintf(_home_deep + n, sizeof _home_deep - (size_t)n,
                      "/a-rather-long-folder-name-%d", i);
    char priv[128];
    snprintf(priv, sizeof priv, "%s/priv", _root);
    if (mkdir(priv, 0700) != 0) {
        perror(priv);
        return 3;
    }
    unsetenv("IAFQ_DB");
    /* IAFQ_HOME must be the home: run in a folder of our own, with no
     * .iafq in it, and search no parent (a .iafq found there comes before
     * IAFQ_HOME; docs/decisions.md "Which database") */
    char bin[4096]; /* PATH_MAX */
    if (realpath(getenv("IAFQ_BIN") ? getenv("IAFQ_BIN") : "build/iafq", bin))
        setenv("IAFQ_BIN", bin, 1);
    setenv("IAFQ_CEILING_DIRECTORIES", _root, 1);
    if (getcwd(bin, sizeof bin)) /* tu_src() finds the sources from there */
        setenv("IAFQ_SRC_ROOT", bin, 1);
    if (chdir(_root) != 0) {
        perror(_root);
        return 3;
    }
    fflush(NULL);
    pid_t kid = fork();
    if (kid < 0)
        return 3;
    if (kid == 0)
        exit(tu_run("cluster", suites)); /* exit: LeakSanitizer checks */
    int st = 0;
    while (waitpid(kid, &st, 0) < 0 && errno == EINTR)
        ;
    _teardown_home(_home_a);
    _teardown_home(_home_deep);
    _teardown_home(_home_race);
    for (int i = 0; i < 3; i++) {
        char home[300];
        snprintf(home, sizeof home, "%s-%d", _home_killed, i);
        _teardown_home(home);
    }
    _teardown_home(_home_full);
    umount2(_mnt_full, MNT_DETACH); /* nothing mounted: EINVAL, fine */
    _rm_rf(_root);
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "cluster tests: killed by signal %d\n", WTERMSIG(st));
        return 3;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
}
