/*
 * sqlfiles.h - the SQL files of sql/, embedded in the binary at build time.
 *
 * tools/embed_sql turns every sql/ file ending in .sql into one entry
 * {path relative to sql/, e.g. "migrations/0001_schema.sql", text}; the
 * table is sorted by path (byte order), so files under one prefix come out in
 * lexical order: the order migrations and aggregation steps run in.
 *
 * Ownership: everything is static, read-only data; nothing is freed.
 */
#ifndef IAFQ_SQLFILES_H
#define IAFQ_SQLFILES_H

#include <stddef.h>

typedef struct {
    const char *path; /* relative to sql/, '/'-separated */
    const char *text; /* NUL-terminated file contents */
} sqlfile;

/* The generated table (sorted by path, terminated by {NULL, NULL}). */
extern const sqlfile sqlfiles_table[];
extern const unsigned long sqlfiles_count;

/* Text of the file at relpath ("q/history.sql"), or NULL when absent. */
const char *sqlfiles_get(const char *relpath);

/* The files whose path starts with prefix ("migrations/"), in sorted order:
 * returns the first and sets *n to their number (0 and NULL when none). */
const sqlfile *sqlfiles_prefix(const char *prefix, size_t *n);

/* The version of a migration: its file name without directory and ".sql"
 * ("migrations/0001_schema.sql" -> "0001_schema"), into buf (size cap).
 * Returns buf, or NULL when it does not fit. */
char *sqlfiles_version(const char *path, char *buf, size_t cap);

#endif
