/*
 * pagefiles.h - the web page's templates (serve/pages/NAME.html), embedded in
 * the binary at build time by tools/embed_sql (its table renamed), as
 * sqlfiles.h is for sql/.
 *
 * Ownership: everything is static, read-only data; nothing is freed.
 */
#ifndef IAFQ_PAGEFILES_H
#define IAFQ_PAGEFILES_H

typedef struct {
    const char *path; /* relative to serve/pages/, e.g. "home.html" */
    const char *text; /* NUL-terminated file contents */
} pagefile;

/* The generated table (sorted by path, terminated by {NULL, NULL}). */
extern const pagefile pagefiles_table[];
extern const unsigned long pagefiles_count;

#endif
