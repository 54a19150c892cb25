/*
 * home.h - which folder is iafq's home (the folder of its own cluster,
 * cluster.h), once neither --db, IAFQ_DB nor the libpq environment names a
 * database (db.h decides those).
 *
 * In this order (docs/decisions.md, "Which database"):
 *   1. the nearest `.iafq` folder in the current folder or one of its
 *      parents, as git finds `.git`: the current folder is its logical
 *      path ($PWD, when it names the same folder as getcwd(); else
 *      getcwd()), so that from `out/` (a link to a release folder) or any
 *      folder reached through a link, the parents are the ones the shell
 *      shows.  Only a `.iafq` that is a real folder (no symbolic link) of
 *      iafq's effective user counts (root: root's); one of another user
 *      (planted in a shared parent such as /tmp) or a link is skipped with
 *      a warning, once per process.  The search does not go up into a
 *      folder listed in IAFQ_CEILING_DIRECTORIES (colon-separated, as
 *      GIT_CEILING_DIRECTORIES: the current folder itself is always
 *      searched); it crosses mount points (only your own `.iafq` counts,
 *      so there is nothing to fear above one).
 *   2. $IAFQ_HOME when set and not empty;
 *   3. `.iafq` in the current folder: a new cluster, made on first use.
 *
 * Nothing is created.  Ownership: plain values, nothing to free.
 */
#ifndef IAFQ_HOME_H
#define IAFQ_HOME_H

#include "err.h"

#include <stddef.h>

typedef enum {
    HOME_FOUND,     /* a .iafq in the current folder or a parent */
    HOME_IAFQ_HOME, /* $IAFQ_HOME */
    HOME_NEW,       /* none: .iafq in the current folder, to be made */
} home_rule;

/* The home by the rules above into path (absolute, size cap; $IAFQ_HOME
 * as given when relative is made absolute by the caller) and *rule.
 * IAFQ_ERR_IO when the current folder cannot be named or a path is too
 * long. */
iafq_err home_find(char *path, size_t cap, home_rule *rule, iafq_error *err);

#endif
