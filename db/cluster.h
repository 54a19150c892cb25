/*
 * cluster.h - iafq's own PostgreSQL 15 cluster, used when neither --db nor
 * IAFQ_DB names a database.
 *
 * Where it lives.  The home is $IAFQ_HOME, or ".iafq" in the current
 * directory.  The cluster's folder is HOME/pg (data/ and server.log in it),
 * except when iafq runs as root and the server's user (Debian's `postgres`)
 * cannot enter HOME (e.g. under /root, mode 0700): then the folder is
 * /var/tmp/iafq-HASH (HASH: 16 hex digits of the home's absolute path) and
 * HOME/pg is a symbolic link to it.  The server listens on a Unix socket
 * only (listen_addresses = ''), in FOLDER/run, or in /tmp/iafq-HASH when
 * that path would be too long for a socket (about 107 bytes).  Sockets
 * are mode 0700: local connections are trusted, so only the owner (and
 * root) may connect.  HOME/cluster.lock serialises every start and stop
 * (flock), so two iafq processes starting the cluster at once end with one.
 *
 * Users.  As root, initdb, postgres and pg_ctl run as `postgres` (forked
 * child, initgroups/setgid/setuid); the folders are given to it.  Otherwise
 * they run as the caller.  That OS user is also the superuser role.
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
    char folder[CLUSTER_PATH_MAX];  /* HOME/pg, or /var/tmp/iafq-HASH */
    char data[CLUSTER_PATH_MAX];    /* FOLDER/data */
    char log[CLUSTER_PATH_MAX];     /* FOLDER/server.log */
    char sockdir[CLUSTER_PATH_MAX]; /* FOLDER/run or /tmp/iafq-HASH */
    char lockfile[CLUSTER_PATH_MAX];
    char bindir[CLUSTER_PATH_MAX]; /* PostgreSQL 15 server binaries */
    char user[64];                 /* OS user of the server = superuser */
    uid_t uid;
    gid_t gid;
    int switch_user; /* iafq is root: server programs run as `user` */
    int relocated;   /* folder is outside HOME (see above) */
    int port;        /* names the socket file only */
} cluster;

/* Work out every path of the cluster for the current environment.  Creates
 * nothing (it may fork a child to test whether `postgres` can enter HOME).
 * IAFQ_ERR_IO when the server binaries or the `postgres` user are missing. */
iafq_err cluster_locate(cluster *c, iafq_error *err);

/* Create (initdb) the cluster when it does not exist, start it when it
 * does not run (clearing what a crash left behind), and create the
 * database `iafq`.  Safe to call from several processes at once.  After
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
