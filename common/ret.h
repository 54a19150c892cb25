/*
 * ret.h - one IAFQ return in memory: one country, one reporting year.
 *
 * Every reader produces this; the validator fills in values and findings;
 * the database loader and the exporters read it.  Fixed tables (COVER,
 * T1..T10) are held whole, sized to the schema, and only once present:
 * until ret_table_use() allocates a table, its rows are a shared read-only
 * blank (reading any cell gives a blank value; writing is a bug), so a
 * return costs a few hundred bytes plus what it holds -- a long-format file
 * with thousands of country-years stays small.  T11 can hold a million rows, so
 * its records are not kept: they are validated as they stream past and
 * handed to an optional ret_seizure_fn (the database loader uses it); the
 * return keeps the per-arm-type sums the cross-table rule needs.
 *
 * Ownership: a return owns everything it points to (strings, findings);
 * ret_free() releases it all and accepts NULL.  Strings stored into a value
 * with ret_value_set_text() are copied.
 */
#ifndef IAFQ_RET_H
#define IAFQ_RET_H

#include "err.h"
#include "finding.h"
#include "schema.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t n;    /* the count (VT_COUNT, VT_YEAR), the code's index in its
                     list (VT_CODE), YYYYMMDD (VT_DATE); 0 when not given */
    char *text;   /* normalised text (VT_TEXT, VT_CODE, VT_COUNTRY, VT_DATE
                     as YYYY-MM-DD); NULL when blank */
    char *src;    /* Source string (long format); NULL means "IAFQ" */
    uint32_t row; /* sheet row of the cell; 0 when not from a cell */
    int32_t col;  /* sheet column of the cell (0-based); -1 when none */
    bool avail;   /* given (not blank, not "n/a") and valid */
    bool derived; /* a TOTAL computed from its components */
    bool bad;     /* a value was given but is invalid (it has a finding) */
} ret_value;

typedef struct {
    bool present;       /* the row was in the sheet */
    uint32_t sheet_row; /* its row number */
    ret_value *v;       /* the table's ncols values */
} ret_row;

typedef struct {
    bool present; /* the sheet / file was found */
    char *sheet;  /* its name as found */
    bool header;  /* the CODE header row was found */
    uint32_t header_row;
    int32_t colpos[SCHEMA_MAX_COLS]; /* sheet column of each schema column */
    ret_row *rows; /* the table's nrows rows (fixed tables only); the shared
                      blank until ret_table_use() */
} ret_table;

/* What the T11 stream leaves behind. */
typedef struct {
    uint64_t nrecords;
    int64_t qty[8];       /* sum of QUANTITY per CL_ARM_TYPE code, at most
                             10^15 + 1 ("more than 10^15"): never wraps */
    bool qty_any[8];      /* any quantity of that type given */
    uint32_t last_row[8]; /* sheet row of the last record of that type */
    char *last_id[8];     /* its whole seizure id (owned, NUL-terminated,
                             NULL before the first record of that type;
                             ret_free() frees them) */
    size_t last_id_cap[8];
    int32_t qty_col; /* sheet column of QUANTITY */
} ret_t11;

typedef enum {
    RET_SRC_XLSX,
    RET_SRC_CSV,  /* folder or zip of per-table CSV files */
    RET_SRC_LONG, /* portal long format */
} ret_source;

typedef struct iafq_return {
    char *file; /* path as given */
    ret_source source;
    char country[4]; /* "" when unknown */
    int year;        /* 0 when unknown */
    int consent;     /* 1 YES, 0 NO, -1 not stated (long format) */
    ret_table t[TBL__COUNT];
    ret_t11 t11;
    finding_list findings;
} iafq_return;

/* A validated T11 record, borrowed for the duration of the call. */
typedef struct {
    const char *id;
    uint32_t sheet_row;
    const ret_value *v; /* schema_tables[TBL_T11].ncols values */
} ret_seizure;
/* Returns IAFQ_OK to go on; any other code stops the reading, and that
 * code and the message it put in *err reach the caller of check_path()
 * unchanged (a failed COPY reads as the PostgreSQL error it is). */
typedef iafq_err (*ret_seizure_fn)(void *ud, const iafq_return *r,
                                   const ret_seizure *s, iafq_error *err);

/* New empty return for `file` (copied); NULL on out of memory. */
iafq_return *ret_new(const char *file, ret_source source, size_t max_findings,
                     bool strict);
void ret_free(iafq_return *r);

/* Make table t's cells writable (allocated, blank) before storing into
 * them; idempotent.  0, or -1 when out of memory. */
int ret_table_use(iafq_return *r, table_id t);
/* Whether table t has its own cells (ret_table_use() was called). */
bool ret_table_used(const iafq_return *r, table_id t);

/* The value of a fixed-table cell by codes; NULL when the codes are wrong. */
ret_value *ret_cell(iafq_return *r, table_id t, const char *row,
                    const char *col);
const ret_value *ret_cell_c(const iafq_return *r, table_id t, const char *row,
                            const char *col);

/* Replace v->text with a copy of s[0..n) (s may be NULL: clear). 0 / -1. */
int ret_value_set_text(ret_value *v, const char *s, size_t n);
int ret_value_set_src(ret_value *v, const char *src);
void ret_value_clear(ret_value *v);

#endif
