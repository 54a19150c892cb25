/*
 * schema.h - the IAFQ return layout as data (IAFQ-SPEC sections 2, 3, appendix
 * A).
 *
 * One place for tables, row and column codes, labels, value types, code
 * lists, required sheets/columns/values, the sum and cross-table rules and
 * the published (portal) strings.  The readers, the validator, the template
 * writer and the exporters all read these tables; nothing else in the
 * program spells a code.
 *
 * Everything here is static and read-only; nothing is owned or freed.
 */
#ifndef IAFQ_SCHEMA_H
#define IAFQ_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    TBL_COVER,
    TBL_T1,
    TBL_T2,
    TBL_T3,
    TBL_T4,
    TBL_T5,
    TBL_T6,
    TBL_T7,
    TBL_T8,
    TBL_T9,
    TBL_T10,
    TBL_T11,
    TBL__COUNT
} table_id;

typedef enum {
    VT_COUNT,   /* whole number >= 0; blank = not available */
    VT_TEXT,    /* UTF-8, trimmed, <= SCHEMA_TEXT_MAX characters */
    VT_DATE,    /* ISO YYYY-MM-DD text or Excel date serial */
    VT_YEAR,    /* 2000 ... current year */
    VT_COUNTRY, /* ISO 3166 alpha-3 present in m49.csv */
    VT_CODE,    /* one of a code list */
} value_type;

typedef enum {
    CL_NONE = 0,
    CL_CONSENT,
    CL_VERSION,
    CL_ARM_TYPE,   /* T1 rows but TOTAL */
    CL_PLACE_TYPE, /* T7 rows but TOTAL */
    CL_MARKING,    /* T6 rows but TOTAL */
    CL_TRACING,    /* T8 rows but the three totals */
    CL__COUNT
} codelist_id;

#define SCHEMA_TEXT_MAX 1000
#define SCHEMA_MAX_COLS 16
#define SCHEMA_MAX_ROWS 16

typedef struct {
    const char *name;          /* "ARM_TYPE" */
    const char *const *codes;  /* codes, in order */
    const char *const *labels; /* label for each code (drop-downs, docs) */
    int n;
} schema_codelist;

typedef struct {
    const char *code;
    const char *label;
    value_type type; /* COVER: type of its VALUE; other tables: VT_COUNT */
    codelist_id codelist;
    bool required;         /* COVER: a blank VALUE is E-REQUIRED */
    const char *indicator; /* published Indicator when it depends on the row */
    const char *category;  /* published Category of the row */
} schema_row;

typedef struct {
    const char *code;
    const char *label;
    value_type type;
    codelist_id codelist;
    bool required_col;   /* absence is E-COLUMN-MISSING */
    bool required_value; /* blank is E-REQUIRED (T11 QUANTITY) */
    const char
        *indicator;  /* published Indicator when it depends on the column */
    const char *sex; /* published Sex (T9 columns) */
} schema_col;

typedef struct {
    table_id id;
    const char *code;  /* sheet/file name stem: "T1" */
    const char *title; /* "Arms by type" */
    const char *help;  /* one-line instruction for the template */
    bool required;     /* absence is E-SHEET-MISSING */
    bool free_rows;    /* T11: column A holds free ids, not row codes */
    const schema_row *rows;
    int nrows;
    const schema_col *cols;
    int ncols;
    const char *indicator; /* published Indicator for all cells, or NULL */
    const char *dimension; /* published Dimension for component rows */
} schema_table;

extern const schema_table schema_tables[TBL__COUNT];
extern const schema_codelist schema_codelists[CL__COUNT];

/* Table whose code is the sheet name, or the sheet name's first word
 * ("T1", "t1 Arms by type"); compares case-insensitively, trimmed.  For CSV
 * files the caller passes the file's stem ("T1" of "t1.csv").  -1: none. */
int schema_table_by_sheet(const char *name);
/* Index of a row / column code in table t (case-insensitive, trimmed); -1. */
int schema_row_index(const schema_table *t, const char *code);
int schema_col_index(const schema_table *t, const char *code);
/* Index of code in a code list (case-insensitive, trimmed); -1. */
int schema_code_index(codelist_id cl, const char *code);
/* The same for a code given as code[0..n), already trimmed. */
int schema_code_index_n(codelist_id cl, const char *code, size_t n);

/* --- sum rules (W-SUM, W-TOTAL-DERIVED), applied to every value column of
 * the table, in array order (T8's sub-totals before its TOTAL). */
typedef struct {
    table_id table;
    const char *total;
    const char *const *parts;
    int nparts;
} schema_sum;
extern const schema_sum schema_sums[];
extern const int schema_nsums;

/* --- cross-table rules (W-CROSS): sum(lhs) OP sum(rhs), each term a
 * (table, row, column) cell; a NULL column means "the column being checked"
 * and the rule is applied to each of SEIZED, FOUND, SURRENDERED.  The
 * finding sits on the first lhs cell.  Skipped unless every term is given. */
typedef enum { CROSS_EQ, CROSS_LE } cross_op;
typedef struct {
    table_id table;
    const char *row;
    const char *col;
} schema_term;
typedef struct {
    schema_term lhs[3];
    int nlhs;
    cross_op op;
    schema_term rhs[3];
    int nrhs;
    bool per_column;
} schema_cross;
extern const schema_cross schema_crosses[];
extern const int schema_ncrosses;

/* The arm-type columns per T1 column for the SEIZED/FOUND/SURRENDERED trio */
extern const char *const schema_arm_columns[3];

/* --- published strings (appendix A) */
typedef struct {
    table_id table;
    int row, col; /* indexes into the table's rows / cols */
    const char *indicator, *dimension, *category, *sex, *age;
} schema_pub;

/* All published cells, in writing order (each group's Total right after
 * its components).  Built once, on the first call from whichever thread
 * (pthread_once). */
const schema_pub *schema_pub_all(size_t *n);
/* The published strings of a cell; NULL when the cell is not published. */
const schema_pub *schema_pub_of(table_id t, int row, int col);

#endif
