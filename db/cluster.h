/*
 * cluster.h - iafq's own PostgreSQL 15 cluster, used when neither --db,
 * IAFQ_DB nor the libpq environment (PGHOST, PGDATABASE, PGSERVICE) names
 * a database.
 *
 * Where it lives.  The home is the nearest ".iafq" of iafq's user in the
 * current folder or its parents, else $IAFQ_HOME, else ".iafq" in the
 * current folder (home.h says how it is found): a folder of iafq's user
 * that no one else can write (one of another user is refused; one made
 * group- or world-writable is made 0755).
 * The cluster's folder is HOME/pg (data/ and server.log in it), except when
 * iafq runs as root and the server's user (Debian's `postgres`) cannot
 * enter HOME (e.g. under /root, mode 0700): then the folder is made by
 * mkdtemp() as /var/tmp/iafq-XXXXXX (a name no one can take first) and
 * recorded as the symbolic link HOME/pg.  The server listens on a Unix
 * socket only (listen_addresses = ''), in FOLDER/run, or, when that path
 * would be too long for a socket (about 107 bytes), in a folder made by
 * mkdtemp() as /tmp/iafq-XXXXXX and recorded as the link HOME/socket.
 * Sockets are mode 0700: local connections are trusted, so only the owner
 * (and root) may connect.  HOME/cluster.lock serialises every start and
 * stop (flock), so two iafq processes starting the cluster at once end with
 * one; an initdb keeps it while it runs (even when the iafq that started it
 * was killed), so the next iafq waits for it.
 *
 * What is checked (docs/local-security.md).  A recorded folder outside the
 * home is used only when it is reached by its own name (no link on the
 * way), is a real folder of the server's user and mode 0700; a cluster
 * folder that is not is refused (IAFQ_ERR_IO naming it), a socket folder
 * that is not is left alone and replaced by a new one, a missing one is
 * made anew.  No folder or file of another user is ever chowned.  Inside
 * the folders the server's user owns, iafq acts as that user (logs opened
 * by it with O_NOFOLLOW, leftovers removed by it), so a link or file
 * planted there reaches nothing that user could not reach anyway.  A
 * server is connected to only through a socket folder that passes the
 * same checks.
 *
 * Users.  As root, initdb, postgres and pg_ctl run as `postgres` (forked
 * child, initgroups/setgid/setuid); the folders iafq makes are given to
 * it.  Otherwise they run as the caller.  That OS user is also the
 * superuser role.
 *
 * Ownership: a cluster is a plain value filled by cluster_locate(); nothing
 * in it is allocated, nothing needs freeing.  No function keeps pointers.
 */
#ifndef IAFQ_CLUSTER_H
#define IAFQ_CLUSTER_H

#include "err.h"

#include <stddef.h>
#include <sys/types.h>

#define CLUSTER_PATH_MAX 4096
#define CLUSTER_DBNAME "iafq"

typedef struct {
    char home[CLUSTER_PATH_MAX];    /* absolute IAFQ_HOME */
    char folder[CLUSTER_PATH_MAX];  /* HOME/pg, or /var/tmp/iafq-XXXXXX */
    char data[CLUSTER_PATH_MAX];    /* FOLDER/data */
    char log[CLUSTER_PATH_MAX];     /* FOLDER/server.log */
    char sockdir[CLUSTER_PATH_MAX]; /* FOLDER/run or /tmp/iafq-XXXXXX */
    char lockfile[CLUSTER_PATH_MAX];
    char bindir[CLUSTER_PATH_MAX]; /* PostgreSQL 15 server binaries */
    char user[64];                 /* OS user of the server = superuser */
    uid_t uid;
    gid_t gid;
    int switch_user;  /* iafq is root: server programs run as `user` */
    int relocated;    /* folder is outside HOME (see above) */
    int port;         /* names the socket file only */
    int sock_outside; /* sockdir is outside (recorded as HOME/socket) */
    int home_rule;    /* home_rule (home.h): how home was found */
} cluster;

/* Work out every path of the cluster for the current environment.  Creates
 * nothing (it may fork a child to test whether `postgres` can enter HOME).
 * A folder outside the home that is still to be made is named by its
 * mkdtemp() template ("/var/tmp/iafq-XXXXXX", "/tmp/iafq-XXXXXX").
 * IAFQ_ERR_IO when the server binaries or the `postgres` user are missing. */
iafq_err cluster_locate(cluster *c, iafq_error *err);

/* Create (initdb) the cluster when it does not exist, start it when it
 * does not run (clearing what a crash left behind), and create the
 * database `iafq` (one another process is creating counts as existing).
 * A cluster it creates is announced on stderr, one line with the home.
 * Safe to call from several processes at once, and after an iafq killed at
 * any point of it.  After
 * success the server runs and is left running.  Updates *c: where the
 * cluster goes is settled once the home exists (cluster_locate() before
 * that is a forecast). */
iafq_err cluster_ensure(cluster *c, iafq_error *err);

/* 1 when the cluster's data folder exists (initdb was run). */
int cluster_exists(const cluster *c);

/* 1 when a server answers on the cluster's socket. */
int cluster_running(const cluster *c);

/* The postmaster's process id from data/postmaster.pid, or 0. */
long cluster_pid(const cluster *c);

/* Stop the server (fast shutdown) if it runs; *was_running (may be NULL)
 * says whether it did. */
iafq_err cluster_stop(const cluster *c, int *was_running, iafq_error *err);

/* The libpq conninfo of database dbname on this cluster, into buf (size
 * cap).  Returns 0, or -1 when it does not fit. */
int cluster_conninfo(const cluster *c, const char *dbname, char *buf,
                     size_t cap);

#endif
