/*
 * err.h - the one error type of iafq.
 *
 * Contract: every function that can fail returns an iafq_err and, when it is
 * given a non-NULL iafq_error *, fills it with the code and a human-readable
 * detail (the library's own message is kept: libzip, expat, libcsv, libpq,
 * libxlsxwriter errors are converted at the module edge with
 * iafq_error_set()).  iafq_error is a plain value: nothing in it is owned,
 * nothing needs freeing.
 */
#ifndef IAFQ_ERR_H
#define IAFQ_ERR_H

#include <stddef.h>

typedef enum {
    IAFQ_OK = 0,
    IAFQ_ERR_NOMEM,    /* out of memory */
    IAFQ_ERR_USAGE,    /* bad command line */
    IAFQ_ERR_IO,       /* cannot open/read/write a path */
    IAFQ_ERR_FORMAT,   /* input is not a readable return (E-FILE) */
    IAFQ_ERR_LIMIT,    /* input exceeds a size/ratio/count limit (E-FILE) */
    IAFQ_ERR_ZIP,      /* libzip failure */
    IAFQ_ERR_XML,      /* expat failure */
    IAFQ_ERR_CSV,      /* libcsv failure */
    IAFQ_ERR_ENCODING, /* iconv / text encoding failure */
    IAFQ_ERR_XLSXW,    /* libxlsxwriter failure */
    IAFQ_ERR_JSON,     /* cJSON failure */
    IAFQ_ERR_DB,       /* libpq / database failure */
    IAFQ_ERR_ABORTED,  /* a callback asked to stop */
    IAFQ_ERR_INTERNAL, /* a bug */
    IAFQ_ERR_COUNT     /* sentinel */
} iafq_err;

typedef struct {
    iafq_err code;
    char msg[512]; /* detail, NUL-terminated, may be empty */
} iafq_error;

/* Short description of a code; clamps out-of-range values. */
const char *iafq_strerror(iafq_err code);

/* Fill *e (may be NULL) and return code, so that callers can write
 * `return iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s'", p);` */
iafq_err iafq_error_set(iafq_error *e, iafq_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reset to IAFQ_OK with an empty message. e may be NULL. */
void iafq_error_clear(iafq_error *e);

/* True for codes that mean "the input file is not a usable return" and are
 * reported as the E-FILE finding rather than as a program failure. */
int iafq_err_is_input(iafq_err code);

/* The code for a failed open of a path: IAFQ_ERR_NOMEM when errnum is
 * ENOMEM (fopen and opendir allocate), else IAFQ_ERR_IO. */
iafq_err iafq_err_open(int errnum);

#endif
